"""A certificate whose status is written but not understood is a data issue and never valid."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from esg_audit.cli import cli

RULES = """\
pack: certs
version: "1"
rules:
  - id: ISO-001
    title: ISO 14001
    pillar: environment
    severity: high
    check: {certificate: ISO 14001}
"""


def test_revoked_status_is_a_data_issue_and_the_certificate_is_not_valid(tmp_path: Path) -> None:
    (tmp_path / "suppliers.csv").write_text("supplier_id,name\nS1,Acme\nS2,Beta\nS3,Gamma\n")
    (tmp_path / "certificates.csv").write_text(
        "supplier_id,standard,valid_from,valid_until,status\n"
        "S1,ISO 14001,2025-01-01,2028-01-01,revoked\n"
        "S2,ISO 14001,2025-01-01,2028-01-01,\n"
        "S3,ISO 14001,2025-01-01,2028-01-01,Active\n"
    )
    (tmp_path / "rules.yaml").write_text(RULES)
    result = CliRunner().invoke(cli, [
        "check", str(tmp_path / "suppliers.csv"), str(tmp_path / "certificates.csv"),
        "--rules", str(tmp_path / "rules.yaml"), "--as-of", "2026-11-27",
        "--format", "json", "--out", str(tmp_path / "out"),
    ])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    statuses = {s["supplier_id"]: s["results"][0]["status"] for s in report["suppliers"]}
    assert statuses == {"S1": "fail", "S2": "pass", "S3": "pass"}
    assert [(i["sheet"], i["row"], i["column"], i["value"]) for i in report["data_issues"]] == [
        ("certificates", 2, "status", "revoked")
    ]

"""Scoring, waivers, gate and report.json through the real pipeline and CLI (a CSV and a
small rule pack written here): what a user running `check` and `gate` sees."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.reports.json_report import REPORT_SCHEMA_PATH

SUPPLIERS_CSV = """\
supplier_id,name,category,renewable_share,sbti_target
S-1,Alpha,metals,0.9,yes
S-2,Beta,metals,0.4,no
S-3,Gamma,metals,,yes
S-4,Delta,services,0.1,
"""

PACK = """\
pack: test-pack
version: "1.0"
grading:
  bands: {A: 80, B: 60, C: 40}
  pillars: {environment: 3, governance: 1}
rules:
  - id: ENV-001
    title: Renewable electricity share
    pillar: environment
    severity: high
    weight: 2
    applies_to: "category != 'services'"
    check: {pass: "renewable_share >= 0.8", warn: "renewable_share >= 0.3"}
    remediation: Buy renewable electricity.
  - id: GOV-001
    title: Science-based target
    pillar: governance
    severity: medium
    knockout: true
    check: {pass: "sbti_target == true"}
    remediation: Set a science-based target.
"""


@pytest.fixture
def audit_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "suppliers.csv").write_text(SUPPLIERS_CSV, encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n"
        "  - {supplier_id: S-2, rule_id: GOV-001, reason: Target in approval,"
        " approved_by: CPO, expires: 2026-12-31}\n"
        "  - {supplier_id: S-9, rule_id: GOV-001, reason: r, approved_by: CPO,"
        " expires: 2026-12-31}\n",
        encoding="utf-8",
    )
    return {name: str(tmp_path / name) for name in ("suppliers.csv", "pack.yaml", "waivers.yaml")}


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_writes_a_valid_deterministic_report(audit_files, tmp_path):
    common = [
        "check", audit_files["suppliers.csv"], "--rules", audit_files["pack.yaml"],
        "--as-of", "2026-11-27", "--waivers", audit_files["waivers.yaml"],
    ]  # fmt: skip
    first = _invoke(*common, "--out", str(tmp_path / "one"), "--format", "json")
    second = _invoke(*common, "--format", "json,csv", "--out", str(tmp_path / "two"))
    assert (first.exit_code, second.exit_code) == (0, 0)
    texts = [(tmp_path / d / "report.json").read_text(encoding="utf-8") for d in ("one", "two")]
    documents = [json.loads(t) for t in texts]
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(documents[0])
    stamps = [d["audit"]["generated_at"] for d in documents]
    assert texts[0].replace(stamps[0], "") == texts[1].replace(stamps[1], "")

    report = documents[0]
    assert report["summary"]["by_grade"] == {"A": 1, "B": 0, "C": 1, "D": 2, "N/A": 0}
    by_id = {s["supplier_id"]: s for s in report["suppliers"]}
    # S-1: environment 100, governance 100
    assert (by_id["S-1"]["score"], by_id["S-1"]["grade"]) == (100.0, "A")
    # S-2: environment warn 50; governance waived (null) -> 50.0, C without the knockout
    assert by_id["S-2"]["pillars"] == {"environment": 50.0, "governance": None}
    assert (by_id["S-2"]["score"], by_id["S-2"]["grade"], by_id["S-2"]["knockout"]) == (
        50.0, "C", False,
    )  # fmt: skip
    # S-3: environment missing (fail, 0), governance 100 -> (0 x 3 + 100 x 1) / 4
    assert (by_id["S-3"]["score"], by_id["S-3"]["grade"]) == (25.0, "D")
    # S-4: environment n/a; governance missing counted as fail on a knockout rule
    assert by_id["S-4"]["pillars"] == {"environment": None, "governance": 0.0}
    assert (by_id["S-4"]["grade"], by_id["S-4"]["knockout"]) == ("D", True)
    assert [r["status"] for r in by_id["S-2"]["results"]] == ["warn", "waived"]
    assert [(f["supplier_id"], f["rule_id"], f["status"]) for f in report["findings"]] == [
        ("S-3", "ENV-001", "missing"),
        ("S-2", "ENV-001", "warn"),
        ("S-4", "GOV-001", "missing"),
    ]
    assert [w["supplier_id"] for w in report["waivers"]["applied"]] == ["S-2"]
    assert [w["supplier_id"] for w in report["waivers"]["unmatched"]] == ["S-9"]
    assert "--out" not in report["audit"]["command"]


def test_gate_verdicts_and_exit_codes(audit_files):
    base = ["gate", audit_files["suppliers.csv"], "--rules", audit_files["pack.yaml"],
            "--as-of", "2026-11-27"]  # fmt: skip
    outcome = _invoke(*base, "--json")
    assert outcome.exit_code == 1
    document = json.loads(outcome.stdout)
    assert document["policy"] == {"min_grade": "C", "fail_on": None}
    assert [(s["supplier_id"], s["approved"], s["reasons"]) for s in document["suppliers"]] == [
        ("S-1", True, []),
        ("S-2", False, ["grade D is below the minimum C", "knockout GOV-001 failed"]),
        ("S-3", False, ["grade D is below the minimum C"]),
        ("S-4", False, [
            "grade D is below the minimum C", "knockout GOV-001 missing (counted as fail)",
        ]),
    ]  # fmt: skip
    only_alpha = _invoke(*base, "--min-grade", "D", "--fail-on", "critical")
    assert only_alpha.exit_code == 0

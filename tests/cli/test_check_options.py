"""`check` options for scheduled audits: output placeholders, policy exit codes, quiet when piped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli

SUPPLIERS = (
    "supplier_id,name,country,category,renewable_share\n"
    "S1,Acme,DE,consulting,1.0\n"
    "S2,Beta,FR,consulting,0.1\n"
)
RULES = """\
pack: test
version: "1"
rules:
  - id: RE-001
    title: Renewable electricity
    pillar: environment
    severity: high
    check: {pass: renewable_share >= 0.6, warn: renewable_share >= 0.3}
"""


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(SUPPLIERS, encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    return suppliers, rules


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.stderr


def test_out_placeholders_name_the_folder_by_as_of_and_run_date(tmp_path, inputs):
    suppliers, rules = inputs
    out = tmp_path / "audits" / "{as_of}" / "run-{date}"
    code, _ = check(str(suppliers), "--rules", str(rules), "--as-of", "2026-10-31",
                    "--out", str(out), "--format", "json")
    assert code == 0
    folder = tmp_path / "audits" / "2026-10-31" / f"run-{date.today().isoformat()}"
    assert [p.name for p in folder.iterdir()] == ["report.json"]


@pytest.mark.parametrize(
    ("policy", "code"),
    [
        ([], 0),
        (["--fail-under", "D"], 0),
        (["--fail-under", "C"], 1),  # S2 fails its only rule: score 0, grade D
        (["--fail-on", "critical"], 0),
        (["--fail-on", "high"], 1),
        (["--fail-on", "HIGH"], 1),
    ],
)
def test_policy_options_set_the_exit_code(tmp_path, inputs, policy, code):
    suppliers, rules = inputs
    result, _ = check(str(suppliers), "--rules", str(rules), "--as-of", "2026-11-27",
                      "--out", str(tmp_path / "out"), "--format", "json", *policy)
    assert result == code


def test_unknown_format_is_a_usage_error(tmp_path, inputs):
    suppliers, rules = inputs
    code, stderr = check(str(suppliers), "--rules", str(rules), "--format", "json,pdf",
                         "--out", str(tmp_path / "out"))
    assert code == 2
    assert stderr.strip() == "error: --format: unknown format pdf; choose from xlsx, json, csv, html"
    assert not (tmp_path / "out").exists()


def test_no_progress_lines_when_stderr_is_not_a_terminal(tmp_path, inputs):
    suppliers, rules = inputs
    code, stderr = check(str(suppliers), "--rules", str(rules), "--as-of", "2026-11-27",
                         "--out", str(tmp_path / "out"), "--format", "json")
    assert code == 0
    assert stderr.splitlines() == [
        "audited 2 suppliers (A 1, B 0, C 0, D 1, N/A 0); 1 finding, 0 data issues; "
        f"wrote {tmp_path / 'out' / 'report.json'}"
    ]

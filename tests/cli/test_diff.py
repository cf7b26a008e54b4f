"""`esg-audit diff OLD.json NEW.json [--out DIR] [--json]`: output, files and exit codes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.reports.diff import diff_document, diff_documents, format_text
from tests.reports.test_diff import NOVEMBER, OCTOBER


@pytest.fixture()
def reports(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "2026-10" / "report.json", tmp_path / "2026-11" / "report.json"
    for path, document in ((old, OCTOBER), (new, NOVEMBER)):
        path.parent.mkdir()
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return str(old), str(new)


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def expected_diff(old: str, new: str):
    """What the command should find: the two documents compared, under their file names."""
    changes = diff_documents(OCTOBER, NOVEMBER)
    return dataclasses.replace(changes, old=dataclasses.replace(changes.old, path=old),
                               new=dataclasses.replace(changes.new, path=new))


def test_text_on_stdout(reports):
    old, new = reports
    outcome = run(old, new)
    assert outcome.exit_code == 0
    assert outcome.stderr == ""
    assert outcome.stdout == format_text(expected_diff(old, new))
    assert outcome.stdout.splitlines()[:2] == [
        f"Changes from {old} (as of 2026-10-27) to {new} (as of 2026-11-27)",
        "1 new findings, 2 resolved findings, 2 changed findings, 3 grade and score changes, "
        "0 suppliers added, 0 suppliers removed",
    ]


def test_json_on_stdout(reports):
    old, new = reports
    outcome = run(old, new, "--json")
    assert outcome.exit_code == 0
    document = json.loads(outcome.stdout)
    assert document == diff_document(expected_diff(old, new))
    assert document["summary"] == {"new_findings": 1, "resolved_findings": 2,
                                   "changed_findings": 2, "grade_changes": 3,
                                   "suppliers_added": 0, "suppliers_removed": 0}
    assert [(f["supplier_id"], f["rule_id"]) for f in document["resolved_findings"]] == [
        ("S004", "SOC-001"), ("S001", "ENV-002")]


def test_out_writes_xlsx_and_json(reports, tmp_path: Path):
    old, new = reports
    out = tmp_path / "diffs" / "2026-11"
    outcome = run(old, new, "--out", str(out), "--json")
    assert outcome.exit_code == 0
    assert outcome.stderr == f"wrote {out / 'diff.xlsx'}, {out / 'diff.json'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["diff.json", "diff.xlsx"]
    assert (out / "diff.json").read_text(encoding="utf-8") == outcome.stdout
    book = openpyxl.load_workbook(out / "diff.xlsx")
    assert [(r[0], r[2]) for r in book["New Findings"].iter_rows(min_row=2, values_only=True)] \
        == [("S002", "ENV-002")]
    assert [r[0] for r in book["Grade Changes"].iter_rows(min_row=2, values_only=True)] == [
        "S002", "S004", "S001"]


def test_swapped_arguments_get_a_note(reports):
    old, new = reports
    outcome = run(new, old)
    assert outcome.exit_code == 0
    assert outcome.stderr == (f"note: {old} (as of 2026-10-27) is older than {new} "
                              "(as of 2026-11-27); give the older report first\n")


@pytest.mark.parametrize(("content", "message"), [
    (None, "{path}: file not found"),
    ("not json", "{path}:1: not JSON: Expecting value at column 1"),
    ('{"suppliers": [], "findings": []}', "{path}: not a report.json (it has no schema_version)"),
])
def test_bad_input_exits_2_with_one_line(reports, tmp_path: Path, content, message):
    old, _ = reports
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    for args in ((old, str(bad)), (str(bad), old)):
        outcome = run(*args)
        assert outcome.exit_code == 2
        assert outcome.stdout == ""
        assert outcome.stderr == "error: " + message.format(path=bad) + "\n"


def test_out_that_is_a_file_exits_2(reports, tmp_path: Path):
    old, new = reports
    blocker = tmp_path / "taken"
    blocker.write_text("x", encoding="utf-8")
    outcome = run(old, new, "--out", str(blocker))
    assert outcome.exit_code == 2
    assert outcome.stdout == ""
    assert outcome.stderr == f"error: --out: {blocker} is a file, not a folder\n"


def test_help_names_the_arguments():
    outcome = run("--help")
    assert outcome.exit_code == 0
    assert "Usage: cli diff [OPTIONS] OLD.json NEW.json" in outcome.stdout
    assert "--out TEXT" in outcome.stdout and "--json" in outcome.stdout

"""SPEC §6 edges of `check`: unwritable --out, progress only on a terminal, rounding and counts."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from tests.acceptance.outputs.helpers import AS_OF, invoke, read_json


def test_out_that_is_a_file_is_a_usage_error_naming_it(audit, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    run, _ = audit("--format", "json", out=blocker)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        f"error: --out: {blocker} is a file, not a folder"
    ]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_out_below_a_file_is_a_usage_error(audit, tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("x", encoding="utf-8")
    run, _ = audit("--format", "json", out=blocker / "reports")
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: --out: cannot write into {blocker / 'reports'}: ")
    assert "internal error" not in lines[0]


def test_progress_shows_on_a_terminal_and_not_when_piped(tmp_path, workbook, rules_file):
    args = [sys.executable, "-m", "esg_audit", "check", str(workbook), "--rules", str(rules_file),
            "--as-of", AS_OF, "--out", str(tmp_path / "out"), "--format", "json"]
    master, slave = pty.openpty()
    try:
        proc = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, timeout=60)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert proc.stdout == b""
    terminal = b"".join(chunks).decode("utf-8")
    assert "esg-audit: load" in terminal and "esg-audit: score" in terminal
    piped = invoke("check", workbook, "--rules", rules_file, "--as-of", AS_OF,
                   "--out", tmp_path / "out2", "--format", "json")
    assert "esg-audit: " not in piped.stderr
    assert len(piped.stderr.splitlines()) == 1


WEIGHTED = """\
pack: w
version: "1"
rules:
  - id: P-1
    title: passes
    pillar: environment
    weight: {passing}
    check: {{pass: "renewable_share >= 0"}}
  - id: F-1
    title: fails
    pillar: environment
    weight: {failing}
    check: {{pass: "renewable_share > 1"}}
"""


@pytest.mark.parametrize(
    ("passing", "failing", "score", "grade"),
    [(27.3, 12.7, 68.3, "B"),  # 68.25 rounds half up
     (799.5, 200.5, 80.0, "A"),  # 79.95 shows as 80.0 and the grade follows the shown score
     (599.9, 400.1, 60.0, "B"),
     (399.94, 600.06, 40.0, "C"),  # 39.994 -> 40.0
     (399.9, 600.1, 40.0, "C")],  # 39.99 -> 40.0 (weights are at most 1,000: SPEC §4 Limits)
)
def test_scores_are_rounded_half_up_and_the_grade_follows_the_shown_score(
    tmp_path, passing, failing, score, grade
):
    book = tmp_path / "s.csv"
    book.write_text("supplier_id,name,renewable_share\nS1,One,0.5\n", encoding="utf-8")
    rules = tmp_path / "r.yaml"
    rules.write_text(WEIGHTED.format(passing=passing, failing=failing), encoding="utf-8")
    run = invoke("check", book, "--rules", rules, "--as-of", AS_OF, "--out", tmp_path / "o",
                 "--format", "json")
    assert run.exit_code == 0, run.stderr
    supplier = read_json(tmp_path / "o" / "report.json")["suppliers"][0]
    assert (supplier["score"], supplier["grade"], supplier["pillars"]) == (
        score, grade, {"environment": score},
    )


def test_summary_counts_non_blank_rows_and_audited_suppliers(tmp_path, rules_file):
    book = tmp_path / "s.csv"
    book.write_text(
        "supplier_id,name,country\nS1,One,DE\n,No id,FR\nS1,Repeat,IT\n,,\nS2,Two,ES\n",
        encoding="utf-8",
    )
    run = invoke("check", book, "--rules", rules_file, "--as-of", AS_OF, "--out", tmp_path / "o",
                 "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = read_json(tmp_path / "o" / "report.json")
    assert report["summary"]["suppliers"] == 4
    assert report["summary"]["audited"] == 2
    assert [s["supplier_id"] for s in report["suppliers"]] == ["S1", "S2"]
    assert report["summary"]["data_issues"] == len(report["data_issues"]) == 2
    assert sorted(i["row"] for i in report["data_issues"]) == [3, 4]


def test_fail_under_treats_na_as_below_d(tmp_path):
    book = tmp_path / "s.csv"
    book.write_text("supplier_id,name,category\nS1,One,metals\n", encoding="utf-8")
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "pack: n\nversion: '1'\nrules:\n  - id: N-1\n    title: t\n    pillar: e\n"
        "    applies_to: \"category == 'services'\"\n    check: {pass: \"renewable_share > 0\"}\n",
        encoding="utf-8",
    )
    base = ["check", book, "--rules", rules, "--as-of", AS_OF, "--out", tmp_path / "o",
            "--format", "json"]
    run = invoke(*base, "--fail-under", "D")
    assert run.exit_code == 1
    assert read_json(tmp_path / "o" / "report.json")["suppliers"][0]["grade"] == "N/A"
    assert invoke(*base).exit_code == 0


def test_template_into_a_missing_folder(tmp_path, rules_file):
    target = tmp_path / "outbound" / "2026" / "template.xlsx"
    run = invoke("template", target, "--rules", rules_file)
    assert run.exit_code == 0, run.stderr
    assert target.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["template.xlsx"]

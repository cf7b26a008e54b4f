"""The report-format registry: one explicit list; writers are loaded only when used; no writer
imports another writer or an earlier stage."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from esg_audit.reports import FILE_NAMES, FORMATS, REPORT_FORMATS, ReportFormat, write_reports
from tests.reports.fixtures import audit_result

REPORTS = Path(__file__).resolve().parents[2] / "esg_audit" / "reports"
WRITERS = {f.writer.split(":")[0].rsplit(".", 1)[1] for f in REPORT_FORMATS}


def test_the_registry_lists_every_format_once():
    assert FORMATS == ("xlsx", "json", "csv", "html")
    assert FILE_NAMES == {
        "xlsx": "report.xlsx", "json": "report.json", "csv": "findings.csv", "html": "report.html",
    }
    assert WRITERS == {"xlsx", "json_report", "findings_csv", "html"}


def test_a_new_format_is_one_entry(tmp_path, monkeypatch):
    import esg_audit.reports as reports

    text = ReportFormat("txt", "grades.txt", "tests.reports.test_formats:write_grades")
    monkeypatch.setattr(reports, "BY_NAME", {**reports.BY_NAME, "txt": text})
    assert write_reports(audit_result(), tmp_path, ["txt"]) == [tmp_path / "grades.txt"]
    assert (tmp_path / "grades.txt").read_text() == "A B C D N/A C\n"


def write_grades(result, path: Path) -> None:
    path.write_text(" ".join(result.suppliers["grade"].astype(str)) + "\n")


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_writers_import_no_other_writer_and_no_earlier_stage(writer):
    tree = ast.parse((REPORTS / f"{writer}.py").read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
         for alias in node.names}
    earlier = ("esg_audit.scoring", "esg_audit.load", "esg_audit.normalise", "esg_audit.schema",
               "esg_audit.rules", "esg_audit.pipeline")
    others = {f"esg_audit.reports.{w}" for w in WRITERS - {writer}}
    assert sorted(m for m in imported if m.startswith(earlier) or m in others) == []


def test_an_html_only_run_never_loads_xlsxwriter():
    code = (
        "import sys, esg_audit.reports.html, esg_audit.reports.json_report, "
        "esg_audit.reports.findings_csv; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('xlsxwriter', 'openpyxl')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""`esg-audit check` on the shipped sample data, end to end through the CLI, every format."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.reports.json_report import REPORT_SCHEMA_PATH

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "supplier_survey.xlsx"
FILE = "supplier_survey.xlsx"

# (sheet, row, column as written, value, problem prefix): sample_data/README.md lists them.
EXPECTED_ISSUES = [
    ("Certificates", 6, "Valid Until", "03/04/2027", "ambiguous date"),
    ("Certificates", 52, "Supplier ID", "SUP-1099", "supplier_id not in Suppliers"),
    ("Suppliers", 7, "Renewable Electricity %", "120", "outside"),
    ("Suppliers", 16, "Scope 1 (tCO2e)", "approx. 5000", "not a number"),
    ("Suppliers", 25, "Supplier ID", "SUP-1006", "repeated supplier_id (first at row 9)"),
    ("Suppliers", 26, "Scope 2 (tCO2e)", "-150", "below 0"),
    ("Suppliers", 35, "Supplier ID", None, "no supplier_id"),
]


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    result = CliRunner().invoke(
        cli,
        ["check", str(SAMPLE), "--as-of", "2026-11-27", "--format", "xlsx,json,csv,html",
         "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before  # input never modified
    return out


def test_every_format_is_written(audit: Path) -> None:
    assert sorted(p.name for p in audit.iterdir()) == [
        "findings.csv", "report.html", "report.json", "report.xlsx"
    ]
    assert not list(audit.glob(".*.tmp"))  # no temporary file left behind


def test_report_json_counts_every_row_and_lists_each_data_issue(audit: Path) -> None:
    report = json.loads((audit / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8")))
    assert report["summary"]["suppliers"] == 42  # 40 audited, a repeat, a row without an id
    assert report["summary"]["audited"] == 40
    assert sum(report["summary"]["by_grade"].values()) == 40
    issues = [
        (i["sheet"], i["row"], i["column"], i["value"], i["problem"])
        for i in report["data_issues"]
    ]
    assert [i[:4] for i in issues] == [e[:4] for e in EXPECTED_ISSUES]
    for (*_, problem), (*_, expected) in zip(issues, EXPECTED_ISSUES, strict=True):
        assert problem.startswith(expected)
    assert {i["file"] for i in report["data_issues"]} == {str(SAMPLE)}
    assert report["notes"] == [{
        "file": str(SAMPLE), "sheet": "Suppliers", "column": "Annual Spend (EUR)",
        "note": "amounts in EUR, as written (no currency is converted)",
    }, {
        "file": str(SAMPLE), "sheet": "Suppliers", "column": "Country",
        "note": "1 cell read as ISO 3166-1 alpha-2 codes (UK → GB)",
    }, {
        "file": str(SAMPLE), "sheet": "Suppliers", "column": "On-time Delivery",
        "note": "1 cell read as missing (n/a)",
    }]
    rules = {r["rule_id"] for r in report["suppliers"][0]["results"]}
    for supplier in report["suppliers"]:
        assert {r["rule_id"] for r in supplier["results"]} == rules


def test_grades_findings_and_the_knockout_of_the_sample(audit: Path) -> None:
    report = json.loads((audit / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["by_grade"] == {"A": 8, "B": 24, "C": 5, "D": 3, "N/A": 0}
    # The sample has no CBAM goods: the cbam pack is n/a for every supplier.
    assert report["summary"]["findings_by_severity"] == {
        "critical": 6, "high": 110, "medium": 139, "low": 31, "info": 0,
    }
    graded = {s["supplier_id"]: (s["grade"], s["knockout"]) for s in report["suppliers"]}
    # Hanoi Garment JSC failed its social audit: a knockout, whatever its score (87.0).
    assert graded["SUP-1033"] == ("D", True)
    # Two suppliers that left every due-diligence question blank score below 40.
    assert graded["SUP-1007"] == ("D", False) and graded["SUP-1039"] == ("D", False)
    assert [sid for sid, (_, knockout) in graded.items() if knockout] == ["SUP-1033"]


def test_namibia_stays_a_country(audit: Path) -> None:
    book = openpyxl.load_workbook(audit / "report.xlsx", read_only=True)
    rows = list(book["Suppliers"].iter_rows(values_only=True))
    header = rows[0]
    windhoek = next(r for r in rows if r[0] == "SUP-1026")
    assert windhoek[header.index("country")] == "NA"


def test_excel_csv_and_json_agree_on_findings(audit: Path) -> None:
    report = json.loads((audit / "report.json").read_text(encoding="utf-8"))
    with open(audit / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        csv_rows = list(csv.DictReader(handle))
    book = openpyxl.load_workbook(audit / "report.xlsx", read_only=True)
    sheet_rows = list(book["Findings"].iter_rows(values_only=True))
    keys = [(f["supplier_id"], f["rule_id"], f["status"]) for f in report["findings"]]
    assert [(r["supplier_id"], r["rule_id"], r["status"]) for r in csv_rows] == keys
    header = sheet_rows[0]
    columns = [header.index(c) for c in ("supplier_id", "rule_id", "status")]
    assert [tuple(r[c] for c in columns) for r in sheet_rows[1:]] == keys
    assert len(keys) == sum(report["summary"]["findings_by_severity"].values())

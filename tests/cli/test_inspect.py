"""`esg-audit inspect`: what was read, before any rule runs; `--out` tables match `check`."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.pipeline import AuditRequest, run_audit
from esg_audit.reports.cells import CSV_FORMULA_PREFIXES

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
AS_OF = "2026-11-27"
EXPORT_HEADER = ["Supplier Number", "Supplier Name", "Country/Region", "Spend (EUR)",
                 "Renewable electricity share", "Payment Terms", "Green Power Ratio"]


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["inspect", *args, "--as-of", AS_OF])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def export(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in [EXPORT_HEADER,
                ["100234", "Rheinmetall Castings GmbH", "Germany", 250000, 0.62, "NT30", "62%"],
                ["100587", "Thames Fasteners Ltd", "Korea", "lots", 35, "NT60", "35%"]]:
        sheet.append(row)
    path = tmp_path / "supplier_export.xlsx"
    book.save(path)
    return path


def test_inspect_shows_every_mapping_of_an_export(export):
    code, out, _ = _invoke(str(export))

    assert code == 0
    assert out.splitlines() == [
        f"{export}, sheet 'Sheet1' (read as Suppliers)",
        "  header row 1; 2 rows read, 2 kept, 1 with data issues",
        "  Supplier Number              -> supplier_id        (alias)",
        "  Supplier Name                -> name               (alias)",
        "  Country/Region               -> country            (alias)",
        "  Spend (EUR)                  -> annual_spend       (alias; unit EUR)",
        "  Renewable electricity share  -> renewable_share    (alias; percent)",
        "  Payment Terms                -> payment_terms      (NOT RECOGNISED)",
        "  Green Power Ratio            -> green_power_ratio  (NOT RECOGNISED)",
        "  2 columns not recognised: 'Payment Terms', 'Green Power Ratio'; map with --columns, "
        "e.g. columns: {Suppliers: {'Payment Terms': <field>}}",
        "  notes:",
        "    the workbook's only sheet, 'Sheet1', is read as Suppliers",
        "    Country/Region: 1 cell read as ISO 3166-1 alpha-2 codes (Germany → DE)",
        "    Spend (EUR): amounts in EUR, as written (no currency is converted)",
        "    Renewable electricity share: read as percent (values above 1, all within [0, 100]) "
        "and divided by 100",
        "    Payment Terms: column not recognised; kept as payment_terms",
        "    Green Power Ratio: column not recognised; kept as green_power_ratio",
        "  data issues (2):",
        "    row 3, column 'Country/Region' = 'Korea': ambiguous country name (KP or KR)",
        "    row 3, column 'Spend (EUR)' = 'lots': not a number",
        "",
        "1 file, 1 sheet read; 2 data issues; 2 columns not recognised: map with --columns FILE",
    ]


def test_inspect_json_after_a_columns_file(export, tmp_path):
    mapping = tmp_path / "columns.yaml"
    mapping.write_text('columns:\n  Suppliers: {Green Power Ratio: renewable_share}\n',
                       encoding="utf-8")
    code, out, _ = _invoke(str(export), "--columns", str(mapping), "--json")

    assert code == 0
    report = json.loads(out)
    (sheet,) = report["sheets"]
    assert {k: sheet[k] for k in ("sheet", "read_as", "header_row", "rows_read", "rows_kept",
                                  "rows_with_issues", "not_recognised")} == {
        "sheet": "Sheet1", "read_as": "Suppliers", "header_row": 1, "rows_read": 2,
        "rows_kept": 2, "rows_with_issues": 1, "not_recognised": ["Payment Terms"]}
    assert [(c["header"], c["field"], c["matched_by"], c["recognised"], c["unit"], c["share"])
            for c in sheet["columns"]] == [
        ("Supplier Number", "supplier_id", "alias", True, None, None),
        ("Supplier Name", "name", "alias", True, None, None),
        ("Country/Region", "country", "alias", True, None, None),
        ("Spend (EUR)", "annual_spend", "alias", True, "EUR", None),
        # the user's mapping wins: the aliased column is kept apart, with a note
        ("Renewable electricity share", "renewable_electricity_share", "repeats a field",
         False, None, None),
        ("Payment Terms", "payment_terms", "not recognised", False, None, None),
        ("Green Power Ratio", "renewable_share", "mapping", True, None,
         "percent (written with %)"),
    ]
    assert [(i["row"], i["column"], i["problem"]) for i in sheet["data_issues"]] == [
        (3, "Country/Region", "ambiguous country name (KP or KR)"),
        (3, "Spend (EUR)", "not a number"),
    ]
    assert report["unrecognised_columns"] == 1


def _as_csv(text: str) -> str:
    """Text as a CSV writes it: what a spreadsheet would evaluate gets a leading quote."""
    return f"'{text}" if text.startswith(CSV_FORMULA_PREFIXES) else text


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_inspect_out_tables_match_what_check_audits_and_lists(tmp_path):
    out = tmp_path / "tables"
    code, _, stderr = _invoke(str(SAMPLE), "--out", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "Certificates.csv", "Emissions.csv", "Materials.csv", "Suppliers.csv", "data_issues.csv"]

    reports = tmp_path / "reports"
    check = CliRunner().invoke(cli, ["check", str(SAMPLE), "--as-of", AS_OF, "--format", "json",
                                     "--out", str(reports)])
    assert check.exit_code == 0, check.output
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))

    suppliers = _csv_rows(out / "Suppliers.csv")
    assert [r["supplier_id"] for r in suppliers] == [
        s["supplier_id"] for s in report["suppliers"]]
    assert [r["name"] for r in suppliers] == [s["name"] or "" for s in report["suppliers"]]
    issues = _csv_rows(out / "data_issues.csv")
    assert sorted((i["file"], i["sheet"], int(i["row"]), i["column"], i["value"], i["problem"])
                  for i in issues) == sorted(
        (i["file"], i["sheet"], i["row"], i["column"] or "", _as_csv(i["value"] or ""),
         i["problem"])
        for i in report["data_issues"])
    assert len(issues) == report["summary"]["data_issues"] == 7
    # Every non-blank Suppliers row is audited (a table row) or dropped with a data issue.
    dropped = {int(i["row"]) for i in issues if i["sheet"] == "Suppliers"
               and i["problem"].startswith(("no supplier_id", "repeated supplier_id"))}
    audited = [int(r["source_row"]) for r in suppliers]
    assert len(audited) + len(dropped) == report["summary"]["suppliers"]
    assert not dropped & set(audited)

    result = run_audit(AuditRequest((str(SAMPLE),), date.fromisoformat(AS_OF)))
    for sheet, frame in result.data.tables().items():
        rows = _csv_rows(out / f"{sheet}.csv")
        assert [(r["source_file"], r["source_sheet"], int(r["source_row"])) for r in rows] == list(
            zip(frame["_file"], frame["_sheet"], frame["_row"].astype(int), strict=True)), sheet
        assert [r["supplier_id"] for r in rows] == frame["supplier_id"].tolist(), sheet


def test_inspect_tables_keep_types_readable_and_formulas_inert(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text("Supplier ID,Name,Renewable Share (%),Reporting Year,SBTi\n"
                    "S1,=HYPERLINK(\"x\"),45,2025,yes\n", encoding="utf-8")
    out = tmp_path / "tables"
    code, _, stderr = _invoke(str(book), "--out", str(out))
    assert code == 0, stderr
    (row,) = _csv_rows(out / "Suppliers.csv")
    assert {k: row[k] for k in ("source_file", "source_sheet", "source_row", "supplier_id",
                                "name", "renewable_share", "reporting_year", "sbti_target")} == {
        "source_file": str(book), "source_sheet": "Suppliers", "source_row": "2",
        "supplier_id": "S1", "name": "'=HYPERLINK(\"x\")", "renewable_share": "0.45",
        "reporting_year": "2025", "sbti_target": "True"}


def test_inspect_refuses_an_out_that_is_a_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    code, out, stderr = _invoke(str(SAMPLE), "--out", str(target))
    assert code == 2
    assert stderr.strip().splitlines() == [f"error: --out: {target} is a file, not a folder"]

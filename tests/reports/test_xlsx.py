"""report.xlsx: sheets, headers, exact cells and types, colours, chart, continuation sheets and
formula injection, read back with openpyxl."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart

from esg_audit import __version__
from esg_audit.model import SEVERITY_ORDER
from esg_audit.reports import write_reports, xlsx_tables
from esg_audit.reports.style import GRADE_FILLS, STATUS_FILLS
from esg_audit.reports.xlsx import write_xlsx
from tests.reports.fixtures import COMMAND, HYPERLINK_NAME, audit_result, without_suppliers

SHEETS = ["Summary", "Suppliers", "Findings", "Results", "Data Issues", "Audit", "Frameworks"]
HEADERS = {
    "Suppliers": [
        "supplier_id", "name", "country", "category", "score", "grade",
        "environment", "social", "governance",
        "findings_critical", "findings_high", "findings_medium", "findings_low", "findings_info",
        "knockout",
    ],
    "Findings": [
        "severity", "status", "supplier_id", "name", "rule_id", "title", "message",
        "remediation", "due",
    ],
    "Results": ["supplier_id", "ENV-001", "ENV-002", "SOC-001", "GOV-001", "CBAM-001"],
    "Data Issues": ["file", "sheet", "row", "column", "value", "problem"],
    "Audit": ["item", "value", "version", "sha256", "rows"],
    "Frameworks": [
        "framework", "pass", "warn", "fail", "missing", "applicable", "share_passing",
    ],
}
SUPPLIER_ROWS = [
    ["S001", "Alpha Metals GmbH", "DE", "metals", 97.1, "A", 94.1, 100, 100, 0, 0, 0, 1, 0, False],
    ["S002", "Beta Plastics Ltd", "GB", "plastics", 72.8, "B", 70.6, 100, 50, 0, 1, 0, 0, 1, False],
    ["S003", HYPERLINK_NAME, "US", "electronics", 57.4, "C", 14.7, 100, 100, 0, 1, 1, 1, 0, False],
    ["S004", "Delta Textiles SA", "FR", "textiles", 75, "D", 100, 0, 100, 1, 0, 0, 0, 0, True],
    ["S005", None, "CN", "services", None, "N/A", None, None, None, 0, 0, 0, 0, 0, False],
    ["S006", "Zeta Logistics", "NA", "logistics", 51.8, "C", 28.6, 100, 50, 0, 0, 1, 0, 1, False],
]
ISO = "Certify the site's environmental management system to ISO 14001."
RENEWABLE = "Buy renewable electricity or install on-site generation."
CBAM = "Report embedded emissions of CBAM goods per installation."
POLICY = "Publish an anti-bribery and corruption policy."
FINDING_ROWS = [
    ["critical", "fail", "S004", "Delta Textiles SA", "SOC-001", "No forced labour findings",
     "forced labour finding open since 2026-03-02",
     "Commission an independent social audit and close every finding.", datetime(2026, 12, 27)],
    ["high", "fail", "S003", HYPERLINK_NAME, "ENV-001", "Valid ISO 14001 certificate",
     "+no valid ISO 14001 certificate", ISO, datetime(2027, 1, 26)],
    ["high", "warn", "S002", "Beta Plastics Ltd", "ENV-001", "Valid ISO 14001 certificate",
     "ISO 14001 certificate expires in 45 days (2027-01-11)", ISO, datetime(2027, 1, 26)],
    ["medium", "fail", "S006", "Zeta Logistics", "ENV-002", "Renewable electricity share",
     "renewable_share 0.1 is below 0.3", RENEWABLE, datetime(2027, 2, 25)],
    ["medium", "warn", "S003", HYPERLINK_NAME, "ENV-002", "Renewable electricity share",
     "renewable_share 0.45 is below 0.6", RENEWABLE, datetime(2027, 2, 25)],
    ["low", "missing", "S003", HYPERLINK_NAME, "CBAM-001", "Embedded emissions reported",
     "@cbam_embedded_tco2e is missing", CBAM, datetime(2027, 5, 26)],
    ["low", "warn", "S001", "Alpha Metals GmbH", "CBAM-001", "Embedded emissions reported",
     "-12% embedded emissions versus last year, report incomplete", CBAM, datetime(2027, 5, 26)],
    ["info", "missing", "S002", "Beta Plastics Ltd", "GOV-001", "Anti-bribery policy disclosed",
     "anti_bribery_policy is missing", POLICY, datetime(2027, 11, 27)],
    ["info", "warn", "S006", "Zeta Logistics", "GOV-001", "Anti-bribery policy disclosed",
     "policy published but not signed by the board", POLICY, datetime(2027, 11, 27)],
]
RESULT_ROWS = [
    ["S001", "pass", "pass", "pass", "pass", "warn"],
    ["S002", "warn", "pass", "pass", "missing", "pass"],
    ["S003", "fail", "warn", "pass", "pass", "missing"],
    ["S004", "pass", "pass", "fail", "pass", "pass"],
    ["S005", "n/a", "n/a", "n/a", "n/a", "n/a"],
    ["S006", "waived", "fail", "pass", "warn", "pass"],
]
DATA_ISSUE_ROWS = [
    ["inputs/suppliers.xlsx", "Suppliers", 8, "Supplier ID", None,
     "row has data but no supplier_id; not scored"],
    ["inputs/suppliers.xlsx", "Suppliers", 5, "Renewable Share (%)", "140",
     "renewable_share 140% is outside [0, 100]"],
    ["inputs/suppliers.xlsx", "Suppliers", 6, "Country", "=cmd|' /C calc'!A0",
     "not an ISO 3166-1 alpha-2 country code"],
    ["inputs/certificates.csv", "Certificates", 3, None, None,
     "supplier_id S999 is not an audited supplier"],
]
AUDIT_ROWS = [
    ["tool", "esg-audit", __version__, None, None],
    ["as_of", datetime(2026, 11, 27), None, None, None],
    ["generated_at", datetime(2026, 11, 27, 9, 30, 5), None, None, None],
    ["command", COMMAND, None, None, None],
    ["input", "inputs/suppliers.xlsx", None, "c" * 64, 7],
    ["input", "inputs/certificates.csv", None, "d" * 64, 4],
    ["rule_pack", "baseline", "2026.11", "a" * 64, None],
    ["rule_pack", "cbam", "1.0", "b" * 64, None],
    ["waivers", "waivers.yaml", None, "e" * 64, None],
]
FRAMEWORK_ROWS = [
    ["CBAM", 3, 1, 0, 1, 5, 0.6],
    ["CSRD ESRS E1", 3, 1, 0, 1, 5, 0.6],
    ["CSRD ESRS S2", 4, 0, 1, 0, 5, 0.8],
    ["GHG Protocol", 3, 1, 1, 0, 5, 0.6],
    ["ISO 14001", 2, 1, 1, 0, 4, 0.5],
    ["SBTi", 3, 1, 1, 0, 5, 0.6],
]


def write_and_load(tmp_path: Path, result=None) -> openpyxl.Workbook:
    path = tmp_path / "report.xlsx"
    write_xlsx(result if result is not None else audit_result(), path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return write_and_load(tmp_path_factory.mktemp("xlsx"))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def test_sheets_in_order(book):
    assert book.sheetnames == SHEETS


@pytest.mark.parametrize("name", list(HEADERS))
def test_table_sheets_have_header_frozen_filter_and_widths(book, name):
    sheet = book[name]
    columns = HEADERS[name]
    assert header(sheet) == columns
    assert sheet.freeze_panes == ("B2" if name == "Results" else "A2")
    last = openpyxl.utils.get_column_letter(len(columns))
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    for index in range(1, len(columns) + 1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
        assert 6 <= width <= 67  # 67: the Audit sheet's sha256 column shows whole hashes


def test_column_width_follows_content_and_is_capped(tmp_path):
    full = audit_result()
    findings = full.findings.copy()
    findings["message"] = "x" * 300
    book = write_and_load(tmp_path, dataclasses.replace(full, findings=findings))
    widths = book["Findings"].column_dimensions
    assert widths["G"].width == pytest.approx(60.71, abs=0.01)  # message: capped at 60
    assert widths["A"].width == pytest.approx(10.71, abs=0.01)  # severity: "critical" + 2


def test_summary_counts_date_and_totals(book):
    sheet = book["Summary"]
    values = [list(row) for row in sheet.iter_rows(min_col=1, max_col=2, values_only=True)]
    assert values == [
        ["Supplier ESG compliance audit", None],
        ["As of", datetime(2026, 11, 27)],
        [None, None],
        ["Grade", "Suppliers"],
        ["A", 1], ["B", 1], ["C", 2], ["D", 1], ["N/A", 1],
        [None, None],
        ["Severity", "Findings"],
        ["critical", 1], ["high", 2], ["medium", 2], ["low", 2], ["info", 2],
        [None, None],
        ["Suppliers", 7], ["Audited", 6], ["Findings", 9], ["Data issues", 4],
        [None, None],
        # Spend at risk: no supplier of the fixture gave a spend, so every sum is 0 and the
        # six suppliers are counted apart; S004 fails the knockout SOC-001.
        ["Spend at risk", "Annual spend"],
        ["Grade A", 0], ["Grade B", 0], ["Grade C", 0], ["Grade D", 0], ["Grade N/A", 0],
        ["Failing a knockout", 0], ["Knockout suppliers", 1], ["… without spend", 1],
        ["Suppliers without spend", 6],
    ]
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert [fill(sheet[f"A{r}"]) for r in range(5, 10)] == [
        argb(GRADE_FILLS[g]) for g in ("A", "B", "C", "D", "N/A")
    ]


def test_summary_bar_chart_of_grades_beside_the_counts(book):
    charts = book["Summary"]._charts
    assert len(charts) == 1
    chart = charts[0]
    assert isinstance(chart, BarChart)
    assert chart.anchor._from.col == 3 and chart.anchor._from.row == 3  # D4
    series = chart.series[0]
    assert series.cat.strRef.f == "Summary!$A$5:$A$9"
    assert series.val.numRef.f == "Summary!$B$5:$B$9"
    assert [pt.v for pt in series.cat.strRef.strCache.pt] == ["A", "B", "C", "D", "N/A"]
    assert [float(pt.v) for pt in series.val.numRef.numCache.pt] == [1, 1, 2, 1, 1]


def test_suppliers_rows_numbers_and_grade_fills(book):
    sheet = book["Suppliers"]
    assert rows(sheet) == SUPPLIER_ROWS
    for row in sheet.iter_rows(min_row=2):
        grade = row[5].value
        assert {fill(cell) for cell in row} == {argb(GRADE_FILLS[grade])}
        assert row[4].number_format == "0.0"  # score
        assert row[6].number_format == "0.0"  # pillar
        assert row[9].data_type == "n" and row[14].data_type == "b"
    assert sheet["E2"].data_type == "n" and sheet["E2"].value == 97.1


def test_findings_rows_in_order_with_real_due_dates(book):
    sheet = book["Findings"]
    assert rows(sheet) == FINDING_ROWS
    due = [row[8] for row in sheet.iter_rows(min_row=2)]
    assert {cell.number_format for cell in due} == {"yyyy-mm-dd"}
    assert all(cell.is_date for cell in due)


def test_results_matrix_coloured_per_status(book):
    sheet = book["Results"]
    assert rows(sheet) == RESULT_ROWS
    for row in sheet.iter_rows(min_row=2):
        assert fill(row[0]) is None
        assert [fill(cell) for cell in row[1:]] == [argb(STATUS_FILLS[c.value]) for c in row[1:]]


def test_data_issues_rows(book):
    sheet = book["Data Issues"]
    assert rows(sheet) == DATA_ISSUE_ROWS
    assert sheet["C2"].data_type == "n"


def test_audit_rows_with_hashes_and_dates(book):
    sheet = book["Audit"]
    assert rows(sheet) == AUDIT_ROWS
    assert sheet["B3"].number_format == "yyyy-mm-dd"
    assert sheet["B4"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_frameworks_figures(book):
    sheet = book["Frameworks"]
    assert rows(sheet) == FRAMEWORK_ROWS
    assert {row[6].number_format for row in sheet.iter_rows(min_row=2)} == {"0.0%"}


def test_formula_like_text_is_written_as_text(book, tmp_path):
    name_cells = [c for c in book["Suppliers"]["B"] if c.value == HYPERLINK_NAME]
    assert len(name_cells) == 1 and name_cells[0].data_type == "s"
    messages = {c.value: c.data_type for c in book["Findings"]["G"]}
    for text in ("+no valid ISO 14001 certificate", "@cbam_embedded_tco2e is missing",
                 "-12% embedded emissions versus last year, report incomplete"):
        assert messages[text] == "s"
    assert book["Data Issues"]["E4"].value == "=cmd|' /C calc'!A0"
    assert book["Data Issues"]["E4"].data_type == "s"
    # No formula anywhere in the package.
    path = tmp_path / "report.xlsx"
    write_xlsx(audit_result(), path)
    with zipfile.ZipFile(path) as package:
        for member in package.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(member)


def test_long_tables_go_on_in_continuation_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_tables, "ROW_LIMIT", 4)  # header + 3 rows per sheet
    book = write_and_load(tmp_path)
    assert book.sheetnames == [
        "Summary",
        "Suppliers", "Suppliers (2)",
        "Findings", "Findings (2)", "Findings (3)",
        "Results", "Results (2)",
        "Data Issues", "Data Issues (2)",
        "Audit", "Audit (2)", "Audit (3)",
        "Frameworks", "Frameworks (2)",
    ]
    findings = [book[n] for n in ("Findings", "Findings (2)", "Findings (3)")]
    for sheet in findings:
        assert header(sheet) == HEADERS["Findings"]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == "A1:I4"
        assert sheet.max_row == 4
    assert [row for sheet in findings for row in rows(sheet)] == FINDING_ROWS
    results = [book["Results"], book["Results (2)"]]
    assert [row for sheet in results for row in rows(sheet)] == RESULT_ROWS
    assert results[1].freeze_panes == "B2"
    assert rows(book["Data Issues (2)"]) == DATA_ISSUE_ROWS[3:]


def test_empty_tables_keep_their_header_and_filter(tmp_path):
    full = audit_result()
    empty = dataclasses.replace(
        full,
        findings=full.findings.iloc[:0],
        data=dataclasses.replace(full.data, data_issues=()),
        summary=dataclasses.replace(
            full.summary, data_issues=0, findings_by_severity=dict.fromkeys(SEVERITY_ORDER, 0)
        ),
    )
    book = write_and_load(tmp_path, empty)
    assert book.sheetnames == SHEETS
    for name in ("Findings", "Data Issues"):
        assert header(book[name]) == HEADERS[name]
        assert rows(book[name]) == []
        assert book[name].freeze_panes == "A2"
    assert book["Findings"].auto_filter.ref == "A1:I1"
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["critical"] == 0 and summary["Findings"] == 0 and summary["Data issues"] == 0


def test_object_and_numpy_dtypes_give_the_same_cells(tmp_path):
    full = audit_result()
    plain = dataclasses.replace(
        full,
        suppliers=full.suppliers.astype(object).replace({pd.NA: None}),
        findings=full.findings.astype(object),
    )
    book = write_and_load(tmp_path, plain)
    assert rows(book["Suppliers"]) == SUPPLIER_ROWS
    assert rows(book["Findings"]) == FINDING_ROWS


def test_written_atomically_and_through_write_reports(tmp_path, monkeypatch):
    out = tmp_path / "out"
    paths = write_reports(audit_result(), out, ["xlsx", "csv"])
    assert [p.name for p in paths] == ["report.xlsx", "findings.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "report.xlsx"]
    before = (out / "report.xlsx").read_bytes()

    def broken(*args, **kwargs):  # fails after the first rows were streamed
        yield "<row r=\"2\"/>"
        raise RuntimeError("interrupted")

    monkeypatch.setattr(xlsx_tables, "sheet_rows_xml", broken)
    with pytest.raises(RuntimeError):
        write_xlsx(audit_result(), out / "report.xlsx")
    assert (out / "report.xlsx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["findings.csv", "report.xlsx"]


def test_an_audit_with_no_suppliers_gives_headers_only(tmp_path):
    full = audit_result()
    nobody = without_suppliers(full)
    book = write_and_load(tmp_path, nobody)
    assert book.sheetnames == SHEETS
    for name in ("Suppliers", "Findings", "Results", "Data Issues"):
        assert header(book[name]) == HEADERS[name]
        assert rows(book[name]) == []
    assert rows(book["Frameworks"]) == [[r[0], 0, 0, 0, 0, 0, None] for r in FRAMEWORK_ROWS]
    counts = [row[1] for row in book["Summary"].iter_rows(min_row=5, max_row=9, values_only=True)]
    assert counts == [0, 0, 0, 0, 0]


def test_summary_spend_shares_beside_the_spend(book, tmp_path):
    sheet = book["Summary"]
    assert [sheet.cell(23, c).value for c in (1, 2, 3)] == ["Spend at risk", "Annual spend", "Share"]
    assert [sheet[f"C{r}"].value for r in range(24, 29)] == [None] * 5  # no spend given: no share
    path = tmp_path / "report.xlsx"
    write_xlsx(audit_result(), path)
    with zipfile.ZipFile(path) as package:
        chart = package.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:lineChart>" in chart and "Summary!$C$24:$C$28" in chart

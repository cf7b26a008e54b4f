"""SPEC §6: the Excel report's sheets, layout, continuation sheets and formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import html
import zipfile

import pytest
from openpyxl import load_workbook

from esg_audit import __version__
from tests.acceptance.outputs.helpers import (
    AS_OF,
    CERT_HEADER,
    CERT_ROWS,
    RULES,
    SUPPLIER_HEADER,
    SUPPLIER_ROWS,
    invoke,
    read_json,
    write_xlsx,
)

SHEETS = ["Summary", "Suppliers", "Findings", "Results", "Data Issues", "Audit"]


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    book = write_xlsx(folder / "suppliers.xlsx", {
        "Suppliers": [SUPPLIER_HEADER, *SUPPLIER_ROWS], "Certificates": [CERT_HEADER, *CERT_ROWS],
    })
    rules = folder / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    result = invoke("check", book, "--rules", rules, "--as-of", AS_OF, "--out", folder / "out",
                    "--format", "xlsx,json")
    assert result.exit_code == 0, result.stderr
    return folder / "out" / "report.xlsx", read_json(folder / "out" / "report.json")


def _table(ws):
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), [list(r) for r in rows[1:]]


def test_sheets_in_order(xlsx):
    book = load_workbook(xlsx[0])
    assert book.sheetnames[: len(SHEETS)] == SHEETS


def test_summary_counts_by_grade_and_severity_and_a_chart(xlsx):
    path, _ = xlsx
    ws = load_workbook(path)["Summary"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert [cells[g] for g in ("A", "B", "C", "D", "N/A")] == [1, 1, 0, 2, 0]
    assert [cells[s] for s in ("critical", "high", "medium", "low", "info")] == [1, 3, 3, 1, 0]
    with zipfile.ZipFile(path) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1


def test_suppliers_one_row_each_with_scores_grades_pillars_counts_and_grade_colour(xlsx):
    path, report = xlsx
    ws = load_workbook(path)["Suppliers"]
    header, rows = _table(ws)
    for name in ("supplier_id", "name", "score", "grade", "environment", "governance", "social",
                 "findings_critical", "findings_high", "findings_medium", "findings_low",
                 "findings_info"):
        assert name in header
    col = {h: i for i, h in enumerate(header)}
    assert [(r[col["supplier_id"]], r[col["score"]], r[col["grade"]]) for r in rows] == [
        ("S1", 100, "A"), ("S2", 75, "B"), ("S3", 0, "D"), ("S4", 33.3, "D"),
    ]
    assert [(r[col["environment"]], r[col["governance"]], r[col["social"]]) for r in rows] == [
        (100, 100, 100), (50, 100, None), (0, 0, None), (0, 100, 0),
    ]
    counts = [[r[col[f"findings_{s}"]] for s in ("critical", "high", "medium", "low", "info")]
              for r in rows]
    assert counts == [[0, 0, 0, 0, 0], [0, 1, 1, 0, 0], [1, 1, 1, 0, 0], [0, 1, 1, 1, 0]]
    grade_cells = [ws.cell(r, col["grade"] + 1) for r in range(2, 6)]
    fills = [c.fill.fgColor.rgb for c in grade_cells]
    assert fills[2] == fills[3]  # both D
    assert len({fills[0], fills[1], fills[2]}) == 3  # A, B, D differ
    assert all(c.fill.fill_type == "solid" for c in grade_cells)


def test_findings_with_remediation_and_due_date(xlsx):
    path, report = xlsx
    header, rows = _table(load_workbook(path)["Findings"])
    col = {h: i for i, h in enumerate(header)}
    assert {"supplier_id", "rule_id", "severity", "status", "title", "message", "remediation",
            "due"} <= set(header)
    assert [
        (r[col["supplier_id"]], r[col["rule_id"]], r[col["remediation"]], r[col["due"]])
        for r in rows
    ] == [
        (f["supplier_id"], f["rule_id"], f["remediation"], dt.datetime.fromisoformat(f["due"]))
        for f in report["findings"]
    ]


def test_results_matrix(xlsx):
    path, report = xlsx
    header, rows = _table(load_workbook(path)["Results"])
    assert header == ["supplier_id", "ENV-001", "ENV-002", "GOV-001", "SOC-001"]
    assert rows == [
        [s["supplier_id"], *(r["status"] for r in s["results"])] for s in report["suppliers"]
    ]
    assert rows[1] == ["S2", "warn", "warn", "pass", "n/a"]


def test_data_issues_sheet(tmp_path, rules_file):
    book = tmp_path / "s.csv"
    book.write_text("supplier_id,name,country\nS1,One,ZZ\n", encoding="utf-8")
    result = invoke("check", book, "--rules", rules_file, "--as-of", AS_OF,
                    "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    header, rows = _table(load_workbook(tmp_path / "out" / "report.xlsx")["Data Issues"])
    assert header == ["file", "sheet", "row", "column", "value", "problem"]
    assert [r[:5] for r in rows] == [[str(book), "Suppliers", 2, "country", "ZZ"]]


def test_audit_sheet_inputs_with_sha256_rule_packs_as_of_and_version(xlsx):
    path, report = xlsx
    workbook = report["audit"]["inputs"][0]["path"]
    header, rows = _table(load_workbook(path)["Audit"])
    flat = [cell for row in rows for cell in row]
    assert str(workbook) in flat
    assert report["audit"]["inputs"][0]["sha256"] in flat
    assert "acceptance" in flat and "2026.11" in flat
    assert report["audit"]["rule_packs"][0]["sha256"] in flat
    assert __version__ in flat
    assert dt.datetime(2026, 11, 27) in flat


def test_headers_frozen_filters_on_widths_set(xlsx):
    book = load_workbook(xlsx[0])
    for name in SHEETS[1:]:
        ws = book[name]
        assert ws.freeze_panes in ("A2", "B2"), name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        for index in range(1, ws.max_column + 1):
            letter = ws.cell(1, index).column_letter
            assert ws.column_dimensions[letter].width and ws.column_dimensions[letter].customWidth, (
                name, letter)


def test_a_sheet_past_the_row_limit_goes_on_in_a_next_sheet(audit, monkeypatch):
    from esg_audit.reports import xlsx_tables

    monkeypatch.setattr(xlsx_tables, "ROW_LIMIT", 4)  # header + 3 rows per sheet
    result, out = audit("--format", "xlsx,json")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out / "report.xlsx")
    assert [n for n in book.sheetnames if n.startswith("Findings")] == [
        "Findings", "Findings (2)", "Findings (3)",
    ]
    assert [n for n in book.sheetnames if n.startswith("Suppliers")] == [
        "Suppliers", "Suppliers (2)",
    ]
    report = read_json(out / "report.json")
    rows = []
    for name in ("Findings", "Findings (2)", "Findings (3)"):
        header, body = _table(book[name])
        assert header[:3] == ["severity", "status", "supplier_id"]
        assert book[name].freeze_panes == "A2"
        assert len(body) <= 3
        rows += [(r[header.index("supplier_id")], r[header.index("rule_id")]) for r in body]
    assert rows == [(f["supplier_id"], f["rule_id"]) for f in report["findings"]]


FORMULAS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd"]


@pytest.fixture
def hostile(tmp_path, rules_file):
    book = tmp_path / "suppliers.csv"
    book.write_text(
        "supplier_id,name,country,category\n"
        '=1+2,"+SUM(A1:A9)",DE,services\n'
        '-2+3,@cmd,FR,"<b>=x</b>"\n',
        encoding="utf-8",
    )
    result = invoke("check", book, "--rules", rules_file, "--as-of", AS_OF,
                    "--out", tmp_path / "out", "--format", "xlsx,json,csv,html")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "out"


def test_formula_like_text_is_text_in_the_xlsx(hostile):
    book = load_workbook(hostile / "report.xlsx")
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value in FORMULAS:
                    assert cell.data_type in ("s", "inlineStr"), (ws.title, cell.coordinate)
                    seen.add(cell.value)
    assert seen == set(FORMULAS)
    header, rows = _table(book["Suppliers"])
    assert [(r[0], r[1]) for r in rows] == [("=1+2", "+SUM(A1:A9)"), ("-2+3", "@cmd")]


def test_formula_like_text_is_neutralised_in_the_csv(hostile):
    text = (hostile / "findings.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    assert {r["supplier_id"] for r in rows} == {"'=1+2", "'-2+3"}
    assert {r["name"] for r in rows} == {"'+SUM(A1:A9)", "'@cmd"}


def test_formula_like_text_is_escaped_in_html(hostile):
    page = (hostile / "report.html").read_text(encoding="utf-8")
    assert "<b>=x</b>" not in page
    assert html.escape("<b>=x</b>", quote=False) in page or "&lt;b&gt;=x&lt;/b&gt;" in page
    assert "+SUM(A1:A9)" in page

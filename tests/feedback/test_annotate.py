"""`esg-audit annotate`: one feedback workbook per returned file, marking exactly the cells of
that file's data issues and listing exactly that file's findings; the inputs never change."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest

from tests.acceptance.outputs.helpers import AS_OF, RULES, invoke

ISSUE_FILL = "00FFC7CE"
ROW_FILL = "00F8CBAD"


def plant(folder: Path) -> Path:
    """Two returned files: a workbook with a bad share, a row without id and a bad date, and
    a CSV whose second row repeats a supplier of the workbook; plus an Office lock file."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active["A1"] = "Please fill in"
    suppliers = book.create_sheet("Suppliers")
    for row in [["Supplier ID", "Name", "Country", "Category", "Renewable Share",
                 "On-time Delivery"],
                ["S1", "Acme GmbH", "DE", "services", 0.8, 0.95],
                ["S2", "=1+1", "FR", "metals", "lots", None],
                [None, "Nameless", "DE", "metals", 0.5, None]]:
        suppliers.append(row)
    suppliers["B3"].data_type = "s"  # text that looks like a formula
    certificates = book.create_sheet("Certificates")
    for row in [["Supplier ID", "Standard", "Valid From", "Valid Until", "Status"],
                ["S3", "ISO 14001", dt.date(2025, 1, 1), dt.date(2028, 1, 1), "active"],
                ["S1", "ISO 14001", dt.date(2025, 1, 1), "31.13.2027", "active"]]:
        certificates.append(row)
    book.save(folder / "a-acme.xlsx")
    (folder / "c-gamma.csv").write_text(
        "Supplier ID,Name,Country,Category,Renewable Share\n"
        "S3,Gamma,CN,metals,0.7\n"
        "S1,Dup,DE,metals,0.5\n", encoding="utf-8")
    (folder / "~$a-acme.xlsx").write_bytes(b"lock")
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def marked(book: openpyxl.Workbook) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, cell) -> (fill colour, comment) of every cell after the first sheet that is
    filled as a cell to correct or carries a comment outside the header row (the Chinese
    template's header comments are not marks); rows marked whole: `filled_rows`."""
    return {(ws.title, cell.coordinate): (cell.fill.fgColor.rgb,
                                          cell.comment.text if cell.comment else None)
            for ws in book.worksheets[1:] for row in ws.iter_rows() for cell in row
            if cell.fill.fgColor.rgb == ISSUE_FILL or (cell.comment is not None and cell.row > 1)}


def filled_rows(ws, fill: str) -> set[int]:
    return {cell.row for row in ws.iter_rows() for cell in row if cell.fill.fgColor.rgb == fill}


def section(ws, title: str) -> list[list[object]]:
    """The rows of a titled block of the "To fix" sheet, header included, up to a blank row."""
    rows = [[v for v in row] for row in ws.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    block = []
    for row in rows[start + 1:]:
        if all(v is None for v in row):
            break
        while row and row[-1] is None:
            row = row[:-1]
        block.append(row)
    return block


@pytest.fixture
def annotated(tmp_path):
    folder = plant(tmp_path / "returned")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    before = digests(folder)
    run = invoke("annotate", folder, "--rules", rules, "--as-of", AS_OF,
                 "--out", tmp_path / "feedback")
    assert run.exit_code == 0, run.stderr
    assert digests(folder) == before
    return tmp_path / "feedback", run


def test_one_feedback_workbook_per_returned_file(annotated):
    out, run = annotated
    assert sorted(p.name for p in out.iterdir()) == [
        "a-acme.feedback.xlsx", "c-gamma.feedback.xlsx"]
    assert "annotated 2 files (3 findings, 4 data issues)" in run.stderr


def test_workbook_copy_marks_exactly_its_data_issue_cells(annotated):
    out, _ = annotated
    book = openpyxl.load_workbook(out / "a-acme.feedback.xlsx")
    assert book.sheetnames == ["To fix", "Instructions", "Suppliers", "Certificates"]
    assert book.active.title == "To fix"
    assert marked(book) == {
        ("Suppliers", "E3"): (ISSUE_FILL, "not a number. Expected: a percentage from 0 to 100 "
                                          "(or a fraction from 0 to 1)"),
        ("Suppliers", "A4"): (ROW_FILL, "This row was not audited: no supplier_id. Expected: "
                                        "your supplier number with us, once per supplier"),
        ("Certificates", "D3"): (ISSUE_FILL, "not a date. Expected: a date, YYYY-MM-DD"),
    }
    assert filled_rows(book["Suppliers"], ROW_FILL) == {4}
    assert filled_rows(book["Suppliers"], ISSUE_FILL) == {3}
    assert [c.value for c in book["Suppliers"][4]] == [None, "Nameless", "DE", "metals", 0.5, None]
    # Values as sent; text that looks like a formula stays text.
    assert book["Suppliers"]["B3"].value == "=1+1"
    assert book["Suppliers"]["B3"].data_type == "s"
    assert book["Certificates"]["D3"].value == "31.13.2027"
    assert book["Instructions"]["A1"].value == "Please fill in"


def test_to_fix_lists_the_files_suppliers_findings_and_cells(annotated):
    out, _ = annotated
    ws = openpyxl.load_workbook(out / "a-acme.feedback.xlsx")["To fix"]
    assert ws["A1"].value == "Feedback on a-acme.xlsx"
    # S3's certificate is in this file, so S3 is listed with it.
    assert section(ws, "Suppliers in this file") == [
        ["Supplier ID", "Name", "Grade", "Score"],
        ["S1", "Acme GmbH", "B", 69.7],
        ["S2", "=1+1", "C", 50],
        ["S3", "Gamma", "A", 100],
    ]
    assert ws["B7"].data_type == "s"
    remedy = "Certify the site's environmental management system to ISO 14001."
    due_high, due_medium = dt.datetime(2027, 1, 26), dt.datetime(2027, 2, 25)
    assert section(ws, "Findings") == [
        ["Supplier ID", "Rule", "Requirement", "What was found", "What to do", "Status",
         "Severity", "Due"],
        ["S1", "ENV-001", "Valid ISO 14001 certificate", "no valid ISO 14001 certificate",
         remedy, "fail", "high", due_high],
        ["S2", "ENV-001", "Valid ISO 14001 certificate", "no valid ISO 14001 certificate",
         remedy, "fail", "high", due_high],
        ["S2", "ENV-002", "Renewable electricity share", "missing: renewable_share",
         "Buy renewable electricity.", "missing", "medium", due_medium],
    ]
    cells = section(ws, "Cells to correct")
    assert cells == [
        ["Sheet", "Cell", "Value sent", "Problem", "Expected"],
        ["Suppliers", "E3", "lots", "not a number",
         "a percentage from 0 to 100 (or a fraction from 0 to 1)"],
        ["Suppliers", "A4", None, "This row was not audited: no supplier_id",
         "your supplier number with us, once per supplier"],
        ["Certificates", "D3", "31.13.2027", "not a date", "a date, YYYY-MM-DD"],
    ]
    link = next(c for row in ws.iter_rows() for c in row if c.value == "E3")
    assert link.hyperlink.location == "'Suppliers'!E3"


def test_csv_gets_a_fresh_workbook_with_the_repeat_marked_on_its_row(annotated):
    out, _ = annotated
    book = openpyxl.load_workbook(out / "c-gamma.feedback.xlsx")
    assert book.sheetnames == ["To fix", "Suppliers"]
    rows = [list(r) for r in book["Suppliers"].iter_rows(values_only=True)]
    assert rows == [["Supplier ID", "Name", "Country", "Category", "Renewable Share"],
                    ["S3", "Gamma", "CN", "metals", "0.7"],
                    ["S1", "Dup", "DE", "metals", "0.5"]]
    assert marked(book) == {
        ("Suppliers", "A3"): (ROW_FILL, "This row was not audited: repeated supplier_id (first "
                                        "at a-acme.xlsx, sheet 'Suppliers', row 2). Expected: "
                                        "your supplier number with us, once per supplier"),
    }
    assert filled_rows(book["Suppliers"], ROW_FILL) == {3}
    ws = book["To fix"]
    assert section(ws, "Suppliers in this file")[1:] == [["S3", "Gamma", "A", 100]]
    assert section(ws, "Findings") == [["No findings."]]


def test_feedback_in_chinese_labels_the_sheet_and_statuses(tmp_path):
    folder = plant(tmp_path / "returned")
    rules = tmp_path / "rules.yaml"
    # ENV-001 speaks Chinese; ENV-002 does not and falls back to English.
    rules.write_text(RULES.replace(
        "    title: Valid ISO 14001 certificate\n",
        "    title: Valid ISO 14001 certificate\n"
        "    i18n: {zh: {title: 有效的 ISO 14001 证书, remediation: 按 ISO 14001 认证并提交证书。}}\n",
    ), encoding="utf-8")
    run = invoke("annotate", folder, "--rules", rules, "--as-of", AS_OF,
                 "--out", tmp_path / "fb", "--lang", "zh")
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "fb" / "a-acme.feedback.xlsx")
    assert book.sheetnames[0] == "待整改"
    findings = section(book["待整改"], "审核发现")
    assert findings[0] == ["供应商编号", "规则", "要求", "发现的问题", "整改措施", "状态",
                           "严重程度", "整改期限"]
    assert findings[1] == ["S1", "ENV-001", "有效的 ISO 14001 证书",
                           "no valid ISO 14001 certificate", "按 ISO 14001 认证并提交证书。",
                           "不合格", "高", dt.datetime(2027, 1, 26)]
    assert findings[3][:7] == ["S2", "ENV-002", "Renewable electricity share",
                               "missing: renewable_share", "Buy renewable electricity.",
                               "缺少数据", "中"]
    assert marked(book)[("Certificates", "D3")] == (
        ISSUE_FILL, "not a date。应填写：日期，格式 YYYY-MM-DD")


def test_a_feedback_file_never_replaces_an_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.csv").write_text("Supplier ID,Name\nS1,A\n", encoding="utf-8")
    (folder / "x.feedback.xlsx").write_bytes(b"")
    run = invoke("annotate", folder / "x.csv", folder / "x.feedback.xlsx", "--out", folder,
                 "--as-of", AS_OF)
    assert run.exit_code == 2
    assert "would replace the input" in run.stderr

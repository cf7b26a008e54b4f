"""One feedback workbook: the supplier's sheets copied with the data-issue cells marked, and a
first sheet listing what to fix."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from esg_audit.feedback.marks import CellMark
from esg_audit.feedback.texts import LABELS, SEVERITY_LABELS, STATUS_LABELS, rule_text
from esg_audit.load import read_csv_file, read_workbook_file
from esg_audit.load.discover import extension
from esg_audit.model import AuditResult, RawSheet, Severity, Status

ISSUE_FILL = PatternFill("solid", fgColor="FFC7CE")  # a cell to correct
ROW_FILL = PatternFill("solid", fgColor="F8CBAD")  # a row that was not audited
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
AUTHOR = "esg-audit"
COPIED = (".xlsx", ".xlsm")  # copied sheet by sheet; other formats become a fresh workbook


@dataclass(frozen=True)
class FileFeedback:
    """What the feedback on one input file holds."""

    file: str
    suppliers: pd.DataFrame  # supplier_id, name, grade, score_display
    findings: pd.DataFrame  # the result's findings columns, most urgent first
    marks: tuple[CellMark, ...]


def write_feedback(result: AuditResult, feedback: FileFeedback, target: Path, lang: str, *,
                   max_unpacked_mb: int = 1024) -> None:
    """Write the feedback workbook for one input file to `target` (atomically)."""
    book = _copy_of(feedback.file, max_unpacked_mb)
    placed = _mark(book, feedback.marks, lang)
    _to_fix_sheet(book, result, feedback, placed, lang)
    _as_text(book)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".xlsx.tmp", dir=target.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _copy_of(file: str, max_unpacked_mb: int) -> Workbook:
    if extension(file) in COPIED:
        # The audit has already passed the file through the loader's guards (zip bombs,
        # encryption); openpyxl parses its XML with defusedxml.
        return openpyxl.load_workbook(file, data_only=True, keep_vba=False, keep_links=False)
    if extension(file) == ".csv":
        sheets: tuple[RawSheet, ...] = (read_csv_file(file)[0],)
    else:
        sheets = read_workbook_file(file, max_unpacked_mb)[0].sheets
    book = Workbook()
    book.remove(book.active)
    for raw in sheets:
        sheet = book.create_sheet(raw.sheet[:31])
        rows = [int(r) for r in raw.cells.index]
        for column, (_, values) in enumerate(raw.cells.items()):  # positions 0..n-1
            for row, value in zip(rows, values, strict=True):
                if value is not None and not (isinstance(value, float) and math.isnan(value)):
                    if isinstance(value, str):
                        value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    sheet.cell(row, column + 1, value)
    return book


@dataclass(frozen=True)
class _Placed:
    mark: CellMark
    sheet: str | None  # the sheet's title in the copy, None when the sheet is not there
    coordinate: str | None


def _header_columns(sheet: Worksheet, header_row: int | None) -> dict[str, int]:
    if header_row is None or header_row > sheet.max_row:
        return {}
    found: dict[str, int] = {}
    for cell in sheet[header_row]:
        if cell.value is not None:
            found.setdefault(str(cell.value).strip(), cell.column)
    return found


def _mark(book: Workbook, marks: Iterable[CellMark], lang: str) -> list[_Placed]:
    by_name = {name.strip().lower(): name for name in book.sheetnames}
    headers: dict[tuple[str, int | None], dict[str, int]] = {}
    comments: dict[tuple[str, str], list[str]] = {}
    placed = []
    for mark in marks:
        title = by_name.get(mark.sheet.strip().lower())
        if title is None or mark.row is None:
            placed.append(_Placed(mark, title, None))
            continue
        sheet = book[title]
        key = (title, mark.header_row)
        if key not in headers:
            headers[key] = _header_columns(sheet, mark.header_row)
        column = headers[key].get(mark.header.strip()) if mark.header is not None else None
        if mark.row_not_audited:
            for cell in sheet[mark.row][: max(sheet.max_column, column or 1)]:
                cell.fill = ROW_FILL
        anchor = sheet.cell(mark.row, column or 1)
        if column is not None:
            anchor.fill = ISSUE_FILL if not mark.row_not_audited else ROW_FILL
        comments.setdefault((title, anchor.coordinate), []).append(mark.comment)
        placed.append(_Placed(mark, title, anchor.coordinate))
    for (title, coordinate), texts in comments.items():
        cell = book[title][coordinate]
        text = "\n".join(dict.fromkeys(texts))
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width = 320
        comment.height = 40 + 20 * text.count("\n") + 20 * (len(text) // 50)
        cell.comment = comment
    return placed


def _to_fix_sheet(book: Workbook, result: AuditResult, feedback: FileFeedback,
                  placed: list[_Placed], lang: str) -> None:
    labels = LABELS[lang]
    sheet = book.create_sheet(labels["sheet"], 0)
    for other in book.worksheets:
        other.sheet_view.tabSelected = False
    sheet.sheet_view.tabSelected = True
    book.active = 0
    rows: list[list[Any]] = []
    bold_rows: list[int] = []
    header_rows: list[tuple[int, int]] = []

    def section(title: str, header: list[str], body: list[list[Any]], empty: str) -> int:
        """Append a titled block; return the sheet row of its first body row."""
        rows.append([])
        rows.append([title])
        bold_rows.append(len(rows))
        if body:
            rows.append(header)
            header_rows.append((len(rows), len(header)))
            rows.extend(body)
            return len(rows) - len(body) + 1
        rows.append([empty])
        return len(rows) + 1

    rows.append([labels["title"].format(file=os.path.basename(feedback.file))])
    rows.append([labels["intro"].format(as_of=result.as_of.isoformat())])
    suppliers = feedback.suppliers
    section(labels["suppliers"],
            [labels["supplier_id"], labels["name"], labels["grade"], labels["score"]],
            [[sid, _text(name), grade, _score(score, labels)] for sid, name, grade, score in zip(
                suppliers["supplier_id"], suppliers["name"], suppliers["grade"],
                suppliers["score_display"], strict=True)],
            "—")
    rules = {rule.id: rule for rule in result.ruleset.rules}
    statuses = STATUS_LABELS[lang]
    severities = SEVERITY_LABELS[lang]
    findings = feedback.findings
    body = []
    for sid, rule_id, severity, status, title, message, remediation, due in zip(
            findings["supplier_id"], findings["rule_id"].astype(str),
            findings["severity"].astype(str), findings["status"].astype(str),
            findings["title"].astype(str), findings["message"],
            findings["remediation"].astype(str), findings["due"], strict=True):
        title, remediation = rule_text(rules.get(rule_id), lang, title, remediation)
        body.append([sid, rule_id, title, _text(message), remediation,
                     statuses[Status(status)], severities[Severity(severity)], due])
    section(labels["findings"],
            [labels["supplier_id"], labels["rule"], labels["title_col"], labels["found"],
             labels["remediation"], labels["status"], labels["severity"], labels["due"]],
            body, labels["no_findings"])
    cells_start = section(labels["cells"],
            [labels["sheet_col"], labels["cell"], labels["value"], labels["problem"],
             labels["expected"]],
            [[p.mark.sheet, p.coordinate or labels["whole_row"], p.mark.value or "",
              p.mark.problem, p.mark.expected] for p in placed],
            labels["no_cells"])
    widths = (14, 22, 32, 40, 50, 11, 11, 12)
    for r, values in enumerate(rows, start=1):
        lines = 1
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(r, c, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and len(value) > 40 and r > 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                # Chinese characters take about two widths of a Latin one.
                size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in value)
                lines = max(lines, -(-size // max(widths[c - 1] - 2, 8)))
        if lines > 1:  # spreadsheet programs do not grow a row for wrapped text on opening
            sheet.row_dimensions[r].height = 15 * lines
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A2:H2")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 32
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for r in bold_rows:
        sheet.cell(r, 1).font = Font(bold=True, size=12)
    for r, width in header_rows:
        for c in range(1, width + 1):
            sheet.cell(r, c).fill = HEADER_FILL
            sheet.cell(r, c).font = HEADER_FONT
    for offset, p in enumerate(placed):
        if p.coordinate is not None and p.sheet is not None:
            cell = sheet.cell(cells_start + offset, 2)
            cell.hyperlink = Hyperlink(ref=cell.coordinate,
                                       location=f"{quote_sheetname(p.sheet)}!{p.coordinate}")
            cell.font = Font(color="0563C1", underline="single")
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _score(value: object, labels: dict[str, str]) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return labels["no_score"]
    return float(value)  # type: ignore[arg-type]


def _as_text(book: Workbook) -> None:
    """Every cell that openpyxl would write as a formula (text starting with `=`) is text."""
    for sheet in book.worksheets:
        # The cells that exist (iter_rows would create every empty cell of the used range).
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"

"""report.xlsx: the scored audit as an Excel workbook for compliance officers and management.

Sheets, in order: Summary (counts and a bar chart of grades), Suppliers, Findings, Results
(supplier x rule statuses), Data Issues, Audit (what was audited, with hashes) and Frameworks.
The table sheets are written through `xlsx_tables`, the one adapter to XlsxWriter's internals.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from esg_audit import __version__
from esg_audit.frameworks import STATUS_COLUMNS
from esg_audit.model import GRADES, NO_GRADE, SEVERITY_ORDER, STATUSES, AuditResult
from esg_audit.reports.style import GRADE_FILLS, STATUS_FILLS
from esg_audit.reports.xlsx_tables import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    INTEGER_FORMAT,
    SCORE_FORMAT,
    SHARE_FORMAT,
    Column,
    Formats,
    TableWorkbook,
    bool_values,
    date_values,
    excel_time,
    none_where_missing,
    number_values,
    print_layout,
    text_values,
)

TITLE = "Supplier ESG compliance audit"


def _write_summary(formats: Formats, result: AuditResult) -> None:
    book = formats.book
    sheet = book.add_worksheet("Summary")
    print_layout(sheet)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 12)
    grades = result.summary.by_grade
    severities = result.summary.findings_by_severity
    date_format = formats.get(DATE_FORMAT, None)

    sheet.write_string(0, 0, TITLE, formats.title)
    sheet.write_string(1, 0, "As of", formats.label)
    sheet.write_number(1, 1, float(date_values([result.as_of])[0]), date_format)
    sheet.write_string(3, 0, "Grade", formats.header)
    sheet.write_string(3, 1, "Suppliers", formats.header)
    for offset, grade in enumerate(GRADES):
        sheet.write_string(4 + offset, 0, grade, formats.get(None, GRADE_FILLS[grade]))
        sheet.write_number(4 + offset, 1, int(grades.get(grade, 0)))
    severity_row = 4 + len(GRADES) + 1
    sheet.write_string(severity_row, 0, "Severity", formats.header)
    sheet.write_string(severity_row, 1, "Findings", formats.header)
    for offset, severity in enumerate(SEVERITY_ORDER):
        sheet.write_string(severity_row + 1 + offset, 0, severity)
        sheet.write_number(severity_row + 1 + offset, 1, int(severities.get(severity, 0)))
    totals_row = severity_row + 1 + len(SEVERITY_ORDER) + 1
    totals = (
        ("Suppliers", result.data.supplier_rows),
        ("Audited", len(result.suppliers)),
        ("Findings", len(result.findings)),
        ("Data issues", len(result.data.data_issues)),
    )
    for offset, (label, count) in enumerate(totals):
        sheet.write_string(totals_row + offset, 0, label, formats.label)
        sheet.write_number(totals_row + offset, 1, int(count))

    shares_row = _write_spend(formats, sheet, totals_row + len(totals) + 1, result)

    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Suppliers by grade",
            "categories": ["Summary", 4, 0, 4 + len(GRADES) - 1, 0],
            "values": ["Summary", 4, 1, 4 + len(GRADES) - 1, 1],
            "points": [{"fill": {"color": GRADE_FILLS[g]}} for g in GRADES],
        }
    )
    # One chart: the suppliers per grade, and each grade's share of the spend on a second axis.
    spend_share = book.add_chart({"type": "line"})
    spend_share.add_series({
        "name": "Share of annual spend",
        "categories": ["Summary", 4, 0, 4 + len(GRADES) - 1, 0],
        "values": ["Summary", shares_row, 2, shares_row + len(GRADES) - 1, 2],
        "y2_axis": True,
        "marker": {"type": "diamond", "size": 8},
        "line": {"color": "#404040"},
    })
    chart.combine(spend_share)
    chart.set_title({"name": "Suppliers and spend by grade"})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"name": "Suppliers", "major_gridlines": {"visible": True}})
    spend_share.set_y2_axis({"name": "Share of spend", "num_format": "0%"})
    sheet.insert_chart(3, 3, chart)  # D4, beside the counts


def _write_spend(formats: Formats, sheet: Any, row: int, result: AuditResult) -> int:
    """Spend at risk: annual spend and its share by grade, the spend with suppliers that fail
    a knockout, and the suppliers that gave no spend (counted apart, never as zero)."""
    summary = result.summary
    spend, shares, knockout = (summary.spend_by_grade, summary.spend_share_by_grade,
                               summary.knockout_spend)
    money = formats.get("#,##0", None)
    share_format = formats.get(SHARE_FORMAT, None)
    sheet.set_column(2, 2, 12)
    for column, header in enumerate(("Spend at risk", "Annual spend", "Share")):
        sheet.write_string(row, column, header, formats.header)
    for offset, grade in enumerate(GRADES):
        sheet.write_string(row + 1 + offset, 0, f"Grade {grade}",
                           formats.get(None, GRADE_FILLS[grade]))
        sheet.write_number(row + 1 + offset, 1, float(spend.get(grade, 0.0)), money)
        share = shares.get(grade)
        if share is None:
            sheet.write_blank(row + 1 + offset, 2, None)
        else:
            sheet.write_number(row + 1 + offset, 2, float(share), share_format)
    after = row + 1 + len(GRADES)
    sheet.write_string(after, 0, "Failing a knockout", formats.label)
    sheet.write_number(after, 1, float(knockout.get("spend", 0.0)), money)
    sheet.write_string(after + 1, 0, "Knockout suppliers", formats.label)
    sheet.write_number(after + 1, 1, int(knockout.get("suppliers", 0)))
    sheet.write_string(after + 2, 0, "… without spend", formats.label)
    sheet.write_number(after + 2, 1, int(knockout.get("unknown", 0)))
    sheet.write_string(after + 3, 0, "Suppliers without spend", formats.label)
    sheet.write_number(after + 3, 1, int(spend.get("unknown", 0)))

    return row + 1  # first row of the shares: the grade chart plots them too


def _supplier_columns(result: AuditResult) -> list[Column]:
    suppliers = result.suppliers
    grade = suppliers["grade"].astype("string").fillna(NO_GRADE).to_numpy(dtype=object)
    fills = none_where_missing(pd.Series(grade, dtype=object).map(GRADE_FILLS))
    columns = [
        Column(name, text_values(suppliers[name]), fills=fills)
        for name in ("supplier_id", "name", "country", "category")
    ]
    columns.append(
        Column("score", number_values(suppliers["score_display"]), "number", SCORE_FORMAT, fills)
    )
    columns.append(Column("grade", text_values(grade), fills=fills))
    for pillar in result.pillars:
        scores = number_values(suppliers[f"pillar_display:{pillar}"])
        columns.append(Column(pillar, scores, "number", SCORE_FORMAT, fills))
    for severity in SEVERITY_ORDER:
        counts = number_values(suppliers[f"findings_{severity}"])
        columns.append(Column(f"findings_{severity}", counts, "number", INTEGER_FORMAT, fills))
    columns.append(Column("knockout", bool_values(suppliers["knockout"]), "bool", fills=fills))
    trend = result.trend
    if trend is not None and trend.previous_as_of is not None:
        before = trend.suppliers
        columns += [
            Column("previous_grade", text_values(before["previous_grade"]), fills=fills),
            Column("previous_score", number_values(before["previous_score"]), "number",
                   SCORE_FORMAT, fills),
            Column("score_change", number_values(before["score_change"]), "number",
                   SCORE_FORMAT, fills),
            Column("grade_change", text_values(before["grade_change"]), fills=fills),
        ]
    return columns


def _finding_columns(result: AuditResult) -> list[Column]:
    findings = result.findings
    columns = [
        Column(name, text_values(findings[name]))
        for name in ("severity", "status", "supplier_id", "name", "rule_id", "title", "message",
                     "remediation")
    ]
    columns.append(Column("due", date_values(findings["due"]), "number", DATE_FORMAT))
    trend = result.trend
    if trend is not None:
        history = trend.findings
        columns += [
            Column("overdue", bool_values(history["overdue"]), "bool"),
            Column("open_since", date_values(history["open_since"]), "number", DATE_FORMAT),
            Column("first_due", date_values(history["first_due"]), "number", DATE_FORMAT),
        ]
    return columns


def _result_columns(result: AuditResult) -> list[Column]:
    """The supplier x rule matrix: the result grid as it is, one column per rule."""
    grid = result.results
    matrix = np.array(STATUSES, dtype=object)[grid.status]
    fills = np.array([STATUS_FILLS[s] for s in STATUSES], dtype=object)[grid.status]
    columns = [Column("supplier_id", text_values(grid.supplier_ids.to_numpy(dtype=object)))]
    columns += [
        Column(rule_id, matrix[:, j], fills=fills[:, j], width=max(9.0, len(rule_id) + 2))
        for j, rule_id in enumerate(grid.rule_ids)
    ]
    return columns


def _data_issue_columns(result: AuditResult) -> list[Column]:
    issues = result.data.data_issues
    return [
        Column("file", text_values([i.file for i in issues])),
        Column("sheet", text_values([i.sheet for i in issues])),
        Column("row", number_values([i.row for i in issues]), "number", INTEGER_FORMAT),
        Column("column", text_values([i.column for i in issues])),
        Column("value", text_values([i.value for i in issues])),
        Column("problem", text_values([i.problem for i in issues])),
    ]


def _audit_columns(result: AuditResult) -> list[Column]:
    """What was audited, one item per row: tool, dates, command, inputs, rule packs, waivers."""
    rows: list[tuple[str, Any, str | None, str | None, int | None]] = [
        ("tool", "esg-audit", __version__, None, None),
        ("as_of", result.as_of, None, None, None),
        ("generated_at", excel_time(result.generated_at), None, None, None),
        ("command", result.command, None, None, None),
    ]
    rows += [("input", f.path, None, f.sha256, f.rows) for f in result.data.inputs]
    rows += [("rule_pack", p.name, p.version, p.sha256, None) for p in result.ruleset.packs]
    if result.waivers.path is not None:
        rows.append(("waivers", result.waivers.path, None, result.waivers.sha256, None))
    items, values, versions, hashes, counts = (list(part) for part in zip(*rows, strict=True))
    # The value column holds text, a date (as_of) and a date-time (generated_at).
    is_date = np.array([isinstance(v, date) for v in values])
    serials = date_values([v if isinstance(v, date) else None for v in values])
    text = text_values([None if isinstance(v, date) else v for v in values])
    value_formats = np.array(
        [DATETIME_FORMAT if isinstance(v, datetime) else DATE_FORMAT if isinstance(v, date)
         else None for v in values],
        dtype=object,
    )
    return [
        Column("item", text_values(items)),
        Column("value", _choose(is_date, serials, text), "auto", value_formats, width=40),
        Column("version", text_values(versions)),
        Column("sha256", text_values(hashes), width=66),
        Column("rows", number_values(counts), "number", INTEGER_FORMAT),
    ]


def _choose(condition: np.ndarray, when_true: np.ndarray, otherwise: np.ndarray) -> np.ndarray:
    cells = otherwise.copy()
    cells[condition] = when_true[condition]
    return cells


def _framework_columns(result: AuditResult) -> list[Column]:
    summary = result.frameworks
    columns = [Column("framework", text_values(summary["framework"]))]
    columns += [
        Column(name, number_values(summary[name]), "number", INTEGER_FORMAT)
        for name in (*STATUS_COLUMNS, "applicable")
    ]
    columns.append(
        Column("share_passing", number_values(summary["share_passing"]), "number", SHARE_FORMAT)
    )
    return columns


def write_xlsx(result: AuditResult, path: Path) -> None:
    """Write the Excel report of `result` to `path` atomically."""
    workbook = TableWorkbook(
        {"title": TITLE, "created": excel_time(result.generated_at), "comments": result.command}
    )
    _write_summary(workbook.formats, result)
    workbook.add_table("Suppliers", _supplier_columns(result))
    workbook.add_table("Findings", _finding_columns(result))
    workbook.add_table("Results", _result_columns(result), freeze_columns=1)
    workbook.add_table("Data Issues", _data_issue_columns(result))
    workbook.add_table("Audit", _audit_columns(result))
    workbook.add_table("Frameworks", _framework_columns(result))
    workbook.save(path)

"""report.xlsx: the scored audit as an Excel workbook for compliance officers and management.

Sheets, in order: Summary (counts and a bar chart of grades), Suppliers, Findings, Results
(supplier x rule statuses), Data Issues, Audit (what was audited, with hashes) and Frameworks.
XlsxWriter builds the workbook (styles, chart, frozen panes, filters, widths, headers); the
table rows are then streamed into the package as XML built column-wise (`cells.sheet_rows_xml`),
since a library call per cell made a 100,000-supplier report take minutes. A table longer than
Excel's row limit goes on in `<sheet> (2)`, `<sheet> (3)`, ... with the header repeated, so
nothing is cut. Text is always written as text, never as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from esg_audit import __version__
from esg_audit.model import GRADES, NO_GRADE, SEVERITY_ORDER, STATUSES, AuditResult
from esg_audit.reports.atomic import atomic_path
from esg_audit.reports.cells import SheetColumn, column_letter, sheet_rows_xml, xml_size_bound
from esg_audit.reports.frameworks import STATUS_COLUMNS, framework_summary
from esg_audit.reports.style import GRADE_FILLS, HEADER_FILL, STATUS_FILLS

ROW_LIMIT = 1_048_576  # rows per sheet, header included (Excel's limit); tests lower it
TITLE = "Supplier ESG compliance audit"

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
SCORE_FORMAT = "0.0"
INTEGER_FORMAT = "0"
SHARE_FORMAT = "0.0%"


MIN_WIDTH, MAX_WIDTH = 6.0, 60.0
WIDTH_SAMPLE = 2_000  # rows looked at to size a text column
ZIP_LEVEL = 1  # fastest deflate: a 100,000-supplier report holds ~1 GB of sheet XML
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Column:
    """One column of a table sheet, as whole-column arrays (no per-row work before writing).

    `values` holds one cell per row: for "number" a float array (NaN: blank; dates as Excel
    serial numbers); for "text", "bool" and "auto" (str or number per cell) an object array
    with None for a blank cell. `fills` is one fill colour for the whole column or one (or
    None) per row; `num_format` is one number format, or one per row (small tables only).
    """

    header: str
    values: np.ndarray
    kind: str = "text"
    num_format: str | np.ndarray | None = None
    fills: str | np.ndarray | None = None
    width: float | None = None


class _Formats:
    """Cell formats, each created once per workbook and shared by every cell that uses it."""

    def __init__(self, book: xlsxwriter.Workbook):
        self._book = book
        self._cache: dict[tuple[Any, ...], Format] = {}
        self.header = book.add_format(
            {"bold": True, "bg_color": HEADER_FILL, "pattern": 1, "bottom": 1}
        )
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.label = book.add_format({"bold": True})

    def get(self, num_format: str | None, fill: str | None) -> Format | None:
        if num_format is None and fill is None:
            return None
        key = (num_format, fill)
        if key not in self._cache:
            props: dict[str, Any] = {}
            if num_format is not None:
                props["num_format"] = num_format
            if fill is not None:
                props.update(bg_color=fill, pattern=1)
            self._cache[key] = self._book.add_format(props)
        return self._cache[key]

    def index(self, num_format: str | None, fill: str | None) -> int:
        """The style (xf) index that cells in the sheet XML refer to; 0 is Excel's default.

        Asking XlsxWriter for the index registers the format in the workbook's styles, as
        writing a cell with it would.
        """
        fmt = self.get(num_format, fill)
        return 0 if fmt is None else int(fmt._get_xf_index())

    def styles(self, column: Column) -> int | np.ndarray:
        """The column's style index: one for all rows, or one per row when fills vary."""
        rows = len(column.values)
        if isinstance(column.num_format, np.ndarray):  # small tables only (Audit)
            fills = column.fills
            if not isinstance(fills, np.ndarray):
                fills = np.full(rows, fills, dtype=object)
            return np.array(
                [self.index(nf, fill) for nf, fill in zip(column.num_format, fills, strict=True)],
                dtype=np.int64,
            )
        if not isinstance(column.fills, np.ndarray):
            return self.index(column.num_format, column.fills)
        codes, colours = pd.factorize(pd.Series(column.fills, dtype=object))
        indices = [self.index(column.num_format, colour) for colour in colours]
        indices.append(self.index(column.num_format, None))
        return np.array(indices, dtype=np.int64)[codes]  # code -1 (no fill) takes the last


# --- column builders: pandas in, arrays out -----------------------------------------------


CellValues = pd.Series | np.ndarray | Sequence[Any]


def _none_where_missing(values: pd.Series) -> np.ndarray:
    cells = values.to_numpy(dtype=object, copy=True)
    cells[pd.isna(cells)] = None
    return cells


def text_values(values: CellValues) -> np.ndarray:
    """Text cells: str, or None where missing or empty."""
    text = pd.Series(values, dtype=object).astype("string")
    return _none_where_missing(text.mask(text == ""))


def number_values(values: CellValues) -> np.ndarray:
    """Number cells as floats, NaN where missing."""
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce")
    return numbers.to_numpy(dtype="float64", na_value=np.nan)


def date_values(values: CellValues) -> np.ndarray:
    """Dates or date-times as Excel serial numbers (days since 1899-12-30), NaN where missing."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", utc=True)
    naive = stamps.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    serials = (naive - _EXCEL_EPOCH) / _DAY
    serials[np.isnat(naive)] = np.nan
    return serials


def bool_values(values: CellValues) -> np.ndarray:
    """Boolean cells: True, False, or None where missing."""
    return _none_where_missing(pd.Series(values, dtype=object).astype("boolean"))


def _width(column: Column) -> float:
    """Column width from the header and the typical (90th percentile) text length, capped."""
    if column.width is not None:
        return column.width
    if column.kind == "text":
        sample = pd.Series(column.values[:WIDTH_SAMPLE], dtype=object).dropna()
        typical = float(sample.astype(str).str.len().quantile(0.9)) if len(sample) else 0.0
    elif isinstance(column.num_format, str) and column.num_format in (DATE_FORMAT, DATETIME_FORMAT):
        typical = float(len(column.num_format))
    else:
        typical = 8.0
    return min(MAX_WIDTH, max(MIN_WIDTH, len(column.header), typical) + 2)


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SheetRows:
    """Rows start..stop-1 of a table, to be streamed into the sheet stored at `part`."""

    part: str
    cells: tuple[SheetColumn, ...]
    start: int
    stop: int


def _add_table(
    book: xlsxwriter.Workbook,
    formats: _Formats,
    name: str,
    columns: Sequence[Column],
    freeze_columns: int = 0,
) -> list[_SheetRows]:
    """Add a table's sheets: header frozen, filter on, widths set; `name (2)`... past ROW_LIMIT.

    Only the header is written here; the rows follow in `_assemble`.
    """
    rows = len(columns[0].values)
    per_sheet = max(1, ROW_LIMIT - 1)
    cells = tuple(
        SheetColumn(column.values, column.kind, formats.styles(column)) for column in columns
    )
    widths = [_width(column) for column in columns]
    pending = []
    for chunk in range(max(1, -(-rows // per_sheet))):
        sheet = book.add_worksheet(name if chunk == 0 else f"{name} ({chunk + 1})")
        start, stop = chunk * per_sheet, min(rows, (chunk + 1) * per_sheet)
        sheet.freeze_panes(1, freeze_columns)
        sheet.autofilter(0, 0, stop - start, len(columns) - 1)
        _print_layout(sheet)
        sheet.repeat_rows(0)
        for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
            sheet.set_column(index, index, width)
            sheet.write_string(0, index, column.header, formats.header)
        # XlsxWriter stores the n-th worksheet (1-based) as xl/worksheets/sheet<n>.xml.
        part = f"xl/worksheets/sheet{sheet.index + 1}.xml"
        pending.append(_SheetRows(part, cells, start, stop))
    return pending


def _print_layout(sheet: Worksheet) -> None:
    # Printed or exported to PDF, a sheet is as wide as one landscape page.
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _assemble(skeleton: bytes, tables: Sequence[_SheetRows], target: Path) -> None:
    """Copy the workbook package to `target`, streaming each table's rows into its sheet."""
    by_part = {table.part: table for table in tables}
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as package,
    ):
        for info in source.infolist():
            table = by_part.get(info.filename)
            if table is None:
                package.writestr(info, source.read(info))
                continue
            head, tail = source.read(info).decode("utf-8").split("</sheetData>", 1)
            last = f"{column_letter(len(table.cells) - 1)}{table.stop - table.start + 1}"
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>', head, count=1)
            # ZIP64 only where a sheet may pass 2 GiB: some readers dislike it where not needed.
            large = xml_size_bound(table.cells, table.start, table.stop) > zipfile.ZIP64_LIMIT
            with package.open(info.filename, "w", force_zip64=large) as stream:
                stream.write(head.encode("utf-8"))
                for xml in sheet_rows_xml(table.cells, table.start, table.stop, first_row=2):
                    stream.write(xml.encode("utf-8"))
                stream.write(("</sheetData>" + tail).encode("utf-8"))


def _write_summary(book: xlsxwriter.Workbook, formats: _Formats, result: AuditResult) -> None:
    sheet = book.add_worksheet("Summary")
    _print_layout(sheet)
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

    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Suppliers by grade",
            "categories": ["Summary", 4, 0, 4 + len(GRADES) - 1, 0],
            "values": ["Summary", 4, 1, 4 + len(GRADES) - 1, 1],
            "points": [{"fill": {"color": GRADE_FILLS[g]}} for g in GRADES],
        }
    )
    chart.set_title({"name": "Suppliers by grade"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"name": "Suppliers", "major_gridlines": {"visible": True}})
    sheet.insert_chart(3, 3, chart)  # D4, beside the counts


def _supplier_columns(result: AuditResult) -> list[Column]:
    suppliers = result.suppliers
    grade = suppliers["grade"].astype("string").fillna(NO_GRADE).to_numpy(dtype=object)
    fills = _none_where_missing(pd.Series(grade, dtype=object).map(GRADE_FILLS))
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
    return columns


def _finding_columns(result: AuditResult) -> list[Column]:
    findings = result.findings
    columns = [
        Column(name, text_values(findings[name]))
        for name in ("severity", "status", "supplier_id", "name", "rule_id", "title", "message",
                     "remediation")
    ]
    columns.append(Column("due", date_values(findings["due"]), "number", DATE_FORMAT))
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
        ("generated_at", _utc(result.generated_at), None, None, None),
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
    summary = framework_summary(result)
    columns = [Column("framework", text_values(summary["framework"]))]
    columns += [
        Column(name, number_values(summary[name]), "number", INTEGER_FORMAT)
        for name in (*STATUS_COLUMNS, "applicable")
    ]
    columns.append(
        Column("share_passing", number_values(summary["share_passing"]), "number", SHARE_FORMAT)
    )
    return columns


def _utc(moment: datetime) -> datetime:
    """Excel has no time zones: an aware time is written as UTC wall-clock time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _skeleton(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """A workbook that holds headers, styles and charts; table rows are streamed in later."""
    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def write_tables(path: Path, tables: Sequence[tuple[str, Sequence[Column]]]) -> None:
    """A workbook of plain table sheets (header frozen, filter on, widths set), atomically."""
    skeleton = io.BytesIO()
    book = _skeleton(skeleton)
    formats = _Formats(book)
    pending = [part for name, columns in tables for part in _add_table(book, formats, name, columns)]
    book.close()
    with atomic_path(Path(path)) as tmp:
        _assemble(skeleton.getvalue(), pending, tmp)


def write_xlsx(result: AuditResult, path: Path) -> None:
    """Write the Excel report of `result` to `path` atomically."""
    skeleton = io.BytesIO()
    book = _skeleton(skeleton)
    book.set_properties(
        {"title": TITLE, "created": _utc(result.generated_at), "comments": result.command}
    )
    formats = _Formats(book)
    _write_summary(book, formats, result)
    tables = [
        *_add_table(book, formats, "Suppliers", _supplier_columns(result)),
        *_add_table(book, formats, "Findings", _finding_columns(result)),
        *_add_table(book, formats, "Results", _result_columns(result), freeze_columns=1),
        *_add_table(book, formats, "Data Issues", _data_issue_columns(result)),
        *_add_table(book, formats, "Audit", _audit_columns(result)),
        *_add_table(book, formats, "Frameworks", _framework_columns(result)),
    ]
    book.close()
    with atomic_path(Path(path)) as tmp:
        _assemble(skeleton.getvalue(), tables, tmp)

"""The one adapter to XlsxWriter's internals: workbooks of table sheets whose rows are streamed
into the package as XML built column-wise (`cells.sheet_rows_xml`), since a library call per
cell made a 100,000-supplier report take minutes.

XlsxWriter builds each workbook's skeleton (styles, charts, frozen panes, filters, widths,
headers). Two things it does not document are relied on here, and checked every time a
workbook is written, so that an XlsxWriter release that changes them stops the write with a
clear error instead of producing a broken file:
- a cell format's style index (`Format._get_xf_index`), which the streamed cells refer to;
- the package layout: which part holds which worksheet (read from xl/workbook.xml and its
  relationships, never assumed), and in each worksheet part one `<dimension ref=".."/>` and one
  `</sheetData>`, between which the rows go.
setup.cfg bounds XlsxWriter to the releases the tests cover (SUPPORTED_XLSXWRITER).

A table longer than Excel's row limit goes on in `<sheet> (2)`, `<sheet> (3)`, ... with the
header repeated, so nothing is cut. Text is always written as text, never as a formula.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.format import Format  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from esg_audit.reports.atomic import atomic_path
from esg_audit.reports.cells import SheetColumn, column_letter, sheet_rows_xml, xml_size_bound
from esg_audit.reports.style import HEADER_FILL

SUPPORTED_XLSXWRITER = ">=3.1,<3.4"  # as in setup.cfg; the tests run on a release in it
ROW_LIMIT = 1_048_576  # rows per sheet, header included (Excel's limit); tests lower it

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
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class XlsxWriterChanged(RuntimeError):
    """XlsxWriter no longer builds a workbook the way this adapter relies on."""

    def __init__(self, what: str):
        super().__init__(
            f"XlsxWriter {xlsxwriter.__version__} {what}; esg-audit supports XlsxWriter "
            f"{SUPPORTED_XLSXWRITER} (pip install 'XlsxWriter{SUPPORTED_XLSXWRITER}')"
        )


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


class Formats:
    """Cell formats, each created once per workbook and shared by every cell that uses it."""

    def __init__(self, book: xlsxwriter.Workbook):
        self._book = book
        self._cache: dict[tuple[Any, ...], Format] = {}
        self.header = book.add_format(
            {"bold": True, "bg_color": HEADER_FILL, "pattern": 1, "bottom": 1}
        )
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.label = book.add_format({"bold": True})
        self.book = book

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
        if fmt is None:
            return 0
        xf_index = getattr(fmt, "_get_xf_index", None)
        if xf_index is None:
            raise XlsxWriterChanged("has no Format._get_xf_index (the style index of a format)")
        return int(xf_index())

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


def none_where_missing(values: pd.Series) -> np.ndarray:
    cells = values.to_numpy(dtype=object, copy=True)
    cells[pd.isna(cells)] = None
    return cells


def text_values(values: CellValues) -> np.ndarray:
    """Text cells: str, or None where missing or empty."""
    text = pd.Series(values, dtype=object).astype("string")
    return none_where_missing(text.mask(text == ""))


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
    return none_where_missing(pd.Series(values, dtype=object).astype("boolean"))


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
    """Rows start..stop-1 of a table, to be streamed into the worksheet named `sheet`."""

    sheet: str
    cells: tuple[SheetColumn, ...]
    start: int
    stop: int


def _add_table(
    book: xlsxwriter.Workbook,
    formats: Formats,
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
        print_layout(sheet)
        sheet.repeat_rows(0)
        for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
            sheet.set_column(index, index, width)
            sheet.write_string(0, index, column.header, formats.header)
        pending.append(_SheetRows(sheet.name, cells, start, stop))
    return pending


def print_layout(sheet: Worksheet) -> None:
    # Printed or exported to PDF, a sheet is as wide as one landscape page.
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _assemble(skeleton: bytes, tables: Sequence[_SheetRows], target: Path) -> None:
    """Copy the workbook package to `target`, streaming each table's rows into its sheet.

    Raises XlsxWriterChanged, before anything is written, when a table's worksheet cannot be
    found in the package or its XML lacks the one `<dimension/>` and `</sheetData>` it needs.
    """
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as package,
    ):
        parts = worksheet_parts(source)
        names = set(source.namelist())
        by_part: dict[str, tuple[_SheetRows, str, str]] = {}
        for table in tables:
            part = parts.get(table.sheet)
            if part is None or part not in names:
                raise XlsxWriterChanged(f"wrote no worksheet part for sheet '{table.sheet}'")
            xml = source.read(part).decode("utf-8")
            if xml.count("</sheetData>") != 1 or len(_DIMENSION.findall(xml)) != 1:
                raise XlsxWriterChanged(
                    f"wrote {part} without exactly one <dimension/> and one </sheetData>"
                )
            head, tail = xml.split("</sheetData>", 1)
            by_part[part] = (table, head, tail)
        for info in source.infolist():
            if info.filename not in by_part:
                package.writestr(info, source.read(info))
                continue
            table, head, tail = by_part[info.filename]
            last = f"{column_letter(len(table.cells) - 1)}{table.stop - table.start + 1}"
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>', head, count=1)
            # ZIP64 only where a sheet may pass 2 GiB: some readers dislike it where not needed.
            large = xml_size_bound(table.cells, table.start, table.stop) > zipfile.ZIP64_LIMIT
            with package.open(info.filename, "w", force_zip64=large) as stream:
                stream.write(head.encode("utf-8"))
                for xml in sheet_rows_xml(table.cells, table.start, table.stop, first_row=2):
                    stream.write(xml.encode("utf-8"))
                stream.write(("</sheetData>" + tail).encode("utf-8"))


def worksheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's name and the package part that holds it, as the package itself says
    (xl/workbook.xml and xl/_rels/workbook.xml.rels)."""
    try:
        workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as error:
        raise XlsxWriterChanged(f"wrote no readable xl/workbook.xml and its rels ({error})") from None
    targets = {
        r.get("Id"): posixpath.normpath(posixpath.join("xl", r.get("Target", "")))
        for r in rels.iter(f"{_PACKAGE_RELS}Relationship")
    }
    return {
        sheet.get("name", ""): targets.get(sheet.get(f"{_DOC_RELS}id"), "")
        for sheet in workbook.iter(f"{_MAIN}sheet")
    }


def excel_time(moment: datetime) -> datetime:
    """Excel has no time zones: an aware time is written as UTC wall-clock time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def workbook_skeleton(buffer: io.BytesIO) -> xlsxwriter.Workbook:
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


class TableWorkbook:
    """A workbook being built: XlsxWriter's `book` and `formats` for free-form sheets (a
    summary with a chart), `add_table` for table sheets, `save` to write it atomically."""

    def __init__(self, properties: dict[str, Any] | None = None):
        self._buffer = io.BytesIO()
        self.book = workbook_skeleton(self._buffer)
        if properties:
            self.book.set_properties(properties)
        self.formats = Formats(self.book)
        self._pending: list[_SheetRows] = []

    def add_table(self, name: str, columns: Sequence[Column], freeze_columns: int = 0) -> None:
        self._pending += _add_table(self.book, self.formats, name, columns, freeze_columns)

    def save(self, path: Path) -> None:
        self.book.close()
        with atomic_path(Path(path)) as tmp:
            _assemble(self._buffer.getvalue(), self._pending, tmp)


def write_tables(path: Path, tables: Sequence[tuple[str, Sequence[Column]]]) -> None:
    """A workbook of plain table sheets (header frozen, filter on, widths set), atomically."""
    workbook = TableWorkbook()
    for name, columns in tables:
        workbook.add_table(name, columns)
    workbook.save(path)

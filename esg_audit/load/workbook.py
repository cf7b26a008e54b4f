"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> raw sheets, read with fastexcel.

fastexcel (python-calamine's Rust core, straight to Arrow) reads every cell as text: numbers
as their shortest form (`1`, `0.25`), dates as ISO 8601 (`2024-01-02 00:00:00`), booleans as
`true`/`false`; text cells as written (`0012` stays `0012`). No Python object is built per
cell until the frame is made. python-calamine opens the workbook first, for what fastexcel
does not tell: the sheets' types (worksheet, chart, macro sheet) and an encrypted workbook.
Values only: calamine reads the cached value of a formula and never runs a macro. Only
worksheets whose name is one of the four audited sheets are read (hidden ones included);
chart and macro sheets are skipped. The used range is read from its first cell, so a sheet
whose data begins at row 3 or column C keeps Excel's row numbers in the frame's index;
columns are numbered from the first used column. calamine gives an error cell (#N/A, #DIV/0!)
as empty; `error_cells.py` finds them, and the raw sheet lists them beside its cells. fastexcel
writes a number rounded to nine decimals (0.683571530119101 -> "0.68357153"); the same pass
over an .xlsx sheet's XML finds the numbers written with more decimals, and those cells are
written out in full (an .xls or .ods sheet's columns that may hold one are read again, as
numbers).
A workbook whose one worksheet has none of those names (an ERP export's `Sheet1`) is read as
Suppliers, with a note.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from esg_audit.errors import HostileInputError, InputFileError
from esg_audit.load.cells import canonical_sheet, data_row_count, text_frame
from esg_audit.load.error_cells import (
    ErrorPositions,
    FineNumbers,
    SheetScan,
    changed_by_rounding,
    scan_sheet,
    sheet_part,
)
from esg_audit.load.guards import ENCRYPTED
from esg_audit.model import DataIssue, ErrorCells, Location, RawSheet

# The extensions python-calamine's from_path opens by name; other names are sniffed.
_EXTENSIONS = {"zip": (".xlsx", ".xlsm", ".ods"), "ole2": (".xls",)}


@dataclass(frozen=True)
class WorkbookSheets:
    """The audited sheets read from one workbook, the names of all its sheets, and the
    non-blank rows below the audited sheets' headers."""

    sheets: tuple[RawSheet, ...]
    all_names: tuple[str, ...]
    data_rows: int
    issues: tuple[DataIssue, ...] = ()  # whole-file problems (a form that cannot be read)


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _open(path: str, kind: str) -> CalamineWorkbook:
    if path.lower().endswith(_EXTENSIONS.get(kind, ())):
        return CalamineWorkbook.from_path(path)
    with open(path, "rb") as stream:  # e.g. an .xlsx saved under an .xls name
        return CalamineWorkbook.from_filelike(stream)


def read_workbook(path: str, kind: str) -> WorkbookSheets:
    """Read the audited sheets of a workbook whose container `kind` is "zip" or "ole2".

    calamine parses without holding Python's GIL, so the sheets are parsed side by side, one
    thread per core, each with its own handle on the file: on two cores a four-sheet workbook
    reads in about 0.6 of the time one sheet after another takes. The error cells and the
    finely written numbers are found meanwhile, by one more thread (it mostly unpacks, which
    does not hold the GIL either).
    """
    location = Location(file=path)
    try:
        with _open(path, kind) as book:
            names = tuple(book.sheet_names)
            worksheets = [meta.name for meta in book.sheets_metadata
                          if meta.typ == SheetTypeEnum.WorkSheet]
        wanted = [(name, canonical_sheet(name)) for name in worksheets if canonical_sheet(name)]
        notes: tuple[str, ...] = ()
        if not wanted and len(worksheets) == 1:
            wanted = [(worksheets[0], "Suppliers")]
            notes = (f"the workbook's only sheet, '{worksheets[0]}', is read as Suppliers",)
        workers = max(1, min(len(wanted), os.cpu_count() or 1))
        order = _largest_first(path, [name for name, _ in wanted]) if workers > 1 else []
        with ThreadPoolExecutor(1) as finder:
            scans = {name: finder.submit(scan_sheet, path, name)
                      for name in order or [name for name, _ in wanted]}
            if workers == 1:
                read = [_read_sheet(path, kind, name, canonical, scans[name], notes)
                        for name, canonical in wanted]
            else:
                canonicals = dict(wanted)
                with ThreadPoolExecutor(workers) as pool:
                    jobs = {name: pool.submit(_read_sheet, path, kind, name, canonicals[name],
                                              scans[name], notes) for name in order}
                    read = [jobs[name].result() for name, _ in wanted]
    except PasswordError:
        raise HostileInputError(ENCRYPTED, location) from None
    except BaseException as error:
        # pyo3 turns a Rust panic on a malformed file into PanicException, a BaseException.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise InputFileError(f"cannot read workbook: {_one_line(error)}", location) from None
    sheets = tuple(sheet for sheet, _ in read)
    return WorkbookSheets(sheets, names, sum(rows for _, rows in read))


def _largest_first(path: str, names: list[str]) -> list[str]:
    """`names` in the order their sheets are best read side by side: the largest sheet part
    first, so that no thread starts the longest read last (an .xlsx or .xlsm; other files,
    whose sheets share one stream, keep their order)."""
    try:
        with zipfile.ZipFile(path) as package:
            if "xl/workbook.xml" not in package.namelist():
                return names
            sizes = {}
            for name in names:
                member = sheet_part(package, name)
                sizes[name] = package.getinfo(member).file_size if member else 0
    except Exception:  # only the order is at stake: the reader reports a damaged file
        return names
    return sorted(names, key=lambda name: -sizes[name])


def read_template(path: str, kind: str, reader: Callable[[str, CalamineWorkbook], Any]
                  ) -> WorkbookSheets:
    """A workbook recognised as a form (e.g. the EU CBAM template), read by `reader`, which
    returns an object with `sheets` (tidy RawSheets) and `issues`."""
    try:
        with _open(path, kind) as book:
            names = tuple(book.sheet_names)
            read = reader(path, book)
    except PasswordError:
        raise HostileInputError(ENCRYPTED, Location(file=path)) from None
    except BaseException as error:
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise InputFileError(f"cannot read workbook: {_one_line(error)}",
                             Location(file=path)) from None
    rows = sum(max(len(sheet.cells) - 1, 0) for sheet in read.sheets)
    return WorkbookSheets(tuple(read.sheets), names, rows, tuple(read.issues))


def _fast_reader(path: str, kind: str) -> fastexcel.ExcelReader:
    """A fastexcel reader of its own (a reader is not shared across threads)."""
    if path.lower().endswith(_EXTENSIONS.get(kind, ())):
        return fastexcel.read_excel(path)
    with open(path, "rb") as stream:  # e.g. an .xlsx saved under an .xls name
        return fastexcel.read_excel(stream.read())


def read_text_columns(
    path: str, kind: str, name: str, numbers: Callable[[], FineNumbers | None] | None = None
) -> tuple[list[pa.Array], tuple[int, int]]:
    """The used range of sheet `name` as Arrow text columns (null for an empty cell), and the
    0-based (row, column) of its first cell.

    Rows are read from the sheet's first row (`skip_rows=0`), so the leading blank rows are
    counted, then dropped; columns from the used range's first column. No Python object is
    made per cell. `numbers` gives the sheet's finely written numbers when they are known
    (`error_cells.scan_sheet`); otherwise the columns that may hold one are read again.
    """
    reader = _fast_reader(path, kind)
    loaded = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
    columns = loaded.available_columns()
    left = columns[0].absolute_index if columns else 0
    batch = loaded.to_arrow()
    del loaded  # the sheet's cells as fastexcel holds them: freed before any second read
    height = batch.num_rows
    if not batch.num_columns or not height:
        return [], (0, left)
    texts = [_without_empty(column) for column in batch.columns]
    del batch
    filled = _filled(texts)
    used = np.flatnonzero(filled)
    if not used.size:
        return [pa.nulls(0, pa.string()) for _ in texts], (0, left)
    fine = numbers() if numbers is not None else None
    if fine is not None:
        texts = _with_fine_numbers(texts, left, fine)
    else:
        fractional = [at for at, column in enumerate(texts) if _may_be_rounded(column)]
        if fractional:
            read = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="float",
                                     use_columns=[columns[at].absolute_index
                                                  for at in fractional], eager=True)
            for at, number in zip(fractional, read.columns, strict=True):
                texts[at] = _exact(texts[at], number)
    top, bottom = int(used[0]), int(used[-1]) + 1
    return [_as_shown(column.slice(top, bottom - top)) for column in texts], (top, left)


def read_text_cells(path: str, kind: str, name: str) -> tuple[np.ndarray, tuple[int, int]]:
    """`read_text_columns` as a 2-D object array of text ("" for an empty cell)."""
    texts, start = read_text_columns(path, kind, name)
    height = len(texts[0]) if texts else 0
    values = np.empty((height, len(texts)), dtype=object)
    for position, column in enumerate(texts):
        values[:, position] = column.fill_null("").to_numpy(zero_copy_only=False)
    return values, start


def _without_empty(column: pa.Array) -> pa.Array:
    """A text column with null for every empty cell (an empty text cell reads as "")."""
    empty = pc.equal(column, "")
    if not pc.any(empty).as_py():
        return column
    return pc.if_else(empty, pa.scalar(None, column.type), column)


def _filled(texts: list[pa.Array]) -> np.ndarray:
    """Per row, whether any of `texts` (null where empty) holds a cell."""
    filled = np.zeros(len(texts[0]) if texts else 0, dtype=bool)
    for column in texts:
        if column.null_count < len(column):
            filled |= np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False), dtype=bool)
    return filled


# fastexcel writes a number cell as text rounded to 9 decimals (0.683571530119101 ->
# "0.68357153", 1e-10 -> "0"). A column holding such a text is read again as numbers, and
# each number cell with more precision than that is written out in full (shortest form).
_ROUNDED = r"^-?[0-9]*\.[0-9]+$|^-?0$"


_ZEROS = pa.array(["0", "-0"])


def _may_be_rounded(column: pa.Array) -> bool:
    """Whether a text of the column matches _ROUNDED: literal searches first (a dot, a zero),
    which most text columns fail, then the pattern."""
    if not pc.any(pc.match_substring(column, ".")).as_py() \
            and not pc.any(pc.is_in(column, value_set=_ZEROS)).as_py():
        return False
    return bool(pc.any(pc.match_substring_regex(column, _ROUNDED)).as_py())


def _exact(text: pa.Array, number: pa.Array) -> pa.Array:
    finer = changed_by_rounding(np.asarray(number.to_numpy(zero_copy_only=False),
                                           dtype=np.float64))
    if not finer.any():
        return text
    return pc.if_else(pa.array(finer), pc.cast(number, pa.string()), text)


# fastexcel's text of a number cell (a date's or a boolean's text is not one).
_NUMBER_TEXT = r"^-?[0-9]+(?:\.[0-9]+)?$"


def _with_fine_numbers(texts: list[pa.Array], left: int, fine: FineNumbers) -> list[pa.Array]:
    """`texts` (row 0 = the sheet's first row, column 0 = sheet column `left`) with each of
    the `fine` number cells that fastexcel's text rounds written out in full, as `_exact`
    writes it; a cell whose text is not a number's (a date) keeps its text."""
    if not len(fine.values):
        return texts
    height = len(texts[0])
    rows, columns, values = fine.rows, fine.columns - left, fine.values
    inside = (rows >= 0) & (rows < height) & (columns >= 0) & (columns < len(texts))
    rows, columns, values = rows[inside], columns[inside], values[inside]
    texts = list(texts)
    for column in np.unique(columns):
        mine = columns == column
        at, first = np.unique(rows[mine], return_index=True)
        text = texts[column]
        shown = pc.take(text, pa.array(at))
        number = pc.fill_null(pc.match_substring_regex(shown, _NUMBER_TEXT), False)
        keep = np.asarray(number.to_numpy(zero_copy_only=False), dtype=bool)
        if not keep.any():
            continue
        mask = np.zeros(height, dtype=bool)
        mask[at[keep]] = True
        exact = pc.cast(pa.array(values[mine][first][keep]), pa.string())
        texts[column] = pc.replace_with_mask(text, pa.array(mask), exact)
    return texts


# fastexcel's text of a date or time cell (2026-03-01 00:00:00, 1899-12-31 12:30:00 for a time
# of day, 2025-12-31 10:30:00.5) and of a boolean (true), and the form a person reads (and the
# normaliser has always read): 2026-03-01, 12:30:00, 2025-12-31T10:30:00.5, TRUE.
_STAMP = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?$"
_STAMP_LENGTH = 19


def _as_shown(column: pa.Array) -> pa.Array:
    """Dates, times and booleans of one text column as a person reads them, column-wise.

    The texts' shortest and longest lengths first: most columns hold no text as long as a
    date's and none as short as a boolean's, and are returned as they are. A date is one
    slice, a time of day another, a date with its time has its space replaced by "T".
    """
    lengths = pc.min_max(pc.binary_length(column))
    shortest, longest = lengths["min"].as_py(), lengths["max"].as_py()
    if longest is None:
        return column
    if longest >= _STAMP_LENGTH and pc.any(pc.match_substring(column, ":")).as_py():
        stamp = pc.match_substring_regex(column, _STAMP)
        if pc.any(stamp).as_py():
            midnight = pc.and_(stamp, pc.ends_with(column, " 00:00:00"))
            clock = pc.and_(pc.and_not(stamp, midnight), pc.starts_with(column, "1899-12-31 "))
            column = pc.case_when(pc.make_struct(midnight, clock, stamp),
                                  pc.utf8_slice_codeunits(column, 0, 10),
                                  pc.utf8_slice_codeunits(column, 11, 1 << 30),
                                  pc.utf8_replace_slice(column, 10, 11, "T"), column)
    if shortest <= 5:
        true, false = pc.equal(column, "true"), pc.equal(column, "false")
        if pc.any(true).as_py() or pc.any(false).as_py():
            column = pc.if_else(true, "TRUE", pc.if_else(false, "FALSE", column))
    return column


def _read_sheet(
    path: str, kind: str, name: str, canonical: str, scan: Future[SheetScan],
    notes: tuple[str, ...] = (),
) -> tuple[RawSheet, int]:
    """One sheet as a RawSheet (with its error cells and finely written numbers, found by
    `scan`, and `notes` about the sheet as a whole), and its non-blank rows below the
    header."""
    texts, start = read_text_columns(path, kind, name, lambda: scan.result().numbers)
    found = scan.result().errors
    if len(found):
        texts, start = _spanning(texts, start, found)
    first_row = start[0] + 1
    height = len(texts[0]) if texts else 0
    cells = text_frame(texts, pd.RangeIndex(first_row, first_row + height))
    filled = _filled(texts)
    error_cells = None
    if len(found):
        error_cells = ErrorCells(found.rows + 1, found.columns - start[1], found.texts)
        filled[found.rows - start[0]] = True
    raw = RawSheet(path, name, canonical, cells, error_cells, notes=notes, first_column=start[1])
    return raw, data_row_count(cells, filled)


def _spanning(
    texts: list[pa.Array], start: tuple[int, int], found: ErrorPositions
) -> tuple[list[pa.Array], tuple[int, int]]:
    """The columns widened, with empty cells, so that every error cell lies inside them.

    calamine's used range holds error cells already; this only guards against a reader
    that leaves out a trailing row or column made of errors alone.
    """
    height = len(texts[0]) if texts else 0
    top = min(start[0], int(found.rows.min()))
    left = min(start[1], int(found.columns.min()))
    bottom = max(start[0] + height, int(found.rows.max()) + 1)
    right = max(start[1] + len(texts), int(found.columns.max()) + 1)
    if (top, left) == start and (bottom - top, right - left) == (height, len(texts)):
        return texts, start
    above, below = start[0] - top, bottom - top - height - (start[0] - top)
    padded = [pa.concat_arrays([pa.nulls(above, pa.string()), column.cast(pa.string()),
                                pa.nulls(below, pa.string())]) for column in texts]
    empty = pa.nulls(bottom - top, pa.string())
    before, after = start[1] - left, right - left - len(texts) - (start[1] - left)
    return [empty] * before + padded + [empty] * after, (top, left)

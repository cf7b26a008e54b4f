"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> raw sheets, read with python-calamine.

Values only: calamine reads the cached value of a formula and never runs a macro. Only
worksheets whose name is one of the four audited sheets are read (hidden ones included);
chart and macro sheets are skipped. The used range is read from its first cell, so a sheet
whose data begins at row 3 or column C keeps Excel's row numbers in the frame's index;
columns are numbered from the first used column. calamine gives an error cell (#N/A, #DIV/0!)
as empty; `error_cells.py` finds them, and the raw sheet lists them beside its cells.
A workbook whose one worksheet has none of those names (an ERP export's `Sheet1`) is read as
Suppliers, with a note.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from esg_audit.errors import HostileInputError, InputFileError
from esg_audit.load.cells import canonical_sheet, cells_frame, data_row_count, object_array
from esg_audit.load.error_cells import ErrorPositions, find_error_cells
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
    reads in about 0.6 of the time one sheet after another takes. The error cells are found
    meanwhile, by one more thread (it mostly unpacks, which does not hold the GIL either).
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
        with ThreadPoolExecutor(1) as finder:
            errors = {name: finder.submit(find_error_cells, path, name) for name, _ in wanted}
            if workers == 1:
                read = [_read_sheet(path, kind, name, canonical, errors[name], notes)
                        for name, canonical in wanted]
            else:
                with ThreadPoolExecutor(workers) as pool:
                    read = list(pool.map(
                        lambda w: _read_sheet(path, kind, w[0], w[1], errors[w[0]], notes),
                        wanted))
    except PasswordError:
        raise HostileInputError(ENCRYPTED, location) from None
    except BaseException as error:
        # pyo3 turns a Rust panic on a malformed file into PanicException, a BaseException.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise InputFileError(f"cannot read workbook: {_one_line(error)}", location) from None
    sheets = tuple(sheet for sheet, _ in read)
    return WorkbookSheets(sheets, names, sum(rows for _, rows in read))


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


def _read_sheet(
    path: str, kind: str, name: str, canonical: str, errors: Future[ErrorPositions],
    notes: tuple[str, ...] = (),
) -> tuple[RawSheet, int]:
    """One sheet as a RawSheet (with its error cells, found by `errors`, and `notes` about the
    sheet as a whole), and its non-blank rows below the header."""
    with _open(path, kind) as book:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=True)  # from the first used cell
        start = sheet.start if sheet.start is not None else (0, 0)
    values = object_array(rows)
    found = errors.result()
    if len(found):
        values, start = _spanning(values, start, found)
    first_row = start[0] + 1
    cells, filled = cells_frame(values, pd.RangeIndex(first_row, first_row + len(values)))
    error_cells = None
    if len(found):
        error_cells = ErrorCells(found.rows + 1, found.columns - start[1], found.texts)
        filled[found.rows - start[0]] = True
    raw = RawSheet(path, name, canonical, cells, error_cells, notes=notes)
    return raw, data_row_count(cells, filled)


def _spanning(
    values: np.ndarray, start: tuple[int, int], found: ErrorPositions
) -> tuple[np.ndarray, tuple[int, int]]:
    """The cells widened, with "" (empty), so that every error cell lies inside them.

    calamine's used range holds error cells already; this only guards against a reader
    that leaves out a trailing row or column made of errors alone.
    """
    top = min(start[0], int(found.rows.min()))
    left = min(start[1], int(found.columns.min()))
    bottom = max(start[0] + values.shape[0], int(found.rows.max()) + 1)
    right = max(start[1] + (values.shape[1] if values.ndim == 2 else 0),
                int(found.columns.max()) + 1)
    if (top, left) == start and (bottom - top, right - left) == values.shape:
        return values, start
    wider = np.empty((bottom - top, right - left), dtype=object)
    wider.fill("")
    if values.size:
        wider[start[0] - top : start[0] - top + values.shape[0],
              start[1] - left : start[1] - left + values.shape[1]] = values
    return wider, (top, left)

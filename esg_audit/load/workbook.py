"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> raw sheets, read with python-calamine.

Values only: calamine reads the cached value of a formula and never runs a macro. Only
worksheets whose name is one of the four audited sheets are read (hidden ones included);
chart and macro sheets are skipped. The used range is read from its first cell, so a sheet
whose data begins at row 3 or column C keeps Excel's row numbers in the frame's index;
columns are numbered from the first used column. An error cell (#N/A, #DIV/0!) reads as empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from esg_audit.errors import HostileInputError, InputFileError
from esg_audit.load.cells import canonical_sheet, cells_frame, data_row_count, object_array
from esg_audit.load.guards import ENCRYPTED
from esg_audit.model import Location, RawSheet

# The extensions python-calamine's from_path opens by name; other names are sniffed.
_EXTENSIONS = {"zip": (".xlsx", ".xlsm", ".ods"), "ole2": (".xls",)}


@dataclass(frozen=True)
class WorkbookSheets:
    """The audited sheets read from one workbook, the names of all its sheets, and the
    non-blank rows below the audited sheets' headers."""

    sheets: tuple[RawSheet, ...]
    all_names: tuple[str, ...]
    data_rows: int


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
    """Read the audited sheets of a workbook whose container `kind` is "zip" or "ole2"."""
    location = Location(file=path)
    sheets = []
    data_rows = 0
    try:
        book = _open(path, kind)
        with book:
            names = tuple(book.sheet_names)
            for meta in book.sheets_metadata:
                canonical = canonical_sheet(meta.name)
                if not canonical or meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True)  # from the first used cell
                first_row = sheet.start[0] + 1 if sheet.start is not None else 1
                cells, filled = cells_frame(
                    object_array(rows), pd.RangeIndex(first_row, first_row + len(rows))
                )
                data_rows += data_row_count(cells, filled)
                sheets.append(RawSheet(path, meta.name, canonical, cells))
    except PasswordError:
        raise HostileInputError(ENCRYPTED, location) from None
    except BaseException as error:
        # pyo3 turns a Rust panic on a malformed file into PanicException, a BaseException.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise InputFileError(f"cannot read workbook: {_one_line(error)}", location) from None
    return WorkbookSheets(tuple(sheets), names, data_rows)

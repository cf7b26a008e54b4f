"""Builders for the load tests: real workbooks in every format, and hostile files built on the
fly (no binary fixture is committed)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlwt

from tests.builders import compound_file

Rows = Sequence[Sequence[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows], *, origin: tuple[int, int] = (1, 1)) -> Path:
    """An .xlsx (or .xlsm) with openpyxl; each sheet's rows start at Excel cell `origin`
    (row, column), None leaves a cell empty."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(row=origin[0] + r, column=origin[1] + c, value=value)
    book.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, Rows], *, origin: tuple[int, int] = (1, 1)) -> Path:
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(origin[0] - 1 + r, origin[1] - 1 + c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: dict[str, Rows], *, origin: tuple[int, int] = (1, 1)) -> Path:
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            frame = pd.DataFrame([list(row) for row in rows[1:]], columns=list(rows[0]))
            frame.to_excel(
                writer,
                sheet_name=name,
                index=False,
                startrow=origin[0] - 1,
                startcol=origin[1] - 1,
            )
    return path


def rewrite_zip(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy a zip package member by member; `change(name, data)` returns the new data
    (None drops the member); `extra` members are appended."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture
def xlsx() -> Callable[..., Path]:
    return write_xlsx


@pytest.fixture
def xls() -> Callable[..., Path]:
    return write_xls


@pytest.fixture
def ods() -> Callable[..., Path]:
    return write_ods


@pytest.fixture
def rezip() -> Callable[..., Path]:
    return rewrite_zip


@pytest.fixture
def cfb() -> Callable[[Sequence[str]], bytes]:
    return compound_file


SUPPLIERS: list[list[Any]] = [
    ["supplier_id", "name", "country"],
    ["S1", "Acme", "DE"],
    ["S2", "Beta", "NA"],
]


@pytest.fixture
def suppliers_rows() -> list[list[Any]]:
    return [list(row) for row in SUPPLIERS]

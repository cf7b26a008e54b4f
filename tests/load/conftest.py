"""Builders for the load tests: real workbooks in every format, and hostile files built on the
fly (no binary fixture is committed)."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlwt

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


def compound_file(stream_names: Sequence[str]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose directory holds a root
    entry and empty streams of the given names; the directory spans as many sectors as needed,
    chained through the FAT."""
    entries = [("Root Entry", 5)] + [(name, 2) for name in stream_names]
    per_sector = 512 // 128
    dir_sectors = -(-len(entries) // per_sector)
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sector] + [s + 2 if s + 1 < dir_sectors else end for s in range(dir_sectors)]
    fat += [free] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    directory = bytearray(dir_sectors * 512)
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        offset = i * 128
        directory[offset : offset + len(raw)] = raw
        struct.pack_into("<HBB", directory, offset + 0x40, len(raw), kind, 1)
        struct.pack_into("<III", directory, offset + 0x44, free, free, free)
        struct.pack_into("<IQ", directory, offset + 0x74, end, 0)
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory)


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

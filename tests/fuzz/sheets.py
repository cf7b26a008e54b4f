"""Hypothesis strategies for messy supplier sheets, and the row-accounting property they must keep.

A generated sheet is a header row (always `Supplier ID` and `Name`, so that the header is
found, plus a random choice of other columns, aliases, unknown and blank headers, in random
order) and body rows of the cells suppliers really send: numbers, dates, booleans, percents,
units, missing-markers, text, white space, repeated and missing ids, and Excel error values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import event
from hypothesis import strategies as st

from esg_audit.load.cells import canonical_sheet
from esg_audit.model import AuditData, ErrorCells, InputFile, LoadedInputs, RawSheet

ERROR_VALUES = ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A")


class Error(str):
    """A cell holding an Excel error value (written as an error cell, read as empty)."""


HEADERS = {
    "Suppliers": [
        "Country", "国家", "Category", "Annual Spend (EUR)", "Renewable Share (%)",
        "Renewable Electricity %", "Energy (MWh)", "Energy (GWh)", "Scope 1 (kgCO2e)",
        "Scope 2 (t)", "scope3_tco2e", "Revenue (MUSD)", "Reporting Year", "On-time Delivery",
        "Defect PPM", "Price Index", "SBTi Target", "CBAM Embedded tCO2e", "Notes", "",
    ],
    "Certificates": [
        "Standard", "Certificate No.", "Issuer", "Valid From", "Valid Until", "Status", "",
    ],
    "Emissions": ["Year", "Scope 1 (t)", "Scope 2 (kg)", "Scope 3", ""],
}

IDS = st.sampled_from(["S1", "S2", "S3", "S-4", "1001", " S1 ", "NA"]) | st.integers(1, 5)
TEXTS = st.sampled_from([
    "", " ", "  \t", "N/A", "n/a", "NA", "n.a.", "-", "#N/A", "yes", "no", "是", "否", "x",
    "TRUE", "45%", "100 %", "1,250,000", "1.234,5", "850 kg", "2 t", "1.5 GWh", "abc",
    "2026-01-31", "31.12.2026", "03/04/2026", "25/12/2026", "2026/02/30", "9999-12-31",
    "ISO14001:2015", "iso 45001", "ISO/IEC 27001:2013", "active", "Suspended", "revoked",
    "DE", "de", "Germany", "DEU", "德国", "UK", "XX", "=1+1", "@SUM(A1)", "1e308", "-0",
    "1990", "2027", "1800", "inf", "nan", "0x10",
]) | st.text(max_size=12)
NUMBERS = (
    st.integers(-10**6, 10**6)
    | st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, 0.45, 1, 1.5, 45, 100, 150, 1990, 2025, 2028, 1e15, -1, 1e300])
)
DATES = (
    st.dates(date(1900, 1, 1), date(2199, 12, 31))
    | st.datetimes(datetime(1900, 1, 1), datetime(2199, 12, 31))
    | st.times()
)
CELLS = st.one_of(
    st.none(), TEXTS, NUMBERS, DATES, st.booleans(),
    st.sampled_from(ERROR_VALUES).map(Error),
)


@dataclass(frozen=True)
class Sheet:
    """A generated sheet: its name and rows (header first); Error cells are error values."""

    name: str
    rows: list[list[Any]]


@st.composite
def sheets(draw: st.DrawFn, name: str = "Suppliers", max_rows: int = 12) -> Sheet:
    others = draw(st.lists(st.sampled_from(HEADERS[name]), max_size=6, unique=True))
    header = draw(st.permutations(["Supplier ID", "Name" if name == "Suppliers" else
                                   {"Certificates": "Standard", "Emissions": "Year"}[name]]
                                  + [h for h in others if h not in ("Standard", "Year")]))
    id_at = header.index("Supplier ID")
    rows = []
    for _ in range(draw(st.integers(0, max_rows))):
        row = [draw(CELLS) for _ in header]
        if draw(st.booleans()):
            row[id_at] = draw(IDS)
        rows.append(row)
    return Sheet(name, [list(header), *rows])


def is_blank(value: Any) -> bool:
    """Blank as the normaliser reads a cell: nothing, NaN, or text of white space only."""
    if value is None:
        return True
    if isinstance(value, Error):
        return False
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and np.isnan(value)


def non_blank_rows(sheet: Sheet, first_row: int = 1) -> set[int]:
    """Excel rows below the header that hold anything (an error cell counts)."""
    return {first_row + 1 + i for i, row in enumerate(sheet.rows[1:])
            if not all(is_blank(v) for v in row)}


def raw_sheet(sheet: Sheet, file: str = "book.xlsx") -> RawSheet:
    """The sheet as the workbook reader hands it over: error cells empty and listed apart."""
    width = len(sheet.rows[0])
    cells = np.empty((len(sheet.rows), width), dtype=object)
    cells.fill(None)
    found: list[tuple[int, int, str]] = []
    for i, row in enumerate(sheet.rows):
        for j, value in enumerate(row):
            if isinstance(value, Error):
                found.append((i + 1, j, str(value)))
            elif not (isinstance(value, str) and value == ""):
                cells[i, j] = value
    errors = ErrorCells(np.array([r for r, _, _ in found], dtype=np.int64),
                        np.array([c for _, c, _ in found], dtype=np.int64),
                        np.array([t for _, _, t in found], dtype=object)) if found else None
    frame = pd.DataFrame(cells, index=pd.RangeIndex(1, len(sheet.rows) + 1), dtype=object)
    return RawSheet(file, sheet.name, sheet.name, frame, errors)


def loaded(*raws: RawSheet) -> LoadedInputs:
    files = list(dict.fromkeys(r.file for r in raws))
    return LoadedInputs(tuple(raws), tuple(InputFile(f, "0" * 64, 0) for f in files))


def assert_rows_accounted(data: AuditData, expected: dict[tuple[str, str], set[int]]) -> None:
    """Every non-blank row of every sheet is audited (kept) or listed as a data issue, and
    non-blank Suppliers rows = audited suppliers + Suppliers rows listed and not audited."""
    listed: dict[tuple[str, str], set[int]] = {}
    for issue in data.data_issues:
        assert issue.row is not None, issue
        listed.setdefault((issue.file, issue.sheet), set()).add(issue.row)
    frames = {"Suppliers": data.suppliers, "Certificates": data.certificates,
              "Emissions": data.emissions}
    supplier_rows = 0
    for (file, sheet), rows in expected.items():
        frame = frames[canonical_sheet(sheet)]
        kept: set[int] = set()
        if frame is not None:
            here = (frame["_file"] == file) & (frame["_sheet"] == sheet)
            kept = set(frame.loc[here, "_row"].astype(int).tolist())
        issues = listed.get((file, sheet), set())
        assert kept <= rows, (sheet, kept - rows)
        assert issues <= rows, (sheet, issues - rows)
        assert rows == kept | issues, (sheet, sorted(rows - kept - issues))
        if canonical_sheet(sheet) == "Suppliers":
            supplier_rows += len(kept) + len(issues - kept)
    assert data.supplier_rows == supplier_rows
    event(f"suppliers audited: {min(len(data.suppliers), 5)}{'+' if len(data.suppliers) > 4 else ''}"
          f"; data issues: {'some' if data.data_issues else 'none'}")
    ids = data.suppliers["supplier_id"]
    assert ids.notna().all() and not ids.duplicated().any()
    assert not ids.str.contains("\x00", regex=False).any()
    assert (ids.str.strip() == ids).all() and (ids.str.len() > 0).all()
    assert not ids.isin(ERROR_VALUES).any()

"""Builders for the normalise and validate tests: raw sheets as the loader hands them over
(object cells, index = Excel row), and one call through both stages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from esg_audit.model import AuditData, InputFile, LoadedInputs, RawSheet
from esg_audit.normalise import ColumnMap, NormalisedInputs, normalise
from esg_audit.schema import validate

AS_OF = date(2026, 11, 27)
Rows = Sequence[Sequence[Any]]


def raw_sheet(
    rows: Rows,
    canonical: str = "Suppliers",
    *,
    file: str = "book.xlsx",
    sheet: str | None = None,
    first_row: int = 1,
) -> RawSheet:
    """A raw sheet whose first given row is Excel row `first_row`; short rows are padded."""
    width = max((len(r) for r in rows), default=0)
    cells = np.empty((len(rows), width), dtype=object)
    cells.fill(None)
    for i, row in enumerate(rows):
        cells[i, : len(row)] = list(row)
    frame = pd.DataFrame(
        cells, index=pd.RangeIndex(first_row, first_row + len(rows)), dtype=object
    )
    if _CELLS["as"] == "arrow":  # a column of text alone as a workbook's loader gives it
        for j in frame.columns:
            if all(v is None or isinstance(v, str) for v in frame[j]):
                text = [None if v is None or v == "" else v for v in frame[j]]
                frame[j] = pd.array(text, dtype="string")
    return RawSheet(file, sheet or canonical, canonical, frame)


_CELLS = {"as": "objects"}


@pytest.fixture(autouse=True, params=["objects", "arrow"])
def cells_as(request):
    """Every test runs twice: raw cells as Python objects (a CSV, a form), and text columns
    as Arrow text (a workbook), so that the normaliser reads both alike."""
    _CELLS["as"] = request.param
    yield request.param
    _CELLS["as"] = "objects"


def loaded(*sheets: RawSheet) -> LoadedInputs:
    files = list(dict.fromkeys(s.file for s in sheets))
    return LoadedInputs(tuple(sheets), tuple(InputFile(f, "0" * 64, 0) for f in files))


def run_normalise(
    *sheets: RawSheet,
    column_map: ColumnMap | None = None,
    extra_fields: Mapping[str, str] | None = None,
    date_format: str | None = None,
) -> NormalisedInputs:
    return normalise(
        loaded(*sheets),
        column_map=column_map,
        extra_fields=extra_fields or {},
        as_of=AS_OF,
        date_format=date_format,
    )


def audit(
    *sheets: RawSheet,
    column_map: ColumnMap | None = None,
    extra_fields: Mapping[str, str] | None = None,
    date_format: str | None = None,
    as_of: date = AS_OF,
) -> AuditData:
    """Normalise and validate, as the pipeline does."""
    normalised = run_normalise(
        *sheets, column_map=column_map, extra_fields=extra_fields, date_format=date_format
    )
    return validate(normalised, as_of=as_of)


def suppliers_sheet(header: Sequence[Any], *rows: Sequence[Any], **kw: Any) -> RawSheet:
    """A Suppliers sheet with a `Supplier ID` column first and the given other columns."""
    return raw_sheet([["Supplier ID", *header], *rows], "Suppliers", **kw)


def column(data: AuditData | NormalisedInputs, name: str, sheet: str = "suppliers") -> list:
    """A column of a frame as plain Python values (None for missing)."""
    frame = getattr(data, sheet)
    frame = frame.frame if hasattr(frame, "frame") else frame
    return [None if pd.isna(v) else v for v in frame[name].tolist()]


def issues(data: AuditData) -> list[tuple[str, str, int | None, str | None, str | None, str]]:
    return [
        (i.file, i.sheet, i.row, i.column, i.value, i.problem) for i in data.data_issues
    ]


def issue_cells(data: AuditData) -> list[tuple[int | None, str | None]]:
    return [(i.row, i.column) for i in data.data_issues]


def messy_workbook() -> dict[str, list[list[Any]]]:
    """What suppliers really send: title rows, aliased and Chinese headers, units in headers,
    "45%" beside 0.45, kg beside t, every date form, yes/no/是/否, blank rows, missing and
    repeated ids. Sheet name -> rows from Excel row 1."""
    return {
        "Suppliers": [
            ["Supplier self-assessment 2026"],
            ["Please return by 31.12.2026"],
            [],
            ["供应商编号", "Supplier Name", "国家", "Renewable Electricity %",
             "Scope 1 (kgCO2e)", "Scope 2 (t)", "SBTi", "Annual Spend (EUR)",
             "CBAM Embedded tCO2e"],
            [1001.0, "Acme", "de", 0.45, 1200, 3.5, "yes", "1,250,000", 12],
            ["S-2", " Beta Ltd ", "CN", "45%", "850 kg", "2 t", "是", 90000],
            [],
            [None, "Nameless", "FR", 0.1, 5, 1, "no", 10],
            ["S-3", "Gamma", "NA", "N/A", "1.5 t", "-", "否", "n/a"],
            ["S-2", "Beta again", "CN", 0.5, 10, 1, "no", 5],
            ["S-4", "Delta", "XX", 150, "abc", 2, "maybe", -5],
        ],
        "Certificates": [
            ["Vendor ID", "Certificate", "Cert No.", "Certification Body", "Valid From",
             "Expiry Date", "Status"],
            [1001.0, "ISO14001:2015", "C-1", "TÜV SÜD", date(2024, 1, 15), "2027-01-14",
             "Active"],
            ["S-2", "iso 45001", "C-2", "DNV", "15.03.2024", "25/12/2026", "active"],
            ["S-3", "ISO/IEC 27001:2013", "C-3", "BSI", "2023/06/01", "03/04/2026",
             "suspended"],
            ["S-9", "ISO 9001", "C-4", "SGS", "2024-01-01", "2027-01-01", "active"],
            [],
            ["S-4", "SA 8000", "C-5", "SGS", "2024-02-30", datetime(2027, 2, 1, 9, 30),
             "revoked"],
        ],
        "Emissions": [
            ["供应商代码", "年份", "范围一排放 (t)", "Scope 2 (kg)"],
            ["S-2", 2024, 100, 5000],
            ["S-2", 2025, "90", "4,500"],
            ["S-2", "2024", 95, 1],
        ],
        "Materials": [
            ["物料", "供应商编号", "核心", "合格"],
            ["steel", 1001.0, "是", None],
            ["bolts", "S-3", "否", "否"],
        ],
    }


@pytest.fixture
def messy_rows() -> dict[str, list[list[Any]]]:
    return messy_workbook()


@pytest.fixture
def kit() -> SimpleNamespace:
    """The builders above, for tests (pytest's importlib mode does not import conftest by name)."""
    return SimpleNamespace(
        AS_OF=AS_OF,
        sheet=raw_sheet,
        suppliers=suppliers_sheet,
        loaded=loaded,
        normalise=run_normalise,
        audit=audit,
        column=column,
        issues=issues,
        cells=issue_cells,
    )

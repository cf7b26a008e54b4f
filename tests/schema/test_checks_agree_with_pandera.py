"""The audit checks each sheet's contract column-wise (`schema/checks.py`); the pandera schemas
(`schema/models.py`) declare the same contract. Both must fail exactly the same cells with the
same problem, on the sample data, on planted edge values and on generated frames."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esg_audit.fields import SHEET_FIELDS
from esg_audit.load import load_inputs
from esg_audit.normalise import normalise
from esg_audit.schema.checks import check_sheet
from esg_audit.schema.constraints import sheet_contract
from esg_audit.schema.models import sheet_schema

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 27)
EARLY = date(1985, 6, 30)  # no reporting year is valid: an empty interval

# Values around every bound and in every set of the contract, per dtype.
EDGES: dict[str, list[object]] = {
    "Float64": [None, -np.inf, -1.0, -1e-12, -0.0, 0.0, 1e-12, 0.5, 1.0, 1.0000001, 2.0, 1e300,
                np.inf, np.nan],
    "Int64": [None, -5, 0, 1, 1984, 1989, 1990, 1991, 2025, 2026, 2027, 2028, 9999],
    "string": [None, "", "DE", "de", "ZZ", "GB", "UK", "XK", "active", "suspended", "withdrawn",
               "expired", "revoked", "Active", "12345678", "1234567", "123456789", "1234567a",
               "12345678 ", " 12345678", "7208 51 20"],
}


def pandera_failures(sheet: str, frame: pd.DataFrame, as_of: date) -> set[tuple[str, int, str]]:
    try:
        sheet_schema(sheet, as_of).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return set()
    assert cases["index"].notna().all(), cases  # every failure is a cell
    return {(str(c), int(i), str(p)) for c, i, p in zip(cases["column"], cases["index"], cases["check"],
                                                         strict=True)}


def our_failures(sheet: str, frame: pd.DataFrame, as_of: date) -> set[tuple[str, int, str]]:
    found = check_sheet(sheet, frame, as_of)
    listed = [(f.column, int(i), f.problem) for f in found for i in f.positions]
    assert len(listed) == len(set(listed))
    for failed in found:
        assert list(failed.positions) == sorted(failed.positions)
    return set(listed)


def contract_frame(sheet: str, as_of: date, pick) -> pd.DataFrame:
    """A frame of the sheet's contract whose column values `pick(column, edges)` chooses."""
    columns = {}
    for column in sheet_contract(sheet, as_of):
        values = pick(column.name, EDGES.get(column.dtype, [None]))
        if column.dtype == "boolean":
            columns[column.name] = pd.array([None] * len(values), dtype="boolean")
        elif column.dtype.startswith("datetime"):
            columns[column.name] = pd.Series(pd.NaT, index=range(len(values)), dtype=column.dtype)
        else:
            columns[column.name] = pd.array(values, dtype=column.dtype)
    return pd.DataFrame(columns)


@pytest.fixture(scope="module")
def sample():
    loaded = load_inputs([str(ROOT / "sample_data" / "supplier_survey.xlsx")])
    return normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF)


@pytest.mark.parametrize("sheet", list(SHEET_FIELDS))
@pytest.mark.parametrize("as_of", [AS_OF, EARLY])
def test_every_edge_value_fails_the_same_cells(sheet, as_of):
    length = max(len(edges) for edges in EDGES.values())
    frame = contract_frame(sheet, as_of, lambda name, edges: [edges[i % len(edges)] for i in range(length)])
    ours = our_failures(sheet, frame, as_of)
    assert ours == pandera_failures(sheet, frame, as_of)
    if sheet in ("Suppliers", "Emissions", "Certificates", "CBAM Goods"):
        assert ours  # the edges do cross the bounds


@pytest.mark.parametrize("attribute", ["suppliers", "certificates", "emissions", "materials"])
def test_the_sample_data_fails_the_same_cells(sample, attribute):
    sheet = next(name for name in SHEET_FIELDS if name.lower() == attribute)
    frame = getattr(sample, attribute).frame.copy()
    # Plant a bad value in every checked column, on a different row each.
    checked = [c for c in sheet_contract(sheet, AS_OF) if c.checks]
    for row, column in enumerate(checked):
        bad = {"Float64": -7.5, "Int64": 1066, "string": "zz-not-valid"}[column.dtype]
        frame.loc[row % len(frame), column.name] = bad
    ours = our_failures(sheet, frame, AS_OF)
    assert ours == pandera_failures(sheet, frame, AS_OF)
    assert {column for column, _, _ in ours} == {c.name for c in checked}


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(data=st.data(), sheet=st.sampled_from(list(SHEET_FIELDS)), early=st.booleans())
def test_generated_frames_fail_the_same_cells(data, sheet, early):
    as_of = EARLY if early else AS_OF
    length = data.draw(st.integers(min_value=0, max_value=12))
    frame = contract_frame(sheet, as_of, lambda name, edges: data.draw(
        st.lists(st.sampled_from(edges), min_size=length, max_size=length), label=name))
    assert our_failures(sheet, frame, as_of) == pandera_failures(sheet, frame, as_of)


def test_a_column_of_another_type_is_a_fault_of_the_normaliser_not_a_data_issue():
    frame = contract_frame("Emissions", AS_OF, lambda name, edges: edges[:3])
    frame["year"] = frame["year"].astype("Float64")
    with pytest.raises(RuntimeError, match="normalised Emissions does not fit its schema: "
                                           "column year is Float64, not Int64"):
        check_sheet("Emissions", frame, AS_OF)
    with pytest.raises(RuntimeError, match="no column scope1_tco2e"):
        check_sheet("Emissions", frame.drop(columns="scope1_tco2e"), AS_OF)

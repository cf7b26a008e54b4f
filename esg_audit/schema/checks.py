"""The column contract of a normalised sheet (`constraints.sheet_contract`), checked column-wise.

These are the checks of the pandera schemas (`models.py`), run the way pandera runs them and
with pandera's result: lazily (every failing cell of every column), a missing value is never
checked, and a column that is missing or has another dtype is a fault of the normaliser, not
of the data. They run here rather than through `DataFrameSchema.validate` because importing
pandera and registering its backends costs about half a second, several times what checking
a few hundred thousand cells takes, and a small audit should start and finish in well under
a second; the test suite holds these checks to pandera's failure cases on every fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from esg_audit.schema.constraints import Bounds, ColumnContract, OneOf, Pattern, sheet_contract


@dataclass(frozen=True)
class CellFailures:
    """The cells of one column that fail one check: positions in the frame, ascending."""

    column: str
    positions: np.ndarray
    problem: str


def check_sheet(sheet: str, frame: pd.DataFrame, as_of: date) -> list[CellFailures]:
    """Every check of the sheet's contract on `frame` (a RangeIndex), in contract order; only
    checks that some cell fails are listed. Raises RuntimeError when a column is missing or
    has another dtype than its contract's."""
    contract = sheet_contract(sheet, as_of)
    dtypes = dict(zip(frame.columns, frame.dtypes, strict=True))
    faults = [_fault(dtypes, column) for column in contract]
    if any(faults):
        raise RuntimeError(f"normalised {sheet} does not fit its schema: "
                           + "; ".join(fault for fault in faults if fault))
    failures = []
    for column in contract:
        if not column.checks:
            continue
        series = frame[column.name]
        # As pandera does: a missing value is never checked.
        written = ~series.isna().to_numpy(dtype=bool)
        if not written.any():
            continue
        for check in column.checks:
            failing = np.flatnonzero(written & ~_passes(series, check))
            if len(failing):
                failures.append(CellFailures(column.name, failing.astype(np.int64), check.problem))
    return failures


@cache
def _dtype(name: str) -> Any:
    return pd.api.types.pandas_dtype(name)


def _fault(dtypes: dict[Any, Any], column: ColumnContract) -> str:
    if column.name not in dtypes:
        return f"no column {column.name}"
    dtype = dtypes[column.name]
    if dtype != _dtype(column.dtype):
        return f"column {column.name} is {dtype}, not {column.dtype}"
    return ""


def _passes(series: pd.Series, check: Bounds | OneOf | Pattern) -> np.ndarray:
    """Whether each value passes `check`, pandera's built-in check of the same name, as one
    NumPy operation over the column (a missing value's answer is not used)."""
    if isinstance(check, OneOf):
        return np.asarray(series.isin(check.values).to_numpy(dtype=bool), dtype=bool)
    if isinstance(check, Pattern):
        return np.asarray(series.str.match(check.regex, na=False).to_numpy(dtype=bool), dtype=bool)
    if check.empty:
        return np.zeros(len(series), dtype=bool)  # no value passes an empty interval
    # The numbers as stored (Int64 as int64, Float64 as float64), compared as pandas compares
    # its nullable numbers: NumPy's comparison of the values, the mask aside.
    numpy_dtype = getattr(series.dtype, "numpy_dtype", np.dtype("float64"))
    values = series.to_numpy(dtype=numpy_dtype, na_value=0)
    with np.errstate(invalid="ignore"):
        if check.minimum is not None and check.maximum is not None:
            return np.asarray((check.minimum <= values) & (check.maximum >= values), dtype=bool)
        if check.maximum is not None:
            return np.asarray(values <= check.maximum, dtype=bool)
        if check.above:
            return np.asarray(values > check.minimum, dtype=bool)
        return np.asarray(values >= check.minimum, dtype=bool)

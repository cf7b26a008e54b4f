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
    faults = [_fault(frame, column) for column in sheet_contract(sheet, as_of)]
    if any(faults):
        raise RuntimeError(f"normalised {sheet} does not fit its schema: "
                           + "; ".join(fault for fault in faults if fault))
    failures = []
    for column in sheet_contract(sheet, as_of):
        if not column.checks:
            continue
        series = frame[column.name]
        # As pandera does: missing values are dropped before a check runs.
        values = series.dropna() if series.hasnans else series
        for check in column.checks:
            passed = _passes(values, check)
            if not passed.all():
                positions = values.index.to_numpy()[~passed]
                failures.append(CellFailures(column.name, positions.astype(np.int64), check.problem))
    return failures


def _fault(frame: pd.DataFrame, column: ColumnContract) -> str:
    if column.name not in frame.columns:
        return f"no column {column.name}"
    dtype = frame[column.name].dtype
    if dtype != pd.api.types.pandas_dtype(column.dtype):
        return f"column {column.name} is {dtype}, not {column.dtype}"
    return ""


def _passes(values: pd.Series, check: Bounds | OneOf | Pattern) -> np.ndarray:
    """Whether each (written) value passes `check`: pandera's built-in check of the same name."""
    if isinstance(check, OneOf):
        result = values.isin(check.values)
    elif isinstance(check, Pattern):
        result = values.str.match(check.regex, na=False)
    elif check.empty:
        result = values != values  # no value passes an empty interval
    elif check.minimum is not None and check.maximum is not None:
        result = (check.minimum <= values) & (check.maximum >= values)
    elif check.maximum is not None:
        result = values <= check.maximum
    elif check.above:
        result = values > check.minimum
    else:
        result = values >= check.minimum
    return np.asarray(result.to_numpy(dtype=bool), dtype=bool)

"""Pandera schemas per sheet, derived from the field list and the constraint table
(`constraints.py`): dtypes and ranges (SPEC §3, Ranges).

Each check's `error` is the data issue's problem text, so a failure case becomes an issue as is.
"""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from esg_audit.fields import SHEET_FIELDS
from esg_audit.normalise.sheet import DTYPES, EDITION
from esg_audit.schema.constraints import (  # noqa: F401  (re-exported: ranges.py and tests)
    FIRST_YEAR,
    UNKNOWN_COUNTRY,
    UNKNOWN_STATUS,
    Bounds,
    Constraint,
    field_constraints,
)


def _check(constraint: Constraint) -> pa.Check:
    if not isinstance(constraint, Bounds):
        return pa.Check.isin(list(constraint.values), error=constraint.problem)
    low, high, error = constraint.minimum, constraint.maximum, constraint.problem
    if constraint.empty:
        # pandera's in_range refuses an empty interval: False for every value written
        # (missing ones are not checked).
        return pa.Check(lambda values: values != values, error=error)
    if low is not None and high is not None:
        return pa.Check.in_range(low, high, error=error)
    if high is not None:
        return pa.Check.le(high, error=error)
    return pa.Check.gt(low, error=error) if constraint.above else pa.Check.ge(low, error=error)


NOT_A_CN_CODE = "not an 8-digit CN code"


def _pattern(name: str) -> list[pa.Check]:
    """CBAM Goods: a CN code is eight digits (SPEC §3a)."""
    if name == "cn_code":
        return [pa.Check.str_matches(r"^[0-9]{8}$", error=NOT_A_CN_CODE)]
    return []


def sheet_schema(sheet: str, as_of: date) -> pa.DataFrameSchema:
    """The schema of one normalised sheet: every canonical column, typed, with its range."""
    columns = {
        f.name: pa.Column(DTYPES[f.type], [_check(c) for c in field_constraints(sheet, f, as_of)]
                          + _pattern(f.name), nullable=True)
        for f in SHEET_FIELDS[sheet]
    }
    if sheet == "Certificates":
        columns[EDITION] = pa.Column("Int64", nullable=True)
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=sheet)

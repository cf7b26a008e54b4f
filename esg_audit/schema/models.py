"""Pandera schemas per sheet, derived from the column contract (`constraints.py`): dtypes,
ranges, allowed sets and patterns (SPEC §3, Ranges).

Each check's `error` is the data issue's problem text, so a failure case becomes an issue as
is. An audit runs the same checks column-wise (`checks.py`), without importing pandera; these
schemas are the contract for anyone who validates normalised sheets with pandera, and the
reference the test suite holds the audit's own checks to (every cell, on every fixture).
"""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from esg_audit.schema.constraints import (  # noqa: F401  (re-exported: tests)
    FIRST_YEAR,
    NOT_A_CN_CODE,
    UNKNOWN_COUNTRY,
    UNKNOWN_STATUS,
    Bounds,
    Constraint,
    OneOf,
    Pattern,
    field_constraints,
    sheet_contract,
)


def _check(constraint: Constraint | Pattern) -> pa.Check:
    if isinstance(constraint, OneOf):
        return pa.Check.isin(list(constraint.values), error=constraint.problem)
    if isinstance(constraint, Pattern):
        return pa.Check.str_matches(constraint.regex, error=constraint.problem)
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


def sheet_schema(sheet: str, as_of: date) -> pa.DataFrameSchema:
    """The schema of one normalised sheet: every canonical column, typed, with its range."""
    columns = {
        column.name: pa.Column(column.dtype, [_check(c) for c in column.checks], nullable=True)
        for column in sheet_contract(sheet, as_of)
    }
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=sheet)

"""Pandera schemas per sheet, derived from the field list: dtypes and ranges (SPEC §3, Ranges).

Each check's `error` is the data issue's problem text, so a failure case becomes an issue as is.
"""

from __future__ import annotations

from datetime import date

import pandera.pandas as pa

from esg_audit.fields import CERTIFICATE_STATUSES, SHEET_FIELDS, Field
from esg_audit.normalise.countries import COUNTRY_CODES
from esg_audit.normalise.sheet import DTYPES, EDITION

FIRST_YEAR = 1990
UNKNOWN_COUNTRY = "unknown country code"
UNKNOWN_STATUS = "unknown status (expected active, suspended, withdrawn or expired)"


def _checks(sheet: str, f: Field, as_of: date) -> list[pa.Check]:
    if f.type == "share":
        return [pa.Check.in_range(0, 1, error="outside [0, 1]")]
    if f.type == "year":
        return [_year_check(as_of)]
    if f.minimum is not None:
        return [pa.Check.ge(f.minimum, error=f"below {f.minimum:g}")]
    if f.exclusive_minimum is not None:
        return [pa.Check.gt(f.exclusive_minimum, error=f"not above {f.exclusive_minimum:g}")]
    if f.name == "country":
        return [pa.Check.isin(sorted(COUNTRY_CODES), error=UNKNOWN_COUNTRY)]
    if sheet == "Certificates" and f.name == "status":
        return [pa.Check.isin(CERTIFICATE_STATUSES, error=UNKNOWN_STATUS)]
    return []


def _year_check(as_of: date) -> pa.Check:
    """Years from FIRST_YEAR to the as-of year + 1. An as-of before 1989 leaves no valid year
    (pandera's in_range refuses an empty interval), so every year written is then an issue."""
    last = as_of.year + 1
    if last >= FIRST_YEAR:
        return pa.Check.in_range(FIRST_YEAR, last, error=f"outside [{FIRST_YEAR}, {last}]")
    return pa.Check(
        lambda years: years != years,  # False for every year (missing ones are not checked)
        error=f"outside [{FIRST_YEAR}, as-of year + 1]: no year is valid as of {as_of:%Y}",
    )


def sheet_schema(sheet: str, as_of: date) -> pa.DataFrameSchema:
    """The schema of one normalised sheet: every canonical column, typed, with its range."""
    columns = {
        f.name: pa.Column(DTYPES[f.type], _checks(sheet, f, as_of), nullable=True)
        for f in SHEET_FIELDS[sheet]
    }
    if sheet == "Certificates":
        columns[EDITION] = pa.Column("Int64", nullable=True)
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=sheet)

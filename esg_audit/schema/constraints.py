"""The input contract's value rules (SPEC §3, Ranges), as one table of plain data.

The pandera schemas of the normalised sheets (`models.py`), the column-wise checks an audit
runs (`checks.py`) and the Great Expectations suites that `esg-audit expectations export`
writes (`expectations.py`) are all generated from this table: a range, an allowed set or a
pattern is written here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esg_audit.fields import CERTIFICATE_STATUSES, SHEET_FIELDS, Field
from esg_audit.normalise.countries import COUNTRY_CODES
from esg_audit.normalise.sheet import DTYPES, EDITION

FIRST_YEAR = 1990
UNKNOWN_COUNTRY = "unknown country code"
UNKNOWN_STATUS = "unknown status (expected active, suspended, withdrawn or expired)"


@dataclass(frozen=True)
class Bounds:
    """Values from `minimum` to `maximum` (either may be open); `above` makes the minimum
    exclusive. An empty interval (minimum > maximum) admits no value. `problem` is the data
    issue's text."""

    problem: str
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False

    @property
    def empty(self) -> bool:
        return self.minimum is not None and self.maximum is not None and self.minimum > self.maximum


@dataclass(frozen=True)
class OneOf:
    """Values from a listed set."""

    problem: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    """Text values matching a regular expression from their first character (`re.match`)."""

    problem: str
    regex: str


Constraint = Bounds | OneOf


def field_constraints(sheet: str, f: Field, as_of: date) -> tuple[Constraint, ...]:
    """The value rules of one canonical field of `sheet` on the as-of date."""
    if f.type == "share":
        return (Bounds("outside [0, 1]", 0, 1),)
    if f.type == "year":
        last = as_of.year + 1
        if last >= FIRST_YEAR:
            return (Bounds(f"outside [{FIRST_YEAR}, {last}]", FIRST_YEAR, last),)
        # An as-of before 1989 leaves no valid year: every year written is then an issue.
        return (Bounds(f"outside [{FIRST_YEAR}, as-of year + 1]: no year is valid as of {as_of:%Y}",
                       FIRST_YEAR, last),)
    if f.minimum is not None:
        return (Bounds(f"below {f.minimum:g}", f.minimum),)
    if f.exclusive_minimum is not None:
        return (Bounds(f"not above {f.exclusive_minimum:g}", f.exclusive_minimum, above=True),)
    if f.name == "country":
        return (OneOf(UNKNOWN_COUNTRY, tuple(sorted(COUNTRY_CODES))),)
    if sheet == "Certificates" and f.name == "status":
        return (OneOf(UNKNOWN_STATUS, CERTIFICATE_STATUSES),)
    return ()


NOT_A_CN_CODE = "not an 8-digit CN code"


def field_patterns(f: Field) -> tuple[Pattern, ...]:
    """The text patterns of one canonical field: a CN code is eight digits (SPEC §3a)."""
    if f.name == "cn_code":
        return (Pattern(NOT_A_CN_CODE, r"^[0-9]{8}$"),)
    return ()


@dataclass(frozen=True)
class ColumnContract:
    """One column of a normalised sheet: its dtype and its checks, in the order they run."""

    name: str
    dtype: str
    checks: tuple[Constraint | Pattern, ...]


def sheet_contract(sheet: str, as_of: date) -> tuple[ColumnContract, ...]:
    """Every canonical column of a normalised sheet, typed, with its range, set or pattern;
    on Certificates also the edition year of the standard."""
    columns = [
        ColumnContract(f.name, DTYPES[f.type], field_constraints(sheet, f, as_of) + field_patterns(f))
        for f in SHEET_FIELDS[sheet]
    ]
    if sheet == "Certificates":
        columns.append(ColumnContract(EDITION, "Int64", ()))
    return tuple(columns)


# Keys whose rows must be unique, per sheet (a repeat is a data issue; the first is audited).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "Suppliers": ("supplier_id",),
    "Emissions": ("supplier_id", "year"),
}

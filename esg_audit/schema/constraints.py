"""The input contract's value rules (SPEC §3, Ranges), as one table of plain data.

Both the pandera schemas that validate an audit's input (`models.py`) and the Great
Expectations suites that `esg-audit expectations export` writes (`expectations.py`) are
generated from `field_constraints`: a range or an allowed set is written here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esg_audit.fields import CERTIFICATE_STATUSES, Field
from esg_audit.normalise.countries import COUNTRY_CODES

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


# Keys whose rows must be unique, per sheet (a repeat is a data issue; the first is audited).
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "Suppliers": ("supplier_id",),
    "Emissions": ("supplier_id", "year"),
}

"""Where a rule-file value sits (file, line, rule id), the collector of every error found while
parsing, and the checks every key's value shares."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from esg_audit.errors import RuleFileError, RuleFileErrors
from esg_audit.limits import FIRST_DATE, LARGEST_NUMBER, LAST_DATE
from esg_audit.model import Location
from esg_audit.yaml_reader import YList, YMap


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def closest_field(word: str, fields: Iterable[str]) -> str:
    """"; did you mean 'x'?" for a close field name, else "; the closest known field is 'x'":
    an unknown field always names the nearest one, so that a typo is easy to find."""
    hint = did_you_mean(word, fields)
    if hint:
        return hint
    close = difflib.get_close_matches(str(word), sorted(fields), n=1, cutoff=0.0)
    return f"; the closest known field is '{close[0]}'" if close else ""


class ErrorCollector:
    """Every error found in the rule files of one load, each with its file, line and rule id.

    Lazy, like pandera's ErrorHandler(lazy=True): parsing goes on after an error, so that one
    pass finds them all, and `raise_if_any` ends the pass. With lazy=False the first error is
    raised at once.
    """

    def __init__(self, lazy: bool = True):
        self.lazy = lazy
        self.errors: list[RuleFileError] = []

    def collect(self, error: RuleFileError) -> None:
        if not self.lazy:
            raise error
        self.errors.append(error)

    def __len__(self) -> int:
        return len(self.errors)

    def __iter__(self) -> Iterator[RuleFileError]:
        return iter(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise RuleFileErrors(list(self.errors))


@dataclass(frozen=True)
class ParseContext:
    """The place being parsed, used to report errors that point at it.

    `fields` holds the non-canonical fields the pack declares (name -> number|text|date|bool).
    `errors` collects every error found so that one pass reports them all.
    """

    file: str
    line: int | None = None
    rule_id: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    errors: ErrorCollector = field(default_factory=ErrorCollector)

    def at(self, line: int | None) -> ParseContext:
        return replace(self, line=line)

    def error(self, message: str, line: int | None = None) -> RuleFileError:
        where = Location(file=self.file, line=line or self.line, rule_id=self.rule_id)
        return RuleFileError(message, where)

    def report(self, message: str, line: int | None = None) -> None:
        self.errors.collect(self.error(message, line))


def check_keys(
    mapping: YMap, allowed: Iterable[str], ctx: ParseContext, what: str, required: Iterable[str] = ()
) -> None:
    """Report unknown keys (with the closest known one) and missing required keys."""
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            ctx.report(f"unknown key '{key}' in {what}{did_you_mean(key, allowed)}", mapping.line_of(key))
    for key in required:
        if key not in mapping:
            ctx.report(f"{what} needs '{key}'", mapping.line)


# The readers below report what is wrong with a value and return None; a valid value is never None.


def as_text(value: Any, key: str, ctx: ParseContext, line: int | None) -> str | None:
    """A non-empty text value."""
    if not isinstance(value, str) or not value.strip():
        ctx.report(f"'{key}' must be non-empty text, not {describe(value)}", line)
        return None
    return value.strip()


def as_number(
    value: Any, key: str, ctx: ParseContext, line: int | None,
    minimum: float | None = None, maximum: float | None = None, above: float | None = None,
) -> float | None:
    """A finite number that fits a 64-bit float (a YAML bool is not a number), within the bounds
    given: `minimum` and `maximum` inclusive, `above` exclusive."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.report(f"'{key}' must be a number, not {describe(value)}", line)
        return None
    if isinstance(value, int) and abs(value) > LARGEST_NUMBER:
        ctx.report(f"'{key}' is too large: a number must fit a 64-bit float (at most about 1.8e308)", line)
        return None
    number = float(value)
    if not math.isfinite(number):
        ctx.report(f"'{key}' must be a finite number, not {describe(value)}", line)
        return None
    if (above is not None and not number > above) or (minimum is not None and number < minimum) or (
        maximum is not None and number > maximum
    ):
        ctx.report(f"'{key}' must be a number {_range(minimum, maximum, above)}, not {describe(value)}", line)
        return None
    return number


def as_whole_number(
    value: Any, key: str, ctx: ParseContext, line: int | None, minimum: int, maximum: int
) -> int | None:
    """A whole number from `minimum` to `maximum`."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        ctx.report(f"'{key}' must be a whole number from {minimum:,} to {maximum:,}, not {describe(value)}", line)
        return None
    return int(value)


def as_date(value: Any, key: str, ctx: ParseContext, line: int | None) -> date | None:
    """A date (YAML date or 'YYYY-MM-DD' text) from 1900-01-01 to 2199-12-31."""
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, date):
        ctx.report(f"'{key}' must be a date YYYY-MM-DD, not {describe(value)}", line)
        return None
    if not FIRST_DATE <= value <= LAST_DATE:
        ctx.report(f"'{key}' must be a date from {FIRST_DATE} to {LAST_DATE}, not {value}", line)
        return None
    return value


def as_text_list(value: Any, key: str, ctx: ParseContext, line: int | None) -> tuple[str, ...] | None:
    """A non-empty list of non-empty texts."""
    if not isinstance(value, YList) or not value:
        ctx.report(f"'{key}' must be a non-empty list of text, not {describe(value)}", line)
        return None
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            ctx.report(
                f"'{key}' must be a list of non-empty text; item {index + 1} is {describe(item)}",
                value.line_of(index),
            )
            return None
        out.append(item.strip())
    return tuple(out)


def _range(minimum: float | None, maximum: float | None, above: float | None) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {above:g}")
    if minimum is not None:
        parts.append(f">= {minimum:g}")
    if maximum is not None:
        parts.append(f"<= {maximum:g}")
    return " and ".join(parts)


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, int) and abs(value) > 10**15:
        return f"a {len(str(abs(value)))}-digit number"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"

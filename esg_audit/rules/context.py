"""Where a rule-file value sits (file, line, rule id) and the checks every key's value shares."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from esg_audit.errors import RuleFileError
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


@dataclass(frozen=True)
class ParseContext:
    """The place being parsed, used to build errors that point at it.

    `fields` holds the non-canonical fields the pack declares (name -> number|text|date|bool).
    `errors` collects every error found so that one pass reports them all.
    """

    file: str
    line: int | None = None
    rule_id: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    errors: list[RuleFileError] = field(default_factory=list)

    def at(self, line: int | None) -> ParseContext:
        return replace(self, line=line)

    def error(self, message: str, line: int | None = None) -> RuleFileError:
        where = Location(file=self.file, line=line or self.line, rule_id=self.rule_id)
        return RuleFileError(message, where)

    def report(self, message: str, line: int | None = None) -> None:
        self.errors.append(self.error(message, line))


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


def as_text(value: Any, key: str, ctx: ParseContext, line: int | None) -> str:
    """A non-empty text value; raises otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ctx.error(f"'{key}' must be non-empty text, not {describe(value)}", line)
    return value.strip()


def as_number(value: Any, key: str, ctx: ParseContext, line: int | None) -> float:
    """A finite number (a YAML bool is not a number); raises otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ctx.error(f"'{key}' must be a number, not {describe(value)}", line)
    return float(value)


def as_int(value: Any, key: str, ctx: ParseContext, line: int | None, minimum: int) -> int:
    """A whole number >= minimum; raises otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ctx.error(f"'{key}' must be a whole number >= {minimum}, not {describe(value)}", line)
    return int(value)


def as_text_list(value: Any, key: str, ctx: ParseContext, line: int | None) -> tuple[str, ...]:
    """A non-empty list of non-empty texts; raises otherwise."""
    if not isinstance(value, YList) or not value:
        raise ctx.error(f"'{key}' must be a non-empty list of text, not {describe(value)}", line)
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ctx.error(
                f"'{key}' must be a list of non-empty text; item {index + 1} is {describe(item)}",
                value.line_of(index),
            )
        out.append(item.strip())
    return tuple(out)


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    return repr(value)

"""The functions of the expression language: one entry each, with its signature checked at parse time."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from esg_audit.limits import DATE_RANGE, FIRST_DATE, LAST_DATE
from esg_audit.rules.certificates import normalise_standard
from esg_audit.rules.expr.env import BOOL, DATE, NULL, NUMBER, TEXT, TYPE_NAMES, EvalEnv
from esg_audit.rules.expr.ops import Compiled, ExprError, boolean, days, isna, text_fn

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


@dataclass(frozen=True)
class Function:
    name: str
    usage: str  # how it is called, for messages and `rules explain`
    summary: str
    build: Callable[[Sequence[Compiled]], Compiled]


def _arity(name: str, args: Sequence[Compiled], low: int, high: int | None) -> None:
    if len(args) < low or (high is not None and len(args) > high):
        usage = FUNCTIONS[name].usage
        raise ExprError(f"{name}() takes {_count(low, high)}; write {usage}")


def _count(low: int, high: int | None) -> str:
    if high == low:
        return f"{low} argument{'s' if low != 1 else ''}"
    if high is None:
        return f"{low} or more arguments"
    return f"{low} to {high} arguments"


def _expect(name: str, arg: Compiled, *types: str) -> None:
    if arg.type not in types:
        wanted = " or ".join(TYPE_NAMES[t] for t in types)
        raise ExprError(f"{name}() needs {wanted}, not {TYPE_NAMES[arg.type]}")


def _same_type(name: str, args: Sequence[Compiled], allowed: Sequence[str]) -> str:
    types = {a.type for a in args if a.type != NULL}
    if not types:
        raise ExprError(f"{name}() needs at least one argument that is not null")
    if len(types) > 1:
        raise ExprError(f"{name}() arguments must all be of one type, not {' and '.join(TYPE_NAMES[t] for t in sorted(types))}")
    (type_,) = types
    if type_ not in allowed:
        raise ExprError(f"{name}() needs {' or '.join(TYPE_NAMES[t] for t in allowed)}, not {TYPE_NAMES[type_]}")
    return type_


def _isna(args: Sequence[Compiled], negated: bool) -> Compiled:
    name = "notna" if negated else "isna"
    _arity(name, args, 1, 1)
    (arg,) = args

    def fn(env: EvalEnv) -> pd.Series:
        missing = np.ones(len(env.index), dtype=bool) if arg.type == NULL else isna(arg.fn(env))
        return boolean(~missing if negated else missing, np.zeros(len(missing), dtype=bool), env.index)

    return Compiled(fn, BOOL)


def _coalesce(args: Sequence[Compiled]) -> Compiled:
    _arity("coalesce", args, 2, None)
    type_ = _same_type("coalesce", args, (NUMBER, TEXT, BOOL, DATE))
    parts = [a for a in args if a.type != NULL]

    def fn(env: EvalEnv) -> pd.Series:
        result = parts[0].fn(env)
        for part in parts[1:]:
            result = result.mask(isna(result), part.fn(env))
        return result

    return Compiled(fn, type_)


def _extreme(name: str, args: Sequence[Compiled]) -> Compiled:
    # Elementwise; missing when any argument is missing (SQL LEAST/GREATEST as in PostgreSQL
    # would skip them, but a bound computed from partial data would hide the gap).
    _arity(name, args, 2, None)
    if any(a.type == NULL for a in args):
        raise ExprError(f"{name}() arguments cannot be null")
    type_ = _same_type(name, args, (NUMBER, DATE))
    smaller = name == "min"

    def fn(env: EvalEnv) -> pd.Series:
        result = args[0].fn(env)
        missing = isna(result)
        for arg in args[1:]:
            value = arg.fn(env)
            missing = missing | isna(value)
            take = (value < result) if smaller else (value > result)
            result = result.mask(take.to_numpy(dtype=bool, na_value=False), value)
        return result.mask(missing)

    return Compiled(fn, type_)


def _abs(args: Sequence[Compiled]) -> Compiled:
    _arity("abs", args, 1, 1)
    _expect("abs", args[0], NUMBER)
    return Compiled(lambda env: args[0].fn(env).abs(), NUMBER)


def _case(name: str, args: Sequence[Compiled]) -> Compiled:
    _arity(name, args, 1, 1)
    _expect(name, args[0], TEXT)
    return text_fn(name, args[0])


def _startswith(args: Sequence[Compiled]) -> Compiled:
    _arity("startswith", args, 2, 2)
    for arg in args:
        _expect("startswith", arg, TEXT)
    text, prefix = args

    def starts(env: EvalEnv) -> pd.Series:
        values, prefixes = text.fn(env), prefix.fn(env)
        result = np.char.startswith(values.fillna("").to_numpy(dtype=str),
                                    prefixes.fillna("").to_numpy(dtype=str))
        out = pd.Series(result, index=env.index, dtype="boolean")
        out[(values.isna() | prefixes.isna()).to_numpy()] = pd.NA
        return out

    return Compiled(starts, BOOL)


LISTS = Path(__file__).resolve().parents[2] / "lists"  # package data: one CSV per list


@cache
def code_list(name: str) -> frozenset[str]:
    """The first column of `esg_audit/lists/<name>.csv` (lines starting with # are its source)."""
    path = LISTS / f"{name}.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return frozenset(line.split(",", 1)[0].strip() for line in lines[1:])


def _listed(args: Sequence[Compiled]) -> Compiled:
    _arity("listed", args, 2, 2)
    _expect("listed", args[0], TEXT)
    name = args[1]
    known = sorted(p.stem for p in LISTS.glob("*.csv"))
    if name.type != TEXT or not name.is_literal or name.literal not in known:
        raise ExprError(f"listed() takes a value and the quoted name of a list: one of {', '.join(known)}")
    codes = sorted(code_list(str(name.literal)))
    value = args[0]

    def listed(env: EvalEnv) -> pd.Series:
        values = value.fn(env)
        out = pd.Series(values.isin(codes).to_numpy(dtype=bool), index=env.index, dtype="boolean")
        out[values.isna().to_numpy()] = pd.NA
        return out

    return Compiled(listed, BOOL)


def _year(args: Sequence[Compiled]) -> Compiled:
    _arity("year", args, 1, 1)
    _expect("year", args[0], DATE)
    return Compiled(lambda env: args[0].fn(env).dt.year.astype("Float64"), NUMBER)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(args: Sequence[Compiled]) -> Compiled:
    _arity("date", args, 1, 1)
    (arg,) = args
    if arg.type != TEXT or not arg.is_literal or not _ISO_DATE.match(arg.literal):
        raise ExprError("date() takes one quoted date, written date('YYYY-MM-DD')")
    try:
        written = date.fromisoformat(arg.literal)
    except ValueError:
        raise ExprError(f"date('{arg.literal}') is not a valid date") from None
    if not FIRST_DATE <= written <= LAST_DATE:
        raise ExprError(f"date('{arg.literal}') is outside the dates rules can use, {DATE_RANGE}")
    day = datetime.combine(written, time())  # which pandas reads as a Timestamp: compiling needs no pandas
    return Compiled(lambda env: env.constant(day, DATE), DATE, literal=day)


def _days(name: str, args: Sequence[Compiled]) -> Compiled:
    _arity(name, args, 1, 1)
    _expect(name, args[0], DATE)
    until = name == "days_until"

    def fn(env: EvalEnv) -> pd.Series:
        delta = args[0].fn(env) - env.as_of_day
        return days((delta if until else -delta).dt.days)

    return Compiled(fn, NUMBER)


def _has_certificate(args: Sequence[Compiled]) -> Compiled:
    _arity("has_certificate", args, 1, 1)
    (arg,) = args
    if arg.type != TEXT or not arg.is_literal:
        raise ExprError("has_certificate() takes one quoted standard, e.g. has_certificate('ISO 27001')")
    standard = normalise_standard(arg.literal)
    if standard is None:
        raise ExprError("has_certificate() needs a standard, e.g. has_certificate('ISO 27001')")
    return Compiled(lambda env: env.has_certificate(standard), BOOL)


def _f(name: str, usage: str, summary: str, build: Callable[[Sequence[Compiled]], Compiled]) -> Function:
    return Function(name, usage, summary, build)


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        _f("isna", "isna(x)", "true when x is missing, else false (never missing)",
           lambda a: _isna(a, negated=False)),
        _f("notna", "notna(x)", "true when x has a value, else false (never missing)",
           lambda a: _isna(a, negated=True)),
        _f("coalesce", "coalesce(x, y, ...)", "the first argument that is not missing", _coalesce),
        _f("abs", "abs(x)", "the absolute value of a number", _abs),
        _f("min", "min(x, y, ...)", "the smallest of numbers or dates; missing if any is",
           lambda a: _extreme("min", a)),
        _f("max", "max(x, y, ...)", "the largest of numbers or dates; missing if any is",
           lambda a: _extreme("max", a)),
        _f("lower", "lower(text)", "text in lower case", lambda a: _case("lower", a)),
        _f("upper", "upper(text)", "text in upper case", lambda a: _case("upper", a)),
        _f("startswith", "startswith(text, prefix)",
           "true when the text begins with the prefix (case-sensitive)", _startswith),
        _f("listed", "listed(x, 'cbam-annex-i-cn')",
           "true when x is in a list shipped with esg-audit (esg_audit/lists/): "
           "cbam-annex-i-cn, the CN codes of Annex I of the CBAM Regulation", _listed),
        _f("year", "year(date)", "the calendar year of a date", _year),
        _f("date", "date('YYYY-MM-DD')", "a date", _date),
        _f("days_until", "days_until(date)", "days from the as-of date to the date",
           lambda a: _days("days_until", a)),
        _f("days_since", "days_since(date)", "days from the date to the as-of date",
           lambda a: _days("days_since", a)),
        _f("has_certificate", "has_certificate('ISO 27001')",
           "true when the supplier holds a valid certificate of the standard on the as-of date; "
           "missing when no input has a Certificates sheet", _has_certificate),
    )
}

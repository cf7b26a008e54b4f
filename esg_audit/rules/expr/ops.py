"""The column-wise building blocks of compiled expressions, with SQL's rules for missing values.

Every block is a closure from an `EvalEnv` to a pandas Series aligned to the env's frame:
"boolean", "Float64", "string" or datetime64, where missing is pd.NA / NaT.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from esg_audit.limits import FIRST_DATE, LAST_DATE
from esg_audit.rules.expr.env import BOOL, DATE, NUMBER, TEXT, EvalEnv

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

Evaluator = Callable[[EvalEnv], "pd.Series"]
NOT_LITERAL = object()


class ExprError(Exception):
    """An expression that cannot be compiled; the caller adds file, line and rule id."""


@dataclass(frozen=True)
class Compiled:
    """A compiled sub-expression: its evaluator, its type and, for a literal, its value."""

    fn: Evaluator
    type: str
    literal: Any = NOT_LITERAL

    @property
    def is_literal(self) -> bool:
        return self.literal is not NOT_LITERAL


def boolean(values: Any, missing: Any, index: pd.Index) -> pd.Series:
    """A "boolean" Series from truth values and a missing mask (numpy-convertible)."""
    array = pd.arrays.BooleanArray(
        np.asarray(values, dtype=bool).copy(), np.asarray(missing, dtype=bool).copy()
    )
    return pd.Series(array, index=index)


def truth(series: pd.Series) -> np.ndarray:
    """True where a boolean Series is true (missing counts as not true)."""
    return series.to_numpy(dtype=bool, na_value=False)


def isna(series: pd.Series) -> np.ndarray:
    return series.isna().to_numpy(dtype=bool)


COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compare(op: str, left: Compiled, right: Compiled) -> Compiled:
    """A comparison; missing when either side is missing (also for dates, where pandas says False)."""
    function = COMPARISONS[op]

    def fn(env: EvalEnv) -> pd.Series:
        a, b = left.fn(env), right.fn(env)
        missing = isna(a) | isna(b)
        values = function(a, b)
        values = values.to_numpy(dtype=bool, na_value=False) if isinstance(values, pd.Series) else values
        return boolean(values, missing, env.index)

    return Compiled(fn, BOOL)


def kleene_and(parts: Sequence[Compiled]) -> Compiled:
    def fn(env: EvalEnv) -> pd.Series:
        result = parts[0].fn(env)
        for part in parts[1:]:
            result = result & part.fn(env)
        return result

    return Compiled(fn, BOOL)


def kleene_or(parts: Sequence[Compiled]) -> Compiled:
    def fn(env: EvalEnv) -> pd.Series:
        result = parts[0].fn(env)
        for part in parts[1:]:
            result = result | part.fn(env)
        return result

    return Compiled(fn, BOOL)


def kleene_not(operand: Compiled) -> Compiled:
    return Compiled(lambda env: ~operand.fn(env), BOOL)


def negate(operand: Compiled) -> Compiled:
    return Compiled(lambda env: -operand.fn(env), NUMBER)


def arithmetic(op: str, left: Compiled, right: Compiled) -> Compiled:
    """+ - * / on numbers; date - date in days; date ± days. A result a number cannot hold
    (beyond a 64-bit float, division by zero) or a date outside the dates rules can use
    (limits.FIRST_DATE to LAST_DATE) is missing, never a wrapped value or an error."""
    if left.type == DATE and right.type == DATE:  # only "-" gets here
        def days_between(env: EvalEnv) -> pd.Series:
            return days((left.fn(env) - right.fn(env)).dt.days)

        return Compiled(days_between, NUMBER)
    if left.type == DATE:
        sign = 1 if op == "+" else -1
        return Compiled(lambda env: shift_dates(left.fn(env), right.fn(env), sign), DATE)
    if right.type == DATE:  # number + date
        return Compiled(lambda env: shift_dates(right.fn(env), left.fn(env), 1), DATE)

    function = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[op]

    def compute(env: EvalEnv) -> pd.Series:
        a, b = left.fn(env), right.fn(env)
        with np.errstate(all="ignore"):
            result = function(a, b)
        values = result.to_numpy(dtype=float, na_value=np.nan)
        undefined = ~np.isfinite(values)  # overflow, or x/0
        if op == "/":
            undefined |= truth(b == 0)
        return result.mask(undefined) if undefined.any() else result

    return Compiled(compute, NUMBER)


_NS_PER_DAY = 86_400 * 10**9
_EPOCH = date(1970, 1, 1)
_FIRST_DAY = (FIRST_DATE - _EPOCH).days
_LAST_DAY = (LAST_DATE - _EPOCH).days
_NOT_A_TIME = -(2**63)  # NaT as int64


def shift_dates(dates: pd.Series, offsets: pd.Series, sign: int) -> pd.Series:
    """`dates + sign * offsets` (offsets in days, fractions allowed), computed in whole days and
    nanoseconds so that nothing overflows; missing where either side is, or where the result
    falls outside FIRST_DATE to LAST_DATE."""
    base = dates.to_numpy(dtype="datetime64[ns]").view(np.int64)
    offset = sign * offsets.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(all="ignore"):
        usable = (base != _NOT_A_TIME) & np.isfinite(offset) & (np.abs(offset) < 1e6)
        offset = np.where(usable, offset, 0.0)
        whole = np.floor(offset)
        part_ns = np.round((offset - whole) * _NS_PER_DAY).astype(np.int64)
        base_day = np.where(usable, base, 0) // _NS_PER_DAY
        rest = np.where(usable, base, 0) - base_day * _NS_PER_DAY + part_ns
        day = base_day + whole.astype(np.int64) + rest // _NS_PER_DAY
        rest %= _NS_PER_DAY
        inside = usable & (day >= _FIRST_DAY) & (day <= _LAST_DAY)
        shifted = np.where(inside, day * _NS_PER_DAY + rest, _NOT_A_TIME)
    return pd.Series(shifted.view("datetime64[ns]"), index=dates.index)


def days(values: pd.Series) -> pd.Series:
    """Whole days as Float64 (NaN from NaT becomes missing)."""
    return values.astype("Float64")


def member(left: Compiled, values: Sequence[Any], negated: bool) -> Compiled:
    """`x in [..]` / `x not in [..]`: missing when x is missing, or when x matches nothing and
    the list holds null (SQL's IN)."""
    present = [v for v in values if v is not None]
    has_null = len(present) < len(values)

    def fn(env: EvalEnv) -> pd.Series:
        operand = left.fn(env)
        found = operand.isin(present).to_numpy(dtype=bool, na_value=False)
        missing = isna(operand) | (has_null & ~found)
        return boolean(~found if negated else found, missing, env.index)

    return Compiled(fn, BOOL)


def constant(value: Any, type_: str) -> Compiled:
    return Compiled(lambda env: env.constant(value, type_), type_, literal=value)


def field(name: str, type_: str) -> Compiled:
    return Compiled(lambda env: env.column(name, type_), type_)


def text_fn(method: str, operand: Compiled) -> Compiled:
    return Compiled(lambda env: getattr(operand.fn(env).str, method)(), TEXT)

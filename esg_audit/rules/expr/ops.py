"""The column-wise building blocks of compiled expressions, with SQL's rules for missing values.

Every block is a closure from an `EvalEnv` to a pandas Series aligned to the env's frame:
"boolean", "Float64", "string" or datetime64, where missing is pd.NA / NaT.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    """+ - * / on numbers (division by zero gives missing); date - date in days; date ± days."""
    if left.type == DATE and right.type == DATE:  # only "-" gets here
        def days_between(env: EvalEnv) -> pd.Series:
            return days((left.fn(env) - right.fn(env)).dt.days)

        return Compiled(days_between, NUMBER)
    if left.type == DATE:
        sign = 1 if op == "+" else -1

        def shift(env: EvalEnv) -> pd.Series:
            offset = pd.to_timedelta(right.fn(env).to_numpy(dtype=float, na_value=np.nan), unit="D")
            return left.fn(env) + sign * offset

        return Compiled(shift, DATE)
    if right.type == DATE:  # number + date
        def shift_right(env: EvalEnv) -> pd.Series:
            offset = pd.to_timedelta(left.fn(env).to_numpy(dtype=float, na_value=np.nan), unit="D")
            return right.fn(env) + offset

        return Compiled(shift_right, DATE)

    if op == "/":
        def divide(env: EvalEnv) -> pd.Series:
            denominator = right.fn(env)
            return (left.fn(env) / denominator).mask(truth(denominator == 0))

        return Compiled(divide, NUMBER)
    function = {"+": operator.add, "-": operator.sub, "*": operator.mul}[op]
    return Compiled(lambda env: function(left.fn(env), right.fn(env)), NUMBER)


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

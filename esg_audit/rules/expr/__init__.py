"""The rule expression language: a small, safe language parsed (never eval'ed) and evaluated
column-wise over all suppliers at once, with SQL's three-valued logic for missing values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from esg_audit.rules.expr.compiler import Compiler, is_valid_name
from esg_audit.rules.expr.env import (
    BOOL,
    DATE,
    NUMBER,
    TEXT,
    TYPE_NAMES,
    EvalEnv,
    expression_type,
    sheet_scope,
)
from esg_audit.rules.expr.functions import FUNCTIONS
from esg_audit.rules.expr.ops import Evaluator, ExprError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BOOL", "DATE", "NUMBER", "TEXT", "FUNCTIONS", "EvalEnv", "ExprError", "Expression",
    "compile_expression", "is_valid_name", "supplier_scope",
]


@dataclass(frozen=True)
class Expression:
    """A compiled expression: its text as written, its type (bool, number, text or date), the
    fields it reads in order of appearance, and an evaluator that never runs the text."""

    text: str
    type: str
    fields: tuple[str, ...]
    functions: tuple[str, ...]
    field_types: Mapping[str, str] = field(repr=False, compare=False)  # field -> expression type
    evaluator: Evaluator = field(repr=False, compare=False)

    def evaluate(self, env: EvalEnv) -> pd.Series:
        """The value for every row of the env's frame: a nullable Series on its index."""
        return self.evaluator(env)

    def evaluate_on(
        self, frame: pd.DataFrame, as_of: date, certificates: pd.DataFrame | None = None
    ) -> pd.Series:
        return self.evaluator(EvalEnv(frame, as_of, certificates))


def supplier_scope(declared: Mapping[str, str]) -> dict[str, str]:
    """The fields a supplier expression may read: canonical Suppliers fields and declared ones."""
    scope = sheet_scope("Suppliers")
    for name, type_ in declared.items():
        scope.setdefault(name, expression_type(type_))
    return scope


def compile_expression(
    text: str, scope: Mapping[str, str], want: str | None = None, sheet: str = "Suppliers"
) -> Expression:
    """Compile `text` against `scope` (field -> type). Raises ExprError, with no position: the
    caller knows the file, line and rule. `want` is the type the result must have."""
    compiler = Compiler(text, scope, sheet)
    compiled = compiler.compile()
    if want is not None and compiled.type != want:
        raise ExprError(f"must give {TYPE_NAMES[want]}, but gives {TYPE_NAMES[compiled.type]}")
    return Expression(
        text=" ".join(text.split()),
        type=compiled.type,
        fields=tuple(compiler.fields),
        functions=tuple(compiler.functions),
        field_types={name: scope[name] for name in compiler.fields},
        evaluator=compiled.fn,
    )

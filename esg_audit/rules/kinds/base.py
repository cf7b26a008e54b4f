"""What every check kind is: a frozen value parsed from a rule's `check:` mapping that evaluates
to a status and a message per supplier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from esg_audit.errors import RuleFileError, RuleFileErrors
from esg_audit.model import STATUSES, AuditData, Status
from esg_audit.rules.context import ParseContext, check_keys
from esg_audit.rules.expr import ExprError, Expression, compile_expression
from esg_audit.yaml_reader import YMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

T = TypeVar("T")

# Status codes on the result grid (model.Status.code).
PASS, WARN, FAIL, MISSING, NA = (s.code for s in (Status.PASS, Status.WARN, Status.FAIL, Status.MISSING, Status.NA))


def status_series(codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A Categorical status Series over model.STATUSES from an array of status codes."""
    return pd.Series(pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index(STATUSES)), index=index)


def codes_of(status: pd.Series) -> np.ndarray:
    """Status codes of a status Series (Categorical over STATUSES, or plain strings)."""
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(STATUSES):
        return status.cat.codes.to_numpy(dtype=np.int8)
    return pd.Categorical(status.astype(object), categories=list(STATUSES)).codes.astype(np.int8)


class CheckKind:
    """A check kind. Subclasses are frozen dataclasses whose docstring holds a YAML example of a
    rule (a fenced ```yaml block): `rules explain` and docs/rules.md are generated from it."""

    name: ClassVar[str]  # e.g. "expression"
    key: ClassVar[str]  # the key of `check:` that selects this kind, e.g. "pass"
    keys: ClassVar[tuple[str, ...]]  # every key the kind accepts in `check:`

    @classmethod
    def parse(cls, spec: YMap, ctx: ParseContext) -> CheckKind:
        """Validate `spec` (the `check:` mapping) strictly; raise RuleFileError(s) with lines."""
        raise NotImplementedError

    def fields(self) -> tuple[str, ...]:
        """The input fields the check reads (Suppliers fields, or the sheet it works on)."""
        raise NotImplementedError

    def evaluate(self, data: AuditData, as_of: date) -> tuple[pd.Series, pd.Series]:
        """Status (Categorical over STATUSES) and message (string) per supplier, aligned to
        `data.suppliers.index`."""
        raise NotImplementedError


def collecting(ctx: ParseContext) -> ParseContext:
    """A context whose errors are collected apart, so that a kind can report all of its own."""
    return replace(ctx, errors=[])


def finish(ctx: ParseContext) -> None:
    """Raise what a collecting context gathered, if anything."""
    if len(ctx.errors) == 1:
        raise ctx.errors[0]
    if ctx.errors:
        raise RuleFileErrors(list(ctx.errors))


def validate_keys(cls: type[CheckKind], spec: YMap, ctx: ParseContext, required: tuple[str, ...] = ()) -> None:
    check_keys(spec, cls.keys, ctx, f"a {cls.name} check", required=required or (cls.key,))


def expression(
    spec: YMap, key: str, ctx: ParseContext, want: str, scope: dict[str, str], sheet: str = "Suppliers"
) -> Expression:
    """Compile the expression under `key`; raise a RuleFileError at its line."""
    value = spec[key]
    if isinstance(value, bool):  # `pass: true` in YAML: the literal
        value = "true" if value else "false"
    if not isinstance(value, str):
        raise ctx.error(f"{key}: expected an expression (text), not {value!r}", spec.line_of(key))
    try:
        return compile_expression(value, scope, want=want, sheet=sheet)
    except ExprError as error:
        raise ctx.error(f"{key}: {error}", spec.line_of(key)) from None


def guarded(ctx: ParseContext, parse: Callable[..., T], *args: Any) -> T | None:
    """Call `parse(*args)`; on RuleFileError record it in ctx and return None."""
    try:
        return parse(*args)
    except RuleFileErrors as errors:
        ctx.errors.extend(errors.errors)
    except RuleFileError as error:
        ctx.errors.append(error)
    return None

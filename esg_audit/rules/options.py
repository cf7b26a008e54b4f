"""What a check kind accepts in its `check:` mapping, declared as data, and the one parser of it.

Each kind lists its options (name, type, required, default, help). `parse_options` checks a
`check:` mapping against them: unknown keys (naming the closest known one), missing required
keys and values of the wrong type are reported to the parse context's error collector, all of
them in one pass. `rules explain` and docs/rules.md list the options from the same declarations.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from esg_audit.rules.context import (
    ParseContext,
    as_number,
    as_text,
    as_text_list,
    as_whole_number,
    closest_field,
    did_you_mean,
)
from esg_audit.rules.expr import (
    BOOL,
    TYPE_NAMES,
    ExprError,
    Expression,
    compile_expression,
    supplier_scope,
)
from esg_audit.rules.expr.env import sheet_scope
from esg_audit.yaml_reader import YMap


class OptionType:
    """How one option's value is read. `parse` reports what is wrong and returns None."""

    description = ""

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(OptionType):
    description = "text"

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return as_text(value, key, ctx, line)


@dataclass(frozen=True)
class TextList(OptionType):
    description = "list of text"

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return as_text_list(value, key, ctx, line)


@dataclass(frozen=True)
class Fields(OptionType):
    """Supplier fields: canonical ones or those the pack declares."""

    description = "list of supplier fields"

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        names = as_text_list(value, key, ctx, line)
        if names is None:
            return None
        scope = supplier_scope(ctx.fields)
        unknown = [(index, name) for index, name in enumerate(names) if name not in scope]
        for index, name in unknown:
            ctx.report(f"{key}: unknown field '{name}'{closest_field(name, scope)}", value.line_of(index))
        return None if unknown else tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Number(OptionType):
    """A finite number (any that fits a 64-bit float unless bounded)."""

    minimum: float | None = None
    maximum: float | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return _bounded("number", self.minimum, self.maximum)

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return as_number(value, key, ctx, line, self.minimum, self.maximum)


@dataclass(frozen=True)
class WholeNumber(OptionType):
    minimum: int
    maximum: int

    @property
    def description(self) -> str:  # type: ignore[override]
        return _bounded("whole number", self.minimum, self.maximum)

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return as_whole_number(value, key, ctx, line, self.minimum, self.maximum)


@dataclass(frozen=True)
class Expr(OptionType):
    """An expression of the rule language, of type `want`, over a sheet's rows."""

    want: str = BOOL
    sheet: str = "Suppliers"

    @property
    def description(self) -> str:  # type: ignore[override]
        gives = "a condition (true/false)" if self.want == BOOL else f"giving {TYPE_NAMES[self.want]}"
        over = "" if self.sheet == "Suppliers" else f", over the {self.sheet} sheet"
        return f"expression, {gives}{over}"

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return expression(value, key, ctx, line, self.want, self.sheet)


@dataclass(frozen=True)
class Custom(OptionType):
    """A value with its own reader: `read(value, key, ctx, line)` reports and returns None."""

    description_text: str
    read: Callable[[Any, str, ParseContext, int], Any]

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.description_text

    def parse(self, value: Any, key: str, ctx: ParseContext, line: int) -> Any:
        return self.read(value, key, ctx, line)


@dataclass(frozen=True)
class Option:
    """One key of a check kind's `check:` mapping."""

    name: str
    type: OptionType
    help: str
    required: bool = False
    default: Any = None
    attribute: str = ""  # the kind's field, where it is not `name` (e.g. `pass_` for `pass`)

    @property
    def field(self) -> str:
        return self.attribute or self.name


def expression(
    value: Any, key: str, ctx: ParseContext, line: int, want: str, sheet: str = "Suppliers"
) -> Expression | None:
    """Compile an expression written under `key`; report it at `line` and give None when invalid."""
    if isinstance(value, bool):  # `pass: true` in YAML: the literal
        value = "true" if value else "false"
    if not isinstance(value, str):
        ctx.report(f"{key}: expected an expression (text), not {value!r}", line)
        return None
    scope = supplier_scope(ctx.fields) if sheet == "Suppliers" else sheet_scope(sheet)
    try:
        return compile_expression(value, scope, want=want, sheet=sheet)
    except ExprError as error:
        ctx.report(f"{key}: {error}", line)
        return None


def parse_options(kind: str, options: tuple[Option, ...], spec: YMap, ctx: ParseContext) -> dict[str, Any] | None:
    """The options' values by field name (defaults filled in); None after reporting every error."""
    names = [option.name for option in options]
    valid = True
    for key in spec:
        if key not in names:
            ctx.report(f"unknown key '{key}' in a {kind} check{did_you_mean(key, names)}", spec.line_of(key))
            valid = False
    values: dict[str, Any] = {}
    for option in options:
        if option.name not in spec:
            if option.required:
                ctx.report(f"a {kind} check needs '{option.name}'", spec.line)
                valid = False
            values[option.field] = option.default
            continue
        value = option.type.parse(spec[option.name], option.name, ctx, spec.line_of(option.name))
        if value is None:
            valid = False
        values[option.field] = value
    return values if valid else None


def _bounded(noun: str, minimum: float | None, maximum: float | None) -> str:
    def show(number: float) -> str:
        return f"{number:,g}" if not float(number).is_integer() else f"{int(number):,}"

    if minimum is not None and maximum is not None:
        return f"{noun}, {show(minimum)} to {show(maximum)}"
    if minimum is not None:
        return f"{noun} >= {show(minimum)}"
    if maximum is not None:
        return f"{noun} <= {show(maximum)}"
    return noun


def describe_default(option: Option) -> str:
    """The default as the docs show it ("" when the option is required or has none)."""
    if option.required or option.default is None:
        return ""
    if option.default == ():
        return "none"
    if isinstance(option.default, float) and math.isfinite(option.default) and option.default.is_integer():
        return str(int(option.default))
    if isinstance(option.default, date):
        return option.default.isoformat()
    return str(option.default)

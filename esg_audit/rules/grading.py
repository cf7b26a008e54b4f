"""A pack's `grading:` block (grade bands and pillar weights) and its `fields:` declarations."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from esg_audit.fields import DECLARABLE_TYPES, SUPPLIER_FIELDS
from esg_audit.limits import MAX_WEIGHT
from esg_audit.model import BAND_GRADES, DeclaredField, Grading
from esg_audit.rules.context import (
    ParseContext,
    as_number,
    as_text,
    check_keys,
    describe,
    did_you_mean,
)
from esg_audit.rules.expr import is_valid_name
from esg_audit.rules.expr.env import expression_type
from esg_audit.yaml_reader import YList, YMap

_CANONICAL = {f.name: f.type for f in SUPPLIER_FIELDS}


def parse_grading(value: Any, line: int, ctx: ParseContext) -> Grading | None:
    """Bands (grade -> minimum score, sorted highest first) and pillar weights; None on error."""
    before = len(ctx.errors)
    if not isinstance(value, YMap):
        ctx.report(f"grading must be a mapping with bands and/or pillars, not {describe(value)}", line)
        return None
    check_keys(value, ("bands", "pillars"), ctx, "grading")
    bands = Grading().bands
    if "bands" in value:
        bands = _bands(value["bands"], value.line_of("bands"), ctx) or bands
    pillars: dict[str, float] = {}
    if "pillars" in value:
        pillars = _pillars(value["pillars"], value.line_of("pillars"), ctx)
    if len(ctx.errors) > before:
        return None
    return Grading(bands=bands, pillars=pillars)


def _bands(value: Any, line: int, ctx: ParseContext) -> tuple[tuple[str, float], ...] | None:
    if not isinstance(value, YMap) or not value:
        ctx.report(f"grading.bands must map grades to minimum scores, e.g. {{A: 80, B: 60, C: 40}}, not {describe(value)}", line)
        return None
    bands = []
    for grade, minimum in value.items():
        where = value.line_of(grade)
        if grade not in BAND_GRADES:
            ctx.report(
                f"grading.bands: grade {grade!r} is not one of {', '.join(BAND_GRADES)} "
                "(below the lowest band the grade is D)",
                where,
            )
            continue
        score = as_number(minimum, f"grading.bands.{grade}", ctx, where)
        if score is None:
            continue
        if not 0 <= score <= 100:
            ctx.report(f"grading.bands.{grade} must be a score from 0 to 100, not {minimum}", where)
            continue
        bands.append((grade, score))
    ordered = sorted(bands, key=lambda band: BAND_GRADES.index(band[0]))
    for (better, high), (worse, low) in pairwise(ordered):
        if not high > low:
            ctx.report(f"grading.bands: {better} ({high:g}) must need a higher score than {worse} ({low:g})", line)
            return None
    return tuple(sorted(bands, key=lambda band: -band[1])) if bands else None


def _pillars(value: Any, line: int, ctx: ParseContext) -> dict[str, float]:
    if not isinstance(value, YMap):
        ctx.report(f"grading.pillars must map pillar names to weights, not {describe(value)}", line)
        return {}
    pillars = {}
    for name, weight in value.items():
        where = value.line_of(name)
        if not isinstance(name, str) or not name.strip():
            ctx.report(f"grading.pillars: {name!r} is not a pillar name", where)
            continue
        # a pillar weighted 0 never counts
        number = as_number(weight, f"grading.pillars.{name}", ctx, where)
        if number is not None and not 0 <= number <= MAX_WEIGHT:
            ctx.report(f"grading.pillars.{name} must be a weight from 0 to {MAX_WEIGHT:g}, not {weight}", where)
        elif number is not None:
            pillars[name.strip()] = number
    return pillars


FIELD_KEYS = ("type", "values", "description", "unit", "header")


def parse_fields(value: Any, line: int, ctx: ParseContext) -> dict[str, DeclaredField]:
    """Declared non-canonical fields, each `name: type` (number|text|date|bool) or
    `name: {type, values, description, unit}`. A canonical Suppliers field may be declared
    again with its own type (it is then left out), never another."""
    if not isinstance(value, YMap):
        ctx.report(f"fields must map field names to a type ({', '.join(DECLARABLE_TYPES)}), not {describe(value)}", line)
        return {}
    declared = {}
    for name, spec in value.items():
        where = value.line_of(name)
        if not isinstance(name, str) or not is_valid_name(name):
            ctx.report(
                f"fields: {name!r} cannot be used in expressions; use lower-case letters, digits and _",
                where,
            )
            continue
        parsed = _declared_field(name, spec, where, ctx)
        if parsed is None:
            continue
        canonical = _CANONICAL.get(name)
        if canonical is not None:
            if expression_type(canonical) != expression_type(parsed.type):
                ctx.report(
                    f"fields.{name}: '{name}' is a canonical Suppliers field of type "
                    f"{expression_type(canonical)}; it cannot be declared as {parsed.type}",
                    where,
                )
            continue
        declared[name] = parsed
    return declared


def _declared_field(name: str, spec: Any, where: int, ctx: ParseContext) -> DeclaredField | None:
    details: YMap = spec if isinstance(spec, YMap) else YMap()
    if isinstance(spec, YMap):
        check_keys(spec, FIELD_KEYS, ctx, f"fields.{name}", required=("type",))
        type_ = spec.get("type")
        where = spec.line_of("type") if "type" in spec else where
    else:
        type_ = spec
    if "type" in details or not isinstance(spec, YMap):
        if type_ not in DECLARABLE_TYPES:
            ctx.report(
                f"fields.{name}: type must be one of {', '.join(DECLARABLE_TYPES)}, not "
                f"{describe(type_)}{did_you_mean(str(type_), DECLARABLE_TYPES)}",
                where,
            )
    texts = {}
    for key in ("description", "unit", "header"):
        if key in details and details[key] is not None:
            texts[key] = as_text(details[key], f"fields.{name}.{key}", ctx, details.line_of(key)) or ""
    header = texts.get("header", "")
    if header and _letters(header) != _letters(name):
        ctx.report(f"fields.{name}.header {header!r} does not read back as {name}: a header is "
                   "matched by its letters and digits, e.g. 'CMRT Date' for cmrt_date",
                   details.line_of("header"))
    values: tuple[str, ...] = ()
    if "values" in details:
        values = _values(name, details["values"], details.line_of("values"), type_, ctx)
    if type_ not in DECLARABLE_TYPES:
        return None
    # With a valid type the field stays declared, whatever else is wrong (already reported):
    # rules that read it are then judged on their own mistakes only.
    return DeclaredField(name=name, type=str(type_), values=values,
                         description=texts.get("description", ""), unit=texts.get("unit", ""),
                         header=header)


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _values(name: str, value: Any, line: int, type_: Any, ctx: ParseContext) -> tuple[str, ...]:
    """The allowed answers of a text field: a non-empty list of distinct texts."""
    if type_ is None:
        return ()  # the missing type is reported
    if type_ != "text":
        ctx.report(f"fields.{name}: values can be listed for a text field only, not for {describe(type_)}", line)
        return ()
    if not isinstance(value, YList) or not value:
        ctx.report(f"fields.{name}.values must be a list of the allowed answers, e.g. [pass, fail], not {describe(value)}", line)
        return ()
    out: list[str] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(value):
        where = value.line_of(index)
        if not isinstance(item, str) or not item.strip():
            hint = f"; quote it: '{item}'" if isinstance(item, (bool, int, float)) else ""
            ctx.report(f"fields.{name}.values: item {index + 1} must be text, not {describe(item)}{hint}", where)
            continue
        text = " ".join(item.split())
        folded = text.casefold()
        if folded in seen:
            ctx.report(f"fields.{name}.values: {text!r} is listed twice (as {seen[folded]!r} before; "
                       "answers are matched case-insensitively)", where)
            continue
        seen[folded] = text
        out.append(text)
    return tuple(out)

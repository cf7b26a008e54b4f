"""A pack's `grading:` block (grade bands and pillar weights) and its `fields:` declarations."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from esg_audit.fields import DECLARABLE_TYPES, SUPPLIER_FIELDS
from esg_audit.model import BAND_GRADES, Grading
from esg_audit.rules.context import ParseContext, as_number, check_keys, describe, did_you_mean
from esg_audit.rules.expr import is_valid_name
from esg_audit.rules.expr.env import expression_type
from esg_audit.rules.kinds.base import guarded
from esg_audit.yaml_reader import YMap

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
        score = guarded(ctx, as_number, minimum, f"grading.bands.{grade}", ctx, where)
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
        number = guarded(ctx, as_number, weight, f"grading.pillars.{name}", ctx, where)
        if number is not None and number < 0:  # a pillar weighted 0 never counts
            ctx.report(f"grading.pillars.{name} must be a weight >= 0, not {weight}", where)
        elif number is not None:
            pillars[name.strip()] = number
    return pillars


def parse_fields(value: Any, line: int, ctx: ParseContext) -> dict[str, str]:
    """Declared non-canonical fields (name -> number|text|date|bool). A canonical Suppliers
    field may be declared again with its own type (it is then left out), never another."""
    if not isinstance(value, YMap):
        ctx.report(f"fields must map field names to a type ({', '.join(DECLARABLE_TYPES)}), not {describe(value)}", line)
        return {}
    declared = {}
    for name, type_ in value.items():
        where = value.line_of(name)
        if not isinstance(name, str) or not is_valid_name(name):
            ctx.report(
                f"fields: {name!r} cannot be used in expressions; use lower-case letters, digits and _",
                where,
            )
            continue
        if type_ not in DECLARABLE_TYPES:
            ctx.report(
                f"fields.{name}: type must be one of {', '.join(DECLARABLE_TYPES)}, not "
                f"{describe(type_)}{did_you_mean(str(type_), DECLARABLE_TYPES)}",
                where,
            )
            continue
        canonical = _CANONICAL.get(name)
        if canonical is not None:
            if expression_type(canonical) != expression_type(type_):
                ctx.report(
                    f"fields.{name}: '{name}' is a canonical Suppliers field of type "
                    f"{expression_type(canonical)}; it cannot be declared as {type_}",
                    where,
                )
            continue
        declared[name] = type_
    return declared

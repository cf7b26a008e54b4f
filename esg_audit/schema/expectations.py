"""The input contract (SPEC §3) as Great Expectations suites, one per sheet, generated from the
same field list and constraint table as the pandera schemas that validate an audit's input.

A suite describes the tidy form of a sheet, as `check` sees it after normalisation: canonical
column names, one typed value per cell (numbers, fractions for shares, ISO alpha-2 country
codes, real dates and booleans). Each expectation's `meta.problem` is the text esg-audit gives
the same data issue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from esg_audit import __version__
from esg_audit.fields import SHEET_FIELDS
from esg_audit.model import DeclaredField
from esg_audit.normalise.sheet import DTYPES
from esg_audit.schema.constraints import UNIQUE_KEYS, Constraint, OneOf, field_constraints

# The dtypes GX accepts for a column of each of our dtypes (normalise.sheet.DTYPES): ours, and
# the numpy or pandas equivalent a data team's own reader may give.
GX_TYPE_LISTS: dict[str, tuple[str, ...]] = {
    "Float64": ("Float64Dtype", "float64", "Int64Dtype", "int64"),
    "Int64": ("Int64Dtype", "int64", "Float64Dtype", "float64"),
    "string": ("StringDtype", "object"),
    "boolean": ("BooleanDtype", "bool"),
    "datetime64[ns]": ("datetime64", "datetime64[ns]"),
}


def _constraint(column: str, constraint: Constraint) -> tuple[str, dict[str, Any]]:
    if isinstance(constraint, OneOf):
        return "expect_column_values_to_be_in_set", {"column": column, "value_set": list(constraint.values)}
    if constraint.empty:
        return "expect_column_values_to_be_null", {"column": column}
    kwargs: dict[str, Any] = {"column": column, "min_value": constraint.minimum, "max_value": constraint.maximum}
    if constraint.above:
        kwargs["strict_min"] = True
    return "expect_column_values_to_be_between", {k: v for k, v in kwargs.items() if v is not None}


def sheet_expectations(
    sheet: str, as_of: date, declared: Mapping[str, DeclaredField] | None = None
) -> list[tuple[str, dict[str, Any], str]]:
    """(expectation name, kwargs, problem) of every expectation of a sheet's contract: required
    columns, types, ranges, allowed sets and unique keys; on Suppliers also the declared fields'
    types and listed values."""
    out: list[tuple[str, dict[str, Any], str]] = []
    fields = SHEET_FIELDS[sheet]
    for f in fields:
        if f.required:
            out.append(("expect_column_to_exist", {"column": f.name}, f"no {f.name} column"))
            out.append(("expect_column_values_to_not_be_null", {"column": f.name}, f"no {f.name}"))
    for f in fields:
        out.append(("expect_column_values_to_be_in_type_list",
                    {"column": f.name, "type_list": list(GX_TYPE_LISTS[DTYPES[f.type]])}, f"not {f.type}"))
        for constraint in field_constraints(sheet, f, as_of):
            name, kwargs = _constraint(f.name, constraint)
            out.append((name, kwargs, constraint.problem))
    if sheet == "Suppliers":
        for name, field in (declared or {}).items():
            out.append(("expect_column_values_to_be_in_type_list",
                        {"column": name, "type_list": list(GX_TYPE_LISTS[DTYPES[field.type]])}, f"not {field.type}"))
            if field.values:
                out.append(("expect_column_values_to_be_in_set", {"column": name, "value_set": list(field.values)},
                            f"not one of {', '.join(field.values)}"))
    keys = UNIQUE_KEYS.get(sheet)
    if keys and len(keys) == 1:
        out.append(("expect_column_values_to_be_unique", {"column": keys[0]}, f"repeated {keys[0]}"))
    elif keys:
        out.append(("expect_compound_columns_to_be_unique", {"column_list": list(keys)},
                    f"repeated {' and '.join(keys)}"))
    return out


def suite_name(sheet: str) -> str:
    return f"esg-audit {sheet}"


def export_suites(
    out_dir: str | Path, as_of: date, declared: Mapping[str, DeclaredField] | None = None
) -> list[Path]:
    """Write one ExpectationSuite JSON per sheet into `out_dir` (created if missing), each built
    and checked by Great Expectations itself. Raises gx_adapter.GxMissing without the extra."""
    from esg_audit import gx_adapter

    gx = gx_adapter.great_expectations()
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEET_FIELDS:
        expectations = [
            gx_adapter.expectation_class(name)(**kwargs, meta={"problem": problem})
            for name, kwargs, problem in sheet_expectations(sheet, as_of, declared)
        ]
        suite = gx.ExpectationSuite(
            name=suite_name(sheet),
            expectations=expectations,
            meta={"esg_audit": {"version": __version__, "sheet": sheet, "as_of": as_of.isoformat()}},
        )
        path = target / f"{sheet.lower().replace(' ', '_')}.json"
        text = json.dumps(suite.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        written.append(path)
    return written

"""Builders for the rule-engine tests: AuditData in the dtypes of model.py's frame conventions,
and rule packs written to a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from esg_audit.fields import SHEET_FIELDS
from esg_audit.model import AuditData, RuleSet
from esg_audit.rules import evaluate_rule, load_rules

AS_OF = date(2026, 11, 27)
_DTYPES = {
    "text": "string", "standard": "string", "number": "Float64", "share": "Float64",
    "year": "Int64", "bool": "boolean", "date": "datetime64[ns]",
}


def _dtype_of(sheet: str, column: str, values: list[Any]) -> str:
    for f in SHEET_FIELDS[sheet]:
        if f.name == column:
            return _DTYPES[f.type]
    if column == "standard_edition":
        return "Int64"
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "Float64"
    if present and all(isinstance(v, (date, datetime)) for v in present):
        return "datetime64[ns]"
    return "string"


def frame(sheet: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A normalised sheet: the columns that appear in `rows` (plus supplier_id), in canonical
    dtypes, with the provenance columns; dates may be given as 'YYYY-MM-DD' text."""
    columns: list[str] = ["supplier_id"]
    for row in rows:
        columns += [c for c in row if c not in columns]
    data: dict[str, Any] = {}
    for column in columns:
        values = [row.get(column) for row in rows]
        dtype = _dtype_of(sheet, column, values)
        if dtype.startswith("datetime"):
            data[column] = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
        else:
            data[column] = pd.Series(pd.array([pd.NA if v is None else v for v in values], dtype=dtype))
    result = pd.DataFrame(data, index=pd.RangeIndex(len(rows)), columns=columns)
    result["_file"] = pd.Series(["in.xlsx"] * len(rows), dtype="string")
    result["_sheet"] = pd.Series([sheet] * len(rows), dtype="string")
    result["_row"] = pd.Series(range(2, len(rows) + 2), dtype="Int64")
    return result


def make_data(
    suppliers: list[dict[str, Any]],
    certificates: list[dict[str, Any]] | None = None,
    emissions: list[dict[str, Any]] | None = None,
    materials: list[dict[str, Any]] | None = None,
    cbam_goods: list[dict[str, Any]] | None = None,
) -> AuditData:
    """AuditData as the validator hands it over; a sheet given as None is absent from the input."""
    return AuditData(
        suppliers=frame("Suppliers", suppliers),
        certificates=None if certificates is None else frame("Certificates", certificates),
        emissions=None if emissions is None else frame("Emissions", emissions),
        materials=None if materials is None else frame("Materials", materials),
        inputs=(),
        data_issues=(),
        notes=(),
        supplier_rows=len(suppliers),
        cbam_goods=None if cbam_goods is None else frame("CBAM Goods", cbam_goods),
    )


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a rule file (dedented) into tmp_path and return its path."""

    def write(text: str, name: str = "pack.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def rules_of(write_pack: Callable[..., Path]) -> Callable[[str], RuleSet]:
    """Load the rules given as the body of a `rules:` list (dedented YAML)."""

    def load(rules_yaml: str, header: str = "") -> RuleSet:
        body = textwrap.indent(textwrap.dedent(rules_yaml).strip("\n"), "  ")
        text = f"pack: test\nversion: '1'\n{textwrap.dedent(header)}rules:\n{body}\n"
        return load_rules([str(write_pack(text))])

    return load


@pytest.fixture
def statuses(rules_of: Callable[[str], RuleSet]) -> Callable[..., dict[str, str]]:
    """Statuses of a one-rule pack per supplier id: {"S1": "pass", ...}."""

    def run(rule_yaml: str, data: AuditData, as_of: date = AS_OF, header: str = "") -> dict[str, str]:
        (rule,) = rules_of(rule_yaml, header).rules
        status, _ = evaluate_rule(rule, data, as_of)
        return dict(zip(data.suppliers["supplier_id"], status.astype(str), strict=True))

    return run


@pytest.fixture
def results(rules_of: Callable[[str], RuleSet]) -> Callable[..., dict[str, tuple[str, str]]]:
    """(status, message) of a one-rule pack per supplier id."""

    def run(rule_yaml: str, data: AuditData, as_of: date = AS_OF, header: str = "") -> dict[str, tuple[str, str]]:
        (rule,) = rules_of(rule_yaml, header).rules
        status, message = evaluate_rule(rule, data, as_of)
        return dict(zip(data.suppliers["supplier_id"], zip(status.astype(str), message, strict=True), strict=True))

    return run


@pytest.fixture
def data() -> Callable[..., AuditData]:
    return make_data

"""Property: every expression of the rule language, generated from its grammar (and from
mutations of it), either compiles and evaluates over a small frame without an exception or a
warning, or is refused with an ExprError; in a rule file, the refusal names the rule id. Nothing
is ever executed: hostile fragments are part of the grammar and a sentinel file must not appear.
"""

from __future__ import annotations

import math
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from esg_audit.rules import lint_rules
from esg_audit.rules.expr import DATE, NUMBER, ExprError, compile_expression, supplier_scope

SENTINEL = Path(tempfile.gettempdir()) / "esg-audit-fuzz-executed"
DECLARED = {"due_date": "date", "audited": "bool", "label": "text", "score_x": "number"}
SCOPE = supplier_scope(DECLARED)
FIELDS_BY_TYPE: dict[str, list[str]] = {}
for _name, _type in SCOPE.items():
    FIELDS_BY_TYPE.setdefault(_type, []).append(_name)
AS_OF = date(2026, 11, 27)

# A frame with the awkward values: missing, zero, negative, the largest floats, dates at the
# ends of the range, text with quotes and non-ASCII letters.
FRAME = pd.DataFrame({
    "supplier_id": pd.array(["S1", "S2", "S3", "S4", "S5"], dtype="string"),
    "category": pd.array(["metal", None, "", "O'Neil", "金属"], dtype="string"),
    "country": pd.array(["DE", "NA", None, "CN", "tr"], dtype="string"),
    "annual_spend": pd.array([0.0, -1.0, None, 1.7976931348623157e308, 1e-308], dtype="Float64"),
    "renewable_share": pd.array([0.5, 1.0, 0.0, None, 0.333], dtype="Float64"),
    "reporting_year": pd.array([2025, None, 1990, 2027, 2026], dtype="Int64"),
    "sbti_target": pd.array([True, False, None, True, False], dtype="boolean"),
    "due_date": pd.to_datetime(["1900-01-01", "2199-12-31", None, "2026-11-27", "1970-01-01"]),
    "audited": pd.array([None, True, False, True, False], dtype="boolean"),
    "label": pd.array(["x", "y", None, "", "z"], dtype="string"),
    "score_x": pd.array([1e308, -1e308, None, 0.0, 3.5], dtype="Float64"),
})
CERTIFICATES = pd.DataFrame({
    "supplier_id": pd.array(["S1", "S3"], dtype="string"),
    "standard": pd.array(["ISO 14001", "ISO 27001"], dtype="string"),
    "valid_from": pd.to_datetime(["2020-01-01", "2020-01-01"]),
    "valid_until": pd.to_datetime(["2030-01-01", "2021-01-01"]),
    "status": pd.array(["active", None], dtype="string"),
    "issuer": pd.array(["SGS", None], dtype="string"),
})

HOSTILE = [
    f"__import__('pathlib').Path('{SENTINEL}').touch()",
    f"open('{SENTINEL}', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "[x for x in category]",
    "eval('1')",
    "exec('x=1')",
    "category.__len__()",
    "globals()",
    "f'{category}'",
    "(x := 1)",
    "category if true else label",
    "{1: 2}",
    "{1, 2}",
    "await x",
    "yield x",
    "*category",
    "category[0]",
    "1 if x else 2",
]

numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.integers(min_value=0, max_value=400).map(lambda n: "1" + "0" * n),  # up to 401 digits
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["1e308", "1e309", "1e999", "-1e308", "0.0", "1e-400", "0x10", "1_000", "1j", "01"]),
)
texts = st.text(max_size=8).map(lambda t: repr(t))
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(lambda d: f"date('{d.isoformat()}')"),
    st.sampled_from(["date('2026-02-30')", "date('1677-09-21')", "date('2262-04-12')", "date(as_of)", "date('x')"]),
)
names = st.one_of(
    st.sampled_from(sorted(SCOPE)),
    st.sampled_from(["as_of", "true", "false", "null", "True", "None", "scope1", "renewable_shar", "__builtins__",
                     "valid_until", "material", "year", "lower", "has_certificate"]),
)
atoms = st.one_of(numbers, texts, dates, names, st.sampled_from(HOSTILE))
FUNCTIONS = ["isna", "notna", "coalesce", "abs", "min", "max", "lower", "upper", "year", "date",
             "days_until", "days_since", "has_certificate", "len", "round", "print"]
BINARY = ["and", "or", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "in", "not in",
          "**", "//", "%", "&", "|", "is", "is not"]


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(["not ", "-", "+", "~"]), inner).map(lambda t: t[0] + t[1]),
        inner.map(lambda e: f"({e})"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(inner, st.sampled_from(["in", "not in"]), st.lists(atoms, max_size=4)).map(
            lambda t: f"{t[0]} {t[1]} [{', '.join(t[2])}]"
        ),
    )


expressions = st.recursive(atoms, _extend, max_leaves=12)


def _mutate(text: str, data: st.DataObject) -> str:
    """Insert, delete or replace a few characters, from those the grammar gives meaning to."""
    for _ in range(data.draw(st.integers(0, 3))):
        where = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from(list("()[]'\",.:+-*/<>=!_ \n\t\\#@") + ["and", "not", "__", "\x00", "é"]))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            text = text[:where] + piece + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + 1:]
        else:
            text = text[:where] + piece + text[where + 1:]
    return text


def _check_evaluates(text: str) -> None:
    try:
        compiled = compile_expression(text, SCOPE)
    except ExprError as error:
        assert str(error)
        return
    value = compiled.evaluate_on(FRAME, AS_OF, CERTIFICATES)
    assert len(value) == len(FRAME)
    assert list(value.index) == list(FRAME.index)
    if compiled.type == NUMBER:
        numbers = value.to_numpy(dtype=float, na_value=math.nan)
        assert not any(math.isinf(n) for n in numbers), (text, numbers)
    if compiled.type == DATE:
        present = value.dropna()
        assert all(date(1900, 1, 1) <= v.date() <= date(2199, 12, 31) for v in present), (text, present)


@given(expressions)
def test_generated_expressions_compile_and_evaluate_or_are_refused(text):
    _check_evaluates(text)
    assert not SENTINEL.exists()


@given(expressions, st.data())
def test_mutated_expressions_compile_and_evaluate_or_are_refused(text, data):
    _check_evaluates(_mutate(text, data))
    assert not SENTINEL.exists()


@given(st.text(max_size=60))
def test_any_text_compiles_and_evaluates_or_is_refused(text):
    _check_evaluates(text)


@given(expressions)
def test_a_refused_expression_in_a_rule_file_names_file_line_and_rule(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        path.write_text(
            "pack: fuzz\nversion: '1'\nfields: {due_date: date, audited: bool, label: text, score_x: number}\n"
            "rules:\n  - id: FZ-1\n    title: t\n    pillar: p\n"
            f"    check:\n      pass: \"{body}\"\n",
            encoding="utf-8",
        )
        errors = lint_rules([str(path)])
    for error in errors:
        assert error.location is not None
        assert error.location.file == str(path)
        assert error.location.line == 9, (text, str(error))
        assert error.location.rule_id == "FZ-1", str(error)
    assert not SENTINEL.exists()

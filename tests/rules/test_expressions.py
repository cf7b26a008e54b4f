"""The expression language: values, SQL three-valued logic, functions and types (SPEC §4)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from esg_audit.rules.expr import EvalEnv, ExprError, compile_expression, supplier_scope

from .conftest import AS_OF, make_data

NA = None
SUPPLIERS = [
    {"supplier_id": "S1", "renewable_share": 0.7, "energy_mwh": 10.0, "category": "services", "country": "DE",
     "sbti_target": True, "revenue_musd": 4.0},
    {"supplier_id": "S2", "renewable_share": None, "energy_mwh": 0.0, "category": "Metal", "country": "NA",
     "sbti_target": False, "revenue_musd": 0.0},
    {"supplier_id": "S3", "renewable_share": 0.2, "energy_mwh": None, "category": None, "country": None,
     "sbti_target": None, "revenue_musd": None},
]


def values(text: str, suppliers=SUPPLIERS, declared=None, certificates=None, as_of: date = AS_OF) -> list:
    data = make_data(suppliers, certificates=certificates)
    expression = compile_expression(text, supplier_scope(declared or {}))
    result = expression.evaluate(EvalEnv(data.suppliers, as_of, data.certificates))
    return [None if pd.isna(v) else v for v in result.tolist()]


def test_comparison_with_missing_is_missing():
    assert values("renewable_share >= 0.6") == [True, NA, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kleene and: false wins over missing, missing over true
        ("renewable_share >= 0.6 and energy_mwh >= 0", [True, NA, False]),
        ("renewable_share < 0.6 and energy_mwh >= 0", [False, NA, NA]),
        ("renewable_share >= 0.6 and energy_mwh > 5", [True, False, False]),
        # Kleene or: true wins over missing, missing over false
        ("renewable_share >= 0.6 or energy_mwh >= 0", [True, True, NA]),
        ("renewable_share < 0.6 or energy_mwh > 100", [False, NA, True]),
        ("renewable_share >= 0.6 or energy_mwh > 100", [True, NA, NA]),
        ("not renewable_share >= 0.6", [False, NA, True]),
    ],
)
def test_kleene_and_or_not(text, expected):
    assert values(text) == expected


def test_and_or_with_literals_follow_sql():
    suppliers = [{"supplier_id": "S1"}]  # renewable_share absent from the input: missing
    assert values("renewable_share > 0 and false", suppliers) == [False]
    assert values("renewable_share > 0 and true", suppliers) == [NA]
    assert values("renewable_share > 0 or true", suppliers) == [True]
    assert values("renewable_share > 0 or false", suppliers) == [NA]


def test_division_by_zero_is_missing():
    assert values("energy_mwh / revenue_musd") == [2.5, NA, NA]
    assert values("energy_mwh / revenue_musd <= 100") == [True, NA, NA]
    assert values("0 / revenue_musd") == [0.0, NA, NA]


def test_arithmetic_propagates_missing():
    assert values("renewable_share + energy_mwh") == [10.7, NA, NA]
    assert values("energy_mwh * 2 - 1") == [19.0, -1.0, NA]
    assert values("-energy_mwh") == [-10.0, -0.0, NA]


def test_isna_and_notna_are_never_missing():
    assert values("isna(renewable_share)") == [False, True, False]
    assert values("notna(category)") == [True, True, False]
    assert values("isna(renewable_share / revenue_musd)") == [False, True, True]
    assert values("isna(null)") == [True, True, True]


def test_coalesce_is_missing_only_when_all_arguments_are():
    assert values("coalesce(renewable_share, energy_mwh, 5)") == [0.7, 0.0, 0.2]
    assert values("coalesce(energy_mwh, renewable_share)") == [10.0, 0.0, 0.2]
    assert values("coalesce(category, country)") == ["services", "Metal", NA]
    assert values("coalesce(null, category, 'none')") == ["services", "Metal", "none"]


def test_in_and_not_in_with_missing():
    assert values("category in ['services', 'Metal']") == [True, True, NA]
    assert values("category not in ['services']") == [False, True, NA]
    assert values("country in ['NA']") == [False, True, NA]  # Namibia, never missing
    # SQL IN with a null in the list: no match is unknown
    assert values("category in ['services', null]") == [True, NA, NA]
    assert values("energy_mwh in [0, 10]") == [True, True, NA]


def test_text_comparison_is_case_sensitive():
    assert values("category == 'metal'") == [False, False, NA]
    assert values("lower(category) == 'metal'") == [False, True, NA]
    assert values("upper(category) == 'SERVICES'") == [True, False, NA]
    assert values("category in ['METAL', 'Services']") == [False, False, NA]


def test_min_max_abs_propagate_missing():
    assert values("min(renewable_share, 0.5)") == [0.5, NA, 0.2]
    assert values("max(renewable_share, energy_mwh)") == [10.0, NA, NA]
    assert values("abs(0 - energy_mwh)") == [10.0, 0.0, NA]


def test_bool_field_and_literals():
    assert values("sbti_target") == [True, False, NA]
    assert values("sbti_target == true") == [True, False, NA]
    assert values("sbti_target != true") == [False, True, NA]
    assert values("not sbti_target") == [False, True, NA]


def test_chained_comparison_means_and():
    assert values("0.5 < renewable_share < 0.8") == [True, NA, False]
    assert values("0 <= energy_mwh <= 5") == [False, True, NA]


def test_dates_and_as_of():
    assert values("year(as_of)") == [2026.0] * 3
    assert values("as_of == date('2026-11-27')") == [True] * 3
    assert values("days_until(date('2026-12-27'))") == [30.0] * 3
    assert values("days_since(date('2026-11-20'))") == [7.0] * 3
    assert values("date('2027-01-01') - as_of") == [35.0] * 3
    assert values("as_of + 4 == date('2026-12-01')") == [True] * 3
    assert values("max(as_of, date('2027-01-01')) == date('2027-01-01')") == [True] * 3


def test_date_fields_declared_by_a_pack():
    suppliers = [
        {"supplier_id": "S1", "audit_date": date(2026, 1, 10)},
        {"supplier_id": "S2", "audit_date": None},
        {"supplier_id": "S3", "audit_date": date(2026, 12, 1)},
    ]
    declared = {"audit_date": "date"}
    assert values("days_since(audit_date) <= 365", suppliers, declared) == [True, NA, True]
    assert values("audit_date < date('2026-06-01')", suppliers, declared) == [True, NA, False]
    assert values("year(audit_date)", suppliers, declared) == [2026.0, NA, 2026.0]
    assert values("days_until(audit_date)", suppliers, declared) == [-321.0, NA, 4.0]


def test_field_absent_from_input_is_missing_for_everyone():
    suppliers = [{"supplier_id": "S1"}, {"supplier_id": "S2"}]
    assert values("defect_ppm < 100", suppliers) == [NA, NA]
    assert values("isna(defect_ppm)", suppliers) == [True, True]
    assert values("cbam_embedded_tco2e > 0", suppliers, {"cbam_embedded_tco2e": "number"}) == [NA, NA]


def test_has_certificate():
    suppliers = [{"supplier_id": s} for s in ("S1", "S2", "S3", "S4")]
    certificates = [
        {"supplier_id": "S1", "standard": "ISO 27001", "valid_from": "2025-01-01", "valid_until": "2027-01-01",
         "status": "active"},
        {"supplier_id": "S2", "standard": "ISO 27001", "valid_from": "2025-01-01", "valid_until": "2027-01-01",
         "status": "suspended"},
        {"supplier_id": "S3", "standard": "ISO 14001", "valid_from": "2025-01-01", "valid_until": "2027-01-01"},
        {"supplier_id": "S4", "standard": "ISO 27001", "valid_from": "2025-01-01", "valid_until": "2026-11-27"},
    ]
    assert values("has_certificate('ISO 27001')", suppliers, certificates=certificates) == [True, False, False, True]
    assert values("has_certificate('ISO/IEC 27001:2022')", suppliers, certificates=certificates) == [
        True, False, False, True]
    assert values("has_certificate('iso14001')", suppliers, certificates=certificates) == [False, False, True, False]
    # no Certificates sheet at all: unknown for everyone
    assert values("has_certificate('ISO 27001')", suppliers) == [NA, NA, NA, NA]
    assert values("has_certificate('ISO 27001') or true", suppliers) == [True] * 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("renewable_shar >= 0.6", "unknown field 'renewable_shar'; did you mean 'renewable_share'?"),
        ("category > 1", "cannot compare text with a number: category > 1"),
        ("category == date('2026-01-01')", "cannot compare text with a date"),
        ("renewable_share == null", "a comparison with null is always missing; use isna(x) or notna(x)"),
        ("renewable_share >= '0.6'", "cannot compare a number with text"),
        ("sbti_target > false", "true/false values can only be compared with == or !="),
        ("category + 'x' == 'y'", "cannot apply '+' to text and text"),
        ("renewable_share and true", "'and' needs true/false values, not a number"),
        ("lower(energy_mwh) == 'x'", "lower() needs text, not a number"),
        ("year(category) > 2000", "year() needs a date, not text"),
        ("coalesce(category, 1) == 'x'", "coalesce() arguments must all be of one type"),
        ("date('01/02/2026') < as_of", "date() takes one quoted date, written date('YYYY-MM-DD')"),
        ("date('2026-02-30') < as_of", "date('2026-02-30') is not a valid date"),
        ("isna(category, country)", "isna() takes 1 argument; write isna(x)"),
        ("has_certificate(category)", "has_certificate() takes one quoted standard"),
        ("category in 'abc'", "'in' needs a list of values such as ['a', 'b']"),
        ("category in [country]", "the list after 'in' may hold only literal values"),
        ("category in [1, 2]", "cannot look for text among a number"),
        ("True", "write true in lower case, not True"),
        ("renewable_share >=", "invalid expression"),
        ("foo(1)", "unknown function 'foo'"),
        ("lowr(category) == 'x'", "unknown function 'lowr'; did you mean 'lower'?"),
        ("renewable_share % 2 == 0", "unknown operator '%'"),
        ("renewable_share ** 2 > 1", "unknown operator '**'"),
        ("sbti_target & true", "unknown operator '&'; use and"),
        ("category is null", "'is' is not supported; use isna(x) or notna(x)"),
        ("year > 2020", "year is a function; call it as year(date)"),
        ("valid_until > as_of", "'valid_until' is a field of the Certificates sheet"),
        ("[1, 2]", "a list is only allowed after 'in' or 'not in'"),
        ("1 if true else 2", "'x if c else y' is not supported"),
        ("{'a': 1}", "mappings ({...}) are not allowed"),
        ("b'x' == b'x'", "literal b'x' is not allowed"),
    ],
)
def test_invalid_expressions_name_the_problem(text, message):
    with pytest.raises(ExprError) as caught:
        compile_expression(text, supplier_scope({}))
    assert message in str(caught.value)


def test_expression_knows_its_fields_and_type():
    expression = compile_expression(
        "coalesce(renewable_share, 0) >= 0.6 and category != 'services' and renewable_share > 0",
        supplier_scope({}),
    )
    assert expression.type == "bool"
    assert expression.fields == ("renewable_share", "category")
    assert expression.functions == ("coalesce",)
    assert expression.field_types == {"renewable_share": "number", "category": "text"}


def test_wanted_type_is_enforced():
    with pytest.raises(ExprError, match="must give true/false, but gives a number"):
        compile_expression("renewable_share * 2", supplier_scope({}), want="bool")

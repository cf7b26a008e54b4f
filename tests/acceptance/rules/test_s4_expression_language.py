"""SPEC §4 Expressions: the expression check's three-valued table, every operator and function,
Kleene logic, division by zero, isna/notna/coalesce, text, and rule-file errors."""

from __future__ import annotations

import pytest


def _rule(pass_, warn=None, rule_id="R1"):
    check = f"pass: {pass_!r}" if warn is None else f"pass: {pass_!r}, warn: {warn!r}"
    return f"- {{id: {rule_id}, title: t, pillar: p, check: {{{check}}}}}\n"


FIELDS = "fields: {a: number, b: number, c: number, t: text, d: date, flag: bool}\n"


def _statuses(audit, pack, expr, rows, warn=None, as_of="2026-06-30"):
    suppliers = [{"supplier_id": f"S{i}", "name": f"n{i}", **row} for i, row in enumerate(rows, 1)]
    run = audit(pack(_rule(expr, warn), FIELDS), suppliers, as_of=as_of)
    assert run.exit_code == 0, run.stderr
    return [run.status(s["supplier_id"]) for s in suppliers]


def _many(audit, pack, exprs, rows, as_of="2026-06-30"):
    """Statuses per supplier of several expressions, evaluated in one run (rule i: exprs[i])."""
    suppliers = [{"supplier_id": f"S{i}", "name": f"n{i}", **row} for i, row in enumerate(rows, 1)]
    rules = "".join(_rule(expr, rule_id=f"R{i}") for i, expr in enumerate(exprs))
    run = audit(pack(rules, FIELDS), suppliers, as_of=as_of)
    assert run.exit_code == 0, run.stderr
    return {expr: [run.status(s["supplier_id"], f"R{i}") for s in suppliers] for i, expr in enumerate(exprs)}


# --- the expression check: pass/warn three-valued table ----------------------------------------

def test_expression_check_table(audit, pack):
    rows = [
        {"a": 1, "b": 1},    # pass true                      -> pass
        {"a": 1, "b": ""},   # pass true (warn missing)       -> pass
        {"a": "", "b": 1},   # pass unknown (warn true)       -> missing
        {"a": 0, "b": 1},    # pass false, warn true          -> warn
        {"a": 0, "b": 0},    # pass false, warn false         -> fail
        {"a": 0, "b": ""},   # pass false, warn unknown       -> missing
    ]
    assert _statuses(audit, pack, "a >= 1", rows, warn="b >= 1") == [
        "pass", "pass", "missing", "warn", "fail", "missing"]


def test_expression_check_without_warn(audit, pack):
    assert _statuses(audit, pack, "a >= 1", [{"a": 1}, {"a": 0}, {"a": ""}]) == ["pass", "fail", "missing"]


# --- operators --------------------------------------------------------------------------------

OPERATORS = [
    ("a == 2", ["pass", "fail", "missing"]),
    ("a != 2", ["fail", "pass", "missing"]),
    ("a < 2", ["fail", "pass", "missing"]),
    ("a <= 2", ["pass", "pass", "missing"]),
    ("a > 2", ["fail", "fail", "missing"]),
    ("a >= 2", ["pass", "fail", "missing"]),
    ("a + 1 == 3", ["pass", "fail", "missing"]),
    ("a - 1 == 1", ["pass", "fail", "missing"]),
    ("a * 3 == 6", ["pass", "fail", "missing"]),
    ("a / 4 == 0.5", ["pass", "fail", "missing"]),
    ("-a == -2", ["pass", "fail", "missing"]),
    ("a in [2, 5]", ["pass", "fail", "missing"]),
    ("a not in [2, 5]", ["fail", "pass", "missing"]),
    ("1 < a < 3", ["pass", "fail", "missing"]),
]


def test_operators(audit, pack):
    got = _many(audit, pack, [expr for expr, _ in OPERATORS], [{"a": 2}, {"a": 1}, {"a": ""}])
    assert got == dict(OPERATORS)


def test_arithmetic_with_a_missing_operand_is_missing(audit, pack):
    assert _statuses(audit, pack, "a + b >= 0", [{"a": 1, "b": 2}, {"a": 1, "b": ""}]) == ["pass", "missing"]


def test_division_by_zero_is_missing(audit, pack):
    rows = [{"a": 1, "b": 0}, {"a": 0, "b": 0}, {"a": 1, "b": 2}]
    got = _many(audit, pack, ["a / b > 0", "isna(a / b)", "coalesce(a / b, 9) == 9"], rows)
    assert got == {"a / b > 0": ["missing", "missing", "pass"], "isna(a / b)": ["pass", "pass", "fail"],
                   "coalesce(a / b, 9) == 9": ["pass", "pass", "fail"]}


KLEENE = [
    # a: true, b: false, c: unknown (missing)  — SQL/Kleene tables
    ("a == 1 and c == 1", "missing"),
    ("b == 1 and c == 1", "fail"),      # false and unknown = false
    ("c == 1 and b == 1", "fail"),
    ("a == 1 or c == 1", "pass"),       # true or unknown = true
    ("c == 1 or a == 1", "pass"),
    ("b == 1 or c == 1", "missing"),    # false or unknown = unknown
    ("not c == 1", "missing"),
    ("not b == 1", "pass"),
    ("not a == 1", "fail"),
    ("a == 1 and b == 0", "pass"),
    ("a == 0 or b == 1", "fail"),
]


def test_kleene_logic(audit, pack):
    got = _many(audit, pack, [expr for expr, _ in KLEENE], [{"a": 1, "b": 0, "c": ""}])
    assert got == {expr: [expected] for expr, expected in KLEENE}


def test_literals(audit, pack):
    got = _many(audit, pack, ["true", "false", "a == 1.0 and t == 'x' and flag == true",
                              "coalesce(null, a) == 1"], [{"a": 1, "t": "x", "flag": "yes"}])
    assert list(got.values()) == [["pass"], ["fail"], ["pass"], ["pass"]]


def test_isna_notna_never_missing(audit, pack):
    got = _many(audit, pack, ["isna(a)", "notna(a)", "isna(a + b)"], [{"a": 1}, {"a": ""}])
    assert got == {"isna(a)": ["fail", "pass"], "notna(a)": ["pass", "fail"], "isna(a + b)": ["pass", "pass"]}


def test_coalesce(audit, pack):
    rows = [{"a": 1, "b": 5}, {"a": "", "b": 5}, {"a": "", "b": ""}]
    got = _many(audit, pack, ["coalesce(a, b) == 1", "coalesce(a, b, 0) == 0"], rows)
    assert got == {"coalesce(a, b) == 1": ["pass", "fail", "missing"],
                   "coalesce(a, b, 0) == 0": ["fail", "fail", "pass"]}


def test_abs_min_max(audit, pack):
    got = _many(audit, pack, ["abs(a) == 3", "min(a, b) == -3", "max(a, b) == 2", "max(a, b, 7) == 7"],
                [{"a": -3, "b": 2}, {"a": "", "b": 2}])
    assert got == {"abs(a) == 3": ["pass", "missing"], "min(a, b) == -3": ["pass", "missing"],
                   "max(a, b) == 2": ["pass", "missing"], "max(a, b, 7) == 7": ["pass", "missing"]}


def test_lower_upper_and_case_sensitive_text(audit, pack):
    got = _many(audit, pack, ["t == 'metal'", "lower(t) == 'metal'", "upper(t) == 'METAL'", "t in ['Metal']"],
                [{"t": "Metal"}, {"t": "metal"}, {"t": ""}])
    assert got == {"t == 'metal'": ["fail", "pass", "missing"],
                   "lower(t) == 'metal'": ["pass", "pass", "missing"],
                   "upper(t) == 'METAL'": ["pass", "pass", "missing"],
                   "t in ['Metal']": ["pass", "fail", "missing"]}


def test_country_upper_cased_on_load(audit, pack):
    got = _many(audit, pack, ["country == 'DE'", "country == 'NA'"],
                [{"country": "de"}, {"country": "De"}, {"country": "FR"}, {"country": "NA"}])
    assert got == {"country == 'DE'": ["pass", "pass", "fail", "fail"],
                   "country == 'NA'": ["fail", "fail", "fail", "pass"]}


def test_dates_year_date_days(audit, pack):
    expected = {
        "year(d) == 2026": ["pass", "pass", "missing"],
        "d >= date('2026-07-01')": ["pass", "fail", "missing"],
        "days_until(d) == 10": ["pass", "fail", "missing"],
        "days_since(d) == 10": ["fail", "pass", "missing"],
        "d > as_of": ["pass", "fail", "missing"],
        "as_of == date('2026-06-30')": ["pass", "pass", "pass"],
    }
    got = _many(audit, pack, list(expected), [{"d": "2026-07-10"}, {"d": "2026-06-20"}, {"d": ""}],
                as_of="2026-06-30")
    assert got == expected


def test_has_certificate(audit, pack):
    suppliers = [{"supplier_id": s, "name": s} for s in ("S1", "S2", "S3")]
    certificates = [
        {"supplier_id": "S1", "standard": "ISO/IEC 27001:2022", "certificate_no": "1", "issuer": "BSI",
         "valid_from": "2025-01-01", "valid_until": "2027-01-01", "status": "active"},
        {"supplier_id": "S2", "standard": "ISO 27001", "certificate_no": "2", "issuer": "BSI",
         "valid_from": "2020-01-01", "valid_until": "2023-01-01", "status": "active"},
    ]
    run = audit(pack(_rule("has_certificate('ISO 27001')")), suppliers, certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "pass", "S2": "fail", "S3": "fail"}
    # no Certificates sheet anywhere: unknown
    run = audit(pack(_rule("has_certificate('ISO 27001')")), suppliers)
    assert run.statuses() == {"S1": "missing", "S2": "missing", "S3": "missing"}


def test_canonical_field_the_input_lacks_is_missing_for_everyone(audit, pack):
    got = _many(audit, pack, ["defect_ppm < 100", "isna(defect_ppm)"], [{"a": 1}, {"a": 2}])
    assert got == {"defect_ppm < 100": ["missing", "missing"], "isna(defect_ppm)": ["pass", "pass"]}


# --- rule-file errors -------------------------------------------------------------------------

def _error(audit, pack, expr):
    rules = f"- id: BAD-1\n  title: t\n  pillar: p\n  check:\n    pass: {expr!r}\n"
    run = audit(pack("- {id: OK-1, title: t, pillar: p, check: {pass: 'true'}}\n" + rules),
                [{"supplier_id": "S1", "name": "n"}])
    assert run.exit_code == 2, expr
    assert run.report is None
    assert "rules.yaml" in run.stderr and "BAD-1" in run.stderr, run.stderr
    assert "rules.yaml:9:" in run.stderr, run.stderr  # the `pass:` line
    assert "Traceback" not in run.stderr
    return run.stderr


def test_unknown_field_names_the_closest_known_field(audit, pack):
    message = _error(audit, pack, "renewable_shares >= 0.5")
    assert "renewable_shares" in message and "renewable_share'" in message


def test_unknown_function(audit, pack):
    message = _error(audit, pack, "sqrt(annual_spend) > 1")
    assert "sqrt" in message


@pytest.mark.parametrize("expr", ["annual_spend ** 2 > 1", "annual_spend % 2 == 0", "annual_spend // 2 > 1",
                                  "annual_spend & 1", "annual_spend is null"])
def test_unknown_operator(audit, pack, expr):
    _error(audit, pack, expr)


@pytest.mark.parametrize("expr", [
    "__import__('os').system('touch /tmp/esg_pwned') == 0",
    "name.upper() == 'X'",
    "name.__class__ == 'x'",
    "name[0] == 'X'",
    "(lambda: true)()",
    "[x for x in [1]] == [1]",
    "open('x') == 1",
])
def test_code_execution_is_rejected(audit, pack, expr, tmp_path):
    _error(audit, pack, expr)


def test_unknown_field_always_names_the_closest_known_field(audit, pack):
    # 'spend' is not close enough for a "did you mean", yet the error must still name a field
    message = _error(audit, pack, "spend > 0")
    assert "unknown field 'spend'" in message and "closest known field is 'annual_spend'" in message


def test_required_unknown_field_names_the_closest_known_field(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {required: [spend]}}"),
                [{"supplier_id": "S1", "name": "n"}])
    assert run.exit_code == 2
    assert "rules.yaml:4" in run.stderr and "R1" in run.stderr and "'annual_spend'" in run.stderr

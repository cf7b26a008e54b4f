"""Check kind `expectation`: a Great Expectations expectation over a whole sheet, its unexpected
rows mapped back to suppliers; its rule-file errors found without a workbook."""

from __future__ import annotations

import textwrap

import pytest

from esg_audit.errors import RuleFileError
from esg_audit.rules import lint_rules

pytest.importorskip("great_expectations")

CERT_FORMAT = """
- id: CERT-NO-FORMAT
  title: Certificate numbers are well formed
  pillar: governance
  check:
    expectation: expect_column_values_to_match_regex
    sheet: Certificates
    kwargs: {column: certificate_no, regex: "^[A-Z0-9][A-Z0-9/-]{3,}$"}
"""

SUPPLIERS = [{"supplier_id": s} for s in ("S1", "S2", "S3", "S4", "S5")]
CERTIFICATES = [
    {"supplier_id": "S1", "certificate_no": "AB-1234"},
    {"supplier_id": "S1", "certificate_no": "ok/9999"},   # lower case: unexpected
    {"supplier_id": "S2", "certificate_no": "CD/778"},
    {"supplier_id": "S3", "certificate_no": None},        # skipped as null: S3 is missing
    {"supplier_id": "S5", "certificate_no": "x"},         # unexpected
]


def test_rows_map_back_to_suppliers(data, results):
    got = results(CERT_FORMAT, data(SUPPLIERS, certificates=CERTIFICATES))
    assert got == {
        "S1": ("fail", "fails expect_column_values_to_match_regex: certificate_no 'ok/9999' (row 3)"),
        "S2": ("pass", ""),  # a pass of a row check restates the rule: no message
        "S3": ("missing", "missing: no Certificates rows with a value to check"),
        "S4": ("missing", "missing: no Certificates rows with a value to check"),
        "S5": ("fail", "fails expect_column_values_to_match_regex: certificate_no 'x' (row 6)"),
    }


def test_no_such_sheet_in_the_input_is_missing(data, statuses):
    assert statuses(CERT_FORMAT, data(SUPPLIERS)) == {s["supplier_id"]: "missing" for s in SUPPLIERS}


def test_suppliers_sheet_by_default_and_not_null_counts_blank_rows(data, statuses):
    rule = """
    - id: R1
      title: t
      pillar: p
      check: {expectation: expect_column_values_to_not_be_null, kwargs: {column: country}}
    """
    rows = [{"supplier_id": "S1", "country": "DE"}, {"supplier_id": "S2", "country": None}]
    assert statuses(rule, data(rows)) == {"S1": "pass", "S2": "fail"}


def test_table_level_expectation_applies_to_everyone(data, results):
    rule = """
    - id: R1
      title: t
      pillar: p
      check:
        expectation: expect_table_row_count_to_be_between
        sheet: Certificates
        kwargs: {min_value: 10}
    """
    got = results(rule, data(SUPPLIERS, certificates=CERTIFICATES))
    assert set(got.values()) == {("fail", "fails expect_table_row_count_to_be_between (observed 5)")}
    assert len(got) == 5


def test_declared_field_of_the_pack(data, statuses):
    rule = """
    - id: R1
      title: t
      pillar: p
      check:
        expectation: expect_column_values_to_be_in_set
        kwargs: {column: audit_result, value_set: [pass, conditional]}
    """
    rows = [{"supplier_id": "S1", "audit_result": "pass"}, {"supplier_id": "S2", "audit_result": "fail"},
            {"supplier_id": "S3"}]
    got = statuses(rule, data(rows), header="fields: {audit_result: text}\n")
    assert got == {"S1": "pass", "S2": "fail", "S3": "missing"}


def test_declared_field_absent_from_the_input_is_missing(data, results):
    rule = """
    - id: R1
      title: t
      pillar: p
      check:
        expectation: expect_column_values_to_be_in_set
        kwargs: {column: audit_result, value_set: [pass]}
    """
    got = results(rule, data([{"supplier_id": "S1"}]), header="fields: {audit_result: text}\n")
    assert got == {"S1": ("missing", "missing: the input has no audit_result column")}


def lint(write_pack, check: str) -> list[tuple[int | None, str]]:
    text = "pack: p\nversion: '1'\nrules:\n  - id: R1\n    title: t\n    pillar: p\n    check:\n" + textwrap.indent(
        textwrap.dedent(check).strip("\n"), "      ") + "\n"
    return [(e.location.line, e.message) for e in lint_rules([str(write_pack(text))])]


@pytest.mark.parametrize(("check", "expected"), [
    ("expectation: expect_column_values_to_match_regexp\nkwargs: {column: name, regex: x}",
     (8, "'expectation': unknown Great Expectations expectation 'expect_column_values_to_match_regexp'; "
         "did you mean 'expect_column_values_to_match_regex'?")),
    ("expectation: expect_column_values_to_match_regex\nkwargs: {column: name, regexp: x}",
     (9, "kwargs: expect_column_values_to_match_regex has no argument 'regexp' (it takes column, regex); "
         "did you mean 'regex'?")),
    ("expectation: expect_column_values_to_match_regex\nkwargs:\n  column: certificate_number\n  regex: x",
     (10, "kwargs: column: Suppliers has no column 'certificate_number'; the closest known field is 'price_index'")),
    ("expectation: expect_column_values_to_match_regex\nsheet: Certificates\nkwargs:\n  column: certificat_no\n"
     "  regex: x", (11, "kwargs: column: Certificates has no column 'certificat_no'; did you mean 'certificate_no'?")),
    ("expectation: expect_column_values_to_match_regex\nsheet: Certificate\nkwargs: {column: name, regex: x}",
     (9, "'sheet': unknown sheet 'Certificate' (one of Suppliers, Certificates, Emissions, Materials, CBAM Goods); "
         "did you mean 'Certificates'?")),
    ("expectation: expect_column_values_to_be_in_set\nkwargs: {column: country, value_set: [DE], mostly: 0.9}",
     (9, "kwargs: 'mostly' is not accepted: a supplier fails on any unexpected row")),
    ("expectation: expect_column_values_to_be_between\nkwargs: {column: annual_spend, min_value: [1]}",
     None),
])
def test_rule_file_errors_with_line(write_pack, check, expected):
    errors = lint(write_pack, check)
    if expected is None:  # GX's own argument checks: reported at the kwargs line
        assert len(errors) == 1 and errors[0][0] == 9
        assert errors[0][1].startswith("kwargs: expect_column_values_to_be_between does not accept these arguments")
    else:
        assert errors == [expected]


def test_gx_not_installed_is_a_rule_file_error(write_pack, monkeypatch):
    from esg_audit import gx_adapter

    def absent() -> frozenset[str]:
        raise gx_adapter.GxMissing(gx_adapter.INSTALL_HINT)

    monkeypatch.setattr(gx_adapter, "expectation_names", absent)
    errors = lint(write_pack, "expectation: expect_column_values_to_match_regex\nkwargs: {column: name, regex: x}")
    assert errors == [(8, "'expectation': Great Expectations is not installed; "
                          'install it with: pip install "esg-audit[gx]"')]


def test_expectation_that_cannot_run_stops_with_the_rule_place(data, rules_of):
    from datetime import date

    from esg_audit.rules import evaluate_rule

    rule = """
    - id: R1
      title: t
      pillar: p
      check:
        expectation: expect_column_values_to_be_between
        sheet: Certificates
        kwargs: {column: valid_until, min_value: 5}
    """
    (loaded,) = rules_of(rule).rules
    certificates = [{"supplier_id": "S1", "valid_until": "2026-01-01"}]
    with pytest.raises(RuleFileError) as raised:
        evaluate_rule(loaded, data(SUPPLIERS, certificates=certificates), date(2026, 1, 1))
    assert raised.value.location.rule_id == "R1"
    assert "could not run on the Certificates sheet" in raised.value.message

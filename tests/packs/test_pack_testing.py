"""The pack-test runner (`run_pack_tests`) and `esg-audit rules test`."""

from __future__ import annotations

import datetime as dt

import pytest

from esg_audit.errors import RuleFileErrors
from esg_audit.model import DataIssue, Location
from esg_audit.rules import load_rules
from esg_audit.rules.testing import (
    DEFAULT_AS_OF,
    CaseOutcome,
    Mismatch,
    case_inputs,
    lint_pack_tests,
    parse_cases,
    run_pack_tests,
)

PACK = """
pack: mini
version: "1"
fields: {audit_score: number}
rules:
  - id: M-001
    title: Renewable share
    pillar: environment
    check:
      pass: renewable_share >= 0.6
      warn: renewable_share >= 0.3
  - id: M-002
    title: Audit score
    pillar: social
    check: {pass: audit_score >= 50}
tests:
"""

PASSING_CASE = """
  - name: passing
    suppliers:
      - {supplier_id: S1, renewable_share: "70%", Audit Score: 80}
      - {supplier_id: S2, renewable_share: "40%"}
    expect:
      S1: {M-001: pass, M-002: pass}
      S2: {M-001: warn, M-002: missing}
"""

FAILING_CASE = """
  - name: failing
    as_of: 2026-01-31
    suppliers:
      - {supplier_id: S1, renewable_share: 0.2, audit_score: 49}
      - {supplier_id: S2, renewable_share: lots}
    expect:
      S1: {M-001: warn, M-002: fail}
      S2: {M-001: missing}
      S9: {M-001: pass}
"""


def test_a_case_becomes_raw_sheets_with_a_header_row_like_a_workbook(write_pack):
    path = write_pack("mini.yaml", PACK + PASSING_CASE + """
  - name: sheets
    suppliers: [{supplier_id: S1, name: A}, {name: B, country: "NO"}]
    certificates: []
    emissions:
      - {supplier_id: S1, year: 2024, scope1_tco2e: 5}
    expect: {S1: {M-001: missing}}
""")
    cases = parse_cases(load_rules([path]))
    assert [(c.name, c.as_of, c.location) for c in cases] == [
        ("passing", DEFAULT_AS_OF, Location(file="mini.yaml", line=17)),
        ("sheets", DEFAULT_AS_OF, Location(file="mini.yaml", line=25)),
    ]
    loaded = case_inputs(cases[1])
    assert [(s.file, s.sheet, s.canonical) for s in loaded.sheets] == [
        ("mini.yaml (test 'sheets')", "Suppliers", "Suppliers"),
        ("mini.yaml (test 'sheets')", "Certificates", "Certificates"),
        ("mini.yaml (test 'sheets')", "Emissions", "Emissions"),
    ]
    suppliers, certificates, emissions = (s.cells for s in loaded.sheets)
    assert suppliers.index.tolist() == [1, 2, 3]
    assert suppliers.values.tolist() == [
        ["supplier_id", "name", "country"], ["S1", "A", None], [None, "B", "NO"],
    ]
    assert certificates.values.tolist() == [
        ["supplier_id", "standard", "certificate_no", "issuer", "valid_from", "valid_until", "status"]
    ]
    assert emissions.values.tolist() == [["supplier_id", "year", "scope1_tco2e"], ["S1", 2024, 5]]
    assert loaded.inputs[0].rows == 3


def test_passing_case_outcome(write_pack):
    path = write_pack("mini.yaml", PACK + PASSING_CASE)
    assert run_pack_tests(path) == [
        CaseOutcome(pack="mini", case="passing", location=Location(file="mini.yaml", line=17),
                    expectations=4),
    ]


def test_failing_case_lists_each_mismatch_with_the_rules_message_and_data_issues(write_pack):
    path = write_pack("mini.yaml", PACK + PASSING_CASE + FAILING_CASE)
    outcomes = run_pack_tests([path])
    assert [o.passed for o in outcomes] == [True, False]
    failing = outcomes[1]
    assert (failing.case, failing.location, failing.expectations, failing.error) == (
        "failing", Location(file="mini.yaml", line=25), 4, None,
    )
    assert [(m.supplier_id, m.rule_id, m.expected, m.actual) for m in failing.mismatches] == [
        ("S1", "M-001", "warn", "fail"),
        ("S9", "M-001", "pass", "not audited"),
    ]
    assert failing.mismatches[1] == Mismatch("S9", "M-001", "pass", "not audited", "")
    assert failing.mismatches[0].message != ""
    assert failing.data_issues == (
        DataIssue(file="mini.yaml (test 'failing')", sheet="Suppliers", row=3,
                  column="renewable_share", value="lots", problem=failing.data_issues[0].problem),
    )


def test_case_as_of_is_used(write_pack):
    path = write_pack("mini.yaml", """
pack: dated
version: "1"
rules:
  - id: D-001
    title: Recent year
    pillar: governance
    check: {pass: reporting_year >= year(as_of) - 1}
tests:
  - name: default_date
    suppliers: [{supplier_id: S1, reporting_year: 2025}]
    expect: {S1: {D-001: pass}}
  - name: later_date
    as_of: 2028-06-30
    suppliers: [{supplier_id: S1, reporting_year: 2025}]
    expect: {S1: {D-001: fail}}
""")
    assert DEFAULT_AS_OF == dt.date(2026, 11, 27)
    assert [o.passed for o in run_pack_tests(path)] == [True, True]


def test_an_input_that_cannot_be_audited_fails_the_case_with_the_reason(write_pack):
    path = write_pack("mini.yaml", PACK + """
  - name: no_id_column
    suppliers: [{name: A, country: DE}]
    expect: {S1: {M-001: pass}}
""")
    [outcome] = run_pack_tests(path)
    assert outcome.passed is False
    assert outcome.mismatches == ()
    assert "supplier_id" in outcome.error


def test_malformed_cases_are_rule_file_errors_with_lines(write_pack):
    path = write_pack("mini.yaml", PACK + """
  - name: one
    as_of: soon
    supplier: []
    suppliers: [{supplier_id: S1, country: NO, name: [a, b]}]
    expect: {S1: {M-003: pass, M-001: ok}}
  - name: one
    suppliers: [{supplier_id: S1, name: A}]
    expect: {}
  - suppliers: [{supplier_id: S1, name: A}]
    expect: {S1: {M-001: pass}}
""")
    ruleset = load_rules([path])
    assert [str(e) for e in lint_pack_tests(ruleset)] == [
        "mini.yaml:19: test case 'one': unknown key 'supplier'; a case has name, description, as_of, suppliers, certificates, emissions, materials, cbam_goods, expect",
        "mini.yaml:18: test case 'one': as_of must be a date (YYYY-MM-DD), not 'soon'",
        "mini.yaml:20: test case 'one': Suppliers row: 'country' is text, but YAML read False here; quote the value",
        "mini.yaml:20: test case 'one': Suppliers row: 'name' must be a single value, not a list or mapping",
        "mini.yaml:21: test case 'one': expect: S1: unknown rule 'M-003'",
        "mini.yaml:21: test case 'one': expect: S1: M-001: status must be one of pass | warn | fail | missing | n/a, not 'ok'",
        "mini.yaml:24: test case 'one': needs 'expect': supplier id -> {rule id: status}",
        "mini.yaml:25: test case at line 25: needs a 'name' (text)",
    ]
    with pytest.raises(RuleFileErrors) as raised:
        run_pack_tests(ruleset)
    assert len(raised.value.errors) == 8


def test_duplicate_case_names_are_errors(write_pack):
    case = "\n  - name: same\n    suppliers: [{supplier_id: S1, name: A}]\n    expect: {S1: {M-001: missing}}"
    path = write_pack("mini.yaml", PACK + case + case + "\n")
    assert [str(e) for e in lint_pack_tests(load_rules([path]))] == [
        "mini.yaml:20: duplicate test case name 'same' (first at line 17)",
    ]


def test_cli_prints_ok_and_fail_lines_with_rule_case_expected_and_actual(write_pack, run_rules):
    path = write_pack("mini.yaml", PACK + PASSING_CASE + FAILING_CASE)
    result = run_rules("test", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "ok    mini: passing (4 expectations)"
    assert lines[1] == "FAIL  mini: failing (mini.yaml:25)"
    assert lines[2].startswith(
        "      M-001, case failing, supplier S1: expected warn, actual fail ("
    )
    assert lines[3] == "      M-001, case failing, supplier S9: expected pass, actual not audited"
    assert lines[4].startswith("      data issue: Suppliers row 3, column 'renewable_share', value 'lots': ")
    assert lines[5:] == ["2 cases: 1 failed"]


def test_cli_exits_0_when_every_case_passes(write_pack, run_rules):
    path = write_pack("mini.yaml", PACK + PASSING_CASE)
    result = run_rules("test", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["ok    mini: passing (4 expectations)", "1 case: ok"]


def test_cli_exits_2_on_rule_file_or_case_errors(write_pack, run_rules):
    bad_rule = write_pack("bad.yaml", 'pack: bad\nversion: "1"\nrules:\n  - {id: X, title: T, pillar: p, check: {pass: nosuchfield > 1}}\n')
    result = run_rules("test", bad_rule)
    assert result.exit_code == 2
    assert result.stderr == "error: bad.yaml:4: X: pass: unknown field 'nosuchfield'; the closest known field is 'supplier_id'; declare non-canonical fields in the pack's `fields:`\n"
    bad_case = write_pack("mini.yaml", PACK + "\n  - name: x\n    suppliers: []\n    expect: {S1: {M-001: fine}}\n")
    result = run_rules("test", bad_case)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: mini.yaml:19: test case 'x': expect: S1: M-001: status must be one of "
        "pass | warn | fail | missing | n/a, not 'fine'\n"
    )


def test_cli_warns_about_a_pack_without_cases(write_pack, run_rules):
    path = write_pack("mini.yaml", PACK)
    result = run_rules("test", path)
    assert result.exit_code == 0
    assert result.stdout == "0 cases: ok\n"
    assert result.stderr == "warning: mini.yaml: pack mini has no test cases\n"

"""`esg-audit rules lint`, `list` and `explain`: exact output and exit codes."""

from __future__ import annotations

import json

FIVE_MISTAKES = """
pack: broken
version: "1"
rules:
  - id: B-001
    title: Unknown key
    pillar: environment
    severty: high
    check: {pass: renewable_share >= 0.5}
  - id: B-002
    title: Bad severity
    pillar: environment
    severity: urgent
    check: {pass: renewable_share >= 0.5}
  - id: B-003
    title: Unknown field
    pillar: environment
    check: {pass: renewable_shares >= 0.5}
  - id: B-001
    title: Duplicate id
    pillar: environment
    check: {pass: renewable_share >= 0.5}
  - id: B-005
    title: Forbidden construct
    pillar: governance
    check: {pass: "__import__('os').system('true') == 0"}
"""

SMALL_PACK = """
pack: small
version: "2026.11"
description: Two rules to list and explain.
rules:
  - id: SM-001
    title: Renewable electricity share
    pillar: environment
    severity: medium
    weight: 2.5
    applies_to: "lower(category) in ['electronics', 'plastics']"
    check:
      pass: renewable_share >= 0.6
      warn: renewable_share >= 0.3
    on_missing: warn
    remediation: Buy renewable electricity.
    references: ["CSRD ESRS E1-5 §37"]
    rationale: Electricity is most of Scope 2.
  - id: SM-002
    title: Scope 1 reported
    pillar: governance
    check: {required: [scope1_tco2e]}
"""


def test_lint_reports_all_five_mistakes_with_lines_and_exits_2(write_pack, run_rules):
    path = write_pack("five.yaml", FIVE_MISTAKES)
    result = run_rules("lint", path)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "five.yaml:7: B-001: unknown key 'severty' in a rule; did you mean 'severity'?",
        "five.yaml:12: B-002: severity must be one of info | low | medium | high | critical, not 'urgent'",
        "five.yaml:17: B-003: pass: unknown field 'renewable_shares'; did you mean 'renewable_share'?",
        "five.yaml:18: B-001: duplicate rule id 'B-001'; first defined at five.yaml:4",
        "five.yaml:25: B-005: pass: attribute access is not allowed: __import__('os').system",
    ]
    assert result.stderr == "5 errors\n"


def test_lint_reports_errors_of_every_file_in_one_run(write_pack, run_rules):
    first = write_pack("a.yaml", 'pack: a\nversion: "1"\nrules:\n  - {id: A-1, title: T, pillar: p, severity: huge, check: {required: [name]}}\n')
    second = write_pack("b.yaml", 'pack: b\nversion: 2026.11\nrules: []\n')
    result = run_rules("lint", first, second)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "a.yaml:4: A-1: severity must be one of info | low | medium | high | critical, not 'huge'",
        'b.yaml:2: version must be text, not 2026.11 (a number); quote it: version: "2026.11"',
    ]


def test_lint_clean_files_count_rules_and_files(write_pack, run_rules):
    small = write_pack("small.yaml", SMALL_PACK)
    other = write_pack("other.yaml", 'pack: other\nversion: "1"\nrules:\n  - {id: O-1, title: T, pillar: p, check: {required: [name]}}\n')
    result = run_rules("lint", small, other)
    assert result.exit_code == 0
    assert result.stdout == "3 rules in 2 files: ok\n"


def test_lint_checks_the_packs_test_cases_too(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK + """
tests:
  - name: one
    suppliers: [{supplier_id: S1, country: NO}]
    expect: {S1: {SM-009: pass, SM-001: passes}}
""")
    result = run_rules("lint", path)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "small.yaml:25: test case 'one': Suppliers row: 'country' is text, but YAML read False here; quote the value",
        "small.yaml:26: test case 'one': expect: S1: unknown rule 'SM-009'",
        "small.yaml:26: test case 'one': expect: S1: SM-001: status must be one of pass | warn | fail | missing | n/a, not 'passes'",
    ]


def test_list_prints_a_table_in_load_order(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    result = run_rules("list", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "id      title                        pillar       severity  weight  pack",
        "SM-001  Renewable electricity share  environment  medium    2.5     small",
        "SM-002  Scope 1 reported             governance   medium    1       small",
    ]


def test_list_json(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    result = run_rules("list", "--json", path)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"id": "SM-001", "title": "Renewable electricity share", "pillar": "environment",
         "severity": "medium", "weight": 2.5, "pack": "small", "knockout": False,
         "references": ["CSRD ESRS E1-5 §37"]},
        {"id": "SM-002", "title": "Scope 1 reported", "pillar": "governance",
         "severity": "medium", "weight": 1.0, "pack": "small", "knockout": False,
         "references": []},
    ]


def test_list_defaults_to_the_shipped_packs(run_rules):
    result = run_rules("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "title", "pillar", "severity", "weight", "pack"]
    assert [line.split()[0] for line in lines[1:]] == [
        "BE-001", "BE-002", "BE-003", "BE-004", "CBAM-001", "CBAM-002", "CBAM-003", "CBAM-004",
        "CBAM-005", "CBAM-006", "CBAM-007", "CBAM-008", "CBAM-009", "CM-001", "CM-002",
        "EUDR-001", "EUDR-002", "GHG-001", "GHG-002", "GHG-003", "GHG-004", "GHG-005",
        "HR-001", "HR-002", "HR-003", "HR-004", "HR-005",
        "ISO-001", "ISO-002", "ISO-003", "ISO-004", "RAT-001", "RAT-002", "RE-001",
        "SBTI-001", "SBTI-002", "SRC-001", "PERF-001", "PERF-002", "PERF-003",
    ]


def test_list_of_an_invalid_file_prints_its_errors_and_exits_2(write_pack, run_rules):
    path = write_pack("five.yaml", FIVE_MISTAKES)
    result = run_rules("list", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        "error: five.yaml:7: B-001: unknown key 'severty' in a rule; did you mean 'severity'?"
    )
    assert len(result.stderr.splitlines()) == 5


def test_explain_shows_every_field_the_kind_docs_references_and_rationale(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    result = run_rules("explain", "SM-001", "--rules", path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:22] == [
        "# SM-001: Renewable electricity share",
        "# small.yaml:5 (pack small 2026.11)",
        "id: SM-001",
        "title: Renewable electricity share",
        "pillar: environment",
        "severity: medium",
        "weight: 2.5",
        "applies_to: lower(category) in ['electronics', 'plastics']",
        "check:",
        "  pass: renewable_share >= 0.6",
        "  warn: renewable_share >= 0.3",
        "on_missing: warn",
        "knockout: false",
        "remediation: Buy renewable electricity.",
        "references:",
        "- CSRD ESRS E1-5 §37",
        "rationale: Electricity is most of Scope 2.",
        "",
        "Check kind: expression",
        "",
        "A condition on the supplier's fields: `pass: EXPR`, optionally `warn: EXPR`.",
        "",
    ]
    assert "Example:" in lines
    assert "        pass: renewable_share >= 0.6" in lines  # the kind's example, indented


def test_explain_fills_in_defaults(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    result = run_rules("explain", "sm-002", "--rules", path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:15] == [
        "# SM-002: Scope 1 reported",
        "# small.yaml:18 (pack small 2026.11)",
        "id: SM-002",
        "title: Scope 1 reported",
        "pillar: governance",
        "severity: medium",
        "weight: 1",
        "check:",
        "  required:",
        "  - scope1_tco2e",
        "on_missing: fail",
        "knockout: false",
        "remediation: ''",
        "references: []",
        "rationale: ''",
    ]
    assert "Check kind: required" in result.stdout


def test_explain_lists_the_kinds_options_from_their_declarations(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    lines = run_rules("explain", "SM-001", "--rules", path).stdout.splitlines()
    start = lines.index("Options:")
    assert lines[start + 1:start + 3] == [
        "  pass (expression, a condition (true/false); required): true gives pass",
        "  warn (expression, a condition (true/false); optional): where pass is false: true gives warn (absent: fail)",
    ]
    lines = run_rules("explain", "ISO-002").stdout.splitlines()
    start = lines.index("Options:")
    assert lines[start + 2] == (
        "  warn_within_days (whole number, 0 to 1,000; default 0): "
        "warn when the best valid certificate expires within this many days"
    )


def test_explain_a_shipped_rule(run_rules):
    result = run_rules("explain", "ISO-002")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# ISO-002: Valid ISO 27001 information security certificate"
    assert lines[1].endswith("iso-certifications.yaml:48 (pack iso-certifications 2026.11)")
    assert lines[lines.index("check:") + 1 : lines.index("check:") + 5] == [
        "  certificate: ISO 27001",
        "  warn_within_days: 90",
        "  retired_editions:",
        "    2013: 2025-10-31",
    ]
    assert "Check kind: certificate" in lines


def test_explain_an_unknown_rule_suggests_the_closest_and_exits_2(write_pack, run_rules):
    path = write_pack("small.yaml", SMALL_PACK)
    result = run_rules("explain", "SM-01", "--rules", path)
    assert result.exit_code == 2
    assert result.stderr == "error: no rule 'SM-01' in the rules loaded; did you mean 'SM-001'?\n"

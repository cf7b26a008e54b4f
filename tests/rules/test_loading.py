"""Rule files and folders (SPEC §4): pack and rule keys, defaults, and errors with file:line: id."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from esg_audit.errors import RuleFileErrors
from esg_audit.model import Grading, Location, Severity
from esg_audit.rules import lint_rules, load_rules
from esg_audit.rules.kinds.certificate import CertificateCheck
from esg_audit.rules.kinds.expression import ExpressionCheck

GOOD = """\
pack: baseline
version: "2026.11"
description: Minimum ESG requirements for every supplier.
grading:
  bands: {B: 60, A: 80, C: 40}
  pillars: {environment: 0.5, social: 0.25, governance: 0.25}
rules:
  - id: ENV-001
    title: Valid ISO 14001 certificate
    pillar: environment
    severity: high
    weight: 10
    applies_to: "category != 'services'"
    check: {certificate: ISO 14001, warn_within_days: 90}
    on_missing: warn
    knockout: true
    remediation: Certify the site's environmental management system to ISO 14001.
    references: ["ISO 14001:2015"]
    rationale: Baseline evidence of environmental management.
  - id: ENV-002
    title: Renewable electricity share
    pillar: environment
    check:
      pass: renewable_share >= 0.6
      warn: renewable_share >= 0.3
tests:
  - name: a case
    suppliers: [{supplier_id: S1}]
    expect: {S1: {ENV-002: missing}}
"""


def messages(paths) -> list[str]:
    return [str(e) for e in lint_rules([str(p) for p in paths])]


def test_a_valid_pack_loads_with_every_key(write_pack):
    path = write_pack(GOOD)
    ruleset = load_rules([str(path)])
    (pack,) = ruleset.packs
    assert (pack.name, pack.version, pack.description) == (
        "baseline", "2026.11", "Minimum ESG requirements for every supplier.")
    assert pack.path == str(path)
    assert pack.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert pack.grading == Grading(
        bands=(("A", 80.0), ("B", 60.0), ("C", 40.0)),
        pillars={"environment": 0.5, "social": 0.25, "governance": 0.25},
    )
    assert ruleset.grading is pack.grading
    env1, env2 = ruleset.rules
    assert (env1.id, env1.title, env1.pillar, env1.severity, env1.weight) == (
        "ENV-001", "Valid ISO 14001 certificate", "environment", Severity.HIGH, 10.0)
    assert env1.check == CertificateCheck(standard="ISO 14001", warn_within_days=90)
    assert env1.applies_to.text == "category != 'services'"
    assert (env1.on_missing, env1.knockout, env1.pack) == ("warn", True, "baseline")
    assert env1.remediation == "Certify the site's environmental management system to ISO 14001."
    assert env1.references == ("ISO 14001:2015",)
    assert env1.rationale == "Baseline evidence of environmental management."
    assert env1.location == Location(file=str(path), line=8, rule_id="ENV-001")
    # defaults
    assert isinstance(env2.check, ExpressionCheck)
    assert (env2.severity, env2.weight, env2.on_missing, env2.knockout) == (Severity.MEDIUM, 1.0, "fail", False)
    assert (env2.remediation, env2.references, env2.rationale, env2.applies_to) == ("", (), "", None)
    # the pack's test cases are kept as written, each knowing its line
    (case,) = pack.tests
    assert case == {"name": "a case", "suppliers": [{"supplier_id": "S1"}], "expect": {"S1": {"ENV-002": "missing"}}}
    assert case.line == 27


def test_default_grading_when_no_file_sets_one(write_pack):
    path = write_pack("pack: p\nversion: '1'\nrules: []\n")
    ruleset = load_rules([str(path)])
    assert ruleset.grading == Grading(bands=(("A", 80.0), ("B", 60.0), ("C", 40.0)), pillars={})
    assert ruleset.grading.pillar_weight("social") == 1.0
    assert ruleset.rules == ()


def test_error_reads_file_line_rule_id_message(write_pack):
    path = write_pack(GOOD.replace("    severity: high\n", "    severty: high\n"))
    with pytest.raises(RuleFileErrors) as caught:
        load_rules([str(path)])
    assert str(caught.value) == f"{path}:11: ENV-001: unknown key 'severty' in a rule; did you mean 'severity'?"
    (error,) = caught.value.errors
    assert error.location == Location(file=str(path), line=11, rule_id="ENV-001")


def test_lint_reports_every_error_in_file_then_line_order(write_pack):
    first = write_pack(
        """\
        pack: one
        version: 2026.11
        colour: blue
        rules:
          - id: A-1
            title: t
            pillar: p
            severity: urgent
            weight: 0
            check: {pass: "renewable_shar >= 0.6"}
          - title: no id
            pillar: p
            check: {required: [scope1_tco2e]}
          - id: A-3
            pillar: p
            on_missing: ignore
            knockout: "yes please"
            references: ISO 14001
            check: {certificate: ISO 14001, warn_within_day: 90}
        """,
        "a.yaml",
    )
    second = write_pack(
        """\
        pack: two
        version: "1"
        rules:
          - id: B-1
            title: t
            pillar: p
            check: {trend: renewable_share, years: 0, max_annual_change: -0.04}
        """,
        "b.yaml",
    )
    assert messages([second, first]) == [
        f"{second}:7: B-1: trend: unknown field 'renewable_share'; a trend expression sees only the Emissions sheet's fields",
        f"{second}:7: B-1: 'years' must be a whole number from 1 to 1,000, not 0 (a number)",
        f'{first}:2: version must be text, not 2026.11 (a number); quote it: version: "2026.11"',
        f"{first}:3: unknown key 'colour' in a rule pack",
        f"{first}:8: A-1: severity must be one of info | low | medium | high | critical, not 'urgent'",
        f"{first}:9: A-1: 'weight' must be a number > 0 and <= 1000, not 0 (a number)",
        f"{first}:10: A-1: pass: unknown field 'renewable_shar'; did you mean 'renewable_share'?",
        f"{first}:11: a rule needs 'id'",
        f"{first}:14: A-3: a rule needs 'title'",
        f"{first}:16: A-3: on_missing must be one of fail | warn | skip, not 'ignore'",
        f"{first}:17: A-3: knockout must be true or false, not 'yes please'",
        f"{first}:18: A-3: references must be a list of text, e.g. [\"ISO 14001:2015\"], not 'ISO 14001'",
        f"{first}:19: A-3: unknown key 'warn_within_day' in a certificate check; did you mean 'warn_within_days'?",
    ]


def test_folder_loads_yaml_and_yml_sorted_not_recursive(write_pack, tmp_path):
    write_pack("pack: b\nversion: '1'\nrules:\n  - {id: B-1, title: t, pillar: p, check: {pass: 'true'}}\n", "rules/b.yml")
    write_pack("pack: a\nversion: '1'\nrules:\n  - {id: A-1, title: t, pillar: p, check: {pass: 'true'}}\n", "rules/a.yaml")
    write_pack("pack: c\nversion: '1'\nrules:\n  - {id: C-1, title: t, pillar: p, check: {pass: 'true'}}\n", "rules/C.YAML")
    write_pack("not: a pack\n", "rules/notes.txt")
    write_pack("pack: deep\nversion: '1'\n", "rules/sub/deep.yaml")
    ruleset = load_rules([str(tmp_path / "rules")])
    assert [p.name for p in ruleset.packs] == ["c", "a", "b"]  # sorted by name: "C.YAML" < "a.yaml"
    assert [r.id for r in ruleset.rules] == ["C-1", "A-1", "B-1"]
    # a file reached twice is loaded once
    again = load_rules([str(tmp_path / "rules"), str(tmp_path / "rules" / "a.yaml")])
    assert [p.name for p in again.packs] == ["c", "a", "b"]


def test_missing_paths_and_empty_folders_are_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    assert messages([tmp_path / "nope.yaml", tmp_path / "empty"]) == [
        f"{tmp_path / 'nope.yaml'}: no such rule file or folder",
        f"{tmp_path / 'empty'}: no rule files (*.yaml, *.yml) in this folder",
    ]


def test_duplicate_rule_id_names_both_places(write_pack):
    rule = "rules:\n  - id: ENV-001\n    title: t\n    pillar: p\n    check: {pass: 'true'}\n"
    first = write_pack("pack: one\nversion: '1'\n" + rule, "a.yaml")
    second = write_pack("pack: two\nversion: '1'\ndescription: x\n" + rule, "b.yaml")
    assert messages([first, second]) == [
        f"{second}:5: ENV-001: duplicate rule id 'ENV-001'; first defined at {first}:4",
    ]
    same_file = write_pack("pack: three\nversion: '1'\n" + rule + rule[len("rules:\n"):], "c.yaml")
    assert messages([same_file]) == [f"{same_file}:8: ENV-001: duplicate rule id 'ENV-001'; first defined at {same_file}:4"]


def test_grading_in_two_files_names_both(write_pack):
    first = write_pack("pack: one\nversion: '1'\ngrading: {bands: {A: 90}}\n", "a.yaml")
    second = write_pack("pack: two\nversion: '1'\n\ngrading: {pillars: {social: 2}}\n", "b.yaml")
    assert messages([first, second]) == [
        f"{second}:4: grading is set in both {first} and {second}; at most one loaded file may set it",
    ]
    assert load_rules([str(first)]).grading == Grading(bands=(("A", 90.0),), pillars={})


@pytest.mark.parametrize(
    ("grading", "message"),
    [
        ("{bands: {A: 80, B: 85}}", "grading.bands: A (80) must need a higher score than B (85)"),
        ("{bands: {A: 80, E: 10}}", "grading.bands: grade 'E' is not one of A, B, C (below the lowest band the grade is D)"),
        ("{bands: {A: high}}", "'grading.bands.A' must be a number, not 'high'"),
        ("{bands: {A: 120}}", "grading.bands.A must be a score from 0 to 100, not 120"),
        ("{bands: {}}", "grading.bands must map grades to minimum scores, e.g. {A: 80, B: 60, C: 40}, not an empty mapping"),
        ("{pillars: {social: -1}}", "grading.pillars.social must be a weight from 0 to 1000, not -1"),
        ("{pillars: [social]}", "grading.pillars must map pillar names to weights, not a list"),
        ("{band: {A: 80}}", "unknown key 'band' in grading; did you mean 'bands'?"),
    ],
)
def test_grading_is_validated(write_pack, grading, message):
    path = write_pack(f"pack: p\nversion: '1'\ngrading: {grading}\n")
    (error,) = lint_rules([str(path)])
    assert (error.location.line, error.message) == (3, message)


def test_declared_fields(write_pack):
    path = write_pack("pack: p\nversion: '1'\nfields: {cbam_embedded_tco2e: number, renewable_share: number, audited_on: date}\n")
    ruleset = load_rules([str(path)])
    # a canonical field declared with its own type is accepted and left out
    assert ruleset.fields == {"cbam_embedded_tco2e": "number", "audited_on": "date"}
    assert ruleset.packs[0].fields == {"cbam_embedded_tco2e": "number", "audited_on": "date"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("{country: number}", "fields.country: 'country' is a canonical Suppliers field of type text; it cannot be declared as number"),
        ("{sbti_target: text}", "fields.sbti_target: 'sbti_target' is a canonical Suppliers field of type bool; it cannot be declared as text"),
        ("{cbam: integer}", "fields.cbam: type must be one of number, text, date, bool, not 'integer'"),
        ("{cbam: numbr}", "fields.cbam: type must be one of number, text, date, bool, not 'numbr'; did you mean 'number'?"),
        ("{'CBAM value': number}", "fields: 'CBAM value' cannot be used in expressions; use lower-case letters, digits and _"),
        ("{as_of: date}", "fields: 'as_of' cannot be used in expressions; use lower-case letters, digits and _"),
        ("[cbam]", "fields must map field names to a type (number, text, date, bool), not a list"),
    ],
)
def test_declared_fields_are_validated(write_pack, fields, message):
    path = write_pack(f"pack: p\nversion: '1'\nfields: {fields}\n")
    (error,) = lint_rules([str(path)])
    assert error.message == message


def test_a_field_declared_with_two_types_across_packs(write_pack):
    first = write_pack("pack: one\nversion: '1'\nfields: {cbam: number}\n", "a.yaml")
    second = write_pack("pack: two\nversion: '1'\nfields:\n  cbam: text\n", "b.yaml")
    assert messages([first, second]) == [f"{second}:4: fields.cbam is declared as text here but as number in {first}"]


def test_a_field_declared_by_another_pack_is_unknown_here(write_pack):
    first = write_pack("pack: one\nversion: '1'\nfields: {cbam: number}\n", "a.yaml")
    second = write_pack(
        "pack: two\nversion: '1'\nrules:\n  - {id: T-1, title: t, pillar: p, check: {pass: 'cbam > 0'}}\n",
        "b.yaml",
    )
    assert messages([first, second]) == [
        f"{second}:4: T-1: pass: unknown field 'cbam'; the closest known field is 'name'; "
        "declare non-canonical fields in the pack's `fields:`"
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty rule file; expected a mapping with pack, version and rules"),
        ("- a\n- b\n", 1, "a rule file must be a mapping with pack, version and rules, not a list"),
        ("version: '1'\n", 1, "a rule pack needs 'pack'"),
        ("pack: p\n", 1, "a rule pack needs 'version'"),
        ("pack: p\nversion: '1'\nrules: {id: x}\n", 3, "rules must be a list of rule mappings, not a mapping"),
        ("pack: p\nversion: '1'\nrules:\n  - just text\n", 4, "each entry of rules must be a mapping (id, title, pillar, check, ...), not 'just text'"),
        ("pack: p\nversion: '1'\ntests: {a: 1}\n", 3, "tests must be a list of test cases (mappings), not a mapping"),
        ("pack: p\nversion: '1'\ntests:\n  - {name: x}\n  - oops\n", 5, "tests: case 2 must be a mapping, not 'oops'"),
        ("pack: p\nversion: '1'\npack: q\n", 3, "duplicate key 'pack'"),
        ("pack: p\nversion: '1'\nrules: [\n", 4, "invalid YAML: while parsing a flow node: expected the node content, but found '<stream end>'"),
        ("pack: p\n  version: '1'\n", 2, "invalid YAML: mapping values are not allowed here"),
    ],
)
def test_file_level_errors(write_pack, text, line, message):
    path = write_pack(text)
    (error,) = lint_rules([str(path)])
    assert (error.location.file, error.location.line, error.message) == (str(path), line, message)


def test_a_rule_file_must_be_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("pack: café\nversion: '1'\n".encode("latin-1"))
    (error,) = lint_rules([str(path)])
    assert error.message == "a rule file must be UTF-8 text (invalid continuation byte at byte 9)"


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("{}", "check must be a mapping with one of: pass (expression), certificate, required, trend, min_suppliers (sourcing), expectation, each"),
        ("ISO 14001", "check must be a mapping with one of"),
        ("{passes: 'true'}", "check: cannot tell its kind; it needs one of: pass (expression), certificate, required, trend, min_suppliers (sourcing), expectation, each; did you mean 'pass'?"),
        ("{warn: 'true'}", "check: cannot tell its kind"),
        ("{pass: 'true', certificate: ISO 14001}", "check: ambiguous, it has both 'pass' (expression) and 'certificate' (certificate); a rule has one check"),
        ("{pass: 'renewable_share'}", "pass: must give true/false, but gives a number"),
        ("{pass: 1}", "pass: expected an expression (text), not 1"),
        ("{pass: 'true', warn: 'x > 1'}", "warn: unknown field 'x'"),
        ("{certificate: ''}", "'certificate' must be non-empty text, not ''"),
        ("{certificate: ISO 14001, warn_within_days: -1}", "'warn_within_days' must be a whole number from 0 to 1,000, not -1 (a number)"),
        ("{certificate: ISO 14001, issuers: SGS}", "'issuers' must be a non-empty list of text, not 'SGS'"),
        ("{certificate: ISO 27001, retired_editions: {2013: soon}}", "'retired_editions.2013' must be a date YYYY-MM-DD, not 'soon'"),
        ("{certificate: ISO 27001, retired_editions: [2013]}", "'retired_editions' must map an edition year to its last valid day"),
        ("{required: []}", "'required' must be a non-empty list of text, not an empty list"),
        ("{required: [scope1_tco2, name]}", "required: unknown field 'scope1_tco2'; did you mean 'scope1_tco2e'?"),
        ("{trend: 'scope1_tco2e', years: 3}", "a trend check needs 'max_annual_change'"),
        ("{trend: 'scope1_tco2e > 1', years: 3, max_annual_change: 0}", "trend: must give a number, but gives true/false"),
        ("{trend: scope1_tco2e, years: 2.5, max_annual_change: 0}", "'years' must be a whole number from 1 to 1,000, not 2.5 (a number)"),
        ("{trend: scope1_tco2e, years: 2, max_annual_change: lots}", "'max_annual_change' must be a number, not 'lots'"),
        ("{min_suppliers: 0}", "'min_suppliers' must be a whole number from 1 to 1,000, not 0 (a number)"),
        ("{min_suppliers: 2, material: [steel]}", "unknown key 'material' in a sourcing check; did you mean 'materials'?"),
    ],
)
def test_check_errors_name_rule_and_line(write_pack, check, message):
    path = write_pack(f"pack: p\nversion: '1'\nrules:\n  - id: R-1\n    title: t\n    pillar: p\n    check: {check}\n")
    errors = lint_rules([str(path)])
    assert errors, check
    assert (errors[0].location.line, errors[0].location.rule_id) == (7, "R-1")
    assert message in errors[0].message


def test_expression_error_points_at_its_own_line(write_pack):
    path = write_pack(
        "pack: p\nversion: '1'\nrules:\n  - id: R-1\n    title: t\n    pillar: p\n    check:\n"
        "      pass: renewable_share > 0\n      warn: renewabl_share > 0\n"
        "    applies_to: categry == 'x'\n"
    )
    assert messages([path]) == [
        f"{path}:9: R-1: warn: unknown field 'renewabl_share'; did you mean 'renewable_share'?",
        f"{path}:10: R-1: applies_to: unknown field 'categry'; did you mean 'category'?",
    ]


def test_rule_id_must_be_text_without_spaces(write_pack):
    path = write_pack("pack: p\nversion: '1'\nrules:\n  - {id: 7, title: t, pillar: p, check: {pass: 'true'}}\n"
                      "  - {id: 'ENV 1', title: t, pillar: p, check: {pass: 'true'}}\n")
    assert messages([path]) == [
        f"{path}:4: 'id' must be non-empty text, not 7 (a number)",
        f"{path}:5: rule id 'ENV 1' may hold only letters, digits and . _ - : /",
    ]


def test_yaml_dates_and_merge_keys_are_plain_data(write_pack):
    path = write_pack(
        """\
        pack: p
        version: '1'
        x-common: &common {title: shared title, pillar: governance}
        rules:
          - <<: *common
            id: R-1
            check: {certificate: ISO 27001, retired_editions: {2013: 2025-10-31}}
        """
    )
    # `x-common` is not a pack key: the anchor has to live somewhere a pack allows
    assert messages([path]) == [f"{path}:3: unknown key 'x-common' in a rule pack"]
    path = write_pack(
        """\
        pack: p
        version: '1'
        rules:
          - &first {id: R-0, title: shared title, pillar: governance, check: {pass: 'true'}}
          - <<: *first
            id: R-1
            check: {certificate: ISO 27001, retired_editions: {2013: 2025-10-31}}
        """
    )
    rule = load_rules([str(path)]).rules[1]
    assert (rule.id, rule.title, rule.pillar) == ("R-1", "shared title", "governance")
    assert rule.check.retired_editions == ((2013, date(2025, 10, 31)),)

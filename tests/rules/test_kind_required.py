"""Check kind `required` (SPEC §4): a disclosure rule, never `missing`."""

from __future__ import annotations

RULE = """
- id: GHG-001
  title: Scope 1 and 2 reported
  pillar: environment
  check: {required: [scope1_tco2e, scope2_tco2e]}
"""


def test_pass_when_every_field_is_present_else_fail(data, results):
    rows = [
        {"supplier_id": "S1", "scope1_tco2e": 0.0, "scope2_tco2e": 5.0},
        {"supplier_id": "S2", "scope1_tco2e": 10.0, "scope2_tco2e": None},
        {"supplier_id": "S3", "scope1_tco2e": None, "scope2_tco2e": None},
    ]
    assert results(RULE, data(rows)) == {
        "S1": ("pass", ""),  # nothing to say beyond the rule: no message
        "S2": ("fail", "not reported: scope2_tco2e"),
        "S3": ("fail", "not reported: scope1_tco2e, scope2_tco2e"),
    }


def test_a_field_the_input_lacks_fails_for_everyone(data, results):
    rows = [{"supplier_id": "S1", "scope1_tco2e": 1.0}, {"supplier_id": "S2", "scope1_tco2e": None}]
    assert results(RULE, data(rows)) == {
        "S1": ("fail", "not reported: scope2_tco2e"),
        "S2": ("fail", "not reported: scope1_tco2e, scope2_tco2e"),
    }


def test_text_and_declared_fields(data, statuses):
    rule = """
    - id: GOV-001
      title: Contact and policy
      pillar: governance
      check:
        required: [name, country, policy_url]
    """
    rows = [
        {"supplier_id": "S1", "name": "Acme", "country": "NA", "policy_url": "https://acme.example/esg"},
        {"supplier_id": "S2", "name": "Beta", "country": "DE", "policy_url": None},
    ]
    assert statuses(rule, data(rows), header="fields: {policy_url: text}\n") == {"S1": "pass", "S2": "fail"}


def test_applies_to_gives_na(data, statuses):
    rule = RULE + "  applies_to: \"category == 'metal'\"\n"
    rows = [
        {"supplier_id": "S1", "category": "metal"},
        {"supplier_id": "S2", "category": "services"},
    ]
    assert statuses(rule, data(rows)) == {"S1": "fail", "S2": "n/a"}

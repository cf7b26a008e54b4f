"""Check kind `expression` (SPEC §4): the pass/warn three-valued table, messages, applies_to."""

from __future__ import annotations

RULE = """
- id: ENV-002
  title: Renewable electricity share
  pillar: environment
  check:
    pass: renewable_share >= 0.6
    warn: renewable_share >= 0.3
"""


def shares(*values):
    return [{"supplier_id": f"S{i + 1}", "renewable_share": v} for i, v in enumerate(values)]


def test_pass_warn_fail_missing(data, results):
    assert results(RULE, data(shares(0.6, 0.45, 0.1, None))) == {
        "S1": ("pass", ""),  # a pass says nothing the rule does not: no message
        "S2": ("warn", "renewable_share is 0.45; pass needs renewable_share >= 0.6 "
                       "(meets warn level renewable_share >= 0.3)"),
        "S3": ("fail", "renewable_share is 0.1; pass needs renewable_share >= 0.6; "
                       "warn needs renewable_share >= 0.3"),
        "S4": ("missing", "missing: renewable_share"),
    }


def test_without_warn_false_is_fail(data, results):
    rule = """
    - id: R1
      title: t
      pillar: p
      check: {pass: "renewable_share >= 0.6"}
    """
    assert results(rule, data(shares(0.7, 0.5, None))) == {
        "S1": ("pass", ""),
        "S2": ("fail", "renewable_share is 0.5; pass needs renewable_share >= 0.6"),
        "S3": ("missing", "missing: renewable_share"),
    }


def test_warn_unknown_gives_missing(data, statuses):
    # pass false; the warn level needs a field the supplier did not give
    rule = """
    - id: R1
      title: t
      pillar: p
      check:
        pass: renewable_share >= 0.6
        warn: energy_mwh < 1000
    """
    rows = [
        {"supplier_id": "S1", "renewable_share": 0.1, "energy_mwh": 10.0},
        {"supplier_id": "S2", "renewable_share": 0.1, "energy_mwh": 5000.0},
        {"supplier_id": "S3", "renewable_share": 0.1, "energy_mwh": None},
        {"supplier_id": "S4", "renewable_share": 0.9, "energy_mwh": None},
        {"supplier_id": "S5", "renewable_share": None, "energy_mwh": 10.0},
    ]
    assert statuses(rule, data(rows)) == {
        "S1": "warn", "S2": "fail", "S3": "missing", "S4": "pass", "S5": "missing",
    }


def test_missing_message_names_every_missing_field_and_unknown_results(data, results):
    rule = """
    - id: GHG-004
      title: Carbon intensity
      pillar: environment
      check:
        pass: (scope1_tco2e + scope2_tco2e) / revenue_musd <= 10
    """
    rows = [
        {"supplier_id": "S1", "scope1_tco2e": 300.0, "scope2_tco2e": 200.0, "revenue_musd": 10.0},
        {"supplier_id": "S2", "scope1_tco2e": None, "scope2_tco2e": None, "revenue_musd": 10.0},
        {"supplier_id": "S3", "scope1_tco2e": 5.0, "scope2_tco2e": 5.0, "revenue_musd": 0.0},
    ]
    assert results(rule, data(rows)) == {
        "S1": ("fail", "scope1_tco2e is 300, scope2_tco2e is 200, revenue_musd is 10; "
                       "pass needs (scope1_tco2e + scope2_tco2e) / revenue_musd <= 10"),
        "S2": ("missing", "missing: scope1_tco2e, scope2_tco2e"),
        "S3": ("missing", "missing: no value for (scope1_tco2e + scope2_tco2e) / revenue_musd <= 10"),
    }


def test_text_values_are_quoted_and_bools_spelled(data, results):
    rule = """
    - id: R1
      title: t
      pillar: p
      check: {pass: "sbti_target and country == 'DE'"}
    """
    rows = [
        {"supplier_id": "S1", "sbti_target": True, "country": "DE"},
        {"supplier_id": "S2", "sbti_target": False, "country": "NA"},
        {"supplier_id": "S3", "sbti_target": True, "country": "FR"},
        {"supplier_id": "S4", "sbti_target": False, "country": None},
    ]
    assert results(rule, data(rows)) == {
        "S1": ("pass", ""),
        "S2": ("fail", "sbti_target is false, country is 'NA'; pass needs sbti_target and country == 'DE'"),
        "S3": ("fail", "sbti_target is true, country is 'FR'; pass needs sbti_target and country == 'DE'"),
        "S4": ("fail", "sbti_target is false, country is missing; "
                       "pass needs sbti_target and country == 'DE'"),
    }


def test_isna_passes_on_missing_data(data, results):
    rule = """
    - id: R1
      title: No defects reported as missing
      pillar: p
      check: {pass: "isna(defect_ppm) or defect_ppm < 100"}
    """
    rows = [{"supplier_id": "S1", "defect_ppm": None}, {"supplier_id": "S2", "defect_ppm": 250.0}]
    assert results(rule, data(rows)) == {
        "S1": ("pass", ""),
        "S2": ("fail", "defect_ppm is 250; pass needs isna(defect_ppm) or defect_ppm < 100"),
    }


def test_declared_field_in_a_rule(data, statuses):
    header = "fields: {cbam_embedded_tco2e: number, cbam_verified: bool}\n"
    rule = """
    - id: CBAM-002
      title: Verified embedded emissions
      pillar: environment
      check:
        pass: cbam_verified and cbam_embedded_tco2e >= 0
    """
    rows = [
        {"supplier_id": "S1", "cbam_embedded_tco2e": 12.5, "cbam_verified": True},
        {"supplier_id": "S2", "cbam_embedded_tco2e": 3.0, "cbam_verified": False},
        {"supplier_id": "S3", "cbam_embedded_tco2e": None, "cbam_verified": True},
    ]
    assert statuses(rule, data(rows), header=header) == {"S1": "pass", "S2": "fail", "S3": "missing"}
    # a declared field the input lacks is missing for everyone
    assert statuses(rule, data([{"supplier_id": "S1"}]), header=header) == {"S1": "missing"}


def test_applies_to_overrides_every_status(data, results):
    rule = RULE + "  applies_to: \"category != 'services'\"\n"
    rows = [
        {"supplier_id": "S1", "category": "services", "renewable_share": 0.9},
        {"supplier_id": "S2", "category": None, "renewable_share": 0.9},
        {"supplier_id": "S3", "category": "metal", "renewable_share": None},
        {"supplier_id": "S4", "category": "metal", "renewable_share": 0.9},
    ]
    na = ("n/a", "")  # the condition is in the rule's metadata, not repeated per result
    assert results(rule, data(rows)) == {
        "S1": na,
        "S2": na,
        "S3": ("missing", "missing: renewable_share"),
        "S4": ("pass", ""),
    }


def test_pass_true_literal(data, statuses):
    rule = """
    - id: R1
      title: t
      pillar: p
      check: {pass: true}
    """
    assert statuses(rule, data([{"supplier_id": "S1"}])) == {"S1": "pass"}

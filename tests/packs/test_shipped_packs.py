"""The shipped packs: valid, complete metadata, one grading, and tested by their own cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from esg_audit.rules import default_rules_path, lint_rules, load_rules
from esg_audit.rules.testing import parse_cases, rules_without_cases, run_pack_tests
from esg_audit.yaml_reader import parse_yaml

PACKS = default_rules_path()
PACK_FILES = sorted(PACKS.glob("*.yaml"))
PREFIXES = {
    "business-ethics": "BE-",
    "cbam": "CBAM-",
    "conflict-minerals": "CM-",
    "deforestation": "EUDR-",
    "ghg-disclosure": "GHG-",
    "human-rights-due-diligence": "HR-",
    "iso-certifications": "ISO-",
    "ratings": "RAT-",
    "renewable-electricity": "RE-",
    "sbti-trajectory": "SBTI-",
    "sourcing-resilience": "SRC-",
    "supplier-performance": "PERF-",
}
REQUIRED_KEYS = ("id", "title", "pillar", "severity", "weight", "remediation", "rationale", "references")


@pytest.fixture(scope="module")
def ruleset():
    return load_rules([str(PACKS)])


def test_the_repository_rules_folder_is_the_shipped_packs():
    repo_rules = Path(__file__).resolve().parents[2] / "rules"
    assert repo_rules.resolve() == PACKS
    assert [p.name for p in PACK_FILES] == [f"{name}.yaml" for name in sorted(PREFIXES)]


def test_shipped_packs_lint_clean():
    assert lint_rules([str(PACKS)]) == []


def test_each_pack_is_named_after_its_file_and_versioned(ruleset):
    assert [(Path(p.path).stem, p.name, p.version) for p in ruleset.packs] == [
        (name, name, "2026.11") for name in sorted(PREFIXES)
    ]
    assert all(p.description for p in ruleset.packs)


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.stem)
def test_every_rule_states_all_its_metadata(path):
    document = parse_yaml(path.read_text(encoding="utf-8"))
    for rule in document["rules"]:
        missing = [key for key in REQUIRED_KEYS if not rule.get(key)]
        assert missing == [], f"{rule.get('id')} lacks {missing}"
        assert rule["id"].startswith(PREFIXES[document["pack"]])


def test_rule_ids_are_numbered_in_order_within_each_pack(ruleset):
    for pack in ruleset.packs:
        numbers = [int(rule.id.rsplit("-", 1)[1]) for rule in pack.rules]
        assert numbers == list(range(1, len(numbers) + 1)), pack.name


def test_exactly_one_pack_sets_the_grading_and_every_pillar_has_a_weight(ruleset):
    assert [p.name for p in ruleset.packs if p.grading is not None] == ["iso-certifications"]
    assert ruleset.grading.bands == (("A", 80.0), ("B", 60.0), ("C", 40.0))
    assert dict(ruleset.grading.pillars) == {
        "environment": 0.4, "social": 0.2, "governance": 0.2, "performance": 0.1, "resilience": 0.1,
    }
    assert {rule.pillar for rule in ruleset.rules} == set(ruleset.grading.pillars)


def test_the_fields_each_pack_declares(ruleset):
    assert {p.name: dict(p.fields) for p in ruleset.packs if p.fields} == {
        "business-ethics": {
            "anti_bribery_policy": "bool", "sanctions_screening_date": "date",
            "sanctions_screening_result": "text", "whistleblowing_channel": "bool",
            "employees": "number",
        },
        "cbam": {"cbam_embedded_tco2e": "number"},
        "conflict-minerals": {
            "contains_3tg": "bool", "cmrt_date": "date", "smelters_declared": "number",
            "smelters_conformant": "number",
        },
        "deforestation": {
            "eudr_commodity": "text", "company_size": "text", "eudr_dds_reference": "text",
            "eudr_geolocation": "bool",
        },
        "human-rights-due-diligence": {
            "code_of_conduct_acknowledged": "bool", "code_of_conduct_date": "date",
            "hr_risk_assessment_date": "date", "grievance_mechanism": "bool",
            "social_audit_scheme": "text", "social_audit_date": "date",
            "social_audit_result": "text",
        },
        "ratings": {
            "ecovadis_score": "number", "ecovadis_medal": "text", "ecovadis_date": "date",
            "cdp_climate_score": "text", "cdp_year": "number",
        },
    }


def test_social_and_governance_pillars_hold_at_least_five_rules_each(ruleset):
    by_pillar = {}
    for rule in ruleset.rules:
        by_pillar.setdefault(rule.pillar, []).append(rule.id)
    assert by_pillar["social"] == ["HR-001", "HR-002", "HR-003", "HR-004", "HR-005", "ISO-003"]
    assert by_pillar["governance"] == [
        "BE-001", "BE-002", "BE-003", "BE-004", "CBAM-001", "CBAM-002", "CBAM-003", "CBAM-004",
        "CBAM-008", "CBAM-009", "CM-001", "CM-002", "ISO-002", "RAT-001",
    ]


def test_knockouts_are_the_failed_social_audit_and_a_confirmed_sanctions_match(ruleset):
    assert [(r.id, str(r.severity)) for r in ruleset.rules if r.knockout] == [
        ("BE-003", "critical"), ("HR-005", "critical"),
    ]


def test_every_shipped_rule_has_a_passing_and_a_failing_case(ruleset):
    assert rules_without_cases(ruleset) == []


def test_case_names_are_unique_identifiers(ruleset):
    names = [(case.pack.name, case.name) for case in parse_cases(ruleset)]
    assert len(names) == len(set(names)) == 54
    assert all(name.replace("_", "").isalnum() for _, name in names)


def test_rules_test_passes_every_case_of_the_shipped_packs(run_rules, monkeypatch):
    seen = []

    def recording(ruleset):
        seen.extend(run_pack_tests(ruleset))
        return seen

    monkeypatch.setattr("esg_audit.rules.testing.run_pack_tests", recording)  # imported when the command runs
    result = run_rules("test")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "54 cases: ok"
    assert [line.split(":")[0] for line in lines[:-1]] == [
        *["ok    business-ethics"] * 7,
        *["ok    cbam"] * 15,
        "ok    conflict-minerals", "ok    conflict-minerals",
        *["ok    deforestation"] * 6,
        "ok    ghg-disclosure", "ok    ghg-disclosure", "ok    ghg-disclosure",
        *["ok    human-rights-due-diligence"] * 5,
        "ok    iso-certifications", "ok    iso-certifications", "ok    iso-certifications",
        *["ok    ratings"] * 4,
        "ok    renewable-electricity", "ok    renewable-electricity",
        "ok    sbti-trajectory", "ok    sbti-trajectory", "ok    sbti-trajectory",
        "ok    sourcing-resilience", "ok    sourcing-resilience",
        "ok    supplier-performance", "ok    supplier-performance",
    ]
    assert result.stderr == ""
    # A case whose rows raise data issues would test the normaliser, not the rule.
    assert [(o.case, o.data_issues) for o in seen if o.data_issues] == []

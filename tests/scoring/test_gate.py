"""SPEC §6 gate: one verdict per supplier, with reasons a procurement officer reads."""

from __future__ import annotations

import json

import pytest

from esg_audit.gate import GatePolicy, Verdict, decide, verdicts_document


@pytest.fixture
def scored(audit):
    rules = [
        audit.rule(
            "ENV-001", title="Valid ISO 14001 certificate", severity="high", weight=4, knockout=True
        ),
        audit.rule("ENV-002", title="Renewable electricity share", severity="medium", weight=2),
        audit.rule(
            "SOC-001",
            title="Code of conduct signed",
            severity="critical",
            pillar="social",
            on_missing="skip",
        ),
        audit.rule("GOV-001", title="Sanctions screening", severity="low", pillar="governance"),
    ]
    statuses = {
        # A, nothing wrong
        "S-A": {"ENV-001": "pass", "ENV-002": "pass", "SOC-001": "pass", "GOV-001": "pass"},
        # B with a critical warn (warn never rejects) and a low fail
        "S-B": {"ENV-001": "pass", "ENV-002": "pass", "SOC-001": "warn", "GOV-001": "fail"},
        # knockout ENV-001 failed: grade D
        "S-KO": {"ENV-001": "fail", "ENV-002": "pass", "SOC-001": "pass", "GOV-001": "pass"},
        # critical missing (skipped in the score, still blocks on fail_on), medium fail
        "S-M": {"ENV-001": "pass", "ENV-002": "fail", "SOC-001": "missing", "GOV-001": "pass"},
        # nothing scored: N/A
        "S-NA": {"ENV-001": "n/a", "ENV-002": "n/a", "SOC-001": "n/a", "GOV-001": "n/a"},
        # high fail waived: never rejects
        "S-W": {"ENV-001": "fail", "ENV-002": "pass", "SOC-001": "pass", "GOV-001": "pass"},
    }
    names = ["Acme", "Beta", None, "Mono", "Nada", "Waiv"]
    return audit.score(
        rules,
        statuses,
        data=audit.data(list(statuses), names=names),
        pillars={"environment": 0.5, "social": 0.25, "governance": 0.25},
        waivers=[audit.waiver("S-W", "ENV-001")],
    )


def test_grades_of_the_fixture(scored):
    assert scored.suppliers[["supplier_id", "score_display", "grade"]].values.tolist()[:3] == [
        ["S-A", 100.0, "A"],
        ["S-B", 62.5, "B"],
        ["S-KO", 66.7, "D"],
    ]
    assert scored.suppliers["grade"].tolist()[3:] == ["B", "N/A", "A"]


def test_default_policy_min_grade_c(scored):
    verdicts = decide(scored, GatePolicy())
    assert verdicts == [
        Verdict("S-A", "Acme", 100.0, "A", True, ()),
        Verdict("S-B", "Beta", 62.5, "B", True, ()),
        Verdict(
            "S-KO",
            None,
            66.7,
            "D",
            False,
            ("grade D is below the minimum C", "knockout ENV-001 failed"),
        ),
        Verdict("S-M", "Mono", 77.8, "B", True, ()),
        Verdict(
            "S-NA",
            "Nada",
            None,
            "N/A",
            False,
            ("grade N/A (nothing could be scored) is below the minimum C",),
        ),
        Verdict("S-W", "Waiv", 100.0, "A", True, ()),
    ]


def test_min_grade_d_accepts_d_but_never_n_a(scored):
    verdicts = {v.supplier_id: v for v in decide(scored, GatePolicy(min_grade="D"))}
    assert verdicts["S-KO"].approved and verdicts["S-KO"].reasons == ()
    assert not verdicts["S-NA"].approved
    assert verdicts["S-NA"].reasons == (
        "grade N/A (nothing could be scored) is below the minimum D",
    )


def test_min_grade_a(scored):
    verdicts = decide(scored, GatePolicy(min_grade="a"))
    assert [v.approved for v in verdicts] == [True, False, False, False, False, True]
    assert verdicts[1].reasons == ("grade B is below the minimum A",)


def test_fail_on_rejects_fail_and_missing_at_or_above_the_severity(scored):
    verdicts = decide(scored, GatePolicy(min_grade="D", fail_on="medium"))
    assert [(v.supplier_id, v.approved, v.reasons) for v in verdicts] == [
        ("S-A", True, ()),
        ("S-B", True, ()),  # critical warn and low fail: below medium or a warn
        ("S-KO", False, ("ENV-001 Valid ISO 14001 certificate: fail (high)",)),
        (
            "S-M",
            False,
            (
                "SOC-001 Code of conduct signed: missing (critical)",
                "ENV-002 Renewable electricity share: fail (medium)",
            ),
        ),
        ("S-NA", False, ("grade N/A (nothing could be scored) is below the minimum D",)),
        ("S-W", True, ()),  # waived never rejects
    ]


def test_fail_on_low_and_critical(scored):
    low = {v.supplier_id: v for v in decide(scored, GatePolicy(min_grade="D", fail_on="low"))}
    assert low["S-B"].reasons == ("GOV-001 Sanctions screening: fail (low)",)
    critical = decide(scored, GatePolicy(min_grade="D", fail_on="CRITICAL"))
    assert [v.supplier_id for v in critical if not v.approved] == ["S-M", "S-NA"]


def test_grade_and_severity_reasons_together(scored):
    verdicts = decide(scored, GatePolicy(min_grade="C", fail_on="high"))
    assert verdicts[2].reasons == (
        "grade D is below the minimum C",
        "knockout ENV-001 failed",
        "ENV-001 Valid ISO 14001 certificate: fail (high)",
    )


def test_knockout_missing_reason(audit):
    rules = [audit.rule("K", knockout=True), audit.rule("R")]
    result = audit.score(rules, {"S1": {"K": "missing", "R": "pass"}})
    (verdict,) = decide(result, GatePolicy())
    assert verdict.reasons == (
        "grade D is below the minimum C",
        "knockout K missing (counted as fail)",
    )


def test_verdicts_document(scored):
    policy = GatePolicy(min_grade="C", fail_on="high")
    document = verdicts_document(scored, policy, decide(scored, policy))
    assert document["as_of"] == "2026-11-27"
    assert document["policy"] == {"min_grade": "C", "fail_on": "high"}
    assert document["suppliers"][:3] == [
        {
            "supplier_id": "S-A",
            "name": "Acme",
            "score": 100.0,
            "grade": "A",
            "approved": True,
            "reasons": [],
        },
        {
            "supplier_id": "S-B",
            "name": "Beta",
            "score": 62.5,
            "grade": "B",
            "approved": True,
            "reasons": [],
        },
        {
            "supplier_id": "S-KO",
            "name": None,
            "score": 66.7,
            "grade": "D",
            "approved": False,
            "reasons": [
                "grade D is below the minimum C",
                "knockout ENV-001 failed",
                "ENV-001 Valid ISO 14001 certificate: fail (high)",
            ],
        },
    ]
    assert document["suppliers"][4]["score"] is None
    json.dumps(document)  # plain JSON values only
    no_fail_on = verdicts_document(scored, GatePolicy(), decide(scored, GatePolicy()))
    assert no_fail_on["policy"] == {"min_grade": "C", "fail_on": None}


def test_unknown_min_grade_is_refused(scored):
    with pytest.raises(ValueError, match="unknown minimum grade"):
        decide(scored, GatePolicy(min_grade="E"))

"""SPEC §5 scoring: factors, pillars, overall score, rounding, grades, knockouts, findings."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from esg_audit.model import STATUSES
from esg_audit.scoring import grade_for, round_half_up, score_audit


def _row(result, supplier_id: str) -> dict:
    frame = result.suppliers
    return frame[frame["supplier_id"] == supplier_id].iloc[0].to_dict()


def _points(result) -> list[tuple[str, str, str, float, float]]:
    r = result.results.frame()
    return list(
        zip(
            r["supplier_id"].astype(str),
            r["rule_id"].astype(str),
            r["status"].astype(str),
            r["points"].tolist(),
            r["max_points"].tolist(),
            strict=True,
        )
    )


def test_factors_points_and_on_missing(audit):
    rules = [
        audit.rule("R1", weight=4),
        audit.rule("R2", weight=2),
        audit.rule("R3", weight=2),
        audit.rule("R4", weight=2, on_missing="fail"),
        audit.rule("R5", weight=2, on_missing="warn"),
        audit.rule("R6", weight=3, on_missing="skip"),
        audit.rule("R7", weight=5),
    ]
    statuses = {
        "S1": {
            "R1": "pass",
            "R2": "warn",
            "R3": "fail",
            "R4": "missing",
            "R5": "missing",
            "R6": "missing",
            "R7": "n/a",
        }
    }
    result = audit.score(rules, statuses)
    assert _points(result) == [
        ("S1", "R1", "pass", 4.0, 4.0),
        ("S1", "R2", "warn", 1.0, 2.0),
        ("S1", "R3", "fail", 0.0, 2.0),
        ("S1", "R4", "missing", 0.0, 2.0),
        ("S1", "R5", "missing", 1.0, 2.0),
        ("S1", "R6", "missing", 0.0, 0.0),
        ("S1", "R7", "n/a", 0.0, 0.0),
    ]
    row = _row(result, "S1")
    # 100 x (4 + 1 + 0 + 0 + 1) / (4 + 2 + 2 + 2 + 2)
    assert row["pillar:environment"] == 50.0
    assert row["score"] == 50.0
    assert row["score_display"] == 50.0
    assert row["grade"] == "C"
    assert not row["knockout"]


def test_results_frame_columns_order_and_messages(audit):
    rules = [audit.rule("ENV-001"), audit.rule("SOC-001", pillar="social")]
    result = audit.score(
        rules,
        {"S2": {"SOC-001": "warn", "ENV-001": "pass"}, "S1": {"ENV-001": "fail", "SOC-001": "n/a"}},
        messages={("S1", "ENV-001"): "no valid ISO 14001 certificate"},
    )
    frame = result.results.frame()
    assert list(frame.columns) == [
        "supplier_id",
        "rule_id",
        "status",
        "points",
        "max_points",
        "message",
    ]
    # suppliers in input order, rules in load order, whatever order the engine gave
    assert frame.astype(str).values.tolist() == [
        ["S2", "ENV-001", "pass", "1.0", "1.0", "S2/ENV-001 is pass"],
        ["S2", "SOC-001", "warn", "0.5", "1.0", "S2/SOC-001 is warn"],
        ["S1", "ENV-001", "fail", "0.0", "1.0", "no valid ISO 14001 certificate"],
        ["S1", "SOC-001", "n/a", "0.0", "0.0", "S1/SOC-001 is n/a"],
    ]
    assert list(frame["status"].cat.categories) == list(STATUSES)
    assert result.pillars == ("environment", "social")


def test_rule_major_and_categorical_input_give_the_same_result(audit):
    rules = [audit.rule("A", weight=2), audit.rule("B", pillar="social")]
    data = audit.data(["S1", "S2", "S3"])
    rows = [
        ("S1", "A", "pass"),
        ("S2", "A", "fail"),
        ("S3", "A", "warn"),
        ("S1", "B", "missing"),
        ("S2", "B", "n/a"),
        ("S3", "B", "pass"),
    ]
    rule_major = pd.DataFrame(rows, columns=["supplier_id", "rule_id", "status"]).assign(
        message="m"
    )
    categorical = rule_major.astype(
        {
            "supplier_id": "category",
            "rule_id": "category",
            "status": pd.CategoricalDtype(list(STATUSES)),
        }
    )
    scored = [audit.score_frame(rules, frame, data) for frame in (rule_major.astype(str), categorical)]
    for result in scored:
        assert _points(result) == [
            ("S1", "A", "pass", 2.0, 2.0),
            ("S1", "B", "missing", 0.0, 1.0),
            ("S2", "A", "fail", 0.0, 2.0),
            ("S2", "B", "n/a", 0.0, 0.0),
            ("S3", "A", "warn", 1.0, 2.0),
            ("S3", "B", "pass", 1.0, 1.0),
        ]
        assert result.suppliers["score"].tolist() == [50.0, 0.0, 75.0]
        assert result.suppliers["grade"].tolist() == ["C", "D", "B"]


def test_incomplete_or_unknown_results_are_refused(audit):
    rules = [audit.rule("A"), audit.rule("B")]
    data = audit.data(["S1"])
    ruleset = audit.ruleset(rules)
    kwargs = dict(as_of=audit.as_of, waivers=None, generated_at=audit.generated_at)
    with pytest.raises(ValueError, match="exactly one row"):
        audit.grid(audit.results({"S1": {"A": "pass"}}), data, rules)
    with pytest.raises(ValueError, match="unknown status"):
        audit.grid(audit.results({"S1": {"A": "pass", "B": "ok"}}), data, rules)
    with pytest.raises(ValueError, match="not in the audit"):
        audit.grid(audit.results({"S9": {"A": "pass", "B": "pass"}}), data, rules)
    waived = audit.grid(audit.results({"S1": {"A": "pass", "B": "waived"}}), data, rules)
    with pytest.raises(ValueError, match="unknown status"):
        score_audit(ruleset, data, waived, **kwargs)
    other = audit.grid(audit.results({"S1": {"A": "pass"}}), data, rules[:1])
    with pytest.raises(ValueError, match="not in the audit"):
        score_audit(ruleset, data, other, **kwargs)


def test_pillar_weights_renormalise_over_non_null_pillars(audit):
    rules = [
        audit.rule("E1", pillar="environment"),
        audit.rule("S1", pillar="social"),
        audit.rule("G1", pillar="governance"),
    ]
    weights = {"environment": 0.5, "social": 0.25, "governance": 0.25}
    result = audit.score(
        rules,
        {
            "X1": {"E1": "pass", "S1": "warn", "G1": "n/a"},  # governance null
            "X2": {"E1": "fail", "S1": "pass", "G1": "pass"},
            "X3": {"E1": "n/a", "S1": "n/a", "G1": "n/a"},  # nothing counts
        },
        pillars=weights,
    )
    x1, x2, x3 = (_row(result, s) for s in ("X1", "X2", "X3"))
    assert (x1["pillar:environment"], x1["pillar:social"]) == (100.0, 50.0)
    assert math.isnan(x1["pillar:governance"])
    assert x1["score"] == pytest.approx((100 * 0.5 + 50 * 0.25) / 0.75)
    assert (x1["score_display"], x1["grade"]) == (83.3, "A")
    assert (x2["score"], x2["score_display"], x2["grade"]) == (50.0, 50.0, "C")
    assert math.isnan(x3["score"]) and math.isnan(x3["score_display"])
    assert x3["grade"] == "N/A"
    assert all(math.isnan(x3[f"pillar:{p}"]) for p in weights)


def test_a_pillar_without_a_weight_counts_one(audit):
    rules = [audit.rule("E1", pillar="environment"), audit.rule("S1", pillar="social")]
    result = audit.score(rules, {"X": {"E1": "pass", "S1": "fail"}}, pillars={"environment": 3})
    assert _row(result, "X")["score"] == 75.0


def test_weights_within_a_pillar(audit):
    rules = [audit.rule("E1", weight=10), audit.rule("E2", weight=5, severity="medium")]
    result = audit.score(rules, {"X": {"E1": "pass", "E2": "fail"}})
    row = _row(result, "X")
    assert row["score"] == pytest.approx(200 / 3)
    assert (row["score_display"], row["grade"]) == (66.7, "B")


def test_rounding_half_up_and_grade_from_the_rounded_score(audit):
    rules = [audit.rule("P", weight=273), audit.rule("F", weight=127)]
    result = audit.score(rules, {"X": {"P": "pass", "F": "fail"}})
    row = _row(result, "X")
    assert row["score"] == 68.25
    assert row["score_display"] == 68.3


def test_rounding_tolerates_binary_floating_point(audit):
    # environment 34.5 and social 100 with weights 0.1 each: exactly 67.25, but the float
    # mean is 67.24999999999999; it still rounds up.
    rules = [
        audit.rule("E-P", weight=69),
        audit.rule("E-F", weight=131),
        audit.rule("S-P", pillar="social"),
    ]
    result = audit.score(
        rules,
        {"X": {"E-P": "pass", "E-F": "fail", "S-P": "pass"}},
        pillars={"environment": 0.1, "social": 0.1},
    )
    row = _row(result, "X")
    assert row["score"] < 67.25
    assert row["score_display"] == 67.3


@pytest.mark.parametrize(
    ("passed", "failed", "display", "grade"),
    [
        (2124, 376, 85.0, "A"),
        (4247, 753, 84.9, "B"),
        (3, 2, 60.0, "B"),
        (1, 1, 50.0, "C"),
        (0, 1, 0.0, "D"),
        (1, 0, 100.0, "A"),
    ],
)
def test_grade_bands_at_the_edge(audit, passed, failed, display, grade):
    rules = [audit.rule("P", weight=passed), audit.rule("F", weight=failed)]
    result = audit.score(
        rules, {"X": {"P": "pass", "F": "fail"}}, bands={"A": 85, "B": 60, "C": 40}
    )
    row = _row(result, "X")
    assert (row["score_display"], row["grade"]) == (display, grade)


def test_round_half_up_and_grade_for_helpers():
    assert round_half_up(np.array([68.25, 84.96, 84.94, 0.05, np.nan])).tolist()[:4] == [
        68.3,
        85.0,
        84.9,
        0.1,
    ]
    from esg_audit.model import Grading

    grades = grade_for(
        np.array([85.0, 84.9, 40.0, 39.9, np.nan]),
        Grading(bands=(("C", 40.0), ("A", 85.0), ("B", 60.0))),
    )
    assert grades.tolist() == ["A", "B", "C", "D", "N/A"]


def test_knockout_fail_forces_grade_d(audit):
    rules = [audit.rule("K", knockout=True), audit.rule("R", weight=9)]
    result = audit.score(
        rules,
        {
            "FAIL": {"K": "fail", "R": "pass"},
            "MISS": {"K": "missing", "R": "pass"},
            "OK": {"K": "pass", "R": "pass"},
            "NA": {"K": "n/a", "R": "pass"},
        },
    )
    assert result.suppliers[["supplier_id", "score", "grade", "knockout"]].values.tolist() == [
        ["FAIL", 90.0, "D", True],
        ["MISS", 90.0, "D", True],
        ["OK", 100.0, "A", False],
        ["NA", 100.0, "A", False],
    ]


def test_knockout_missing_counts_only_when_on_missing_is_fail(audit):
    rules = [
        audit.rule("KW", knockout=True, on_missing="warn"),
        audit.rule("KS", knockout=True, on_missing="skip"),
        audit.rule("R", weight=8),
    ]
    result = audit.score(rules, {"X": {"KW": "missing", "KS": "missing", "R": "pass"}})
    row = _row(result, "X")
    assert (row["score"], row["grade"], row["knockout"]) == (
        pytest.approx(8.5 / 9 * 100),
        "A",
        False,
    )


def test_knockout_warn_does_not_force_d(audit):
    rules = [audit.rule("K", knockout=True), audit.rule("R", weight=3)]
    result = audit.score(rules, {"X": {"K": "warn", "R": "pass"}})
    assert (_row(result, "X")["grade"], _row(result, "X")["knockout"]) == ("A", False)


def test_findings_order_columns_and_due_dates(audit):
    rules = [
        audit.rule(
            "ENV-002", severity="medium", pillar="environment", references=("CSRD ESRS E1-6",)
        ),
        audit.rule(
            "ENV-001",
            severity="high",
            title="Valid ISO 14001 certificate",
            remediation="Certify the site.",
            references=("ISO 14001:2015",),
        ),
        audit.rule("SOC-001", severity="critical", pillar="social"),
        audit.rule("GOV-001", severity="low", pillar="governance", on_missing="skip"),
        audit.rule("GOV-002", severity="info", pillar="governance"),
    ]
    statuses = {
        "S-2": {
            "ENV-002": "warn",
            "ENV-001": "missing",
            "SOC-001": "pass",
            "GOV-001": "missing",
            "GOV-002": "fail",
        },
        "S-10": {
            "ENV-002": "fail",
            "ENV-001": "fail",
            "SOC-001": "warn",
            "GOV-001": "n/a",
            "GOV-002": "warn",
        },
        "S-1": {
            "ENV-002": "missing",
            "ENV-001": "fail",
            "SOC-001": "missing",
            "GOV-001": "pass",
            "GOV-002": "pass",
        },
    }
    result = audit.score(rules, statuses)
    findings = result.findings
    assert list(findings.columns) == [
        "supplier_id",
        "name",
        "rule_id",
        "severity",
        "status",
        "title",
        "message",
        "remediation",
        "due",
        "pillar",
        "references",
    ]
    assert findings[["severity", "status", "supplier_id", "rule_id"]].astype(
        str
    ).values.tolist() == [
        ["critical", "missing", "S-1", "SOC-001"],
        ["critical", "warn", "S-10", "SOC-001"],
        ["high", "fail", "S-1", "ENV-001"],
        ["high", "fail", "S-10", "ENV-001"],
        ["high", "missing", "S-2", "ENV-001"],
        ["medium", "fail", "S-10", "ENV-002"],
        ["medium", "missing", "S-1", "ENV-002"],
        ["medium", "warn", "S-2", "ENV-002"],
        ["low", "missing", "S-2", "GOV-001"],  # skipped missing: still a finding
        ["info", "fail", "S-2", "GOV-002"],
        ["info", "warn", "S-10", "GOV-002"],
    ]
    assert findings["due"].tolist() == [
        date(2026, 12, 27),
        date(2026, 12, 27),
        date(2027, 1, 26),
        date(2027, 1, 26),
        date(2027, 1, 26),
        date(2027, 2, 25),
        date(2027, 2, 25),
        date(2027, 2, 25),
        date(2027, 5, 26),
        date(2027, 11, 27),
        date(2027, 11, 27),
    ]
    first_high = findings.iloc[2]
    assert first_high[["name", "title", "message", "remediation", "pillar"]].tolist() == [
        "Name S-1",
        "Valid ISO 14001 certificate",
        "S-1/ENV-001 is fail",
        "Certify the site.",
        "environment",
    ]
    assert first_high["references"] == ("ISO 14001:2015",)
    assert findings.iloc[5]["references"] == ("CSRD ESRS E1-6",)

    counts = result.suppliers.set_index("supplier_id")[
        ["findings_critical", "findings_high", "findings_medium", "findings_low", "findings_info"]
    ]
    assert counts.loc["S-2"].tolist() == [0, 1, 1, 1, 1]
    assert counts.loc["S-10"].tolist() == [1, 1, 1, 0, 1]
    assert counts.loc["S-1"].tolist() == [1, 1, 1, 0, 0]


def test_supplier_frame_columns(audit):
    rules = [audit.rule("E1"), audit.rule("S1", pillar="social")]
    data = audit.data(["A", "B"], names=["Acme", None])
    result = audit.score(
        rules, {"A": {"E1": "pass", "S1": "warn"}, "B": {"E1": "fail", "S1": "pass"}}, data=data
    )
    frame = result.suppliers
    assert list(frame.columns) == [
        "supplier_id",
        "name",
        "country",
        "category",
        "score",
        "score_display",
        "grade",
        "knockout",
        "pillar:environment",
        "pillar:social",
        "pillar_display:environment",
        "pillar_display:social",
        "findings_critical",
        "findings_high",
        "findings_medium",
        "findings_low",
        "findings_info",
    ]
    assert frame["name"].isna().tolist() == [False, True]
    assert frame[["supplier_id", "country", "category", "score", "grade"]].values.tolist() == [
        ["A", "DE", "metals", 75.0, "B"],
        ["B", "DE", "metals", 50.0, "C"],
    ]
    assert frame["pillar_display:social"].tolist() == [50.0, 100.0]
    assert result.as_of == audit.as_of and result.generated_at == audit.generated_at
    assert result.command == "esg-audit check suppliers.xlsx --as-of 2026-11-27"


def test_no_rules_and_no_suppliers(audit):
    no_rules = audit.score([], {"S1": {}})
    assert no_rules.suppliers["grade"].tolist() == ["N/A"]
    assert no_rules.results.status.size == 0 and len(no_rules.findings) == 0
    empty = audit.score([audit.rule("A")], {}, data=audit.data([]))
    assert len(empty.suppliers) == 0 and empty.results.status.size == 0


def test_a_large_grid_scores_exactly(audit):
    """Exact values on a large grid: the vectorised paths agree with a hand computation."""
    n_suppliers, n_rules = 20_000, 30
    rules = [
        audit.rule(
            f"R{j:02d}",
            pillar=("environment", "social", "governance")[j % 3],
            weight=1 + j % 4,
            on_missing=("fail", "warn", "skip")[j % 3],
            severity=("info", "low", "medium", "high", "critical")[j % 5],
        )
        for j in range(n_rules)
    ]
    ids = [f"S{i:05d}" for i in range(n_suppliers)]
    codes = np.random.default_rng(7).integers(0, 5, n_suppliers * n_rules)
    results = pd.DataFrame(
        {
            "supplier_id": np.repeat(ids, n_rules),
            "rule_id": np.tile([r.id for r in rules], n_suppliers),
            "status": np.array(STATUSES[:5])[codes],
            "message": "m",
        }
    )
    data = audit.data(ids)
    result = audit.score_frame(rules, results, data)
    # Supplier 0 recomputed by hand.
    grid = codes.reshape(n_suppliers, n_rules)[0]
    earned = {"environment": 0.0, "social": 0.0, "governance": 0.0}
    possible = dict(earned)
    for rule, code in zip(rules, grid, strict=True):
        status = STATUSES[code]
        factor = {
            "pass": 1.0,
            "warn": 0.5,
            "fail": 0.0,
            "n/a": None,
            "missing": {"fail": 0.0, "warn": 0.5, "skip": None}[rule.on_missing],
        }[status]
        if factor is not None:
            earned[rule.pillar] += rule.weight * factor
            possible[rule.pillar] += rule.weight
    pillars = [100 * earned[p] / possible[p] for p in earned if possible[p]]
    row = result.suppliers.iloc[0]
    assert row["score"] == pytest.approx(sum(pillars) / len(pillars))
    assert result.results.status.shape == (n_suppliers, n_rules)
    assert int((result.results.frame()["status"].isin(["warn", "fail", "missing"])).sum()) == len(
        result.findings
    )


def test_summary_counts_and_spend_by_grade(audit):
    rules = [audit.rule("E1"), audit.rule("S1", pillar="social", severity="low")]
    data = audit.data(["A", "B", "C", "D"])
    spend = pd.array([1000.5, None, 250.0, None], dtype="Float64")
    data = dataclasses.replace(data, suppliers=data.suppliers.assign(annual_spend=spend))
    result = audit.score(
        rules,
        {
            "A": {"E1": "pass", "S1": "pass"},
            "B": {"E1": "pass", "S1": "pass"},
            "C": {"E1": "fail", "S1": "warn"},
            "D": {"E1": "n/a", "S1": "n/a"},
        },
        data=data,
    )
    assert result.suppliers["grade"].tolist() == ["A", "A", "D", "N/A"]
    summary = result.summary
    assert (summary.suppliers, summary.audited, summary.data_issues) == (4, 4, 0)
    assert summary.by_grade == {"A": 2, "B": 0, "C": 0, "D": 1, "N/A": 1}
    assert summary.findings_by_severity == {
        "critical": 0, "high": 1, "medium": 0, "low": 1, "info": 0,
    }
    # B and D gave no spend: counted under unknown, never as zero.
    assert summary.spend_by_grade == {
        "A": 1000.5, "B": 0.0, "C": 0.0, "D": 250.0, "N/A": 0.0, "unknown": 2,
    }
    assert summary.pillar_means == {"environment": 66.7, "social": 83.3}
    assert summary.pillar_scored == {"environment": 3, "social": 3}

"""The procurement gate: one verdict per supplier from a scored audit and a policy (SPEC §6).

A supplier is rejected when its grade is below the policy's minimum (N/A is below D), or when
a fail or missing result has a severity at or above `fail_on`. Warn and waived results never
reject. Reasons are short sentences for a procurement officer, most important first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from esg_audit.model import (
    FAILING_STATUSES,
    GRADE_RANK,
    NO_GRADE,
    SCORED_GRADES,
    UNKNOWN_GRADE_RANK,
    AuditResult,
    Severity,
    Status,
)

KNOCKOUT_WORDS = {Status.FAIL.value: "failed", Status.MISSING.value: "missing (counted as fail)"}


@dataclass(frozen=True)
class GatePolicy:
    min_grade: str = "C"
    fail_on: str | None = None  # a severity name


@dataclass(frozen=True)
class Verdict:
    supplier_id: str
    name: str | None
    score: float | None  # rounded for display, one decimal
    grade: str
    approved: bool
    reasons: tuple[str, ...]


def grade_rank(grades: pd.Series) -> np.ndarray:
    """model.GRADE_RANK: 0 for A .. 3 for D, 4 for N/A; an unknown grade ranks just above D."""
    return grades.map(GRADE_RANK).astype(float).fillna(UNKNOWN_GRADE_RANK).to_numpy()


def below_minimum(grades: pd.Series, minimum: str) -> np.ndarray:
    """True where a grade is worse than `minimum` (A..D); N/A is below D."""
    if minimum.upper() not in SCORED_GRADES:
        raise ValueError(f"unknown minimum grade {minimum!r}")
    return grade_rank(grades.astype("str")) > GRADE_RANK[minimum.upper()]


def blocking_findings(findings: pd.DataFrame, fail_on: str) -> np.ndarray:
    """True on each fail or missing finding whose severity is `fail_on` or higher."""
    threshold = Severity(fail_on.lower()).rank
    rank = findings["severity"].astype("str").map({s.value: s.rank for s in Severity})
    blocking = findings["status"].isin(FAILING_STATUSES) & (rank >= threshold)
    return blocking.to_numpy(dtype=bool)


def decide(result: AuditResult, policy: GatePolicy) -> list[Verdict]:
    """One verdict per audited supplier, in input order.

    Reasons, in this order: the grade below the minimum, then each knockout rule that forced
    grade D (only when the grade rejects), then each fail or missing result at or above
    `fail_on`, in findings order ("ENV-001 Valid ISO 14001 certificate: fail (high)").
    """
    minimum = policy.min_grade.upper()
    suppliers = result.suppliers
    grades = suppliers["grade"].astype("str")
    below = below_minimum(grades, minimum)
    grade_text = grades.where(grades != NO_GRADE, f"{NO_GRADE} (nothing could be scored)")
    grade_reason = ("grade " + grade_text + " is below the minimum " + minimum).where(below)

    findings = result.findings
    supplier_position = pd.Index(suppliers["supplier_id"].astype("str")).get_indexer(
        pd.Index(findings["supplier_id"].astype("str"))
    )
    knockout_rows = _knocked_out(result) & below[supplier_position]
    blocking_rows = np.zeros(len(findings), dtype=bool)
    if policy.fail_on is not None:
        blocking_rows = blocking_findings(findings, policy.fail_on)
    knockouts, blockers = findings[knockout_rows], findings[blocking_rows]
    knockout_text = (
        "knockout " + knockouts["rule_id"].astype("str") + " "
        + knockouts["status"].astype("str").map(KNOCKOUT_WORDS)
    )  # fmt: skip
    blocking_text = (
        blockers["rule_id"].astype("str") + " " + blockers["title"].astype("str") + ": "
        + blockers["status"].astype("str") + " (" + blockers["severity"].astype("str") + ")"
    )  # fmt: skip
    reasons_by_supplier = _group_texts(
        np.concatenate([supplier_position[knockout_rows], supplier_position[blocking_rows]]),
        np.concatenate(
            [knockout_text.to_numpy(dtype=object), blocking_text.to_numpy(dtype=object)]
        ),
        len(suppliers),
    )
    names = suppliers["name"].astype("str").to_numpy(dtype=object)
    display = suppliers["score_display"].to_numpy(dtype=float)
    blocked = np.bincount(supplier_position[blocking_rows], minlength=len(suppliers)) > 0
    rejected = below | blocked
    return [
        Verdict(
            supplier_id=supplier_id,
            name=None if _is_missing(name) else name,
            score=None if math.isnan(score) else float(score),
            grade=grade,
            approved=not reject,
            reasons=((first,) if isinstance(first, str) else ()) + rest,
        )
        for supplier_id, name, score, grade, reject, first, rest in zip(
            suppliers["supplier_id"].astype("str").tolist(),
            names.tolist(),
            display.tolist(),
            grades.tolist(),
            rejected.tolist(),
            grade_reason.tolist(),
            reasons_by_supplier,
            strict=True,
        )
    ]


def _knocked_out(result: AuditResult) -> np.ndarray:
    """Findings of a knockout rule that fail, or are missing counted as fail (on_missing fail)."""
    findings, rules = result.findings, result.ruleset.rules
    rule_position = pd.Index([r.id for r in rules], dtype="str").get_indexer(
        pd.Index(findings["rule_id"].astype("str"))
    )
    knockout = np.array([r.knockout for r in rules] + [False], dtype=bool)[rule_position]
    missing_fails = np.array([r.on_missing == "fail" for r in rules] + [True])[rule_position]
    status = findings["status"].astype("str")
    failed = (status == Status.FAIL.value).to_numpy(dtype=bool)
    missing = (status == Status.MISSING.value).to_numpy(dtype=bool)
    return knockout & (failed | (missing & missing_fails))


def verdicts_document(
    result: AuditResult, policy: GatePolicy, verdicts: list[Verdict]
) -> dict[str, Any]:
    """`{as_of, policy, suppliers: [{supplier_id, name, score, grade, approved, reasons}]}`."""
    return {
        "as_of": result.as_of.isoformat(),
        "policy": {
            "min_grade": policy.min_grade.upper(),
            "fail_on": policy.fail_on.lower() if policy.fail_on else None,
        },
        "suppliers": [
            {
                "supplier_id": v.supplier_id,
                "name": v.name,
                "score": v.score,
                "grade": v.grade,
                "approved": v.approved,
                "reasons": list(v.reasons),
            }
            for v in verdicts
        ],
    }


def _group_texts(position: np.ndarray, texts: np.ndarray, n: int) -> list[tuple[str, ...]]:
    """Texts grouped by supplier position (stable: knockouts first, then findings order)."""
    grouped: list[tuple[str, ...]] = [()] * n
    if len(position) == 0:
        return grouped
    order = np.argsort(position, kind="stable")
    position, texts = position[order], texts[order]
    starts = np.flatnonzero(np.r_[True, position[1:] != position[:-1]])
    for start, group in zip(starts.tolist(), np.split(texts, starts[1:]), strict=True):
        grouped[position[start]] = tuple(group.tolist())
    return grouped


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))

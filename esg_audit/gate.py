"""The procurement gate: one verdict per supplier from a scored audit and a policy (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esg_audit.model import AuditResult


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


def decide(result: AuditResult, policy: GatePolicy) -> list[Verdict]:
    raise NotImplementedError


def verdicts_document(
    result: AuditResult, policy: GatePolicy, verdicts: list[Verdict]
) -> dict[str, Any]:
    """`{as_of, policy, suppliers: [{supplier_id, name, score, grade, approved, reasons}]}`."""
    raise NotImplementedError

"""Builders for scoring, gate and report.json tests: rules, rule sets, audit data and results
made directly, without workbooks or rule files."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from esg_audit.model import (
    AuditData,
    AuditResult,
    DataIssue,
    Grading,
    InputFile,
    Location,
    Note,
    Rule,
    RulePack,
    RuleResults,
    RuleSet,
    Severity,
    Waiver,
)
from esg_audit.scoring import score_audit
from esg_audit.waivers import WaiverFile

AS_OF = date(2026, 11, 27)
GENERATED_AT = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)


def make_rule(
    rule_id: str,
    *,
    pillar: str = "environment",
    severity: str = "high",
    weight: float = 1,
    on_missing: str = "fail",
    knockout: bool = False,
    title: str | None = None,
    remediation: str | None = None,
    references: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        id=rule_id,
        title=title if title is not None else f"Title of {rule_id}",
        pillar=pillar,
        severity=Severity(severity),
        weight=weight,
        check=None,
        applies_to=None,
        on_missing=on_missing,
        knockout=knockout,
        remediation=remediation if remediation is not None else f"Fix {rule_id}.",
        references=tuple(references),
        pack="baseline",
        location=Location("rules/baseline.yaml", line=1, rule_id=rule_id),
    )


def make_ruleset(
    rules: list[Rule],
    *,
    bands: dict[str, float] | None = None,
    pillars: dict[str, float] | None = None,
) -> RuleSet:
    grading = Grading(
        bands=tuple(sorted((bands or {"A": 80, "B": 60, "C": 40}).items(), key=lambda b: -b[1])),
        pillars=dict(pillars or {}),
    )
    pack = RulePack(
        name="baseline",
        version="2026.11",
        description="Test pack.",
        path="rules/baseline.yaml",
        sha256="ab" * 32,
        fields={},
        rules=tuple(rules),
        grading=grading,
    )
    return RuleSet(packs=(pack,), rules=tuple(rules), grading=grading, fields={})


def make_data(
    supplier_ids: list[str],
    *,
    names: list[str | None] | None = None,
    data_issues: tuple[DataIssue, ...] = (),
    notes: tuple[Note, ...] = (),
    supplier_rows: int | None = None,
    inputs: tuple[InputFile, ...] = (InputFile("suppliers.xlsx", "cd" * 32, 3),),
) -> AuditData:
    n = len(supplier_ids)
    suppliers = pd.DataFrame(
        {
            "supplier_id": pd.array(supplier_ids, dtype="str"),
            "name": pd.array(
                names if names is not None else [f"Name {s}" for s in supplier_ids], dtype="str"
            ),
            "country": pd.array(["DE"] * n, dtype="str"),
            "category": pd.array(["metals"] * n, dtype="str"),
            "_file": pd.array(["suppliers.xlsx"] * n, dtype="str"),
            "_sheet": pd.array(["Suppliers"] * n, dtype="str"),
            "_row": pd.array(range(2, n + 2), dtype="Int64"),
        }
    )
    return AuditData(
        suppliers=suppliers,
        certificates=None,
        emissions=None,
        materials=None,
        inputs=inputs,
        data_issues=data_issues,
        notes=notes,
        supplier_rows=n if supplier_rows is None else supplier_rows,
    )


def make_results(
    statuses: dict[str, dict[str, str]], messages: dict[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """Rule-engine output from {supplier_id: {rule_id: status}}; message defaults to 'S/R is st'."""
    rows = [
        (s, r, status, (messages or {}).get((s, r), f"{s}/{r} is {status}"))
        for s, by_rule in statuses.items()
        for r, status in by_rule.items()
    ]
    return pd.DataFrame(rows, columns=["supplier_id", "rule_id", "status", "message"]).astype("str")


def grid_of(results: pd.DataFrame, data: AuditData, rules: list[Rule]) -> RuleResults:
    """The rule engine's grid for a long results frame (rows in any order)."""
    return RuleResults.from_frame(results, data.suppliers["supplier_id"], [r.id for r in rules])


def make_waiver(supplier_id: str, rule_id: str, expires: date = date(2026, 12, 31)) -> Waiver:
    return Waiver(supplier_id, rule_id, f"reason {rule_id}", "Head of Procurement", expires)


def run_scoring(
    rules: list[Rule],
    statuses: dict[str, dict[str, str]],
    *,
    bands: dict[str, float] | None = None,
    pillars: dict[str, float] | None = None,
    waivers: list[Waiver] | None = None,
    data: AuditData | None = None,
    messages: dict[tuple[str, str], str] | None = None,
    as_of: date = AS_OF,
) -> AuditResult:
    waiver_file = None if waivers is None else WaiverFile("waivers.yaml", "ef" * 32, tuple(waivers))
    data = data if data is not None else make_data(list(statuses))
    return score_audit(
        make_ruleset(rules, bands=bands, pillars=pillars),
        data,
        grid_of(make_results(statuses, messages), data, rules),
        as_of=as_of,
        waivers=waiver_file,
        generated_at=GENERATED_AT,
        command="esg-audit check suppliers.xlsx --as-of 2026-11-27",
    )


def score_frame(
    rules: list[Rule], results: pd.DataFrame, data: AuditData, *,
    pillars: dict[str, float] | None = None,
) -> AuditResult:
    """Score a long results frame (the rule engine's rows, in any order) without waivers."""
    return score_audit(
        make_ruleset(rules, pillars=pillars),
        data,
        grid_of(results, data, rules),
        as_of=AS_OF,
        waivers=None,
        generated_at=GENERATED_AT,
    )


@pytest.fixture
def audit() -> SimpleNamespace:
    """The builders, as one namespace: audit.rule(...), audit.score(...), …"""
    return SimpleNamespace(
        rule=make_rule,
        ruleset=make_ruleset,
        data=make_data,
        results=make_results,
        grid=grid_of,
        waiver=make_waiver,
        score=run_scoring,
        score_frame=score_frame,
        as_of=AS_OF,
        generated_at=GENERATED_AT,
    )


@pytest.fixture
def waiver_path(tmp_path: Path):
    """Write a waiver file's text and return its path as a string."""

    def write(text: str, name: str = "waivers.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write

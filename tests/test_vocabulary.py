"""The shared vocabulary (esg_audit.model): statuses, grades and severities are spelled out once,
in one direction, and no other module re-types them."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from esg_audit.gate import grade_rank
from esg_audit.model import (
    DUE_DAYS,
    FINDING_STATUSES,
    GRADE_RANK,
    GRADES,
    ON_MISSING_FACTORS,
    SEVERITIES,
    SEVERITY_ORDER,
    STATUSES,
    Severity,
    Status,
)
from esg_audit.reports.diff import _grade_changes

PACKAGE = Path(__file__).resolve().parents[1] / "esg_audit"


def test_status_codes_and_factors_by_name():
    assert STATUSES == ("pass", "warn", "fail", "missing", "n/a", "waived")
    assert {s.value: s.code for s in Status} == {
        "pass": 0, "warn": 1, "fail": 2, "missing": 3, "n/a": 4, "waived": 5,
    }
    assert {s.value: s.factor for s in Status} == {
        "pass": 1.0, "warn": 0.5, "fail": 0.0, "missing": None, "n/a": None, "waived": None,
    }
    assert ON_MISSING_FACTORS == {"fail": 0.0, "warn": 0.5, "skip": None}
    assert FINDING_STATUSES == ("fail", "missing", "warn")
    assert [s.value for s in Status if s.is_finding] == ["warn", "fail", "missing"]


def test_grades_rank_best_first_everywhere():
    assert GRADES == ("A", "B", "C", "D", "N/A")
    assert GRADE_RANK == {"A": 0, "B": 1, "C": 2, "D": 3, "N/A": 4}
    assert grade_rank(pd.Series(["A", "D", "N/A", "E"])).tolist() == [0.0, 3.0, 4.0, 2.5]


def test_diff_reads_a_larger_rank_as_worse():
    both = pd.DataFrame({
        "supplier_id": ["S1", "S2", "S3"],
        "name_old": ["a", "b", "c"], "name_new": ["a", "b", "c"],
        "grade_old": ["B", "D", "C"], "grade_new": ["C", "A", "N/A"],
        "score_old": [70.0, 30.0, 50.0], "score_new": [50.0, 90.0, None],
    })
    changes = _grade_changes(both)
    assert dict(zip(changes["supplier_id"], changes["direction"], strict=True)) == {
        "S1": "worse", "S2": "better", "S3": "worse",
    }


def test_severities_order_and_due_days():
    assert SEVERITIES == ("info", "low", "medium", "high", "critical")
    assert SEVERITY_ORDER == ("critical", "high", "medium", "low", "info")
    assert [Severity(s).rank for s in SEVERITIES] == [0, 1, 2, 3, 4]
    assert {s: Severity(s).due_days for s in SEVERITY_ORDER} == {
        "critical": 30, "high": 60, "medium": 90, "low": 180, "info": 365,
    }
    assert dict(DUE_DAYS) == {s: Severity(s).due_days for s in SEVERITIES}


def _literal_lists(path: Path) -> list[tuple[int, list[str]]]:
    """Literal tuples, lists and sets of two or more strings, and dict keys, in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        if items and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
            found.append((node.lineno, [i.value for i in items]))  # type: ignore[union-attr]
    return found


# Literal lists that are not the vocabulary: the expression check's YAML keys `pass:`, `warn:`.
NOT_VOCABULARY = {("rules/kinds/expression.py", ("pass", "warn"))}


def test_no_module_retypes_a_list_of_statuses_grades_or_severities():
    vocabularies = {"statuses": set(STATUSES), "grades": set(GRADES), "severities": set(SEVERITIES)}
    retyped = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "model.py" and path.parent == PACKAGE:
            continue
        for line, values in _literal_lists(path):
            for name, words in vocabularies.items():
                where = (path.relative_to(PACKAGE).as_posix(), tuple(values))
                if len(set(values) & words) >= 2 and where not in NOT_VOCABULARY:
                    retyped.append(f"{path.relative_to(PACKAGE)}:{line}: {name} {values}")
    assert retyped == []

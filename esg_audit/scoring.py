"""Stage 5, score: waivers, pillar scores, grades, knockouts and the flagged-risk list (SPEC §5).

Everything is computed on a (supplier × rule) grid of status codes held in numpy arrays: no
Python loop runs over suppliers or results, so 100k suppliers × 30 rules score in well under
a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from esg_audit.model import (
    FAIL_GRADE,
    FINDING_STATUSES,
    NO_GRADE,
    ON_MISSING_FACTORS,
    SEVERITIES,
    SEVERITY_ORDER,
    STATUSES,
    AuditData,
    AuditResult,
    Grading,
    RuleSet,
    Severity,
    Status,
    WaiverReport,
)
from esg_audit.waivers import WaiverFile

# Status codes on the grid (model.Status.code).
PASS, WARN, FAIL, MISSING, NA, WAIVED = (s.code for s in Status)
# Factors by status code, and of a missing result by on_missing; nan: counts nothing.
STATUS_FACTOR = np.array([math.nan if s.factor is None else s.factor for s in Status])
ON_MISSING_FACTOR = {
    name: math.nan if factor is None else factor for name, factor in ON_MISSING_FACTORS.items()
}
FLOAT_TOLERANCE = 1e-9


def round_half_up(scores: Any) -> Any:
    """Scores rounded half up to one decimal (68.25 -> 68.3); NaN stays NaN.

    The tolerance (in score points) absorbs binary floating point: a score within 1e-9 below
    a half, such as 68.25 computed as 68.24999999999999, still rounds up.
    """
    return np.floor(np.asarray(scores, dtype=float) * 10 + 0.5 + FLOAT_TOLERANCE * 10) / 10


def grade_for(display_scores: np.ndarray, grading: Grading) -> np.ndarray:
    """Grade of each rounded score: the highest band it reaches, D below the lowest, N/A for NaN."""
    display_scores = np.asarray(display_scores, dtype=float)
    bands = sorted(grading.bands, key=lambda band: band[1], reverse=True)
    grades = np.select(
        [display_scores >= threshold for _, threshold in bands],
        [name for name, _ in bands],
        default=FAIL_GRADE,
    ).astype(object)
    grades[np.isnan(display_scores)] = NO_GRADE
    return grades


@dataclass(frozen=True)
class RuleTable:
    """The attributes scoring needs of each rule, as arrays in rule load order."""

    ids: pd.Index
    weight: np.ndarray  # float
    missing_factor: np.ndarray  # factor of a `missing` result: 0, 0.5, or NaN (skip)
    missing_fails: np.ndarray  # bool: on_missing is fail
    knockout: np.ndarray  # bool
    severity_rank: np.ndarray  # 0 info .. 4 critical
    pillar_code: np.ndarray  # position in `pillars`
    pillars: tuple[str, ...]  # in order of first appearance

    @classmethod
    def of(cls, ruleset: RuleSet) -> RuleTable:
        rules = ruleset.rules
        unknown = sorted({r.on_missing for r in rules} - set(ON_MISSING_FACTOR))
        if unknown:
            raise ValueError(f"unknown on_missing value(s): {', '.join(unknown)}")
        pillars = tuple(dict.fromkeys(r.pillar for r in rules))
        pillar_position = {name: i for i, name in enumerate(pillars)}
        return cls(
            ids=pd.Index([r.id for r in rules], dtype="str"),
            weight=np.array([float(r.weight) for r in rules], dtype=float),
            missing_factor=np.array([ON_MISSING_FACTOR[r.on_missing] for r in rules]),
            missing_fails=np.array([r.on_missing == "fail" for r in rules], dtype=bool),
            knockout=np.array([bool(r.knockout) for r in rules], dtype=bool),
            severity_rank=np.array([Severity(r.severity).rank for r in rules], dtype=np.int8),
            pillar_code=np.array([pillar_position[r.pillar] for r in rules], dtype=np.intp),
            pillars=pillars,
        )


def score_audit(
    ruleset: RuleSet,
    data: AuditData,
    results: pd.DataFrame,
    *,
    as_of: date,
    waivers: WaiverFile | None,
    generated_at: datetime,
    command: str = "",
) -> AuditResult:
    """Apply waivers to the rule engine's results, then score, grade and list the findings.

    `results` has one row per (audited supplier, rule), in any order, with columns
    supplier_id, rule_id, status (pass|warn|fail|missing|n/a; strings or Categorical) and
    message. The returned frames are described in `AuditResult`.
    """
    table = RuleTable.of(ruleset)
    supplier_ids = pd.Index(data.suppliers["supplier_id"].astype("str"), dtype="str")
    status, row_of_cell = _status_grid(results, supplier_ids, table.ids)
    waiver_report = _apply_waivers(status, waivers, supplier_ids, table.ids, as_of)

    factor = STATUS_FACTOR[status]
    is_missing = status == MISSING
    factor[is_missing] = np.broadcast_to(table.missing_factor, status.shape)[is_missing]
    counts = ~np.isnan(factor)
    points = np.where(counts, factor * table.weight, 0.0)
    max_points = np.where(counts, table.weight, 0.0)

    pillar_scores = _pillar_scores(points, max_points, table)
    score = _overall_score(pillar_scores, table.pillars, ruleset.grading)
    display = round_half_up(score)
    knocked_out = ((status == FAIL) | (is_missing & table.missing_fails)) & table.knockout
    grades = grade_for(display, ruleset.grading)
    grades[knocked_out.any(axis=1)] = FAIL_GRADE

    findings, severity_counts = _findings(
        status, table, supplier_ids, data, results, row_of_cell, ruleset, as_of
    )
    suppliers = _supplier_frame(
        data, supplier_ids, score, display, grades, knocked_out, table, pillar_scores,
        severity_counts,
    )  # fmt: skip
    return AuditResult(
        as_of=as_of,
        generated_at=generated_at,
        data=data,
        ruleset=ruleset,
        results=_result_frame(
            status, points, max_points, supplier_ids, table.ids, results, row_of_cell
        ),
        suppliers=suppliers,
        findings=findings,
        pillars=table.pillars,
        waivers=waiver_report,
        command=command,
    )


# --- the grid ------------------------------------------------------------------------------


def positions(column: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value of `column` in `index`; -1 where absent."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        category_position = index.get_indexer(column.cat.categories.astype("str"))
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, category_position[codes], -1)
    return index.get_indexer(pd.Index(column.astype("str")))


def _status_grid(
    results: pd.DataFrame, supplier_ids: pd.Index, rule_ids: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """Status codes as an (n_suppliers, n_rules) int8 grid, and the results row of each cell."""
    n_suppliers, n_rules = len(supplier_ids), len(rule_ids)
    codes = positions(results["status"], pd.Index(STATUSES[:WAIVED], dtype="str"))
    if (codes < 0).any():
        unknown = sorted(set(results["status"].astype("str")[codes < 0].fillna("(missing)")))
        raise ValueError(f"results hold unknown status(es): {', '.join(unknown)}")
    supplier = positions(results["supplier_id"], supplier_ids)
    rule = positions(results["rule_id"], rule_ids)
    if (supplier < 0).any() or (rule < 0).any():
        raise ValueError("results name a supplier or rule that is not in the audit")
    cell = supplier * n_rules + rule
    if len(cell) != n_suppliers * n_rules or (
        len(cell) and (np.bincount(cell, minlength=n_suppliers * n_rules) != 1).any()
    ):
        raise ValueError("results must hold exactly one row per (audited supplier, rule)")
    row_of_cell = np.empty(len(cell), dtype=np.intp)
    row_of_cell[cell] = np.arange(len(cell))
    status = codes.astype(np.int8)[row_of_cell].reshape(n_suppliers, n_rules)
    return status, row_of_cell


def _apply_waivers(
    status: np.ndarray,
    waivers: WaiverFile | None,
    supplier_ids: pd.Index,
    rule_ids: pd.Index,
    as_of: date,
) -> WaiverReport:
    """Turn live waivers' warn, fail and missing cells into waived (in place); report them.

    Each waiver lands in at most one list: expired (as_of after expires) before unmatched
    (unknown supplier or rule); a live, matched waiver whose result is pass or n/a changed
    nothing and is listed nowhere.
    """
    if waivers is None:
        return WaiverReport()
    entries = waivers.waivers
    if not entries:
        return WaiverReport(path=waivers.path, sha256=waivers.sha256)
    live = np.array([w.expires >= as_of for w in entries], dtype=bool)
    supplier = supplier_ids.get_indexer(pd.Index([w.supplier_id for w in entries], dtype="str"))
    rule = rule_ids.get_indexer(pd.Index([w.rule_id for w in entries], dtype="str"))
    matched = (supplier >= 0) & (rule >= 0)
    current = np.where(live & matched, status[supplier, rule], PASS)
    applied = live & matched & np.isin(current, (WARN, FAIL, MISSING))
    status[supplier[applied], rule[applied]] = WAIVED
    return WaiverReport(
        applied=tuple(w for w, keep in zip(entries, applied, strict=True) if keep),
        expired=tuple(w for w, keep in zip(entries, ~live, strict=True) if keep),
        unmatched=tuple(w for w, keep in zip(entries, live & ~matched, strict=True) if keep),
        path=waivers.path,
        sha256=waivers.sha256,
    )


# --- scores --------------------------------------------------------------------------------


def _pillar_scores(points: np.ndarray, max_points: np.ndarray, table: RuleTable) -> np.ndarray:
    """(n_suppliers, n_pillars) unrounded pillar scores; NaN where no rule of the pillar counts."""
    scores = np.full((points.shape[0], len(table.pillars)), math.nan)
    for k in range(len(table.pillars)):
        in_pillar = table.pillar_code == k
        earned = points[:, in_pillar].sum(axis=1)
        possible = max_points[:, in_pillar].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores[:, k] = np.where(possible > 0, 100.0 * earned / possible, math.nan)
    return scores


def _overall_score(
    pillar_scores: np.ndarray, pillars: tuple[str, ...], grading: Grading
) -> np.ndarray:
    """Pillar-weighted mean of the non-null pillars, weights renormalised; NaN when none."""
    weights = np.array([grading.pillar_weight(p) for p in pillars], dtype=float)
    scored = ~np.isnan(pillar_scores)
    weight_sum = np.where(scored, weights, 0.0).sum(axis=1)
    weighted = np.where(scored, pillar_scores * weights, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(weight_sum > 0, weighted / weight_sum, math.nan)


# --- frames --------------------------------------------------------------------------------


def _categorical(
    codes: np.ndarray, categories: pd.Index | list[str] | tuple[str, ...]
) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))


def _object_array(items: list[object]) -> np.ndarray:
    """A 1-d object array holding `items` as they are (tuples stay elements, not rows)."""
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def _by_rule(codes: np.ndarray, values: list[str]) -> pd.Categorical:
    """A per-rule text attribute spread over rows given by rule code, as a Categorical."""
    categories = pd.Index(values, dtype="str").unique()
    return _categorical(categories.get_indexer(pd.Index(values))[codes], categories)


def _text_column(frame: pd.DataFrame, name: str) -> pd.api.extensions.ExtensionArray:
    if name in frame.columns:
        return frame[name].astype("str").array
    return pd.array([pd.NA] * len(frame), dtype="str")


def _result_frame(
    status: np.ndarray,
    points: np.ndarray,
    max_points: np.ndarray,
    supplier_ids: pd.Index,
    rule_ids: pd.Index,
    results: pd.DataFrame,
    row_of_cell: np.ndarray,
) -> pd.DataFrame:
    n_suppliers, n_rules = status.shape
    message = results["message"].array
    if not np.array_equal(row_of_cell, np.arange(len(row_of_cell))):
        message = message.take(row_of_cell)
    return pd.DataFrame(
        {
            "supplier_id": _categorical(np.repeat(np.arange(n_suppliers), n_rules), supplier_ids),
            "rule_id": _categorical(np.tile(np.arange(n_rules), n_suppliers), rule_ids),
            "status": _categorical(status.ravel(), STATUSES),
            "points": points.ravel(),
            "max_points": max_points.ravel(),
            "message": message,
        },
        copy=False,
    )


def _findings(
    status: np.ndarray,
    table: RuleTable,
    supplier_ids: pd.Index,
    data: AuditData,
    results: pd.DataFrame,
    row_of_cell: np.ndarray,
    ruleset: RuleSet,
    as_of: date,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The flagged-risk list in SPEC order, and an (n_suppliers, 5) count by severity rank.

    Every warn, fail and missing result is a finding, a missing one skipped in the score
    (on_missing: skip) included: the data is still missing. Waived results are not.
    """
    n_suppliers, n_rules = status.shape
    flat = status.ravel()
    cells = np.flatnonzero(np.isin(flat, [Status(s).code for s in FINDING_STATUSES]))
    supplier, rule = np.divmod(cells, max(n_rules, 1))
    cell_status = flat[cells]
    severity = table.severity_rank[rule]

    status_order = np.zeros(len(STATUSES), dtype=np.int8)
    status_order[[Status(s).code for s in FINDING_STATUSES]] = np.arange(len(FINDING_STATUSES))
    supplier_rank = np.empty(n_suppliers, dtype=np.intp)
    supplier_rank[np.argsort(supplier_ids.to_numpy(dtype=object), kind="stable")] = np.arange(
        n_suppliers
    )
    rule_rank = np.empty(n_rules, dtype=np.intp)
    rule_rank[np.argsort(table.ids.to_numpy(dtype=object), kind="stable")] = np.arange(n_rules)
    # One int64 sort key: severity (critical first), status, supplier id, rule id.
    key = (4 - severity.astype(np.int64)) * 3 + status_order[cell_status]
    key = (key * n_suppliers + supplier_rank[supplier]) * n_rules + rule_rank[rule]
    order = np.argsort(key, kind="stable")
    cells, supplier, rule, cell_status, severity = (
        a[order] for a in (cells, supplier, rule, cell_status, severity)
    )

    rules = ruleset.rules
    due_by_rank = np.array([as_of + timedelta(days=s.due_days) for s in Severity], dtype=object)
    references = _object_array([tuple(r.references) for r in rules])
    findings = pd.DataFrame(
        {
            "supplier_id": _categorical(supplier, supplier_ids),
            "name": _text_column(data.suppliers, "name").take(supplier),
            "rule_id": _categorical(rule, table.ids),
            "severity": pd.Categorical.from_codes(
                severity.astype(np.intp), categories=pd.Index(SEVERITIES), ordered=True
            ),
            "status": _categorical(cell_status.astype(np.intp), STATUSES),
            "title": _by_rule(rule, [r.title or "" for r in rules]),
            "message": results["message"].array.take(row_of_cell[cells]),
            "remediation": _by_rule(rule, [r.remediation or "" for r in rules]),
            "due": due_by_rank[severity],
            "pillar": _by_rule(rule, [r.pillar for r in rules]),
            "references": references[rule],
        },
        copy=False,
    )
    counts = np.bincount(
        supplier * len(SEVERITIES) + severity, minlength=n_suppliers * len(SEVERITIES)
    ).reshape(n_suppliers, len(SEVERITIES))
    return findings, counts


def _supplier_frame(
    data: AuditData,
    supplier_ids: pd.Index,
    score: np.ndarray,
    display: np.ndarray,
    grades: np.ndarray,
    knocked_out: np.ndarray,
    table: RuleTable,
    pillar_scores: np.ndarray,
    severity_counts: np.ndarray,
) -> pd.DataFrame:
    columns: dict[str, object] = {
        "supplier_id": supplier_ids.array,
        "name": _text_column(data.suppliers, "name"),
        "country": _text_column(data.suppliers, "country"),
        "category": _text_column(data.suppliers, "category"),
        "score": score,
        "score_display": display,
        "grade": pd.array(grades, dtype="str"),
        "knockout": knocked_out.any(axis=1),
    }
    for k, pillar in enumerate(table.pillars):
        columns[f"pillar:{pillar}"] = pillar_scores[:, k]
    for severity in SEVERITY_ORDER:
        columns[f"findings_{severity}"] = severity_counts[:, Severity(severity).rank]
    return pd.DataFrame(columns, copy=False)

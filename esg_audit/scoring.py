"""Stage 5, score: waivers, pillar scores, grades, knockouts and the flagged-risk list (SPEC §5).

Everything is computed on a (supplier × rule) grid of status codes held in numpy arrays: no
Python loop runs over suppliers or results, so 100k suppliers × 30 rules score in well under
a second.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from esg_audit.frameworks import framework_summary
from esg_audit.model import (
    FAIL_GRADE,
    FINDING_STATUSES,
    GRADES,
    NO_GRADE,
    ON_MISSING_FACTORS,
    SEVERITIES,
    SEVERITY_ORDER,
    STATUSES,
    AuditData,
    AuditResult,
    AuditSummary,
    Grading,
    RuleResults,
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
    results: RuleResults,
    *,
    as_of: date,
    waivers: WaiverFile | None,
    generated_at: datetime,
    command: str = "",
) -> AuditResult:
    """Apply waivers to the rule engine's grid, then score, grade and list the findings.

    `results` is the unscored grid of `evaluate_rules` (statuses pass|warn|fail|missing|n/a)
    for `data.suppliers` in order and the rules of `ruleset` in load order. The returned
    result is described in `AuditResult`; its grid is `results` completed, never reshaped.
    """
    table = RuleTable.of(ruleset)
    supplier_ids = pd.Index(data.suppliers["supplier_id"].astype("str"), dtype="str")
    _check_grid(results, supplier_ids, table.ids)
    status = results.status.astype(np.int8, copy=True)
    waiver_report = _apply_waivers(status, waivers, supplier_ids, table.ids, as_of)

    points, max_points = _points(status, table)
    scored = replace(results, status=status, points=points, max_points=max_points)

    pillar_scores = _pillar_scores(points, max_points, table)
    score = _overall_score(pillar_scores, table.pillars, ruleset.grading)
    display = round_half_up(score)
    knocked_out = _knocked_out(status, table)
    grades = grade_for(display, ruleset.grading)
    grades[knocked_out] = FAIL_GRADE

    findings, severity_counts = _findings(scored, table, supplier_ids, data, ruleset, as_of)
    suppliers = _supplier_frame(
        data, supplier_ids, score, display, grades, knocked_out, table, pillar_scores,
        severity_counts,
    )  # fmt: skip
    return AuditResult(
        as_of=as_of,
        generated_at=generated_at,
        data=data,
        ruleset=ruleset,
        results=scored,
        suppliers=suppliers,
        findings=findings,
        pillars=table.pillars,
        waivers=waiver_report,
        summary=_summary(data, grades, severity_counts, table.pillars, pillar_scores,
                         knocked_out),
        frameworks=framework_summary(ruleset.rules, scored),
        command=command,
    )


# --- the grid ------------------------------------------------------------------------------


def _check_grid(results: RuleResults, supplier_ids: pd.Index, rule_ids: pd.Index) -> None:
    """The grid holds the audit's suppliers and rules, in order, and unscored statuses."""
    if list(results.rule_ids) != rule_ids.tolist() or not results.supplier_ids.equals(
        supplier_ids
    ):
        raise ValueError("results name a supplier or rule that is not in the audit")
    if results.status.shape != (len(supplier_ids), len(rule_ids)):
        raise ValueError("results must hold exactly one status per (audited supplier, rule)")
    codes = results.status
    bad = (codes < 0) | (codes >= WAIVED)
    if bad.any():
        unknown = sorted({STATUSES[c] if 0 <= c < len(STATUSES) else str(c) for c in codes[bad]})
        raise ValueError(f"results hold unknown status(es): {', '.join(unknown)}")


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


# Rows of the grid looked up at a time: a block's temporaries stay small and in cache.
BLOCK_ROWS = 4096


def _points(status: np.ndarray, table: RuleTable) -> tuple[np.ndarray, np.ndarray]:
    """Points (weight x factor) and max points (weight) of every result; 0 where the result
    counts nothing. Read from a table by (rule, status code), a block of rows at a time: no
    grid-sized temporaries, and the grid is written row by row, as it lies in memory."""
    factors = np.tile(STATUS_FACTOR, (len(table.weight), 1))  # (rules, status codes)
    factors[:, MISSING] = table.missing_factor
    counted = ~np.isnan(factors)
    earned = np.where(counted, factors * table.weight[:, None], 0.0).ravel()
    possible = np.where(counted, table.weight[:, None], 0.0).ravel()
    offsets = np.arange(status.shape[1], dtype=np.intp) * factors.shape[1]
    points = np.empty(status.shape)
    max_points = np.empty(status.shape)
    buffer = np.empty((min(BLOCK_ROWS, status.shape[0]), status.shape[1]), dtype=np.intp)
    for start in range(0, status.shape[0], BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        at = buffer[: len(status[block])]
        np.add(status[block], offsets, out=at)
        np.take(earned, at, out=points[block])
        np.take(possible, at, out=max_points[block])
    return points, max_points


def _knocked_out(status: np.ndarray, table: RuleTable) -> np.ndarray:
    """Per supplier: fails a knockout rule (fail, or missing where on_missing is fail)."""
    knocked = np.zeros(status.shape[0], dtype=bool)
    for j in np.flatnonzero(table.knockout):
        column = status[:, j]
        knocked |= (column == FAIL) | ((column == MISSING) & table.missing_fails[j])
    return knocked


def _pillar_scores(points: np.ndarray, max_points: np.ndarray, table: RuleTable) -> np.ndarray:
    """(n_suppliers, n_pillars) unrounded pillar scores; NaN where no rule of the pillar counts."""
    scores = np.full((points.shape[0], len(table.pillars)), math.nan)
    for start in range(0, points.shape[0], BLOCK_ROWS):  # a block of rows at a time
        block = slice(start, start + BLOCK_ROWS)
        block_points, block_max = points[block], max_points[block]
        for k in range(len(table.pillars)):
            in_pillar = table.pillar_code == k
            earned = block_points[:, in_pillar].sum(axis=1)
            possible = block_max[:, in_pillar].sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                scores[block, k] = np.where(possible > 0, 100.0 * earned / possible, math.nan)
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


def _findings(
    results: RuleResults,
    table: RuleTable,
    supplier_ids: pd.Index,
    data: AuditData,
    ruleset: RuleSet,
    as_of: date,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The flagged-risk list in SPEC order, and an (n_suppliers, 5) count by severity rank.

    Every warn, fail and missing result is a finding, a missing one skipped in the score
    (on_missing: skip) included: the data is still missing. Waived results are not.
    """
    cells = _findings_order(results.status, table, supplier_ids)
    n_suppliers, n_rules = results.status.shape
    supplier, rule = np.divmod(cells, max(n_rules, 1))
    cell_status = results.status.ravel()[cells]
    severity = table.severity_rank[rule]

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
            "message": results.message_column(cells),
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


def _findings_order(status: np.ndarray, table: RuleTable, supplier_ids: pd.Index) -> np.ndarray:
    """The flat grid positions of the findings in SPEC order: severity (critical first), then
    status (fail, missing, warn), supplier id, rule id (ids compared as text).

    The grid is read with its rows in supplier-id order and its columns in rule-id order, so
    the findings come out ordered by supplier and rule; one stable sort by (severity, status)
    group, a small integer, finishes the order."""
    n_suppliers, n_rules = status.shape
    by_supplier = np.asarray(pc.sort_indices(pa.array(supplier_ids.astype("str").array)), dtype=np.int64)
    by_rule = np.asarray(pc.sort_indices(pa.array(table.ids.astype("str").array)), dtype=np.int64)
    status_order = np.full(256, -1, dtype=np.int8)  # by status code (as uint8); -1: no finding
    status_order[[Status(s).code for s in FINDING_STATUSES]] = np.arange(len(FINDING_STATUSES))
    # Per rule (in rule-id order) and status code: the finding's group, or -1.
    groups = np.where(
        status_order[None, :] >= 0,
        (4 - table.severity_rank[by_rule].astype(np.int8))[:, None] * len(FINDING_STATUSES)
        + status_order[None, :],
        -1,
    ).astype(np.int8)
    ordered = status if np.array_equal(by_supplier, np.arange(n_suppliers)) else status[by_supplier]
    group = np.empty((n_suppliers, n_rules), dtype=np.int8)
    for j, position in enumerate(by_rule):
        group[:, j] = groups[j][ordered[:, position].view(np.uint8)]
    del ordered
    flat = group.ravel()
    found = np.flatnonzero(flat >= 0)
    found = found[np.argsort(flat[found], kind="stable")]  # a radix sort of small integers
    del group, flat
    row, column = np.divmod(found, max(n_rules, 1))
    return by_supplier[row] * n_rules + by_rule[column]


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
        "knockout": knocked_out,
    }
    for k, pillar in enumerate(table.pillars):
        columns[f"pillar:{pillar}"] = pillar_scores[:, k]
    for k, pillar in enumerate(table.pillars):
        columns[f"pillar_display:{pillar}"] = round_half_up(pillar_scores[:, k])
    for severity in SEVERITY_ORDER:
        columns[f"findings_{severity}"] = severity_counts[:, Severity(severity).rank]
    return pd.DataFrame(columns, copy=False)


def _summary(
    data: AuditData,
    grades: np.ndarray,
    severity_counts: np.ndarray,
    pillars: tuple[str, ...],
    pillar_scores: np.ndarray,
    knocked_out: np.ndarray,
) -> AuditSummary:
    """Counts by grade and severity, annual spend by grade (SPEC §6 `summary`), pillar means."""
    scored = ~np.isnan(pillar_scores)
    scored_count = scored.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(scored, pillar_scores, 0.0).sum(axis=0) / scored_count
    means = round_half_up(np.where(scored_count > 0, means, math.nan))
    grade_counts = pd.Series(grades, dtype=object).value_counts()
    by_severity = severity_counts.sum(axis=0)
    spend_column = data.suppliers.get("annual_spend")
    if spend_column is None:
        spend = np.full(len(grades), np.nan)
    else:
        spend = pd.to_numeric(spend_column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(spend)
    spend_by_grade: dict[str, float | int] = {
        grade: float(spend[known & (grades == grade)].sum()) for grade in GRADES
    }
    spend_by_grade["unknown"] = int((~known).sum())
    total = float(spend[known].sum())
    spend_share_by_grade = {
        grade: (round(float(spend_by_grade[grade]) / total, 4) if total > 0 else None)
        for grade in GRADES
    }
    knockout_spend: dict[str, float | int] = {
        "spend": float(spend[known & knocked_out].sum()),
        "suppliers": int(knocked_out.sum()),
        "unknown": int((knocked_out & ~known).sum()),
    }
    return AuditSummary(
        suppliers=int(data.supplier_rows),
        audited=len(grades),
        by_grade={grade: int(grade_counts.get(grade, 0)) for grade in GRADES},
        findings_by_severity={s: int(by_severity[Severity(s).rank]) for s in SEVERITY_ORDER},
        data_issues=len(data.data_issues),
        spend_by_grade=spend_by_grade,
        spend_share_by_grade=spend_share_by_grade,
        knockout_spend=knockout_spend,
        pillar_means={p: float(means[k]) for k, p in enumerate(pillars)},
        pillar_scored={p: int(scored_count[k]) for k, p in enumerate(pillars)},
    )

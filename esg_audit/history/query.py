"""Reading the history store: the runs, a supplier's path, a rule's pass rate, one run rebuilt
as the diff reads a report.json, and the trend of a new audit against the earlier runs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, select

from esg_audit.errors import ConfigError
from esg_audit.history import tables as t
from esg_audit.history.bulk import read_frame
from esg_audit.history.record import (
    STATUS_COUNTS,
    RunRows,
    carry_open_findings,
    previous_run_id,
)
from esg_audit.history.store import Store
from esg_audit.model import GRADE_RANK, GRADES, Trend
from esg_audit.reports.diff import AuditReport

RUN_COLUMNS = ("run_id", "as_of", "generated_at", "tool_version", "suppliers", "audited",
               *GRADES, "findings", "data_issues")
RESULT_COUNTS = STATUS_COUNTS


def runs(connection: Connection) -> pd.DataFrame:
    """Every recorded run, oldest as-of first, with its count of suppliers per grade."""
    frame = read_frame(connection, select(
        t.runs.c.run_id, t.runs.c.as_of, t.runs.c.generated_at, t.runs.c.tool_version,
        t.runs.c.suppliers, t.runs.c.audited, t.runs.c.findings, t.runs.c.data_issues,
    ).order_by(t.runs.c.as_of, t.runs.c.run_id))
    grades = read_frame(connection, select(
        t.run_suppliers.c.run_id, t.run_suppliers.c.grade, func.count().label("n"),
    ).group_by(t.run_suppliers.c.run_id, t.run_suppliers.c.grade))
    counts = (grades.pivot(index="run_id", columns="grade", values="n")
              if not grades.empty else pd.DataFrame())
    for grade in GRADES:
        column = counts[grade] if grade in counts.columns else pd.Series(dtype=object)
        frame[grade] = frame["run_id"].map(column).fillna(0).astype(int)
    return frame[list(RUN_COLUMNS)] if not frame.empty else pd.DataFrame(columns=RUN_COLUMNS)


def run_for(connection: Connection, as_of: date) -> int:
    """The run with this as-of (the latest recorded, when several share it)."""
    value = connection.execute(
        select(t.runs.c.run_id).where(t.runs.c.as_of == as_of)
        .order_by(t.runs.c.run_id.desc()).limit(1)
    ).scalar()
    if value is None:
        known = [d.isoformat() for d in runs(connection)["as_of"]]
        raise ConfigError(
            f"--history: no run as of {as_of.isoformat()}; recorded: "
            f"{', '.join(known) if known else 'none'}"
        )
    return int(value)


def supplier_history(connection: Connection, supplier_ids: list[str]) -> pd.DataFrame:
    """Each supplier's score and grade in every run (None where it was not audited), with the
    change from the run before."""
    all_runs = runs(connection)[["run_id", "as_of"]]
    found = read_frame(connection, select(
        t.run_suppliers.c.run_id, t.run_suppliers.c.supplier_id, t.run_suppliers.c.name,
        t.run_suppliers.c.score, t.run_suppliers.c.grade,
    ).where(t.run_suppliers.c.supplier_id.in_(supplier_ids)))
    unknown = [s for s in supplier_ids if s not in set(found["supplier_id"])]
    if unknown:
        raise ConfigError(f"supplier {', '.join(unknown)} is in no recorded run")
    frames = []
    for supplier_id in supplier_ids:
        own = found[found["supplier_id"] == supplier_id]
        path = all_runs.merge(own.drop(columns="supplier_id"), on="run_id", how="left")
        path.insert(0, "supplier_id", supplier_id)
        path["name"] = own["name"].iloc[-1] if own["name"].notna().any() else None
        path["change"] = _grade_change(path["grade"].shift(1), path["grade"])
        path.loc[path["grade"].isna(), "change"] = "not audited"
        frames.append(path)
    out = pd.concat(frames, ignore_index=True)
    return out[["supplier_id", "name", "run_id", "as_of", "score", "grade", "change"]]


def rule_history(connection: Connection, rule_id: str) -> pd.DataFrame:
    """A rule's status counts and pass rate (pass / results that count: not n/a or waived)
    in every run; zero counts and no rate where the rule was not loaded."""
    all_runs = runs(connection)[["run_id", "as_of"]]
    found = read_frame(connection, select(
        t.run_rules.c.run_id, t.run_rules.c.title,
        *(t.run_rules.c[c] for c in RESULT_COUNTS),
    ).where(t.run_rules.c.rule_id == rule_id))
    if found.empty:
        raise ConfigError(f"rule {rule_id} is in no recorded run")
    out = all_runs.merge(found, on="run_id", how="left")
    out.insert(0, "rule_id", rule_id)
    counts = out[list(RESULT_COUNTS)].fillna(0).astype(int)
    out[list(RESULT_COUNTS)] = counts
    counted = counts[["passed", "warned", "failed", "missing"]].sum(axis=1)
    rate = (counts["passed"] / counted.where(counted > 0)).round(4)
    out["counted"] = counted
    out["pass_rate"] = rate.astype(object).where(rate.notna(), None)
    out["title"] = out["title"].where(out["title"].notna(), found["title"].iloc[-1])
    return out[["rule_id", "title", "run_id", "as_of", *RESULT_COUNTS, "counted", "pass_rate"]]


def supplier_rule_history(connection: Connection, supplier_ids: list[str], rule_id: str
                          ) -> pd.DataFrame:
    """Each supplier's result on one rule in every run (None where there was none)."""
    supplier_history(connection, supplier_ids)  # names unknown suppliers
    rule_history(connection, rule_id)  # names an unknown rule
    all_runs = runs(connection)[["run_id", "as_of"]]
    found = read_frame(connection, select(
        t.run_results.c.run_id, t.run_results.c.supplier_id, t.run_results.c.status,
        t.run_results.c.points, t.run_results.c.max_points,
    ).where(and_(t.run_results.c.rule_id == rule_id,
                 t.run_results.c.supplier_id.in_(supplier_ids))))
    frames = []
    for supplier_id in supplier_ids:
        own = found[found["supplier_id"] == supplier_id].drop(columns="supplier_id")
        path = all_runs.merge(own, on="run_id", how="left")
        path.insert(0, "rule_id", rule_id)
        path.insert(0, "supplier_id", supplier_id)
        frames.append(path)
    return pd.concat(frames, ignore_index=True)[
        ["supplier_id", "rule_id", "run_id", "as_of", "status", "points", "max_points"]]


def run_report(connection: Connection, run_id: int, name: str) -> AuditReport:
    """One recorded run in the shape the diff reads from a report.json."""
    run = connection.execute(select(t.runs).where(t.runs.c.run_id == run_id)).one()
    suppliers = read_frame(connection, select(
        t.run_suppliers.c.supplier_id, t.run_suppliers.c.name, t.run_suppliers.c.score,
        t.run_suppliers.c.grade,
    ).where(t.run_suppliers.c.run_id == run_id).order_by(t.run_suppliers.c.position))
    f, r = t.run_findings, t.run_rules
    findings = read_frame(connection, select(
        f.c.supplier_id, f.c.rule_id, f.c.severity, f.c.status, r.c.title, f.c.message,
        r.c.remediation, f.c.due,
    ).join(r, and_(r.c.run_id == f.c.run_id, r.c.rule_id == f.c.rule_id))
        .where(f.c.run_id == run_id))
    results = read_frame(connection, select(
        t.run_results.c.supplier_id, t.run_results.c.rule_id, t.run_results.c.status,
    ).where(t.run_results.c.run_id == run_id))
    findings["due"] = findings["due"].map(lambda d: None if d is None else d.isoformat())
    suppliers["score"] = pd.to_numeric(suppliers["score"], errors="coerce")
    counts = findings.groupby("supplier_id", sort=False).size()
    suppliers["findings"] = suppliers["supplier_id"].map(counts).fillna(0).astype("int64")
    return AuditReport(
        path=f"{name} run {run_id}",
        schema_version=f"history {t.SCHEMA_VERSION}",
        as_of=run.as_of.isoformat(),
        generated_at=run.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        suppliers=suppliers,
        findings=findings,
        results=results,
    )


def trend(store: Store, rows: RunRows) -> Trend:
    """This audit (as rows) against the runs recorded before its as-of."""
    as_of = rows.run["as_of"]
    assert isinstance(as_of, date)
    with store.begin() as connection:
        previous = previous_run_id(connection, as_of)
        findings = carry_open_findings(connection, rows.findings, as_of)
        history = runs(connection)
        before = read_frame(connection, select(
            t.run_suppliers.c.supplier_id, t.run_suppliers.c.score, t.run_suppliers.c.grade,
        ).where(t.run_suppliers.c.run_id == previous)) if previous is not None else None
        previous_as_of = None if previous is None else connection.execute(
            select(t.runs.c.as_of).where(t.runs.c.run_id == previous)).scalar()

    suppliers = rows.suppliers[["supplier_id", "score", "grade"]]
    if before is None:
        before = pd.DataFrame(columns=["supplier_id", "score", "grade"])
    merged = suppliers.merge(before, on="supplier_id", how="left", suffixes=("", "_previous"),
                             sort=False)
    previous_score = pd.to_numeric(merged["score_previous"], errors="coerce").astype(float)
    supplier_trend = pd.DataFrame({
        "supplier_id": suppliers["supplier_id"].to_numpy(),
        "previous_score": previous_score.to_numpy(),
        "previous_grade": merged["grade_previous"].astype(object).where(
            merged["grade_previous"].notna(), None).to_numpy(),
        "score_change": (merged["score"].astype(float) - previous_score).round(1).to_numpy(),
        "grade_change": _grade_change(merged["grade_previous"], merged["grade"]).to_numpy(),
    })

    carried_since = pd.to_datetime(pd.Series(findings["open_since"]))
    first_due = pd.Series(findings["first_due"].to_numpy(), dtype=object)
    overdue = (carried_since < pd.Timestamp(as_of)).to_numpy() & (
        pd.to_datetime(first_due) < pd.Timestamp(as_of)).to_numpy()
    finding_trend = pd.DataFrame({
        "open_since": findings["open_since"].to_numpy(dtype=object),
        "first_due": first_due.to_numpy(),
        "overdue": overdue,
    })

    earlier = history[history["as_of"] < as_of]
    current = {"as_of": as_of, **{g: int((rows.suppliers["grade"] == g).sum()) for g in GRADES}}
    grades_by_run = pd.concat(
        [earlier[["as_of", *GRADES]], pd.DataFrame([current])], ignore_index=True)
    return Trend(previous_as_of, supplier_trend, finding_trend, grades_by_run)


def _grade_change(before: pd.Series, after: pd.Series) -> pd.Series:
    """better / worse / same by grade order (N/A below D); new where there was no grade."""
    old = before.map(GRADE_RANK)
    new = after.map(GRADE_RANK)
    change = np.select([old.isna(), new < old, new > old], ["new", "better", "worse"], "same")
    return pd.Series(change, index=after.index, dtype=object)

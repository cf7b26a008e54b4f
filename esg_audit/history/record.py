"""Recording an audit in the history store: one transaction per run, bulk inserts.

`rows_from_result` is the one place that reads an `AuditResult`: it turns it into the rows of
each table. `record_run` writes them in one transaction, so an interrupted run leaves nothing;
a run already recorded (same as-of, inputs, rule packs and waivers) is not stored again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, exc, select

from esg_audit import __version__
from esg_audit.history import tables as t
from esg_audit.history.bulk import insert_frame, read_frame
from esg_audit.history.store import Store, hold_for_tests
from esg_audit.model import STATUSES, AuditResult, Status
from esg_audit.reports.json_report import reproducible_command

# run_rules column -> the result status it counts.
STATUS_COUNTS: dict[str, str] = dict((
    ("passed", Status.PASS.value), ("warned", Status.WARN.value),
    ("failed", Status.FAIL.value), ("missing", Status.MISSING.value),
    ("not_applicable", Status.NA.value), ("waived", Status.WAIVED.value),
))  # fmt: skip


@dataclass(frozen=True)
class RunRows:
    """An audit as the rows of each table (`run_id` left out: the store assigns it)."""

    run_key: str
    run: dict[str, object]
    inputs: pd.DataFrame
    rule_packs: pd.DataFrame
    rules: pd.DataFrame
    suppliers: pd.DataFrame
    pillar_scores: pd.DataFrame
    results: pd.DataFrame
    findings: pd.DataFrame  # without open_since and first_due: they depend on the store
    data_issues: pd.DataFrame


@dataclass(frozen=True)
class Recorded:
    run_id: int
    created: bool  # False: the same run was already in the store


def run_key(as_of: date, inputs: list[str], rule_packs: list[str], waivers: str | None) -> str:
    """What makes two runs the same audit: as-of, and the SHA-256 of every input, rule pack and
    waiver file (paths and the time of the run do not matter)."""
    identity = {"as_of": as_of.isoformat(), "inputs": inputs, "rule_packs": rule_packs,
                "waivers": waivers}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode("utf-8")).hexdigest()


def rows_from_result(result: AuditResult) -> RunRows:
    """The rows of every table for one audit (the only reader of the AuditResult's shape)."""
    data, ruleset, grid = result.data, result.ruleset, result.results
    suppliers = result.suppliers.reset_index(drop=True)
    findings = result.findings

    spend = (
        pd.to_numeric(data.suppliers["annual_spend"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)
        if "annual_spend" in data.suppliers.columns else np.full(len(suppliers), np.nan)
    )  # data.suppliers holds the audited suppliers in the same order
    supplier_ids = suppliers["supplier_id"].astype(str)
    supplier_rows = pd.DataFrame({
        "supplier_id": supplier_ids,
        "position": np.arange(len(suppliers)),
        "name": suppliers["name"],
        "country": suppliers["country"],
        "category": suppliers["category"],
        "score": suppliers["score_display"].astype(float),
        "grade": suppliers["grade"].astype(str),
        "knockout": suppliers["knockout"].astype(bool),
        "annual_spend": spend,
    })

    pillar_frames = [
        pd.DataFrame({
            "supplier_id": supplier_ids,
            "pillar": pillar,
            "score": suppliers[f"pillar_display:{pillar}"].to_numpy(dtype=float),
        })
        for pillar in result.pillars
    ]
    pillar_rows = pd.concat(pillar_frames, ignore_index=True) if pillar_frames else \
        pd.DataFrame({"supplier_id": [], "pillar": [], "score": []})

    n_suppliers, n_rules = grid.shape
    codes = grid.status.astype(np.intp)
    per_rule = np.bincount(
        (np.arange(n_rules)[None, :] * len(STATUSES) + codes).ravel(),
        minlength=n_rules * len(STATUSES),
    ).reshape(n_rules, len(STATUSES))
    rules = ruleset.rules
    rule_rows = pd.DataFrame({
        "rule_id": [r.id for r in rules],
        "position": np.arange(len(rules)),
        "pack": [r.pack for r in rules],
        "title": [r.title or "" for r in rules],
        "pillar": [r.pillar for r in rules],
        "severity": [str(r.severity) for r in rules],
        "weight": [float(r.weight) for r in rules],
        "knockout": [bool(r.knockout) for r in rules],
        "remediation": [r.remediation or "" for r in rules],
        **{column: per_rule[:, Status(status).code] for column, status in STATUS_COUNTS.items()},
    })

    status_names = np.array(STATUSES, dtype=object)
    grid_ids = grid.supplier_ids.to_numpy(dtype=object)
    result_rows = pd.DataFrame({
        "supplier_id": np.repeat(grid_ids, n_rules),
        "rule_id": np.tile(np.array(grid.rule_ids, dtype=object), n_suppliers),
        "status": status_names[codes.ravel()],
        "points": _scored(grid.points, n_suppliers * n_rules),
        "max_points": _scored(grid.max_points, n_suppliers * n_rules),
    })
    finding_rows = pd.DataFrame({
        "supplier_id": findings["supplier_id"].astype(str),
        "rule_id": findings["rule_id"].astype(str),
        "severity": findings["severity"].astype(str),
        "status": findings["status"].astype(str),
        "message": findings["message"],
        "due": findings["due"],
    }).reset_index(drop=True)

    issues = pd.DataFrame(
        [(i.file, i.sheet, i.column) for i in data.data_issues],
        columns=["file", "sheet", "column_header"], dtype=object,
    )
    issue_rows = (
        issues.groupby(["file", "sheet", "column_header"], dropna=False, sort=False)
        .size().rename("issues").reset_index()
    )
    issue_rows.insert(0, "position", np.arange(len(issue_rows)))

    inputs = pd.DataFrame({
        "position": np.arange(len(data.inputs)),
        "path": [f.path for f in data.inputs],
        "sha256": [f.sha256 for f in data.inputs],
        "rows": [int(f.rows) for f in data.inputs],
    })
    packs = ruleset.packs
    rule_packs = pd.DataFrame({
        "position": np.arange(len(packs)),
        "pack": [p.name for p in packs],
        "version": [str(p.version) for p in packs],
        "sha256": [p.sha256 for p in packs],
    })
    key = run_key(result.as_of, list(inputs["sha256"]), list(rule_packs["sha256"]),
                  result.waivers.sha256)
    run = {
        "run_key": key,
        "as_of": result.as_of,
        "generated_at": _utc_naive(result.generated_at),
        "tool_version": __version__,
        "command": reproducible_command(result.command),
        "waivers_sha256": result.waivers.sha256,
        "suppliers": int(data.supplier_rows),
        "audited": len(suppliers),
        "findings": len(findings),
        "data_issues": len(data.data_issues),
    }
    return RunRows(key, run, inputs, rule_packs, rule_rows, supplier_rows, pillar_rows,
                   result_rows, finding_rows, issue_rows)


def _scored(values: np.ndarray | None, cells: int) -> np.ndarray:
    return np.zeros(cells) if values is None else values.ravel().astype(float)


def record_run(store: Store, rows: RunRows) -> Recorded:
    """Record an audit (its `rows_from_result`) in one transaction; a run already in the
    store is not stored again."""
    as_of = rows.run["as_of"]
    assert isinstance(as_of, date)

    def work(connection: Connection) -> Recorded:
        existing = _run_with_key(connection, rows.run_key)
        if existing is not None:
            return Recorded(existing, created=False)
        run = dict(rows.run, recorded_at=_utc_naive(datetime.now(timezone.utc)))
        try:
            with connection.begin_nested():
                inserted = connection.execute(t.runs.insert().values(**run))
                run_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        except exc.IntegrityError:
            # Another process recorded the same run since we looked (PostgreSQL: not serialised).
            existing = _run_with_key(connection, rows.run_key)
            if existing is None:
                raise
            return Recorded(existing, created=False)
        findings = carry_open_findings(connection, rows.findings, as_of)
        for table, frame in (
            (t.run_inputs, rows.inputs), (t.run_rule_packs, rows.rule_packs),
            (t.run_rules, rows.rules), (t.run_suppliers, rows.suppliers),
            (t.run_pillar_scores, rows.pillar_scores),
        ):
            _insert(connection, table, frame, run_id)
        hold_for_tests()
        for table, frame in (
            (t.run_results, rows.results), (t.run_findings, findings),
            (t.run_data_issues, rows.data_issues),
        ):
            _insert(connection, table, frame, run_id)
        return Recorded(run_id, created=True)

    return store.write(work)


def previous_run_id(connection: Connection, as_of: date) -> int | None:
    """The last run recorded with an earlier as-of (the latest recorded wins a tie)."""
    value = connection.execute(
        select(t.runs.c.run_id).where(t.runs.c.as_of < as_of)
        .order_by(t.runs.c.as_of.desc(), t.runs.c.run_id.desc()).limit(1)
    ).scalar()
    return None if value is None else int(value)


def carry_open_findings(connection: Connection, findings: pd.DataFrame, as_of: date
                        ) -> pd.DataFrame:
    """`findings` with open_since and first_due: carried from the previous run where the same
    supplier had the same rule open, else this run's as-of and due date."""
    previous = previous_run_id(connection, as_of)
    before = read_frame(connection, select(
        t.run_findings.c.supplier_id, t.run_findings.c.rule_id,
        t.run_findings.c.open_since, t.run_findings.c.first_due,
    ).where(t.run_findings.c.run_id == previous)) if previous is not None else None
    out = findings.copy()
    if before is None or before.empty:
        out["open_since"] = as_of
        out["first_due"] = out["due"]
        return out
    merged = out[["supplier_id", "rule_id"]].merge(before, on=["supplier_id", "rule_id"],
                                                   how="left", sort=False)
    carried = merged["open_since"].notna().to_numpy()
    today = np.full(len(out), as_of, dtype=object)
    out["open_since"] = np.where(carried, merged["open_since"].to_numpy(dtype=object), today)
    out["first_due"] = np.where(carried, merged["first_due"].to_numpy(dtype=object),
                                out["due"].to_numpy(dtype=object))
    return out


def _run_with_key(connection: Connection, key: str) -> int | None:
    value = connection.execute(select(t.runs.c.run_id).where(t.runs.c.run_key == key)).scalar()
    return None if value is None else int(value)


def _insert(connection: Connection, table: Table, frame: pd.DataFrame, run_id: int) -> None:
    insert_frame(connection, table, frame.assign(run_id=run_id))


def _utc_naive(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


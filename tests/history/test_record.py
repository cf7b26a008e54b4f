"""What a run stores: every table agrees with the run's own report.json, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from esg_audit import __version__
from esg_audit.cli import cli
from esg_audit.history import open_store
from esg_audit.history import tables as t

SAMPLE = str(Path(__file__).resolve().parents[2] / "sample_data")


@pytest.fixture(scope="module")
def recorded(module_store_url: str, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("report")
    outcome = CliRunner().invoke(cli, ["check", SAMPLE, "--as-of", "2026-11-27", "--format",
                                       "json", "--out", str(out), "--history",
                                       module_store_url], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    store = open_store(module_store_url)
    try:
        with store.begin() as connection:
            tables = {table.name: [dict(r) for r in connection.execute(
                select(table)).mappings()] for table in (t.runs, *t.RUN_TABLES)}
    finally:
        store.close()
    return report, tables


def test_the_run(recorded):
    report, tables = recorded
    (run,) = tables["runs"]
    assert run["as_of"] == date(2026, 11, 27)
    assert run["generated_at"].strftime("%Y-%m-%dT%H:%M:%SZ") == report["audit"]["generated_at"]
    assert run["tool_version"] == __version__
    assert run["command"] == report["audit"]["command"]
    assert "--history" not in run["command"]
    summary = report["summary"]
    assert (run["suppliers"], run["audited"], run["data_issues"], run["findings"]) == (
        summary["suppliers"], summary["audited"], summary["data_issues"],
        len(report["findings"]))
    assert [(i["path"], i["sha256"], i["rows"]) for i in tables["run_inputs"]] == [
        (i["path"], i["sha256"], i["rows"]) for i in report["audit"]["inputs"]]
    assert [(p["pack"], p["version"], p["sha256"]) for p in tables["run_rule_packs"]] == [
        (p["pack"], p["version"], p["sha256"]) for p in report["audit"]["rule_packs"]]


def test_suppliers_scores_and_pillars(recorded):
    report, tables = recorded
    stored = sorted(tables["run_suppliers"], key=lambda s: s["position"])
    assert [(s["supplier_id"], s["name"], s["score"], s["grade"], s["knockout"])
            for s in stored] == [(s["supplier_id"], s["name"], s["score"], s["grade"],
                                  s["knockout"]) for s in report["suppliers"]]
    pillars = {(p["supplier_id"], p["pillar"]): p["score"] for p in tables["run_pillar_scores"]}
    assert pillars == {(s["supplier_id"], name): score for s in report["suppliers"]
                       for name, score in s["pillars"].items()}
    spend = {s["supplier_id"]: s["annual_spend"] for s in stored}
    assert spend["SUP-1001"] == 9_640_000.0
    assert spend["SUP-1006"] == 38_670_000.0  # the first of its two rows
    assert len(stored) == 40


def test_every_result_and_the_rule_counts(recorded):
    report, tables = recorded
    assert sorted((r["supplier_id"], r["rule_id"], r["status"], r["points"], r["max_points"])
                  for r in tables["run_results"]) == sorted(
        (s["supplier_id"], r["rule_id"], r["status"], r["points"], r["max_points"])
        for s in report["suppliers"] for r in s["results"])
    statuses = Counter((r["rule_id"], r["status"]) for r in tables["run_results"])
    for rule in tables["run_rules"]:
        assert (rule["passed"], rule["warned"], rule["failed"], rule["missing"],
                rule["not_applicable"], rule["waived"]) == tuple(
            statuses[(rule["rule_id"], s)] for s in ("pass", "warn", "fail", "missing", "n/a",
                                                      "waived"))
        assert sum(statuses[(rule["rule_id"], s)] for s in ("pass", "warn", "fail", "missing",
                                                            "n/a", "waived")) == 40


def test_findings_with_due_dates(recorded):
    report, tables = recorded
    assert sorted((f["supplier_id"], f["rule_id"], f["severity"], f["status"], f["message"],
                   f["due"].isoformat(), f["open_since"], f["first_due"])
                  for f in tables["run_findings"]) == sorted(
        (f["supplier_id"], f["rule_id"], f["severity"], f["status"], f["message"], f["due"],
         date(2026, 11, 27), date.fromisoformat(f["due"])) for f in report["findings"])


def test_data_issue_counts(recorded):
    report, tables = recorded
    counted = Counter((i["file"], i["sheet"], i["column"]) for i in report["data_issues"])
    assert {(i["file"], i["sheet"], i["column_header"]): i["issues"]
            for i in tables["run_data_issues"]} == counted
    assert sum(counted.values()) == report["summary"]["data_issues"] > 0

"""Three monthly runs recorded in one store: grade paths, diffs and overdue findings exactly
as planted (see months.py), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.history import open_store, rows_from_result, with_trend
from esg_audit.pipeline import AuditRequest, run_audit
from tests.history.months import (
    GRADE_PATHS,
    MONTHS,
    OVERDUE_IN_NOVEMBER,
    RULES,
    SAMPLE_SUPPLIERS,
    month_workbook,
)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def months(module_store_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The store with the three months recorded, and each month's input and report folder."""
    folder = tmp_path_factory.mktemp("months")
    runs = []
    for month, as_of in enumerate(MONTHS):
        inputs = month_workbook(month, folder)
        out = folder / "reports" / as_of.isoformat()
        outcome = invoke("check", str(inputs), "--rules", str(RULES), "--as-of",
                         as_of.isoformat(), "--out", str(out), "--format", "json",
                         "--history", module_store_url)
        assert outcome.exit_code == 0, outcome.output
        assert f"recorded run {month + 1} in " in outcome.stderr
        runs.append((inputs, out / "report.json"))
    return module_store_url, runs


def test_runs_are_listed_oldest_first(months):
    url, _ = months
    outcome = invoke("history", "--history", url, "--format", "json")
    assert outcome.exit_code == 0
    listed = json.loads(outcome.stdout)
    assert [(r["run_id"], r["as_of"], r["audited"]) for r in listed] == [
        (1, "2026-09-27", 40), (2, "2026-10-27", 41), (3, "2026-11-27", 40)]
    assert [(r["A"], r["B"], r["C"], r["D"], r["N/A"]) for r in listed] == [
        (36, 0, 3, 1, 0), (36, 1, 4, 0, 0), (34, 1, 4, 1, 0)]


def test_grade_paths_are_as_planted(months):
    url, _ = months
    suppliers = [*SAMPLE_SUPPLIERS, "SUP-1041"]
    outcome = invoke("history", "--history", url, *suppliers, "--format", "json")
    assert outcome.exit_code == 0, outcome.output
    rows = json.loads(outcome.stdout)
    paths: dict[str, list[str | None]] = {}
    for row in rows:
        paths.setdefault(row["supplier_id"], []).append(row["grade"])
    assert paths == {s: GRADE_PATHS.get(s, ["A", "A", "A"]) for s in suppliers}
    sup_1001 = [(r["as_of"], r["score"], r["grade"], r["change"]) for r in rows
                if r["supplier_id"] == "SUP-1001"]
    assert sup_1001 == [("2026-09-27", 100.0, "A", "new"), ("2026-10-27", 75.0, "B", "worse"),
                        ("2026-11-27", 25.0, "D", "worse")]
    sup_1040 = [(r["score"], r["grade"], r["change"]) for r in rows
                if r["supplier_id"] == "SUP-1040"]
    assert sup_1040 == [(100.0, "A", "new"), (100.0, "A", "same"), (None, None, "not audited")]


def test_grade_path_as_a_table(months):
    url, _ = months
    outcome = invoke("history", "--history", url, "SUP-1002")
    assert outcome.exit_code == 0
    assert outcome.stdout.splitlines() == [
        "supplier_id  name                        run_id  as_of       score  grade  change",
        "SUP-1002     Shenzhen Huaxin Components  1       2026-09-27  0.0    D      new",
        "SUP-1002     Shenzhen Huaxin Components  2       2026-10-27  50.0   C      better",
        "SUP-1002     Shenzhen Huaxin Components  3       2026-11-27  100.0  A      better",
    ]


def test_rule_pass_rate_per_run(months):
    url, _ = months
    outcome = invoke("history", "--history", url, "--rule", "GOV-001", "--format", "csv")
    assert outcome.exit_code == 0
    assert outcome.stdout.splitlines() == [
        "rule_id,title,run_id,as_of,passed,warned,failed,missing,not_applicable,waived,"
        "counted,pass_rate",
        "GOV-001,Price index below 5,1,2026-09-27,37,0,3,0,0,0,40,0.925",
        "GOV-001,Price index below 5,2,2026-10-27,39,0,2,0,0,0,41,0.9512",
        "GOV-001,Price index below 5,3,2026-11-27,36,0,4,0,0,0,40,0.9",
    ]


def test_one_suppliers_status_on_a_rule(months):
    url, _ = months
    outcome = invoke("history", "--history", url, "SUP-1005", "--rule", "GOV-001",
                     "--format", "json")
    assert [(r["as_of"], r["status"]) for r in json.loads(outcome.stdout)] == [
        ("2026-09-27", "fail"), ("2026-10-27", "pass"), ("2026-11-27", "fail")]


@pytest.mark.parametrize("span", [(), ("--from", "2026-10-27", "--to", "2026-11-27"),
                                  ("--from", "2026-09-27", "--to", "2026-10-27"),
                                  ("--to", "2026-10-27")])
def test_diff_from_the_store_equals_the_file_diff(months, span):
    url, runs = months
    first = 1 if span in ((), ("--from", "2026-10-27", "--to", "2026-11-27")) else 0
    old, new = str(runs[first][1]), str(runs[first + 1][1])
    from_files = invoke("diff", old, new, "--json")
    from_store = invoke("diff", "--history", url, *span, "--json")
    assert from_store.exit_code == 0, from_store.output
    files, store = json.loads(from_files.stdout), json.loads(from_store.stdout)
    assert store["old"]["as_of"] == MONTHS[first].isoformat()
    assert store["new"]["as_of"] == MONTHS[first + 1].isoformat()
    for side in ("old", "new"):
        files.pop(side), store.pop(side)
    assert store == files
    assert sum(store["summary"].values()) > 0

    text_files = invoke("diff", old, new).stdout.splitlines()
    text_store = invoke("diff", "--history", url, *span).stdout.splitlines()
    assert text_store[1:] == text_files[1:]
    assert text_store[0].startswith("Changes from ")


def test_file_diff_shows_the_planted_changes(months):
    url, _ = months
    document = json.loads(invoke("diff", "--history", url, "--json").stdout)
    assert [(g["supplier_id"], g["old_grade"], g["new_grade"], g["direction"])
            for g in document["grade_changes"]] == [
        ("SUP-1001", "B", "D", "worse"), ("SUP-1005", "A", "C", "worse"),
        ("SUP-1041", "A", "B", "worse"), ("SUP-1002", "C", "A", "better")]
    assert [s["supplier_id"] for s in document["suppliers_removed"]] == ["SUP-1040"]


def test_overdue_findings_are_exactly_the_planted_ones(months):
    url, runs = months
    store = open_store(url)
    try:
        overdue = {}
        for month, as_of in enumerate(MONTHS):
            result = run_audit(AuditRequest(inputs=(str(runs[month][0]),), as_of=as_of,
                                            rules=(str(RULES),)))
            trended = with_trend(store, result, rows_from_result(result))
            assert trended.trend is not None
            flagged = trended.trend.findings["overdue"].to_numpy()
            findings = trended.findings
            overdue[month] = set(zip(findings["supplier_id"].astype(str)[flagged],
                                     findings["rule_id"].astype(str)[flagged], strict=True))
    finally:
        store.close()
    assert overdue == {0: set(), 1: set(), 2: OVERDUE_IN_NOVEMBER}


def test_trend_of_the_last_month(months):
    url, runs = months
    store = open_store(url)
    try:
        result = run_audit(AuditRequest(inputs=(str(runs[2][0]),), as_of=MONTHS[2],
                                        rules=(str(RULES),)))
        trend = with_trend(store, result, rows_from_result(result)).trend
    finally:
        store.close()
    assert trend is not None and trend.previous_as_of == MONTHS[1]
    suppliers = trend.suppliers.set_index("supplier_id")
    assert suppliers.loc["SUP-1001", "previous_grade"] == "B"
    assert suppliers.loc["SUP-1001", "grade_change"] == "worse"
    assert suppliers.loc["SUP-1001", "score_change"] == -50.0
    assert suppliers.loc["SUP-1002", "grade_change"] == "better"
    assert suppliers.loc["SUP-1004", "grade_change"] == "same"
    assert list(trend.grades_by_run["as_of"]) == list(MONTHS)
    assert trend.grades_by_run[["A", "B", "C", "D", "N/A"]].values.tolist() == [
        [36, 0, 3, 1, 0], [36, 1, 4, 0, 0], [34, 1, 4, 1, 0]]
    findings = trend.findings
    first = dict(zip(zip(result.findings["supplier_id"].astype(str),
                         result.findings["rule_id"].astype(str), strict=True),
                     zip(findings["open_since"], findings["first_due"], strict=True),
                     strict=True))
    assert first[("SUP-1003", "GOV-001")] == (MONTHS[0], MONTHS[0].replace(month=11, day=26))
    assert first[("SUP-1005", "GOV-001")] == (MONTHS[2], MONTHS[2].replace(year=2027, month=1,
                                                                            day=26))


def test_reports_show_the_trend_from_the_store(months, tmp_path):
    """November audited again with the store: the run is already recorded, and its reports show
    the previous grade, the overdue findings and the grades over the three runs."""
    url, runs = months
    out = tmp_path / "nov"
    outcome = invoke("check", str(runs[2][0]), "--rules", str(RULES), "--as-of", "2026-11-27",
                     "--out", str(out), "--format", "xlsx,html", "--history", url)
    assert outcome.exit_code == 0, outcome.output
    assert "run already recorded as run 3 in " in outcome.stderr

    book = openpyxl.load_workbook(out / "report.xlsx")
    sheet = book["Suppliers"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2,
                                                                           values_only=True)}
    assert header[-4:] == ["previous_grade", "previous_score", "score_change", "grade_change"]
    assert {k: rows["SUP-1001"][k] for k in ("grade", "previous_grade", "previous_score",
                                             "score_change", "grade_change")} == {
        "grade": "D", "previous_grade": "B", "previous_score": 75, "score_change": -50,
        "grade_change": "worse"}
    assert (rows["SUP-1041"]["previous_grade"], rows["SUP-1041"]["grade_change"]) == ("A", "worse")
    assert rows["SUP-1004"]["grade_change"] == "same"

    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    assert header[-3:] == ["overdue", "open_since", "first_due"]
    flagged = {(r[header.index("supplier_id")], r[header.index("rule_id")])
               for r in findings.iter_rows(min_row=2, values_only=True)
               if r[header.index("overdue")]}
    assert flagged == OVERDUE_IN_NOVEMBER

    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('class="badge overdue"') == len(OVERDUE_IN_NOVEMBER)
    assert "Grades over the recorded runs: 2026-09-27 A 36 C 3 D 1; 2026-10-27 A 36 B 1 C 4; " \
           "2026-11-27 A 34 B 1 C 4 D 1" in page
    assert "on 2026-10-27: worse (-50.0)" in page

"""SPEC §6 and §1: `diff OLD.json NEW.json` shows new, resolved and changed findings and grade changes."""

from __future__ import annotations

import json

import pytest

from tests.acceptance.outputs.helpers import (
    CERT_HEADER,
    CERT_ROWS,
    SUPPLIER_HEADER,
    SUPPLIER_ROWS,
    invoke,
    read_json,
    write_xlsx,
)

NOVEMBER_ROWS = [
    ["S1", "Acme GmbH", "DE", "services", 0.4, 0.95],  # ENV-002 pass -> warn: new finding
    ["S2", "Beta SA", "FR", "metals", 0.7, None],  # ENV-002 warn -> pass: resolved
    # S3 left the supplier base: its findings are resolved, tagged "supplier removed"
    ["S4", "Delta", "CN", "services", 0.1, 0.5],  # ENV-002 missing -> fail: changed
    ["S5", "Epsilon", "IT", "metals", 0.9, None],  # new supplier
]


@pytest.fixture
def reports(tmp_path, rules_file):
    october = write_xlsx(tmp_path / "october.xlsx", {
        "Suppliers": [SUPPLIER_HEADER, *SUPPLIER_ROWS], "Certificates": [CERT_HEADER, *CERT_ROWS],
    })
    november = write_xlsx(tmp_path / "november.xlsx", {
        "Suppliers": [SUPPLIER_HEADER, *NOVEMBER_ROWS],
        "Certificates": [CERT_HEADER, *CERT_ROWS],
    })
    paths = []
    for book, as_of in ((october, "2026-10-31"), (november, "2026-11-30")):
        out = tmp_path / as_of
        run = invoke("check", book, "--rules", rules_file, "--as-of", as_of, "--out", out,
                     "--format", "json")
        assert run.exit_code == 0, run.stderr
        paths.append(out / "report.json")
    return paths


def test_diff_json_lists_new_resolved_and_changed_findings_and_grade_changes(reports):
    old, new = reports
    run = invoke("diff", old, new, "--json")
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    key = lambda rows: [(r["supplier_id"], r["rule_id"]) for r in rows]  # noqa: E731
    # findings order: severity first (high before medium)
    assert key(document["new_findings"]) == [("S5", "ENV-001"), ("S1", "ENV-002")]
    assert [r["change"] for r in document["new_findings"]] == ["supplier added", "was pass"]
    assert key(document["resolved_findings"]) == [
        ("S3", "GOV-001"), ("S3", "ENV-001"), ("S3", "ENV-002"), ("S2", "ENV-002"),
    ]
    assert [r["change"] for r in document["resolved_findings"]] == [
        "supplier removed", "supplier removed", "supplier removed", "now pass",
    ]
    changed = document["changed_findings"]
    assert [(c["supplier_id"], c["rule_id"], c["old_status"], c["new_status"]) for c in changed] == [
        ("S4", "ENV-002", "missing", "fail"),
    ]
    grades = {g["supplier_id"]: (g["old_grade"], g["new_grade"], g["old_score"], g["new_score"])
              for g in document["grade_changes"]}
    old_report, new_report = read_json(old), read_json(new)
    old_s = {s["supplier_id"]: s for s in old_report["suppliers"]}
    new_s = {s["supplier_id"]: s for s in new_report["suppliers"]}
    expected = {
        sid: (old_s[sid]["grade"], new_s[sid]["grade"], old_s[sid]["score"], new_s[sid]["score"])
        for sid in old_s.keys() & new_s.keys()
        if (old_s[sid]["grade"], old_s[sid]["score"]) != (new_s[sid]["grade"], new_s[sid]["score"])
    }
    assert grades == expected
    assert grades == {"S1": ("A", "A", 100.0, 98.5), "S2": ("B", "B", 75.0, 77.3)}  # S4: 0 -> 0
    assert [s["supplier_id"] for s in document["suppliers_added"]] == ["S5"]
    assert [s["supplier_id"] for s in document["suppliers_removed"]] == ["S3"]
    assert document["summary"] == {
        "new_findings": 2, "resolved_findings": 4, "changed_findings": 1, "grade_changes": 2,
        "suppliers_added": 1, "suppliers_removed": 1,
    }


def test_diff_text_goes_to_stdout_with_each_section(reports, tmp_path):
    old, new = reports
    run = invoke("diff", old, new)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    text = run.stdout
    for title in ("New findings (2)", "Resolved findings (4)", "Changed findings (1)",
                  "Grade and score changes (2)"):
        assert f"\n{title}\n" in text
    assert "S4 (Delta)  ENV-002  Renewable electricity share: status missing -> fail" in text


def test_diff_out_writes_diff_files(reports, tmp_path):
    old, new = reports
    run = invoke("diff", old, new, "--out", tmp_path / "d")
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["diff.json", "diff.xlsx"]


def test_identical_reports_have_no_changes(reports):
    old, _ = reports
    run = invoke("diff", old, old, "--json")
    assert run.exit_code == 0
    assert json.loads(run.stdout)["summary"] == {
        "new_findings": 0, "resolved_findings": 0, "changed_findings": 0, "grade_changes": 0,
        "suppliers_added": 0, "suppliers_removed": 0,
    }


def test_diff_of_a_file_that_is_not_a_report_exits_2(reports, tmp_path):
    old, _ = reports
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2]", encoding="utf-8")
    run = invoke("diff", old, junk)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"error: {junk}") and "Traceback" not in run.stderr

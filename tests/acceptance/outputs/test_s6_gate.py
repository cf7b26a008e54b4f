"""SPEC §6 and §1: `gate` gives one verdict per supplier, a scriptable yes/no with reasons."""

from __future__ import annotations

import json

import pytest

from tests.acceptance.outputs.helpers import AS_OF, invoke

# S1 A 100; S2 B 75 (warn high, warn medium); S3 D 0 (knockout GOV-001 critical fail);
# S4 D 33.3 (fail high, missing medium, fail low).
ALL_NA = """\
pack: na
version: "1"
rules:
  - id: NA-001
    title: Services only
    pillar: social
    severity: low
    applies_to: "category == 'services'"
    check: {pass: on_time_delivery >= 0.9}
"""


def gate(workbook, rules_file, *policy):
    return invoke("gate", workbook, "--rules", rules_file, "--as-of", AS_OF, *policy)


def verdicts(run):
    return {s["supplier_id"]: s for s in json.loads(run.stdout)["suppliers"]}


def test_json_document_is_exactly_as_of_policy_and_suppliers(workbook, rules_file):
    run = gate(workbook, rules_file, "--json")
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    assert list(document) == ["as_of", "policy", "suppliers"]
    assert document["as_of"] == AS_OF
    assert document["policy"] == {"min_grade": "C", "fail_on": None}
    assert [list(s) for s in document["suppliers"]] == [
        ["supplier_id", "name", "score", "grade", "approved", "reasons"]
    ] * 4
    assert [(s["supplier_id"], s["name"], s["score"], s["grade"], s["approved"])
            for s in document["suppliers"]] == [
        ("S1", "Acme GmbH", 100.0, "A", True),
        ("S2", "Beta SA", 75.0, "B", True),
        ("S3", '=HYPERLINK("http://x")', 0.0, "D", False),
        ("S4", "Delta", 33.3, "D", False),
    ]
    reasons = {s["supplier_id"]: s["reasons"] for s in document["suppliers"]}
    assert reasons["S1"] == [] and reasons["S2"] == []
    assert reasons["S4"] == ["grade D is below the minimum C"]
    assert reasons["S3"][0] == "grade D is below the minimum C"
    assert any("GOV-001" in r for r in reasons["S3"][1:])


@pytest.mark.parametrize(
    ("policy", "approved", "code"),
    [
        (["--min-grade", "A"], {"S1"}, 1),
        (["--min-grade", "B"], {"S1", "S2"}, 1),
        (["--min-grade", "D"], {"S1", "S2", "S3", "S4"}, 0),
        # warn never rejects: S2 warns on a high rule
        (["--min-grade", "D", "--fail-on", "high"], {"S1", "S2"}, 1),
        # a missing result at or above --fail-on rejects (S4 ENV-002 medium missing; S3 fails)
        (["--min-grade", "D", "--fail-on", "medium"], {"S1", "S2"}, 1),
        (["--min-grade", "D", "--fail-on", "critical"], {"S1", "S2", "S4"}, 1),
        (["--min-grade", "d", "--fail-on", "CRITICAL"], {"S1", "S2", "S4"}, 1),
    ],
)
def test_policy_decides_each_verdict_and_the_exit_code(workbook, rules_file, policy, approved, code):
    run = gate(workbook, rules_file, "--json", *policy)
    assert run.exit_code == code, run.stderr
    assert {k for k, v in verdicts(run).items() if v["approved"]} == approved


def test_missing_result_at_fail_on_is_a_reason(workbook, rules_file, tmp_path):
    rules = tmp_path / "only_missing.yaml"
    rules.write_text(
        "pack: m\nversion: '1'\nrules:\n"
        "  - id: M-001\n    title: Renewable share\n    pillar: environment\n"
        "    severity: high\n    on_missing: warn\n    check: {pass: renewable_share >= 0}\n",
        encoding="utf-8",
    )
    run = gate(workbook, rules, "--json", "--min-grade", "D", "--fail-on", "high")
    assert run.exit_code == 1
    v = verdicts(run)
    assert [k for k in v if not v[k]["approved"]] == ["S4"]
    assert v["S4"]["reasons"] == ["M-001 Renewable share: missing (high)"]


def test_na_is_below_d(tmp_path, workbook):
    rules = tmp_path / "na.yaml"
    rules.write_text(ALL_NA, encoding="utf-8")
    run = gate(workbook, rules, "--json", "--min-grade", "D")
    assert run.exit_code == 1
    v = verdicts(run)
    assert {k: (s["grade"], s["score"], s["approved"]) for k, s in v.items()} == {
        "S1": ("A", 100.0, True),
        "S2": ("N/A", None, False),
        "S3": ("N/A", None, False),
        "S4": ("D", 0.0, True),
    }
    assert v["S2"]["reasons"] == [
        "grade N/A (nothing could be scored) is below the minimum D"
    ]


def test_all_approved_exits_0_and_text_verdicts_go_to_stdout(workbook, rules_file):
    run = gate(workbook, rules_file, "--min-grade", "D")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split()[:2] for line in lines if not line.startswith(" ")] == [
        ["APPROVED", "S1"], ["APPROVED", "S2"], ["APPROVED", "S3"], ["APPROVED", "S4"],
    ]
    assert "Traceback" not in run.stderr


def test_rejected_text_verdict_lists_reasons(workbook, rules_file):
    run = gate(workbook, rules_file)
    assert run.exit_code == 1
    assert "REJECTED  S4  Delta  grade D (33.3)\n    - grade D is below the minimum C\n" in run.stdout


def test_gate_input_error_exits_2_with_one_line_on_stderr(tmp_path, rules_file):
    other = tmp_path / "other.csv"
    other.write_text("name,country\nAcme,DE\n", encoding="utf-8")
    run = invoke("gate", other, "--rules", rules_file, "--as-of", AS_OF, "--json")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: ") and run.stderr.count("\n") == 1
    assert str(other) in run.stderr


def test_gate_usage_errors_exit_2(workbook, rules_file):
    assert invoke("gate", workbook, "--rules", rules_file, "--min-grade", "E").exit_code == 2
    assert invoke("gate", workbook, "--rules", rules_file, "--fail-on", "severe").exit_code == 2
    assert invoke("gate").exit_code == 2

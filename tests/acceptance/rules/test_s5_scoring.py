"""SPEC §5 Scoring: factors, on_missing, points, pillar and overall scores, rounding, grades,
knockouts, findings order and due dates."""

from __future__ import annotations

FIELDS = "fields: {f1: number, f2: number, f3: number, f4: number, f5: number}\n"


def _rule(rule_id, field, pillar="p", weight=1, **extra):
    keys = "".join(f", {k}: {v}" for k, v in extra.items())
    return (f"- {{id: {rule_id}, title: 'Title {rule_id}', pillar: {pillar}, weight: {weight}{keys}, "
            f"check: {{pass: '{field} >= 1', warn: '{field} >= 0.5'}}}}\n")


def _supplier(supplier_id, **flags):
    return {"supplier_id": supplier_id, "name": f"name {supplier_id}", **flags}


def test_factors_and_points(audit, pack):
    rules = _rule("R1", "f1", weight=2) + _rule("R2", "f2", weight=2) + _rule("R3", "f3", weight=2) \
        + _rule("R4", "f4", weight=2, applies_to="'f5 >= 1'")
    run = audit(pack(rules, FIELDS), [_supplier("S", f1=1, f2=0.5, f3=0, f4=1, f5=0)])
    assert run.exit_code == 0, run.stderr
    got = {r["rule_id"]: (r["status"], r["points"], r["max_points"]) for r in run.supplier("S")["results"]}
    assert got == {"R1": ("pass", 2, 2), "R2": ("warn", 1, 2), "R3": ("fail", 0, 2), "R4": ("n/a", 0, 0)}
    assert run.supplier("S")["score"] == 50.0  # 3 / 6


def test_on_missing(audit, pack):
    rules = (_rule("FAIL", "f1", weight=2) + _rule("WARN", "f1", weight=2, on_missing="warn")
             + _rule("SKIP", "f1", weight=2, on_missing="skip") + _rule("OK", "f2", weight=2))
    run = audit(pack(rules, FIELDS), [_supplier("S", f1="", f2=1)])
    assert run.exit_code == 0, run.stderr
    got = {r["rule_id"]: (r["status"], r["points"], r["max_points"]) for r in run.supplier("S")["results"]}
    assert got == {"FAIL": ("missing", 0, 2), "WARN": ("missing", 1, 2), "SKIP": ("missing", 0, 0),
                   "OK": ("pass", 2, 2)}
    assert run.supplier("S")["score"] == 50.0  # (0 + 1 + 2) / 6
    # a skipped missing result is still a finding: the data is missing
    assert sorted(f["rule_id"] for f in run.report["findings"]) == ["FAIL", "SKIP", "WARN"]


def test_pillar_scores_and_weighted_overall(audit, pack):
    rules = (_rule("E1", "f1", pillar="environment", weight=3) + _rule("E2", "f2", pillar="environment")
             + _rule("S1", "f3", pillar="social") + _rule("G1", "f4", pillar="governance"))
    header = "grading:\n  pillars: {environment: 2, social: 1}\n" + FIELDS
    run = audit(pack(rules, header), [_supplier("X", f1=1, f2=0, f3=0.5, f4=0)])
    assert run.exit_code == 0, run.stderr
    supplier = run.supplier("X")
    assert supplier["pillars"] == {"environment": 75.0, "social": 50.0, "governance": 0.0}
    # (2*75 + 1*50 + 1*0) / 4 = 50
    assert supplier["score"] == 50.0


def test_null_pillar_left_out_and_weights_renormalised(audit, pack):
    rules = (_rule("E1", "f1", pillar="environment") + _rule("S1", "f2", pillar="social", on_missing="skip")
             + _rule("G1", "f3", pillar="governance", applies_to="'f5 >= 1'"))
    header = "grading:\n  pillars: {environment: 0.5, social: 0.25, governance: 0.25}\n" + FIELDS
    run = audit(pack(rules, header), [_supplier("X", f1=0.5, f2="", f3=1, f5=0)])
    assert run.exit_code == 0, run.stderr
    supplier = run.supplier("X")
    assert supplier["pillars"] == {"environment": 50.0, "social": None, "governance": None}
    assert (supplier["score"], supplier["grade"]) == (50.0, "C")


def test_overall_from_unrounded_pillar_scores(audit, pack):
    # environment: a warn and two fails of weight 1 -> 16.666..; social: 16.813 -> 16.8.
    # From the unrounded pillars: (16.666.. + 16.813) / 2 = 16.739.. -> 16.7.
    # (From the rounded ones it would be (16.7 + 16.8) / 2 = 16.75 -> 16.8.)
    rules = _rule("E1", "f1", pillar="environment") + _rule("E2", "f2", pillar="environment") \
        + _rule("E3", "f3", pillar="environment") \
        + _rule("S1", "f4", pillar="social", weight=16.813) + _rule("S2", "f2", pillar="social", weight=83.187)
    run = audit(pack(rules, FIELDS), [_supplier("X", f1=0.5, f2=0, f3=0, f4=1)])
    assert run.exit_code == 0, run.stderr
    supplier = run.supplier("X")
    assert supplier["pillars"] == {"environment": 16.7, "social": 16.8}
    assert (supplier["score"], supplier["grade"]) == (16.7, "D")


def test_all_pillars_null_gives_no_score_and_grade_na(audit, pack):
    rules = _rule("R1", "f1", on_missing="skip") + _rule("R2", "f2", applies_to="'f5 >= 1'")
    run = audit(pack(rules, FIELDS), [_supplier("X", f1="", f2=1, f5=0)])
    assert run.exit_code == 0, run.stderr
    supplier = run.supplier("X")
    assert (supplier["score"], supplier["grade"], supplier["pillars"]) == (None, "N/A", {"p": None})
    assert run.report["summary"]["by_grade"]["N/A"] == 1


def test_rounding_half_up_then_grading(audit, pack):
    # 27.3 / 40 = 68.25 % -> 68.3 ; 79.95 / 100 -> 80.0 -> A ; 59.94 / 100 -> 59.9 -> C
    rules = (_rule("P", "f1", weight=27.3) + _rule("F", "f2", weight=12.7))
    rules2 = (_rule("P2", "f1", pillar="q", weight=79.95) + _rule("F2", "f2", pillar="q", weight=20.05))
    run = audit(pack(rules, FIELDS), [_supplier("X", f1=1, f2=0)])
    assert run.exit_code == 0, run.stderr
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (68.3, "B")
    assert run.supplier("X")["pillars"] == {"p": 68.3}
    run = audit(pack(rules2, FIELDS), [_supplier("X", f1=1, f2=0)])
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (80.0, "A")
    rules3 = (_rule("P3", "f1", weight=59.95) + _rule("F3", "f2", weight=40.05))
    run = audit(pack(rules3, FIELDS), [_supplier("X", f1=1, f2=0)])
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (60.0, "B")
    rules4 = (_rule("P4", "f1", weight=59.94) + _rule("F4", "f2", weight=40.06))
    run = audit(pack(rules4, FIELDS), [_supplier("X", f1=1, f2=0)])
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (59.9, "C")


def test_knockouts(audit, pack):
    rules = (_rule("K", "f1", knockout="true") + _rule("KW", "f2", knockout="true", on_missing="warn")
             + "".join(_rule(f"R{i}", "f5") for i in range(8)))
    suppliers = [
        _supplier("PASS", f1=1, f2=1, f5=1),
        _supplier("KO_FAIL", f1=0, f2=1, f5=1),           # knockout fail: D despite 90
        _supplier("KO_WARN", f1=0.5, f2=1, f5=1),         # a warn is not a fail
        _supplier("KO_MISSING", f1="", f2=1, f5=1),        # missing counted as fail: D
        _supplier("KO_MISSING_WARN", f1=1, f2="", f5=1),   # missing counted as warn: no knockout
    ]
    run = audit(pack(rules, FIELDS), suppliers)
    assert run.exit_code == 0, run.stderr
    got = {s["supplier_id"]: (s["score"], s["grade"], s["knockout"]) for s in run.report["suppliers"]}
    assert got == {
        "PASS": (100.0, "A", False),
        "KO_FAIL": (90.0, "D", True),
        "KO_WARN": (95.0, "A", False),
        "KO_MISSING": (90.0, "D", True),
        "KO_MISSING_WARN": (95.0, "A", False),
    }


def test_knockout_skip_missing_does_not_force_d(audit, pack):
    rules = _rule("K", "f1", knockout="true", on_missing="skip") + _rule("R", "f2")
    run = audit(pack(rules, FIELDS), [_supplier("X", f1="", f2=1)])
    assert (run.supplier("X")["grade"], run.supplier("X")["knockout"]) == ("A", False)


def test_findings_order_and_due_dates(audit, pack):
    rules = ""
    for severity in ("info", "low", "medium", "high", "critical"):
        rules += _rule(f"{severity[:2].upper()}-2", "f1", severity=severity)
        rules += _rule(f"{severity[:2].upper()}-1", "f2", severity=severity)
    suppliers = [
        _supplier("S-2", f1=0, f2=0.5),    # fail on *-2, warn on *-1
        _supplier("S-10", f1="", f2=0),    # missing on *-2, fail on *-1
        _supplier("S-1", f1=1, f2=1),      # nothing
    ]
    run = audit(pack(rules, FIELDS), suppliers, as_of="2026-01-31")
    assert run.exit_code == 0, run.stderr
    got = [(f["severity"], f["status"], f["supplier_id"], f["rule_id"], f["due"]) for f in run.report["findings"]]
    due = {"critical": "2026-03-02", "high": "2026-04-01", "medium": "2026-05-01", "low": "2026-07-30",
           "info": "2027-01-31"}
    expected = []
    for severity in ("critical", "high", "medium", "low", "info"):
        p = severity[:2].upper()
        expected += [
            (severity, "fail", "S-10", f"{p}-1", due[severity]),
            (severity, "fail", "S-2", f"{p}-2", due[severity]),
            (severity, "missing", "S-10", f"{p}-2", due[severity]),
            (severity, "warn", "S-2", f"{p}-1", due[severity]),
        ]
    assert got == expected
    assert run.report["summary"]["findings_by_severity"] == {
        "critical": 4, "high": 4, "medium": 4, "low": 4, "info": 4}


def test_finding_fields(audit, pack):
    rules = ("- {id: R1, title: Renewable share, pillar: p, severity: high, remediation: Buy green power., "
             "check: {pass: 'f1 >= 1'}}\n")
    run = audit(pack(rules, FIELDS), [_supplier("S1", f1=0)], as_of="2026-06-30")
    (finding,) = run.report["findings"]
    assert {k: finding[k] for k in ("supplier_id", "rule_id", "severity", "status", "title", "remediation", "due")} == {
        "supplier_id": "S1", "rule_id": "R1", "severity": "high", "status": "fail", "title": "Renewable share",
        "remediation": "Buy green power.", "due": "2026-08-29"}


def test_every_rule_in_every_supplier_results(audit, pack):
    rules = _rule("B", "f1") + _rule("A", "f2", applies_to="'f5 >= 1'")
    run = audit(pack(rules, FIELDS), [_supplier("S1", f1=1), _supplier("S2")])
    for supplier in run.report["suppliers"]:
        assert [r["rule_id"] for r in supplier["results"]] == ["B", "A"]


def test_rounding_allows_1e9_for_binary_floating_point():
    import numpy as np

    from esg_audit.scoring import round_half_up

    got = round_half_up(np.array([68.25, 68.24999999999999, 68.2499999995, 68.249999, 0.05, 99.95]))
    assert got.tolist() == [68.3, 68.3, 68.3, 68.2, 0.1, 100.0]


def test_pillar_weighted_zero_never_counts(audit, pack):
    # docs/behaviour.md: "A pillar weighted 0 never counts."
    rules = _rule("E1", "f1", pillar="environment") + _rule("S1", "f2", pillar="social")
    header = "grading:\n  pillars: {social: 0}\n" + FIELDS
    run = audit(pack(rules, header), [_supplier("X", f1=1, f2=0), _supplier("Y", f1="", f2=1)])
    assert run.exit_code == 0, run.stderr
    assert run.supplier("X")["pillars"] == {"environment": 100.0, "social": 0.0}
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (100.0, "A")
    # Y: environment missing counts as fail (0); social, weighted 0, does not lift it
    assert (run.supplier("Y")["score"], run.supplier("Y")["grade"]) == (0.0, "D")


def test_negative_pillar_weight_is_an_error(audit, pack):
    run = audit(pack(_rule("E1", "f1"), "grading:\n  pillars: {p: -1}\n" + FIELDS), [_supplier("X", f1=1)])
    assert run.exit_code == 2 and "grading.pillars.p" in run.stderr

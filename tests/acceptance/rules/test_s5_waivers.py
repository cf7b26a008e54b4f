"""SPEC §5 Waivers (--waivers FILE): live while as-of <= expires; warn/fail/missing become waived,
pass and n/a stay; expired ones ignored and reported; unknown supplier or rule reported unmatched."""

from __future__ import annotations

FIELDS = "fields: {f1: number, f5: number}\n"
RULES = ("- {id: R1, title: t, pillar: p, check: {pass: 'f1 >= 1', warn: 'f1 >= 0.5'}}\n"
         "- {id: K1, title: t, pillar: p, knockout: true, check: {pass: 'f1 >= 1'}}\n"
         "- {id: NA1, title: t, pillar: p, applies_to: 'f5 >= 1', check: {pass: 'f1 >= 1'}}\n")
SUPPLIERS = [
    {"supplier_id": "PASS", "name": "a", "f1": 1, "f5": 0},
    {"supplier_id": "WARN", "name": "b", "f1": 0.5, "f5": 0},
    {"supplier_id": "FAIL", "name": "c", "f1": 0, "f5": 0},
    {"supplier_id": "MISS", "name": "d", "f1": "", "f5": 0},
]


def _waiver(supplier, rule, expires):
    return (f"  - supplier_id: {supplier}\n    rule_id: {rule}\n    reason: booked\n"
            f"    approved_by: Head of Procurement\n    expires: {expires}\n")


def _run(audit, pack, entries, as_of="2026-06-30"):
    run = audit(pack(RULES, FIELDS), SUPPLIERS, waivers="waivers:\n" + "".join(entries), as_of=as_of)
    assert run.exit_code == 0, run.stderr
    return run


def test_live_waiver_turns_warn_fail_missing_into_waived(audit, pack):
    entries = [_waiver(s, "R1", "2026-06-30") for s in ("PASS", "WARN", "FAIL", "MISS")]
    run = _run(audit, pack, entries)  # as-of == expires: still live
    assert run.statuses("R1") == {"PASS": "pass", "WARN": "waived", "FAIL": "waived", "MISS": "waived"}
    for supplier in ("WARN", "FAIL", "MISS"):
        result = run.result(supplier, "R1")
        assert (result["points"], result["max_points"]) == (0, 0)
    assert [f for f in run.report["findings"] if f["rule_id"] == "R1"] == []
    applied = run.report["waivers"]["applied"]
    assert sorted(w["supplier_id"] for w in applied) == ["FAIL", "MISS", "WARN"]
    assert run.report["waivers"]["expired"] == [] and run.report["waivers"]["unmatched"] == []


def test_waiver_on_na_result_changes_nothing(audit, pack):
    run = _run(audit, pack, [_waiver("FAIL", "NA1", "2027-01-01")])
    assert run.status("FAIL", "NA1") == "n/a"


def test_expired_waiver_is_ignored_and_reported(audit, pack):
    run = _run(audit, pack, [_waiver("FAIL", "R1", "2026-06-29")])
    assert run.status("FAIL", "R1") == "fail"
    assert [(w["supplier_id"], w["rule_id"]) for w in run.report["waivers"]["expired"]] == [("FAIL", "R1")]
    assert run.report["waivers"]["applied"] == []
    assert any(f["supplier_id"] == "FAIL" and f["rule_id"] == "R1" for f in run.report["findings"])


def test_unknown_supplier_or_rule_is_unmatched(audit, pack):
    run = _run(audit, pack, [_waiver("NOBODY", "R1", "2027-01-01"), _waiver("FAIL", "NO-RULE", "2027-01-01")])
    unmatched = [(w["supplier_id"], w["rule_id"]) for w in run.report["waivers"]["unmatched"]]
    assert unmatched == [("NOBODY", "R1"), ("FAIL", "NO-RULE")]
    assert run.status("FAIL", "R1") == "fail"


def test_waived_knockout_does_not_force_d(audit, pack):
    run = _run(audit, pack, [_waiver("FAIL", "K1", "2027-01-01"), _waiver("FAIL", "R1", "2027-01-01")])
    supplier = run.supplier("FAIL")
    assert run.status("FAIL", "K1") == "waived"
    # NA1 is n/a, R1 and K1 waived: nothing counts -> no score, and not knocked out
    assert (supplier["score"], supplier["grade"], supplier["knockout"]) == (None, "N/A", False)
    without = _run(audit, pack, [])
    assert (without.supplier("FAIL")["grade"], without.supplier("FAIL")["knockout"]) == ("D", True)


def test_waived_result_counts_nothing_in_score(audit, pack):
    run = _run(audit, pack, [_waiver("WARN", "K1", "2027-01-01")])
    # WARN: R1 warn (0.5 of 1), K1 waived, NA1 n/a -> 50
    assert (run.supplier("WARN")["score"], run.supplier("WARN")["grade"]) == (50.0, "C")

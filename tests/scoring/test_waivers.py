"""SPEC §5 waivers: the waiver file, and what a waiver does to results, scores and findings."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from esg_audit.errors import ConfigError
from esg_audit.model import Waiver
from esg_audit.waivers import load_waivers

ENTRY = """\
  - supplier_id: S-1001
    rule_id: ENV-001
    reason: Recertification audit booked for January.
    approved_by: Head of Procurement
    expires: 2026-12-31
"""


def test_load_top_level_waivers_list(waiver_path):
    text = (
        "# approved exceptions\nwaivers:\n"
        + ENTRY
        + """\
  - {supplier_id: "0012", rule_id: SOC-002, reason: r, approved_by: a, expires: "2027-01-15"}
  - supplier_id: 0013
    rule_id: GOV-001
    reason: "Ä reason"
    approved_by: CFO
    expires: 2026-11-27
"""
    )
    path = waiver_path(text)
    loaded = load_waivers(path)
    assert loaded.path == path
    assert loaded.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert loaded.waivers == (
        Waiver(
            "S-1001",
            "ENV-001",
            "Recertification audit booked for January.",
            "Head of Procurement",
            date(2026, 12, 31),
        ),
        Waiver("0012", "SOC-002", "r", "a", date(2027, 1, 15)),
        Waiver("0013", "GOV-001", "Ä reason", "CFO", date(2026, 11, 27)),  # as written, not octal
    )


def test_load_bare_list_and_empty_files(waiver_path):
    assert load_waivers(
        waiver_path(ENTRY.replace("  -", "-", 1).replace("\n    ", "\n  "))
    ).waivers == (
        Waiver(
            "S-1001",
            "ENV-001",
            "Recertification audit booked for January.",
            "Head of Procurement",
            date(2026, 12, 31),
        ),
    )
    assert load_waivers(waiver_path("", "empty.yaml")).waivers == ()
    assert load_waivers(waiver_path("waivers: []\n", "none.yaml")).waivers == ()
    assert load_waivers(waiver_path("waivers:\n", "null.yaml")).waivers == ()


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (
            "waivers:\n"
            + ENTRY.replace("    reason: Recertification audit booked for January.\n", ""),
            "waiver 1: missing reason",
            2,
        ),
        (
            "waivers:\n" + ENTRY + ENTRY.replace("2026-12-31", "31.12.2026"),
            "waiver 2 (S-1001, ENV-001): expires '31.12.2026' is not a date in the form YYYY-MM-DD",
            7,
        ),
        (
            "waivers:\n" + ENTRY.replace("2026-12-31", "2026-02-30"),
            "expires '2026-02-30' is not a date",
            2,
        ),
        (
            "waivers:\n" + ENTRY.replace("approved_by: Head of Procurement", "approved_by:"),
            "waiver 1: missing approved_by",
            2,
        ),
        ("waivers:\n" + ENTRY + "    expiry: 2027-01-01\n", "waiver 1: unknown key 'expiry'", 7),
        ("rules:\n" + ENTRY, "top-level `waivers:` list", 1),
        ("waivers: S-1001\n", "must be a list", 1),
        ("waivers:\n  - S-1001\n", "waiver 1 is not a mapping", 2),
        ("waivers:\n" + ENTRY + "    reason: [a, b]\n", "duplicate key 'reason'", 7),
        ("waivers:\n  - supplier_id: [S1]\n", "waiver 1: 'supplier_id' must be a single value", 2),
        ("waivers: [\n", "invalid YAML", 2),
    ],
)
def test_invalid_waiver_files_name_file_line_and_entry(waiver_path, text, message, line):
    path = waiver_path(text)
    with pytest.raises(ConfigError) as raised:
        load_waivers(path)
    assert message in raised.value.message
    assert raised.value.location.file == path
    assert raised.value.location.line == line
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_unreadable_waiver_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read waiver file"):
        load_waivers(str(tmp_path / "absent.yaml"))


def test_python_tags_are_never_constructed(waiver_path, tmp_path):
    sentinel = tmp_path / "pwned"
    text = (
        "waivers:\n  - supplier_id: !!python/object/apply:os.system ['touch "
        + str(sentinel)
        + "']\n"
        "    rule_id: R\n    reason: r\n    approved_by: a\n    expires: 2026-12-31\n"
    )
    with pytest.raises(ConfigError, match="YAML tag !!python/object/apply:os.system is not allowed in a waiver file") as raised:
        load_waivers(waiver_path(text))
    assert raised.value.location.line == 2
    assert not sentinel.exists()


def test_live_waiver_turns_warn_fail_missing_into_waived(audit):
    rules = [
        audit.rule("R1", weight=2),
        audit.rule("R2"),
        audit.rule("R3"),
        audit.rule("R4"),
        audit.rule("R5"),
    ]
    waivers = [audit.waiver("S1", r) for r in ("R2", "R3", "R4", "R5")]
    result = audit.score(
        rules,
        {"S1": {"R1": "pass", "R2": "warn", "R3": "fail", "R4": "missing", "R5": "pass"}},
        waivers=waivers,
    )
    r = result.results.frame()
    assert r["status"].astype(str).tolist() == ["pass", "waived", "waived", "waived", "pass"]
    assert r["points"].tolist() == [2.0, 0.0, 0.0, 0.0, 1.0]
    assert r["max_points"].tolist() == [2.0, 0.0, 0.0, 0.0, 1.0]
    assert r["message"].tolist()[1] == "S1/R2 is warn"  # the engine's message is kept
    assert result.suppliers["score"].tolist() == [100.0]
    assert len(result.findings) == 0  # waived results are not findings
    assert result.waivers.applied == tuple(waivers[:3])  # R5 passed: not applied
    assert result.waivers.expired == () and result.waivers.unmatched == ()
    assert (result.waivers.path, result.waivers.sha256) == ("waivers.yaml", "ef" * 32)


def test_waiver_on_n_a_changes_nothing(audit):
    result = audit.score(
        [audit.rule("R1"), audit.rule("R2")],
        {"S1": {"R1": "n/a", "R2": "fail"}},
        waivers=[audit.waiver("S1", "R1")],
    )
    assert result.results.frame()["status"].astype(str).tolist() == ["n/a", "fail"]
    assert result.waivers.applied == () and result.waivers.unmatched == ()


def test_waiver_is_live_on_its_expiry_day_and_expired_after(audit):
    rules = [audit.rule("R1"), audit.rule("R2")]
    on_the_day = audit.waiver("S1", "R1", expires=date(2026, 11, 27))
    day_before = audit.waiver("S1", "R2", expires=date(2026, 11, 26))
    result = audit.score(
        rules, {"S1": {"R1": "fail", "R2": "fail"}}, waivers=[on_the_day, day_before]
    )
    assert result.results.frame()["status"].astype(str).tolist() == ["waived", "fail"]
    assert result.waivers.applied == (on_the_day,)
    assert result.waivers.expired == (day_before,)
    assert result.findings["rule_id"].astype(str).tolist() == ["R2"]


def test_unknown_supplier_or_rule_is_unmatched(audit):
    rules = [audit.rule("R1")]
    unknown_supplier = audit.waiver("S9", "R1")
    unknown_rule = audit.waiver("S1", "R9")
    expired_unknown = audit.waiver("S9", "R9", expires=date(2020, 1, 1))
    result = audit.score(
        rules, {"S1": {"R1": "fail"}}, waivers=[unknown_supplier, unknown_rule, expired_unknown]
    )
    assert result.results.frame()["status"].astype(str).tolist() == ["fail"]
    assert result.waivers.unmatched == (unknown_supplier, unknown_rule)
    assert result.waivers.expired == (expired_unknown,)  # expired wins: each waiver listed once
    assert result.waivers.applied == ()


def test_waived_knockout_does_not_force_d(audit):
    rules = [audit.rule("K", knockout=True), audit.rule("R", weight=3)]
    statuses = {"S1": {"K": "fail", "R": "pass"}, "S2": {"K": "missing", "R": "pass"}}
    waived = audit.score(
        rules, statuses, waivers=[audit.waiver("S1", "K"), audit.waiver("S2", "K")]
    )
    assert waived.suppliers[["score", "grade", "knockout"]].values.tolist() == [
        [100.0, "A", False],
        [100.0, "A", False],
    ]
    not_waived = audit.score(rules, statuses, waivers=[])
    assert not_waived.suppliers[["score", "grade", "knockout"]].values.tolist() == [
        [75.0, "D", True],
        [75.0, "D", True],
    ]
    assert not_waived.waivers.path == "waivers.yaml"


def test_no_waiver_file(audit):
    result = audit.score([audit.rule("R1")], {"S1": {"R1": "fail"}})
    assert result.waivers.path is None and result.waivers.sha256 is None
    assert result.waivers.applied == result.waivers.expired == result.waivers.unmatched == ()

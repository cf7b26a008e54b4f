"""SPEC §6: hostile input refused with exit 2; no traceback unless --debug; exit codes 0/1/2."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.acceptance.outputs.helpers import (
    AS_OF,
    SUPPLIER_HEADER,
    SUPPLIER_ROWS,
    compound_file,
    invoke,
    rewrite_zip,
    write_xlsx,
)

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


@pytest.fixture
def book(tmp_path):
    return write_xlsx(tmp_path / "source.xlsx", {"Suppliers": [SUPPLIER_HEADER, *SUPPLIER_ROWS]})


def refused(run, path: Path, words: str) -> None:
    assert run.exit_code == 2, (run.stdout, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and str(path) in lines[0] and words in lines[0], lines
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("command", ["check", "gate"])
def test_xml_entity_bomb_is_refused_quickly(tmp_path, book, rules_file, command):
    def inject(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        body = data.decode()
        return (LAUGHS + body[body.index("<worksheet"):]).encode()

    bomb = rewrite_zip(book, tmp_path / "laughs.xlsx", inject)
    started = time.monotonic()
    run = invoke(command, bomb, "--rules", rules_file, "--as-of", AS_OF, "--out" if command == "check" else "--json",
                 *( [tmp_path / "out"] if command == "check" else []))
    assert time.monotonic() - started < 5
    refused(run, bomb, "entity")
    assert not (tmp_path / "out").exists()


def test_entity_bomb_in_the_workbook_part_is_refused(tmp_path, book, rules_file):
    def inject(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        body = data.decode()
        return (LAUGHS + body[body.index("<workbook"):]).encode()

    bomb = rewrite_zip(book, tmp_path / "laughs.xlsx", inject)
    run = invoke("check", bomb, "--rules", rules_file, "--out", tmp_path / "out")
    refused(run, bomb, "entity")


def test_workbook_past_max_unpacked_mb_is_refused(tmp_path, book, rules_file):
    padded = rewrite_zip(book, tmp_path / "padded.xlsx", lambda name, data: data,
                         extra={"xl/media/zeros.bin": bytes(3 * 2**20)})
    run = invoke("check", padded, "--rules", rules_file, "--as-of", AS_OF,
                 "--max-unpacked-mb", "2", "--out", tmp_path / "out")
    refused(run, padded, "--max-unpacked-mb")
    assert not (tmp_path / "out").exists()
    ok = invoke("check", padded, "--rules", rules_file, "--as-of", AS_OF,
                "--max-unpacked-mb", "4", "--out", tmp_path / "out", "--format", "json")
    assert ok.exit_code == 0, ok.stderr


def test_default_max_unpacked_is_1024_mb(tmp_path, rules_file):
    from esg_audit.cli import cli

    check = cli.commands["check"]
    option = next(p for p in check.params if p.name == "max_unpacked_mb")
    assert option.default == 1024


@pytest.mark.parametrize("name", ["secret.xlsx", "secret.xls"])
def test_encrypted_workbook_is_refused_and_the_message_says_so(tmp_path, rules_file, name):
    secret = tmp_path / name
    secret.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    run = invoke("check", secret, "--rules", rules_file, "--out", tmp_path / "out")
    refused(run, secret, "encrypted")


@pytest.mark.parametrize(
    "check",
    [
        "{pass: \"__import__('os').system('touch {sentinel}')\"}",
        "{pass: \"renewable_share.__class__ == 1\"}",
        "{pass: \"(lambda: 1)() == 1\"}",
        "!!python/object/apply:os.system ['touch {sentinel}']",
    ],
)
def test_rule_file_that_tries_code_execution_is_refused(tmp_path, book, check):
    sentinel = tmp_path / "pwned"
    rules = tmp_path / "evil.yaml"
    rules.write_text(
        "pack: evil\nversion: '1'\nrules:\n"
        "  - id: EVIL-001\n    title: t\n    pillar: environment\n    severity: low\n"
        f"    check: {check.replace('{sentinel}', str(sentinel))}\n",
        encoding="utf-8",
    )
    for command in (["check", book, "--rules", rules, "--out", tmp_path / "out"],
                    ["gate", book, "--rules", rules], ["rules", "lint", rules]):
        run = invoke(*command)
        assert run.exit_code == 2, (command, run.stdout, run.stderr)
        assert str(rules) in run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr
    assert not sentinel.exists()
    assert not (tmp_path / "out").exists()


def _cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "esg_audit", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=60,
    )


def test_no_traceback_without_debug_and_a_traceback_with_it(tmp_path, rules_file):
    other = tmp_path / "budget.csv"
    other.write_text("name,country\nAcme,DE\n", encoding="utf-8")
    plain = invoke("check", other, "--rules", rules_file, "--out", tmp_path / "out")
    assert plain.exit_code == 2
    assert plain.stdout == ""
    assert "Traceback" not in plain.stderr
    assert plain.stderr.startswith("error: ") and plain.stderr.count("\n") == 1
    debug = _cli("check", other, "--rules", rules_file, "--out", tmp_path / "out", "--debug",
                 cwd=tmp_path)
    assert debug.returncode != 0
    assert "Traceback (most recent call last)" in debug.stderr
    # --debug on the group too: the error propagates (and Python prints its traceback)
    from esg_audit.errors import InputFileError

    group = invoke("--debug", "check", other, "--rules", rules_file, "--out", tmp_path / "out")
    assert isinstance(group.exception, InputFileError)


def test_an_internal_error_is_one_line_without_debug(audit, monkeypatch):
    from esg_audit.reports import json_report

    def broken(result):
        raise RuntimeError("boom")
        yield ""  # pragma: no cover

    monkeypatch.setattr(json_report, "_render", broken)
    run, _ = audit("--format", "json")
    assert run.exit_code == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        "error: internal error: RuntimeError: boom (run again with --debug for the traceback)"
    ]


# --- exit codes, every command -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "code"),
    [([], 0), (["--fail-under", "D"], 0), (["--fail-under", "C"], 1), (["--fail-under", "A"], 1),
     (["--fail-on", "critical"], 1), (["--fail-on", "info"], 1), (["--fail-under", "d"], 0)],
)
def test_check_exits_1_only_with_a_failed_policy(audit, policy, code):
    run, out = audit("--format", "json", *policy)
    assert run.exit_code == code, run.stderr
    assert (out / "report.json").exists()  # the reports are written either way
    assert run.stdout == ""


def test_check_fail_on_ignores_warn(tmp_path, rules_file):
    book = tmp_path / "s.csv"
    book.write_text("supplier_id,name,country,renewable_share\nS1,One,DE,0.4\n", encoding="utf-8")
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "pack: w\nversion: '1'\nrules:\n  - id: W-1\n    title: t\n    pillar: e\n"
        "    severity: critical\n    check: {pass: renewable_share >= 0.6, warn: renewable_share >= 0.3}\n",
        encoding="utf-8",
    )
    run = invoke("check", book, "--rules", rules, "--out", tmp_path / "o", "--format", "json",
                 "--fail-on", "info")
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "missing.xlsx"],
        ["check", "{book}", "--as-of", "27/11/2026"],
        ["check", "{book}", "--format", "pdf"],
        ["check", "{book}", "--fail-under", "E"],
        ["check", "{book}", "--max-unpacked-mb", "0"],
        ["check", "{book}", "--rules", "{bad_rules}"],
        ["gate", "{book}", "--rules", "{bad_rules}"],
        ["diff", "missing-old.json", "missing-new.json"],
        ["diff", "{book}", "{book}"],
        ["rules", "lint", "{bad_rules}"],
        ["rules", "list", "{bad_rules}"],
        ["rules", "explain", "NOPE-001", "--rules", "{rules}"],
        ["rules", "test", "{bad_rules}"],
        ["nonsense"],
    ],
)
def test_usage_configuration_and_input_errors_exit_2(tmp_path, book, rules_file, args):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\nversion: '1'\nrules:\n  - id: B-1\n    title: t\n    pillar: e\n"
                   "    check: {pass: renewabel_share >= 1}\n", encoding="utf-8")
    values = {"{book}": str(book), "{bad_rules}": str(bad), "{rules}": str(rules_file)}
    run = invoke(*[values.get(a, a) for a in args], "--out" if args[0] == "check" else "",
                 *([str(tmp_path / "out")] if args[0] == "check" else []))
    assert run.exit_code == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


RULE_WITH_CASES = """\
pack: cases
version: "1"
rules:
  - id: RE-001
    title: Renewable
    pillar: environment
    severity: medium
    check: {pass: renewable_share >= 0.6}
tests:
  - name: thresholds
    suppliers:
      - {supplier_id: S1, renewable_share: 0.9}
      - {supplier_id: S2, renewable_share: 0.1}
    expect:
      S1: {RE-001: pass}
      S2: {RE-001: %s}
"""


def test_rules_commands_exit_codes(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(RULE_WITH_CASES % "fail", encoding="utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(RULE_WITH_CASES % "pass", encoding="utf-8")
    assert invoke("rules", "lint", good).exit_code == 0
    assert invoke("rules", "list", good).exit_code == 0
    assert invoke("rules", "list", good, "--json").exit_code == 0
    explain = invoke("rules", "explain", "RE-001", "--rules", good)
    assert explain.exit_code == 0 and "RE-001" in explain.stdout
    passed = invoke("rules", "test", good)
    assert passed.exit_code == 0, passed.stdout
    failed = invoke("rules", "test", wrong)
    assert failed.exit_code == 1, failed.stdout
    assert "FAIL" in failed.stdout
    shipped = invoke("rules", "lint")
    assert shipped.exit_code == 0, shipped.stdout + shipped.stderr

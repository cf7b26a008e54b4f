"""SPEC §4 Limits: numbers and dates past their types, each a rule-file error naming the file,
line and rule id, or a missing result; never an internal error, a wrapped date or a warning.

Each test here failed on the first release (an OverflowError, a wrapped date, N/A for a supplier
who passes everything, numpy warnings on stderr, or a value silently accepted)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.errors import RuleFileError
from esg_audit.rules import lint_rules
from esg_audit.rules.context import ErrorCollector
from esg_audit.rules.files import load

HEAD = "pack: limits\nversion: '1'\nrules:\n"


def rule(check: str, extra: str = "", rule_id: str = "L-1") -> str:
    return (
        f"  - id: {rule_id}\n    title: t\n    pillar: environment\n{extra}"
        f"    check: {check}\n"
    )


def lint(write_pack, text: str) -> list[tuple[int | None, str | None, str]]:
    path = write_pack(text)
    errors = lint_rules([str(path)])
    assert all(e.location is not None and e.location.file == str(path) for e in errors)
    return [(e.location.line, e.location.rule_id, e.message) for e in errors if e.location]


BIG = "1" + "0" * 309  # 310 digits: beyond a 64-bit float


@pytest.mark.parametrize(
    ("check", "extra", "line", "message"),
    [
        (f"{{pass: 'annual_spend < {BIG}'}}", "", 7,
         "pass: the 310-digit number is too large; numbers must fit a 64-bit float (about 1.8e308)"),
        ("{pass: 'annual_spend < 1e999'}", "", 7,
         "pass: 1e999 is too large; numbers must fit a 64-bit float (about 1.8e308)"),
        ("{pass: 'true'}", f"    weight: {BIG}\n", 7,
         "'weight' is too large: a number must fit a 64-bit float (at most about 1.8e308)"),
        ("{pass: 'true'}", "    weight: 1.0e+308\n", 7, "'weight' must be a number > 0 and <= 1000, not 1e+308 (a number)"),
        ("{pass: 'true'}", "    weight: 1001\n", 7, "'weight' must be a number > 0 and <= 1000, not 1001 (a number)"),
        ("{pass: 'true'}", "    weight: .inf\n", 7, "'weight' must be a finite number, not inf (a number)"),
        ("{trend: scope1_tco2e, years: 9223372036854775808, max_annual_change: 0}", "", 7,
         "'years' must be a whole number from 1 to 1,000, not a 19-digit number"),
        ("{trend: scope1_tco2e, years: 1001, max_annual_change: 0}", "", 7,
         "'years' must be a whole number from 1 to 1,000, not 1001 (a number)"),
        (f"{{trend: scope1_tco2e, years: 3, max_annual_change: {BIG}}}", "", 7,
         "'max_annual_change' is too large: a number must fit a 64-bit float (at most about 1.8e308)"),
        ("{min_suppliers: 1001}", "", 7, "'min_suppliers' must be a whole number from 1 to 1,000, not 1001 (a number)"),
        ("{certificate: ISO 14001, warn_within_days: 1001}", "", 7,
         "'warn_within_days' must be a whole number from 0 to 1,000, not 1001 (a number)"),
        ("{certificate: ISO 14001, retired_editions: {2004: 9999-12-31}}", "", 7,
         "'retired_editions.2004' must be a date from 1900-01-01 to 2199-12-31, not 9999-12-31"),
        ("{pass: \"date('9999-12-31') > as_of\"}", "", 7,
         "pass: date('9999-12-31') is outside the dates rules can use, 1900-01-01 to 2199-12-31"),
        ("{pass: \"date('1677-09-21') < as_of\"}", "", 7,
         "pass: date('1677-09-21') is outside the dates rules can use, 1900-01-01 to 2199-12-31"),
    ],
)
def test_numbers_and_dates_past_their_types_are_rule_file_errors(write_pack, check, extra, line, message):
    assert lint(write_pack, HEAD + rule(check, extra)) == [(line, "L-1", message)]


def test_pillar_weights_are_at_most_one_thousand(write_pack):
    text = "pack: p\nversion: '1'\ngrading:\n  pillars: {environment: 1001, social: 1.0e+308}\nrules:\n" + rule("{pass: 'true'}")
    assert lint(write_pack, text) == [
        (4, None, "grading.pillars.environment must be a weight from 0 to 1000, not 1001"),
        (4, None, "grading.pillars.social must be a weight from 0 to 1000, not 1e+308"),
    ]


def test_a_pack_test_case_as_of_is_within_the_date_range(write_pack, tmp_path):
    text = HEAD + rule("{pass: 'true'}") + (
        "tests:\n  - name: far\n    as_of: 9999-12-31\n    suppliers: [{supplier_id: S1}]\n    expect: {S1: {L-1: pass}}\n"
    )
    result = CliRunner().invoke(cli, ["rules", "lint", str(write_pack(text))])
    assert result.exit_code == 2
    assert result.stdout.strip().endswith(
        ":10: test case 'far': as_of must be a date from 1900-01-01 to 2199-12-31, not 9999-12-31"
    )


def test_lint_reports_five_mistakes_as_five_lines(write_pack):
    text = HEAD + (
        "  - id: A-1\n    title: t\n    pillar: e\n    weight: 1e308\n    check: {pass: 'renewable_shar > 0'}\n"
        "  - id: A-2\n    title: t\n    pillar: e\n    check: {certificate: ISO 14001, warn_within_day: 3}\n"
        "  - id: A-3\n    title: t\n    pillar: e\n    check: {trend: scope1_tco2e, years: 0}\n"
    )
    path = write_pack(text)
    result = CliRunner().invoke(cli, ["rules", "lint", str(path)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{path}:7: A-1: 'weight' must be a number, not '1e308'",
        f"{path}:8: A-1: pass: unknown field 'renewable_shar'; did you mean 'renewable_share'?",
        f"{path}:12: A-2: unknown key 'warn_within_day' in a certificate check; did you mean 'warn_within_days'?",
        f"{path}:16: A-3: 'years' must be a whole number from 1 to 1,000, not 0 (a number)",
        f"{path}:16: A-3: a trend check needs 'max_annual_change'",
    ]


# --- evaluation: date arithmetic leaves the range -> missing; overflow -> missing -------------


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("as_of + 1e10 > as_of", "missing"),  # was an OverflowError ("internal error")
        ("as_of - 1e10 < as_of", "missing"),
        ("as_of + annual_spend > as_of", "missing"),  # a date plus a spend column of 1e12
        ("as_of + 100000 > as_of", "missing"),  # 2300: outside 1900-01-01 .. 2199-12-31
        ("as_of + 30 > as_of", "pass"),
        ("date('2199-12-31') - as_of > 0", "pass"),
        ("date('1900-01-01') + 109572 == date('2199-12-31')", "pass"),  # 300 years, no int64 overflow
        ("annual_spend * 1e308 > 0", "missing"),  # beyond a 64-bit float
        ("annual_spend / 1e-308 > 0", "missing"),
        ("date('2199-12-31') > as_of", "pass"),
    ],
)
def test_date_and_number_arithmetic_never_wraps_or_raises(statuses, data, condition, expected):
    suppliers = data([{"supplier_id": "S1", "annual_spend": 1e12}])
    rule_yaml = f"""
        - id: X
          title: t
          pillar: e
          check: {{pass: "{condition}"}}
        """
    assert statuses(rule_yaml, suppliers) == {"S1": expected}


# --- the CLI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "gate"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "1899-12-31", "1677-01-01"])
def test_as_of_outside_the_range_is_a_usage_error_naming_the_option(tmp_path, command, as_of):
    suppliers = tmp_path / "s.csv"
    suppliers.write_text("supplier_id,name\nS1,Acme\n", encoding="utf-8")
    args = [command, str(suppliers), "--as-of", as_of]
    if command == "check":
        args += ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--as-of': '{as_of}' is outside the dates an audit can use, "
        "1900-01-01 to 2199-12-31"
    ) in result.output
    assert "Traceback" not in result.output


def test_weights_at_the_limit_score_a_supplier_who_passes_everything(tmp_path):
    """Two rules of `weight: 1e308` used to turn such a supplier into N/A, with numpy warnings."""
    suppliers = tmp_path / "s.csv"
    suppliers.write_text("supplier_id,name,renewable_share\nS1,Acme,1.0\n", encoding="utf-8")
    rules = tmp_path / "r.yaml"
    rules.write_text(textwrap.dedent("""\
        pack: heavy
        version: '1'
        grading: {pillars: {environment: 1000, social: 1000}}
        rules:
          - {id: H-1, title: a, pillar: environment, weight: 1000, check: {pass: renewable_share >= 0.5}}
          - {id: H-2, title: b, pillar: environment, weight: 1000, check: {pass: renewable_share >= 0.5}}
          - {id: H-3, title: c, pillar: social, weight: 0.001, check: {pass: renewable_share >= 0.5}}
        """), encoding="utf-8")
    result = CliRunner().invoke(cli, ["gate", str(suppliers), "--rules", str(rules), "--as-of", "2026-11-27", "--json"])
    assert result.exit_code == 0, result.output
    assert '"grade": "A"' in result.stdout and '"score": 100.0' in result.stdout
    assert result.stderr == ""


def test_weight_of_1e308_is_refused(tmp_path: Path):
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "pack: p\nversion: '1'\nrules:\n"
        "  - {id: H-1, title: a, pillar: e, weight: 1.0e+308, check: {pass: 'true'}}\n"
        "  - {id: H-2, title: b, pillar: e, weight: 1.0e+308, check: {pass: 'true'}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["rules", "lint", str(rules)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{rules}:4: H-1: 'weight' must be a number > 0 and <= 1000, not 1e+308 (a number)",
        f"{rules}:5: H-2: 'weight' must be a number > 0 and <= 1000, not 1e+308 (a number)",
    ]


def test_the_error_collector_is_lazy_unless_told_otherwise(write_pack):
    text = HEAD + rule("{pass: 'true'}", "    weight: 0\n") + rule("{min_suppliers: 0}", rule_id="L-2")
    path = str(write_pack(text))
    ruleset, errors = load([path])
    assert ruleset is None and [(e.location.rule_id, e.location.line) for e in errors] == [("L-1", 7), ("L-2", 12)]
    with pytest.raises(RuleFileError) as first:
        load([path], ErrorCollector(lazy=False))
    assert first.value.location is not None
    assert (first.value.location.rule_id, first.value.location.line) == ("L-1", 7)

"""SPEC §4 Limits: rule, waiver and column files are UTF-8 text without control characters, at
most 10 MB and 100 levels deep; anything else is refused with one line naming the file and line.

One reader serves all three kinds of file, so each limit is tested through each loader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.errors import ConfigError, EsgAuditError
from esg_audit.normalise import load_column_map
from esg_audit.rules import lint_rules
from esg_audit.waivers import load_waivers
from esg_audit.yaml_reader import MAX_BYTES, YamlError, YList, YMap, parse_yaml

RULES = "pack: p\nversion: '1'\nrules:\n  - id: R-1\n    title: t\n    pillar: e\n    check: {pass: 'true'}\n"
WAIVERS = "waivers:\n  - {supplier_id: S1, rule_id: R-1, reason: r, approved_by: a, expires: 2026-12-31}\n"
COLUMNS = "columns:\n  '*': {vendor: supplier_id}\n"


def _rule_errors(path: Path) -> list[tuple[str | None, int | None, str]]:
    return [(e.location.file, e.location.line, e.message) for e in lint_rules([str(path)]) if e.location]


def _config_error(load: Callable[[str], object], path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        load(str(path))
    return raised.value


def _refused(kind: str, path: Path) -> tuple[str | None, int | None, str]:
    """(file, line, message) of the one error each loader gives for the file."""
    if kind == "rules":
        errors = _rule_errors(path)
        assert len(errors) == 1, errors
        return errors[0]
    error = _config_error(load_waivers if kind == "waivers" else load_column_map, path)
    assert error.location is not None
    assert "\n" not in str(error)
    return error.location.file, error.location.line, error.message


KINDS = {"rules": (RULES, "rule file"), "waivers": (WAIVERS, "waiver file"), "columns": (COLUMNS, "column mapping")}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000 (NUL)"), ("\x07", "U+0007 (BEL)"), ("\x1b", "U+001B (ESC)"), ("\x7f", "U+007F (DEL)")])
def test_control_characters_are_refused_with_their_line(tmp_path, kind, char, name):
    text, what = KINDS[kind]
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + f" # a{char}b\n"
    path = tmp_path / "file.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    assert _refused(kind, path) == (str(path), 2, f"control character {name} is not allowed in a {what}")


@pytest.mark.parametrize("kind", KINDS)
def test_tabs_and_crlf_line_ends_are_text(tmp_path, kind):
    text, _ = KINDS[kind]
    path = tmp_path / "file.yaml"
    path.write_bytes(text.replace("\n", "\r\n").replace("# ", "#\t").encode())
    if kind == "rules":
        assert _rule_errors(path) == []
    elif kind == "waivers":
        assert len(load_waivers(str(path)).waivers) == 1
    else:
        assert load_column_map(str(path)).by_sheet == {"*": {"vendor": "supplier_id"}}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("style", ["flow", "block"])
def test_two_thousand_levels_are_refused_at_level_101(tmp_path, kind, style):
    _, what = KINDS[kind]
    if style == "flow":
        text = "a: " + "[" * 2000 + "]" * 2000 + "\n"
        line = 1
    else:
        text = "a:\n" + "".join("  " * level + "- \n" for level in range(1, 2001))
        line = 101  # the mapping is level 1, so the list on line 101 is level 101
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    assert _refused(kind, path) == (str(path), line, f"{what} nests deeper than 100 levels")


def test_one_hundred_levels_are_read():
    text = "[" * 100 + "]" * 100
    value = parse_yaml(text)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == 100


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_over_ten_megabytes_is_refused_with_the_line_that_passes_the_limit(tmp_path, kind):
    text, what = KINDS[kind]
    filler = "# " + "x" * 97 + "\n"  # 100 bytes a line
    path = tmp_path / "big.yaml"
    path.write_text(text + filler * (MAX_BYTES // 100 + 10), encoding="utf-8")
    header_lines = text.count("\n")
    line = header_lines + (MAX_BYTES - len(text)) // 100 + 1
    assert _refused(kind, path) == (str(path), line, f"{what} is larger than 10 MB; it passes the limit on this line")


@pytest.mark.parametrize("kind", KINDS)
def test_bytes_that_are_not_utf8_are_refused_with_their_line(tmp_path, kind):
    text, what = KINDS[kind]
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.encode() + "# café\n".encode("latin-1"))
    file, line, message = _refused(kind, path)
    assert (file, line) == (str(path), text.count("\n") + 1)
    assert message.startswith(f"a {what} must be UTF-8 text (invalid continuation byte at byte ")


@pytest.mark.parametrize("kind", KINDS)
def test_an_alias_bomb_is_refused(tmp_path, kind):
    _, what = KINDS[kind]
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    file, line, message = _refused(kind, path)
    assert (file, message) == (str(path), f"{what} expands to too many YAML nodes (alias bomb?)")
    assert line is not None and 5 <= line <= 10


def test_aliases_within_the_budget_and_merge_keys_are_read():
    value = parse_yaml(
        "base: &base {pillar: environment, severity: high}\n"
        "rule:\n  <<: *base\n  severity: low\n  id: R\n"
        "both:\n  <<: [{a: 1}, {a: 2, b: 2}]\n"
        "list: &l [1, 2]\nagain: *l\n"
    )
    assert value["rule"] == {"pillar": "environment", "severity": "low", "id": "R"}
    assert value["rule"].line_of("severity") == 4
    assert value["both"] == {"a": 1, "b": 2}
    assert value["again"] == [1, 2]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
        ("a: 1\n---\nb: 2\n", 2, "a rule file holds one YAML document, but another starts here"),
        ("a: !!python/object/apply:os.system [echo]\n", 1, "YAML tag !!python/object/apply:os.system is not allowed in a rule file"),
        ("a: &x [*x]\n", 1, "recursive alias *x: an anchored value cannot hold itself"),
        ("a: *nowhere\n", 1, "unknown alias *nowhere"),
        ("? [a]\n: 1\n", 1, "a mapping key must be a plain value"),
        ("a: 2026-02-30\n", 1, "invalid value '2026-02-30': day is out of range for month"),
        ("a: [\n", 2, "invalid YAML: while parsing a flow node: expected the node content, but found '<stream end>'"),
    ],
)
def test_refused_documents_name_their_line(text, line, message):
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, "rule file")
    assert (raised.value.line, raised.value.message) == (line, message)


def test_typed_and_text_scalars():
    text = "id: 0012\nwhen: 2026-12-31\nok: yes\nnothing: ~\nquoted: 'null'\nn: 1.5\n"
    assert parse_yaml(text) == {
        "id": 10, "when": date(2026, 12, 31), "ok": True, "nothing": None, "quoted": "null", "n": 1.5,
    }
    assert parse_yaml(text, typed=False) == {
        "id": "0012", "when": "2026-12-31", "ok": "yes", "nothing": None, "quoted": "null", "n": "1.5",
    }


def test_lines_of_keys_and_items():
    value = parse_yaml("top:\n  - a\n  - {b: 1,\n     c: 2}\n  -\n    d: 3\n")
    assert isinstance(value, YMap) and isinstance(value["top"], YList)
    assert value.line_of("top") == 1
    assert [value["top"].line_of(i) for i in range(3)] == [2, 3, 6]
    assert value["top"][1].line_of("c") == 4


@pytest.mark.parametrize("kind", ["waivers", "columns"])
def test_cli_reports_a_bad_waiver_or_column_file_in_one_line(tmp_path, kind):
    (tmp_path / "suppliers.csv").write_text("supplier_id,name\nS1,Acme\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"waivers:\n  - supplier_id: S\x001\n" if kind == "waivers" else b"columns:\n  '*': {a\x07: supplier_id}\n")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "suppliers.csv"), f"--{kind}", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    what = "waiver file" if kind == "waivers" else "column mapping"
    char = "U+0000 (NUL)" if kind == "waivers" else "U+0007 (BEL)"
    assert result.output.strip() == f"error: {bad}:2: control character {char} is not allowed in a {what}"


def test_rules_lint_finds_file_limits_without_a_workbook(tmp_path):
    (tmp_path / "a_nul.yaml").write_bytes(RULES.encode().replace(b"title: t", b"title: t\x00"))
    (tmp_path / "b_deep.yaml").write_text("pack: x\nversion: '1'\nrules: " + "[" * 2000 + "]" * 2000 + "\n")
    result = CliRunner().invoke(cli, ["rules", "lint", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'a_nul.yaml'}:5: control character U+0000 (NUL) is not allowed in a rule file",
        f"{tmp_path / 'b_deep.yaml'}:3: rule file nests deeper than 100 levels",
    ]


def test_every_refusal_is_an_esg_audit_error(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_bytes(b"\xff\xfe" + "waivers: []\n".encode("utf-16-le"))
    with pytest.raises(EsgAuditError):
        load_waivers(str(path))


@pytest.mark.parametrize("kind", KINDS)
def test_a_key_holding_a_line_break_is_shown_escaped_on_one_line(tmp_path, kind):
    path = tmp_path / "odd.yaml"
    prefix = "pack: p\nversion: '1'\n" if kind == "rules" else ""
    path.write_text(prefix + '"a\\nb\\u2028c": 1\n', encoding="utf-8")
    file, line, message = _refused(kind, path)
    assert (file, line) == (str(path), 3 if kind == "rules" else 1)
    assert "a\\nb\\u2028c" in message and "\n" not in message and "\u2028" not in message

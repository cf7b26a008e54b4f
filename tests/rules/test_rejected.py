"""Rule files that try to run code are refused as rule-file errors, and nothing runs (SPEC §4, §6)."""

from __future__ import annotations

import pytest

from esg_audit.errors import RuleFileError, RuleFileErrors
from esg_audit.rules import lint_rules, load_rules

PACK = """\
pack: hostile
version: "1"
rules:
  - id: EVIL-001
    title: Tries to run code
    pillar: governance
    check:
      pass: |-
        {expression}
"""


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os').system('touch {sentinel}')", "attribute access is not allowed"),
        ("__import__('os')", "'__import__' is not allowed"),
        ("().__class__", "attribute access is not allowed: ().__class__"),
        ("().__class__.__bases__[0].__subclasses__()", "attribute access is not allowed"),
        ("category.upper() == 'X'", "attribute access is not allowed: category.upper"),
        ("x[0]", "subscripts (x[...]) are not allowed: x[0]"),
        ("(lambda: 1)()", "lambda is not allowed"),
        ("lambda: 1", "lambda is not allowed: lambda: 1"),
        ("[x for x in y]", "comprehensions are not allowed: [x for x in y]"),
        ("any(x for x in y)", "unknown function 'any'"),
        ("f'{{category}}' == 'x'", "f-strings are not allowed"),
        ("(x := 1)", "assignment (:=) is not allowed"),
        ("lower(*category)", "starred arguments (*x) are not allowed"),
        ("round(renewable_share, ndigits=1) > 0", "unknown function 'round'"),
        ("lower(s=category) == 'x'", "keyword arguments are not allowed"),
        ("eval('1') == 1", "unknown function 'eval'"),
        ("open('{sentinel}', 'w')", "unknown function 'open'"),
        ("renewable_share @ 2", "unknown operator '@'"),
        ("renewable_share // 2 > 0", "unknown operator '//'"),
        ("__builtins__", "'__builtins__' is not allowed"),
    ],
)
def test_code_in_expressions_is_a_rule_file_error_and_never_runs(tmp_path, write_pack, expression, message):
    sentinel = tmp_path / "pwned"
    path = write_pack(PACK.format(expression=expression.format(sentinel=sentinel)))
    with pytest.raises(RuleFileErrors) as caught:
        load_rules([str(path)])
    (error,) = caught.value.errors
    assert isinstance(error, RuleFileError)
    assert error.location.file == str(path)
    assert error.location.line == 8  # the `pass:` line
    assert error.location.rule_id == "EVIL-001"
    assert str(error).startswith(f"{path}:8: EVIL-001: pass: ")
    assert message in error.message
    assert not sentinel.exists()


@pytest.mark.parametrize(
    "tagged",
    [
        '!!python/object/apply:os.system ["touch {sentinel}"]',
        "!!python/object/apply:subprocess.check_call [[touch, '{sentinel}']]",
        "!!python/name:os.system",
        "!!python/object:builtins.dict {{}}",
        "!!python/object/new:builtins.dict {{}}",
        "!!binary aGVsbG8=",
        "!custom thing",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(tmp_path, write_pack, tagged):
    sentinel = tmp_path / "pwned"
    text = (
        "pack: hostile\nversion: '1'\nrules:\n  - id: EVIL-002\n    title: t\n    pillar: p\n"
        f"    remediation: {tagged.format(sentinel=sentinel)}\n"
        "    check: {pass: 'true'}\n"
    )
    path = write_pack(text)
    (error,) = lint_rules([str(path)])
    assert error.location.file == str(path)
    assert error.location.line == 7
    assert "is not allowed in a rule file" in error.message
    assert not sentinel.exists()


def test_an_alias_bomb_is_refused_quickly(write_pack):
    lines = ["pack: bomb", "version: '1'", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    path = write_pack("\n".join(lines) + "\n")
    (error,) = lint_rules([str(path)])
    assert error.message == "rule file expands to too many YAML nodes (alias bomb?)"


def test_a_recursive_alias_is_refused(write_pack):
    path = write_pack("pack: loop\nversion: '1'\ntests: &loop [*loop]\n")
    (error,) = lint_rules([str(path)])
    assert error.location.line == 3
    assert error.message == "recursive alias *loop: an anchored value cannot hold itself"

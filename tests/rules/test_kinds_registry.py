"""The check-kind registry: one explicit list, each kind documented by a YAML example that loads."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from esg_audit.rules import load_rules
from esg_audit.rules.context import ParseContext
from esg_audit.rules.kinds import KINDS, kind_by_name, kind_description, kind_example
from esg_audit.rules.kinds.base import CheckKind
from esg_audit.rules.options import Number, Option, Text
from esg_audit.yaml_reader import parse_yaml

KIND_MODULES = Path(__file__).resolve().parents[2] / "esg_audit" / "rules" / "kinds"


def test_every_kind_module_is_registered_once():
    modules = sorted(p.stem for p in KIND_MODULES.glob("*.py") if p.stem not in ("__init__", "base"))
    assert modules == ["certificate", "each", "expectation", "expression", "required", "sourcing", "trend"]
    assert sorted(kind.__module__.rsplit(".", 1)[1] for kind in KINDS) == modules
    assert [kind.name for kind in KINDS] == ["expression", "certificate", "required", "trend", "sourcing",
                                          "expectation", "each"]
    assert [kind.key for kind in KINDS] == ["pass", "certificate", "required", "trend", "min_suppliers",
                                         "expectation", "each"]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_registered_kind_has_a_yaml_example_that_loads(kind, write_pack):
    assert issubclass(kind, CheckKind)
    example = kind_example(kind)
    assert example.strip(), f"{kind.__name__} has no ```yaml example in its docstring"
    assert kind_description(kind) and "```" not in kind_description(kind)
    text = "pack: example\nversion: '1'\nrules:\n" + textwrap.indent(example, "  ")
    (rule,) = load_rules([str(write_pack(text))]).rules
    assert type(rule.check) is kind
    assert rule.check.fields()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_declares_its_options(kind):
    names = kind.option_names()
    assert len(set(names)) == len(names)
    selector = next(option for option in kind.options if option.name == kind.key)
    assert selector.required
    fields = {f.name for f in dataclasses.fields(kind)}
    for option in kind.options:
        assert option.help and option.type.description, option.name
        assert option.field in fields, option.name  # the option fills the kind's field of its name
        assert option.required or option.default is None or option.default == getattr(kind, option.field)


def test_a_new_kind_is_one_class_with_declared_options():
    """What a kind needs: a name, a selecting key and its options; parsing is generic."""

    @dataclasses.dataclass(frozen=True)
    class Threshold(CheckKind):
        name = "threshold"
        key = "field"
        options = (
            Option("field", Text(), "the field", required=True),
            Option("at_least", Number(minimum=0, maximum=100), "the lowest value that passes", default=0.0),
        )

        field: str
        at_least: float = 0.0

    ctx = ParseContext(file="rules.yaml")
    spec = parse_yaml("field: renewable_share\nat_least: 50\n")
    assert Threshold.parse(spec, ctx) == Threshold(field="renewable_share", at_least=50.0)
    assert Threshold.parse(parse_yaml("field: x\n"), ctx) == Threshold(field="x", at_least=0.0)
    assert len(ctx.errors) == 0
    assert Threshold.parse(parse_yaml("fild: x\nat_least: 500\nextra: 1\n"), ctx) is None
    assert [(e.location.line, e.message) for e in ctx.errors] == [
        (1, "unknown key 'fild' in a threshold check; did you mean 'field'?"),
        (3, "unknown key 'extra' in a threshold check"),
        (1, "a threshold check needs 'field'"),
        (2, "'at_least' must be a number >= 0 and <= 100, not 500 (a number)"),
    ]


def test_kind_by_name():
    assert kind_by_name("trend").key == "trend"
    with pytest.raises(KeyError):
        kind_by_name("nope")


def test_kind_docstring_without_example_is_detected():
    class Undocumented(CheckKind):
        """A kind someone forgot to document."""

        name = "undocumented"

    assert kind_example(Undocumented) == ""


def test_the_rules_page_lists_every_kinds_options():
    page = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    for kind in KINDS:
        section = page.split(f"### {kind.name}\n", 1)[1].split("\n### ", 1)[0]
        for option in kind.options:
            required = "yes" if option.required else "no"
            assert f"| `{option.name}` | {option.type.description} | {required} |" in section, option.name

"""The check-kind registry: one explicit list, each kind documented by a YAML example that loads."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from esg_audit.rules import load_rules
from esg_audit.rules.kinds import KINDS, kind_by_name, kind_description, kind_example
from esg_audit.rules.kinds.base import CheckKind

KIND_MODULES = Path(__file__).resolve().parents[2] / "esg_audit" / "rules" / "kinds"


def test_every_kind_module_is_registered_once():
    modules = sorted(p.stem for p in KIND_MODULES.glob("*.py") if p.stem not in ("__init__", "base"))
    assert modules == ["certificate", "expression", "required", "sourcing", "trend"]
    assert sorted(kind.__module__.rsplit(".", 1)[1] for kind in KINDS) == modules
    assert [kind.name for kind in KINDS] == ["expression", "certificate", "required", "trend", "sourcing"]
    assert [kind.key for kind in KINDS] == ["pass", "certificate", "required", "trend", "min_suppliers"]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_registered_kind_has_a_yaml_example_that_loads(kind, write_pack):
    assert issubclass(kind, CheckKind)
    example = kind_example(kind)
    assert example.strip(), f"{kind.__name__} has no ```yaml example in its docstring"
    assert kind_description(kind) and "```" not in kind_description(kind)
    text = "pack: example\nversion: '1'\nrules:\n" + textwrap.indent(example, "  ")
    (rule,) = load_rules([str(write_pack(text))]).rules
    assert type(rule.check) is kind
    assert kind.key in kind.keys
    assert rule.check.fields()


def test_kind_by_name():
    assert kind_by_name("trend").key == "trend"
    with pytest.raises(KeyError):
        kind_by_name("nope")


def test_kind_docstring_without_example_is_detected():
    class Undocumented(CheckKind):
        """A kind someone forgot to document."""

        name = "undocumented"

    assert kind_example(Undocumented) == ""

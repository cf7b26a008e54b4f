"""Answers a rule compares with a field whose pack lists its values: each must be one of them.

`social_audit_result == 'passed'` where the pack declares `values: [pass, conditional, fail]`
can never be true; like a misspelt field, it is a rule-file error, not a silent fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import replace
from itertools import pairwise
from typing import Any

from esg_audit.model import DeclaredField
from esg_audit.rules.context import ParseContext
from esg_audit.yaml_reader import YList, YMap


def undeclared_answers(item: YMap, rule_id: str, declared: Mapping[str, DeclaredField], ctx: ParseContext) -> None:
    """Report, at its line, every text a rule's expressions compare with a field of listed
    values that is not one of them (matched case-insensitively, as the input is)."""
    listed = {name: f.values for name, f in declared.items() if f.values}
    if not listed:
        return
    rule_ctx = replace(ctx, rule_id=rule_id)
    for text, line in _expressions(item):
        for name, answer in _compared(text, listed):
            values = listed[name]
            if " ".join(answer.split()).casefold() not in {v.casefold() for v in values}:
                rule_ctx.report(
                    f"{answer!r} is not one of the values the pack lists for {name} "
                    f"({', '.join(values)})",
                    line,
                )


def _expressions(item: YMap) -> Iterator[tuple[str, int]]:
    """Every text of `applies_to` and of the check mapping (nested too), with its line."""
    if isinstance(item.get("applies_to"), str):
        yield item["applies_to"], item.line_of("applies_to")
    stack: list[tuple[Any, int]] = [(item.get("check"), item.line_of("check"))]
    while stack:
        node, line = stack.pop()
        if isinstance(node, str):
            yield node, line
        elif isinstance(node, YMap):
            stack.extend((v, node.line_of(k)) for k, v in node.items())
        elif isinstance(node, YList):
            stack.extend((v, node.line_of(i)) for i, v in enumerate(node))


def _compared(text: str, listed: Mapping[str, tuple[str, ...]]) -> Iterator[tuple[str, str]]:
    """(field, text) for each text literal compared with a listed field: `f == 'x'`,
    `f != 'x'`, `f in ['x', ...]`, also with the field as `coalesce(f, default)`."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return  # not an expression (e.g. a certificate name); the check kind judged it
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, right in pairwise(operands):
            for field_node, other in ((left, right), (right, left)):
                name = _listed_field(field_node, listed)
                if name is None:
                    continue
                # coalesce(f, '') may use any default to stand for a blank answer
                for literal in _texts(other):
                    yield name, literal


def _listed_field(node: ast.expr, listed: Mapping[str, tuple[str, ...]]) -> str | None:
    if isinstance(node, ast.Name) and node.id in listed:
        return node.id
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "coalesce"
            and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in listed):
        return node.args[0].id
    return None


def _texts(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []

"""The check kinds, registered in one explicit list. Adding a kind is one module, one line in
KINDS and its tests; `rules explain` and docs/rules.md read each kind's docstring and options."""

from __future__ import annotations

import inspect
import re

from esg_audit.rules.context import ParseContext, did_you_mean
from esg_audit.rules.kinds.base import CheckKind
from esg_audit.rules.kinds.certificate import CertificateCheck
from esg_audit.rules.kinds.each import EachCheck
from esg_audit.rules.kinds.expectation import ExpectationCheck
from esg_audit.rules.kinds.expression import ExpressionCheck
from esg_audit.rules.kinds.required import RequiredCheck
from esg_audit.rules.kinds.sourcing import SourcingCheck
from esg_audit.rules.kinds.trend import TrendCheck
from esg_audit.yaml_reader import YMap

KINDS: tuple[type[CheckKind], ...] = (
    ExpressionCheck,
    CertificateCheck,
    RequiredCheck,
    TrendCheck,
    SourcingCheck,
    ExpectationCheck,
    EachCheck,
)

__all__ = ["KINDS", "CheckKind", "kind_by_name", "kind_description", "kind_example", "parse_check"]


def kind_by_name(name: str) -> type[CheckKind]:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(name)


def parse_check(spec: object, ctx: ParseContext, line: int | None) -> CheckKind | None:
    """The check of a rule's `check:` mapping, as the kind its keys select; None after
    reporting every error to `ctx`."""
    selectors = ", ".join(f"{k.key} ({k.name})" if k.key != k.name else k.key for k in KINDS)
    if not isinstance(spec, YMap) or not spec:
        ctx.report(f"check must be a mapping with one of: {selectors}", line)
        return None
    found = [kind for kind in KINDS if kind.key in spec]
    if not found:
        every_key = [key for kind in KINDS for key in kind.option_names()]
        unknown = [key for key in spec if key not in every_key]
        hint = did_you_mean(unknown[0], [k.key for k in KINDS]) if unknown else ""
        ctx.report(f"check: cannot tell its kind; it needs one of: {selectors}{hint}", spec.line)
        return None
    if len(found) > 1:
        both = " and ".join(f"'{kind.key}' ({kind.name})" for kind in found)
        ctx.report(f"check: ambiguous, it has both {both}; a rule has one check", spec.line)
        return None
    return found[0].parse(spec, ctx)


def kind_example(kind: type[CheckKind]) -> str:
    """The YAML example of a rule in the kind's docstring (the ```yaml block), or ""."""
    match = re.search(r"```yaml\n(.*?)```", inspect.getdoc(kind) or "", re.DOTALL)
    return match.group(1) if match else ""


def kind_description(kind: type[CheckKind]) -> str:
    """The kind's docstring without its example."""
    return re.sub(r"\n*```yaml\n.*?```\n*", "\n", inspect.getdoc(kind) or "", flags=re.DOTALL).strip()

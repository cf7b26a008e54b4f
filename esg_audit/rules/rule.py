"""One rule mapping of a pack's `rules:` list, validated key by key into a model.Rule."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from esg_audit.limits import MAX_WEIGHT
from esg_audit.model import ON_MISSING, SEVERITIES, Location, Rule, Severity
from esg_audit.rules.context import (
    ParseContext,
    as_number,
    as_text,
    check_keys,
    describe,
    did_you_mean,
)
from esg_audit.rules.expr import BOOL
from esg_audit.rules.kinds import parse_check
from esg_audit.rules.options import expression
from esg_audit.yaml_reader import YList, YMap

RULE_KEYS = (
    "id", "title", "pillar", "severity", "weight", "applies_to", "check", "on_missing",
    "knockout", "remediation", "references", "rationale", "i18n",
)
I18N_LANGUAGES = ("zh",)  # languages a rule may carry its title and remediation in
I18N_KEYS = ("title", "remediation")
REQUIRED_KEYS = ("id", "title", "pillar", "check")
DEFAULT_SEVERITY = "medium"
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]*$")


def parse_rule(item: Any, line: int, ctx: ParseContext, pack: str) -> Rule | None:
    """The rule, or None after reporting every error found in it to `ctx`."""
    if not isinstance(item, YMap):
        ctx.report(f"each entry of rules must be a mapping (id, title, pillar, check, ...), not {describe(item)}", line)
        return None
    before = len(ctx.errors)
    rule_id = None
    if "id" in item:
        rule_id = as_text(item["id"], "id", ctx, item.line_of("id"))
        if rule_id is not None and not _RULE_ID.match(rule_id):
            ctx.report(f"rule id {rule_id!r} may hold only letters, digits and . _ - : /", item.line_of("id"))
    rule_ctx = replace(ctx, rule_id=rule_id, line=item.line)
    check_keys(item, RULE_KEYS, rule_ctx, "a rule", required=REQUIRED_KEYS)

    def text(key: str, default: str = "") -> Any:
        if key not in item:
            return default
        value = item[key]
        if key in ("remediation", "rationale") and value is None:  # written but left empty
            return default
        return as_text(value, key, rule_ctx, item.line_of(key))

    title, pillar = text("title"), text("pillar")
    remediation, rationale = text("remediation"), text("rationale")
    severity = _choice(item, "severity", SEVERITIES, DEFAULT_SEVERITY, rule_ctx)
    on_missing = _choice(item, "on_missing", ON_MISSING, "fail", rule_ctx)
    weight: float | None = 1.0
    if "weight" in item:
        weight = as_number(item["weight"], "weight", rule_ctx, item.line_of("weight"), above=0, maximum=MAX_WEIGHT)
    knockout = item.get("knockout", False)
    if not isinstance(knockout, bool):
        rule_ctx.report(f"knockout must be true or false, not {describe(knockout)}", item.line_of("knockout"))
    references = _references(item, rule_ctx)
    applies_to = None
    if "applies_to" in item:
        applies_to = expression(item["applies_to"], "applies_to", rule_ctx, item.line_of("applies_to"), BOOL)
    i18n = _translations(item, rule_ctx)
    check = None
    if "check" in item:
        check = parse_check(item["check"], rule_ctx, item.line_of("check"))

    if len(ctx.errors) > before:
        return None
    return Rule(
        id=rule_id,  # type: ignore[arg-type]
        title=title,
        pillar=pillar,
        severity=Severity(severity),
        weight=float(weight),  # type: ignore[arg-type]
        check=check,
        applies_to=applies_to,
        on_missing=on_missing,
        knockout=knockout,
        remediation=remediation,
        references=references,
        pack=pack,
        location=Location(file=ctx.file, line=item.line, rule_id=rule_id),
        rationale=rationale,
        i18n=i18n,
    )


def _translations(item: YMap, ctx: ParseContext) -> dict[str, dict[str, str]]:
    """`i18n: {zh: {title: …, remediation: …}}`: known languages and keys, non-empty text."""
    if "i18n" not in item:
        return {}
    value = item["i18n"]
    if not isinstance(value, YMap):
        ctx.report(f"i18n must be a mapping of language to texts ({', '.join(I18N_LANGUAGES)}: "
                   f"{{title, remediation}}), not {describe(value)}", item.line_of("i18n"))
        return {}
    check_keys(value, I18N_LANGUAGES, ctx, "i18n (languages)")
    found: dict[str, dict[str, str]] = {}
    for language in I18N_LANGUAGES:
        if language not in value:
            continue
        texts = value[language]
        if not isinstance(texts, YMap):
            ctx.report(f"i18n.{language} must be a mapping with title and/or remediation, "
                       f"not {describe(texts)}", value.line_of(language))
            continue
        check_keys(texts, I18N_KEYS, ctx, f"i18n.{language}")
        found[language] = {}
        for key in I18N_KEYS:
            if key in texts:
                text = as_text(texts[key], f"i18n.{language}.{key}", ctx, texts.line_of(key))
                if text is not None:
                    found[language][key] = " ".join(text.split()) if key == "title" else text
    return found


def _choice(item: YMap, key: str, choices: tuple[str, ...], default: str, ctx: ParseContext) -> str:
    if key not in item:
        return default
    value = item[key]
    word = value.strip().lower() if isinstance(value, str) else value
    if word not in choices:
        ctx.report(
            f"{key} must be one of {' | '.join(choices)}, not {describe(value)}{did_you_mean(str(value), choices)}",
            item.line_of(key),
        )
        return default
    return str(word)


def _references(item: YMap, ctx: ParseContext) -> tuple[str, ...]:
    if "references" not in item:
        return ()
    value = item["references"]
    line = item.line_of("references")
    if not isinstance(value, YList):
        ctx.report(f"references must be a list of text, e.g. [\"ISO 14001:2015\"], not {describe(value)}", line)
        return ()
    out = []
    for index, reference in enumerate(value):
        if not isinstance(reference, str) or not reference.strip():
            ctx.report(f"references: item {index + 1} must be text, not {describe(reference)}", value.line_of(index))
        else:
            out.append(reference.strip())
    return tuple(out)

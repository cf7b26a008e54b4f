"""run_audit(): the pipeline, one call per stage (SPEC §2), nothing else. read_inputs(): the
stages up to validation, for `esg-audit inspect`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from esg_audit.load import load_inputs
from esg_audit.model import AuditData, AuditResult, RuleSet
from esg_audit.normalise import load_column_map, normalise
from esg_audit.rules import default_rules_path, evaluate_rules, load_rules
from esg_audit.schema import validate
from esg_audit.scoring import score_audit
from esg_audit.waivers import load_waivers


@dataclass(frozen=True)
class AuditRequest:
    """What the user asked for: inputs, rules and settings (the CLI's options, as values)."""

    inputs: tuple[str, ...]
    as_of: date
    rules: tuple[str, ...] = ()  # empty: the shipped packs
    columns: str | None = None
    waivers: str | None = None
    date_format: str | None = None  # "day-first" | "month-first" for ambiguous slashed dates
    max_unpacked_mb: int = 1024
    command: str = ""


def read_inputs(
    request: AuditRequest, progress: Callable[[str], None] = lambda stage: None
) -> tuple[RuleSet, AuditData]:
    """Load the rules (for the fields they declare) and the inputs, normalise and validate:
    everything before a rule runs. Raises EsgAuditError."""
    progress("rules")
    ruleset = load_rules(request.rules or (str(default_rules_path()),))
    column_map = load_column_map(request.columns) if request.columns else None
    progress("load")
    loaded = load_inputs(request.inputs, max_unpacked_mb=request.max_unpacked_mb)
    progress("normalise")
    normalised = normalise(
        loaded,
        column_map=column_map,
        extra_fields=ruleset.fields,
        as_of=request.as_of,
        date_format=request.date_format or (column_map.date_format if column_map else None),
        field_values=ruleset.field_values,
    )
    progress("validate")
    return ruleset, validate(normalised, as_of=request.as_of)


def run_audit(
    request: AuditRequest, progress: Callable[[str], None] = lambda stage: None
) -> AuditResult:
    """Run every stage on the request and return the scored audit. Raises EsgAuditError."""
    waivers = load_waivers(request.waivers) if request.waivers else None
    ruleset, data = read_inputs(request, progress)
    progress("evaluate")
    results = evaluate_rules(ruleset, data, request.as_of)
    progress("score")
    return score_audit(
        ruleset,
        data,
        results,
        as_of=request.as_of,
        waivers=waivers,
        generated_at=datetime.now(timezone.utc).replace(microsecond=0),
        command=request.command,
    )

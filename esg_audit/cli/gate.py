"""`esg-audit gate`: approve or reject suppliers, a scriptable yes/no with reasons."""

from __future__ import annotations

import json

import click

from esg_audit.cli.history import history_option, open_history, record_history, with_history
from esg_audit.cli.options import (
    audit_options,
    audit_request,
    grade_choice,
    progress_reporter,
    severity_choice,
)


@click.command()
@audit_options
@click.option(
    "--min-grade",
    type=grade_choice,
    default="C",
    show_default=True,
    help="Reject a supplier whose grade is below this one (N/A is below D).",
)
@click.option(
    "--fail-on",
    type=severity_choice,
    default=None,
    help="Reject a supplier with a fail or missing result of this severity or higher.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON on stdout.")
@history_option
@click.pass_context
def gate(
    ctx: click.Context,
    min_grade: str,
    fail_on: str | None,
    as_json: bool,
    history: str | None,
    **options: object,
) -> None:
    """Approve or reject each supplier in the inputs; exit 1 when any is rejected."""
    from esg_audit.gate import GatePolicy, decide, verdicts_document
    from esg_audit.pipeline import run_audit

    request = audit_request(**options)  # type: ignore[arg-type]
    store = open_history(history)
    result = run_audit(request, progress_reporter())
    result, rows = with_history(store, result)
    policy = GatePolicy(min_grade=min_grade.upper(), fail_on=fail_on.lower() if fail_on else None)
    verdicts = decide(result, policy)
    if as_json:
        document = verdicts_document(result, policy, verdicts)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for verdict in verdicts:
            word = "APPROVED" if verdict.approved else "REJECTED"
            grade = verdict.grade if verdict.score is None else f"{verdict.grade} ({verdict.score:.1f})"
            click.echo(f"{word}  {verdict.supplier_id}  {verdict.name or ''}  grade {grade}")
            for reason in verdict.reasons:
                click.echo(f"    - {reason}")
    record_history(store, rows)
    ctx.exit(0 if all(v.approved for v in verdicts) else 1)

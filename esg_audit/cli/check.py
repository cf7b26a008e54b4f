"""`esg-audit check`: audit the supplier base and write the reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from esg_audit.cli.history import history_option, open_history, record_history, with_history
from esg_audit.cli.options import (
    audit_options,
    audit_request,
    grade_choice,
    progress_reporter,
    severity_choice,
)
from esg_audit.errors import ConfigError
from esg_audit.model import GRADES, AuditData
from esg_audit.reports import FORMATS, write_reports


@click.command()
@audit_options
@click.option(
    "--out",
    "out",
    default="reports",
    show_default=True,
    help="Output folder; {as_of} and {date} are replaced by the audit and today's dates.",
)
@click.option(
    "--format",
    "formats",
    default="xlsx,json",
    show_default=True,
    help=f"Comma-separated report formats: {', '.join(FORMATS)}.",
)
@click.option(
    "--fail-under",
    type=grade_choice,
    default=None,
    help="Exit 1 when any supplier's grade is below this one (N/A is below D).",
)
@click.option(
    "--fail-on",
    type=severity_choice,
    default=None,
    help="Exit 1 when any fail or missing result has this severity or a higher one.",
)
@history_option
@click.pass_context
def check(
    ctx: click.Context,
    out: str,
    formats: str,
    fail_under: str | None,
    fail_on: str | None,
    history: str | None,
    **options: object,
) -> None:
    """Audit supplier workbooks (files or folders) and write scored reports."""
    from esg_audit.pipeline import run_audit

    wanted = parse_formats(formats)
    request = audit_request(**options)  # type: ignore[arg-type]
    out_dir = Path(out.replace("{as_of}", request.as_of.isoformat()).replace(
        "{date}", date.today().isoformat()
    ))
    if out_dir.exists() and not out_dir.is_dir():  # refused before the audit runs
        raise ConfigError(f"--out: {out_dir} is a file, not a folder")
    store = open_history(history)
    result = run_audit(request, progress_reporter())
    result, rows = with_history(store, result)
    try:
        written = write_reports(result, out_dir, wanted)
    except OSError as error:
        raise ConfigError(
            f"--out: cannot write into {out_dir}: {error.strerror or error}"
        ) from None
    grades = result.suppliers["grade"]
    summary = ", ".join(f"{g} {result.summary.by_grade[g]}" for g in GRADES)
    click.echo(
        f"audited {_count(len(result.suppliers), 'supplier')} ({summary}); "
        f"{_count(len(result.findings), 'finding')}, "
        f"{_count(len(result.data.data_issues), 'data issue')}; "
        f"wrote {', '.join(str(p) for p in written)}{_unrecognised_hint(result.data)}",
        err=True,
    )
    record_history(store, rows)
    # The same policy tests as the gate's, over the whole audit.
    failed = False
    if fail_under is not None or fail_on is not None:
        from esg_audit.gate import below_minimum, blocking_findings  # only these options need it
    if fail_under is not None:
        failed |= bool(below_minimum(grades, fail_under).any())
    if fail_on is not None:
        failed |= bool(blocking_findings(result.findings, fail_on).any())
    ctx.exit(1 if failed else 0)


def parse_formats(formats: str) -> tuple[str, ...]:
    wanted = tuple(dict.fromkeys(f.strip().lower() for f in formats.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ConfigError(
            f"--format: unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return wanted


def _unrecognised_hint(data: AuditData) -> str:
    """'; 3 columns not recognised: …' when some input columns were kept unexplained."""
    n = len(data.unrecognised_columns)
    if not n:
        return ""
    return (f"; {_count(n, 'column')} not recognised: see the notes or esg-audit inspect, "
            f"and map {'it' if n == 1 else 'them'} with --columns FILE")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"

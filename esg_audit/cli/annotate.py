"""`esg-audit annotate`: one feedback workbook per returned file, for the supplier."""

from __future__ import annotations

from pathlib import Path

import click

from esg_audit.cli.options import audit_options, audit_request, progress_reporter


@click.command()
@audit_options
@click.option("--out", "out", required=True,
              help="Folder for the feedback workbooks (<input name>.feedback.xlsx).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the feedback: English or simplified Chinese.")
def annotate(out: str, lang: str, **options: object) -> None:
    """Audit supplier files as `check` does and write, for each file, a copy that marks the
    cells to fix with a first sheet listing that file's findings."""
    from esg_audit.feedback import annotate as write_feedback
    from esg_audit.feedback import feedback_paths
    from esg_audit.load.discover import input_files
    from esg_audit.pipeline import run_audit

    request = audit_request(**options)  # type: ignore[arg-type]
    feedback_paths(input_files(request.inputs), Path(out))  # refused before the audit runs
    result = run_audit(request, progress_reporter())
    written = write_feedback(result, out, lang=lang, max_unpacked_mb=request.max_unpacked_mb)
    click.echo(
        f"annotated {len(written)} file{'s' if len(written) != 1 else ''} "
        f"({len(result.findings)} findings, {len(result.data.data_issues)} data issues) "
        f"into {out}",
        err=True,
    )

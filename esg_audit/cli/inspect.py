"""`esg-audit inspect`: what esg-audit read from the inputs, before any rule runs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from esg_audit.cli.options import audit_request, input_options, progress_reporter
from esg_audit.errors import ConfigError


@click.command()
@input_options
@click.option("--out", "out", default=None, type=click.Path(),
              help="Also write the normalised tables as CSV into this folder, one per sheet, "
                   "with the source file, sheet and row of every row.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools instead of text.")
def inspect(out: str | None, as_json: bool, **options: object) -> None:
    """Show how the inputs are read: per file and sheet, the header row, each header and the
    field it fills, columns not recognised, rows read and kept, and the data issues.
    Runs no rule."""
    from esg_audit.inspection import inspect_inputs
    from esg_audit.pipeline import read_inputs
    from esg_audit.reports.inspection import (
        inspection_json,
        inspection_text,
        write_inspection_tables,
    )

    request = audit_request(**options)  # type: ignore[arg-type]
    out_dir = Path(out) if out is not None else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out: {out_dir} is a file, not a folder")
    _, data = read_inputs(request, progress_reporter())
    inspection = inspect_inputs(data)
    if as_json:
        click.echo(json.dumps(inspection_json(inspection), ensure_ascii=False, indent=2))
    else:
        click.echo(inspection_text(inspection), nl=False)
    if out_dir is not None:
        try:
            written = write_inspection_tables(inspection, out_dir)
        except OSError as error:
            raise ConfigError(
                f"--out: cannot write into {out_dir}: {error.strerror or error}") from None
        click.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)

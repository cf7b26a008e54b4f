"""`esg-audit diff`: what changed between two audits, from their report.json files."""

from __future__ import annotations

from pathlib import Path

import click

from esg_audit.cli.options import debug_option
from esg_audit.errors import ConfigError


@click.command()
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@click.option(
    "--out",
    "out",
    default=None,
    help="Also write diff.xlsx and diff.json into this folder (created if missing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON on stdout.")
@debug_option
def diff(old: str, new: str, out: str | None, as_json: bool) -> None:
    """Compare two report.json files: new, resolved and changed findings, grade changes,
    suppliers added and removed."""
    from esg_audit.reports.diff import compare_files, diff_json_text, format_text, write_diff

    out_dir = None if out is None else Path(out)
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out: {out} is a file, not a folder")
    changes = compare_files(old, new)
    old_as_of, new_as_of = changes.old.as_of, changes.new.as_of
    if old_as_of and new_as_of and new_as_of < old_as_of:
        click.echo(
            f"note: {new} (as of {new_as_of}) is older than {old} (as of {old_as_of}); "
            "give the older report first",
            err=True,
        )
    click.echo(diff_json_text(changes) if as_json else format_text(changes), nl=False)
    if out_dir is not None:
        try:
            written = write_diff(changes, out_dir)
        except OSError as error:
            raise ConfigError(f"--out: cannot write into {out}: {error.strerror or error}") from None
        click.echo(f"wrote {', '.join(str(p) for p in written)}", err=True)

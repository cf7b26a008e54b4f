"""`esg-audit diff`: what changed between two audits, from their report.json files or from two
runs recorded in a history store."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from esg_audit.cli.history import HISTORY_HELP
from esg_audit.cli.options import IsoDate, debug_option
from esg_audit.errors import ConfigError

if TYPE_CHECKING:
    from esg_audit.reports.diff import ReportDiff


@click.command()
@click.argument("old", metavar="OLD.json", required=False)
@click.argument("new", metavar="NEW.json", required=False)
@click.option("--history", "history", metavar="URL", default=None,
              help=f"Compare two runs recorded in this store instead of two files. {HISTORY_HELP}")
@click.option("--from", "from_as_of", type=IsoDate(), default=None,
              help="With --history: the older run's as-of (default: the run before --to).")
@click.option("--to", "to_as_of", type=IsoDate(), default=None,
              help="With --history: the newer run's as-of (default: the last run).")
@click.option(
    "--out",
    "out",
    default=None,
    help="Also write diff.xlsx and diff.json into this folder (created if missing).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON on stdout.")
@debug_option
def diff(old: str | None, new: str | None, history: str | None, from_as_of: date | None,
         to_as_of: date | None, out: str | None, as_json: bool) -> None:
    """Compare two report.json files (or, with --history, two recorded runs): new, resolved and
    changed findings, grade changes, suppliers added and removed."""
    from esg_audit.reports.diff import compare_files, diff_json_text, format_text, write_diff

    out_dir = None if out is None else Path(out)
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out: {out} is a file, not a folder")
    if history is not None:
        if old is not None:
            raise click.UsageError("give either two report.json files or --history, not both")
        changes = _from_history(history, from_as_of, to_as_of)
    else:
        if old is None or new is None:
            raise click.UsageError("give two report.json files (OLD.json NEW.json) or --history")
        if from_as_of is not None or to_as_of is not None:
            raise click.UsageError("--from and --to need --history")
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


def _from_history(location: str, from_as_of: date | None, to_as_of: date | None) -> ReportDiff:
    """The two runs to compare: --to (default the last run) and --from (default the run
    recorded before --to)."""
    from esg_audit.history import open_store, query
    from esg_audit.history.record import previous_run_id
    from esg_audit.reports.diff import diff_reports

    store = open_store(location, create=False)
    try:
        with store.begin() as connection:
            recorded = query.runs(connection)
            if len(recorded) < 2 and (from_as_of is None or to_as_of is None):
                raise ConfigError(
                    f"--history: {store.name} holds {len(recorded)} run"
                    f"{'' if len(recorded) == 1 else 's'}; a diff needs two"
                )
            to_run = (query.run_for(connection, to_as_of) if to_as_of is not None
                      else int(recorded["run_id"].iloc[-1]))
            if from_as_of is not None:
                from_run = query.run_for(connection, from_as_of)
            else:
                to_date = recorded.loc[recorded["run_id"] == to_run, "as_of"].iloc[0]
                found = previous_run_id(connection, to_date)
                if found is None:
                    raise ConfigError(
                        f"--history: no run before {to_date.isoformat()} in {store.name}")
                from_run = found
            old = query.run_report(connection, from_run, store.name)
            new = query.run_report(connection, to_run, store.name)
    finally:
        store.close()
    return diff_reports(old, new)

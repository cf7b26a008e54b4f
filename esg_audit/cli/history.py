"""`esg-audit history`: the recorded runs, a supplier's grade path, a rule's pass rate; and the
`--history` option of `check` and `gate`, which records the run in the store."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from esg_audit.cli.options import debug_option

if TYPE_CHECKING:
    import pandas as pd

    from esg_audit.history import RunRows, Store
    from esg_audit.model import AuditResult

HISTORY_HELP = (
    "History store: a SQLite file (created if missing) or an SQLAlchemy URL such as "
    "postgresql://user@host/db."
)


def history_option(f: Any) -> Any:
    """`--history URL` for the commands that run an audit."""
    return click.option("--history", "history", metavar="URL", default=None,
                        help=f"Record this run in the audit history. {HISTORY_HELP}")(f)


def open_history(location: str | None) -> Store | None:
    """Open (creating or upgrading) the store before the audit runs, so a bad URL fails fast."""
    if location is None:
        return None
    from esg_audit.history import open_store

    return open_store(location)


def with_history(store: Store | None, result: AuditResult) -> tuple[AuditResult, RunRows | None]:
    """The result with its trend against the store, and its rows for recording."""
    if store is None:
        return result, None
    from esg_audit.history import rows_from_result, with_trend

    rows = rows_from_result(result)
    return with_trend(store, result, rows), rows


def record_history(store: Store | None, rows: RunRows | None) -> None:
    """Record the run and say so on stderr."""
    if store is None or rows is None:
        return
    from esg_audit.history import record_run

    try:
        recorded = record_run(store, rows)
    finally:
        store.close()
    if recorded.created:
        click.echo(f"recorded run {recorded.run_id} in {store.name}", err=True)
    else:
        click.echo(
            f"run already recorded as run {recorded.run_id} in {store.name} "
            "(same as-of, inputs, rules and waivers); not stored again",
            err=True,
        )


@click.command()
@click.argument("suppliers", nargs=-1, metavar="[SUPPLIER]...")
@click.option("--history", "history", metavar="URL", required=True, help=HISTORY_HELP)
@click.option("--rule", "rule_id", metavar="ID", default=None,
              help="Show this rule's pass rate per run (with SUPPLIER: its status per run).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format on stdout.")
@debug_option
def history(suppliers: tuple[str, ...], history: str, rule_id: str | None, fmt: str) -> None:
    """Show the audit history: the recorded runs; with SUPPLIER, each one's score and grade per
    run; with --rule, the rule's pass rate per run."""
    from esg_audit.history import open_store, query

    store = open_store(history, create=False)
    try:
        with store.begin() as connection:
            if suppliers and rule_id:
                frame = query.supplier_rule_history(connection, list(suppliers), rule_id)
            elif suppliers:
                frame = query.supplier_history(connection, list(suppliers))
            elif rule_id:
                frame = query.rule_history(connection, rule_id)
            else:
                frame = query.runs(connection)
    finally:
        store.close()
    click.echo(render(frame, fmt), nl=False)


def render(frame: pd.DataFrame, fmt: str) -> str:
    records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    columns = [str(c) for c in frame.columns]
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_csv_cell(r[c]) for c in columns] for r in records])
        return buffer.getvalue()
    cells = [[_table_cell(c, r[c]) for c in columns] for r in records]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
              for row in cells]
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, NaN and NA as None, numpy scalars as Python ones."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # Neutralise text a spreadsheet would run as a formula.
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


def _table_cell(column: str, value: Any) -> str:
    if value is None:
        return "–"
    if column == "pass_rate":
        return f"{value * 100:.1f}%"
    if column in ("score", "points", "max_points") and isinstance(value, float):
        return f"{value:.1f}"
    return str(value).replace("\n", " ")

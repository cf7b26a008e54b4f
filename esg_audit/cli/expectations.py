"""`esg-audit expectations`: the input contract as Great Expectations suites."""

from __future__ import annotations

from datetime import date

import click

from esg_audit.cli.options import IsoDate, debug_option
from esg_audit.errors import ConfigError


@click.group()
def expectations() -> None:
    """Great Expectations suites of the input contract (needs esg-audit[gx])."""


@expectations.command("export")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
              help="Rule file or folder whose declared fields join the Suppliers suite. "
              "Default: the shipped packs.")
@click.option("--out", "out", type=click.Path(file_okay=False), default="expectations", show_default=True,
              help="Folder to write one suite JSON per sheet into (created if missing).")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Date whose year bounds the valid years (year + 1). Default: today.")
@debug_option
def export(rules: tuple[str, ...], out: str, as_of: date | None) -> None:
    """Write the input contract (canonical columns, types, ranges, allowed values, unique keys,
    required columns) as one ExpectationSuite JSON per sheet."""
    from esg_audit.gx_adapter import GxMissing
    from esg_audit.rules import default_rules_path, load_rules
    from esg_audit.schema.expectations import export_suites

    ruleset = load_rules(rules or (str(default_rules_path()),))
    try:
        paths = export_suites(out, as_of or date.today(), ruleset.declared)
    except GxMissing as error:
        raise ConfigError(str(error)) from None
    except OSError as error:
        raise ConfigError(f"cannot write the suites into {out}: {error.strerror or error}") from None
    for path in paths:
        click.echo(f"wrote {path}", err=True)

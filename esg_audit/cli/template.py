"""`esg-audit template`: the data-collection workbook to send suppliers."""

from __future__ import annotations

from pathlib import Path

import click

from esg_audit.cli.options import debug_option
from esg_audit.errors import ConfigError


@click.command()
@click.argument("out", type=click.Path(dir_okay=False), default="supplier_template.xlsx")
@click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(exists=True),
    help="Rule file or folder whose declared fields become extra Suppliers columns. "
    "Default: the shipped packs.",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the headers, instructions and choices: English or simplified "
              "Chinese (both read back by check).")
@debug_option
def template(out: str, rules: tuple[str, ...], lang: str) -> None:
    """Write a supplier data-collection workbook that `check` reads back as it is."""
    from esg_audit.rules import default_rules_path, load_rules
    from esg_audit.template import write_template  # openpyxl is loaded only when needed

    ruleset = load_rules(rules or (str(default_rules_path()),))
    target = Path(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # like `check --out`
        path = write_template(target, ruleset.fields, ruleset.declared, lang=lang)
    except OSError as error:
        raise ConfigError(f"cannot write the template {out}: {error.strerror or error}") from None
    click.echo(f"wrote {path}", err=True)

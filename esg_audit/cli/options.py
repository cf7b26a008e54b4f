"""Options shared by the commands that read inputs (`check`, `gate`, `inspect`)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from esg_audit.limits import DATE_RANGE, FIRST_DATE, LAST_DATE
from esg_audit.model import SCORED_GRADES, SEVERITIES

if TYPE_CHECKING:
    from esg_audit.pipeline import AuditRequest

DEBUG_KEY = "esg_audit.debug"


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[DEBUG_KEY] = True
    return value


def debug_option(f: Any) -> Any:
    """`--debug` on the group and on each command: show tracebacks instead of one-line errors."""
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="Show the full traceback of an error.",
    )(f)


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)
        if not FIRST_DATE <= day <= LAST_DATE:
            self.fail(f"{value!r} is outside the dates an audit can use, {DATE_RANGE}", param, ctx)
        return day


_WAIVERS = click.option(
    "--waivers",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file of approved waivers (supplier_id, rule_id, reason, approved_by, expires).",
)


def audit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Inputs and settings of an audit, in the order `--help` shows them."""
    return _with_options(f, waivers=True)


def input_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options that shape how inputs are read (`inspect`): an audit's, without waivers."""
    return _with_options(f, waivers=False)


def _with_options(f: Callable[..., Any], waivers: bool) -> Callable[..., Any]:
    decorators = [
        debug_option,
        click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True)),
        click.option(
            "--rules",
            "rules",
            multiple=True,
            type=click.Path(exists=True),
            help="Rule file or folder (repeatable). Default: the shipped packs.",
        ),
        click.option(
            "--as-of",
            type=IsoDate(),
            default=None,
            help="Audit date, YYYY-MM-DD. Default: today.",
        ),
        click.option(
            "--columns",
            type=click.Path(exists=True, dir_okay=False),
            help="YAML mapping of extra column headers to canonical fields.",
        ),
        _WAIVERS,
        click.option(
            "--date-format",
            type=click.Choice(["day-first", "month-first"]),
            default=None,
            help="How to read slashed dates such as 03/04/2026 that are valid both ways.",
        ),
        click.option(
            "--max-unpacked-mb",
            type=click.IntRange(min=1),
            default=1024,
            show_default=True,
            help="Refuse a workbook that unpacks past this size.",
        ),
    ]
    if not waivers:
        decorators = [d for d in decorators if d is not _WAIVERS]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def audit_request(
    inputs: tuple[str, ...],
    rules: tuple[str, ...],
    as_of: date | None,
    columns: str | None,
    date_format: str | None,
    max_unpacked_mb: int,
    waivers: str | None = None,
) -> AuditRequest:
    from esg_audit.pipeline import AuditRequest

    return AuditRequest(
        inputs=tuple(inputs),
        as_of=as_of or date.today(),
        rules=tuple(rules),
        columns=columns,
        waivers=waivers,
        date_format=date_format,
        max_unpacked_mb=max_unpacked_mb,
        command=shlex.join(["esg-audit", *sys.argv[1:]]),
    )


def progress_reporter() -> Callable[[str], None]:
    """Stage names on stderr when it is a terminal; nothing when piped or redirected."""
    if not sys.stderr.isatty():
        return lambda stage: None
    return lambda stage: click.echo(f"esg-audit: {stage}…", err=True)


severity_choice = click.Choice(SEVERITIES, case_sensitive=False)
grade_choice = click.Choice(SCORED_GRADES, case_sensitive=False)

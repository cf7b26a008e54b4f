"""The `esg-audit` command: a click group whose subcommands each make one pipeline call.

Exit codes for every command: 0 done and nothing failed the policy, 1 done and the policy
failed, 2 usage, configuration or input error. `EsgAuditError` becomes one line on stderr;
any other exception is a bug and shows its traceback only under `--debug`. Warnings (numpy's
overflow in a sum, pandas' future changes) are the developers' business: a user sees them only
under `--debug`.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

import click

from esg_audit import __version__
from esg_audit.cli.options import DEBUG_KEY, debug_option
from esg_audit.errors import EsgAuditError


class AuditGroup(click.Group):
    """Maps errors to exit codes in one place, for every subcommand."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            # Only how a warning is shown changes, not which are raised: the test suite still
            # turns every warning into an error.
            warnings.showwarning = _shown_under_debug(ctx, warnings.showwarning)
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EsgAuditError as error:
            if ctx.meta.get(DEBUG_KEY):
                raise
            click.echo(f"error: {error}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader of our output went away (`esg-audit rules list | head`): what it read
            # was right, and there is nobody left to tell anything. Python would report the
            # failed flush of stdout at exit, so stdout is pointed at /dev/null first.
            _silence_stdout()
            ctx.exit(0)
        except Exception as error:  # a bug: one line, unless the user asked for the traceback
            if ctx.meta.get(DEBUG_KEY):
                raise
            click.echo(
                f"error: internal error: {type(error).__name__}: {error} "
                "(run again with --debug for the traceback)",
                err=True,
            )
            ctx.exit(2)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (e.g. captured in tests)
        pass
    finally:
        os.close(devnull)


def _shown_under_debug(ctx: click.Context, show: Any) -> Any:
    """`show` (warnings.showwarning), called only when `--debug` was given."""

    def shown(*args: Any, **kwargs: Any) -> None:
        if ctx.meta.get(DEBUG_KEY):
            show(*args, **kwargs)

    return shown


@click.group(cls=AuditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="esg-audit")
@debug_option
def cli() -> None:
    """Audit supplier spreadsheets against declarative ESG rule files."""


def _register() -> None:
    # The one list of subcommands.
    from esg_audit.cli.annotate import annotate
    from esg_audit.cli.check import check
    from esg_audit.cli.diff import diff
    from esg_audit.cli.expectations import expectations
    from esg_audit.cli.gate import gate
    from esg_audit.cli.history import history
    from esg_audit.cli.inspect import inspect
    from esg_audit.cli.rules import rules
    from esg_audit.cli.template import template

    for command in (check, gate, inspect, diff, history, rules, template, expectations, annotate):
        cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="esg-audit")


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
from collections.abc import Iterator, MutableMapping
from importlib import import_module
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


# The one list of subcommands, in the order `esg-audit --help` lists them: each is the function
# of that name in esg_audit.cli.<name>.
COMMANDS: tuple[str, ...] = (
    "annotate", "check", "diff", "expectations", "gate", "history", "inspect", "rules", "template",
)


class Commands(MutableMapping[str, click.Command]):
    """The group's subcommands by name, each command's module imported when the command is first
    looked up (to run it, show its help, or list them all), so that a command starts without the
    other commands' modules."""

    def __init__(self, names: tuple[str, ...]):
        self._names = list(names)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._names:
                raise KeyError(name)
            self._loaded[name] = getattr(import_module(f"esg_audit.cli.{name}"), name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


@click.group(cls=AuditGroup, commands=Commands(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="esg-audit")
@debug_option
def cli() -> None:
    """Audit supplier spreadsheets against declarative ESG rule files."""


def main() -> None:
    # esg-audit does no linear algebra, but numpy's OpenBLAS starts a thread per further core
    # when numpy is imported, which only spins: about 0.05 s of CPU taken from every run (and
    # from whatever else runs on a busy machine). A setting of the user's own is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    keep_freed_memory()
    cli(prog_name="esg-audit")


# glibc's mallopt parameters, and what the command keeps: up to 1 GiB freed at the top of the
# heap, and blocks up to 1 GiB allocated from the heap rather than mapped on their own.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_BYTES = 1 << 30


def keep_freed_memory() -> bool:
    """Keep the memory an audit frees in the process, for the arrays it allocates next.

    By default glibc gives every large block (a column of 100,000 suppliers, a grid of their
    results) back to the operating system when it is freed, and maps the next one afresh, so
    each of its pages is faulted in and zeroed again. A run of a command is short and its peak
    is what it needs anyway, so freed memory is kept for reuse: at 100,000 suppliers about
    110,000 fewer page faults and 0.6-1 s less time in the kernel, for about 85 MB more peak
    memory. Only the command line does this (a program that imports esg-audit keeps its own
    allocator settings), only on glibc, and not where the user has set glibc's own
    MALLOC_MMAP_THRESHOLD_ or MALLOC_TRIM_THRESHOLD_. Returns whether the setting was made.
    """
    if {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"} & os.environ.keys():
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
    except (AttributeError, ValueError, OSError):  # not glibc, or no confstr at all
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, _KEEP_BYTES))


"""One exception hierarchy. Each error that stops an audit knows where it happened.

The CLI turns any `EsgAuditError` into one line on stderr (`error: <location>: <message>`)
and exit code 2; anything else is a bug and keeps its traceback under `--debug`.
"""

from __future__ import annotations

import re

from esg_audit.model import Location

# Characters that would break the one line an error is shown on, or act on the terminal: line
# breaks of every kind and other control characters, shown escaped (a header or key quoted in
# a message may hold them).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and control characters escaped as Python writes them (\\n, \\x07)."""
    return _UNPRINTABLE.sub(lambda found: repr(found.group())[1:-1], text)


class EsgAuditError(Exception):
    """A problem with the user's input or configuration that makes the audit meaningless."""

    def __init__(self, message: str, location: Location | None = None):
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class InputFileError(EsgAuditError):
    """An input workbook or CSV cannot be audited: unreadable, hostile, or lacking what is required."""


class HostileInputError(InputFileError):
    """A workbook that is a bomb, encrypted, or otherwise refused before it is expanded."""


class RuleFileError(EsgAuditError):
    """A rule file is invalid. `location` carries the file, the line and, where known, the rule id."""


class RuleFileErrors(RuleFileError):
    """Several rule-file errors found in one pass (`rules lint` reports them all)."""

    def __init__(self, errors: list[RuleFileError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, first.location)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ConfigError(EsgAuditError):
    """A column mapping, waiver file or command-line option is invalid."""

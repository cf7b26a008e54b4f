"""The limits of SPEC §4, in one place, so that no file or option can crash or fool an audit.

Each is enforced where the value enters: the YAML reader, rule parsing, the expression
language and the command-line options. This module imports nothing, so any of them may use it.
"""

from __future__ import annotations

from datetime import date

# Rule, waiver and column files.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NESTING = 100
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add by repeating anchored content

# Numbers in rule files.
LARGEST_NUMBER = 1.7976931348623157e308  # the largest 64-bit float
MAX_WEIGHT = 1000.0  # a rule's weight, and a pillar's
MAX_COUNT = 1000  # years, min_suppliers, warn_within_days

# Dates: date literals, dates in rule files, --as-of, and the results of date arithmetic.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
DATE_RANGE = f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"

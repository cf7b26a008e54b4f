"""Stage 2, normalise: headers, aliases, units, percents, dates, booleans, standards."""

from __future__ import annotations

from esg_audit.normalise.column_map import ColumnMap, load_column_map
from esg_audit.normalise.normalised import (
    NormalisedInputs,
    NormalisedSheet,
    PlacedIssue,
    SheetSource,
    SourceColumn,
)
from esg_audit.normalise.stage import normalise
from esg_audit.normalise.standards import normalise_standard

__all__ = [
    "ColumnMap",
    "NormalisedInputs",
    "NormalisedSheet",
    "PlacedIssue",
    "SheetSource",
    "SourceColumn",
    "load_column_map",
    "normalise",
    "normalise_standard",
]

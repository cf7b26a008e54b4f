"""Stage 2, normalise: headers, aliases, units, percents, dates, booleans, standards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from esg_audit.model import LoadedInputs


@dataclass(frozen=True)
class ColumnMap:
    """A user's `--columns` file: per sheet ("*" for all), header as written -> canonical field."""

    by_sheet: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None  # "day-first" | "month-first"


def load_column_map(path: str) -> ColumnMap:
    raise NotImplementedError


def normalise(
    loaded: LoadedInputs,
    *,
    column_map: ColumnMap | None,
    extra_fields: Mapping[str, str],
    as_of: date,
    date_format: str | None = None,
) -> Any:
    raise NotImplementedError

"""What `normalise` hands to `validate`: typed, merged sheets with the provenance of every cell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from esg_audit.model import DataIssue, InputFile, Note, SheetReading
from esg_audit.normalise.cells import cell_text


@dataclass(frozen=True)
class SourceColumn:
    """Where a field's values came from in one raw sheet."""

    header: str  # as written
    position: int  # column number in the raw sheet: data issues sort by it
    cells: pd.Series  # the raw cells, index = Excel row


@dataclass(frozen=True)
class SheetSource:
    """One raw sheet that fed a normalised sheet: its columns by field name."""

    file: str
    sheet: str  # as written
    order: int  # position of the sheet among all inputs: data issues sort by it
    columns: Mapping[str, SourceColumn]

    def original(self, field: str, row: int) -> str | None:
        """The original cell of `field` at Excel `row`, as text."""
        return cell_text(self.columns[field].cells.at[row])


@dataclass(frozen=True)
class PlacedIssue:
    """A data issue with its sort position: sheet order, Excel row, column number (-1: row)."""

    order: int
    row: int
    position: int
    issue: DataIssue

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.order, self.row, self.position)


@dataclass(frozen=True)
class NormalisedSheet:
    """One canonical sheet, every input's rows merged in input order.

    `frame` has a RangeIndex, canonical columns (always all of them, typed), extra columns,
    and `_file`, `_sheet`, `_row`. `sources` is keyed by (file, sheet as written).
    """

    frame: pd.DataFrame
    sources: Mapping[tuple[str, str], SheetSource]


@dataclass(frozen=True)
class NormalisedInputs:
    """Stage 2's result: typed sheets, not yet range-checked, de-duplicated or joined.

    A sheet is None when no input has it. Rows without a `supplier_id` are already removed
    (and listed in `issues`); `supplier_rows` counts every non-blank Suppliers row.
    """

    suppliers: NormalisedSheet
    certificates: NormalisedSheet | None
    emissions: NormalisedSheet | None
    materials: NormalisedSheet | None
    inputs: tuple[InputFile, ...]
    issues: tuple[PlacedIssue, ...]
    notes: tuple[Note, ...]
    supplier_rows: int
    readings: tuple[SheetReading, ...] = ()  # how each input sheet was read, in input order
    cbam_goods: NormalisedSheet | None = None

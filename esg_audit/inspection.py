"""inspect_inputs(): what esg-audit read, per input sheet, counted from the validated data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from esg_audit.load.cbam import sheet_reference
from esg_audit.model import AuditData, InputsInspection, SheetInspection, SheetReading
from esg_audit.reports.cells import column_letter

# The tables whose rows `inspect --out` writes with the source cell of every value.
CELL_TABLES = ("CBAM Goods",)


def inspect_inputs(data: AuditData) -> InputsInspection:
    """Per input sheet (input order): its reading, rows kept for the audit, rows with data
    issues, its notes and data issues. Counts come from whole columns, never row by row."""
    tables = data.tables()
    # Keyed by the table too: one template sheet yields both Suppliers and CBAM Goods rows.
    kept: Counter[tuple[str, str, str]] = Counter()
    for table, frame in tables.items():
        if len(frame):
            sizes = frame.groupby(["_file", "_sheet"], sort=False, observed=True).size()
            for file, sheet, n in zip(sizes.index.get_level_values("_file"),
                                      sizes.index.get_level_values("_sheet"),
                                      sizes.to_numpy(), strict=True):
                kept[(table, str(file), str(sheet))] += int(n)
    issue_rows = {(i.file, i.sheet, i.row) for i in data.data_issues if i.row is not None}
    with_issues = Counter((file, sheet) for file, sheet, _ in issue_rows)
    sheets = tuple(
        SheetInspection(
            reading,
            kept[(reading.kind, reading.file, reading.sheet)],
            with_issues[(reading.file, reading.sheet)],
            tuple(n for n in data.notes if (n.file, n.sheet) == (reading.file, reading.sheet)),
            tuple(i for i in data.data_issues
                  if (i.file, i.sheet) == (reading.file, reading.sheet)),
        )
        for reading in data.readings
    )
    cells = {table: source_cells(tables[table], table, data.readings)
             for table in CELL_TABLES if table in tables}
    return InputsInspection(data.inputs, sheets, tables, len(data.unrecognised_columns), cells)


def source_cells(frame: pd.DataFrame, table: str, readings: Sequence[SheetReading]
                 ) -> pd.DataFrame:
    """The source cell of every value of a validated table: one column per field, same index.

    A form's rows (an EU CBAM template) take the cell each value was read from; a workbook
    sheet's rows take the cell at the row's Excel row and the field's column; a CSV's rows
    and fields read from no cell have none. Built per input sheet, never row by row.
    """
    fields = [str(c) for c in frame.columns if not str(c).startswith("_")]
    cells = {name: np.full(len(frame), None, dtype=object) for name in fields}
    if len(frame):
        files = frame["_file"].astype(str).to_numpy(dtype=object)
        sheets = frame["_sheet"].astype(str).to_numpy(dtype=object)
        rows = frame["_row"].to_numpy(dtype=np.int64)
        for reading in readings:
            if reading.kind != table:
                continue
            here = (files == reading.file) & (sheets == reading.sheet)
            if not here.any():
                continue
            at = rows[here]
            # A field read from two columns took its values from the first.
            columns = {c.field: c.position for c in reversed(reading.columns) if c.field in cells}
            if reading.cell_refs is not None:
                refs = reading.cell_refs.reindex(pd.Index(at))
                for name, position in columns.items():
                    if position in refs.columns:
                        cells[name][here] = refs[position].to_numpy(dtype=object)
            elif reading.first_column is not None:
                prefix = sheet_reference(reading.sheet) + "!"
                numbers = at.astype(str).astype(object)
                for name, position in columns.items():
                    letters = column_letter(reading.first_column + position)
                    cells[name][here] = prefix + letters + numbers
    return pd.DataFrame({name: pd.array(values, dtype="string") for name, values in cells.items()},
                        index=frame.index)

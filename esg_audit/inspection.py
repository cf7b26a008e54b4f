"""inspect_inputs(): what esg-audit read, per input sheet, counted from the validated data."""

from __future__ import annotations

from collections import Counter

from esg_audit.model import AuditData, InputsInspection, SheetInspection


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
    return InputsInspection(data.inputs, sheets, tables, len(data.unrecognised_columns))

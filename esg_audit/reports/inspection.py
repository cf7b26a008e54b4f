"""`esg-audit inspect` output: what was read, as text for a person, JSON for tools, and the
validated tables as CSV (one per sheet, with the source file, sheet and row of every row; the
CBAM Goods rows also with the source cell of every value).

Generic over sheets: every table the inspection holds is written, whatever its name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from esg_audit.model import DataIssue, InputsInspection, Note, SheetInspection
from esg_audit.reports.atomic import atomic_text
from esg_audit.reports.cells import neutralise_for_csv

BOM = "\ufeff"
SOURCE_COLUMNS = {"_file": "source_file", "_sheet": "source_sheet", "_row": "source_row"}
CELL_SUFFIX = "_cell"  # `see_direct_cell`: the source cell of `see_direct`
_MAPPED = ("canonical", "alias", "mapping", "declared")


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _how(column: Any) -> str:
    parts = [column.matched_by if column.matched_by in _MAPPED else column.matched_by.upper()]
    if column.conversion:
        parts.append(column.conversion)
    elif column.unit:
        parts.append(f"unit {column.unit}")
    if column.share:
        parts.append(column.share)
    return "; ".join(parts)


def _sheet_text(sheet: SheetInspection) -> list[str]:
    reading = sheet.reading
    title = f"{reading.file}, sheet '{reading.sheet}'"
    if reading.sheet != reading.kind:
        title += f" (read as {reading.kind})"
    if reading.header_row is None:
        return [title, "  empty: no header row, nothing read", ""]
    lines = [
        title,
        f"  header row {reading.header_row}; {_plural(reading.rows, 'row')} read, "
        f"{sheet.rows_kept:,} kept, {sheet.rows_with_issues:,} with data issues",
    ]
    width = max((len(c.header) for c in reading.columns), default=0)
    field_width = max((len(c.field) for c in reading.columns), default=0)
    for column in reading.columns:
        header = column.header or f"(column {column.position + 1}, no header)"
        lines.append(f"  {header:<{width}}  -> {column.field:<{field_width}}  ({_how(column)})")
    unrecognised = [c for c in reading.columns if c.matched_by == "not recognised"]
    if unrecognised:
        names = ", ".join(f"'{c.header}'" for c in unrecognised if c.header)
        lines.append(f"  {_plural(len(unrecognised), 'column')} not recognised{': ' if names else ''}"
                     f"{names}; map with --columns, e.g. columns: {{{reading.kind}: "
                     f"{{'{unrecognised[0].header or 'header'}': <field>}}}}")
    if sheet.notes:
        lines.append("  notes:")
        lines += [f"    {n.column + ': ' if n.column else ''}{n.note}" for n in sheet.notes]
    if sheet.data_issues:
        lines.append(f"  data issues ({len(sheet.data_issues):,}):")
        lines += [f"    {_issue_text(i)}" for i in sheet.data_issues]
    lines.append("")
    return lines


def _issue_text(issue: DataIssue) -> str:
    where = f"row {issue.row}" if issue.row is not None else "sheet"
    if issue.column is not None:
        where += f", column '{issue.column}'"
    value = f" = '{issue.value}'" if issue.value is not None else ""
    return f"{where}{value}: {issue.problem}"


def inspection_text(inspection: InputsInspection) -> str:
    """The inspection for a person: per sheet, header row, columns, counts, notes, issues."""
    lines: list[str] = []
    for sheet in inspection.sheets:
        lines += _sheet_text(sheet)
    issues = sum(len(s.data_issues) for s in inspection.sheets)
    summary = (f"{_plural(len(inspection.inputs), 'file')}, "
               f"{_plural(len(inspection.sheets), 'sheet')} read; "
               f"{_plural(issues, 'data issue')}")
    if inspection.unrecognised:
        summary += (f"; {_plural(inspection.unrecognised, 'column')} not recognised: "
                    "map with --columns FILE")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _note(note: Note) -> dict[str, Any]:
    return {"file": note.file, "sheet": note.sheet, "column": note.column, "note": note.note}


def _data_issue(issue: DataIssue) -> dict[str, Any]:
    return {"file": issue.file, "sheet": issue.sheet, "row": issue.row, "column": issue.column,
            "value": issue.value, "problem": issue.problem}


def inspection_json(inspection: InputsInspection) -> dict[str, Any]:
    """The inspection for tools (plain JSON types; `--json` prints it)."""
    return {
        "inputs": [{"path": f.path, "sha256": f.sha256, "rows": f.rows}
                   for f in inspection.inputs],
        "sheets": [{
            "file": s.reading.file,
            "sheet": s.reading.sheet,
            "read_as": s.reading.kind,
            "header_row": s.reading.header_row,
            "rows_read": s.reading.rows,
            "rows_kept": s.rows_kept,
            "rows_with_issues": s.rows_with_issues,
            "columns": [{
                "header": c.header, "position": c.position, "field": c.field,
                "matched_by": c.matched_by, "recognised": c.recognised, "unit": c.unit,
                "conversion": c.conversion, "share": c.share,
            } for c in s.reading.columns],
            "not_recognised": [c.header for c in s.reading.columns
                               if c.matched_by == "not recognised"],
            "notes": [_note(n) for n in s.notes],
            "data_issues": [_data_issue(i) for i in s.data_issues],
        } for s in inspection.sheets],
        "unrecognised_columns": inspection.unrecognised,
    }


def inspection_table(frame: pd.DataFrame, cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """A validated table as its CSV holds it: source file, sheet and row first, then every
    field; internal columns left out; text that a spreadsheet would evaluate neutralised,
    dates as YYYY-MM-DD. With `cells` (the source cell of every value), each field is
    followed by `{field}_cell`, e.g. `see_direct`, `see_direct_cell`."""
    fields = [c for c in frame.columns if not str(c).startswith("_")]
    columns: dict[str, pd.Series] = {
        SOURCE_COLUMNS[c]: frame[c] for c in SOURCE_COLUMNS if c in frame.columns}
    for name in fields:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            columns[str(name)] = values.dt.strftime("%Y-%m-%d").astype("string")
        elif pd.api.types.is_string_dtype(values) or values.dtype == object:
            columns[str(name)] = neutralise_for_csv(values)
        else:
            columns[str(name)] = values
        if cells is not None and name in cells.columns:
            columns[f"{name}{CELL_SUFFIX}"] = neutralise_for_csv(cells[name])
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


def write_inspection_tables(inspection: InputsInspection, out_dir: Path) -> list[Path]:
    """One CSV per table (`Suppliers.csv` …) and `data_issues.csv`, written atomically into
    `out_dir` (created if missing): UTF-8 with a byte-order mark, CRLF line ends."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    issues = pd.DataFrame(
        [_data_issue(i) for s in inspection.sheets for i in s.data_issues],
        columns=["file", "sheet", "row", "column", "value", "problem"],
    ).astype({"row": "Int64"})
    for column in ("file", "sheet", "column", "value", "problem"):
        issues[column] = neutralise_for_csv(issues[column])
    tables = {f"{sheet}.csv": inspection_table(frame, inspection.cells.get(sheet))
              for sheet, frame in inspection.tables.items()}
    tables["data_issues.csv"] = issues
    for name, table in tables.items():
        path = out_dir / name
        with atomic_text(path, newline="") as handle:
            handle.write(BOM)
            table.to_csv(handle, index=False, lineterminator="\r\n", na_rep="")
        written.append(path)
    return written

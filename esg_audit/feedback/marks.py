"""Where each data issue goes in the feedback copy, and what its comment says."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from esg_audit.feedback.texts import LABELS, expected_form
from esg_audit.model import AuditResult, SheetReading


@dataclass(frozen=True)
class CellMark:
    """One data issue placed on an input sheet: `header` is the column as written (None for a
    whole-row problem), `row` Excel's row (CSV: the record's line). `row_not_audited` marks the
    whole row: the row was not audited (no supplier id, a repeat, an unknown supplier)."""

    sheet: str
    row: int | None
    header: str | None
    header_row: int | None
    value: str | None
    problem: str
    expected: str
    comment: str
    row_not_audited: bool


def _audited_rows(result: AuditResult) -> pd.MultiIndex:
    data = result.data
    frames = [f[["_file", "_sheet", "_row"]] for f in
              (data.suppliers, data.certificates, data.emissions, data.materials)
              if f is not None and len(f)]
    both = pd.concat(frames, ignore_index=True).astype({"_file": str, "_sheet": str,
                                                        "_row": "int64"})
    return pd.MultiIndex.from_frame(both)


def file_marks(result: AuditResult, lang: str) -> dict[str, list[CellMark]]:
    """Per input file, its data issues as marks (in the order of the result's data issues)."""
    issues = result.data.data_issues
    if not issues:
        return {}
    readings: dict[tuple[str, str], SheetReading] = {
        (r.file, r.sheet): r for r in result.data.readings}
    audited = _audited_rows(result)
    keys = pd.MultiIndex.from_arrays([
        [i.file for i in issues], [i.sheet for i in issues],
        [-1 if i.row is None else int(i.row) for i in issues]])
    kept = keys.isin(audited)
    labels = LABELS[lang]
    # A problem that names another input names it as the supplier knows it, without the
    # auditor's folders.
    paths = sorted({i.path for i in result.data.inputs}, key=len, reverse=True)
    marks: dict[str, list[CellMark]] = {}
    for issue, is_audited in zip(issues, kept, strict=True):
        reading = readings.get((issue.file, issue.sheet))
        expected = ""
        if reading is not None and issue.column is not None:
            column = next((c for c in reading.columns if c.header == issue.column), None)
            if column is not None:
                expected = expected_form(reading.kind, column.field,
                                         result.ruleset.declared.get(column.field),
                                         result.as_of, lang)
        not_audited = issue.row is not None and not bool(is_audited)
        problem = issue.problem
        if "/" in problem or "\\" in problem:
            for path in paths:
                problem = problem.replace(path, os.path.basename(path))
        if not_audited:
            problem = labels["row_not_audited"].format(problem=problem)
        comment = (labels["comment"].format(problem=problem, expected=expected) if expected
                   else labels["comment_plain"].format(problem=problem))
        marks.setdefault(issue.file, []).append(CellMark(
            sheet=issue.sheet, row=issue.row, header=issue.column,
            header_row=reading.header_row if reading is not None else None,
            value=issue.value, problem=problem, expected=expected, comment=comment,
            row_not_audited=not_audited or issue.column is None,
        ))
    return marks

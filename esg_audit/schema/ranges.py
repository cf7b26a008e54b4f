"""Range checks of one sheet: failing cells -> data issues; each offending cell -> missing."""

from __future__ import annotations

from datetime import date

import pandas as pd

from esg_audit.fields import INVALID_STATUS
from esg_audit.model import DataIssue
from esg_audit.normalise import NormalisedSheet, PlacedIssue
from esg_audit.normalise.countries import RESERVED_HINTS
from esg_audit.schema.checks import check_sheet
from esg_audit.schema.constraints import UNKNOWN_COUNTRY


def check_ranges(
    sheet: str, normalised: NormalisedSheet, as_of: date
) -> tuple[pd.DataFrame, list[PlacedIssue]]:
    """Validate one sheet lazily; return the frame with every failing cell missing, and issues."""
    frame = normalised.frame
    failures = check_sheet(sheet, frame, as_of)
    if not failures:
        return frame, []
    frame = frame.copy()
    issues: list[PlacedIssue] = []
    files = frame["_file"].to_numpy()
    sheets = frame["_sheet"].to_numpy()
    rows = frame["_row"].to_numpy()
    for failed in failures:
        column, at = failed.column, failed.positions
        frame.loc[at, column] = pd.NA
        if sheet == "Certificates" and column == "status":
            frame[INVALID_STATUS] = frame.index.isin(at)
        for i in at:
            problem = failed.problem
            source = normalised.sources[(files[i], sheets[i])]
            origin = source.columns[str(column)]
            value = source.original(str(column), int(rows[i]))
            if problem == UNKNOWN_COUNTRY and value and value.strip().upper() in RESERVED_HINTS:
                problem = f"{UNKNOWN_COUNTRY} ({RESERVED_HINTS[value.strip().upper()]})"
            issue = DataIssue(str(files[i]), str(sheets[i]), int(rows[i]), origin.header, value,
                              str(problem))
            issues.append(PlacedIssue(source.order, int(rows[i]), origin.position, issue))
    return frame, issues

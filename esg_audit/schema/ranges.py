"""Range checks of one sheet: pandera failure cases -> data issues; each offending cell -> missing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from esg_audit.fields import INVALID_STATUS
from esg_audit.model import DataIssue
from esg_audit.normalise import NormalisedSheet, PlacedIssue
from esg_audit.normalise.countries import RESERVED_HINTS
from esg_audit.schema.models import UNKNOWN_COUNTRY, sheet_schema


def check_ranges(
    sheet: str, normalised: NormalisedSheet, as_of: date
) -> tuple[pd.DataFrame, list[PlacedIssue]]:
    """Validate one sheet lazily; return the frame with every failing cell missing, and issues."""
    frame = normalised.frame
    try:
        sheet_schema(sheet, as_of).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    else:
        return frame, []
    cell_failures = failures[failures["index"].notna()]
    if len(cell_failures) < len(failures):  # a dtype or missing column: a bug, not a data issue
        raise RuntimeError(f"normalised {sheet} does not fit its schema:\n{failures}")
    frame = frame.copy()
    issues: list[PlacedIssue] = []
    files = frame["_file"].to_numpy()
    sheets = frame["_sheet"].to_numpy()
    rows = frame["_row"].to_numpy()
    for column, group in cell_failures.groupby("column", sort=False):
        at = group["index"].astype("int64").to_numpy()
        frame.loc[at, column] = pd.NA
        if sheet == "Certificates" and column == "status":
            frame[INVALID_STATUS] = frame.index.isin(at)
        for i, problem in zip(at, group["check"], strict=True):
            source = normalised.sources[(files[i], sheets[i])]
            origin = source.columns[str(column)]
            value = source.original(str(column), int(rows[i]))
            if problem == UNKNOWN_COUNTRY and value and value.strip().upper() in RESERVED_HINTS:
                problem = f"{UNKNOWN_COUNTRY} ({RESERVED_HINTS[value.strip().upper()]})"
            issue = DataIssue(str(files[i]), str(sheets[i]), int(rows[i]), origin.header, value,
                              str(problem))
            issues.append(PlacedIssue(source.order, int(rows[i]), origin.position, issue))
    return frame, issues

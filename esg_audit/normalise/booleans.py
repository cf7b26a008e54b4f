"""Yes/no columns: yes/no, y/n, true/false, 1/0, x (blank is missing, not false), 是/否."""

from __future__ import annotations

import numpy as np
import pandas as pd

from esg_audit.normalise.cells import Cells
from esg_audit.normalise.column_read import ColumnRead, Problems
from esg_audit.normalise.numbers import marker_cells

WORDS = {
    "yes": True, "y": True, "true": True, "1": True, "x": True, "是": True,
    "no": False, "n": False, "false": False, "0": False, "否": False,
}
NOT_YES_NO = "not a yes/no value"


def read_booleans(cells: Cells, default: bool | None = None) -> ColumnRead:
    """A yes/no column as "boolean"; blank cells take `default` (None: missing)."""
    n = len(cells.raw)
    values = np.full(n, None, dtype=object)
    problems = Problems()
    if cells.is_bool.any():
        values[cells.is_bool] = cells.raw.to_numpy(dtype=object)[cells.is_bool].astype(bool)
    if cells.is_number.any():
        number = cells.number[cells.is_number]
        at = np.flatnonzero(cells.is_number)
        values[at[number == 1]] = True
        values[at[number == 0]] = False
        problems.set(at[(number != 1) & (number != 0)], NOT_YES_NO)
    problems.set(cells.is_temporal | cells.is_other, NOT_YES_NO)
    marked, markers = marker_cells(cells)
    at = np.flatnonzero(cells.is_text & ~marked)
    if len(at):  # each distinct text looked up once
        codes, uniques = cells.distinct()
        words = np.empty(len(uniques), dtype=object)
        words[:] = [WORDS.get(text.lower()) for text in uniques]
        read = words[codes[at]]
        known = read != None  # noqa: E711 - element-wise on an object array
        values[at[known]] = read[known]
        problems.set(at[~known], NOT_YES_NO)
    if default is not None:
        values[cells.blank] = default
    return ColumnRead(pd.Series(pd.array(values, dtype="boolean"), index=cells.index),
                      problems, markers)

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
    """A yes/no column as "boolean"; blank cells take `default` (None: missing). Built as
    truth values and a mask of the cells read: no Python object per cell."""
    n = len(cells.raw)
    truth = np.zeros(n, dtype=bool)
    read = np.zeros(n, dtype=bool)
    problems = Problems()
    if cells.is_bool.any():
        truth[cells.is_bool] = cells.raw.to_numpy(dtype=object)[cells.is_bool].astype(bool)
        read[cells.is_bool] = True
    if cells.is_number.any():
        number = cells.number[cells.is_number]
        at = np.flatnonzero(cells.is_number)
        truth[at[number == 1]] = True
        read[at[(number == 1) | (number == 0)]] = True
        problems.set(at[(number != 1) & (number != 0)], NOT_YES_NO)
    problems.set(cells.is_temporal | cells.is_other, NOT_YES_NO)
    marked, markers = marker_cells(cells)
    at = np.flatnonzero(cells.is_text & ~marked)
    if len(at):  # each distinct text looked up once
        codes, uniques = cells.distinct()
        words = [WORDS.get(text.lower()) for text in uniques]
        known = np.array([w is not None for w in words], dtype=bool)[codes[at]]
        said = np.array([w is True for w in words], dtype=bool)[codes[at]]
        truth[at[known]] = said[known]
        read[at[known]] = True
        problems.set(at[~known], NOT_YES_NO)
    if default is not None:
        truth[cells.blank] = default
        read[cells.blank] = True
    array = pd.arrays.BooleanArray(truth & read, ~read)
    return ColumnRead(pd.Series(array, index=cells.index), problems, markers)

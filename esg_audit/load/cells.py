"""Raw cell frames: sheet-name matching, the frame with Excel row numbers, and data-row counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from esg_audit.fields import SHEET_FIELDS, UNIT_SUFFIXES
from esg_audit.model import SHEETS

_SHEET_KEYS = {"".join(name.split()).lower(): name for name in SHEETS}
_TRAILING_UNIT = re.compile(r"\s*\([^()]*\)\s*$")
HEADER_SEARCH_ROWS = 10  # SPEC §3: the header is within the first 10 rows


def canonical_sheet(name: str) -> str:
    """The sheet of SHEETS that `name` means (case and white space ignored), or ""."""
    return _SHEET_KEYS.get("".join(name.split()).lower(), "")


def cells_frame(values: np.ndarray, rows: pd.Index) -> tuple[pd.DataFrame, np.ndarray]:
    """A 2-D object array of cells as a frame: columns 0..n-1, index `rows` (Excel's numbers).

    Empty strings become None, in place; everything else is kept as read. Also returns, per
    row, whether it holds any cell (the readers give "" for every empty cell, so the one
    comparison serves both).
    """
    empty = values == "" if values.size else np.ones(values.shape, dtype=bool)
    values[empty] = None
    frame = pd.DataFrame(
        values, index=rows, columns=pd.RangeIndex(values.shape[1]), dtype=object, copy=False
    )
    return frame, np.asarray(~empty.all(axis=1))


def text_frame(texts: Sequence[pa.Array], rows: pd.Index) -> pd.DataFrame:
    """Arrow text columns (null for an empty cell) as a frame of "string" columns: columns
    0..n-1, index `rows` (Excel's numbers). The text stays in Arrow's buffers; no Python
    object is made per cell."""
    return pd.DataFrame(
        {position: pd.arrays.ArrowStringArray(pa.chunked_array([column], type=column.type))
         for position, column in enumerate(texts)},
        index=rows, columns=pd.RangeIndex(len(texts)), copy=False,
    )


def object_array(rows: Sequence[Sequence[Any]]) -> np.ndarray:
    """Rows of equal length as a 2-D object array."""
    values = np.array(rows, dtype=object) if rows else np.empty((0, 0), dtype=object)
    if values.ndim != 2:  # ragged rows, or rows of no cells
        width = max(map(len, rows))
        values = np.empty((len(rows), width), dtype=object)
        values.fill("")
        for position, row in enumerate(rows):
            values[position, : len(row)] = row
    return values


def _header_key(text: str) -> str:
    return "".join(ch for ch in _TRAILING_UNIT.sub("", text).lower() if ch.isalnum())


def _recognised_headers() -> frozenset[str]:
    keys = set()
    for fields in SHEET_FIELDS.values():
        for field in fields:
            keys.add(_header_key(field.name))
            for suffix in UNIT_SUFFIXES:
                if field.name.endswith(suffix):
                    keys.add(_header_key(field.name[: -len(suffix)]))
    return frozenset(keys)


RECOGNISED_HEADERS = _recognised_headers()


def header_position(cells: pd.DataFrame, filled: np.ndarray | None = None) -> int | None:
    """Position (0-based, in `cells`) of the header row, or None for a sheet with no content.

    Used to count data rows at load time, before the normaliser's header detection runs:
    the first of the first 10 rows holding at least two canonical field names; failing
    that, the first holding at least two text cells; failing that, the first non-blank row.
    """
    top = cells.iloc[:HEADER_SEARCH_ROWS]
    text_rows = []
    for position, row in enumerate(top.itertuples(index=False, name=None)):
        texts = [value for value in row if isinstance(value, str)]
        if sum(_header_key(text) in RECOGNISED_HEADERS for text in texts) >= 2:
            return position
        if len(texts) >= 2:
            text_rows.append(position)
    if text_rows:
        return text_rows[0]
    if filled is None:
        filled = _filled_rows(cells)
    first = np.flatnonzero(filled)
    return int(first[0]) if first.size else None


def _filled_rows(cells: pd.DataFrame) -> np.ndarray:
    return np.asarray(cells.notna().to_numpy().any(axis=1), dtype=bool)


def data_row_count(cells: pd.DataFrame, filled: np.ndarray | None = None) -> int:
    """Non-blank rows below the header row (a row is blank when every cell is None).

    `filled` (per row: holds any cell), when the reader already knows it, saves a pass.
    """
    if filled is None:
        filled = _filled_rows(cells)
    header = header_position(cells, filled)
    if header is None:
        return 0
    return int(filled[header + 1 :].sum())

"""Row checks across sheets: repeated suppliers or supplier-years, and rows of unknown suppliers.

The first occurrence of a repeated key is audited, across files too (inputs are merged in
input order); every repeat, and every row whose supplier is not audited, is a data issue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from esg_audit.model import DataIssue
from esg_audit.normalise import NormalisedSheet, PlacedIssue

_ROW = -1  # column position of a whole-row issue: before the row's cell issues


def drop_repeats(
    frame: pd.DataFrame, normalised: NormalisedSheet, keys: list[str], what: str
) -> tuple[pd.DataFrame, list[PlacedIssue]]:
    """Remove rows repeating `keys` (rows with a missing key never repeat); list each repeat.

    With one key the issue is on the key's cell; with several it is on the whole row.
    """
    key_columns = frame[keys]
    known = key_columns.notna().all(axis=1).to_numpy()
    repeat = key_columns.duplicated(keep="first").to_numpy() & known
    if not repeat.any():
        return frame, []
    # Each repeat's first occurrence: the first known row with the same key.
    code = np.zeros(len(frame), dtype=np.int64)
    for key in keys:
        key_code, uniques = pd.factorize(key_columns[key])
        code = code * (len(uniques) + 1) + key_code + 1
    known_at = np.flatnonzero(known)
    codes, first_index = np.unique(code[known_at], return_index=True)
    repeat_at = np.flatnonzero(repeat)
    first_at = known_at[first_index[np.searchsorted(codes, code[repeat_at])]]
    files, sheets, rows = (frame[c].to_numpy() for c in ("_file", "_sheet", "_row"))
    issues = []
    for at, first in zip(repeat_at, first_at, strict=True):
        file, sheet, first_file, first_sheet = files[at], sheets[at], files[first], sheets[first]
        where = (f"row {rows[first]}" if (first_file, first_sheet) == (file, sheet)
                 else f"{first_file}, sheet '{first_sheet}', row {rows[first]}")
        problem = f"repeated {what} (first at {where})"
        issues.append(_issue(normalised, file, sheet, int(rows[at]), problem, whole_row=len(keys) > 1))
    return frame[~repeat].reset_index(drop=True), issues


def drop_orphans(
    frame: pd.DataFrame, normalised: NormalisedSheet, audited: pd.Series,
    owner: np.ndarray | None = None,
) -> tuple[pd.DataFrame, list[PlacedIssue]]:
    """Remove rows whose supplier_id is not an audited supplier; list each. `owner`: the
    position in `audited` of each row's supplier (-1 where none), when already known."""
    orphan = owner < 0 if owner is not None else ~isin(frame["supplier_id"], audited)
    if not orphan.any():
        return frame, []
    issues = [
        _issue(normalised, file, sheet, int(row), "supplier_id not in Suppliers", whole_row=False)
        for file, sheet, row in zip(frame.loc[orphan, "_file"], frame.loc[orphan, "_sheet"],
                                    frame.loc[orphan, "_row"], strict=True)
    ]
    return frame[~orphan].reset_index(drop=True), issues


def supplier_positions(audited: pd.Series, columns: list[pd.Series]) -> list[np.ndarray] | None:
    """Per column of supplier ids, the position in `audited` of each row's supplier (-1 where
    it is missing or not audited), from one hash of every id (audited first, so that an
    audited id's code is its position). None unless every column is Arrow text and the
    audited ids are present and distinct."""
    if not _arrow_text(audited) or not all(_arrow_text(c) for c in columns):
        return None
    arrays = [_arrow_array(audited)] + [_arrow_array(c) for c in columns]
    if arrays[0].null_count:
        return None
    encoded = pc.dictionary_encode(pa.concat_arrays(arrays))
    codes = np.asarray(encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False),
                       dtype=np.int64)
    n = len(audited)
    if not np.array_equal(codes[:n], np.arange(n)):
        return None  # a repeated audited id: codes are not positions
    codes[codes >= n] = -1
    ends = np.cumsum([len(a) for a in arrays])
    return [codes[start:end] for start, end in zip(ends[:-1], ends[1:], strict=True)]


def _arrow_array(series: pd.Series) -> pa.Array:
    array = pa.array(series.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string())


def isin(values: pd.Series, among: pd.Series) -> np.ndarray:
    """`values.isin(among)` as a NumPy mask. On Arrow-backed text, pandas' isin builds one
    Python object per value of `among` (seconds for a hundred thousand suppliers): Arrow's
    is_in gives the same answer (a missing value is in a set that has one) at C speed."""
    if _arrow_text(values) and _arrow_text(among):
        value_set = pa.array(among.array)
        if isinstance(value_set, pa.ChunkedArray):
            value_set = value_set.combine_chunks()
        checked = pa.array(values.array)
        found = pc.is_in(checked, value_set=value_set.cast(checked.type))
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    return values.isin(among).to_numpy(dtype=bool)


def _arrow_text(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _issue(
    normalised: NormalisedSheet, file: str, sheet: str, row: int, problem: str, whole_row: bool
) -> PlacedIssue:
    source = normalised.sources[(file, sheet)]
    if whole_row:
        return PlacedIssue(source.order, row, _ROW,
                           DataIssue(source.file, source.sheet, row, None, None, problem))
    origin = source.columns["supplier_id"]
    value = source.original("supplier_id", row)
    issue = DataIssue(source.file, source.sheet, row, origin.header, value, problem)
    return PlacedIssue(source.order, row, origin.position, issue)


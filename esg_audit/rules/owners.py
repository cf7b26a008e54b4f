"""Readings of an audit's frames that several rules share, made once per frame: which audited
supplier each row of a sheet belongs to (a hash join of the ids), and `per_frame` for any
other reading of a column (e.g. the certificates' canonical standards)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

_KEPT = 8  # pairs of frames remembered: an audit has at most four sheets besides Suppliers
_SEEN: dict[tuple[int, int], tuple[Any, Any, np.ndarray]] = {}


def owners(suppliers: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """Per row of `rows`, the position in `suppliers` of the supplier its `supplier_id` names;
    -1 where it names none (or is missing). `suppliers` holds each id once. The result is
    read-only and shared by every caller with the same two frames (which are not modified
    during an audit)."""
    key = (id(suppliers), id(rows))
    seen = _SEEN.get(key)
    if seen is not None and seen[0]() is suppliers and seen[1]() is rows:
        return seen[2]
    positions = _positions(suppliers["supplier_id"], rows["supplier_id"])
    positions.setflags(write=False)
    if len(_SEEN) >= _KEPT:
        _SEEN.clear()
    _SEEN[key] = (weakref.ref(suppliers), weakref.ref(rows), positions)
    return positions


def remember(suppliers: pd.DataFrame, rows: pd.DataFrame, positions: np.ndarray) -> None:
    """Take `positions` as `owners(suppliers, rows)` (validation found them while it looked
    for rows of unknown suppliers)."""
    key = (id(suppliers), id(rows))
    seen = _SEEN.get(key)
    if seen is not None and seen[0]() is suppliers and seen[1]() is rows:
        return
    positions = np.asarray(positions, dtype=np.int64)
    positions.setflags(write=False)
    if len(_SEEN) >= _KEPT:
        _SEEN.clear()
    _SEEN[key] = (weakref.ref(suppliers), weakref.ref(rows), positions)


def _positions(ids: pd.Series, wanted: pd.Series) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pa.array(ids.astype("str").array)
        looked = pa.array(wanted.astype("str").array)
    except (pa.ArrowException, TypeError, ValueError):
        return np.asarray(pd.Index(ids).get_indexer(wanted), dtype=np.int64)
    found = pc.index_in(looked, value_set=values, skip_nulls=True)
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


_READINGS: dict[tuple[int, str], tuple[Any, Any]] = {}


def per_frame(frame: pd.DataFrame, name: str, compute: Any) -> Any:
    """`compute(frame)`, made once per frame and `name` (frames are not modified during an
    audit); a later frame at the same address is told apart by a weak reference."""
    key = (id(frame), name)
    seen = _READINGS.get(key)
    if seen is not None and seen[0]() is frame:
        return seen[1]
    value = compute(frame)
    if len(_READINGS) >= 64:
        _READINGS.clear()
    _READINGS[key] = (weakref.ref(frame), value)
    return value


def forget() -> None:
    """Drop every remembered reading (benchmarks time a rule's reading of its sheet)."""
    _SEEN.clear()
    _READINGS.clear()

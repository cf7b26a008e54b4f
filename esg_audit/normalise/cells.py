"""Raw cells of one column sorted by kind (text, number, bool, date, other), and cells as text.

A workbook's column arrives as Arrow text ("string" columns over Arrow's buffers): it is
trimmed and split column-wise by pyarrow, and no Python object is made per cell; the readers
take the bulk of a column in Arrow (`Cells.arrow`) and make Python strings only for the few
distinct values (`Cells.distinct`) or the cells that need the slow grammar (`Cells.text_of`).
Other columns (a CSV's, a form's) hold Python objects that may mix types: `classify` splits
them once, so every parser works on whole arrays, with as few passes as it can (a per-cell
look-up only for columns that really mix types; one hashing pass for columns of a few
distinct values).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype

# In number, date and bool columns these mean "no value" (compared lower-cased and trimmed).
MISSING_MARKERS = frozenset({"n/a", "na", "n.a.", "#n/a", "-"})

_TEXT, _NUMBER, _BOOL, _TEMPORAL, _OTHER, _BLANK = range(6)
_HOMOGENEOUS = {
    "string": _TEXT,
    "floating": _NUMBER,
    "integer": _NUMBER,
    "mixed-integer-float": _NUMBER,
    "decimal": _NUMBER,
    "boolean": _BOOL,
    "datetime": _TEMPORAL,
    "date": _TEMPORAL,
    "datetime64": _TEMPORAL,
}


def _kind_of_type(kind: type) -> int:
    """The kind of a cell of Python type `kind` (NaN floats are found apart, as blank)."""
    if issubclass(kind, bool | np.bool_):
        return _BOOL
    if issubclass(kind, int | float | np.integer | np.floating):
        return _NUMBER
    if issubclass(kind, str):
        return _TEXT
    if issubclass(kind, date):
        return _TEMPORAL
    if kind is type(None):
        return _BLANK
    return _OTHER


def _kinds_of_mixed(values: np.ndarray) -> np.ndarray:
    """Kind of each cell of a column that mixes types: the type of each cell (a C-level call),
    then one decision per distinct type."""
    types = np.fromiter(map(type, values), dtype=object, count=len(values))
    codes, distinct = pd.factorize(types)
    return np.array([_kind_of_type(t) for t in distinct], dtype=np.int64)[codes]


class Cells:
    """One column's raw cells (index = Excel row), split by kind. Masks are numpy bool arrays.

    `text` holds the trimmed text of text cells (object array, None elsewhere); `number` the
    value of number cells (float64, NaN elsewhere). A blank cell (empty, None, NaN or only white
    space) is in no kind. A column read as Arrow text also has `arrow`: the trimmed text of
    every cell (null where blank); its `text` is then made only when asked for.
    """

    __slots__ = ("_distinct", "_text", "arrow", "blank", "is_bool", "is_number", "is_other",
                 "is_temporal", "is_text", "number", "raw")

    def __init__(self, raw: pd.Series, blank: np.ndarray, is_text: np.ndarray,
                 is_number: np.ndarray, is_bool: np.ndarray, is_temporal: np.ndarray,
                 is_other: np.ndarray, text: np.ndarray | None, number: np.ndarray,
                 arrow: pa.Array | None = None) -> None:
        self.raw = raw
        self.blank = blank
        self.is_text = is_text
        self.is_number = is_number
        self.is_bool = is_bool
        self.is_temporal = is_temporal
        self.is_other = is_other
        self.number = number
        self.arrow = arrow
        self._text = text
        self._distinct: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def index(self) -> pd.Index:
        return self.raw.index

    @property
    def text(self) -> np.ndarray:
        if self._text is None:
            assert self.arrow is not None
            self._text = np.asarray(self.arrow.to_numpy(zero_copy_only=False), dtype=object)
        return self._text

    def text_of(self, positions: np.ndarray) -> np.ndarray:
        """The trimmed text of the cells at `positions` (object array), made for them only."""
        if self._text is not None or self.arrow is None:
            return self.text[positions]
        taken = self.arrow.take(pa.array(positions, type=pa.int64()))
        return np.asarray(taken.to_numpy(zero_copy_only=False), dtype=object)

    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """Per cell, the number of its text among the distinct texts (-1 where the cell is no
        text), and those texts (object array) in order of first appearance."""
        if self._distinct is None:
            if self.arrow is not None:
                encoded = pc.dictionary_encode(self.arrow)
                codes = np.asarray(encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False),
                                   dtype=np.int64)
                uniques = np.asarray(encoded.dictionary.to_numpy(zero_copy_only=False),
                                     dtype=object)
            else:
                codes, uniques = pd.factorize(self.text)
                codes = np.asarray(codes, dtype=np.int64)
                uniques = np.asarray(uniques, dtype=object)
            self._distinct = (codes, uniques)
        return self._distinct

    def spread(self, per_distinct: pa.Array) -> pa.Array:
        """Values given per distinct text (in the order of `distinct()`) as one per cell, null
        where the cell is no text."""
        codes, _ = self.distinct()
        return per_distinct.take(pa.array(codes, mask=codes < 0))

    def subset(self, keep: np.ndarray) -> Cells:
        if keep.all():
            return self
        return Cells(
            raw=self.raw[keep],
            blank=self.blank[keep],
            is_text=self.is_text[keep],
            is_number=self.is_number[keep],
            is_bool=self.is_bool[keep],
            is_temporal=self.is_temporal[keep],
            is_other=self.is_other[keep],
            text=None if self._text is None else self._text[keep],
            number=self.number[keep],
            arrow=None if self.arrow is None else self.arrow.filter(pa.array(keep)),
        )


def arrow_text(raw: pd.Series) -> pa.Array | None:
    """The Arrow text array under a "string" column backed by pyarrow; None for another."""
    dtype = raw.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        text = raw.array.__arrow_array__()
    elif isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                               or pa.types.is_large_string(dtype.pyarrow_dtype)):
        text = raw.array.__arrow_array__()
    else:
        return None
    return text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)


# What Python's str.strip() removes: the 29 characters whose str.isspace() is true, written out
# (finding them by testing every code point took 50 ms at every start; a test holds them equal).
WHITE_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
               "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _classify_arrow(raw: pd.Series, text: pa.Array) -> Cells:
    """A column of Arrow text: trimmed as str.strip() trims, white space alone is blank."""
    trimmed = pc.utf8_trim(text, characters=WHITE_SPACE)
    empty = pc.equal(trimmed, "")
    if pc.any(empty).as_py():
        trimmed = pc.if_else(empty, pa.scalar(None, trimmed.type), trimmed)
    blank = np.asarray(trimmed.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    n = len(trimmed)
    nothing = np.zeros(n, dtype=bool)
    return Cells(raw=raw, blank=blank, is_text=~blank, is_number=nothing, is_bool=nothing,
                 is_temporal=nothing, is_other=nothing, text=None,
                 number=np.full(n, np.nan), arrow=trimmed)


def trim(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Text cells trimmed (None for an empty or white-space cell, and for anything not text),
    and where that is None. One pass over the cells, as each one is a scattered object.

    One C-level `str.strip` per string: without pyarrow, pandas' `.str.strip()` runs the same
    loop through a Python lambda and costs ten times as much.
    """
    trimmed = [(v.strip() or None) if isinstance(v, str) else None for v in values]
    return np.array(trimmed, dtype=object), np.array([t is None for t in trimmed], dtype=bool)


def classify(raw: pd.Series, few_distinct: bool = False) -> Cells:
    """Split a column of raw cells by kind, touching each cell as few times as possible.

    With `few_distinct` (yes/no, status, country, dates...), the distinct cells are found
    first (one hashing pass) and only they are looked at; the column is then mapped back.
    """
    text = arrow_text(raw)
    if text is not None:
        return _classify_arrow(raw, text)
    if few_distinct and len(raw):
        return _classify_distinct(raw)
    return _classify(raw, raw.to_numpy(dtype=object))


def _classify_distinct(raw: pd.Series) -> Cells:
    codes, uniques = pd.factorize(raw.to_numpy(dtype=object))
    if not len(uniques):
        return _classify(raw, np.full(len(raw), None, dtype=object))
    distinct = _classify(pd.Series(uniques, dtype=object), np.asarray(uniques, dtype=object))
    blank = codes < 0
    codes = np.where(blank, 0, codes)
    kinds = {name: getattr(distinct, name)[codes] & ~blank for name in
             ("is_text", "is_number", "is_bool", "is_temporal", "is_other")}
    text = distinct.text[codes]
    text[blank] = None
    number = np.where(blank, np.nan, distinct.number[codes])
    return Cells(raw=raw, blank=distinct.blank[codes] | blank, text=text, number=number,
                 **kinds)


def _classify(raw: pd.Series, values: np.ndarray) -> Cells:
    n = len(values)
    kind = _HOMOGENEOUS.get(infer_dtype(values, skipna=True), -1) if n else _BLANK
    if kind == _TEXT:  # text (or blank) only
        text, blank = trim(values)
        kinds = np.where(blank, _BLANK, _TEXT)
        number = np.full(n, np.nan)
    elif kind == _NUMBER:  # numbers (or blank) only
        number = values.astype(np.float64)
        kinds = np.where(np.isnan(number), _BLANK, _NUMBER)
        text = np.full(n, None, dtype=object)
    else:
        na = pd.isna(values)
        kinds = np.where(na, _BLANK, kind) if kind >= 0 else _kinds_of_mixed(values)
        kinds[na] = _BLANK
        text = np.full(n, None, dtype=object)
        number = np.full(n, np.nan)
        at = np.flatnonzero(kinds == _TEXT)
        if len(at):
            trimmed, empty = trim(values[at])
            text[at] = trimmed
            kinds[at[empty]] = _BLANK
        at = np.flatnonzero(kinds == _NUMBER)
        if len(at):
            number[at] = values[at].astype(np.float64)
    return Cells(
        raw=raw,
        blank=kinds == _BLANK,
        is_text=kinds == _TEXT,
        is_number=kinds == _NUMBER,
        is_bool=kinds == _BOOL,
        is_temporal=kinds == _TEMPORAL,
        is_other=kinds == _OTHER,
        text=text,
        number=number,
    )


def by_distinct(values: np.ndarray, read: Callable[[Any], Any]) -> np.ndarray:
    """`read` applied once per distinct value (no None in `values`), mapped back column-wise.

    Columns such as yes/no, status or dates hold few distinct texts: each is read once.
    """
    codes, uniques = pd.factorize(values)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [read(u) for u in uniques]
    return results[codes]


def cell_text(value: object) -> str | None:
    """A raw cell as a person reads it: 45.0 -> "45", a date -> ISO 8601, empty -> None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return None
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def render_numbers(values: np.ndarray) -> np.ndarray:
    """Numbers as text, column-wise: integral values without ".0" (an Excel id 1001.0 -> "1001")."""
    out = np.empty(len(values), dtype=object)
    integral = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 1e16)
    out[integral] = values[integral].astype(np.int64).astype(str)
    rest = ~integral
    out[rest] = [repr(float(v)) for v in values[rest]]
    return out


def text_values(cells: Cells) -> np.ndarray:
    """Every non-blank cell as text (object array, None where blank). Text cells are trimmed."""
    out = cells.text
    if cells.is_number.any() or cells.is_bool.any() or cells.is_temporal.any() \
            or cells.is_other.any():
        out = out.copy()
        if cells.is_number.any():
            out[cells.is_number] = render_numbers(cells.number[cells.is_number])
        raw = cells.raw.to_numpy(dtype=object)
        for mask in (cells.is_bool, cells.is_temporal, cells.is_other):
            if mask.any():  # rare in a text column: one cell at a time
                out[mask] = [cell_text(v) for v in raw[mask]]
    return out


def as_text(cells: Cells) -> pd.Series:
    """`text_values` as a "string" Series (NA where blank), indexed like the cells."""
    if cells.arrow is not None:
        return text_series(cells.arrow, cells.index)
    return pd.Series(pd.array(text_values(cells), dtype="string"), index=cells.index)


def text_series(text: pa.Array, index: pd.Index) -> pd.Series:
    """Arrow text (null where missing) as a "string" Series, without a Python object per cell."""
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([text.cast(pa.large_string())])),
                     index=index)


def map_distinct(cells: Cells, read: Callable[[str], Any], type_: pa.DataType) -> pa.Array:
    """`read` applied once per distinct text of the cells, as an Arrow array of `type_` per
    cell (null where the cell is no text, or `read` gives None)."""
    _, uniques = cells.distinct()
    return cells.spread(pa.array([read(u) for u in uniques], type=type_))

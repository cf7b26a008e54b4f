"""Result messages, built column-wise and only where a check has something to say.

A check kind collects its messages in a `Messages` of the rule's size: each `fill(where, ...)`
assembles one sentence for the rows `where` is true, from parts that are constant text or
per-row values. Per-row values are rendered lazily, for the rows that get a message only, and
each distinct value once (`values`, `numbers`, `dates`, `coded`, `integers`, `percents`,
`join`); sentences are joined by Arrow's string kernels. No Python object is made per row: the
messages of a rule are one Arrow string array (`Messages.sparse`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from esg_audit.rules.expr.env import BOOL, DATE, NUMBER

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
else:
    from esg_audit.deferred import np, pd

MISSING = "missing"


def _arrow() -> Any:
    import pyarrow as pa

    return pa


def _compute() -> Any:
    import pyarrow.compute as pc

    return pc


def _strings(texts: Sequence[str] | np.ndarray) -> pa.Array:
    pa = _arrow()
    return pa.array(np.asarray(texts, dtype=object), type=pa.large_string())


class Lazy:
    """Per-row text that is rendered only for the rows asked for."""

    def at(self, rows: np.ndarray) -> pa.Array:
        raise NotImplementedError

    def __radd__(self, prefix: str) -> Lazy:
        return _Framed(self, prefix, "")

    def __add__(self, suffix: str) -> Lazy:
        return _Framed(self, "", suffix)


@dataclass(frozen=True, eq=False)
class _Framed(Lazy):
    inner: Lazy
    prefix: str
    suffix: str

    def at(self, rows: np.ndarray) -> pa.Array:
        return _concat([self.prefix, self.inner, self.suffix], rows)

    def __radd__(self, prefix: str) -> Lazy:
        return _Framed(self.inner, prefix + self.prefix, self.suffix)

    def __add__(self, suffix: str) -> Lazy:
        return _Framed(self.inner, self.prefix, self.suffix + suffix)


@dataclass(frozen=True, eq=False)
class Coded(Lazy):
    """Text chosen per row from a few distinct texts: `codes` (one per row) index `texts`."""

    codes: np.ndarray
    texts: Sequence[str] | np.ndarray

    def at(self, rows: np.ndarray) -> pa.Array:
        return _strings(self.texts).take(np.asarray(self.codes)[rows])


@dataclass(frozen=True, eq=False)
class _Rendered(Lazy):
    """A column's values, each distinct value of the rows asked for rendered once."""

    series: pd.Series
    render: Any
    positions: np.ndarray | None = None  # per row, the position in `series` of its value
    missing: str = MISSING

    def at(self, rows: np.ndarray) -> pa.Array:
        at = rows if self.positions is None else self.positions[rows]
        codes, uniques = pd.factorize(self.series.iloc[at], use_na_sentinel=True)
        texts = np.append(np.asarray(self.render(uniques), dtype=object), self.missing)
        codes = np.where(codes < 0, len(texts) - 1, codes)  # missing picks the trailing text
        return _strings(texts).take(codes)


@dataclass(frozen=True, eq=False)
class _Joined(Lazy):
    parts: tuple[Any, ...]
    separator: str

    def at(self, rows: np.ndarray) -> pa.Array:
        pc = _compute()
        pa = _arrow()
        arrays = []
        for part in self.parts:
            array = _at(part, rows)
            if isinstance(array, pa.Scalar):
                array = _strings([array.as_py()]).take(np.zeros(len(rows), dtype=np.int64))
            arrays.append(pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.large_string()), array))
        if len(arrays) == 1:
            return arrays[0].fill_null("")
        joined = pc.binary_join_element_wise(
            *arrays, pa.scalar(self.separator, pa.large_string()), null_handling="skip"
        )
        return joined.fill_null("")


Part = Union[str, Lazy, "np.ndarray", "pa.Array"]


def _at(part: Part, rows: np.ndarray) -> Any:
    """A part at `rows`: a large_string scalar for constant text, else an array."""
    pa = _arrow()
    if isinstance(part, str):
        return pa.scalar(part, pa.large_string())
    if isinstance(part, Lazy):
        return part.at(rows)
    if isinstance(part, pa.Array):
        return part.take(rows)
    return _strings(np.asarray(part, dtype=object)[rows])


def _concat(parts: Sequence[Part], rows: np.ndarray) -> pa.Array:
    pa = _arrow()
    pieces = [_at(part, rows) for part in parts if not (isinstance(part, str) and part == "")]
    if not pieces:
        pieces = [pa.scalar("", pa.large_string())]
    if all(isinstance(piece, pa.Scalar) for piece in pieces):
        constant = "".join(piece.as_py() for piece in pieces)
        return _strings([constant]).take(np.zeros(len(rows), dtype=np.int64))
    if len(pieces) == 1:
        return pieces[0]
    return _compute().binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))


class Messages:
    """The messages of one rule over `size` suppliers, sparse: only rows filled have one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: list[np.ndarray] = []
        self._texts: list[pa.Array] = []

    def fill(self, where: np.ndarray, *parts: Part) -> None:
        """The concatenation of `parts` (constant text, or per-row values as long as the rule)
        as the message of the rows where `where` is true; a later fill of a row replaces an
        earlier one."""
        rows = np.flatnonzero(np.asarray(where, dtype=bool))
        if len(rows):
            self._rows.append(rows.astype(np.int64))
            self._texts.append(_concat(parts, rows))

    def everyone(self, text: str) -> Messages:
        self.fill(np.ones(self.size, dtype=bool), text)
        return self

    def sparse(self) -> tuple[np.ndarray, pa.Array]:
        """The rows that have a message, ascending, and their texts."""
        pa = _arrow()
        if not self._rows:
            return np.empty(0, dtype=np.int64), pa.array([], type=pa.large_string())
        rows = np.concatenate(self._rows)
        texts = pa.concat_arrays(self._texts) if len(self._texts) > 1 else self._texts[0]
        if len(self._rows) == 1:
            return rows, texts
        # Sort by row, the last fill of a row first; keep that one.
        order = np.lexsort((-np.arange(len(rows)), rows))
        rows = rows[order]
        keep = np.append(True, rows[1:] != rows[:-1])
        return rows[keep], texts.take(order[keep])

    def restricted(self, keep: np.ndarray) -> Messages:
        """These messages at the rows where `keep` is true only."""
        rows, texts = self.sparse()
        kept = np.asarray(keep, dtype=bool)[rows]
        out = Messages(self.size)
        if kept.any():
            out._rows.append(rows[kept])
            out._texts.append(texts.filter(pa_bool(kept)))
        return out

    def dense(self) -> np.ndarray:
        """Every row's message as an object array ("" where there is none), for tests and
        rule-pack test cases."""
        out = np.full(self.size, "", dtype=object)
        rows, texts = self.sparse()
        out[rows] = np.asarray(texts.to_pylist(), dtype=object)
        return out


def pa_bool(mask: np.ndarray) -> pa.Array:
    return _arrow().array(np.asarray(mask, dtype=bool))


# --- per-row values ------------------------------------------------------------------------


def _numbers(uniques: Any) -> np.ndarray:
    # Six decimals at most (0.1 + 0.2 shows as 0.3), but a tiny value keeps its digits.
    values = np.asarray(uniques, dtype=float)
    shown = np.where(np.abs(values) < 1e-4, values, np.round(values, 6)) + 0.0
    return np.array(list(map("{:.15g}".format, shown.tolist())), dtype=object)


def numbers(series: pd.Series) -> Lazy:
    """Numbers as short text (0.45, 10, 1.5e-05); "missing" where missing."""
    return _Rendered(series.astype("Float64"), _numbers)


def dates(series: pd.Series) -> Lazy:
    """Dates as YYYY-MM-DD; "missing" where missing."""
    return _Rendered(series, lambda u: pd.DatetimeIndex(u).strftime("%Y-%m-%d"))


def quoted(series: pd.Series) -> Lazy:
    """Text in single quotes; "missing" where missing."""
    return _Rendered(series, lambda u: "'" + np.asarray(u, dtype=object) + "'")


def picked(series: pd.Series, positions: np.ndarray, prefix: str = "", missing: str = "") -> Lazy:
    """Per row, the text of `series` at `positions[row]` after `prefix` (`missing` where the
    value is missing): e.g. the number of the certificate a result is about."""
    return _Rendered(series, lambda u: prefix + np.asarray(u, dtype=object).astype(str).astype(object),
                     np.asarray(positions), missing)


def _booleans(series: pd.Series) -> Lazy:
    truth = series.astype("boolean")
    codes = np.where(truth.isna().to_numpy(), 2, np.where(truth.fillna(False).to_numpy(dtype=bool), 1, 0))
    return Coded(codes, ("false", "true", MISSING))


def values(series: pd.Series, type_: str) -> Lazy:
    """A column of any expression type rendered for a message."""
    if type_ == NUMBER:
        return numbers(series)
    if type_ == DATE:
        return dates(series)
    if type_ == BOOL:
        return _booleans(series)
    return quoted(series)


def percents(values: np.ndarray) -> Lazy:
    """Fractions as signed percent with one decimal: -0.0512 -> "-5.1%", 0.013 -> "+1.3%"."""
    tenths = np.round(np.asarray(values, dtype=float) * 1000).astype(np.int64)
    codes, uniques = pd.factorize(tenths)
    return Coded(codes, [f"{'+' if t > 0 else ''}{t / 10:.1f}%" for t in np.asarray(uniques).tolist()])


def integers(values: np.ndarray) -> Lazy:
    """Whole numbers (e.g. years) as text."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64))
    return Coded(codes, [str(u) for u in np.asarray(uniques).tolist()])


def names_of(columns: Sequence[tuple[str, np.ndarray]], separator: str = ", ") -> Coded:
    """Per row, the names whose mask is true there, joined ("scope1_tco2e, revenue_musd"; ""
    where none is): rendered once per distinct combination."""
    if not columns:
        return Coded(np.zeros(0, dtype=np.int64), [""])
    bits = np.zeros(len(columns[0][1]), dtype=np.int64)
    for position, (_, mask) in enumerate(columns):
        bits |= np.asarray(mask, dtype=np.int64) << position
    codes, uniques = pd.factorize(bits)
    texts = [
        separator.join(name for position, (name, _) in enumerate(columns) if combo >> position & 1)
        for combo in np.asarray(uniques).tolist()
    ]
    return Coded(codes, texts)


def join(parts: Sequence[Part], separator: str = ", ") -> Lazy:
    """Per-row texts joined, skipping empty ones: ["a", ""], ["b", ""] -> ["a, b", ""]."""
    return _Joined(tuple(parts), separator)


def text(size: int, value: str = "") -> np.ndarray:
    """An object array of `size` copies of `value`."""
    return np.full(size, value, dtype=object)

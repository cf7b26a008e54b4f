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


def _empty_strings() -> pa.Array:
    pa = _arrow()
    return pa.array([], type=pa.large_string())


# A part at some rows, encoded: per row a code into a few distinct texts.
Encoded = tuple["np.ndarray", "pa.Array"]


class Lazy:
    """Per-row text that is rendered only for the rows asked for, each distinct text once."""

    def encoded(self, rows: np.ndarray) -> Encoded:
        """Per row of `rows` a code (intp) into the returned distinct texts."""
        raise NotImplementedError

    def at(self, rows: np.ndarray) -> pa.Array:
        """The texts at `rows`, one per row."""
        codes, texts = self.encoded(rows)
        return texts.take(_arrow().array(codes))

    def __radd__(self, prefix: str) -> Lazy:
        return _Framed(self, prefix, "")

    def __add__(self, suffix: str) -> Lazy:
        return _Framed(self, "", suffix)


@dataclass(frozen=True, eq=False)
class _Framed(Lazy):
    inner: Lazy
    prefix: str
    suffix: str

    def encoded(self, rows: np.ndarray) -> Encoded:
        codes, texts = self.inner.encoded(rows)
        pa = _arrow()
        framed = _compute().binary_join_element_wise(
            pa.scalar(self.prefix, pa.large_string()), texts,
            pa.scalar(self.suffix, pa.large_string()), pa.scalar("", pa.large_string()),
        ) if len(texts) else texts
        return codes, framed

    def __radd__(self, prefix: str) -> Lazy:
        return _Framed(self.inner, prefix + self.prefix, self.suffix)

    def __add__(self, suffix: str) -> Lazy:
        return _Framed(self.inner, self.prefix, self.suffix + suffix)


@dataclass(frozen=True, eq=False)
class Coded(Lazy):
    """Text chosen per row from a few distinct texts: `codes` (one per row) index `texts`."""

    codes: np.ndarray
    texts: Sequence[str] | np.ndarray

    def encoded(self, rows: np.ndarray) -> Encoded:
        return np.asarray(self.codes, dtype=np.intp)[rows], _strings(self.texts)


class _Rendered(Lazy):
    """A column's values at the rows asked for, each distinct value among them rendered once.
    Only those rows are looked at: a long column (e.g. every certificate's number) is not
    hashed whole for the few rows that show a value."""

    def __init__(self, series: pd.Series, render: Any, positions: np.ndarray | None = None,
                 missing: str = MISSING) -> None:
        self.series = series
        self.render = render
        self.positions = positions  # per row, the position in `series` of its value
        self.missing = missing

    def encoded(self, rows: np.ndarray) -> Encoded:
        at = rows if self.positions is None else self.positions[rows]
        codes, uniques = pd.factorize(self.series.array.take(at), use_na_sentinel=True)
        texts = np.empty(len(uniques) + 1, dtype=object)
        if len(uniques):
            texts[:-1] = np.asarray(self.render(uniques), dtype=object)
        texts[-1] = self.missing
        missing = codes < 0
        if not missing.any():
            return codes.astype(np.intp, copy=False), _strings(texts[:-1])
        return np.where(missing, len(uniques), codes).astype(np.intp, copy=False), _strings(texts)


@dataclass(frozen=True, eq=False)
class _Joined(Lazy):
    parts: tuple[Any, ...]
    separator: str

    def encoded(self, rows: np.ndarray) -> Encoded:
        pc = _compute()
        pa = _arrow()
        codes, arrays = _distinct([_encoded(part, rows) for part in self.parts])
        if not len(arrays):
            return codes, _empty_strings()
        null = pa.scalar(None, pa.large_string())
        arrays = [pc.if_else(pc.equal(array, ""), null, array) for array in arrays]
        if len(arrays) == 1:
            return codes, arrays[0].fill_null("")
        joined = pc.binary_join_element_wise(
            *arrays, pa.scalar(self.separator, pa.large_string()), null_handling="skip"
        )
        return codes, joined.fill_null("")


Part = Union[str, Lazy, "np.ndarray", "pa.Array"]


def _encoded(part: Part, rows: np.ndarray) -> Encoded:
    """A part at `rows`, encoded."""
    pa = _arrow()
    if isinstance(part, str):
        return np.zeros(len(rows), dtype=np.intp), _strings([part])
    if isinstance(part, Lazy):
        return part.encoded(rows)
    values = part.take(pa.array(rows)) if isinstance(part, pa.Array) else np.asarray(part, dtype=object)[rows]
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return codes, _strings(np.asarray(uniques, dtype=object))


def _distinct(parts: Sequence[Encoded]) -> tuple[np.ndarray, list[pa.Array]]:
    """The distinct combinations of several encoded parts over the same rows: per row a code
    into them, and per part its text at each combination."""
    if not parts:
        return np.zeros(0, dtype=np.intp), []
    size = len(parts[0][0])
    joint = np.zeros(size, dtype=np.int64)
    span = 1
    for codes, texts in parts:
        width = max(len(texts), 1)
        if span * width >= 2**62:
            joint, uniques = pd.factorize(joint)
            span = max(len(uniques), 1)
        joint = joint * width + codes
        span *= width
    codes, uniques = pd.factorize(joint)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(size - 1, -1, -1)
    return codes.astype(np.intp), [texts.take(part_codes[first]) for part_codes, texts in parts]


def _sentence(parts: Sequence[Part], rows: np.ndarray) -> Encoded:
    """The concatenation of `parts` at `rows`, encoded: built once per distinct combination."""
    pa = _arrow()
    codes, arrays = _distinct([_encoded(p, rows) for p in parts if not (isinstance(p, str) and p == "")])
    if not arrays:
        return np.zeros(len(rows), dtype=np.intp), _strings([""])
    if len(arrays) == 1:
        return codes, arrays[0]
    return codes, _compute().binary_join_element_wise(*arrays, pa.scalar("", pa.large_string()))


class Messages:
    """The messages of one rule over `size` suppliers, sparse: only rows filled have one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: list[np.ndarray] = []
        self._codes: list[np.ndarray] = []
        self._texts: list[pa.Array] = []

    def fill(self, where: np.ndarray, *parts: Part) -> None:
        """The concatenation of `parts` (constant text, or per-row values as long as the rule)
        as the message of the rows where `where` is true; a later fill of a row replaces an
        earlier one."""
        rows = np.flatnonzero(np.asarray(where, dtype=bool))
        if len(rows):
            codes, texts = _sentence(parts, rows)
            self._rows.append(rows.astype(np.int64))
            self._codes.append(codes)
            self._texts.append(texts)

    def everyone(self, text: str) -> Messages:
        self.fill(np.ones(self.size, dtype=bool), text)
        return self

    def encoded(self) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        """The rows that have a message (ascending), a code per row, and the distinct texts
        the codes index: the messages without a copy of each."""
        pa = _arrow()
        if not self._rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), _empty_strings()
        offsets = np.cumsum([0] + [len(texts) for texts in self._texts[:-1]])
        rows = np.concatenate(self._rows)
        codes = np.concatenate([c.astype(np.int64) + o for c, o in zip(self._codes, offsets, strict=True)])
        texts = pa.concat_arrays(self._texts) if len(self._texts) > 1 else self._texts[0]
        if len(self._rows) > 1:
            # Sort by row, the last fill of a row first; keep that one.
            order = np.lexsort((-np.arange(len(rows)), rows))
            rows, codes = rows[order], codes[order]
            keep = np.append(True, rows[1:] != rows[:-1])
            rows, codes = rows[keep], codes[keep]
        return rows, codes, texts

    def sparse(self) -> tuple[np.ndarray, pa.Array]:
        """The rows that have a message, ascending, and their texts."""
        rows, codes, texts = self.encoded()
        return rows, texts.take(_arrow().array(codes)) if len(rows) else _empty_strings()

    def restricted(self, keep: np.ndarray) -> Messages:
        """These messages at the rows where `keep` is true only."""
        rows, codes, texts = self.encoded()
        kept = np.asarray(keep, dtype=bool)[rows]
        out = Messages(self.size)
        if kept.any():
            out._rows.append(rows[kept])
            out._codes.append(codes[kept])
            out._texts.append(texts)
        return out

    def dense(self) -> np.ndarray:
        """Every row's message as an object array ("" where there is none), for tests and
        rule-pack test cases."""
        out = np.full(self.size, "", dtype=object)
        rows, texts = self.sparse()
        out[rows] = np.asarray(texts.to_pylist(), dtype=object)
        return out


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

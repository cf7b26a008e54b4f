"""Result messages built column-wise: values rendered as text and sentences assembled from
numpy object arrays, so that no Python loop runs once per supplier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from esg_audit.rules.expr.env import BOOL, DATE, NUMBER

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

MISSING = "missing"


def _through_uniques(series: pd.Series, render: Any) -> np.ndarray:
    """Render each distinct value once, then spread the texts over the rows."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    texts = np.append(np.asarray(render(uniques), dtype=object), MISSING)
    return texts[codes]  # code -1 (missing) picks the trailing "missing"


def _numbers(uniques: Any) -> np.ndarray:
    # Six decimals at most (0.1 + 0.2 shows as 0.3), but a tiny value keeps its digits.
    values = np.asarray(uniques, dtype=float)
    shown = np.where(np.abs(values) < 1e-4, values, np.round(values, 6)) + 0.0
    return np.array(list(map("{:.15g}".format, shown.tolist())), dtype=object)


def numbers(series: pd.Series) -> np.ndarray:
    """Numbers as short text (0.45, 10, 1.5e-05); "missing" where missing."""
    return _through_uniques(series.astype("Float64"), _numbers)


def dates(series: pd.Series) -> np.ndarray:
    """Dates as YYYY-MM-DD; "missing" where missing."""
    return _through_uniques(series, lambda u: pd.DatetimeIndex(u).strftime("%Y-%m-%d"))


def quoted(series: pd.Series) -> np.ndarray:
    """Text in single quotes; "missing" where missing."""
    return _through_uniques(series, lambda u: "'" + np.asarray(u, dtype=object) + "'")


def values(series: pd.Series, type_: str) -> np.ndarray:
    """A column of any expression type rendered for a message."""
    if type_ == NUMBER:
        return numbers(series)
    if type_ == DATE:
        return dates(series)
    if type_ == BOOL:
        truth = series.astype("boolean")
        return np.where(truth.isna(), MISSING, np.where(truth.fillna(False), "true", "false")).astype(object)
    return quoted(series)


def percents(values: np.ndarray) -> np.ndarray:
    """Fractions as signed percent with one decimal: -0.0512 -> "-5.1%", 0.013 -> "+1.3%"."""
    tenths = pd.Series(np.round(np.asarray(values, dtype=float) * 1000).astype(np.int64))
    return _through_uniques(tenths, lambda u: np.array(
        [f"{'+' if t > 0 else ''}{t / 10:.1f}%" for t in np.asarray(u).tolist()], dtype=object))


def join(parts: Sequence[np.ndarray], separator: str = ", ") -> np.ndarray:
    """Join per-row texts, skipping empty ones: ["a", ""], ["b", ""] -> ["a, b", ""]."""
    result = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        part = np.asarray(part, dtype=object)
        both = (result != "") & (part != "")
        result = np.where(both, result + separator + part, result + part)
    return result


def integers(values: np.ndarray) -> np.ndarray:
    """Whole numbers (e.g. years) as text."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64))
    return uniques.astype(str).astype(object)[codes]


def fill(out: np.ndarray, where: np.ndarray, *parts: str | np.ndarray) -> None:
    """Write into `out`, at the rows `where` is true, the concatenation of `parts` (texts, or
    per-row arrays as long as `out`). Only those rows are assembled."""
    rows = np.flatnonzero(where)
    if not len(rows):
        return
    message: Any = ""
    for part in parts:
        message = message + (part if isinstance(part, str) else np.asarray(part, dtype=object)[rows])
    out[rows] = message


def text(size: int, value: str = "") -> np.ndarray:
    """An object array of `size` copies of `value`, to assemble messages in."""
    return np.full(size, value, dtype=object)


def series(messages: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(messages, index=index, dtype="string")

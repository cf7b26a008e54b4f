"""Date columns: real Excel dates, ISO 8601, YYYY/MM/DD, DD.MM.YYYY and slashed D/M/Y or M/D/Y.

Each written pattern is parsed for all its cells at once with an explicit format. A slashed
date valid both as day/month and month/day (03/04/2026) is ambiguous unless `date_format`
(day-first | month-first) says how to read it. Dates carry no time of day (a time is dropped).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from esg_audit.normalise.cells import Cells
from esg_audit.normalise.column_read import ColumnRead, Problems
from esg_audit.normalise.numbers import marker_cells

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_PATTERNS = (  # regex of the text, format for pd.to_datetime
    (r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", "ISO8601"),
    (r"\d{4}/\d{1,2}/\d{1,2}", "%Y/%m/%d"),
    (r"\d{1,2}\.\d{1,2}\.\d{4}", "%d.%m.%Y"),
)
_SLASHED = r"\d{1,2}/\d{1,2}/\d{4}"
# An ISO 8601 time's zone (`Z`, `+01:00`): dates keep the day as written, so it is dropped.
_ZONE = r"(?<=\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
# datetime64[ns] spans 1677-09-21 .. 2262-04-11; "valid until 9999-12-31" means "no end".
EARLIEST = pd.Timestamp("1677-09-22")
LATEST = pd.Timestamp("2262-04-11")


def _parse(text: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[us]")


def read_dates(cells: Cells, date_format: str | None = None) -> ColumnRead:
    """A date column as datetime64[ns] (NaT where missing or invalid)."""
    n = len(cells.raw)
    parsed = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    problems = Problems()
    problems.set(cells.is_number | cells.is_bool | cells.is_other, "not a date")
    if cells.is_temporal.any():
        real = pd.to_datetime(cells.raw[cells.is_temporal].astype(object), errors="coerce")
        parsed[cells.is_temporal] = real.astype("datetime64[us]").to_numpy()
    marked, markers = marker_cells(cells)
    at = np.flatnonzero(cells.is_text & ~marked)
    if len(at):  # each distinct text once, each written pattern with its own format
        codes, distinct = cells.distinct()
        codes = codes[at]
        dates, why = _read_texts(pd.Series(distinct, dtype=object), date_format)
        parsed[at] = dates[codes]
        bad = (why != None)[codes]  # noqa: E711 - element-wise on the distinct texts' problems
        problems.set(at[bad], why[codes[bad]])
    notes: tuple[str, ...] = ()
    early, late = parsed < EARLIEST.to_datetime64(), parsed > LATEST.to_datetime64()
    if early.any() or late.any():
        parsed[early], parsed[late] = EARLIEST.to_datetime64(), LATEST.to_datetime64()
        notes = (f"{int(early.sum() + late.sum())} dates outside 1677-09-22 .. 2262-04-11 "
                 "read as the nearest of those two",)
    days = parsed.astype("datetime64[D]").astype("datetime64[ns]")  # the time of day dropped
    return ColumnRead(pd.Series(days, index=cells.index), problems, markers, notes)


def _read_texts(text: pd.Series, date_format: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct date texts -> (datetime64[us] array, problem or None per text)."""
    parsed = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    problems = np.full(len(text), "not a date", dtype=object)
    text = text.str.replace(_ZONE, "", regex=True)
    for pattern, fmt in _PATTERNS:
        hit = text.str.fullmatch(pattern).to_numpy(dtype=bool)
        if hit.any():
            parsed[hit] = _parse(text[hit], fmt).to_numpy()
    slashed = text.str.fullmatch(_SLASHED).to_numpy(dtype=bool)
    if slashed.any():
        parsed[slashed], problems[slashed] = _read_slashed(text[slashed], date_format)
    readable = ~np.isnat(parsed)
    problems[readable] = None
    return parsed, problems


def _read_slashed(text: pd.Series, date_format: str | None) -> tuple[np.ndarray, np.ndarray]:
    day_first = _parse(text, "%d/%m/%Y")
    month_first = _parse(text, "%m/%d/%Y")
    if date_format == "month-first":
        chosen = month_first.where(month_first.notna(), day_first)
    else:
        chosen = day_first.where(day_first.notna(), month_first)
    problems = np.full(len(text), "not a date", dtype=object)
    if date_format is None:
        both = (day_first.notna() & month_first.notna() & (day_first != month_first)).to_numpy()
        for i in np.flatnonzero(both):  # one message per distinct ambiguous text
            d, m = day_first.iloc[i], month_first.iloc[i]
            problems[i] = (
                f"ambiguous date: {text.iloc[i]} reads as {d.day} {_MONTHS[d.month - 1]} "
                f"or {m.day} {_MONTHS[m.month - 1]}; set date_format"
            )
        chosen = chosen.mask(both)
    return chosen.to_numpy(), problems

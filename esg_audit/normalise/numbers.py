"""Number, year and share (fraction or percent) columns, with units from headers or cells.

Numbers arrive as Excel numbers or as text: "1,234.5" (comma thousands groups), "1200 kg",
"45%". The common case (real numbers, plain numeric text) is converted for the whole column at
once; only cells that need it go through the slower text grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from esg_audit.normalise.cells import MISSING_MARKERS, Cells, by_distinct
from esg_audit.normalise.column_read import ColumnRead, Problems
from esg_audit.normalise.units import is_percent, scale, unit_exponent

_NUMBER_TEXT = re.compile(
    r"^(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)"
    r"\s*(?P<unit>%|[^\W\d_].*?)?\s*$"
)


@dataclass(frozen=True)
class _Numbers:
    values: np.ndarray  # float64, NaN where missing or invalid
    percent: np.ndarray  # the cell was written with "%"
    problems: Problems
    markers: tuple[str, ...]


def is_marker(text: str) -> bool:
    return text.lower() in MISSING_MARKERS


def marker_cells(cells: Cells, among: np.ndarray | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Text cells (of `among`, default all) that are a missing-marker, and the markers as written."""
    found = np.zeros(len(cells.raw), dtype=bool)
    at = np.flatnonzero(cells.is_text if among is None else among & cells.is_text)
    if not len(at):
        return found, ()
    if among is None:  # the whole column: each distinct text looked at once
        codes, uniques = cells.distinct()
        marked = np.array([is_marker(u) for u in uniques] + [False], dtype=bool)
        hits = marked[codes[at]]  # code -1 (no text) takes the last entry, False
        found[at[hits]] = True
        return found, tuple(uniques[codes[at[hits]]])
    text = cells.text_of(at)
    hits = by_distinct(text, is_marker).astype(bool)
    found[at[hits]] = True
    return found, tuple(text[hits])


# Text that is a plain decimal number ("1234.5", "-0.25", "1e-3"), parsed by Arrow as pandas'
# to_numeric parses it (both round correctly).
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def _plain_numbers(text: pa.Array) -> np.ndarray | None:
    """The value of each plain decimal number of an Arrow text column (NaN elsewhere and
    where it is past a float's range), or None when the column must take the general path:
    a negative zero (`-0`), which pandas reads as 0 in a column of whole numbers only.

    A column of numbers only is parsed in one cast: the text Arrow reads as a finite number
    is exactly the plain decimal numbers (its other readings, `inf` and `nan`, are not
    finite). A column with other text is sorted first: digits with at most one point are
    plain at sight, and only the rest is matched against the pattern."""
    try:
        numbers = pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        plain = _plain_cells(text)
        if plain is None:
            return np.full(len(text), np.nan)
        try:
            numbers = pc.cast(pc.if_else(plain, text, pa.scalar(None, text.type)), pa.float64())
        except pa.ArrowInvalid:
            return None
    values = numbers.to_numpy(zero_copy_only=False)
    if not values.flags.writeable:  # no null: Arrow's own buffer
        values = values.copy()
    if (np.signbit(values) & (values == 0)).any():
        return None
    values[~np.isfinite(values)] = np.nan
    return values


def _plain_cells(text: pa.Array) -> pa.Array | None:
    """Which cells of an Arrow text column are plain decimal numbers; None when none is."""
    digits = pc.ascii_is_decimal(pc.replace_substring(text, ".", "", max_replacements=1))
    plain = np.asarray(digits.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    rest = np.flatnonzero(~plain & np.asarray(text.is_valid().to_numpy(zero_copy_only=False),
                                              dtype=bool))
    if len(rest):
        matched = pc.match_substring_regex(text.take(pa.array(rest)), _PLAIN_NUMBER)
        plain[rest] = np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)
    return pa.array(plain) if plain.any() else None


def _read_numbers(
    cells: Cells, kind: str | None, exponent: int, allow_percent: bool, what: str
) -> _Numbers:
    n = len(cells.raw)
    values = np.full(n, np.nan)
    percent = np.zeros(n, dtype=bool)
    problems = Problems()
    numeric = cells.is_number
    values[numeric] = scale(cells.number[numeric], exponent)
    problems.set(cells.is_bool | cells.is_temporal | cells.is_other, f"not a {what}")
    markers: tuple[str, ...] = ()
    pending = np.flatnonzero(cells.is_text)
    quick = _plain_numbers(cells.arrow) if len(pending) and cells.arrow is not None else None
    if quick is not None:  # Arrow text: plain numbers parsed in Arrow, no object per cell
        ok = ~np.isnan(quick)
        if numeric.any():
            values[ok] = scale(quick[ok], exponent)
        else:  # NaN where not plain, as `values` was
            values = scale(quick, exponent)
        pending = np.flatnonzero(cells.is_text & ~ok)
    if len(pending):  # plain numeric text ("1234.5"): the whole column (or the rest) at once
        quick = pd.to_numeric(cells.text_of(pending), errors="coerce")
        ok = np.isfinite(quick)
        values[pending[ok]] = scale(quick[ok], exponent)
        pending = pending[~ok]
    if len(pending):
        leftover = np.zeros(n, dtype=bool)
        leftover[pending] = True
        marked, markers = marker_cells(cells, leftover)
        pending = pending[~marked[pending]]
    if len(pending):  # the rarer text: thousands groups, units, percent signs
        parts = pd.Series(cells.text_of(pending), dtype=object).str.extract(_NUMBER_TEXT)
        number = pd.to_numeric(parts["number"].str.replace(",", "", regex=False),
                               errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        unit = parts["unit"]
        problems.set(pending[np.isnan(number)], f"not a {what}")
        plain = ~np.isnan(number) & unit.isna().to_numpy()
        values[pending[plain]] = scale(number[plain], exponent)
        for written in unit.dropna().unique():
            at = (unit == written).fillna(False).to_numpy(dtype=bool) & ~np.isnan(number)
            if allow_percent and is_percent(written):
                values[pending[at]] = number[at]
                percent[pending[at]] = True
                continue
            cell_exponent = unit_exponent(kind, written) if kind else None
            if cell_exponent is None:
                problems.set(pending[at], f"unknown unit '{written}'" if kind else f"not a {what}")
            else:
                values[pending[at]] = scale(number[at], cell_exponent)
    beyond = np.isinf(values)  # 1e308 GWh in MWh, or a 400-digit number written as text
    if beyond.any():
        problems.set(beyond, "too large")
        values[beyond] = np.nan
    return _Numbers(values, percent, problems, markers)


def read_numbers(cells: Cells, kind: str | None = None, exponent: int = 0) -> ColumnRead:
    """A number column in its canonical unit (`kind`: co2, energy, revenue, or None)."""
    read = _read_numbers(cells, kind, exponent, allow_percent=False, what="number")
    return ColumnRead(_floats(read.values, cells), read.problems, read.markers)


def read_years(cells: Cells) -> ColumnRead:
    """A year column: whole numbers (2024, 2024.0, "2024")."""
    read = _read_numbers(cells, None, 0, allow_percent=False, what="year")
    values, problems = read.values, read.problems
    fractional = ~np.isnan(values) & ((np.floor(values) != values) | (np.abs(values) > 1e6))
    problems.set(fractional, "not a year")
    values[fractional] = np.nan
    years = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64), dtype="Int64")
    years[np.isnan(values)] = pd.NA
    return ColumnRead(pd.Series(years, index=cells.index), problems, read.markers)


def read_shares(cells: Cells, header_percent: bool) -> ColumnRead:
    """A share column as a fraction in [0, 1].

    "45%" cells and a percent header are percent. Otherwise a column whose plain values all
    lie in [0, 1] is a fraction, and one with a value above 1 and all within [0, 100] is read
    as percent, with a note. Values outside are invalid.
    """
    read = _read_numbers(cells, None, 0, allow_percent=True, what="number")
    values, problems = read.values.copy(), read.problems
    given = ~np.isnan(values)
    written_percent = read.percent & given
    plain = given & ~read.percent
    beyond_percent = (values < 0) | (values > 100)
    problems.set(written_percent & beyond_percent, "outside [0%, 100%]")
    plain_bad = plain & beyond_percent
    as_percent = header_percent or bool((values[plain & ~plain_bad] > 1).any())
    problems.set(plain_bad, "outside [0, 100]" if as_percent else "outside [0, 1]")
    values[beyond_percent] = np.nan
    divide = written_percent | (plain if as_percent else np.zeros_like(plain))
    values[divide] = values[divide] / 100
    notes: tuple[str, ...] = ()
    if as_percent and not header_percent:
        notes = ("read as percent (values above 1, all within [0, 100]) and divided by 100",)
    scale = "percent" if as_percent else "fraction"
    if written_percent.any() and not as_percent:
        scale = ("percent (written with %)" if not plain.any()
                 else "fraction; cells written with % as percent")
    return ColumnRead(_floats(values, cells), problems, read.markers, notes, scale=scale)


def _floats(values: np.ndarray, cells: Cells) -> pd.Series:
    array = pd.array(values, dtype="Float64")  # NaN becomes NA
    return pd.Series(array, index=cells.index)

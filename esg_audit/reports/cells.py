"""How report cells are written so that supplier text never runs as a formula.

A cell that starts with `=`, `+`, `-` or `@` is a formula to Excel and other spreadsheet
programs. A CSV cannot mark a cell as text, so such text is neutralised there with a leading
single quote (the OWASP recommendation). The Excel report writes every text as an inline string
cell (`t="inlineStr"`), which Excel never evaluates; `sheet_rows_xml` builds those rows
column-wise, so that a million-row sheet costs a few array operations per column rather than a
library call per cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@")
# A spreadsheet opening a CSV also strips a leading tab or carriage return and then evaluates.
CSV_FORMULA_PREFIXES: tuple[str, ...] = (*FORMULA_PREFIXES, "\t", "\r")
CSV_ESCAPE = "'"


def starts_like_formula(
    values: pd.Series, prefixes: tuple[str, ...] = FORMULA_PREFIXES
) -> pd.Series:
    """True where a text value starts with one of `prefixes`; False for missing values."""
    text = values.astype("string")
    return text.str.startswith(prefixes).fillna(False).astype(bool)


def neutralise_for_csv(values: pd.Series) -> pd.Series:
    """The values as text, with a single quote put before any that a spreadsheet would evaluate.

    Missing values stay missing; everything else is returned unchanged.
    """
    text = values.astype("string")
    risky = starts_like_formula(text, CSV_FORMULA_PREFIXES)
    return text.mask(risky, CSV_ESCAPE + text)


# --- Excel sheet rows as SpreadsheetML ----------------------------------------------------

# Control characters (XML 1.0 cannot hold most, and parsers turn CR into LF) are written as
# Excel writes them, _xHHHH_; text that already looks like such an escape gets its underscore
# escaped (_x005F_), so that Excel shows it as written.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
BATCH_ROWS = 20_000  # rows turned into XML at once: bounds memory, keeps arrays large


@dataclass(frozen=True)
class SheetColumn:
    """One column's cells: values (None: blank) of one kind, and their style index.

    kind: "text" (str), "number" (a float array, NaN blank; dates as Excel serial numbers),
    "bool", or "auto" (str or float per cell). `styles` is the workbook's cell-format (xf)
    index, 0 for none: one for the whole column or one per row.
    """

    values: np.ndarray
    kind: str
    styles: int | np.ndarray = 0


def column_letter(index: int) -> str:
    """Excel's name of the 0-based column `index`: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def xml_text(text: str) -> str:
    """Text escaped for an XML element, control characters written as Excel does (_xHHHH_)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LOOKS_ESCAPED.sub(r"_x005F\1", text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _style_attr(style: int) -> str:
    return f' s="{style}"' if style else ""


def _cell_tail(value: object, kind: str, style: int) -> str:
    """A cell's XML after `<c r="A1`: style, type and value, for one distinct value."""
    s = _style_attr(style)
    if value is None:
        return f'"{s}/>'
    if kind == "bool":
        return f'"{s} t="b"><v>{int(bool(value))}</v></c>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'"{s} t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'
    return f'"{s}><v>{float(value)!r}</v></c>'  # type: ignore[arg-type]


def _style_codes(column: SheetColumn, start: int, stop: int) -> tuple[np.ndarray, list[int]]:
    """Per row, a code into the list of distinct style indices that the rows use."""
    if isinstance(column.styles, np.ndarray):
        codes, distinct = pd.factorize(column.styles[start:stop])
        return codes, [int(s) for s in distinct]
    return np.zeros(stop - start, dtype=np.intp), [int(column.styles)]


def _tails(column: SheetColumn, start: int, stop: int) -> np.ndarray:
    """Each row's cell XML after `<c r="A1`; built once per distinct (value, style) pair."""
    values = column.values[start:stop]
    style_codes, styles = _style_codes(column, start, stop)
    if column.kind == "number":  # mostly distinct values: format them all in one numpy call
        floats = np.asarray(values, dtype=float)
        heads = np.array([f'"{_style_attr(s)}><v>' for s in styles], dtype=object)
        blanks = np.array([_cell_tail(None, "number", s) for s in styles], dtype=object)
        finite = np.isfinite(floats)
        whole = np.where(finite, floats, 0.0)
        if np.array_equal(whole, np.trunc(whole)) and np.all(np.abs(whole) < 2**53):
            text = whole.astype(np.int64).astype(str)  # counts: "3", not "3.0"
        else:
            text = floats.astype(str)
        cells = heads[style_codes] + text.astype(object) + "</v></c>"
        return np.where(finite, cells, blanks[style_codes])
    value_codes, distinct = pd.factorize(np.asarray(values, dtype=object))
    value_codes = np.where(value_codes < 0, len(distinct), value_codes)  # -1 (blank) -> last
    pair_codes, pairs = pd.factorize(value_codes * len(styles) + style_codes)
    candidates = [*distinct, None]
    tails = np.array(
        [
            _cell_tail(candidates[pair // len(styles)], column.kind, styles[pair % len(styles)])
            for pair in pairs
        ],
        dtype=object,
    )
    return tails[pair_codes]


def sheet_rows_xml(
    columns: Sequence[SheetColumn], start: int, stop: int, first_row: int
) -> Iterator[str]:
    """The `<row>` elements for rows start..stop-1 of `columns`, numbered from `first_row`.

    Yields the XML in batches of BATCH_ROWS rows.
    """
    prefixes = [f'<c r="{column_letter(i)}' for i in range(len(columns))]
    for batch in range(start, stop, BATCH_ROWS):
        end = min(stop, batch + BATCH_ROWS)
        numbers = np.arange(first_row + batch - start, first_row + end - start).astype(str)
        row_numbers = numbers.astype(object)
        rows = '<row r="' + row_numbers + '">'
        for prefix, column in zip(prefixes, columns, strict=True):
            rows = rows + (prefix + row_numbers) + _tails(column, batch, end)
        yield "".join(rows + "</row>")


_CELL_MARKUP = 96  # bytes of a cell's XML besides its value: longest reference, style, type
_ROW_MARKUP = 32
_NUMBER_TEXT = 25  # longest float repr
_BYTES_PER_CHAR = 7  # worst case: a control character becomes _x0001_


def xml_size_bound(columns: Sequence[SheetColumn], start: int, stop: int) -> int:
    """An upper bound of the bytes `sheet_rows_xml` yields for these rows (UTF-8 encoded)."""
    rows = stop - start
    size = rows * (_ROW_MARKUP + _CELL_MARKUP * len(columns))
    for column in columns:
        if column.kind == "number":
            size += rows * _NUMBER_TEXT
        else:
            lengths = pd.Series(column.values[start:stop], dtype=object).astype("string").str.len()
            size += int(lengths.sum()) * _BYTES_PER_CHAR + rows * _NUMBER_TEXT
    return size

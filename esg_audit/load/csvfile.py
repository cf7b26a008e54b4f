"""CSV files -> one raw sheet of text cells, indexed by the line on which each record starts.

Every cell is read as text (pandas' NA parsing is off: "NA" is Namibia). The encoding is
UTF-8 (with or without BOM), UTF-16 when the file starts with its BOM, and Windows-1252 when
the bytes are not UTF-8; anything else (a NUL byte, as UTF-16 without BOM has, or bytes
undefined in Windows-1252) is refused. The delimiter is sniffed among comma, semicolon and
tab, and an Excel `sep=;` first line is honoured.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from esg_audit.errors import InputFileError
from esg_audit.load.cells import cells_frame, object_array
from esg_audit.model import Location

DELIMITERS = (",", ";", "\t")
_SNIFF_LINES = 20
_QUOTED = re.compile(r'"[^"]*"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_UNCLOSED = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass(frozen=True)
class DecodedText:
    """A CSV file's text and the encoding it was read in ("UTF-8", "UTF-16", "Windows-1252")."""

    text: str
    encoding: str


NOT_TEXT = (
    "not a CSV text file: it holds NUL bytes (UTF-16 without a byte-order mark, or not text "
    "at all); save it as CSV UTF-8"
)
NOT_AN_ENCODING = (
    "not a CSV text file: its bytes are neither UTF-8 nor Windows-1252 (binary, or another "
    "encoding); save it as CSV UTF-8"
)


def decode(data: bytes, file: str) -> DecodedText:
    """The text of a CSV file (SPEC §3): UTF-8 with or without BOM, UTF-16 with its BOM,
    Windows-1252 when the bytes are not valid UTF-8.

    Raises InputFileError naming `file` for anything else: a NUL anywhere (UTF-16 without BOM
    reads as text with a NUL in every other byte; a binary file has them too) or bytes that
    Windows-1252 leaves undefined. No NUL ever reaches a cell.
    """
    where = Location(file=file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        if "\0" in text:  # e.g. UTF-32, whose BOM starts like UTF-16's
            raise InputFileError(NOT_TEXT, where)
        return DecodedText(text, "UTF-16")
    if b"\0" in data:
        raise InputFileError(NOT_TEXT, where)
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "UTF-8")
    try:
        return DecodedText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return DecodedText(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        raise InputFileError(NOT_AN_ENCODING, where) from None


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines most consistently (comma when none does).

    Quoted sections are ignored. For each candidate, the most common non-zero count per line
    wins lines; the candidate winning most lines (then with the larger count) is taken, so a
    decimal comma in a semicolon file or a comma in a title line does not mislead.
    """
    lines = [line for line in text[:65536].splitlines()[:_SNIFF_LINES] if line.strip()]
    lines = [_QUOTED.sub("", line) for line in lines]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        common = max(set(counts), key=lambda c: (counts.count(c), c), default=0)
        if common == 0:
            continue
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _record_lines(values: np.ndarray, text: str) -> np.ndarray:
    """The line (1 for the first) on which each record starts.

    When no record spans several lines (the common case, decided by counting line breaks
    once) the records are simply consecutive lines; otherwise each record's span is one plus
    the line breaks inside its quoted fields.
    """
    records = values.shape[0]
    single_line_records = _line_breaks(text) + (0 if text.endswith(("\n", "\r")) else 1)
    if records == 0 or single_line_records == records:
        return np.arange(1, records + 1)
    spans = np.ones(records, dtype=np.int64)
    for position in range(values.shape[1]):
        breaks = pd.Series(values[:, position], dtype=object).str.count(_LINE_BREAK.pattern)
        spans += breaks.fillna(0).to_numpy(dtype=np.int64)
    return 1 + np.concatenate(([0], np.cumsum(spans[:-1])))


def _excel_separator_line(text: str) -> str | None:
    """The delimiter named by an Excel `sep=;` first line, if the text starts with one."""
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).rstrip("\r")
    if len(first) == 5 and first[:4].lower() == "sep=":
        return first[4]
    return None


def _max_fields(text: str, delimiter: str) -> int:
    """The most fields on any line (a quoted delimiter counts too, so it is an upper bound
    for every record that stays on one line)."""
    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    following = np.append(raw[1:], 0)
    breaks = np.flatnonzero((raw == 10) | ((raw == 13) & (following != 10)))
    delimiters = np.flatnonzero(raw == ord(delimiter))
    per_line = np.diff(np.searchsorted(delimiters, np.concatenate(([0], breaks, [raw.size]))))
    return int(per_line.max()) + 1


def _split_by_pandas(text: str, delimiter: str, width: int) -> np.ndarray:
    table = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=object,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
        quotechar='"',
        doublequote=True,
        engine="c",
        low_memory=False,
    )
    return table.to_numpy(dtype=object, copy=True)


def _split_by_csv_module(text: str, delimiter: str) -> np.ndarray:
    return object_array(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))


def split_records(text: str, delimiter: str, file: str) -> np.ndarray:
    """The CSV's records as a 2-D object array of text ("" where a record is short).

    pandas' C parser does the splitting, with NA parsing off, told the most fields on any
    line so that a record longer than the header is kept whole. Only a multi-line record
    with more fields than any line has makes it give up; Python's csv module then splits it.
    """
    try:
        return _split_by_pandas(text, delimiter, _max_fields(text, delimiter))
    except pd.errors.ParserError as error:
        reason = str(error).strip().splitlines()[0].replace("Error tokenizing data. C error: ", "")
        if not reason.startswith("Expected"):
            unclosed = _UNCLOSED.search(reason)
            if unclosed:
                reason = (
                    f"a quoted field in record {int(unclosed.group(1)) + 1} (the header is "
                    "record 1) is never closed"
                )
            raise InputFileError(f"cannot read CSV: {reason}", Location(file=file)) from None
    try:
        return _split_by_csv_module(text, delimiter)
    except csv.Error as error:
        raise InputFileError(f"cannot read CSV: {error}", Location(file=file)) from None


@dataclass(frozen=True)
class CsvTable:
    """A parsed CSV: its cells frame, whether each row holds any cell, and the delimiter."""

    cells: pd.DataFrame
    filled: np.ndarray
    delimiter: str


def read_csv_text(text: str, file: str) -> CsvTable:
    """Parse CSV text into a cells frame whose index is the line on which each record starts.

    Empty columns on the right (a trailing delimiter on every line) are not part of the
    used range and are dropped, as a workbook's would be.
    """
    if "\n" not in text and "\r" in text:  # classic Mac line ends
        text = text.replace("\r", "\n")
    skipped = 0
    delimiter = _excel_separator_line(text)
    if delimiter is not None:
        skipped = 1
        end = text.find("\n")
        text = "" if end < 0 else text[end + 1 :]
    else:
        delimiter = sniff_delimiter(text)
    if not text:
        return CsvTable(
            *cells_frame(np.empty((0, 0), dtype=object), pd.RangeIndex(1, 1)), delimiter
        )
    values = split_records(text, delimiter, file)
    filled = np.flatnonzero((values != "").any(axis=0))
    values = values[:, : int(filled[-1]) + 1 if filled.size else 0]
    lines = _record_lines(values, text) + skipped
    return CsvTable(*cells_frame(values, pd.Index(lines)), delimiter)

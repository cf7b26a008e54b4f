"""findings.csv: the flagged-risk list as a CSV that opens cleanly in Excel.

UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page and garbles
names such as "Zhōngshān"), CRLF line ends (RFC 4180), a header row, one finding per line in the
report's order, due dates as YYYY-MM-DD, and text that a spreadsheet would evaluate as a formula
prefixed with a single quote. A field is quoted only where it holds a comma, a quote (doubled)
or a line break, as Python's csv module writes it; a missing value is an empty field.

The lines are made column-wise (`pieces.py`): each column's distinct values are neutralised
and quoted once, and each chunk of lines is one Arrow `take`, written by a second thread. `findings_table` is the same
table as pandas would write it, the reference the tests hold the writer to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from esg_audit.model import AuditResult
from esg_audit.reports.cells import neutralise_for_csv
from esg_audit.reports.pieces import Pieces, distinct, text_of, write_chunks

COLUMNS: tuple[str, ...] = (
    "supplier_id", "name", "rule_id", "severity", "status", "title", "message", "remediation",
    "due",
)
TEXT_COLUMNS: tuple[str, ...] = COLUMNS[:-1]
BOM = "\ufeff"
LINE_END = "\r\n"
CHUNK_LINES = 20_000  # findings written at once: a few MB


def findings_table(result: AuditResult) -> pd.DataFrame:
    """The findings as the CSV writes them: text neutralised, due as ISO date text."""
    findings = result.findings
    table = pd.DataFrame(
        {column: neutralise_for_csv(findings[column]) for column in TEXT_COLUMNS},
        index=findings.index,
    )
    table["due"] = _iso_dates(findings["due"])
    return table.reset_index(drop=True)


def write_findings_csv(result: AuditResult, path: Path) -> None:
    """Write `result.findings` to `path` atomically (see the module docstring for the format)."""
    write_chunks(Path(path), _lines(result))


def _lines(result: AuditResult) -> Iterator[bytes | pa.Buffer]:
    yield (BOM + ",".join(_field(c) for c in COLUMNS) + LINE_END).encode()
    findings = result.findings
    n = len(findings)
    if not n:
        return
    table = Pieces()
    for k, column in enumerate(COLUMNS):
        end = LINE_END if k == len(COLUMNS) - 1 else ","
        values = findings[column]
        codes, uniques = distinct(values.to_numpy(dtype=object) if column == "due" else values)
        shown = pd.Series(uniques, dtype=object)
        texts = _iso_dates(shown) if column == "due" else neutralise_for_csv(shown)
        table.add(codes, [_field(text) + end for text in texts.tolist()])
    pieces = table.done()
    for begin in range(0, n, CHUNK_LINES):
        yield text_of(pieces, table.rows(begin, min(begin + CHUNK_LINES, n)))


def _iso_dates(values: pd.Series) -> pd.Series:
    due = pd.to_datetime(values.astype(object), errors="coerce")
    return due.dt.strftime("%Y-%m-%d").astype("string")


def _field(text: Any) -> str:
    """One field as Python's csv module writes it (QUOTE_MINIMAL, quotes doubled); a missing
    value as an empty field."""
    if text is None or text is pd.NA:
        return ""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return str(text)

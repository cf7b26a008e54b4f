"""Property: any bytes in a .csv file are either read (every non-blank row audited or listed,
no NUL in a supplier id) or refused with InputFileError naming the file; nothing else."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from esg_audit.errors import InputFileError
from esg_audit.load import load_inputs
from esg_audit.model import AuditData, RawSheet
from esg_audit.normalise import normalise
from esg_audit.normalise.headers import HeaderMatcher
from esg_audit.normalise.sheet import _find_header_row
from esg_audit.schema import validate
from tests.fuzz.sheets import assert_rows_accounted, sheets

AS_OF = date(2026, 11, 27)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "latin-1", "gb18030", "shift_jis"]
ACCEPTED = {"utf-8", "utf-8-sig", "utf-16"}  # read as written, never refused


def csv_text(rows: list[list[object]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue()


def audit(data: bytes) -> tuple[str, Any]:
    """("refused", message) or ("read", (AuditData, raw sheet, path))."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "suppliers.csv")
        with open(path, "wb") as stream:
            stream.write(data)
        try:
            loaded = load_inputs([path])
            normalised = normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF)
        except InputFileError as error:
            assert path in str(error), str(error)
            assert "\n" not in str(error)
            return "refused", str(error)
        return "read", (validate(normalised, as_of=AS_OF), loaded.sheets[0], path)


def accounted(outcome: tuple[AuditData, RawSheet, str]) -> None:
    """The accounting property, the non-blank rows taken from the raw sheet as read (below
    the header row the normaliser's own header search finds: header detection has its own
    tests)."""
    data, raw, path = outcome
    header_at = _find_header_row(raw.cells, HeaderMatcher("Suppliers", raw.sheet, {}, {}))
    assert header_at is not None  # the audit ran, so a header was found
    body = raw.cells.iloc[header_at + 1 :]
    filled = body.map(lambda v: v is not None and bool(str(v).strip())).any(axis=1)
    rows = {int(r) for r, any_cell in zip(body.index, filled, strict=True) if any_cell}
    assert_rows_accounted(data, {(path, raw.sheet): rows})


@given(sheet=sheets("Suppliers"), encoding=st.sampled_from(ENCODINGS),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_generated_csv_in_any_encoding(sheet, encoding, delimiter):
    text = csv_text(sheet.rows, delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    outcome, detail = audit(data)
    event(f"{encoding}: {outcome}")
    if outcome == "read":
        accounted(detail)
    else:
        # A file in an accepted encoding is refused only for a NUL, which never reaches an id.
        assert encoding not in ACCEPTED or "\x00" in text, detail
        assert "not a CSV text file" in str(detail) or "cannot read CSV" in str(detail) \
            or "no header row" in str(detail) or "no supplier_id column" in str(detail), detail


@given(sheet=sheets("Suppliers"), cuts=st.lists(st.tuples(st.integers(0, 10**4),
                                                          st.binary(max_size=4)), max_size=4))
def test_mutated_csv_bytes(sheet, cuts):
    data = bytearray(csv_text(sheet.rows, ",").encode("utf-8"))
    for at, replacement in cuts:
        at %= max(len(data), 1)
        data[at : at + len(replacement)] = replacement
    outcome, detail = audit(bytes(data))
    event(outcome)
    if outcome == "read":
        accounted(detail)


@given(data=st.binary(max_size=400))
def test_random_bytes(data):
    outcome, detail = audit(data)
    event(outcome if outcome == "read" else str(detail).split(": ", 1)[1][:40])
    if outcome == "read":
        accounted(detail)

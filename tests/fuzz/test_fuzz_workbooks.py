"""Property: generated workbooks, written to real .xlsx files (error values as error cells),
go through the loader, normalisation and validation; every error cell is found where it was
written, and every non-blank row is audited or listed."""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime, time

import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from esg_audit.load import load_inputs
from esg_audit.normalise import normalise
from esg_audit.schema import validate
from tests.fuzz.sheets import Error, Sheet, assert_rows_accounted, non_blank_rows, sheets

AS_OF = date(2026, 11, 27)


def write_workbook(path: str, generated: list[Sheet], title_rows: int) -> None:
    book = xlsxwriter.Workbook(path)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = book.add_format({"num_format": "hh:mm:ss"})
    for sheet in generated:
        out = book.add_worksheet(sheet.name)
        if title_rows:
            out.write_string(0, 0, f"{sheet.name} returned by the supplier")
        for i, row in enumerate(sheet.rows):
            r = title_rows + i
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Error):
                    out.write_formula(r, j, "=1/0", None, str(value))
                elif isinstance(value, str):
                    out.write_string(r, j, value)
                elif isinstance(value, bool):
                    out.write_boolean(r, j, value)
                elif isinstance(value, datetime):
                    out.write_datetime(r, j, value, moment)
                elif isinstance(value, date):
                    out.write_datetime(r, j, value, day)
                elif isinstance(value, time):
                    out.write_datetime(r, j, value, clock)
                else:
                    out.write_number(r, j, value)
    book.close()


@given(suppliers=sheets("Suppliers"), certificates=st.none() | sheets("Certificates"),
       emissions=st.none() | sheets("Emissions"), title_rows=st.sampled_from([0, 2]))
def test_generated_xlsx_workbooks_account_for_every_row(suppliers, certificates, emissions,
                                                        title_rows):
    generated = [s for s in (suppliers, certificates, emissions) if s is not None]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "book.xlsx")
        write_workbook(path, generated, title_rows)

        loaded = load_inputs([path])
        data = validate(normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF),
                        as_of=AS_OF)

    for sheet, raw in zip(generated, loaded.sheets, strict=True):
        written = sorted((title_rows + 1 + i, j, str(v)) for i, row in enumerate(sheet.rows)
                         for j, v in enumerate(row) if isinstance(v, Error))
        errors = raw.errors
        found = [] if errors is None else sorted(
            (int(r), int(c), str(t))
            for r, c, t in zip(errors.rows, errors.columns, errors.texts, strict=True))
        # The used range starts at the first used column: columns count from there.
        offset = min((j for row in sheet.rows for j, v in enumerate(row) if v is not None
                      and v != ""), default=0) if not title_rows else 0
        assert [(r, c + offset, t) for r, c, t in found] == written
    first = title_rows + 1
    assert_rows_accounted(data, {(path, s.name): non_blank_rows(s, first) for s in generated})

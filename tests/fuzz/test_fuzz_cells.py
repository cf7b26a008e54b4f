"""Property: cell values of every kind go through normalisation and validation without an
exception, and every non-blank row is audited or listed as a data issue."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from esg_audit.normalise import normalise
from esg_audit.schema import validate
from tests.fuzz.sheets import assert_rows_accounted, loaded, non_blank_rows, raw_sheet, sheets

AS_OF = st.sampled_from([date(2026, 11, 27), date(1985, 6, 1), date(1900, 1, 1),
                         date(2199, 12, 31), date(1989, 12, 31)])


@given(suppliers=sheets("Suppliers"), certificates=st.none() | sheets("Certificates"),
       emissions=st.none() | sheets("Emissions"), as_of=AS_OF)
def test_every_non_blank_row_is_audited_or_listed(suppliers, certificates, emissions, as_of):
    generated = [s for s in (suppliers, certificates, emissions) if s is not None]
    normalised = normalise(loaded(*map(raw_sheet, generated)), column_map=None,
                           extra_fields={}, as_of=as_of)
    data = validate(normalised, as_of=as_of)

    assert_rows_accounted(data, {("book.xlsx", s.name): non_blank_rows(s) for s in generated})


@given(first=sheets("Suppliers"), second=sheets("Suppliers"))
def test_two_files_merge_and_still_account_for_every_row(first, second):
    raws = [raw_sheet(first, "a.xlsx"), raw_sheet(second, "b.xlsx")]
    as_of = date(2026, 11, 27)
    data = validate(normalise(loaded(*raws), column_map=None, extra_fields={}, as_of=as_of),
                    as_of=as_of)

    assert_rows_accounted(data, {("a.xlsx", "Suppliers"): non_blank_rows(first),
                                 ("b.xlsx", "Suppliers"): non_blank_rows(second)})

"""Date columns (SPEC §3: Dates)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from esg_audit.model import Note


def _certificates(kit, *rows, header=("Valid Until",)):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "Acme"]])
    certificates = kit.sheet([["Supplier ID", *header], *[["S1", *r] for r in rows]],
                             "Certificates")
    return suppliers, certificates


def _dates(data, name="valid_until"):
    return [None if pd.isna(v) else v.date() for v in data.certificates[name]]


def test_every_written_form(kit):
    data = kit.audit(*_certificates(
        kit,
        [date(2026, 3, 4)], [datetime(2026, 3, 4, 15, 30)], ["2026-03-04"],
        ["2026-03-04T10:20:30"], ["2026-03-04 10:20"], ["2026/3/4"], ["2026/03/04"],
        ["04.03.2026"], ["4.3.2026"], ["25/12/2026"], ["12/25/2026"], ["05/05/2026"],
    ))
    assert _dates(data) == [date(2026, 3, 4)] * 9 + [date(2026, 12, 25)] * 2 + [date(2026, 5, 5)]
    assert str(data.certificates["valid_until"].dtype) == "datetime64[ns]"
    assert data.data_issues == ()


def test_ambiguous_slashed_dates_need_date_format(kit):
    sheets = _certificates(kit, ["03/04/2026"], ["3/4/2026"], ["25/12/2026"])
    data = kit.audit(*sheets)
    assert _dates(data) == [None, None, date(2026, 12, 25)]
    assert kit.issues(data) == [
        ("book.xlsx", "Certificates", 2, "Valid Until", "03/04/2026",
         "ambiguous date: 03/04/2026 reads as 3 April or 4 March; set date_format"),
        ("book.xlsx", "Certificates", 3, "Valid Until", "3/4/2026",
         "ambiguous date: 3/4/2026 reads as 3 April or 4 March; set date_format"),
    ]
    assert _dates(kit.audit(*sheets, date_format="day-first")) == [
        date(2026, 4, 3), date(2026, 4, 3), date(2026, 12, 25)]
    assert _dates(kit.audit(*sheets, date_format="month-first")) == [
        date(2026, 3, 4), date(2026, 3, 4), date(2026, 12, 25)]


def test_a_date_with_a_single_valid_reading_is_parsed_whatever_date_format_says(kit):
    data = kit.audit(*_certificates(kit, ["12/25/2026"], ["25/12/2026"]),
                     date_format="day-first")
    assert _dates(data) == [date(2026, 12, 25), date(2026, 12, 25)]


@pytest.mark.parametrize("cell, shown", [
    ("2026-02-30", "2026-02-30"), ("31/31/2026", "31/31/2026"), ("next year", "next year"),
    ("2026-3-4", "2026-3-4"), (46000, "46000"), (True, "TRUE"), ("04.03.26", "04.03.26"),
])
def test_not_a_date(kit, cell, shown):
    data = kit.audit(*_certificates(kit, [cell]))
    assert _dates(data) == [None]
    assert kit.issues(data) == [
        ("book.xlsx", "Certificates", 2, "Valid Until", shown, "not a date")]


def test_markers_in_date_columns_are_noted(kit):
    data = kit.audit(*_certificates(kit, ["N/A"], ["-"], [None]))
    assert _dates(data) == [None, None, None]
    assert data.data_issues == ()
    assert data.notes == (
        Note("book.xlsx", "Certificates", "Valid Until", "2 cells read as missing (-, N/A)"),)


def test_open_ended_dates_are_kept_within_the_supported_span(kit):
    data = kit.audit(*_certificates(kit, [date(9999, 12, 31)], ["9999-12-31"], ["2027-01-01"]))
    assert _dates(data) == [date(2262, 4, 11), date(2262, 4, 11), date(2027, 1, 1)]
    assert data.notes == (Note(
        "book.xlsx", "Certificates", "Valid Until",
        "2 dates outside 1677-09-22 .. 2262-04-11 read as the nearest of those two"),)


def test_issue_value_of_a_datetime_is_iso(kit):
    data = kit.audit(kit.suppliers(["Spend"], ["S1", datetime(2026, 3, 4, 10, 5)],
                                   ["S2", date(2026, 3, 4)]))
    assert [i.value for i in data.data_issues] == ["2026-03-04T10:05:00", "2026-03-04"]

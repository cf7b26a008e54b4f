"""Text columns, countries, ids and other columns (SPEC §3: Text, Other columns)."""

from __future__ import annotations

from datetime import date

import pytest

from esg_audit.model import Note
from esg_audit.normalise.countries import COUNTRY_CODES, OFFICIAL_CODES


def test_text_is_trimmed_and_empty_is_missing_and_na_is_namibia(kit):
    data = kit.audit(kit.suppliers(
        ["Name", "Country", "Category"],
        ["S1", "  Acme GmbH ", "NA", "N/A"], ["S2", "   ", "de", ""], ["S3", "-", " fr ", "n/a"],
    ))
    assert kit.column(data, "name") == ["Acme GmbH", None, "-"]
    assert kit.column(data, "country") == ["NA", "DE", "FR"]
    assert kit.column(data, "category") == ["N/A", None, "n/a"]
    assert str(data.suppliers["country"].dtype) == "string"
    assert data.data_issues == () and data.notes == ()


def test_float_ids_from_excel_become_whole_number_text(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], [1001.0, "A"], [1002, "B"], ["1003", "C"],
                           [1004.5, "D"]])
    certificates = kit.sheet([["Supplier ID", "Standard"], ["1001", "ISO 14001"],
                              [1002.0, "ISO 9001"]], "Certificates")
    data = kit.audit(suppliers, certificates)
    assert kit.column(data, "supplier_id") == ["1001", "1002", "1003", "1004.5"]
    assert kit.column(data, "supplier_id", "certificates") == ["1001", "1002"]
    assert data.data_issues == ()


def test_other_cell_kinds_in_text_columns(kit):
    data = kit.audit(kit.suppliers(["Name"], ["S1", True], ["S2", date(2026, 1, 2)],
                                   ["S3", 0.25]))
    assert kit.column(data, "name") == ["TRUE", "2026-01-02", "0.25"]


def test_other_columns_are_kept_as_text_by_snake_cased_header(kit):
    data = kit.audit(kit.suppliers(
        ["Name", "CBAM Embedded tCO2e", "Audit Score (%)", "Audit Score %"],
        ["S1", "A", 12.0, " 80 ", "N/A"], ["S2", "B", None, "", 0.5],
    ))
    assert kit.column(data, "cbam_embedded_tco2e") == ["12", None]
    assert kit.column(data, "audit_score") == ["80", None]
    assert kit.column(data, "audit_score_2") == ["N/A", "0.5"]
    assert list(data.suppliers.columns)[-6:] == [
        "cbam_embedded_tco2e", "audit_score", "audit_score_2", "_file", "_sheet", "_row"]


def test_every_canonical_column_is_present_and_typed(kit):
    data = kit.audit(kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]))
    assert {c: str(t) for c, t in data.suppliers.dtypes.items()} == {
        "supplier_id": "string", "name": "string", "country": "string", "category": "string",
        "annual_spend": "Float64", "renewable_share": "Float64", "energy_mwh": "Float64",
        "scope1_tco2e": "Float64", "scope2_tco2e": "Float64", "scope3_tco2e": "Float64",
        "revenue_musd": "Float64", "reporting_year": "Int64", "on_time_delivery": "Float64",
        "defect_ppm": "Float64", "price_index": "Float64", "sbti_target": "boolean",
        "_file": "string", "_sheet": "string", "_row": "int64",
    }


def test_country_codes(kit):
    assert len(OFFICIAL_CODES) == 249
    assert {"DE", "NA", "GB", "CN", "SS", "BQ", "CW", "SX", "AX"} <= OFFICIAL_CODES
    assert {"UK", "EL", "EU", "XK", "AN", "YU"}.isdisjoint(OFFICIAL_CODES)
    assert COUNTRY_CODES == OFFICIAL_CODES | {"XK"}
    data = kit.audit(kit.suppliers(
        ["Country"], ["S1", "de"], ["S2", "xk"], ["S3", "UK"], ["S4", "XX"], ["S5", "Germany"],
        ["S6", "na"], ["S7", "EL"],
    ))
    assert kit.column(data, "country") == ["DE", "XK", "GB", None, "DE", "NA", None]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 5, "Country", "XX", "unknown country code"),
        ("book.xlsx", "Suppliers", 8, "Country", "EL", "unknown country code (Greece is GR)"),
    ]


def test_certificate_status(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"]])
    certificates = kit.sheet([
        ["Supplier ID", "Standard", "Status"], ["S1", "ISO 9001", "ACTIVE"],
        ["S1", "ISO 9001", " Withdrawn "], ["S1", "ISO 9001", "expired"],
        ["S1", "ISO 9001", None], ["S1", "ISO 9001", "pending"],
    ], "Certificates")
    data = kit.audit(suppliers, certificates)
    assert kit.column(data, "status", "certificates") == [
        "active", "withdrawn", "expired", None, None]
    assert kit.issues(data) == [(
        "book.xlsx", "Certificates", 6, "Status", "pending",
        "unknown status (expected active, suspended, withdrawn or expired)",
    )]


def test_emission_years_outside_the_range(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"]])
    emissions = kit.sheet([["Supplier ID", "Year", "Scope 1"], ["S1", 1990, 1],
                           ["S1", 2027, 2], ["S1", 1989, 3], ["S1", 2028, 4]], "Emissions")
    data = kit.audit(suppliers, emissions)
    assert kit.column(data, "year", "emissions") == [1990, 2027, None, None]
    assert kit.cells(data) == [(4, "Year"), (5, "Year")]
    assert [i.problem for i in data.data_issues] == ["outside [1990, 2027]"] * 2


def test_notes_name_file_sheet_and_header_as_written(kit):
    data = kit.audit(kit.suppliers(["OTD"], ["S1", 90]))
    assert data.notes == (Note(
        "book.xlsx", "Suppliers", "OTD",
        "read as percent (values above 1, all within [0, 100]) and divided by 100"),)


@pytest.mark.parametrize("as_of", [date(1985, 6, 1), date(1900, 1, 1), date(1988, 12, 31)])
def test_an_as_of_before_1989_leaves_no_valid_year(kit, as_of):
    """Released: pandera refused the empty range 1990..as-of year + 1 and the audit crashed."""
    suppliers = kit.sheet([["Supplier ID", "Name", "Reporting Year"], ["S1", "A", 1984],
                           ["S2", "B", 1995], ["S3", "C", None]])
    emissions = kit.sheet([["Supplier ID", "Year", "Scope 1"], ["S1", 1984, 1]], "Emissions")
    data = kit.audit(suppliers, emissions, as_of=as_of)
    assert kit.column(data, "supplier_id") == ["S1", "S2", "S3"]
    assert kit.column(data, "reporting_year") == [None, None, None]
    assert kit.column(data, "year", "emissions") == [None]
    problem = f"outside [1990, as-of year + 1]: no year is valid as of {as_of.year}"
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 2, "Reporting Year", "1984", problem),
        ("book.xlsx", "Suppliers", 3, "Reporting Year", "1995", problem),
        ("book.xlsx", "Emissions", 2, "Year", "1984", problem),
    ]


def test_an_as_of_in_1989_accepts_1990_only(kit):
    suppliers = kit.sheet([["Supplier ID", "Name", "Reporting Year"], ["S1", "A", 1990],
                           ["S2", "B", 1991]])
    data = kit.audit(suppliers, as_of=date(1989, 1, 1))
    assert kit.column(data, "reporting_year") == [1990, None]
    assert [i.problem for i in data.data_issues] == ["outside [1990, 1990]"]


def test_a_supplier_id_holding_a_nul_character_is_not_audited(kit):
    """Found by fuzzing: an id such as "S1\\x00" (a workbook can hold one as `_x0000_`) was
    audited; NUL characters never reach a supplier id."""
    data = kit.audit(kit.suppliers(["Name"], ["S1\x00", "A"], ["\x00", "B"], ["S3", "C"]))
    assert kit.column(data, "supplier_id") == ["S3"]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 2, "Supplier ID", "S1\x00", "supplier_id holds a NUL character"),
        ("book.xlsx", "Suppliers", 3, "Supplier ID", "\x00", "supplier_id holds a NUL character"),
    ]


def test_the_white_space_trimmed_is_what_str_strip_removes():
    from esg_audit.normalise.cells import WHITE_SPACE

    assert WHITE_SPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def test_ids_in_arrow_that_are_error_values_or_hold_nul_are_found():
    """The byte scan that skips the search on clean id columns still finds every bad id."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from esg_audit.normalise.cells import text_series
    from esg_audit.normalise.sheet import ERROR_ID, NUL_ID, _id_problems

    ids = text_series(pa.array(["S1", "#REF!", "S#3", None, "S\x005", "#N/A"]), pd.RangeIndex(6))
    shown, problems, flagged = _id_problems(ids, None)
    assert flagged.tolist() == [False, True, False, False, True, True]
    assert problems.tolist() == [None, ERROR_ID, None, None, NUL_ID, "no supplier_id"]
    assert shown.tolist() == [None, "#REF!", None, None, "S\x005", "#N/A"]
    clean = text_series(pa.array(["S1", "S2", None]), pd.RangeIndex(3))
    shown, problems, flagged = _id_problems(clean, np.array([None, "#DIV/0!", None], dtype=object))
    assert flagged.tolist() == [False, True, False]
    assert problems.tolist() == [None, ERROR_ID, None]
    assert shown.tolist() == [None, "#DIV/0!", None]

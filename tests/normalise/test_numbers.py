"""Numbers, units, years and shares (SPEC §3: Percentages/fractions, Units, Text markers)."""

from __future__ import annotations

import pandas as pd

from esg_audit.model import DataIssue, Note


def test_numbers_from_excel_and_from_text(kit):
    data = kit.audit(kit.suppliers(
        ["Annual Spend"],
        ["S1", 1234.5], ["S2", "1,234.5"], ["S3", " 2500 "], ["S4", "1,234,567"], ["S5", 7],
        ["S6", "12,34"], ["S7", "1.2.3"], ["S8", "€100"], ["S9", True], ["S10", "inf"],
    ))
    assert kit.column(data, "annual_spend") == [
        1234.5, 1234.5, 2500.0, 1234567.0, 7.0, None, None, None, None, None,
    ]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", row, "Annual Spend", value, "not a number")
        for row, value in ((7, "12,34"), (8, "1.2.3"), (9, "€100"), (10, "TRUE"), (11, "inf"))
    ]


def test_units_in_cells_override_the_header(kit):
    data = kit.audit(kit.suppliers(
        ["Scope 1 (t)", "Energy (MWh)"],
        ["S1", "1200 kg", "3 GWh"], ["S2", "1.5 t", "500 kWh"], ["S3", "2 MtCO2e", "4"],
        ["S4", "1,500 kgCO2e", "2 MWh"], ["S5", "5 lbs", "1 kg"], ["S6", "3 tonnes", None],
    ))
    assert kit.column(data, "scope1_tco2e") == [1.2, 1.5, 2000000.0, 1.5, None, 3.0]
    assert kit.column(data, "energy_mwh") == [3000.0, 0.5, 4.0, 2.0, None, None]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 6, "Scope 1 (t)", "5 lbs", "unknown unit 'lbs'"),
        ("book.xlsx", "Suppliers", 6, "Energy (MWh)", "1 kg", "unknown unit 'kg'"),
    ]


def test_defect_rates_in_percent_become_ppm(kit):
    data = kit.audit(kit.suppliers(["Defect Rate (%)", "Defects (ppm)"],
                                   ["S1", 0.5, "0.1%"], ["S2", "2", 150]))
    assert kit.column(data, "defect_ppm") == [5000.0, 20000.0]
    assert kit.column(data, "defects_ppm") == ["0.1%", "150"]  # the second defect column
    data = kit.audit(kit.suppliers(["PPM"], ["S1", "0.1%"], ["S2", "120 ppm"], ["S3", 80]))
    assert kit.column(data, "defect_ppm") == [1000.0, 120.0, 80.0]


def test_unit_conversion_is_exact(kit):
    data = kit.audit(kit.suppliers(["Scope 2 (kg)"], ["S1", 1200], ["S2", 100]))
    assert kit.column(data, "scope2_tco2e") == [1.2, 0.1]


def test_us_metric_tons_and_megatonnes(kit):
    data = kit.audit(kit.suppliers(["Scope 1 (MTCO2e)", "Scope 2 (MtCO2e)"], ["S1", 5, 5]))
    assert kit.column(data, "scope1_tco2e") == [5.0]
    assert kit.column(data, "scope2_tco2e") == [5000000.0]


def test_missing_markers_in_number_columns_are_noted_not_flagged(kit):
    data = kit.audit(kit.suppliers(
        ["Spend", "Defects (ppm)", "Name"],
        ["S1", "N/A", "-", "NA"], ["S2", "n/a", 5, "n.a."], ["S3", "#N/A", "NA", "-"],
        ["S4", "n.a.", "x", None],
    ))
    assert kit.column(data, "annual_spend") == [None, None, None, None]
    assert kit.column(data, "defect_ppm") == [None, 5.0, None, None]
    assert kit.column(data, "name") == ["NA", "n.a.", "-", None]
    assert data.notes == (
        Note("book.xlsx", "Suppliers", "Spend", "4 cells read as missing (#N/A, N/A, n.a., n/a)"),
        Note("book.xlsx", "Suppliers", "Defects (ppm)", "2 cells read as missing (-, NA)"),
    )
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 5, "Defects (ppm)", "x", "not a number"),
    ]


def test_years(kit):
    data = kit.audit(kit.suppliers(
        ["Reporting Year"], ["S1", 2025], ["S2", "2024"], ["S3", 2024.5], ["S4", "FY24"],
        ["S5", 1989], ["S6", 2027], ["S7", 2028],
    ))
    assert kit.column(data, "reporting_year") == [2025, 2024, None, None, None, 2027, None]
    assert str(data.suppliers["reporting_year"].dtype) == "Int64"
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 4, "Reporting Year", "2024.5", "not a year"),
        ("book.xlsx", "Suppliers", 5, "Reporting Year", "FY24", "not a year"),
        ("book.xlsx", "Suppliers", 6, "Reporting Year", "1989", "outside [1990, 2027]"),
        ("book.xlsx", "Suppliers", 8, "Reporting Year", "2028", "outside [1990, 2027]"),
    ]


def test_share_fraction_column_with_percent_cells(kit):
    data = kit.audit(kit.suppliers(
        ["Renewable Share", "OTD"],
        ["S1", 0.45, "97.5%"], ["S2", "45%", 0.9], ["S3", "45 %", "1"], ["S4", 0, "0%"],
    ))
    assert kit.column(data, "renewable_share") == [0.45, 0.45, 0.45, 0.0]
    assert kit.column(data, "on_time_delivery") == [0.975, 0.9, 1.0, 0.0]
    assert data.data_issues == () and data.notes == ()


def test_percent_header_means_percent(kit):
    data = kit.audit(kit.suppliers(
        ["Renewable Share (%)"], ["S1", 45], ["S2", 0.5], ["S3", "60%"], ["S4", 101],
    ))
    assert kit.column(data, "renewable_share") == [0.45, 0.005, 0.6, None]
    assert data.notes == ()
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 5, "Renewable Share (%)", "101", "outside [0, 100]"),
    ]


def test_values_above_one_within_hundred_are_percent_with_a_note(kit):
    data = kit.audit(kit.suppliers(
        ["On-time Delivery"], ["S1", 95], ["S2", 0.5], ["S3", "88"], ["S4", 250], ["S5", -3],
        ["S6", "120%"],
    ))
    assert kit.column(data, "on_time_delivery") == [0.95, 0.005, 0.88, None, None, None]
    assert data.notes == (Note(
        "book.xlsx", "Suppliers", "On-time Delivery",
        "read as percent (values above 1, all within [0, 100]) and divided by 100",
    ),)
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 5, "On-time Delivery", "250", "outside [0, 100]"),
        ("book.xlsx", "Suppliers", 6, "On-time Delivery", "-3", "outside [0, 100]"),
        ("book.xlsx", "Suppliers", 7, "On-time Delivery", "120%", "outside [0%, 100%]"),
    ]


def test_fraction_column_flags_values_outside_zero_to_one(kit):
    data = kit.audit(kit.suppliers(["Renewable Share"], ["S1", 0.3], ["S2", -0.1], ["S3", 150]))
    assert kit.column(data, "renewable_share") == [0.3, None, None]
    assert data.notes == ()
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 3, "Renewable Share", "-0.1", "outside [0, 1]"),
        ("book.xlsx", "Suppliers", 4, "Renewable Share", "150", "outside [0, 1]"),
    ]


def test_percent_is_decided_per_file_and_sheet(kit):
    first = kit.suppliers(["Renewable Share"], ["S1", 60], file="a.xlsx")
    second = kit.suppliers(["Renewable Share"], ["S2", 0.6], file="b.xlsx")
    data = kit.audit(first, second)
    assert kit.column(data, "renewable_share") == [0.6, 0.6]
    assert [n.file for n in data.notes] == ["a.xlsx"]


def test_ranges_of_numbers(kit):
    data = kit.audit(kit.suppliers(
        ["Spend", "Energy", "Scope 1", "Scope 2", "Scope 3", "Revenue", "Defect PPM",
         "Price Index"],
        ["S1", -1, -2, -3, -4, -5, -6, -7, 0],
        ["S2", 0, 0, 0, 0, 0, 0, 0, 0.01],
    ))
    assert kit.cells(data) == [
        (2, "Spend"), (2, "Energy"), (2, "Scope 1"), (2, "Scope 2"), (2, "Scope 3"),
        (2, "Revenue"), (2, "Defect PPM"), (2, "Price Index"),
    ]
    assert [i.problem for i in data.data_issues] == ["below 0"] * 7 + ["not above 0"]
    row = data.suppliers.iloc[0]
    assert all(row[c] is pd.NA for c in (
        "annual_spend", "energy_mwh", "scope1_tco2e", "scope2_tco2e", "scope3_tco2e",
        "revenue_musd", "defect_ppm", "price_index"))
    assert kit.column(data, "price_index") == [None, 0.01]


def test_issue_values_render_the_cell_as_a_person_reads_it(kit):
    data = kit.audit(kit.suppliers(["Spend"], ["S1", -45.0], ["S2", -0.25], ["S3", False]))
    assert [i.value for i in data.data_issues] == ["-45", "-0.25", "FALSE"]
    assert data.data_issues[0] == DataIssue("book.xlsx", "Suppliers", 2, "Spend", "-45",
                                            "below 0")


def test_a_number_past_a_float_after_its_unit_is_too_large(kit):
    """Found by fuzzing: 1e308 GWh overflowed to inf (with a numpy warning) and was audited."""
    data = kit.audit(kit.suppliers(["Name", "Energy (GWh)", "Scope 1"],
                                   ["S1", "A", 1e308, "1" + "0" * 400],
                                   ["S2", "B", "1.5e308", 5.0]))
    assert kit.column(data, "energy_mwh") == [None, None]
    assert kit.column(data, "scope1_tco2e") == [None, 5.0]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 2, "Energy (GWh)", "1e+308", "too large"),
        ("book.xlsx", "Suppliers", 2, "Scope 1", "1" + "0" * 400, "too large"),
        ("book.xlsx", "Suppliers", 3, "Energy (GWh)", "1.5e308", "too large"),
    ]


def test_plain_numbers_of_arrow_text_are_those_of_the_pattern():
    """A column of numbers only is parsed in one cast, a mixed one sorted first: both read
    exactly the cells the plain-number pattern takes, with the values Arrow gives them."""
    import re

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from esg_audit.normalise.numbers import _PLAIN_NUMBER, _plain_numbers

    pattern = re.compile(_PLAIN_NUMBER)
    numbers = ["1", "2.5", ".5", "5.", "+2", "-.25", "1e3", "1.E-2", "007", "5e-324", "1e-400",
               "1e400", "nan", "inf", "-Infinity", None]
    others = ["n/a", ".", "1.2.3", "1,000", "1e", "e5", "0x10", "١٢", "１２", "12 kg", "", "+-1"]
    for cells in (numbers, numbers + others, others):
        values = _plain_numbers(pa.array(cells, type=pa.large_string()))
        assert values is not None
        for cell, value in zip(cells, values.tolist(), strict=True):
            if cell is not None and pattern.match(cell):
                expected = pc.cast(pa.array([cell]), pa.float64())[0].as_py()
                if np.isfinite(expected):
                    assert value == expected, cell
                    continue
            assert np.isnan(value), cell
    assert _plain_numbers(pa.array(["1", "-0"], type=pa.large_string())) is None
    assert _plain_numbers(pa.array(["x", "-0"], type=pa.large_string())) is None

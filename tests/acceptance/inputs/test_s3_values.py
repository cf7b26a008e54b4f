"""SPEC §3: percentages/fractions, units, dates, booleans, standards, other columns, text."""

from __future__ import annotations

from datetime import datetime

import pytest


def _sheet(header, *values):
    return {"Suppliers": [["Supplier ID", "Name", header]]
            + [[f"S{i + 1}", f"N{i + 1}", v] for i, v in enumerate(values)]}


# --- percentages / fractions -----------------------------------------------------------------

@pytest.mark.parametrize("field", ["renewable_share", "on_time_delivery"])
def test_percent_sign_in_cells_means_percent(acc, field):
    header = {"renewable_share": "Renewable Share", "on_time_delivery": "On Time Delivery"}[field]
    book = acc.xlsx("b.xlsx", _sheet(header, "45%", "100 %", 0.5))
    run = acc.check([book], {"V": f"{field} == 0.45", "W": f"{field} == 1", "X": f"{field} == 0.5"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["W"] == "pass"
    assert run.statuses("S3")["X"] == "pass"
    assert run.issues == []


def test_percent_header_means_percent(acc):
    book = acc.xlsx("b.xlsx", _sheet("On-time Delivery (%)", 95, 0.5))
    run = acc.check([book], {"V": "on_time_delivery == 0.95", "W": "on_time_delivery == 0.005"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["W"] == "pass"
    assert run.notes == []


def test_numeric_column_all_within_0_1_is_a_fraction(acc):
    book = acc.xlsx("b.xlsx", _sheet("Renewable Share", 0.45, 1, 0))
    run = acc.check([book], {"V": "renewable_share == 0.45", "W": "renewable_share == 1"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["W"] == "pass"
    assert run.notes == [] and run.issues == []


def test_numeric_column_above_1_and_within_100_is_percent_with_a_note(acc):
    book = acc.xlsx("b.xlsx", _sheet("Renewable Share", 45, 0.5, 100))
    run = acc.check([book], {"V": "renewable_share == 0.45", "W": "renewable_share == 0.005",
                             "X": "renewable_share == 1"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["W"] == "pass"
    assert run.statuses("S3")["X"] == "pass"
    assert run.issues == []
    assert len(run.notes) == 1
    note = run.notes[0]
    assert (note["file"], note["sheet"], note["column"]) == (str(book), "Suppliers",
                                                             "Renewable Share")
    assert "percent" in note["note"]


def test_text_numbers_in_a_share_column_decide_like_numbers(acc):
    path = acc.text("s.csv", "Supplier ID,Renewable Share\nS1,45\nS2,0.5\n")
    run = acc.check([path], {"V": "renewable_share == 0.45", "W": "renewable_share == 0.005"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["W"] == "pass"
    assert len(run.notes) == 1


def test_share_outside_0_100_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", _sheet("Renewable Share", 45, 150, -5, "120%"))
    run = acc.check([book], {"V": "renewable_share == 0.45", "M": "isna(renewable_share)"})
    assert run.statuses("S1")["V"] == "pass"
    assert [run.statuses(s)["M"] for s in ("S2", "S3", "S4")] == ["pass"] * 3
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (3, "Renewable Share", "150"), (4, "Renewable Share", "-5"),
        (5, "Renewable Share", "120%")]


def test_fraction_column_with_negative_value_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", _sheet("Renewable Share", 0.4, -0.1))
    run = acc.check([book], {"V": "renewable_share == 0.4", "M": "isna(renewable_share)"})
    assert run.statuses("S1")["V"] == "pass"
    assert run.statuses("S2")["M"] == "pass"
    assert [(i["row"], i["value"]) for i in run.issues] == [(3, "-0.1")]


# --- units -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "value", "tonnes"), [
    ("Scope 1 (t)", 5, 5), ("Scope 1 (tCO2e)", 5, 5), ("Scope 1 (kg)", 2500, 2.5),
    ("Scope 1 (kgCO2e)", 1200, 1.2), ("Scope 1 (Mt)", 2, 2_000_000),
    ("Scope 1 (MtCO2e)", 0.5, 500_000), ("Scope 1", 7, 7),
])
def test_co2_units_in_headers(acc, header, value, tonnes):
    run = acc.check([acc.xlsx("b.xlsx", _sheet(header, value))],
                    {"V": f"scope1_tco2e == {tonnes}"})
    assert run.status("S1", "V") == "pass"
    assert run.issues == []


@pytest.mark.parametrize(("header", "value", "mwh"), [
    ("Energy (kWh)", 1500, 1.5), ("Energy (MWh)", 3, 3), ("Energy (GWh)", 2, 2000),
    ("Energy MWh", 3, 3), ("energy_mwh", 4, 4),
])
def test_energy_units_in_headers(acc, header, value, mwh):
    run = acc.check([acc.xlsx("b.xlsx", _sheet(header, value))], {"V": f"energy_mwh == {mwh}"})
    assert run.status("S1", "V") == "pass"
    assert run.issues == []


def test_units_written_in_cells(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Scope 2", "Energy"],
        ["S1", "1200 kg", "2 GWh"], ["S2", "3 t", "500 kWh"], ["S3", "1 Mt", "4 MWh"],
    ]})
    run = acc.check([book], {
        "S1": "scope2_tco2e == 1.2 and energy_mwh == 2000",
        "S2": "scope2_tco2e == 3 and energy_mwh == 0.5",
        "S3": "scope2_tco2e == 1000000 and energy_mwh == 4",
    })
    assert [run.status(s, s) for s in ("S1", "S2", "S3")] == ["pass"] * 3
    assert run.issues == []


# --- dates -----------------------------------------------------------------------------------

DATE_PACK = {"fields": {"audit_date": "date"}}


@pytest.mark.parametrize("written", [
    datetime(2026, 12, 25), "2026-12-25", "2026/12/25", "25.12.2026", "25/12/2026",
    "12/25/2026", "2026-12-25T10:30:00", "2026-12-25 10:30", "2026-12-25T23:30:00Z",
    "2026-12-25T23:30:00-05:00", "2026-12-25T00:30+01:00", "25.12.2026", "2026/12/25",
])
def test_date_forms(acc, written):
    book = acc.xlsx("b.xlsx", _sheet("Audit Date", written))
    run = acc.check([book], {"D": "audit_date == date('2026-12-25')"}, **DATE_PACK)
    assert run.code == 0, run.stderr
    assert run.issues == []
    assert run.status("S1", "D") == "pass"


def test_ambiguous_slashed_date_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", _sheet("Audit Date", "03/04/2026", "04/04/2026"))
    run = acc.check([book], {"M": "isna(audit_date)",
                             "D": "audit_date == date('2026-04-04')"}, **DATE_PACK)
    assert run.status("S1", "M") == "pass"
    assert run.status("S2", "D") == "pass"  # the same either way
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (2, "Audit Date", "03/04/2026")]
    assert "ambiguous" in run.issues[0]["problem"]


@pytest.mark.parametrize(("option", "expected"), [
    (["--date-format", "day-first"], "2026-04-03"),
    (["--date-format", "month-first"], "2026-03-04"),
])
def test_ambiguous_slashed_date_read_by_the_date_format_option(acc, option, expected):
    book = acc.xlsx("b.xlsx", _sheet("Audit Date", "03/04/2026"))
    run = acc.check([book], {"D": f"audit_date == date('{expected}')"}, *option, **DATE_PACK)
    assert run.issues == []
    assert run.status("S1", "D") == "pass"


def test_ambiguous_slashed_date_read_by_the_date_format_of_the_columns_file(acc):
    book = acc.xlsx("b.xlsx", _sheet("Audit Date", "03/04/2026"))
    config = acc.text("columns.yaml", "date_format: month-first\n")
    run = acc.check([book], {"D": "audit_date == date('2026-03-04')"}, "--columns", str(config),
                    **DATE_PACK)
    assert run.issues == []
    assert run.status("S1", "D") == "pass"


def test_certificate_dates_in_every_form(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"], ["S2", "b"], ["S3", "c"],
                      ["S4", "d"]],
        "Certificates": [
            ["Supplier ID", "Standard", "Valid From", "Valid Until", "Status"],
            ["S1", "ISO 14001", datetime(2025, 1, 1), datetime(2027, 1, 1), "active"],
            ["S2", "ISO 14001", "2025-01-01", "2027/01/31", "Active"],
            ["S3", "ISO 14001", "01.01.2025", "31/12/2027", " ACTIVE "],
            ["S4", "ISO 14001", "01/02/2025", "2027-01-01", "active"],  # ambiguous from
        ],
    })
    run = acc.check([book], [{"id": "CERT", "title": "c", "pillar": "e",
                              "check": {"certificate": "ISO 14001"}}])
    assert [run.status(s, "CERT") for s in ("S1", "S2", "S3", "S4")] == [
        "pass", "pass", "pass", "fail"]
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (5, "Valid From", "01/02/2025")]


def test_not_a_date_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", _sheet("Audit Date", "soon", 45000))
    run = acc.check([book], {"M": "isna(audit_date)"}, **DATE_PACK)
    assert [run.status(s, "M") for s in ("S1", "S2")] == ["pass", "pass"]
    assert [(i["row"], i["value"]) for i in run.issues] == [(2, "soon"), (3, "45000")]


# --- booleans --------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "expected"), [
    ("yes", "true"), ("Yes", "true"), ("no", "false"), ("y", "true"), ("N", "false"),
    ("true", "true"), ("FALSE", "false"), (1, "true"), (0, "false"), ("1", "true"),
    ("0", "false"), ("x", "true"), ("X", "true"), ("是", "true"), ("否", "false"),
    (True, "true"), (False, "false"),
])
def test_boolean_forms(acc, written, expected):
    book = acc.xlsx("b.xlsx", _sheet("SBTi Target", written))
    run = acc.check([book], {"B": f"sbti_target == {expected}"})
    assert run.issues == []
    assert run.status("S1", "B") == "pass"


def test_blank_boolean_is_missing_not_false(acc):
    book = acc.xlsx("b.xlsx", _sheet("SBTi Target", "x", None, "  "))
    run = acc.check([book], {"M": "isna(sbti_target)"})
    assert [run.status(s, "M") for s in ("S1", "S2", "S3")] == ["fail", "pass", "pass"]
    assert run.issues == []


def test_csv_blank_boolean_is_missing(acc):
    path = acc.text("s.csv", "Supplier ID,SBTi Target\nS1,x\nS2,\n")
    run = acc.check([path], {"M": "isna(sbti_target)", "T": "sbti_target == true"})
    assert run.statuses("S1") == {"M": "fail", "T": "pass"}
    assert run.statuses("S2") == {"M": "pass", "T": "missing"}


def test_not_a_boolean_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", _sheet("SBTi Target", "perhaps", 2))
    run = acc.check([book], {"M": "isna(sbti_target)"})
    assert [run.status(s, "M") for s in ("S1", "S2")] == ["pass", "pass"]
    assert [(i["row"], i["value"]) for i in run.issues] == [(2, "perhaps"), (3, "2")]


def test_qualified_defaults_to_true_where_blank(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"], ["S2", "b"], ["S3", "c"]],
        "Materials": [["Material", "Supplier ID", "Core", "Qualified"],
                      ["M1", "S1", "yes", None], ["M1", "S2", "yes", "no"],
                      ["M2", "S2", "yes", "yes"], ["M2", "S3", "yes", ""]],
    })
    run = acc.check([book], [{"id": "SRC", "title": "s", "pillar": "r",
                              "check": {"min_suppliers": 2}}])
    # M1 has one qualified supplier (S1, blank = qualified): S1 fails. M2 has two: S3 passes;
    # S2 is not qualified for M1, and qualified for M2 only, which has two: S2 passes.
    assert [run.status(s, "SRC") for s in ("S1", "S2", "S3")] == ["fail", "pass", "pass"]
    assert run.issues == []


def test_materials_without_a_qualified_column_are_all_qualified(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"], ["S2", "b"]],
        "Materials": [["Material", "Supplier ID", "Core"], ["M1", "S1", "yes"],
                      ["M1", "S2", "yes"]],
    })
    run = acc.check([book], [{"id": "SRC", "title": "s", "pillar": "r",
                              "check": {"min_suppliers": 2}}])
    assert [run.status(s, "SRC") for s in ("S1", "S2")] == ["pass", "pass"]


# --- standards -------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["ISO14001", "iso 14001:2015", "ISO-14001", "ISO 14001",
                                     "DIN EN ISO 14001:2015", "  iso14001  "])
def test_standard_spellings_match_the_rule(acc, written):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Certificates": [["Supplier ID", "Standard", "Valid From", "Valid Until"],
                         ["S1", written, "2025-01-01", "2028-01-01"]],
    })
    run = acc.check([book], [{"id": "CERT", "title": "c", "pillar": "e",
                              "check": {"certificate": "ISO 14001"}}])
    assert run.status("S1", "CERT") == "pass"


@pytest.mark.parametrize("written", ["ISO/IEC 27001:2022", "ISO 27001", "iso-27001:2013"])
def test_iec_standard_is_iso(acc, written):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Certificates": [["Supplier ID", "Standard", "Valid From", "Valid Until"],
                         ["S1", written, "2025-01-01", "2028-01-01"]],
    })
    run = acc.check([book], [
        {"id": "CERT", "title": "c", "pillar": "g", "check": {"certificate": "ISO/IEC 27001"}},
        {"id": "HAS", "title": "h", "pillar": "g",
         "check": {"pass": "has_certificate('ISO 27001')"}},
    ])
    assert run.statuses("S1") == {"CERT": "pass", "HAS": "pass"}


# --- other columns ---------------------------------------------------------------------------

def test_other_columns_are_snake_cased_kept_and_usable_when_declared(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "CBAM Embedded tCO2e", "Site Count"],
        ["S1", "a", 12.5, "3"], ["S2", "b", "1,200", "n/a"],
    ]})
    run = acc.check([book], {"CBAM": "cbam_embedded_tco2e < 100"},
                    fields={"cbam_embedded_tco2e": "number"})
    assert run.code == 0, run.stderr
    assert run.statuses("S1") == {"CBAM": "pass"}
    assert run.statuses("S2") == {"CBAM": "fail"}
    assert run.issues == []


def test_declared_field_absent_from_the_input_is_missing(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "a"]]})
    run = acc.check([book], {"CBAM": "cbam_embedded_tco2e < 100"},
                    fields={"cbam_embedded_tco2e": "number"})
    assert run.status("S1", "CBAM") == "missing"


def test_declared_number_field_with_bad_text_is_a_data_issue(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "CBAM Embedded tCO2e"], ["S1", "a", "plenty"],
    ]})
    run = acc.check([book], {"M": "isna(cbam_embedded_tco2e)"},
                    fields={"cbam_embedded_tco2e": "number"})
    assert run.status("S1", "M") == "pass"
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (2, "CBAM Embedded tCO2e", "plenty")]


def test_undeclared_other_column_is_not_usable_in_rules(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "CBAM Embedded tCO2e"], ["S1", "a", 1]]})
    run = acc.check([book], {"CBAM": "cbam_embedded_tco2e < 100"})
    assert run.code == 2


# --- text and missing markers ----------------------------------------------------------------

def test_text_is_trimmed_and_empty_text_is_missing(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "Category"], ["  S1 ", "  Acme Ltd\t", "   "],
    ]})
    run = acc.check([book], {"N": "name == 'Acme Ltd'", "C": "isna(category)"})
    assert run.supplier_ids == ["S1"]
    assert run.statuses("S1") == {"N": "pass", "C": "pass"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("marker", ["N/A", "n/a", "NA", "n.a.", "#N/A", "-", " na "])
def test_missing_markers_in_number_date_and_bool_columns(acc, marker, fmt):
    rows = [["Supplier ID", "Annual Spend", "Audit Date", "SBTi Target", "Reporting Year"],
            ["S1", marker, marker, marker, marker]]
    if fmt == "csv":
        book = acc.text("s.csv", "\n".join(",".join(r) for r in rows) + "\n")
    else:
        book = acc.xlsx("b.xlsx", {"Suppliers": rows})
    run = acc.check([book], {"M": "isna(annual_spend) and isna(audit_date) and "
                                  "isna(sbti_target) and isna(reporting_year)"},
                    fields={"audit_date": "date"})
    assert run.issues == []
    assert run.status("S1", "M") == "pass"
    if fmt == "xlsx" and marker == "#N/A":
        return  # openpyxl stores "#N/A" as an Excel error cell: read as empty, not a marker
    assert sorted(n["column"] for n in run.notes) == ["Annual Spend", "Audit Date",
                                                      "Reporting Year", "SBTi Target"]
    assert all(n["note"] == f"1 cell read as missing ({marker.strip()})" for n in run.notes)


def test_na_in_a_text_column_is_namibia_never_missing(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "Country", "Category"], ["S1", "NA", "NA", "N/A"],
        ["NA", "Namibian", "na", "-"],
    ]})
    run = acc.check([book], {"T": "name == 'NA' and country == 'NA' and category == 'N/A'",
                             "U": "country == 'NA' and category == '-'"})
    assert run.supplier_ids == ["S1", "NA"]
    assert run.status("S1", "T") == "pass"
    assert run.status("NA", "U") == "pass"
    assert run.issues == []


def test_na_in_a_csv_text_column_is_namibia(acc):
    path = acc.text("s.csv", "Supplier ID,Name,Country\nS1,NA,NA\nNA,x,n/a\n")
    run = acc.check([path], {"T": "country == 'NA'", "N": "name == 'NA'"})
    assert run.supplier_ids == ["S1", "NA"]
    assert run.statuses("S1") == {"T": "pass", "N": "pass"}
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (3, "Country", "n/a")]


def test_declared_bool_date_and_text_fields_are_normalised_like_canonical_ones(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Has Policy", "Policy Date", "Policy Owner"],
        ["S1", "是", "02.01.2026", "NA"], ["S2", "n/a", "n/a", "n/a"], ["S3", None, None, None],
    ]})
    run = acc.check([book], {
        "B": "has_policy == true", "D": "policy_date == date('2026-01-02')",
        "T": "policy_owner == 'NA'", "M": "isna(has_policy) and isna(policy_date)",
        "TN": "policy_owner == 'n/a'",
    }, fields={"has_policy": "bool", "policy_date": "date", "policy_owner": "text"})
    assert run.statuses("S1") == {"B": "pass", "D": "pass", "T": "pass", "M": "fail",
                                  "TN": "fail"}
    assert run.statuses("S2") == {"B": "missing", "D": "missing", "T": "fail", "M": "pass",
                                  "TN": "pass"}
    assert run.statuses("S3")["M"] == "pass"
    assert run.issues == []
    assert sorted(n["column"] for n in run.notes) == ["Has Policy", "Policy Date"]

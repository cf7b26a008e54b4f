"""SPEC §3: ranges; blank rows, rows without supplier_id, repeats, orphans; "nothing is lost";
summary.suppliers vs summary.audited; audit.inputs[].rows."""

from __future__ import annotations

import pytest


def _issues(run):
    return [(i["sheet"], i["row"], i["column"], i["value"]) for i in run.issues]


@pytest.mark.parametrize(("header", "field", "bad", "good"), [
    ("Annual Spend", "annual_spend", -1, 0),
    ("Energy MWh", "energy_mwh", -0.5, 0),
    ("Scope 1", "scope1_tco2e", -3, 0),
    ("Scope 2", "scope2_tco2e", -3, 0),
    ("Scope 3", "scope3_tco2e", -3, 0),
    ("Revenue", "revenue_musd", -3, 0),
    ("Defect PPM", "defect_ppm", -1, 0),
    ("Price Index", "price_index", 0, 0.01),
    ("Price Index", "price_index", -1, 1),
    ("Reporting Year", "reporting_year", 1989, 1990),
    ("Reporting Year", "reporting_year", 2028, 2027),
    ("On Time Delivery", "on_time_delivery", -0.2, 1),
])
def test_range_of_each_supplier_field(acc, header, field, bad, good):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", header], ["S1", "a", bad], ["S2", "b", good]]})
    run = acc.check([book], {"M": f"isna({field})", "G": f"{field} == {good}"})
    assert run.code == 0, run.stderr
    assert _issues(run) == [("Suppliers", 2, header, f"{bad:g}")]
    assert run.statuses("S1") == {"M": "pass", "G": "missing"}
    assert run.statuses("S2") == {"M": "fail", "G": "pass"}


def test_country_is_an_iso_code_in_any_case(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Country"], ["S1", "de"], ["S2", "Cn"], ["S3", "ZZ"],
        ["S4", "Germany"], ["S5", " us "]]})
    run = acc.check([book], {"DE": "country == 'DE'", "CN": "country == 'CN'",
                             "M": "isna(country)", "US": "country == 'US'"})
    assert run.statuses("S1")["DE"] == "pass"
    assert run.statuses("S2")["CN"] == "pass"
    assert run.statuses("S3")["M"] == "pass"
    assert run.statuses("S4")["DE"] == "pass"  # a country's English name, read with a note
    assert run.statuses("S5")["US"] == "pass"
    assert _issues(run) == [("Suppliers", 4, "Country", "ZZ")]


def test_emissions_year_range(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Emissions": [["Supplier ID", "Year", "Scope 1"], ["S1", 1985, 10], ["S1", 2027, 5],
                      ["S1", 2030, 4], ["S1", 2025, -1]],
    })
    run = acc.check([book])
    assert _issues(run) == [("Emissions", 2, "Year", "1985"), ("Emissions", 4, "Year", "2030"),
                            ("Emissions", 5, "Scope 1", "-1")]


def test_certificate_status_is_one_of_four(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Certificates": [["Supplier ID", "Standard", "Status"],
                         ["S1", "ISO 9001", "active"], ["S1", "ISO 9001", "Suspended"],
                         ["S1", "ISO 9001", "WITHDRAWN"], ["S1", "ISO 9001", "expired"],
                         ["S1", "ISO 9001", "revoked"], ["S1", "ISO 9001", None]],
    })
    run = acc.check([book])
    assert _issues(run) == [("Certificates", 6, "Status", "revoked")]


def test_out_of_range_cell_becomes_missing_and_the_row_is_still_audited(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", -5]]})
    run = acc.check([book], {"N": "name == 'Acme'", "M": "isna(annual_spend)"})
    assert run.statuses("S1") == {"N": "pass", "M": "pass"}
    assert run.issues == [{"file": str(book), "sheet": "Suppliers", "row": 2,
                           "column": "Annual Spend", "value": "-5",
                           "problem": run.issues[0]["problem"]}]


# --- rows ------------------------------------------------------------------------------------

def test_blank_rows_are_skipped_silently(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name"], ["S1", "a"], [None, None], [" ", ""], ["S2", "b"], [], ]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1", "S2"]
    assert run.issues == []
    assert run.summary["suppliers"] == 2 and run.summary["audited"] == 2
    assert run.report["audit"]["inputs"][0]["rows"] == 2


def test_row_with_data_but_no_supplier_id_is_an_issue_and_not_scored(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "Annual Spend"], ["S1", "a", 1], [None, "nobody", 2],
        ["  ", None, 3], ["S2", "b", 4]]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1", "S2"]
    assert [(i["row"], i["column"], i["value"], i["problem"]) for i in run.issues] == [
        (3, "Supplier ID", None, "no supplier_id"),
        (4, "Supplier ID", None, "no supplier_id"),  # openpyxl's "  " reads as empty
    ]
    assert run.summary["suppliers"] == 4
    assert run.summary["audited"] == 2
    assert run.report["audit"]["inputs"][0]["rows"] == 4


def test_rows_without_supplier_id_in_other_sheets_are_issues(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Certificates": [["Supplier ID", "Standard"], [None, "ISO 14001"]],
        "Emissions": [["Supplier ID", "Year", "Scope 1"], [None, 2025, 3]],
        "Materials": [["Material", "Supplier ID"], ["M1", None]],
    })
    run = acc.check([book])
    assert [(i["sheet"], i["row"], i["problem"]) for i in run.issues] == [
        ("Certificates", 2, "no supplier_id"), ("Emissions", 2, "no supplier_id"),
        ("Materials", 2, "no supplier_id")]


def test_repeated_supplier_id_is_an_issue_on_every_repeat_and_the_first_is_audited(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Supplier ID", "Name"], ["S1", "first"], ["S2", "b"], ["S1", "second"],
        [" S1", "third"]]})
    run = acc.check([book], {"FIRST": "name == 'first'"})
    assert run.supplier_ids == ["S1", "S2"]
    assert run.status("S1", "FIRST") == "pass"
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (4, "Supplier ID", "S1"), (5, "Supplier ID", " S1")]
    assert all(i["problem"].startswith("repeated supplier_id") for i in run.issues)
    assert run.summary["suppliers"] == 4 and run.summary["audited"] == 2


def test_repeated_supplier_year_in_emissions_is_an_issue_on_every_repeat(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
        "Emissions": [["Supplier ID", "Year", "Scope 1"], ["S1", 2024, 100], ["S1", 2025, 90],
                      ["S1", 2024, 1], ["S1", 2024, 2]],
    })
    rules = [{"id": "TREND", "title": "t", "pillar": "e",
              "check": {"trend": "scope1_tco2e", "years": 1, "max_annual_change": -0.05}}]
    run = acc.check([book], rules)
    assert run.status("S1", "TREND") == "pass"  # 100 -> 90, the first 2024 row
    assert [(i["sheet"], i["row"]) for i in run.issues] == [("Emissions", 4), ("Emissions", 5)]
    assert all("repeated" in i["problem"] for i in run.issues)


@pytest.mark.parametrize(("sheet", "header", "row"), [
    ("Certificates", ["Supplier ID", "Standard"], ["S9", "ISO 14001"]),
    ("Emissions", ["Supplier ID", "Year", "Scope 1"], ["S9", 2025, 1]),
    ("Materials", ["Material", "Supplier ID"], ["M1", "S9"]),
])
def test_row_of_an_unknown_supplier_is_an_issue(acc, sheet, header, row):
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "a"]],
                               sheet: [header, row]})
    run = acc.check([book])
    assert run.issues == [{"file": str(book), "sheet": sheet, "row": 2, "column": "Supplier ID",
                           "value": "S9", "problem": "supplier_id not in Suppliers"}]


def test_certificate_of_a_supplier_whose_row_lacks_its_id_is_an_issue_too(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "a"], [None, "S2 forgot the id"]],
        "Certificates": [["Supplier ID", "Standard"], ["S2", "ISO 14001"]],
    })
    run = acc.check([book])
    assert sorted((i["sheet"], i["row"], i["problem"]) for i in run.issues) == [
        ("Certificates", 2, "supplier_id not in Suppliers"), ("Suppliers", 3, "no supplier_id")]


def test_nothing_is_lost_every_non_blank_row_is_audited_or_listed(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Title"], ["Supplier ID", "Name", "Annual Spend"], ["S1", "a", 1],
                      ["S1", "dup", 2], [None, "no id", 3], [], ["S2", "b", -4]],
        "Certificates": [["Supplier ID", "Standard", "Status"], ["S1", "ISO 14001", "active"],
                         ["S3", "ISO 14001", "active"], [None, None, None],
                         [None, "ISO 9001", None]],
        "Emissions": [["Supplier ID", "Year", "Scope 1"], ["S1", 2024, 1], ["S1", 2024, 2],
                      ["S2", 2024, 3]],
        "Materials": [["Material", "Supplier ID"], ["M1", "S1"], ["M1", "S4"]],
    })
    run = acc.check([book])
    assert run.supplier_ids == ["S1", "S2"]
    assert run.summary["suppliers"] == 4  # non-blank Suppliers rows below the header
    assert run.summary["audited"] == 2
    # Suppliers: S1 audited, row 4 repeats it, row 5 has no id, S2 audited (its spend -4 is an
    # issue, the row is audited). Certificates: S1's audited, S3 unknown, row 5 has no id.
    # Emissions: row 3 repeats S1-2024, S2's audited. Materials: S4 unknown.
    assert sorted((i["sheet"], i["row"]) for i in run.issues) == [
        ("Certificates", 3), ("Certificates", 5), ("Emissions", 3), ("Materials", 3),
        ("Suppliers", 4), ("Suppliers", 5), ("Suppliers", 7),
    ]
    assert run.report["audit"]["inputs"][0]["rows"] == 4 + 3 + 3 + 2


def test_inputs_rows_per_file(acc):
    a = acc.xlsx("a.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "a"], ["S2", "b"]],
                            "Instructions": [["x"], ["y"], ["z"]]})
    b = acc.text("b.csv", "title\nSupplier ID,Name\nS3,c\n\nS4,d\n,\n")
    run = acc.check([a, b])
    assert [(i["path"], i["rows"]) for i in run.report["audit"]["inputs"]] == [
        (str(a), 2), (str(b), 2)]
    assert all(len(i["sha256"]) == 64 for i in run.report["audit"]["inputs"])
    assert run.summary["suppliers"] == 4


def test_inputs_rows_below_a_header_of_aliases_under_a_title(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Vendor survey", "2026 edition"],
        ["Vendor No.", "Supplier Name", "Renewable Electricity %"],
        ["S1", "a", 0.4], ["S2", "b", 0.5],
    ]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1", "S2"]
    assert run.report["audit"]["inputs"][0]["rows"] == 2
    assert run.summary["suppliers"] == 2


def test_inputs_rows_below_a_header_named_in_the_columns_file(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [
        ["Vendor survey", "2026 edition"], ["account", "firm"], ["S1", "a"], ["S2", "b"]]})
    mapping = acc.text("columns.yaml", 'columns:\n  "*": {account: supplier_id, firm: name}\n')
    run = acc.check([book], None, "--columns", str(mapping))
    assert run.supplier_ids == ["S1", "S2"]
    assert run.report["audit"]["inputs"][0]["rows"] == 2

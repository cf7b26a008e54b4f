"""SPEC §3, header names: folding, unit hints and suffix-less names, built-in aliases, and the
user's `--columns` mapping (per sheet and "*", winning over the built-in aliases)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("header", ["Supplier ID", "supplier-id", "SUPPLIER_ID", "supplier_id",
                                    " Supplier  Id ", "Vendor ID", "Vendor No.", "vendor-no",
                                    "供应商编号"])
def test_supplier_id_header_variants(acc, header):
    book = acc.xlsx("book.xlsx", {"Suppliers": [[header, "Name"], [" S1 ", "Acme"]]})
    run = acc.check([book], {"NAMED": "name == 'Acme'"})
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1"]
    assert run.status("S1", "NAMED") == "pass"


def test_name_and_renewable_aliases(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Vendor No.", "Supplier Name", "Renewable Electricity %"],
        ["S1", "Acme", 45], ["S2", "Beta", 60],
    ]})
    run = acc.check([book], {"NAMED": "name == 'Acme'", "RE": "renewable_share == 0.45"})
    assert run.statuses("S1") == {"NAMED": "pass", "RE": "pass"}
    assert run.issues == []


def test_chinese_headers(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["供应商编号", "供应商名称", "国家"], ["S1", "甲公司", "cn"],
    ]})
    run = acc.check([book], {"NAMED": "name == '甲公司'", "CN": "country == 'CN'"})
    assert run.statuses("S1") == {"NAMED": "pass", "CN": "pass"}


def test_unit_hints_and_suffixless_names(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Supplier ID", "Scope 1 (kgCO2e)", "Revenue (MUSD)", "Renewable Share (%)",
         "Energy (GWh)", "Scope 2", "Scope 3 (Mt)"],
        ["S1", 1200, 35.5, 45, 2, 17, 0.5],
    ]})
    run = acc.check([book], {
        "S1": "scope1_tco2e == 1.2",
        "REV": "revenue_musd == 35.5",
        "RE": "renewable_share == 0.45",
        "EN": "energy_mwh == 2000",
        "S2": "scope2_tco2e == 17",
        "S3": "scope3_tco2e == 500000",
    })
    assert run.code == 0, run.stderr
    assert run.statuses("S1") == {k: "pass" for k in ("S1", "REV", "RE", "EN", "S2", "S3")}
    assert run.issues == []


def test_canonical_names_with_their_suffix(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["supplier_id", "scope1_tco2e", "revenue_musd", "energy_mwh", "renewable_share"],
        ["S1", 3, 4, 5, 0.25],
    ]})
    run = acc.check([book], {"ALL": "scope1_tco2e == 3 and revenue_musd == 4 and "
                                    "energy_mwh == 5 and renewable_share == 0.25"})
    assert run.status("S1", "ALL") == "pass"


def test_columns_file_per_sheet_and_for_all(acc):
    book = acc.xlsx("book.xlsx", {
        "Suppliers": [["account_id", "Name"], ["S1", "Acme"]],
        "Emissions": [["account_id", "Year", "tonnes_co2"], ["S1", 2024, 100],
                      ["S1", 2025, 90]],
    })
    mapping = acc.text("columns.yaml", (
        "columns:\n"
        "  Emissions: {tonnes_co2: scope1_tco2e}\n"
        '  "*": {account_id: supplier_id}\n'
    ))
    rules = [{"id": "TREND", "title": "t", "pillar": "e",
              "check": {"trend": "scope1_tco2e", "years": 1, "max_annual_change": -0.1}}]
    run = acc.check([book], rules, "--columns", str(mapping))
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1"]
    assert run.status("S1", "TREND") == "pass"
    assert run.issues == []


def test_columns_file_headers_are_folded_like_any_header(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [["Account ID", "Name"], ["S1", "Acme"]]})
    mapping = acc.text("columns.yaml", 'columns:\n  "*": {account_id: supplier_id}\n')
    run = acc.check([book], None, "--columns", str(mapping))
    assert run.supplier_ids == ["S1"]


def test_user_mapping_wins_over_builtin_aliases(acc):
    # "Vendor" is a built-in alias of `name`; the user says it is the supplier id.
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Vendor", "Company"], ["V-1", "Acme"],
    ]})
    mapping = acc.text("columns.yaml", "columns:\n  Suppliers: {Vendor: supplier_id}\n")
    run = acc.check([book], {"NAMED": "name == 'Acme'"}, "--columns", str(mapping))
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["V-1"]
    assert run.status("V-1", "NAMED") == "pass"


def test_user_mapping_for_all_sheets_wins_over_builtin_aliases(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Supplier ID", "Revenue", "Sales"], ["S1", 1, 2],
    ]})
    mapping = acc.text("columns.yaml", 'columns:\n  "*": {Sales: revenue_musd}\n')
    run = acc.check([book], {"REV": "revenue_musd == 2"}, "--columns", str(mapping))
    assert run.status("S1", "REV") == "pass"
    assert run.notes == [{
        "file": str(book), "sheet": "Suppliers", "column": "Revenue",
        "note": "also names revenue_musd, already given by column 'Sales'; "
                "kept as an extra column",
    }]


def test_invalid_columns_file_stops_with_exit_2_naming_file_and_line(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "Acme"]]})
    mapping = acc.text("columns.yaml", "columns:\n  Suppliers: {Vendor: supplier_idd}\n")
    run = acc.check([book], None, "--columns", str(mapping))
    assert run.code == 2
    assert f"{mapping}:2" in run.stderr

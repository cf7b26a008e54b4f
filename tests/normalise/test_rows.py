"""Rows: blank, without supplier_id, repeated, of unknown suppliers (SPEC §3: Blank rows)."""

from __future__ import annotations

import pytest

from esg_audit.errors import ConfigError, InputFileError
from esg_audit.model import DataIssue


def test_blank_rows_are_skipped_silently(kit):
    data = kit.audit(kit.sheet([
        ["Supplier ID", "Name"], [None, None], ["S1", "A"], ["  ", ""], ["S2", "B"], [None],
    ]))
    assert kit.column(data, "supplier_id") == ["S1", "S2"]
    assert kit.column(data, "_row") == [3, 5]
    assert data.data_issues == ()
    assert data.supplier_rows == 2


def test_row_with_data_but_no_supplier_id(kit):
    data = kit.audit(kit.sheet([
        ["Name", "Vendor No."], ["A", "S1"], ["B", None], ["C", "  "], [None, "S2"],
    ]))
    assert kit.column(data, "supplier_id") == ["S1", "S2"]
    assert data.data_issues == (
        DataIssue("book.xlsx", "Suppliers", 3, "Vendor No.", None, "no supplier_id"),
        DataIssue("book.xlsx", "Suppliers", 4, "Vendor No.", "  ", "no supplier_id"),
    )
    assert data.supplier_rows == 4


def test_repeated_supplier_ids_across_files(kit):
    first = kit.sheet([["Supplier ID", "Name"], ["S1", "A"], ["S2", "B"], ["S1", "A again"]],
                      file="a.xlsx")
    second = kit.sheet([["Supplier ID", "Name"], ["S2", "B again"], ["S3", "C"]], file="b.csv")
    data = kit.audit(first, second)
    assert kit.column(data, "supplier_id") == ["S1", "S2", "S3"]
    assert kit.column(data, "name") == ["A", "B", "C"]
    assert list(data.suppliers.index) == [0, 1, 2]
    assert data.data_issues == (
        DataIssue("a.xlsx", "Suppliers", 4, "Supplier ID", "S1",
                  "repeated supplier_id (first at row 2)"),
        DataIssue("b.csv", "Suppliers", 2, "Supplier ID", "S2",
                  "repeated supplier_id (first at a.xlsx, sheet 'Suppliers', row 3)"),
    )
    assert data.supplier_rows == 5


def test_repeated_supplier_year_in_emissions(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"], ["S2", "B"]])
    emissions = kit.sheet([
        ["Supplier ID", "Year", "Scope 1"], ["S1", 2024, 10], ["S1", 2025, 11],
        ["S2", 2024, 12], ["S1", "2024", 13], ["S1", None, 14], ["S1", None, 15],
    ], "Emissions")
    data = kit.audit(suppliers, emissions)
    assert kit.column(data, "scope1_tco2e", "emissions") == [10.0, 11.0, 12.0, 14.0, 15.0]
    assert data.data_issues == (
        DataIssue("book.xlsx", "Emissions", 5, None, None,
                  "repeated supplier_id and year (first at row 2)"),
    )


def test_rows_of_suppliers_not_audited(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"], [None, "no id"]])
    certificates = kit.sheet([["Supplier ID", "Standard"], ["S1", "ISO 9001"],
                              ["S9", "ISO 9001"]], "Certificates")
    emissions = kit.sheet([["Supplier ID", "Year"], ["S9", 2024], ["s1", 2024]], "Emissions")
    materials = kit.sheet([["Material", "Supplier ID"], ["steel", "S1"], ["tin", "S8"]],
                          "Materials")
    data = kit.audit(suppliers, certificates, emissions, materials)
    assert kit.column(data, "supplier_id", "certificates") == ["S1"]
    assert kit.column(data, "supplier_id", "emissions") == []
    assert kit.column(data, "supplier_id", "materials") == ["S1"]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 3, "Supplier ID", None, "no supplier_id"),
        ("book.xlsx", "Certificates", 3, "Supplier ID", "S9", "supplier_id not in Suppliers"),
        ("book.xlsx", "Emissions", 2, "Supplier ID", "S9", "supplier_id not in Suppliers"),
        ("book.xlsx", "Emissions", 3, "Supplier ID", "s1", "supplier_id not in Suppliers"),
        ("book.xlsx", "Materials", 3, "Supplier ID", "S8", "supplier_id not in Suppliers"),
    ]
    assert list(data.emissions.index) == [] and list(data.materials.index) == [0]


def test_validation_hands_the_rules_each_rows_supplier(kit):
    """The positions validation finds while it drops orphans and repeated supplier-years are
    those the rules would look up themselves, for every other sheet."""
    import numpy as np

    from esg_audit.rules.owners import _positions

    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"], ["S2", "B"], ["S1", "again"],
                           ["S3", "C"]])
    certificates = kit.sheet([["Supplier ID", "Standard"], ["S3", "ISO 9001"], ["S9", "ISO 9001"],
                              ["S1", "ISO 14001"]], "Certificates")
    emissions = kit.sheet([["Supplier ID", "Year"], ["S2", 2024], ["S9", 2024], ["S2", 2024],
                           ["S1", 2023], ["S3", None], ["S3", None]], "Emissions")
    materials = kit.sheet([["Material", "Supplier ID"], ["steel", "S1"], ["tin", "S8"]],
                          "Materials")
    data = kit.audit(suppliers, certificates, emissions, materials)
    assert kit.column(data, "supplier_id", "emissions") == ["S2", "S1", "S3", "S3"]
    found = {id(rows): positions for sup, rows, positions in data.supplier_positions
             if sup is data.suppliers}
    expected = {"certificates": [2, 0], "emissions": [1, 0, 2, 2], "materials": [0]}
    for name, positions in expected.items():
        frame = getattr(data, name)
        assert found[id(frame)].tolist() == positions
        assert np.array_equal(_positions(data.suppliers["supplier_id"], frame["supplier_id"]),
                              found[id(frame)])


def test_sheets_are_merged_in_input_order_with_provenance(kit):
    first = kit.sheet([["Supplier ID", "Name", "Extra"], ["S1", "A", "x"]], file="a.xlsx")
    second = kit.sheet([["Supplier ID", "Name"], ["S2", "B"]], file="b.csv", sheet="Suppliers")
    data = kit.audit(first, second)
    frame = data.suppliers
    assert list(frame["supplier_id"]) == ["S1", "S2"]
    assert list(frame["_file"]) == ["a.xlsx", "b.csv"]
    assert list(frame["_sheet"]) == ["Suppliers", "Suppliers"]
    assert list(frame["_row"]) == [2, 2]
    assert kit.column(data, "extra") == ["x", None]
    assert str(frame["extra"].dtype) == "string"


def test_data_issues_are_ordered_by_file_sheet_row_and_column(kit):
    suppliers = kit.sheet([["Supplier ID", "Spend", "Country"],
                           ["S1", -1, "XX"], ["S1", "abc", "YY"], [None, 1, "DE"]])
    certificates = kit.sheet([["Supplier ID", "Valid From"], ["S7", "bad"]], "Certificates")
    data = kit.audit(suppliers, certificates)
    assert kit.cells(data) == [
        (2, "Spend"), (2, "Country"), (3, "Supplier ID"), (3, "Spend"), (3, "Country"),
        (4, "Supplier ID"), (2, "Supplier ID"), (2, "Valid From"),
    ]
    assert [i.sheet for i in data.data_issues] == ["Suppliers"] * 6 + ["Certificates"] * 2


def test_no_suppliers_sheet_is_an_input_error(kit):
    certificates = kit.sheet([["Supplier ID", "Standard"], ["S1", "ISO 9001"]], "Certificates",
                             file="certs.xlsx")
    with pytest.raises(InputFileError, match="no Suppliers sheet"):
        kit.audit(certificates)


def test_sheets_esg_audit_does_not_read_are_ignored(kit):
    notes = kit.sheet([["anything"], ["at all", 1]], "", sheet="Instructions")
    data = kit.audit(notes, kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]))
    assert kit.column(data, "supplier_id") == ["S1"]
    assert data.data_issues == () and data.notes == ()


def test_unknown_date_format_is_a_config_error(kit):
    with pytest.raises(ConfigError, match="date_format"):
        kit.audit(kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]), date_format="iso")


def test_every_repeat_names_the_first_row_of_its_own_key(kit):
    # Interleaved repeats of several keys, across two files and sheets; a key whose first row
    # lacks the year is no repeat of a row that has it.
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "a"], ["S2", "b"], ["S1", "c"],
                           ["S3", "d"], ["S2", "e"], ["S1", "f"]], file="a.xlsx")
    emissions_a = kit.sheet([
        ["Supplier ID", "Year", "Scope 1"], ["S1", None, 1], ["S2", 2024, 2], ["S1", 2024, 3],
        ["S2", 2024, 4], ["S1", 2024, 5], ["S1", None, 6],
    ], "Emissions", file="a.xlsx")
    emissions_b = kit.sheet([["Supplier ID", "Year", "Scope 1"], ["S3", 2025, 7], ["S1", 2024, 8],
                             ["S3", 2025, 9]], "Emissions", file="b.csv", sheet="Sheet1")
    data = kit.audit(suppliers, emissions_a, emissions_b)
    assert kit.column(data, "supplier_id") == ["S1", "S2", "S3"]
    assert kit.column(data, "_row", "emissions") == [2, 3, 4, 7, 2]
    assert data.data_issues == (
        DataIssue("a.xlsx", "Suppliers", 4, "Supplier ID", "S1", "repeated supplier_id (first at row 2)"),
        DataIssue("a.xlsx", "Suppliers", 6, "Supplier ID", "S2", "repeated supplier_id (first at row 3)"),
        DataIssue("a.xlsx", "Suppliers", 7, "Supplier ID", "S1", "repeated supplier_id (first at row 2)"),
        DataIssue("a.xlsx", "Emissions", 5, None, None, "repeated supplier_id and year (first at row 3)"),
        DataIssue("a.xlsx", "Emissions", 6, None, None, "repeated supplier_id and year (first at row 4)"),
        DataIssue("b.csv", "Sheet1", 3, None, None,
                  "repeated supplier_id and year (first at a.xlsx, sheet 'Emissions', row 4)"),
        DataIssue("b.csv", "Sheet1", 4, None, None, "repeated supplier_id and year (first at row 2)"),
    )

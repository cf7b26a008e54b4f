"""SPEC §3: Excel error values other than #N/A are data issues showing the error, in any
column; #N/A means missing, with a note; the row accounting holds. (The workbooks are written
with openpyxl, which stores these strings as real error cells, `t="e"`.)"""

from __future__ import annotations

import pytest

ERRORS = ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


def _issue(run, row):
    return [(i["row"], i["column"], i["value"], i["problem"]) for i in run.issues
            if i["row"] == row]


@pytest.mark.parametrize("error", ERRORS)
def test_an_error_in_a_number_column_is_a_data_issue_and_missing(acc, error):
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name", "Annual Spend"],
                                             ["S1", "Acme", error], ["S2", "Beta", 10]]})
    run = acc.check([book], {"SPEND": "isna(annual_spend)"})
    assert run.status("S1", "SPEND") == "pass"
    assert run.status("S2", "SPEND") == "fail"
    assert run.issues == [{"file": str(book), "sheet": "Suppliers", "row": 2,
                           "column": "Annual Spend", "value": error,
                           "problem": "Excel error value"}]
    assert run.notes == []


def test_errors_in_text_date_and_bool_columns(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name", "Country", "SBTi Target"],
                      ["S1", "#NAME?", "#REF!", "#VALUE!"]],
        "Certificates": [["Supplier ID", "Standard", "Valid From", "Valid Until", "Status"],
                         ["S1", "#REF!", "#DIV/0!", "2027-01-01", "#N/A"]],
        "Materials": [["Material", "Supplier ID", "Core", "Qualified"],
                      ["steel", "S1", "yes", "#NUM!"]],
    })
    run = acc.check([book], {"NAME": "isna(name)", "COUNTRY": "isna(country)",
                             "SBTI": "isna(sbti_target)"})
    assert run.statuses("S1") == {"NAME": "pass", "COUNTRY": "pass", "SBTI": "pass"}
    assert sorted((i["sheet"], i["row"], i["column"], i["value"], i["problem"])
                  for i in run.issues) == [
        ("Certificates", 2, "Standard", "#REF!", "Excel error value"),
        ("Certificates", 2, "Valid From", "#DIV/0!", "Excel error value"),
        ("Materials", 2, "Qualified", "#NUM!", "Excel error value"),
        ("Suppliers", 2, "Country", "#REF!", "Excel error value"),
        ("Suppliers", 2, "Name", "#NAME?", "Excel error value"),
        ("Suppliers", 2, "SBTi Target", "#VALUE!", "Excel error value"),
    ]
    assert [(n["sheet"], n["column"], n["note"]) for n in run.notes] == [
        ("Certificates", "Status", "1 cell read as missing (#N/A)")]


def test_na_means_missing_with_a_note(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name", "Annual Spend"],
                                             ["S1", "#N/A", "#N/A"], ["S2", "B", "#N/A"]]})
    run = acc.check([book], {"SPEND": "isna(annual_spend) and isna(name)"})
    assert run.status("S1", "SPEND") == "pass"
    assert run.issues == []
    assert sorted((n["column"], n["note"]) for n in run.notes) == [
        ("Annual Spend", "2 cells read as missing (#N/A)"),
        ("Name", "1 cell read as missing (#N/A)"),
    ]


@pytest.mark.parametrize("error", ERRORS)
def test_an_error_supplier_id_is_a_data_issue_never_a_blank_id(acc, error):
    """Released: a #REF! id read as blank, reported as "no supplier_id" without the error."""
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name", "Annual Spend"],
                                             ["S1", "Acme", 1], [error, "Beta", 2]]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1"]
    assert _issue(run, 3) == [(3, "Supplier ID", error,
                               "Excel error value in place of a supplier_id")]
    assert run.summary["suppliers"] == 2 and run.summary["audited"] == 1


def test_a_row_holding_only_an_error_cell_is_listed(acc):
    """Released: the row read as blank, neither audited nor listed."""
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name", "Annual Spend"],
                                             ["S1", "Acme", 1], [None, None, "#DIV/0!"],
                                             [None, None, None], ["S3", "Gamma", 3]]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1", "S3"]
    assert sorted(_issue(run, 3)) == [(3, "Annual Spend", "#DIV/0!", "Excel error value"),
                                      (3, "Supplier ID", None, "no supplier_id")]
    assert run.summary["suppliers"] == 3
    assert run.report is not None
    assert run.report["audit"]["inputs"][0]["rows"] == 3


def test_an_error_in_a_column_without_header_keeps_the_row(acc):
    book = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name", None],
                                             ["S1", "Acme", None], [None, None, "#REF!"]]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1"]
    assert sorted(_issue(run, 3)) == [(3, "", "#REF!", "Excel error value"),
                                      (3, "Supplier ID", None, "no supplier_id")]
    assert run.summary["suppliers"] == 2


def test_an_error_in_a_certificate_supplier_id(acc):
    book = acc.xlsx("b.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "A"]],
        "Certificates": [["Supplier ID", "Standard", "Valid Until"],
                         ["#REF!", "ISO 14001", "2027-01-01"]],
    })
    run = acc.check([book], [{"id": "ISO", "title": "ISO", "pillar": "environment",
                              "check": {"certificate": "ISO 14001"}}])
    assert run.status("S1", "ISO") == "fail"
    assert [(i["sheet"], i["row"], i["value"], i["problem"]) for i in run.issues] == [
        ("Certificates", 2, "#REF!", "Excel error value in place of a supplier_id")]


def test_a_csv_id_written_as_an_error_value_is_not_a_supplier(acc):
    path = acc.text("suppliers.csv", "supplier_id,name\nS1,Acme\n#REF!,Beta\n#N/A,Gamma\n")
    run = acc.check([path])
    assert run.supplier_ids == ["S1"]
    assert [(i["row"], i["value"], i["problem"]) for i in run.issues] == [
        (3, "#REF!", "Excel error value in place of a supplier_id"),
        (4, "#N/A", "no supplier_id"),
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_error_cells_of_every_sheet_type(acc, suffix):
    book = acc.xlsx(f"b{suffix}", {"Suppliers": [["Supplier ID", "Name", "Annual Spend"],
                                                 ["S1", "A", "#NUM!"]]})
    run = acc.check([book])
    assert _issue(run, 2) == [(2, "Annual Spend", "#NUM!", "Excel error value")]

"""SPEC §3, input workbooks: formats, CSV sheet names, folders, sheet-name matching."""

from __future__ import annotations

import pandas as pd
import pytest
import xlwt

ROWS = [["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", 1200], ["S2", "Beta", 7]]
PROBE = {"SPEND": "annual_spend == 1200", "NAMED": "name == 'Acme'"}


def _expect_two(run):
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1", "S2"]
    assert run.statuses("S1") == {"SPEND": "pass", "NAMED": "pass"}
    assert run.statuses("S2") == {"SPEND": "fail", "NAMED": "fail"}
    assert run.issues == []


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_ooxml_workbook(acc, suffix):
    _expect_two(acc.check([acc.xlsx(f"book{suffix}", {"Suppliers": ROWS})], PROBE))


def test_xls_workbook(acc):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Suppliers")
    for i, row in enumerate(ROWS):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    path = acc.tmp / "book.xls"
    book.save(str(path))
    _expect_two(acc.check([path], PROBE))


def test_ods_workbook(acc):
    path = acc.tmp / "book.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(ROWS).to_excel(writer, sheet_name="Suppliers", header=False, index=False)
    _expect_two(acc.check([path], PROBE))


def test_ods_rows_are_numbered_as_a_person_sees_them(acc):
    path = acc.tmp / "book.ods"
    rows = [["Supplier list", None, None], [None, None, None],
            ["Supplier ID", "Name", "Annual Spend"],
            ["S1", "Acme", "lots"]]
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(rows).to_excel(writer, sheet_name="Suppliers", header=False, index=False)
    run = acc.check([path])
    assert [(i["sheet"], i["row"], i["column"], i["value"]) for i in run.issues] == [
        ("Suppliers", 4, "Annual Spend", "lots")]


def test_csv_is_the_suppliers_sheet(acc):
    path = acc.text("vendors.csv", "Supplier ID,Name,Annual Spend\nS1,Acme,1200\nS2,Beta,7\n")
    _expect_two(acc.check([path], PROBE))


def test_csv_named_after_a_sheet_is_that_sheet(acc):
    suppliers = acc.text("suppliers.csv", "Supplier ID,Name\nS1,Acme\nS2,Beta\n")
    certificates = acc.text(
        "Certificates.csv",
        "Supplier ID,Standard,Valid From,Valid Until,Status\n"
        "S1,ISO 14001,2025-01-01,2028-01-01,active\nS9,ISO 14001,2025-01-01,2028-01-01,active\n",
    )
    materials = acc.text("materials.csv", "Material,Supplier ID,Core\nM1,S2,yes\n")
    run = acc.check([suppliers, certificates, materials],
                    [{"id": "CERT", "title": "c", "pillar": "e",
                      "check": {"certificate": "ISO 14001"}}])
    assert run.code == 0, run.stderr
    assert run.statuses("S1") == {"CERT": "pass"}
    assert run.statuses("S2") == {"CERT": "fail"}
    assert run.issues == [{
        "file": str(certificates), "sheet": "Certificates", "row": 3, "column": "Supplier ID",
        "value": "S9", "problem": "supplier_id not in Suppliers",
    }]


def test_sheet_names_match_case_and_space_insensitively(acc):
    book = acc.xlsx("book.xlsx", {
        " supplier S": [["Supplier ID", "Name"], ["S1", "Acme"]],
        "CERTIFI CATES": [["Supplier ID", "Standard", "Valid From", "Valid Until"],
                          ["S1", "ISO 14001", "2025-01-01", "2028-01-01"]],
        "Instructions": [["Fill in the Suppliers sheet"], ["really"]],
    })
    run = acc.check([book], [{"id": "CERT", "title": "c", "pillar": "e",
                              "check": {"certificate": "ISO 14001"}}])
    assert run.code == 0, run.stderr
    assert run.statuses("S1") == {"CERT": "pass"}
    assert run.issues == []


def test_folder_every_supported_file_sorted_by_name_and_merged(acc):
    folder = acc.tmp / "returns"
    acc.xlsx("returns/b.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "from b"],
                                              ["S2", "Beta"]]})
    acc.xlsx("returns/a.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "from a"]]})
    acc.text("returns/c.csv", "Supplier ID,Name\nS3,Gamma\n")
    acc.text("returns/notes.txt", "not an input")
    run = acc.check([folder], {"FROM_A": "name == 'from a'"})
    assert run.code == 0, run.stderr
    assert [i["path"] for i in run.report["audit"]["inputs"]] == [
        str(folder / "a.xlsx"), str(folder / "b.xlsx"), str(folder / "c.csv")]
    assert run.supplier_ids == ["S1", "S2", "S3"]
    assert run.status("S1", "FROM_A") == "pass"
    assert run.issues == [{
        "file": str(folder / "b.xlsx"), "sheet": "Suppliers", "row": 2, "column": "Supplier ID",
        "value": "S1", "problem": f"repeated supplier_id (first at {folder / 'a.xlsx'}, "
                                  "sheet 'Suppliers', row 2)",
    }]


def test_one_file_per_supplier_returned_from_the_template(acc):
    folder = acc.tmp / "returned"
    for n in (3, 1, 2):
        acc.xlsx(f"returned/supplier-{n}.xlsx", {
            "Instructions": [["Please fill in"]],
            "Suppliers": [["Supplier ID", "Name", "Country"], [f"S{n}", f"Name {n}", "DE"]],
            "Certificates": [["Supplier ID", "Standard", "Valid From", "Valid Until"],
                             [f"S{n}", "ISO 14001", "2025-01-01", "2028-01-01"]],
        })
    run = acc.check([folder], [{"id": "CERT", "title": "c", "pillar": "e",
                                "check": {"certificate": "ISO 14001"}}])
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1", "S2", "S3"]
    assert run.summary["suppliers"] == 3 and run.summary["audited"] == 3
    assert all(run.statuses(s) == {"CERT": "pass"} for s in ("S1", "S2", "S3"))
    assert [i["rows"] for i in run.report["audit"]["inputs"]] == [2, 2, 2]


def test_several_files_given_are_merged_in_the_order_given(acc):
    second = acc.xlsx("z.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "first"]]})
    first = acc.text("a.csv", "Supplier ID,Name\nS1,second\n")
    run = acc.check([second, first], {"FIRST": "name == 'first'"})
    assert run.status("S1", "FIRST") == "pass"
    assert [(i["file"], i["row"]) for i in run.issues] == [(str(first), 2)]


def test_folder_lock_and_hidden_files_are_skipped_with_a_note(acc):
    folder = acc.tmp / "returns"
    acc.xlsx("returns/a.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "Alpha"]]})
    acc.text("returns/~$a.xlsx", "lock")
    acc.text("returns/.b.csv", "Supplier ID,Name\nS9,hidden\n")
    acc.text("returns/minutes.docx", "ignored")
    run = acc.check([folder], {"NAMED": "name == 'Alpha'"})
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1"]
    assert [i["path"] for i in run.report["audit"]["inputs"]] == [str(folder / "a.xlsx")]
    skipped = [n for n in run.notes if n["sheet"] == ""]
    assert skipped == [
        {"file": str(folder / ".b.csv"), "sheet": "", "column": None,
         "note": "hidden file skipped"},
        {"file": str(folder / "~$a.xlsx"), "sheet": "", "column": None,
         "note": "Office lock file (~$…) skipped: it is not a workbook"},
    ]
    assert run.issues == []


def test_folder_certificate_in_one_file_counts_for_a_supplier_in_another(acc):
    folder = acc.tmp / "returns"
    acc.xlsx("returns/a-supplier.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "Alpha"]]})
    acc.xlsx("returns/b-certs.xlsx", {
        "Certificates": [["Supplier ID", "Standard", "Valid From", "Valid Until"],
                         ["S1", "ISO 14001", "2025-01-01", "2028-01-01"]]})
    acc.text("returns/c.csv", "Supplier ID,Name\nS2,Beta\n")
    run = acc.check([folder], [{"id": "CERT", "title": "c", "pillar": "e",
                                "check": {"certificate": "ISO 14001"}}])
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1", "S2"]
    assert run.statuses("S1") == {"CERT": "pass"}
    assert run.statuses("S2") == {"CERT": "fail"}
    assert run.issues == []

"""SPEC §2, the flow: invalid cells become data issues and missing; what stops an audit."""

from __future__ import annotations

import zipfile

HEAD = ["Supplier ID", "Name", "Renewable Share", "Annual Spend"]


def test_invalid_cell_is_a_data_issue_with_every_field_and_the_cell_becomes_missing(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        HEAD,
        ["S1", "Acme", 0.5, "lots"],
        ["S2", "Beta", 0.4, 100],
    ]})
    run = acc.check([book], {"SPEND_MISSING": "isna(annual_spend)",
                             "SHARE": "renewable_share == 0.5"})
    assert run.code == 0
    assert run.issues == [{
        "file": str(book), "sheet": "Suppliers", "row": 2, "column": "Annual Spend",
        "value": "lots", "problem": "not a number",
    }]
    assert run.status("S1", "SPEND_MISSING") == "pass"
    assert run.status("S1", "SHARE") == "pass"
    assert run.status("S2", "SPEND_MISSING") == "fail"
    assert run.summary["audited"] == 2
    assert run.summary["data_issues"] == 1


def test_many_invalid_cells_never_stop_the_audit(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Supplier ID", "Country", "Renewable Share", "Reporting Year", "SBTi Target"],
        ["S1", "ZZ", "half", "last year", "maybe"],
    ]})
    run = acc.check([book], {"ALL_MISSING": (
        "isna(country) and isna(renewable_share) and isna(reporting_year) and isna(sbti_target)"
    )})
    assert run.code == 0
    assert [(i["row"], i["column"], i["value"]) for i in run.issues] == [
        (2, "Country", "ZZ"), (2, "Renewable Share", "half"),
        (2, "Reporting Year", "last year"), (2, "SBTi Target", "maybe"),
    ]
    assert run.status("S1", "ALL_MISSING") == "pass"


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_unreadable_workbook_stops_with_exit_2_naming_the_file(acc):
    bad = acc.text("broken.xlsx", "this is not a workbook")
    run = acc.check([bad])
    assert run.code == 2
    line = _one_line(run.stderr)
    assert line.startswith("error: ")
    assert str(bad) in line
    assert not (acc.tmp / "out" / "report.json").exists()


def test_damaged_zip_workbook_stops_with_exit_2(acc):
    path = acc.tmp / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "not a workbook")
    run = acc.check([path])
    assert run.code == 2
    assert str(path) in _one_line(run.stderr)


def test_unreadable_csv_stops_with_exit_2_naming_the_file(acc):
    bad = acc.text("suppliers.csv", 'supplier_id,name\nS1,"never closed\n')
    run = acc.check([bad])
    assert run.code == 2
    assert str(bad) in _one_line(run.stderr)


def test_missing_suppliers_sheet_stops_with_exit_2_naming_the_file(acc):
    book = acc.xlsx("book.xlsx", {"Certificates": [
        ["Supplier ID", "Standard"], ["S1", "ISO 14001"],
    ]})
    run = acc.check([book])
    assert run.code == 2
    line = _one_line(run.stderr)
    assert str(book) in line
    assert "Suppliers" in line


def test_missing_supplier_id_column_stops_with_exit_2_naming_file_and_sheet(acc):
    book = acc.xlsx("book.xlsx", {"Lieferanten": [["x"]], "Suppliers": [
        ["Name", "Country"], ["Acme", "DE"],
    ]})
    run = acc.check([book])
    assert run.code == 2
    line = _one_line(run.stderr)
    assert str(book) in line
    assert "sheet 'Suppliers'" in line
    assert "supplier_id" in line


def test_missing_supplier_id_column_in_an_optional_sheet_also_stops(acc):
    book = acc.xlsx("book.xlsx", {
        "Suppliers": [["Supplier ID", "Name"], ["S1", "Acme"]],
        "Certificates": [["Standard", "Issuer"], ["ISO 14001", "TUV"]],
    })
    run = acc.check([book])
    assert run.code == 2
    line = _one_line(run.stderr)
    assert str(book) in line and "sheet 'Certificates'" in line and "supplier_id" in line


def test_missing_file_named_on_the_command_line_is_a_usage_error(acc):
    run = acc.check([acc.tmp / "nowhere.xlsx"])
    assert run.code == 2


def test_invalid_rule_file_stops_with_exit_2_naming_file_and_line(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [HEAD, ["S1", "Acme", 0.5, 1]]})
    pack = acc.tmp / "bad.yaml"
    pack.write_text(
        "pack: bad\nversion: '1'\nrules:\n  - id: R1\n    title: t\n    pillar: p\n"
        "    check: {pass: 'no_such_field > 1'}\n",
        encoding="utf-8",
    )
    run = acc.check([book], pack)
    assert run.code == 2
    line = _one_line(run.stderr)
    assert f"{pack}:" in line and "R1" in line


def test_an_empty_suppliers_sheet_has_no_supplier_id_column_and_stops(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [], "Certificates": [
        ["Supplier ID", "Standard"], ["S1", "ISO 14001"]]})
    run = acc.check([book])
    assert run.code == 2
    line = _one_line(run.stderr)
    assert f"{book}, sheet 'Suppliers'" in line and "supplier_id" in line


def test_an_empty_csv_is_an_empty_suppliers_sheet_and_stops(acc):
    path = acc.text("vendors.csv", "")
    run = acc.check([path])
    assert run.code == 2
    assert str(path) in _one_line(run.stderr)


def test_an_empty_suppliers_sheet_beside_others_with_data_is_nothing_to_audit(acc):
    blank = acc.xlsx("a-blank.xlsx", {"Suppliers": []})
    filled = acc.xlsx("b.xlsx", {"Suppliers": [["Supplier ID", "Name"], ["S1", "Acme"]]})
    run = acc.check([blank, filled])
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1"]
    assert run.issues == []


def test_a_suppliers_sheet_with_headers_only_is_an_audit_of_no_supplier(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [["Supplier ID", "Name"]]})
    run = acc.check([book])
    assert run.code == 0, run.stderr
    assert run.summary["suppliers"] == 0 and run.summary["audited"] == 0

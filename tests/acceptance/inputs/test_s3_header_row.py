"""SPEC §3, header row: the first of the first 10 rows with two recognised headers; title rows
skipped; row numbers are Excel's own (CSV: the line on which the record starts)."""

from __future__ import annotations

import pandas as pd
import xlwt


def _bad_spend_rows(run):
    return [(i["row"], i["column"], i["value"]) for i in run.issues]


def test_title_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Supplier self-assessment 2026"],
        ["Return by 30 November", "to procurement"],
        [],
        ["Supplier ID", "Name", "Annual Spend"],
        ["S1", "Acme", "lots"],
        [],
        ["S2", "Beta", "-"],
        ["S3", "Gamma", "much"],
    ]})
    run = acc.check([book], {"NAMED": "name == 'Acme'"})
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1", "S2", "S3"]
    assert _bad_spend_rows(run) == [(5, "Annual Spend", "lots"), (8, "Annual Spend", "much")]
    assert run.summary["suppliers"] == 3
    assert run.report["audit"]["inputs"][0]["rows"] == 3


def test_header_on_row_10_is_found(acc):
    rows = [[f"title line {n}"] for n in range(1, 10)]
    rows += [["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", "lots"]]
    run = acc.check([acc.xlsx("book.xlsx", {"Suppliers": rows})])
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1"]
    assert _bad_spend_rows(run) == [(11, "Annual Spend", "lots")]


def test_header_below_row_10_is_not_found_and_stops_naming_file_and_sheet(acc):
    rows = [[f"title line {n}"] for n in range(1, 11)]
    rows += [["Supplier ID", "Name"], ["S1", "Acme"]]
    book = acc.xlsx("book.xlsx", {"Suppliers": rows})
    run = acc.check([book])
    assert run.code == 2
    assert f"{book}, sheet 'Suppliers'" in run.stderr


def test_a_row_with_one_recognised_header_is_not_the_header(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Name", "of the form"],  # one recognised header only
        ["Supplier ID", "Name", "Annual Spend"],
        ["S1", "Acme", "lots"],
    ]})
    run = acc.check([book])
    assert run.supplier_ids == ["S1"]
    assert _bad_spend_rows(run) == [(3, "Annual Spend", "lots")]


def test_used_range_starting_away_from_a1_keeps_excel_row_numbers(acc):
    book = acc.xlsx("book.xlsx", {"Suppliers": [
        ["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", "lots"],
    ]}, origin=(4, 3))
    run = acc.check([book], {"NAMED": "name == 'Acme'"})
    assert run.status("S1", "NAMED") == "pass"
    assert _bad_spend_rows(run) == [(5, "Annual Spend", "lots")]


def test_ods_used_range_away_from_a1_keeps_row_numbers(acc):
    path = acc.tmp / "book.ods"
    frame = pd.DataFrame([["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", "lots"]])
    with pd.ExcelWriter(path, engine="odf") as writer:
        frame.to_excel(writer, sheet_name="Suppliers", header=False, index=False,
                       startrow=3, startcol=2)
    run = acc.check([path])
    assert run.supplier_ids == ["S1"]
    assert _bad_spend_rows(run) == [(5, "Annual Spend", "lots")]


def test_xls_used_range_away_from_a1_keeps_row_numbers(acc):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Suppliers")
    for i, row in enumerate([["Supplier ID", "Name", "Annual Spend"], ["S1", "Acme", "lots"]]):
        for j, value in enumerate(row):
            sheet.write(5 + i, 1 + j, value)
    path = acc.tmp / "book.xls"
    book.save(str(path))
    run = acc.check([path])
    assert _bad_spend_rows(run) == [(7, "Annual Spend", "lots")]


def test_csv_rows_are_the_line_on_which_the_record_starts(acc):
    path = acc.text("suppliers.csv", (
        "Supplier ID,Name,Annual Spend\n"
        "S1,\"Acme\nGmbH\",lots\n"      # record on lines 2-3
        "S2,Beta,much\n"               # line 4
        "\n"                           # line 5: blank
        "S3,\"Gamma\n\nLtd\",many\n"   # lines 6-8
        "S4,Delta,loads\n"             # line 9
    ))
    run = acc.check([path], {"MULTILINE": "notna(name) and name != 'Acme'"})
    assert run.code == 0, run.stderr
    assert run.supplier_ids == ["S1", "S2", "S3", "S4"]
    assert run.status("S1", "MULTILINE") == "pass"
    assert _bad_spend_rows(run) == [(2, "Annual Spend", "lots"), (4, "Annual Spend", "much"),
                                    (6, "Annual Spend", "many"), (9, "Annual Spend", "loads")]


def test_csv_with_title_lines_counts_lines_from_the_top_of_the_file(acc):
    path = acc.text("suppliers.csv", (
        "Supplier survey,,\n"
        ",,\n"
        "Supplier ID,Name,Annual Spend\n"
        "S1,Acme,lots\n"
    ))
    run = acc.check([path])
    assert run.supplier_ids == ["S1"]
    assert _bad_spend_rows(run) == [(4, "Annual Spend", "lots")]


def test_csv_crlf_line_ends_and_quoted_crlf(acc):
    path = acc.text("suppliers.csv",
                    "Supplier ID,Name,Annual Spend\r\nS1,\"A\r\nB\",lots\r\nS2,C,much\r\n")
    run = acc.check([path])
    assert _bad_spend_rows(run) == [(2, "Annual Spend", "lots"), (4, "Annual Spend", "much")]

"""CSV files: every cell text, index = the line on which the record starts, NA is Namibia."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from esg_audit.errors import InputFileError
from esg_audit.load import load_inputs

REAL_CSV = (
    Path(__file__).resolve().parents[3] / "shared" / "real" / "eu-ets" / "verified_emissions.csv"
)


def load_one(path: Path):
    loaded = load_inputs([str(path)])
    (sheet,) = loaded.sheets
    return sheet, loaded.inputs[0]


def table(cells) -> dict[int, list]:
    return {
        int(index): list(row)
        for index, row in zip(cells.index, cells.to_numpy().tolist(), strict=True)
    }


def test_text_cells_line_numbers_and_na_kept(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(b"supplier_id,name,country,spend\nS1,Acme,NA,12.5\n\nS2,,n/a,\n")

    sheet, info = load_one(path)

    assert (sheet.file, sheet.sheet, sheet.canonical) == (str(path), "suppliers", "Suppliers")
    assert table(sheet.cells) == {
        1: ["supplier_id", "name", "country", "spend"],
        2: ["S1", "Acme", "NA", "12.5"],
        3: [None, None, None, None],
        4: ["S2", None, "n/a", None],
    }
    assert (info.path, info.rows) == (str(path), 2)
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_quoted_field_with_line_breaks_moves_the_next_record_down(tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(
        b'supplier_id,name,note\r\nS1,"Acme\r\nGmbH","two\nmore\nlines"\r\nS2,"Beta, ""Ltd""",x\r\n'
    )

    sheet, info = load_one(path)

    assert table(sheet.cells) == {
        1: ["supplier_id", "name", "note"],
        2: ["S1", "Acme\r\nGmbH", "two\nmore\nlines"],
        6: ["S2", 'Beta, "Ltd"', "x"],
    }
    assert (sheet.sheet, sheet.canonical, info.rows) == ("Suppliers", "Suppliers", 2)


@pytest.mark.parametrize(
    "name, sheet_name, canonical",
    [
        ("certificates.csv", "certificates", "Certificates"),
        ("Emissions.csv", "Emissions", "Emissions"),
        (" Materials .csv", " Materials ", "Materials"),
        ("SUPPLIERS.csv", "SUPPLIERS", "Suppliers"),
        ("returns-2026.csv", "Suppliers", "Suppliers"),
    ],
)
def test_a_csv_named_after_a_sheet_is_that_sheet(tmp_path, name, sheet_name, canonical):
    (tmp_path / "base.csv").write_text("supplier_id,name\nS1,Acme\n")
    path = tmp_path / name
    path.write_text("supplier_id,year\nS1,2025\n")

    loaded = load_inputs([str(tmp_path / "base.csv"), str(path)])

    assert (loaded.sheets[1].sheet, loaded.sheets[1].canonical) == (sheet_name, canonical)


@pytest.mark.parametrize(
    "data, expected_row",
    [
        ("\ufeffsupplier_id;name;spend\nS1;Müller;1,5\n".encode(), ["S1", "Müller", "1,5"]),
        ("supplier_id;name;spend\nS1;Müller;1,5\n".encode("cp1252"), ["S1", "Müller", "1,5"]),
        ("supplier_id\tname\tspend\nS1\tÅs, AB\t2\n".encode("utf-16"), ["S1", "Ås, AB", "2"]),
        (b'sep=;\nsupplier_id;name;spend\nS1;"A;B";3\n', ["S1", "A;B", "3"]),
        (b"supplier_id,name,spend\rS1,Acme,4\r", ["S1", "Acme", "4"]),
    ],
)
def test_encodings_and_delimiters(tmp_path, data, expected_row):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(data)

    sheet, info = load_one(path)

    rows = table(sheet.cells)
    assert rows[max(rows)] == expected_row
    assert rows[max(rows) - 1] == ["supplier_id", "name", "spend"]
    assert info.rows == 1


def test_excel_separator_line_keeps_true_line_numbers(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(b"sep=;\r\nsupplier_id;name\r\nS1;Acme\r\n")

    sheet, _ = load_one(path)

    assert table(sheet.cells) == {2: ["supplier_id", "name"], 3: ["S1", "Acme"]}


def test_a_semicolon_file_with_decimal_commas_and_a_title_comma(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "Supplier list, 2026\nsupplier_id;name;spend;share\nS1;Acme;1,5;0,4\nS2;Beta;2,5;0,1\n"
    )

    sheet, info = load_one(path)

    assert table(sheet.cells)[3] == ["S1", "Acme", "1,5", "0,4"]
    assert table(sheet.cells)[1] == ["Supplier list, 2026", None, None, None]
    assert info.rows == 2


def test_records_longer_or_shorter_than_the_header_are_kept_whole(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text("supplier_id,name\nS1,Acme,extra,\nS2\n,,\n")

    sheet, info = load_one(path)

    assert table(sheet.cells) == {
        1: ["supplier_id", "name", None],
        2: ["S1", "Acme", "extra"],
        3: ["S2", None, None],
        4: [None, None, None],
    }
    assert info.rows == 2


def test_a_multi_line_record_longer_than_any_line_is_kept_whole(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text('supplier_id,name\nS1,"a\nb",c,d,e\nS2,x\n')

    sheet, _ = load_one(path)

    assert table(sheet.cells) == {
        1: ["supplier_id", "name", None, None, None],
        2: ["S1", "a\nb", "c", "d", "e"],
        4: ["S2", "x", None, None, None],
    }


def test_an_empty_csv_is_an_empty_suppliers_sheet(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(b"")

    sheet, info = load_one(path)

    assert sheet.cells.shape == (0, 0) and info.rows == 0


def test_an_unclosed_quote_is_an_input_error_naming_the_file(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_text('supplier_id,name\nS0,Zeta\nS1,"Acme\n')

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    assert str(caught.value) == (
        f"{path}: cannot read CSV: a quoted field in record 3 (the header is record 1) "
        "is never closed"
    )


@pytest.mark.real
@pytest.mark.skipif(not REAL_CSV.exists(), reason="../shared/real is absent")
def test_the_eu_ets_file_loads_whole_with_its_line_numbers():
    sheet, info = load_one(REAL_CSV)

    assert sheet.cells.shape == (167_701, 3)
    assert sheet.cells.loc[1].tolist() == ["account_id", "year", "tonnes_co2"]
    assert sheet.cells.loc[2].tolist() == ["100000", "2005", "87923"]
    assert sheet.cells.index[-1] == 167_701
    assert info.rows == 167_700
    assert (sheet.cells[2] == "Excluded").sum() == 3_486
    assert all(isinstance(v, str) for v in sheet.cells[0].tolist())

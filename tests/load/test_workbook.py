"""Workbooks in every format: sheets matched by name, Excel row numbers, cells as read."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest

from esg_audit.errors import InputFileError
from esg_audit.load import load_inputs

# Two title rows, the header, a blank row inside the data, data from column B (origin B3).
TITLED = [
    ["Supplier data collection 2026", None, None],
    ["Please fill in every column", None, None],
    ["supplier_id", "name", "annual_spend"],
    ["S1", "Acme", 1200.5],
    [None, None, None],
    ["S2", "Beta", 300],
]


def as_read(cells) -> list[list]:
    """The cells row by row as Python values (None for an empty cell)."""
    return cells.astype(object).where(cells.notna(), None).to_numpy().tolist()


def rows_by_excel_number(cells) -> dict[int, list]:
    return {
        int(index): list(row)
        for index, row in zip(cells.index, as_read(cells), strict=True)
    }


@pytest.mark.parametrize("fmt", ["xlsx", "xlsm", "xls", "ods"])
def test_title_rows_blank_rows_and_offset_keep_excel_row_numbers(tmp_path, xlsx, xls, ods, fmt):
    path = tmp_path / f"returns.{fmt}"
    if fmt in ("xlsx", "xlsm"):
        xlsx(path, {"Suppliers": TITLED}, origin=(3, 2))
    elif fmt == "xls":
        xls(path, {"Suppliers": TITLED}, origin=(3, 2))
    else:  # pandas writes the first row as the header: title rows go in as data rows
        ods(path, {"Suppliers": TITLED}, origin=(3, 2))

    loaded = load_inputs([str(path)])

    (sheet,) = loaded.sheets
    assert (sheet.file, sheet.sheet, sheet.canonical) == (str(path), "Suppliers", "Suppliers")
    assert list(sheet.cells.columns) == [0, 1, 2]
    assert set(map(str, sheet.cells.dtypes)) == {"string"}  # text, kept in Arrow
    rows = rows_by_excel_number(sheet.cells)
    assert rows[3] == ["Supplier data collection 2026", None, None]
    assert rows[5] == ["supplier_id", "name", "annual_spend"]
    assert rows[6] == ["S1", "Acme", "1200.5"]
    assert rows.get(7, [None, None, None]) == [None, None, None]
    assert rows[8] == ["S2", "Beta", "300"]
    assert max(rows) == 8
    assert loaded.inputs[0].rows == 2
    assert loaded.inputs[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_cells_are_read_as_text_as_a_person_reads_them_and_empty_text_is_none(tmp_path, xlsx):
    path = xlsx(
        tmp_path / "types.xlsx",
        {
            "Suppliers": [
                ["supplier_id", "sbti_target", "valid_until", "stamp", "country", "note"],
                ["S1", True, date(2026, 12, 31), datetime(2026, 1, 2, 3, 4, 5), "NA", ""],
            ]
        },
    )

    cells = load_inputs([str(path)]).sheets[0].cells

    assert as_read(cells.loc[[2]])[0] == [
        "S1",
        "TRUE",
        "2026-12-31",
        "2026-01-02T03:04:05",
        "NA",
        None,
    ]


def test_sheets_match_by_name_ignoring_case_and_space_others_are_ignored(tmp_path, xlsx):
    path = xlsx(
        tmp_path / "book.xlsx",
        {
            "Read me": [["This workbook collects supplier data"]],
            " SUPPLIERS ": [["supplier_id", "name"], ["S1", "Acme"]],
            "certificates": [["supplier_id", "standard"], ["S1", "ISO 14001"]],
            "Emis sions": [["supplier_id", "year"], ["S1", 2025]],
            "MATERIALS": [["material", "supplier_id"], ["steel", "S1"], ["zinc", "S1"]],
            "Supplier": [["supplier_id"], ["S9"]],
        },
    )

    loaded = load_inputs([str(path)])

    assert [(s.sheet, s.canonical) for s in loaded.sheets] == [
        (" SUPPLIERS ", "Suppliers"),
        ("certificates", "Certificates"),
        ("Emis sions", "Emissions"),
        ("MATERIALS", "Materials"),
    ]
    assert loaded.inputs[0].rows == 1 + 1 + 1 + 2


def test_an_empty_audited_sheet_is_kept_as_an_empty_frame(tmp_path, xlsx, suppliers_rows):
    path = xlsx(tmp_path / "book.xlsx", {"Suppliers": suppliers_rows, "Certificates": []})

    loaded = load_inputs([str(path)])

    certificates = loaded.sheets[1]
    assert (certificates.canonical, certificates.cells.shape) == ("Certificates", (0, 0))
    assert loaded.inputs[0].rows == 2


def test_a_chart_sheet_named_like_an_audited_sheet_is_skipped(tmp_path, suppliers_rows):
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    data = book.active
    data.title = "Suppliers"
    for row in suppliers_rows:
        data.append(row)
    chart_sheet = book.create_chartsheet("Emissions")
    chart = BarChart()
    chart.add_data(Reference(data, min_col=1, min_row=1, max_row=3))
    chart_sheet.add_chart(chart)
    path = tmp_path / "charted.xlsx"
    book.save(path)

    loaded = load_inputs([str(path)])

    assert [s.sheet for s in loaded.sheets] == ["Suppliers"]


def test_rows_count_skips_title_rows_even_with_two_cells(tmp_path, xlsx):
    path = xlsx(
        tmp_path / "book.xlsx",
        {
            "Suppliers": [
                ["Supplier:", "Acme Holding"],
                ["Supplier ID", "Renewable Share (%)", "Scope 1 (kgCO2e)"],
                ["S1", 45, 1000],
                [None, None, None],
                ["S2", None, None],
            ]
        },
    )

    assert load_inputs([str(path)]).inputs[0].rows == 2


def test_a_workbook_saved_under_another_format_name_is_read_by_content(
    tmp_path, xlsx, xls, suppliers_rows
):
    zip_as_xls = tmp_path / "export.xls"
    zip_as_xls.write_bytes(xlsx(tmp_path / "real.xlsx", {"Suppliers": suppliers_rows}).read_bytes())
    ole_as_xlsx = tmp_path / "old.xlsx"
    ole_as_xlsx.write_bytes(xls(tmp_path / "real.xls", {"Suppliers": suppliers_rows}).read_bytes())

    for path in (zip_as_xls, ole_as_xlsx):
        (sheet,) = load_inputs([str(path)]).sheets
        assert sheet.cells.loc[3].tolist() == ["S2", "Beta", "NA"]


def test_no_suppliers_sheet_names_the_file_and_its_sheets(tmp_path, xlsx):
    path = xlsx(tmp_path / "book.xlsx", {"Data": [["supplier_id"], ["S1"]], "Notes": [["x"]]})

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    assert str(caught.value) == f"no Suppliers sheet in {path} (its sheets: Data, Notes)"


def test_no_suppliers_sheet_in_any_of_several_inputs_names_them(tmp_path, xlsx):
    first = xlsx(tmp_path / "a.xlsx", {"Certificates": [["supplier_id"], ["S1"]]})
    second = tmp_path / "emissions.csv"
    second.write_text("supplier_id,year\nS1,2025\n")

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(first), str(second)])

    assert str(caught.value) == f"no Suppliers sheet in any input: {first}, {second}"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "damaged zip package"),
        ("text.xlsx", b"supplier_id,name\nS1,Acme\n", "not a .xlsx workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cannot read workbook"),
    ],
)
def test_an_unreadable_workbook_is_one_line_naming_the_file(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(InputFileError) as caught:
        load_inputs([str(path)])

    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message and len(message) < 400
    assert caught.value.location.file == str(path)


def test_a_truncated_xlsx_is_an_input_error(tmp_path, xlsx, suppliers_rows):
    whole = xlsx(tmp_path / "whole.xlsx", {"Suppliers": suppliers_rows}).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(InputFileError, match="damaged zip package"):
        load_inputs([str(path)])


CBAM = Path(__file__).resolve().parents[3] / "shared" / "real" / "cbam" / "example-cement.xlsx"


@pytest.mark.real
@pytest.mark.skipif(not CBAM.exists(), reason="../shared/real is absent")
def test_a_real_commission_workbook_passes_the_guards_and_is_read_as_a_cbam_template(tmp_path):
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text("supplier_id,name\nS1,Acme\n")

    loaded = load_inputs([str(CBAM), str(suppliers)])

    assert [(s.file, s.canonical, s.form) for s in loaded.sheets] == [
        (str(CBAM), "Suppliers", "cbam"), (str(CBAM), "CBAM Goods", "cbam"),
        (str(suppliers), "Suppliers", ""),
    ]
    assert [(i.path, i.rows) for i in loaded.inputs] == [(str(CBAM), 2), (str(suppliers), 1)]
    assert loaded.issues == ()


@pytest.mark.parametrize("writer", ["xlsx", "xls", "ods"])
def test_a_single_sheet_of_another_name_is_read_as_suppliers_with_a_note(
    tmp_path, request, writer
):
    write = request.getfixturevalue(writer)
    path = write(tmp_path / f"export.{writer}",
                 {"Sheet1": [["Supplier Number", "Supplier Name"], ["S1", "Acme"]]})

    loaded = load_inputs([str(path)])

    (sheet,) = loaded.sheets
    assert (sheet.file, sheet.sheet, sheet.canonical) == (str(path), "Sheet1", "Suppliers")
    assert rows_by_excel_number(sheet.cells) == {
        1: ["Supplier Number", "Supplier Name"], 2: ["S1", "Acme"]}
    assert sheet.notes == ("the workbook's only sheet, 'Sheet1', is read as Suppliers",)


def test_a_single_sheet_named_like_another_audited_sheet_is_that_sheet(tmp_path, xlsx):
    path = xlsx(tmp_path / "book.xlsx", {"Certificates": [["supplier_id", "standard"]]})

    with pytest.raises(InputFileError, match="no Suppliers sheet"):
        load_inputs([str(path)])

"""Excel error values in workbooks: found in the file, since python-calamine reads them as empty
(SPEC §3: each is a data issue showing the error; #N/A means missing)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter
import xlwt

from esg_audit.load import error_cells, load_inputs
from esg_audit.load.error_cells import find_error_cells
from tests.load.sheet_parts import replace_sheet, sheet_xml


class Error(str):
    """A cell to write as an Excel error value (a formula whose cached result is the error)."""


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if isinstance(value, Error):
                    sheet.write_formula(i, j, "=1/0", None, str(value))
                elif value is not None:
                    sheet.write(i, j, value)
    book.close()
    return path


def found(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    cells = find_error_cells(str(path), sheet)
    return [(int(r), int(c), str(t)) for r, c, t in zip(cells.rows, cells.columns, cells.texts,
                                                         strict=True)]


ERRORS = ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A"]


def test_xlsx_every_error_value_with_its_place(tmp_path):
    rows = [["supplier_id", "name", "annual_spend"]]
    rows += [[f"S{i}", "A", Error(e)] for i, e in enumerate(ERRORS)]
    rows += [[Error("#REF!"), "B", 1.0]]
    path = write_xlsx(tmp_path / "book.xlsx", {"Other": [[Error("#NUM!")]], "Suppliers": rows})

    assert found(path, "Suppliers") == [(1 + i, 2, e) for i, e in enumerate(ERRORS)] + [
        (8, 0, "#REF!")]
    assert found(path, "Other") == [(0, 0, "#NUM!")]
    assert found(path, "Missing") == []


def test_xlsx_prefixed_tags_and_look_alikes(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Suppliers": [["x"]]})
    xml = sheet_xml(
        '<x:row r="2"><x:c r="B2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>'
        # text, a formula and another attribute holding the same bytes are not error cells
        '<x:c r="C2" t="inlineStr"><x:is><x:t>t="e" or &lt;c t="e"</x:t></x:is></x:c>'
        '<x:c r="D2" t="str"><x:f>IF(t="e",1,0)</x:f><x:v>0</x:v></x:c>'
        '<x:c r="E2" fmt="e"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="7"><x:c r="AB7" s="3" t="e"><x:v>#N/A</x:v></x:c>'
        '<x:c r="AC7" t="e"/></x:row>',
        prefix="x",
    )
    replace_sheet(path, xml)

    assert found(path, "Suppliers") == [(1, 1, "#DIV/0!"), (6, 27, "#N/A"), (6, 28, "#N/A")]


def test_xlsx_written_with_single_quotes(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Suppliers": [["x"]]})
    xml = ("<?xml version='1.0' encoding='UTF-8'?>"
           "<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'>"
           "<sheetData><row r='3'><c r='C3' t='e'><v>#REF!</v></c></row></sheetData>"
           "</worksheet>")
    replace_sheet(path, xml)

    assert found(path, "Suppliers") == [(2, 2, "#REF!")]


def test_xlsx_cells_without_references_are_counted(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Suppliers": [["x"]]})
    xml = sheet_xml(
        '<x:row><x:c t="s"><x:v>0</x:v></x:c></x:row>'
        '<x:row><x:c/><x:c t="e"><x:v>#REF!</x:v></x:c></x:row>'
        '<x:row r="5"><x:c r="C5"/><x:c t="e"><x:v>#NAME?</x:v></x:c></x:row>',
        prefix="x",
    )
    replace_sheet(path, xml)

    assert found(path, "Suppliers") == [(1, 1, "#REF!"), (4, 3, "#NAME?")]


@pytest.mark.parametrize("chunk", [7, 16, 64, 1 << 22])
def test_xlsx_cells_split_between_chunks_are_found_once(tmp_path, monkeypatch, chunk):
    rows = [["supplier_id", "name"]] + [[f"S{i}", Error(ERRORS[i % 7])] for i in range(40)]
    path = write_xlsx(tmp_path / "book.xlsx", {"Suppliers": rows})
    monkeypatch.setattr(error_cells, "_CHUNK", chunk)

    assert found(path, "Suppliers") == [(1 + i, 1, ERRORS[i % 7]) for i in range(40)]


def test_ods_error_cells_counting_repeated_rows_and_cells(tmp_path):
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    error = ('<table:table-cell table:formula="of:=1/0" office:value-type="string" '
             'office:string-value="" calcext:value-type="error"><text:p>{}</text:p>'
             "</table:table-cell>")
    text = ('<table:table-cell office:value-type="string"><text:p>{}</text:p>'
            "</table:table-cell>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        "<office:body><office:spreadsheet>"
        f'<table:table table:name="Other"><table:table-row>{error.format("#NUM!")}'
        "</table:table-row></table:table>"
        '<table:table table:name="Suppliers">'
        f"<table:table-row>{text.format('supplier_id')}{text.format('name')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="2"/>'
        f"{error.format('#DIV/0!')}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="2"><table:covered-table-cell/>'
        f"{error.format('Err:502')}</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "book.ods"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)

    assert found(path, "Suppliers") == [(4, 2, "#DIV/0!"), (5, 1, "Err:502"),
                                        (6, 1, "Err:502")]
    assert found(path, "Other") == [(0, 0, "#NUM!")]


# BIFF8 error codes (xlwt's own names for them are partly wrong, so codes are written).
BIFF_CODES = {"#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24,
              "#NULL!": 0x00, "#N/A": 0x2A}


def test_xls_error_cells(tmp_path):
    book = xlwt.Workbook()
    book.add_sheet("Other").row(0).set_cell_error(0, BIFF_CODES["#NUM!"])
    sheet = book.add_sheet("Suppliers")
    sheet.write(0, 0, "supplier_id")
    sheet.write(0, 1, "name")
    for i, error in enumerate(ERRORS):
        sheet.row(1 + i).set_cell_error(1, BIFF_CODES[error])
    sheet.row(9).set_cell_error(0, BIFF_CODES["#REF!"])
    path = tmp_path / "book.xls"
    book.save(str(path))

    assert found(path, "Suppliers") == [(1 + i, 1, e) for i, e in enumerate(ERRORS)] + [
        (9, 0, "#REF!")]
    assert found(path, "Other") == [(0, 0, "#NUM!")]


def test_xls_formula_whose_cached_result_is_an_error(tmp_path):
    """A FORMULA record (type 6) whose value field says "error" (byte 0 = 2, bytes 6-7 =
    FFFF) with the error code in byte 2: #DIV/0! is 0x07."""
    book = xlwt.Workbook()
    sheet = book.add_sheet("Suppliers")
    sheet.write(0, 0, "supplier_id")
    sheet.write(1, 0, 1 / 3)  # a NUMBER record, rewritten below as a FORMULA record
    path = tmp_path / "book.xls"
    book.save(str(path))
    data = bytearray(path.read_bytes())
    number = bytes.fromhex("0302 0e00 0100 0000")  # NUMBER, 14 bytes, row 1, column 0
    at = data.find(number)
    assert at > 0
    # FORMULA records are longer than NUMBER ones: reuse the NUMBER's 14 bytes as a FORMULA
    # header + value, which is all the finder reads (the rest would be the parsed formula).
    data[at : at + 4] = bytes.fromhex("0600 0e00")
    data[at + 10 : at + 18] = bytes.fromhex("0200 0700 0000 ffff")
    path.write_bytes(bytes(data))

    assert found(path, "Suppliers") == [(1, 0, "#DIV/0!")]


def test_a_file_not_made_out_has_no_error_cells(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    assert found(path, "Suppliers") == []
    path = tmp_path / "book.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100)
    assert found(path, "Suppliers") == []


def test_loaded_sheet_lists_its_error_cells_in_frame_coordinates(tmp_path):
    """The used range starts at B2: rows are Excel's, columns count from B."""
    book = xlsxwriter.Workbook(str(tmp_path / "book.xlsx"))
    sheet = book.add_worksheet("Suppliers")
    sheet.write_row(1, 1, ["supplier_id", "name"])
    sheet.write_formula(2, 1, "=1/0", None, "#REF!")
    sheet.write(2, 2, "Acme")
    book.close()

    (raw,) = load_inputs([str(tmp_path / "book.xlsx")]).sheets

    assert raw.errors is not None
    assert (raw.errors.rows.tolist(), raw.errors.columns.tolist(), raw.errors.texts.tolist()) \
        == ([3], [0], ["#REF!"])
    assert raw.cells.loc[3].tolist() == [pd.NA, "Acme"]
    assert load_inputs([str(tmp_path / "book.xlsx")]).inputs[0].rows == 1


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def test_loaded_xls_and_ods_sheets_list_their_error_cells(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Suppliers")
    sheet.write(0, 0, "supplier_id")
    sheet.write(0, 1, "name")
    sheet.row(1).set_cell_error(0, BIFF_CODES["#REF!"])
    sheet.write(1, 1, "Acme")
    book.save(str(tmp_path / "book.xls"))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'office:version="1.3"><office:body><office:spreadsheet>'
        '<table:table table:name="Suppliers"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>supplier_id</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>name'
        "</text:p></table:table-cell></table:table-row><table:table-row>"
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'office:string-value="" calcext:value-type="error"><text:p>#REF!</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>Acme'
        "</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(tmp_path / "book.ods", "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", content)
        package.writestr("META-INF/manifest.xml", MANIFEST)

    for name in ("book.xls", "book.ods"):
        (raw,) = load_inputs([str(tmp_path / name)]).sheets
        assert raw.errors is not None, name
        assert (raw.errors.rows.tolist(), raw.errors.columns.tolist(),
                raw.errors.texts.tolist()) == ([2], [0], ["#REF!"]), name
        assert raw.cells.loc[2].tolist() == [pd.NA, "Acme"], name


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _small_xls(workbook: bytes) -> bytes:
    """A compound file whose Workbook stream (under 4,096 bytes) lives in the mini stream:
    sector 0 the FAT, 1 the directory, 2 the mini FAT, 3.. the mini stream."""
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    mini_sectors = -(-len(workbook) // 64)
    stream_sectors = -(-mini_sectors * 64 // 512)
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 2, 1, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = [0xFFFFFFFD, end, end] + [3 + i + 1 for i in range(stream_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))
    directory = bytearray(512)
    for i, (name, kind, start, size) in enumerate(
        [("Root Entry", 5, 3, mini_sectors * 64), ("Workbook", 2, 0, len(workbook))]
    ):
        raw = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128 : i * 128 + len(raw)] = raw
        struct.pack_into("<HBB", directory, i * 128 + 0x40, len(raw), kind, 1)
        struct.pack_into("<III", directory, i * 128 + 0x44, free, free, 1 if i == 0 else free)
        struct.pack_into("<IQ", directory, i * 128 + 0x74, start, size)
    mini_fat = [i + 1 for i in range(mini_sectors - 1)] + [end]
    mini_fat += [free] * (128 - len(mini_fat))
    stream = workbook.ljust(stream_sectors * 512, b"\0")
    return (bytes(header) + struct.pack("<128I", *fat) + bytes(directory)
            + struct.pack("<128I", *mini_fat) + stream)


def test_xls_whose_workbook_stream_is_in_the_mini_stream(tmp_path):
    name = b"Suppliers"
    globals_end = len(_record(0x0809, bytes(16))) + len(_record(0x0085, bytes(8) + name)) + 4
    workbook = (_record(0x0809, bytes(16))
                + _record(0x0085, struct.pack("<IBBBB", globals_end, 0, 0, len(name), 0) + name)
                + _record(0x000A, b"")
                + _record(0x0809, bytes(16))
                + _record(0x0205, struct.pack("<HHHBB", 4, 2, 15, 0x24, 1))
                + _record(0x000A, b""))
    path = tmp_path / "book.xls"
    path.write_bytes(_small_xls(workbook))

    assert found(path, "Suppliers") == [(4, 2, "#NUM!")]

"""Numbers written with more than nine decimals are read in full.

fastexcel writes a number cell as text rounded to nine decimals (0.683571530119101 ->
"0.68357153", 1e-10 -> "0"). The pass over an .xlsx sheet's XML that finds the error cells
also finds the number cells written with ten or more decimals or an exponent, the only ones
that rounding can change, and the reader writes those out in full. Where the pass cannot tell
(a part written with prefixed tags, a cell without its reference, a part full of such
numbers), the reader reads the sheet's numbers a second time instead, with the same result.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from esg_audit.load import error_cells, load_inputs, workbook
from esg_audit.load.error_cells import scan_sheet
from tests.load.sheet_parts import replace_sheet, sheet_xml


def _write(path: Path, rows: list[list[object]], formats: dict[tuple[int, int], str] | None = None
           ) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Suppliers"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if formats and (r, c) in formats:
                    cell.number_format = formats[(r, c)]
    book.save(path)
    return path


def _found(path: Path) -> list[tuple[int, int, float]] | None:
    numbers = scan_sheet(str(path), "Suppliers").numbers
    if numbers is None:
        return None
    return sorted(zip(numbers.rows.tolist(), numbers.columns.tolist(), numbers.values.tolist(),
                      strict=True))


# Every way a number cell's value is written, beside values that only look like numbers.
CELLS = (
    '<row r="2">'
    '<c r="B2"><v>0.683571530119101</v></c>'                            # found
    '<c r="C2" s="1" t="n"><f>A1/3</f><v>1.2345678901234E-5</v></c>'  # found: a formula
    '<c r="D2"><f t="shared" ref="D2:D3" si="0"/><v>1E-10</v></c>'       # found: shared
    '<c r="E2" t="str"><f>TEXT(1,"0.00000000000")</f>'
    '<v xml:space="preserve">0.12345678901</v></c>'                       # text
    '<c r="F2" t="s"><v>3</v></c>'                                       # shared string
    '<c r="G2"><v>0.5</v></c><c r="H2"><v>602379.3199999999</v></c>'     # 602379.32: kept
    '<c r="I2" t="d"><v>2024-01-01T10:00:00.1234567890</v></c>'          # an ISO date
    '<c r="J2" t="inlineStr"><is><t>0.12345678901234</t></is></c>'       # inline text
    '<c r="K2" s="2"><v xml:space="preserve">2.718281828459045</v></c>'   # found: attributes
    '<c r="L2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'                       # an error
    "</row>"
    '<row r="3"><c r="D3"><f t="shared" si="0"/><v>-2.5e-11</v></c>'     # found: exponent
    '<c r="AB3"><v>+.12345678901</v></c></row>'                          # found: column AB
)


def test_the_pass_finds_the_number_cells_rounding_changes_and_nothing_else(tmp_path):
    path = replace_sheet(_write(tmp_path / "b.xlsx", [["x"]]), sheet_xml(CELLS))

    assert _found(path) == [
        (1, 1, 0.683571530119101),
        (1, 2, 1.2345678901234e-05),
        (1, 3, 1e-10),
        (1, 10, 2.718281828459045),
        (2, 3, -2.5e-11),
        (2, 27, 0.12345678901),
    ]
    assert [(int(r), int(c), str(t)) for r, c, t in zip(
        *(lambda e: (e.rows, e.columns, e.texts))(scan_sheet(str(path), "Suppliers").errors),
        strict=True)] == [(1, 11, "#DIV/0!")]


@pytest.mark.parametrize("chunk", [7, 16, 64, 1 << 22])
def test_cells_split_between_chunks_are_found_once(tmp_path, monkeypatch, chunk):
    body = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c>'
                   f'<c r="B{r}"><f>A1/7</f><v>{r}.1234567890{r}</v></c>'
                   f'<c r="C{r}" t="e"><v>#N/A</v></c></row>' for r in range(1, 60))
    path = replace_sheet(_write(tmp_path / "b.xlsx", [["x"]]), sheet_xml(body))
    monkeypatch.setattr(error_cells, "_CHUNK", chunk)

    assert _found(path) == [(r - 1, 1, float(f"{r}.1234567890{r}")) for r in range(1, 60)]
    assert scan_sheet(str(path), "Suppliers").errors.rows.tolist() == list(range(59))


@pytest.mark.parametrize("body, prefix", [
    ('<row r="2"><c r="B2"><v>0.683571530119101</v></c></row>', "x"),  # prefixed tags
    ('<row r="2"><c><v>0.683571530119101</v></c></row>', ""),          # no reference
    ('<row r="2"><c r="A2"/><c><v>0.683571530119101</v></c></row>', ""),
])
def test_a_part_the_pass_cannot_place_numbers_in_is_left_to_the_reader(tmp_path, body, prefix):
    path = replace_sheet(_write(tmp_path / "b.xlsx", [["x"]]), sheet_xml(body, prefix))

    assert _found(path) is None


def test_a_part_full_of_finely_written_numbers_is_left_to_the_reader(tmp_path, monkeypatch):
    rows = [["supplier_id", "share"]] + [[f"S{i}", i + 1 / 3] for i in range(1, 40)]
    path = _write(tmp_path / "b.xlsx", rows)
    assert len(_found(path) or []) == 39
    monkeypatch.setattr(error_cells, "_FINE_SLACK", 10)
    monkeypatch.setattr(error_cells, "_BYTES_PER_FINE", 1 << 30)

    assert _found(path) is None
    cells = load_inputs([str(path)]).sheets[0].cells
    with CalamineWorkbook.from_path(str(path)) as book:  # the numbers as written
        written = book.get_sheet_by_name("Suppliers").to_python()
    assert cells[1].tolist()[1:] == [repr(row[1]) for row in written[1:]]


ROWS = [
    ["supplier_id", "share", "spend", "noted"],
    ["S1", 0.683571530119101, 10000000002, 0.123456789012345],
    ["S2", 0.5, 1200.5, 1e-10],
    ["S3", "n/a", 602379.32, datetime(2026, 5, 6, 7, 8, 9)],
    ["S4", -0.0000123, 1e20, "0.12345678901234"],
]


def _texts(path: Path) -> list[list[str | None]]:
    cells = load_inputs([str(path)]).sheets[0].cells
    return cells.astype(object).where(cells.notna(), None).to_numpy().tolist()


def test_numbers_are_read_in_full_and_other_cells_as_written(tmp_path, monkeypatch):
    path = _write(tmp_path / "b.xlsx", ROWS, {(4, 4): "yyyy-mm-dd hh:mm:ss"})

    read = _texts(path)

    assert read[1:] == [
        ["S1", "0.683571530119101", "10000000002", "0.123456789012345"],
        ["S2", "0.5", "1200.5", "1e-10"],
        ["S3", "n/a", "602379.32", "2026-05-06T07:08:09"],
        ["S4", "-0.0000123", "1e+20", "0.12345678901234"],
    ]
    # Read again as numbers instead (the way for .xls and .ods): the same numbers, the same
    # texts but for the large whole number, which numpy's rounding to nine decimals misjudges
    # and Arrow then writes with an exponent.
    monkeypatch.setattr(workbook, "scan_sheet", lambda path, name: error_cells.SheetScan(
        error_cells.find_error_cells(path, name), None))
    again = _texts(path)
    assert again[1][2] == "1.0000000002e+10" and float(again[1][2]) == 10000000002
    again[1][2] = "10000000002"
    assert again == read


def test_numbers_of_nine_decimals_are_left_to_fastexcel_which_keeps_them(tmp_path):
    # The pass relies on fastexcel rounding to nine decimals, no fewer: these are not searched.
    rows = [["supplier_id", "share"], ["S1", 0.123456789], ["S2", 123.000000001],
            ["S3", -0.000000001], ["S4", 99999.999999999]]
    path = _write(tmp_path / "b.xlsx", rows)

    assert _found(path) == []
    assert [row[1] for row in _texts(path)[1:]] == [
        "0.123456789", "123.000000001", "-0.000000001", "99999.999999999"]

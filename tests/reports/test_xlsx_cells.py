"""Sheet rows as XML (esg_audit.reports.cells): exact cells, escaping, styles and batching."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from esg_audit.reports import cells
from esg_audit.reports.cells import SheetColumn, column_letter, sheet_rows_xml, xml_text
from esg_audit.reports.xlsx import write_xlsx
from tests.reports.fixtures import audit_result


def texts(*values):
    return np.array(values, dtype=object)


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")]
)
def test_column_letter(index, letter):
    assert column_letter(index) == letter


def test_xml_text_escapes_markup_control_characters_and_escape_lookalikes():
    assert xml_text("A & B <Ltd>") == "A &amp; B &lt;Ltd&gt;"
    assert xml_text("a\x01b\rc\td\ne") == "a_x0001_b_x000D_c\td\ne"
    assert xml_text("_x0041_") == "_x005F_x0041_"
    assert xml_text('=HYPERLINK("u","x")') == '=HYPERLINK("u","x")'


def test_rows_of_every_kind():
    columns = [
        SheetColumn(texts("S1", None, "=1+1"), "text"),
        SheetColumn(np.array([97.1, np.nan, 0.5]), "number", 3),
        SheetColumn(np.array([1.0, 2.0, np.nan]), "number"),
        SheetColumn(texts(True, False, None), "bool"),
        SheetColumn(texts("x", 46388.0, None), "auto", np.array([0, 5, 0])),
    ]
    xml = "".join(sheet_rows_xml(columns, 0, 3, first_row=2))
    assert xml == (
        '<row r="2">'
        '<c r="A2" t="inlineStr"><is><t>S1</t></is></c>'
        '<c r="B2" s="3"><v>97.1</v></c>'
        '<c r="C2"><v>1</v></c>'
        '<c r="D2" t="b"><v>1</v></c>'
        '<c r="E2" t="inlineStr"><is><t>x</t></is></c>'
        "</row>"
        '<row r="3">'
        '<c r="A3"/>'
        '<c r="B3" s="3"/>'
        '<c r="C3"><v>2</v></c>'
        '<c r="D3" t="b"><v>0</v></c>'
        '<c r="E3" s="5"><v>46388.0</v></c>'
        "</row>"
        '<row r="4">'
        '<c r="A4" t="inlineStr"><is><t>=1+1</t></is></c>'
        '<c r="B4" s="3"><v>0.5</v></c>'
        '<c r="C4"/>'
        '<c r="D4"/>'
        '<c r="E4"/>'
        "</row>"
    )


def test_per_row_styles_and_whitespace_kept():
    column = SheetColumn(texts(" pad ", "pass", "pass"), "text", np.array([7, 8, 7]))
    xml = "".join(sheet_rows_xml([column], 0, 3, first_row=10))
    assert xml == (
        '<row r="10"><c r="A10" s="7" t="inlineStr"><is><t xml:space="preserve"> pad </t>'
        "</is></c></row>"
        '<row r="11"><c r="A11" s="8" t="inlineStr"><is><t>pass</t></is></c></row>'
        '<row r="12"><c r="A12" s="7" t="inlineStr"><is><t>pass</t></is></c></row>'
    )


def test_a_slice_is_numbered_from_first_row_and_batches_join_seamlessly(monkeypatch):
    column = SheetColumn(texts(*[f"v{i}" for i in range(7)]), "text")
    whole = "".join(sheet_rows_xml([column], 2, 7, first_row=2))
    monkeypatch.setattr(cells, "BATCH_ROWS", 2)
    batches = list(sheet_rows_xml([column], 2, 7, first_row=2))
    assert len(batches) == 3
    assert "".join(batches) == whole
    assert whole.startswith('<row r="2"><c r="A2" t="inlineStr"><is><t>v2</t>')
    assert whole.endswith('<row r="6"><c r="A6" t="inlineStr"><is><t>v6</t></is></c></row>')


def test_awkward_text_round_trips_through_excel_xml(tmp_path: Path):
    full = audit_result()
    suppliers = full.suppliers.copy()
    # (An "_x0041_" look-alike is checked at XML level above: openpyxl, unlike Excel, does not
    # decode Excel's _x005F_ escape in inline strings.)
    names = ["Müller & Söhne <GmbH>", "  padded  ", "line 1\nline 2", "供应商 Ltd", "tab\there",
             "=1+1"]
    suppliers["name"] = names
    path = tmp_path / "report.xlsx"
    write_xlsx(dataclasses.replace(full, suppliers=suppliers), path)
    sheet = openpyxl.load_workbook(path)["Suppliers"]
    column = sheet.iter_rows(min_row=2, min_col=2, max_col=2)
    assert [(row[0].value, row[0].data_type) for row in column] == [(n, "s") for n in names]


def test_size_bound_is_never_below_the_xml_written():
    columns = [
        SheetColumn(texts("a&b", "\x01\x02", None, "供应商"), "text", np.array([1, 2, 3, 40])),
        SheetColumn(np.array([1.0, np.nan, 1e-300, 123456.789]), "number", 12),
        SheetColumn(texts(True, None, False, True), "bool"),
    ]
    written = sum(len(xml.encode("utf-8")) for xml in sheet_rows_xml(columns, 0, 4, 1_048_570))
    assert written <= cells.xml_size_bound(columns, 0, 4)

"""The XlsxWriter adapter: the version range setup.cfg allows, and loud failures when XlsxWriter
no longer builds a workbook the way the adapter relies on."""

from __future__ import annotations

import configparser
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from xlsxwriter.format import Format

from esg_audit.reports import xlsx_tables
from esg_audit.reports.xlsx_tables import (
    SUPPORTED_XLSXWRITER,
    Column,
    TableWorkbook,
    XlsxWriterChanged,
    text_values,
    worksheet_parts,
    write_tables,
)

SETUP_CFG = Path(__file__).resolve().parents[2] / "setup.cfg"
TABLES = [("People", [Column("name", text_values(["Ann", "=1+2"]))]),
          ("Places", [Column("city", text_values(["Oslo"]))])]


def _declared() -> Requirement:
    config = configparser.ConfigParser()
    config.read(SETUP_CFG, encoding="utf-8")
    lines = config["options"]["install_requires"].split("\n")
    return next(Requirement(line) for line in lines if line.strip().startswith("XlsxWriter"))


def test_setup_cfg_bounds_xlsxwriter_to_the_range_the_tests_run_on():
    declared = _declared()
    assert declared.specifier == SpecifierSet(SUPPORTED_XLSXWRITER)
    assert any(spec.operator == "<" for spec in declared.specifier)  # an upper bound
    assert declared.specifier.contains(xlsxwriter.__version__)


def test_tables_are_written_where_the_package_says_their_sheets_are(tmp_path):
    path = tmp_path / "tables.xlsx"
    write_tables(path, TABLES)
    with zipfile.ZipFile(path) as package:
        assert worksheet_parts(package) == {
            "People": "xl/worksheets/sheet1.xml", "Places": "xl/worksheets/sheet2.xml",
        }
    book = openpyxl.load_workbook(path)
    assert [[c.value for c in row] for row in book["People"].iter_rows()] == [
        ["name"], ["Ann"], ["=1+2"],
    ]
    assert book["People"]["A3"].data_type == "s"  # text, never a formula
    assert book["Places"].dimensions == "A1:A2"


def _skeleton(change) -> tuple[bytes, list]:
    workbook = TableWorkbook()
    for name, columns in TABLES:
        workbook.add_table(name, columns)
    workbook.book.close()
    source = zipfile.ZipFile(io.BytesIO(workbook._buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return out.getvalue(), workbook._pending


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda name, data: None if name == "xl/worksheets/sheet2.xml" else data,
         "wrote no worksheet part for sheet 'Places'"),
        (lambda name, data: data.replace(b"</sheetData>", b"") if name.endswith("sheet1.xml")
         else data,
         "wrote xl/worksheets/sheet1.xml without exactly one <dimension/> and one </sheetData>"),
        (lambda name, data: data.replace(b"<dimension", b"<dim") if name.endswith("sheet2.xml")
         else data,
         "wrote xl/worksheets/sheet2.xml without exactly one <dimension/> and one </sheetData>"),
        (lambda name, data: None if name == "xl/_rels/workbook.xml.rels" else data,
         "wrote no readable xl/workbook.xml and its rels"),
    ],
)
def test_a_package_laid_out_otherwise_stops_the_write(tmp_path, change, message):
    skeleton, pending = _skeleton(change)
    target = tmp_path / "broken.xlsx"
    with pytest.raises(XlsxWriterChanged, match=message) as raised:
        xlsx_tables._assemble(skeleton, pending, target)
    assert f"XlsxWriter {xlsxwriter.__version__} " in str(raised.value)
    assert f"esg-audit supports XlsxWriter {SUPPORTED_XLSXWRITER}" in str(raised.value)


def test_a_format_without_a_style_index_stops_the_write(tmp_path, monkeypatch):
    monkeypatch.delattr(Format, "_get_xf_index")
    filled = [("People", [Column("name", text_values(["Ann"]), fills=np.array(["#FFFFFF"]))])]
    with pytest.raises(XlsxWriterChanged, match="has no Format._get_xf_index"):
        write_tables(tmp_path / "tables.xlsx", filled)
    assert not (tmp_path / "tables.xlsx").exists()

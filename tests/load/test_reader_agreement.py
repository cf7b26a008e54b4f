"""The fastexcel text reader agrees with python-calamine's typed reader cell for cell.

The loader reads every cell as text; before, it read Python objects (floats, bools, dates)
with python-calamine's `to_python`. `typed_sheets` below is that reader, kept as the reference.
For every workbook here (every kind of cell, in every format, with title rows, offsets, merged
cells and error cells; the shipped sample; the public CBAM templates) both readers must give
the same rows, columns and blanks, and the normaliser must read both into the same typed
frames and the same data issues.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook, SheetTypeEnum

from esg_audit.load import load_inputs
from esg_audit.load.cells import cells_frame, object_array
from esg_audit.load.workbook import read_text_cells
from esg_audit.model import LoadedInputs
from esg_audit.normalise import normalise
from esg_audit.normalise.cells import cell_text

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "real"

# Every kind of cell the normaliser meets, under the canonical headers it reads them with
# (text, number, number with unit, share, bool, year) and an extra column kept as text.
HEADER = ["supplier_id", "name", "country", "annual_spend", "renewable_share",
          "sbti_target", "reporting_year", "scope1_tco2e (t)", "notes"]
ROWS = [
    ["Supplier returns 2026", None, None, None, None, None, None, None, None],
    [None] * 9,
    HEADER,
    ["0012", "Acme GmbH", "DE", 1200.5, 0.25, True, 2025, 120, "n/a"],
    [1001, "Beta", "France", 300, 0.3, False, "2024", 1.0, 45.0],
    ["S3", 12345, "fr", "1,200", "25%", "yes", 2024.0, "n/a", True],
    ["S4", "Delta", "XX", 1e20, 1.5, 1, "FY2025", "12 kt", date(2024, 2, 29)],
    [None] * 9,
    ["S5", "  Echo  ", None, -0.0000123, 0.1 + 0.2, "no", True, 0.683571530119101, -3],
    ["S6", "Fox", "IT", 123456789012345678, 100, "TRUE", date(2026, 1, 1), "x", 1e-10],
    ["S7", datetime(2026, 5, 6, 7, 8, 9), 3.5, "1e3", "", "n/a", "", -1, None],
]
# Dates every way a workbook holds them.
CERTS = [
    ["supplier_id", "standard", "certificate_no", "issuer", "valid_from", "valid_until",
     "status"],
    ["0012", "ISO 14001", 4711, "TÜV", date(2024, 1, 1), datetime(2027, 12, 31), "active"],
    [1001, "iso14001", "C-2", "BV", datetime(2025, 6, 30, 10, 30), "2028-06-30", "Active"],
    ["S3", "SA8000", 1.5, None, "31/12/2025", 46000, "expired"],
    ["S4", "ISO 45001", None, "x", True, "n/a", "lapsed"],
    ["S5", "ISO 9001", "0099", "y", date(1999, 12, 31), time(12, 30), "withdrawn"],
]
SHEETS = {"Suppliers": ROWS, "Certificates": CERTS}


def typed_sheets(path: Path) -> dict[tuple[int, int], pd.DataFrame]:
    """Each worksheet as python-calamine's `to_python` reads it (the former loader): cells as
    Python objects, index = Excel row number, keyed by the sheet's name."""
    frames = {}
    with CalamineWorkbook.from_path(str(path)) as book:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            start = sheet.start if sheet.start is not None else (0, 0)
            values = object_array(rows)
            first = start[0] + 1
            frames[name] = cells_frame(values, pd.RangeIndex(first, first + len(values)))[0]
    return frames


def typed_loaded(text: LoadedInputs) -> LoadedInputs:
    """`text` with each sheet's cells as the reference reader reads them."""
    sheets = []
    by_file: dict[str, dict] = {}
    for sheet in text.sheets:
        frames = by_file.setdefault(sheet.file, typed_sheets(Path(sheet.file)))
        sheets.append(type(sheet)(sheet.file, sheet.sheet, sheet.canonical,
                                  frames[sheet.sheet], sheet.errors, notes=sheet.notes))
    return LoadedInputs(sheets=tuple(sheets), inputs=text.inputs)


def normalised(loaded: LoadedInputs):
    return normalise(loaded, column_map=None, extra_fields={}, as_of=date(2026, 11, 27))


def assert_agree(path: Path) -> None:
    text = load_inputs([str(path)])
    typed = typed_loaded(text)
    for new, old in zip(text.sheets, typed.sheets, strict=True):
        if new.errors is None:  # error cells widen nothing here: the frames match outright
            assert list(new.cells.index) == list(old.cells.index), new.sheet
            assert list(new.cells.columns) == list(old.cells.columns), new.sheet
            assert (new.cells.isna().to_numpy() == old.cells.isna().to_numpy()).all()
    a, b = normalised(text), normalised(typed)
    for name in ("suppliers", "certificates", "emissions", "materials"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(x.frame, y.frame, check_dtype=True)
    assert [(i.key, i.issue) for i in a.issues] == \
        [(i.key, i.issue) for i in b.issues]
    assert a.supplier_rows == b.supplier_rows
    assert [n for n in a.notes] == [n for n in b.notes]


def write_openpyxl(path: Path, origin=(1, 1), merge: str | None = None,
                   formula: str | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    formats = {4: "0%", 3: "#,##0.00", 5: "dd/mm/yyyy"}
    for name, rows in SHEETS.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    cell = sheet.cell(row=origin[0] + r, column=origin[1] + c, value=value)
                    if c in formats and r > 3 and isinstance(value, float | int | date):
                        cell.number_format = formats[c]
        if merge and name == "Suppliers":
            sheet.merge_cells(merge)
        if formula and name == "Suppliers":
            sheet[formula] = "=1/0"
    book.save(path)
    return path


@pytest.mark.parametrize("origin", [(1, 1), (3, 3)])
def test_every_kind_of_cell_xlsx(tmp_path, origin):
    assert_agree(write_openpyxl(tmp_path / "kinds.xlsx", origin))


def test_merged_cells_and_error_cells_xlsx(tmp_path):
    assert_agree(write_openpyxl(tmp_path / "merged.xlsx", (2, 2), merge="C6:D6", formula="J7"))


def test_xlsxwriter_workbook_with_cached_errors_and_formats(tmp_path):
    import xlsxwriter

    path = tmp_path / "writer.xlsx"
    book = xlsxwriter.Workbook(str(path))
    percent = book.add_format({"num_format": "0%"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    clock = book.add_format({"num_format": "hh:mm"})
    for name, rows in SHEETS.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(r + 1, c + 1, value, stamp)
                elif isinstance(value, date):
                    sheet.write_datetime(r + 1, c + 1, value, day)
                elif isinstance(value, time):
                    sheet.write_datetime(r + 1, c + 1, value, clock)
                elif c == 4 and isinstance(value, float):
                    sheet.write_number(r + 1, c + 1, value, percent)
                else:
                    sheet.write(r + 1, c + 1, value)
        if name == "Suppliers":
            sheet.write_formula("K6", "=1/0", None, "#DIV/0!")
    book.close()
    assert_agree(path)


def test_every_kind_of_cell_xls(tmp_path):
    import xlwt

    path = tmp_path / "kinds.xls"
    book = xlwt.Workbook()
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    stamp = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for name, rows in SHEETS.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or isinstance(value, time):
                    continue
                if isinstance(value, datetime):
                    sheet.write(r + 2, c + 1, value, stamp)
                elif isinstance(value, date):
                    sheet.write(r + 2, c + 1, value, day)
                else:
                    sheet.write(r + 2, c + 1, value)
    book.save(str(path))
    assert_agree(path)


def test_every_kind_of_cell_ods(tmp_path):
    path = tmp_path / "kinds.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in SHEETS.items():
            body = rows[3:] if name == "Suppliers" else rows[1:]
            frame = pd.DataFrame(body, columns=rows[2] if name == "Suppliers" else rows[0])
            frame.to_excel(writer, sheet_name=name, index=False, startrow=2, startcol=1)
    assert_agree(path)


def test_the_shipped_sample():
    assert_agree(ROOT / "sample_data" / "supplier_survey.xlsx")


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")
@pytest.mark.parametrize("name", sorted(p.name for p in (REAL / "cbam").glob("*.xls*"))
                         if REAL.is_dir() else [])
def test_the_public_cbam_templates(name):
    path = REAL / "cbam" / name
    with CalamineWorkbook.from_path(str(path)) as book:
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    typed = typed_sheets(path)
    for sheet in names:
        values, start = read_text_cells(str(path), "zip", sheet)
        frame = cells_frame(values, pd.RangeIndex(start[0] + 1, start[0] + 1 + len(values)))[0]
        old = typed[sheet]
        assert list(frame.index) == list(old.index), sheet
        assert frame.shape == old.shape, sheet
        assert np.array_equal(frame.isna().to_numpy(), old.isna().to_numpy()), sheet
        for new_row, old_row in zip(frame.to_numpy().tolist(), old.to_numpy().tolist(),
                                    strict=True):
            for new, was in zip(new_row, old_row, strict=True):
                assert same_cell(new, was), (sheet, new, was)


def same_cell(text: str | None, value: object) -> bool:
    """The text read of a cell is the typed read's value: the same number, or as shown."""
    if value is None:
        return text is None
    if isinstance(value, float) and not isinstance(value, bool):
        return text is not None and float(text.replace(",", "")) == value
    return text == cell_text(value)

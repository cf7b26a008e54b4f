"""Three monthly audits of the sample data with planted changes, for the history tests.

Rules: `monthly.yaml` (QUA-001 critical on the defect rate, GOV-001 high on the price index);
every sample supplier passes both unless planted here. Grades follow from the two statuses:
both pass A; QUA-001 warn B; one fail C; QUA-001 warn or fail with GOV-001 fail D.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "supplier_survey.xlsx"
RULES = Path(__file__).resolve().with_name("monthly.yaml")
MONTHS = (date(2026, 9, 27), date(2026, 10, 27), date(2026, 11, 27))
DEFECTS, PRICE = "Defects (ppm)", "Price Index"

# supplier -> (defect ppm, price index) per month; None keeps the sample's (passing) value.
PLANTED: dict[str, list[tuple[int | None, int | None]]] = {
    "SUP-1001": [(None, None), (60000, None), (60000, 9)],
    "SUP-1002": [(150000, 9), (150000, None), (None, None)],
    "SUP-1003": [(None, 9), (None, 9), (None, 9)],
    "SUP-1005": [(None, 9), (None, None), (None, 9)],
    "SUP-1007": [(None, None), (None, 9), (None, 9)],
    "SUP-1008": [(150000, None), (150000, None), (150000, None)],
    "SUP-1041": [(None, None), (None, None), (60000, None)],  # a new supplier from October
}
ADDED = "SUP-1041"  # listed from the second month on
REMOVED = "SUP-1040"  # no longer listed in the third month

# The grade paths these plants give (None: not audited that month); everyone else is A, A, A.
GRADE_PATHS: dict[str, list[str | None]] = {
    "SUP-1001": ["A", "B", "D"],
    "SUP-1002": ["D", "C", "A"],
    "SUP-1003": ["C", "C", "C"],
    "SUP-1005": ["C", "A", "C"],
    "SUP-1007": ["A", "C", "C"],
    "SUP-1008": ["C", "C", "C"],
    "SUP-1040": ["A", "A", None],
    "SUP-1041": [None, "A", "B"],
}
# Open in October and November, and past the due date given when first raised:
# critical (30 days) raised 2026-10-27 or earlier, high (60 days) raised 2026-09-27.
OVERDUE_IN_NOVEMBER = {("SUP-1001", "QUA-001"), ("SUP-1003", "GOV-001"),
                       ("SUP-1008", "QUA-001")}
SAMPLE_SUPPLIERS = [f"SUP-{1000 + i}" for i in range(1, 41)]


def month_workbook(month: int, folder: Path) -> Path:
    """The sample workbook as received in month 0, 1 or 2 (a folder holding that one file)."""
    target = folder / f"survey-{MONTHS[month].isoformat()}"
    target.mkdir(parents=True, exist_ok=True)
    path = target / "supplier_survey.xlsx"
    shutil.copyfile(SAMPLE, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Suppliers"]
    header_row = next(r for r in range(1, 11) if sheet.cell(r, 1).value == "Supplier ID")
    headers = [c.value for c in sheet[header_row]]
    defects, price = headers.index(DEFECTS) + 1, headers.index(PRICE) + 1
    if month >= 1:
        template = next(r for r in sheet.iter_rows(min_row=header_row + 1)
                        if r[0].value == "SUP-1039")
        sheet.append([ADDED, "Lisbon Circuit Works Lda", *(c.value for c in template[2:])])
    rows = {}
    for r in range(sheet.max_row, header_row, -1):  # first occurrence wins
        if sheet.cell(r, 1).value is not None:
            rows[sheet.cell(r, 1).value] = r
    for supplier, plants in PLANTED.items():
        if supplier not in rows:
            continue
        defect_ppm, price_index = plants[month]
        if defect_ppm is not None:
            sheet.cell(rows[supplier], defects).value = defect_ppm
        if price_index is not None:
            sheet.cell(rows[supplier], price).value = price_index
    if month == 2:
        sheet.delete_rows(rows[REMOVED])
    book.save(path)
    return target

"""The data-collection workbook that procurement sends suppliers; it round-trips into `check`.

One sheet per input sheet (SPEC §3) with a header row that the normaliser recognises, the
fields that the loaded rule packs declare added to Suppliers, drop-down lists where the values
are fixed (yes/no, certificate status, and the `values` a pack lists for a field), and an
Instructions sheet (ignored by `check`) explaining every column.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from esg_audit.fields import CERTIFICATE_STATUSES, SHEET_FIELDS, Field
from esg_audit.model import DeclaredField
from esg_audit.reports.atomic import atomic_path

# Header as shown to the supplier, and what to enter. The header must normalise back to the
# field: tests/acceptance/outputs/test_s1_template.py round-trips them through `check`.
HEADERS: dict[str, tuple[str, str]] = {
    "supplier_id": ("Supplier ID", "Your supplier number with us (required)"),
    "name": ("Supplier Name", "Legal name"),
    "country": ("Country", "ISO 3166-1 alpha-2 code, e.g. DE, CN, US"),
    "category": ("Category", "What you supply, e.g. electronics, logistics, it services"),
    "annual_spend": ("Annual Spend", "Our annual spend with you, in our currency"),
    "renewable_share": ("Renewable Share (%)", "Share of electricity from renewable sources, 0-100"),
    "energy_mwh": ("Energy (MWh)", "Total energy consumption in the reporting year"),
    "scope1_tco2e": ("Scope 1 (tCO2e)", "Direct emissions, tonnes CO2e"),
    "scope2_tco2e": ("Scope 2 (tCO2e)", "Indirect emissions from purchased energy, tonnes CO2e"),
    "scope3_tco2e": ("Scope 3 (tCO2e)", "Other indirect emissions, tonnes CO2e"),
    "revenue_musd": ("Revenue (MUSD)", "Annual revenue in millions of US dollars"),
    "reporting_year": ("Reporting Year", "Year the figures above refer to"),
    "on_time_delivery": ("On-time Delivery (%)", "Share of deliveries on time, 0-100"),
    "defect_ppm": ("Defect PPM", "Defective parts per million delivered"),
    "price_index": ("Price Index", "Price relative to the agreed baseline (1.00 = baseline)"),
    "sbti_target": ("SBTi Target", "yes if you have a target validated by the SBTi"),
    "standard": ("Standard", "e.g. ISO 14001, ISO 27001, ISO 45001, ISO 50001"),
    "certificate_no": ("Certificate No", "Number printed on the certificate"),
    "issuer": ("Issuer", "Accredited certification body"),
    "valid_from": ("Valid From", "Date, YYYY-MM-DD"),
    "valid_until": ("Valid Until", "Date, YYYY-MM-DD"),
    "status": ("Status", "active, suspended, withdrawn or expired"),
    "year": ("Year", "Calendar year of the figures"),
    "material": ("Material", "Material or part you supply"),
    "core": ("Core", "yes if it is one of our core materials (we fill this in)"),
    "qualified": ("Qualified", "yes if you are qualified for it (blank counts as yes)"),
}

# CBAM goods come in the EU's own communication template, which `check` reads as it is.
NOT_COLLECTED = ("CBAM Goods",)
BOOLEAN_CHOICES = '"yes,no"'
LISTS_SHEET = "Lists"  # hidden; holds the drop-down lists too long to write into the rule
INLINE_LIST_LIMIT = 255  # Excel's limit on a list written into a validation rule
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def header_of(field: Field | str) -> str:
    name = field if isinstance(field, str) else field.name
    if name in HEADERS:
        return HEADERS[name][0]
    return " ".join(part.capitalize() for part in name.split("_"))


def write_template(
    path: Path,
    extra_fields: Mapping[str, str] | None = None,
    declared: Mapping[str, DeclaredField] | None = None,
) -> Path:
    """Write the workbook to `path` (atomically). `extra_fields`: fields packs declare (name ->
    type); `declared`: the same in full (RuleSet.declared), for drop-downs and instructions."""
    details = dict(declared or {})
    extra = dict(extra_fields or {name: f.type for name, f in details.items()})
    wb = Workbook()
    instructions = wb.active
    instructions.title = "Instructions"
    instructions.append(["Supplier ESG data collection"])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.append([
        "Fill in one row per supplier (and per certificate, year or material on the other "
        "sheets). Keep the header rows as they are; add rows below them."
    ])
    instructions.append([])
    instructions.append(["Sheet", "Column", "What to enter"])
    for cell in instructions[4]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL

    for sheet, fields in SHEET_FIELDS.items():
        if sheet in NOT_COLLECTED:
            continue
        ws = wb.create_sheet(sheet)
        # Declared fields are supplier fields (SPEC §4): they extend the Suppliers sheet only.
        sheet_extra: dict[str, str] = extra if sheet == "Suppliers" else {}
        columns = [header_of(f) for f in fields] + [
            details[name].header if name in details and details[name].header else header_of(name)
            for name in sheet_extra
        ]
        types = [f.type for f in fields] + list(sheet_extra.values())
        ws.append(columns)
        for cell in ws[1]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = "A2"
        for index, (header, kind) in enumerate(zip(columns, types, strict=True), start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = max(14, len(header) + 4)
            if kind == "bool":
                _choices(ws, letter, BOOLEAN_CHOICES)
            elif kind == "date":
                # A column style, not 1000 formatted empty cells: the returned files stay
                # small and quick to read back (and to copy for feedback).
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if sheet == "Certificates":
            status = get_column_letter(1 + [f.name for f in fields].index("status"))
            _choices(ws, status, '"' + ",".join(CERTIFICATE_STATUSES) + '"')
        for index, name in enumerate(sheet_extra, start=len(fields) + 1):
            values = details[name].values if name in details else ()
            if values:
                _choices(ws, get_column_letter(index), _list_formula(wb, name, values), strict=True)
        names = [f.name for f in fields] + list(sheet_extra)
        for name, header in zip(names, columns, strict=True):
            hint = HEADERS[name][1] if name in HEADERS else _declared_hint(name, extra[name], details.get(name))
            instructions.append([sheet, header, hint])

    instructions.column_dimensions["A"].width = 14
    instructions.column_dimensions["B"].width = 26
    instructions.column_dimensions["C"].width = 70
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _declared_hint(name: str, type_: str, spec: DeclaredField | None) -> str:
    """What to enter in a column a pack declares: its meaning, unit and answers."""
    if spec is None or not spec.description:
        text = f"{type_} (declared by a rule pack)"
    else:
        text = " ".join(spec.description.split())
    if spec is not None and spec.unit:
        text += f" Unit: {spec.unit}."
    if spec is not None and spec.values:
        text += f" One of: {', '.join(spec.values)}."
    elif type_ == "date":
        text += " Date, YYYY-MM-DD."
    elif type_ == "bool":
        text += " yes or no."
    return text


def _list_formula(wb: Workbook, name: str, values: tuple[str, ...]) -> str:
    """The drop-down's source: the values written into the rule when they fit (and hold no
    comma or quote), else a column of the hidden Lists sheet."""
    inline = ",".join(values)
    if len(inline) <= INLINE_LIST_LIMIT and not any("," in v or '"' in v for v in values):
        return f'"{inline}"'
    lists = wb[LISTS_SHEET] if LISTS_SHEET in wb.sheetnames else wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    column = get_column_letter(sum(1 for cell in lists[1] if cell.value is not None) + 1)
    lists[f"{column}1"] = name
    for row, value in enumerate(values, start=2):
        lists[f"{column}{row}"].value = value
        lists[f"{column}{row}"].data_type = "s"  # text, even when it looks like a formula
    return f"{LISTS_SHEET}!${column}$2:${column}${len(values) + 1}"


def _choices(ws, letter: str, formula: str, strict: bool = False) -> None:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    if strict:  # the pack accepts nothing else: Excel refuses other answers
        validation.showErrorMessage = True
        validation.errorTitle = "Not a listed answer"
        validation.error = "Choose one of the answers in the list."
    ws.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}1048576")

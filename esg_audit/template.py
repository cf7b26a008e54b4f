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
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from esg_audit.fields import CERTIFICATE_STATUS_LABELS_ZH, CERTIFICATE_STATUSES, SHEET_FIELDS, Field
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

# The same in Chinese (`template --lang zh`): every header is a built-in alias of its field
# (esg_audit/normalise/aliases.py), so `check` reads the returned file as it reads the English
# one; the sheets keep their English names, which `check` matches.
HEADERS_ZH: dict[str, tuple[str, str]] = {
    "supplier_id": ("供应商编号", "贵司在我方的供应商编号（必填）"),
    "name": ("供应商名称", "法定名称"),
    "country": ("国家/地区", "ISO 3166-1 二位国家代码，如 CN、DE、US"),
    "category": ("供应商类别", "供货类别，如电子元器件、物流、IT 服务"),
    "annual_spend": ("年度采购额", "我方每年向贵司采购的金额，以我方币种计"),
    "renewable_share": ("可再生电力比例 (%)", "来自可再生能源的电力占比，0–100"),
    "energy_mwh": ("能源消耗量 (MWh)", "报告年度的能源消耗总量，单位兆瓦时"),
    "scope1_tco2e": ("范围一排放 (tCO2e)", "直接排放，单位吨二氧化碳当量"),
    "scope2_tco2e": ("范围二排放 (tCO2e)", "外购能源产生的间接排放，单位吨二氧化碳当量"),
    "scope3_tco2e": ("范围三排放 (tCO2e)", "其他间接排放，单位吨二氧化碳当量"),
    "revenue_musd": ("营业收入 (MUSD)", "年度营业收入，单位百万美元"),
    "reporting_year": ("报告年度", "以上数据所属的年份"),
    "on_time_delivery": ("准时交付率 (%)", "准时交货的比例，0–100"),
    "defect_ppm": ("缺陷PPM", "每百万件交付零件中的不良品数"),
    "price_index": ("价格指数", "相对约定基准的价格（1.00 = 基准）"),
    "sbti_target": ("科学碳目标", "如已设定经科学碳目标倡议（SBTi）认证的目标，请选“是”"),
    "standard": ("认证标准", "如 ISO 14001、ISO 27001、ISO 45001、ISO 50001"),
    "certificate_no": ("证书编号", "证书上印制的编号"),
    "issuer": ("认证机构", "经认可的认证机构"),
    "valid_from": ("生效日期", "日期，格式 YYYY-MM-DD"),
    "valid_until": ("有效期至", "日期，格式 YYYY-MM-DD"),
    "status": ("证书状态", "有效、暂停、撤销或过期"),
    "year": ("年份", "数据所属的日历年"),
    "material": ("物料", "贵司供应的物料或零件"),
    "core": ("核心物料", "如为我方核心物料请选“是”（由我方填写）"),
    "qualified": ("合格供应商", "如贵司已通过该物料的认证请选“是”（留空视为“是”）"),
}
LANGUAGES = ("en", "zh")
_TEXTS = {
    "en": {"instructions": "Instructions", "title": "Supplier ESG data collection",
           "intro": "Fill in one row per supplier (and per certificate, year or material on the "
                    "other sheets). Keep the header rows as they are; add rows below them.",
           "sheet": "Sheet", "column": "Column", "what": "What to enter",
           "yes_no": ("yes", "no")},
    "zh": {"instructions": "填写说明", "title": "供应商 ESG 数据收集表",
           "intro": "每家供应商填写一行（其他工作表按每张证书、每个年度或每种物料各填一行）。"
                    "请保留表头行不变，在其下方逐行填写。日期请按 YYYY-MM-DD 填写。",
           "sheet": "工作表", "column": "列", "what": "填写内容",
           "yes_no": ("是", "否")},
}

BOOLEAN_CHOICES = '"yes,no"'
LISTS_SHEET = "Lists"  # hidden; holds the drop-down lists too long to write into the rule
INLINE_LIST_LIMIT = 255  # Excel's limit on a list written into a validation rule
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def header_of(field: Field | str, lang: str = "en") -> str:
    name = field if isinstance(field, str) else field.name
    headers = HEADERS_ZH if lang == "zh" else HEADERS
    if name in headers:
        return headers[name][0]
    return " ".join(part.capitalize() for part in name.split("_"))


def write_template(
    path: Path,
    extra_fields: Mapping[str, str] | None = None,
    declared: Mapping[str, DeclaredField] | None = None,
    lang: str = "en",
) -> Path:
    """Write the workbook to `path` (atomically). `extra_fields`: fields packs declare (name ->
    type); `declared`: the same in full (RuleSet.declared), for drop-downs and instructions.
    `lang` "zh": Chinese headers, instructions, header comments and yes/no and status choices
    (which `check` reads back); a declared field keeps its own header and description."""
    texts = _TEXTS[lang]
    hints = HEADERS_ZH if lang == "zh" else HEADERS
    yes_no = '"' + ",".join(texts["yes_no"]) + '"'
    statuses = (CERTIFICATE_STATUSES if lang == "en"
                else tuple(CERTIFICATE_STATUS_LABELS_ZH[s] for s in CERTIFICATE_STATUSES))
    details = dict(declared or {})
    extra = dict(extra_fields or {name: f.type for name, f in details.items()})
    wb = Workbook()
    instructions = wb.active
    instructions.title = texts["instructions"]
    instructions.append([texts["title"]])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.append([texts["intro"]])
    instructions.append([])
    instructions.append([texts["sheet"], texts["column"], texts["what"]])
    for cell in instructions[4]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL

    for sheet, fields in SHEET_FIELDS.items():
        if sheet in NOT_COLLECTED:
            continue
        ws = wb.create_sheet(sheet)
        # Declared fields are supplier fields (SPEC §4): they extend the Suppliers sheet only.
        sheet_extra: dict[str, str] = extra if sheet == "Suppliers" else {}
        columns = [header_of(f, lang) for f in fields] + [
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
                _choices(ws, letter, yes_no)
            elif kind == "date":
                # A column style, not 1000 formatted empty cells: the returned files stay
                # small and quick to read back (and to copy for feedback).
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if sheet == "Certificates":
            status = get_column_letter(1 + [f.name for f in fields].index("status"))
            _choices(ws, status, '"' + ",".join(statuses) + '"')
        for index, name in enumerate(sheet_extra, start=len(fields) + 1):
            values = details[name].values if name in details else ()
            if values:
                _choices(ws, get_column_letter(index), _list_formula(wb, name, values), strict=True)
        names = [f.name for f in fields] + list(sheet_extra)
        for index, (name, header) in enumerate(zip(names, columns, strict=True), start=1):
            hint = hints[name][1] if name in hints else _declared_hint(name, extra[name], details.get(name))
            instructions.append([sheet, header, hint])
            if lang == "zh":
                note = Comment(hint, "esg-audit")
                note.width, note.height = 260, 60
                ws.cell(1, index).comment = note

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

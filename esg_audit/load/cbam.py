"""EU CBAM communication templates for installations (SPEC §3a) -> tidy raw sheets.

A workbook with the sheets `A_InstData` and `Summary_Communication` and a stated version 2.x is
the Commission's template. Its values are found by their English labels and table headers
(the `Summary_Communication` sheet is always in English, whatever language the supplier chose),
then checked against the known layout of the version: a label or header found in another
column than the version puts it means the workbook is not that template, and nothing of it is
read. Rows may move (a supplier inserts a row), columns may not. The template's example rows
(`Ex.`) and its hidden helper rows and columns are never read.

The result is two tidy RawSheets with canonical headers in their first row, read by the
normaliser like any sheet: `Suppliers` (one row, the installation) and `CBAM Goods` (one row per
good), each value with its source cell in `RawSheet.cell_refs`. Python-calamine reads the
cached values of formula cells; a template saved by a program that stores none (its summary
empty while its input sheet is filled) becomes a data issue naming the file.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from esg_audit.fields import CBAM_GOODS_FIELDS
from esg_audit.model import DataIssue, RawSheet

INSTALLATION_SHEET = "A_InstData"
SUMMARY_SHEET = "Summary_Communication"
VERSIONS_SHEET = "0_Versions"
PROCESSES_SHEET = "D_Processes"
TEMPLATE_SHEETS = (INSTALLATION_SHEET, SUMMARY_SHEET)
NO_CACHED_VALUES = (
    "EU CBAM template saved without cached formula values (its summary sheet is empty while "
    "its input sheet is filled): open and save it in Excel or LibreOffice"
)
EXAMPLE_ROW = "ex."
GOODS_FIELDS = tuple(f.name for f in CBAM_GOODS_FIELDS)
SUPPLIER_HEADERS = ("supplier_id", "name", "country", "category")

# Annex I of Regulation (EU) 2023/956 by sector, as the template names its aggregated goods
# categories: the category of a supplier whose goods are all read from a template.
_SECTORS = (
    ("cement", ("cement", "clinker", "clays", "aluminous")),
    ("fertilisers", ("ammonia", "nitric", "urea", "fertili", "mixed")),
    ("aluminium", ("alumin",)),
    ("hydrogen", ("hydrogen",)),
    ("electricity", ("electric",)),
    ("iron and steel", ("iron", "steel", "ore", "alloy", "ferro")),
)


def col_index(letters: str) -> int:
    """Column letters -> 0-based index: A -> 0, AY -> 50."""
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number - 1


def col_letters(index: int) -> str:
    """0-based column index -> letters: 0 -> A, 50 -> AY."""
    text, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def cell_ref(sheet: str, row: int, column: int) -> str:
    """`Summary_Communication!K26` from 0-based row and column."""
    return f"{sheet_reference(sheet)}!{col_letters(column)}{row + 1}"


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_LOOKS_LIKE_A_CELL = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*", re.ASCII)


def sheet_reference(sheet: str) -> str:
    """A sheet's name as an Excel reference writes it: `Summary_Communication`, and in single
    quotes (inner quotes doubled) when it needs them: `'CBAM Goods'`, `'0_Versions'`."""
    if _PLAIN_NAME.fullmatch(sheet) and not _LOOKS_LIKE_A_CELL.fullmatch(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Layout:
    """Where one template version puts what esg-audit reads (columns as letters, rows 1-based
    as in the blank template; rows may move, columns may not)."""

    version: str
    # Summary_Communication, goods table: header as written (folded) -> (field, column)
    goods_headers: Mapping[str, tuple[str, str]]
    # Summary_Communication, installation table: label (folded) -> (field, label column,
    # value column, which occurrence of the label)
    installation_labels: Mapping[str, tuple[str, str, str, int]]
    # A_InstData: label (folded) -> (field, label column, first row of the blank template)
    input_labels: Mapping[str, tuple[str, str, int]]
    input_value_column: str  # A_InstData: where an input label's value is
    route_table_header: str  # Summary_Communication: header of the goods x routes table
    last_visible: Mapping[str, str] = field(default_factory=dict)  # sheet -> last column read


def fold(text: object) -> str:
    """A label as compared: NFKC, lower case, single spaces, without a trailing colon."""
    if not isinstance(text, str):
        return ""
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return folded.rstrip(":").strip()


_V2 = dict(
    goods_headers={
        "production process from which the products arise": ("process", "D"),
        "type of aggregated good or precursor": ("good_category", "E"),
        "cn codes": ("cn_code", "F"),
        "product name": ("product_name", "H"),  # "Product name (used for communication ...)"
        "see (direct)": ("see_direct", "I"),
        "see (indirect)": ("see_indirect", "J"),
        "see (total)": ("see_total", "K"),
        "share of emissions by default value": ("default_value_share", "M"),
        "source for electricity ef": ("electricity_ef_source", "N"),
        "embedded electricity (mwh/t)": ("embedded_electricity_mwh_per_t", "O"),
        "type of instrument (carbon pricing)": ("carbon_price_instrument", "AL"),
        "currency": ("currency", "AP"),
        "carbon price (cp) due (per produced t or mwh)": ("carbon_price_due", "AQ"),
        "amount of rebate (per produced t or mwh)": ("carbon_price_rebate", "AW"),
        "result: effective cp due (per produced t or mwh)": ("carbon_price_effective", "AY"),
    },
    installation_labels={
        "name of the installation (english name)": ("installation", "D", "G", 1),
        # Version 2.x labels the city row "Country:" too: the country is the second one.
        "country": ("country", "D", "G", 2),
        "unlocode": ("unlocode", "D", "G", 1),
        "reporting period start": ("period_start", "D", "G", 1),
        "reporting period end": ("period_end", "D", "G", 1),
    },
    input_labels={
        "name of the installation (english name)": ("installation", "E", 20),
        "company name": ("verifier", "E", 37),
        "start": ("period_start", "H", 9),
    },
    input_value_column="I",
    route_table_header="aggregated good produced",
    last_visible={INSTALLATION_SHEET: "O", SUMMARY_SHEET: "AZ", PROCESSES_SHEET: "O"},
)
LAYOUTS: dict[str, Layout] = {v: Layout(version=v, **_V2) for v in ("2.0", "2.0.1", "2.1")}  # type: ignore[arg-type]


class LayoutMismatch(Exception):
    """The workbook has the template's sheets but not the layout of the version it states."""


@dataclass
class Grid:
    """One sheet's cells from A1 (calamine's values), with its hidden rows and columns."""

    name: str
    rows: list[list[Any]]
    hidden_rows: frozenset[int] = frozenset()  # 0-based
    hidden_columns: frozenset[int] = frozenset()
    last_column: int = 10_000  # 0-based, inclusive: nothing right of it is read
    _labels: dict[str, list[tuple[int, int]]] | None = None

    def value(self, row: int, column: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            cell = self.rows[row][column]
            return None if cell == "" else cell
        return None

    def visible(self, row: int, column: int) -> bool:
        return (row not in self.hidden_rows and column not in self.hidden_columns
                and column <= self.last_column)

    def labels(self) -> dict[str, list[tuple[int, int]]]:
        """Folded text -> its visible cells (row by row), built once: every search uses it."""
        if self._labels is None:
            index: dict[str, list[tuple[int, int]]] = {}
            for r, row in enumerate(self.rows):
                if r in self.hidden_rows:
                    continue
                for c in range(min(len(row), self.last_column + 1)):
                    cell = row[c]
                    if isinstance(cell, str) and cell and c not in self.hidden_columns:
                        index.setdefault(fold(cell), []).append((r, c))
            self._labels = index
        return self._labels

    def find(self, label: str, column: int | None = None, start: int = 0,
             stop: int | None = None) -> list[tuple[int, int]]:
        """Visible cells whose folded text is `label`, row by row (from `start`, before `stop`,
        in `column` when given)."""
        end = stop if stop is not None else len(self.rows)
        return [(r, c) for r, c in self.labels().get(label, ())
                if start <= r < end and (column is None or c == column)]


@dataclass(frozen=True)
class TemplateRead:
    """What one template gave: tidy raw sheets and whole-file data issues."""

    sheets: tuple[RawSheet, ...]
    issues: tuple[DataIssue, ...]


def is_cbam_template(sheet_names: Sequence[str]) -> bool:
    return all(name in sheet_names for name in TEMPLATE_SHEETS)


def read_cbam_template(path: str, book: CalamineWorkbook) -> TemplateRead:
    """Read an open template workbook. Never raises for the template's content: a workbook
    that is not a readable template of a known version is a data issue naming the file."""
    xml = sheet_xml(path, (INSTALLATION_SHEET, SUMMARY_SHEET, PROCESSES_SHEET))
    if lacks_cached_values(xml.get(SUMMARY_SHEET, b"")):
        return _not_read(path, NO_CACHED_VALUES)
    version, version_cell = stated_version(book)
    layout = LAYOUTS.get(version or "")
    if layout is None:
        stated = f"version {version}" if version else "no version"
        return _not_read(path, f"EU CBAM template with {stated}; esg-audit reads versions "
                               f"{', '.join(LAYOUTS)}: not read")
    hidden = {name: (_hidden(part, _ROW_TAG), _hidden(part, _COL_TAG)) for name, part in xml.items()}
    grids = {}
    for name in (INSTALLATION_SHEET, SUMMARY_SHEET, PROCESSES_SHEET):
        if name not in book.sheet_names:
            continue
        rows, columns = hidden.get(name, (frozenset(), frozenset()))
        grids[name] = Grid(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False),
                           rows, columns, col_index(layout.last_visible.get(name, "ZZ")))
    try:
        return _read(path, layout, grids, version_cell)
    except LayoutMismatch as mismatch:
        return _not_read(path, f"not the layout of EU CBAM template version {version}: "
                               f"{mismatch}; not read")


def stated_version(book: CalamineWorkbook) -> tuple[str | None, str | None]:
    """The latest version in the template's version history (`0_Versions`), e.g. "2.1", and
    its cell ("0_Versions!B12")."""
    if VERSIONS_SHEET not in book.sheet_names:
        return None, None
    grid = Grid(VERSIONS_SHEET,
                book.get_sheet_by_name(VERSIONS_SHEET).to_python(skip_empty_area=False))
    headers = grid.find("version")
    if not headers:
        return None, None
    row, column = headers[0]
    latest, where = None, None
    for r in range(row + 1, len(grid.rows)):
        value = grid.value(r, column)
        if value is None:
            continue
        text = str(value).strip()
        if re.fullmatch(r"\d+(\.\d+)*", text):
            latest, where = text, cell_ref(VERSIONS_SHEET, r, column)
    return latest, where


def _not_read(path: str, problem: str) -> TemplateRead:
    return TemplateRead((), (DataIssue(path, SUMMARY_SHEET, None, None, None, problem),))


def _read(path: str, layout: Layout, grids: Mapping[str, Grid],
          version_cell: str | None = None) -> TemplateRead:
    summary = grids[SUMMARY_SHEET]
    entered = _inputs(grids[INSTALLATION_SHEET], layout)
    filled_in = entered.get("installation") is not None
    try:
        installation = _installation(summary, layout)
    except LayoutMismatch:
        # Without cached values even the summary's labels (formulas) read as empty.
        if filled_in and not summary.find("name of the installation (english name)"):
            return _not_read(path, NO_CACHED_VALUES)
        raise
    if filled_in and installation.get("installation") is None:
        return _not_read(path, NO_CACHED_VALUES)
    header_row, columns = _goods_header(summary, layout)
    processes = _electricity_factors(grids.get(PROCESSES_SHEET))
    routes = _routes(summary, layout)
    goods = _goods(summary, header_row, columns)

    country = _text(installation.get("country"))
    locode = _text(installation.get("unlocode"))
    name = _text(installation.get("installation"))
    derived_id = derive_supplier_id(country, locode, name)
    common: dict[str, tuple[Any, str | None]] = {
        "supplier_id": (derived_id, None),
        "installation": installation.get_with_ref("installation"),
        "unlocode": installation.get_with_ref("unlocode"),
        "period_start": installation.get_with_ref("period_start"),
        "period_end": installation.get_with_ref("period_end"),
        "verifier": entered.get_with_ref("verifier"),
        "template_version": (layout.version, version_cell),
    }
    good_rows = []
    good_refs = []
    for row, values in goods:
        record = dict(common)
        record.update(values)
        process = _text(values.get("process", (None, None))[0])
        if process is not None and process in processes:
            record["electricity_ef"] = processes[process]
        category = _text(values.get("good_category", (None, None))[0])
        if category is not None and category in routes:
            record["route"] = (routes[category], None)
        good_rows.append((row, [record.get(f, (None, None))[0] for f in GOODS_FIELDS]))
        good_refs.append([record.get(f, (None, None))[1] for f in GOODS_FIELDS])

    categories = [_text(values.get("good_category", (None, None))[0]) for _, values in goods]
    supplier = [derived_id, name, country, sector_of(categories)]
    supplier_refs = [None, installation.ref("installation"), installation.ref("country"), None]
    name_row = installation.row("installation")
    suppliers = _raw(path, "Suppliers", SUPPLIER_HEADERS, [(name_row, supplier)],
                     [supplier_refs], header_row=name_row - 1)
    goods_sheet = _raw(path, "CBAM Goods", GOODS_FIELDS, good_rows, good_refs,
                       header_row=header_row)
    return TemplateRead((suppliers, goods_sheet), ())


class Found(dict):  # type: ignore[type-arg]
    """field -> (value, 0-based row, 0-based column, sheet)."""

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        item = super().get(key)
        return item[0] if item is not None else default

    def ref(self, key: str) -> str | None:
        item = super().get(key)
        return cell_ref(item[3], item[1], item[2]) if item is not None else None

    def row(self, key: str) -> int:
        """1-based Excel row of the field's cell."""
        item = super().get(key)
        return item[1] + 1 if item is not None else 1

    def get_with_ref(self, key: str) -> tuple[Any, str | None]:
        return (self.get(key), self.ref(key))


def _installation(summary: Grid, layout: Layout) -> Found:
    found = Found()
    for label, (name, label_col, value_col, occurrence) in layout.installation_labels.items():
        places = summary.find(label)
        if len(places) < occurrence:
            raise LayoutMismatch(f"label '{label}' not found in sheet {SUMMARY_SHEET}")
        row, column = places[occurrence - 1]
        if column != col_index(label_col):
            raise LayoutMismatch(f"label '{label}' in column {col_letters(column)} of sheet "
                                 f"{SUMMARY_SHEET}, not {label_col}")
        value_column = col_index(value_col)
        found[name] = (summary.value(row, value_column), row, value_column, SUMMARY_SHEET)
    return found


def _inputs(inputs: Grid, layout: Layout) -> Found:
    """Values typed into A_InstData (not formulas): the installation's name, the verifier."""
    found = Found()
    value_column = col_index(layout.input_value_column)
    for label, (name, label_col, _) in layout.input_labels.items():
        places = inputs.find(label, column=col_index(label_col))
        if not places:
            continue  # a template in another language: its input labels are translated
        row, _ = places[0]
        found[name] = (inputs.value(row, value_column), row, value_column, INSTALLATION_SHEET)
    return found


def _goods_header(summary: Grid, layout: Layout) -> tuple[int, dict[str, int]]:
    """The goods table's header row (1-based) and field -> 0-based column."""
    anchor = summary.find("cn codes")
    if not anchor:
        raise LayoutMismatch(f"header 'CN Codes' not found in sheet {SUMMARY_SHEET}")
    row, _ = anchor[0]
    columns: dict[str, int] = {}
    headers = summary.rows[row]
    for column, text in enumerate(headers[: summary.last_column + 1]):
        if column in summary.hidden_columns:
            continue
        folded = fold(text)
        for header, (name, _) in layout.goods_headers.items():
            if name not in columns and (folded == header or (
                    header == "product name" and folded.startswith(header))):
                columns[name] = column
    for header, (name, letters) in layout.goods_headers.items():
        if name not in columns:
            raise LayoutMismatch(f"header '{header}' not found in sheet {SUMMARY_SHEET}")
        if columns[name] != col_index(letters):
            raise LayoutMismatch(f"header '{header}' in column {col_letters(columns[name])} "
                                 f"of sheet {SUMMARY_SHEET}, not {letters}")
    return row + 1, columns


def _goods(summary: Grid, header_row: int, columns: Mapping[str, int]
           ) -> list[tuple[int, dict[str, tuple[Any, str]]]]:
    """(1-based row, field -> (value, source cell)) per good below the header, in order; the
    table ends at its first hidden row. Example rows (`Ex.` in the row's number column) and
    rows without a CN code, product name or SEE are not goods."""
    goods = []
    number_column = min(columns.values()) - 1
    keys = [columns[f] for f in ("cn_code", "product_name", "see_total")]
    for r in range(header_row, len(summary.rows)):
        if r in summary.hidden_rows:
            break
        if fold(summary.value(r, number_column)) == EXAMPLE_ROW:
            continue
        if all(summary.value(r, c) is None for c in keys):
            continue
        values = {name: (summary.value(r, c), cell_ref(SUMMARY_SHEET, r, c))
                  for name, c in columns.items()}
        goods.append((r + 1, values))
    return goods


def _routes(summary: Grid, layout: Layout) -> dict[str, str]:
    """Aggregated goods category -> its production routes ("; "-joined), from the table of
    goods and routes in Summary_Communication; categories without a route are left out."""
    places = summary.find(layout.route_table_header)
    if not places:
        return {}
    row, column = places[0]
    routes: dict[str, str] = {}
    for r in range(row + 1, min(row + 11, len(summary.rows))):
        category = _text(summary.value(r, column))
        if category is None:
            continue
        named = [_text(summary.value(r, c)) for c in range(column + 1, column + 7)]
        joined = "; ".join(n for n in named if n)
        if joined:
            routes.setdefault(category, joined)
    return routes


def _electricity_factors(processes: Grid | None) -> dict[str, tuple[float, str]]:
    """Production process name -> (emission factor of the electricity it consumes, tCO2/MWh;
    source cell), from D_Processes section (j) of each process."""
    if processes is None:
        return {}
    starts = sorted(place for label, places in processes.labels().items()
                    if re.fullmatch(r"production process \d+", label) for place in places)
    factors: dict[str, tuple[float, str]] = {}
    for i, (r, c) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(processes.rows)
        name = next((_text(processes.value(r, j)) for j in range(c + 1, processes.last_column + 1)
                     if _text(processes.value(r, j)) is not None), None)
        section = processes.find("indirect emissions from electricity consumption",
                                 start=r, stop=stop)
        if name is None or not section:
            continue
        rows = processes.find("emission factor of the electricity", start=section[0][0],
                              stop=stop)
        if not rows:
            continue
        er, ec = rows[0]
        for j in range(ec + 1, processes.last_column + 1):
            value = processes.value(er, j)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                factors.setdefault(name, (float(value), cell_ref(PROCESSES_SHEET, er, j)))
                break
    return factors


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def sector_of(categories: Sequence[str | None]) -> str | None:
    """The Annex I sector of the first goods category that names one, e.g. "iron and steel"."""
    for category in categories:
        low = (category or "").lower()
        for sector, words in _SECTORS:
            if any(word in low for word in words):
                return sector
    return None


_LETTERS = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                          "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE"})


def slug(text: str) -> str:
    """`Example Cement Producer` -> `example-cement-producer` (ASCII letters and digits)."""
    latin = text.translate(_LETTERS)
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_supplier_id(country: str | None, locode: str | None, name: str | None) -> str:
    """`{country}-{UN/LOCODE}-{slug of name}`, e.g. `TR-TRABC-example-cement-producer`."""
    parts = [(country or "").strip().upper(), "".join((locode or "").split()).upper(),
             slug(name or "")]
    return "-".join(part for part in parts if part) or "unnamed-installation"


def _raw(path: str, canonical: str, headers: Sequence[str],
         rows: list[tuple[int, list[Any]]], refs: list[list[str | None]],
         header_row: int) -> RawSheet:
    values = np.empty((len(rows) + 1, len(headers)), dtype=object)
    values[0, :] = list(headers)
    references = np.empty_like(values)
    for i, (_, row) in enumerate(rows, start=1):
        values[i, :] = [_cell(v) for v in row]
        references[i, :] = refs[i - 1]
    index = pd.Index([header_row, *(row for row, _ in rows)], dtype=np.int64)
    cells = pd.DataFrame(values, index=index, columns=pd.RangeIndex(len(headers)), dtype=object)
    cell_refs = pd.DataFrame(references, index=index, columns=cells.columns, dtype=object)
    return RawSheet(path, SUMMARY_SHEET, canonical, cells, form="cbam", cell_refs=cell_refs)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, datetime | date) or value is None:
        return value
    return value


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(r|min|max|hidden)="([^"]*)"')


def sheet_xml(path: str, names: Sequence[str]) -> dict[str, bytes]:
    """Sheet name -> its XML in an .xlsx package (empty for other files and absent sheets)."""
    try:
        with zipfile.ZipFile(path) as package:
            targets = _sheet_parts(package)
            members = set(package.namelist())
            return {name: package.read(targets[name]) for name in names
                    if targets.get(name) in members}
    except (OSError, zipfile.BadZipFile, KeyError):
        return {}


def hidden_rows_and_columns(path: str, names: Sequence[str]
                            ) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """Sheet name -> (hidden rows, hidden columns), 0-based, read from an .xlsx package's
    sheet XML (row and column attributes only: no cell is parsed). Empty for other files."""
    return {name: (_hidden(xml, _ROW_TAG), _hidden(xml, _COL_TAG))
            for name, xml in sheet_xml(path, names).items()}


_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_FORMULA_WITH_VALUE = re.compile(rb"<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)<(?:\w+:)?v>")


def lacks_cached_values(xml: bytes) -> bool:
    """True when a sheet's XML has formulas and not one cached value."""
    return _FORMULA.search(xml) is not None and _FORMULA_WITH_VALUE.search(xml) is None


def _hidden(xml: bytes, tag: re.Pattern[bytes]) -> frozenset[int]:
    hidden: set[int] = set()
    for match in tag.finditer(xml):
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        if attributes.get(b"hidden") not in (b"1", b"true"):
            continue
        if b"r" in attributes:
            hidden.add(int(attributes[b"r"]) - 1)
        elif b"min" in attributes:
            low = int(attributes[b"min"])
            high = int(attributes.get(b"max") or attributes[b"min"])
            hidden.update(range(low - 1, min(high, 16_384)))
    return frozenset(hidden)


def _sheet_parts(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package (`xl/worksheets/sheet14.xml`)."""
    workbook = package.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        rid = re.search(r'\bId="([^"]+)"', tag)
        target = re.search(r'\bTarget="([^"]+)"', tag)
        if rid and target:
            path = target.group(1)
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            targets[rid.group(1)] = path
    parts = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", workbook):
        tag = sheet.group(0)
        name = re.search(r'\bname="([^"]+)"', tag)
        rid = re.search(r'\br:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            parts[_unescape(name.group(1))] = targets[rid.group(1)]
    return parts


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))

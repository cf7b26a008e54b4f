"""Time the input stage against the bare calamine parse of the same workbook.

    python benchmarks/bench_load.py 100000        # builds benchmarks/out/load-100000.xlsx once
    python benchmarks/bench_load.py path/to/book.xlsx 5   # best of 5 runs (default 3)

The baseline is `pandas.read_excel(path, sheet_name=None, engine="calamine")`; `time_stages`
returns one wall time per stage so that later stages (normalise, validate) can join the table.
The workbook generator here is deliberately small and self-contained: four sheets with the
columns a returned supplier template has, a title row above the Suppliers header, and a few
blank rows.
"""

from __future__ import annotations

import random
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from python_calamine import CalamineWorkbook

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))

from esg_audit.load import load_inputs  # noqa: E402
from esg_audit.normalise import normalise  # noqa: E402
from esg_audit.rules import default_rules_path, load_rules  # noqa: E402
from esg_audit.schema import validate  # noqa: E402

AS_OF = date(2026, 11, 27)

SUPPLIER_HEADER = [
    "Supplier ID",
    "Supplier Name",
    "Country",
    "Category",
    "Annual Spend (EUR)",
    "Renewable Share (%)",
    "Energy (MWh)",
    "Scope 1 (tCO2e)",
    "Scope 2 (tCO2e)",
    "Scope 3 (tCO2e)",
    "Revenue (MUSD)",
    "Reporting Year",
    "On-time Delivery",
    "Defect PPM",
    "Price Index",
    "SBTi Target",
]
CERTIFICATE_HEADER = [
    "Supplier ID",
    "Standard",
    "Certificate No.",
    "Issuer",
    "Valid From",
    "Valid Until",
    "Status",
]
EMISSION_HEADER = ["Supplier ID", "Year", "Scope 1 (tCO2e)", "Scope 2 (tCO2e)", "Scope 3 (tCO2e)"]
MATERIAL_HEADER = ["Material", "Supplier ID", "Core", "Qualified"]

COUNTRIES = ["DE", "CN", "US", "IN", "FR", "TR", "PL", "VN", "MX", "BR", "NA", "GB", "JP"]
CATEGORIES = ["electronics", "plastics", "chemicals", "packaging", "logistics", "it services"]
STANDARDS = ["ISO 14001", "ISO14001:2015", "ISO 45001", "ISO/IEC 27001:2022", "ISO 50001"]
ISSUERS = ["TÜV SÜD", "Bureau Veritas", "DNV", "SGS", "BSI"]
STATUSES = ["active"] * 8 + ["suspended", "expired"]


def supplier_rows(n: int) -> dict[str, list[list[object]]]:
    """Rows of the four sheets for N suppliers, deterministic for a given N (None: empty cell)."""
    rng = random.Random(n)
    as_of = date(2026, 11, 27)
    sheets: dict[str, list[list[object]]] = {
        "Suppliers": [["Supplier data collection"], [], SUPPLIER_HEADER],
        "Certificates": [CERTIFICATE_HEADER],
        "Emissions": [EMISSION_HEADER],
        "Materials": [MATERIAL_HEADER],
    }
    for i in range(1, n + 1):
        sid = f"S{i:07d}"
        scope1 = round(rng.gammavariate(2.0, 800.0), 1)
        sheets["Suppliers"].append(
            [
                sid,
                f"Supplier {i}",
                rng.choice(COUNTRIES),
                rng.choice(CATEGORIES),
                round(rng.lognormvariate(13, 1.2), 2),
                f"{rng.randint(0, 100)}%" if i % 50 == 0 else round(rng.random(), 3),
                round(rng.gammavariate(2.0, 3000.0)),
                scope1,
                round(scope1 * 0.4, 1),
                None if i % 5 == 0 else round(scope1 * 4, 1),
                round(rng.gammavariate(2.0, 60.0), 1),
                rng.choice([2024, 2025]),
                "N/A" if i % 200 == 0 else round(rng.uniform(0.8, 1), 3),
                rng.choice([10, 50, 120, 300]),
                round(rng.uniform(0.9, 1.25), 2),
                rng.choice(["yes", "no", "y", "n"]),
            ]
        )
        if i % 1000 == 0:
            sheets["Suppliers"].append([])
        for k in range(rng.randint(1, 2)):
            start = as_of - timedelta(days=rng.randint(30, 1100))
            sheets["Certificates"].append(
                [
                    sid,
                    rng.choice(STANDARDS),
                    f"C-{i:07d}-{k}",
                    rng.choice(ISSUERS),
                    start,
                    start + timedelta(days=1095),
                    rng.choice(STATUSES),
                ]
            )
        for year in (2023, 2024, 2025):
            sheets["Emissions"].append(
                [sid, year, scope1, round(scope1 * 0.4, 1), round(scope1 * 4, 1)]
            )
        sheets["Materials"].append(
            [f"material {rng.randint(1, max(1, n // 3))}", sid, rng.choice(["yes", "no"]), "yes"]
        )
    return sheets


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(rows: list[list[object]], strings: dict[str, int]) -> str:
    # Written by hand (openpyxl without lxml needs minutes for 100k suppliers); text goes to
    # the shared-string table and dates are serial numbers with a date style, as Excel does.
    epoch = date(1899, 12, 30)
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
    ]
    letters = [_column_letters(i) for i in range(32)]
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{letters[c]}{r}"
            if value is None:
                continue
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def build_workbook(n: int, path: Path) -> Path:
    """Write a deterministic N-supplier xlsx (about 6 rows per supplier over 4 sheets)."""
    sheets = supplier_rows(n)
    strings: dict[str, int] = {}
    names = list(sheets)
    sheet_xml = [_sheet_xml(sheets[name], strings) for name in names]
    ns = "http://schemas.openxmlformats.org"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Types>"
    )
    rels = (
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
        + "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rId{len(names) + 1}" '
        f'Type="{ns}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{len(names) + 2}" '
        f'Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    )
    styles = (
        f'<styleSheet xmlns="{ns}/spreadsheetml/2006/main">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    shared = (
        f'<sst xmlns="{ns}/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        + "</sst>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", content_types)
        book.writestr("_rels/.rels", rels)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        book.writestr("xl/styles.xml", styles)
        book.writestr("xl/sharedStrings.xml", shared)
        for i, xml in enumerate(sheet_xml, start=1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", xml)
    return path


def _timed(call: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def _bare_parse(path: str) -> None:
    with CalamineWorkbook.from_path(path) as book:
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def time_stages(path: str | Path, repeat: int = 1) -> dict[str, float]:
    """Best wall seconds (of `repeat` runs) of the bare calamine parse and of each input stage.

    The first entry, pandas' own calamine reader, is the baseline the others are compared
    with; the second is calamine's parse alone, without building any frame; the last is the
    whole input side (load + normalise + validate) of one audit.
    """
    path = str(path)
    fields = load_rules((str(default_rules_path()),)).fields
    loaded = load_inputs([path])
    normalised = normalise(loaded, column_map=None, extra_fields=fields, as_of=AS_OF)
    timings = {
        "calamine (pandas.read_excel)": _timed(
            lambda: pd.read_excel(path, sheet_name=None, engine="calamine"), repeat
        ),
        "calamine (to_python, no frame)": _timed(lambda: _bare_parse(path), repeat),
        "load": _timed(lambda: load_inputs([path]), repeat),
        "normalise": _timed(
            lambda: normalise(loaded, column_map=None, extra_fields=fields, as_of=AS_OF), repeat
        ),
        "validate": _timed(lambda: validate(normalised, as_of=AS_OF), repeat),
    }
    timings["input stages (load+normalise+validate)"] = (
        timings["load"] + timings["normalise"] + timings["validate"]
    )
    return timings


def main(argv: list[str]) -> None:
    if len(argv) not in (1, 2):
        raise SystemExit("usage: bench_load.py N|WORKBOOK [REPEAT]")
    if argv[0].isdigit():
        path = OUT / f"load-{argv[0]}.xlsx"
        if not path.exists():
            print(f"building {path} …", file=sys.stderr)
            build_workbook(int(argv[0]), path)
    else:
        path = Path(argv[0])
    repeat = int(argv[1]) if len(argv) == 2 else 3
    timings = time_stages(path, repeat)
    baseline = next(iter(timings.values()))
    print(f"{path.name}: {path.stat().st_size / 2**20:.1f} MiB, best of {repeat}")
    for stage, seconds in timings.items():
        print(f"  {stage:<40} {seconds:7.3f} s  {seconds / baseline:5.2f}x")


if __name__ == "__main__":
    main(sys.argv[1:])

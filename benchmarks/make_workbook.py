"""Build an N-supplier benchmark workbook: all four sheets, about 1 % messy cells.

    python benchmarks/make_workbook.py 100000 benchmarks/out/suppliers-100000.xlsx

Deterministic for a given N. Per supplier: one Suppliers row, about two Certificates rows, five
Emissions years and about one Materials row (about 9 rows per supplier over four sheets). The
messy cells are of the kinds SPEC §3 normalises: "45%" text shares, kg units in a header,
dotted and slashed dates, yes/no/是/否 booleans, N/A markers, and a few invalid values that become
data issues.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

CATEGORIES = np.array([
    "electronics", "plastics", "chemicals", "packaging", "textiles", "iron and steel",
    "aluminium", "cement", "fertilisers", "logistics", "it services", "data processing",
    "consulting", "facility services",
], dtype=object)
COUNTRIES = np.array(["DE", "CN", "US", "IN", "FR", "TR", "PL", "VN", "MX", "BR", "NA", "GB",
                      "JP", "KR", "IT", "ES", "MA", "ZA"], dtype=object)
STANDARDS = np.array(["ISO 14001:2015", "ISO14001", "ISO/IEC 27001:2022", "ISO 45001",
                      "ISO 50001", "iso 14001"], dtype=object)
STATUSES = np.array(["active"] * 17 + ["suspended", "withdrawn", "expired"], dtype=object)
ISSUERS = np.array(["TÜV SÜD", "Bureau Veritas", "DNV", "SGS", "BSI", "DQS"], dtype=object)
BOOLS = np.array(["yes", "no", "y", "n", "是", "否"], dtype=object)
AS_OF = datetime(2026, 11, 27)


def _messy(rng: np.random.Generator, n: int, share: float = 0.01) -> np.ndarray:
    return rng.random(n) < share


def supplier_columns(n: int, rng: np.random.Generator) -> list[np.ndarray]:
    ids = np.array([f"S{i:07d}" for i in range(1, n + 1)], dtype=object)
    renewable = np.round(rng.random(n), 3).astype(object)
    as_text = _messy(rng, n, 0.02)
    renewable[as_text] = [f"{v * 100:.0f}%" for v in renewable[as_text]]
    scope1 = np.round(rng.gamma(2.0, 800.0, n), 1).astype(object)
    bad = _messy(rng, n, 0.002)
    scope1[bad] = "approx. 1000"
    otd = np.round(rng.uniform(0.8, 1.0, n), 3).astype(object)
    otd[_messy(rng, n, 0.005)] = "N/A"
    country = COUNTRIES[rng.integers(0, len(COUNTRIES), n)].copy()
    country[_messy(rng, n, 0.001)] = "UK"
    cbam = np.where(rng.random(n) < 0.3, np.round(rng.gamma(2.0, 300.0, n), 1), None)
    return [
        ids,
        np.array([f"Supplier {i}" for i in range(1, n + 1)], dtype=object),
        country,
        CATEGORIES[rng.integers(0, len(CATEGORIES), n)],
        np.round(rng.lognormal(13, 1.2, n), 2),
        renewable,
        np.round(rng.gamma(2.0, 3000.0, n), 0),
        scope1,
        np.round(rng.gamma(2.0, 500.0, n), 1),
        np.where(rng.random(n) < 0.8, np.round(rng.gamma(2.0, 5000.0, n), 1), None),
        np.round(rng.gamma(2.0, 60.0, n), 1),
        rng.choice([2024, 2025], n),
        otd,
        rng.choice([10, 50, 120, 300, 800], n),
        np.round(rng.uniform(0.9, 1.25, n), 2),
        BOOLS[rng.integers(0, len(BOOLS), n)],
        cbam,
    ]


SUPPLIER_HEADER = [
    "Supplier ID", "Supplier Name", "Country", "Category", "Annual Spend (EUR)",
    "Renewable Share", "Energy (MWh)", "Scope 1 (tCO2e)", "Scope 2 (tCO2e)", "Scope 3 (tCO2e)",
    "Revenue (MUSD)", "Reporting Year", "On-time Delivery", "Defects (ppm)", "Price Index",
    "SBTi Target", "CBAM Embedded tCO2e",
]


def certificate_columns(ids: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    owners = np.repeat(ids, rng.integers(1, 4, len(ids)))
    m = len(owners)
    start = np.array([AS_OF - timedelta(days=int(d)) for d in rng.integers(30, 1100, m)],
                     dtype=object)
    end = np.array([AS_OF + timedelta(days=int(d)) for d in rng.integers(-200, 1000, m)],
                   dtype=object)
    dotted = _messy(rng, m, 0.01)
    end[dotted] = [d.strftime("%d.%m.%Y") for d in end[dotted]]
    slashed = _messy(rng, m, 0.01)
    start[slashed] = [d.strftime("%Y/%m/%d") for d in start[slashed]]
    return [
        owners,
        STANDARDS[rng.integers(0, len(STANDARDS), m)],
        np.array([f"C-{i:08d}" for i in range(m)], dtype=object),
        ISSUERS[rng.integers(0, len(ISSUERS), m)],
        start,
        end,
        STATUSES[rng.integers(0, len(STATUSES), m)],
    ]


def emission_columns(ids: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    years = np.arange(2021, 2026)
    owners = np.repeat(ids, len(years))
    m = len(owners)
    base = np.repeat(rng.gamma(2.0, 800.0, len(ids)), len(years))
    change = np.repeat(rng.uniform(-0.1, 0.05, len(ids)), len(years))
    k = np.tile(np.arange(len(years)), len(ids))
    scope1_kg = np.round(base * (1 + change) ** k * 1000).astype(object)
    scope1_kg[_messy(rng, m, 0.002)] = "n/a"
    return [
        owners,
        np.tile(years, len(ids)),
        scope1_kg,
        np.round(base * 0.4 * (1 + change) ** k, 1),
        np.round(base * 4 * (1 + change) ** k, 1),
    ]


def material_columns(ids: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    m = len(ids)
    n_materials = max(1, m // 3)
    return [
        np.array([f"material {i}" for i in rng.integers(0, n_materials, m)], dtype=object),
        ids,
        BOOLS[rng.integers(0, 4, m)],
        np.where(rng.random(m) < 0.9, "yes", "no").astype(object),
    ]


def _append(ws, header: list[str], columns: list[np.ndarray]) -> None:
    ws.append(header)
    for row in zip(*(c.tolist() for c in columns), strict=True):
        ws.append(row)


def build(n: int, out: Path) -> Path:
    rng = np.random.default_rng(n)
    suppliers = supplier_columns(n, rng)
    ids = suppliers[0]
    wb = Workbook(write_only=True)
    _append(wb.create_sheet("Suppliers"), SUPPLIER_HEADER, suppliers)
    _append(
        wb.create_sheet("Certificates"),
        ["Supplier ID", "Standard", "Certificate No.", "Issuer", "Valid From", "Valid Until",
         "Status"],
        certificate_columns(ids, rng),
    )
    _append(
        wb.create_sheet("Emissions"),
        ["Supplier ID", "Year", "Scope 1 (kgCO2e)", "Scope 2 (tCO2e)", "Scope 3 (tCO2e)"],
        emission_columns(ids, rng),
    )
    _append(wb.create_sheet("Materials"), ["Material", "Supplier ID", "Core", "Qualified"],
            material_columns(ids, rng))
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: make_workbook.py N OUT.xlsx")
    print(build(int(argv[0]), Path(argv[1])))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Build sample_data/supplier_survey.xlsx: 40 suppliers' answers to the data-collection survey.

Deterministic (fixed seed, fixed dates around the as-of date 2026-11-27), so `make demo` shows the
same audit on every machine. Run `python sample_data/make_sample_data.py` to rebuild it; the
README beside this file lists the deliberate data problems it contains.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

AS_OF = date(2026, 11, 27)
OUT = Path(__file__).with_name("supplier_survey.xlsx")

# (name, country, category)
SUPPLIERS = [
    ("Nordlicht Elektronik GmbH", "DE", "electronics"),
    ("Shenzhen Huaxin Components", "CN", "electronics"),
    ("Penang Microtech Sdn Bhd", "MY", "electronics"),
    ("Lyon Plasturgie SA", "FR", "plastics"),
    ("Anhui Polymer Co., Ltd.", "CN", "plastics"),
    ("Rotterdam Specialty Chemicals BV", "NL", "chemicals"),
    ("Gujarat Fine Chem Pvt Ltd", "IN", "chemicals"),
    ("Porto Embalagens Lda", "PT", "packaging"),
    ("Midwest Corrugated Inc.", "US", "packaging"),
    ("Izmir Tekstil A.S.", "TR", "textiles"),
    ("Dhaka Knitwear Ltd", "BD", "textiles"),
    ("Ruhr Stahl AG", "DE", "iron and steel"),
    ("Anatolia Steel Works", "TR", "iron and steel"),
    ("Jiangsu Special Steel Co.", "CN", "iron and steel"),
    ("Hafnarfjordur Aluminium hf", "IS", "aluminium"),
    ("Gulf Smelting LLC", "AE", "aluminium"),
    ("Silesia Cement SA", "PL", "cement"),
    ("Atlas Ciments SA", "MA", "cement"),
    ("Black Sea Fertilisers JSC", "UA", "fertilisers"),
    ("Baltic Logistics UAB", "LT", "logistics"),
    ("TransIberia Transportes SL", "ES", "logistics"),
    ("Pacific Freight Pte Ltd", "SG", "logistics"),
    ("CloudForge Systems Ltd", "GB", "it services"),
    ("Bangalore Data Services Pvt Ltd", "IN", "data processing"),
    ("Tallinn Software OU", "EE", "it services"),
    ("Windhoek Data Centre (Pty) Ltd", "NA", "data processing"),
    ("Alpine Consulting AG", "CH", "consulting"),
    ("Milano Facility Services Srl", "IT", "facility services"),
    ("Quebec Precision Plastics Inc.", "CA", "plastics"),
    ("Monterrey Autopartes SA de CV", "MX", "electronics"),
    ("Busan Marine Packaging Co.", "KR", "packaging"),
    ("Sao Paulo Quimica Ltda", "BR", "chemicals"),
    ("Hanoi Garment JSC", "VN", "textiles"),
    ("Vienna Cleanroom Services GmbH", "AT", "facility services"),
    ("Osaka Fine Ceramics KK", "JP", "electronics"),
    ("Cape Town Paperworks (Pty) Ltd", "ZA", "packaging"),
    ("Krakow IT Outsourcing Sp. z o.o.", "PL", "it services"),
    ("Dublin Payroll Processing Ltd", "IE", "data processing"),
    ("Casablanca Steel Tubes SARL", "MA", "iron and steel"),
    ("Helsinki Green Energy Oy", "FI", "electronics"),
]

PRODUCTION = {
    "electronics", "plastics", "chemicals", "packaging", "textiles",
    "iron and steel", "aluminium", "cement", "fertilisers",
}
IT = {"it services", "data processing"}
CBAM = {"iron and steel", "aluminium", "cement", "fertilisers"}
EU = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}

ISSUERS = ["TÜV SÜD", "Bureau Veritas", "DNV", "SGS", "BSI", "DQS"]
OFFICE = {"it services", "data processing", "consulting"}
SILENT = {7, 21, 27, 39}  # suppliers that left the due-diligence questions blank

# Columns of the due-diligence packs (human rights, conflict minerals, business ethics,
# deforestation, ratings), as suppliers write the headers.
DUE_DILIGENCE_HEADERS = [
    "Code of Conduct Acknowledged", "Code of Conduct Date", "HR Risk Assessment Date",
    "Grievance Mechanism", "Social Audit Scheme", "Social Audit Date", "Social Audit Result",
    "Contains 3TG", "CMRT Date", "Smelters Declared", "Smelters Conformant",
    "Anti-bribery Policy", "Sanctions Screening Date", "Sanctions Screening Result",
    "Whistleblowing Channel", "Employees", "Company Size", "EUDR Commodity",
    "EUDR DDS Reference", "EUDR Geolocation", "EcoVadis Score", "EcoVadis Medal",
    "EcoVadis Date", "CDP Climate Score", "CDP Year",
]


def days_ago(low: int, high: int, rng: random.Random) -> date:
    return AS_OF - timedelta(days=rng.randint(low, high))


def due_diligence(i: int, country: str, category: str, rng: random.Random) -> list[object]:
    """The due-diligence answers of supplier i, in DUE_DILIGENCE_HEADERS order.

    Most suppliers answer well; the exceptions are deliberate and spread so that every rule
    of those packs passes, warns and fails somewhere in the sample.
    """
    if i in SILENT:
        return [None] * len(DUE_DILIGENCE_HEADERS)
    site = category not in OFFICE
    # Human rights: code of conduct (a few unsigned, a few signed more than three years ago).
    signed: object = "no" if i % 13 == 0 else None if i % 17 == 0 else "yes"
    signed_on = days_ago(1100, 1500, rng) if i % 9 == 0 else days_ago(20, 1000, rng)
    assessed = None if i % 19 == 0 else days_ago(380, 700, rng) if i % 4 == 0 else days_ago(15, 350, rng)
    grievance = "no" if i in (3, 9, 14, 18, 25, 31, 35) else None if i == 37 else "yes"
    scheme = audited = result = None
    if site and i not in (11, 22, 28):
        scheme = ("RBA VAP" if category == "electronics" else
                  "amfori BSCI" if category in {"textiles", "packaging"} else "SMETA")
        audited = days_ago(800, 1000, rng) if i % 10 == 7 else days_ago(40, 700, rng)
        result = "fail" if i == 33 else "conditional" if i % 5 == 2 else "pass"
    # Conflict minerals: the category decides unless the supplier says.
    contains = "yes" if i == 29 else "no" if category in {"iron and steel", "cement"} else None
    cmrt = declared = conformant = None
    if category == "electronics" or contains == "yes":
        cmrt = days_ago(400, 600, rng) if i == 30 else days_ago(30, 300, rng)
        declared = rng.randint(150, 320)
        share = {2: 0.96, 35: 0.85, 40: 0.93}.get(i, 1.0)
        conformant = int(declared * share)
    # Business ethics.
    policy = "no" if i in (5, 16, 22, 34) else None if i == 38 else "yes"
    screened = days_ago(400, 500, rng) if i % 12 == 0 else days_ago(10, 300, rng)
    screening = "potential match" if i == 16 else "no match"
    employees = rng.choice([35, 80, 140, 320, 650, 1200, 2400, 8500])
    channel = "yes" if employees >= 250 or i % 2 else "no"
    size = ("small" if employees < 50 else "medium" if employees < 250 else "large") if i % 3 else None
    # Deforestation: paper packaging is a wood product.
    commodity: object = "wood" if category == "packaging" else "none" if i % 4 == 0 else None
    dds = geolocated = None
    if commodity == "wood":
        dds = f"26{country}{rng.randint(10**9, 10**10 - 1)}" if country in EU else None
        geolocated = {9: "yes", 36: "no"}.get(i)
    # Ratings: some suppliers send an EcoVadis scorecard or a CDP score.
    score = medal = rated = None
    if i % 5 in (0, 3):
        score = rng.randint(22, 79)
        medal = ("gold" if score >= 70 else "silver" if score >= 62 else
                 "bronze" if score >= 54 else "none")
        rated = days_ago(380, 450, rng) if i == 23 else days_ago(20, 330, rng)
    cdp = cdp_year = None
    if i % 4 == 1:
        cdp = rng.choice(["A", "A-", "B", "B", "B-", "C", "C-", "D"])
        cdp_year = 2024 if i == 13 else 2025
    return [signed, signed_on if signed else None, assessed, grievance, scheme, audited, result,
            contains, cmrt, declared, conformant, policy, screened, screening, channel,
            employees, size, commodity, dds, geolocated, score, medal, rated, cdp, cdp_year]


def supplier_rows(rng: random.Random) -> list[list[object]]:
    rows = []
    diligence = random.Random(20261128)  # its own stream: the columns above keep their values
    for i, (name, country, category) in enumerate(SUPPLIERS, start=1):
        sid = f"SUP-{1000 + i}"
        heavy = category in CBAM
        revenue = round(rng.uniform(15, 900), 1)
        scope1 = round(rng.uniform(2000, 90000) if heavy else rng.uniform(50, 4000), 1)
        scope2 = round(rng.uniform(500, 20000) if heavy else rng.uniform(20, 3000), 1)
        scope3 = round(scope1 * rng.uniform(2, 8), 1)
        renewable: object = round(rng.choice([0.0, 0.12, 0.35, 0.55, 0.72, 0.9, 1.0]), 2)
        if i % 7 == 0:
            renewable = f"{int(float(renewable) * 100)}%"  # written as text with a percent sign
        otd = round(rng.uniform(0.84, 0.995), 3)
        rows.append([
            sid,
            name,
            country,
            category,
            round(rng.uniform(0.2, 40.0), 2) * 1_000_000,
            renewable,
            round(rng.uniform(300, 250000) if heavy else rng.uniform(50, 12000), 0),
            scope1,
            scope2,
            scope3 if i % 5 else None,  # every fifth supplier does not report Scope 3
            revenue,
            rng.choice([2024, 2025, 2025, 2025]),
            otd,
            rng.choice([12, 35, 80, 150, 420, 900]),
            round(rng.uniform(0.92, 1.22), 2),
            rng.choice(["yes", "no", "yes", "y", "no"]),
            round(scope1 * rng.uniform(0.3, 0.9), 1)
            if heavy and country not in EU and i % 3 else None,
            *due_diligence(i, country, category, diligence),
        ])
    # Deliberate data problems, each listed in sample_data/README.md.
    rows[3][5] = 120              # SUP-1004: renewable share 120 among fractions: outside [0, 100]
    rows[9][2] = "UK"             # SUP-1010: not an ISO 3166-1 code; read as GB, with a note
    rows[12][7] = "approx. 5000"  # SUP-1013: text in a number column
    rows[20][8] = -150.0          # SUP-1021: negative Scope 2
    rows[26][12] = "n/a"          # SUP-1027: marked not available: missing, noted, not an issue
    duplicate = list(rows[5])     # SUP-1006 sent twice: the repeat is a data issue
    duplicate[1] = "Rotterdam Specialty Chemicals B.V."
    rows.insert(20, duplicate)
    width = len(rows[0])
    nameless = [None, "Unnamed Trading Co.", "VN", "textiles"] + [None] * (width - 4)
    rows.insert(30, nameless)        # a row with data but no supplier id
    rows.insert(15, [None] * width)  # a blank row: skipped silently
    return rows


def certificate_rows(rng: random.Random) -> list[list[object]]:
    rows = []
    n = 0

    def add(sid: str, standard: str, issuer: str, start: object, end: object, status: str) -> None:
        nonlocal n
        n += 1
        rows.append([sid, standard, f"C-{24000 + n}", issuer, start, end, status])

    for i, (_name, _country, category) in enumerate(SUPPLIERS, start=1):
        sid = f"SUP-{1000 + i}"
        issuer = ISSUERS[i % len(ISSUERS)]
        roll = i % 10
        if category in PRODUCTION or category == "logistics":
            if roll in (0, 1, 2, 3, 4, 5):
                add(sid, rng.choice(["ISO 14001:2015", "ISO14001", "iso 14001"]), issuer,
                    AS_OF - timedelta(days=rng.randint(200, 900)),
                    AS_OF + timedelta(days=rng.randint(120, 900)), "active")
            elif roll == 6:  # expires within 90 days: a warning
                add(sid, "ISO-14001", issuer, AS_OF - timedelta(days=1000),
                    AS_OF + timedelta(days=45), "active")
            elif roll == 7:  # expired last year
                add(sid, "ISO 14001", issuer, date(2022, 6, 1), date(2025, 5, 31), "expired")
            elif roll == 8:  # suspended by the certification body
                add(sid, "ISO 14001:2015", issuer, date(2024, 3, 1), date(2027, 2, 28),
                    "suspended")
        if i % 3 == 0:
            add(sid, "ISO 45001:2018", issuer, AS_OF - timedelta(days=400),
                AS_OF + timedelta(days=rng.randint(30, 700)), "active")
        if category in {"iron and steel", "aluminium", "cement", "chemicals"} and i % 2:
            add(sid, "ISO 50001", issuer, AS_OF - timedelta(days=300),
                AS_OF + timedelta(days=600), "Active")
        if category in IT:
            if i == 25:  # a 2013-edition certificate, withdrawn from use on 31 Oct 2025
                add(sid, "ISO/IEC 27001:2013", issuer, date(2023, 1, 15), date(2026, 1, 14),
                    "active")
            elif i != 38:
                add(sid, "ISO/IEC 27001:2022", issuer, AS_OF - timedelta(days=500),
                    AS_OF + timedelta(days=rng.randint(60, 800)), "active")
    # Deliberate problems.
    rows[4][5] = "03/04/2027"  # ambiguous: 3 April or 4 March
    add("SUP-1099", "ISO 14001", "SGS", date(2025, 1, 1), date(2028, 1, 1), "active")  # unknown
    rows.append(["SUP-1003", "ISO 9001", "C-25999", "DQS", "15.01.2025", "2028/01/15", "active"])
    # Social and anti-bribery certificates, read like any other standard.
    rows.append(["SUP-1010", "SA 8000:2014", "SA-3301", "SGS", date(2025, 3, 1), date(2028, 2, 29),
                 "active"])
    rows.append(["SUP-1011", "SA8000", "SA-2987", "Bureau Veritas", date(2022, 9, 1),
                 date(2025, 8, 31), "expired"])
    rows.append(["SUP-1001", "ISO 37001:2016", "C-26001", "TÜV SÜD", date(2025, 6, 1),
                 date(2028, 5, 31), "active"])
    rows.append(["SUP-1012", "ISO 37001", "C-26002", "DQS", date(2024, 2, 1), date(2027, 1, 31),
                 "active"])
    return rows


def emission_rows(rng: random.Random) -> list[list[object]]:
    rows = []
    for i, (_name, _country, category) in enumerate(SUPPLIERS, start=1):
        if i % 6 == 0:
            continue  # no history reported
        sid = f"SUP-{1000 + i}"
        heavy = category in CBAM
        base1 = rng.uniform(3000, 80000) if heavy else rng.uniform(80, 3500)
        base2 = rng.uniform(600, 15000) if heavy else rng.uniform(30, 2500)
        change = rng.choice([-0.09, -0.06, -0.045, -0.02, 0.01, 0.04])
        for k, year in enumerate(range(2020, 2026)):
            if i % 11 == 0 and year == 2022:
                continue  # a gap year
            factor = (1 + change) ** k
            rows.append([sid, year, round(base1 * factor, 1), round(base2 * factor, 1),
                         round(base1 * factor * 4.5, 1)])
    return rows


def material_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    materials = {
        "printed circuit boards": (["SUP-1001", "SUP-1002", "SUP-1003"], "yes"),
        "polypropylene granulate": (["SUP-1004", "SUP-1005"], "yes"),
        "specialty solvents": (["SUP-1006"], "yes"),                    # single source
        "corrugated boxes": (["SUP-1008", "SUP-1009", "SUP-1031"], "no"),
        "hot-rolled coil": (["SUP-1012", "SUP-1013", "SUP-1014"], "yes"),
        "primary aluminium ingot": (["SUP-1015", "SUP-1016"], "yes"),
        "clinker": (["SUP-1017"], "是"),                                   # single source
        "ceramic substrates": (["SUP-1035", "SUP-1030"], "yes"),
    }
    for material, (sids, core) in materials.items():
        for sid in sids:
            rows.append([material, sid, core, "yes"])
    rows[-1][3] = "no"  # SUP-1030 not yet qualified for ceramic substrates: single source
    return rows


def build(path: Path = OUT) -> Path:
    rng = random.Random(20261127)
    wb = Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws.append(["Supplier ESG survey 2026 — responses as received"])
    ws.append([])
    ws.append([
        "Supplier ID", "Supplier Name", "Country", "Category", "Annual Spend (EUR)",
        "Renewable Electricity %", "Energy (MWh)", "Scope 1 (tCO2e)", "Scope 2 (tCO2e)",
        "Scope 3 (tCO2e)", "Revenue (MUSD)", "Reporting Year", "On-time Delivery",
        "Defects (ppm)", "Price Index", "SBTi Target", "CBAM Embedded tCO2e",
        *DUE_DILIGENCE_HEADERS,
    ])
    for row in supplier_rows(rng):
        ws.append(row)

    certs = wb.create_sheet("Certificates")
    certs.append(["Supplier ID", "Standard", "Certificate No.", "Issuer", "Valid From",
                  "Valid Until", "Status"])
    for row in certificate_rows(rng):
        certs.append(row)

    emissions = wb.create_sheet("Emissions")
    emissions.append(["Supplier ID", "Year", "Scope 1 (kgCO2e)", "Scope 2 (tCO2e)",
                      "Scope 3 (tCO2e)"])
    for sid, year, s1, s2, s3 in emission_rows(rng):
        emissions.append([sid, year, round(s1 * 1000), s2, s3])  # Scope 1 reported in kg

    materials = wb.create_sheet("Materials")
    materials.append(["Material", "Supplier ID", "Core", "Qualified"])
    for row in material_rows():
        materials.append(row)

    for sheet in (ws, certs):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())

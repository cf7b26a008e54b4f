"""SPEC §1: `esg-audit template` writes a data-collection workbook that round-trips into `check`."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from tests.acceptance.outputs.helpers import invoke, read_json

AS_OF = "2026-11-27"

# One expression rule per Suppliers field, each passing only when the value came back exactly.
EXACT = {
    "country": "country == 'NA'",  # Namibia: text, never missing
    "category": "category == 'electronics'",
    "name": "name == 'Zhōngshān Parts Co.'",
    "annual_spend": "annual_spend == 125000.5",
    "renewable_share": "renewable_share == 0.45",  # 45 in a (%) column
    "energy_mwh": "energy_mwh == 1234.5",
    "scope1_tco2e": "scope1_tco2e == 10.25",
    "scope2_tco2e": "scope2_tco2e == 20",
    "scope3_tco2e": "scope3_tco2e == 300",
    "revenue_musd": "revenue_musd == 12.5",
    "reporting_year": "reporting_year == 2025",
    "on_time_delivery": "on_time_delivery == 0.97",
    "defect_ppm": "defect_ppm == 150",
    "price_index": "price_index == 1.02",
    "sbti_target": "sbti_target == true",
    "cbam_embedded_tco2e": "cbam_embedded_tco2e == 42.5",
    "audit_date": "audit_date == date('2026-03-15')",
    "code_of_conduct": "code_of_conduct == false",
    "region_code": "region_code == 'EMEA-1'",
}
VALUES = {
    "Supplier ID": "S-0012",
    "Supplier Name": "Zhōngshān Parts Co.",
    "Country": "NA",
    "Category": "electronics",
    "Annual Spend": 125000.5,
    "Renewable Share (%)": 45,
    "Energy (MWh)": 1234.5,
    "Scope 1 (tCO2e)": 10.25,
    "Scope 2 (tCO2e)": 20,
    "Scope 3 (tCO2e)": 300,
    "Revenue (MUSD)": 12.5,
    "Reporting Year": 2025,
    "On-time Delivery (%)": 97,
    "Defect PPM": 150,
    "Price Index": 1.02,
    "SBTi Target": "yes",
}


def _rules() -> str:
    lines = [
        "pack: roundtrip", 'version: "1"',
        "fields: {cbam_embedded_tco2e: number, audit_date: date, code_of_conduct: bool,"
        " region_code: text}",
        "rules:",
    ]
    for i, (field, expression) in enumerate(EXACT.items(), start=1):
        lines += [f"  - id: RT-{i:03d}", f"    title: {field} round-trips",
                  "    pillar: data", "    severity: low", f'    check: {{pass: "{expression}"}}']
    lines += [
        "  - id: CERT-001", "    title: ISO 14001", "    pillar: data", "    severity: low",
        "    check: {certificate: ISO 14001, warn_within_days: 30, issuers: [TÜV]}",
        "  - id: TREND-001", "    title: Scope 1 trend", "    pillar: data", "    severity: low",
        "    check: {trend: scope1_tco2e, years: 2, max_annual_change: -0.1}",
        "  - id: SRC-001", "    title: Dual sourcing", "    pillar: data", "    severity: low",
        "    check: {min_suppliers: 2}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def template(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(_rules(), encoding="utf-8")
    path = tmp_path / "to_supplier.xlsx"
    run = invoke("template", path, "--rules", rules)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    return path, rules


def test_template_has_a_sheet_per_input_sheet_and_the_declared_fields(template):
    path, _ = template
    book = load_workbook(path)
    assert {"Suppliers", "Certificates", "Emissions", "Materials"} <= set(book.sheetnames)
    header = [c.value for c in book["Suppliers"][1]]
    assert header[: len(VALUES)] == list(VALUES)
    assert header[len(VALUES):] == [
        "Cbam Embedded Tco2e", "Audit Date", "Code Of Conduct", "Region Code",
    ]


def test_default_template_name_and_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = invoke("template")
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "supplier_template.xlsx").exists()
    header = [c.value for c in load_workbook(tmp_path / "supplier_template.xlsx")["Suppliers"][1]]
    assert "Cbam Embedded Tco2e" in header  # the shipped CBAM pack declares it


def test_filled_template_round_trips_into_check_exactly(template, tmp_path):
    path, rules = template
    book = load_workbook(path)
    suppliers = book["Suppliers"]
    header = [c.value for c in suppliers[1]]
    row = dict(VALUES)
    row.update({
        "Cbam Embedded Tco2e": 42.5,
        "Audit Date": dt.date(2026, 3, 15),
        "Code Of Conduct": "no",
        "Region Code": "EMEA-1",
    })
    for column, name in enumerate(header, start=1):
        suppliers.cell(2, column, row[name])
    second = {"Supplier ID": "S-0013", "Supplier Name": "Second", "Country": "DE"}
    for column, name in enumerate(header, start=1):
        suppliers.cell(3, column, second.get(name))

    def fill(sheet: str, rows: list[dict]) -> None:
        ws = book[sheet]
        cols = [c.value for c in ws[1]]
        for r, values in enumerate(rows, start=2):
            for column, name in enumerate(cols, start=1):
                ws.cell(r, column, values.get(name))

    fill("Certificates", [{"Supplier ID": "S-0012", "Standard": "ISO 14001:2015",
                           "Certificate No": "C-77", "Issuer": "TÜV", "Valid From": dt.date(2025, 1, 1),
                           "Valid Until": dt.date(2028, 6, 30), "Status": "active"}])
    fill("Emissions", [
        {"Supplier ID": "S-0012", "Year": 2023, "Scope 1 (tCO2e)": 100,
         "Scope 2 (tCO2e)": 1, "Scope 3 (tCO2e)": 1},
        {"Supplier ID": "S-0012", "Year": 2025, "Scope 1 (tCO2e)": 64,
         "Scope 2 (tCO2e)": 1, "Scope 3 (tCO2e)": 1},
    ])
    fill("Materials", [
        {"Material": "PCB", "Supplier ID": "S-0012", "Core": "yes", "Qualified": "yes"},
        {"Material": "PCB", "Supplier ID": "S-0013", "Core": "yes", "Qualified": None},
    ])
    filled = tmp_path / "returned.xlsx"
    book.save(filled)

    run = invoke("check", filled, "--rules", rules, "--as-of", AS_OF, "--out", tmp_path / "out",
                 "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = read_json(tmp_path / "out" / "report.json")
    assert report["data_issues"] == []
    supplier = report["suppliers"][0]
    assert (supplier["supplier_id"], supplier["name"]) == ("S-0012", "Zhōngshān Parts Co.")
    statuses = {r["rule_id"]: (r["status"], r.get("message")) for r in supplier["results"]}
    assert {rule: status for rule, (status, _) in statuses.items()} == {
        **{f"RT-{i:03d}": "pass" for i in range(1, len(EXACT) + 1)},
        "CERT-001": "pass",
        "TREND-001": "pass",  # (64 / 100) ** (1/2) - 1 = -0.2
        "SRC-001": "pass",
    }, statuses
    assert statuses["CERT-001"][1] == "valid ISO 14001 certificate C-77 until 2028-06-30"
    assert [s["supplier_id"] for s in report["suppliers"]] == ["S-0012", "S-0013"]
    assert report["summary"]["suppliers"] == 2

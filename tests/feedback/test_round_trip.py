"""Round trip: the template, filled with valid data, audits with no data issue, and its
feedback workbook marks no cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from tests.acceptance.outputs.helpers import AS_OF, invoke, read_json
from tests.feedback.test_annotate import ROW_FILL, filled_rows, marked, section

RULES = """\
pack: roundtrip
version: "1"
rules:
  - id: ENV-001
    title: Valid ISO 14001 certificate
    pillar: environment
    severity: high
    check: {certificate: ISO 14001}
    remediation: Certify the site to ISO 14001.
  - id: ENV-002
    title: Renewable electricity share
    pillar: environment
    severity: medium
    check: {pass: renewable_share >= 0.6}
    remediation: Buy renewable electricity.
"""

# Values per canonical field; headers come from the template itself (in either language).
SUPPLIER = {"supplier_id": "S-0012", "name": "Zhōngshān Parts Co.", "country": "CN",
            "category": "electronics", "renewable_share": 45, "scope1_tco2e": 10.25,
            "reporting_year": 2025}
SECOND = {"supplier_id": "S-0013", "name": "Second", "country": "DE", "renewable_share": 80}


def fill(template: Path, target: Path, yes: str, active: str) -> Path:
    """The template filled through its own header row: Suppliers, a certificate, materials."""
    book = openpyxl.load_workbook(template)
    order = [c.value for c in book["Suppliers"][1]]

    def put(sheet: str, row: int, by_position: dict[int, object]) -> None:
        for column, value in by_position.items():
            book[sheet].cell(row, column, value)

    # Canonical order of the template's first columns (see esg_audit.fields).
    sup_fields = ["supplier_id", "name", "country", "category", "annual_spend",
                  "renewable_share", "energy_mwh", "scope1_tco2e", "scope2_tco2e",
                  "scope3_tco2e", "revenue_musd", "reporting_year", "on_time_delivery",
                  "defect_ppm", "price_index", "sbti_target"]
    assert len(order) >= len(sup_fields)
    for row, values in ((2, SUPPLIER), (3, SECOND)):
        put("Suppliers", row, {sup_fields.index(k) + 1: v for k, v in values.items()})
    put("Suppliers", 2, {sup_fields.index("sbti_target") + 1: yes})
    put("Certificates", 2, {1: "S-0012", 2: "ISO 14001", 3: "C-77", 4: "TÜV",
                            5: dt.date(2025, 1, 1), 6: dt.date(2028, 6, 30), 7: active})
    put("Materials", 2, {1: "PCB", 2: "S-0012", 3: yes, 4: yes})
    book.save(target)
    return target


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_filled_template_audits_clean_and_its_feedback_marks_nothing(tmp_path, lang):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    template = tmp_path / "template.xlsx"
    args = ("--lang", lang) if lang != "en" else ()
    run = invoke("template", template, "--rules", rules, *args)
    assert run.exit_code == 0, run.stderr
    yes, active = ("yes", "active") if lang == "en" else ("是", "有效")
    returned = tmp_path / "returned"
    returned.mkdir()
    filled = fill(template, returned / "supplier-12.xlsx", yes, active)

    run = invoke("check", filled, "--rules", rules, "--as-of", AS_OF, "--out", tmp_path / "rep",
                 "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = read_json(tmp_path / "rep" / "report.json")
    assert report["data_issues"] == []
    statuses = {(s["supplier_id"], r["rule_id"]): r["status"]
                for s in report["suppliers"] for r in s["results"]}
    assert statuses == {("S-0012", "ENV-001"): "pass", ("S-0012", "ENV-002"): "fail",
                        ("S-0013", "ENV-001"): "fail", ("S-0013", "ENV-002"): "pass"}

    run = invoke("annotate", returned, "--rules", rules, "--as-of", AS_OF,
                 "--out", tmp_path / "fb", "--lang", lang)
    assert run.exit_code == 0, run.stderr
    book = openpyxl.load_workbook(tmp_path / "fb" / "supplier-12.feedback.xlsx")
    assert marked(book) == {}
    assert all(filled_rows(ws, ROW_FILL) == set() for ws in book.worksheets)
    first = book.worksheets[0]
    assert first.title == ("To fix" if lang == "en" else "待整改")
    cells = "Cells to correct" if lang == "en" else "需更正的单元格"
    assert section(first, cells) == [["No cell to correct." if lang == "en" else "无需更正的单元格。"]]
    findings = section(first, "Findings" if lang == "en" else "审核发现")
    assert [(row[0], row[1]) for row in findings[1:]] == [("S-0013", "ENV-001"),
                                                          ("S-0012", "ENV-002")]

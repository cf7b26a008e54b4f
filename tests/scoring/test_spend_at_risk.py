"""Spend at risk (summary): spend and share by grade, spend with suppliers failing a knockout,
suppliers without spend counted apart; in report.json, report.xlsx and report.html."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from esg_audit.cli import cli

RULES = """\
pack: spend
version: "1"
rules:
  - id: KO-001
    title: No sanctions match
    pillar: governance
    severity: critical
    knockout: true
    check: {pass: "category != 'sanctioned'"}
  - id: ENV-001
    title: Renewable share
    pillar: environment
    severity: medium
    check: {pass: renewable_share >= 0.5, warn: renewable_share >= 0.2}
"""
# id, category, renewable share, annual spend (blank: not given)
SUPPLIERS = """\
supplier_id,category,renewable_share,annual_spend
S1,metals,0.9,600000
S2,metals,0.3,300000
S3,sanctioned,0.9,100000
S4,sanctioned,0.9,
S5,metals,0.1,
"""


def test_spend_at_risk_in_every_report(tmp_path: Path):
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    (tmp_path / "suppliers.csv").write_text(SUPPLIERS, encoding="utf-8")
    outcome = CliRunner().invoke(cli, [
        "check", str(tmp_path / "suppliers.csv"), "--rules", str(tmp_path / "rules.yaml"),
        "--as-of", "2026-11-27", "--out", str(tmp_path / "out"), "--format", "json,xlsx,html",
    ], catch_exceptions=False)
    assert outcome.exit_code == 0, outcome.output
    summary = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["summary"]
    # S1 A (100), S2 B (75), S3 and S4 D by knockout, S5 C (50).
    assert summary["by_grade"] == {"A": 1, "B": 1, "C": 1, "D": 2, "N/A": 0}
    assert summary["spend_by_grade"] == {"A": 600000.0, "B": 300000.0, "C": 0.0,
                                         "D": 100000.0, "N/A": 0.0, "unknown": 2}
    assert summary["knockout_spend"] == {"spend": 100000.0, "suppliers": 2, "unknown": 1}

    sheet = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["Summary"]
    rows = {sheet.cell(r, 1).value: (sheet.cell(r, 2).value, sheet.cell(r, 3).value)
            for r in range(1, sheet.max_row + 1)}
    assert [rows[f"Grade {g}"] for g in ("A", "B", "C", "D", "N/A")] == [
        (600000, 0.6), (300000, 0.3), (0, 0), (100000, 0.1), (0, 0)]
    assert rows["Failing a knockout"][0] == 100000
    assert rows["Knockout suppliers"][0] == 2
    assert rows["… without spend"][0] == 1
    assert rows["Suppliers without spend"][0] == 2

    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert "<td class=\"num\">600,000</td><td class=\"num\">60.0%</td>" in page
    assert ("Spend with suppliers that fail a knockout: 100,000 (2 suppliers, 1 of them without "
            "a spend). Suppliers that gave no spend: 2, counted apart, never as zero.") in page

"""A user's own supplier export, as a procurement system writes it, audited on the first try."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from esg_audit.cli import cli

AS_OF = "2026-11-27"
PROBES = {
    "COUNTRY": "country in ['DE', 'GB', 'CN']",
    "SPEND": "annual_spend >= 100000",
    "SHARE": "renewable_share >= 0.5",
}


def _export(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A workbook with one sheet named `Sheet1`, as ERP exports are saved."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _pack(tmp_path: Path) -> Path:
    rules = [{"id": rid, "title": rid, "pillar": "environment", "check": {"pass": expr}}
             for rid, expr in PROBES.items()]
    path = tmp_path / "probe.yaml"
    path.write_text(yaml.safe_dump({"pack": "probe", "version": "1", "rules": rules}),
                    encoding="utf-8")
    return path


def _check(tmp_path: Path, export: Path, *args: str) -> tuple[dict, str]:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [
        "check", str(export), "--rules", str(_pack(tmp_path)), "--as-of", AS_OF,
        "--out", str(out), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads((out / "report.json").read_text(encoding="utf-8")), result.stderr


def _statuses(report: dict) -> dict[str, dict[str, str]]:
    return {s["supplier_id"]: {r["rule_id"]: r["status"] for r in s["results"]}
            for s in report["suppliers"]}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return _export(tmp_path / "supplier_export.xlsx", [
        "Supplier Number", "Supplier Name", "Country/Region", "Spend (EUR)",
        "Renewable electricity share", "Payment Terms",
    ], [
        ["100234", "Rheinmetall Castings GmbH", "Germany", 250000, 0.62, "NT30"],
        ["100587", "Thames Fasteners Ltd", "United Kingdom", 80000, 0.35, "NT60"],
    ])


def test_the_export_audits_with_country_spend_and_share_understood(tmp_path, export):
    report, stderr = _check(tmp_path, export)

    assert _statuses(report) == {
        "100234": {"COUNTRY": "pass", "SPEND": "pass", "SHARE": "pass"},
        "100587": {"COUNTRY": "pass", "SPEND": "fail", "SHARE": "fail"},
    }
    assert report["data_issues"] == []
    file = str(export)
    assert report["notes"] == [
        {"file": file, "sheet": "Sheet1", "column": None,
         "note": "the workbook's only sheet, 'Sheet1', is read as Suppliers"},
        {"file": file, "sheet": "Sheet1", "column": "Country/Region",
         "note": "2 cells read as ISO 3166-1 alpha-2 codes (Germany → DE, United Kingdom → GB)"},
        {"file": file, "sheet": "Sheet1", "column": "Payment Terms",
         "note": "column not recognised; kept as payment_terms"},
        {"file": file, "sheet": "Sheet1", "column": "Spend (EUR)",
         "note": "amounts in EUR, as written (no currency is converted)"},
    ]
    assert stderr.strip().endswith(
        "; 1 column not recognised: see the notes or esg-audit inspect, "
        "and map it with --columns FILE")


def test_headers_no_alias_covers_are_mapped_with_a_short_columns_file(tmp_path):
    export = _export(tmp_path / "vendors.xlsx", [
        "Vendor", "Vendor Name", "Ctry", "Spend (EUR)", "Green Power Ratio",
    ], [
        ["V-1", "Shenzhen Power Parts", "中国", "1,200,000", "55%"],
        ["V-2", "Kiel Metall", "DEU", 20000, "12%"],
    ])
    mapping = tmp_path / "columns.yaml"
    mapping.write_text('columns:\n  "*": {Ctry: country, Green Power Ratio: renewable_share}\n',
                       encoding="utf-8")
    assert len(mapping.read_text(encoding="utf-8").splitlines()) <= 3

    before, stderr_before = _check(tmp_path, export)
    assert _statuses(before)["V-1"] == {"COUNTRY": "missing", "SPEND": "pass",
                                        "SHARE": "missing"}
    assert "2 columns not recognised" in stderr_before and "--columns" in stderr_before

    after, stderr_after = _check(tmp_path, export, "--columns", str(mapping))
    assert _statuses(after) == {
        "V-1": {"COUNTRY": "pass", "SPEND": "pass", "SHARE": "pass"},
        "V-2": {"COUNTRY": "pass", "SPEND": "fail", "SHARE": "fail"},
    }
    assert after["data_issues"] == []
    assert "not recognised" not in stderr_after

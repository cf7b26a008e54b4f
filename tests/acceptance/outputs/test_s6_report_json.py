"""SPEC §6: report.json field names and nesting, the published JSON Schema, statuses, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from esg_audit.reports.json_report import REPORT_SCHEMA_PATH
from tests.acceptance.outputs.helpers import (
    AS_OF,
    SUPPLIER_HEADER,
    invoke,
    read_json,
    write_xlsx,
)

STATUSES = {"pass", "warn", "fail", "missing", "n/a", "waived"}
RULE_IDS = ["ENV-001", "ENV-002", "GOV-001", "SOC-001"]
WAIVERS = """\
waivers:
  - supplier_id: S4
    rule_id: ENV-001
    reason: Recertification booked.
    approved_by: Head of Procurement
    expires: 2026-12-31
  - supplier_id: S3
    rule_id: ENV-002
    reason: Old waiver.
    approved_by: CPO
    expires: 2026-01-31
  - supplier_id: S99
    rule_id: ENV-001
    reason: Nobody.
    approved_by: CPO
    expires: 2027-01-31
"""


@pytest.fixture
def report(audit) -> dict:
    result, out = audit("--format", "json")
    assert result.exit_code == 0, result.stderr
    return read_json(out / "report.json")


def test_every_field_name_at_its_place(report):
    assert list(report)[:10] == [
        "schema_version", "tool", "audit", "summary", "rules", "suppliers", "findings",
        "data_issues", "notes", "waivers",
    ]
    assert report["schema_version"] == "2.0"
    assert set(report["tool"]) == {"name", "version"}
    assert report["tool"]["name"] == "esg-audit"
    from esg_audit import __version__
    assert report["tool"]["version"] == __version__
    audit = report["audit"]
    assert {"as_of", "generated_at", "inputs", "rule_packs"} <= set(audit)
    assert audit["as_of"] == AS_OF
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", audit["generated_at"])
    assert [set(i) for i in audit["inputs"]] == [{"path", "sha256", "rows"}]
    assert audit["rule_packs"] == [{
        "pack": "acceptance", "version": "2026.11",
        "sha256": audit["rule_packs"][0]["sha256"],
    }]
    assert re.fullmatch(r"[0-9a-f]{64}", audit["rule_packs"][0]["sha256"])
    assert report["summary"] == {
        "suppliers": 4,
        "audited": 4,
        "by_grade": {"A": 1, "B": 1, "C": 0, "D": 2, "N/A": 0},
        "findings_by_severity": {"critical": 1, "high": 3, "medium": 3, "low": 1, "info": 0},
        "data_issues": 0,
        # No input gives annual_spend: every supplier's spend is unknown, none counts as zero.
        "spend_by_grade": {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0, "N/A": 0.0, "unknown": 4},
        # Spend at risk with the supplier that fails a knockout: unknown, never zero.
        "knockout_spend": {"spend": 0.0, "suppliers": 1, "unknown": 1},
    }
    assert report["rules"] == [
        {"rule_id": "ENV-001", "title": "Valid ISO 14001 certificate", "pack": "acceptance",
         "pillar": "environment", "severity": "high", "weight": 10.0, "applies_to": None,
         "references": []},
        {"rule_id": "ENV-002", "title": "Renewable electricity share", "pack": "acceptance",
         "pillar": "environment", "severity": "medium", "weight": 1.0, "applies_to": None,
         "references": []},
        {"rule_id": "GOV-001", "title": "Country disclosed", "pack": "acceptance",
         "pillar": "governance", "severity": "critical", "weight": 1.0, "applies_to": None,
         "references": []},
        {"rule_id": "SOC-001", "title": "Services only", "pack": "acceptance",
         "pillar": "social", "severity": "low", "weight": 1.0,
         "applies_to": "category == 'services'", "references": []},
    ]
    for supplier in report["suppliers"]:
        assert list(supplier) == [
            "supplier_id", "name", "score", "grade", "pillars", "knockout", "results",
        ]
        for result in supplier["results"]:
            assert list(result) in (
                ["rule_id", "status", "points", "max_points"],
                ["rule_id", "status", "points", "max_points", "message"],
            )
    for finding in report["findings"]:
        assert list(finding) == [
            "supplier_id", "rule_id", "severity", "status", "title", "message", "remediation",
            "due",
        ]
    assert report["data_issues"] == []
    assert report["notes"] == []
    assert report["waivers"] == {"applied": [], "expired": [], "unmatched": []}


def test_suppliers_scores_grades_pillars_and_knockout(report):
    rows = [
        (s["supplier_id"], s["name"], s["score"], s["grade"], s["pillars"], s["knockout"])
        for s in report["suppliers"]
    ]
    assert rows == [
        ("S1", "Acme GmbH", 100.0, "A",
         {"environment": 100.0, "governance": 100.0, "social": 100.0}, False),
        ("S2", "Beta SA", 75.0, "B",
         {"environment": 50.0, "governance": 100.0, "social": None}, False),
        ("S3", '=HYPERLINK("http://x")', 0.0, "D",
         {"environment": 0.0, "governance": 0.0, "social": None}, True),
        # environment 0/11, governance 100, social 0: mean 33.3
        ("S4", "Delta", 33.3, "D",
         {"environment": 0.0, "governance": 100.0, "social": 0.0}, False),
    ]


def test_every_rule_in_every_audited_suppliers_results_with_points(report):
    for supplier in report["suppliers"]:
        assert [r["rule_id"] for r in supplier["results"]] == RULE_IDS
        for r in supplier["results"]:
            assert r["status"] in STATUSES
            # A message where the check said something: on every warn, fail and missing result,
            # and on a pass of the certificate check (ENV-001: which certificate, until when);
            # never for n/a, nor for a pass of `required` (GOV-001) or an expression (ENV-002,
            # SOC-001), which says nothing the rule does not (SPEC §6 lets it be left out).
            if r["status"] in ("warn", "fail", "missing") or (r["rule_id"], r["status"]) == (
                "ENV-001", "pass"
            ):
                assert isinstance(r["message"], str) and r["message"]
            else:
                assert "message" not in r
    s2 = {r["rule_id"]: r for r in report["suppliers"][1]["results"]}
    assert [(s2[i]["status"], s2[i]["points"], s2[i]["max_points"]) for i in RULE_IDS] == [
        ("warn", 5.0, 10.0), ("warn", 0.5, 1.0), ("pass", 1.0, 1.0), ("n/a", 0.0, 0.0),
    ]
    s4 = {r["rule_id"]: r for r in report["suppliers"][3]["results"]}
    assert (s4["ENV-002"]["status"], s4["ENV-002"]["points"], s4["ENV-002"]["max_points"]) == (
        "missing", 0.0, 1.0,
    )


def test_findings_in_order_with_due_dates(report):
    assert [
        (f["supplier_id"], f["rule_id"], f["severity"], f["status"], f["due"])
        for f in report["findings"]
    ] == [
        ("S3", "GOV-001", "critical", "fail", "2026-12-27"),
        ("S3", "ENV-001", "high", "fail", "2027-01-26"),
        ("S4", "ENV-001", "high", "fail", "2027-01-26"),
        ("S2", "ENV-001", "high", "warn", "2027-01-26"),
        ("S3", "ENV-002", "medium", "fail", "2027-02-25"),
        ("S4", "ENV-002", "medium", "missing", "2027-02-25"),
        ("S2", "ENV-002", "medium", "warn", "2027-02-25"),
        ("S4", "SOC-001", "low", "fail", "2027-05-26"),
    ]
    first = report["findings"][0]
    assert first["title"] == "Country disclosed"
    assert first["remediation"] == "Disclose the country."


def test_report_validates_against_the_published_schema(audit, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    bad = write_xlsx(tmp_path / "bad.xlsx", {"Suppliers": [
        SUPPLIER_HEADER, ["S7", "Seven", "ZZ", "metals", 45, 0.5], ["S8", "Eight", "DE", "x", 90, 1],
    ]})
    result, out = audit("--format", "json", "--waivers", str(waivers))
    assert result.exit_code == 0, result.stderr
    second = invoke("check", bad, "--rules", out.parent / "rules.yaml", "--as-of", AS_OF,
                    "--out", tmp_path / "bad", "--format", "json")
    assert second.exit_code == 0, second.stderr
    schema = json.loads(Path(REPORT_SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for document in (read_json(out / "report.json"), read_json(tmp_path / "bad" / "report.json")):
        jsonschema.Draft202012Validator(schema).validate(document)


def test_waivers_applied_expired_and_unmatched(audit, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    result, out = audit("--format", "json", "--waivers", str(waivers))
    assert result.exit_code == 0, result.stderr
    report = read_json(out / "report.json")
    assert report["waivers"] == {
        "applied": [{"supplier_id": "S4", "rule_id": "ENV-001", "reason": "Recertification booked.",
                     "approved_by": "Head of Procurement", "expires": "2026-12-31"}],
        "expired": [{"supplier_id": "S3", "rule_id": "ENV-002", "reason": "Old waiver.",
                     "approved_by": "CPO", "expires": "2026-01-31"}],
        "unmatched": [{"supplier_id": "S99", "rule_id": "ENV-001", "reason": "Nobody.",
                       "approved_by": "CPO", "expires": "2027-01-31"}],
    }
    s4 = {r["rule_id"]: r for r in report["suppliers"][3]["results"]}
    assert (s4["ENV-001"]["status"], s4["ENV-001"]["points"], s4["ENV-001"]["max_points"]) == (
        "waived", 0.0, 0.0,
    )
    assert ("S4", "ENV-001") not in {(f["supplier_id"], f["rule_id"]) for f in report["findings"]}


def test_data_issues_and_notes(tmp_path, rules_file):
    book = write_xlsx(tmp_path / "bad.xlsx", {"Suppliers": [
        SUPPLIER_HEADER,
        ["S7", "Seven", "ZZ", "metals", 45, 0.5],
        ["S8", "Eight", "DE", "metals", 90, 1],
    ]})
    result = invoke("check", book, "--rules", rules_file, "--as-of", AS_OF,
                    "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = read_json(tmp_path / "out" / "report.json")
    assert [
        (i["file"], i["sheet"], i["row"], i["column"], i["value"]) for i in report["data_issues"]
    ] == [(str(book), "Suppliers", 2, "Country", "ZZ")]
    assert list(report["data_issues"][0]) == ["file", "sheet", "row", "column", "value", "problem"]
    assert report["summary"]["data_issues"] == 1
    assert [(n["file"], n["sheet"], n["column"]) for n in report["notes"]] == [
        (str(book), "Suppliers", "Renewable Share"),
    ]
    assert list(report["notes"][0]) == ["file", "sheet", "column", "note"]


def _without_generated_at(text: str) -> str:
    return re.sub(r'"generated_at": "[^"]*"', '"generated_at": ""', text, count=1)


def test_same_inputs_rules_and_as_of_give_a_byte_identical_report(tmp_path, workbook, rules_file):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS, encoding="utf-8")
    texts = []
    for out, formats in (("one", "json"), ("two", "xlsx,json,csv,html")):
        result = invoke("check", workbook, "--rules", rules_file, "--as-of", AS_OF,
                        "--waivers", waivers, "--out", tmp_path / out, "--format", formats)
        assert result.exit_code == 0, result.stderr
        texts.append((tmp_path / out / "report.json").read_bytes().decode("utf-8"))
    assert _without_generated_at(texts[0]) == _without_generated_at(texts[1])
    assert texts[0].count('"generated_at"') == 1


def test_json_keeps_formula_like_text_exactly(tmp_path, rules_file):
    csv = tmp_path / "suppliers.csv"
    csv.write_text(
        'supplier_id,name,country,category\n'
        '=1+2,"+SUM(A1:A9)",DE,services\n'
        '@me,-2+3,FR,metals\n',
        encoding="utf-8",
    )
    result = invoke("check", csv, "--rules", rules_file, "--as-of", AS_OF,
                    "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = read_json(tmp_path / "out" / "report.json")
    assert [(s["supplier_id"], s["name"]) for s in report["suppliers"]] == [
        ("=1+2", "+SUM(A1:A9)"), ("@me", "-2+3"),
    ]
    assert {f["supplier_id"] for f in report["findings"]} == {"=1+2", "@me"}


def test_published_schema_names_the_spec_fields_and_the_six_statuses():
    schema = json.loads(Path(REPORT_SCHEMA_PATH).read_text(encoding="utf-8"))
    props = schema["properties"]
    assert set(schema["required"]) == {
        "schema_version", "tool", "audit", "summary", "rules", "suppliers", "findings",
        "data_issues", "notes", "waivers",
    }
    assert {"as_of", "generated_at", "inputs", "rule_packs"} <= set(props["audit"]["required"])
    assert props["summary"]["required"] == [
        "suppliers", "audited", "by_grade", "findings_by_severity", "data_issues",
        "spend_by_grade",
    ]
    assert props["rules"]["items"]["required"] == [
        "rule_id", "title", "pack", "pillar", "severity", "weight", "applies_to", "references",
    ]
    supplier = props["suppliers"]["items"]
    assert supplier["required"] == [
        "supplier_id", "name", "score", "grade", "pillars", "knockout", "results",
    ]
    assert supplier["properties"]["results"]["items"]["required"] == [
        "rule_id", "status", "points", "max_points",
    ]
    assert "message" in supplier["properties"]["results"]["items"]["properties"]
    assert set(schema["$defs"]["status"]["enum"]) == STATUSES
    assert set(schema["$defs"]["grade"]["enum"]) == {"A", "B", "C", "D", "N/A"}

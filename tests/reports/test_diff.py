"""Diffing two report.json documents: exactly which findings are new, resolved or changed."""

from __future__ import annotations

import copy
import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.errors import InputFileError
from esg_audit.reports.diff import (
    SECTION_COLUMNS,
    SECTIONS,
    audit_report,
    compare_files,
    diff_document,
    diff_documents,
    format_text,
    read_report,
    write_diff,
)
from esg_audit.reports.json_report import write_json
from esg_audit.rules import default_rules_path
from tests.reports.fixtures import audit_result


def result(rule_id: str, status: str, points: float, max_points: float, message: str = ""):
    return {"rule_id": rule_id, "status": status, "points": points, "max_points": max_points,
            "message": message}


def finding(supplier_id, rule_id, severity, status, title, message, due):
    return {"supplier_id": supplier_id, "rule_id": rule_id, "severity": severity,
            "status": status, "title": title, "message": message,
            "remediation": f"Fix {rule_id}.", "due": due}


def supplier(supplier_id, name, score, grade, results, knockout=False):
    return {"supplier_id": supplier_id, "name": name, "score": score, "grade": grade,
            "pillars": {}, "knockout": knockout, "results": results}


def report(as_of: str, suppliers: list, findings: list) -> dict:
    return {
        "schema_version": "1.0",
        "tool": {"name": "esg-audit", "version": "0.1.0"},
        "audit": {"as_of": as_of, "generated_at": f"{as_of}T06:00:00Z", "inputs": [],
                  "rule_packs": []},
        "summary": {},
        "suppliers": suppliers,
        "findings": findings,
        "data_issues": [], "notes": [], "waivers": {"applied": [], "expired": [], "unmatched": []},
    }


ISO = "Valid ISO 14001 certificate"
RENEW = "Renewable electricity share"
LABOUR = "No forced labour findings"

# October: four suppliers, five findings.
OCTOBER = report("2026-10-27", [
    supplier("S001", "Alpha Metals GmbH", 91.2, "A", [
        result("ENV-001", "pass", 10, 10), result("ENV-002", "warn", 2.5, 5, "share 0.45"),
        result("SOC-001", "pass", 5, 5)]),
    supplier("S002", "Beta Plastics Ltd", 72.8, "B", [
        result("ENV-001", "warn", 5, 10, "expires in 45 days"), result("ENV-002", "pass", 5, 5),
        result("SOC-001", "pass", 5, 5)]),
    supplier("S003", '=HYPERLINK("http://example.com","x")', 57.4, "C", [
        result("ENV-001", "fail", 0, 10, "+no certificate"),
        result("ENV-002", "warn", 2.5, 5, "share 0.4"), result("SOC-001", "pass", 5, 5)]),
    supplier("S004", "Delta Textiles SA", 75.0, "D", [
        result("ENV-001", "pass", 10, 10), result("ENV-002", "pass", 5, 5),
        result("SOC-001", "fail", 0, 5, "open finding")], knockout=True),
], [
    finding("S004", "SOC-001", "critical", "fail", LABOUR, "open finding", "2026-11-26"),
    finding("S003", "ENV-001", "high", "fail", ISO, "+no certificate", "2026-12-26"),
    finding("S002", "ENV-001", "high", "warn", ISO, "expires in 45 days", "2026-12-26"),
    finding("S001", "ENV-002", "medium", "warn", RENEW, "share 0.45", "2027-01-25"),
    finding("S003", "ENV-002", "medium", "warn", RENEW, "share 0.4", "2027-01-25"),
])

# November: the same suppliers a month later. S001 fixed its share; S002's certificate
# lapsed and its share dropped; ENV-001 became critical in the rule pack (S003); S004 got a
# waiver for its knockout.
NOVEMBER = report("2026-11-27", [
    supplier("S001", "Alpha Metals GmbH", 100.0, "A", [
        result("ENV-001", "pass", 10, 10), result("ENV-002", "pass", 5, 5),
        result("SOC-001", "pass", 5, 5)]),
    supplier("S002", "Beta Plastics Ltd", 55.0, "C", [
        result("ENV-001", "fail", 0, 10, "expired 2026-11-10"),
        result("ENV-002", "fail", 0, 5, "share 0.1"), result("SOC-001", "pass", 5, 5)]),
    supplier("S003", '=HYPERLINK("http://example.com","x")', 57.4, "C", [
        result("ENV-001", "fail", 0, 10, "+no certificate"),
        result("ENV-002", "warn", 2.5, 5, "share 0.4"), result("SOC-001", "pass", 5, 5)]),
    supplier("S004", "Delta Textiles SA", 100.0, "A", [
        result("ENV-001", "pass", 10, 10), result("ENV-002", "pass", 5, 5),
        result("SOC-001", "waived", 0, 0, "open finding")]),
], [
    finding("S002", "ENV-001", "high", "fail", ISO, "expired 2026-11-10", "2027-01-26"),
    finding("S003", "ENV-001", "critical", "fail", ISO, "+no certificate", "2026-12-27"),
    finding("S002", "ENV-002", "medium", "fail", RENEW, "share 0.1", "2027-02-25"),
    finding("S003", "ENV-002", "medium", "warn", RENEW, "share 0.4", "2027-02-25"),
])


def rows(frame, columns):
    return [tuple(None if (isinstance(v, float) and math.isnan(v)) else v for v in r)
            for r in frame[list(columns)].itertuples(index=False)]


@pytest.fixture(scope="module")
def month():
    return diff_documents(OCTOBER, NOVEMBER)


def test_new_findings(month):
    assert rows(month.new_findings, SECTION_COLUMNS["new_findings"]) == [
        ("S002", "Beta Plastics Ltd", "ENV-002", "medium", "fail", RENEW, "share 0.1",
         "Fix ENV-002.", "2027-02-25", "pass", "was pass"),
    ]


def test_resolved_findings(month):
    assert rows(month.resolved_findings, SECTION_COLUMNS["resolved_findings"]) == [
        ("S004", "Delta Textiles SA", "SOC-001", "critical", "fail", LABOUR, "open finding",
         "2026-11-26", "waived", "now waived"),
        ("S001", "Alpha Metals GmbH", "ENV-002", "medium", "warn", RENEW, "share 0.45",
         "2027-01-25", "pass", "now pass"),
    ]


def test_changed_findings_status_or_severity(month):
    # Ordered by the new severity and status; S003/ENV-002 (unchanged warn) is not listed.
    assert rows(month.changed_findings, SECTION_COLUMNS["changed_findings"]) == [
        ("S003", '=HYPERLINK("http://example.com","x")', "ENV-001", ISO, "fail", "fail", "high",
         "critical", "+no certificate", "+no certificate", "2026-12-27"),
        ("S002", "Beta Plastics Ltd", "ENV-001", ISO, "warn", "fail", "high", "high",
         "expires in 45 days", "expired 2026-11-10", "2027-01-26"),
    ]


def test_grade_and_score_changes(month):
    assert rows(month.grade_changes, SECTION_COLUMNS["grade_changes"]) == [
        ("S002", "Beta Plastics Ltd", "B", "C", 72.8, 55.0, -17.8, "worse"),
        ("S004", "Delta Textiles SA", "D", "A", 75.0, 100.0, 25.0, "better"),
        ("S001", "Alpha Metals GmbH", "A", "A", 91.2, 100.0, 8.8, "same"),
    ]
    assert month.suppliers_added.empty and month.suppliers_removed.empty
    assert month.counts() == {"new_findings": 1, "resolved_findings": 2, "changed_findings": 2,
                              "grade_changes": 3, "suppliers_added": 0, "suppliers_removed": 0}


def test_same_report_twice_has_no_changes():
    same = diff_documents(NOVEMBER, copy.deepcopy(NOVEMBER))
    assert set(same.counts().values()) == {0}


def test_suppliers_added_and_removed_and_new_rules():
    new = copy.deepcopy(NOVEMBER)
    new["suppliers"] = [s for s in new["suppliers"] if s["supplier_id"] != "S001"] + [
        supplier("S005", None, None, "N/A", [result("ENV-001", "n/a", 0, 0)]),
        supplier("S006", "Zeta Logistics", 40.0, "C", [
            result("ENV-001", "pass", 10, 10), result("CBAM-001", "missing", 0, 2)]),
    ]
    new["suppliers"][2]["results"].append(result("CBAM-001", "missing", 0, 2, "no data"))
    new["findings"] += [
        finding("S004", "CBAM-001", "low", "missing", "Embedded emissions", "no data",
                "2027-05-26"),
        finding("S006", "CBAM-001", "low", "missing", "Embedded emissions", "", "2027-05-26"),
    ]
    old = copy.deepcopy(OCTOBER)
    old["findings"].append(finding("S001", "ENV-001", "info", "warn", ISO, "renew soon",
                                   "2027-10-27"))
    changes = diff_documents(old, new)
    assert rows(changes.suppliers_added, SECTION_COLUMNS["suppliers_added"]) == [
        ("S005", None, None, "N/A", 0), ("S006", "Zeta Logistics", 40.0, "C", 1)]
    assert rows(changes.suppliers_removed, SECTION_COLUMNS["suppliers_removed"]) == [
        ("S001", "Alpha Metals GmbH", 91.2, "A", 2)]
    assert rows(changes.new_findings, ["supplier_id", "rule_id", "previous_status", "change"]) == [
        ("S002", "ENV-002", "pass", "was pass"),
        ("S004", "CBAM-001", None, "rule added"),
        ("S006", "CBAM-001", None, "supplier added"),
    ]
    assert rows(changes.resolved_findings, ["supplier_id", "rule_id", "current_status",
                                            "change"]) == [
        ("S004", "SOC-001", "waived", "now waived"),
        ("S001", "ENV-002", None, "supplier removed"),
        ("S001", "ENV-001", None, "supplier removed"),
    ]
    assert rows(changes.grade_changes, ["supplier_id", "direction"]) == [
        ("S002", "worse"), ("S004", "better")]


def test_text_output(month):
    assert format_text(month) == (
        "Changes from OLD (as of 2026-10-27) to NEW (as of 2026-11-27)\n"
        "1 new findings, 2 resolved findings, 2 changed findings, 3 grade and score changes, "
        "0 suppliers added, 0 suppliers removed\n"
        "\n"
        "New findings (1)\n"
        "  medium   fail    S002 (Beta Plastics Ltd)  ENV-002  Renewable electricity share: "
        "share 0.1  [was pass]\n"
        "\n"
        "Resolved findings (2)\n"
        "  critical fail    S004 (Delta Textiles SA)  SOC-001  No forced labour findings: "
        "open finding  [now waived]\n"
        "  medium   warn    S001 (Alpha Metals GmbH)  ENV-002  Renewable electricity share: "
        "share 0.45  [now pass]\n"
        "\n"
        "Changed findings (2)\n"
        '  S003 (=HYPERLINK("http://example.com","x"))  ENV-001  Valid ISO 14001 certificate: '
        "status fail -> fail, severity high -> critical\n"
        "  S002 (Beta Plastics Ltd)  ENV-001  Valid ISO 14001 certificate: "
        "status warn -> fail, severity high\n"
        "\n"
        "Grade and score changes (3)\n"
        "  S002 (Beta Plastics Ltd)  B 72.8 -> C 55.0  (-17.8, worse)\n"
        "  S004 (Delta Textiles SA)  D 75.0 -> A 100.0  (+25.0, better)\n"
        "  S001 (Alpha Metals GmbH)  A 91.2 -> A 100.0  (+8.8, same)\n"
        "\n"
        "Suppliers added (0)\n"
        "  (none)\n"
        "\n"
        "Suppliers removed (0)\n"
        "  (none)\n"
    )


def test_text_output_keeps_each_entry_on_one_line():
    new = copy.deepcopy(NOVEMBER)
    new["findings"][2]["message"] = "line one\nline two\x1b[31m red"
    text = format_text(diff_documents(OCTOBER, new))
    assert ("  medium   fail    S002 (Beta Plastics Ltd)  ENV-002  Renewable electricity share: "
            "line one line two\\x1b[31m red  [was pass]\n") in text
    assert "\x1b" not in text


def test_json_document(month):
    document = diff_document(month)
    assert document["old"] == {"path": "OLD", "schema_version": "1.0", "as_of": "2026-10-27",
                               "generated_at": "2026-10-27T06:00:00Z"}
    assert document["summary"] == month.counts()
    assert document["new_findings"] == [{
        "supplier_id": "S002", "name": "Beta Plastics Ltd", "rule_id": "ENV-002",
        "severity": "medium", "status": "fail", "title": RENEW, "message": "share 0.1",
        "remediation": "Fix ENV-002.", "due": "2027-02-25", "previous_status": "pass",
        "change": "was pass"}]
    assert document["grade_changes"][0] == {
        "supplier_id": "S002", "name": "Beta Plastics Ltd", "old_grade": "B", "new_grade": "C",
        "old_score": 72.8, "new_score": 55.0, "score_change": -17.8, "direction": "worse"}
    assert list(document) == ["diff_schema_version", "tool", "old", "new", "summary",
                              "new_findings", "resolved_findings", "changed_findings",
                              "grade_changes", "suppliers_added", "suppliers_removed"]
    json.dumps(document, allow_nan=False)  # plain JSON: no NaN, no numpy scalars


def test_write_diff_files(month, tmp_path: Path):
    written = write_diff(month, tmp_path / "out")
    assert written == [tmp_path / "out" / "diff.xlsx", tmp_path / "out" / "diff.json"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["diff.json", "diff.xlsx"]
    assert json.loads(written[1].read_text(encoding="utf-8")) == diff_document(month)
    book = openpyxl.load_workbook(written[0])
    assert book.sheetnames == ["Summary", "New Findings", "Resolved Findings",
                               "Changed Findings", "Grade Changes", "Suppliers Added",
                               "Suppliers Removed"]
    summary = [tuple(r) for r in book["Summary"].iter_rows(values_only=True)]
    assert summary == [
        ("item", "value"), ("old report", "OLD"), ("old as of", "2026-10-27"),
        ("new report", "NEW"), ("new as of", "2026-11-27"), ("new findings", 1),
        ("resolved findings", 2), ("changed findings", 2), ("grade and score changes", 3),
        ("suppliers added", 0), ("suppliers removed", 0)]
    changed = book["Changed Findings"]
    assert [c.value for c in changed[1]] == list(SECTION_COLUMNS["changed_findings"])
    hostile = changed["B2"]
    assert hostile.value == '=HYPERLINK("http://example.com","x")'
    assert hostile.data_type == "s"  # text, never a formula
    assert changed["I2"].value == "+no certificate" and changed["I2"].data_type == "s"
    assert changed.freeze_panes == "A2"
    assert changed.auto_filter.ref == "A1:K3"
    grades = [tuple(r) for r in book["Grade Changes"].iter_rows(min_row=2, values_only=True)]
    assert grades == [("S002", "Beta Plastics Ltd", "B", "C", 72.8, 55, -17.8, "worse"),
                      ("S004", "Delta Textiles SA", "D", "A", 75, 100, 25, "better"),
                      ("S001", "Alpha Metals GmbH", "A", "A", 91.2, 100, 8.8, "same")]
    new = [tuple(r) for r in book["New Findings"].iter_rows(min_row=2, values_only=True)]
    assert new[0][:8] == ("S002", "Beta Plastics Ltd", "ENV-002", "medium", "fail", RENEW,
                          "share 0.1", "Fix ENV-002.")
    assert new[0][8].date().isoformat() == "2027-02-25"
    assert [c.value for c in book["Suppliers Added"][1]] == ["supplier_id", "name", "score",
                                                             "grade", "findings"]
    assert book["Suppliers Added"].max_row == 1


def test_reads_what_the_json_writer_writes(tmp_path: Path):
    """The real report.json of the fixture audit, against itself with one finding resolved."""
    path = tmp_path / "report.json"
    write_json(audit_result(), path)
    old = read_report(path)
    assert old.as_of == "2026-11-27"
    assert len(old.suppliers) == 6 and len(old.findings) == 9 and len(old.results) == 30
    document = json.loads(path.read_text(encoding="utf-8"))
    document["findings"] = [f for f in document["findings"]
                            if (f["supplier_id"], f["rule_id"]) != ("S003", "ENV-001")]
    s003 = next(s for s in document["suppliers"] if s["supplier_id"] == "S003")
    s003["results"][0]["status"] = "pass"
    changes = diff_documents(json.loads(path.read_text(encoding="utf-8")), document)
    assert rows(changes.resolved_findings, ["supplier_id", "rule_id", "name", "change"]) == [
        ("S003", "ENV-001", '=HYPERLINK("http://example.com","x")', "now pass")]
    assert changes.counts()["new_findings"] == 0
    assert changes.counts()["grade_changes"] == 0


@pytest.mark.parametrize(("content", "message"), [
    (None, "file not found"),
    ("", "not JSON: Expecting value at column 1"),
    ("{\n  'a': 1}", "not JSON: Expecting property name enclosed in double quotes at column 3"),
    ("[1, 2]", "not a report.json (it has no schema_version)"),
    ('{"suppliers": [], "findings": []}', "not a report.json (it has no schema_version)"),
    ('{"schema_version": "1.0", "findings": []}', "not a report.json: 'suppliers' is not a list"),
    ('{"schema_version": "1.0", "suppliers": [], "findings": [3]}',
     "not a report.json: findings[0] is not an object"),
    ('{"schema_version": "1.0", "suppliers": [{"name": "x"}], "findings": []}',
     "not a report.json: suppliers[0] has no supplier_id"),
    ('{"schema_version": "1.0", "suppliers": [], "findings": [{"supplier_id": "S1"}]}',
     "not a report.json: findings[0] has no supplier_id or rule_id"),
    ('{"schema_version": "1.0", "suppliers": [{"supplier_id": "S1"}, {"supplier_id": "S1"}],'
     ' "findings": []}', "not a report.json: suppliers lists S1 twice"),
])
def test_unreadable_reports_are_input_errors(tmp_path: Path, content, message):
    path = tmp_path / "old.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_report(path)
    assert caught.value.message == message
    assert caught.value.location.file == str(path)


def test_folder_and_non_utf8_are_input_errors(tmp_path: Path):
    with pytest.raises(InputFileError, match="is a folder, not a report.json file"):
        read_report(tmp_path)
    binary = tmp_path / "report.xlsx"
    binary.write_bytes(b"PK\x03\x04\xff\xfe")
    with pytest.raises(InputFileError, match="not JSON: the file is not UTF-8 text"):
        read_report(binary)


def test_audit_report_counts_findings_per_supplier():
    parsed = audit_report(OCTOBER, "oct.json")
    assert parsed.path == "oct.json" and parsed.schema_version == "1.0"
    assert list(parsed.suppliers["findings"]) == [1, 1, 2, 1]
    assert len(parsed.results) == 12


# --- reports of schema 1.0 and 2.0 ---------------------------------------------------------------

SAMPLE_1_0 = Path(__file__).parent / "data" / "sample-report-1.0.json"
SAMPLE_WORKBOOK = Path(__file__).resolve().parents[2] / "sample_data" / "supplier_survey.xlsx"


def test_a_1_0_report_diffs_against_a_2_0_report_of_the_same_audit(tmp_path):
    """sample-report-1.0.json is what esg-audit wrote (schema 1.0) for sample_data before
    report.json became schema 2.0. The same audit now, in 2.0, differs from it in nothing."""
    # The cbam pack of that time (one rule on a declared total, before the pack checked CBAM
    # goods one by one) with today's other packs: the same rules as the 1.0 report.
    rules = tmp_path / "rules"
    rules.mkdir()
    for pack in default_rules_path().glob("*.yaml"):
        if pack.name != "cbam.yaml":
            shutil.copyfile(pack, rules / pack.name)
    shutil.copyfile(Path(__file__).parent / "data" / "cbam-before-goods.yaml", rules / "cbam.yaml")
    outcome = CliRunner().invoke(cli, [
        "check", str(SAMPLE_WORKBOOK), "--as-of", "2026-11-27", "--format", "json",
        "--out", str(tmp_path / "out"), "--rules", str(rules),
    ])
    assert outcome.exit_code == 0, outcome.stderr
    tmp_path = tmp_path / "out"
    old_document = json.loads(SAMPLE_1_0.read_text(encoding="utf-8"))
    new_document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert (old_document["schema_version"], new_document["schema_version"]) == ("1.0", "2.0")
    assert new_document["findings"] == old_document["findings"]

    changes = compare_files(SAMPLE_1_0, tmp_path / "report.json")
    assert changes.counts() == {name: 0 for name, _, _ in SECTIONS}
    assert (changes.old.schema_version, changes.new.schema_version) == ("1.0", "2.0")
    assert len(changes.old.results) == len(changes.new.results) == 40 * 32
    assert changes.old.results.values.tolist() == changes.new.results.values.tolist()

    # Both ways round, and with a real change: one supplier's finding resolved in 2.0.
    resolved = copy.deepcopy(new_document)
    gone = resolved["findings"].pop(0)
    supplier = next(s for s in resolved["suppliers"] if s["supplier_id"] == gone["supplier_id"])
    result = next(r for r in supplier["results"] if r["rule_id"] == gone["rule_id"])
    result.update(status="pass", points=result["max_points"])
    result.pop("message", None)
    forward = diff_documents(old_document, resolved)
    assert forward.counts()["resolved_findings"] == 1
    assert forward.resolved_findings[["supplier_id", "rule_id", "current_status"]].values.tolist() == [
        [gone["supplier_id"], gone["rule_id"], "pass"],
    ]
    backward = diff_documents(resolved, old_document)
    assert backward.counts()["new_findings"] == 1
    assert backward.new_findings["previous_status"].tolist() == ["pass"]


def test_a_report_of_an_unknown_schema_is_refused(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps({**OCTOBER, "schema_version": "3.0"}), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"schema_version 3.0 is not one this esg-audit reads \(1.x, 2.x\)"):
        read_report(path)

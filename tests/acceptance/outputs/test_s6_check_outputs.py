"""SPEC §6: `check` writes its reports into DIR with the exact names, atomically; inputs untouched."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.acceptance.outputs.helpers import AS_OF, invoke, read_json  # type: ignore[import-not-found]

REPO = Path(__file__).resolve().parents[3]


def test_default_formats_are_xlsx_and_json_in_a_created_folder(audit, tmp_path):
    out = tmp_path / "deep" / "er" / "reports"
    result, _ = audit(out=out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.xlsx"]


def test_every_format_has_its_exact_file_name(audit):
    result, out = audit("--format", "xlsx,json,csv,html")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "report.html", "report.json", "report.xlsx",
    ]


@pytest.mark.parametrize(
    ("formats", "names"),
    [("json", ["report.json"]), ("csv", ["findings.csv"]), ("html", ["report.html"]),
     ("xlsx", ["report.xlsx"]), ("csv,json", ["findings.csv", "report.json"])],
)
def test_only_the_requested_formats_are_written(audit, formats, names):
    result, out = audit("--format", formats)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == names


def test_rules_default_to_the_shipped_packs(tmp_path, workbook):
    out = tmp_path / "out"
    result = invoke("check", workbook, "--as-of", AS_OF, "--out", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    shipped = sorted(
        yaml.safe_load(p.read_text(encoding="utf-8"))["pack"]
        for p in (REPO / "rules").glob("*.y*ml")
    )
    report = read_json(out / "report.json")
    assert sorted(p["pack"] for p in report["audit"]["rule_packs"]) == shipped
    for pack in report["audit"]["rule_packs"]:
        source = next(
            p for p in (REPO / "rules").glob("*.y*ml")
            if yaml.safe_load(p.read_text(encoding="utf-8"))["pack"] == pack["pack"]
        )
        assert pack["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()


def test_as_of_defaults_to_today(tmp_path, workbook, rules_file):
    out = tmp_path / "out"
    result = invoke("check", workbook, "--rules", rules_file, "--out", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert read_json(out / "report.json")["audit"]["as_of"] == date.today().isoformat()


def test_existing_reports_are_replaced_whole_and_no_temporary_file_is_left(audit, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    junk = "x" * 2_000_000
    for name in ("report.json", "report.xlsx", "findings.csv", "report.html"):
        (out / name).write_text(junk, encoding="utf-8")
    result, _ = audit("--format", "xlsx,json,csv,html")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv", "report.html", "report.json", "report.xlsx",
    ]
    report = read_json(out / "report.json")  # parses: nothing of the old file is left
    assert report["summary"]["suppliers"] == 4
    for name in ("report.xlsx", "findings.csv", "report.html"):
        assert "xxxxxxxxxx" not in (out / name).read_bytes().decode("latin-1")


def test_an_interrupted_write_leaves_the_previous_report(audit, tmp_path, monkeypatch):
    from esg_audit.reports import json_report

    first, out = audit("--format", "json")
    assert first.exit_code == 0
    before = (out / "report.json").read_bytes()

    def broken(result):
        yield "{\n  \"half\": "
        raise KeyboardInterrupt

    monkeypatch.setattr(json_report, "_render", broken)
    second, _ = audit("--format", "json", "--as-of", "2027-01-01")
    assert second.exit_code != 0
    assert (out / "report.json").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["report.json"]


def test_input_files_are_never_modified(audit, workbook, rules_file, tmp_path):
    csv = tmp_path / "more.csv"
    csv.write_text("supplier_id,name,country\nS9,Nine,DE\n", encoding="utf-8")
    paths = [workbook, rules_file, csv]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    result = invoke("check", workbook, csv, "--rules", rules_file, "--as-of", AS_OF,
                    "--out", tmp_path / "out", "--format", "xlsx,json,csv,html")
    assert result.exit_code == 0, result.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "more.csv", "out", "rules.yaml", "suppliers.xlsx",
    ]


def test_messages_go_to_stderr_and_stdout_stays_clean(audit):
    result, out = audit("--format", "json")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "audited 4 suppliers (A 1, B 1, C 0, D 2, N/A 0); 8 findings, 0 data issues; "
        f"wrote {out / 'report.json'}\n"
    )


def test_input_files_are_listed_with_sha256_and_rows(audit, workbook):
    result, out = audit("--format", "json")
    inputs = read_json(out / "report.json")["audit"]["inputs"]
    assert inputs == [{
        "path": str(workbook),
        "sha256": hashlib.sha256(workbook.read_bytes()).hexdigest(),
        "rows": 6,  # 4 Suppliers rows and 2 Certificates rows below the headers
    }]
    assert json.dumps(inputs)  # plain JSON values


def test_findings_csv_is_the_flagged_risk_list(audit):
    result, out = audit("--format", "csv")
    assert result.exit_code == 0, result.stderr
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "supplier_id,name,rule_id,severity,status,title,message,remediation,due"
    assert lines[1] == (
        "S3,\"'=HYPERLINK(\"\"http://x\"\")\",GOV-001,critical,fail,Country disclosed,"
        "not reported: country,Disclose the country.,2026-12-27"
    )
    assert len(lines) == 1 + 8 + 1 and lines[-1] == ""

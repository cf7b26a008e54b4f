"""findings.csv: golden file, encoding, order, and formula neutralisation."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest

from esg_audit.reports.cells import neutralise_for_csv, starts_like_formula
from esg_audit.reports.findings_csv import COLUMNS, findings_table, write_findings_csv
from tests.reports.fixtures import HYPERLINK_NAME, audit_result

GOLDEN = Path(__file__).parent / "golden" / "findings.csv"


def written(tmp_path: Path, result=None) -> bytes:
    path = tmp_path / "findings.csv"
    write_findings_csv(result if result is not None else audit_result(), path)
    return path.read_bytes()


def parsed(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_matches_golden_file(tmp_path):
    assert written(tmp_path) == GOLDEN.read_bytes()


def test_utf8_with_bom_crlf_and_header(tmp_path):
    data = written(tmp_path)
    assert data.startswith(b"\xef\xbb\xbfsupplier_id,name,rule_id,")
    assert data.count(b"\r\n") == 10 and data.count(b"\n") == 10  # header + 9 findings
    assert parsed(data)[0] == list(COLUMNS) == [
        "supplier_id", "name", "rule_id", "severity", "status", "title", "message",
        "remediation", "due",
    ]


def test_findings_in_report_order_with_iso_due_dates(tmp_path):
    table = parsed(written(tmp_path))[1:]
    assert [(r[0], r[2], r[3], r[4], r[8]) for r in table] == [
        ("S004", "SOC-001", "critical", "fail", "2026-12-27"),
        ("S003", "ENV-001", "high", "fail", "2027-01-26"),
        ("S002", "ENV-001", "high", "warn", "2027-01-26"),
        ("S006", "ENV-002", "medium", "fail", "2027-02-25"),
        ("S003", "ENV-002", "medium", "warn", "2027-02-25"),
        ("S003", "CBAM-001", "low", "missing", "2027-05-26"),
        ("S001", "CBAM-001", "low", "warn", "2027-05-26"),
        ("S002", "GOV-001", "info", "missing", "2027-11-27"),
        ("S006", "GOV-001", "info", "warn", "2027-11-27"),
    ]


def test_formula_like_text_is_neutralised(tmp_path):
    table = parsed(written(tmp_path))[1:]
    assert table[1][1] == "'" + HYPERLINK_NAME
    assert table[1][6] == "'+no valid ISO 14001 certificate"
    assert table[5][6] == "'@cbam_embedded_tco2e is missing"
    assert table[6][6] == "'-12% embedded emissions versus last year, report incomplete"
    # Ordinary text is untouched.
    assert table[0][1] == "Delta Textiles SA"
    assert table[2][6] == "ISO 14001 certificate expires in 45 days (2027-01-11)"


def test_missing_text_is_an_empty_field_and_tab_or_cr_prefixes_are_neutralised(tmp_path):
    full = audit_result()
    findings = full.findings.copy()
    findings["name"] = findings["name"].astype(object)
    findings.loc[0, "name"] = None
    findings.loc[1, "message"] = "\tcmd"
    findings.loc[2, "message"] = "\r=1+1"
    table = parsed(written(tmp_path, dataclasses.replace(full, findings=findings)))[1:]
    assert table[0][1] == ""
    assert table[1][6] == "'\tcmd"
    assert table[2][6] == "'\r=1+1"


def test_no_findings_gives_the_header_only(tmp_path):
    full = audit_result()
    data = written(tmp_path, dataclasses.replace(full, findings=full.findings.iloc[:0]))
    assert data == "\ufeff".encode() + b",".join(c.encode() for c in COLUMNS) + b"\r\n"


def test_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "findings.csv"
    path.write_bytes(b"old")
    from esg_audit.reports import findings_csv

    def broken(result):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(findings_csv, "neutralise_for_csv", broken)
    with pytest.raises(RuntimeError):
        write_findings_csv(audit_result(), path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["findings.csv"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        (" =x", " =x"),
        ("", ""),
    ],
)
def test_neutralise_for_csv(text, expected):
    assert neutralise_for_csv(pd.Series([text])).tolist() == [expected]


def test_neutralise_keeps_missing_and_index():
    values = pd.Series(["=x", None, "ok"], index=[5, 6, 7], dtype=object)
    result = neutralise_for_csv(values)
    assert result.index.tolist() == [5, 6, 7]
    assert result[5] == "'=x" and pd.isna(result[6]) and result[7] == "ok"


def test_starts_like_formula_xlsx_prefixes_exclude_tab():
    values = pd.Series(["=a", "+a", "-a", "@a", "\ta", "a", None])
    assert starts_like_formula(values).tolist() == [True, True, True, True, False, False, False]


AWKWARD_TEXTS = [
    "plain", "", None, "a,b", 'say "no"', '"', "line\nbreak", "cr\rhere", "crlf\r\nend",
    "\ttab first", "tab\tinside", " =lead space", "=1+1", "+49", "-5", "@SUM(A1)",
    "Zhōngshān 中山", "trailing space ", "'already quoted", ",", '""', "😀 emoji",
]


def test_column_wise_writer_matches_pandas_to_csv_on_awkward_text(tmp_path):
    full = audit_result()
    findings = pd.concat([full.findings] * 3, ignore_index=True)
    for k, column in enumerate(COLUMNS[:-1]):
        texts = AWKWARD_TEXTS[k:] + AWKWARD_TEXTS[:k]
        findings[column] = pd.Series(
            [texts[i % len(texts)] for i in range(len(findings))], dtype=object
        )
    findings.loc[4, "due"] = None
    result = dataclasses.replace(full, findings=findings)
    expected = "\ufeff" + findings_table(result).to_csv(
        index=False, lineterminator="\r\n", na_rep=""
    )
    assert written(tmp_path, result) == expected.encode()
    rows = parsed(written(tmp_path, result))[1:]
    assert [r[6] for r in rows[:4]] == ["line\nbreak", "cr\rhere", "crlf\r\nend", "'\ttab first"]
    assert rows[4][8] == ""


def test_column_wise_writer_matches_pandas_across_chunks(tmp_path, monkeypatch):
    from esg_audit.reports import findings_csv

    monkeypatch.setattr(findings_csv, "CHUNK_LINES", 4)
    result = audit_result()
    expected = "\ufeff" + findings_table(result).to_csv(
        index=False, lineterminator="\r\n", na_rep=""
    )
    assert written(tmp_path, result) == expected.encode() == GOLDEN.read_bytes()

"""SPEC §6 report.json: exact content, its JSON Schema, determinism, and the fast writer."""

from __future__ import annotations

import copy
import io
import json
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from esg_audit.model import STATUSES, DataIssue, EncodedTexts, InputFile, Note
from esg_audit.reports import json_report, pieces, write_reports
from esg_audit.reports.json_report import (
    REPORT_SCHEMA_PATH,
    build_report,
    dumps_report,
    reproducible_command,
    write_json,
)

SCHEMA = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def _write_and_read(result, tmp_path: Path, name: str = "report.json") -> tuple[str, dict]:
    path = tmp_path / name
    write_json(result, path)
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    VALIDATOR.validate(document)
    return text, document


@pytest.fixture
def small(audit):
    rules = [
        audit.rule(
            "ENV-001",
            title="Valid ISO 14001 certificate",
            severity="high",
            weight=10,
            knockout=True,
            remediation="Certify the site to ISO 14001.",
            references=("ISO 14001:2015",),
        ),
        audit.rule(
            "SOC-001",
            title="Code of conduct",
            severity="medium",
            pillar="social",
            on_missing="warn",
            remediation="Sign the code.",
        ),
    ]
    data = audit.data(
        ["S-1", "S-2", "S-3"],
        names=["Müller GmbH", '=HYPERLINK("http://example.com","x")', None],
        data_issues=(
            DataIssue("b.xlsx", "Suppliers", 9, "Country", "XX", "not an ISO 3166-1 alpha-2 code"),
            DataIssue("a.xlsx", "Suppliers", 12, "Spend", "-5", "below 0"),
            DataIssue("a.xlsx", "Suppliers", 4, None, None, "no supplier_id"),
        ),
        notes=(Note("a.xlsx", "Suppliers", "Renewable %", "read as percent"),),
        supplier_rows=4,
        inputs=(InputFile("a.xlsx", "a" * 64, 3), InputFile("b.xlsx", "b" * 64, 1)),
    )
    statuses = {
        "S-1": {"ENV-001": "pass", "SOC-001": "warn"},
        "S-2": {"ENV-001": "fail", "SOC-001": "missing"},
        "S-3": {"ENV-001": "n/a", "SOC-001": "fail"},
    }
    messages = {
        ("S-2", "ENV-001"): '+no valid certificate; "ISO 14001" expired',
        ("S-1", "ENV-001"): "",  # the check said nothing specific: no message
        ("S-3", "ENV-001"): "",
    }
    waivers = [
        audit.waiver("S-3", "SOC-001"),
        audit.waiver("S-1", "ENV-001", expires=date(2026, 1, 31)),
        audit.waiver("S-9", "ENV-001"),
    ]
    return audit.score(rules, statuses, data=data, messages=messages, waivers=waivers)


GOLDEN = {
    "schema_version": "2.0",
    "tool": {"name": "esg-audit", "version": "0.1.0"},
    "audit": {
        "as_of": "2026-11-27",
        "generated_at": "2026-11-27T09:30:00Z",
        "inputs": [
            {"path": "a.xlsx", "sha256": "a" * 64, "rows": 3},
            {"path": "b.xlsx", "sha256": "b" * 64, "rows": 1},
        ],
        "rule_packs": [{"pack": "baseline", "version": "2026.11", "sha256": "ab" * 32}],
        "waivers": {"path": "waivers.yaml", "sha256": "ef" * 32},
        "command": "esg-audit check suppliers.xlsx --as-of 2026-11-27",
    },
    "summary": {
        "suppliers": 4,
        "audited": 3,
        "by_grade": {"A": 0, "B": 1, "C": 0, "D": 1, "N/A": 1},
        "findings_by_severity": {"critical": 0, "high": 1, "medium": 2, "low": 0, "info": 0},
        "data_issues": 3,
        "spend_by_grade": {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0, "N/A": 0.0, "unknown": 3},
        # S-2 fails the knockout ENV-001 and gave no spend: counted apart, not as zero.
        "knockout_spend": {"spend": 0.0, "suppliers": 1, "unknown": 1},
    },
    "rules": [
        {
            "rule_id": "ENV-001",
            "title": "Valid ISO 14001 certificate",
            "pack": "baseline",
            "pillar": "environment",
            "severity": "high",
            "weight": 10.0,
            "applies_to": None,
            "references": ["ISO 14001:2015"],
        },
        {
            "rule_id": "SOC-001",
            "title": "Code of conduct",
            "pack": "baseline",
            "pillar": "social",
            "severity": "medium",
            "weight": 1.0,
            "applies_to": None,
            "references": [],
        },
    ],
    "suppliers": [
        {
            "supplier_id": "S-1",
            "name": "Müller GmbH",
            "score": 75.0,
            "grade": "B",
            "pillars": {"environment": 100.0, "social": 50.0},
            "knockout": False,
            "results": [
                {"rule_id": "ENV-001", "status": "pass", "points": 10.0, "max_points": 10.0},
                {
                    "rule_id": "SOC-001",
                    "status": "warn",
                    "points": 0.5,
                    "max_points": 1.0,
                    "message": "S-1/SOC-001 is warn",
                },
            ],
        },
        {
            "supplier_id": "S-2",
            "name": '=HYPERLINK("http://example.com","x")',
            "score": 25.0,
            "grade": "D",
            "pillars": {"environment": 0.0, "social": 50.0},
            "knockout": True,
            "results": [
                {
                    "rule_id": "ENV-001",
                    "status": "fail",
                    "points": 0.0,
                    "max_points": 10.0,
                    "message": '+no valid certificate; "ISO 14001" expired',
                },
                {
                    "rule_id": "SOC-001",
                    "status": "missing",
                    "points": 0.5,
                    "max_points": 1.0,
                    "message": "S-2/SOC-001 is missing",
                },
            ],
        },
        {
            "supplier_id": "S-3",
            "name": None,
            "score": None,
            "grade": "N/A",
            "pillars": {"environment": None, "social": None},
            "knockout": False,
            "results": [
                {"rule_id": "ENV-001", "status": "n/a", "points": 0.0, "max_points": 0.0},
                {
                    "rule_id": "SOC-001",
                    "status": "waived",
                    "points": 0.0,
                    "max_points": 0.0,
                    "message": "S-3/SOC-001 is fail",
                },
            ],
        },
    ],
    "findings": [
        {
            "supplier_id": "S-2",
            "rule_id": "ENV-001",
            "severity": "high",
            "status": "fail",
            "title": "Valid ISO 14001 certificate",
            "message": '+no valid certificate; "ISO 14001" expired',
            "remediation": "Certify the site to ISO 14001.",
            "due": "2027-01-26",
        },
        {
            "supplier_id": "S-2",
            "rule_id": "SOC-001",
            "severity": "medium",
            "status": "missing",
            "title": "Code of conduct",
            "message": "S-2/SOC-001 is missing",
            "remediation": "Sign the code.",
            "due": "2027-02-25",
        },
        {
            "supplier_id": "S-1",
            "rule_id": "SOC-001",
            "severity": "medium",
            "status": "warn",
            "title": "Code of conduct",
            "message": "S-1/SOC-001 is warn",
            "remediation": "Sign the code.",
            "due": "2027-02-25",
        },
    ],
    "data_issues": [
        {
            "file": "a.xlsx",
            "sheet": "Suppliers",
            "row": 4,
            "column": None,
            "value": None,
            "problem": "no supplier_id",
        },
        {
            "file": "a.xlsx",
            "sheet": "Suppliers",
            "row": 12,
            "column": "Spend",
            "value": "-5",
            "problem": "below 0",
        },
        {
            "file": "b.xlsx",
            "sheet": "Suppliers",
            "row": 9,
            "column": "Country",
            "value": "XX",
            "problem": "not an ISO 3166-1 alpha-2 code",
        },
    ],
    "notes": [
        {
            "file": "a.xlsx",
            "sheet": "Suppliers",
            "column": "Renewable %",
            "note": "read as percent",
        },
    ],
    "waivers": {
        "applied": [
            {
                "supplier_id": "S-3",
                "rule_id": "SOC-001",
                "reason": "reason SOC-001",
                "approved_by": "Head of Procurement",
                "expires": "2026-12-31",
            },
        ],
        "expired": [
            {
                "supplier_id": "S-1",
                "rule_id": "ENV-001",
                "reason": "reason ENV-001",
                "approved_by": "Head of Procurement",
                "expires": "2026-01-31",
            },
        ],
        "unmatched": [
            {
                "supplier_id": "S-9",
                "rule_id": "ENV-001",
                "reason": "reason ENV-001",
                "approved_by": "Head of Procurement",
                "expires": "2026-12-31",
            },
        ],
    },
}


def test_golden_report(small, tmp_path):
    assert build_report(small) == GOLDEN
    text, document = _write_and_read(small, tmp_path)
    assert document == GOLDEN
    assert list(document) == list(GOLDEN)  # key order as documented
    assert text == dumps_report(GOLDEN)
    assert '"name":"Müller GmbH"' in text  # UTF-8, not \u escapes
    VALIDATOR.validate(GOLDEN)


def test_layout_short_parts_indented_long_lists_one_item_per_line(small, tmp_path):
    text, _ = _write_and_read(small, tmp_path)
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "schema_version": "2.0",', '  "tool": {']
    start = lines.index('  "suppliers": [')
    assert lines[start + 1] == (
        '{"supplier_id":"S-1","name":"Müller GmbH","score":75.0,"grade":"B",'
        '"pillars":{"environment":100.0,"social":50.0},"knockout":false,"results":['
        '{"rule_id":"ENV-001","status":"pass","points":10.0,"max_points":10.0},'
        '{"rule_id":"SOC-001","status":"warn","points":0.5,"max_points":1.0,'
        '"message":"S-1/SOC-001 is warn"}]},'
    )
    assert lines[start + 4] == "  ],"
    rules = lines.index('  "rules": [')
    assert lines[rules + 2] == (
        '{"rule_id":"SOC-001","title":"Code of conduct","pack":"baseline",'
        '"pillar":"social","severity":"medium","weight":1.0,"applies_to":null,"references":[]}'
    )
    findings = lines.index('  "findings": [')
    assert lines[findings + 1] == (
        '{"supplier_id":"S-2","rule_id":"ENV-001","severity":"high","status":"fail",'
        '"title":"Valid ISO 14001 certificate","message":"+no valid certificate; \\"ISO 14001\\"'
        ' expired","remediation":"Certify the site to ISO 14001.","due":"2027-01-26"},'
    )
    assert text.endswith("\n  }\n}\n")


def test_byte_identical_except_generated_at(small, tmp_path):
    later = replace(small, generated_at=datetime(2027, 3, 1, 17, 5, 9, 123456, tzinfo=timezone.utc))
    first, _ = _write_and_read(small, tmp_path, "first.json")
    second, document = _write_and_read(later, tmp_path, "second.json")
    assert document["audit"]["generated_at"] == "2027-03-01T17:05:09Z"
    assert first.replace("2026-11-27T09:30:00Z", "X") == second.replace("2027-03-01T17:05:09Z", "X")
    assert first != second


def test_generated_at_is_utc_with_z(small):
    plus_two = timezone(timedelta(hours=2))
    aware = replace(small, generated_at=datetime(2026, 11, 27, 11, 30, tzinfo=plus_two))
    naive = replace(small, generated_at=datetime(2026, 11, 27, 9, 30))
    assert build_report(aware)["audit"]["generated_at"] == "2026-11-27T09:30:00Z"
    assert build_report(naive)["audit"]["generated_at"] == "2026-11-27T09:30:00Z"


def test_no_waiver_file_gives_null(audit, tmp_path):
    result = audit.score([audit.rule("R")], {"S": {"R": "pass"}})
    _, document = _write_and_read(result, tmp_path)
    assert document["audit"]["waivers"] is None
    assert document["waivers"] == {"applied": [], "expired": [], "unmatched": []}


def test_empty_audit(audit, tmp_path):
    result = audit.score([audit.rule("R")], {}, data=audit.data([]))
    text, document = _write_and_read(result, tmp_path)
    assert document["suppliers"] == [] and document["findings"] == []
    assert document["summary"]["by_grade"] == {"A": 0, "B": 0, "C": 0, "D": 0, "N/A": 0}
    assert text == dumps_report(build_report(result))
    no_rules = audit.score([], {"S": {}})
    text, document = _write_and_read(no_rules, tmp_path, "no_rules.json")
    assert document["suppliers"] == [
        {
            "supplier_id": "S",
            "name": "Name S",
            "score": None,
            "grade": "N/A",
            "pillars": {},
            "knockout": False,
            "results": [],
        }
    ]
    assert text == dumps_report(build_report(no_rules))


def test_fast_writer_equals_json_dumps_on_a_varied_audit(audit, tmp_path):
    """Random statuses, missing messages and names, odd text: the column-wise writer gives
    exactly dumps_report(build_report(...)), the item-by-item reference."""
    rng = np.random.default_rng(3)
    rules = [
        audit.rule(
            f"R-{j}",
            pillar=("environment", "social", "governança")[j % 3],
            severity=("info", "low", "medium", "high", "critical")[j % 5],
            weight=(1, 2.5, 0.3)[j % 3],
            on_missing=("fail", "warn", "skip")[j % 3],
            knockout=j == 4,
            title=f'Règle {j} "quoted"\n',
            remediation=f"Fix\t{j}",
        )
        for j in range(7)
    ]
    ids = [f"S-{i}" for i in range(60)]
    names = [None if i % 7 == 0 else f"名前 {i} \\ {chr(1)}" for i in range(60)]
    results = pd.DataFrame(
        {
            "supplier_id": np.repeat(ids, len(rules)),
            "rule_id": np.tile([r.id for r in rules], len(ids)),
            "status": np.array(STATUSES[:5])[rng.integers(0, 5, len(ids) * len(rules))],
            "message": [
                None if k % 11 == 0 else f'msg {k % 13} ✓ "x"' for k in range(len(ids) * len(rules))
            ],
        }
    ).astype({"supplier_id": "str", "rule_id": "str", "status": "str", "message": "str"})
    data = audit.data(ids, names=names)
    result = audit.score_frame(rules, results, data, pillars={"environment": 0.7})
    text, document = _write_and_read(result, tmp_path)
    assert text == dumps_report(build_report(result))
    assert sum(len(s["results"]) for s in document["suppliers"]) == len(ids) * len(rules)
    assert document["suppliers"][0]["name"] is None
    assert "message" not in document["suppliers"][0]["results"][0]
    assert len(document["findings"]) == len(result.findings)


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_fast_writer_across_chunks_and_every_kind_of_message_text(audit, tmp_path, monkeypatch, chunk):
    """Messages are encoded a chunk at a time in one call: plain ASCII, quotes, backslashes,
    control characters, a NUL, the text of an escaped NUL, non-ASCII and no message at all
    must each come out as json.dumps writes them, whatever the chunk boundaries."""
    monkeypatch.setattr(json_report, "CHUNK_SUPPLIERS", chunk)
    monkeypatch.setattr(json_report, "CHUNK_FINDINGS", chunk)
    odd = [
        "plain text", 'say "no"', "back\\slash", "tab\tand\nnewline", "nul\0inside",
        "\\u0000 as text", "Müller ✓ 名前", "=SUM(A1:A2)", "", "\x1f",
    ]  # fmt: skip
    rules = [audit.rule(f"R-{j}", on_missing=("fail", "warn")[j % 2]) for j in range(3)]
    ids = [f"S-{i}" for i in range(7)]
    statuses = ["pass", "fail", "warn", "missing", "n/a"]
    cells = [(i, j) for i in range(len(ids)) for j in range(len(rules))]
    results = pd.DataFrame(
        {
            "supplier_id": [ids[i] for i, _ in cells],
            "rule_id": [rules[j].id for _, j in cells],
            "status": [statuses[(i + 2 * j) % 5] for i, j in cells],
            "message": [None if (i + j) % 4 == 0 else odd[(i * 3 + j) % len(odd)] for i, j in cells],
        }
    ).astype("str")
    data = audit.data(ids)
    result = audit.score_frame(rules, results, data)
    for texts in (odd[:4], odd[4:6], odd):  # one chunk wholly plain ASCII, wholly escaped
        expected = [json.dumps(t, ensure_ascii=False)[1:-1] for t in texts]
        assert json_report._bodies(list(texts)) == expected
        assert json_report._bodies(pd.array(texts, dtype="str")) == expected  # Arrow
        assert json_report._bodies(np.array([*texts, None], dtype=object)) == [*expected, ""]
        assert json_report._bodies(pd.array([*texts, None], dtype="str")) == [*expected, ""]
    text, document = _write_and_read(result, tmp_path)
    assert text == dumps_report(build_report(result))
    messages = [r.get("message") for s in document["suppliers"] for r in s["results"]]
    assert "nul\0inside" in messages and "\\u0000 as text" in messages
    finding_messages = {f["message"] for f in document["findings"]}
    assert None in finding_messages and finding_messages <= {*odd, None}
    # Messages given as codes into their distinct texts (as evaluation gives them) are read
    # from there, each distinct text encoded once, to the same document.
    codes, distinct = pd.factorize(pd.Series(result.results.message_texts, dtype="str"))
    coded = replace(
        result.results,
        message_texts=EncodedTexts(codes.astype(np.int32),
                                   pa.array(list(distinct), pa.large_string())),
    )
    coded_text, _ = _write_and_read(replace(result, results=coded), tmp_path, "coded.json")
    assert coded_text == text
    assert len(document["findings"]) == len(result.findings) > 0


def test_write_json_is_atomic_and_leaves_no_temporary_file(small, tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    write_json(small, path)
    assert json.loads(path.read_text(encoding="utf-8")) == GOLDEN
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failed_write_raises_and_keeps_the_old_report(small, tmp_path, monkeypatch):
    """The file is written on a second thread: a failure there (a full disk) reaches the caller
    and the old report stays as it was, without a temporary file beside it."""
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")

    class FullDisk(io.BufferedWriter):
        writes = 0

        def write(self, data):  # type: ignore[override]
            FullDisk.writes += 1
            if FullDisk.writes == 3:
                raise OSError(28, "No space left on device")
            return super().write(data)

    real_open = open
    monkeypatch.setattr(
        pieces, "open", lambda file, mode: FullDisk(real_open(file, mode, buffering=0)),
        raising=False,
    )
    with pytest.raises(OSError, match="No space left"):
        write_json(small, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failed_rendering_stops_the_writing_thread(tmp_path):
    def chunks():
        yield b"{"
        raise ValueError("bad value")

    with (tmp_path / "out").open("wb") as handle, pytest.raises(ValueError, match="bad value"):
        pieces.write_beside(handle, chunks())
    assert (tmp_path / "out").read_bytes() == b"{"
    assert not [t for t in threading.enumerate() if t.name == "report writer"]


def test_write_reports_writes_json(small, tmp_path):
    written = write_reports(small, tmp_path / "out", ["json"])
    assert written == [tmp_path / "out" / "report.json"]
    assert json.loads(written[0].read_text(encoding="utf-8")) == GOLDEN


def test_schema_is_packaged_and_draft_2020_12():
    assert REPORT_SCHEMA_PATH.name == "report.schema.json"
    assert REPORT_SCHEMA_PATH.parent.name == "reports"
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _broken(path: list, value=None, delete: bool = False) -> dict:
    document = copy.deepcopy(GOLDEN)
    target = document
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    "document",
    [
        _broken(["suppliers", 0, "results", 0, "status"], "ok"),
        _broken(["suppliers", 0, "grade"], "E"),
        _broken(["findings", 0, "severity"], "severe"),
        _broken(["findings", 0, "status"], "waived"),
        _broken(["summary", "by_grade", "N/A"], delete=True),
        _broken(["summary", "findings_by_severity", "info"], delete=True),
        _broken(["suppliers", 0, "results", 0, "extra"], 1),
        _broken(["suppliers", 0, "score"], 100.1),
        _broken(["suppliers", 0, "pillars", "social"], "50"),
        _broken(["audit", "generated_at"], "2026-11-27T09:30:00+00:00"),
        _broken(["audit", "inputs", 0, "sha256"], "xyz"),
        _broken(["waivers", "applied", 0, "expires"], "31.12.2026"),
        _broken(["schema_version"], "1.0"),
        _broken(["rules", 0, "weight"], 0),
        _broken(["rules"], delete=True),
        _broken(["summary", "spend_by_grade", "unknown"], delete=True),
        _broken(["suppliers", 0, "results", 1, "message"], None),
        _broken(["notes"], delete=True),
        _broken(["extra"], []),
    ],
)
def test_schema_rejects_what_is_not_a_report(document):
    assert not VALIDATOR.is_valid(document)


@pytest.mark.parametrize(
    ("command", "recorded"),
    [
        (
            "esg-audit check data/ --as-of 2026-11-27 --out /tmp/a --format json",
            "esg-audit check data/ --as-of 2026-11-27",
        ),
        (
            "esg-audit check 'a b.xlsx' --out=/tmp/a --debug --format=xlsx,json --rules r",
            "esg-audit check 'a b.xlsx' --rules r",
        ),
        ('esg-audit check "unbalanced', 'esg-audit check "unbalanced'),
        ("", ""),
    ],
)
def test_command_is_recorded_without_output_options(small, command, recorded):
    assert reproducible_command(command) == recorded
    assert build_report(replace(small, command=command))["audit"]["command"] == recorded

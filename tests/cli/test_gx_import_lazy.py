"""`check` imports Great Expectations only when a rule needs it: each run is a fresh interpreter
that lists the modules it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from esg_audit.cli import cli
code = cli.main(sys.argv[2:], prog_name="esg-audit", standalone_mode=False)
with open(sys.argv[1], "w") as out:
    json.dump({"code": code or 0, "gx": sorted(m for m in sys.modules if m.split(".")[0] == "great_expectations")}, out)
"""
GX_RULE = """pack: gx
version: '1'
rules:
  - id: CERT-NO-FORMAT
    title: Certificate numbers are well formed
    pillar: governance
    check:
      expectation: expect_column_values_to_match_regex
      sheet: Certificates
      kwargs: {column: certificate_no, regex: "^C-[0-9]{5}$"}
"""


def probe(tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    dump = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(dump), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    probed = json.loads(dump.read_text())
    return probed["code"], probed["gx"], done.stderr


def test_check_with_the_shipped_packs_does_not_import_great_expectations(tmp_path):
    code, gx_modules, _ = probe(tmp_path, "check", "sample_data", "--out", str(tmp_path / "out"),
                                "--format", "json", "--as-of", "2026-11-27")
    assert code == 0
    assert gx_modules == []


def test_check_with_an_expectation_rule_imports_it_and_prints_nothing_of_it(tmp_path):
    pytest.importorskip("great_expectations")
    rules = tmp_path / "gx.yaml"
    rules.write_text(GX_RULE, encoding="utf-8")
    code, gx_modules, stderr = probe(tmp_path, "check", "sample_data", "--rules", str(rules),
                                     "--out", str(tmp_path / "out"), "--format", "json", "--as-of", "2026-11-27")
    assert code == 0
    assert "great_expectations" in gx_modules
    assert "Calculating Metrics" not in stderr and "Warning" not in stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    statuses = {r["status"] for s in report["suppliers"] for r in s["results"]}
    assert statuses == {"pass", "fail", "missing"}

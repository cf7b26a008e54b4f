"""The shipped rule packs travel with the package: a plain (non-editable) install finds them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_plain_install_runs_check_with_shipped_packs_from_any_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--target", str(target), str(REPO)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    packs = sorted(p.name for p in (target / "esg_audit" / "packs").glob("*.yaml"))
    assert packs == sorted(p.name for p in (REPO / "rules").glob("*.yaml"))
    assert packs, "no rule pack was installed"
    # The country names the normaliser reads are package data too.
    assert (target / "esg_audit" / "normalise" / "country-names.tsv").is_file()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    where = subprocess.run(
        [sys.executable, "-c", "import esg_audit; print(esg_audit.__file__)"],
        check=True, capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert where.stdout.strip().startswith(str(target))

    run = subprocess.run(
        [sys.executable, "-m", "esg_audit", "check", str(REPO / "sample_data"),
         "--as-of", "2026-11-27", "--format", "json", "--out", str(elsewhere / "out")],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((elsewhere / "out" / "report.json").read_text(encoding="utf-8"))
    loaded = sorted(p["pack"] for p in report["audit"]["rule_packs"])
    assert len(loaded) == len(packs)
    assert report["summary"]["audited"] == 40

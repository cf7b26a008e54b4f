"""The feedback workbook opens cleanly in LibreOffice: converted headless and read back.

Skipped where LibreOffice is not installed, except in CI (`.ci/run` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.acceptance.outputs.helpers import AS_OF, RULES, invoke
from tests.feedback.test_annotate import plant


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(path: Path, out: Path, to: str = "xlsx") -> Path:
    """`path` opened and saved again by LibreOffice (own profile, so runs never share one)."""
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "profile").resolve().as_uri()
    done = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180, check=False)
    converted = out / f"{path.stem}.{to.split(':')[0]}"
    assert done.returncode == 0 and converted.exists(), done.stderr + done.stdout
    return converted


def test_feedback_workbook_opens_in_libreoffice(tmp_path):
    soffice()
    folder = plant(tmp_path / "returned")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    run = invoke("annotate", folder, "--rules", rules, "--as-of", AS_OF,
                 "--out", tmp_path / "fb", "--lang", "zh")
    assert run.exit_code == 0, run.stderr

    again = convert(tmp_path / "fb" / "a-acme.feedback.xlsx", tmp_path / "lo")

    book = openpyxl.load_workbook(again)
    assert book.sheetnames == ["待整改", "Instructions", "Suppliers", "Certificates"]
    assert book["待整改"]["A1"].value == "a-acme.xlsx 的整改反馈"
    assert book["Suppliers"]["E3"].value == "lots"
    assert book["Suppliers"]["B3"].value == "=1+1"
    assert book["Suppliers"]["E3"].comment.text.startswith("not a number。应填写：")
    assert book["Certificates"]["D3"].comment.text == "not a date。应填写：日期，格式 YYYY-MM-DD"

"""Warnings from numpy or pandas never reach a user's terminal; `--debug` shows them."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from esg_audit import schema
from esg_audit.cli import cli

SUPPLIERS = "supplier_id,name,country\nS1,Acme,DE\n"


@pytest.fixture
def suppliers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    validate = schema.validate

    def validate_with_an_overflow(*args, **kwargs):
        np.array([1e308]) * 10  # RuntimeWarning: overflow encountered in multiply
        return validate(*args, **kwargs)

    monkeypatch.setattr("esg_audit.pipeline.validate", validate_with_an_overflow)
    path = tmp_path / "suppliers.csv"
    path.write_text(SUPPLIERS, encoding="utf-8")
    return path


def _to_stderr(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run(*args: str) -> tuple[int, str]:
    with warnings.catch_warnings():
        # As a user's Python shows warnings (the suite turns them into errors).
        warnings.simplefilter("always")
        warnings.showwarning = _to_stderr
        result = CliRunner().invoke(cli, ["check", *args, "--as-of", "2026-11-27"])
    return result.exit_code, result.stderr


def test_a_numpy_warning_is_not_shown(suppliers, tmp_path):
    code, stderr = run(str(suppliers), "--out", str(tmp_path / "out"))
    assert code == 0
    assert "Warning" not in stderr
    assert "overflow" not in stderr


def test_debug_shows_the_warning(suppliers, tmp_path):
    code, stderr = run("--debug", str(suppliers), "--out", str(tmp_path / "out"))
    assert code == 0
    assert "RuntimeWarning: overflow encountered in multiply" in stderr

"""Helpers for the pack and rule-author tool tests: write rule files, run `esg-audit rules`."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from esg_audit.cli import cli


@pytest.fixture
def write_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    """Write a rule file into a temporary working directory; return its relative path."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> str:
        Path(name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return name

    return write


@pytest.fixture
def run_rules() -> Callable[..., Result]:
    """Run `esg-audit rules ARGS...` in-process."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["rules", *args], catch_exceptions=False)

    return run

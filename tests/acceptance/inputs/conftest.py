"""Acceptance tests of SPEC §2 and §3 (the flow, input workbooks, normalisation).

Everything goes through the CLI as a user runs it: small workbooks and CSVs written into
tmp_path, a small rule pack whose expression rules probe the normalised values, then
report.json, stderr and the exit code are read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from esg_audit.cli import cli

AS_OF = "2026-11-27"


@dataclass
class Run:
    code: int
    stderr: str
    report: dict[str, Any] | None

    def status(self, supplier: str, rule: str) -> str:
        assert self.report is not None, self.stderr
        for entry in self.report["suppliers"]:
            if entry["supplier_id"] == supplier:
                for result in entry["results"]:
                    if result["rule_id"] == rule:
                        return str(result["status"])
                raise AssertionError(f"no result {rule} for {supplier}")
        raise AssertionError(f"no supplier {supplier}: {self.supplier_ids}")

    def statuses(self, supplier: str) -> dict[str, str]:
        assert self.report is not None, self.stderr
        entry = next(s for s in self.report["suppliers"] if s["supplier_id"] == supplier)
        return {r["rule_id"]: r["status"] for r in entry["results"]}

    @property
    def supplier_ids(self) -> list[str]:
        assert self.report is not None, self.stderr
        return [s["supplier_id"] for s in self.report["suppliers"]]

    @property
    def issues(self) -> list[dict[str, Any]]:
        assert self.report is not None, self.stderr
        return list(self.report["data_issues"])

    @property
    def notes(self) -> list[dict[str, Any]]:
        assert self.report is not None, self.stderr
        return list(self.report["notes"])

    @property
    def summary(self) -> dict[str, Any]:
        assert self.report is not None, self.stderr
        return dict(self.report["summary"])


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]],
               origin: tuple[int, int] = (1, 1)) -> Path:
    """A workbook whose sheets hold `rows`, the first at Excel row/column `origin`."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    sheet.cell(origin[0] + i, origin[1] + j, value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def write_pack(path: Path, rules: Mapping[str, str] | Sequence[Mapping[str, Any]],
               fields: Mapping[str, str] | None = None) -> Path:
    """A rule pack: {rule_id: pass expression} or full rule mappings."""
    if isinstance(rules, Mapping):
        rule_list: list[Mapping[str, Any]] = [
            {"id": rid, "title": rid, "pillar": "environment", "check": {"pass": expr}}
            for rid, expr in rules.items()
        ]
    else:
        rule_list = list(rules)
    pack: dict[str, Any] = {"pack": "probe", "version": "1"}
    if fields:
        pack["fields"] = dict(fields)
    pack["rules"] = rule_list
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(pack, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def check(tmp_path: Path, inputs: Sequence[Path | str], rules: Mapping[str, str] | Sequence[
        Mapping[str, Any]] | Path | None = None, *args: str,
        fields: Mapping[str, str] | None = None) -> Run:
    """`esg-audit check INPUTS --rules PACK --as-of AS_OF --out OUT --format json ARGS`."""
    out = tmp_path / "out"
    if rules is None:
        rules = {"PROBE": "true"}
    pack = rules if isinstance(rules, Path) else write_pack(tmp_path / "pack.yaml", rules, fields)
    result = CliRunner().invoke(
        cli,
        ["check", *map(str, inputs), "--rules", str(pack), "--as-of", AS_OF,
         "--out", str(out), "--format", "json", *args],
        catch_exceptions=False,
    )
    report_path = out / "report.json"
    report = (json.loads(report_path.read_text(encoding="utf-8"))
              if result.exit_code in (0, 1) and report_path.exists() else None)
    return Run(result.exit_code, result.stderr, report)


class Helpers:
    """The builders above bound to one test's tmp_path (test modules cannot import conftest
    under --import-mode=importlib)."""

    AS_OF = AS_OF

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path

    def xlsx(self, name: str, sheets: Mapping[str, Sequence[Sequence[Any]]],
             origin: tuple[int, int] = (1, 1)) -> Path:
        return write_xlsx(self.tmp / name, sheets, origin)

    def text(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        return write_text(self.tmp / name, text, encoding)

    def pack(self, name: str, rules: Any, fields: Mapping[str, str] | None = None) -> Path:
        return write_pack(self.tmp / name, rules, fields)

    def check(self, inputs: Sequence[Path | str], rules: Any = None, *args: str,
              fields: Mapping[str, str] | None = None) -> Run:
        return check(self.tmp, inputs, rules, *args, fields=fields)


@pytest.fixture
def acc(tmp_path: Path) -> Helpers:
    return Helpers(tmp_path)

"""Acceptance tests of SPEC §4 (rule files, check kinds, expressions) and §5 (scoring, grades,
knockouts, findings, waivers), driven through the CLI as a user runs it:

    esg-audit check INPUT --rules FILE --as-of DATE --format json --out DIR

Inputs are small CSV files in a folder (`suppliers.csv`, `certificates.csv`, `emissions.csv`,
`materials.csv`); the report read back is report.json.
"""

from __future__ import annotations

import csv
import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli

AS_OF = "2026-06-30"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    report: dict[str, Any] | None

    def supplier(self, supplier_id: str) -> dict[str, Any]:
        assert self.report is not None, self.stderr
        for entry in self.report["suppliers"]:
            if entry["supplier_id"] == supplier_id:
                return entry
        raise KeyError(supplier_id)

    def result(self, supplier_id: str, rule_id: str) -> dict[str, Any]:
        for entry in self.supplier(supplier_id)["results"]:
            if entry["rule_id"] == rule_id:
                return entry
        raise KeyError(rule_id)

    def status(self, supplier_id: str, rule_id: str = "R1") -> str:
        return str(self.result(supplier_id, rule_id)["status"])

    def statuses(self, rule_id: str = "R1") -> dict[str, str]:
        assert self.report is not None, self.stderr
        return {s["supplier_id"]: self.status(s["supplier_id"], rule_id) for s in self.report["suppliers"]}


def write_csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def rule_pack(rules: str, header: str = "") -> str:
    """A pack with `rules` (YAML list items, dedented) under `rules:`."""
    head = "pack: test\nversion: \"1\"\n" + textwrap.dedent(header)
    body = textwrap.indent(textwrap.dedent(rules).strip("\n"), "  ")
    return f"{head}rules:\n{body}\n"


@pytest.fixture
def audit(tmp_path: Path) -> Callable[..., Run]:
    """Run `esg-audit check` on CSV sheets and a rule file; return exit code, output, report."""
    counter = iter(range(1000))

    def run(
        rules: str | Mapping[str, str],
        suppliers: Sequence[Mapping[str, Any]],
        *,
        certificates: Sequence[Mapping[str, Any]] | None = None,
        emissions: Sequence[Mapping[str, Any]] | None = None,
        materials: Sequence[Mapping[str, Any]] | None = None,
        as_of: str = AS_OF,
        waivers: str | None = None,
        extra: Sequence[str] = (),
    ) -> Run:
        case = tmp_path / f"case{next(counter)}"
        inputs = case / "inputs"
        inputs.mkdir(parents=True)
        write_csv(inputs / "suppliers.csv", suppliers)
        for name, rows in (("certificates", certificates), ("emissions", emissions), ("materials", materials)):
            if rows is not None:
                write_csv(inputs / f"{name}.csv", rows)
        if isinstance(rules, str):
            rules_path = case / "rules.yaml"
            rules_path.write_text(rules, encoding="utf-8")
        else:
            rules_path = case / "rules"
            rules_path.mkdir()
            for file_name, text in rules.items():
                (rules_path / file_name).write_text(text, encoding="utf-8")
        args = ["check", str(inputs), "--rules", str(rules_path), "--as-of", as_of,
                "--format", "json", "--out", str(case / "out")]
        if waivers is not None:
            waiver_path = case / "waivers.yaml"
            waiver_path.write_text(textwrap.dedent(waivers), encoding="utf-8")
            args += ["--waivers", str(waiver_path)]
        result = CliRunner().invoke(cli, [*args, *extra])
        report_path = case / "out" / "report.json"
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr, report)

    return run


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def pack() -> Callable[..., str]:
    return rule_pack

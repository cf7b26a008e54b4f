"""Commands that never read supplier data start without loading the data libraries.

Each command runs in a fresh interpreter (this process has long imported everything), which
then lists the modules it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "pandera", "openpyxl", "xlsxwriter", "jinja2", "great_expectations")

# Runs the click group as `esg-audit` does, then writes the exit code and sys.modules.
PROBE = """
import json, sys
from esg_audit.cli import cli
code = cli.main(sys.argv[2:], prog_name="esg-audit", standalone_mode=False)
with open(sys.argv[1], "w") as out:
    json.dump({"code": code or 0, "modules": sorted(sys.modules)}, out)
"""


def run_probe(tmp_path: Path, *args: str) -> tuple[int, str, set[str]]:
    dump = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(dump), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    probed = json.loads(dump.read_text())
    return probed["code"], done.stdout, set(probed["modules"])


def heavy_modules(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


COMMANDS = [
    (("--version",), "esg-audit, version "),
    (("--help",), "Audit supplier spreadsheets against declarative ESG rule files."),
    (("check", "--help"), "Audit supplier workbooks (files or folders)"),
    (("gate", "--help"), "--min-grade"),
    (("diff", "--help"), "Compare two report.json files"),
    (("template", "--help"), "supplier data-collection workbook"),
    (("expectations", "export", "--help"), "one ExpectationSuite JSON per sheet"),
    (("rules", "--help"), "Lint, list, explain and test rule packs"),
    (("rules", "lint", "--help"), "Report every error in the rule files"),
    (("rules", "test", "--help"), "Run the packs' own test cases."),
    (("rules", "list"), "ISO-001"),
    (("rules", "list", "--json"), '"id": "ISO-001"'),
    (("rules", "explain", "ISO-001"), "Check kind: certificate"),
    (("rules", "explain", "ISO-001", "--rules", "rules/"), "# ISO-001: Valid ISO 14001"),
]


@pytest.mark.parametrize(
    ("args", "expected"), [pytest.param(*command, id=" ".join(command[0])) for command in COMMANDS]
)
def test_command_loads_no_data_library(tmp_path, args, expected):
    code, stdout, modules = run_probe(tmp_path, *args)
    assert code == 0
    assert expected in stdout
    assert "esg_audit.cli" in modules
    assert heavy_modules(modules) == []


def test_rules_list_parses_every_expression_of_the_shipped_packs_without_pandas(tmp_path):
    # Parsing compiles every applies_to and check expression: the compiler must be loaded.
    code, stdout, modules = run_probe(tmp_path, "rules", "list")
    assert code == 0
    assert {"esg_audit.rules.expr.compiler", "esg_audit.rules.kinds.certificate"} <= modules
    assert len(stdout.splitlines()) > 10
    assert heavy_modules(modules) == []


def test_a_json_audit_loads_pandas_but_no_writer_of_another_format(tmp_path):
    # The probe sees imports: an audit needs pandas, a JSON-only run nothing else. The sheet
    # contracts are checked column-wise: pandera is not imported (its import alone costs more
    # than the whole audit of a small supplier base).
    code, _, modules = run_probe(
        tmp_path, "check", "sample_data", "--format", "json", "--out", str(tmp_path / "out"),
        "--as-of", "2026-11-27",
    )
    assert code == 0
    assert (tmp_path / "out" / "report.json").is_file()
    assert {"pandas", "numpy"} <= modules
    assert [m for m in heavy_modules(modules) if m.split(".")[0] not in ("pandas", "numpy")] == []


def test_a_json_audit_loads_no_module_of_another_command_or_format(tmp_path):
    # What `check --format json` does not run, it does not import: the history store
    # (SQLAlchemy) unless --history is given, the gate's policy unless --fail-under or --fail-on
    # is, pycountry (the country names are shipped as a table), the other commands' modules.
    code, _, modules = run_probe(
        tmp_path, "check", "sample_data", "--format", "json", "--out", str(tmp_path / "out"),
        "--as-of", "2026-11-27",
    )
    assert code == 0
    assert {"esg_audit.pipeline", "esg_audit.reports.json_report"} <= modules
    libraries = {"sqlalchemy", "xlsxwriter", "openpyxl", "jinja2", "great_expectations",
                 "pandera", "pycountry", "jsonschema", "psycopg"}
    assert sorted(m for m in modules if m.split(".")[0] in libraries) == []
    ours = {m for m in modules if m.startswith("esg_audit.")}
    assert sorted(m for m in ours if m.startswith("esg_audit.cli.")) == [
        "esg_audit.cli.check", "esg_audit.cli.history", "esg_audit.cli.options"]
    assert sorted(m for m in ours if m.split(".")[1] in (
        "gate", "history", "feedback", "template", "inspection")) == []
    assert sorted(m for m in ours if m.startswith("esg_audit.reports.")) == [
        "esg_audit.reports.atomic", "esg_audit.reports.json_report", "esg_audit.reports.pieces"]


def test_a_command_imports_no_other_command(tmp_path):
    code, stdout, modules = run_probe(tmp_path, "rules", "list")
    assert code == 0
    assert sorted(m for m in modules if m.startswith("esg_audit.cli.")) == [
        "esg_audit.cli.options", "esg_audit.cli.rules"]


def test_every_command_is_listed_and_found():
    from esg_audit.cli import COMMANDS, cli

    assert sorted(cli.commands) == sorted(COMMANDS)
    for name in COMMANDS:
        assert cli.commands[name].name == name
    assert "chek" not in cli.commands
    with pytest.raises(KeyError):
        cli.commands["chek"]


def test_the_command_starts_numpy_without_openblas_threads(monkeypatch):
    # esg-audit does no linear algebra; OpenBLAS's threads would only spin. A user's own
    # setting is kept.
    import esg_audit.cli as cli_module

    ran = []
    monkeypatch.setattr(cli_module, "cli", lambda **kwargs: ran.append(kwargs))
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "8")  # restored after the test
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    cli_module.main()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    cli_module.main()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
    assert ran == [{"prog_name": "esg-audit"}] * 2

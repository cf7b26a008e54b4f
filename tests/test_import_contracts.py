"""The architecture contracts in setup.cfg hold, and an import that breaks one fails the check.

`make test` runs `lint-imports` before pytest; these tests run it on the package as it is and on
copies of it with one import added, to show that each contract catches a violation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "Stages import only the core and the stages below them"
NO_CLI = "Nothing but the command line imports esg_audit.cli"
REPORTS = "Report writers import no stage that computes the result"
WRITERS = "Report writers do not import each other"
CONTRACTS = (LAYERS, NO_CLI, REPORTS, WRITERS)


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts on the esg_audit package in `package_parent`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(ROOT / "setup.cfg")],
        cwd=package_parent,
        env={**os.environ, "PYTHONPATH": str(package_parent), "COLUMNS": "200"},  # no wrapping
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_package_keeps_every_contract():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for contract in CONTRACTS:
        assert f"{contract} KEPT" in done.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "added", "contract", "reported"),
    [
        pytest.param(
            "model.py", "import esg_audit.cli", NO_CLI,
            "esg_audit.model is not allowed to import esg_audit.cli",
            id="core-imports-cli",
        ),
        pytest.param(
            "rules/files.py", "import esg_audit.scoring", LAYERS,
            "esg_audit.rules is not allowed to import esg_audit.scoring",
            id="rules-import-scoring",
        ),
        pytest.param(
            "load/cells.py", "from esg_audit.normalise import normalise", LAYERS,
            "esg_audit.load is not allowed to import esg_audit.normalise",
            id="load-imports-normalise",
        ),
        pytest.param(
            "scoring.py", "import esg_audit.reports.json_report", LAYERS,
            "esg_audit.scoring is not allowed to import esg_audit.reports",
            id="scoring-imports-a-writer",
        ),
        pytest.param(
            "reports/findings_csv.py", "from esg_audit.scoring import score_audit", REPORTS,
            "esg_audit.reports is not allowed to import esg_audit.scoring",
            id="writer-imports-scoring",
        ),
        pytest.param(
            "reports/json_report.py", "import esg_audit.normalise.dates", REPORTS,
            "esg_audit.reports is not allowed to import esg_audit.normalise",
            id="writer-imports-normalise",
        ),
        pytest.param(
            "reports/html.py", "from esg_audit.reports import xlsx", WRITERS,
            "esg_audit.reports.html is not allowed to import esg_audit.reports.xlsx",
            id="writer-imports-writer",
        ),
        pytest.param(
            "reports/style.py", "import esg_audit.reports.json_report", WRITERS,
            "esg_audit.reports.style is not allowed to import esg_audit.reports.json_report",
            id="shared-module-imports-writer",
        ),
    ],
)
def test_a_violating_import_fails_the_check(tmp_path, module, added, contract, reported):
    shutil.copytree(
        ROOT / "esg_audit", tmp_path / "esg_audit", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = tmp_path / "esg_audit" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{contract} BROKEN" in done.stdout
    assert reported in done.stdout


def test_a_new_writer_is_held_to_independence_without_a_line_in_setup_cfg(tmp_path):
    shutil.copytree(
        ROOT / "esg_audit", tmp_path / "esg_audit", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "esg_audit" / "reports" / "feedback.py").write_text(
        '"""A new writer."""\nfrom esg_audit.reports.style import GRADE_FILLS\n'
        "from esg_audit.reports.json_report import write_json\n"
    )
    done = lint_imports(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{WRITERS} BROKEN" in done.stdout
    assert "esg_audit.reports.feedback is not allowed to import esg_audit.reports.json_report" in done.stdout
    assert "esg_audit.reports.feedback -> esg_audit.reports.json_report (l.3)" in done.stdout
    assert "esg_audit.reports.feedback -> esg_audit.reports.style" not in done.stdout


def test_a_module_without_a_layer_fails_the_check(tmp_path):
    shutil.copytree(
        ROOT / "esg_audit", tmp_path / "esg_audit", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "esg_audit" / "unplaced.py").write_text('"""A module in no layer."""\n')
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "esg_audit.unplaced" in done.stdout + done.stderr

"""Builders for the §1/§6 acceptance tests: small workbooks, rule files, a CLI runner."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from esg_audit.cli import cli
from tests.builders import compound_file  # noqa: F401  (re-exported for the tests here)

AS_OF = "2026-11-27"

RULES = """\
pack: acceptance
version: "2026.11"
description: Rules for the outputs acceptance tests.
rules:
  - id: ENV-001
    title: Valid ISO 14001 certificate
    pillar: environment
    severity: high
    weight: 10
    check: {certificate: ISO 14001, warn_within_days: 90}
    remediation: Certify the site's environmental management system to ISO 14001.
  - id: ENV-002
    title: Renewable electricity share
    pillar: environment
    severity: medium
    check:
      pass: renewable_share >= 0.6
      warn: renewable_share >= 0.3
    remediation: Buy renewable electricity.
  - id: GOV-001
    title: Country disclosed
    pillar: governance
    severity: critical
    knockout: true
    check: {required: [country]}
    remediation: Disclose the country.
  - id: SOC-001
    title: Services only
    pillar: social
    severity: low
    applies_to: "category == 'services'"
    check: {pass: on_time_delivery >= 0.9}
    remediation: Deliver on time.
"""

SUPPLIER_HEADER = ["Supplier ID", "Name", "Country", "Category", "Renewable Share", "On-time Delivery"]
SUPPLIER_ROWS = [
    ["S1", "Acme GmbH", "DE", "services", 0.8, 0.95],
    ["S2", "Beta SA", "FR", "metals", 0.4, None],
    ["S3", "=HYPERLINK(\"http://x\")", None, "metals", 0.1, None],
    ["S4", "Delta", "CN", "services", None, 0.5],
]
CERT_HEADER = ["Supplier ID", "Standard", "Certificate No", "Issuer", "Valid From", "Valid Until", "Status"]
CERT_ROWS = [
    ["S1", "ISO 14001:2015", "C-1", "TUV", "2025-01-01", "2028-01-01", "active"],
    ["S2", "ISO14001", "C-2", "DNV", "2025-01-01", "2026-12-31", "active"],
]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for cells in ws.iter_rows():
            for cell in cells:  # text that starts with "=" is text in the input, not a formula
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)
    return path


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


def invoke(*args: str) -> Run:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(result.exit_code, result.stdout, result.stderr, exception)


@pytest.fixture
def run() -> Callable[..., Run]:
    return invoke


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "suppliers.xlsx",
        {
            "Suppliers": [SUPPLIER_HEADER, *SUPPLIER_ROWS],
            "Certificates": [CERT_HEADER, *CERT_ROWS],
        },
    )


@pytest.fixture
def audit(tmp_path: Path, workbook: Path, rules_file: Path) -> Callable[..., tuple[Run, Path]]:
    """Run `check` on the standard workbook; return the run and the output folder."""

    def _audit(*extra: str, out: Path | None = None) -> tuple[Run, Path]:
        folder = out or tmp_path / "out"
        result = invoke("check", workbook, "--rules", rules_file, "--as-of", AS_OF,
                        "--out", folder, *extra)
        return result, folder

    return _audit


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def rewrite_zip(source: Path, target: Path, change: Callable[[str, bytes], bytes],
                extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target

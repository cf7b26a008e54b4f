"""Stage 6, report: one writer per format, each writing atomically into the output folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from esg_audit.model import AuditResult

FORMATS: tuple[str, ...] = ("xlsx", "json", "csv", "html")
FILE_NAMES = {
    "xlsx": "report.xlsx",
    "json": "report.json",
    "csv": "findings.csv",
    "html": "report.html",
}


def _writer(fmt: str) -> Callable[[AuditResult, Path], None]:
    # The one list of writers; imported lazily so a JSON-only run never loads openpyxl.
    if fmt == "json":
        from esg_audit.reports.json_report import write_json

        return write_json
    if fmt == "xlsx":
        from esg_audit.reports.xlsx import write_xlsx

        return write_xlsx
    if fmt == "csv":
        from esg_audit.reports.findings_csv import write_findings_csv

        return write_findings_csv
    if fmt == "html":
        from esg_audit.reports.html import write_html

        return write_html
    raise ValueError(fmt)


def write_reports(result: AuditResult, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the requested formats into `out_dir` (created if missing); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / FILE_NAMES[fmt]
        _writer(fmt)(result, path)
        written.append(path)
    return written

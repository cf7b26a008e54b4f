"""Stage 6, report: one writer per format, each writing atomically into the output folder.

Every writer is a function `write(result: AuditResult, path: Path) -> None` in a module of its
own that formats what the `AuditResult` holds and computes nothing. Adding a report format is
one such module and one line in REPORT_FORMATS; `check --format` offers it from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from esg_audit.model import AuditResult


@dataclass(frozen=True)
class ReportFormat:
    """A report format: its `--format` name, the file it writes, and its writer as
    "module:function", imported only when the format is written (an HTML-only run never loads
    XlsxWriter)."""

    name: str
    file_name: str
    writer: str

    def write(self, result: AuditResult, path: Path) -> None:
        module, function = self.writer.split(":")
        writer: Callable[[AuditResult, Path], None] = getattr(import_module(module), function)
        writer(result, path)


# The one list of report formats, in the order `--format` lists them.
REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("xlsx", "report.xlsx", "esg_audit.reports.xlsx:write_xlsx"),
    ReportFormat("json", "report.json", "esg_audit.reports.json_report:write_json"),
    ReportFormat("csv", "findings.csv", "esg_audit.reports.findings_csv:write_findings_csv"),
    ReportFormat("html", "report.html", "esg_audit.reports.html:write_html"),
)
BY_NAME = {f.name: f for f in REPORT_FORMATS}
FORMATS: tuple[str, ...] = tuple(BY_NAME)
FILE_NAMES = {f.name: f.file_name for f in REPORT_FORMATS}


def write_reports(result: AuditResult, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the requested formats into `out_dir` (created if missing); return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        report_format = BY_NAME[name]
        path = out_dir / report_format.file_name
        report_format.write(result, path)
        written.append(path)
    return written

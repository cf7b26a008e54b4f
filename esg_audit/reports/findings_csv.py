"""findings.csv: the flagged-risk list as a CSV that opens cleanly in Excel.

UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page and garbles
names such as "Zhōngshān"), CRLF line ends (RFC 4180), a header row, one finding per line in the
report's order, due dates as YYYY-MM-DD, and text that a spreadsheet would evaluate as a formula
prefixed with a single quote.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from esg_audit.model import AuditResult
from esg_audit.reports.atomic import atomic_text
from esg_audit.reports.cells import neutralise_for_csv

COLUMNS: tuple[str, ...] = (
    "supplier_id", "name", "rule_id", "severity", "status", "title", "message", "remediation",
    "due",
)
TEXT_COLUMNS: tuple[str, ...] = COLUMNS[:-1]
BOM = "\ufeff"


def findings_table(result: AuditResult) -> pd.DataFrame:
    """The findings as the CSV writes them: text neutralised, due as ISO date text."""
    findings = result.findings
    table = pd.DataFrame(
        {column: neutralise_for_csv(findings[column]) for column in TEXT_COLUMNS},
        index=findings.index,
    )
    due = pd.to_datetime(findings["due"].astype(object), errors="coerce")
    table["due"] = due.dt.strftime("%Y-%m-%d").astype("string")
    return table.reset_index(drop=True)


def write_findings_csv(result: AuditResult, path: Path) -> None:
    """Write `result.findings` to `path` atomically (see the module docstring for the format)."""
    table = findings_table(result)
    with atomic_text(Path(path), newline="") as handle:
        handle.write(BOM)
        table.to_csv(handle, index=False, lineterminator="\r\n", na_rep="")

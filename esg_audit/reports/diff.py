"""What changed between two audits (`esg-audit diff`): compares two report.json files.

Findings are matched by (supplier_id, rule_id). A finding only in the new report is new, one only
in the old report is resolved, one in both whose status or severity differs has changed. Suppliers
are matched by supplier_id: those in both whose grade or score moved are grade changes; the others
were added or removed. The diff is shown as text, or written as diff.json and diff.xlsx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from esg_audit import __version__
from esg_audit.errors import InputFileError
from esg_audit.model import (
    FINDING_STATUSES,
    GRADE_RANK,
    NO_GRADE,
    SEVERITY_ORDER,
    UNKNOWN_GRADE_RANK,
    Location,
)
from esg_audit.reports.atomic import atomic_text
from esg_audit.reports.xlsx_tables import (
    DATE_FORMAT,
    SCORE_FORMAT,
    Column,
    date_values,
    number_values,
    text_values,
    write_tables,
)

DIFF_SCHEMA_VERSION = "1.0"
# report.json schemas this diff reads: 1.x (each result with its message) and 2.x (rule
# metadata once, messages only where a check said something). Both name each result's rule_id
# and status and list findings alike, which is all the diff compares.
READABLE_SCHEMAS = ("1", "2")
KEY = ["supplier_id", "rule_id"]

FINDING_COLUMNS = ("supplier_id", "rule_id", "severity", "status", "title", "message",
                   "remediation", "due")
SUPPLIER_COLUMNS = ("supplier_id", "name", "score", "grade")

# Sections in the order they are shown, with the sheet that holds each in diff.xlsx.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("new_findings", "New findings", "New Findings"),
    ("resolved_findings", "Resolved findings", "Resolved Findings"),
    ("changed_findings", "Changed findings", "Changed Findings"),
    ("grade_changes", "Grade and score changes", "Grade Changes"),
    ("suppliers_added", "Suppliers added", "Suppliers Added"),
    ("suppliers_removed", "Suppliers removed", "Suppliers Removed"),
)
SECTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "new_findings": ("supplier_id", "name", "rule_id", "severity", "status", "title", "message",
                     "remediation", "due", "previous_status", "change"),
    "resolved_findings": ("supplier_id", "name", "rule_id", "severity", "status", "title",
                          "message", "due", "current_status", "change"),
    "changed_findings": ("supplier_id", "name", "rule_id", "title", "old_status", "new_status",
                         "old_severity", "new_severity", "old_message", "message", "due"),
    "grade_changes": ("supplier_id", "name", "old_grade", "new_grade", "old_score", "new_score",
                      "score_change", "direction"),
    "suppliers_added": ("supplier_id", "name", "score", "grade", "findings"),
    "suppliers_removed": ("supplier_id", "name", "score", "grade", "findings"),
}
NUMBER_COLUMNS = frozenset({"score", "old_score", "new_score", "score_change", "findings"})


@dataclass(frozen=True)
class AuditReport:
    """One report.json as the diff needs it: who was audited, their findings and results."""

    path: str
    schema_version: str
    as_of: str | None
    generated_at: str | None
    suppliers: pd.DataFrame  # SUPPLIER_COLUMNS + findings (count), report order
    findings: pd.DataFrame  # FINDING_COLUMNS, report order
    results: pd.DataFrame  # supplier_id, rule_id, status


@dataclass(frozen=True)
class ReportDiff:
    """The changes from `old` to `new`; each section a frame with SECTION_COLUMNS."""

    old: AuditReport
    new: AuditReport
    new_findings: pd.DataFrame
    resolved_findings: pd.DataFrame
    changed_findings: pd.DataFrame
    grade_changes: pd.DataFrame
    suppliers_added: pd.DataFrame
    suppliers_removed: pd.DataFrame

    def section(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = getattr(self, name)
        return frame

    def counts(self) -> dict[str, int]:
        return {name: len(self.section(name)) for name, _, _ in SECTIONS}


# --- reading ---------------------------------------------------------------------------------


def read_report(path: str | Path) -> AuditReport:
    """Read and check a report.json. Raises InputFileError naming the file when it is missing,
    not JSON, or not a report.json."""
    where = Location(file=str(path))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError("file not found", where) from None
    except IsADirectoryError:
        raise InputFileError("is a folder, not a report.json file", where) from None
    except UnicodeDecodeError:
        raise InputFileError("not JSON: the file is not UTF-8 text", where) from None
    except OSError as error:
        raise InputFileError(f"cannot be read: {error.strerror or error}", where) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"not JSON: {error.msg} at column {error.colno}",
            Location(file=str(path), line=error.lineno),
        ) from None
    return audit_report(document, str(path))


def audit_report(document: Any, path: str = "report.json") -> AuditReport:
    """Check a parsed report.json document (SPEC §6) and take what the diff needs."""
    where = Location(file=path)
    if not isinstance(document, dict) or "schema_version" not in document:
        raise InputFileError("not a report.json (it has no schema_version)", where)
    major = str(document["schema_version"]).split(".", 1)[0]
    if major not in READABLE_SCHEMAS:
        raise InputFileError(
            f"report.json schema_version {document['schema_version']} is not one this esg-audit "
            f"reads ({', '.join(f'{m}.x' for m in READABLE_SCHEMAS)}); use a matching version",
            where,
        )
    suppliers = _list_of_objects(document, "suppliers", where)
    findings = _list_of_objects(document, "findings", where)
    audit: dict[str, Any] = document["audit"] if isinstance(document.get("audit"), dict) else {}

    supplier_frame = _frame(suppliers, SUPPLIER_COLUMNS)
    _require_keys(supplier_frame, ["supplier_id"], "suppliers", where)
    _require_unique(supplier_frame, ["supplier_id"], "suppliers", where)
    finding_frame = _frame(findings, FINDING_COLUMNS)
    _require_keys(finding_frame, KEY, "findings", where)
    _require_unique(finding_frame, KEY, "findings", where)

    # Flattening the nested results is the one per-item step: JSON arrives as nested objects.
    results = [
        (s["supplier_id"], r.get("rule_id"), r.get("status"))
        for s in suppliers
        for r in (s.get("results") or ())
        if isinstance(r, dict)
    ]
    result_frame = pd.DataFrame(results, columns=["supplier_id", "rule_id", "status"],
                                dtype=object)

    supplier_frame["score"] = pd.to_numeric(supplier_frame["score"], errors="coerce")
    supplier_frame["grade"] = supplier_frame["grade"].where(supplier_frame["grade"].notna(), NO_GRADE)
    counts = finding_frame.groupby("supplier_id", sort=False).size()
    supplier_frame["findings"] = (
        supplier_frame["supplier_id"].map(counts).fillna(0).astype("int64")
    )
    return AuditReport(
        path=path,
        schema_version=str(document["schema_version"]),
        as_of=_text_or_none(audit.get("as_of")),
        generated_at=_text_or_none(audit.get("generated_at")),
        suppliers=supplier_frame,
        findings=finding_frame,
        results=result_frame,
    )


def _list_of_objects(document: dict[str, Any], key: str, where: Location) -> list[dict[str, Any]]:
    items = document.get(key)
    if not isinstance(items, list):
        raise InputFileError(f"not a report.json: '{key}' is not a list", where)
    bad = next((i for i, item in enumerate(items) if not isinstance(item, dict)), None)
    if bad is not None:
        raise InputFileError(f"not a report.json: {key}[{bad}] is not an object", where)
    return items


def _frame(items: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(items, columns=list(columns)) if items else pd.DataFrame(
        columns=list(columns))
    return frame.astype(object).where(frame.notna(), None)


def _require_keys(frame: pd.DataFrame, keys: list[str], what: str, where: Location) -> None:
    lacking = frame[keys].isna().any(axis=1).to_numpy()
    if lacking.any():
        index = int(np.flatnonzero(lacking)[0])
        raise InputFileError(f"not a report.json: {what}[{index}] has no {' or '.join(keys)}",
                             where)


def _require_unique(frame: pd.DataFrame, keys: list[str], what: str, where: Location) -> None:
    repeated = frame.duplicated(keys).to_numpy()
    if repeated.any():
        row = frame.iloc[int(np.flatnonzero(repeated)[0])]
        names = "/".join(str(row[k]) for k in keys)
        raise InputFileError(f"not a report.json: {what} lists {names} twice", where)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


# --- comparing -------------------------------------------------------------------------------


def diff_reports(old: AuditReport, new: AuditReport) -> ReportDiff:
    """The changes from `old` to `new` (see the module docstring)."""
    findings = old.findings.merge(new.findings, on=KEY, how="outer", suffixes=("_old", "_new"),
                                  indicator=True, sort=False)
    only_new = findings[findings["_merge"] == "right_only"]
    only_old = findings[findings["_merge"] == "left_only"]
    both = findings[findings["_merge"] == "both"]
    changed = both[(both["status_old"] != both["status_new"])
                   | (both["severity_old"] != both["severity_new"])]

    suppliers = old.suppliers.merge(new.suppliers, on="supplier_id", how="outer",
                                     suffixes=("_old", "_new"), indicator=True, sort=False)
    return ReportDiff(
        old=old,
        new=new,
        new_findings=_new_findings(only_new, old, new),
        resolved_findings=_resolved_findings(only_old, old, new),
        changed_findings=_changed_findings(changed, new),
        grade_changes=_grade_changes(suppliers[suppliers["_merge"] == "both"]),
        suppliers_added=_supplier_list(new.suppliers, old.suppliers),
        suppliers_removed=_supplier_list(old.suppliers, new.suppliers),
    )


def _side(frame: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """The finding columns of one side of a merge, under their plain names."""
    renamed = {f"{c}{suffix}": c for c in FINDING_COLUMNS if c not in KEY}
    return frame[KEY + list(renamed)].rename(columns=renamed)


def _names(frame: pd.DataFrame, report: AuditReport) -> pd.Series:
    names = dict(zip(report.suppliers["supplier_id"], report.suppliers["name"], strict=True))
    return frame["supplier_id"].map(names)


def _status_in(frame: pd.DataFrame, report: AuditReport) -> pd.Series:
    """Each (supplier, rule)'s result status in `report`, None where it has no such result."""
    statuses = frame[KEY].merge(report.results.drop_duplicates(KEY), on=KEY, how="left")
    return pd.Series(statuses["status"].to_numpy(), index=frame.index, dtype=object)


def _change(frame: pd.DataFrame, status: pd.Series, other: AuditReport,
            verb: str, supplier_word: str, rule_word: str) -> pd.Series:
    """Why a finding appeared or went: the supplier or rule is new/gone, or its status now."""
    known_supplier = frame["supplier_id"].isin(other.suppliers["supplier_id"])
    known_rule = frame["rule_id"].isin(other.results["rule_id"])
    text = pd.Series(f"{verb} ", index=frame.index, dtype=object) + status.fillna("").astype(str)
    text = text.where(status.notna(), "")
    text = text.where(known_rule, f"rule {rule_word}")
    return text.where(known_supplier, f"supplier {supplier_word}")


def _new_findings(frame: pd.DataFrame, old: AuditReport, new: AuditReport) -> pd.DataFrame:
    out = _side(frame, "_new")
    out["name"] = _names(out, new)
    out["previous_status"] = _status_in(out, old)
    out["change"] = _change(out, out["previous_status"], old, "was", "added", "added")
    return _finding_order(out, "severity", "status")[list(SECTION_COLUMNS["new_findings"])]


def _resolved_findings(frame: pd.DataFrame, old: AuditReport, new: AuditReport) -> pd.DataFrame:
    out = _side(frame, "_old")
    out["name"] = _names(out, old)
    out["current_status"] = _status_in(out, new)
    out["change"] = _change(out, out["current_status"], new, "now", "removed", "removed")
    return _finding_order(out, "severity", "status")[list(SECTION_COLUMNS["resolved_findings"])]


def _changed_findings(frame: pd.DataFrame, new: AuditReport) -> pd.DataFrame:
    out = pd.DataFrame({
        "supplier_id": frame["supplier_id"],
        "rule_id": frame["rule_id"],
        "title": frame["title_new"],
        "old_status": frame["status_old"],
        "new_status": frame["status_new"],
        "old_severity": frame["severity_old"],
        "new_severity": frame["severity_new"],
        "old_message": frame["message_old"],
        "message": frame["message_new"],
        "due": frame["due_new"],
    })
    out["name"] = _names(out, new)
    ordered = _finding_order(out, "new_severity", "new_status")
    return ordered[list(SECTION_COLUMNS["changed_findings"])]


def _finding_order(frame: pd.DataFrame, severity: str, status: str) -> pd.DataFrame:
    """SPEC order: severity (critical first), fail/missing/warn, supplier id, rule id."""
    keys = pd.DataFrame({
        "s": frame[severity].map({s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(9),
        "t": frame[status].map({s: i for i, s in enumerate(FINDING_STATUSES)}).fillna(9),
        "supplier": frame["supplier_id"].astype(str),
        "rule": frame["rule_id"].astype(str),
    }, index=frame.index)
    order = keys.sort_values(["s", "t", "supplier", "rule"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _grade_changes(both: pd.DataFrame) -> pd.DataFrame:
    old_score = both["score_old"].astype(float)
    new_score = both["score_new"].astype(float)
    same_score = (old_score == new_score) | (old_score.isna() & new_score.isna())
    moved = both[(both["grade_old"] != both["grade_new"]) | ~same_score]
    # model.GRADE_RANK: a larger rank is a worse grade.
    old_rank = moved["grade_old"].map(GRADE_RANK).astype(float).fillna(UNKNOWN_GRADE_RANK)
    new_rank = moved["grade_new"].map(GRADE_RANK).astype(float).fillna(UNKNOWN_GRADE_RANK)
    out = pd.DataFrame({
        "supplier_id": moved["supplier_id"],
        "name": moved["name_new"].where(moved["name_new"].notna(), moved["name_old"]),
        "old_grade": moved["grade_old"],
        "new_grade": moved["grade_new"],
        "old_score": moved["score_old"].astype(float),
        "new_score": moved["score_new"].astype(float),
        # Scores are shown to one decimal, so their difference is too.
        "score_change": (moved["score_new"].astype(float)
                         - moved["score_old"].astype(float)).round(1),
        "direction": np.select([new_rank > old_rank, new_rank < old_rank], ["worse", "better"],
                               "same"),
    })
    # Downgrades first: what a compliance officer acts on.
    rank = out["direction"].map({"worse": 0, "better": 1, "same": 2})
    order = out.assign(_r=rank).sort_values(["_r", "supplier_id"], kind="stable").index
    return out.loc[order, list(SECTION_COLUMNS["grade_changes"])].reset_index(drop=True)


def _supplier_list(these: pd.DataFrame, others: pd.DataFrame) -> pd.DataFrame:
    """Suppliers of `these` that `others` lacks, in report order."""
    only = these[~these["supplier_id"].isin(others["supplier_id"])]
    return only[list(SECTION_COLUMNS["suppliers_added"])].reset_index(drop=True)


# --- output ----------------------------------------------------------------------------------


def _report_header(report: AuditReport) -> dict[str, Any]:
    return {"path": report.path, "schema_version": report.schema_version, "as_of": report.as_of,
            "generated_at": report.generated_at}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN and NA become None, numpy scalars become Python ones."""
    plain = frame.astype(object).where(frame.notna(), None)
    records = plain.to_dict("records")
    for column in NUMBER_COLUMNS.intersection(frame.columns):
        for record in records:
            value = record[column]
            if value is not None:
                record[column] = int(value) if column == "findings" else float(value)
    return cast(list[dict[str, Any]], records)


def diff_document(diff: ReportDiff) -> dict[str, Any]:
    """The diff as a JSON-ready document (what --json prints and diff.json holds)."""
    return {
        "diff_schema_version": DIFF_SCHEMA_VERSION,
        "tool": {"name": "esg-audit", "version": __version__},
        "old": _report_header(diff.old),
        "new": _report_header(diff.new),
        "summary": diff.counts(),
        **{name: _records(diff.section(name)) for name, _, _ in SECTIONS},
    }


def diff_json_text(diff: ReportDiff) -> str:
    return json.dumps(diff_document(diff), indent=2, ensure_ascii=False) + "\n"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain_text(series: pd.Series) -> pd.Series:
    """Text safe for one terminal line: blanks for None, no line breaks or control characters."""
    text = series.astype(object).where(series.notna(), "").astype(str)
    text = text.str.replace(r"[\r\n\t]+", " ", regex=True)
    return text.str.replace(_CONTROL, lambda m: f"\\x{ord(m.group()):02x}", regex=True)


def _score_text(series: pd.Series, signed: bool = False) -> pd.Series:
    numbers = series.astype(float)
    fmt = "{:+.1f}" if signed else "{:.1f}"
    return numbers.map(lambda v: "–" if np.isnan(v) else fmt.format(v))


def _who(frame: pd.DataFrame) -> pd.Series:
    name = _plain_text(frame["name"])
    return _plain_text(frame["supplier_id"]) + name.where(name == "", " (" + name + ")")


def _lines(name: str, frame: pd.DataFrame) -> list[str]:
    """One line per row of a section, built column-wise."""
    if frame.empty:
        return []
    if name in ("new_findings", "resolved_findings"):
        change = _plain_text(frame["change"])
        text = (_plain_text(frame["severity"]).str.ljust(9) + _plain_text(frame["status"]).str.ljust(8)
                + _who(frame) + "  " + _plain_text(frame["rule_id"]) + "  "
                + _plain_text(frame["title"]) + ": " + _plain_text(frame["message"])
                + change.where(change == "", "  [" + change + "]"))
    elif name == "changed_findings":
        status = _plain_text(frame["old_status"]) + " -> " + _plain_text(frame["new_status"])
        severity = (_plain_text(frame["old_severity"]) + " -> "
                    + _plain_text(frame["new_severity"]))
        same_severity = frame["old_severity"] == frame["new_severity"]
        severity = severity.where(~same_severity, _plain_text(frame["new_severity"]))
        text = (_who(frame) + "  " + _plain_text(frame["rule_id"]) + "  "
                + _plain_text(frame["title"]) + ": status " + status + ", severity " + severity)
    elif name == "grade_changes":
        text = (_who(frame) + "  " + _plain_text(frame["old_grade"]) + " "
                + _score_text(frame["old_score"]) + " -> " + _plain_text(frame["new_grade"])
                + " " + _score_text(frame["new_score"]) + "  ("
                + _score_text(frame["score_change"], signed=True).str.replace("–", "no score")
                + ", " + frame["direction"].astype(str) + ")")
    else:
        plural = np.where(frame["findings"] == 1, " finding", " findings")
        text = (_who(frame) + "  grade " + _plain_text(frame["grade"]) + " "
                + _score_text(frame["score"]) + ", " + frame["findings"].astype(str) + plural)
    return ("  " + text).tolist()


def _as_of(report: AuditReport) -> str:
    return f" (as of {report.as_of})" if report.as_of else ""


def format_text(diff: ReportDiff) -> str:
    """The readable diff: a header, a summary line, then each section with its count."""
    counts = diff.counts()
    lines = [
        f"Changes from {diff.old.path}{_as_of(diff.old)} to {diff.new.path}{_as_of(diff.new)}",
        ", ".join(f"{counts[name]:,} {title.lower()}" for name, title, _ in SECTIONS),
    ]
    for name, title, _ in SECTIONS:
        lines += ["", f"{title} ({counts[name]:,})"]
        lines += _lines(name, diff.section(name)) or ["  (none)"]
    return "\n".join(lines) + "\n"


def write_diff_json(diff: ReportDiff, path: Path) -> None:
    with atomic_text(Path(path), newline="\n") as handle:
        handle.write(diff_json_text(diff))


def _columns(frame: pd.DataFrame) -> list[Column]:
    columns = []
    for name in frame.columns:
        if name in NUMBER_COLUMNS:
            fmt = "0" if name == "findings" else SCORE_FORMAT
            columns.append(Column(name, number_values(frame[name]), "number", fmt))
        elif name == "due":
            columns.append(Column(name, date_values(frame[name]), "number", DATE_FORMAT))
        else:
            columns.append(Column(name, text_values(frame[name])))
    return columns


def write_diff_xlsx(diff: ReportDiff, path: Path) -> None:
    """diff.xlsx: a Summary sheet, then one sheet per section (text is never a formula)."""
    counts = diff.counts()
    summary = pd.DataFrame({
        "item": ["old report", "old as of", "new report", "new as of",
                 *(title.lower() for _, title, _ in SECTIONS)],
        "value": [diff.old.path, diff.old.as_of, diff.new.path, diff.new.as_of,
                  *(counts[name] for name, _, _ in SECTIONS)],
    })
    values = summary["value"].astype(object).where(summary["value"].notna(), None)
    write_tables(Path(path), [
        ("Summary", [
            Column("item", text_values(summary["item"])),
            Column("value", values.to_numpy(dtype=object), "auto"),
        ]),
        *((sheet, _columns(diff.section(name))) for name, _, sheet in SECTIONS),
    ])


def write_diff(diff: ReportDiff, out_dir: Path) -> list[Path]:
    """Write diff.xlsx and diff.json into `out_dir` (created if missing); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx_path, json_path = out_dir / "diff.xlsx", out_dir / "diff.json"
    write_diff_xlsx(diff, xlsx_path)
    write_diff_json(diff, json_path)
    return [xlsx_path, json_path]


def compare_files(old_path: str | Path, new_path: str | Path) -> ReportDiff:
    """Read both report.json files and compare them."""
    return diff_reports(read_report(old_path), read_report(new_path))


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> ReportDiff:
    """Compare two parsed report.json documents (for callers that hold them already)."""
    return diff_reports(audit_report(old, "OLD"), audit_report(new, "NEW"))

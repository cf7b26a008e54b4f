"""report.json: the machine-readable audit report (SPEC §6), documented by report.schema.json.

Layout (schema 2.0): the short parts (tool, audit, summary, waivers) indented by two spaces;
the long lists (rules, suppliers with their results, findings, data issues, notes) one item
per line, written compactly. Rule metadata is given once, in `rules`; a result carries a
`message` only where its check said something. `build_report` gives the document as plain
values and `dumps_report` its text; `write_json` writes exactly that text, but renders the
suppliers and findings column-wise from the result grid, each distinct piece encoded once, so
that 100k suppliers are written in about a second. Same inputs, rules and as-of give a
byte-identical file except `audit.generated_at`. Text is kept exactly as read (no formula
neutralisation: that is for spreadsheets).
"""

from __future__ import annotations

import json
import math
import shlex
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timezone
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from esg_audit import __version__
from esg_audit.model import STATUSES, AuditResult, DataIssue, Note, Rule, Waiver
from esg_audit.reports.atomic import atomic_text

SCHEMA_VERSION = "2.0"
REPORT_SCHEMA_PATH: Path = Path(__file__).resolve().parent / "report.schema.json"
TOP_LEVEL_KEYS = (
    "schema_version", "tool", "audit", "summary", "rules", "suppliers", "findings",
    "data_issues", "notes", "waivers",
)  # fmt: skip
LINE_LISTS = frozenset({"rules", "suppliers", "findings", "data_issues", "notes"})
RULE_KEYS = (
    "rule_id", "title", "pack", "pillar", "severity", "weight", "applies_to", "references",
)  # fmt: skip
RESULT_KEYS = ("rule_id", "status", "points", "max_points")  # then message, where there is one
SUPPLIER_KEYS = ("supplier_id", "name", "score", "grade")  # then pillars, knockout, results
FINDING_KEYS = (
    "supplier_id", "rule_id", "severity", "status", "title", "message", "remediation", "due",
)  # fmt: skip
OUTPUT_OPTIONS = ("--out", "--format", "--history")  # options that do not change the audit
OUTPUT_FLAGS = ("--debug",)
CHUNK_SUPPLIERS = 5_000  # suppliers rendered per write: bounds the memory of one join
CHUNK_FINDINGS = 50_000  # findings rendered per write
ITEM_INDENT = "    "


def build_report(result: AuditResult) -> dict[str, Any]:
    """The report.json document as plain Python values (str, int, float, bool, None, list, dict),
    built item by item (the reference for the column-wise writer)."""
    document = _document_head(result)
    document["rules"] = [_rule(rule) for rule in result.ruleset.rules]
    grid = result.results
    n_rules = len(grid.rule_ids)
    messages = grid.messages_at(np.arange(grid.status.size, dtype=np.int64))
    points = _scored(grid.points, grid.shape)
    max_points = _scored(grid.max_points, grid.shape)
    suppliers = []
    for i, row in enumerate(result.suppliers.reset_index(drop=True).to_dict("records")):
        results = []
        for j, rule_id in enumerate(grid.rule_ids):
            item: dict[str, Any] = {
                "rule_id": rule_id,
                "status": STATUSES[int(grid.status[i, j])],
                "points": float(points[i, j]),
                "max_points": float(max_points[i, j]),
            }
            message = messages[i * n_rules + j]
            if message is not None:
                item["message"] = message
            results.append(item)
        suppliers.append({
            "supplier_id": _plain(row["supplier_id"]),
            "name": _plain(row["name"]),
            "score": _plain(row["score_display"]),
            "grade": _plain(row["grade"]),
            "pillars": {p: _plain(row[f"pillar_display:{p}"]) for p in result.pillars},
            "knockout": bool(row["knockout"]),
            "results": results,
        })
    document["suppliers"] = suppliers
    findings = result.findings.reset_index(drop=True)
    document["findings"] = [
        {key: _plain(row[key]) for key in FINDING_KEYS}
        for row in findings[list(FINDING_KEYS)].to_dict("records")
    ]
    return _ordered(document)


def dumps_report(document: dict[str, Any]) -> str:
    """The text of report.json for a document (see the module docstring for the layout)."""
    parts = []
    for key, value in document.items():
        if key in LINE_LISTS:
            text = _line_list([_compact(item) for item in value])
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        parts.append(f"  {_json(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_json(result: AuditResult, path: Path) -> None:
    """Write report.json atomically (UTF-8, LF line ends, trailing newline)."""
    with atomic_text(Path(path), newline="\n") as handle:
        for text in _render(result):
            handle.write(text)


# --- the document, top to bottom ---------------------------------------------------------------


def _ordered(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document[key] for key in TOP_LEVEL_KEYS}


def _document_head(result: AuditResult) -> dict[str, Any]:
    """Every top-level key except rules, suppliers and findings."""
    data = result.data
    summary = result.summary
    waivers = result.waivers
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "esg-audit", "version": __version__},
        "audit": {
            "as_of": result.as_of.isoformat(),
            "generated_at": _utc_text(result.generated_at),
            "inputs": [
                {"path": f.path, "sha256": f.sha256, "rows": int(f.rows)} for f in data.inputs
            ],
            "rule_packs": [
                {"pack": p.name, "version": p.version, "sha256": p.sha256}
                for p in result.ruleset.packs
            ],
            "waivers": (
                None if waivers.path is None else {"path": waivers.path, "sha256": waivers.sha256}
            ),
            "command": reproducible_command(result.command),
        },
        "summary": {
            "suppliers": int(summary.suppliers),
            "audited": int(summary.audited),
            "by_grade": {g: int(n) for g, n in summary.by_grade.items()},
            "findings_by_severity": {s: int(n) for s, n in summary.findings_by_severity.items()},
            "data_issues": int(summary.data_issues),
            "spend_by_grade": {g: _plain(v) for g, v in summary.spend_by_grade.items()},
            "knockout_spend": {k: _plain(v) for k, v in summary.knockout_spend.items()},
        },
        "data_issues": [_data_issue(i) for i in _sorted_issues(data.data_issues, result)],
        "notes": [_note(n) for n in _sorted_notes(data.notes, result)],
        "waivers": {
            "applied": [_waiver(w) for w in waivers.applied],
            "expired": [_waiver(w) for w in waivers.expired],
            "unmatched": [_waiver(w) for w in waivers.unmatched],
        },
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "rule_id": rule.id,
        "title": rule.title,
        "pack": rule.pack,
        "pillar": rule.pillar,
        "severity": str(rule.severity),
        "weight": float(rule.weight),
        "applies_to": None if rule.applies_to is None else str(rule.applies_to.text),
        "references": list(rule.references),
    }


def reproducible_command(command: str) -> str:
    """The command line without the options that only choose where and how reports are written
    or recorded (`--out`, `--format`, `--history`, `--debug`): the same audit written to another
    folder or in other formats gives the same report.json."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    kept: list[str] = []
    skip_value = False
    for word in words:
        if skip_value:
            skip_value = False
        elif word in OUTPUT_OPTIONS:
            skip_value = True
        elif word.split("=", 1)[0] in OUTPUT_OPTIONS or word in OUTPUT_FLAGS:
            continue
        else:
            kept.append(word)
    return shlex.join(kept)


def _utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _file_order(result: AuditResult) -> dict[str, int]:
    return {f.path: i for i, f in enumerate(result.data.inputs)}


def _sorted_issues(issues: Sequence[DataIssue], result: AuditResult) -> list[DataIssue]:
    """Input-file order, then sheet, row (whole-file issues first), column, problem, value."""
    order = _file_order(result)
    return sorted(
        issues,
        key=lambda i: (
            order.get(i.file, len(order)),
            i.file,
            i.sheet,
            -1 if i.row is None else int(i.row),
            i.column or "",
            i.problem,
            i.value or "",
        ),
    )


def _sorted_notes(notes: Sequence[Note], result: AuditResult) -> list[Note]:
    order = _file_order(result)
    return sorted(
        notes,
        key=lambda n: (order.get(n.file, len(order)), n.file, n.sheet, n.column or "", n.note),
    )


def _data_issue(issue: DataIssue) -> dict[str, Any]:
    return {
        "file": issue.file,
        "sheet": issue.sheet,
        "row": None if issue.row is None else int(issue.row),
        "column": issue.column,
        "value": issue.value,
        "problem": issue.problem,
    }


def _note(note: Note) -> dict[str, Any]:
    return {"file": note.file, "sheet": note.sheet, "column": note.column, "note": note.note}


def _waiver(waiver: Waiver) -> dict[str, Any]:
    return {
        "supplier_id": waiver.supplier_id,
        "rule_id": waiver.rule_id,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "expires": waiver.expires.isoformat(),
    }


# --- values --------------------------------------------------------------------------------


def _scored(values: np.ndarray | None, shape: tuple[int, int]) -> np.ndarray:
    return np.zeros(shape) if values is None else values


def _plain(value: Any) -> Any:
    """A JSON-ready value: str, int, float, bool or None (for NA and NaN); dates as ISO text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return json.dumps(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _line_list(items: Sequence[str]) -> str:
    if not items:
        return "[]"
    return "[\n" + ",\n".join(ITEM_INDENT + item for item in items) + "\n  ]"


# --- fast rendering ----------------------------------------------------------------------------


def _render(result: AuditResult) -> Iterator[str]:
    """The text of dumps_report(build_report(result)), long lists rendered column-wise."""
    head = _document_head(result)
    head["rules"] = [_rule(rule) for rule in result.ruleset.rules]
    yield "{"
    for i, key in enumerate(TOP_LEVEL_KEYS):
        yield ("," if i else "") + "\n  " + _json(key) + ": "
        if key == "suppliers":
            yield from _render_suppliers(result)
        elif key == "findings":
            yield from _render_findings(result)
        elif key in LINE_LISTS:
            yield _line_list([_compact(item) for item in head[key]])
        else:
            yield json.dumps(head[key], indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield "\n}\n"


def _encoded(values: Any, before: str = "", after: str = "") -> np.ndarray:
    """Each value as JSON text (null for NA and NaN) between `before` and `after`, each
    distinct value encoded once."""
    column = pd.Series(values)
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        uniques: list[Any] = column.cat.categories.tolist()
    else:
        codes, unique_index = pd.factorize(column, use_na_sentinel=True)
        uniques = np.asarray(unique_index, dtype=object).tolist()
    if all(type(v) is str for v in uniques):  # ids, names: no conversion needed
        texts = [before + encode_basestring(v) + after for v in uniques]
    else:
        texts = [before + _json(_plain(v)) + after for v in uniques]
    encoded = np.array([*texts, before + "null" + after], dtype=object)
    return encoded[np.where(codes < 0, len(uniques), codes)]


def _free_text(values: np.ndarray, before: str = "", after: str = "") -> np.ndarray:
    """Mostly distinct texts (messages) as JSON strings between `before` and `after`, encoded
    one by one (None: null)."""
    missing = pd.isna(values)
    texts = np.where(missing, "", values) if missing.any() else values
    encoded = np.fromiter(
        (before + encode_basestring(text) + after for text in texts),
        dtype=object,
        count=len(texts),
    )
    encoded[missing] = before + "null" + after
    return encoded


def _constant(text: str, n: int) -> np.ndarray:
    return np.full(n, text, dtype=object)


def _joined(columns: Sequence[np.ndarray], chunk: int) -> Iterator[str]:
    """Row r's text is the concatenation of the columns' r-th pieces; rows joined in chunks."""
    rows = np.column_stack(columns)
    for begin in range(0, len(rows), chunk):
        yield "".join(rows[begin : begin + chunk].ravel().tolist())


def _result_pieces(result: AuditResult) -> list[np.ndarray]:
    """Per rule, two columns of pieces over the suppliers: a result's object text without its
    end, then its end (`}`, or the message and `}`). The text without a message depends only on
    (rule, status, points, max_points): each distinct combination is encoded once."""
    grid = result.results
    n_suppliers, n_rules = grid.shape
    if grid.status.size == 0:
        return []
    points = _scored(grid.points, grid.shape).ravel()
    max_points = _scored(grid.max_points, grid.shape).ravel()
    point_codes, point_values = pd.factorize(points)
    max_codes, max_values = pd.factorize(max_points)
    rule = np.tile(np.arange(n_rules, dtype=np.int64), n_suppliers)
    key = ((rule * len(STATUSES) + grid.status.ravel()) * len(point_values) + point_codes) * len(
        max_values
    ) + max_codes
    key_codes, keys = pd.factorize(key)
    texts = []
    for k in keys.tolist():
        rest, m = divmod(k, len(max_values))
        rest, p = divmod(rest, len(point_values))
        j, status = divmod(rest, len(STATUSES))
        texts.append(
            ("{" if j == 0 else ",{")
            + f'"rule_id":{_json(grid.rule_ids[j])},"status":{_json(STATUSES[status])},'
            + f'"points":{_json(float(point_values[p]))},'
            + f'"max_points":{_json(float(max_values[m]))}'
        )
    pieces = np.array(texts, dtype=object)[key_codes].reshape(n_suppliers, n_rules)
    ends = _constant("}", n_suppliers * n_rules)
    if len(grid.message_cells):
        ends[grid.message_cells] = _free_text(grid.message_texts, ',"message":', "}")
    ends = ends.reshape(n_suppliers, n_rules)
    return [column for j in range(n_rules) for column in (pieces[:, j], ends[:, j])]


def _render_suppliers(result: AuditResult) -> Iterator[str]:
    suppliers = result.suppliers.reset_index(drop=True)
    n = len(suppliers)
    if n == 0:
        yield "[]"
        return
    columns = [
        _encoded(suppliers["supplier_id"].astype("str"), '{"supplier_id":'),
        _encoded(suppliers["name"].astype("str"), ',"name":'),
        _encoded(suppliers["score_display"].to_numpy(dtype=float), ',"score":'),
        _encoded(suppliers["grade"].astype("str"), ',"grade":', ',"pillars":{'),
    ]
    for k, pillar in enumerate(result.pillars):
        scores = suppliers[f"pillar_display:{pillar}"].to_numpy(dtype=float)
        columns.append(_encoded(scores, ("," if k else "") + _json(pillar) + ":"))
    knockout = suppliers["knockout"].to_numpy(dtype=bool)
    columns.append(_encoded(knockout, '},"knockout":', ',"results":['))
    columns += _result_pieces(result)
    tail = _constant("]},\n" + ITEM_INDENT, n)
    tail[-1] = "]}"
    columns.append(tail)
    yield "[\n" + ITEM_INDENT
    yield from _joined(columns, CHUNK_SUPPLIERS)
    yield "\n  ]"


def _render_findings(result: AuditResult) -> Iterator[str]:
    findings = result.findings.reset_index(drop=True)
    n = len(findings)
    if n == 0:
        yield "[]"
        return
    columns = []
    for k, key in enumerate(FINDING_KEYS):
        before = ("{" if k == 0 else ",") + _json(key) + ":"
        if key == "message":
            text = findings[key].astype("str")
            values = text.to_numpy(dtype=object)
            values[text.isna().to_numpy(dtype=bool)] = None
            columns.append(_free_text(values, before))
        elif key == "due":
            columns.append(_encoded(findings[key].to_numpy(dtype=object), before))
        else:
            columns.append(_encoded(findings[key], before))
    separators = _constant("},\n" + ITEM_INDENT, n)
    separators[-1] = "}"
    columns.append(separators)
    yield "[\n" + ITEM_INDENT
    yield from _joined(columns, CHUNK_FINDINGS)
    yield "\n  ]"

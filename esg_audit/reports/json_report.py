"""report.json: the machine-readable audit report (SPEC §6), documented by report.schema.json.

`build_report` gives the document as a dict. `write_json` writes exactly
`json.dumps(build_report(result), indent=2, ensure_ascii=False) + "\\n"`, but renders the two
long lists (suppliers with their results, findings) column-wise from pre-encoded values, so a
report of 100k suppliers × 30 rules is written in seconds rather than minutes. Same inputs,
rules and as-of give a byte-identical file except `audit.generated_at`. Text is kept exactly as
read (no formula neutralisation: that is for spreadsheets).
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
from esg_audit.model import GRADES, SEVERITY_ORDER, AuditResult, DataIssue, Note, Waiver
from esg_audit.reports.atomic import atomic_text
from esg_audit.scoring import positions, round_half_up

SCHEMA_VERSION = "1.0"
REPORT_SCHEMA_PATH: Path = Path(__file__).resolve().parent / "report.schema.json"
TOP_LEVEL_KEYS = (
    "schema_version", "tool", "audit", "summary", "suppliers", "findings", "data_issues",
    "notes", "waivers",
)  # fmt: skip
RESULT_KEYS = ("rule_id", "status", "points", "max_points", "message")
SUPPLIER_KEYS = ("supplier_id", "name", "score", "grade")  # then pillars, knockout, results
FINDING_KEYS = (
    "supplier_id",
    "rule_id",
    "severity",
    "status",
    "title",
    "message",
    "remediation",
    "due",
)
FREE_TEXT_KEYS = frozenset({"message"})  # mostly distinct per row: encoded row by row
OUTPUT_OPTIONS = ("--out", "--format")  # options with a value that do not change the audit
OUTPUT_FLAGS = ("--debug",)
CHUNK_SUPPLIERS = 5_000  # suppliers rendered per write: bounds the memory of one join
CHUNK_FINDINGS = 100_000  # findings rendered per write


def build_report(result: AuditResult) -> dict[str, Any]:
    """The report.json document as plain Python values (str, int, float, bool, None, list, dict)."""
    document = _document_head(result)
    ids, names, scores, grades = (_python_values(k, c) for k, c in _supplier_columns(result))
    pillars = [_python_values(p, c) for p, c in _pillar_columns(result)]
    knockouts = result.suppliers["knockout"].astype(bool).tolist()
    columns, counts = _result_columns(result)
    rows = [
        {"rule_id": r, "status": s, "points": p, "max_points": m, "message": t}
        for r, s, p, m, t in zip(*(_python_values(k, c) for k, c in columns), strict=True)
    ]
    bounds = np.r_[0, np.cumsum(counts)].tolist()
    document["suppliers"] = [
        {
            "supplier_id": ids[i],
            "name": names[i],
            "score": scores[i],
            "grade": grades[i],
            "pillars": {p: values[i] for p, values in zip(result.pillars, pillars, strict=True)},
            "knockout": knockouts[i],
            "results": rows[bounds[i] : bounds[i + 1]],
        }
        for i in range(len(ids))
    ]
    findings = (_python_values(k, c) for k, c in _finding_columns(result))
    document["findings"] = [
        {
            "supplier_id": supplier_id,
            "rule_id": rule_id,
            "severity": severity,
            "status": status,
            "title": title,
            "message": message,
            "remediation": remediation,
            "due": due,
        }  # fmt: skip
        for supplier_id, rule_id, severity, status, title, message, remediation, due in zip(
            *findings, strict=True
        )
    ]
    return _ordered(document)


def write_json(result: AuditResult, path: Path) -> None:
    """Write report.json atomically (indent 2, UTF-8, trailing newline)."""
    with atomic_text(Path(path), newline="\n") as handle:
        for text in _render(result):
            handle.write(text)


# --- the document, top to bottom ---------------------------------------------------------------


def _ordered(document: dict[str, Any]) -> dict[str, Any]:
    return {key: document[key] for key in TOP_LEVEL_KEYS}


def _document_head(result: AuditResult) -> dict[str, Any]:
    """Every top-level key except suppliers and findings."""
    data = result.data
    grades = result.suppliers["grade"].astype("str").value_counts()
    severities = result.findings["severity"].astype("str").value_counts()
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
            "suppliers": int(data.supplier_rows),
            "audited": len(result.suppliers),
            "by_grade": {g: int(grades.get(g, 0)) for g in GRADES},
            "findings_by_severity": {s: int(severities.get(s, 0)) for s in SEVERITY_ORDER},
            "data_issues": len(data.data_issues),
        },
        "data_issues": [_data_issue(i) for i in _sorted_issues(data.data_issues, result)],
        "notes": [_note(n) for n in _sorted_notes(data.notes, result)],
        "waivers": {
            "applied": [_waiver(w) for w in waivers.applied],
            "expired": [_waiver(w) for w in waivers.expired],
            "unmatched": [_waiver(w) for w in waivers.unmatched],
        },
    }


def reproducible_command(command: str) -> str:
    """The command line without the options that only choose where and how reports are written
    (`--out`, `--format`, `--debug`): the same audit written to another folder or in other
    formats gives the same report.json."""
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


# --- suppliers, results and findings as columns ------------------------------------------------


def _supplier_columns(result: AuditResult) -> list[tuple[str, pd.Series]]:
    """The first keys of each supplier's object (before pillars, knockout and results)."""
    suppliers = result.suppliers.reset_index(drop=True)
    source = {
        "supplier_id": "supplier_id",
        "name": "name",
        "score": "score_display",
        "grade": "grade",
    }
    return [(key, suppliers[source[key]]) for key in SUPPLIER_KEYS]


def _pillar_columns(result: AuditResult) -> list[tuple[str, pd.Series]]:
    """Each pillar's scores, rounded half up for display (NaN: null)."""
    suppliers = result.suppliers
    return [
        (p, pd.Series(round_half_up(suppliers[f"pillar:{p}"].to_numpy(dtype=float))))
        for p in result.pillars
    ]


def _result_columns(result: AuditResult) -> tuple[list[tuple[str, pd.Series]], np.ndarray]:
    """Result columns with rows grouped by supplier in supplier order (rule order kept within a
    supplier), and each supplier's number of results."""
    results = result.results
    position = positions(
        results["supplier_id"], pd.Index(result.suppliers["supplier_id"].astype("str"))
    )
    if (position < 0).any():
        raise ValueError("results name a supplier that is not in the suppliers frame")
    if not (np.diff(position) >= 0).all():
        results = results.iloc[np.argsort(position, kind="stable")]
    results = results.reset_index(drop=True)
    counts = np.bincount(position, minlength=len(result.suppliers))
    return [(key, results[key]) for key in RESULT_KEYS], counts


def _finding_columns(result: AuditResult) -> list[tuple[str, pd.Series]]:
    findings = result.findings.reset_index(drop=True)
    codes, days = pd.factorize(findings["due"], use_na_sentinel=True)
    due = pd.Series(
        pd.Categorical.from_codes(
            codes, categories=pd.Index([d.isoformat() for d in days], dtype="str")
        )
    )
    return [(key, due if key == "due" else findings[key]) for key in FINDING_KEYS]


def _python_values(key: str, column: pd.Series) -> list[Any]:
    """JSON-ready values of a column: str, float, int, bool or None (for NA and NaN)."""
    if key in FREE_TEXT_KEYS:
        return column.astype(object).where(column.notna(), None).tolist()
    codes, uniques = _factorized(column)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[: len(uniques)] = uniques
    return values[codes].tolist()


def _factorized(column: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes (-1 for missing) and the distinct values as JSON-ready Python values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        uniques = column.cat.categories
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = uniques.tolist()
    if uniques.dtype == object:  # anything else already gives str, float, int or bool
        values = [_plain(v) for v in values]
    return np.asarray(codes, dtype=np.intp), values


def _plain(value: Any) -> Any:
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


# --- fast rendering ----------------------------------------------------------------------------


def _json(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return json.dumps(value)


def _indented(value: Any, level: int) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


def _render(result: AuditResult) -> Iterator[str]:
    """The text of json.dumps(build_report(result), indent=2, ensure_ascii=False) + newline."""
    head = _ordered({**_document_head(result), "suppliers": None, "findings": None})
    yield "{"
    for i, key in enumerate(head):
        yield ("," if i else "") + "\n  " + _json(key) + ": "
        if key == "suppliers":
            yield from _render_suppliers(result)
        elif key == "findings":
            yield from _render_findings(result)
        else:
            yield _indented(head[key], 1)
    yield "\n}\n"


def _pieces(
    column: pd.Series,
    before: str,
    after: str = "",
    first: np.ndarray | None = None,
    before_first: str = "",
) -> np.ndarray:
    """Per row: `before` + the value as JSON + `after`, each distinct value encoded once.

    Where `first` is true, `before_first` replaces `before` (the first item of a list has no
    separating comma).
    """
    codes, uniques = _factorized(column)
    encoded = [_json(v) for v in uniques] + ["null"]
    codes = np.where(codes < 0, len(uniques), codes)
    texts = np.array([before + t + after for t in encoded], dtype=object)[codes]
    if first is None:
        return texts
    firsts = np.array([before_first + t + after for t in encoded], dtype=object)[codes]
    return np.where(first, firsts, texts)


def _free_text(column: pd.Series) -> np.ndarray:
    """Each row's text as a JSON string (null where missing), encoded row by row.

    For columns whose values are mostly distinct (messages), hashing them to encode each
    distinct value once costs more than it saves.
    """
    missing = column.isna().to_numpy()
    values = column.astype("str").to_numpy(dtype=object)
    if missing.any():
        values = np.where(missing, "", values)
    encoded = np.fromiter(map(encode_basestring, values), dtype=object, count=len(values))
    encoded[missing] = "null"
    return encoded


def _object_pieces(
    columns: Sequence[tuple[str, pd.Series]], first: np.ndarray, level: int, close: bool = True
) -> list[np.ndarray]:
    """Pieces of a list of flat objects at `level`, as row-aligned arrays: row r's object is the
    concatenation of the arrays' r-th elements. Keys, braces and separators are baked into the
    pieces of the (few) distinct values; free-text values stand alone.
    """
    item, inner = "\n" + "  " * level, "\n" + "  " * (level + 1)
    keys = [key for key, _ in columns]
    n = len(first)
    befores = ["," + inner + _json(key) + ": " for key in keys]
    befores[0] = "," + item + "{" + inner + _json(keys[0]) + ": "
    afters = [""] * len(keys)
    if close:
        afters[-1] = item + "}"
    free = [key in FREE_TEXT_KEYS for key in keys]
    if free[0]:
        raise ValueError("the first key of an object cannot be free text")
    pieces: list[np.ndarray] = []
    for k, (_, column) in enumerate(columns):
        if free[k]:
            if free[k - 1]:
                pieces.append(_constant(befores[k], n))
            pieces.append(_free_text(column))
            if afters[k]:
                pieces.append(_constant(afters[k], n))
            continue
        after = afters[k] + (befores[k + 1] if k + 1 < len(keys) and free[k + 1] else "")
        if k == 0:
            pieces.append(_pieces(column, befores[0], after, first, befores[0][1:]))
        else:
            pieces.append(_pieces(column, befores[k], after))
    return pieces


def _constant(text: str, n: int) -> np.ndarray:
    array = np.empty(n, dtype=object)
    array[:] = text
    return array


def _first_of_groups(counts: np.ndarray) -> np.ndarray:
    """True on the first row of each non-empty group of consecutive rows."""
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    first = np.zeros(int(counts.sum()), dtype=bool)
    first[starts[counts > 0]] = True
    return first


def _render_suppliers(result: AuditResult) -> Iterator[str]:
    n = len(result.suppliers)
    if n == 0:
        yield "[]"
        return
    key_line = "\n      "
    head = _object_pieces(
        _supplier_columns(result), _first_of_groups(np.array([n])), 2, close=False
    )
    pillars = _pillar_columns(result)
    if not pillars:
        head.append(_constant("," + key_line + '"pillars": {}', n))
    for k, (pillar, scores) in enumerate(pillars):
        before = (
            ("," + key_line + '"pillars": {' if k == 0 else ",")
            + "\n        "
            + _json(pillar)
            + ": "
        )
        head.append(_pieces(scores, before, key_line + "}" if k == len(pillars) - 1 else ""))
    knockout = result.suppliers["knockout"].astype(bool).reset_index(drop=True)
    head.append(_pieces(knockout, "," + key_line + '"knockout": '))
    columns, counts = _result_columns(result)
    has_results = counts > 0
    results_key = "," + key_line + '"results": '
    head.append(np.where(has_results, results_key + "[", results_key + "[]\n    }").astype(object))
    tail = np.where(has_results, "\n      ]\n    }", "").astype(object)
    rows = _object_pieces(columns, _first_of_groups(counts), level=4)

    # Scatter every piece to its place: supplier i's head, its results row by row, its tail.
    width, row_width = len(head), len(rows)
    offsets = np.r_[0, np.cumsum(width + row_width * counts + 1)]
    out = np.empty(int(offsets[-1]), dtype=object)
    out[offsets[:-1, None] + np.arange(width)] = np.column_stack(head)
    if counts.sum():
        supplier = np.repeat(np.arange(n), counts)
        rank = np.arange(len(supplier)) - np.r_[0, np.cumsum(counts)[:-1]][supplier]
        row_start = offsets[supplier] + width + row_width * rank
        out[row_start[:, None] + np.arange(row_width)] = np.column_stack(rows)
    out[offsets[1:] - 1] = tail
    yield "["
    for begin in range(0, n, CHUNK_SUPPLIERS):
        end = min(begin + CHUNK_SUPPLIERS, n)
        yield "".join(out[offsets[begin] : offsets[end]].tolist())
    yield "\n  ]"


def _render_findings(result: AuditResult) -> Iterator[str]:
    n = len(result.findings)
    if n == 0:
        yield "[]"
        return
    rows = np.column_stack(
        _object_pieces(_finding_columns(result), _first_of_groups(np.array([n])), level=2)
    )
    yield "["
    for begin in range(0, n, CHUNK_FINDINGS):
        yield "".join(rows[begin : begin + CHUNK_FINDINGS].ravel().tolist())
    yield "\n  ]"

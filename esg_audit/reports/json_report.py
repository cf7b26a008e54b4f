"""report.json: the machine-readable audit report (SPEC §6), documented by report.schema.json.

Layout (schema 2.0): the short parts (tool, audit, summary, waivers) indented by two spaces;
the long lists (rules, suppliers with their results, findings, data issues, notes) one item
per line, written compactly and without indent (a line is one supplier or one finding, for
grep and diff). Rule metadata is given once, in `rules`; a result carries a
`message` only where its check said something. `build_report` gives the document as plain
values and `dumps_report` its text; `write_json` writes exactly that text as UTF-8, but
renders the suppliers and findings column-wise from the result grid (see "fast rendering"
below) and writes it a few MB at a time, never holding the whole document. Same inputs, rules
and as-of give a byte-identical file except `audit.generated_at`. Text is kept exactly as read
(no formula neutralisation: that is for spreadsheets).
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
import pyarrow as pa
import pyarrow.compute as pc

from esg_audit import __version__
from esg_audit.model import (
    STATUSES,
    AuditResult,
    DataIssue,
    EncodedTexts,
    Note,
    Rule,
    RuleResults,
    Waiver,
)
from esg_audit.reports.pieces import Pieces, distinct, text_of, write_chunks

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
CHUNK_SUPPLIERS = 400  # suppliers rendered per write: a few MB, reused by the allocator
CHUNK_FINDINGS = 8_000  # findings rendered per write
ITEM_INDENT = ""  # an item of a long list starts its line: an indent would cost 5 MB at 100k


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
    write_chunks(Path(path), _render(result))


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
    if type(value) is str:
        return value
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
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _line_list(items: Sequence[str]) -> str:
    if not items:
        return "[]"
    return "[\n" + ",\n".join(ITEM_INDENT + item for item in items) + "\n  ]"


# --- fast rendering ----------------------------------------------------------------------------
#
# The text of dumps_report(build_report(result)) as UTF-8 bytes, the long lists rendered
# column-wise, nothing computed per cell in Python. A long list is a table of pieces: each
# column holds, per row, a code into the column's few distinct pieces of text, each rendered
# once. A result is its skeleton then its message text: the skeleton (closing the message
# before it, then rule_id, status, points, max_points, and `}` or the opening of its message)
# is one of the few distinct combinations of rule, status, points, max points and whether it
# and the result before it have a message. A finding is its supplier, its (rule, severity,
# status, title) part, its message text and its (remediation, due) part. All of a list's
# pieces go into one Arrow string array; a chunk of rows is then one `take` of the pieces in
# row-major order, whose character data is exactly the chunk's text, written as it is.


def _render(result: AuditResult) -> Iterator[bytes | pa.Buffer]:
    head = _document_head(result)
    head["rules"] = [_rule(rule) for rule in result.ruleset.rules]
    yield b"{"
    for i, key in enumerate(TOP_LEVEL_KEYS):
        yield (("," if i else "") + "\n  " + _json(key) + ": ").encode()
        if key == "suppliers":
            yield from _render_suppliers(result)
        elif key == "findings":
            yield from _render_findings(result)
        elif key in LINE_LISTS:
            yield _line_list([_compact(item) for item in head[key]]).encode()
        else:
            text = json.dumps(head[key], indent=2, ensure_ascii=False).replace("\n", "\n  ")
            yield text.encode()
    yield b"\n}\n"


def _encoded(values: Any, before: str = "", after: str = "") -> tuple[np.ndarray, list[str]]:
    """A code per value, and the distinct values as JSON text (null for NA and NaN) between
    `before` and `after`, each encoded once."""
    codes, uniques = distinct(values)
    na = bool(uniques) and uniques[-1] is None
    texts = uniques[:-1] if na else uniques
    if all(type(v) is str for v in texts):  # ids, names: encoded in one call
        opened, closed = before + '"', '"' + after
        pieces = [opened + body + closed for body in _bodies(texts)]
    else:
        pieces = [before + _json(_plain(v)) + after for v in texts]
    if na:
        pieces.append(before + "null" + after)
    return codes, pieces


def _compacted(key: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """The keys (0 <= key < size) renumbered 0..k-1, and k."""
    if size <= max(len(key), 1 << 20):
        used = np.zeros(size, dtype=bool)
        used[key] = True
        renumber = np.cumsum(used, dtype=np.int64) - 1
        return renumber[key], int(renumber[-1]) + 1 if size else 0
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64), len(uniques)


def _grouped(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for each distinct combination of the columns, and one row holding each
    combination. A column is either codes (integers >= 0) or floats, compared bit for bit (the
    text of -0.0 is not that of 0.0); a float column that the columns before it determine (the
    points of a rule and status) costs nothing. Works in place on one int64 key."""
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    size = 1
    for column in columns:
        if column.dtype.kind == "f":
            bits = np.ascontiguousarray(column, dtype=np.float64).view(np.int64)
            seen = np.zeros(size, dtype=np.int64)
            seen[key] = bits
            if np.array_equal(seen[key], bits):
                continue
            column, _ = _compacted(*_factorized(bits))
        cardinality = int(column.max()) + 1 if n else 1
        if size * cardinality > max(n, 1 << 20):
            key, size = _compacted(key, size)
        key *= cardinality
        key += column
        size *= cardinality
    key, size = _compacted(key, size)
    rows = np.zeros(size, dtype=np.int64)
    for begin in range(0, n, 1 << 20):  # any row of a combination will do: the last written
        stop = min(begin + (1 << 20), n)
        rows[key[begin:stop]] = np.arange(begin, stop, dtype=np.int64)
    return key, rows


def _factorized(values: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), len(uniques)


_PLAIN = bytes(b for b in range(128) if b >= 0x20 and b not in b'"\\')  # as JSON encodes it


def _bodies(texts: Any) -> list[str]:
    """Each text as JSON encodes it inside a string's quotes (NA as empty text). The texts are
    joined by NUL (by Arrow's string kernels when they are an Arrow-backed array) and encoded
    in one call, then split where the NULs went: an encoded text never holds a raw NUL. ASCII
    text without quotes, backslashes or control characters is its own encoding."""
    n = len(texts)
    if not n:
        return []
    joined = _joined(texts)
    if joined.isascii():
        raw = joined.encode("ascii")
        if not raw.translate(None, _PLAIN + b"\0") and raw.count(b"\0") == n - 1:
            return joined.split("\0")
    parts = encode_basestring(joined)[1:-1].split("\\u0000")
    if len(parts) == n:
        return parts
    return [encode_basestring(t)[1:-1] for t in _texts(texts)]  # a text holds a NUL


def _texts(texts: Any) -> list[str]:
    """The texts as a list of str, NA as empty text."""
    values = texts.tolist() if hasattr(texts, "tolist") else list(texts)
    if all(type(t) is str for t in values):
        return values
    return ["" if _plain(t) is None else str(t) for t in values]


def _joined(texts: Any) -> str:
    """The texts joined by NUL, NA as empty text."""
    arrow = isinstance(texts, (pa.Array, pa.ChunkedArray)) or hasattr(texts, "__arrow_array__")
    if arrow:  # a pandas "str" array or Arrow's own: no Python object per text
        array = pa.array(texts)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            array = pc.fill_null(array.cast(pa.large_string()), "")
            lists = pa.LargeListArray.from_arrays(pa.array([0, len(array)], pa.int64()), array)
            joined = pc.binary_join(lists, pa.scalar("\0", pa.large_string()))[0].as_py()
            assert isinstance(joined, str)
            return joined
    try:
        return "\0".join(texts.tolist() if hasattr(texts, "tolist") else texts)
    except TypeError:  # not all text
        return "\0".join(_texts(texts))


def _message_pieces(grid: RuleResults) -> tuple[np.ndarray, list[str]]:
    """For each result that has a message (in `message_cells` order), a code into the
    distinct message texts, and those texts encoded (each once)."""
    texts = grid.message_texts
    if isinstance(texts, EncodedTexts):
        return np.asarray(texts.codes, dtype=np.int64), _bodies(texts.distinct)
    codes, uniques = distinct(pd.array(np.asarray(texts, dtype=object), dtype="str"))
    return codes, _bodies(uniques)


def _result_skeletons(
    result: AuditResult, message_cells: np.ndarray
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """For every grid cell the code of its skeleton, those skeletons, and
    whether each supplier's last result has a message."""
    grid = result.results
    n_suppliers, n_rules = grid.shape
    rule = np.tile(np.arange(n_rules, dtype=np.min_scalar_type(n_rules)), n_suppliers)
    status = grid.status.ravel()
    points = _scored(grid.points, grid.shape).ravel()
    max_points = _scored(grid.max_points, grid.shape).ravel()
    has = np.zeros(n_suppliers * n_rules, dtype=np.int8)
    has[message_cells] = 1
    after = np.zeros_like(has)  # the result before it in the same supplier has a message
    after[1:] = has[:-1]
    after[:: max(n_rules, 1)] = 0
    codes, rows = _grouped([rule, status, points, max_points, has, after])
    rule_ids = [_json(r) for r in grid.rule_ids]
    statuses = [_json(s) for s in STATUSES]
    texts = [
        ('"}' if a else "")
        + ("{" if j == 0 else ",{")
        + f'"rule_id":{rule_ids[j]},"status":{statuses[s]},'
        + f'"points":{_json(_plain(p))},"max_points":{_json(_plain(m))}'
        + (',"message":"' if h else "}")
        for j, s, p, m, h, a in zip(
            rule[rows].tolist(),
            status[rows].tolist(),
            points[rows].tolist(),
            max_points[rows].tolist(),
            has[rows].tolist(),
            after[rows].tolist(),
            strict=True,
        )
    ]
    last = has.reshape(n_suppliers, n_rules)[:, -1] if n_rules else np.zeros(n_suppliers)
    return codes.reshape(n_suppliers, n_rules), texts, last.astype(bool)


def _render_suppliers(result: AuditResult) -> Iterator[bytes | pa.Buffer]:
    """One line per supplier: its head (id, name, score, grade, pillars, knockout), then for
    each rule its result's skeleton and message text, then the line's end."""
    suppliers = result.suppliers.reset_index(drop=True)
    n = len(suppliers)
    if n == 0:
        yield b"[]"
        return
    table = Pieces()
    table.add(*_encoded(suppliers["supplier_id"].astype("str"), '{"supplier_id":'))
    table.add(*_encoded(suppliers["name"].astype("str"), ',"name":'))
    table.add(*_encoded(suppliers["score_display"].to_numpy(dtype=float), ',"score":'))
    table.add(*_encoded(suppliers["grade"].astype("str"), ',"grade":', ',"pillars":{'))
    for k, pillar in enumerate(result.pillars):
        scores = suppliers[f"pillar_display:{pillar}"].to_numpy(dtype=float)
        table.add(*_encoded(scores, ("," if k else "") + _json(pillar) + ":"))
    knockout = suppliers["knockout"].to_numpy(dtype=bool)
    table.add(*_encoded(knockout, '},"knockout":', ',"results":['))
    n_rules = result.results.shape[1]
    message_cells = np.asarray(result.results.message_cells, dtype=np.int64)
    skeleton_codes, skeletons, last_has = _result_skeletons(result, message_cells)
    skeleton = table.add(skeleton_codes, skeletons)
    message_codes, bodies = _message_pieces(result.results)
    table.add(message_codes, bodies)
    no_message = table.piece("")
    table.add(last_has.astype(np.int64), ["]},\n" + ITEM_INDENT, '"}]},\n' + ITEM_INDENT])
    last_line = table.piece('"}]}' if last_has[-1] else "]}")
    head, (skeleton_at, message_at, tail) = table.columns[:skeleton], table.columns[skeleton:]
    pieces = table.done()
    width = len(head) + 2 * n_rules + 1
    yield ("[\n" + ITEM_INDENT).encode()
    for begin in range(0, n, CHUNK_SUPPLIERS):
        stop = min(begin + CHUNK_SUPPLIERS, n)
        rows = np.empty((stop - begin, width), dtype=np.int64)
        for k, column in enumerate(head):
            rows[:, k] = column[begin:stop]
        results = slice(len(head), len(head) + 2 * n_rules)
        rows[:, results][:, 0::2] = skeleton_at[begin:stop]
        first, beyond = np.searchsorted(message_cells, [begin * n_rules, stop * n_rules])
        messages = np.full((stop - begin) * n_rules, no_message, dtype=np.int64)
        messages[message_cells[first:beyond] - begin * n_rules] = message_at[first:beyond]
        rows[:, results][:, 1::2] = messages.reshape(stop - begin, n_rules)
        rows[:, -1] = tail[begin:stop]
        if stop == n:
            rows[-1, -1] = last_line
        yield text_of(pieces, rows)
    yield b"\n  ]"


def _render_findings(result: AuditResult) -> Iterator[bytes | pa.Buffer]:
    """One line per finding: its supplier, its (rule_id, severity, status, title) part that
    opens the message, the message text, and its (remediation, due) part that closes it."""
    findings = result.findings.reset_index(drop=True)
    n = len(findings)
    if n == 0:
        yield b"[]"
        return
    table = Pieces()
    table.add(*_encoded(findings["supplier_id"], '{"supplier_id":'))
    message_codes, messages = pd.factorize(findings["message"].astype("str"))
    missing = message_codes < 0
    separator = ",\n" + ITEM_INDENT
    codes, texts, without = _finding_part(findings, ("rule_id", "severity", "status", "title"),
                                          missing)
    table.add(codes, [t + ',"message":' + ("null" if m else '"')
                      for t, m in zip(texts, without, strict=True)])
    table.add(np.where(missing, len(messages), message_codes),
              [*_bodies(messages.array), ""])  # NA: null, no body
    codes, texts, without = _finding_part(findings, ("remediation", "due"), missing)
    ends = [("" if m else '"') + t + "}" + separator for t, m in zip(texts, without, strict=True)]
    table.add(codes, ends)
    last_piece = table.piece(ends[codes[n - 1]][: -len(separator)])
    pieces = table.done()
    yield ("[\n" + ITEM_INDENT).encode()
    for begin in range(0, n, CHUNK_FINDINGS):
        stop = min(begin + CHUNK_FINDINGS, n)
        rows = table.rows(begin, stop)
        if stop == n:
            rows[-1, -1] = last_piece
        yield text_of(pieces, rows)
    yield b"\n  ]"


def _finding_part(
    findings: pd.DataFrame, keys: tuple[str, ...], missing: np.ndarray
) -> tuple[np.ndarray, list[str], list[bool]]:
    """For each finding the code of its distinct combination of `keys` and of whether its
    message is missing; each combination's `,"key":value` text, and whether its message is
    missing."""
    columns = [distinct(findings[key].to_numpy(dtype=object) if key == "due" else findings[key])
               for key in keys]
    codes, rows = _grouped([c for c, _ in columns] + [missing.astype(np.int64)])
    texts = [
        "".join("," + _json(key) + ":" + _json(_plain(uniques[c[row]]))
                for key, (c, uniques) in zip(keys, columns, strict=True))
        for row in rows.tolist()
    ]
    return codes, texts, missing[rows].tolist()

"""One raw sheet -> a typed frame: header row, column matching, blank and id-less rows, cells."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa

from esg_audit.errors import InputFileError
from esg_audit.fields import CERTIFICATE_STATUS_ALIASES, SHEET_FIELDS, field_of
from esg_audit.model import (
    NOT_RECOGNISED,
    ColumnReading,
    DataIssue,
    ErrorCells,
    Location,
    Note,
    RawSheet,
    SheetReading,
)
from esg_audit.normalise.booleans import read_booleans
from esg_audit.normalise.cells import (
    Cells,
    arrow_text,
    as_text,
    by_distinct,
    cell_text,
    classify,
    map_distinct,
    text_series,
    text_values,
)
from esg_audit.normalise.choices import read_choices
from esg_audit.normalise.column_read import ColumnRead
from esg_audit.normalise.countries import read_countries
from esg_audit.normalise.dates import read_dates
from esg_audit.normalise.headers import (
    HEADER_ROWS_SCANNED,
    ColumnSpec,
    HeaderMatcher,
    header_key,
    sheet_key,
    snake_case,
)
from esg_audit.normalise.normalised import PlacedIssue, SheetSource, SourceColumn
from esg_audit.normalise.numbers import read_numbers, read_shares, read_years
from esg_audit.normalise.standards import normalise_standard, read_standards

DTYPES = {
    "text": "string",
    "standard": "string",
    "number": "Float64",
    "share": "Float64",
    "year": "Int64",
    "bool": "boolean",
    "date": "datetime64[ns]",
}
PROVENANCE = ("_file", "_sheet", "_row")
# Excel's error values (SPEC §3): #N/A means missing (noted), any other is a data issue.
NOT_AVAILABLE = "#N/A"
ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", NOT_AVAILABLE)
ERROR_VALUE = "Excel error value"
ERROR_ID = "Excel error value in place of a supplier_id"
REPEATS_A_FIELD = "repeats a field"
UNIT_NOT_UNDERSTOOD = "unit not understood"
NUL_ID = "supplier_id holds a NUL character"
EDITION = "standard_edition"  # Certificates: the edition year of `standard` (ISO 27001:2013)


@dataclass(frozen=True)
class Settings:
    """What shapes the reading of every sheet: the user's mapping, declared fields, dates."""

    column_map: Mapping[str, Mapping[str, str]]
    extra_fields: Mapping[str, str]
    date_format: str | None = None
    field_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # listed answers


@dataclass(frozen=True)
class SheetRead:
    """One raw sheet, read: typed frame (index = Excel row), provenance, issues and notes."""

    frame: pd.DataFrame
    source: SheetSource
    issues: tuple[PlacedIssue, ...]
    notes: tuple[Note, ...]
    rows: int  # non-blank data rows, with or without a supplier_id
    reading: SheetReading


def cn_code(text: str) -> str:
    """A CN code as 8 digits: `7208 10 00` and `7208.10.00` are `72081000`."""
    return "".join(text.split()).replace(".", "")


def typed_column(type_: str, index: pd.Index, default: object = None) -> pd.Series:
    """A column of `type_` holding `default` (missing when None) in every row of `index`."""
    dtype = DTYPES.get(type_, "string")
    missing = pd.NaT if dtype.startswith("datetime") else pd.NA
    return pd.Series(missing if default is None else default, index=index, dtype=dtype)


def read_sheet(raw: RawSheet, order: int, settings: Settings) -> SheetRead:
    """Read one raw sheet of a canonical kind. Raises InputFileError when it has no header row
    or no supplier_id column."""
    matcher = HeaderMatcher(raw.canonical, raw.sheet, settings.column_map, settings.extra_fields)
    where = Location(raw.file, sheet=raw.sheet)
    cells = raw.cells
    header_at = _find_header_row(cells, matcher)
    if header_at is None:
        if not _has_data(cells) and not (raw.errors is not None and len(raw.errors)):
            return _empty_read(raw, order)
        only_sheet = ("; the workbook's only sheet is read as Suppliers"
                      if sheet_key(raw.sheet) != sheet_key(raw.canonical) else "")
        raise InputFileError(
            f"no header row: none of the first {HEADER_ROWS_SCANNED} rows holds two "
            f"recognised column headers (such as supplier_id, name, country){only_sheet}",
            where,
        )
    body = cells.iloc[header_at + 1:]
    errors = _body_errors(raw.errors, body.index)
    specs, notes, unmatched = _match_columns(raw, cells.iloc[header_at], body, matcher,
                                             set(errors))
    notes[:0] = [(-1, Note(raw.file, raw.sheet, None, text)) for text in raw.notes]
    columns = {s.position: classify(body.iloc[:, s.position], _few_distinct(s)) for s in specs}
    id_spec = next((s for s in specs if s.name == "supplier_id"), None)
    if id_spec is None:
        found = ", ".join(f"'{s.header}'" for s in specs if s.canonical) or "none"
        raise InputFileError(f"no supplier_id column (recognised columns: {found})", where)

    blank_rows = np.logical_and.reduce(
        [columns[s.position].blank & ~_error_mask(errors, s.position, len(body)) for s in specs]
    )
    ids = as_text(columns[id_spec.position])
    shown, problems, flagged = _id_problems(ids, errors.get(id_spec.position))
    id_less = ~blank_rows & (ids.isna().to_numpy() | flagged)
    id_cells = columns[id_spec.position].raw[id_less]
    issues = [
        PlacedIssue(order, int(row), id_spec.position,
                    DataIssue(raw.file, raw.sheet, int(row), id_spec.header,
                              text if text is not None else cell_text(value),
                              problem or "no supplier_id"))
        for row, value, text, problem in zip(
            id_cells.index, id_cells.to_numpy(dtype=object), shown[id_less], problems[id_less],
            strict=True)
    ]
    keep = ~blank_rows & ~id_less
    values: dict[str, pd.Series] = {}
    readings = []
    for spec in specs:
        column = columns[spec.position].subset(keep)
        read = _read_column(spec, column, raw.canonical, settings.date_format)
        if raw.canonical == "Suppliers" and not spec.canonical and spec.name in settings.field_values:
            read = read_choices(read, settings.field_values[spec.name])
        values[spec.name] = read.values
        if read.edition is not None:
            values[EDITION] = read.edition
        issues.extend(_issues(raw, order, spec, column, read))
        not_available = 0
        if spec.position in errors and spec is not id_spec:
            # Listed on every non-blank row, id-less ones too: the error explains the row.
            issues.extend(_error_issues(
                raw, order, spec, errors[spec.position][~blank_rows], body.index[~blank_rows]))
            kept = errors[spec.position][keep]
            not_available = int(np.count_nonzero(kept == NOT_AVAILABLE))
            at = np.flatnonzero(kept != None)  # noqa: E711
            values[spec.name] = _missing_at(values[spec.name], at)
            if spec.name == "standard" and EDITION in values:
                values[EDITION] = _missing_at(values[EDITION], at)
        notes.extend((spec.position, Note(raw.file, raw.sheet, spec.header, text))
                     for text in _notes(spec, read, not_available))
        readings.append(_column_reading(spec, read, unmatched.get(spec.position)))
    index = body.index[keep]
    frame = _assemble(raw, values, specs, index)
    source = SheetSource(
        raw.file, raw.sheet, order,
        {s.name: SourceColumn(s.header, s.position, body.iloc[:, s.position]) for s in specs},
    )
    in_column_order = tuple(note for _, note in sorted(notes, key=lambda n: n[0]))
    rows = int((~blank_rows).sum())
    reading = SheetReading(raw.file, raw.sheet, raw.canonical, int(cells.index[header_at]),
                           tuple(readings), rows, raw.first_column, raw.cell_refs)
    return SheetRead(frame, source, tuple(issues), in_column_order, rows, reading)


def _body_errors(errors: ErrorCells | None, rows: pd.Index) -> dict[int, np.ndarray]:
    """Per column position holding any, the error text of each body row (None elsewhere)."""
    if errors is None or not len(errors):
        return {}
    at = rows.get_indexer(pd.Index(errors.rows))
    inside = at >= 0
    by_column: dict[int, np.ndarray] = {}
    for position in np.unique(errors.columns[inside]).tolist():
        texts = np.full(len(rows), None, dtype=object)
        here = inside & (errors.columns == position)
        texts[at[here]] = errors.texts[here]
        by_column[int(position)] = texts
    return by_column


def _error_mask(errors: dict[int, np.ndarray], position: int, n: int) -> np.ndarray:
    texts = errors.get(position)
    return np.zeros(n, dtype=bool) if texts is None else texts != None  # noqa: E711


def _id_problems(
    ids: pd.Series, errors: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row, the value to show and the problem of a supplier_id that is present but no id
    (None where it is an id), and where there is one: an Excel error cell, text that is
    exactly an error value (a CSV saved from Excel writes them so), or text holding a NUL
    character. Ids in Arrow whose text holds no "#" (no NUL) are not searched for error
    values (for NUL): the column's text is scanned once, as bytes."""
    n = len(ids)
    shown = np.full(n, None, dtype=object) if errors is None else errors.copy()
    problems = np.full(n, None, dtype=object)
    is_error = np.zeros(n, dtype=bool) if errors is None else shown != None  # noqa: E711
    text = arrow_text(ids)
    if text is None or _may_hold(text, b"#"):
        written = ids.isin(ERROR_VALUES).to_numpy(dtype=bool, na_value=False)
        if written.any():
            shown[written] = ids.to_numpy(dtype=object)[written]
            is_error |= written
    if is_error.any():
        problems[is_error] = np.where(shown[is_error] == NOT_AVAILABLE, "no supplier_id",
                                      ERROR_ID)
    flagged = is_error
    if text is None or _may_hold(text, b"\x00"):
        nul = ids.str.contains("\x00", regex=False).to_numpy(dtype=bool, na_value=False)
        if nul.any():
            shown[nul] = ids.to_numpy(dtype=object)[nul]
            problems[nul] = NUL_ID
            flagged = flagged | nul
    return shown, problems, flagged


def _may_hold(text: pa.Array, byte: bytes) -> bool:
    """Whether any text of an Arrow string array can hold `byte` (an ASCII character): False
    when the bytes under the array hold none."""
    data = text.buffers()[2]
    return data is not None and bool((np.frombuffer(data, dtype=np.uint8) == byte[0]).any())


def _error_issues(
    raw: RawSheet, order: int, spec: ColumnSpec, texts: np.ndarray, rows: pd.Index
) -> list[PlacedIssue]:
    """A data issue for each error cell (other than #N/A) of `rows`; `texts` per row."""
    return [
        PlacedIssue(order, int(row), spec.position,
                    DataIssue(raw.file, raw.sheet, int(row), spec.header, str(text), ERROR_VALUE))
        for row, text in zip(rows, texts, strict=True)
        if text is not None and text != NOT_AVAILABLE
    ]


def _missing_at(values: pd.Series, at: np.ndarray) -> pd.Series:
    """`values` with the cells at positions `at` missing (a copy when there are any)."""
    if not len(at):
        return values
    values = values.copy()
    values.iloc[at] = pd.NaT if str(values.dtype).startswith("datetime") else pd.NA
    return values


def _find_header_row(cells: pd.DataFrame, matcher: HeaderMatcher) -> int | None:
    for at in range(min(HEADER_ROWS_SCANNED, len(cells))):
        texts = (cell_text(v) for v in cells.iloc[at])
        if sum(1 for t in texts if t and t.strip() and matcher.recognises(t)) >= 2:
            return at
    return None


def _has_data(cells: pd.DataFrame) -> bool:
    return any(not classify(cells.iloc[:, j]).blank.all() for j in range(cells.shape[1]))


def _few_distinct(spec: ColumnSpec) -> bool:
    """Columns that usually repeat a few values: read each distinct value once."""
    return spec.type in ("bool", "standard") or (
        spec.canonical and spec.name in ("country", "category", "status", "issuer")
    )


def _match_columns(
    raw: RawSheet, header_row: pd.Series, body: pd.DataFrame, matcher: HeaderMatcher,
    error_columns: set[int],
) -> tuple[list[ColumnSpec], list[tuple[int, Note]], dict[int, str]]:
    """Column specs in sheet order, notes (with their column number) on headers, and why each
    column kept under a snake-cased name was not matched (by column number).

    When two columns name one field, a column named in the user's mapping wins (the user's
    mapping wins over the built-in aliases, SPEC §3); otherwise the first one does. The other
    is kept as an extra column, with a note. A column that nothing explains (no alias, mapping
    or declared field; rules can use no other field) is noted too, so a user sees why its
    data seems missing.
    """
    specs: list[ColumnSpec] = []
    notes: list[tuple[int, Note]] = []
    unmatched: dict[int, str] = {}
    used = {f.name for f in SHEET_FIELDS[raw.canonical]} | {EDITION, *PROVENANCE}
    used |= set(matcher.declared_types)
    resolved: dict[int, tuple[str, ColumnSpec | None]] = {}
    winner: dict[str, ColumnSpec] = {}
    for j, value in enumerate(header_row):
        header = (cell_text(value) or "").strip()
        if not header:
            if j not in error_columns and classify(body.iloc[:, j], few_distinct=True).blank.all():
                continue  # an empty column of the used range
            resolved[j] = (header, None)
            continue
        spec, why = matcher.resolve(header, j)
        if why:
            notes.append((j, Note(raw.file, raw.sheet, header, f"{why}; kept as an extra column")))
            unmatched[j] = UNIT_NOT_UNDERSTOOD
        resolved[j] = (header, spec)
        if spec is not None:
            held = winner.get(spec.name)
            if held is None or (spec.by_user and not held.by_user):
                winner[spec.name] = spec
    _bare_party_as_id(resolved, winner)
    for j, (header, spec) in resolved.items():
        if spec is not None and winner[spec.name] is not spec:
            notes.append((j, Note(
                raw.file, raw.sheet, header,
                f"also names {spec.name}, already given by column "
                f"'{winner[spec.name].header}'; kept as an extra column",
            )))
            unmatched[j] = REPEATS_A_FIELD
            spec = None
        if spec is None:
            name = snake_case(header) or f"column_{j + 1}"
            unique, n = name, 1
            while unique in used:
                n += 1
                unique = f"{name}_{n}"
            spec = ColumnSpec(j, header, unique, "text", canonical=False)
            if j not in unmatched:
                unmatched[j] = NOT_RECOGNISED
                notes.append((j, Note(raw.file, raw.sheet, header or None,
                                      f"column not recognised; kept as {unique}")))
        used.add(spec.name)
        specs.append(spec)
    return specs, notes, unmatched


# `Vendor` or `Supplier` beside a `Vendor Name` column is the supplier's number, as SAP's
# exports write them (`Supplier`, `SupplierName`); alone, it is the supplier's name.
_PARTY_WORDS = frozenset({"vendor", "supplier", "creditor", "供应商"})


def _bare_party_as_id(
    resolved: dict[int, tuple[str, ColumnSpec | None]], winner: dict[str, ColumnSpec]
) -> None:
    """Read a bare `Vendor` column as supplier_id when another column gives the name and none
    gives the id (updates `resolved` and `winner` in place)."""
    if "supplier_id" in winner or "name" not in winner:
        return
    names = [(j, header, spec) for j, (header, spec) in resolved.items()
             if spec is not None and spec.name == "name"]
    bare = [(j, header, spec) for j, header, spec in names
            if spec.source == "alias" and header_key(header) in _PARTY_WORDS]
    others = [spec for _, header, spec in names if (header_key(header) not in _PARTY_WORDS
                                                    or spec.source != "alias")]
    if len(bare) != 1 or not others:
        return
    j, header, spec = bare[0]
    as_id = replace(spec, name="supplier_id", type="text")
    resolved[j] = (header, as_id)
    winner["supplier_id"] = as_id
    winner["name"] = next((o for o in others if o.by_user), others[0])


def _read_column(spec: ColumnSpec, cells: Cells, sheet: str, date_format: str | None) -> ColumnRead:
    if spec.type == "number":
        return read_numbers(cells, spec.unit, spec.exponent)
    if spec.type == "share":
        return read_shares(cells, spec.percent)
    if spec.type == "year":
        return read_years(cells)
    if spec.type == "bool":
        f = field_of(sheet, spec.name) if spec.canonical else None
        default = f.default if f is not None and isinstance(f.default, bool) else None
        return read_booleans(cells, default)
    if spec.type == "date":
        return read_dates(cells, date_format)
    if spec.type == "standard":
        if cells.arrow is not None:
            return _read_standard_text(cells)
        names, editions = read_standards(text_values(cells))
        return ColumnRead(pd.Series(pd.array(names, dtype="string"), index=cells.index),
                          edition=pd.Series(pd.array(editions, dtype="Int64"), index=cells.index))
    if spec.canonical and spec.name == "country":
        return read_countries(cells)
    fold = {"status": _status, "cn_code": cn_code}.get(spec.name) if spec.canonical else None
    if cells.arrow is not None:  # text alone: each distinct text folded once, in Arrow
        if fold is None:
            return ColumnRead(as_text(cells))
        return ColumnRead(text_series(map_distinct(cells, fold, pa.large_string()),
                                      cells.index))
    text = text_values(cells)
    if fold is not None:
        at = np.flatnonzero(text != None)  # noqa: E711 - element-wise on an object array
        text = text.copy()
        text[at] = by_distinct(text[at], fold)
    return ColumnRead(pd.Series(pd.array(text, dtype="string"), index=cells.index))


def _read_standard_text(cells: Cells) -> ColumnRead:
    """A standards column of Arrow text: each distinct spelling read once."""
    _, uniques = cells.distinct()
    read = [normalise_standard(u) for u in uniques]
    names = cells.spread(pa.array([name for name, _ in read], type=pa.large_string()))
    editions = cells.spread(pa.array([edition for _, edition in read], type=pa.int64()))
    return ColumnRead(text_series(names, cells.index),
                      edition=pd.Series(_int64(editions), index=cells.index))


def _int64(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """Arrow integers (null where missing) as an "Int64" array."""
    missing = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    numbers = np.asarray(values.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return pd.arrays.IntegerArray(numbers, missing)


def _issues(
    raw: RawSheet, order: int, spec: ColumnSpec, cells: Cells, read: ColumnRead
) -> list[PlacedIssue]:
    bad, problems = read.problems.found()
    if not bad:
        return []
    rows = cells.index[bad]
    originals = cells.raw.iloc[bad].to_numpy(dtype=object)
    return [
        PlacedIssue(order, int(row), spec.position,
                    DataIssue(raw.file, raw.sheet, int(row), spec.header, cell_text(value),
                              str(problem)))
        for row, value, problem in zip(rows, originals, problems, strict=True)
    ]


def _notes(spec: ColumnSpec, read: ColumnRead, not_available: int = 0) -> list[str]:
    """The column's notes; `not_available` counts its #N/A error cells (missing, like a
    marker)."""
    texts = list(read.notes)
    markers = read.markers + (NOT_AVAILABLE,) * not_available
    if markers:
        count = len(markers)
        seen = ", ".join(sorted(set(markers)))
        texts.append(f"{count} cell{'s' if count != 1 else ''} read as missing ({seen})")
    if spec.canonical and spec.name == "annual_spend" and spec.hint:
        texts.append(f"amounts in {spec.hint}, as written (no currency is converted)")
    return texts


_CANONICAL_UNITS = {"co2": "tCO2e", "energy": "MWh", "revenue": "MUSD", "ppm": "ppm"}


def _column_reading(spec: ColumnSpec, read: ColumnRead, kept: str | None) -> ColumnReading:
    """What inspect shows of one column: its field, how it was matched, unit and scale."""
    conversion = None
    if spec.unit is not None and spec.exponent:
        factor = f"{10.0 ** spec.exponent:,.6g}"
        conversion = f"{spec.hint} -> {_CANONICAL_UNITS[spec.unit]}, x {factor}"
    return ColumnReading(spec.header, spec.position, spec.name, kept or spec.source,
                         spec.hint, conversion, read.scale)


def _assemble(
    raw: RawSheet, values: dict[str, pd.Series], specs: list[ColumnSpec], index: pd.Index
) -> pd.DataFrame:
    """Canonical columns first (all of them, typed; defaults where a column is absent), then
    extra columns in sheet order, then provenance."""
    n = len(index)
    columns: dict[str, object] = {}
    for f in SHEET_FIELDS[raw.canonical]:
        found = values.get(f.name)
        columns[f.name] = (found if found is not None
                           else typed_column(f.type, index, f.default)).array
        if f.name == "standard":
            edition = values.get(EDITION)
            columns[EDITION] = (edition if edition is not None
                                else typed_column("year", index)).array
    for spec in specs:
        if not spec.canonical:
            columns[spec.name] = values[spec.name].array
    columns["_file"] = _repeated(raw.file, n)
    columns["_sheet"] = _repeated(raw.sheet, n)
    columns["_row"] = index.to_numpy(dtype=np.int64)
    return pd.DataFrame(columns, index=index, copy=False)


def _repeated(text: str, n: int) -> pd.api.extensions.ExtensionArray:
    """`text` n times, as a "string" array made in Arrow."""
    data = text.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(data)
    repeated = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))
    return pd.arrays.ArrowStringArray(pa.chunked_array([repeated]))


def _empty_read(raw: RawSheet, order: int) -> SheetRead:
    frame = _assemble(raw, {}, [], pd.Index([], dtype=np.int64))
    reading = SheetReading(raw.file, raw.sheet, raw.canonical, None, (), 0)
    return SheetRead(frame, SheetSource(raw.file, raw.sheet, order, {}), (), (), 0, reading)


def _status(text: str) -> str:
    """A certificate status as written, in English (any case) or as its Chinese label."""
    return CERTIFICATE_STATUS_ALIASES.get(text, text.lower())

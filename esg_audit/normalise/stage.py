"""normalise(): every raw sheet read and typed, then merged sheet by sheet in input order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from esg_audit.errors import ConfigError, InputFileError
from esg_audit.model import SHEETS, InputFile, LoadedInputs, Location
from esg_audit.normalise.column_map import DATE_FORMATS, ColumnMap
from esg_audit.normalise.normalised import NormalisedInputs, NormalisedSheet, PlacedIssue
from esg_audit.normalise.sheet import PROVENANCE, Settings, SheetRead, read_sheet, typed_column


def normalise(
    loaded: LoadedInputs,
    *,
    column_map: ColumnMap | None,
    extra_fields: Mapping[str, str],
    as_of: date,
    date_format: str | None = None,
    field_values: Mapping[str, tuple[str, ...]] | None = None,
) -> NormalisedInputs:
    """Read every raw sheet of a known kind into typed frames (SPEC §3, "Normalisation").

    Invalid cells become missing and are listed as data issues; rows without a supplier_id
    are listed and removed. Range checks, repeats and unknown suppliers are `validate`'s job.
    Raises InputFileError when a sheet has no header row or no supplier_id column, or when
    no input has a Suppliers sheet that is not empty. `as_of` is not needed to read cells; it is accepted so
    that every stage is called alike. `field_values`: the answers that declared text fields
    accept (RuleSet.field_values); any other answer is a data issue.
    """
    if date_format is not None and date_format not in DATE_FORMATS:
        raise ConfigError(f"date_format must be one of {', '.join(DATE_FORMATS)}, "
                          f"not '{date_format}'")
    settings = Settings(
        column_map=column_map.by_sheet if column_map is not None else {},
        extra_fields=dict(extra_fields or {}),
        date_format=date_format,
        field_values=dict(field_values or {}),
    )
    reads: dict[str, list[SheetRead]] = {sheet: [] for sheet in SHEETS}
    forms: dict[int, str] = {}  # id(read) -> form of its raw sheet
    for order, raw in enumerate(loaded.sheets):
        if raw.canonical in reads:
            read = read_sheet(raw, order, settings)
            if raw.form:
                read = replace(read, frame=_mapped_ids(read.frame, column_map))
                forms[id(read)] = raw.form
            reads[raw.canonical].append(read)
    reads["Suppliers"] = _without_listed_installations(reads["Suppliers"], forms)
    if not reads["Suppliers"]:
        where = loaded.inputs[0].path if loaded.inputs else "(no input)"
        raise InputFileError("no Suppliers sheet in the inputs", Location(where))
    if not any(read.source.columns for read in reads["Suppliers"]):
        # Every Suppliers sheet is empty: no supplier_id column anywhere, nothing to audit.
        first = reads["Suppliers"][0].source
        raise InputFileError("no supplier_id column: the Suppliers sheet is empty",
                             Location(first.file, sheet=first.sheet))
    everything = [read for sheet in SHEETS for read in reads[sheet]]
    issues = sorted([*(i for read in everything for i in read.issues),
                     *_file_issues(loaded)], key=lambda i: i.key)
    notes = [*loaded.notes, *(note for read in sorted(everything, key=lambda r: r.source.order)
                              for note in read.notes)]
    declared = {n: t for n, t in settings.extra_fields.items()}
    merged = {sheet: _merge(reads[sheet], declared if sheet == "Suppliers" else {})
              for sheet in SHEETS}
    assert merged["Suppliers"] is not None
    return NormalisedInputs(
        suppliers=merged["Suppliers"],
        certificates=merged["Certificates"],
        emissions=merged["Emissions"],
        materials=merged["Materials"],
        cbam_goods=merged["CBAM Goods"],
        inputs=_counted(loaded.inputs, everything),
        issues=tuple(issues),
        notes=tuple(notes),
        supplier_rows=sum(read.rows for read in reads["Suppliers"]),
        readings=tuple(read.reading for read in sorted(everything, key=lambda r: r.source.order)),
    )


def _counted(inputs: tuple[InputFile, ...], reads: list[SheetRead]) -> tuple[InputFile, ...]:
    """Each input's `rows`, recounted below the header rows found here: the loader's count
    cannot know headers written as aliases or named in the user's mapping."""
    rows: dict[str, int] = {}
    for read in reads:
        rows[read.source.file] = rows.get(read.source.file, 0) + read.rows
    return tuple(replace(f, rows=rows.get(f.path, 0)) for f in inputs)


def _merge(reads: list[SheetRead], declared: Mapping[str, str]) -> NormalisedSheet | None:
    """Stack one sheet's frames in input order; a column absent from a file is missing there."""
    if not reads:
        return None
    frames = [read.frame for read in reads]
    dtypes: dict[str, Any] = {}
    for frame in frames:
        for name, dtype in frame.dtypes.items():
            dtypes.setdefault(str(name), dtype)
    for name, type_ in declared.items():
        if name not in dtypes:
            dtypes[name] = typed_column(type_, pd.RangeIndex(0)).dtype
    order = [n for n in dtypes if n not in PROVENANCE] + list(PROVENANCE)
    filled = []
    for frame in frames:
        absent = {n: pd.Series(index=frame.index, dtype=dtypes[n])  # all missing
                  for n in order if n not in frame.columns}
        filled.append(frame.assign(**absent)[order] if absent else frame[order])
    non_empty = [f for f in filled if len(f)] or filled[:1]
    frame = pd.concat(non_empty, ignore_index=True) if len(non_empty) > 1 else \
        non_empty[0].reset_index(drop=True)
    sources = {(read.source.file, read.source.sheet): read.source for read in reads}
    return NormalisedSheet(frame, sources)


def _mapped_ids(frame: pd.DataFrame, column_map: ColumnMap | None) -> pd.DataFrame:
    """A form's derived supplier ids replaced by the user's own (`ids:` in `--columns`)."""
    if column_map is None or not column_map.ids or "supplier_id" not in frame.columns:
        return frame
    ids = frame["supplier_id"]
    mapped = ids.map(dict(column_map.ids), na_action="ignore").astype("string")
    return frame.assign(supplier_id=mapped.fillna(ids))


def _without_listed_installations(reads: list[SheetRead], forms: dict[int, str]) -> list[SheetRead]:
    """A form's Suppliers rows, less those whose supplier_id another input lists (SPEC §3a: the
    form's goods then attach to that supplier, and no repeat is reported)."""
    if not forms:
        return reads
    listed: set[str] = set()
    for read in reads:
        if id(read) not in forms:
            listed.update(read.frame["supplier_id"].dropna().astype(str))
    if not listed:
        return reads
    kept = []
    for read in reads:
        if id(read) in forms:
            drop = read.frame["supplier_id"].isin(listed).to_numpy(dtype=bool)
            if drop.any():
                read = replace(read, frame=read.frame[~drop], rows=read.rows - int(drop.sum()))
        kept.append(read)
    return kept


def _file_issues(loaded: LoadedInputs) -> list[PlacedIssue]:
    """Problems the loader found with a whole file, placed before that file's cell issues."""
    first_sheet: dict[str, int] = {}
    for order, raw in enumerate(loaded.sheets):
        first_sheet.setdefault(raw.file, order)
    return [PlacedIssue(first_sheet.get(issue.file, -1), 0, -1, issue) for issue in loaded.issues]

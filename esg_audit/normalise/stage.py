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
from esg_audit.normalise.normalised import NormalisedInputs, NormalisedSheet
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
    for order, raw in enumerate(loaded.sheets):
        if raw.canonical in reads:
            reads[raw.canonical].append(read_sheet(raw, order, settings))
    if not reads["Suppliers"]:
        where = loaded.inputs[0].path if loaded.inputs else "(no input)"
        raise InputFileError("no Suppliers sheet in the inputs", Location(where))
    if not any(read.source.columns for read in reads["Suppliers"]):
        # Every Suppliers sheet is empty: no supplier_id column anywhere, nothing to audit.
        first = reads["Suppliers"][0].source
        raise InputFileError("no supplier_id column: the Suppliers sheet is empty",
                             Location(first.file, sheet=first.sheet))
    everything = [read for sheet in SHEETS for read in reads[sheet]]
    issues = sorted((i for read in everything for i in read.issues), key=lambda i: i.key)
    notes = [note for read in sorted(everything, key=lambda r: r.source.order)
             for note in read.notes]
    declared = {n: t for n, t in settings.extra_fields.items()}
    merged = {sheet: _merge(reads[sheet], declared if sheet == "Suppliers" else {})
              for sheet in SHEETS}
    assert merged["Suppliers"] is not None
    return NormalisedInputs(
        suppliers=merged["Suppliers"],
        certificates=merged["Certificates"],
        emissions=merged["Emissions"],
        materials=merged["Materials"],
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

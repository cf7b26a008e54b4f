"""Feedback workbooks for suppliers: one per input file, marking the cells to fix and listing
that file's findings (`esg-audit annotate`).

The audit is the one `check` runs, over all inputs at once: a certificate sent in one file
counts for a supplier listed in another. Its results are then split per input file by the
provenance columns (`_file`, `_sheet`, `_row`) of the audited frames. Unlike a report writer,
this module reads the suppliers' own files again, to copy them: an .xlsx or .xlsm is opened with
openpyxl (values as sent, macros dropped) and saved as a new .xlsx; a csv, xls or ods file is
read with the loader and written as a fresh .xlsx. The original is never written to.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from esg_audit.errors import ConfigError
from esg_audit.feedback.marks import CellMark, file_marks
from esg_audit.feedback.texts import LANGUAGES
from esg_audit.feedback.workbook import FileFeedback, write_feedback
from esg_audit.model import AuditResult

__all__ = ["LANGUAGES", "FileFeedback", "annotate", "feedback_paths", "split_by_file"]

_PROVENANCE = ["supplier_id", "_file"]


@dataclass(frozen=True)
class _Split:
    suppliers: dict[str, pd.DataFrame]
    findings: dict[str, pd.DataFrame]


def feedback_paths(inputs: Sequence[str], out_dir: Path) -> dict[str, Path]:
    """`DIR/<input stem>.feedback.xlsx` per input; a stem met again gets `-2`, `-3` ...

    Raises ConfigError when a feedback file would replace one of the inputs.
    """
    paths: dict[str, Path] = {}
    taken: dict[str, int] = {}
    for file in inputs:
        stem = os.path.splitext(os.path.basename(file))[0]
        count = taken.get(stem.lower(), 0) + 1
        taken[stem.lower()] = count
        name = f"{stem}.feedback.xlsx" if count == 1 else f"{stem}-{count}.feedback.xlsx"
        paths[file] = out_dir / name
    originals = {os.path.realpath(f) for f in inputs}
    for file, path in paths.items():
        if os.path.realpath(path) in originals:
            raise ConfigError(f"--out: the feedback on {file} would replace the input {path}")
    return paths


def split_by_file(result: AuditResult) -> _Split:
    """Per input file (as given): its suppliers (one row each, with grade and score) and their
    findings in the result's order (most urgent first). A supplier belongs to every file that
    holds one of its rows (Suppliers, Certificates, Emissions or Materials)."""
    data = result.data
    frames = [data.suppliers[_PROVENANCE]]
    frames += [f[_PROVENANCE] for f in (data.certificates, data.emissions, data.materials)
               if f is not None and len(f)]
    owners = pd.concat(frames, ignore_index=True).astype({"supplier_id": str, "_file": str})
    owners = owners.drop_duplicates()
    scored = result.suppliers[["supplier_id", "name", "grade", "score_display"]].assign(
        supplier_id=lambda f: f["supplier_id"].astype(str), _order=range(len(result.suppliers)))
    suppliers = owners.merge(scored, on="supplier_id", how="inner").sort_values(
        ["_file", "_order"], kind="stable")
    findings = result.findings.assign(
        supplier_id=result.findings["supplier_id"].astype(str),
        _order=range(len(result.findings)))
    findings = findings.merge(owners, on="supplier_id", how="inner").sort_values(
        ["_file", "_order"], kind="stable")
    return _Split(
        suppliers={str(k): g.drop(columns=["_file", "_order"])
                   for k, g in suppliers.groupby("_file", sort=False)},
        findings={str(k): g.drop(columns=["_file", "_order"])
                  for k, g in findings.groupby("_file", sort=False)},
    )


def annotate(
    result: AuditResult,
    out_dir: str | os.PathLike[str],
    *,
    lang: str = "en",
    max_unpacked_mb: int = 1024,
) -> list[Path]:
    """Write one feedback workbook per input file of `result` into `out_dir`; return the paths
    in input order."""
    if lang not in LANGUAGES:
        raise ConfigError(f"--lang: unknown language '{lang}'; choose from {', '.join(LANGUAGES)}")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--out: {folder} is a file, not a folder")
    inputs = [i.path for i in result.data.inputs]
    targets = feedback_paths(inputs, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"--out: cannot create {folder}: {error.strerror or error}") from None
    split = split_by_file(result)
    marks: dict[str, list[CellMark]] = file_marks(result, lang)
    empty_suppliers = result.suppliers.iloc[:0]
    empty_findings = result.findings.iloc[:0]
    written = []
    for file in inputs:
        feedback = FileFeedback(
            file=file,
            suppliers=split.suppliers.get(file, empty_suppliers),
            findings=split.findings.get(file, empty_findings),
            marks=tuple(marks.get(file, ())),
        )
        try:
            write_feedback(result, feedback, targets[file], lang,
                           max_unpacked_mb=max_unpacked_mb)
        except OSError as error:
            raise ConfigError(
                f"--out: cannot write {targets[file]}: {error.strerror or error}") from None
        written.append(targets[file])
    return written

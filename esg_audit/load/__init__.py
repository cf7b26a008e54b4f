"""Stage 1, load: workbooks (xlsx, xlsm, xls, ods), CSV files and folders -> raw sheets.

Each file is hashed, checked by the hostile-input guards (`guards.py`) before any parser
expands it, and read into `RawSheet`s whose index is Excel's row number (CSV: the line on
which the record starts). Interpreting headers and values is the normaliser's job.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from esg_audit.errors import InputFileError
from esg_audit.load.cbam import is_cbam_template, read_cbam_template
from esg_audit.load.cells import canonical_sheet, data_row_count
from esg_audit.load.csvfile import decode, read_csv_text
from esg_audit.load.discover import discover, extension
from esg_audit.load.guards import check_compound_file, check_zip_package, container_kind
from esg_audit.load.workbook import WorkbookSheets, read_template, read_workbook
from esg_audit.model import DataIssue, InputFile, LoadedInputs, Location, Note, RawSheet

__all__ = ["load_inputs", "read_csv_file", "read_workbook_file"]


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError as error:
        raise InputFileError(
            f"cannot read: {error.strerror or error}", Location(file=path)
        ) from None


def _sha256_of_file(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError as error:
        raise InputFileError(
            f"cannot read: {error.strerror or error}", Location(file=path)
        ) from None
    return digest.hexdigest()


def read_csv_file(path: str) -> tuple[RawSheet, InputFile]:
    """A CSV file as one raw sheet, and its InputFile record.

    `<sheet>.csv` (matched like sheet names) is that sheet; any other CSV is Suppliers.
    Raises InputFileError for a file in no accepted encoding (see `csvfile.decode`).
    """
    data = _read_bytes(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    canonical = canonical_sheet(stem)
    decoded = decode(data, path)
    table = read_csv_text(decoded.text, path)
    notes = (
        ("not valid UTF-8: read as Windows-1252",) if decoded.encoding == "Windows-1252" else ()
    )
    sheet = RawSheet(
        path, stem if canonical else "Suppliers", canonical or "Suppliers", table.cells,
        notes=notes,
    )
    rows = data_row_count(table.cells, table.filled)
    return sheet, InputFile(path=path, sha256=hashlib.sha256(data).hexdigest(), rows=rows)


def read_workbook_file(path: str, max_unpacked_mb: int) -> tuple[WorkbookSheets, InputFile]:
    """A workbook's audited sheets (with the names of all its sheets) and its InputFile record.

    Raises HostileInputError before parsing a bomb or an encrypted workbook.
    """
    kind = container_kind(path)
    if kind == "zip":
        check_zip_package(path, max_unpacked_mb)
    elif kind == "ole2":
        check_compound_file(path)
    else:
        raise InputFileError(
            f"not a {extension(path)} workbook: neither a zip package (.xlsx, .xlsm, .ods) "
            "nor an OLE2 compound file (.xls)",
            Location(file=path),
        )
    digest = _sha256_of_file(path)
    book = read_workbook(path, kind)
    if is_cbam_template(book.all_names):
        book = read_template(path, kind, read_cbam_template)
    return book, InputFile(path=path, sha256=digest, rows=book.data_rows)


def _no_suppliers_message(files: list[str], sheet_names: dict[str, tuple[str, ...]]) -> str:
    if len(files) == 1:
        file = files[0]
        found = sheet_names.get(file)
        listing = f" (its sheets: {_first_few(found, 10)})" if found else ""
        return f"no Suppliers sheet in {file}{listing}"
    return f"no Suppliers sheet in any input: {_first_few(files, 5)}"


def _first_few(names: Sequence[str], limit: int) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def load_inputs(paths: Sequence[str], *, max_unpacked_mb: int = 1024) -> LoadedInputs:
    """Read every input path (files or folders) into raw sheets with Excel row numbers.

    `InputFile.rows` counts, per file, the non-blank rows below each audited sheet's header
    row (see `cells.header_position`); title rows above the header are not counted.

    Lock and hidden files skipped in a folder are listed in `notes` (sheet "").

    Raises InputFileError (unreadable file, unsupported format, no Suppliers sheet anywhere)
    or HostileInputError (XML bomb, unpacked size past the limit, encrypted workbook).
    """
    found = discover(paths)
    files = list(found.files)
    sheets: list[RawSheet] = []
    inputs: list[InputFile] = []
    sheet_names: dict[str, tuple[str, ...]] = {}
    issues: list[DataIssue] = []
    for file in files:
        if extension(file) == ".csv":
            sheet, record = read_csv_file(file)
            sheets.append(sheet)
        else:
            book, record = read_workbook_file(file, max_unpacked_mb)
            sheets.extend(book.sheets)
            issues.extend(book.issues)
            sheet_names[file] = book.all_names
        inputs.append(record)
    if not any(sheet.canonical == "Suppliers" for sheet in sheets):
        raise InputFileError(_no_suppliers_message(files, sheet_names))
    notes = tuple(Note(path, "", None, why) for path, why in found.skipped)
    return LoadedInputs(sheets=tuple(sheets), inputs=tuple(inputs), issues=tuple(issues),
                        notes=notes)

"""Input paths -> the files to read: files as named, folders expanded (not recursively)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from esg_audit.errors import InputFileError
from esg_audit.model import Location

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
SUPPORTED_EXTENSIONS = (*WORKBOOK_EXTENSIONS, ".csv")


def extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _folder_files(folder: str) -> list[str]:
    """Supported files directly in `folder`, sorted by name; hidden files and Excel's
    `~$` lock files are skipped."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise InputFileError(
            f"cannot list folder: {error.strerror or error}", Location(file=folder)
        ) from None
    return [
        os.path.join(folder, name)
        for name in names
        if not name.startswith((".", "~$"))
        and extension(name) in SUPPORTED_EXTENSIONS
        and os.path.isfile(os.path.join(folder, name))
    ]


def input_files(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files to read, in order: each path as given, a folder's files as folder/name.

    A file reached twice (named and inside a named folder, or named twice) is read once.
    """
    if not paths:
        raise InputFileError("no input file or folder given")
    files: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            candidates = _folder_files(path)
        elif os.path.isfile(path):
            if extension(path) not in SUPPORTED_EXTENSIONS:
                raise InputFileError(
                    f"unsupported file type '{extension(path) or '(none)'}' "
                    f"(supported: {', '.join(SUPPORTED_EXTENSIONS)})",
                    Location(file=path),
                )
            candidates = [path]
        elif os.path.exists(path):
            raise InputFileError("not a regular file or folder", Location(file=path))
        else:
            raise InputFileError("no such file or folder", Location(file=path))
        for candidate in candidates:
            key = os.path.realpath(candidate)
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    if not files:
        folders = ", ".join(os.fspath(p) for p in paths)
        raise InputFileError(
            f"no workbook or CSV file in {folders} (looked for {', '.join(SUPPORTED_EXTENSIONS)})",
            Location(file=folders),
        )
    return files

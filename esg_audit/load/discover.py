"""Input paths -> the files to read: files as named, folders expanded (not recursively)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from esg_audit.errors import InputFileError
from esg_audit.model import Location

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
SUPPORTED_EXTENSIONS = (*WORKBOOK_EXTENSIONS, ".csv")


def extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


LOCK_FILE_NOTE = "Office lock file (~$…) skipped: it is not a workbook"
HIDDEN_FILE_NOTE = "hidden file skipped"


@dataclass(frozen=True)
class Discovered:
    """The files to read, in order, and the files of a folder skipped with a note.

    `skipped` holds (path, why) for Office lock files (`~$…`) and hidden files (`.…`) of a
    supported extension; files of other extensions and sub-folders are ignored silently.
    """

    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def _folder_files(folder: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Supported files directly in `folder`, sorted by name, and the lock and hidden files
    of a supported extension skipped there (with why)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise InputFileError(
            f"cannot list folder: {error.strerror or error}", Location(file=folder)
        ) from None
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        path = os.path.join(folder, name)
        if extension(name) not in SUPPORTED_EXTENSIONS or not os.path.isfile(path):
            continue
        if name.startswith("~$"):
            skipped.append((path, LOCK_FILE_NOTE))
        elif name.startswith("."):
            skipped.append((path, HIDDEN_FILE_NOTE))
        else:
            files.append(path)
    return files, skipped


def input_files(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The files to read, in order (see `discover`)."""
    return list(discover(paths).files)


def discover(paths: Sequence[str | os.PathLike[str]]) -> Discovered:
    """The files to read, in order: each path as given, a folder's files as folder/name.

    A file reached twice (named and inside a named folder, or named twice) is read once.
    A file named on its own is read whatever its name; in a folder, Office lock files and
    hidden files are skipped (listed in `skipped`) and other extensions ignored.
    """
    if not paths:
        raise InputFileError("no input file or folder given")
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            candidates, passed_over = _folder_files(path)
            skipped.extend(passed_over)
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
    return Discovered(tuple(files), tuple(skipped))

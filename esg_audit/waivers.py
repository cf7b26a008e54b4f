"""Waiver files (`--waivers`): approved exceptions for a supplier and a rule, until a date.

A waiver file is YAML: a top-level `waivers:` list, or a bare list, of entries

    - supplier_id: S-1001
      rule_id: ENV-001
      reason: Recertification audit booked for January.
      approved_by: Head of Procurement
      expires: 2026-12-31          # YYYY-MM-DD; the waiver is live while as-of <= expires

Values are read as written (`supplier_id: 0012` stays "0012"); the YAML is composed with a
safe loader and never constructed into Python objects. An empty file holds no waivers.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from esg_audit.errors import ConfigError
from esg_audit.model import Location, Waiver
from esg_audit.yaml_reader import YamlError, YList, YMap, read_yaml_file

WAIVER_KEYS: tuple[str, ...] = ("supplier_id", "rule_id", "reason", "approved_by", "expires")
_KEY_SET = frozenset(WAIVER_KEYS)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class WaiverFile:
    path: str
    sha256: str
    waivers: tuple[Waiver, ...]


def load_waivers(path: str) -> WaiverFile:
    """Read and check a waiver file. Raises ConfigError naming the file, line and entry."""
    try:
        document, raw = read_yaml_file(path, "waiver file", typed=False)
    except YamlError as error:
        raise ConfigError(error.message, Location(path, line=error.line)) from None
    entries = _entries(document, path)
    waivers = tuple(_waiver(entry, entries.line_of(index - 1), index, path)
                    for index, entry in enumerate(entries, start=1))
    return WaiverFile(path=path, sha256=hashlib.sha256(raw).hexdigest(), waivers=waivers)


def _entries(document: Any, path: str) -> YList:
    if document is None:
        return YList()
    if isinstance(document, YMap):
        keys = [str(key) for key in document]
        if keys != ["waivers"]:
            raise ConfigError(
                "a waiver file holds a top-level `waivers:` list (or a bare list); "
                f"found keys {', '.join(keys) or '(none)'}",
                Location(path, line=document.line),
            )
        line = document.line_of("waivers")
        document = document["waivers"]
        if document is None:
            return YList()
        if not isinstance(document, YList):
            raise ConfigError("`waivers` must be a list of entries", Location(path, line=line))
        return document
    if not isinstance(document, YList):
        raise ConfigError("`waivers` must be a list of entries", Location(path, line=1))
    return document


def _waiver(entry: Any, line: int, index: int, path: str) -> Waiver:
    if not isinstance(entry, YMap):
        raise ConfigError(
            f"waiver {index} is not a mapping of {', '.join(WAIVER_KEYS)}", Location(path, line=line)
        )
    if entry.keys() != _KEY_SET or not all(type(value) is str for value in entry.values()):
        _check_entry(entry, line, index, path)
    values: dict[str, str] = {key: value.strip() for key, value in entry.items()}
    absent = [key for key in WAIVER_KEYS if not values.get(key)]
    if absent:
        raise ConfigError(f"waiver {index}: missing {', '.join(absent)}", Location(path, line=line))
    expires = values["expires"]
    try:
        if not _ISO_DATE.fullmatch(expires):
            raise ValueError(expires)
        expiry = date.fromisoformat(expires)
    except ValueError:
        raise ConfigError(
            f"waiver {index} ({values['supplier_id']}, {values['rule_id']}): "
            f"expires '{expires}' is not a date in the form YYYY-MM-DD",
            Location(path, line=line),
        ) from None
    return Waiver(
        supplier_id=values["supplier_id"],
        rule_id=values["rule_id"],
        reason=values["reason"],
        approved_by=values["approved_by"],
        expires=expiry,
    )


def _check_entry(entry: YMap, line: int, index: int, path: str) -> None:
    """The slow path, for an entry that lacks a key, has another, or holds a non-text value."""
    for key, value in entry.items():
        where = Location(path, line=entry.line_of(key))
        if key not in _KEY_SET:
            raise ConfigError(
                f"waiver {index}: unknown key '{key}'; expected {', '.join(WAIVER_KEYS)}", where
            )
        if isinstance(value, (dict, list)):
            raise ConfigError(f"waiver {index}: '{key}' must be a single value", where)
    absent = [key for key in WAIVER_KEYS if not (entry.get(key) or "").strip()]
    if absent:
        raise ConfigError(f"waiver {index}: missing {', '.join(absent)}", Location(path, line=line))

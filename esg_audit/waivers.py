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
from pathlib import Path

import yaml

from esg_audit.errors import ConfigError
from esg_audit.model import Location, Waiver

WAIVER_KEYS: tuple[str, ...] = ("supplier_id", "rule_id", "reason", "approved_by", "expires")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class WaiverFile:
    path: str
    sha256: str
    waivers: tuple[Waiver, ...]


def load_waivers(path: str) -> WaiverFile:
    """Read and check a waiver file. Raises ConfigError naming the file, line and entry."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"cannot read waiver file: {error.strerror}", Location(path)) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError("waiver file is not UTF-8 text", Location(path)) from error
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"invalid YAML: {problem}", Location(path, line=line)) from error
    entries = _entry_nodes(root, path)
    waivers = tuple(_waiver(node, index, path) for index, node in enumerate(entries, start=1))
    return WaiverFile(path=path, sha256=hashlib.sha256(raw).hexdigest(), waivers=waivers)


def _entry_nodes(root: yaml.Node | None, path: str) -> list[yaml.Node]:
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG):
        return []
    if isinstance(root, yaml.MappingNode):
        keys = [key.value for key, _ in root.value]
        if keys != ["waivers"]:
            raise ConfigError(
                "a waiver file holds a top-level `waivers:` list (or a bare list); "
                f"found keys {', '.join(map(str, keys)) or '(none)'}",
                Location(path, line=root.start_mark.line + 1),
            )
        root = root.value[0][1]
        if isinstance(root, yaml.ScalarNode) and root.tag == _NULL_TAG:
            return []
    if not isinstance(root, yaml.SequenceNode):
        raise ConfigError(
            "`waivers` must be a list of entries", Location(path, line=root.start_mark.line + 1)
        )
    return list(root.value)


def _waiver(node: yaml.Node, index: int, path: str) -> Waiver:
    line = node.start_mark.line + 1
    where = Location(path, line=line)
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"waiver {index} is not a mapping of {', '.join(WAIVER_KEYS)}", where)
    values: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        key_where = Location(path, line=key_node.start_mark.line + 1)
        if key not in WAIVER_KEYS:
            raise ConfigError(
                f"waiver {index}: unknown key '{key}'; expected {', '.join(WAIVER_KEYS)}",
                key_where,
            )
        if key in values:
            raise ConfigError(f"waiver {index}: key '{key}' is given twice", key_where)
        if not isinstance(value_node, yaml.ScalarNode):
            raise ConfigError(f"waiver {index}: '{key}' must be a single value", key_where)
        text = "" if value_node.tag == _NULL_TAG else str(value_node.value).strip()
        if text:
            values[key] = text
    absent = [key for key in WAIVER_KEYS if key not in values]
    if absent:
        raise ConfigError(f"waiver {index}: missing {', '.join(absent)}", where)
    expires = values["expires"]
    try:
        if not _ISO_DATE.fullmatch(expires):
            raise ValueError(expires)
        expiry = date.fromisoformat(expires)
    except ValueError:
        raise ConfigError(
            f"waiver {index} ({values['supplier_id']}, {values['rule_id']}): "
            f"expires '{expires}' is not a date in the form YYYY-MM-DD",
            where,
        ) from None
    return Waiver(
        supplier_id=values["supplier_id"],
        rule_id=values["rule_id"],
        reason=values["reason"],
        approved_by=values["approved_by"],
        expires=expiry,
    )

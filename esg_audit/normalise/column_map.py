"""The user's `--columns` file: extra header names per sheet, and how to read slashed dates.

```yaml
columns:
  Emissions: {tonnes_co2: scope1_tco2e}
  "*": {account_id: supplier_id}       # every sheet
date_format: day-first                 # optional: day-first | month-first
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from esg_audit.errors import ConfigError
from esg_audit.fields import SHEET_FIELDS
from esg_audit.model import SHEETS, Location
from esg_audit.normalise.headers import closest, header_key, sheet_key

DATE_FORMATS = ("day-first", "month-first")
_TOP_KEYS = ("columns", "date_format")


@dataclass(frozen=True)
class ColumnMap:
    """A user's `--columns` file: per sheet ("*" for all), header as written -> canonical field."""

    by_sheet: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None  # "day-first" | "month-first"


def load_column_map(path: str) -> ColumnMap:
    """Read and check a column mapping file. Raises ConfigError naming the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read column mapping: {error}", Location(path)) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"not valid YAML: {problem}", Location(path, line=line)) from None
    if root is None:
        raise ConfigError("empty column mapping (expected a `columns:` mapping)", Location(path))
    top = _mapping(root, path, "the file")
    by_sheet: dict[str, dict[str, str]] = {}
    date_format: str | None = None
    for key_node, value_node in top:
        key = _scalar(key_node, path)
        if key == "columns":
            by_sheet = _columns(value_node, path)
        elif key == "date_format":
            date_format = None if _is_null(value_node) else _scalar(value_node, path)
            if date_format is not None and date_format not in DATE_FORMATS:
                raise ConfigError(
                    f"date_format must be one of {', '.join(DATE_FORMATS)}, not '{date_format}'",
                    _at(path, value_node),
                )
        else:
            raise ConfigError(
                f"unknown key '{key}' (expected {' or '.join(_TOP_KEYS)})", _at(path, key_node)
            )
    return ColumnMap(by_sheet=by_sheet, date_format=date_format)


def _columns(node: yaml.Node, path: str) -> dict[str, dict[str, str]]:
    by_sheet: dict[str, dict[str, str]] = {}
    sheets = {sheet_key(s): s for s in SHEETS}
    for sheet_node, mapping_node in _mapping(node, path, "columns"):
        written = _scalar(sheet_node, path)
        sheet = "*" if written.strip() == "*" else sheets.get(sheet_key(written))
        if sheet is None:
            raise ConfigError(
                f"unknown sheet '{written}' (expected {', '.join(SHEETS)} or \"*\")",
                _at(path, sheet_node),
            )
        known = sorted({f.name for s in (SHEETS if sheet == "*" else (sheet,))
                        for f in SHEET_FIELDS[s]})
        headers = by_sheet.setdefault(sheet, {})
        folded = {header_key(h): h for h in headers}
        for header_node, target_node in _mapping(mapping_node, path, f"columns.{written}"):
            header = _scalar(header_node, path)
            target = _scalar(target_node, path)
            if target not in known:
                raise ConfigError(
                    f"unknown field '{target}' for sheet '{written}'{closest(target, known)}",
                    _at(path, target_node),
                )
            previous = folded.get(header_key(header))
            if previous is not None and headers[previous] != target:
                raise ConfigError(
                    f"header '{header}' is mapped twice ('{previous}' -> {headers[previous]})",
                    _at(path, header_node),
                )
            folded[header_key(header)] = header
            headers[header] = target
    return by_sheet


def _mapping(node: yaml.Node, path: str, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{what} must be a mapping", _at(path, node))
    return list(node.value)


def _scalar(node: yaml.Node, path: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or _is_null(node):
        raise ConfigError("expected a single value here", _at(path, node))
    return str(node.value)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _at(path: str, node: yaml.Node) -> Location:
    return Location(path, line=node.start_mark.line + 1)

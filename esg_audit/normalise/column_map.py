"""The user's `--columns` file: extra header names per sheet, and how to read slashed dates.

```yaml
columns:
  Emissions: {tonnes_co2: scope1_tco2e}
  "*": {account_id: supplier_id}       # every sheet
date_format: day-first                 # optional: day-first | month-first
ids:                                   # optional: derived id -> your supplier_id
  TR-TRABC-example-cement-producer: S-1042
```

`ids` names the supplier that an installation read from an EU CBAM communication template is
(SPEC §3a); without it the installation's id is derived as `{country}-{UN/LOCODE}-{slug}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from esg_audit.errors import ConfigError
from esg_audit.fields import SHEET_FIELDS
from esg_audit.model import SHEETS, Location
from esg_audit.normalise.headers import closest, header_key, sheet_key
from esg_audit.yaml_reader import YamlError, YList, YMap, read_yaml_file

DATE_FORMATS = ("day-first", "month-first")
_TOP_KEYS = ("columns", "date_format", "ids")


@dataclass(frozen=True)
class ColumnMap:
    """A user's `--columns` file: per sheet ("*" for all), header as written -> canonical field."""

    by_sheet: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None  # "day-first" | "month-first"
    ids: Mapping[str, str] = field(default_factory=dict)  # derived installation id -> supplier_id


def load_column_map(path: str) -> ColumnMap:
    """Read and check a column mapping file. Raises ConfigError naming the file and line."""
    try:
        root, _ = read_yaml_file(path, "column mapping", typed=False)
    except YamlError as error:
        message = error.message
        if message.startswith("invalid YAML"):
            message = "not valid YAML" + message[len("invalid YAML"):]
        raise ConfigError(message, Location(path, line=error.line)) from None
    if root is None:
        raise ConfigError("empty column mapping (expected a `columns:` mapping)", Location(path))
    top = _mapping(root, path, "the file", 1)
    by_sheet: dict[str, dict[str, str]] = {}
    date_format: str | None = None
    ids: dict[str, str] = {}
    for key, value in top.items():
        line = top.line_of(key)
        key = _scalar(key, path, line)
        if key == "columns":
            by_sheet = _columns(value, path, line)
        elif key == "date_format":
            date_format = None if value is None else _scalar(value, path, line)
            if date_format is not None and date_format not in DATE_FORMATS:
                raise ConfigError(
                    f"date_format must be one of {', '.join(DATE_FORMATS)}, not '{date_format}'",
                    Location(path, line=line),
                )
        elif key == "ids":
            ids = _ids(value, path, line)
        else:
            raise ConfigError(
                f"unknown key '{key}' (expected {', '.join(_TOP_KEYS)})", Location(path, line=line)
            )
    return ColumnMap(by_sheet=by_sheet, date_format=date_format, ids=ids)


def _ids(value: Any, path: str, line: int) -> dict[str, str]:
    """`ids:` derived installation id -> the user's supplier_id, each derived id once."""
    ids: dict[str, str] = {}
    entries = _mapping(value, path, "ids", line)
    for derived, supplier_id in entries.items():
        where = entries.line_of(derived)
        derived = _scalar(derived, path, where).strip()
        supplier_id = _scalar(supplier_id, path, where).strip()
        if not derived or not supplier_id:
            raise ConfigError("ids: an id must not be blank", Location(path, line=where))
        if derived in ids:
            raise ConfigError(f"ids: '{derived}' is mapped twice", Location(path, line=where))
        ids[derived] = supplier_id
    return ids


def _columns(value: Any, path: str, line: int) -> dict[str, dict[str, str]]:
    by_sheet: dict[str, dict[str, str]] = {}
    sheets = {sheet_key(s): s for s in SHEETS}
    columns = _mapping(value, path, "columns", line)
    for written, mapping in columns.items():
        sheet_line = columns.line_of(written)
        written = _scalar(written, path, sheet_line)
        sheet = "*" if written.strip() == "*" else sheets.get(sheet_key(written))
        if sheet is None:
            raise ConfigError(
                f"unknown sheet '{written}' (expected {', '.join(SHEETS)} or \"*\")",
                Location(path, line=sheet_line),
            )
        known = sorted({f.name for s in (SHEETS if sheet == "*" else (sheet,))
                        for f in SHEET_FIELDS[s]})
        headers = by_sheet.setdefault(sheet, {})
        folded = {header_key(h): h for h in headers}
        entries = _mapping(mapping, path, f"columns.{written}", sheet_line)
        for header, target in entries.items():
            where = entries.line_of(header)
            header = _scalar(header, path, where)
            target = _scalar(target, path, where)
            if target not in known:
                raise ConfigError(
                    f"unknown field '{target}' for sheet '{written}'{closest(target, known)}",
                    Location(path, line=where),
                )
            previous = folded.get(header_key(header))
            if previous is not None and headers[previous] != target:
                raise ConfigError(
                    f"header '{header}' is mapped twice ('{previous}' -> {headers[previous]})",
                    Location(path, line=where),
                )
            folded[header_key(header)] = header
            headers[header] = target
    return by_sheet


def _mapping(value: Any, path: str, what: str, line: int) -> YMap:
    if not isinstance(value, YMap):
        where = value.line if isinstance(value, YList) else line
        raise ConfigError(f"{what} must be a mapping", Location(path, line=where))
    return value


def _scalar(value: Any, path: str, line: int) -> str:
    if not isinstance(value, str):
        raise ConfigError("expected a single value here", Location(path, line=line))
    return value

"""Column headers -> fields: folding, unit hints, aliases, the user's mapping, the header row.

A header is compared after NFKC, lower-casing and keeping only letters and digits, so
`Supplier ID`, `supplier-id` and `SUPPLIER_ID` are one. A trailing `(unit)` or `[unit]` is a
unit hint (a bare trailing `%` is not); a canonical name's unit suffix may be left out
(`Scope 1 (kgCO2e)` is scope1_tco2e in kg).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from esg_audit.fields import SHEET_FIELDS, UNIT_SUFFIXES, Field
from esg_audit.normalise.aliases import ALIASES
from esg_audit.normalise.units import is_percent, unit_exponent

HEADER_ROWS_SCANNED = 10
_HINT = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<hint>[^()\[\]]*)[)\]]\s*$")
_UNIT_TOKEN = re.compile(r"^(?P<base>.*\S)\s+(?P<hint>\S+)$")


def header_key(text: str) -> str:
    """A header as compared: NFKC, lower-case, letters and digits only (any script)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def sheet_key(text: str) -> str:
    """A sheet name as compared: lower-case, without white space."""
    return re.sub(r"\s+", "", text).lower()


def split_hint(header: str) -> tuple[str, str | None]:
    """`Scope 1 (kgCO2e)` -> ("Scope 1", "kgCO2e"); `Energy (in kWh)` -> ("Energy", "kWh");
    `Renewable %` -> ("Renewable %", None).

    Only a parenthesised (or bracketed) unit is a hint: a bare `%` in a header is part of its
    name, and the values decide between fraction and percent.
    """
    text = unicodedata.normalize("NFKC", header).strip()
    found = _HINT.match(text)
    if found and found.group("base"):
        hint = re.sub(r"^in\s+", "", found.group("hint").strip(), flags=re.IGNORECASE)
        return found.group("base"), hint
    return text, None


def snake_case(header: str) -> str:
    """`CBAM Embedded tCO2e` -> `cbam_embedded_tco2e` (empty when nothing is left)."""
    return re.sub(r"[\W_]+", "_", unicodedata.normalize("NFKC", header).lower()).strip("_")


def unit_kind(f: Field) -> str | None:
    """The kind of unit a field's header hint may give: co2, energy, revenue, ppm, or None."""
    if f.unit is not None:
        return f.unit
    if f.name.endswith("_musd"):
        return "revenue"
    return "ppm" if f.name.endswith("_ppm") else None


@dataclass(frozen=True)
class ColumnSpec:
    """How one raw column is read: the field it fills and the unit its header gives."""

    position: int  # column number in the raw sheet
    header: str  # header as written (trimmed)
    name: str  # canonical field, declared field, or snake-cased header
    type: str  # a fields.FIELD_TYPES entry
    canonical: bool
    unit: str | None = None  # co2 | energy | revenue | ppm
    exponent: int = 0  # header unit -> canonical unit, as a power of ten
    percent: bool = False  # the header says the values are percent
    by_user: bool = False  # matched through the user's `--columns` mapping
    source: str = ""  # how the header was matched: mapping, canonical, declared or alias
    hint: str | None = None  # the unit hint as written (`kgCO2e`, `%`, `EUR`)


@cache
def builtin_keys(sheet: str) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """Folded header -> canonical field for one sheet: (names with or without unit, aliases)."""
    names: dict[str, str] = {}
    for f in SHEET_FIELDS[sheet]:
        names[header_key(f.name)] = f.name
        for suffix in UNIT_SUFFIXES:
            if f.name.endswith(suffix):
                names.setdefault(header_key(f.name[: -len(suffix)]), f.name)
    aliases: dict[str, str] = {}
    for name, written in ALIASES[sheet].items():
        for alias in written:
            aliases.setdefault(header_key(alias), name)
    return names, aliases


class HeaderMatcher:
    """Matches the headers of one sheet, in order: the user's mapping (this sheet, then "*"),
    canonical names, fields declared by rule packs, built-in aliases."""

    def __init__(
        self,
        sheet: str,
        sheet_as_written: str,
        user_map: Mapping[str, Mapping[str, str]],
        extra_fields: Mapping[str, str],
    ):
        self.sheet = sheet
        self.fields = {f.name: f for f in SHEET_FIELDS[sheet]}
        wanted = {sheet_key(sheet), sheet_key(sheet_as_written)}
        specific: dict[str, str] = {}
        general: dict[str, str] = {}
        for sheet_name, mapping in user_map.items():
            table = general if sheet_name == "*" else specific
            if sheet_name == "*" or sheet_key(sheet_name) in wanted:
                for header, target in mapping.items():
                    if target in self.fields:
                        table.setdefault(header_key(str(header)), target)
        names, aliases = builtin_keys(sheet)
        self.declared_types = {
            name: type_ for name, type_ in extra_fields.items() if name not in self.fields
        }
        declared = {header_key(name): name for name in self.declared_types}
        self.tables: tuple[tuple[Mapping[str, str], str], ...] = (
            (specific, "user"),
            (general, "user"),
            (names, "canonical"),
            (declared, "declared"),
            (aliases, "alias"),
        )

    def _lookup(self, keys: list[str]) -> tuple[str, str] | None:
        for table, source in self.tables:
            for key in keys:
                if key in table:
                    return table[key], source
        return None

    def recognises(self, header: str) -> bool:
        """True when the header names a canonical field of the sheet (even in a unit not
        understood) or a declared field."""
        spec, why = self.resolve(header, 0)
        return spec is not None or why is not None

    def resolve(self, header: str, position: int) -> tuple[ColumnSpec | None, str | None]:
        """The column spec for a header, or (None, why) when it names no known field.

        `why` is set when the header names a canonical field but its unit is not understood.
        """
        text = unicodedata.normalize("NFKC", header).strip()
        base, hint = split_hint(text)
        keys = [header_key(text)] + ([header_key(base)] if hint is not None else [])
        found = self._lookup(keys)
        if found is None and hint is None:
            token = _UNIT_TOKEN.match(base)
            candidate = self._lookup([header_key(token.group("base"))]) if token else None
            if token and candidate and candidate[1] != "declared":
                kind = unit_kind(self.fields[candidate[0]])
                if kind and unit_exponent(kind, token.group("hint")) is not None:
                    found, hint = candidate, token.group("hint")
        if found is None:
            return None, None
        name, source = found
        if source == "declared":
            return ColumnSpec(position, header, name, self.declared_types[name], False,
                              source=source, hint=hint), None
        f = self.fields[name]
        kind = unit_kind(f)
        exponent = 0
        if kind is not None and hint is not None:
            known = unit_exponent(kind, hint)
            if known is None and source != "user":
                return None, f"unit '{hint}' not understood for {name}"
            exponent = known or 0
        percent = f.type == "share" and hint is not None and is_percent(hint)
        spec = ColumnSpec(position, header, name, f.type, True, kind, exponent, percent,
                          by_user=source == "user",
                          source="mapping" if source == "user" else source, hint=hint)
        return spec, None


def closest(name: str, choices: list[str]) -> str:
    """' (did you mean x?)' for the closest choice, or ''."""
    match = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean {match[0]}?)" if match else ""

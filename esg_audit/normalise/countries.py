"""Countries: ISO 3166-1 alpha-2 codes (any case), alpha-3 codes and country names -> alpha-2.

Names come from pycountry, which ships the ISO 3166-1 list of Debian's iso-codes project (short,
official and common English names) with its gettext translations: Simplified and Traditional
Chinese are read (`中国`, `德國`). Forms derived from the ISO names ("Korea, Republic of" also
as "Republic of Korea" and "Korea") and a few English names the ISO list lacks (`UK`,
`Turkey`, `Russia`) are read too. A name that fits two countries (`Korea`) is ambiguous and
stays a data issue; so does a name that fits none.

The table of names is built from pycountry by `build_country_names()` and shipped as
`country-names.tsv` beside this module (`make countries` writes it; a test holds it to the
installed pycountry), because building it, with pycountry's import, took about 0.03 s of
every audit that read a country name. It is read once, and only when a column holds something other than alpha-2
codes; each distinct value is read once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from esg_audit.normalise.cells import Cells, text_series, text_values
from esg_audit.normalise.column_read import ColumnRead, Problems

# The 249 officially assigned alpha-2 codes (tests check them against pycountry's list).
OFFICIAL_CODES: frozenset[str] = frozenset((
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
))
# XK is user-assigned (not by ISO), but the European Commission, the IMF and many registries use
# it for Kosovo; suppliers there have no other code, so it is accepted.
ACCEPTED_USER_ASSIGNED: frozenset[str] = frozenset({"XK"})
COUNTRY_CODES: frozenset[str] = OFFICIAL_CODES | ACCEPTED_USER_ASSIGNED

# Codes people write that ISO reserves for something else: the hint names the right one.
# (`UK` is read as GB: it is how exports and people write the United Kingdom.)
RESERVED_HINTS: dict[str, str] = {
    "EL": "Greece is GR",
    "EU": "not a country",
    "FX": "France is FR",
}

# English forms in everyday use that the ISO 3166-1 list does not hold: the short forms of
# long names, and former ISO short names (Turkey until 2022, Swaziland until 2018, Macedonia
# until 2019, Cape Verde until 2013, Czech Republic until 2016).
COMMON_NAMES: dict[str, str] = {
    "UK": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
    "Wales": "GB", "Northern Ireland": "GB",
    "Turkey": "TR", "Russia": "RU", "Syria": "SY", "Brunei": "BN", "Vatican": "VA",
    "Vatican City": "VA", "Swaziland": "SZ", "Macedonia": "MK", "Cape Verde": "CV",
    "Ivory Coast": "CI", "Burma": "MM", "Holland": "NL", "Czech Republic": "CZ",
    "Macau": "MO", "East Timor": "TL",
}
_CHINESE = ("zh_CN", "zh_TW", "zh_HK")
_ISO_NAMES = ("name", "official_name", "common_name")
_BEFORE_COMMA = re.compile(r"^(?P<head>[^,(]+),\s*(?P<tail>[^,()]+)$")
_PARENTHESISED = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
AMBIGUOUS = "ambiguous country name"


def country_key(text: str) -> str:
    """A country as compared: NFKD without accents, case-folded, letters and digits only
    (`Türkiye` and `turkiye`, `Côte d'Ivoire` and `Cote dIvoire` are one)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", bare.casefold())


def _derived(name: str) -> list[str]:
    """Everyday forms of an ISO name: `Korea, Republic of` -> `Republic of Korea`, `Korea`;
    `Holy See (Vatican City State)` -> `Holy See`, `Vatican City State`."""
    forms = []
    comma = _BEFORE_COMMA.match(name)
    if comma:
        head, tail = comma.group("head").strip(), comma.group("tail").strip()
        forms += [f"{tail} {head}", head]
    brackets = _PARENTHESISED.match(name)
    if brackets:
        forms += [brackets.group("head"), brackets.group("inner")]
    return forms


NAMES_FILE = Path(__file__).with_name("country-names.tsv")
_NAMES_HEADER = (
    "# Country names and codes as esg-audit compares them (normalise.countries.country_key), each\n"
    "# with its ISO 3166-1 alpha-2 code, or the codes of the countries it fits when it fits several.\n"
    "# Built from pycountry {version} by `make countries`; do not edit.\n"
)


@cache
def country_names() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Folded name or code -> alpha-2 code, and folded names that fit several countries, as
    `build_country_names()` made them (read from `country-names.tsv`)."""
    table: dict[str, str] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, codes = line.split("\t")
        if " " in codes:
            ambiguous[key] = tuple(codes.split(" "))
        else:
            table[key] = codes
    return table, ambiguous


def build_country_names() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """`country_names()` from pycountry's ISO 3166-1 list and Chinese translations.

    Codes and ISO names come first: a form derived from another country's name never takes
    an ISO name's place (`Congo` is CG, although `Congo, The Democratic Republic of the`
    shortens to it). Among the other forms, one that fits two countries is ambiguous.
    """
    import gettext  # imported here, as pycountry is: only building the table needs them

    import pycountry

    exact: dict[str, str] = {}
    other: dict[str, set[str]] = {}
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
                    for lang in _CHINESE]
    for country in pycountry.countries:
        code = country.alpha_2
        names = [getattr(country, a, None) for a in _ISO_NAMES]
        for written in [code, country.alpha_3, *(n for n in names if n)]:
            exact.setdefault(country_key(written), code)
        for name in (n for n in names if n):
            for form in _derived(name):
                other.setdefault(country_key(form), set()).add(code)
            for translation in translations:
                other.setdefault(country_key(translation.gettext(name)), set()).add(code)
    for name, code in COMMON_NAMES.items():
        other.setdefault(country_key(name), set()).add(code)
    for code in ACCEPTED_USER_ASSIGNED:
        exact[country_key(code)] = code
    exact.setdefault(country_key("Kosovo"), "XK")
    table = dict(exact)
    ambiguous: dict[str, tuple[str, ...]] = {}
    for key, codes in other.items():
        if key in table or not key:
            continue
        if len(codes) == 1:
            table[key] = next(iter(codes))
        else:
            ambiguous[key] = tuple(sorted(codes))
    return table, ambiguous


def country_names_text() -> str:
    """The text of `country-names.tsv`, as `build_country_names()` makes it now (`make
    countries` writes it)."""
    import pycountry

    table, ambiguous = build_country_names()
    rows = {**table, **{key: " ".join(codes) for key, codes in ambiguous.items()}}
    lines = [f"{key}\t{codes}\n" for key, codes in sorted(rows.items())]
    return _NAMES_HEADER.format(version=pycountry.__version__) + "".join(lines)


def read_country(text: str) -> tuple[str, str | None]:
    """(alpha-2 code, None) for a code or name understood; otherwise (text upper-cased, None)
    for validation to report, or (text, problem) for an ambiguous name."""
    upper = text.upper()
    if upper in COUNTRY_CODES:
        return upper, None
    table, ambiguous = country_names()
    key = country_key(text)
    if len(key) <= 3 and not text.isalpha():
        return upper, None  # `n/a` and `n.a.` are not Namibia, nor `U.S` a code
    if key.startswith("the") and key not in table and key[3:] in table:
        key = key[3:]  # "The Netherlands"
    if key in table:
        return table[key], None
    if key in ambiguous:
        return text, f"{AMBIGUOUS} ({' or '.join(ambiguous[key])})"
    return upper, None


def read_countries(cells: Cells) -> ColumnRead:
    """A country column as alpha-2 codes, each distinct value read once. Codes in any case
    are read silently; names and alpha-3 codes with one note for the column; an ambiguous name
    is a data issue; anything else is kept upper-cased for validation to report."""
    if cells.arrow is not None:
        return _read_country_text(cells)
    text = text_values(cells).copy()
    problems = Problems()
    notes: tuple[str, ...] = ()
    at = np.flatnonzero(text != None)  # noqa: E711 - element-wise on an object array
    if len(at):
        codes, uniques = pd.factorize(text[at])
        read = [read_country(str(u)) for u in uniques]
        values = np.array([code for code, _ in read], dtype=object)
        problem = np.array([p for _, p in read], dtype=object)
        ambiguous = problem[codes] != None  # noqa: E711 - element-wise on an object array
        renamed = np.array([p is None and code in COUNTRY_CODES and str(u).upper() != code
                            for u, (code, p) in zip(uniques, read, strict=True)], dtype=bool)
        text[at] = values[codes]
        text[at[ambiguous]] = None
        problems.set(at[ambiguous], problem[codes][ambiguous])
        if renamed.any():
            named = [(str(u), str(values[i])) for i, u in enumerate(uniques) if renamed[i]]
            notes = (_names_note(named, int(renamed[codes].sum())),)
    return ColumnRead(pd.Series(pd.array(text, dtype="string"), index=cells.index),
                      problems, notes=notes)


def _read_country_text(cells: Cells) -> ColumnRead:
    """`read_countries` of a column of Arrow text: each distinct text read once, and the
    codes mapped back in Arrow."""
    problems = Problems()
    notes: tuple[str, ...] = ()
    codes, uniques = cells.distinct()
    if not len(uniques):
        return ColumnRead(text_series(cells.arrow, cells.index), problems)
    read = [read_country(str(u)) for u in uniques]
    problem = np.array([p for _, p in read] + [None], dtype=object)  # code -1: no text
    ambiguous_u = np.array([p is not None for _, p in read] + [False], dtype=bool)
    values = pa.array([None if p is not None else code for code, p in read],
                      type=pa.large_string())
    text = cells.spread(values)
    ambiguous = ambiguous_u[codes]
    problems.set(np.flatnonzero(ambiguous), problem[codes][ambiguous])
    renamed = np.array([p is None and code in COUNTRY_CODES and str(u).upper() != code
                        for u, (code, p) in zip(uniques, read, strict=True)] + [False],
                       dtype=bool)
    if renamed.any():
        named = [(str(u), read[i][0]) for i, u in enumerate(uniques) if renamed[i]]
        notes = (_names_note(named, int(renamed[codes].sum())),)
    return ColumnRead(text_series(text, cells.index), problems, notes=notes)


def _names_note(named: list[tuple[str, str]], cells: int) -> str:
    shown = ", ".join(f"{written} → {code}" for written, code in named[:5])
    more = f" and {len(named) - 5} more" if len(named) > 5 else ""
    noun = "cell" if cells == 1 else "cells"
    return f"{cells} {noun} read as ISO 3166-1 alpha-2 codes ({shown}{more})"


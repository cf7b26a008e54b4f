"""Certification standards: `ISO14001`, `iso 14001:2015`, `ISO/IEC 27001:2022` -> `ISO 14001`.

Prefixes (DIN EN ISO, ISO/IEC), punctuation and the edition year never matter for the name;
the edition year is kept apart, because rules may need it (ISO 27001:2013 expired in 2025).
The normaliser reads the Certificates sheet with it, and the rule engine a rule's `certificate:`,
so both read a standard the same way.
"""

from __future__ import annotations

import re
import unicodedata

# Written without a space by their owners; every other family is "<FAMILY> <number>".
_SOLID = frozenset({"SA", "AA"})
_ISO = re.compile(
    r"\b(?:ISO|IEC)\b[\s/\-_.:]*(?:(?:IEC|TS|PAS)\b[\s/\-_.:]*)*"
    r"(?P<number>\d+(?:-\d{1,2}(?!\d))*)(?:\s*[:\-_/ ]\s*\(?(?P<year>(?:19|20)\d{2})\)?)?",
    re.IGNORECASE,
)
_FAMILY = re.compile(
    r"^(?P<family>[A-Za-z]+)[\s/\-_.]*(?P<number>\d+(?:-\d{1,2}(?!\d))*)"
    r"(?:\s*[:\-_/ ]\s*\(?(?P<year>(?:19|20)\d{2})\)?)?$"
)


def normalise_standard(text: str) -> tuple[str, int | None]:
    """A standard's canonical name and its edition year (None when not given).

    `ISO/IEC 27001:2022` -> ("ISO 27001", 2022); `SA 8000` -> ("SA8000", None); text that
    names no numbered standard is kept, trimmed.
    """
    clean = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    numbered = _ISO.search(clean)
    if numbered:
        family = "ISO" if re.search(r"\bISO\b", clean, re.IGNORECASE) else "IEC"
        return f"{family} {numbered.group('number')}", _year(numbered.group("year"))
    numbered = _FAMILY.match(clean)
    if numbered:
        family = numbered.group("family").upper()
        glue = "" if family in _SOLID else " "
        return f"{family}{glue}{numbered.group('number')}", _year(numbered.group("year"))
    return clean, None


def _year(text: str | None) -> int | None:
    return int(text) if text else None

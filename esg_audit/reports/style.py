"""The reports' shared palette: one colour per grade and per status, so that report.xlsx and
report.html colour a grade or a status alike. Plain constants, importing no writer library."""

from __future__ import annotations

from collections.abc import Mapping

from esg_audit.model import GRADES, STATUSES

GRADE_FILLS: Mapping[str, str] = dict(
    zip(GRADES, ("#63BE7B", "#C6EFCE", "#FFC000", "#F8696B", "#D9D9D9"), strict=True)
)
STATUS_FILLS: Mapping[str, str] = dict(
    zip(STATUSES, ("#C6EFCE", "#FFEB9C", "#FFC7CE", "#F4B084", "#D9D9D9", "#BDD7EE"), strict=True)
)
HEADER_FILL = "#DDEBF7"


def grade_class(grade: str) -> str:
    """A grade as a CSS class name: "a" .. "d", "na" for N/A."""
    return "".join(ch for ch in grade.lower() if ch.isalnum())

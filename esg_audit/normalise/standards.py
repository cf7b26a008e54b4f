"""Certification standards in the Certificates sheet, read column-wise: each distinct spelling
once, with `esg_audit.standards.normalise_standard`."""

from __future__ import annotations

import numpy as np

from esg_audit.normalise.cells import by_distinct
from esg_audit.standards import normalise_standard

__all__ = ["normalise_standard", "read_standards"]


def read_standards(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Canonical names and edition years (object arrays, None where missing) of a column of
    standards as text (None where blank). Each distinct spelling is read once."""
    names = np.full(len(text), None, dtype=object)
    editions = np.full(len(text), None, dtype=object)
    at = np.flatnonzero(text != None)  # noqa: E711 - element-wise on an object array
    if len(at):
        read = by_distinct(text[at], normalise_standard)
        names[at] = [r[0] for r in read]
        editions[at] = [r[1] for r in read]
    return names, editions

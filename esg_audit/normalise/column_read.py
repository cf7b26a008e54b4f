"""What reading one column gives: typed values, the problem of each invalid cell, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class Problems:
    """The invalid cells of one column, collected mask by mask (nothing per cell when none)."""

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, str | np.ndarray]] = []

    def set(self, where: np.ndarray, problem: str | np.ndarray) -> None:
        """Mark cells (a bool mask or positions) with one problem, or one problem each."""
        positions = np.flatnonzero(where) if where.dtype == bool else where
        if len(positions):
            self._parts.append((positions, problem))

    def found(self) -> tuple[list[int], list[str]]:
        """Positions (ascending) and their problems; a later mark wins over an earlier one."""
        found: dict[int, str] = {}
        for positions, problem in self._parts:
            texts = [problem] * len(positions) if isinstance(problem, str) else list(problem)
            found.update(zip(positions.tolist(), texts, strict=True))
        order = sorted(found)
        return order, [found[p] for p in order]


@dataclass(frozen=True)
class ColumnRead:
    """A column after reading: values, its invalid cells, and what to note.

    `markers` holds the missing-markers met (as written), one entry per cell.
    """

    values: pd.Series
    problems: Problems = field(default_factory=Problems)
    markers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    edition: pd.Series | None = None  # a standards column: the edition year of each cell
    scale: str | None = None  # a share column: "percent" or "fraction"

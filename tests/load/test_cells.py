"""Sheet-name matching and the data-row count behind InputFile.rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from esg_audit.load.cells import canonical_sheet, cells_frame, data_row_count, header_position


@pytest.mark.parametrize(
    "name, canonical",
    [
        ("Suppliers", "Suppliers"),
        (" suppliers ", "Suppliers"),
        ("SUPPLIERS", "Suppliers"),
        ("Supplier s", "Suppliers"),
        ("certificates", "Certificates"),
        ("E missions", "Emissions"),
        ("materials\t", "Materials"),
        ("Supplier", ""),
        ("Suppliers (2)", ""),
        ("Sheet1", ""),
    ],
)
def test_canonical_sheet(name, canonical):
    assert canonical_sheet(name) == canonical


def frame(rows):
    values = np.empty((len(rows), len(rows[0])), dtype=object)
    values[:] = rows
    return cells_frame(values, pd.RangeIndex(1, len(rows) + 1))[0]


def test_cells_frame_turns_empty_text_into_none_and_keeps_the_rest():
    cells = frame([["a", "", " "], [0.0, False, None]])

    assert cells.to_numpy().tolist() == [["a", None, " "], [0.0, False, None]]
    assert list(cells.index) == [1, 2] and list(cells.columns) == [0, 1, 2]


@pytest.mark.parametrize(
    "rows, header, count",
    [
        ([["supplier_id", "name"], ["S1", "A"], [None, None], ["S2", None]], 0, 2),
        (
            [["Survey 2026", None], [None, None], ["Supplier ID", "Scope 1 (kgCO2e)"], ["S1", 3]],
            2,
            1,
        ),
        ([["Company:", "Acme"], ["Vendor ID", "Supplier Name"], ["S1", "A"]], 0, 2),
        (
            [
                ["Company:", "Acme", None],
                ["Vendor ID", "Revenue (MUSD)", "country"],
                ["S1", 1, "DE"],
            ],
            1,
            1,
        ),
        ([["供应商编号", "名称"], ["S1", "A"]], 0, 1),
        ([["only"], ["S1"], ["S2"]], 0, 2),
        ([[None, None], [None, None]], None, 0),
    ],
)
def test_header_position_and_data_row_count(rows, header, count):
    cells = frame(rows)

    assert header_position(cells) == header
    assert data_row_count(cells) == count

"""Yes/no columns (SPEC §3: Booleans)."""

from __future__ import annotations

from esg_audit.model import Note


def test_every_written_form(kit):
    cells = ["yes", "No", "Y", "n", "TRUE", "false", "1", "0", 1, 0.0, "x", "X", None, "是", "否",
             True, False]
    data = kit.audit(kit.suppliers(["SBTi Target"], *[[f"S{i}", c] for i, c in enumerate(cells)]))
    assert kit.column(data, "sbti_target") == [
        True, False, True, False, True, False, True, False, True, False, True, True, None,
        True, False, True, False,
    ]
    assert str(data.suppliers["sbti_target"].dtype) == "boolean"
    assert data.data_issues == ()


def test_other_values_are_issues_and_markers_are_missing(kit):
    data = kit.audit(kit.suppliers(["SBTi"], ["S1", "maybe"], ["S2", 2], ["S3", "N/A"]))
    assert kit.column(data, "sbti_target") == [None, None, None]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 2, "SBTi", "maybe", "not a yes/no value"),
        ("book.xlsx", "Suppliers", 3, "SBTi", "2", "not a yes/no value"),
    ]
    assert data.notes == (Note("book.xlsx", "Suppliers", "SBTi", "1 cell read as missing (N/A)"),)


def test_qualified_defaults_to_true_where_blank(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"]])
    materials = kit.sheet([
        ["Material", "Supplier ID", "Core", "Qualified"],
        ["steel", "S1", "x", None], ["bolts", "S1", None, "no"], ["nuts", "S1", "no", "N/A"],
    ], "Materials")
    data = kit.audit(suppliers, materials)
    assert kit.column(data, "core", "materials") == [True, None, False]
    assert kit.column(data, "qualified", "materials") == [True, False, None]


def test_absent_qualified_column_is_true_for_every_row(kit):
    suppliers = kit.sheet([["Supplier ID", "Name"], ["S1", "A"]])
    materials = kit.sheet([["Material", "Supplier ID"], ["steel", "S1"], ["bolts", "S1"]],
                          "Materials")
    data = kit.audit(suppliers, materials)
    assert kit.column(data, "qualified", "materials") == [True, True]
    assert kit.column(data, "core", "materials") == [None, None]

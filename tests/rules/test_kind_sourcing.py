"""Check kind `sourcing` (SPEC §4): single-source risk on core materials."""

from __future__ import annotations

RULE = """
- id: SRC-001
  title: No single-source core material
  pillar: resilience
  check: {min_suppliers: 2}
"""


def supplied(supplier: str, material: str, core: bool | None = True, qualified: bool | None = True) -> dict:
    return {"supplier_id": supplier, "material": material, "core": core, "qualified": qualified}


def suppliers(*ids: str) -> list[dict]:
    return [{"supplier_id": s} for s in ids]


def test_single_source_fails_multi_source_passes_others_na(data, results):
    materials = [
        supplied("S1", "Steel"),  # the only qualified steel supplier
        supplied("S2", "steel", qualified=False),  # not qualified: not counted, n/a
        supplied("S3", "Copper"),
        supplied("S4", "copper "),  # same material, written differently
        supplied("S4", "Resin", core=None),  # blank core is not core
        supplied("S5", "Resin", core=False),
    ]
    audit = data(suppliers("S1", "S2", "S3", "S4", "S5", "S6"), materials=materials)
    assert results(RULE, audit) == {
        "S1": ("fail", "single-source risk: core material 'Steel' has 1 qualified supplier (minimum 2)"),
        "S2": ("n/a", ""),
        "S3": ("pass", "each of its 1 core material(s) has 2 or more qualified suppliers"),
        "S4": ("pass", "each of its 1 core material(s) has 2 or more qualified suppliers"),
        "S5": ("n/a", ""),
        "S6": ("n/a", ""),
    }


def test_one_risky_material_fails_a_supplier_of_several(data, results):
    materials = [
        supplied("S1", "Copper"), supplied("S2", "Copper"),
        supplied("S1", "Cobalt"),
        supplied("S1", "Lithium"),
        supplied("S1", "Copper"),  # a repeated row does not count twice
    ]
    audit = data(suppliers("S1", "S2"), materials=materials)
    assert results(RULE, audit) == {
        "S1": ("fail", "single-source risk: core material 'Cobalt' has 1 qualified supplier (minimum 2) "
                       "and 1 more core material(s) below it"),
        "S2": ("pass", "each of its 1 core material(s) has 2 or more qualified suppliers"),
    }


def test_core_when_any_row_marks_it_core_and_qualified_blank_counts(data, statuses):
    materials = [
        supplied("S1", "Glass", core=True, qualified=None),
        supplied("S2", "Glass", core=None, qualified=True),
        supplied("S3", "Glass", core=False, qualified=True),
    ]
    rule = RULE.replace("min_suppliers: 2", "min_suppliers: 4")
    audit = data(suppliers("S1", "S2", "S3"), materials=materials)
    assert statuses(rule, audit) == {"S1": "fail", "S2": "fail", "S3": "fail"}
    assert statuses(RULE.replace("min_suppliers: 2", "min_suppliers: 3"), audit) == {
        "S1": "pass", "S2": "pass", "S3": "pass",
    }


def test_materials_filter(data, statuses):
    rule = RULE.replace("{min_suppliers: 2}", "{min_suppliers: 2, materials: [steel]}")
    materials = [supplied("S1", "Steel"), supplied("S2", "Cobalt")]
    audit = data(suppliers("S1", "S2"), materials=materials)
    assert statuses(rule, audit) == {"S1": "fail", "S2": "n/a"}


def test_no_materials_sheet_is_missing_and_an_empty_one_na(data, results):
    assert results(RULE, data(suppliers("S1"))) == {
        "S1": ("missing", "missing: no Materials sheet in the input"),
    }
    assert results(RULE, data(suppliers("S1"), materials=[])) == {
        "S1": ("n/a", ""),
    }

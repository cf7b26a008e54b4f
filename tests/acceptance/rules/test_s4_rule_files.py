"""SPEC §4 Rule files: --rules file or folder, unique ids, default grading, one grading block,
pack `fields`, every rule key and its default."""

from __future__ import annotations

SUPPLIERS = [{"supplier_id": "S1", "name": "One", "renewable_share": 0.7},
             {"supplier_id": "S2", "name": "Two", "renewable_share": 0.1}]

RULE_R1 = """
- id: R1
  title: t
  pillar: environment
  check: {pass: renewable_share >= 0.6}
"""


def _ids(run, supplier="S1"):
    return [r["rule_id"] for r in run.supplier(supplier)["results"]]


def test_rules_file(audit, pack):
    run = audit(pack(RULE_R1), SUPPLIERS)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "pass", "S2": "fail"}


def test_rules_folder_loads_yaml_and_yml_sorted_by_name(audit, pack):
    one = "- {id: B1, title: t, pillar: p, check: {pass: 'renewable_share > 0'}}"
    two = "- {id: A1, title: t, pillar: p, check: {pass: 'renewable_share > 0'}}"
    three = "- {id: C1, title: t, pillar: p, check: {pass: 'renewable_share > 0'}}"
    files = {
        "b.yml": pack(two).replace("pack: test", "pack: b"),
        "a.yaml": pack(one).replace("pack: test", "pack: a"),
        "c.YAML.txt": pack(three),  # not a rule file
        "README.md": "not yaml: [",
    }
    run = audit(files, SUPPLIERS)
    assert run.exit_code == 0, run.stderr
    assert _ids(run) == ["B1", "A1"]  # a.yaml's rules, then b.yml's
    assert [p["pack"] for p in run.report["audit"]["rule_packs"]] == ["a", "b"]


def test_rule_ids_unique_within_a_file(audit, pack):
    run = audit(pack(RULE_R1 + RULE_R1), SUPPLIERS)
    assert run.exit_code == 2
    assert "duplicate rule id 'R1'" in run.stderr
    assert "rules.yaml" in run.stderr


def test_rule_ids_unique_across_files(audit, pack):
    run = audit({"a.yaml": pack(RULE_R1), "b.yaml": pack(RULE_R1)}, SUPPLIERS)
    assert run.exit_code == 2
    assert "duplicate rule id 'R1'" in run.stderr
    assert "b.yaml" in run.stderr and "a.yaml" in run.stderr
    assert run.report is None


# Five rules of weight 1 in one pillar; each supplier's flags f1..f5 give pass (1), warn (0.5)
# or fail (0), so the score is exactly 20 per passing rule.
FIVE_RULES = "".join(f"""
- id: G{i}
  title: t
  pillar: environment
  check: {{pass: "f{i} >= 1", warn: "f{i} >= 0.5"}}
""" for i in range(1, 6))
FIELDS = "fields: {f1: number, f2: number, f3: number, f4: number, f5: number}\n"


def _flags(supplier_id, *values):
    return {"supplier_id": supplier_id, "name": supplier_id, **{f"f{i}": v for i, v in enumerate(values, 1)}}


def test_default_bands_a80_b60_c40(audit, pack):
    suppliers = [
        _flags("A80", 1, 1, 1, 1, 0),      # 80   -> A
        _flags("B70", 1, 1, 1, 0.5, 0),    # 70   -> B
        _flags("B60", 1, 1, 1, 0, 0),      # 60   -> B
        _flags("C50", 1, 1, 0.5, 0, 0),    # 50   -> C
        _flags("C40", 1, 1, 0, 0, 0),      # 40   -> C
        _flags("D30", 1, 0.5, 0, 0, 0),    # 30   -> D
        _flags("D0", 0, 0, 0, 0, 0),       # 0    -> D
    ]
    run = audit(pack(FIVE_RULES, FIELDS), suppliers)
    assert run.exit_code == 0, run.stderr
    got = {s["supplier_id"]: (s["score"], s["grade"]) for s in run.report["suppliers"]}
    assert got == {"A80": (80.0, "A"), "B70": (70.0, "B"), "B60": (60.0, "B"), "C50": (50.0, "C"),
                   "C40": (40.0, "C"), "D30": (30.0, "D"), "D0": (0.0, "D")}


def test_default_pillar_weight_is_one(audit, pack):
    rules = """
    - {id: E1, title: t, pillar: environment, weight: 3, check: {pass: "f1 >= 1"}}
    - {id: S1, title: t, pillar: social, check: {pass: "f2 >= 1"}}
    """
    run = audit(pack(rules, "fields: {f1: number, f2: number}\n"), [_flags("X", 1, 0)])
    assert run.exit_code == 0, run.stderr
    supplier = run.supplier("X")
    assert supplier["pillars"] == {"environment": 100.0, "social": 0.0}
    assert (supplier["score"], supplier["grade"]) == (50.0, "C")


def test_grading_block_sets_bands_and_pillar_weights(audit, pack):
    rules = """
    - {id: E1, title: t, pillar: environment, check: {pass: "f1 >= 1"}}
    - {id: S1, title: t, pillar: social, check: {pass: "f2 >= 1"}}
    - {id: O1, title: t, pillar: other, check: {pass: "f3 >= 1"}}
    """
    header = ("grading:\n  bands: {A: 90, B: 70, C: 50}\n  pillars: {environment: 0.5, social: 0.25}\n"
              "fields: {f1: number, f2: number, f3: number}\n")
    run = audit(pack(rules, header), [_flags("X", 1, 0, 1), _flags("Y", 1, 1, 0)])
    assert run.exit_code == 0, run.stderr
    # X: (0.5*100 + 0.25*0 + 1*100) / 1.75 = 85.714.. -> 85.7, B (A needs 90)
    assert (run.supplier("X")["score"], run.supplier("X")["grade"]) == (85.7, "B")
    # Y: (0.5*100 + 0.25*100 + 0) / 1.75 = 42.857.. -> 42.9, D (C needs 50)
    assert (run.supplier("Y")["score"], run.supplier("Y")["grade"]) == (42.9, "D")


def test_at_most_one_loaded_file_sets_grading(audit, pack):
    grading = "grading:\n  bands: {A: 80, B: 60, C: 40}\n"
    other = "- {id: R2, title: t, pillar: p, check: {pass: 'renewable_share > 0'}}"
    run = audit({"a.yaml": pack(RULE_R1, grading), "b.yaml": pack(other, grading)}, SUPPLIERS)
    assert run.exit_code == 2
    assert "grading" in run.stderr and "b.yaml" in run.stderr
    assert run.report is None


def test_grading_in_one_of_two_files_is_fine(audit, pack):
    other = "- {id: R2, title: t, pillar: p, check: {pass: 'renewable_share > 0'}}"
    run = audit({"a.yaml": pack(RULE_R1), "b.yaml": pack(other, "grading:\n  bands: {A: 95, B: 60, C: 40}\n")},
                SUPPLIERS)
    assert run.exit_code == 0, run.stderr
    # S1 passes both (100) -> A with A at 95
    assert run.supplier("S1")["grade"] == "A"


def test_pack_fields_declare_extra_columns(audit, pack):
    rules = """
    - id: CB1
      title: CBAM
      pillar: environment
      check: {pass: "cbam_embedded_tco2e <= 100"}
    """
    suppliers = [{"supplier_id": "S1", "name": "a", "CBAM Embedded tCO2e": "50"},
                 {"supplier_id": "S2", "name": "b", "CBAM Embedded tCO2e": "150"},
                 {"supplier_id": "S3", "name": "c", "CBAM Embedded tCO2e": ""}]
    run = audit(pack(rules, "fields: {cbam_embedded_tco2e: number}\n"), suppliers)
    assert run.exit_code == 0, run.stderr
    assert run.statuses("CB1") == {"S1": "pass", "S2": "fail", "S3": "missing"}


def test_pack_fields_normalised_like_canonical_ones(audit, pack):
    # A declared number field reads "N/A" as missing (not a data issue) and "x" as a data issue.
    rules = "- {id: CB1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e <= 100'}}"
    suppliers = [{"supplier_id": "S1", "name": "a", "cbam_embedded_tco2e": "N/A"},
                 {"supplier_id": "S2", "name": "b", "cbam_embedded_tco2e": "lots"}]
    run = audit(pack(rules, "fields: {cbam_embedded_tco2e: number}\n"), suppliers)
    assert run.exit_code == 0, run.stderr
    assert run.statuses("CB1") == {"S1": "missing", "S2": "missing"}
    issues = run.report["data_issues"]
    assert [(i["row"], i["value"]) for i in issues] == [(3, "lots")]


def test_declared_field_the_input_lacks_is_missing_for_everyone(audit, pack):
    rules = "- {id: CB1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e <= 100'}}"
    run = audit(pack(rules, "fields: {cbam_embedded_tco2e: number}\n"), SUPPLIERS)
    assert run.exit_code == 0, run.stderr
    assert run.statuses("CB1") == {"S1": "missing", "S2": "missing"}


def test_undeclared_extra_column_is_an_error(audit, pack):
    rules = "- {id: CB1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e <= 100'}}"
    suppliers = [{"supplier_id": "S1", "name": "a", "cbam_embedded_tco2e": 5}]
    run = audit(pack(rules), suppliers)
    assert run.exit_code == 2
    assert "cbam_embedded_tco2e" in run.stderr and "CB1" in run.stderr


# --- every rule key and its default ---------------------------------------------------------

def test_weight_defaults_to_one(audit, pack):
    run = audit(pack(RULE_R1), SUPPLIERS)
    assert run.result("S1", "R1")["points"] == 1 and run.result("S1", "R1")["max_points"] == 1
    assert run.result("S2", "R1")["points"] == 0 and run.result("S2", "R1")["max_points"] == 1


def test_weight_scales_points(audit, pack):
    rules = "- {id: R1, title: t, pillar: p, weight: 2.5, check: {pass: 'renewable_share >= 0.6', warn: 'renewable_share >= 0.05'}}"
    run = audit(pack(rules), SUPPLIERS)
    assert (run.result("S1", "R1")["points"], run.result("S1", "R1")["max_points"]) == (2.5, 2.5)
    assert (run.result("S2", "R1")["points"], run.result("S2", "R1")["max_points"]) == (1.25, 2.5)


def test_weight_must_be_positive(audit, pack):
    for weight in ("0", "-1"):
        rules = f"- {{id: R1, title: t, pillar: p, weight: {weight}, check: {{pass: 'renewable_share > 0'}}}}"
        run = audit(pack(rules), SUPPLIERS)
        assert run.exit_code == 2, weight
        assert "weight" in run.stderr and "R1" in run.stderr and "rules.yaml" in run.stderr


def test_on_missing_defaults_to_fail(audit, pack):
    run = audit(pack(RULE_R1), [{"supplier_id": "S1", "name": "a", "renewable_share": ""}])
    result = run.result("S1", "R1")
    assert (result["status"], result["points"], result["max_points"]) == ("missing", 0, 1)
    assert run.supplier("S1")["score"] == 0.0
    assert run.supplier("S1")["grade"] == "D"


def test_severity_defaults_to_medium(audit, pack):
    run = audit(pack(RULE_R1), SUPPLIERS, as_of="2026-01-01")
    (finding,) = run.report["findings"]
    assert (finding["severity"], finding["due"]) == ("medium", "2026-04-01")


def test_knockout_defaults_to_false(audit, pack):
    rules = RULE_R1 + "- {id: R2, title: t, pillar: p, check: {pass: 'renewable_share >= 0'}}\n" + \
        "- {id: R3, title: t, pillar: p, check: {pass: 'renewable_share >= 0'}}\n" + \
        "- {id: R4, title: t, pillar: p, check: {pass: 'renewable_share >= 0'}}\n" + \
        "- {id: R5, title: t, pillar: p, check: {pass: 'renewable_share >= 0'}}\n"
    run = audit(pack(rules), SUPPLIERS)
    # S2 fails R1 only: pillar environment 0, pillar p 100 -> 50 -> C, not forced to D
    assert run.supplier("S2")["knockout"] is False
    assert run.supplier("S2")["grade"] == "C"


def test_applies_to_false_or_missing_gives_na(audit, pack):
    rules = """
    - id: R1
      title: t
      pillar: p
      applies_to: "category != 'services'"
      check: {pass: renewable_share >= 0.6}
    """
    suppliers = [
        {"supplier_id": "S1", "name": "a", "category": "metal", "renewable_share": 0.1},
        {"supplier_id": "S2", "name": "b", "category": "services", "renewable_share": 0.1},
        {"supplier_id": "S3", "name": "c", "category": "", "renewable_share": 0.1},
    ]
    run = audit(pack(rules), suppliers)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "fail", "S2": "n/a", "S3": "n/a"}
    result = run.result("S2", "R1")
    assert (result["points"], result["max_points"]) == (0, 0)
    assert run.supplier("S2")["score"] is None and run.supplier("S2")["grade"] == "N/A"
    assert [f["supplier_id"] for f in run.report["findings"]] == ["S1"]


def test_unknown_rule_key_is_an_error(audit, pack):
    rules = "- {id: R1, title: t, pillar: p, wieght: 2, check: {pass: 'renewable_share > 0'}}"
    run = audit(pack(rules), SUPPLIERS)
    assert run.exit_code == 2
    assert "wieght" in run.stderr and "weight" in run.stderr and "R1" in run.stderr


def test_severity_and_on_missing_values_checked(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, severity: urgent, check: {pass: 'renewable_share > 0'}}"), SUPPLIERS)
    assert run.exit_code == 2 and "severity" in run.stderr
    run = audit(pack("- {id: R1, title: t, pillar: p, on_missing: ignore, check: {pass: 'renewable_share > 0'}}"), SUPPLIERS)
    assert run.exit_code == 2 and "on_missing" in run.stderr

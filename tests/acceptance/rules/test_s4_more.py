"""SPEC §4: further cases of rule files, check kinds and expressions."""

from __future__ import annotations


def _suppliers(*ids, **extra):
    return [{"supplier_id": s, "name": f"name {s}", **extra} for s in ids]


def test_rules_option_repeatable_file_and_folder(audit, pack, tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "x.yaml").write_text(pack("- {id: X1, title: t, pillar: p, check: {pass: 'true'}}").replace("test", "x"))
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {pass: 'true'}}"), _suppliers("S1"),
                extra=["--rules", str(folder)])
    assert run.exit_code == 0, run.stderr
    assert [r["rule_id"] for r in run.supplier("S1")["results"]] == ["R1", "X1"]


def test_declared_fields_belong_to_their_pack(audit, pack):
    a = pack("- {id: A1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e > 0'}}",
             "fields: {cbam_embedded_tco2e: number}\n")
    b = pack("- {id: B1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e > 0'}}").replace("test", "b")
    run = audit({"a.yaml": a, "b.yaml": b}, _suppliers("S1", cbam_embedded_tco2e=3))
    assert run.exit_code == 2
    assert "b.yaml" in run.stderr and "B1" in run.stderr and "cbam_embedded_tco2e" in run.stderr


def test_unknown_field_in_applies_to(audit, pack):
    rules = "- id: R1\n  title: t\n  pillar: p\n  applies_to: \"categroy == 'x'\"\n  check: {pass: 'true'}\n"
    run = audit(pack(rules), _suppliers("S1"))
    assert run.exit_code == 2
    assert "rules.yaml:7" in run.stderr and "R1" in run.stderr and "'category'" in run.stderr


def test_unknown_check_kind(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {certificat: ISO 14001}}"), _suppliers("S1"))
    assert run.exit_code == 2
    assert "R1" in run.stderr and "certificate" in run.stderr


def test_bool_field(audit, pack):
    rules = ("- {id: R1, title: t, pillar: p, check: {pass: 'sbti_target'}}\n"
             "- {id: R2, title: t, pillar: p, check: {pass: 'not sbti_target'}}\n"
             "- {id: R3, title: t, pillar: p, check: {pass: 'sbti_target == false'}}\n")
    suppliers = [{"supplier_id": "Y", "name": "a", "sbti_target": "yes"},
                 {"supplier_id": "N", "name": "b", "sbti_target": "no"},
                 {"supplier_id": "B", "name": "c", "sbti_target": ""}]
    run = audit(pack(rules), suppliers)
    assert run.exit_code == 0, run.stderr
    assert run.statuses("R1") == {"Y": "pass", "N": "fail", "B": "missing"}
    assert run.statuses("R2") == {"Y": "fail", "N": "pass", "B": "missing"}
    assert run.statuses("R3") == {"Y": "fail", "N": "pass", "B": "missing"}


def test_in_list_with_null(audit, pack):
    rules = ("- {id: R1, title: t, pillar: p, check: {pass: \"category in ['a', null]\"}}\n"
             "- {id: R2, title: t, pillar: p, check: {pass: \"category not in ['a', null]\"}}\n")
    suppliers = [{"supplier_id": "A", "name": "a", "category": "a"},
                 {"supplier_id": "B", "name": "b", "category": "b"},
                 {"supplier_id": "M", "name": "c", "category": ""}]
    run = audit(pack(rules), suppliers)
    assert run.statuses("R1") == {"A": "pass", "B": "missing", "M": "missing"}
    assert run.statuses("R2") == {"A": "fail", "B": "missing", "M": "missing"}


def test_min_max_dates_and_date_arithmetic(audit, pack):
    rules = ("- {id: R1, title: t, pillar: p, check: {pass: \"min(d, date('2026-01-01')) == date('2026-01-01')\"}}\n"
             "- {id: R2, title: t, pillar: p, check: {pass: \"d - date('2026-01-01') == 9\"}}\n"
             "- {id: R3, title: t, pillar: p, check: {pass: \"d + 1 == date('2026-01-11')\"}}\n")
    run = audit(pack(rules, "fields: {d: date}\n"), [{"supplier_id": "S", "name": "a", "d": "2026-01-10"}])
    assert run.exit_code == 0, run.stderr
    assert [run.status("S", r) for r in ("R1", "R2", "R3")] == ["pass", "pass", "pass"]


def test_invalid_date_literal_is_an_error(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {pass: \"as_of > date('2026-02-30')\"}}"), _suppliers("S"))
    assert run.exit_code == 2 and "R1" in run.stderr


def test_empty_certificates_sheet_means_fail_not_missing(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {certificate: ISO 14001}}"), _suppliers("S1"),
                certificates=[{"supplier_id": None, "standard": None, "issuer": None, "valid_from": None,
                               "valid_until": None, "status": None}])
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "fail"}


def test_certificate_status_case_and_spaces(audit, pack):
    certificates = [{"supplier_id": "S1", "standard": "ISO 14001", "certificate_no": "1", "issuer": "x",
                     "valid_from": "2025-01-01", "valid_until": "2027-01-01", "status": " Active "},
                    {"supplier_id": "S2", "standard": "ISO 14001", "certificate_no": "2", "issuer": "x",
                     "valid_from": "2025-01-01", "valid_until": "2027-01-01", "status": "SUSPENDED"}]
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {certificate: ISO 14001}}"), _suppliers("S1", "S2"),
                certificates=certificates)
    assert run.statuses() == {"S1": "pass", "S2": "fail"}


def _mat(material, supplier, core="yes", qualified="yes"):
    return {"material": material, "supplier_id": supplier, "core": core, "qualified": qualified}


def test_sourcing_distinct_suppliers_and_default_qualified(audit, pack):
    materials = [
        _mat("steel", "TWICE"), _mat("Steel ", "TWICE"),                     # one supplier listed twice
        _mat("copper", "Q1", qualified=""), _mat("copper", "Q2", qualified=""),  # blank qualified = true
        _mat("tin", "CORE_ANY", core="no"), _mat("tin", "OTHER"),            # core when any row says so
    ]
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {min_suppliers: 2}}"),
                _suppliers("TWICE", "Q1", "Q2", "CORE_ANY", "OTHER"), materials=materials)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"TWICE": "fail", "Q1": "pass", "Q2": "pass", "CORE_ANY": "pass", "OTHER": "pass"}


def test_sourcing_without_qualified_column(audit, pack):
    materials = [{"material": "steel", "supplier_id": "S1", "core": "yes"},
                 {"material": "steel", "supplier_id": "S2", "core": "yes"},
                 {"material": "tin", "supplier_id": "S3", "core": "yes"}]
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {min_suppliers: 2}}"),
                _suppliers("S1", "S2", "S3"), materials=materials)
    assert run.statuses() == {"S1": "pass", "S2": "pass", "S3": "fail"}


def test_sourcing_min_suppliers_one(audit, pack):
    materials = [_mat("steel", "S1"), _mat("tin", "S2", qualified="no")]
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {min_suppliers: 1}}"),
                _suppliers("S1", "S2"), materials=materials)
    assert run.statuses() == {"S1": "pass", "S2": "n/a"}


def test_trend_expression_missing_scope_means_no_data(audit, pack):
    rules = "- {id: R1, title: t, pillar: p, check: {trend: 'scope1_tco2e + scope2_tco2e', years: 2, max_annual_change: 0}}"
    emissions = [
        {"supplier_id": "S1", "year": 2024, "scope1_tco2e": 100, "scope2_tco2e": 0},
        {"supplier_id": "S1", "year": 2026, "scope1_tco2e": 90, "scope2_tco2e": ""},
        {"supplier_id": "S1", "year": 2025, "scope1_tco2e": 150, "scope2_tco2e": 0},
        {"supplier_id": "S1", "year": 2023, "scope1_tco2e": 100, "scope2_tco2e": 0},
    ]
    run = audit(pack(rules), _suppliers("S1"), emissions=emissions, as_of="2026-03-01")
    # L = 2025 (2026 has no value), base 2023: 150/100 -> +22.5 %/yr -> fail
    assert run.statuses() == {"S1": "fail"}
    assert "+22.5%" in run.result("S1", "R1")["message"]


def test_trend_units_from_emissions_sheet(audit, pack):
    rules = "- {id: R1, title: t, pillar: p, check: {trend: 'scope1_tco2e', years: 1, max_annual_change: -0.5}}"
    emissions = [{"supplier_id": "S1", "year": 2025, "Scope 1 (kgCO2e)": 1000},
                 {"supplier_id": "S1", "year": 2026, "Scope 1 (kgCO2e)": 400}]
    run = audit(pack(rules), _suppliers("S1"), emissions=emissions)
    assert run.statuses() == {"S1": "pass"}


def test_pack_with_declared_fields_lints_without_a_workbook(tmp_path, pack):
    from click.testing import CliRunner

    from esg_audit.cli import cli

    good = tmp_path / "good.yaml"
    good.write_text(pack("- {id: R1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e < 5'}}",
                         "fields: {cbam_embedded_tco2e: number}\n"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(pack("- {id: R1, title: t, pillar: p, check: {pass: 'cbam_embedded_tco2e < 5'}}"))
    assert CliRunner().invoke(cli, ["rules", "lint", str(good)]).exit_code == 0
    result = CliRunner().invoke(cli, ["rules", "lint", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:4" in result.output and "R1" in result.output and "cbam_embedded_tco2e" in result.output


def test_rule_file_yaml_tags_are_refused(audit, pack, tmp_path):
    marker = tmp_path / "pwned"
    rules = f"- {{id: R1, title: t, pillar: p, check: {{pass: !!python/object/apply:os.system ['touch {marker}']}}}}"
    run = audit(pack(rules), _suppliers("S1"))
    assert run.exit_code == 2 and "rules.yaml:4" in run.stderr
    assert not marker.exists()

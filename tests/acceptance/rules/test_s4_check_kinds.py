"""SPEC §4 Check kinds: certificate, required, trend and sourcing, each sentence."""

from __future__ import annotations

AS_OF = "2026-06-30"


def _suppliers(*ids):
    return [{"supplier_id": s, "name": f"name {s}"} for s in ids]


def _cert(supplier, valid_from="2025-01-01", valid_until="2027-12-31", status="active",
          standard="ISO 14001", issuer="BSI", number=None):
    return {"supplier_id": supplier, "standard": standard, "certificate_no": number or f"C-{supplier}",
            "issuer": issuer, "valid_from": valid_from, "valid_until": valid_until, "status": status}


def _cert_rule(check):
    return f"- {{id: R1, title: t, pillar: p, check: {check}}}\n"


# --- certificate ------------------------------------------------------------------------------

def test_certificate_validity(audit, pack):
    ids = ["FROM_TODAY", "UNTIL_TODAY", "UNTIL_TOMORROW", "NOT_YET", "EXPIRED", "SUSPENDED",
           "WITHDRAWN", "STATUS_EXPIRED", "BLANK_STATUS", "OTHER_STD", "SPELLED", "NO_FROM", "NO_UNTIL",
           "NONE"]
    certificates = [
        _cert("FROM_TODAY", valid_from=AS_OF),
        _cert("UNTIL_TODAY", valid_until=AS_OF),
        _cert("UNTIL_TOMORROW", valid_until="2026-07-01"),
        _cert("NOT_YET", valid_from="2026-07-01"),
        _cert("EXPIRED", valid_until="2026-06-29"),
        _cert("SUSPENDED", status="suspended"),
        _cert("WITHDRAWN", status="withdrawn"),
        _cert("STATUS_EXPIRED", status="expired"),
        _cert("BLANK_STATUS", status=""),
        _cert("OTHER_STD", standard="ISO 9001"),
        _cert("SPELLED", standard="iso-14001:2015"),
        _cert("NO_FROM", valid_from=""),
        _cert("NO_UNTIL", valid_until=""),
    ]
    run = audit(pack(_cert_rule("{certificate: ISO 14001}")), _suppliers(*ids), certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {
        "FROM_TODAY": "pass", "UNTIL_TODAY": "warn", "UNTIL_TOMORROW": "pass", "NOT_YET": "fail",
        "EXPIRED": "fail", "SUSPENDED": "fail", "WITHDRAWN": "fail", "STATUS_EXPIRED": "fail",
        "BLANK_STATUS": "pass", "OTHER_STD": "fail", "SPELLED": "pass", "NO_FROM": "fail",
        "NO_UNTIL": "fail", "NONE": "fail",
    }


def test_certificate_invalid_date_is_never_valid(audit, pack):
    certificates = [_cert("S1", valid_until="someday"), _cert("S2", valid_from="2025-13-45")]
    run = audit(pack(_cert_rule("{certificate: ISO 14001}")), _suppliers("S1", "S2"), certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "fail", "S2": "fail"}


def test_certificate_warn_window(audit, pack):
    # valid_until - as_of: 89, 90 -> warn (within 90 days); 91 -> pass
    certificates = [_cert("D89", valid_until="2026-09-27"), _cert("D90", valid_until="2026-09-28"),
                    _cert("D91", valid_until="2026-09-29"), _cert("D0", valid_until=AS_OF)]
    run = audit(pack(_cert_rule("{certificate: ISO 14001, warn_within_days: 90}")),
                _suppliers("D89", "D90", "D91", "D0"), certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"D89": "warn", "D90": "warn", "D91": "pass", "D0": "warn"}


def test_certificate_warn_window_of_zero_days(audit, pack):
    certificates = [_cert("D0", valid_until=AS_OF), _cert("D1", valid_until="2026-07-01")]
    run = audit(pack(_cert_rule("{certificate: ISO 14001, warn_within_days: 0}")),
                _suppliers("D0", "D1"), certificates=certificates)
    assert run.statuses() == {"D0": "warn", "D1": "pass"}


def test_certificate_issuers(audit, pack):
    certificates = [_cert("BSI", issuer="BSI"), _cert("SGS", issuer="sgs "), _cert("ACME", issuer="Acme Certs"),
                    _cert("BLANK", issuer="")]
    ids = ("BSI", "SGS", "ACME", "BLANK")
    run = audit(pack(_cert_rule("{certificate: ISO 14001, issuers: [BSI, SGS]}")), _suppliers(*ids),
                certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"BSI": "pass", "SGS": "pass", "ACME": "fail", "BLANK": "fail"}
    # without issuers, any issuer is accepted
    run = audit(pack(_cert_rule("{certificate: ISO 14001}")), _suppliers(*ids), certificates=certificates)
    assert run.statuses() == {"BSI": "pass", "SGS": "pass", "ACME": "pass", "BLANK": "pass"}


def test_certificate_best_certificate_decides(audit, pack):
    certificates = [
        # S1: one valid expiring soon, one valid for long -> pass
        _cert("S1", valid_until="2026-07-15", number="SOON"), _cert("S1", valid_until="2028-01-01", number="LONG"),
        # S2: the long one is suspended -> the soon one decides: warn
        _cert("S2", valid_until="2026-07-15"), _cert("S2", valid_until="2028-01-01", status="suspended"),
        # S3: the long one is from a refused issuer -> warn
        _cert("S3", valid_until="2026-07-15"), _cert("S3", valid_until="2028-01-01", issuer="Acme"),
        # S4: an expired one and a valid one -> pass
        _cert("S4", valid_until="2025-01-01"), _cert("S4", valid_until="2028-01-01"),
    ]
    run = audit(pack(_cert_rule("{certificate: ISO 14001, warn_within_days: 30, issuers: [BSI]}")),
                _suppliers("S1", "S2", "S3", "S4"), certificates=certificates)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "pass", "S2": "warn", "S3": "warn", "S4": "pass"}
    assert "LONG" in run.result("S1", "R1")["message"]


def test_certificate_no_certificates_sheet_is_missing(audit, pack):
    run = audit(pack(_cert_rule("{certificate: ISO 14001}")), _suppliers("S1", "S2"))
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "missing", "S2": "missing"}


def test_certificate_sheet_in_another_file_counts(audit, pack, tmp_path):
    # A Certificates sheet present with no row for a supplier: fail, not missing.
    run = audit(pack(_cert_rule("{certificate: ISO 14001}")), _suppliers("S1", "S2"),
                certificates=[_cert("S1")])
    assert run.statuses() == {"S1": "pass", "S2": "fail"}


# --- required ---------------------------------------------------------------------------------

def test_required_pass_fail_never_missing(audit, pack):
    suppliers = [
        {"supplier_id": "ALL", "name": "a", "scope1_tco2e": 1, "scope2_tco2e": 0},
        {"supplier_id": "ONE", "name": "b", "scope1_tco2e": 1, "scope2_tco2e": ""},
        {"supplier_id": "NONE", "name": "c", "scope1_tco2e": "", "scope2_tco2e": "n/a"},
    ]
    rules = ("- {id: R1, title: t, pillar: p, check: {required: [scope1_tco2e, scope2_tco2e]}}\n"
             "- {id: R2, title: t, pillar: p, on_missing: skip, check: {required: [scope3_tco2e]}}\n")
    run = audit(pack(rules), suppliers)
    assert run.exit_code == 0, run.stderr
    assert run.statuses("R1") == {"ALL": "pass", "ONE": "fail", "NONE": "fail"}
    # a field the input lacks altogether fails; it is never `missing` (so on_missing plays no part)
    assert run.statuses("R2") == {"ALL": "fail", "ONE": "fail", "NONE": "fail"}
    assert run.result("ALL", "R2")["max_points"] == 1


def test_required_unknown_field_is_an_error(audit, pack):
    run = audit(pack("- {id: R1, title: t, pillar: p, check: {required: [scope1_tco2]}}"), _suppliers("S1"))
    assert run.exit_code == 2
    assert "scope1_tco2" in run.stderr and "scope1_tco2e" in run.stderr and "R1" in run.stderr


# --- trend ------------------------------------------------------------------------------------

TREND = ("- {id: R1, title: t, pillar: p, "
         "check: {trend: 'scope1_tco2e + scope2_tco2e', years: 3, max_annual_change: -0.042}}\n")


def _em(supplier, year, s1, s2=0):
    return {"supplier_id": supplier, "year": year, "scope1_tco2e": s1, "scope2_tco2e": s2}


def test_trend_compound_annual_change(audit, pack):
    emissions = [
        # PASS: 1000 -> 729 over 3 years = -10 %/yr
        _em("PASS", 2022, 600, 400), _em("PASS", 2025, 500, 229),
        # FAIL: 1000 -> 1000 = 0 %/yr
        _em("FAIL", 2022, 1000), _em("FAIL", 2025, 1000),
        # EDGE: exactly -4.2 %/yr passes (<= the maximum)
        _em("EDGE", 2022, 1000), _em("EDGE", 2025, 1000 * 0.958 ** 3),
        # JUST_ABOVE: -4.1 %/yr fails
        _em("JUST_ABOVE", 2022, 1000), _em("JUST_ABOVE", 2025, 1000 * 0.959 ** 3),
    ]
    run = audit(pack(TREND), _suppliers("PASS", "FAIL", "EDGE", "JUST_ABOVE"), emissions=emissions,
                as_of="2026-06-30")
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"PASS": "pass", "FAIL": "fail", "EDGE": "pass", "JUST_ABOVE": "fail"}
    assert "-10.0%" in run.result("PASS", "R1")["message"]
    assert "2022" in run.result("PASS", "R1")["message"] and "2025" in run.result("PASS", "R1")["message"]


def test_trend_latest_year_with_data_up_to_as_of(audit, pack):
    emissions = [
        # L is 2025: the 2026 row has no value for the expression (scope2 missing)
        _em("GAP", 2022, 1000), _em("GAP", 2025, 700), _em("GAP", 2026, 5000, ""),
        # years after the as-of year are ignored: L = 2026, base 2023
        _em("LATER", 2023, 1000), _em("LATER", 2026, 700), _em("LATER", 2027, 5000),
        # L = 2026 with data, 2023 missing -> missing, even though 2022 has data
        _em("NOBASE", 2022, 1000), _em("NOBASE", 2025, 700), _em("NOBASE", 2026, 600),
        # earlier value zero -> missing
        _em("ZERO", 2023, 0), _em("ZERO", 2026, 10),
        # only one year -> missing
        _em("ONE", 2026, 10),
    ]
    run = audit(pack(TREND), _suppliers("GAP", "LATER", "NOBASE", "ZERO", "ONE", "NODATA"),
                emissions=emissions, as_of="2026-06-30")
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"GAP": "pass", "LATER": "pass", "NOBASE": "missing", "ZERO": "missing",
                              "ONE": "missing", "NODATA": "missing"}


def test_trend_years_1(audit, pack):
    rules = "- {id: R1, title: t, pillar: p, check: {trend: scope1_tco2e, years: 1, max_annual_change: 0}}\n"
    emissions = [_em("UP", 2025, 100), _em("UP", 2026, 101), _em("DOWN", 2025, 100), _em("DOWN", 2026, 99)]
    run = audit(pack(rules), _suppliers("UP", "DOWN"), emissions=emissions)
    assert run.statuses() == {"UP": "fail", "DOWN": "pass"}


def test_trend_no_emissions_sheet_is_missing(audit, pack):
    run = audit(pack(TREND), _suppliers("S1"))
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "missing"}


def test_trend_expression_sees_only_emissions_fields(audit, pack):
    rules = ("- id: R1\n  title: t\n  pillar: p\n  check:\n"
             "    trend: scope1_tco2e * renewable_share\n    years: 3\n    max_annual_change: -0.042\n")
    run = audit(pack(rules), _suppliers("S1"))
    assert run.exit_code == 2
    assert "renewable_share" in run.stderr and "R1" in run.stderr and "rules.yaml:8" in run.stderr


def test_trend_emissions_fields_not_supplier_fields(audit, pack):
    # the Suppliers sheet's scope1_tco2e does not feed the trend; only the Emissions rows do
    suppliers = [{"supplier_id": "S1", "name": "a", "scope1_tco2e": 1}]
    run = audit(pack(TREND), suppliers, emissions=[_em("S1", 2023, 1000), _em("S1", 2026, 729)])
    assert run.statuses() == {"S1": "pass"}


# --- sourcing ---------------------------------------------------------------------------------

SOURCING = "- {id: R1, title: t, pillar: p, check: {min_suppliers: 2}}\n"


def _mat(material, supplier, core="yes", qualified="yes"):
    return {"material": material, "supplier_id": supplier, "core": core, "qualified": qualified}


def test_sourcing(audit, pack):
    materials = [
        _mat("steel", "SOLE"),                              # core; with MIXED 2 qualified suppliers
        _mat("steel", "UNQ", qualified="no"),               # unqualified: not counted, n/a
        _mat("copper", "DUO1"), _mat("copper", "DUO2"),     # core, 2 -> pass
        _mat("copper", "MIXED"), _mat("steel", "MIXED"),    # one risky core material -> fail
        _mat("glue", "NONCORE", core="no"),                 # not core -> n/a
        _mat("paint", "BLANKCORE", core=""),                # blank core is not core -> n/a
    ]
    ids = ("SOLE", "UNQ", "DUO1", "DUO2", "MIXED", "NONCORE", "BLANKCORE", "ABSENT")
    run = audit(pack(SOURCING), _suppliers(*ids), materials=materials)
    assert run.exit_code == 0, run.stderr
    # steel: SOLE and MIXED qualified -> 2, so not at risk! copper: DUO1, DUO2, MIXED -> 3
    assert run.statuses() == {"SOLE": "pass", "UNQ": "n/a", "DUO1": "pass", "DUO2": "pass", "MIXED": "pass",
                              "NONCORE": "n/a", "BLANKCORE": "n/a", "ABSENT": "n/a"}


def test_sourcing_single_source_risk(audit, pack):
    materials = [
        _mat("steel", "SOLE"), _mat("steel", "UNQ", qualified="no"),
        _mat("copper", "DUO1"), _mat("copper", "DUO2"), _mat("copper", "MIXED"), _mat("tin", "MIXED"),
        _mat("paint", "BLANKCORE", core=""), _mat("paint", "PAINT2", core=""),
    ]
    ids = ("SOLE", "UNQ", "DUO1", "DUO2", "MIXED", "BLANKCORE", "PAINT2")
    run = audit(pack(SOURCING), _suppliers(*ids), materials=materials)
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"SOLE": "fail", "UNQ": "n/a", "DUO1": "pass", "DUO2": "pass", "MIXED": "fail",
                              "BLANKCORE": "n/a", "PAINT2": "n/a"}
    assert run.result("UNQ", "R1")["max_points"] == 0


def test_sourcing_no_materials_sheet_is_missing(audit, pack):
    run = audit(pack(SOURCING), _suppliers("S1", "S2"))
    assert run.exit_code == 0, run.stderr
    assert run.statuses() == {"S1": "missing", "S2": "missing"}

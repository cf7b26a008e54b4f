"""Check kind `trend` (SPEC §4): compound annual change over the Emissions sheet."""

from __future__ import annotations

from datetime import date

RULE = """
- id: SBTI-001
  title: Scope 1+2 falling 4.2 % a year
  pillar: environment
  check:
    trend: scope1_tco2e + scope2_tco2e
    years: 3
    max_annual_change: -0.042
"""


def years(supplier: str, *rows: tuple) -> list[dict]:
    return [{"supplier_id": supplier, "year": y, "scope1_tco2e": s1, "scope2_tco2e": s2} for y, s1, s2 in rows]


def suppliers(*ids: str) -> list[dict]:
    return [{"supplier_id": s} for s in ids]


def test_pass_fail_and_every_missing_case(data, results):
    emissions = (
        years("S1", (2022, 600.0, 400.0), (2023, 580.0, 370.0), (2025, 550.0, 300.0))  # 1000 -> 850
        + years("S2", (2022, 600.0, 400.0), (2025, 590.0, 390.0))  # 1000 -> 980
        + years("S3", (2024, 600.0, 400.0), (2025, 500.0, 400.0))  # no 2022
        + years("S4", (2023, 1000.0, 0.0), (2026, 700.0, 15.0), (2027, 900.0, 15.0))  # 2027 ignored
        + years("S5", (2022, 600.0, None), (2025, 400.0, 100.0))  # base year has no data
        + years("S6", (2022, 0.0, 0.0), (2025, 400.0, 100.0))  # zero base
        + years("S7", (2022, 100.0, 0.0), (2023, 90.0, None), (2025, 90.0, 5.0), (2026, 80.0, None))
    )
    audit = data(suppliers("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"), emissions=emissions)
    expression = "scope1_tco2e + scope2_tco2e changed"
    assert results(RULE, audit) == {
        "S1": ("pass", f"{expression} -5.3% a year from 2022 to 2025, within the maximum of -4.2%"),
        "S2": ("fail", f"{expression} -0.7% a year from 2022 to 2025, above the maximum of -4.2%"),
        "S3": ("missing", "missing: no data for 2022 (3 years before 2025)"),
        "S4": ("pass", f"{expression} -10.6% a year from 2023 to 2026, within the maximum of -4.2%"),
        "S5": ("missing", "missing: no data for 2022 (3 years before 2025)"),
        "S6": ("missing", "missing: the 2022 value is zero"),
        # 2026 has no data (scope 2 missing), so L is 2025 and the base 2022: 100 -> 95
        "S7": ("fail", f"{expression} -1.7% a year from 2022 to 2025, above the maximum of -4.2%"),
        "S8": ("missing", "missing: no emissions data up to 2026"),
    }


def test_change_equal_to_the_maximum_passes(data, statuses):
    rule = """
    - id: T1
      title: t
      pillar: p
      check: {trend: scope1_tco2e, years: 2, max_annual_change: -0.1}
    """
    emissions = [
        {"supplier_id": "S1", "year": 2024, "scope1_tco2e": 100.0},
        {"supplier_id": "S1", "year": 2026, "scope1_tco2e": 81.0},  # (0.81)^(1/2) - 1 = -0.1
        {"supplier_id": "S2", "year": 2024, "scope1_tco2e": 100.0},
        {"supplier_id": "S2", "year": 2026, "scope1_tco2e": 81.1},
        {"supplier_id": "S3", "year": 2024, "scope1_tco2e": 100.0},
        {"supplier_id": "S3", "year": 2026, "scope1_tco2e": 0.0},  # -100 %
    ]
    assert statuses(rule, data(suppliers("S1", "S2", "S3"), emissions=emissions)) == {
        "S1": "pass", "S2": "fail", "S3": "pass",
    }


def test_years_after_the_as_of_year_are_ignored(data, statuses):
    emissions = years("S1", (2020, 1000.0, 0.0), (2023, 800.0, 0.0), (2026, 1200.0, 0.0))
    audit = data(suppliers("S1"), emissions=emissions)
    assert statuses(RULE, audit, as_of=date(2025, 6, 30)) == {"S1": "pass"}  # 2020 -> 2023
    assert statuses(RULE, audit, as_of=date(2026, 1, 1)) == {"S1": "fail"}  # 2023 -> 2026


def test_no_emissions_sheet_is_missing_for_everyone(data, results):
    assert results(RULE, data(suppliers("S1", "S2"))) == {
        "S1": ("missing", "missing: no Emissions sheet in the input"),
        "S2": ("missing", "missing: no Emissions sheet in the input"),
    }
    assert results(RULE, data(suppliers("S1"), emissions=[])) == {
        "S1": ("missing", "missing: no emissions data up to 2026"),
    }


def test_expression_sees_only_emissions_fields(data, statuses):
    rule = """
    - id: T1
      title: t
      pillar: p
      check: {trend: "scope3_tco2e * 2", years: 1, max_annual_change: 0}
    """
    emissions = [
        {"supplier_id": "S1", "year": 2025, "scope3_tco2e": 10.0},
        {"supplier_id": "S1", "year": 2026, "scope3_tco2e": 9.0},
    ]
    assert statuses(rule, data(suppliers("S1"), emissions=emissions)) == {"S1": "pass"}

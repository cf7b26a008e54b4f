"""Check kind `each`: a condition on every row a supplier has in another sheet."""

from __future__ import annotations

import pytest

from esg_audit.errors import RuleFileError, RuleFileErrors

RULE = """
- id: CB-001
  title: SEE adds up, indirect not too high
  pillar: governance
  check:
    sheet: CBAM Goods
    each:
      pass: see_direct + see_indirect == see_total and see_indirect <= 0.5
      warn: see_direct + see_indirect == see_total
"""


def good(supplier: str, cn: str, direct: float | None, indirect: float | None, total: float | None) -> dict:
    return {"supplier_id": supplier, "cn_code": cn, "see_direct": direct, "see_indirect": indirect,
            "see_total": total}


def test_the_worst_row_decides_and_the_message_names_it(data, results):
    goods = [
        good("S1", "72081000", 1.5, 0.25, 1.75),
        good("S1", "72122000", 1.5, 0.25, 1.75),
        good("S2", "72081000", 1.5, 0.25, 1.75),
        good("S2", "72139120", 1.5, 0.75, 2.25),  # warn
        good("S2", "73021028", 1.5, 0.25, 9.9),  # fail
        good("S3", "25232900", 0.5, 0.75, 1.25),  # warn
        good("S3", "25231000", None, 0.25, 0.75),  # lacks data
        good("S4", "25232900", 0.5, 0.75, 1.25),
        good("S5", "25232900", 0.5, 0.25, 0.75),
    ]
    audit = data([{"supplier_id": s} for s in ("S1", "S2", "S3", "S4", "S5", "S6")], cbam_goods=goods)

    assert results(RULE, audit) == {
        "S1": ("pass", "all 2 rows meet see_direct + see_indirect == see_total and see_indirect <= 0.5"),
        "S2": ("fail", "1 of 3 rows fail; first: in.xlsx, sheet 'CBAM Goods', row 6 (CN 73021028): "
                       "see_direct is 1.5, see_indirect is 0.25, see_total is 9.9; pass needs "
                       "see_direct + see_indirect == see_total and see_indirect <= 0.5"),
        "S3": ("missing", "missing: 1 of 2 rows lack data; first: in.xlsx, sheet 'CBAM Goods', "
                          "row 8 (CN 25231000): no see_direct"),
        "S4": ("warn", "1 of 1 row only meet the warn level; first: in.xlsx, sheet 'CBAM Goods', "
                       "row 9 (CN 25232900): see_direct is 0.5, see_indirect is 0.75, see_total is 1.25; "
                       "pass needs see_direct + see_indirect == see_total and see_indirect <= 0.5"),
        "S5": ("pass", "its 1 row meets see_direct + see_indirect == see_total and see_indirect <= 0.5"),
        "S6": ("n/a", ""),  # no rows in the sheet: n/a, which carries no message
    }


def test_without_the_sheet_every_supplier_is_na(data, statuses):
    audit = data([{"supplier_id": "S1"}])
    assert statuses(RULE, audit) == {"S1": "n/a"}


def test_rows_see_the_suppliers_fields_and_their_own_win(data, statuses):
    rule = """
- id: CB-002
  title: UN/LOCODE in the supplier's country
  pillar: governance
  check:
    sheet: CBAM Goods
    each: {pass: "unlocode >= country and unlocode < coalesce(category, 'ZZZZZ')"}
"""
    goods = [{"supplier_id": "S1", "unlocode": "TRIST"}, {"supplier_id": "S2", "unlocode": "CNSHA"}]
    audit = data([{"supplier_id": "S1", "country": "TR", "category": "TRZ"},
                  {"supplier_id": "S2", "country": "TR", "category": "TRZ"}], cbam_goods=goods)
    assert statuses(rule, audit) == {"S1": "pass", "S2": "fail"}


def test_on_other_sheets_too(data, statuses):
    rule = """
- id: CE-001
  title: Every certificate has a number
  pillar: governance
  check: {sheet: certificates, each: {pass: notna(certificate_no)}}
"""
    certificates = [{"supplier_id": "S1", "certificate_no": "A-1"},
                    {"supplier_id": "S2", "certificate_no": "B-1"}, {"supplier_id": "S2"}]
    audit = data([{"supplier_id": "S1"}, {"supplier_id": "S2"}], certificates=certificates)
    assert statuses(rule, audit) == {"S1": "pass", "S2": "fail"}


@pytest.mark.parametrize(("check", "message"), [
    ("{sheet: Goods, each: {pass: 'true'}}",
     "sheet: expected one of Certificates, Emissions, Materials, CBAM Goods, not 'Goods'"),
    ("{sheet: CBAM Goods, each: {warn: 'true'}}",
     "each: expected a mapping with 'pass' (and optionally 'warn')"),
    ("{sheet: CBAM Goods, each: {pass: 'true', fail: 'false'}}", "unknown key 'fail' in each"),
    ("{sheet: CBAM Goods, each: {pass: 'see_totl > 1'}}", "each.pass: unknown field 'see_totl'"),
    ("{sheet: CBAM Goods, each: {pass: 'see_total + 1'}}", "each.pass:"),
])
def test_invalid_each_checks_are_rule_file_errors(rules_of, check, message):
    rule = f"""
- id: X-001
  title: x
  pillar: p
  check: {check}
"""
    with pytest.raises((RuleFileError, RuleFileErrors)) as caught:
        rules_of(rule)
    assert message in str(caught.value)

"""evaluate_rules: the unscored result grid, suppliers in input order, rules in load order."""

from __future__ import annotations

import pandas as pd

from esg_audit.model import STATUSES
from esg_audit.rules import evaluate_rule, evaluate_rules, rule_fields

from .conftest import AS_OF

RULES = """
- id: R-2
  title: Renewable share
  pillar: environment
  check: {pass: "renewable_share >= 0.5"}
- id: R-1
  title: Disclosure
  pillar: environment
  applies_to: "category != 'services'"
  check: {required: [scope1_tco2e]}
- id: R-3
  title: Certificate
  pillar: governance
  check: {certificate: ISO 14001}
"""


def test_one_row_per_supplier_and_rule_in_order(data, rules_of):
    ruleset = rules_of(RULES)
    audit = data([
        {"supplier_id": "S2", "renewable_share": 0.9, "category": "metal", "scope1_tco2e": 1.0},
        {"supplier_id": "S1", "renewable_share": None, "category": "services"},
    ])
    grid = evaluate_rules(ruleset, audit, AS_OF)
    assert grid.rule_ids == ("R-2", "R-1", "R-3")
    assert grid.supplier_ids.tolist() == ["S2", "S1"]
    assert grid.status.dtype == "int8" and grid.points is None and grid.max_points is None
    assert grid.status.tolist() == [[0, 0, 3], [3, 4, 3]]
    # Messages only where the check said something: not for the n/a of applies_to, nor for
    # a pass that restates the rule (expression, required).
    assert grid.message_cells.tolist() == [2, 3, 5]
    frame = grid.frame()
    assert list(frame.columns) == [
        "supplier_id", "rule_id", "status", "points", "max_points", "message",
    ]
    assert frame.index.equals(pd.RangeIndex(6))
    assert frame[["supplier_id", "rule_id"]].astype(str).values.tolist() == [
        ["S2", "R-2"], ["S2", "R-1"], ["S2", "R-3"],
        ["S1", "R-2"], ["S1", "R-1"], ["S1", "R-3"],
    ]
    assert frame["status"].astype(str).tolist() == ["pass", "pass", "missing", "missing", "n/a", "missing"]
    assert frame["message"].fillna("").tolist() == [
        "",
        "",
        "missing: no Certificates sheet in the input",
        "missing: renewable_share",
        "",
        "missing: no Certificates sheet in the input",
    ]
    assert frame["status"].dtype == pd.CategoricalDtype(list(STATUSES))
    assert frame["supplier_id"].dtype == "str"
    assert frame["rule_id"].dtype == "str"
    assert frame["message"].dtype == "str"


def test_no_rules_or_no_suppliers_give_an_empty_frame(data, rules_of):
    empty = evaluate_rules(rules_of(RULES), data([]), AS_OF)
    assert empty.status.shape == (0, 3) and len(empty.frame()) == 0
    none = evaluate_rules(rules_of("[]"), data([{"supplier_id": "S1"}]), AS_OF)
    assert none.status.shape == (1, 0) and len(none.frame()) == 0


def test_evaluate_rule_aligns_to_the_suppliers_index(data, rules_of):
    ruleset = rules_of(RULES)
    audit = data([{"supplier_id": "S1", "renewable_share": 0.1}, {"supplier_id": "S2", "renewable_share": 0.7}])
    shifted = audit.suppliers.set_axis(pd.Index([10, 20]))
    audit = type(audit)(**{**audit.__dict__, "suppliers": shifted})
    for rule in ruleset.rules:
        status, message = evaluate_rule(rule, audit, AS_OF)
        assert status.index.equals(pd.Index([10, 20]))
        assert message.index.equals(pd.Index([10, 20]))
    status, _ = evaluate_rule(ruleset.rules[0], audit, AS_OF)
    assert status.astype(str).tolist() == ["fail", "pass"]


def test_rule_fields(rules_of):
    r2, r1, r3 = rules_of(RULES).rules
    assert rule_fields(r2) == ("renewable_share",)
    assert rule_fields(r1) == ("scope1_tco2e", "category")
    assert rule_fields(r3) == (
        "supplier_id", "standard", "certificate_no", "issuer", "valid_from", "valid_until", "status")

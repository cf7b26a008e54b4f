"""evaluate_rules: the unscored result grid, suppliers in input order, rules in load order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from esg_audit.model import STATUSES, EncodedTexts
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


def test_messages_are_encoded_and_read_alike_every_way(data, rules_of):
    ruleset = rules_of(RULES)
    audit = data([
        {"supplier_id": "S1", "renewable_share": 0.1, "category": "metal"},
        {"supplier_id": "S2", "renewable_share": None, "category": "metal"},
        {"supplier_id": "S3", "renewable_share": 0.2, "category": "metal"},
    ])
    grid = evaluate_rules(ruleset, audit, AS_OF)
    texts = grid.message_texts
    assert isinstance(texts, EncodedTexts)
    no_sheet = "missing: no Certificates sheet in the input"
    unreported = "not reported: scope1_tco2e"
    expected = [
        "renewable_share is 0.1; pass needs renewable_share >= 0.5", unreported, no_sheet,
        "missing: renewable_share", unreported, no_sheet,
        "renewable_share is 0.2; pass needs renewable_share >= 0.5", unreported, no_sheet,
    ]
    assert grid.message_cells.tolist() == list(range(9))
    assert texts.tolist() == list(texts) == np.asarray(texts).tolist() == expected
    assert pa.array(texts).to_pylist() == expected and len(texts) == 9
    assert texts[3] == "missing: renewable_share"
    assert texts[1:3].tolist() == expected[1:3]
    assert pa.array(texts[np.array([6, 0])]).to_pylist() == [expected[6], expected[0]]
    # each distinct text is made once: the three "no Certificates sheet" share one, and so do
    # the three "not reported"
    assert len(texts.distinct) == 5
    assert grid.messages_at(np.array([0, 4, 8])).tolist() == [expected[0], unreported, no_sheet]
    assert grid.message_column(np.array([8, 0])).tolist() == [no_sheet, expected[0]]
    # a grid position without a message: None, and missing in a column
    empty = evaluate_rules(ruleset, data([{"supplier_id": "S1", "renewable_share": 0.9,
                                           "category": "services"}]), AS_OF)
    assert empty.message_cells.tolist() == [2]
    assert empty.messages_at(np.array([0, 2])).tolist() == [None, no_sheet]
    column = empty.message_column(np.array([0, 1, 2]))
    assert column.isna().tolist() == [True, True, False] and column[2] == no_sheet

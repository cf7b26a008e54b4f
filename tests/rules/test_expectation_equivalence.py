"""An `expectation` rule and the expression rule that says the same give the same status for
every supplier of the shipped sample data: pass, fail and missing alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from esg_audit.load import load_inputs
from esg_audit.normalise import normalise
from esg_audit.rules import evaluate_rules, load_rules
from esg_audit.schema import validate

pytest.importorskip("great_expectations")

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 27)

PAIRS = {
    "regex": (
        """expectation: expect_column_values_to_match_regex
      kwargs: {column: country, regex: "^(DE|FR|NL|PL|ES|PT|LT)$"}""",
        """pass: "country in ['DE', 'FR', 'NL', 'PL', 'ES', 'PT', 'LT']\"""",
    ),
    "value-set": (
        """expectation: expect_column_values_to_be_in_set
      kwargs: {column: category, value_set: [iron and steel, aluminium, cement, fertilisers]}""",
        """pass: "category in ['iron and steel', 'aluminium', 'cement', 'fertilisers']\"""",
    ),
    "between": (
        """expectation: expect_column_values_to_be_between
      kwargs: {column: renewable_share, min_value: 0.3, max_value: 0.9}""",
        """pass: "renewable_share >= 0.3 and renewable_share <= 0.9\"""",
    ),
    "not-null": (
        """expectation: expect_column_values_to_not_be_null
      kwargs: {column: country}""",
        """pass: "notna(country)\"""",
    ),
}


def _pack(tmp_path: Path) -> Path:
    rules = []
    for name, (expectation, expression) in PAIRS.items():
        for kind, check in (("GX", expectation), ("EXPR", expression)):
            rules.append(f"  - id: {kind}-{name}\n    title: {name}\n    pillar: p\n    check:\n      {check}\n")
    path = tmp_path / "pairs.yaml"
    path.write_text("pack: pairs\nversion: '1'\nrules:\n" + "".join(rules), encoding="utf-8")
    return path


def test_expectation_and_expression_rules_agree_on_every_sample_supplier(tmp_path):
    ruleset = load_rules([str(_pack(tmp_path))])
    loaded = load_inputs([str(ROOT / "sample_data" / "supplier_survey.xlsx")])
    data = validate(normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF), as_of=AS_OF)
    results = evaluate_rules(ruleset, data, AS_OF)
    column = {rule_id: i for i, rule_id in enumerate(results.rule_ids)}
    assert len(results.supplier_ids) == 40
    for name in PAIRS:
        gx_codes = results.status[:, column[f"GX-{name}"]]
        expression_codes = results.status[:, column[f"EXPR-{name}"]]
        assert gx_codes.tolist() == expression_codes.tolist(), name
    # The sample exercises pass, fail and missing, so that agreeing means something.
    seen = {int(c) for name in PAIRS for c in results.status[:, column[f"GX-{name}"]]}
    from esg_audit.model import Status

    assert {Status.PASS.code, Status.FAIL.code, Status.MISSING.code} <= seen

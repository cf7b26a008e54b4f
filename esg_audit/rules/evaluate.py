"""Rules evaluated over all audited suppliers at once: a status and a message per supplier and rule."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from esg_audit.model import STATUSES, AuditData, Rule, RuleSet
from esg_audit.rules.expr import EvalEnv
from esg_audit.rules.kinds.base import NA, codes_of, status_series

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

RESULT_COLUMNS = ("supplier_id", "rule_id", "status", "message")


def evaluate_rule(rule: Rule, data: AuditData, as_of: date) -> tuple[pd.Series, pd.Series]:
    """Status (Categorical over model.STATUSES: pass, warn, fail, missing or n/a) and message
    (string) of one rule for every supplier, aligned to `data.suppliers.index`.

    The check kind decides the status; where `applies_to` is false or missing the rule does not
    apply and the status is n/a, whatever the check says.
    """
    status, message = rule.check.evaluate(data, as_of)
    if rule.applies_to is None:
        return status, message
    env = EvalEnv(data.suppliers, as_of, data.certificates)
    applies = rule.applies_to.evaluate(env).to_numpy(dtype=bool, na_value=False)
    if applies.all():
        return status, message
    codes = np.where(applies, codes_of(status), NA)
    note = f"n/a: applies only when {rule.applies_to.text}"
    text = np.where(applies, message.to_numpy(dtype=object, na_value=""), note)
    return status_series(codes, status.index), pd.Series(text, index=message.index, dtype="string")


def evaluate_rules(ruleset: RuleSet, data: AuditData, as_of: date) -> pd.DataFrame:
    """Evaluate every rule over every audited supplier, column-wise.

    Returns one row per (supplier, rule), supplier-major: all rules of the first supplier in
    load order, then those of the next, suppliers in `data.suppliers` order; a RangeIndex and
    columns supplier_id (string), rule_id (string), status (Categorical over model.STATUSES),
    message (string).
    """
    suppliers = len(data.suppliers)
    rules = ruleset.rules
    codes = np.empty((len(rules), suppliers), dtype=np.int8)
    texts = np.empty((len(rules), suppliers), dtype=object)
    for position, rule in enumerate(rules):
        status, message = evaluate_rule(rule, data, as_of)
        codes[position] = codes_of(status)
        texts[position] = message.to_numpy(dtype=object, na_value="")

    ids = pd.array(data.suppliers["supplier_id"].astype(object).to_numpy(), dtype="string")
    rule_ids = pd.array([rule.id for rule in rules], dtype="string")
    return pd.DataFrame({
        "supplier_id": ids.take(np.repeat(np.arange(suppliers), len(rules))),
        "rule_id": rule_ids.take(np.tile(np.arange(len(rules)), suppliers)),
        "status": pd.Categorical.from_codes(codes.T.ravel(), categories=pd.Index(STATUSES)),
        "message": pd.array(texts.T.ravel(), dtype="string"),
    })

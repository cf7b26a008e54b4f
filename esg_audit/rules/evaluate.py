"""Rules evaluated over all audited suppliers at once: the `RuleResults` grid of statuses and
messages that scoring completes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from esg_audit.model import AuditData, Rule, RuleResults, RuleSet
from esg_audit.rules.expr import EvalEnv
from esg_audit.rules.kinds.base import NA, codes_of, status_series

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


def evaluate_rule(rule: Rule, data: AuditData, as_of: date) -> tuple[pd.Series, pd.Series]:
    """Status (Categorical over model.STATUSES: pass, warn, fail, missing or n/a) and message
    (string, "" where the check says nothing) of one rule for every supplier, aligned to
    `data.suppliers.index`.

    The check kind decides the status; where `applies_to` is false or missing the rule does not
    apply: the status is n/a, with no message (the condition is in the rule's metadata).
    """
    status, message = rule.check.evaluate(data, as_of)
    if rule.applies_to is None:
        return status, message
    env = EvalEnv(data.suppliers, as_of, data.certificates)
    applies = rule.applies_to.evaluate(env).to_numpy(dtype=bool, na_value=False)
    if applies.all():
        return status, message
    codes = np.where(applies, codes_of(status), NA)
    text = np.where(applies, message.to_numpy(dtype=object, na_value=""), "")
    return status_series(codes, status.index), pd.Series(text, index=message.index, dtype="string")


def evaluate_rules(ruleset: RuleSet, data: AuditData, as_of: date) -> RuleResults:
    """Evaluate every rule over every audited supplier, column-wise (one rule at a time).

    Returns the unscored grid: suppliers in `data.suppliers` order, rules in load order, and a
    message wherever the check says something.
    """
    suppliers = len(data.suppliers)
    rules = ruleset.rules
    codes = np.empty((suppliers, len(rules)), dtype=np.int8)
    cells: list[np.ndarray] = []
    texts: list[np.ndarray] = []
    for position, rule in enumerate(rules):
        status, message = evaluate_rule(rule, data, as_of)
        codes[:, position] = codes_of(status)
        text = message.astype("string")
        has = (text.notna() & (text != "")).to_numpy(dtype=bool)
        rows = np.flatnonzero(has)
        cells.append(rows.astype(np.int64) * len(rules) + position)
        texts.append(text.to_numpy(dtype=object)[rows])
    cell = np.concatenate(cells) if cells else np.empty(0, dtype=np.int64)
    text_array = np.concatenate(texts) if texts else np.empty(0, dtype=object)
    order = np.argsort(cell, kind="stable")
    return RuleResults(
        supplier_ids=pd.Index(data.suppliers["supplier_id"].astype("str"), dtype="str"),
        rule_ids=tuple(rule.id for rule in rules),
        status=codes,
        message_cells=cell[order],
        message_texts=text_array[order],
    )

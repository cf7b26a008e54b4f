"""Rules evaluated over all audited suppliers at once: the `RuleResults` grid of statuses and
messages that scoring completes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from esg_audit.model import AuditData, EncodedTexts, Rule, RuleResults, RuleSet
from esg_audit.rules.expr import EvalEnv
from esg_audit.rules.kinds.base import NA, status_series
from esg_audit.rules.messages import Messages
from esg_audit.rules.owners import remember

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


def rule_outcome(rule: Rule, data: AuditData, as_of: date) -> tuple[np.ndarray, Messages]:
    """Status codes (int8, `data.suppliers` order) and messages of one rule.

    The check kind decides the status; where `applies_to` is false or missing the rule does not
    apply: the status is n/a, with no message (the condition is in the rule's metadata).
    """
    for suppliers, rows, positions in data.supplier_positions:
        remember(suppliers, rows, positions)
    codes, said = rule.check.evaluate(data, as_of)
    codes = np.asarray(codes, dtype=np.int8)
    if rule.applies_to is None:
        return codes, said
    env = EvalEnv(data.suppliers, as_of, data.certificates)
    applies = rule.applies_to.evaluate(env).to_numpy(dtype=bool, na_value=False)
    if applies.all():
        return codes, said
    return np.where(applies, codes, NA).astype(np.int8), said.restricted(applies)


def evaluate_rule(rule: Rule, data: AuditData, as_of: date) -> tuple[pd.Series, pd.Series]:
    """Status (Categorical over model.STATUSES: pass, warn, fail, missing or n/a) and message
    (string, "" where the check says nothing) of one rule for every supplier, aligned to
    `data.suppliers.index`: one rule's column of the grid, as Series."""
    codes, said = rule_outcome(rule, data, as_of)
    index = data.suppliers.index
    return status_series(codes, index), pd.Series(said.dense(), index=index, dtype="string")


def evaluate_rules(ruleset: RuleSet, data: AuditData, as_of: date) -> RuleResults:
    """Evaluate every rule over every audited suppliers, column-wise (one rule at a time).

    Returns the unscored grid: suppliers in `data.suppliers` order, rules in load order, and a
    message wherever the check says something.
    """
    import pyarrow as pa

    suppliers = len(data.suppliers)
    rules = ruleset.rules
    codes = np.empty((suppliers, len(rules)), dtype=np.int8)
    said_rows: list[np.ndarray] = []
    picks: list[np.ndarray] = []
    texts: list[pa.Array] = []
    made = 0
    for position, rule in enumerate(rules):
        codes[:, position], said = rule_outcome(rule, data, as_of)
        rows, rule_codes, rule_texts = said.encoded()
        said_rows.append(rows)
        picks.append(rule_codes + made)
        texts.append(rule_texts)
        made += len(rule_texts)
    # Supplier-major order without a sort: a supplier's messages start after those of the
    # suppliers before it, and within a supplier follow the rules' order.
    per_supplier = np.zeros(suppliers, dtype=np.int64)
    for rows in said_rows:
        per_supplier[rows] += 1
    start = np.concatenate(([0], np.cumsum(per_supplier)[:-1])) if suppliers else per_supplier
    total = int(per_supplier.sum())
    cell = np.empty(total, dtype=np.int64)
    pick = np.empty(total, dtype=np.int32 if made < 2**31 else np.int64)
    for position, (rows, rule_pick) in enumerate(zip(said_rows, picks, strict=True)):
        at = start[rows]
        cell[at] = rows * len(rules) + position
        pick[at] = rule_pick
        start[rows] += 1
    del said_rows, picks
    distinct = pa.concat_arrays(texts) if texts else pa.array([], type=pa.large_string())
    del texts
    return RuleResults(
        supplier_ids=pd.Index(data.suppliers["supplier_id"].astype("str"), dtype="str"),
        rule_ids=tuple(rule.id for rule in rules),
        status=codes,
        message_cells=cell,
        message_texts=EncodedTexts(pick, distinct),
    )

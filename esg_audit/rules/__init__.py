"""Stage 4, rules: rule-file parsing, the expression language, one module per check kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from esg_audit.model import AuditData, RuleSet


def default_rules_path() -> Path:
    """The packs shipped with the package (the repository's `rules/` links here)."""
    return Path(__file__).resolve().parent.parent / "packs"


def load_rules(paths: Sequence[str]) -> RuleSet:
    """Load rule files or folders. Raises RuleFileErrors listing every error found."""
    raise NotImplementedError


def evaluate_rules(ruleset: RuleSet, data: AuditData, as_of: date) -> pd.DataFrame:
    """Evaluate every rule over every audited supplier, column-wise.

    Returns one row per (supplier, rule), suppliers in `data.suppliers` order, rules in load
    order, columns supplier_id, rule_id, status (pass|warn|fail|missing|n/a), message.
    """
    raise NotImplementedError

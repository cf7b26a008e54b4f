"""Stage 4, rules: rule-file parsing, the expression language, one module per check kind.

Public API: `default_rules_path`, `load_rules`, `lint_rules`, `evaluate_rules`, `evaluate_rule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from esg_audit.errors import RuleFileError, RuleFileErrors
from esg_audit.model import AuditData, Rule, RuleResults, RuleSet
from esg_audit.rules import evaluate as _evaluate
from esg_audit.rules.files import load as _load

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["default_rules_path", "evaluate_rule", "evaluate_rules", "lint_rules", "load_rules", "rule_fields"]


def default_rules_path() -> Path:
    """The packs shipped with the package (the repository's `rules/` links here)."""
    return Path(__file__).resolve().parent.parent / "packs"


def load_rules(paths: Sequence[str]) -> RuleSet:
    """Load rule files or folders (a folder: its *.yaml/*.yml files, sorted by name, not
    recursive). Raises RuleFileErrors listing every error found, in file then line order."""
    ruleset, errors = _load(paths)
    if errors or ruleset is None:
        raise RuleFileErrors(errors)
    return ruleset


def lint_rules(paths: Sequence[str]) -> list[RuleFileError]:
    """Every error in every rule file under `paths`, in file then line order; [] when valid."""
    return _load(paths)[1]


def evaluate_rule(rule: Rule, data: AuditData, as_of: date) -> tuple[pd.Series, pd.Series]:
    """Status and message of one rule per supplier, aligned to `data.suppliers.index`."""
    return _evaluate.evaluate_rule(rule, data, as_of)


def evaluate_rules(ruleset: RuleSet, data: AuditData, as_of: date) -> RuleResults:
    """Evaluate every rule over every audited supplier, column-wise.

    Returns the unscored `RuleResults` grid: suppliers in `data.suppliers` order, rules in load
    order, statuses pass|warn|fail|missing|n/a and the checks' messages.
    """
    return _evaluate.evaluate_rules(ruleset, data, as_of)


def rule_fields(rule: Rule) -> tuple[str, ...]:
    """The input fields a rule reads: its check's, then those of `applies_to`."""
    names = list(rule.check.fields()) + list(rule.applies_to.fields if rule.applies_to else ())
    return tuple(dict.fromkeys(names))

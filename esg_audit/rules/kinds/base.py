"""What every check kind is: a frozen value parsed from a rule's `check:` mapping that evaluates
to a status per supplier and the messages worth reading."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from esg_audit.model import STATUSES, AuditData, Status
from esg_audit.rules.context import ParseContext
from esg_audit.rules.messages import Messages
from esg_audit.rules.options import Option, parse_options
from esg_audit.yaml_reader import YMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

# Status codes on the result grid (model.Status.code).
PASS, WARN, FAIL, MISSING, NA = (s.code for s in (Status.PASS, Status.WARN, Status.FAIL, Status.MISSING, Status.NA))


def status_series(codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A Categorical status Series over model.STATUSES from an array of status codes."""
    return pd.Series(pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index(STATUSES)), index=index)


def codes_of(status: pd.Series) -> np.ndarray:
    """Status codes of a status Series (Categorical over STATUSES, or plain strings)."""
    if isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(STATUSES):
        return status.cat.codes.to_numpy(dtype=np.int8)
    return pd.Categorical(status.astype(object), categories=list(STATUSES)).codes.astype(np.int8)


class CheckKind:
    """A check kind. Subclasses are frozen dataclasses that declare their options (the keys of
    `check:`) and whose docstring holds a YAML example of a rule (a fenced ```yaml block):
    `rules explain` and docs/rules.md are generated from both."""

    name: ClassVar[str]  # e.g. "expression"
    key: ClassVar[str]  # the key of `check:` that selects this kind, e.g. "pass"
    options: ClassVar[tuple[Option, ...]]  # every key the kind accepts in `check:`

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return tuple(option.name for option in cls.options)

    @classmethod
    def parse(cls, spec: YMap, ctx: ParseContext) -> CheckKind | None:
        """The check from its `check:` mapping, or None after reporting every error to `ctx`."""
        values = parse_options(cls.name, cls.options, spec, ctx)
        return None if values is None else cls.build(values, ctx)

    @classmethod
    def build(cls, values: dict[str, Any], ctx: ParseContext) -> CheckKind | None:
        """The check from its options' values (by field name). A kind whose options depend on
        each other checks that here, reporting to `ctx`."""
        return cls(**values)

    def fields(self) -> tuple[str, ...]:
        """The input fields the check reads (Suppliers fields, or the sheet it works on)."""
        raise NotImplementedError

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, Messages]:
        """Status codes (`Status.code`, one per supplier in `data.suppliers` order) and the
        messages of the results the check has something to say about: every warn, fail and
        missing result, and a pass only where it tells more than the rule itself (which
        certificate, what change). An n/a result carries none."""
        raise NotImplementedError

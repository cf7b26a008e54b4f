"""Check kind `required`: a disclosure rule, the supplier reported every listed field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from esg_audit.model import AuditData
from esg_audit.rules import messages
from esg_audit.rules.context import ParseContext
from esg_audit.rules.expr import EvalEnv, supplier_scope
from esg_audit.rules.kinds.base import FAIL, PASS, CheckKind
from esg_audit.rules.options import Fields, Option

if TYPE_CHECKING:
    import numpy as np
else:
    from esg_audit.deferred import np


@dataclass(frozen=True)
class RequiredCheck(CheckKind):
    """Every listed field is present: `required: [field, ...]`.

    pass when the supplier gave a value for every field, fail otherwise. Absence is the
    failure, so this kind never gives `missing`. A field the input lacks altogether fails
    for everyone. Fields are canonical Suppliers fields or fields the pack declares.

    ```yaml
    - id: GHG-001
      title: Scope 1 and Scope 2 emissions reported
      pillar: environment
      severity: high
      check:
        required: [scope1_tco2e, scope2_tco2e]
    ```
    """

    name = "required"
    key = "required"
    options = (
        Option("required", Fields(), "the fields every supplier must report", required=True),
    )

    required: tuple[str, ...]
    types: tuple[str, ...]  # expression type of each field, to read its column

    @classmethod
    def build(cls, values: dict[str, Any], ctx: ParseContext) -> RequiredCheck:
        scope = supplier_scope(ctx.fields)
        names = values["required"]
        return cls(required=names, types=tuple(scope[n] for n in names))

    def fields(self) -> tuple[str, ...]:
        return self.required

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        env = EvalEnv(data.suppliers, as_of, data.certificates)
        blanks = [
            (name, env.column(name, type_).isna().to_numpy())
            for name, type_ in zip(self.required, self.types, strict=True)
        ]
        lacking = np.zeros(len(env.index), dtype=bool)
        for _, blank in blanks:
            lacking |= blank
        codes = np.where(lacking, FAIL, PASS)
        # A pass says nothing the rule does not: no message.
        said = messages.Messages(len(codes))
        said.fill(lacking, "not reported: ", messages.names_of(blanks))
        return codes, said

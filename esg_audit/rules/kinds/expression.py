"""Check kind `expression`: a condition on each supplier's own fields, with an optional warn level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from esg_audit.model import AuditData
from esg_audit.rules import messages
from esg_audit.rules.expr import BOOL, EvalEnv, Expression
from esg_audit.rules.kinds.base import FAIL, MISSING, PASS, WARN, CheckKind
from esg_audit.rules.options import Expr, Option

if TYPE_CHECKING:
    import numpy as np
else:
    from esg_audit.deferred import np


def pass_warn_codes(pass_: Expression, warn: Expression | None, env: EvalEnv) -> np.ndarray:
    """Status codes of `pass:` and `warn:` over the rows of `env` (SPEC §4, expression): pass
    true gives pass, pass missing gives missing; pass false gives warn when warn is true,
    missing when warn is missing, and fail otherwise."""
    passed = pass_.evaluate(env)
    p_true = passed.to_numpy(dtype=bool, na_value=False)
    p_missing = passed.isna().to_numpy()
    codes = np.where(p_true, PASS, np.where(p_missing, MISSING, FAIL))
    if warn is not None:
        warned = warn.evaluate(env)
        w_true = warned.to_numpy(dtype=bool, na_value=False)
        w_missing = warned.isna().to_numpy()
        failed = codes == FAIL
        codes = np.where(failed & w_true, WARN, np.where(failed & w_missing, MISSING, codes))
    return codes


@dataclass(frozen=True)
class ExpressionCheck(CheckKind):
    """A condition on the supplier's fields: `pass: EXPR`, optionally `warn: EXPR`.

    pass true gives pass; pass missing (it needs data the supplier did not give) gives
    `missing`; pass false gives warn when `warn` is true, fail when `warn` is false or absent,
    and `missing` when `warn` is missing. Both expressions must be conditions (true/false).

    ```yaml
    - id: ENV-002
      title: Renewable electricity share
      pillar: environment
      severity: medium
      check:
        pass: renewable_share >= 0.6
        warn: renewable_share >= 0.3
    ```
    """

    name = "expression"
    key = "pass"
    options = (
        Option("pass", Expr(BOOL), "true gives pass", required=True, attribute="pass_"),
        Option("warn", Expr(BOOL), "where pass is false: true gives warn (absent: fail)"),
    )

    pass_: Expression
    warn: Expression | None = None

    def fields(self) -> tuple[str, ...]:
        names = list(self.pass_.fields) + list(self.warn.fields if self.warn else ())
        return tuple(dict.fromkeys(names))

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        env = EvalEnv(data.suppliers, as_of, data.certificates)
        codes = pass_warn_codes(self.pass_, self.warn, env)
        return codes, self._messages(env, codes)

    def _messages(self, env: EvalEnv, codes: np.ndarray) -> messages.Messages:
        """warn and fail state the values read and the condition missed; missing names the
        fields without a value. A pass says nothing the rule does not: no message."""
        said = messages.Messages(len(codes))
        types = {**self.pass_.field_types, **(self.warn.field_types if self.warn else {})}
        names = self.fields()
        columns = {name: env.column(name, type_) for name, type_ in types.items()}
        # "renewable_share is 0.45, category is 'metal'; " for the rows that get a verdict
        lead: messages.Part = ""
        if names:
            lead = messages.join([
                f"{name} is " + messages.values(columns[name], types[name]) for name in names
            ]) + "; "
        needs = f"pass needs {self.pass_.text}"
        if self.warn is None:
            said.fill(codes == FAIL, lead, needs)
        else:
            said.fill(codes == WARN, lead, needs, f" (meets warn level {self.warn.text})")
            said.fill(codes == FAIL, lead, needs, f"; warn needs {self.warn.text}")
        missing = codes == MISSING
        blanks = [(name, columns[name].isna().to_numpy()) for name in names]
        lacking = np.zeros(len(codes), dtype=bool)
        for _, blank in blanks:
            lacking |= blank
        absent = messages.names_of(blanks)
        said.fill(missing & lacking, "missing: ", absent)
        said.fill(missing & ~lacking, f"missing: no value for {self.pass_.text}")
        return said

"""Check kind `sourcing`: single-source risk on core materials, from the Materials sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from esg_audit.limits import MAX_COUNT
from esg_audit.model import AuditData
from esg_audit.rules import messages
from esg_audit.rules.expr import BOOL, TEXT, EvalEnv
from esg_audit.rules.kinds.base import FAIL, MISSING, NA, PASS, CheckKind
from esg_audit.rules.options import Option, TextList, WholeNumber
from esg_audit.rules.owners import owners

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


@dataclass(frozen=True)
class SourcingCheck(CheckKind):
    """No single-source core material: `min_suppliers: N`, optional `materials: [..]`.

    Over the Materials sheet. A material is core when any row marks it core (a blank `core` is
    not core); material names are compared trimmed and case-insensitively. A core material with
    fewer than N distinct qualified suppliers (`qualified` blank counts as true) is a
    single-source risk: each of its qualified suppliers fails. A qualified supplier of core
    materials that all have N or more passes. Everyone else is n/a. `missing` for everyone when
    no input has a Materials sheet. `materials` limits the check to the materials listed.

    ```yaml
    - id: RES-001
      title: No single-source core material
      pillar: resilience
      severity: medium
      check:
        min_suppliers: 2
    ```
    """

    name = "sourcing"
    key = "min_suppliers"
    options = (
        Option("min_suppliers", WholeNumber(1, MAX_COUNT),
               "a core material with fewer qualified suppliers is a single-source risk", required=True),
        Option("materials", TextList(), "check only these materials (absent: every core material)"),
    )

    min_suppliers: int
    materials: tuple[str, ...] | None = None

    def fields(self) -> tuple[str, ...]:
        return ("material", "supplier_id", "core", "qualified")

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        size = len(data.suppliers)
        said = messages.Messages(size)
        if data.materials is None:
            return np.full(size, MISSING), said.everyone("missing: no Materials sheet in the input")
        env = EvalEnv(data.materials, as_of, None)
        owner = owners(data.suppliers, data.materials)
        # Materials are compared trimmed and case-insensitively: factorize the names as written,
        # fold each distinct name once, and factorize the folded names into material keys.
        written, names = pd.factorize(env.column("material", TEXT), use_na_sentinel=True)
        stripped = [str(n).strip() for n in np.asarray(names, dtype=object).tolist()]
        folded = np.array([n.casefold() for n in stripped] + [""], dtype=object)
        key_of_name, keys = pd.factorize(folded)
        key = key_of_name[written]  # written == -1 (missing) picks the trailing ""
        blank = keys == ""
        wanted = ~blank if self.materials is None else np.isin(keys, [m.casefold() for m in self.materials])
        rows = (owner >= 0) & wanted[key]
        core = env.column("core", BOOL).to_numpy(dtype=bool, na_value=False)
        qualified = env.column("qualified", BOOL).to_numpy(dtype=bool, na_value=True)

        core_key = np.zeros(len(keys), dtype=bool)
        core_key[key[rows & core]] = True  # core when any row marks it core
        chosen = rows & qualified & core_key[key]
        pairs = _distinct(key[chosen].astype(np.int64) * size + owner[chosen])  # (material, supplier)
        pair_key, pair_owner = pairs // size, pairs % size
        count = np.bincount(pair_key, minlength=len(keys))
        risky = count < self.min_suppliers

        n_materials = np.bincount(pair_owner, minlength=size)
        n_risky = np.bincount(pair_owner, weights=risky[pair_key], minlength=size).astype(np.int64)
        codes = np.where(n_materials == 0, NA, np.where(n_risky > 0, FAIL, PASS))

        # For the message: each failing supplier's risky material that sorts first by name.
        rank = np.empty(len(keys), dtype=np.int64)
        rank[np.argsort(keys.astype(str), kind="stable")] = np.arange(len(keys))
        at_risk = risky[pair_key]
        order = np.lexsort((rank[pair_key[at_risk]], pair_owner[at_risk]))
        sorted_owner = pair_owner[at_risk][order]
        first = _firsts(sorted_owner)
        risk_owner, first_key = sorted_owner[first], pair_key[at_risk][order][first]
        # Each material is shown as first written (trimmed).
        row_keys = key[rows]
        by_key = np.argsort(row_keys, kind="stable")
        firsts = by_key[_firsts(row_keys[by_key])]
        shown = np.full(len(keys), "", dtype=object)
        shown[row_keys[firsts]] = np.array(stripped + [""], dtype=object)[written[rows][firsts]]
        risk_name = np.full(size, "", dtype=object)
        risk_name[risk_owner] = shown[first_key]
        risk_count = np.zeros(size, dtype=np.int64)
        risk_count[risk_owner] = count[first_key]

        n = self.min_suppliers
        # n/a (not a qualified supplier of a core material): no message. A pass counts the
        # materials checked: more than the rule says.
        failing = codes == FAIL
        noun = np.where(risk_count == 1, " qualified supplier", " qualified suppliers").astype(object)
        extra, extra_counts = pd.factorize(n_risky - 1)
        more = messages.Coded(extra, [
            f" and {k} more core material(s) below it" if k > 0 else "" for k in np.asarray(extra_counts).tolist()
        ])
        said.fill(failing, "single-source risk: core material '", risk_name, "' has ",
                  messages.integers(risk_count), noun, f" (minimum {n})", more)
        said.fill(codes == PASS, "each of its ", messages.integers(n_materials),
                  f" core material(s) has {n} or more qualified suppliers")
        return codes, said


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Positions where a sorted array starts a new value."""
    return np.flatnonzero(np.append(True, ordered[1:] != ordered[:-1])) if len(ordered) else ordered


def _distinct(values: np.ndarray) -> np.ndarray:
    ordered = np.sort(values)
    return ordered[_firsts(ordered)]

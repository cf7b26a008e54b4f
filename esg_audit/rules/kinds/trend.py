"""Check kind `trend`: the compound annual change of an emissions figure over the last N years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from esg_audit.limits import MAX_COUNT
from esg_audit.model import AuditData
from esg_audit.rules import messages
from esg_audit.rules.expr import NUMBER, EvalEnv, Expression
from esg_audit.rules.kinds.base import FAIL, MISSING, PASS, CheckKind
from esg_audit.rules.options import Expr, Number, Option, WholeNumber
from esg_audit.rules.owners import owners

if TYPE_CHECKING:
    import numpy as np
else:
    from esg_audit.deferred import np

TOLERANCE = 1e-12  # binary floating point: a change equal to the maximum as written passes


@dataclass(frozen=True)
class TrendCheck(CheckKind):
    """A falling trend over the Emissions sheet: `trend: EXPR`, `years: N`, `max_annual_change`.

    EXPR is evaluated on every Emissions row and sees only that sheet's fields (`year`,
    `scope1_tco2e`, `scope2_tco2e`, `scope3_tco2e`, and `as_of`); a year has data when its
    value is not missing, so `scope1_tco2e + scope2_tco2e` has none where either is missing.
    L is the supplier's latest year up to the as-of year with data (later years are ignored);
    the compound annual change from L-N to L is `(v_L / v_(L-N)) ^ (1/N) - 1`. pass when it
    is at most `max_annual_change`, fail when above; `missing` when year L-N has no data, its
    value is zero, the supplier has no data, or no input has an Emissions sheet.

    ```yaml
    - id: CLI-001
      title: Scope 1+2 emissions falling at least 4.2 % a year
      pillar: environment
      severity: medium
      check:
        trend: scope1_tco2e + scope2_tco2e
        years: 3
        max_annual_change: -0.042
      on_missing: warn
    ```
    """

    name = "trend"
    key = "trend"
    options = (
        Option("trend", Expr(NUMBER, sheet="Emissions"), "the figure whose trend is checked", required=True),
        Option("years", WholeNumber(1, MAX_COUNT), "N: the change is taken from year L-N to L", required=True),
        Option("max_annual_change", Number(),
               "the highest compound annual change that passes, as a fraction (-0.042: a 4.2 % fall)",
               required=True),
    )

    trend: Expression
    years: int
    max_annual_change: float

    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(("supplier_id", "year", *self.trend.fields)))

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        size = len(data.suppliers)
        said = messages.Messages(size)
        if data.emissions is None:
            return np.full(size, MISSING), said.everyone("missing: no Emissions sheet in the input")
        env = EvalEnv(data.emissions, as_of, data.certificates)
        value = self.trend.evaluate(env).to_numpy(dtype=float, na_value=np.nan)
        year = env.column("year", NUMBER).to_numpy(dtype=float, na_value=np.nan)
        owner = owners(data.suppliers, data.emissions)
        usable = (owner >= 0) & ~np.isnan(value) & ~np.isnan(year) & (year <= as_of.year)
        owner, year, value = owner[usable], year[usable].astype(np.int64), value[usable]

        # One integer key per supplier-year, sorted by supplier then year; each supplier's block
        # leaves `years` slots below its first year so that year L - N never reaches into the
        # previous supplier's block. The first row of a repeated supplier-year counts.
        low = int(year.min()) - self.years if len(year) else 0
        span = int(year.max()) - low + 1 if len(year) else 1
        keys, first = np.unique(owner * span + (year - low), return_index=True)
        values = value[first]
        key_owner = keys // span
        last_of_owner = np.flatnonzero(np.append(np.diff(key_owner) != 0, True)) if len(keys) else keys
        holders = key_owner[last_of_owner]
        has_data = np.zeros(size, dtype=bool)
        has_data[holders] = True
        latest_key = np.zeros(size, dtype=np.int64)
        latest_key[holders] = keys[last_of_owner]
        v_last = np.full(size, np.nan)
        v_last[holders] = values[last_of_owner]
        base_key = latest_key - self.years
        found = np.zeros(size, dtype=bool)
        v_base = np.full(size, np.nan)
        if len(keys):
            at = np.minimum(np.searchsorted(keys, base_key), len(keys) - 1)
            found = has_data & (keys[at] == base_key)
            v_base = np.where(found, values[at], np.nan)
        last = latest_key % span + low
        base = last - self.years

        no_base = has_data & ~found
        zero_base = found & (v_base == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.power(v_last / v_base, 1.0 / self.years) - 1
        unknown = found & ~zero_base & ~np.isfinite(change)
        ok = found & ~zero_base & ~unknown
        passed = ok & (change <= self.max_annual_change + TOLERANCE)
        codes = np.where(passed, PASS, np.where(ok, FAIL, MISSING))

        # A pass states the change found: more than the rule says.
        said.fill(~has_data, f"missing: no emissions data up to {as_of.year}")
        last_text, base_text = messages.integers(last), messages.integers(base)
        limit = _percent(self.max_annual_change)
        change_text = messages.percents(np.where(ok, change, 0.0))
        trend = f"{self.trend.text} changed "
        said.fill(passed, trend, change_text, " a year from ", base_text, " to ", last_text,
                  f", within the maximum of {limit}")
        said.fill(ok & ~passed, trend, change_text, " a year from ", base_text, " to ", last_text,
                  f", above the maximum of {limit}")
        said.fill(no_base, "missing: no data for ", base_text, f" ({self.years} years before ",
                  last_text, ")")
        said.fill(zero_base, "missing: the ", base_text, " value is zero")
        said.fill(unknown, "missing: cannot compute the change from ", base_text, " to ", last_text)
        return codes, said


def _percent(fraction: float) -> str:
    tenths = int(np.round(fraction * 1000))
    return f"{'+' if tenths > 0 else ''}{tenths / 10:.1f}%"

"""Time each check kind of the rule engine over N suppliers built in memory (default 100,000).

    python benchmarks/bench_rules.py              # 100k suppliers, best of 3
    python benchmarks/bench_rules.py --suppliers 30000 --repeat 5

The data has the dtypes of model.py's frame conventions: about 1.5 certificates, 4 emission
years and 2 materials per supplier, with some missing cells. Prints one line per rule (the
seconds one rule's statuses and messages take, wall clock and CPU, each run reading its sheet
afresh) and the time evaluate_rules takes for 30 rules.
"""

from __future__ import annotations

import argparse
import tempfile
import textwrap
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from esg_audit.model import AuditData
from esg_audit.rules import evaluate_rules, load_rules
from esg_audit.rules.evaluate import rule_outcome
from esg_audit.rules.owners import forget

AS_OF = date(2026, 11, 27)

RULES = {
    "expression": """
        - id: EXPR
          title: Renewable share
          pillar: environment
          check:
            pass: renewable_share >= 0.6
            warn: renewable_share >= 0.3
    """,
    "expression+applies_to": """
        - id: EXPR-APPLIES
          title: Carbon intensity
          pillar: environment
          applies_to: "coalesce(lower(category), '') not in ['services', 'software']"
          check:
            pass: (scope1_tco2e + scope2_tco2e) / revenue_musd <= 100
            warn: (scope1_tco2e + scope2_tco2e) / revenue_musd <= 300
    """,
    "certificate": """
        - id: CERT
          title: ISO 14001
          pillar: environment
          check: {certificate: ISO 14001, warn_within_days: 90, issuers: [SGS, BSI, TUV]}
    """,
    "required": """
        - id: REQ
          title: Disclosure
          pillar: environment
          check: {required: [scope1_tco2e, scope2_tco2e, scope3_tco2e]}
    """,
    "trend": """
        - id: TREND
          title: Falling emissions
          pillar: environment
          check: {trend: scope1_tco2e + scope2_tco2e, years: 3, max_annual_change: -0.042}
    """,
    "sourcing": """
        - id: SRC
          title: No single source
          pillar: resilience
          check: {min_suppliers: 2}
    """,
}


def build(n: int, seed: int = 7) -> AuditData:
    rng = np.random.default_rng(seed)
    ids = pd.array([f"S{i:06d}" for i in range(n)], dtype="string")

    def numbers(size: int, scale: float, missing: float = 0.05) -> pd.array:
        values = rng.random(size) * scale
        return pd.array(np.where(rng.random(size) < missing, np.nan, values), dtype="Float64")

    categories = np.array(["metal", "plastics", "services", "software", "chemicals"], dtype=object)
    suppliers = pd.DataFrame({
        "supplier_id": ids,
        "name": pd.array([f"Supplier {i}" for i in range(n)], dtype="string"),
        "category": pd.array(categories[rng.integers(0, len(categories), n)], dtype="string"),
        "renewable_share": numbers(n, 1.0),
        "scope1_tco2e": numbers(n, 5000),
        "scope2_tco2e": numbers(n, 3000),
        "scope3_tco2e": numbers(n, 50000, missing=0.3),
        "revenue_musd": numbers(n, 100),
    })

    m = int(n * 1.5)
    owner = rng.integers(0, n, m)
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 1200, m), unit="D")
    certificates = pd.DataFrame({
        "supplier_id": ids.take(owner),
        "standard": pd.array(np.array(["ISO 14001", "ISO 45001", "ISO 9001"], dtype=object)[rng.integers(0, 3, m)], dtype="string"),
        "certificate_no": pd.array([f"C-{i}" for i in range(m)], dtype="string"),
        "issuer": pd.array(np.array(["SGS", "BSI", "TUV", "Other"], dtype=object)[rng.integers(0, 4, m)], dtype="string"),
        "valid_from": start.astype("datetime64[ns]"),
        "valid_until": (start + pd.Timedelta(days=3 * 365)).astype("datetime64[ns]"),
        "status": pd.array(np.array(["active", "active", "suspended", None], dtype=object)[rng.integers(0, 4, m)], dtype="string"),
    })

    years = np.arange(2022, 2027)
    emissions = pd.DataFrame({
        "supplier_id": ids.take(np.repeat(np.arange(n), len(years))),
        "year": pd.array(np.tile(years, n), dtype="Int64"),
        "scope1_tco2e": numbers(n * len(years), 5000),
        "scope2_tco2e": numbers(n * len(years), 3000),
    })
    keep = rng.random(len(emissions)) < 0.8  # gap years
    emissions = emissions[keep].reset_index(drop=True)

    k = n * 2
    materials = pd.DataFrame({
        "material": pd.array([f"material-{i}" for i in rng.integers(0, n // 3, k)], dtype="string"),
        "supplier_id": ids.take(rng.integers(0, n, k)),
        "core": pd.array(np.where(rng.random(k) < 0.5, True, None), dtype="boolean"),
        "qualified": pd.array(np.where(rng.random(k) < 0.9, True, False), dtype="boolean"),
    })
    return AuditData(
        suppliers=suppliers, certificates=certificates, emissions=emissions, materials=materials,
        inputs=(), data_issues=(), notes=(), supplier_rows=n,
    )


def best_of(repeat: int, run) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of `repeat` runs (CPU time shows the cost on a
    machine shared with other work; wall time what a user waits)."""
    wall, cpu = [], []
    for _ in range(repeat):
        forget()
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()

    start = time.perf_counter()
    data = build(args.suppliers)
    print(f"built {args.suppliers:,} suppliers in {time.perf_counter() - start:.2f} s "
          f"({len(data.certificates):,} certificates, {len(data.emissions):,} emission rows, "
          f"{len(data.materials):,} material rows)")

    with tempfile.TemporaryDirectory() as folder:
        rules_yaml = "".join(textwrap.dedent(r) for r in RULES.values())
        path = Path(folder) / "bench.yaml"
        path.write_text("pack: bench\nversion: '1'\nrules:\n" + textwrap.indent(rules_yaml, "  "))
        ruleset = load_rules([str(path)])
        print(f"{'kind':<24}{'wall s':>8}{'cpu s':>8}")
        for label, rule in zip(RULES, ruleset.rules, strict=True):
            wall, cpu = best_of(args.repeat, lambda rule=rule: rule_outcome(rule, data, AS_OF))
            print(f"{label:<24}{wall:>8.3f}{cpu:>8.3f}")

        # 30 rules: the six above, five times over under new ids
        thirty = "".join(
            rules_yaml.replace("- id: ", f"- id: X{copy}-") for copy in range(5)
        )
        path.write_text("pack: bench\nversion: '1'\nrules:\n" + textwrap.indent(thirty, "  "))
        ruleset = load_rules([str(path)])
        wall, cpu = best_of(1, lambda: evaluate_rules(ruleset, data, AS_OF))
        rows = args.suppliers * len(ruleset.rules)
        print(f"evaluate_rules, {len(ruleset.rules)} rules ({rows:,} results): {wall:.2f} s wall, {cpu:.2f} s cpu")


if __name__ == "__main__":
    main()

"""What one `expectation` rule adds to an audit of the 100k-supplier workbook.

    python benchmarks/bench_expectation.py [WORKBOOK]   # default: the 100k workbook (workbooks.py)

Loads, normalises and validates the workbook once (not timed), then times, in this order:
importing Great Expectations (what the first expectation rule of a run pays once), and
evaluating one expectation rule on the Certificates sheet and one on Suppliers (one GX
validation each over all rows, the mapping back to suppliers included). The budget is the
import time plus 2 s for one rule.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workbooks  # noqa: E402

from esg_audit.load import load_inputs  # noqa: E402
from esg_audit.normalise import normalise  # noqa: E402
from esg_audit.rules import evaluate_rule, load_rules  # noqa: E402
from esg_audit.schema import validate  # noqa: E402

AS_OF = date(2026, 11, 27)
HERE = Path(__file__).resolve().parent
RULES = """pack: bench
version: '1'
rules:
  - id: CERT-NO-FORMAT
    title: Certificate numbers are well formed
    pillar: governance
    check:
      expectation: expect_column_values_to_match_regex
      sheet: Certificates
      kwargs: {column: certificate_no, regex: "^[A-Z0-9][A-Z0-9/-]{3,}$"}
  - id: COUNTRY-SET
    title: Countries we source from
    pillar: governance
    check:
      expectation: expect_column_values_to_be_in_set
      kwargs: {column: country, value_set: [DE, FR, CN, IN, PL, US, TR, VN]}
"""


def main() -> None:
    workbook = Path(sys.argv[1]) if len(sys.argv) > 1 else workbooks.workbook(100_000)
    data = validate(normalise(load_inputs([str(workbook)]), column_map=None, extra_fields={}, as_of=AS_OF),
                    as_of=AS_OF)
    print(f"{len(data.suppliers):,} suppliers, "
          f"{0 if data.certificates is None else len(data.certificates):,} certificates")

    from esg_audit import gx_adapter

    started = time.perf_counter()
    gx_adapter.great_expectations()
    gx_adapter.expectation_names()
    imported = time.perf_counter() - started
    print(f"import great_expectations: {imported:.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(RULES, encoding="utf-8")
        started = time.perf_counter()
        ruleset = load_rules([str(path)])
        print(f"parse both rules (GX already imported): {time.perf_counter() - started:.2f} s")
    for rule in ruleset.rules:
        started = time.perf_counter()
        status, _ = evaluate_rule(rule, data, AS_OF)
        took = time.perf_counter() - started
        counts = status.value_counts().to_dict()
        print(f"{rule.id}: {took:.2f} s  {dict((k, v) for k, v in counts.items() if v)}")


if __name__ == "__main__":
    main()

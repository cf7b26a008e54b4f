"""Each stage's wall time for one `esg-audit check` of a workbook, as one line of JSON.

    python benchmarks/stages.py WORKBOOK [RULES.yaml] [--format json]

The stages are those `run_audit` reports to its progress callback (rules, load, normalise,
validate, evaluate, score), and the report writing.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esg_audit.pipeline import AuditRequest, run_audit  # noqa: E402
from esg_audit.reports import write_reports  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    fmt = sys.argv[sys.argv.index("--format") + 1] if "--format" in sys.argv else "json"
    args = [a for a in args if a != fmt]
    request = AuditRequest(inputs=(args[0],), as_of=date(2026, 11, 27), rules=tuple(args[1:]))
    marks: list[tuple[str, float]] = []
    result = run_audit(request, lambda stage: marks.append((stage, time.perf_counter())))
    marks.append(("report", time.perf_counter()))
    with tempfile.TemporaryDirectory() as out:
        write_reports(result, Path(out), [fmt])
    marks.append(("end", time.perf_counter()))
    times = {stage: round(marks[i + 1][1] - at, 3) for i, (stage, at) in enumerate(marks[:-1])}
    print(json.dumps(times))


if __name__ == "__main__":
    main()

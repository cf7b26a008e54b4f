"""Each stage's wall time for one `esg-audit check` of a workbook, as one line of JSON, with
each stage's CPU time (this process's, all threads, user and system) under "cpu": on a machine
busy with other work the CPU times say more than the wall times.

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
    marks: list[tuple[str, float, float]] = []

    def mark(stage: str) -> None:
        marks.append((stage, time.perf_counter(), time.process_time()))

    result = run_audit(request, mark)
    mark("report")
    with tempfile.TemporaryDirectory() as out:
        write_reports(result, Path(out), [fmt])
    mark("end")
    times: dict[str, object] = {
        stage: round(marks[i + 1][1] - at, 3) for i, (stage, at, _) in enumerate(marks[:-1])
    }
    times["cpu"] = {
        stage: round(marks[i + 1][2] - cpu, 3) for i, (stage, _, cpu) in enumerate(marks[:-1])
    }
    print(json.dumps(times))


if __name__ == "__main__":
    main()

"""Time recording an audit in a SQLite history store against the audit itself.

    python benchmarks/bench_history.py 100000     # workbook from make_workbook.py (kept in out/)
    python benchmarks/bench_history.py 10000 --store postgresql://…   # another store

Runs the audit of an N-supplier workbook in-process with the shipped packs (`check` = the
pipeline and report.json), then, into a fresh store: the rows of the result, the trend against
an empty store, recording the first run, and recording a second run 30 days later (which also
carries open findings from the first). The claim to hold: recording takes at most as long as
the check itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from workbooks import workbook  # noqa: E402

from esg_audit.history import open_store, record_run, rows_from_result, with_trend  # noqa: E402
from esg_audit.history.store import Store  # noqa: E402
from esg_audit.pipeline import AuditRequest, run_audit  # noqa: E402
from esg_audit.reports.json_report import write_json  # noqa: E402

AS_OF = date(2026, 11, 27)


def timed(label: str, times: dict[str, float], work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = work()
    times[label] = time.perf_counter() - start
    print(f"{label:<34} {times[label]:8.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suppliers", type=int)
    parser.add_argument("--store", default=None, help="store URL (default: a new SQLite file)")
    args = parser.parse_args()
    path = workbook(args.suppliers)
    location = args.store or str(OUT / f"history-{args.suppliers}.db")
    if args.store is None:
        for suffix in ("", "-wal", "-shm"):
            Path(location + suffix).unlink(missing_ok=True)

    times: dict[str, float] = {}
    result = timed("check: audit", times, lambda: run_audit(
        AuditRequest(inputs=(str(path),), as_of=AS_OF)))
    timed("check: report.json", times, lambda: write_json(result, OUT / "bench-report.json"))
    store: Store = open_store(location)
    rows = timed("history: rows of the result", times, lambda: rows_from_result(result))
    timed("history: trend (empty store)", times, lambda: with_trend(store, result, rows))
    timed("history: record first run", times, lambda: record_run(store, rows))
    later = rows.run | {"as_of": AS_OF + timedelta(days=30), "run_key": "1" * 64}
    rows_later = type(rows)(**{**rows.__dict__, "run": later, "run_key": "1" * 64})
    timed("history: trend (one earlier run)", times, lambda: with_trend(store, result, rows_later))
    timed("history: record second run", times, lambda: record_run(store, rows_later))
    store.close()

    check = times["check: audit"] + times["check: report.json"]
    record = times["history: rows of the result"] + times["history: record second run"]
    print(f"\n{result.summary.audited:,} suppliers × {len(result.ruleset.rules)} rules: check "
          f"{check:.1f} s; rows + recording {record:.1f} s ({record / check:.2f}× the check); "
          f"with the trend {record + times['history: trend (one earlier run)']:.1f} s")
    if args.store is None:
        print(f"store: {location} ({Path(location).stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()

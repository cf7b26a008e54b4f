"""Time loading a waiver file of N waivers (default 100,000, about 8 MB) and its peak memory.

    python benchmarks/bench_waivers.py              # 100k waivers, best of 3
    python benchmarks/bench_waivers.py --waivers 20000 --repeat 5

The file is written to benchmarks/out/, one waiver a line (as a script would export them).
CPU time is printed beside the wall clock: on a shared machine it is the steadier figure.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from esg_audit.waivers import load_waivers

OUT = Path(__file__).resolve().parent / "out"
ENTRY = "- {{supplier_id: S{i:05d}, rule_id: ENV-001, reason: Booked, approved_by: QA, expires: 2026-12-31}}\n"


def write_waivers(count: int) -> Path:
    path = OUT / f"waivers_{count}.yaml"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        path.write_text("waivers:\n" + "".join(ENTRY.format(i=i) for i in range(count)), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waivers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = write_waivers(args.waivers)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = best_cpu = float("inf")
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        loaded = load_waivers(str(path))
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = path.stat().st_size / 1e6
    print(f"{len(loaded.waivers):,} waivers, {size:.1f} MB: best of {args.repeat} {best:.2f} s "
          f"({best_cpu:.2f} s CPU), "
          f"peak RSS {peak / 1024:.0f} MB (+{(peak - before) / 1024:.0f} MB)")


if __name__ == "__main__":
    main()

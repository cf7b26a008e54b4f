"""Time `esg-audit check` end to end against the bare reads of the same workbook.

    python benchmarks/run.py                       # sizes 10000 30000 100000, --format json
    python benchmarks/run.py --sizes 10000 --formats json xlsx --repeat 3
    python benchmarks/run.py --sizes 100000 --openpyxl     # also pandas' openpyxl reader (slow)

Each measurement runs in a fresh subprocess, so peak memory (max RSS) is that of one run. The
floor is fastexcel's text read of every sheet (what the loader does before any interpreting);
beside it `pandas.read_excel(path, sheet_name=None, engine="calamine")` (and "openpyxl" on
request), all timed in the same invocation on the same file. `check` runs with the shipped packs
and with `eight-rules.yaml` (eight rules, every check kind); the ratio is to the floor. Then
each stage's time (`stages.py`, one run with the shipped packs). The last column, the check's
wall time per 100,000 suppliers, shows whether time grows linearly with the workbook. Workbooks
are built once (see workbooks.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import workbook  # noqa: E402

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-27"

EIGHT_RULES = HERE / "eight-rules.yaml"
FLOOR = (
    "import fastexcel, sys; r = fastexcel.read_excel(sys.argv[1]); "
    "[r.load_sheet(n, header_row=None, skip_rows=0, dtypes='string').to_arrow() "
    "for n in r.sheet_names]"
)
PANDAS = (
    "import pandas as pd, sys; "
    "pd.read_excel(sys.argv[1], sheet_name=None, engine=sys.argv[2], na_filter=False)"
)


CPU: dict[tuple[str, ...], float] = {}  # CPU seconds (user + system) of the last run of argv


def peak_rss(argv: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS of one command, measured in its own wrapper process; its CPU
    time goes to CPU (on a loaded machine CPU time says more than the wall clock)."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "e = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(e, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime); "
        "sys.exit(0 if r.returncode in (0, 1) else r.returncode)"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *argv], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark: {' '.join(argv)} failed:\n{proc.stderr}")
    seconds, mb, cpu = proc.stdout.split()
    CPU[tuple(argv)] = float(cpu)
    return float(seconds), float(mb)


def esg_audit_command() -> list[str]:
    exe = Path(sys.executable).with_name("esg-audit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "esg_audit"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["json"])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument("--openpyxl", action="store_true",
                        help="also time pandas.read_excel(engine='openpyxl') (about 90 s at 100k)")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage times")
    args = parser.parse_args()

    def best(argv: list[str]) -> tuple[float, float, float]:
        runs = []
        for _ in range(args.repeat):
            seconds, mb = peak_rss(argv)
            runs.append((seconds, mb, CPU[tuple(argv)]))
        return min(runs)

    reads, rows, stages = [], [], []
    for n in args.sizes:
        path = workbook(n)
        floor = best([sys.executable, "-c", FLOOR, str(path)])
        engines = ["calamine", *(["openpyxl"] if args.openpyxl else [])]
        for engine in engines:
            seconds, mb, cpu = best([sys.executable, "-c", PANDAS, str(path), engine])
            reads.append((n, f"pandas {engine}", seconds, seconds / floor[0], cpu,
                          cpu / floor[2], mb))
        reads.append((n, "fastexcel text (floor)", floor[0], 1.0, floor[2], 1.0, floor[1]))
        for fmt in args.formats:
            for label, rules in (("shipped packs", []), ("eight rules", ["--rules",
                                                                         str(EIGHT_RULES)])):
                with tempfile.TemporaryDirectory() as out:
                    argv = [*esg_audit_command(), "check", str(path), "--as-of", AS_OF,
                            "--format", fmt, "--out", out, *rules]
                    seconds, mb, cpu = best(argv)
                rows.append((n, fmt, label, floor[0], seconds, seconds / floor[0],
                             floor[2], cpu, cpu / floor[2], mb))
        if not args.no_stages:
            proc = subprocess.run([sys.executable, str(HERE / "stages.py"), str(path)],
                                  capture_output=True, text=True, check=True)
            stages.append((n, proc.stdout.strip()))

    print(f"{'suppliers':>9} {'reader':<24} {'wall s':>7} {'x floor':>8} {'CPU s':>7} "
          f"{'x floor':>8} {'peak MB':>8}")
    for n, reader, seconds, ratio, cpu, cpu_ratio, mb in reads:
        print(f"{n:>9} {reader:<24} {seconds:>7.2f} {ratio:>8.2f} {cpu:>7.2f} "
              f"{cpu_ratio:>8.2f} {mb:>8.0f}")
    print()
    print(f"{'suppliers':>9} {'format':>6} {'rules':<14} {'floor s':>8} {'check s':>8} "
          f"{'x floor':>8} {'floor CPU':>9} {'check CPU':>9} {'x floor':>8} {'peak MB':>8} "
          f"{'s/100k':>7}")
    for n, fmt, label, floor_s, c, ratio, floor_cpu, cpu, cpu_ratio, mb in rows:
        print(f"{n:>9} {fmt:>6} {label:<14} {floor_s:>8.2f} {c:>8.2f} {ratio:>8.2f} "
              f"{floor_cpu:>9.2f} {cpu:>9.2f} {cpu_ratio:>8.2f} {mb:>8.0f} "
              f"{c / n * 100_000:>7.2f}")
    for n, times in stages:
        print(f"stages at {n} (shipped packs, seconds): {times}")
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()

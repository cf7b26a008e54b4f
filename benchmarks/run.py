"""Time `esg-audit check` end to end against the bare calamine parse of the same workbook.

    python benchmarks/run.py                       # sizes 10000 30000 100000, --format json
    python benchmarks/run.py --sizes 10000 --formats json xlsx --repeat 3

Each measurement runs in a fresh subprocess, so peak memory (max RSS) is that of one run. The
baseline is `pandas.read_excel(path, sheet_name=None, engine="calamine")`, timed in the same
invocation on the same file. Workbooks are built once by make_workbook.py into benchmarks/out/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2026-11-27"

PARSE = (
    "import pandas as pd, sys; "
    "pd.read_excel(sys.argv[1], sheet_name=None, engine='calamine', na_filter=False)"
)


def peak_rss(argv: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS of one command, measured in its own wrapper process."""
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "e = time.perf_counter() - t; "
        "print(e, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
        "sys.exit(0 if r.returncode in (0, 1) else r.returncode)"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *argv], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"benchmark: {' '.join(argv)} failed:\n{proc.stderr}")
    seconds, mb = proc.stdout.split()
    return float(seconds), float(mb)


def workbook(n: int) -> Path:
    path = OUT / f"suppliers-{n}.xlsx"
    if not path.exists():
        print(f"building {path.name} …", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "make_workbook.py"), str(n), str(path)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def esg_audit_command() -> list[str]:
    exe = Path(sys.executable).with_name("esg-audit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "esg_audit"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["json"])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    args = parser.parse_args()

    rows = []
    for n in args.sizes:
        path = workbook(n)
        parse = min(peak_rss([sys.executable, "-c", PARSE, str(path)])
                    for _ in range(args.repeat))
        for fmt in args.formats:
            with tempfile.TemporaryDirectory() as out:
                argv = [*esg_audit_command(), "check", str(path), "--as-of", AS_OF,
                        "--format", fmt, "--out", out]
                check = min(peak_rss(argv) for _ in range(args.repeat))
            rows.append((n, fmt, parse[0], check[0], check[0] / parse[0], parse[1], check[1]))

    print(f"{'suppliers':>9} {'format':>6} {'parse s':>8} {'check s':>8} {'ratio':>6} "
          f"{'parse MB':>9} {'check MB':>9}")
    for n, fmt, p, c, ratio, pm, cm in rows:
        print(f"{n:>9} {fmt:>6} {p:>8.2f} {c:>8.2f} {ratio:>6.2f} {pm:>9.0f} {cm:>9.0f}")
    print(f"(python {sys.version.split()[0]}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()

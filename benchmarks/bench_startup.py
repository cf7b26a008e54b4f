"""Time the commands a user runs at a prompt: wall and CPU time of each, over fresh processes.

    python benchmarks/bench_startup.py               # 20 runs of each command
    python benchmarks/bench_startup.py --runs 50

Commands: `esg-audit --version`, `rules list`, `rules explain ISO-001`, and `check` on the
sample data with JSON output. The bare interpreter (`python -c pass`) is timed alongside as the
floor. CPU time (user + system, of the process and its threads) barely moves with the load of
a shared machine; wall time does, so read the minimum as the figure for an idle machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def esg_audit_command() -> list[str]:
    exe = Path(sys.executable).with_name("esg-audit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "esg_audit"]


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `argv`."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"bench_startup: {' '.join(argv)} failed:\n{done.stderr.decode()}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    esg_audit = esg_audit_command()
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "esg-audit --version": [*esg_audit, "--version"],
            "esg-audit rules list": [*esg_audit, "rules", "list"],
            "esg-audit rules explain ISO-001": [*esg_audit, "rules", "explain", "ISO-001"],
            "esg-audit check sample_data --format json": [
                *esg_audit, "check", "sample_data", "--format", "json", "--out", out,
                "--as-of", "2026-11-27",
            ],
        }
        print(f"{'command':45} {'wall min':>9} {'median':>9} {'cpu median':>11}  ({args.runs} runs)")
        for name, argv in commands.items():
            timed(argv)  # warm the file cache
            runs = [timed(argv) for _ in range(args.runs)]
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            print(f"{name:45} {min(walls):8.3f}s {statistics.median(walls):8.3f}s "
                  f"{statistics.median(cpus):10.3f}s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)


if __name__ == "__main__":
    main()

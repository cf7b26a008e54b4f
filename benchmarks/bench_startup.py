"""Time the commands a user runs at a prompt: wall and CPU time of each, over fresh processes.

    python benchmarks/bench_startup.py               # 20 runs of each command
    python benchmarks/bench_startup.py --runs 50
    python benchmarks/bench_startup.py --no-bytecode  # compile every module at every start

Commands: `esg-audit --version`, `rules list`, `rules explain ISO-001`, and `check` on the
sample data with JSON output. The bare interpreter (`python -c pass`) is timed alongside as the
floor. CPU time (user + system, of the process and its threads) barely moves with the load of
a shared machine; wall time does, so read the minimum as the figure for an idle machine.

An installed esg-audit starts from Python's compiled bytecode, written when the package is
installed. A checkout run with PYTHONDONTWRITEBYTECODE set (as some development setups do)
compiles esg-audit's own modules from source at every start instead, which costs about 0.07 s
more for `check`. The commands run with a bytecode cache of their own (in a temporary folder,
filled by a first run that is not timed), so the figures are an installed package's;
`--no-bytecode` times the compiling start.
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


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `argv`."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        sys.exit(f"bench_startup: {' '.join(argv)} failed:\n{done.stderr.decode()}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module from source at every start (no bytecode cache)")
    args = parser.parse_args()
    esg_audit = esg_audit_command()
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ)
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
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
            timed(argv, env)  # warm the file cache (and fill the bytecode cache)
            runs = [timed(argv, env) for _ in range(args.runs)]
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            print(f"{name:45} {min(walls):8.3f}s {statistics.median(walls):8.3f}s "
                  f"{statistics.median(cpus):10.3f}s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{'no bytecode cache' if args.no_bytecode else 'bytecode cached'}", file=sys.stderr)


if __name__ == "__main__":
    main()

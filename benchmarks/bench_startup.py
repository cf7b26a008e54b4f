"""Time the commands a user runs at a prompt: wall and CPU time of each, over fresh processes.

    python benchmarks/bench_startup.py               # 20 runs of each command
    python benchmarks/bench_startup.py --runs 50
    python benchmarks/bench_startup.py --no-bytecode  # compile every module at every start

Commands: `esg-audit --version`, `rules list`, `rules explain ISO-001`, and `check` on the
sample data with JSON output. Two floors are timed alongside: the bare interpreter (`python -c
pass`), and importing the data libraries an audit cannot start without (numpy, pyarrow and
its compute module, pandas; with one OpenBLAS thread, as esg-audit starts numpy): what `check`
takes beyond that is esg-audit's own modules and the audit. CPU time (user + system, of the
process and its threads, from the kernel's accounting of each child) barely moves with the
load of a shared machine; wall time does, so read the minimum as the figure for an idle machine.

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
    """Wall and CPU seconds of one run of `argv` (CPU in microseconds, from wait4's rusage,
    where os.times counts in clock ticks of 10 ms)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            sys.exit(f"bench_startup: {' '.join(argv)} failed:\n{errors.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


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
        data_libraries = "import numpy, pyarrow, pyarrow.compute, pandas"
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python: import numpy, pyarrow, pandas": [
                sys.executable, "-c",
                f"import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); {data_libraries}",
            ],
            "esg-audit --version": [*esg_audit, "--version"],
            "esg-audit rules list": [*esg_audit, "rules", "list"],
            "esg-audit rules explain ISO-001": [*esg_audit, "rules", "explain", "ISO-001"],
            "esg-audit check sample_data --format json": [
                *esg_audit, "check", "sample_data", "--format", "json", "--out", out,
                "--as-of", "2026-11-27",
            ],
        }
        print(f"{'command':45} {'wall min':>9} {'median':>9} {'cpu min':>9} {'median':>9}"
              f"  ({args.runs} runs)")
        for name, argv in commands.items():
            timed(argv, env)  # warm the file cache (and fill the bytecode cache)
            runs = [timed(argv, env) for _ in range(args.runs)]
            walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
            print(f"{name:45} {min(walls):8.3f}s {statistics.median(walls):8.3f}s "
                  f"{min(cpus):8.3f}s {statistics.median(cpus):8.3f}s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{'no bytecode cache' if args.no_bytecode else 'bytecode cached'}", file=sys.stderr)


if __name__ == "__main__":
    main()

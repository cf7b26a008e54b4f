"""The deterministic N-supplier benchmark workbooks, built once and kept.

A workbook is looked for in `benchmarks/out/` and then in the folder named by the environment
variable `ESG_AUDIT_BENCH_WORKBOOKS` (a cache shared between checkouts); when neither has it, it
is built by make_workbook.py into `benchmarks/out/` (about 2.5 s per 1,000 suppliers).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def workbook(n: int) -> Path:
    """The path of the n-supplier workbook, building it first if no copy exists."""
    name = f"suppliers-{n}.xlsx"
    path = OUT / name
    if path.exists():
        return path
    shared = os.environ.get("ESG_AUDIT_BENCH_WORKBOOKS")
    if shared and (Path(shared) / name).exists():
        return Path(shared) / name
    OUT.mkdir(exist_ok=True)
    print(f"building {name} …", file=sys.stderr)
    subprocess.run([sys.executable, str(HERE / "make_workbook.py"), str(n), str(path)],
                   check=True, stdout=subprocess.DEVNULL)
    return path

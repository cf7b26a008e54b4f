"""Time reading EU CBAM communication templates: one template, and a folder of many.

    python benchmarks/bench_cbam.py            # the two examples in ../shared/real/cbam, 200 copies
    python benchmarks/bench_cbam.py 500 5      # 500 templates in the folder, best of 5 (default 3)

"One template" is `load_inputs` on one file (guards, hashing, the template's sheets) plus
normalise and validate; "a folder" is the same on a folder of N copies of the Commission's two
examples (alternating, each under its own name, so every one is read), built once in
benchmarks/out/cbam-N/. The contract: at most 0.5 s for one template, 60 s for 200.
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))

from esg_audit.load import load_inputs  # noqa: E402
from esg_audit.normalise import normalise  # noqa: E402
from esg_audit.schema import validate  # noqa: E402

AS_OF = date(2026, 11, 27)
REAL = HERE.parent.parent / "shared" / "real" / "cbam"
EXAMPLES = [REAL / "example-cement.xlsx", REAL / "example-steel-blast-furnace.xlsx"]


def audit_inputs(paths: list[str]) -> tuple[int, int]:
    loaded = load_inputs(paths)
    data = validate(normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF), as_of=AS_OF)
    assert data.cbam_goods is not None
    return len(data.suppliers), len(data.cbam_goods)


def best_of(repeat: int, run) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def folder_of(count: int) -> Path:
    folder = OUT / f"cbam-{count}"
    if not folder.exists() or len(list(folder.glob("*.xlsx"))) != count:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for n in range(count):
            example = EXAMPLES[n % 2]
            shutil.copyfile(example, folder / f"{n:04d}-{example.name}")
    return folder


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if not all(p.exists() for p in EXAMPLES):
        raise SystemExit(f"the examples are not in {REAL}")
    audit_inputs([str(EXAMPLES[0])])  # warm-up: imports
    for example in EXAMPLES:
        seconds, (suppliers, goods) = best_of(repeat, lambda e=example: audit_inputs([str(e)]))  # type: ignore[misc]
        print(f"one template  {example.name:38} {seconds:7.3f} s  ({suppliers} supplier, {goods} goods)")
    folder = folder_of(count)
    seconds, (suppliers, goods) = best_of(repeat, lambda: audit_inputs([str(folder)]))  # type: ignore[misc]
    print(f"folder of {count} templates {'':29} {seconds:7.3f} s  ({suppliers} suppliers, {goods} goods)")


if __name__ == "__main__":
    main()

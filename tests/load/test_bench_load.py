"""The load benchmark's workbook generator and stage table (no timing is asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from esg_audit.load import load_inputs

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_load.py"


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_load", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_workbook_loads_with_every_row_and_the_stage_table(tmp_path):
    bench = bench_module()
    rows = bench.supplier_rows(30)
    path = bench.build_workbook(30, tmp_path / "load-30.xlsx")

    loaded = load_inputs([str(path)])

    assert [s.canonical for s in loaded.sheets] == [
        "Suppliers",
        "Certificates",
        "Emissions",
        "Materials",
    ]
    suppliers = loaded.sheets[0].cells
    assert suppliers.loc[3].tolist() == bench.SUPPLIER_HEADER
    assert suppliers.loc[4, 0] == "S0000001" and suppliers.index[-1] == 33
    data_rows = sum(len(sheet) - 1 for sheet in rows.values()) - 2  # title and blank row
    assert loaded.inputs[0].rows == data_rows
    assert list(bench.time_stages(path)) == [
        "calamine (pandas.read_excel)",
        "calamine (to_python, no frame)",
        "load",
        "normalise",
        "validate",
        "input stages (load+normalise+validate)",
    ]

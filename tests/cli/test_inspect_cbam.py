"""`inspect` shows the CBAM Goods rows read from an EU CBAM template, and writes them as CSV."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli

STEEL = Path(__file__).resolve().parents[3] / "shared" / "real" / "cbam" / "example-steel-blast-furnace.xlsx"

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not STEEL.is_file(), reason="../shared/real/cbam is absent"),
]


def test_inspect_lists_and_writes_the_goods_of_a_template(tmp_path: Path) -> None:
    template = tmp_path / "steel.xlsx"
    shutil.copyfile(STEEL, template)
    out = tmp_path / "read"

    result = CliRunner().invoke(cli, ["inspect", str(template), "--out", str(out), "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    counts = [(s["sheet"], s["read_as"], s["rows_read"], s["rows_kept"]) for s in report["sheets"]]
    assert counts == [("Summary_Communication", "Suppliers", 1, 1),
                      ("Summary_Communication", "CBAM Goods", 4, 4)]
    with (out / "CBAM Goods.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert {row["source_sheet"] for row in rows} == {"Summary_Communication"}
    assert all(len(row["cn_code"]) == 8 and row["cn_code"].isdigit() for row in rows)

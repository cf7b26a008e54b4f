"""`inspect` shows the CBAM Goods rows read from an EU CBAM template, and writes them as CSV
with the source cell of every value."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.load.cbam import sheet_reference

REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "cbam"
STEEL = REAL / "example-steel-blast-furnace.xlsx"
CEMENT = REAL / "example-cement.xlsx"
real = pytest.mark.skipif(not STEEL.is_file() or not CEMENT.is_file(),
                          reason="../shared/real/cbam is absent")
SUMMARY = "Summary_Communication"

GOODS_COLUMNS = [
    "source_file", "source_sheet", "source_row",
    *(name for field in (
        "supplier_id", "installation", "unlocode", "period_start", "period_end", "cn_code",
        "good_category", "product_name", "route", "see_direct", "see_indirect", "see_total",
        "default_value_share", "electricity_ef", "electricity_ef_source",
        "embedded_electricity_mwh_per_t", "carbon_price_due", "carbon_price_rebate",
        "carbon_price_effective", "carbon_price_instrument", "currency", "verifier",
        "template_version") for name in (field, f"{field}_cell")),
]


def goods_csv(*inputs: Path, out: Path) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["inspect", *map(str, inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "CBAM Goods.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == GOODS_COLUMNS
        return list(reader)


@pytest.mark.real
@real
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


@pytest.mark.real
@real
def test_every_value_of_the_cement_example_is_written_with_its_cell(tmp_path: Path) -> None:
    template = tmp_path / "cement.xlsx"
    shutil.copyfile(CEMENT, template)

    [row] = goods_csv(template, out=tmp_path / "read")

    assert row == {
        "source_file": str(template), "source_sheet": SUMMARY, "source_row": "26",
        "supplier_id": "TR-TRABC-example-cement-producer", "supplier_id_cell": "",
        "installation": "Example Cement Producer", "installation_cell": f"{SUMMARY}!G12",
        "unlocode": "TRABC", "unlocode_cell": f"{SUMMARY}!G17",
        "period_start": "2023-01-01", "period_start_cell": f"{SUMMARY}!G20",
        "period_end": "2023-12-31", "period_end_cell": f"{SUMMARY}!G21",
        "cn_code": "25232900", "cn_code_cell": f"{SUMMARY}!F26",
        "good_category": "Cement", "good_category_cell": f"{SUMMARY}!E26",
        "product_name": "Portland Cement Art. Nr. 1", "product_name_cell": f"{SUMMARY}!H26",
        "route": "", "route_cell": "",
        "see_direct": "0.7852147410358565", "see_direct_cell": f"{SUMMARY}!I26",
        "see_indirect": "0.12224275", "see_indirect_cell": f"{SUMMARY}!J26",
        "see_total": "0.9074574910358565", "see_total_cell": f"{SUMMARY}!K26",
        "default_value_share": "0.0", "default_value_share_cell": f"{SUMMARY}!M26",
        "electricity_ef": "0.833", "electricity_ef_cell": "D_Processes!L66",
        "electricity_ef_source": "D.4(b)", "electricity_ef_source_cell": f"{SUMMARY}!N26",
        "embedded_electricity_mwh_per_t": "0.14675",
        "embedded_electricity_mwh_per_t_cell": f"{SUMMARY}!O26",
        "carbon_price_due": "50.0", "carbon_price_due_cell": f"{SUMMARY}!AQ26",
        "carbon_price_rebate": "20.0", "carbon_price_rebate_cell": f"{SUMMARY}!AW26",
        "carbon_price_effective": "30.0", "carbon_price_effective_cell": f"{SUMMARY}!AY26",
        "carbon_price_instrument": "", "carbon_price_instrument_cell": f"{SUMMARY}!AL26",
        "currency": "", "currency_cell": f"{SUMMARY}!AP26",
        "verifier": "", "verifier_cell": "A_InstData!I37",
        "template_version": "2.1", "template_version_cell": "'0_Versions'!E36",
    }


@pytest.mark.real
@real
def test_the_four_steel_products_are_written_with_their_cells(tmp_path: Path) -> None:
    template = tmp_path / "steel.xlsx"
    shutil.copyfile(STEEL, template)

    rows = goods_csv(template, out=tmp_path / "read")

    shown = ["source_row", "cn_code", "cn_code_cell", "product_name_cell", "see_total",
             "see_total_cell", "carbon_price_due", "carbon_price_due_cell",
             "carbon_price_effective", "carbon_price_effective_cell", "electricity_ef_cell",
             "period_end_cell"]
    assert [[row[name] for name in shown] for row in rows] == [
        [str(r), cn, f"{SUMMARY}!F{r}", f"{SUMMARY}!H{r}", "1.74253004705787", f"{SUMMARY}!K{r}",
         due, f"{SUMMARY}!AQ{r}", effective, f"{SUMMARY}!AY{r}", "D_Processes!L66",
         f"{SUMMARY}!G21"]
        for r, cn, due, effective in [(26, "72081000", "30.0", "5.0"),
                                      (27, "72122000", "45.0", "15.0"),
                                      (28, "72139120", "40.0", "20.0"),
                                      (29, "73021028", "50.0", "15.0")]
    ]


def test_a_tidy_sheet_gives_the_cell_of_each_value_and_a_csv_none(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    suppliers = book.active
    suppliers.title = "Suppliers"
    suppliers.append(["supplier_id", "name", "country"])
    suppliers.append(["S1", "Anatolia Steel", "TR"])
    suppliers.append(["S2", "Rhine Cement", "DE"])
    goods = book.create_sheet("CBAM Goods")
    goods["B2"] = "CBAM goods of our suppliers, 2026"  # a title row above the table
    for column, value in zip("BCDE", ["Supplier ID", "CN Code", "SEE Direct", "SEE Total"],
                             strict=True):
        goods[f"{column}4"] = value
    for row, values in [(5, ["S1", "72081000", 1.5, 1.75]), (6, ["S1", "72122000", 1.25, 1.5])]:
        for column, value in zip("BCDE", values, strict=True):
            goods[f"{column}{row}"] = value
    workbook = tmp_path / "importer.xlsx"
    book.save(workbook)
    (tmp_path / "more").mkdir()
    listed = tmp_path / "more" / "CBAM Goods.csv"
    listed.write_text("supplier_id,cn_code,see_total\nS2,25232900,0.9\n")

    rows = goods_csv(workbook, listed, out=tmp_path / "read")

    shown = ["source_sheet", "source_row", "supplier_id", "supplier_id_cell", "cn_code",
             "cn_code_cell", "see_direct", "see_direct_cell", "see_total", "see_total_cell",
             "installation_cell"]
    assert [[row[name] for name in shown] for row in rows] == [
        ["CBAM Goods", "5", "S1", "'CBAM Goods'!B5", "72081000", "'CBAM Goods'!C5",
         "1.5", "'CBAM Goods'!D5", "1.75", "'CBAM Goods'!E5", ""],
        ["CBAM Goods", "6", "S1", "'CBAM Goods'!B6", "72122000", "'CBAM Goods'!C6",
         "1.25", "'CBAM Goods'!D6", "1.5", "'CBAM Goods'!E6", ""],
        ["CBAM Goods", "2", "S2", "", "25232900", "", "", "", "0.9", "", ""],
    ]


@pytest.mark.parametrize(("sheet", "written"), [
    ("Summary_Communication", "Summary_Communication"),
    ("CBAM Goods", "'CBAM Goods'"),
    ("0_Versions", "'0_Versions'"),
    ("AB12", "'AB12'"),  # a cell's name
    ("R1C1", "'R1C1'"),
    ("Bob's goods", "'Bob''s goods'"),
    ("Güter", "'Güter'"),
])
def test_a_sheet_is_named_as_an_excel_reference_names_it(sheet: str, written: str) -> None:
    assert sheet_reference(sheet) == written

"""EU CBAM communication templates (SPEC §3a): the Commission's two filled examples, version 2.1,
read into Suppliers and CBAM Goods rows with exact values."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from esg_audit.load import load_inputs
from esg_audit.load.cbam import (
    NO_CACHED_VALUES,
    derive_supplier_id,
    hidden_rows_and_columns,
)
from esg_audit.model import AuditData
from esg_audit.normalise import normalise
from esg_audit.normalise.column_map import ColumnMap
from esg_audit.schema import validate

REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "cbam"
CEMENT = REAL / "example-cement.xlsx"
STEEL = REAL / "example-steel-blast-furnace.xlsx"
AS_OF = dt.date(2026, 11, 27)
CEMENT_ID = "TR-TRABC-example-cement-producer"
STEEL_ID = "CN-CNABC-example-blast-steelworks"

pytestmark = [
    pytest.mark.real,
    pytest.mark.skipif(not CEMENT.exists() or not STEEL.exists(),
                       reason="../shared/real/cbam is absent"),
]


def audit_data(*paths: Path | str, ids: dict[str, str] | None = None) -> AuditData:
    loaded = load_inputs([str(p) for p in paths])
    column_map = ColumnMap(ids=ids) if ids else None
    normalised = normalise(loaded, column_map=column_map, extra_fields={}, as_of=AS_OF)
    return validate(normalised, as_of=AS_OF)


def goods_records(data: AuditData) -> list[dict[str, object]]:
    assert data.cbam_goods is not None
    frame = data.cbam_goods.drop(columns=["_file"])
    return [{k: (None if v is pd.NA or v is pd.NaT else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def cement_good() -> dict[str, object]:
    return {
        "supplier_id": CEMENT_ID, "installation": "Example Cement Producer",
        "unlocode": "TRABC", "period_start": pd.Timestamp("2023-01-01"),
        "period_end": pd.Timestamp("2023-12-31"), "cn_code": "25232900",
        "good_category": "Cement", "product_name": "Portland Cement Art. Nr. 1", "route": None,
        "see_direct": 0.7852147410358565, "see_indirect": 0.12224275,
        "see_total": 0.9074574910358565, "default_value_share": 0.0, "electricity_ef": 0.833,
        "electricity_ef_source": "D.4(b)", "embedded_electricity_mwh_per_t": 0.14675,
        "carbon_price_due": 50.0, "carbon_price_rebate": 20.0, "carbon_price_effective": 30.0,
        "carbon_price_instrument": None, "currency": None, "verifier": None,
        "template_version": "2.1", "_sheet": "Summary_Communication", "_row": 26,
    }


def steel_goods() -> list[dict[str, object]]:
    common = {
        "supplier_id": STEEL_ID, "installation": "Example Blast Steelworks",
        "unlocode": "CNABC", "period_start": pd.Timestamp("2023-01-01"),
        "period_end": pd.Timestamp("2023-12-31"), "good_category": "Iron or steel products",
        "route": None, "see_direct": 1.53897606455787, "see_indirect": 0.2035539825,
        "see_total": 1.74253004705787, "default_value_share": 0.0, "electricity_ef": 0.589,
        "electricity_ef_source": "Mix", "embedded_electricity_mwh_per_t": 0.3455925,
        "carbon_price_instrument": None, "currency": None, "verifier": None,
        "template_version": "2.1", "_sheet": "Summary_Communication",
    }
    products = [
        ("72081000", "Example name A", 30.0, 25.0, 5.0, 26),
        ("72122000", "Example name B", 45.0, 30.0, 15.0, 27),
        ("72139120", "Example name C", 40.0, 20.0, 20.0, 28),
        ("73021028", "Example name D", 50.0, 35.0, 15.0, 29),
    ]
    return [{**common, "cn_code": cn, "product_name": name, "carbon_price_due": due,
             "carbon_price_rebate": rebate, "carbon_price_effective": effective, "_row": row}
            for cn, name, due, rebate, effective, row in products]


def ordered(record: dict[str, object]) -> dict[str, object]:
    return dict(sorted(record.items()))


def test_the_cement_example_gives_its_one_good_exactly():
    data = audit_data(CEMENT)

    assert [ordered(r) for r in goods_records(data)] == [ordered(cement_good())]
    assert data.data_issues == ()


def test_the_steel_example_gives_its_four_products_exactly():
    data = audit_data(STEEL)

    assert [ordered(r) for r in goods_records(data)] == [ordered(g) for g in steel_goods()]


def test_each_template_gives_one_supplier_row_with_a_derived_id():
    data = audit_data(CEMENT, STEEL)

    rows = data.suppliers[["supplier_id", "name", "country", "category", "_sheet", "_row"]]
    assert rows.astype(object).values.tolist() == [
        [CEMENT_ID, "Example Cement Producer", "TR", "cement", "Summary_Communication", 12],
        [STEEL_ID, "Example Blast Steelworks", "CN", "iron and steel", "Summary_Communication", 12],
    ]
    assert data.cbam_goods is not None
    assert data.cbam_goods["cn_code"].tolist() == [
        "25232900", "72081000", "72122000", "72139120", "73021028"]


def test_every_value_keeps_its_source_cell():
    loaded = load_inputs([str(STEEL)])
    goods = next(s for s in loaded.sheets if s.canonical == "CBAM Goods")
    assert goods.cell_refs is not None
    refs = dict(zip(goods.cells.iloc[0], goods.cell_refs.iloc[2], strict=True))

    assert refs == {
        "supplier_id": None, "installation": "Summary_Communication!G12",
        "unlocode": "Summary_Communication!G17", "period_start": "Summary_Communication!G20",
        "period_end": "Summary_Communication!G21", "cn_code": "Summary_Communication!F27",
        "good_category": "Summary_Communication!E27",
        "product_name": "Summary_Communication!H27", "route": None,
        "see_direct": "Summary_Communication!I27", "see_indirect": "Summary_Communication!J27",
        "see_total": "Summary_Communication!K27",
        "default_value_share": "Summary_Communication!M27",
        "electricity_ef": "D_Processes!L66",
        "electricity_ef_source": "Summary_Communication!N27",
        "embedded_electricity_mwh_per_t": "Summary_Communication!O27",
        "carbon_price_due": "Summary_Communication!AQ27",
        "carbon_price_rebate": "Summary_Communication!AW27",
        "carbon_price_effective": "Summary_Communication!AY27",
        "carbon_price_instrument": "Summary_Communication!AL27",
        "currency": "Summary_Communication!AP27", "verifier": "A_InstData!I37",
        "template_version": "'0_Versions'!E36",
    }


def test_hidden_helper_rows_and_columns_are_read_from_the_package():
    hidden = hidden_rows_and_columns(str(CEMENT), ["Summary_Communication", "A_InstData"])

    rows, columns = hidden["Summary_Communication"]
    assert sorted(rows) == [0, 126, 127]  # Excel rows 1, 127 and 128: the helper markers
    assert sorted(columns) == [0, *range(52, 58)]  # A, and BA to BF
    rows, columns = hidden["A_InstData"]
    assert 0 in columns and 17 in columns and 34 in columns  # A, R (helpers), AI


def test_an_id_map_joins_installations_to_listed_suppliers_without_a_repeat(tmp_path):
    listed = tmp_path / "suppliers.csv"
    listed.write_text("supplier_id,name,category,country\nSUP-9,Anatolia Cement,cement,TR\n")

    data = audit_data(CEMENT, STEEL, listed, ids={CEMENT_ID: "SUP-9"})

    assert data.suppliers["supplier_id"].tolist() == [STEEL_ID, "SUP-9"]
    assert data.suppliers["name"].tolist() == ["Example Blast Steelworks", "Anatolia Cement"]
    assert data.cbam_goods is not None
    assert data.cbam_goods["supplier_id"].tolist() == ["SUP-9"] + [STEEL_ID] * 4
    assert data.data_issues == ()
    assert data.supplier_rows == 2


def test_an_installation_mapped_to_an_unlisted_id_is_a_supplier_of_that_id():
    data = audit_data(CEMENT, ids={CEMENT_ID: "SUP-77"})

    assert data.suppliers["supplier_id"].tolist() == ["SUP-77"]
    assert data.cbam_goods is not None
    assert data.cbam_goods["supplier_id"].tolist() == ["SUP-77"]


def strip_cached_values(source: Path, target: Path) -> None:
    """A copy whose formula cells keep their formulas but lose their cached values, as a
    program that does not calculate would save it."""
    formula_value = re.compile(rb"(<f\b[^>]*(?:/>|>.*?</f>))<v>.*?</v>", re.S)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = formula_value.sub(rb"\1", data)
            new.writestr(item, data)


def test_a_template_saved_without_cached_values_is_a_data_issue_naming_the_file(tmp_path):
    stripped = tmp_path / "uncalculated.xlsx"
    strip_cached_values(CEMENT, stripped)

    data = audit_data(stripped, STEEL)

    assert [(i.file, i.sheet, i.row, i.column, i.problem) for i in data.data_issues] == [
        (str(stripped), "Summary_Communication", None, None, NO_CACHED_VALUES)]
    assert "open and save it in Excel or LibreOffice" in NO_CACHED_VALUES
    assert data.suppliers["supplier_id"].tolist() == [STEEL_ID]
    assert data.cbam_goods is not None
    assert data.cbam_goods["supplier_id"].unique().tolist() == [STEEL_ID]


def test_a_header_that_is_not_the_versions_layout_is_a_data_issue(tmp_path):
    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(CEMENT) as old, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet14.xml":  # Summary_Communication
                data = data.replace(b"<v>CN Codes</v>", b"<v>Codes</v>")
            new.writestr(item, data)

    data = audit_data(changed, STEEL)

    assert [(i.file, i.problem) for i in data.data_issues] == [(
        str(changed),
        "not the layout of EU CBAM template version 2.1: header 'CN Codes' not found in "
        "sheet Summary_Communication; not read",
    )]


def test_derived_ids():
    assert derive_supplier_id("tr", "TR ABC", "Example Cement Producer") == CEMENT_ID
    assert derive_supplier_id("TR", "TRIST", "Çimento Fabrikası A.Ş.") == \
        "TR-TRIST-cimento-fabrikasi-a-s"
    assert derive_supplier_id(None, None, None) == "unnamed-installation"


def _office() -> tuple[str | None, str | None]:
    soffice = shutil.which("soffice")
    python = shutil.which("python3", path="/usr/bin")
    if soffice and python:
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True)
        if probe.returncode != 0:
            python = None
    return soffice, python


def test_a_copy_with_rows_inserted_above_the_blocks_reads_the_same_values(tmp_path):
    soffice, python = _office()
    if not (soffice and python):
        if os.environ.get("CI"):
            pytest.fail("CI needs LibreOffice and its Python bridge (python3-uno)")
        pytest.skip("LibreOffice headless with python3-uno is not installed")
    original = tmp_path / "original.xlsx"  # a writable folder: LibreOffice locks what it opens
    shutil.copyfile(STEEL, original)
    edited = tmp_path / "edited.xlsx"
    script = Path(__file__).parent / "cbam" / "insert_rows.py"
    subprocess.run(
        [python, str(script), str(original), str(edited),
         "A_InstData:17", "Summary_Communication:10", "Summary_Communication:24",
         "D_Processes:11"],
        check=True, capture_output=True, timeout=300,
    )

    data = audit_data(edited)

    moved = [{**good, "_row": int(good["_row"]) + 2} for good in steel_goods()]  # type: ignore[call-overload]
    assert [ordered(r) for r in goods_records(data)] == [ordered(g) for g in moved]
    assert data.suppliers["supplier_id"].tolist() == [STEEL_ID]
    assert data.data_issues == ()

"""A CBAM Goods sheet of an importer's own workbook (SPEC §3a), read like any other sheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from esg_audit.load import load_inputs
from esg_audit.normalise import normalise
from esg_audit.schema import validate

AS_OF = dt.date(2026, 11, 27)


def test_a_tidy_cbam_goods_sheet_is_typed_checked_and_joined(tmp_path):
    (tmp_path / "suppliers.csv").write_text("supplier_id,name,country\nS1,Anatolia,TR\n")
    (tmp_path / "CBAM Goods.csv").write_text(
        "Supplier ID,CN Code,Product Name,SEE Direct,SEE Indirect,SEE Total,"
        "Default Value Share,Period Start,Period End,Electricity EF\n"
        "S1,7208 10 00,Coil,1.5,0.2,1.7,25%,2025-01-01,2025-12-31,0.589\n"
        "S1,7208,Plate,1.5,0.2,1.7,0%,2025-01-01,2025-12-31,-1\n"
        "S9,72081000,Coil,1.5,0.2,1.7,0%,2025-01-01,2025-12-31,0.5\n"
    )
    loaded = load_inputs([str(tmp_path)])
    data = validate(normalise(loaded, column_map=None, extra_fields={}, as_of=AS_OF), as_of=AS_OF)

    goods = data.cbam_goods
    assert goods is not None
    assert goods["supplier_id"].tolist() == ["S1", "S1"]
    assert goods["cn_code"].tolist() == ["72081000", pd.NA]
    assert goods["default_value_share"].tolist() == [0.25, 0.0]
    assert goods["period_end"].tolist() == [pd.Timestamp("2025-12-31")] * 2
    assert goods["electricity_ef"].tolist() == [0.589, pd.NA]
    goods_file = str(tmp_path / "CBAM Goods.csv")
    assert [(i.file, i.row, i.column, i.value, i.problem) for i in data.data_issues] == [
        (goods_file, 3, "CN Code", "7208", "not an 8-digit CN code"),
        (goods_file, 3, "Electricity EF", "-1", "below 0"),
        (goods_file, 4, "Supplier ID", "S9", "supplier_id not in Suppliers"),
    ]

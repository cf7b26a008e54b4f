"""Header row detection and header matching (SPEC §3: Header row, Header names)."""

from __future__ import annotations

import pytest

from esg_audit.errors import InputFileError
from esg_audit.fields import SHEET_FIELDS
from esg_audit.model import Note
from esg_audit.normalise import ColumnMap
from esg_audit.normalise.aliases import ALIASES
from esg_audit.normalise.headers import header_key, snake_case, split_hint


def test_header_key_keeps_only_letters_and_digits_of_any_script():
    assert header_key("Supplier ID") == "supplierid"
    assert header_key("supplier-id") == "supplierid"
    assert header_key("SUPPLIER_ID") == "supplierid"
    assert header_key(" 供应商 编号 ") == "供应商编号"
    assert header_key("Scope 1 (kgCO₂e)") == "scope1kgco2e"


def test_split_hint_takes_a_trailing_parenthesised_unit():
    assert split_hint("Scope 1 (kgCO2e)") == ("Scope 1", "kgCO2e")
    assert split_hint("Energy [kWh]") == ("Energy", "kWh")
    assert split_hint("Renewable share (in %)") == ("Renewable share", "%")
    assert split_hint("年度采购额（元）") == ("年度采购额", "元")
    assert split_hint("Renewable %") == ("Renewable %", None)
    assert split_hint("Supplier ID") == ("Supplier ID", None)


def test_snake_case_of_other_headers():
    assert snake_case("CBAM Embedded tCO2e") == "cbam_embedded_tco2e"
    assert snake_case("  Water use (m3) ") == "water_use_m3"
    assert snake_case("Audit-Score_2025") == "audit_score_2025"


def test_header_row_is_the_first_with_two_recognised_headers(kit):
    sheet = kit.sheet([
        ["Supplier data collection 2026"],
        ["Please fill in every column", None, "Supplier ID"],
        [],
        ["Supplier ID", "Name"],
        ["S1", "Acme"],
    ])
    data = kit.audit(sheet)
    assert kit.column(data, "supplier_id") == ["S1"]
    assert kit.column(data, "name") == ["Acme"]
    assert kit.column(data, "_row") == [5]
    assert data.data_issues == ()


def test_header_row_found_on_row_ten_but_not_eleven(kit):
    title = [["title"]] * 9
    data = kit.audit(kit.sheet([*title, ["Supplier ID", "Name"], ["S1", "Acme"]]))
    assert kit.column(data, "_row") == [11]
    with pytest.raises(InputFileError) as error:
        kit.audit(kit.sheet([*title, ["note"], ["Supplier ID", "Name"], ["S1", "Acme"]],
                            file="late.xlsx", sheet="Lieferanten"))
    assert error.value.location.file == "late.xlsx"
    assert error.value.location.sheet == "Lieferanten"
    assert "no header row" in error.value.message


def test_one_recognised_header_is_not_a_header_row(kit):
    with pytest.raises(InputFileError, match="no header row"):
        kit.audit(kit.sheet([["Supplier ID", "Whatever"], ["S1", "x"]]))


def test_missing_supplier_id_column_is_an_input_error_naming_file_and_sheet(kit):
    certificates = kit.sheet([["Standard", "Issuer"], ["ISO 14001", "TÜV"]], "Certificates",
                             file="certs.xlsx", sheet="Zertifikate")
    with pytest.raises(InputFileError) as error:
        kit.audit(kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]), certificates)
    assert error.value.location.file == "certs.xlsx"
    assert error.value.location.sheet == "Zertifikate"
    assert error.value.message.startswith("no supplier_id column")


def test_empty_optional_sheet_is_present_but_has_no_rows(kit):
    data = kit.audit(kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]),
                     kit.sheet([[None, None], []], "Materials"))
    assert data.materials is not None
    assert list(data.materials.columns) == ["material", "supplier_id", "core", "qualified",
                                            "_file", "_sheet", "_row"]
    assert len(data.materials) == 0
    assert data.certificates is None and data.emissions is None


@pytest.mark.parametrize("header, field", [
    ("Supplier ID", "supplier_id"), ("supplier-id", "supplier_id"), ("SUPPLIER_ID", "supplier_id"),
    ("Vendor ID", "supplier_id"), ("Vendor No.", "supplier_id"), ("Supplier No", "supplier_id"),
    ("Supplier Code", "supplier_id"), ("供应商编号", "supplier_id"), ("供应商代码", "supplier_id"),
    ("Supplier Name", "name"), ("Vendor Name", "name"), ("Company", "name"),
    ("供应商名称", "name"), ("Country Code", "country"), ("国家", "country"),
    ("类别", "category"), ("Spend", "annual_spend"), ("Annual Spend (EUR)", "annual_spend"),
    ("Annual Spend (USD)", "annual_spend"), ("年度采购额", "annual_spend"),
    ("Renewable Electricity %", "renewable_share"), ("Renewable %", "renewable_share"),
    ("可再生能源比例", "renewable_share"), ("能源消耗", "energy_mwh"), ("Energy", "energy_mwh"),
    ("Scope 1", "scope1_tco2e"), ("Scope 1 Emissions", "scope1_tco2e"),
    ("范围一排放", "scope1_tco2e"), ("范围二排放", "scope2_tco2e"), ("范围三排放", "scope3_tco2e"),
    ("Revenue", "revenue_musd"), ("Turnover", "revenue_musd"), ("营业收入", "revenue_musd"),
    ("Revenue (MUSD)", "revenue_musd"), ("报告年度", "reporting_year"), ("Year", "reporting_year"),
    ("OTD", "on_time_delivery"), ("On-time Delivery", "on_time_delivery"),
    ("准时交付率", "on_time_delivery"), ("Defects (ppm)", "defect_ppm"), ("PPM", "defect_ppm"),
    ("缺陷率", "defect_ppm"), ("价格指数", "price_index"), ("SBTi", "sbti_target"),
    ("SBTi Target", "sbti_target"), ("科学碳目标", "sbti_target"),
])
def test_supplier_header_aliases(kit, header, field):
    other = "Category" if field == "supplier_id" else "Supplier ID"
    data = kit.normalise(kit.sheet([[other, header], ["x", "S1"]]))
    assert field in data.suppliers.frame.columns
    extra = [c for c in data.suppliers.frame.columns
             if c not in {f.name for f in SHEET_FIELDS["Suppliers"]} and not c.startswith("_")]
    assert extra == []
    assert data.suppliers.sources[("book.xlsx", "Suppliers")].columns[field].header == header


@pytest.mark.parametrize("sheet, header, field", [
    ("Certificates", "Cert No.", "certificate_no"), ("Certificates", "Certification Body", "issuer"),
    ("Certificates", "Issuer", "issuer"), ("Certificates", "Valid From", "valid_from"),
    ("Certificates", "Valid To", "valid_until"), ("Certificates", "Expiry Date", "valid_until"),
    ("Certificates", "Expires", "valid_until"), ("Certificates", "Standard", "standard"),
    ("Certificates", "Certificate", "standard"), ("Certificates", "证书编号", "certificate_no"),
    ("Certificates", "标准", "standard"), ("Certificates", "发证机构", "issuer"),
    ("Certificates", "生效日期", "valid_from"), ("Certificates", "有效期至", "valid_until"),
    ("Certificates", "状态", "status"), ("Emissions", "Year", "year"),
    ("Emissions", "年份", "year"), ("Emissions", "Scope 2 (tCO2e)", "scope2_tco2e"),
    ("Materials", "Material", "material"), ("Materials", "Core", "core"),
    ("Materials", "Qualified", "qualified"), ("Materials", "物料", "material"),
    ("Materials", "核心", "core"), ("Materials", "合格", "qualified"),
])
def test_other_sheet_aliases(kit, sheet, header, field):
    data = kit.normalise(kit.sheet([["Supplier ID", "Name"], ["S1", "A"]]),
                         kit.sheet([["Vendor ID", header], ["S1", None]], sheet))
    source = getattr(data, sheet.lower()).sources[("book.xlsx", sheet)]
    assert source.columns[field].header == header
    assert source.columns["supplier_id"].header == "Vendor ID"


def test_no_alias_names_two_fields_of_one_sheet():
    for sheet, fields in ALIASES.items():
        owner: dict[str, str] = {}
        for name, aliases in fields.items():
            assert name in {f.name for f in SHEET_FIELDS[sheet]}
            for alias in aliases:
                assert owner.setdefault(header_key(alias), name) == name, (sheet, alias)


def test_canonical_name_without_unit_suffix_and_with_unit_hint(kit):
    data = kit.audit(kit.suppliers(
        ["Scope 1 (kgCO2e)", "Scope 2 (t)", "Scope 3 (MtCO2e)", "Energy (kWh)",
         "Revenue (MUSD)", "energy_mwh"],
        ["S1", 1500, 2.5, 0.25, 2000, 12.5, 7],
    ))
    assert kit.column(data, "scope1_tco2e") == [1.5]
    assert kit.column(data, "scope2_tco2e") == [2.5]
    assert kit.column(data, "scope3_tco2e") == [250000.0]
    assert kit.column(data, "energy_mwh") == [2.0]
    assert kit.column(data, "revenue_musd") == [12.5]
    assert kit.column(data, "energy_mwh_2") == ["7"]  # a second energy column is kept as text
    assert Note("book.xlsx", "Suppliers", "energy_mwh",
                "also names energy_mwh, already given by column 'Energy (kWh)'; "
                "kept as an extra column") in data.notes


def test_unit_written_after_the_name_without_parentheses(kit):
    data = kit.audit(kit.suppliers(["Scope 1 kgCO2e", "Energy GWh"], ["S1", 1200, 1.5]))
    assert kit.column(data, "scope1_tco2e") == [1.2]
    assert kit.column(data, "energy_mwh") == [1500.0]


def test_unknown_unit_hint_keeps_the_column_apart_with_a_note(kit):
    data = kit.audit(kit.suppliers(["Scope 1 (lbs)"], ["S1", 1000]))
    assert kit.column(data, "scope1_tco2e") == [None]
    assert kit.column(data, "scope_1_lbs") == ["1000"]
    assert data.notes == (Note("book.xlsx", "Suppliers", "Scope 1 (lbs)",
                               "unit 'lbs' not understood for scope1_tco2e; "
                               "kept as an extra column"),)


def test_user_mapping_wins_over_builtin_aliases(kit):
    mapping = ColumnMap({"Suppliers": {"Company": "category"}, "*": {"Account": "supplier_id"}})
    data = kit.audit(kit.sheet([["Account", "Company", "Supplier Name"],
                                ["A-1", "metals", "Acme"]]), column_map=mapping)
    assert kit.column(data, "supplier_id") == ["A-1"]
    assert kit.column(data, "category") == ["metals"]
    assert kit.column(data, "name") == ["Acme"]


def test_user_mapping_for_one_sheet_does_not_apply_to_another(kit):
    mapping = ColumnMap({"Emissions": {"tonnes_co2": "scope1_tco2e"},
                         "*": {"account_id": "supplier_id"}})
    data = kit.audit(
        kit.sheet([["account_id", "name", "tonnes_co2"], ["1", "A", "5"]]),
        kit.sheet([["account_id", "year", "tonnes_co2"], ["1", "2020", "5"]], "Emissions"),
        column_map=mapping,
    )
    assert kit.column(data, "scope1_tco2e") == [None]
    assert kit.column(data, "tonnes_co2") == ["5"]
    assert kit.column(data, "scope1_tco2e", "emissions") == [5.0]


def test_user_mapping_headers_are_folded_like_headers(kit):
    mapping = ColumnMap({"emissions": {"Tonnes CO2": "scope1_tco2e"}})
    data = kit.audit(kit.sheet([["Supplier ID", "Name"], ["1", "A"]]),
                     kit.sheet([["supplier_id", "tonnes_co2 (kg)"], ["1", "5000"]], "Emissions"),
                     column_map=mapping)
    assert kit.column(data, "scope1_tco2e", "emissions") == [5.0]


def test_declared_pack_fields_are_typed_and_always_present(kit):
    data = kit.audit(
        kit.suppliers(["CBAM Embedded tCO2e", "Audited", "Site Notes"],
                      ["S1", "1,200.5", "yes", " keep "], ["S2", "n/a", "no", None]),
        extra_fields={"cbam_embedded_tco2e": "number", "audited": "bool",
                      "last_audit": "date"},
    )
    frame = data.suppliers
    assert kit.column(data, "cbam_embedded_tco2e") == [1200.5, None]
    assert str(frame["cbam_embedded_tco2e"].dtype) == "Float64"
    assert kit.column(data, "audited") == [True, False]
    assert str(frame["audited"].dtype) == "boolean"
    assert kit.column(data, "last_audit") == [None, None]
    assert str(frame["last_audit"].dtype) == "datetime64[ns]"
    assert kit.column(data, "site_notes") == ["keep", None]
    assert str(frame["site_notes"].dtype) == "string"
    assert data.notes == (
        Note("book.xlsx", "Suppliers", "CBAM Embedded tCO2e", "1 cell read as missing (n/a)"),
        Note("book.xlsx", "Suppliers", "Site Notes", "column not recognised; kept as site_notes"),
    )


def test_columns_without_a_header(kit):
    data = kit.audit(kit.sheet([["Supplier ID", "Name", None, None], ["S1", "A", "stray", None]]))
    assert kit.column(data, "column_3") == ["stray"]
    assert "column_4" not in data.suppliers.columns


def test_a_bare_vendor_column_beside_a_vendor_name_is_the_id(kit):
    data = kit.audit(kit.sheet([["Vendor", "Vendor Name", "Country"], ["V-1", "Acme", "DE"]]))
    assert kit.column(data, "supplier_id") == ["V-1"]
    assert kit.column(data, "name") == ["Acme"]
    assert data.notes == ()
    alone = kit.audit(kit.sheet([["Supplier Number", "Vendor"], ["V-1", "Acme"]]))
    assert kit.column(alone, "supplier_id") == ["V-1"]
    assert kit.column(alone, "name") == ["Acme"]


def test_export_headers_of_procurement_suites(kit):
    data = kit.audit(kit.sheet([
        ["Account Number of Supplier", "Name of Supplier", "Country/Region", "Vendor Group",
         "Total Spend Amount (USD)"],
        ["100234", "Acme", "Germany", "Metals", 1200],
    ]))
    assert [kit.column(data, f)[0] for f in
            ("supplier_id", "name", "country", "category", "annual_spend")] == [
        "100234", "Acme", "DE", "Metals", 1200.0]
    assert [(n.column, n.note) for n in data.notes] == [
        ("Country/Region", "1 cell read as ISO 3166-1 alpha-2 codes (Germany → DE)"),
        ("Total Spend Amount (USD)", "amounts in USD, as written (no currency is converted)"),
    ]


def test_unrecognised_columns_are_noted_and_read_as_decided(kit):
    data = kit.audit(kit.sheet([
        ["Supplier ID", "Name", "Payment Terms", None, "Scope 1 (kgCO2e)", "Renewable %"],
        ["S1", "Acme", "NT30", "stray", 1200, 45],
    ]))
    assert [(n.column, n.note) for n in data.notes] == [
        ("Payment Terms", "column not recognised; kept as payment_terms"),
        (None, "column not recognised; kept as column_4"),
        ("Renewable %", "read as percent (values above 1, all within [0, 100]) and divided by 100"),
    ]
    (reading,) = data.readings
    assert (reading.file, reading.sheet, reading.kind, reading.header_row, reading.rows) == (
        "book.xlsx", "Suppliers", "Suppliers", 1, 1)
    assert [(c.header, c.field, c.matched_by, c.unit, c.conversion, c.share)
            for c in reading.columns] == [
        ("Supplier ID", "supplier_id", "canonical", None, None, None),
        ("Name", "name", "canonical", None, None, None),
        ("Payment Terms", "payment_terms", "not recognised", None, None, None),
        ("", "column_4", "not recognised", None, None, None),
        ("Scope 1 (kgCO2e)", "scope1_tco2e", "canonical", "kgCO2e", "kgCO2e -> tCO2e, x 0.001",
         None),
        ("Renewable %", "renewable_share", "alias", None, None, "percent"),
    ]
    assert [c.header for c in data.unrecognised_columns] == ["Payment Terms", ""]

"""Built-in header aliases per sheet: the column names suppliers actually send, English and Chinese.

Aliases are written as a person would type them; they are compared after the same folding as
headers (lower-case, letters and digits only), so "Vendor No." also covers "vendor-no". A
canonical field's own name, with or without its unit suffix, needs no alias.

Besides what suppliers type, the Suppliers aliases cover the column names of supplier-master
and spend exports, taken from the vendors' published field lists:
- SAP S/4HANA: the Supplier API (A_Supplier: `Supplier`, `SupplierName`, `SupplierFullName`,
  `Industry`) and the field labels of its master data ("Account Number of Supplier", "Name of
  Supplier", "Country/Region" as S/4HANA labels the country key); SAP Ariba's supplier data
  extraction uses the same names.
- Coupa: Suppliers export and Supplier Information export of the core flat files (`Name`,
  `Supplier Number`, `Supplier ID`, `Display Name`, `Company Name`, `Commodity`, `Industry`),
  Risk Assess supplier import (`SupplierNumber`, `SupplierName`) and the supplier diversity
  spend export (`Total Spend`, `Currency`).
- Oracle Fusion Procurement: supplier import and the spend classification interface
  (`Supplier Number`, `Supplier Name`, `SUPPLIER_NAME`).
- Microsoft Dynamics 365 Finance: the vendors entities (`VendorAccountNumber`,
  `VendorOrganizationName`, `AddressCountryRegionId`, `VendorGroupId`) and the vendor table
  (`AccountNum`, `Name`, `CountryRegionId`, `VendGroup`); Business Central's vendor (`No.`,
  `number`, `displayName`, `Country/Region Code`).
- Workday Financial Management: suppliers (`Supplier ID`, `Supplier Name`, `Supplier
  Category`).
- JAGGAER's export field lists are not public, so no name is taken from it.
A trailing `(EUR)` in a spend header is a unit hint: the spend keeps its value and a note names
the currency.
"""

from __future__ import annotations

_SUPPLIER_ID = (
    "Supplier ID", "Supplier No", "Supplier No.", "Supplier Number", "Supplier Code",
    "Supplier Ref", "Supplier Reference", "Supplier Account", "Supplier Key",
    "Vendor ID", "Vendor No", "Vendor No.", "Vendor Number", "Vendor Code", "Vendor Account",
    "Vendor Key", "Creditor ID", "Creditor No", "Business Partner", "Business Partner ID",
    "BP Number", "Partner ID", "Lieferantennummer", "Lieferanten-Nr.", "Kreditor",
    "Account Number of Supplier", "Supplier Account Number", "Vendor Account Number",
    "AccountNum", "Vendor Account No", "ERP Supplier ID", "ERP Vendor ID",
    "供应商编号", "供应商代码", "供应商编码", "供应商ID", "供应商号",
)
_SCOPE = {
    1: ("Scope 1", "Scope 1 Emissions", "Scope 1 GHG", "Scope 1 CO2e", "Scope 1 GHG Emissions",
        "Direct Emissions", "范围一排放", "范围1排放", "范围一", "范围一温室气体排放"),
    2: ("Scope 2", "Scope 2 Emissions", "Scope 2 GHG", "Scope 2 CO2e", "Scope 2 GHG Emissions",
        "Scope 2 Market-based", "Scope 2 Location-based",
        "范围二排放", "范围2排放", "范围二", "范围二温室气体排放"),
    3: ("Scope 3", "Scope 3 Emissions", "Scope 3 GHG", "Scope 3 CO2e", "Scope 3 GHG Emissions",
        "Value Chain Emissions", "范围三排放", "范围3排放", "范围三", "范围三温室气体排放"),
}
_SCOPES = {f"scope{n}_tco2e": names for n, names in _SCOPE.items()}

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "Suppliers": {
        "supplier_id": _SUPPLIER_ID + ("ID",),
        "name": (
            "Supplier Name", "Vendor Name", "Vendor", "Supplier", "Company", "Company Name", "Legal Name",
            "Legal Entity", "Business Name", "Organisation", "Organization",
            "Name of Supplier", "Supplier Full Name", "Display Name", "Vendor Organization Name",
            "Supplier Legal Name", "Legal Company Name",
            "供应商名称", "供应商", "公司名称", "名称", "企业名称",
        ),
        "country": (
            "Country Code", "Country ISO", "ISO Country", "ISO Country Code", "Country of Origin",
            "Nation", "Country/Region", "Country/Region Code", "Country Region",
            "CountryRegionId", "Address Country Region Id", "Country Key", "Country Name",
            "Supplier Country", "Vendor Country", "Primary Address Country",
            "Primary Address Country Code", "国家", "国家代码", "国别", "国家/地区",
        ),
        "category": (
            "Supplier Category", "Commodity", "Commodity Group", "Spend Category", "Segment",
            "Supplier Type", "Vendor Group", "VendGroup", "Vendor Group Id", "Supplier Group",
            "Industry", "Category Name", "Purchasing Category", "类别", "品类", "供应商类别",
        ),
        "annual_spend": (
            "Spend", "Annual Spend", "Total Spend", "Yearly Spend", "Spend Amount",
            "Purchase Volume", "Purchasing Volume", "Procurement Spend", "Annual Purchase",
            "Annual Purchases", "Total Spend Amount", "Spend Last 12 Months", "Invoiced Spend",
            "Invoice Spend", "Spend Volume", "年度采购额", "采购额", "年采购额", "采购金额",
        ),
        "renewable_share": (
            "Renewable", "Renewables", "Renewable Electricity", "Renewable Electricity Share",
            "Renewable Energy", "Renewable Energy Share", "Share Renewable", "RE Share",
            "Renewable Power Share", "可再生能源比例", "可再生能源占比", "可再生电力比例",
            "可再生能源使用比例",
        ),
        "energy_mwh": (
            "Energy Consumption", "Energy Use", "Total Energy", "Total Energy Consumption",
            "Energy Usage", "能源消耗", "能耗", "能源消耗量", "总能耗",
        ),
        **_SCOPES,
        "revenue_musd": (
            "Revenue", "Turnover", "Sales", "Annual Revenue", "Annual Turnover", "Net Sales",
            "营业收入", "营收", "收入", "年营业额",
        ),
        "reporting_year": (
            "Year", "Reporting Year", "Report Year", "Fiscal Year", "FY", "Reporting Period",
            "报告年度", "报告年份", "年度", "年份",
        ),
        "on_time_delivery": (
            "OTD", "On-time Delivery", "On Time Delivery Rate", "On-time Delivery %",
            "Delivery Performance", "Delivery Reliability", "准时交付率", "准时交货率", "准时交付",
        ),
        "defect_ppm": (
            "Defects", "Defects (ppm)", "Defect Rate", "PPM", "Defect PPM", "Quality PPM",
            "Defective PPM", "缺陷率", "不良率", "缺陷ppm",
        ),
        "price_index": ("Price Index", "Price Level", "Price Competitiveness", "价格指数"),
        "sbti_target": (
            "SBTi", "SBTi Target", "SBT", "Science Based Target", "Science-based Targets",
            "SBTi Commitment", "SBTi Validated", "科学碳目标", "科学碳目标倡议",
        ),
    },
    "Certificates": {
        "supplier_id": _SUPPLIER_ID,
        "standard": (
            "Standard", "Certificate", "Certification", "Certificate Type", "Norm", "Scheme",
            "Management System", "标准", "证书", "认证标准", "证书类型", "认证类型",
        ),
        "certificate_no": (
            "Cert No", "Cert No.", "Certificate No", "Certificate No.", "Certificate Number",
            "Cert Number", "Certificate ID", "Cert ID", "Registration Number",
            "Registration No", "证书编号", "证书号", "证书号码",
        ),
        "issuer": (
            "Issuer", "Certification Body", "Certifier", "Registrar", "Issued By", "CB",
            "Issuing Body", "Certifying Body", "发证机构", "认证机构", "颁发机构", "发证单位",
        ),
        "valid_from": (
            "Valid From", "Issue Date", "Issued", "Issued On", "Date of Issue", "Start Date",
            "Effective Date", "Effective From", "生效日期", "发证日期", "颁发日期",
        ),
        "valid_until": (
            "Valid To", "Valid Until", "Valid Till", "Valid Thru", "Expiry", "Expiry Date",
            "Expiration", "Expiration Date", "Expires", "Expires On", "End Date",
            "有效期至", "到期日期", "失效日期", "有效期", "截止日期",
        ),
        "status": ("Status", "Certificate Status", "Cert Status", "状态", "证书状态"),
    },
    "Emissions": {
        "supplier_id": _SUPPLIER_ID,
        "year": (
            "Year", "Reporting Year", "Report Year", "Fiscal Year", "FY",
            "年份", "年度", "报告年度", "报告年份",
        ),
        **_SCOPES,
    },
    "Materials": {
        "material": (
            "Material", "Material No", "Material Number", "Material ID", "Material Code",
            "Part", "Part No", "Part Number", "Item", "Item No", "SKU",
            "物料", "物料编号", "物料代码", "材料", "零件号",
        ),
        "supplier_id": _SUPPLIER_ID,
        "core": (
            "Core", "Core Material", "Critical", "Critical Material", "Strategic",
            "核心", "核心物料", "关键物料",
        ),
        "qualified": (
            "Qualified", "Approved", "Qualification", "Approved Supplier", "Qualified Supplier",
            "Released", "合格", "合格供应商", "已认证", "已批准",
        ),
    },
    # The EU CBAM communication template's own English labels and headers (SPEC §3a), so that
    # a sheet copied from its summary table reads as CBAM Goods.
    "CBAM Goods": {
        "supplier_id": _SUPPLIER_ID,
        "installation": ("Installation", "Installation Name", "Name of the installation"),
        "unlocode": ("UN/LOCODE", "UNLOCODE", "UN LOCODE", "LOCODE"),
        "period_start": ("Period Start", "Reporting Period Start", "Start of Reporting Period"),
        "period_end": ("Period End", "Reporting Period End", "End of Reporting Period"),
        "cn_code": ("CN Code", "CN Codes", "CN", "CN Number", "Combined Nomenclature Code"),
        "good_category": (
            "Good Category", "Goods Category", "Aggregated Goods Category",
            "Type of aggregated good or precursor",
        ),
        "product_name": ("Product", "Product Name", "Good", "Goods"),
        "route": ("Route", "Production Route"),
        "see_direct": ("SEE Direct", "Direct SEE", "Specific Embedded Emissions Direct"),
        "see_indirect": ("SEE Indirect", "Indirect SEE", "Specific Embedded Emissions Indirect"),
        "see_total": ("SEE Total", "Total SEE", "SEE", "Specific Embedded Emissions"),
        "default_value_share": (
            "Default Value Share", "Share of Default Values", "Share of emissions by default value",
        ),
        "electricity_ef": ("Electricity EF", "Electricity Emission Factor", "EF of Electricity"),
        "electricity_ef_source": (
            "Electricity EF Source", "Source for electricity EF", "Source of electricity EF",
        ),
        "embedded_electricity_mwh_per_t": ("Embedded Electricity", "Embedded Electricity MWh/t"),
        "carbon_price_due": ("Carbon Price Due", "CP Due", "Carbon price (CP) due"),
        "carbon_price_rebate": ("Carbon Price Rebate", "Rebate", "Amount of Rebate"),
        "carbon_price_effective": (
            "Carbon Price Effective", "Effective Carbon Price", "Effective CP Due",
            "Result: Effective CP due",
        ),
        "carbon_price_instrument": (
            "Carbon Price Instrument", "Carbon Pricing Instrument",
            "Type of instrument (carbon pricing)",
        ),
        "currency": ("Currency", "Carbon Price Currency"),
        "verifier": ("Verifier", "Verification Body", "Accredited Verifier"),
        "template_version": ("Template Version", "Version"),
    },
}

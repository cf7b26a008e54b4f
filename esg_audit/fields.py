"""The canonical fields of each sheet, with their types: described once, used by every stage.

Types: `text`, `number`, `year`, `bool`, `date`, `share` (a fraction in [0, 1], also given as
percent), `standard` (a certification standard name, normalised to e.g. "ISO 14001").
`unit` names the canonical unit kind of a number field: `co2` (tCO2e) or `energy` (MWh).
`minimum`/`exclusive_minimum` give the lower bound checked on validation.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELD_TYPES = ("text", "number", "year", "bool", "date", "share", "standard")
DECLARABLE_TYPES = ("number", "text", "date", "bool")  # what a pack's `fields:` may declare


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    unit: str | None = None  # "co2" | "energy" | None
    minimum: float | None = None
    exclusive_minimum: float | None = None
    required: bool = False
    default: object = None  # value taken where the cell is blank


def _f(name: str, type_: str, **kw: object) -> Field:
    return Field(name, type_, **kw)  # type: ignore[arg-type]


SUPPLIER_FIELDS: tuple[Field, ...] = (
    _f("supplier_id", "text", required=True),
    _f("name", "text"),
    _f("country", "text"),
    _f("category", "text"),
    _f("annual_spend", "number", minimum=0),
    _f("renewable_share", "share"),
    _f("energy_mwh", "number", unit="energy", minimum=0),
    _f("scope1_tco2e", "number", unit="co2", minimum=0),
    _f("scope2_tco2e", "number", unit="co2", minimum=0),
    _f("scope3_tco2e", "number", unit="co2", minimum=0),
    _f("revenue_musd", "number", minimum=0),
    _f("reporting_year", "year"),
    _f("on_time_delivery", "share"),
    _f("defect_ppm", "number", minimum=0),
    _f("price_index", "number", exclusive_minimum=0),
    _f("sbti_target", "bool"),
)

CERTIFICATE_FIELDS: tuple[Field, ...] = (
    _f("supplier_id", "text", required=True),
    _f("standard", "standard"),
    _f("certificate_no", "text"),
    _f("issuer", "text"),
    _f("valid_from", "date"),
    _f("valid_until", "date"),
    _f("status", "text"),
)

EMISSION_FIELDS: tuple[Field, ...] = (
    _f("supplier_id", "text", required=True),
    _f("year", "year"),
    _f("scope1_tco2e", "number", unit="co2", minimum=0),
    _f("scope2_tco2e", "number", unit="co2", minimum=0),
    _f("scope3_tco2e", "number", unit="co2", minimum=0),
)

MATERIAL_FIELDS: tuple[Field, ...] = (
    _f("material", "text"),
    _f("supplier_id", "text", required=True),
    _f("core", "bool"),
    _f("qualified", "bool", default=True),
)

# SPEC §3a: one row per supplier x good. SEE (specific embedded emissions) in tCO2e per tonne
# of good (per MWh for electricity); carbon prices per tonne (or MWh) in `currency`.
CBAM_GOODS_FIELDS: tuple[Field, ...] = (
    _f("supplier_id", "text", required=True),
    _f("installation", "text"),
    _f("unlocode", "text"),
    _f("period_start", "date"),
    _f("period_end", "date"),
    _f("cn_code", "text"),
    _f("good_category", "text"),
    _f("product_name", "text"),
    _f("route", "text"),
    _f("see_direct", "number"),
    _f("see_indirect", "number"),
    _f("see_total", "number"),
    _f("default_value_share", "share"),
    _f("electricity_ef", "number", minimum=0),
    _f("electricity_ef_source", "text"),
    _f("embedded_electricity_mwh_per_t", "number", minimum=0),
    _f("carbon_price_due", "number", minimum=0),
    _f("carbon_price_rebate", "number", minimum=0),
    _f("carbon_price_effective", "number"),
    _f("carbon_price_instrument", "text"),
    _f("currency", "text"),
    _f("verifier", "text"),
    _f("template_version", "text"),
)

SHEET_FIELDS: dict[str, tuple[Field, ...]] = {
    "Suppliers": SUPPLIER_FIELDS,
    "Certificates": CERTIFICATE_FIELDS,
    "Emissions": EMISSION_FIELDS,
    "Materials": MATERIAL_FIELDS,
    "CBAM Goods": CBAM_GOODS_FIELDS,
}

CERTIFICATE_STATUSES = ("active", "suspended", "withdrawn", "expired")
# Chinese labels of the statuses (the Chinese template's drop-down offers the first of each),
# read back as the status.
CERTIFICATE_STATUS_LABELS_ZH = {"active": "有效", "suspended": "暂停", "withdrawn": "撤销",
                                "expired": "过期"}
CERTIFICATE_STATUS_ALIASES = {
    **{label: status for status, label in CERTIFICATE_STATUS_LABELS_ZH.items()},
    "已暂停": "suspended", "已撤销": "withdrawn", "已过期": "expired",
}
# Certificates column set by validation: True where the status cell held something other than
# the four statuses. The cell itself becomes missing, but a certificate whose status was written
# and not understood must never count as valid the way a blank (active) status does.
INVALID_STATUS = "_status_invalid"

# Canonical number fields whose name carries a unit suffix that a header may leave out
# (`Revenue (MUSD)` is `revenue_musd`, `Scope 1 (kgCO2e)` is `scope1_tco2e` in kg).
UNIT_SUFFIXES = ("_tco2e", "_mwh", "_musd")


def field_of(sheet: str, name: str) -> Field | None:
    for f in SHEET_FIELDS.get(sheet, ()):
        if f.name == name:
            return f
    return None

"""Units written in headers or cells: CO2e masses, energy, revenue scale, ppm, and percent.

A unit is read as a power of ten relative to the canonical unit (tCO2e, MWh, MUSD, ppm), so that
converting never adds binary rounding noise: 1200 kg is 1200 / 10**3 t, exactly 1.2.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

PERCENT_HINTS = frozenset({"%", "percent", "pct", "百分比", "％"})

_CO2_MASS = {
    "t": 0, "tonne": 0, "tonnes": 0, "ton": 0, "tons": 0, "metricton": 0, "metrictons": 0,
    # "MT"/"mt" is the US abbreviation of metric tons; megatonnes are written "Mt" (see below).
    "mt": 0, "kg": -3, "kilogram": -3, "kilograms": -3, "g": -6, "kt": 3, "kilotonnes": 3,
    "吨": 0, "公吨": 0, "千克": -3, "公斤": -3, "千吨": 3, "万吨": 4,
}
_CO2_GAS = ("", "co2", "co2e", "co2eq", "co2equivalent", "co2equivalents", "ghg",
            "二氧化碳", "二氧化碳当量")
_ENERGY = {
    "wh": -6, "kwh": -3, "mwh": 0, "gwh": 3, "twh": 6,
    "千瓦时": -3, "度": -3, "兆瓦时": 0, "吉瓦时": 3,
}
_REVENUE = {
    "musd": 0, "usdm": 0, "usdmn": 0, "mnusd": 0, "usdmio": 0, "miousd": 0, "millionusd": 0,
    "usdmillion": 0, "usdmillions": 0, "musdollar": 0,
    "kusd": -3, "tusd": -3, "usdk": -3, "thousandusd": -3, "usdthousand": -3,
    "usd": -6, "bnusd": 3, "usdbn": 3, "billionusd": 3, "usdbillion": 3,
}
_PPM = {"ppm": 0, "%": 4, "percent": 4, "pct": 4, "百分比": 4}  # defect rates: 1% = 10,000 ppm
_MEGATONNES = re.compile(r"^Mt\s*(?:CO2(?:e|eq|-eq)?)?$")

CO2_UNITS: dict[str, int] = {m + g: e for m, e in _CO2_MASS.items() for g in _CO2_GAS}
UNIT_TABLES: dict[str, dict[str, int]] = {
    "co2": CO2_UNITS, "energy": _ENERGY, "revenue": _REVENUE, "ppm": _PPM,
}


def unit_key(text: str) -> str:
    """A unit as compared: NFKC, lower-case, letters and digits only ("kg CO₂e" -> "kgco2e")."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def unit_exponent(kind: str, text: str) -> int | None:
    """Power of ten from the unit `text` to the canonical unit of `kind`; None if unknown."""
    if kind == "co2" and _MEGATONNES.match(unicodedata.normalize("NFKC", text).strip()):
        return 6
    return UNIT_TABLES[kind].get(unit_key(text) or text.strip())


def is_percent(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return folded in PERCENT_HINTS


def scale(values: np.ndarray, exponent: int) -> np.ndarray:
    """values x 10**exponent, dividing for negative exponents so 1200 kg is exactly 1.2 t."""
    if exponent == 0:
        return values
    if exponent > 0:
        with np.errstate(over="ignore"):  # past a float's range: inf, read as an issue
            return values * 10.0**exponent
    return values / 10.0 ** (-exponent)

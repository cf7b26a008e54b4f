"""Certification standards and which certificates are valid on the as-of date.

Shared by the `certificate` check kind and the expression function `has_certificate`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from esg_audit.fields import INVALID_STATUS
from esg_audit.standards import normalise_standard as read_standard

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd


def normalise_standard(text: object) -> str | None:
    """The standard's canonical name, read as the normaliser reads the input (`ISO14001`,
    `iso 14001:2015` -> `ISO 14001`; `ISO/IEC 27001:2022` -> `ISO 27001`). None when blank."""
    if not isinstance(text, str) or not text.strip():
        return None
    return read_standard(text)[0]


def standard_edition(text: object) -> int | None:
    """The edition year written after the standard (`ISO 27001:2013` -> 2013), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return read_standard(text)[1]


def _column(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype=dtype)


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    column = frame[name] if name in frame.columns else pd.Series(pd.NaT, index=frame.index)
    if not pd.api.types.is_datetime64_any_dtype(column):
        column = pd.to_datetime(column, errors="coerce")
    return column.dt.normalize()


def _where_value(column: pd.Series, accept: Callable[[str | None], bool]) -> np.ndarray:
    """True for the rows whose value `accept` takes (None for a missing one). Each distinct
    value is tested once: these columns hold few distinct values."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    accepted = np.array([accept(u) for u in uniques] + [accept(None)], dtype=bool)
    return accepted[codes]  # code -1 (missing) picks the trailing entry


def _folded(value: object) -> str:
    return str(value).strip().casefold() if value is not None else ""


def _readings(certificates: pd.DataFrame) -> dict[str, Any]:
    """What validity needs of each certificate row, read once per frame: the canonical
    standard (code into `standards`), whether the status counts as active, the issuer (code
    into `issuers`, folded) and the normalised dates."""
    standard_codes, standard_values = pd.factorize(_column(certificates, "standard", "string"), use_na_sentinel=True)
    standards = [(normalise_standard(u) or "").casefold() for u in standard_values] + [""]
    status_ok = _where_value(_column(certificates, "status", "string"), lambda u: _folded(u) in ("", "active"))
    if INVALID_STATUS in certificates.columns:  # a status that was written but not understood
        status_ok &= ~certificates[INVALID_STATUS].to_numpy(dtype=bool)
    issuer_codes, issuer_values = pd.factorize(_column(certificates, "issuer", "string"), use_na_sentinel=True)
    return {
        "standard": np.where(standard_codes < 0, len(standards) - 1, standard_codes),
        "standards": np.array(standards, dtype=object),
        "status_ok": status_ok,
        "issuer": issuer_codes,
        "issuers": [_folded(u) for u in issuer_values],
        "valid_from": _dates(certificates, "valid_from"),
        "valid_until": _dates(certificates, "valid_until"),
    }


def valid_rows(
    certificates: pd.DataFrame,
    standard: str,
    as_of: date,
    issuers: Collection[str] | None = None,
    retired_editions: Mapping[int, date] | None = None,
) -> tuple[np.ndarray, pd.Series]:
    """The positions of the rows of `certificates` that are valid on `as_of` for `standard`
    (see `valid_certificates`), and every row's normalised `valid_until`."""
    from esg_audit.rules.owners import per_frame

    read = per_frame(certificates, "certificate validity", _readings)
    keep = (read["standards"] == standard.casefold())[read["standard"]] & read["status_ok"]
    day = pd.Timestamp(as_of)
    keep &= ((read["valid_from"] <= day) & (day <= read["valid_until"])).to_numpy(dtype=bool)
    if issuers is not None:
        accepted = {_folded(i) for i in issuers}
        by_issuer = np.array([u in accepted for u in read["issuers"]] + [False], dtype=bool)
        keep &= by_issuer[read["issuer"]]  # code -1 (missing) picks the trailing False
    if retired_editions and "standard_edition" in certificates.columns:
        retired = [year for year, last_day in retired_editions.items() if day > pd.Timestamp(last_day)]
        keep &= ~certificates["standard_edition"].isin(retired).to_numpy(dtype=bool, na_value=False)
    return np.flatnonzero(keep), read["valid_until"]


def valid_certificates(
    certificates: pd.DataFrame,
    standard: str,
    as_of: date,
    issuers: Collection[str] | None = None,
    retired_editions: Mapping[int, date] | None = None,
) -> pd.DataFrame:
    """The rows of `certificates` that are valid on `as_of` for `standard` (already normalised).

    Valid: the standard matches after normalisation; status active or blank (a status cell
    that held something other than the four statuses is missing, but not blank); `valid_from <= as_of
    <= valid_until` (both ends inclusive; a missing date is never valid); the issuer is one of
    `issuers` (trimmed, case-insensitive; None accepts any); and, when the frame has a
    `standard_edition` column, the edition is not retired on `as_of` (`retired_editions` maps an
    edition year to the last day its certificates count). Adds a normalised `valid_until`.
    """
    rows, valid_until = valid_rows(certificates, standard, as_of, issuers, retired_editions)
    valid = certificates.iloc[rows].copy()
    valid["valid_until"] = valid_until.iloc[rows]
    return valid


def certified_supplier_ids(certificates: pd.DataFrame, standard: str, as_of: date) -> pd.Index:
    """Supplier ids holding at least one valid certificate of `standard` on `as_of`."""
    rows, _ = valid_rows(certificates, standard, as_of)
    return pd.Index(certificates["supplier_id"].iloc[rows].dropna().unique())

"""Certification standards and which certificates are valid on the as-of date.

Shared by the `certificate` check kind and the expression function `has_certificate`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING

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
    wanted = standard.casefold()
    keep = _where_value(
        _column(certificates, "standard", "string"), lambda u: (normalise_standard(u) or "").casefold() == wanted
    )
    keep &= _where_value(_column(certificates, "status", "string"), lambda u: _folded(u) in ("", "active"))
    if INVALID_STATUS in certificates.columns:  # a status that was written but not understood
        keep &= ~certificates[INVALID_STATUS].to_numpy(dtype=bool)

    day = pd.Timestamp(as_of)
    valid_from = _dates(certificates, "valid_from")
    valid_until = _dates(certificates, "valid_until")
    keep &= ((valid_from <= day) & (day <= valid_until)).to_numpy(dtype=bool)

    if issuers is not None:
        accepted = {_folded(i) for i in issuers}
        keep &= _where_value(_column(certificates, "issuer", "string"), lambda u: u is not None and _folded(u) in accepted)

    if retired_editions and "standard_edition" in certificates.columns:
        retired = [year for year, last_day in retired_editions.items() if day > pd.Timestamp(last_day)]
        keep &= ~certificates["standard_edition"].isin(retired).to_numpy(dtype=bool, na_value=False)

    valid = certificates.loc[keep].copy()
    valid["valid_until"] = valid_until[keep]
    return valid


def certified_supplier_ids(certificates: pd.DataFrame, standard: str, as_of: date) -> pd.Index:
    """Supplier ids holding at least one valid certificate of `standard` on `as_of`."""
    valid = valid_certificates(certificates, standard, as_of)
    return pd.Index(valid["supplier_id"].dropna().unique())

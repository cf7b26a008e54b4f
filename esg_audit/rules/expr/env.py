"""What an expression is evaluated against: one frame (a row per supplier or per supplier-year),
the as-of date and the certificates, with every column in the dtype of its expression type."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from esg_audit.fields import SHEET_FIELDS
from esg_audit.rules.certificates import certified_supplier_ids

if TYPE_CHECKING:
    import pandas as pd
else:
    from esg_audit.deferred import pd

# Expression types and the nullable dtype of a column of each.
NUMBER, TEXT, BOOL, DATE, NULL = "number", "text", "bool", "date", "null"
DTYPES = {NUMBER: "Float64", TEXT: "string", BOOL: "boolean", DATE: "datetime64[ns]"}
TYPE_NAMES = {NUMBER: "a number", TEXT: "text", BOOL: "true/false", DATE: "a date", NULL: "null"}

_FIELD_TYPES = {
    "text": TEXT,
    "standard": TEXT,
    "number": NUMBER,
    "share": NUMBER,
    "year": NUMBER,
    "bool": BOOL,
    "date": DATE,
}


def expression_type(field_type: str) -> str:
    """The expression type of a field type from fields.py or a pack's `fields:` declaration."""
    return _FIELD_TYPES[field_type]


def sheet_scope(sheet: str) -> dict[str, str]:
    """Field name -> expression type for the canonical fields of a sheet."""
    return {f.name: expression_type(f.type) for f in SHEET_FIELDS[sheet]}


def coerce(column: pd.Series, type_: str) -> pd.Series:
    """`column` in the nullable dtype of `type_`; values that cannot be read become missing."""
    if type_ == NUMBER:
        if column.dtype == "Float64":
            return column
        if column.dtype == "boolean" or column.dtype == bool:
            return column.astype("Float64")
        return pd.to_numeric(column, errors="coerce").astype("Float64")
    if type_ == TEXT:
        if isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is pd.NA:
            return column
        return column.astype("string")
    if type_ == BOOL:
        if column.dtype == "boolean":
            return column
        try:
            return column.astype("boolean")
        except (TypeError, ValueError):
            return pd.Series(pd.NA, index=column.index, dtype="boolean")
    if type_ == DATE:
        if not pd.api.types.is_datetime64_any_dtype(column):
            column = pd.to_datetime(column, errors="coerce")
        return column
    raise ValueError(type_)


class EvalEnv:
    """One evaluation: the frame, the as-of date, and the certificates (None: no such sheet).

    Columns are coerced once and cached, so rules evaluated in the same env share the work.
    """

    def __init__(self, frame: pd.DataFrame, as_of: date, certificates: pd.DataFrame | None):
        self.frame = frame
        self.index = frame.index
        self.as_of = as_of
        self.as_of_day = pd.Timestamp(as_of)
        self.certificates = certificates
        self._columns: dict[tuple[str, str], pd.Series] = {}
        self._certified: dict[str, pd.Series] = {}

    def column(self, name: str, type_: str) -> pd.Series:
        key = (name, type_)
        if key not in self._columns:
            if name in self.frame.columns:
                self._columns[key] = coerce(self.frame[name], type_)
            else:  # a known field the input lacks: missing for every row
                self._columns[key] = self.missing(type_)
        return self._columns[key]

    def constant(self, value: object, type_: str) -> pd.Series:
        return pd.Series(value, index=self.index, dtype=DTYPES[type_])

    def missing(self, type_: str) -> pd.Series:
        value = pd.NaT if type_ == DATE else pd.NA
        return pd.Series(value, index=self.index, dtype=DTYPES.get(type_, "boolean"))

    def has_certificate(self, standard: str) -> pd.Series:
        """True where the row's supplier holds a valid certificate of `standard` on the as-of
        date, false where not, missing everywhere when no input has a Certificates sheet."""
        if standard not in self._certified:
            if self.certificates is None:
                result = self.missing(BOOL)
            else:
                ids = certified_supplier_ids(self.certificates, standard, self.as_of)
                holders = self.column("supplier_id", TEXT).isin(ids)
                result = pd.Series(holders.to_numpy(dtype=bool), index=self.index, dtype="boolean")
            self._certified[standard] = result
        return self._certified[standard]

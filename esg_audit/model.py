"""The shared vocabulary of the pipeline: values passed between stages.

Every stage takes and returns plain data: pandas DataFrames and the small frozen dataclasses
below. No stage reaches back into an earlier one.

Frame conventions (normalised input, see `AuditData`):
- one frame per sheet, columns named by canonical field name (`supplier_id`, `scope1_tco2e`, ...)
  plus the provenance columns `_file` (input path as given), `_sheet` (sheet name as written)
  and `_row` (Excel row number, 1-based; for CSV the line on which the record starts);
- dtypes: text -> pandas "string"; number -> "Float64"; year -> "Int64"; bool -> "boolean";
  date -> "datetime64[ns]" (NaT when missing). Missing is always pd.NA / NaT, never "" or NaN
  from a failed parse.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SHEETS: tuple[str, ...] = ("Suppliers", "Certificates", "Emissions", "Materials", "CBAM Goods")


@dataclass(frozen=True)
class Location:
    """Where something is: a file and, where there is one, sheet, row, column, line and rule."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    rule_id: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.rule_id is not None:
            text += f": {self.rule_id}"
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if parts:
            text += ", " + ", ".join(parts)
        return text


class Status(str, enum.Enum):
    """A result's status. Its `code` is its position here: the int8 code on the result grid."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    MISSING = "missing"
    NA = "n/a"
    WAIVED = "waived"

    @property
    def code(self) -> int:
        return _STATUS_CODE[self.value]

    @property
    def factor(self) -> float | None:
        """The scoring factor (SPEC §5); None where the status counts nothing, or (missing) where
        the rule's `on_missing` decides (see ON_MISSING_FACTORS)."""
        return _STATUS_FACTOR.get(self.value)

    @property
    def is_finding(self) -> bool:
        """fail, missing and warn results are findings (the flagged-risk list)."""
        return self.value in FINDING_STATUSES

    def __str__(self) -> str:
        return self.value


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)  # in code order
_STATUS_CODE = {name: code for code, name in enumerate(STATUSES)}
_STATUS_FACTOR = {"pass": 1.0, "warn": 0.5, "fail": 0.0}
# Findings list fail before missing before warn (SPEC §5); this is that order.
FINDING_STATUSES: tuple[str, ...] = ("fail", "missing", "warn")
# Statuses of a rule that applies and is not waived: what a framework summary counts.
APPLICABLE_STATUSES: tuple[str, ...] = ("pass", "warn", "fail", "missing")
# Statuses that a gate's --fail-on and a knockout treat as failing (missing: when counted as fail).
FAILING_STATUSES: tuple[str, ...] = ("fail", "missing")
# What a `missing` result counts as, per a rule's `on_missing`; None: nothing (skipped).
ON_MISSING_FACTORS: Mapping[str, float | None] = {
    "fail": Status.FAIL.factor,
    "warn": Status.WARN.factor,
    "skip": None,
}
ON_MISSING: tuple[str, ...] = tuple(ON_MISSING_FACTORS)


class Severity(str, enum.Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for info up to 4 for critical."""
        return list(Severity).index(self)

    @property
    def due_days(self) -> int:
        """Days from the as-of date by which a finding of this severity must be remediated."""
        return DUE_DAYS[self.value]

    def __str__(self) -> str:
        return self.value


SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)  # info first (rank order)
SEVERITY_ORDER: tuple[str, ...] = tuple(reversed(SEVERITIES))  # critical first, as reports list them
DUE_DAYS: Mapping[str, int] = {"critical": 30, "high": 60, "medium": 90, "low": 180, "info": 365}

BAND_GRADES: tuple[str, ...] = ("A", "B", "C")  # grades a `grading.bands` block may name
FAIL_GRADE = "D"  # below the lowest band, and any knockout
NO_GRADE = "N/A"  # nothing could be scored
SCORED_GRADES: tuple[str, ...] = (*BAND_GRADES, FAIL_GRADE)  # grades a score can give
GRADES: tuple[str, ...] = (*SCORED_GRADES, NO_GRADE)  # best first; N/A is below D
# One direction everywhere: rank 0 is the best grade, a larger rank is worse (N/A the worst).
GRADE_RANK: Mapping[str, int] = {grade: rank for rank, grade in enumerate(GRADES)}
UNKNOWN_GRADE_RANK = GRADE_RANK[FAIL_GRADE] - 0.5  # a grade from no known band: just above D


# --- load / normalise / validate ---------------------------------------------------------


@dataclass(frozen=True)
class DataIssue:
    """One invalid input cell or row. The cell becomes missing; the audit goes on.

    `row` is Excel's row number (CSV: the record's line); `column` is the header as written
    (None for a whole-row problem); `value` is the original cell rendered as text.
    """

    file: str
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    problem: str


@dataclass(frozen=True)
class Note:
    """Something the normaliser decided that a reader should know, e.g. a column read as percent."""

    file: str
    sheet: str
    column: str | None
    note: str


NOT_RECOGNISED = "not recognised"  # ColumnReading.matched_by of a column nothing explains


@dataclass(frozen=True)
class ColumnReading:
    """How the normaliser read one column of an input sheet (what `esg-audit inspect` shows).

    `matched_by` is `canonical` (the field's own name), `alias` (a built-in alias), `mapping`
    (the user's `--columns` file), `declared` (a field a rule pack declares), or, for a column
    kept under a snake-cased name, `not recognised`, `repeats a field` or `unit not understood`.
    """

    header: str  # as written
    position: int  # column number in the sheet's used range, from 0
    field: str  # the field it fills, or the name it is kept under
    matched_by: str
    unit: str | None = None  # the unit hint as written (`kgCO2e`, `%`, `EUR`)
    conversion: str | None = None  # e.g. "kgCO2e -> tCO2e, x 0.001"
    share: str | None = None  # for shares: "percent" or "fraction"

    @property
    def recognised(self) -> bool:
        return self.matched_by in ("canonical", "alias", "mapping", "declared")


@dataclass(frozen=True)
class SheetReading:
    """What the normaliser decided for one input sheet: where its header is, how each column
    was read, and how many non-blank data rows it holds."""

    file: str
    sheet: str  # as written
    kind: str  # the canonical sheet it was read as
    header_row: int | None  # Excel row number; None for an empty sheet
    columns: tuple[ColumnReading, ...]
    rows: int
    # Where the values sit in the file, for `inspect --out`'s source cells: the 0-based Excel
    # column of the sheet's first column position (None for a CSV, whose cells have no
    # column letters) and, for a form (SPEC §3a), the source cell of every value
    # (`RawSheet.cell_refs`: index Excel row, columns the column positions).
    first_column: int | None = None
    cell_refs: pd.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class InputFile:
    """An input file as audited: path as given, SHA-256 of its bytes, non-blank data rows read."""

    path: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class ErrorCells:
    """A sheet's cells that hold an Excel error value (`#DIV/0!`, `#REF!`, `#N/A` ...).

    The cell reader gives such a cell as empty; these arrays say where they are and what the
    error is, in the coordinates of `RawSheet.cells` (Excel row, column position).
    """

    rows: np.ndarray  # int64, Excel row numbers
    columns: np.ndarray  # int64, column positions in RawSheet.cells
    texts: np.ndarray  # object, the error as Excel shows it

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class RawSheet:
    """A sheet as read from a file, before any interpretation.

    `cells` holds every cell of the used range as text (a workbook's numbers, dates and
    booleans as a person reads them: `45`, `2026-03-01`, `TRUE`), columns numbered 0..n-1,
    index = Excel row number (CSV: line on which the record starts). A workbook's columns are
    "string" columns over Arrow's buffers (NA for an empty cell); a CSV's and a form's are
    object columns (None for an empty cell); the normaliser reads both alike. Title rows
    above the header are included: header detection is the normaliser's job. `errors` lists
    the cells holding an Excel error value (None in them); `notes` what the reader noticed
    about the sheet as a whole (the encoding a CSV was read in).
    """

    file: str
    sheet: str  # as written in the workbook ("Suppliers" for a plain CSV)
    canonical: str  # one of SHEETS, or "" when the sheet is not one esg-audit reads
    cells: pd.DataFrame
    errors: ErrorCells | None = None
    notes: tuple[str, ...] = ()
    # "" for a sheet as written; "cbam" for rows read from an EU CBAM communication template
    # (SPEC §3a), whose `cells` are already tidy: canonical headers in the first row.
    form: str = ""
    # For a form: the source cell of every value ("Summary_Communication!K26"), same shape as
    # `cells` (None where the value has no single cell, e.g. a derived supplier_id).
    cell_refs: pd.DataFrame | None = None
    # A workbook's sheet: the 0-based Excel column of `cells`' column 0 (None for a CSV).
    first_column: int | None = None


@dataclass(frozen=True)
class LoadedInputs:
    """Everything read from the input paths; `notes`: files of a folder skipped (lock and
    hidden files), with sheet ""."""

    sheets: tuple[RawSheet, ...]
    inputs: tuple[InputFile, ...]
    issues: tuple[DataIssue, ...] = ()  # whole-file problems found while reading, e.g. a
    # CBAM template saved without cached formula values
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class AuditData:
    """Normalised and validated input: what the rule engine sees.

    `suppliers` has one row per audited supplier (first occurrence of each id, in input order)
    and a RangeIndex. The other sheets are None when no input has that sheet at all (a check
    that needs it then reports `missing`); an empty frame means the sheet exists but has no
    usable rows. Rows of the other sheets whose supplier is not audited are already removed
    (and listed as data issues).
    """

    suppliers: pd.DataFrame
    certificates: pd.DataFrame | None
    emissions: pd.DataFrame | None
    materials: pd.DataFrame | None
    inputs: tuple[InputFile, ...]
    data_issues: tuple[DataIssue, ...]
    notes: tuple[Note, ...]
    supplier_rows: int  # non-blank Suppliers rows, audited or not (summary.suppliers)
    readings: tuple[SheetReading, ...] = ()  # how each input sheet was read, in input order

    @property
    def unrecognised_columns(self) -> tuple[ColumnReading, ...]:
        """Columns that no alias, mapping or declared field explains (kept under their own name)."""
        return tuple(c for r in self.readings for c in r.columns if c.matched_by == NOT_RECOGNISED)
    cbam_goods: pd.DataFrame | None = None  # CBAM Goods rows (SPEC §3a), one per supplier x good
    # Found while validating: per other sheet, (suppliers, that sheet, the position in
    # suppliers of each row's supplier), so that rules need not look the ids up again.
    supplier_positions: tuple[tuple[pd.DataFrame, pd.DataFrame, np.ndarray], ...] = field(
        default=(), repr=False, compare=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The validated sheets that some input has, by sheet name, in SHEETS order."""
        frames = {"Suppliers": self.suppliers, "Certificates": self.certificates,
                  "Emissions": self.emissions, "Materials": self.materials,
                  "CBAM Goods": self.cbam_goods}
        return {sheet: frame for sheet, frame in frames.items() if frame is not None}


@dataclass(frozen=True)
class SheetInspection:
    """One input sheet as `esg-audit inspect` shows it: how it was read, how many of its rows
    are kept for the audit and how many have data issues, and its notes and data issues."""

    reading: SheetReading
    rows_kept: int
    rows_with_issues: int
    notes: tuple[Note, ...]
    data_issues: tuple[DataIssue, ...]


@dataclass(frozen=True)
class InputsInspection:
    """What esg-audit read, before any rule runs: the input files, each sheet read, and the
    validated tables (by sheet name; provenance columns `_file`, `_sheet`, `_row`)."""

    inputs: tuple[InputFile, ...]
    sheets: tuple[SheetInspection, ...]
    tables: Mapping[str, pd.DataFrame]
    unrecognised: int  # columns that nothing explains, over all sheets
    # Per table that shows them (CBAM Goods): the source cell of every value, as Excel writes
    # a reference ("Summary_Communication!K26", "'CBAM Goods'!C5"); same index as the table,
    # one column per field, missing where the value has no cell (a CSV, a derived id).
    cells: Mapping[str, pd.DataFrame] = field(default_factory=dict)


# --- rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grading:
    """Bands (grade -> minimum score, highest first) and pillar weights (absent pillar: 1)."""

    bands: tuple[tuple[str, float], ...] = (("A", 80.0), ("B", 60.0), ("C", 40.0))
    pillars: Mapping[str, float] = field(default_factory=dict)

    def pillar_weight(self, pillar: str) -> float:
        return float(self.pillars.get(pillar, 1.0))


@dataclass(frozen=True)
class Rule:
    """One rule as loaded from a pack. `check` is an instance of a registered check kind."""

    id: str
    title: str
    pillar: str
    severity: Severity
    weight: float
    check: Any  # esg_audit.rules.kinds.CheckKind
    applies_to: Any | None  # compiled esg_audit.rules.expr.Expression, or None
    on_missing: str  # "fail" | "warn" | "skip"
    knockout: bool
    remediation: str
    references: tuple[str, ...]
    pack: str
    location: Location  # file and line of the rule in its pack
    rationale: str = ""
    # Translations: language -> {"title": ..., "remediation": ...} (either may be absent).
    i18n: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DeclaredField:
    """A field a pack declares (`fields:`): its type and what the supplier is asked for.

    `values` are the only answers a text field accepts (matched case-insensitively; the
    template offers them as a drop-down); `description` and `unit` appear in the template's
    instructions and in docs/rules.md; `header` is the template's column header (it reads
    back as the field: `CMRT Date` for `cmrt_date`).
    """

    name: str
    type: str  # number | text | date | bool
    values: tuple[str, ...] = ()
    description: str = ""
    unit: str = ""
    header: str = ""


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    description: str
    path: str
    sha256: str
    fields: Mapping[str, str]  # declared non-canonical fields: name -> number|text|date|bool
    rules: tuple[Rule, ...]
    tests: tuple[Mapping[str, Any], ...] = ()  # the pack's own `tests:` cases, as written
    grading: Grading | None = None
    declared: Mapping[str, DeclaredField] = field(default_factory=dict)  # `fields`, in full


@dataclass(frozen=True)
class RuleSet:
    """Every pack loaded for one audit, with the grading in force and all declared fields."""

    packs: tuple[RulePack, ...]
    rules: tuple[Rule, ...]
    grading: Grading
    fields: Mapping[str, str]
    declared: Mapping[str, DeclaredField] = field(default_factory=dict)

    @property
    def field_values(self) -> dict[str, tuple[str, ...]]:
        """The declared fields that accept only listed values: name -> values."""
        return {name: f.values for name, f in self.declared.items() if f.values}


# --- scoring and reports -----------------------------------------------------------------


@dataclass(frozen=True)
class Waiver:
    supplier_id: str
    rule_id: str
    reason: str
    approved_by: str
    expires: date


@dataclass(frozen=True)
class WaiverReport:
    applied: tuple[Waiver, ...] = ()  # live and matched a warn, fail or missing result
    expired: tuple[Waiver, ...] = ()
    unmatched: tuple[Waiver, ...] = ()  # names an unknown supplier or rule
    path: str | None = None
    sha256: str | None = None


class EncodedTexts:
    """Texts held as a code per text into a few distinct texts (an Arrow string array), made
    into text only where they are read: a slice or selection stays encoded; Arrow
    (`pa.array(...)`), numpy (`np.asarray(...)`), iteration and `tolist()` give the texts."""

    def __init__(self, codes: np.ndarray, distinct: Any) -> None:
        self.codes = codes
        self.distinct = distinct

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, key: Any) -> Any:
        import numpy as np

        if isinstance(key, (int, np.integer)):
            return self.distinct[int(self.codes[key])].as_py()
        return EncodedTexts(self.codes[key], self.distinct)

    def __arrow_array__(self, type: Any = None) -> Any:
        import pyarrow as pa

        texts = self.distinct.take(pa.array(self.codes))
        return texts if type is None else texts.cast(type)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        import numpy as np

        return np.asarray(self.tolist(), dtype=object if dtype is None else dtype)

    def __iter__(self) -> Any:
        return iter(self.tolist())

    def tolist(self) -> list[str]:
        texts: list[str] = self.__arrow_array__().to_pylist()
        return texts


@dataclass(frozen=True)
class RuleResults:
    """Every (audited supplier, rule) result as one grid: what evaluation produces, scoring
    completes and the report writers read, never reshaped on the way.

    - `supplier_ids`: the audited suppliers in input order (rows of the grid);
      `rule_ids`: the rules in load order (columns).
    - `status`: int8 array (suppliers, rules) of `Status.code`s; evaluation gives pass, warn,
      fail, missing or n/a, scoring turns waived results into waived.
    - messages, sparse: `message_cells` holds the flat (row-major) grid positions of the
      results that have a message, ascending, and `message_texts` their text: an
      `EncodedTexts` as evaluation makes it (codes into the distinct texts, made into text
      where read: slice it, then `pa.array(...)` or `np.asarray(...)`), or any array of str
      (a pandas "str" array, a numpy object array). Every warn, fail and missing result has one; a pass only where the check says
      more than the rule (which certificate passed, the change found); n/a never.
    - `points`, `max_points`: float arrays (suppliers, rules) of weight x factor and weight,
      both 0 where the result counts nothing; None until scored.
    """

    supplier_ids: pd.Index
    rule_ids: tuple[str, ...]
    status: np.ndarray
    message_cells: np.ndarray
    message_texts: Any  # EncodedTexts, pandas "str" array or numpy object array
    points: np.ndarray | None = None
    max_points: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.supplier_ids), len(self.rule_ids)

    def _message_positions(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each flat grid position: whether it has a message, and where in message_texts."""
        import numpy as np

        cells = np.asarray(cells, dtype=np.int64)
        if not len(self.message_cells):
            return np.zeros(len(cells), dtype=bool), np.zeros(len(cells), dtype=np.int64)
        if len(cells) * 16 > self.status.size:  # many: one lookup table over the grid
            kind = np.int32 if len(self.message_cells) < 2**31 else np.int64
            where = np.full(self.status.size, -1, dtype=kind)
            where[self.message_cells] = np.arange(len(self.message_cells), dtype=kind)
            found = where[cells]
            hit = found >= 0
            return hit, np.where(hit, found, 0)
        found = np.minimum(np.searchsorted(self.message_cells, cells), len(self.message_cells) - 1)
        return self.message_cells[found] == cells, found

    def messages_at(self, cells: np.ndarray) -> np.ndarray:
        """The message (str, or None where there is none) of each flat grid position."""
        import numpy as np

        hit, found = self._message_positions(cells)
        out = np.full(len(hit), None, dtype=object)
        if hit.any():
            out[hit] = np.asarray(self.message_texts[found[hit]], dtype=object)
        return out

    def message_column(self, cells: np.ndarray) -> pd.api.extensions.ExtensionArray:
        """The messages of flat grid positions as a text ("str") array, missing where there is
        none: for frames of many results, without a Python object per message."""
        import numpy as np
        import pandas as pd

        texts = self.message_texts
        if isinstance(texts, np.ndarray):
            return pd.array(self.messages_at(cells), dtype="str")
        import pyarrow as pa

        hit, found = self._message_positions(cells)
        if isinstance(texts, EncodedTexts):  # straight from the distinct texts
            source, found = texts.distinct, texts.codes[found]
        else:
            source = pa.array(texts)
        picked = source.take(pa.array(found, mask=~hit)) if len(hit) else source.slice(0, 0)
        return pd.array(picked, dtype="str")

    def frame(self) -> pd.DataFrame:
        """The results as a long frame, one row per (supplier, rule), supplier-major: columns
        supplier_id, rule_id (str), status (Categorical over STATUSES), points, max_points
        (NaN before scoring) and message (str, NA where there is none). For callers that want
        rows; the report writers read the grid."""
        import numpy as np
        import pandas as pd

        n_suppliers, n_rules = self.shape
        cells = n_suppliers * n_rules
        message = np.full(cells, None, dtype=object)
        message[self.message_cells] = self.message_texts
        nan = np.full(cells, np.nan)
        return pd.DataFrame({
            "supplier_id": pd.array(self.supplier_ids.to_numpy(dtype=object), dtype="str").take(
                np.repeat(np.arange(n_suppliers), n_rules)),
            "rule_id": pd.array(list(self.rule_ids), dtype="str").take(
                np.tile(np.arange(n_rules), n_suppliers)),
            "status": pd.Categorical.from_codes(
                self.status.ravel().astype(np.int8), categories=pd.Index(STATUSES)),
            "points": nan if self.points is None else self.points.ravel(),
            "max_points": nan if self.max_points is None else self.max_points.ravel(),
            "message": pd.array(message, dtype="str"),
        })

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, supplier_ids: Any, rule_ids: Any
    ) -> RuleResults:
        """The grid of a long frame with columns supplier_id, rule_id, status and optionally
        message, points and max_points (rows in any order; exactly one per supplier and rule).
        Raises ValueError naming what is wrong."""
        import numpy as np
        import pandas as pd

        suppliers = pd.Index(pd.array(list(supplier_ids), dtype="str"))
        rules = tuple(str(r) for r in rule_ids)
        n_suppliers, n_rules = len(suppliers), len(rules)
        status = pd.Index(pd.array(STATUSES, dtype="str")).get_indexer(
            pd.Index(frame["status"].astype("str")))
        if (status < 0).any():
            bad = frame["status"].astype("str")[status < 0]
            unknown = sorted(set(bad.fillna("(missing)")))
            raise ValueError(f"results hold unknown status(es): {', '.join(unknown)}")
        row = suppliers.get_indexer(pd.Index(frame["supplier_id"].astype("str")))
        col = pd.Index(pd.array(rules, dtype="str")).get_indexer(
            pd.Index(frame["rule_id"].astype("str")))
        if (row < 0).any() or (col < 0).any():
            raise ValueError("results name a supplier or rule that is not in the audit")
        cell = row.astype(np.int64) * n_rules + col
        if len(cell) != n_suppliers * n_rules or (
            len(cell) and (np.bincount(cell, minlength=n_suppliers * n_rules) != 1).any()
        ):
            raise ValueError("results must hold exactly one row per (audited supplier, rule)")
        grid = np.empty(n_suppliers * n_rules, dtype=np.int8)
        grid[cell] = status
        if "message" in frame:
            text = frame["message"].astype("str")
            has = (text.notna() & (text != "")).to_numpy(dtype=bool)
        else:
            text, has = None, np.zeros(len(frame), dtype=bool)
        order = np.argsort(cell[has], kind="stable")
        texts = (
            np.empty(0, dtype=object) if text is None
            else text.to_numpy(dtype=object)[has][order]
        )
        scored = {}
        for name in ("points", "max_points"):
            if name in frame:
                values = np.empty(n_suppliers * n_rules)
                values[cell] = frame[name].to_numpy(dtype=float)
                scored[name] = values.reshape(n_suppliers, n_rules)
        return cls(
            supplier_ids=suppliers,
            rule_ids=rules,
            status=grid.reshape(n_suppliers, n_rules),
            message_cells=cell[has][order],
            message_texts=texts,
            **scored,
        )


@dataclass(frozen=True)
class AuditSummary:
    """The counts a report opens with (report.json `summary`), computed once by scoring.

    `spend_by_grade`: the sum of `annual_spend` of the suppliers of each grade (A..D, N/A;
    0.0 where none of them gave a spend), and under "unknown" the number of suppliers that gave
    none: a missing spend is never counted as zero.
    """

    suppliers: int  # non-blank Suppliers rows
    audited: int
    by_grade: Mapping[str, int]
    findings_by_severity: Mapping[str, int]  # critical first
    data_issues: int
    spend_by_grade: Mapping[str, float | int]
    # Per pillar: the mean pillar score of the suppliers scored in it, rounded half up to one
    # decimal (NaN when none is), and how many suppliers that is.
    pillar_means: Mapping[str, float] = field(default_factory=dict)
    pillar_scored: Mapping[str, int] = field(default_factory=dict)
    # Spend at risk: each grade's share of the spend given (0..1, rounded to four decimals;
    # None when no supplier gave a spend), and the suppliers that fail a knockout: the sum of
    # their spend, how many they are, and how many of them gave no spend.
    spend_share_by_grade: Mapping[str, float | None] = field(default_factory=dict)
    knockout_spend: Mapping[str, float | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Trend:
    """This audit against the earlier runs in the history store (`check --history`).

    Filled from the store before the reports are written; writers show it and never query the
    store. `previous_as_of` is None when the store holds no earlier run.
    - `suppliers`: one row per audited supplier, in `AuditResult.suppliers` order. Columns:
      supplier_id, previous_score (as shown then; NaN: none), previous_grade (None: not audited
      in the previous run), score_change (NaN when either score is missing), grade_change
      ("better", "worse", "same", or "new" when not audited in the previous run).
    - `findings`: one row per finding, in `AuditResult.findings` order. Columns: open_since
      (as-of of the first run of the unbroken series in which the finding was open),
      first_due (the due date given then), overdue (open in the previous run too, and the
      as-of is past first_due).
    - `grades_by_run`: one row per recorded run with an earlier as-of, then this audit,
      oldest first. Columns: as_of, then one count column per grade in GRADES order.
    """

    previous_as_of: date | None
    suppliers: pd.DataFrame
    findings: pd.DataFrame
    grades_by_run: pd.DataFrame


@dataclass(frozen=True)
class AuditResult:
    """The scored audit: everything a report writer needs, and nothing it must recompute.

    - `results`: the scored `RuleResults` grid (statuses after waivers, points, max_points,
      messages), suppliers in input order, rules in load order.
    - `suppliers`: one row per audited supplier, input order. Columns: supplier_id, name,
      country, category, score (unrounded float, NaN when no pillar counts), score_display
      (rounded half up to one decimal, NaN when none), grade (A..D or "N/A"), knockout (bool),
      per pillar `pillar:<name>` (unrounded, NaN when null) and `pillar_display:<name>`
      (rounded half up to one decimal), and finding counts `findings_critical` ..
      `findings_info`.
    - `findings`: the flagged-risk list in SPEC order. Columns: supplier_id, name, rule_id,
      severity, status, title, message, remediation, due (datetime.date), pillar,
      references (tuple[str, ...]).
    - `summary`: the counts and spend by grade a report opens with.
    - `frameworks`: per framework that a rule references, its results that pass, warn, fail
      and are missing, how many apply, and the share passing (see esg_audit.frameworks).
    Id, status, severity and per-rule text columns of `findings` are pandas Categoricals:
    compare with ==, .isin or .astype(str). Names and messages are text ("str").
    Later stages may add optional fields (with defaults) for writers that want them.
    """

    as_of: date
    generated_at: datetime
    data: AuditData
    ruleset: RuleSet
    results: RuleResults
    suppliers: pd.DataFrame
    findings: pd.DataFrame
    pillars: tuple[str, ...]
    waivers: WaiverReport
    summary: AuditSummary
    frameworks: pd.DataFrame  # esg_audit.frameworks.framework_summary
    command: str = ""
    trend: Trend | None = None  # set when the audit is compared with a history store

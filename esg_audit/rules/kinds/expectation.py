"""Check kind `expectation`: any Great Expectations expectation, run over a whole sheet at once.

Great Expectations (the `gx` extra) is imported when a rule of this kind is parsed or evaluated,
never before, through `esg_audit.gx_adapter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from esg_audit.errors import RuleFileError
from esg_audit.fields import SHEET_FIELDS
from esg_audit.gx_adapter import GxMissing
from esg_audit.model import AuditData, Location
from esg_audit.rules import messages
from esg_audit.rules.context import ParseContext, as_text, closest_field, describe, did_you_mean
from esg_audit.rules.kinds.base import FAIL, MISSING, PASS, CheckKind
from esg_audit.rules.options import Custom, Option
from esg_audit.yaml_reader import YList, YMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

# kwargs that name one column, or a list of columns, of the sheet
_COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
_COLUMN_LIST_ARGUMENTS = ("column_list",)
# Expectations about nulls themselves: every row counts, none is skipped as null.
_NULL_EXPECTATIONS = ("expect_column_values_to_be_null", "expect_column_values_to_not_be_null")


def _expectation_name(value: object, key: str, ctx: ParseContext, line: int) -> str | None:
    name = as_text(value, key, ctx, line)
    if name is None:
        return None
    from esg_audit import gx_adapter

    try:
        known = gx_adapter.expectation_names()
    except GxMissing as error:
        ctx.report(f"'{key}': {error}", line)
        return None
    if name not in known:
        ctx.report(f"'{key}': unknown Great Expectations expectation '{name}'{did_you_mean(name, known)}", line)
        return None
    return name


def _sheet(value: object, key: str, ctx: ParseContext, line: int) -> str | None:
    name = as_text(value, key, ctx, line)
    if name is None:
        return None
    if name not in SHEET_FIELDS:
        ctx.report(f"'{key}': unknown sheet '{name}' (one of {', '.join(SHEET_FIELDS)})"
                   f"{did_you_mean(name, SHEET_FIELDS)}", line)
        return None
    return name


def _plain(value: Any) -> Any:
    """A YAML value as the plain types GX takes (dates as ISO text, lists as lists)."""
    if isinstance(value, YMap):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, YList):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _kwargs(value: object, key: str, ctx: ParseContext, line: int) -> YMap | None:
    if not isinstance(value, YMap):
        ctx.report(f"'{key}' must be a mapping of the expectation's arguments, not {describe(value)}", line)
        return None
    return value


@dataclass(frozen=True)
class ExpectationCheck(CheckKind):
    """A Great Expectations expectation over one sheet: `expectation: NAME`, `sheet` (default
    Suppliers) and `kwargs` (the expectation's arguments). Needs `pip install "esg-audit[gx]"`.

    All rows of the sheet go to GX in one call. A supplier fails when any of its rows is
    unexpected, passes when it has rows and none is, and is `missing` when it has no rows, or
    only rows GX skipped because the checked column is blank (expectations about blanks
    themselves, `expect_column_values_to_not_be_null`, count every row). An expectation about
    the whole table (`expect_table_row_count_to_be_between`, `expect_column_mean_to_be_between`)
    has no rows to blame: its outcome is every supplier's. `missing` for everyone when no input
    has the sheet, or the input lacks a column the expectation names. Columns are the sheet's
    canonical fields (for Suppliers also the fields the pack declares); `mostly`,
    `row_condition` and `result_format` are not accepted: a supplier's rows all count.

    ```yaml
    - id: CERT-NO-FORMAT
      title: Certificate numbers are well formed
      pillar: governance
      severity: low
      check:
        expectation: expect_column_values_to_match_regex
        sheet: Certificates
        kwargs: {column: certificate_no, regex: "^[A-Z0-9][A-Z0-9/-]{3,}$"}
    ```
    """

    name = "expectation"
    key = "expectation"
    options = (
        Option("expectation", Custom("Great Expectations expectation name", _expectation_name),
               "the expectation, e.g. expect_column_values_to_be_in_set", required=True),
        Option("sheet", Custom("sheet name", _sheet),
               "the sheet whose rows are checked: " + ", ".join(SHEET_FIELDS), default="Suppliers"),
        Option("kwargs", Custom("mapping", _kwargs),
               "the expectation's arguments, e.g. {column: country, value_set: [DE, FR]}", required=True),
    )

    expectation: str
    sheet: str = "Suppliers"
    kwargs: tuple[tuple[str, Any], ...] = ()
    columns: tuple[str, ...] = ()  # the sheet's columns the expectation names
    where: Location | None = field(default=None, compare=False)  # for errors at run time

    @classmethod
    def build(cls, values: dict[str, Any], ctx: ParseContext) -> ExpectationCheck | None:
        from esg_audit import gx_adapter

        name, sheet, given = values["expectation"], values["sheet"], values["kwargs"]
        expectation_class = gx_adapter.expectation_class(name)
        accepted = gx_adapter.expectation_arguments(expectation_class)
        known = {f.name for f in SHEET_FIELDS[sheet]} | (set(ctx.fields) if sheet == "Suppliers" else set())
        valid = True
        columns: list[str] = []
        for argument in given:
            line = given.line_of(argument)
            if argument == "mostly":
                ctx.report("kwargs: 'mostly' is not accepted: a supplier fails on any unexpected row", line)
                valid = False
            elif argument not in accepted:
                ctx.report(f"kwargs: {name} has no argument '{argument}' (it takes "
                           f"{', '.join(a for a in accepted if a != 'mostly')}){did_you_mean(argument, accepted)}",
                           line)
                valid = False
            elif argument in _COLUMN_ARGUMENTS or argument in _COLUMN_LIST_ARGUMENTS:
                named = given[argument]
                listed = named if argument in _COLUMN_LIST_ARGUMENTS and isinstance(named, YList) else [named]
                for index, column in enumerate(listed):
                    at = named.line_of(index) if isinstance(named, YList) else line
                    if not isinstance(column, str) or column not in known:
                        ctx.report(f"kwargs: {argument}: {sheet} has no column {describe(column)}"
                                   f"{closest_field(str(column), known)}", at)
                        valid = False
                    else:
                        columns.append(column)
        if not valid:
            return None
        kwargs = {argument: _plain(value) for argument, value in given.items()}
        try:
            expectation_class(**kwargs)
        except Exception as error:  # pydantic's ValidationError, or GX's own checks
            detail = " ".join(str(error).split())
            ctx.report(f"kwargs: {name} does not accept these arguments: {detail}", given.line)
            return None
        return cls(
            expectation=name, sheet=sheet, kwargs=tuple(kwargs.items()),
            columns=tuple(dict.fromkeys(columns)),
            where=Location(file=ctx.file, line=given.line, rule_id=ctx.rule_id),
        )

    def fields(self) -> tuple[str, ...]:
        return self.columns if self.sheet == "Suppliers" else ("supplier_id", *self.columns)

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        index = data.suppliers.index
        size = len(index)
        frame: pd.DataFrame | None = getattr(data, self.sheet.lower().replace(" ", "_"), None)
        if frame is None:
            return self._everyone(MISSING, f"missing: no {self.sheet} sheet in the input", index)
        absent = [column for column in self.columns if column not in frame.columns]
        if absent:
            return self._everyone(MISSING, f"missing: the input has no {', '.join(absent)} column", index)
        outcome = self._run(frame)
        result = outcome.result or {}
        if "unexpected_index_list" not in result:  # about the whole table: no rows to blame
            verdict = PASS if outcome.success else FAIL
            observed = result.get("observed_value")
            shown = "" if observed is None else f" (observed {observed})"
            said = f"{'meets' if outcome.success else 'fails'} {self.expectation}{shown}"
            return self._everyone(verdict, said, index)

        # Which supplier owns each row of the sheet: the row itself on Suppliers.
        if self.sheet == "Suppliers":
            owner = np.arange(len(frame))
        else:
            owner = pd.Index(data.suppliers["supplier_id"]).get_indexer(frame["supplier_id"])
        bad_rows = frame.index.get_indexer(pd.Index(result["unexpected_index_list"]))
        counted = ~self._skipped(frame)
        has_rows = np.bincount(owner[counted & (owner >= 0)], minlength=size) > 0
        unexpected = np.zeros(size, dtype=bool)
        bad_owners = owner[bad_rows]
        unexpected[bad_owners[bad_owners >= 0]] = True
        codes = np.where(unexpected, FAIL, np.where(has_rows, PASS, MISSING))
        # A pass of a row check says nothing the rule does not: no message.
        found = messages.Messages(size)
        found.fill(codes == MISSING, f"missing: no {self.sheet} rows with a value to check")
        if unexpected.any():
            found.fill(unexpected, self._failures(frame, bad_rows, bad_owners, size))
        return codes, found

    def _run(self, frame: pd.DataFrame) -> Any:
        from esg_audit import gx_adapter

        expectation = gx_adapter.expectation_class(self.expectation)(**dict(self.kwargs))
        outcome = gx_adapter.validate_frame(frame, expectation, self.sheet)
        info = outcome.exception_info or {}
        raised = [info] if "raised_exception" in info else list(info.values())
        for item in raised:
            if isinstance(item, dict) and item.get("raised_exception"):
                message = " ".join(str(item.get("exception_message") or "").split())
                raise RuleFileError(
                    f"{self.expectation} could not run on the {self.sheet} sheet: {message}", self.where
                )
        return outcome

    def _skipped(self, frame: pd.DataFrame) -> np.ndarray:
        """Rows GX does not judge: those whose checked column(s) are blank."""
        if not self.columns or self.expectation in _NULL_EXPECTATIONS:
            return np.zeros(len(frame), dtype=bool)
        blank = frame[list(self.columns)].isna().to_numpy()
        ignore = dict(self.kwargs).get("ignore_row_if", "all_values_are_missing")
        if ignore == "never":
            return np.zeros(len(frame), dtype=bool)
        if len(self.columns) == 1 or ignore in ("either_value_is_missing", "any_value_is_missing"):
            return np.asarray(blank.any(axis=1), dtype=bool)
        return np.asarray(blank.all(axis=1), dtype=bool)

    def _failures(self, frame: pd.DataFrame, rows: np.ndarray, owners: np.ndarray, size: int) -> np.ndarray:
        """"fails NAME: certificate_no 'x' (row 12), ..." for each supplier with unexpected rows."""
        shown = _joined([
            column + " " + _quoted(frame[column].iloc[rows].astype("string"))
            for column in self.columns[:2]
        ]) if self.columns else messages.text(len(rows), "unexpected row")
        if self.sheet != "Suppliers" and "_row" in frame.columns:
            shown = shown + " (row " + frame["_row"].iloc[rows].astype(str).to_numpy(dtype=object) + ")"
        listed = pd.Series(shown, dtype=object).groupby(owners).agg(", ".join)
        listed = listed[listed.index >= 0]
        text = messages.text(size)
        text[listed.index.to_numpy()] = (f"fails {self.expectation}: " + listed).to_numpy(dtype=object)
        return text

    def _everyone(self, code: int, text: str, index: pd.Index) -> tuple[np.ndarray, messages.Messages]:
        size = len(index)
        return np.full(size, code), messages.Messages(size).everyone(text)


def _quoted(values: pd.Series) -> np.ndarray:
    """Text in single quotes; "missing" where missing (the unexpected rows only: few)."""
    return np.where(values.isna().to_numpy(), messages.MISSING,
                    "'" + values.fillna("").to_numpy(dtype=object) + "'").astype(object)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    result = parts[0]
    for part in parts[1:]:
        result = result + ", " + part
    return result

"""Check kind `each`: a condition on every row a supplier has in another sheet (its CBAM goods,
certificates, materials, emission years), evaluated column-wise over all rows at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from esg_audit.model import SHEETS, AuditData
from esg_audit.rules import messages
from esg_audit.rules.context import ParseContext, did_you_mean
from esg_audit.rules.expr import (
    BOOL,
    TEXT,
    EvalEnv,
    ExprError,
    Expression,
    compile_expression,
    supplier_scope,
)
from esg_audit.rules.expr.env import sheet_scope
from esg_audit.rules.kinds.base import FAIL, MISSING, NA, PASS, WARN, CheckKind
from esg_audit.rules.kinds.expression import ExpressionCheck, pass_warn_codes
from esg_audit.rules.options import Custom, Option
from esg_audit.rules.owners import owners
from esg_audit.yaml_reader import YMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from esg_audit.deferred import np, pd

ROW_SHEETS = tuple(sheet for sheet in SHEETS if sheet != "Suppliers")
_ATTRIBUTE = {"Certificates": "certificates", "Emissions": "emissions", "Materials": "materials",
              "CBAM Goods": "cbam_goods"}
_EACH_KEYS = tuple(option.name for option in ExpressionCheck.options)  # pass, and warn
# Which row of a supplier its message names: the first failing one, else the first lacking
# data, else the first at the warn level.
_RANK = {FAIL: 0, MISSING: 1, WARN: 2, PASS: 3}


def _sheet(value: Any, key: str, ctx: ParseContext, line: int) -> str | None:
    if isinstance(value, str):
        for sheet in ROW_SHEETS:
            if "".join(value.split()).lower() == "".join(sheet.split()).lower():
                return sheet
    ctx.report(f"{key}: expected one of {', '.join(ROW_SHEETS)}, not {value!r}"
               f"{did_you_mean(str(value), ROW_SHEETS)}", line)
    return None


def _each(value: Any, key: str, ctx: ParseContext, line: int) -> YMap | None:
    if not isinstance(value, YMap) or "pass" not in value:
        ctx.report(f"{key}: expected a mapping with 'pass' (and optionally 'warn')", line)
        return None
    unknown = [k for k in value if k not in _EACH_KEYS]
    for k in unknown:
        ctx.report(f"unknown key '{k}' in {key}{did_you_mean(str(k), _EACH_KEYS)}", value.line_of(k))
    return None if unknown else value


@dataclass(frozen=True)
class EachCheck(CheckKind):
    """A condition on every row of the supplier in another sheet: `sheet: NAME`,
    `each: {pass: EXPR, warn: EXPR}` (warn optional).

    Each row is judged like an `expression` check; its expressions see the sheet's own fields
    and the supplier's fields (the row's own win where both have one). The supplier fails when
    any row fails; otherwise it is `missing` when any row lacks the data to judge it; otherwise
    it warns when any row only meets the warn level, and passes when every row passes. A
    supplier without rows in the sheet (or no input with the sheet at all) is n/a. The message
    counts the rows and names the first that decides: file, sheet, Excel row and, on the CBAM
    Goods sheet, the CN code.

    ```yaml
    - id: CBAM-SEE
      title: SEE given for every good, adding up
      pillar: governance
      severity: high
      check:
        sheet: CBAM Goods
        each:
          pass: abs(see_direct + see_indirect - see_total) <= 0.001
    ```
    """

    name = "each"
    key = "each"
    options = (
        Option("sheet", Custom(f"one of {', '.join(ROW_SHEETS)}", _sheet),
               "the sheet whose rows are checked", required=True),
        Option("each", Custom("mapping: pass: EXPR, optionally warn: EXPR", _each),
               "conditions on each row, as in an expression check", required=True),
    )

    sheet: str
    each: Any  # the `each:` mapping until build compiles it
    pass_: Expression | None = None
    warn: Expression | None = None

    @classmethod
    def build(cls, values: dict[str, Any], ctx: ParseContext) -> EachCheck | None:
        sheet, spec = values["sheet"], values["each"]
        scope = {**supplier_scope(ctx.fields), **sheet_scope(sheet)}
        before = len(ctx.errors)
        compiled = {}
        for key in _EACH_KEYS:
            if key in spec:
                compiled[key] = _compile(spec[key], f"each.{key}", ctx, spec.line_of(key), scope, sheet)
        if len(ctx.errors) > before:
            return None
        return cls(sheet=sheet, each=None, pass_=compiled["pass"], warn=compiled.get("warn"))

    def fields(self) -> tuple[str, ...]:
        assert self.pass_ is not None
        names = list(self.pass_.fields) + list(self.warn.fields if self.warn else ())
        return tuple(dict.fromkeys(names))

    def evaluate(self, data: AuditData, as_of: date) -> tuple[np.ndarray, messages.Messages]:
        assert self.pass_ is not None
        suppliers = data.suppliers
        index = suppliers.index
        size = len(index)
        rows = getattr(data, _ATTRIBUTE[self.sheet])
        if rows is None or not len(rows):  # n/a: no rows of the sheet; n/a has no message
            return np.full(size, NA), messages.Messages(size)
        owner = owners(suppliers, rows)
        rows = rows.reset_index(drop=True)
        keep = owner >= 0
        rows, owner = rows[keep].reset_index(drop=True), owner[keep]
        frame = self._with_supplier_fields(rows, suppliers, owner)
        env = EvalEnv(frame, as_of, data.certificates)
        codes = self._row_codes(env)

        counts = np.bincount(owner, minlength=size)
        per = {code: np.bincount(owner, weights=codes == code, minlength=size).astype(np.int64)
               for code in (FAIL, MISSING, WARN)}
        status = np.where(counts == 0, NA, np.where(per[FAIL] > 0, FAIL, np.where(
            per[MISSING] > 0, MISSING, np.where(per[WARN] > 0, WARN, PASS))))

        rank = np.vectorize(_RANK.get, otypes=[np.int64])(codes) if len(codes) else codes
        order = np.lexsort((np.arange(len(codes)), rank, owner))
        firsts = order[np.r_[True, owner[order][1:] != owner[order][:-1]]] if len(order) else order
        decider = np.full(size, -1, dtype=np.int64)
        decider[owner[firsts]] = firsts
        return status, self._messages(env, rows, status, counts, per, decider, index)

    def _with_supplier_fields(self, rows: pd.DataFrame, suppliers: pd.DataFrame,
                              owner: np.ndarray) -> pd.DataFrame:
        """The rows, with the supplier's value of every field the expressions read that the
        sheet itself does not have."""
        borrowed = [name for name in self.fields()
                    if name not in rows.columns and name in suppliers.columns]
        if not borrowed:
            return rows
        taken = suppliers[borrowed].iloc[owner].reset_index(drop=True)
        return pd.concat([rows, taken], axis=1)

    def _row_codes(self, env: EvalEnv) -> np.ndarray:
        assert self.pass_ is not None
        return pass_warn_codes(self.pass_, self.warn, env)

    def _messages(self, env: EvalEnv, rows: pd.DataFrame, status: np.ndarray, counts: np.ndarray,
                  per: dict[int, np.ndarray], decider: np.ndarray, index: pd.Index) -> messages.Messages:
        """A pass counts the rows checked; warn, fail and missing count the rows that decided
        and show the first of them. n/a (the supplier has no rows in the sheet): no message."""
        assert self.pass_ is not None
        size = len(status)
        said = messages.Messages(size)
        has = decider >= 0
        at = decider[has]
        types = {**self.pass_.field_types, **(self.warn.field_types if self.warn else {})}
        names = self.fields()

        def picked(values: np.ndarray, fill: str = "") -> np.ndarray:
            out = messages.text(size, fill)
            out[has] = np.asarray(values, dtype=object)
            return out

        place = picked(rows["_file"].astype(str).to_numpy()[at] + ", sheet '"
                       + rows["_sheet"].astype(str).to_numpy()[at] + "', row "
                       + rows["_row"].astype(np.int64).astype(str).to_numpy(dtype=object)[at])
        if "cn_code" in rows.columns:
            cn = env.column("cn_code", TEXT).iloc[at]
            shown = np.where(cn.isna().to_numpy(), "", " (CN " + cn.fillna("").to_numpy(dtype=object) + ")")
            place = place + picked(shown)
        facts = messages.text(size)
        if names:
            facts = picked(_joined([
                f"{n} is " + _rendered(env.column(n, types[n]).iloc[at], types[n]) for n in names
            ])) if len(at) else facts
        absent = messages.text(size)
        if names and len(at):
            absent = picked(_joined([
                np.where(env.column(n, types[n]).iloc[at].isna().to_numpy(), n, "").astype(object)
                for n in names
            ]))
        count = _integers(counts)
        plural = np.where(counts == 1, " row", " rows").astype(object)
        of = lambda code: _integers(per[code]) + " of " + count + plural  # noqa: E731
        said.fill((status == PASS) & (counts == 1), f"its 1 row meets {self.pass_.text}")
        said.fill((status == PASS) & (counts > 1), "all ", count, plural,
                      f" meet {self.pass_.text}")
        said.fill(status == FAIL, of(FAIL), " fail; first: ", place, ": ", facts,
                      f"; pass needs {self.pass_.text}")
        said.fill(status == WARN, of(WARN), " only meet the warn level; first: ", place,
                      ": ", facts, f"; pass needs {self.pass_.text}")
        lacking = absent != ""
        said.fill((status == MISSING) & lacking, "missing: ", of(MISSING),
                      " lack data; first: ", place, ": no ", absent)
        said.fill((status == MISSING) & ~lacking, "missing: ", of(MISSING),
                      " cannot be judged; first: ", place)
        return said


def _rendered(values: pd.Series, type_: str) -> np.ndarray:
    """The deciding rows' values as text (one per supplier with rows: few enough)."""
    rows = np.arange(len(values))
    return np.asarray(messages.values(values.reset_index(drop=True), type_).at(rows).to_pylist(), dtype=object)


def _integers(values: np.ndarray) -> np.ndarray:
    """Whole numbers as text, each distinct number rendered once."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64))
    return np.asarray(uniques).astype(str).astype(object)[codes]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """Per-row texts joined by ", ", skipping empty ones."""
    result = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        part = np.asarray(part, dtype=object)
        both = (result != "") & (part != "")
        result = np.where(both, result + ", " + part, result + part)
    return result


def _compile(value: Any, key: str, ctx: ParseContext, line: int, scope: dict[str, str],
             sheet: str) -> Expression | None:
    """An expression over the sheet's rows (with the supplier's fields)."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, str):
        ctx.report(f"{key}: expected an expression (text), not {value!r}", line)
        return None
    try:
        return compile_expression(value, scope, want=BOOL, sheet=sheet)
    except ExprError as error:
        ctx.report(f"{key}: {error}", line)
        return None


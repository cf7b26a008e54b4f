"""From expression text to a tree of column-wise evaluators, through a strict whitelist of Python
`ast` nodes. The text is only parsed, never evaluated, executed or compiled to code objects."""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Mapping
from typing import Any

from esg_audit.fields import CERTIFICATE_FIELDS, EMISSION_FIELDS, MATERIAL_FIELDS
from esg_audit.limits import LARGEST_NUMBER
from esg_audit.rules.context import closest_field, did_you_mean
from esg_audit.rules.expr import ops
from esg_audit.rules.expr.env import BOOL, DATE, NULL, NUMBER, TEXT, TYPE_NAMES
from esg_audit.rules.expr.functions import FUNCTIONS
from esg_audit.rules.expr.ops import Compiled, ExprError

MAX_LENGTH = 4000
MAX_DEPTH = 60
LITERAL_NAMES = {"true": (True, BOOL), "false": (False, BOOL), "null": (None, NULL)}
RESERVED_NAMES = frozenset({*LITERAL_NAMES, "as_of", *FUNCTIONS})

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_OPERATOR_SYMBOLS = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.MatMult: "@", ast.Invert: "~",
}
_REJECTED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts (x[...]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Starred: "starred arguments (*x) are not allowed",
    ast.IfExp: "'x if c else y' is not supported; use coalesce() or separate rules",
    ast.Dict: "mappings ({...}) are not allowed",
    ast.Set: "sets ({...}) are not allowed",
    ast.Slice: "subscripts (x[...]) are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}
_OTHER_SHEETS = {
    **{f.name: "Certificates" for f in CERTIFICATE_FIELDS},
    **{f.name: "Materials" for f in MATERIAL_FIELDS},
    **{f.name: "Emissions" for f in EMISSION_FIELDS},
}


class Compiler:
    """Compiles one expression against a scope of fields (name -> expression type)."""

    def __init__(self, text: str, scope: Mapping[str, str], scope_sheet: str):
        self.text = text
        self.scope = scope
        self.scope_sheet = scope_sheet
        self.fields: list[str] = []
        self.functions: list[str] = []

    def compile(self) -> Compiled:
        if len(self.text) > MAX_LENGTH:
            raise ExprError(f"expression is longer than {MAX_LENGTH} characters")
        source = " ".join(self.text.splitlines()).strip()
        if not source:
            raise ExprError("expression is empty")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as error:
            where = f" at column {error.offset}" if error.offset else ""
            raise ExprError(f"invalid expression{where}: {error.msg}") from None
        except (ValueError, RecursionError, MemoryError):
            raise ExprError("invalid expression") from None
        _check_depth(tree.body)
        return self.visit(tree.body)

    def snippet(self, node: ast.AST) -> str:
        source = " ".join(self.text.splitlines()).strip()
        return ast.get_source_segment(source, node) or type(node).__name__

    # --- nodes -----------------------------------------------------------------------------

    def visit(self, node: ast.AST) -> Compiled:
        for node_type, message in _REJECTED.items():
            if isinstance(node, node_type):
                raise ExprError(f"{message}: {self.snippet(node)}")
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ExprError(f"'{self.snippet(node)}' is not allowed in an expression")
        result: Compiled = method(node)
        return result

    def visit_Constant(self, node: ast.Constant) -> Compiled:
        value = node.value
        if isinstance(value, bool) or value is None:
            word = {True: "true", False: "false", None: "null"}[value]
            raise ExprError(f"write {word} in lower case, not {value!r}")
        if isinstance(value, (int, float)):
            # SPEC §4 Limits: a number must be finite and fit a 64-bit float.
            if isinstance(value, int) and abs(value) > LARGEST_NUMBER:
                digits = len(str(abs(value)))
                raise ExprError(f"the {digits}-digit number is too large; numbers must fit a 64-bit float (about 1.8e308)")
            if not math.isfinite(value):
                raise ExprError(f"{self.snippet(node)} is too large; numbers must fit a 64-bit float (about 1.8e308)")
            return ops.constant(float(value), NUMBER)
        if isinstance(value, str):
            return ops.constant(value, TEXT)
        raise ExprError(f"literal {self.snippet(node)} is not allowed; use numbers, 'text', true, false or null")

    def visit_Name(self, node: ast.Name) -> Compiled:
        name = node.id
        if name in LITERAL_NAMES:
            value, type_ = LITERAL_NAMES[name]
            if type_ == NULL:
                return Compiled(lambda env: env.missing(BOOL), NULL, literal=None)
            return ops.constant(value, type_)
        if name == "as_of":
            return Compiled(lambda env: env.constant(env.as_of_day, DATE), DATE)
        if name.startswith("__"):
            raise ExprError(f"'{name}' is not allowed")
        if name not in self.scope:
            if name in FUNCTIONS:
                raise ExprError(f"{name} is a function; call it as {FUNCTIONS[name].usage}")
            raise ExprError(self._unknown_field(name))
        if name not in self.fields:
            self.fields.append(name)
        return ops.field(name, self.scope[name])

    def _unknown_field(self, name: str) -> str:
        sheet = _OTHER_SHEETS.get(name)
        # A typo of a supplier field always names the nearest known one; a field of another
        # sheet gets a hint on where it belongs instead.
        forced = self.scope_sheet == "Suppliers" and sheet is None
        suggestion = closest_field(name, self.scope) if forced else did_you_mean(name, self.scope)
        message = f"unknown field '{name}'{suggestion}"
        if self.scope_sheet == "Emissions":
            message += "; a trend expression sees only the Emissions sheet's fields"
        elif sheet is not None and sheet != self.scope_sheet:
            hint = {
                "Certificates": "use a certificate check or has_certificate()",
                "Emissions": "use a trend check",
                "Materials": "use a sourcing check",
            }[sheet]
            message += f" ('{name}' is a field of the {sheet} sheet: {hint})"
        elif "did you mean" not in message:
            message += "; declare non-canonical fields in the pack's `fields:`"
        return message

    def visit_BoolOp(self, node: ast.BoolOp) -> Compiled:
        word = "and" if isinstance(node.op, ast.And) else "or"
        parts = [self._condition(v, word) for v in node.values]
        return ops.kleene_and(parts) if word == "and" else ops.kleene_or(parts)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Compiled:
        if isinstance(node.op, ast.Not):
            return ops.kleene_not(self._condition(node.operand, "not"))
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._not_null(self.visit(node.operand), "-")
            if operand.type != NUMBER:
                raise ExprError(f"unary minus needs a number, not {TYPE_NAMES[operand.type]}: {self.snippet(node)}")
            if isinstance(node.op, ast.UAdd):
                return operand
            if operand.is_literal:
                return ops.constant(-operand.literal, NUMBER)
            return ops.negate(operand)
        raise self._unknown_operator(node.op)

    def visit_BinOp(self, node: ast.BinOp) -> Compiled:
        symbol = _BINARY.get(type(node.op))
        if symbol is None:
            raise self._unknown_operator(node.op)
        left = self._not_null(self.visit(node.left), symbol)
        right = self._not_null(self.visit(node.right), symbol)
        types = (left.type, right.type)
        allowed = (
            types == (NUMBER, NUMBER)
            or (symbol == "-" and types == (DATE, DATE))
            or (symbol in "+-" and types == (DATE, NUMBER))
            or (symbol == "+" and types == (NUMBER, DATE))
        )
        if not allowed:
            raise ExprError(
                f"cannot apply '{symbol}' to {TYPE_NAMES[left.type]} and "
                f"{TYPE_NAMES[right.type]}: {self.snippet(node)}"
            )
        return ops.arithmetic(symbol, left, right)

    def visit_Compare(self, node: ast.Compare) -> Compiled:
        # a < b < c means (a < b) and (b < c), as in Python and in mathematics.
        parts = []
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            parts.append(self._comparison(node, op, left_node, right_node))
            left_node = right_node
        return parts[0] if len(parts) == 1 else ops.kleene_and(parts)

    def _comparison(self, node: ast.Compare, op: ast.cmpop, left_node: ast.expr, right_node: ast.expr) -> Compiled:
        if isinstance(op, (ast.In, ast.NotIn)):
            return self._membership(node, isinstance(op, ast.NotIn), left_node, right_node)
        if isinstance(op, (ast.Is, ast.IsNot)):
            raise ExprError(f"'is' is not supported; use isna(x) or notna(x): {self.snippet(node)}")
        symbol = _COMPARE[type(op)]
        left, right = self.visit(left_node), self.visit(right_node)
        if NULL in (left.type, right.type):
            raise ExprError(
                f"a comparison with null is always missing; use isna(x) or notna(x): {self.snippet(node)}"
            )
        if left.type != right.type:
            hint = ""
            if DATE in (left.type, right.type) and TEXT in (left.type, right.type):
                hint = "; write a date as date('YYYY-MM-DD')"
            raise ExprError(
                f"cannot compare {TYPE_NAMES[left.type]} with {TYPE_NAMES[right.type]}{hint}: "
                f"{self.snippet(node)}"
            )
        if left.type == BOOL and symbol not in ("==", "!="):
            raise ExprError(f"true/false values can only be compared with == or !=: {self.snippet(node)}")
        return ops.compare(symbol, left, right)

    def _membership(self, node: ast.Compare, negated: bool, left_node: ast.expr, right_node: ast.expr) -> Compiled:
        word = "not in" if negated else "in"
        if not isinstance(right_node, (ast.List, ast.Tuple)):
            raise ExprError(f"'{word}' needs a list of values such as ['a', 'b']: {self.snippet(node)}")
        left = self._not_null(self.visit(left_node), word)
        values = []
        for element in right_node.elts:
            item = self.visit(element)
            if not item.is_literal:
                raise ExprError(f"the list after '{word}' may hold only literal values: {self.snippet(element)}")
            if item.type not in (left.type, NULL):
                raise ExprError(
                    f"cannot look for {TYPE_NAMES[left.type]} among {TYPE_NAMES[item.type]}: "
                    f"{self.snippet(node)}"
                )
            values.append(item.literal)
        return ops.member(left, values, negated)

    def visit_List(self, node: ast.List) -> Compiled:
        raise ExprError(f"a list is only allowed after 'in' or 'not in': {self.snippet(node)}")

    visit_Tuple = visit_List

    def visit_Call(self, node: ast.Call) -> Compiled:
        if not isinstance(node.func, ast.Name):
            self.visit(node.func)  # raises for attribute access, subscripts, lambdas ...
            raise ExprError(f"only the functions of the rule language can be called: {self.snippet(node)}")
        name = node.func.id
        if name not in FUNCTIONS:
            if name.startswith("__"):
                raise ExprError(f"'{name}' is not allowed")
            known = ", ".join(sorted(FUNCTIONS))
            raise ExprError(f"unknown function '{name}'{did_you_mean(name, FUNCTIONS)} (functions: {known})")
        if node.keywords:
            raise ExprError(f"keyword arguments are not allowed: {self.snippet(node)}")
        args = [self.visit(a) for a in node.args]
        if name not in self.functions:
            self.functions.append(name)
        return FUNCTIONS[name].build(args)

    # --- helpers ---------------------------------------------------------------------------

    def _condition(self, node: ast.expr, word: str) -> Compiled:
        compiled = self.visit(node)
        if compiled.type != BOOL:
            raise ExprError(f"'{word}' needs true/false values, not {TYPE_NAMES[compiled.type]}: {self.snippet(node)}")
        return compiled

    def _not_null(self, compiled: Compiled, word: str) -> Compiled:
        if compiled.type == NULL:
            raise ExprError(
                f"null cannot be used with '{word}'; it is allowed in coalesce(), isna(), notna() and in-lists"
            )
        return compiled

    def _unknown_operator(self, op: Any) -> ExprError:
        symbol = _OPERATOR_SYMBOLS.get(type(op), type(op).__name__)
        hint = {"&": "; use and", "|": "; use or", "~": "; use not"}.get(symbol, "")
        return ExprError(f"unknown operator '{symbol}'{hint} (operators: and or not == != < <= > >= + - * / in)")


def _check_depth(root: ast.AST) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExprError(f"expression nests deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def is_valid_name(name: str) -> bool:
    """Whether a declared field name can be written in an expression."""
    return name.isidentifier() and not keyword.iskeyword(name) and name not in RESERVED_NAMES and not name.startswith("__")

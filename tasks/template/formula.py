"""The schema's computed-column formulas: placed in cells, and evaluated in Python for the cached value.

xlsxwriter caches 0 for a formula unless told the result, and readers that do not recalculate
(calamine, pandas, openpyxl with data_only) then see 0; so we compute what Excel would show.
Only the small Excel subset a schema template needs is understood: numbers, "text", field codes,
+ - * / ^ &, comparisons, parentheses and IF, N, AND, OR, NOT, ABS, ROUND, MIN, MAX.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

Node = tuple[Any, ...]
Value = float | str | bool | None

_STRING = r'"(?:[^"]|"")*"'
_TOKEN = re.compile(rf"\s*({_STRING}|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_.]*|<>|<=|>=|[-+*/^&=<>(),])")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_COMPARE = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


class ExcelError(Exception):
    """An Excel error value (#DIV/0!, #VALUE!, #NAME?) raised while evaluating."""


def place(template: str, refs: Mapping[str, str]) -> str:
    """The template with every field code replaced by its cell reference (text literals untouched)."""
    parts = re.split(f"({_STRING})", template)
    return "".join(
        part if part.startswith('"') else _IDENT.sub(lambda m: refs.get(m.group(0), m.group(0)), part) for part in parts
    )


def evaluate(template: str, values: Mapping[str, object]) -> Value:
    """What Excel shows for the template with these field values; an error code such as "#DIV/0!" on error."""
    try:
        return _eval(_parse(template), values)
    except ExcelError as error:
        return str(error)


def _tokens(template: str) -> list[str]:
    text = template.strip().removeprefix("=")
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if not match:
            raise ValueError(f"cannot parse formula {template!r} at {position}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _parse(template: str) -> Node:
    tokens = _tokens(template)
    node, rest = _binary(tokens, 0)
    if rest != len(tokens):
        raise ValueError(f"trailing tokens in formula {template!r}")
    return node


_LEVELS: tuple[tuple[str, ...], ...] = (tuple(_COMPARE), ("&",), ("+", "-"), ("*", "/"), ("^",))


def _binary(tokens: list[str], at: int, level: int = 0) -> tuple[Node, int]:
    if level == len(_LEVELS):
        return _unary(tokens, at)
    left, at = _binary(tokens, at, level + 1)
    while at < len(tokens) and tokens[at] in _LEVELS[level]:
        right, next_at = _binary(tokens, at + 1, level + 1)
        left, at = ("op", tokens[at], left, right), next_at
    return left, at


def _unary(tokens: list[str], at: int) -> tuple[Node, int]:
    token = tokens[at]
    if token in ("-", "+"):
        operand, at = _unary(tokens, at + 1)
        return ("op", "-", ("num", 0.0), operand) if token == "-" else operand, at
    if token == "(":
        inner, at = _binary(tokens, at + 1)
        return inner, at + 1
    if token.startswith('"'):
        return ("str", token[1:-1].replace('""', '"')), at + 1
    if token[0].isdigit():
        return ("num", float(token)), at + 1
    if at + 1 < len(tokens) and tokens[at + 1] == "(":
        return _call(tokens, token.upper(), at + 2)
    return ("ref", token), at + 1


def _call(tokens: list[str], name: str, at: int) -> tuple[Node, int]:
    args: list[Node] = []
    while tokens[at] != ")":
        arg, at = _binary(tokens, at)
        args.append(arg)
        at += 1 if tokens[at] == "," else 0
    return ("call", name, *args), at + 1


def _number(value: Value) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool | int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        # Excel cannot do arithmetic on text it does not read as a number (e.g. "1 234,5" in an en locale).
        raise ExcelError("#VALUE!") from None


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _comparable(a: Value, b: Value) -> tuple[Any, Any]:
    # A blank cell equals both 0 and "", as in Excel; text compares case-insensitively.
    if a is None:
        a = "" if isinstance(b, str) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else 0.0
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold(), b.casefold()
    if isinstance(a, str) != isinstance(b, str):
        return (1, 0) if isinstance(a, str) else (0, 1)  # text sorts after numbers
    return float(a), float(b)


def _operate(op: str, a: Value, b: Value) -> Value:
    if op in _COMPARE:
        return _COMPARE[op](*_comparable(a, b))
    if op == "&":
        return _text(a) + _text(b)
    x, y = _number(a), _number(b)
    if op == "/" and y == 0:
        raise ExcelError("#DIV/0!")
    return _ARITHMETIC[op](x, y)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "^": operator.pow,
}
_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "N": lambda v: float(v) if isinstance(v, bool | int | float) else 0.0,
    "AND": lambda *v: all(_number(x) for x in v),
    "OR": lambda *v: any(_number(x) for x in v),
    "NOT": lambda v: not _number(v),
    "ABS": lambda v: abs(_number(v)),
    "ROUND": lambda v, digits=0.0: round(_number(v), int(_number(digits))),
    "MIN": lambda *v: min(_number(x) for x in v),
    "MAX": lambda *v: max(_number(x) for x in v),
}


def _cell(value: object) -> Value:
    """A Python value as Excel holds it in a cell: dates are day serials counted from 1899-12-30."""
    if isinstance(value, datetime | date):
        day = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        return (day - datetime(1899, 12, 30)).total_seconds() / 86400
    return value if isinstance(value, bool | int | float | str) or value is None else str(value)


def _eval(node: Node, values: Mapping[str, object]) -> Value:
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "ref":
        if node[1] not in values:
            raise ExcelError("#NAME?")
        return _cell(values[node[1]])
    if kind == "op":
        return _operate(node[1], _eval(node[2], values), _eval(node[3], values))
    if node[1] == "IF":  # lazy, like Excel: the branch not taken is never evaluated
        branch = 3 if _number(_eval(node[2], values)) else 4
        return _eval(node[branch], values) if branch < len(node) else False
    if node[1] not in _FUNCTIONS:
        raise ExcelError("#NAME?")
    return _FUNCTIONS[node[1]](*(_eval(arg, values) for arg in node[2:]))

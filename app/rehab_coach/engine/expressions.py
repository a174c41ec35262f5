"""A small, safe expression language for template rules.

Grammar (no eval, no attribute access, no imports):

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Names are measures (`knee`, `knee_left`, ...) and the template's named constants
(`params`). Functions: abs, min, max. In rep scope, aggregates over the whole rep:
rep_min, rep_max, rep_mean, rep_range, each taking one measure name, plus the name
`duration`. Unknown names, wrong argument counts and type errors (e.g.
`knee + (hip > 3)`) fail at compile time. So do texts longer than MAX_LENGTH,
nesting deeper than MAX_DEPTH and numbers too large for a float: a rule is data
from a file, and a hostile one must fail at load time, never hang or crash a session.
There is no power operator, no strings, no attribute access and no indexing: the
tokenizer knows no `.`, `[`, quotes or `**`, so `x.__class__` cannot even be written.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Scope = Literal["frame", "rep"]
Kind = Literal["number", "bool"]

FUNCTIONS: dict[str, Callable[..., float]] = {"abs": abs, "min": min, "max": max}
AGGREGATES: dict[str, Callable[[np.ndarray], float]] = {
    "rep_min": lambda s: float(np.nanmin(s)),
    "rep_max": lambda s: float(np.nanmax(s)),
    "rep_mean": lambda s: float(np.nanmean(s)),
    "rep_range": lambda s: float(np.nanmax(s) - np.nanmin(s)),
}
REP_NAMES = ("duration",)
KEYWORDS = ("and", "or", "not")
MAX_LENGTH = 400  # characters in one expression
MAX_DEPTH = 24  # nested parentheses, calls, `not` and unary minus

# ASCII digits only: `\d` would also accept other scripts' digits.
_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op><=|>=|==|!=|[-+*/<>(),]))"
)
_COMPARE: dict[str, Callable[[float, float], Any]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def _divide(a: float, b: float) -> float:
    """Division by zero gives NaN (a missing value: comparisons with it are unknown), not a warning."""
    return a / b if b != 0 else math.nan


_ARITH: dict[str, Callable[[float, float], Any]] = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": _divide}


class ExpressionError(ValueError):
    def __init__(self, text: str, pos: int, problem: str) -> None:
        super().__init__(f"{problem} at position {pos + 1} in {text!r}")
        self.problem = problem
        self.pos = pos


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(text, pos + len(text[pos:]) - len(text[pos:].lstrip()), "unexpected character")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# Compiled nodes: each is a callable of the value mapping, plus its static kind.
Evaluator = Callable[[Mapping[str, object]], Any]  # a float, or True/False/None for conditions (checked per node)


@dataclass(frozen=True)
class Node:
    fn: Evaluator
    kind: Kind
    pos: int


class _Parser:
    def __init__(self, text: str, names: frozenset[str], scope: Scope, constants: Mapping[str, float]) -> None:
        self.text, self.names, self.scope, self.constants = text, names, scope, constants
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.used: set[str] = set()

    def deeper(self) -> None:
        """Count one more level of nesting; the parser recurses, so the depth is capped."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep")

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, problem: str, pos: int | None = None) -> ExpressionError:
        return ExpressionError(self.text, self.tok.pos if pos is None else pos, problem)

    def take(self, value: str | None = None, kind: str | None = None) -> Token | None:
        tok = self.tok
        if (value is None or tok.value == value) and (kind is None or tok.kind == kind) and tok.kind != "end":
            self.i += 1
            return tok
        return None

    def expect(self, value: str) -> None:
        if not self.take(value):
            raise self.error(f"expected {value!r}")

    def need(self, node: Node, kind: Kind, what: str) -> Node:
        if node.kind != kind:
            raise self.error(f"{what} needs a {kind}, got a {node.kind}", node.pos)
        return node

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.value!r}")
        return node

    def or_(self) -> Node:
        return self._logical("or", self.and_, lambda a, b: lambda v: _or(a(v), b(v)))

    def and_(self) -> Node:
        return self._logical("and", self.not_, lambda a, b: lambda v: _and(a(v), b(v)))

    def _logical(
        self, word: str, sub: Callable[[], Node], combine: Callable[[Evaluator, Evaluator], Evaluator]
    ) -> Node:
        left = sub()
        while self.take(word, "name"):
            left = self.need(left, "bool", f"'{word}'")
            right = self.need(sub(), "bool", f"'{word}'")
            left = Node(combine(left.fn, right.fn), "bool", left.pos)
        return left

    def not_(self) -> Node:
        pos = self.tok.pos
        if self.take("not", "name"):
            self.deeper()
            inner = self.need(self.not_(), "bool", "'not'")
            self.depth -= 1
            negated: Evaluator = functools.partial(_negation, inner.fn)
            return Node(negated, "bool", pos)
        return self.comparison()

    def comparison(self) -> Node:
        first = self.sum_()
        parts: list[Evaluator] = []
        left = first
        while self.tok.value in _COMPARE and self.tok.kind == "op":
            op = _COMPARE[self.take().value]  # type: ignore[union-attr]
            right = self.need(self.sum_(), "number", "a comparison")
            self.need(left, "number", "a comparison")
            parts.append(functools.partial(_comparison, op, left.fn, right.fn))
            left = right
        if not parts:
            return first
        if len(parts) == 1:
            return Node(parts[0], "bool", first.pos)
        return Node(lambda v: functools.reduce(_and, (p(v) for p in parts)), "bool", first.pos)

    def _binary(self, ops: str, sub: Callable[[], Node]) -> Node:
        left = sub()
        while self.tok.kind == "op" and self.tok.value in ops:
            op = _ARITH[self.take().value]  # type: ignore[union-attr]
            self.need(left, "number", "arithmetic")
            right = self.need(sub(), "number", "arithmetic")
            left = Node(functools.partial(_arithmetic, op, left.fn, right.fn), "number", left.pos)
        return left

    def sum_(self) -> Node:
        return self._binary("+-", self.product)

    def product(self) -> Node:
        return self._binary("*/", self.unary)

    def unary(self) -> Node:
        pos = self.tok.pos
        if self.take("-", "op"):
            self.deeper()
            inner = self.need(self.unary(), "number", "'-'")
            self.depth -= 1
            return Node(functools.partial(_minus, inner.fn), "number", pos)
        return self.atom()

    def atom(self) -> Node:
        tok = self.tok
        if self.take(kind="num"):
            value = float(tok.value)
            if not math.isfinite(value):
                raise self.error("number too large", tok.pos)
            return Node(lambda v: value, "number", tok.pos)
        if self.take("(", "op"):
            self.deeper()
            node = self.or_()
            self.expect(")")
            self.depth -= 1
            return node
        if self.take(kind="name"):
            if self.tok.value == "(":
                return self.call(tok)
            return self.name(tok)
        raise self.error("expected a number, a name or '('" if tok.kind != "end" else "the expression ends too early")

    def name(self, tok: Token) -> Node:
        if tok.value in KEYWORDS:
            raise self.error(
                f"'{tok.value}' needs a condition before it" if tok.value != "not" else "misplaced 'not'", tok.pos
            )
        if tok.value in self.constants:
            value = float(self.constants[tok.value])
            return Node(lambda v: value, "number", tok.pos)
        if self.scope == "rep" and tok.value in REP_NAMES:
            key = tok.value
            return Node(lambda v: _number(v.get(key)), "number", tok.pos)
        if tok.value in self.names and self.scope == "rep":
            raise self.error(
                f"measure {tok.value!r} needs an aggregate in a rep rule (rep_min, rep_max, rep_mean, rep_range)",
                tok.pos,
            )
        if tok.value not in self.names:
            known = sorted(self.names | set(self.constants) | (set(REP_NAMES) if self.scope == "rep" else set()))
            raise self.error(f"unknown name {tok.value!r} (known: {', '.join(known)})", tok.pos)
        self.used.add(tok.value)
        key = tok.value
        return Node(lambda v: _number(v.get(key)), "number", tok.pos)

    def call(self, tok: Token) -> Node:
        self.expect("(")
        self.deeper()
        node = self._call(tok)
        self.depth -= 1
        return node

    def _call(self, tok: Token) -> Node:
        if tok.value in AGGREGATES:
            if self.scope != "rep":
                raise self.error(f"{tok.value}() is only allowed in rep rules", tok.pos)
            arg = self.take(kind="name")
            if not arg or arg.value not in self.names:
                raise self.error(f"{tok.value}() takes one measure name", tok.pos)
            self.expect(")")
            self.used.add(arg.value)
            agg, key = AGGREGATES[tok.value], arg.value
            return Node(lambda v: _aggregate(agg, v.get(key)), "number", tok.pos)
        if tok.value not in FUNCTIONS:
            raise self.error(f"unknown function {tok.value!r} (known: {', '.join([*FUNCTIONS, *AGGREGATES])})", tok.pos)
        args = [self.need(self.or_(), "number", f"{tok.value}()")]
        while self.take(",", "op"):
            args.append(self.need(self.or_(), "number", f"{tok.value}()"))
        self.expect(")")
        if tok.value == "abs" and len(args) != 1:
            raise self.error("abs() takes one argument", tok.pos)
        if tok.value in ("min", "max") and len(args) < 2:
            raise self.error(f"{tok.value}() takes two or more arguments", tok.pos)
        fn, fns = FUNCTIONS[tok.value], [a.fn for a in args]
        return Node(lambda v: _nan_safe(fn, [f(v) for f in fns]), "number", tok.pos)


# Three-valued logic: a condition is True, False or None (unknown: it reads a measure the camera
# did not see). Unknown stays unknown through `not`, `and` and `or` unless the other side
# decides (False and unknown is False; True or unknown is True), and a rule fires only on True.


def _negation(f: Evaluator, v: Mapping[str, object]) -> bool | None:
    return _not(f(v))


def _comparison(
    op: Callable[[float, float], object], a: Evaluator, b: Evaluator, v: Mapping[str, object]
) -> bool | None:
    return _compare(op, a(v), b(v))


def _arithmetic(op: Callable[[float, float], float], a: Evaluator, b: Evaluator, v: Mapping[str, object]) -> float:
    return float(op(a(v), b(v)))


def _minus(f: Evaluator, v: Mapping[str, object]) -> float:
    return -f(v)


def _compare(op: Callable[[float, float], object], a: float, b: float) -> bool | None:
    if math.isnan(a) or math.isnan(b):
        return None
    return bool(op(a, b))


def _not(a: bool | None) -> bool | None:
    return None if a is None else not a


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _nan_safe(fn: Callable[..., float], args: list[float]) -> float:
    return math.nan if any(math.isnan(a) for a in args) else float(fn(*args))


def _aggregate(agg: Callable[[np.ndarray], float], series: object) -> float:
    arr = np.asarray(series if series is not None else [], dtype=float)
    if arr.size == 0 or np.isnan(arr).all():
        return math.nan
    return agg(arr)


@dataclass(frozen=True)
class Expression:
    """A compiled rule. `names` lists the measures it reads."""

    text: str
    kind: Kind
    names: frozenset[str]
    _fn: Evaluator

    def __call__(self, values: Mapping[str, object]) -> object:
        return self._fn(values)

    def test(self, values: Mapping[str, object]) -> bool:
        """Evaluate a condition: True only when it is known to hold. A missing measure (NaN)
        makes a comparison unknown, and unknown never fires a rule, whatever `not` says."""
        return self._fn(values) is True

    def truth(self, values: Mapping[str, object]) -> bool | None:
        """The condition's three-valued result: True, False or None (unknown)."""
        result = self._fn(values)
        return None if result is None else bool(result)


def compile_expression(
    text: str,
    names: frozenset[str] | set[str],
    scope: Scope = "frame",
    want: Kind | None = "bool",
    constants: Mapping[str, float] | None = None,
) -> Expression:
    """Compile a rule. `names` are the values it may read at run time, `constants` the
    template's named numbers, folded in now (so an override of one needs no new rule text)."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:40] + "...", MAX_LENGTH, f"longer than {MAX_LENGTH} characters")
    parser = _Parser(text, frozenset(names), scope, constants or {})
    node = parser.parse()
    if want and node.kind != want:
        raise ExpressionError(
            text, 0, f"the expression must be a {'condition' if want == 'bool' else 'number'}, not a {node.kind}"
        )
    return Expression(text, node.kind, frozenset(parser.used), node.fn)

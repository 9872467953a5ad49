"""Does a workload identity provider's ``attributeCondition`` admit one AWS role only?

Attribute conditions are CEL (https://cloud.google.com/iam/docs/workload-identity-federation#conditions).
This module parses the part of CEL conditions are written in — ``||``, ``&&``, ``!``,
comparisons, ``in``, method calls, selections, string/number/list literals, the ternary —
and answers one question about the result: does every identity it lets through come from
one AWS role? A condition that cannot be parsed, or uses what is not understood here, does
not pin (the rule then asks for a plain form).

Pinning forms (``X`` an attribute holding the caller's ARN, see :func:`arn_kinds`):

- ``X.startsWith("arn:aws:sts::<account>:assumed-role/<role>/")``: the trailing ``/`` ends
  the role name (without it, ``.../gcp_if_org_abc`` also admits ``gcp_if_org_abcd``);
- ``X == "<an exact ARN>"`` and ``X in ["<ARN>", ...]``;
- ``A && B`` pins when either side pins; ``A || B`` only when both do; ``!A`` never.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

#: The prefix of a session ARN whose role name is closed by its trailing slash.
_PINNED_PREFIX = re.compile(r"arn:aws:sts::[0-9]{12}:assumed-role/[\w+=,.@-]+/.*")
#: An ARN without wildcards (CEL ``==`` is exact, but ``*`` would suggest a mistake).
_EXACT_ARN = re.compile(r"arn:aws:(?:sts|iam)::[0-9]{12}:[^*?\s]+")

#: Google's default mapping for AWS providers (when ``attributeMapping`` is not set):
#: ``google.subject`` is the caller's ARN, ``attribute.aws_role`` the role's ARN.
#: https://cloud.google.com/iam/docs/workload-identity-federation-with-other-clouds
DEFAULT_AWS_MAPPING = {
    "google.subject": "assertion.arn",
    "attribute.aws_role": "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
}


class CelError(ValueError):
    """The condition is not CEL this module can read."""


@dataclass(frozen=True)
class Node:
    kind: str  # or, and, not, cmp, call, sel, ident, str, num, list, other
    value: Any = None
    children: tuple["Node", ...] = ()


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<str>[rR]?(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))
  | (?P<num>[0-9]+(?:\.[0-9]+)?[uU]?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\|\||&&|==|!=|<=|>=|[<>!?:.,()\[\]{}+\-*/%])
    """,
    re.VERBOSE,
)


def _unquote(text: str) -> str:
    raw = text[0] in "rR"
    body = text[2:-1] if raw else text[1:-1]
    if raw:
        return body
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise CelError(f"unexpected character {text[pos]!r} at {pos}")
        pos = match.end()
        kind = match.lastgroup or ""
        if kind != "ws":
            out.append((kind, match.group()))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> Optional[str]:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, expected: Optional[str] = None) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise CelError("unexpected end of condition")
        token = self.tokens[self.i]
        if expected is not None and token[1] != expected:
            raise CelError(f"expected {expected!r}, got {token[1]!r}")
        self.i += 1
        return token

    def parse(self) -> Node:
        node = self.conditional()
        if self.peek() is not None:
            raise CelError(f"unexpected {self.peek()!r}")
        return node

    def conditional(self) -> Node:
        node = self.disjunction()
        if self.peek() == "?":
            self.take("?")
            yes = self.conditional()
            self.take(":")
            no = self.conditional()
            return Node("other", "?:", (node, yes, no))
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.peek() == "||":
            self.take()
            node = Node("or", None, (node, self.conjunction()))
        return node

    def conjunction(self) -> Node:
        node = self.relation()
        while self.peek() == "&&":
            self.take()
            node = Node("and", None, (node, self.relation()))
        return node

    def relation(self) -> Node:
        node = self.additive()
        while self.peek() in ("==", "!=", "<", "<=", ">", ">=", "in"):
            op = self.take()[1]
            node = Node("cmp", op, (node, self.additive()))
        return node

    def additive(self) -> Node:
        node = self.unary()
        while self.peek() in ("+", "-", "*", "/", "%"):
            op = self.take()[1]
            node = Node("other", op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() == "!":
            self.take()
            return Node("not", None, (self.unary(),))
        if self.peek() == "-":
            self.take()
            return Node("other", "neg", (self.unary(),))
        return self.member()

    def member(self) -> Node:
        node = self.primary()
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "ident":
                    raise CelError(f"expected a field or method name, got {name!r}")
                if self.peek() == "(":
                    node = Node("call", name, (node, *self.arguments(")")))
                else:
                    node = Node("sel", name, (node,))
            else:
                index = self.conditional()
                self.take("]")
                node = Node("other", "index", (node, index))
        return node

    def arguments(self, closing: str) -> list[Node]:
        self.take()  # the opening bracket
        items: list[Node] = []
        while self.peek() != closing:
            items.append(self.conditional())
            if self.peek() == ",":
                self.take()
            elif self.peek() != closing:
                raise CelError(f"expected ',' or {closing!r}, got {self.peek()!r}")
        self.take(closing)
        return items

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "str":
            return Node("str", _unquote(text))
        if kind == "num":
            return Node("num", text)
        if kind == "ident":
            if text in ("true", "false", "null"):
                return Node("other", text)
            if self.peek() == "(":  # a global function: size(x), int(x)...
                return Node("call", text, (Node("other", None), *self.arguments(")")))
            return Node("ident", text)
        if text == "(":
            node = self.conditional()
            self.take(")")
            return node
        if text == "[":
            self.i -= 1
            return Node("list", None, tuple(self.arguments("]")))
        raise CelError(f"unexpected {text!r}")


def parse(condition: str) -> Node:
    return _Parser(condition).parse()


def path(node: Node) -> Optional[str]:
    """``assertion.arn`` for a pure selection chain, else None."""
    if node.kind == "ident":
        return str(node.value)
    if node.kind == "sel":
        inner = path(node.children[0])
        return f"{inner}.{node.value}" if inner else None
    return None


def _squash(expression: str) -> str:
    return re.sub(r"\s+", "", expression).replace('"', "'")


def arn_kinds(mapping: Optional[Mapping[str, Any]]) -> dict[str, str]:
    """Which condition attributes hold an ARN: ``session`` (the caller's
    ``arn:aws:sts::<account>:assumed-role/<role>/<session>``) or ``role`` (Google's
    ``aws_role`` extraction, ``arn:aws:sts::<account>:assumed-role/<role>``)."""
    given = dict(mapping) if mapping else dict(DEFAULT_AWS_MAPPING)
    kinds = {"assertion.arn": "session"}
    role_extract = _squash("assertion.arn.extract('assumed-role/{role_name}/')")
    for target, expression in given.items():
        if not isinstance(expression, str):
            continue
        if _squash(expression) == "assertion.arn":
            kinds[target] = "session"
        elif role_extract in _squash(expression):
            kinds[target] = "role"
    return kinds


def _exact(node: Node) -> bool:
    return node.kind == "str" and bool(_EXACT_ARN.fullmatch(str(node.value)))


def _pins(node: Node, kinds: Mapping[str, str]) -> bool:
    if node.kind == "or":
        return all(_pins(child, kinds) for child in node.children)
    if node.kind == "and":
        return any(_pins(child, kinds) for child in node.children)
    if node.kind == "call" and node.value == "startsWith" and len(node.children) == 2:
        subject, prefix = node.children
        return (
            kinds.get(path(subject) or "") is not None
            and prefix.kind == "str"
            and bool(_PINNED_PREFIX.fullmatch(str(prefix.value)))
        )
    if node.kind == "cmp" and node.value == "==":
        left, right = node.children
        if kinds.get(path(left) or ""):
            return _exact(right)
        return bool(kinds.get(path(right) or "")) and _exact(left)
    if node.kind == "cmp" and node.value == "in":
        subject, options = node.children
        return (
            bool(kinds.get(path(subject) or ""))
            and options.kind == "list"
            and bool(options.children)
            and all(_exact(option) for option in options.children)
        )
    return False


def pins_one_role(condition: Any, mapping: Optional[Mapping[str, Any]] = None) -> tuple[bool, str]:
    """(pinned, why not): does ``condition`` admit callers of one AWS role only?"""
    if not isinstance(condition, str) or not condition.strip():
        return False, "it has no attributeCondition, so every identity of the AWS account is admitted"
    try:
        tree = parse(condition)
    except CelError as exc:
        return False, f"its attributeCondition cannot be read ({exc})"
    if _pins(tree, arn_kinds(mapping)):
        return True, ""
    return False, (
        "its attributeCondition does not pin one role: use "
        "assertion.arn.startsWith('arn:aws:sts::<account>:assumed-role/<role>/') (the trailing '/' ends "
        "the role name) or an exact == on the ARN, joined to anything else with &&"
    )

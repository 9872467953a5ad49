"""A small, pure evaluator of AWS IAM policy documents against one concrete request.

Given one request (action, resource, principal, condition context), the principal's
identity-based policies, the resource's policy (a bucket policy; a role's trust policy
for ``sts:AssumeRole``) and the principal's permissions boundary, :func:`evaluate` says
what AWS decides, and which statements made it so. It follows the IAM User Guide:
"Policy evaluation logic", "Cross-account policy evaluation logic", "Permissions
boundaries for IAM entities", "IAM JSON policy elements" (Action, NotAction, Resource,
NotResource, Principal, NotPrincipal, Condition), "Condition operators", "Conditions with
multiple context keys or values", "Single-valued vs. multivalued context keys" and "IAM
policy elements: Variables and tags". Comments cite the page behind each subtle rule.

Not modelled: AWS Organizations SCPs and RCPs, session policies, VPC endpoint policies,
S3 ACLs and Block Public Access, KMS key policies' own rules, and service-specific
behaviour. Nor does it know which context keys a real request carries: the caller puts
them in ``Request.context`` (``aws:PrincipalArn`` too; nothing is derived from the
principal). Standard library only. Whatever AWS would reject, or this module cannot
evaluate faithfully, raises :class:`PolicyError` rather than being guessed at.

Why our own: of the Python libraries, principalmapper (AGPL-3.0, unmaintained since 2022)
evaluates conditions but gets missing keys wrong (``StringNotLike`` on an absent key is
false), and policyglass reasons symbolically about statements rather than deciding one
concrete request; AWS's own simulator is an API call, which the offline check cannot make.
"""

from __future__ import annotations

import base64
import ipaddress
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, NamedTuple

__all__ = [
    "Decision",
    "Evaluation",
    "PolicyError",
    "PolicySource",
    "Principal",
    "Request",
    "StatementRef",
    "evaluate",
    "statement_applies",
]


class PolicyError(ValueError):
    """A document AWS would reject, or one this module cannot evaluate faithfully."""


# --- Principals ------------------------------------------------------------------------

_ACCOUNT_ID = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"arn:aws[a-z-]*:(iam|sts)::(\d{12}):(\w[\w-]*)(?:/(.+))?")
#: What a policy shows for a principal deleted since ("AWS JSON policy elements:
#: Principal"): its unique ID (AIDA..., AROA...). It names no live principal.
_UNIQUE_ID = re.compile(r"A[A-Z0-9]{15,}")


class _Identity(NamedTuple):
    """An AWS principal, parsed; user and role names without their path (they are unique
    in an account anyway)."""

    account: str
    type: str  # root | user | role | assumed-role | federated-user
    name: str  # user or role name; "<role>/<session>"; federated user; "" for root

    @property
    def role(self) -> str | None:
        if self.type == "role":
            return self.name
        return self.name.split("/")[0] if self.type == "assumed-role" else None


def _parse_aws(value: str) -> _Identity | None:
    if _ACCOUNT_ID.fullmatch(value):
        return _Identity(value, "root", "")
    m = _IAM_ARN.fullmatch(value)
    if m is None:
        return None
    service, account, kind, rest = m.groups()
    parts = (rest or "").split("/")
    if (service, kind, rest) == ("iam", "root", None):
        return _Identity(account, "root", "")
    if service == "iam" and kind in ("user", "role") and rest and parts[-1]:
        return _Identity(account, kind, parts[-1])
    if (service, kind, len(parts)) in (("sts", "assumed-role", 2), ("sts", "federated-user", 1)):
        return _Identity(account, kind, rest) if all(parts) else None
    return None


@dataclass(frozen=True)
class Principal:
    """Who makes the request; build one with the class methods."""

    kind: str  # "aws", "service", "federated" or "anonymous"
    name: str = ""  # an ARN (an account ID becomes its root ARN), a service, a provider

    def __post_init__(self) -> None:
        valid = {
            "aws": lambda: _parse_aws(self.name) is not None,
            "service": lambda: bool(self.name) and "*" not in self.name,
            "federated": lambda: bool(self.name) and "*" not in self.name,
            "anonymous": lambda: not self.name,
        }
        if not valid.get(self.kind, lambda: False)():
            raise ValueError(f"not a valid {self.kind} principal: {self.name!r}")

    @classmethod
    def aws(cls, arn_or_account: str) -> Principal:
        """A user, role, assumed-role session, federated-user or root ARN, or a bare
        12-digit account ID (that account's root user)."""
        if _ACCOUNT_ID.fullmatch(arn_or_account):
            return cls("aws", f"arn:aws:iam::{arn_or_account}:root")
        return cls("aws", arn_or_account)

    @classmethod
    def service(cls, name: str) -> Principal:
        return cls("service", name)

    @classmethod
    def federated(cls, name: str) -> Principal:
        return cls("federated", name)

    @classmethod
    def anonymous(cls) -> Principal:
        return cls("anonymous")

    @property
    def account(self) -> str | None:
        """The account of an AWS principal, else None."""
        return self._identity.account if self.kind == "aws" else None

    @property
    def _identity(self) -> _Identity:
        identity = _parse_aws(self.name)
        assert identity is not None, "an AWS principal, checked in __post_init__"
        return identity


# --- Requests, policies, results -------------------------------------------------------

_Scalar = str | bool | int | float | bytes | datetime


@dataclass(frozen=True)
class Request:
    """One request. ``context`` maps condition keys (case-insensitive) to a string, bool,
    number, or a list of them for a multivalued key; an absent key is not in the request
    (so are a None value and an empty list)."""

    action: str  # "ec2:StartInstances"
    resource: str  # an ARN, or "*"
    principal: Principal
    context: Mapping[str, Any] = field(default_factory=dict)
    _values: dict[str, tuple[_Scalar, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[\w-]+:\w+", self.action):
            raise ValueError(f"not a service:Action name: {self.action!r}")
        if not self.resource:
            raise ValueError("a request needs a resource: an ARN, or '*'")
        for key, value in self.context.items():
            # "IAM JSON policy elements: Condition": key names, tag keys included, are
            # not case-sensitive, so two keys differing only in case are one to AWS.
            if key.lower() in self._values:
                raise ValueError(f"context keys differ only in case: {key!r}")
            values = tuple(value) if isinstance(value, (list, tuple)) else (value,)
            for v in values:
                if not isinstance(v, (str, bool, int, float, bytes, datetime, type(None))):
                    raise TypeError(f"context key {key!r}: unsupported value {v!r}")
            # An empty set is an absent key throughout: "Creating a condition with
            # multiple keys or values" gives both the same ForAllValues/ForAnyValue results.
            values = tuple(v for v in values if v is not None)
            if values:
                self._values[key.lower()] = values

    def values(self, key: str) -> tuple[_Scalar, ...] | None:
        """The values of a condition key in this request; None when it is absent."""
        return self._values.get(key.lower())


@dataclass(frozen=True)
class PolicySource:
    label: str  # for messages, e.g. "aws:iam/rolePolicy:RolePolicy steady-state"
    document: Mapping[str, Any]  # a parsed policy document


class Decision(Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


@dataclass(frozen=True)
class StatementRef:
    source: str  # the PolicySource label
    index: int  # 0-based position in Statement
    sid: str | None = None

    def __str__(self) -> str:
        return f"statement {self.sid or f'#{self.index}'} of {self.source}"


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    allowing: tuple[StatementRef, ...] = ()  # every applicable Allow: identity, resource, boundary
    denying: tuple[StatementRef, ...] = ()  # every applicable Deny

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW


# --- Wildcards and policy variables ------------------------------------------------------


class _Wild(Enum):
    STAR = "*"
    QMARK = "?"


_Tokens = list[str | _Wild]
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE_BODY = re.compile(r"\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?")


def _text(value: _Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _raw_tokens(text: str) -> _Tokens:
    return [_Wild(t) if t in "*?" else t for t in re.split(r"([*?])", text) if t]


def _tokens(pattern: str, request: Request, variables: bool) -> _Tokens | None:
    """The literal text and wildcards of a policy string, its variables substituted.

    "IAM policy elements: Variables and tags": ``${*}``, ``${?}`` and ``${$}`` are those
    characters, literally; ``${key, 'default'}`` falls back to its default; a variable
    with no value is "effectively null": None here, for nothing equals or is like it and
    a Resource holding it "will not match any resource". A multivalued key cannot be a
    policy variable, so it has no value. Substituted text is literal, never a wildcard.
    """
    out: _Tokens = []
    pos = 0
    for m in _VARIABLE.finditer(pattern) if variables else ():
        out += _raw_tokens(pattern[pos : m.start()])
        pos = m.end()
        body = _VARIABLE_BODY.fullmatch(m.group(1))
        if m.group(1) in ("*", "?", "$"):
            out.append(m.group(1))
        elif body is None:
            raise PolicyError(f"malformed policy variable {m.group(0)!r}")
        elif (values := request.values(body.group(1))) is not None and len(values) == 1:
            out.append(_text(values[0]))
        elif body.group(2) is not None:
            out.append(body.group(2))
        else:
            return None
    return out + _raw_tokens(pattern[pos:])


def _regex(tokens: _Tokens, *, arn: bool = False) -> str:
    """A regex for wildcard tokens. With ``arn`` ("IAM JSON policy elements: Resource"),
    * and ? match within one colon-separated segment, except that a * which is the last
    character of a segment "can expand to match beyond the colon boundaries"."""
    parts = []
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ":"
        if token is _Wild.STAR:
            spans = not arn or (isinstance(after, str) and after.startswith(":"))
            parts.append(".*" if spans else "[^:]*")
        elif token is _Wild.QMARK:
            parts.append("[^:]" if arn else ".")
        else:
            parts.append(re.escape(token))
    return "".join(parts)


def _fullmatch(regex: str, text: str, flags: int = 0) -> bool:
    return re.fullmatch(regex, text, flags | re.DOTALL) is not None


def _strings(value: Any, element: str) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"{element} must be a string or a list of strings")
    return tuple(values)


# --- Condition operators ---------------------------------------------------------------

_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}
_COMPARE = {"Equals": operator.eq, "LessThan": operator.lt, "LessThanEquals": operator.le}
_COMPARE |= {"GreaterThan": operator.gt, "GreaterThanEquals": operator.ge}
_POSITIVE = {f"{family}{cmp}" for family in ("Numeric", "Date") for cmp in _COMPARE}
_POSITIVE |= {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "Bool", "BinaryEquals"}
_POSITIVE |= {"IpAddress", "ArnEquals", "ArnLike"}
#: "IAM policy elements: Variables and tags": variables work with the String and ARN
#: operators only. ("Condition operators" says Bool takes them too; we follow the
#: variables page, so a "${...}" Bool value is a PolicyError, like any non-boolean.)
_TAKES_VARIABLES = ("String", "Arn")


class _Operator(NamedTuple):
    name: str
    set_op: str  # "ForAllValues", "ForAnyValue" or ""
    test: str  # the positive operator it applies, or "Null"
    negated: bool
    if_exists: bool


def _parse_operator(name: str) -> _Operator:
    set_op, _, base = name.rpartition(":")
    if_exists = base.endswith("IfExists") and base != "IfExists"
    base = base[: -len("IfExists")] if if_exists else base
    # "Condition operators": IfExists goes with any operator "except the Null condition".
    if set_op not in ("", "ForAllValues", "ForAnyValue") or (
        base == "Null" and (if_exists or set_op)
    ):
        raise PolicyError(f"unknown condition operator {name!r}")
    if base != "Null" and base not in _NEGATED and base not in _POSITIVE:
        raise PolicyError(f"unknown condition operator {name!r}")
    return _Operator(name, set_op, _NEGATED.get(base, base), base in _NEGATED, if_exists)


_W3C_DATE = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?"
    r"(Z|[+-]\d{2}:\d{2})?)?)?"
)


def _date(value: _Scalar) -> datetime:
    """A date as "Condition operators" allows: W3C ISO 8601, or epoch (UNIX) seconds. A
    string of digits is epoch seconds (so a bare year, "2020", is not a date here); a time
    without the zone designator that W3C requires is taken as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = _text(value).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), timezone.utc)
    if (m := _W3C_DATE.fullmatch(text)) is None:
        raise ValueError("not an ISO 8601 date or epoch time")
    *parts, frac, zone = m.groups()
    y, mo, d, h, mi, s = (int(p) if p else dflt for p, dflt in zip(parts, (0, 0, 1, 0, 0, 0)))
    offset = (
        timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        if zone and zone != "Z"
        else timedelta()
    )
    tz = timezone(-offset if zone and zone[0] == "-" else offset)
    return datetime(y, mo, d, h, mi, s, int((frac or "0").ljust(6, "0")), tz)


def _convert(family: str, value: _Scalar) -> Any:
    """A policy or request value as the operator ``family`` compares it."""
    text = _text(value).strip()
    try:
        if family == "Numeric" and not isinstance(value, bool):
            if (number := Decimal(text)).is_finite():
                return number
        elif family == "Date":
            return _date(value)
        elif family == "Bool" and text.lower() in ("true", "false"):
            # "Condition operators" (Bool): true or false; JSON booleans too, any case.
            return text.lower() == "true"
        elif family == "Binary":
            return value if isinstance(value, bytes) else base64.b64decode(text, validate=True)
        elif family == "IpAddress":
            # "Condition operators" (IP address): a CIDR; a bare address is a /32 (/128).
            return ipaddress.ip_network(text, strict=False)
    except (ValueError, InvalidOperation):
        pass
    kind = {"Numeric": "a number", "Date": "an ISO 8601 date or epoch time", "Bool": "a boolean"}
    kind |= {"Binary": "base-64 encoded binary", "IpAddress": "an IP address or CIDR"}
    raise PolicyError(f"not {kind[family]}: {value!r}")


def _family(test: str) -> str:
    return next(f for f in ("Numeric", "Date", "Bool", "Binary", "IpAddress") if test.startswith(f))


def _arn_like(tokens: _Tokens, arn: str) -> bool:
    """ArnEquals/ArnLike ("Condition operators"): each of the six colon-delimited
    components is matched separately, * and ? within it. Our choice: a pattern of just "*"
    matches any value."""
    if tokens == [_Wild.STAR]:
        return True
    components: list[_Tokens] = [[]]
    for token in tokens:
        for i, piece in enumerate(token.split(":") if isinstance(token, str) else [token]):
            if i and len(components) < 6:
                components.append([])
            elif i:  # the sixth component, the resource, keeps its colons
                components[-1].append(":")
            if piece:
                components[-1].append(piece)
    values = arn.split(":", 5)
    if len(components) != 6 or len(values) != 6:
        return False
    return all(_fullmatch(_regex(c), v) for c, v in zip(components, values))


def _test(test: str, actual: _Scalar, expected: Any, request: Request, variables: bool) -> bool:
    """One request value against one policy value, for a positive operator."""
    if not test.startswith(_TAKES_VARIABLES):
        family = _family(test)
        got, want = _convert(family, actual), _convert(family, expected)
        if family in ("Numeric", "Date"):
            return _COMPARE[test[len(family) :]](got, want)
        if family == "IpAddress":
            return got.version == want.version and got.subnet_of(want)
        return got == want
    tokens = _tokens(_text(expected), request, variables)
    if tokens is None:  # a variable with no value: nothing equals or is like it
        return False
    if test.startswith("Arn"):
        return _arn_like(tokens, _text(actual))
    if test == "StringLike":
        return _fullmatch(_regex(tokens), _text(actual))
    literal = "".join(t.value if isinstance(t, _Wild) else t for t in tokens)
    if test == "StringEqualsIgnoreCase":
        return literal.casefold() == _text(actual).casefold()
    return literal == _text(actual)


def _policy_values(op: _Operator, key: str, values: Any) -> tuple[Any, ...]:
    """One key's policy values, checked (whatever the request) so a bad one always fails."""
    values = tuple(values) if isinstance(values, list) else (values,)
    for v in values:
        if not isinstance(v, (str, bool, int, float)):
            raise PolicyError(f"{op.name} {key}: unsupported value {v!r}")
        if op.test == "Null":
            _convert("Bool", v)
        elif op.test.startswith("Arn") and v != "*" and "${" not in _text(v):
            if _text(v).count(":") < 5:
                raise PolicyError(f"{op.name} {key}: not an ARN: {v!r}")
        elif not op.test.startswith(_TAKES_VARIABLES):
            if "${" in _text(v):
                raise PolicyError(
                    f"{op.name} {key}: policy variables only work with String and Arn operators"
                )
            _convert(_family(op.test), v)
    return values


def _condition_holds(
    op: _Operator, key: str, expected: tuple[Any, ...], request: Request, variables: bool
) -> bool:
    actual = request.values(key)
    if op.test == "Null":  # "true": the key is absent (several values are OR-ed)
        return any(_convert("Bool", v) == (actual is None) for v in expected)
    if actual is None:
        # "Condition operators": a missing key makes the condition false, but true for a
        # negated operator ("such as StringNotLike or ArnNotLike") and for ...IfExists;
        # "Creating a condition with multiple keys or values": ForAllValues is then true
        # and ForAnyValue false.
        if op.if_exists or op.set_op == "ForAllValues":
            return True
        return op.negated and not op.set_op

    def holds(value: _Scalar) -> bool:
        # Several policy values are OR-ed; for a negated operator their result is NOR-ed
        # ("Conditions with multiple context keys or values").
        return any(_test(op.test, value, v, request, variables) for v in expected) != op.negated

    if op.set_op == "ForAllValues":
        return all(map(holds, actual))
    if op.set_op == "ForAnyValue":
        return any(map(holds, actual))
    if len(actual) > 1:
        # "Single-valued vs. multivalued context keys": "Multivalued context keys require
        # a condition set operator"; what AWS does without one is not documented.
        raise PolicyError(
            f"{op.name} on {key}, which has several values in the request: "
            "a multivalued key needs ForAllValues: or ForAnyValue:"
        )
    return holds(actual[0])


# --- Statements --------------------------------------------------------------------------

_ELEMENTS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction"}
_ELEMENTS |= {"Resource", "NotResource", "Condition"}


def _principal_entries(element: Any) -> list[tuple[str, str]]:
    if element == "*":
        return [("*", "*")]
    if not isinstance(element, Mapping):
        raise PolicyError('Principal must be "*" or an object')
    entries = []
    for ptype, values in element.items():
        if ptype not in ("AWS", "Service", "Federated", "CanonicalUser"):
            raise PolicyError(f"unknown principal type {ptype!r}")
        for value in _strings(values, f"Principal {ptype}"):
            # "AWS JSON policy elements: Principal": "You cannot use a wildcard to match
            # part of a principal name or ARN"; {"AWS": "*"} is the one whole wildcard.
            if "*" in value and (ptype, value) != ("AWS", "*"):
                raise PolicyError(f"wildcard in principal {value!r}")
            parsed = ptype != "AWS" or value == "*" or _parse_aws(value) is not None
            if not parsed and not _UNIQUE_ID.fullmatch(value):
                raise PolicyError(f"not an AWS principal: {value!r}")
            entries.append((ptype, value))
    return entries


def _check_statement(statement: Any, *, resource_policy: bool) -> None:
    if not isinstance(statement, Mapping):
        raise PolicyError("a statement must be an object")
    if unknown := sorted(set(statement) - _ELEMENTS):
        raise PolicyError(f"unknown element(s) {', '.join(unknown)}")
    has = {element: element in statement for element in _ELEMENTS}
    if statement.get("Effect") not in ("Allow", "Deny"):
        raise PolicyError('Effect must be "Allow" or "Deny"')
    if has["Action"] == has["NotAction"]:
        raise PolicyError("a statement needs exactly one of Action and NotAction")
    if has["Resource"] and has["NotResource"]:
        raise PolicyError("a statement cannot have both Resource and NotResource")
    if not (resource_policy or has["Resource"] or has["NotResource"]):
        raise PolicyError("a statement needs Resource or NotResource")
    if has["Principal"] and has["NotPrincipal"]:
        raise PolicyError("a statement cannot have both Principal and NotPrincipal")
    if resource_policy and not (has["Principal"] or has["NotPrincipal"]):
        raise PolicyError("a resource-based policy statement needs Principal or NotPrincipal")
    if not resource_policy and (has["Principal"] or has["NotPrincipal"]):
        raise PolicyError("Principal and NotPrincipal are not allowed in identity-based policies")
    for action in _strings(statement.get("Action", statement.get("NotAction")), "Action"):
        if action != "*" and ":" not in action:
            raise PolicyError(f"not a service:action pattern: {action!r}")
    _strings(statement.get("Resource", statement.get("NotResource", [])), "Resource")
    for element in ("Principal", "NotPrincipal"):
        if has[element]:
            _principal_entries(statement[element])
    conditions = statement.get("Condition", {})
    if not isinstance(conditions, Mapping):
        raise PolicyError("Condition must be an object")
    for name, block in conditions.items():
        op = _parse_operator(name)
        if not isinstance(block, Mapping):
            raise PolicyError(f"{name} must map condition keys to values")
        if len({key.lower() for key in block}) != len(block):
            raise PolicyError(f"{name}: the same condition key twice, in different case")
        for key, values in block.items():
            _policy_values(op, key, values)


#: How a resource-based policy statement names the requester, strongest first; what each
#: grant is worth is decided at the end of evaluate().
_DIRECT, _ROLE, _ACCOUNT = 3, 2, 1


def _principal_grant(entries: list[tuple[str, str]], principal: Principal) -> int:
    """How a Principal element names ``principal``: 0 when it does not."""
    best = 0
    for ptype, value in entries:
        if ptype == "*" or (ptype, value) == ("AWS", "*"):
            # "Principal": "*" is everyone. {"AWS": "*"} is every AWS principal and, "for
            # anonymous users", equivalent to "*" ("AWS JSON policy elements: Principal");
            # we do not let it name service or federated principals.
            if ptype == "*" or principal.kind in ("aws", "anonymous"):
                return _DIRECT
        elif ptype == "AWS" and principal.kind == "aws":
            entry, me = _parse_aws(value), principal._identity
            if entry is None or entry.account != me.account:
                continue
            if entry.type == "root":  # it "delegates authority to the account"
                best = max(best, _ACCOUNT)
            elif entry.type == "role" and me.role == entry.name:  # the role's sessions too
                best = max(best, _ROLE)
            elif entry == me:
                return _DIRECT
        elif (ptype.lower(), value) == (principal.kind, principal.name):  # Service, Federated
            return _DIRECT
    return best


def _not_principal_applies(
    entries: list[tuple[str, str]], principal: Principal, *, deny: bool
) -> bool:
    """Per "AWS JSON policy elements: NotPrincipal", AWS may check the account, then the
    role, then the session, so a Deny spares a principal only when that whole chain is
    listed (the page's examples list user and account; session, role and account). An
    Allow (which that page advises against) spares it when any link is listed: the
    conservative reading."""
    links: list[_Identity | tuple[str, str]]
    if principal.kind == "aws":
        me = principal._identity
        links = [_Identity(me.account, "root", "")]
        links += [_Identity(me.account, "role", me.role)] if me.role else []
        links += [me] if me.type not in ("root", "role") else []
    else:
        ptype = {"anonymous": "AWS", "service": "Service", "federated": "Federated"}
        links = [(ptype[principal.kind], principal.name or "*")]

    def listed(link: _Identity | tuple[str, str]) -> bool:
        aws = isinstance(link, _Identity)
        return any(
            ptype == "*"
            or (ptype, value) == link
            or (aws and ptype == "AWS" and (value == "*" or _parse_aws(value) == link))
            for ptype, value in entries
        )

    return not all(map(listed, links)) if deny else not any(map(listed, links))


def _applies(
    statement: Mapping[str, Any], request: Request, *, variables: bool, has_boundary: bool = False
) -> int:
    """0 when the (checked) statement does not apply to the request; else how it names the
    principal (_DIRECT for an identity-based statement)."""
    actions = _strings(statement.get("Action", statement.get("NotAction")), "Action")
    matched = any(
        _fullmatch(_regex(_raw_tokens(a)), request.action, re.IGNORECASE) for a in actions
    )
    if matched != ("Action" in statement):
        return 0
    # A resource-based statement with neither Resource nor NotResource (a role's trust
    # policy) applies to the resource it is attached to: the requested one.
    if "Resource" in statement or "NotResource" in statement:
        patterns = _strings(statement.get("Resource", statement.get("NotResource")), "Resource")
        for pattern in patterns:
            # "Variables and tags": only "in the resource portion of the ARN", after the
            # fifth colon.
            if variables and "${" in pattern and pattern.split("${")[0].count(":") < 5:
                raise PolicyError(f"policy variable before the resource part of {pattern!r}")
        tokens = (_tokens(p, request, variables) for p in patterns)
        matched = any(
            t is not None and _fullmatch(_regex(t, arn=True), request.resource) for t in tokens
        )
        if matched != ("Resource" in statement):
            return 0
    grant = _DIRECT
    if "Principal" in statement:
        grant = _principal_grant(_principal_entries(statement["Principal"]), request.principal)
    elif "NotPrincipal" in statement:
        deny = statement["Effect"] == "Deny"
        entries = _principal_entries(statement["NotPrincipal"])
        # "Permissions boundaries for IAM entities": a NotPrincipal Deny "will always deny
        # any IAM principal that has a permissions boundary policy attached".
        if not (deny and has_boundary) and not _not_principal_applies(
            entries, request.principal, deny=deny
        ):
            return 0
        grant = _ROLE  # an Allow to "everyone but ...": limited by a boundary, conservatively
    for name, block in statement.get("Condition", {}).items() if grant else ():
        op = _parse_operator(name)
        for key, values in block.items():
            if not _condition_holds(op, key, _policy_values(op, key, values), request, variables):
                return 0
    return grant


def statement_applies(
    statement: Mapping[str, Any], request: Request, *, resource_policy: bool = False
) -> bool:
    """Does one statement match the request: action, resource, principal (when it comes from
    a resource-based policy) and condition? Its Effect plays no part. Policy variables are
    substituted, as in a "2012-10-17" document."""
    _check_statement(statement, resource_policy=resource_policy)
    return _applies(statement, request, variables=True) > 0


# --- Evaluation ----------------------------------------------------------------------------

#: Authorized by the role's trust policy, which must itself allow them: "IAM role trust
#: policies and KMS key policies are exceptions ... they must explicitly allow access for
#: principals" ("Policy evaluation logic").
_TRUST_ACTIONS = {"assumerole", "assumerolewithsaml", "assumerolewithwebidentity", "tagsession"}
_TRUST_ACTIONS = {f"sts:{a}" for a in _TRUST_ACTIONS | {"setsourceidentity", "setcontext"}}


def _scan(
    source: PolicySource, request: Request, *, resource_policy: bool, has_boundary: bool = False
) -> tuple[list[tuple[StatementRef, int]], list[StatementRef]]:
    """The applicable Allow statements of one policy, with their grants, and its applicable
    Deny statements. Every statement is checked before any is evaluated."""
    doc = source.document
    if not isinstance(doc, Mapping):
        raise PolicyError(f"{source.label}: a policy document must be an object")
    if unknown := sorted(set(doc) - {"Version", "Id", "Statement"}):
        raise PolicyError(f"{source.label}: unknown element(s) {', '.join(unknown)}")
    if (version := doc.get("Version", "2008-10-17")) not in ("2012-10-17", "2008-10-17"):
        raise PolicyError(f"{source.label}: unknown Version {version!r}")
    statements = doc.get("Statement")
    statements = [statements] if isinstance(statements, Mapping) else statements
    if not isinstance(statements, list):
        raise PolicyError(f"{source.label}: Statement must be an object or a list")
    refs = []
    for index, statement in enumerate(statements):
        sid = statement.get("Sid") if isinstance(statement, Mapping) else None
        ref = StatementRef(source.label, index, sid if isinstance(sid, str) and sid else None)
        refs.append((ref, statement))
        try:
            _check_statement(statement, resource_policy=resource_policy)
        except PolicyError as e:
            raise PolicyError(f"{ref}: {e}") from None
    allows, denies = [], []
    for ref, statement in refs:
        try:
            # "Variables and tags": without Version "2012-10-17", "${...}" is plain text.
            grant = _applies(
                statement, request, variables=version == "2012-10-17", has_boundary=has_boundary
            )
        except PolicyError as e:
            raise PolicyError(f"{ref}: {e}") from None
        if grant and statement["Effect"] == "Allow":
            allows.append((ref, grant))
        elif grant:
            denies.append(ref)
    return allows, denies


def evaluate(
    request: Request,
    *,
    identity: Sequence[PolicySource] = (),
    resource_policy: PolicySource | None = None,
    boundary: PolicySource | None = None,
    resource_account: str | None = None,
) -> Evaluation:
    """AWS's decision on ``request``, given the principal's identity-based policies (inline
    and managed), the resource's policy (for sts:AssumeRole, the role's trust policy), the
    principal's permissions boundary, and the account owning the resource (None: the
    principal's own account).

    An applicable Deny in any of them is an EXPLICIT_DENY. Otherwise ("Policy evaluation
    logic", "Cross-account policy evaluation logic"):

    * Anonymous, service and federated principals have no identity-based policies and no
      boundary (those arguments are ignored, as is a boundary for the root user): the
      resource policy alone decides.
    * Cross-account, an identity-based policy must allow, the boundary (if any) too, and
      the resource policy must name the principal (naming its account is enough).
    * In the same account, an identity-based Allow that the boundary (if any) allows too
      grants, and so may a resource-based Allow. Whether the boundary limits a
      resource-based grant depends on how its Principal names the requester ("Policy
      evaluation logic", same-account table; "AWS JSON policy elements: Principal"): a
      role ARN (matching that role's sessions) is limited by it; a user, assumed-role
      session or federated-user ARN, "*" and {"AWS": "*"} are not. An account principal
      "delegates authority to the account": alone it grants nothing, the identity-based
      policies must allow. Actions authorized by a role's trust policy (sts:AssumeRole,
      ...) need that policy to allow even in the same account: with no
      ``resource_policy`` given they are denied.
    * The account root user "has full access" without identity-based policies, except that
      it cannot assume a role ("You cannot use AWS account root user credentials to call
      AssumeRole", STS API reference).
    """
    if resource_account is not None and not _ACCOUNT_ID.fullmatch(resource_account):
        raise ValueError(f"not a 12-digit account ID: {resource_account!r}")
    principal = request.principal
    is_root = principal.kind == "aws" and principal._identity.type == "root"
    has_boundary = boundary is not None and principal.kind == "aws" and not is_root
    id_allows: list[tuple[StatementRef, int]] = []
    rp_allows: list[tuple[StatementRef, int]] = []
    b_allows: list[tuple[StatementRef, int]] = []
    denies: list[StatementRef] = []
    for source in identity if principal.kind == "aws" else ():
        allows, d = _scan(source, request, resource_policy=False)
        id_allows, denies = id_allows + allows, denies + d
    if resource_policy is not None:
        rp_allows, d = _scan(
            resource_policy, request, resource_policy=True, has_boundary=has_boundary
        )
        denies += d
    if boundary is not None and has_boundary:
        b_allows, d = _scan(boundary, request, resource_policy=False)
        denies += d
    allowing = tuple(ref for ref, _ in id_allows + rp_allows + b_allows)
    if denies:
        return Evaluation(Decision.EXPLICIT_DENY, allowing, tuple(denies))
    grant = max((g for _, g in rp_allows), default=0)
    if principal.kind != "aws":
        allowed = grant > 0
    else:
        is_trust = request.action.lower() in _TRUST_ACTIONS
        in_boundary = not has_boundary or bool(b_allows)
        by_identity = (bool(id_allows) or (is_root and not is_trust)) and in_boundary
        if resource_account not in (None, principal.account):
            allowed = by_identity and grant > 0
        elif is_trust and (grant == 0 or is_root):
            allowed = False
        else:
            allowed = by_identity or grant == _DIRECT or (grant == _ROLE and in_boundary)
    return Evaluation(Decision.ALLOW if allowed else Decision.IMPLICIT_DENY, allowing, ())

"""The library's own errors and warnings.

Every bad input ends as an :class:`InvalidArgsError` that names the field, the value and
the rule it breaks; never a raw pydantic dump, ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pydantic


class AnyscaleInfraError(Exception):
    """Base class of every error this library raises on purpose."""


@dataclass(frozen=True)
class FieldProblem:
    """One broken rule: where (dotted field path), and what is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidArgsError(AnyscaleInfraError, ValueError):
    """Arguments that break an Anyscale requirement or a cloud provider rule.

    ``problems`` lists every broken rule; ``str()`` gives one readable paragraph.
    """

    def __init__(self, model: str, problems: list[FieldProblem]):
        self.model = model
        self.problems = problems
        lines = "; ".join(str(p) for p in problems)
        super().__init__(f"invalid {model}: {lines}")

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]

    @classmethod
    def from_pydantic(cls, model: str, exc: pydantic.ValidationError) -> "InvalidArgsError":
        problems: list[FieldProblem] = []
        for err in exc.errors(include_url=False):
            field = ".".join(str(part) for part in err.get("loc", ()))
            nested = (err.get("ctx") or {}).get("error")
            if isinstance(nested, InvalidArgsError):
                # A model-level rule of a (nested) args model: keep its own field names.
                problems += [
                    FieldProblem(".".join(filter(None, (field, p.field))), p.message) for p in nested.problems
                ]
            else:
                problems.append(FieldProblem(field, _readable(err)))
        return cls(model, problems)


def _readable(err: dict[str, Any]) -> str:
    """Turn one pydantic error into a sentence that keeps our own messages intact."""
    kind = err.get("type", "")
    msg = str(err.get("msg", ""))
    if kind == "value_error":
        # Our validators raise ValueError(message); pydantic prefixes "Value error, ".
        return msg.removeprefix("Value error, ")
    if kind == "assertion_error":
        return msg.removeprefix("Assertion failed, ")
    if kind == "extra_forbidden":
        return "is not a known argument (check the spelling)"
    if kind == "missing":
        return "is required"
    value = err.get("input")
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"{msg} (got {shown})"


class AnyscaleInfraWarning(UserWarning):
    """Input that Anyscale accepts but advises against (seed wording: "we recommend")."""

"""The base of every args model: strict, frozen, and failing with the library's own error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, Union

import pulumi
import pydantic
from pydantic import ConfigDict

from anyscale_infra.errors import FieldProblem, InvalidArgsError

#: A string, or a Pulumi output that will resolve to one (e.g. another component's id).
#: Format checks run on plain strings only; outputs are checked by the provider.
StrInput = Union[str, pulumi.Output]


class NetworkingMode(str, Enum):
    """Anyscale's two networking modes, on every cloud (seed 004; the resource file's
    ``networking_mode``)."""

    DIRECT = "direct"
    """Clusters reached over public IPs, in public subnets (the default, most common)."""
    PRIVATE = "private"
    """Customer-defined networking: clusters in private subnets with NAT egress, reached over
    private IPs; registered with ``--private-network``."""


class ArgsModel(pydantic.BaseModel):
    """Typed, documented, validated arguments.

    Unknown fields are errors (a typo must not be silently ignored), instances are
    immutable, and every validation failure is an :class:`InvalidArgsError` naming the
    field and the rule.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        arbitrary_types_allowed=True,
        validate_default=True,
        use_enum_values=False,
        # Build validators on first use, not at import: `import anyscale_infra.aws` stays
        # close to `import pulumi_aws` (benchmarks/run.py), and unused models cost nothing.
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise InvalidArgsError.from_pydantic(type(self).__name__, exc) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any):  # type: ignore[override]
        try:
            return super().model_validate(obj, *args, **kwargs)
        except pydantic.ValidationError as exc:
            raise InvalidArgsError.from_pydantic(cls.__name__, exc) from None

    def advisories(self) -> list[str]:
        """Input Anyscale accepts but advises against; empty by default."""
        return []


def is_plain(value: Any) -> bool:
    """True for a plain value we can check now; False for a Pulumi output."""
    return not isinstance(value, pulumi.Output)


def wired_field_problems(
    args: pydantic.BaseModel, wired: Mapping[str, Iterable[str]], setter: Callable[[str], str]
) -> list[FieldProblem]:
    """A composite's parts: each field the composite sets itself (``wired``, by part) that
    the user set too, as ``part.field`` "is set by <setter(part)>; leave it out here"."""
    return [
        FieldProblem(f"{part}.{field}", f"is set by {setter(part)}; leave it out here")
        for part, fields in wired.items()
        for field in fields
        if field in getattr(args, part).model_fields_set
    ]


def disabled_part_notes(args: pydantic.BaseModel, switches: Mapping[str, str]) -> list[str]:
    """Settings of a part whose switch (``part -> enable_...``) is off would otherwise vanish
    without a word (an existing cluster given without its switch is not registered): one
    warning per such part."""
    notes = []
    for part, switch in switches.items():
        given = sorted(getattr(args, part).model_fields_set)
        if given and not getattr(args, switch):
            fields = ", ".join(f"{part}.{field}" for field in given)
            notes.append(f"{fields} ignored: {switch} is off, so nothing is created or registered for it")
    return notes

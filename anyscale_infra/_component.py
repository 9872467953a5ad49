"""Small wiring helpers every cloud's components share (no Anyscale logic, no cloud here)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any, Optional

import pulumi

from anyscale_infra.errors import AnyscaleInfraWarning, FieldProblem, InvalidArgsError

TYPE_PREFIX = "anyscale-infra:index:"


def type_token(class_name: str) -> str:
    """``anyscale-infra:index:<ClassName>``: the component-provider host only accepts the
    ``index`` module, and changing a token later changes every child's URN (STYLE.md)."""
    return TYPE_PREFIX + class_name


#: Where a component keeps the ``depends_on`` it was given, for its children.
_INHERITED_DEPENDS_ON = "_anyscale_inherited_depends_on"


def hand_on_depends_on(component: pulumi.Resource, opts: Optional[pulumi.ResourceOptions]) -> None:
    """Pulumi passes a component's provider to its children, not its ``depends_on``: keep it
    so :func:`child` and :func:`stateful` give it to every child (e.g. the APIs a GCP cloud
    enables must exist before its network is created)."""
    depends_on = opts.depends_on if opts is not None else None
    if depends_on is None:
        depends_on = []
    setattr(component, _INHERITED_DEPENDS_ON, list(depends_on) if isinstance(depends_on, (list, tuple)) else [depends_on])


def _with_inherited(parent: pulumi.Resource, kwargs: dict[str, Any]) -> dict[str, Any]:
    inherited = getattr(parent, _INHERITED_DEPENDS_ON, None)
    if inherited:
        own = kwargs.get("depends_on") or []
        kwargs["depends_on"] = [*inherited, *(own if isinstance(own, (list, tuple)) else [own])]
    return kwargs


def child(parent: pulumi.Resource, **kwargs: Any) -> pulumi.ResourceOptions:
    """Options for a child resource: parented to the component (provider inherited, and the
    component's ``depends_on`` when it kept it with :func:`hand_on_depends_on`)."""
    return pulumi.ResourceOptions(parent=parent, **_with_inherited(parent, kwargs))


def stateful(parent: pulumi.Resource, protect: bool, **kwargs: Any) -> pulumi.ResourceOptions:
    """Options for a resource holding data: protected unless the caller opted out."""
    return pulumi.ResourceOptions(parent=parent, protect=protect, **_with_inherited(parent, kwargs))


def emit_advisories(resource: pulumi.Resource, messages: list[str]) -> None:
    """Report advisories both as Python warnings (tests, offline preview) and as Pulumi
    warnings (shown by `pulumi preview/up` next to the component)."""
    for message in messages:
        warnings.warn(message, AnyscaleInfraWarning, stacklevel=3)
        pulumi.log.warn(message, resource=resource)


def fail(model: str, field: str, message: str) -> InvalidArgsError:
    return InvalidArgsError(model, [FieldProblem(field, message)])


def json_document(build: Callable[..., dict], **inputs: Any) -> pulumi.Output[str]:
    """Resolve ``inputs`` (plain values or outputs) and JSON-encode ``build(**values)``.

    The policy builders stay pure functions of plain strings; secretness of any input
    (e.g. the external ID) carries over to the document.
    """
    if not inputs:
        return pulumi.Output.from_input(json.dumps(build()))
    return pulumi.Output.all(**inputs).apply(lambda values: json.dumps(build(**values)))


def optional_output(value: Optional[Any]) -> pulumi.Output:
    return pulumi.Output.from_input(value)

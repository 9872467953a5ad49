"""Plain readers of resource properties that every cloud's rules share (no policy objects,
no cloud here).

Rules inspect resource *types and properties* (camelCase wire names), never our component
names, so they work on hand-written programs too. Values may be missing (a provider
default) or, during a real `pulumi preview`, unknown: readers return ``None`` then and the
rules skip what they cannot know.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from pulumi_policy import PolicyResource


def get(props: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """``props[key]``, or ``default`` when missing or unknown (the policy SDK raises
    ``UnknownValueError`` for unknown values during a preview)."""
    try:
        value = props.get(key, default)
    except Exception:  # noqa: BLE001 - unknown during preview: not knowable, so not a violation
        return default
    return default if value is None else value


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def network(value: Any) -> Optional[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def of_type(resources: Iterable[PolicyResource], *types: str) -> list[PolicyResource]:
    return [r for r in resources if r.resource_type in types]


def ident(resource: PolicyResource) -> Optional[str]:
    """The provider id of a resource (stack policies see outputs, which carry ``id``)."""
    value = get(resource.props, "id")
    return value if isinstance(value, str) and value else None

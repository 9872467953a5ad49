"""Pure validators for the identifiers, ranges and names every Anyscale cloud is built from.

Each ``check_*`` takes a plain value and returns it (normalised where that is safe) or
raises ``ValueError`` with a sentence that states the rule; the args models call them from
pydantic validators, which prefix the field name. No Pulumi and no cloud SDK in here; each
cloud's own rules (ids, ARNs, regions, limits) live in its folder (``aws/validation.py``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence

_ORG_ID = re.compile(r"^org_[A-Za-z0-9]+$")
_CLOUD_ID = re.compile(r"^cld_[A-Za-z0-9]+$")

# Anyscale cloud names: letters, digits, '-', '_' and '.', as the console accepts.
_CLOUD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def check_cidr(value: str) -> ipaddress.IPv4Network:
    """An IPv4 network in CIDR notation, with no host bits set."""
    if not isinstance(value, str) or "/" not in value:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16")
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ipaddress.NetmaskValueError:
        raise ValueError(f"{value!r} has an invalid prefix length") from None
    except ValueError as exc:
        if "host bits set" in str(exc):
            network = ipaddress.IPv4Network(value, strict=False)
            raise ValueError(f"{value} has host bits set; did you mean {network}?") from None
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16") from None


# Rules shared by validation, component advisories and the policy pack: each returns the broken
# rule as a sentence (or nothing); callers add the subject (a field, a resource) and the level.


def cidr_too_small(
    network: ipaddress.IPv4Network | ipaddress.IPv6Network, max_prefix_length: int, kind: str, verb: str = "requires"
) -> str | None:
    """``10.0.0.0/25 is smaller than the /24 Anyscale requires for a VPC``, or None.

    ``max_prefix_length``: the longest prefix still big enough (seed 004: a VPC >= /24,
    recommended >= /20; a subnet >= /28, recommended >= /24); ``verb``: "requires" or
    "recommends".
    """
    if network.prefixlen > max_prefix_length:
        return f"{network} is smaller than the /{max_prefix_length} Anyscale {verb} for a {kind}"
    return None


def is_world(cidr: str) -> bool:
    """True for a range that admits every address: ``0.0.0.0/0``, ``::/0`` (any spelling)."""
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def check_ingress_cidr(value: str) -> str:
    check_cidr(value)
    return value


def subnet_problems(vpc_cidr: str | None, subnets: Sequence[tuple[str, str]]) -> list[str]:
    """Rules across subnets: inside the VPC CIDR, and no two overlapping.

    ``subnets`` are (label, cidr) pairs; returns one sentence per broken rule.
    """
    problems: list[str] = []
    networks = [(label, ipaddress.IPv4Network(cidr)) for label, cidr in subnets]
    if vpc_cidr is not None:
        vpc = ipaddress.IPv4Network(vpc_cidr)
        for label, net in networks:
            if not net.subnet_of(vpc):
                problems.append(f"{label} {net} is outside the VPC CIDR {vpc}")
    for i, (label_a, net_a) in enumerate(networks):
        for label_b, net_b in networks[i + 1 :]:
            if net_a.overlaps(net_b):
                problems.append(f"{label_a} {net_a} overlaps {label_b} {net_b}")
    return problems


def check_org_id(value: str) -> str:
    if not _ORG_ID.match(value):
        raise ValueError(
            f"{value!r} is not an Anyscale organization id like org_7c1Kalm9WcX2bNIjW53GUT "
            "(console: Organization settings)"
        )
    return value


def check_cloud_id(value: str) -> str:
    if not _CLOUD_ID.match(value):
        raise ValueError(
            f"{value!r} is not an Anyscale cloud id like cld_abcdefghijklmnop1234567890 "
            "(printed by `anyscale cloud register`)"
        )
    return value


def check_cloud_name(value: str) -> str:
    if not _CLOUD_NAME.match(value):
        raise ValueError(
            f"cloud name {value!r} must be 1 to 128 characters of letters, digits, '.', '-' and '_', "
            "starting with a letter or digit"
        )
    return value


def duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups: list[str] = []
    for value in values:
        if value in seen and value not in dups:
            dups.append(value)
        seen.add(value)
    return dups

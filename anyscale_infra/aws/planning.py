"""Pure subnet planning for a new VPC: which AZs, which CIDR in each, which role.

Plain values in, plain values out, so the plan can be unit- and property-tested without
the mock engine. CIDRs are keyed by the AZ's *letter* (``us-west-2c`` -> slot 2), not by
its position in a list, so adding or removing an AZ never moves (and so never replaces)
another AZ's subnet: the weak spot of list-indexed planners (STYLE.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.validation import az_letter_index


class SubnetRole(str, Enum):
    PUBLIC = "public"
    """Routes 0.0.0.0/0 to the internet gateway."""
    PRIVATE = "private"
    """Routes 0.0.0.0/0 to a NAT gateway."""


@dataclass(frozen=True)
class SubnetPlan:
    availability_zone: str
    cidr_block: str
    role: SubnetRole
    cluster: bool
    """True for the subnets Anyscale launches clusters in (registered with the cloud);
    False for the public subnets that only hold NAT gateways in private networking."""

    @property
    def key(self) -> str:
        """Stable logical-name suffix, e.g. ``public-us-west-2a``."""
        return f"{self.role.value}-{self.availability_zone}"


def choose_availability_zones(available: Sequence[str], count: int) -> list[str]:
    """The first ``count`` AZs in name order (fewer if the region has fewer)."""
    return sorted(set(available))[:count]


def default_subnet_prefix_length(vpc_prefix_length: int) -> int:
    """16 equal slots (a /20 in a /16), never smaller than the /28 Anyscale allows."""
    return min(vpc_prefix_length + 4, c.MIN_SUBNET_PREFIX_LENGTH)


def plan_subnets(
    vpc_cidr: str,
    availability_zones: Sequence[str],
    *,
    private: bool,
    subnet_prefix_length: int | None = None,
    cluster_cidrs: Mapping[str, str] | None = None,
    nat_cidrs: Mapping[str, str] | None = None,
) -> list[SubnetPlan]:
    """One cluster subnet per AZ; in private networking also one public NAT subnet per AZ.

    Cluster subnets take slot ``letter`` of the VPC split into ``subnet_prefix_length``
    blocks; NAT subnets take slot ``half + letter``. Explicit ``cluster_cidrs`` /
    ``nat_cidrs`` (AZ -> CIDR) win over the computed slots. Raises ``ValueError`` when an
    AZ's slot does not fit in the VPC.
    """
    vpc = ipaddress.IPv4Network(vpc_cidr)
    prefix = subnet_prefix_length or default_subnet_prefix_length(vpc.prefixlen)
    if not vpc.prefixlen < prefix <= c.MIN_SUBNET_PREFIX_LENGTH:
        raise ValueError(
            f"subnet prefix /{prefix} must be longer than the VPC's /{vpc.prefixlen} and at most "
            f"/{c.MIN_SUBNET_PREFIX_LENGTH}"
        )
    slots = 2 ** (prefix - vpc.prefixlen)
    usable = slots // 2 if private else slots
    blocks = list(vpc.subnets(new_prefix=prefix)) if slots <= 4096 else None

    def block(slot: int) -> str:
        if blocks is not None:
            return str(blocks[slot])
        return str(ipaddress.IPv4Network((int(vpc.network_address) + slot * 2 ** (32 - prefix), prefix)))

    plans: list[SubnetPlan] = []
    for az in sorted(availability_zones):
        slot = az_letter_index(az)
        if slot >= usable and not (cluster_cidrs and az in cluster_cidrs):
            raise ValueError(
                f"availability zone {az} needs slot {slot} but {vpc} split into /{prefix} blocks has "
                f"only {usable} for {'private' if private else 'public'} subnets; use a larger VPC, "
                "a longer subnet_prefix_length, or subnet_cidrs"
            )
        cidr = (cluster_cidrs or {}).get(az) or block(slot)
        role = SubnetRole.PRIVATE if private else SubnetRole.PUBLIC
        plans.append(SubnetPlan(az, cidr, role, cluster=True))
        if private:
            nat_cidr = (nat_cidrs or {}).get(az) or block(usable + slot)
            plans.append(SubnetPlan(az, nat_cidr, SubnetRole.PUBLIC, cluster=False))
    return plans

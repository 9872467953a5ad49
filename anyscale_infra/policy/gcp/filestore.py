"""Filestore rules (verify_filestore in `anyscale cloud register --provider gcp`, at the
levels it gives them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from anyscale_infra.gcp import validation as v
from anyscale_infra.policy.gcp._facts import (
    FILESTORE,
    as_list,
    cloud_regions,
    cloud_vpc_names,
    get,
    label,
    last_segment,
    of_type,
)


def _network(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    vpcs = cloud_vpc_names(resources)
    if not vpcs:
        return  # no VPC in the program: the cloud's is not knowable here
    for instance in of_type(resources, FILESTORE):
        networks = [last_segment(n.get("network")) for n in as_list(get(instance.props, "networks")) if isinstance(n, Mapping)]
        networks = [n for n in networks if n]
        if networks and not set(networks) & vpcs:
            report(
                f"Filestore {label(instance)} is connected to {', '.join(networks)}, not to the cloud VPC "
                f"({', '.join(sorted(vpcs))}): clusters cannot mount it, `cloud register` fails, and the network "
                "cannot be changed later (verify_filestore).",
                instance.urn,
            )


def _region(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    regions = cloud_regions(resources)
    if not regions:
        return
    for instance in of_type(resources, FILESTORE):
        location: Optional[str] = get(instance.props, "location") or get(instance.props, "zone")
        if isinstance(location, str) and v.region_of_location(location) not in regions:
            report(
                f"Filestore {label(instance)} is in {location}, but the cloud's subnets are in "
                f"{', '.join(sorted(regions))}: cross-region egress charges (verify_filestore warns).",
                instance.urn,
            )


filestore_network = StackValidationPolicy(
    name="anyscale-gcp-filestore-network",
    description="Filestore instances are connected to the cloud VPC (verify_filestore: a registration error).",
    validate=_network,
    enforcement_level=EnforcementLevel.MANDATORY,
)
filestore_region = StackValidationPolicy(
    name="anyscale-gcp-filestore-region",
    description="Filestore instances are in the region of the cloud subnets (verify_filestore warns).",
    validate=_region,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [filestore_network, filestore_region]

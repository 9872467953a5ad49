"""Subnet rules (verify_gcp_networking: the verifier's GCP_SUBNET_CAPACITY, an error below a
/24 and a warning below a /20, anyscale/utils/network_verification.py)."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.policy.gcp._facts import SUBNETWORK, VM_SUBNET_PURPOSES, get, network


def _prefix_rule(policy_id: str, limit: int, level: EnforcementLevel, verb: str, consequence: str):
    """A subnet-size rule (the same :func:`validation.cidr_too_small` the args models use)
    on subnets that hold VMs (a proxy-only subnet is Google's business: /26 is enough);
    the prefix length limit is configurable (`maxPrefixLength`)."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type != SUBNETWORK:
            return
        purpose = get(args.props, "purpose")
        if purpose is not None and str(purpose).upper() not in VM_SUBNET_PURPOSES:
            return
        block = network(get(args.props, "ipCidrRange"))
        maximum = int(args.get_config().get("maxPrefixLength", limit))
        if block is not None and (problem := v.cidr_too_small(block, maximum, "subnet", verb)):
            report(f"{problem}: {consequence} (verify_gcp_networking, GCP_SUBNET_CAPACITY).", None)

    return ResourceValidationPolicy(
        name=policy_id,
        description=(
            f"A subnet that holds VMs is /{limit} or larger: Anyscale {verb} it (`cloud register --provider gcp`, "
            "GCP_SUBNET_CAPACITY)."
        ),
        validate=validate,
        enforcement_level=level,
        config_schema=PolicyConfigSchema(
            properties={"maxPrefixLength": {"type": "integer", "default": limit, "minimum": 0, "maximum": 32}}
        ),
    )


subnet_min_size = _prefix_rule(
    "anyscale-gcp-subnet-min-size", c.MIN_SUBNET_PREFIX_LENGTH, EnforcementLevel.MANDATORY, "requires",
    "`cloud register` fails",
)
subnet_recommended_size = _prefix_rule(
    "anyscale-gcp-subnet-recommended-size", c.RECOMMENDED_SUBNET_PREFIX_LENGTH, EnforcementLevel.ADVISORY,
    "recommends", "`cloud register` warns that clusters may run out of addresses",
)

POLICIES = [subnet_min_size, subnet_recommended_size]

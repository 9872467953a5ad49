"""Memorystore for Redis rules (verify_memorystore in `anyscale cloud register --provider
gcp`, at the levels it gives them). Most settings cannot be changed on an existing
instance, so a miss here means recreating it."""

from __future__ import annotations

from collections.abc import Mapping

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.gcp import constants as c
from anyscale_infra.policy.gcp._facts import REDIS, REDIS_DEFAULT_NETWORK, cloud_vpc_names, get, label, last_segment, of_type

#: Google's defaults when the property is not set (pulumi_gcp redis.Instance docs).
DEFAULT_TIER = "BASIC"
DEFAULT_READ_REPLICAS_MODE = "READ_REPLICAS_DISABLED"


def _tier(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != REDIS:
        return
    tier = get(args.props, "tier", DEFAULT_TIER)
    if tier != c.MEMORYSTORE_TIER:
        report(
            f"Memorystore tier is {tier}, not {c.MEMORYSTORE_TIER}: no failover replica, degraded availability; "
            "the tier cannot be changed later (verify_memorystore warns).",
            None,
        )


def _read_replicas(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != REDIS:
        return
    mode = get(args.props, "readReplicasMode", DEFAULT_READ_REPLICAS_MODE)
    if mode != c.MEMORYSTORE_READ_REPLICAS_MODE:
        report(
            f"Memorystore readReplicasMode is {mode}, not {c.MEMORYSTORE_READ_REPLICAS_MODE}: Ray head node HA "
            "needs it, `cloud register` fails, and it can only be set at creation (verify_memorystore).",
            None,
        )


def _tls(args: ResourceValidationArgs, report: ReportViolation) -> None:
    # Google's default is DISABLED: only an explicit other mode is a violation.
    if args.resource_type != REDIS:
        return
    mode = get(args.props, "transitEncryptionMode", c.MEMORYSTORE_TRANSIT_ENCRYPTION)
    if mode != c.MEMORYSTORE_TRANSIT_ENCRYPTION:
        report(
            f"Memorystore transitEncryptionMode is {mode}: Anyscale connects without TLS, `cloud register` fails; "
            f"create it with {c.MEMORYSTORE_TRANSIT_ENCRYPTION} (verify_memorystore).",
            None,
        )


def _allkeys_lru(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != REDIS:
        return
    configs = get(args.props, "redisConfigs")
    value = configs.get(c.MEMORYSTORE_MAXMEMORY_PARAMETER) if isinstance(configs, Mapping) else None
    if value != c.MEMORYSTORE_MAXMEMORY_POLICY:
        report(
            f"Memorystore redisConfigs does not set {c.MEMORYSTORE_MAXMEMORY_PARAMETER}={c.MEMORYSTORE_MAXMEMORY_POLICY} "
            f"(it is {value or 'unset'}): degraded performance and availability (verify_memorystore warns).",
            None,
        )


def _network(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    vpcs = cloud_vpc_names(resources)
    if not vpcs:
        return  # no VPC in the program: the cloud's is not knowable here
    for instance in of_type(resources, REDIS):
        given = get(instance.props, "authorizedNetwork")
        connected = last_segment(given) or REDIS_DEFAULT_NETWORK
        if connected not in vpcs:
            shown = connected if given else f"{REDIS_DEFAULT_NETWORK} (authorizedNetwork not set)"
            report(
                f"Memorystore {label(instance)} is connected to {shown}, not to the cloud VPC "
                f"({', '.join(sorted(vpcs))}): clusters cannot reach it, `cloud register` fails, and the network "
                "cannot be changed later (verify_memorystore).",
                instance.urn,
            )


memorystore_ha = ResourceValidationPolicy(
    name="anyscale-gcp-memorystore-ha",
    description=f"Memorystore instances are {c.MEMORYSTORE_TIER} (verify_memorystore warns).",
    validate=_tier,
    enforcement_level=EnforcementLevel.ADVISORY,
)
memorystore_read_replicas = ResourceValidationPolicy(
    name="anyscale-gcp-memorystore-read-replicas",
    description=(
        f"Memorystore instances have readReplicasMode {c.MEMORYSTORE_READ_REPLICAS_MODE} (verify_memorystore: a "
        "registration error)."
    ),
    validate=_read_replicas,
    enforcement_level=EnforcementLevel.MANDATORY,
)
memorystore_no_tls = ResourceValidationPolicy(
    name="anyscale-gcp-memorystore-no-tls",
    description=(
        f"Memorystore instances have transitEncryptionMode {c.MEMORYSTORE_TRANSIT_ENCRYPTION}, Google's default "
        "(verify_memorystore: TLS is "
        "a registration error)."
    ),
    validate=_tls,
    enforcement_level=EnforcementLevel.MANDATORY,
)
memorystore_allkeys_lru = ResourceValidationPolicy(
    name="anyscale-gcp-memorystore-allkeys-lru",
    description=(
        f"Memorystore redisConfigs set {c.MEMORYSTORE_MAXMEMORY_PARAMETER}={c.MEMORYSTORE_MAXMEMORY_POLICY} "
        "(verify_memorystore warns)."
    ),
    validate=_allkeys_lru,
    enforcement_level=EnforcementLevel.ADVISORY,
)
memorystore_network = StackValidationPolicy(
    name="anyscale-gcp-memorystore-network",
    description=(
        "Memorystore instances are connected (authorizedNetwork, 'default' when unset) to the cloud VPC "
        "(verify_memorystore: a registration error)."
    ),
    validate=_network,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [memorystore_ha, memorystore_read_replicas, memorystore_no_tls, memorystore_allkeys_lru, memorystore_network]

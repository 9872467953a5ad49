"""MemoryDB rules (seed 004 "MemoryDB"; verify_aws_memorydb_cluster, same levels)."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.aws import constants as c
from anyscale_infra.policy.aws._facts import as_list, cloud_security_groups, get, ident, of_type, subnets_by_vpc

CLUSTER = "aws:memorydb/cluster:Cluster"
MAXMEMORY_POLICY = c.MEMORYDB_MAXMEMORY_PARAMETER


def _tls(args: ResourceValidationArgs, report: ReportViolation) -> None:
    # tlsEnabled defaults to true in AWS: only an explicit false is a violation.
    if args.resource_type == CLUSTER and get(args.props, "tlsEnabled") is False:
        report("MemoryDB cluster has TLS disabled; seed 004 requires TLS (`cloud register` fails).", None)


def _replicas(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != CLUSTER:
        return
    # AWS's default is 1 replica per shard: a missing value is compliant.
    replicas = get(args.props, "numReplicasPerShard", c.MIN_MEMORYDB_REPLICAS_PER_SHARD)
    if isinstance(replicas, (int, float)) and replicas < c.MIN_MEMORYDB_REPLICAS_PER_SHARD:
        report(
            f"MemoryDB cluster has {int(replicas)} replicas per shard; seed 004: at least "
            f"{c.MIN_MEMORYDB_REPLICAS_PER_SHARD} (2 nodes per shard; "
            "`cloud register` fails).",
            None,
        )


def _allkeys_lru(args: StackValidationArgs, report: ReportViolation) -> None:
    groups = {
        get(g.props, "name"): g for g in of_type(args.resources, "aws:memorydb/parameterGroup:ParameterGroup")
    }
    for cluster in of_type(args.resources, CLUSTER):
        group = groups.get(get(cluster.props, "parameterGroupName"))
        parameters = {
            p.get("name"): p.get("value") for p in as_list(get(group.props, "parameters")) if isinstance(p, dict)
        } if group else {}
        if parameters.get(MAXMEMORY_POLICY) != c.MEMORYDB_MAXMEMORY_POLICY:
            report(
                f"MemoryDB cluster {cluster.name}'s parameter group does not set {MAXMEMORY_POLICY}={c.MEMORYDB_MAXMEMORY_POLICY} "
                "(seed 004; registration warns).",
                cluster.urn,
            )


def _network(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    subnet_groups = {get(g.props, "name"): g for g in of_type(resources, "aws:memorydb/subnetGroup:SubnetGroup")}
    vpc_of = {ident(s): vpc for vpc, subnets in subnets_by_vpc(resources).items() for s in subnets}
    cloud_groups = {ident(g) for g in cloud_security_groups(resources)} - {None}
    for cluster in of_type(resources, CLUSTER):
        group = subnet_groups.get(get(cluster.props, "subnetGroupName"))
        if group is not None:
            vpcs = {vpc_of.get(s) for s in as_list(get(group.props, "subnetIds"))} - {None}
            if len(vpcs) > 1:
                report(f"MemoryDB cluster {cluster.name}'s subnets span VPCs {sorted(vpcs)}.", cluster.urn)
        first = next(iter(as_list(get(cluster.props, "securityGroupIds"))), None)
        if first is None or (cloud_groups and first not in cloud_groups):
            report(
                f"MemoryDB cluster {cluster.name} does not carry the cloud security group first "
                "(seed 004; registration warns).",
                cluster.urn,
            )


memorydb_tls = ResourceValidationPolicy(
    name="anyscale-aws-memorydb-tls",
    description="MemoryDB clusters have TLS enabled (seed 004; a registration error).",
    validate=_tls,
    enforcement_level=EnforcementLevel.MANDATORY,
)
memorydb_replicas = ResourceValidationPolicy(
    name="anyscale-aws-memorydb-replicas",
    description="MemoryDB shards have at least 1 replica, 2 nodes (seed 004; a registration error).",
    validate=_replicas,
    enforcement_level=EnforcementLevel.MANDATORY,
)
memorydb_allkeys_lru = StackValidationPolicy(
    name="anyscale-aws-memorydb-allkeys-lru",
    description="The MemoryDB parameter group sets maxmemory-policy=allkeys-lru (seed 004; registration warns).",
    validate=_allkeys_lru,
    enforcement_level=EnforcementLevel.ADVISORY,
)
memorydb_network = StackValidationPolicy(
    name="anyscale-aws-memorydb-network",
    description="MemoryDB sits in one VPC's subnets with the cloud security group first (seed 004; registration warns).",
    validate=_network,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [memorydb_tls, memorydb_replicas, memorydb_allkeys_lru, memorydb_network]

"""Optional MemoryDB for head-node fault tolerance in Anyscale Services (seed 004 "MemoryDB").

Seed 004: ``db.t4g.small`` is enough; same VPC and subnets as the cloud and the cloud's
security group; a parameter group with ``maxmemory-policy=allkeys-lru``; at least one
replica per shard (two nodes); TLS on. The verifier errors on TLS off or a shard with fewer
than two nodes and warns on the rest. Protected by default.
"""

from __future__ import annotations

from typing import Optional, Union

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput

DEFAULT_ENGINE_VERSION = "7.1"
#: Parameter group family of the Redis 7 engine.
DEFAULT_PARAMETER_GROUP_FAMILY = "memorydb_redis7"
#: Daily snapshots kept (0 disables them).
DEFAULT_SNAPSHOT_RETENTION_DAYS = 7


class AnyscaleMemoryDbArgs(ArgsModel):
    """Arguments of :class:`AnyscaleMemoryDb`."""

    subnet_ids: Union[list[StrInput], pulumi.Output] = Field(default_factory=list)
    """The cloud's subnets, a list or an output of one (the verifier warns about any other
    subnet). Required for a new cluster."""
    security_group_id: Optional[StrInput] = None
    """The cloud security group (must be the cluster's first group). Required for a new cluster."""
    existing_cluster_name: Optional[str] = None
    """Use this existing MemoryDB cluster (``--memorydb-cluster-id``); nothing is created. Optional."""
    cluster_name: Optional[str] = None
    """Name of the new cluster. Optional; defaults to Pulumi's auto-name."""
    node_type: str = c.DEFAULT_MEMORYDB_NODE_TYPE
    """Node type. Defaults to db.t4g.small (seed 004: "the smallest ... is sufficient")."""
    num_shards: int = Field(default=1, ge=1, le=500)
    """Shards. Defaults to 1."""
    num_replicas_per_shard: int = Field(default=c.MIN_MEMORYDB_REPLICAS_PER_SHARD, le=5)
    """Replicas per shard, at least 1 (seed 004: "at least 1 replica (2 nodes total)"). Defaults to 1."""
    engine_version: str = DEFAULT_ENGINE_VERSION
    """Redis engine version. Defaults to 7.1."""
    parameter_group_family: str = DEFAULT_PARAMETER_GROUP_FAMILY
    """Family of the parameter group; must match the engine version. Defaults to memorydb_redis7."""
    snapshot_retention_days: int = Field(default=DEFAULT_SNAPSHOT_RETENTION_DAYS, ge=0, le=35)
    """Days of automatic snapshots. Defaults to 7."""
    kms_key_arn: Optional[str] = None
    """KMS key for encryption at rest. Optional; defaults to the AWS-managed key."""
    protect: bool = True
    """Protect the cluster from deletion and replacement. Defaults to True."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags. Optional."""

    @field_validator("num_replicas_per_shard")
    @classmethod
    def _replicas(cls, value: int) -> int:
        if value < c.MIN_MEMORYDB_REPLICAS_PER_SHARD:
            raise ValueError(
                f"{value} replicas per shard; Anyscale needs at least {c.MIN_MEMORYDB_REPLICAS_PER_SHARD} "
                "(2 nodes per shard) for high availability (seed 004; the verifier rejects fewer)"
            )
        return value

    @field_validator("node_type")
    @classmethod
    def _node(cls, value: str) -> str:
        return v.check_node_type(value)

    @field_validator("existing_cluster_name", "cluster_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_memorydb_name(value)

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: Union[list[StrInput], pulumi.Output]) -> Union[list[StrInput], pulumi.Output]:
        for subnet in value if isinstance(value, list) else []:
            if isinstance(subnet, str):
                v.check_aws_id("subnet", subnet)
        return value

    @field_validator("security_group_id")
    @classmethod
    def _sg(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("sg", value) if isinstance(value, str) else value

    @field_validator("kms_key_arn")
    @classmethod
    def _kms(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_kms_key_arn(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleMemoryDbArgs":
        problems: list[FieldProblem] = []
        if self.existing_cluster_name is not None:
            for name in ("cluster_name", "node_type", "num_shards", "num_replicas_per_shard",
                         "engine_version", "parameter_group_family", "snapshot_retention_days", "kms_key_arn"):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(name, f"only one of existing_cluster_name and {name} can be specified")
                    )
        if not self.parameter_group_family.endswith(self.engine_version.split(".")[0]):
            problems.append(
                FieldProblem(
                    "parameter_group_family",
                    f"{self.parameter_group_family} does not match engine_version {self.engine_version}",
                )
            )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self


class AnyscaleMemoryDb(pulumi.ComponentResource):
    """A TLS MemoryDB cluster in the cloud's subnets and security group (new or existing)."""

    cluster_name: pulumi.Output[str]
    """The cluster name (``--memorydb-cluster-id``)."""
    cluster_arn: pulumi.Output[Optional[str]]
    cluster_endpoint: pulumi.Output[Optional[str]]
    """``rediss://<address>:<port>``, as Anyscale stores it (new cluster only)."""

    def __init__(
        self, name: str, args: AnyscaleMemoryDbArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleMemoryDb"), name, None, opts)
        if args.existing_cluster_name is not None:
            self.cluster_name = pulumi.Output.from_input(args.existing_cluster_name)
            self.cluster_arn = pulumi.Output.from_input(None)
            self.cluster_endpoint = pulumi.Output.from_input(None)
        else:
            self._create(name, args)
        self.register_outputs(
            {"cluster_name": self.cluster_name, "cluster_arn": self.cluster_arn, "cluster_endpoint": self.cluster_endpoint}
        )

    def _create(self, name: str, args: AnyscaleMemoryDbArgs) -> None:
        model = type(args).__name__
        if isinstance(args.subnet_ids, list) and not args.subnet_ids:
            raise w.fail(model, "subnet_ids", "is required: the cloud's subnets (seed 004)")
        if args.security_group_id is None:
            raise w.fail(model, "security_group_id", "is required: the cloud's security group (seed 004)")
        subnet_group = aws.memorydb.SubnetGroup(
            f"{name}-subnets",
            description="Anyscale cloud subnets",
            subnet_ids=args.subnet_ids,
            tags=w.merge_tags(f"{name}-subnets", args.tags),
            opts=w.child(self),
        )
        parameter_group = aws.memorydb.ParameterGroup(
            f"{name}-params",
            family=args.parameter_group_family,
            description="Anyscale: maxmemory-policy allkeys-lru",
            parameters=[{"name": c.MEMORYDB_MAXMEMORY_PARAMETER, "value": c.MEMORYDB_MAXMEMORY_POLICY}],
            tags=w.merge_tags(f"{name}-params", args.tags),
            opts=w.child(self),
        )
        cluster = aws.memorydb.Cluster(
            f"{name}-cluster",
            name=args.cluster_name,
            description="Anyscale head-node fault tolerance (Ray GCS)",
            # Ray connects without MemoryDB users; TLS still encrypts every connection.
            acl_name="open-access",
            engine="redis",
            engine_version=args.engine_version,
            node_type=args.node_type,
            num_shards=args.num_shards,
            num_replicas_per_shard=args.num_replicas_per_shard,
            tls_enabled=True,
            security_group_ids=[args.security_group_id],
            subnet_group_name=subnet_group.name,
            parameter_group_name=parameter_group.name,
            snapshot_retention_limit=args.snapshot_retention_days,
            kms_key_arn=args.kms_key_arn,
            tags=w.merge_tags(f"{name}-cluster", args.tags),
            opts=w.stateful(self, args.protect),
        )
        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.cluster_endpoint = cluster.cluster_endpoints.apply(
            lambda endpoints: f"rediss://{endpoints[0].address}:{endpoints[0].port}" if endpoints else None
        )

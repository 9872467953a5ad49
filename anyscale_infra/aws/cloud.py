"""``AnyscaleAwsCloud``: every resource of an Anyscale cloud on AWS, from one args model,
and the exact ``anyscale cloud register`` command to finish the job.

Each part is new or yours (bring-your-own): network, security group, bucket, file system,
MemoryDB (optional, off by default) and the two IAM roles. Data flows one way: args ->
components -> register arguments (seed 004's "Customer Defined" deployment; its two-phase
flow: ``pulumi up``, ``cloud register``, then ``pulumi up`` again with ``cloud_id`` to scope
the Anyscale role to the cloud's instances).
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.aws.bucket import AnyscaleBucket, AnyscaleBucketArgs, BucketEncryption
from anyscale_infra.aws.file_system import AnyscaleFileSystem, AnyscaleFileSystemArgs
from anyscale_infra.aws.iam import AnyscaleIamRoles, AnyscaleIamRolesArgs
from anyscale_infra.aws.memorydb import AnyscaleMemoryDb, AnyscaleMemoryDbArgs
from anyscale_infra.aws.deployer_policy import deployer_policy
from anyscale_infra.aws.network import AnyscaleNetwork, AnyscaleNetworkArgs, NatStrategy, NetworkingMode
from anyscale_infra.aws.security_group import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs
from anyscale_infra.egress import DeploymentKind, egress_allowlist
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, disabled_part_notes, wired_field_problems
from anyscale_infra.aws.register import AwsRegisterArgs

#: Fields of the part models that AnyscaleAwsCloud fills in itself (wiring between parts).
_WIRED = {
    "security_group": ("vpc_id",),
    "bucket": ("access_role_arns", "identity_policy_roles"),
    "file_system": ("subnet_ids", "security_group_id"),
    "memorydb": ("subnet_ids", "security_group_id"),
    "iam": ("org_id", "external_id", "cloud_id"),
}


class AnyscaleAwsCloudArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAwsCloud`. Only ``cloud_name``, ``org_id`` (or
    ``external_id``) and ``security_group.ingress_cidr_blocks`` are required; every other
    default follows Anyscale's recommendations."""

    cloud_name: str
    """Name of the Anyscale cloud (``--name``). Required."""
    org_id: Optional[str] = None
    """Your Anyscale organization id (``org_...``), to generate the external ID. Required
    unless ``external_id`` is given or the Anyscale role is your own."""
    external_id: Optional[str] = None
    """Trust-policy external ID ``<org id>-<random>``. Optional; generated once from ``org_id``."""
    cloud_id: Optional[str] = None
    """The id ``cloud register`` printed (``cld_...``): set it for the second ``pulumi up``
    to scope the Anyscale role to instances tagged with it, and to tag every resource. Optional."""
    network: AnyscaleNetworkArgs = Field(default_factory=AnyscaleNetworkArgs)
    """The VPC and subnets (new by default; see :class:`AnyscaleNetworkArgs`)."""
    security_group: AnyscaleSecurityGroupArgs
    """The security group; give at least ``ingress_cidr_blocks``. Required."""
    bucket: AnyscaleBucketArgs = Field(default_factory=AnyscaleBucketArgs)
    """The S3 bucket (new by default)."""
    enable_file_system: bool = True
    """Create (or register) EFS; Anyscale workspaces need it (seed 004). Defaults to True."""
    file_system: AnyscaleFileSystemArgs = Field(default_factory=AnyscaleFileSystemArgs)
    """The EFS file system (new by default)."""
    enable_memorydb: bool = False
    """Create (or register) MemoryDB for head-node fault tolerance. Defaults to False."""
    memorydb: AnyscaleMemoryDbArgs = Field(default_factory=AnyscaleMemoryDbArgs)
    """The MemoryDB cluster, when enabled."""
    iam: AnyscaleIamRolesArgs = Field(default_factory=AnyscaleIamRolesArgs)
    """The two IAM roles (new by default)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for every resource (a part's own ``tags`` win). Optional."""

    @field_validator("cloud_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    @field_validator("org_id")
    @classmethod
    def _org(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_org_id(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @field_validator("external_id")
    @classmethod
    def _external(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_external_id(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleAwsCloudArgs":
        problems = wired_field_problems(
            self, _WIRED, lambda part: "AnyscaleAwsCloudArgs" if part == "iam" else "AnyscaleAwsCloud"
        )
        try:
            iam = self.iam_args()
        except InvalidArgsError as exc:
            # The identity fields live on this model; the rest under `iam.`.
            top_level = set(_WIRED["iam"])
            problems += [
                FieldProblem(p.field if p.field in top_level else f"iam.{p.field}", p.message)
                for p in exc.problems
            ]
        else:
            if problem := iam.missing_external_id_problem():
                problems.append(problem)
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def iam_args(self) -> AnyscaleIamRolesArgs:
        """The IAM part with the cloud-level identity fields merged in (validated again)."""
        merged = {
            **self.iam.model_dump(exclude_unset=True),
            "org_id": self.org_id,
            "external_id": self.external_id,
            "cloud_id": self.cloud_id,
        }
        return AnyscaleIamRolesArgs(**{k: val for k, val in merged.items() if val is not None})

    def part_tags(self, own: dict[str, str]) -> dict[str, str]:
        """Cloud tags < the part's own tags < the ``anyscale-cloud-id`` tag (STYLE.md rule 9)."""
        tags = {**self.tags, **own}
        if self.cloud_id is not None:
            tags[c.CLOUD_ID_TAG_KEY] = self.cloud_id
        return tags

    def deployer_policy(self, name: str, account_id: str = "*") -> dict[str, Any]:
        """The least-privilege policy for whoever deploys this cloud as component ``name``
        and registers it (see :func:`anyscale_infra.aws.deployer_policy.deployer_policy`)."""
        network, bucket, iam = self.network, self.bucket, self.iam
        return deployer_policy(
            name_prefix=name,
            account_id=account_id,
            create_network=network.existing_vpc_id is None,
            nat_gateways=network.networking is NetworkingMode.PRIVATE and network.nat is not NatStrategy.NONE,
            s3_gateway_endpoint=network.enable_s3_gateway_endpoint,
            create_security_group=self.security_group.existing_security_group_id is None,
            create_bucket=bucket.existing_bucket_name is None,
            bucket_name_prefix=bucket.existing_bucket_name or bucket.bucket_name,
            create_file_system=self.enable_file_system and self.file_system.existing_file_system_id is None,
            memorydb=self.enable_memorydb,
            create_kms_key=bucket.encryption is BucketEncryption.SSE_KMS and bucket.kms_key_arn is None,
            create_roles=iam.existing_anyscale_role_arn is None or iam.existing_instance_role_arn is None,
            managed_policy_arns=iam.instance_role_managed_policy_arns,
            role_path=iam.role_path,
        )

    def advisories(self) -> list[str]:
        notes: list[str] = []
        if not self.enable_file_system:
            notes.append("enable_file_system is off: Anyscale workspaces need EFS (seed 004)")
        notes += disabled_part_notes(self, {"file_system": "enable_file_system", "memorydb": "enable_memorydb"})
        given = {
            field: arn
            for field, arn in (
                ("iam.existing_anyscale_role_arn", self.iam.existing_anyscale_role_arn),
                ("iam.existing_instance_role_arn", self.iam.existing_instance_role_arn),
            )
            if arn
        }
        if len(given) == 1:
            (field, arn), = given.items()
            account = arn.split(":")[4]
            notes.append(
                f"{field} is in account {account}; the other role is created in the account you deploy to, "
                f"which must be {account} (`cloud register` rejects roles from two accounts): pin it with "
                f'the provider setting aws:allowedAccountIds ["{account}"]'
            )
        return notes


class AnyscaleAwsCloud(pulumi.ComponentResource):
    """Everything an Anyscale cloud needs in your AWS account, plus its register command."""

    vpc_id: pulumi.Output[str]
    subnet_ids: pulumi.Output[list[str]]
    security_group_id: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    file_system_id: pulumi.Output[Optional[str]]
    memorydb_cluster_name: pulumi.Output[Optional[str]]
    anyscale_role_arn: pulumi.Output[str]
    instance_role_arn: pulumi.Output[str]
    instance_role_name: pulumi.Output[str]
    """Name of the node role (attach your own policies to it)."""
    instance_profile_arn: pulumi.Output[str]
    external_id: pulumi.Output[Optional[str]]
    """Secret; passed as ``--external-id``."""
    region: pulumi.Output[str]
    register_args: pulumi.Output[dict[str, Any]]
    """The ``anyscale cloud register`` flags and values, in order (``True`` = bare flag)."""
    register_command: pulumi.Output[str]
    """The same as one shell-safe command (secret, as it carries the external ID)."""
    resource_file: pulumi.Output[str]
    """The same as the YAML of ``anyscale cloud register --name <n> --resource-file <file>``
    (the CLI's ``CloudDeployment``; secret, as it carries the external ID)."""
    deployer_policy: pulumi.Output[dict[str, Any]]
    """The least-privilege IAM policy to deploy and register this cloud (for a CI role)."""
    egress_allowlist: pulumi.Output[list[dict[str, Any]]]
    """Domains clusters must/should reach (seed 000), exact once ``cloud_id`` is set: feed
    them to the proxy or firewall of a private network."""

    def __init__(
        self, name: str, args: AnyscaleAwsCloudArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleAwsCloud"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tagged = args.part_tags

        network = AnyscaleNetwork(
            name, args.network.model_copy(update={"tags": tagged(args.network.tags)}), child
        )
        security_group = AnyscaleSecurityGroup(
            name,
            args.security_group.model_copy(
                update={"vpc_id": network.vpc_id, "tags": tagged(args.security_group.tags)}
            ),
            child,
        )
        iam_args = args.iam_args()
        iam = AnyscaleIamRoles(name, iam_args.model_copy(update={"tags": tagged(iam_args.tags)}), child)
        identity_roles: dict[str, Any] = {}
        if iam_args.existing_anyscale_role_arn is None:
            identity_roles["anyscale"] = iam.anyscale_role_name
        if iam_args.existing_instance_role_arn is None:
            identity_roles["instance"] = iam.instance_role_name
        bucket = AnyscaleBucket(
            name,
            args.bucket.model_copy(
                update={
                    "access_role_arns": [iam.anyscale_role_arn, iam.instance_role_arn],
                    "identity_policy_roles": identity_roles,
                    "tags": tagged(args.bucket.tags),
                }
            ),
            child,
        )
        self.file_system_id = pulumi.Output.from_input(None)
        if args.enable_file_system:
            efs = AnyscaleFileSystem(
                name,
                args.file_system.model_copy(
                    update={
                        "subnet_ids": network.cluster_subnets,
                        "security_group_id": security_group.security_group_id,
                        "tags": tagged(args.file_system.tags),
                    }
                ),
                child,
            )
            self.file_system_id = efs.file_system_id  # type: ignore[assignment]
        self.memorydb_cluster_name = pulumi.Output.from_input(None)
        if args.enable_memorydb:
            memorydb = AnyscaleMemoryDb(
                name,
                args.memorydb.model_copy(
                    update={
                        "subnet_ids": network.subnet_ids,
                        "security_group_id": security_group.security_group_id,
                        "tags": tagged(args.memorydb.tags),
                    }
                ),
                child,
            )
            self.memorydb_cluster_name = memorydb.cluster_name  # type: ignore[assignment]

        self.vpc_id = network.vpc_id
        self.subnet_ids = network.subnet_ids
        self.security_group_id = security_group.security_group_id
        self.bucket_name = bucket.bucket_name
        self.bucket_arn = bucket.bucket_arn
        self.anyscale_role_arn = iam.anyscale_role_arn
        self.instance_role_arn = iam.instance_role_arn
        self.instance_role_name = iam.instance_role_name
        self.instance_profile_arn = iam.instance_profile_arn
        self.external_id = iam.external_id
        self.region = network.region  # one region lookup per cloud (network.py)
        register = pulumi.Output.all(
            name=args.cloud_name,
            region=self.region,
            vpc_id=self.vpc_id,
            subnet_ids=self.subnet_ids,
            security_group_ids=pulumi.Output.all(self.security_group_id),
            cloud_storage_bucket_name=self.bucket_name,
            anyscale_iam_role_id=self.anyscale_role_arn,
            instance_iam_role_id=self.instance_role_arn,
            file_storage_id=self.file_system_id,
            memorydb_cluster_id=self.memorydb_cluster_name,
            external_id=self.external_id,
            private_network=network.private_network,
        ).apply(lambda values: AwsRegisterArgs(**values))
        # seed 000: what clusters must reach; private networks feed it to their proxy/firewall.
        self.egress_allowlist = pulumi.Output.from_input(egress_allowlist(DeploymentKind.VM, cloud_id=args.cloud_id))
        self.deployer_policy = pulumi.Output.from_input(args.deployer_policy(name))
        self.register_args = register.apply(lambda r: r.flags())
        self.register_command = register.apply(lambda r: r.command())
        self.resource_file = register.apply(lambda r: r.resource_file_yaml())
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "subnet_ids": self.subnet_ids,
                "security_group_id": self.security_group_id,
                "bucket_name": self.bucket_name,
                "file_system_id": self.file_system_id,
                "memorydb_cluster_name": self.memorydb_cluster_name,
                "anyscale_role_arn": self.anyscale_role_arn,
                "instance_role_arn": self.instance_role_arn,
                "instance_profile_arn": self.instance_profile_arn,
                "register_args": self.register_args,
                "register_command": self.register_command,
                "resource_file": self.resource_file,
                "egress_allowlist": self.egress_allowlist,
            }
        )

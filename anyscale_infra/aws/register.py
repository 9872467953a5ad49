"""`anyscale cloud register --provider aws` arguments, as plain values: the VM compute
stack (:class:`AwsRegisterArgs`) and EKS (:class:`AwsK8sRegisterArgs`, ``--compute-stack k8s``).

No Pulumi in the model: it can be built from any source (stack outputs, a script, a test)
and turned into argv, a shell-safe command, or the structured flag dict our components
export (:class:`~anyscale_infra.register.RegisterArgs`). Flag names are the ones the current
CLI documents (``anyscale cloud register --help``): the seed's ``--s3-bucket-id`` and
``--efs-id`` still parse, but only as hidden aliases of ``--cloud-storage-bucket-name`` and
``--file-storage-id``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from pydantic import field_validator, model_validator

from anyscale_infra.aws import validation as v
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.kubernetes.register import KubernetesRegisterArgs
from anyscale_infra.register import FlagValue, RegisterArgs

#: S3 scheme the CLI expects on --cloud-storage-bucket-name ("s3://bucket-name").
S3_SCHEME = "s3://"


def s3_bucket_uri(value: str) -> str:
    """``--cloud-storage-bucket-name`` as the CLI stores it: ``s3://<name>``, the name checked."""
    bare = value.removeprefix(S3_SCHEME).rstrip("/")
    v.check_bucket_name(bare)
    return S3_SCHEME + bare


class AwsRegisterArgs(RegisterArgs):
    """Everything `anyscale cloud register --provider aws` needs, checked before you run it."""

    region: str
    """AWS region of the cloud (``--region``). Required."""
    vpc_id: str
    """VPC id (``--vpc-id``). Required."""
    subnet_ids: list[str]
    """At least two subnet ids in two availability zones (``--subnet-ids``). Required."""
    security_group_ids: list[str]
    """Security group ids; the first is the cloud's group (``--security-group-ids``). Required."""
    cloud_storage_bucket_name: str
    """S3 bucket name, with or without ``s3://`` (``--cloud-storage-bucket-name``). Required."""
    anyscale_iam_role_id: str
    """ARN of the cross-account role Anyscale assumes (``--anyscale-iam-role-id``). Required."""
    instance_iam_role_id: str
    """ARN of the cluster node role (``--instance-iam-role-id``). Required."""
    file_storage_id: Optional[str] = None
    """EFS file system id (``--file-storage-id``). Optional; workspaces need it."""
    memorydb_cluster_id: Optional[str] = None
    """MemoryDB cluster name (``--memorydb-cluster-id``). Optional: head-node fault tolerance."""
    external_id: Optional[str] = None
    """Trust-policy external ID, ``<org id>-<random>`` (``--external-id``). Optional but
    strongly advised: without it, `cloud register` rewrites the role's trust policy."""
    private_network: bool = False
    """Customer-defined (private) networking (``--private-network``). Defaults to False."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region(value)

    @field_validator("vpc_id")
    @classmethod
    def _vpc(cls, value: str) -> str:
        return v.check_aws_id("vpc", value)

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: list[str]) -> list[str]:
        for subnet in value:
            v.check_aws_id("subnet", subnet)
        # The AZs are not known here: the verifier checks them when it registers.
        if problem := v.subnet_spread_problem(len(value), None):
            raise ValueError(problem)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("security_group_ids")
    @classmethod
    def _sgs(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one security group id")
        for sg in value:
            v.check_aws_id("sg", sg)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("cloud_storage_bucket_name")
    @classmethod
    def _bucket(cls, value: str) -> str:
        return s3_bucket_uri(value)

    @field_validator("anyscale_iam_role_id", "instance_iam_role_id")
    @classmethod
    def _role(cls, value: str) -> str:
        return v.check_role_arn(value)

    @field_validator("file_storage_id")
    @classmethod
    def _efs(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_aws_id("fs", value)

    @field_validator("memorydb_cluster_id")
    @classmethod
    def _memorydb(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_memorydb_name(value)

    @field_validator("external_id")
    @classmethod
    def _external_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_external_id(value)

    @model_validator(mode="after")
    def _same_account(self) -> "AwsRegisterArgs":
        # Verifier: "All IAM roles must be in the same AWS account".
        accounts = {arn.split(":")[4] for arn in (self.anyscale_iam_role_id, self.instance_iam_role_id)}
        if len(accounts) != 1:
            # Named after the field (a bare ValueError here would leave the field empty).
            raise InvalidArgsError(type(self).__name__, [FieldProblem(
                "instance_iam_role_id",
                "anyscale_iam_role_id and instance_iam_role_id must be in the same AWS account "
                f"(got {', '.join(sorted(accounts))})",
            )])
        return self

    def flags(self) -> dict[str, FlagValue]:
        """The flags in the stable order we print them; ``True`` marks a bare flag."""
        flags: dict[str, FlagValue] = {
            "--provider": "aws",
            "--name": self.name,
            "--region": self.region,
            "--vpc-id": self.vpc_id,
            "--subnet-ids": ",".join(self.subnet_ids),
            "--security-group-ids": ",".join(self.security_group_ids),
            "--cloud-storage-bucket-name": self.cloud_storage_bucket_name,
            "--anyscale-iam-role-id": self.anyscale_iam_role_id,
            "--instance-iam-role-id": self.instance_iam_role_id,
        }
        if self.file_storage_id:
            flags["--file-storage-id"] = self.file_storage_id
        if self.memorydb_cluster_id:
            flags["--memorydb-cluster-id"] = self.memorydb_cluster_id
        if self.external_id:
            flags["--external-id"] = self.external_id
        if self.private_network:
            flags["--private-network"] = True
        return flags

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` the CLI builds from these flags (register_cloud)."""
        aws_config: dict[str, Any] = {
            "vpc_id": self.vpc_id,
            "subnet_ids": list(self.subnet_ids),
            "security_group_ids": list(self.security_group_ids),
            "anyscale_iam_role_id": self.anyscale_iam_role_id,
            "external_id": self.external_id,
            "cluster_iam_role_id": self.instance_iam_role_id,
            "memorydb_cluster_name": self.memorydb_cluster_id,
        }
        return self._deployment(
            provider="AWS",
            region=self.region,
            private_network=self.private_network,
            bucket_name=self.cloud_storage_bucket_name,
            file_storage={"file_storage_id": self.file_storage_id} if self.file_storage_id else None,
            config_key="aws_config",
            config=aws_config,
        )


class AwsK8sRegisterArgs(KubernetesRegisterArgs):
    """`anyscale cloud register --provider aws --compute-stack k8s`: an EKS cluster.

    What the CLI requires for it (``register_cloud``'s table for aws + K8S):
    ``--cloud-storage-bucket-name``, ``--kubernetes-zones`` and
    ``--anyscale-operator-iam-identity`` (the IAM role the operator's service account
    assumes; a dedicated role, not the node group's as in Anyscale's Terraform example).
    No VPC, subnets, security groups or cross-account role: the operator, in the cluster,
    does what the control plane does on the VM stack.
    """

    PROVIDER: ClassVar[str] = "aws"

    region: str
    """AWS region of the cluster (``--region``). Required."""
    cloud_storage_bucket_name: str
    """S3 bucket name, with or without ``s3://`` (``--cloud-storage-bucket-name``). Required."""
    file_storage_id: Optional[str] = None
    """EFS file system id (``--file-storage-id``). Optional: shared storage for workspaces."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region(value)

    @field_validator("cloud_storage_bucket_name")
    @classmethod
    def _bucket(cls, value: str) -> str:
        return s3_bucket_uri(value)

    @field_validator("anyscale_operator_iam_identity")
    @classmethod
    def _identity(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_operator_identity("aws", value)

    @field_validator("file_storage_id")
    @classmethod
    def _efs(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_aws_id("fs", value)

    @model_validator(mode="after")
    def _required(self) -> "AwsK8sRegisterArgs":
        problems: list[FieldProblem] = []
        if not self.kubernetes_zones:
            problems.append(FieldProblem("kubernetes_zones", "is required on aws (--kubernetes-zones: the AZs pods launch in)"))
        else:
            for zone in self.kubernetes_zones:
                try:
                    v.check_availability_zone(zone, self.region)
                except ValueError as exc:
                    problems.append(FieldProblem("kubernetes_zones", str(exc)))
        if self.anyscale_operator_iam_identity is None:
            problems.append(FieldProblem(
                "anyscale_operator_iam_identity",
                "is required on aws (--anyscale-operator-iam-identity: the IAM role the operator's service account assumes)",
            ))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def flags(self) -> dict[str, FlagValue]:
        """Head flags, ``--region``, the bucket, EFS, then the Kubernetes flags."""
        flags = self._head_flags()
        flags["--region"] = self.region
        flags["--cloud-storage-bucket-name"] = self.cloud_storage_bucket_name
        if self.file_storage_id:
            flags["--file-storage-id"] = self.file_storage_id
        flags.update(self._k8s_flags())
        return flags

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` the CLI builds from these flags (register_cloud, aws +
        K8S): object storage is the bucket name alone, file storage holds the EFS id (with
        the K8s storage choices), and its ``aws_config`` of empty VM fields is left out."""
        return self._k8s_deployment(
            provider="AWS",
            region=self.region,
            object_storage={"bucket_name": self.cloud_storage_bucket_name},
            file_storage=self._k8s_file_storage(file_storage_id=self.file_storage_id),
        )

"""The Anyscale operator's AWS identity on EKS: a dedicated IAM role for its service account.

``anyscale cloud register --compute-stack k8s --anyscale-operator-iam-identity <role ARN>``
names the role the operator (and every workload pod: they run as its service account,
``workloads.serviceAccount.name``) uses. The CLI's own setup (``setup_k8s``) makes the same
kind of role: trusted by the cluster's OIDC provider for
``system:serviceaccount:<namespace>:anyscale-operator`` only, with the bucket and nothing
else. Anyscale's Terraform example registers the node group's role instead, which hands the
operator's access to every pod on those nodes and the nodes' permissions to the operator;
this role is never the node role.

Two ways for the pod to get the role (:class:`OperatorTrust`):

* IRSA (default): the trust names the OIDC provider, with ``:sub`` = the service account
  and ``:aud`` = ``sts.amazonaws.com``; the chart annotates the service account with the
  role ARN (``global.auth.iamIdentity``).
* EKS Pod Identity: the trust names ``pods.eks.amazonaws.com`` (``sts:AssumeRole`` and
  ``sts:TagSession``, conditioned on the session tags of this cluster, namespace and service
  account), and a Pod Identity association binds the role to the service account; the chart
  needs no annotation. The cluster needs the ``eks-pod-identity-agent`` add-on.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import _component as w
from anyscale_infra.aws import policies
from anyscale_infra.aws import validation as v
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel, StrInput

#: The inline policy's name on the operator's role.
OPERATOR_POLICY_NAME = "Anyscale_Operator_Access"


class OperatorTrust(str, Enum):
    """How the operator's pod assumes its role."""

    IRSA = "irsa"
    """IAM roles for service accounts (the cluster's OIDC provider). The default; what the
    CLI's own setup uses."""
    POD_IDENTITY = "pod-identity"
    """EKS Pod Identity (an association; no OIDC provider, no service-account annotation)."""


class AnyscaleEksOperatorIdentityArgs(ArgsModel):
    """Arguments of :class:`AnyscaleEksOperatorIdentity`."""

    trust: OperatorTrust = OperatorTrust.IRSA
    """IRSA or EKS Pod Identity. Defaults to IRSA."""
    oidc_provider_arn: Optional[StrInput] = None
    """The cluster's IAM OIDC provider. Required with IRSA (set for you inside the cloud)."""
    cluster_name: Optional[StrInput] = None
    """The EKS cluster. Required with Pod Identity (the association and the trust's
    session-tag condition name it); set for you inside the cloud."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """The operator's namespace. Defaults to ``anyscale-operator`` (the CLI's)."""
    service_account: str = kc.OPERATOR_SERVICE_ACCOUNT
    """The operator's service account. Defaults to the chart's ``anyscale-operator``."""
    bucket_name: Optional[StrInput] = None
    """The cloud's S3 bucket (bare name). Required for a new role."""
    kms_key_arn: Optional[StrInput] = None
    """The bucket's SSE-KMS key, if any: the role gets ``kms:GenerateDataKey``/``kms:Decrypt``
    on it. Optional."""
    file_system_arn: Optional[StrInput] = None
    """The cloud's EFS file system ARN, if any: the role gets client mount and write on it.
    Optional."""
    existing_role_arn: Optional[str] = None
    """Use this role instead (its trust and permissions are yours; a Pod Identity
    association is still made with ``trust=POD_IDENTITY``). Optional."""
    role_path: str = "/"
    """IAM path of the new role. Defaults to ``/``."""
    permissions_boundary_arn: Optional[str] = None
    """Permissions boundary of the new role. Optional."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for the role and the association. Optional."""

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("service_account")
    @classmethod
    def _service_account(cls, value: str) -> str:
        return kv.check_service_account_name(value)

    @field_validator("oidc_provider_arn")
    @classmethod
    def _oidc(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_oidc_provider_arn(value) if isinstance(value, str) else value

    @field_validator("cluster_name")
    @classmethod
    def _cluster(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_eks_cluster_name(value) if isinstance(value, str) else value

    @field_validator("bucket_name")
    @classmethod
    def _bucket(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_bucket_name(value.removeprefix("s3://")) if isinstance(value, str) else value

    @field_validator("kms_key_arn")
    @classmethod
    def _kms(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_kms_key_arn(value) if isinstance(value, str) else value

    @field_validator("existing_role_arn")
    @classmethod
    def _role(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_operator_identity("aws", value)

    @field_validator("permissions_boundary_arn")
    @classmethod
    def _boundary(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_policy_arn(value)

    @field_validator("role_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not (value.startswith("/") and value.endswith("/")):
            raise ValueError(f"{value!r} is not an IAM path (it starts and ends with '/')")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleEksOperatorIdentityArgs":
        problems: list[FieldProblem] = []
        if self.trust is not OperatorTrust.IRSA and self.oidc_provider_arn is not None:
            problems.append(FieldProblem("oidc_provider_arn", "applies to trust=irsa only"))
        if self.existing_role_arn is not None:
            problems += [
                FieldProblem(field, f"only one of existing_role_arn and {field} can be specified")
                for field in ("bucket_name", "kms_key_arn", "file_system_arn", "role_path", "permissions_boundary_arn")
                if field in self.model_fields_set
            ]
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def missing_problems(self) -> list[FieldProblem]:
        """The inputs a new role (or the association) still lacks: inside the cloud they are
        wired in, so the part's own model cannot require them."""
        problems = []
        creating = self.existing_role_arn is None
        if creating and self.trust is OperatorTrust.IRSA and self.oidc_provider_arn is None:
            problems.append(FieldProblem("oidc_provider_arn", "is required with trust=irsa (the role trusts the cluster's OIDC provider)"))
        if self.trust is OperatorTrust.POD_IDENTITY and self.cluster_name is None:
            problems.append(FieldProblem("cluster_name", "is required with trust=pod-identity (the association names the cluster)"))
        if creating and self.bucket_name is None:
            problems.append(FieldProblem("bucket_name", "is required: the operator's role grants the cloud's bucket"))
        return problems

    def subject(self) -> str:
        """The service account's token subject, ``system:serviceaccount:<ns>:<sa>``."""
        return kc.SERVICE_ACCOUNT_SUBJECT.format(namespace=self.namespace, service_account=self.service_account)


class AnyscaleEksOperatorIdentity(pulumi.ComponentResource):
    """The operator's dedicated IAM role (IRSA or EKS Pod Identity), with the bucket only."""

    role_arn: pulumi.Output[str]
    """``--anyscale-operator-iam-identity``."""
    role_name: pulumi.Output[str]
    iam_identity: pulumi.Output[Optional[str]]
    """What the chart's ``global.auth.iamIdentity`` gets: the role ARN with IRSA (the chart
    annotates the service account with it), None with Pod Identity."""
    trust: OperatorTrust

    def __init__(
        self, name: str, args: AnyscaleEksOperatorIdentityArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleEksOperatorIdentity"), name, None, opts)
        if problems := args.missing_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        self.trust = args.trust
        if args.existing_role_arn is not None:
            self.role_arn = pulumi.Output.from_input(args.existing_role_arn)
            self.role_name = pulumi.Output.from_input(v.role_name_from_arn(args.existing_role_arn))
        else:
            self._create(name, args)
        if args.trust is OperatorTrust.POD_IDENTITY:
            aws.eks.PodIdentityAssociation(
                f"{name}-operator-pod-identity",
                cluster_name=args.cluster_name,
                namespace=args.namespace,
                service_account=args.service_account,
                role_arn=self.role_arn,
                tags=w.merge_tags(f"{name}-operator-pod-identity", args.tags),
                opts=w.child(self),
            )
            self.iam_identity = pulumi.Output.from_input(None)
        else:
            self.iam_identity = self.role_arn  # type: ignore[assignment]
        self.register_outputs({"role_arn": self.role_arn, "role_name": self.role_name, "iam_identity": self.iam_identity})

    def _create(self, name: str, args: AnyscaleEksOperatorIdentityArgs) -> None:
        if args.trust is OperatorTrust.IRSA:
            trust = w.json_document(
                policies.irsa_trust_policy,
                oidc_provider_arn=args.oidc_provider_arn,
                namespace=args.namespace,
                service_account=args.service_account,
            )
        else:
            trust = w.json_document(
                policies.pod_identity_trust_policy,
                cluster_name=args.cluster_name,
                namespace=args.namespace,
                service_account=args.service_account,
            )
        role = aws.iam.Role(
            f"{name}-operator-role",
            description=f"Anyscale operator {args.namespace}/{args.service_account} ({args.trust.value})",
            assume_role_policy=trust,
            # Its inline policy is deleted_with it: deleting the role removes it.
            force_detach_policies=True,
            path=args.role_path,
            permissions_boundary=args.permissions_boundary_arn,
            tags=w.merge_tags(f"{name}-operator-role", args.tags),
            opts=w.child(self),
        )
        aws.iam.RolePolicy(
            f"{name}-operator-policy",
            role=role.name,
            name=OPERATOR_POLICY_NAME,
            policy=w.json_document(
                policies.operator_access_policy,
                bucket_name=pulumi.Output.from_input(args.bucket_name).apply(lambda b: b.removeprefix("s3://")),
                kms_key_arn=args.kms_key_arn,
                file_system_arn=args.file_system_arn,
            ),
            opts=w.child(self, deleted_with=role),
        )
        self.role_arn = role.arn
        self.role_name = role.name


__all__ = ["OPERATOR_POLICY_NAME", "AnyscaleEksOperatorIdentity", "AnyscaleEksOperatorIdentityArgs", "OperatorTrust"]

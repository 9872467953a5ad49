"""The two IAM roles of an Anyscale cloud (seed 004), new or existing.

* The cross-account role Anyscale's control plane assumes (``--anyscale-iam-role-id``):
  trust to Anyscale's account with an External ID, inline policies
  ``Anyscale_IAM_Policy_Steady_State`` and (optional) ``Anyscale_IAM_Policy_Service_Steady_State``.
* The cluster node role (``--instance-iam-role-id``): trusted by EC2, an instance profile
  of exactly the same name, ``AmazonEC2ContainerRegistryReadOnly`` (the verifier warns
  without it), plus any managed policies you add. Bucket access is granted by
  :class:`~anyscale_infra.aws.bucket.AnyscaleBucket`, which knows the bucket.

External ID: ``cloud register`` without ``--external-id`` rewrites the role's trust policy
to add the cloud id, and the next ``pulumi up`` would silently revert it and lock Anyscale
out. So the ID exists before registration: ``<org id>-<random>``, generated once (stable in
state) or given by you, in the trust policy from the first ``pulumi up``, and emitted as
``--external-id``.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.aws import policies
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel

#: Length of the generated random part of the external ID.
EXTERNAL_ID_SUFFIX_LENGTH = 32


class AnyscaleIamRolesArgs(ArgsModel):
    """Arguments of :class:`AnyscaleIamRoles`."""

    org_id: Optional[str] = None
    """Your Anyscale organization id (``org_...``; console: Organization settings). Required
    to generate the external ID; optional when you give ``external_id``."""
    external_id: Optional[str] = None
    """The trust policy's external ID, ``<org id>-<random string>``. Optional; generated
    once from ``org_id`` when not given. Kept secret in state and outputs."""
    cloud_id: Optional[str] = None
    """The cloud id ``cloud register`` printed (``cld_...``). Optional: set it on the second
    ``pulumi up`` (seed 004's two-phase flow) to scope instance start/stop to instances
    tagged with it."""
    anyscale_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID
    """AWS account of Anyscale's control plane. Defaults to 525325868955; change it only
    when your CLI is pointed at another control plane."""
    enable_services_policy: bool = True
    """Attach ``Anyscale_IAM_Policy_Service_Steady_State`` (Anyscale Services: load
    balancers, certificates). Defaults to True."""
    passable_role_arns: list[str] = Field(default_factory=list)
    """More roles Anyscale may pass to instances (e.g. per-workload roles you name in compute
    configs); each needs an instance profile of the same name. Optional."""
    instance_role_managed_policy_arns: list[str] = Field(default_factory=list)
    """Managed policies to attach to the cluster node role (e.g. CloudWatch, Secrets
    Manager). Optional."""
    attach_ecr_read_only: bool = True
    """Attach ``AmazonEC2ContainerRegistryReadOnly`` to the node role (custom images from
    ECR; the verifier warns without it). Defaults to True."""
    existing_anyscale_role_arn: Optional[str] = None
    """Use this existing cross-account role; nothing is created for it. Optional."""
    existing_instance_role_arn: Optional[str] = None
    """Use this existing node role (it needs an instance profile of the same name). Optional."""
    permissions_boundary_arn: Optional[str] = None
    """Permissions boundary for the roles we create. Optional."""
    role_path: str = "/"
    """IAM path of the roles we create. Defaults to ``/``."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for the roles. Optional."""

    @field_validator("org_id")
    @classmethod
    def _org(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_org_id(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @field_validator("anyscale_account_id")
    @classmethod
    def _account(cls, value: str) -> str:
        if not (value.isdigit() and len(value) == 12):
            raise ValueError(f"{value!r} is not a 12-digit AWS account id")
        return value

    @field_validator("existing_anyscale_role_arn", "existing_instance_role_arn")
    @classmethod
    def _role(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_role_arn(value)

    @field_validator("passable_role_arns")
    @classmethod
    def _passable(cls, value: list[str]) -> list[str]:
        return [v.check_role_arn(arn) for arn in value]

    @field_validator("instance_role_managed_policy_arns")
    @classmethod
    def _managed(cls, value: list[str]) -> list[str]:
        return [v.check_policy_arn(arn) for arn in value]

    @field_validator("permissions_boundary_arn")
    @classmethod
    def _boundary(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_policy_arn(value)

    @field_validator("role_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not (value.startswith("/") and value.endswith("/")):
            raise ValueError(f"{value!r} must begin and end with '/' (IAM path rule)")
        if len(value) > 512:
            raise ValueError(f"is {len(value)} characters long; IAM paths are at most 512 (IAM path rule)")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _external_id_rules(self) -> "AnyscaleIamRolesArgs":
        problems: list[FieldProblem] = []
        if self.external_id is not None:
            try:
                v.check_external_id(self.external_id, self.org_id)
            except ValueError as exc:
                problems.append(FieldProblem("external_id", str(exc)))

        if self.existing_anyscale_role_arn is not None:
            for name in ("enable_services_policy", "cloud_id", "passable_role_arns", "anyscale_account_id"):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            name,
                            "shapes the Anyscale role we create, so it cannot be combined with "
                            "existing_anyscale_role_arn",
                        )
                    )
        if self.existing_instance_role_arn is not None:
            for name in ("instance_role_managed_policy_arns", "attach_ecr_read_only"):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            name, "applies to a node role we create; not with existing_instance_role_arn"
                        )
                    )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def missing_external_id_problem(self) -> Optional[FieldProblem]:
        """The Anyscale role we create needs an external ID from the first `pulumi up`."""
        if self.external_id is None and self.org_id is None and self.existing_anyscale_role_arn is None:
            return FieldProblem(
                "org_id",
                "is required to generate the external ID of the Anyscale role's trust policy "
                "(<org id>-<random>); give org_id (console: Organization settings) or external_id",
            )
        return None

    def advisories(self) -> list[str]:
        if self.existing_anyscale_role_arn is not None and self.external_id is None:
            return [
                "existing_anyscale_role_arn without external_id: `cloud register` will rewrite that "
                "role's trust policy to add the cloud id; pass the external ID already in its trust "
                "policy to keep it stable"
            ]
        return []


class AnyscaleIamRoles(pulumi.ComponentResource):
    """The cross-account role and the cluster node role (with its instance profile)."""

    anyscale_role_arn: pulumi.Output[str]
    """ARN of the cross-account role (``--anyscale-iam-role-id``)."""
    anyscale_role_name: pulumi.Output[str]
    instance_role_arn: pulumi.Output[str]
    """ARN of the cluster node role (``--instance-iam-role-id``)."""
    instance_role_name: pulumi.Output[str]
    instance_profile_arn: pulumi.Output[str]
    """ARN of the node role's instance profile (same name as the role)."""
    external_id: pulumi.Output[Optional[str]]
    """The trust policy's external ID (secret; ``--external-id``), or None."""
    created_role_names: pulumi.Output[list[str]]
    """Names of the roles this component created (where bucket access may be attached)."""

    def __init__(
        self, name: str, args: AnyscaleIamRolesArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleIamRoles"), name, None, opts)
        if problem := args.missing_external_id_problem():
            raise InvalidArgsError(type(args).__name__, [problem])
        created: list[pulumi.Output[str]] = []
        self._instance_role(name, args, created)
        self._anyscale_role(name, args, created)
        self.created_role_names = pulumi.Output.all(*created)  # type: ignore[assignment]
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "anyscale_role_arn": self.anyscale_role_arn,
                "instance_role_arn": self.instance_role_arn,
                "instance_profile_arn": self.instance_profile_arn,
                "external_id": self.external_id,
            }
        )

    def _instance_role(self, name: str, args: AnyscaleIamRolesArgs, created: list) -> None:
        if args.existing_instance_role_arn is not None:
            arn = args.existing_instance_role_arn
            self.instance_role_arn = pulumi.Output.from_input(arn)
            self.instance_role_name = pulumi.Output.from_input(v.role_name_from_arn(arn))
            # The verifier looks for an instance profile named exactly like the role.
            self.instance_profile_arn = pulumi.Output.from_input(_profile_arn_for(arn))
            return
        role = aws.iam.Role(
            f"{name}-instance-role",
            description="Anyscale cluster nodes (instance role)",
            assume_role_policy=w.json_document(policies.instance_trust_policy),
            path=args.role_path,
            permissions_boundary=args.permissions_boundary_arn,
            tags=w.merge_tags(f"{name}-instance-role", args.tags),
            opts=w.child(self),
        )
        profile = aws.iam.InstanceProfile(
            f"{name}-instance-profile",
            # Anyscale launches nodes with the profile named like the role (verifier).
            name=role.name,
            path=args.role_path,
            role=role.name,
            tags=w.merge_tags(f"{name}-instance-profile", args.tags),
            opts=w.child(self),
        )
        managed = list(args.instance_role_managed_policy_arns)
        if args.attach_ecr_read_only:
            managed.insert(0, f"arn:aws:iam::aws:policy/{c.ECR_READ_ONLY_POLICY_NAME}")
        for policy_arn in managed:
            aws.iam.RolePolicyAttachment(
                f"{name}-instance-{policy_arn.rsplit('/', 1)[-1]}",
                role=role.name,
                policy_arn=policy_arn,
                opts=w.child(self, deleted_with=role),
            )
        self.instance_role_arn = role.arn
        self.instance_role_name = role.name
        self.instance_profile_arn = profile.arn
        created.append(role.name)

    def _anyscale_role(self, name: str, args: AnyscaleIamRolesArgs, created: list) -> None:
        self.external_id = self._external_id(name, args)
        if args.existing_anyscale_role_arn is not None:
            arn = args.existing_anyscale_role_arn
            self.anyscale_role_arn = pulumi.Output.from_input(arn)
            self.anyscale_role_name = pulumi.Output.from_input(v.role_name_from_arn(arn))
            return
        role = aws.iam.Role(
            f"{name}-anyscale-role",
            description="Anyscale control plane (cross-account access)",
            assume_role_policy=w.json_document(
                policies.anyscale_trust_policy,
                external_id=self.external_id,
                anyscale_account_id=args.anyscale_account_id,
            ),
            path=args.role_path,
            permissions_boundary=args.permissions_boundary_arn,
            tags=w.merge_tags(f"{name}-anyscale-role", args.tags),
            opts=w.child(self),
        )
        passable = pulumi.Output.all(self.instance_role_arn, *args.passable_role_arns)
        profiles = pulumi.Output.all(
            self.instance_profile_arn, *[_profile_arn_for(arn) for arn in args.passable_role_arns]
        )
        aws.iam.RolePolicy(
            f"{name}-steady-state-policy",
            role=role.name,
            name=c.STEADY_STATE_POLICY_NAME,
            policy=w.json_document(
                policies.steady_state_policy,
                passable_role_arns=passable,
                instance_profile_arns=profiles,
                cloud_id=args.cloud_id,
            ),
            opts=w.child(self, deleted_with=role),
        )
        if args.enable_services_policy:
            aws.iam.RolePolicy(
                f"{name}-services-policy",
                role=role.name,
                name=c.SERVICE_STEADY_STATE_POLICY_NAME,
                policy=w.json_document(policies.services_policy),
                opts=w.child(self, deleted_with=role),
            )
        self.anyscale_role_arn = role.arn
        self.anyscale_role_name = role.name
        created.append(role.name)

    def _external_id(self, name: str, args: AnyscaleIamRolesArgs) -> pulumi.Output[Optional[str]]:
        if args.external_id is not None:
            return pulumi.Output.secret(args.external_id)
        if args.org_id is None:
            return pulumi.Output.from_input(None)
        # Imported here: only a generated external ID needs pulumi-random (import time).
        import pulumi_random as random

        # Generated once and kept in state: stable across `pulumi up`s. RandomPassword marks
        # its result secret; letters and digits only, well inside AWS's character set.
        suffix = random.RandomPassword(
            f"{name}-external-id-suffix",
            length=EXTERNAL_ID_SUFFIX_LENGTH,
            special=False,
            opts=w.child(self),
        )
        # Secret explicitly, not only through RandomPassword's additional secret outputs
        # (applied by the engine): the ID must stay masked in every output that embeds it.
        return pulumi.Output.secret(pulumi.Output.concat(args.org_id, "-", suffix.result))


def _profile_arn_for(role_arn: str) -> str:
    """The ARN of the instance profile named like the role (same account and path)."""
    return role_arn.replace(":role/", ":instance-profile/", 1)

"""IAM rules: the trust and permission policies of seed 004, the checks of
verify_aws_iam_roles (same levels), and least-privilege guards."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra import constants as c
from anyscale_infra.policy._facts import (
    ACCOUNT_CONFIG,
    action_matches,
    actions,
    allows,
    as_list,
    get,
    is_wildcard_principal,
    iter_policy_documents,
    of_type,
    policy_document,
    statements,
    trusted_roles,
    trusts_account,
    trusts_service,
)

ROLE = "aws:iam/role:Role"
EC2 = "ec2.amazonaws.com"


def _trust_statements(args: ResourceValidationArgs) -> list[dict[str, Any]]:
    if args.resource_type != ROLE:
        return []
    return [s for s in statements(policy_document(get(args.props, "assumeRolePolicy"))) if allows(s)]


def _external_id(args: ResourceValidationArgs, report: ReportViolation) -> None:
    account = str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))
    for s in _trust_statements(args):
        if not trusts_account(s, account):
            continue
        value = ((s.get("Condition") or {}).get("StringEquals") or {}).get("sts:ExternalId")
        if not value:
            report(
                f"the role trusts Anyscale's account {account} without an sts:ExternalId condition: set the "
                "external ID before registering, or `cloud register` rewrites the trust policy and the next "
                "`pulumi up` reverts it (confused-deputy protection).",
                None,
            )


def _anyscale_trust_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    account = str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))
    for s in _trust_statements(args):
        if trusts_account(s, account) and s.get("Action") != "sts:AssumeRole":
            report(
                f'the trust statement for Anyscale\'s account has Action {s.get("Action")!r}; `cloud register` '
                'only recognizes the plain string "sts:AssumeRole" (it warns).',
                None,
            )


def _node_trust_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for s in _trust_statements(args):
        if trusts_service(s, EC2) and s.get("Action") != "sts:AssumeRole":
            report(
                f'the EC2 trust statement has Action {s.get("Action")!r}; `cloud register` requires the plain '
                'string "sts:AssumeRole" for the cluster node role (an error).',
                None,
            )


def _wildcard_principal(args: ResourceValidationArgs, report: ReportViolation) -> None:
    key = {ROLE: "assumeRolePolicy", "aws:s3/bucketPolicy:BucketPolicy": "policy"}.get(args.resource_type)
    if key is None:
        return
    for s in statements(policy_document(get(args.props, key))):
        if allows(s) and is_wildcard_principal(s):
            report(f"statement {s.get('Sid', '(no Sid)')} allows any principal ('*').", None)


def _wildcard_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    resource = _Adapter(args)
    for _, document in iter_policy_documents([resource]):  # type: ignore[list-item]
        for s in statements(document):
            if allows(s) and any(a == "*" for a in actions(s)):
                report(f"statement {s.get('Sid', '(no Sid)')} allows every action ('Action': '*').", None)


class _Adapter:
    """A ResourceValidationArgs seen as the (type, props, urn) the document reader wants."""

    def __init__(self, args: ResourceValidationArgs):
        self.resource_type, self.props, self.urn = args.resource_type, args.props, args.urn


SCOPED_ACTIONS = ("ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances")


def _scoped(args: ResourceValidationArgs, report: ReportViolation) -> None:
    cloud_id = args.get_config().get("cloudId")
    if not cloud_id:
        return  # first phase: nothing to scope to yet
    tag_key = f"aws:ResourceTag/{c.CLOUD_ID_TAG_KEY}"
    for _, document in iter_policy_documents([_Adapter(args)]):  # type: ignore[list-item]
        for s in statements(document):
            if not allows(s):
                continue
            granted = [w for w in SCOPED_ACTIONS if any(action_matches(a, w) for a in actions(s))]
            if not granted:
                continue
            conditions = s.get("Condition") or {}
            scoped = any(
                isinstance(block, Mapping) and cloud_id in as_list(block.get(tag_key))
                for op, block in conditions.items()
                if op in ("StringEquals", "StringLike")
            )
            if not scoped:
                request_only = any(
                    isinstance(block, Mapping) and any(k.startswith("aws:RequestTag/") for k in block)
                    for block in conditions.values()
                )
                why = (
                    " (conditioned on aws:RequestTag: StartInstances/StopInstances requests carry no tags, so "
                    "stopped instances could never start — use aws:ResourceTag)"
                    if request_only
                    else ""
                )
                report(
                    f"statement {s.get('Sid', '(no Sid)')} allows {', '.join(granted)} without "
                    f"{tag_key}={cloud_id}{why}.",
                    None,
                )


def _ec2_roles(args: StackValidationArgs) -> list[Any]:
    return trusted_roles(args.resources, lambda s: trusts_service(s, EC2))


def _instance_profile(args: StackValidationArgs, report: ReportViolation) -> None:
    profiles = of_type(args.resources, "aws:iam/instanceProfile:InstanceProfile")
    for role in _ec2_roles(args):
        name = get(role.props, "name")
        if not any(get(p.props, "role") == name and get(p.props, "name") == name for p in profiles):
            report(
                f"role {name} (trusted by EC2) has no instance profile of the same name; `cloud register` "
                "looks the profile up by the role's name (an error).",
                role.urn,
            )


def _ecr(args: StackValidationArgs, report: ReportViolation) -> None:
    attachments = of_type(args.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    for role in _ec2_roles(args):
        name = get(role.props, "name")
        attached = [get(a.props, "policyArn") for a in attachments if get(a.props, "role") == name]
        attached += as_list(get(role.props, "managedPolicyArns"))
        if not any(str(arn).endswith("/AmazonEC2ContainerRegistryReadOnly") for arn in attached):
            report(
                f"role {name} (trusted by EC2) lacks AmazonEC2ContainerRegistryReadOnly: clusters cannot pull "
                "images from ECR (`cloud register` warns).",
                role.urn,
            )


trust_external_id = ResourceValidationPolicy(
    name="anyscale-aws-trust-external-id",
    description="A role trusting Anyscale's AWS account requires sts:ExternalId (seed 004 two-phase flow; set before registering).",
    validate=_external_id,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=ACCOUNT_CONFIG,
)
anyscale_trust_action = ResourceValidationPolicy(
    name="anyscale-aws-anyscale-trust-action",
    description='The Anyscale trust statement\'s Action is the plain string "sts:AssumeRole" (registration warns otherwise).',
    validate=_anyscale_trust_action,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=ACCOUNT_CONFIG,
)
node_trust_action = ResourceValidationPolicy(
    name="anyscale-aws-node-trust-action",
    description='The EC2 trust statement\'s Action is the plain string "sts:AssumeRole" (a registration error otherwise).',
    validate=_node_trust_action,
    enforcement_level=EnforcementLevel.MANDATORY,
)
no_wildcard_principal = ResourceValidationPolicy(
    name="anyscale-aws-no-wildcard-principal",
    description="No trust or bucket policy allows any principal ('*').",
    validate=_wildcard_principal,
    enforcement_level=EnforcementLevel.MANDATORY,
)
no_wildcard_action = ResourceValidationPolicy(
    name="anyscale-aws-no-wildcard-action",
    description="No policy allows every action ('Action': '*'); seed 004 lists the actions Anyscale needs.",
    validate=_wildcard_action,
    enforcement_level=EnforcementLevel.MANDATORY,
)
scoped_instance_actions = ResourceValidationPolicy(
    name="anyscale-aws-scoped-instance-actions",
    description=(
        "With a cloud id configured (second phase of seed 004), EC2 start/stop/terminate are allowed only on "
        "instances tagged anyscale-cloud-id=<cloud id> (aws:ResourceTag)."
    ),
    validate=_scoped,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=PolicyConfigSchema(properties={"cloudId": {"type": "string", "default": ""}}),
)
instance_profile_same_name = StackValidationPolicy(
    name="anyscale-aws-instance-profile-same-name",
    description="Each EC2-trusted role has an instance profile with the role's name (a registration error otherwise).",
    validate=_instance_profile,
    enforcement_level=EnforcementLevel.MANDATORY,
)
instance_role_ecr_read_only = StackValidationPolicy(
    name="anyscale-aws-instance-role-ecr-read-only",
    description="Each EC2-trusted role has AmazonEC2ContainerRegistryReadOnly attached (registration warns otherwise).",
    validate=_ecr,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [
    trust_external_id,
    anyscale_trust_action,
    node_trust_action,
    no_wildcard_principal,
    no_wildcard_action,
    scoped_instance_actions,
    instance_profile_same_name,
    instance_role_ecr_read_only,
]

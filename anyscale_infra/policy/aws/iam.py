"""IAM rules: seed 004's trust and permission policies, the checks of
``verify_aws_iam_roles`` (same levels), and least-privilege guards.

The rules that decide what a role *can do* ask the IAM evaluator about concrete requests
(:mod:`anyscale_infra.policy._iam`): every statement of every policy attached to the role
counts, an explicit Deny anywhere wins. Only the checks that mirror the verifier's own
shape checks (the ``"Action": "sts:AssumeRole"`` string) and the wildcard guards read
statements directly.
"""

from __future__ import annotations

from typing import Any, Optional

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.iam_evaluator import Evaluation, PolicyError, PolicySource, Principal
from anyscale_infra.policy.aws import _iam as q
from anyscale_infra.policy.aws._facts import (
    ACCOUNT_CONFIG,
    actions,
    allows,
    as_list,
    get,
    is_wildcard_principal,
    iter_policy_documents,
    of_type,
    policy_document,
    statements,
    trusts_account,
    trusts_service,
)

ROLE = q.ROLE
EC2 = c.EC2_SERVICE_PRINCIPAL
MASK = "[secret]"  # External IDs are secrets: never in a message


def _account(args: Any) -> str:
    return str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))


def _trust_of(args: ResourceValidationArgs) -> Optional[PolicySource]:
    if args.resource_type != ROLE:
        return None
    document = policy_document(get(args.props, "assumeRolePolicy"))
    return None if document is None else PolicySource(f"the trust policy of {args.name}", document)


def _role_arn(args: ResourceValidationArgs) -> str:
    """Resource rules see inputs only: the role's ARN is not among them."""
    return f"arn:aws:iam::{q.UNKNOWN_ACCOUNT}:role/{get(args.props, 'name') or args.name}"


# -- trust: only Anyscale, only with the External ID ---------------------------------------


def _external_id(args: ResourceValidationArgs, report: ReportViolation) -> None:
    trust = _trust_of(args)
    if trust is None:
        return
    account, arn = _account(args), _role_arn(args)
    anyscale, anyscale_arn = q.anyscale_principal(account), q.anyscale_principal_arn(account)
    try:
        if not q.trusts_anyscale(trust, arn, account):
            return
        without = q.assume(trust, arn, anyscale, None, anyscale_arn)
        wrong = next(
            (e for e in (q.assume(trust, arn, anyscale, w, anyscale_arn) for w in q.wrong_external_ids(trust.document)) if e.allowed),
            None,
        )
    except PolicyError as exc:
        report(f"the trust policy cannot be evaluated: {exc}", None)
        return
    if without.allowed:
        report(
            f"Anyscale's account {account} can assume the role without an External ID ({q.why(without)}): "
            "require sts:ExternalId with StringEquals before registering, or `cloud register` rewrites the "
            "trust policy and the next `pulumi up` reverts it (confused-deputy protection; seed 004).",
            None,
        )
    elif wrong is not None:
        report(
            f"Anyscale's account {account} can assume the role with other External IDs than the one you "
            f"register ({q.why(wrong)}): compare sts:ExternalId with StringEquals to that one value.",
            None,
        )


def _stranger_principals(trust: PolicySource, anyscale_account: str) -> list[tuple[str, Principal]]:
    """Who else might the trust policy admit: every principal it names that is not
    Anyscale's account, plus an unrelated account, an anonymous caller and EC2."""
    probes: dict[str, Principal] = {
        f"account {q.STRANGER_ACCOUNT}": Principal.aws(q.STRANGER_ARN),
        "an anonymous caller": Principal.anonymous(),
        f"the service {EC2}": Principal.service(EC2),
    }
    for statement in statements(trust.document):
        principal = statement.get("Principal")
        named = principal if isinstance(principal, dict) else {}
        for value in as_list(named.get("AWS")):
            text = str(value)
            account = text if text.isdigit() else (text.split(":")[4] if text.count(":") >= 5 else None)
            if account and account != anyscale_account:
                arn = text if ":role/" in text or ":user/" in text else f"arn:aws:iam::{account}:role/someone"
                probes.setdefault(f"principal {text}", Principal.aws(arn))
        for value in as_list(named.get("Service")):
            probes.setdefault(f"the service {value}", Principal.service(str(value)))
        for value in as_list(named.get("Federated")):
            probes.setdefault(f"the federated provider {value}", Principal.federated(str(value)))
    return list(probes.items())


def _only_anyscale(args: ResourceValidationArgs, report: ReportViolation) -> None:
    trust = _trust_of(args)
    if trust is None:
        return
    account, arn = _account(args), _role_arn(args)
    try:
        if not q.trusts_anyscale(trust, arn, account):
            return
        # Worst case: the other principal knows the External ID (it is not a secret from AWS's
        # point of view): only the principal may decide.
        external_ids = [None, *q.external_id_candidates(trust.document)]
        admitted = []
        for who, principal in _stranger_principals(trust, account):
            for external_id in external_ids:
                evaluation = q.assume(trust, arn, principal, external_id, q.principal_arn(principal))
                if evaluation.allowed:
                    admitted.append(f"{who} ({q.why(evaluation)})")
                    break
    except PolicyError as exc:
        report(f"the trust policy cannot be evaluated: {exc}", None)
        return
    if admitted:
        report(
            f"the role Anyscale's account {account} assumes can also be assumed by " + "; ".join(admitted)
            + ": the cross-account role must trust Anyscale's account alone (seed 004).",
            None,
        )


def _anyscale_trust_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    account = _account(args)
    trust = _trust_of(args)
    for s in statements(trust.document if trust else None):
        if allows(s) and trusts_account(s, account) and s.get("Action") != q.ASSUME_ROLE:
            report(
                f'the trust statement for Anyscale\'s account has Action {s.get("Action")!r}; `cloud register` '
                'only recognizes the plain string "sts:AssumeRole" (it warns).',
                None,
            )


def _node_trust_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    trust = _trust_of(args)
    for s in statements(trust.document if trust else None):
        if allows(s) and trusts_service(s, EC2) and s.get("Action") != q.ASSUME_ROLE:
            report(
                f'the EC2 trust statement has Action {s.get("Action")!r}; `cloud register` requires the plain '
                'string "sts:AssumeRole" for the cluster node role (an error).',
                None,
            )


class _Adapter:
    """A ResourceValidationArgs seen as the (type, props, urn) the document reader wants."""

    def __init__(self, args: ResourceValidationArgs):
        self.resource_type, self.props, self.urn = args.resource_type, args.props, args.urn


def _wildcard_principal(args: ResourceValidationArgs, report: ReportViolation) -> None:
    key = {ROLE: "assumeRolePolicy", q.BUCKET_POLICY: "policy"}.get(args.resource_type)
    if key is None:
        return
    for s in statements(policy_document(get(args.props, key))):
        if allows(s) and is_wildcard_principal(s):
            report(f"statement {s.get('Sid', '(no Sid)')} allows any principal ('*').", None)


def _wildcard_action(args: ResourceValidationArgs, report: ReportViolation) -> None:
    for _, document in iter_policy_documents([_Adapter(args)]):  # type: ignore[list-item]
        for s in statements(document):
            if allows(s) and any(a == "*" for a in actions(s)):
                report(f"statement {s.get('Sid', '(no Sid)')} allows every action ('Action': '*').", None)


# -- the Anyscale role's permissions, as questions ------------------------------------------

LIFECYCLE = ("ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances")
RETAG = ("ec2:CreateTags", "ec2:DeleteTags")


def _probe(role: q.RoleView, action: str, resource: str, context: dict[str, Any]) -> Evaluation:
    return role.can(action, resource, context)


def _scoping_findings(role: q.RoleView, cloud_id: str, region: str) -> list[str]:
    """What defeats tag scoping to ``cloud_id``: each a sentence naming the statements."""
    instance = q.instance_arn(region, role.account)
    findings: list[str] = []
    # CAN: act on its own cloud's instances and launch new ones tagged with its id.
    for action in LIFECYCLE:
        evaluation = _probe(role, action, instance, q.resource_tag(cloud_id))
        if not evaluation.allowed:
            hint = ""
            if action == "ec2:StartInstances" and _conditions_on_request_tag(role, action):
                hint = (
                    " — a statement conditions StartInstances on aws:RequestTag: StartInstances requests carry "
                    "no tags, so stopped instances could never start; condition it on aws:ResourceTag"
                )
            findings.append(
                f"cannot {action} an existing instance tagged {c.CLOUD_ID_TAG_KEY}={cloud_id} "
                f"({q.why(evaluation)}){hint}"
            )
    launch = q.launch_tags(cloud_id)
    for what, arn in {"instance": instance, **q.launch_resource_arns(region, role.account)}.items():
        evaluation = _probe(role, "ec2:RunInstances", arn, launch if what == "instance" else {})
        if not evaluation.allowed:
            findings.append(
                f"cannot ec2:RunInstances a new instance tagged {c.CLOUD_ID_TAG_KEY}={cloud_id} "
                f"(on its {what}: {q.why(evaluation)})"
            )
    tag_at_launch = _probe(role, "ec2:CreateTags", instance, {**launch, "ec2:CreateAction": "RunInstances"})
    if not tag_at_launch.allowed:
        findings.append(f"cannot tag the instances it launches (ec2:CreateTags during RunInstances: {q.why(tag_at_launch)})")
    # CANNOT: touch another cloud's or an untagged instance, or launch one.
    for whose, other in (("another cloud's", q.OTHER_CLOUD_ID), ("an untagged", None)):
        for action in LIFECYCLE + RETAG:
            evaluation = _probe(role, action, instance, q.resource_tag(other))
            if evaluation.allowed:
                findings.append(f"can {action} {whose} instance ({q.why(evaluation)})")
        evaluation = _probe(role, "ec2:RunInstances", instance, q.launch_tags(other))
        if evaluation.allowed:
            tagged = f"tagged {c.CLOUD_ID_TAG_KEY}={other}" if other else f"without the {c.CLOUD_ID_TAG_KEY} tag"
            findings.append(f"can ec2:RunInstances an instance {tagged} ({q.why(evaluation)})")
    return findings


def _conditions_on_request_tag(role: q.RoleView, action: str) -> bool:
    from anyscale_infra.policy.aws._facts import action_matches

    for source in role.identity:
        for statement in statements(source.document):
            if allows(statement) and any(action_matches(a, action) for a in actions(statement)):
                for block in (statement.get("Condition") or {}).values():
                    if isinstance(block, dict) and any(str(k).lower().startswith("aws:requesttag/") for k in block):
                        return True
    return False


def _scoped(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    configured = str(args.get_config().get("cloudId") or "")
    region = str(args.get_config().get("region") or q.stack_region(resources))
    for role in q.anyscale_roles(q.role_views(resources), _account(args)):
        cloud_ids = [configured] if configured else q.scoped_cloud_ids(role)
        if not cloud_ids:
            continue  # first phase (seed 004): nothing to scope to yet
        try:
            findings = [f for cloud_id in cloud_ids for f in _scoping_findings(role, cloud_id, region)]
        except q.Unknown:
            continue
        except PolicyError as exc:
            findings = [f"its policies cannot be evaluated: {exc}"]
        if findings:
            report(
                f"the Anyscale role {role.name} is scoped to {', '.join(cloud_ids)} but "
                + "; ".join(dict.fromkeys(findings))
                + " (seed 004: tag-scoped policies).",
                role.resource.urn,
            )


def _permissions(args: StackValidationArgs, report: ReportViolation) -> None:
    """What clusters need of the Anyscale role, whatever the phase."""
    resources = list(args.resources)
    region = str(args.get_config().get("region") or q.stack_region(resources))
    views = q.role_views(resources)
    anyscale = q.anyscale_roles(views, _account(args))
    nodes = q.node_roles(views, anyscale)
    for role in anyscale:
        cloud_ids = q.scoped_cloud_ids(role)
        cloud_id = cloud_ids[0] if cloud_ids else None
        instance = q.instance_arn(region, role.account)
        wanted: list[tuple[str, str, dict[str, Any]]] = [
            ("ec2:RunInstances", instance, q.launch_tags(cloud_id)),
            *[(action, instance, q.resource_tag(cloud_id)) for action in LIFECYCLE],
            ("ec2:DescribeInstances", "*", {}),
            ("elasticfilesystem:DescribeMountTargets", "*", {}),
        ]
        for node in nodes:
            wanted.append(("iam:PassRole", node.arn, {"iam:PassedToService": EC2}))
            wanted.append(("iam:GetInstanceProfile", node.arn.replace(":role/", ":instance-profile/"), {}))
        try:
            missing = [
                f"{action} on {resource}" for action, resource, context in wanted
                if not role.can(action, resource, context).allowed
            ]
        except (q.Unknown, PolicyError):
            continue
        if missing:
            report(
                f"the Anyscale role {role.name} cannot {'; '.join(missing)}: clusters cannot be launched or managed "
                "(seed 004 steady-state policy; `cloud register` warns about missing actions).",
                role.resource.urn,
            )


def _declared(args: StackValidationArgs, report: ReportViolation) -> None:
    # The cross-account role only: a node role's AWS managed policies (ECR read-only, the
    # CloudWatch agent) are expected, and add to what clusters may do, not to what Anyscale may.
    for role in q.anyscale_roles(q.role_views(list(args.resources)), _account(args)):
        if role.undeclared:
            report(
                f"role {role.name} has policies whose documents are not in the program "
                f"({', '.join(role.undeclared)}): what they allow cannot be judged by this pack.",
                role.resource.urn,
            )


# -- the node role ---------------------------------------------------------------------


def _ec2_roles(args: StackValidationArgs) -> list[q.RoleView]:
    return q.ec2_roles(q.role_views(list(args.resources)))


def _instance_profile(args: StackValidationArgs, report: ReportViolation) -> None:
    profiles = of_type(args.resources, "aws:iam/instanceProfile:InstanceProfile")
    for role in _ec2_roles(args):
        name = role.name
        if not any(get(p.props, "role") == name and get(p.props, "name") == name for p in profiles):
            report(
                f"role {name} (trusted by EC2) has no instance profile of the same name; `cloud register` "
                "looks the profile up by the role's name (an error).",
                role.resource.urn,
            )


def _ecr(args: StackValidationArgs, report: ReportViolation) -> None:
    for role in _ec2_roles(args):
        attached = [s.label for s in role.identity] + role.undeclared
        if not any(str(arn).endswith(f"/{c.ECR_READ_ONLY_POLICY_NAME}") for arn in attached):
            report(
                f"role {role.name} (trusted by EC2) lacks {c.ECR_READ_ONLY_POLICY_NAME}: clusters cannot pull "
                "images from ECR (`cloud register` warns).",
                role.resource.urn,
            )


trust_external_id = ResourceValidationPolicy(
    name="anyscale-aws-trust-external-id",
    description=(
        "Anyscale's AWS account can assume the cross-account role only with the one External ID: not "
        "without one, not with any other (seed 004 two-phase flow; set before registering)."
    ),
    validate=_external_id,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=ACCOUNT_CONFIG,
)
trust_only_anyscale = ResourceValidationPolicy(
    name="anyscale-aws-trust-only-anyscale",
    description=(
        "No principal but Anyscale's account can assume the cross-account role: not another account, "
        "not the role's own account, not an anonymous caller or a service (seed 004 trust relationship)."
    ),
    validate=_only_anyscale,
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
_SCOPE_CONFIG = PolicyConfigSchema(
    properties={
        "cloudId": {"type": "string", "default": ""},
        "region": {"type": "string", "default": ""},
        **ACCOUNT_CONFIG.properties,
    }
)
scoped_instance_actions = StackValidationPolicy(
    name="anyscale-aws-scoped-instance-actions",
    description=(
        "A tag-scoped Anyscale role (a cloudId configured, or anyscale-cloud-id in its policies; seed 004 "
        "second phase) can start, stop, terminate and launch its own cloud's instances and cannot start, "
        "stop, terminate, retag or launch another cloud's or an untagged instance, across all its policies."
    ),
    validate=_scoped,
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=_SCOPE_CONFIG,
)
anyscale_role_permissions = StackValidationPolicy(
    name="anyscale-aws-anyscale-role-permissions",
    description=(
        "The Anyscale role can launch, start, stop and terminate instances, pass the node role to EC2 and "
        "read its instance profile (seed 004 steady state; registration warns about missing actions)."
    ),
    validate=_permissions,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(properties={"region": {"type": "string", "default": ""}, **ACCOUNT_CONFIG.properties}),
)
role_policies_declared = StackValidationPolicy(
    name="anyscale-aws-role-policies-declared",
    description="Every policy attached to the Anyscale role is declared in the program, so the pack can judge what it allows.",
    validate=_declared,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=ACCOUNT_CONFIG,
)
instance_profile_same_name = StackValidationPolicy(
    name="anyscale-aws-instance-profile-same-name",
    description="Each EC2-trusted role has an instance profile with the role's name (a registration error otherwise).",
    validate=_instance_profile,
    enforcement_level=EnforcementLevel.MANDATORY,
)
instance_role_ecr_read_only = StackValidationPolicy(
    name="anyscale-aws-instance-role-ecr-read-only",
    description=f"Each EC2-trusted role has {c.ECR_READ_ONLY_POLICY_NAME} attached (registration warns otherwise).",
    validate=_ecr,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [
    trust_external_id,
    trust_only_anyscale,
    anyscale_trust_action,
    node_trust_action,
    no_wildcard_principal,
    no_wildcard_action,
    scoped_instance_actions,
    anyscale_role_permissions,
    role_policies_declared,
    instance_profile_same_name,
    instance_role_ecr_read_only,
]

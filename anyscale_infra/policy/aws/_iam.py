"""What the IAM rules ask of a stack, as questions to the IAM evaluator.

The rules never read a statement's shape to decide what a role may do: they gather every
policy that applies to a role (inline ``RolePolicy`` and ``Role.inlinePolicies``, managed
``Policy`` documents attached with ``RolePolicyAttachment``/``PolicyAttachment``/
``Role.managedPolicyArns``, its permissions boundary, the bucket policy) and ask
:func:`anyscale_infra.aws.iam_evaluator.evaluate` about concrete requests — "can this role
start an instance tagged with another cloud's id?" — so a grant anywhere in any of them
counts, and an explicit Deny anywhere wins, as in AWS.

Plain readers only (no policy objects here). Documents that are not known yet (a real
`pulumi preview` before the roles exist) make a role *unknown*: rules skip what they
cannot know. Managed policies the program does not declare (AWS managed ones) cannot be
read at all: :attr:`RoleView.undeclared` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_policy import PolicyResource

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.iam_evaluator import (
    Decision,
    Evaluation,
    PolicyError,
    PolicySource,
    Principal,
    Request,
    evaluate,
)
from anyscale_infra.policy.aws._facts import as_list, get, ident, of_type, policy_document, statements

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"

#: Account used for ARNs that are not known (a real preview, before the role exists).
UNKNOWN_ACCOUNT = "000000000000"
#: A principal of an account that has nothing to do with the cloud (AWS's documentation
#: example account): what "another principal" means in the probes.
STRANGER_ACCOUNT = "111122223333"
STRANGER_ARN = f"arn:aws:iam::{STRANGER_ACCOUNT}:role/someone"
#: A cloud id that is not the cloud's: "an instance of another cloud".
OTHER_CLOUD_ID = "cld_anyscaleinfraprobeothercloud"
#: An External ID nobody configured: "a wrong External ID".
WRONG_EXTERNAL_ID = "anyscale-infra-probe-wrong-external-id"
EXTERNAL_ID_KEY = "sts:ExternalId"
ASSUME_ROLE = "sts:AssumeRole"
DEFAULT_PROBE_REGION = "us-west-2"

_ALLOW_ALL_CALLER = PolicySource(
    # The caller's own identity policy (Anyscale's side, or any other account's): assumed to
    # allow everything, so that only the trust policy decides.
    "the caller's own permissions (assumed to allow everything)",
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
)
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_REGIONAL_ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):")


class Unknown(Exception):
    """A document a question needs is not known yet: the rule cannot judge (skip)."""


def label(resource: PolicyResource) -> str:
    """How messages name a resource: ``RolePolicy steady-state``."""
    return f"{resource.resource_type.rsplit(':', 1)[-1]} {resource.name}"


def _document(resource: PolicyResource, key: str) -> Optional[dict[str, Any]]:
    return policy_document(get(resource.props, key))


@dataclass
class RoleView:
    """One IAM role of the stack and every policy that applies to it."""

    resource: PolicyResource
    name: Optional[str]
    arn: str
    trust: Optional[PolicySource]
    identity: list[PolicySource] = field(default_factory=list)
    boundary: Optional[PolicySource] = None
    undeclared: list[str] = field(default_factory=list)
    """Managed policies (or a boundary) attached but not declared in the program."""
    unknown: bool = False
    """Some document is not known yet (real preview): questions raise :class:`Unknown`."""
    tags: dict[str, str] = field(default_factory=dict)
    eks_node: bool = False
    """The role of an EKS cluster's nodes (a node group's ``nodeRoleArn``): not an Anyscale
    VM cloud's instance role (no instance profile, no ``cloud register`` checks)."""
    operator: bool = False
    """The Anyscale operator's role on EKS (the operator release's ``iamIdentity``, or a Pod
    Identity association's role): what reaches the bucket on a Kubernetes cloud."""

    @property
    def account(self) -> str:
        match = _ARN_ACCOUNT.match(self.arn)
        return match.group(1) if match else UNKNOWN_ACCOUNT

    @property
    def principal(self) -> Principal:
        return Principal.aws(self.arn)

    def documents(self) -> Iterator[PolicySource]:
        yield from self.identity
        if self.boundary is not None:
            yield self.boundary

    def can(self, request_action: str, resource: str, context: Optional[Mapping[str, Any]] = None, *,
            resource_policy: Optional[PolicySource] = None) -> Evaluation:
        """The decision on this role making one request (identity policies, boundary, and
        the resource's policy when given; same account)."""
        if self.unknown:
            raise Unknown(self.arn)
        return evaluate(
            Request(request_action, resource, self.principal, {**principal_context(self.principal, self.arn), **(context or {})}),
            identity=self.identity,
            resource_policy=resource_policy,
            boundary=self.boundary,
        )


def _referenced_by(resource: PolicyResource, role: PolicyResource, key: str) -> bool:
    wanted = {get(role.props, "name"), ident(role), get(role.props, "arn")} - {None}
    return any(value in wanted for value in as_list(get(resource.props, key)))


EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
POD_IDENTITY_ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"


def _operator_releases(resources: Sequence[PolicyResource]) -> list[Any]:
    """The Anyscale operator installs of the program, as the Kubernetes rules read them
    (one reader: chart name or reference, namespace, service account, identity)."""
    from anyscale_infra.policy.kubernetes._facts import operator_releases

    return operator_releases(resources)


def _operator_identities(releases: list[Any]) -> set[str]:
    """The IAM identities the operator releases use (``global.auth.iamIdentity``)."""
    return {r.identity for r in releases if isinstance(r.identity, str) and r.identity}


def is_kubernetes_stack(resources: Sequence[PolicyResource]) -> bool:
    """The program builds an EKS cluster (or its node groups) or installs the Anyscale
    operator: a Kubernetes cloud, to which the VM cloud's security-group and instance-role
    rules do not apply (unless it also has a role Anyscale's control plane assumes)."""
    return bool(of_type(resources, EKS_CLUSTER, EKS_NODE_GROUP) or _operator_releases(resources))


def role_views(resources: Sequence[PolicyResource]) -> list[RoleView]:
    """Every role of the stack with the policies attached to it in the program."""
    managed = {get(p.props, "arn"): p for p in of_type(resources, MANAGED_POLICY) if get(p.props, "arn")}
    node_groups = of_type(resources, EKS_NODE_GROUP)
    releases = _operator_releases(resources)
    # (namespace, service account) of each release: whose Pod Identity role is the operator's.
    subjects = {(r.namespace, r.service_account) for r in releases}
    associations = [
        a for a in of_type(resources, POD_IDENTITY_ASSOCIATION)
        if (get(a.props, "namespace"), get(a.props, "serviceAccount")) in subjects
    ]
    operator_arns = _operator_identities(releases)
    views: list[RoleView] = []
    for role in of_type(resources, ROLE):
        name = get(role.props, "name")
        arn = get(role.props, "arn") or f"arn:aws:iam::{UNKNOWN_ACCOUNT}:role/{name or role.name}"
        view = RoleView(role, name, str(arn), None, tags=dict(get(role.props, "tags") or {}))
        view.eks_node = any(_referenced_by(group, role, "nodeRoleArn") for group in node_groups)
        view.operator = str(arn) in operator_arns or any(_referenced_by(a, role, "roleArn") for a in associations)
        trust = _document(role, "assumeRolePolicy")
        if trust is None:
            view.unknown = True
        else:
            view.trust = PolicySource(f"the trust policy of {label(role)}", trust)

        def add(source_label: str, document: Optional[dict[str, Any]]) -> None:
            if document is None:
                view.unknown = True
            else:
                view.identity.append(PolicySource(source_label, document))

        for inline in as_list(get(role.props, "inlinePolicies")):
            if isinstance(inline, Mapping):
                add(f"inline policy {inline.get('name', '(unnamed)')} of {label(role)}", policy_document(inline.get("policy")))
        for policy in of_type(resources, ROLE_POLICY):
            if _referenced_by(policy, role, "role"):
                add(label(policy), _document(policy, "policy"))
        attached = list(as_list(get(role.props, "managedPolicyArns")))
        attached += [get(a.props, "policyArn") for a in of_type(resources, ROLE_POLICY_ATTACHMENT) if _referenced_by(a, role, "role")]
        attached += [get(a.props, "policyArn") for a in of_type(resources, POLICY_ATTACHMENT) if _referenced_by(a, role, "roles")]
        for policy_arn in dict.fromkeys(a for a in attached if a):
            declared = managed.get(policy_arn)
            if declared is not None:
                add(label(declared), _document(declared, "policy"))
            else:
                view.undeclared.append(str(policy_arn))
        boundary_arn = get(role.props, "permissionsBoundary")
        if boundary_arn:
            declared = managed.get(boundary_arn)
            if declared is None:
                # Not judged: a boundary only ever removes permissions, so the CANNOT questions
                # stay sound; the CAN questions may be optimistic (listed as undeclared).
                view.undeclared.append(f"{boundary_arn} (permissions boundary)")
            else:
                document = _document(declared, "policy")
                if document is None:
                    view.unknown = True
                else:
                    view.boundary = PolicySource(f"{label(declared)} (permissions boundary)", document)
        views.append(view)
    return views


# -- trust ---------------------------------------------------------------------------------


def principal_context(principal: Principal, arn: Optional[str] = None) -> dict[str, Any]:
    """The global keys every request of an AWS principal carries (IAM "AWS global condition
    context keys": aws:PrincipalAccount, aws:PrincipalArn), so that a condition on them is
    judged as AWS would; anonymous callers and services carry neither."""
    if principal.account is None:
        return {}
    return {"aws:PrincipalAccount": principal.account, "aws:PrincipalArn": arn or principal_arn(principal)}


def principal_arn(principal: Principal) -> Optional[str]:
    return principal.name if principal.kind == "aws" else None


def assume(trust: PolicySource, role_arn: str, principal: Principal, external_id: Optional[str],
           principal_arn: Optional[str] = None) -> Evaluation:
    """Can ``principal`` assume the role (its own account allowing it), with this External ID?"""
    context = {**principal_context(principal, principal_arn), "aws:SecureTransport": True}
    if external_id is not None:
        context[EXTERNAL_ID_KEY] = external_id
    own_account = _ARN_ACCOUNT.match(role_arn)
    return evaluate(
        Request(ASSUME_ROLE, role_arn, principal, context),
        identity=[_ALLOW_ALL_CALLER] if principal.account else [],
        resource_policy=trust,
        resource_account=own_account.group(1) if own_account else UNKNOWN_ACCOUNT,
    )


def anyscale_principal(account_id: str) -> Principal:
    """A principal of Anyscale's control-plane account (the trust names the account root,
    seed 004, so any principal of it stands for all)."""
    return Principal.aws(anyscale_principal_arn(account_id))


def anyscale_principal_arn(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:role/anyscale-control-plane"


def wrong_external_ids(trust: Mapping[str, Any]) -> list[str]:
    """External IDs that are not the one: an unrelated one, and each value the policy names
    with a suffix (a StringLike pattern such as ``org_x-*`` admits those)."""
    return [WRONG_EXTERNAL_ID, *(f"{value}-not-the-external-id" for value in external_id_candidates(trust))]


def external_id_candidates(trust: Mapping[str, Any]) -> list[str]:
    """Every value a trust policy compares ``sts:ExternalId`` with (any operator)."""
    found: list[str] = []
    for statement in statements(trust):
        for block in (statement.get("Condition") or {}).values():
            if isinstance(block, Mapping):
                for key, value in block.items():
                    if str(key).lower() == EXTERNAL_ID_KEY.lower():
                        found += [str(v) for v in as_list(value)]
    return list(dict.fromkeys(found))


def trusts_anyscale(trust: PolicySource, role_arn: str, account_id: str) -> bool:
    """True when some principal of Anyscale's account can assume the role under some
    External ID (none, a wrong one, or one the policy names)."""
    principal = anyscale_principal(account_id)
    for external_id in (None, *wrong_external_ids(trust.document), *external_id_candidates(trust.document)):
        if assume(trust, role_arn, principal, external_id, anyscale_principal_arn(account_id)).allowed:
            return True
    return False


def trusts_service(trust: PolicySource, role_arn: str, service: str) -> bool:
    return assume(trust, role_arn, Principal.service(service), None).allowed


def anyscale_roles(views: Iterable[RoleView], account_id: str) -> list[RoleView]:
    chosen = []
    for view in views:
        if view.trust is None:
            continue
        try:
            if trusts_anyscale(view.trust, view.arn, account_id):
                chosen.append(view)
        except PolicyError:
            continue  # reported by the trust rules
    return chosen


def ec2_roles(views: Iterable[RoleView]) -> list[RoleView]:
    """EC2-trusted roles, but not an EKS cluster's node roles (those are not instance roles
    of an Anyscale VM cloud: no instance profile of their name, no register checks)."""
    chosen = []
    for view in views:
        if view.trust is None or view.eks_node:
            continue
        try:
            if trusts_service(view.trust, view.arn, c.EC2_SERVICE_PRINCIPAL):
                chosen.append(view)
        except PolicyError:
            continue
    return chosen


def node_roles(views: list[RoleView], anyscale: list[RoleView]) -> list[RoleView]:
    """Cluster node roles: EC2-trusted roles an Anyscale role can pass to instances
    (``iam:PassRole``, ``iam:PassedToService=ec2.amazonaws.com``); every EC2-trusted role
    when none is passable (or the Anyscale role is not in the program)."""
    candidates = ec2_roles(views)
    passable = []
    for view in candidates:
        for role in anyscale:
            try:
                if role.can("iam:PassRole", view.arn, {"iam:PassedToService": c.EC2_SERVICE_PRINCIPAL}).allowed:
                    passable.append(view)
                    break
            except (Unknown, PolicyError):
                continue
    return passable or candidates


# -- the stack's region and cloud id ------------------------------------------------------


def stack_region(resources: Iterable[PolicyResource]) -> str:
    """The region of the first regional ARN in the stack (what the probes' ARNs use)."""
    for resource in resources:
        match = _REGIONAL_ARN.match(str(get(resource.props, "arn") or ""))
        if match:
            return match.group(1)
    return DEFAULT_PROBE_REGION


def scoped_cloud_ids(view: RoleView) -> list[str]:
    """The cloud ids a role is scoped to: values its policies compare the
    ``anyscale-cloud-id`` tag with, else its own ``anyscale-cloud-id`` tag."""
    tag_keys = {f"aws:resourcetag/{c.CLOUD_ID_TAG_KEY}", f"aws:requesttag/{c.CLOUD_ID_TAG_KEY}"}
    found: list[str] = []
    for source in view.documents():
        for statement in statements(source.document):
            for block in (statement.get("Condition") or {}).values():
                if isinstance(block, Mapping):
                    for key, value in block.items():
                        if str(key).lower() in tag_keys:
                            found += [str(v) for v in as_list(value)]
    if not found and view.tags.get(c.CLOUD_ID_TAG_KEY):
        found.append(view.tags[c.CLOUD_ID_TAG_KEY])
    return list(dict.fromkeys(found))


def instance_arn(region: str, account: str) -> str:
    return f"arn:aws:ec2:{region}:{account}:instance/i-0123456789abcdef0"


def launch_resource_arns(region: str, account: str) -> dict[str, str]:
    """The other resources a RunInstances request is authorized on, none of them tagged by
    the request (seed 004's AllowRunInstancesForUntaggedResources: the image, subnet and
    security group exist already; volumes and interfaces may be launched untagged)."""
    return {
        "image": f"arn:aws:ec2:{region}::image/ami-0123456789abcdef0",
        "subnet": f"arn:aws:ec2:{region}:{account}:subnet/subnet-0123456789abcdef0",
        "security group": f"arn:aws:ec2:{region}:{account}:security-group/sg-0123456789abcdef0",
        "network interface": f"arn:aws:ec2:{region}:{account}:network-interface/eni-0123456789abcdef0",
        "volume": f"arn:aws:ec2:{region}:{account}:volume/vol-0123456789abcdef0",
    }


def resource_tag(cloud_id: Optional[str]) -> dict[str, Any]:
    """Request context of an action on an existing instance tagged with ``cloud_id``."""
    return {} if cloud_id is None else {f"aws:ResourceTag/{c.CLOUD_ID_TAG_KEY}": cloud_id}


def launch_tags(cloud_id: Optional[str]) -> dict[str, Any]:
    """Request context of a RunInstances that tags the new instance with ``cloud_id``
    (Anyscale also names its instances)."""
    if cloud_id is None:
        return {"aws:RequestTag/Name": "anyscale-node", "aws:TagKeys": ["Name"]}
    return {
        f"aws:RequestTag/{c.CLOUD_ID_TAG_KEY}": cloud_id,
        "aws:RequestTag/Name": "anyscale-node",
        "aws:TagKeys": [c.CLOUD_ID_TAG_KEY, "Name"],
    }


def why(evaluation: Evaluation) -> str:
    """``allowed by statement X of Y`` / ``denied by ...`` / ``no statement allows it``:
    the statements of the stack's own policies that decided (never the assumed caller's)."""

    def named(refs: Iterable[Any]) -> str:
        return ", ".join(str(r) for r in refs if r.source != _ALLOW_ALL_CALLER.label)

    if evaluation.decision is Decision.EXPLICIT_DENY:
        return f"denied by {named(evaluation.denying)}"
    if evaluation.decision is Decision.ALLOW:
        return f"allowed by {named(evaluation.allowing)}"
    return "no statement allows it"


# -- buckets ---------------------------------------------------------------------------


def bucket_policy_source(resources: Sequence[PolicyResource], bucket_keys: set[str]) -> tuple[Optional[PolicySource], bool]:
    """(the bucket's policy, known?). A bucket with no policy resource has none."""
    for policy in of_type(resources, BUCKET_POLICY):
        if get(policy.props, "bucket") in bucket_keys:
            document = _document(policy, "policy")
            if document is None:
                return None, False
            return PolicySource(label(policy), document), True
    return None, True


def bucket_requests(bucket_name: str, actions: Iterable[str] = c.BUCKET_ROLE_ACTIONS) -> list[tuple[str, str]]:
    """(action, resource ARN) for each of seed 004's bucket actions: ``s3:ListBucket`` acts
    on the bucket, the object actions on an object in it."""
    bucket = f"arn:aws:s3:::{bucket_name}"
    return [(action, bucket if action == "s3:ListBucket" else f"{bucket}/anyscale-infra-probe-object") for action in actions]

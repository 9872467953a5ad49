"""Plain readers of AWS resource properties the AWS rules share (no policy objects here);
the cloud-neutral ones (``get``, ``as_list``, ``of_type``, ``ident``, ``network``) come from
:mod:`anyscale_infra.policy._readers` and are re-exported.

Rules inspect resource *types and properties* (camelCase wire names), never our component
names, so they work on hand-written programs too. Values may be missing (a provider
default) or, during a real `pulumi preview`, unknown: readers return ``None`` then and the
rules skip what they cannot know.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from pulumi_policy import PolicyConfigSchema, PolicyResource

from anyscale_infra.aws import constants as c
from anyscale_infra.policy._readers import as_list, get, ident, network, of_type  # noqa: F401 - re-exported

ALL_TRAFFIC = "-1"

#: Config of the rules that need to recognize Anyscale's control-plane account.
ACCOUNT_CONFIG = PolicyConfigSchema(
    properties={"anyscaleAccountId": {"type": "string", "default": c.ANYSCALE_AWS_ACCOUNT_ID}}
)


def policy_document(value: Any) -> Optional[dict[str, Any]]:
    """A policy document from a JSON string or a dict; ``None`` if not (yet) readable."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def statements(document: Optional[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not document:
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, Mapping)]


def allows(statement: Mapping[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


def actions(statement: Mapping[str, Any]) -> list[str]:
    return [a for a in as_list(statement.get("Action")) if isinstance(a, str)]


def action_matches(granted: str, wanted: str) -> bool:
    """IAM action matching with ``*`` wildcards (case-insensitive, as IAM does)."""
    import fnmatch

    return fnmatch.fnmatchcase(wanted.lower(), granted.lower())


def allows_action(document: Optional[Mapping[str, Any]], wanted: str) -> bool:
    return any(allows(s) and any(action_matches(a, wanted) for a in actions(s)) for s in statements(document))


def principals(statement: Mapping[str, Any], kind: str) -> list[str]:
    principal = statement.get("Principal")
    if principal == "*":
        return ["*"]
    if isinstance(principal, Mapping):
        return [p for p in as_list(principal.get(kind)) if isinstance(p, str)]
    return []


def is_wildcard_principal(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, Mapping) and "*" in as_list(principal.get("AWS"))


def trusts_account(statement: Mapping[str, Any], account_id: str) -> bool:
    wanted = {account_id, f"arn:aws:iam::{account_id}:root"}
    return any(p in wanted for p in principals(statement, "AWS"))


def trusts_service(statement: Mapping[str, Any], service: str) -> bool:
    return service in principals(statement, "Service")


# -- security groups ---------------------------------------------------------------------


@dataclass(frozen=True)
class SgRule:
    """One security-group rule, whichever resource declared it."""

    group: Optional[str]  # the security group id it belongs to
    ingress: bool
    protocol: str
    from_port: Optional[int]
    to_port: Optional[int]
    cidrs: tuple[str, ...]
    self_reference: bool
    urn: str

    def covers_port(self, port: int) -> bool:
        if self.protocol == ALL_TRAFFIC:
            return True
        if self.protocol not in ("tcp", "6"):
            return False
        if self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port

    @property
    def all_traffic(self) -> bool:
        return self.protocol == ALL_TRAFFIC

    @property
    def ports(self) -> set[int]:
        """Specific ports opened (empty for all-traffic or self rules)."""
        if self.all_traffic or self.from_port is None or self.to_port is None:
            return set()
        return set(range(self.from_port, min(self.to_port, self.from_port + 1000) + 1))


def _protocol(value: Any) -> str:
    text = str(value).lower() if value is not None else ""
    return ALL_TRAFFIC if text in ("-1", "all") else text


def _port(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def security_group_rules(resources: Iterable[PolicyResource]) -> list[SgRule]:
    """Every SG rule in the stack: inline on ``SecurityGroup``, ``vpc`` rule resources and
    the older ``ec2.SecurityGroupRule``."""
    rules: list[SgRule] = []
    for r in resources:
        p = r.props
        if r.resource_type == "aws:ec2/securityGroup:SecurityGroup":
            group = ident(r)
            for direction in ("ingress", "egress"):
                for inline in as_list(get(p, direction)):
                    if not isinstance(inline, Mapping):
                        continue
                    rules.append(
                        SgRule(
                            group=group,
                            ingress=direction == "ingress",
                            protocol=_protocol(inline.get("protocol")),
                            from_port=_port(inline.get("fromPort")),
                            to_port=_port(inline.get("toPort")),
                            cidrs=tuple(as_list(inline.get("cidrBlocks")) + as_list(inline.get("ipv6CidrBlocks"))),
                            self_reference=bool(inline.get("self")) or (group in as_list(inline.get("securityGroups"))),
                            urn=r.urn,
                        )
                    )
        elif r.resource_type in (
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        ):
            group = get(p, "securityGroupId")
            rules.append(
                SgRule(
                    group=group,
                    ingress="Ingress" in r.resource_type,
                    protocol=_protocol(get(p, "ipProtocol")),
                    from_port=_port(get(p, "fromPort")),
                    to_port=_port(get(p, "toPort")),
                    cidrs=tuple(c for c in (get(p, "cidrIpv4"), get(p, "cidrIpv6")) if c),
                    self_reference=group is not None and get(p, "referencedSecurityGroupId") == group,
                    urn=r.urn,
                )
            )
        elif r.resource_type == "aws:ec2/securityGroupRule:SecurityGroupRule":
            group = get(p, "securityGroupId")
            rules.append(
                SgRule(
                    group=group,
                    ingress=get(p, "type") == "ingress",
                    protocol=_protocol(get(p, "protocol")),
                    from_port=_port(get(p, "fromPort")),
                    to_port=_port(get(p, "toPort")),
                    cidrs=tuple(as_list(get(p, "cidrBlocks")) + as_list(get(p, "ipv6CidrBlocks"))),
                    self_reference=bool(get(p, "self")) or (group is not None and get(p, "sourceSecurityGroupId") == group),
                    urn=r.urn,
                )
            )
    return rules


def cloud_security_groups(resources: list[PolicyResource]) -> list[PolicyResource]:
    """The groups an Anyscale cloud uses: those its EFS mount targets or MemoryDB clusters
    carry first (the verifier's "first registered security group"); every group in the
    stack when neither exists; none on a Kubernetes cloud (EKS: it registers no group)."""
    from anyscale_infra.policy.aws._iam import is_kubernetes_stack

    if is_kubernetes_stack(resources) and not of_type(resources, "aws:memorydb/cluster:Cluster"):
        # A Kubernetes cloud registers no security group: its EFS group only admits NFS from
        # the cluster (seed 004's group rules are the VM cloud's).
        return []
    groups = of_type(resources, "aws:ec2/securityGroup:SecurityGroup")
    used: set[str] = set()
    for mount in of_type(resources, "aws:efs/mountTarget:MountTarget"):
        used.update(as_list(get(mount.props, "securityGroups"))[:1])
    for cluster in of_type(resources, "aws:memorydb/cluster:Cluster"):
        used.update(as_list(get(cluster.props, "securityGroupIds"))[:1])
    chosen = [g for g in groups if ident(g) in used]
    return chosen or groups


# -- networks ----------------------------------------------------------------------------


def subnets_by_vpc(resources: Iterable[PolicyResource]) -> dict[str, list[PolicyResource]]:
    grouped: dict[str, list[PolicyResource]] = {}
    for subnet in of_type(resources, "aws:ec2/subnet:Subnet"):
        vpc = get(subnet.props, "vpcId")
        if isinstance(vpc, str):
            grouped.setdefault(vpc, []).append(subnet)
    return grouped


def cloud_subnets(resources: list[PolicyResource], vpc_subnets: list[PolicyResource]) -> list[PolicyResource]:
    """Subnets clusters run in. With customer-defined networking, the private ones (their
    route table sends 0.0.0.0/0 to a NAT gateway); the public subnets that only host the
    NAT gateways are not cloud subnets. With direct networking, all of the VPC's subnets."""
    nat_tables = {get(r.props, "routeTableId") for r in of_type(resources, "aws:ec2/route:Route") if get(r.props, "natGatewayId")}
    for table in of_type(resources, "aws:ec2/routeTable:RouteTable"):
        if any(isinstance(route, Mapping) and route.get("natGatewayId") for route in as_list(get(table.props, "routes"))):
            nat_tables.add(ident(table))
    private = {
        get(a.props, "subnetId")
        for a in of_type(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation")
        if get(a.props, "routeTableId") in nat_tables
    }
    chosen = [s for s in vpc_subnets if ident(s) in private]
    return chosen or vpc_subnets


def trusted_roles(resources: Iterable[PolicyResource], trusts: Callable[[Mapping[str, Any]], bool]) -> list[PolicyResource]:
    """Roles with an Allow trust statement for which ``trusts(statement)`` holds."""
    return [
        r
        for r in of_type(resources, "aws:iam/role:Role")
        if any(allows(s) and trusts(s) for s in statements(policy_document(get(r.props, "assumeRolePolicy"))))
    ]


def anyscale_roles(resources: Iterable[PolicyResource], account_id: str) -> list[PolicyResource]:
    """Roles whose trust policy lets Anyscale's account assume them."""
    return trusted_roles(resources, lambda s: trusts_account(s, account_id))


def cloud_buckets(resources: list[PolicyResource], account_id: str) -> list[PolicyResource]:
    """The buckets of an Anyscale cloud: those the Anyscale role may use (named in a bucket
    policy, or in one of the role's own policies). Every bucket when the stack has no
    Anyscale role (a bucket-only program)."""
    buckets = of_type(resources, "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
    roles = anyscale_roles(resources, account_id)
    if not roles:
        return buckets
    role_arns = {get(r.props, "arn") for r in roles} - {None}
    role_names = {get(r.props, "name") for r in roles} | {ident(r) for r in roles}
    granted_names: set[str] = set()
    for policy in of_type(resources, "aws:s3/bucketPolicy:BucketPolicy"):
        if any(allows(s) and set(principals(s, "AWS")) & role_arns for s in statements(policy_document(get(policy.props, "policy")))):
            granted_names.add(str(get(policy.props, "bucket")))
    role_resources = " ".join(
        json.dumps(policy_document(get(rp.props, "policy")) or {})
        for rp in of_type(resources, "aws:iam/rolePolicy:RolePolicy")
        if get(rp.props, "role") in role_names
    )
    chosen = [
        b
        for b in buckets
        if {str(get(b.props, "bucket")), str(ident(b))} & granted_names
        or f"arn:aws:s3:::{get(b.props, 'bucket')}" in role_resources
    ]
    return chosen or buckets


def iter_policy_documents(resources: Iterable[PolicyResource]) -> Iterator[tuple[PolicyResource, dict[str, Any]]]:
    """Every IAM/bucket policy document the stack declares, with its resource."""
    for r in resources:
        keys = {
            "aws:iam/rolePolicy:RolePolicy": ("policy",),
            "aws:iam/policy:Policy": ("policy",),
            "aws:iam/userPolicy:UserPolicy": ("policy",),
            "aws:iam/groupPolicy:GroupPolicy": ("policy",),
            "aws:s3/bucketPolicy:BucketPolicy": ("policy",),
            "aws:iam/role:Role": ("assumeRolePolicy",),
        }.get(r.resource_type, ())
        for key in keys:
            document = policy_document(get(r.props, key))
            if document is not None:
                yield r, document
        if r.resource_type == "aws:iam/role:Role":
            for inline in as_list(get(r.props, "inlinePolicies")):
                if isinstance(inline, Mapping) and (document := policy_document(inline.get("policy"))):
                    yield r, document

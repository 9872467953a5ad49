"""Plain readers of Google Cloud resource properties the GCP rules share (no policy objects
here); the cloud-neutral ones (``get``, ``as_list``, ``of_type``, ``ident``, ``network``)
come from :mod:`anyscale_infra.policy._readers` and are re-exported.

Rules inspect resource *types and properties* (camelCase wire names, as pulumi_gcp passes
them), never our component names, so they work on hand-written programs. Programs name a
resource they reference in several ways — a network by its ``name``, its ``id``
(``projects/p/global/networks/n``) or its ``selfLink``; a firewall policy by ``name`` or
``id``; a service account by ``name`` (``projects/p/serviceAccounts/<email>``), ``id`` or
email — so references are compared by their last path segment (:func:`last_segment`).

Which resources are the cloud's:

- cloud VPCs: those a firewall policy of the stack is associated with (the verifier's
  "firewall policy associated with the cloud VPC"); every VPC of the stack when no policy
  is associated with any;
- cloud subnets: the cloud VPCs' subnets that can hold VMs (purpose absent or ``PRIVATE``;
  a proxy-only, Private Service Connect or NAT subnet is not one);
- cloud pools: workload identity pools with a provider in Anyscale's AWS account or whose
  condition names an Anyscale role (``gcp_if_...``); when there is none, every pool whose
  principals may impersonate a service account;
- access service accounts: those a cloud pool's principals may impersonate
  (``roles/iam.workloadIdentityUser``);
- cloud buckets: those an access service account holds a role on; every bucket when none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from pulumi_policy import PolicyConfigSchema, PolicyResource

from anyscale_infra.gcp import constants as c
from anyscale_infra.policy._readers import as_list, get, ident, network, of_type  # noqa: F401 - re-exported

# -- resource types (pulumi_gcp 10) ----------------------------------------------------------
NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
FIREWALL = "gcp:compute/firewall:Firewall"  # VPC firewall rules (not a policy)
POLICY = "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy"
POLICY_WITH_RULES = "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules"
POLICY_RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule"
POLICY_ASSOCIATION = "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
REGION_POLICY = "gcp:compute/regionNetworkFirewallPolicy:RegionNetworkFirewallPolicy"
REGION_POLICY_WITH_RULES = "gcp:compute/regionNetworkFirewallPolicyWithRules:RegionNetworkFirewallPolicyWithRules"
REGION_POLICY_RULE = "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule"
REGION_POLICY_ASSOCIATION = "gcp:compute/regionNetworkFirewallPolicyAssociation:RegionNetworkFirewallPolicyAssociation"
HIERARCHICAL_POLICY_RULE = "gcp:compute/firewallPolicyRule:FirewallPolicyRule"  # organization/folder
HIERARCHICAL_POLICY_WITH_RULES = "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules"

BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_IAM_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
BUCKET_IAM_BINDING = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
BUCKET_IAM_POLICY = "gcp:storage/bucketIAMPolicy:BucketIAMPolicy"
FOLDER_IAM_MEMBER = "gcp:storage/managedFolderIamMember:ManagedFolderIamMember"
FOLDER_IAM_BINDING = "gcp:storage/managedFolderIamBinding:ManagedFolderIamBinding"
FOLDER_IAM_POLICY = "gcp:storage/managedFolderIamPolicy:ManagedFolderIamPolicy"
BUCKET_ACL = "gcp:storage/bucketACL:BucketACL"
DEFAULT_OBJECT_ACL = "gcp:storage/defaultObjectACL:DefaultObjectACL"
OBJECT_ACL = "gcp:storage/objectACL:ObjectACL"
BUCKET_ACCESS_CONTROL = "gcp:storage/bucketAccessControl:BucketAccessControl"
DEFAULT_OBJECT_ACCESS_CONTROL = "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl"
OBJECT_ACCESS_CONTROL = "gcp:storage/objectAccessControl:ObjectAccessControl"

FILESTORE = "gcp:filestore/instance:Instance"
REDIS = "gcp:redis/instance:Instance"

POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
POOL_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
SERVICE_ACCOUNT = "gcp:serviceaccount/account:Account"
SA_IAM_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
SA_IAM_BINDING = "gcp:serviceaccount/iAMBinding:IAMBinding"
SA_IAM_POLICY = "gcp:serviceaccount/iAMPolicy:IAMPolicy"
PROJECT_IAM_MEMBER = "gcp:projects/iAMMember:IAMMember"
PROJECT_IAM_BINDING = "gcp:projects/iAMBinding:IAMBinding"
PROJECT_IAM_POLICY = "gcp:projects/iAMPolicy:IAMPolicy"

# -- facts the rules need that gcp/constants.py does not hold (yet) --------------------------
#: Subnet purposes whose subnets hold VMs (https://cloud.google.com/vpc/docs/subnets#purpose);
#: the API reports ``PRIVATE`` (``PRIVATE_RFC_1918`` is its legacy spelling).
VM_SUBNET_PURPOSES = frozenset({"PRIVATE", "PRIVATE_RFC_1918"})
#: Memory Store's default network when ``authorizedNetwork`` is not set (pulumi_gcp docs).
REDIS_DEFAULT_NETWORK = "default"
#: The verifier's role names (gcp_verification.py), shared with the components.
WORKLOAD_IDENTITY_USER = c.WORKLOAD_IDENTITY_USER_ROLE
TOKEN_CREATOR = c.TOKEN_CREATOR_ROLE
PROJECT_ADMIN_ROLES = c.PROJECT_ADMIN_ROLES  # verify_gcp_access_service_account
#: _verify_service_account_on_bucket: storage.admin, or one of these role sets.
BUCKET_ADMIN_ROLE = c.BUCKET_ADMIN_ROLE
BUCKET_ROLE_SETS = c.VERIFIER_BUCKET_ROLE_SETS
#: Members that make a bucket public.
PUBLIC_MEMBERS = c.PUBLIC_MEMBERS
#: Canned ACLs that grant allUsers / allAuthenticatedUsers
#: (https://cloud.google.com/storage/docs/access-control/lists#predefined-acl).
PUBLIC_PREDEFINED_ACLS = frozenset({"publicRead", "publicReadWrite", "authenticatedRead"})
#: Cloud Storage multi-regions, and the predefined dual-regions with their regions
#: (https://cloud.google.com/storage/docs/locations); others are not judged.
GCS_MULTI_REGIONS = frozenset({"US", "EU", "ASIA"})
GCS_DUAL_REGIONS = {
    "ASIA1": ("ASIA-NORTHEAST1", "ASIA-NORTHEAST2"),
    "EUR4": ("EUROPE-NORTH1", "EUROPE-WEST4"),
    "NAM4": ("US-CENTRAL1", "US-EAST1"),
}
#: Anyscale's control plane assumes ``gcp_if_<org id>`` in its AWS account.
ANYSCALE_ROLE_MARKER = f":assumed-role/{c.ANYSCALE_WIF_ROLE_PREFIX}"

#: Config of the rules that need to recognize Anyscale's control-plane account.
ACCOUNT_CONFIG = PolicyConfigSchema(
    properties={"anyscaleAccountId": {"type": "string", "default": c.ANYSCALE_AWS_ACCOUNT_ID}}
)


def account_of(config: Mapping[str, Any]) -> str:
    return str(config.get("anyscaleAccountId") or c.ANYSCALE_AWS_ACCOUNT_ID)


def last_segment(value: Any) -> Optional[str]:
    """``n`` for ``n``, ``projects/p/global/networks/n`` or its self link."""
    if not isinstance(value, str) or not value:
        return None
    return value.rstrip("/").rsplit("/", 1)[-1] or None


def keys(resource: PolicyResource, *fields: str) -> set[str]:
    """The names a reference to ``resource`` may use: its ``name``, the last segment of
    its ``id`` and ``selfLink`` (and of any other ``fields``)."""
    found = {last_segment(get(resource.props, f)) for f in ("name", "selfLink", *fields)}
    found.add(last_segment(ident(resource)))
    return {k for k in found if k}


def label(resource: PolicyResource) -> str:
    name = get(resource.props, "name")
    return str(name) if isinstance(name, str) and name else resource.name


# -- networks ----------------------------------------------------------------------------------


def declared_vpc_names(resources: Iterable[PolicyResource]) -> set[str]:
    names: set[str] = set()
    for vpc in of_type(resources, NETWORK):
        name = get(vpc.props, "name") or last_segment(ident(vpc))
        if isinstance(name, str):
            names.add(name)
    return names


@dataclass(frozen=True)
class Association:
    resource: PolicyResource
    regional: bool
    policy: Optional[str]  # the last segment of its firewallPolicy
    target: Optional[str]  # the last segment of its attachmentTarget (a VPC name)


def associations(resources: Iterable[PolicyResource]) -> list[Association]:
    found = []
    for r in of_type(resources, POLICY_ASSOCIATION, REGION_POLICY_ASSOCIATION):
        found.append(
            Association(
                r,
                r.resource_type == REGION_POLICY_ASSOCIATION,
                last_segment(get(r.props, "firewallPolicy")),
                last_segment(get(r.props, "attachmentTarget")),
            )
        )
    return found


def firewall_policies(resources: Iterable[PolicyResource]) -> list[PolicyResource]:
    return of_type(resources, POLICY, POLICY_WITH_RULES, REGION_POLICY, REGION_POLICY_WITH_RULES)


def is_regional(policy: PolicyResource) -> bool:
    return policy.resource_type in (REGION_POLICY, REGION_POLICY_WITH_RULES)


def policy_keys(policy: PolicyResource) -> set[str]:
    return keys(policy, "selfLinkWithId", "networkFirewallPolicyId", "policyId")


def associations_of(policy: PolicyResource, found: list[Association]) -> list[Association]:
    names = policy_keys(policy)
    return [a for a in found if a.regional == is_regional(policy) and a.policy in names]


def cloud_vpc_names(resources: list[PolicyResource]) -> set[str]:
    """The VPCs a firewall policy of the stack is associated with; every declared VPC when
    none is."""
    targets = {a.target for a in associations(resources) if a.target}
    return targets or declared_vpc_names(resources)


def holds_vms(subnet: PolicyResource) -> bool:
    purpose = get(subnet.props, "purpose")
    return purpose is None or str(purpose).upper() in VM_SUBNET_PURPOSES


def vpc_subnets(resources: Iterable[PolicyResource], vpc_name: str) -> list[PolicyResource]:
    """The subnets of the VPC ``vpc_name`` that can hold VMs (cloud subnets)."""
    return [
        s for s in of_type(resources, SUBNETWORK) if last_segment(get(s.props, "network")) == vpc_name and holds_vms(s)
    ]


def subnet_region(subnet: PolicyResource) -> Optional[str]:
    region = get(subnet.props, "region")
    if isinstance(region, str) and region:
        return last_segment(region)
    match = re.search(r"/regions/([^/]+)/", str(ident(subnet) or get(subnet.props, "selfLink") or ""))
    return match.group(1) if match else None


def cloud_regions(resources: list[PolicyResource]) -> set[str]:
    """The regions of the cloud subnets (the cloud's region; empty when not knowable)."""
    return {
        region
        for vpc in cloud_vpc_names(resources)
        for subnet in vpc_subnets(resources, vpc)
        if (region := subnet_region(subnet))
    }


# -- firewall rules ----------------------------------------------------------------------------

ALL_PROTOCOLS = "all"
_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp"}
ALL_PORTS = frozenset(range(1, 65536))


def _protocol(value: Any) -> str:
    text = str(value).lower() if value is not None else ""
    return _PROTOCOL_NUMBERS.get(text, text)


def _ports(values: Any) -> Optional[frozenset[int]]:
    """The ports a layer-4 config opens (every port when none are listed, as Google does);
    None when unreadable."""
    listed = as_list(values)
    if not listed:
        return ALL_PORTS
    ports: set[int] = set()
    for value in listed:
        text = str(value)
        try:
            if "-" in text:
                low, high = (int(x) for x in text.split("-", 1))
                ports.update(range(low, high + 1))
            else:
                ports.add(int(text))
        except ValueError:
            return None
    return frozenset(ports)


@dataclass(frozen=True)
class FirewallRule:
    """One allow/deny rule, whichever resource declared it."""

    urn: str
    name: str
    policy: Optional[str]  # the policy it belongs to (last segment); None for VPC firewall rules
    regional: bool
    ingress: Optional[bool]  # None: direction unknown
    allow: bool
    disabled: bool
    sources: tuple[str, ...]
    layer4: tuple[tuple[str, Optional[frozenset[int]]], ...]  # (protocol, ports)

    @property
    def active_ingress_allow(self) -> bool:
        return self.ingress is True and self.allow and not self.disabled

    def ports_for(self, protocol: str) -> frozenset[int]:
        """The ports this rule opens for ``protocol`` (``all`` covers every protocol)."""
        opened: set[int] = set()
        for proto, ports in self.layer4:
            if proto in (ALL_PROTOCOLS, protocol):
                opened |= ALL_PORTS if proto == ALL_PROTOCOLS else (ports or frozenset())
        return frozenset(opened)


def _from_match(r: PolicyResource, rule: Mapping[str, Any], policy: Optional[str], regional: bool, name: str) -> FirewallRule:
    match = rule.get("match") if isinstance(rule.get("match"), Mapping) else {}
    configs = [cfg for cfg in as_list(match.get("layer4Configs")) if isinstance(cfg, Mapping)]
    layer4 = tuple((_protocol(cfg.get("ipProtocol")), _ports(cfg.get("ports"))) for cfg in configs) or (
        (ALL_PROTOCOLS, ALL_PORTS),
    )
    direction = str(rule.get("direction") or "").upper()
    return FirewallRule(
        urn=r.urn,
        name=name,
        policy=policy,
        regional=regional,
        ingress={"INGRESS": True, "EGRESS": False}.get(direction),
        allow=str(rule.get("action") or "").lower() == "allow",
        disabled=rule.get("disabled") is True,
        sources=tuple(str(x) for x in as_list(match.get("srcIpRanges"))),
        layer4=layer4,
    )


def _props(r: PolicyResource, *fields: str) -> dict[str, Any]:
    return {f: get(r.props, f) for f in fields}


def rules_of(r: PolicyResource) -> list[FirewallRule]:
    """The rules one resource declares (a rule resource, a policy with inline rules, or a
    VPC firewall rule)."""
    if r.resource_type in (POLICY_RULE, REGION_POLICY_RULE, HIERARCHICAL_POLICY_RULE):
        fields = _props(r, "match", "direction", "action", "disabled")
        policy = last_segment(get(r.props, "firewallPolicy"))
        return [_from_match(r, fields, policy, r.resource_type == REGION_POLICY_RULE, r.name)]
    if r.resource_type in (POLICY_WITH_RULES, REGION_POLICY_WITH_RULES, HIERARCHICAL_POLICY_WITH_RULES):
        policy = get(r.props, "name") or last_segment(ident(r))
        return [
            _from_match(r, rule, policy, r.resource_type == REGION_POLICY_WITH_RULES, f"{r.name} priority {rule.get('priority')}")
            for rule in as_list(get(r.props, "rules"))
            if isinstance(rule, Mapping)
        ]
    if r.resource_type == FIREWALL:
        allows = [a for a in as_list(get(r.props, "allows")) if isinstance(a, Mapping)]
        if not allows:
            return []
        direction = str(get(r.props, "direction") or "INGRESS").upper()
        return [
            FirewallRule(
                urn=r.urn,
                name=r.name,
                policy=None,
                regional=False,
                ingress={"INGRESS": True, "EGRESS": False}.get(direction),
                allow=True,
                disabled=get(r.props, "disabled") is True,
                sources=tuple(str(x) for x in as_list(get(r.props, "sourceRanges"))),
                layer4=tuple((_protocol(a.get("protocol")), _ports(a.get("ports"))) for a in allows),
            )
        ]
    return []


def policy_rules(resources: Iterable[PolicyResource], policy: PolicyResource) -> list[FirewallRule]:
    """Every rule of a (global or regional) network firewall policy: its inline rules and
    the rule resources naming it."""
    names = policy_keys(policy)
    regional = is_regional(policy)
    found: list[FirewallRule] = []
    for r in resources:
        if r.urn == policy.urn:
            found.extend(rules_of(r))
        elif r.resource_type in (POLICY_RULE, REGION_POLICY_RULE):
            found.extend(rule for rule in rules_of(r) if rule.regional == regional and rule.policy in names)
    return found


def _within(inner: Any, outer: Any) -> bool:
    return inner is not None and outer is not None and inner.version == outer.version and inner.subnet_of(outer)


def covered_ports(
    rules: Iterable[FirewallRule], protocol: str, source: Any = None, outside: Iterable[Any] = ()
) -> frozenset[int]:
    """The ports the allow ingress rules open together for ``protocol`` — the verifier's
    check_inbound_firewall_permissions, which adds up ports across rules — from a range
    that contains ``source`` (any range when None), counting only rules with a range not
    inside one of the ``outside`` networks (to ask for traffic from beyond them)."""
    inside = list(outside)
    opened: set[int] = set()
    for rule in rules:
        if not rule.active_ingress_allow:
            continue
        ranges = [network(x) for x in rule.sources]
        if source is not None and not any(_within(source, n) for n in ranges):
            continue
        if inside and not any(n is not None and not any(_within(n, i) for i in inside) for n in ranges):
            continue
        opened |= rule.ports_for(protocol)
    return frozenset(opened)


# -- IAM -----------------------------------------------------------------------------------------

SA_IAM = (SA_IAM_MEMBER, SA_IAM_BINDING, SA_IAM_POLICY)
PROJECT_IAM = (PROJECT_IAM_MEMBER, PROJECT_IAM_BINDING, PROJECT_IAM_POLICY)
BUCKET_IAM = (BUCKET_IAM_MEMBER, BUCKET_IAM_BINDING, BUCKET_IAM_POLICY)
FOLDER_IAM = (FOLDER_IAM_MEMBER, FOLDER_IAM_BINDING, FOLDER_IAM_POLICY)
_TARGET_FIELD = {
    **{t: "serviceAccountId" for t in SA_IAM},
    **{t: "project" for t in PROJECT_IAM},
    **{t: "bucket" for t in (*BUCKET_IAM, *FOLDER_IAM)},
}


@dataclass(frozen=True)
class Grant:
    """One (role, member) pair on one target, whichever IAM resource declared it."""

    resource: PolicyResource
    target: Optional[str]  # last segment: a service account email, a project id, a bucket name
    role: str
    member: str


def _policy_bindings(value: Any) -> list[tuple[str, list[str]]]:
    document = value
    if isinstance(value, str):
        try:
            document = json.loads(value)
        except ValueError:
            return []
    if not isinstance(document, Mapping):
        return []
    return [
        (str(b.get("role")), [str(m) for m in as_list(b.get("members"))])
        for b in as_list(document.get("bindings"))
        if isinstance(b, Mapping)
    ]


def grants_of(r: PolicyResource) -> list[Grant]:
    field = _TARGET_FIELD.get(r.resource_type)
    if field is None:
        return []
    target = last_segment(get(r.props, field))
    if r.resource_type.endswith("Policy"):
        pairs = _policy_bindings(get(r.props, "policyData"))
    else:
        role = str(get(r.props, "role", ""))
        members = as_list(get(r.props, "member")) + as_list(get(r.props, "members"))
        pairs = [(role, [str(m) for m in members])]
    return [Grant(r, target, role, member) for role, members in pairs for member in members]


def grants(resources: Iterable[PolicyResource], *types: str) -> list[Grant]:
    return [g for r in of_type(resources, *types) for g in grants_of(r)]


_POOL_MEMBER = re.compile(
    r"^principal(?:Set)?://iam\.googleapis\.com/projects/[^/]+/locations/global/workloadIdentityPools/([^/]+)/"
)


def pool_of_member(member: str) -> Optional[str]:
    """The workload identity pool id of a ``principal://`` or ``principalSet://`` member."""
    match = _POOL_MEMBER.match(member)
    return match.group(1) if match else None


def sa_member(email: str) -> str:
    return f"serviceAccount:{email}"


# -- identity ----------------------------------------------------------------------------------


def aws_account(provider: PolicyResource) -> Optional[str]:
    aws = get(provider.props, "aws")
    if isinstance(aws, Mapping) and aws.get("accountId") is not None:
        return str(aws.get("accountId"))
    return None


def providers_by_pool(resources: Iterable[PolicyResource]) -> dict[str, list[PolicyResource]]:
    grouped: dict[str, list[PolicyResource]] = {}
    for provider in of_type(resources, POOL_PROVIDER):
        pool = last_segment(get(provider.props, "workloadIdentityPoolId"))
        if pool:
            grouped.setdefault(pool, []).append(provider)
    return grouped


def names_anyscale_role(provider: PolicyResource) -> bool:
    return ANYSCALE_ROLE_MARKER in str(get(provider.props, "attributeCondition") or "")


def cloud_pools(resources: list[PolicyResource], account: str) -> set[str]:
    """Pools with a provider in Anyscale's account or naming an Anyscale role; every pool
    whose principals may impersonate a service account when there is none."""
    anyscale = {
        pool
        for pool, providers in providers_by_pool(resources).items()
        if any(aws_account(p) == account or names_anyscale_role(p) for p in providers)
    }
    if anyscale:
        return anyscale
    return {
        pool
        for g in grants(resources, *SA_IAM)
        if g.role == WORKLOAD_IDENTITY_USER and (pool := pool_of_member(g.member))
    }


def service_account_emails(account: PolicyResource) -> set[str]:
    """The identifiers a reference to a declared service account may end with."""
    found = keys(account, "email", "uniqueId")
    email = get(account.props, "email")
    if isinstance(email, str):
        found.add(email)
    return found


@dataclass(frozen=True)
class AccessAccount:
    """A service account a cloud pool's principals may impersonate."""

    email: Optional[str]
    target: str  # the reference the grant used (last segment)
    resource: Optional[PolicyResource]  # the declared account; None when bring-your-own
    grant: Grant


def access_accounts(resources: list[PolicyResource], account: str) -> list[AccessAccount]:
    pools = cloud_pools(resources, account)
    declared = of_type(resources, SERVICE_ACCOUNT)
    found: dict[str, AccessAccount] = {}
    for g in grants(resources, *SA_IAM):
        if g.role != WORKLOAD_IDENTITY_USER or pool_of_member(g.member) not in pools or not g.target:
            continue
        resource = next((a for a in declared if g.target in service_account_emails(a)), None)
        email = get(resource.props, "email") if resource is not None else None
        if not isinstance(email, str):
            email = g.target if "@" in g.target else None
        key = resource.urn if resource is not None else g.target
        found.setdefault(key, AccessAccount(email, g.target, resource, g))
    return list(found.values())


def bucket_name(bucket: PolicyResource) -> Optional[str]:
    name = get(bucket.props, "name") or ident(bucket)
    return str(name) if name else None


def bucket_keys(bucket: PolicyResource) -> set[str]:
    return keys(bucket) | {k for k in (bucket_name(bucket),) if k}


def roles_on_bucket(resources: list[PolicyResource], bucket: PolicyResource, member: str) -> set[str]:
    names = bucket_keys(bucket)
    return {g.role for g in grants(resources, *BUCKET_IAM) if g.target in names and g.member == member}


def cloud_buckets(resources: list[PolicyResource], account: str) -> list[PolicyResource]:
    """Buckets an access service account holds a role on; every bucket when none does."""
    buckets = of_type(resources, BUCKET)
    members = {sa_member(a.email) for a in access_accounts(resources, account) if a.email}
    chosen = [b for b in buckets if any(roles_on_bucket(resources, b, m) for m in members)]
    return chosen or buckets

"""Plain readers of a stack's Kubernetes side that the ``anyscale-k8s-*`` rules share (no
policy objects here).

Rules inspect resource *types and properties* (camelCase wire names, as pulumi_kubernetes,
pulumi_aws and pulumi_gcp pass them), never our component names, so they judge hand-written
programs too. A custom resource's type is ``kubernetes:<apiVersion>:<kind>`` and its inputs
are ``apiVersion``, ``kind``, ``metadata``, ``spec``; a helm release's ``values`` is the nested
dict the chart reads, keys as the chart spells them (``ingress-nginx``, ``cloudDeploymentId``).

Missing and unknown are told apart here (the cloud rules' ``get`` does not need to): a
required value that is *missing* is a violation, one that is *unknown* (a real `pulumi
preview` before the value exists, where CrossGuard raises on reading it; the offline engine,
which holds None for it) is not knowable, so not judged. :func:`dig` answers :data:`MISSING`
or :data:`UNKNOWN`; a key whose value is None is unknown, since Pulumi drops a None a program
puts in a dict.

Which resources are the operator's:

- the operator release: a ``kubernetes:helm.sh/v3:Release`` (or a ``helm.sh/v4:Chart``)
  whose ``chart`` is ``anyscale-operator`` (also ``anyscale/anyscale-operator`` or an OCI
  reference ending with it);
- on AKS, the operator extension: an ``azure-native:kubernetesconfiguration:Extension`` of
  type ``Anyscale.AKS.Operator`` (:func:`operator_extensions`, read as a release: its
  ``configurationSettings`` are the chart values as flat dotted keys, its release namespace
  is ``scope.cluster.releaseNamespace`` or ``scope.namespace.targetNamespace``). The
  ``anyscale-k8s-*`` rules judge only what they say of it (its ingress class); the
  ``anyscale-azure-*`` rules judge its identity;
- its service account: ``values.operator.serviceAccount.name`` (chart default
  ``anyscale-operator``), in the release's ``namespace`` (any namespace when the release
  does not say);
- its identity: ``values.global.auth.iamIdentity``, the role of an EKS Pod Identity
  association for its service account, the Google service accounts its service account may
  impersonate (``roles/iam.workloadIdentityUser``);
- the node identities: the ``nodeRoleArn`` of EKS node groups (and of EKS Auto Mode), the
  ``nodeConfig.serviceAccount`` of GKE node pools and clusters (the Compute Engine default
  account where a pool sets none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_policy import PolicyResource

from anyscale_infra.azure import constants as azure_c
from anyscale_infra.gcp import constants as gcp_c
from anyscale_infra.kubernetes import constants as c
from anyscale_infra.policy._readers import as_list, of_type
from anyscale_infra.policy.gcp._facts import SA_IAM, SERVICE_ACCOUNT, grants, last_segment, service_account_emails

# -- resource types (pulumi-kubernetes 4, pulumi-aws 7, pulumi-gcp 10) ----------------------------
RELEASE = "kubernetes:helm.sh/v3:Release"
CHART = "kubernetes:helm.sh/v4:Chart"  # a component the provider expands; its inputs are the same
INSTALLS = (RELEASE, CHART)
INGRESS = (
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:extensions/v1beta1:Ingress",
)
INGRESS_CLASS = ("kubernetes:networking.k8s.io/v1:IngressClass", "kubernetes:networking.k8s.io/v1beta1:IngressClass")
SERVICE = "kubernetes:core/v1:Service"
ENVOY_PROXY = f"kubernetes:{c.ENVOY_PROXY_API_VERSION}:EnvoyProxy"
_GATEWAY_API_VERSIONS = (c.GATEWAY_API_VERSION, "gateway.networking.k8s.io/v1beta1")
GATEWAY = tuple(f"kubernetes:{v}:Gateway" for v in _GATEWAY_API_VERSIONS)
GATEWAY_CLASS = tuple(f"kubernetes:{v}:GatewayClass" for v in _GATEWAY_API_VERSIONS)

EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
GKE_NODE_POOL = "gcp:container/nodePool:NodePool"
#: The operator as an AKS cluster extension (pulumi-azure-native 3).
AKS_EXTENSION = "azure-native:kubernetesconfiguration:Extension"

# -- facts the rules need that the constants modules do not hold ----------------------------------
#: Who a Kubernetes service account is to IAM under IRSA: the token's ``sub`` (EKS user guide).
IRSA_SUBJECT = c.SERVICE_ACCOUNT_SUBJECT
WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"
#: What an EKS Pod Identity role's trust must allow ``pods.eks.amazonaws.com`` (EKS user guide).
POD_IDENTITY_ACTIONS = ("sts:AssumeRole", "sts:TagSession")
#: The Compute Engine default service account, which GKE nodes run as when none is given.
DEFAULT_COMPUTE_ACCOUNT = re.compile(r"^\d+-compute@developer\.gserviceaccount\.com$")
_DEFAULT_COMPUTE_KEY = "gcp:compute-engine-default-service-account"
#: The flag and resource-file field of `cloud register --compute-stack k8s` naming the identity.
REGISTER_IDENTITY_FLAG = "--anyscale-operator-iam-identity"
RESOURCE_FILE_IDENTITY = "anyscale_operator_iam_identity"


# -- missing vs unknown -----------------------------------------------------------------------


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Marker("MISSING")
"""The value is not set (a key absent, or a level above it that is not a mapping)."""
UNKNOWN: Any = _Marker("UNKNOWN")
"""The value is not known yet (preview): not judged."""


def dig(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...``; :data:`MISSING` or :data:`UNKNOWN` when not there."""
    current = value
    for key in path:
        if current is UNKNOWN or current is None:
            return UNKNOWN
        if current is MISSING or not isinstance(current, Mapping):
            return MISSING
        try:
            if key not in current:
                return MISSING
            current = current[key]
        except Exception:  # noqa: BLE001 - CrossGuard raises UnknownValueError on an unknown value
            return UNKNOWN
    return UNKNOWN if current is None else current


def text(value: Any) -> Any:
    """``value``, or :data:`MISSING` for an empty string (what the chart's defaults hold)."""
    return MISSING if isinstance(value, str) and not value else value


def metadata_name(resource: PolicyResource) -> Optional[str]:
    name = dig(resource.props, "metadata", "name")
    return name if isinstance(name, str) and name else None


def annotations(value: Any) -> dict[str, Any]:
    """A known annotations mapping as a plain dict (values may be :data:`UNKNOWN`)."""
    if not isinstance(value, Mapping):
        return {}
    try:
        keys = list(value)
    except Exception:  # noqa: BLE001
        return {}
    return {str(key): dig(value, key) for key in keys}


def resource_of(args: Any) -> PolicyResource:
    """A ResourceValidationArgs as a PolicyResource (the readers take those)."""
    return PolicyResource(args.resource_type, args.props, args.urn, args.name, args.opts, None, None, [], {})


# -- the operator release ---------------------------------------------------------------------


@dataclass(frozen=True)
class OperatorRelease:
    """The ``anyscale-operator`` chart installed by the program."""

    resource: PolicyResource
    values: Any
    """The ``values`` mapping, or :data:`MISSING` / :data:`UNKNOWN`."""
    namespace: Optional[str]
    """The release's ``namespace``; None when it does not say (or is unknown): any namespace."""
    service_account: Optional[str]
    """The operator's service account (``values.operator.serviceAccount.name``, chart default
    ``anyscale-operator``); None when unknown."""
    provider: Any
    """``values.global.cloudProvider``: aws, gcp... or a marker."""
    identity: Any
    """``values.global.auth.iamIdentity`` (non-empty), or a marker."""
    from_files: bool
    """``valueYamlFiles`` are given: a value missing from ``values`` may be in them."""
    extension: bool = False
    """The AKS extension (``configurationSettings``), not a helm release (``values``)."""

    @property
    def label(self) -> str:
        """``the anyscale-operator release <name>`` / ``the Anyscale.AKS.Operator extension <name>``."""
        if self.extension:
            return f"the {azure_c.OPERATOR_EXTENSION_TYPE} extension {self.resource.name}"
        return f"the {c.OPERATOR_CHART} release {self.resource.name}"

    def where(self, *path: str) -> str:
        """How a message names a value: ``values.a.b`` or ``configurationSettings a.b``."""
        return f"configurationSettings {'.'.join(path)}" if self.extension else f"values.{'.'.join(path)}"

    @property
    def subject(self) -> str:
        """``<namespace>/<service account>`` for messages."""
        return f"{self.namespace or '<its namespace>'}/{self.service_account or '<its service account>'}"

    def value(self, *path: str) -> Any:
        return dig(self.values, *path)

    def is_subject(self, namespace: Any, service_account: Any) -> Optional[bool]:
        """Does (namespace, service account) name the operator's? None when not knowable."""
        verdicts = [_same(namespace, self.namespace), _same(service_account, self.service_account)]
        if False in verdicts:
            return False
        return None if None in verdicts else True


def _same(value: Any, wanted: Optional[str]) -> Optional[bool]:
    if value is UNKNOWN or value is None:
        return None
    if not isinstance(value, str):
        return False
    return None if wanted is None else value == wanted


def is_operator_chart(chart: Any) -> bool:
    """``anyscale-operator``, ``anyscale/anyscale-operator``, ``oci://.../anyscale-operator``."""
    return isinstance(chart, str) and chart.rstrip("/").rsplit("/", 1)[-1] == c.OPERATOR_CHART


def operator_release(resource: PolicyResource) -> Optional[OperatorRelease]:
    if resource.resource_type not in INSTALLS or not is_operator_chart(dig(resource.props, "chart")):
        return None
    values = dig(resource.props, "values")
    namespace = text(dig(resource.props, "namespace"))
    account = text(dig(values, "operator", "serviceAccount", "name"))
    files = dig(resource.props, "valueYamlFiles")
    return OperatorRelease(
        resource=resource,
        values=values if isinstance(values, Mapping) or values is UNKNOWN else MISSING,
        namespace=namespace if isinstance(namespace, str) else None,
        service_account=c.OPERATOR_SERVICE_ACCOUNT if account is MISSING else (account if isinstance(account, str) else None),
        provider=text(dig(values, "global", "cloudProvider")),
        identity=text(dig(values, "global", "auth", "iamIdentity")),
        from_files=files is UNKNOWN or (files is not MISSING and bool(as_list(files))),
    )


def operator_releases(resources: Iterable[PolicyResource]) -> list[OperatorRelease]:
    return [r for r in (operator_release(x) for x in of_type(resources, *INSTALLS)) if r is not None]


def _split_key(key: str) -> list[str]:
    """``a.b\\.c`` -> ``[a, b.c]`` (helm's ``--set`` escapes a dot inside a key)."""
    parts, current, escaped = [], "", False
    for char in key:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            escaped = True
        elif char == ".":
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def unflatten(settings: Any) -> Any:
    """An extension's flat ``{"a.b": v}`` settings as the nested values the chart reads; a
    key that clashes with another (``a`` and ``a.b``) is left out. Markers pass through."""
    if not isinstance(settings, Mapping):
        return settings
    nested: dict[str, Any] = {}
    for key in annotations(settings):  # known keys; a value may be UNKNOWN
        *parents, leaf = _split_key(key)
        node: Any = nested
        for part in parents:
            node = node.setdefault(part, {}) if isinstance(node, dict) else None
        if isinstance(node, dict) and not isinstance(node.get(leaf), dict):
            value = dig(settings, key)
            node[leaf] = None if value is UNKNOWN else value
    return nested


def is_operator_extension(resource: PolicyResource) -> bool:
    kind = dig(resource.props, "extensionType")
    return resource.resource_type == AKS_EXTENSION and isinstance(kind, str) and kind.lower() == azure_c.OPERATOR_EXTENSION_TYPE.lower()


def operator_extension(resource: PolicyResource) -> Optional[OperatorRelease]:
    """The ``Anyscale.AKS.Operator`` extension read as a release (``values`` unflattened from
    ``configurationSettings``; ``configurationProtectedSettings`` fill keys it lacks)."""
    if not is_operator_extension(resource):
        return None
    settings = dig(resource.props, "configurationSettings")
    protected = dig(resource.props, "configurationProtectedSettings")
    if settings is MISSING and isinstance(protected, Mapping):
        settings = {}
    if isinstance(settings, Mapping) and isinstance(protected, Mapping):
        settings = {**annotations(protected), **annotations(settings)}
    values = unflatten(settings)
    namespace = text(dig(resource.props, "scope", "cluster", "releaseNamespace"))
    if namespace is MISSING:
        namespace = text(dig(resource.props, "scope", "namespace", "targetNamespace"))
    account = text(dig(values, "operator", "serviceAccount", "name"))
    return OperatorRelease(
        resource=resource,
        values=values if isinstance(values, Mapping) or values is UNKNOWN else MISSING,
        namespace=namespace if isinstance(namespace, str) else None,
        service_account=c.OPERATOR_SERVICE_ACCOUNT if account is MISSING else (account if isinstance(account, str) else None),
        provider="azure",
        identity=text(dig(values, "global", "auth", "iamIdentity")),
        from_files=False,
        extension=True,
    )


def operator_extensions(resources: Iterable[PolicyResource]) -> list[OperatorRelease]:
    """Every ``Anyscale.AKS.Operator`` extension of the program, read as a release."""
    return [r for r in (operator_extension(x) for x in of_type(resources, AKS_EXTENSION)) if r is not None]


def release_clouds(release: OperatorRelease, resources: list[PolicyResource]) -> set[str]:
    """The managed clusters the release's rules judge it against: ``aws`` (EKS) and/or
    ``gcp`` (GKE), only where the program builds that cluster. ``global.cloudProvider`` says
    which; when it does not, the one kind of cluster the program builds (both: neither)."""
    built = {cloud for cloud, kind in (("aws", EKS_CLUSTER), ("gcp", GKE_CLUSTER)) if of_type(resources, kind)}
    if isinstance(release.provider, str):
        return built & {release.provider}
    return built if len(built) == 1 else set()


# -- identities ---------------------------------------------------------------------------------

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[^/]+/)*([^/]+)$")
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")


def identity_keys(value: Any) -> frozenset[str]:
    """What an identity is, whichever way it is written: a role ARN by account and role name
    (its path aside), a service account by its email (a ``projects/p/serviceAccounts/<email>``
    name too) in lower case; the Compute Engine default account also as what nodes without a
    service account run as."""
    if not isinstance(value, str) or not value:
        return frozenset()
    match = _ROLE_ARN.match(value)
    if match:
        return frozenset({f"aws:{match.group(1)}:role/{match.group(2)}"})
    email = (last_segment(value) or value).lower()
    keys = {email}
    if DEFAULT_COMPUTE_ACCOUNT.match(email):
        keys.add(_DEFAULT_COMPUTE_KEY)
    return frozenset(keys)


def account_of(arn: str) -> Optional[str]:
    match = _ARN_ACCOUNT.match(arn)
    return match.group(1) if match else None


@dataclass(frozen=True)
class NodeIdentity:
    resource: PolicyResource
    identity: str
    where: str
    keys: frozenset[str] = field(default_factory=frozenset)


def _node(resource: PolicyResource, value: Any, where: str) -> list[NodeIdentity]:
    keys = identity_keys(value)
    return [NodeIdentity(resource, str(value), where, keys)] if keys else []


def _default_compute(resource: PolicyResource, where: str) -> list[NodeIdentity]:
    """Nodes with no service account set run as the project's Compute Engine default one."""
    where = f"what {where} unset: the Compute Engine default service account)"
    return [NodeIdentity(resource, "the Compute Engine default service account", where, frozenset({_DEFAULT_COMPUTE_KEY}))]


def node_identities(resources: Iterable[PolicyResource]) -> list[NodeIdentity]:
    """Every identity nodes of the program's EKS and GKE clusters run as (known ones)."""
    resources = list(resources)
    found: list[NodeIdentity] = []
    for group in of_type(resources, EKS_NODE_GROUP):
        found += _node(group, dig(group.props, "nodeRoleArn"), f"the node role of NodeGroup {group.name} (nodeRoleArn)")
    for cluster in of_type(resources, EKS_CLUSTER):
        found += _node(cluster, dig(cluster.props, "computeConfig", "nodeRoleArn"),
                       f"the EKS Auto Mode node role of Cluster {cluster.name} (computeConfig.nodeRoleArn)")
    for pool in of_type(resources, GKE_NODE_POOL):
        account = dig(pool.props, "nodeConfig", "serviceAccount")
        if account is MISSING:
            found += _default_compute(pool, f"NodePool {pool.name}'s nodes run as (nodeConfig.serviceAccount")
        else:
            found += _node(pool, account, f"the node service account of NodePool {pool.name} (nodeConfig.serviceAccount)")
    for cluster in of_type(resources, GKE_CLUSTER):
        autopilot = dig(cluster.props, "enableAutopilot") is True
        account = dig(cluster.props, "nodeConfig", "serviceAccount")
        keeps_default_pool = dig(cluster.props, "removeDefaultNodePool") is not True and dig(cluster.props, "nodePools") is MISSING
        if account is MISSING:
            if keeps_default_pool and not autopilot:
                found += _default_compute(cluster, f"Cluster {cluster.name}'s default pool runs as (nodeConfig.serviceAccount")
        else:
            found += _node(cluster, account, f"the node service account of Cluster {cluster.name}'s default pool (nodeConfig.serviceAccount)")
        provisioning = dig(cluster.props, "clusterAutoscaling", "autoProvisioningDefaults", "serviceAccount")
        auto = autopilot or dig(cluster.props, "clusterAutoscaling", "enabled") is True
        if provisioning is MISSING:
            if auto:
                found += _default_compute(
                    cluster, f"Cluster {cluster.name}'s auto-provisioned nodes run as (clusterAutoscaling.autoProvisioningDefaults.serviceAccount")
        else:
            found += _node(cluster, provisioning, f"the service account of Cluster {cluster.name}'s auto-provisioned nodes "
                                                  "(clusterAutoscaling.autoProvisioningDefaults.serviceAccount)")
    return found


@dataclass(frozen=True)
class OperatorIdentity:
    """One identity the operator authenticates as, and where the program says so."""

    identity: str
    source: str
    resource: PolicyResource
    keys: frozenset[str]

    @property
    def cloud(self) -> str:
        return "aws" if self.identity.startswith("arn:") else "gcp"


def pod_identity_associations(resources: Iterable[PolicyResource], release: OperatorRelease) -> list[tuple[PolicyResource, Optional[bool]]]:
    """EKS Pod Identity associations that may be the operator's: (association, whether it
    surely is; None when its namespace or service account is not known)."""
    found = []
    for association in of_type(resources, POD_IDENTITY):
        verdict = release.is_subject(dig(association.props, "namespace"), dig(association.props, "serviceAccount"))
        if verdict is not False:
            found.append((association, verdict))
    return found


_KSA_MEMBER = re.compile(r"^serviceAccount:(?P<pool>[^\[\]\s]+)\[(?P<ns>[^/\]]+)/(?P<sa>[^\]]+)\]$")
_KSA_PRINCIPAL = re.compile(
    r"^principal://iam\.googleapis\.com/projects/[^/]+/locations/global/workloadIdentityPools/"
    r"(?P<pool>[^/]+)/subject/ns/(?P<ns>[^/]+)/sa/(?P<sa>[^/]+)$"
)


def ksa_of_member(member: str) -> Optional[tuple[str, str, str]]:
    """(workload pool, namespace, service account) of a Kubernetes service account member:
    ``serviceAccount:<project>.svc.id.goog[<ns>/<sa>]`` or its ``principal://`` form."""
    match = _KSA_MEMBER.match(member) or _KSA_PRINCIPAL.match(member)
    if match is None or not match.group("pool").endswith(gcp_c.WORKLOAD_POOL_SUFFIX):
        return None
    return match.group("pool"), match.group("ns"), match.group("sa")


def workload_pools(resources: Iterable[PolicyResource]) -> set[str]:
    """The workload pools of the program's GKE clusters (known ones)."""
    pools = set()
    for cluster in of_type(resources, GKE_CLUSTER):
        pool = dig(cluster.props, "workloadIdentityConfig", "workloadPool")
        if isinstance(pool, str) and pool:
            pools.add(pool)
    return pools


@dataclass(frozen=True)
class Federation:
    """A ``roles/iam.workloadIdentityUser`` grant letting the operator's Kubernetes service
    account impersonate a Google service account."""

    grant: Any  # policy.gcp._facts.Grant
    email: Optional[str]  # the impersonated account's email, when the program says it


def federations(resources: list[PolicyResource], release: OperatorRelease) -> list[Federation]:
    pools = workload_pools(resources)
    declared = of_type(resources, SERVICE_ACCOUNT)
    found = []
    for grant in grants(resources, *SA_IAM):
        if grant.role != gcp_c.WORKLOAD_IDENTITY_USER_ROLE:
            continue
        ksa = ksa_of_member(grant.member)
        if ksa is None or (pools and ksa[0] not in pools) or release.is_subject(ksa[1], ksa[2]) is False:
            continue
        email = grant.target if grant.target and "@" in grant.target else None
        if email is None and grant.target:
            account = next((a for a in declared if grant.target in service_account_emails(a)), None)
            found_email = dig(account.props, "email") if account is not None else None
            email = found_email if isinstance(found_email, str) else None
        found.append(Federation(grant, email))
    return found


def operator_identities(resources: list[PolicyResource], release: OperatorRelease) -> list[OperatorIdentity]:
    """The identities the program gives the operator (known ones)."""
    found: list[OperatorIdentity] = []
    if isinstance(release.identity, str):
        found.append(OperatorIdentity(release.identity, "values.global.auth.iamIdentity", release.resource,
                                      identity_keys(release.identity)))
    for association, sure in pod_identity_associations(resources, release):
        role = dig(association.props, "roleArn")
        if sure and isinstance(role, str) and role:
            found.append(OperatorIdentity(role, f"the roleArn of PodIdentityAssociation {association.name}", association,
                                          identity_keys(role)))
    for federation in federations(resources, release):
        if federation.email:
            found.append(OperatorIdentity(
                federation.email,
                f"the service account {release.subject} may impersonate ({federation.grant.resource.resource_type.rsplit(':', 1)[-1]} {federation.grant.resource.name})",
                federation.grant.resource,
                identity_keys(federation.email),
            ))
    return [i for i in found if i.keys]


def irsa_subject(namespace: str, service_account: str) -> str:
    return IRSA_SUBJECT.format(namespace=namespace, service_account=service_account)


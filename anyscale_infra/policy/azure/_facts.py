"""Plain readers of an Azure stack that the ``anyscale-azure-*`` rules share (no policy
objects here).

Rules inspect resource *types and properties* (camelCase wire names, as pulumi-azure-native 3
passes them: ``allowBlobPublicAccess``, ``oidcIssuerProfile.enabled``, ``roleDefinitionId``),
never our component names, so they judge hand-written programs too. Missing and unknown are
told apart with :func:`~anyscale_infra.policy.kubernetes._facts.dig`: a value that is not set
is judged by Azure's default, one that is not known yet (a real preview) is not judged.
Azure names and resource ids are case-insensitive, so they are compared case-insensitively.

Which resources are the operator's:

- the operator: an ``Anyscale.AKS.Operator`` extension, or an ``anyscale-operator`` helm
  release whose ``global.cloudProvider`` is ``azure`` (or unset, in a program with Azure
  resources and no EKS or GKE cluster);
- its cluster: the ManagedCluster the extension names (``clusterName``, in its
  ``resourceGroupName``); for a release, or an extension whose cluster is not known yet,
  any ManagedCluster of the program;
- its identity (:func:`operator_identities`): the user-assigned identity whose ``clientId`` the
  operator's ``global.auth.iamIdentity`` names; when the operator names none (or one not known
  yet), the identities a Storage Blob Data Contributor/Owner assignment on a storage account is
  for (``principalId``);
- an identity's federated credentials: those whose ``resourceName`` (the parent identity's
  name) and ``resourceGroupName`` are the identity's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

from pulumi_policy import PolicyResource

from anyscale_infra.azure import constants as c
from anyscale_infra.policy._readers import of_type
from anyscale_infra.policy.kubernetes._facts import (  # noqa: F401 - re-exported for the Azure rules
    EKS_CLUSTER,
    GKE_CLUSTER,
    MISSING,
    UNKNOWN,
    OperatorRelease,
    dig,
    operator_extensions,
    operator_releases,
    text,
)

# -- resource types (pulumi-azure-native 3) ---------------------------------------------------
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
FEDERATED_CREDENTIAL = "azure-native:managedidentity:FederatedIdentityCredential"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
EXTENSION = "azure-native:kubernetesconfiguration:Extension"
AZURE_PREFIX = "azure-native:"

#: A storage account, or anything under it (blob service, container), as an ARM scope.
_STORAGE_SCOPE = re.compile(
    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.Storage/storageAccounts/(?P<account>[^/]+)(?:/.*)?$",
    re.IGNORECASE,
)
_SUBSCRIPTION_SCOPE = re.compile(r"^/subscriptions/(?P<sub>[^/]+)/?$", re.IGNORECASE)
_GROUP_SCOPE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/(?P<group>[^/]+)/?$", re.IGNORECASE)
_MANAGEMENT_GROUP_SCOPE = re.compile(r"^/providers/Microsoft\.Management/managementGroups/(?P<mg>[^/]+)/?$", re.IGNORECASE)


def same(a: Any, b: Any) -> Optional[bool]:
    """Case-insensitive equality of two names or ids; None when either is not known."""
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return None
    return a.lower() == b.lower()


def known_text(value: Any) -> Optional[str]:
    value = text(value)
    return value if isinstance(value, str) else None


def name_of(resource: PolicyResource, key: str) -> Optional[str]:
    """A resource's own name: its ``key`` input (``resourceName``, ``accountName``...) or its
    ``name`` output."""
    return known_text(dig(resource.props, key)) or known_text(dig(resource.props, "name"))


def group_of(resource: PolicyResource) -> Optional[str]:
    return known_text(dig(resource.props, "resourceGroupName"))


def has_azure(resources: Iterable[PolicyResource]) -> bool:
    return any(r.resource_type.startswith(AZURE_PREFIX) for r in resources)


# -- role assignments ---------------------------------------------------------------------------


def role_guid(role_definition_id: Any) -> Optional[str]:
    """The GUID a ``roleDefinitionId`` ends with (``.../roleDefinitions/<guid>`` or the GUID)."""
    value = known_text(role_definition_id)
    return value.rstrip("/").rsplit("/", 1)[-1].lower() if value else None


def blob_data_role(role_definition_id: Any) -> Optional[str]:
    """``Storage Blob Data Contributor`` / ``...Owner`` when the id is one of them."""
    return c.BLOB_DATA_WRITE_ROLE_IDS.get(role_guid(role_definition_id) or "")


def storage_account_of(scope: Any) -> Optional[str]:
    """The storage account an ARM scope is (or is under), else None."""
    match = _STORAGE_SCOPE.match(scope) if isinstance(scope, str) else None
    return match.group("account") if match else None


def describe_scope(scope: str) -> str:
    """What a scope that is not a storage account reaches, for messages."""
    if scope.strip() == "/":
        return "the root scope '/': every storage account of the tenant"
    for pattern, what in (
        (_SUBSCRIPTION_SCOPE, "the subscription {sub} ({scope}): every storage account in it"),
        (_GROUP_SCOPE, "the resource group {group} ({scope}): every storage account in it"),
        (_MANAGEMENT_GROUP_SCOPE, "the management group {mg} ({scope}): every storage account of its subscriptions"),
    ):
        match = pattern.match(scope)
        if match:
            return what.format(scope=scope, **match.groupdict())
    return f"{scope}, which is not a storage account"


# -- the operator and its cluster ---------------------------------------------------------------


def azure_operators(resources: Iterable[PolicyResource]) -> list[OperatorRelease]:
    """The Anyscale operators of an Azure program: its ``Anyscale.AKS.Operator`` extensions and
    the ``anyscale-operator`` releases for Azure."""
    resources = list(resources)
    found = operator_extensions(resources)
    azure_only = has_azure(resources) and not of_type(resources, EKS_CLUSTER, GKE_CLUSTER)
    for release in operator_releases(resources):
        if release.provider == "azure" or (not isinstance(release.provider, str) and azure_only):
            found.append(release)
    return found


def operator_clusters(operator: OperatorRelease, resources: list[PolicyResource]) -> list[PolicyResource]:
    """The ManagedClusters of the program the operator may run on: the one the extension
    names, else all of them (none: the cluster is not the program's)."""
    clusters = of_type(resources, MANAGED_CLUSTER)
    if not operator.extension:
        return clusters
    name = known_text(dig(operator.resource.props, "clusterName"))
    if name is None:
        return clusters
    group = group_of(operator.resource)
    return [
        cluster for cluster in clusters
        if same(name_of(cluster, "resourceName"), name) is not False and same(group_of(cluster), group) is not False
    ]


def issuer_of(cluster: PolicyResource) -> Any:
    """The cluster's OIDC issuer URL (an output: ``oidcIssuerProfile.issuerURL``), or a marker."""
    return text(dig(cluster.props, "oidcIssuerProfile", "issuerURL"))


# -- identities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A user-assigned managed identity of the program."""

    resource: PolicyResource
    name: Optional[str]
    group: Optional[str]
    client_id: Optional[str]
    principal_id: Optional[str]


def identities(resources: Iterable[PolicyResource]) -> list[Identity]:
    return [
        Identity(
            resource=r,
            name=name_of(r, "resourceName"),
            group=group_of(r),
            client_id=known_text(dig(r.props, "clientId")),
            principal_id=known_text(dig(r.props, "principalId")),
        )
        for r in of_type(resources, IDENTITY)
    ]


def credential_parent(credential: PolicyResource) -> tuple[Optional[str], Optional[str]]:
    """(identity name, resource group) a federated credential is under; None where unknown."""
    return known_text(dig(credential.props, "resourceName")), group_of(credential)


def credentials_of(identity: Identity, credentials: Iterable[PolicyResource]) -> list[PolicyResource]:
    """The federated credentials of ``identity``."""
    found = []
    for credential in credentials:
        name, group = credential_parent(credential)
        if same(name, identity.name) and same(group, identity.group) is not False:
            found.append(credential)
    return found


@dataclass(frozen=True)
class OperatorIdentity:
    identity: Identity
    how: str
    """Why it is the operator's, for messages."""


def blob_holders(resources: list[PolicyResource], found: list[Identity]) -> list[OperatorIdentity]:
    """Identities a Storage Blob Data Contributor/Owner assignment on a storage account is for."""
    holders: list[OperatorIdentity] = []
    for assignment in of_type(resources, ROLE_ASSIGNMENT):
        role = blob_data_role(dig(assignment.props, "roleDefinitionId"))
        account = storage_account_of(dig(assignment.props, "scope"))
        principal = known_text(dig(assignment.props, "principalId"))
        if not (role and account and principal):
            continue
        for identity in found:
            if same(identity.principal_id, principal) and all(h.identity is not identity for h in holders):
                holders.append(OperatorIdentity(identity, f"it holds {role} on storage account {account} (RoleAssignment {assignment.name})"))
    return holders


def operator_identities(operator: OperatorRelease, resources: list[PolicyResource]) -> list[OperatorIdentity]:
    """The identities of the program the operator authenticates as (see the module docstring).
    Empty when it names an identity the program does not build (bring-your-own)."""
    found = identities(resources)
    named = operator.identity
    where = f"{operator.label}'s {operator.where('global', 'auth', 'iamIdentity')}"
    if isinstance(named, str):
        by_client = [i for i in found if same(i.client_id, named)]
        if by_client:
            return [OperatorIdentity(i, f"its clientId is {where}") for i in by_client]
        by_principal = [i for i in found if same(i.principal_id, named)]
        return [OperatorIdentity(i, f"its principalId is {where}") for i in by_principal]
    return blob_holders(resources, found)


def subject(namespace: Optional[str], service_account: Optional[str]) -> str:
    return c.FEDERATED_CREDENTIAL_SUBJECT.format(
        namespace=namespace or "<its namespace>", service_account=service_account or "<its service account>"
    )

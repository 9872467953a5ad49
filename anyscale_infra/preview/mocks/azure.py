"""pulumi-azure-native-shaped answers: ARM ids built from each resource's own names (the
path Azure gives it), auto-names where a name is left out, managed identities with a
principal id, client id and tenant, storage accounts with their endpoints, an AKS cluster
with an OIDC issuer, and the ``Anyscale.Platform`` cloud resource's ``cldrsrc_`` id."""

from __future__ import annotations

import base64
import uuid
from typing import Any, Optional

from anyscale_infra.preview.mocks._base import ProviderShapes, digest, random_string

#: The subscription and tenant of the offline preview (placeholders, marked as made up).
PREVIEW_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001"
PREVIEW_TENANT_ID = "00000000-0000-4000-8000-000000000002"
PREVIEW_OBJECT_ID = "00000000-0000-4000-8000-000000000003"

#: token -> (ARM type under the resource group, the input naming it, its parents' inputs).
_ARM: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "azure-native:network:VirtualNetwork": ("Microsoft.Network/virtualNetworks", "virtualNetworkName", ()),
    "azure-native:network:Subnet": ("subnets", "subnetName", (("Microsoft.Network/virtualNetworks", "virtualNetworkName"),)),
    "azure-native:network:NetworkSecurityGroup": ("Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName", ()),
    "azure-native:network:PublicIPAddress": ("Microsoft.Network/publicIPAddresses", "publicIpAddressName", ()),
    "azure-native:containerservice:ManagedCluster": ("Microsoft.ContainerService/managedClusters", "resourceName", ()),
    "azure-native:containerservice:AgentPool": ("agentPools", "agentPoolName", (("Microsoft.ContainerService/managedClusters", "resourceName"),)),
    "azure-native:storage:StorageAccount": ("Microsoft.Storage/storageAccounts", "accountName", ()),
    "azure-native:storage:BlobContainer": (
        "containers", "containerName", (("Microsoft.Storage/storageAccounts", "accountName"), ("blobServices", "")),
    ),
    "azure-native:storage:BlobServiceProperties": ("blobServices", "", (("Microsoft.Storage/storageAccounts", "accountName"),)),
    "azure-native:managedidentity:UserAssignedIdentity": ("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName", ()),
    "azure-native:managedidentity:FederatedIdentityCredential": (
        "federatedIdentityCredentials", "federatedIdentityCredentialResourceName",
        (("Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"),),
    ),
    "azure-native:kubernetesconfiguration:Extension": ("Microsoft.KubernetesConfiguration/extensions", "extensionName", ()),
}


def _kubeconfig(cluster: str, location: str) -> str:
    """A user kubeconfig as AKS returns it (Entra ID login through kubelogin; no secret in it)."""
    return (
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: {cluster}\n  cluster:\n    server: https://{cluster}.hcp.{location}.azmk8s.io:443\n"
        f"contexts:\n- name: {cluster}\n  context:\n    cluster: {cluster}\n    user: clusterUser_{cluster}\n"
        f"current-context: {cluster}\n"
        f"users:\n- name: clusterUser_{cluster}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: kubelogin\n      args: [get-token, --login, azurecli, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]\n"
    )


def _guid(*parts: str) -> str:
    return str(uuid.UUID(digest(*parts)[:32], version=4))


class AzureShapes(ProviderShapes):
    package = "azure-native"

    @property
    def subscription(self) -> str:
        return self.config.get("azure-native:subscriptionId") or self.made(PREVIEW_SUBSCRIPTION_ID)

    @property
    def location(self) -> str:
        return self.config.get("azure-native:location") or "eastus2"

    def _group(self, state: dict[str, Any]) -> str:
        return f"/subscriptions/{self.subscription}/resourceGroups/{state.get('resourceGroupName') or 'preview-rg'}"

    def _name(self, state: dict[str, Any], key: str, name: str, urn: str) -> str:
        if not key:
            return "default"
        if not state.get(key):
            # azure-native auto-names from the logical name plus a random suffix.
            state[key] = self.made(f"{name}{digest(urn)[:8]}")
        return state[key]

    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        h = digest(urn, "computed")
        if typ == "azure-native:resources:ResourceGroup":
            group = self._name(state, "resourceGroupName", name, urn)
            state.setdefault("location", self.location)
            state["name"] = group
            return f"/subscriptions/{self.subscription}/resourceGroups/{group}", state
        if typ == "azure-native:authorization:RoleAssignment":
            assignment = state.get("roleAssignmentName") or self.made(_guid(urn))
            state["name"] = assignment
            return f"{state.get('scope')}/providers/Microsoft.Authorization/roleAssignments/{assignment}", state
        if typ == "azure-native:resources:Resource":
            return self._generic(name, urn, state)
        if typ not in _ARM:
            return None
        arm_type, key, parents = _ARM[typ]
        path = self._group(state)
        for index, (parent_type, parent_key) in enumerate(parents):
            parent_name = state.get(parent_key) if parent_key else "default"
            path += f"{'/providers/' if index == 0 else '/'}{parent_type}/{parent_name}"
        own = self._name(state, key, name, urn)
        if typ == "azure-native:kubernetesconfiguration:Extension":
            path = (
                f"{self._group(state)}/providers/Microsoft.ContainerService/managedClusters/{state.get('clusterName')}"
                f"/providers/Microsoft.KubernetesConfiguration/extensions/{own}"
            )
        else:
            path += f"{'/providers/' if not parents else '/'}{arm_type}/{own}"
        state["name"] = own
        state.setdefault("location", self.location)
        if typ == "azure-native:managedidentity:UserAssignedIdentity":
            state.update({
                "principalId": self.made(_guid(urn, "principal")),
                "clientId": self.made(_guid(urn, "client")),
                "tenantId": self.made(PREVIEW_TENANT_ID),
            })
        elif typ == "azure-native:storage:StorageAccount":
            state["primaryEndpoints"] = {
                "blob": f"https://{own}.blob.core.windows.net/",
                "dfs": f"https://{own}.dfs.core.windows.net/",
            }
        elif typ == "azure-native:containerservice:ManagedCluster":
            location = state.get("location") or self.location
            state["oidcIssuerProfile"] = {
                **(state.get("oidcIssuerProfile") or {}),
                "issuerURL": self.made(f"https://{location}.oic.prod-aks.azure.com/{PREVIEW_TENANT_ID}/{_guid(urn, 'issuer')}/"),
            }
            state["fqdn"] = self.made(f"{own}-{h[:8]}.hcp.{location}.azmk8s.io")
            state["identityProfile"] = {
                "kubeletidentity": {"clientId": self.made(_guid(urn, "kubelet-client")), "objectId": self.made(_guid(urn, "kubelet"))}
            }
        return path, state

    def _generic(self, name: str, urn: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """``resources.Resource`` (any ARM type): the Anyscale cloud and its cloud resource."""
        namespace, kind = state.get("resourceProviderNamespace", ""), state.get("resourceType", "")
        own = self._name(state, "resourceName", name, urn)
        parent = state.get("parentResourcePath")
        path = f"{self._group(state)}/providers/{namespace}/{parent + '/' if parent else ''}{kind}/{own}"
        properties = dict(state.get("properties") or {})
        # Anyscale's ids: a prefix and 26 lowercase letters and digits.
        ident = random_string(digest(urn, "anyscale"), {"length": 26, "upper": False})
        if namespace == "Anyscale.Platform" and kind == "clouds":
            properties.setdefault("ssoUrl", self.made(f"https://console.azure.anyscale.com/sso/cld_{ident}"))
        elif namespace == "Anyscale.Platform" and kind == "cloudResources":
            properties.setdefault("cloudResourceId", self.made(f"cldrsrc_{ident}"))
        state["properties"] = properties
        state["name"] = own
        return path, state

    def call(self, token: str, args: dict[str, Any], provider: Optional[str]) -> Optional[dict[str, Any]]:
        group, cluster = args.get("resourceGroupName") or "preview-rg", args.get("resourceName") or "preview-aks"
        if token == "azure-native:containerservice:listManagedClusterUserCredentials":
            return {"kubeconfigs": [{"name": "clusterUser", "value": base64.b64encode(_kubeconfig(cluster, self.location).encode()).decode()}]}
        if token == "azure-native:containerservice:getManagedCluster":
            self.notes.append(
                f"the existing AKS cluster {group}/{cluster} is not looked up offline: its OIDC issuer, zones and "
                "identity are preview values"
            )
            h = digest(group, cluster)
            return {
                "id": f"/subscriptions/{self.subscription}/resourceGroups/{group}/providers/Microsoft.ContainerService/managedClusters/{cluster}",
                "name": cluster,
                "location": self.location,
                "fqdn": self.made(f"{cluster}-{h[:8]}.hcp.{self.location}.azmk8s.io"),
                "oidcIssuerProfile": {"enabled": True, "issuerURL": self.made(f"https://{self.location}.oic.prod-aks.azure.com/{PREVIEW_TENANT_ID}/{_guid(h)}/")},
                "securityProfile": {"workloadIdentity": {"enabled": True}},
                "agentPoolProfiles": [{"name": "system", "availabilityZones": ["1", "2", "3"]}],
                "identityProfile": {"kubeletidentity": {"objectId": self.made(_guid(h, "kubelet")), "clientId": self.made(_guid(h, "kubelet-client"))}},
            }
        if token == "azure-native:resources:getResourceGroup":
            self.notes.append(f"the existing resource group {group} is not looked up offline: its location is the provider's ({self.location})")
            return {"id": f"/subscriptions/{self.subscription}/resourceGroups/{group}", "name": group, "location": self.location}
        if token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": self.made(PREVIEW_OBJECT_ID),
                "objectId": self.made(PREVIEW_OBJECT_ID),
                "subscriptionId": self.subscription,
                "tenantId": self.made(PREVIEW_TENANT_ID),
            }
        return None

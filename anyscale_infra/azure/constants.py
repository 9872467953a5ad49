"""Facts about Anyscale on Azure that the components, validators and the policy pack
implement, each with its source.

"seed 003" is Anyscale's Azure page (shared/seeds/003_72653fcd5a402473.txt); "setup_k8s" is
the ``anyscale`` CLI's ``commands/setup_k8s.py`` (``_setup_azure_infrastructure``,
``_generate_azure_arm_template``: what Anyscale's own setup creates on Azure); "walkthrough"
is Microsoft's AKS team's Terraform walkthrough of Anyscale on Azure (azapi ``Anyscale.Platform``
resources and the ``Anyscale.AKS.Operator`` extension).
"""

from __future__ import annotations

from typing import Final

from anyscale_infra.constants import (  # noqa: F401 - re-exported for the Azure modules
    ANYSCALE_CORS_ALLOWED_HEADERS,
    ANYSCALE_CORS_ALLOWED_METHODS,
    ANYSCALE_CORS_EXPOSE_HEADERS,
    ANYSCALE_CORS_ORIGIN,
    CLOUD_ID_TAG_KEY,
)
from anyscale_infra.kubernetes import constants as _kc
from anyscale_infra.kubernetes.constants import (  # noqa: F401 - re-exported
    AZURE_CONTROL_PLANE_URL,
    DEFAULT_NAMESPACE,
    OPERATOR_SERVICE_ACCOUNT,
)

# --- Native registration (Azure Resource Manager) -------------------------------------------
#: The resource provider of Anyscale clouds on Azure (walkthrough; seed 003).
ANYSCALE_RESOURCE_PROVIDER: Final = "Anyscale.Platform"
CLOUD_RESOURCE_TYPE: Final = "clouds"
CLOUD_RESOURCE_CHILD_TYPE: Final = "cloudResources"
#: Every cloud has exactly one cloud resource, named ``default`` (Anyscale's Azure docs).
DEFAULT_CLOUD_RESOURCE_NAME: Final = "default"
#: The API version the walkthrough uses (preview): pinned, overridable per cloud.
ANYSCALE_PLATFORM_API_VERSION: Final = "2026-02-01-preview"
#: cloudResources properties (walkthrough): provider and compute stack on Azure.
CLOUD_RESOURCE_PROVIDER: Final = "Azure"
CLOUD_RESOURCE_COMPUTE_STACK: Final = "K8S"

# --- The operator as an AKS extension (walkthrough: azurerm_kubernetes_cluster_extension) ---
OPERATOR_EXTENSION_TYPE: Final = "Anyscale.AKS.Operator"
OPERATOR_EXTENSION_NAME: Final = "anyscaleoperator"
OPERATOR_EXTENSION_RELEASE_TRAIN: Final = "stable"
#: The Azure Marketplace plan of the extension (accept its terms once per subscription).
OPERATOR_PLAN_NAME: Final = "anyscale-operator"
OPERATOR_PLAN_PRODUCT: Final = "anyscale-operator-aks"
OPERATOR_PLAN_PUBLISHER: Final = "anyscale1750870039553"
#: ``global.auth.audience`` of Azure's control plane (walkthrough; the CLI reads it from the
#: API: ``CloudController._get_azure_audience`` adds ``/.default``).
AZURE_CONTROL_PLANE_AUDIENCE: Final = "api://086bc555-6989-4362-ba30-fded273e432b/.default"

# --- Regions ----------------------------------------------------------------------------------
#: Where ``Anyscale.Platform/clouds`` is available during the preview (seed 003: "a limited set
#: of regions"; this list as a published AKS module checks it). Overridable: the list grows.
SUPPORTED_REGIONS: Final = (
    "australiaeast", "eastus", "eastus2", "northeurope", "southcentralus", "southeastasia",
    "swedencentral", "uksouth", "westcentralus", "westeurope", "westus2", "westus3",
)

# --- Identity ---------------------------------------------------------------------------------
#: The audience of a federated identity credential for Kubernetes workload identity.
FEDERATED_CREDENTIAL_AUDIENCE: Final = "api://AzureADTokenExchange"
#: ``Storage Blob Data Contributor`` (setup_k8s grants it on the account:
#: ``ba92f5b4-2d11-453d-a403-e96b0029c9fe``).
STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID: Final = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"

# --- Storage ----------------------------------------------------------------------------------
#: setup_k8s: the container Anyscale's setup creates.
DEFAULT_CONTAINER_NAME: Final = "anyscale-data"
#: ``abfss://<container>@<account>.dfs.core.windows.net`` (ADLS Gen2; setup_k8s abfssUrl).
DFS_HOST_SUFFIX: Final = "dfs.core.windows.net"
BLOB_HOST_SUFFIX: Final = "blob.core.windows.net"
MIN_TLS_VERSION: Final = "TLS1_2"

# --- AKS --------------------------------------------------------------------------------------
#: Linux node pool names: 1-12 lowercase letters and digits starting with a letter; the
#: issue's (and AKS's for Windows) stricter 8 keeps names short across both.
MAX_POOL_NAME_LENGTH: Final = 8
SPOT_PRIORITY_LABEL: Final = "kubernetes.azure.com/scalesetpriority"
SPOT_EVICTION_POLICY: Final = "Delete"

# --- Storage account (azure/storage.py) -------------------------------------------------------
#: setup_k8s: ``kind: StorageV2`` (general-purpose v2: blobs, ADLS Gen2, every redundancy).
STORAGE_ACCOUNT_KIND: Final = "StorageV2"
#: setup_k8s: ``sku: Standard_LRS``. Overridable (ZRS/GRS for more redundancy).
DEFAULT_STORAGE_SKU: Final = "Standard_LRS"
#: setup_k8s: ``accessTier: Hot`` (logs, checkpoints and snapshots are read often).
STORAGE_ACCESS_TIER: Final = "Hot"
#: setup_k8s: a generated account name is ``anyscale`` + 8 random lowercase letters/digits
#: (16 characters, inside the 3-24 limit; storage account names are global).
STORAGE_ACCOUNT_NAME_PREFIX: Final = "anyscale"
STORAGE_ACCOUNT_NAME_SUFFIX_LENGTH: Final = 8
#: ``blobServices`` has exactly one child, named ``default``.
BLOB_SERVICES_NAME: Final = "default"
#: setup_k8s: the network ACL lets everything in, Azure's trusted services bypassing it.
NETWORK_ACL_BYPASS: Final = "AzureServices"
#: Blob and container soft delete (days a deleted blob/container can be restored). Azure:
#: 1-365. On a hierarchical-namespace account soft delete protects deletes only (not
#: overwrites), and blob versioning is not available at all (Microsoft's "soft delete vs
#: versioning" page: "Versioning is not available for HNS-enabled accounts").
DEFAULT_BLOB_SOFT_DELETE_DAYS: Final = 7
DEFAULT_CONTAINER_SOFT_DELETE_DAYS: Final = 7
MAX_SOFT_DELETE_DAYS: Final = 365
#: The CORS rule's preflight cache (as on AWS and GCP; setup_k8s: ``maxAgeInSeconds: 3600``).
CORS_MAX_AGE_SECONDS: Final = 3600

# --- Operator identity (azure/identity.py) ----------------------------------------------------
#: (The credential's subject: FEDERATED_CREDENTIAL_SUBJECT; tags: MANAGED_BY_TAG, below.)
#: Name of the federated credential under the identity (unique per identity only).
DEFAULT_FEDERATED_CREDENTIAL_NAME: Final = "anyscale-operator"
#: ``/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<role guid>``
#: (setup_k8s: ``subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ...)``).
ROLE_DEFINITION_ID_FORMAT: Final = "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"
#: The role assignment's principal type: a managed identity is a service principal. Given
#: explicitly, ARM does not look the principal up, so a just-created identity (not yet
#: replicated in Entra ID) does not fail with PrincipalNotFound.
ROLE_ASSIGNMENT_PRINCIPAL_TYPE: Final = "ServicePrincipal"
#: The uuid5 namespace of our deterministic role assignment names (a fixed, made-up UUID:
#: changing it renames, i.e. replaces, every role assignment we created).
ROLE_ASSIGNMENT_NAME_NAMESPACE: Final = "6f1d4c52-2f0b-5c8e-9a53-3a1f0e6a7b21"

# --- Tags ---------------------------------------------------------------------------------------
#: Every resource we create carries this tag, so it can be found and audited (as GCP's label).
MANAGED_BY_TAG: Final = {"managed-by": "anyscale-infra"}
#: Azure tags: at most 50 per resource, names up to 512 characters (128 on storage accounts:
#: the stricter is used), values up to 256, names without ``<>%&\?/``.
MAX_TAGS: Final = 50
MAX_TAG_NAME_LENGTH: Final = 128
MAX_TAG_VALUE_LENGTH: Final = 256

# --- Network (anchor: examples/azure/aks-new_cluster/main.tf; AKS networking docs) -------------
#: The VNet of a new network: a /16, room for the node subnet and more.
DEFAULT_VNET_CIDR: Final = "10.0.0.0/16"
#: The node subnet a new network carves at the start of the VNet: a /20 (4091 usable IPs).
DEFAULT_NODE_SUBNET_PREFIX: Final = 20
#: The smallest node subnet accepted: a /24 (251 usable IPs). Every node takes a VNet IP, and
#: with flat Azure CNI every pod too (max_pods + 1 per node); a smaller subnet leaves too few
#: nodes for Anyscale's pools (and for the surge node of an upgrade).
MIN_NODE_SUBNET_PREFIX: Final = 24
#: The smallest VNet accepted: the node subnet must fit.
MIN_VNET_PREFIX: Final = MIN_NODE_SUBNET_PREFIX
#: Azure keeps 5 addresses of every subnet (network, gateway, 2 DNS, broadcast).
AZURE_RESERVED_IPS_PER_SUBNET: Final = 5
#: The node subnet's service endpoint: the nodes reach the storage account over the Azure
#: backbone (anchor: ``service_endpoints = ["Microsoft.Storage"]``).
STORAGE_SERVICE_ENDPOINT: Final = "Microsoft.Storage"
#: The anchor's node subnet name.
DEFAULT_NODE_SUBNET_NAME: Final = "aks-nodes"

# --- AKS cluster --------------------------------------------------------------------------------
#: Kubernetes minor version of a new cluster (AKS picks the latest GA patch of a minor).
DEFAULT_AKS_VERSION: Final = "1.33"
#: Pod networking of Azure CNI Overlay: pods get addresses from a private range outside the
#: VNet (a /24 per node); AKS's own default pod CIDR: a /16 is 256 nodes.
DEFAULT_POD_CIDR: Final = "10.244.0.0/16"
#: Kubernetes services: outside the default VNet (AKS's own default, 10.0.0.0/16, IS the
#: default VNet here) and the pod CIDR.
DEFAULT_SERVICE_CIDR: Final = "10.96.0.0/16"
#: CoreDNS's ClusterIP: inside the service CIDR, not its first address (AKS's ``.10`` convention).
DEFAULT_DNS_SERVICE_IP: Final = "10.96.0.10"
#: Ranges AKS refuses for the service (and pod) CIDR (AKS networking docs).
AKS_RESERVED_CIDRS: Final = ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
#: Availability zones of an AKS region; a new cluster's nodes go in all three by default
#: (setup_k8s ``_get_aks_availability_zones`` reads them back as ``--kubernetes-zones``).
AKS_ZONES: Final = ("1", "2", "3")
DEFAULT_AKS_ZONES: Final = AKS_ZONES
#: Supported regions without availability zones (pass ``zones=[]`` there).
REGIONS_WITHOUT_ZONES: Final = ("westcentralus",)
#: AKS's default and highest pods per node: 30 with flat Azure CNI, 250 with overlay.
DEFAULT_MAX_PODS_VNET: Final = 30
DEFAULT_MAX_PODS_OVERLAY: Final = 250
MIN_MAX_PODS: Final = 10
MAX_MAX_PODS: Final = 250
#: Overlay gives every node a /24 of the pod CIDR.
OVERLAY_NODE_POD_PREFIX: Final = 24
#: The system pool: its AKS name, label (the operator's nodeSelector), VM and bounds. Not
#: ``only_critical_addons``: the operator and the gateway run there.
SYSTEM_POOL_NAME: Final = "system"
SYSTEM_POOL_LABEL_KEY: Final = "node.anyscale.com/role"
SYSTEM_POOL_LABEL_VALUE: Final = "system"
#: 4 vCPUs, 16 GiB (the anchor's Standard_D2s_v5 is tight for CoreDNS, metrics, the operator and
#: the gateway together).
DEFAULT_SYSTEM_VM_SIZE: Final = "Standard_D4s_v5"
DEFAULT_SYSTEM_MIN_COUNT: Final = 1
DEFAULT_SYSTEM_MAX_COUNT: Final = 3
DEFAULT_SYSTEM_OS_DISK_SIZE_GB: Final = 128
#: Workload pools (the anchor's): scale from zero to 10 nodes; Ray images are large.
DEFAULT_CPU_VM_SIZE: Final = "Standard_D16s_v5"
DEFAULT_WORKLOAD_MIN_COUNT: Final = 0
DEFAULT_WORKLOAD_MAX_COUNT: Final = 10
DEFAULT_WORKLOAD_OS_DISK_SIZE_GB: Final = 256
#: A VM size for each GPU the chart maps on Azure (the anchor's ``gpu_pool_configs``: T4, A100,
#: and its commented A10 and H100 examples).
DEFAULT_GPU_VM_SIZES: Final = {
    "T4": "Standard_NC16as_T4_v3",
    "A10": "Standard_NV36ads_A10_v5",
    "A100": "Standard_NC24ads_A100_v4",
    "H100": "Standard_ND96isr_H100_v5",
}
#: Spot pools: Spot VMs, deleted on eviction, paid at most the on-demand price (-1); AKS adds
#: this label and taint to them itself (declared, so the pool shows no drift; the chart's
#: Azure spot patch selects the label and tolerates the taint).
SPOT_PRIORITY: Final = "Spot"
SPOT_MAX_PRICE: Final = -1
SPOT_PRIORITY_VALUE: Final = "spot"
SPOT_TAINT: Final = f"{SPOT_PRIORITY_LABEL}={SPOT_PRIORITY_VALUE}:NoSchedule"

# --- The policy pack (anyscale_infra/policy/azure/) ---------------------------------------------
#: ``Storage Blob Data Owner`` (Azure built-in roles, Storage: learn.microsoft.com/azure/
#: role-based-access-control/built-in-roles/storage): the other role that writes blob data.
STORAGE_BLOB_DATA_OWNER_ROLE_ID: Final = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
#: The built-in roles that read and write every blob where they are assigned: granted above a
#: storage account (its resource group, the subscription), they reach every account under it.
BLOB_DATA_WRITE_ROLE_IDS: Final = {
    STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID: "Storage Blob Data Contributor",
    STORAGE_BLOB_DATA_OWNER_ROLE_ID: "Storage Blob Data Owner",
}
#: The TLS versions a storage account may require at least (storage ``MinimumTlsVersion``;
#: unset, Azure's default interpretation is TLS 1.0).
MIN_TLS_VERSIONS: Final = ("TLS1_2", "TLS1_3")
#: Who a Kubernetes service account is to Entra ID under AKS workload identity: the
#: federated credential's ``subject`` (AKS workload identity docs).
FEDERATED_CREDENTIAL_SUBJECT: Final = _kc.SERVICE_ACCOUNT_SUBJECT

# --- L7 ingress on AKS: never for Anyscale (seed 000: L4 only) ----------------------------------
#: Application Gateway Ingress Controller (AGIC, Helm or the AKS add-on): its IngressClass,
#: the controller it names, the legacy ``kubernetes.io/ingress.class`` value, its annotations.
AGIC_INGRESS_CLASS: Final = "azure-application-gateway"
AGIC_INGRESS_CONTROLLER: Final = "azure/application-gateway"
AGIC_ANNOTATION_PREFIX: Final = "appgw.ingress.kubernetes.io/"
#: Application Gateway for Containers (the ALB Controller): its IngressClass and
#: GatewayClass, their controller, its annotations.
AGC_CLASS: Final = "azure-alb-external"
AGC_CONTROLLER: Final = "alb.networking.azure.io/alb-controller"
AGC_ANNOTATION_PREFIX: Final = "alb.networking.azure.io/"

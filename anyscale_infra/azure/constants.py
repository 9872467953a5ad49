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

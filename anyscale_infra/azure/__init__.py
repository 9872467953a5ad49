"""Pulumi components for an Anyscale cloud on Azure (install ``anyscale-infra[azure]``).

Azure is Kubernetes-only (seed 003): an AKS cluster running the Anyscale operator, Blob
Storage / ADLS Gen2, an Azure Load Balancer for clients, and a managed identity for the
operator; the cloud is created natively through Azure Resource Manager
(``Anyscale.Platform/clouds``) and the operator installed as the ``Anyscale.AKS.Operator``
extension. The pure modules (``constants``, ``validation``, the registration bodies) import
no SDK; the components load ``pulumi_azure_native``'s modules on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "AnyscaleResourceGroup": "resource_group",
    "AnyscaleResourceGroupArgs": "resource_group",
    "AnyscaleAzureNetwork": "network",
    "AnyscaleAzureNetworkArgs": "network",
    "AnyscaleAksCluster": "aks",
    "AnyscaleAksClusterArgs": "aks",
    "AksNodePoolArgs": "aks",
    "AksSystemPoolArgs": "aks",
    "AksPodNetworking": "aks",
    "AksNetworkPolicy": "aks",
    "AksSkuTier": "aks",
    "AnyscaleAzureStorage": "storage",
    "AnyscaleAzureStorageArgs": "storage",
    "StorageSku": "storage",
    "AnyscaleAksOperatorIdentity": "identity",
    "AnyscaleAksOperatorIdentityArgs": "identity",
    "AnyscaleAzureRegistration": "registration",
    "AnyscaleAzureRegistrationArgs": "registration",
    "AzureK8sRegisterArgs": "register",
    "AnyscaleAzureCloud": "cloud",
    "AnyscaleAzureCloudArgs": "cloud",
    "AzureRegistration": "cloud",
    "PrincipalId": "ids",
    "ClientId": "ids",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

"""Pulumi components for an Anyscale cloud on Google Cloud (install ``anyscale-infra[gcp]``).

One component per concern — APIs, network, firewall policy, Cloud Storage bucket,
Filestore, Memorystore, identity (workload identity federation and service accounts) —
plus :class:`AnyscaleGcpCloud` composing them all. The components import ``pulumi_gcp``,
never an AWS or Azure SDK. The GKE cloud (:class:`AnyscaleGkeCloud`: the cluster
:class:`AnyscaleGkeCluster`, the operator's identity :class:`AnyscaleGkeOperatorIdentity`)
reuses these parts and adds the cloud-neutral ``anyscale_infra.kubernetes`` operator, the
one place this package imports ``pulumi_kubernetes``.

The pure modules of this package (``constants``, ``validation``, ``register``, the IAM and
role builders) import no cloud SDK: the component classes below are loaded on first use
(PEP 562), not when ``anyscale_infra.gcp`` is imported.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> the module that defines it.
_EXPORTS = {
    "AnyscaleGcpApis": "apis",
    "AnyscaleGcpApisArgs": "apis",
    "AnyscaleGcpNetwork": "network",
    "AnyscaleGcpNetworkArgs": "network",
    "AnyscaleGcpFirewall": "firewall",
    "AnyscaleGcpFirewallArgs": "firewall",
    "AnyscaleGcsBucket": "storage",
    "AnyscaleGcsBucketArgs": "storage",
    "AnyscaleFilestore": "filestore",
    "AnyscaleFilestoreArgs": "filestore",
    "FilestoreTier": "filestore",
    "AnyscaleMemorystore": "memorystore",
    "AnyscaleMemorystoreArgs": "memorystore",
    "AnyscaleGcpIdentity": "identity",
    "AnyscaleGcpIdentityArgs": "identity",
    "AnyscaleGcpCloud": "cloud",
    "AnyscaleGcpCloudArgs": "cloud",
    "GcpRegisterArgs": "register",
    "GcpK8sRegisterArgs": "register",
    "NetworkingMode": "network",
    # GKE (issue 12): the cluster, the operator's identity and the composite.
    "AnyscaleGkeCluster": "gke",
    "AnyscaleGkeClusterArgs": "gke",
    "GkeNodePoolArgs": "gke",
    "GkeSystemPoolArgs": "gke",
    "GpuDriverVersion": "gke",
    "ReleaseChannel": "gke",
    "AnyscaleGkeOperatorIdentity": "operator_identity",
    "AnyscaleGkeOperatorIdentityArgs": "operator_identity",
    "AnyscaleGkeCloud": "gke_cloud",
    "AnyscaleGkeCloudArgs": "gke_cloud",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

"""The Anyscale operator on any Kubernetes cluster (install ``anyscale-infra[kubernetes]``).

Cloud-neutral: :class:`AnyscaleOperator` (namespace, ingress, the ``anyscale-operator``
helm release) works on EKS, GKE, AKS or any cluster given a ``kubernetes.Provider``; the
EKS and GKE clouds (``anyscale_infra.aws.AnyscaleEksCloud``, ``anyscale_infra.gcp.
AnyscaleGkeCloud``) and Azure compose it. The pure modules (``constants``, ``validation``,
``node_pools``, ``values``, ``load_balancer``, ``register``) import no SDK; the components
below are loaded on first use (PEP 562).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AnyscaleOperator": "operator",
    "AnyscaleOperatorArgs": "operator",
    "AnyscaleGateway": "ingress",
    "AnyscaleGatewayArgs": "ingress",
    "IngressMode": "load_balancer",
    "LoadBalancerScheme": "load_balancer",
    "load_balancer_annotations": "load_balancer",
    "CloudProvider": "values",
    "OperatorValuesArgs": "values",
    "operator_values": "values",
    "CapacityType": "node_pools",
    "node_pool_spec": "node_pools",
    "KubernetesRegisterArgs": "register",
    "GenericK8sRegisterArgs": "register",
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

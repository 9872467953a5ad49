"""The L4 load balancer in front of the operator's routing, as plain values.

Seed 000: clients reach head nodes through an L4 load balancer and the operator manages
routing. So the Service in front of the gateway (or the legacy ingress-nginx) is a
``LoadBalancer`` with each cloud's L4 annotations: an NLB on AWS (``internet-facing`` or
``internal``; never an ALB), an External or Internal passthrough load balancer on GCP, an
Azure Load Balancer with the health-probe path the chart's comments and ``setup_k8s`` set.
Public or internal follows the cloud's networking mode.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional

from anyscale_infra.kubernetes import constants as c


class IngressMode(str, Enum):
    """How clients reach head nodes."""

    GATEWAY = "gateway"
    """Default: a Gateway API gateway we install (Envoy Gateway, pinned), behind an L4 load
    balancer; the operator creates HTTPRoutes on it (``networking.gateway.*``)."""
    EXISTING_GATEWAY = "existing-gateway"
    """Your own Gateway API gateway (name, namespace, address): nothing installed."""
    INGRESS_CLASS = "ingress-class"
    """Your own ingress controller: the operator creates Ingresses of your class."""
    BUNDLED_NGINX = "bundled-nginx"
    """LEGACY: the chart's bundled ingress-nginx. The community ingress-nginx controller
    reached end of maintenance in March 2026 (no more security fixes); choose it only to
    keep an existing install, and plan the move to the gateway."""


class LoadBalancerScheme(str, Enum):
    """Where the load balancer's address lives."""

    PUBLIC = "public"
    """An internet-facing address (direct networking)."""
    INTERNAL = "internal"
    """An address inside the VPC/VNet only (private networking: reach it over VPN/peering)."""


#: Why BUNDLED_NGINX warns.
NGINX_LEGACY_WARNING = (
    "ingress: bundled-nginx installs the community ingress-nginx controller, which reached end of "
    "maintenance in March 2026 (no more security fixes); prefer the default gateway (Gateway API, "
    "Envoy Gateway) or your own ingress class"
)


def load_balancer_annotations(
    provider: str, scheme: LoadBalancerScheme, *, dns_label: Optional[str] = None
) -> dict[str, str]:
    """The Service annotations that make the cloud's L4 load balancer.

    >>> load_balancer_annotations("gcp", LoadBalancerScheme.INTERNAL)
    {'cloud.google.com/load-balancer-type': 'Internal'}
    """
    scheme = LoadBalancerScheme(scheme)
    public = scheme is LoadBalancerScheme.PUBLIC
    if provider == "aws":
        annotations = {
            c.AWS_LB_TYPE: c.AWS_LB_NLB,
            c.AWS_LB_SCHEME: c.AWS_LB_INTERNET_FACING if public else c.AWS_LB_INTERNAL,
            c.AWS_LB_CROSS_ZONE: "true",
        }
        if not public:
            # The in-tree controller ignores the scheme annotation: without this, "internal"
            # would still be internet-facing on a cluster without the Load Balancer Controller.
            annotations[c.AWS_LB_INTERNAL_ANNOTATION] = "true"
        return annotations
    if provider == "gcp":
        return {c.GCP_LB_TYPE: c.GCP_LB_EXTERNAL if public else c.GCP_LB_INTERNAL}
    if provider == "azure":
        annotations = {c.AZURE_LB_HEALTH_PROBE_PATH: c.AZURE_HEALTH_PROBE_PATH}
        if not public:
            annotations[c.AZURE_LB_INTERNAL] = "true"
        if dns_label:
            annotations[c.AZURE_LB_DNS_LABEL] = dns_label
        return annotations
    # A generic cluster: the load balancer is whatever its LoadBalancer Services get.
    return {}

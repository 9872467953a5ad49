"""``AnyscaleGateway``: the default ingress, a Gateway API gateway behind an L4 load balancer.

Seed 000: clients reach head nodes through an L4 load balancer; the operator manages the
routing (``networking.gateway.*``: it creates HTTPRoutes on the gateway). The community
ingress-nginx controller reached end of maintenance in March 2026, and Anyscale's newer
examples moved to the Gateway API, so the default here is Envoy Gateway (its chart pinned
as :data:`~anyscale_infra.kubernetes.constants.ENVOY_GATEWAY_CHART_VERSION`, overridable):
the controller, an ``EnvoyProxy`` that gives the gateway's Service the cloud's L4
annotations (:func:`~anyscale_infra.kubernetes.load_balancer.load_balancer_annotations`),
a ``GatewayClass`` using it, and the ``Gateway`` the operator's values name.

The specs are plain functions (:func:`envoy_proxy_spec`, :func:`gateway_class_spec`,
:func:`gateway_spec`); the component wires them to resources.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Optional

import pulumi
import pulumi_kubernetes as k8s
from pydantic import field_validator

from anyscale_infra._component import child, hand_on_depends_on, type_token
from anyscale_infra.kubernetes import constants as c
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.kubernetes.load_balancer import (  # noqa: F401 - re-exported: the ingress choices live here for users
    NGINX_LEGACY_WARNING,
    IngressMode,
    LoadBalancerScheme,
    load_balancer_annotations,
)
from anyscale_infra.models import ArgsModel, StrInput

_SAME_NAMESPACE = {"namespaces": {"from": "Same"}}
#: The listener every gateway has (routes from the gateway's namespace: the operator's).
HTTP_LISTENER: dict[str, Any] = {"name": "http", "protocol": "HTTP", "port": c.GATEWAY_LISTENER_PORTS["http"], "allowedRoutes": _SAME_NAMESPACE}
DEFAULT_LISTENERS: tuple[dict[str, Any], ...] = (HTTP_LISTENER,)


def certificate_secret_name(cloud_deployment_id: str) -> str:
    """The secret Anyscale writes the ingress certificate to (seed 000), in the operator's
    namespace: ``anyscale-cldrsrc-<id>-certificate``."""
    return c.CERTIFICATE_SECRET_TEMPLATE.format(deployment=cloud_deployment_id.replace("_", "-"))


def gateway_listeners(cloud_deployment_id: Optional[str], user_data_domain: str = c.USER_DATA_DOMAIN) -> tuple[dict[str, Any], ...]:
    """HTTP, and once the cloud is registered, HTTPS for head nodes (``*.i.<domain>``) and
    services (``*.s.<domain>``) terminating TLS with Anyscale's certificate (seed 000: "the
    ingress controller terminates TLS and forwards the traffic to port 80 of the head pod").
    Before registration there is no certificate to name, so only HTTP (an update, later)."""
    if cloud_deployment_id is None:
        return DEFAULT_LISTENERS
    tls = {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": certificate_secret_name(cloud_deployment_id)}]}
    https = c.GATEWAY_LISTENER_PORTS["https"]
    return (
        HTTP_LISTENER,
        {"name": "https", "protocol": "HTTPS", "port": https, "hostname": f"*.i.{user_data_domain}", "tls": tls,
         "allowedRoutes": _SAME_NAMESPACE},
        {"name": "https-session", "protocol": "HTTPS", "port": https, "hostname": f"*.s.{user_data_domain}", "tls": tls,
         "allowedRoutes": _SAME_NAMESPACE},
    )


def envoy_proxy_spec(annotations: dict[str, str]) -> dict[str, Any]:
    """The EnvoyProxy spec: the gateway's Service is a LoadBalancer with these annotations."""
    service: dict[str, Any] = {"type": "LoadBalancer"}
    if annotations:
        service["annotations"] = dict(annotations)
    return {"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": service}}}


def gateway_class_spec(envoy_proxy_name: str, envoy_proxy_namespace: str) -> dict[str, Any]:
    """A GatewayClass served by Envoy Gateway, parameterised by our EnvoyProxy."""
    return {
        "controllerName": c.ENVOY_GATEWAY_CONTROLLER,
        "parametersRef": {
            "group": "gateway.envoyproxy.io",
            "kind": "EnvoyProxy",
            "name": envoy_proxy_name,
            "namespace": envoy_proxy_namespace,
        },
    }


def gateway_address(value: str) -> dict[str, str]:
    """A Gateway ``spec.addresses`` entry: an IP (a reserved static address) or a hostname."""
    try:
        ipaddress.ip_address(value)
        return {"type": "IPAddress", "value": value}
    except ValueError:
        return {"type": "Hostname", "value": value}


def gateway_spec(
    class_name: str, listeners: tuple[dict[str, Any], ...] = DEFAULT_LISTENERS, address: Optional[str] = None
) -> dict[str, Any]:
    """The Gateway the operator routes through; ``address`` pins its load balancer's address."""
    spec: dict[str, Any] = {"gatewayClassName": class_name, "listeners": [dict(item) for item in listeners]}
    if address:
        spec["addresses"] = [gateway_address(address)]
    return spec


class AnyscaleGatewayArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGateway`."""

    cloud_provider: str = "generic"
    """aws, gcp, azure or generic: which L4 annotations the load balancer gets. Defaults to
    generic (none: whatever the cluster's LoadBalancer Services get)."""
    namespace: str = c.DEFAULT_NAMESPACE
    """Where the Gateway lives: the operator's namespace, so its HTTPRoutes attach without
    ReferenceGrants. Defaults to ``anyscale-operator``; it must exist (the operator creates it)."""
    load_balancer: LoadBalancerScheme = LoadBalancerScheme.PUBLIC
    """Public or internal load balancer. Defaults to public (direct networking)."""
    address: Optional[StrInput] = None
    """A reserved address for the load balancer (GCP static IP, ...). Optional."""
    azure_dns_label: Optional[StrInput] = None
    """Azure: a DNS label for the public address (``<label>.<region>.cloudapp.azure.com``);
    may be an output (e.g. from the cloud resource id)."""
    gateway_name: str = c.DEFAULT_GATEWAY_NAME
    """The Gateway's name (``networking.gateway.name``). Defaults to ``anyscale-gateway``."""
    gateway_class_name: str = c.DEFAULT_GATEWAY_CLASS
    """The GatewayClass's name. Defaults to ``anyscale-envoy``."""
    cloud_deployment_id: Optional[StrInput] = None
    """The cloud resource id (``cldrsrc_...``, or an output of one: native registration on
    Azure): names the certificate the HTTPS listeners terminate TLS with. None (before
    registration): HTTP only. Optional."""
    user_data_domain: str = c.USER_DATA_DOMAIN
    """The domain of Anyscale's head-node and service names (``anyscaleuserdata.com``;
    ``azure.anyscaleuserdata.com`` on Azure's control plane)."""
    listeners: Optional[tuple[dict[str, Any], ...]] = None
    """The Gateway's listeners. Defaults to :func:`gateway_listeners` (HTTP, and HTTPS for
    ``*.i.`` and ``*.s.`` once the cloud is registered)."""
    install_envoy_gateway: bool = True
    """Install Envoy Gateway (and the Gateway API CRDs it ships). Set False when the cluster
    already runs it. Defaults to True."""
    envoy_gateway_chart_version: str = c.ENVOY_GATEWAY_CHART_VERSION
    """Envoy Gateway's chart version. Defaults to the pinned one."""
    envoy_gateway_namespace: str = c.ENVOY_GATEWAY_NAMESPACE
    """Envoy Gateway's namespace. Defaults to ``envoy-gateway-system``."""

    @field_validator("cloud_provider")
    @classmethod
    def _provider(cls, value: str) -> str:
        if value not in c.CLOUD_PROVIDERS:
            raise ValueError(f"{value!r} is not one of {', '.join(c.CLOUD_PROVIDERS)}")
        return value

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return kv.check_cloud_deployment_id(value) if isinstance(value, str) else value

    def gateway_listeners(self, cloud_deployment_id: Optional[str]) -> tuple[dict[str, Any], ...]:
        """The listeners for the (resolved) deployment id."""
        return self.listeners if self.listeners is not None else gateway_listeners(cloud_deployment_id, self.user_data_domain)

    @field_validator("envoy_gateway_chart_version")
    @classmethod
    def _version(cls, value: str) -> str:
        return kv.check_chart_version(value)

    @field_validator("namespace", "envoy_gateway_namespace", "gateway_name", "gateway_class_name")
    @classmethod
    def _names(cls, value: str) -> str:
        return kv.check_namespace(value)


class AnyscaleGateway(pulumi.ComponentResource):
    """Envoy Gateway, its EnvoyProxy (the L4 load balancer's annotations), a GatewayClass and
    the Gateway the operator routes through."""

    gateway_name: pulumi.Output[str]
    gateway_namespace: pulumi.Output[str]
    address: pulumi.Output[Optional[str]]
    """The load balancer's address when reserved up front (else the operator reads the
    Gateway's status)."""
    annotations: pulumi.Output[dict]

    def __init__(self, name: str, args: AnyscaleGatewayArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(type_token("AnyscaleGateway"), name, None, opts)
        # Pulumi hands children the provider, not depends_on (e.g. a new cluster's node pools).
        hand_on_depends_on(self, opts)
        annotations = pulumi.Output.from_input(args.azure_dns_label).apply(
            lambda label: load_balancer_annotations(args.cloud_provider, args.load_balancer, dns_label=label)
        )
        depends: list[pulumi.Resource] = []
        if args.install_envoy_gateway:
            controller = k8s.helm.v3.Release(
                f"{name}-envoy-gateway",
                name="envoy-gateway",
                chart=c.ENVOY_GATEWAY_CHART,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=c.ENVOY_GATEWAY_CHART_REPOSITORY),
                version=args.envoy_gateway_chart_version,
                namespace=args.envoy_gateway_namespace,
                create_namespace=True,
                opts=child(self),
            )
            depends.append(controller)
        proxy_name = f"{args.gateway_class_name}-proxy"
        proxy = k8s.apiextensions.CustomResource(
            f"{name}-envoy-proxy",
            api_version=c.ENVOY_PROXY_API_VERSION,
            kind="EnvoyProxy",
            metadata={"name": proxy_name, "namespace": args.envoy_gateway_namespace},
            spec=annotations.apply(envoy_proxy_spec),
            opts=child(self, depends_on=list(depends)),
        )
        gateway_class = k8s.apiextensions.CustomResource(
            f"{name}-class",
            api_version=c.GATEWAY_API_VERSION,
            kind="GatewayClass",
            metadata={"name": args.gateway_class_name},
            spec=gateway_class_spec(proxy_name, args.envoy_gateway_namespace),
            opts=child(self, depends_on=[*depends, proxy]),
        )
        address = pulumi.Output.from_input(args.address) if args.address is not None else pulumi.Output.from_input(None)
        gateway = k8s.apiextensions.CustomResource(
            f"{name}-gateway",
            api_version=c.GATEWAY_API_VERSION,
            kind="Gateway",
            metadata={"name": args.gateway_name, "namespace": args.namespace},
            spec=pulumi.Output.all(address, pulumi.Output.from_input(args.cloud_deployment_id)).apply(
                lambda v: gateway_spec(args.gateway_class_name, args.gateway_listeners(v[1]), v[0])
            ),
            opts=child(self, depends_on=[gateway_class]),
        )
        self.gateway_name = pulumi.Output.from_input(args.gateway_name)
        self.gateway_namespace = pulumi.Output.from_input(args.namespace)
        self.address = address
        self.annotations = annotations
        self.gateway = gateway
        self.register_outputs(
            {"gateway_name": self.gateway_name, "gateway_namespace": self.gateway_namespace, "address": self.address}
        )

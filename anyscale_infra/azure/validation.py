"""Validators for Azure names and ids: plain functions raising ValueError with a sentence."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Optional

from anyscale_infra.azure import constants as c
from anyscale_infra.errors import FieldProblem
from anyscale_infra.validation import check_cloud_name, duplicates  # noqa: F401 - re-exported

_STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
# Blob containers: 3-63 lowercase letters, digits and single hyphens, starting and ending
# with a letter or digit.
_CONTAINER = re.compile(r"^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")
_POOL = re.compile(r"^[a-z][a-z0-9]*$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RESOURCE_GROUP = re.compile(r"^[-\w._()]{1,90}$")
_REGION = re.compile(r"^[a-z]+[a-z0-9]*$")


def check_storage_account_name(value: str) -> str:
    if not isinstance(value, str) or not _STORAGE_ACCOUNT.match(value):
        raise ValueError(
            f"storage account name {value!r} must be 3 to 24 lowercase letters and digits (no hyphens); "
            "it is global: unique across Azure"
        )
    return value


def check_container_name(value: str) -> str:
    if not isinstance(value, str) or not _CONTAINER.match(value):
        raise ValueError(
            f"container name {value!r} must be 3 to 63 lowercase letters, digits and single hyphens, "
            "starting and ending with a letter or digit"
        )
    return value


def check_pool_name(value: str) -> str:
    if not isinstance(value, str) or not _POOL.match(value) or len(value) > c.MAX_POOL_NAME_LENGTH:
        raise ValueError(
            f"node pool name {value!r} must be 1 to {c.MAX_POOL_NAME_LENGTH} lowercase letters and digits, "
            "starting with a letter (AKS Linux pool names)"
        )
    return value


def check_guid(value: str, what: str) -> str:
    if not isinstance(value, str) or not _GUID.match(value):
        raise ValueError(f"{what} {value!r} is not a GUID like 00000000-0000-0000-0000-000000000000")
    return value


def check_resource_group_name(value: str) -> str:
    if not isinstance(value, str) or not _RESOURCE_GROUP.match(value) or value.endswith("."):
        raise ValueError(
            f"resource group name {value!r} must be 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'"
        )
    return value


def check_region_name(value: str) -> str:
    """An Azure region's name (``eastus2``, not ``East US 2``): any region, supported or not."""
    if not isinstance(value, str) or not _REGION.match(value):
        raise ValueError(f"{value!r} is not an Azure region name like eastus2 (lowercase, no spaces)")
    return value


def check_supported_regions(value: list[str]) -> list[str]:
    """A ``supported_regions`` override: at least one region, each a region name."""
    if not value:
        raise ValueError("needs at least one region")
    for region in value:
        check_region_name(region)
    return value


def region_problems(location: Optional[str], supported: Iterable[str]) -> list[FieldProblem]:
    """``location`` (when given) as a problem of the ``location`` field, for a model's own rules."""
    if location is None:
        return []
    try:
        check_region(location, supported)
    except ValueError as exc:
        return [FieldProblem("location", str(exc))]
    return []


def check_region(value: str, supported: Iterable[str] = c.SUPPORTED_REGIONS) -> str:
    """An Azure region name (``eastus2``, not ``East US 2``) where Anyscale clouds are available."""
    check_region_name(value)
    supported = tuple(supported)
    if value not in supported:
        raise ValueError(
            f"Anyscale.Platform/clouds is not available in {value} (seed 003: a limited set of regions during the "
            f"preview: {', '.join(supported)})"
        )
    return value


def check_resource_id(value: str, kind: str) -> str:
    """An ARM id of ``kind`` (e.g. ``Microsoft.ContainerService/managedClusters``)."""
    pattern = rf"^/subscriptions/[0-9a-fA-F-]{{36}}/resourceGroups/[^/]+/providers/{re.escape(kind)}/[^/]+$"
    if not isinstance(value, str) or not re.match(pattern, value, flags=re.IGNORECASE):
        raise ValueError(
            f"{value!r} is not a {kind} resource id like /subscriptions/<id>/resourceGroups/<group>/providers/{kind}/<name>"
        )
    return value


# --- Storage and identity (azure/storage.py, azure/identity.py) -------------------------------
# (Subnet ids and tags: check_subnet_id and check_tags, in the network section below.)
# User-assigned identities: 3-128 letters, digits, '-' and '_', starting with a letter or digit.
_IDENTITY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$")
# Federated identity credentials: 3-120 letters, digits, '-' and '_', starting with a letter or digit.
_FEDERATED_CREDENTIAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$")


def check_location_name(value: str) -> str:
    """An Azure location name (``eastus2``, not ``East US 2``); any region, not only the
    ones where Anyscale clouds are (storage and identities exist everywhere)."""
    if not isinstance(value, str) or not _REGION.match(value):
        raise ValueError(f"{value!r} is not an Azure location name like eastus2 (lowercase letters and digits)")
    return value


def check_identity_name(value: str) -> str:
    if not isinstance(value, str) or not _IDENTITY.match(value):
        raise ValueError(
            f"managed identity name {value!r} must be 3 to 128 letters, digits, '-' and '_', starting with a letter or digit"
        )
    return value


def check_federated_credential_name(value: str) -> str:
    if not isinstance(value, str) or not _FEDERATED_CREDENTIAL.match(value):
        raise ValueError(
            f"federated credential name {value!r} must be 3 to 120 letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )
    return value


def check_oidc_issuer_url(value: str) -> str:
    """The cluster's OIDC issuer: an https URL, kept exactly (a federated credential's issuer
    must equal the token's ``iss``, trailing slash included: AKS's ends with ``/``)."""
    if not isinstance(value, str) or not value.startswith("https://") or len(value) <= len("https://") or " " in value:
        raise ValueError(f"OIDC issuer {value!r} must be an https:// URL (the AKS cluster's oidcIssuerProfile.issuerURL)")
    return value


def check_storage_ip_rule(value: str) -> str:
    """A storage firewall IP rule: a public IPv4 address, or a public range of at most /30
    (Azure Storage refuses /31 and /32 ranges, private ranges and IPv6)."""
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except (ValueError, TypeError):
        raise ValueError(f"{value!r} is not an IPv4 address or CIDR range like 203.0.113.0/24") from None
    if "/" in value and network.prefixlen > 30:
        raise ValueError(f"{value!r}: Azure Storage takes ranges up to /30; give a single address without a prefix")
    if is_private_range(network):
        raise ValueError(f"{value!r} is a private range; storage IP rules only apply to public addresses")
    return value


# --- Tags, names and ids of the network and AKS components (issue 13) -----------------------
_TAG_NAME_FORBIDDEN = set('<>%&\\?/')
# AKS managed clusters: 1-63 letters, digits, '_' and '-', starting and ending with a letter or digit.
_AKS_CLUSTER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")
# AKS DNS prefix: 1-54 letters, digits and '-', starting and ending with a letter or digit.
_DNS_PREFIX = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,52}[A-Za-z0-9])?$")
# VNets and subnets: 1-80 letters, digits, '_', '.' and '-', starting with a letter or digit
# and ending with a letter, digit or '_'.
_NETWORK_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$")
_K8S_MINOR = re.compile(r"^1\.\d{2}$")
_SUBNET_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[0-9a-fA-F-]{36})/resourceGroups/(?P<resource_group>[^/]+)"
    r"/providers/Microsoft\.Network/virtualNetworks/(?P<vnet>[^/]+)/subnets/(?P<subnet>[^/]+)$",
    flags=re.IGNORECASE,
)
_RESOURCE_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[0-9a-fA-F-]{36})/resourceGroups/(?P<resource_group>[^/]+)"
    r"/providers/(?P<namespace>[^/]+)/(?P<type>[^/]+)/(?P<name>[^/]+)$",
    flags=re.IGNORECASE,
)
_PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


def check_tags(tags: dict[str, str]) -> dict[str, str]:
    """Azure tags: at most 50, names of 1-128 characters without ``<>%&\\?/``, values up to 256."""
    if len(tags) > c.MAX_TAGS:
        raise ValueError(f"has {len(tags)} tags; Azure allows {c.MAX_TAGS} per resource")
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= c.MAX_TAG_NAME_LENGTH or _TAG_NAME_FORBIDDEN & set(key):
            raise ValueError(
                f"tag name {key!r} must be 1 to {c.MAX_TAG_NAME_LENGTH} characters without any of < > % & \\ ? /"
            )
        if not isinstance(value, str) or len(value) > c.MAX_TAG_VALUE_LENGTH:
            raise ValueError(f"tag {key!r} value must be a string of at most {c.MAX_TAG_VALUE_LENGTH} characters")
    return tags


def check_aks_cluster_name(value: str) -> str:
    if not isinstance(value, str) or not _AKS_CLUSTER.match(value):
        raise ValueError(
            f"AKS cluster name {value!r} must be 1 to 63 letters, digits, '_' and '-', starting and ending with a letter or digit"
        )
    return value


def check_dns_prefix(value: str) -> str:
    if not isinstance(value, str) or not _DNS_PREFIX.match(value):
        raise ValueError(
            f"DNS prefix {value!r} must be 1 to 54 letters, digits and '-', starting and ending with a letter or digit"
        )
    return value


def check_network_name(value: str, what: str) -> str:
    """A VNet or subnet name."""
    if not isinstance(value, str) or not _NETWORK_NAME.match(value):
        raise ValueError(
            f"{what} {value!r} must be 1 to 80 letters, digits, '_', '.' and '-', starting with a letter or digit "
            "and ending with a letter, digit or '_'"
        )
    return value


def check_kubernetes_version(value: str) -> str:
    """A Kubernetes minor version (``1.33``): AKS picks its latest GA patch."""
    if not isinstance(value, str) or not _K8S_MINOR.match(value):
        raise ValueError(f"{value!r} is not a Kubernetes minor version like {c.DEFAULT_AKS_VERSION}")
    return value


def check_subnet_id(value: str) -> str:
    """A subnet's ARM id: ``.../providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>``."""
    if not isinstance(value, str) or not _SUBNET_ID.match(value):
        raise ValueError(
            f"{value!r} is not a subnet resource id like /subscriptions/<id>/resourceGroups/<group>/providers/"
            "Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>"
        )
    return value


def resource_id_parts(value: str) -> dict[str, str]:
    """The parts of a resource id checked by :func:`check_resource_id` or :func:`check_subnet_id`:
    ``subscription``, ``resource_group``, ``name`` (and ``vnet`` for a subnet)."""
    subnet = _SUBNET_ID.match(value)
    if subnet:
        parts = subnet.groupdict()
        return {"subscription": parts["subscription"], "resource_group": parts["resource_group"], "vnet": parts["vnet"], "name": parts["subnet"]}
    found = _RESOURCE_ID.match(value)
    if not found:
        raise ValueError(f"{value!r} is not an Azure resource id")
    parts = found.groupdict()
    return {"subscription": parts["subscription"], "resource_group": parts["resource_group"], "name": parts["name"]}


def check_zones(value: Iterable[str]) -> list[str]:
    """AKS availability zones: some of ``1``, ``2``, ``3``, each once (sorted)."""
    zones = list(value)
    for zone in zones:
        if zone not in c.AKS_ZONES:
            raise ValueError(f"zone {zone!r} is not an Azure availability zone ({', '.join(c.AKS_ZONES)})")
    if dups := duplicates(zones):
        raise ValueError(f"lists zone {', '.join(dups)} more than once")
    return sorted(zones)


def is_private_range(network: ipaddress.IPv4Network) -> bool:
    """Inside RFC 1918 or the shared address space (100.64.0.0/10)."""
    return any(network.subnet_of(private) for private in _PRIVATE_RANGES)


def address_space_problems(
    *,
    vnet_cidr: str | None = None,
    node_subnet_cidr: str | None = None,
    service_cidr: str | None = None,
    dns_service_ip: str | None = None,
    pod_cidr: str | None = None,
) -> list[tuple[str, str]]:
    """The rules across an AKS cluster's address ranges, on plain (already valid) CIDRs:
    the node subnet inside the VNet and at least a /24; the service and pod CIDRs outside the
    VNet, apart from each other and from AKS's reserved ranges; the DNS service IP inside the
    service CIDR and not one of its first two addresses. Returns ``(role, sentence)`` pairs,
    ``role`` one of the argument names, for the caller to name its own field."""
    problems: list[tuple[str, str]] = []
    nets = {
        role: ipaddress.IPv4Network(cidr)
        for role, cidr in (("vnet_cidr", vnet_cidr), ("node_subnet_cidr", node_subnet_cidr), ("service_cidr", service_cidr), ("pod_cidr", pod_cidr))
        if cidr is not None
    }
    vnet, subnet = nets.get("vnet_cidr"), nets.get("node_subnet_cidr")
    if vnet is not None and vnet.prefixlen > c.MIN_VNET_PREFIX:
        problems.append(("vnet_cidr", f"{vnet} is smaller than a /{c.MIN_VNET_PREFIX}: the node subnet (at least a /{c.MIN_NODE_SUBNET_PREFIX}) must fit"))
    if subnet is not None:
        if subnet.prefixlen > c.MIN_NODE_SUBNET_PREFIX:
            problems.append((
                "node_subnet_cidr",
                f"{subnet} is smaller than a /{c.MIN_NODE_SUBNET_PREFIX}: every node takes a VNet IP (and with flat "
                "Azure CNI every pod too), and Azure keeps 5 per subnet",
            ))
        if vnet is not None and not subnet.subnet_of(vnet):
            problems.append(("node_subnet_cidr", f"{subnet} is outside the VNet {vnet}"))
    node_space = [(label, net) for label, net in (("the VNet", vnet), ("the node subnet", subnet)) if net is not None]
    reserved = [ipaddress.IPv4Network(r) for r in c.AKS_RESERVED_CIDRS]
    for role, what in (("service_cidr", "service CIDR"), ("pod_cidr", "pod CIDR")):
        net = nets.get(role)
        if net is None:
            continue
        clash = next((f"{label} {other}" for label, other in node_space if net.overlaps(other)), None)
        if clash:
            problems.append((role, f"{what} {net} overlaps {clash}: Kubernetes {what.split()[0]} addresses must not be VNet addresses"))
        if hit := next((r for r in reserved if net.overlaps(r)), None):
            problems.append((role, f"{what} {net} overlaps {hit}, which AKS reserves"))
    service, pod = nets.get("service_cidr"), nets.get("pod_cidr")
    if service is not None and pod is not None and service.overlaps(pod):
        problems.append(("service_cidr", f"service CIDR {service} overlaps the pod CIDR {pod}"))
    if dns_service_ip is not None and service is not None:
        ip = ipaddress.IPv4Address(dns_service_ip)
        if ip not in service:
            problems.append(("dns_service_ip", f"{ip} is outside the service CIDR {service}"))
        elif ip in (service.network_address, service.network_address + 1) or ip == service.broadcast_address:
            problems.append((
                "dns_service_ip",
                f"{ip} is the network, broadcast or first address of {service} (the kubernetes API service takes the first); "
                f"use e.g. {service.network_address + 10}",
            ))
    return problems

"""The AKS cluster an Anyscale cloud on Azure runs on: new (OIDC issuer, workload identity,
Azure CNI, Anyscale's node pools) or an existing one.

A new cluster (the anchor's ``examples/azure/aks-new_cluster/aks.tf``, with its slips fixed):

* **OIDC issuer and workload identity on** (``oidc_issuer_profile.enabled``,
  ``security_profile.workload_identity.enabled``): the operator's managed identity trusts
  the cluster's issuer for its service account (a federated credential), and the CLI refuses
  a cluster without an issuer (setup_k8s ``_discover_azure_cluster``).
* **Azure CNI**: overlay by default (:attr:`AksPodNetworking.OVERLAY`: nodes take subnet IPs,
  pods a /24 per node of ``pod_cidr``, outside the VNet), or flat (:attr:`AksPodNetworking.VNET`:
  every pod a VNet IP of the node subnet, ``max_pods`` + 1 per node). Service CIDR and DNS
  service IP default outside the default VNet (AKS's own default service CIDR, 10.0.0.0/16,
  IS the default VNet) and every range is checked against the others before any resource.
* A system-assigned identity, RBAC on, Kubernetes :data:`~anyscale_infra.azure.constants.
  DEFAULT_AKS_VERSION`, the API server public (direct networking) or private
  (``enable_private_cluster``, private networking), nodes in ``zones`` (default 1, 2, 3; the
  CLI reads them back from the pools as ``--kubernetes-zones``: setup_k8s
  ``_get_aks_availability_zones``). The cluster is protected by default.
* **The system pool** inline in ``agent_pool_profiles`` (mode System, named ``system``, 1-3
  nodes, label ``node.anyscale.com/role=system``, *not* ``only_critical_addons``: the operator
  and the gateway run there).
* **Workload pools** as separate ``AgentPool`` resources (CPU on-demand and spot by default,
  GPU pools on request), autoscaled from 0, their labels and taints the chart's contract
  (:func:`~anyscale_infra.kubernetes.node_pools.node_pool_spec` with ``"azure"``). Spot pools
  are Spot VMs (``Delete`` on eviction, up to the on-demand price) and declare the label and
  taint AKS puts on them (``kubernetes.azure.com/scalesetpriority=spot``), which the chart's
  Azure spot patch selects and tolerates; declared, the pool shows no drift. Pool names are
  the AKS rule the issue sets (at most 8 lowercase letters and digits); the anchor's
  ``cpu16spot`` and ``<gpu>spot`` names break it.

Anchor slips fixed: it gives on-demand CPU pools no capacity-type label, spreads no pool over
zones (so ``--kubernetes-zones`` is empty), and leaves AKS's default service CIDR next to its
VNet only by choosing a 10.42 VNet.

An existing cluster (``existing_cluster_id``; the anchor's ``sahil/aks-existing`` branch):
looked up for its OIDC issuer, zones, kubelet identity and kubeconfig; ``pulumi up`` fails,
naming ``existing_cluster_id``, if its OIDC issuer or workload identity is off. Nothing is
created in it; its node pools need the labels and taints above for Anyscale pods to land.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from enum import Enum
from typing import Any, Final, Optional

import pulumi
from pulumi_azure_native import containerservice
from pydantic import Field, field_validator, model_validator

from anyscale_infra import _component as w
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.tags import merge_tags
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes.node_pools import CapacityType, NodePoolSpec, gpu_product_label, node_pool_spec
from anyscale_infra.models import ArgsModel, NetworkingMode, StrInput, is_plain
from anyscale_infra.validation import check_cidr, check_cloud_id

# --- Defaults and facts ---------------------------------------------------------------------
SYSTEM_POOL_SELECTOR: Final = {c.SYSTEM_POOL_LABEL_KEY: c.SYSTEM_POOL_LABEL_VALUE}
#: Capacity type -> the pool-name word, long and short (``cpuspot``, ``gput4sp``).
_CAPACITY_WORDS: Final = {CapacityType.ON_DEMAND: ("od", "od"), CapacityType.SPOT: ("spot", "sp")}
#: Nodes AKS adds to a pool during an upgrade (its surge), counted in the address checks.
SURGE_NODES_PER_POOL: Final = 1
DEFAULT_PROTECT: Final = True
_VM_SIZE = re.compile(r"^(Standard|Basic)_[A-Za-z0-9_-]+$")
_SLUG = re.compile(r"[^a-z0-9]+")
_DNS_SLUG = re.compile(r"[^a-z0-9-]+")


class AksPodNetworking(str, Enum):
    """How pods get addresses with Azure CNI (``network_plugin="azure"``)."""

    OVERLAY = "overlay"
    """The default: Azure CNI Overlay (``network_plugin_mode="overlay"``): nodes take node
    subnet IPs, pods a /24 per node of ``pod_cidr`` (outside the VNet); up to 250 pods a node."""
    VNET = "vnet"
    """Flat Azure CNI: every pod a VNet IP of the node subnet (``max_pods`` + 1 per node,
    reserved up front); pods reachable from the VNet and peered networks directly."""


class AksNetworkPolicy(str, Enum):
    """The network policy engine (``network_profile.network_policy``)."""

    AZURE = "azure"
    """Azure Network Policy Manager (the anchor's)."""
    CALICO = "calico"


class AksSkuTier(str, Enum):
    """The control plane's tier (``sku.tier``)."""

    FREE = "Free"
    """The default (the anchor's): no uptime SLA."""
    STANDARD = "Standard"
    """Uptime SLA and more API server capacity (paid per cluster hour): production."""


# --- Pure builders ----------------------------------------------------------------------------
def aks_taints(spec: NodePoolSpec, spot: bool = False) -> list[str]:
    """A pool spec's taints as AKS writes them (``key=value:Effect``), plus the spot taint AKS
    adds to Spot pools itself (declared so the pool shows no drift)."""
    taints = [f"{t.key}={t.value}:{t.effect}" for t in spec.taints]
    if spot:
        taints.append(c.SPOT_TAINT)
    return taints


def aks_node_labels(spec: NodePoolSpec, spot: bool = False, extra: Optional[dict[str, str]] = None) -> dict[str, str]:
    """A pool's node labels: the user's < the chart's contract < the spot label AKS sets."""
    labels = {**(extra or {}), **spec.labels}
    if spot:
        labels[c.SPOT_PRIORITY_LABEL] = c.SPOT_PRIORITY_VALUE
    return labels


def default_pool_name(accelerator: Optional[str], capacity: CapacityType) -> str:
    """A workload pool's AKS name from what it is: ``cpuod``, ``cpuspot``, ``gput4od``,
    ``gput4sp``, ``gpua10od``, ``ga100od``, ``gh100sp``... at most 8 lowercase letters and
    digits (shortened step by step: ``spot`` -> ``sp``, then ``gpu`` -> ``g``, then the
    accelerator cut), so a pool keeps its name as long as it keeps its kind."""
    long_word, short_word = _CAPACITY_WORDS[CapacityType(capacity)]
    limit = c.MAX_POOL_NAME_LENGTH
    if accelerator is None:
        candidates = [f"cpu{long_word}", f"cpu{short_word}"]
        slug = ""
    else:
        slug = _SLUG.sub("", accelerator.lower())
        candidates = [f"gpu{slug}{long_word}", f"gpu{slug}{short_word}", f"g{slug}{short_word}"]
    for candidate in candidates:
        if len(candidate) <= limit:
            return candidate
    return f"g{slug}"[: limit - len(short_word)] + short_word


def default_dns_prefix(name: str) -> str:
    """An AKS DNS prefix from a name: lowercase letters, digits and '-', at most 54."""
    slug = _DNS_SLUG.sub("-", name.lower()).strip("-")[:54].strip("-")
    return slug or "aks"


def decode_kubeconfig(kubeconfigs: Any) -> str:
    """The first kubeconfig of ``list_managed_cluster_user_credentials`` (base64), decoded;
    empty when there is none (only an offline preview without that answer)."""
    if not kubeconfigs:
        return ""
    first = kubeconfigs[0]
    value = first.get("value") if isinstance(first, dict) else getattr(first, "value", None)
    return base64.b64decode(value).decode() if value else ""


def _get(obj: Any, key: str) -> Any:
    """An attribute of an invoke result, or a key of its dict form."""
    if obj is None:
        return None
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def existing_cluster_problem(cluster: str, oidc_enabled: Optional[bool], issuer_url: Optional[str], workload_identity: Optional[bool]) -> Optional[str]:
    """What an existing cluster lacks for the operator's identity, or None: an OIDC issuer
    (with its URL) and workload identity."""
    missing = []
    if not oidc_enabled or not issuer_url:
        missing.append("its OIDC issuer is off (az aks update --enable-oidc-issuer)")
    if not workload_identity:
        missing.append("workload identity is off (az aks update --enable-workload-identity)")
    if not missing:
        return None
    return (
        f"cluster {cluster}: {' and '.join(missing)}; the operator's managed identity trusts the cluster's "
        "issuer for its service account (setup_k8s: 'Please ensure AKS cluster has OIDC issuer enabled')"
    )


def pool_zones(profiles: Any) -> list[str]:
    """The zones of a cluster's pools, deduplicated and sorted (setup_k8s ``_get_aks_availability_zones``)."""
    zones: set[str] = set()
    for profile in profiles or []:
        zones.update(_get(profile, "availability_zones") or [])
    return sorted(zones)


def address_capacity_problems(
    pod_networking: AksPodNetworking,
    pools: list[tuple[str, int, int]],
    node_subnet_cidr: Optional[str],
    pod_cidr: Optional[str],
) -> list[tuple[str, str]]:
    """Whether the ranges hold the pools at their maximum (``(label, max_count, max_pods)``
    each, plus one surge node per pool): the node subnet one IP per node (overlay) or
    ``max_pods`` + 1 per node (flat); the overlay pod CIDR one /24 per node. ``(role, sentence)``
    pairs, ``role`` ``node_subnet_cidr`` or ``pod_cidr``."""
    problems: list[tuple[str, str]] = []
    nodes = sum(count + SURGE_NODES_PER_POOL for _, count, _ in pools)
    if node_subnet_cidr is not None:
        usable = max(ipaddress.IPv4Network(node_subnet_cidr).num_addresses - c.AZURE_RESERVED_IPS_PER_SUBNET, 0)
        if pod_networking is AksPodNetworking.VNET:
            need = sum((count + SURGE_NODES_PER_POOL) * (pods + 1) for _, count, pods in pools)
            why = "flat Azure CNI reserves max_pods + 1 IPs per node"
        else:
            need, why = nodes, "one IP per node"
        if need > usable:
            problems.append((
                "node_subnet_cidr",
                f"{node_subnet_cidr} has {usable} usable IPs, the pools at their max_count (plus a surge node each) need "
                f"{need} ({why}): use a larger subnet, fewer nodes or pods per node",
            ))
    if pod_networking is AksPodNetworking.OVERLAY and pod_cidr is not None:
        network = ipaddress.IPv4Network(pod_cidr)
        blocks = 2 ** (c.OVERLAY_NODE_POD_PREFIX - network.prefixlen) if network.prefixlen <= c.OVERLAY_NODE_POD_PREFIX else 0
        if nodes > blocks:
            problems.append((
                "pod_cidr",
                f"{pod_cidr} holds {blocks} nodes (overlay gives each a /24), the pools at their max_count (plus a surge "
                f"node each) are {nodes} nodes: use a larger pod CIDR",
            ))
    return problems


# --- Args -------------------------------------------------------------------------------------
def _vm_size(value: Optional[str]) -> Optional[str]:
    if value is not None and not _VM_SIZE.match(value):
        raise ValueError(f"{value!r} is not an Azure VM size like Standard_D16s_v5")
    return value


class AksSystemPoolArgs(ArgsModel):
    """The system pool (mode System, name ``system``, label ``node.anyscale.com/role=system``,
    no Anyscale taints): kube-system, the operator, the gateway."""

    vm_size: str = c.DEFAULT_SYSTEM_VM_SIZE
    """VM size. Defaults to ``Standard_D4s_v5`` (4 vCPUs, 16 GiB)."""
    min_count: int = Field(default=c.DEFAULT_SYSTEM_MIN_COUNT, ge=1)
    """Autoscaling minimum (at least 1: the operator must always have a node). Defaults to 1."""
    max_count: int = Field(default=c.DEFAULT_SYSTEM_MAX_COUNT, ge=1)
    """Autoscaling maximum. Defaults to 3."""
    os_disk_size_gb: int = Field(default=c.DEFAULT_SYSTEM_OS_DISK_SIZE_GB, ge=30, le=2048)
    """OS disk size. Defaults to 128 GB."""
    max_pods: Optional[int] = Field(default=None, ge=c.MIN_MAX_PODS, le=c.MAX_MAX_PODS)
    """Pods per node (fixed at the pool's creation). Optional; defaults to AKS's defaults, set
    explicitly: 250 with overlay, 30 with flat Azure CNI."""

    @field_validator("vm_size")
    @classmethod
    def _size(cls, value: str) -> str:
        return _vm_size(value)  # type: ignore[return-value]

    @model_validator(mode="after")
    def _bounds(self) -> "AksSystemPoolArgs":
        if self.max_count < self.min_count:
            raise InvalidArgsError(type(self).__name__, [FieldProblem("max_count", f"{self.max_count} is below min_count {self.min_count}")])
        return self


class AksNodePoolArgs(ArgsModel):
    """One Anyscale workload pool: CPU or GPU, on-demand or spot. Its labels and taints are the
    chart's contract (:func:`~anyscale_infra.kubernetes.node_pools.node_pool_spec`)."""

    capacity: CapacityType = CapacityType.ON_DEMAND
    """ON_DEMAND or SPOT (Spot VMs, deleted on eviction, up to the on-demand price). Defaults to ON_DEMAND."""
    accelerator: Optional[str] = None
    """A GPU pool: the chart's accelerator name on Azure (``T4``, ``A10``, ``A100``, ``H100``).
    Optional; defaults to a CPU pool."""
    vm_size: Optional[str] = None
    """VM size. Optional; defaults to ``Standard_D16s_v5`` for CPU and, per GPU, the anchor's
    (:data:`~anyscale_infra.azure.constants.DEFAULT_GPU_VM_SIZES`); required for a GPU without one."""
    name: Optional[str] = None
    """The pool's AKS name (at most 8 lowercase letters and digits, starting with a letter;
    unique in the cluster; changing it replaces the pool). Optional; defaults to one from its
    kind (:func:`default_pool_name`: ``cpuod``, ``cpuspot``, ``gput4sp``, ``ga100od``...)."""
    min_count: int = Field(default=c.DEFAULT_WORKLOAD_MIN_COUNT, ge=0)
    """Autoscaling minimum. Defaults to 0 (nothing runs, nothing is billed, until Anyscale asks)."""
    max_count: int = Field(default=c.DEFAULT_WORKLOAD_MAX_COUNT, ge=1, le=1000)
    """Autoscaling maximum. Defaults to 10."""
    os_disk_size_gb: int = Field(default=c.DEFAULT_WORKLOAD_OS_DISK_SIZE_GB, ge=30, le=2048)
    """OS disk size (Ray images are large). Defaults to 256 GB."""
    zones: Optional[list[str]] = None
    """The pool's zones (GPU sizes are often in fewer zones). Optional; defaults to the cluster's."""
    max_pods: Optional[int] = Field(default=None, ge=c.MIN_MAX_PODS, le=c.MAX_MAX_PODS)
    """Pods per node (fixed at the pool's creation). Optional; defaults to AKS's defaults, set
    explicitly: 250 with overlay, 30 with flat Azure CNI."""
    labels: dict[str, str] = Field(default_factory=dict)
    """More Kubernetes node labels (the Anyscale labels win on a clash). Optional."""

    @field_validator("accelerator")
    @classmethod
    def _accelerator(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            gpu_product_label("azure", value)  # ValueError naming the accelerators the chart knows
        return value

    @field_validator("vm_size")
    @classmethod
    def _size(cls, value: Optional[str]) -> Optional[str]:
        return _vm_size(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_pool_name(value)

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        return None if value is None else v.check_zones(value)

    @model_validator(mode="after")
    def _rules(self) -> "AksNodePoolArgs":
        problems: list[FieldProblem] = []
        if self.max_count < self.min_count:
            problems.append(FieldProblem("max_count", f"{self.max_count} is below min_count {self.min_count}"))
        if self.accelerator is not None and self.vm_size is None and self.accelerator not in c.DEFAULT_GPU_VM_SIZES:
            problems.append(FieldProblem("vm_size", f"is required for accelerator {self.accelerator} (no default VM size)"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    @property
    def spot(self) -> bool:
        return self.capacity is CapacityType.SPOT

    @property
    def pool_name(self) -> str:
        return self.name if self.name is not None else default_pool_name(self.accelerator, self.capacity)

    def spec(self) -> NodePoolSpec:
        return node_pool_spec("azure", self.capacity, self.accelerator)

    def effective_vm_size(self) -> str:
        if self.vm_size is not None:
            return self.vm_size
        return c.DEFAULT_GPU_VM_SIZES[self.accelerator] if self.accelerator else c.DEFAULT_CPU_VM_SIZE

    def node_labels(self) -> dict[str, str]:
        return aks_node_labels(self.spec(), self.spot, self.labels)

    def node_taints(self) -> list[str]:
        return aks_taints(self.spec(), self.spot)


def default_node_pools() -> list[AksNodePoolArgs]:
    """CPU on-demand and CPU spot (the anchor's; GPU pools on request)."""
    return [AksNodePoolArgs(capacity=CapacityType.ON_DEMAND), AksNodePoolArgs(capacity=CapacityType.SPOT)]


#: Settings of a new cluster only (an error with ``existing_cluster_id``).
_NEW_CLUSTER_FIELDS: Final = (
    "resource_group_name", "location", "cluster_name", "dns_prefix", "kubernetes_version", "networking",
    "private_cluster", "api_server_authorized_ip_ranges", "node_subnet_id", "node_subnet_cidr", "vnet_cidr",
    "pod_networking", "pod_cidr", "service_cidr", "dns_service_ip", "network_policy", "system_pool", "node_pools",
    "sku_tier", "protect", "tags", "cloud_id",
)


class AnyscaleAksClusterArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAksCluster`: a new cluster (default) or an existing one."""

    resource_group_name: Optional[StrInput] = None
    """The cluster's resource group (e.g. :class:`~anyscale_infra.azure.resource_group.
    AnyscaleResourceGroup`'s ``name``). Required for a new cluster."""
    location: Optional[str] = None
    """The cluster's region: one of ``supported_regions``. Optional; defaults to the resource
    group's (azure-native's default)."""
    supported_regions: list[str] = Field(default_factory=lambda: list(c.SUPPORTED_REGIONS))
    """Regions where Anyscale clouds are available (checks ``location`` and an existing
    cluster's). Optional; defaults to :data:`~anyscale_infra.azure.constants.SUPPORTED_REGIONS`."""
    cluster_name: Optional[str] = None
    """Name of the new cluster. Optional; defaults to an auto-name (the component name plus a
    random suffix)."""
    dns_prefix: Optional[str] = None
    """The API server's DNS prefix (fixed at creation). Optional; defaults to the cluster name
    (or the component name) made valid."""
    kubernetes_version: str = c.DEFAULT_AKS_VERSION
    """Kubernetes minor version of the control plane and every pool (AKS picks its latest GA
    patch). Defaults to 1.33."""
    networking: NetworkingMode = NetworkingMode.DIRECT
    """Direct: the API server is public (``authorized_ip_ranges`` can narrow it). Private: a
    private cluster (``enable_private_cluster``), so ``pulumi up`` (and the operator's
    install) must run from inside the VNet. Defaults to direct; the composite sets it."""
    private_cluster: Optional[bool] = None
    """Override the networking mode's API server (e.g. False in private networking while you
    deploy from outside). Optional; defaults to the mode's."""
    api_server_authorized_ip_ranges: list[str] = Field(default_factory=list)
    """CIDRs allowed to reach a public API server (where `pulumi up` runs must be one).
    Optional; defaults to none (no restriction beyond Kubernetes RBAC)."""
    node_subnet_id: Optional[StrInput] = None
    """The node subnet's ARM id (:class:`~anyscale_infra.azure.network.AnyscaleAzureNetwork`'s
    ``node_subnet_id``): every pool's ``vnet_subnet_id``. Required for a new cluster."""
    node_subnet_cidr: Optional[str] = None
    """The node subnet's range, if known (the network's ``node_subnet_cidr``): checked against
    the service and pod CIDRs and for room for the pools. Optional."""
    vnet_cidr: Optional[str] = None
    """The VNet's address space, if known (the network's ``vnet_cidr``): checked against the
    service and pod CIDRs. Optional."""
    pod_networking: AksPodNetworking = AksPodNetworking.OVERLAY
    """Azure CNI Overlay (pods from ``pod_cidr``) or flat (pods take VNet IPs). Defaults to overlay."""
    pod_cidr: Optional[str] = None
    """Overlay only: the pods' range, outside the VNet (a /24 per node). Optional; defaults to
    ``10.244.0.0/16`` (256 nodes)."""
    service_cidr: str = c.DEFAULT_SERVICE_CIDR
    """Kubernetes services' range, outside the VNet and the pod CIDR. Defaults to ``10.96.0.0/16``."""
    dns_service_ip: str = c.DEFAULT_DNS_SERVICE_IP
    """CoreDNS's ClusterIP, inside ``service_cidr`` (not its first address). Defaults to ``10.96.0.10``."""
    network_policy: Optional[AksNetworkPolicy] = None
    """A network policy engine. Optional; defaults to none (the anchor uses ``azure``)."""
    zones: Optional[list[str]] = None
    """Availability zones of the nodes (``1``, ``2``, ``3``): ``--kubernetes-zones``. Optional;
    defaults to all three for a new cluster (``[]`` in a region without zones), the existing
    cluster's pools' zones otherwise."""
    system_pool: AksSystemPoolArgs = Field(default_factory=AksSystemPoolArgs)
    """The system pool. Defaults: Standard_D4s_v5, 1-3 nodes."""
    node_pools: list[AksNodePoolArgs] = Field(default_factory=default_node_pools)
    """Anyscale workload pools. Defaults to CPU on-demand (``cpuod``) and CPU spot
    (``cpuspot``): Standard_D16s_v5, 0-10 nodes."""
    sku_tier: AksSkuTier = AksSkuTier.FREE
    """The control plane's tier. Defaults to Free (the anchor's; Standard for an uptime SLA)."""
    protect: bool = DEFAULT_PROTECT
    """Protect the new cluster from deletion and replacement (its workloads; its OIDC issuer,
    which the operator's identity trusts, changes with a new cluster). Defaults to True."""
    existing_cluster_id: Optional[str] = None
    """Use this existing cluster (its ARM id, ``.../Microsoft.ContainerService/managedClusters/<name>``):
    nothing is created in it. Optional. It must have its OIDC issuer and workload identity on."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the cluster and its pools (Azure tag rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: tagged ``anyscale-cloud-id``. Optional."""

    @field_validator("resource_group_name")
    @classmethod
    def _group(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        if value is not None and is_plain(value):
            v.check_resource_group_name(value)
        return value

    @field_validator("supported_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        return v.check_supported_regions(value)

    @field_validator("cluster_name")
    @classmethod
    def _cluster_name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_aks_cluster_name(value)

    @field_validator("dns_prefix")
    @classmethod
    def _dns_prefix(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_dns_prefix(value)

    @field_validator("kubernetes_version")
    @classmethod
    def _version(cls, value: str) -> str:
        return v.check_kubernetes_version(value)

    @field_validator("api_server_authorized_ip_ranges")
    @classmethod
    def _authorized(cls, value: list[str]) -> list[str]:
        return [str(check_cidr(cidr)) for cidr in value]

    @field_validator("node_subnet_id")
    @classmethod
    def _subnet(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        if value is not None and is_plain(value):
            v.check_subnet_id(value)
        return value

    @field_validator("node_subnet_cidr", "vnet_cidr", "pod_cidr", "service_cidr")
    @classmethod
    def _cidrs(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else str(check_cidr(value))

    @field_validator("dns_service_ip")
    @classmethod
    def _dns_ip(cls, value: str) -> str:
        try:
            return str(ipaddress.IPv4Address(value))
        except ValueError:
            raise ValueError(f"{value!r} is not an IPv4 address like {c.DEFAULT_DNS_SERVICE_IP}") from None

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        return None if value is None else v.check_zones(value)

    @field_validator("existing_cluster_id")
    @classmethod
    def _existing(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_id(value, "Microsoft.ContainerService/managedClusters")

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_cloud_id(value)

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleAksClusterArgs":
        problems = v.region_problems(self.location, self.supported_regions)
        if self.is_existing:
            problems += [
                FieldProblem(field, f"configures a cluster we create; only one of existing_cluster_id and {field} can be specified")
                for field in _NEW_CLUSTER_FIELDS
                if field in self.model_fields_set
            ]
        else:
            problems += self._new_cluster_problems()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _new_cluster_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        if self.location in c.REGIONS_WITHOUT_ZONES and self.effective_zones:
            problems.append(FieldProblem("zones", f"{self.location} has no availability zones: set zones=[]"))
        if self.api_server_authorized_ip_ranges and self.is_private_cluster:
            problems.append(FieldProblem("api_server_authorized_ip_ranges", "applies to a public API server only (this is a private cluster)"))
        if self.pod_networking is AksPodNetworking.VNET and self.pod_cidr is not None:
            problems.append(FieldProblem("pod_cidr", "applies to overlay pod networking only (flat Azure CNI gives pods subnet IPs)"))
        problems += self._pool_problems()
        problems += [
            FieldProblem(role, message)
            for role, message in v.address_space_problems(
                vnet_cidr=self.vnet_cidr,
                node_subnet_cidr=self.node_subnet_cidr,
                service_cidr=self.service_cidr,
                dns_service_ip=self.dns_service_ip,
                pod_cidr=self.effective_pod_cidr,
            )
        ]
        if not problems:
            problems += [
                FieldProblem(role, message)
                for role, message in address_capacity_problems(
                    self.pod_networking, self.pool_sizes(), self.node_subnet_cidr, self.effective_pod_cidr
                )
            ]
        return problems

    def _pool_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        seen: dict[str, int] = {}
        for index, pool in enumerate(self.node_pools):
            field = f"node_pools.{index}.name"
            if pool.pool_name == c.SYSTEM_POOL_NAME:
                problems.append(FieldProblem(field, f"{c.SYSTEM_POOL_NAME!r} is the system pool's name; pick another"))
            elif pool.pool_name in seen:
                how = "" if pool.name is not None else " (the default for this kind of pool)"
                problems.append(
                    FieldProblem(field, f"pool name {pool.pool_name!r}{how} is used by node_pools.{seen[pool.pool_name]} too; give each pool a unique name")
                )
            seen.setdefault(pool.pool_name, index)
            if self.location in c.REGIONS_WITHOUT_ZONES and pool.zones:
                problems.append(FieldProblem(f"node_pools.{index}.zones", f"{self.location} has no availability zones: set zones=[]"))
        return problems

    # -- derived values ------------------------------------------------------------------------
    @property
    def is_existing(self) -> bool:
        return self.existing_cluster_id is not None

    @property
    def is_private_cluster(self) -> bool:
        if self.private_cluster is not None:
            return self.private_cluster
        return self.networking is NetworkingMode.PRIVATE

    @property
    def effective_zones(self) -> list[str]:
        return list(self.zones) if self.zones is not None else list(c.DEFAULT_AKS_ZONES)

    @property
    def effective_pod_cidr(self) -> Optional[str]:
        if self.pod_networking is not AksPodNetworking.OVERLAY:
            return None
        return self.pod_cidr or c.DEFAULT_POD_CIDR

    def max_pods(self, value: Optional[int]) -> int:
        if value is not None:
            return value
        return c.DEFAULT_MAX_PODS_OVERLAY if self.pod_networking is AksPodNetworking.OVERLAY else c.DEFAULT_MAX_PODS_VNET

    def pool_sizes(self) -> list[tuple[str, int, int]]:
        """``(pool name, max_count, max_pods)`` of every pool, the system pool first."""
        sizes = [(c.SYSTEM_POOL_NAME, self.system_pool.max_count, self.max_pods(self.system_pool.max_pods))]
        return sizes + [(p.pool_name, p.max_count, self.max_pods(p.max_pods)) for p in self.node_pools]

    def pool_names(self) -> list[str]:
        return [c.SYSTEM_POOL_NAME, *sorted(p.pool_name for p in self.node_pools)]

    def network_profile(self) -> dict[str, Any]:
        """The cluster's ``network_profile`` (plain values)."""
        profile: dict[str, Any] = {
            "network_plugin": "azure",
            "service_cidr": self.service_cidr,
            "dns_service_ip": self.dns_service_ip,
            "load_balancer_sku": "standard",
            "outbound_type": "loadBalancer",
        }
        if self.pod_networking is AksPodNetworking.OVERLAY:
            profile["network_plugin_mode"] = "overlay"
            profile["pod_cidr"] = self.effective_pod_cidr
        if self.network_policy is not None:
            profile["network_policy"] = self.network_policy.value
        return profile

    def wiring_problems(self) -> list[FieldProblem]:
        """What a new cluster still needs that the composite fills in (checked before any resource)."""
        if self.is_existing:
            return []
        return [
            FieldProblem(field, f"is required for a new cluster{hint}")
            for field, hint in (("resource_group_name", " (the cloud's resource group)"), ("node_subnet_id", " (the network's node subnet)"))
            if getattr(self, field) is None
        ]

    def advisories(self) -> list[str]:
        notes = []
        if self.is_existing:
            notes.append(
                f"existing cluster {self.existing_cluster_id}: Anyscale pods land only on node pools with the chart's labels "
                "and taints (node.anyscale.com/capacity-type, and node.anyscale.com/accelerator-type=GPU plus "
                "nvidia.com/gpu.product on GPU pools)"
            )
            return notes
        if self.is_private_cluster:
            notes.append(
                "the cluster's API server is private: run `pulumi up` (which installs the operator) from inside the VNet "
                "(VPN, bastion, CI runner), or set private_cluster=False while you deploy from outside"
            )
        if not self.protect:
            notes.append("protect is off: `pulumi destroy` (or a replacement) deletes the cluster and its workloads")
        return notes


# --- Component ---------------------------------------------------------------------------------
class AnyscaleAksCluster(pulumi.ComponentResource):
    """An AKS cluster with OIDC issuer, workload identity and Anyscale's node pools (or an existing one)."""

    cluster_id: pulumi.Output[str]
    """The cluster's ARM id."""
    cluster_name: pulumi.Output[str]
    """The cluster's name."""
    resource_group_name: pulumi.Output[str]
    """The cluster's resource group."""
    location: pulumi.Output[str]
    """The cluster's region."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's OIDC issuer: the operator identity's federated credential names it."""
    zones: pulumi.Output[list[str]]
    """Zones of the nodes: ``--kubernetes-zones``."""
    kubelet_identity_object_id: pulumi.Output[str]
    """The nodes' (kubelet's) identity's object id: never the operator's identity."""
    kubeconfig: pulumi.Output[str]
    """The cluster user's kubeconfig (``listClusterUserCredential``). Secret."""
    node_pool_names: dict[str, pulumi.Output[str]]
    """AKS pool name -> the pool's name as created (empty for an existing cluster)."""
    node_pools: list[containerservice.AgentPool]
    """The workload pools created: the operator should wait for them."""
    cluster: Optional[containerservice.ManagedCluster]
    """The cluster created (None for an existing one)."""

    def __init__(self, name: str, args: AnyscaleAksClusterArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleAksCluster"), name, None, opts)
        model = type(args).__name__
        if problems := args.wiring_problems():
            raise InvalidArgsError(model, problems)
        w.hand_on_depends_on(self, opts)
        self.node_pool_names = {}
        self.node_pools = []
        self.cluster = None
        if args.is_existing:
            self._use_existing(args, model)
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "cluster_id": self.cluster_id,
                "cluster_name": self.cluster_name,
                "resource_group_name": self.resource_group_name,
                "location": self.location,
                "oidc_issuer_url": self.oidc_issuer_url,
                "zones": self.zones,
                "kubelet_identity_object_id": self.kubelet_identity_object_id,
                "kubeconfig": self.kubeconfig,
                "node_pool_names": self.node_pool_names,
            }
        )

    # -- a new cluster ---------------------------------------------------------------------------
    def _create(self, name: str, args: AnyscaleAksClusterArgs) -> None:
        assert args.resource_group_name is not None and args.node_subnet_id is not None
        group = args.resource_group_name
        zones = args.effective_zones
        tags = merge_tags(args.tags, args.cloud_id)
        system = args.system_pool
        system_profile: dict[str, Any] = {
            "name": c.SYSTEM_POOL_NAME,
            "mode": "System",
            "os_type": "Linux",
            "type": "VirtualMachineScaleSets",
            "vm_size": system.vm_size,
            "orchestrator_version": args.kubernetes_version,
            "enable_auto_scaling": True,
            "count": system.min_count,
            "min_count": system.min_count,
            "max_count": system.max_count,
            "os_disk_size_gb": system.os_disk_size_gb,
            "max_pods": args.max_pods(system.max_pods),
            "availability_zones": zones or None,
            "vnet_subnet_id": args.node_subnet_id,
            # No Anyscale taint and not only_critical_addons: the operator and the gateway run here.
            "node_labels": dict(SYSTEM_POOL_SELECTOR),
            "tags": tags,
        }
        api_server: dict[str, Any] = {"enable_private_cluster": args.is_private_cluster}
        if args.api_server_authorized_ip_ranges:
            api_server["authorized_ip_ranges"] = list(args.api_server_authorized_ip_ranges)
        cluster = containerservice.ManagedCluster(
            f"{name}-aks",
            resource_group_name=group,
            resource_name_=args.cluster_name,
            location=args.location,
            dns_prefix=args.dns_prefix or default_dns_prefix(args.cluster_name or name),
            kubernetes_version=args.kubernetes_version,
            enable_rbac=True,
            identity={"type": "SystemAssigned"},
            oidc_issuer_profile={"enabled": True},
            security_profile={"workload_identity": {"enabled": True}},
            network_profile=args.network_profile(),
            api_server_access_profile=api_server,
            agent_pool_profiles=[{k: val for k, val in system_profile.items() if val is not None}],
            sku={"name": "Base", "tier": args.sku_tier.value},
            tags=tags,
            # The autoscaler owns the system pool's count: never "scale" it back on update
            # (AKS refuses a manual scale of an autoscaled pool).
            opts=w.stateful(self, args.protect, ignore_changes=["agentPoolProfiles[0].count"]),
        )
        self.cluster = cluster
        self.cluster_id = cluster.id
        self.cluster_name = cluster.name
        self.resource_group_name = pulumi.Output.from_input(group)
        self.location = cluster.location  # type: ignore[assignment]
        self.zones = pulumi.Output.from_input(zones)
        self.oidc_issuer_url = cluster.oidc_issuer_profile.apply(lambda p: _get(p, "issuer_url"))  # type: ignore[assignment]
        self.kubelet_identity_object_id = cluster.identity_profile.apply(_kubelet_object_id)  # type: ignore[assignment]
        self.kubeconfig = self._kubeconfig(group, cluster.name, name, depends_on=[cluster])
        self.node_pool_names[c.SYSTEM_POOL_NAME] = pulumi.Output.from_input(c.SYSTEM_POOL_NAME)

        for pool in sorted(args.node_pools, key=lambda p: p.pool_name):
            spot_settings: dict[str, Any] = (
                {
                    "scale_set_priority": c.SPOT_PRIORITY,
                    "scale_set_eviction_policy": c.SPOT_EVICTION_POLICY,
                    "spot_max_price": c.SPOT_MAX_PRICE,
                }
                if pool.spot
                else {}
            )
            zones_of_pool = pool.zones if pool.zones is not None else zones
            agent_pool = containerservice.AgentPool(
                f"{name}-{pool.pool_name}",
                resource_group_name=group,
                resource_name_=cluster.name,
                agent_pool_name=pool.pool_name,
                mode="User",
                os_type="Linux",
                type="VirtualMachineScaleSets",
                vm_size=pool.effective_vm_size(),
                orchestrator_version=args.kubernetes_version,
                enable_auto_scaling=True,
                count=pool.min_count,
                min_count=pool.min_count,
                max_count=pool.max_count,
                os_disk_size_gb=pool.os_disk_size_gb,
                max_pods=args.max_pods(pool.max_pods),
                availability_zones=zones_of_pool or None,
                vnet_subnet_id=args.node_subnet_id,
                node_labels=pool.node_labels(),
                node_taints=pool.node_taints(),
                tags=tags,
                **spot_settings,
                # Part of the cluster (deleted with it); the autoscaler owns its count.
                opts=w.child(self, deleted_with=cluster, ignore_changes=["count"]),
            )
            self.node_pool_names[pool.pool_name] = agent_pool.name  # type: ignore[assignment]
            self.node_pools.append(agent_pool)

    # -- an existing cluster ---------------------------------------------------------------------
    def _use_existing(self, args: AnyscaleAksClusterArgs, model: str) -> None:
        cluster_id = str(args.existing_cluster_id)
        parts = v.resource_id_parts(cluster_id)
        group, cluster_name = parts["resource_group"], parts["name"]
        found = containerservice.get_managed_cluster_output(
            resource_group_name=group, resource_name=cluster_name, opts=pulumi.InvokeOutputOptions(parent=self)
        )

        def checked(result: Any) -> Optional[str]:
            if _get(result, "id") is None and pulumi.runtime.is_dry_run():
                # Only an offline preview answers nothing: a real lookup fails or gives the cluster.
                return None
            found_id = str(_get(result, "id") or "")
            if found_id.lower() != cluster_id.lower():
                # The lookup runs in the provider's subscription, which may not be the id's.
                problem = (
                    f"the lookup of {cluster_name} in resource group {group} found {found_id or 'nothing'}: the "
                    f"azure-native provider must be configured for subscription {parts['subscription']}"
                )
                raise InvalidArgsError(model, [FieldProblem("existing_cluster_id", problem)])
            oidc = _get(result, "oidc_issuer_profile")
            identity = _get(_get(result, "security_profile"), "workload_identity")
            issuer = _get(oidc, "issuer_url")
            problem = existing_cluster_problem(cluster_name, _get(oidc, "enabled"), issuer, _get(identity, "enabled"))
            location = (_get(result, "location") or "").replace(" ", "").lower()
            if problem is None and location:
                try:
                    v.check_region(location, args.supported_regions)
                except ValueError as exc:
                    problem = f"cluster {cluster_name}: {exc}"
            if problem is not None:
                raise InvalidArgsError(model, [FieldProblem("existing_cluster_id", problem)])
            return issuer

        self.oidc_issuer_url = found.apply(checked)  # type: ignore[assignment]
        self.cluster_id = pulumi.Output.from_input(cluster_id)
        self.cluster_name = pulumi.Output.from_input(cluster_name)
        self.resource_group_name = pulumi.Output.from_input(group)
        self.location = found.location.apply(lambda loc: loc.replace(" ", "").lower() if loc else loc)  # type: ignore[assignment]
        if args.zones is not None:
            self.zones = pulumi.Output.from_input(list(args.zones))
        else:
            self.zones = found.agent_pool_profiles.apply(pool_zones)  # type: ignore[assignment]
        self.kubelet_identity_object_id = found.identity_profile.apply(_kubelet_object_id)  # type: ignore[assignment]
        # After the check: no credentials are fetched for a cluster the operator cannot use.
        self.kubeconfig = self._kubeconfig(group, self.oidc_issuer_url.apply(lambda _: cluster_name), cluster_name)

    # -- shared ----------------------------------------------------------------------------------
    def _kubeconfig(
        self, group: pulumi.Input[str], cluster_name: pulumi.Input[str], label: str, depends_on: Optional[list[pulumi.Resource]] = None
    ) -> pulumi.Output[str]:
        credentials = containerservice.list_managed_cluster_user_credentials_output(
            resource_group_name=group,
            resource_name=cluster_name,
            # Waits for the cluster: in a real preview of a new cluster the lookup does not run.
            opts=pulumi.InvokeOutputOptions(parent=self, depends_on=depends_on),
        )

        def decoded(kubeconfigs: Any) -> str:
            config = decode_kubeconfig(kubeconfigs)
            if not config and not pulumi.runtime.is_dry_run():
                raise RuntimeError(f"AKS returned no user kubeconfig for cluster {label}")
            return config

        return pulumi.Output.secret(credentials.kubeconfigs.apply(decoded))


def _kubelet_object_id(profile: Any) -> Optional[str]:
    """The object id of ``identity_profile["kubeletidentity"]`` (an object or a dict)."""
    if not profile:
        return None
    kubelet = profile.get("kubeletidentity") if isinstance(profile, dict) else getattr(profile, "kubeletidentity", None)
    return _get(kubelet, "object_id") or _get(kubelet, "objectId")

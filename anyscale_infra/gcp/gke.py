"""The GKE cluster an Anyscale cloud runs on: new (regional, Workload Identity, VPC-native,
Anyscale's node pools) or an existing one.

A new cluster (the anchor's ``gke-new_cluster``, with its slips fixed):

* **Regional** (control plane replicated across zones), nodes in ``zones`` (the cluster's
  ``node_locations`` and every pool's; they are ``--kubernetes-zones``). The default pool is
  removed after creation (``remove_default_node_pool`` with ``initial_node_count=1``; while it
  lives it already runs as the node service account, never the Compute Engine default one).
* **Workload Identity** (``workload_identity_config.workload_pool = <project>.svc.id.goog``)
  and ``workload_metadata_config.mode = GKE_METADATA`` on every pool: pods get the Google
  identity of their Kubernetes service account (the operator's, see
  :mod:`~anyscale_infra.gcp.operator_identity`), never the node's.
* **VPC-native** on the network component's subnet, pods and services in its secondary ranges
  (``pods_range_name``/``services_range_name``); **private nodes** (no external IPs; egress by
  the network's Cloud NAT) in private networking, the control plane's public endpoint kept
  (the Pulumi program reaches it; limit it with ``master_authorized_networks``).
* Release channel REGULAR, shielded nodes (secure boot, integrity monitoring),
  ``deletion_protection`` on (the provider refuses to delete the cluster until it is turned
  off), COS with containerd, auto-repair and auto-upgrade.
* **A dedicated node service account** with Google's least-privilege node roles
  (:data:`~anyscale_infra.gcp.constants.GKE_NODE_ROLES`: logs, metrics, resource metadata,
  Artifact Registry reads) — no bucket and no Filestore roles (the anchor gives its node account
  ``storage.admin``, ``file.editor`` and ``serviceAccountTokenCreator`` project-wide, then uses
  it as the operator's identity as well).
* **Node pools**: a small system pool (label ``node.anyscale.com/role=system``, no Anyscale
  taints: the operator, the gateway, kube-system) and Anyscale workload pools whose labels and
  taints are the chart's contract (:func:`~anyscale_infra.kubernetes.node_pools.
  node_pool_spec`): CPU on-demand and spot by default, GPU pools on request (guest accelerator
  and GKE-installed drivers). Workload pools scale from zero.

An existing cluster (the anchor's ``gke-existing_cluster``): looked up by name and location;
its zones become ``--kubernetes-zones`` unless given, and ``pulumi up`` fails, naming
``existing_cluster_name``, if Workload Identity is off on it (the operator needs it). Nothing
is created in it; its node pools need the labels and taints above for Anyscale pods to land.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any, Final, Optional

import pulumi
import pulumi_gcp as gcp
import yaml
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.gcp.operator_identity import workload_pool
from anyscale_infra.kubernetes.node_pools import CapacityType, NodePoolSpec, gpu_product_label, node_pool_spec
from anyscale_infra.models import ArgsModel, StrInput

# --- Defaults and facts ---------------------------------------------------------------------
#: The node pool label the system pool carries (and the operator's ``nodeSelector`` names).
SYSTEM_POOL_LABEL_KEY: Final = "node.anyscale.com/role"
SYSTEM_POOL_LABEL_VALUE: Final = "system"
SYSTEM_POOL_SELECTOR: Final = {SYSTEM_POOL_LABEL_KEY: SYSTEM_POOL_LABEL_VALUE}
#: How many zones a new cluster uses when none are given: the region's first three UP zones.
DEFAULT_ZONE_COUNT: Final = 3
#: The subnet's secondary ranges a new cluster uses (the network component creates them).
DEFAULT_PODS_RANGE_NAME: Final = "pods"
DEFAULT_SERVICES_RANGE_NAME: Final = "services"
#: A /14 for pods: 1024 nodes at GKE's default 110 pods per node (a /24 each); outside the
#: network's default subnet (10.0.0.0/20) and proxy-only subnet (10.1.0.0/23).
DEFAULT_PODS_CIDR: Final = "10.4.0.0/14"
#: A /20 for services (4096 ClusterIPs).
DEFAULT_SERVICES_CIDR: Final = "10.8.0.0/20"
DEFAULT_DELETION_PROTECTION: Final = True
DEFAULT_NODE_SERVICE_ACCOUNT_ID: Final = "anyscale-gke-nodes"
NODE_SERVICE_ACCOUNT_DISPLAY_NAME: Final = "Anyscale GKE nodes"
NODE_SERVICE_ACCOUNT_DESCRIPTION: Final = "GKE nodes of the Anyscale cloud: logs, metrics and image pulls only"
CLUSTER_DESCRIPTION: Final = "Anyscale cloud: GKE cluster (anyscale_infra)"
#: Container-Optimized OS with containerd (GKE's default and the anchor's).
DEFAULT_IMAGE_TYPE: Final = "COS_CONTAINERD"
#: The system pool: small and always on (the operator, the gateway, kube-system).
DEFAULT_SYSTEM_MACHINE_TYPE: Final = "e2-standard-4"
DEFAULT_SYSTEM_MIN_NODES_PER_ZONE: Final = 1
DEFAULT_SYSTEM_MAX_NODES_PER_ZONE: Final = 2
DEFAULT_SYSTEM_DISK_SIZE_GB: Final = 100
DEFAULT_SYSTEM_DISK_TYPE: Final = "pd-balanced"
#: Workload pools (the anchor's): scale from zero, up to 10 nodes per zone, 500 GB SSD.
DEFAULT_CPU_MACHINE_TYPE: Final = "n2-standard-16"
DEFAULT_WORKLOAD_MIN_NODES_PER_ZONE: Final = 0
DEFAULT_WORKLOAD_MAX_NODES_PER_ZONE: Final = 10
DEFAULT_WORKLOAD_DISK_SIZE_GB: Final = 500
DEFAULT_WORKLOAD_DISK_TYPE: Final = "pd-ssd"
#: A machine type (and GPUs per machine) for each GPU the chart maps on GKE (the anchor's
#: T4/L4/A100 choices; Google's accelerator-optimized families for the others).
DEFAULT_GPU_MACHINES: Final = {
    "T4": ("n1-standard-16", 1),
    "L4": ("g2-standard-16", 1),
    "A100-40G": ("a2-highgpu-1g", 1),
    "A100-80G": ("a2-ultragpu-1g", 1),
    "H100": ("a3-highgpu-8g", 8),
    "H100-MEGA": ("a3-megagpu-8g", 8),
    "RTX-PRO-6000": ("g4-standard-48", 1),
}
#: Spot pools look for capacity in any zone (Google's advice for Spot VMs); others balance.
SPOT_LOCATION_POLICY: Final = "ANY"
DEFAULT_LOCATION_POLICY: Final = "BALANCED"
#: kubeconfig: GKE's exec credential plugin (gcloud components install gke-gcloud-auth-plugin).
GKE_AUTH_PLUGIN: Final = "gke-gcloud-auth-plugin"
EXEC_CREDENTIAL_API_VERSION: Final = "client.authentication.k8s.io/v1beta1"
GKE_AUTH_PLUGIN_INSTALL_HINT: Final = (
    "Install gke-gcloud-auth-plugin: `gcloud components install gke-gcloud-auth-plugin` "
    "(https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)"
)

_SLUG = re.compile(r"[^a-z0-9]+")


class ReleaseChannel(str, Enum):
    """GKE release channels (https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels)."""

    RAPID = "RAPID"
    REGULAR = "REGULAR"
    """The default: versions qualified on RAPID first."""
    STABLE = "STABLE"
    EXTENDED = "EXTENDED"


class GpuDriverVersion(str, Enum):
    """Which NVIDIA driver GKE installs on a GPU pool (``gpu_driver_installation_config``)."""

    DEFAULT = "DEFAULT"
    LATEST = "LATEST"
    """The default (the anchor's)."""
    INSTALLATION_DISABLED = "INSTALLATION_DISABLED"
    """Install drivers yourself (e.g. the NVIDIA GPU operator)."""


# --- Pure builders ----------------------------------------------------------------------------
def gke_taints(spec: NodePoolSpec) -> list[dict[str, str]]:
    """A pool spec's taints in the GKE API's shape (``NoSchedule`` -> ``NO_SCHEDULE``)."""
    return [{"key": t.key, "value": t.value, "effect": c.GKE_TAINT_EFFECTS[t.effect]} for t in spec.taints]


def gke_kubeconfig(cluster_name: str, endpoint: str, ca_certificate: str, context: Optional[str] = None) -> str:
    """A kubeconfig for a GKE cluster that authenticates with ``gke-gcloud-auth-plugin``
    (the caller's gcloud credentials; no secret inside). ``ca_certificate`` is base64, as
    ``master_auth.cluster_ca_certificate`` gives it."""
    name = context or cluster_name
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": f"https://{endpoint}", "certificate-authority-data": ca_certificate}}],
        "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
        "current-context": name,
        "users": [
            {
                "name": name,
                "user": {
                    "exec": {
                        "apiVersion": EXEC_CREDENTIAL_API_VERSION,
                        "command": GKE_AUTH_PLUGIN,
                        "installHint": GKE_AUTH_PLUGIN_INSTALL_HINT,
                        "provideClusterInfo": True,
                    }
                },
            }
        ],
    }
    return yaml.safe_dump(document, sort_keys=False)


def kubeconfig_context(project: str, location: str, cluster_name: str) -> str:
    """The context name ``gcloud container clusters get-credentials`` uses."""
    return f"gke_{project}_{location}_{cluster_name}"


def workload_identity_problem(cluster_name: str, pools: list[Optional[str]], expected: str) -> Optional[str]:
    """What is wrong with an existing cluster's Workload Identity for the operator, or None:
    its pool (``workload_identity_config.workload_pool``) must be ``expected``."""
    found = [p for p in pools if p]
    if expected in found:
        return None
    state = f"its workload pool is {', '.join(found)}" if found else "Workload Identity is off"
    return (
        f"cluster {cluster_name}: {state}, not {expected}; the operator's identity needs it: "
        f"gcloud container clusters update {cluster_name} --workload-pool={expected}, and GKE_METADATA on its node pools"
    )


def _pool_of(config: Any) -> Optional[str]:
    """The workload pool of a ``workload_identity_config`` output (an object or a dict)."""
    if config is None:
        return None
    return config.get("workload_pool") if isinstance(config, dict) else getattr(config, "workload_pool", None)


def _slug(value: str) -> str:
    return _SLUG.sub("-", value.lower()).strip("-")


# --- Args -------------------------------------------------------------------------------------
class GkeSystemPoolArgs(ArgsModel):
    """The system node pool (no Anyscale taints): the operator, the gateway, kube-system."""

    machine_type: str = DEFAULT_SYSTEM_MACHINE_TYPE
    """Machine type. Defaults to ``e2-standard-4``."""
    min_nodes_per_zone: int = Field(default=DEFAULT_SYSTEM_MIN_NODES_PER_ZONE, ge=1)
    """Autoscaling minimum per zone (at least 1: the operator must always have a node). Defaults to 1."""
    max_nodes_per_zone: int = Field(default=DEFAULT_SYSTEM_MAX_NODES_PER_ZONE, ge=1)
    """Autoscaling maximum per zone. Defaults to 2."""
    disk_size_gb: int = Field(default=DEFAULT_SYSTEM_DISK_SIZE_GB, ge=10)
    """Boot disk size. Defaults to 100 GB."""
    disk_type: str = DEFAULT_SYSTEM_DISK_TYPE
    """Boot disk type. Defaults to ``pd-balanced``."""

    @model_validator(mode="after")
    def _bounds(self) -> "GkeSystemPoolArgs":
        if self.max_nodes_per_zone < self.min_nodes_per_zone:
            raise InvalidArgsError(
                type(self).__name__,
                [FieldProblem("max_nodes_per_zone", f"{self.max_nodes_per_zone} is below min_nodes_per_zone {self.min_nodes_per_zone}")],
            )
        return self


class GkeNodePoolArgs(ArgsModel):
    """One Anyscale workload pool: CPU or GPU, on-demand or spot. Its labels and taints are
    the operator chart's contract (:func:`~anyscale_infra.kubernetes.node_pools.node_pool_spec`)."""

    capacity: CapacityType = CapacityType.ON_DEMAND
    """ON_DEMAND or SPOT (Spot VMs: ``spot=True``, label and taint ``SPOT``). Defaults to ON_DEMAND."""
    accelerator: Optional[str] = None
    """A GPU pool: the chart's accelerator name (``T4``, ``L4``, ``A100-40G``, ``A100-80G``,
    ``H100``, ``H100-MEGA``, ``RTX-PRO-6000``). Optional; defaults to a CPU pool."""
    accelerator_count: Optional[int] = Field(default=None, ge=1)
    """GPUs per node. Optional; defaults to the default machine type's (1, or 8 for H100)."""
    machine_type: Optional[str] = None
    """Machine type. Optional; defaults to ``n2-standard-16`` for CPU, per GPU otherwise
    (:data:`DEFAULT_GPU_MACHINES`)."""
    gpu_driver_version: GpuDriverVersion = GpuDriverVersion.LATEST
    """GPU pools: the driver GKE installs. Defaults to LATEST."""
    name: Optional[str] = None
    """The pool's key in logical names (``<component>-<key>``), unique in the cluster.
    Optional; defaults to ``cpu-ondemand``, ``cpu-spot``, ``gpu-t4-spot``... Set it for two
    pools of one kind (e.g. two T4 machine types)."""
    min_nodes_per_zone: int = Field(default=DEFAULT_WORKLOAD_MIN_NODES_PER_ZONE, ge=0)
    """Autoscaling minimum per zone. Defaults to 0 (scale from zero)."""
    max_nodes_per_zone: int = Field(default=DEFAULT_WORKLOAD_MAX_NODES_PER_ZONE, ge=1)
    """Autoscaling maximum per zone. Defaults to 10."""
    disk_size_gb: int = Field(default=DEFAULT_WORKLOAD_DISK_SIZE_GB, ge=10)
    """Boot disk size (images, spill). Defaults to 500 GB."""
    disk_type: str = DEFAULT_WORKLOAD_DISK_TYPE
    """Boot disk type. Defaults to ``pd-ssd``."""
    labels: dict[str, str] = Field(default_factory=dict)
    """More Kubernetes node labels (the Anyscale labels win on a clash). Optional."""

    @field_validator("accelerator")
    @classmethod
    def _accelerator(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            gpu_product_label("gcp", value)  # ValueError naming the accelerators the chart knows
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value, "node pool key")

    @model_validator(mode="after")
    def _rules(self) -> "GkeNodePoolArgs":
        problems: list[FieldProblem] = []
        if self.max_nodes_per_zone < self.min_nodes_per_zone:
            problems.append(
                FieldProblem("max_nodes_per_zone", f"{self.max_nodes_per_zone} is below min_nodes_per_zone {self.min_nodes_per_zone}")
            )
        if self.accelerator is None:
            for field in ("accelerator_count", "gpu_driver_version"):
                if field in self.model_fields_set:
                    problems.append(FieldProblem(field, "applies to GPU pools only (set accelerator)"))
        elif self.machine_type is None and self.accelerator not in DEFAULT_GPU_MACHINES:
            problems.append(FieldProblem("machine_type", f"is required for accelerator {self.accelerator} (no default machine type)"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    @property
    def key(self) -> str:
        if self.name is not None:
            return self.name
        capacity = "spot" if self.capacity is CapacityType.SPOT else "ondemand"
        kind = f"gpu-{_slug(self.accelerator)}" if self.accelerator else "cpu"
        return f"{kind}-{capacity}"

    @property
    def spot(self) -> bool:
        return self.capacity is CapacityType.SPOT

    def spec(self) -> NodePoolSpec:
        return node_pool_spec("gcp", self.capacity, self.accelerator)

    def effective_machine_type(self) -> str:
        if self.machine_type is not None:
            return self.machine_type
        return DEFAULT_GPU_MACHINES[self.accelerator][0] if self.accelerator else DEFAULT_CPU_MACHINE_TYPE

    def effective_accelerator_count(self) -> Optional[int]:
        if self.accelerator is None:
            return None
        if self.accelerator_count is not None:
            return self.accelerator_count
        return DEFAULT_GPU_MACHINES.get(self.accelerator, ("", 1))[1]

    def node_labels(self) -> dict[str, str]:
        return {**self.labels, **self.spec().labels}


def default_node_pools() -> list[GkeNodePoolArgs]:
    """CPU on-demand and CPU spot (the anchor's; GPU pools on request)."""
    return [GkeNodePoolArgs(capacity=CapacityType.ON_DEMAND), GkeNodePoolArgs(capacity=CapacityType.SPOT)]


#: Settings of a new cluster only (an error with ``existing_cluster_name``).
_NEW_CLUSTER_FIELDS = (
    "network", "subnetwork", "pods_range_name", "services_range_name", "private_nodes", "master_ipv4_cidr_block",
    "master_authorized_networks", "cluster_name", "release_channel", "deletion_protection", "system_pool",
    "node_pools", "node_service_account_id", "existing_node_service_account_email",
)


class AnyscaleGkeClusterArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGkeCluster`: a new regional cluster (default) or an existing one."""

    project_id: Optional[str] = None
    """Project of the cluster (and of the Workload Identity pool ``<project>.svc.id.goog``).
    Optional; defaults to the provider's project."""
    region: Optional[str] = None
    """The cluster's region (``--region``). Required for a new cluster."""
    zones: Optional[list[str]] = None
    """Zones of the region for nodes (``--kubernetes-zones``). Optional; defaults to the
    region's first three UP zones (a new cluster) or the existing cluster's node locations."""
    network: Optional[StrInput] = None
    """The VPC (self link or id). Required for a new cluster."""
    subnetwork: Optional[StrInput] = None
    """The subnet nodes use (self link or id), in ``region``. Required for a new cluster."""
    pods_range_name: Optional[str] = None
    """The subnet's secondary range for pods. Required for a new cluster (the GKE cloud's new
    VPC has ``pods``)."""
    services_range_name: Optional[str] = None
    """The subnet's secondary range for services. Required for a new cluster (``services``)."""
    private_nodes: bool = False
    """Nodes without external IPs (private networking; egress through Cloud NAT). Defaults to False."""
    master_ipv4_cidr_block: Optional[str] = None
    """Private nodes: a /28 for the control plane's VPC peering. Optional; defaults to none
    (Google uses Private Service Connect)."""
    master_authorized_networks: list[str] = Field(default_factory=list)
    """CIDRs allowed to reach the control plane's endpoint (where `pulumi up` runs must be one).
    Optional; defaults to none (no restriction beyond IAM)."""
    cluster_name: Optional[str] = None
    """Name of the new cluster (at most 40 characters). Optional; defaults to a unique name."""
    release_channel: ReleaseChannel = ReleaseChannel.REGULAR
    """GKE release channel. Defaults to REGULAR."""
    deletion_protection: bool = DEFAULT_DELETION_PROTECTION
    """The provider refuses to delete the cluster while True (set False, `pulumi up`, then
    destroy). Defaults to True."""
    system_pool: GkeSystemPoolArgs = Field(default_factory=GkeSystemPoolArgs)
    """The system pool (operator, gateway, kube-system). Defaults: e2-standard-4, 1-2 per zone."""
    node_pools: list[GkeNodePoolArgs] = Field(default_factory=default_node_pools)
    """Anyscale workload pools. Defaults to CPU on-demand and CPU spot (n2-standard-16, 0-10 per zone)."""
    node_service_account_id: str = DEFAULT_NODE_SERVICE_ACCOUNT_ID
    """Id of the node service account we create. Defaults to ``anyscale-gke-nodes``."""
    existing_node_service_account_email: Optional[str] = None
    """Nodes run as this account instead (it gets no roles here). Optional."""
    existing_cluster_name: Optional[str] = None
    """Use this existing cluster (bring-your-own): nothing is created in it. Optional; needs
    ``existing_cluster_location``."""
    existing_cluster_location: Optional[str] = None
    """The existing cluster's region (regional) or zone (zonal). Required with ``existing_cluster_name``."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Labels of the cluster and its nodes' VMs (Google Cloud label rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: labelled ``anyscale-cloud-id``. Optional."""

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("region")
    @classmethod
    def _region(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_region(value)

    @field_validator("pods_range_name", "services_range_name")
    @classmethod
    def _range(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value, "secondary range name")

    @field_validator("master_ipv4_cidr_block")
    @classmethod
    def _master(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        network = v.check_cidr(value)
        if network.prefixlen != 28:
            raise ValueError(f"{value} must be a /28 (GKE's control plane range)")
        return str(network)

    @field_validator("master_authorized_networks")
    @classmethod
    def _authorized(cls, value: list[str]) -> list[str]:
        return [str(v.check_cidr(cidr)) for cidr in value]

    @field_validator("cluster_name", "existing_cluster_name")
    @classmethod
    def _cluster_name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_gke_name(value, "cluster name")

    @field_validator("node_service_account_id")
    @classmethod
    def _account(cls, value: str) -> str:
        return v.check_service_account_id(value)

    @field_validator("existing_node_service_account_email")
    @classmethod
    def _email(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_service_account_email(value)

    @field_validator("existing_cluster_location")
    @classmethod
    def _location(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        try:
            return v.check_zone(value)
        except ValueError:
            return v.check_region(value)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_labels(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleGkeClusterArgs":
        problems: list[FieldProblem] = []
        if self.zones is not None:
            try:
                v.check_zones(self.zones, self.region or self._existing_region())
            except ValueError as exc:
                problems.append(FieldProblem("zones", str(exc)))
        if self.existing_cluster_name is not None or self.existing_cluster_location is not None:
            problems += self._existing_problems()
        else:
            problems += self._pool_problems()
            if self.master_ipv4_cidr_block is not None and not self.private_nodes:
                problems.append(FieldProblem("master_ipv4_cidr_block", "needs private_nodes=True"))
            if self.existing_node_service_account_email is not None and "node_service_account_id" in self.model_fields_set:
                problems.append(
                    FieldProblem("node_service_account_id", "only one of existing_node_service_account_email and node_service_account_id can be specified")
                )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _existing_region(self) -> Optional[str]:
        location = self.existing_cluster_location
        return None if location is None else v.region_of_location(location)

    def _existing_problems(self) -> list[FieldProblem]:
        problems = [
            FieldProblem(field, f"configures a cluster we create; only one of existing_cluster_name and {field} can be specified")
            for field in _NEW_CLUSTER_FIELDS
            if field in self.model_fields_set
        ]
        if self.existing_cluster_name is None:
            problems.append(FieldProblem("existing_cluster_name", "is required with existing_cluster_location"))
        if self.existing_cluster_location is None:
            problems.append(FieldProblem("existing_cluster_location", "is required with existing_cluster_name (its region or zone)"))
        elif self.region is not None and self._existing_region() != self.region:
            problems.append(
                FieldProblem("existing_cluster_location", f"{self.existing_cluster_location} is not in the cloud's region {self.region}")
            )
        return problems

    def _pool_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        seen: dict[str, int] = {}
        for index, pool in enumerate(self.node_pools):
            if pool.key in seen:
                problems.append(
                    FieldProblem(
                        f"node_pools.{index}.name",
                        f"pool key {pool.key!r} is used by node_pools.{seen[pool.key]} too; give each pool a unique name",
                    )
                )
            seen.setdefault(pool.key, index)
        if "system" in seen:
            problems.append(FieldProblem(f"node_pools.{seen['system']}.name", "'system' is the system pool's key; pick another"))
        return problems

    @property
    def is_existing(self) -> bool:
        return self.existing_cluster_name is not None

    def wiring_problems(self) -> list[FieldProblem]:
        """What a new cluster still needs that :class:`~anyscale_infra.gcp.gke_cloud.
        AnyscaleGkeCloud` fills in (checked by the component before any resource)."""
        if self.is_existing:
            return []
        return [
            FieldProblem(field, f"is required for a new cluster{hint}")
            for field, hint in (
                ("region", " (the cluster's region)"),
                ("network", " (the VPC)"),
                ("subnetwork", " (the nodes' subnet)"),
                ("pods_range_name", " (the subnet's secondary range for pods)"),
                ("services_range_name", " (the subnet's secondary range for services)"),
            )
            if getattr(self, field) is None
        ]

    def name_problems(self, name: str) -> list[FieldProblem]:
        """Auto-names (``<name>-<key>-<7 hex>``) GKE accepts (at most 40 characters)."""
        problems = []
        for field, key in [("system_pool", "system"), *[(f"node_pools.{i}.name", p.key) for i, p in enumerate(self.node_pools)]]:
            auto = f"{name}-{key}-0000000"
            if len(auto) > c.GKE_NAME_MAX_LENGTH:
                problems.append(
                    FieldProblem(
                        field,
                        f"the pool's auto-name {name}-{key}-<7 hex> is {len(auto)} characters; GKE allows "
                        f"{c.GKE_NAME_MAX_LENGTH}: use a shorter component name or pool name",
                    )
                )
        if self.cluster_name is None and not self.is_existing and len(f"{name}-gke-0000000") > c.GKE_NAME_MAX_LENGTH:
            problems.append(FieldProblem("cluster_name", f"is needed: the auto-name from component name {name!r} is over 40 characters"))
        return problems

    def advisories(self) -> list[str]:
        notes = []
        if self.is_existing:
            notes.append(
                f"existing cluster {self.existing_cluster_name}: Anyscale pods land only on node pools with the chart's "
                "labels and taints (node.anyscale.com/capacity-type, and node.anyscale.com/accelerator-type=GPU on GPU "
                "pools) and workload_metadata_config.mode=GKE_METADATA"
            )
        elif not self.deletion_protection:
            notes.append("deletion_protection is off: `pulumi destroy` (or a replacement) deletes the cluster and its workloads")
        return notes


# --- Component ---------------------------------------------------------------------------------
class AnyscaleGkeCluster(pulumi.ComponentResource):
    """A regional GKE cluster with Workload Identity and Anyscale's node pools (or an existing one)."""

    cluster_name: pulumi.Output[str]
    """The cluster's name."""
    cluster_id: pulumi.Output[str]
    """``projects/<p>/locations/<location>/clusters/<name>``."""
    location: pulumi.Output[str]
    """The cluster's region (regional) or zone."""
    endpoint: pulumi.Output[str]
    """The control plane's (public) IP."""
    ca_certificate: pulumi.Output[str]
    """The cluster CA certificate, base64."""
    zones: pulumi.Output[list[str]]
    """Zones of the nodes: ``--kubernetes-zones``."""
    network: pulumi.Output[str]
    """The cluster's VPC as GKE reports it (a name, id or self link)."""
    workload_pool: pulumi.Output[str]
    """``<project>.svc.id.goog``."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig using ``gke-gcloud-auth-plugin`` (no credentials inside)."""
    node_service_account_email: pulumi.Output[Optional[str]]
    """The nodes' service account (None for an existing cluster)."""
    node_pool_names: dict[str, pulumi.Output[str]]
    """Pool key (``system``, ``cpu-ondemand``...) -> the pool's GKE name (empty for an existing cluster)."""
    node_pools: list[gcp.container.NodePool]
    """The pools created (the system pool first): the operator should wait for them."""

    def __init__(self, name: str, args: AnyscaleGkeClusterArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGkeCluster"), name, None, opts)
        model = type(args).__name__
        if problems := args.wiring_problems() + args.name_problems(name):
            raise InvalidArgsError(model, problems)
        w.hand_on_depends_on(self, opts)
        self.node_pool_names = {}
        self.node_pools = []
        project: pulumi.Input[str] = (
            args.project_id
            if args.project_id is not None
            else gcp.organizations.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).project
        )
        self.workload_pool = pulumi.Output.from_input(project).apply(workload_pool)
        if args.is_existing:
            self._use_existing(args, project, model)
        else:
            self._create(name, args, project)
        self.kubeconfig = pulumi.Output.all(project, self.location, self.cluster_name, self.endpoint, self.ca_certificate).apply(
            lambda a: gke_kubeconfig(a[2], a[3], a[4], kubeconfig_context(a[0], a[1], a[2]))
        )
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "cluster_id": self.cluster_id,
                "location": self.location,
                "endpoint": self.endpoint,
                "zones": self.zones,
                "network": self.network,
                "workload_pool": self.workload_pool,
                "node_service_account_email": self.node_service_account_email,
                "node_pool_names": self.node_pool_names,
            }
        )

    # -- a new cluster ---------------------------------------------------------------------------
    def _create(self, name: str, args: AnyscaleGkeClusterArgs, project: pulumi.Input[str]) -> None:
        assert args.region is not None
        if args.zones is not None:
            zones: pulumi.Input[list[str]] = list(args.zones)
        else:
            found = gcp.compute.get_zones_output(
                region=args.region, project=project, status="UP", opts=pulumi.InvokeOutputOptions(parent=self)
            )
            zones = found.names.apply(lambda names: sorted(names)[:DEFAULT_ZONE_COUNT])
        self.zones = pulumi.Output.from_input(zones)
        node_account, grants = self._node_account(name, args, project)
        labels = w.merge_labels(args.labels, args.cloud_id)
        node_basics = {
            "service_account": node_account,
            # Access is IAM's alone (Google's advice); the account holds only the node roles.
            "oauth_scopes": [c.CLOUD_PLATFORM_SCOPE],
            "workload_metadata_config": {"mode": c.GKE_METADATA_MODE},
            "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
        }
        private = (
            {
                "enable_private_nodes": True,
                # The public endpoint stays: `pulumi up` and the console reach the control plane.
                "enable_private_endpoint": False,
                "master_ipv4_cidr_block": args.master_ipv4_cidr_block,
            }
            if args.private_nodes
            else None
        )
        authorized = (
            {"cidr_blocks": [{"cidr_block": cidr, "display_name": f"authorized-{i}"} for i, cidr in enumerate(args.master_authorized_networks)]}
            if args.master_authorized_networks
            else None
        )
        cluster = gcp.container.Cluster(
            f"{name}-gke",
            name=args.cluster_name,
            project=project,
            location=args.region,  # regional: the control plane in every zone
            node_locations=zones,
            description=CLUSTER_DESCRIPTION,
            network=args.network,
            subnetwork=args.subnetwork,
            networking_mode="VPC_NATIVE",
            ip_allocation_policy={
                "cluster_secondary_range_name": args.pods_range_name,
                "services_secondary_range_name": args.services_range_name,
            },
            # The default pool goes once the cluster exists; ours are separate resources.
            remove_default_node_pool=True,
            initial_node_count=1,
            # Even the short-lived default pool runs as our node account with GKE_METADATA
            # (never the Compute Engine default account, which orgs often disable).
            node_config=node_basics,
            workload_identity_config={"workload_pool": self.workload_pool},
            release_channel={"channel": args.release_channel.value},
            enable_shielded_nodes=True,
            private_cluster_config=private,
            master_authorized_networks_config=authorized,
            deletion_protection=args.deletion_protection,
            resource_labels=labels,
            # The default pool's settings only matter at creation: never replace the cluster for them.
            opts=w.child(self, depends_on=grants, ignore_changes=["nodeConfig", "initialNodeCount"]),
        )
        # From the cluster's own output: whatever binds a member of the pool waits for it.
        planned = self.workload_pool
        self.workload_pool = pulumi.Output.all(cluster.workload_identity_config, planned).apply(
            lambda values: _pool_of(values[0]) or values[1]
        )
        self.cluster_name = cluster.name
        self.cluster_id = cluster.id
        self.network = cluster.network
        self.location = cluster.location  # type: ignore[assignment]
        self.endpoint = cluster.endpoint
        self.ca_certificate = cluster.master_auth.cluster_ca_certificate  # type: ignore[union-attr]
        self.node_service_account_email = pulumi.Output.from_input(node_account)

        on_cluster = dict(cluster=cluster.name, location=cluster.location, project=project, node_locations=zones)
        system = args.system_pool
        self._pool(
            name,
            "system",
            on_cluster,
            cluster,
            initial_node_count=system.min_nodes_per_zone,
            autoscaling={
                "min_node_count": system.min_nodes_per_zone,
                "max_node_count": system.max_nodes_per_zone,
                "location_policy": DEFAULT_LOCATION_POLICY,
            },
            node_config={
                **node_basics,
                "machine_type": system.machine_type,
                "disk_size_gb": system.disk_size_gb,
                "disk_type": system.disk_type,
                "image_type": DEFAULT_IMAGE_TYPE,
                "labels": dict(SYSTEM_POOL_SELECTOR),
                "resource_labels": labels,
            },
        )
        for pool in sorted(args.node_pools, key=lambda p: p.key):
            accelerators = None
            if pool.accelerator is not None:
                accelerators = [
                    {
                        "type": gpu_product_label("gcp", pool.accelerator),
                        "count": pool.effective_accelerator_count(),
                        "gpu_driver_installation_config": {"gpu_driver_version": pool.gpu_driver_version.value},
                    }
                ]
            self._pool(
                name,
                pool.key,
                on_cluster,
                cluster,
                initial_node_count=0,
                autoscaling={
                    "min_node_count": pool.min_nodes_per_zone,
                    "max_node_count": pool.max_nodes_per_zone,
                    "location_policy": SPOT_LOCATION_POLICY if pool.spot else DEFAULT_LOCATION_POLICY,
                },
                node_config={
                    **node_basics,
                    "machine_type": pool.effective_machine_type(),
                    "disk_size_gb": pool.disk_size_gb,
                    "disk_type": pool.disk_type,
                    "image_type": DEFAULT_IMAGE_TYPE,
                    "spot": pool.spot,
                    "labels": pool.node_labels(),
                    "taints": gke_taints(pool.spec()),
                    "guest_accelerators": accelerators,
                    "resource_labels": labels,
                },
            )

    def _pool(self, name: str, key: str, on_cluster: dict[str, Any], cluster: pulumi.Resource, **settings: Any) -> None:
        pool = gcp.container.NodePool(
            f"{name}-{key}",
            **on_cluster,
            management={"auto_repair": True, "auto_upgrade": True},
            **settings,
            # Part of the cluster: deleting the cluster deletes it.
            opts=w.child(self, deleted_with=cluster),
        )
        self.node_pool_names[key] = pool.name
        self.node_pools.append(pool)

    def _node_account(
        self, name: str, args: AnyscaleGkeClusterArgs, project: pulumi.Input[str]
    ) -> tuple[pulumi.Input[str], list[pulumi.Resource]]:
        """The nodes' service account and its project roles (least privilege; never the bucket)."""
        if args.existing_node_service_account_email is not None:
            return args.existing_node_service_account_email, []
        account = gcp.serviceaccount.Account(
            f"{name}-nodes",
            project=project,
            account_id=args.node_service_account_id,
            display_name=NODE_SERVICE_ACCOUNT_DISPLAY_NAME,
            description=NODE_SERVICE_ACCOUNT_DESCRIPTION,
            opts=w.child(self),
        )
        grants: list[pulumi.Resource] = [
            gcp.projects.IAMMember(
                f"{name}-nodes-{role.removeprefix('roles/')}",
                project=project,
                role=role,
                member=account.member,
                opts=w.child(self, deleted_with=account),
            )
            for role in sorted(c.GKE_NODE_ROLES)
        ]
        return account.email, grants

    # -- an existing cluster ---------------------------------------------------------------------
    def _use_existing(self, args: AnyscaleGkeClusterArgs, project: pulumi.Input[str], model: str) -> None:
        found = gcp.container.get_cluster_output(
            name=args.existing_cluster_name,
            location=args.existing_cluster_location,
            project=project,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        cluster_name = str(args.existing_cluster_name)

        def checked_pool(values: list[Any]) -> str:
            configs, expected = values
            problem = workload_identity_problem(cluster_name, [_pool_of(cfg) for cfg in configs or []], expected)
            if problem is not None:
                raise InvalidArgsError(model, [FieldProblem("existing_cluster_name", problem)])
            return expected

        location = str(args.existing_cluster_location)
        self.workload_pool = pulumi.Output.all(found.workload_identity_configs, self.workload_pool).apply(checked_pool)
        self.cluster_name = found.name  # type: ignore[assignment]
        self.network = found.network  # type: ignore[assignment]
        self.cluster_id = found.id  # type: ignore[assignment]
        self.location = pulumi.Output.from_input(location)
        self.endpoint = found.endpoint  # type: ignore[assignment]
        self.ca_certificate = found.master_auths.apply(lambda auths: auths[0].cluster_ca_certificate if auths else "")  # type: ignore[assignment]
        if args.zones is not None:
            self.zones = pulumi.Output.from_input(list(args.zones))
        else:
            self.zones = found.node_locations.apply(lambda zones: sorted(zones) if zones else [location])  # type: ignore[assignment]
        self.node_service_account_email = pulumi.Output.from_input(None)

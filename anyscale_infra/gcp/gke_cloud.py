"""Everything an Anyscale cloud on GKE needs in a Google Cloud project, from one args model,
the `anyscale cloud register --provider gcp --compute-stack k8s` command (and resource file)
that registers it, and the Anyscale operator once it is registered.

The parts, each its own component (and each new or bring-your-own): the project's APIs
(Kubernetes Engine included), the network (a new VPC whose subnet carries the cluster's pods
and services ranges, or an existing VPC), the Cloud Storage bucket, Filestore (optional, on
by default) and Memorystore (optional), the GKE cluster (:mod:`~anyscale_infra.gcp.gke`: new
or existing), the operator's identity (:mod:`~anyscale_infra.gcp.operator_identity`), a
regional static IP for the gateway (external for direct networking, internal in the subnet
for private), a ``kubernetes.Provider`` for the cluster, and the
:class:`~anyscale_infra.kubernetes.operator.AnyscaleOperator` (namespace, gateway, helm
release).

Two ``pulumi up`` runs, as registration needs the cloud side first:

1. The first builds everything but the operator's helm release and exports the register
   command (``register_command``, or ``resource_file`` for ``--resource-file``).
2. Run it; ``cloud register`` prints the cloud resource id (``cldrsrc_...``). Set
   ``cloud_deployment_id`` to it and run ``pulumi up`` again: the operator is installed with
   ``global.cloudDeploymentId``, ``global.auth.iamIdentity`` = the operator's service
   account and ``networking.gateway.ip`` = the reserved address. Until then the operator
   component warns and plans no release.

There is no network firewall policy here (unlike the VM cloud): GKE creates the firewall
rules its nodes, pods and load balancers need, and ``cloud register`` takes none on K8s.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_gcp as gcp
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import validation as v
from anyscale_infra.gcp.apis import AnyscaleGcpApis, AnyscaleGcpApisArgs
from anyscale_infra.gcp.filestore import AnyscaleFilestore, AnyscaleFilestoreArgs
from anyscale_infra.gcp.gke import (
    DEFAULT_PODS_CIDR,
    DEFAULT_PODS_RANGE_NAME,
    DEFAULT_SERVICES_CIDR,
    DEFAULT_SERVICES_RANGE_NAME,
    SYSTEM_POOL_SELECTOR,
    AnyscaleGkeCluster,
    AnyscaleGkeClusterArgs,
)
from anyscale_infra.gcp.memorystore import AnyscaleMemorystore, AnyscaleMemorystoreArgs, region_of_instance_name
from anyscale_infra.gcp.network import AnyscaleGcpNetwork, AnyscaleGcpNetworkArgs
from anyscale_infra.gcp.operator_identity import AnyscaleGkeOperatorIdentity, AnyscaleGkeOperatorIdentityArgs
from anyscale_infra.gcp.register import GcpK8sRegisterArgs
from anyscale_infra.gcp.storage import AnyscaleGcsBucket, AnyscaleGcsBucketArgs
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel, disabled_part_notes, wired_field_problems

#: Fields of the part models that AnyscaleGkeCloud fills in itself (wiring between parts):
#: setting one of them in a part is an error naming it.
_WIRED: dict[str, tuple[str, ...]] = {
    "apis": ("project_id", "enable_memorystore", "enable_gke"),
    "network": ("project_id", "region", "secondary_ranges"),
    "bucket": ("region", "project_id", "access_service_account_email", "instance_service_account_email", "cloud_id"),
    "filestore": ("region", "network", "network_project", "project_id", "cloud_id"),
    "memorystore": ("region", "network", "network_project", "project_id", "cloud_id"),
    "cluster": ("project_id", "region", "zones", "network", "subnetwork", "private_nodes", "cloud_id"),
    "operator_identity": ("project_id", "namespace", "workload_pool", "bucket_name"),
}
#: Operator fields the cloud sets (``operator`` may set any other AnyscaleOperatorArgs field).
_OPERATOR_WIRED = ("cloud_provider", "cloud_deployment_id", "iam_identity", "load_balancer", "gateway_address", "namespace")
#: Reserve a static IP for the gateway's load balancer. Defaults to True.
DEFAULT_RESERVE_GATEWAY_ADDRESS = True
GATEWAY_ADDRESS_DESCRIPTION = "Anyscale cloud: the operator gateway's L4 load balancer"


class _GkeBucketArgs(AnyscaleGcsBucketArgs):
    """The bucket's args inside :class:`AnyscaleGkeCloud`. On GKE there is no access or
    instance service account: the operator's identity grants its own account on the bucket
    (:class:`~anyscale_infra.gcp.operator_identity.AnyscaleGkeOperatorIdentity`), so the
    bucket's "account is not set" notes do not apply."""

    def advisories(self) -> list[str]:
        accounts = ("access_service_account_email", "instance_service_account_email")
        return [note for note in super().advisories() if not note.startswith(accounts)]


class AnyscaleGkeCloudArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGkeCloud`. Required: ``cloud_name``, ``project_id`` and
    ``region``; every other default follows Anyscale's recommendations and the anchor
    (anyscale/terraform-kubernetes-anyscale-foundation-modules, examples/gcp)."""

    cloud_name: str
    """Name of the Anyscale cloud (``--name``). Required."""
    project_id: str
    """The project (``--project-id``): its ID, not its number. Required."""
    region: str
    """The cloud's and the cluster's region (``--region``), e.g. ``us-central1``. Required."""
    cloud_id: Optional[str] = None
    """The cloud id `cloud register` printed (``cld_...``): labels every resource with
    ``anyscale-cloud-id``. Optional."""
    cloud_deployment_id: Optional[str] = None
    """The cloud resource id `cloud register` printed (``cldrsrc_...``): with it, `pulumi up`
    installs the operator (``global.cloudDeploymentId``). Optional: None on the first run."""
    kubernetes_zones: Optional[list[str]] = None
    """Zones of the region the cluster's nodes (and pods) use (``--kubernetes-zones``).
    Optional; defaults to the region's first three UP zones (new cluster) or the existing
    cluster's node locations."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """The operator's namespace (RFC 1123 label); the Workload Identity member names it.
    Defaults to ``anyscale-operator``."""
    pods_cidr: str = DEFAULT_PODS_CIDR
    """New VPC: the subnet's secondary range for pods (range ``pods``). Defaults to 10.4.0.0/14."""
    services_cidr: str = DEFAULT_SERVICES_CIDR
    """New VPC: the subnet's secondary range for services (range ``services``). Defaults to 10.8.0.0/20."""
    apis: AnyscaleGcpApisArgs = Field(default_factory=AnyscaleGcpApisArgs)
    """The project's APIs, Kubernetes Engine included. Defaults to enabling them, without the
    VM verifier's deploymentmanager and config unless ``enable_verifier_apis`` is set
    (`cloud register` runs no GCP verification on K8s)."""
    network: AnyscaleGcpNetworkArgs = Field(default_factory=AnyscaleGcpNetworkArgs)
    """The VPC and subnet (new by default; direct or private networking; or an existing VPC,
    then give ``cluster.pods_range_name``/``services_range_name`` of its subnet). Shared VPCs
    are not supported here (GKE in a service project needs host-project grants)."""
    bucket: AnyscaleGcsBucketArgs = Field(default_factory=AnyscaleGcsBucketArgs)
    """The Cloud Storage bucket (new by default)."""
    enable_filestore: bool = True
    """Create (or register) Filestore: shared storage for workspaces. Defaults to True."""
    filestore: AnyscaleFilestoreArgs = Field(default_factory=AnyscaleFilestoreArgs)
    """The Filestore instance (new by default, on the cloud's VPC)."""
    enable_memorystore: bool = False
    """Create (or register) Memorystore for head-node fault tolerance. Defaults to False."""
    memorystore: AnyscaleMemorystoreArgs = Field(default_factory=AnyscaleMemorystoreArgs)
    """The Memorystore instance, when enabled."""
    cluster: AnyscaleGkeClusterArgs = Field(default_factory=AnyscaleGkeClusterArgs)
    """The GKE cluster (new by default) and its node pools."""
    operator_identity: AnyscaleGkeOperatorIdentityArgs = Field(default_factory=AnyscaleGkeOperatorIdentityArgs)
    """The operator's Google service account (new by default)."""
    kubernetes_provider: Optional[Any] = None
    """An existing cluster: your ``pulumi_kubernetes.Provider`` for it. Optional; defaults to
    one built from the cluster (``gke-gcloud-auth-plugin`` kubeconfig). Not with a new cluster."""
    reserve_gateway_address: bool = DEFAULT_RESERVE_GATEWAY_ADDRESS
    """Reserve a regional static IP for the gateway's load balancer (external in direct
    networking, internal in the subnet in private), so ``networking.gateway.ip`` is known and
    survives the load balancer. Defaults to True (gateway ingress only)."""
    operator: dict[str, Any] = Field(default_factory=dict)
    """More :class:`~anyscale_infra.kubernetes.operator.AnyscaleOperatorArgs` fields
    (``ingress``, ``chart_version``, ``extra_values``...); the identity, namespace, deployment
    id, load balancer scheme and address are the cloud's. Optional."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Labels for every resource that takes them (a part's own labels win). Optional."""

    @field_validator("cloud_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: str) -> str:
        return v.check_project_id(value)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_cloud_deployment_id(value)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_labels(value)

    @field_validator("kubernetes_provider")
    @classmethod
    def _provider(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, pulumi.ProviderResource) and getattr(value, "package", None) == "kubernetes"):
            raise ValueError("must be a pulumi_kubernetes.Provider")
        return value

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleGkeCloudArgs":
        problems = wired_field_problems(self, _WIRED, lambda part: "AnyscaleGkeCloud")
        problems += self._shape_problems()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        # Each part again, with what the cloud knows now (its project, region, zones): a zone
        # outside the region, a location elsewhere, fail here, before any resource.
        for part, update in self._plain_wiring().items():
            try:
                wired = self._wired(part, update)
            except InvalidArgsError as exc:
                problems += [FieldProblem(_where(part, p.field), p.message) for p in exc.problems]
                continue
            if part == "bucket":
                problems += [FieldProblem(_where(part, p.field), p.message) for p in wired.wiring_problems()]
        problems += self._existing_location_problems()
        problems += self._operator_problems()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _shape_problems(self) -> list[FieldProblem]:
        """How the parts fit together on GKE."""
        problems: list[FieldProblem] = []
        existing_vpc = self.network.existing_vpc_name is not None
        if self.network.host_project_id is not None:
            problems.append(
                FieldProblem(
                    "network.host_project_id",
                    "a shared VPC is not supported for GKE here (the cluster's service agents need host-project "
                    "grants this component does not make); use a VPC in the cloud's project",
                )
            )
        if self.cluster.is_existing and not existing_vpc:
            problems.append(
                FieldProblem(
                    "network.existing_vpc_name",
                    "is required with cluster.existing_cluster_name: the existing cluster's VPC (Filestore and "
                    "--vpc-name must be on it)",
                )
            )
        if existing_vpc:
            for field in ("pods_cidr", "services_cidr"):
                if field in self.model_fields_set:
                    problems.append(FieldProblem(field, "applies to a new VPC only; give cluster.pods_range_name and services_range_name"))
            if not self.cluster.is_existing:
                for field in ("pods_range_name", "services_range_name"):
                    if getattr(self.cluster, field) is None:
                        problems.append(
                            FieldProblem(f"cluster.{field}", "is required with network.existing_vpc_name (a secondary range of its subnet)")
                        )
        else:
            for field in ("pods_range_name", "services_range_name"):
                if field in self.cluster.model_fields_set:
                    problems.append(
                        FieldProblem(f"cluster.{field}", "is set by AnyscaleGkeCloud for a new VPC (pods_cidr/services_cidr); leave it out here")
                    )
        if self.kubernetes_provider is not None and not self.cluster.is_existing:
            problems.append(
                FieldProblem("kubernetes_provider", "applies to an existing cluster only (a new cluster gets a provider built from it)")
            )
        if self.kubernetes_zones is not None:
            try:
                v.check_zones(self.kubernetes_zones, self.region)
            except ValueError as exc:
                problems.append(FieldProblem("kubernetes_zones", str(exc)))
        return problems

    def _existing_location_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        location = self.filestore.existing_location
        if self.enable_filestore and location is not None and v.region_of_location(location) != self.region:
            problems.append(FieldProblem("filestore.existing_location", f"{location} is not in the cloud's region {self.region}"))
        name = self.memorystore.existing_instance_name
        if self.enable_memorystore and name is not None and (region := region_of_instance_name(name)) != self.region:
            problems.append(FieldProblem("memorystore.existing_instance_name", f"is in {region}, not in the cloud's region {self.region}"))
        return problems

    def _operator_problems(self) -> list[FieldProblem]:
        """The operator's args as the cloud will build them (a placeholder identity: the real
        one is an output), so a bad ``operator`` field fails now, naming ``operator.<field>``."""
        problems = [
            FieldProblem(f"operator.{field}", "is set by AnyscaleGkeCloud; leave it out here")
            for field in _OPERATOR_WIRED
            if field in self.operator
        ]
        if problems:
            return problems
        try:
            self.operator_args(iam_identity="placeholder-identity@example-project.iam.gserviceaccount.com", gateway_address=None)
        except InvalidArgsError as exc:
            problems += [FieldProblem(f"operator.{p.field}" if p.field else "operator", p.message) for p in exc.problems]
        return problems

    # -- wiring --------------------------------------------------------------------------------
    @property
    def private(self) -> bool:
        return self.network.private

    def _plain_wiring(self) -> dict[str, dict[str, Any]]:
        """What the cloud gives each part that is known before anything is created."""
        located = {"region": self.region, "project_id": self.project_id, "cloud_id": self.cloud_id}
        network: dict[str, Any] = {"project_id": self.project_id, "region": self.region}
        if self.network.existing_vpc_name is None:
            network["secondary_ranges"] = {DEFAULT_PODS_RANGE_NAME: self.pods_cidr, DEFAULT_SERVICES_RANGE_NAME: self.services_cidr}
        cluster: dict[str, Any] = {
            "project_id": self.project_id,
            "region": self.region,
            "zones": self.kubernetes_zones,
            "cloud_id": self.cloud_id,
        }
        if not self.cluster.is_existing:
            cluster["private_nodes"] = self.private
            if self.network.existing_vpc_name is None:
                cluster.update(pods_range_name=DEFAULT_PODS_RANGE_NAME, services_range_name=DEFAULT_SERVICES_RANGE_NAME)
        apis: dict[str, Any] = {"project_id": self.project_id, "enable_memorystore": self.enable_memorystore, "enable_gke": True}
        if self.apis.manage_apis and "enable_verifier_apis" not in self.apis.model_fields_set:
            apis["enable_verifier_apis"] = False  # only the VM verifier checks them
        wiring: dict[str, dict[str, Any]] = {
            "apis": apis,
            "network": network,
            "bucket": located,
            "cluster": cluster,
            "operator_identity": {"project_id": self.project_id, "namespace": self.namespace},
        }
        if self.enable_filestore:
            wiring["filestore"] = located
        if self.enable_memorystore:
            wiring["memorystore"] = located
        return wiring

    def _wired(self, part: str, update: dict[str, Any]) -> Any:
        """The part's args with the cloud's values merged in, validated again."""
        model = getattr(self, part)
        given = model.model_dump(exclude_unset=True)
        labels = {**self.labels, **given.get("labels", {})} if "labels" in type(model).model_fields else None
        merged = {**given, **{k: val for k, val in update.items() if val is not None}}
        if labels is not None:
            merged["labels"] = labels
        # Nested models of a part (the cluster's pools) are rebuilt from their own dumps.
        return type(model)(**merged)

    def part(self, name: str, **outputs: Any) -> Any:
        """The args the component of part ``name`` gets: the user's, the cloud's plain
        values, and ``outputs`` of other parts (not validated again: not known yet)."""
        wired = self._wired(name, self._plain_wiring().get(name, {}))
        return wired.model_copy(update=outputs) if outputs else wired

    def bucket_args(self) -> _GkeBucketArgs:
        return _GkeBucketArgs(**self.part("bucket").model_dump(exclude_unset=True))

    def operator_args(self, *, iam_identity: Any, gateway_address: Any) -> Any:
        """The operator's args (imported here: the operator module loads pulumi_kubernetes)."""
        from anyscale_infra.kubernetes.load_balancer import LoadBalancerScheme
        from anyscale_infra.kubernetes.operator import AnyscaleOperatorArgs

        given = dict(self.operator)
        if not self.cluster.is_existing:
            # The operator on the system pool: never on (nor blocking scale-down of) workload nodes.
            given.setdefault("operator_node_selector", dict(SYSTEM_POOL_SELECTOR))
        return AnyscaleOperatorArgs(
            **given,
            cloud_provider="gcp",
            cloud_deployment_id=self.cloud_deployment_id,
            iam_identity=iam_identity,
            load_balancer=LoadBalancerScheme.INTERNAL if self.private else LoadBalancerScheme.PUBLIC,
            gateway_address=gateway_address,
            namespace=self.namespace,
        )

    def reserves_gateway_address(self) -> bool:
        from anyscale_infra.kubernetes.load_balancer import IngressMode

        return self.reserve_gateway_address and IngressMode(self.operator.get("ingress", IngressMode.GATEWAY)) is IngressMode.GATEWAY

    def advisories(self) -> list[str]:
        notes: list[str] = []
        if not self.enable_filestore:
            notes.append("enable_filestore is off: Anyscale workspaces need shared storage (Filestore, or a PVC/CSI driver you register)")
        notes += disabled_part_notes(self, {"filestore": "enable_filestore", "memorystore": "enable_memorystore"})
        if "reserve_gateway_address" in self.model_fields_set and self.reserve_gateway_address and not self.reserves_gateway_address():
            notes.append("reserve_gateway_address applies to the gateway ingress only: no address is reserved")
        return notes


def _same_vpc(vpc_name: str, cluster_network: Optional[str], cluster_name: str, model: str) -> str:
    """The VPC given is the one the existing cluster is on (GKE reports a name, an id or a self link)."""
    if cluster_network and cluster_network.rstrip("/").rsplit("/", 1)[-1] != vpc_name:
        raise InvalidArgsError(
            model,
            [
                FieldProblem(
                    "network.existing_vpc_name",
                    f"is {vpc_name}, but cluster {cluster_name} is on {cluster_network}; give the cluster's VPC "
                    "(Filestore and --vpc-name must be on it)",
                )
            ],
        )
    return vpc_name


def _where(part: str, field: str) -> str:
    """A part's field, as the user wrote it (``bucket.location``) or the cloud's (``region``)."""
    top_level = {"project_id", "region", "cloud_id"}
    if field == "zones" and part == "cluster":
        return "kubernetes_zones"
    if field == "namespace" and part == "operator_identity":
        return "namespace"
    return field if field in top_level or not field else f"{part}.{field}"


class AnyscaleGkeCloud(pulumi.ComponentResource):
    """An Anyscale cloud on GKE: project APIs, network, bucket, Filestore, the cluster, the
    operator's identity and (once registered) the operator, plus the register command."""

    cluster_name: pulumi.Output[str]
    """The GKE cluster's name."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig for the cluster (``gke-gcloud-auth-plugin``; no credentials inside)."""
    kubernetes_zones: pulumi.Output[list[str]]
    """``--kubernetes-zones``."""
    operator_service_account_email: pulumi.Output[str]
    """The operator's Google service account: ``--anyscale-operator-iam-identity`` and
    ``global.auth.iamIdentity``."""
    workload_identity_member: pulumi.Output[str]
    """``serviceAccount:<project>.svc.id.goog[<namespace>/anyscale-operator]``."""
    bucket_name: pulumi.Output[str]
    vpc_name: pulumi.Output[str]
    filestore_instance_id: pulumi.Output[Optional[str]]
    filestore_location: pulumi.Output[Optional[str]]
    memorystore_instance_name: pulumi.Output[Optional[str]]
    gateway_address: pulumi.Output[Optional[str]]
    """The gateway's reserved static IP (``networking.gateway.ip``), or None."""
    namespace: pulumi.Output[str]
    """The operator's namespace."""
    register: pulumi.Output[GcpK8sRegisterArgs]
    """The register arguments as the model (for programs; not a stack export)."""
    register_args: pulumi.Output[dict[str, Any]]
    """The ``anyscale cloud register`` flags and values, in order (``True`` = bare flag)."""
    register_command: pulumi.Output[str]
    """The same as one shell-safe command."""
    resource_file: pulumi.Output[str]
    """The same as the YAML of ``anyscale cloud register --name <n> --resource-file <file>``."""
    helm_values: pulumi.Output[Optional[dict[str, Any]]]
    """The operator release's values; None until ``cloud_deployment_id`` is set."""
    release_planned: bool
    """Whether this run installs the operator (``cloud_deployment_id`` set)."""
    kubernetes_provider: pulumi.ProviderResource
    """The provider the operator is installed with."""

    def __init__(self, name: str, args: AnyscaleGkeCloudArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGkeCloud"), name, None, opts)
        import pulumi_kubernetes as k8s  # the K8s SDK only where it is used

        from anyscale_infra.kubernetes.operator import AnyscaleOperator

        child = pulumi.ResourceOptions(parent=self)
        apis = AnyscaleGcpApis(name, args.part("apis"), child)
        after_apis = pulumi.ResourceOptions(parent=self, depends_on=apis.services)

        network = AnyscaleGcpNetwork(name, args.part("network"), after_apis)
        bucket = AnyscaleGcsBucket(name, args.bucket_args(), after_apis)
        on_vpc = {"network": network.vpc_self_link}
        self.filestore_instance_id = pulumi.Output.from_input(None)
        self.filestore_location = pulumi.Output.from_input(None)
        if args.enable_filestore:
            filestore = AnyscaleFilestore(name, args.part("filestore", **on_vpc), after_apis)
            self.filestore_instance_id = filestore.instance_id  # type: ignore[assignment]
            self.filestore_location = filestore.location  # type: ignore[assignment]
        self.memorystore_instance_name = pulumi.Output.from_input(None)
        if args.enable_memorystore:
            memorystore = AnyscaleMemorystore(name, args.part("memorystore", **on_vpc), after_apis)
            self.memorystore_instance_name = memorystore.instance_name  # type: ignore[assignment]

        cluster_outputs = {} if args.cluster.is_existing else {"network": network.vpc_self_link, "subnetwork": network.subnet_self_link}
        cluster = AnyscaleGkeCluster(name, args.part("cluster", **cluster_outputs), after_apis)
        identity = AnyscaleGkeOperatorIdentity(
            name,
            # The pool comes from the cluster: its Workload Identity member waits for it.
            args.part("operator_identity", workload_pool=cluster.workload_pool, bucket_name=bucket.bucket_name),
            after_apis,
        )

        self.gateway_address = pulumi.Output.from_input(None)
        if args.reserves_gateway_address():
            address = gcp.compute.Address(
                f"{name}-gateway",
                project=args.project_id,
                region=args.region,
                description=GATEWAY_ADDRESS_DESCRIPTION,
                labels=w.merge_labels(args.labels, args.cloud_id),
                # Private: an internal address in the nodes' subnet (an internal passthrough
                # load balancer); direct: a Premium-tier external address.
                **(
                    {"address_type": "INTERNAL", "subnetwork": network.subnet_self_link}
                    if args.private
                    else {"address_type": "EXTERNAL", "network_tier": "PREMIUM"}
                ),
                opts=w.child(self, depends_on=apis.services),
            )
            self.gateway_address = address.address  # type: ignore[assignment]

        if args.kubernetes_provider is not None:
            self.kubernetes_provider = args.kubernetes_provider
        else:
            # Everything on the cluster waits for its provider, so the provider waits for the
            # node pools (the operator and the gateway need a node) and the operator's identity
            # (the operator authenticates with it as soon as it starts).
            self.kubernetes_provider = k8s.Provider(
                f"{name}-k8s",
                kubeconfig=cluster.kubeconfig,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*cluster.node_pools, identity]),
            )
        operator = AnyscaleOperator(
            f"{name}-operator",
            args.operator_args(iam_identity=identity.service_account_email, gateway_address=self.gateway_address if args.reserves_gateway_address() else None),
            pulumi.ResourceOptions(
                parent=self,
                provider=self.kubernetes_provider,
                depends_on=[*cluster.node_pools, identity],
            ),
        )
        self.release_planned = operator.release_planned
        self.helm_values = operator.helm_values
        self.namespace = operator.namespace

        self.cluster_name = cluster.cluster_name
        self.kubeconfig = cluster.kubeconfig
        self.kubernetes_zones = cluster.zones
        self.operator_service_account_email = identity.service_account_email
        self.workload_identity_member = identity.workload_identity_member
        self.bucket_name = bucket.bucket_name
        self.vpc_name = network.vpc_name
        if args.cluster.is_existing:
            # `--vpc-name` (and Filestore) must be the existing cluster's VPC: checked once
            # Google has answered.
            self.vpc_name = pulumi.Output.all(network.vpc_name, cluster.network).apply(
                lambda values: _same_vpc(values[0], values[1], str(args.cluster.existing_cluster_name), type(args).__name__)
            )
        self.register = pulumi.Output.all(
            name=args.cloud_name,
            region=args.region,
            project_id=args.project_id,
            vpc_name=self.vpc_name,
            cloud_storage_bucket_name=self.bucket_name,
            filestore_instance_id=self.filestore_instance_id,
            filestore_location=self.filestore_location,
            memorystore_instance_name=self.memorystore_instance_name,
            kubernetes_zones=self.kubernetes_zones,
            anyscale_operator_iam_identity=self.operator_service_account_email,
            private_network=network.private_network,
        ).apply(lambda values: GcpK8sRegisterArgs(**values))
        self.register_args = self.register.apply(lambda r: r.flags())
        self.register_command = self.register.apply(lambda r: r.command())
        self.resource_file = self.register.apply(lambda r: r.resource_file_yaml())
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "kubernetes_zones": self.kubernetes_zones,
                "operator_service_account_email": self.operator_service_account_email,
                "workload_identity_member": self.workload_identity_member,
                "bucket_name": self.bucket_name,
                "vpc_name": self.vpc_name,
                "filestore_instance_id": self.filestore_instance_id,
                "filestore_location": self.filestore_location,
                "memorystore_instance_name": self.memorystore_instance_name,
                "gateway_address": self.gateway_address,
                "namespace": self.namespace,
                "register_args": self.register_args,
                "register_command": self.register_command,
                "resource_file": self.resource_file,
                "helm_values": self.helm_values,
            }
        )

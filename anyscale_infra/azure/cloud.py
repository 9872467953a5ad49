"""``AnyscaleAzureCloud``: an Anyscale cloud on AKS, from one args model, registered natively.

Seed 003: on Azure the data plane is an AKS cluster running the Anyscale operator, object
storage in Blob Storage / ADLS Gen2, an Azure Load Balancer for client access, and a
managed identity for the operator; the cloud is created through Azure Resource Manager.

Parts (each new or yours): the resource group, the VNet and node subnet, the AKS cluster,
the storage account and container, and the operator's identity (managed identity, federated
credential, blob role on the account). Then, by default (``registration=native``), one
``pulumi up`` does the rest: ``Anyscale.Platform/clouds`` + ``cloudResources/default``, the
gateway (Gateway API behind an Azure Load Balancer whose DNS label comes from the cloud
resource id) and the operator as the ``Anyscale.AKS.Operator`` extension. With
``registration=cli`` (an AKS cloud on the non-Azure console) it prints the
``anyscale cloud register --provider azure`` command instead, and installs the operator as
a helm release once ``cloud_deployment_id`` is set.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra._component import child, emit_advisories, type_token
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.aks import AnyscaleAksCluster, AnyscaleAksClusterArgs
from anyscale_infra.azure.identity import AnyscaleAksOperatorIdentity, AnyscaleAksOperatorIdentityArgs
from anyscale_infra.azure.network import AnyscaleAzureNetwork, AnyscaleAzureNetworkArgs
from anyscale_infra.azure.register import AzureK8sRegisterArgs
from anyscale_infra.azure.registration import (
    AnyscaleAzureRegistration,
    AnyscaleAzureRegistrationArgs,
    dns_label_for,
    gateway_hostname,
    extension_settings_inputs,
    operator_extension,
)
from anyscale_infra.azure.resource_group import AnyscaleResourceGroup, AnyscaleResourceGroupArgs
from anyscale_infra.azure.storage import AnyscaleAzureStorage, AnyscaleAzureStorageArgs
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel, NetworkingMode, wired_field_problems


class AzureRegistration(str, Enum):
    """How the cloud is registered."""

    NATIVE = "native"
    """Through Azure Resource Manager (``Anyscale.Platform/clouds``), the operator as the AKS
    extension, on Azure's control plane (``console.azure.anyscale.com``): one ``pulumi up``."""
    CLI = "cli"
    """``anyscale cloud register --provider azure`` (an AKS cloud on the non-Azure console),
    then the operator as a helm release once ``cloud_deployment_id`` is set: two steps."""


#: Fields of the part models that AnyscaleAzureCloud fills in itself.
_WIRED = {
    "resource_group": ("location", "supported_regions"),
    "network": ("resource_group_name", "location", "supported_regions"),
    "cluster": ("resource_group_name", "location", "supported_regions", "node_subnet_id", "networking", "vnet_cidr",
                "node_subnet_cidr"),
    "storage": ("resource_group_name", "location"),
    "identity": ("oidc_issuer_url", "resource_group_name", "location", "storage_account_id", "namespace"),
}


class AnyscaleAzureCloudArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAzureCloud`. Only ``cloud_name`` and ``location`` are
    required; every other default follows Anyscale's recommendations."""

    cloud_name: str
    """Name of the Anyscale cloud (the ``Anyscale.Platform/clouds`` resource; ``--name``). Required."""
    location: str
    """The Azure region, one where Anyscale clouds are available (checked first). Required."""
    supported_regions: list[str] = Field(default_factory=lambda: list(c.SUPPORTED_REGIONS))
    """Where ``Anyscale.Platform`` is available (the preview's list; extend it as Azure does)."""
    networking: NetworkingMode = NetworkingMode.DIRECT
    """direct: public API endpoint and a public load balancer with a DNS label; private: a
    private cluster and an internal load balancer (reach it over VPN/peering). Defaults to direct."""
    registration: AzureRegistration = AzureRegistration.NATIVE
    """native (ARM + the AKS extension, one ``pulumi up``) or cli. Defaults to native."""
    resource_group: AnyscaleResourceGroupArgs = Field(default_factory=AnyscaleResourceGroupArgs)
    """The resource group (new and protected by default, or ``existing_resource_group_name``)."""
    network: AnyscaleAzureNetworkArgs = Field(default_factory=AnyscaleAzureNetworkArgs)
    """The VNet and node subnet (new by default; none with an existing cluster)."""
    cluster: AnyscaleAksClusterArgs = Field(default_factory=AnyscaleAksClusterArgs)
    """The AKS cluster (new by default, or ``existing_cluster_id``)."""
    storage: AnyscaleAzureStorageArgs = Field(default_factory=AnyscaleAzureStorageArgs)
    """The storage account and container (new by default)."""
    identity: AnyscaleAksOperatorIdentityArgs = Field(default_factory=AnyscaleAksOperatorIdentityArgs)
    """The operator's managed identity (new by default)."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """The operator's namespace (its federated credential's subject names it)."""
    install_operator: bool = True
    """Install the operator (native: the extension; cli: the helm release once the id is set)."""
    api_version: str = c.ANYSCALE_PLATFORM_API_VERSION
    """native: the ``Anyscale.Platform`` API version. Defaults to the pinned preview version."""
    container_registry_id: Optional[str] = None
    """native: an Azure Container Registry for the cloud's images (``acrResourceId``). Optional."""
    extension_version: Optional[str] = None
    """native: pin the extension's version (None: the stable train's newest, auto-upgraded)."""
    azure_tenant_id: Optional[str] = None
    """cli: ``--azure-tenant-id``, the Entra ID tenant of the identity. Required on the cli path."""
    cloud_deployment_id: Optional[str] = None
    """cli: the ``cldrsrc_...`` id ``cloud register`` printed (second step: installs the operator)."""
    auth_audience: Optional[str] = None
    """cli: the operator's ``global.auth.audience`` (the CLI reads it from the control plane's
    API). Required with ``cloud_deployment_id`` on the cli path."""
    kubernetes_zones: Optional[list[str]] = None
    """``--kubernetes-zones``. Defaults to the cluster's zones."""
    kubernetes_provider: Optional[Any] = None
    """A ``kubernetes.Provider`` for the cluster (default: one from the cluster's user kubeconfig)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for every resource (a part's own tags win)."""
    cloud_id: Optional[str] = None
    """The ``cld_...`` id once known: tags every resource."""

    @field_validator("cloud_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        from anyscale_infra.validation import check_cloud_id

        return None if value is None else check_cloud_id(value)

    @field_validator("extension_version")
    @classmethod
    def _extension_version(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_chart_version(value)

    @field_validator("azure_tenant_id")
    @classmethod
    def _tenant(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_guid(value, "tenant id")

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_cloud_deployment_id(value)

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleAzureCloudArgs":
        problems = wired_field_problems(self, _WIRED, lambda part: "AnyscaleAzureCloud")
        problems += v.region_problems(self.location, self.supported_regions)
        cli = self.registration is AzureRegistration.CLI
        if cli and self.azure_tenant_id is None:
            problems.append(FieldProblem("azure_tenant_id", "is required with registration cli (--azure-tenant-id)"))
        if cli and self.install_operator and self.cloud_deployment_id is not None and self.auth_audience is None:
            problems.append(FieldProblem(
                "auth_audience",
                "is required to install the operator with registration cli (global.auth.audience: ask your control plane; "
                "the CLI reads it from its API)",
            ))
        if not cli:
            for field in ("azure_tenant_id", "cloud_deployment_id", "auth_audience"):
                if getattr(self, field) is not None:
                    problems.append(FieldProblem(field, "applies to registration cli only (native registration sets it itself)"))
        elif self.container_registry_id is not None:
            problems.append(FieldProblem("container_registry_id", "applies to native registration only (the cloud's acrResourceId)"))
        if self.container_registry_id is not None:
            try:
                v.check_resource_id(self.container_registry_id, "Microsoft.ContainerRegistry/registries")
            except ValueError as exc:
                problems.append(FieldProblem("container_registry_id", str(exc)))
        if self.cluster.existing_cluster_id is not None and ("existing_vnet_id" in self.network.model_fields_set
                                                            or "vnet_cidr" in self.network.model_fields_set):
            problems.append(FieldProblem("network", "is not used with cluster.existing_cluster_id (the cluster has its network)"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def advisories(self) -> list[str]:
        # Each part's component reports its own advisories, on the args the cloud wires.
        notes: list[str] = []
        if self.registration is AzureRegistration.CLI and self.install_operator and self.cloud_deployment_id is None:
            from anyscale_infra.kubernetes.operator import NO_DEPLOYMENT_ID_WARNING

            notes.append(NO_DEPLOYMENT_ID_WARNING)
        return notes

    def part_args(self, part: str, **wired: Any) -> Any:
        model = getattr(self, part)
        return type(model)(**{**model.model_dump(exclude_unset=True), **wired})


class AnyscaleAzureCloud(pulumi.ComponentResource):
    """Every resource of an Anyscale cloud on AKS, registered natively (or with the CLI)."""

    cloud_arm_id: pulumi.Output[Optional[str]]
    """native: the ``Anyscale.Platform/clouds`` resource's ARM id."""
    cloud_resource_id: pulumi.Output[Optional[str]]
    """The ``cldrsrc_...`` id (native: from ARM; cli: the one you set)."""
    cloud_id: pulumi.Output[Optional[str]]
    """native: the ``cld_...`` id (the console's and CLI's name for the cloud)."""
    cloud_name: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    bucket_endpoint: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    client_id: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    gateway_hostname: pulumi.Output[Optional[str]]
    register_args: pulumi.Output[Optional[dict]]
    register_command: pulumi.Output[Optional[str]]
    resource_file: pulumi.Output[Optional[str]]
    operator_settings: pulumi.Output[Optional[dict]]
    """The operator's settings (the extension's configurationSettings, or the helm values)."""

    def __init__(self, name: str, args: AnyscaleAzureCloudArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(type_token("AnyscaleAzureCloud"), name, None, opts)
        emit_advisories(self, args.advisories())
        import pulumi_kubernetes as k8s

        from anyscale_infra.kubernetes.ingress import AnyscaleGateway, AnyscaleGatewayArgs
        from anyscale_infra.kubernetes.load_balancer import LoadBalancerScheme

        regions = list(args.supported_regions)
        group = AnyscaleResourceGroup(
            name, args.part_args("resource_group", location=args.location, supported_regions=regions, **_tagged(args, "resource_group")),
            opts=child(self),
        )
        existing_cluster = args.cluster.existing_cluster_id is not None
        subnet_id = None
        network = None
        if not existing_cluster:
            network = AnyscaleAzureNetwork(
                name,
                args.part_args("network", resource_group_name=group.name, location=args.location, supported_regions=regions,
                               **_tagged(args, "network")),
                opts=child(self),
            )
            subnet_id = network.node_subnet_id
        # An existing cluster is looked up (its location and network are its own).
        cluster_wired: dict[str, Any] = {"supported_regions": regions}
        if not existing_cluster:
            cluster_wired.update(location=args.location, networking=args.networking, **_tagged(args, "cluster"))
            cluster_wired.update(
                resource_group_name=group.name, node_subnet_id=subnet_id,
                vnet_cidr=network.vnet_cidr, node_subnet_cidr=network.node_subnet_cidr,  # type: ignore[union-attr]
            )
        cluster = AnyscaleAksCluster(name, args.part_args("cluster", **cluster_wired), opts=child(self))
        # An existing account lives in the cloud's resource group; its location is its own.
        storage_wired: dict[str, Any] = {"resource_group_name": group.name}
        if args.storage.existing_account_name is None:
            storage_wired.update(location=args.location, **_tagged(args, "storage"))
        storage = AnyscaleAzureStorage(name, args.part_args("storage", **storage_wired), opts=child(self))
        identity = AnyscaleAksOperatorIdentity(
            name,
            args.part_args(
                "identity", oidc_issuer_url=cluster.oidc_issuer_url, resource_group_name=group.name, location=args.location,
                storage_account_id=storage.account_id, namespace=args.namespace, **_tagged(args, "identity"),
            ),
            opts=child(self),
        )

        provider = args.kubernetes_provider or k8s.Provider(
            f"{name}-aks", kubeconfig=cluster.kubeconfig,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[cluster, *cluster.node_pools]),
        )
        on_cluster = pulumi.ResourceOptions(parent=self, provider=provider)
        namespace = k8s.core.v1.Namespace(
            f"{name}-namespace", metadata={"name": args.namespace, "labels": {"app.kubernetes.io/part-of": "anyscale"}},
            opts=on_cluster,
        )
        public = args.networking is NetworkingMode.DIRECT
        scheme = LoadBalancerScheme.PUBLIC if public else LoadBalancerScheme.INTERNAL
        zones = pulumi.Output.from_input(args.kubernetes_zones) if args.kubernetes_zones is not None else cluster.zones

        self.cloud_arm_id = pulumi.Output.from_input(None)
        self.cloud_id = pulumi.Output.from_input(None)
        self.register_args = pulumi.Output.from_input(None)
        self.register_command = pulumi.Output.from_input(None)
        self.resource_file = pulumi.Output.from_input(None)
        self.operator_settings = pulumi.Output.from_input(None)
        if args.registration is AzureRegistration.NATIVE:
            registration = AnyscaleAzureRegistration(
                name,
                AnyscaleAzureRegistrationArgs(
                    cloud_name=args.cloud_name, resource_group_name=group.name, location=args.location,
                    bucket_name=storage.bucket_name, bucket_endpoint=storage.bucket_endpoint,
                    principal_id=identity.principal_id, client_id=identity.client_id,
                    cluster_name=cluster.cluster_name, cluster_resource_group_name=cluster.resource_group_name,
                    namespace=args.namespace, api_version=args.api_version, install_extension=False, tags=args.tags,
                    container_registry_id=args.container_registry_id,
                ),
                opts=child(self),
            )
            rid = registration.cloud_resource_id
            gateway = AnyscaleGateway(
                f"{name}-ingress",
                AnyscaleGatewayArgs(
                    cloud_provider="azure", namespace=args.namespace, load_balancer=scheme,
                    azure_dns_label=rid.apply(dns_label_for) if public else None,
                    cloud_deployment_id=rid, user_data_domain=kc.AZURE_USER_DATA_DOMAIN,
                ),
                opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[namespace]),
            )
            hostname = rid.apply(lambda r: gateway_hostname(dns_label_for(r), args.location)) if public else pulumi.Output.from_input(None)
            if args.install_operator:
                settings = extension_settings_inputs(
                    cloud_deployment_id=rid, client_id=identity.client_id, hostname=hostname if public else None,
                    namespace=args.namespace, gateway_name=kc.DEFAULT_GATEWAY_NAME,
                )
                # The walkthrough's order: after the federated credential and the gateway.
                operator_extension(
                    f"{name}-operator", settings, cluster_name=cluster.cluster_name,
                    cluster_resource_group_name=cluster.resource_group_name, namespace=args.namespace,
                    version=args.extension_version,
                    opts=child(self, depends_on=[registration, identity, gateway, *cluster.node_pools]),
                )
                self.operator_settings = pulumi.Output.from_input(settings)
            self.cloud_arm_id = registration.cloud_arm_id
            self.cloud_id = registration.cloud_id
            self.cloud_resource_id = rid
            self.gateway_hostname = hostname
        else:
            from anyscale_infra.kubernetes.operator import AnyscaleOperator, AnyscaleOperatorArgs

            register = pulumi.Output.all(storage.bucket_name, storage.bucket_endpoint, identity.principal_id, zones).apply(
                lambda s: AzureK8sRegisterArgs(
                    name=args.cloud_name, region=args.location, azure_tenant_id=args.azure_tenant_id,
                    cloud_storage_bucket_name=s[0], cloud_storage_bucket_endpoint=s[1], anyscale_operator_iam_identity=s[2],
                    kubernetes_zones=list(s[3] or []), private_network=not public,
                )
            )
            self.register_args = register.apply(lambda r: r.flags())
            self.register_command = register.apply(lambda r: r.command())
            self.resource_file = register.apply(lambda r: r.resource_file_yaml())
            label = dns_label_for(args.cloud_deployment_id) if (public and args.cloud_deployment_id) else None
            host = gateway_hostname(label, args.location) if label else None
            operator = AnyscaleOperator(
                f"{name}-operator",
                AnyscaleOperatorArgs(
                    cloud_provider="azure", cloud_deployment_id=args.cloud_deployment_id, iam_identity=identity.client_id,
                    auth_audience=args.auth_audience or c.AZURE_CONTROL_PLANE_AUDIENCE, namespace=args.namespace,
                    create_namespace=False, load_balancer=scheme, azure_dns_label=label, gateway_address=host,
                    install_operator=None if args.install_operator else False,
                ),
                opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[namespace, identity]),
            )
            self.operator_settings = operator.helm_values
            self.cloud_resource_id = pulumi.Output.from_input(args.cloud_deployment_id)
            self.gateway_hostname = pulumi.Output.from_input(host)

        self.cloud_name = pulumi.Output.from_input(args.cloud_name)
        self.bucket_name = storage.bucket_name
        self.bucket_endpoint = storage.bucket_endpoint
        self.principal_id = identity.principal_id
        self.client_id = identity.client_id
        self.cluster_name = cluster.cluster_name
        self.kubeconfig = cluster.kubeconfig
        self.kubernetes_zones = zones
        self.register_outputs({
            "cloud_arm_id": self.cloud_arm_id, "cloud_resource_id": self.cloud_resource_id, "cloud_id": self.cloud_id,
            "cloud_name": self.cloud_name, "bucket_name": self.bucket_name, "bucket_endpoint": self.bucket_endpoint,
            "principal_id": self.principal_id, "client_id": self.client_id, "register_command": self.register_command,
        })


def _tagged(args: AnyscaleAzureCloudArgs, part: str) -> dict[str, Any]:
    """The cloud's tags under a part's own (its own win), and the cloud id; none for an
    existing resource group (we tag only what we create)."""
    model = getattr(args, part)
    if part == "resource_group" and model.existing_resource_group_name is not None:
        return {}
    if part == "storage" and model.existing_account_name is not None:
        return {}
    wired: dict[str, Any] = {"tags": {**args.tags, **model.tags}}
    if args.cloud_id is not None and "cloud_id" in type(model).model_fields:
        wired["cloud_id"] = args.cloud_id
    return wired

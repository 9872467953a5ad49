"""The VNet and node subnet an AKS cluster for Anyscale runs in: new, or yours.

A new network (the anchor's ``azurerm_virtual_network.vnet`` and ``azurerm_subnet.nodes``):

* a VNet (default :data:`~anyscale_infra.azure.constants.DEFAULT_VNET_CIDR`, a /16);
* the AKS node subnet as its own ``network.Subnet`` resource (never inline ``subnets`` on the
  VNet: the two fight, each update of one removing what the other declared; the VNet also
  ignores changes to its ``subnets``), by default the first /20 of the VNet, with the
  ``Microsoft.Storage`` service endpoint so the nodes reach the storage account over the
  Azure backbone (and a storage firewall can admit this subnet).

The address plan is checked before anything is declared: the subnet inside the VNet and at
least a /24 (every node takes a VNet IP — and with flat Azure CNI every pod too, ``max_pods``
+ 1 per node — and Azure keeps 5 per subnet), and neither overlapping the ranges the AKS
cluster will use for services and (overlay) pods (``service_cidr``/``pod_cidr``: pass the
cluster's; the defaults are :class:`~anyscale_infra.azure.aks.AnyscaleAksCluster`'s).

Bring your own: ``existing_node_subnet_id`` uses a subnet you have (nothing is created);
``existing_vnet_id`` with ``node_subnet_cidr`` creates only the node subnet, in your VNet.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Optional

import pulumi
from pulumi_azure_native import network
from pydantic import Field, field_validator, model_validator

from anyscale_infra import _component as w
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.tags import merge_tags
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput, is_plain
from anyscale_infra.validation import check_cidr, check_cloud_id

# --- Pure planning --------------------------------------------------------------------------------


def default_node_subnet_cidr(vnet_cidr: str, prefix: int = c.DEFAULT_NODE_SUBNET_PREFIX) -> str:
    """The node subnet at the start of the VNet: its first ``/prefix`` (the whole VNet when the
    VNet is smaller than that).

    >>> default_node_subnet_cidr("10.0.0.0/16")
    '10.0.0.0/20'
    """
    vnet = ipaddress.IPv4Network(vnet_cidr)
    return str(next(vnet.subnets(new_prefix=max(prefix, vnet.prefixlen))))


def usable_ips(cidr: str) -> int:
    """Addresses of a subnet Azure hands out (it keeps 5 of every subnet)."""
    return max(ipaddress.IPv4Network(cidr).num_addresses - c.AZURE_RESERVED_IPS_PER_SUBNET, 0)


def network_cidr_problems(
    vnet_cidr: Optional[str], node_subnet_cidr: Optional[str], service_cidr: Optional[str], pod_cidr: Optional[str]
) -> list[FieldProblem]:
    """The address plan's broken rules, each naming this component's field."""
    return [
        FieldProblem(role, message)
        for role, message in v.address_space_problems(
            vnet_cidr=vnet_cidr, node_subnet_cidr=node_subnet_cidr, service_cidr=service_cidr, pod_cidr=pod_cidr
        )
    ]


# --- Args -----------------------------------------------------------------------------------------


def _cidr(value: Optional[str]) -> Optional[str]:
    return None if value is None else str(check_cidr(value))


class AnyscaleAzureNetworkArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAzureNetwork`: a new VNet and node subnet (default), a new
    subnet in an existing VNet, or an existing subnet."""

    resource_group_name: Optional[StrInput] = None
    """The resource group of a new VNet (e.g. :class:`~anyscale_infra.azure.resource_group.
    AnyscaleResourceGroup`'s ``name``). Required for a new VNet; with ``existing_vnet_id`` the
    subnet goes in the VNet's own group."""
    location: Optional[str] = None
    """The VNet's region: one of ``supported_regions``. Optional; defaults to the resource
    group's (azure-native's default)."""
    supported_regions: list[str] = Field(default_factory=lambda: list(c.SUPPORTED_REGIONS))
    """Regions where Anyscale clouds are available (checks ``location``). Optional; defaults
    to :data:`~anyscale_infra.azure.constants.SUPPORTED_REGIONS`."""
    vnet_cidr: Optional[str] = None
    """The new VNet's address space (at least a /24). Optional; defaults to ``10.0.0.0/16``.
    With an existing VNet or subnet: its address space, if you want it checked."""
    node_subnet_cidr: Optional[str] = None
    """The node subnet's range, inside the VNet, at least a /24 (every node takes a VNet IP;
    with flat Azure CNI every pod too). Optional for a new VNet (defaults to its first /20,
    ``10.0.0.0/20``); required with ``existing_vnet_id``; with ``existing_node_subnet_id``,
    the subnet's range if you want it checked."""
    vnet_name: Optional[str] = None
    """Name of the new VNet. Optional; defaults to an auto-name."""
    node_subnet_name: str = c.DEFAULT_NODE_SUBNET_NAME
    """Name of the new node subnet (unique in its VNet). Defaults to ``aks-nodes`` (the anchor's)."""
    service_cidr: Optional[str] = c.DEFAULT_SERVICE_CIDR
    """The AKS cluster's service CIDR, checked not to overlap the VNet. Defaults to the
    cluster's default, ``10.96.0.0/16``; None to skip."""
    pod_cidr: Optional[str] = c.DEFAULT_POD_CIDR
    """The AKS cluster's overlay pod CIDR, checked not to overlap the VNet. Defaults to the
    cluster's default, ``10.244.0.0/16``; None with flat Azure CNI (pods take subnet IPs)."""
    existing_vnet_id: Optional[str] = None
    """Create the node subnet in this existing VNet (its ARM id). Optional; needs
    ``node_subnet_cidr``."""
    existing_node_subnet_id: Optional[str] = None
    """Use this existing subnet for the nodes (its ARM id); nothing is created. Optional.
    Give it the ``Microsoft.Storage`` service endpoint yourself."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the new VNet (Azure tag rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: tagged ``anyscale-cloud-id``. Optional."""

    @field_validator("vnet_cidr", "node_subnet_cidr", "service_cidr", "pod_cidr")
    @classmethod
    def _cidrs(cls, value: Optional[str]) -> Optional[str]:
        return _cidr(value)

    @field_validator("supported_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        return v.check_supported_regions(value)

    @field_validator("vnet_name")
    @classmethod
    def _vnet_name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_network_name(value, "VNet name")

    @field_validator("node_subnet_name")
    @classmethod
    def _subnet_name(cls, value: str) -> str:
        return v.check_network_name(value, "subnet name")

    @field_validator("existing_vnet_id")
    @classmethod
    def _vnet_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_id(value, "Microsoft.Network/virtualNetworks")

    @field_validator("existing_node_subnet_id")
    @classmethod
    def _subnet_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_subnet_id(value)

    @field_validator("resource_group_name")
    @classmethod
    def _group(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        if value is not None and is_plain(value):
            v.check_resource_group_name(value)
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_cloud_id(value)

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleAzureNetworkArgs":
        problems = v.region_problems(self.location, self.supported_regions)
        problems += self._mode_problems()
        problems += network_cidr_problems(self.effective_vnet_cidr, self.effective_node_subnet_cidr, self.service_cidr, self.pod_cidr)
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _mode_problems(self) -> list[FieldProblem]:
        new_vnet_only = ("resource_group_name", "location", "vnet_name", "tags", "cloud_id")
        if self.existing_node_subnet_id is not None:
            problems = [
                FieldProblem(field, f"configures a network we create; only one of existing_node_subnet_id and {field} can be specified")
                for field in (*new_vnet_only, "node_subnet_name")
                if field in self.model_fields_set
            ]
            if self.existing_vnet_id is not None:
                subnet = v.resource_id_parts(self.existing_node_subnet_id)
                vnet = v.resource_id_parts(self.existing_vnet_id)
                if (subnet["subscription"].lower(), subnet["resource_group"].lower(), subnet["vnet"].lower()) != (
                    vnet["subscription"].lower(), vnet["resource_group"].lower(), vnet["name"].lower()
                ):
                    problems.append(FieldProblem("existing_node_subnet_id", f"is not a subnet of existing_vnet_id {self.existing_vnet_id}"))
            return problems
        if self.existing_vnet_id is not None:
            problems = [
                FieldProblem(field, f"configures a VNet we create; only one of existing_vnet_id and {field} can be specified")
                for field in new_vnet_only
                if field in self.model_fields_set
            ]
            if self.node_subnet_cidr is None:
                problems.append(FieldProblem("node_subnet_cidr", "is required with existing_vnet_id (a free range of that VNet, at least a /24)"))
            return problems
        return []

    @property
    def creates_vnet(self) -> bool:
        return self.existing_vnet_id is None and self.existing_node_subnet_id is None

    @property
    def creates_subnet(self) -> bool:
        return self.existing_node_subnet_id is None

    @property
    def effective_vnet_cidr(self) -> Optional[str]:
        if self.vnet_cidr is not None:
            return self.vnet_cidr
        return c.DEFAULT_VNET_CIDR if self.creates_vnet else None

    @property
    def effective_node_subnet_cidr(self) -> Optional[str]:
        if self.node_subnet_cidr is not None:
            return self.node_subnet_cidr
        vnet = self.effective_vnet_cidr
        return default_node_subnet_cidr(vnet) if self.creates_vnet and vnet is not None else None

    def wiring_problems(self) -> list[FieldProblem]:
        """What a new VNet still needs (the composite fills it in), checked before any resource."""
        if self.creates_vnet and self.resource_group_name is None:
            return [FieldProblem("resource_group_name", "is required for a new VNet (the cloud's resource group)")]
        return []

    def advisories(self) -> list[str]:
        notes = []
        vnet = self.effective_vnet_cidr
        if vnet is not None and not v.is_private_range(ipaddress.IPv4Network(vnet)):
            notes.append(f"VNet address space {vnet} is not a private range (RFC 1918): its addresses shadow those public ones for the nodes")
        if self.existing_node_subnet_id is not None:
            notes.append(
                f"existing subnet {self.existing_node_subnet_id}: give it the Microsoft.Storage service endpoint so the "
                "nodes reach the storage account over the Azure backbone"
            )
        return notes


# --- Component ------------------------------------------------------------------------------------


class AnyscaleAzureNetwork(pulumi.ComponentResource):
    """A VNet with an AKS node subnet (new or yours)."""

    vnet_id: pulumi.Output[str]
    """The VNet's ARM id."""
    vnet_name: pulumi.Output[str]
    """The VNet's name."""
    node_subnet_id: pulumi.Output[str]
    """The node subnet's ARM id: the AKS cluster's and every pool's ``vnet_subnet_id``."""
    node_subnet_name: pulumi.Output[str]
    """The node subnet's name."""
    vnet_cidr: Optional[str]
    """The VNet's address space as planned (None for an existing VNet not described)."""
    node_subnet_cidr: Optional[str]
    """The node subnet's range as planned (None for an existing subnet not described): pass
    it to the AKS cluster for its address checks."""
    vnet: Optional[network.VirtualNetwork]
    subnet: Optional[network.Subnet]

    def __init__(self, name: str, args: AnyscaleAzureNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleAzureNetwork"), name, None, opts)
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        w.hand_on_depends_on(self, opts)
        self.vnet_cidr = args.effective_vnet_cidr
        self.node_subnet_cidr = args.effective_node_subnet_cidr
        self.vnet, self.subnet = None, None
        if args.existing_node_subnet_id is not None:
            parts = v.resource_id_parts(args.existing_node_subnet_id)
            vnet_id = args.existing_node_subnet_id.rsplit("/subnets/", 1)[0]
            self.vnet_id = pulumi.Output.from_input(args.existing_vnet_id or vnet_id)
            self.vnet_name = pulumi.Output.from_input(parts["vnet"])
            self.node_subnet_id = pulumi.Output.from_input(args.existing_node_subnet_id)
            self.node_subnet_name = pulumi.Output.from_input(parts["name"])
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vnet_id": self.vnet_id,
                "vnet_name": self.vnet_name,
                "node_subnet_id": self.node_subnet_id,
                "node_subnet_name": self.node_subnet_name,
            }
        )

    def _create(self, name: str, args: AnyscaleAzureNetworkArgs) -> None:
        subnet_opts: dict[str, Any] = {}
        if args.existing_vnet_id is not None:
            parts = v.resource_id_parts(args.existing_vnet_id)
            group: pulumi.Input[str] = parts["resource_group"]
            vnet_name: pulumi.Input[str] = parts["name"]
            self.vnet_id = pulumi.Output.from_input(args.existing_vnet_id)
        else:
            assert args.resource_group_name is not None and self.vnet_cidr is not None
            group = args.resource_group_name
            vnet = network.VirtualNetwork(
                f"{name}-vnet",
                resource_group_name=group,
                virtual_network_name=args.vnet_name,
                location=args.location,
                address_space={"address_prefixes": [self.vnet_cidr]},
                tags=merge_tags(args.tags, args.cloud_id),
                # Subnets are separate resources: never let the VNet's own (empty) list win.
                opts=w.child(self, ignore_changes=["subnets"]),
            )
            self.vnet = vnet
            self.vnet_id = vnet.id
            vnet_name = vnet.name
            # Part of the VNet: deleting the VNet deletes it.
            subnet_opts["deleted_with"] = vnet
        subnet = network.Subnet(
            f"{name}-nodes",
            resource_group_name=group,
            virtual_network_name=vnet_name,
            subnet_name=args.node_subnet_name,
            address_prefix=self.node_subnet_cidr,
            # The nodes reach the storage account over the Azure backbone (anchor).
            service_endpoints=[{"service": c.STORAGE_SERVICE_ENDPOINT}],
            opts=w.child(self, **subnet_opts),
        )
        self.subnet = subnet
        self.vnet_name = pulumi.Output.from_input(vnet_name)
        self.node_subnet_id = subnet.id
        self.node_subnet_name = subnet.name  # type: ignore[assignment]

"""Everything an Anyscale cloud needs in a Google Cloud project, from one args model, and
the `anyscale cloud register --provider gcp` command (and resource file) that finishes it.

The parts, each its own component (and each new or bring-your-own): the project's APIs, the
network (VPC, subnet, NAT, proxy-only subnet — or an existing or shared VPC), the network
firewall policy, the Cloud Storage bucket, Filestore, Memorystore (optional) and the
identity (workload identity federation for Anyscale's control plane, the access and the
instance service accounts). The cloud wires them together: every part gets the cloud's
project and region, the firewall the network's VPC and ranges, Filestore and Memorystore
the VPC (the host project's for a shared VPC), the bucket both service accounts; and every
part waits for the APIs.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra.egress import DeploymentKind, egress_allowlist
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import validation as v
from anyscale_infra.gcp.apis import AnyscaleGcpApis, AnyscaleGcpApisArgs
from anyscale_infra.gcp.filestore import AnyscaleFilestore, AnyscaleFilestoreArgs
from anyscale_infra.gcp.firewall import AnyscaleGcpFirewall, AnyscaleGcpFirewallArgs
from anyscale_infra.gcp.identity import AnyscaleGcpIdentity, AnyscaleGcpIdentityArgs
from anyscale_infra.gcp.memorystore import AnyscaleMemorystore, AnyscaleMemorystoreArgs, region_of_instance_name
from anyscale_infra.gcp.network import AnyscaleGcpNetwork, AnyscaleGcpNetworkArgs
from anyscale_infra.gcp.register import GcpRegisterArgs
from anyscale_infra.gcp.storage import AnyscaleGcsBucket, AnyscaleGcsBucketArgs
from anyscale_infra.models import ArgsModel, disabled_part_notes, wired_field_problems

#: Fields of the part models that AnyscaleGcpCloud fills in itself (wiring between parts):
#: setting one of them in a part is an error naming it.
_WIRED: dict[str, tuple[str, ...]] = {
    "apis": ("project_id", "enable_memorystore"),
    "network": ("project_id", "region"),
    "firewall": ("vpc_id", "project_id", "subnet_cidrs", "proxy_only_subnet_cidr"),
    "bucket": ("region", "project_id", "access_service_account_email", "instance_service_account_email", "cloud_id"),
    "filestore": ("region", "network", "network_project", "project_id", "cloud_id"),
    "memorystore": ("region", "network", "network_project", "project_id", "cloud_id"),
    "identity": ("project_id", "org_id"),
}


class AnyscaleGcpCloudArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcpCloud`. Required: ``cloud_name``, ``project_id``,
    ``region``, ``org_id`` (for the workload identity provider) and
    ``firewall.ingress_cidr_blocks``; every other default follows Anyscale's recommendations."""

    cloud_name: str
    """Name of the Anyscale cloud (``--name``). Required."""
    project_id: str
    """The project the cloud runs in (``--project-id``): its ID, not its number. Required."""
    region: str
    """The cloud's region (``--region``), e.g. ``us-central1``. Required."""
    org_id: Optional[str] = None
    """Your Anyscale organization id (``org_...``): the workload identity provider admits only
    Anyscale's AWS role for it, ``gcp_if_<org id>``. Required unless the identity is your own."""
    cloud_id: Optional[str] = None
    """The id ``cloud register`` printed (``cld_...``): labels every resource with
    ``anyscale-cloud-id`` on the next ``pulumi up``. Optional."""
    apis: AnyscaleGcpApisArgs = Field(default_factory=AnyscaleGcpApisArgs)
    """The project's APIs (enabled by default; ``manage_apis=False`` if they are)."""
    network: AnyscaleGcpNetworkArgs = Field(default_factory=AnyscaleGcpNetworkArgs)
    """The VPC and subnet (new by default; direct or private networking; existing or shared VPC)."""
    firewall: AnyscaleGcpFirewallArgs
    """The network firewall policy; give at least ``ingress_cidr_blocks``. Required."""
    bucket: AnyscaleGcsBucketArgs = Field(default_factory=AnyscaleGcsBucketArgs)
    """The Cloud Storage bucket (new by default)."""
    enable_filestore: bool = True
    """Create (or register) Filestore; Anyscale workspaces need it. Defaults to True."""
    filestore: AnyscaleFilestoreArgs = Field(default_factory=AnyscaleFilestoreArgs)
    """The Filestore instance (new by default)."""
    enable_memorystore: bool = False
    """Create (or register) Memorystore for head-node fault tolerance. Defaults to False."""
    memorystore: AnyscaleMemorystoreArgs = Field(default_factory=AnyscaleMemorystoreArgs)
    """The Memorystore instance, when enabled."""
    identity: AnyscaleGcpIdentityArgs = Field(default_factory=AnyscaleGcpIdentityArgs)
    """Workload identity federation and the two service accounts (new by default)."""
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

    @field_validator("org_id")
    @classmethod
    def _org(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_org_id(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_labels(value)

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleGcpCloudArgs":
        problems = wired_field_problems(self, _WIRED, lambda part: "AnyscaleGcpCloud")
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        # Each part again, with what the cloud knows now (its project, region, org id): a
        # location outside the region, a missing org id, fail here, before any resource.
        for part, update in self._plain_wiring().items():
            try:
                wired = self._wired(part, update)
            except InvalidArgsError as exc:
                problems += [FieldProblem(_where(part, p.field), p.message) for p in exc.problems]
                continue
            if part in ("bucket", "identity"):  # Filestore/Memorystore get the VPC later
                problems += [FieldProblem(_where(part, p.field), p.message) for p in wired.wiring_problems()]
        problems += self._existing_location_problems()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _existing_location_problems(self) -> list[FieldProblem]:
        """An existing Filestore or Memorystore outside the cloud's region: the register args
        refuse it (``filestore_location``, ``memorystore_instance_name``); say so now, naming
        the field the user set, instead of inside an output after every resource is declared."""
        problems: list[FieldProblem] = []
        location = self.filestore.existing_location
        if self.enable_filestore and location is not None and v.region_of_location(location) != self.region:
            problems.append(
                FieldProblem(
                    "filestore.existing_location",
                    f"{location} is not in the cloud's region {self.region} (`anyscale cloud register` takes a "
                    "Filestore in the cloud's region only)",
                )
            )
        name = self.memorystore.existing_instance_name
        if self.enable_memorystore and name is not None and (region := region_of_instance_name(name)) != self.region:
            problems.append(
                FieldProblem(
                    "memorystore.existing_instance_name",
                    f"is in {region}, not in the cloud's region {self.region} (`anyscale cloud register` takes a "
                    "Memorystore in the cloud's region only)",
                )
            )
        return problems

    def _plain_wiring(self) -> dict[str, dict[str, Any]]:
        """What the cloud gives each part that is known before anything is created."""
        located = {"region": self.region, "project_id": self.project_id, "cloud_id": self.cloud_id}
        wiring: dict[str, dict[str, Any]] = {
            "apis": {"project_id": self.project_id, "enable_memorystore": self.enable_memorystore},
            "network": {"project_id": self.project_id, "region": self.region},
            "bucket": located,
            "identity": {"project_id": self.project_id, "org_id": self.org_id},
        }
        # A shared VPC's host project is known now: a new instance's connect mode and reserved
        # range are checked against it here (DIRECT_PEERING cannot reach it), not at deployment.
        host = {"network_project": self.network.host_project_id}
        if self.enable_filestore:
            wiring["filestore"] = {**located, **(host if self.filestore.existing_instance_id is None else {})}
        if self.enable_memorystore:
            wiring["memorystore"] = {**located, **(host if self.memorystore.existing_instance_name is None else {})}
        return wiring

    def _wired(self, part: str, update: dict[str, Any]) -> Any:
        """The part's args with the cloud's values merged in, validated again."""
        model = getattr(self, part)
        given = model.model_dump(exclude_unset=True)
        labels = {**self.labels, **given.get("labels", {})} if "labels" in type(model).model_fields else None
        merged = {**given, **{k: val for k, val in update.items() if val is not None}}
        if labels is not None:
            merged["labels"] = labels
        return type(model)(**merged)

    def part(self, name: str, **outputs: Any) -> Any:
        """The args the component of part ``name`` gets: the user's, the cloud's plain
        values, and ``outputs`` of other parts (not validated again: not known yet)."""
        wired = self._wired(name, self._plain_wiring().get(name, {}))
        return wired.model_copy(update=outputs) if outputs else wired

    def advisories(self) -> list[str]:
        notes: list[str] = []
        if not self.enable_filestore:
            notes.append("enable_filestore is off: Anyscale workspaces need Filestore")
        notes += disabled_part_notes(self, {"filestore": "enable_filestore", "memorystore": "enable_memorystore"})
        return notes


def _where(part: str, field: str) -> str:
    """A part's field, as the user wrote it (``bucket.location``) or the cloud's (``org_id``)."""
    top_level = {"org_id", "project_id", "region", "cloud_id"}
    return field if field in top_level or not field else f"{part}.{field}"


class AnyscaleGcpCloud(pulumi.ComponentResource):
    """Everything an Anyscale cloud needs in your Google Cloud project, plus its register command."""

    vpc_name: pulumi.Output[str]
    subnet_name: pulumi.Output[str]
    firewall_policy_name: pulumi.Output[str]
    bucket_name: pulumi.Output[str]
    filestore_instance_id: pulumi.Output[Optional[str]]
    filestore_location: pulumi.Output[Optional[str]]
    memorystore_instance_name: pulumi.Output[Optional[str]]
    access_service_account_email: pulumi.Output[str]
    instance_service_account_email: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    """The workload identity provider, with the project NUMBER (``--provider-name``)."""
    register_args: pulumi.Output[dict[str, Any]]
    """The ``anyscale cloud register`` flags and values, in order (``True`` = bare flag)."""
    register_command: pulumi.Output[str]
    """The same as one shell-safe command."""
    resource_file: pulumi.Output[str]
    """The same as the YAML of ``anyscale cloud register --name <n> --resource-file <file>``
    (the CLI's ``CloudDeployment``)."""
    egress_allowlist: pulumi.Output[list[dict[str, Any]]]
    """Domains clusters must/should reach (seed 000), exact once ``cloud_id`` is set."""

    def __init__(self, name: str, args: AnyscaleGcpCloudArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGcpCloud"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        apis = AnyscaleGcpApis(name, args.part("apis"), child)
        # Everything else waits for the APIs it uses (a new project has them off).
        after_apis = pulumi.ResourceOptions(parent=self, depends_on=apis.services)

        network = AnyscaleGcpNetwork(name, args.part("network"), after_apis)
        firewall_given = args.part("firewall").model_dump(exclude_unset=True)
        firewall = AnyscaleGcpFirewall(name, AnyscaleGcpFirewallArgs.for_network(network, **firewall_given), after_apis)
        identity = AnyscaleGcpIdentity(name, args.part("identity"), after_apis)
        bucket = AnyscaleGcsBucket(
            name,
            args.part(
                "bucket",
                access_service_account_email=identity.access_service_account_email,
                instance_service_account_email=identity.instance_service_account_email,
            ),
            after_apis,
        )
        # Filestore and Memorystore live in the cloud's project, on its VPC: the host
        # project's for a shared VPC (then reached through private service access; the host
        # project is a plain value, in `part` already).
        shared = args.network.host_project_id
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

        self.vpc_name = network.vpc_name
        self.subnet_name = network.subnet_name
        self.firewall_policy_name = firewall.firewall_policy_name
        self.bucket_name = bucket.bucket_name
        self.access_service_account_email = identity.access_service_account_email
        self.instance_service_account_email = identity.instance_service_account_email
        self.provider_name = identity.provider_name
        register = pulumi.Output.all(
            name=args.cloud_name,
            region=args.region,
            project_id=args.project_id,
            vpc_name=self.vpc_name,
            subnet_names=pulumi.Output.all(self.subnet_name),
            firewall_policy_names=pulumi.Output.all(self.firewall_policy_name),
            cloud_storage_bucket_name=self.bucket_name,
            anyscale_service_account_email=self.access_service_account_email,
            instance_service_account_email=self.instance_service_account_email,
            provider_name=self.provider_name,
            filestore_instance_id=self.filestore_instance_id,
            filestore_location=self.filestore_location,
            memorystore_instance_name=self.memorystore_instance_name,
            host_project_id=shared,
            private_network=network.private_network,
        ).apply(lambda values: GcpRegisterArgs(**values))
        self.register_args = register.apply(lambda r: r.flags())
        self.register_command = register.apply(lambda r: r.command())
        self.resource_file = register.apply(lambda r: r.resource_file_yaml())
        self.egress_allowlist = pulumi.Output.from_input(egress_allowlist(DeploymentKind.VM, cloud_id=args.cloud_id))
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vpc_name": self.vpc_name,
                "subnet_name": self.subnet_name,
                "firewall_policy_name": self.firewall_policy_name,
                "bucket_name": self.bucket_name,
                "filestore_instance_id": self.filestore_instance_id,
                "filestore_location": self.filestore_location,
                "memorystore_instance_name": self.memorystore_instance_name,
                "access_service_account_email": self.access_service_account_email,
                "instance_service_account_email": self.instance_service_account_email,
                "provider_name": self.provider_name,
                "register_args": self.register_args,
                "register_command": self.register_command,
                "resource_file": self.resource_file,
                "egress_allowlist": self.egress_allowlist,
            }
        )

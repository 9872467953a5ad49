"""The cloud's shared NFS file system: Filestore, optional, new or existing.

What ``anyscale cloud register --provider gcp`` needs (``--filestore-instance-id`` and
``--filestore-location``, which the CLI composes into
``projects/<--project-id>/locations/<location>/instances/<id>``; ``verify_filestore``):
an instance in the cloud's project, on the cloud's VPC (the verifier matches the last part
of each ``networks[].network`` to ``--vpc-name`` and errors otherwise), in the cloud's region
(it warns about cross-region egress otherwise). Anyscale mounts the first file share.

A new instance: a current service tier (:class:`FilestoreTier`) with its capacity rule
checked before anything is declared, in a zone of the cloud's region for the zonal tiers or
in the region for the regional ones (the anchor only knows ENTERPRISE as regional), one
file share, IPv4 on the cloud VPC, protected by default.

Connect mode: ``DIRECT_PEERING`` (Filestore peers its own network with the VPC; nothing to
prepare; what Anyscale's own ``cloud setup`` creates) unless the VPC is a Shared VPC network
(``network_project`` set): an instance created in a service project reaches the host
project's network through private services access only, so the mode is then
``PRIVATE_SERVICE_ACCESS`` (the anchor's advice too), and the host network needs a private
services connection (``servicenetworking``) first — give ``network`` as an output of that
connection, or of the network component that made it, so the instance waits for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import validation as v
from anyscale_infra.gcp.private_service import (  # noqa: F401 - ConnectMode, network_reference re-exported
    ConnectMode,
    OnCloudVpcArgs,
    network_reference,
    resolve_connect_mode,
)
from anyscale_infra.models import StrInput

# The rules and builders here import no cloud SDK (the policy pack and its runner use them
# without pulumi-gcp): the components import pulumi_gcp where they declare resources.


class FilestoreTier(str, Enum):
    """Filestore's current service tiers (https://cloud.google.com/filestore/docs/service-tiers;
    capacities as pulumi-gcp 10.2 documents ``file_shares.capacity_gb``)."""

    BASIC_HDD = "BASIC_HDD"
    """Zonal; 1024-65433 GiB in 1 GiB steps; can only grow. The default (what Anyscale's own
    ``cloud setup`` creates, as its legacy name STANDARD)."""
    BASIC_SSD = "BASIC_SSD"
    """Zonal; 2560-65433 GiB in 1 GiB steps; can only grow (legacy name PREMIUM)."""
    ZONAL = "ZONAL"
    """Zonal; 100-10239 GiB in 1 GiB steps, or 10240-102400 GiB in 2560 GiB steps (the
    upper band replaces HIGH_SCALE_SSD)."""
    REGIONAL = "REGIONAL"
    """Regional (survives a zone's loss); 1024-10239 GiB in 1 GiB steps, or 10240-102400 GiB
    in 2560 GiB steps (Google allows 100 GiB in some regions: not assumed here)."""
    ENTERPRISE = "ENTERPRISE"
    """Regional; 1024-10240 GiB in 256 GiB steps."""


@dataclass(frozen=True)
class CapacityBand:
    """``min_gb``..``max_gb`` GiB in steps of ``step_gb`` from ``min_gb``."""

    min_gb: int
    max_gb: int
    step_gb: int

    def admits(self, gb: int) -> bool:
        return self.min_gb <= gb <= self.max_gb and (gb - self.min_gb) % self.step_gb == 0

    def __str__(self) -> str:
        return f"{self.min_gb}-{self.max_gb} GiB in steps of {self.step_gb} GiB"


#: Capacity rules per tier (pulumi-gcp 10.2 ``InstanceFileSharesArgs.capacity_gb``; Google's
#: service-tiers page). Candidates for gcp/constants.py.
CAPACITY_BANDS: dict[FilestoreTier, tuple[CapacityBand, ...]] = {
    FilestoreTier.BASIC_HDD: (CapacityBand(1024, 65433, 1),),
    FilestoreTier.BASIC_SSD: (CapacityBand(2560, 65433, 1),),
    FilestoreTier.ZONAL: (CapacityBand(100, 10239, 1), CapacityBand(10240, 102400, 2560)),
    FilestoreTier.REGIONAL: (CapacityBand(1024, 10239, 1), CapacityBand(10240, 102400, 2560)),
    FilestoreTier.ENTERPRISE: (CapacityBand(1024, 10240, 256),),
}
#: Tiers whose instances live in a region (the others in a zone).
REGIONAL_TIERS = frozenset({FilestoreTier.REGIONAL, FilestoreTier.ENTERPRISE})
#: Legacy tier names Google still accepts, and what they are now.
LEGACY_TIERS = {"STANDARD": "BASIC_HDD", "PREMIUM": "BASIC_SSD", "HIGH_SCALE_SSD": "ZONAL (10240 GiB and up)"}
#: Size of the range a directly peered instance reserves: /29 on the basic tiers, /26 on the
#: others (https://cloud.google.com/filestore/docs/creating-instances#allocate_ip_range).
RESERVED_RANGE_PREFIX = {
    FilestoreTier.BASIC_HDD: 29,
    FilestoreTier.BASIC_SSD: 29,
    FilestoreTier.ZONAL: 26,
    FilestoreTier.REGIONAL: 26,
    FilestoreTier.ENTERPRISE: 26,
}

DEFAULT_TIER = FilestoreTier.BASIC_HDD
#: The smallest BASIC_HDD instance (Anyscale's ``cloud setup`` default size).
DEFAULT_CAPACITY_GB = 1024
#: Zone of a zonal instance when none is given: ``<region>-b``, as Anyscale's ``cloud setup``
#: ("some regions like us-east1 or europe-west1 don't have zone a").
DEFAULT_ZONE_SUFFIX = "b"
#: The file share Anyscale's ``cloud setup`` creates.
DEFAULT_SHARE_NAME = "anyscale_vol"
SHARE_NAME_MAX_LENGTH = 16
DEFAULT_DESCRIPTION = "Anyscale cloud shared storage"
#: Filestore address mode: the cloud's networks are IPv4.
NETWORK_MODES = ("MODE_IPV4",)

# Filestore file share names: a letter, then letters, digits and underscores, at most 16
# characters (pulumi-gcp: "16 characters or less", the limit on basic tiers, kept on all).
_SHARE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


# --- Pure rules (candidates for gcp/validation.py) --------------------------------------------
def tier_of(value: Any) -> Any:
    """Turn a legacy tier name into an error that names its successor."""
    if isinstance(value, str) and value.upper() in LEGACY_TIERS:
        raise ValueError(
            f"{value} is a legacy Filestore tier; use {LEGACY_TIERS[value.upper()]} "
            f"(current tiers: {', '.join(t.value for t in FilestoreTier)})"
        )
    return value


def default_capacity_gb(tier: FilestoreTier) -> int:
    """1024 GiB (Anyscale's ``cloud setup`` size), or the tier's smallest when larger."""
    return max(DEFAULT_CAPACITY_GB, CAPACITY_BANDS[tier][0].min_gb)


def capacity_problem(tier: FilestoreTier, capacity_gb: int) -> Optional[str]:
    """None if ``tier`` admits ``capacity_gb``, else the tier's rule as a sentence."""
    bands = CAPACITY_BANDS[tier]
    if any(band.admits(capacity_gb) for band in bands):
        return None
    return f"{capacity_gb} GiB is not a {tier.value} capacity: {tier.value} takes " + ", or ".join(str(b) for b in bands)


def check_share_name(value: str) -> str:
    if not isinstance(value, str) or not _SHARE_NAME.match(value) or len(value) > SHARE_NAME_MAX_LENGTH:
        raise ValueError(
            f"file share name {value!r} must be 1 to {SHARE_NAME_MAX_LENGTH} letters, digits and underscores, "
            "starting with a letter (Filestore file share naming rule)"
        )
    return value


# --- Args ---------------------------------------------------------------------------------
class AnyscaleFilestoreArgs(OnCloudVpcArgs):
    """Arguments of :class:`AnyscaleFilestore`."""

    existing_field: ClassVar[str] = "existing_instance_id"

    region: Optional[str] = None
    """The cloud's region (``--region``). Required for a new instance (its zone or region
    must be there; the verifier warns about cross-region egress)."""
    network: Optional[StrInput] = None
    """The cloud VPC (``--vpc-name``): its name, ``projects/<p>/global/networks/<name>`` or
    its self link. Required for a new instance (the verifier errors unless the instance is
    on it). Set for you inside :class:`AnyscaleGcpCloud`."""
    network_project: Optional[str] = None
    """The Shared VPC host project owning ``network`` (``--host-project-id``). Optional; set,
    the network is the host project's and the connect mode PRIVATE_SERVICE_ACCESS."""
    connect_mode: Optional[ConnectMode] = None
    """Connect mode. Optional; defaults to PRIVATE_SERVICE_ACCESS for a Shared VPC network,
    DIRECT_PEERING otherwise (DIRECT_PEERING with a Shared VPC is an error)."""
    reserved_ip_range: Optional[StrInput] = None
    """DIRECT_PEERING: the /29 (basic tiers) or /26 (other tiers) block the instance takes;
    PRIVATE_SERVICE_ACCESS: the allocated range's name. Optional; defaults to a free range
    the service picks."""
    tier: FilestoreTier = DEFAULT_TIER
    """Service tier. Defaults to BASIC_HDD (legacy STANDARD/PREMIUM/HIGH_SCALE_SSD are refused
    with their current names)."""
    capacity_gb: Optional[int] = None
    """File share capacity in GiB, within the tier's range and steps. Defaults to 1024, or
    the tier's smallest size when that is larger (BASIC_SSD: 2560)."""
    location: Optional[str] = None
    """Where the instance goes: a zone of the cloud's region for BASIC_HDD, BASIC_SSD and
    ZONAL; the cloud's region for REGIONAL and ENTERPRISE. Optional; defaults to
    ``<region>-b`` or the region."""
    instance_name: Optional[str] = None
    """The new instance's id (RFC 1035, 1-63 characters). Optional; defaults to Pulumi's
    auto-name ``<name>-filestore-<7 hex>``."""
    share_name: str = DEFAULT_SHARE_NAME
    """Name of the file share (1-16 letters, digits and underscores, starting with a
    letter). Defaults to ``anyscale_vol``, as Anyscale's own setup."""
    description: str = DEFAULT_DESCRIPTION
    """Description of the instance (the cloud id is appended when known). Defaults to
    "Anyscale cloud shared storage"."""
    existing_instance_id: Optional[str] = None
    """Use this existing instance (its short id, ``--filestore-instance-id``); nothing is
    created. It must be in the cloud's project (the CLI composes its name with
    ``--project-id``). Optional; needs ``existing_location``."""
    existing_location: Optional[str] = None
    """The existing instance's zone or region (``--filestore-location``). Required with
    ``existing_instance_id``."""
    project_id: Optional[str] = None
    """Project of the instance: the cloud's project (``--project-id``). Optional; defaults to
    the provider's project."""
    protect: bool = True
    """Protect the instance from deletion and replacement. Defaults to True."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Labels of the new instance. Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: labelled ``anyscale-cloud-id``. Optional."""

    @field_validator("tier", mode="before")
    @classmethod
    def _tier(cls, value: Any) -> Any:
        return tier_of(value)

    @field_validator("instance_name", "existing_instance_id")
    @classmethod
    def _instance(cls, value: Optional[str]) -> Optional[str]:
        if isinstance(value, str) and value.startswith("projects/"):
            raise ValueError(
                f"{value!r} is a full name; give the short instance id (the part after instances/) "
                "and its location separately"
            )
        return None if value is None else v.check_resource_name(value, "instance id")

    @field_validator("share_name")
    @classmethod
    def _share(cls, value: str) -> str:
        return check_share_name(value)

    def effective_capacity_gb(self) -> int:
        """The share's size: ``capacity_gb``, or the tier's default (:func:`default_capacity_gb`)."""
        return self.capacity_gb if self.capacity_gb is not None else default_capacity_gb(self.tier)

    @model_validator(mode="after")
    def _modes(self) -> AnyscaleFilestoreArgs:
        problems: list[FieldProblem] = []
        if self.existing_instance_id is not None or self.existing_location is not None:
            problems += self._existing()
        else:
            problems += self._new()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _existing(self) -> list[FieldProblem]:
        problems = []
        if self.existing_instance_id is None:
            problems.append(FieldProblem("existing_instance_id", "is required with existing_location"))
        if self.existing_location is None:
            problems.append(
                FieldProblem("existing_location", "is required with existing_instance_id (--filestore-location)")
            )
        elif not (_is_zone(self.existing_location) or _is_region(self.existing_location)):
            problems.append(
                FieldProblem("existing_location", f"{self.existing_location!r} is not a Google Cloud zone or region")
            )
        for name in (
            "network", "network_project", "connect_mode", "reserved_ip_range", "tier", "capacity_gb",
            "location", "instance_name", "share_name", "description",
        ):
            if name in self.model_fields_set:
                problems.append(
                    FieldProblem(name, f"configures an instance we create; only one of existing_instance_id and {name} can be specified")
                )
        return problems

    def _new(self) -> list[FieldProblem]:
        problems = []
        # (No region or network yet: AnyscaleGcpCloud sets them; the component checks they
        # are there, see `wiring_problems`.)
        if problem := capacity_problem(self.tier, self.effective_capacity_gb()):
            problems.append(FieldProblem("capacity_gb", problem))
        if self.region is not None and self.location is not None:
            problems += self._location_problems(self.region, self.location)
        problems += self.connection_problems(RESERVED_RANGE_PREFIX[self.tier], exact=True, context=self.tier.value)
        return problems

    def _location_problems(self, region: str, location: str) -> list[FieldProblem]:
        if self.tier in REGIONAL_TIERS:
            if location != region:
                kind = "a zone" if _is_zone(location) else "not the cloud's region"
                return [
                    FieldProblem(
                        "location",
                        f"{location} is {kind}: {self.tier.value} is a regional tier and goes in the cloud's region {region}",
                    )
                ]
            return []
        try:
            v.check_zone(location, region)
        except ValueError as exc:
            detail = (
                f"{self.tier.value} is a zonal tier: give a zone of the cloud's region {region}"
                if _is_region(location)
                else f"the zone must be in the cloud's region {region} (the verifier warns about cross-region egress)"
            )
            return [FieldProblem("location", f"{exc}; {detail}")]
        return []

    def instance_location(self) -> str:
        """The new instance's location: given, or ``<region>-b`` / the region by tier."""
        if self.location is not None:
            return self.location
        assert self.region is not None
        return self.region if self.tier in REGIONAL_TIERS else f"{self.region}-{DEFAULT_ZONE_SUFFIX}"

    def advisories(self) -> list[str]:
        notes = []
        if self.existing_location is not None and self.region is not None and self.region not in self.existing_location:
            notes.append(
                f"Filestore location {self.existing_location} is outside the cloud's region {self.region}: "
                "`anyscale cloud register` warns about cross-region egress charges"
            )
        return notes


def _is_zone(value: str) -> bool:
    try:
        v.check_zone(value)
    except ValueError:
        return False
    return True


def _is_region(value: str) -> bool:
    try:
        v.check_region(value)
    except ValueError:
        return False
    return True


# --- Component ------------------------------------------------------------------------------
class AnyscaleFilestore(pulumi.ComponentResource):
    """A Filestore instance on the cloud VPC (new), or an existing one."""

    instance_id: pulumi.Output[str]
    """The short instance id: ``--filestore-instance-id``."""
    location: pulumi.Output[str]
    """The instance's zone or region: ``--filestore-location``."""
    instance_name: pulumi.Output[str]
    """``projects/<project>/locations/<location>/instances/<id>``, the name the CLI composes
    (and stores as the cloud's file storage id)."""
    file_share_name: pulumi.Output[Optional[str]]
    """The file share Anyscale mounts (new instance only)."""
    ip_addresses: pulumi.Output[Optional[list[str]]]
    """The instance's addresses on the VPC (new instance only), e.g. for egress firewall rules."""

    def __init__(self, name: str, args: AnyscaleFilestoreArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        super().__init__(w.type_token("AnyscaleFilestore"), name, None, opts)
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        w.hand_on_depends_on(self, opts)  # e.g. the APIs the cloud enables first
        if args.existing_instance_id is not None:
            assert args.existing_location is not None
            project = (
                pulumi.Output.from_input(args.project_id)
                if args.project_id is not None
                else gcp.organizations.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).project
            )
            self.instance_id = pulumi.Output.from_input(args.existing_instance_id)
            self.location = pulumi.Output.from_input(args.existing_location)
            self.instance_name = pulumi.Output.concat(
                "projects/", project, "/locations/", args.existing_location, "/instances/", args.existing_instance_id
            )
            self.file_share_name = pulumi.Output.from_input(None)
            self.ip_addresses = pulumi.Output.from_input(None)
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "instance_id": self.instance_id,
                "location": self.location,
                "instance_name": self.instance_name,
                "file_share_name": self.file_share_name,
                "ip_addresses": self.ip_addresses,
            }
        )

    def _create(self, name: str, args: AnyscaleFilestoreArgs) -> None:
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        if args.instance_name is None:
            # Pulumi auto-names `<logical name>-<7 hex>`: catch a name that cannot be an id now.
            try:
                v.check_resource_name(f"{name}-filestore-0000000", "instance id")
            except ValueError as exc:
                raise w.fail(
                    type(args).__name__, "instance_name", f"is needed: the auto-name from component name {name!r} is invalid ({exc})"
                ) from None
        mode = resolve_connect_mode(args.connect_mode, args.network_project is not None)
        host = args.network_project
        network = pulumi.Output.from_input(args.network).apply(lambda n: network_reference(n, host))
        network_config: dict[str, Any] = {
            # verifier: the instance must be on --vpc-name (last part of networks[].network).
            "network": network,
            "modes": list(NETWORK_MODES),
            "connect_mode": mode.value,
        }
        if args.reserved_ip_range is not None:
            network_config["reserved_ip_range"] = args.reserved_ip_range
        description = args.description if args.cloud_id is None else f"{args.description} ({args.cloud_id})"
        instance = gcp.filestore.Instance(
            f"{name}-filestore",
            name=args.instance_name,
            project=args.project_id,
            # Zonal tiers in a zone, regional tiers in the region (anchor: only ENTERPRISE was).
            location=args.instance_location(),
            tier=args.tier.value,
            file_shares={"name": args.share_name, "capacity_gb": args.effective_capacity_gb()},
            networks=[network_config],
            description=description,
            labels=w.merge_labels(args.labels, args.cloud_id),
            opts=w.stateful(self, args.protect),
        )
        self.instance_id = instance.name
        self.location = instance.location  # type: ignore[assignment]
        self.instance_name = instance.id
        self.file_share_name = instance.file_shares.apply(lambda share: share.name)  # type: ignore[assignment]
        self.ip_addresses = instance.networks.apply(  # type: ignore[assignment]
            lambda networks: list(networks[0].ip_addresses or []) if networks else []
        )

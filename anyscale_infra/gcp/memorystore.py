"""Optional Memorystore for Redis: head-node fault tolerance for Anyscale Services on GCP.

What ``anyscale cloud register --provider gcp --memorystore-instance-name`` checks
(``verify_memorystore``; the name must match ``_validate_gcp_config``'s
``projects/.+/locations/.+/instances/.+``): on the cloud VPC (error otherwise), tier
``STANDARD_HA`` (warning otherwise), ``maxmemory-policy`` = ``allkeys-lru`` (warning
otherwise), read replicas enabled (error otherwise) and **TLS off** (error otherwise:
``transit_encryption_mode`` must be ``DISABLED``). That last one is the opposite of AWS,
where MemoryDB must use TLS: Anyscale's clusters connect to Memorystore without TLS, so
there is no argument here that can turn it on. AUTH stays off too (Anyscale is given no
AUTH string).

A new instance: STANDARD_HA with read replicas (1 to 5, at least 5 GB: Memorystore's
floor for read replicas; the anchor's checks of both limits are always true), in the
cloud's region, on the cloud VPC (for a Shared VPC, the host project's network through
private services access, as Filestore), Redis 7.0 as Anyscale's own setup, protected by
default (Pulumi ``protect`` and the provider's ``deletion_protection`` alike).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.gcp.private_service import (
    ConnectMode,
    OnCloudVpcArgs,
    network_reference,
    resolve_connect_mode,
)
from anyscale_infra.models import StrInput

# The rules and builders here import no cloud SDK (the policy pack and its runner use them
# without pulumi-gcp): the components import pulumi_gcp where they declare resources.

#: Read replicas need an instance of at least 5 GB; Memorystore's largest is 300 GB
#: (https://cloud.google.com/memorystore/docs/redis/about-read-replicas, redis-tiers).
MIN_MEMORY_SIZE_GB = 5
MAX_MEMORY_SIZE_GB = 300
#: 5 GB, the smallest size with read replicas; what Anyscale's own setup creates.
DEFAULT_MEMORY_SIZE_GB = 5
#: A STANDARD_HA instance with read replicas has 1 to 5 of them.
MAX_REPLICAS = 5
DEFAULT_REPLICA_COUNT = c.MIN_MEMORYSTORE_REPLICAS
#: Anyscale's own setup creates REDIS_7_0; read replicas need Redis 5.0 or later.
DEFAULT_REDIS_VERSION = "REDIS_7_0"
REDIS_VERSIONS = ("REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2")
#: Directly peered instances with read replicas reserve a /28 or larger block.
READ_REPLICAS_RANGE_PREFIX = 28
#: The CLI's own check of --memorystore-instance-name (CloudController._validate_gcp_config).
CLI_INSTANCE_NAME_PATTERN = "projects/.+/locations/.+/instances/.+"

# Memorystore for Redis instance ids: a lowercase letter, then lowercase letters, digits and
# hyphens, 1 to 40 characters, not ending with a hyphen (the anchor allows 63: a slip).
_INSTANCE_ID = re.compile(r"^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$")
_FULL_NAME = re.compile(r"^projects/([^/]+)/locations/([^/]+)/instances/([^/]+)$")


# --- Pure rules (candidates for gcp/validation.py) --------------------------------------------
def check_instance_id(value: str) -> str:
    if not isinstance(value, str) or not _INSTANCE_ID.match(value):
        raise ValueError(
            f"Memorystore instance id {value!r} must be 1 to 40 lowercase letters, digits and hyphens, "
            "starting with a letter and not ending with a hyphen"
        )
    return value


def region_of_instance_name(name: str) -> str:
    """The region of a full name :func:`check_instance_name` accepted:
    ``projects/p/locations/us-central1/instances/i`` -> ``us-central1``."""
    return _FULL_NAME.match(name).group(2)  # type: ignore[union-attr]


def check_instance_name(value: str) -> str:
    """A full ``projects/<project>/locations/<region>/instances/<id>`` name (what
    ``--memorystore-instance-name`` takes; stricter than the CLI's own pattern)."""
    match = _FULL_NAME.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            f"{value!r} is not a full Memorystore name like "
            "projects/my-project/locations/us-central1/instances/anyscale-redis (--memorystore-instance-name)"
        )
    project, location, instance = match.groups()
    if not (project.isdigit() or _is_project_id(project)):
        raise ValueError(f"{value!r}: {project!r} is neither a project id nor a project number")
    v.check_region(location)
    check_instance_id(instance)
    return value


def _is_project_id(value: str) -> bool:
    try:
        v.check_project_id(value)
    except ValueError:
        return False
    return True


def instance_full_name(project: str, region: str, instance_id: str) -> str:
    return f"projects/{project}/locations/{region}/instances/{instance_id}"


# --- Args ---------------------------------------------------------------------------------
class AnyscaleMemorystoreArgs(OnCloudVpcArgs):
    """Arguments of :class:`AnyscaleMemorystore`. There is no TLS argument: the verifier
    rejects a Memorystore with TLS (``transit_encryption_mode`` is always DISABLED)."""

    existing_field: ClassVar[str] = "existing_instance_name"

    region: Optional[str] = None
    """The cloud's region (``--region``): where the instance goes. Required for a new instance."""
    network: Optional[StrInput] = None
    """The cloud VPC (``--vpc-name``): name, ``projects/<p>/global/networks/<name>`` or self
    link; becomes ``authorized_network``. Required for a new instance (the verifier errors
    unless the instance is on it)."""
    network_project: Optional[str] = None
    """The Shared VPC host project owning ``network`` (``--host-project-id``). Optional; set,
    the network is the host project's and the connect mode PRIVATE_SERVICE_ACCESS."""
    connect_mode: Optional[ConnectMode] = None
    """Connect mode. Optional; defaults to PRIVATE_SERVICE_ACCESS for a Shared VPC network,
    DIRECT_PEERING otherwise (DIRECT_PEERING with a Shared VPC is an error)."""
    reserved_ip_range: Optional[StrInput] = None
    """DIRECT_PEERING: a /28 or larger block for the nodes (read replicas need a /28);
    PRIVATE_SERVICE_ACCESS: the allocated range's name. Optional; defaults to one the
    service picks."""
    instance_name: Optional[str] = None
    """The new instance's id (1-40 lowercase letters, digits, hyphens). Optional; defaults
    to Pulumi's auto-name ``<name>-redis-<7 hex>``."""
    memory_size_gb: int = DEFAULT_MEMORY_SIZE_GB
    """Memory of the primary in GB, 5 to 300 (read replicas need 5). Defaults to 5."""
    replica_count: int = DEFAULT_REPLICA_COUNT
    """Read replicas, 1 to 5 (the verifier requires read replicas; Ray's head-node fault
    tolerance needs a replica to fail over to). Defaults to 1."""
    redis_version: str = DEFAULT_REDIS_VERSION
    """Redis version (REDIS_5_0 or later: read replicas). Defaults to REDIS_7_0, as
    Anyscale's own setup."""
    location_id: Optional[str] = None
    """Zone of the primary, in the cloud's region. Optional; defaults to the service's choice."""
    alternative_location_id: Optional[str] = None
    """Zone of the first replica, in the cloud's region and not ``location_id``. Optional."""
    redis_configs: dict[str, str] = Field(default_factory=dict)
    """Extra Redis settings. ``maxmemory-policy`` is always ``allkeys-lru`` (the verifier
    warns otherwise); any other value for it is an error. Optional."""
    display_name: Optional[str] = None
    """Display name. Optional; defaults to none."""
    existing_instance_name: Optional[str] = None
    """Use this existing instance: its full name
    ``projects/<project>/locations/<region>/instances/<id>`` (``--memorystore-instance-name``);
    nothing is created. Optional."""
    project_id: Optional[str] = None
    """Project of the instance. Optional; defaults to the provider's project."""
    protect: bool = True
    """Protect the instance from deletion and replacement (also the provider's
    ``deletion_protection``). Defaults to True."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Labels of the new instance. Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: labelled ``anyscale-cloud-id``. Optional."""

    @field_validator("instance_name")
    @classmethod
    def _id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_instance_id(value)

    @field_validator("existing_instance_name")
    @classmethod
    def _full(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_instance_name(value)

    @field_validator("memory_size_gb")
    @classmethod
    def _memory(cls, value: int) -> int:
        if not MIN_MEMORY_SIZE_GB <= value <= MAX_MEMORY_SIZE_GB:
            raise ValueError(
                f"{value} GB is outside {MIN_MEMORY_SIZE_GB}-{MAX_MEMORY_SIZE_GB} GB: read replicas need at "
                f"least {MIN_MEMORY_SIZE_GB} GB, and Memorystore's largest instance is {MAX_MEMORY_SIZE_GB} GB"
            )
        return value

    @field_validator("replica_count")
    @classmethod
    def _replicas(cls, value: int) -> int:
        if not c.MIN_MEMORYSTORE_REPLICAS <= value <= MAX_REPLICAS:
            raise ValueError(
                f"{value} read replicas; STANDARD_HA with read replicas takes {c.MIN_MEMORYSTORE_REPLICAS} to "
                f"{MAX_REPLICAS} (the verifier requires read replicas for head-node fault tolerance)"
            )
        return value

    @field_validator("redis_version")
    @classmethod
    def _version(cls, value: str) -> str:
        if value not in REDIS_VERSIONS:
            raise ValueError(f"{value!r} is not one of {', '.join(REDIS_VERSIONS)} (read replicas need Redis 5.0 or later)")
        return value

    @field_validator("redis_configs")
    @classmethod
    def _configs(cls, value: dict[str, str]) -> dict[str, str]:
        policy = value.get(c.MEMORYSTORE_MAXMEMORY_PARAMETER, c.MEMORYSTORE_MAXMEMORY_POLICY)
        if policy != c.MEMORYSTORE_MAXMEMORY_POLICY:
            raise ValueError(
                f"{c.MEMORYSTORE_MAXMEMORY_PARAMETER} must be {c.MEMORYSTORE_MAXMEMORY_POLICY} (the verifier warns "
                f"otherwise), not {policy!r}"
            )
        return value

    @model_validator(mode="after")
    def _modes(self) -> AnyscaleMemorystoreArgs:
        problems: list[FieldProblem] = []
        if self.existing_instance_name is not None:
            for name in (
                "network", "network_project", "connect_mode", "reserved_ip_range", "instance_name",
                "memory_size_gb", "replica_count", "redis_version", "location_id", "alternative_location_id",
                "redis_configs", "display_name",
            ):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            name,
                            f"configures an instance we create; only one of existing_instance_name and {name} can be specified",
                        )
                    )
        else:
            problems += self._new()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _new(self) -> list[FieldProblem]:
        problems = []
        # (No region or network yet: AnyscaleGcpCloud sets them; the component checks they
        # are there, see `wiring_problems`.)
        for name in ("location_id", "alternative_location_id"):
            zone = getattr(self, name)
            if zone is not None:
                try:
                    v.check_zone(zone, self.region)
                except ValueError as exc:
                    problems.append(FieldProblem(name, f"{exc} (the instance is in the cloud's region)"))
        if self.alternative_location_id is not None and self.alternative_location_id == self.location_id:
            problems.append(FieldProblem("alternative_location_id", "must differ from location_id (a second zone)"))
        problems += self.connection_problems(READ_REPLICAS_RANGE_PREFIX, exact=False, context="read replicas")
        return problems

    def advisories(self) -> list[str]:
        notes = []
        name = self.existing_instance_name
        if name is not None and self.region is not None and region_of_instance_name(name) != self.region:
            notes.append(
                f"Memorystore {name} is outside the cloud's region {self.region}: every Ray GCS call crosses regions"
            )
        return notes


# --- Component ------------------------------------------------------------------------------
class AnyscaleMemorystore(pulumi.ComponentResource):
    """A STANDARD_HA Memorystore for Redis with read replicas on the cloud VPC (new), or an existing one."""

    instance_name: pulumi.Output[str]
    """``projects/<project>/locations/<region>/instances/<id>``: ``--memorystore-instance-name``."""
    host: pulumi.Output[Optional[str]]
    """The primary endpoint's address (new instance only)."""
    port: pulumi.Output[Optional[int]]
    read_endpoint: pulumi.Output[Optional[str]]
    """The read replicas' endpoint (new instance only)."""

    def __init__(self, name: str, args: AnyscaleMemorystoreArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleMemorystore"), name, None, opts)
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        w.hand_on_depends_on(self, opts)  # e.g. the APIs the cloud enables first
        if args.existing_instance_name is not None:
            self.instance_name = pulumi.Output.from_input(args.existing_instance_name)
            self.host = pulumi.Output.from_input(None)
            self.port = pulumi.Output.from_input(None)
            self.read_endpoint = pulumi.Output.from_input(None)
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {"instance_name": self.instance_name, "host": self.host, "port": self.port, "read_endpoint": self.read_endpoint}
        )

    def _create(self, name: str, args: AnyscaleMemorystoreArgs) -> None:
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        if args.instance_name is None:
            # Pulumi auto-names `<logical name>-<7 hex>`: catch a name that cannot be an id now.
            try:
                check_instance_id(f"{name}-redis-0000000")
            except ValueError as exc:
                raise w.fail(
                    type(args).__name__, "instance_name", f"is needed: the auto-name from component name {name!r} is invalid ({exc})"
                ) from None
        mode = resolve_connect_mode(args.connect_mode, args.network_project is not None)
        host = args.network_project
        configs: dict[str, Any] = {
            **args.redis_configs,
            # verifier: warns unless maxmemory-policy is allkeys-lru.
            c.MEMORYSTORE_MAXMEMORY_PARAMETER: c.MEMORYSTORE_MAXMEMORY_POLICY,
        }
        instance = gcp.redis.Instance(
            f"{name}-redis",
            name=args.instance_name,
            project=args.project_id,
            region=args.region,
            location_id=args.location_id,
            alternative_location_id=args.alternative_location_id,
            # verifier: warns unless STANDARD_HA.
            tier=c.MEMORYSTORE_TIER,
            # verifier: errors unless READ_REPLICAS_ENABLED ("required for ray head node HA").
            read_replicas_mode=c.MEMORYSTORE_READ_REPLICAS_MODE,
            replica_count=args.replica_count,
            memory_size_gb=args.memory_size_gb,
            redis_version=args.redis_version,
            redis_configs=configs,
            # verifier: errors unless the instance is on --vpc-name (last part of the network).
            authorized_network=pulumi.Output.from_input(args.network).apply(lambda n: network_reference(n, host)),
            connect_mode=mode.value,
            reserved_ip_range=args.reserved_ip_range,
            # verifier: errors unless TLS is DISABLED (unlike MemoryDB on AWS, where TLS is
            # required). Not an argument: nothing can turn it on.
            transit_encryption_mode=c.MEMORYSTORE_TRANSIT_ENCRYPTION,
            # Anyscale is given no AUTH string: AUTH would lock Ray out.
            auth_enabled=False,
            display_name=args.display_name,
            labels=w.merge_labels(args.labels, args.cloud_id),
            # The provider refuses to delete unless this is false: aligned with `protect`.
            deletion_protection=args.protect,
            opts=w.stateful(self, args.protect),
        )
        # The provider's id is the full name projects/<project>/locations/<region>/instances/<id>.
        self.instance_name = instance.id
        self.host = instance.host  # type: ignore[assignment]
        self.port = instance.port  # type: ignore[assignment]
        self.read_endpoint = instance.read_endpoint  # type: ignore[assignment]

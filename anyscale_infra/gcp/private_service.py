"""How Filestore and Memorystore reach the cloud VPC, and what both instances' args share.

Both services are *private services*: an instance lives in Google's network and reaches the
cloud VPC either by peering directly (``DIRECT_PEERING``: nothing to prepare, what
Anyscale's own ``cloud setup`` creates) or through the VPC's private services connection
(``PRIVATE_SERVICE_ACCESS``: an allocated range; the only way from a service project to a
Shared VPC network in its host project). ``anyscale cloud register`` checks that each is on
the cloud VPC (``verify_filestore``, ``verify_memorystore``: the last part of its network
against ``--vpc-name``) and in the cloud's region.

Pure rules (no cloud SDK): the components, the cloud's args and the pack use them alike.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import ClassVar, Optional

from pydantic import field_validator

from anyscale_infra.errors import FieldProblem
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel, StrInput

# A network by path or self link: projects/<p>/global/networks/<n>.
_NETWORK_PATH = re.compile(
    r"^(?:https://(?:www|compute)\.googleapis\.com/compute/(?:v1|beta)/)?projects/([^/]+)/global/networks/([^/]+)$"
)


class ConnectMode(str, Enum):
    """How a Filestore or Memorystore instance reaches the cloud VPC."""

    DIRECT_PEERING = "DIRECT_PEERING"
    """The service peers its own network with the VPC. The default for a VPC in the same project."""
    PRIVATE_SERVICE_ACCESS = "PRIVATE_SERVICE_ACCESS"
    """Through the VPC's private services connection (an allocated range). Required for a
    Shared VPC network used from a service project."""


def network_reference(network: str, host_project: Optional[str] = None) -> str:
    """The VPC as Filestore and Memorystore take it: a name, or for a network given by path
    or self link (or a Shared VPC network: ``host_project``) ``projects/<p>/global/networks/<n>``.
    The verifier compares the last part with ``--vpc-name``, so all spellings pass it."""
    match = _NETWORK_PATH.match(network) if isinstance(network, str) else None
    if match:
        project, name = match.groups()
        if host_project is not None and project != host_project:
            raise ValueError(f"network {network} is in project {project}, not in network_project {host_project}")
        return f"projects/{project}/global/networks/{name}"
    v.check_resource_name(network, "network")
    return f"projects/{host_project}/global/networks/{network}" if host_project else network


def network_project_problem(network: str, project: Optional[str], network_project: Optional[str]) -> Optional[str]:
    """A network given by path must be in ``network_project`` when set, and else in the
    instance's own ``project_id`` (when known): one in another project is a Shared VPC network,
    which needs ``network_project`` (and so PRIVATE_SERVICE_ACCESS)."""
    match = _NETWORK_PATH.match(network)
    if match is None:
        return None
    owner = match.group(1)
    if network_project is not None and owner != network_project:
        return f"network {network} is in project {owner}, not in network_project {network_project}"
    if network_project is None and project is not None and owner != project:
        return (
            f"network {network} is in project {owner}, not in the instance's project {project}: a Shared VPC "
            f"network; set network_project={owner!r}"
        )
    return None


def resolve_connect_mode(connect_mode: Optional[ConnectMode], shared_vpc: bool) -> ConnectMode:
    """PRIVATE_SERVICE_ACCESS on a Shared VPC network, DIRECT_PEERING otherwise, unless given."""
    if connect_mode is None:
        return ConnectMode.PRIVATE_SERVICE_ACCESS if shared_vpc else ConnectMode.DIRECT_PEERING
    if shared_vpc and connect_mode is ConnectMode.DIRECT_PEERING:
        raise ValueError(
            "DIRECT_PEERING cannot reach a Shared VPC network from a service project; a Shared VPC "
            "(network_project) needs PRIVATE_SERVICE_ACCESS"
        )
    return connect_mode


def reserved_range_problem(value: str, connect_mode: ConnectMode, prefix: Optional[int], exact: bool) -> Optional[str]:
    """DIRECT_PEERING: a CIDR block of the size the service reserves (``exact``) or at least
    that size; PRIVATE_SERVICE_ACCESS: the name of an allocated range of the connection."""
    if connect_mode is ConnectMode.PRIVATE_SERVICE_ACCESS:
        try:
            v.check_resource_name(value, "allocated range")
        except ValueError as exc:
            return f"{exc} (with PRIVATE_SERVICE_ACCESS, the name of an allocated range of the private services connection)"
        return None
    try:
        network = v.check_cidr(value)
    except ValueError as exc:
        return f"{exc} (with DIRECT_PEERING, a CIDR block)"
    if prefix is not None and (network.prefixlen != prefix if exact else network.prefixlen > prefix):
        size = f"a /{prefix}" if exact else f"a /{prefix} or larger"
        return f"{value} is not {size} block"
    return None


class OnCloudVpcArgs(ArgsModel):
    """The rules Filestore's and Memorystore's args share: the fields each declares (``region``,
    ``network``, ``network_project``, ``project_id``, ``labels``, ``cloud_id``, ``connect_mode``,
    ``reserved_ip_range``) are checked here, once."""

    #: The field naming an existing instance (then nothing is created, nothing is wired).
    existing_field: ClassVar[str]

    @field_validator("region", check_fields=False)
    @classmethod
    def _region(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_region(value)

    @field_validator("network", check_fields=False)
    @classmethod
    def _network(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return network_reference(value) if isinstance(value, str) and value else value

    @field_validator("network_project", "project_id", check_fields=False)
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("labels", check_fields=False)
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_labels(value)

    @field_validator("cloud_id", check_fields=False)
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    def wiring_problems(self) -> list[FieldProblem]:
        """What a new instance still needs that :class:`AnyscaleGcpCloud` fills in: checked
        by the component before any resource (and by the cloud's args, after wiring)."""
        problems = []
        if getattr(self, self.existing_field) is None:
            if getattr(self, "region") is None:
                problems.append(FieldProblem("region", "is required for a new instance: the cloud's region (--region)"))
            network = getattr(self, "network")
            if network is None or network == "":
                problems.append(FieldProblem("network", "is required for a new instance: the cloud VPC (--vpc-name)"))
        return problems

    def connection_problems(self, range_prefix: Optional[int], exact: bool, context: str) -> list[FieldProblem]:
        """A new instance's network, connect mode and reserved range: a network by path in
        the right project, no DIRECT_PEERING to a Shared VPC, a reserved range that fits the
        mode (``range_prefix``: the block size the service takes; ``context`` names it)."""
        problems = []
        network, project, network_project = (getattr(self, f) for f in ("network", "project_id", "network_project"))
        if isinstance(network, str) and (problem := network_project_problem(network, project, network_project)):
            problems.append(FieldProblem("network_project", problem))
        try:
            mode = resolve_connect_mode(getattr(self, "connect_mode"), network_project is not None)
        except ValueError as exc:
            problems.append(FieldProblem("connect_mode", str(exc)))
        else:
            reserved = getattr(self, "reserved_ip_range")
            if isinstance(reserved, str) and (problem := reserved_range_problem(reserved, mode, range_prefix, exact)):
                problems.append(FieldProblem("reserved_ip_range", f"{problem} ({context}, {mode.value})"))
        return problems

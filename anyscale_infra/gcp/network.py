"""The cloud's network on Google Cloud: a new VPC with one regional subnet, or your existing
VPC and subnet — also a shared VPC in a host project.

What Anyscale checks (verifier ``verify_gcp_networking``): the VPC exists, the *first*
subnet given to ``--subnet-names`` is in it (more are ignored, with a warning) and is a /24
or larger (an error below, a warning below a /20: ``GCP_SUBNET_CAPACITY``); for private
networking, a proxy-only subnet (``REGIONAL_MANAGED_PROXY``) in the VPC and region, without
which private Anyscale Services cannot run (a warning). For a shared VPC the VPC, subnet and
proxy-only subnet are looked up in the host project (``--host-project-id``).

A new VPC: custom subnet mode (``auto_create_subnetworks=False``), one subnet with Private
Google Access on (clusters reach Google APIs without public IPs), public or private
(``networking``); private networking adds a Cloud Router and Cloud NAT for internet egress
(the control plane, package indexes); a proxy-only subnet, on by default for private
networking. The anchor (google-anyscale-vpc) makes the same choices except that its NAT
covers every subnet of the VPC and it enables 5-second flow logs by default; we NAT only the
cloud subnet and leave flow logs opt-in (``enable_flow_logs``).
"""

from __future__ import annotations

import ipaddress
from typing import Any, Final, Optional

import pulumi
import pulumi_gcp as gcp
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel, NetworkingMode

__all__ = ["AnyscaleGcpNetwork", "AnyscaleGcpNetworkArgs", "NetworkingMode"]

# --- Defaults and facts (candidates for gcp/constants.py) --------------------------------------
#: The cloud subnet of a new VPC: a /20, the size the verifier recommends (and the CLI's own
#: ``cloud setup`` default).
DEFAULT_SUBNET_CIDR: Final = "10.0.0.0/20"
#: The proxy-only subnet of a new VPC: Google's recommended /23, outside 10.0.0.0/16 so the
#: cloud subnet can be expanded in place.
DEFAULT_PROXY_ONLY_SUBNET_CIDR: Final = "10.1.0.0/23"
#: Google recommends a /23 for a proxy-only subnet (it requires a /26:
#: ``check_proxy_only_cidr``; https://cloud.google.com/load-balancing/docs/proxy-only-subnets).
RECOMMENDED_PROXY_ONLY_PREFIX_LENGTH: Final = 23
#: A proxy-only subnet Envoy-based load balancers use now (the other role is BACKUP).
PROXY_ONLY_ROLE: Final = "ACTIVE"
DEFAULT_ENABLE_CLOUD_NAT: Final = True
DEFAULT_ENABLE_FLOW_LOGS: Final = False
DEFAULT_ALLOW_PUBLIC_RANGES: Final = False
#: Cloud NAT: dynamic port allocation from 64 up to a whole address per VM, so one busy
#: node (image pulls, pip) does not exhaust its ports while idle ones hold few; addresses
#: allocated by Google as needed; errors logged (port exhaustion shows there).
NAT_MIN_PORTS_PER_VM: Final = 64
NAT_MAX_PORTS_PER_VM: Final = 65536
NAT_LOG_FILTER: Final = "ERRORS_ONLY"
#: Flow logs when ``enable_flow_logs`` (the anchor's defaults).
FLOW_LOG_INTERVAL: Final = "INTERVAL_5_SEC"
FLOW_LOG_SAMPLING: Final = 0.5
FLOW_LOG_METADATA: Final = "INCLUDE_ALL_METADATA"
VPC_DESCRIPTION: Final = "Anyscale cloud VPC"

#: Settings of a new VPC only (an error with ``existing_vpc_name``).
_NEW_VPC_FIELDS = ("vpc_name", "subnet_name", "subnet_cidr", "enable_cloud_nat", "enable_flow_logs", "secondary_ranges")
#: Settings of an existing VPC only (an error without ``existing_vpc_name``).
_EXISTING_VPC_FIELDS = ("existing_subnet_name", "existing_subnet_cidr", "existing_proxy_only_subnet_cidr", "host_project_id")


def _recommended_size_note(field: str, cidr: str) -> Optional[str]:
    small = v.cidr_too_small(ipaddress.IPv4Network(cidr), c.RECOMMENDED_SUBNET_PREFIX_LENGTH, "subnet", "recommends")
    return f"{field} {small} (verifier: GCP subnet capacity warns below a /{c.RECOMMENDED_SUBNET_PREFIX_LENGTH})" if small else None


def existing_subnet_findings(
    subnet_name: str,
    given_cidr: Optional[str],
    actual_cidr: Optional[str],
    actual_network: Optional[str],
    vpc_self_link: Optional[str],
) -> tuple[list[FieldProblem], list[str]]:
    """What the verifier would say about an existing subnet once Google Cloud has answered
    (pure): ``(errors, warnings)``. Values the lookup did not give are not checked."""
    errors: list[FieldProblem] = []
    notes: list[str] = []
    if actual_network and vpc_self_link and actual_network.rstrip("/") != vpc_self_link.rstrip("/"):
        # verifier: "Subnet <name> is not part of <vpc>!"
        errors.append(
            FieldProblem("existing_subnet_name", f"subnet {subnet_name} is in {actual_network}, not in the VPC {vpc_self_link}")
        )
    if actual_cidr:
        network = ipaddress.ip_network(actual_cidr)
        if given_cidr and network != ipaddress.ip_network(given_cidr):
            errors.append(
                FieldProblem("existing_subnet_cidr", f"is {given_cidr}, but subnet {subnet_name} has the range {actual_cidr}")
            )
        if too_small := v.cidr_too_small(network, c.MIN_SUBNET_PREFIX_LENGTH, "subnet"):
            errors.append(
                FieldProblem("existing_subnet_name", f"subnet {subnet_name} {too_small} (the verifier's GCP subnet minimum)")
            )
        elif note := v.cidr_too_small(network, c.RECOMMENDED_SUBNET_PREFIX_LENGTH, "subnet", "recommends"):
            notes.append(f"subnet {subnet_name} {note} (verifier: GCP subnet capacity)")
    return errors, notes


class AnyscaleGcpNetworkArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcpNetwork`: a new VPC (default) or an existing one."""

    networking: NetworkingMode = NetworkingMode.DIRECT
    """Direct (clusters get public IPs) or private (no public IPs; Cloud NAT egress;
    ``--private-network``). Optional; defaults to direct (seed 004: networking modes)."""
    project_id: Optional[str] = None
    """The cloud's project (a shared VPC's *service* project). Optional; defaults to the
    provider's project. A new VPC is created in it."""
    region: Optional[str] = None
    """Region of the subnet, router and NAT: the cloud's region (``--region``). Optional;
    defaults to the provider's region."""
    vpc_name: Optional[str] = None
    """Name of the new VPC (``--vpc-name``). Optional; defaults to a unique name from the
    component name. A set name makes a replacement delete the VPC first."""
    subnet_name: Optional[str] = None
    """Name of the new subnet (``--subnet-names``). Optional; defaults to a unique name."""
    subnet_cidr: str = DEFAULT_SUBNET_CIDR
    """Range of the new subnet: a /24 or larger (verifier error below), a /20 or larger
    recommended (verifier warning below). Optional; defaults to 10.0.0.0/20."""
    allow_public_ranges: bool = DEFAULT_ALLOW_PUBLIC_RANGES
    """Accept a privately used public range for the subnets (Google Cloud allows it).
    Optional; defaults to False: ranges must be RFC 1918 or another range Google documents."""
    proxy_only_subnet: Optional[bool] = None
    """Create a proxy-only subnet (``REGIONAL_MANAGED_PROXY``) for the internal load
    balancers of private Anyscale Services (verifier: warns without one in private
    networking). Optional; defaults to True for a new VPC in private networking, else False
    (a VPC has at most one active proxy-only subnet per region: an existing VPC may have it)."""
    proxy_only_subnet_cidr: Optional[str] = None
    """Range of the new proxy-only subnet: a /26 or larger (Google), a /23 recommended; not
    overlapping the cloud subnet. Optional; defaults to 10.1.0.0/23."""
    proxy_only_subnet_name: Optional[str] = None
    """Name of the new proxy-only subnet. Optional; defaults to a unique name."""
    enable_cloud_nat: bool = DEFAULT_ENABLE_CLOUD_NAT
    """Private networking, new VPC: a Cloud Router and Cloud NAT for the subnet's internet
    egress (seed 004: internet egress). Optional; defaults to True; False when you provide
    egress yourself."""
    enable_flow_logs: bool = DEFAULT_ENABLE_FLOW_LOGS
    """New VPC: VPC flow logs on the cloud subnet (5 s, 50 % sampling, all metadata).
    Optional; defaults to False (they are billed by volume, and Ray clusters are chatty)."""
    secondary_ranges: dict[str, str] = Field(default_factory=dict)
    """New VPC: secondary ranges of the cloud subnet, range name -> CIDR (a GKE cluster's pods
    and services ranges, issue 12). Optional; defaults to none (the subnet is unchanged).
    Each inside RFC 1918 (or another range Google documents), none overlapping the subnet,
    the proxy-only subnet or each other."""
    existing_vpc_name: Optional[str] = None
    """Use this existing VPC instead of creating one (``--vpc-name``). Optional; needs
    ``existing_subnet_name``."""
    existing_subnet_name: Optional[str] = None
    """The existing subnet in ``region`` for clusters (``--subnet-names``). Required with
    ``existing_vpc_name``."""
    existing_subnet_cidr: Optional[str] = None
    """The existing subnet's range, to check the size rules now (the lookup checks them at
    deployment too) and to give the firewall. Optional."""
    existing_proxy_only_subnet_cidr: Optional[str] = None
    """Range of the proxy-only subnet your existing VPC already has in ``region``, so the
    firewall admits it to the Services port. Optional."""
    host_project_id: Optional[str] = None
    """Shared VPC: the host project of ``existing_vpc_name`` (``--host-project-id``); the VPC,
    subnet and any proxy-only subnet are looked up or created there. Optional; needs
    ``existing_vpc_name``."""

    @field_validator("project_id", "host_project_id")
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("region")
    @classmethod
    def _region(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_region(value)

    @field_validator("vpc_name", "subnet_name", "proxy_only_subnet_name", "existing_vpc_name", "existing_subnet_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value)

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleGcpNetworkArgs":
        problems = self._range_problems()
        problems += self._existing_problems() if self.existing_vpc_name is not None else self._new_vpc_problems()
        if not self.creates_proxy_only_subnet():
            for name in ("proxy_only_subnet_cidr", "proxy_only_subnet_name"):
                if name in self.model_fields_set:
                    problems.append(FieldProblem(name, "needs proxy_only_subnet=True (no proxy-only subnet is created)"))
        if self.creates_proxy_only_subnet() and self.existing_proxy_only_subnet_cidr is not None:
            problems.append(
                FieldProblem(
                    "existing_proxy_only_subnet_cidr",
                    "only one of proxy_only_subnet=True and existing_proxy_only_subnet_cidr can be specified "
                    "(a VPC has one active proxy-only subnet per region)",
                )
            )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _range_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        checked: dict[str, str] = {}
        for field, check in (
            ("subnet_cidr", v.check_subnet_cidr),
            ("existing_subnet_cidr", v.check_subnet_cidr),
            ("proxy_only_subnet_cidr", v.check_proxy_only_cidr),
            ("existing_proxy_only_subnet_cidr", v.check_proxy_only_cidr),
        ):
            value = getattr(self, field)
            if value is None:
                continue
            try:
                checked[field] = check(value, self.allow_public_ranges)
            except ValueError as exc:
                problems.append(FieldProblem(field, str(exc)))
        problems += self._secondary_range_problems(checked)
        # The cloud subnet and the proxy-only subnet are in one VPC: they must not overlap.
        cloud = "existing_subnet_cidr" if self.existing_vpc_name is not None else "subnet_cidr"
        proxy = "existing_proxy_only_subnet_cidr" if self.existing_proxy_only_subnet_cidr is not None else "proxy_only_subnet_cidr"
        pair = [(f, checked[f]) for f in (cloud, proxy) if f in checked]
        if proxy == "proxy_only_subnet_cidr" and proxy not in checked and self.creates_proxy_only_subnet():
            # The default range is ours, not the user's: blame the range they chose, and say
            # how to move the proxy-only subnet out of its way.
            if cloud in checked and v.subnet_problems(None, [(cloud, checked[cloud]), (proxy, DEFAULT_PROXY_ONLY_SUBNET_CIDR)]):
                problems.append(
                    FieldProblem(
                        cloud,
                        f"{checked[cloud]} overlaps the default proxy-only subnet {DEFAULT_PROXY_ONLY_SUBNET_CIDR} "
                        f"(private networking): pick another range, or set proxy_only_subnet_cidr to a free "
                        f"/{RECOMMENDED_PROXY_ONLY_PREFIX_LENGTH}",
                    )
                )
            return problems
        if len(pair) == 2:
            problems += [FieldProblem(proxy, p) for p in v.subnet_problems(None, pair)]
        return problems

    def _secondary_range_problems(self, checked: dict[str, str]) -> list[FieldProblem]:
        """Secondary ranges: valid names and ranges, clear of the subnet, the proxy-only
        subnet and each other (Google rejects overlaps within a VPC)."""
        problems: list[FieldProblem] = []
        ranges: list[tuple[str, str]] = []
        for range_name, cidr in sorted(self.secondary_ranges.items()):
            field = f"secondary_ranges.{range_name}"
            try:
                v.check_resource_name(range_name, "secondary range name")
                network = v.check_cidr(cidr)
                if not self.allow_public_ranges and not any(network.subnet_of(r) for r in v.VALID_PRIVATE_RANGES):
                    raise ValueError(
                        f"{cidr} is not inside RFC 1918 or another range Google Cloud documents for subnets; a "
                        "privately used public range needs allow_public_ranges=True"
                    )
                ranges.append((f"secondary range {range_name}", str(network)))
            except ValueError as exc:
                problems.append(FieldProblem(field, str(exc)))
        if not ranges:
            return problems
        others = [("subnet_cidr", checked["subnet_cidr"])] if "subnet_cidr" in checked else []
        if self.creates_proxy_only_subnet():
            # The range given (when valid), else the default one.
            proxy = checked.get("proxy_only_subnet_cidr") or (
                DEFAULT_PROXY_ONLY_SUBNET_CIDR if self.proxy_only_subnet_cidr is None else None
            )
            if proxy is not None:
                others.append(("proxy-only subnet", proxy))
        for problem in v.subnet_problems(None, [*others, *ranges]):
            problems.append(FieldProblem("secondary_ranges", problem))
        return problems

    def _existing_problems(self) -> list[FieldProblem]:
        problems = [
            FieldProblem(name, f"only one of existing_vpc_name and {name} can be specified")
            for name in _NEW_VPC_FIELDS
            if name in self.model_fields_set
        ]
        if self.existing_subnet_name is None:
            problems.append(
                FieldProblem("existing_subnet_name", "is required with existing_vpc_name (the subnet for --subnet-names)")
            )
        if self.host_project_id is not None and self.host_project_id == self.project_id:
            problems.append(
                FieldProblem(
                    "host_project_id",
                    f"is the cloud's own project {self.project_id}; leave host_project_id out for a VPC in that project",
                )
            )
        return problems

    def _new_vpc_problems(self) -> list[FieldProblem]:
        problems = [
            FieldProblem(name, "needs existing_vpc_name")
            for name in _EXISTING_VPC_FIELDS
            if getattr(self, name) is not None
        ]
        if self.networking is not NetworkingMode.PRIVATE and "enable_cloud_nat" in self.model_fields_set:
            problems.append(FieldProblem("enable_cloud_nat", "applies to private networking only"))
        return problems

    # -- derived plain values ----------------------------------------------------------------
    @property
    def private(self) -> bool:
        return self.networking is NetworkingMode.PRIVATE

    def creates_proxy_only_subnet(self) -> bool:
        if self.proxy_only_subnet is not None:
            return self.proxy_only_subnet
        return self.private and self.existing_vpc_name is None

    def effective_proxy_only_subnet_cidr(self) -> Optional[str]:
        """The proxy-only subnet's range when known: the one created, or the existing one given."""
        if self.creates_proxy_only_subnet():
            return self.proxy_only_subnet_cidr or DEFAULT_PROXY_ONLY_SUBNET_CIDR
        return self.existing_proxy_only_subnet_cidr

    def network_project_id(self) -> Optional[str]:
        """Where the VPC lives: the host project of a shared VPC, else the cloud's project
        (None: the provider's)."""
        return self.host_project_id or self.project_id

    def advisories(self) -> list[str]:
        notes: list[str] = []
        if self.existing_vpc_name is None:
            if note := _recommended_size_note("subnet_cidr", self.subnet_cidr):
                notes.append(note)
        elif self.existing_subnet_cidr is not None and (note := _recommended_size_note("existing_subnet_cidr", self.existing_subnet_cidr)):
            notes.append(note)
        proxy = self.effective_proxy_only_subnet_cidr()
        if proxy is not None:
            field = "proxy_only_subnet_cidr" if self.creates_proxy_only_subnet() else "existing_proxy_only_subnet_cidr"
            if ipaddress.IPv4Network(proxy).prefixlen > RECOMMENDED_PROXY_ONLY_PREFIX_LENGTH:
                notes.append(
                    f"{field} {proxy} is smaller than the /{RECOMMENDED_PROXY_ONLY_PREFIX_LENGTH} Google recommends "
                    "for a proxy-only subnet (its proxies scale with traffic)"
                )
        elif self.private:
            notes.append(
                "private networking without a known proxy-only subnet: private Anyscale Services need one in the "
                "VPC and region (the verifier warns). If the VPC has one, give existing_proxy_only_subnet_cidr so "
                "the firewall admits it; if not, set proxy_only_subnet=True"
            )
        if self.private and self.existing_vpc_name is None and not self.enable_cloud_nat:
            notes.append(
                "enable_cloud_nat is False: the private subnet has no route to the internet; Anyscale clusters "
                "need internet egress (seed 004), so provide it yourself (a proxy, an appliance)"
            )
        return notes


class AnyscaleGcpNetwork(pulumi.ComponentResource):
    """VPC, subnet, proxy-only subnet, Cloud Router and Cloud NAT for an Anyscale cloud.

    With ``existing_vpc_name`` only the proxy-only subnet is ever created (when asked);
    the VPC and subnet are looked up, in ``host_project_id`` for a shared VPC.
    """

    vpc_name: pulumi.Output[str]
    """The VPC's name (``--vpc-name``)."""
    vpc_self_link: pulumi.Output[str]
    """The VPC's self link (what the verifier compares the subnet's network with)."""
    vpc_id: pulumi.Output[str]
    """The VPC's id, ``projects/<project>/global/networks/<name>`` (firewall association target)."""
    subnet_name: pulumi.Output[str]
    """The cloud subnet's name (``--subnet-names``)."""
    subnet_self_link: pulumi.Output[str]
    """The cloud subnet's self link."""
    subnet_cidr: pulumi.Output[str]
    """The cloud subnet's range (the firewall's internal rule)."""
    proxy_only_subnet_name: pulumi.Output[Optional[str]]
    """The proxy-only subnet created here, or None."""
    proxy_only_subnet_cidr: pulumi.Output[Optional[str]]
    """The proxy-only subnet's range, created or given; None when unknown."""
    router_name: pulumi.Output[Optional[str]]
    """The Cloud Router (private networking, new VPC), or None."""
    nat_name: pulumi.Output[Optional[str]]
    """The Cloud NAT (private networking, new VPC), or None."""
    region: pulumi.Output[str]
    """The subnet's region (``--region``)."""
    project: pulumi.Output[str]
    """The cloud's project (``--project-id``)."""
    host_project_id: pulumi.Output[Optional[str]]
    """The shared VPC's host project (``--host-project-id``), or None."""
    network_project: pulumi.Output[str]
    """The project the VPC is in: the host project of a shared VPC, else ``project``; the
    firewall policy must be created there."""
    private_network: bool
    """True in private networking: register with ``--private-network``."""
    secondary_ranges: dict[str, str]
    """The new subnet's secondary ranges, range name -> CIDR (plain; empty unless asked)."""
    has_proxy_only_subnet: bool
    """True when ``proxy_only_subnet_cidr`` is known before deployment (created here, or an
    existing one given): the firewall admits it to the Services port only then."""

    def __init__(self, name: str, args: AnyscaleGcpNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGcpNetwork"), name, None, opts)
        # Children do not inherit the component's depends_on (e.g. the APIs): hand it on.
        self._depends_on = opts.depends_on if opts is not None else None
        self.private_network = args.private
        self.secondary_ranges = dict(args.secondary_ranges)
        proxy_cidr = args.effective_proxy_only_subnet_cidr()
        self.has_proxy_only_subnet = proxy_cidr is not None
        self.host_project_id = pulumi.Output.from_input(args.host_project_id)
        # The provider's project only when none is given (the cloud always gives one): no
        # lookup call in a `pulumi up` that does not need it.
        self.project = (
            pulumi.Output.from_input(args.project_id)
            if args.project_id is not None
            else gcp.organizations.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).project
        )
        if args.existing_vpc_name is not None:
            self._use_existing(name, args)
        else:
            self._create(name, args)
        if args.creates_proxy_only_subnet():
            proxy = gcp.compute.Subnetwork(
                f"{name}-proxy-only",
                name=args.proxy_only_subnet_name,
                network=self.vpc_id,
                ip_cidr_range=proxy_cidr,
                region=args.region,
                project=args.network_project_id(),
                # verifier: _get_proxy_only_subnet_in_vpc looks for this purpose in the VPC.
                purpose=c.SUBNET_PURPOSE_PROXY_ONLY,
                role=PROXY_ONLY_ROLE,
                # Google: no Private Google Access and no flow logs on proxy-only subnets.
                description="Anyscale cloud: proxy-only subnet for internal load balancers (Services)",
                opts=self._child(),
            )
            self.proxy_only_subnet_name = proxy.name  # type: ignore[assignment]
        else:
            self.proxy_only_subnet_name = pulumi.Output.from_input(None)
        self.proxy_only_subnet_cidr = pulumi.Output.from_input(proxy_cidr)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vpc_name": self.vpc_name,
                "vpc_self_link": self.vpc_self_link,
                "vpc_id": self.vpc_id,
                "subnet_name": self.subnet_name,
                "subnet_self_link": self.subnet_self_link,
                "subnet_cidr": self.subnet_cidr,
                "proxy_only_subnet_name": self.proxy_only_subnet_name,
                "proxy_only_subnet_cidr": self.proxy_only_subnet_cidr,
                "router_name": self.router_name,
                "nat_name": self.nat_name,
                "region": self.region,
                "project": self.project,
                "host_project_id": self.host_project_id,
                "network_project": self.network_project,
                "private_network": self.private_network,
            }
        )

    def _child(self, **kwargs: Any) -> pulumi.ResourceOptions:
        return w.child(self, depends_on=self._depends_on, **kwargs)

    def _create(self, name: str, args: AnyscaleGcpNetworkArgs) -> None:
        vpc = gcp.compute.Network(
            f"{name}-vpc",
            name=args.vpc_name,
            project=args.project_id,
            # Custom subnet mode: no subnet in every region (anchor: auto_create_subnets=false).
            auto_create_subnetworks=False,
            description=VPC_DESCRIPTION,
            opts=self._child(),
        )
        log_config = (
            {"aggregation_interval": FLOW_LOG_INTERVAL, "flow_sampling": FLOW_LOG_SAMPLING, "metadata": FLOW_LOG_METADATA}
            if args.enable_flow_logs
            else None
        )
        subnet = gcp.compute.Subnetwork(
            f"{name}-subnet",
            name=args.subnet_name,
            network=vpc.id,
            ip_cidr_range=args.subnet_cidr,
            region=args.region,
            project=args.project_id,
            # Clusters reach Google APIs (Cloud Storage, Artifact Registry) without public IPs.
            private_ip_google_access=True,
            log_config=log_config,
            # Only when asked (a GKE cluster's pods and services): an unchanged subnet otherwise.
            secondary_ip_ranges=[
                {"range_name": range_name, "ip_cidr_range": cidr} for range_name, cidr in sorted(args.secondary_ranges.items())
            ]
            or None,
            description="Anyscale cloud: cluster subnet",
            opts=self._child(),
        )
        self.vpc_name = vpc.name
        self.vpc_self_link = vpc.self_link
        self.vpc_id = vpc.id
        self.subnet_name = subnet.name
        self.subnet_self_link = subnet.self_link
        self.subnet_cidr = subnet.ip_cidr_range  # type: ignore[assignment]
        self.region = subnet.region
        self.network_project = vpc.project
        self.router_name = self.nat_name = pulumi.Output.from_input(None)
        if args.private and args.enable_cloud_nat:
            router = gcp.compute.Router(
                f"{name}-router",
                network=vpc.id,
                region=subnet.region,
                project=args.project_id,
                description="Anyscale cloud: Cloud NAT router",
                opts=self._child(),
            )
            nat = gcp.compute.RouterNat(
                f"{name}-nat",
                router=router.name,
                region=router.region,
                project=args.project_id,
                nat_ip_allocate_option="AUTO_ONLY",
                # Only the cloud subnet (the anchor NATs every subnet of the VPC).
                source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
                subnetworks=[{"name": subnet.self_link, "source_ip_ranges_to_nats": ["ALL_IP_RANGES"]}],
                enable_dynamic_port_allocation=True,
                enable_endpoint_independent_mapping=False,  # Google: required off with dynamic allocation
                min_ports_per_vm=NAT_MIN_PORTS_PER_VM,
                max_ports_per_vm=NAT_MAX_PORTS_PER_VM,
                log_config={"enable": True, "filter": NAT_LOG_FILTER},
                # The NAT is part of the router: deleting the router deletes it.
                opts=self._child(deleted_with=router),
            )
            self.router_name = router.name  # type: ignore[assignment]
            self.nat_name = nat.name  # type: ignore[assignment]

    def _use_existing(self, name: str, args: AnyscaleGcpNetworkArgs) -> None:
        invoke = pulumi.InvokeOutputOptions(parent=self, depends_on=self._depends_on)
        project = args.network_project_id()
        vpc = gcp.compute.get_network_output(name=args.existing_vpc_name, project=project, opts=invoke)
        subnet = gcp.compute.get_subnetwork_output(
            name=args.existing_subnet_name, region=args.region, project=project, opts=invoke
        )
        model = type(args).__name__
        subnet_name = str(args.existing_subnet_name)
        given = args.existing_subnet_cidr

        def checked_cidr(values: list[Any]) -> Optional[str]:
            actual_cidr, actual_network, vpc_link = values
            errors, notes = existing_subnet_findings(subnet_name, given, actual_cidr, actual_network, vpc_link)
            if errors:
                raise InvalidArgsError(model, errors)
            w.emit_advisories(self, notes)
            return actual_cidr or given

        self.vpc_name = vpc.name  # type: ignore[assignment]
        self.vpc_self_link = vpc.self_link  # type: ignore[assignment]
        self.vpc_id = vpc.id  # type: ignore[assignment]
        self.subnet_name = subnet.name  # type: ignore[assignment]
        self.subnet_self_link = subnet.self_link  # type: ignore[assignment]
        # The verifier's checks on the real subnet (in the VPC, /24 or larger), at deployment.
        self.subnet_cidr = pulumi.Output.all(subnet.ip_cidr_range, subnet.network, vpc.self_link).apply(checked_cidr)  # type: ignore[assignment]
        self.region = subnet.region  # type: ignore[assignment]
        self.network_project = vpc.project  # type: ignore[assignment]
        self.router_name = self.nat_name = pulumi.Output.from_input(None)

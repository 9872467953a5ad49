"""The cloud's network: a new VPC laid out the way seed 004 asks, or your existing one.

seed 004 "Detailed Resource Requirements" — VPC: CIDR >= /24 (recommend >= /20), internet
egress, S3 gateway endpoint recommended. Subnets: >= /28 (recommend >= /24), >= 2 of them,
public with an internet gateway (direct networking) or private (``--private-network``),
no two public subnets in one AZ. The verifier also wants >= 2 AZs and, in direct
networking, "Auto-assign Public IP" on.
"""

from __future__ import annotations

import ipaddress
import weakref
from enum import Enum
from typing import Any, Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.aws.planning import (
    SubnetPlan,
    SubnetRole,
    choose_availability_zones,
    plan_subnets,
)
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, NetworkingMode, StrInput, is_plain


class NatStrategy(str, Enum):
    """How private subnets reach the internet (seed 004: "The VPC has internet egress")."""

    ONE_PER_AZ = "one_per_az"
    """A NAT gateway in every AZ: no cross-AZ dependency. The default."""
    SINGLE = "single"
    """One shared NAT gateway in the first AZ: cheaper, but that AZ is a single point of failure."""
    NONE = "none"
    """No NAT gateway: you provide egress yourself (transit gateway, firewall, proxy)."""


class ExistingSubnet(ArgsModel):
    """A subnet you already have. The AZ and CIDR are optional but let us check the rules."""

    subnet_id: StrInput
    """Subnet id, e.g. ``subnet-0a1b2c3d4e5f67890``. Required."""
    availability_zone: Optional[str] = None
    """Its availability zone. Optional; when given, the AZ rules are checked."""
    cidr_block: Optional[str] = None
    """Its CIDR block. Optional; when given, the size and overlap rules are checked."""

    @field_validator("subnet_id")
    @classmethod
    def _id(cls, value: StrInput) -> StrInput:
        return v.check_aws_id("subnet", value) if is_plain(value) else value

    @field_validator("availability_zone")
    @classmethod
    def _az(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_availability_zone(value)

    @field_validator("cidr_block")
    @classmethod
    def _cidr(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_subnet_cidr(value)


_NEW_VPC_FIELDS = (
    "vpc_cidr",
    "availability_zones",
    "az_count",
    "subnet_prefix_length",
    "subnet_cidrs",
    "nat_subnet_cidrs",
    "nat",
    "enable_s3_gateway_endpoint",
)


class AnyscaleNetworkArgs(ArgsModel):
    """Arguments of :class:`AnyscaleNetwork`: a new VPC (default) or an existing one."""

    networking: NetworkingMode = NetworkingMode.DIRECT
    """Direct (public subnets) or private (customer-defined) networking. Defaults to direct."""
    vpc_cidr: str = c.DEFAULT_VPC_CIDR
    """CIDR of the new VPC; must be /24 or larger, /20 or larger recommended. Defaults to 10.0.0.0/16."""
    availability_zones: Optional[list[str]] = None
    """AZs for the new subnets. Optional; defaults to the region's first ``az_count`` AZs."""
    az_count: int = Field(default=c.DEFAULT_AZ_COUNT, ge=c.MIN_AVAILABILITY_ZONES, le=16)
    """How many AZs to use when ``availability_zones`` is not given. Defaults to 3 (or as
    many as the region has, at least 2)."""
    subnet_prefix_length: Optional[int] = Field(default=None, ge=16, le=c.MIN_SUBNET_PREFIX_LENGTH)
    """Prefix length of each subnet. Optional; defaults to the VPC's + 4 (a /20 in a /16)."""
    subnet_cidrs: Optional[dict[str, str]] = None
    """Explicit cluster subnet CIDR per AZ (``{"us-west-2a": "10.0.0.0/20", ...}``). Optional;
    sets the AZs too."""
    nat_subnet_cidrs: Optional[dict[str, str]] = None
    """Private networking only: explicit CIDR of the public NAT subnet per AZ. Optional."""
    nat: NatStrategy = NatStrategy.ONE_PER_AZ
    """Private networking only: NAT gateways per AZ, one shared, or none. Defaults to one per AZ."""
    enable_s3_gateway_endpoint: bool = True
    """Add an S3 gateway endpoint (free; seed 004 recommends it). Defaults to True."""
    existing_vpc_id: Optional[StrInput] = None
    """Use this existing VPC instead of creating one. Optional."""
    existing_vpc_cidr: Optional[str] = None
    """CIDR of the existing VPC, to check the subnets against it. Optional."""
    existing_subnets: list[ExistingSubnet] = Field(default_factory=list)
    """Existing subnets for clusters (ids or :class:`ExistingSubnet`); at least 2, in at
    least 2 AZs. Required with ``existing_vpc_id``."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for every resource. Optional."""
    kubernetes_cluster_name: Optional[str] = None
    """Tag the new subnets for this EKS cluster's load balancers (EKS user guide, subnet
    tagging; Anyscale's EKS Terraform example): ``kubernetes.io/role/elb=1`` on public
    subnets (internet-facing NLBs), ``kubernetes.io/role/internal-elb=1`` on private ones
    (internal NLBs), ``kubernetes.io/cluster/<name>=shared`` on both. Optional; defaults to
    None (no Kubernetes tags). Set for you inside :class:`~anyscale_infra.aws.eks_cloud.AnyscaleEksCloud`.
    With an existing VPC nothing is tagged (tags on subnets we do not own would be removed
    on destroy): tag your subnets yourself."""

    @field_validator("existing_subnets", mode="before")
    @classmethod
    def _coerce_subnets(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            # Plain dicts, not models: pydantic then validates each item and reports the
            # index of a bad one (existing_subnets.1.subnet_id).
            return [{"subnet_id": s} if isinstance(s, (str, pulumi.Output)) else s for s in value]
        return value

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc_cidr(cls, value: str) -> str:
        return v.check_vpc_cidr(value)

    @field_validator("existing_vpc_cidr")
    @classmethod
    def _existing_vpc_cidr(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_vpc_cidr(value)

    @field_validator("existing_vpc_id")
    @classmethod
    def _existing_vpc_id(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("vpc", value) if isinstance(value, str) else value

    @field_validator("availability_zones")
    @classmethod
    def _azs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        for az in value:
            v.check_availability_zone(az)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        if len(value) < c.MIN_AVAILABILITY_ZONES:
            raise ValueError(
                f"needs at least {c.MIN_AVAILABILITY_ZONES} availability zones, got {len(value)} "
                "(seed 004: >= 2 subnets; the verifier wants >= 2 AZs)"
            )
        return value

    @field_validator("subnet_cidrs", "nat_subnet_cidrs")
    @classmethod
    def _cidr_map(cls, value: Optional[dict[str, str]]) -> Optional[dict[str, str]]:
        if value is None:
            return None
        for az, cidr in value.items():
            v.check_availability_zone(az)
            v.check_subnet_cidr(cidr)
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("kubernetes_cluster_name")
    @classmethod
    def _k8s_cluster(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_eks_cluster_name(value)

    def load_balancer_subnet_tags(self, role: SubnetRole) -> dict[str, str]:
        """The Kubernetes load-balancer tags of a new subnet with ``role`` (empty unless
        ``kubernetes_cluster_name`` is set)."""
        if self.kubernetes_cluster_name is None:
            return {}
        role_tag = c.K8S_ELB_ROLE_TAG if role is SubnetRole.PUBLIC else c.K8S_INTERNAL_ELB_ROLE_TAG
        return {role_tag: "1", f"{c.K8S_CLUSTER_TAG_PREFIX}{self.kubernetes_cluster_name}": c.K8S_CLUSTER_TAG_SHARED}

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleNetworkArgs":
        problems: list[FieldProblem] = []
        if self.existing_vpc_id is not None:
            problems += self._existing_problems()
        else:
            problems += self._new_vpc_problems()
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _existing_problems(self) -> list[FieldProblem]:
        problems = [
            FieldProblem(name, "only one of existing_vpc_id and " f"{name} can be specified")
            for name in _NEW_VPC_FIELDS
            if name in self.model_fields_set
        ]
        subnets = self.existing_subnets
        azs = [s.availability_zone for s in subnets]
        known_azs = azs if subnets and all(azs) else None
        if spread := v.subnet_spread_problem(len(subnets), known_azs):  # type: ignore[arg-type]
            problems.append(FieldProblem("existing_subnets", spread))
        plain_ids = [s.subnet_id for s in subnets if isinstance(s.subnet_id, str)]
        if dups := v.duplicates(plain_ids):
            problems.append(FieldProblem("existing_subnets", f"lists {', '.join(dups)} more than once"))
        if self.networking is NetworkingMode.DIRECT:
            # Direct networking registers public subnets only.
            labelled = [(_subnet_key(s, i), s.availability_zone) for i, s in enumerate(subnets)]
            for _, _, sentence in v.public_subnet_zone_problems(labelled):
                problems.append(FieldProblem("existing_subnets", f"has {sentence}"))
        cidrs = [(f"subnet {_subnet_key(s, i)}", s.cidr_block) for i, s in enumerate(subnets) if s.cidr_block]
        for problem in v.subnet_problems(self.existing_vpc_cidr, cidrs):  # type: ignore[arg-type]
            problems.append(FieldProblem("existing_subnets", problem))
        return problems

    def _new_vpc_problems(self) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        if self.existing_subnets:
            problems.append(FieldProblem("existing_subnets", "needs existing_vpc_id"))
        if self.existing_vpc_cidr is not None:
            problems.append(FieldProblem("existing_vpc_cidr", "needs existing_vpc_id"))
        private = self.networking is NetworkingMode.PRIVATE
        if not private and "nat" in self.model_fields_set:
            problems.append(FieldProblem("nat", "applies to private networking only"))
        if not private and self.nat_subnet_cidrs is not None:
            problems.append(FieldProblem("nat_subnet_cidrs", "applies to private networking only"))
        if self.subnet_cidrs is not None:
            # One subnet per AZ key, so the AZs are distinct by construction.
            if spread := v.subnet_spread_problem(len(self.subnet_cidrs), list(self.subnet_cidrs)):
                problems.append(FieldProblem("subnet_cidrs", spread))
            if self.availability_zones is not None and set(self.availability_zones) != set(self.subnet_cidrs):
                problems.append(
                    FieldProblem("availability_zones", "must name the same AZs as subnet_cidrs (or leave it out)")
                )
        if self.nat_subnet_cidrs is not None and self.subnet_cidrs is not None:
            if set(self.nat_subnet_cidrs) != set(self.subnet_cidrs):
                problems.append(FieldProblem("nat_subnet_cidrs", "must name the same AZs as subnet_cidrs"))
        vpc_prefix = ipaddress.IPv4Network(self.vpc_cidr).prefixlen
        if self.subnet_prefix_length is not None and self.subnet_prefix_length <= vpc_prefix:
            problems.append(
                FieldProblem(
                    "subnet_prefix_length",
                    f"/{self.subnet_prefix_length} must be longer than the VPC's /{vpc_prefix}",
                )
            )
        explicit_azs = self.known_availability_zones()
        if not problems and explicit_azs is not None:
            problems += self.plan_problems(explicit_azs)
        return problems

    def known_availability_zones(self) -> Optional[list[str]]:
        """The AZs fixed by the arguments, or None when the region must be asked."""
        if self.subnet_cidrs is not None:
            return sorted(self.subnet_cidrs)
        return self.availability_zones

    def plan(self, availability_zones: list[str]) -> list[SubnetPlan]:
        """The subnets of a new VPC in these AZs (pure; see :mod:`planning`)."""
        return plan_subnets(
            self.vpc_cidr,
            availability_zones,
            private=self.networking is NetworkingMode.PRIVATE,
            subnet_prefix_length=self.subnet_prefix_length,
            cluster_cidrs=self.subnet_cidrs,
            nat_cidrs=self.nat_subnet_cidrs,
        )

    def plan_problems(self, availability_zones: list[str]) -> list[FieldProblem]:
        """Every rule a planned layout breaks (region consistency, fit, containment, overlap)."""
        regions = {az[:-1] for az in availability_zones}
        if len(regions) > 1:
            return [FieldProblem("availability_zones", f"span several regions: {', '.join(sorted(regions))}")]
        try:
            plans = self.plan(availability_zones)
        except ValueError as exc:
            return [FieldProblem("availability_zones", str(exc))]
        labelled = [(f"{p.key} subnet", p.cidr_block) for p in plans]
        field = "subnet_cidrs" if self.subnet_cidrs is not None else "subnet_prefix_length"
        return [FieldProblem(field, problem) for problem in v.subnet_problems(self.vpc_cidr, labelled)]

    def advisories(self) -> list[str]:
        notes: list[str] = []
        if self.existing_vpc_id is None:
            if small := _recommended_vpc_size_problem(self.vpc_cidr):
                notes.append(f"vpc_cidr {small} (seed 004)")
            azs = self.known_availability_zones()
            if azs is not None:
                notes += _small_subnet_notes((p.key, p.cidr_block) for p in self.plan(azs) if p.cluster)
            if self.networking is NetworkingMode.PRIVATE and self.nat is NatStrategy.NONE:
                notes.append(
                    "nat is 'none': the private subnets have no route to the internet; seed 004 requires "
                    "internet egress, so provide it yourself (transit gateway, proxy)"
                )
        else:
            cidr_subnets = ((_subnet_key(s, i), s.cidr_block) for i, s in enumerate(self.existing_subnets) if s.cidr_block)
            notes += _small_subnet_notes(cidr_subnets)  # type: ignore[arg-type]
            if self.existing_vpc_cidr and (small := _recommended_vpc_size_problem(self.existing_vpc_cidr)):
                notes.append(f"existing_vpc_cidr {small} (seed 004)")
        return notes


def _check_zones_in_region(model: str, field: str, zones: list[str], region: str) -> None:
    problems = []
    for zone in zones:
        try:
            v.check_availability_zone(zone, region)
        except ValueError as exc:
            problems.append(FieldProblem(field, f"{exc} (the provider's region)"))
    if problems:
        raise InvalidArgsError(model, problems)


def _recommended_vpc_size_problem(cidr: str) -> Optional[str]:
    return v.cidr_too_small(ipaddress.IPv4Network(cidr), c.RECOMMENDED_VPC_PREFIX_LENGTH, "VPC", "recommends")


def _subnet_key(subnet: ExistingSubnet, index: int) -> str:
    """A stable key for an existing subnet: its id; list position only when the id is not
    known before deployment (an output of another stack)."""
    return subnet.subnet_id if isinstance(subnet.subnet_id, str) else f"subnet-{index}"


def _small_subnet_notes(subnets) -> list[str]:  # type: ignore[no-untyped-def]
    notes = []
    for label, cidr in subnets:
        small = v.cidr_too_small(ipaddress.IPv4Network(cidr), c.RECOMMENDED_SUBNET_PREFIX_LENGTH, "subnet", "recommends")
        if small:
            notes.append(f"subnet {label} {small} (seed 004)")
    return notes


# Root stack resource -> provider -> AZ names. Weak keys: one entry per program run.
_ZONES_BY_PROGRAM: "weakref.WeakKeyDictionary[Any, dict[Optional[int], list[str]]]" = weakref.WeakKeyDictionary()


class AnyscaleNetwork(pulumi.ComponentResource):
    """VPC, subnets, internet gateway, route tables, NAT and S3 endpoint for an Anyscale cloud.

    With ``existing_vpc_id`` nothing is created and the outputs echo your ids.
    """

    vpc_id: pulumi.Output[str]
    """The VPC id (``--vpc-id``)."""
    subnet_ids: pulumi.Output[list[str]]
    """The cluster subnets, in AZ order (``--subnet-ids``)."""
    subnet_ids_by_az: pulumi.Output[dict[str, str]]
    """Cluster subnet id per AZ (new VPC only; empty for an existing one)."""
    availability_zones: pulumi.Output[list[str]]
    """AZs of the cluster subnets (empty when unknown for an existing VPC)."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Subnets routed to the internet gateway (new VPC only)."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Subnets routed to NAT (private networking, new VPC only)."""
    nat_gateway_ids: pulumi.Output[list[str]]
    """NAT gateways (private networking, new VPC only)."""
    route_table_ids: pulumi.Output[list[str]]
    """Route tables of the new VPC."""
    s3_endpoint_id: pulumi.Output[Optional[str]]
    """The S3 gateway endpoint, when created."""
    cluster_subnets: dict[str, pulumi.Output[str]]
    """Cluster subnet ids keyed by a stable key (the AZ for a new VPC, the id for an existing
    one): what EFS mount targets are keyed by, so none moves when the list changes."""
    private_network: bool
    """True in private (customer-defined) networking: register with ``--private-network``."""
    region: pulumi.Output[str]
    """The region of the provider the network is created with."""

    def __init__(
        self, name: str, args: AnyscaleNetworkArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleNetwork"), name, None, opts)
        self.private_network = args.networking is NetworkingMode.PRIVATE
        # The output form: a synchronous invoke blocks the program and costs time in
        # proportion to everything already declared (benchmarks/: 10 clouds).
        self.region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        if args.existing_vpc_id is not None:
            self._use_existing(args)
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "subnet_ids": self.subnet_ids,
                "availability_zones": self.availability_zones,
                "public_subnet_ids": self.public_subnet_ids,
                "private_subnet_ids": self.private_subnet_ids,
                "nat_gateway_ids": self.nat_gateway_ids,
                "route_table_ids": self.route_table_ids,
                "s3_endpoint_id": self.s3_endpoint_id,
            }
        )

    def _use_existing(self, args: AnyscaleNetworkArgs) -> None:
        self.vpc_id = pulumi.Output.from_input(args.existing_vpc_id)  # type: ignore[arg-type]
        self.subnet_ids = pulumi.Output.all(*[s.subnet_id for s in args.existing_subnets])  # type: ignore[assignment]
        self.subnet_ids_by_az = pulumi.Output.from_input({})
        azs = [s.availability_zone for s in args.existing_subnets]
        self.availability_zones = pulumi.Output.from_input(azs if all(azs) else [])  # type: ignore[arg-type]
        empty: pulumi.Output[list[str]] = pulumi.Output.from_input([])
        self.public_subnet_ids = self.private_subnet_ids = empty
        self.nat_gateway_ids = self.route_table_ids = empty
        self.s3_endpoint_id = pulumi.Output.from_input(None)
        self.cluster_subnets = {
            _subnet_key(s, index): pulumi.Output.from_input(s.subnet_id)
            for index, s in enumerate(args.existing_subnets)
        }

    def _region_zone_names(self) -> list[str]:
        """The region's AZs, asked once per program and provider: subnet resource names
        depend on them, so this invoke must be synchronous, and each synchronous invoke
        blocks the whole program (benchmarks/: many clouds in one program)."""
        provider = self.get_provider("aws:ec2/vpc:Vpc")
        per_program = _ZONES_BY_PROGRAM.setdefault(pulumi.runtime.get_root_resource(), {})
        key = id(provider) if provider is not None else None
        if key not in per_program:
            # Only AZs that need no opt-in (excludes Local and Wavelength Zones).
            zones = aws.get_availability_zones(
                state="available",
                filters=[{"name": "opt-in-status", "values": ["opt-in-not-required"]}],
                opts=pulumi.InvokeOptions(parent=self),
            )
            per_program[key] = list(zones.names)
        return per_program[key]

    def _availability_zones(self, args: AnyscaleNetworkArgs) -> list[str]:
        known = args.known_availability_zones()
        if known is not None:
            return known
        chosen = choose_availability_zones(self._region_zone_names(), args.az_count)
        if len(chosen) < c.MIN_AVAILABILITY_ZONES:
            raise w.fail(
                type(args).__name__,
                "az_count",
                f"the region has only {len(chosen)} available AZ(s); Anyscale needs at least "
                f"{c.MIN_AVAILABILITY_ZONES}",
            )
        return chosen

    def _create(self, name: str, args: AnyscaleNetworkArgs) -> None:
        azs = self._availability_zones(args)
        if problems := args.plan_problems(azs):
            raise InvalidArgsError(type(args).__name__, problems)
        plans = args.plan(azs)
        if args.known_availability_zones() is None:
            # AZs came from the region: the subnet sizes were not known at __init__ time.
            w.emit_advisories(self, _small_subnet_notes((p.key, p.cidr_block) for p in plans if p.cluster))
        private = self.private_network
        tags = args.tags
        if args.known_availability_zones() is not None:
            # AZs given by the caller must be in the provider's region, before any subnet is
            # declared in them. A synchronous lookup, paid only when AZs are given (the
            # region's own AZs need no check).
            region = aws.get_region(opts=pulumi.InvokeOptions(parent=self)).region
            field = "subnet_cidrs" if args.subnet_cidrs is not None else "availability_zones"
            _check_zones_in_region(type(args).__name__, field, azs, region)

        vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.vpc_cidr,
            # EFS mount targets and the S3 endpoint resolve through VPC DNS.
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=w.merge_tags(f"{name}-vpc", tags),
            opts=w.child(self),
        )
        igw = aws.ec2.InternetGateway(
            f"{name}-igw",
            vpc_id=vpc.id,
            tags=w.merge_tags(f"{name}-igw", tags),
            opts=w.child(self),
        )
        public_rt = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=vpc.id,
            tags=w.merge_tags(f"{name}-public-rt", tags),
            opts=w.child(self),
        )
        aws.ec2.Route(
            f"{name}-public-default-route",
            route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
            opts=w.child(self, deleted_with=public_rt),
        )

        subnets: dict[str, aws.ec2.Subnet] = {}
        for plan in plans:
            subnet_name = f"{name}-{plan.key}"
            subnets[plan.key] = aws.ec2.Subnet(
                subnet_name,
                vpc_id=vpc.id,
                cidr_block=plan.cidr_block,
                availability_zone=plan.availability_zone,
                # Direct networking: clusters get public IPs (the verifier warns otherwise).
                # NAT subnets and private subnets never auto-assign public IPs.
                map_public_ip_on_launch=plan.role is SubnetRole.PUBLIC and plan.cluster,
                tags=w.merge_tags(
                    subnet_name,
                    tags,
                    **{"anyscale-subnet-role": plan.role.value, **args.load_balancer_subnet_tags(plan.role)},
                ),
                opts=w.child(self),
            )
            if plan.role is SubnetRole.PUBLIC:
                aws.ec2.RouteTableAssociation(
                    f"{subnet_name}-rta",
                    subnet_id=subnets[plan.key].id,
                    route_table_id=public_rt.id,
                    opts=w.child(self),
                )

        route_tables = [public_rt]
        nat_ids: list[pulumi.Output[str]] = []
        if private:
            nat_by_az = self._nat_gateways(name, args, plans, subnets, igw)
            nat_ids = [nat.id for nat in nat_by_az.values()]
            for plan in (p for p in plans if p.role is SubnetRole.PRIVATE):
                rt_name = f"{name}-private-rt-{plan.availability_zone}"
                rt = aws.ec2.RouteTable(
                    rt_name, vpc_id=vpc.id, tags=w.merge_tags(rt_name, tags), opts=w.child(self)
                )
                route_tables.append(rt)
                nat = nat_by_az.get(plan.availability_zone) or next(iter(nat_by_az.values()), None)
                if nat is not None:
                    aws.ec2.Route(
                        f"{rt_name}-default-route",
                        route_table_id=rt.id,
                        destination_cidr_block="0.0.0.0/0",
                        nat_gateway_id=nat.id,
                        opts=w.child(self, deleted_with=rt),
                    )
                aws.ec2.RouteTableAssociation(
                    f"{name}-{plan.key}-rta",
                    subnet_id=subnets[plan.key].id,
                    route_table_id=rt.id,
                    opts=w.child(self),
                )

        endpoint_id: pulumi.Output[Optional[str]] = pulumi.Output.from_input(None)
        if args.enable_s3_gateway_endpoint:
            endpoint = aws.ec2.VpcEndpoint(
                f"{name}-s3-endpoint",
                vpc_id=vpc.id,
                service_name=pulumi.Output.format("com.amazonaws.{0}.s3", self.region),
                vpc_endpoint_type="Gateway",
                route_table_ids=[rt.id for rt in route_tables],
                tags=w.merge_tags(f"{name}-s3-endpoint", tags),
                opts=w.child(self),
            )
            endpoint_id = endpoint.id

        cluster = [p for p in plans if p.cluster]
        self.vpc_id = vpc.id
        self.subnet_ids = pulumi.Output.all(*[subnets[p.key].id for p in cluster])  # type: ignore[assignment]
        self.subnet_ids_by_az = pulumi.Output.all(
            **{p.availability_zone: subnets[p.key].id for p in cluster}
        )  # type: ignore[assignment]
        self.availability_zones = pulumi.Output.from_input([p.availability_zone for p in cluster])
        self.public_subnet_ids = pulumi.Output.all(
            *[subnets[p.key].id for p in plans if p.role is SubnetRole.PUBLIC]
        )  # type: ignore[assignment]
        self.private_subnet_ids = pulumi.Output.all(
            *[subnets[p.key].id for p in plans if p.role is SubnetRole.PRIVATE]
        )  # type: ignore[assignment]
        self.nat_gateway_ids = pulumi.Output.all(*nat_ids)  # type: ignore[assignment]
        self.route_table_ids = pulumi.Output.all(*[rt.id for rt in route_tables])  # type: ignore[assignment]
        self.s3_endpoint_id = endpoint_id
        self.cluster_subnets = {
            p.availability_zone: subnets[p.key].id for p in cluster
        }

    def _nat_gateways(
        self,
        name: str,
        args: AnyscaleNetworkArgs,
        plans: list[SubnetPlan],
        subnets: dict[str, aws.ec2.Subnet],
        igw: aws.ec2.InternetGateway,
    ) -> dict[str, aws.ec2.NatGateway]:
        nat_plans = [p for p in plans if p.role is SubnetRole.PUBLIC and not p.cluster]
        if args.nat is NatStrategy.NONE:
            return {}
        if args.nat is NatStrategy.SINGLE:
            nat_plans = nat_plans[:1]
        gateways: dict[str, aws.ec2.NatGateway] = {}
        for plan in nat_plans:
            az = plan.availability_zone
            eip = aws.ec2.Eip(
                f"{name}-nat-eip-{az}",
                domain="vpc",
                tags=w.merge_tags(f"{name}-nat-eip-{az}", args.tags),
                opts=w.child(self, depends_on=[igw]),
            )
            gateways[az] = aws.ec2.NatGateway(
                f"{name}-nat-{az}",
                allocation_id=eip.id,
                subnet_id=subnets[plan.key].id,
                tags=w.merge_tags(f"{name}-nat-{az}", args.tags),
                opts=w.child(self, depends_on=[igw]),
            )
        return gateways


"""Network rules (seed 004, "Detailed Resource Requirements": VPC and subnets)."""

from __future__ import annotations

from collections import Counter

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.policy._facts import get, network, of_type, subnets_by_vpc

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"


def _prefix_rule(policy_id: str, resource_type: str, what: str, limit: int, level: EnforcementLevel, word: str, seed: str):
    """A CIDR-size rule; the prefix length limit is configurable (`maxPrefixLength`)."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type != resource_type:
            return
        block = network(get(args.props, "cidrBlock"))
        maximum = int(args.get_config().get("maxPrefixLength", limit))
        if block is not None and block.prefixlen > maximum:
            report(f"{what} {block} is smaller than the /{maximum} Anyscale {word} ({seed}).", None)

    return ResourceValidationPolicy(
        name=policy_id,
        description=f"{what} CIDR must be /{limit} or larger: Anyscale {word} it ({seed}).",
        validate=validate,
        enforcement_level=level,
        config_schema=PolicyConfigSchema(
            properties={"maxPrefixLength": {"type": "integer", "default": limit, "minimum": 0, "maximum": 32}}
        ),
    )


vpc_min_size = _prefix_rule(
    "anyscale-aws-vpc-min-size", VPC, "VPC", 24, EnforcementLevel.MANDATORY, "requires", "seed 004: VPC CIDR >= /24"
)
vpc_recommended_size = _prefix_rule(
    "anyscale-aws-vpc-recommended-size", VPC, "VPC", 20, EnforcementLevel.ADVISORY, "recommends",
    "seed 004: recommend /20 or larger",
)
subnet_min_size = _prefix_rule(
    "anyscale-aws-subnet-min-size", SUBNET, "subnet", 28, EnforcementLevel.MANDATORY, "requires",
    "seed 004: subnets >= /28",
)
subnet_recommended_size = _prefix_rule(
    "anyscale-aws-subnet-recommended-size", SUBNET, "subnet", 24, EnforcementLevel.ADVISORY, "recommends",
    "seed 004: recommend /24 or larger",
)


def _two_azs(args: StackValidationArgs, report: ReportViolation) -> None:
    for vpc, subnets in subnets_by_vpc(args.resources).items():
        zones = {get(s.props, "availabilityZone") for s in subnets} - {None}
        if len(subnets) < 2 or (zones and len(zones) < 2):
            report(
                f"VPC {vpc} has {len(subnets)} subnet(s) in {len(zones)} availability zone(s); Anyscale needs at "
                "least 2 subnets in different AZs (seed 004).",
                subnets[0].urn,
            )


subnets_in_two_azs = StackValidationPolicy(
    name="anyscale-aws-subnets-in-two-azs",
    description="A cloud VPC needs at least 2 subnets in distinct availability zones (seed 004: subnets).",
    validate=_two_azs,
    enforcement_level=EnforcementLevel.MANDATORY,
)


def _public_azs(args: StackValidationArgs, report: ReportViolation) -> None:
    for vpc, subnets in subnets_by_vpc(args.resources).items():
        public = [s for s in subnets if get(s.props, "mapPublicIpOnLaunch") is True]
        zones = Counter(get(s.props, "availabilityZone") for s in public)
        for zone, count in zones.items():
            if zone is not None and count > 1:
                second = [s for s in public if get(s.props, "availabilityZone") == zone][1]
                report(
                    f"VPC {vpc} has {count} public subnets in {zone}; seed 004 (direct networking): no two "
                    "public subnets in the same availability zone.",
                    second.urn,
                )


public_subnets_distinct_azs = StackValidationPolicy(
    name="anyscale-aws-public-subnets-distinct-azs",
    description="No two public subnets (public IP on launch) of a VPC in one availability zone (seed 004).",
    validate=_public_azs,
    enforcement_level=EnforcementLevel.MANDATORY,
)


def _s3_endpoint(args: StackValidationArgs, report: ReportViolation) -> None:
    endpoints = {
        get(e.props, "vpcId")
        for e in of_type(args.resources, "aws:ec2/vpcEndpoint:VpcEndpoint")
        if str(get(e.props, "serviceName", "")).endswith(".s3")
        and get(e.props, "vpcEndpointType", "Gateway") == "Gateway"
    }
    vpcs = {get(v.props, "id"): v for v in of_type(args.resources, VPC)}
    for vpc in subnets_by_vpc(args.resources):
        if vpc not in endpoints:
            report(
                f"VPC {vpc} has no S3 gateway endpoint; seed 004 recommends one (free, and S3 traffic stays "
                "off the NAT/internet path).",
                vpcs[vpc].urn if vpc in vpcs else None,
            )


s3_gateway_endpoint = StackValidationPolicy(
    name="anyscale-aws-s3-gateway-endpoint",
    description="Each cloud VPC should have an S3 gateway endpoint (seed 004 recommends it).",
    validate=_s3_endpoint,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [
    vpc_min_size,
    vpc_recommended_size,
    subnet_min_size,
    subnet_recommended_size,
    subnets_in_two_azs,
    public_subnets_distinct_azs,
    s3_gateway_endpoint,
]

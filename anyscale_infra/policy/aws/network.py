"""Network rules (seed 004, "Detailed Resource Requirements": VPC and subnets)."""

from __future__ import annotations


from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.policy.aws._facts import get, network, of_type, subnets_by_vpc

VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"


def _prefix_rule(policy_id: str, resource_type: str, kind: str, limit: int, level: EnforcementLevel, verb: str):
    """A CIDR-size rule (the same :func:`validation.cidr_too_small` the args models use);
    the prefix length limit is configurable (`maxPrefixLength`)."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type != resource_type:
            return
        block = network(get(args.props, "cidrBlock"))
        maximum = int(args.get_config().get("maxPrefixLength", limit))
        if block is not None and (problem := v.cidr_too_small(block, maximum, kind, verb)):
            report(f"{problem} (seed 004).", None)

    return ResourceValidationPolicy(
        name=policy_id,
        description=f"{kind} CIDR must be /{limit} or larger: Anyscale {verb} it (seed 004).",
        validate=validate,
        enforcement_level=level,
        config_schema=PolicyConfigSchema(
            properties={"maxPrefixLength": {"type": "integer", "default": limit, "minimum": 0, "maximum": 32}}
        ),
    )


vpc_min_size = _prefix_rule(
    "anyscale-aws-vpc-min-size", VPC, "VPC", c.MIN_VPC_PREFIX_LENGTH, EnforcementLevel.MANDATORY, "requires"
)
vpc_recommended_size = _prefix_rule(
    "anyscale-aws-vpc-recommended-size", VPC, "VPC", c.RECOMMENDED_VPC_PREFIX_LENGTH, EnforcementLevel.ADVISORY,
    "recommends",
)
subnet_min_size = _prefix_rule(
    "anyscale-aws-subnet-min-size", SUBNET, "subnet", c.MIN_SUBNET_PREFIX_LENGTH, EnforcementLevel.MANDATORY,
    "requires",
)
subnet_recommended_size = _prefix_rule(
    "anyscale-aws-subnet-recommended-size", SUBNET, "subnet", c.RECOMMENDED_SUBNET_PREFIX_LENGTH,
    EnforcementLevel.ADVISORY, "recommends",
)


def _two_azs(args: StackValidationArgs, report: ReportViolation) -> None:
    for vpc, subnets in subnets_by_vpc(args.resources).items():
        zones = [get(s.props, "availabilityZone") for s in subnets]
        known = zones if all(isinstance(z, str) for z in zones) else None
        if problem := v.subnet_spread_problem(len(subnets), known):
            report(f"VPC {vpc}: {problem}.", subnets[0].urn)


subnets_in_two_azs = StackValidationPolicy(
    name="anyscale-aws-subnets-in-two-azs",
    description="A cloud VPC needs at least 2 subnets in distinct availability zones (seed 004: subnets).",
    validate=_two_azs,
    enforcement_level=EnforcementLevel.MANDATORY,
)


def _public_azs(args: StackValidationArgs, report: ReportViolation) -> None:
    for vpc, subnets in subnets_by_vpc(args.resources).items():
        public = [s for s in subnets if get(s.props, "mapPublicIpOnLaunch") is True]
        by_label = {s.name: s for s in public}
        labelled = [(s.name, get(s.props, "availabilityZone")) for s in public]
        for _, labels, sentence in v.public_subnet_zone_problems(labelled):
            report(f"VPC {vpc} has {sentence}.", by_label[labels[1]].urn)


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

"""AnyscaleNetwork: what the VPC, subnets, routes, NAT and endpoint receive."""

from __future__ import annotations

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleNetwork, AnyscaleNetworkArgs, ExistingSubnet, NatStrategy, NetworkingMode

SUBNET = "aws:ec2/subnet:Subnet"


def _subnets(result):
    return {r.name: r.inputs for r in result.by_type(SUBNET)}


def test_default_is_a_16_with_three_public_subnets(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs()))
    (vpc,) = result.by_type("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/16"
    assert vpc.inputs["enableDnsHostnames"] is True and vpc.inputs["enableDnsSupport"] is True
    subnets = _subnets(result)
    assert {name: (s["availabilityZone"], s["cidrBlock"], s["mapPublicIpOnLaunch"]) for name, s in subnets.items()} == {
        "c-public-us-west-2a": ("us-west-2a", "10.0.0.0/20", True),
        "c-public-us-west-2b": ("us-west-2b", "10.0.16.0/20", True),
        "c-public-us-west-2c": ("us-west-2c", "10.0.32.0/20", True),
    }
    (route,) = result.by_type("aws:ec2/route:Route")
    assert route.inputs["destinationCidrBlock"] == "0.0.0.0/0"
    (igw,) = result.by_type("aws:ec2/internetGateway:InternetGateway")
    assert route.inputs["gatewayId"] == igw.id
    assert len(result.by_type("aws:ec2/routeTableAssociation:RouteTableAssociation")) == 3
    assert result.by_type("aws:ec2/natGateway:NatGateway") == []


def test_s3_gateway_endpoint_on_by_default_on_every_route_table(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(networking="private")))
    (endpoint,) = result.by_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    assert endpoint.inputs["serviceName"] == "com.amazonaws.us-west-2.s3"
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    tables = {rt.id for rt in result.by_type("aws:ec2/routeTable:RouteTable")}
    assert set(endpoint.inputs["routeTableIds"]) == tables and len(tables) == 4


def test_s3_endpoint_can_be_turned_off(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(enable_s3_gateway_endpoint=False)))
    assert result.by_type("aws:ec2/vpcEndpoint:VpcEndpoint") == []


def test_private_networking_one_nat_per_az(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(networking=NetworkingMode.PRIVATE, az_count=2)))
    subnets = _subnets(result)
    assert set(subnets) == {"c-private-us-west-2a", "c-public-us-west-2a", "c-private-us-west-2b", "c-public-us-west-2b"}
    assert not any(s["mapPublicIpOnLaunch"] for s in subnets.values())
    nats = {n.name: n for n in result.by_type("aws:ec2/natGateway:NatGateway")}
    assert set(nats) == {"c-nat-us-west-2a", "c-nat-us-west-2b"}
    public_ids = {r.name: r.id for r in result.by_type(SUBNET)}
    assert nats["c-nat-us-west-2a"].inputs["subnetId"] == public_ids["c-public-us-west-2a"]
    routes = {r.name: r.inputs for r in result.by_type("aws:ec2/route:Route")}
    assert routes["c-private-rt-us-west-2a-default-route"]["natGatewayId"] == nats["c-nat-us-west-2a"].id
    assert routes["c-private-rt-us-west-2b-default-route"]["natGatewayId"] == nats["c-nat-us-west-2b"].id


def test_private_networking_single_nat_is_shared(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(networking="private", nat=NatStrategy.SINGLE)))
    (nat,) = result.by_type("aws:ec2/natGateway:NatGateway")
    nat_routes = [r for r in result.by_type("aws:ec2/route:Route") if "natGatewayId" in r.inputs]
    assert len(nat_routes) == 3 and {r.inputs["natGatewayId"] for r in nat_routes} == {nat.id}


def test_no_nat_warns_about_egress(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(networking="private", nat="none")))
    assert result.by_type("aws:ec2/natGateway:NatGateway") == []
    assert any("no route to the internet" in w for w in result.warnings)


def test_existing_vpc_creates_nothing_and_echoes_ids(preview):
    import pulumi

    def program():
        net = AnyscaleNetwork("c", AnyscaleNetworkArgs(
            existing_vpc_id="vpc-0a1b2c3d4e5f67890",
            existing_subnets=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"],
        ))
        pulumi.export("vpc", net.vpc_id)
        pulumi.export("subnets", net.subnet_ids)

    result = preview(program)
    assert [r for r in result.resources if r.custom] == []
    assert result.outputs == {"vpc": "vpc-0a1b2c3d4e5f67890",
                              "subnets": ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]}


def test_small_vpc_warns_below_20(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(vpc_cidr="10.0.0.0/22", az_count=2)))
    assert any("10.0.0.0/22 is smaller than the /20 Anyscale recommends" in w for w in result.warnings)
    assert any("smaller than the /24 Anyscale recommends" in w for w in result.warnings)  # /26 subnets


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(vpc_cidr="10.0.0.0/25"), "vpc_cidr", "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
        (dict(availability_zones=["us-west-2a"]), "availability_zones", "at least 2 availability zones"),
        (dict(az_count=1), "az_count", "greater than or equal to 2"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/29", "us-west-2b": "10.0.1.0/24"}), "subnet_cidrs",
         "smaller than the /28"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.0.128/25"}), "subnet_cidrs", "overlaps"),
        (dict(subnet_cidrs={"us-west-2a": "10.1.0.0/24", "us-west-2b": "10.0.1.0/24"}), "subnet_cidrs",
         "outside the VPC CIDR"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/24"}), "subnet_cidrs", "at least 2 subnets"),
        (dict(nat="single"), "nat", "private networking only"),
        (dict(existing_subnets=["subnet-0a1b2c3d4e5f67890"]), "existing_subnets", "needs existing_vpc_id"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=["subnet-0a1b2c3d4e5f67890"]),
         "existing_subnets", "at least 2 subnets"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", vpc_cidr="10.0.0.0/16",
              existing_subnets=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]),
         "vpc_cidr", "only one of existing_vpc_id and vpc_cidr"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=[
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", availability_zone="us-west-2a"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", availability_zone="us-west-2a"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67892", availability_zone="us-west-2b"),
        ]), "existing_subnets", "two public subnets in us-west-2a"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_vpc_cidr="10.0.0.0/16", existing_subnets=[
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", cidr_block="10.0.0.0/24"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", cidr_block="10.9.0.0/24"),
        ]), "existing_subnets", "outside the VPC CIDR 10.0.0.0/16"),
        (dict(existing_vpc_id="vpc-bad", existing_subnets=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]),
         "existing_vpc_id", "is not a vpc id"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=["subnet-0a1b2c3d4e5f67890", "nope"]),
         "existing_subnets.1.subnet_id", "is not a subnet id"),
    ],
)
def test_bad_network_input_names_field_and_rule(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(**kwargs)
    assert field in info.value.fields, str(info.value)
    assert needle in str(info.value)


def test_two_private_subnets_in_one_az_are_allowed():
    args = AnyscaleNetworkArgs(networking="private", existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=[
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", availability_zone="us-west-2a"),
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", availability_zone="us-west-2a"),
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67892", availability_zone="us-west-2b"),
    ])
    assert len(args.existing_subnets) == 3


def test_region_with_one_az_fails_before_any_resource(preview, monkeypatch):
    import pulumi_aws as aws

    class OneZone:
        names = ["us-west-2a"]

    monkeypatch.setattr(aws, "get_availability_zones", lambda **_: OneZone())
    with pytest.raises(Exception, match="only 1 available AZ"):
        preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs()))

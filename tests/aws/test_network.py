"""AnyscaleNetwork: what the VPC, subnets, routes, NAT and endpoint receive."""

from __future__ import annotations

import pulumi
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleNetwork, AnyscaleNetworkArgs, ExistingSubnet, NatStrategy, NetworkingMode
from program_errors import deploy_error

VPC = "vpc-0a1b2c3d4e5f67890"
S1, S2, S3 = "subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"

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


# -- numeric limits: az_count 2..16, subnet_prefix_length 16..28 and longer than the VPC's ---


@pytest.mark.parametrize("count, zones", [(2, ["us-west-2a", "us-west-2b"]), (3, ["us-west-2a", "us-west-2b", "us-west-2c"]),
                                          (16, ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"])])
def test_az_count_from_2_to_16(preview, count, zones):
    """The preview region has four AZs: 16 takes them all."""
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(az_count=count)))
    assert sorted(s["availabilityZone"] for s in _subnets(result).values()) == zones


@pytest.mark.parametrize("count, phrase", [(1, "greater than or equal to 2"), (0, "greater than or equal to 2"),
                                           (17, "less than or equal to 16")])
def test_az_count_near_misses(count, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(az_count=count)
    assert info.value.fields == ["az_count"]
    assert phrase in str(info.value)


@pytest.mark.parametrize(
    "vpc, prefix, cidrs",
    [
        ("10.0.0.0/16", 17, ["10.0.0.0/17", "10.0.128.0/17"]),
        ("10.0.0.0/16", 28, ["10.0.0.0/28", "10.0.0.16/28"]),
        ("10.0.0.0/24", 25, ["10.0.0.0/25", "10.0.0.128/25"]),
        ("10.0.0.0/24", 28, ["10.0.0.0/28", "10.0.0.16/28"]),
    ],
)
def test_subnet_prefix_length_from_the_vpcs_plus_1_to_28(preview, vpc, prefix, cidrs):
    args = AnyscaleNetworkArgs(vpc_cidr=vpc, subnet_prefix_length=prefix, availability_zones=["us-west-2a", "us-west-2b"])
    result = preview(lambda: AnyscaleNetwork("c", args))
    assert sorted(s["cidrBlock"] for s in _subnets(result).values()) == cidrs


@pytest.mark.parametrize(
    "vpc, prefix, phrase",
    [
        ("10.0.0.0/16", 29, "less than or equal to 28"),
        ("10.0.0.0/16", 15, "greater than or equal to 16"),
        ("10.0.0.0/16", 16, "/16 must be longer than the VPC's /16"),
        ("10.0.0.0/24", 24, "/24 must be longer than the VPC's /24"),
        ("10.0.0.0/20", 18, "/18 must be longer than the VPC's /20"),
    ],
)
def test_subnet_prefix_length_near_misses(vpc, prefix, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(vpc_cidr=vpc, subnet_prefix_length=prefix)
    assert info.value.fields == ["subnet_prefix_length"]
    assert phrase in str(info.value)


@pytest.mark.parametrize("vpc", ["10.0.0.0/16", "10.0.0.0/20", "10.0.0.0/24"])
def test_vpc_cidr_from_16_to_24_is_accepted(preview, vpc):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(vpc_cidr=vpc, az_count=2)))
    assert result.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"] == vpc


@pytest.mark.parametrize("field", ["vpc_cidr", "existing_vpc_cidr"])
@pytest.mark.parametrize("vpc, phrase", [("10.0.0.0/25", "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
                                         ("10.0.0.0/15", "10.0.0.0/15 is larger than the /16")])
def test_vpc_cidr_near_misses(field, vpc, phrase):
    kwargs = {field: vpc}
    if field == "existing_vpc_cidr":
        kwargs.update(existing_vpc_id=VPC, existing_subnets=[S1, S2])
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(**kwargs)
    assert info.value.fields == [field]
    assert phrase in str(info.value)


@pytest.mark.parametrize("cidr", ["10.0.0.0/28", "10.0.0.0/24", "10.0.0.0/20"])
def test_existing_subnet_of_28_or_larger_is_accepted(cidr):
    subnet = ExistingSubnet(subnet_id=S1, cidr_block=cidr)
    assert subnet.cidr_block == cidr


def test_existing_subnet_smaller_than_28_is_rejected():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(existing_vpc_id=VPC, existing_subnets=[{"subnet_id": S1, "cidr_block": "10.0.0.0/29"}, S2])
    assert info.value.fields == ["existing_subnets.0.cidr_block"]
    assert "10.0.0.0/29 is smaller than the /28 Anyscale requires" in str(info.value)


@pytest.mark.parametrize("field", ["subnet_cidrs", "nat_subnet_cidrs"])
def test_explicit_subnets_of_28_are_accepted_and_29_rejected(field):
    extra = {"networking": "private"} if field == "nat_subnet_cidrs" else {}
    ok = {"us-west-2a": "10.0.200.0/28", "us-west-2b": "10.0.201.0/24"}
    assert getattr(AnyscaleNetworkArgs(**extra, **{field: ok}), field) == ok
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(**extra, **{field: {"us-west-2a": "10.0.200.0/29", "us-west-2b": "10.0.201.0/24"}})
    assert info.value.fields == [field]
    assert "10.0.200.0/29 is smaller than the /28 Anyscale requires" in str(info.value)


# -- errors raised at deploy time (the region's AZs are only known then) ---------------------


def test_region_with_one_az_fails_before_any_resource(preview, monkeypatch):
    import pulumi_aws as aws

    class OneZone:
        names = ["us-west-2a"]

    monkeypatch.setattr(aws, "get_availability_zones", lambda **_: OneZone())
    error = deploy_error(preview, lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs()))
    assert error.fields == ["az_count"]
    assert "the region has only 1 available AZ(s); Anyscale needs at least 2" in str(error)


def test_region_with_two_azs_is_enough(preview, monkeypatch):
    import pulumi_aws as aws

    class TwoZones:
        names = ["us-west-2b", "us-west-2a"]

    monkeypatch.setattr(aws, "get_availability_zones", lambda **_: TwoZones())
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs()))
    assert sorted(_subnets(result)) == ["c-public-us-west-2a", "c-public-us-west-2b"]


def test_region_azs_that_do_not_fit_the_vpc_fail_at_deploy(preview):
    """/24 split in /26: two private slots; the region's third AZ (c) needs slot 2."""
    args = AnyscaleNetworkArgs(vpc_cidr="10.0.0.0/24", subnet_prefix_length=26, networking="private", az_count=3)
    error = deploy_error(preview, lambda: AnyscaleNetwork("c", args))
    assert error.fields == ["availability_zones"]
    assert "availability zone us-west-2c needs slot 2" in str(error)


def test_region_azs_that_fit_the_vpc(preview):
    args = AnyscaleNetworkArgs(vpc_cidr="10.0.0.0/24", subnet_prefix_length=26, networking="private", az_count=2)
    result = preview(lambda: AnyscaleNetwork("c", args))
    assert {n: s["cidrBlock"] for n, s in _subnets(result).items()} == {
        "c-private-us-west-2a": "10.0.0.0/26", "c-private-us-west-2b": "10.0.0.64/26",
        "c-public-us-west-2a": "10.0.0.128/26", "c-public-us-west-2b": "10.0.0.192/26",
    }


# -- every rule: the exact field and the rule's phrase ------------------------------------------

NEW_VPC_ONLY = {
    "vpc_cidr": "10.0.0.0/16",
    "availability_zones": ["us-west-2a", "us-west-2b"],
    "az_count": 2,
    "subnet_prefix_length": 20,
    "subnet_cidrs": {"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.1.0/24"},
    "nat_subnet_cidrs": {"us-west-2a": "10.0.2.0/24", "us-west-2b": "10.0.3.0/24"},
    "nat": "single",
    "enable_s3_gateway_endpoint": False,
}


@pytest.mark.parametrize("field", sorted(NEW_VPC_ONLY))
def test_settings_of_a_new_vpc_conflict_with_an_existing_vpc(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(existing_vpc_id=VPC, existing_subnets=[S1, S2], **{field: NEW_VPC_ONLY[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_vpc_id and {field} can be specified" in str(info.value)


def test_output_ids_are_accepted_unchecked():
    args = AnyscaleNetworkArgs(existing_vpc_id=pulumi.Output.from_input("v"),
                               existing_subnets=[pulumi.Output.from_input("a"), pulumi.Output.from_input("b")])
    assert len(args.existing_subnets) == 2


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(vpc_cidr="10.0.0.0/25"), "vpc_cidr", "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
        (dict(vpc_cidr="10.0.0.1/16"), "vpc_cidr", "host bits set"),
        (dict(networking="public"), "networking", "'direct' or 'private'"),
        (dict(networking="private", nat="two"), "nat", "'one_per_az', 'single' or 'none'"),
        (dict(availability_zones=["us-west-2a"]), "availability_zones", "at least 2 availability zones"),
        (dict(availability_zones=["us-west-2a", "us-west-2a"]), "availability_zones", "lists us-west-2a more than once"),
        (dict(availability_zones=["us-west-2a", "us-west-2"]), "availability_zones", "'us-west-2' is not an availability zone"),
        (dict(availability_zones=["us-west-2a", "eu-west-1b"]), "availability_zones", "span several regions: eu-west-1, us-west-2"),
        (dict(vpc_cidr="10.0.0.0/24", subnet_prefix_length=26, availability_zones=["us-west-2a", "us-west-2e"]),
         "availability_zones", "us-west-2e needs slot 4 but 10.0.0.0/24 split into /26 blocks has only 4"),
        (dict(vpc_cidr="10.0.0.0/24", subnet_prefix_length=26, networking="private",
              availability_zones=["us-west-2a", "us-west-2c"]),
         "availability_zones", "us-west-2c needs slot 2 but 10.0.0.0/24 split into /26 blocks has only 2"),
        (dict(az_count=1), "az_count", "greater than or equal to 2"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/29", "us-west-2b": "10.0.1.0/24"}), "subnet_cidrs",
         "smaller than the /28"),
        (dict(subnet_cidrs={"us-west-2": "10.0.0.0/24", "us-west-2b": "10.0.1.0/24"}), "subnet_cidrs",
         "'us-west-2' is not an availability zone"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.0.128/25"}), "subnet_cidrs", "overlaps"),
        (dict(subnet_cidrs={"us-west-2a": "10.1.0.0/24", "us-west-2b": "10.0.1.0/24"}), "subnet_cidrs",
         "outside the VPC CIDR"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/24"}), "subnet_cidrs", "at least 2 subnets"),
        (dict(subnet_cidrs={"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.1.0/24"}, availability_zones=["us-west-2a", "us-west-2c"]),
         "availability_zones", "must name the same AZs as subnet_cidrs"),
        (dict(networking="private", subnet_cidrs={"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.1.0/24"},
              nat_subnet_cidrs={"us-west-2a": "10.0.2.0/24"}), "nat_subnet_cidrs", "must name the same AZs as subnet_cidrs"),
        (dict(nat="single"), "nat", "private networking only"),
        (dict(nat_subnet_cidrs={"us-west-2a": "10.0.2.0/24", "us-west-2b": "10.0.3.0/24"}), "nat_subnet_cidrs",
         "private networking only"),
        (dict(existing_subnets=["subnet-0a1b2c3d4e5f67890"]), "existing_subnets", "needs existing_vpc_id"),
        (dict(existing_vpc_cidr="10.0.0.0/16"), "existing_vpc_cidr", "needs existing_vpc_id"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=["subnet-0a1b2c3d4e5f67890"]),
         "existing_subnets", "at least 2 subnets"),
        (dict(existing_vpc_id=VPC), "existing_subnets", "at least 2 subnets"),
        (dict(existing_vpc_id=VPC, existing_subnets=[S1, S1]), "existing_subnets", f"lists {S1} more than once"),
        (dict(existing_vpc_id=VPC, existing_subnets="subnet-01234567"), "existing_subnets", "valid list"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", vpc_cidr="10.0.0.0/16",
              existing_subnets=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]),
         "vpc_cidr", "only one of existing_vpc_id and vpc_cidr"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=[
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", availability_zone="us-west-2a"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", availability_zone="us-west-2a"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67892", availability_zone="us-west-2b"),
        ]), "existing_subnets", "two public subnets in us-west-2a"),
        (dict(existing_vpc_id=VPC, networking="private", existing_subnets=[
            {"subnet_id": S1, "availability_zone": "us-west-2a"}, {"subnet_id": S2, "availability_zone": "us-west-2a"},
        ]), "existing_subnets", "all in us-west-2a"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_vpc_cidr="10.0.0.0/16", existing_subnets=[
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", cidr_block="10.0.0.0/24"),
            ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", cidr_block="10.9.0.0/24"),
        ]), "existing_subnets", "outside the VPC CIDR 10.0.0.0/16"),
        (dict(existing_vpc_id=VPC, existing_subnets=[{"subnet_id": S1, "cidr_block": "10.0.0.0/24"},
                                                     {"subnet_id": S2, "cidr_block": "10.0.0.0/25"}]),
         "existing_subnets", "overlaps"),
        (dict(existing_vpc_id="vpc-bad", existing_subnets=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]),
         "existing_vpc_id", "is not a vpc id"),
        (dict(existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=["subnet-0a1b2c3d4e5f67890", "nope"]),
         "existing_subnets.1.subnet_id", "is not a subnet id"),
        (dict(existing_vpc_id=VPC, existing_subnets=[{"subnet_id": S1, "availability_zone": "us-west-2"}, S2]),
         "existing_subnets.0.availability_zone", "is not an availability zone name"),
        (dict(existing_vpc_id=VPC, existing_subnets=[{"subnet_id": S1, "cidr_block": "10.0.0.1/24"}, S2]),
         "existing_subnets.0.cidr_block", "host bits set"),
        (dict(existing_vpc_id=VPC, existing_subnets=[{"subnet_id": S1, "zone": "us-west-2a"}, S2]),
         "existing_subnets.0.zone", "is not a known argument"),
        (dict(tags={"aws:x": "1"}), "tags", "reserved by AWS"),
        (dict(enable_s3_gateway_endpoint="sometimes"), "enable_s3_gateway_endpoint", "valid boolean"),
    ],
)
def test_bad_network_input_names_field_and_rule(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)


def test_explicit_nat_subnet_overlapping_a_planned_subnet_is_rejected():
    # NOTE: reported against `subnet_prefix_length` today although the overlapping block is
    # the explicit NAT subnet; the field is left unpinned here (see the report to the lead).
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleNetworkArgs(networking="private", availability_zones=["us-west-2a", "us-west-2b"],
                            nat_subnet_cidrs={"us-west-2a": "10.0.0.0/24", "us-west-2b": "10.0.200.0/24"})
    assert len(info.value.problems) == 1
    assert "private-us-west-2a subnet 10.0.0.0/20 overlaps public-us-west-2a subnet 10.0.0.0/24" in str(info.value)


def test_two_private_subnets_in_one_az_are_allowed():
    args = AnyscaleNetworkArgs(networking="private", existing_vpc_id="vpc-0a1b2c3d4e5f67890", existing_subnets=[
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67890", availability_zone="us-west-2a"),
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67891", availability_zone="us-west-2a"),
        ExistingSubnet(subnet_id="subnet-0a1b2c3d4e5f67892", availability_zone="us-west-2b"),
    ])
    assert len(args.existing_subnets) == 3


def test_subnet_cidrs_set_the_azs():
    args = AnyscaleNetworkArgs(subnet_cidrs={"us-west-2b": "10.0.1.0/24", "us-west-2a": "10.0.0.0/24"},
                               availability_zones=["us-west-2b", "us-west-2a"])
    assert args.known_availability_zones() == ["us-west-2a", "us-west-2b"]


@pytest.mark.parametrize(
    "args, field",
    [
        (dict(availability_zones=["eu-west-1a", "eu-west-1b"]), "availability_zones"),
        (dict(subnet_cidrs={"eu-west-1a": "10.0.0.0/20", "eu-west-1b": "10.0.16.0/20"}), "subnet_cidrs"),
    ],
)
def test_given_azs_outside_the_providers_region_fail_before_any_subnet(preview, args, field):
    """aws:region is us-west-2 (conftest): AZs of another region cannot hold its subnets."""
    error = deploy_error(preview, lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(**args)))
    assert set(error.fields) == {field}
    assert "is not in region us-west-2 (the provider's region)" in str(error)
    assert "us-west-2a is not in region" not in str(error)  # only the foreign zones are named


def test_given_azs_in_the_providers_region_pass(preview):
    result = preview(lambda: AnyscaleNetwork("c", AnyscaleNetworkArgs(availability_zones=["us-west-2b", "us-west-2d"])))
    assert sorted(s["availabilityZone"] for s in _subnets(result).values()) == ["us-west-2b", "us-west-2d"]

"""Subnet planning: stable per-AZ slots, containment, no overlap (unit and property tests)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anyscale_infra.aws.planning import (
    SubnetRole,
    choose_availability_zones,
    default_subnet_prefix_length,
    plan_subnets,
)


def test_direct_plan_one_public_subnet_per_az():
    plans = plan_subnets("10.0.0.0/16", ["us-west-2b", "us-west-2a", "us-west-2c"], private=False)
    assert [(p.key, p.cidr_block, p.cluster) for p in plans] == [
        ("public-us-west-2a", "10.0.0.0/20", True),
        ("public-us-west-2b", "10.0.16.0/20", True),
        ("public-us-west-2c", "10.0.32.0/20", True),
    ]


def test_private_plan_adds_nat_subnets_in_the_upper_half():
    plans = plan_subnets("10.0.0.0/16", ["us-west-2a", "us-west-2b"], private=True)
    assert [(p.key, p.cidr_block, p.role, p.cluster) for p in plans] == [
        ("private-us-west-2a", "10.0.0.0/20", SubnetRole.PRIVATE, True),
        ("public-us-west-2a", "10.0.128.0/20", SubnetRole.PUBLIC, False),
        ("private-us-west-2b", "10.0.16.0/20", SubnetRole.PRIVATE, True),
        ("public-us-west-2b", "10.0.144.0/20", SubnetRole.PUBLIC, False),
    ]


def test_removing_an_az_does_not_move_the_others():
    before = {p.key: p.cidr_block for p in plan_subnets("10.0.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"], private=False)}
    after = {p.key: p.cidr_block for p in plan_subnets("10.0.0.0/16", ["us-east-1a", "us-east-1c"], private=False)}
    assert after == {k: before[k] for k in after}


def test_explicit_cidrs_win():
    plans = plan_subnets(
        "10.0.0.0/16", ["us-west-2a", "us-west-2b"], private=False,
        cluster_cidrs={"us-west-2a": "10.0.100.0/24", "us-west-2b": "10.0.101.0/24"},
    )
    assert [p.cidr_block for p in plans] == ["10.0.100.0/24", "10.0.101.0/24"]


def test_az_slot_beyond_the_vpc_is_an_error():
    with pytest.raises(ValueError, match="needs slot 5 but 10.0.0.0/24 split into /26 blocks has only 2"):
        plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1f"], private=True, subnet_prefix_length=26)


def test_choose_availability_zones_sorted_and_capped():
    assert choose_availability_zones(["us-west-2d", "us-west-2b", "us-west-2a"], 2) == ["us-west-2a", "us-west-2b"]
    assert choose_availability_zones(["us-west-2a"], 3) == ["us-west-2a"]


@pytest.mark.parametrize("vpc, subnet", [(16, 20), (17, 21), (20, 24), (23, 27), (24, 28), (25, 28), (28, 28)])
def test_default_subnet_prefix_is_the_vpcs_plus_4_capped_at_28(vpc, subnet):
    assert default_subnet_prefix_length(vpc) == subnet


@pytest.mark.parametrize(
    "vpc, prefix, first",
    [("10.0.0.0/16", 17, "10.0.0.0/17"), ("10.0.0.0/16", 28, "10.0.0.0/28"), ("10.0.0.0/24", 25, "10.0.0.0/25"),
     ("10.0.0.0/24", 28, "10.0.0.0/28")],
)
def test_subnet_prefix_from_the_vpcs_plus_1_to_28(vpc, prefix, first):
    (plan,) = plan_subnets(vpc, ["us-west-2a"], private=False, subnet_prefix_length=prefix)
    assert plan.cidr_block == first


@pytest.mark.parametrize(
    "vpc, prefix, message",
    [
        ("10.0.0.0/16", 16, "subnet prefix /16 must be longer than the VPC's /16 and at most /28"),
        ("10.0.0.0/16", 29, "subnet prefix /29 must be longer than the VPC's /16 and at most /28"),
        ("10.0.0.0/24", 24, "subnet prefix /24 must be longer than the VPC's /24 and at most /28"),
        ("10.0.0.0/24", 29, "subnet prefix /29 must be longer than the VPC's /24 and at most /28"),
        ("10.0.0.0/20", 19, "subnet prefix /19 must be longer than the VPC's /20 and at most /28"),
    ],
)
def test_subnet_prefix_near_misses(vpc, prefix, message):
    with pytest.raises(ValueError) as info:
        plan_subnets(vpc, ["us-west-2a"], private=False, subnet_prefix_length=prefix)
    assert str(info.value) == message


def test_last_public_slot_fits_and_the_next_does_not():
    """/24 in /26 blocks: four slots for direct networking (a..d), none for e."""
    plans = plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1d"], private=False, subnet_prefix_length=26)
    assert [(p.availability_zone, p.cidr_block) for p in plans] == [("us-east-1a", "10.0.0.0/26"), ("us-east-1d", "10.0.0.192/26")]
    with pytest.raises(ValueError, match="us-east-1e needs slot 4 but 10.0.0.0/24 split into /26 blocks has only 4 for public"):
        plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1e"], private=False, subnet_prefix_length=26)


def test_last_private_slot_fits_and_the_next_does_not():
    """Private networking keeps the upper half for NAT subnets: two slots (a, b), none for c."""
    plans = plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1b"], private=True, subnet_prefix_length=26)
    assert [(p.key, p.cidr_block) for p in plans] == [
        ("private-us-east-1a", "10.0.0.0/26"), ("public-us-east-1a", "10.0.0.128/26"),
        ("private-us-east-1b", "10.0.0.64/26"), ("public-us-east-1b", "10.0.0.192/26"),
    ]
    with pytest.raises(ValueError, match="us-east-1c needs slot 2 but 10.0.0.0/24 split into /26 blocks has only 2 for private"):
        plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1c"], private=True, subnet_prefix_length=26)


def test_explicit_cidr_lifts_the_slot_limit():
    plans = plan_subnets("10.0.0.0/24", ["us-east-1a", "us-east-1f"], private=False, subnet_prefix_length=26,
                         cluster_cidrs={"us-east-1f": "10.0.0.64/26"})
    assert [p.cidr_block for p in plans] == ["10.0.0.0/26", "10.0.0.64/26"]


def test_explicit_nat_cidrs_win():
    plans = plan_subnets("10.0.0.0/16", ["us-west-2a"], private=True, nat_cidrs={"us-west-2a": "10.0.250.0/24"})
    assert [(p.key, p.cidr_block) for p in plans] == [("private-us-west-2a", "10.0.0.0/20"), ("public-us-west-2a", "10.0.250.0/24")]


@pytest.mark.parametrize(
    "vpc, private, expected",
    [
        # 4096 blocks: listed.
        ("10.0.0.0/16", False, [("public-us-west-2b", "10.0.0.16/28")]),
        ("10.0.0.0/16", True, [("private-us-west-2b", "10.0.0.16/28"), ("public-us-west-2b", "10.0.128.16/28")]),
        # 2**20 blocks: computed, the same layout.
        ("10.0.0.0/8", False, [("public-us-west-2b", "10.0.0.16/28")]),
        ("10.0.0.0/8", True, [("private-us-west-2b", "10.0.0.16/28"), ("public-us-west-2b", "10.128.0.16/28")]),
    ],
)
def test_listed_and_computed_blocks_agree(vpc, private, expected):
    plans = plan_subnets(vpc, ["us-west-2b"], private=private, subnet_prefix_length=28)
    assert [(p.key, p.cidr_block) for p in plans] == expected


def test_only_cluster_subnets_are_marked_cluster():
    plans = plan_subnets("10.0.0.0/16", ["us-west-2a"], private=True)
    assert [(p.role, p.cluster) for p in plans] == [(SubnetRole.PRIVATE, True), (SubnetRole.PUBLIC, False)]
    assert [p.cluster for p in plan_subnets("10.0.0.0/16", ["us-west-2a"], private=False)] == [True]


def test_choose_availability_zones_dedupes_and_counts():
    assert choose_availability_zones(["us-west-2b", "us-west-2a", "us-west-2b"], 2) == ["us-west-2a", "us-west-2b"]
    assert choose_availability_zones(["us-west-2c", "us-west-2a", "us-west-2b"], 3) == ["us-west-2a", "us-west-2b", "us-west-2c"]
    assert choose_availability_zones([], 2) == []


_AZ_LETTERS = st.lists(st.sampled_from("abcdefgh"), min_size=2, max_size=6, unique=True)


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.integers(min_value=16, max_value=24),
    letters=_AZ_LETTERS,
    private=st.booleans(),
)
def test_plans_are_inside_the_vpc_and_never_overlap(prefix, letters, private):
    vpc = ipaddress.IPv4Network(f"10.0.0.0/{prefix}")
    azs = [f"eu-west-1{letter}" for letter in letters]
    try:
        plans = plan_subnets(str(vpc), azs, private=private)
    except ValueError as exc:
        assert "needs slot" in str(exc)
        return
    nets = [ipaddress.IPv4Network(p.cidr_block) for p in plans]
    assert all(n.subnet_of(vpc) for n in nets)
    assert all(n.prefixlen <= 28 for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
    assert sorted({p.availability_zone for p in plans if p.cluster}) == sorted(azs)

"""Subnet planning: stable per-AZ slots, containment, no overlap (unit and property tests)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anyscale_infra.aws.planning import SubnetRole, choose_availability_zones, plan_subnets


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

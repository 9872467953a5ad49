"""AnyscaleSecurityGroup: the rules seed 004 asks for, and what the verifier checks."""

from __future__ import annotations

import pulumi
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs
from anyscale_infra.preview.engine import ProgramError

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
VPC = "vpc-0a1b2c3d4e5f67890"


def _rules(result, typ):
    return {r.name: r.inputs for r in result.by_type(typ)}


def test_https_from_each_cidr_self_ingress_and_egress(preview):
    args = AnyscaleSecurityGroupArgs(vpc_id=VPC, ingress_cidr_blocks=["10.0.0.0/8", "192.168.1.0/24"])
    result = preview(lambda: AnyscaleSecurityGroup("c", args))
    (group,) = result.by_type("aws:ec2/securityGroup:SecurityGroup")
    assert group.inputs["vpcId"] == VPC
    ingress = _rules(result, INGRESS)
    assert set(ingress) == {"c-ingress-https-10.0.0.0-8", "c-ingress-https-192.168.1.0-24", "c-ingress-self-all"}
    https = ingress["c-ingress-https-10.0.0.0-8"]
    assert (https["ipProtocol"], https["fromPort"], https["toPort"], https["cidrIpv4"]) == ("tcp", 443, 443, "10.0.0.0/8")
    assert all(r["securityGroupId"] == group.id for r in ingress.values())
    # Verifier error without it: protocol -1 from the group itself.
    assert ingress["c-ingress-self-all"]["ipProtocol"] == "-1"
    assert ingress["c-ingress-self-all"]["referencedSecurityGroupId"] == group.id
    egress = _rules(result, EGRESS)
    assert egress["c-egress-all"]["ipProtocol"] == "-1" and egress["c-egress-all"]["cidrIpv4"] == "0.0.0.0/0"
    assert egress["c-egress-self-all"]["referencedSecurityGroupId"] == group.id
    # Inbound ports stay within the verifier's {443, 22}.
    assert {r.get("fromPort") for r in ingress.values()} - {None} == {443}


def test_ssh_is_off_by_default_and_opt_in(preview):
    args = AnyscaleSecurityGroupArgs(vpc_id=VPC, ingress_cidr_blocks=["10.0.0.0/8"], enable_ssh=True,
                                     ssh_cidr_blocks=["10.1.0.0/16"])
    result = preview(lambda: AnyscaleSecurityGroup("c", args))
    ssh = _rules(result, INGRESS)["c-ingress-ssh-10.1.0.0-16"]
    assert (ssh["fromPort"], ssh["toPort"], ssh["cidrIpv4"]) == (22, 22, "10.1.0.0/16")
    default = preview(lambda: AnyscaleSecurityGroup("c", AnyscaleSecurityGroupArgs(vpc_id=VPC, ingress_cidr_blocks=["10.0.0.0/8"])))
    assert not any(r.get("fromPort") == 22 for r in _rules(default, INGRESS).values())


def test_ssh_open_to_the_world_warns(preview):
    args = AnyscaleSecurityGroupArgs(vpc_id=VPC, ingress_cidr_blocks=["0.0.0.0/0"], enable_ssh=True)
    result = preview(lambda: AnyscaleSecurityGroup("c", args))
    assert any("ssh is open to 0.0.0.0/0" in w for w in result.warnings)


def test_existing_group_creates_nothing(preview):
    result = preview(lambda: AnyscaleSecurityGroup("c", AnyscaleSecurityGroupArgs(existing_security_group_id="sg-0a1b2c3d4e5f67890")))
    assert [r for r in result.resources if r.custom] == []


def test_empty_ingress_list_says_why_and_how():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleSecurityGroupArgs(vpc_id=VPC)
    assert info.value.fields == ["ingress_cidr_blocks"]
    assert "nobody could reach clusters on port 443" in str(info.value)
    assert "'0.0.0.0/0'" in str(info.value)


def test_ssh_defaults_to_the_ingress_blocks(preview):
    args = AnyscaleSecurityGroupArgs(vpc_id=VPC, ingress_cidr_blocks=["10.0.0.0/8", "192.168.1.0/24"], enable_ssh=True)
    ssh = {name: r["cidrIpv4"] for name, r in _rules(preview(lambda: AnyscaleSecurityGroup("c", args)), INGRESS).items()
           if r.get("fromPort") == 22}
    assert ssh == {"c-ingress-ssh-10.0.0.0-8": "10.0.0.0/8", "c-ingress-ssh-192.168.1.0-24": "192.168.1.0/24"}


def test_new_group_needs_a_vpc(preview):
    """Raised at deploy time: inside AnyscaleAwsCloud the VPC id is an output."""
    args = AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["10.0.0.0/8"])
    with pytest.raises(ProgramError) as info:
        preview(lambda: AnyscaleSecurityGroup("c", args))
    assert info.value.kind == "validation"
    error = info.value.cause
    assert isinstance(error, InvalidArgsError), repr(error)
    assert error.fields == ["vpc_id"]
    assert "is required for a new security group" in str(error)


def test_vpc_may_be_an_output(preview):
    def program():
        AnyscaleSecurityGroup("c", AnyscaleSecurityGroupArgs(vpc_id=pulumi.Output.from_input(VPC), ingress_cidr_blocks=["10.0.0.0/8"]))

    assert preview(program).one("aws:ec2/securityGroup:SecurityGroup").inputs["vpcId"] == VPC


NEW_GROUP_ONLY = {
    "ingress_cidr_blocks": ["10.0.0.0/8"],
    "enable_ssh": False,
    "ssh_cidr_blocks": ["10.0.0.0/8"],
    "description": "mine",
}


@pytest.mark.parametrize("field", sorted(NEW_GROUP_ONLY))
def test_settings_of_a_new_group_conflict_with_an_existing_group(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleSecurityGroupArgs(existing_security_group_id="sg-0a1b2c3d4e5f67890", **{field: NEW_GROUP_ONLY[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_security_group_id and {field} can be specified" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(ingress_cidr_blocks=["10.0.0.1/8"]), "ingress_cidr_blocks", "host bits set"),
        (dict(ingress_cidr_blocks=["10.0.0.0/33"]), "ingress_cidr_blocks", "invalid prefix length"),
        (dict(ingress_cidr_blocks=["10.0.0.0"]), "ingress_cidr_blocks", "is not an IPv4 CIDR block"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8", "10.0.0.0/8"]), "ingress_cidr_blocks", "lists 10.0.0.0/8 more than once"),
        (dict(ingress_cidr_blocks="10.0.0.0/8"), "ingress_cidr_blocks", "valid list"),
        (dict(ingress_cidr_blocks=[]), "ingress_cidr_blocks", "nobody could reach clusters on port 443"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8"], ssh_cidr_blocks=["10.0.0.0/8"]), "ssh_cidr_blocks", "needs enable_ssh"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8"], enable_ssh=True, ssh_cidr_blocks=["10.1.0.1/16"]), "ssh_cidr_blocks",
         "host bits set"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8"], enable_ssh=True, ssh_cidr_blocks=["1.2.3.4/32", "1.2.3.4/32"]),
         "ssh_cidr_blocks", "lists 1.2.3.4/32 more than once"),
        (dict(existing_security_group_id="sg-0a1b2c3d4e5f67890", ingress_cidr_blocks=["10.0.0.0/8"]),
         "ingress_cidr_blocks", "only one of existing_security_group_id"),
        (dict(existing_security_group_id="sg-nope"), "existing_security_group_id", "is not a sg id"),
        (dict(vpc_id="vpc-nope", ingress_cidr_blocks=["10.0.0.0/8"]), "vpc_id", "is not a vpc id"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8"], tags={"aws:x": "1"}), "tags", "reserved by AWS"),
        (dict(ingress_cidr_blocks=["10.0.0.0/8"], enable_ssh="maybe"), "enable_ssh", "valid boolean"),
    ],
)
def test_bad_security_group_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleSecurityGroupArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)

"""`anyscale-infra check` compares the exported register command with the program: each
flag names the resource the program builds (the right one), or one it references — else
the rule names the flag. Hand-written records and commands; no components involved."""

from __future__ import annotations

import shlex

import pytest

from anyscale_infra.policy import aws
from anyscale_infra.policy.outputs import parse_register_command, register_calls
from anyscale_infra.policy.runner import evaluate
from policy_fixtures import (
    ANYSCALE_ROLE_ARN,
    EXTERNAL_ID,
    NODE_ROLE_ARN,
    compliant_cloud,
    edit,
    plus,
    record,
)

BASE = compliant_cloud()
SCOPED = {"anyscale-aws-scoped-instance-actions": {"cloudId": "cld_abc123def456ghi789jkl012"}}
FLAGS = {
    "--provider": "aws",
    "--name": "acme",
    "--region": "us-west-2",
    "--vpc-id": "vpc-1",
    "--subnet-ids": "subnet-a,subnet-b",
    "--security-group-ids": "sg-1",
    "--cloud-storage-bucket-name": "s3://acme-anyscale",
    "--anyscale-iam-role-id": ANYSCALE_ROLE_ARN,
    "--instance-iam-role-id": NODE_ROLE_ARN,
    "--file-storage-id": "fs-1",
    "--memorydb-cluster-id": "anyscale",
    "--external-id": EXTERNAL_ID,
}
RULES = {p.name for p in aws.CHECK_ONLY_POLICIES}


def command(**changes):
    flags = {**FLAGS, **{f"--{k.replace('_', '-')}": v for k, v in changes.items()}}
    words = ["anyscale", "cloud", "register"]
    for flag, value in flags.items():
        if value is None:
            continue
        words += [flag] if value is True else [flag, value]
    return shlex.join(words)


def check(stack=BASE, **changes):
    """Violations of the register rules only, for the command with ``changes``."""
    violations = evaluate(stack, SCOPED, outputs={"register_command": command(**changes)})
    return [v for v in violations if v.policy_id in RULES]


def one(stack=BASE, **changes):
    (v,) = check(stack, **changes)
    assert v.enforcement_level == "mandatory"
    return v


def test_every_check_only_rule_is_exercised_here():
    """Each register rule id appears in an assertion of this module (a rule no test can
    make fire is dead or untested)."""
    from pathlib import Path

    text = Path(__file__).read_text()
    assert RULES == {"anyscale-aws-register-network", "anyscale-aws-register-security-groups", "anyscale-aws-register-storage",
                     "anyscale-aws-register-roles", "anyscale-aws-register-external-id"}
    for rule in RULES:
        assert text.count(f'"{rule}"') >= 2, rule


def test_the_command_of_the_compliant_cloud_passes():
    assert check() == []


def test_parse_understands_the_shell_forms():
    assert parse_register_command("anyscale cloud register --provider aws --name 'a b' --private-network --region=us-east-1") == {
        "--provider": "aws", "--name": "a b", "--private-network": True, "--region": "us-east-1"}
    assert parse_register_command("anyscale cloud create --provider aws") is None
    assert parse_register_command("anyscale cloud register --name 'unterminated") is None


def test_register_args_dicts_are_read_like_commands():
    calls = register_calls({"register_args": {**FLAGS, "--private-network": True}, "bucket_name": "acme-anyscale", "n": 3})
    assert [(c.output, c.flags["--vpc-id"], c.flags["--private-network"]) for c in calls] == [("register_args", "vpc-1", True)]


def test_the_rules_run_only_when_outputs_are_given():
    broken = {"register_command": command(vpc_id="vpc-999")}
    assert {v.policy_id for v in evaluate(BASE, SCOPED, outputs=broken)} == {"anyscale-aws-register-network"}
    assert evaluate(BASE, SCOPED) == []  # CrossGuard's view: no outputs, no register rules


# -- network ----------------------------------------------------------------------------


def test_a_vpc_the_program_does_not_build():
    v = one(vpc_id="vpc-999")
    assert v.policy_id == "anyscale-aws-register-network"
    assert v.message == "register_command: --vpc-id names VPC vpc-999, which the program neither builds nor references (it builds vpc-1)."


def test_a_subnet_the_program_does_not_build():
    assert sorted(v.message for v in check(subnet_ids="subnet-a,subnet-zzz")) == [
        "register_command: --subnet-ids leaves out the cloud subnet(s) subnet-b of VPC vpc-1.",
        "register_command: --subnet-ids names subnet subnet-zzz, which the program neither builds nor references "
        "(it builds subnet-a, subnet-b).",
    ]


@pytest.mark.parametrize("subnets", ["subnet-a", "subnet-b"])
def test_leaving_out_a_cloud_subnet(subnets):
    v = one(subnet_ids=subnets)
    missing = {"subnet-a", "subnet-b"} - {subnets}
    assert f"--subnet-ids leaves out the cloud subnet(s) {missing.pop()} of VPC vpc-1" in v.message


def test_the_subnet_order_does_not_matter():
    assert check(subnet_ids="subnet-b,subnet-a") == []


def test_a_subnet_of_another_vpc():
    stack = plus(
        BASE,
        record("aws:ec2/vpc:Vpc", "other-vpc", {"cidrBlock": "10.9.0.0/16"}, "vpc-2"),
        record("aws:ec2/subnet:Subnet", "c", {"vpcId": "vpc-2", "cidrBlock": "10.9.0.0/20", "availabilityZone": "us-west-2c"}, "subnet-c"),
    )
    violations = check(stack, subnet_ids="subnet-a,subnet-b,subnet-c")
    assert [v.message for v in violations] == [
        "register_command: --subnet-ids names subnet subnet-c of VPC vpc-2, not of the registered --vpc-id vpc-1."
    ]


def test_private_networking_registers_the_nat_routed_subnets_only():
    stack = plus(
        edit(edit(BASE, "a", mapPublicIpOnLaunch=False), "b", mapPublicIpOnLaunch=False),
        record("aws:ec2/subnet:Subnet", "public-a", {"vpcId": "vpc-1", "cidrBlock": "10.0.200.0/24", "availabilityZone": "us-west-2a",
                                                     "mapPublicIpOnLaunch": True}, "subnet-pa"),
        record("aws:ec2/natGateway:NatGateway", "nat", {"subnetId": "subnet-pa"}, "nat-1"),
        record("aws:ec2/routeTable:RouteTable", "private-rt", {"vpcId": "vpc-1"}, "rtb-p"),
        record("aws:ec2/route:Route", "to-nat", {"routeTableId": "rtb-p", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"}),
        record("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta-a", {"subnetId": "subnet-a", "routeTableId": "rtb-p"}),
        record("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta-b", {"subnetId": "subnet-b", "routeTableId": "rtb-p"}),
    )
    assert check(stack, private_network=True) == []
    messages = sorted(v.message for v in check(stack, private_network=True, subnet_ids="subnet-a,subnet-pa"))
    assert messages[0] == "register_command: --subnet-ids leaves out the cloud subnet(s) subnet-b of VPC vpc-1."
    assert messages[1].startswith("register_command: --subnet-ids names subnet subnet-pa, which is not routed through a NAT gateway")
    assert len(messages) == 2


def test_a_bring_your_own_vpc_the_program_references_is_accepted():
    """The program builds a VPC, but registers an existing one it passes to its resources."""
    stack = plus(BASE, record("aws:ec2/securityGroup:SecurityGroup", "sg-ext", {"vpcId": "vpc-existing"}, "sg-9"))
    violations = check(stack, vpc_id="vpc-existing", subnet_ids="subnet-x1,subnet-x2")
    # vpc-existing is referenced; its subnets are not, while the program builds subnets.
    assert [v.message.split(" names ")[1].split(",")[0] for v in violations] == ["subnet subnet-x1", "subnet subnet-x2"]


def test_ids_of_a_kind_the_program_does_not_build_are_bring_your_own():
    network = {"vpc", "a", "b", "s3"}
    stack = [r for r in BASE if r["name"] not in network]
    assert check(stack, vpc_id="vpc-0123456789abcdef0", subnet_ids="subnet-01,subnet-02") == []


def test_looked_up_resources_count_as_referenced():
    """The program builds vpc-1 but registers a VPC and subnets it looks up (``.get``)."""
    looked_up = [
        {**record("aws:ec2/vpc:Vpc", "existing", {}, "vpc-existing"), "read": True},
        {**record("aws:ec2/subnet:Subnet", "existing-1", {}, "subnet-e1"), "read": True},
        {**record("aws:ec2/subnet:Subnet", "existing-2", {}, "subnet-e2"), "read": True},
    ]
    changes = dict(vpc_id="vpc-existing", subnet_ids="subnet-e1,subnet-e2")
    assert check(plus(BASE, *looked_up), **changes) == []
    # The same ids, not looked up: mismatches.
    assert len(check(BASE, **changes)) == 3


def test_the_region_must_be_the_networks():
    stack = edit(BASE, "vpc", arn="arn:aws:ec2:eu-west-1:000000000001:vpc/vpc-1")
    v = one(stack)
    assert v.message == "register_command: --region is us-west-2, but the program builds its network in eu-west-1."
    assert check(stack, region="eu-west-1") == []


# -- security groups -----------------------------------------------------------------------


def _group(name, ident, *rules):
    return [record("aws:ec2/securityGroup:SecurityGroup", name, {"vpcId": "vpc-1"}, ident), *rules]


def test_a_group_the_program_does_not_build():
    v = one(security_group_ids="sg-404")
    assert v.policy_id == "anyscale-aws-register-security-groups"
    assert "--security-group-ids names security group sg-404, which the program neither builds nor references (it builds sg-1)" in v.message


def test_the_first_group_must_have_the_anyscale_rules():
    stack = plus(BASE, *_group("web", "sg-web"))
    v = one(stack, security_group_ids="sg-web,sg-1")
    assert "names sg-web first, which lacks the Anyscale rules" in v.message


def test_reordered_groups_put_the_wrong_one_first():
    self_rule = record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-self",
                       {"securityGroupId": "sg-web", "ipProtocol": "-1", "referencedSecurityGroupId": "sg-web"}, "sgr-w")
    stack = plus(BASE, *_group("web", "sg-web", self_rule))
    assert check(stack, security_group_ids="sg-1,sg-web") == []
    v = one(stack, security_group_ids="sg-web,sg-1")
    assert "names sg-web first, but the file system and MemoryDB carry sg-1" in v.message


def test_leaving_out_the_cloud_group():
    self_rule = record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-self",
                       {"securityGroupId": "sg-web", "ipProtocol": "-1", "referencedSecurityGroupId": "sg-web"}, "sgr-w")
    stack = plus(BASE, *_group("web", "sg-web", self_rule))
    messages = [v.message for v in check(stack, security_group_ids="sg-web")]
    assert "register_command: --security-group-ids leaves out the cloud security group(s) sg-1." in messages


def test_an_extra_referenced_group_after_the_cloud_group_is_accepted():
    stack = edit(BASE, "mount-a", securityGroups=["sg-1", "sg-shared"])
    assert check(stack, security_group_ids="sg-1,sg-shared") == []


# -- storage --------------------------------------------------------------------------------


def test_a_bucket_the_program_does_not_build():
    v = one(cloud_storage_bucket_name="s3://someone-elses")
    assert v.policy_id == "anyscale-aws-register-storage"
    assert "--cloud-storage-bucket-name names bucket someone-elses, which the program neither builds nor references" in v.message


def test_the_bucket_must_be_the_one_with_the_anyscale_cors_rule():
    stack = plus(BASE, record("aws:s3/bucket:Bucket", "scratch", {"bucket": "team-scratch"}, "team-scratch"))
    v = one(stack, cloud_storage_bucket_name="s3://team-scratch")
    assert "names bucket team-scratch, which has no Anyscale CORS rule" in v.message


def test_the_bucket_without_scheme_is_the_same_bucket():
    assert check(cloud_storage_bucket_name="acme-anyscale") == []


def test_a_referenced_bucket_is_bring_your_own():
    stack = plus(BASE, record("aws:s3/bucketPolicy:BucketPolicy", "ext-policy", {"bucket": "existing-data", "policy": "{}"}))
    assert check(stack, cloud_storage_bucket_name="s3://existing-data") == []


def test_a_file_system_the_program_does_not_build_or_leaves_out():
    assert "--file-storage-id names EFS file system fs-404" in one(file_storage_id="fs-404").message
    assert "no --file-storage-id, but the program builds EFS fs-1" in one(file_storage_id=None).message


def test_a_memorydb_cluster_the_program_does_not_build_or_leaves_out():
    assert "--memorydb-cluster-id names MemoryDB cluster other" in one(memorydb_cluster_id="other").message
    assert "no --memorydb-cluster-id, but the program builds MemoryDB anyscale" in one(memorydb_cluster_id=None).message


# -- roles and the External ID ---------------------------------------------------------------


def test_the_roles_swapped():
    violations = check(anyscale_iam_role_id=NODE_ROLE_ARN, instance_iam_role_id=ANYSCALE_ROLE_ARN)
    assert {v.policy_id for v in violations} == {"anyscale-aws-register-roles", "anyscale-aws-register-external-id"}
    messages = sorted(v.message for v in violations if v.policy_id == "anyscale-aws-register-roles")
    assert messages == [
        "register_command: --anyscale-iam-role-id names role nodes, whose trust policy does not let Anyscale's account "
        "525325868955 assume it: the cross-account role is the one that trusts Anyscale (seed 004).",
        "register_command: --instance-iam-role-id names role anyscale-role, which EC2 cannot assume: the instance role is "
        "the one cluster nodes run as (seed 004).",
    ]


def test_a_role_the_program_does_not_build():
    v = one(instance_iam_role_id="arn:aws:iam::000000000001:role/ghost")
    assert "--instance-iam-role-id names IAM role arn:aws:iam::000000000001:role/ghost, which the program neither builds" in v.message


def test_the_instance_role_needs_its_instance_profile():
    v = one(edit(BASE, "nodes-profile", name="nodes-profile"))
    assert "names role nodes, which has no instance profile of the same name" in v.message


def test_a_wrong_external_id_is_reported_without_printing_it():
    wrong = "org_abc123-WRONGWRONG"
    v = one(external_id=wrong)
    assert v.policy_id == "anyscale-aws-register-external-id"
    assert "--external-id is [secret], which the trust policy of role anyscale-role does not accept" in v.message
    assert wrong not in v.message and EXTERNAL_ID not in v.message


def test_no_external_id_while_the_trust_requires_one():
    v = one(external_id=None)
    assert "no --external-id, but role anyscale-role's trust policy requires one" in v.message


def test_the_flag_dict_form_is_checked_too():
    violations = evaluate(BASE, SCOPED, outputs={"register_args": {**FLAGS, "--file-storage-id": "fs-404"}})
    assert [v.message.split(":")[0] for v in violations] == ["register_args"]


def _resource_file(**changes):
    """The resource file (CloudDeployment YAML) of the compliant cloud, with ``changes``."""
    import yaml

    config = {"vpc_id": "vpc-1", "subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-1"],
              "anyscale_iam_role_id": ANYSCALE_ROLE_ARN, "cluster_iam_role_id": NODE_ROLE_ARN,
              "external_id": EXTERNAL_ID, "memorydb_cluster_name": "anyscale"}
    config.update(changes)
    return yaml.safe_dump({"name": "acme", "provider": "AWS", "compute_stack": "VM", "region": "us-west-2",
                           "networking_mode": "PUBLIC", "object_storage": {"bucket_name": "s3://acme-anyscale"},
                           "file_storage": {"file_storage_id": "fs-1"}, "aws_config": config}, sort_keys=False)


def test_a_resource_file_reads_as_the_flags_it_stands_for():
    (call,) = register_calls({"resource_file": _resource_file()})
    assert call.flags == {k: v for k, v in FLAGS.items() if k != "--name"} | {"--name": "acme"}


def test_the_resource_file_form_is_checked_too():
    assert evaluate(BASE, SCOPED, outputs={"resource_file": _resource_file()}) == []
    violations = evaluate(BASE, SCOPED, outputs={"resource_file": _resource_file(security_group_ids=["sg-404"])})
    assert [(v.policy_id, v.message.split(" names ")[0]) for v in violations] == [
        ("anyscale-aws-register-security-groups", "resource_file: --security-group-ids")
    ]
    # The instance role is `cluster_iam_role_id` in the file: swapped roles are caught there too.
    swapped = _resource_file(anyscale_iam_role_id=NODE_ROLE_ARN, cluster_iam_role_id=ANYSCALE_ROLE_ARN)
    assert "anyscale-aws-register-roles" in {v.policy_id for v in evaluate(BASE, SCOPED, outputs={"resource_file": swapped})}


def test_yaml_that_is_not_a_resource_file_is_not_read():
    assert register_calls({"notes": "provider: AWS\n", "other": "compute_stack: VM\nprovider: PCP\n"}) == []

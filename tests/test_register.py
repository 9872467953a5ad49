"""The register arguments: flags, order, quoting, and the real CLI's parser (offline)."""

from __future__ import annotations

import shlex

import pytest
from anyscale.commands.cloud_commands import register_cloud

from anyscale_infra import AwsRegisterArgs, InvalidArgsError

BASE = dict(
    name="prod-cloud",
    region="us-west-2",
    vpc_id="vpc-0a1b2c3d4e5f67890",
    subnet_ids=["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"],
    security_group_ids=["sg-0a1b2c3d4e5f67890"],
    cloud_storage_bucket_name="anyscale-prod-data",
    anyscale_iam_role_id="arn:aws:iam::210987654321:role/anyscale-cross-account",
    instance_iam_role_id="arn:aws:iam::210987654321:role/anyscale-nodes",
)


def test_minimal_command_has_flags_in_stable_order():
    assert AwsRegisterArgs(**BASE).command() == (
        "anyscale cloud register --provider aws --name prod-cloud --region us-west-2 "
        "--vpc-id vpc-0a1b2c3d4e5f67890 "
        "--subnet-ids subnet-0a1b2c3d4e5f67890,subnet-0a1b2c3d4e5f67891 "
        "--security-group-ids sg-0a1b2c3d4e5f67890 "
        "--cloud-storage-bucket-name s3://anyscale-prod-data "
        "--anyscale-iam-role-id arn:aws:iam::210987654321:role/anyscale-cross-account "
        "--instance-iam-role-id arn:aws:iam::210987654321:role/anyscale-nodes"
    )


def test_optional_flags_appear_only_when_set():
    args = AwsRegisterArgs(
        **BASE,
        file_storage_id="fs-0a1b2c3d4e5f67890",
        memorydb_cluster_id="anyscale-mdb",
        external_id="org_abc123-s3cr3t",
        private_network=True,
    )
    flags = args.flags()
    assert list(flags)[-4:] == ["--file-storage-id", "--memorydb-cluster-id", "--external-id", "--private-network"]
    assert flags["--private-network"] is True
    assert args.argv()[-1] == "--private-network"
    assert "--efs-id" not in flags and "--s3-bucket-id" not in flags  # hidden aliases only


def test_command_is_shell_safe():
    args = AwsRegisterArgs(**{**BASE, "name": "team.a-cloud_1"}, external_id="org_abc123-a/b=c")
    assert shlex.split(args.command()) == args.argv()


def test_bucket_scheme_is_normalised():
    assert AwsRegisterArgs(**{**BASE, "cloud_storage_bucket_name": "s3://b-1x"}).cloud_storage_bucket_name == "s3://b-1x"


@pytest.mark.parametrize(
    "field,value,needle",
    [
        ("cloud_storage_bucket_name", "s3://my-bucket", "documentation placeholder"),
        ("anyscale_iam_role_id", "arn:aws:iam::123456789012:role/x", "documentation account"),
        ("instance_iam_role_id", "arn:aws-cn:iam::210987654321:role/x", "aws partition"),
        ("subnet_ids", ["subnet-0a1b2c3d4e5f67890"], "at least 2 subnets"),
        ("region", "cn-north-1", "commercial AWS region"),
        ("external_id", "abc-123", "must start with your Anyscale organization id"),
        ("vpc_id", "vpc-XYZ", "is not a vpc id"),
    ],
)
def test_values_the_cli_rejects_are_rejected_here(field, value, needle):
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**{**BASE, field: value})
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_roles_in_two_accounts_are_rejected():
    with pytest.raises(InvalidArgsError, match="same AWS account"):
        AwsRegisterArgs(**{**BASE, "instance_iam_role_id": "arn:aws:iam::210987654322:role/n"})


@pytest.mark.parametrize("private", [False, True])
def test_real_cli_parses_our_command(private):
    """Contract: the `anyscale` CLI's own click command accepts every flag we emit and maps
    it to the parameter we mean (offline: make_context parses, the body never runs)."""
    args = AwsRegisterArgs(
        **BASE,
        file_storage_id="fs-0a1b2c3d4e5f67890",
        memorydb_cluster_id="anyscale-mdb",
        external_id="org_abc123-s3cr3t",
        private_network=private,
    )
    argv = shlex.split(args.command())
    assert argv[:3] == ["anyscale", "cloud", "register"]
    ctx = register_cloud.make_context("register", argv[3:])
    params = ctx.params
    assert params["provider"] == "aws"
    assert params["name"] == "prod-cloud"
    assert params["region"] == "us-west-2"
    assert params["vpc_id"] == BASE["vpc_id"]
    assert params["subnet_ids"].split(",") == BASE["subnet_ids"]
    assert params["security_group_ids"].split(",") == BASE["security_group_ids"]
    assert params["cloud_storage_bucket_name"] == "s3://anyscale-prod-data"
    assert params["anyscale_iam_role_id"] == BASE["anyscale_iam_role_id"]
    assert params["instance_iam_role_id"] == BASE["instance_iam_role_id"]
    assert params["file_storage_id"] == "fs-0a1b2c3d4e5f67890"
    assert params["memorydb_cluster_id"] == "anyscale-mdb"
    assert params["external_id"] == "org_abc123-s3cr3t"
    assert params["private_network"] is private
    # Nothing we emit lands on a deprecated alias.
    assert params["efs_id"] is None and params["s3_bucket_id"] is None


def test_every_flag_we_can_emit_is_a_visible_cli_option():
    visible = {opt for p in register_cloud.params if not getattr(p, "hidden", False) for opt in p.opts}
    full = AwsRegisterArgs(**BASE, file_storage_id="fs-0a1b2c3d4e5f67890", memorydb_cluster_id="m",
                           external_id="org_a-b", private_network=True)
    assert set(full.flags()) <= visible

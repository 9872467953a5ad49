"""The register arguments: every flag with several values, order, quoting, the real CLI's
parser (offline), and each validation rule on both sides of its boundary.

Expected values are literals: a test whose expectation is computed by the code under test
cannot catch a change to that code.
"""

from __future__ import annotations

import shlex

import pytest
from anyscale.commands.cloud_commands import register_cloud

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws.register import AwsRegisterArgs

# Three subnets and three groups, in an order that is neither sorted nor reverse-sorted:
# emitting only the first, sorting or reversing them all give a different string.
SUBNETS_A = ["subnet-0ccccccccccccccc3", "subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
SGS_A = ["sg-0ccccccccccccccc3", "sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2"]

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

# Two complete argument sets: every field differs between them.
CASE_A = dict(
    name="prod-cloud",
    region="us-west-2",
    vpc_id="vpc-0a1b2c3d4e5f67890",
    subnet_ids=SUBNETS_A,
    security_group_ids=SGS_A,
    cloud_storage_bucket_name="anyscale-prod-data",
    anyscale_iam_role_id="arn:aws:iam::210987654321:role/anyscale-cross-account",
    instance_iam_role_id="arn:aws:iam::210987654321:role/anyscale-nodes",
    file_storage_id="fs-0a1b2c3d4e5f67890",
    memorydb_cluster_id="anyscale-mdb",
    external_id="org_abc123-s3cr3t",
    private_network=True,
)
CASE_B = dict(
    name="team.b_cloud-2",
    region="eu-central-1",
    vpc_id="vpc-01234567",
    subnet_ids=["subnet-9fffffff", "subnet-1eeeeeee", "subnet-5ddddddd"],
    security_group_ids=["sg-99999999", "sg-11111111", "sg-55555555"],
    cloud_storage_bucket_name="s3://ml.bucket-2",
    anyscale_iam_role_id="arn:aws:iam::000000000001:role/ops/anyscale",
    instance_iam_role_id="arn:aws:iam::000000000001:role/ops/nodes",
    file_storage_id="fs-0123abcd",
    memorydb_cluster_id="m",
    external_id="org_Z9-a/b=c",
    private_network=False,
)

EXPECTED_FLAGS = {
    "A": [
        ("--provider", "aws"),
        ("--name", "prod-cloud"),
        ("--region", "us-west-2"),
        ("--vpc-id", "vpc-0a1b2c3d4e5f67890"),
        ("--subnet-ids", "subnet-0ccccccccccccccc3,subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2"),
        ("--security-group-ids", "sg-0ccccccccccccccc3,sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2"),
        ("--cloud-storage-bucket-name", "s3://anyscale-prod-data"),
        ("--anyscale-iam-role-id", "arn:aws:iam::210987654321:role/anyscale-cross-account"),
        ("--instance-iam-role-id", "arn:aws:iam::210987654321:role/anyscale-nodes"),
        ("--file-storage-id", "fs-0a1b2c3d4e5f67890"),
        ("--memorydb-cluster-id", "anyscale-mdb"),
        ("--external-id", "org_abc123-s3cr3t"),
        ("--private-network", True),
    ],
    "B": [
        ("--provider", "aws"),
        ("--name", "team.b_cloud-2"),
        ("--region", "eu-central-1"),
        ("--vpc-id", "vpc-01234567"),
        ("--subnet-ids", "subnet-9fffffff,subnet-1eeeeeee,subnet-5ddddddd"),
        ("--security-group-ids", "sg-99999999,sg-11111111,sg-55555555"),
        ("--cloud-storage-bucket-name", "s3://ml.bucket-2"),
        ("--anyscale-iam-role-id", "arn:aws:iam::000000000001:role/ops/anyscale"),
        ("--instance-iam-role-id", "arn:aws:iam::000000000001:role/ops/nodes"),
        ("--file-storage-id", "fs-0123abcd"),
        ("--memorydb-cluster-id", "m"),
        ("--external-id", "org_Z9-a/b=c"),
    ],
}

EXPECTED_COMMAND = {
    "A": (
        "anyscale cloud register --provider aws --name prod-cloud --region us-west-2 "
        "--vpc-id vpc-0a1b2c3d4e5f67890 "
        "--subnet-ids subnet-0ccccccccccccccc3,subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2 "
        "--security-group-ids sg-0ccccccccccccccc3,sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2 "
        "--cloud-storage-bucket-name s3://anyscale-prod-data "
        "--anyscale-iam-role-id arn:aws:iam::210987654321:role/anyscale-cross-account "
        "--instance-iam-role-id arn:aws:iam::210987654321:role/anyscale-nodes "
        "--file-storage-id fs-0a1b2c3d4e5f67890 --memorydb-cluster-id anyscale-mdb "
        "--external-id org_abc123-s3cr3t --private-network"
    ),
    "B": (
        "anyscale cloud register --provider aws --name team.b_cloud-2 --region eu-central-1 "
        "--vpc-id vpc-01234567 "
        "--subnet-ids subnet-9fffffff,subnet-1eeeeeee,subnet-5ddddddd "
        "--security-group-ids sg-99999999,sg-11111111,sg-55555555 "
        "--cloud-storage-bucket-name s3://ml.bucket-2 "
        "--anyscale-iam-role-id arn:aws:iam::000000000001:role/ops/anyscale "
        "--instance-iam-role-id arn:aws:iam::000000000001:role/ops/nodes "
        "--file-storage-id fs-0123abcd --memorydb-cluster-id m "
        "--external-id org_Z9-a/b=c"
    ),
}

# What the real CLI's click command must parse out of each command.
EXPECTED_PARAMS = {
    "A": {
        "provider": "aws",
        "name": "prod-cloud",
        "region": "us-west-2",
        "vpc_id": "vpc-0a1b2c3d4e5f67890",
        "subnet_ids": "subnet-0ccccccccccccccc3,subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2",
        "security_group_ids": "sg-0ccccccccccccccc3,sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2",
        "cloud_storage_bucket_name": "s3://anyscale-prod-data",
        "anyscale_iam_role_id": "arn:aws:iam::210987654321:role/anyscale-cross-account",
        "instance_iam_role_id": "arn:aws:iam::210987654321:role/anyscale-nodes",
        "file_storage_id": "fs-0a1b2c3d4e5f67890",
        "memorydb_cluster_id": "anyscale-mdb",
        "external_id": "org_abc123-s3cr3t",
        "private_network": True,
    },
    "B": {
        "provider": "aws",
        "name": "team.b_cloud-2",
        "region": "eu-central-1",
        "vpc_id": "vpc-01234567",
        "subnet_ids": "subnet-9fffffff,subnet-1eeeeeee,subnet-5ddddddd",
        "security_group_ids": "sg-99999999,sg-11111111,sg-55555555",
        "cloud_storage_bucket_name": "s3://ml.bucket-2",
        "anyscale_iam_role_id": "arn:aws:iam::000000000001:role/ops/anyscale",
        "instance_iam_role_id": "arn:aws:iam::000000000001:role/ops/nodes",
        "file_storage_id": "fs-0123abcd",
        "memorydb_cluster_id": "m",
        "external_id": "org_Z9-a/b=c",
        "private_network": False,
    },
}

CASES = {"A": CASE_A, "B": CASE_B}


def parse_with_real_cli(argv: list[str]) -> dict:
    """The `anyscale` CLI's own click command parses argv (offline: the body never runs)."""
    assert argv[:3] == ["anyscale", "cloud", "register"]
    return register_cloud.make_context("register", argv[3:]).params


# -- every flag, two complete value sets, through flags/argv/command/the real parser -------


@pytest.mark.parametrize("case", ["A", "B"])
def test_flags_are_exactly_the_values_given_in_stable_order(case):
    assert list(AwsRegisterArgs(**CASES[case]).flags().items()) == EXPECTED_FLAGS[case]


@pytest.mark.parametrize("case", ["A", "B"])
def test_argv_is_the_flags_with_bare_booleans(case):
    expected = ["anyscale", "cloud", "register"]
    for flag, value in EXPECTED_FLAGS[case]:
        expected += [flag] if value is True else [flag, value]
    assert AwsRegisterArgs(**CASES[case]).argv() == expected


@pytest.mark.parametrize("case", ["A", "B"])
def test_command_is_the_exact_shell_line(case):
    args = AwsRegisterArgs(**CASES[case])
    assert args.command() == EXPECTED_COMMAND[case]
    assert shlex.split(args.command()) == args.argv()


@pytest.mark.parametrize("case", ["A", "B"])
def test_real_cli_parses_each_flag_to_the_value_given(case):
    """Contract: the `anyscale` CLI maps every flag we emit to the parameter we mean."""
    args = AwsRegisterArgs(**CASES[case])
    for argv in (args.argv(), shlex.split(args.command())):
        params = parse_with_real_cli(argv)
        assert {key: params[key] for key in EXPECTED_PARAMS[case]} == EXPECTED_PARAMS[case]
        # Nothing we emit lands on a deprecated alias.
        assert params["efs_id"] is None and params["s3_bucket_id"] is None


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


def test_minimal_command_parses_with_every_optional_parameter_unset():
    params = parse_with_real_cli(AwsRegisterArgs(**BASE).argv())
    assert params["security_group_ids"] == "sg-0a1b2c3d4e5f67890"
    assert params["subnet_ids"] == "subnet-0a1b2c3d4e5f67890,subnet-0a1b2c3d4e5f67891"
    assert params["file_storage_id"] is None
    assert params["memorydb_cluster_id"] is None
    assert params["external_id"] is None
    assert params["private_network"] is False


# -- lists keep the given order exactly ---------------------------------------------------


@pytest.mark.parametrize(
    "sgs, expected",
    [
        (SGS_A, "sg-0ccccccccccccccc3,sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2"),
        (["sg-0aaaaaaaaaaaaaaa1", "sg-0bbbbbbbbbbbbbbb2", "sg-0ccccccccccccccc3"],
         "sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2,sg-0ccccccccccccccc3"),
        (["sg-0bbbbbbbbbbbbbbb2", "sg-0ccccccccccccccc3", "sg-0aaaaaaaaaaaaaaa1"],
         "sg-0bbbbbbbbbbbbbbb2,sg-0ccccccccccccccc3,sg-0aaaaaaaaaaaaaaa1"),
        (["sg-0ccccccccccccccc3", "sg-0bbbbbbbbbbbbbbb2", "sg-0aaaaaaaaaaaaaaa1"],
         "sg-0ccccccccccccccc3,sg-0bbbbbbbbbbbbbbb2,sg-0aaaaaaaaaaaaaaa1"),
        (["sg-0bbbbbbbbbbbbbbb2"], "sg-0bbbbbbbbbbbbbbb2"),
    ],
)
def test_security_group_ids_keep_every_group_in_the_given_order(sgs, expected):
    """The first group is the cloud's group (EFS and MemoryDB carry it): order matters."""
    args = AwsRegisterArgs(**{**BASE, "security_group_ids": sgs})
    assert args.flags()["--security-group-ids"] == expected
    argv = args.argv()
    assert argv[argv.index("--security-group-ids") + 1] == expected
    assert f"--security-group-ids {expected} " in args.command()
    assert parse_with_real_cli(argv)["security_group_ids"] == expected


@pytest.mark.parametrize(
    "subnets, expected",
    [
        (SUBNETS_A, "subnet-0ccccccccccccccc3,subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2"),
        (["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3"],
         "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3"),
        (["subnet-0bbbbbbbbbbbbbbb2", "subnet-0ccccccccccccccc3", "subnet-0aaaaaaaaaaaaaaa1"],
         "subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3,subnet-0aaaaaaaaaaaaaaa1"),
        (["subnet-0bbbbbbbbbbbbbbb2", "subnet-0aaaaaaaaaaaaaaa1"],
         "subnet-0bbbbbbbbbbbbbbb2,subnet-0aaaaaaaaaaaaaaa1"),
    ],
)
def test_subnet_ids_keep_every_subnet_in_the_given_order(subnets, expected):
    args = AwsRegisterArgs(**{**BASE, "subnet_ids": subnets})
    assert args.flags()["--subnet-ids"] == expected
    argv = args.argv()
    assert argv[argv.index("--subnet-ids") + 1] == expected
    assert f"--subnet-ids {expected} " in args.command()
    assert parse_with_real_cli(argv)["subnet_ids"] == expected


# -- each optional flag present and absent ------------------------------------------------

OPTIONAL = [
    ("file_storage_id", "--file-storage-id", "fs-0a1b2c3d4e5f67890"),
    ("file_storage_id", "--file-storage-id", "fs-0123abcd"),
    ("memorydb_cluster_id", "--memorydb-cluster-id", "anyscale-mdb"),
    ("memorydb_cluster_id", "--memorydb-cluster-id", "m"),
    ("external_id", "--external-id", "org_abc123-s3cr3t"),
    ("external_id", "--external-id", "org_Z9-a/b=c"),
]


@pytest.mark.parametrize("field, flag, value", OPTIONAL)
def test_optional_flag_present_carries_its_value(field, flag, value):
    args = AwsRegisterArgs(**BASE, **{field: value})
    flags = args.flags()
    # Required flags first, then the optional one, and nothing else.
    assert list(flags)[9:] == [flag]
    assert flags[flag] == value
    assert args.argv()[-2:] == [flag, value]
    assert args.command().endswith(f" {flag} {value}")
    assert parse_with_real_cli(args.argv())[field] == value


@pytest.mark.parametrize("field, flag", sorted({(f, fl) for f, fl, _ in OPTIONAL}))
def test_optional_flag_absent_is_not_emitted(field, flag):
    args = AwsRegisterArgs(**BASE)
    assert flag not in args.flags()
    assert flag not in args.argv()
    assert flag not in args.command()
    assert parse_with_real_cli(args.argv())[field] is None


def test_optional_flags_keep_their_relative_order():
    args = AwsRegisterArgs(**BASE, file_storage_id="fs-0a1b2c3d4e5f67890", memorydb_cluster_id="anyscale-mdb",
                           external_id="org_abc123-s3cr3t", private_network=True)
    assert list(args.flags())[-4:] == ["--file-storage-id", "--memorydb-cluster-id", "--external-id", "--private-network"]
    assert "--efs-id" not in args.flags() and "--s3-bucket-id" not in args.flags()  # hidden aliases only


@pytest.mark.parametrize("private", [True, False])
def test_private_network_is_a_bare_flag_on_and_absent_off(private):
    args = AwsRegisterArgs(**BASE, private_network=private)
    flags, argv, command = args.flags(), args.argv(), args.command()
    if private:
        assert flags["--private-network"] is True
        assert argv[-1] == "--private-network"
        assert command.endswith(" --private-network")
        assert "True" not in argv and "true" not in argv  # bare: no value after it
        assert len(argv) == 3 + 2 * 9 + 1
    else:
        assert "--private-network" not in flags
        assert "--private-network" not in argv and "--private-network" not in command
        assert len(argv) == 3 + 2 * 9
    assert parse_with_real_cli(argv)["private_network"] is private


def test_command_quotes_what_the_shell_would_split():
    """Role paths may hold any printable character; the command stays one argument each."""
    odd = "arn:aws:iam::210987654321:role/te$t;x/it's/nodes"
    args = AwsRegisterArgs(**{**BASE, "instance_iam_role_id": odd, "name": "team.a-cloud_1"})
    assert "--instance-iam-role-id 'arn:aws:iam::210987654321:role/te$t;x/it'\"'\"'s/nodes'" in args.command()
    assert shlex.split(args.command()) == args.argv()
    assert parse_with_real_cli(shlex.split(args.command()))["instance_iam_role_id"] == odd


@pytest.mark.parametrize(
    "given, stored",
    [
        ("b-1x", "s3://b-1x"),
        ("s3://b-1x", "s3://b-1x"),
        ("s3://b-1x/", "s3://b-1x"),
        ("anyscale-prod-data", "s3://anyscale-prod-data"),
    ],
)
def test_bucket_scheme_is_normalised(given, stored):
    args = AwsRegisterArgs(**{**BASE, "cloud_storage_bucket_name": given})
    assert args.cloud_storage_bucket_name == stored
    assert args.flags()["--cloud-storage-bucket-name"] == stored
    assert parse_with_real_cli(args.argv())["cloud_storage_bucket_name"] == stored


def test_every_flag_we_can_emit_is_a_visible_cli_option():
    visible = {opt for p in register_cloud.params if not getattr(p, "hidden", False) for opt in p.opts}
    full = AwsRegisterArgs(**CASE_A)
    assert len(full.flags()) == 13
    assert set(full.flags()) <= visible


# -- validation: a valid value on each side of each rule, and an invalid near miss --------

ROLE = "arn:aws:iam::210987654321:role/"

VALID = [
    ("name", "a", "a"),
    ("name", "a" * 128, "a" * 128),
    ("name", "A.b_c-1", "A.b_c-1"),
    ("name", "9cloud", "9cloud"),
    ("region", "us-east-1", "us-east-1"),
    ("region", "ap-southeast-10", "ap-southeast-10"),
    ("region", "il-central-1", "il-central-1"),
    ("vpc_id", "vpc-01234567", "vpc-01234567"),
    ("vpc_id", "vpc-0123456789abcdef0", "vpc-0123456789abcdef0"),
    ("subnet_ids", ["subnet-01234567", "subnet-0123456789abcdef0"], ["subnet-01234567", "subnet-0123456789abcdef0"]),
    ("subnet_ids", SUBNETS_A, SUBNETS_A),
    ("security_group_ids", ["sg-01234567"], ["sg-01234567"]),
    ("security_group_ids", SGS_A, SGS_A),
    ("cloud_storage_bucket_name", "abc", "s3://abc"),
    ("cloud_storage_bucket_name", "s3://" + "a" * 63, "s3://" + "a" * 63),
    ("cloud_storage_bucket_name", "1.b-c", "s3://1.b-c"),
    ("anyscale_iam_role_id", ROLE + "a" * 64, ROLE + "a" * 64),
    ("anyscale_iam_role_id", ROLE + "path/to/x", ROLE + "path/to/x"),
    ("instance_iam_role_id", ROLE + "n", ROLE + "n"),
    ("instance_iam_role_id", ROLE + "a+=,.@_-z", ROLE + "a+=,.@_-z"),
    ("file_storage_id", "fs-01234567", "fs-01234567"),
    ("file_storage_id", "fs-0123456789abcdef0", "fs-0123456789abcdef0"),
    ("file_storage_id", None, None),
    ("memorydb_cluster_id", "a", "a"),
    ("memorydb_cluster_id", "a" + "-b" * 19 + "c", "a" + "-b" * 19 + "c"),  # 40 characters
    ("memorydb_cluster_id", None, None),
    ("external_id", "org_a-b", "org_a-b"),
    ("external_id", "org_a-" + "x" * 1218, "org_a-" + "x" * 1218),  # 1224 characters
    ("external_id", None, None),
    ("private_network", True, True),
    ("private_network", False, False),
]


@pytest.mark.parametrize("field, value, stored", VALID)
def test_valid_value_is_accepted(field, value, stored):
    if field == "memorydb_cluster_id" and value:
        assert len(value) in (1, 40)
    if field == "external_id" and value and len(value) > 10:
        assert len(value) == 1224
    args = AwsRegisterArgs(**{**BASE, field: value})
    assert getattr(args, field) == stored


INVALID = [
    ("name", "", "must be 1 to 128 characters"),
    ("name", "a" * 129, "must be 1 to 128 characters"),
    ("name", "-a", "starting with a letter or digit"),
    ("name", "a b", "cloud name 'a b'"),
    ("region", "ap-southeast-100", "is not a commercial AWS region"),
    ("region", "cn-north-1", "is not a commercial AWS region"),
    ("region", "us-gov-west-1", "is not a commercial AWS region"),
    ("region", "us-west-2a", "is not a commercial AWS region"),
    ("vpc_id", "vpc-0123456", "is not a vpc id"),  # 7 hex digits
    ("vpc_id", "vpc-012345678", "is not a vpc id"),  # 9
    ("vpc_id", "vpc-0123456789abcdef", "is not a vpc id"),  # 16
    ("vpc_id", "vpc-0123456789abcdef01", "is not a vpc id"),  # 18
    ("vpc_id", "vpc-0A1B2C3D", "is not a vpc id"),
    ("vpc_id", "subnet-01234567", "is not a vpc id"),
    ("subnet_ids", ["subnet-01234567"], "Anyscale needs at least 2 subnets in at least 2 availability zones (seed 004), got 1 subnet"),
    ("subnet_ids", [], "Anyscale needs at least 2 subnets in at least 2 availability zones (seed 004), got 0 subnets"),
    ("subnet_ids", ["subnet-01234567", "subnet-01234567"], "lists subnet-01234567 more than once"),
    ("subnet_ids", ["subnet-01234567", "subnet-0123456"], "'subnet-0123456' is not a subnet id"),
    ("subnet_ids", ["subnet-01234567", "sg-01234567"], "'sg-01234567' is not a subnet id"),
    ("subnet_ids", "subnet-01234567,subnet-01234568", "valid list"),
    ("security_group_ids", [], "needs at least one security group id"),
    ("security_group_ids", ["sg-0123456"], "'sg-0123456' is not a sg id"),
    ("security_group_ids", ["sg-01234567", "vpc-01234567"], "'vpc-01234567' is not a sg id"),
    ("security_group_ids", ["sg-01234567", "sg-01234568", "sg-01234567"], "lists sg-01234567 more than once"),
    ("cloud_storage_bucket_name", "ab", "must be 3 to 63 characters"),
    ("cloud_storage_bucket_name", "s3://ab", "must be 3 to 63 characters"),
    ("cloud_storage_bucket_name", "a" * 64, "must be 3 to 63 characters"),
    ("cloud_storage_bucket_name", "my-bucket", "documentation placeholder"),
    ("cloud_storage_bucket_name", "s3://my-bucket", "documentation placeholder"),
    ("cloud_storage_bucket_name", "Upper-case", "lowercase"),
    ("anyscale_iam_role_id", ROLE + "a" * 65, "is not an IAM role ARN"),
    ("anyscale_iam_role_id", "arn:aws:iam::21098765432:role/x", "is not an IAM role ARN"),  # 11 digits
    ("anyscale_iam_role_id", "arn:aws:iam::2109876543210:role/x", "is not an IAM role ARN"),  # 13 digits
    ("anyscale_iam_role_id", "arn:aws:iam::123456789012:role/x", "documentation account"),
    ("instance_iam_role_id", "arn:aws-cn:iam::210987654321:role/x", "aws partition"),
    ("instance_iam_role_id", "arn:aws:iam::210987654321:user/x", "is not an IAM role ARN"),
    ("instance_iam_role_id", ROLE, "is not an IAM role ARN"),
    ("file_storage_id", "fs-0123456", "is not a fs id"),
    ("file_storage_id", "efs-01234567", "is not a fs id"),
    ("memorydb_cluster_id", "a" + "-b" * 20, "must be 1 to 40 lowercase letters"),  # 41
    ("memorydb_cluster_id", "", "must be 1 to 40 lowercase letters"),
    ("memorydb_cluster_id", "a--b", "single hyphens"),
    ("memorydb_cluster_id", "1ab", "starting with a letter"),
    ("external_id", "a", "must be 2 to 1224 characters"),
    ("external_id", "org_a-" + "x" * 1219, "must be 2 to 1224 characters"),  # 1225
    ("external_id", "ab", "must start with your Anyscale organization id"),
    ("external_id", "abc-123", "must start with your Anyscale organization id"),
    ("external_id", "org_abc", "hyphen and a random string"),
    ("external_id", "org_abc-", "hyphen and a random string"),
    ("private_network", "junk", "valid boolean"),
]


@pytest.mark.parametrize("field, value, phrase", INVALID)
def test_invalid_value_names_the_field_and_the_rule(field, value, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**{**BASE, field: value})
    assert info.value.fields == [field], str(info.value)
    assert phrase in str(info.value)


def test_external_id_of_two_characters_passes_the_length_rule():
    """'ab' is long enough for AWS: it fails the organization rule, not the length rule."""
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**{**BASE, "external_id": "ab"})
    assert "2 to 1224" not in str(info.value)


def test_roles_in_two_accounts_are_rejected():
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**{**BASE, "instance_iam_role_id": "arn:aws:iam::210987654322:role/n"})
    assert info.value.fields == ["instance_iam_role_id"]
    assert "must be in the same AWS account (got 210987654321, 210987654322)" in str(info.value)


@pytest.mark.parametrize(
    "field",
    ["name", "region", "vpc_id", "subnet_ids", "security_group_ids", "cloud_storage_bucket_name",
     "anyscale_iam_role_id", "instance_iam_role_id"],
)
def test_each_required_field_is_required(field):
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**{k: v for k, v in BASE.items() if k != field})
    assert info.value.fields == [field]
    assert "is required" in str(info.value)


def test_a_misspelt_field_is_rejected_not_ignored():
    with pytest.raises(InvalidArgsError) as info:
        AwsRegisterArgs(**BASE, efs_id="fs-01234567")
    assert info.value.fields == ["efs_id"]
    assert "is not a known argument" in str(info.value)


# -- the resource file (`anyscale cloud register --name <n> --resource-file <file>`) -----------


def _read_back(text: str):
    """Read a resource file the way `anyscale cloud register --resource-file` does."""
    import yaml
    from anyscale.client.openapi_client.models import AWSConfig, CloudDeployment, FileStorage, ObjectStorage

    deployment = CloudDeployment(**yaml.safe_load(text))
    if deployment.file_storage:
        deployment.file_storage = FileStorage(**deployment.file_storage)
    deployment.object_storage = ObjectStorage(**deployment.object_storage)
    deployment.aws_config = AWSConfig(**deployment.aws_config)
    return deployment


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_resource_file_is_the_deployment_the_cli_builds_from_the_flags(case):
    args = CASES[case]
    deployment = _read_back(AwsRegisterArgs(**args).resource_file_yaml())
    assert deployment.name == args["name"]
    assert deployment.provider == "AWS"
    assert deployment.compute_stack == "VM"
    assert deployment.region == args["region"]
    assert deployment.networking_mode == ("PRIVATE" if args["private_network"] else "PUBLIC")
    assert deployment.object_storage.bucket_name == "s3://" + args["cloud_storage_bucket_name"].removeprefix("s3://")
    assert deployment.file_storage.file_storage_id == args["file_storage_id"]
    config = deployment.aws_config
    assert config.vpc_id == args["vpc_id"]
    assert config.subnet_ids == args["subnet_ids"]  # order kept
    assert config.security_group_ids == args["security_group_ids"]
    assert config.anyscale_iam_role_id == args["anyscale_iam_role_id"]
    assert config.cluster_iam_role_id == args["instance_iam_role_id"]  # the CLI's name for it
    assert config.external_id == args["external_id"]
    assert config.memorydb_cluster_name == args["memorydb_cluster_id"]


def test_the_minimal_resource_file_leaves_unset_fields_out():
    import yaml

    spec = yaml.safe_load(AwsRegisterArgs(**BASE).resource_file_yaml())
    assert "file_storage" not in spec and spec["networking_mode"] == "PUBLIC"
    assert set(spec["aws_config"]) == {"vpc_id", "subnet_ids", "security_group_ids", "anyscale_iam_role_id", "cluster_iam_role_id"}

"""Pure validators: each rule, with the sentence the user reads."""

from __future__ import annotations

import pytest

from anyscale_infra import validation as v


@pytest.mark.parametrize(
    "value,needle",
    [
        ("10.0.0.0/25", "smaller than the /24 Anyscale requires"),
        ("10.0.0.0/15", "larger than the /16"),
        ("10.0.0.1/16", "host bits set; did you mean 10.0.0.0/16"),
        ("10.0.0.0", "is not an IPv4 CIDR block"),
        ("300.0.0.0/16", "is not an IPv4 CIDR block"),
        ("10.0.0.0/40", "invalid prefix length"),
    ],
)
def test_vpc_cidr_rules(value, needle):
    with pytest.raises(ValueError, match=needle.replace("(", r"\(")):
        v.check_vpc_cidr(value)


def test_vpc_cidr_accepts_24_and_16():
    assert v.check_vpc_cidr("10.0.0.0/24") == "10.0.0.0/24"
    assert v.check_vpc_cidr("172.16.0.0/16") == "172.16.0.0/16"


def test_subnet_cidr_minimum_is_28():
    assert v.check_subnet_cidr("10.0.0.0/28") == "10.0.0.0/28"
    with pytest.raises(ValueError, match="smaller than the /28 Anyscale requires"):
        v.check_subnet_cidr("10.0.0.0/29")


def test_subnet_problems_outside_and_overlap():
    problems = v.subnet_problems(
        "10.0.0.0/16", [("a", "10.0.0.0/24"), ("b", "10.0.0.128/25"), ("c", "10.1.0.0/24")]
    )
    assert problems == [
        "c 10.1.0.0/24 is outside the VPC CIDR 10.0.0.0/16",
        "a 10.0.0.0/24 overlaps b 10.0.0.128/25",
    ]


@pytest.mark.parametrize(
    "name,needle",
    [
        ("ab", "3 to 63"),
        ("Upper-Case", "lowercase"),
        ("a..b", "two adjacent periods"),
        ("192.168.0.1", "IP address"),
        ("xn--bucket", "must not start"),
        ("bucket-s3alias", "must not end"),
        ("my-bucket", "documentation placeholder"),
        ("-bucket", "begin and end"),
    ],
)
def test_bucket_name_rules(name, needle):
    with pytest.raises(ValueError, match=needle):
        v.check_bucket_name(name)


def test_bucket_name_valid():
    assert v.check_bucket_name("anyscale-prod.data-1") == "anyscale-prod.data-1"


@pytest.mark.parametrize(
    "value,org,needle",
    [
        ("a", None, "2 to 1224 characters"),
        ("org_abc-" + "x" * 1300, None, "2 to 1224 characters"),
        ("org_abc-with space", None, "2 to 1224 characters"),
        ("abc-123", None, "must start with your Anyscale organization id"),
        ("org_other-123", "org_abc", "must start with the organization id org_abc"),
        ("org_abc", None, "hyphen and a random string"),
        ("org_abc-", None, "hyphen and a random string"),
    ],
)
def test_external_id_rules(value, org, needle):
    with pytest.raises(ValueError, match=needle):
        v.check_external_id(value, org)


def test_external_id_valid():
    assert v.check_external_id("org_abc-Z9+=,.@:/_-", "org_abc").startswith("org_abc-")


@pytest.mark.parametrize(
    "check,value,needle",
    [
        (v.check_cloud_id, "cloud_123", "not an Anyscale cloud id"),
        (v.check_org_id, "org-123", "not an Anyscale organization id"),
        (v.check_region, "us-gov-west-1", "commercial AWS region"),
        (v.check_region, "cn-north-1", "commercial AWS region"),
        (v.check_role_arn, "arn:aws:iam::210987654321:user/x", "not an IAM role ARN"),
        (v.check_role_arn, "arn:aws:iam::123456789012:role/x", "documentation account"),
        (v.check_kms_key_arn, "alias/aws/s3", "not a KMS key ARN"),
        (v.check_memorydb_name, "Bad_Name", "lowercase letters"),
        (v.check_node_type, "t4g.small", "not a MemoryDB node type"),
        (v.check_cloud_name, "has space", "cloud name"),
    ],
)
def test_identifier_rules(check, value, needle):
    with pytest.raises(ValueError, match=needle):
        check(value)


@pytest.mark.parametrize("kind,value", [("vpc", "vpc-1234"), ("subnet", "subnet-XYZ"), ("sg", "sg-"), ("fs", "efs-01234567")])
def test_aws_id_rules(kind, value):
    with pytest.raises(ValueError, match=f"is not a {kind} id"):
        v.check_aws_id(kind, value)


def test_aws_ids_short_and_long_forms():
    assert v.check_aws_id("vpc", "vpc-01234567") == "vpc-01234567"
    assert v.check_aws_id("subnet", "subnet-0123456789abcdef0") == "subnet-0123456789abcdef0"


def test_availability_zone_in_region():
    assert v.check_availability_zone("us-west-2a", "us-west-2") == "us-west-2a"
    with pytest.raises(ValueError, match="not in region us-east-1"):
        v.check_availability_zone("us-west-2a", "us-east-1")
    assert v.az_letter_index("eu-central-1c") == 2


def test_tags_reject_aws_prefix():
    with pytest.raises(ValueError, match="reserved by AWS"):
        v.check_tags({"aws:owner": "x"})

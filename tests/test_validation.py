"""Pure validators: each rule, with the sentence the user reads, and every limit with a
near miss on each side.

Limits are literals here (/24, /28, 1224, 63, 40, 128, 256...), never read from
``anyscale_infra.aws.constants``: a test that takes its expectation from the code under test
cannot notice that the code changed.
"""

from __future__ import annotations

import pytest

from anyscale_infra.aws import validation as v


def rejects(check, value, phrase, *args):
    with pytest.raises(ValueError) as info:
        check(value, *args)
    assert phrase in str(info.value), str(info.value)
    return str(info.value)


# -- CIDR blocks ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["10.0.0.0/24", "10.0.0.0/23", "10.0.0.0/20", "10.0.0.0/17", "172.16.0.0/16"])
def test_vpc_cidr_accepts_16_to_24(value):
    assert v.check_vpc_cidr(value) == value


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("10.0.0.0/25", "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
        ("10.0.0.0/28", "10.0.0.0/28 is smaller than the /24 Anyscale requires"),
        ("10.0.0.0/32", "10.0.0.0/32 is smaller than the /24 Anyscale requires"),
        ("10.0.0.0/15", "10.0.0.0/15 is larger than the /16"),
        ("10.0.0.0/8", "10.0.0.0/8 is larger than the /16"),
        ("0.0.0.0/0", "0.0.0.0/0 is larger than the /16"),
    ],
)
def test_vpc_cidr_near_misses_on_both_sides(value, phrase):
    rejects(v.check_vpc_cidr, value, phrase)


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("10.0.0.1/16", "host bits set; did you mean 10.0.0.0/16"),
        ("10.0.0.0", "is not an IPv4 CIDR block"),
        ("300.0.0.0/16", "is not an IPv4 CIDR block"),
        ("10.0.0.0/40", "invalid prefix length"),
        ("10.0.0.0/33", "invalid prefix length"),
        ("fd00::/16", "is not an IPv4 CIDR block"),
    ],
)
def test_vpc_cidr_format_rules(value, phrase):
    rejects(v.check_vpc_cidr, value, phrase)


@pytest.mark.parametrize("value", ["10.0.0.0/28", "10.0.0.0/27", "10.0.0.0/24", "10.0.0.0/16", "10.0.0.0/8"])
def test_subnet_cidr_accepts_28_and_larger(value):
    assert v.check_subnet_cidr(value) == value


@pytest.mark.parametrize("value", ["10.0.0.0/29", "10.0.0.0/30", "10.0.0.0/32"])
def test_subnet_cidr_rejects_smaller_than_28(value):
    rejects(v.check_subnet_cidr, value, f"{value} is smaller than the /28 Anyscale requires")


def test_subnet_cidr_format_rules():
    rejects(v.check_subnet_cidr, "10.0.0.8/28", "host bits set; did you mean 10.0.0.0/28")
    rejects(v.check_subnet_cidr, "10.0.0.0/33", "invalid prefix length")


@pytest.mark.parametrize("value", ["0.0.0.0/0", "10.0.0.0/8", "192.168.1.7/32"])
def test_cidr_accepts_every_prefix_from_0_to_32(value):
    assert str(v.check_cidr(value)) == value
    assert v.check_ingress_cidr(value) == value


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("10.0.0.0/33", "invalid prefix length"),
        ("10.0.0.0/-1", "invalid prefix length"),
        ("10.0.0.0/", "invalid prefix length"),
        ("10.0.0.0", "is not an IPv4 CIDR block"),
        ("256.0.0.0/8", "is not an IPv4 CIDR block"),
        ("::/0", "is not an IPv4 CIDR block"),
        (5, "is not an IPv4 CIDR block"),
        ("10.0.0.1/8", "host bits set; did you mean 10.0.0.0/8"),
    ],
)
def test_cidr_rules(value, phrase):
    rejects(v.check_cidr, value, phrase)
    rejects(v.check_ingress_cidr, value, phrase)


def test_subnet_problems_outside_and_overlap():
    problems = v.subnet_problems(
        "10.0.0.0/16", [("a", "10.0.0.0/24"), ("b", "10.0.0.128/25"), ("c", "10.1.0.0/24")]
    )
    assert problems == [
        "c 10.1.0.0/24 is outside the VPC CIDR 10.0.0.0/16",
        "a 10.0.0.0/24 overlaps b 10.0.0.128/25",
    ]


def test_subnet_problems_edges_of_the_vpc_and_neighbours():
    # The first and last block of the VPC, and the VPC itself, are inside; adjacent blocks
    # touch but do not overlap.
    assert v.subnet_problems("10.0.0.0/16", [("a", "10.0.0.0/24"), ("b", "10.0.1.0/24"), ("c", "10.0.255.0/24")]) == []
    assert v.subnet_problems("10.0.0.0/16", [("all", "10.0.0.0/16")]) == []
    assert v.subnet_problems("10.0.0.0/16", [("a", "9.255.255.0/24"), ("b", "10.1.0.0/24")]) == [
        "a 9.255.255.0/24 is outside the VPC CIDR 10.0.0.0/16",
        "b 10.1.0.0/24 is outside the VPC CIDR 10.0.0.0/16",
    ]
    assert v.subnet_problems(None, [("a", "10.0.0.0/24"), ("b", "10.0.0.255/32")]) == [
        "a 10.0.0.0/24 overlaps b 10.0.0.255/32"
    ]


# -- external ID: AWS length 2..1224, then the CLI's <org id>-<random> shape -----------------


def _external_id(length: int) -> str:
    return "org_a-" + "x" * (length - 6)


@pytest.mark.parametrize("length", [7, 1223, 1224])
def test_external_id_lengths_accepted(length):
    value = _external_id(length)
    assert len(value) == length
    assert v.check_external_id(value) == value


def test_external_id_of_1225_characters_is_rejected():
    value = _external_id(1225)
    assert len(value) == 1225
    rejects(v.check_external_id, value, "must be 2 to 1224 characters")


def test_external_id_of_one_character_breaks_the_length_rule_and_two_do_not():
    rejects(v.check_external_id, "a", "must be 2 to 1224 characters")
    message = rejects(v.check_external_id, "ab", "must start with your Anyscale organization id")
    assert "2 to 1224" not in message


@pytest.mark.parametrize(
    "value,org,needle",
    [
        ("", None, "2 to 1224 characters"),
        ("org_abc-with space", None, "2 to 1224 characters"),
        ("org_abc-tab\t", None, "2 to 1224 characters"),
        ("abc-123", None, "must start with your Anyscale organization id"),
        ("Org_abc-123", None, "must start with your Anyscale organization id"),
        ("org_other-123", "org_abc", "must start with the organization id org_abc"),
        ("org_abcd-123", "org_abc", "must start with the organization id org_abc"),
        ("org_abc", None, "hyphen and a random string"),
        ("org_abc-", None, "hyphen and a random string"),
        ("org_-abc", None, "hyphen and a random string"),
    ],
)
def test_external_id_rules(value, org, needle):
    rejects(v.check_external_id, value, needle, org)


def test_external_id_valid():
    assert v.check_external_id("org_abc-Z9+=,.@:/_-", "org_abc") == "org_abc-Z9+=,.@:/_-"
    assert v.check_external_id("org_abc-1", "org_abc") == "org_abc-1"


# -- S3 bucket names: 3..63 characters -------------------------------------------------------


@pytest.mark.parametrize("name", ["abc", "a" * 63, "a" * 62, "1ab", "ab9", "anyscale-prod.data-1", "a-b.c"])
def test_bucket_name_valid(name):
    assert v.check_bucket_name(name) == name


@pytest.mark.parametrize("name", ["ab", "a", "", "a" * 64, "a" * 100])
def test_bucket_name_length_near_misses(name):
    rejects(v.check_bucket_name, name, "must be 3 to 63 characters")


@pytest.mark.parametrize(
    "name,needle",
    [
        ("Upper-Case", "lowercase"),
        ("a_b", "lowercase"),
        ("a..b", "two adjacent periods"),
        ("192.168.0.1", "IP address"),
        ("xn--bucket", "must not start"),
        ("sthree-bucket", "must not start"),
        ("amzn-s3-demo-bucket", "must not start"),
        ("bucket-s3alias", "must not end"),
        ("bucket--ol-s3", "must not end"),
        ("bucket.mrap", "must not end"),
        ("bucket--x-s3", "must not end"),
        ("bucket--table-s3", "must not end"),
        ("my-bucket", "documentation placeholder"),
        ("-bucket", "begin and end"),
        ("bucket-", "begin and end"),
        (".bucket", "begin and end"),
    ],
)
def test_bucket_name_rules(name, needle):
    rejects(v.check_bucket_name, name, needle)


def test_bucket_name_names_every_broken_rule():
    message = rejects(v.check_bucket_name, "xn--A", "must not start")
    assert "lowercase" in message and message.endswith("(S3 bucket naming rules)")


# -- names with a length limit ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "a" * 128, "A.b_c-1", "0", "a-", "a.", "a_"])
def test_cloud_name_valid(name):
    assert v.check_cloud_name(name) == name


@pytest.mark.parametrize("name", ["", "a" * 129, "-a", ".a", "_a", "has space", "a/b", "a:b"])
def test_cloud_name_near_misses(name):
    rejects(v.check_cloud_name, name, "must be 1 to 128 characters of letters, digits")


@pytest.mark.parametrize("name", ["a", "a" * 40, "a-b", "a1", "a" + "-b" * 19 + "c"])
def test_memorydb_name_valid(name):
    assert len(name) <= 40
    assert v.check_memorydb_name(name) == name


@pytest.mark.parametrize("name", ["", "a" * 41, "a" + "-b" * 20, "1a", "-a", "a-", "a--b", "Ab", "a_b", "a.b"])
def test_memorydb_name_near_misses(name):
    rejects(v.check_memorydb_name, name, "must be 1 to 40 lowercase letters, digits and single hyphens")


# -- tags: key 1..128, value 0..256, no aws: prefix ----------------------------------------------


@pytest.mark.parametrize(
    "tags",
    [
        {"k": "v"},
        {"k" * 128: "v"},
        {"k": "v" * 256},
        {"k": ""},
        {"awsome": "1", "aws-team": "2", "team:aws:x": "3"},
        {},
    ],
)
def test_tags_valid(tags):
    assert v.check_tags(tags) == tags


@pytest.mark.parametrize(
    "tags, phrase",
    [
        ({"k" * 129: "v"}, "must be 1 to 128 characters"),
        ({"": "v"}, "must be 1 to 128 characters"),
        ({"k": "v" * 257}, "value must be a string of at most 256 characters"),
        ({"k": 1}, "value must be a string of at most 256 characters"),
        ({1: "v"}, "must be 1 to 128 characters"),
        ({"aws:owner": "x"}, "reserved by AWS"),
        ({"AWS:owner": "x"}, "reserved by AWS"),
        ({"Aws:": "x"}, "reserved by AWS"),
    ],
)
def test_tags_near_misses(tags, phrase):
    rejects(v.check_tags, tags, phrase)


# -- ARNs --------------------------------------------------------------------------------------

ROLE = "arn:aws:iam::210987654321:role/"


@pytest.mark.parametrize(
    "arn",
    [ROLE + "x", ROLE + "a" * 64, ROLE + "path/x", ROLE + "a/b/c/x", ROLE + "a+=,.@_-z", "arn:aws:iam::000000000001:role/x"],
)
def test_role_arn_valid(arn):
    assert v.check_role_arn(arn) == arn


@pytest.mark.parametrize(
    "arn, phrase",
    [
        (ROLE + "a" * 65, "is not an IAM role ARN"),
        (ROLE, "is not an IAM role ARN"),
        ("arn:aws:iam::21098765432:role/x", "is not an IAM role ARN"),
        ("arn:aws:iam::2109876543210:role/x", "is not an IAM role ARN"),
        ("arn:aws:iam::210987654321:user/x", "is not an IAM role ARN"),
        ("arn:aws-cn:iam::210987654321:role/x", "aws partition"),
        ("arn:aws-us-gov:iam::210987654321:role/x", "aws partition"),
        ("arn:aws:iam::123456789012:role/x", "documentation account 123456789012"),
    ],
)
def test_role_arn_near_misses(arn, phrase):
    rejects(v.check_role_arn, arn, phrase)


def test_role_name_from_arn():
    assert v.role_name_from_arn(ROLE + "path/to/nodes") == "nodes"
    assert v.role_name_from_arn(ROLE + "nodes") == "nodes"


POLICY = "arn:aws:iam::aws:policy/"


@pytest.mark.parametrize(
    "arn", [POLICY + "x", POLICY + "a" * 128, POLICY + "service-role/x", "arn:aws:iam::210987654321:policy/mine"]
)
def test_policy_arn_valid(arn):
    assert v.check_policy_arn(arn) == arn


@pytest.mark.parametrize(
    "arn",
    [POLICY + "a" * 129, POLICY, "arn:aws:iam::21098765432:policy/x", "arn:aws-cn:iam::aws:policy/x", ROLE + "x"],
)
def test_policy_arn_near_misses(arn):
    rejects(v.check_policy_arn, arn, "is not an IAM policy ARN")


KEY = "arn:aws:kms:us-west-2:210987654321:key/"


@pytest.mark.parametrize("arn", [KEY + "0b1c2d3e-1111-2222-3333-444455556666", KEY + "mrk-" + "0" * 32])
def test_kms_key_arn_valid(arn):
    assert v.check_kms_key_arn(arn) == arn


@pytest.mark.parametrize(
    "arn",
    [
        "alias/aws/s3",
        "arn:aws:kms:us-west-2:210987654321:alias/x",
        KEY + "mrk-" + "0" * 31,
        KEY + "mrk-" + "0" * 33,
        KEY + "0b1c2d3e-1111-2222-3333-44445555666",
        "arn:aws:kms:us-west-2:21098765432:key/0b1c2d3e-1111-2222-3333-444455556666",
    ],
)
def test_kms_key_arn_near_misses(arn):
    rejects(v.check_kms_key_arn, arn, "is not a KMS key ARN")


# -- AWS ids: 8 or 17 hex digits ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["vpc", "subnet", "sg", "fs"])
def test_aws_ids_short_and_long_forms(kind):
    for digits in ("01234567", "0123456789abcdef0"):
        assert v.check_aws_id(kind, f"{kind}-{digits}") == f"{kind}-{digits}"


@pytest.mark.parametrize("kind", ["vpc", "subnet", "sg", "fs"])
@pytest.mark.parametrize("digits", ["0123456", "012345678", "0123456789abcdef", "0123456789abcdef01", "0123456G", "0A1B2C3D", ""])
def test_aws_id_near_misses(kind, digits):
    rejects(v.check_aws_id, kind, f"is not a {kind} id like {kind}-0a1b2c3d4e5f67890", f"{kind}-{digits}")


@pytest.mark.parametrize("kind,value", [("vpc", "subnet-01234567"), ("subnet", "sg-01234567"), ("sg", "vpc-01234567"), ("fs", "efs-01234567")])
def test_aws_id_of_another_kind_is_rejected(kind, value):
    rejects(v.check_aws_id, kind, f"is not a {kind} id", value)


# -- regions, zones, Anyscale ids -------------------------------------------------------------------


@pytest.mark.parametrize("region", ["us-west-2", "eu-central-1", "ap-southeast-10", "il-central-1", "mx-central-1", "af-south-1"])
def test_region_valid(region):
    assert v.check_region(region) == region


@pytest.mark.parametrize(
    "region", ["us-gov-west-1", "cn-north-1", "cn-northwest-1", "us-west-100", "us-west-", "us-west-2a", "US-WEST-2", "xx-west-1"]
)
def test_region_near_misses(region):
    rejects(v.check_region, region, "is not a commercial AWS region")


def test_availability_zone_in_region():
    assert v.check_availability_zone("us-west-2a", "us-west-2") == "us-west-2a"
    assert v.check_availability_zone("eu-central-1c") == "eu-central-1c"
    rejects(v.check_availability_zone, "us-west-2a", "availability zone us-west-2a is not in region us-east-1", "us-east-1")
    rejects(v.check_availability_zone, "us-west-2a", "is not in region us-west-20", "us-west-20")
    for bad in ("us-west-2", "us-west-2aa", "us-west-2A", "usw2-az1"):
        rejects(v.check_availability_zone, bad, "is not an availability zone name")
    assert v.az_letter_index("eu-central-1a") == 0
    assert v.az_letter_index("eu-central-1c") == 2


@pytest.mark.parametrize(
    "check,good,bad,needle",
    [
        (v.check_org_id, ["org_a", "org_7c1Kalm9WcX2bNIjW53GUT"], ["org_", "org-a", "org_a-b", "ORG_a", "org_a b"],
         "is not an Anyscale organization id"),
        (v.check_cloud_id, ["cld_a", "cld_abcdefghijklmnop1234567890"], ["cld_", "cloud_123", "cld-a", "cld_a_b"],
         "is not an Anyscale cloud id"),
        (v.check_node_type, ["db.t4g.small", "db.r7g.xlarge"], ["t4g.small", "db.t4g", "cache.t4g.small", "db.T4g.small", "db..small"],
         "is not a MemoryDB node type"),
    ],
)
def test_identifier_rules(check, good, bad, needle):
    for value in good:
        assert check(value) == value
    for value in bad:
        rejects(check, value, needle)


def test_duplicates_in_first_seen_order_once_each():
    assert v.duplicates(["b", "a", "b", "a", "b", "c"]) == ["b", "a"]
    assert v.duplicates(["a", "b"]) == []


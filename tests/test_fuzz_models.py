"""Bad input, fuzzed: every args model either builds or raises the library's own
InvalidArgsError naming real fields — never KeyError/TypeError/a raw pydantic dump."""

from __future__ import annotations

import ipaddress
import string

import pulumi
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from anyscale_infra.aws import (
    AnyscaleAwsCloudArgs,
    AnyscaleBucketArgs,
    AnyscaleFileSystemArgs,
    AnyscaleIamRolesArgs,
    AnyscaleMemoryDbArgs,
    AnyscaleNetworkArgs,
    AnyscaleSecurityGroupArgs,
)
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.aws.register import AwsRegisterArgs

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk = st.one_of(st.none(), st.integers(-3, 70), st.booleans(), st.text(max_size=20), st.lists(st.text(max_size=5), max_size=2))
octet = st.integers(0, 255)
cidr = st.builds(lambda a, b, c, p: f"{a}.{b}.{c}.0/{p}", octet, octet, octet, st.integers(0, 33)) | st.text(max_size=18)
clean_cidr = st.builds(lambda a, b, p: str(ipaddress.ip_network(f"10.{a}.{b}.0/{p}", strict=False)), octet, octet, st.integers(8, 32))
az = st.builds(lambda r, l: f"{r}{l}", st.sampled_from(["us-west-2", "eu-west-1", "ap-south-1", "bogus"]), st.sampled_from("abcdz1"))
hexid = st.text("0123456789abcdef", min_size=8, max_size=17)
aws_id = lambda prefix: st.builds(lambda h: f"{prefix}-{h}", hexid) | st.text(max_size=25)  # noqa: E731
account = st.text(string.digits, min_size=10, max_size=13)
role_arn = st.builds(lambda a, n: f"arn:aws:iam::{a}:role/{n}", account, st.text(string.ascii_letters + "-_/", max_size=20)) | st.text(max_size=30)
bucket_name = st.text(string.ascii_lowercase + string.digits + ".-_A", min_size=0, max_size=70)
org = st.builds(lambda s: f"org_{s}", st.text(string.ascii_letters + string.digits, max_size=30)) | st.text(max_size=20)
cloud = st.builds(lambda s: f"cld_{s}", st.text(string.ascii_letters + string.digits, max_size=30)) | st.text(max_size=20)


def judge(model, kwargs):
    """Build ``model(**kwargs)``; only our error is an acceptable failure."""
    try:
        model(**kwargs)
    except InvalidArgsError as exc:
        assert exc.problems, "an error must say what is wrong"
        for field in exc.fields:
            assert field.split(".")[0] in model.model_fields, f"{field!r} is not a field of {model.__name__}: {exc}"
        assert "pydantic" not in str(exc) and "validation error" not in str(exc).lower(), str(exc)
        event(f"{model.__name__}: invalid")
        return False
    event(f"{model.__name__}: built")
    return True


def some(**strategies):
    """Random subsets of the given fields (missing = the default)."""
    return st.fixed_dictionaries({}, optional=strategies)


@FUZZ
@given(some(vpc_cidr=cidr, az_count=junk | st.integers(0, 20), availability_zones=st.lists(az, max_size=5) | junk,
            networking=st.sampled_from(["direct", "private", "public", ""]), nat=st.sampled_from(["one_per_az", "single", "none", "two"]),
            subnet_prefix_length=st.integers(10, 30) | junk, enable_s3_gateway_endpoint=junk,
            existing_vpc_id=aws_id("vpc"), existing_subnets=st.lists(aws_id("subnet"), max_size=4),
            existing_vpc_cidr=cidr, subnet_cidrs=st.dictionaries(az, clean_cidr, max_size=4)))
def test_network_args(kwargs):
    judge(AnyscaleNetworkArgs, kwargs)


@FUZZ
@given(some(ingress_cidr_blocks=st.lists(cidr, max_size=4) | junk, enable_ssh=junk, ssh_cidr_blocks=st.lists(cidr, max_size=3),
            existing_security_group_id=aws_id("sg"), vpc_id=aws_id("vpc"), description=junk))
def test_security_group_args(kwargs):
    judge(AnyscaleSecurityGroupArgs, kwargs)


@FUZZ
@given(some(bucket_name=bucket_name, existing_bucket_name=bucket_name, encryption=st.sampled_from(["SSE-S3", "SSE-KMS", "AES256", ""]),
            kms_key_arn=st.text(max_size=40) | st.builds(lambda a: f"arn:aws:kms:us-west-2:{a}:key/abc", account),
            versioning=junk, noncurrent_version_expiration_days=junk, abort_incomplete_multipart_upload_days=junk,
            cors_allowed_origins=st.lists(st.text(max_size=30), max_size=3), force_destroy=junk, protect=junk))
def test_bucket_args(kwargs):
    judge(AnyscaleBucketArgs, kwargs)


@FUZZ
@given(some(existing_file_system_id=aws_id("fs"), kms_key_arn=st.text(max_size=30), throughput_mode=st.text(max_size=12) | st.sampled_from(["bursting", "elastic"]),
            transition_to_ia=st.text(max_size=16) | st.sampled_from(["AFTER_30_DAYS", "AFTER_7_DAYS"]), enable_backups=junk, protect=junk))
def test_file_system_args(kwargs):
    judge(AnyscaleFileSystemArgs, kwargs)


@FUZZ
@given(some(cluster_name=st.text(max_size=45), existing_cluster_name=st.text(max_size=45), node_type=st.text(max_size=16) | st.just("db.t4g.small"),
            num_shards=junk, num_replicas_per_shard=st.integers(-2, 8) | junk, snapshot_retention_days=junk,
            engine_version=junk, kms_key_arn=st.text(max_size=20)))
def test_memorydb_args(kwargs):
    judge(AnyscaleMemoryDbArgs, kwargs)


@FUZZ
@given(some(org_id=org, external_id=st.text(max_size=40) | st.builds(lambda s: f"org_abc-{s}", st.text(max_size=40)),
            cloud_id=cloud, anyscale_account_id=account | junk, enable_services_policy=junk,
            passable_role_arns=st.lists(role_arn, max_size=2), instance_role_managed_policy_arns=st.lists(st.text(max_size=30), max_size=2),
            existing_anyscale_role_arn=role_arn, existing_instance_role_arn=role_arn, role_path=st.text("/abc", max_size=6)))
def test_iam_args(kwargs):
    judge(AnyscaleIamRolesArgs, kwargs)


@FUZZ
@given(
    some(org_id=org, external_id=st.text(max_size=30), cloud_id=cloud, enable_memorydb=junk, enable_file_system=junk,
         tags=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3) | junk),
    st.text(max_size=70),
    st.lists(cidr, max_size=3),
)
def test_cloud_args(kwargs, cloud_name, cidrs):
    judge(AnyscaleAwsCloudArgs, {"cloud_name": cloud_name, "security_group": {"ingress_cidr_blocks": cidrs}, **kwargs})


@FUZZ
@given(some(name=st.text(max_size=40), region=st.text(max_size=15) | st.just("us-west-2"), vpc_id=aws_id("vpc"),
            subnet_ids=st.lists(aws_id("subnet"), max_size=3), security_group_ids=st.lists(aws_id("sg"), max_size=2),
            cloud_storage_bucket_name=bucket_name, anyscale_iam_role_id=role_arn, instance_iam_role_id=role_arn,
            file_storage_id=aws_id("fs"), memorydb_cluster_id=st.text(max_size=20), external_id=st.text(max_size=20),
            private_network=junk))
def test_register_args(kwargs):
    judge(AwsRegisterArgs, kwargs)


# Values that fail every format check if they were plain strings.
not_an_id = st.text(string.ascii_uppercase + " !", min_size=1, max_size=8)
region_letters = st.tuples(
    st.sampled_from(["us-west-2", "eu-west-1", "ap-south-1"]),
    st.lists(st.sampled_from("abcdef"), min_size=2, max_size=4, unique=True),
)


@FUZZ
@given(region_letters, not_an_id, st.lists(not_an_id, min_size=4, max_size=4), st.booleans())
def test_outputs_are_never_format_checked(zones, vpc_junk, subnet_junk, private):
    """Ids that are outputs of other resources are not known yet: only plain strings are
    checked, so args whose every id is an output (of a value that would fail the check if
    it were plain) always build."""
    region, letters = zones
    subnets = [
        {"subnet_id": pulumi.Output.from_input(subnet_junk[i]), "availability_zone": f"{region}{letter}"}
        for i, letter in enumerate(letters)
    ]
    network = {"existing_vpc_id": pulumi.Output.from_input(vpc_junk), "existing_subnets": subnets,
               "networking": "private" if private else "direct"}
    assert judge(AnyscaleNetworkArgs, network) is True
    bare = {"existing_vpc_id": pulumi.Output.from_input(vpc_junk),
            "existing_subnets": [pulumi.Output.from_input(j) for j in subnet_junk[: len(letters)]]}
    assert judge(AnyscaleNetworkArgs, bare) is True
    assert judge(AnyscaleSecurityGroupArgs, {"vpc_id": pulumi.Output.from_input(vpc_junk),
                                             "ingress_cidr_blocks": ["10.0.0.0/8"]}) is True
    assert judge(AnyscaleSecurityGroupArgs, {"existing_security_group_id": pulumi.Output.from_input(vpc_junk)}) is True
    outputs = {str(i): pulumi.Output.from_input(j) for i, j in enumerate(subnet_junk)}
    assert judge(AnyscaleFileSystemArgs, {"subnet_ids": outputs, "security_group_id": pulumi.Output.from_input(vpc_junk)}) is True
    assert judge(AnyscaleFileSystemArgs, {"existing_file_system_id": pulumi.Output.from_input(vpc_junk)}) is True
    assert judge(AnyscaleMemoryDbArgs, {"subnet_ids": list(outputs.values()), "security_group_id": pulumi.Output.from_input(vpc_junk)}) is True
    assert judge(AnyscaleMemoryDbArgs, {"subnet_ids": pulumi.Output.from_input(subnet_junk)}) is True


@FUZZ
@given(not_an_id, not_an_id)
def test_the_same_junk_as_plain_strings_is_rejected(vpc_junk, subnet_junk):
    """The other half of the property above: format checks do run on plain strings."""
    assert judge(AnyscaleSecurityGroupArgs, {"vpc_id": vpc_junk, "ingress_cidr_blocks": ["10.0.0.0/8"]}) is False
    assert judge(AnyscaleFileSystemArgs, {"subnet_ids": [subnet_junk]}) is False
    assert judge(AnyscaleMemoryDbArgs, {"security_group_id": vpc_junk}) is False
    assert judge(AnyscaleNetworkArgs, {"existing_vpc_id": vpc_junk, "existing_subnets": [
        "subnet-01234567", "subnet-01234568"]}) is False


# -- valid inputs always build --------------------------------------------------------------

valid_bucket = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(string.ascii_lowercase),
    st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=61),
    st.sampled_from(string.ascii_lowercase + string.digits),
).filter(
    # Literal S3 rules (not the library's constants): reserved prefixes/suffixes, placeholders.
    lambda n: not n.startswith(("xn--", "sthree-", "amzn-s3-demo-"))
    and not n.endswith(("-s3alias", "--ol-s3", "--x-s3", "--table-s3"))
    and n != "my-bucket"
)
valid_org = st.builds(lambda s: f"org_{s}", st.text(string.ascii_letters + string.digits, min_size=8, max_size=26))


@FUZZ
@given(
    st.integers(16, 20),
    st.integers(0, 255),
    st.integers(2, 16),
    st.lists(st.sampled_from("abcdef"), min_size=2, max_size=4, unique=True),
    st.sampled_from(["direct", "private"]),
    st.sampled_from(["one_per_az", "single"]),
)
def test_valid_networks_build(prefix, second_octet, az_count, letters, networking, nat):
    vpc = str(ipaddress.ip_network(f"10.{second_octet}.0.0/{prefix}", strict=False))
    assert judge(AnyscaleNetworkArgs, {"vpc_cidr": vpc, "az_count": az_count, "networking": networking}) is True
    kwargs = {"vpc_cidr": vpc, "availability_zones": [f"us-west-2{x}" for x in letters], "networking": networking}
    if networking == "private":  # `nat` with direct networking is an error (tested above)
        kwargs["nat"] = nat
    assert judge(AnyscaleNetworkArgs, kwargs) is True


@FUZZ
@given(valid_bucket, st.booleans(), st.integers(1, 365))
def test_valid_buckets_build(name, versioning, days):
    assert 3 <= len(name) <= 63
    kwargs = {"bucket_name": name, "versioning": versioning, "abort_incomplete_multipart_upload_days": days}
    if versioning:
        kwargs["noncurrent_version_expiration_days"] = days
    assert judge(AnyscaleBucketArgs, kwargs) is True


@FUZZ
@given(st.integers(1, 5), st.integers(1, 500), st.integers(0, 35))
def test_valid_memorydb_builds(replicas, shards, snapshots):
    assert judge(AnyscaleMemoryDbArgs, {"num_replicas_per_shard": replicas, "num_shards": shards,
                                        "snapshot_retention_days": snapshots}) is True


@FUZZ
@given(
    st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_letters + string.digits),
              st.text(string.ascii_letters + string.digits + "-_.", max_size=40)),
    valid_org,
    st.lists(clean_cidr, min_size=1, max_size=4, unique=True),
    st.booleans(),
    st.booleans(),
)
def test_valid_clouds_build(cloud_name, org_id, cidrs, memorydb, ssh):
    security_group = {"ingress_cidr_blocks": cidrs, "enable_ssh": ssh}
    if ssh:
        security_group["ssh_cidr_blocks"] = cidrs[:1]
    assert judge(AnyscaleAwsCloudArgs, {"cloud_name": cloud_name, "org_id": org_id, "enable_memorydb": memorydb,
                                        "security_group": security_group}) is True


hex_id = lambda prefix: st.builds(  # noqa: E731
    lambda h: f"{prefix}-{h}", st.text("0123456789abcdef", min_size=8, max_size=8) | st.text("0123456789abcdef", min_size=17, max_size=17)
)
valid_account = st.text(string.digits, min_size=12, max_size=12).filter(lambda a: a != "123456789012")
valid_register = st.fixed_dictionaries(
    {
        "name": st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_letters + string.digits),
                          st.text(string.ascii_letters + string.digits + "-_.", max_size=127)),
        "region": st.sampled_from(["us-west-2", "us-east-1", "eu-central-1", "ap-southeast-2", "il-central-1"]),
        "vpc_id": hex_id("vpc"),
        "subnet_ids": st.lists(hex_id("subnet"), min_size=2, max_size=6, unique=True),
        "security_group_ids": st.lists(hex_id("sg"), min_size=1, max_size=5, unique=True),
        "cloud_storage_bucket_name": valid_bucket,
        "account": valid_account,
        "role_names": st.tuples(*[st.text(string.ascii_letters + string.digits + "+=,.@_-", min_size=1, max_size=64)] * 2),
    },
    optional={
        "file_storage_id": hex_id("fs"),
        "memorydb_cluster_id": st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_lowercase),
                                         st.text(string.ascii_lowercase + string.digits, max_size=39)),
        "external_id": st.builds(lambda o, r: f"{o}-{r}", valid_org, st.text(string.ascii_letters + string.digits + "+=,.@:/_-", min_size=1, max_size=60)),
        "private_network": st.booleans(),
    },
)


def _register_kwargs(drawn):
    kwargs = dict(drawn)
    account = kwargs.pop("account")
    anyscale, nodes = kwargs.pop("role_names")
    kwargs["anyscale_iam_role_id"] = f"arn:aws:iam::{account}:role/{anyscale}"
    kwargs["instance_iam_role_id"] = f"arn:aws:iam::{account}:role/{nodes}"
    return kwargs


@FUZZ
@given(valid_register)
def test_valid_register_args_always_build_and_the_real_cli_reads_them_back(drawn):
    """Whatever valid values go in, the real `anyscale cloud register` parser gets exactly
    them back: every subnet and every security group, in the order given."""
    import shlex

    from anyscale.commands.cloud_commands import register_cloud

    kwargs = _register_kwargs(drawn)
    assert judge(AwsRegisterArgs, kwargs) is True
    args = AwsRegisterArgs(**kwargs)
    params = register_cloud.make_context("register", shlex.split(args.command())[3:]).params
    assert params["subnet_ids"].split(",") == kwargs["subnet_ids"]
    assert params["security_group_ids"].split(",") == kwargs["security_group_ids"]
    for field in ("name", "region", "vpc_id", "anyscale_iam_role_id", "instance_iam_role_id"):
        assert params[field] == kwargs[field]
    assert params["cloud_storage_bucket_name"] == "s3://" + kwargs["cloud_storage_bucket_name"]
    for field in ("file_storage_id", "memorydb_cluster_id", "external_id"):
        assert params[field] == kwargs.get(field)
    assert params["private_network"] is kwargs.get("private_network", False)

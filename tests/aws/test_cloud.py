"""AnyscaleAwsCloud: the parts are wired to each other, and the register args follow."""

from __future__ import annotations

import json

import pulumi
import pytest

from anyscale_infra.aws import (
    AnyscaleAwsCloud,
    AnyscaleAwsCloudArgs,
    AnyscaleIamRolesArgs,
    AnyscaleSecurityGroupArgs,
)
from anyscale_infra.errors import InvalidArgsError

ORG = "org_previewOnly0000000000"
CLOUD_ID = "cld_previewOnly00000000000000"
SG = AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["203.0.113.0/24"])


def build(preview, **overrides):
    holder = {}

    def program():
        holder["cloud"] = AnyscaleAwsCloud(
            "c", AnyscaleAwsCloudArgs(cloud_name="prod", org_id=ORG, security_group=SG, **overrides)
        )
        pulumi.export("register_args", holder["cloud"].register_args)
        pulumi.export("register_command", holder["cloud"].register_command)

    return preview(program)


def test_type_tokens_and_parenting(preview):
    result = build(preview)
    cloud = result.one("anyscale-infra:index:AnyscaleAwsCloud")
    parts = {r.type for r in result.children_of(cloud.urn)}
    assert parts == {
        f"anyscale-infra:index:{name}"
        for name in ("AnyscaleNetwork", "AnyscaleSecurityGroup", "AnyscaleBucket", "AnyscaleFileSystem", "AnyscaleIamRoles")
    }
    # Every cloud resource sits under a part: nothing dangles at the stack root.
    assert all(r.parent is not None for r in result.resources if r is not cloud)


def test_parts_are_wired_to_each_other(preview):
    result = build(preview, enable_memorydb=True)
    vpc = result.one("aws:ec2/vpc:Vpc")
    sg = result.one("aws:ec2/securityGroup:SecurityGroup")
    subnets = result.by_type("aws:ec2/subnet:Subnet")
    assert sg.inputs["vpcId"] == vpc.id
    mounts = result.by_type("aws:efs/mountTarget:MountTarget")
    assert sorted(m.inputs["subnetId"] for m in mounts) == sorted(s.id for s in subnets)
    assert all(m.inputs["securityGroups"] == [sg.id] for m in mounts)
    group = result.one("aws:memorydb/subnetGroup:SubnetGroup")
    assert sorted(group.inputs["subnetIds"]) == sorted(s.id for s in subnets)
    assert result.one("aws:memorydb/cluster:Cluster").inputs["securityGroupIds"] == [sg.id]
    roles = {r.name: r.outputs["arn"] for r in result.by_type("aws:iam/role:Role")}
    policy = json.loads(result.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    principals = {
        arn for s in policy["Statement"] if s["Effect"] == "Allow" for arn in s["Principal"]["AWS"]
    }
    assert principals == {roles["c-anyscale-role"], roles["c-instance-role"]}


def test_register_args_match_the_resources(preview):
    result = build(preview, enable_memorydb=True)
    flags = result.outputs["register_args"]
    assert flags["--vpc-id"] == result.one("aws:ec2/vpc:Vpc").id
    assert flags["--security-group-ids"] == result.one("aws:ec2/securityGroup:SecurityGroup").id
    assert flags["--cloud-storage-bucket-name"] == "s3://" + result.one("aws:s3/bucket:Bucket").id
    assert flags["--file-storage-id"] == result.one("aws:efs/fileSystem:FileSystem").id
    assert flags["--memorydb-cluster-id"] == result.one("aws:memorydb/cluster:Cluster").outputs["name"]
    assert flags["--region"] == "us-west-2"
    assert flags["--external-id"].startswith(ORG + "-")
    assert "--private-network" not in flags
    assert list(flags) == [  # stable order
        "--provider", "--name", "--region", "--vpc-id", "--subnet-ids", "--security-group-ids",
        "--cloud-storage-bucket-name", "--anyscale-iam-role-id", "--instance-iam-role-id",
        "--file-storage-id", "--memorydb-cluster-id", "--external-id",
    ]


def test_cloud_id_tags_every_taggable_resource_and_scopes_the_role(preview):
    result = build(preview, cloud_id=CLOUD_ID, tags={"team": "ml"})
    taggable = [r for r in result.resources if r.custom and "tags" in r.inputs]
    assert len(taggable) >= 10
    assert all(r.inputs["tags"].get("anyscale-cloud-id") == CLOUD_ID for r in taggable)
    assert all(r.inputs["tags"].get("team") == "ml" for r in taggable)
    steady = next(r for r in result.by_type("aws:iam/rolePolicy:RolePolicy")
                  if r.inputs["name"] == "Anyscale_IAM_Policy_Steady_State")
    start = next(s for s in json.loads(steady.inputs["policy"])["Statement"] if s.get("Sid") == "RestrictedInstanceStart")
    assert start["Condition"] == {"StringEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD_ID}}


def test_file_system_off_warns_and_drops_the_flag(preview):
    result = build(preview, enable_file_system=False)
    assert result.by_type("aws:efs/fileSystem:FileSystem") == []
    assert "--file-storage-id" not in result.outputs["register_args"]
    assert "enable_file_system is off: Anyscale workspaces need EFS (seed 004)" in result.warnings


@pytest.mark.parametrize(
    "changes, warning",
    [
        (dict(memorydb={"existing_cluster_name": "ha"}),
         "memorydb.existing_cluster_name ignored: enable_memorydb is off, so nothing is created or registered for it"),
        (dict(enable_file_system=False, file_system={"existing_file_system_id": "fs-0123456789abcdef0", "protect": False}),
         "file_system.existing_file_system_id, file_system.protect ignored: enable_file_system is off, "
         "so nothing is created or registered for it"),
    ],
)
def test_settings_of_a_part_that_is_off_are_a_warning_not_dropped_silently(preview, changes, warning):
    result = build(preview, **changes)
    assert warning in result.warnings
    assert "--memorydb-cluster-id" not in result.outputs["register_args"]


def test_a_part_that_is_on_with_settings_gives_no_ignored_warning(preview):
    result = build(preview, enable_memorydb=True, memorydb={"num_replicas_per_shard": 1})
    assert not [w for w in result.warnings if "ignored" in w]


def test_existing_roles_are_registered_as_given(preview):
    anyscale = "arn:aws:iam::000000000001:role/anyscale-cross-account"
    nodes = "arn:aws:iam::000000000001:role/anyscale-nodes"
    result = build(
        preview,
        external_id=ORG + "-mine",
        iam=AnyscaleIamRolesArgs(existing_anyscale_role_arn=anyscale, existing_instance_role_arn=nodes),
    )
    assert result.by_type("aws:iam/role:Role") == []
    flags = result.outputs["register_args"]
    assert (flags["--anyscale-iam-role-id"], flags["--instance-iam-role-id"]) == (anyscale, nodes)
    assert flags["--external-id"] == ORG + "-mine"


def test_private_networking_registers_with_the_bare_flag(preview):
    result = build(preview, network={"networking": "private"})
    flags = result.outputs["register_args"]
    assert flags["--private-network"] is True
    assert result.outputs["register_command"].endswith(" --private-network")


def test_register_lists_every_cluster_subnet_in_az_order(preview):
    result = build(preview, network={"az_count": 3})
    subnets = {s.inputs["availabilityZone"]: s.id for s in result.by_type("aws:ec2/subnet:Subnet")}
    expected = ",".join(subnets[az] for az in ("us-west-2a", "us-west-2b", "us-west-2c"))
    assert result.outputs["register_args"]["--subnet-ids"] == expected


BASE = dict(cloud_name="prod", org_id=ORG, security_group=SG)


@pytest.mark.parametrize(
    "part, field, value",
    [
        ("security_group", "vpc_id", "vpc-0a1b2c3d4e5f67890"),
        ("bucket", "access_role_arns", ["arn:aws:iam::210987654321:role/x"]),
        ("bucket", "identity_policy_roles", {"x": "x"}),
        ("file_system", "subnet_ids", ["subnet-01234567"]),
        ("file_system", "security_group_id", "sg-01234567"),
        ("memorydb", "subnet_ids", ["subnet-01234567"]),
        ("memorydb", "security_group_id", "sg-01234567"),
    ],
)
def test_wired_fields_are_set_by_the_cloud(part, field, value):
    parts = {"security_group": {"ingress_cidr_blocks": ["203.0.113.0/24"]}}
    parts.setdefault(part, {})[field] = value
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAwsCloudArgs(**{**BASE, **parts})
    assert info.value.fields == [f"{part}.{field}"], str(info.value)
    assert "is set by AnyscaleAwsCloud; leave it out here" in str(info.value)


@pytest.mark.parametrize(
    "field, value",
    [("org_id", ORG), ("external_id", ORG + "-x"), ("cloud_id", CLOUD_ID)],
)
def test_identity_fields_belong_on_the_cloud_not_on_iam(field, value):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAwsCloudArgs(**BASE, iam={field: value})
    assert info.value.fields == [f"iam.{field}"], str(info.value)
    assert "is set by AnyscaleAwsCloudArgs; leave it out here" in str(info.value)


@pytest.mark.parametrize(
    "overrides, fields, needle",
    [
        (dict(cloud_name=""), ["cloud_name"], "must be 1 to 128 characters"),
        (dict(cloud_name="a" * 129), ["cloud_name"], "must be 1 to 128 characters"),
        (dict(cloud_name="has space"), ["cloud_name"], "cloud name 'has space'"),
        (dict(org_id=None), ["org_id"], "is required to generate the external ID"),
        (dict(org_id="org-1"), ["org_id"], "is not an Anyscale organization id"),
        (dict(cloud_id="cloud-123"), ["cloud_id"], "is not an Anyscale cloud id like cld_"),
        (dict(external_id="abc-123"), ["external_id"], "must start with your Anyscale organization id"),
        (dict(external_id="org_other-123"), ["external_id"], f"must start with the organization id {ORG}"),
        (dict(tags={"aws:team": "ml"}), ["tags"], "reserved by AWS"),
        (dict(tags={"team": "v" * 257}), ["tags"], "at most 256 characters"),
        (dict(iam={"existing_anyscale_role_arn": "arn:aws:iam::210987654321:role/a"}, cloud_id=CLOUD_ID, external_id=ORG + "-x"),
         ["cloud_id"], "cannot be combined with existing_anyscale_role_arn"),
        (dict(iam={"existing_instance_role_arn": "arn:aws:iam::210987654321:role/n", "attach_ecr_read_only": False}),
         ["iam.attach_ecr_read_only"], "not with existing_instance_role_arn"),
        (dict(network={"vpc_cidr": "10.0.0.0/25"}), ["network.vpc_cidr"], "smaller than the /24 Anyscale requires"),
        (dict(network={"az_count": 1}), ["network.az_count"], "greater than or equal to 2"),
        (dict(security_group={}), ["security_group.ingress_cidr_blocks"], "nobody could reach clusters on port 443"),
        (dict(bucket={"bucket_name": "ab"}), ["bucket.bucket_name"], "must be 3 to 63 characters"),
        (dict(file_system={"transition_to_ia": "AFTER_2_DAYS"}), ["file_system.transition_to_ia"], "is not one of"),
        (dict(memorydb={"num_replicas_per_shard": 0}), ["memorydb.num_replicas_per_shard"], "at least 1 (2 nodes per shard)"),
        (dict(enable_memorydb="sometimes"), ["enable_memorydb"], "valid boolean"),
        (dict(vpc_cidr="10.0.0.0/16"), ["vpc_cidr"], "is not a known argument"),
    ],
)
def test_bad_cloud_input_names_the_field(overrides, fields, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAwsCloudArgs(**{**BASE, **overrides})
    assert info.value.fields == fields, str(info.value)
    assert needle in str(info.value)


@pytest.mark.parametrize("field", ["cloud_name", "security_group"])
def test_required_cloud_fields(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAwsCloudArgs(**{k: v for k, v in BASE.items() if k != field})
    assert info.value.fields == [field]
    assert "is required" in str(info.value)


@pytest.mark.parametrize("kwargs", [dict(external_id=ORG + "-given", org_id=None), dict(org_id=ORG, external_id=ORG + "-given")])
def test_external_id_may_replace_the_org_id(preview, kwargs):
    def program():
        cloud = AnyscaleAwsCloud("c", AnyscaleAwsCloudArgs(cloud_name="prod", security_group=SG, **kwargs))
        pulumi.export("register_args", cloud.register_args)

    assert preview(program).outputs["register_args"]["--external-id"] == ORG + "-given"


def test_one_existing_role_warns_about_the_account(preview):
    anyscale = "arn:aws:iam::210987654321:role/anyscale-cross-account"

    def program():
        cloud = AnyscaleAwsCloud("c", AnyscaleAwsCloudArgs(
            cloud_name="prod", external_id=ORG + "-mine", security_group=SG,
            iam=AnyscaleIamRolesArgs(existing_anyscale_role_arn=anyscale)))
        pulumi.export("register_args", cloud.register_args)

    # The provider pinned to the role's account: both roles land in it.
    result = preview(program, config={"aws:allowedAccountIds": '["210987654321"]'})
    assert result.outputs["register_args"]["--instance-iam-role-id"].startswith("arn:aws:iam::210987654321:role/")
    assert any("must be 210987654321" in w and "aws:allowedAccountIds" in w for w in result.warnings)

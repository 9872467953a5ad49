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


@pytest.mark.parametrize(
    "overrides, field, needle",
    [
        (dict(security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["1.2.3.0/24"], vpc_id="vpc-0a1b2c3d4e5f67890")),
         "security_group.vpc_id", "is set by AnyscaleAwsCloud"),
        (dict(iam=AnyscaleIamRolesArgs(cloud_id=CLOUD_ID)), "iam.cloud_id", "is set by AnyscaleAwsCloudArgs"),
        (dict(org_id=None), "org_id", "is required to generate the external ID"),
        (dict(cloud_id="cloud-123"), "cloud_id", "cld_"),
        (dict(cloud_name=""), "cloud_name", ""),
    ],
)
def test_bad_cloud_input_names_the_field(overrides, field, needle):
    base = dict(cloud_name="prod", org_id=ORG, security_group=SG)
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAwsCloudArgs(**{**base, **overrides})
    assert field in info.value.fields, str(info.value)
    assert needle in str(info.value)


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

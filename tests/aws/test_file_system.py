"""AnyscaleFileSystem: encrypted EFS, backups, IA lifecycle, a mount target per subnet."""

from __future__ import annotations

import pulumi
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleFileSystem, AnyscaleFileSystemArgs
from program_errors import deploy_error

SG = "sg-0a1b2c3d4e5f67890"
SUBNETS = ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"]


def test_new_file_system(preview):
    result = preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(subnet_ids=SUBNETS, security_group_id=SG)))
    (fs,) = result.by_type("aws:efs/fileSystem:FileSystem")
    assert fs.inputs["encrypted"] is True
    assert fs.inputs["throughputMode"] == "bursting"
    assert fs.inputs["lifecyclePolicies"] == [{"transitionToIa": "AFTER_30_DAYS"},
                                              {"transitionToPrimaryStorageClass": "AFTER_1_ACCESS"}]
    assert fs.protect is True
    (backup,) = result.by_type("aws:efs/backupPolicy:BackupPolicy")
    assert backup.inputs["backupPolicy"] == {"status": "ENABLED"}
    targets = result.by_type("aws:efs/mountTarget:MountTarget")
    assert sorted(t.inputs["subnetId"] for t in targets) == SUBNETS
    assert all(t.inputs["securityGroups"] == [SG] and t.inputs["fileSystemId"] == fs.id for t in targets)


def test_mount_targets_are_keyed_by_meaning(preview):
    subnets = {"us-west-2a": "subnet-0a1b2c3d4e5f67890", "us-west-2b": "subnet-0a1b2c3d4e5f67891"}
    result = preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(subnet_ids=subnets, security_group_id=SG)))
    assert sorted(t.name for t in result.by_type("aws:efs/mountTarget:MountTarget")) == ["c-mount-us-west-2a", "c-mount-us-west-2b"]


def test_existing_file_system_creates_nothing(preview):
    result = preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(existing_file_system_id="fs-0a1b2c3d4e5f67890")))
    assert [r for r in result.resources if r.custom] == []


def test_backups_off_warns(preview):
    result = preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(subnet_ids=SUBNETS, security_group_id=SG, enable_backups=False)))
    assert any("backup" in w for w in result.warnings)


@pytest.mark.parametrize("subnets", [{}, []])
def test_new_file_system_needs_subnets(preview, subnets):
    error = deploy_error(preview, lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(subnet_ids=subnets, security_group_id=SG)))
    assert error.fields == ["subnet_ids"]
    assert "is required: one mount target per cloud subnet" in str(error)


def test_new_file_system_needs_the_security_group(preview):
    error = deploy_error(preview, lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(subnet_ids=SUBNETS)))
    assert error.fields == ["security_group_id"]
    assert "is required: mount targets carry the cloud security group" in str(error)


def test_existing_file_system_needs_neither_subnets_nor_group(preview):
    result = preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(existing_file_system_id="fs-01234567")))
    assert result.resources and not [r for r in result.resources if r.custom]


@pytest.mark.parametrize(
    "transition", ["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS",
                   "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"],
)
def test_every_efs_transition_period_is_accepted(preview, transition):
    args = AnyscaleFileSystemArgs(subnet_ids=SUBNETS[:1], security_group_id=SG, transition_to_ia=transition)
    (fs,) = preview(lambda: AnyscaleFileSystem("c", args)).by_type("aws:efs/fileSystem:FileSystem")
    assert fs.inputs["lifecyclePolicies"] == [{"transitionToIa": transition},
                                              {"transitionToPrimaryStorageClass": "AFTER_1_ACCESS"}]


def test_no_transition_means_no_lifecycle_policy(preview):
    args = AnyscaleFileSystemArgs(subnet_ids=SUBNETS[:1], security_group_id=SG, transition_to_ia=None)
    (fs,) = preview(lambda: AnyscaleFileSystem("c", args)).by_type("aws:efs/fileSystem:FileSystem")
    assert fs.inputs.get("lifecyclePolicies") in (None, [])


def test_elastic_throughput_and_own_key(preview):
    key = "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666"
    args = AnyscaleFileSystemArgs(subnet_ids=SUBNETS[:1], security_group_id=SG, throughput_mode="elastic", kms_key_arn=key)
    (fs,) = preview(lambda: AnyscaleFileSystem("c", args)).by_type("aws:efs/fileSystem:FileSystem")
    assert (fs.inputs["throughputMode"], fs.inputs["kmsKeyId"]) == ("elastic", key)


def test_backups_off_is_disabled_in_the_policy(preview):
    args = AnyscaleFileSystemArgs(subnet_ids=SUBNETS[:1], security_group_id=SG, enable_backups=False)
    (backup,) = preview(lambda: AnyscaleFileSystem("c", args)).by_type("aws:efs/backupPolicy:BackupPolicy")
    assert backup.inputs["backupPolicy"] == {"status": "DISABLED"}


EXISTING_ONLY_NOT = {
    "kms_key_arn": "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666",
    "throughput_mode": "elastic",
    "transition_to_ia": "AFTER_7_DAYS",
    "enable_backups": False,
}


@pytest.mark.parametrize("field", sorted(EXISTING_ONLY_NOT))
def test_settings_of_a_new_file_system_conflict_with_an_existing_one(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleFileSystemArgs(existing_file_system_id="fs-0a1b2c3d4e5f67890", **{field: EXISTING_ONLY_NOT[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_file_system_id and {field} can be specified" in str(info.value)


def test_output_ids_are_not_format_checked():
    args = AnyscaleFileSystemArgs(subnet_ids={"a": pulumi.Output.from_input("x")},
                                  security_group_id=pulumi.Output.from_input("y"),
                                  existing_file_system_id=pulumi.Output.from_input("z"))
    assert set(args.subnet_ids) == {"a"}


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(existing_file_system_id="efs-123"), "existing_file_system_id", "is not a fs id"),
        (dict(existing_file_system_id="fs-0123456"), "existing_file_system_id", "is not a fs id"),
        (dict(transition_to_ia="AFTER_2_DAYS"), "transition_to_ia", "is not one of"),
        (dict(transition_to_ia="after_30_days"), "transition_to_ia", "is not one of"),
        (dict(existing_file_system_id="fs-0a1b2c3d4e5f67890", enable_backups=False), "enable_backups", "only one of"),
        (dict(subnet_ids=["subnet-zz"]), "subnet_ids", "'subnet-zz' is not a subnet id"),
        (dict(subnet_ids={"us-west-2a": "subnet-zz"}), "subnet_ids", "'subnet-zz' is not a subnet id"),
        (dict(subnet_ids=[pulumi.Output.from_input("subnet-01234567")]), "subnet_ids", "give a mapping {stable key: subnet id}"),
        (dict(subnet_ids="subnet-01234567"), "subnet_ids", "valid dictionary"),
        (dict(security_group_id="sg-zz"), "security_group_id", "is not a sg id"),
        (dict(kms_key_arn="alias/efs"), "kms_key_arn", "not a KMS key ARN"),
        (dict(throughput_mode="provisioned"), "throughput_mode", "'bursting' or 'elastic'"),
        (dict(tags={"aws:x": "1"}), "tags", "reserved by AWS"),
        (dict(tags={"k": "v" * 257}), "tags", "at most 256 characters"),
    ],
)
def test_bad_file_system_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleFileSystemArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)

"""AnyscaleFileSystem: encrypted EFS, backups, IA lifecycle, a mount target per subnet."""

from __future__ import annotations

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleFileSystem, AnyscaleFileSystemArgs

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


def test_new_file_system_needs_subnets_and_group(preview):
    with pytest.raises(Exception, match="subnet_ids: is required"):
        preview(lambda: AnyscaleFileSystem("c", AnyscaleFileSystemArgs(security_group_id=SG)))


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(existing_file_system_id="efs-123"), "existing_file_system_id", "is not a fs id"),
        (dict(transition_to_ia="AFTER_2_DAYS"), "transition_to_ia", "is not one of"),
        (dict(existing_file_system_id="fs-0a1b2c3d4e5f67890", enable_backups=False), "enable_backups", "only one of"),
        (dict(subnet_ids=["subnet-zz"]), "subnet_ids", "is not a subnet id"),
    ],
)
def test_bad_file_system_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleFileSystemArgs(**kwargs)
    assert field in info.value.fields
    assert needle in str(info.value)

"""The cloud's shared file system: EFS (seed 004 "EFS"; workspaces need it), new or existing.

New file system: encrypted at rest, automatic backups on (the verifier warns unless the
backup policy is ENABLED), infrequent-access lifecycle, and one mount target in every
cloud subnet carrying the cloud security group (the verifier warns about any subnet
without one, or one without the first registered group). Protected by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput


class ThroughputMode(str, Enum):
    BURSTING = "bursting"
    """Throughput grows with size; what Anyscale's managed setup uses. The default."""
    ELASTIC = "elastic"
    """Pay per use, scales instantly; AWS's recommendation for spiky workloads."""


#: Move files to Infrequent Access after this period without access (cheaper storage).
DEFAULT_TRANSITION_TO_IA = "AFTER_30_DAYS"


class AnyscaleFileSystemArgs(ArgsModel):
    """Arguments of :class:`AnyscaleFileSystem`."""

    subnet_ids: Mapping[str, StrInput] = Field(default_factory=dict)
    """Cloud subnets by a stable key (AZ or id): one mount target each. A list of plain
    ids is accepted too. Required for a new file system (set for you inside
    :class:`AnyscaleAwsCloud`)."""
    security_group_id: Optional[StrInput] = None
    """The cloud security group, put on every mount target. Required for a new file system."""
    existing_file_system_id: Optional[StrInput] = None
    """Use this existing EFS (``fs-...``); nothing is created. Optional."""
    kms_key_arn: Optional[str] = None
    """Customer-managed KMS key for encryption at rest. Optional; defaults to the AWS-managed key."""
    throughput_mode: ThroughputMode = ThroughputMode.BURSTING
    """EFS throughput mode. Defaults to bursting."""
    transition_to_ia: Optional[str] = DEFAULT_TRANSITION_TO_IA
    """Lifecycle policy to Infrequent Access (``AFTER_7_DAYS`` ... ``AFTER_365_DAYS``); None
    disables it. Defaults to AFTER_30_DAYS."""
    enable_backups: bool = True
    """AWS Backup daily backups (the verifier warns without). Defaults to True."""
    protect: bool = True
    """Protect the file system from deletion and replacement. Defaults to True."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for the file system. Optional."""

    @field_validator("subnet_ids", mode="before")
    @classmethod
    def _coerce(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            if not all(isinstance(s, str) for s in value):
                raise ValueError(
                    "give a mapping {stable key: subnet id} when ids are outputs, so mount targets "
                    "are keyed by meaning, not by list position"
                )
            return {s: s for s in value}
        return value

    @field_validator("subnet_ids")
    @classmethod
    def _ids(cls, value: Mapping[str, StrInput]) -> Mapping[str, StrInput]:
        for subnet in value.values():
            if isinstance(subnet, str):
                v.check_aws_id("subnet", subnet)
        return value

    @field_validator("existing_file_system_id")
    @classmethod
    def _fs(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("fs", value) if isinstance(value, str) else value

    @field_validator("security_group_id")
    @classmethod
    def _sg(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("sg", value) if isinstance(value, str) else value

    @field_validator("kms_key_arn")
    @classmethod
    def _kms(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_kms_key_arn(value)

    @field_validator("transition_to_ia")
    @classmethod
    def _ia(cls, value: Optional[str]) -> Optional[str]:
        allowed = {"AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS",
                   "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS"}
        if value is not None and value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleFileSystemArgs":
        problems: list[FieldProblem] = []
        if self.existing_file_system_id is not None:
            for name in ("kms_key_arn", "throughput_mode", "transition_to_ia", "enable_backups"):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(name, f"only one of existing_file_system_id and {name} can be specified")
                    )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def advisories(self) -> list[str]:
        if self.existing_file_system_id is None and not self.enable_backups:
            return ["EFS backups are off; `anyscale cloud register` warns unless the backup policy is ENABLED"]
        return []


class AnyscaleFileSystem(pulumi.ComponentResource):
    """EFS with a mount target in every cloud subnet (new or existing)."""

    file_system_id: pulumi.Output[str]
    """The EFS id (``--file-storage-id``)."""
    mount_target_ids: pulumi.Output[list[str]]

    def __init__(
        self, name: str, args: AnyscaleFileSystemArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleFileSystem"), name, None, opts)
        if args.existing_file_system_id is not None:
            self.file_system_id = pulumi.Output.from_input(args.existing_file_system_id)  # type: ignore[assignment]
            self.mount_target_ids = pulumi.Output.from_input([])
        else:
            self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs({"file_system_id": self.file_system_id, "mount_target_ids": self.mount_target_ids})

    def _create(self, name: str, args: AnyscaleFileSystemArgs) -> None:
        model = type(args).__name__
        if not args.subnet_ids:
            raise w.fail(model, "subnet_ids", "is required: one mount target per cloud subnet (seed 004)")
        if args.security_group_id is None:
            raise w.fail(model, "security_group_id", "is required: mount targets carry the cloud security group")
        lifecycle = [{"transition_to_ia": args.transition_to_ia}] if args.transition_to_ia else []
        if args.transition_to_ia:
            lifecycle.append({"transition_to_primary_storage_class": "AFTER_1_ACCESS"})
        fs = aws.efs.FileSystem(
            f"{name}-efs",
            encrypted=True,
            kms_key_id=args.kms_key_arn,
            performance_mode="generalPurpose",
            throughput_mode=args.throughput_mode.value,
            lifecycle_policies=lifecycle,
            tags=w.merge_tags(f"{name}-efs", args.tags),
            opts=w.stateful(self, args.protect),
        )
        aws.efs.BackupPolicy(
            f"{name}-efs-backup",
            file_system_id=fs.id,
            backup_policy={"status": "ENABLED" if args.enable_backups else "DISABLED"},
            opts=w.child(self, deleted_with=fs),
        )
        targets = [
            aws.efs.MountTarget(
                f"{name}-mount-{key}",
                file_system_id=fs.id,
                subnet_id=subnet_id,
                security_groups=[args.security_group_id],
                opts=w.child(self, deleted_with=fs),
            )
            for key, subnet_id in sorted(args.subnet_ids.items())
        ]
        self.file_system_id = fs.id
        self.mount_target_ids = pulumi.Output.all(*[t.id for t in targets])  # type: ignore[assignment]

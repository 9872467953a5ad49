"""The cloud's S3 bucket (seed 004 "S3"), new or existing, and the roles' access to it.

New bucket: CORS for the console (GET/PUT/POST/HEAD/DELETE from ``https://*.anyscale.com``,
all headers, and the ``Accept-Ranges``/``Content-Range``/``Content-Length`` expose headers
the verifier wants), SSE-S3 by default or SSE-KMS, public access blocked, bucket-owner
ownership (no ACLs), versioning and a lifecycle rule (seed 004 advises both against data
loss), and a bucket policy granting both roles Put/Get/Delete/List and denying non-TLS
requests. Roles we created also get an identity policy on the bucket (seed 004's node-role
policy), plus ``kms:GenerateDataKey``/``kms:Decrypt`` on the key under SSE-KMS.
The bucket (and a key we create) is protected by default.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.aws import policies
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput

#: Days after which a non-current object version expires (versioning keeps deletes undoable).
DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30
#: Days after which an unfinished multipart upload is aborted (otherwise billed forever).
DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7


class BucketEncryption(str, Enum):
    SSE_S3 = "SSE-S3"
    """S3-managed keys: no extra permissions (seed 004). The default."""
    SSE_KMS = "SSE-KMS"
    """A KMS key: yours (``kms_key_arn``) or one we create; both roles get
    ``kms:GenerateDataKey`` and ``kms:Decrypt`` on it (seed 004)."""


class AnyscaleBucketArgs(ArgsModel):
    """Arguments of :class:`AnyscaleBucket`."""

    bucket_name: Optional[str] = None
    """Name of the new bucket. Optional; defaults to Pulumi's auto-name (``<name>-bucket-<random>``)."""
    existing_bucket_name: Optional[str] = None
    """Use this existing bucket; we change nothing on it, only grant our roles access. Optional."""
    encryption: BucketEncryption = BucketEncryption.SSE_S3
    """Server-side encryption. Defaults to SSE-S3."""
    kms_key_arn: Optional[str] = None
    """KMS key for SSE-KMS (also for an existing bucket encrypted with one, to grant the
    roles access). Optional; with SSE-KMS and no key, a key with rotation is created."""
    versioning: bool = True
    """Keep object versions (seed 004 advises it against data loss). Defaults to True."""
    noncurrent_version_expiration_days: Optional[int] = Field(
        default=DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, ge=1
    )
    """Expire non-current versions after this many days; None keeps them forever. Defaults to 30."""
    abort_incomplete_multipart_upload_days: int = Field(
        default=DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS, ge=1
    )
    """Abort unfinished multipart uploads after this many days. Defaults to 7."""
    cors_allowed_origins: list[str] = Field(default_factory=lambda: [c.ANYSCALE_CORS_ORIGIN])
    """Origins of the console (seed 004 CORS). Defaults to ``https://*.anyscale.com``."""
    access_role_arns: list[StrInput] = Field(default_factory=list)
    """Roles granted Put/Get/Delete/List by the bucket policy (seed 004): the Anyscale role
    and the node role. Set for you inside :class:`AnyscaleAwsCloud`."""
    identity_policy_roles: dict[str, StrInput] = Field(default_factory=dict)
    """Roles that get an identity policy on the bucket (and the KMS key), by a stable key
    (``{"instance": <role name>}``). Set for you inside :class:`AnyscaleAwsCloud` (the
    roles it created)."""
    force_destroy: bool = False
    """Let `pulumi destroy` delete a non-empty bucket. Defaults to False."""
    protect: bool = True
    """Protect the bucket (and a KMS key we create) from deletion and replacement. Defaults
    to True; see the README to tear down."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for the bucket and key. Optional."""

    @field_validator("bucket_name", "existing_bucket_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_bucket_name(value.removeprefix("s3://"))

    @field_validator("kms_key_arn")
    @classmethod
    def _kms(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_kms_key_arn(value)

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least the Anyscale console origin https://*.anyscale.com")
        for origin in value:
            if not origin.startswith("https://"):
                raise ValueError(f"origin {origin!r} must start with https://")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleBucketArgs":
        problems: list[FieldProblem] = []
        if self.existing_bucket_name is not None:
            for name in (
                "bucket_name",
                "encryption",
                "versioning",
                "noncurrent_version_expiration_days",
                "abort_incomplete_multipart_upload_days",
                "cors_allowed_origins",
                "force_destroy",
            ):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            name,
                            "configures a bucket we create; only one of existing_bucket_name and "
                            f"{name} can be specified",
                        )
                    )
        elif self.kms_key_arn is not None and self.encryption is not BucketEncryption.SSE_KMS:
            problems.append(FieldProblem("kms_key_arn", "needs encryption='SSE-KMS'"))
        if not self.versioning and "noncurrent_version_expiration_days" in self.model_fields_set:
            problems.append(FieldProblem("noncurrent_version_expiration_days", "needs versioning=True"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def advisories(self) -> list[str]:
        notes = []
        if self.existing_bucket_name is None and not self.versioning:
            notes.append("versioning is off; seed 004 advises S3 versioning against data loss")
        name = self.bucket_name or self.existing_bucket_name
        if name and "." in name:
            notes.append(f"bucket name {name} contains '.', which breaks virtual-hosted HTTPS access")
        return notes


class AnyscaleBucket(pulumi.ComponentResource):
    """The S3 bucket an Anyscale cloud stores logs, checkpoints and artifacts in."""

    bucket_name: pulumi.Output[str]
    """Bucket name (``--cloud-storage-bucket-name s3://<name>``)."""
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[Optional[str]]
    """The SSE-KMS key, when used."""

    def __init__(
        self, name: str, args: AnyscaleBucketArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleBucket"), name, None, opts)
        key_arn: Optional[pulumi.Input[str]] = args.kms_key_arn
        if args.existing_bucket_name is not None:
            self.bucket_name = pulumi.Output.from_input(args.existing_bucket_name)
        else:
            if args.encryption is BucketEncryption.SSE_KMS and key_arn is None:
                key_arn = self._create_key(name, args)
            self.bucket_name = self._create_bucket(name, args, key_arn)
        self.bucket_arn = self.bucket_name.apply(policies.bucket_arn)
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self._grant_identity_access(name, args, key_arn)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn, "kms_key_arn": self.kms_key_arn}
        )

    def _create_key(self, name: str, args: AnyscaleBucketArgs) -> pulumi.Output[str]:
        key = aws.kms.Key(
            f"{name}-key",
            description="Anyscale cloud bucket encryption (SSE-KMS)",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            tags=w.merge_tags(f"{name}-key", args.tags),
            # Losing the key loses the data: protected like the bucket.
            opts=w.stateful(self, args.protect),
        )
        return key.arn

    def _create_bucket(
        self, name: str, args: AnyscaleBucketArgs, key_arn: Optional[pulumi.Input[str]]
    ) -> pulumi.Output[str]:
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.bucket_name,
            force_destroy=args.force_destroy,
            tags=w.merge_tags(f"{name}-bucket", args.tags),
            opts=w.stateful(self, args.protect),
        )
        settings = w.child(self, deleted_with=bucket)
        aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=settings,
        )
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=settings,
        )
        default_encryption: dict = (
            {"sse_algorithm": "aws:kms", "kms_master_key_id": key_arn}
            if args.encryption is BucketEncryption.SSE_KMS
            else {"sse_algorithm": "AES256"}
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": default_encryption,
                    # S3 Bucket Keys cut KMS request costs; harmless with SSE-S3.
                    "bucket_key_enabled": args.encryption is BucketEncryption.SSE_KMS,
                }
            ],
            opts=settings,
        )
        aws.s3.BucketCorsConfiguration(
            f"{name}-cors",
            bucket=bucket.id,
            cors_rules=[
                {
                    "allowed_headers": list(c.ANYSCALE_CORS_ALLOWED_HEADERS),
                    "allowed_methods": list(c.ANYSCALE_CORS_ALLOWED_METHODS),
                    "allowed_origins": list(args.cors_allowed_origins),
                    "expose_headers": list(c.ANYSCALE_CORS_EXPOSE_HEADERS),
                }
            ],
            opts=settings,
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled" if args.versioning else "Suspended"},
            opts=settings,
        )
        rules: list[dict] = [
            {
                "id": "abort-incomplete-multipart-uploads",
                "status": "Enabled",
                "filter": {},
                "abort_incomplete_multipart_upload": {
                    "days_after_initiation": args.abort_incomplete_multipart_upload_days
                },
            }
        ]
        if args.versioning and args.noncurrent_version_expiration_days is not None:
            rules.append(
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {},
                    "noncurrent_version_expiration": {
                        "noncurrent_days": args.noncurrent_version_expiration_days
                    },
                }
            )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=rules,
            # Lifecycle rules on versions need versioning configured first.
            opts=w.child(self, deleted_with=bucket, depends_on=[versioning]),
        )
        if args.access_role_arns:
            aws.s3.BucketPolicy(
                f"{name}-policy",
                bucket=bucket.id,
                policy=w.json_document(
                    policies.bucket_policy,
                    bucket_name=bucket.bucket,
                    role_arns=pulumi.Output.all(*args.access_role_arns),
                ),
                # A policy put before ownership controls can race them.
                opts=w.child(self, deleted_with=bucket, depends_on=[ownership]),
            )
        return bucket.bucket

    def _grant_identity_access(
        self, name: str, args: AnyscaleBucketArgs, key_arn: Optional[pulumi.Input[str]]
    ) -> None:
        for key, role_name in sorted(args.identity_policy_roles.items()):
            aws.iam.RolePolicy(
                f"{name}-access-{key}",
                role=role_name,
                name="Anyscale_Bucket_Access",
                policy=w.json_document(
                    policies.bucket_access_policy, bucket_name=self.bucket_name, kms_key_arn=key_arn
                ),
                opts=w.child(self),
            )

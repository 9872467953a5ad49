"""S3 and EFS rules (seed 004 "S3 Bucket" and "EFS"; verify_aws_s3 / verify_aws_efs).

pulumi-aws 7 splits a bucket into separate resources (CORS, policy, public access block,
encryption, versioning), so rules that span them are stack policies keyed by bucket name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra import constants as c
from anyscale_infra.policy._facts import (
    ACCOUNT_CONFIG,
    action_matches,
    actions,
    allows,
    as_list,
    cloud_buckets,
    cloud_security_groups,
    cloud_subnets,
    get,
    ident,
    iter_policy_documents,
    of_type,
    policy_document,
    statements,
    subnets_by_vpc,
)

ANYSCALE_ORIGIN = c.ANYSCALE_CORS_ORIGIN
CORS_METHODS = c.ANYSCALE_CORS_ALLOWED_METHODS
CORS_HEADERS = c.ANYSCALE_CORS_ALLOWED_HEADERS
EXPOSE_HEADERS = c.ANYSCALE_CORS_EXPOSE_HEADERS


def _bucket_name(bucket: PolicyResource) -> Optional[str]:
    return get(bucket.props, "bucket") or ident(bucket)


def _attached(resources: list[PolicyResource], resource_type: str, bucket: PolicyResource) -> list[PolicyResource]:
    """The bucket's sub-resources of one type (their ``bucket`` is the bucket's name/id)."""
    keys = {_bucket_name(bucket), ident(bucket)} - {None}
    return [r for r in of_type(resources, resource_type) if get(r.props, "bucket") in keys]


def _cors_rules(resources: list[PolicyResource], bucket: PolicyResource) -> list[Mapping[str, Any]]:
    rules = [
        rule
        for cors in _attached(resources, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", bucket)
        for rule in as_list(get(cors.props, "corsRules"))
    ]
    rules += as_list(get(bucket.props, "corsRules"))  # the deprecated inline form
    return [r for r in rules if isinstance(r, Mapping)]


def _anyscale_cors(rule: Mapping[str, Any]) -> bool:
    return (
        ANYSCALE_ORIGIN in as_list(rule.get("allowedOrigins"))
        and set(CORS_HEADERS) <= set(as_list(rule.get("allowedHeaders")))
        and set(CORS_METHODS) <= set(as_list(rule.get("allowedMethods")))
    )


def _per_bucket(check):  # type: ignore[no-untyped-def]
    """Run ``check`` on each bucket of the cloud (see ``cloud_buckets``): the user's other
    buckets in the same program are not this pack's business."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = list(args.resources)
        account = str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))
        for bucket in cloud_buckets(resources, account):
            message = check(resources, bucket)
            if message:
                report(message, bucket.urn)

    return validate


def _cors(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    if any(_anyscale_cors(rule) for rule in _cors_rules(resources, bucket)):
        return None
    return (
        f"bucket {_bucket_name(bucket)} has no CORS rule allowing {'/'.join(CORS_METHODS)} from "
        f"{ANYSCALE_ORIGIN} with headers {', '.join(CORS_HEADERS)}: the console cannot show files (seed 004; registration warns)."
    )


def _expose(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    rules = [r for r in _cors_rules(resources, bucket) if _anyscale_cors(r)]
    if not rules or any(set(EXPOSE_HEADERS) <= set(as_list(r.get("exposeHeaders"))) for r in rules):
        return None
    return (
        f"bucket {_bucket_name(bucket)}'s Anyscale CORS rule does not expose {', '.join(EXPOSE_HEADERS)}: the "
        "console's file viewer needs them (`cloud register` warns)."
    )


def _public_access_block(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    blocks = _attached(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
    if any(all(get(b.props, f) is True for f in flags) for b in blocks):
        return None
    return f"bucket {_bucket_name(bucket)} lacks a public access block with all four settings on."


def _encryption(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    configs = _attached(
        resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket
    )
    if configs or get(bucket.props, "serverSideEncryptionConfiguration"):
        return None
    return f"bucket {_bucket_name(bucket)} declares no server-side encryption configuration (SSE-S3 or SSE-KMS)."


def _versioning(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    for v in _attached(resources, "aws:s3/bucketVersioning:BucketVersioning", bucket):
        if (get(v.props, "versioningConfiguration") or {}).get("status") == "Enabled":
            return None
    if (get(bucket.props, "versioning") or {}).get("enabled") is True:
        return None
    return (
        f"bucket {_bucket_name(bucket)} is not versioned; seed 004 advises versioning and lifecycle rules "
        "against data loss."
    )


def _tls_only(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    for bp in _attached(resources, "aws:s3/bucketPolicy:BucketPolicy", bucket):
        for s in statements(policy_document(get(bp.props, "policy"))):
            condition = s.get("Condition") or {}
            if s.get("Effect") == "Deny" and str((condition.get("Bool") or {}).get("aws:SecureTransport")).lower() == "false":
                return None
    return f"bucket {_bucket_name(bucket)}'s policy does not deny requests without TLS (aws:SecureTransport=false)."


def _kms_keys(resources: list[PolicyResource], bucket: PolicyResource) -> list[str]:
    keys: list[str] = []
    configs = _attached(
        resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket
    )
    for config in configs:
        for rule in as_list(get(config.props, "rules")):
            default = (rule or {}).get("applyServerSideEncryptionByDefault") or {}
            if default.get("sseAlgorithm") in ("aws:kms", "aws:kms:dsse") and default.get("kmsMasterKeyId"):
                keys.append(default["kmsMasterKeyId"])
    return keys


def _role_documents(resources: list[PolicyResource]) -> dict[str, list[dict[str, Any]]]:
    """Role name -> the policy documents it carries (RolePolicy, Role.inlinePolicies)."""
    documents: dict[str, list[dict[str, Any]]] = {}
    for resource, document in iter_policy_documents(resources):
        if resource.resource_type == "aws:iam/rolePolicy:RolePolicy":
            documents.setdefault(str(get(resource.props, "role")), []).append(document)
        elif resource.resource_type == "aws:iam/role:Role":
            documents.setdefault(str(get(resource.props, "name")), []).append(document)
    return documents


def _kms_grants(resources: list[PolicyResource], bucket: PolicyResource) -> Optional[str]:
    keys = _kms_keys(resources, bucket)
    if not keys:
        return None
    roles = of_type(resources, "aws:iam/role:Role")
    principals = {
        p
        for bp in _attached(resources, "aws:s3/bucketPolicy:BucketPolicy", bucket)
        for s in statements(policy_document(get(bp.props, "policy")))
        if allows(s)
        for p in as_list((s.get("Principal") or {}).get("AWS") if isinstance(s.get("Principal"), Mapping) else [])
    }
    bucket_roles = [r for r in roles if get(r.props, "arn") in principals]
    documents = _role_documents(resources)
    missing = []
    for role in bucket_roles:
        name = str(get(role.props, "name"))
        granted = [
            s
            for doc in documents.get(name, []) + documents.get(str(ident(role)), [])
            for s in statements(doc)
            if allows(s) and any(k in as_list(s.get("Resource")) or "*" in as_list(s.get("Resource")) for k in keys)
        ]
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):
            if not any(action_matches(a, action) for s in granted for a in actions(s)):
                missing.append(f"{name} lacks {action}")
    if missing:
        return (
            f"bucket {_bucket_name(bucket)} is encrypted with KMS key {keys[0]} but "
            f"{'; '.join(missing)} on it (seed 004: both roles need kms:GenerateDataKey and kms:Decrypt)."
        )
    return None


s3_cors = StackValidationPolicy(
    name="anyscale-aws-s3-cors",
    description="Buckets allow GET/PUT/POST/HEAD/DELETE from https://*.anyscale.com with headers '*' (seed 004; registration warns).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_cors),
    enforcement_level=EnforcementLevel.ADVISORY,
)
s3_cors_expose_headers = StackValidationPolicy(
    name="anyscale-aws-s3-cors-expose-headers",
    description="The Anyscale CORS rule exposes Accept-Ranges, Content-Range, Content-Length (registration warns).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_expose),
    enforcement_level=EnforcementLevel.ADVISORY,
)
s3_public_access_block = StackValidationPolicy(
    name="anyscale-aws-s3-public-access-block",
    description="Buckets have a public access block with all four settings on (nothing of a cloud is public).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_public_access_block),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_encryption = StackValidationPolicy(
    name="anyscale-aws-s3-encryption",
    description="Buckets declare server-side encryption, SSE-S3 or SSE-KMS (seed 004: S3 bucket encryption modes).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_encryption),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_versioning = StackValidationPolicy(
    name="anyscale-aws-s3-versioning",
    description="Buckets are versioned (seed 004 advises versioning and lifecycle rules against data loss).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_versioning),
    enforcement_level=EnforcementLevel.ADVISORY,
)
s3_tls_only = StackValidationPolicy(
    name="anyscale-aws-s3-tls-only",
    description="Bucket policies deny requests without TLS (aws:SecureTransport=false).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_tls_only),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_kms_roles = StackValidationPolicy(
    name="anyscale-aws-s3-kms-roles",
    description="With SSE-KMS, every role the bucket policy grants can kms:GenerateDataKey and kms:Decrypt on the key (seed 004).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_kms_grants),
    enforcement_level=EnforcementLevel.MANDATORY,
)


def _efs_encrypted(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == "aws:efs/fileSystem:FileSystem" and get(args.props, "encrypted") is not True:
        report("EFS file system is not encrypted at rest (set encrypted=true; it cannot be changed later).", None)


efs_encrypted = ResourceValidationPolicy(
    name="anyscale-aws-efs-encrypted",
    description="EFS file systems are encrypted at rest (replacement is the only way to encrypt later).",
    validate=_efs_encrypted,
    enforcement_level=EnforcementLevel.MANDATORY,
)


def _mount_targets(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    mounts = of_type(resources, "aws:efs/mountTarget:MountTarget")
    by_vpc = subnets_by_vpc(resources)
    for fs in of_type(resources, "aws:efs/fileSystem:FileSystem"):
        mine = [m for m in mounts if get(m.props, "fileSystemId") == ident(fs)]
        if not mine:
            continue  # anyscale-aws-efs-has-mount-targets reports it
        mounted = {get(m.props, "subnetId") for m in mine}
        vpcs = [vpc for vpc, subnets in by_vpc.items() if any(ident(s) in mounted for s in subnets)]
        for vpc in vpcs:
            for subnet in cloud_subnets(resources, by_vpc[vpc]):
                if ident(subnet) not in mounted:
                    report(
                        f"EFS {fs.name} has no mount target in cloud subnet {subnet.name} ({ident(subnet)}): "
                        "cross-AZ traffic and cost (seed 004: a mount target per cloud subnet; registration warns).",
                        fs.urn,
                    )


def _has_mount_targets(args: StackValidationArgs, report: ReportViolation) -> None:
    mounted = {get(m.props, "fileSystemId") for m in of_type(args.resources, "aws:efs/mountTarget:MountTarget")}
    for fs in of_type(args.resources, "aws:efs/fileSystem:FileSystem"):
        if ident(fs) not in mounted:
            report(f"EFS {fs.name} has no mount target: clusters cannot mount it (`cloud register` fails).", fs.urn)


efs_has_mount_targets = StackValidationPolicy(
    name="anyscale-aws-efs-has-mount-targets",
    description="EFS has mount targets (seed 004: create mount targets in the cloud subnets; a registration error).",
    validate=_has_mount_targets,
    enforcement_level=EnforcementLevel.MANDATORY,
)

efs_mount_targets = StackValidationPolicy(
    name="anyscale-aws-efs-mount-targets",
    description="EFS has a mount target in every cloud subnet (seed 004; registration warns per missing subnet).",
    validate=_mount_targets,
    enforcement_level=EnforcementLevel.ADVISORY,
)


def _mount_target_group(args: StackValidationArgs, report: ReportViolation) -> None:
    cloud_groups = {ident(g) for g in cloud_security_groups(list(args.resources))}
    for mount in of_type(args.resources, "aws:efs/mountTarget:MountTarget"):
        first = next(iter(as_list(get(mount.props, "securityGroups"))), None)
        if first is None or (cloud_groups and first not in cloud_groups):
            report(
                f"mount target {mount.name} does not carry the cloud security group first (seed 004: mount "
                "targets with the security group of the cloud; registration warns).",
                mount.urn,
            )


efs_mount_target_security_group = StackValidationPolicy(
    name="anyscale-aws-efs-mount-target-security-group",
    description="EFS mount targets carry the cloud security group (seed 004; registration warns).",
    validate=_mount_target_group,
    enforcement_level=EnforcementLevel.ADVISORY,
)


def _backups(args: StackValidationArgs, report: ReportViolation) -> None:
    enabled = {
        get(b.props, "fileSystemId")
        for b in of_type(args.resources, "aws:efs/backupPolicy:BackupPolicy")
        if (get(b.props, "backupPolicy") or {}).get("status") == "ENABLED"
    }
    for fs in of_type(args.resources, "aws:efs/fileSystem:FileSystem"):
        if ident(fs) not in enabled:
            report(f"EFS {fs.name} has no ENABLED backup policy (`cloud register` warns).", fs.urn)


efs_backup = StackValidationPolicy(
    name="anyscale-aws-efs-backup",
    description="EFS file systems have automatic backups ENABLED (registration warns otherwise).",
    validate=_backups,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [
    s3_cors,
    s3_cors_expose_headers,
    s3_public_access_block,
    s3_encryption,
    s3_versioning,
    s3_tls_only,
    s3_kms_roles,
    efs_encrypted,
    efs_has_mount_targets,
    efs_mount_targets,
    efs_mount_target_security_group,
    efs_backup,
]

"""S3 and EFS rules (seed 004 "S3 Bucket" and "EFS"; verify_aws_s3 / verify_aws_efs).

pulumi-aws 7 splits a bucket into separate resources (CORS, policy, public access block,
encryption, versioning), so rules that span them are stack policies keyed by bucket name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.iam_evaluator import Decision, PolicyError, Principal, Request, evaluate
from anyscale_infra.policy.aws import _iam as q
from anyscale_infra.policy.aws._facts import (
    ACCOUNT_CONFIG,
    as_list,
    cloud_buckets,
    cloud_security_groups,
    cloud_subnets,
    get,
    ident,
    of_type,
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


@dataclass
class _Cloud:
    """What bucket checks need besides the bucket: the stack and the cloud's roles."""

    resources: list[PolicyResource]
    anyscale_account: str
    _roles: Optional[list[q.RoleView]] = None

    @property
    def account(self) -> str:
        """The account the cloud (its bucket) lives in: its roles' account."""
        return self.roles[0].account if self.roles else q.UNKNOWN_ACCOUNT

    @property
    def roles(self) -> list[q.RoleView]:
        """The Anyscale role(s) and the node role(s) in the program (evaluated once); on a
        Kubernetes cloud, the operator's role (its pods reach the bucket, not the nodes)."""
        if self._roles is None:
            views = q.role_views(self.resources)
            anyscale = q.anyscale_roles(views, self.anyscale_account)
            nodes = [n for n in q.node_roles(views, anyscale) if n not in anyscale]
            operators = [v for v in views if v.operator and v not in anyscale and v not in nodes]
            self._roles = anyscale + nodes + operators
        return self._roles


def _per_bucket(check):  # type: ignore[no-untyped-def]
    """Run ``check`` on each bucket of the cloud (see ``cloud_buckets``): the user's other
    buckets in the same program are not this pack's business."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = list(args.resources)
        account = str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))
        cloud = _Cloud(resources, account)
        for bucket in cloud_buckets(resources, account):
            message = check(cloud, bucket)
            if message:
                report(message, bucket.urn)

    return validate


def _cors(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    if any(_anyscale_cors(rule) for rule in _cors_rules(resources, bucket)):
        return None
    return (
        f"bucket {_bucket_name(bucket)} has no CORS rule allowing {'/'.join(CORS_METHODS)} from "
        f"{ANYSCALE_ORIGIN} with headers {', '.join(CORS_HEADERS)}: the console cannot show files (seed 004; registration warns)."
    )


def _expose(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    rules = [r for r in _cors_rules(resources, bucket) if _anyscale_cors(r)]
    if not rules or any(set(EXPOSE_HEADERS) <= set(as_list(r.get("exposeHeaders"))) for r in rules):
        return None
    return (
        f"bucket {_bucket_name(bucket)}'s Anyscale CORS rule does not expose {', '.join(EXPOSE_HEADERS)}: the "
        "console's file viewer needs them (`cloud register` warns)."
    )


def _public_access_block(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    blocks = _attached(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
    if any(all(get(b.props, f) is True for f in flags) for b in blocks):
        return None
    return f"bucket {_bucket_name(bucket)} lacks a public access block with all four settings on."


def _encryption(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    configs = _attached(
        resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket
    )
    if configs or get(bucket.props, "serverSideEncryptionConfiguration"):
        return None
    return f"bucket {_bucket_name(bucket)} declares no server-side encryption configuration (SSE-S3 or SSE-KMS)."


def _versioning(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    for v in _attached(resources, "aws:s3/bucketVersioning:BucketVersioning", bucket):
        if (get(v.props, "versioningConfiguration") or {}).get("status") == "Enabled":
            return None
    if (get(bucket.props, "versioning") or {}).get("enabled") is True:
        return None
    return (
        f"bucket {_bucket_name(bucket)} is not versioned; seed 004 advises versioning and lifecycle rules "
        "against data loss."
    )


def _bucket_policy(cloud: "_Cloud", bucket: PolicyResource) -> tuple[Optional[q.PolicySource], bool]:
    return q.bucket_policy_source(cloud.resources, {_bucket_name(bucket), ident(bucket)} - {None})  # type: ignore[arg-type]


def _probes(cloud: "_Cloud") -> list[tuple[str, Principal]]:
    """Who the bucket questions ask about: the cloud's roles, an unrelated account, anyone."""
    return [(f"role {r.name}", r.principal) for r in cloud.roles] + [
        (f"account {q.STRANGER_ACCOUNT}", Principal.aws(q.STRANGER_ARN)),
        ("an anonymous caller", Principal.anonymous()),
    ]


def _tls_only(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    """Nobody can without TLS: the bucket policy itself denies every non-TLS request, so no
    grant, present or future, in any policy can open it (AWS FSBP S3.5)."""
    name = str(_bucket_name(bucket))
    policy, known = _bucket_policy(cloud, bucket)
    if not known:
        return None
    if policy is None:
        return f"bucket {name} has no bucket policy, so nothing denies requests without TLS (aws:SecureTransport=false)."
    open_to: dict[str, list[str]] = {}
    example = ""
    for who, principal in _probes(cloud):
        for action, arn in q.bucket_requests(name):
            context = {**q.principal_context(principal), "aws:SecureTransport": False}
            try:
                evaluation = evaluate(
                    Request(action, arn, principal, context), resource_policy=policy, resource_account=cloud.account
                )
            except PolicyError as exc:
                return f"bucket {name}'s policy cannot be evaluated: {exc}"
            if evaluation.decision is not Decision.EXPLICIT_DENY:
                open_to.setdefault(who, []).append(action)
                example = example or f"{action} by {who}: {q.why(evaluation)}"
    if open_to:
        return (
            f"bucket {name}'s policy does not deny requests without TLS (aws:SecureTransport=false) for "
            + "; ".join(f"{who} ({', '.join(actions)})" for who, actions in open_to.items())
            + f" (e.g. {example}). Only a Deny statement guards every principal."
        )
    return None


def _role_access(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    """Both roles can list, get, put and delete over TLS (seed 004 "S3"), through their own
    policies or the bucket policy (same account)."""
    name = str(_bucket_name(bucket))
    policy, known = _bucket_policy(cloud, bucket)
    if not known:
        return None
    missing: list[str] = []
    for role in cloud.roles:
        try:
            denied = [
                f"{action} ({q.why(evaluation)})"
                for action, arn in q.bucket_requests(name)
                if not (evaluation := role.can(action, arn, {"aws:SecureTransport": True}, resource_policy=policy)).allowed
            ]
        except q.Unknown:
            continue
        except PolicyError as exc:
            return f"bucket {name}: the policies of role {role.name} cannot be evaluated: {exc}"
        if denied:
            extra = f" (its undeclared policies {', '.join(role.undeclared)} may grant it)" if role.undeclared else ""
            missing.append(f"role {role.name} cannot {', '.join(denied)}{extra}")
    if missing:
        return f"bucket {name}: " + "; ".join(missing) + " (seed 004: both roles need s3:ListBucket, GetObject, PutObject, DeleteObject)."
    return None


def _no_anonymous_read(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    name = str(_bucket_name(bucket))
    policy, known = _bucket_policy(cloud, bucket)
    if not known or policy is None:
        return None
    readable = []
    for action, arn in q.bucket_requests(name, ("s3:GetObject", "s3:ListBucket")):
        try:
            evaluation = evaluate(
                Request(action, arn, Principal.anonymous(), {"aws:SecureTransport": True}),
                resource_policy=policy,
                resource_account=cloud.account,
            )
        except PolicyError as exc:
            return f"bucket {name}'s policy cannot be evaluated: {exc}"
        if evaluation.allowed:
            readable.append(f"{action} ({q.why(evaluation)})")
    if readable:
        return f"bucket {name}'s policy lets anonymous callers {', '.join(readable)}: a cloud's data is never public."
    return None


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


def _key_arn(resources: list[PolicyResource], key: str) -> str:
    """The ARN IAM policies name for a bucket's ``kmsMasterKeyId`` (an ARN, a key id, or the
    id of a key declared in the program)."""
    if key.startswith("arn:"):
        return key
    for declared in of_type(resources, "aws:kms/key:Key"):
        if key in {ident(declared), get(declared.props, "keyId")} and get(declared.props, "arn"):
            return str(get(declared.props, "arn"))
    return key


def _kms_grants(cloud: "_Cloud", bucket: PolicyResource) -> Optional[str]:
    resources = cloud.resources
    keys = _kms_keys(resources, bucket)
    if not keys:
        return None
    name = str(_bucket_name(bucket))
    policy, _ = _bucket_policy(cloud, bucket)
    views = q.role_views(resources)
    # The cloud's roles, and any other role the bucket policy lets read objects.
    roles = {r.resource.urn: r for r in cloud.roles}
    if policy is not None:
        for view in views:
            (action, arn), = q.bucket_requests(name, ("s3:GetObject",))
            try:
                context = {**q.principal_context(view.principal), "aws:SecureTransport": True}
                if evaluate(Request(action, arn, view.principal, context), resource_policy=policy).allowed:
                    roles.setdefault(view.resource.urn, view)
            except PolicyError:
                continue
    missing = []
    for role in roles.values():
        for key in keys:
            for action in c.KMS_ROLE_ACTIONS:
                try:
                    if not role.can(action, _key_arn(resources, key)).allowed:
                        missing.append(f"{role.name} cannot {action}")
                except (q.Unknown, PolicyError):
                    continue
    if missing:
        return (
            f"bucket {name} is encrypted with KMS key {keys[0]} but "
            f"{'; '.join(missing)} on it (seed 004: both roles need {' and '.join(c.KMS_ROLE_ACTIONS)})."
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
    description=(
        "The cloud bucket's policy denies every request without TLS (aws:SecureTransport=false), whoever "
        "makes it: the cloud's roles, other accounts, anonymous callers."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_tls_only),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_role_access = StackValidationPolicy(
    name="anyscale-aws-s3-role-access",
    description=(
        "The Anyscale role and the node role can list, get, put and delete in the cloud bucket over TLS, "
        "through their policies or the bucket policy (seed 004 \"S3\")."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_role_access),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_no_anonymous_read = StackValidationPolicy(
    name="anyscale-aws-s3-no-anonymous-read",
    description="No anonymous caller can read or list the cloud bucket (its policy grants no public access).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_no_anonymous_read),
    enforcement_level=EnforcementLevel.MANDATORY,
)
s3_kms_roles = StackValidationPolicy(
    name="anyscale-aws-s3-kms-roles",
    description="With SSE-KMS, both cloud roles (and any role the bucket policy lets read) can kms:GenerateDataKey and kms:Decrypt on the key (seed 004).",
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
    s3_role_access,
    s3_no_anonymous_read,
    s3_kms_roles,
    efs_encrypted,
    efs_has_mount_targets,
    efs_mount_targets,
    efs_mount_target_security_group,
    efs_backup,
]

"""Cloud Storage rules (verify_cloud_storage and check_gcp_cors_rules in `anyscale cloud
register --provider gcp`, at the levels it gives them; nothing of a cloud is public).

The bucket rules judge the cloud's buckets (see ``_facts.cloud_buckets``): the user's other
buckets in the same program are not this pack's business — except that no bucket IAM grant
or ACL anywhere in the program may make a bucket public.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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

from anyscale_infra.gcp import constants as c
from anyscale_infra.policy.gcp._facts import (
    ACCOUNT_CONFIG,
    BUCKET_ACCESS_CONTROL,
    BUCKET_ACL,
    BUCKET_ADMIN_ROLE,
    BUCKET_IAM,
    BUCKET_ROLE_SETS,
    DEFAULT_OBJECT_ACCESS_CONTROL,
    DEFAULT_OBJECT_ACL,
    FOLDER_IAM,
    GCS_DUAL_REGIONS,
    GCS_MULTI_REGIONS,
    OBJECT_ACCESS_CONTROL,
    OBJECT_ACL,
    PUBLIC_MEMBERS,
    PUBLIC_PREDEFINED_ACLS,
    access_accounts,
    account_of,
    as_list,
    bucket_name,
    cloud_buckets,
    cloud_regions,
    get,
    grants_of,
    roles_on_bucket,
    sa_member,
)

CORS_ORIGIN = c.ANYSCALE_CORS_ORIGIN
#: What check_gcp_cors_rules looks for in one rule (besides the origin).
CORS_RESPONSE_HEADER = "*"
CORS_METHOD = "GET"

BucketCheck = Callable[[list[PolicyResource], PolicyResource, str], Optional[str]]


def _per_bucket(check: BucketCheck):
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = list(args.resources)
        account = account_of(args.get_config())
        for bucket in cloud_buckets(resources, account):
            message = check(resources, bucket, account)
            if message:
                report(message, bucket.urn)

    return validate


def _anyscale_cors(rule: Any) -> bool:
    return (
        isinstance(rule, Mapping)
        and CORS_ORIGIN in as_list(rule.get("origins"))
        and CORS_RESPONSE_HEADER in as_list(rule.get("responseHeaders"))
        and CORS_METHOD in as_list(rule.get("methods"))
    )


def _cors(resources: list[PolicyResource], bucket: PolicyResource, _: str) -> Optional[str]:
    if any(_anyscale_cors(rule) for rule in as_list(get(bucket.props, "cors"))):
        return None
    return (
        f"bucket {bucket_name(bucket)} has no CORS rule with origin {CORS_ORIGIN}, method {CORS_METHOD} and "
        f"responseHeader '{CORS_RESPONSE_HEADER}': the console's file viewer cannot read it "
        "(check_gcp_cors_rules; `cloud register` warns)."
    )


def _public_access_prevention(resources: list[PolicyResource], bucket: PolicyResource, _: str) -> Optional[str]:
    value = get(bucket.props, "publicAccessPrevention")
    if value == c.PUBLIC_ACCESS_PREVENTION_ENFORCED:
        return None
    shown = f"set to {value!r}" if value is not None else "not set (inherited)"
    return (
        f"bucket {bucket_name(bucket)} has public access prevention {shown}: only "
        f"'{c.PUBLIC_ACCESS_PREVENTION_ENFORCED}' guarantees a grant can never make it public, whatever the "
        "organization policy (https://cloud.google.com/storage/docs/public-access-prevention)."
    )


def _uniform_access(resources: list[PolicyResource], bucket: PolicyResource, _: str) -> Optional[str]:
    if get(bucket.props, "uniformBucketLevelAccess") is True:
        return None
    return (
        f"bucket {bucket_name(bucket)} does not have uniform bucket-level access: ACLs can grant what IAM does "
        "not show, and `cloud register` cannot verify bucket access (verify_cloud_storage warns)."
    )


def _covers_region(bucket: PolicyResource, region: str) -> Optional[bool]:
    """_check_bucket_region: a region, a dual-region's regions, a multi-region's prefix;
    None when the location is not knowable here."""
    location = get(bucket.props, "location")
    if not isinstance(location, str):
        return None
    location, wanted = location.upper(), region.upper()
    placement = get(bucket.props, "customPlacementConfig")
    data_locations = [str(x).upper() for x in as_list(placement.get("dataLocations"))] if isinstance(placement, Mapping) else []
    if data_locations:
        return wanted in data_locations
    if location in GCS_DUAL_REGIONS:
        return wanted in GCS_DUAL_REGIONS[location]
    if location in GCS_MULTI_REGIONS:
        return wanted.startswith(location)
    if "-" in location:
        return wanted == location
    return None


def _region(resources: list[PolicyResource], bucket: PolicyResource, _: str) -> Optional[str]:
    regions = sorted(cloud_regions(resources))
    if not regions:
        return None
    verdicts = [_covers_region(bucket, r) for r in regions]
    if None in verdicts or any(verdicts):
        return None
    return (
        f"bucket {bucket_name(bucket)} is in {get(bucket.props, 'location')}, but the cloud's subnets are in "
        f"{', '.join(regions)}: slower cluster launches and logging, and egress charges "
        "(verify_cloud_storage warns)."
    )


def _access_roles(resources: list[PolicyResource], bucket: PolicyResource, account: str) -> Optional[str]:
    missing = []
    for access in access_accounts(resources, account):
        if not access.email or access.resource is None:
            continue
        roles = roles_on_bucket(resources, bucket, sa_member(access.email))
        if BUCKET_ADMIN_ROLE in roles or any(combination <= roles for combination in BUCKET_ROLE_SETS):
            continue
        missing.append(f"{access.email} (has {', '.join(sorted(roles)) or 'no role'})")
    if not missing:
        return None
    return (
        f"bucket {bucket_name(bucket)}: the Anyscale access service account {'; '.join(missing)} lacks "
        "storage.buckets.get and object get/list/create on it; grant roles/storage.objectAdmin and "
        "roles/storage.legacyBucketReader, or roles/storage.admin (_verify_service_account_on_bucket; "
        "`cloud register` asks to continue)."
    )


bucket_cors = StackValidationPolicy(
    name="anyscale-gcp-bucket-cors",
    description=(
        f"The cloud bucket has a CORS rule with origin {CORS_ORIGIN}, method {CORS_METHOD} and responseHeader "
        f"'{CORS_RESPONSE_HEADER}' "
        "(check_gcp_cors_rules; registration warns)."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_cors),
    enforcement_level=EnforcementLevel.ADVISORY,
)
bucket_public_access_prevention = StackValidationPolicy(
    name="anyscale-gcp-bucket-public-access-prevention",
    description=(
        f"The cloud bucket enforces public access prevention ('{c.PUBLIC_ACCESS_PREVENTION_ENFORCED}'; the verifier "
        "also accepts 'inherited', "
        "which leaves it to the organization policy): nothing of a cloud is public."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_public_access_prevention),
    enforcement_level=EnforcementLevel.MANDATORY,
)
bucket_uniform_access = StackValidationPolicy(
    name="anyscale-gcp-bucket-uniform-access",
    description="The cloud bucket has uniform bucket-level access (verify_cloud_storage warns).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_uniform_access),
    enforcement_level=EnforcementLevel.ADVISORY,
)
bucket_region = StackValidationPolicy(
    name="anyscale-gcp-bucket-region",
    description="The cloud bucket's location covers the region of the cloud subnets (verify_cloud_storage warns).",
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_region),
    enforcement_level=EnforcementLevel.ADVISORY,
)
bucket_access_service_account = StackValidationPolicy(
    name="anyscale-gcp-bucket-access-service-account",
    description=(
        "The Anyscale access service account holds roles/storage.admin or one of the verifier's role sets on the "
        "cloud bucket (_verify_service_account_on_bucket; registration asks to continue)."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_per_bucket(_access_roles),
    enforcement_level=EnforcementLevel.ADVISORY,
)

_ACL_ENTITY_TYPES = (BUCKET_ACCESS_CONTROL, DEFAULT_OBJECT_ACCESS_CONTROL, OBJECT_ACCESS_CONTROL)
_ACL_LIST_TYPES = (BUCKET_ACL, DEFAULT_OBJECT_ACL, OBJECT_ACL)


def _public_grants(args: ResourceValidationArgs) -> list[str]:
    kind = args.resource_type
    if kind in (*BUCKET_IAM, *FOLDER_IAM):
        resource = PolicyResource(kind, args.props, args.urn, args.name, args.opts, None, None, [], {})
        return sorted({f"{g.role} to {g.member}" for g in grants_of(resource) if g.member in PUBLIC_MEMBERS})
    if kind in _ACL_ENTITY_TYPES:
        entity = get(args.props, "entity")
        return [f"{get(args.props, 'role')} to {entity}"] if entity in PUBLIC_MEMBERS else []
    if kind in _ACL_LIST_TYPES:
        found = [
            f"{field} {value}"
            for field in ("predefinedAcl", "defaultAcl")
            if (value := get(args.props, field)) in PUBLIC_PREDEFINED_ACLS
        ]
        found += [
            f"ACL {entry}"
            for entry in as_list(get(args.props, "roleEntities"))
            if isinstance(entry, str) and entry.partition(":")[2] in PUBLIC_MEMBERS
        ]
        return found
    return []


def _not_public(args: ResourceValidationArgs, report: ReportViolation) -> None:
    public = _public_grants(args)
    if public:
        report(
            f"makes bucket {get(args.props, 'bucket')} public ({'; '.join(public)}): a cloud's logs, checkpoints "
            "and code are never for everyone.",
            None,
        )


bucket_not_public = ResourceValidationPolicy(
    name="anyscale-gcp-bucket-not-public",
    description=(
        "No bucket IAM grant (member, binding, policy, managed folder) or ACL gives allUsers or "
        "allAuthenticatedUsers access: nothing of a cloud is public."
    ),
    validate=_not_public,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [
    bucket_cors,
    bucket_public_access_prevention,
    bucket_uniform_access,
    bucket_not_public,
    bucket_region,
    bucket_access_service_account,
]

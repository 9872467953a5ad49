"""AnyscaleBucket: CORS, encryption, public access, ownership, versioning, lifecycle, policy."""

from __future__ import annotations

import json

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleBucket, AnyscaleBucketArgs, BucketEncryption

ROLE_A = "arn:aws:iam::210987654321:role/anyscale"
ROLE_B = "arn:aws:iam::210987654321:role/nodes"
KEY = "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666"


def _one(result, typ):
    (resource,) = result.by_type(typ)
    return resource


def test_new_bucket_settings(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(access_role_arns=[ROLE_A, ROLE_B])))
    bucket = _one(result, "aws:s3/bucket:Bucket")
    assert bucket.protect is True
    assert bucket.inputs.get("forceDestroy") is False
    cors = _one(result, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").inputs["corsRules"]
    assert cors == [{
        "allowedHeaders": ["*"],
        "allowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
        "allowedOrigins": ["https://*.anyscale.com"],
        "exposeHeaders": ["Accept-Ranges", "Content-Range", "Content-Length"],
    }]
    pab = _one(result, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(pab[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"))
    ownership = _one(result, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    sse = _one(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    versioning = _one(result, "aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"] == {"status": "Enabled"}
    rules = {r["id"]: r for r in _one(result, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]}
    assert rules["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    assert rules["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
    policy = json.loads(_one(result, "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    allow, deny = policy["Statement"]
    assert allow["Principal"] == {"AWS": [ROLE_A, ROLE_B]}
    name = bucket.outputs["bucket"]
    assert set(allow["Resource"]) == {f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"}
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_every_bucket_setting_is_a_child_deleted_with_the_bucket(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(access_role_arns=[ROLE_A])))
    bucket = _one(result, "aws:s3/bucket:Bucket")
    settings = [r for r in result.resources if r.type.startswith("aws:s3/bucket") and r.type != "aws:s3/bucket:Bucket"]
    assert len(settings) == 7
    assert all(r.deleted_with == bucket.urn for r in settings)


def test_sse_kms_with_own_key_grants_roles(preview):
    args = AnyscaleBucketArgs(encryption="SSE-KMS", kms_key_arn=KEY, identity_policy_roles={"instance": "nodes"})
    result = preview(lambda: AnyscaleBucket("c", args))
    sse = _one(result, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}
    assert sse.inputs["rules"][0]["bucketKeyEnabled"] is True
    assert result.by_type("aws:kms/key:Key") == []
    access = _one(result, "aws:iam/rolePolicy:RolePolicy")
    assert access.inputs["role"] == "nodes"
    kms = json.loads(access.inputs["policy"])["Statement"][-1]
    assert set(kms["Action"]) == {"kms:GenerateDataKey", "kms:Decrypt"} and kms["Resource"] == KEY


def test_sse_kms_without_key_creates_a_protected_rotating_key(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(encryption=BucketEncryption.SSE_KMS)))
    key = _one(result, "aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.protect is True


def test_existing_bucket_is_untouched_but_roles_get_access(preview):
    args = AnyscaleBucketArgs(existing_bucket_name="corp-anyscale-data", identity_policy_roles={"instance": "nodes"})
    result = preview(lambda: AnyscaleBucket("c", args))
    assert [r.type for r in result.resources if r.custom] == ["aws:iam/rolePolicy:RolePolicy"]
    policy = json.loads(result.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == "arn:aws:s3:::corp-anyscale-data"


def test_protect_can_be_turned_off_explicitly(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(protect=False)))
    assert _one(result, "aws:s3/bucket:Bucket").protect is False


def test_versioning_off_warns(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(versioning=False)))
    assert _one(result, "aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"] == {"status": "Suspended"}
    assert any("versioning is off" in w for w in result.warnings)


def test_bucket_name_with_a_dot_warns(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(bucket_name="ml.data-1")))
    assert result.one("aws:s3/bucket:Bucket").inputs["bucket"] == "ml.data-1"
    assert any("ml.data-1 contains '.'" in w for w in result.warnings)


@pytest.mark.parametrize("given, stored", [("s3://corp-data", "corp-data"), ("corp-data", "corp-data")])
def test_s3_scheme_is_stripped_from_names(given, stored):
    assert AnyscaleBucketArgs(bucket_name=given).bucket_name == stored
    assert AnyscaleBucketArgs(existing_bucket_name=given).existing_bucket_name == stored


# -- day limits: >= 1 -------------------------------------------------------------------------


def _lifecycle(result):
    rules = result.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    return {r["id"]: r for r in rules}


@pytest.mark.parametrize("days", [1, 2, 400])
def test_noncurrent_version_days_from_1_reach_the_lifecycle_rule(preview, days):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(noncurrent_version_expiration_days=days)))
    assert _lifecycle(result)["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {"noncurrentDays": days}


def test_noncurrent_version_days_none_keeps_versions_forever(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(noncurrent_version_expiration_days=None)))
    assert set(_lifecycle(result)) == {"abort-incomplete-multipart-uploads"}


def test_versioning_off_drops_the_noncurrent_rule(preview):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(versioning=False)))
    assert set(_lifecycle(result)) == {"abort-incomplete-multipart-uploads"}


@pytest.mark.parametrize("days", [1, 2, 30])
def test_abort_multipart_days_from_1_reach_the_lifecycle_rule(preview, days):
    result = preview(lambda: AnyscaleBucket("c", AnyscaleBucketArgs(abort_incomplete_multipart_upload_days=days)))
    rule = _lifecycle(result)["abort-incomplete-multipart-uploads"]
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": days}


@pytest.mark.parametrize("field", ["noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days"])
@pytest.mark.parametrize("days", [0, -1])
def test_days_below_1_are_rejected(field, days):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleBucketArgs(**{field: days})
    assert info.value.fields == [field]
    assert "greater than or equal to 1" in str(info.value)


@pytest.mark.parametrize("field", ["noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days"])
def test_days_must_be_whole_numbers(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleBucketArgs(**{field: "a week"})
    assert info.value.fields == [field]
    assert "valid integer" in str(info.value)


# -- every rule: the exact field and the rule's phrase ----------------------------------------

NEW_BUCKET_ONLY = {
    "bucket_name": "corp-data-2",
    "encryption": "SSE-KMS",
    "versioning": False,
    "noncurrent_version_expiration_days": 9,
    "abort_incomplete_multipart_upload_days": 9,
    "cors_allowed_origins": ["https://x.example.com"],
    "force_destroy": True,
}


@pytest.mark.parametrize("field", sorted(NEW_BUCKET_ONLY))
def test_settings_of_a_new_bucket_conflict_with_an_existing_bucket(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleBucketArgs(existing_bucket_name="corp-data", **{field: NEW_BUCKET_ONLY[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_bucket_name and {field} can be specified" in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(existing_bucket_name="corp-data", kms_key_arn=KEY),  # grant the roles the bucket's key
        dict(existing_bucket_name="corp-data", protect=False, tags={"a": "b"}),
        dict(encryption="SSE-KMS", kms_key_arn=KEY),
        dict(versioning=False),
        dict(versioning=True, noncurrent_version_expiration_days=1),
        dict(cors_allowed_origins=["https://*.anyscale.com", "https://console.example.com"]),
    ],
)
def test_combinations_that_are_allowed(kwargs):
    AnyscaleBucketArgs(**kwargs)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(bucket_name="Bad_Bucket"), "bucket_name", "lowercase"),
        (dict(bucket_name="ab"), "bucket_name", "must be 3 to 63 characters"),
        (dict(bucket_name="a" * 64), "bucket_name", "must be 3 to 63 characters"),
        (dict(bucket_name="my-bucket"), "bucket_name", "documentation placeholder"),
        (dict(bucket_name="s3://my-bucket"), "bucket_name", "documentation placeholder"),
        (dict(existing_bucket_name="ab"), "existing_bucket_name", "must be 3 to 63 characters"),
        (dict(existing_bucket_name="xn--corp"), "existing_bucket_name", "must not start"),
        (dict(kms_key_arn=KEY), "kms_key_arn", "needs encryption='SSE-KMS'"),
        (dict(encryption="SSE-S3", kms_key_arn=KEY), "kms_key_arn", "needs encryption='SSE-KMS'"),
        (dict(encryption="SSE-KMS", kms_key_arn="alias/x"), "kms_key_arn", "not a KMS key ARN"),
        (dict(existing_bucket_name="corp-data", versioning=False), "versioning", "only one of existing_bucket_name"),
        (dict(versioning=False, noncurrent_version_expiration_days=30), "noncurrent_version_expiration_days",
         "needs versioning=True"),
        (dict(cors_allowed_origins=["http://x"]), "cors_allowed_origins", "origin 'http://x' must start with https://"),
        (dict(cors_allowed_origins=["https://*.anyscale.com", "*"]), "cors_allowed_origins", "origin '*' must start with https://"),
        (dict(cors_allowed_origins=[]), "cors_allowed_origins", "needs at least the Anyscale console origin"),
        (dict(encryption="AES"), "encryption", "SSE-S3"),
        (dict(encryption="AES256"), "encryption", "SSE-KMS"),
        (dict(noncurrent_version_expiration_days=0), "noncurrent_version_expiration_days", "greater than or equal to 1"),
        (dict(tags={"aws:x": "1"}), "tags", "reserved by AWS"),
        (dict(tags={"k" * 129: "1"}), "tags", "must be 1 to 128 characters"),
        (dict(force_destroy="sometimes"), "force_destroy", "valid boolean"),
        (dict(bucket="x"), "bucket", "is not a known argument"),
    ],
)
def test_bad_bucket_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleBucketArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)

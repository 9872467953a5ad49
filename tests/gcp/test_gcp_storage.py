"""AnyscaleGcsBucket: the bucket's settings, CORS, location, CMEK, both accounts' grants,
bring-your-own, every error path; and the CLI's own checks run on what we plan."""

from __future__ import annotations

import re
from types import SimpleNamespace
from unittest import mock

import pulumi
import pulumi_gcp as gcp
import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import AnyscaleGcsBucket, AnyscaleGcsBucketArgs
from anyscale_infra.gcp.storage import (
    anyscale_cors_rule,
    bucket_location,
    cors_rule_from_inputs,
    cors_rule_to_args,
    lifecycle_rules,
)
from program_errors import deploy_error

ACCESS = "anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
NODES = "anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com"
KEY = "projects/acme-kms/locations/us-central1/keyRings/anyscale/cryptoKeys/bucket"
BUCKET = "gcp:storage/bucket:Bucket"
MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
GCS_AGENT = re.compile(r"^serviceAccount:service-[1-9][0-9]{11}@gs-project-accounts\.iam\.gserviceaccount\.com$")

#: The Anyscale CORS rule as the engine sees it (pulumi-gcp's plural, camelCase names).
CORS_INPUT = {
    "origins": ["https://*.anyscale.com"],
    "methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
    "responseHeaders": ["*", "Accept-Ranges", "Content-Range", "Content-Length"],
    "maxAgeSeconds": 3600,
}


def both_accounts(**kwargs) -> AnyscaleGcsBucketArgs:
    return AnyscaleGcsBucketArgs(
        region="us-central1", access_service_account_email=ACCESS, instance_service_account_email=NODES, **kwargs
    )


def args_error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcsBucketArgs(**kwargs)
    return info.value


def component_outputs(result, name: str = "c") -> dict:
    (urn,) = [u for u in result.component_outputs if u.endswith(f"AnyscaleGcsBucket::{name}")]
    return result.component_outputs[urn]


# --- A new bucket ---------------------------------------------------------------------------
def test_new_bucket_settings(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts()))
    bucket = result.one(BUCKET)
    inputs = bucket.inputs
    assert inputs["location"] == "US-CENTRAL1"
    assert inputs["storageClass"] == "STANDARD"
    assert inputs["uniformBucketLevelAccess"] is True
    assert inputs["publicAccessPrevention"] == "enforced"
    assert inputs["cors"] == [CORS_INPUT]
    assert inputs["versioning"] == {"enabled": True}
    assert inputs["lifecycleRules"] == [
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}},
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 30}},
    ]
    assert inputs["forceDestroy"] is False
    assert inputs["labels"] == {"managed-by": "anyscale-infra"}
    assert inputs.get("encryption") is None and inputs.get("customPlacementConfig") is None
    assert "name" not in inputs and re.fullmatch(r"c-bucket-[0-9a-f]{7}", bucket.outputs["name"])  # auto-name
    assert bucket.protect is True
    assert result.by_type(KEY_MEMBER) == []


def test_outputs_are_the_register_flag_values(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(bucket_name="acme-anyscale")))
    assert result.one(BUCKET).inputs["name"] == "acme-anyscale"
    outputs = component_outputs(result)
    assert outputs["bucket_name"] == "acme-anyscale"
    assert outputs["bucket_url"] == "gs://acme-anyscale"  # --cloud-storage-bucket-name


def test_both_accounts_get_object_admin_and_legacy_bucket_reader(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(bucket_name="acme-anyscale")))
    bucket = result.one(BUCKET)
    grants = {m.name: (m.inputs["bucket"], m.inputs["role"], m.inputs["member"]) for m in result.by_type(MEMBER)}
    assert grants == {
        "c-access-object-admin": ("acme-anyscale", "roles/storage.objectAdmin", f"serviceAccount:{ACCESS}"),
        "c-access-legacy-bucket-reader": ("acme-anyscale", "roles/storage.legacyBucketReader", f"serviceAccount:{ACCESS}"),
        "c-instance-object-admin": ("acme-anyscale", "roles/storage.objectAdmin", f"serviceAccount:{NODES}"),
        "c-instance-legacy-bucket-reader": ("acme-anyscale", "roles/storage.legacyBucketReader", f"serviceAccount:{NODES}"),
    }
    assert all(m.deleted_with == bucket.urn and m.protect is False for m in result.by_type(MEMBER))


def test_account_emails_may_be_outputs(gcp_preview):
    def program():
        AnyscaleGcsBucket(
            "c",
            AnyscaleGcsBucketArgs(
                region="us-central1",
                access_service_account_email=pulumi.Output.from_input(ACCESS),
                instance_service_account_email=pulumi.Output.from_input(NODES),
            ),
        )

    result = gcp_preview(program)
    assert {m.inputs["member"] for m in result.by_type(MEMBER)} == {f"serviceAccount:{ACCESS}", f"serviceAccount:{NODES}"}


def test_missing_accounts_are_advised_not_granted(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", AnyscaleGcsBucketArgs(region="us-central1", access_service_account_email=ACCESS)))
    assert {m.name for m in result.by_type(MEMBER)} == {"c-access-object-admin", "c-access-legacy-bucket-reader"}
    assert any("instance_service_account_email is not set" in w for w in result.warnings)
    assert not any("access_service_account_email is not set" in w for w in result.warnings)


def test_labels_and_cloud_id(gcp_preview):
    args = both_accounts(labels={"team": "ml", "managed-by": "platform"}, cloud_id="cld_AbC123")
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", args))
    assert result.one(BUCKET).inputs["labels"] == {"managed-by": "platform", "team": "ml", "anyscale-cloud-id": "cld_abc123"}


def test_protect_can_be_turned_off_and_force_destroy_on(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(protect=False, force_destroy=True)))
    bucket = result.one(BUCKET)
    assert bucket.protect is False
    assert bucket.inputs["forceDestroy"] is True


def test_versioning_off_drops_the_noncurrent_rule_and_warns(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(versioning=False)))
    inputs = result.one(BUCKET).inputs
    assert inputs["versioning"] == {"enabled": False}
    assert inputs["lifecycleRules"] == [{"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}}]
    assert any("versioning is off" in w for w in result.warnings)


def test_noncurrent_versions_can_be_kept_forever(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(noncurrent_version_expiration_days=None)))
    assert [r["action"]["type"] for r in result.one(BUCKET).inputs["lifecycleRules"]] == ["AbortIncompleteMultipartUpload"]


def test_lifecycle_days_limits():
    assert both_accounts(noncurrent_version_expiration_days=1).noncurrent_version_expiration_days == 1
    assert both_accounts(abort_incomplete_multipart_upload_days=1).abort_incomplete_multipart_upload_days == 1
    for field in ("noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days"):
        error = args_error(region="us-central1", **{field: 0})
        assert error.fields == [field]
        assert "greater than or equal to 1" in str(error)


def test_noncurrent_expiration_needs_versioning():
    error = args_error(region="us-central1", versioning=False, noncurrent_version_expiration_days=10)
    assert error.fields == ["noncurrent_version_expiration_days"]
    assert "needs versioning=True" in str(error)


def test_callers_provider_is_used(gcp_preview):
    def program():
        provider = gcp.Provider("other", project="acme-other", region="us-central1")
        AnyscaleGcsBucket("c", both_accounts(), opts=pulumi.ResourceOptions(provider=provider))

    result = gcp_preview(program)
    provider_urn = result.one("pulumi:providers:gcp").urn
    custom = [r for r in result.resources if r.custom and r.type != "pulumi:providers:gcp"]
    assert custom and all(r.provider and r.provider.startswith(provider_urn) for r in custom)


# --- Location -------------------------------------------------------------------------------
def test_multi_region_containing_the_region(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(location="us")))
    assert result.one(BUCKET).inputs["location"] == "US"


def test_configurable_dual_region(gcp_preview):
    args = both_accounts(location="US", dual_region_data_locations=["us-central1", "us-east1"])
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", args))
    inputs = result.one(BUCKET).inputs
    assert inputs["location"] == "US"
    assert inputs["customPlacementConfig"] == {"dataLocations": ["US-CENTRAL1", "US-EAST1"]}


def test_the_region_itself_in_any_case(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(location="US-CENTRAL1")))
    assert result.one(BUCKET).inputs["location"] == "US-CENTRAL1"


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        ({"location": "us-east1"}, "location", "is not the cloud's region us-central1"),
        ({"location": "EU"}, "location", "multi-region EU does not contain the cloud's region us-central1"),
        ({"location": "NAM4"}, "location", "predefined dual-regions like NAM4"),
        ({"location": "US", "dual_region_data_locations": ["us-east1", "us-east4"]}, "dual_region_data_locations", "does not contain the cloud's region"),
        ({"location": "US", "dual_region_data_locations": ["us-central1"]}, "dual_region_data_locations", "exactly two different regions"),
        ({"location": "US", "dual_region_data_locations": ["us-central1", "US-CENTRAL1"]}, "dual_region_data_locations", "exactly two different regions"),
        ({"location": "US", "dual_region_data_locations": ["us-central1", "europe-west4"]}, "dual_region_data_locations", "are not in multi-region US"),
        ({"dual_region_data_locations": ["us-central1", "us-east1"]}, "location", "needs location set to its multi-region"),
        ({"location": "us-central1", "dual_region_data_locations": ["us-central1", "us-east1"]}, "dual_region_data_locations", "need a multi-region location"),
    ],
)
def test_location_rules(kwargs, field, phrase):
    error = args_error(region="us-central1", **kwargs)
    assert error.fields == [field]
    assert phrase in str(error)


def test_region_is_required_for_a_new_bucket(gcp_preview):
    """AnyscaleGcpCloud fills it in, so the args build without it; the component refuses."""
    from anyscale_infra.preview.engine import ProgramError

    args = AnyscaleGcsBucketArgs()
    assert [p.field for p in args.wiring_problems()] == ["region"]
    with pytest.raises(ProgramError) as info:
        gcp_preview(lambda: AnyscaleGcsBucket("b", args))
    assert info.value.kind == "validation" and info.value.cause.fields == ["region"]
    assert "is required for a new bucket" in str(info.value.cause)
    assert AnyscaleGcsBucketArgs(existing_bucket_name="their-data").wiring_problems() == []


def test_bucket_location_pure():
    assert bucket_location("europe-west4") == ("EUROPE-WEST4", None)
    assert bucket_location("europe-west4", "eu") == ("EU", None)
    assert bucket_location("asia-northeast1", "ASIA", ["asia-northeast1", "asia-northeast2"]) == (
        "ASIA",
        ["ASIA-NORTHEAST1", "ASIA-NORTHEAST2"],
    )


# --- CMEK -----------------------------------------------------------------------------------
def test_cmek_sets_the_default_key_and_grants_the_storage_agent(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(kms_key_name=KEY)))
    bucket = result.one(BUCKET)
    grant = result.one(KEY_MEMBER)
    assert bucket.inputs["encryption"] == {"defaultKmsKeyName": KEY}
    assert grant.name == "c-kms-storage-agent"
    assert grant.inputs["cryptoKeyId"] == KEY
    assert grant.inputs["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert GCS_AGENT.match(grant.inputs["member"]), grant.inputs["member"]
    assert grant.urn in bucket.dependencies  # the grant exists before the bucket is created
    assert component_outputs(result)["kms_key_name"] == KEY
    # Our service accounts need nothing on the key: Cloud Storage encrypts for them.
    assert all(m.inputs["role"].startswith("roles/storage.") for m in result.by_type(MEMBER))


def test_cmek_without_our_grant(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(kms_key_name=KEY, grant_kms_key_to_storage_agent=False)))
    assert result.one(BUCKET).inputs["encryption"] == {"defaultKmsKeyName": KEY}
    assert result.by_type(KEY_MEMBER) == []


def test_cmek_key_in_a_multi_region(gcp_preview):
    key = "projects/acme-kms/locations/us/keyRings/anyscale/cryptoKeys/bucket"
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(location="US", kms_key_name=key)))
    assert result.one(BUCKET).inputs["encryption"] == {"defaultKmsKeyName": key}


def test_cmek_key_must_be_in_the_buckets_location():
    key = "projects/acme-kms/locations/us-east1/keyRings/anyscale/cryptoKeys/bucket"
    error = args_error(region="us-central1", kms_key_name=key)
    assert error.fields == ["kms_key_name"]
    assert "key is in us-east1 but the bucket is in us-central1" in str(error)


def test_cmek_key_name_format():
    error = args_error(region="us-central1", kms_key_name="projects/acme-kms/keyRings/anyscale/cryptoKeys/bucket")
    assert error.fields == ["kms_key_name"]
    assert "is not a Cloud KMS key name" in str(error)


# --- Bring your own -------------------------------------------------------------------------
def test_existing_bucket_only_gets_the_grants(gcp_preview):
    args = AnyscaleGcsBucketArgs(
        existing_bucket_name="gs://acme-data", access_service_account_email=ACCESS, instance_service_account_email=NODES
    )
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", args))
    assert result.by_type(BUCKET) == [] and result.by_type(KEY_MEMBER) == []
    members = result.by_type(MEMBER)
    assert len(members) == 4
    assert {m.inputs["bucket"] for m in members} == {"acme-data"}
    assert all(m.deleted_with is None for m in members)
    outputs = component_outputs(result)
    assert outputs["bucket_name"] == "acme-data" and outputs["bucket_url"] == "gs://acme-data"


@pytest.mark.parametrize(
    "field, value",
    [
        ("bucket_name", "other-bucket"),
        ("location", "US"),
        ("kms_key_name", KEY),
        ("versioning", False),
        ("abort_incomplete_multipart_upload_days", 3),
        ("cors_allowed_origins", ["https://*.anyscale.com"]),
        ("force_destroy", True),
    ],
)
def test_existing_bucket_conflicts(field, value):
    error = args_error(existing_bucket_name="acme-data", **{field: value})
    assert field in error.fields
    assert f"only one of existing_bucket_name and {field} can be specified" in str(error)


# --- Names, accounts, CORS origins ----------------------------------------------------------
@pytest.mark.parametrize("field", ["bucket_name", "existing_bucket_name"])
def test_bucket_name_rules(field):
    error = args_error(region="us-central1", **{field: "Acme_Bucket"})
    assert error.fields == [field]
    assert "Cloud Storage naming rules" in str(error)


def test_auto_name_from_an_invalid_component_name(gcp_preview):
    error = deploy_error(gcp_preview, lambda: AnyscaleGcsBucket("MyCloud", both_accounts()))
    assert error.fields == ["bucket_name"]
    assert "auto-name from component name 'MyCloud' is invalid" in str(error)


@pytest.mark.parametrize("field", ["access_service_account_email", "instance_service_account_email"])
def test_service_account_emails(field):
    error = args_error(region="us-central1", **{field: "serviceAccount:anyscale@acme-ml-prod.iam.gserviceaccount.com"})
    assert error.fields == [field]
    assert "is not a service account email" in str(error)


def test_cors_origins():
    assert args_error(region="us-central1", cors_allowed_origins=[]).fields == ["cors_allowed_origins"]
    error = args_error(region="us-central1", cors_allowed_origins=["http://console.example.com"])
    assert error.fields == ["cors_allowed_origins"]
    assert "must start with https://" in str(error)


def test_cors_without_the_console_origin_warns(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(cors_allowed_origins=["https://console.example.com"])))
    assert result.one(BUCKET).inputs["cors"][0]["origins"] == ["https://console.example.com"]
    assert any("does not allow https://*.anyscale.com" in w for w in result.warnings)


def test_label_and_cloud_id_rules():
    assert args_error(region="us-central1", labels={"Team": "ml"}).fields == ["labels"]
    assert args_error(region="us-central1", cloud_id="abc").fields == ["cloud_id"]


def test_unknown_argument_is_an_error():
    error = args_error(region="us-central1", public_access_prevention="inherited")
    assert error.fields == ["public_access_prevention"]
    assert "is not a known argument" in str(error)


# --- Pure builders --------------------------------------------------------------------------
def test_cors_rule_builders():
    rule = anyscale_cors_rule()
    assert rule == {
        "origin": ["https://*.anyscale.com"],
        "method": ["GET", "PUT", "POST", "HEAD", "DELETE"],
        "responseHeader": ["*", "Accept-Ranges", "Content-Range", "Content-Length"],
        "maxAgeSeconds": 3600,
    }
    assert cors_rule_to_args(rule) == {
        "origins": ["https://*.anyscale.com"],
        "methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
        "response_headers": ["*", "Accept-Ranges", "Content-Range", "Content-Length"],
        "max_age_seconds": 3600,
    }
    assert cors_rule_from_inputs(CORS_INPUT) == rule
    assert anyscale_cors_rule(["https://a.example.com"], 60)["origin"] == ["https://a.example.com"]
    assert anyscale_cors_rule(["https://a.example.com"], 60)["maxAgeSeconds"] == 60


def test_lifecycle_rules_builder():
    assert lifecycle_rules(5, 2) == [
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 2}},
        {"action": {"type": "Delete"}, "condition": {"days_since_noncurrent_time": 5}},
    ]


# --- Contract: the CLI's own checks on what we plan ----------------------------------------
def _cli_cors_origin() -> str:
    from anyscale.shared_anyscale_utils.conf import ANYSCALE_CORS_ORIGIN

    # The CLI derives its origin from ANYSCALE_HOST; the contract is the production console's.
    assert ANYSCALE_CORS_ORIGIN == "https://*.anyscale.com"
    return ANYSCALE_CORS_ORIGIN


def _api_cors(inputs: dict) -> dict:
    """A recorded ``cors`` entry in the Cloud Storage JSON API shape, written out here (not
    with the library's converter) so a slip in either shows."""
    return {
        "origin": inputs["origins"],
        "method": inputs["methods"],
        "responseHeader": inputs["responseHeaders"],
        "maxAgeSeconds": inputs["maxAgeSeconds"],
    }


def test_cli_accepts_our_cors_rule(gcp_preview):
    from anyscale.gcp_verification import check_gcp_cors_rules

    _cli_cors_origin()
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts()))
    planned = [_api_cors(rule) for rule in result.one(BUCKET).inputs["cors"]]
    assert check_gcp_cors_rules(planned) == (True, "CORS already configured correctly")
    assert check_gcp_cors_rules([anyscale_cors_rule()])[0] is True


def test_cli_rejects_a_rule_without_response_header_star():
    from anyscale.gcp_verification import check_gcp_cors_rules

    _cli_cors_origin()
    rule = anyscale_cors_rule()
    rule["responseHeader"] = ["Accept-Ranges", "Content-Range", "Content-Length"]
    assert check_gcp_cors_rules([rule]) == (False, "CORS missing required responseHeader for file viewer")
    assert check_gcp_cors_rules([])[0] is False


def _bindings(result) -> list:
    """Our planned grants as the IAM policy Google would return (one binding per role)."""
    from google.iam.v1.policy_pb2 import Binding

    members: dict[str, list[str]] = {}
    for grant in result.by_type(MEMBER):
        members.setdefault(grant.inputs["role"], []).append(grant.inputs["member"])
    return [Binding(role=role, members=sorted(who)) for role, who in sorted(members.items())]


def test_cli_accepts_both_accounts_on_the_bucket(gcp_preview):
    from anyscale.gcp_verification import _verify_service_account_on_bucket

    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts()))
    bindings = _bindings(result)
    assert _verify_service_account_on_bucket(f"serviceAccount:{ACCESS}", bindings) is True
    assert _verify_service_account_on_bucket(f"serviceAccount:{NODES}", bindings) is True
    assert _verify_service_account_on_bucket("serviceAccount:someone@acme-ml-prod.iam.gserviceaccount.com", bindings) is False
    # Both roles are needed: objectAdmin alone lacks storage.buckets.get.
    only_object_admin = [b for b in bindings if b.role == "roles/storage.objectAdmin"]
    assert _verify_service_account_on_bucket(f"serviceAccount:{ACCESS}", only_object_admin) is False


def _api_bucket(name: str, inputs: dict, bindings: list) -> object:
    """The planned bucket as google-cloud-storage would read it back from the JSON API."""
    from google.api_core.iam import Policy
    from google.cloud.storage import Client
    from google.cloud.storage.bucket import Bucket

    placement = inputs.get("customPlacementConfig")
    location = inputs["location"]
    kind = "dual-region" if placement else ("multi-region" if location in ("US", "EU", "ASIA") else "region")
    resource = {
        "name": name,
        "location": location,
        "locationType": kind,
        "iamConfiguration": {
            "uniformBucketLevelAccess": {"enabled": inputs["uniformBucketLevelAccess"]},
            "publicAccessPrevention": inputs["publicAccessPrevention"],
        },
        "cors": [_api_cors(rule) for rule in inputs["cors"]],
    }
    if placement:
        resource["customPlacementConfig"] = {"dataLocations": placement["dataLocations"]}
    bucket = Bucket(Client.create_anonymous_client(), name=name)
    bucket._set_properties(resource)  # what the library does with a get_bucket response
    policy = Policy.from_api_repr({"bindings": [{"role": b.role, "members": list(b.members)} for b in bindings]})
    bucket.get_iam_policy = lambda *a, **k: policy  # type: ignore[method-assign]
    return bucket


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"location": "US"}, {"location": "US", "dual_region_data_locations": ["us-central1", "us-east1"]}],
    ids=["region", "multi-region", "dual-region"],
)
def test_cli_verify_cloud_storage_passes_strict(gcp_preview, kwargs):
    """The verifier's whole storage check, in strict mode, on the bucket we plan."""
    from anyscale.gcp_verification import verify_cloud_storage

    _cli_cors_origin()
    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts(**kwargs)))
    planned = result.one(BUCKET)
    name, inputs = planned.outputs["name"], planned.inputs
    bucket = _api_bucket(name, inputs, _bindings(result))
    client = mock.Mock()
    client.get_bucket.return_value = bucket
    factory = SimpleNamespace(storage=SimpleNamespace(Client=lambda project: client))
    logger = mock.MagicMock()
    ok = verify_cloud_storage(factory, name, ACCESS, NODES, "acme-ml-prod", "us-central1", logger, strict=True)
    assert ok is True
    logger.internal.warning.assert_not_called()
    logger.confirm_missing_permission.assert_not_called()


def test_cli_verify_cloud_storage_warns_about_another_region(gcp_preview):
    """The same check fails strict for a bucket in another region: what `location` refuses."""
    from anyscale.gcp_verification import verify_cloud_storage

    result = gcp_preview(lambda: AnyscaleGcsBucket("c", both_accounts()))
    planned = result.one(BUCKET)
    inputs = {**planned.inputs, "location": "US-EAST1"}
    client = mock.Mock()
    client.get_bucket.return_value = _api_bucket(planned.outputs["name"], inputs, _bindings(result))
    factory = SimpleNamespace(storage=SimpleNamespace(Client=lambda project: client))
    assert verify_cloud_storage(factory, planned.outputs["name"], ACCESS, NODES, "acme-ml-prod", "us-central1", mock.MagicMock(), strict=True) is False


# --- Shape of the module --------------------------------------------------------------------
def documented_fields(model: type) -> dict[str, str]:
    """Each field's docstring (the string literal right after its annotation)."""
    import ast
    import inspect

    body = ast.parse(inspect.getsource(model)).body[0].body  # type: ignore[attr-defined]
    return {
        node.target.id: body[i + 1].value.value
        for i, node in enumerate(body[:-1])
        if isinstance(node, ast.AnnAssign)
        and isinstance(body[i + 1], ast.Expr)
        and isinstance(body[i + 1].value, ast.Constant)
    }


def test_every_argument_is_documented():
    documented = documented_fields(AnyscaleGcsBucketArgs)
    assert set(documented) == set(AnyscaleGcsBucketArgs.model_fields)
    for field, doc in documented.items():
        assert re.search(r"Optional|Required|Defaults to", doc), field


def test_pure_parts_import_no_cloud_sdk():
    """The policy pack reuses these builders and rules without pulumi-gcp installed."""
    import subprocess
    import sys

    code = (
        "import sys, anyscale_infra.gcp.storage, anyscale_infra.gcp.filestore, anyscale_infra.gcp.memorystore; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'pulumi_gcp', 'pulumi_aws', 'pulumi_azure_native', 'pulumi_kubernetes'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""AnyscaleGkeOperatorIdentity: the operator's own Google service account, its Workload
Identity member (exactly the CLI's), token creator on itself, the least-privilege bucket roles
the verifier accepts, bring-your-own, and bad input naming the field."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp.operator_identity import (
    AnyscaleGkeOperatorIdentity,
    AnyscaleGkeOperatorIdentityArgs,
    account_resource_name,
    operator_account_roles,
    operator_bucket_roles,
    workload_identity_member,
    workload_pool,
)
from anyscale_infra.preview.engine import run_function

PROJECT = "acme-ml-prod"
REGION = "us-central1"

ACCOUNT = "gcp:serviceaccount/account:Account"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
EMAIL = "anyscale-operator@acme-ml-prod.iam.gserviceaccount.com"
CONFIG = {"gcp:project": PROJECT, "gcp:region": REGION}


def build(**args):
    return run_function(lambda: AnyscaleGkeOperatorIdentity("c", AnyscaleGkeOperatorIdentityArgs(**args)), config=CONFIG)


@pytest.fixture(scope="module")
def new_account():
    return build(project_id=PROJECT, bucket_name="acme-ml-anyscale")


# --- pure builders ------------------------------------------------------------------------------
def test_the_member_is_the_operators_kubernetes_service_account_in_the_projects_pool():
    assert workload_pool("acme-ml-prod") == "acme-ml-prod.svc.id.goog"
    # Exactly what the CLI's setup binds (setup_k8s._setup_gcp_infrastructure) and its gcloud hint prints.
    assert workload_identity_member("acme-ml-prod") == "serviceAccount:acme-ml-prod.svc.id.goog[anyscale-operator/anyscale-operator]"
    assert workload_identity_member("acme-ml-prod", "ml-team", "op") == "serviceAccount:acme-ml-prod.svc.id.goog[ml-team/op]"


def test_the_bucket_roles_are_the_verifiers_most_brief_set_not_storage_admin():
    roles = operator_bucket_roles()
    assert roles == ("roles/storage.legacyBucketReader", "roles/storage.objectAdmin")
    assert frozenset(roles) in c.VERIFIER_BUCKET_ROLE_SETS
    assert c.BUCKET_ADMIN_ROLE not in roles  # the CLI's setup grants storage.admin; ours is narrower


def test_the_account_grants_are_workload_identity_and_token_creator_on_itself():
    assert operator_account_roles() == {"roles/iam.workloadIdentityUser": "kubernetes", "roles/iam.serviceAccountTokenCreator": "self"}
    assert operator_account_roles(token_creator=False) == {"roles/iam.workloadIdentityUser": "kubernetes"}
    assert account_resource_name(EMAIL) == f"projects/acme-ml-prod/serviceAccounts/{EMAIL}"
    assert account_resource_name("123-compute@developer.gserviceaccount.com") == (
        "projects/-/serviceAccounts/123-compute@developer.gserviceaccount.com"
    )


# --- the component ----------------------------------------------------------------------------------
def test_a_new_account_with_its_workload_identity_member(new_account):
    account = new_account.one(ACCOUNT)
    assert (account.inputs["accountId"], account.inputs["project"]) == ("anyscale-operator", PROJECT)
    assert account.outputs["email"] == EMAIL
    members = {m.inputs["role"]: m for m in new_account.by_type(SA_MEMBER)}
    assert set(members) == {"roles/iam.workloadIdentityUser", "roles/iam.serviceAccountTokenCreator"}
    wi = members["roles/iam.workloadIdentityUser"]
    assert wi.inputs["member"] == "serviceAccount:acme-ml-prod.svc.id.goog[anyscale-operator/anyscale-operator]"
    assert wi.inputs["serviceAccountId"] == f"projects/{PROJECT}/serviceAccounts/{EMAIL}"
    creator = members["roles/iam.serviceAccountTokenCreator"]
    assert (creator.inputs["member"], creator.inputs["serviceAccountId"]) == (f"serviceAccount:{EMAIL}", wi.inputs["serviceAccountId"])
    # Owned by the account: deleting it deletes its members.
    assert all(m.deleted_with == account.urn for m in members.values())
    assert new_account.warnings == []


def test_the_bucket_grants_only_the_operators_account_and_the_verifier_accepts_them(new_account):
    from anyscale.gcp_verification import _verify_service_account_on_bucket
    from google.iam.v1.policy_pb2 import Binding

    grants = new_account.by_type(BUCKET_MEMBER)
    assert {(g.inputs["bucket"], g.inputs["role"], g.inputs["member"]) for g in grants} == {
        ("acme-ml-anyscale", "roles/storage.legacyBucketReader", f"serviceAccount:{EMAIL}"),
        ("acme-ml-anyscale", "roles/storage.objectAdmin", f"serviceAccount:{EMAIL}"),
    }
    bindings = [Binding(role=g.inputs["role"], members=[g.inputs["member"]]) for g in grants]
    assert _verify_service_account_on_bucket(f"serviceAccount:{EMAIL}", bindings) is True


def test_a_namespace_and_a_given_pool_name_the_member():
    result = build(project_id=PROJECT, namespace="ml-team", workload_pool="acme-gke-host.svc.id.goog", bucket_name="b-ucket")
    wi = next(m for m in result.by_type(SA_MEMBER) if m.inputs["role"] == "roles/iam.workloadIdentityUser")
    assert wi.inputs["member"] == "serviceAccount:acme-gke-host.svc.id.goog[ml-team/anyscale-operator]"


def test_an_existing_account_is_granted_but_not_created():
    email = "ml-operator@acme-ml-prod.iam.gserviceaccount.com"
    result = build(project_id=PROJECT, existing_service_account_email=email, bucket_name="acme-ml-anyscale", grant_token_creator=False)
    assert result.by_type(ACCOUNT) == []
    (wi,) = result.by_type(SA_MEMBER)
    assert (wi.inputs["role"], wi.inputs["serviceAccountId"]) == ("roles/iam.workloadIdentityUser", f"projects/{PROJECT}/serviceAccounts/{email}")
    assert len(result.by_type(BUCKET_MEMBER)) == 2
    untouched = build(project_id=PROJECT, existing_service_account_email=email, grant_existing_account=False)
    assert untouched.by_type(SA_MEMBER) == [] and untouched.by_type(BUCKET_MEMBER) == []
    assert untouched.warnings == []


def test_no_bucket_means_no_bucket_access_and_a_warning():
    result = build(project_id=PROJECT)
    assert result.by_type(BUCKET_MEMBER) == []
    assert any("bucket_name is not set" in w for w in result.warnings)


@pytest.mark.parametrize(
    "args, field, needle",
    [
        ({"namespace": "Anyscale_Operator"}, "namespace", "is not an RFC 1123 label"),
        ({"existing_service_account_email": "arn:aws:iam::123456789012:role/anyscale-operator"}, "existing_service_account_email",
         "is an ARN; on GCP the operator's identity is a service account email"),
        ({"existing_service_account_email": EMAIL, "service_account_id": "other-operator"}, "service_account_id", "only one of"),
        ({"grant_existing_account": False}, "grant_existing_account", "needs existing_service_account_email"),
        ({"service_account_id": "op"}, "service_account_id", "6 to 30"),
        ({"workload_pool": "acme-ml-prod"}, "workload_pool", "is not a GKE Workload Identity pool"),
        ({"bucket_name": "gs://Bad"}, "bucket_name", "Cloud Storage naming rules"),
        ({"kubernetes_service_account": "Op"}, "kubernetes_service_account", "RFC 1123 subdomain"),
    ],
)
def test_bad_input_names_the_field(args, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeOperatorIdentityArgs(**args)
    assert info.value.fields == [field]
    assert needle in str(info.value)


# --- properties ---------------------------------------------------------------------------------------
_projects = st.from_regex(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", fullmatch=True)
_labels = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True)


@given(project=_projects, namespace=_labels, account=_labels)
def test_the_member_always_names_one_project_pool_namespace_and_account(project, namespace, account):
    member = workload_identity_member(project, namespace, account)
    match = re.fullmatch(r"serviceAccount:(?P<pool>[^\[\]]+)\[(?P<ns>[^/\]]+)/(?P<ksa>[^\]]+)\]", member)
    assert match is not None
    assert (match["pool"], match["ns"], match["ksa"]) == (f"{project}.svc.id.goog", namespace, account)
    # The args accept what the builder takes (the validators and the builder agree).
    AnyscaleGkeOperatorIdentityArgs(project_id=project, namespace=namespace, kubernetes_service_account=account)

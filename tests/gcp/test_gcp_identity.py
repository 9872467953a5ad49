"""AnyscaleGcpIdentity on the mock engine: the pool and provider (condition, mapping, AWS
account), the two service accounts, the custom role and every grant, in each mode (new,
existing accounts, existing provider), the outputs the CLI takes, and every argument error.

Expected values are literals. The preview project is acme-ml-prod, whose stand-in project
NUMBER (preview/mocks/gcp.py) is 364490735216.
"""

from __future__ import annotations

import re

import pulumi
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.gcp import AnyscaleGcpIdentity, AnyscaleGcpIdentityArgs

ORG = "org_7c1Kalm9WcX2bNIjW53GUT"
NUMBER = "364490735216"
ACCESS = "anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
INSTANCE = "anyscale-cluster@acme-ml-prod.iam.gserviceaccount.com"
ACCESS_NAME = f"projects/acme-ml-prod/serviceAccounts/{ACCESS}"
INSTANCE_NAME = f"projects/acme-ml-prod/serviceAccounts/{INSTANCE}"
POOL = f"projects/{NUMBER}/locations/global/workloadIdentityPools/anyscale-access-pool"
PROVIDER = f"{POOL}/providers/anyscale-access"
ROLE_ARN = "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT"
PRINCIPAL = f"principalSet://iam.googleapis.com/{POOL}/attribute.aws_role/{ROLE_ARN}"
CONDITION = f'attribute.aws_role == "{ROLE_ARN}" && google.subject.startsWith("{ROLE_ARN}/")'
#: An existing provider in a dedicated identity project (the anchor's existing-federation example).
EXISTING_PROVIDER = "projects/987654321098/locations/global/workloadIdentityPools/shared-pool/providers/anyscale"
EXISTING_POOL = "projects/987654321098/locations/global/workloadIdentityPools/shared-pool"
EXISTING_ACCESS = "legacy-access@acme-ml-prod.iam.gserviceaccount.com"
EXISTING_INSTANCE = "legacy-nodes@acme-ml-prod.iam.gserviceaccount.com"
CLI_PROVIDER_NAME_REGEX = r"projects\/[0-9]*\/locations\/global\/workloadIdentityPools\/.+\/providers\/[a-z0-9-]*$"

POOL_T = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
PROVIDER_T = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
ACCOUNT_T = "gcp:serviceaccount/account:Account"
SA_MEMBER_T = "gcp:serviceaccount/iAMMember:IAMMember"
PROJECT_MEMBER_T = "gcp:projects/iAMMember:IAMMember"
ROLE_T = "gcp:projects/iAMCustomRole:IAMCustomRole"

OUTPUTS = (
    "access_service_account_email",
    "access_service_account_member",
    "instance_service_account_email",
    "instance_service_account_member",
    "provider_name",
    "pool_name",
    "workload_identity_principal",
    "access_role_id",
)


def _run(gcp_preview, **kwargs):
    def program():
        identity = AnyscaleGcpIdentity("anyscale", AnyscaleGcpIdentityArgs(**kwargs))
        for output in OUTPUTS:
            pulumi.export(output, getattr(identity, output))

    return gcp_preview(program)


def _sa_members(result):
    return {(r.inputs["serviceAccountId"], r.inputs["role"], r.inputs["member"]) for r in result.by_type(SA_MEMBER_T)}


def _project_members(result):
    return {(r.inputs["project"], r.inputs["role"], r.inputs["member"]) for r in result.by_type(PROJECT_MEMBER_T)}


def _custom(result):
    return sorted((r.type, r.name) for r in result.resources if r.custom)


# --- the default: everything new ------------------------------------------------------------
def test_default_creates_pool_provider_accounts_role_and_grants(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    assert _custom(result) == sorted([
        (POOL_T, "anyscale-pool"),
        (PROVIDER_T, "anyscale-provider"),
        (ACCOUNT_T, "anyscale-access"),
        (ACCOUNT_T, "anyscale-instance"),
        (ROLE_T, "anyscale-access-role"),
        (PROJECT_MEMBER_T, "anyscale-access-custom-role"),
        (PROJECT_MEMBER_T, "anyscale-instance-artifactregistry.reader"),
        (SA_MEMBER_T, "anyscale-access-token-creator"),
        (SA_MEMBER_T, "anyscale-access-workload-identity-user"),
        (SA_MEMBER_T, "anyscale-instance-access-user"),
    ])
    (component,) = result.by_type("anyscale-infra:index:AnyscaleGcpIdentity")
    assert {r.parent for r in result.resources if r.custom} == {component.urn}


def test_pool_and_provider_arguments(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    pool = result.one(POOL_T)
    assert pool.inputs == {
        "project": "acme-ml-prod",
        "workloadIdentityPoolId": "anyscale-access-pool",
        "displayName": "Anyscale control plane",
        "description": "Anyscale's control plane (AWS account 525325868955) acting in this project",
    }
    provider = result.one(PROVIDER_T)
    assert provider.inputs == {
        "project": "acme-ml-prod",
        "workloadIdentityPoolId": "anyscale-access-pool",
        "workloadIdentityPoolProviderId": "anyscale-access",
        "displayName": "Anyscale control plane",
        "description": "Anyscale's AWS role gcp_if_<org id> for organization org_7c1Kalm9WcX2bNIjW53GUT, and only that role",
        "aws": {"accountId": "525325868955"},
        "attributeMapping": {
            "google.subject": "assertion.arn",
            "attribute.aws_role": (
                "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') "
                "+ 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
            ),
            "attribute.arn": "assertion.arn",
        },
        "attributeCondition": CONDITION,
    }
    assert provider.deleted_with == pool.urn


def test_service_accounts(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    accounts = {r.name: r.inputs for r in result.by_type(ACCOUNT_T)}
    assert accounts == {
        "anyscale-access": {
            "project": "acme-ml-prod",
            "accountId": "anyscale-access",
            "displayName": "Anyscale access (control plane)",
            "description": "Impersonated by Anyscale's control plane through workload identity federation",
        },
        "anyscale-instance": {
            "project": "acme-ml-prod",
            "accountId": "anyscale-cluster",
            "displayName": "Anyscale cluster nodes",
            "description": "Anyscale cluster nodes run as this account",
        },
    }


def test_grants(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    assert _sa_members(result) == {
        # verifier: signBlob on itself, for log download
        (ACCESS_NAME, "roles/iam.serviceAccountTokenCreator", f"serviceAccount:{ACCESS}"),
        # Anyscale's role for this organization, and only it (not the anchor's pool-wide /*)
        (ACCESS_NAME, "roles/iam.workloadIdentityUser", PRINCIPAL),
        # the access account launches VMs as the instance account
        (INSTANCE_NAME, "roles/iam.serviceAccountUser", f"serviceAccount:{ACCESS}"),
    }
    assert _project_members(result) == {
        ("acme-ml-prod", "projects/acme-ml-prod/roles/anyscale_access", f"serviceAccount:{ACCESS}"),
        ("acme-ml-prod", "roles/artifactregistry.reader", f"serviceAccount:{INSTANCE}"),
    }


def test_custom_role(gcp_preview):
    role = _run(gcp_preview, org_id=ORG).one(ROLE_T)
    permissions = role.inputs.pop("permissions")
    assert role.inputs == {
        "project": "acme-ml-prod",
        "roleId": "anyscale_access",
        "title": "Anyscale access (control plane)",
        "description": "Least-privilege role of Anyscale's control plane (anyscale_infra.gcp.roles)",
        "stage": "GA",
    }
    assert len(permissions) == 143 and permissions == sorted(permissions)
    assert {"compute.instances.create", "compute.instances.setServiceAccount", "compute.subnetworks.use",
            "certificatemanager.certs.create", "compute.networkEndpointGroups.attachNetworkEndpoints"} <= set(permissions)
    assert not [p for p in permissions if p.startswith(("storage.", "iam.", "resourcemanager."))]


def test_project_wide_storage_read(gcp_preview):
    permissions = _run(gcp_preview, org_id=ORG, project_wide_storage_read=True).one(ROLE_T).inputs["permissions"]
    assert [p for p in permissions if p.startswith("storage.")] == [
        "storage.buckets.get", "storage.folders.get", "storage.folders.list", "storage.objects.get", "storage.objects.list"]


def test_outputs_are_what_cloud_register_takes(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    assert result.outputs == {
        "access_service_account_email": ACCESS,
        "access_service_account_member": f"serviceAccount:{ACCESS}",
        "instance_service_account_email": INSTANCE,
        "instance_service_account_member": f"serviceAccount:{INSTANCE}",
        "provider_name": PROVIDER,
        "pool_name": POOL,
        "workload_identity_principal": PRINCIPAL,
        "access_role_id": "projects/acme-ml-prod/roles/anyscale_access",
    }
    # --provider-name with the project NUMBER passes the verifier's own check.
    assert re.search(CLI_PROVIDER_NAME_REGEX, result.outputs["provider_name"])
    (component,) = result.by_type("anyscale-infra:index:AnyscaleGcpIdentity")
    assert result.component_outputs[component.urn] == result.outputs


def test_account_level_members_go_with_their_account_and_project_level_ones_do_not(gcp_preview):
    result = _run(gcp_preview, org_id=ORG)
    accounts = {r.name: r.urn for r in result.by_type(ACCOUNT_T)}
    deleted_with = {r.name: r.deleted_with for r in result.by_type(SA_MEMBER_T) + result.by_type(PROJECT_MEMBER_T)}
    assert deleted_with == {
        "anyscale-access-token-creator": accounts["anyscale-access"],
        "anyscale-access-workload-identity-user": accounts["anyscale-access"],
        "anyscale-instance-access-user": accounts["anyscale-instance"],
        "anyscale-access-custom-role": None,
        "anyscale-instance-artifactregistry.reader": None,
    }


def test_names_and_project_are_the_callers(gcp_preview):
    result = _run(
        gcp_preview, org_id=ORG, project_id="other-proj-42", pool_id="anyscale-pool-2", provider_id="cp-2",
        pool_display_name="Anyscale (team B)", access_service_account_id="team-b-access",
        instance_service_account_id="team-b-nodes", access_role_id="teamB.access",
    )
    assert {r.inputs["project"] for r in result.resources if r.custom and "project" in r.inputs} == {"other-proj-42"}
    assert result.outputs["provider_name"].endswith("/workloadIdentityPools/anyscale-pool-2/providers/cp-2")
    assert result.outputs["access_service_account_email"] == "team-b-access@other-proj-42.iam.gserviceaccount.com"
    assert result.outputs["access_role_id"] == "projects/other-proj-42/roles/teamB.access"
    assert result.one(PROVIDER_T).inputs["displayName"] == "Anyscale (team B)"


def test_instance_roles_logging_monitoring_and_extras(gcp_preview):
    result = _run(
        gcp_preview, org_id=ORG, grant_logging_monitoring=True,
        additional_instance_roles=["roles/secretmanager.secretAccessor", "roles/logging.logWriter"],
        additional_access_roles=["roles/editor"],
    )
    assert {(r.name, r.inputs["role"], r.inputs["member"]) for r in result.by_type(PROJECT_MEMBER_T)} == {
        ("anyscale-access-custom-role", "projects/acme-ml-prod/roles/anyscale_access", f"serviceAccount:{ACCESS}"),
        ("anyscale-access-editor", "roles/editor", f"serviceAccount:{ACCESS}"),
        ("anyscale-instance-artifactregistry.reader", "roles/artifactregistry.reader", f"serviceAccount:{INSTANCE}"),
        ("anyscale-instance-logging.logWriter", "roles/logging.logWriter", f"serviceAccount:{INSTANCE}"),
        ("anyscale-instance-monitoring.metricWriter", "roles/monitoring.metricWriter", f"serviceAccount:{INSTANCE}"),
        ("anyscale-instance-secretmanager.secretAccessor", "roles/secretmanager.secretAccessor", f"serviceAccount:{INSTANCE}"),
    }


def test_artifact_registry_reader_can_be_left_off(gcp_preview):
    assert _project_members(_run(gcp_preview, org_id=ORG, grant_artifact_registry_reader=False)) == {
        ("acme-ml-prod", "projects/acme-ml-prod/roles/anyscale_access", f"serviceAccount:{ACCESS}")}


def test_project_defaults_to_the_providers(gcp_preview):
    def program():
        AnyscaleGcpIdentity("anyscale", AnyscaleGcpIdentityArgs(org_id=ORG))

    result = gcp_preview(program, config={"gcp:project": "from-config-1"})
    assert {r.inputs["project"] for r in result.by_type(PROJECT_MEMBER_T)} == {"from-config-1"}
    assert result.one(ROLE_T).inputs["project"] == "from-config-1"


# --- existing provider ------------------------------------------------------------------------
def test_existing_provider_in_another_project(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, existing_provider_name=EXISTING_PROVIDER)
    assert result.by_type(POOL_T) == [] and result.by_type(PROVIDER_T) == []
    assert result.outputs["provider_name"] == EXISTING_PROVIDER
    assert result.outputs["pool_name"] == EXISTING_POOL
    principal = f"principalSet://iam.googleapis.com/{EXISTING_POOL}/attribute.aws_role/{ROLE_ARN}"
    assert (ACCESS_NAME, "roles/iam.workloadIdentityUser", principal) in _sa_members(result)
    assert result.outputs["workload_identity_principal"] == principal
    assert re.search(CLI_PROVIDER_NAME_REGEX, result.outputs["provider_name"])


# --- existing accounts ------------------------------------------------------------------------
def test_everything_existing_creates_nothing_and_needs_no_org_id(gcp_preview):
    result = _run(
        gcp_preview,
        existing_provider_name=EXISTING_PROVIDER,
        existing_access_service_account_email=EXISTING_ACCESS,
        existing_instance_service_account_email=EXISTING_INSTANCE,
    )
    assert _custom(result) == []
    assert result.outputs == {
        "access_service_account_email": EXISTING_ACCESS,
        "access_service_account_member": f"serviceAccount:{EXISTING_ACCESS}",
        "instance_service_account_email": EXISTING_INSTANCE,
        "instance_service_account_member": f"serviceAccount:{EXISTING_INSTANCE}",
        "provider_name": EXISTING_PROVIDER,
        "pool_name": EXISTING_POOL,
        "workload_identity_principal": None,
        "access_role_id": None,
    }


def test_existing_access_account_with_a_new_provider_is_bound_to_it_and_nothing_else(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS)
    existing = f"projects/acme-ml-prod/serviceAccounts/{EXISTING_ACCESS}"
    assert result.by_type(ROLE_T) == []
    assert [a.inputs["accountId"] for a in result.by_type(ACCOUNT_T)] == ["anyscale-cluster"]
    assert _sa_members(result) == {
        (existing, "roles/iam.workloadIdentityUser", PRINCIPAL),
        (INSTANCE_NAME, "roles/iam.serviceAccountUser", f"serviceAccount:{EXISTING_ACCESS}"),
    }
    assert _project_members(result) == {("acme-ml-prod", "roles/artifactregistry.reader", f"serviceAccount:{INSTANCE}")}
    assert result.outputs["access_role_id"] is None


def test_existing_instance_account_gets_only_the_access_accounts_act_as(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, existing_instance_service_account_email=EXISTING_INSTANCE)
    assert [a.inputs["accountId"] for a in result.by_type(ACCOUNT_T)] == ["anyscale-access"]
    assert (f"projects/acme-ml-prod/serviceAccounts/{EXISTING_INSTANCE}", "roles/iam.serviceAccountUser",
            f"serviceAccount:{ACCESS}") in _sa_members(result)
    assert _project_members(result) == {
        ("acme-ml-prod", "projects/acme-ml-prod/roles/anyscale_access", f"serviceAccount:{ACCESS}")}
    assert result.outputs["instance_service_account_email"] == EXISTING_INSTANCE


def test_grant_existing_accounts_gives_them_every_grant(gcp_preview):
    result = _run(
        gcp_preview, org_id=ORG, grant_existing_accounts=True, existing_provider_name=EXISTING_PROVIDER,
        existing_access_service_account_email=EXISTING_ACCESS,
        existing_instance_service_account_email=EXISTING_INSTANCE,
    )
    access = f"projects/acme-ml-prod/serviceAccounts/{EXISTING_ACCESS}"
    assert result.by_type(ACCOUNT_T) == []
    assert _sa_members(result) == {
        (access, "roles/iam.serviceAccountTokenCreator", f"serviceAccount:{EXISTING_ACCESS}"),
        (access, "roles/iam.workloadIdentityUser",
         f"principalSet://iam.googleapis.com/{EXISTING_POOL}/attribute.aws_role/{ROLE_ARN}"),
        (f"projects/acme-ml-prod/serviceAccounts/{EXISTING_INSTANCE}", "roles/iam.serviceAccountUser",
         f"serviceAccount:{EXISTING_ACCESS}"),
    }
    assert _project_members(result) == {
        ("acme-ml-prod", "projects/acme-ml-prod/roles/anyscale_access", f"serviceAccount:{EXISTING_ACCESS}"),
        ("acme-ml-prod", "roles/artifactregistry.reader", f"serviceAccount:{EXISTING_INSTANCE}"),
    }
    assert {r.deleted_with for r in result.by_type(SA_MEMBER_T)} == {None}


def test_existing_instance_account_in_another_project_warns(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, project_id="acme-ml-prod",
                  existing_instance_service_account_email="nodes-1@shared-sa-proj.iam.gserviceaccount.com")
    assert any("is not in project acme-ml-prod" in w and "disableCrossProjectServiceAccountUsage" in w
               for w in result.warnings)
    member = next(r for r in result.by_type(SA_MEMBER_T) if r.inputs["role"] == "roles/iam.serviceAccountUser")
    assert member.inputs["serviceAccountId"] == (
        "projects/shared-sa-proj/serviceAccounts/nodes-1@shared-sa-proj.iam.gserviceaccount.com")


# --- rules across every mode -----------------------------------------------------------------
MODES = {
    "new": dict(org_id=ORG),
    "existing provider": dict(org_id=ORG, existing_provider_name=EXISTING_PROVIDER),
    "existing accounts": dict(org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS,
                              existing_instance_service_account_email=EXISTING_INSTANCE),
    "granted existing": dict(org_id=ORG, grant_existing_accounts=True, existing_provider_name=EXISTING_PROVIDER,
                             existing_access_service_account_email=EXISTING_ACCESS,
                             existing_instance_service_account_email=EXISTING_INSTANCE),
    "everything": dict(org_id=ORG, grant_logging_monitoring=True, project_wide_storage_read=True,
                       additional_access_roles=["roles/editor"], additional_instance_roles=["roles/viewer"]),
}


@pytest.mark.parametrize("kwargs", MODES.values(), ids=MODES.keys())
def test_only_non_authoritative_iam_members(gcp_preview, kwargs):
    result = _run(gcp_preview, **kwargs)
    types = {r.type for r in result.resources if r.custom}
    assert not [t for t in types if re.search(r"iAM(Policy|Binding)|IAMPolicy|IAMBinding", t)], types
    assert types <= {POOL_T, PROVIDER_T, ACCOUNT_T, SA_MEMBER_T, PROJECT_MEMBER_T, ROLE_T}


@pytest.mark.parametrize("kwargs", MODES.values(), ids=MODES.keys())
def test_never_an_open_provider_nor_a_pool_wide_principal(gcp_preview, kwargs):
    result = _run(gcp_preview, **kwargs)
    for provider in result.by_type(PROVIDER_T):
        assert provider.inputs["attributeCondition"] == CONDITION
    for member in result.by_type(SA_MEMBER_T):
        if member.inputs["role"] == "roles/iam.workloadIdentityUser":
            assert member.inputs["member"].endswith(f"/attribute.aws_role/{ROLE_ARN}")
            assert not member.inputs["member"].endswith("/*")


def test_another_control_plane_account_reaches_provider_and_principal(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, anyscale_aws_account_id="111122223333")
    provider = result.one(PROVIDER_T).inputs
    assert provider["aws"] == {"accountId": "111122223333"}
    assert provider["attributeCondition"].count("arn:aws:sts::111122223333:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT") == 2
    assert result.outputs["workload_identity_principal"].endswith(
        "/attribute.aws_role/arn:aws:sts::111122223333:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT")


# --- errors -------------------------------------------------------------------------------------
def _error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpIdentityArgs(**kwargs)
    return info.value


def _wiring_error(gcp_preview, **kwargs) -> InvalidArgsError:
    """AnyscaleGcpCloudArgs fills org_id in, so the args build without it; the component refuses."""
    from anyscale_infra.preview.engine import ProgramError

    args = AnyscaleGcpIdentityArgs(**kwargs)
    assert [p.field for p in args.wiring_problems()] == ["org_id"]
    with pytest.raises(ProgramError) as info:
        gcp_preview(lambda: AnyscaleGcpIdentity("id", args))
    assert info.value.kind == "validation"
    return info.value.cause


def test_org_id_is_required_to_create_the_provider(gcp_preview):
    error = _wiring_error(gcp_preview)
    assert error.fields == ["org_id"]
    assert "is required to create the workload identity provider" in str(error)
    assert "gcp_if_<org id>" in str(error)
    assert AnyscaleGcpIdentityArgs(org_id=ORG).wiring_problems() == []


@pytest.mark.parametrize(
    "kwargs",
    [dict(existing_provider_name=EXISTING_PROVIDER),
     dict(existing_provider_name=EXISTING_PROVIDER, existing_access_service_account_email=EXISTING_ACCESS,
          grant_existing_accounts=True)],
)
def test_org_id_is_required_to_bind_the_access_account_in_an_existing_pool(gcp_preview, kwargs):
    error = _wiring_error(gcp_preview, **kwargs)
    assert error.fields == ["org_id"]
    assert "is required to grant roles/iam.workloadIdentityUser in the existing pool" in str(error)

@pytest.mark.parametrize(
    ("kwargs", "field", "phrase"),
    [
        (dict(org_id="org-7c1K"), "org_id", "is not an Anyscale organization id"),
        (dict(org_id="org_" + "a" * 54), "org_id", "64-character limit for role names"),
        (dict(org_id=ORG, anyscale_aws_account_id="52532586895"), "anyscale_aws_account_id", "12-digit AWS account id"),
        (dict(org_id=ORG, project_id="123456789012"), "project_id", "that is a project NUMBER"),
        (dict(org_id=ORG, project_id="Acme"), "project_id", "6 to 30 lowercase letters"),
        (dict(existing_provider_name="projects/acme-ml-prod/locations/global/workloadIdentityPools/p123/providers/x123",
              org_id=ORG), "existing_provider_name", "must name the project NUMBER"),
        (dict(existing_provider_name="anyscale-access", org_id=ORG), "existing_provider_name", "is not a provider name"),
        (dict(org_id=ORG, pool_id="gcp-anyscale"), "pool_id", "reserved by Google"),
        (dict(org_id=ORG, pool_id="abc"), "pool_id", "4 to 32 lowercase letters"),
        (dict(org_id=ORG, provider_id="Anyscale_Access"), "provider_id", "4 to 32 lowercase letters"),
        (dict(org_id=ORG, pool_display_name="x" * 33), "pool_display_name", "1 to 32 characters"),
        (dict(org_id=ORG, access_service_account_id="short"), "access_service_account_id", "6 to 30 lowercase"),
        (dict(org_id=ORG, instance_service_account_id="a" * 31), "instance_service_account_id", "6 to 30 lowercase"),
        (dict(org_id=ORG, instance_service_account_id="Nodes-123"), "instance_service_account_id", "6 to 30 lowercase"),
        (dict(org_id=ORG, existing_access_service_account_email="anyscale@gmail.com"),
         "existing_access_service_account_email", "is not a service account email"),
        (dict(org_id=ORG, access_role_id="anyscale-access"), "access_role_id", "no '-'"),
        (dict(org_id=ORG, additional_access_roles=["editor"]), "additional_access_roles", "is not a role like"),
        (dict(org_id=ORG, additional_instance_roles=["roles/viewer", "roles/viewer"]), "additional_instance_roles",
         "lists roles/viewer more than once"),
        (dict(org_id=ORG, access_service_account_id="anyscale-same", instance_service_account_id="anyscale-same"),
         "instance_service_account_id", "must not run as the control plane's account"),
        (dict(org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS,
              existing_instance_service_account_email=EXISTING_ACCESS),
         "existing_instance_service_account_email", "must not run as the control plane's account"),
        (dict(org_id=ORG, existing_provider_name=EXISTING_PROVIDER, pool_id="my-pool"), "pool_id",
         "cannot be combined with existing_provider_name"),
        (dict(org_id=ORG, existing_provider_name=EXISTING_PROVIDER, provider_id="my-provider"), "provider_id",
         "cannot be combined with existing_provider_name"),
        (dict(org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS, access_service_account_id="mine-1234"),
         "access_service_account_id", "not with existing_access_service_account_email"),
        (dict(org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS, access_role_id="mine"),
         "access_role_id", "only gets with grant_existing_accounts=True"),
        (dict(org_id=ORG, existing_access_service_account_email=EXISTING_ACCESS, project_wide_storage_read=True),
         "project_wide_storage_read", "only gets with grant_existing_accounts=True"),
        (dict(org_id=ORG, existing_instance_service_account_email=EXISTING_INSTANCE, instance_service_account_id="n-12345"),
         "instance_service_account_id", "not with existing_instance_service_account_email"),
        (dict(org_id=ORG, existing_instance_service_account_email=EXISTING_INSTANCE, grant_logging_monitoring=True),
         "grant_logging_monitoring", "only gets with grant_existing_accounts=True"),
        (dict(org_id=ORG, existing_instance_service_account_email=EXISTING_INSTANCE,
              additional_instance_roles=["roles/viewer"]), "additional_instance_roles", "only gets with grant_existing_accounts"),
        (dict(org_id=ORG, pool_ids="x"), "pool_ids", "is not a known argument"),
    ],
)
def test_argument_errors(kwargs, field, phrase):
    error = _error(**kwargs)
    assert error.fields == [field], str(error)
    assert phrase in str(error)


def test_all_conflicts_are_reported_at_once():
    error = _error(existing_provider_name=EXISTING_PROVIDER, pool_id="my-pool", provider_id="my-prov",
                   existing_access_service_account_email=EXISTING_ACCESS, access_role_id="mine")
    assert sorted(error.fields) == ["access_role_id", "pool_id", "provider_id"]


def test_grant_existing_accounts_without_existing_accounts_is_pointed_out(gcp_preview):
    result = _run(gcp_preview, org_id=ORG, grant_existing_accounts=True)
    assert "grant_existing_accounts has no effect: no existing account was given" in result.warnings


def test_every_argument_is_documented():
    import ast
    import inspect

    from anyscale_infra.gcp import identity

    tree = ast.parse(inspect.getsource(identity.AnyscaleGcpIdentityArgs))
    body = tree.body[0].body
    documented = {
        node.target.id: body[i + 1].value.value
        for i, node in enumerate(body[:-1])
        if isinstance(node, ast.AnnAssign) and isinstance(body[i + 1], ast.Expr)
        and isinstance(body[i + 1].value, ast.Constant)
    }
    assert set(documented) == set(AnyscaleGcpIdentityArgs.model_fields)
    for field, doc in documented.items():
        assert re.search(r"Optional|Required|Defaults to", doc), field

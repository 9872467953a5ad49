"""AnyscaleAksOperatorIdentity: the managed identity, its federated credential, the Storage
Blob Data Contributor assignment on the account (and nowhere wider), the typed ids, bring-
your-own, every error path; and what Anyscale's own setup template creates."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pulumi
import pytest

from anyscale_infra.azure.identity import (
    AnyscaleAksOperatorIdentity,
    AnyscaleAksOperatorIdentityArgs,
    federated_subject,
    identity_parts,
    role_assignment_name,
    role_definition_id,
)
from anyscale_infra.azure.ids import ClientId, PrincipalId
from anyscale_infra.azure.storage import AnyscaleAzureStorage, AnyscaleAzureStorageArgs
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.preview.mocks.azure import PREVIEW_SUBSCRIPTION_ID, PREVIEW_TENANT_ID
from program_errors import deploy_error

IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
CREDENTIAL = "azure-native:managedidentity:FederatedIdentityCredential"
ASSIGNMENT = "azure-native:authorization:RoleAssignment"
ACCOUNT = "azure-native:storage:StorageAccount"
COMPONENT = "anyscale-infra:index:AnyscaleAksOperatorIdentity"
ISSUER = "https://eastus2.oic.prod-aks.azure.com/00000000-0000-4000-8000-000000000002/1b2c3d4e-0000-4000-8000-00000000000a/"
SUB = PREVIEW_SUBSCRIPTION_ID
ACCOUNT_ID = f"/subscriptions/{SUB}/resourceGroups/acme-rg/providers/Microsoft.Storage/storageAccounts/acmedata"
ROLE = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
EXISTING_ID = f"/subscriptions/{SUB}/resourceGroups/identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/anyscale-op"
PRINCIPAL = PrincipalId("11111111-2222-4333-8444-555555555555")
CLIENT = ClientId("99999999-8888-4777-8666-555555555555")


def identity_args(**kwargs) -> AnyscaleAksOperatorIdentityArgs:
    return AnyscaleAksOperatorIdentityArgs(
        **{"resource_group_name": "acme-rg", "oidc_issuer_url": ISSUER, "storage_account_id": ACCOUNT_ID, **kwargs}
    )


def existing_args(**kwargs) -> AnyscaleAksOperatorIdentityArgs:
    return AnyscaleAksOperatorIdentityArgs(
        **{
            "existing_identity_id": EXISTING_ID,
            "existing_principal_id": PRINCIPAL,
            "existing_client_id": CLIENT,
            "oidc_issuer_url": ISSUER,
            "storage_account_id": ACCOUNT_ID,
            **kwargs,
        }
    )


def args_error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAksOperatorIdentityArgs(**kwargs)
    return info.value


def outputs_of(result, name: str = "op") -> dict:
    return result.component_outputs[next(u for u in result.component_outputs if u.endswith(f"{COMPONENT}::{name}"))]


def typed_program(args: AnyscaleAksOperatorIdentityArgs, seen: dict):
    """A program that keeps what the outputs resolve to, as Python objects."""

    def program():
        op = AnyscaleAksOperatorIdentity("op", args)
        op.principal_id.apply(lambda value: seen.setdefault("principal_id", value))
        op.client_id.apply(lambda value: seen.setdefault("client_id", value))

    return program


# --- Pure builders ------------------------------------------------------------------------------
def test_federated_subject():
    assert federated_subject() == "system:serviceaccount:anyscale-operator:anyscale-operator"
    assert federated_subject("ray", "op-sa") == "system:serviceaccount:ray:op-sa"
    with pytest.raises(ValueError, match="RFC 1123"):
        federated_subject("Anyscale_Operator")


def test_role_definition_id():
    assert role_definition_id(SUB) == ROLE
    with pytest.raises(ValueError, match="subscription id"):
        role_definition_id("my-subscription")


def test_role_assignment_name_is_a_stable_guid_of_scope_principal_and_role():
    name = role_assignment_name(ACCOUNT_ID, PRINCIPAL, ROLE)
    assert uuid.UUID(name).version == 5
    assert role_assignment_name(ACCOUNT_ID, PRINCIPAL, ROLE) == name
    assert role_assignment_name(ACCOUNT_ID.upper(), str(PRINCIPAL).upper(), ROLE.lower()) == name  # ARM ids ignore case
    assert role_assignment_name(ACCOUNT_ID.replace("acmedata", "other"), PRINCIPAL, ROLE) != name
    assert role_assignment_name(ACCOUNT_ID, "11111111-2222-4333-8444-000000000000", ROLE) != name
    assert role_assignment_name(ACCOUNT_ID, PRINCIPAL, ROLE.replace("ba92", "b7e6")) != name


@pytest.mark.parametrize(
    "scope",
    [f"/subscriptions/{SUB}", f"/subscriptions/{SUB}/resourceGroups/acme-rg", f"{ACCOUNT_ID}/blobServices/default/containers/anyscale-data"],
)
def test_role_assignment_name_refuses_any_scope_but_an_account(scope):
    with pytest.raises(ValueError, match="Microsoft.Storage/storageAccounts resource id"):
        role_assignment_name(scope, PRINCIPAL, ROLE)


def test_identity_parts():
    assert identity_parts(EXISTING_ID) == (SUB, "identities", "anyscale-op")
    with pytest.raises(ValueError, match="userAssignedIdentities resource id"):
        identity_parts(ACCOUNT_ID)


# --- A new identity ---------------------------------------------------------------------------------
@pytest.fixture
def new(azure_preview):
    seen: dict = {}
    result = azure_preview(typed_program(identity_args(), seen))
    return result, seen


def test_new_identity(new):
    result, _ = new
    identity = result.one(IDENTITY)
    assert identity.inputs == {"resourceGroupName": "acme-rg", "tags": {"managed-by": "anyscale-infra"}}
    assert identity.parent == result.one(COMPONENT).urn and identity.protect is False


def test_federated_credential_exactly(new):
    result, _ = new
    identity = result.one(IDENTITY)
    credential = result.one(CREDENTIAL)
    assert credential.inputs == {
        "resourceGroupName": "acme-rg",
        "resourceName": identity.outputs["name"],
        "federatedIdentityCredentialResourceName": "anyscale-operator",
        "issuer": ISSUER,
        "subject": "system:serviceaccount:anyscale-operator:anyscale-operator",
        "audiences": ["api://AzureADTokenExchange"],
    }
    assert credential.parent == result.one(COMPONENT).urn and credential.deleted_with == identity.urn


def test_role_assignment_on_the_account_for_the_identitys_principal(new):
    result, _ = new
    identity = result.one(IDENTITY)
    assignment = result.one(ASSIGNMENT)
    principal = identity.outputs["principalId"]
    assert assignment.inputs == {
        "scope": ACCOUNT_ID,
        "roleDefinitionId": ROLE,
        "principalId": principal,
        "principalType": "ServicePrincipal",
        "roleAssignmentName": role_assignment_name(ACCOUNT_ID, principal, ROLE),
        "description": "Anyscale operator: read and write the cloud's storage",
    }
    assert assignment.parent == result.one(COMPONENT).urn and assignment.deleted_with == identity.urn


def test_outputs_are_typed_ids(new):
    result, seen = new
    identity = result.one(IDENTITY).outputs
    assert type(seen["principal_id"]) is PrincipalId and seen["principal_id"] == identity["principalId"]
    assert type(seen["client_id"]) is ClientId and seen["client_id"] == identity["clientId"]
    assert outputs_of(result) == {
        "principal_id": identity["principalId"],
        "client_id": identity["clientId"],
        "tenant_id": PREVIEW_TENANT_ID,
        "identity_id": result.one(IDENTITY).id,
        "federated_credential_subject": "system:serviceaccount:anyscale-operator:anyscale-operator",
    }


def test_the_assignment_name_is_the_same_on_every_run(azure_preview, new):
    result, _ = new
    again = azure_preview(lambda: AnyscaleAksOperatorIdentity("op", identity_args()))
    assert again.one(ASSIGNMENT).inputs["roleAssignmentName"] == result.one(ASSIGNMENT).inputs["roleAssignmentName"]


def test_with_the_storage_component_the_scope_is_its_account(azure_preview):
    def program():
        store = AnyscaleAzureStorage("s", AnyscaleAzureStorageArgs(resource_group_name="acme-rg"))
        AnyscaleAksOperatorIdentity("op", identity_args(storage_account_id=store.account_id))

    result = azure_preview(program)
    account = result.one(ACCOUNT)
    assert result.one(ASSIGNMENT).inputs["scope"] == account.id
    assert account.urn in result.one(ASSIGNMENT).property_dependencies.get("scope", [])


def test_choices(azure_preview):
    def program():  # the issuer as an Output (the cluster's), made inside the program
        args = identity_args(
            identity_name="anyscale-prod-operator",
            location="westus3",
            namespace="ray-system",
            kubernetes_service_account="ray-operator",
            federated_credential_name="ray-operator-fic",
            tags={"team": "ml"},
            cloud_id="cld_abc123",
            oidc_issuer_url=pulumi.Output.from_input(ISSUER),
        )
        AnyscaleAksOperatorIdentity("op", args)

    result = azure_preview(program)
    identity = result.one(IDENTITY).inputs
    assert identity["resourceName"] == "anyscale-prod-operator" and identity["location"] == "westus3"
    assert identity["tags"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_abc123"}
    credential = result.one(CREDENTIAL).inputs
    assert credential["subject"] == "system:serviceaccount:ray-system:ray-operator"
    assert credential["federatedIdentityCredentialResourceName"] == "ray-operator-fic"
    assert credential["resourceName"] == "anyscale-prod-operator" and credential["issuer"] == ISSUER
    assert outputs_of(result)["federated_credential_subject"] == "system:serviceaccount:ray-system:ray-operator"


def test_without_a_storage_account_nothing_is_granted_and_a_warning_says_so(azure_preview):
    result = azure_preview(lambda: AnyscaleAksOperatorIdentity("op", identity_args(storage_account_id=None)))
    assert result.by_type(ASSIGNMENT) == [] and len(result.by_type(CREDENTIAL)) == 1
    assert any("storage_account_id is not set" in w for w in result.warnings)


def test_agrees_with_anyscales_own_setup():
    """setup_k8s._generate_azure_arm_template: the same credential and the same role."""
    from anyscale.commands.setup_k8s import KubernetesCloudSetupCommand

    template = json.loads(
        KubernetesCloudSetupCommand._generate_azure_arm_template(
            SimpleNamespace(), oidc_issuer=ISSUER, namespace="ray-system", cloud_name="c"
        )
    )
    by_type = {r["type"]: r for r in template["resources"]}
    fic = by_type["Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"]["properties"]
    assert fic == {"audiences": ["api://AzureADTokenExchange"], "issuer": ISSUER, "subject": federated_subject("ray-system")}
    assignment = by_type["Microsoft.Storage/storageAccounts/providers/roleAssignments"]
    assert assignment["properties"]["principalType"] == "ServicePrincipal"
    assert ROLE.rsplit("/", 1)[1] in template["variables"]["storageBlobDataOwnerRoleId"]
    assert "storageAccountResourceId" in assignment["name"]  # scoped to the account, as ours


# --- Bring-your-own ---------------------------------------------------------------------------------
def test_existing_identity_is_federated_and_granted(azure_preview):
    seen: dict = {}
    result = azure_preview(typed_program(existing_args(), seen))
    assert result.by_type(IDENTITY) == []
    credential = result.one(CREDENTIAL)
    assert credential.inputs["resourceGroupName"] == "identities" and credential.inputs["resourceName"] == "anyscale-op"
    assert credential.deleted_with is None
    assignment = result.one(ASSIGNMENT)
    assert assignment.inputs["principalId"] == str(PRINCIPAL) and assignment.inputs["scope"] == ACCOUNT_ID
    assert assignment.inputs["roleAssignmentName"] == role_assignment_name(ACCOUNT_ID, PRINCIPAL, ROLE)
    assert assignment.deleted_with is None
    assert type(seen["principal_id"]) is PrincipalId and seen["principal_id"] == PRINCIPAL
    assert type(seen["client_id"]) is ClientId and seen["client_id"] == CLIENT
    outputs = outputs_of(result)
    assert outputs["identity_id"] == EXISTING_ID and outputs["tenant_id"] == PREVIEW_TENANT_ID


def test_existing_identity_ids_may_be_plain_guids_or_outputs(azure_preview):
    seen: dict = {}

    def program():  # Outputs are made inside the program (they belong to its event loop)
        args = existing_args(existing_principal_id=str(PRINCIPAL), existing_client_id=pulumi.Output.from_input(str(CLIENT)))
        typed_program(args, seen)()

    azure_preview(program)
    assert type(seen["principal_id"]) is PrincipalId and type(seen["client_id"]) is ClientId


def test_existing_identity_managed_elsewhere(azure_preview):
    args = existing_args(grant_existing_identity=False, oidc_issuer_url=None, storage_account_id=None)
    result = azure_preview(lambda: AnyscaleAksOperatorIdentity("op", args))
    assert [r for r in result.resources if r.custom] == []
    assert not any("storage_account_id" in w for w in result.warnings)


# --- Bad input: all before any resource -------------------------------------------------------------
def test_swapped_ids_are_refused():
    err = args_error(existing_identity_id=EXISTING_ID, existing_principal_id=CLIENT, existing_client_id=PRINCIPAL)
    assert set(err.fields) == {"existing_principal_id", "existing_client_id"}
    assert "existing_principal_id takes the managed identity's principal id" in str(err)
    assert "existing_client_id takes the managed identity's client id" in str(err)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        (dict(namespace="Anyscale_Operator"), "namespace", "RFC 1123"),
        (dict(namespace="a" * 64), "namespace", "RFC 1123"),
        (dict(kubernetes_service_account="Op SA"), "kubernetes_service_account", "RFC 1123"),
        (dict(oidc_issuer_url="http://issuer.example.com/"), "oidc_issuer_url", "https:// URL"),
        (dict(identity_name="a"), "identity_name", "3 to 128"),
        (dict(identity_name="-operator"), "identity_name", "starting with a letter or digit"),
        (dict(federated_credential_name="x" * 121), "federated_credential_name", "3 to 120"),
        (dict(storage_account_id=f"/subscriptions/{SUB}/resourceGroups/acme-rg"), "storage_account_id", "Microsoft.Storage/storageAccounts"),
        (dict(storage_account_id=f"/subscriptions/{SUB}"), "storage_account_id", "Microsoft.Storage/storageAccounts"),
        (dict(location="East US"), "location", "Azure location name"),
        (dict(tags={"x" * 129: "v"}), "tags", "1 to 128 characters"),
        (dict(existing_principal_id=PRINCIPAL), "existing_principal_id", "needs existing_identity_id"),
        (dict(grant_existing_identity=False), "grant_existing_identity", "needs existing_identity_id"),
        (dict(existing_identity_id=EXISTING_ID, existing_client_id=CLIENT), "existing_principal_id", "is required with existing_identity_id"),
        (dict(existing_identity_id=ACCOUNT_ID, existing_principal_id=PRINCIPAL, existing_client_id=CLIENT), "existing_identity_id", "userAssignedIdentities"),
        (dict(existing_identity_id=EXISTING_ID, existing_principal_id="not-a-guid", existing_client_id=CLIENT), "existing_principal_id", "is not a GUID"),
        (dict(existing_identity_id=EXISTING_ID, existing_principal_id=str(CLIENT), existing_client_id=CLIENT), "existing_client_id", "equals existing_principal_id"),
        (dict(existing_identity_id=EXISTING_ID, existing_principal_id=PRINCIPAL, existing_client_id=CLIENT, resource_group_name="rg"), "resource_group_name", "only one of existing_identity_id"),
        (dict(existing_identity_id=EXISTING_ID, existing_principal_id=PRINCIPAL, existing_client_id=CLIENT, identity_name="other"), "identity_name", "configures an identity we create"),
        (dict(service_account="x"), "service_account", "not a known argument"),
    ],
)
def test_bad_input(kwargs, field, words):
    err = args_error(**{"oidc_issuer_url": ISSUER, **kwargs})
    assert field in err.fields, err
    assert words in str(err)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (dict(oidc_issuer_url=ISSUER), "resource_group_name"),
        (dict(resource_group_name="acme-rg"), "oidc_issuer_url"),
        (dict(existing_identity_id=EXISTING_ID, existing_principal_id=PRINCIPAL, existing_client_id=CLIENT), "oidc_issuer_url"),
    ],
)
def test_wiring_fails_before_any_resource(azure_preview, kwargs, field):
    args = AnyscaleAksOperatorIdentityArgs(**kwargs)
    # Outside any engine: the component refuses before it registers anything (itself included).
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAksOperatorIdentity("op", args)
    assert info.value.fields == [field]
    assert deploy_error(azure_preview, lambda: AnyscaleAksOperatorIdentity("op", args)).fields == [field]

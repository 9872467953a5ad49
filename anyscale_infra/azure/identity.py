"""The Anyscale operator's identity on AKS: a user-assigned managed identity its Kubernetes
service account signs in as through AKS workload identity, and its access to the storage.

What the operator needs (setup_k8s ``_generate_azure_arm_template``; seed 003 "Managed
identities and permissions"):

* **A user-assigned managed identity** (or yours: ``existing_identity_id`` with its principal
  and client ids). Registration names its PRINCIPAL id (``anyscaleOperatorIamIdentity``), the
  operator's values its CLIENT id (``global.auth.iamIdentity``, the service account's
  ``azure.workload.identity/client-id``): the outputs are :class:`~anyscale_infra.azure.ids.PrincipalId`
  and :class:`~anyscale_infra.azure.ids.ClientId`, which refuse each other.
* **A federated identity credential** on it: issuer = the cluster's OIDC issuer URL (AKS with
  ``oidcIssuerProfile.enabled`` and workload identity on), subject
  ``system:serviceaccount:<namespace>:anyscale-operator`` (the operator's service account,
  and no other), audience exactly ``api://AzureADTokenExchange``. As setup_k8s.
* **Storage Blob Data Contributor** (``ba92f5b4-...``) on the storage ACCOUNT only: read,
  write, delete and list blobs (and, on ADLS Gen2, directories), nothing on the account's
  settings or keys. Never on the resource group or the subscription: the role's data
  actions would then reach every account there. As setup_k8s (whose variable calls it
  "owner"; the id is Contributor's). The assignment's name is a GUID derived from scope,
  principal and role (uuid5; setup_k8s: ARM's ``guid(account, identity, role)``), so it is
  the same on every run and a second declaration of the same grant collides visibly instead
  of duplicating it. Its principal type is ``ServicePrincipal``: ARM then does not look the
  principal up, so an identity created seconds earlier does not fail with PrincipalNotFound.

Pure builders (:func:`federated_subject`, :func:`role_definition_id`,
:func:`role_assignment_name`) import no SDK; the component loads ``pulumi_azure_native``'s
``managedidentity`` and ``authorization`` modules where it declares resources.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any, Optional, Union

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra._component import child, emit_advisories, hand_on_depends_on, type_token
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.tags import merge_tags
from anyscale_infra.azure.ids import ClientId, PrincipalId, require
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel, StrInput
from anyscale_infra.validation import check_cloud_id

if TYPE_CHECKING:
    from pulumi_azure_native import managedidentity

IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
STORAGE_ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts"
_IDENTITY_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)/providers/"
    r"Microsoft\.ManagedIdentity/userAssignedIdentities/(?P<name>[^/]+)$",
    flags=re.IGNORECASE,
)


# --- Pure builders ------------------------------------------------------------------------------
def federated_subject(
    namespace: str = kc.DEFAULT_NAMESPACE, service_account: str = kc.OPERATOR_SERVICE_ACCOUNT
) -> str:
    """The subject a Kubernetes service account's tokens carry:
    ``system:serviceaccount:<namespace>:<service account>``.

    >>> federated_subject()
    'system:serviceaccount:anyscale-operator:anyscale-operator'
    """
    return c.FEDERATED_CREDENTIAL_SUBJECT.format(
        namespace=kv.check_namespace(namespace), service_account=kv.check_service_account_name(service_account)
    )


def role_definition_id(subscription: str, role: str = c.STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID) -> str:
    """A built-in role's definition id in ``subscription`` (Storage Blob Data Contributor by
    default): ``/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>``."""
    v.check_guid(subscription, "subscription id")
    v.check_guid(role, "role definition")
    return c.ROLE_DEFINITION_ID_FORMAT.format(subscription=subscription, role=role)


def role_assignment_name(scope: str, principal_id: str, role_definition: str) -> str:
    """The role assignment's name: a GUID derived (uuid5) from scope, principal and role
    definition, case-insensitively (ARM ids are), so it is the same on every run.

    The scope must be a storage account: a grant on the resource group or subscription
    would reach every account there (ValueError otherwise)."""
    v.check_resource_id(scope, STORAGE_ACCOUNT_TYPE)
    v.check_guid(str(principal_id), "principal id")
    key = "|".join(part.lower() for part in (scope, str(principal_id), role_definition))
    return str(uuid.uuid5(uuid.UUID(c.ROLE_ASSIGNMENT_NAME_NAMESPACE), key))


def identity_parts(identity_id: str) -> tuple[str, str, str]:
    """``(subscription, resource group, name)`` of a user-assigned identity's ARM id."""
    match = _IDENTITY_ID.match(identity_id)
    if match is None:
        v.check_resource_id(identity_id, IDENTITY_TYPE)  # raises with the expected form
        raise ValueError(f"{identity_id!r} is not a user-assigned identity id")
    return match.group("subscription"), match.group("group"), match.group("name")


# --- Args ---------------------------------------------------------------------------------------
#: Fields that configure an identity we create (refused with ``existing_identity_id``).
_NEW_IDENTITY_FIELDS = ("resource_group_name", "location", "identity_name", "tags", "cloud_id")


def _typed_id(value: Any, kind: type, field: str) -> Any:
    """A plain id as ``kind`` (refusing the identity's other id); an Output is checked when it
    resolves."""
    if value is None:
        return None
    if isinstance(value, pulumi.Output):
        return value.apply(lambda resolved: require(resolved, kind, field))
    return require(value, kind, field)


class AnyscaleAksOperatorIdentityArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAksOperatorIdentity`."""

    oidc_issuer_url: Optional[StrInput] = None
    """The AKS cluster's OIDC issuer URL (``oidcIssuerProfile.issuerURL``; kept exactly,
    trailing slash included). Required when a federated credential is made; set for you
    inside the Azure cloud composite (the cluster's output)."""
    resource_group_name: Optional[StrInput] = None
    """Resource group of the identity we create. Required for a new identity; set for you
    inside the Azure cloud composite."""
    location: Optional[str] = None
    """Region of the identity we create. Optional; defaults to the provider's
    ``azure-native:location``."""
    identity_name: Optional[str] = None
    """Name of the identity we create (3-128 letters, digits, '-' and '_'). Optional;
    defaults to azure-native's auto-name from the component's name (unique per group)."""
    existing_identity_id: Optional[str] = None
    """Use this user-assigned identity (its ARM id) instead of creating one (bring-your-own);
    needs ``existing_principal_id`` and ``existing_client_id``. Optional."""
    existing_principal_id: Optional[Union[PrincipalId, pulumi.Output]] = None
    """The existing identity's principal (object) id: a :class:`PrincipalId`, a GUID string,
    or an Output of one. A :class:`ClientId` is refused. Required with ``existing_identity_id``."""
    existing_client_id: Optional[Union[ClientId, pulumi.Output]] = None
    """The existing identity's client (application) id: a :class:`ClientId`, a GUID string,
    or an Output of one. A :class:`PrincipalId` is refused. Required with ``existing_identity_id``."""
    grant_existing_identity: bool = True
    """With ``existing_identity_id``: give it the federated credential and the role
    assignment here. Set False when they are managed elsewhere. Defaults to True."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """Namespace of the operator (RFC 1123 label): part of the credential's subject.
    Defaults to ``anyscale-operator`` (the CLI's and the chart's)."""
    kubernetes_service_account: str = kc.OPERATOR_SERVICE_ACCOUNT
    """The operator's Kubernetes service account (``operator.serviceAccount.name``): the
    credential's subject. Defaults to the chart's ``anyscale-operator``."""
    federated_credential_name: str = c.DEFAULT_FEDERATED_CREDENTIAL_NAME
    """Name of the federated credential (unique under the identity). Defaults to
    ``anyscale-operator``."""
    storage_account_id: Optional[StrInput] = None
    """ARM id of the cloud's storage account: the scope of the Storage Blob Data Contributor
    assignment (the account, never its group or subscription). Optional; without it no
    storage access is granted (and a warning says so). Set for you inside the Azure cloud
    composite (:attr:`AnyscaleAzureStorage.account_id`)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the identity we create (Azure's tag rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: tagged ``anyscale-cloud-id``. Optional."""

    @field_validator("oidc_issuer_url")
    @classmethod
    def _issuer(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_oidc_issuer_url(value) if isinstance(value, str) else value

    @field_validator("resource_group_name")
    @classmethod
    def _group(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_resource_group_name(value) if isinstance(value, str) else value

    @field_validator("location")
    @classmethod
    def _location(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_location_name(value)

    @field_validator("identity_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_identity_name(value)

    @field_validator("existing_identity_id")
    @classmethod
    def _identity(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            identity_parts(value)
        return value

    @field_validator("existing_principal_id", mode="before")
    @classmethod
    def _principal(cls, value: Any) -> Any:
        return _typed_id(value, PrincipalId, "existing_principal_id")

    @field_validator("existing_client_id", mode="before")
    @classmethod
    def _client(cls, value: Any) -> Any:
        return _typed_id(value, ClientId, "existing_client_id")

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("kubernetes_service_account")
    @classmethod
    def _service_account(cls, value: str) -> str:
        return kv.check_service_account_name(value)

    @field_validator("federated_credential_name")
    @classmethod
    def _credential(cls, value: str) -> str:
        return v.check_federated_credential_name(value)

    @field_validator("storage_account_id")
    @classmethod
    def _account(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_resource_id(value, STORAGE_ACCOUNT_TYPE) if isinstance(value, str) else value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_cloud_id(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleAksOperatorIdentityArgs":
        problems: list[FieldProblem] = []
        if self.existing_identity_id is not None:
            for field in _NEW_IDENTITY_FIELDS:
                if field in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            field,
                            f"configures an identity we create; only one of existing_identity_id and {field} can be specified",
                        )
                    )
            for field in ("existing_principal_id", "existing_client_id"):
                if getattr(self, field) is None:
                    problems.append(
                        FieldProblem(
                            field,
                            "is required with existing_identity_id (registration takes the principal id, "
                            "the operator's values the client id)",
                        )
                    )
            principal, client = self.existing_principal_id, self.existing_client_id
            if isinstance(principal, str) and isinstance(client, str) and principal.lower() == client.lower():
                problems.append(
                    FieldProblem("existing_client_id", "equals existing_principal_id: an identity's two ids differ")
                )
        else:
            for field in ("existing_principal_id", "existing_client_id", "grant_existing_identity"):
                if field in self.model_fields_set:
                    problems.append(FieldProblem(field, "needs existing_identity_id"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    @property
    def creates_identity(self) -> bool:
        return self.existing_identity_id is None

    @property
    def grants(self) -> bool:
        """Whether this component federates and grants (always for a new identity)."""
        return self.creates_identity or self.grant_existing_identity

    def wiring_problems(self) -> list[FieldProblem]:
        """What the Azure cloud composite fills in: checked by the component before any resource."""
        problems = []
        if self.creates_identity and self.resource_group_name is None:
            problems.append(FieldProblem("resource_group_name", "is required for a new identity"))
        if self.grants and self.oidc_issuer_url is None:
            problems.append(
                FieldProblem("oidc_issuer_url", "is required: the AKS cluster's OIDC issuer, trusted by the federated credential")
            )
        return problems

    def advisories(self) -> list[str]:
        notes = []
        if self.grants and self.storage_account_id is None:
            notes.append(
                "storage_account_id is not set: the operator's identity gets no access to the cloud's storage here "
                "(it needs Storage Blob Data Contributor on the account)"
            )
        return notes


# --- Component ----------------------------------------------------------------------------------
class AnyscaleAksOperatorIdentity(pulumi.ComponentResource):
    """The operator's managed identity, its federated credential and its storage role."""

    principal_id: pulumi.Output[PrincipalId]
    """The identity's principal (object) id: registration's ``anyscaleOperatorIamIdentity``."""
    client_id: pulumi.Output[ClientId]
    """The identity's client id: the operator's ``global.auth.iamIdentity``."""
    tenant_id: pulumi.Output[str]
    """The identity's Entra ID tenant."""
    identity_id: pulumi.Output[str]
    """The identity's ARM id."""
    federated_credential_subject: pulumi.Output[str]
    """``system:serviceaccount:<namespace>:<service account>``."""
    namespace: str
    """The operator's namespace (plain)."""
    kubernetes_service_account: str
    """The operator's Kubernetes service account (plain)."""

    def __init__(
        self, name: str, args: AnyscaleAksOperatorIdentityArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        super().__init__(type_token("AnyscaleAksOperatorIdentity"), name, None, opts)
        hand_on_depends_on(self, opts)
        from pulumi_azure_native import authorization

        self.namespace = args.namespace
        self.kubernetes_service_account = args.kubernetes_service_account
        subject = federated_subject(args.namespace, args.kubernetes_service_account)
        self.federated_credential_subject = pulumi.Output.from_input(subject)
        config = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))

        identity: Optional[managedidentity.UserAssignedIdentity] = None
        group: pulumi.Input[str]
        identity_name: pulumi.Input[str]
        if args.existing_identity_id is not None:
            _, group, identity_name = identity_parts(args.existing_identity_id)
            self.identity_id = pulumi.Output.from_input(args.existing_identity_id)
            self.principal_id = pulumi.Output.from_input(args.existing_principal_id)  # type: ignore[arg-type]
            self.client_id = pulumi.Output.from_input(args.existing_client_id)  # type: ignore[arg-type]
            # A user-assigned identity lives in its subscription's tenant: the provider's.
            self.tenant_id = config.tenant_id
        else:
            identity = self._create_identity(name, args)
            group, identity_name = args.resource_group_name, identity.name  # type: ignore[assignment]
            self.identity_id = identity.id
            self.principal_id = identity.principal_id.apply(PrincipalId)
            self.client_id = identity.client_id.apply(ClientId)
            self.tenant_id = identity.tenant_id
        if args.grants:
            self._federate(name, args, group, identity_name, subject, identity)
            if args.storage_account_id is not None:
                self._grant_storage(name, args, config.subscription_id, identity)
        emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "principal_id": self.principal_id,
                "client_id": self.client_id,
                "tenant_id": self.tenant_id,
                "identity_id": self.identity_id,
                "federated_credential_subject": self.federated_credential_subject,
            }
        )

    def _create_identity(self, name: str, args: AnyscaleAksOperatorIdentityArgs) -> managedidentity.UserAssignedIdentity:
        from pulumi_azure_native import managedidentity


        return managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=args.identity_name,
            resource_group_name=args.resource_group_name,  # type: ignore[arg-type]
            location=args.location,
            tags=merge_tags(args.tags, args.cloud_id),
            opts=child(self),
        )

    def _owned(self, identity: Optional[pulumi.Resource]) -> dict[str, Any]:
        return {"deleted_with": identity} if identity is not None else {}

    def _federate(
        self,
        name: str,
        args: AnyscaleAksOperatorIdentityArgs,
        group: pulumi.Input[str],
        identity_name: pulumi.Input[str],
        subject: str,
        identity: Optional[pulumi.Resource],
    ) -> None:
        from pulumi_azure_native import managedidentity

        managedidentity.FederatedIdentityCredential(
            f"{name}-federated-credential",
            resource_group_name=group,
            resource_name_=identity_name,
            federated_identity_credential_resource_name=args.federated_credential_name,
            issuer=args.oidc_issuer_url,  # type: ignore[arg-type]
            subject=subject,
            audiences=[c.FEDERATED_CREDENTIAL_AUDIENCE],
            opts=child(self, **self._owned(identity)),
        )

    def _grant_storage(
        self,
        name: str,
        args: AnyscaleAksOperatorIdentityArgs,
        subscription: pulumi.Output[str],
        identity: Optional[pulumi.Resource],
    ) -> None:
        from pulumi_azure_native import authorization

        scope = pulumi.Output.from_input(args.storage_account_id)
        role = subscription.apply(role_definition_id)
        principal = self.principal_id.apply(str)
        assignment_name = pulumi.Output.all(scope, principal, role).apply(lambda parts: role_assignment_name(*parts))
        authorization.RoleAssignment(
            f"{name}-storage-blob-data-contributor",
            role_assignment_name=assignment_name,
            scope=scope,  # the storage ACCOUNT (role_assignment_name refuses anything else)
            role_definition_id=role,
            principal_id=principal,
            principal_type=c.ROLE_ASSIGNMENT_PRINCIPAL_TYPE,
            description="Anyscale operator: read and write the cloud's storage",
            opts=child(self, **self._owned(identity)),
        )

"""The operator's managed identity: federated with its service account alone, through the
cluster's OIDC issuer, and granted blob data on the storage account only.

Seed 003: "The operator authenticates to Azure services using a managed identity ... scoped
to the resources in your resource group". Under AKS workload identity the chart annotates
the operator's service account with the identity's client id
(``azure.workload.identity/client-id``, from ``global.auth.iamIdentity``); the pod's projected
token (issuer: the cluster's OIDC issuer, subject ``system:serviceaccount:<ns>:<sa>``, audience
``api://AzureADTokenExchange``) is exchanged for the identity's token only if one of the
identity's federated credentials names exactly that issuer, subject and audience. A
credential for another subject lets that service account act as the operator.

Which identity is the operator's and which credentials are its: see :mod:`._facts`. When the
program does not say which identity the operator uses (the client id is not known yet in a
real preview, and no role assignment says), every federated credential whose subject names
the operator's service account is judged as the operator's. A cluster that is not in the
program (an existing one) has no issuer to compare with: the issuer is then not judged.
"""

from __future__ import annotations

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

from anyscale_infra.azure import constants as c
from anyscale_infra.policy._readers import of_type
from anyscale_infra.policy.azure._facts import (
    FEDERATED_CREDENTIAL,
    MISSING,
    ROLE_ASSIGNMENT,
    UNKNOWN,
    OperatorRelease,
    azure_operators,
    blob_data_role,
    credential_parent,
    credentials_of,
    describe_scope,
    dig,
    issuer_of,
    operator_clusters,
    operator_identities,
    role_guid,
    storage_account_of,
    subject,
    text,
)

AUDIENCES = [c.FEDERATED_CREDENTIAL_AUDIENCE]
WHY_FEDERATION = (
    "AKS workload identity exchanges the operator pod's token (issuer: the cluster's OIDC issuer, subject "
    "system:serviceaccount:<ns>:<sa>, audience api://AzureADTokenExchange) for the managed identity's only when a "
    "federated credential of the identity names exactly those (seed 003: the operator authenticates with a managed identity)"
)


def _subject_problem(value: Any, operator: OperatorRelease) -> Optional[str]:
    wanted = subject(operator.namespace, operator.service_account)
    if value is UNKNOWN:
        return None
    if value is MISSING:
        return f"subject is not set (it is {wanted})"
    parts = value.split(":") if isinstance(value, str) else []
    if (
        len(parts) == 4
        and parts[:2] == ["system", "serviceaccount"]
        and operator.is_subject(parts[2], parts[3]) is not False
    ):
        return None
    return (
        f"subject is {value!r}, not {wanted!r}: it federates another service account than the operator's "
        f"({operator.subject}), which would get the operator's identity"
    )


def _audience_problem(value: Any) -> Optional[str]:
    if value is UNKNOWN:
        return None
    if value is MISSING:
        return f"audiences is not set (it is exactly {AUDIENCES})"
    if isinstance(value, str):
        items = [value]
    else:
        try:
            items = list(value)  # CrossGuard gives a list proxy, which raises on an unknown element
        except Exception:  # noqa: BLE001 - unknown during preview: not judged
            return None
    if any(item is None or item is UNKNOWN for item in items):
        return None
    if items == AUDIENCES:
        return None
    return f"audiences is {items}, not exactly {AUDIENCES} (the audience of Entra ID's token exchange)"


def _issuer_problem(value: Any, clusters: list[PolicyResource]) -> Optional[str]:
    if value is UNKNOWN or not clusters:
        return None  # not known yet, or the cluster is not the program's: not judged
    issuers = [issuer_of(cluster) for cluster in clusters]
    if not all(isinstance(issuer, str) for issuer in issuers):
        return None
    named = " or ".join(f"{issuer} (ManagedCluster {cluster.name}'s oidcIssuerProfile.issuerURL)" for cluster, issuer in zip(clusters, issuers))
    if value is MISSING:
        return f"issuer is not set (it is {named})"
    if value in issuers:
        return None
    hint = ""
    if isinstance(value, str) and value.rstrip("/") in {issuer.rstrip("/") for issuer in issuers}:
        hint = " (they differ in the trailing slash only; Entra ID compares the issuer exactly)"
    return f"issuer is {value!r}, not the cluster's OIDC issuer {named}{hint}"


def _problems(credential: PolicyResource, operator: OperatorRelease, clusters: list[PolicyResource]) -> list[str]:
    props = credential.props
    found = [
        _audience_problem(dig(props, "audiences")),
        _subject_problem(text(dig(props, "subject")), operator),
        _issuer_problem(text(dig(props, "issuer")), clusters),
    ]
    return [problem for problem in found if problem]


def _names_operator_account(credential: PolicyResource, operator: OperatorRelease) -> bool:
    value = text(dig(credential.props, "subject"))
    parts = value.split(":") if isinstance(value, str) else []
    return len(parts) == 4 and parts[:2] == ["system", "serviceaccount"] and operator.service_account == parts[3]


def _federated_credential(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    operators = azure_operators(resources)
    if not operators:
        return
    credentials = of_type(resources, FEDERATED_CREDENTIAL)
    seen: set[tuple[str, str]] = set()

    def say(message: str, urn: str) -> None:
        if (urn, message) not in seen:
            seen.add((urn, message))
            report(message, urn)

    for operator in operators:
        clusters = operator_clusters(operator, resources)
        wanted = subject(operator.namespace, operator.service_account)
        chosen = operator_identities(operator, resources)
        for chosen_identity in chosen:
            identity = chosen_identity.identity
            if chosen_identity.how.startswith("its principalId"):
                say(
                    f"{operator.label}: {operator.where('global', 'auth', 'iamIdentity')} is {operator.identity}, the "
                    f"principalId of identity {identity.resource.name}, not its clientId: the chart annotates the "
                    f"operator's service account with it (azure.workload.identity/client-id), so the token exchange asks "
                    f"for an application that does not exist. Set it to the identity's clientId (registration names the "
                    f"principal id, the chart the client id).",
                    operator.resource.urn,
                )
            own = credentials_of(identity, credentials)
            for credential in own:
                problems = _problems(credential, operator, clusters)
                if problems:
                    say(
                        f"FederatedIdentityCredential {credential.name} of identity {identity.resource.name} (the "
                        f"operator's: {chosen_identity.how}): {'; '.join(problems)}. {WHY_FEDERATION}.",
                        credential.urn,
                    )
            parent_unknown = any(credential_parent(x)[0] is None for x in credentials)
            if not own and not parent_unknown:
                say(
                    f"identity {identity.resource.name} (the operator's: {chosen_identity.how}) has no "
                    f"FederatedIdentityCredential in the program: {operator.label}'s service account {operator.subject} "
                    f"cannot exchange its token for the identity's, so the operator has no Azure identity (storage, "
                    f"control plane). Add one with issuer the cluster's OIDC issuer URL, subject {wanted} and audiences "
                    f"{AUDIENCES}. {WHY_FEDERATION}.",
                    identity.resource.urn,
                )
        if chosen:
            continue
        # Which identity is the operator's is not known: judge the credentials for its service account.
        for credential in credentials:
            if not _names_operator_account(credential, operator):
                continue
            problems = _problems(credential, operator, clusters)
            if problems:
                say(
                    f"FederatedIdentityCredential {credential.name} (for the operator's service account "
                    f"{operator.service_account}): {'; '.join(problems)}. {WHY_FEDERATION}.",
                    credential.urn,
                )


def _role_scope(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != ROLE_ASSIGNMENT:
        return
    role = blob_data_role(dig(args.props, "roleDefinitionId"))
    scope = text(dig(args.props, "scope"))
    if not role or not isinstance(scope, str) or storage_account_of(scope):
        return
    report(
        f"RoleAssignment {args.name} grants {role} ({role_guid(dig(args.props, 'roleDefinitionId'))}) on "
        f"{describe_scope(scope)}. The role reads, writes and deletes every blob where it is assigned: scope it to the "
        "storage account (/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>) "
        "or a container in it, as Anyscale's setup grants it (seed 003: the identity is scoped to the cloud's resources).",
        None,
    )


federated_credential = StackValidationPolicy(
    name="anyscale-azure-federated-credential",
    description=(
        "The operator's managed identity (the user-assigned identity whose clientId its global.auth.iamIdentity "
        "names, in the Anyscale.AKS.Operator extension's configurationSettings or the anyscale-operator release's "
        "values; else one holding Storage Blob Data Contributor/Owner on a storage account) has a "
        "FederatedIdentityCredential, and each of its credentials has audiences exactly [api://AzureADTokenExchange], "
        "subject exactly system:serviceaccount:<operator namespace>:<operator service account> and, when the AKS "
        "cluster is in the program, issuer its oidcIssuerProfile.issuerURL (AKS workload identity; seed 003: the "
        "operator authenticates with a managed identity); iamIdentity is the client id, not the principal id."
    ),
    validate=_federated_credential,
    enforcement_level=EnforcementLevel.MANDATORY,
)
blob_role_scope = ResourceValidationPolicy(
    name="anyscale-azure-blob-role-scope",
    description=(
        "A RoleAssignment of Storage Blob Data Contributor (ba92f5b4-2d11-453d-a403-e96b0029c9fe) or Owner "
        "(b7e6dc6d-f1e8-4753-8033-0f276bb0955b) is scoped to a storage account "
        "(.../providers/Microsoft.Storage/storageAccounts/<name>) or deeper, never a resource group, subscription or "
        "management group, which reach every account under them (seed 003: the identity is scoped to the cloud's "
        "resources; Anyscale's setup grants the role on the account)."
    ),
    validate=_role_scope,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [federated_credential, blob_role_scope]

"""Identity rules: workload identity federation (how Anyscale's control plane, on AWS,
reaches the project) and the access service account it impersonates
(verify_gcp_access_service_account; the federation rules are security rules).

Anyscale's control plane assumes the AWS role ``gcp_if_<org id>`` in its own account, which
holds one such role per Anyscale organization: a provider that admits the account without
pinning the role lets *any* organization's role impersonate the cloud's service account.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.policy.gcp._cel import pins_one_role
from anyscale_infra.policy.gcp._facts import (
    ACCOUNT_CONFIG,
    POOL_PROVIDER,
    PROJECT_ADMIN_ROLES,
    PROJECT_IAM,
    SA_IAM,
    TOKEN_CREATOR,
    AccessAccount,
    access_accounts,
    account_of,
    aws_account,
    cloud_pools,
    get,
    grants,
    grants_of,
    pool_of_member,
    providers_by_pool,
    sa_member,
    service_account_emails,
)

WIF_DOCS = "https://cloud.google.com/iam/docs/workload-identity-federation-with-other-clouds"


def _aws_condition(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != POOL_PROVIDER:
        return
    resource = PolicyResource(args.resource_type, args.props, args.urn, args.name, args.opts, None, None, [], {})
    account = aws_account(resource)
    if account is None:
        return
    pinned, why = pins_one_role(get(args.props, "attributeCondition"), get(args.props, "attributeMapping"))
    if not pinned:
        report(
            f"AWS provider for account {account}: {why}. Any role of that account could then impersonate the "
            f"service accounts this pool may use ({WIF_DOCS}#conditions).",
            None,
        )


def _anyscale_account(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    account = account_of(args.get_config())
    by_pool = providers_by_pool(resources)
    for pool in sorted(cloud_pools(resources, account)):
        for provider in by_pool.get(pool, []):
            found = aws_account(provider)
            if found == account:
                continue
            what = f"AWS account {found}" if found else "identities that are not AWS (an OIDC, SAML or X.509 provider)"
            report(
                f"provider {provider.name} of the Anyscale pool {pool} admits {what}: a principal set of the pool "
                f"(principalSet://.../{pool}/*) would include them. The pool Anyscale uses admits Anyscale's "
                f"account {account} only (`anyscaleAccountId`).",
                provider.urn,
            )


def _declared_access(resources: list[PolicyResource], account: str) -> list[AccessAccount]:
    return [a for a in access_accounts(resources, account) if a.resource is not None and a.email]


def _token_creator(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    sa_grants = grants(resources, *SA_IAM)
    for access in _declared_access(resources, account_of(args.get_config())):
        assert access.resource is not None and access.email
        names = service_account_emails(access.resource)
        if any(g.target in names and g.role == TOKEN_CREATOR and g.member == sa_member(access.email) for g in sa_grants):
            continue
        report(
            f"the Anyscale access service account {access.email} is not granted {TOKEN_CREATOR} on itself: "
            "it cannot call signBlob, so log downloads from the Anyscale console fail "
            "(verify_gcp_access_service_account; `cloud register` asks to continue).",
            access.resource.urn,
        )


def _project_role(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    project_grants = grants(resources, *PROJECT_IAM)
    for access in _declared_access(resources, account_of(args.get_config())):
        assert access.resource is not None and access.email
        if any(g.member == sa_member(access.email) and g.role in PROJECT_ADMIN_ROLES for g in project_grants):
            continue
        report(
            f"the Anyscale access service account {access.email} holds neither roles/editor nor roles/owner on the "
            "project in this program (verify_gcp_access_service_account; `cloud register` asks to continue: "
            "finer-grained roles may break Anyscale).",
            access.resource.urn,
        )


def _no_project_admin(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in PROJECT_IAM:
        return
    resource = PolicyResource(args.resource_type, args.props, args.urn, args.name, args.opts, None, None, [], {})
    federated = sorted(
        {f"{g.role} to {g.member}" for g in grants_of(resource) if g.role in PROJECT_ADMIN_ROLES and pool_of_member(g.member)}
    )
    if federated:
        report(
            f"grants {'; '.join(federated)} on the project: federated identities should impersonate the access "
            "service account (roles/iam.workloadIdentityUser on it), which holds the project role, not hold it "
            "themselves (least privilege).",
            None,
        )


wif_aws_condition = ResourceValidationPolicy(
    name="anyscale-gcp-wif-aws-condition",
    description=(
        "An AWS workload identity provider has an attributeCondition that pins one role "
        "(startsWith 'arn:aws:sts::ACCOUNT:assumed-role/ROLE/' with the trailing '/', or == an exact ARN): "
        "not open to every principal of the account."
    ),
    validate=_aws_condition,
    enforcement_level=EnforcementLevel.MANDATORY,
)
wif_anyscale_account = StackValidationPolicy(
    name="anyscale-gcp-wif-anyscale-account",
    description=(
        "Every provider of the pool Anyscale uses is an AWS provider for Anyscale's control-plane account "
        "(a principal set of the pool admits every provider's identities)."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_anyscale_account,
    enforcement_level=EnforcementLevel.MANDATORY,
)
access_sa_token_creator = StackValidationPolicy(
    name="anyscale-gcp-access-sa-token-creator",
    description=(
        "The service account the Anyscale pool impersonates holds roles/iam.serviceAccountTokenCreator on itself "
        "(signBlob, for log downloads; verify_gcp_access_service_account asks to continue)."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_token_creator,
    enforcement_level=EnforcementLevel.ADVISORY,
)
access_sa_project_role = StackValidationPolicy(
    name="anyscale-gcp-access-sa-project-role",
    description=(
        "The service account the Anyscale pool impersonates holds roles/editor or roles/owner on the project "
        "(verify_gcp_access_service_account asks to continue)."
    ),
    config_schema=ACCOUNT_CONFIG,
    validate=_project_role,
    enforcement_level=EnforcementLevel.ADVISORY,
)
wif_no_project_admin = ResourceValidationPolicy(
    name="anyscale-gcp-wif-no-project-admin",
    description=(
        "No workload identity principal (principal:// or principalSet://) is granted roles/owner or roles/editor "
        "on the project: it impersonates the access service account instead (least privilege)."
    ),
    validate=_no_project_admin,
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [wif_aws_condition, wif_anyscale_account, access_sa_token_creator, access_sa_project_role, wif_no_project_admin]

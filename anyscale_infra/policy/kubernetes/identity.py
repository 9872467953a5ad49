"""The operator's cloud identity: its own (never the nodes'), federated with its Kubernetes
service account by workload identity.

The operator reads and writes the cloud's bucket and talks to Anyscale's control plane as
``global.auth.iamIdentity`` (the chart annotates its service account with it: IRSA's
``eks.amazonaws.com/role-arn``, GKE's ``iam.gke.io/gcp-service-account``), or as the role an
EKS Pod Identity association gives its service account. Without that federation it falls
back to the node's identity (chart values.yaml: "If not set, the Anyscale Operator will use
the IAM identity of the Kubernetes node"), which every pod on the node shares; and an
operator identity that *is* the node's gives every pod the operator's access.

The workload-identity rule judges what the program builds: it applies when the program
installs the operator and builds the EKS or GKE cluster (an existing cluster's workload
identity is not in the program, so it is skipped), and a role or Google service account the
program only names (bring-your-own) is accepted without reading its trust.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from pulumi_policy import EnforcementLevel, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy

from anyscale_infra.aws import constants as aws_c
from anyscale_infra.aws.iam_evaluator import PolicyError, Principal, Request, evaluate
from anyscale_infra.gcp import constants as gcp_c
from anyscale_infra.policy._readers import as_list, of_type
from anyscale_infra.policy.aws._facts import allows, statements
from anyscale_infra.policy.aws._iam import RoleView, role_views
from anyscale_infra.policy.gcp._facts import SERVICE_ACCOUNT, service_account_emails
from anyscale_infra.policy.kubernetes._facts import (
    EKS_CLUSTER,
    GKE_CLUSTER,
    GKE_NODE_POOL,
    MISSING,
    POD_IDENTITY,
    POD_IDENTITY_ACTIONS,
    UNKNOWN,
    WEB_IDENTITY_ACTION,
    OperatorRelease,
    account_of,
    dig,
    federations,
    identity_keys,
    irsa_subject,
    node_identities,
    operator_identities,
    operator_releases,
    pod_identity_associations,
    release_clouds,
)

#: A different service account, in the operator's namespace and in another one: a trust that
#: lets either assume the operator's role is not pinned to the operator.
_OTHER_ACCOUNT = "anyscale-policy-check-other"
_OTHER_NAMESPACE = "anyscale-policy-check-other"

# -- rule 3: not the node identity ------------------------------------------------------------


def _not_node(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    releases = operator_releases(resources)
    nodes = node_identities(resources) if releases else []
    if not nodes:
        return
    seen: set[tuple[str, str]] = set()
    for release in releases:
        for identity in operator_identities(resources, release):
            node = next((n for n in nodes if n.keys & identity.keys), None)
            if node is None or (identity.resource.urn, identity.identity) in seen:
                continue
            seen.add((identity.resource.urn, identity.identity))
            report(
                f"{identity.source} of the {release.resource.name} release is {identity.identity}, {node.where}: the "
                f"operator would share the nodes' identity, so every pod on those nodes gets the operator's access "
                f"(the cloud's bucket, Anyscale's control plane). Give the operator its own role or service account, "
                f"federated with its service account {release.subject}.",
                identity.resource.urn,
            )


# -- rule 4: workload identity ----------------------------------------------------------------


def _gke_cluster(cluster: PolicyResource) -> list[str]:
    if dig(cluster.props, "enableAutopilot") is True:
        return []  # Autopilot always runs workload identity and the GKE metadata server
    problems = []
    pool = dig(cluster.props, "workloadIdentityConfig", "workloadPool")
    project = dig(cluster.props, "project")
    wanted = f"{project}{gcp_c.WORKLOAD_POOL_SUFFIX}" if isinstance(project, str) and project else None
    if pool is MISSING:
        problems.append(
            f"workloadIdentityConfig.workloadPool is not set (it is {wanted or '<project>' + gcp_c.WORKLOAD_POOL_SUFFIX}): "
            "no pod can get a Google identity of its own"
        )
    elif isinstance(pool, str) and not (pool == wanted if wanted else pool.endswith(gcp_c.WORKLOAD_POOL_SUFFIX)):
        problems.append(f"workloadIdentityConfig.workloadPool is {pool!r}, not {wanted or '<project>' + gcp_c.WORKLOAD_POOL_SUFFIX}")
    keeps_default_pool = dig(cluster.props, "removeDefaultNodePool") is not True and dig(cluster.props, "nodePools") is MISSING
    if keeps_default_pool:
        problem = _metadata_problem(dig(cluster.props, "nodeConfig", "workloadMetadataConfig", "mode"))
        if problem:
            problems.append(f"its default node pool (kept: removeDefaultNodePool is not true) {problem}")
    return problems


def _metadata_problem(mode: Any) -> Optional[str]:
    if mode is UNKNOWN or mode == gcp_c.GKE_METADATA_MODE:
        return None
    said = "does not set nodeConfig.workloadMetadataConfig.mode" if mode is MISSING else f"sets nodeConfig.workloadMetadataConfig.mode {mode!r}"
    return (
        f"{said}, not {gcp_c.GKE_METADATA_MODE}: pods on its nodes reach the Compute Engine metadata server and get "
        "the node's service account, not their own"
    )


def _gke(resources: list[PolicyResource], release: OperatorRelease, report: ReportViolation) -> None:
    found = federations(resources, release)
    identity = release.identity
    if identity is MISSING:
        report(
            f"the {release.resource.name} release on GKE does not set values.global.auth.iamIdentity: the chart does "
            f"not annotate the operator's service account (iam.gke.io/gcp-service-account), so the operator cannot "
            f"impersonate a Google service account and uses the node's identity (chart values.yaml). Set it to the "
            f"service account {release.subject} may impersonate (roles/iam.workloadIdentityUser).",
            release.resource.urn,
        )
        return
    if identity is UNKNOWN:
        if not found:
            report(_no_federation(release, "a Google service account") + ".", release.resource.urn)
        return
    if not isinstance(identity, str):
        return
    wanted = identity_keys(identity)
    if any(f.email is None or identity_keys(f.email) & wanted for f in found):
        return  # granted (or a grant on an account not known yet: not judged)
    declared = next((a for a in of_type(resources, SERVICE_ACCOUNT) if {k.lower() for k in service_account_emails(a)} & wanted), None)
    if declared is None and not found:
        return  # bring-your-own account whose IAM is not in the program
    others = sorted({f.email for f in found if f.email})
    also = f" (the program lets it impersonate {', '.join(others)} instead)" if others else ""
    report(_no_federation(release, identity) + also + ".", declared.urn if declared is not None else release.resource.urn)


def _no_federation(release: OperatorRelease, account: str) -> str:
    return (
        f"no {gcp_c.WORKLOAD_IDENTITY_USER_ROLE} grant in the program lets the operator's service account "
        f"{release.subject} (serviceAccount:<project>{gcp_c.WORKLOAD_POOL_SUFFIX}[{release.subject}]) impersonate "
        f"{account}, the {release.resource.name} release's global.auth.iamIdentity: the operator cannot get its "
        "identity through workload identity"
    )


def _role(resources: list[PolicyResource], arn: str) -> Optional[RoleView]:
    wanted = identity_keys(arn)
    return next((v for v in role_views(resources) if isinstance(dig(v.resource.props, "arn"), str) and identity_keys(v.arn) & wanted), None)


def _federated_providers(trust: Mapping[str, Any]) -> list[str]:
    found = []
    for statement in statements(trust):
        principal = statement.get("Principal")
        if allows(statement) and isinstance(principal, Mapping):
            found += [p for p in as_list(principal.get("Federated")) if isinstance(p, str) and ":oidc-provider/" in p and "*" not in p]
    return list(dict.fromkeys(found))


def _subjects(trust: Mapping[str, Any], service_account: str) -> list[str]:
    """Namespaces the trust's ``:sub`` conditions name for ``service_account``."""
    found = []
    for statement in statements(trust):
        for block in (statement.get("Condition") or {}).values():
            if isinstance(block, Mapping):
                for key, values in block.items():
                    if str(key).endswith(":sub"):
                        for value in as_list(values):
                            parts = str(value).split(":")
                            if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"] and parts[3] == service_account:
                                found.append(parts[2])
    return list(dict.fromkeys(found))


def _web_identity(view: RoleView, namespace: str, service_account: str) -> tuple[bool, bool]:
    """(the service account may assume the role with its token, another one may too)."""
    assert view.trust is not None
    account = account_of(view.arn)

    def may(provider: str, subject: str) -> bool:
        host = provider.split(":oidc-provider/", 1)[1]
        context = {f"{host}:sub": subject, f"{host}:aud": aws_c.STS_AUDIENCE}
        request = Request(WEB_IDENTITY_ACTION, view.arn, Principal.federated(provider), context)
        return evaluate(request, resource_policy=view.trust, resource_account=account).allowed

    for provider in _federated_providers(view.trust.document):
        if may(provider, irsa_subject(namespace, service_account)):
            others = (irsa_subject(namespace, _OTHER_ACCOUNT), irsa_subject(_OTHER_NAMESPACE, service_account))
            return True, any(may(provider, other) for other in others)
    return False, False


def _pod_identity_context(resources: list[PolicyResource], association: PolicyResource, view: RoleView) -> dict[str, Any]:
    """What EKS Pod Identity's request to STS carries: its session tags (unless the
    association disables them; the pod's name and uid are not knowable here) and the
    association's account."""
    context: dict[str, Any] = {}
    account = account_of(view.arn)
    if account:
        context["aws:SourceAccount"] = account
    if dig(association.props, "disableSessionTags") is True:
        return context
    cluster_name = dig(association.props, "clusterName")
    cluster = next((x for x in of_type(resources, EKS_CLUSTER) if dig(x.props, "name") == cluster_name), None)
    tags = {
        "eks-cluster-name": cluster_name,
        "eks-cluster-arn": dig(cluster.props, "arn") if cluster is not None else MISSING,
        "kubernetes-namespace": dig(association.props, "namespace"),
        "kubernetes-service-account": dig(association.props, "serviceAccount"),
    }
    known = {key: value for key, value in tags.items() if isinstance(value, str) and value}
    context.update({f"aws:RequestTag/{key}": value for key, value in known.items()})
    if known:
        context["aws:TagKeys"] = sorted(known)
    return context


def _condition_keys(trust: Mapping[str, Any]) -> set[str]:
    return {
        str(key).lower()
        for statement in statements(trust)
        for block in (statement.get("Condition") or {}).values()
        if isinstance(block, Mapping)
        for key in block
    }


def _pod_identity_trusted(view: RoleView, context: dict[str, Any]) -> Optional[bool]:
    """Whether the trust lets EKS Pod Identity assume the role and tag the session; None
    when it is denied on a condition key the request would carry but the program does not
    say (the pod's name, a cluster ARN not known yet)."""
    assert view.trust is not None
    principal = Principal.service(aws_c.EKS_POD_IDENTITY_PRINCIPAL)
    allowed = all(
        evaluate(Request(action, view.arn, principal, context), resource_policy=view.trust,
                 resource_account=account_of(view.arn)).allowed
        for action in POD_IDENTITY_ACTIONS
    )
    if allowed:
        return True
    unsaid = _condition_keys(view.trust.document) - {key.lower() for key in context}
    return None if any(key.startswith(("aws:requesttag/", "aws:source")) for key in unsaid) else False


def _eks(resources: list[PolicyResource], release: OperatorRelease, report: ReportViolation) -> None:
    associations = pod_identity_associations(resources, release)
    if associations:
        for association, _ in associations:
            role_arn = dig(association.props, "roleArn")
            view = _role(resources, role_arn) if isinstance(role_arn, str) else None
            if view is None or view.trust is None:
                continue  # unknown, or a role the program does not build
            try:
                trusted = _pod_identity_trusted(view, _pod_identity_context(resources, association, view))
            except PolicyError as exc:
                report(f"the trust policy of role {view.resource.name} cannot be evaluated: {exc}", view.resource.urn)
                continue
            if trusted is False:
                report(
                    f"PodIdentityAssociation {association.name} gives {release.subject} role {view.resource.name}, whose "
                    f"trust policy does not let {aws_c.EKS_POD_IDENTITY_PRINCIPAL} {' and '.join(POD_IDENTITY_ACTIONS)} "
                    f"for it (session tags kubernetes-namespace/kubernetes-service-account {release.subject}): EKS Pod "
                    "Identity cannot hand the operator its credentials.",
                    association.urn,
                )
        return
    identity = release.identity
    if identity is UNKNOWN or not (identity is MISSING or isinstance(identity, str)):
        return
    if identity is MISSING:
        report(
            f"the {release.resource.name} release on EKS has neither an EKS Pod Identity association for "
            f"{release.subject} ({POD_IDENTITY.rsplit(':', 1)[-1]}) nor values.global.auth.iamIdentity (IRSA): the "
            "operator would run with the node role's credentials.",
            release.resource.urn,
        )
        return
    view = _role(resources, identity)
    if view is None or view.trust is None or not release.service_account:
        return  # a role the program does not build (bring-your-own), or one not known yet
    namespaces = [release.namespace] if release.namespace else (_subjects(view.trust.document, release.service_account) or ["default"])
    try:
        verdicts = [(ns, *_web_identity(view, ns, release.service_account)) for ns in namespaces]
    except PolicyError as exc:
        report(f"the trust policy of role {view.resource.name} cannot be evaluated: {exc}", view.resource.urn)
        return
    admitted = [v for v in verdicts if v[1]]
    namespace = admitted[0][0] if admitted else namespaces[0]
    subject = irsa_subject(namespace, release.service_account)
    if not admitted:
        report(
            f"role {view.resource.name} (the {release.resource.name} release's global.auth.iamIdentity) does not let "
            f"{subject} assume it with {WEB_IDENTITY_ACTION}: its trust needs the cluster's OIDC provider as Federated "
            f"principal and StringEquals <issuer>:sub = {subject} (IRSA), or give {release.subject} an EKS Pod "
            "Identity association.",
            view.resource.urn,
        )
    elif admitted[0][2]:
        report(
            f"role {view.resource.name} (the {release.resource.name} release's global.auth.iamIdentity) lets other "
            f"service accounts than {subject} assume it with {WEB_IDENTITY_ACTION}: pin its trust with StringEquals "
            f"<issuer>:sub = {subject}.",
            view.resource.urn,
        )


def _workload_identity(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    releases = operator_releases(resources)
    judged = [(release, release_clouds(release, resources)) for release in releases]
    if any("gcp" in clouds for _, clouds in judged):
        for cluster in of_type(resources, GKE_CLUSTER):
            problems = _gke_cluster(cluster)
            if problems:
                report(f"GKE Cluster {cluster.name}: {'; '.join(problems)}. The operator needs workload identity.", cluster.urn)
        for pool in of_type(resources, GKE_NODE_POOL):
            problem = _metadata_problem(dig(pool.props, "nodeConfig", "workloadMetadataConfig", "mode"))
            if problem:
                report(f"GKE NodePool {pool.name} {problem}. The operator needs workload identity wherever it runs.", pool.urn)
    for release, clouds in judged:
        if "gcp" in clouds:
            _gke(resources, release, report)
        if "aws" in clouds:
            _eks(resources, release, report)


operator_identity_not_node = StackValidationPolicy(
    name="anyscale-k8s-operator-identity-not-node",
    description=(
        "The operator's identity (values.global.auth.iamIdentity, the role of its EKS Pod Identity association, "
        "the Google service account it may impersonate) is not a node identity of the program: not an EKS node "
        "group's (or Auto Mode's) nodeRoleArn, not a GKE node pool's or cluster's nodeConfig.serviceAccount (nor "
        "the Compute Engine default account where one is unset); every pod on the nodes would get the operator's "
        "access."
    ),
    validate=_not_node,
    enforcement_level=EnforcementLevel.MANDATORY,
)
operator_workload_identity = StackValidationPolicy(
    name="anyscale-k8s-operator-workload-identity",
    description=(
        "Workload identity is on for the operator's service account (values.operator.serviceAccount.name in the "
        "release's namespace) where the program builds the cluster. GKE: the cluster's workloadPool is "
        "<project>.svc.id.goog, every node pool (and a kept default pool) sets workloadMetadataConfig.mode "
        "GKE_METADATA, iamIdentity is set and roles/iam.workloadIdentityUser on it is granted to "
        "serviceAccount:<project>.svc.id.goog[<ns>/<sa>]. EKS: a Pod Identity association for <ns>/<sa> (its role "
        "trusting pods.eks.amazonaws.com), or iamIdentity a role whose trust allows "
        "sts:AssumeRoleWithWebIdentity for system:serviceaccount:<ns>:<sa> only. Skipped for an existing cluster "
        "(not in the program) and for a role or account the program only names."
    ),
    validate=_workload_identity,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [operator_identity_not_node, operator_workload_identity]

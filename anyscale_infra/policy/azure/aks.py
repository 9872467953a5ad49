"""AKS clusters the operator runs on have the OIDC issuer and workload identity on.

The operator authenticates with a managed identity (seed 003) through AKS workload identity:
the cluster's OIDC issuer (``oidcIssuerProfile.enabled``) publishes the keys Entra ID checks
the service account token against, and the workload identity webhook
(``securityProfile.workloadIdentity.enabled``) projects that token into pods labelled
``azure.workload.identity/use`` (the chart labels the operator's). Both are off unless set.
Judged in programs that install the operator (the extension or an Azure release); an
existing cluster (not in the program) is not.
"""

from __future__ import annotations

from typing import Any, Optional

from pulumi_policy import EnforcementLevel, ReportViolation, StackValidationArgs, StackValidationPolicy

from anyscale_infra.policy._readers import of_type
from anyscale_infra.policy.azure._facts import MANAGED_CLUSTER, MISSING, UNKNOWN, azure_operators, dig


def _off(value: Any, field: str, what: str) -> Optional[str]:
    if value is UNKNOWN or value is True:
        return None
    said = f"does not set {field}" if value is MISSING else f"sets {field} {value!r}"
    return f"{said} (it must be true: {what})"


def _workload_identity(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    operators = azure_operators(resources)
    if not operators:
        return
    names = ", ".join(operator.label for operator in operators)
    for cluster in of_type(resources, MANAGED_CLUSTER):
        problems = [
            problem
            for problem in (
                _off(dig(cluster.props, "oidcIssuerProfile", "enabled"), "oidcIssuerProfile.enabled",
                     "without the OIDC issuer Entra ID cannot verify a service account token"),
                _off(dig(cluster.props, "securityProfile", "workloadIdentity", "enabled"),
                     "securityProfile.workloadIdentity.enabled",
                     "without the workload identity webhook no pod gets a token to exchange"),
            )
            if problem
        ]
        if problems:
            report(
                f"ManagedCluster {cluster.name} {'; '.join(problems)}. The program installs the Anyscale operator "
                f"({names}), which authenticates with a managed identity through AKS workload identity (seed 003); "
                "without it the operator has no Azure identity.",
                cluster.urn,
            )


aks_workload_identity = StackValidationPolicy(
    name="anyscale-azure-aks-workload-identity",
    description=(
        "Every ManagedCluster of a program that installs the Anyscale operator (an Anyscale.AKS.Operator extension or "
        "an anyscale-operator release for Azure) sets oidcIssuerProfile.enabled and "
        "securityProfile.workloadIdentity.enabled true (both off by default): the operator authenticates with a "
        "managed identity through AKS workload identity (seed 003). An existing cluster is not judged."
    ),
    validate=_workload_identity,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [aks_workload_identity]

"""A hand-written Anyscale cloud on Azure, in plain pulumi_azure_native and pulumi_kubernetes
(no anyscale_infra component: the rules must judge resources by type and properties only),
run on the offline engine so the wire names are the SDKs' own.

The program: a resource group; a storage account (ADLS Gen2) and its container; the
operator's user-assigned identity, its federated credential and Storage Blob Data
Contributor on the account; an AKS cluster with the OIDC issuer and workload identity; and
the operator as the ``Anyscale.AKS.Operator`` extension, its chart values as flat
``configurationSettings`` (or, in the ``release*`` variants, as the ``anyscale-operator``
helm release). Every value is written out here — nothing computed from
``anyscale_infra/azure/constants.py`` — so a change to our constants cannot move the fixtures
with it. Each program takes a ``variant``: ``"compliant"``, or one change that breaks (or, for
a near miss, just keeps) one requirement; :data:`VARIANTS` lists them so a typo in a test
cannot silently run the compliant program.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

LOCATION = "eastus2"
GROUP = "anyscale-rg"
ACCOUNT = "anyscaledata01"
CLUSTER = "anyscale-aks"
NAMESPACE = "anyscale-operator"
OPERATOR_SA = "anyscale-operator"
DEPLOYMENT_ID = "cldrsrc_abcdefgh12345678ijklmnop12"
#: The offline engine's subscription (anyscale_infra.preview.mocks.azure.PREVIEW_SUBSCRIPTION_ID).
SUBSCRIPTION = "00000000-0000-4000-8000-000000000001"
AUDIENCE = "api://AzureADTokenExchange"
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
#: A client id the program only names (bring-your-own identity).
BYO_CLIENT_ID = "11111111-2222-4333-8444-555555555555"
#: The control plane's audience (global.auth.audience on Azure).
CONTROL_PLANE_AUDIENCE = "api://086bc555-6989-4362-ba30-fded273e432b/.default"

VARIANTS = frozenset({
    "compliant",
    # storage: nothing public
    "public-account", "public-container", "container-access-blob-unset", "account-public-unset",
    # storage: TLS
    "tls-1-0", "tls-unset", "http-allowed", "https-unset", "tls-1-3",
    # federated credential
    "fic-extra-audience", "fic-other-namespace", "fic-other-issuer", "fic-issuer-no-slash", "no-fic",
    "fic-on-other-identity", "principal-id-as-client-id", "fic-for-other-sa", "byo-identity",
    "identity-by-role", "identity-by-role-wrong-subject", "custom-namespace", "unknown-issuer",
    "existing-cluster", "release", "release-custom-sa", "release-default-sa-fic",
    "unknown-identity-wrong-subject",
    # AKS workload identity
    "no-oidc", "no-workload-identity", "oidc-disabled", "no-operator",
    # blob role scope
    "role-on-group", "role-on-subscription", "owner-on-group", "role-on-container", "reader-on-group",
    # L4 ingress (anyscale-k8s-ingress-l4)
    "agic-ingress", "agic-annotation", "appgw-annotations", "agic-ingress-class", "agc-gateway",
    "agc-ingress", "extension-agic-class", "release-agic-class", "internal-lb", "webapprouting-ingress",
})


def _unknown() -> Any:
    """An output a preview does not know (computed by a resource not created yet)."""
    import pulumi

    loop = asyncio.get_event_loop()
    value, known = loop.create_future(), loop.create_future()
    value.set_result(None)
    known.set_result(False)
    return pulumi.Output(set(), value, known)


def _role_definition(guid: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


def program(variant: str = "compliant") -> Callable[[], None]:
    assert variant in VARIANTS, variant

    def body() -> None:
        import pulumi_azure_native as azure
        import pulumi_kubernetes as k8s

        group = azure.resources.ResourceGroup("rg", resource_group_name=GROUP, location=LOCATION)

        # -- storage ---------------------------------------------------------------------------
        account_args: dict[str, Any] = dict(
            account_name=ACCOUNT, resource_group_name=group.name, location=LOCATION, kind="StorageV2",
            sku=azure.storage.SkuArgs(name="Standard_LRS"), is_hns_enabled=True,
            allow_blob_public_access=False, minimum_tls_version="TLS1_2", enable_https_traffic_only=True,
        )
        if variant == "public-account":
            account_args["allow_blob_public_access"] = True
        elif variant == "account-public-unset":
            del account_args["allow_blob_public_access"]  # Azure's default: false
        if variant == "tls-1-0":
            account_args["minimum_tls_version"] = "TLS1_0"
        elif variant == "tls-unset":
            del account_args["minimum_tls_version"]  # Azure's default interpretation: TLS 1.0
        elif variant == "tls-1-3":
            account_args["minimum_tls_version"] = "TLS1_3"
        if variant == "http-allowed":
            account_args["enable_https_traffic_only"] = False
        elif variant == "https-unset":
            del account_args["enable_https_traffic_only"]  # true by default since 2019-04-01
        account = azure.storage.StorageAccount("data", **account_args)
        container_args: dict[str, Any] = dict(
            account_name=account.name, resource_group_name=group.name, container_name="anyscale-data", public_access="None",
        )
        if variant == "public-container":
            container_args["public_access"] = "Blob"
        elif variant == "container-access-blob-unset":
            del container_args["public_access"]
        container = azure.storage.BlobContainer("container", **container_args)

        # -- the operator's identity --------------------------------------------------------------
        identity = azure.managedidentity.UserAssignedIdentity(
            "operator", resource_name_="anyscale-operator", resource_group_name=group.name, location=LOCATION)
        other = azure.managedidentity.UserAssignedIdentity(
            "other", resource_name_="team-tools", resource_group_name=group.name, location=LOCATION)

        # -- the cluster -------------------------------------------------------------------------
        cluster = None
        if variant != "existing-cluster":
            cluster_args: dict[str, Any] = dict(
                resource_name_=CLUSTER, resource_group_name=group.name, location=LOCATION, dns_prefix="anyscale",
                identity=azure.containerservice.ManagedClusterIdentityArgs(type="SystemAssigned"),
                agent_pool_profiles=[azure.containerservice.ManagedClusterAgentPoolProfileArgs(
                    name="system", mode="System", vm_size="Standard_D4s_v5", count=2, os_type="Linux")],
                oidc_issuer_profile=azure.containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
                security_profile=azure.containerservice.ManagedClusterSecurityProfileArgs(
                    workload_identity=azure.containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True)),
            )
            if variant in ("no-oidc", "no-operator"):
                del cluster_args["oidc_issuer_profile"]
            elif variant == "oidc-disabled":
                cluster_args["oidc_issuer_profile"] = azure.containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=False)
            if variant in ("no-workload-identity", "no-operator"):
                del cluster_args["security_profile"]
            cluster = azure.containerservice.ManagedCluster("aks", **cluster_args)

        # -- the federated credential -------------------------------------------------------------
        namespace = "anyscale" if variant == "custom-namespace" else NAMESPACE
        account_name = "op" if variant in ("release-custom-sa", "release-default-sa-fic") else OPERATOR_SA
        issuer: Any
        if cluster is None:
            issuer = "https://eastus2.oic.prod-aks.azure.com/00000000-0000-4000-8000-000000000002/existing/"
        else:
            issuer = cluster.oidc_issuer_profile.apply(lambda p: p.issuer_url if p else None)
        if variant == "fic-other-issuer":
            issuer = "https://token.actions.githubusercontent.com"
        elif variant == "fic-issuer-no-slash":
            issuer = issuer.apply(lambda url: url.rstrip("/"))
        elif variant == "unknown-issuer":
            issuer = _unknown()
        subject = f"system:serviceaccount:{namespace}:{account_name}"
        if variant in ("fic-other-namespace", "identity-by-role-wrong-subject", "unknown-identity-wrong-subject"):
            subject = f"system:serviceaccount:default:{OPERATOR_SA}"
        elif variant == "release-default-sa-fic":
            subject = f"system:serviceaccount:{namespace}:{OPERATOR_SA}"  # the release's is "op"
        audiences = [AUDIENCE, "api://other"] if variant == "fic-extra-audience" else [AUDIENCE]
        if variant not in ("no-fic", "byo-identity"):
            parent = other if variant == "fic-on-other-identity" else identity
            azure.managedidentity.FederatedIdentityCredential(
                "operator", federated_identity_credential_resource_name="anyscale-operator",
                resource_name_=parent.name, resource_group_name=group.name,
                issuer=issuer, subject=subject, audiences=audiences)
        if variant == "fic-for-other-sa":
            azure.managedidentity.FederatedIdentityCredential(
                "ci", federated_identity_credential_resource_name="ci",
                resource_name_=identity.name, resource_group_name=group.name,
                issuer=issuer, subject="system:serviceaccount:ci:deployer", audiences=[AUDIENCE])

        # -- blob data on the account ---------------------------------------------------------------
        scope: Any = account.id
        role = BLOB_CONTRIBUTOR
        if variant in ("role-on-group", "reader-on-group"):
            scope = group.id
        elif variant == "owner-on-group":
            scope, role = group.id, BLOB_OWNER
        elif variant == "role-on-subscription":
            scope = f"/subscriptions/{SUBSCRIPTION}"
        elif variant == "role-on-container":
            scope = container.id
        if variant == "reader-on-group":
            role = READER
        azure.authorization.RoleAssignment(
            "operator-blob", scope=scope, role_definition_id=_role_definition(role),
            # In a real preview a new identity's principal id is not known yet.
            principal_id=_unknown() if variant == "unknown-identity-wrong-subject" else identity.principal_id,
            principal_type="ServicePrincipal")

        # -- the operator -----------------------------------------------------------------------------
        client_id: Any = identity.client_id
        if variant == "principal-id-as-client-id":
            client_id = identity.principal_id
        elif variant == "byo-identity":
            client_id = BYO_CLIENT_ID
        elif variant == "unknown-identity-wrong-subject":
            client_id = _unknown()
        values: dict[str, Any] = {
            "global": {
                "cloudDeploymentId": DEPLOYMENT_ID, "cloudProvider": "azure",
                "auth": {"iamIdentity": client_id, "audience": CONTROL_PLANE_AUDIENCE},
            },
            "workloads": {"serviceAccount": {"name": account_name}},
            "networking": {"gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": namespace}},
        }
        if variant in ("identity-by-role", "identity-by-role-wrong-subject"):
            del values["global"]["auth"]["iamIdentity"]
        if variant in ("release-custom-sa", "release-default-sa-fic"):
            values["operator"] = {"serviceAccount": {"name": account_name}}
        if variant in ("extension-agic-class", "release-agic-class"):
            values["networking"] = {"ingress": {"classNameOverride": "azure-application-gateway"}}
        release = variant.startswith("release")
        if release:
            k8s.helm.v3.Release(
                "operator", name="anyscale-operator", chart="anyscale-operator", version="1.8.0", namespace=namespace,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo="https://anyscale.github.io/helm-charts"),
                values=values)
        elif variant != "no-operator":
            azure.kubernetesconfiguration.Extension(
                "operator", cluster_name=cluster.name if cluster is not None else "existing-aks",
                cluster_resource_name="managedClusters", cluster_rp="Microsoft.ContainerService",
                resource_group_name=group.name, extension_name="anyscaleoperator",
                extension_type="Anyscale.AKS.Operator", release_train="stable", auto_upgrade_minor_version=True,
                plan=azure.kubernetesconfiguration.PlanArgs(
                    name="anyscale-operator", product="anyscale-operator-aks", publisher="anyscale1750870039553"),
                scope=azure.kubernetesconfiguration.ScopeArgs(
                    cluster=azure.kubernetesconfiguration.ScopeClusterArgs(release_namespace=namespace)),
                configuration_settings=_flat(values))

        # -- what clients reach: Envoy Gateway behind the Azure Load Balancer (L4) --------------------
        _gateway(k8s, "azure-alb-external" if variant == "agc-gateway" else "anyscale-envoy")
        if variant == "agc-gateway":
            k8s.apiextensions.CustomResource(
                "agc-class", api_version="gateway.networking.k8s.io/v1", kind="GatewayClass",
                metadata={"name": "azure-alb-external"}, spec={"controllerName": "alb.networking.azure.io/alb-controller"})
        if variant == "agic-ingress":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "namespace": "apps"},
                                      spec={"ingressClassName": "azure-application-gateway"})
        if variant == "agic-annotation":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {
                "kubernetes.io/ingress.class": "azure/application-gateway"}},
                spec={"defaultBackend": {"service": {"name": "app", "port": {"number": 80}}}})
        if variant == "appgw-annotations":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {
                "appgw.ingress.kubernetes.io/ssl-redirect": "true", "appgw.ingress.kubernetes.io/use-private-ip": "false"}},
                spec={"ingressClassName": "nginx"})
        if variant == "agic-ingress-class":
            k8s.networking.v1.IngressClass("appgw", metadata={"name": "appgw"}, spec={"controller": "azure/application-gateway"})
            k8s.networking.v1.Ingress("app", metadata={"name": "app"}, spec={"ingressClassName": "appgw"})
        if variant == "agc-ingress":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {
                "alb.networking.azure.io/alb-name": "anyscale-alb", "alb.networking.azure.io/alb-namespace": "alb"}},
                spec={"ingressClassName": "azure-alb-external"})
        if variant == "webapprouting-ingress":
            # AKS's application routing add-on: managed NGINX behind the Azure Load Balancer (L4).
            k8s.networking.v1.Ingress("app", metadata={"name": "app"},
                                      spec={"ingressClassName": "webapprouting.kubernetes.azure.com"})
        if variant == "internal-lb":
            k8s.core.v1.Service(
                "edge", metadata={"name": "edge", "annotations": {
                    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
                    "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz"}},
                spec={"type": "LoadBalancer", "ports": [{"port": 443}], "selector": {"app": "edge"}})

    return body


def _flat(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Chart values as an extension's configurationSettings: dotted keys, string values (an
    output, such as the identity's client id, stays an output)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, bool):
            flat[f"{prefix}{key}"] = str(value).lower()
        else:
            flat[f"{prefix}{key}"] = value if hasattr(value, "apply") else str(value)
    return flat


def _gateway(k8s: Any, class_name: str) -> None:
    """Envoy Gateway's objects the operator routes through: the EnvoyProxy (its Service is an
    Azure Load Balancer with the health-probe path), the GatewayClass, the Gateway."""
    k8s.apiextensions.CustomResource(
        "envoy-proxy", api_version="gateway.envoyproxy.io/v1alpha1", kind="EnvoyProxy",
        metadata={"name": "anyscale-proxy", "namespace": NAMESPACE},
        spec={"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": {"type": "LoadBalancer", "annotations": {
            "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz"}}}}},
    )
    k8s.apiextensions.CustomResource(
        "gateway-class", api_version="gateway.networking.k8s.io/v1", kind="GatewayClass",
        metadata={"name": "anyscale-envoy"},
        spec={"controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
              "parametersRef": {"group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "anyscale-proxy", "namespace": NAMESPACE}},
    )
    k8s.apiextensions.CustomResource(
        "gateway", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
        metadata={"name": "anyscale-gateway", "namespace": NAMESPACE},
        spec={"gatewayClassName": class_name,
              "listeners": [{"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": {"namespaces": {"from": "Same"}}}]},
    )


@functools.cache
def run(variant: str = "compliant") -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """(policy records, stack outputs) of one variant on the offline engine (cached: each
    variant runs once per test session)."""
    from anyscale_infra.cli import policy_records
    from anyscale_infra.preview.engine import run_function

    result = run_function(program(variant), config={"azure-native:location": LOCATION}, project="hand-written-azure")
    return tuple(policy_records(result)), dict(result.outputs)

"""Every Azure rule of the pack (``anyscale-azure-*``), and the Azure side of
``anyscale-k8s-ingress-l4``: silent on the compliant hand-written Azure program, reporting the
exact rule id on the exact resources at the rule's level when one requirement is broken, with
near misses on each side of a rule's boundary; unknown values (a real preview) are never
reported; programs with nothing Azure in them are never judged."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE, unknown_checking_proxy

from anyscale_infra.policy import ALL_POLICIES, CHECK_ONLY_POLICIES
from anyscale_infra.policy import azure as azure_rules
from anyscale_infra.policy.kubernetes._facts import operator_extension, unflatten
from anyscale_infra.policy.runner import evaluate
from azure_fixtures import VARIANTS, run

ROOT = Path(__file__).resolve().parents[2]
RULES = [*azure_rules.POLICIES, *azure_rules.CHECK_ONLY_POLICIES]
AZURE_IDS = {p.name for p in RULES}
L4 = "anyscale-k8s-ingress-l4"
LEVEL = {p.name: p.enforcement_level.value for p in [*ALL_POLICIES, *CHECK_ONLY_POLICIES]}

ACCOUNT = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
FIC = "azure-native:managedidentity:FederatedIdentityCredential"
CLUSTER = "azure-native:containerservice:ManagedCluster"
ROLE = "azure-native:authorization:RoleAssignment"
EXTENSION = "azure-native:kubernetesconfiguration:Extension"
RELEASE = "kubernetes:helm.sh/v3:Release"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
GATEWAY_CLASS = "kubernetes:gateway.networking.k8s.io/v1:GatewayClass"


def judged(records, outputs=None, rule_id=None):
    """Violations of the Azure rules and the L4 rule (or of ``rule_id`` only)."""
    return [
        v for v in evaluate(list(records), outputs=outputs if outputs is not None else {})
        if (v.policy_id in AZURE_IDS or v.policy_id == L4) and rule_id in (None, v.policy_id)
    ]


def mine(variant, rule_id=None):
    records, outputs = run(variant)
    return judged(records, outputs, rule_id)


def urn(variant, resource_type, name):
    records, _ = run(variant)
    matches = [r["urn"] for r in records if r["type"] == resource_type and r["name"] == name]
    assert len(matches) == 1, (resource_type, name, matches)
    return matches[0]


def fires(variant, rule_id, *culprits):
    """``rule_id`` reports exactly the ``culprits`` ((type, name)), at its level; returns the messages."""
    hits = mine(variant, rule_id)
    assert sorted(v.urn for v in hits) == sorted(urn(variant, *c) for c in culprits), [(v.urn, v.message) for v in hits]
    assert {v.enforcement_level for v in hits} == {LEVEL[rule_id]}
    return " ".join(v.message for v in hits)


def edit(records, resource_type, name, **props):
    """The records with one resource's inputs and outputs changed (None deletes a key)."""
    changed = []
    for record in records:
        record = dict(record)
        if record["type"] == resource_type and record["name"] == name:
            for key in ("props", "outputs"):
                values = dict(record.get(key) or {})
                for prop, value in props.items():
                    if value is None:
                        values.pop(prop, None)
                    else:
                        values[prop] = value
                record[key] = values
        changed.append(record)
    return changed


# rule id -> [(variant, culprits, a phrase the message says)]
BROKEN = {
    "anyscale-azure-storage-not-public": [
        ("public-account", [(ACCOUNT, "data")], "sets allowBlobPublicAccess: true"),
        ("public-container", [(CONTAINER, "container")], "sets publicAccess 'Blob': anyone on the internet can read its blobs"),
    ],
    "anyscale-azure-storage-tls": [
        ("tls-1-0", [(ACCOUNT, "data")], "sets minimumTlsVersion 'TLS1_0', below TLS1_2"),
        ("tls-unset", [(ACCOUNT, "data")], "does not set minimumTlsVersion (Azure's default interpretation is TLS 1.0)"),
        ("http-allowed", [(ACCOUNT, "data")], "sets enableHttpsTrafficOnly false"),
    ],
    "anyscale-azure-federated-credential": [
        ("fic-extra-audience", [(FIC, "operator")],
         "audiences is ['api://AzureADTokenExchange', 'api://other'], not exactly ['api://AzureADTokenExchange']"),
        ("fic-other-namespace", [(FIC, "operator")],
         "subject is 'system:serviceaccount:default:anyscale-operator', not 'system:serviceaccount:anyscale-operator:anyscale-operator'"),
        ("fic-other-issuer", [(FIC, "operator")], "issuer is 'https://token.actions.githubusercontent.com', not the cluster's OIDC issuer"),
        ("fic-issuer-no-slash", [(FIC, "operator")], "they differ in the trailing slash only"),
        ("no-fic", [(IDENTITY, "operator")], "has no FederatedIdentityCredential in the program"),
        ("fic-on-other-identity", [(IDENTITY, "operator")], "has no FederatedIdentityCredential in the program"),
        ("fic-for-other-sa", [(FIC, "ci")], "subject is 'system:serviceaccount:ci:deployer'"),
        ("principal-id-as-client-id", [(EXTENSION, "operator")], "the principalId of identity operator, not its clientId"),
        ("identity-by-role-wrong-subject", [(FIC, "operator")],
         "it holds Storage Blob Data Contributor on storage account anyscaledata01 (RoleAssignment operator-blob)"),
        ("unknown-identity-wrong-subject", [(FIC, "operator")], "(for the operator's service account anyscale-operator)"),
        ("release-default-sa-fic", [(FIC, "operator")], "not 'system:serviceaccount:anyscale-operator:op'"),
    ],
    "anyscale-azure-aks-workload-identity": [
        ("no-oidc", [(CLUSTER, "aks")], "does not set oidcIssuerProfile.enabled"),
        ("oidc-disabled", [(CLUSTER, "aks")], "sets oidcIssuerProfile.enabled False"),
        ("no-workload-identity", [(CLUSTER, "aks")], "does not set securityProfile.workloadIdentity.enabled"),
    ],
    "anyscale-azure-blob-role-scope": [
        ("role-on-group", [(ROLE, "operator-blob")], "grants Storage Blob Data Contributor (ba92f5b4-2d11-453d-a403-e96b0029c9fe) on the resource group anyscale-rg"),
        ("owner-on-group", [(ROLE, "operator-blob")], "grants Storage Blob Data Owner (b7e6dc6d-f1e8-4753-8033-0f276bb0955b) on the resource group"),
        ("role-on-subscription", [(ROLE, "operator-blob")], "on the subscription 00000000-0000-4000-8000-000000000001"),
    ],
    L4: [
        ("agic-ingress", [(INGRESS, "app")], "spec.ingressClassName is 'azure-application-gateway' (the Application Gateway Ingress Controller's class"),
        ("agic-annotation", [(INGRESS, "app")], "annotation kubernetes.io/ingress.class is 'azure/application-gateway'"),
        ("appgw-annotations", [(INGRESS, "app")],
         "Application Gateway Ingress Controller (AGIC) annotations (appgw.ingress.kubernetes.io/ssl-redirect, appgw.ingress.kubernetes.io/use-private-ip)"),
        ("agic-ingress-class", [(INGRESS_CLASS, "appgw"), (INGRESS, "app")], "'appgw' (an IngressClass of azure/application-gateway"),
        ("agc-gateway", [(GATEWAY_CLASS, "agc-class"), (GATEWAY, "gateway")], "alb.networking.azure.io/alb-controller"),
        ("agc-ingress", [(INGRESS, "app")], "'azure-alb-external' (Application Gateway for Containers' class)"),
        ("extension-agic-class", [(EXTENSION, "operator")],
         "the Anyscale.AKS.Operator extension operator: configurationSettings networking.ingress.classNameOverride is 'azure-application-gateway'"),
        ("release-agic-class", [(RELEASE, "operator")], "values.networking.ingress.classNameOverride is 'azure-application-gateway'"),
    ],
}

#: Near misses: each keeps its rule satisfied, just inside the boundary.
PASSING = [
    ("account-public-unset", "anyscale-azure-storage-not-public"),  # Azure's default: false
    ("container-access-blob-unset", "anyscale-azure-storage-not-public"),  # unset is private
    ("https-unset", "anyscale-azure-storage-tls"),  # HTTPS only by default since 2019-04-01
    ("tls-1-3", "anyscale-azure-storage-tls"),  # newer than 1.2
    ("byo-identity", "anyscale-azure-federated-credential"),  # a client id the program only names
    ("identity-by-role", "anyscale-azure-federated-credential"),  # no client id: the storage grant says which
    ("custom-namespace", "anyscale-azure-federated-credential"),  # the extension's releaseNamespace
    ("unknown-issuer", "anyscale-azure-federated-credential"),  # not known yet: not judged
    ("existing-cluster", "anyscale-azure-federated-credential"),  # no cluster in the program: issuer not judged
    ("release", "anyscale-azure-federated-credential"),  # the operator as a helm release
    ("release-custom-sa", "anyscale-azure-federated-credential"),  # operator.serviceAccount.name
    ("existing-cluster", "anyscale-azure-aks-workload-identity"),
    ("no-operator", "anyscale-azure-aks-workload-identity"),  # no operator: the cluster is not judged
    ("release", "anyscale-azure-aks-workload-identity"),
    ("role-on-container", "anyscale-azure-blob-role-scope"),  # deeper than the account
    ("reader-on-group", "anyscale-azure-blob-role-scope"),  # not a blob data role
    ("internal-lb", L4),  # an internal Azure Load Balancer is L4
    ("webapprouting-ingress", L4),  # AKS application routing: NGINX behind the Azure Load Balancer
]


def test_the_compliant_program_has_no_violation_at_all():
    records, outputs = run("compliant")
    assert evaluate(list(records), outputs=outputs) == []


def test_every_azure_rule_is_in_the_pack_and_has_violating_fixtures():
    assert set(BROKEN) == AZURE_IDS | {L4}
    assert all(name.startswith("anyscale-azure-") for name in AZURE_IDS)
    assert {p.name for p in azure_rules.POLICIES} <= {p.name for p in ALL_POLICIES}
    assert {p.name for p in azure_rules.CHECK_ONLY_POLICIES} <= {p.name for p in CHECK_ONLY_POLICIES}
    assert {LEVEL[name] for name in AZURE_IDS} == {"mandatory"}
    used = {variant for cases in BROKEN.values() for variant, *_ in cases} | {v for v, _ in PASSING}
    assert used | {"compliant"} == VARIANTS


def test_the_docs_list_every_azure_rule_with_its_level_and_kind():
    text = (ROOT / "docs" / "policy-pack.md").read_text()
    assert "## Rules (Azure)" in text
    kinds = {"ResourceValidationPolicy": "resource", "StackValidationPolicy": "stack", "OutputsPolicy": "outputs (check only)"}
    for policy in RULES:
        assert f"| `{policy.name}` | {policy.enforcement_level.value} | {kinds[type(policy).__name__]} |" in text, policy.name
    assert "azure-application-gateway" in text and "appgw.ingress.kubernetes.io/" in text


@pytest.mark.parametrize(
    ("rule_id", "variant", "culprits", "phrase"),
    [(rule_id, *case) for rule_id, cases in BROKEN.items() for case in cases],
    ids=[f"{rule_id.removeprefix('anyscale-')}:{case[0]}" for rule_id, cases in BROKEN.items() for case in cases],
)
def test_rule_reports_the_broken_resource(rule_id, variant, culprits, phrase):
    message = fires(variant, rule_id, *culprits)
    assert phrase in message


@pytest.mark.parametrize(
    ("rule_id", "variant", "culprits", "phrase"),
    [(rule_id, *case) for rule_id, cases in BROKEN.items() for case in cases],
    ids=[f"{rule_id.removeprefix('anyscale-')}:{case[0]}" for rule_id, cases in BROKEN.items() for case in cases],
)
def test_each_broken_variant_breaks_only_its_rule(rule_id, variant, culprits, phrase):
    assert {v.policy_id for v in mine(variant)} == {rule_id}


@pytest.mark.parametrize(("variant", "rule_id"), PASSING, ids=[f"{r.removeprefix('anyscale-')}:{v}" for v, r in PASSING])
def test_near_misses_pass(variant, rule_id):
    hits = mine(variant)
    assert hits == [], [(v.policy_id, v.message) for v in hits]


def test_messages_cite_the_requirement():
    for policy in RULES:
        assert policy.description and len(policy.description) > 80, policy.name
        assert "seed 003" in policy.description or "Azure" in policy.description, policy.name
    assert "seed 003" in fires("no-fic", "anyscale-azure-federated-credential", (IDENTITY, "operator"))
    assert "seed 003" in fires("no-oidc", "anyscale-azure-aks-workload-identity", (CLUSTER, "aks"))
    assert "seed 000" in fires("agic-ingress", L4, (INGRESS, "app"))
    from anyscale_infra.policy.kubernetes.ingress import ingress_l4

    assert "seed 003" in ingress_l4.description and "azure-application-gateway" in ingress_l4.description


# -- the rules on edited records (variants of a variant) ----------------------------------------------


def test_a_release_on_aks_needs_workload_identity_too():
    records, _ = run("release")
    broken = edit(records, CLUSTER, "aks", securityProfile=None)
    (hit,) = judged(broken, rule_id="anyscale-azure-aks-workload-identity")
    assert "the anyscale-operator release operator" in hit.message


def test_the_extension_type_is_compared_case_insensitively():
    records, _ = run("extension-agic-class")
    lowered = edit(records, EXTENSION, "operator", extensionType="anyscale.aks.operator")
    assert [v.policy_id for v in judged(lowered)] == [L4]
    other = edit(records, EXTENSION, "operator", extensionType="microsoft.flux")
    assert judged(other) == []  # another extension is not the operator


def test_a_blob_container_deeper_scope_and_an_other_resource_scope():
    records, _ = run("compliant")
    deeper = edit(records, ROLE, "operator-blob", scope=(
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/anyscale-rg/providers/"
        "microsoft.storage/storageaccounts/anyscaledata01/blobServices/default/containers/anyscale-data"))
    assert judged(deeper) == []  # ARM ids are case-insensitive
    vault = edit(records, ROLE, "operator-blob", scope=(
        "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/anyscale-rg/providers/Microsoft.KeyVault/vaults/kv"))
    (hit,) = judged(vault, rule_id="anyscale-azure-blob-role-scope")
    assert "which is not a storage account" in hit.message
    root = edit(records, ROLE, "operator-blob", scope="/providers/Microsoft.Management/managementGroups/corp")
    (hit,) = judged(root, rule_id="anyscale-azure-blob-role-scope")
    assert "the management group corp" in hit.message


def test_a_container_with_container_access_is_reported():
    records, _ = run("compliant")
    broken = edit(records, CONTAINER, "container", publicAccess="Container")
    (hit,) = judged(broken)
    assert hit.policy_id == "anyscale-azure-storage-not-public" and "and list them" in hit.message


def test_extension_settings_unflatten_like_helm_set():
    assert unflatten({"a.b": "1", "a.c": "2", "d": "x"}) == {"a": {"b": "1", "c": "2"}, "d": "x"}
    escaped = "ingress-nginx.controller.service.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal"
    assert unflatten({escaped: "true"}) == {"ingress-nginx": {"controller": {"service": {"annotations": {
        "service.beta.kubernetes.io/azure-load-balancer-internal": "true"}}}}}
    assert unflatten({"a": "1", "a.b": "2"}) == {"a": "1"}  # a clash is left out


def test_the_extension_reads_namespace_service_account_and_identity():
    records, _ = run("custom-namespace")
    (record,) = [r for r in records if r["type"] == EXTENSION]
    resource = PolicyResource(EXTENSION, record["props"], record["urn"], record["name"], _options(), None, None, [], {})
    operator = operator_extension(resource)
    assert operator is not None and operator.extension
    assert (operator.namespace, operator.service_account) == ("anyscale", "anyscale-operator")
    assert operator.identity == record["props"]["configurationSettings"]["global.auth.iamIdentity"]
    target = dict(record["props"], scope={"namespace": {"targetNamespace": "elsewhere"}})
    resource = PolicyResource(EXTENSION, target, record["urn"], record["name"], _options(), None, None, [], {})
    assert operator_extension(resource).namespace == "elsewhere"


# -- nothing Azure, nothing judged -------------------------------------------------------------------


def test_programs_without_azure_are_not_judged():
    import gcp_fixtures
    import k8s_fixtures
    import policy_fixtures

    for stack in (policy_fixtures.compliant_cloud(), gcp_fixtures.compliant_cloud()):
        assert [v for v in evaluate(stack) if v.policy_id in AZURE_IDS] == []
    for cloud in ("eks", "gke"):
        records, outputs = k8s_fixtures.run(cloud, "compliant")
        assert [v for v in evaluate(list(records), outputs=outputs) if v.policy_id in AZURE_IDS] == []


# -- unknown values, as CrossGuard shows them in a real `pulumi preview` ------------------------------


def _options():
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def _resource(resource_type, name, props):
    return PolicyResource(resource_type, unknown_checking_proxy(props), f"urn:pulumi:p::x::{resource_type}::{name}", name,
                          _options(), None, None, [], {})


@pytest.mark.parametrize(("resource_type", "props"), [
    (ACCOUNT, {"allowBlobPublicAccess": UNKNOWN_STRING_VALUE, "minimumTlsVersion": UNKNOWN_STRING_VALUE,
               "enableHttpsTrafficOnly": UNKNOWN_STRING_VALUE}),
    (CONTAINER, {"publicAccess": UNKNOWN_STRING_VALUE}),
    (ROLE, {"scope": UNKNOWN_STRING_VALUE, "principalId": UNKNOWN_STRING_VALUE,
            "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"}),
    (ROLE, {"scope": "/subscriptions/s", "roleDefinitionId": UNKNOWN_STRING_VALUE}),
])
def test_unknown_values_are_not_reported_by_the_resource_rules(resource_type, props):
    messages = []
    for policy in RULES:
        if type(policy).__name__ == "ResourceValidationPolicy":
            args = ResourceValidationArgs(resource_type, unknown_checking_proxy(props), f"urn:pulumi:p::x::{resource_type}::r", "r",
                                          _options(), None)
            policy.validate(args, lambda message, urn=None: messages.append(message))
    assert messages == []


def test_unknown_identities_and_issuers_are_not_reported_in_a_preview():
    """A new Azure cloud in a real preview: the identity's ids, the cluster's issuer, the role
    assignment's scope and the extension's client id are not known yet. Nothing to report, and
    no rule raises."""
    stack = [
        _resource(ACCOUNT, "data", {"accountName": "anyscaledata01", "minimumTlsVersion": "TLS1_2"}),
        _resource(IDENTITY, "operator", {"resourceName": "anyscale-operator", "resourceGroupName": "rg",
                                         "clientId": UNKNOWN_STRING_VALUE, "principalId": UNKNOWN_STRING_VALUE}),
        _resource(FIC, "operator", {"resourceName": "anyscale-operator", "resourceGroupName": "rg",
                                    "issuer": UNKNOWN_STRING_VALUE, "audiences": ["api://AzureADTokenExchange"],
                                    "subject": "system:serviceaccount:anyscale-operator:anyscale-operator"}),
        _resource(CLUSTER, "aks", {"resourceName": "aks", "resourceGroupName": "rg",
                                   "oidcIssuerProfile": {"enabled": True, "issuerURL": UNKNOWN_STRING_VALUE},
                                   "securityProfile": {"workloadIdentity": UNKNOWN_OBJECT_VALUE}}),
        _resource(ROLE, "blob", {"scope": UNKNOWN_STRING_VALUE, "principalId": UNKNOWN_STRING_VALUE,
                                 "roleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe"}),
        _resource(EXTENSION, "operator", {"extensionType": "Anyscale.AKS.Operator", "clusterName": UNKNOWN_STRING_VALUE,
                                          "scope": {"cluster": {"releaseNamespace": "anyscale-operator"}},
                                          "configurationSettings": {"global.auth.iamIdentity": UNKNOWN_STRING_VALUE,
                                                                    "networking.ingress.classNameOverride": UNKNOWN_STRING_VALUE}}),
    ]
    messages = []
    stack_rules = [p for p in [*RULES, *(p for p in ALL_POLICIES if p.name == L4)] if type(p).__name__ == "StackValidationPolicy"]
    for policy in stack_rules:
        policy.validate(StackValidationArgs(stack, {}), lambda message, urn=None, name=policy.name: messages.append((name, message)))
    assert messages == []
    # ...but a wrong subject is known, and reported, even when nothing else is.
    stack[2] = _resource(FIC, "operator", {"resourceName": "anyscale-operator", "resourceGroupName": "rg",
                                           "issuer": UNKNOWN_STRING_VALUE, "audiences": ["api://AzureADTokenExchange"],
                                           "subject": "system:serviceaccount:default:anyscale-operator"})
    found = []
    azure_rules.identity.federated_credential.validate(StackValidationArgs(stack, {}), lambda message, urn=None: found.append(urn))
    assert found == ["urn:pulumi:p::x::azure-native:managedidentity:FederatedIdentityCredential::operator"]


def test_a_whole_unknown_settings_map_is_not_judged():
    stack = [
        _resource(EXTENSION, "operator", {"extensionType": "Anyscale.AKS.Operator", "configurationSettings": UNKNOWN_OBJECT_VALUE}),
        _resource(FIC, "operator", {"resourceName": "x", "issuer": "https://other", "audiences": ["api://AzureADTokenExchange"],
                                    "subject": "system:serviceaccount:anyscale-operator:anyscale-operator"}),
    ]
    messages = []
    for policy in RULES:
        if type(policy).__name__ == "StackValidationPolicy":
            policy.validate(StackValidationArgs(stack, {}), lambda message, urn=None: messages.append(message))
    assert messages == []


# -- `anyscale-infra check` on an Azure program ------------------------------------------------------


def test_check_reports_an_azure_program(tmp_path):
    import json
    import textwrap

    from click.testing import CliRunner

    from anyscale_infra.cli import EXIT_FAILED, main

    (tmp_path / "Pulumi.yaml").write_text("name: azure-open\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent("""
        import pulumi_azure_native as azure
        group = azure.resources.ResourceGroup("rg", resource_group_name="rg")
        azure.storage.StorageAccount("data", account_name="opendata01", resource_group_name=group.name, kind="StorageV2",
                                     sku=azure.storage.SkuArgs(name="Standard_LRS"), allow_blob_public_access=True)
    """))
    out = CliRunner().invoke(main, ["check", str(tmp_path), "--json"])
    assert out.exit_code == EXIT_FAILED, out.output
    found = {(v["policy_id"], v["urn"]) for v in json.loads(out.output)}
    account = "urn:pulumi:dev::azure-open::azure-native:storage:StorageAccount::data"
    assert found == {("anyscale-azure-storage-not-public", account), ("anyscale-azure-storage-tls", account)}

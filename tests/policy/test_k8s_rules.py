"""Every Kubernetes rule of the pack (``anyscale-k8s-*``): silent on the compliant
hand-written EKS and GKE programs, reporting the exact rule id on the exact resources at the
rule's level when one requirement is broken, with near misses on each side of a rule's
boundary; unknown values (a real preview) are never reported; programs with nothing
Kubernetes in them are never judged."""

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
from anyscale_infra.policy import kubernetes as k8s_rules
from anyscale_infra.policy.runner import evaluate
from k8s_fixtures import DEPLOYMENT_ID, EKS_VARIANTS, GKE_VARIANTS, run

ROOT = Path(__file__).resolve().parents[2]
RULES = [*k8s_rules.POLICIES, *k8s_rules.CHECK_ONLY_POLICIES]
K8S_IDS = {p.name for p in RULES}
LEVEL = {p.name: p.enforcement_level.value for p in RULES}

RELEASE = "kubernetes:helm.sh/v3:Release"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass"
SERVICE = "kubernetes:core/v1:Service"
ENVOY_PROXY = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
GATEWAY_CLASS = "kubernetes:gateway.networking.k8s.io/v1:GatewayClass"
ROLE = "aws:iam/role:Role"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
SA = "gcp:serviceaccount/account:Account"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
STACK = None  # a violation of the stack as a whole (an outputs rule's message names the output)


def violations(cloud, variant):
    records, outputs = run(cloud, variant)
    return evaluate(list(records), outputs=outputs)


def mine(cloud, variant, rule_id=None):
    return [v for v in violations(cloud, variant) if v.policy_id.startswith("anyscale-k8s-") and rule_id in (None, v.policy_id)]


def urn(cloud, variant, resource_type, name):
    records, _ = run(cloud, variant)
    matches = [r["urn"] for r in records if r["type"] == resource_type and r["name"] == name]
    assert len(matches) == 1, (resource_type, name, matches)
    return matches[0]


def fires(cloud, variant, rule_id, *culprits):
    """``rule_id`` reports exactly the ``culprits`` ((type, name), or STACK), at its level;
    returns the messages."""
    hits = mine(cloud, variant, rule_id)
    wanted = sorted((None if c is STACK else urn(cloud, variant, *c)) or "" for c in culprits)
    assert sorted(v.urn or "" for v in hits) == wanted, [(v.urn, v.message) for v in hits]
    assert {v.enforcement_level for v in hits} == {LEVEL[rule_id]}
    return " ".join(v.message for v in hits)


def passes(cloud, variant, rule_id):
    hits = mine(cloud, variant, rule_id)
    assert hits == [], [v.message for v in hits]


# rule id -> [(cloud, variant, culprits, a phrase the message says)]
BROKEN = {
    "anyscale-k8s-ingress-l4": [
        ("eks", "alb-ingress", [(INGRESS, "app")], "spec.ingressClassName is 'alb'"),
        ("eks", "alb-ingress-annotation", [(INGRESS, "app")], "annotation kubernetes.io/ingress.class is 'alb'"),
        ("eks", "alb-annotations", [(INGRESS, "app")],
         "ALB annotations (alb.ingress.kubernetes.io/scheme, alb.ingress.kubernetes.io/target-type)"),
        ("eks", "alb-ingress-class", [(INGRESS_CLASS, "public"), (INGRESS, "app")], "'public' (an IngressClass of an ALB controller)"),
        ("eks", "alb-gateway-class", [(GATEWAY_CLASS, "alb-class"), (GATEWAY, "alb-gateway")], "gateway.k8s.aws/alb"),
        ("eks", "operator-alb-class", [(RELEASE, "operator")], "values.networking.ingress.classNameOverride is 'alb'"),
        ("eks", "service-classic", [(SERVICE, "edge")], "service.beta.kubernetes.io/aws-load-balancer-type: 'clb', which is not an NLB"),
        ("eks", "nginx-classic", [(RELEASE, "operator")], "values.ingress-nginx.controller.service.annotations"),
        ("eks", "envoy-classic", [(ENVOY_PROXY, "envoy-proxy")], "spec.provider.kubernetes.envoyService.annotations"),
        ("eks", "gateway-infrastructure-classic", [(GATEWAY, "gateway")], "spec.infrastructure.annotations"),
        ("gke", "gce-ingress", [(INGRESS, "app")], "'gce' (GKE Ingress: an Application Load Balancer)"),
        ("gke", "gce-internal-ingress", [(INGRESS, "app")], "'gce-internal'"),
        ("gke", "gke-l7-gateway", [(GATEWAY, "gateway")], "'gke-l7-global-external-managed' is a GKE Application Load Balancer"),
    ],
    "anyscale-k8s-operator-deployment-id": [
        ("eks", "no-deployment-id", [(RELEASE, "operator")], "values.global.cloudDeploymentId is not set"),
        ("eks", "empty-deployment-id", [(RELEASE, "operator")], "values.global.cloudDeploymentId is not set"),
        ("eks", "cloud-id", [(RELEASE, "operator")], "that is a cloud id; the operator needs the cloud resource id"),
    ],
    "anyscale-k8s-operator-identity-not-node": [
        ("eks", "node-identity", [(RELEASE, "operator")], "the node role of NodeGroup system (nodeRoleArn)"),
        ("eks", "pod-identity-node-role", [(POD_IDENTITY, "operator")], "the roleArn of PodIdentityAssociation operator"),
        ("gke", "node-identity", [(RELEASE, "operator"), (SA_MEMBER, "operator-workload-identity")],
         "the node service account of NodePool system (nodeConfig.serviceAccount)"),
        ("gke", "default-compute", [(RELEASE, "operator")], "the Compute Engine default service account"),
    ],
    "anyscale-k8s-operator-workload-identity": [
        ("eks", "no-workload-identity", [(RELEASE, "operator")], "neither an EKS Pod Identity association"),
        ("eks", "pod-identity-untrusted", [(POD_IDENTITY, "operator")], "pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession"),
        ("eks", "pod-identity-other-namespace", [(RELEASE, "operator")], "neither an EKS Pod Identity association"),
        ("eks", "pod-identity-tagged-other-sa", [(POD_IDENTITY, "operator")], "session tags kubernetes-namespace/kubernetes-service-account"),
        ("eks", "irsa-open", [(ROLE, "operator")], "lets other service accounts than system:serviceaccount:anyscale-operator:anyscale-operator"),
        ("eks", "irsa-other-sa", [(ROLE, "operator")], "does not let system:serviceaccount:anyscale-operator:anyscale-operator assume it"),
        ("gke", "no-workload-pool", [(GKE_CLUSTER, "gke")], "workloadIdentityConfig.workloadPool is not set (it is acme-anyscale.svc.id.goog)"),
        ("gke", "wrong-workload-pool", [(GKE_CLUSTER, "gke"), (SA, "operator")], "'other-project.svc.id.goog', not acme-anyscale.svc.id.goog"),
        ("gke", "gce-metadata", [(NODE_POOL, "system")], "sets nodeConfig.workloadMetadataConfig.mode 'GCE_METADATA'"),
        ("gke", "no-metadata-mode", [(NODE_POOL, "system")], "does not set nodeConfig.workloadMetadataConfig.mode"),
        ("gke", "default-pool-kept", [(GKE_CLUSTER, "gke")], "its default node pool (kept"),
        ("gke", "no-identity", [(RELEASE, "operator")], "does not set values.global.auth.iamIdentity"),
        ("gke", "no-grant", [(SA, "operator")], "no roles/iam.workloadIdentityUser grant in the program"),
        ("gke", "wrong-namespace-grant", [(SA, "operator")], "anyscale-operator/anyscale-operator"),
    ],
    "anyscale-k8s-register-operator-identity": [
        ("eks", "register-node-identity", [(NODE_GROUP, "system")], "register_command: --anyscale-operator-iam-identity is arn:aws:iam::"),
        ("eks", "register-file-node-identity", [(NODE_GROUP, "system")], "resource_file: kubernetes_config.anyscale_operator_iam_identity"),
        ("eks", "register-other-identity", [STACK], "the roleArn of PodIdentityAssociation operator"),
        ("gke", "register-node-identity", [(NODE_POOL, "system")], "the node service account of NodePool system"),
        ("gke", "register-other-identity", [STACK], "values.global.auth.iamIdentity"),
    ],
}

#: Near misses: each keeps its rule satisfied, just inside the boundary.
PASSING = [
    ("eks", "service-external", "anyscale-k8s-ingress-l4"),  # the AWS Load Balancer Controller's NLB
    ("eks", "service-nlb-ip", "anyscale-k8s-ingress-l4"),  # its deprecated NLB-IP spelling
    ("eks", "service-cluster-ip", "anyscale-k8s-ingress-l4"),  # no load balancer at all
    ("eks", "nginx-disabled", "anyscale-k8s-ingress-l4"),  # annotations of a controller not installed
    ("eks", "nginx-ingress", "anyscale-k8s-ingress-l4"),  # ingress-nginx behind an NLB, an Ingress of its class
    ("gke", "gce-class-name", "anyscale-k8s-ingress-l4"),  # GKE Ingress ignores spec.ingressClassName
    ("eks", "unknown-deployment-id", "anyscale-k8s-operator-deployment-id"),  # not known yet: not judged
    ("eks", "values-files", "anyscale-k8s-operator-deployment-id"),  # may be in a values file
    ("eks", "chart-reference", "anyscale-k8s-operator-deployment-id"),  # an OCI chart reference, its id set
    ("eks", "byo-identity", "anyscale-k8s-operator-workload-identity"),  # a role the program only names
    ("eks", "existing-cluster", "anyscale-k8s-operator-workload-identity"),  # the cluster is not the program's
    ("eks", "irsa", "anyscale-k8s-operator-workload-identity"),
    ("eks", "pod-identity-tagged", "anyscale-k8s-operator-workload-identity"),  # scoped by its session tags
    ("eks", "pod-identity-pod-name", "anyscale-k8s-operator-workload-identity"),  # on a tag not knowable here
    ("eks", "irsa-no-audience", "anyscale-k8s-operator-workload-identity"),  # the CLI's own trust (sub only)
    ("eks", "irsa-release-without-namespace", "anyscale-k8s-operator-workload-identity"),
    ("gke", "autopilot", "anyscale-k8s-operator-workload-identity"),  # workload identity always on
    ("gke", "custom-service-account", "anyscale-k8s-operator-workload-identity"),  # operator.serviceAccount.name
    ("gke", "principal-member", "anyscale-k8s-operator-workload-identity"),  # principal://.../ns/<ns>/sa/<sa>
    ("gke", "binding", "anyscale-k8s-operator-workload-identity"),  # an IAMBinding instead of an IAMMember
    ("gke", "byo-identity", "anyscale-k8s-operator-workload-identity"),  # an account the program only names
    ("gke", "existing-cluster", "anyscale-k8s-operator-workload-identity"),
    ("eks", "existing-cluster", "anyscale-k8s-operator-identity-not-node"),  # no node identity in the program
]


def test_the_compliant_programs_have_no_kubernetes_violation():
    assert mine("eks", "compliant") == []
    assert mine("gke", "compliant") == []


def test_every_kubernetes_rule_is_in_the_pack_and_has_violating_fixtures():
    assert set(BROKEN) == K8S_IDS
    assert all(name.startswith("anyscale-k8s-") for name in K8S_IDS)
    assert {p.name for p in k8s_rules.POLICIES} <= {p.name for p in ALL_POLICIES}
    assert {p.name for p in k8s_rules.CHECK_ONLY_POLICIES} <= {p.name for p in CHECK_ONLY_POLICIES}
    assert set(LEVEL.values()) == {"mandatory"}
    used = {(cloud, variant) for cases in BROKEN.values() for cloud, variant, *_ in cases} | {(c, v) for c, v, _ in PASSING}
    assert {v for c, v in used if c == "eks"} | {"compliant"} == EKS_VARIANTS
    assert {v for c, v in used if c == "gke"} | {"compliant"} == GKE_VARIANTS


def test_the_docs_list_every_kubernetes_rule_with_its_level_and_kind():
    text = (ROOT / "docs" / "policy-pack.md").read_text()
    assert "## Rules (Kubernetes)" in text
    kinds = {"ResourceValidationPolicy": "resource", "StackValidationPolicy": "stack", "OutputsPolicy": "outputs (check only)"}
    for policy in RULES:
        assert f"| `{policy.name}` | {policy.enforcement_level.value} | {kinds[type(policy).__name__]} |" in text, policy.name


@pytest.mark.parametrize(
    ("rule_id", "cloud", "variant", "culprits", "phrase"),
    [(rule_id, *case) for rule_id, cases in BROKEN.items() for case in cases],
    ids=[f"{rule_id.removeprefix('anyscale-k8s-')}:{case[0]}:{case[1]}" for rule_id, cases in BROKEN.items() for case in cases],
)
def test_rule_reports_the_broken_resource(rule_id, cloud, variant, culprits, phrase):
    message = fires(cloud, variant, rule_id, *culprits)
    assert phrase in message


@pytest.mark.parametrize(("cloud", "variant", "rule_id"), PASSING, ids=[f"{r.removeprefix('anyscale-k8s-')}:{c}:{v}" for c, v, r in PASSING])
def test_near_misses_pass(cloud, variant, rule_id):
    passes(cloud, variant, rule_id)


def test_messages_cite_the_requirement():
    assert "seed 000" in fires("eks", "alb-ingress", "anyscale-k8s-ingress-l4", (INGRESS, "app"))
    assert 'required "global.cloudDeploymentId is required"' in fires(
        "eks", "no-deployment-id", "anyscale-k8s-operator-deployment-id", (RELEASE, "operator"))
    for policy in RULES:
        assert policy.description and len(policy.description) > 80, policy.name
    assert "seed 000" in k8s_rules.ingress.ingress_l4.description


def test_an_oci_chart_reference_is_the_operator_too():
    records, _ = run("eks", "chart-reference")
    assert next(r for r in records if r["type"] == RELEASE)["props"]["chart"].startswith("oci://")
    assert mine("eks", "chart-reference") == []
    broken = [dict(r) for r in records]
    for r in broken:
        if r["type"] == RELEASE:
            r["props"] = {**r["props"], "values": {"global": {"cloudDeploymentId": "cld_x"}}}
    assert [v.policy_id for v in evaluate(broken) if v.policy_id.startswith("anyscale-k8s-")] == ["anyscale-k8s-operator-deployment-id"]


# -- nothing Kubernetes, nothing judged -----------------------------------------------------------


def test_programs_without_kubernetes_are_not_judged():
    import gcp_fixtures
    import policy_fixtures

    for stack in (policy_fixtures.compliant_cloud(), gcp_fixtures.compliant_cloud()):
        assert [v for v in evaluate(stack) if v.policy_id.startswith("anyscale-k8s-")] == []


def test_a_cluster_without_the_operator_is_not_judged_for_identity():
    records, outputs = run("gke", "no-workload-pool")
    without_release = [r for r in records if r["type"] != RELEASE]
    assert [v.policy_id for v in evaluate(without_release, outputs=outputs) if v.policy_id.startswith("anyscale-k8s-")] == []


def test_the_generic_example_with_its_operator_passes():
    """examples/k8s-existing-cluster, second step (a deployment id set): a generic cloud,
    Envoy Gateway behind the cluster's LoadBalancer, a CLI token — nothing to report."""
    from anyscale_infra.cli import policy_records
    from anyscale_infra.preview import run_program

    result = run_program(ROOT / "examples/k8s-existing-cluster", config={"cloudDeploymentId": DEPLOYMENT_ID})
    records = policy_records(result)
    assert any(r["type"] == RELEASE for r in records)
    assert evaluate(records, outputs=result.outputs) == []


# -- unknown values, as CrossGuard shows them in a real `pulumi preview` ---------------------------


def _options():
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def _resource(resource_type, name, props):
    return PolicyResource(resource_type, unknown_checking_proxy(props), f"urn:pulumi:p::x::{resource_type}::{name}", name,
                          _options(), None, None, [], {})


@pytest.mark.parametrize("values", [
    UNKNOWN_OBJECT_VALUE,
    {"global": UNKNOWN_OBJECT_VALUE},
    {"global": {"cloudDeploymentId": UNKNOWN_STRING_VALUE}},
])
def test_an_unknown_deployment_id_is_not_reported_in_a_preview(values):
    messages = []
    props = unknown_checking_proxy({"chart": "anyscale-operator", "values": values})
    args = ResourceValidationArgs(RELEASE, props, "urn:pulumi:p::x::kubernetes:helm.sh/v3:Release::op", "op", _options(), None)
    k8s_rules.operator.operator_deployment_id.validate(args, lambda message, urn=None: messages.append(message))
    assert messages == []
    props = unknown_checking_proxy({"chart": "anyscale-operator", "values": {"global": {"cloudProvider": "gcp"}}})
    args = ResourceValidationArgs(RELEASE, props, "urn:pulumi:p::x::kubernetes:helm.sh/v3:Release::op", "op", _options(), None)
    k8s_rules.operator.operator_deployment_id.validate(args, lambda message, urn=None: messages.append(message))
    assert len(messages) == 1 and "is not set" in messages[0]


def test_unknown_identities_and_pools_are_not_reported_in_a_preview():
    """A new GKE cloud in a real preview: the operator's email and the cluster's project are
    not known yet; the grant's member is. Nothing to report, and no rule raises."""
    stack = [
        _resource(RELEASE, "op", {"chart": "anyscale-operator", "namespace": "anyscale-operator", "values": {
            "global": {"cloudDeploymentId": DEPLOYMENT_ID, "cloudProvider": "gcp", "auth": {"iamIdentity": UNKNOWN_STRING_VALUE}}}}),
        _resource(GKE_CLUSTER, "gke", {"project": UNKNOWN_STRING_VALUE, "removeDefaultNodePool": True,
                                       "workloadIdentityConfig": {"workloadPool": "acme.svc.id.goog"}}),
        _resource(NODE_POOL, "pool", {"nodeConfig": {"serviceAccount": UNKNOWN_STRING_VALUE,
                                                     "workloadMetadataConfig": {"mode": UNKNOWN_STRING_VALUE}}}),
        _resource(SA_MEMBER, "wi", {"serviceAccountId": UNKNOWN_STRING_VALUE, "role": "roles/iam.workloadIdentityUser",
                                    "member": "serviceAccount:acme.svc.id.goog[anyscale-operator/anyscale-operator]"}),
        _resource(SERVICE, "svc", {"spec": {"type": "LoadBalancer"}, "metadata": {"annotations": UNKNOWN_OBJECT_VALUE}}),
    ]
    messages = []
    for policy in k8s_rules.POLICIES:
        if hasattr(policy, "validate") and type(policy).__name__ == "StackValidationPolicy":
            policy.validate(StackValidationArgs(stack, {}), lambda message, urn=None, name=policy.name: messages.append((name, message)))
    assert messages == []

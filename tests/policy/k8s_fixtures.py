"""Hand-written Anyscale operator installs on EKS and GKE, in plain pulumi_kubernetes,
pulumi_aws and pulumi_gcp (no anyscale_infra component: the rules must judge resources by
type and properties only), run on the offline engine so the wire names are the SDKs' own.

Every value is written out here — nothing computed from ``anyscale_infra/kubernetes/
constants.py`` — so a change to our constants cannot move the fixtures with it. Each program
takes a ``variant``: ``"compliant"``, or one change that breaks (or, for a near miss, just
keeps) one requirement; the variants are listed in :data:`EKS_VARIANTS` and
:data:`GKE_VARIANTS` so a typo in a test cannot silently run the compliant program.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from typing import Any

REGION = "us-west-2"
DEPLOYMENT_ID = "cldrsrc_abcdefgh12345678ijklmnop12"
CLOUD_ID = "cld_abcdefgh12345678ijklmnop12"
NAMESPACE = "anyscale-operator"
OPERATOR_SA = "anyscale-operator"
OIDC_ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
#: The offline engine's AWS account (anyscale_infra.preview.mocks.aws.PREVIEW_ACCOUNT_ID).
ACCOUNT = "000000000000"
OIDC_PROVIDER_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC_ISSUER}"
#: A role the program only names (bring-your-own).
BYO_ROLE_ARN = "arn:aws:iam::111122223333:role/anyscale-operator-existing"
NLB = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
}

PROJECT = "acme-anyscale"
GKE_REGION = "us-central1"
WORKLOAD_POOL = f"{PROJECT}.svc.id.goog"
GKE_EXTERNAL = {"cloud.google.com/load-balancer-type": "External"}
DEFAULT_COMPUTE_SA = "123456789012-compute@developer.gserviceaccount.com"

EKS_VARIANTS = frozenset({
    "compliant",
    # ingress
    "alb-ingress", "alb-ingress-annotation", "alb-annotations", "alb-ingress-class", "alb-gateway-class",
    "operator-alb-class", "service-classic", "service-external", "service-nlb-ip", "service-cluster-ip",
    "nginx-classic", "nginx-disabled", "envoy-classic", "gateway-infrastructure-classic", "nginx-ingress",
    # deployment id
    "no-deployment-id", "empty-deployment-id", "cloud-id", "unknown-deployment-id", "values-files",
    "chart-reference",
    # identity
    "node-identity", "pod-identity-node-role", "byo-identity",
    # workload identity
    "no-workload-identity", "pod-identity-untrusted", "pod-identity-other-namespace", "pod-identity-tagged",
    "pod-identity-tagged-other-sa", "pod-identity-pod-name", "irsa", "irsa-open",
    "irsa-other-sa", "irsa-no-audience", "irsa-release-without-namespace", "existing-cluster",
    # register
    "register-node-identity", "register-other-identity", "register-file-node-identity",
})
GKE_VARIANTS = frozenset({
    "compliant",
    # ingress
    "gce-ingress", "gce-internal-ingress", "gce-class-name", "gke-l7-gateway",
    # identity
    "node-identity", "default-compute",
    # workload identity
    "no-workload-pool", "wrong-workload-pool", "gce-metadata", "no-metadata-mode", "default-pool-kept",
    "autopilot", "no-identity", "no-grant", "wrong-namespace-grant", "custom-service-account",
    "principal-member", "binding", "byo-identity", "existing-cluster",
    # register
    "register-node-identity", "register-other-identity",
})


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _unknown() -> Any:
    """An output a preview does not know (computed by a resource not created yet)."""
    import pulumi

    loop = asyncio.get_event_loop()
    value, known = loop.create_future(), loop.create_future()
    value.set_result(None)
    known.set_result(False)
    return pulumi.Output(set(), value, known)


def _gateway(k8s: Any, annotations: dict[str, str], class_name: str = "anyscale-envoy", infrastructure: Any = None) -> None:
    """Envoy Gateway's objects the operator routes through: an EnvoyProxy (the Service's L4
    annotations), a GatewayClass using it, the Gateway."""
    k8s.apiextensions.CustomResource(
        "envoy-proxy", api_version="gateway.envoyproxy.io/v1alpha1", kind="EnvoyProxy",
        metadata={"name": "anyscale-proxy", "namespace": NAMESPACE},
        spec={"provider": {"type": "Kubernetes", "kubernetes": {"envoyService": {"type": "LoadBalancer", "annotations": annotations}}}},
    )
    k8s.apiextensions.CustomResource(
        "gateway-class", api_version="gateway.networking.k8s.io/v1", kind="GatewayClass",
        metadata={"name": "anyscale-envoy"},
        spec={"controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
              "parametersRef": {"group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "anyscale-proxy", "namespace": NAMESPACE}},
    )
    spec: dict[str, Any] = {"gatewayClassName": class_name,
                            "listeners": [{"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": {"namespaces": {"from": "Same"}}}]}
    if infrastructure is not None:
        spec["infrastructure"] = {"annotations": infrastructure}
    k8s.apiextensions.CustomResource(
        "gateway", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
        metadata={"name": "anyscale-gateway", "namespace": NAMESPACE}, spec=spec,
    )


def _release(k8s: Any, values: dict[str, Any], variant: str, **extra: Any) -> Any:
    chart = "oci://registry.example.com/charts/anyscale-operator" if variant == "chart-reference" else "anyscale-operator"
    return k8s.helm.v3.Release(
        "operator", name="anyscale-operator", chart=chart, version="1.8.0", namespace=extra.pop("namespace", NAMESPACE),
        repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo="https://anyscale.github.io/helm-charts"),
        values=values, **extra,
    )


def eks_program(variant: str = "compliant") -> Callable[[], None]:
    """An EKS cluster, a system node group, the operator's role (EKS Pod Identity, or IRSA
    in the ``irsa*`` variants), Envoy Gateway behind an NLB, the operator release and the
    register command."""
    assert variant in EKS_VARIANTS, variant

    def program() -> None:
        import pulumi
        import pulumi_aws as aws
        import pulumi_kubernetes as k8s

        if variant != "existing-cluster":
            cluster_role = aws.iam.Role("cluster", assume_role_policy=doc(
                {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}))
            aws.eks.Cluster("eks", name="anyscale-eks", role_arn=cluster_role.arn,
                            vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=["subnet-0a", "subnet-0b"]))
        node_role = aws.iam.Role("nodes", assume_role_policy=doc(
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
        if variant != "existing-cluster":
            aws.eks.NodeGroup("system", cluster_name="anyscale-eks", node_role_arn=node_role.arn,
                              subnet_ids=["subnet-0a", "subnet-0b"], instance_types=["t3.medium"],
                              scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=2, min_size=1, max_size=4))

        irsa = variant.startswith("irsa")
        if irsa:
            condition = {
                "irsa-release-without-namespace": {"StringEquals": {f"{OIDC_ISSUER}:sub": f"system:serviceaccount:{NAMESPACE}:{OPERATOR_SA}"}},
                "irsa": {"StringEquals": {f"{OIDC_ISSUER}:sub": f"system:serviceaccount:{NAMESPACE}:{OPERATOR_SA}",
                                          f"{OIDC_ISSUER}:aud": "sts.amazonaws.com"}},
                # The CLI's own operator role conditions on :sub only.
                "irsa-no-audience": {"StringEquals": {f"{OIDC_ISSUER}:sub": f"system:serviceaccount:{NAMESPACE}:{OPERATOR_SA}"}},
                "irsa-open": {"StringLike": {f"{OIDC_ISSUER}:sub": "system:serviceaccount:*"}},
                "irsa-other-sa": {"StringEquals": {f"{OIDC_ISSUER}:sub": f"system:serviceaccount:{NAMESPACE}:default"}},
            }[variant]
            trust = doc({"Effect": "Allow", "Principal": {"Federated": OIDC_PROVIDER_ARN},
                         "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})
        elif variant.startswith("pod-identity-tagged") or variant == "pod-identity-pod-name":
            # Scoped with the session tags EKS Pod Identity adds (EKS user guide, pod-id-role).
            tags = {"aws:SourceAccount": ACCOUNT, "aws:RequestTag/eks-cluster-name": "anyscale-eks",
                    "aws:RequestTag/kubernetes-namespace": NAMESPACE,
                    "aws:RequestTag/kubernetes-service-account": "someone-else" if variant.endswith("other-sa") else OPERATOR_SA}
            if variant == "pod-identity-pod-name":
                tags["aws:RequestTag/kubernetes-pod-name"] = "anyscale-operator-0"
            trust = doc({"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
                         "Action": ["sts:AssumeRole", "sts:TagSession"], "Condition": {"StringEquals": tags}})
        elif variant == "pod-identity-untrusted":
            trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
        else:
            trust = doc({"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
                         "Action": ["sts:AssumeRole", "sts:TagSession"]})
        operator_role = aws.iam.Role("operator", assume_role_policy=trust)
        if not irsa and variant not in ("no-workload-identity", "node-identity", "byo-identity"):
            aws.eks.PodIdentityAssociation(
                "operator", cluster_name="anyscale-eks",
                namespace="default" if variant == "pod-identity-other-namespace" else NAMESPACE,
                service_account=OPERATOR_SA,
                role_arn=node_role.arn if variant == "pod-identity-node-role" else operator_role.arn)

        global_: dict[str, Any] = {"cloudDeploymentId": DEPLOYMENT_ID, "cloudProvider": "aws", "aws": {"region": REGION}}
        identity: Any = None
        if irsa:
            identity = operator_role.arn
        elif variant == "node-identity":
            identity = node_role.arn
        elif variant == "byo-identity":
            identity = BYO_ROLE_ARN
        if identity is not None:
            global_["auth"] = {"iamIdentity": identity}
        if variant in ("no-deployment-id", "values-files"):
            del global_["cloudDeploymentId"]
        elif variant == "empty-deployment-id":
            global_["cloudDeploymentId"] = ""
        elif variant == "cloud-id":
            global_["cloudDeploymentId"] = CLOUD_ID
        elif variant == "unknown-deployment-id":
            global_["cloudDeploymentId"] = _unknown()
        values: dict[str, Any] = {
            "global": global_,
            "workloads": {"serviceAccount": {"name": OPERATOR_SA}},
            "networking": {"gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": NAMESPACE}},
        }
        if variant == "operator-alb-class":
            values["networking"] = {"ingress": {"classNameOverride": "alb"}}
        if variant in ("nginx-classic", "nginx-disabled", "nginx-ingress"):
            annotations = dict(NLB) if variant == "nginx-ingress" else {"service.beta.kubernetes.io/aws-load-balancer-type": "clb"}
            values["networking"] = {}
            values["ingress-nginx"] = {"enabled": variant != "nginx-disabled",
                                       "controller": {"service": {"annotations": annotations}}}
        extra: dict[str, Any] = {}
        if variant == "irsa-release-without-namespace":
            extra["namespace"] = None  # the provider's namespace: the rule reads the trust's subject
        if variant == "values-files":
            extra["value_yaml_files"] = [pulumi.FileAsset("operator-values.yaml")]
        _release(k8s, values, variant, **extra)

        envoy = dict(NLB)
        if variant == "envoy-classic":
            envoy["service.beta.kubernetes.io/aws-load-balancer-type"] = "clb"
        infrastructure = {"service.beta.kubernetes.io/aws-load-balancer-type": "clb"} if variant == "gateway-infrastructure-classic" else None
        _gateway(k8s, envoy, infrastructure=infrastructure)

        if variant == "alb-ingress":
            k8s.networking.v1.Ingress("app", metadata=k8s.meta.v1.ObjectMetaArgs(name="app", namespace="apps"),
                                      spec=k8s.networking.v1.IngressSpecArgs(ingress_class_name="alb"))
        if variant == "alb-ingress-annotation":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {"kubernetes.io/ingress.class": "alb"}},
                                      spec={"defaultBackend": {"service": {"name": "app", "port": {"number": 80}}}})
        if variant == "alb-annotations":
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {
                "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/target-type": "ip"}},
                spec={"ingressClassName": "nginx"})
        if variant == "nginx-ingress":
            # The community controller behind an NLB: an Ingress of its class is fine.
            k8s.networking.v1.Ingress("app", metadata={"name": "app"}, spec={"ingressClassName": "nginx"})
        if variant == "alb-ingress-class":
            k8s.networking.v1.IngressClass("public", metadata={"name": "public"},
                                           spec=k8s.networking.v1.IngressClassSpecArgs(controller="ingress.k8s.aws/alb"))
            k8s.networking.v1.Ingress("app", metadata={"name": "app"}, spec={"ingressClassName": "public"})
        if variant == "alb-gateway-class":
            k8s.apiextensions.CustomResource("alb-class", api_version="gateway.networking.k8s.io/v1", kind="GatewayClass",
                                             metadata={"name": "aws-alb"}, spec={"controllerName": "gateway.k8s.aws/alb"})
            k8s.apiextensions.CustomResource("alb-gateway", api_version="gateway.networking.k8s.io/v1", kind="Gateway",
                                             metadata={"name": "alb", "namespace": NAMESPACE},
                                             spec={"gatewayClassName": "aws-alb", "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]})
        service_types = {"service-classic": "clb", "service-external": "external", "service-nlb-ip": "nlb-ip",
                         "service-cluster-ip": "clb"}
        if variant in service_types:
            k8s.core.v1.Service(
                "edge",
                metadata=k8s.meta.v1.ObjectMetaArgs(name="edge", annotations={"service.beta.kubernetes.io/aws-load-balancer-type": service_types[variant]}),
                spec=k8s.core.v1.ServiceSpecArgs(type="ClusterIP" if variant == "service-cluster-ip" else "LoadBalancer",
                                                 ports=[k8s.core.v1.ServicePortArgs(port=443)], selector={"app": "edge"}))

        # The command registers the identity the operator gets (a variant may break that).
        flag = {"register-node-identity": node_role.arn, "register-file-node-identity": node_role.arn,
                "register-other-identity": "arn:aws:iam::000000000000:role/someone-else"}.get(
            variant, identity if identity is not None else operator_role.arn)
        if variant == "register-file-node-identity":
            pulumi.export("resource_file", pulumi.Output.from_input(flag).apply(lambda arn: "\n".join([
                "name: anyscale-eks", "provider: AWS", "compute_stack: K8S", f"region: {REGION}",
                "kubernetes_config:", f"  anyscale_operator_iam_identity: {arn}", "  zones: [us-west-2a, us-west-2b]"])))
        else:
            pulumi.export("register_command", pulumi.Output.concat(
                "anyscale cloud register --provider aws --compute-stack k8s --name anyscale-eks --region ", REGION,
                " --kubernetes-zones us-west-2a,us-west-2b --anyscale-operator-iam-identity ", flag))

    return program


def gke_program(variant: str = "compliant") -> Callable[[], None]:
    """A GKE cluster with workload identity, a node pool on the GKE metadata server, the
    operator's Google service account with its workloadIdentityUser grant, Envoy Gateway
    behind a passthrough load balancer, the operator release and the register command."""
    assert variant in GKE_VARIANTS, variant

    def program() -> None:
        import pulumi
        import pulumi_gcp as gcp
        import pulumi_kubernetes as k8s

        nodes = gcp.serviceaccount.Account("nodes", account_id="anyscale-nodes", project=PROJECT)
        operator = gcp.serviceaccount.Account("operator", account_id="anyscale-operator", project=PROJECT)
        if variant != "existing-cluster":
            cluster_args: dict[str, Any] = {"location": GKE_REGION, "project": PROJECT, "remove_default_node_pool": True,
                                            "initial_node_count": 1}
            if variant == "autopilot":
                cluster_args = {"location": GKE_REGION, "project": PROJECT, "enable_autopilot": True}
            elif variant == "default-pool-kept":
                cluster_args["remove_default_node_pool"] = False
                cluster_args["node_config"] = gcp.container.ClusterNodeConfigArgs(service_account=nodes.email)
            if variant not in ("no-workload-pool", "autopilot"):
                pool = "other-project.svc.id.goog" if variant == "wrong-workload-pool" else WORKLOAD_POOL
                cluster_args["workload_identity_config"] = gcp.container.ClusterWorkloadIdentityConfigArgs(workload_pool=pool)
            cluster = gcp.container.Cluster("gke", **cluster_args)
            if variant != "autopilot":
                metadata = {"gce-metadata": "GCE_METADATA", "no-metadata-mode": None}.get(variant, "GKE_METADATA")
                gcp.container.NodePool(
                    "system", cluster=cluster.id, location=GKE_REGION, project=PROJECT, node_count=1,
                    node_config=gcp.container.NodePoolNodeConfigArgs(
                        machine_type="e2-standard-4",
                        service_account=None if variant == "default-compute" else nodes.email,
                        workload_metadata_config=(gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(mode=metadata)
                                                  if metadata else None)))

        account = "op" if variant == "custom-service-account" else OPERATOR_SA
        namespace = "default" if variant == "wrong-namespace-grant" else NAMESPACE
        impersonated = nodes if variant == "node-identity" else operator
        if variant == "principal-member":
            member = (f"principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
                      f"{WORKLOAD_POOL}/subject/ns/{namespace}/sa/{account}")
        else:
            member = f"serviceAccount:{WORKLOAD_POOL}[{namespace}/{account}]"
        if variant == "binding":
            gcp.serviceaccount.IAMBinding("operator-workload-identity", service_account_id=impersonated.name,
                                          role="roles/iam.workloadIdentityUser", members=[member])
        elif variant not in ("no-grant", "byo-identity"):
            gcp.serviceaccount.IAMMember("operator-workload-identity", service_account_id=impersonated.name,
                                         role="roles/iam.workloadIdentityUser", member=member)

        identity: Any = {"node-identity": nodes.email, "default-compute": DEFAULT_COMPUTE_SA,
                         "byo-identity": f"existing-operator@{PROJECT}.iam.gserviceaccount.com"}.get(variant, operator.email)
        global_: dict[str, Any] = {"cloudDeploymentId": DEPLOYMENT_ID, "cloudProvider": "gcp"}
        if variant != "no-identity":
            global_["auth"] = {"iamIdentity": identity}
        values: dict[str, Any] = {
            "global": global_,
            "workloads": {"serviceAccount": {"name": account}},
            "networking": {"gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": NAMESPACE}},
        }
        if variant == "custom-service-account":
            values["operator"] = {"serviceAccount": {"name": "op"}}
        _release(k8s, values, variant)
        _gateway(k8s, dict(GKE_EXTERNAL), class_name="gke-l7-global-external-managed" if variant == "gke-l7-gateway" else "anyscale-envoy")

        if variant in ("gce-ingress", "gce-internal-ingress"):
            k8s.networking.v1.Ingress("app", metadata={"name": "app", "annotations": {
                "kubernetes.io/ingress.class": "gce" if variant == "gce-ingress" else "gce-internal"}},
                spec={"defaultBackend": {"service": {"name": "app", "port": {"number": 80}}}})
        if variant == "gce-class-name":
            # GKE Ingress ignores spec.ingressClassName: no Google load balancer is made for it.
            k8s.networking.v1.Ingress("app", metadata={"name": "app"}, spec={"ingressClassName": "gce"})

        flag = {"register-node-identity": nodes.email, "no-identity": operator.email,
                "register-other-identity": f"someone-else@{PROJECT}.iam.gserviceaccount.com"}.get(variant, identity)
        pulumi.export("register_command", pulumi.Output.concat(
            "anyscale cloud register --provider gcp --compute-stack k8s --name anyscale-gke --region ", GKE_REGION,
            " --project-id ", PROJECT, " --kubernetes-zones us-central1-a,us-central1-b --anyscale-operator-iam-identity ", flag))

    return program


@functools.cache
def run(cloud: str, variant: str = "compliant") -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """(policy records, stack outputs) of one program on the offline engine (cached: each
    variant runs once per test session)."""
    from anyscale_infra.cli import policy_records
    from anyscale_infra.preview.engine import run_function

    if cloud == "eks":
        result = run_function(eks_program(variant), config={"aws:region": REGION}, project="hand-written-eks")
    else:
        result = run_function(gke_program(variant), config={"gcp:project": PROJECT, "gcp:region": GKE_REGION},
                              project="hand-written-gke")
    return tuple(policy_records(result)), dict(result.outputs)

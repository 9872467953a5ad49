"""Facts about the Anyscale operator on Kubernetes, each with its source; cloud-neutral.

"chart" is the ``anyscale-operator`` chart in anyscale/helm-charts (its ``values.yaml`` and
``templates/``, version :data:`OPERATOR_CHART_VERSION`); "CLI" is the ``anyscale`` package
(``controllers/cloud_controller.py::_generate_helm_upgrade_command``, ``commands/setup_k8s.py``);
"anchor" is anyscale/terraform-kubernetes-anyscale-foundation-modules; "seed 000" the network
flows page (clients reach head nodes through an L4 load balancer).
"""

from __future__ import annotations

from typing import Final

# --- The operator chart ---------------------------------------------------------------------
OPERATOR_CHART: Final = "anyscale-operator"
#: `helm repo add anyscale https://anyscale.github.io/helm-charts` (anchor READMEs, CLI).
OPERATOR_CHART_REPOSITORY: Final = "https://anyscale.github.io/helm-charts"
#: The chart version our values are checked against (tests/kubernetes/chart_keys.py lists
#: the keys this version reads). Override per release; read its MIGRATION_README first.
OPERATOR_CHART_VERSION: Final = "1.8.0"
#: The namespace the CLI and the anchor install into (setup_k8s: ``_prompt_for_namespace``).
DEFAULT_NAMESPACE: Final = "anyscale-operator"
#: The operator's own service account: chart default ``operator.serviceAccount.name``; the
#: workload-identity subject must name it (setup_k8s: ``service_account_name``).
OPERATOR_SERVICE_ACCOUNT: Final = "anyscale-operator"
#: Who a Kubernetes service account is to a cloud's workload identity: its token's subject
#: (the EKS user guide's IRSA ``sub``, AKS workload identity's federated ``subject``).
SERVICE_ACCOUNT_SUBJECT: Final = "system:serviceaccount:{namespace}:{service_account}"
#: The service account workload pods run as: the CLI's helm command sets
#: ``workloads.serviceAccount.name=anyscale-operator`` so workloads get the operator's
#: cloud identity (bucket access); the chart's own default is the namespace's default SA.
DEFAULT_WORKLOADS_SERVICE_ACCOUNT: Final = OPERATOR_SERVICE_ACCOUNT
#: The chart's default control plane (``_helpers.tpl``: validateControlPlaneURL); only a
#: different URL is emitted, and never with a trailing slash (the chart fails on one).
DEFAULT_CONTROL_PLANE_URL: Final = "https://console.anyscale.com"
#: Azure's control plane (seed 003; the AKS extension's ``global.controlPlaneURL``).
AZURE_CONTROL_PLANE_URL: Final = "https://console.azure.anyscale.com"
#: The chart's default instance-types ConfigMap name (``workloads.instanceTypes.configMap.name``).
DEFAULT_INSTANCE_TYPES_CONFIG_MAP: Final = "instance-types"
#: ``global.cloudProvider`` values the chart knows (values.yaml).
CLOUD_PROVIDERS: Final = ("aws", "gcp", "azure", "generic")
#: A cloud deployment id as `cloud register` prints it (chart README: ``cldrsrc_abcdefgh12345678ijklmnop12``).
CLOUD_DEPLOYMENT_ID_PATTERN: Final = r"^cldrsrc_[a-z0-9]{26}$"
#: The chart's ``networking.gateway.apiVersion`` default (Gateway API, HTTPRoutes).
GATEWAY_API_VERSION: Final = "gateway.networking.k8s.io/v1"
#: The ingress class of the chart's bundled ingress-nginx (``ingress-nginx.controller.ingressClass``).
BUNDLED_NGINX_INGRESS_CLASS: Final = "anyscale-nginx"

# --- The default ingress: Gateway API with Envoy Gateway --------------------------------------
#: Envoy Gateway's chart (it installs the Gateway API CRDs and the controller).
ENVOY_GATEWAY_CHART: Final = "gateway-helm"
ENVOY_GATEWAY_CHART_REPOSITORY: Final = "oci://docker.io/envoyproxy"
ENVOY_GATEWAY_CHART_VERSION: Final = "v1.9.1"
ENVOY_GATEWAY_NAMESPACE: Final = "envoy-gateway-system"
#: The controller name a GatewayClass must carry for Envoy Gateway to serve it.
ENVOY_GATEWAY_CONTROLLER: Final = "gateway.envoyproxy.io/gatewayclass-controller"
ENVOY_PROXY_API_VERSION: Final = "gateway.envoyproxy.io/v1alpha1"
DEFAULT_GATEWAY_CLASS: Final = "anyscale-envoy"
DEFAULT_GATEWAY_NAME: Final = "anyscale-gateway"
#: The operator routes HTTP(S) to head nodes through the gateway's listeners.
GATEWAY_LISTENER_PORTS: Final = {"http": 80, "https": 443}
#: Seed 000: Anyscale's DNS names for head nodes (``session-<id>.i.<domain>``) and services
#: (``<service>.<cloud>.s.<domain>``) resolve to the ingress, which terminates TLS with the
#: certificate Anyscale writes into the operator's namespace.
USER_DATA_DOMAIN: Final = "anyscaleuserdata.com"
#: The same on Azure's control plane (Microsoft's AKS walkthrough: ``*.i.azure.anyscaleuserdata.com``).
AZURE_USER_DATA_DOMAIN: Final = "azure.anyscaleuserdata.com"
#: Seed 000: "Anyscale creates a secret for the certificate (named anyscale-<cldrsrc-id>-certificate)";
#: Kubernetes names take no '_', so the id's underscore is a '-' (as Microsoft's walkthrough writes it).
CERTIFICATE_SECRET_TEMPLATE: Final = "anyscale-{deployment}-certificate"

# --- L4 load balancer annotations (seed 000; chart values.yaml; setup_k8s) ---------------------
AWS_LB_TYPE: Final = "service.beta.kubernetes.io/aws-load-balancer-type"
AWS_LB_SCHEME: Final = "service.beta.kubernetes.io/aws-load-balancer-scheme"
AWS_LB_CROSS_ZONE: Final = "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled"
#: The in-tree AWS controller (what serves a Service on EKS without the AWS Load Balancer
#: Controller) reads only this one for an internal load balancer; ``...-scheme`` is the
#: Load Balancer Controller's. An internal NLB carries both, so neither makes it public.
AWS_LB_INTERNAL_ANNOTATION: Final = "service.beta.kubernetes.io/aws-load-balancer-internal"
AWS_LB_NLB: Final = "nlb"
AWS_LB_INTERNET_FACING: Final = "internet-facing"
AWS_LB_INTERNAL: Final = "internal"
GCP_LB_TYPE: Final = "cloud.google.com/load-balancer-type"
GCP_LB_EXTERNAL: Final = "External"
GCP_LB_INTERNAL: Final = "Internal"
AZURE_LB_HEALTH_PROBE_PATH: Final = "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path"
AZURE_LB_INTERNAL: Final = "service.beta.kubernetes.io/azure-load-balancer-internal"
AZURE_LB_DNS_LABEL: Final = "service.beta.kubernetes.io/azure-dns-label-name"
#: The health-probe path setup_k8s and the chart's comments set for Azure.
AZURE_HEALTH_PROBE_PATH: Final = "/healthz"
#: What marks an L7 (ALB) ingress on AWS: never for Anyscale (seed 000: L4 only).
ALB_INGRESS_CLASS: Final = "alb"
ALB_INGRESS_CONTROLLER: Final = "ingress.k8s.aws/alb"
ALB_ANNOTATION_PREFIX: Final = "alb.ingress.kubernetes.io/"
#: The other IngressClass controller that provisions an ALB: EKS Auto Mode's built-in one.
EKS_AUTO_ALB_INGRESS_CONTROLLER: Final = "eks.amazonaws.com/alb"
ALB_INGRESS_CONTROLLERS: Final = (ALB_INGRESS_CONTROLLER, EKS_AUTO_ALB_INGRESS_CONTROLLER)
#: The AWS Load Balancer Controller's Gateway API controller for L7: a GatewayClass of it makes
#: an ALB (its L4 one, ``gateway.k8s.aws/nlb``, makes an NLB).
ALB_GATEWAY_CONTROLLER: Final = "gateway.k8s.aws/alb"
#: ``aws-load-balancer-type`` values that make an NLB: the in-tree controller's ``nlb``, the AWS
#: Load Balancer Controller's ``external`` and its deprecated ``nlb-ip``. Anything else makes a
#: Classic ELB (or nothing).
AWS_LB_TYPE_EXTERNAL: Final = "external"
AWS_LB_TYPE_NLB_IP: Final = "nlb-ip"
AWS_NLB_TYPES: Final = (AWS_LB_NLB, AWS_LB_TYPE_EXTERNAL, AWS_LB_TYPE_NLB_IP)
#: The legacy annotation naming an Ingress's controller (GKE Ingress reads only it).
INGRESS_CLASS_ANNOTATION: Final = "kubernetes.io/ingress.class"
#: GKE Ingress classes that make an (external, internal) Application Load Balancer: L7.
GKE_L7_INGRESS_CLASSES: Final = ("gce", "gce-internal")
#: GKE's GatewayClasses for Application Load Balancers (``gke-l7-global-external-managed``,
#: ``gke-l7-rilb``, ...); the ``gke-l4-*`` ones are passthrough (L4).
GKE_L7_GATEWAY_CLASS_PREFIX: Final = "gke-l7-"

# --- The node-pool contract (chart values.yaml: marketType and accelerator patches) -----------
CAPACITY_TYPE_LABEL: Final = "node.anyscale.com/capacity-type"
CAPACITY_ON_DEMAND: Final = "ON_DEMAND"
CAPACITY_SPOT: Final = "SPOT"
ACCELERATOR_TYPE_LABEL: Final = "node.anyscale.com/accelerator-type"
ACCELERATOR_GPU: Final = "GPU"
#: The resource and taint key the NVIDIA device plugin and GPU node pools use.
NVIDIA_GPU: Final = "nvidia.com/gpu"
#: The node label the chart selects GPUs by on AWS and Azure (``customNodeSelectorKey`` default).
GPU_PRODUCT_LABEL: Final = "nvidia.com/gpu.product"
#: GKE sets this label on accelerator node pools itself.
GKE_ACCELERATOR_LABEL: Final = "cloud.google.com/gke-accelerator"
GKE_SPOT_LABEL: Final = "cloud.google.com/gke-spot"
AZURE_SCALESET_PRIORITY_LABEL: Final = "kubernetes.azure.com/scalesetpriority"
#: The chart's accelerator -> node-selector value maps (``workloads.accelerator.nodeSelectors``).
GPU_PRODUCTS: Final = {
    "aws": {
        "V100": "Tesla-V100-SXM2-16GB",
        "T4": "Tesla-T4",
        "L4": "NVIDIA-L4",
        "A10G": "NVIDIA-A10G",
        "L40S": "NVIDIA-L40S",
        "A100-40G": "NVIDIA-A100-SXM4-40GB",
        "A100-80G": "NVIDIA-A100-SXM4-80GB",
        "H100": "NVIDIA-H100-80GB-HBM3",
    },
    "gcp": {
        "T4": "nvidia-tesla-t4",
        "L4": "nvidia-l4",
        "A100-40G": "nvidia-tesla-a100",
        "A100-80G": "nvidia-a100-80gb",
        "H100": "nvidia-h100-80gb",
        "H100-MEGA": "nvidia-h100-mega-80gb",
        "RTX-PRO-6000": "nvidia-rtx-pro-6000",
    },
    "azure": {
        "T4": "NVIDIA-T4",
        "A10": "NVIDIA-A10",
        "A100": "NVIDIA-A100",
        "H100": "NVIDIA-H100",
    },
}
#: The label each provider's GPU selector reads (chart: ``customNodeSelectorKey`` comment).
GPU_SELECTOR_LABEL: Final = {"aws": GPU_PRODUCT_LABEL, "gcp": GKE_ACCELERATOR_LABEL, "azure": GPU_PRODUCT_LABEL}

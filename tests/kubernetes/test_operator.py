"""AnyscaleOperator and AnyscaleGateway on the mock engine: the two steps, the release's
arguments and values, the gateway's resources and L4 annotations, each ingress mode, and
bad input failing before any resource."""

from __future__ import annotations

import pulumi
import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.kubernetes.ingress import AnyscaleGatewayArgs
from anyscale_infra.kubernetes.load_balancer import IngressMode, LoadBalancerScheme
from anyscale_infra.kubernetes.operator import AnyscaleOperator, AnyscaleOperatorArgs
from anyscale_infra.preview.engine import run_function

DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"
EMAIL = "anyscale-operator@acme-ml-prod.iam.gserviceaccount.com"
ROLE = "arn:aws:iam::210987654321:role/anyscale-operator"
RELEASE = "kubernetes:helm.sh/v3:Release"
NAMESPACE = "kubernetes:core/v1:Namespace"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
GATEWAY_CLASS = "kubernetes:gateway.networking.k8s.io/v1:GatewayClass"
ENVOY_PROXY = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy"


def run(secret_token=None, **kwargs):
    """Run one operator on the mock engine; (result, the warnings the run reported)."""

    def program():
        import pulumi_kubernetes as k8s

        if secret_token is not None:  # outputs belong to the run's own event loop
            kwargs["anyscale_cli_token"] = pulumi.Output.secret(secret_token)
        cluster = k8s.Provider("cluster", kubeconfig="preview")
        AnyscaleOperator("anyscale", AnyscaleOperatorArgs(**kwargs), opts=pulumi.ResourceOptions(provider=cluster))

    result = run_function(program)
    return result, result.warnings


def operator_release(result):
    return [r for r in result.by_type(RELEASE) if r.inputs.get("chart") == "anyscale-operator"]


@pytest.fixture(scope="module")
def first_step():
    return run(cloud_provider="gcp", iam_identity=EMAIL)


@pytest.fixture(scope="module")
def gcp_installed():
    return run(
        cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT, gateway_address="34.120.1.2",
        operator_node_selector={"node.anyscale.com/role": "system"},
    )


def test_first_step_plans_namespace_and_gateway_but_no_release_and_says_why(first_step):
    result, warned = first_step
    assert operator_release(result) == []
    assert result.one(NAMESPACE).inputs["metadata"]["name"] == "anyscale-operator"
    assert len(result.by_type(GATEWAY)) == 1
    assert any("cloud_deployment_id is not set" in w and "cldrsrc_" in w for w in warned)


def test_second_step_installs_the_pinned_chart_in_the_namespace(gcp_installed):
    result, warned = gcp_installed
    (release,) = operator_release(result)
    inputs = release.inputs
    assert inputs["name"] == "anyscale-operator"
    assert inputs["version"] == "1.8.0"
    assert inputs["repositoryOpts"] == {"repo": "https://anyscale.github.io/helm-charts"}
    assert inputs["namespace"] == "anyscale-operator"
    assert inputs["createNamespace"] is False
    assert not any("cloud_deployment_id" in w for w in warned)


def test_the_release_values_name_the_gateway_and_its_reserved_address(gcp_installed):
    result, _ = gcp_installed
    (release,) = operator_release(result)
    assert release.inputs["values"] == {
        "global": {"cloudDeploymentId": DEPLOYMENT, "cloudProvider": "gcp", "auth": {"iamIdentity": EMAIL}},
        "workloads": {"serviceAccount": {"name": "anyscale-operator"}},
        "operator": {"nodeSelector": {"node.anyscale.com/role": "system"}},
        "networking": {
            "gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": "anyscale-operator", "ip": "34.120.1.2"}
        },
    }


def test_the_release_waits_for_the_namespace_and_the_gateway(gcp_installed):
    result, _ = gcp_installed
    (release,) = operator_release(result)
    depends = set(release.dependencies)
    assert result.one(NAMESPACE).urn in depends
    assert result.one(GATEWAY).urn in depends
    assert result.named("anyscale-ingress-envoy-gateway").urn in depends


def test_every_kubernetes_resource_uses_the_given_cluster(gcp_installed):
    result, _ = gcp_installed
    for resource in result.resources:
        if resource.custom and resource.type.startswith("kubernetes:"):
            assert resource.provider and "::cluster::" in resource.provider, resource.name


def test_the_gateway_is_envoy_gateway_behind_the_gcp_external_load_balancer(gcp_installed):
    result, _ = gcp_installed
    controller = result.named("anyscale-ingress-envoy-gateway").inputs
    assert (controller["chart"], controller["version"], controller["repositoryOpts"]) == (
        "gateway-helm", "v1.9.1", {"repo": "oci://docker.io/envoyproxy"},
    )
    assert controller["namespace"] == "envoy-gateway-system" and controller["createNamespace"] is True
    proxy = result.one(ENVOY_PROXY).inputs
    assert proxy["metadata"] == {"name": "anyscale-envoy-proxy", "namespace": "envoy-gateway-system"}
    assert proxy["spec"] == {
        "provider": {
            "type": "Kubernetes",
            "kubernetes": {
                "envoyService": {"type": "LoadBalancer", "annotations": {"cloud.google.com/load-balancer-type": "External"}}
            },
        }
    }
    gateway_class = result.one(GATEWAY_CLASS).inputs
    assert gateway_class["spec"] == {
        "controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
        "parametersRef": {
            "group": "gateway.envoyproxy.io", "kind": "EnvoyProxy", "name": "anyscale-envoy-proxy", "namespace": "envoy-gateway-system",
        },
    }
    gateway = result.one(GATEWAY).inputs
    assert gateway["metadata"] == {"name": "anyscale-gateway", "namespace": "anyscale-operator"}
    # Seed 000: the ingress terminates TLS with the certificate Anyscale writes to
    # anyscale-<cldrsrc id>-certificate in the operator's namespace.
    tls = {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": "anyscale-cldrsrc-abcdefgh12345678ijklmnop12-certificate"}]}
    same = {"namespaces": {"from": "Same"}}
    assert gateway["spec"] == {
        "gatewayClassName": "anyscale-envoy",
        "listeners": [
            {"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": same},
            {"name": "https", "protocol": "HTTPS", "port": 443, "hostname": "*.i.anyscaleuserdata.com", "tls": tls, "allowedRoutes": same},
            {"name": "https-session", "protocol": "HTTPS", "port": 443, "hostname": "*.s.anyscaleuserdata.com", "tls": tls,
             "allowedRoutes": same},
        ],
        "addresses": [{"type": "IPAddress", "value": "34.120.1.2"}],
    }


def test_before_registration_the_gateway_listens_on_http_only(first_step):
    """No deployment id, no certificate to name: HTTPS comes with the second step (an update)."""
    result, _ = first_step
    assert result.one(GATEWAY).inputs["spec"]["listeners"] == [
        {"name": "http", "protocol": "HTTP", "port": 80, "allowedRoutes": {"namespaces": {"from": "Same"}}}
    ]


def test_on_azures_control_plane_the_listeners_name_azures_domain():
    result, _ = run(
        cloud_provider="azure", iam_identity="0f8fad5b-d9cb-469f-a165-70867728950e",
        auth_audience="api://086bc555-6989-4362-ba30-fded273e432b/.default", cloud_deployment_id=DEPLOYMENT,
        control_plane_url="https://console.azure.anyscale.com",
    )
    hostnames = [item.get("hostname") for item in result.one(GATEWAY).inputs["spec"]["listeners"]]
    assert hostnames == [None, "*.i.azure.anyscaleuserdata.com", "*.s.azure.anyscaleuserdata.com"]


def test_aws_private_gets_an_internal_nlb_and_the_region():
    result, _ = run(
        cloud_provider="aws", iam_identity=ROLE, aws_region="us-west-2", cloud_deployment_id=DEPLOYMENT,
        load_balancer=LoadBalancerScheme.INTERNAL,
    )
    annotations = result.one(ENVOY_PROXY).inputs["spec"]["provider"]["kubernetes"]["envoyService"]["annotations"]
    assert annotations == {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
        # The in-tree controller reads only this one: without it the NLB would be public.
        "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    }
    (release,) = operator_release(result)
    assert release.inputs["values"]["global"]["aws"] == {"region": "us-west-2"}
    assert "addresses" not in result.one(GATEWAY).inputs["spec"]


def test_bundled_nginx_is_legacy_installs_no_gateway_and_warns_why():
    result, warned = run(cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT, ingress=IngressMode.BUNDLED_NGINX)
    assert result.by_type(GATEWAY) == [] and result.by_type(ENVOY_PROXY) == []
    (release,) = operator_release(result)
    assert release.inputs["values"]["ingress-nginx"] == {
        "enabled": True, "controller": {"service": {"annotations": {"cloud.google.com/load-balancer-type": "External"}}},
    }
    assert any("end of maintenance in March 2026" in w for w in warned)


def test_an_existing_gateway_is_named_in_the_values_and_nothing_is_installed():
    result, _ = run(
        cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT, ingress=IngressMode.EXISTING_GATEWAY,
        existing_gateway_name="edge", existing_gateway_namespace="gateways", gateway_address="gw.example.com",
    )
    assert result.by_type(GATEWAY) == [] and result.by_type(RELEASE) == operator_release(result)
    (release,) = operator_release(result)
    assert release.inputs["values"]["networking"] == {
        "gateway": {"enabled": True, "name": "edge", "namespace": "gateways", "hostname": "gw.example.com"}
    }


def test_a_generic_cluster_keeps_the_cli_token_secret():
    result, _ = run(cloud_provider="generic", secret_token="aph0_token", cloud_deployment_id=DEPLOYMENT)
    (release,) = operator_release(result)
    assert "values" in release.secret_inputs
    assert release.inputs["values"]["global"]["auth"] == {"anyscaleCliToken": "aph0_token"}
    assert release.to_plan()["inputs"]["values"] == "[secret]"


def test_an_existing_namespace_is_not_created():
    result, _ = run(cloud_provider="gcp", iam_identity=EMAIL, create_namespace=False, namespace="ml-platform")
    assert result.by_type(NAMESPACE) == []
    assert result.one(GATEWAY).inputs["metadata"]["namespace"] == "ml-platform"


def test_gateway_settings_are_passed_but_the_wired_ones_are_refused():
    result, _ = run(
        cloud_provider="gcp", iam_identity=EMAIL, gateway=AnyscaleGatewayArgs(gateway_name="edge", install_envoy_gateway=False),
    )
    assert result.one(GATEWAY).inputs["metadata"]["name"] == "edge"
    assert [r for r in result.by_type(RELEASE)] == []
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleOperatorArgs(cloud_provider="gcp", iam_identity=EMAIL, gateway=AnyscaleGatewayArgs(namespace="other"))
    assert info.value.fields == ["gateway.namespace"]


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        (dict(cloud_provider="aws", iam_identity=EMAIL, aws_region="us-west-2"), "iam_identity", "is an email; on AWS"),
        (dict(cloud_provider="gcp", iam_identity=ROLE), "iam_identity", "is an ARN; on GCP"),
        (dict(cloud_provider="gcp"), "iam_identity", "is required on gcp"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, namespace="Anyscale_Operator"), "namespace", "RFC 1123"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, namespace="a" * 64), "namespace", "at most 63"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id="cld_abc"), "cloud_deployment_id", "cloud id"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, ingress=IngressMode.EXISTING_GATEWAY), "existing_gateway_name", "is required"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, ingress_class_name="x"), "ingress_class_name", "ingress-class only"),
        (dict(cloud_provider="aws", iam_identity=ROLE, aws_region="us-west-2", ingress=IngressMode.INGRESS_CLASS, ingress_class_name="alb"),
         "ingress_class_name", "L4"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, ingress=IngressMode.BUNDLED_NGINX, gateway_address="1.2.3.4"),
         "gateway_address", "gateway modes only"),
        (dict(cloud_provider="gcp", iam_identity=EMAIL, azure_dns_label="x"), "azure_dns_label", "azure only"),
    ],
)
def test_bad_input_names_the_field_before_any_resource(kwargs, field, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleOperatorArgs(**kwargs)
    assert field in info.value.fields, info.value
    assert phrase in str(info.value), info.value


def test_another_chart_version_is_installed_and_the_user_told_what_was_checked():
    result, warned = run(cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT, chart_version="1.9.0")
    (release,) = operator_release(result)
    assert release.inputs["version"] == "1.9.0"
    assert any("chart_version 1.9.0 is not 1.8.0" in w and "MIGRATION_README" in w for w in warned)
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleOperatorArgs(cloud_provider="gcp", iam_identity=EMAIL, chart_version="latest")
    assert info.value.fields == ["chart_version"]


def test_what_the_operator_depends_on_every_cluster_object_waits_for():
    """A new cluster's node pools (given as the operator's depends_on) come before every
    object the operator puts on the cluster: Pulumi hands children the provider, not depends_on."""

    def program():
        import pulumi_kubernetes as k8s

        cluster = k8s.Provider("cluster", kubeconfig="preview")
        pool = k8s.core.v1.ConfigMap("node-pools-ready", metadata={"name": "marker"}, opts=pulumi.ResourceOptions(provider=cluster))
        AnyscaleOperator(
            "anyscale", AnyscaleOperatorArgs(cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT),
            opts=pulumi.ResourceOptions(provider=cluster, depends_on=[pool]),
        )

    result = run_function(program)
    marker = result.named("node-pools-ready").urn
    placed = [r for r in result.resources if r.custom and r.type.startswith("kubernetes:") and r.name != "node-pools-ready"]
    assert len(placed) == 6
    assert all(marker in r.dependencies for r in placed), [r.name for r in placed if marker not in r.dependencies]


def test_asking_for_the_release_without_a_deployment_id_is_an_error():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleOperatorArgs(cloud_provider="gcp", iam_identity=EMAIL, install_operator=True)
    assert info.value.fields == ["cloud_deployment_id"]
    assert "is required to install the operator" in str(info.value)


def test_install_operator_false_plans_no_release_and_no_warning_even_with_an_id():
    result, warned = run(cloud_provider="gcp", iam_identity=EMAIL, cloud_deployment_id=DEPLOYMENT, install_operator=False)
    assert operator_release(result) == []
    assert not any("cloud_deployment_id" in w for w in warned)
    assert len(result.by_type(GATEWAY)) == 1  # the rest of the cluster side is still there

"""The operator's helm values: only keys the pinned chart reads, the values the CLI itself
tells users to set for the same inputs, and every bad input named by field and rule."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import yaml

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.kubernetes.values import (
    BundledNginxRouting,
    GatewayRouting,
    IngressClassRouting,
    OperatorValuesArgs,
    flatten,
    operator_values,
)
from anyscale_infra.kubernetes.load_balancer import LoadBalancerScheme, load_balancer_annotations
from chart_keys import chart_keys, unknown_keys

DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"
ROLE = "arn:aws:iam::210987654321:role/anyscale-operator"
EMAIL = "anyscale-operator@acme-ml-prod.iam.gserviceaccount.com"
CLIENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
AUDIENCE = "api://7c1f6c2b-53b4-4a7e-9a53-4bd0f1a3c8a1/.default"

CASES = {
    "aws": dict(cloud_provider="aws", cloud_deployment_id=DEPLOYMENT, iam_identity=ROLE, aws_region="us-west-2"),
    "gcp": dict(cloud_provider="gcp", cloud_deployment_id=DEPLOYMENT, iam_identity=EMAIL),
    "azure": dict(cloud_provider="azure", cloud_deployment_id=DEPLOYMENT, iam_identity=CLIENT_ID, auth_audience=AUDIENCE),
    "generic": dict(cloud_provider="generic", cloud_deployment_id=DEPLOYMENT, anyscale_cli_token="aph0_token"),
}


def values(**kwargs):
    return operator_values(OperatorValuesArgs(**kwargs))


def error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        OperatorValuesArgs(**kwargs)
    return info.value


# -- exact values per provider ----------------------------------------------------------------


def test_aws_values_are_exactly_the_deployment_provider_identity_region_and_workloads_account():
    assert values(**CASES["aws"]) == {
        "global": {
            "cloudDeploymentId": DEPLOYMENT,
            "cloudProvider": "aws",
            "auth": {"iamIdentity": ROLE},
            "aws": {"region": "us-west-2"},
        },
        "workloads": {"serviceAccount": {"name": "anyscale-operator"}},
    }


def test_gcp_values_carry_the_email_and_no_region_key():
    got = values(**CASES["gcp"])
    assert got["global"] == {"cloudDeploymentId": DEPLOYMENT, "cloudProvider": "gcp", "auth": {"iamIdentity": EMAIL}}
    # The anchor's GKE example sets global.gcp.region; chart 1.8 no longer reads it.
    assert "global.gcp.region" not in flatten(got)


def test_azure_values_carry_the_client_id_and_the_audience():
    assert values(**CASES["azure"])["global"]["auth"] == {"iamIdentity": CLIENT_ID, "audience": AUDIENCE}


def test_generic_values_carry_the_token_and_no_identity():
    assert values(**CASES["generic"])["global"]["auth"] == {"anyscaleCliToken": "aph0_token"}


def test_control_plane_url_only_when_not_the_default():
    assert "controlPlaneURL" not in values(**CASES["gcp"])["global"]
    assert "controlPlaneURL" not in values(**CASES["gcp"], control_plane_url="https://console.anyscale.com")["global"]
    got = values(**CASES["gcp"], control_plane_url="https://console.azure.anyscale.com")
    assert got["global"]["controlPlaneURL"] == "https://console.azure.anyscale.com"


def test_gateway_routing_becomes_the_networking_gateway_keys():
    got = values(**CASES["gcp"], routing=GatewayRouting("anyscale-gateway", "anyscale-operator", ip="34.1.2.3"))
    assert got["networking"] == {
        "gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": "anyscale-operator", "ip": "34.1.2.3"}
    }
    hostname = values(**CASES["aws"], routing=GatewayRouting("gw", "edge", hostname="lb.example.com"))
    assert hostname["networking"]["gateway"]["hostname"] == "lb.example.com"
    assert "ip" not in hostname["networking"]["gateway"]
    # Chart 1.8 has no networking.gateway.className.
    assert "networking.gateway.className" not in flatten(got)


def test_bundled_nginx_enables_the_subchart_with_the_load_balancer_annotations():
    annotations = load_balancer_annotations("aws", LoadBalancerScheme.INTERNAL)
    got = values(**CASES["aws"], routing=BundledNginxRouting(annotations))
    assert got["ingress-nginx"] == {"enabled": True, "controller": {"service": {"annotations": annotations}}}
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-internal"] == "true"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "nlb"


def test_a_public_aws_load_balancer_is_internet_facing_without_the_internal_annotation():
    annotations = load_balancer_annotations("aws", LoadBalancerScheme.PUBLIC)
    assert annotations == {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
    }


def test_internal_load_balancers_on_gcp_and_azure():
    assert load_balancer_annotations("gcp", LoadBalancerScheme.INTERNAL) == {"cloud.google.com/load-balancer-type": "Internal"}
    assert load_balancer_annotations("azure", LoadBalancerScheme.INTERNAL, dns_label="anyscale-x") == {
        "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz",
        "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
        "service.beta.kubernetes.io/azure-dns-label-name": "anyscale-x",
    }
    assert load_balancer_annotations("generic", LoadBalancerScheme.INTERNAL) == {}


def test_ingress_class_routing_sets_the_class_override_and_address():
    got = values(**CASES["gcp"], routing=IngressClassRouting("traefik", "10.0.0.5"))
    assert got["networking"] == {"ingress": {"classNameOverride": "traefik", "address": "10.0.0.5"}}


def test_instance_types_and_node_selector_and_operator_account():
    got = values(
        **CASES["gcp"],
        additional_instance_types={"16CPU-64GB": {"resources": {"CPU": 16, "memory": "64Gi"}}},
        enable_default_instance_types=False,
        operator_node_selector={"node.anyscale.com/role": "system"},
        operator_service_account="anyscale-op",
    )
    assert got["workloads"]["instanceTypes"] == {
        "enableDefaults": False,
        "additional": {"16CPU-64GB": {"resources": {"CPU": 16, "memory": "64Gi"}}},
    }
    assert got["operator"] == {"serviceAccount": {"name": "anyscale-op"}, "nodeSelector": {"node.anyscale.com/role": "system"}}


def test_extra_values_merge_deep_and_last():
    got = values(**CASES["aws"], extra_values={"global": {"aws": {"s3": {"usePathStyle": True}}}, "operator": {"replicas": 2}})
    assert got["global"]["aws"] == {"region": "us-west-2", "s3": {"usePathStyle": True}}
    assert got["operator"] == {"replicas": 2}


# -- every key is one the pinned chart reads --------------------------------------------------

ROUTINGS = [
    None,
    GatewayRouting("anyscale-gateway", "anyscale-operator", ip="10.1.2.3"),
    GatewayRouting("anyscale-gateway", "anyscale-operator", hostname="a.example.com"),
    BundledNginxRouting({"cloud.google.com/load-balancer-type": "Internal"}),
    IngressClassRouting("traefik", "10.0.0.5"),
]


@pytest.mark.parametrize("provider", sorted(CASES))
@pytest.mark.parametrize("routing", range(len(ROUTINGS)))
def test_every_emitted_key_is_read_by_the_pinned_chart(provider, routing):
    got = values(
        **CASES[provider],
        routing=ROUTINGS[routing],
        control_plane_url="https://console.example.anyscale.com",
        additional_instance_types={"X": {"resources": {"CPU": 2, "memory": "8Gi"}}},
        enable_default_instance_types=False,
        operator_node_selector={"role": "system"},
        operator_service_account="op",
    )
    assert unknown_keys(flatten(got)) == []


def test_the_key_check_catches_keys_the_chart_dropped():
    """The check itself: keys older examples used are not in chart 1.8."""
    assert unknown_keys(["global.gcp.region", "networking.gateway.className", "global.cloudProvider"]) == [
        "global.gcp.region",
        "networking.gateway.className",
    ]
    values_keys, template_only = chart_keys()
    assert "global.controlPlaneURL" in template_only and "global.controlPlaneURL" not in values_keys


def test_extra_values_with_an_unknown_top_level_key_name_the_field():
    err = error(**CASES["aws"], extra_values={"globals": {}})
    assert err.fields == ["extra_values"]
    assert "globals is not" in str(err)


# -- the CLI's own helm command and values file for the same inputs ---------------------------


def _cli_set_strings(provider: str, **kwargs) -> dict[str, str]:
    from anyscale.commands.setup_k8s import KubernetesCloudSetupCommand
    from anyscale.controllers.cloud_controller import CloudController

    command = CloudController._generate_helm_upgrade_command(SimpleNamespace(), provider=provider, **kwargs)
    return KubernetesCloudSetupCommand._extract_set_string_values(SimpleNamespace(), command)


@pytest.mark.parametrize(
    "provider, cli_kwargs",
    [
        ("aws", dict(region="us-west-2")),
        ("gcp", dict(region="us-central1", operator_iam_identity=EMAIL)),
        ("generic", dict(anyscale_cli_token="aph0_token")),
    ],
)
def test_every_value_the_cli_sets_is_ours_for_the_same_inputs(provider, cli_kwargs):
    cli = _cli_set_strings(provider, cloud_deployment_id=DEPLOYMENT, **cli_kwargs)
    ours = flatten(values(**CASES[provider]))
    assert cli, "the CLI's command has --set-string flags"
    assert {key: ours.get(key) for key in cli} == cli


def test_the_cli_setup_values_file_agrees_with_ours_with_bundled_nginx(tmp_path):
    """`anyscale cloud setup --stack k8s` writes a values file (setup_k8s._generate_helm_values_file):
    for the same inputs, every value it writes is ours, annotations included."""
    from anyscale.commands.setup_k8s import KubernetesCloudSetupCommand

    setup = KubernetesCloudSetupCommand.__new__(KubernetesCloudSetupCommand)
    setup.log = SimpleNamespace(info=lambda *a, **k: None, warning=lambda *a, **k: None)
    for provider, identity, region in (("aws", ROLE, "us-west-2"), ("gcp", EMAIL, "us-central1")):
        path = tmp_path / f"{provider}.yaml"
        setup._generate_helm_values_file(
            provider=provider,
            cloud_deployment_id=DEPLOYMENT,
            region=region,
            namespace="anyscale-operator",
            infrastructure=SimpleNamespace(iam_role_arn=identity),
            custom_path=str(path),
            additional_values=_cli_set_strings(provider, cloud_deployment_id=DEPLOYMENT, region=region,
                                               operator_iam_identity=identity),
            install_nginx_ingress=True,
        )
        cli = flatten(yaml.safe_load(path.read_text()))
        ours = flatten(
            values(
                **CASES[provider],
                routing=BundledNginxRouting(load_balancer_annotations(provider, LoadBalancerScheme.PUBLIC)),
            )
        )
        cli.pop("global.controlPlaneURL", None)  # only when ANYSCALE_HOST is set
        assert {key: ours.get(key) for key in cli} == cli, provider


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        (dict(CASES["aws"], iam_identity=EMAIL), "iam_identity", "is an email; on AWS"),
        (dict(CASES["gcp"], iam_identity=ROLE), "iam_identity", "is an ARN; on GCP"),
        (dict(CASES["azure"], iam_identity=EMAIL), "iam_identity", "client id"),
        (dict(CASES["azure"], iam_identity="not-a-guid"), "iam_identity", "GUID"),
        (dict(CASES["generic"], iam_identity=ROLE), "iam_identity", "no cloud identity"),
        ({k: v for k, v in CASES["gcp"].items() if k != "iam_identity"}, "iam_identity", "is required on gcp"),
        ({k: v for k, v in CASES["aws"].items() if k != "aws_region"}, "aws_region", "is required on aws"),
        (dict(CASES["gcp"], aws_region="us-west-2"), "aws_region", "applies to aws only"),
        ({k: v for k, v in CASES["azure"].items() if k != "auth_audience"}, "auth_audience", "is required on azure"),
        ({k: v for k, v in CASES["generic"].items() if k != "anyscale_cli_token"}, "anyscale_cli_token", "generic"),
        (dict(CASES["aws"], cloud_deployment_id="cld_abcdefgh12345678ijklmnop12"), "cloud_deployment_id", "that is a cloud id"),
        (dict(CASES["aws"], cloud_deployment_id=""), "cloud_deployment_id", "not a cloud deployment id"),
        (dict(CASES["aws"], control_plane_url="https://console.anyscale.com/"), "control_plane_url", "trailing slash"),
        (dict(CASES["aws"], control_plane_url="http://console.anyscale.com"), "control_plane_url", "https URL"),
        (dict(CASES["aws"], workloads_service_account="Bad_Name"), "workloads_service_account", "RFC 1123"),
        (dict(CASES["aws"], cloud_provider="openstack"), "cloud_provider", "openstack"),
    ],
)
def test_bad_input_names_the_field_and_the_rule(kwargs, field, phrase):
    err = error(**kwargs)
    assert field in err.fields, err
    assert phrase in str(err), err


def test_a_gateway_routing_with_a_bad_namespace_names_routing():
    err = error(**CASES["aws"], routing=GatewayRouting("gw", "Edge_NS"))
    assert err.fields == ["routing"]
    assert "RFC 1123" in str(err)


def test_flatten_gives_helm_set_paths():
    assert flatten({"a": {"b": 1, "c": {"d": "x"}}, "e": {}}) == {"a.b": 1, "a.c.d": "x", "e": {}}
    assert re.match(r"^cldrsrc_", DEPLOYMENT)

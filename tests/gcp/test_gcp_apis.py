"""AnyscaleGcpApis: which services are enabled, how, and against the verifier's own list."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pytest
from anyscale.utils.gcp_utils import GCP_REQUIRED_APIS

from anyscale_infra import InvalidArgsError
from anyscale_infra.gcp import AnyscaleGcpApis, AnyscaleGcpApisArgs
from anyscale_infra.gcp.apis import api_key, check_service_name, required_apis

SERVICE = "gcp:projects/service:Service"

DEFAULT_APIS = {
    "c-certificatemanager": "certificatemanager.googleapis.com",
    "c-cloudresourcemanager": "cloudresourcemanager.googleapis.com",
    "c-compute": "compute.googleapis.com",
    "c-config": "config.googleapis.com",
    "c-deploymentmanager": "deploymentmanager.googleapis.com",
    "c-file": "file.googleapis.com",
    "c-iam": "iam.googleapis.com",
    "c-iamcredentials": "iamcredentials.googleapis.com",
    "c-serviceusage": "serviceusage.googleapis.com",
    "c-storage": "storage.googleapis.com",
    "c-storage-component": "storage-component.googleapis.com",
    "c-sts": "sts.googleapis.com",
}


def _services(result):
    return {r.name: r.inputs for r in result.by_type(SERVICE)}


def _component(result):
    (component,) = result.by_type("anyscale-infra:index:AnyscaleGcpApis")
    return component, result.component_outputs[component.urn]


def test_default_enables_each_api_by_name_and_never_disables_on_destroy(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs()))
    services = _services(result)
    assert {name: inputs["service"] for name, inputs in services.items()} == DEFAULT_APIS
    for inputs in services.values():
        # Exactly these inputs: no project (the provider's), and never disabled on destroy.
        assert set(inputs) == {"service", "disableOnDestroy", "disableDependentServices"}
        assert inputs["disableOnDestroy"] is False
        assert inputs["disableDependentServices"] is False
    component, outputs = _component(result)
    assert all(r.parent == component.urn for r in result.by_type(SERVICE))
    assert outputs["enabled_apis"] == sorted(DEFAULT_APIS.values())
    assert outputs["project"] == "acme-ml-prod"


def test_project_id_goes_on_every_service(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs(project_id="acme-ml-other")))
    assert {inputs["project"] for inputs in _services(result).values()} == {"acme-ml-other"}
    assert _component(result)[1]["project"] == "acme-ml-other"


def test_memorystore_adds_redis_and_keeps_every_other_name(gcp_preview):
    off = _services(gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs())))
    on = _services(gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs(enable_memorystore=True))))
    assert "c-redis" not in off
    assert on["c-redis"]["service"] == "redis.googleapis.com"
    # Keyed by the API: turning Memorystore on renames (replaces) nothing.
    assert set(on) - set(off) == {"c-redis"} and set(off) <= set(on)


def test_verifier_only_apis_can_be_turned_off(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs(enable_verifier_apis=False)))
    assert set(DEFAULT_APIS) - set(_services(result)) == {"c-config", "c-deploymentmanager"}


def test_additional_apis_are_added_once(gcp_preview):
    args = AnyscaleGcpApisArgs(
        additional_apis=["logging.googleapis.com", "compute.googleapis.com", "my-api.endpoints.acme-ml-prod.cloud.goog"]
    )
    services = _services(gcp_preview(lambda: AnyscaleGcpApis("c", args)))
    assert services["c-logging"]["service"] == "logging.googleapis.com"
    assert services["c-my-api.endpoints.acme-ml-prod.cloud.goog"]["service"] == "my-api.endpoints.acme-ml-prod.cloud.goog"
    assert [inputs["service"] for inputs in services.values()].count("compute.googleapis.com") == 1
    assert len(services) == len(DEFAULT_APIS) + 2


def test_unmanaged_apis_create_nothing_but_still_say_what_is_needed(gcp_preview):
    holder = {}

    def program():
        holder["apis"] = AnyscaleGcpApis("c", AnyscaleGcpApisArgs(manage_apis=False, enable_memorystore=True))

    result = gcp_preview(program)
    assert [r for r in result.resources if r.custom] == []
    assert holder["apis"].services == []
    assert "redis.googleapis.com" in holder["apis"].apis and "compute.googleapis.com" in holder["apis"].apis
    outputs = _component(result)[1]
    assert outputs["enabled_apis"] == [] and outputs["project"] == "acme-ml-prod"


def test_services_are_what_others_depend_on_and_depends_on_reaches_them(gcp_preview):
    def program():
        gate = gcp.projects.Service("gate", service="serviceusage.googleapis.com")
        apis = AnyscaleGcpApis("c", AnyscaleGcpApisArgs(), opts=pulumi.ResourceOptions(depends_on=[gate]))
        gcp.compute.Network("after", auto_create_subnetworks=False, opts=pulumi.ResourceOptions(depends_on=apis.services))

    result = gcp_preview(program)
    gate = result.named("gate")
    services = [r for r in result.by_type(SERVICE) if r.name != "gate"]
    assert services and all(gate.urn in r.dependencies for r in services)
    assert set(result.named("after").dependencies) == {r.urn for r in services}


def test_explicit_provider_is_used(gcp_preview):
    def program():
        provider = gcp.Provider("other", project="acme-ml-other", region="europe-west4")
        AnyscaleGcpApis("c", AnyscaleGcpApisArgs(), opts=pulumi.ResourceOptions(providers=[provider]))

    result = gcp_preview(program)
    assert all(r.provider and "::other::" in r.provider for r in result.by_type(SERVICE))
    assert {r.outputs["project"] for r in result.by_type(SERVICE)} == {"acme-ml-other"}
    assert _component(result)[1]["project"] == "acme-ml-other"


def test_the_verifiers_list_is_covered():
    """`cloud register` prompts (and fails without --yes) unless every API it checks is on."""
    assert set(GCP_REQUIRED_APIS) <= set(AnyscaleGcpApisArgs().apis())
    assert set(GCP_REQUIRED_APIS) - set(AnyscaleGcpApisArgs(enable_verifier_apis=False).apis()) == {
        "deploymentmanager.googleapis.com",
        "config.googleapis.com",
    }
    # verify_gcp_project adds redis when Memorystore is given.
    assert "redis.googleapis.com" in AnyscaleGcpApisArgs(enable_memorystore=True).apis()


def test_pure_list_is_sorted_and_unique():
    apis = required_apis(memorystore=True, additional=["sts.googleapis.com", "a.example.com"])
    assert apis == sorted(set(apis)) and apis[0] == "a.example.com" and apis.count("sts.googleapis.com") == 1
    assert api_key("compute.googleapis.com") == "compute"
    assert api_key("my-api.endpoints.p.cloud.goog") == "my-api.endpoints.p.cloud.goog"


@pytest.mark.parametrize("name", ["compute.googleapis.com", "a.b", "storage-component.googleapis.com"])
def test_service_names_accepted(name):
    assert check_service_name(name) == name


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(project_id="123456789012"), "project_id", "that is a project NUMBER"),
        (dict(project_id="Acme"), "project_id", "must be 6 to 30 lowercase letters"),
        (dict(additional_apis=["https://compute.googleapis.com"]), "additional_apis", "is not a service name"),
        (dict(additional_apis=["compute"]), "additional_apis", "is not a service name"),
        (dict(additional_apis=["Compute.googleapis.com"]), "additional_apis", "is not a service name"),
        (dict(additional_apis=["x.googleapis.com", "x.googleapis.com"]), "additional_apis", "lists x.googleapis.com more than once"),
        (dict(manage_apis=False, additional_apis=["x.googleapis.com"]), "additional_apis", "has no effect with manage_apis=False"),
        (dict(manage_apis=False, enable_verifier_apis=True), "enable_verifier_apis", "has no effect with manage_apis=False"),
        (dict(manage_apis="sometimes"), "manage_apis", "valid boolean"),
        (dict(enable_redis=True), "enable_redis", "is not a known argument"),
    ],
)
def test_bad_arguments_name_the_field_and_rule(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpApisArgs(**kwargs)
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_component_type_token(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpApis("c", AnyscaleGcpApisArgs(manage_apis=False)))
    assert [r.type for r in result.resources if r.is_component and r.name == "c"] == ["anyscale-infra:index:AnyscaleGcpApis"]

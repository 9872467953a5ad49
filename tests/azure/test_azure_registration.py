"""Native registration: the ARM bodies of Anyscale.Platform/clouds and cloudResources/default,
the Anyscale.AKS.Operator extension (plan, release train, namespace, settings from the shared
values builder, keyed only as the pinned chart reads them), and the ids kept apart."""

from __future__ import annotations

import pytest

from anyscale_infra.azure.ids import ClientId, PrincipalId
from anyscale_infra.azure.registration import (
    AnyscaleAzureRegistration,
    AnyscaleAzureRegistrationArgs,
    cloud_resource_properties,
    dns_label_for,
    gateway_hostname,
    operator_extension_settings,
)
from anyscale_infra.preview.engine import run_function
from chart_keys import unknown_keys

PRINCIPAL = "0f8fad5b-d9cb-469f-a165-70867728950e"
CLIENT = "7d1f2c3b-1111-4222-8333-444455556666"
DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"
BUCKET = "abfss://anyscale-data@anyscaleprod01.dfs.core.windows.net"
ENDPOINT = "https://anyscaleprod01.blob.core.windows.net/"
RESOURCE = "azure-native:resources:Resource"
EXTENSION = "azure-native:kubernetesconfiguration:Extension"


def test_the_cloud_resource_names_the_principal_id_and_the_storage():
    assert cloud_resource_properties(BUCKET, ENDPOINT, PrincipalId(PRINCIPAL)) == {
        "provider": "Azure",
        "computeStack": "K8S",
        "cloudStorageBucketName": BUCKET,
        "cloudStorageBucketEndpoint": ENDPOINT,
        "anyscaleOperatorIamIdentity": PRINCIPAL,
    }


def test_the_client_id_is_refused_where_the_principal_id_belongs_and_the_reverse():
    with pytest.raises(ValueError, match="takes the managed identity's principal id, and .* is its client id"):
        cloud_resource_properties(BUCKET, ENDPOINT, ClientId(CLIENT))
    with pytest.raises(ValueError, match="takes the managed identity's client id, and .* is its principal id"):
        operator_extension_settings(cloud_deployment_id=DEPLOYMENT, client_id=PrincipalId(PRINCIPAL), namespace="anyscale-operator",
                                    gateway_name="anyscale-gateway", gateway_hostname_value=None)


def test_the_extension_settings_are_the_operators_values_on_azures_control_plane():
    settings = operator_extension_settings(
        cloud_deployment_id=DEPLOYMENT, client_id=ClientId(CLIENT), namespace="anyscale-operator",
        gateway_name="anyscale-gateway", gateway_hostname_value="cldrsrc-abcdefgh12345678ijklmnop12.eastus2.cloudapp.azure.com",
    )
    assert settings == {
        "global.cloudDeploymentId": DEPLOYMENT,
        "global.cloudProvider": "azure",
        "global.controlPlaneURL": "https://console.azure.anyscale.com",
        "global.auth.iamIdentity": CLIENT,
        "global.auth.audience": "api://086bc555-6989-4362-ba30-fded273e432b/.default",
        "workloads.serviceAccount.name": "anyscale-operator",
        "networking.gateway.enabled": "true",
        "networking.gateway.name": "anyscale-gateway",
        "networking.gateway.namespace": "anyscale-operator",
        "networking.gateway.hostname": "cldrsrc-abcdefgh12345678ijklmnop12.eastus2.cloudapp.azure.com",
    }
    # Microsoft's walkthrough also sets networking.gateway.className: chart 1.8 does not read it.
    assert unknown_keys(settings) == []
    assert "networking.gateway.className" not in settings


def test_the_gateways_name_comes_from_the_cloud_resource_id():
    assert dns_label_for(DEPLOYMENT) == "cldrsrc-abcdefgh12345678ijklmnop12"
    assert gateway_hostname("cldrsrc-x", "westus3") == "cldrsrc-x.westus3.cloudapp.azure.com"


def _program(**overrides):
    def program():
        args = dict(
            cloud_name="aks-cloud", resource_group_name="anyscale-rg", location="eastus2", bucket_name=BUCKET,
            bucket_endpoint=ENDPOINT, principal_id=PrincipalId(PRINCIPAL), client_id=ClientId(CLIENT),
            cluster_name="anyscale-aks", cluster_resource_group_name="anyscale-rg",
        )
        AnyscaleAzureRegistration("anyscale", AnyscaleAzureRegistrationArgs(**{**args, **overrides}))

    return program


@pytest.fixture(scope="module")
def registered():
    return run_function(_program(), config={"azure-native:location": "eastus2"})


def test_the_cloud_is_an_anyscale_platform_resource_in_the_group(registered):
    cloud = next(r for r in registered.by_type(RESOURCE) if r.inputs["resourceType"] == "clouds")
    assert cloud.inputs["resourceProviderNamespace"] == "Anyscale.Platform"
    assert cloud.inputs["resourceName"] == "aks-cloud"
    assert cloud.inputs["apiVersion"] == "2026-02-01-preview"
    assert cloud.inputs["resourceGroupName"] == "anyscale-rg"
    assert cloud.inputs["parentResourcePath"] == ""
    assert cloud.inputs["tags"] == {"anyscale-cloud": "aks-cloud"}


def test_the_cloud_resource_is_its_default_child(registered):
    child = next(r for r in registered.by_type(RESOURCE) if r.inputs["resourceType"] == "cloudResources")
    assert child.inputs["parentResourcePath"] == "clouds/aks-cloud"
    assert child.inputs["resourceName"] == "default"
    assert child.inputs["properties"]["anyscaleOperatorIamIdentity"] == PRINCIPAL
    cloud = next(r for r in registered.by_type(RESOURCE) if r.inputs["resourceType"] == "clouds")
    assert cloud.urn in child.dependencies


def test_the_extension_is_the_marketplace_operator_wired_to_the_cloud_resource(registered):
    extension = registered.one(EXTENSION).inputs
    assert extension["extensionType"] == "Anyscale.AKS.Operator"
    assert extension["extensionName"] == "anyscaleoperator"
    assert extension["releaseTrain"] == "stable" and extension["autoUpgradeMinorVersion"] is True
    assert extension["plan"] == {"name": "anyscale-operator", "product": "anyscale-operator-aks", "publisher": "anyscale1750870039553"}
    assert extension["scope"] == {"cluster": {"releaseNamespace": "anyscale-operator"}}
    assert (extension["clusterName"], extension["clusterResourceName"], extension["clusterRp"]) == (
        "anyscale-aks", "managedClusters", "Microsoft.ContainerService",
    )
    settings = extension["configurationSettings"]
    # The preview's cloud resource id (a made-up cldrsrc_), fed straight into the operator.
    deployment = settings["global.cloudDeploymentId"]
    assert deployment.startswith("cldrsrc_") and len(deployment) == len(DEPLOYMENT)
    assert settings["global.auth.iamIdentity"] == CLIENT
    assert settings["networking.gateway.hostname"] == f"{deployment.replace('_', '-')}.eastus2.cloudapp.azure.com"


def test_a_pinned_extension_version_turns_the_release_train_and_auto_upgrade_off():
    result = run_function(_program(extension_version="1.8.0"), config={"azure-native:location": "eastus2"})
    extension = result.one(EXTENSION).inputs
    assert extension["version"] == "1.8.0" and extension["autoUpgradeMinorVersion"] is False
    assert extension["releaseTrain"] == "Stable"  # not ours: the SDK's own default when none is given


def test_without_the_extension_only_the_cloud_is_registered():
    result = run_function(_program(install_extension=False), config={"azure-native:location": "eastus2"})
    assert result.by_type(EXTENSION) == [] and len(result.by_type(RESOURCE)) == 2


ACR = "/subscriptions/6f1c2e1a-93a5-4f7e-a2c9-1b0e5d6c7f80/resourceGroups/anyscale-rg/providers/Microsoft.ContainerRegistry/registries/anyscaleimages"


def test_a_container_registry_is_the_clouds_acr_resource_id():
    result = run_function(_program(container_registry_id=ACR), config={"azure-native:location": "eastus2"})
    cloud = next(r for r in result.by_type(RESOURCE) if r.inputs["resourceType"] == "clouds")
    assert cloud.inputs["properties"] == {"acrResourceId": ACR}


def test_without_a_registry_the_cloud_has_no_properties(registered):
    cloud = next(r for r in registered.by_type(RESOURCE) if r.inputs["resourceType"] == "clouds")
    assert cloud.inputs["properties"] == {}


def test_a_registry_id_of_another_kind_is_refused():
    from anyscale_infra.errors import InvalidArgsError

    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAzureRegistrationArgs(
            cloud_name="c", resource_group_name="rg", location="eastus2", bucket_name=BUCKET, bucket_endpoint=ENDPOINT,
            principal_id=PrincipalId(PRINCIPAL), client_id=ClientId(CLIENT), cluster_name="k", cluster_resource_group_name="rg",
            container_registry_id=ACR.replace("Microsoft.ContainerRegistry/registries", "Microsoft.Storage/storageAccounts"),
        )
    assert info.value.fields == ["container_registry_id"]


def test_only_the_three_values_from_other_resources_wait_for_them():
    """A real preview sees every other setting (keys and values): the policy pack judges them
    there, not only offline."""
    import pulumi

    from anyscale_infra.azure.registration import extension_settings_inputs

    kinds = {}

    def program():
        settings = extension_settings_inputs(
            cloud_deployment_id=pulumi.Output.from_input(DEPLOYMENT), client_id=pulumi.Output.from_input(ClientId(CLIENT)),
            hostname=pulumi.Output.from_input("h.eastus2.cloudapp.azure.com"), namespace="anyscale-operator",
            gateway_name="anyscale-gateway",
        )
        kinds.update({key: isinstance(value, pulumi.Output) for key, value in settings.items()})

    run_function(program)
    assert sorted(key for key, waits in kinds.items() if waits) == [
        "global.auth.iamIdentity", "global.cloudDeploymentId", "networking.gateway.hostname",
    ]
    assert {key for key, waits in kinds.items() if not waits} >= {
        "global.cloudProvider", "global.controlPlaneURL", "global.auth.audience", "workloads.serviceAccount.name",
        "networking.gateway.enabled", "networking.gateway.name", "networking.gateway.namespace",
    }


def test_a_principal_id_output_where_the_client_id_belongs_fails_the_run():
    import pulumi

    from anyscale_infra.azure.registration import extension_settings_inputs
    from anyscale_infra.preview.engine import ProgramError

    def program():
        settings = extension_settings_inputs(
            cloud_deployment_id=DEPLOYMENT, client_id=pulumi.Output.from_input(PrincipalId(PRINCIPAL)), hostname=None,
            namespace="anyscale-operator", gateway_name="anyscale-gateway",
        )
        pulumi.export("identity", settings["global.auth.iamIdentity"])

    with pytest.raises(ProgramError, match="takes the managed identity's client id"):
        run_function(program)

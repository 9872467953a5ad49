"""AnyscaleAzureCloud on the mock engine: every part wired to the next (the subnet to the
cluster, the issuer to the federated credential, the account to the role and the cloud
resource), native registration in one run (the cloud resource id feeding the gateway's DNS
label and certificate and the extension), the CLI path, and bad input before any resource."""

from __future__ import annotations

import pytest
import yaml

from anyscale_infra.azure import AnyscaleAzureCloud, AnyscaleAzureCloudArgs, AzureRegistration
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.models import NetworkingMode
from anyscale_infra.preview.engine import run_function

CONFIG = {"azure-native:location": "eastus2"}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"
RESOURCE = "azure-native:resources:Resource"
EXTENSION = "azure-native:kubernetesconfiguration:Extension"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
ENVOY_PROXY = "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy"
OUTPUTS = ("cloud_arm_id", "cloud_resource_id", "cloud_id", "bucket_name", "bucket_endpoint", "principal_id", "client_id",
           "gateway_hostname", "register_command", "resource_file", "cluster_name")


def build(**kwargs):
    def program():
        import pulumi

        cloud = AnyscaleAzureCloud("anyscale", AnyscaleAzureCloudArgs(**{"cloud_name": "aks-cloud", "location": "eastus2", **kwargs}))
        for key in OUTPUTS:
            pulumi.export(key, getattr(cloud, key))

    return run_function(program, config=CONFIG)


@pytest.fixture(scope="module")
def native():
    return build()


def by(result, typ, name):
    (found,) = [r for r in result.by_type(typ) if r.name == name]
    return found


def test_the_cluster_sits_in_the_cloud_subnet_and_the_group(native):
    subnet = native.one("azure-native:network:Subnet")
    cluster = native.one("azure-native:containerservice:ManagedCluster").inputs
    group = native.one("azure-native:resources:ResourceGroup")
    assert cluster["agentPoolProfiles"][0]["vnetSubnetID"] == subnet.id
    assert cluster["resourceGroupName"] == group.outputs["name"]
    assert subnet.inputs["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]


def test_the_federated_credential_trusts_the_clusters_issuer_for_the_operators_account(native):
    cluster = native.one("azure-native:containerservice:ManagedCluster")
    credential = native.one("azure-native:managedidentity:FederatedIdentityCredential").inputs
    assert credential["issuer"] == cluster.outputs["oidcIssuerProfile"]["issuerURL"]
    assert credential["subject"] == "system:serviceaccount:anyscale-operator:anyscale-operator"
    assert credential["audiences"] == ["api://AzureADTokenExchange"]


def test_the_blob_role_is_on_the_account_for_the_identity(native):
    account = native.one("azure-native:storage:StorageAccount")
    identity = native.one("azure-native:managedidentity:UserAssignedIdentity")
    role = native.one("azure-native:authorization:RoleAssignment").inputs
    assert role["scope"] == account.id
    assert role["principalId"] == identity.outputs["principalId"]
    assert role["roleDefinitionId"].endswith("/ba92f5b4-2d11-453d-a403-e96b0029c9fe")


def test_the_cloud_resource_names_the_principal_id_and_the_storage(native):
    child = next(r for r in native.by_type(RESOURCE) if r.inputs["resourceType"] == "cloudResources")
    identity = native.one("azure-native:managedidentity:UserAssignedIdentity")
    account = native.one("azure-native:storage:StorageAccount").outputs["name"]
    assert child.inputs["properties"] == {
        "provider": "Azure",
        "computeStack": "K8S",
        "cloudStorageBucketName": f"abfss://anyscale-data@{account}.dfs.core.windows.net",
        "cloudStorageBucketEndpoint": f"https://{account}.blob.core.windows.net/",
        "anyscaleOperatorIamIdentity": identity.outputs["principalId"],
    }
    assert native.outputs["principal_id"] == identity.outputs["principalId"]
    assert native.outputs["client_id"] == identity.outputs["clientId"] != native.outputs["principal_id"]


def test_one_run_wires_the_cloud_resource_id_into_the_gateway_and_the_extension(native):
    rid = native.outputs["cloud_resource_id"]
    assert rid.startswith("cldrsrc_")
    label = rid.replace("_", "-")
    annotations = native.one(ENVOY_PROXY).inputs["spec"]["provider"]["kubernetes"]["envoyService"]["annotations"]
    assert annotations == {
        "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz",
        "service.beta.kubernetes.io/azure-dns-label-name": label,
    }
    listeners = native.one(GATEWAY).inputs["spec"]["listeners"]
    assert [item.get("hostname") for item in listeners] == [None, "*.i.azure.anyscaleuserdata.com", "*.s.azure.anyscaleuserdata.com"]
    assert listeners[1]["tls"]["certificateRefs"] == [{"kind": "Secret", "name": f"anyscale-{label}-certificate"}]
    settings = native.one(EXTENSION).inputs["configurationSettings"]
    assert settings["global.cloudDeploymentId"] == rid
    assert settings["global.auth.iamIdentity"] == native.outputs["client_id"]
    assert settings["networking.gateway.hostname"] == native.outputs["gateway_hostname"] == f"{label}.eastus2.cloudapp.azure.com"
    assert native.outputs["register_command"] is None  # no CLI step


def test_the_extension_waits_for_the_credential_the_gateway_and_the_pools(native):
    extension = native.one(EXTENSION)
    depends = set(extension.dependencies)
    assert native.one("azure-native:managedidentity:FederatedIdentityCredential").urn in depends
    assert native.one(GATEWAY).urn in depends
    assert {p.urn for p in native.by_type("azure-native:containerservice:AgentPool")} <= depends


def test_the_outputs_name_the_cloud(native):
    cloud = next(r for r in native.by_type(RESOURCE) if r.inputs["resourceType"] == "clouds")
    assert native.outputs["cloud_arm_id"] == cloud.id
    assert native.outputs["cloud_id"].startswith("cld_")


def test_stateful_parts_are_protected(native):
    for typ in ("azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer", "azure-native:resources:ResourceGroup",
                "azure-native:containerservice:ManagedCluster"):
        assert native.one(typ).protect, typ


def test_private_networking_makes_a_private_cluster_and_an_internal_load_balancer_without_a_public_name():
    result = build(networking=NetworkingMode.PRIVATE)
    cluster = result.one("azure-native:containerservice:ManagedCluster").inputs
    assert cluster["apiServerAccessProfile"]["enablePrivateCluster"] is True
    annotations = result.one(ENVOY_PROXY).inputs["spec"]["provider"]["kubernetes"]["envoyService"]["annotations"]
    assert annotations["service.beta.kubernetes.io/azure-load-balancer-internal"] == "true"
    assert "service.beta.kubernetes.io/azure-dns-label-name" not in annotations
    assert "networking.gateway.hostname" not in result.one(EXTENSION).inputs["configurationSettings"]


def test_the_cli_path_prints_the_register_command_and_waits_for_the_id():
    result = build(registration=AzureRegistration.CLI, azure_tenant_id=TENANT)
    assert result.by_type(RESOURCE) == [] and result.by_type(EXTENSION) == []
    assert [r for r in result.by_type("kubernetes:helm.sh/v3:Release") if r.inputs["chart"] == "anyscale-operator"] == []
    command = result.outputs["register_command"]
    identity = result.one("azure-native:managedidentity:UserAssignedIdentity").outputs
    assert command.startswith("anyscale cloud register --provider azure --compute-stack k8s --name aks-cloud --region eastus2 "
                              f"--azure-tenant-id {TENANT} --cloud-storage-bucket-name abfss://anyscale-data@")
    assert f"--anyscale-operator-iam-identity {identity['principalId']}" in command
    assert "--kubernetes-zones 1,2,3" in command
    assert yaml.safe_load(result.outputs["resource_file"])["azure_config"] == {"tenant_id": TENANT}
    assert any("cloud_deployment_id is not set" in w for w in result.warnings)


def test_the_cli_paths_second_step_installs_the_helm_release_with_the_client_id():
    audience = "api://11111111-2222-4333-8444-555555555555/.default"
    result = build(registration=AzureRegistration.CLI, azure_tenant_id=TENANT, cloud_deployment_id=DEPLOYMENT, auth_audience=audience)
    (release,) = [r for r in result.by_type("kubernetes:helm.sh/v3:Release") if r.inputs["chart"] == "anyscale-operator"]
    identity = result.one("azure-native:managedidentity:UserAssignedIdentity").outputs
    values = release.inputs["values"]
    assert values["global"]["auth"] == {"iamIdentity": identity["clientId"], "audience": audience}
    assert values["global"]["cloudProvider"] == "azure" and "controlPlaneURL" not in values["global"]
    assert values["networking"]["gateway"]["hostname"] == "cldrsrc-abcdefgh12345678ijklmnop12.eastus2.cloudapp.azure.com"


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        (dict(location="brazilsouth"), "location", "not available in brazilsouth"),
        (dict(location="East US"), "location", "is not an Azure region name"),
        (dict(registration=AzureRegistration.CLI), "azure_tenant_id", "is required with registration cli"),
        (dict(registration=AzureRegistration.CLI, azure_tenant_id=TENANT, cloud_deployment_id=DEPLOYMENT), "auth_audience", "is required"),
        (dict(azure_tenant_id=TENANT), "azure_tenant_id", "applies to registration cli only"),
        (dict(namespace="Anyscale_Operator"), "namespace", "RFC 1123"),
        (dict(cloud_deployment_id="cld_x", registration=AzureRegistration.CLI, azure_tenant_id=TENANT), "cloud_deployment_id", "cloud id"),
        (dict(cloud_name="has space"), "cloud_name", "must be 1 to 128 characters"),
    ],
)
def test_bad_input_names_the_field_before_any_resource(kwargs, field, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAzureCloudArgs(**{"cloud_name": "aks-cloud", "location": "eastus2", **kwargs})
    assert field in info.value.fields, info.value
    assert phrase in str(info.value)


def test_wired_fields_of_the_parts_are_refused():
    from anyscale_infra.azure import AnyscaleAzureStorageArgs

    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAzureCloudArgs(cloud_name="c", location="eastus2", storage=AnyscaleAzureStorageArgs(resource_group_name="other"))
    assert info.value.fields == ["storage.resource_group_name"]

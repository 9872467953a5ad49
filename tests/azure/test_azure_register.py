"""`cloud register --provider azure --compute-stack k8s` (the CLI path): the exact command, the
real CLI's parse of it, the resource file read back by the CLI's models, and bad input (the
client id where the principal id belongs, a missing tenant)."""

from __future__ import annotations

import shlex

import pytest
import yaml

from anyscale_infra.azure.ids import ClientId, PrincipalId
from anyscale_infra.azure.register import AzureK8sRegisterArgs
from anyscale_infra.errors import InvalidArgsError

PRINCIPAL = "0f8fad5b-d9cb-469f-a165-70867728950e"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BUCKET = "abfss://anyscale-data@anyscaleprod01.dfs.core.windows.net"
ENDPOINT = "https://anyscaleprod01.blob.core.windows.net/"


def args(**kwargs) -> AzureK8sRegisterArgs:
    base = dict(
        name="aks-cloud", region="eastus2", azure_tenant_id=TENANT, cloud_storage_bucket_name=BUCKET,
        cloud_storage_bucket_endpoint=ENDPOINT, anyscale_operator_iam_identity=PrincipalId(PRINCIPAL),
        kubernetes_zones=["1", "2", "3"],
    )
    return AzureK8sRegisterArgs(**{**base, **kwargs})


def test_the_command_is_exact():
    assert args().command() == (
        "anyscale cloud register --provider azure --compute-stack k8s --name aks-cloud --region eastus2 "
        f"--azure-tenant-id {TENANT} --cloud-storage-bucket-name {BUCKET} --cloud-storage-bucket-endpoint {ENDPOINT} "
        f"--kubernetes-zones 1,2,3 --anyscale-operator-iam-identity {PRINCIPAL}"
    )


def test_the_real_cli_parses_every_flag_to_the_value_given():
    from anyscale.commands.cloud_commands import register_cloud

    params = register_cloud.make_context("register", shlex.split(args().command())[3:]).params
    assert (params["provider"], params["compute_stack"], params["name"], params["region"]) == ("azure", "K8S", "aks-cloud", "eastus2")
    assert params["azure_tenant_id"] == TENANT
    assert params["cloud_storage_bucket_name"] == BUCKET
    assert params["cloud_storage_bucket_endpoint"] == ENDPOINT
    assert params["anyscale_operator_iam_identity"] == PRINCIPAL
    assert params["kubernetes_zones"] == "1,2,3"


def test_the_resource_file_reads_back_as_the_clis_deployment():
    from anyscale.client.openapi_client.models import AzureConfig, CloudDeployment, KubernetesConfig, ObjectStorage

    deployment = CloudDeployment(**yaml.safe_load(args().resource_file_yaml()))
    assert (deployment.provider, deployment.compute_stack, deployment.region) == ("AZURE", "K8S", "eastus2")
    storage = ObjectStorage(**deployment.object_storage)
    assert (storage.bucket_name, storage.region, storage.endpoint) == (BUCKET, "eastus2", ENDPOINT)
    assert AzureConfig(**deployment.azure_config).tenant_id == TENANT
    k8s = KubernetesConfig(**deployment.kubernetes_config)
    assert k8s.anyscale_operator_iam_identity == PRINCIPAL and k8s.zones == ["1", "2", "3"]


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        (dict(anyscale_operator_iam_identity=ClientId(PRINCIPAL)), "anyscale_operator_iam_identity", "is its client id"),
        (dict(anyscale_operator_iam_identity=None), "anyscale_operator_iam_identity", "principal id"),
        (dict(anyscale_operator_iam_identity="not-a-guid"), "anyscale_operator_iam_identity", "GUID"),
        (dict(azure_tenant_id="contoso.onmicrosoft.com"), "azure_tenant_id", "tenant id"),
        (dict(cloud_storage_bucket_name="https://anyscaleprod01.blob.core.windows.net/anyscale-data"), "cloud_storage_bucket_name", "abfss://"),
        (dict(cloud_storage_bucket_endpoint="https://anyscaleprod01.dfs.core.windows.net/"), "cloud_storage_bucket_endpoint", "blob.core.windows.net"),
        (dict(region="East US 2"), "region", "eastus2"),
    ],
)
def test_bad_input_names_the_field(kwargs, field, phrase):
    with pytest.raises(InvalidArgsError) as info:
        args(**kwargs)
    assert field in info.value.fields, info.value
    assert phrase in str(info.value)


def test_a_missing_tenant_is_named():
    with pytest.raises(InvalidArgsError) as info:
        AzureK8sRegisterArgs(name="x", region="eastus2", cloud_storage_bucket_name=BUCKET, cloud_storage_bucket_endpoint=ENDPOINT,
                             anyscale_operator_iam_identity=PrincipalId(PRINCIPAL))
    assert info.value.fields == ["azure_tenant_id"]


def test_a_bucket_and_endpoint_of_two_accounts_is_advised_against():
    notes = args(cloud_storage_bucket_endpoint="https://otheraccount.blob.core.windows.net/").advisories()
    assert notes and "names account otheraccount, the bucket anyscaleprod01" in notes[0]

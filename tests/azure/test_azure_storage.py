"""AnyscaleAzureStorage: the account's settings, the blob service's CORS rule and soft delete,
the private container, protection, the URLs, bring-your-own, every error path; and the CLI's
own CORS check and template run on what we plan."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pulumi
import pytest

from anyscale_infra.azure.storage import (
    AnyscaleAzureStorage,
    AnyscaleAzureStorageArgs,
    StorageSku,
    abfss_url,
    allows_anyscale_console,
    anyscale_cors_rule,
    blob_endpoint,
    cors_rule_to_args,
    delete_retention_policy,
    network_rule_set,
    storage_account_id,
    with_trailing_slash,
)
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.preview.mocks.azure import PREVIEW_SUBSCRIPTION_ID
from program_errors import deploy_error

ACCOUNT = "azure-native:storage:StorageAccount"
SERVICE = "azure-native:storage:BlobServiceProperties"
CONTAINER = "azure-native:storage:BlobContainer"
RANDOM = "random:index/randomString:RandomString"
COMPONENT = "anyscale-infra:index:AnyscaleAzureStorage"
SUBNET = (
    f"/subscriptions/{PREVIEW_SUBSCRIPTION_ID}/resourceGroups/acme-rg/providers/"
    "Microsoft.Network/virtualNetworks/anyscale/subnets/aks"
)

#: The Anyscale CORS rule as the engine sees it (azure-native's camelCase wire names).
CORS_INPUT = {
    "allowedOrigins": ["https://*.anyscale.com"],
    "allowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
    "allowedHeaders": ["*"],
    "exposedHeaders": ["*", "Accept-Ranges", "Content-Range", "Content-Length"],
    "maxAgeInSeconds": 3600,
}


def storage(**kwargs) -> AnyscaleAzureStorageArgs:
    return AnyscaleAzureStorageArgs(resource_group_name="acme-rg", **kwargs)


def args_error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAzureStorageArgs(**kwargs)
    return info.value


def outputs_of(result, name: str = "s") -> dict:
    return result.component_outputs[next(u for u in result.component_outputs if u.endswith(f"{COMPONENT}::{name}"))]


def run(azure_preview, args: AnyscaleAzureStorageArgs):
    """The program on the engine; advisories end up in ``result.warnings``."""
    return azure_preview(lambda: AnyscaleAzureStorage("s", args))


@pytest.fixture
def default(azure_preview):
    return run(azure_preview, storage())


# --- Pure builders ------------------------------------------------------------------------------
def test_urls():
    assert abfss_url("anyscale-data", "anyscaleab12cd34") == "abfss://anyscale-data@anyscaleab12cd34.dfs.core.windows.net"
    assert blob_endpoint("anyscaleab12cd34") == "https://anyscaleab12cd34.blob.core.windows.net/"
    assert with_trailing_slash("https://a.blob.core.windows.net") == with_trailing_slash("https://a.blob.core.windows.net/")
    assert storage_account_id("sub", "rg", "acct") == "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct"


def test_abfss_url_is_what_the_cli_parses():
    # cloud_controller._update_cors_azure's own pattern.
    match = re.match(r"abfss://[^@]+@([^.]+)\.dfs\.core\.windows\.net", abfss_url("anyscale-data", "acct1"))
    assert match and match.group(1) == "acct1"


def test_cors_rule_exactly():
    rule = anyscale_cors_rule()
    assert rule == CORS_INPUT
    assert cors_rule_to_args(rule) == {
        "allowed_origins": ["https://*.anyscale.com"],
        "allowed_methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
        "allowed_headers": ["*"],
        "exposed_headers": ["*", "Accept-Ranges", "Content-Range", "Content-Length"],
        "max_age_in_seconds": 3600,
    }
    assert anyscale_cors_rule(["https://console.example.com"], 60)["allowedOrigins"] == ["https://console.example.com"]


def test_the_clis_own_cors_check_accepts_our_rule():
    """``anyscale cloud update-storage-cors`` (check_azure_cors_rules) reads azure-storage-blob
    CorsRule objects, whose lists are comma-joined strings."""
    from anyscale.utils.cors_update_utils import check_azure_cors_rules

    def as_sdk(rule: dict) -> SimpleNamespace:
        return SimpleNamespace(
            allowed_origins=",".join(rule["allowedOrigins"]), exposed_headers=",".join(rule["exposedHeaders"])
        )

    rule = anyscale_cors_rule()
    assert check_azure_cors_rules([as_sdk(rule)]) == (True, "CORS already configured correctly")
    assert allows_anyscale_console(rule)
    named_only = {**rule, "exposedHeaders": ["Accept-Ranges", "Content-Range", "Content-Length"]}
    assert check_azure_cors_rules([as_sdk(named_only)])[0] is False  # why `*` is listed too
    assert not allows_anyscale_console(named_only)


def test_network_rule_set_and_retention():
    assert network_rule_set() == {"default_action": "Allow", "bypass": "AzureServices"}
    assert network_rule_set([SUBNET], ["203.0.113.9", "198.51.100.0/24"]) == {
        "default_action": "Deny",
        "bypass": "AzureServices",
        "virtual_network_rules": [{"virtual_network_resource_id": SUBNET, "action": "Allow"}],
        "ip_rules": [
            {"i_p_address_or_range": "198.51.100.0/24", "action": "Allow"},
            {"i_p_address_or_range": "203.0.113.9", "action": "Allow"},
        ],
    }
    assert delete_retention_policy(7) == {"enabled": True, "days": 7}
    assert delete_retention_policy(None) == {"enabled": False}


# --- A new account --------------------------------------------------------------------------------
def test_new_account_settings(default):
    account = default.one(ACCOUNT)
    assert {k: v for k, v in account.inputs.items() if k != "accountName"} == {
        "resourceGroupName": "acme-rg",
        "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"},
        "accessTier": "Hot",
        "isHnsEnabled": True,
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False,
        "allowSharedKeyAccess": False,
        "defaultToOAuthAuthentication": True,
        "networkRuleSet": {"defaultAction": "Allow", "bypass": "AzureServices"},
        "tags": {"managed-by": "anyscale-infra"},
    }
    assert account.protect is True
    assert account.parent == default.one(COMPONENT).urn


def test_generated_account_name_is_anyscale_plus_a_stable_random_suffix(default, azure_preview):
    suffix = default.one(RANDOM)
    assert suffix.inputs == {"length": 8, "lower": True, "numeric": True, "upper": False, "special": False}
    assert suffix.parent == default.one(COMPONENT).urn
    name = default.one(ACCOUNT).inputs["accountName"]
    assert re.fullmatch(r"anyscale[a-z0-9]{8}", name)
    assert run(azure_preview, storage()).one(ACCOUNT).inputs["accountName"] == name  # same URN, same name


def test_blob_service_cors_and_soft_delete(default):
    service = default.one(SERVICE)
    account = default.one(ACCOUNT)
    assert service.inputs == {
        "accountName": account.inputs["accountName"],
        "resourceGroupName": "acme-rg",
        "blobServicesName": "default",
        "cors": {"corsRules": [CORS_INPUT]},
        "deleteRetentionPolicy": {"enabled": True, "days": 7},
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 7},
    }
    assert "isVersioningEnabled" not in service.inputs  # not on a hierarchical-namespace account
    assert service.protect is False and service.deleted_with == account.urn


def test_private_container(default):
    container = default.one(CONTAINER)
    account = default.one(ACCOUNT)
    assert container.inputs == {
        "accountName": account.inputs["accountName"],
        "resourceGroupName": "acme-rg",
        "containerName": "anyscale-data",
        "publicAccess": "None",
    }
    assert container.protect is True and container.deleted_with == account.urn


def test_outputs(default):
    account = default.one(ACCOUNT)
    name = account.inputs["accountName"]
    assert outputs_of(default) == {
        "account_id": account.id,
        "account_name": name,
        "container_name": "anyscale-data",
        "bucket_name": f"abfss://anyscale-data@{name}.dfs.core.windows.net",
        "bucket_endpoint": f"https://{name}.blob.core.windows.net/",  # primaryEndpoints.blob
    }
    assert account.id.endswith(f"/resourceGroups/acme-rg/providers/Microsoft.Storage/storageAccounts/{name}")


def test_protection_opt_out(azure_preview):
    result = run(azure_preview, storage(protect=False))
    assert result.one(ACCOUNT).protect is False and result.one(CONTAINER).protect is False


def test_choices(azure_preview):
    result = run(
        azure_preview,
        storage(
            account_name="acmeanyscale",
            container_name="ray-data",
            location="westus3",
            sku="Standard_ZRS",
            hierarchical_namespace=False,
            versioning=True,
            allow_shared_key_access=True,
            blob_soft_delete_days=None,
            container_soft_delete_days=30,
            cors_allowed_origins=["https://*.anyscale.com", "https://console.example.com"],
            cors_max_age_seconds=600,
            tags={"team": "ml"},
            cloud_id="cld_abc123",
        ),
    )
    account = result.one(ACCOUNT).inputs
    assert result.by_type(RANDOM) == []
    assert account["accountName"] == "acmeanyscale" and account["location"] == "westus3"
    assert account["sku"] == {"name": "Standard_ZRS"} and account["isHnsEnabled"] is False
    assert account["allowSharedKeyAccess"] is True and account["defaultToOAuthAuthentication"] is False
    assert account["tags"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_abc123"}
    service = result.one(SERVICE).inputs
    assert service["isVersioningEnabled"] is True
    assert service["deleteRetentionPolicy"] == {"enabled": False}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert service["cors"]["corsRules"] == [
        {**CORS_INPUT, "allowedOrigins": ["https://*.anyscale.com", "https://console.example.com"], "maxAgeInSeconds": 600}
    ]
    assert result.one(CONTAINER).inputs["containerName"] == "ray-data"
    assert outputs_of(result)["bucket_name"] == "abfss://ray-data@acmeanyscale.dfs.core.windows.net"
    assert StorageSku("Standard_ZRS") is StorageSku.STANDARD_ZRS


def test_network_acl_restricted_to_the_aks_subnet(azure_preview):
    result = run(azure_preview, storage(allowed_subnet_ids=[SUBNET], allowed_ip_ranges=["203.0.113.0/24"]))
    assert any("need the Microsoft.Storage service endpoint" in w for w in result.warnings)
    assert result.one(ACCOUNT).inputs["networkRuleSet"] == {
        "defaultAction": "Deny",
        "bypass": "AzureServices",
        "virtualNetworkRules": [{"virtualNetworkResourceId": SUBNET, "action": "Allow"}],
        "ipRules": [{"iPAddressOrRange": "203.0.113.0/24", "action": "Allow"}],
    }


def test_subnet_ids_may_be_outputs(azure_preview):
    # Built in the program: an Output belongs to the program's event loop.
    result = azure_preview(lambda: AnyscaleAzureStorage("s", storage(allowed_subnet_ids=[pulumi.Output.from_input(SUBNET)])))
    assert result.one(ACCOUNT).inputs["networkRuleSet"]["virtualNetworkRules"] == [
        {"virtualNetworkResourceId": SUBNET, "action": "Allow"}
    ]


def test_our_account_matches_anyscales_own_setup_where_we_do_not_differ():
    """setup_k8s._generate_azure_arm_template: the settings we keep, and the container."""
    from anyscale.commands.setup_k8s import KubernetesCloudSetupCommand

    template = json.loads(
        KubernetesCloudSetupCommand._generate_azure_arm_template(
            SimpleNamespace(), oidc_issuer="https://issuer/", namespace="anyscale-operator", cloud_name="c"
        )
    )
    by_type = {r["type"]: r for r in template["resources"]}
    theirs = by_type["Microsoft.Storage/storageAccounts"]
    ours = AnyscaleAzureStorageArgs(resource_group_name="rg")
    assert theirs["kind"] == "StorageV2" and theirs["sku"] == {"name": ours.sku.value}
    props = theirs["properties"]
    assert props["supportsHttpsTrafficOnly"] is True and props["minimumTlsVersion"] == "TLS1_2"
    assert props["allowBlobPublicAccess"] is False and props["isHnsEnabled"] is ours.hierarchical_namespace
    assert props["networkAcls"] == {"bypass": "AzureServices", "defaultAction": "Allow"}
    assert props["allowSharedKeyAccess"] is True and ours.allow_shared_key_access is False  # a deliberate difference
    assert template["variables"]["blobContainerName"] == ours.container_name
    assert by_type["Microsoft.Storage/storageAccounts/blobServices/containers"]["properties"] == {"publicAccess": "None"}
    (their_rule,) = by_type["Microsoft.Storage/storageAccounts/blobServices"]["properties"]["cors"]["corsRules"]
    rule = anyscale_cors_rule()
    assert set(their_rule["allowedMethods"]) <= set(rule["allowedMethods"])
    assert set(their_rule["exposedHeaders"]) <= set(rule["exposedHeaders"])
    assert their_rule["allowedHeaders"] == rule["allowedHeaders"] and their_rule["maxAgeInSeconds"] == rule["maxAgeInSeconds"]


# --- Bring-your-own -------------------------------------------------------------------------------
def test_existing_account_gets_a_new_container_and_nothing_else(azure_preview):
    result = run(azure_preview, storage(existing_account_name="acmedata"))
    assert any("its CORS rule is yours" in w and "exposed headers *, Accept-Ranges" in w for w in result.warnings)
    assert result.by_type(ACCOUNT) == [] and result.by_type(SERVICE) == [] and result.by_type(RANDOM) == []
    container = result.one(CONTAINER)
    assert container.inputs["accountName"] == "acmedata" and container.protect is True and container.deleted_with is None
    assert outputs_of(result) == {
        "account_id": f"/subscriptions/{PREVIEW_SUBSCRIPTION_ID}/resourceGroups/acme-rg/providers/Microsoft.Storage/storageAccounts/acmedata",
        "account_name": "acmedata",
        "container_name": "anyscale-data",
        "bucket_name": "abfss://anyscale-data@acmedata.dfs.core.windows.net",
        "bucket_endpoint": "https://acmedata.blob.core.windows.net/",
    }


def test_existing_account_and_container_declare_no_resource(azure_preview):
    result = run(azure_preview, storage(existing_account_name="acmedata", existing_container_name="datasets"))
    assert [r.type for r in result.resources if r.custom] == []
    outputs = outputs_of(result)
    assert outputs["bucket_name"] == "abfss://datasets@acmedata.dfs.core.windows.net"
    assert outputs["container_name"] == "datasets"


# --- Bad input: all before any resource -------------------------------------------------------------
@pytest.mark.parametrize("name", ["anyscale-data", "AnyscaleData", "a" * 25, "ab"])
@pytest.mark.parametrize("field", ["account_name", "existing_account_name"])
def test_bad_account_names(field, name):
    err = args_error(resource_group_name="rg", **{field: name})
    assert err.fields == [field] and "3 to 24 lowercase letters and digits" in str(err)


@pytest.mark.parametrize("name", ["anyscale_data", "-anyscale", "a" * 64, "ab", "any--scale", "Anyscale"])
def test_bad_container_names(name):
    err = args_error(resource_group_name="rg", container_name=name)
    assert err.fields == ["container_name"] and "3 to 63 lowercase letters" in str(err)


def test_bad_existing_container_name():
    err = args_error(resource_group_name="rg", existing_account_name="acmedata", existing_container_name="bad_name")
    assert err.fields == ["existing_container_name"]


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        (dict(existing_container_name="datasets"), "existing_container_name", "needs existing_account_name"),
        (dict(existing_account_name="acmedata", account_name="other1"), "account_name", "only one of existing_account_name"),
        (dict(existing_account_name="acmedata", versioning=False), "versioning", "configures an account we create"),
        (dict(existing_account_name="acmedata", cors_allowed_origins=["https://x.example.com"]), "cors_allowed_origins", "only one of"),
        (dict(existing_account_name="acmedata", existing_container_name="datasets", protect=False), "protect", "nothing is created"),
        (dict(existing_account_name="acmedata", existing_container_name="datasets", container_name="other"), "container_name", "only one of"),
        (dict(versioning=True), "versioning", "not available on hierarchical-namespace"),
        (dict(allowed_subnet_ids=["/subscriptions/x/subnets/aks"]), "allowed_subnet_ids", "is not a subnet resource id"),
        (dict(allowed_subnet_ids=[SUBNET, SUBNET]), "allowed_subnet_ids", "more than once"),
        (dict(allowed_ip_ranges=["10.0.0.0/16"]), "allowed_ip_ranges", "private"),
        (dict(allowed_ip_ranges=["203.0.113.0/32"]), "allowed_ip_ranges", "up to /30"),
        (dict(blob_soft_delete_days=0), "blob_soft_delete_days", "greater than or equal to 1"),
        (dict(container_soft_delete_days=366), "container_soft_delete_days", "less than or equal to 365"),
        (dict(cors_allowed_origins=[]), "cors_allowed_origins", "at least the Anyscale console origin"),
        (dict(cors_allowed_origins=["http://x.anyscale.com"]), "cors_allowed_origins", "must start with https://"),
        (dict(sku="Premium_LRS"), "sku", "Standard_LRS"),
        (dict(location="East US 2"), "location", "not an Azure location name"),
        (dict(tags={"a/b": "c"}), "tags", "without"),
        (dict(cloud_id="not-a-cloud"), "cloud_id", ""),
        (dict(resource_group_name="bad/group"), "resource_group_name", "resource group name"),
        (dict(hierarchical_namespaces=True), "hierarchical_namespaces", "not a known argument"),
    ],
)
def test_bad_input(kwargs, field, words):
    err = args_error(**{"resource_group_name": "rg", **kwargs})
    assert field in err.fields, err
    assert words in str(err)


def test_every_problem_at_once():
    err = args_error(resource_group_name="rg", account_name="Bad-Name", container_name="bad_name", versioning=True)
    assert set(err.fields) == {"account_name", "container_name"}  # field rules first; the model rule after them


def test_missing_resource_group_fails_before_any_resource(azure_preview):
    # Outside any engine: the component refuses before it registers anything (itself included).
    with pytest.raises(InvalidArgsError, match="resource_group_name: is required"):
        AnyscaleAzureStorage("s", AnyscaleAzureStorageArgs())
    err = deploy_error(azure_preview, lambda: AnyscaleAzureStorage("s", AnyscaleAzureStorageArgs()))
    assert err.fields == ["resource_group_name"]


def test_advisory_without_the_console_origin(azure_preview):
    result = run(azure_preview, storage(cors_allowed_origins=["https://console.example.com"]))
    assert any("does not allow https://*.anyscale.com" in w for w in result.warnings)
    assert not any("does not allow" in w for w in run(azure_preview, storage()).warnings)

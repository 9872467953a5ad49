"""Build :class:`AnyscaleAzureCloudArgs` from ``pulumi config`` (the root program with
``provider: azure``). The region is the provider's (``azure-native:location``) unless
``location`` says otherwise. Errors name the config key the user set."""

from __future__ import annotations

import pulumi

from anyscale_infra.stack_config import args_from_config

# config key -> (args path, reader).
CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("cloud_name", "str"),
    "location": ("location", "str"),
    "cloudId": ("cloud_id", "str"),
    "networking": ("networking", "str"),
    "registration": ("registration", "str"),
    "operatorNamespace": ("namespace", "str"),
    "installOperator": ("install_operator", "bool"),
    "extensionVersion": ("extension_version", "str"),
    "containerRegistryId": ("container_registry_id", "str"),
    "azureTenantId": ("azure_tenant_id", "str"),
    "cloudDeploymentId": ("cloud_deployment_id", "str"),
    "authAudience": ("auth_audience", "str"),
    "resourceGroupName": ("resource_group.resource_group_name", "str"),
    "existingResourceGroupName": ("resource_group.existing_resource_group_name", "str"),
    "protectResourceGroup": ("resource_group.protect", "bool"),
    "vnetCidr": ("network.vnet_cidr", "str"),
    "nodeSubnetCidr": ("network.node_subnet_cidr", "str"),
    "existingNodeSubnetId": ("network.existing_node_subnet_id", "str"),
    "kubernetesVersion": ("cluster.kubernetes_version", "str"),
    "existingClusterId": ("cluster.existing_cluster_id", "str"),
    "nodePools": ("cluster.node_pools", "object"),
    "storageAccountName": ("storage.account_name", "str"),
    "existingStorageAccountName": ("storage.existing_account_name", "str"),
    "existingContainerName": ("storage.existing_container_name", "str"),
    "protectStorage": ("storage.protect", "bool"),
    "tags": ("tags", "object"),
}


def cloud_args_from_config(config: pulumi.Config | None = None):
    """The cloud's args: named after the stack, in the provider's location, unless set."""
    from anyscale_infra.azure.cloud import AnyscaleAzureCloudArgs

    provider = pulumi.Config("azure-native")
    return args_from_config(
        AnyscaleAzureCloudArgs,
        CONFIG_KEYS,
        config,
        defaults={"cloud_name": pulumi.get_stack(), "location": provider.get("location")},
        default_keys={"location": "azure-native:location"},
    )

"""An Anyscale cloud on an AKS cluster and a storage account you already have, registered
natively: only the operator's identity, the Anyscale cloud resources, the gateway and the
operator extension are created.

Your cluster must have the OIDC issuer and workload identity on (checked at `pulumi up`);
your storage account must allow the console's CORS rule (an advisory says which).
"""

import pulumi

from anyscale_infra.azure import (
    AnyscaleAksClusterArgs,
    AnyscaleAzureCloud,
    AnyscaleAzureCloudArgs,
    AnyscaleAzureStorageArgs,
    AnyscaleResourceGroupArgs,
)

config = pulumi.Config()
azure = pulumi.Config("azure-native")

cloud = AnyscaleAzureCloud(
    "anyscale",
    AnyscaleAzureCloudArgs(
        cloud_name=config.get("cloudName") or pulumi.get_stack(),
        location=azure.require("location"),
        resource_group=AnyscaleResourceGroupArgs(existing_resource_group_name=config.require("resourceGroupName")),
        cluster=AnyscaleAksClusterArgs(existing_cluster_id=config.require("clusterId")),
        storage=AnyscaleAzureStorageArgs(
            existing_account_name=config.require("storageAccountName"),
            existing_container_name=config.require("containerName"),
        ),
    ),
)

pulumi.export("cloud_arm_id", cloud.cloud_arm_id)
pulumi.export("cloud_resource_id", cloud.cloud_resource_id)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("bucket_endpoint", cloud.bucket_endpoint)
pulumi.export("operator_principal_id", cloud.principal_id)
pulumi.export("operator_client_id", cloud.client_id)
pulumi.export("gateway_hostname", cloud.gateway_hostname)
pulumi.export("operator_settings", cloud.operator_settings)

"""An Anyscale cloud on AKS, registered natively through Azure Resource Manager: one `pulumi up`.

A protected resource group, a VNet with an AKS node subnet (Microsoft.Storage endpoint), an
AKS cluster (OIDC issuer + workload identity, Azure CNI overlay, a system pool, CPU
on-demand and spot pools from 0 nodes, GPU pools from `gpuAccelerators`), an ADLS Gen2
storage account (TLS 1.2, no public access, no shared key, the console's CORS rule) with a
private container, the operator's managed identity (federated with
`anyscale-operator/anyscale-operator`, Storage Blob Data Contributor on the account), the
`Anyscale.Platform/clouds` cloud and its `cloudResources/default`, the gateway behind a
public Azure Load Balancer named from the cloud resource id, and the operator as the
`Anyscale.AKS.Operator` extension.
"""

import pulumi

from anyscale_infra.azure import (
    AksNodePoolArgs,
    AnyscaleAksClusterArgs,
    AnyscaleAzureCloud,
    AnyscaleAzureCloudArgs,
)

config = pulumi.Config()
azure = pulumi.Config("azure-native")

pools = [AksNodePoolArgs(capacity=capacity) for capacity in ("ON_DEMAND", "SPOT")]
for accelerator in config.get_object("gpuAccelerators") or []:
    pools += [AksNodePoolArgs(capacity=capacity, accelerator=accelerator) for capacity in ("ON_DEMAND", "SPOT")]

cloud = AnyscaleAzureCloud(
    "anyscale",
    AnyscaleAzureCloudArgs(
        cloud_name=config.get("cloudName") or pulumi.get_stack(),
        location=config.get("location") or azure.require("location"),
        cluster=AnyscaleAksClusterArgs(node_pools=pools),
    ),
)

pulumi.export("cloud_arm_id", cloud.cloud_arm_id)
pulumi.export("cloud_resource_id", cloud.cloud_resource_id)
pulumi.export("cloud_id", cloud.cloud_id)
pulumi.export("cloud_name", cloud.cloud_name)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("bucket_endpoint", cloud.bucket_endpoint)
pulumi.export("operator_principal_id", cloud.principal_id)
pulumi.export("operator_client_id", cloud.client_id)
pulumi.export("cluster_name", cloud.cluster_name)
pulumi.export("gateway_hostname", cloud.gateway_hostname)
pulumi.export("operator_settings", cloud.operator_settings)
pulumi.export("kubeconfig", cloud.kubeconfig)

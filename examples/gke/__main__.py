"""An Anyscale cloud on GKE: a new VPC, a new regional cluster, a bucket and Filestore, public.

The project's APIs (Kubernetes Engine included); a VPC whose /20 subnet carries the pods
(10.4.0.0/14) and services (10.8.0.0/20) ranges; a regional GKE cluster (Workload Identity,
release channel REGULAR, shielded nodes, deletion protection) with a system pool, CPU
on-demand and spot pools and a pool pair per GPU in `gpuAccelerators`, whose labels and
taints are the operator chart's; the operator's own Google service account (Workload
Identity for anyscale-operator/anyscale-operator, objectAdmin + legacyBucketReader on the
bucket); a static IP for the gateway's load balancer; Filestore on the VPC.

Two steps: `pulumi up` prints the register command; run it, then
`pulumi config set cloudDeploymentId cldrsrc_...` and `pulumi up` again installs the operator.
"""

import pulumi

from anyscale_infra.gcp import (
    AnyscaleGkeCloud,
    AnyscaleGkeCloudArgs,
    AnyscaleGkeClusterArgs,
    GkeNodePoolArgs,
)

config = pulumi.Config()
google = pulumi.Config("gcp")

cpu = config.get("cpuMachineType") or "n2-standard-16"
pools = [GkeNodePoolArgs(capacity=capacity, machine_type=cpu) for capacity in ("ON_DEMAND", "SPOT")]
for accelerator in config.get_object("gpuAccelerators") or []:
    pools += [GkeNodePoolArgs(accelerator=accelerator, capacity=capacity) for capacity in ("ON_DEMAND", "SPOT")]

cloud = AnyscaleGkeCloud(
    "anyscale",
    AnyscaleGkeCloudArgs(
        cloud_name=pulumi.get_stack(),
        project_id=google.require("project"),
        region=google.require("region"),
        cloud_id=config.get("cloudId") or None,
        cloud_deployment_id=config.get("cloudDeploymentId") or None,
        namespace=config.get("namespace") or "anyscale-operator",
        cluster=AnyscaleGkeClusterArgs(
            node_pools=pools,
            deletion_protection=config.get_bool("deletionProtection") is not False,
        ),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("resource_file", cloud.resource_file)
pulumi.export("cluster_name", cloud.cluster_name)
pulumi.export("kubernetes_zones", cloud.kubernetes_zones)
pulumi.export("operator_service_account_email", cloud.operator_service_account_email)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("gateway_address", cloud.gateway_address)
pulumi.export("helm_values", cloud.helm_values)

"""An Anyscale cloud on EKS: direct networking, every part new.

New VPC (public subnets in 3 AZs, tagged for Kubernetes load balancers), EKS cluster (public
API endpoint, IRSA, the managed add-ons), a system node group and Anyscale's workload groups
(CPU on-demand and spot from 0 nodes; GPU pairs from `gpuNodeGroups`), the cluster
autoscaler, an encrypted versioned bucket, EFS (NFS from the cluster only), the operator's own
IAM role (IRSA: only `anyscale-operator/anyscale-operator` can assume it; the bucket and EFS
only), and the Anyscale operator behind an internet-facing NLB (Gateway API).

Two `pulumi up`s: the first prints the `anyscale cloud register` command; set
`cloudDeploymentId` to the id it returns and run `pulumi up` again to install the operator.
"""

import pulumi

from anyscale_infra.aws import (
    AnyscaleEksCloud,
    AnyscaleEksCloudArgs,
    AnyscaleEksClusterArgs,
)

config = pulumi.Config()

cloud = AnyscaleEksCloud(
    "anyscale",
    AnyscaleEksCloudArgs(
        cloud_name=pulumi.get_stack(),
        cloud_deployment_id=config.get("cloudDeploymentId") or None,
        cluster=AnyscaleEksClusterArgs(
            version=config.get("clusterVersion") or "1.33",
            gpu_node_groups=config.get_object("gpuNodeGroups") or {},
        ),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("resource_file", cloud.resource_file)
pulumi.export("helm_values", cloud.helm_values)
pulumi.export("cluster_name", cloud.cluster_name)
pulumi.export("operator_role_arn", cloud.operator_role_arn)
pulumi.export("kubernetes_zones", cloud.kubernetes_zones)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("file_system_id", cloud.file_system_id)
pulumi.export("kubeconfig", cloud.kubeconfig)

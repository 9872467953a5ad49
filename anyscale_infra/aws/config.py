"""Build :class:`AnyscaleAwsCloudArgs` from ``pulumi config`` (the root and example programs).

Errors name the config key the user set (``anyscale-cloud:ingressCidrs``), not the Python
field it feeds.
"""

from __future__ import annotations

import pulumi

from anyscale_infra.aws.cloud import AnyscaleAwsCloudArgs
from anyscale_infra.stack_config import args_from_config

# config key -> (args path, reader). Readers: "str", "secret", "bool", "int", "object" (JSON).
CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("cloud_name", "str"),
    "orgId": ("org_id", "str"),
    "externalId": ("external_id", "secret"),
    "cloudId": ("cloud_id", "str"),
    "networking": ("network.networking", "str"),
    "vpcCidr": ("network.vpc_cidr", "str"),
    "availabilityZones": ("network.availability_zones", "object"),
    "azCount": ("network.az_count", "int"),
    "nat": ("network.nat", "str"),
    "enableS3GatewayEndpoint": ("network.enable_s3_gateway_endpoint", "bool"),
    "existingVpcId": ("network.existing_vpc_id", "str"),
    "existingVpcCidr": ("network.existing_vpc_cidr", "str"),
    "existingSubnetIds": ("network.existing_subnets", "object"),
    "ingressCidrs": ("security_group.ingress_cidr_blocks", "object"),
    "enableSsh": ("security_group.enable_ssh", "bool"),
    "sshCidrs": ("security_group.ssh_cidr_blocks", "object"),
    "existingSecurityGroupId": ("security_group.existing_security_group_id", "str"),
    "bucketName": ("bucket.bucket_name", "str"),
    "existingBucketName": ("bucket.existing_bucket_name", "str"),
    "bucketEncryption": ("bucket.encryption", "str"),
    "kmsKeyArn": ("bucket.kms_key_arn", "str"),
    "protectBucket": ("bucket.protect", "bool"),
    "enableFileSystem": ("enable_file_system", "bool"),
    "existingFileSystemId": ("file_system.existing_file_system_id", "str"),
    "protectFileSystem": ("file_system.protect", "bool"),
    "enableMemorydb": ("enable_memorydb", "bool"),
    "existingMemorydbClusterName": ("memorydb.existing_cluster_name", "str"),
    "memorydbNodeType": ("memorydb.node_type", "str"),
    "memorydbReplicasPerShard": ("memorydb.num_replicas_per_shard", "int"),
    "protectMemorydb": ("memorydb.protect", "bool"),
    "existingAnyscaleRoleArn": ("iam.existing_anyscale_role_arn", "str"),
    "existingInstanceRoleArn": ("iam.existing_instance_role_arn", "str"),
    "enableServicesPolicy": ("iam.enable_services_policy", "bool"),
    "anyscaleAccountId": ("iam.anyscale_account_id", "str"),
    "tags": ("tags", "object"),
}


def cloud_args_from_config(config: pulumi.Config | None = None) -> AnyscaleAwsCloudArgs:
    """Read every key of :data:`CONFIG_KEYS` that is set and build the cloud's args (the
    cloud is named after the stack unless ``cloudName`` is set)."""
    return args_from_config(
        AnyscaleAwsCloudArgs,
        CONFIG_KEYS,
        config,
        defaults={"cloud_name": pulumi.get_stack()},
        # A part the args require whose only required field comes from one key.
        key_for_path={"security_group": "ingressCidrs"},
    )


def _eks_operator_keys() -> dict[str, tuple[str, str]]:
    from anyscale_infra.kubernetes.config import operator_config_keys

    # The cloud holds the deployment id and the namespace itself (its identity's trust names
    # the namespace); the other operator keys go to its ``operator`` settings.
    keys = operator_config_keys("operator.")
    keys.pop("cloudDeploymentId")
    keys.pop("operatorNamespace")
    keys.pop("loadBalancer")  # public or internal follows the cloud's networking mode
    return keys


#: ``computeStack: k8s`` on AWS (an EKS cloud): config key -> (args path, reader).
EKS_CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("cloud_name", "str"),
    "cloudId": ("cloud_id", "str"),
    "cloudDeploymentId": ("cloud_deployment_id", "str"),
    "operatorNamespace": ("namespace", "str"),
    "kubernetesZones": ("kubernetes_zones", "object"),
    "networking": ("network.networking", "str"),
    "vpcCidr": ("network.vpc_cidr", "str"),
    "availabilityZones": ("network.availability_zones", "object"),
    "azCount": ("network.az_count", "int"),
    "nat": ("network.nat", "str"),
    "bucketName": ("bucket.bucket_name", "str"),
    "existingBucketName": ("bucket.existing_bucket_name", "str"),
    "bucketEncryption": ("bucket.encryption", "str"),
    "kmsKeyArn": ("bucket.kms_key_arn", "str"),
    "protectBucket": ("bucket.protect", "bool"),
    "enableFileSystem": ("enable_file_system", "bool"),
    "existingFileSystemId": ("file_system.existing_file_system_id", "str"),
    "protectFileSystem": ("file_system.protect", "bool"),
    "clusterVersion": ("cluster.version", "str"),
    "gpuNodeGroups": ("cluster.gpu_node_groups", "object"),
    "operatorTrust": ("operator_identity.trust", "str"),
    "tags": ("tags", "object"),
    **_eks_operator_keys(),
}


def eks_cloud_args_from_config(config: pulumi.Config | None = None):
    """:class:`~anyscale_infra.aws.eks_cloud.AnyscaleEksCloudArgs` from :data:`EKS_CONFIG_KEYS`
    (a new EKS cluster; bring an existing one from your own program)."""
    from anyscale_infra.aws.eks_cloud import AnyscaleEksCloudArgs

    return args_from_config(AnyscaleEksCloudArgs, EKS_CONFIG_KEYS, config, defaults={"cloud_name": pulumi.get_stack()})

"""Build :class:`AnyscaleGcpCloudArgs` from ``pulumi config`` (the root and example programs,
with ``provider: gcp``).

The project and region are the Google provider's (``gcp:project``, ``gcp:region``) unless
``projectId``/``region`` say otherwise. Keys shared with AWS (``cloudName``, ``orgId``,
``cloudId``, ``networking``, ``ingressCidrs``, ``enableSsh``, ``sshCidrs``, ``bucketName``,
``existingBucketName``, ``protectBucket``) mean the same on both clouds. Errors name the
config key the user set (``anyscale-cloud:subnetCidr``), not the Python field it feeds.
"""

from __future__ import annotations

import pulumi

from anyscale_infra.gcp.cloud import AnyscaleGcpCloudArgs
from anyscale_infra.stack_config import args_from_config

# config key -> (args path, reader).
CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("cloud_name", "str"),
    "projectId": ("project_id", "str"),
    "region": ("region", "str"),
    "orgId": ("org_id", "str"),
    "cloudId": ("cloud_id", "str"),
    "manageApis": ("apis.manage_apis", "bool"),
    "networking": ("network.networking", "str"),
    "vpcName": ("network.vpc_name", "str"),
    "subnetCidr": ("network.subnet_cidr", "str"),
    "proxyOnlySubnet": ("network.proxy_only_subnet", "bool"),
    "proxyOnlySubnetCidr": ("network.proxy_only_subnet_cidr", "str"),
    "existingVpcName": ("network.existing_vpc_name", "str"),
    "existingSubnetName": ("network.existing_subnet_name", "str"),
    "existingSubnetCidr": ("network.existing_subnet_cidr", "str"),
    "hostProjectId": ("network.host_project_id", "str"),
    "ingressCidrs": ("firewall.ingress_cidr_blocks", "object"),
    "enableSsh": ("firewall.enable_ssh", "bool"),
    "sshCidrs": ("firewall.ssh_cidr_blocks", "object"),
    "enableIapSsh": ("firewall.enable_iap_ssh", "bool"),
    "existingFirewallPolicyName": ("firewall.existing_firewall_policy_name", "str"),
    "bucketName": ("bucket.bucket_name", "str"),
    "existingBucketName": ("bucket.existing_bucket_name", "str"),
    "bucketLocation": ("bucket.location", "str"),
    "kmsKeyName": ("bucket.kms_key_name", "str"),
    "protectBucket": ("bucket.protect", "bool"),
    "enableFilestore": ("enable_filestore", "bool"),
    "filestoreTier": ("filestore.tier", "str"),
    "filestoreCapacityGb": ("filestore.capacity_gb", "int"),
    "filestoreLocation": ("filestore.location", "str"),
    "existingFilestoreInstanceId": ("filestore.existing_instance_id", "str"),
    "existingFilestoreLocation": ("filestore.existing_location", "str"),
    "protectFilestore": ("filestore.protect", "bool"),
    "enableMemorystore": ("enable_memorystore", "bool"),
    "memorystoreMemorySizeGb": ("memorystore.memory_size_gb", "int"),
    "memorystoreReplicaCount": ("memorystore.replica_count", "int"),
    "existingMemorystoreInstanceName": ("memorystore.existing_instance_name", "str"),
    "protectMemorystore": ("memorystore.protect", "bool"),
    "existingProviderName": ("identity.existing_provider_name", "str"),
    "existingAccessServiceAccountEmail": ("identity.existing_access_service_account_email", "str"),
    "existingInstanceServiceAccountEmail": ("identity.existing_instance_service_account_email", "str"),
    "labels": ("labels", "object"),
}


def cloud_args_from_config(config: pulumi.Config | None = None) -> AnyscaleGcpCloudArgs:
    """Read every key of :data:`CONFIG_KEYS` that is set and build the cloud's args: the
    cloud is named after the stack, in the Google provider's project and region, unless
    ``cloudName``/``projectId``/``region`` are set."""
    provider = pulumi.Config("gcp")
    return args_from_config(
        AnyscaleGcpCloudArgs,
        CONFIG_KEYS,
        config,
        defaults={
            "cloud_name": pulumi.get_stack(),
            "project_id": provider.get("project"),
            "region": provider.get("region"),
        },
        # A bad (or missing) project or region read from the provider's config names that key.
        default_keys={"project_id": "gcp:project", "region": "gcp:region"},
        # A part the args require whose only required field comes from one key.
        key_for_path={"firewall": "ingressCidrs"},
    )


def _gke_operator_keys() -> dict[str, tuple[str, str]]:
    from anyscale_infra.kubernetes.config import operator_config_keys

    # The cloud holds the deployment id and the namespace itself (its Workload Identity
    # member names the namespace); the other operator keys go to its ``operator`` settings.
    keys = operator_config_keys("operator.")
    keys.pop("cloudDeploymentId")
    keys.pop("operatorNamespace")
    keys.pop("loadBalancer")  # public or internal follows the cloud's networking mode
    keys.pop("gatewayAddress")  # the cloud reserves the gateway's address itself
    return keys


#: ``computeStack: k8s`` on Google Cloud (a GKE cloud): config key -> (args path, reader).
GKE_CONFIG_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("cloud_name", "str"),
    "projectId": ("project_id", "str"),
    "region": ("region", "str"),
    "cloudId": ("cloud_id", "str"),
    "cloudDeploymentId": ("cloud_deployment_id", "str"),
    "operatorNamespace": ("namespace", "str"),
    "kubernetesZones": ("kubernetes_zones", "object"),
    "podsCidr": ("pods_cidr", "str"),
    "servicesCidr": ("services_cidr", "str"),
    "networking": ("network.networking", "str"),
    "vpcName": ("network.vpc_name", "str"),
    "subnetCidr": ("network.subnet_cidr", "str"),
    "bucketName": ("bucket.bucket_name", "str"),
    "existingBucketName": ("bucket.existing_bucket_name", "str"),
    "bucketLocation": ("bucket.location", "str"),
    "protectBucket": ("bucket.protect", "bool"),
    "enableFilestore": ("enable_filestore", "bool"),
    "filestoreTier": ("filestore.tier", "str"),
    "existingFilestoreInstanceId": ("filestore.existing_instance_id", "str"),
    "existingFilestoreLocation": ("filestore.existing_location", "str"),
    "protectFilestore": ("filestore.protect", "bool"),
    "enableMemorystore": ("enable_memorystore", "bool"),
    "deletionProtection": ("cluster.deletion_protection", "bool"),
    "nodePools": ("cluster.node_pools", "object"),
    "reserveGatewayAddress": ("reserve_gateway_address", "bool"),
    "labels": ("labels", "object"),
    **_gke_operator_keys(),
}


def gke_cloud_args_from_config(config: pulumi.Config | None = None):
    """:class:`~anyscale_infra.gcp.gke_cloud.AnyscaleGkeCloudArgs` from :data:`GKE_CONFIG_KEYS`,
    in the Google provider's project and region unless ``projectId``/``region`` say otherwise."""
    from anyscale_infra.gcp.gke_cloud import AnyscaleGkeCloudArgs

    provider = pulumi.Config("gcp")
    return args_from_config(
        AnyscaleGkeCloudArgs,
        GKE_CONFIG_KEYS,
        config,
        defaults={"cloud_name": pulumi.get_stack(), "project_id": provider.get("project"), "region": provider.get("region")},
        default_keys={"project_id": "gcp:project", "region": "gcp:region"},
        # The cloud puts the pods and services ranges on the network's subnet.
        key_for_path={"network.secondary_ranges.pods": "podsCidr", "network.secondary_ranges.services": "servicesCidr"},
    )

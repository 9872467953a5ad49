"""The Anyscale operator on a Kubernetes cluster you already run (any distribution).

A `generic` Anyscale cloud: the operator authenticates with an Anyscale CLI token (no cloud
identity), routes through a Gateway API gateway (Envoy Gateway) behind the cluster's
LoadBalancer Services, and uses the object storage and NFS you name. Two steps: the first
`pulumi up` installs the gateway and prints the register command; register, set
`cloudDeploymentId` to the `cldrsrc_...` id it prints, and `pulumi up` again installs the
operator.
"""

import pulumi
import pulumi_kubernetes as k8s

from anyscale_infra.kubernetes import (
    AnyscaleOperator,
    AnyscaleOperatorArgs,
    GenericK8sRegisterArgs,
)

config = pulumi.Config()

# Your cluster: the kubeconfig context to use (None: the current context).
cluster = k8s.Provider("cluster", context=config.get("kubeContext") or None)

operator = AnyscaleOperator(
    "anyscale",
    AnyscaleOperatorArgs(
        cloud_provider="generic",
        cloud_deployment_id=config.get("cloudDeploymentId") or None,
        anyscale_cli_token=config.require_secret("anyscaleCliToken"),
    ),
    opts=pulumi.ResourceOptions(provider=cluster),
)

register = GenericK8sRegisterArgs(
    name=pulumi.get_stack(),
    kubernetes_zones=config.get_object("zones") or [],
    cloud_storage_bucket_name=config.get("bucket") or None,
    cloud_storage_bucket_endpoint=config.get("bucketEndpoint") or None,
    nfs_mount_targets=config.get_object("nfsMountTargets") or [],
    nfs_mount_path=config.get("nfsMountPath") or None,
)

pulumi.export("register_command", register.command())
pulumi.export("resource_file", register.resource_file_yaml())
pulumi.export("operator_namespace", operator.namespace)
pulumi.export("helm_values", operator.helm_values)

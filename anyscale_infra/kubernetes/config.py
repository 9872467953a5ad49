"""Build the operator's args (and a generic cloud's register args) from ``pulumi config``:
the root program with ``provider: generic``, and the operator keys the EKS and GKE clouds'
config readers share (:func:`operator_config_keys`). Errors name the config key."""

from __future__ import annotations

from typing import Optional

import pulumi

from anyscale_infra.stack_config import args_from_config


def operator_config_keys(prefix: str = "") -> dict[str, tuple[str, str]]:
    """The operator's config keys -> ``<prefix><field>`` (e.g. ``operator.`` in a cloud's args)."""
    fields = {
        "cloudDeploymentId": ("cloud_deployment_id", "str"),
        "operatorNamespace": ("namespace", "str"),
        "ingress": ("ingress", "str"),
        "loadBalancer": ("load_balancer", "str"),
        "gatewayAddress": ("gateway_address", "str"),
        "existingGatewayName": ("existing_gateway_name", "str"),
        "existingGatewayNamespace": ("existing_gateway_namespace", "str"),
        "ingressClassName": ("ingress_class_name", "str"),
        "ingressAddress": ("ingress_address", "str"),
        "operatorChartVersion": ("chart_version", "str"),
        "controlPlaneUrl": ("control_plane_url", "str"),
        "additionalInstanceTypes": ("additional_instance_types", "object"),
    }
    return {key: (prefix + path, kind) for key, (path, kind) in fields.items()}


#: The generic (any cluster) operator: the CLI token is its only credential.
GENERIC_OPERATOR_KEYS = {**operator_config_keys(), "anyscaleCliToken": ("anyscale_cli_token", "secret")}

#: A generic cloud's register arguments.
GENERIC_REGISTER_KEYS: dict[str, tuple[str, str]] = {
    "cloudName": ("name", "str"),
    "zones": ("kubernetes_zones", "object"),
    "bucketName": ("cloud_storage_bucket_name", "str"),
    "bucketEndpoint": ("cloud_storage_bucket_endpoint", "str"),
    "bucketRegion": ("cloud_storage_bucket_region", "str"),
    "nfsMountTargets": ("nfs_mount_targets", "object"),
    "nfsMountPath": ("nfs_mount_path", "str"),
    "persistentVolumeClaim": ("persistent_volume_claim", "str"),
    "redisEndpoint": ("kubernetes_redis_endpoint", "str"),
}


def generic_operator_args_from_config(config: Optional[pulumi.Config] = None):
    """:class:`~anyscale_infra.kubernetes.operator.AnyscaleOperatorArgs` for any cluster."""
    from anyscale_infra.kubernetes.operator import AnyscaleOperatorArgs

    return args_from_config(AnyscaleOperatorArgs, GENERIC_OPERATOR_KEYS, config, defaults={"cloud_provider": "generic"})


def generic_register_args_from_config(config: Optional[pulumi.Config] = None):
    """:class:`~anyscale_infra.kubernetes.register.GenericK8sRegisterArgs`, named after the stack."""
    from anyscale_infra.kubernetes.register import GenericK8sRegisterArgs

    return args_from_config(GenericK8sRegisterArgs, GENERIC_REGISTER_KEYS, config, defaults={"name": pulumi.get_stack()})

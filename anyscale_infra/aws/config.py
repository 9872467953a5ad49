"""Build :class:`AnyscaleAwsCloudArgs` from ``pulumi config`` (the root and example programs).

Errors name the config key the user set (``anyscale-cloud:ingressCidrs``), not the Python
field it feeds.
"""

from __future__ import annotations

from typing import Any, Callable

import pulumi

from anyscale_infra.aws.cloud import AnyscaleAwsCloudArgs
from anyscale_infra.errors import FieldProblem, InvalidArgsError

# config key -> (args path, reader). Readers: "str", "bool", "int", "object" (JSON).
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


def _readers(config: pulumi.Config) -> dict[str, Callable[[str], Any]]:
    return {
        "str": config.get,
        "secret": config.get,  # kept secret by the IAM component (Output.secret)
        "bool": config.get_bool,
        "int": config.get_int,
        "object": config.get_object,
    }


def cloud_args_from_config(config: pulumi.Config | None = None) -> AnyscaleAwsCloudArgs:
    """Read every key of :data:`CONFIG_KEYS` that is set and build the cloud's args."""
    config = config or pulumi.Config()
    readers = _readers(config)
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, (path, kind) in CONFIG_KEYS.items():
        try:
            value = readers[kind](key)
        except (pulumi.ConfigTypeError, ValueError) as exc:
            problems.append(FieldProblem(_qualified(config, key), f"is not a valid {kind}: {exc}"))
            continue
        if value is None:
            continue
        target = values
        *parents, leaf = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    if "cloud_name" not in values:
        values["cloud_name"] = pulumi.get_stack()
    if problems:
        raise InvalidArgsError("stack config", problems)
    try:
        return AnyscaleAwsCloudArgs(**values)
    except InvalidArgsError as exc:
        raise InvalidArgsError("stack config", [_as_config_problem(config, p) for p in exc.problems]) from None


def _qualified(config: pulumi.Config, key: str) -> str:
    return f"{config.name}:{key}"


_BY_PATH = {path: key for key, (path, _) in CONFIG_KEYS.items()}
# A part the args require whose only required field comes from one key.
_BY_PATH["security_group"] = "ingressCidrs"


def _as_config_problem(config: pulumi.Config, problem: FieldProblem) -> FieldProblem:
    """Name the config key when one field maps to it (``network.vpc_cidr`` -> ``vpcCidr``)."""
    path = problem.field
    while path:
        if path in _BY_PATH:
            return FieldProblem(_qualified(config, _BY_PATH[path]), problem.message)
        path = path.rpartition(".")[0]
    return problem

"""`cloud register --provider generic --compute-stack k8s`: the exact command, the real CLI's
parse of it, the resource file read back by the CLI's models, and bad input."""

from __future__ import annotations

import shlex

import pytest
import yaml

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.kubernetes.register import GenericK8sRegisterArgs

FULL = dict(
    name="edge-cloud",
    kubernetes_zones=["zone-a", "zone-b"],
    cloud_storage_bucket_name="s3://anyscale-edge",
    cloud_storage_bucket_endpoint="https://minio.internal:9000",
    nfs_mount_targets=["zone-a,10.0.0.4", "10.0.0.5"],
    nfs_mount_path="/exports/anyscale",
    kubernetes_redis_endpoint="redis.ray-system.svc.cluster.local:6379",
)


def parse(argv):
    from anyscale.commands.cloud_commands import register_cloud

    assert argv[:3] == ["anyscale", "cloud", "register"]
    return register_cloud.make_context("register", argv[3:]).params


def test_the_command_is_exact():
    assert GenericK8sRegisterArgs(**FULL).command() == (
        "anyscale cloud register --provider generic --compute-stack k8s --name edge-cloud --region default "
        "--cloud-storage-bucket-name s3://anyscale-edge --cloud-storage-bucket-endpoint https://minio.internal:9000 "
        "--kubernetes-zones zone-a,zone-b --kubernetes-redis-endpoint redis.ray-system.svc.cluster.local:6379 "
        "--nfs-mount-target zone-a,10.0.0.4 --nfs-mount-target 10.0.0.5 --nfs-mount-path /exports/anyscale"
    )


def test_the_real_cli_parses_every_flag_to_the_value_given():
    args = GenericK8sRegisterArgs(**FULL)
    params = parse(shlex.split(args.command()))
    assert params["provider"] == "generic"
    assert params["compute_stack"] == "K8S"
    assert params["name"] == "edge-cloud"
    assert params["region"] == "default"
    assert params["kubernetes_zones"] == "zone-a,zone-b"
    assert params["cloud_storage_bucket_name"] == "s3://anyscale-edge"
    assert params["cloud_storage_bucket_endpoint"] == "https://minio.internal:9000"
    assert params["nfs_mount_target"] == ("zone-a,10.0.0.4", "10.0.0.5")
    assert params["nfs_mount_path"] == "/exports/anyscale"
    assert params["kubernetes_redis_endpoint"] == "redis.ray-system.svc.cluster.local:6379"
    assert params["anyscale_operator_iam_identity"] is None


def test_the_resource_file_reads_back_as_the_clis_deployment():
    from anyscale.client.openapi_client.models import (
        CloudDeployment,
        FileStorage,
        KubernetesConfig,
        NFSMountTarget,
        ObjectStorage,
    )

    spec = yaml.safe_load(GenericK8sRegisterArgs(**FULL).resource_file_yaml())
    deployment = CloudDeployment(**spec)
    assert deployment.provider == "GENERIC"
    assert deployment.compute_stack == "K8S"
    assert deployment.region == "default"
    storage = ObjectStorage(**deployment.object_storage)
    assert (storage.bucket_name, storage.region, storage.endpoint) == ("s3://anyscale-edge", "default", "https://minio.internal:9000")
    files = FileStorage(**deployment.file_storage)
    assert [NFSMountTarget(**t).address for t in files.mount_targets] == ["10.0.0.4", "10.0.0.5"]
    assert [t.get("zone") for t in files.mount_targets] == ["zone-a", None]
    assert files.mount_path == "/exports/anyscale"
    config = KubernetesConfig(**deployment.kubernetes_config)
    assert config.zones == ["zone-a", "zone-b"]
    assert config.redis_endpoint == "redis.ray-system.svc.cluster.local:6379"
    assert config.anyscale_operator_iam_identity is None


def test_a_minimal_generic_cloud_is_name_provider_and_stack():
    args = GenericK8sRegisterArgs(name="edge")
    assert args.argv() == [
        "anyscale", "cloud", "register", "--provider", "generic", "--compute-stack", "k8s", "--name", "edge", "--region", "default",
    ]
    assert yaml.safe_load(args.resource_file_yaml()) == {
        "name": "edge", "provider": "GENERIC", "compute_stack": "K8S", "region": "default", "networking_mode": "PUBLIC",
        # The CLI builds a KubernetesConfig for every generic cloud (zones empty when none given).
        "kubernetes_config": {"zones": []},
    }


@pytest.mark.parametrize(
    "kwargs, field, phrase",
    [
        (dict(anyscale_operator_iam_identity="arn:aws:iam::210987654321:role/x"), "anyscale_operator_iam_identity", "no cloud identity"),
        (dict(kubernetes_zones=["a", "a"]), "kubernetes_zones", "more than once"),
        (dict(kubernetes_zones=["a,b"]), "kubernetes_zones", "no commas"),
        (dict(kubernetes_redis_endpoint="redis"), "kubernetes_redis_endpoint", "host:port"),
        (dict(nfs_mount_targets=["z,1.2.3.4,x"]), "nfs_mount_targets", "'address' or 'zone,address'"),
        (dict(nfs_mount_targets=["1.2.3.4"], persistent_volume_claim="pvc"), "persistent_volume_claim", "exclusive with nfs_mount_targets"),
        (dict(name="bad name!"), "name", ""),
    ],
)
def test_bad_input_names_the_field(kwargs, field, phrase):
    with pytest.raises(InvalidArgsError) as info:
        GenericK8sRegisterArgs(**{"name": "edge", **kwargs})
    assert field in info.value.fields, info.value
    assert phrase in str(info.value)

"""Bad input to the GKE models, fuzzed: each either builds or raises InvalidArgsError naming
real fields — never KeyError, TypeError or a raw pydantic dump (as tests/test_fuzz_models.py
does for the other clouds)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp.gke import AnyscaleGkeClusterArgs, GkeNodePoolArgs
from anyscale_infra.gcp.gke_cloud import AnyscaleGkeCloudArgs
from anyscale_infra.gcp.operator_identity import AnyscaleGkeOperatorIdentityArgs
from anyscale_infra.gcp.register import GcpK8sRegisterArgs

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

junk = st.one_of(st.none(), st.integers(-3, 70), st.booleans(), st.text(max_size=20), st.lists(st.text(max_size=5), max_size=2))
zone = st.builds(lambda r, z: f"{r}-{z}", st.sampled_from(["us-central1", "europe-west4", "us-central10"]), st.sampled_from("abcz1")) | st.text(max_size=15)
zones = st.lists(zone, max_size=3) | junk
email = st.sampled_from(
    ["anyscale-operator@acme-ml-prod.iam.gserviceaccount.com", "arn:aws:iam::123456789012:role/op", "op@gmail.com", ""]
) | st.text(max_size=30)
accelerator = st.sampled_from(["T4", "L4", "H100", "V100", "t4", ""]) | junk
namespace = st.sampled_from(["anyscale-operator", "ml-team", "Bad_NS", "-x", "a" * 64]) | junk
pool = st.fixed_dictionaries(
    {},
    optional={
        "capacity": st.sampled_from(["ON_DEMAND", "SPOT", "spot", "RESERVED"]) | junk,
        "accelerator": accelerator,
        "accelerator_count": junk,
        "name": st.text(string.ascii_lowercase + "-", max_size=12) | junk,
        "min_nodes_per_zone": st.integers(-1, 12) | junk,
        "max_nodes_per_zone": st.integers(-1, 12) | junk,
        "labels": st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2) | junk,
    },
)


def judge(model, kwargs) -> bool:
    try:
        model(**kwargs)
    except InvalidArgsError as exc:
        assert exc.problems, "an error must say what is wrong"
        for field in exc.fields:
            assert field.split(".")[0] in model.model_fields, f"{field!r} is not a field of {model.__name__}: {exc}"
        assert "pydantic" not in str(exc) and "validation error" not in str(exc).lower(), str(exc)
        event(f"{model.__name__}: invalid")
        return False
    event(f"{model.__name__}: built")
    return True


@FUZZ
@given(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["ml-prod", "has space"])},
        optional={
            "region": st.sampled_from(["us-central1", "us-central"]) | junk,
            "project_id": st.sampled_from(["acme-ml-prod", "123456789012"]) | junk,
            "cloud_storage_bucket_name": st.sampled_from(["gs://acme-ml", "goog-x", ""]) | junk,
            "kubernetes_zones": zones,
            "anyscale_operator_iam_identity": email | junk,
            "vpc_name": st.sampled_from(["anyscale-vpc", "Bad"]) | junk,
            "filestore_instance_id": st.sampled_from(["nfs-1", "NFS"]) | junk,
            "filestore_location": zone | junk,
            "memorystore_instance_name": st.sampled_from(["projects/p-roject/locations/us-central1/instances/r", "r"]) | junk,
            "persistent_volume_claim": junk,
            "kubernetes_redis_endpoint": st.sampled_from(["redis:6379", "redis", "redis:0"]) | junk,
            "private_network": junk,
        },
    )
)
def test_register_args(kwargs):
    judge(GcpK8sRegisterArgs, kwargs)


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "project_id": st.sampled_from(["acme-ml-prod", "1bad"]) | junk,
            "region": st.sampled_from(["us-central1"]) | junk,
            "zones": zones,
            "node_pools": st.lists(pool, max_size=3) | junk,
            "system_pool": st.fixed_dictionaries({}, optional={"min_nodes_per_zone": st.integers(-1, 3), "max_nodes_per_zone": junk}) | junk,
            "private_nodes": junk,
            "master_ipv4_cidr_block": st.sampled_from(["172.16.0.0/28", "172.16.0.0/24", "x"]) | junk,
            "existing_cluster_name": st.sampled_from(["prod", "Prod"]) | junk,
            "existing_cluster_location": zone | junk,
            "cluster_name": junk,
            "labels": junk,
        },
    )
)
def test_cluster_args(kwargs):
    judge(AnyscaleGkeClusterArgs, kwargs)


@FUZZ
@given(pool)
def test_node_pool_args(kwargs):
    judge(GkeNodePoolArgs, kwargs)


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "namespace": namespace,
            "existing_service_account_email": email | junk,
            "service_account_id": junk,
            "grant_existing_account": junk,
            "workload_pool": st.sampled_from(["acme-ml-prod.svc.id.goog", "x.svc.id.goog", "acme"]) | junk,
            "bucket_name": junk,
        },
    )
)
def test_operator_identity_args(kwargs):
    judge(AnyscaleGkeOperatorIdentityArgs, kwargs)


@FUZZ
@given(
    st.fixed_dictionaries(
        {"cloud_name": st.just("ml-prod"), "project_id": st.just("acme-ml-prod"), "region": st.sampled_from(["us-central1", "bogus"])},
        optional={
            "kubernetes_zones": zones,
            "namespace": namespace,
            "cloud_deployment_id": st.sampled_from(["cldrsrc_abcdefgh12345678ijklmnop12", "cld_x"]) | junk,
            "pods_cidr": st.sampled_from(["10.4.0.0/14", "10.0.0.0/8", "x"]) | junk,
            "cluster": st.fixed_dictionaries({}, optional={"node_pools": st.lists(pool, max_size=2), "zones": zones}) | junk,
            "operator_identity": st.fixed_dictionaries({}, optional={"existing_service_account_email": email}) | junk,
            "network": st.sampled_from([{}, {"networking": "private"}, {"existing_vpc_name": "v", "existing_subnet_name": "s"}]) | junk,
            "operator": st.dictionaries(st.sampled_from(["ingress", "chart_version", "namespace", "bogus"]), junk, max_size=2) | junk,
            "kubernetes_provider": junk,
            "enable_filestore": junk,
        },
    )
)
def test_cloud_args(kwargs):
    judge(AnyscaleGkeCloudArgs, kwargs)

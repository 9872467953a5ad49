"""AnyscaleMemoryDb: TLS, allkeys-lru, replicas, cloud subnets and security group."""

from __future__ import annotations

import pulumi
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleMemoryDb, AnyscaleMemoryDbArgs
from program_errors import deploy_error

SG = "sg-0a1b2c3d4e5f67890"
SUBNETS = ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891"]


def test_new_cluster(preview):
    result = preview(lambda: AnyscaleMemoryDb("c", AnyscaleMemoryDbArgs(subnet_ids=SUBNETS, security_group_id=SG)))
    (group,) = result.by_type("aws:memorydb/subnetGroup:SubnetGroup")
    assert group.inputs["subnetIds"] == SUBNETS
    (params,) = result.by_type("aws:memorydb/parameterGroup:ParameterGroup")
    assert params.inputs["family"] == "memorydb_redis7"
    assert params.inputs["parameters"] == [{"name": "maxmemory-policy", "value": "allkeys-lru"}]
    (cluster,) = result.by_type("aws:memorydb/cluster:Cluster")
    inputs = cluster.inputs
    assert inputs["tlsEnabled"] is True
    assert inputs["nodeType"] == "db.t4g.small"
    assert inputs["numReplicasPerShard"] == 1 and inputs["numShards"] == 1
    assert inputs["securityGroupIds"] == [SG]
    assert inputs["subnetGroupName"] == group.outputs["name"]
    assert inputs["parameterGroupName"] == params.outputs["name"]
    assert cluster.protect is True


def _cluster(preview, **kwargs):
    args = AnyscaleMemoryDbArgs(subnet_ids=SUBNETS, security_group_id=SG, **kwargs)
    return preview(lambda: AnyscaleMemoryDb("c", args)).one("aws:memorydb/cluster:Cluster").inputs


def test_existing_cluster_creates_nothing(preview):
    result = preview(lambda: AnyscaleMemoryDb("c", AnyscaleMemoryDbArgs(existing_cluster_name="anyscale-mdb")))
    assert [r for r in result.resources if r.custom] == []


def test_new_cluster_needs_subnets(preview):
    error = deploy_error(preview, lambda: AnyscaleMemoryDb("c", AnyscaleMemoryDbArgs(security_group_id=SG)))
    assert error.fields == ["subnet_ids"]
    assert "is required: the cloud's subnets" in str(error)


def test_new_cluster_needs_the_security_group(preview):
    error = deploy_error(preview, lambda: AnyscaleMemoryDb("c", AnyscaleMemoryDbArgs(subnet_ids=SUBNETS)))
    assert error.fields == ["security_group_id"]
    assert "is required: the cloud's security group" in str(error)


def test_subnets_may_be_one_output(preview):
    def program():
        AnyscaleMemoryDb("c", AnyscaleMemoryDbArgs(subnet_ids=pulumi.Output.from_input(SUBNETS), security_group_id=SG))

    assert preview(program).one("aws:memorydb/subnetGroup:SubnetGroup").inputs["subnetIds"] == SUBNETS


# -- numeric limits: replicas 1..5, shards 1..500, snapshot days 0..35 -------------------------


@pytest.mark.parametrize("replicas", [1, 2, 5])
def test_replicas_from_1_to_5_reach_the_cluster(preview, replicas):
    assert _cluster(preview, num_replicas_per_shard=replicas)["numReplicasPerShard"] == replicas


@pytest.mark.parametrize("replicas", [0, -1])
def test_fewer_than_one_replica_is_rejected(replicas):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(num_replicas_per_shard=replicas)
    assert info.value.fields == ["num_replicas_per_shard"]
    assert f"{replicas} replicas per shard; Anyscale needs at least 1 (2 nodes per shard)" in str(info.value)


@pytest.mark.parametrize("shards", [1, 2, 500])
def test_shards_from_1_to_500_reach_the_cluster(preview, shards):
    assert _cluster(preview, num_shards=shards)["numShards"] == shards


@pytest.mark.parametrize("days", [0, 1, 35])
def test_snapshot_days_from_0_to_35_reach_the_cluster(preview, days):
    assert _cluster(preview, snapshot_retention_days=days)["snapshotRetentionLimit"] == days


@pytest.mark.parametrize(
    "field, value, phrase",
    [
        ("num_replicas_per_shard", 6, "less than or equal to 5"),
        ("num_shards", 0, "greater than or equal to 1"),
        ("num_shards", 501, "less than or equal to 500"),
        ("snapshot_retention_days", -1, "greater than or equal to 0"),
        ("snapshot_retention_days", 36, "less than or equal to 35"),
        ("num_replicas_per_shard", "two", "valid integer"),
    ],
)
def test_numeric_near_misses(field, value, phrase):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(**{field: value})
    assert info.value.fields == [field]
    assert phrase in str(info.value)


# -- every rule: the exact field and the rule's phrase ----------------------------------------

NEW_CLUSTER_ONLY = {
    "cluster_name": "mdb-2",
    "node_type": "db.r7g.large",
    "num_shards": 2,
    "num_replicas_per_shard": 2,
    "engine_version": "7.1",
    "parameter_group_family": "memorydb_redis7",
    "snapshot_retention_days": 1,
    "kms_key_arn": "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666",
}


@pytest.mark.parametrize("field", sorted(NEW_CLUSTER_ONLY))
def test_settings_of_a_new_cluster_conflict_with_an_existing_one(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(existing_cluster_name="mdb", **{field: NEW_CLUSTER_ONLY[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_cluster_name and {field} can be specified" in str(info.value)


def test_engine_and_family_of_another_major_version():
    args = AnyscaleMemoryDbArgs(engine_version="6.2", parameter_group_family="memorydb_redis6")
    assert (args.engine_version, args.parameter_group_family) == ("6.2", "memorydb_redis6")


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(node_type="cache.t4g.small"), "node_type", "not a MemoryDB node type"),
        (dict(engine_version="6.2"), "parameter_group_family", "memorydb_redis7 does not match engine_version 6.2"),
        (dict(parameter_group_family="memorydb_redis6"), "parameter_group_family", "does not match engine_version 7.1"),
        (dict(existing_cluster_name="mdb", node_type="db.r7g.large"), "node_type", "only one of existing_cluster_name"),
        (dict(cluster_name="Bad--Name"), "cluster_name", "lowercase letters"),
        (dict(cluster_name="a" * 41), "cluster_name", "must be 1 to 40"),
        (dict(existing_cluster_name="a" * 41), "existing_cluster_name", "must be 1 to 40"),
        (dict(existing_cluster_name="mdb-"), "existing_cluster_name", "single hyphens"),
        (dict(subnet_ids=["subnet-01234567", "subnet-zz"]), "subnet_ids", "'subnet-zz' is not a subnet id"),
        (dict(security_group_id="sg-zz"), "security_group_id", "is not a sg id"),
        (dict(kms_key_arn="alias/mdb"), "kms_key_arn", "not a KMS key ARN"),
        (dict(tags={"aws:x": "1"}), "tags", "reserved by AWS"),
    ],
)
def test_bad_memorydb_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)

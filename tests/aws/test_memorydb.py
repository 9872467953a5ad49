"""AnyscaleMemoryDb: TLS, allkeys-lru, replicas, cloud subnets and security group."""

from __future__ import annotations

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleMemoryDb, AnyscaleMemoryDbArgs

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


def test_zero_replicas_is_rejected():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(num_replicas_per_shard=0)
    assert info.value.fields == ["num_replicas_per_shard"]
    assert "at least 1 (2 nodes per shard)" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(node_type="cache.t4g.small"), "node_type", "not a MemoryDB node type"),
        (dict(engine_version="6.2"), "parameter_group_family", "does not match engine_version"),
        (dict(existing_cluster_name="mdb", node_type="db.r7g.large"), "node_type", "only one of existing_cluster_name"),
        (dict(cluster_name="Bad--Name"), "cluster_name", "lowercase letters"),
    ],
)
def test_bad_memorydb_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemoryDbArgs(**kwargs)
    assert field in info.value.fields
    assert needle in str(info.value)

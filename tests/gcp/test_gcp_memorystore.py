"""AnyscaleMemorystore: STANDARD_HA with read replicas, allkeys-lru, TLS off (and no way to
turn it on), the cloud VPC (also a Shared VPC's), limits, bring-your-own, every error path;
and the CLI's own name check and verification run on what we plan."""

from __future__ import annotations

import re
from types import SimpleNamespace
from unittest import mock

import pulumi
import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import AnyscaleMemorystore, AnyscaleMemorystoreArgs
from anyscale_infra.gcp.memorystore import check_instance_id, check_instance_name
from anyscale_infra.preview.engine import ProgramError
from program_errors import deploy_error

REDIS = "gcp:redis/instance:Instance"
VPC = "anyscale-vpc"
FULL = "projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis"
PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/anyscale/providers/anyscale"


def new(**kwargs) -> AnyscaleMemorystoreArgs:
    return AnyscaleMemorystoreArgs(**{"region": "us-central1", "network": VPC, **kwargs})


def args_error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleMemorystoreArgs(**kwargs)
    return info.value


def new_error(**kwargs) -> InvalidArgsError:
    return args_error(**{"region": "us-central1", "network": VPC, **kwargs})


def component_outputs(result, name: str = "ms") -> dict:
    (urn,) = [u for u in result.component_outputs if u.endswith(f"AnyscaleMemorystore::{name}")]
    return result.component_outputs[urn]


# --- A new instance -------------------------------------------------------------------------
def test_new_instance(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new()))
    instance = result.one(REDIS)
    assert instance.inputs == {
        "region": "us-central1",
        "tier": "STANDARD_HA",
        "readReplicasMode": "READ_REPLICAS_ENABLED",
        "replicaCount": 1,
        "memorySizeGb": 5,
        "redisVersion": "REDIS_7_0",
        "redisConfigs": {"maxmemory-policy": "allkeys-lru"},
        "authorizedNetwork": "anyscale-vpc",
        "connectMode": "DIRECT_PEERING",
        "transitEncryptionMode": "DISABLED",
        "authEnabled": False,
        "labels": {"managed-by": "anyscale-infra"},
        "deletionProtection": True,
    }
    assert instance.protect is True
    assert re.fullmatch(r"ms-redis-[0-9a-f]{7}", instance.outputs["name"])


def test_outputs_full_name_for_the_register_flag(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(instance_name="anyscale-redis")))
    assert result.one(REDIS).inputs["name"] == "anyscale-redis"
    outputs = component_outputs(result)
    assert outputs["instance_name"] == FULL  # --memorystore-instance-name
    assert outputs["port"] == 6379
    assert outputs["host"] and outputs["read_endpoint"]


def test_tls_cannot_be_turned_on():
    # The verifier rejects TLS on Memorystore: there is no argument for it.
    for name in ("transit_encryption_mode", "tls_enabled", "tier", "read_replicas_mode", "auth_enabled"):
        error = new_error(**{name: "SERVER_AUTHENTICATION"})
        assert error.fields == [name]
        assert "is not a known argument" in str(error)


def test_extra_redis_configs_keep_allkeys_lru(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(redis_configs={"notify-keyspace-events": "Ex"})))
    assert result.one(REDIS).inputs["redisConfigs"] == {"notify-keyspace-events": "Ex", "maxmemory-policy": "allkeys-lru"}


def test_another_maxmemory_policy_is_refused():
    error = new_error(redis_configs={"maxmemory-policy": "volatile-lru"})
    assert error.fields == ["redis_configs"]
    assert "maxmemory-policy must be allkeys-lru" in str(error)


def test_zones_labels_display_name_project(gcp_preview):
    args = new(
        location_id="us-central1-a", alternative_location_id="us-central1-c", labels={"team": "ml"},
        cloud_id="cld_AbC", display_name="Anyscale HNFT", project_id="acme-ml-dev", instance_name="r1",
    )
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", args))
    inputs = result.one(REDIS).inputs
    assert inputs["locationId"] == "us-central1-a" and inputs["alternativeLocationId"] == "us-central1-c"
    assert inputs["labels"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_abc"}
    assert inputs["displayName"] == "Anyscale HNFT" and inputs["project"] == "acme-ml-dev"
    assert component_outputs(result)["instance_name"] == "projects/acme-ml-dev/locations/us-central1/instances/r1"


def test_protect_off_also_lifts_the_providers_deletion_protection(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(protect=False)))
    instance = result.one(REDIS)
    assert instance.protect is False
    assert instance.inputs["deletionProtection"] is False


# --- Limits, with a near miss on each side ---------------------------------------------------
@pytest.mark.parametrize("count", [1, 5])
def test_replica_count_accepted(gcp_preview, count):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(replica_count=count)))
    assert result.one(REDIS).inputs["replicaCount"] == count


@pytest.mark.parametrize("count", [0, 6])
def test_replica_count_refused(count):
    error = new_error(replica_count=count)
    assert error.fields == ["replica_count"]
    assert f"{count} read replicas; STANDARD_HA with read replicas takes 1 to 5" in str(error)


@pytest.mark.parametrize("size", [5, 300])
def test_memory_size_accepted(gcp_preview, size):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(memory_size_gb=size)))
    assert result.one(REDIS).inputs["memorySizeGb"] == size


@pytest.mark.parametrize("size", [4, 301])
def test_memory_size_refused(size):
    error = new_error(memory_size_gb=size)
    assert error.fields == ["memory_size_gb"]
    assert f"{size} GB is outside 5-300 GB: read replicas need at least 5 GB" in str(error)


@pytest.mark.parametrize("version", ["REDIS_5_0", "REDIS_7_2"])
def test_redis_versions_accepted(version):
    assert new(redis_version=version).redis_version == version


@pytest.mark.parametrize("version", ["REDIS_4_0", "7.0"])
def test_redis_versions_refused(version):
    error = new_error(redis_version=version)
    assert error.fields == ["redis_version"]
    assert "read replicas need Redis 5.0 or later" in str(error)


@pytest.mark.parametrize("name", ["r", "a" * 40, "anyscale-redis-1"])
def test_instance_id_accepted(name):
    assert check_instance_id(name) == name


@pytest.mark.parametrize("name", ["a" * 41, "1redis", "redis-", "Redis", ""])
def test_instance_id_refused(name):
    error = new_error(instance_name=name)
    assert error.fields == ["instance_name"]
    assert "must be 1 to 40 lowercase letters, digits and hyphens" in str(error)


def test_auto_name_too_long_for_memorystore(gcp_preview):
    # `<name>-redis-<7 hex>` is 41 characters here: one more than Memorystore allows.
    error = deploy_error(gcp_preview, lambda: AnyscaleMemorystore("a" * 27, new()))
    assert error.fields == ["instance_name"]
    assert "auto-name from component name" in str(error)
    result = gcp_preview(lambda: AnyscaleMemorystore("a" * 26, new()))  # 40 characters: fine
    assert len(result.one(REDIS).outputs["name"]) == 40


@pytest.mark.parametrize("field", ["location_id", "alternative_location_id"])
def test_zones_must_be_in_the_region(field):
    error = new_error(**{field: "us-east1-b"})
    assert error.fields == [field]
    assert "zone us-east1-b is not in region us-central1" in str(error)


def test_the_two_zones_differ():
    error = new_error(location_id="us-central1-a", alternative_location_id="us-central1-a")
    assert error.fields == ["alternative_location_id"]
    assert "must differ from location_id" in str(error)


# --- Network --------------------------------------------------------------------------------
def test_shared_vpc_uses_the_host_network_over_private_services_access(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(network_project="acme-net-host")))
    inputs = result.one(REDIS).inputs
    assert inputs["authorizedNetwork"] == "projects/acme-net-host/global/networks/anyscale-vpc"
    assert inputs["connectMode"] == "PRIVATE_SERVICE_ACCESS"


def test_a_network_of_another_project_is_a_shared_vpc():
    error = new_error(network="projects/acme-net-host/global/networks/anyscale-vpc", project_id="acme-ml-prod")
    assert error.fields == ["network_project"]
    assert "a Shared VPC network; set network_project='acme-net-host'" in str(error)
    error = new_error(network="projects/acme-net-host/global/networks/anyscale-vpc", network_project="acme-other")
    assert error.fields == ["network_project"]
    assert "not in network_project acme-other" in str(error)


def test_shared_vpc_refuses_direct_peering():
    error = new_error(network_project="acme-net-host", connect_mode="DIRECT_PEERING")
    assert error.fields == ["connect_mode"]
    assert "needs PRIVATE_SERVICE_ACCESS" in str(error)


def test_network_by_self_link_or_output(gcp_preview):
    link = "https://www.googleapis.com/compute/v1/projects/acme-ml-prod/global/networks/anyscale-vpc"
    for network in (link, pulumi.Output.from_input(link)):
        result = gcp_preview(lambda network=network: AnyscaleMemorystore("ms", new(network=network)))
        assert result.one(REDIS).inputs["authorizedNetwork"] == "projects/acme-ml-prod/global/networks/anyscale-vpc"


@pytest.mark.parametrize(
    "kwargs, value",
    [({}, "10.30.0.0/28"), ({}, "10.30.0.0/27"), ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, "anyscale-services-range")],
)
def test_reserved_ip_range_accepted(gcp_preview, kwargs, value):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(reserved_ip_range=value, **kwargs)))
    assert result.one(REDIS).inputs["reservedIpRange"] == value


@pytest.mark.parametrize(
    "kwargs, value, phrase",
    [
        ({}, "10.30.0.0/29", "is not a /28 or larger block (read replicas, DIRECT_PEERING)"),
        ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, "10.30.0.0/28", "the name of an allocated range"),
    ],
)
def test_reserved_ip_range_refused(kwargs, value, phrase):
    error = new_error(reserved_ip_range=value, **kwargs)
    assert error.fields == ["reserved_ip_range"]
    assert phrase in str(error)


def test_region_and_network_are_required_for_a_new_instance(gcp_preview):
    """AnyscaleGcpCloud fills them in, so the args build without them; the component refuses."""
    args = AnyscaleMemorystoreArgs()
    assert sorted(p.field for p in args.wiring_problems()) == ["network", "region"]
    error = _deploy_error(gcp_preview, lambda: AnyscaleMemorystore("ms", args))
    assert sorted(error.fields) == ["network", "region"]
    assert "is required for a new instance" in str(error)
    assert AnyscaleMemorystoreArgs(region="us-central1", network="vpc").wiring_problems() == []


def _deploy_error(gcp_preview, program) -> InvalidArgsError:
    """The component refuses before any resource, with the library's own error (exit 2)."""
    with pytest.raises(ProgramError) as info:
        gcp_preview(program)
    assert info.value.kind == "validation"
    assert isinstance(info.value.cause, InvalidArgsError)
    return info.value.cause


def test_existing_instance_creates_nothing(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", AnyscaleMemorystoreArgs(existing_instance_name=FULL)))
    assert [r for r in result.resources if r.custom] == []
    assert component_outputs(result)["instance_name"] == FULL


def test_existing_instance_by_project_number():
    name = "projects/123456789012/locations/us-central1/instances/anyscale-redis"
    assert AnyscaleMemorystoreArgs(existing_instance_name=name).existing_instance_name == name


@pytest.mark.parametrize(
    "name",
    [
        "anyscale-redis",
        "projects/acme-ml-prod/locations/us-central1-a/instances/anyscale-redis",
        "projects/acme-ml-prod/locations/us-central1/instances/Anyscale",
        "projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis/extra",
        "projects/Acme/locations/us-central1/instances/anyscale-redis",
    ],
)
def test_existing_instance_name_refused(name):
    error = args_error(existing_instance_name=name)
    assert error.fields == ["existing_instance_name"]


def test_existing_instance_short_name_hint():
    error = args_error(existing_instance_name="anyscale-redis")
    assert "is not a full Memorystore name like projects/my-project/locations/us-central1/instances/" in str(error)


@pytest.mark.parametrize("field, value", [("network", VPC), ("replica_count", 2), ("memory_size_gb", 10), ("instance_name", "r")])
def test_existing_instance_conflicts(field, value):
    error = args_error(existing_instance_name=FULL, **{field: value})
    assert error.fields == [field]
    assert f"only one of existing_instance_name and {field} can be specified" in str(error)


def test_existing_instance_in_another_region_warns(gcp_preview):
    args = AnyscaleMemorystoreArgs(existing_instance_name=FULL, region="europe-west4")
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", args))
    assert any("outside the cloud's region europe-west4" in w for w in result.warnings)


# --- Contract: the CLI's own name check and verification on what we plan --------------------
def _validate_with_cli(memorystore_instance_name: str) -> None:
    from anyscale.controllers.cloud_controller import (
        CloudController,
        ComputeStack,
        GCPConfig,
    )

    config = GCPConfig(project_id="acme-ml-prod", provider_name=PROVIDER, memorystore_instance_name=memorystore_instance_name)
    CloudController._validate_gcp_config(None, ComputeStack.VM, config)  # type: ignore[arg-type]


def test_cli_accepts_our_full_name(gcp_preview):
    import click

    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new()))
    _validate_with_cli(component_outputs(result)["instance_name"])
    _validate_with_cli(FULL)
    with pytest.raises(click.ClickException):
        _validate_with_cli("anyscale-redis")  # the short id our validator refuses too
    assert check_instance_name(FULL) == FULL


def _planned_instance(inputs: dict) -> SimpleNamespace:
    """The planned instance as the Memorystore API would return it."""
    return SimpleNamespace(
        authorized_network=inputs["authorizedNetwork"],
        tier=SimpleNamespace(name=inputs["tier"]),
        redis_configs=inputs["redisConfigs"],
        read_replicas_mode=SimpleNamespace(name=inputs["readReplicasMode"]),
        transit_encryption_mode=SimpleNamespace(name=inputs["transitEncryptionMode"]),
    )


def _verify(inputs: dict, vpc: str = VPC) -> tuple[bool, mock.MagicMock]:
    from anyscale.gcp_verification import verify_memorystore

    client = mock.Mock()
    client.get_instance.return_value = _planned_instance(inputs)
    factory = SimpleNamespace(redis_v1=SimpleNamespace(CloudRedisClient=lambda: client))
    logger = mock.MagicMock()
    return verify_memorystore(factory, FULL, vpc, logger, strict=True), logger


@pytest.mark.parametrize("kwargs", [{}, {"network_project": "acme-net-host"}], ids=["vpc", "shared-vpc"])
def test_cli_verifies_the_instance_we_plan_strict(gcp_preview, kwargs):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new(**kwargs)))
    ok, logger = _verify(result.one(REDIS).inputs)
    assert ok is True
    logger.internal.warning.assert_not_called()
    logger.internal.error.assert_not_called()


def test_cli_rejects_tls_which_we_never_plan(gcp_preview):
    result = gcp_preview(lambda: AnyscaleMemorystore("ms", new()))
    inputs = {**result.one(REDIS).inputs, "transitEncryptionMode": "SERVER_AUTHENTICATION"}
    assert _verify(inputs)[0] is False
    assert _verify(result.one(REDIS).inputs, vpc="other-vpc")[0] is False


def test_every_argument_is_documented():
    import ast
    import inspect

    body = ast.parse(inspect.getsource(AnyscaleMemorystoreArgs)).body[0].body  # type: ignore[attr-defined]
    documented = {
        node.target.id: body[i + 1].value.value
        for i, node in enumerate(body[:-1])
        if isinstance(node, ast.AnnAssign) and isinstance(body[i + 1], ast.Expr) and isinstance(body[i + 1].value, ast.Constant)
    }
    assert set(documented) == set(AnyscaleMemorystoreArgs.model_fields)
    for field, doc in documented.items():
        assert re.search(r"Optional|Required|Defaults to", doc), field

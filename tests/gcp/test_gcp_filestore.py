"""AnyscaleFilestore: tiers and their capacity rules and location kinds, the file share,
the cloud VPC (also a Shared VPC's), bring-your-own, every error path; and the CLI's own
Filestore look-up and verification run on what we plan."""

from __future__ import annotations

import re
from types import SimpleNamespace
from unittest import mock

import pulumi
import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import AnyscaleFilestore, AnyscaleFilestoreArgs, FilestoreTier
from anyscale_infra.gcp.filestore import (
    ConnectMode,
    capacity_problem,
    check_share_name,
    network_reference,
)
from anyscale_infra.preview.engine import ProgramError
from program_errors import deploy_error

INSTANCE = "gcp:filestore/instance:Instance"
VPC = "anyscale-vpc"
SELF_LINK = "https://www.googleapis.com/compute/v1/projects/acme-ml-prod/global/networks/anyscale-vpc"


def new(**kwargs) -> AnyscaleFilestoreArgs:
    return AnyscaleFilestoreArgs(**{"region": "us-central1", "network": VPC, **kwargs})


def args_error(**kwargs) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleFilestoreArgs(**kwargs)
    return info.value


def new_error(**kwargs) -> InvalidArgsError:
    return args_error(**{"region": "us-central1", "network": VPC, **kwargs})


def component_outputs(result, name: str = "fs") -> dict:
    (urn,) = [u for u in result.component_outputs if u.endswith(f"AnyscaleFilestore::{name}")]
    return result.component_outputs[urn]


# --- A new instance -------------------------------------------------------------------------
def test_new_instance_defaults(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new()))
    instance = result.one(INSTANCE)
    assert instance.inputs == {
        "tier": "BASIC_HDD",
        "location": "us-central1-b",
        "fileShares": {"capacityGb": 1024, "name": "anyscale_vol"},
        "networks": [{"network": "anyscale-vpc", "modes": ["MODE_IPV4"], "connectMode": "DIRECT_PEERING"}],
        "description": "Anyscale cloud shared storage",
        "labels": {"managed-by": "anyscale-infra"},
    }
    assert instance.protect is True
    assert re.fullmatch(r"fs-filestore-[0-9a-f]{7}", instance.outputs["name"])


def test_outputs_are_the_register_flag_values(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(instance_name="anyscale-nfs")))
    assert result.one(INSTANCE).inputs["name"] == "anyscale-nfs"
    outputs = component_outputs(result)
    assert outputs["instance_id"] == "anyscale-nfs"  # --filestore-instance-id
    assert outputs["location"] == "us-central1-b"  # --filestore-location
    assert outputs["instance_name"] == "projects/acme-ml-prod/locations/us-central1-b/instances/anyscale-nfs"
    assert outputs["file_share_name"] == "anyscale_vol"
    assert len(outputs["ip_addresses"]) == 1


@pytest.mark.parametrize(
    "tier, capacity, location",
    [
        ("BASIC_HDD", 1024, "us-central1-b"),
        ("BASIC_SSD", 2560, "us-central1-b"),
        ("ZONAL", 1024, "us-central1-b"),
        ("REGIONAL", 1024, "us-central1"),
        ("ENTERPRISE", 1024, "us-central1"),
    ],
)
def test_each_tier_goes_in_a_zone_or_the_region(gcp_preview, tier, capacity, location):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(tier=tier, capacity_gb=capacity)))
    inputs = result.one(INSTANCE).inputs
    assert inputs["tier"] == tier
    assert inputs["location"] == location
    assert inputs["fileShares"]["capacityGb"] == capacity


def test_a_chosen_zone(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(tier=FilestoreTier.ZONAL, location="us-central1-f")))
    assert result.one(INSTANCE).inputs["location"] == "us-central1-f"


def test_a_regional_tier_in_the_region_given(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(tier="REGIONAL", location="us-central1")))
    assert result.one(INSTANCE).inputs["location"] == "us-central1"


def test_zone_outside_the_cloud_region():
    error = new_error(location="us-east1-b")
    assert error.fields == ["location"]
    assert "zone us-east1-b is not in region us-central1" in str(error)
    assert "must be in the cloud's region us-central1" in str(error)


def test_zonal_tier_given_a_region():
    error = new_error(tier="BASIC_SSD", capacity_gb=2560, location="us-central1")
    assert error.fields == ["location"]
    assert "BASIC_SSD is a zonal tier: give a zone of the cloud's region us-central1" in str(error)


@pytest.mark.parametrize("location, kind", [("us-central1-a", "a zone"), ("us-east1", "not the cloud's region")])
def test_regional_tier_given_another_location(location, kind):
    error = new_error(tier="ENTERPRISE", location=location)
    assert error.fields == ["location"]
    assert f"{location} is {kind}: ENTERPRISE is a regional tier and goes in the cloud's region us-central1" in str(error)


# --- Capacity: each tier's min, max and step, with a near miss on each side ------------------
RULES = {
    "BASIC_HDD": "BASIC_HDD takes 1024-65433 GiB in steps of 1 GiB",
    "BASIC_SSD": "BASIC_SSD takes 2560-65433 GiB in steps of 1 GiB",
    "ZONAL": "ZONAL takes 100-10239 GiB in steps of 1 GiB, or 10240-102400 GiB in steps of 2560 GiB",
    "REGIONAL": "REGIONAL takes 1024-10239 GiB in steps of 1 GiB, or 10240-102400 GiB in steps of 2560 GiB",
    "ENTERPRISE": "ENTERPRISE takes 1024-10240 GiB in steps of 256 GiB",
}


@pytest.mark.parametrize(
    "tier, capacity",
    [
        ("BASIC_HDD", 1024), ("BASIC_HDD", 1025), ("BASIC_HDD", 65433),
        ("BASIC_SSD", 2560), ("BASIC_SSD", 65433),
        ("ZONAL", 100), ("ZONAL", 10239), ("ZONAL", 10240), ("ZONAL", 12800), ("ZONAL", 102400),
        ("REGIONAL", 1024), ("REGIONAL", 10239), ("REGIONAL", 10240), ("REGIONAL", 102400),
        ("ENTERPRISE", 1024), ("ENTERPRISE", 1280), ("ENTERPRISE", 10240),
    ],
)
def test_capacity_accepted(tier, capacity):
    assert new(tier=tier, capacity_gb=capacity).capacity_gb == capacity


@pytest.mark.parametrize(
    "tier, capacity",
    [
        ("BASIC_HDD", 1023), ("BASIC_HDD", 65434),
        ("BASIC_SSD", 2559), ("BASIC_SSD", 65434),
        ("ZONAL", 99), ("ZONAL", 10241), ("ZONAL", 12799), ("ZONAL", 102401), ("ZONAL", 104960),
        ("REGIONAL", 1023), ("REGIONAL", 10241), ("REGIONAL", 104960),
        ("ENTERPRISE", 1023), ("ENTERPRISE", 1025), ("ENTERPRISE", 1279), ("ENTERPRISE", 10241), ("ENTERPRISE", 10496),
    ],
)
def test_capacity_refused_with_the_tiers_rule(tier, capacity):
    error = new_error(tier=tier, capacity_gb=capacity)
    assert error.fields == ["capacity_gb"]
    assert f"{capacity} GiB is not a {tier} capacity: {RULES[tier]}" in str(error)


def test_the_default_capacity_follows_the_tier():
    # BASIC_SSD starts at 2560: the default rises with it instead of failing on a field never set.
    assert new(tier="BASIC_SSD").effective_capacity_gb() == 2560
    assert new().effective_capacity_gb() == 1024
    assert new(tier="BASIC_SSD", capacity_gb=3000).effective_capacity_gb() == 3000
    assert capacity_problem(FilestoreTier.BASIC_HDD, 1024) is None


@pytest.mark.parametrize("legacy, current", [("STANDARD", "BASIC_HDD"), ("PREMIUM", "BASIC_SSD"), ("HIGH_SCALE_SSD", "ZONAL")])
def test_legacy_tiers_name_their_successor(legacy, current):
    error = new_error(tier=legacy)
    assert error.fields == ["tier"]
    assert f"{legacy} is a legacy Filestore tier; use {current}" in str(error)


def test_unknown_tier():
    error = new_error(tier="PLATINUM")
    assert error.fields == ["tier"]
    assert "'BASIC_HDD', 'BASIC_SSD', 'ZONAL', 'REGIONAL' or 'ENTERPRISE'" in str(error)


# --- File share -----------------------------------------------------------------------------
@pytest.mark.parametrize("share", ["a", "anyscale_vol", "A234567890123456", "vol_2"])
def test_share_names_accepted(gcp_preview, share):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(share_name=share)))
    assert result.one(INSTANCE).inputs["fileShares"]["name"] == share


@pytest.mark.parametrize("share", ["A2345678901234567", "2vol", "any-vol", "_vol", ""])
def test_share_names_refused(share):
    error = new_error(share_name=share)
    assert error.fields == ["share_name"]
    assert "must be 1 to 16 letters, digits and underscores, starting with a letter" in str(error)


def test_share_name_rule_pure():
    assert check_share_name("x" * 16) == "x" * 16
    with pytest.raises(ValueError):
        check_share_name("x" * 17)


# --- Network --------------------------------------------------------------------------------
def test_shared_vpc_uses_the_host_network_over_private_services_access(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(network_project="acme-net-host")))
    assert result.one(INSTANCE).inputs["networks"] == [
        {
            "network": "projects/acme-net-host/global/networks/anyscale-vpc",
            "modes": ["MODE_IPV4"],
            "connectMode": "PRIVATE_SERVICE_ACCESS",
        }
    ]


def test_shared_vpc_refuses_direct_peering():
    error = new_error(network_project="acme-net-host", connect_mode="DIRECT_PEERING")
    assert error.fields == ["connect_mode"]
    assert "a Shared VPC (network_project) needs PRIVATE_SERVICE_ACCESS" in str(error)


def test_private_services_access_without_a_shared_vpc(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(connect_mode=ConnectMode.PRIVATE_SERVICE_ACCESS)))
    assert result.one(INSTANCE).inputs["networks"][0]["connectMode"] == "PRIVATE_SERVICE_ACCESS"


def test_self_link_becomes_a_network_path(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(network=SELF_LINK)))
    assert result.one(INSTANCE).inputs["networks"][0]["network"] == "projects/acme-ml-prod/global/networks/anyscale-vpc"


def test_network_as_an_output(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(network=pulumi.Output.from_input(SELF_LINK))))
    assert result.one(INSTANCE).inputs["networks"][0]["network"] == "projects/acme-ml-prod/global/networks/anyscale-vpc"


def test_network_path_in_another_project_than_the_host():
    error = new_error(network=SELF_LINK, network_project="acme-net-host")
    assert error.fields == ["network_project"]
    assert "is in project acme-ml-prod, not in network_project acme-net-host" in str(error)


def test_network_name_rule():
    error = new_error(network="Anyscale_VPC")
    assert error.fields == ["network"]
    assert "RFC 1035" in str(error)


def test_network_reference_pure():
    assert network_reference("vpc") == "vpc"
    assert network_reference("vpc", "host-proj") == "projects/host-proj/global/networks/vpc"
    assert network_reference("projects/p1/global/networks/vpc") == "projects/p1/global/networks/vpc"


@pytest.mark.parametrize(
    "kwargs, value",
    [
        ({}, "10.20.0.0/29"),
        ({"tier": "ZONAL"}, "10.20.0.0/26"),
        ({"tier": "REGIONAL"}, "10.20.0.64/26"),
        ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, "anyscale-services-range"),
    ],
)
def test_reserved_ip_range_accepted(gcp_preview, kwargs, value):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(reserved_ip_range=value, **kwargs)))
    assert result.one(INSTANCE).inputs["networks"][0]["reservedIpRange"] == value


@pytest.mark.parametrize(
    "kwargs, value, phrase",
    [
        ({}, "10.20.0.0/28", "is not a /29 block (BASIC_HDD, DIRECT_PEERING)"),
        ({}, "10.20.0.0/30", "is not a /29 block"),
        ({"tier": "ZONAL"}, "10.20.0.0/29", "is not a /26 block (ZONAL, DIRECT_PEERING)"),
        ({"tier": "ZONAL"}, "10.20.0.0/25", "is not a /26 block"),
        ({}, "anyscale-range", "with DIRECT_PEERING, a CIDR block"),
        ({"connect_mode": "PRIVATE_SERVICE_ACCESS"}, "10.20.0.0/29", "the name of an allocated range"),
    ],
)
def test_reserved_ip_range_refused(kwargs, value, phrase):
    error = new_error(reserved_ip_range=value, **kwargs)
    assert error.fields == ["reserved_ip_range"]
    assert phrase in str(error)


# --- Required, names, labels, protection ----------------------------------------------------
def test_region_and_network_are_required_for_a_new_instance(gcp_preview):
    """AnyscaleGcpCloud fills them in, so the args build without them; the component refuses."""
    args = AnyscaleFilestoreArgs()
    assert sorted(p.field for p in args.wiring_problems()) == ["network", "region"]
    error = _deploy_error(gcp_preview, lambda: AnyscaleFilestore("fs", args))
    assert sorted(error.fields) == ["network", "region"]
    assert "is required for a new instance" in str(error)
    assert AnyscaleFilestoreArgs(region="us-central1", network="vpc").wiring_problems() == []
    assert AnyscaleFilestoreArgs(existing_instance_id="nfs", existing_location="us-central1").wiring_problems() == []

def _deploy_error(gcp_preview, program) -> InvalidArgsError:
    """The component refuses before any resource, with the library's own error (exit 2)."""
    with pytest.raises(ProgramError) as info:
        gcp_preview(program)
    assert info.value.kind == "validation"
    assert isinstance(info.value.cause, InvalidArgsError)
    return info.value.cause



def test_instance_name_rule():
    error = new_error(instance_name="Anyscale_NFS")
    assert error.fields == ["instance_name"]
    assert "RFC 1035" in str(error)


def test_auto_name_from_an_invalid_component_name(gcp_preview):
    error = deploy_error(gcp_preview, lambda: AnyscaleFilestore("FS", new()))
    assert error.fields == ["instance_name"]
    assert "auto-name from component name 'FS' is invalid" in str(error)


def test_labels_cloud_id_and_description(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(labels={"team": "ml"}, cloud_id="cld_XyZ")))
    inputs = result.one(INSTANCE).inputs
    assert inputs["labels"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_xyz"}
    assert inputs["description"] == "Anyscale cloud shared storage (cld_XyZ)"


def test_protect_can_be_turned_off(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(protect=False)))
    assert result.one(INSTANCE).protect is False


def test_project_is_passed_on(gcp_preview):
    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(project_id="acme-ml-dev", instance_name="nfs")))
    assert result.one(INSTANCE).inputs["project"] == "acme-ml-dev"
    assert component_outputs(result)["instance_name"] == "projects/acme-ml-dev/locations/us-central1-b/instances/nfs"


# --- Bring your own -------------------------------------------------------------------------
def test_existing_instance_creates_nothing(gcp_preview):
    args = AnyscaleFilestoreArgs(existing_instance_id="shared-nfs", existing_location="us-central1-c")
    result = gcp_preview(lambda: AnyscaleFilestore("fs", args))
    assert [r for r in result.resources if r.custom] == []
    outputs = component_outputs(result)
    assert outputs["instance_id"] == "shared-nfs"
    assert outputs["location"] == "us-central1-c"
    assert outputs["instance_name"] == "projects/acme-ml-prod/locations/us-central1-c/instances/shared-nfs"


def test_existing_regional_instance_in_a_given_project(gcp_preview):
    args = AnyscaleFilestoreArgs(existing_instance_id="shared-nfs", existing_location="us-central1", project_id="acme-data")
    result = gcp_preview(lambda: AnyscaleFilestore("fs", args))
    assert component_outputs(result)["instance_name"] == "projects/acme-data/locations/us-central1/instances/shared-nfs"


def test_existing_instance_in_another_region_warns(gcp_preview):
    args = AnyscaleFilestoreArgs(existing_instance_id="shared-nfs", existing_location="us-east1-b", region="us-central1")
    result = gcp_preview(lambda: AnyscaleFilestore("fs", args))
    assert any("outside the cloud's region us-central1" in w for w in result.warnings)


def test_existing_needs_both_id_and_location():
    assert args_error(existing_instance_id="shared-nfs").fields == ["existing_location"]
    assert args_error(existing_location="us-central1-c").fields == ["existing_instance_id"]
    error = args_error(existing_instance_id="shared-nfs", existing_location="central")
    assert error.fields == ["existing_location"]
    assert "is not a Google Cloud zone or region" in str(error)


def test_existing_instance_wants_the_short_id():
    error = args_error(
        existing_instance_id="projects/acme-ml-prod/locations/us-central1-c/instances/shared-nfs",
        existing_location="us-central1-c",
    )
    assert error.fields == ["existing_instance_id"]
    assert "give the short instance id" in str(error)


@pytest.mark.parametrize(
    "field, value",
    [("network", VPC), ("tier", "ZONAL"), ("capacity_gb", 2048), ("location", "us-central1-a"), ("share_name", "vol")],
)
def test_existing_instance_conflicts(field, value):
    error = args_error(existing_instance_id="shared-nfs", existing_location="us-central1-c", **{field: value})
    assert error.fields == [field]
    assert f"only one of existing_instance_id and {field} can be specified" in str(error)


# --- Contract: the CLI's own Filestore look-up and verification on what we plan -------------
def _planned_instance(result) -> SimpleNamespace:
    """The planned instance as the Filestore API would return it (``networks[].network`` as
    given; the name the provider's id reports)."""
    instance = result.one(INSTANCE)
    return SimpleNamespace(
        name=instance.id,
        networks=[
            SimpleNamespace(network=n["network"], ip_addresses=n.get("ipAddresses", ["10.0.0.2"]))
            for n in instance.outputs["networks"]
        ],
        file_shares=[SimpleNamespace(name=instance.inputs["fileShares"]["name"])],
    )


def _factory(planned: SimpleNamespace) -> tuple[SimpleNamespace, mock.Mock]:
    client = mock.Mock()
    client.get_instance.side_effect = lambda name: planned if name == planned.name else (_ for _ in ()).throw(LookupError(name))
    return SimpleNamespace(filestore_v1=SimpleNamespace(CloudFilestoreManagerClient=lambda: client)), client


@pytest.mark.parametrize("kwargs", [{}, {"network_project": "acme-net-host"}, {"tier": "REGIONAL"}], ids=["vpc", "shared-vpc", "regional"])
def test_cli_finds_and_verifies_the_instance_from_our_flags(gcp_preview, kwargs):
    """`cloud register` composes projects/<--project-id>/locations/<--filestore-location>/
    instances/<--filestore-instance-id>, looks it up, matches --vpc-name and the region."""
    from anyscale.gcp_verification import verify_filestore
    from anyscale.utils.gcp_utils import get_gcp_filestore_config

    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(**kwargs)))
    outputs = component_outputs(result)
    planned = _planned_instance(result)
    factory, client = _factory(planned)
    logger = mock.MagicMock()
    config = get_gcp_filestore_config(factory, "acme-ml-prod", VPC, outputs["location"], outputs["instance_id"], logger)
    client.get_instance.assert_called_once_with(name=outputs["instance_name"])
    assert config.instance_name == outputs["instance_name"]
    assert config.root_dir == "anyscale_vol"
    assert verify_filestore(factory, outputs["instance_name"], VPC, "us-central1", logger, strict=True) is True
    logger.internal.warning.assert_not_called()
    logger.internal.error.assert_not_called()


def test_cli_rejects_an_instance_on_another_vpc(gcp_preview):
    from anyscale.gcp_verification import verify_filestore

    result = gcp_preview(lambda: AnyscaleFilestore("fs", new(network="other-vpc")))
    factory, _ = _factory(_planned_instance(result))
    assert verify_filestore(factory, component_outputs(result)["instance_name"], VPC, "us-central1", mock.MagicMock()) is False


def test_every_argument_is_documented():
    import ast
    import inspect

    body = ast.parse(inspect.getsource(AnyscaleFilestoreArgs)).body[0].body  # type: ignore[attr-defined]
    documented = {
        node.target.id: body[i + 1].value.value
        for i, node in enumerate(body[:-1])
        if isinstance(node, ast.AnnAssign) and isinstance(body[i + 1], ast.Expr) and isinstance(body[i + 1].value, ast.Constant)
    }
    assert set(documented) == set(AnyscaleFilestoreArgs.model_fields)
    for field, doc in documented.items():
        assert re.search(r"Optional|Required|Defaults to", doc), field


def test_a_network_of_another_project_is_a_shared_vpc():
    error = new_error(network="projects/acme-net-host/global/networks/anyscale-vpc", project_id="acme-ml-prod")
    assert error.fields == ["network_project"]
    assert "a Shared VPC network; set network_project='acme-net-host'" in str(error)
    # Named as such, it is accepted (and goes over private services access).
    args = new(network="projects/acme-net-host/global/networks/anyscale-vpc", project_id="acme-ml-prod", network_project="acme-net-host")
    assert args.network_project == "acme-net-host"


@pytest.mark.parametrize(
    "tier, capacity",
    [("BASIC_HDD", 1024), ("BASIC_SSD", 2560), ("ZONAL", 1024), ("REGIONAL", 1024), ("ENTERPRISE", 1024)],
)
def test_a_tier_without_a_capacity_gets_anyscales_1024_or_the_tiers_smallest(gcp_preview, tier, capacity):
    args = new(tier=tier, **({"location": "us-central1"} if tier in ("REGIONAL", "ENTERPRISE") else {}))
    result = gcp_preview(lambda: AnyscaleFilestore("fs", args))
    assert result.one(INSTANCE).inputs["fileShares"]["capacityGb"] == capacity

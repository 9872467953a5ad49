"""GcpRegisterArgs: flags, order, the real CLI's parser and rules (offline), and the
resource file the CLI's own `CloudDeployment` reads back."""

from __future__ import annotations

import shlex

import pytest
import yaml
from anyscale.client.openapi_client.models import CloudDeployment, FileStorage, GCPConfig, ObjectStorage
from anyscale.client.openapi_client.models.compute_stack import ComputeStack
from anyscale.commands.cloud_commands import register_cloud
from anyscale.controllers.cloud_controller import CloudController
from click import ClickException

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp.register import GcpRegisterArgs

PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws"
BASE = dict(
    name="ml-prod",
    region="us-central1",
    project_id="acme-ml-prod",
    vpc_name="anyscale-vpc",
    subnet_names=["anyscale-subnet"],
    firewall_policy_names=["anyscale-firewall"],
    cloud_storage_bucket_name="acme-ml-anyscale",
    anyscale_service_account_email="anyscale-access@acme-ml-prod.iam.gserviceaccount.com",
    instance_service_account_email="anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com",
    provider_name=PROVIDER,
)
FULL = dict(
    **BASE,
    filestore_instance_id="anyscale-nfs",
    filestore_location="us-central1-b",
    memorystore_instance_name="projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis",
    host_project_id="acme-network-host",
    private_network=True,
)


def test_minimal_command_has_the_clis_flags_in_order():
    assert GcpRegisterArgs(**BASE).command() == (
        "anyscale cloud register --provider gcp --name ml-prod --project-id acme-ml-prod "
        "--vpc-name anyscale-vpc --subnet-names anyscale-subnet --region us-central1 "
        "--firewall-policy-names anyscale-firewall --cloud-storage-bucket-name gs://acme-ml-anyscale "
        "--anyscale-service-account-email anyscale-access@acme-ml-prod.iam.gserviceaccount.com "
        "--instance-service-account-email anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com "
        f"--provider-name {PROVIDER}"
    )


def test_optional_flags_appear_only_when_set():
    flags = GcpRegisterArgs(**FULL).flags()
    assert list(flags) == [
        "--provider", "--name", "--project-id", "--vpc-name", "--subnet-names", "--region",
        "--firewall-policy-names", "--cloud-storage-bucket-name", "--filestore-instance-id", "--filestore-location",
        "--anyscale-service-account-email", "--instance-service-account-email", "--provider-name",
        "--memorystore-instance-name", "--host-project-id", "--private-network",
    ]
    assert flags["--private-network"] is True
    assert GcpRegisterArgs(**FULL).argv()[-1] == "--private-network"


@pytest.mark.parametrize("args", [BASE, FULL, {**FULL, "private_network": False, "host_project_id": None}])
def test_the_real_cli_parses_every_flag_into_the_parameter_we_mean(args):
    model = GcpRegisterArgs(**args)
    argv = shlex.split(model.command())
    params = register_cloud.make_context("register", argv[3:]).params
    assert params["provider"] == "gcp"
    assert params["name"] == args["name"]
    assert params["region"] == args["region"]
    assert params["project_id"] == args["project_id"]
    assert params["vpc_name"] == args["vpc_name"]
    assert params["subnet_names"] == ",".join(args["subnet_names"])
    assert params["firewall_policy_names"] == ",".join(args["firewall_policy_names"])
    assert params["cloud_storage_bucket_name"] == "gs://" + args["cloud_storage_bucket_name"]
    assert params["anyscale_service_account_email"] == args["anyscale_service_account_email"]
    assert params["instance_service_account_email"] == args["instance_service_account_email"]
    assert params["provider_name"] == args["provider_name"]
    assert params["filestore_instance_id"] == args.get("filestore_instance_id")
    assert params["filestore_location"] == args.get("filestore_location")
    assert params["memorystore_instance_name"] == args.get("memorystore_instance_name")
    assert params["host_project_id"] == args.get("host_project_id")
    assert params["private_network"] is bool(args.get("private_network"))


def test_the_clis_own_gcp_rules_accept_what_we_emit():
    model = GcpRegisterArgs(**FULL)
    config = GCPConfig(
        project_id=model.project_id, host_project_id=model.host_project_id, provider_name=model.provider_name,
        memorystore_instance_name=model.memorystore_instance_name,
    )
    CloudController._validate_gcp_config(None, ComputeStack.VM, config)  # raises ClickException if not


def test_the_clis_rules_reject_a_provider_name_with_the_project_id_and_so_do_we():
    wrong = "projects/acme-ml-prod/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws"
    with pytest.raises(ClickException):
        CloudController._validate_gcp_config(None, ComputeStack.VM, GCPConfig(project_id="acme-ml-prod", provider_name=wrong))
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**{**BASE, "provider_name": wrong})
    assert info.value.fields == ["provider_name"]
    assert "the CLI wants the project NUMBER" in str(info.value)


@pytest.mark.parametrize(
    "field, value, needle",
    [
        ("project_id", "123456789012", "that is a project NUMBER"),
        ("project_id", "1acme-ml", "starting with a letter"),
        ("project_id", "acme", "6 to 30"),
        ("host_project_id", "9host-project", "host project id"),
        ("region", "us-central", "is not a Google Cloud region"),
        ("vpc_name", "Anyscale_VPC", "VPC name"),
        ("subnet_names", [], "needs one name"),
        ("subnet_names", ["a-subnet", "a-subnet"], "lists a-subnet more than once"),
        ("firewall_policy_names", [], "needs one name"),
        ("cloud_storage_bucket_name", "gs://Upper", "Cloud Storage naming rules"),
        ("cloud_storage_bucket_name", "goog-data", "must not start with 'goog'"),
        ("anyscale_service_account_email", "anyscale-access@gmail.com", "is not a service account email"),
        ("instance_service_account_email", "short@acme-ml-prod.iam.gserviceaccount.com", "is not a service account email"),
        ("provider_name", "projects/123456789012/locations/global/workloadIdentityPools/anyscale-pool", "is not a workload identity provider name"),
        ("memorystore_instance_name", "anyscale-redis", "is not a Memorystore instance name"),
        ("name", "has space", "cloud name"),
    ],
)
def test_bad_values_name_the_field_and_the_rule(field, value, needle):
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**{**BASE, field: value})
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_filestore_needs_both_fields_and_the_clouds_region():
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**BASE, filestore_instance_id="anyscale-nfs")
    assert info.value.fields == ["filestore_location"]
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**BASE, filestore_location="us-central1-a")
    assert info.value.fields == ["filestore_instance_id"]
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**BASE, filestore_instance_id="anyscale-nfs", filestore_location="europe-west4-a")
    assert info.value.fields == ["filestore_location"]
    assert "is not in the cloud's region us-central1" in str(info.value)
    # A zone of a region whose name merely starts like the cloud's is another region.
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**BASE, filestore_instance_id="anyscale-nfs", filestore_location="us-central10-a")
    assert info.value.fields == ["filestore_location"]
    # A regional tier's location is the region itself.
    assert GcpRegisterArgs(**BASE, filestore_instance_id="nfs", filestore_location="us-central1").filestore_location == "us-central1"


def test_memorystore_in_another_region_is_rejected():
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**BASE, memorystore_instance_name="projects/acme-ml-prod/locations/us-east1/instances/r")
    assert info.value.fields == ["memorystore_instance_name"]


def test_several_subnets_are_an_advisory_the_cli_uses_the_first():
    model = GcpRegisterArgs(**{**BASE, "subnet_names": ["a-subnet", "b-subnet"]})
    assert model.flags()["--subnet-names"] == "a-subnet,b-subnet"
    assert model.advisories() == ["subnet_names: `cloud register` uses only the first and ignores the rest (its verifier warns)"]
    assert GcpRegisterArgs(**BASE).advisories() == []


def _deployment(text: str) -> CloudDeployment:
    """Read a resource file the way `anyscale cloud register --resource-file` does."""
    spec = yaml.safe_load(text)
    deployment = CloudDeployment(**spec)
    if deployment.file_storage:
        deployment.file_storage = FileStorage(**deployment.file_storage)
    deployment.object_storage = ObjectStorage(**deployment.object_storage)
    deployment.gcp_config = GCPConfig(**deployment.gcp_config)
    return deployment


def test_the_resource_file_is_the_deployment_the_cli_builds_from_the_flags():
    deployment = _deployment(GcpRegisterArgs(**FULL).resource_file_yaml())
    assert deployment.name == "ml-prod"
    assert deployment.provider == "GCP"
    assert deployment.compute_stack == "VM"
    assert deployment.region == "us-central1"
    assert deployment.networking_mode == "PRIVATE"
    assert deployment.object_storage.bucket_name == "gs://acme-ml-anyscale"
    # register_cloud composes the full Filestore name from the project, location and id.
    assert deployment.file_storage.file_storage_id == "projects/acme-ml-prod/locations/us-central1-b/instances/anyscale-nfs"
    config = deployment.gcp_config
    assert config.project_id == "acme-ml-prod"
    assert config.host_project_id == "acme-network-host"
    assert config.provider_name == PROVIDER
    assert config.vpc_name == "anyscale-vpc"
    assert config.subnet_names == ["anyscale-subnet"]
    assert config.firewall_policy_names == ["anyscale-firewall"]
    assert config.anyscale_service_account_email == "anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
    assert config.cluster_service_account_email == "anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com"
    assert config.memorystore_instance_name == "projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis"


def test_the_minimal_resource_file_leaves_unset_fields_out():
    text = GcpRegisterArgs(**BASE).resource_file_yaml()
    spec = yaml.safe_load(text)
    assert "file_storage" not in spec and spec["networking_mode"] == "PUBLIC"
    assert set(spec["gcp_config"]) == {
        "project_id", "provider_name", "vpc_name", "subnet_names", "firewall_policy_names",
        "anyscale_service_account_email", "cluster_service_account_email",
    }
    assert _deployment(text).file_storage is None

"""GcpK8sRegisterArgs: the flags of `anyscale cloud register --provider gcp --compute-stack k8s`,
their order, the real CLI's parser, and the resource file — the same CloudDeployment the CLI
builds from the flags (both routes run through the CLI's own `register_cloud`)."""

from __future__ import annotations

import shlex

import pytest
import yaml
from anyscale.client.openapi_client.models import CloudDeployment, FileStorage, GCPConfig, KubernetesConfig, ObjectStorage
from anyscale.commands.cloud_commands import register_cloud
from click.testing import CliRunner

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp.register import GcpK8sRegisterArgs, GcpRegisterArgs

OPERATOR = "anyscale-operator@acme-ml-prod.iam.gserviceaccount.com"
BASE = dict(
    name="ml-prod",
    region="us-central1",
    project_id="acme-ml-prod",
    cloud_storage_bucket_name="acme-ml-anyscale",
    kubernetes_zones=["us-central1-a", "us-central1-b"],
    anyscale_operator_iam_identity=OPERATOR,
)
FULL = dict(
    **BASE,
    vpc_name="anyscale-vpc",
    filestore_instance_id="anyscale-nfs",
    filestore_location="us-central1-b",
    memorystore_instance_name="projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis",
    private_network=True,
)
PVC = dict(**BASE, vpc_name="anyscale-vpc", persistent_volume_claim="anyscale-shared", kubernetes_redis_endpoint="redis.ray:6379")


def test_minimal_command_is_the_clis_k8s_flags_in_order():
    assert GcpK8sRegisterArgs(**BASE).command() == (
        "anyscale cloud register --provider gcp --compute-stack k8s --name ml-prod --region us-central1 "
        "--project-id acme-ml-prod --cloud-storage-bucket-name gs://acme-ml-anyscale "
        "--kubernetes-zones us-central1-a,us-central1-b "
        f"--anyscale-operator-iam-identity {OPERATOR}"
    )


def test_full_command_adds_the_vpc_filestore_memorystore_and_private_network():
    model = GcpK8sRegisterArgs(**FULL)
    assert model.command() == (
        "anyscale cloud register --provider gcp --compute-stack k8s --name ml-prod --region us-central1 "
        "--project-id acme-ml-prod --vpc-name anyscale-vpc --cloud-storage-bucket-name gs://acme-ml-anyscale "
        "--filestore-instance-id anyscale-nfs --filestore-location us-central1-b "
        "--memorystore-instance-name projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis "
        "--kubernetes-zones us-central1-a,us-central1-b "
        f"--anyscale-operator-iam-identity {OPERATOR} --private-network"
    )
    assert model.flags()["--private-network"] is True
    assert model.argv()[-1] == "--private-network"


@pytest.mark.parametrize("args", [BASE, FULL, PVC], ids=["base", "full", "pvc"])
def test_the_real_cli_parses_every_flag_into_the_parameter_we_mean(args):
    argv = shlex.split(GcpK8sRegisterArgs(**args).command())
    params = register_cloud.make_context("register", argv[3:]).params
    assert (params["provider"], str(params["compute_stack"]).upper()) == ("gcp", "K8S")
    assert params["name"] == "ml-prod" and params["region"] == "us-central1"
    assert params["project_id"] == "acme-ml-prod"
    assert params["cloud_storage_bucket_name"] == "gs://acme-ml-anyscale"
    assert params["kubernetes_zones"] == "us-central1-a,us-central1-b"
    assert params["anyscale_operator_iam_identity"] == OPERATOR
    assert params["vpc_name"] == args.get("vpc_name")
    # --filestore-instance-id (the VM model's spelling too); the CLI takes it as --file-storage-id.
    assert params["filestore_instance_id"] == args.get("filestore_instance_id")
    assert params["file_storage_id"] is None
    assert params["filestore_location"] == args.get("filestore_location")
    assert params["memorystore_instance_name"] == args.get("memorystore_instance_name")
    assert params["persistent_volume_claim"] == args.get("persistent_volume_claim")
    assert params["kubernetes_redis_endpoint"] == args.get("kubernetes_redis_endpoint")
    assert params["private_network"] is bool(args.get("private_network"))
    # Nothing of the VM stack.
    for vm_only in ("subnet_names", "firewall_policy_names", "provider_name", "anyscale_service_account_email"):
        assert params[vm_only] is None


@pytest.fixture
def cli_deployment(monkeypatch, tmp_path):
    """``run(argv)``: the ``CloudDeployment`` the real ``register_cloud`` hands to the
    controller (offline: the controller and the feature-flag lookup are stubbed)."""
    import anyscale.commands.cloud_commands as commands

    captured: dict = {}

    class Controller:
        def register_gcp_cloud(self, **kwargs):
            captured.update(kwargs)

    monkeypatch.setattr(commands, "CloudController", Controller)
    monkeypatch.setattr(commands, "allow_optional_file_storage", lambda *a, **k: True)

    def run(argv: list[str]) -> CloudDeployment:
        captured.clear()
        outcome = CliRunner().invoke(commands.register_cloud, argv)
        assert outcome.exit_code == 0, (outcome.output, outcome.exception)
        return captured["cloud_resource"]

    return run


@pytest.mark.parametrize("args", [BASE, FULL, PVC], ids=["base", "full", "pvc"])
def test_the_resource_file_is_the_deployment_the_cli_builds_from_the_flags(args, cli_deployment, tmp_path):
    model = GcpK8sRegisterArgs(**args)
    from_flags = cli_deployment(model.argv()[3:]).to_dict()
    path = tmp_path / "cloud.yaml"
    path.write_text(model.resource_file_yaml())
    from_file = cli_deployment(["--name", "ml-prod", "--resource-file", str(path)]).to_dict()
    # The flags route carries the name separately; the file names the deployment.
    assert from_file.pop("name") == "ml-prod" and from_flags.pop("name") is None
    assert from_file == from_flags


def test_the_resource_file_reads_back_into_the_clis_models():
    model = GcpK8sRegisterArgs(**FULL)
    deployment = CloudDeployment(**yaml.safe_load(model.resource_file_yaml()))
    assert (deployment.provider, deployment.compute_stack, deployment.region) == ("GCP", "K8S", "us-central1")
    assert deployment.networking_mode == "PRIVATE"
    assert ObjectStorage(**deployment.object_storage).bucket_name == "gs://acme-ml-anyscale"
    storage = FileStorage(**deployment.file_storage)
    assert storage.file_storage_id == "projects/acme-ml-prod/locations/us-central1-b/instances/anyscale-nfs"
    config = GCPConfig(**deployment.gcp_config)
    assert (config.project_id, config.vpc_name) == ("acme-ml-prod", "anyscale-vpc")
    assert config.memorystore_instance_name == FULL["memorystore_instance_name"]
    assert config.subnet_names == [] and config.firewall_policy_names == [] and config.provider_name is None
    k8s = KubernetesConfig(**deployment.kubernetes_config)
    assert k8s.anyscale_operator_iam_identity == OPERATOR
    assert k8s.zones == ["us-central1-a", "us-central1-b"]


def test_the_vm_register_args_are_unchanged():
    """The VM model still says --filestore-instance-id and takes no K8s field."""
    vm = GcpRegisterArgs(
        name="ml-prod", region="us-central1", project_id="acme-ml-prod", vpc_name="anyscale-vpc",
        subnet_names=["anyscale-subnet"], firewall_policy_names=["anyscale-firewall"],
        cloud_storage_bucket_name="acme-ml-anyscale",
        anyscale_service_account_email="anyscale-access@acme-ml-prod.iam.gserviceaccount.com",
        instance_service_account_email="anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com",
        provider_name="projects/123456789012/locations/global/workloadIdentityPools/p-ool/providers/p-rov",
        filestore_instance_id="anyscale-nfs", filestore_location="us-central1-b",
    )
    assert "--filestore-instance-id" in vm.flags() and "--compute-stack" not in vm.flags()
    with pytest.raises(InvalidArgsError) as info:
        GcpRegisterArgs(**{**vm.model_dump(), "kubernetes_zones": ["us-central1-a"]})
    assert info.value.fields == ["kubernetes_zones"]


@pytest.mark.parametrize(
    "overrides, field, needle",
    [
        ({"anyscale_operator_iam_identity": "arn:aws:iam::123456789012:role/anyscale-operator"}, "anyscale_operator_iam_identity",
         "is an ARN; on GCP the operator's identity is a service account email"),
        ({"anyscale_operator_iam_identity": "anyscale-operator@gmail.com"}, "anyscale_operator_iam_identity", "is not a service account email"),
        ({"anyscale_operator_iam_identity": None}, "anyscale_operator_iam_identity", "is required on GKE"),
        ({"kubernetes_zones": ["us-east1-b"]}, "kubernetes_zones", "zone us-east1-b is not in region us-central1"),
        ({"kubernetes_zones": ["us-central1"]}, "kubernetes_zones", "is not a Google Cloud zone"),
        ({"kubernetes_zones": []}, "kubernetes_zones", "is required on GKE"),
        ({"kubernetes_zones": ["us-central1-a", "us-central1-a"]}, "kubernetes_zones", "more than once"),
        ({"project_id": "123456789012"}, "project_id", "that is a project NUMBER"),
        ({"region": "us-central"}, "region", "is not a Google Cloud region"),
        ({"cloud_storage_bucket_name": "gs://Upper"}, "cloud_storage_bucket_name", "Cloud Storage naming rules"),
        ({"vpc_name": "Bad_VPC"}, "vpc_name", "VPC name"),
        ({"memorystore_instance_name": "projects/acme-ml-prod/locations/europe-west4/instances/r"}, "memorystore_instance_name",
         "is in europe-west4, not in the cloud's region us-central1"),
    ],
)
def test_bad_values_name_the_field_and_the_rule(overrides, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        GcpK8sRegisterArgs(**{**BASE, **overrides})
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_filestore_needs_both_fields_the_vpc_and_the_clouds_region():
    with_vpc = {**BASE, "vpc_name": "anyscale-vpc"}
    with pytest.raises(InvalidArgsError) as info:
        GcpK8sRegisterArgs(**with_vpc, filestore_instance_id="anyscale-nfs")
    assert info.value.fields == ["filestore_location"]
    with pytest.raises(InvalidArgsError) as info:
        GcpK8sRegisterArgs(**with_vpc, filestore_instance_id="anyscale-nfs", filestore_location="europe-west4-a")
    assert info.value.fields == ["filestore_location"] and "is not in the cloud's region us-central1" in str(info.value)
    # register_gcp_cloud on K8s: "Please provide the name of the VPC that your Kubernetes cluster is running inside of."
    with pytest.raises(InvalidArgsError) as info:
        GcpK8sRegisterArgs(**BASE, filestore_instance_id="anyscale-nfs", filestore_location="us-central1-b")
    assert info.value.fields == ["vpc_name"] and "mount IP" in str(info.value)
    # A regional tier's location is the region itself.
    GcpK8sRegisterArgs(**with_vpc, filestore_instance_id="anyscale-nfs", filestore_location="us-central1")


def test_filestore_is_one_shared_storage_with_the_pvc_and_csi_driver():
    with pytest.raises(InvalidArgsError) as info:
        GcpK8sRegisterArgs(
            **FULL | {"private_network": False}, persistent_volume_claim="anyscale-shared",
        )
    assert info.value.fields == ["persistent_volume_claim"]
    assert "exclusive with filestore_instance_id" in str(info.value)


def test_the_clis_two_filestore_spellings_register_the_same_deployment(cli_deployment):
    """We print --filestore-instance-id (as the VM model); the anchor's --file-storage-id is the same to the CLI."""
    argv = GcpK8sRegisterArgs(**FULL).argv()[3:]
    anchor = ["--file-storage-id" if word == "--filestore-instance-id" else word for word in argv]
    assert anchor != argv
    assert cli_deployment(anchor).to_dict() == cli_deployment(argv).to_dict()

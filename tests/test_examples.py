"""Every example (and the root project) previews offline with exit 0, and prints the exact
register command. The values are the engine's deterministic preview values, derived from
URNs: a change to one of these strings means a resource was renamed — and would be replaced
by `pulumi up` — so look twice before updating them."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from anyscale.commands.cloud_commands import register_cloud
from click.testing import CliRunner

from anyscale_infra.cli import main
from anyscale_infra.preview import run_program

ROOT = Path(__file__).resolve().parents[1]
ORG = "org_previewOnly0000000000"


def _command(*parts: str) -> str:
    return " ".join(parts)


EXPECTED = {
    "examples/aws-direct": _command(
        "anyscale cloud register --provider aws --name preview --region us-west-2",
        "--vpc-id vpc-0d8d9ce85b0ad5b05",
        "--subnet-ids subnet-0668785e623ee9104,subnet-044c28090a47a7019,subnet-053db0f73bc310796",
        "--security-group-ids sg-05e59feb57dab5546",
        "--cloud-storage-bucket-name s3://anyscale-bucket-e42cc71",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-afca7c2",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-fe55fb6",
        "--file-storage-id fs-009081232173584bf",
        f"--external-id {ORG}-TdmjFWCzdGjaV4OwOImKJtzooHGAz7Me",
    ),
    "examples/aws-private": _command(
        "anyscale cloud register --provider aws --name preview --region us-east-1",
        "--vpc-id vpc-0d1abda4eed711a8c",
        "--subnet-ids subnet-0f5bc177eca3fc0a4,subnet-0a4df58a170e89aab,subnet-0b8f71ac7b31317fe",
        "--security-group-ids sg-0639f91b643be891c",
        "--cloud-storage-bucket-name s3://anyscale-bucket-84c2a9e",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-a73dc10",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-9f55a15",
        "--file-storage-id fs-06d129cd180be3462",
        "--memorydb-cluster-id anyscale-cluster-b074e70",
        f"--external-id {ORG}-k4g73Ixth56PkXdC5hz79OAEk0Ret9lA",
        "--private-network",
    ),
    "examples/aws-existing-vpc": _command(
        "anyscale cloud register --provider aws --name preview --region eu-west-1",
        "--vpc-id vpc-0a1b2c3d4e5f60001",
        "--subnet-ids subnet-0a1b2c3d4e5f60011,subnet-0a1b2c3d4e5f60012",
        "--security-group-ids sg-0c44b24f4907ebf6d",
        "--cloud-storage-bucket-name s3://acme-ml-anyscale-data",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-22050df",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-59bc808",
        "--file-storage-id fs-011f20bd43afa708d",
        f"--external-id {ORG}-A6k9SHE0Kr91FO9qxn9R8jSh3vggAHxX",
    ),
    "examples/aws-scoped": _command(
        "anyscale cloud register --provider aws --name preview --region us-west-2",
        "--vpc-id vpc-05a3aa0a1173dbde6",
        "--subnet-ids subnet-04c3c4ddcd347dc01,subnet-0b03db3a67270419b,subnet-01928b059bab2c148",
        "--security-group-ids sg-0df770636e353c04a",
        "--cloud-storage-bucket-name s3://anyscale-bucket-3437786",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-e5b93fb",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-4ee7baf",
        "--file-storage-id fs-0ca07564186a2fe10",
        f"--external-id {ORG}-kL07tx7L7ihT79gSUG1hfSbCMY6zcDjo",
    ),
    "examples/aws-in-your-program": _command(
        # The region of the program's own provider (us-east-2), not the default one.
        "anyscale cloud register --provider aws --name ml-preview --region us-east-2",
        "--vpc-id vpc-01dc1ab441342fab6",
        "--subnet-ids subnet-0962d0843ce63eabe,subnet-0b20f48f87ea0fc31",
        "--security-group-ids sg-0d20fb18b65787d1d",
        "--cloud-storage-bucket-name s3://anyscale-bucket-369eafb",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-57e394a",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-c486acc",
        "--file-storage-id fs-003b70a7ea7a2d9ff",
        f"--external-id {ORG}-FgTsg00Ck5GXAXv6qF2UH3VAxOt3VNqb",
    ),
    "examples/gcp-direct": _command(
        "anyscale cloud register --provider gcp --name preview --project-id acme-ml-prod",
        "--vpc-name anyscale-vpc-e02c516 --subnet-names anyscale-subnet-05e1fae --region us-central1",
        "--firewall-policy-names anyscale-policy-26ea303",
        "--cloud-storage-bucket-name gs://anyscale-bucket-035a019",
        "--filestore-instance-id anyscale-filestore-6df0aef --filestore-location us-central1-b",
        "--anyscale-service-account-email anyscale-access@acme-ml-prod.iam.gserviceaccount.com",
        "--instance-service-account-email anyscale-cluster@acme-ml-prod.iam.gserviceaccount.com",
        # The project NUMBER (the preview's stand-in for acme-ml-prod's), not its id.
        "--provider-name projects/364490735216/locations/global/workloadIdentityPools/anyscale-access-pool/providers/anyscale-access",
    ),
    "examples/gcp-private": _command(
        "anyscale cloud register --provider gcp --name preview --project-id acme-ml-prod",
        "--vpc-name anyscale-vpc-81180c0 --subnet-names anyscale-subnet-b63d9b2 --region europe-west4",
        "--firewall-policy-names anyscale-policy-9007dd4",
        "--cloud-storage-bucket-name gs://anyscale-bucket-8754e14",
        "--filestore-instance-id anyscale-filestore-336bcaa --filestore-location europe-west4-b",
        "--anyscale-service-account-email anyscale-access@acme-ml-prod.iam.gserviceaccount.com",
        "--instance-service-account-email anyscale-cluster@acme-ml-prod.iam.gserviceaccount.com",
        "--provider-name projects/364490735216/locations/global/workloadIdentityPools/anyscale-access-pool/providers/anyscale-access",
        "--memorystore-instance-name projects/acme-ml-prod/locations/europe-west4/instances/anyscale-redis-1ae5887",
        "--private-network",
    ),
    "examples/gcp-existing-vpc": _command(
        "anyscale cloud register --provider gcp --name preview --project-id acme-ml-prod",
        "--vpc-name shared-vpc --subnet-names ml-us-east1 --region us-east1",
        "--firewall-policy-names anyscale-policy-374f541",
        "--cloud-storage-bucket-name gs://anyscale-bucket-8ad86c5",
        "--filestore-instance-id anyscale-filestore-4f20aba --filestore-location us-east1-b",
        "--anyscale-service-account-email anyscale-access@acme-ml-prod.iam.gserviceaccount.com",
        "--instance-service-account-email anyscale-cluster@acme-ml-prod.iam.gserviceaccount.com",
        "--provider-name projects/364490735216/locations/global/workloadIdentityPools/anyscale-access-pool/providers/anyscale-access",
        "--host-project-id acme-network-host",
    ),
    "examples/eks": _command(
        "anyscale cloud register --provider aws --compute-stack k8s --name preview --region us-west-2",
        "--cloud-storage-bucket-name s3://anyscale-bucket-7f06816 --file-storage-id fs-0becbf6f87accfdad",
        "--kubernetes-zones us-west-2a,us-west-2b,us-west-2c",
        "--anyscale-operator-iam-identity arn:aws:iam::000000000000:role/anyscale-operator-role-911b1ef",
    ),
    "examples/gke": _command(
        "anyscale cloud register --provider gcp --compute-stack k8s --name preview --region us-central1",
        "--project-id acme-ml-prod --vpc-name anyscale-vpc-95ca5f4 --cloud-storage-bucket-name gs://anyscale-bucket-0aa0ffb",
        "--filestore-instance-id anyscale-filestore-256dc19 --filestore-location us-central1-b",
        "--kubernetes-zones us-central1-a,us-central1-b,us-central1-c",
        "--anyscale-operator-iam-identity anyscale-operator@acme-ml-prod.iam.gserviceaccount.com",
    ),
    # Native registration through Azure Resource Manager: no register command.
    "examples/azure-aks": None,
    "examples/azure-existing-aks": None,
    "examples/k8s-existing-cluster": _command(
        "anyscale cloud register --provider generic --compute-stack k8s --name preview --region default",
        "--cloud-storage-bucket-name s3://anyscale-preview-bucket",
        "--cloud-storage-bucket-endpoint https://storage.example.internal",
        "--kubernetes-zones zone-a,zone-b",
    ),
    ".": _command(
        "anyscale cloud register --provider aws --name preview --region us-west-2",
        "--vpc-id vpc-0d74682fff68bfd4f",
        "--subnet-ids subnet-07dad0bb531a0b0e1,subnet-018e8d116b183f901,subnet-019b3162a7d85ab10",
        "--security-group-ids sg-05555e7b7955d972b",
        "--cloud-storage-bucket-name s3://anyscale-bucket-fbf85c3",
        "--anyscale-iam-role-id arn:aws:iam::000000000000:role/anyscale-anyscale-role-46b5790",
        "--instance-iam-role-id arn:aws:iam::000000000000:role/anyscale-instance-role-25ac119",
        "--file-storage-id fs-0e5d14cf774b0d38c",
        f"--external-id {ORG}-TkdeZaeIL0qWrgeS6ZJBjpgh5ZUg6plI",
    ),
}

PROGRAMS = sorted(EXPECTED)


def test_every_example_directory_is_covered():
    examples = {f"examples/{p.name}" for p in (ROOT / "examples").iterdir() if (p / "Pulumi.yaml").exists()}
    assert examples == set(EXPECTED) - {"."}


@pytest.fixture(scope="module")
def previews():
    return {program: run_program(ROOT / program) for program in PROGRAMS}


#: The Kubernetes examples (`--compute-stack k8s`) and their provider.
K8S_PROGRAMS = {"examples/eks": "aws", "examples/gke": "gcp", "examples/k8s-existing-cluster": "generic",
                "examples/azure-aks": "azure", "examples/azure-existing-aks": "azure"}
#: Registered natively (Anyscale.Platform/clouds), not by `cloud register`.
NATIVE_PROGRAMS = {"examples/azure-aks", "examples/azure-existing-aks"}
#: What an example bringing its own cluster and storage is told (and nothing else).
EXPECTED_WARNINGS = {
    "examples/azure-existing-aks": [
        "existing cluster /subscriptions/6f1c2e1a-93a5-4f7e-a2c9-1b0e5d6c7f80/resourceGroups/ml-platform/providers/"
        "Microsoft.ContainerService/managedClusters/ml-aks: Anyscale pods land only on node pools with the chart's labels and taints",
        "existing_account_name mlplatformdata01: its CORS rule is yours to keep",
    ],
}


def _provider(program: str) -> str:
    if program in K8S_PROGRAMS:
        return K8S_PROGRAMS[program]
    return "gcp" if program.startswith("examples/gcp-") else "aws"


def _expected_warnings(program: str) -> list[str]:
    """A Kubernetes example's first step says the operator release waits for the id."""
    from anyscale_infra.kubernetes.operator import NO_DEPLOYMENT_ID_WARNING

    if program in NATIVE_PROGRAMS:
        return EXPECTED_WARNINGS.get(program, [])  # one `pulumi up`: no second step to wait for
    return [NO_DEPLOYMENT_ID_WARNING] if program in K8S_PROGRAMS else []


@pytest.mark.parametrize("program", PROGRAMS)
def test_example_prints_the_exact_register_command(previews, program):
    result = previews[program]
    assert result.outputs.get("register_command") == EXPECTED[program]
    # AWS VM clouds: it carries the External ID. GCP and Kubernetes clouds: nothing secret in it.
    assert ("register_command" in result.secret_outputs) is (_provider(program) == "aws" and program not in K8S_PROGRAMS)
    expected = _expected_warnings(program)
    assert len(result.warnings) == len(expected), result.warnings
    for warning, start in zip(result.warnings, expected):
        assert warning.startswith(start), (warning, start)


@pytest.mark.parametrize("program", [p for p in PROGRAMS if p not in NATIVE_PROGRAMS])
def test_the_real_cli_accepts_each_example_command(previews, program):
    argv = shlex.split(previews[program].outputs["register_command"])
    params = register_cloud.make_context("register", argv[3:]).params
    assert params["provider"] == _provider(program)
    if program in K8S_PROGRAMS:
        assert params["compute_stack"] == "K8S"
        if _provider(program) != "generic":  # the operator's own identity, never the node's
            assert "operator" in params["anyscale_operator_iam_identity"]
    elif _provider(program) == "aws":
        assert params["external_id"].startswith(ORG + "-")
        assert "123456789012" not in previews[program].outputs["register_command"]
    else:
        assert params["project_id"] == "acme-ml-prod" and not params["project_id"][0].isdigit()
        assert params["provider_name"].startswith("projects/364490735216/")


@pytest.mark.parametrize("program", [p for p in PROGRAMS if _provider(p) == "gcp" and p not in K8S_PROGRAMS])
def test_the_clis_own_gcp_rules_accept_each_gcp_example(previews, program):
    from anyscale.client.openapi_client.models import GCPConfig
    from anyscale.client.openapi_client.models.compute_stack import ComputeStack
    from anyscale.controllers.cloud_controller import CloudController

    flags = previews[program].outputs["register_args"]
    config = GCPConfig(
        project_id=flags["--project-id"], provider_name=flags["--provider-name"],
        memorystore_instance_name=flags.get("--memorystore-instance-name"), host_project_id=flags.get("--host-project-id"),
    )
    CloudController._validate_gcp_config(None, ComputeStack.VM, config)  # raises ClickException if not


@pytest.mark.parametrize("program", [p for p in PROGRAMS if _provider(p) != "generic" and p != "examples/azure-existing-aks"])
def test_stateful_resources_are_protected(previews, program):
    stateful = {"aws:s3/bucket:Bucket", "aws:efs/fileSystem:FileSystem", "aws:memorydb/cluster:Cluster",
                "gcp:storage/bucket:Bucket", "gcp:filestore/instance:Instance", "gcp:redis/instance:Instance",
                "azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer", "azure-native:resources:ResourceGroup"}
    created = [r for r in previews[program].resources if r.type in stateful and r.parent]  # ours: in a component
    assert created and all(r.protect for r in created)


def test_private_example_is_private_with_memorydb(previews):
    result = previews["examples/aws-private"]
    assert result.outputs["register_args"]["--private-network"] is True
    assert len(result.by_type("aws:ec2/natGateway:NatGateway")) >= 1
    assert result.one("aws:memorydb/cluster:Cluster").inputs["tlsEnabled"] is True


def test_scoped_example_uses_tag_scoped_statements(previews):
    policy = next(
        r for r in previews["examples/aws-scoped"].by_type("aws:iam/rolePolicy:RolePolicy")
        if r.inputs["name"] == "Anyscale_IAM_Policy_Steady_State"
    )
    sids = {s.get("Sid") for s in json.loads(policy.inputs["policy"])["Statement"]}
    assert {"DenyTaggingOnOtherInstances", "RestrictedInstanceStop", "RestrictedInstanceStart"} <= sids


def test_existing_vpc_example_creates_no_network(previews):
    result = previews["examples/aws-existing-vpc"]
    assert result.by_type("aws:ec2/vpc:Vpc") == [] and result.by_type("aws:ec2/subnet:Subnet") == []
    assert result.by_type("aws:s3/bucket:Bucket") == []


def test_in_your_program_example_lands_everything_on_its_provider(previews):
    result = previews["examples/aws-in-your-program"]
    provider = result.one("pulumi:providers:aws")
    ours = [r for r in result.resources if r.custom and r.type.startswith("aws:")]
    assert ours and all(r.provider and r.provider.startswith(provider.urn + "::") for r in ours)


@pytest.mark.parametrize("program", PROGRAMS)
def test_cli_preview_exits_zero(program):
    outcome = CliRunner().invoke(main, ["preview", str(ROOT / program)])
    assert outcome.exit_code == 0, outcome.output
    if program in NATIVE_PROGRAMS:
        assert "anyscale cloud register" not in outcome.output and "cloud_resource_id" in outcome.output
    else:
        assert f"anyscale cloud register --provider {_provider(program)}" in outcome.output


@pytest.mark.parametrize("program", sorted(NATIVE_PROGRAMS))
def test_native_azure_examples_register_through_arm_in_one_run(previews, program):
    result = previews[program]
    cloud = next(r for r in result.by_type("azure-native:resources:Resource") if r.inputs["resourceType"] == "clouds")
    assert result.outputs["cloud_arm_id"] == cloud.id
    extension = result.one("azure-native:kubernetesconfiguration:Extension").inputs["configurationSettings"]
    assert extension["global.cloudDeploymentId"] == result.outputs["cloud_resource_id"]
    assert extension["global.auth.iamIdentity"] == result.outputs["operator_client_id"] != result.outputs["operator_principal_id"]


def test_private_gcp_example_is_private_with_nat_proxy_only_subnet_and_memorystore(previews):
    result = previews["examples/gcp-private"]
    assert result.outputs["register_args"]["--private-network"] is True
    assert len(result.by_type("gcp:compute/routerNat:RouterNat")) == 1
    (proxy,) = [s for s in result.by_type("gcp:compute/subnetwork:Subnetwork") if s.inputs.get("purpose")]
    assert (proxy.inputs["purpose"], proxy.inputs["role"], proxy.inputs["ipCidrRange"]) == ("REGIONAL_MANAGED_PROXY", "ACTIVE", "10.21.0.0/23")
    redis = result.one("gcp:redis/instance:Instance")
    assert (redis.inputs["tier"], redis.inputs["readReplicasMode"], redis.inputs["transitEncryptionMode"]) == (
        "STANDARD_HA", "READ_REPLICAS_ENABLED", "DISABLED")


def test_existing_vpc_gcp_example_creates_no_network_and_puts_the_policy_in_the_host_project(previews):
    result = previews["examples/gcp-existing-vpc"]
    assert result.by_type("gcp:compute/network:Network") == [] and result.by_type("gcp:compute/subnetwork:Subnetwork") == []
    assert result.one("gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy").inputs["project"] == "acme-network-host"
    assert result.one("gcp:filestore/instance:Instance").inputs["networks"][0]["connectMode"] == "PRIVATE_SERVICE_ACCESS"


@pytest.mark.parametrize("program", [p for p in PROGRAMS if _provider(p) == "gcp" and p not in K8S_PROGRAMS])
def test_gcp_resource_file_reads_back_as_the_command(previews, program):
    import yaml
    from anyscale.client.openapi_client.models import CloudDeployment, GCPConfig

    result = previews[program]
    flags = result.outputs["register_args"]
    deployment = CloudDeployment(**yaml.safe_load(result.outputs["resource_file"]))
    config = GCPConfig(**deployment.gcp_config)
    assert deployment.provider == "GCP" and deployment.region == flags["--region"]
    assert deployment.networking_mode == ("PRIVATE" if flags.get("--private-network") else "PUBLIC")
    assert config.vpc_name == flags["--vpc-name"] and config.subnet_names == [flags["--subnet-names"]]
    assert config.firewall_policy_names == [flags["--firewall-policy-names"]]
    assert deployment.file_storage["file_storage_id"] == (
        f"projects/acme-ml-prod/locations/{flags['--filestore-location']}/instances/{flags['--filestore-instance-id']}")
    assert config.provider_name == flags["--provider-name"]
    assert config.cluster_service_account_email == flags["--instance-service-account-email"]


def test_the_root_projects_resource_file_says_what_its_register_command_says(previews):
    """`anyscale cloud register --name <n> --resource-file <file>` registers the same cloud."""
    import yaml
    from anyscale.client.openapi_client.models import AWSConfig, CloudDeployment

    result = previews["."]
    assert "resource_file" in result.secret_outputs  # it carries the external ID
    deployment = CloudDeployment(**yaml.safe_load(result.outputs["resource_file"]))
    config = AWSConfig(**deployment.aws_config)
    flags = result.outputs["register_args"]
    assert deployment.provider == "AWS" and deployment.region == flags["--region"]
    assert config.vpc_id == flags["--vpc-id"]
    assert ",".join(config.subnet_ids) == flags["--subnet-ids"]
    assert ",".join(config.security_group_ids) == flags["--security-group-ids"]
    assert deployment.object_storage["bucket_name"] == flags["--cloud-storage-bucket-name"]
    assert deployment.file_storage["file_storage_id"] == flags["--file-storage-id"]
    assert config.anyscale_iam_role_id == flags["--anyscale-iam-role-id"]
    assert config.cluster_iam_role_id == flags["--instance-iam-role-id"]
    assert config.external_id == flags["--external-id"]

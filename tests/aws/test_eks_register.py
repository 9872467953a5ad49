"""AwsK8sRegisterArgs: the EKS `cloud register --compute-stack k8s` flags, parsed by the real
CLI, and the resource file, which the CLI's own two paths (flags, --resource-file) turn into
the same deployment. Expected values are literals."""

from __future__ import annotations

import shlex

import pytest
import yaml
from anyscale.commands.cloud_commands import register_cloud

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws.register import AwsK8sRegisterArgs, AwsRegisterArgs

ROLE = "arn:aws:iam::210987654321:role/anyscale-operator"
FULL = dict(
    name="eks-prod",
    region="us-west-2",
    cloud_storage_bucket_name="s3://acme-anyscale",
    kubernetes_zones=["us-west-2c", "us-west-2a", "us-west-2b"],  # order kept
    anyscale_operator_iam_identity=ROLE,
    file_storage_id="fs-0a1b2c3d4e5f67890",
    kubernetes_redis_endpoint="redis.acme.internal:6379",
    private_network=True,
)
MINIMAL = dict(
    name="eks-dev",
    region="eu-central-1",
    cloud_storage_bucket_name="acme-dev",
    kubernetes_zones=["eu-central-1a"],
    anyscale_operator_iam_identity="arn:aws:iam::000000000001:role/ops/op",
)


def test_the_command_is_exact_with_every_flag():
    assert AwsK8sRegisterArgs(**FULL).command() == (
        "anyscale cloud register --provider aws --compute-stack k8s --name eks-prod --region us-west-2 "
        "--cloud-storage-bucket-name s3://acme-anyscale --file-storage-id fs-0a1b2c3d4e5f67890 "
        "--kubernetes-zones us-west-2c,us-west-2a,us-west-2b "
        f"--anyscale-operator-iam-identity {ROLE} "
        "--kubernetes-redis-endpoint redis.acme.internal:6379 --private-network"
    )


def test_the_minimal_command_adds_the_scheme_and_nothing_else():
    assert AwsK8sRegisterArgs(**MINIMAL).argv() == [
        "anyscale", "cloud", "register", "--provider", "aws", "--compute-stack", "k8s", "--name", "eks-dev",
        "--region", "eu-central-1", "--cloud-storage-bucket-name", "s3://acme-dev",
        "--kubernetes-zones", "eu-central-1a", "--anyscale-operator-iam-identity", "arn:aws:iam::000000000001:role/ops/op",
    ]


@pytest.mark.parametrize("case", [FULL, MINIMAL], ids=["full", "minimal"])
def test_the_real_cli_parses_every_value(case):
    argv = shlex.split(AwsK8sRegisterArgs(**case).command())
    params = register_cloud.make_context("register", argv[3:]).params
    assert params["provider"] == "aws"
    assert str(params["compute_stack"]) == "K8S"
    assert params["name"] == case["name"] and params["region"] == case["region"]
    assert params["cloud_storage_bucket_name"] == "s3://" + case["cloud_storage_bucket_name"].removeprefix("s3://")
    assert params["kubernetes_zones"] == ",".join(case["kubernetes_zones"])
    assert params["anyscale_operator_iam_identity"] == case["anyscale_operator_iam_identity"]
    assert params["file_storage_id"] == case.get("file_storage_id")
    assert params["kubernetes_redis_endpoint"] == case.get("kubernetes_redis_endpoint")
    assert params["private_network"] is case.get("private_network", False)
    # Nothing of the VM stack.
    assert all(params[k] is None for k in ("vpc_id", "subnet_ids", "security_group_ids", "anyscale_iam_role_id",
                                           "instance_iam_role_id", "external_id"))


@pytest.fixture
def cli_deployments(monkeypatch):
    """Run the real `cloud register` up to the API call and keep the deployment it builds."""
    import anyscale.commands.cloud_commands as commands
    from anyscale.controllers.cloud_controller import CloudController

    built = []
    monkeypatch.setattr(CloudController, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(CloudController, "register_aws_cloud", lambda self, **kw: built.append(kw["cloud_resource"]))
    # The only network call before it (a feature flag on the VM stack's EFS requirement).
    monkeypatch.setattr(commands, "allow_optional_file_storage", lambda *a, **k: True)

    def run(argv: list[str]):
        register_cloud.main(args=argv, standalone_mode=False)
        return built.pop()

    return run


@pytest.mark.parametrize("case", [FULL, MINIMAL], ids=["full", "minimal"])
def test_the_resource_file_is_the_deployment_the_cli_builds_from_the_flags(case, cli_deployments, tmp_path):
    args = AwsK8sRegisterArgs(**case)
    from_flags = cli_deployments(args.argv()[3:])
    path = tmp_path / "cloud.yaml"
    path.write_text(args.resource_file_yaml())
    from_file = cli_deployments(["--name", case["name"], "--resource-file", str(path)])
    flags, file = from_flags.to_dict(), from_file.to_dict()
    # The flag path sends an AWSConfig of empty VM fields; the file leaves it out.
    assert all(value in (None, []) for value in flags.pop("aws_config").values())
    assert file.pop("aws_config") is None
    assert (flags.pop("name"), file.pop("name")) == (None, case["name"])
    assert flags == file
    assert file["kubernetes_config"]["zones"] == case["kubernetes_zones"]
    assert file["object_storage"]["bucket_name"] == "s3://" + case["cloud_storage_bucket_name"].removeprefix("s3://")


def test_the_resource_file_reads_back_into_the_clis_models():
    from anyscale.client.openapi_client.models import (
        CloudDeployment,
        FileStorage,
        KubernetesConfig,
        ObjectStorage,
    )
    from anyscale.utils.cloud_utils import (
        missing_object_storage_problem,
        placeholder_credential_problems,
    )

    deployment = CloudDeployment(**yaml.safe_load(AwsK8sRegisterArgs(**FULL).resource_file_yaml()))
    deployment.kubernetes_config = KubernetesConfig(**deployment.kubernetes_config)
    deployment.file_storage = FileStorage(**deployment.file_storage)
    deployment.object_storage = ObjectStorage(**deployment.object_storage)
    assert (deployment.provider, deployment.compute_stack, deployment.region, deployment.networking_mode) == (
        "AWS", "K8S", "us-west-2", "PRIVATE")
    assert deployment.kubernetes_config.anyscale_operator_iam_identity == ROLE
    assert deployment.kubernetes_config.zones == ["us-west-2c", "us-west-2a", "us-west-2b"]
    assert deployment.kubernetes_config.redis_endpoint == "redis.acme.internal:6379"
    assert deployment.file_storage.file_storage_id == "fs-0a1b2c3d4e5f67890"
    assert deployment.aws_config is None
    assert placeholder_credential_problems(deployment) == []
    assert missing_object_storage_problem(deployment) is None


def test_the_minimal_resource_file_leaves_unset_sections_out():
    spec = yaml.safe_load(AwsK8sRegisterArgs(**MINIMAL).resource_file_yaml())
    assert list(spec) == ["name", "provider", "compute_stack", "region", "networking_mode", "object_storage", "kubernetes_config"]
    assert spec["object_storage"] == {"bucket_name": "s3://acme-dev"}
    assert spec["kubernetes_config"] == {
        "anyscale_operator_iam_identity": "arn:aws:iam::000000000001:role/ops/op", "zones": ["eu-central-1a"]}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (dict(anyscale_operator_iam_identity="anyscale-operator@acme.iam.gserviceaccount.com"),
         "anyscale_operator_iam_identity", "is an email; on AWS the operator's identity is an IAM role ARN"),
        (dict(anyscale_operator_iam_identity="arn:aws:iam::123456789012:role/op"),
         "anyscale_operator_iam_identity", "AWS's documentation account 123456789012"),
        (dict(anyscale_operator_iam_identity="arn:aws:iam::210987654321:user/op"),
         "anyscale_operator_iam_identity", "is not an IAM role ARN"),
        (dict(anyscale_operator_iam_identity=None), "anyscale_operator_iam_identity", "is required on aws"),
        (dict(kubernetes_zones=["us-east-1a", "us-west-2b"]), "kubernetes_zones", "availability zone us-east-1a is not in region us-west-2"),
        (dict(kubernetes_zones=[]), "kubernetes_zones", "is required on aws"),
        (dict(kubernetes_zones=["us-west-2a", "us-west-2a"]), "kubernetes_zones", "lists us-west-2a more than once"),
        (dict(kubernetes_zones=["usw2-az1"]), "kubernetes_zones", "is not an availability zone name like us-west-2a"),
        (dict(region="cn-north-1"), "region", "is not a commercial AWS region"),
        (dict(cloud_storage_bucket_name="s3://my-bucket"), "cloud_storage_bucket_name", "documentation placeholder"),
        (dict(file_storage_id="efs-01234567"), "file_storage_id", "is not a fs id like fs-0a1b2c3d4e5f67890"),
        (dict(kubernetes_redis_endpoint="redis"), "kubernetes_redis_endpoint", "is not host:port"),
        (dict(persistent_volume_claim="data", csi_ephemeral_volume_driver="x.csi"), "csi_ephemeral_volume_driver", "exclusive"),
        (dict(vpc_id="vpc-01234567"), "vpc_id", "is not a known argument"),
    ],
)
def test_bad_input_names_the_field(change, field, message):
    with pytest.raises(InvalidArgsError) as info:
        AwsK8sRegisterArgs(**{**FULL, **change})
    assert info.value.fields == [field]
    assert message in str(info.value)


def test_the_vm_models_flags_are_unchanged():
    """Adding the K8s model left AwsRegisterArgs as it was (no --compute-stack on the VM stack)."""
    vm = AwsRegisterArgs(
        name="c", region="us-west-2", vpc_id="vpc-01234567", subnet_ids=["subnet-01234567", "subnet-01234568"],
        security_group_ids=["sg-01234567"], cloud_storage_bucket_name="b-x1",
        anyscale_iam_role_id="arn:aws:iam::210987654321:role/a", instance_iam_role_id="arn:aws:iam::210987654321:role/i",
    )
    assert "--compute-stack" not in vm.flags() and vm.resource_file()["compute_stack"] == "VM"

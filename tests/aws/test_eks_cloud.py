"""AnyscaleEksCloud on the mock engine: the parts wired to each other, the two phases, the
networking modes, the two trust modes, an existing cluster, the register command exactly and
the resource file read back by the CLI's models; bad input named by field, before any resource."""

from __future__ import annotations

import json
import shlex

import pulumi
import pytest
import yaml
from anyscale.commands.cloud_commands import register_cloud
from program_errors import deploy_error

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws.eks_cloud import (
    AnyscaleEksCloud,
    AnyscaleEksCloudArgs,
    cluster_autoscaler_values,
)
from anyscale_infra.aws.network import AnyscaleNetwork, AnyscaleNetworkArgs
from anyscale_infra.aws.planning import SubnetRole
from anyscale_infra.kubernetes.operator import NO_DEPLOYMENT_ID_WARNING
from anyscale_infra.preview.engine import run_function

DEPLOYMENT_ID = "cldrsrc_abcdefgh12345678ijklmnop12"
VPC = "vpc-0a1b2c3d4e5f60001"
EXISTING_SUBNETS = [
    {"subnet_id": "subnet-0a1b2c3d4e5f60011", "availability_zone": "us-west-2a"},
    {"subnet_id": "subnet-0a1b2c3d4e5f60012", "availability_zone": "us-west-2b"},
]
OUTPUTS = ("register_args", "register_command", "resource_file", "helm_values", "cluster_name", "operator_role_arn",
           "kubernetes_zones", "bucket_name", "file_system_id", "oidc_provider_arn")


def _run(**args):
    def program():
        cloud = AnyscaleEksCloud("anyscale", AnyscaleEksCloudArgs(cloud_name="eks-prod", **args))
        for key in OUTPUTS:
            pulumi.export(key, getattr(cloud, key))

    return run_function(program, config={"aws:region": "us-west-2"})


@pytest.fixture(scope="module")
def first():
    """The first `pulumi up`: every default, no cloud deployment id yet."""
    return _run()


@pytest.fixture(scope="module")
def second():
    """The second: the deployment id set, a GPU group."""
    return _run(cloud_deployment_id=DEPLOYMENT_ID, cluster={"gpu_node_groups": {"A10G": {"instance_types": ["g5.4xlarge"]}}})


@pytest.fixture(scope="module")
def private():
    return _run(cloud_deployment_id=DEPLOYMENT_ID, network={"networking": "private", "nat": "single"}, enable_file_system=False)


@pytest.fixture(scope="module")
def pod_identity():
    return _run(cloud_deployment_id=DEPLOYMENT_ID, operator_identity={"trust": "pod-identity"})


@pytest.fixture(scope="module")
def existing():
    return _run(
        cloud_deployment_id=DEPLOYMENT_ID,
        cluster={"existing_cluster_name": "platform-eks"},
        network={"existing_vpc_id": VPC, "existing_subnets": EXISTING_SUBNETS},
    )


def _role(result, name):
    return result.named(name)


_release = _role


# -- wiring ------------------------------------------------------------------------------------


def test_type_tokens_and_parts(first):
    cloud = first.one("anyscale-infra:index:AnyscaleEksCloud")
    parts = {r.type.rsplit(":", 1)[-1] for r in first.children_of(cloud.urn) if not r.custom}
    assert parts == {"AnyscaleNetwork", "AnyscaleEksCluster", "AnyscaleBucket", "AnyscaleFileSystem",
                     "AnyscaleEksOperatorIdentity", "AnyscaleOperator"}
    assert all(r.parent is not None for r in first.resources if r is not cloud)
    # MemoryDB is not part of a Kubernetes cloud.
    assert first.by_type("aws:memorydb/cluster:Cluster") == []


def test_the_cluster_runs_in_the_networks_subnets_and_they_are_tagged_for_load_balancers(first):
    subnets = first.by_type("aws:ec2/subnet:Subnet")
    cluster = first.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["name"] == "eks-prod"
    assert sorted(cluster.inputs["vpcConfig"]["subnetIds"]) == sorted(s.id for s in subnets)
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is True
    for subnet in subnets:
        tags = subnet.inputs["tags"]
        assert tags["kubernetes.io/role/elb"] == "1" and tags["kubernetes.io/cluster/eks-prod"] == "shared"
        assert "kubernetes.io/role/internal-elb" not in tags


def test_the_operators_role_is_dedicated_and_trusts_the_clusters_oidc_provider(first):
    role = _role(first, "anyscale-operator-role")
    provider = first.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    path = provider.inputs["url"].removeprefix("https://")
    assert statement["Principal"] == {"Federated": provider.id}
    assert statement["Condition"]["StringEquals"] == {
        f"{path}:sub": "system:serviceaccount:anyscale-operator:anyscale-operator", f"{path}:aud": "sts.amazonaws.com"}
    node_role = _role(first, "anyscale-node-role").outputs["arn"]
    assert first.outputs["operator_role_arn"] == role.outputs["arn"] != node_role
    assert first.outputs["register_args"]["--anyscale-operator-iam-identity"] == role.outputs["arn"]


def test_the_bucket_policy_admits_the_operator_and_the_role_grants_the_bucket_and_efs(first):
    role = _role(first, "anyscale-operator-role")
    bucket = first.one("aws:s3/bucket:Bucket")
    policy = json.loads(first.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    allow = next(s for s in policy["Statement"] if s["Effect"] == "Allow")
    assert allow["Principal"] == {"AWS": [role.outputs["arn"]]}
    assert any(s["Sid"] == "DenyInsecureTransport" for s in policy["Statement"])
    assert role.urn in first.one("aws:s3/bucketPolicy:BucketPolicy").dependencies
    inline = json.loads(first.named("anyscale-operator-policy").inputs["policy"])
    efs = first.one("aws:efs/fileSystem:FileSystem")
    assert {s["Sid"]: s["Resource"] for s in inline["Statement"]} == {
        "ListAnyscaleBucket": f"arn:aws:s3:::{bucket.id}",
        "AnyscaleBucketObjects": f"arn:aws:s3:::{bucket.id}/*",
        "AnyscaleFileSystemClient": f"arn:aws:elasticfilesystem:us-west-2:000000000000:file-system/{efs.id}",
    }


def test_efs_admits_nfs_from_the_cluster_only(first):
    cluster = first.one("aws:eks/cluster:Cluster")
    group = first.named("anyscale-efs-sg")
    rules = [r for r in first.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if r.inputs["securityGroupId"] == group.id]
    assert [(r.inputs["ipProtocol"], r.inputs["fromPort"], r.inputs["toPort"], r.inputs["referencedSecurityGroupId"])
            for r in rules] == [("tcp", 2049, 2049, cluster.outputs["vpcConfig"]["clusterSecurityGroupId"])]
    assert group.inputs["vpcId"] == first.one("aws:ec2/vpc:Vpc").id
    mounts = first.by_type("aws:efs/mountTarget:MountTarget")
    assert len(mounts) == 3 and all(m.inputs["securityGroups"] == [group.id] for m in mounts)
    addons = {r.inputs["addonName"] for r in first.by_type("aws:eks/addon:Addon")}
    assert "aws-efs-csi-driver" in addons


def test_stateful_resources_are_protected(first):
    for token in ("aws:s3/bucket:Bucket", "aws:efs/fileSystem:FileSystem", "aws:eks/cluster:Cluster"):
        assert first.one(token).protect is True, token


# -- the two phases ----------------------------------------------------------------------------


def test_the_first_up_plans_no_operator_release_and_says_what_to_do(first):
    releases = {r.name for r in first.by_type("kubernetes:helm.sh/v3:Release")}
    assert "anyscale-operator-release" not in releases
    assert {"anyscale-cluster-autoscaler", "anyscale-operator-ingress-envoy-gateway"} <= releases
    assert first.outputs["helm_values"] is None
    assert NO_DEPLOYMENT_ID_WARNING in first.warnings


def test_the_register_command_is_exact(first):
    bucket = first.one("aws:s3/bucket:Bucket").id
    efs = first.one("aws:efs/fileSystem:FileSystem").id
    role = _role(first, "anyscale-operator-role").outputs["arn"]
    assert first.outputs["register_command"] == (
        "anyscale cloud register --provider aws --compute-stack k8s --name eks-prod --region us-west-2 "
        f"--cloud-storage-bucket-name s3://{bucket} --file-storage-id {efs} "
        f"--kubernetes-zones us-west-2a,us-west-2b,us-west-2c --anyscale-operator-iam-identity {role}"
    )
    params = register_cloud.make_context("register", shlex.split(first.outputs["register_command"])[3:]).params
    assert (params["provider"], str(params["compute_stack"]), params["private_network"]) == ("aws", "K8S", False)
    assert first.outputs["kubernetes_zones"] == ["us-west-2a", "us-west-2b", "us-west-2c"]


def test_the_resource_file_reads_back_as_the_command(first):
    from anyscale.client.openapi_client.models import CloudDeployment, KubernetesConfig

    flags = first.outputs["register_args"]
    deployment = CloudDeployment(**yaml.safe_load(first.outputs["resource_file"]))
    config = KubernetesConfig(**deployment.kubernetes_config)
    assert (deployment.provider, deployment.compute_stack, deployment.region, deployment.networking_mode) == (
        "AWS", "K8S", "us-west-2", "PUBLIC")
    assert deployment.object_storage == {"bucket_name": flags["--cloud-storage-bucket-name"]}
    assert deployment.file_storage == {"file_storage_id": flags["--file-storage-id"]}
    assert config.anyscale_operator_iam_identity == flags["--anyscale-operator-iam-identity"]
    assert config.zones == flags["--kubernetes-zones"].split(",")


def test_the_second_up_installs_the_operator_with_the_roles_identity(second):
    release = _release(second, "anyscale-operator-release")
    role = _role(second, "anyscale-operator-role").outputs["arn"]
    assert (release.inputs["chart"], release.inputs["namespace"]) == ("anyscale-operator", "anyscale-operator")
    assert release.inputs["values"] == second.outputs["helm_values"] == {
        "global": {"cloudDeploymentId": DEPLOYMENT_ID, "cloudProvider": "aws", "auth": {"iamIdentity": role},
                   "aws": {"region": "us-west-2"}},
        "workloads": {"serviceAccount": {"name": "anyscale-operator"}},
        "operator": {"nodeSelector": {"node.anyscale.com/role": "system"}},
        "networking": {"gateway": {"enabled": True, "name": "anyscale-gateway", "namespace": "anyscale-operator"}},
    }
    assert NO_DEPLOYMENT_ID_WARNING not in second.warnings
    # The register command does not change between the two phases' inputs.
    assert "--compute-stack k8s" in second.outputs["register_command"]


def test_kubernetes_resources_use_the_clusters_provider_which_waits_for_the_system_nodes(second):
    provider = second.one("pulumi:providers:kubernetes")
    assert all(r.provider and r.provider.startswith(provider.urn + "::")
               for r in second.resources if r.custom and r.type.startswith("kubernetes:"))
    system = second.named("anyscale-system")
    coredns = next(r for r in second.by_type("aws:eks/addon:Addon") if r.inputs["addonName"] == "coredns")
    assert {system.urn, coredns.urn} <= set(provider.dependencies)
    kubeconfig = json.loads(provider.inputs["kubeconfig"])
    assert kubeconfig["users"][0]["user"]["exec"]["args"][:4] == ["eks", "get-token", "--cluster-name", "eks-prod"]


def test_the_autoscaler_and_the_device_plugin(second):
    autoscaler = _release(second, "anyscale-cluster-autoscaler")
    assert (autoscaler.inputs["chart"], autoscaler.inputs["version"], autoscaler.inputs["namespace"]) == (
        "cluster-autoscaler", "9.46.0", "kube-system")
    assert autoscaler.inputs["values"] == cluster_autoscaler_values("eks-prod", "us-west-2", "1.33")
    assert autoscaler.inputs["values"]["rbac"]["serviceAccount"]["name"] == (
        second.one("aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs["serviceAccount"])
    plugin = _release(second, "anyscale-nvidia-device-plugin")
    tolerated = {t["key"] for t in plugin.inputs["values"]["tolerations"]}
    gpu = second.named("anyscale-gpu-a10g-spot")
    assert {t["key"] for t in gpu.inputs["taints"]} <= tolerated
    assert gpu.inputs["labels"]["nvidia.com/gpu.product"] == "NVIDIA-A10G"


def test_no_device_plugin_without_gpu_groups(first):
    assert "anyscale-nvidia-device-plugin" not in {r.name for r in first.by_type("kubernetes:helm.sh/v3:Release")}


# -- networking modes and trust modes ----------------------------------------------------------


def test_private_networking_is_private_everywhere(private):
    assert private.outputs["register_args"]["--private-network"] is True
    assert yaml.safe_load(private.outputs["resource_file"])["networking_mode"] == "PRIVATE"
    cluster = private.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    proxy = private.one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy")
    annotations = proxy.inputs["spec"]["provider"]["kubernetes"]["envoyService"]["annotations"]
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal"
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "nlb"
    roles = {s.inputs["tags"]["anyscale-subnet-role"]: s.inputs["tags"] for s in private.by_type("aws:ec2/subnet:Subnet")}
    assert roles["private"]["kubernetes.io/role/internal-elb"] == "1" and "kubernetes.io/role/elb" not in roles["private"]
    assert roles["public"]["kubernetes.io/role/elb"] == "1"
    private_ids = {s.id for s in private.by_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["anyscale-subnet-role"] == "private"}
    assert set(cluster.inputs["vpcConfig"]["subnetIds"]) == private_ids
    assert private.by_type("aws:efs/fileSystem:FileSystem") == [] and "--file-storage-id" not in private.outputs["register_args"]


def test_public_direct_networking_gets_an_internet_facing_nlb(second):
    proxy = second.one("kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy")
    annotations = proxy.inputs["spec"]["provider"]["kubernetes"]["envoyService"]["annotations"]
    assert annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internet-facing"


def test_pod_identity_binds_the_role_and_leaves_the_service_account_unannotated(pod_identity):
    role = _role(pod_identity, "anyscale-operator-role")
    associations = {r.inputs["serviceAccount"]: r for r in pod_identity.by_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")}
    operator = associations["anyscale-operator"].inputs
    assert (operator["clusterName"], operator["namespace"], operator["roleArn"]) == ("eks-prod", "anyscale-operator", role.outputs["arn"])
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert pod_identity.by_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == []
    assert "auth" not in pod_identity.outputs["helm_values"]["global"]
    # The operator's pod must start after its association exists (credentials are injected at start).
    provider = pod_identity.one("pulumi:providers:kubernetes")
    assert associations["anyscale-operator"].urn in provider.dependencies
    assert pod_identity.outputs["register_args"]["--anyscale-operator-iam-identity"] == role.outputs["arn"]


def test_an_existing_cluster_gets_efs_the_operator_and_nothing_else(existing):
    created = {r.type for r in existing.resources if r.custom}
    assert not {t for t in created if t.startswith("aws:eks/") or t == "aws:iam/openIdConnectProvider:OpenIdConnectProvider"}
    assert "aws:ec2/vpc:Vpc" not in created and "anyscale-cluster-autoscaler" not in {r.name for r in existing.resources}
    # EFS admits the looked-up cluster's security group; mount targets in the given subnets.
    rule = existing.named("anyscale-efs-nfs-from-cluster")
    assert rule.inputs["referencedSecurityGroupId"].startswith("sg-")
    assert sorted(m.inputs["subnetId"] for m in existing.by_type("aws:efs/mountTarget:MountTarget")) == [
        s["subnet_id"] for s in EXISTING_SUBNETS]
    flags = existing.outputs["register_args"]
    assert flags["--kubernetes-zones"] == "us-west-2a,us-west-2b"
    assert existing.outputs["cluster_name"] == "platform-eks"
    trust = json.loads(existing.named("anyscale-operator-role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"]["Federated"] == existing.outputs["oidc_provider_arn"]
    # Your cluster's pools: no nodeSelector for a system group we did not make.
    assert "operator" not in existing.outputs["helm_values"]


# -- the network's opt-in tags leave the default alone -----------------------------------------


def test_the_network_has_no_kubernetes_tags_unless_asked(preview):
    result = preview(lambda: AnyscaleNetwork("n", AnyscaleNetworkArgs(networking="private")))
    assert all(not any(k.startswith("kubernetes.io/") for k in s.inputs["tags"]) for s in result.by_type("aws:ec2/subnet:Subnet"))
    assert AnyscaleNetworkArgs().load_balancer_subnet_tags(SubnetRole.PUBLIC) == {}
    assert AnyscaleNetworkArgs(kubernetes_cluster_name="c1").load_balancer_subnet_tags(SubnetRole.PRIVATE) == {
        "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/c1": "shared"}


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (dict(operator_identity={"existing_role_arn": "ops@acme.iam.gserviceaccount.com"}), "operator_identity.existing_role_arn",
         "is an email; on AWS the operator's identity is an IAM role ARN"),
        (dict(cluster={"gpu_node_groups": {"B200": {"instance_types": ["p6-b200.48xlarge"]}}}), "cluster.gpu_node_groups",
         "'B200' is not a GPU type the chart maps on aws"),
        (dict(namespace="Anyscale"), "namespace", "is not an RFC 1123 label"),
        (dict(kubernetes_zones=["us-west-2a", "eu-west-1a"]), "kubernetes_zones", "span several regions"),
        (dict(network={"availability_zones": ["us-west-2a", "us-west-2b"]}, kubernetes_zones=["us-west-2c"]),
         "kubernetes_zones", "us-west-2c has no cluster subnet"),
        (dict(cloud_deployment_id="cld_abcdefgh12345678ijklmnop12"), "cloud_deployment_id",
         "that is a cloud id; the operator needs the cloud resource id"),
        (dict(cluster={"subnet_ids": ["subnet-0a1b2c3d4e5f67890"]}), "cluster.subnet_ids", "is set by AnyscaleEksCloud"),
        (dict(operator_identity={"namespace": "x"}), "operator_identity.namespace", "is set by AnyscaleEksCloud"),
        (dict(network={"kubernetes_cluster_name": "x"}), "network.kubernetes_cluster_name", "is set by AnyscaleEksCloud"),
        (dict(operator={"cloud_deployment_id": DEPLOYMENT_ID}), "operator.cloud_deployment_id", "set cloud_deployment_id at the top level"),
        (dict(operator={"ingress_class_name": "alb", "ingress": "ingress-class"}), "operator.ingress_class_name", "alb is an L7"),
        (dict(operator={"replicas": 2}), "operator.replicas", "is not a known argument"),
        (dict(cluster={"existing_cluster_name": "platform-eks"}), "network.existing_vpc_id", "is required with cluster.existing_cluster_name"),
        (dict(network={"existing_vpc_id": VPC, "existing_subnets": ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]}),
         "kubernetes_zones", "is required: the existing subnets do not say their availability_zone"),
    ],
)
def test_bad_input_names_the_field_before_any_resource(args, field, message):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleEksCloudArgs(cloud_name="eks-prod", **args)
    assert info.value.fields == [field]
    assert message in str(info.value)


def test_zones_outside_the_providers_region_fail_before_any_resource(preview, monkeypatch):
    declared: list[str] = []
    original = pulumi.CustomResource.__init__

    def spy(self, t, name, *a, **k):
        declared.append(t)
        original(self, t, name, *a, **k)

    monkeypatch.setattr(pulumi.CustomResource, "__init__", spy)
    args = AnyscaleEksCloudArgs(cloud_name="eks-prod", kubernetes_zones=["eu-west-1a", "eu-west-1b"])
    error = deploy_error(preview, lambda: AnyscaleEksCloud("anyscale", args))
    assert error.fields == ["kubernetes_zones"]
    assert "eu-west-1a, eu-west-1b not in the provider's region us-west-2" in str(error)
    assert declared == []


def test_the_component_exposes_the_model_the_phase_and_the_provider():
    import pulumi_kubernetes as k8s

    holder = {}

    def program():
        holder["first"] = AnyscaleEksCloud("a", AnyscaleEksCloudArgs(cloud_name="one", enable_file_system=False))
        holder["second"] = AnyscaleEksCloud("b", AnyscaleEksCloudArgs(
            cloud_name="two", cloud_deployment_id=DEPLOYMENT_ID, enable_file_system=False,
            network={"vpc_cidr": "10.1.0.0/16"}))
        pulumi.export("command", holder["second"].register.apply(lambda r: r.command()))
        pulumi.export("same", pulumi.Output.all(holder["second"].register, holder["second"].register_command).apply(
            lambda v: v[0].command() == v[1]))

    result = run_function(program, config={"aws:region": "us-west-2"})
    assert (holder["first"].release_planned, holder["second"].release_planned) == (False, True)
    assert isinstance(holder["second"].kubernetes_provider, k8s.Provider)
    assert result.outputs["same"] is True and "--name two" in result.outputs["command"]
    # Two clouds in one program: their own clusters and names.
    assert sorted(r.inputs["name"] for r in result.by_type("aws:eks/cluster:Cluster")) == ["one", "two"]

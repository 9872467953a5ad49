"""AnyscaleEksCluster: the cluster, its IRSA provider, add-ons, node role and node groups (the
chart's label/taint contract, exactly), the autoscaler's identity; an existing cluster; the
pure node-group planner and kubeconfig; bad input named by field."""

from __future__ import annotations

import json

import pulumi
import pytest
from program_errors import deploy_error

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws.eks import (
    AnyscaleEksCluster,
    AnyscaleEksClusterArgs,
    EksGpuNodeGroupArgs,
    kubeconfig,
    plan_node_groups,
)
from anyscale_infra.preview.engine import run_function

SUBNETS = ["subnet-0a1b2c3d4e5f67890", "subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"]
ROLE = "aws:iam/role:Role"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"

ON_DEMAND_TAINT = {"key": "node.anyscale.com/capacity-type", "value": "ON_DEMAND", "effect": "NO_SCHEDULE"}
SPOT_TAINT = {"key": "node.anyscale.com/capacity-type", "value": "SPOT", "effect": "NO_SCHEDULE"}
GPU_TAINTS = [
    {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"},
    {"key": "node.anyscale.com/accelerator-type", "value": "GPU", "effect": "NO_SCHEDULE"},
]


def _run(args: AnyscaleEksClusterArgs, name: str = "c"):
    def program():
        cluster = AnyscaleEksCluster(name, args)
        for key in ("cluster_name", "oidc_issuer_url", "oidc_provider_arn", "cluster_security_group_id", "node_role_arn",
                    "autoscaler_role_arn", "kubeconfig", "endpoint"):
            pulumi.export(key, getattr(cluster, key))

    return run_function(program, config={"aws:region": "us-west-2"})


@pytest.fixture(scope="module")
def full():
    return _run(AnyscaleEksClusterArgs(
        cluster_name="anyscale-prod",
        subnet_ids=SUBNETS,
        gpu_node_groups={"T4": EksGpuNodeGroupArgs(instance_types=["g4dn.xlarge", "g4dn.2xlarge"], max_size=4),
                         "A100-80G": {"instance_types": ["p4de.24xlarge"], "capacity_types": ["SPOT"]}},
        enable_efs_csi_driver=True,
        tags={"team": "ml"},
    ))


@pytest.fixture(scope="module")
def private():
    return _run(AnyscaleEksClusterArgs(subnet_ids=SUBNETS, networking="private", enable_irsa=False,
                                       enable_cluster_autoscaler=False, cpu_node_groups={"capacity_types": []}))


@pytest.fixture(scope="module")
def existing():
    return _run(AnyscaleEksClusterArgs(existing_cluster_name="platform-eks"))


def _groups(result):
    return {r.name: r for r in result.by_type(NODE_GROUP)}


# -- the cluster -----------------------------------------------------------------------------


def test_the_cluster_is_api_and_config_map_with_the_creator_as_admin(full):
    cluster = full.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["name"] == "anyscale-prod" and cluster.inputs["version"] == "1.33"
    assert cluster.inputs["accessConfig"] == {"authenticationMode": "API_AND_CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": True}
    assert cluster.inputs["vpcConfig"] == {"subnetIds": SUBNETS, "endpointPrivateAccess": True, "endpointPublicAccess": True}
    role = full.named("c-cluster-role")
    assert cluster.inputs["roleArn"] == role.outputs["arn"]
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": "eks.amazonaws.com"}
    attachment = full.named("c-cluster-AmazonEKSClusterPolicy")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    assert attachment.urn in cluster.dependencies
    assert cluster.protect is True and cluster.inputs["tags"] == {"Name": "c-cluster", "team": "ml"}


def test_private_networking_makes_the_endpoint_private_and_warns(private):
    cluster = private.one("aws:eks/cluster:Cluster")
    assert cluster.inputs["name"] == "c"  # the component's name
    assert cluster.inputs["vpcConfig"]["endpointPublicAccess"] is False
    assert cluster.inputs["vpcConfig"]["endpointPrivateAccess"] is True
    assert any("API endpoint is private" in w for w in private.warnings)


def test_the_oidc_provider_is_the_clusters_issuer_for_sts(full):
    cluster = full.one("aws:eks/cluster:Cluster")
    provider = full.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    issuer = cluster.outputs["identities"][0]["oidcs"][0]["issuer"]
    assert issuer.startswith("https://oidc.eks.us-west-2.amazonaws.com/id/") and len(issuer.rsplit("/", 1)[-1]) == 32
    assert provider.inputs["url"] == issuer == full.outputs["oidc_issuer_url"]
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert "thumbprintLists" not in provider.inputs
    assert full.outputs["oidc_provider_arn"] == f"arn:aws:iam::000000000000:oidc-provider/{issuer.removeprefix('https://')}"
    assert provider.deleted_with is None  # IAM: it outlives the cluster unless deleted itself


def test_without_irsa_there_is_no_oidc_provider(private):
    assert private.by_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider") == []
    assert private.outputs["oidc_provider_arn"] is None


def test_add_ons_and_their_order(full):
    addons = {r.inputs["addonName"]: r for r in full.by_type("aws:eks/addon:Addon")}
    assert set(addons) == {"vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-efs-csi-driver"}
    system = full.named("c-system")
    # Deployments wait for the nodes they run on; DaemonSets go first, and every group waits for them.
    assert system.urn in addons["coredns"].dependencies and system.urn in addons["aws-efs-csi-driver"].dependencies
    for group in _groups(full).values():
        assert {addons[n].urn for n in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")} <= set(group.dependencies)
    efs_role = full.named("c-efs-csi-role")
    assert addons["aws-efs-csi-driver"].inputs["podIdentityAssociations"] == [
        {"roleArn": efs_role.outputs["arn"], "serviceAccount": "efs-csi-controller-sa"}]
    assert full.named("c-efs-csi-AmazonEFSCSIDriverPolicy").inputs["policyArn"] == (
        "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy")
    assert all(a.inputs["resolveConflictsOnCreate"] == "OVERWRITE" for a in addons.values())


def test_no_efs_driver_unless_asked(private):
    assert "aws-efs-csi-driver" not in {r.inputs["addonName"] for r in private.by_type("aws:eks/addon:Addon")}


# -- nodes -------------------------------------------------------------------------------------


def test_the_node_role_has_the_three_eks_node_policies_and_only_those(full):
    role = full.named("c-node-role")
    assert json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    attached = {r.inputs["policyArn"] for r in full.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                if r.inputs["role"] == role.outputs["name"]}
    assert attached == {f"arn:aws:iam::aws:policy/{p}" for p in
                        ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly")}
    assert not [r for r in full.by_type("aws:iam/rolePolicy:RolePolicy") if r.inputs["role"] == role.outputs["name"]]
    assert full.outputs["node_role_arn"] == role.outputs["arn"]


def test_node_groups_are_keyed_by_meaning(full):
    assert set(_groups(full)) == {"c-system", "c-ondemand-cpu", "c-spot-cpu", "c-gpu-t4-ondemand", "c-gpu-t4-spot", "c-gpu-a100-80g-spot"}


def test_the_system_group_has_no_anyscale_taint(full):
    system = _groups(full)["c-system"].inputs
    assert system["labels"] == {"node.anyscale.com/role": "system"}
    assert "taints" not in system
    assert (system["capacityType"], system["amiType"], system["instanceTypes"]) == ("ON_DEMAND", "AL2023_x86_64_STANDARD", ["t3.medium"])
    assert system["scalingConfig"] == {"minSize": 1, "desiredSize": 2, "maxSize": 4}


@pytest.mark.parametrize(
    ("group", "capacity", "labels", "taints"),
    [
        ("c-ondemand-cpu", "ON_DEMAND", {"node.anyscale.com/capacity-type": "ON_DEMAND"}, [ON_DEMAND_TAINT]),
        ("c-spot-cpu", "SPOT", {"node.anyscale.com/capacity-type": "SPOT"}, [SPOT_TAINT]),
        ("c-gpu-t4-ondemand", "ON_DEMAND",
         {"node.anyscale.com/capacity-type": "ON_DEMAND", "node.anyscale.com/accelerator-type": "GPU", "nvidia.com/gpu.product": "Tesla-T4"},
         [*GPU_TAINTS, ON_DEMAND_TAINT]),
        ("c-gpu-t4-spot", "SPOT",
         {"node.anyscale.com/capacity-type": "SPOT", "node.anyscale.com/accelerator-type": "GPU", "nvidia.com/gpu.product": "Tesla-T4"},
         [*GPU_TAINTS, SPOT_TAINT]),
        ("c-gpu-a100-80g-spot", "SPOT",
         {"node.anyscale.com/capacity-type": "SPOT", "node.anyscale.com/accelerator-type": "GPU",
          "nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"},
         [*GPU_TAINTS, SPOT_TAINT]),
    ],
)
def test_workload_groups_carry_the_charts_labels_and_taints_exactly(full, group, capacity, labels, taints):
    inputs = _groups(full)[group].inputs
    assert inputs["labels"] == labels
    assert inputs["taints"] == taints
    assert inputs["capacityType"] == capacity
    assert inputs["amiType"] == ("AL2023_x86_64_NVIDIA" if "gpu" in group else "AL2023_x86_64_STANDARD")
    assert inputs["diskSize"] == 500
    assert inputs["scalingConfig"]["minSize"] == 0 and inputs["scalingConfig"]["desiredSize"] == 0


def test_every_group_runs_as_the_node_role_in_the_subnets_and_lets_the_autoscaler_own_its_size(full):
    node_role = full.named("c-node-role").outputs["arn"]
    cluster_name = full.one("aws:eks/cluster:Cluster").outputs["name"]
    for group in _groups(full).values():
        assert group.inputs["nodeRoleArn"] == node_role
        assert group.inputs["subnetIds"] == SUBNETS
        assert group.inputs["clusterName"] == cluster_name
        assert group.inputs["clusterName"] == "anyscale-prod"
        assert group.ignore_changes == ["scalingConfig.desiredSize"]
        assert group.deleted_with is None  # EKS refuses to delete a cluster with node groups
        assert group.outputs["status"] == "ACTIVE" and group.outputs["arn"].startswith(
            "arn:aws:eks:us-west-2:000000000000:nodegroup/anyscale-prod/")
    assert _groups(full)["c-gpu-t4-spot"].inputs["instanceTypes"] == ["g4dn.xlarge", "g4dn.2xlarge"]
    assert _groups(full)["c-gpu-t4-spot"].inputs["scalingConfig"]["maxSize"] == 4


def test_cpu_groups_can_be_turned_off(private):
    assert set(_groups(private)) == {"c-system"}


# -- the autoscaler's identity -------------------------------------------------------------------


def test_the_autoscaler_has_its_own_pod_identity_role_scoped_to_the_cluster(full):
    role = full.named("c-autoscaler-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "anyscale-prod",
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "cluster-autoscaler",
    }
    policy = full.named("c-autoscaler-policy")
    assert policy.inputs["role"] == role.outputs["name"] and policy.inputs["name"] == "Cluster_Autoscaler"
    scale = next(s for s in json.loads(policy.inputs["policy"])["Statement"] if s["Sid"] == "ScaleClusterNodegroups")
    assert scale["Condition"] == {"StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/anyscale-prod": "owned"}}
    association = full.one("aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs
    assert association == {"clusterName": "anyscale-prod", "namespace": "kube-system", "serviceAccount": "cluster-autoscaler",
                           "roleArn": role.outputs["arn"], "tags": {"Name": "c-autoscaler-pod-identity", "team": "ml"}}
    assert full.outputs["autoscaler_role_arn"] == role.outputs["arn"]


def test_roles_detach_their_policies_when_deleted(full):
    """Attachments and inline policies are deleted_with their role: the role must detach them."""
    roles = full.by_type(ROLE)
    assert len(roles) == 4 and all(r.inputs["forceDetachPolicies"] is True for r in roles)
    for attachment in full.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment"):
        assert attachment.deleted_with in {r.urn for r in roles}


def test_the_node_role_never_gets_the_autoscalers_policy(full):
    node_role = full.named("c-node-role").outputs["name"]
    assert all(r.inputs["role"] != node_role for r in full.by_type("aws:iam/rolePolicy:RolePolicy"))


# -- outputs -------------------------------------------------------------------------------------


def test_the_kubeconfig_uses_aws_eks_get_token(full):
    config = json.loads(full.outputs["kubeconfig"])
    cluster = full.one("aws:eks/cluster:Cluster").outputs
    assert config["clusters"][0]["cluster"] == {
        "server": cluster["endpoint"], "certificate-authority-data": cluster["certificateAuthority"]["data"]}
    assert config["users"][0]["user"]["exec"]["args"] == [
        "eks", "get-token", "--cluster-name", "anyscale-prod", "--region", "us-west-2", "--output", "json"]
    assert full.outputs["cluster_security_group_id"] == cluster["vpcConfig"]["clusterSecurityGroupId"]
    assert full.outputs["cluster_security_group_id"].startswith("sg-")


def test_kubeconfig_is_pure_and_holds_no_token():
    text = kubeconfig("c", "https://X.gr7.us-east-1.eks.amazonaws.com", "Q0E=", "us-east-1")
    config = json.loads(text)
    user = config["users"][0]["user"]
    assert config["current-context"] == "c" and list(user) == ["exec"]  # no token, no password
    assert user["exec"]["command"] == "aws"


# -- an existing cluster ---------------------------------------------------------------------------


def test_an_existing_cluster_is_looked_up_and_nothing_is_created(existing):
    assert [r for r in existing.resources if r.custom] == []
    issuer = existing.outputs["oidc_issuer_url"]
    assert existing.outputs["cluster_name"] == "platform-eks"
    assert issuer.startswith("https://oidc.eks.us-west-2.amazonaws.com/id/")
    # The provider's ARN in the deploying account, from the issuer.
    assert existing.outputs["oidc_provider_arn"] == f"arn:aws:iam::000000000000:oidc-provider/{issuer.removeprefix('https://')}"
    assert existing.outputs["node_role_arn"] is None and existing.outputs["autoscaler_role_arn"] is None
    assert existing.outputs["cluster_security_group_id"].startswith("sg-")


def test_an_existing_clusters_oidc_provider_can_be_given():
    arn = "arn:aws:iam::210987654321:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"
    result = _run(AnyscaleEksClusterArgs(existing_cluster_name="platform-eks", existing_oidc_provider_arn=arn))
    assert result.outputs["oidc_provider_arn"] == arn


# -- the pure planner ----------------------------------------------------------------------------


def test_adding_an_accelerator_renames_nothing():
    base = AnyscaleEksClusterArgs(gpu_node_groups={"T4": {"instance_types": ["g4dn.xlarge"]}})
    more = AnyscaleEksClusterArgs(gpu_node_groups={"L4": {"instance_types": ["g6.xlarge"]}, "T4": {"instance_types": ["g4dn.xlarge"]}})
    before, after = plan_node_groups("c", base), plan_node_groups("c", more)
    assert set(after) - set(before) == {"c-gpu-l4-ondemand", "c-gpu-l4-spot"}
    assert all(after[key] == plan for key, plan in before.items())


def test_capacity_order_in_the_list_does_not_matter():
    a = plan_node_groups("c", AnyscaleEksClusterArgs(cpu_node_groups={"capacity_types": ["SPOT", "ON_DEMAND"]}))
    b = plan_node_groups("c", AnyscaleEksClusterArgs(cpu_node_groups={"capacity_types": ["ON_DEMAND", "SPOT"]}))
    assert list(a) == list(b) == ["c-system", "c-ondemand-cpu", "c-spot-cpu"]


# -- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (dict(gpu_node_groups={"RTX4090": {"instance_types": ["g6.xlarge"]}}), "gpu_node_groups",
         "'RTX4090' is not a GPU type the chart maps on aws (known: A100-40G, A100-80G, A10G, H100, L4, L40S, T4, V100)"),
        (dict(gpu_node_groups={"T4": {}}), "gpu_node_groups.T4.instance_types", "is required"),
        (dict(gpu_node_groups={"T4": {"instance_types": ["g4dn"]}}), "gpu_node_groups.T4.instance_types",
         "is not an EC2 instance type"),
        (dict(cpu_node_groups={"capacity_types": ["SPOT", "SPOT"]}), "cpu_node_groups.capacity_types", "lists SPOT more than once"),
        (dict(cpu_node_groups={"capacity_types": ["RESERVED"]}), "cpu_node_groups.capacity_types.0", "ON_DEMAND"),
        (dict(cpu_node_groups={"min_size": 3, "max_size": 2}), "cpu_node_groups.min_size", "must not exceed max_size (2)"),
        (dict(system_node_group={"min_size": 1, "desired_size": 5, "max_size": 4}), "system_node_group.desired_size",
         "must be between min_size (1) and max_size (4)"),
        (dict(system_node_group={"min_size": 0}), "system_node_group.min_size", "greater than or equal to 1"),
        (dict(version="1.33.2"), "version", "is not a Kubernetes minor version like 1.33"),
        (dict(cluster_name="prod.cloud"), "cluster_name", "is not an EKS cluster name"),
        (dict(existing_cluster_name="x", version="1.32"), "version", "only one of existing_cluster_name and version"),
        (dict(existing_oidc_provider_arn="arn:aws:iam::210987654321:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/A"),
         "existing_oidc_provider_arn", "needs existing_cluster_name"),
        (dict(existing_cluster_name="x", existing_oidc_provider_arn="arn:aws:iam::210987654321:role/x"),
         "existing_oidc_provider_arn", "is not an IAM OIDC provider ARN"),
        (dict(subnet_ids=["subnet-xyz"]), "subnet_ids", "is not a subnet id"),
    ],
)
def test_bad_input_names_the_field(args, field, message):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleEksClusterArgs(**args)
    assert info.value.fields == [field]
    assert message in str(info.value)


def test_a_new_cluster_needs_two_subnets_before_any_resource(preview):
    error = deploy_error(preview, lambda: AnyscaleEksCluster("c", AnyscaleEksClusterArgs(subnet_ids=SUBNETS[:1])))
    assert error.fields == ["subnet_ids"] and "needs at least 2 subnets" in str(error)

"""AnyscaleGkeCluster: a regional cluster with Workload Identity, VPC-native on the given
subnet, private nodes in private networking, a least-privilege node account, and node pools
whose labels, taints and metadata mode are exactly the chart's contract; an existing
cluster; the pure builders; and every bad input naming its field."""

from __future__ import annotations

import base64

import pytest
import yaml

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp.gke import (
    AnyscaleGkeCluster,
    AnyscaleGkeClusterArgs,
    GkeNodePoolArgs,
    gke_kubeconfig,
    gke_taints,
    workload_identity_problem,
)
from anyscale_infra.kubernetes.node_pools import CapacityType, node_pool_spec
from anyscale_infra.preview.engine import run_function

PROJECT = "acme-ml-prod"
REGION = "us-central1"
CONFIG = {"gcp:project": PROJECT, "gcp:region": REGION}
CLUSTER = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
ACCOUNT = "gcp:serviceaccount/account:Account"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
NODES = "anyscale-gke-nodes@acme-ml-prod.iam.gserviceaccount.com"
NETWORK = "https://www.googleapis.com/compute/v1/projects/acme-ml-prod/global/networks/anyscale-vpc"
SUBNET = "https://www.googleapis.com/compute/v1/projects/acme-ml-prod/regions/us-central1/subnetworks/anyscale-subnet"
NEW = dict(
    project_id=PROJECT,
    region=REGION,
    network=NETWORK,
    subnetwork=SUBNET,
    pods_range_name="pods",
    services_range_name="services",
)
GPU_POOLS = [
    {"capacity": "ON_DEMAND"},
    {"capacity": "SPOT"},
    {"accelerator": "T4", "capacity": "SPOT"},
    {"accelerator": "A100-80G", "capacity": "ON_DEMAND"},
]

CAPACITY = "node.anyscale.com/capacity-type"
ACCELERATOR = "node.anyscale.com/accelerator-type"


def build(**args):
    def program():
        import pulumi

        cluster = AnyscaleGkeCluster("c", AnyscaleGkeClusterArgs(**args))
        pulumi.export("zones", cluster.zones)
        pulumi.export("kubeconfig", cluster.kubeconfig)
        pulumi.export("workload_pool", cluster.workload_pool)
        pulumi.export("names", cluster.node_pool_names)

    return run_function(program, config=CONFIG)


@pytest.fixture(scope="module")
def public():
    return build(**NEW, node_pools=GPU_POOLS)


@pytest.fixture(scope="module")
def private():
    return build(
        **NEW, private_nodes=True, zones=["us-central1-b", "us-central1-f"],
        master_authorized_networks=["203.0.113.0/24"], labels={"team": "ml"}, cloud_id="cld_AbC123xyz",
    )


def pools(result) -> dict:
    """Pool key (the logical name's suffix) -> inputs."""
    return {r.name.removeprefix("c-"): r.inputs for r in result.by_type(POOL)}


# --- the cluster ------------------------------------------------------------------------------------
def test_a_regional_vpc_native_cluster_with_workload_identity(public):
    cluster = public.one(CLUSTER)
    inputs = cluster.inputs
    assert inputs["location"] == REGION and inputs["project"] == PROJECT
    assert inputs["workloadIdentityConfig"] == {"workloadPool": "acme-ml-prod.svc.id.goog"}
    assert (inputs["network"], inputs["subnetwork"], inputs["networkingMode"]) == (NETWORK, SUBNET, "VPC_NATIVE")
    assert inputs["ipAllocationPolicy"] == {"clusterSecondaryRangeName": "pods", "servicesSecondaryRangeName": "services"}
    assert (inputs["removeDefaultNodePool"], inputs["initialNodeCount"]) == (True, 1)
    assert inputs["releaseChannel"] == {"channel": "REGULAR"}
    assert inputs["deletionProtection"] is True and inputs["enableShieldedNodes"] is True
    assert "privateClusterConfig" not in inputs and "masterAuthorizedNetworksConfig" not in inputs
    # The short-lived default pool already runs as the node account, with GKE_METADATA.
    assert inputs["nodeConfig"]["serviceAccount"] == NODES
    assert inputs["nodeConfig"]["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
    # The region's first three UP zones (the offline answer: a, b, c).
    assert inputs["nodeLocations"] == ["us-central1-a", "us-central1-b", "us-central1-c"]
    assert public.outputs["zones"] == inputs["nodeLocations"]
    assert public.outputs["workload_pool"] == "acme-ml-prod.svc.id.goog"
    assert public.warnings == []


def test_private_nodes_keep_the_public_endpoint_and_use_the_given_zones(private):
    inputs = private.one(CLUSTER).inputs
    assert inputs["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": False}
    assert inputs["masterAuthorizedNetworksConfig"] == {"cidrBlocks": [{"cidrBlock": "203.0.113.0/24", "displayName": "authorized-0"}]}
    assert inputs["nodeLocations"] == ["us-central1-b", "us-central1-f"]
    assert all(p["nodeLocations"] == ["us-central1-b", "us-central1-f"] for p in pools(private).values())
    assert inputs["resourceLabels"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_abc123xyz"}


def test_the_node_account_has_the_least_privilege_node_roles_only(public):
    (account,) = public.by_type(ACCOUNT)
    assert account.inputs["accountId"] == "anyscale-gke-nodes"
    grants = {(m.inputs["role"], m.inputs["member"]) for m in public.by_type(PROJECT_MEMBER)}
    assert grants == {
        (role, f"serviceAccount:{NODES}")
        for role in (
            "roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter",
            "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer",
        )
    }
    assert not any("storage" in role or "file." in role or "iam." in role for role, _ in grants)


# --- the node pools -------------------------------------------------------------------------------------
def test_every_pool_runs_as_the_node_account_with_gke_metadata_and_shielded_nodes(public):
    found = pools(public)
    assert set(found) == {"system", "cpu-ondemand", "cpu-spot", "gpu-t4-spot", "gpu-a100-80g-ondemand"}
    cluster = public.one(CLUSTER)
    for key, pool in found.items():
        config = pool["nodeConfig"]
        assert config["serviceAccount"] == NODES, key
        assert config["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}, key
        assert config["shieldedInstanceConfig"] == {"enableSecureBoot": True, "enableIntegrityMonitoring": True}, key
        assert config["oauthScopes"] == ["https://www.googleapis.com/auth/cloud-platform"], key
        assert (pool["cluster"], pool["location"]) == (cluster.outputs["name"], REGION), key
        assert pool["management"] == {"autoRepair": True, "autoUpgrade": True}, key
    # Part of the cluster: deleted with it.
    assert all(r.deleted_with == cluster.urn for r in public.by_type(POOL))


def test_the_system_pool_has_its_label_and_no_anyscale_taints(public):
    system = pools(public)["system"]
    assert system["nodeConfig"]["labels"] == {"node.anyscale.com/role": "system"}
    assert "taints" not in system["nodeConfig"] and "spot" not in system["nodeConfig"]
    assert system["autoscaling"] == {"minNodeCount": 1, "maxNodeCount": 2, "locationPolicy": "BALANCED"}
    assert system["nodeConfig"]["machineType"] == "e2-standard-4"


def test_cpu_pools_carry_the_capacity_label_and_taint(public):
    found = pools(public)
    for key, capacity, spot in (("cpu-ondemand", "ON_DEMAND", False), ("cpu-spot", "SPOT", True)):
        config = found[key]["nodeConfig"]
        assert config["labels"] == {CAPACITY: capacity}
        assert config["taints"] == [{"key": CAPACITY, "value": capacity, "effect": "NO_SCHEDULE"}]
        assert config["spot"] is spot
        assert config["machineType"] == "n2-standard-16"
        assert "guestAccelerators" not in config
        assert found[key]["initialNodeCount"] == 0
        assert found[key]["autoscaling"]["minNodeCount"] == 0 and found[key]["autoscaling"]["maxNodeCount"] == 10
    assert found["cpu-spot"]["autoscaling"]["locationPolicy"] == "ANY"


def test_gpu_pools_carry_both_gpu_taints_the_accelerator_and_gke_drivers(public):
    found = pools(public)
    t4 = found["gpu-t4-spot"]["nodeConfig"]
    assert t4["labels"] == {CAPACITY: "SPOT", ACCELERATOR: "GPU"}
    assert t4["taints"] == [
        {"key": "nvidia.com/gpu", "value": "present", "effect": "NO_SCHEDULE"},
        {"key": ACCELERATOR, "value": "GPU", "effect": "NO_SCHEDULE"},
        {"key": CAPACITY, "value": "SPOT", "effect": "NO_SCHEDULE"},
    ]
    # GKE labels the nodes cloud.google.com/gke-accelerator=<type> itself: the chart's GCP selector.
    assert t4["guestAccelerators"] == [
        {"type": "nvidia-tesla-t4", "count": 1, "gpuDriverInstallationConfig": {"gpuDriverVersion": "LATEST"}}
    ]
    assert (t4["machineType"], t4["spot"]) == ("n1-standard-16", True)
    a100 = found["gpu-a100-80g-ondemand"]["nodeConfig"]
    assert a100["guestAccelerators"][0]["type"] == "nvidia-a100-80gb"
    assert (a100["machineType"], a100["spot"]) == ("a2-ultragpu-1g", False)
    assert a100["labels"] == {CAPACITY: "ON_DEMAND", ACCELERATOR: "GPU"}


def test_pool_labels_and_taints_are_the_shared_node_pool_contract(public):
    """The same spec EKS and AKS read: node_pool_spec(provider="gcp", ...)."""
    found = pools(public)
    for key, capacity, accelerator in (
        ("cpu-ondemand", CapacityType.ON_DEMAND, None), ("cpu-spot", CapacityType.SPOT, None),
        ("gpu-t4-spot", CapacityType.SPOT, "T4"), ("gpu-a100-80g-ondemand", CapacityType.ON_DEMAND, "A100-80G"),
    ):
        spec = node_pool_spec("gcp", capacity, accelerator)
        assert found[key]["nodeConfig"]["labels"] == spec.labels
        assert found[key]["nodeConfig"]["taints"] == gke_taints(spec)


def test_pool_names_fit_gke_and_logical_names_are_keyed_by_meaning(public):
    names = public.outputs["names"]
    assert set(names) == set(pools(public))
    assert all(len(n) <= 40 and n.startswith(f"c-{k}-") for k, n in names.items())


def test_the_kubeconfig_uses_the_gke_auth_plugin_and_the_clusters_endpoint(public):
    cluster = public.one(CLUSTER)
    config = yaml.safe_load(public.outputs["kubeconfig"])
    context = f"gke_{PROJECT}_{REGION}_{cluster.outputs['name']}"
    assert config["current-context"] == context
    (entry,) = config["clusters"]
    assert entry["cluster"]["server"] == f"https://{cluster.outputs['endpoint']}"
    assert entry["cluster"]["certificate-authority-data"] == cluster.outputs["masterAuth"]["clusterCaCertificate"]
    (user,) = config["users"]
    assert user["user"]["exec"]["command"] == "gke-gcloud-auth-plugin"
    assert user["user"]["exec"]["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert "token" not in user["user"]  # no credential inside


def test_the_preview_gives_the_cluster_googles_shapes(public):
    cluster = public.one(CLUSTER)
    name = cluster.outputs["name"]
    assert cluster.id == f"projects/{PROJECT}/locations/{REGION}/clusters/{name}"
    assert cluster.outputs["selfLink"] == f"https://container.googleapis.com/v1/projects/{PROJECT}/locations/{REGION}/clusters/{name}"
    assert cluster.outputs["endpoint"].count(".") == 3
    pem = base64.b64decode(cluster.outputs["masterAuth"]["clusterCaCertificate"]).decode()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    pool = next(r for r in public.by_type(POOL) if r.name == "c-system")
    assert pool.id == f"projects/{PROJECT}/locations/{REGION}/clusters/{name}/nodePools/{pool.outputs['name']}"


# --- an existing cluster --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def existing():
    return build(project_id=PROJECT, existing_cluster_name="prod-gke", existing_cluster_location="us-central1")


def test_an_existing_cluster_is_looked_up_not_created(existing):
    assert existing.by_type(CLUSTER) == [] and existing.by_type(POOL) == [] and existing.by_type(ACCOUNT) == []
    assert existing.outputs["zones"] == ["us-central1-a", "us-central1-b", "us-central1-c"]
    assert existing.outputs["workload_pool"] == "acme-ml-prod.svc.id.goog"
    assert yaml.safe_load(existing.outputs["kubeconfig"])["current-context"] == f"gke_{PROJECT}_us-central1_prod-gke"
    assert any("labels and taints" in w for w in existing.warnings)


def test_an_existing_cluster_without_workload_identity_is_refused():
    assert workload_identity_problem("prod", ["acme-ml-prod.svc.id.goog"], "acme-ml-prod.svc.id.goog") is None
    problem = workload_identity_problem("prod", [None], "acme-ml-prod.svc.id.goog")
    assert problem.startswith("cluster prod: Workload Identity is off, not acme-ml-prod.svc.id.goog")
    assert "--workload-pool=acme-ml-prod.svc.id.goog" in problem
    assert "its workload pool is other.svc.id.goog" in workload_identity_problem("prod", ["other.svc.id.goog"], "acme-ml-prod.svc.id.goog")


# --- pure builders --------------------------------------------------------------------------------------
def test_taints_map_kubernetes_effects_to_the_gke_api():
    from anyscale_infra.kubernetes.node_pools import NodePoolSpec, Taint

    spec = NodePoolSpec(taints=(Taint("a", "1"), Taint("b", "2", "PreferNoSchedule"), Taint("c", "3", "NoExecute")))
    assert [t["effect"] for t in gke_taints(spec)] == ["NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"]


def test_the_kubeconfig_builder_is_plain():
    config = yaml.safe_load(gke_kubeconfig("prod", "10.0.0.2", "Q0E=", "ctx"))
    assert config["clusters"][0]["cluster"] == {"server": "https://10.0.0.2", "certificate-authority-data": "Q0E="}
    assert config["contexts"] == [{"name": "ctx", "context": {"cluster": "ctx", "user": "ctx"}}]


def test_pool_defaults_per_accelerator():
    assert GkeNodePoolArgs(accelerator="H100").effective_machine_type() == "a3-highgpu-8g"
    assert GkeNodePoolArgs(accelerator="H100").effective_accelerator_count() == 8
    assert GkeNodePoolArgs(accelerator="L4", accelerator_count=2, machine_type="g2-standard-24").effective_accelerator_count() == 2
    assert GkeNodePoolArgs().key == "cpu-ondemand" and GkeNodePoolArgs(accelerator="RTX-PRO-6000", capacity="SPOT").key == "gpu-rtx-pro-6000-spot"


# --- bad input ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, field, needle",
    [
        ({"node_pools": [{"accelerator": "V100"}]}, "node_pools.0.accelerator",
         "'V100' is not a GPU type the chart maps on gcp (known: A100-40G, A100-80G, H100, H100-MEGA, L4, RTX-PRO-6000, T4)"),
        ({"zones": ["us-east1-b"]}, "zones", "zone us-east1-b is not in region us-central1"),
        ({"zones": []}, "zones", "needs at least one zone"),
        ({"node_pools": [{}, {"capacity": "ON_DEMAND"}]}, "node_pools.1.name", "pool key 'cpu-ondemand' is used by node_pools.0 too"),
        ({"node_pools": [{"name": "system"}]}, "node_pools.0.name", "the system pool's key"),
        ({"node_pools": [{"min_nodes_per_zone": 5, "max_nodes_per_zone": 2}]}, "node_pools.0.max_nodes_per_zone", "is below min_nodes_per_zone"),
        ({"node_pools": [{"accelerator_count": 2}]}, "node_pools.0.accelerator_count", "applies to GPU pools only"),
        ({"system_pool": {"min_nodes_per_zone": 0}}, "system_pool.min_nodes_per_zone", "greater than or equal to 1"),
        ({"master_ipv4_cidr_block": "172.16.0.0/24", "private_nodes": True}, "master_ipv4_cidr_block", "must be a /28"),
        ({"master_ipv4_cidr_block": "172.16.0.0/28"}, "master_ipv4_cidr_block", "needs private_nodes=True"),
        ({"cluster_name": "a-cluster-name-that-is-far-too-long-for-gke"}, "cluster_name", "GKE allows at most 40"),
        ({"master_authorized_networks": ["10.0.0.1/8"]}, "master_authorized_networks", "host bits set"),
    ],
)
def test_bad_input_names_the_field(args, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeClusterArgs(**{**NEW, **args})
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_an_existing_cluster_takes_no_new_cluster_settings_and_must_be_in_the_region():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeClusterArgs(existing_cluster_name="prod", existing_cluster_location="us-central1", node_pools=[{}], private_nodes=True)
    assert info.value.fields == ["private_nodes", "node_pools"]
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeClusterArgs(region=REGION, existing_cluster_name="prod", existing_cluster_location="europe-west4-a")
    assert info.value.fields == ["existing_cluster_location"]
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeClusterArgs(existing_cluster_name="prod")
    assert info.value.fields == ["existing_cluster_location"]


def test_a_new_cluster_without_its_network_names_what_it_lacks():
    with pytest.raises(Exception) as info:
        build(project_id=PROJECT, region=REGION)
    error = info.value.cause if hasattr(info.value, "cause") else info.value
    assert isinstance(error, InvalidArgsError)
    assert error.fields == ["network", "subnetwork", "pods_range_name", "services_range_name"]


def test_pool_auto_names_over_gkes_limit_name_the_pool():
    with pytest.raises(Exception) as info:
        run_function(
            lambda: AnyscaleGkeCluster("anyscale-ml-prod", AnyscaleGkeClusterArgs(**NEW, node_pools=[{}, {"accelerator": "RTX-PRO-6000"}])),
            config=CONFIG,
        )
    error = info.value.cause
    assert isinstance(error, InvalidArgsError)
    # anyscale-ml-prod-gpu-rtx-pro-6000-ondemand-<7 hex> is 50 characters; the others fit.
    assert error.fields == ["node_pools.1.name"] and "is 50 characters; GKE allows 40" in str(error)

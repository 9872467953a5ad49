"""AnyscaleAksCluster: a new cluster with OIDC issuer, workload identity, Azure CNI (overlay or
flat) and Anyscale's pools, whose labels and taints are exactly the chart's contract; an
existing cluster, checked at `pulumi up`; the pure builders; and every bad input naming its
field before any resource."""

from __future__ import annotations

import base64
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from program_errors import deploy_error

from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.aks import (
    AksNodePoolArgs,
    AksPodNetworking,
    AnyscaleAksCluster,
    AnyscaleAksClusterArgs,
    address_capacity_problems,
    aks_node_labels,
    aks_taints,
    decode_kubeconfig,
    default_dns_prefix,
    default_pool_name,
    existing_cluster_problem,
    pool_zones,
)
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.kubernetes.constants import GPU_PRODUCTS
from anyscale_infra.kubernetes.node_pools import CapacityType, node_pool_spec

CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
SUB = "11111111-2222-3333-4444-555555555555"
SUBNET_ID = f"/subscriptions/{SUB}/resourceGroups/anyscale-rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks-nodes"
CLUSTER_ID = f"/subscriptions/{SUB}/resourceGroups/prod-rg/providers/Microsoft.ContainerService/managedClusters/prod-aks"
NEW = dict(resource_group_name="anyscale-rg", node_subnet_id=SUBNET_ID, vnet_cidr="10.0.0.0/16", node_subnet_cidr="10.0.0.0/20")
GPU_POOLS = [
    {"capacity": "ON_DEMAND"},
    {"capacity": "SPOT"},
    {"accelerator": "T4", "capacity": "ON_DEMAND"},
    {"accelerator": "A100", "capacity": "SPOT", "zones": ["2"]},
]
CAPACITY = "node.anyscale.com/capacity-type"
ACCELERATOR = "node.anyscale.com/accelerator-type"
PRODUCT = "nvidia.com/gpu.product"
PRIORITY = "kubernetes.azure.com/scalesetpriority"
GET_CLUSTER = "azure-native:containerservice:getManagedCluster"
CREDENTIALS = "azure-native:containerservice:listManagedClusterUserCredentials"
KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n"


def build(run, **args):
    def program():
        import pulumi

        cluster = AnyscaleAksCluster("c", AnyscaleAksClusterArgs(**args))
        for key in ("cluster_id", "cluster_name", "resource_group_name", "location", "oidc_issuer_url", "zones",
                    "kubelet_identity_object_id", "kubeconfig"):
            pulumi.export(key, getattr(cluster, key))
        pulumi.export("names", cluster.node_pool_names)

    return run(program)


def pools(result) -> dict:
    """AKS pool name -> inputs."""
    return {r.inputs["agentPoolName"]: r.inputs for r in result.by_type(POOL)}


@pytest.fixture(scope="module")
def public(azure_preview):
    return build(azure_preview, **NEW, node_pools=GPU_POOLS, tags={"team": "ml"})


@pytest.fixture(scope="module")
def private(azure_preview):
    return build(
        azure_preview, **NEW, networking="private", pod_networking="vnet", cluster_name="anyscale-prod",
        zones=["1", "3"], sku_tier="Standard", network_policy="azure",
    )


# --- the cluster ------------------------------------------------------------------------------------
def test_oidc_issuer_and_workload_identity_are_on(public):
    inputs = public.one(CLUSTER).inputs
    assert inputs["oidcIssuerProfile"] == {"enabled": True}
    assert inputs["securityProfile"] == {"workloadIdentity": {"enabled": True}}
    assert inputs["identity"] == {"type": "SystemAssigned"}
    assert inputs["enableRBAC"] is True
    assert inputs["kubernetesVersion"] == "1.33"
    assert inputs["resourceGroupName"] == "anyscale-rg"
    assert inputs["sku"] == {"name": "Base", "tier": "Free"}
    assert inputs["dnsPrefix"] == "c" and "resourceName" not in inputs  # auto-named
    assert inputs["tags"] == {"managed-by": "anyscale-infra", "team": "ml"}


def test_azure_cni_overlay_with_ranges_outside_the_vnet(public):
    assert public.one(CLUSTER).inputs["networkProfile"] == {
        "networkPlugin": "azure",
        "networkPluginMode": "overlay",
        "podCidr": "10.244.0.0/16",
        "serviceCidr": "10.96.0.0/16",
        "dnsServiceIP": "10.96.0.10",
        "loadBalancerSku": "standard",
        "outboundType": "loadBalancer",
    }


def test_the_api_server_is_public_in_direct_networking(public):
    assert public.one(CLUSTER).inputs["apiServerAccessProfile"] == {"enablePrivateCluster": False}
    assert public.warnings == []


def test_the_system_pool_is_inline_small_labelled_and_not_critical_only(public):
    (system,) = public.one(CLUSTER).inputs["agentPoolProfiles"]
    assert system == {
        "name": "system",
        "mode": "System",
        "osType": "Linux",
        "type": "VirtualMachineScaleSets",
        "vmSize": "Standard_D4s_v5",
        "orchestratorVersion": "1.33",
        "enableAutoScaling": True,
        "count": 1,
        "minCount": 1,
        "maxCount": 3,
        "osDiskSizeGB": 128,
        "maxPods": 250,
        "availabilityZones": ["1", "2", "3"],
        "vnetSubnetID": SUBNET_ID,
        "nodeLabels": {"node.anyscale.com/role": "system"},
        "tags": {"managed-by": "anyscale-infra", "team": "ml"},
    }
    assert "nodeTaints" not in system  # no CriticalAddonsOnly: the operator and the gateway run here


def test_the_cluster_is_protected_and_its_system_pool_count_left_to_the_autoscaler(public):
    cluster = public.one(CLUSTER)
    assert cluster.protect is True
    assert cluster.ignore_changes == ["agentPoolProfiles[0].count"]
    assert cluster.parent == public.one("anyscale-infra:index:AnyscaleAksCluster").urn


def test_private_networking_makes_a_private_flat_cni_cluster(private):
    inputs = private.one(CLUSTER).inputs
    assert inputs["apiServerAccessProfile"] == {"enablePrivateCluster": True}
    assert inputs["networkProfile"] == {
        "networkPlugin": "azure",
        "serviceCidr": "10.96.0.0/16",
        "dnsServiceIP": "10.96.0.10",
        "loadBalancerSku": "standard",
        "outboundType": "loadBalancer",
        "networkPolicy": "azure",
    }
    assert (inputs["resourceName"], inputs["dnsPrefix"]) == ("anyscale-prod", "anyscale-prod")
    assert inputs["sku"] == {"name": "Base", "tier": "Standard"}
    assert inputs["agentPoolProfiles"][0]["availabilityZones"] == ["1", "3"]
    assert all(p["availabilityZones"] == ["1", "3"] for p in pools(private).values())
    # Flat Azure CNI: AKS's default of 30 pods a node, explicit (the subnet check counts on it).
    assert inputs["agentPoolProfiles"][0]["maxPods"] == 30 and all(p["maxPods"] == 30 for p in pools(private).values())
    assert private.outputs["zones"] == ["1", "3"]
    assert any("API server is private" in w for w in private.warnings)


# --- the workload pools -------------------------------------------------------------------------------
def test_default_pool_names_fit_the_rule_and_key_the_logical_names(public):
    found = pools(public)
    assert set(found) == {"cpuod", "cpuspot", "gput4od", "ga100sp"}
    assert {r.name for r in public.by_type(POOL)} == {f"c-{n}" for n in found}
    assert public.outputs["names"] == {"system": "system", **{n: n for n in found}}


def test_every_pool_autoscales_from_zero_in_the_node_subnet_and_dies_with_the_cluster(public):
    cluster = public.one(CLUSTER)
    for name, pool in pools(public).items():
        assert (pool["enableAutoScaling"], pool["count"], pool["minCount"], pool["maxCount"]) == (True, 0, 0, 10), name
        assert pool["vnetSubnetID"] == SUBNET_ID, name
        assert (pool["mode"], pool["osType"], pool["type"]) == ("User", "Linux", "VirtualMachineScaleSets"), name
        assert pool["resourceName"] == cluster.outputs["name"] and pool["resourceGroupName"] == "anyscale-rg", name
        assert pool["orchestratorVersion"] == "1.33" and pool["osDiskSizeGB"] == 256, name
        assert pool["maxPods"] == 250, name  # AKS's overlay default, explicit
    for record in public.by_type(POOL):
        assert record.deleted_with == cluster.urn and record.ignore_changes == ["count"]
        assert record.parent == cluster.parent and record.protect is False


def test_on_demand_cpu_pool(public):
    pool = pools(public)["cpuod"]
    assert pool["nodeLabels"] == {CAPACITY: "ON_DEMAND"}
    assert pool["nodeTaints"] == ["node.anyscale.com/capacity-type=ON_DEMAND:NoSchedule"]
    assert pool["vmSize"] == "Standard_D16s_v5" and pool["availabilityZones"] == ["1", "2", "3"]
    assert not {"scaleSetPriority", "scaleSetEvictionPolicy", "spotMaxPrice"} & set(pool)


def test_spot_cpu_pool_declares_what_aks_adds(public):
    pool = pools(public)["cpuspot"]
    assert (pool["scaleSetPriority"], pool["scaleSetEvictionPolicy"], pool["spotMaxPrice"]) == ("Spot", "Delete", -1)
    assert pool["nodeLabels"] == {CAPACITY: "SPOT", PRIORITY: "spot"}
    assert pool["nodeTaints"] == [
        "node.anyscale.com/capacity-type=SPOT:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]


def test_gpu_pools_carry_both_gpu_taints_and_the_product_label(public):
    t4 = pools(public)["gput4od"]
    assert t4["vmSize"] == "Standard_NC16as_T4_v3"
    assert t4["nodeLabels"] == {CAPACITY: "ON_DEMAND", ACCELERATOR: "GPU", PRODUCT: "NVIDIA-T4"}
    assert t4["nodeTaints"] == [
        "nvidia.com/gpu=present:NoSchedule",
        "node.anyscale.com/accelerator-type=GPU:NoSchedule",
        "node.anyscale.com/capacity-type=ON_DEMAND:NoSchedule",
    ]
    a100 = pools(public)["ga100sp"]
    assert (a100["vmSize"], a100["availabilityZones"], a100["scaleSetPriority"]) == ("Standard_NC24ads_A100_v4", ["2"], "Spot")
    assert a100["nodeLabels"] == {CAPACITY: "SPOT", ACCELERATOR: "GPU", PRODUCT: "NVIDIA-A100", PRIORITY: "spot"}
    assert a100["nodeTaints"][-1] == c.SPOT_TAINT


def test_pool_labels_and_taints_are_the_shared_node_pool_contract(public):
    """The same spec EKS and GKE read: node_pool_spec(provider="azure", ...)."""
    for name, capacity, accelerator in (
        ("cpuod", CapacityType.ON_DEMAND, None), ("cpuspot", CapacityType.SPOT, None),
        ("gput4od", CapacityType.ON_DEMAND, "T4"), ("ga100sp", CapacityType.SPOT, "A100"),
    ):
        spec = node_pool_spec("azure", capacity, accelerator)
        spot = capacity is CapacityType.SPOT
        pool = pools(public)[name]
        assert pool["nodeLabels"] == aks_node_labels(spec, spot)
        assert pool["nodeTaints"] == aks_taints(spec, spot)
        assert set(spec.labels.items()) <= set(pool["nodeLabels"].items())


# --- outputs ------------------------------------------------------------------------------------------
def test_outputs_mirror_the_cluster(public):
    cluster = public.one(CLUSTER)
    out = public.outputs
    assert out["cluster_id"] == cluster.id and out["cluster_name"] == cluster.outputs["name"]
    assert out["resource_group_name"] == "anyscale-rg" and out["location"] == "eastus2"
    assert out["oidc_issuer_url"] == cluster.outputs["oidcIssuerProfile"]["issuerURL"]
    assert out["oidc_issuer_url"].startswith("https://eastus2.oic.prod-aks.azure.com/")
    assert out["kubelet_identity_object_id"] == cluster.outputs["identityProfile"]["kubeletidentity"]["objectId"]
    assert out["zones"] == ["1", "2", "3"]
    # The offline preview answers the credentials lookup with a kubelogin kubeconfig (secret).
    assert out["kubeconfig"].startswith("apiVersion: v1\nkind: Config\n") and "kubeconfig" in public.secret_outputs
    assert f"server: https://{out['cluster_name']}.hcp.eastus2.azmk8s.io:443" in out["kubeconfig"]


def test_the_kubeconfig_is_the_decoded_user_credential_and_secret(azure_preview, azure_answers):
    seen = []

    def credentials(args):
        seen.append(args)
        return {"kubeconfigs": [{"name": "clusterUser", "value": base64.b64encode(KUBECONFIG.encode()).decode()}]}

    with azure_answers({CREDENTIALS: credentials}):
        result = build(azure_preview, **NEW, cluster_name="anyscale-prod")
    assert result.outputs["kubeconfig"] == KUBECONFIG and "kubeconfig" in result.secret_outputs
    assert seen == [{"resourceGroupName": "anyscale-rg", "resourceName": "anyscale-prod"}]


# --- an existing cluster ------------------------------------------------------------------------------
def existing_answer(oidc=True, workload_identity=True, location="eastus2", ident=CLUSTER_ID):
    def answer(args):
        return {
            "id": ident,
            "name": args["resourceName"],
            "location": location,
            "oidcIssuerProfile": {"enabled": oidc, **({"issuerURL": "https://eastus2.oic.prod-aks.azure.com/t/i/"} if oidc else {})},
            "securityProfile": {"workloadIdentity": {"enabled": workload_identity}},
            "agentPoolProfiles": [
                {"name": "system", "availabilityZones": ["2", "1"]},
                {"name": "gpu", "availabilityZones": ["3", "1"]},
                {"name": "nozones"},
            ],
            "identityProfile": {"kubeletidentity": {"objectId": "kubelet-object", "clientId": "kubelet-client"}},
        }

    return answer


def test_an_existing_cluster_is_looked_up_not_created(azure_preview, azure_answers):
    with azure_answers({GET_CLUSTER: existing_answer()}):
        result = build(azure_preview, existing_cluster_id=CLUSTER_ID)
    assert result.by_type(CLUSTER) == [] and result.by_type(POOL) == []
    out = result.outputs
    assert (out["cluster_id"], out["cluster_name"], out["resource_group_name"]) == (CLUSTER_ID, "prod-aks", "prod-rg")
    assert out["oidc_issuer_url"] == "https://eastus2.oic.prod-aks.azure.com/t/i/"
    assert out["zones"] == ["1", "2", "3"]  # the pools' zones, as setup_k8s reads them
    assert out["kubelet_identity_object_id"] == "kubelet-object" and out["location"] == "eastus2"
    assert "server: https://prod-aks.hcp." in out["kubeconfig"] and "kubeconfig" in result.secret_outputs
    assert out["names"] == {}
    assert any("labels and taints" in w for w in result.warnings)


def test_an_existing_cluster_offline_previews_with_preview_values_and_says_so(azure_preview):
    # The provider's subscription is the cluster's (as for a real `pulumi up`).
    run = lambda program: azure_preview(program, config={"azure-native:subscriptionId": SUB})  # noqa: E731
    result = build(run, existing_cluster_id=CLUSTER_ID, zones=["1"])
    assert result.resources and result.by_type(CLUSTER) == []
    assert result.outputs["zones"] == ["1"]
    assert result.outputs["oidc_issuer_url"].startswith("https://eastus2.oic.prod-aks.azure.com/")
    assert any("prod-rg/prod-aks is not looked up offline" in n for n in result.notes)


@pytest.mark.parametrize(
    "answer, needle",
    [
        (existing_answer(oidc=False), "its OIDC issuer is off (az aks update --enable-oidc-issuer)"),
        (existing_answer(workload_identity=False), "workload identity is off (az aks update --enable-workload-identity)"),
        (existing_answer(location="brazilsouth"), "not available in brazilsouth"),
        (existing_answer(ident=CLUSTER_ID.replace(SUB, "99999999-2222-3333-4444-555555555555")),
         f"must be configured for subscription {SUB}"),
    ],
)
def test_an_existing_cluster_without_what_the_operator_needs_fails_naming_the_field(azure_preview, azure_answers, answer, needle):
    with azure_answers({GET_CLUSTER: answer}):
        error = deploy_error(azure_preview, lambda: AnyscaleAksCluster("c", AnyscaleAksClusterArgs(existing_cluster_id=CLUSTER_ID)))
    assert error.fields == ["existing_cluster_id"]
    assert needle in str(error) and "prod-aks" in str(error)


def test_an_existing_cluster_takes_no_new_cluster_settings():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAksClusterArgs(existing_cluster_id=CLUSTER_ID, node_pools=[{}], networking="private", protect=False)
    assert info.value.fields == ["networking", "node_pools", "protect"]


# --- bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args, field, needle",
    [
        ({"node_pools": [{"name": "gpupool01"}]}, "node_pools.0.name", "'gpupool01' must be 1 to 8 lowercase letters and digits"),
        ({"node_pools": [{"name": "cpu-od"}]}, "node_pools.0.name", "'cpu-od' must be 1 to 8"),
        ({"node_pools": [{"name": "CpuOd"}]}, "node_pools.0.name", "'CpuOd' must be 1 to 8"),
        ({"node_pools": [{"name": "1cpu"}]}, "node_pools.0.name", "starting with a letter"),
        ({"node_pools": [{}, {"capacity": "ON_DEMAND"}]}, "node_pools.1.name",
         "pool name 'cpuod' (the default for this kind of pool) is used by node_pools.0 too"),
        ({"node_pools": [{"name": "system"}]}, "node_pools.0.name", "'system' is the system pool's name"),
        ({"node_pools": [{"accelerator": "V100"}]}, "node_pools.0.accelerator",
         "'V100' is not a GPU type the chart maps on azure (known: A10, A100, H100, T4)"),
        ({"node_pools": [{"accelerator": "T4", "vm_size": "nc16"}]}, "node_pools.0.vm_size", "is not an Azure VM size"),
        ({"node_pools": [{"min_count": 5, "max_count": 2}]}, "node_pools.0.max_count", "2 is below min_count 5"),
        ({"node_pools": [{"zones": ["4"]}]}, "node_pools.0.zones", "zone '4' is not an Azure availability zone (1, 2, 3)"),
        ({"zones": ["0"]}, "zones", "zone '0' is not an Azure availability zone"),
        ({"zones": ["1", "1"]}, "zones", "lists zone 1 more than once"),
        ({"zones": [1]}, "zones.0", "valid string"),
        ({"location": "westcentralus"}, "zones", "westcentralus has no availability zones: set zones=[]"),
        ({"location": "brazilsouth"}, "location", "Anyscale.Platform/clouds is not available in brazilsouth"),
        ({"system_pool": {"min_count": 0}}, "system_pool.min_count", "greater than or equal to 1"),
        ({"system_pool": {"min_count": 3, "max_count": 2}}, "system_pool.max_count", "2 is below min_count 3"),
        ({"existing_cluster_id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c"},
         "existing_cluster_id", "is not a Microsoft.ContainerService/managedClusters resource id"),
        ({"node_subnet_id": "subnet-1"}, "node_subnet_id", "is not a subnet resource id"),
        ({"service_cidr": "10.0.0.0/16", "dns_service_ip": "10.0.0.10"}, "service_cidr",
         "service CIDR 10.0.0.0/16 overlaps the VNet 10.0.0.0/16"),
        ({"pod_cidr": "10.0.0.0/12"}, "pod_cidr", "pod CIDR 10.0.0.0/12 overlaps the VNet 10.0.0.0/16"),
        ({"pod_cidr": "10.96.0.0/12"}, "service_cidr", "service CIDR 10.96.0.0/16 overlaps the pod CIDR 10.96.0.0/12"),
        ({"dns_service_ip": "10.97.0.10"}, "dns_service_ip", "10.97.0.10 is outside the service CIDR 10.96.0.0/16"),
        ({"dns_service_ip": "10.96.0.1"}, "dns_service_ip", "the kubernetes API service takes the first"),
        ({"pod_networking": "vnet", "pod_cidr": "10.244.0.0/16"}, "pod_cidr", "applies to overlay pod networking only"),
        ({"pod_networking": "vnet", "node_subnet_cidr": "10.0.0.0/24"}, "node_subnet_cidr",
         "10.0.0.0/24 has 251 usable IPs, the pools at their max_count (plus a surge node each) need 806"),
        ({"pod_cidr": "10.244.0.0/20"}, "pod_cidr", "10.244.0.0/20 holds 16 nodes (overlay gives each a /24)"),
        ({"networking": "private", "api_server_authorized_ip_ranges": ["203.0.113.0/24"]}, "api_server_authorized_ip_ranges",
         "applies to a public API server only"),
        ({"kubernetes_version": "1.33.2"}, "kubernetes_version", "is not a Kubernetes minor version like 1.33"),
        ({"cluster_name": "-aks"}, "cluster_name", "AKS cluster name '-aks' must be 1 to 63"),
        ({"dns_prefix": "a" * 55}, "dns_prefix", "must be 1 to 54"),
        ({"tags": {"k": "v" * 257}}, "tags", "at most 256 characters"),
    ],
)
def test_bad_input_names_the_field(args, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAksClusterArgs(**{**NEW, **args})
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_a_gpu_without_a_default_vm_size_needs_one(monkeypatch):
    monkeypatch.setitem(GPU_PRODUCTS["azure"], "MI300X", "AMD-MI300X")
    with pytest.raises(InvalidArgsError) as info:
        AksNodePoolArgs(accelerator="MI300X")
    assert info.value.fields == ["vm_size"] and "is required for accelerator MI300X" in str(info.value)
    assert AksNodePoolArgs(accelerator="MI300X", vm_size="Standard_ND96isr_MI300X_v5").pool_name == "gmi300od"


def test_a_new_cluster_without_its_network_fails_before_any_resource(azure_preview):
    error = deploy_error(azure_preview, lambda: AnyscaleAksCluster("c", AnyscaleAksClusterArgs()))
    assert error.fields == ["resource_group_name", "node_subnet_id"]


def test_ranges_not_given_are_not_checked_and_outputs_are_accepted():
    import pulumi

    args = AnyscaleAksClusterArgs(resource_group_name=pulumi.Output.from_input("rg"), node_subnet_id=pulumi.Output.from_input(SUBNET_ID))
    assert args.vnet_cidr is None and args.effective_pod_cidr == "10.244.0.0/16"
    assert AnyscaleAksClusterArgs(**NEW, pod_networking="vnet").effective_pod_cidr is None


# --- pure builders --------------------------------------------------------------------------------------
AZURE_GPUS = sorted(GPU_PRODUCTS["azure"])
KINDS = [(a, cap) for a in [None, *AZURE_GPUS] for cap in CapacityType]


def test_default_pool_names():
    names = {(a, cap.value): default_pool_name(a, cap) for a, cap in KINDS}
    assert names == {
        (None, "ON_DEMAND"): "cpuod", (None, "SPOT"): "cpuspot",
        ("A10", "ON_DEMAND"): "gpua10od", ("A10", "SPOT"): "gpua10sp",
        ("A100", "ON_DEMAND"): "ga100od", ("A100", "SPOT"): "ga100sp",
        ("H100", "ON_DEMAND"): "gh100od", ("H100", "SPOT"): "gh100sp",
        ("T4", "ON_DEMAND"): "gput4od", ("T4", "SPOT"): "gput4sp",
    }
    assert len(set(names.values())) == len(names)
    assert all(v.check_pool_name(n) for n in names.values())


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20), st.sampled_from(list(CapacityType)))
def test_default_pool_names_always_pass_the_rule(accelerator, capacity):
    assert v.check_pool_name(default_pool_name(accelerator, capacity))


def test_every_default_pool_set_is_valid_and_unique():
    """Any choice of the chart's Azure pools, defaults only, validates (names unique and short)."""
    for size in (1, 2, 3):
        for kinds in itertools.combinations(KINDS, size):
            args = AnyscaleAksClusterArgs(**NEW, node_pools=[{"accelerator": a, "capacity": cap} for a, cap in kinds])
            assert len(set(args.pool_names())) == len(kinds) + 1


def test_taints_are_aks_strings():
    from anyscale_infra.kubernetes.node_pools import NodePoolSpec, Taint

    spec = NodePoolSpec(taints=(Taint("a", "1"), Taint("b", "2", "NoExecute")))
    assert aks_taints(spec) == ["a=1:NoSchedule", "b=2:NoExecute"]
    assert aks_taints(spec, spot=True)[-1] == "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
    assert aks_node_labels(NodePoolSpec(labels={"x": "anyscale"}), extra={"x": "mine", "y": "1"}) == {"x": "anyscale", "y": "1"}


def test_the_kubeconfig_decoder_and_the_existing_cluster_rule_are_plain():
    assert decode_kubeconfig([{"name": "clusterUser", "value": base64.b64encode(b"k").decode()}]) == "k"
    assert decode_kubeconfig(None) == "" and decode_kubeconfig([]) == ""
    assert existing_cluster_problem("prod", True, "https://issuer/", True) is None
    assert "OIDC issuer is off" in existing_cluster_problem("prod", True, None, True)
    both = existing_cluster_problem("prod", False, None, False)
    assert "OIDC issuer is off" in both and "workload identity is off" in both
    assert pool_zones([{"availability_zones": ["2"]}, {"availability_zones": None}, {"availability_zones": ["1", "2"]}]) == ["1", "2"]
    assert pool_zones(None) == []


def test_dns_prefixes_from_names_are_valid():
    assert default_dns_prefix("Anyscale_Prod.Cluster") == "anyscale-prod-cluster"
    assert default_dns_prefix("---") == "aks"
    assert v.check_dns_prefix(default_dns_prefix("x" * 80 + "-y"))


def test_address_capacity_counts_surge_nodes():
    overlay = address_capacity_problems(AksPodNetworking.OVERLAY, [("system", 3, 250), ("cpuod", 10, 250)], "10.0.0.0/28", "10.244.0.0/16")
    assert [role for role, _ in overlay] == ["node_subnet_cidr"]  # 15 nodes > 11 usable IPs
    assert address_capacity_problems(AksPodNetworking.OVERLAY, [("system", 3, 250)], "10.0.0.0/24", "10.244.0.0/22") == []
    flat = address_capacity_problems(AksPodNetworking.VNET, [("system", 3, 30)], "10.0.0.0/24", None)
    assert flat == []  # 4 nodes x 31 = 124 of 251

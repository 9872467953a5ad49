"""AnyscaleGkeCloud: the parts wired to each other (APIs first, the subnet's pods and services
ranges, the cluster on the network, the operator's identity on the bucket and the cluster's
pool, the gateway's static IP), the register command exactly and as the real CLI reads it,
the two phases of the operator, an existing cluster, and every bad input naming its field
before any resource."""

from __future__ import annotations

import ipaddress
import shlex

import pulumi
import pytest
import yaml
from anyscale.commands.cloud_commands import register_cloud

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import AnyscaleGkeCloud, AnyscaleGkeCloudArgs
from anyscale_infra.preview.engine import run_function

PROJECT = "acme-ml-prod"
CONFIG = {"gcp:project": PROJECT, "gcp:region": "us-central1"}
OPERATOR = "anyscale-operator@acme-ml-prod.iam.gserviceaccount.com"
NODES = "anyscale-gke-nodes@acme-ml-prod.iam.gserviceaccount.com"
DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"
BASE = dict(cloud_name="ml-prod", project_id=PROJECT, region="us-central1")
#: Every name given, so the register command is a literal.
NAMED = dict(
    network={"vpc_name": "anyscale-vpc", "subnet_name": "anyscale-subnet"},
    bucket={"bucket_name": "acme-ml-anyscale"},
    filestore={"instance_name": "anyscale-nfs"},
    cluster={"cluster_name": "anyscale-gke"},
)
EXISTING = dict(
    network={"existing_vpc_name": "prod-vpc", "existing_subnet_name": "prod-subnet", "existing_subnet_cidr": "10.10.0.0/20"},
    cluster={"existing_cluster_name": "prod-gke", "existing_cluster_location": "us-central1"},
    bucket={"bucket_name": "acme-ml-anyscale"},
    filestore={"instance_name": "anyscale-nfs"},
)

SUBNET = "gcp:compute/subnetwork:Subnetwork"
VPC = "gcp:compute/network:Network"
CLUSTER = "gcp:container/cluster:Cluster"
POOL = "gcp:container/nodePool:NodePool"
ADDRESS = "gcp:compute/address:Address"
SERVICE = "gcp:projects/service:Service"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
RELEASE = "kubernetes:helm.sh/v3:Release"
K8S_PROVIDER = "pulumi:providers:kubernetes"
FILESTORE = "gcp:filestore/instance:Instance"


def build(**overrides):
    def program():
        cloud = AnyscaleGkeCloud("c", AnyscaleGkeCloudArgs(**{**BASE, **overrides}))
        for key in (
            "register_args", "register_command", "resource_file", "cluster_name", "operator_service_account_email",
            "kubernetes_zones", "bucket_name", "helm_values", "gateway_address", "workload_identity_member", "kubeconfig",
        ):
            pulumi.export(key, getattr(cloud, key))

    return run_function(program, config=CONFIG)


@pytest.fixture(scope="module")
def public():
    return build(**NAMED)


@pytest.fixture(scope="module")
def private():
    return build(
        **NAMED | {"network": {**NAMED["network"], "networking": "private"}},
        cloud_deployment_id=DEPLOYMENT, enable_memorystore=True, memorystore={"instance_name": "anyscale-redis"},
        cloud_id="cld_AbC123xyz",
    )


@pytest.fixture(scope="module")
def existing():
    return build(**EXISTING)


def args_error(**overrides) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGkeCloudArgs(**{**BASE, **overrides})
    return info.value


def cli_params(result) -> dict:
    argv = shlex.split(result.outputs["register_command"])
    assert argv[:3] == ["anyscale", "cloud", "register"]
    return register_cloud.make_context("register", argv[3:]).params


# --- parts and wiring --------------------------------------------------------------------------------
def test_type_tokens_and_parenting(public):
    cloud = public.one("anyscale-infra:index:AnyscaleGkeCloud")
    assert cloud.parent is None
    assert {r.type for r in public.children_of(cloud.urn)} == {
        "anyscale-infra:index:AnyscaleGcpApis",
        "anyscale-infra:index:AnyscaleGcpNetwork",
        "anyscale-infra:index:AnyscaleGcsBucket",
        "anyscale-infra:index:AnyscaleFilestore",
        "anyscale-infra:index:AnyscaleGkeCluster",
        "anyscale-infra:index:AnyscaleGkeOperatorIdentity",
        "anyscale-infra:index:AnyscaleOperator",
        ADDRESS,
        K8S_PROVIDER,
    }
    # No firewall policy: GKE makes its own rules, and `cloud register` takes none on K8s.
    assert public.by_type("gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy") == []


def test_the_apis_include_kubernetes_engine_and_everything_waits_for_them(public):
    services = {s.inputs["service"]: s for s in public.by_type(SERVICE)}
    assert "container.googleapis.com" in services
    # The VM verifier's deploymentmanager/config are not needed: K8s registration verifies no project.
    assert "deploymentmanager.googleapis.com" not in services and "config.googleapis.com" not in services
    container = services["container.googleapis.com"].urn
    assert container in public.one(CLUSTER).dependencies
    assert container in public.one(ADDRESS).dependencies


def test_the_subnet_carries_the_clusters_pods_and_services_ranges(public):
    subnet = public.one(SUBNET).inputs
    assert subnet["ipCidrRange"] == "10.0.0.0/20"
    assert subnet["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.4.0.0/14"},
        {"rangeName": "services", "ipCidrRange": "10.8.0.0/20"},
    ]
    cluster = public.one(CLUSTER).inputs
    assert cluster["network"] == public.one(VPC).outputs["selfLink"]
    assert cluster["subnetwork"] == public.one(SUBNET).outputs["selfLink"]
    assert cluster["ipAllocationPolicy"] == {"clusterSecondaryRangeName": "pods", "servicesSecondaryRangeName": "services"}
    assert cluster["workloadIdentityConfig"] == {"workloadPool": "acme-ml-prod.svc.id.goog"}
    assert "privateClusterConfig" not in cluster


def test_the_operator_has_its_own_account_nodes_have_theirs(public):
    assert public.outputs["operator_service_account_email"] == OPERATOR
    assert {p.inputs["nodeConfig"]["serviceAccount"] for p in public.by_type(POOL)} == {NODES}
    members = {m.inputs["role"]: m for m in public.by_type(SA_MEMBER)}
    wi = members["roles/iam.workloadIdentityUser"]
    assert wi.inputs["member"] == "serviceAccount:acme-ml-prod.svc.id.goog[anyscale-operator/anyscale-operator]"
    assert public.outputs["workload_identity_member"] == wi.inputs["member"]
    # The member waits for the cluster (IAM refuses a member of a pool that does not exist yet).
    assert public.one(CLUSTER).urn in wi.dependencies
    bucket = {(g.inputs["role"], g.inputs["member"]) for g in public.by_type(BUCKET_MEMBER)}
    assert bucket == {
        ("roles/storage.legacyBucketReader", f"serviceAccount:{OPERATOR}"),
        ("roles/storage.objectAdmin", f"serviceAccount:{OPERATOR}"),
    }


def test_filestore_is_on_the_clusters_vpc(public):
    (network,) = public.one(FILESTORE).inputs["networks"]
    assert network["network"] == public.one(VPC).outputs["selfLink"].removeprefix("https://www.googleapis.com/compute/v1/")
    assert network["connectMode"] == "DIRECT_PEERING"


def test_a_public_cloud_reserves_an_external_address_for_the_gateway(public):
    address = public.one(ADDRESS).inputs
    assert (address["addressType"], address["networkTier"], address["region"]) == ("EXTERNAL", "PREMIUM", "us-central1")
    assert "subnetwork" not in address
    assert public.outputs["gateway_address"] == public.one(ADDRESS).outputs["address"]


def test_a_private_cloud_gets_private_nodes_and_an_internal_address_in_the_subnet(private):
    cluster = private.one(CLUSTER).inputs
    assert cluster["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": False}
    address = private.one(ADDRESS)
    assert address.inputs["addressType"] == "INTERNAL"
    subnet = next(s for s in private.by_type(SUBNET) if not s.inputs.get("purpose"))
    assert address.inputs["subnetwork"] == subnet.outputs["selfLink"]
    assert ipaddress.ip_address(address.outputs["address"]) in ipaddress.ip_network(subnet.inputs["ipCidrRange"])
    assert len(private.by_type("gcp:compute/routerNat:RouterNat")) == 1  # egress for private nodes
    assert cluster["resourceLabels"]["anyscale-cloud-id"] == "cld_abc123xyz"


def test_the_kubernetes_provider_is_built_from_the_cluster_and_waits_for_its_pools(public):
    provider = public.one(K8S_PROVIDER)
    config = yaml.safe_load(provider.inputs["kubeconfig"])
    assert config["users"][0]["user"]["exec"]["command"] == "gke-gcloud-auth-plugin"
    assert config["clusters"][0]["cluster"]["server"] == "https://" + public.one(CLUSTER).outputs["endpoint"]
    assert {p.urn for p in public.by_type(POOL)} <= set(provider.dependencies)
    namespace = public.one("kubernetes:core/v1:Namespace")
    assert namespace.provider.startswith(provider.urn + "::")


# --- the register command ----------------------------------------------------------------------------
def test_the_register_command_exactly(public):
    assert public.outputs["register_command"] == (
        "anyscale cloud register --provider gcp --compute-stack k8s --name ml-prod --region us-central1 "
        "--project-id acme-ml-prod --vpc-name anyscale-vpc --cloud-storage-bucket-name gs://acme-ml-anyscale "
        "--filestore-instance-id anyscale-nfs --filestore-location us-central1-b "
        "--kubernetes-zones us-central1-a,us-central1-b,us-central1-c "
        f"--anyscale-operator-iam-identity {OPERATOR}"
    )
    assert public.outputs["kubernetes_zones"] == public.one(CLUSTER).inputs["nodeLocations"]


def test_the_private_register_command_exactly(private):
    redis = private.one("gcp:redis/instance:Instance")
    assert private.outputs["register_command"] == (
        "anyscale cloud register --provider gcp --compute-stack k8s --name ml-prod --region us-central1 "
        "--project-id acme-ml-prod --vpc-name anyscale-vpc --cloud-storage-bucket-name gs://acme-ml-anyscale "
        "--filestore-instance-id anyscale-nfs --filestore-location us-central1-b "
        f"--memorystore-instance-name {redis.id} "
        "--kubernetes-zones us-central1-a,us-central1-b,us-central1-c "
        f"--anyscale-operator-iam-identity {OPERATOR} --private-network"
    )


@pytest.mark.parametrize("fixture", ["public", "private", "existing"])
def test_the_real_cli_parses_it_and_the_resource_file_says_the_same(fixture, request):
    from anyscale.client.openapi_client.models import CloudDeployment, GCPConfig, KubernetesConfig

    result = request.getfixturevalue(fixture)
    params = cli_params(result)
    flags = result.outputs["register_args"]
    assert (params["provider"], str(params["compute_stack"]).upper()) == ("gcp", "K8S")
    assert params["anyscale_operator_iam_identity"] == OPERATOR
    assert params["kubernetes_zones"] == flags["--kubernetes-zones"]
    deployment = CloudDeployment(**yaml.safe_load(result.outputs["resource_file"]))
    assert (deployment.provider, deployment.compute_stack) == ("GCP", "K8S")
    assert deployment.networking_mode == ("PRIVATE" if params["private_network"] else "PUBLIC")
    assert deployment.object_storage["bucket_name"] == params["cloud_storage_bucket_name"]
    assert deployment.file_storage["file_storage_id"] == (
        f"projects/acme-ml-prod/locations/{params['filestore_location']}/instances/{params['filestore_instance_id']}"
    )
    assert GCPConfig(**deployment.gcp_config).vpc_name == params["vpc_name"]
    k8s = KubernetesConfig(**deployment.kubernetes_config)
    assert (k8s.anyscale_operator_iam_identity, ",".join(k8s.zones)) == (OPERATOR, params["kubernetes_zones"])


# --- the operator, in two phases -----------------------------------------------------------------------
def test_phase_one_plans_no_release_and_says_what_to_do(public):
    assert public.by_type(RELEASE) == [r for r in public.by_type(RELEASE) if r.name.endswith("envoy-gateway")]
    assert public.outputs["helm_values"] is None
    assert any("cloud_deployment_id is not set" in w for w in public.warnings)


def test_phase_two_installs_the_operator_with_its_identity_and_the_gateway_ip(private):
    (release,) = [r for r in private.by_type(RELEASE) if r.inputs.get("chart") == "anyscale-operator"]
    values = release.inputs["values"]
    assert values["global"] == {"cloudDeploymentId": DEPLOYMENT, "cloudProvider": "gcp", "auth": {"iamIdentity": OPERATOR}}
    assert "gcp" not in values["global"]  # the anchor's global.gcp.region: the chart no longer reads it
    assert values["networking"]["gateway"]["ip"] == private.one(ADDRESS).outputs["address"]
    assert values["operator"]["nodeSelector"] == {"node.anyscale.com/role": "system"}
    assert values["workloads"]["serviceAccount"]["name"] == "anyscale-operator"  # what the WI member names
    assert private.outputs["helm_values"] == values
    assert release.inputs["namespace"] == "anyscale-operator"
    assert not any("cloud_deployment_id" in w for w in private.warnings)


def test_a_namespace_moves_the_member_and_the_release():
    result = build(**NAMED, namespace="ml-team", cloud_deployment_id=DEPLOYMENT)
    wi = next(m for m in result.by_type(SA_MEMBER) if m.inputs["role"] == "roles/iam.workloadIdentityUser")
    assert wi.inputs["member"] == "serviceAccount:acme-ml-prod.svc.id.goog[ml-team/anyscale-operator]"
    (release,) = [r for r in result.by_type(RELEASE) if r.inputs.get("chart") == "anyscale-operator"]
    assert release.inputs["namespace"] == "ml-team"


def test_no_bucket_account_warnings_on_gke(public):
    assert not any("service_account_email is not set" in w for w in public.warnings)


# --- an existing cluster -----------------------------------------------------------------------------------
def test_an_existing_cluster_is_registered_with_its_zones_and_vpc(existing):
    assert existing.by_type(CLUSTER) == [] and existing.by_type(POOL) == [] and existing.by_type(VPC) == []
    flags = existing.outputs["register_args"]
    assert flags["--vpc-name"] == "prod-vpc"
    assert flags["--kubernetes-zones"] == "us-central1-a,us-central1-b,us-central1-c"
    assert existing.outputs["cluster_name"] == "prod-gke"
    # Its node pools are its own: no nodeSelector for a system pool we did not make.
    assert existing.one(K8S_PROVIDER).inputs["kubeconfig"].count("gke_acme-ml-prod_us-central1_prod-gke") >= 1


def test_an_existing_cluster_can_use_your_provider():
    def program():
        import pulumi_kubernetes as k8s

        provider = k8s.Provider("mine", context="prod")
        AnyscaleGkeCloud("c", AnyscaleGkeCloudArgs(**BASE, **EXISTING, kubernetes_provider=provider))

    result = run_function(program, config=CONFIG)
    (provider,) = result.by_type(K8S_PROVIDER)
    assert provider.name == "mine"
    assert result.one("kubernetes:core/v1:Namespace").provider.startswith(provider.urn + "::")


def test_an_existing_cluster_on_another_vpc_is_refused():
    from anyscale_infra.gcp.gke_cloud import _same_vpc

    assert _same_vpc("prod-vpc", "projects/acme-ml-prod/global/networks/prod-vpc", "prod-gke", "M") == "prod-vpc"
    assert _same_vpc("prod-vpc", None, "prod-gke", "M") == "prod-vpc"  # not known offline
    with pytest.raises(InvalidArgsError) as info:
        _same_vpc("prod-vpc", "default", "prod-gke", "AnyscaleGkeCloudArgs")
    assert info.value.fields == ["network.existing_vpc_name"]


# --- bad input, before any resource ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "overrides, fields, needle",
    [
        ({"operator_identity": {"existing_service_account_email": "arn:aws:iam::123456789012:role/op"}},
         ["operator_identity.existing_service_account_email"], "is an ARN; on GCP the operator's identity is a service account email"),
        ({"kubernetes_zones": ["us-east1-b"]}, ["kubernetes_zones"], "zone us-east1-b is not in region us-central1"),
        ({"cluster": {"node_pools": [{"accelerator": "K80"}]}}, ["cluster.node_pools.0.accelerator"], "known: A100-40G, A100-80G"),
        ({"namespace": "Anyscale"}, ["namespace"], "is not an RFC 1123 label"),
        ({"cloud_deployment_id": "cld_abc"}, ["cloud_deployment_id"], "that is a cloud id"),
        ({"cluster": {"zones": ["us-central1-a"]}}, ["cluster.zones"], "is set by AnyscaleGkeCloud"),
        ({"operator_identity": {"namespace": "x"}}, ["operator_identity.namespace"], "is set by AnyscaleGkeCloud"),
        ({"network": {"secondary_ranges": {"pods": "10.4.0.0/14"}}}, ["network.secondary_ranges"], "is set by AnyscaleGkeCloud"),
        ({"pods_cidr": "10.0.0.0/14"}, ["network.secondary_ranges"], "overlaps"),
        ({"network": {"existing_vpc_name": "v", "existing_subnet_name": "s", "host_project_id": "acme-net-host"}},
         ["network.host_project_id", "cluster.pods_range_name", "cluster.services_range_name"], "shared VPC is not supported"),
        ({"cluster": {"existing_cluster_name": "prod", "existing_cluster_location": "us-central1"}},
         ["network.existing_vpc_name"], "the existing cluster's VPC"),
        ({"cluster": {"pods_range_name": "mine"}}, ["cluster.pods_range_name"], "is set by AnyscaleGkeCloud for a new VPC"),
        ({"kubernetes_provider": "not-a-provider"}, ["kubernetes_provider"], "must be a pulumi_kubernetes.Provider"),
        ({"operator": {"namespace": "x"}}, ["operator.namespace"], "is set by AnyscaleGkeCloud"),
        ({"operator": {"ingres": "gateway"}}, ["operator.ingres"], "is not a known argument"),
        ({"filestore": {"existing_instance_id": "nfs", "existing_location": "europe-west4-a"}},
         ["filestore.existing_location"], "is not in the cloud's region"),
    ],
)
def test_bad_input_names_the_field(overrides, fields, needle):
    error = args_error(**overrides)
    assert error.fields == fields
    assert needle in str(error)


def test_a_provider_with_a_new_cluster_is_refused():
    def program():
        import pulumi_kubernetes as k8s

        AnyscaleGkeCloudArgs(**BASE, kubernetes_provider=k8s.Provider("mine"))

    with pytest.raises(Exception) as info:
        run_function(program, config=CONFIG)
    assert isinstance(info.value.cause, InvalidArgsError)
    assert info.value.cause.fields == ["kubernetes_provider"]


def test_bad_input_declares_nothing():
    """The args fail while the program builds them: no resource is registered."""
    def program():
        AnyscaleGkeCloud("c", AnyscaleGkeCloudArgs(**BASE, kubernetes_zones=["europe-west4-a"]))

    with pytest.raises(Exception) as info:
        run_function(program, config=CONFIG)
    assert isinstance(info.value.cause, InvalidArgsError)
    assert info.value.cause.fields == ["kubernetes_zones"]


def test_the_verifier_only_apis_are_yours_to_turn_on_and_managed_apis_to_turn_off():
    on = AnyscaleGkeCloudArgs(**BASE, apis={"enable_verifier_apis": True}).part("apis")
    assert {"deploymentmanager.googleapis.com", "container.googleapis.com"} <= set(on.apis())
    off = AnyscaleGkeCloudArgs(**BASE, apis={"manage_apis": False}).part("apis")
    assert off.manage_apis is False and off.enable_gke is True
    assert "deploymentmanager.googleapis.com" not in AnyscaleGkeCloudArgs(**BASE).part("apis").apis()

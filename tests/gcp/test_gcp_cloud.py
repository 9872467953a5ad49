"""AnyscaleGcpCloud: the parts are wired to each other (VPC, ranges, service accounts, the
APIs first, labels), the register args follow each configuration and the real CLI parses
them, bring-your-own parts are registered as given, and every bad input names its field."""

from __future__ import annotations

import shlex

import pulumi
import pytest
import yaml
from anyscale.client.openapi_client.models import CloudDeployment, FileStorage, GCPConfig, ObjectStorage
from anyscale.commands.cloud_commands import register_cloud

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp import AnyscaleGcpCloud, AnyscaleGcpCloudArgs

ORG = "org_previewOnly0000000000"
CLOUD_ID = "cld_AbC123xyz"
#: The offline engine's stand-in for the project number of acme-ml-prod.
PROVIDER = "projects/364490735216/locations/global/workloadIdentityPools/anyscale-access-pool/providers/anyscale-access"
ACCESS = "anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
NODES = "anyscale-cluster@acme-ml-prod.iam.gserviceaccount.com"
VPC_ID = "projects/acme-ml-prod/global/networks/anyscale-vpc"
HOST_VPC_ID = "projects/acme-net-host/global/networks/shared-vpc"

BASE = dict(
    cloud_name="ml-prod",
    project_id="acme-ml-prod",
    region="us-central1",
    org_id=ORG,
    firewall={"ingress_cidr_blocks": ["203.0.113.0/24"]},
)
#: Every name given, so the register flags are literals.
NAMED = dict(
    network={"vpc_name": "anyscale-vpc", "subnet_name": "anyscale-subnet"},
    firewall={"ingress_cidr_blocks": ["203.0.113.0/24"], "firewall_policy_name": "anyscale-firewall"},
    bucket={"bucket_name": "acme-ml-anyscale"},
    filestore={"instance_name": "anyscale-nfs"},
)
SHARED_VPC = {
    "existing_vpc_name": "shared-vpc",
    "existing_subnet_name": "shared-subnet",
    "existing_subnet_cidr": "10.8.0.0/20",
    "host_project_id": "acme-net-host",
}

VPC = "gcp:compute/network:Network"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
POLICY = "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy"
ASSOCIATION = "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule"
BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
FILESTORE = "gcp:filestore/instance:Instance"
REDIS = "gcp:redis/instance:Instance"
SERVICE = "gcp:projects/service:Service"
ACCOUNT = "gcp:serviceaccount/account:Account"
POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
POOL_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"

#: The flags of a direct cloud with every default and the names of NAMED, in the CLI's order.
DIRECT_FLAGS = {
    "--provider": "gcp",
    "--name": "ml-prod",
    "--project-id": "acme-ml-prod",
    "--vpc-name": "anyscale-vpc",
    "--subnet-names": "anyscale-subnet",
    "--region": "us-central1",
    "--firewall-policy-names": "anyscale-firewall",
    "--cloud-storage-bucket-name": "gs://acme-ml-anyscale",
    "--filestore-instance-id": "anyscale-nfs",
    "--filestore-location": "us-central1-b",
    "--anyscale-service-account-email": ACCESS,
    "--instance-service-account-email": NODES,
    "--provider-name": PROVIDER,
}


def cloud_args(**overrides) -> AnyscaleGcpCloudArgs:
    return AnyscaleGcpCloudArgs(**{**BASE, **overrides})


def build(gcp_preview, **overrides):
    def program():
        cloud = AnyscaleGcpCloud("c", cloud_args(**overrides))
        pulumi.export("register_args", cloud.register_args)
        pulumi.export("register_command", cloud.register_command)
        pulumi.export("resource_file", cloud.resource_file)

    return gcp_preview(program)


def named(**overrides) -> dict:
    """NAMED with some parts replaced or added (``network=SHARED_VPC``); with
    ``enable_memorystore=True``, Memorystore named too."""
    memorystore = {"memorystore": {"instance_name": "anyscale-redis"}} if overrides.get("enable_memorystore") else {}
    return {**NAMED, **memorystore, **overrides}


def rules(result) -> dict:
    return {r.name: r.inputs for r in result.by_type(RULE)}


def cli_params(result) -> dict:
    """What the real `anyscale cloud register` parses from the command we print."""
    argv = shlex.split(result.outputs["register_command"])
    assert argv[:3] == ["anyscale", "cloud", "register"]
    return register_cloud.make_context("register", argv[3:]).params


def args_error(**overrides) -> InvalidArgsError:
    with pytest.raises(InvalidArgsError) as info:
        cloud_args(**overrides)
    return info.value


# --- the parts and how they are wired -----------------------------------------------------------
def test_type_tokens_and_parenting(gcp_preview):
    result = build(gcp_preview, enable_memorystore=True)
    cloud = result.one("anyscale-infra:index:AnyscaleGcpCloud")
    assert cloud.parent is None  # at the stack root
    assert {r.type for r in result.children_of(cloud.urn)} == {
        "anyscale-infra:index:AnyscaleGcpApis",
        "anyscale-infra:index:AnyscaleGcpNetwork",
        "anyscale-infra:index:AnyscaleGcpFirewall",
        "anyscale-infra:index:AnyscaleGcsBucket",
        "anyscale-infra:index:AnyscaleFilestore",
        "anyscale-infra:index:AnyscaleMemorystore",
        "anyscale-infra:index:AnyscaleGcpIdentity",
    }
    # Every cloud resource sits under a part: nothing dangles at the cloud or the stack root.
    parts = {r.urn for r in result.children_of(cloud.urn)}
    assert all(r.parent in parts for r in result.resources if r.custom)


def test_the_firewall_policy_is_on_the_networks_vpc_and_admits_its_subnet(gcp_preview):
    result = build(gcp_preview, **named(network={**NAMED["network"], "subnet_cidr": "10.20.0.0/22"}))
    assert result.one(VPC).id == VPC_ID
    assert result.one(SUBNET).inputs["ipCidrRange"] == "10.20.0.0/22"
    association = result.one(ASSOCIATION).inputs
    assert association["attachmentTarget"] == VPC_ID
    assert association["firewallPolicy"] == "anyscale-firewall"
    assert result.one(POLICY).inputs["project"] == "acme-ml-prod"
    found = rules(result)
    assert found["c-internal"]["match"]["srcIpRanges"] == ["10.20.0.0/22"]
    assert found["c-https"]["match"]["srcIpRanges"] == ["203.0.113.0/24"]
    # Direct networking: no proxy-only subnet, so no rule for one.
    assert "c-proxy-only" not in found


def test_private_networking_admits_the_proxy_only_subnet_it_creates(gcp_preview):
    result = build(gcp_preview, **named(network={**NAMED["network"], "networking": "private"}))
    proxy = next(s for s in result.by_type(SUBNET) if s.inputs.get("purpose") == "REGIONAL_MANAGED_PROXY")
    assert proxy.inputs["ipCidrRange"] == "10.1.0.0/23"
    assert proxy.inputs["network"] == VPC_ID
    assert rules(result)["c-proxy-only"]["match"]["srcIpRanges"] == ["10.1.0.0/23"]
    assert len(result.by_type("gcp:compute/routerNat:RouterNat")) == 1


def test_filestore_and_memorystore_are_on_the_clouds_vpc(gcp_preview):
    result = build(gcp_preview, **named(enable_memorystore=True))
    (network,) = result.one(FILESTORE).inputs["networks"]
    assert network["network"] == VPC_ID
    assert network["connectMode"] == "DIRECT_PEERING"
    redis = result.one(REDIS).inputs
    assert redis["authorizedNetwork"] == VPC_ID
    assert redis["connectMode"] == "DIRECT_PEERING"
    assert (redis["region"], redis["project"]) == ("us-central1", "acme-ml-prod")
    assert result.one(FILESTORE).inputs["location"] == "us-central1-b"


def test_a_shared_vpc_puts_everything_on_the_host_projects_network(gcp_preview):
    result = build(gcp_preview, **named(network=SHARED_VPC, enable_memorystore=True))
    # The VPC and subnet are looked up, not created.
    assert result.by_type(VPC) == [] and result.by_type(SUBNET) == []
    (network,) = result.one(FILESTORE).inputs["networks"]
    assert network["network"] == HOST_VPC_ID
    assert network["connectMode"] == "PRIVATE_SERVICE_ACCESS"
    redis = result.one(REDIS).inputs
    assert redis["authorizedNetwork"] == HOST_VPC_ID
    assert redis["connectMode"] == "PRIVATE_SERVICE_ACCESS"
    # The instances stay in the cloud's (service) project; the policy goes with the VPC.
    assert result.one(FILESTORE).inputs["project"] == "acme-ml-prod"
    assert redis["project"] == "acme-ml-prod"
    assert result.one(POLICY).inputs["project"] == "acme-net-host"
    assert result.one(ASSOCIATION).inputs["attachmentTarget"] == HOST_VPC_ID
    assert rules(result)["c-internal"]["match"]["srcIpRanges"] == ["10.8.0.0/20"]


def test_the_bucket_grants_both_service_accounts_the_identity_creates(gcp_preview):
    result = build(gcp_preview, **NAMED)
    emails = {r.name: r.outputs["email"] for r in result.by_type(ACCOUNT)}
    assert emails == {"c-access": ACCESS, "c-instance": NODES}
    grants = {(m.inputs["member"], m.inputs["role"]) for m in result.by_type(BUCKET_MEMBER)}
    assert grants == {
        (f"serviceAccount:{ACCESS}", "roles/storage.objectAdmin"),
        (f"serviceAccount:{ACCESS}", "roles/storage.legacyBucketReader"),
        (f"serviceAccount:{NODES}", "roles/storage.objectAdmin"),
        (f"serviceAccount:{NODES}", "roles/storage.legacyBucketReader"),
    }
    assert {m.inputs["bucket"] for m in result.by_type(BUCKET_MEMBER)} == {"acme-ml-anyscale"}
    bucket = result.one(BUCKET).inputs
    assert (bucket["location"], bucket["project"]) == ("US-CENTRAL1", "acme-ml-prod")


APIS = {
    "certificatemanager.googleapis.com", "cloudresourcemanager.googleapis.com", "compute.googleapis.com",
    "config.googleapis.com", "deploymentmanager.googleapis.com", "file.googleapis.com", "iam.googleapis.com",
    "iamcredentials.googleapis.com", "serviceusage.googleapis.com", "storage.googleapis.com",
    "storage-component.googleapis.com", "sts.googleapis.com",
}


def test_every_resource_waits_for_the_apis(gcp_preview):
    result = build(gcp_preview, enable_memorystore=True)
    services = result.by_type(SERVICE)
    assert {s.inputs["service"] for s in services} == APIS | {"redis.googleapis.com"}
    assert {s.inputs["project"] for s in services} == {"acme-ml-prod"}
    urns = {s.urn for s in services}
    for typ in (VPC, SUBNET, POLICY, ASSOCIATION, BUCKET, FILESTORE, REDIS, ACCOUNT, POOL, BUCKET_MEMBER):
        for resource in result.by_type(typ):
            assert urns <= set(resource.dependencies), (typ, resource.name)
    # Nothing else is left out either.
    assert all(urns <= set(r.dependencies) for r in result.resources if r.custom and r.type != SERVICE)


def test_apis_managed_elsewhere_leave_nothing_to_wait_for(gcp_preview):
    result = build(gcp_preview, apis={"manage_apis": False})
    assert result.by_type(SERVICE) == []
    assert result.one(VPC).dependencies == []
    assert result.one(BUCKET).dependencies == []


def test_cloud_labels_reach_every_labelled_resource_and_a_parts_own_win(gcp_preview):
    result = build(
        gcp_preview,
        enable_memorystore=True,
        labels={"team": "ml", "env": "prod"},
        bucket={"labels": {"team": "data"}},
    )
    labelled = {r.type for r in result.resources if r.custom and "labels" in r.inputs}
    assert labelled == {BUCKET, FILESTORE, REDIS}
    assert result.one(BUCKET).inputs["labels"] == {"managed-by": "anyscale-infra", "team": "data", "env": "prod"}
    for typ in (FILESTORE, REDIS):
        assert result.one(typ).inputs["labels"] == {"managed-by": "anyscale-infra", "team": "ml", "env": "prod"}


def test_the_cloud_id_labels_every_labelled_resource_in_lowercase(gcp_preview):
    result = build(gcp_preview, enable_memorystore=True, cloud_id=CLOUD_ID, labels={"team": "ml"})
    for typ in (BUCKET, FILESTORE, REDIS):
        assert result.one(typ).inputs["labels"] == {
            "managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_abc123xyz",
        }, typ
    assert result.one(FILESTORE).inputs["description"] == "Anyscale cloud shared storage (cld_AbC123xyz)"


# --- register args, per configuration -----------------------------------------------------------
def test_direct_register_args_are_exact_and_the_cli_parses_them(gcp_preview):
    result = build(gcp_preview, **NAMED)
    flags = result.outputs["register_args"]
    assert flags == DIRECT_FLAGS
    assert list(flags) == list(DIRECT_FLAGS)  # the CLI's order
    params = cli_params(result)
    assert params["provider"] == "gcp"
    assert params["name"] == "ml-prod"
    assert params["project_id"] == "acme-ml-prod"
    assert params["region"] == "us-central1"
    assert params["vpc_name"] == "anyscale-vpc"
    assert params["subnet_names"] == "anyscale-subnet"
    assert params["firewall_policy_names"] == "anyscale-firewall"
    assert params["cloud_storage_bucket_name"] == "gs://acme-ml-anyscale"
    assert params["filestore_instance_id"] == "anyscale-nfs"
    assert params["filestore_location"] == "us-central1-b"
    assert params["anyscale_service_account_email"] == ACCESS
    assert params["instance_service_account_email"] == NODES
    assert params["provider_name"] == PROVIDER
    assert params["memorystore_instance_name"] is None
    assert params["host_project_id"] is None
    assert params["private_network"] is False
    assert result.warnings == []


def test_private_register_args_end_with_the_bare_flag(gcp_preview):
    result = build(gcp_preview, **named(network={**NAMED["network"], "networking": "private"}))
    assert result.outputs["register_args"] == {**DIRECT_FLAGS, "--private-network": True}
    assert result.outputs["register_command"].endswith(f"--provider-name {PROVIDER} --private-network")
    assert cli_params(result)["private_network"] is True


def test_shared_vpc_register_args_name_the_host_project(gcp_preview):
    result = build(gcp_preview, **named(network=SHARED_VPC))
    assert result.outputs["register_args"] == {
        **DIRECT_FLAGS,
        "--vpc-name": "shared-vpc",
        "--subnet-names": "shared-subnet",
        "--host-project-id": "acme-net-host",
    }
    params = cli_params(result)
    assert (params["vpc_name"], params["subnet_names"], params["host_project_id"]) == (
        "shared-vpc", "shared-subnet", "acme-net-host",
    )


def test_memorystore_register_args_give_its_full_name(gcp_preview):
    result = build(gcp_preview, **named(enable_memorystore=True))
    name = "projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis"
    flags = result.outputs["register_args"]
    assert flags == {**DIRECT_FLAGS, "--memorystore-instance-name": name}
    assert list(flags)[-1] == "--memorystore-instance-name"
    assert cli_params(result)["memorystore_instance_name"] == name


def test_no_filestore_drops_its_flags_and_warns(gcp_preview):
    result = build(gcp_preview, **named(enable_filestore=False))
    assert result.by_type(FILESTORE) == []
    expected = {k: val for k, val in DIRECT_FLAGS.items() if k not in ("--filestore-instance-id", "--filestore-location")}
    assert result.outputs["register_args"] == expected
    params = cli_params(result)
    assert (params["filestore_instance_id"], params["filestore_location"]) == (None, None)
    assert "enable_filestore is off: Anyscale workspaces need Filestore" in result.warnings


def _deployment(text: str) -> CloudDeployment:
    """Read a resource file the way `anyscale cloud register --resource-file` does."""
    deployment = CloudDeployment(**yaml.safe_load(text))
    if deployment.file_storage:
        deployment.file_storage = FileStorage(**deployment.file_storage)
    deployment.object_storage = ObjectStorage(**deployment.object_storage)
    deployment.gcp_config = GCPConfig(**deployment.gcp_config)
    return deployment


def test_the_resource_file_is_what_the_cli_reads(gcp_preview):
    result = build(gcp_preview, **named(network={**SHARED_VPC, "networking": "private"}, enable_memorystore=True))
    deployment = _deployment(result.outputs["resource_file"])
    assert (deployment.name, deployment.provider, deployment.compute_stack) == ("ml-prod", "GCP", "VM")
    assert (deployment.region, deployment.networking_mode) == ("us-central1", "PRIVATE")
    assert deployment.object_storage.bucket_name == "gs://acme-ml-anyscale"
    assert deployment.file_storage.file_storage_id == "projects/acme-ml-prod/locations/us-central1-b/instances/anyscale-nfs"
    config = deployment.gcp_config
    assert config.project_id == "acme-ml-prod"
    assert config.host_project_id == "acme-net-host"
    assert config.provider_name == PROVIDER
    assert config.vpc_name == "shared-vpc"
    assert config.subnet_names == ["shared-subnet"]
    assert config.firewall_policy_names == ["anyscale-firewall"]
    assert config.anyscale_service_account_email == ACCESS
    assert config.cluster_service_account_email == NODES
    assert config.memorystore_instance_name == "projects/acme-ml-prod/locations/us-central1/instances/anyscale-redis"


def test_the_default_resource_file_has_public_networking_and_no_memorystore(gcp_preview):
    deployment = _deployment(build(gcp_preview, **NAMED).outputs["resource_file"])
    assert deployment.networking_mode == "PUBLIC"
    assert deployment.gcp_config.host_project_id is None
    assert deployment.gcp_config.memorystore_instance_name is None


# --- bring your own -----------------------------------------------------------------------------
CORP_PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/corp-pool/providers/anyscale-aws"
CORP_ACCESS = "corp-access@acme-ml-prod.iam.gserviceaccount.com"
CORP_NODES = "corp-nodes@acme-ml-prod.iam.gserviceaccount.com"
CORP_REDIS = "projects/acme-ml-prod/locations/us-central1/instances/corp-redis"


def test_existing_parts_are_registered_as_given_and_nothing_is_created_for_them(gcp_preview):
    result = build(
        gcp_preview,
        org_id=None,  # nothing is granted in a pool: no org id needed
        network=NAMED["network"],
        firewall={"existing_firewall_policy_name": "corp-firewall"},
        bucket={"existing_bucket_name": "gs://corp-anyscale-data"},
        filestore={"existing_instance_id": "corp-nfs", "existing_location": "us-central1-c"},
        enable_memorystore=True,
        memorystore={"existing_instance_name": CORP_REDIS},
        identity={
            "existing_provider_name": CORP_PROVIDER,
            "existing_access_service_account_email": CORP_ACCESS,
            "existing_instance_service_account_email": CORP_NODES,
        },
    )
    created = {r.type for r in result.resources if r.custom}
    for typ in (POLICY, ASSOCIATION, RULE, BUCKET, FILESTORE, REDIS, ACCOUNT, POOL, POOL_PROVIDER):
        assert typ not in created, typ
    assert created == {SERVICE, VPC, SUBNET, BUCKET_MEMBER}
    # The existing bucket still grants both existing accounts.
    grants = {(m.inputs["bucket"], m.inputs["member"], m.inputs["role"]) for m in result.by_type(BUCKET_MEMBER)}
    assert grants == {
        ("corp-anyscale-data", f"serviceAccount:{CORP_ACCESS}", "roles/storage.objectAdmin"),
        ("corp-anyscale-data", f"serviceAccount:{CORP_ACCESS}", "roles/storage.legacyBucketReader"),
        ("corp-anyscale-data", f"serviceAccount:{CORP_NODES}", "roles/storage.objectAdmin"),
        ("corp-anyscale-data", f"serviceAccount:{CORP_NODES}", "roles/storage.legacyBucketReader"),
    }
    assert result.outputs["register_args"] == {
        "--provider": "gcp",
        "--name": "ml-prod",
        "--project-id": "acme-ml-prod",
        "--vpc-name": "anyscale-vpc",
        "--subnet-names": "anyscale-subnet",
        "--region": "us-central1",
        "--firewall-policy-names": "corp-firewall",
        "--cloud-storage-bucket-name": "gs://corp-anyscale-data",
        "--filestore-instance-id": "corp-nfs",
        "--filestore-location": "us-central1-c",
        "--anyscale-service-account-email": CORP_ACCESS,
        "--instance-service-account-email": CORP_NODES,
        "--provider-name": CORP_PROVIDER,
        "--memorystore-instance-name": CORP_REDIS,
    }
    params = cli_params(result)
    assert params["provider_name"] == CORP_PROVIDER
    assert params["memorystore_instance_name"] == CORP_REDIS
    deployment = _deployment(result.outputs["resource_file"])
    assert deployment.file_storage.file_storage_id == "projects/acme-ml-prod/locations/us-central1-c/instances/corp-nfs"


def test_an_existing_regional_filestore_is_registered_in_the_region(gcp_preview):
    result = build(gcp_preview, filestore={"existing_instance_id": "corp-nfs", "existing_location": "us-central1"})
    flags = result.outputs["register_args"]
    assert (flags["--filestore-instance-id"], flags["--filestore-location"]) == ("corp-nfs", "us-central1")


def test_an_existing_provider_with_new_accounts_still_binds_the_orgs_role(gcp_preview):
    result = build(gcp_preview, identity={"existing_provider_name": CORP_PROVIDER})
    assert result.by_type(POOL) == [] and result.by_type(POOL_PROVIDER) == []
    assert {r.name for r in result.by_type(ACCOUNT)} == {"c-access", "c-instance"}
    assert result.outputs["register_args"]["--provider-name"] == CORP_PROVIDER


# --- bad input: every error names its field -----------------------------------------------------
@pytest.mark.parametrize(
    "part, field, value",
    [
        ("apis", "project_id", "acme-ml-prod"),
        ("apis", "enable_memorystore", True),
        ("network", "project_id", "acme-ml-prod"),
        ("network", "region", "us-central1"),
        ("firewall", "vpc_id", VPC_ID),
        ("firewall", "project_id", "acme-ml-prod"),
        ("firewall", "subnet_cidrs", ["10.0.0.0/20"]),
        ("firewall", "proxy_only_subnet_cidr", "10.1.0.0/23"),
        ("bucket", "region", "us-central1"),
        ("bucket", "project_id", "acme-ml-prod"),
        ("bucket", "access_service_account_email", ACCESS),
        ("bucket", "instance_service_account_email", NODES),
        ("bucket", "cloud_id", "cld_abc123"),
        ("filestore", "region", "us-central1"),
        ("filestore", "network", "anyscale-vpc"),
        ("filestore", "network_project", "acme-net-host"),
        ("filestore", "project_id", "acme-ml-prod"),
        ("filestore", "cloud_id", "cld_abc123"),
        ("memorystore", "region", "us-central1"),
        ("memorystore", "network", "anyscale-vpc"),
        ("memorystore", "network_project", "acme-net-host"),
        ("memorystore", "project_id", "acme-ml-prod"),
        ("memorystore", "cloud_id", "cld_abc123"),
        ("identity", "project_id", "acme-ml-prod"),
        ("identity", "org_id", ORG),
    ],
)
def test_wired_fields_are_set_by_the_cloud(part, field, value):
    given = {**BASE.get(part, {}), field: value}
    error = args_error(**{part: given})
    assert error.fields == [f"{part}.{field}"], str(error)
    assert f"{part}.{field}: is set by AnyscaleGcpCloud; leave it out here" in str(error)


def test_every_wired_field_set_is_reported_at_once():
    error = args_error(bucket={"region": "us-central1"}, identity={"org_id": ORG})
    assert error.fields == ["bucket.region", "identity.org_id"]


def test_without_an_org_id_the_provider_cannot_be_created():
    error = args_error(org_id=None)
    assert error.fields == ["org_id"]
    assert "is required to create the workload identity provider" in str(error)
    assert "gcp_if_<org id>" in str(error)


def test_an_existing_provider_with_a_new_access_account_still_needs_the_org_id():
    error = args_error(org_id=None, identity={"existing_provider_name": CORP_PROVIDER})
    assert error.fields == ["org_id"]
    assert "is required to grant roles/iam.workloadIdentityUser in the existing pool" in str(error)


@pytest.mark.parametrize(
    "overrides, fields, needle",
    [
        # the cloud's own fields
        (dict(project_id="123456789012"), ["project_id"], "(that is a project NUMBER; give the project ID)"),
        (dict(project_id="Acme-ML"), ["project_id"], "must be 6 to 30 lowercase letters"),
        (dict(region="us-central"), ["region"], "'us-central' is not a Google Cloud region like us-central1"),
        (dict(region="us-central1-a"), ["region"], "is not a Google Cloud region"),
        (dict(cloud_name="has space"), ["cloud_name"], "cloud name 'has space' must be 1 to 128 characters"),
        (dict(cloud_name=""), ["cloud_name"], "must be 1 to 128 characters"),
        (dict(org_id="org-1"), ["org_id"], "'org-1' is not an Anyscale organization id"),
        (dict(cloud_id="cloud-1"), ["cloud_id"], "'cloud-1' is not an Anyscale cloud id like cld_"),
        (dict(labels={"Team": "ml"}), ["labels"], "label key 'Team' must start with a lowercase letter"),
        (dict(labels={"team": "ML"}), ["labels"], "label 'team' value 'ML' must be at most 63 lowercase"),
        (dict(labels={"team": "v" * 64}), ["labels"], "must be at most 63 lowercase"),
        (dict(labels={f"k{i}": "v" for i in range(65)}), ["labels"], "has 65 labels; Google Cloud allows at most 64"),
        (dict(enable_filestore="sometimes"), ["enable_filestore"], "valid boolean"),
        (dict(vpc_cidr="10.0.0.0/16"), ["vpc_cidr"], "is not a known argument"),
        (dict(firewall={}), ["firewall.ingress_cidr_blocks"], "nobody could reach clusters on port 443"),
        # the parts' own rules, named under the part
        (dict(bucket={"labels": {"Bad": "x"}}), ["bucket.labels"], "label key 'Bad'"),
        (dict(bucket={"location": "EU"}), ["bucket.location"], "multi-region EU does not contain the cloud's region us-central1"),
        (dict(bucket={"location": "us-east1"}), ["bucket.location"], "us-east1 is not the cloud's region us-central1"),
        (dict(network={"subnet_cidr": "10.0.0.0/25"}), ["network.subnet_cidr"], "smaller than the /24 Anyscale requires"),
        (dict(network={"existing_vpc_name": "v"}), ["network.existing_subnet_name"], "is required with existing_vpc_name"),
        (dict(network={**SHARED_VPC, "host_project_id": "acme-ml-prod"}), ["network.host_project_id"],
         "is the cloud's own project acme-ml-prod"),
        (dict(filestore={"capacity_gb": 100}), ["filestore.capacity_gb"], "100 GiB is not a BASIC_HDD capacity"),
        (dict(filestore={"tier": "STANDARD"}), ["filestore.tier"], "STANDARD is a legacy Filestore tier; use BASIC_HDD"),
        (dict(enable_memorystore=True, memorystore={"replica_count": 0}), ["memorystore.replica_count"],
         "0 read replicas"),
        (dict(identity={"existing_provider_name": "x"}), ["identity.existing_provider_name"], "is not a provider name"),
    ],
)
def test_bad_cloud_input_names_the_field(overrides, fields, needle):
    error = args_error(**overrides)
    assert error.fields == fields, str(error)
    assert needle in str(error), str(error)


@pytest.mark.parametrize("field", ["cloud_name", "project_id", "region", "firewall"])
def test_required_cloud_fields(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpCloudArgs(**{k: val for k, val in BASE.items() if k != field})
    assert info.value.fields == [field]
    assert f"{field}: is required" in str(info.value)


@pytest.mark.parametrize(
    "filestore, needle",
    [
        ({"location": "us-east1-b"}, "zone us-east1-b is not in region us-central1"),
        ({"location": "us-central1"}, "BASIC_HDD is a zonal tier: give a zone of the cloud's region us-central1"),
        ({"tier": "REGIONAL", "location": "us-east1"}, "REGIONAL is a regional tier and goes in the cloud's region us-central1"),
        ({"tier": "ENTERPRISE", "location": "us-central1-a"}, "us-central1-a is a zone: ENTERPRISE is a regional tier"),
    ],
)
def test_a_filestore_location_outside_the_region_fails_with_the_args(filestore, needle):
    """At args time: before the program declares any resource."""
    error = args_error(filestore=filestore)
    assert error.fields == ["filestore.location"], str(error)
    assert needle in str(error)


def test_a_filestore_location_is_checked_only_when_filestore_is_on():
    assert cloud_args(enable_filestore=False, filestore={"location": "us-east1-b"}).enable_filestore is False


@pytest.mark.parametrize("field", ["location_id", "alternative_location_id"])
def test_a_memorystore_zone_outside_the_region_fails_with_the_args(field):
    error = args_error(enable_memorystore=True, memorystore={field: "us-east1-a"})
    assert error.fields == [f"memorystore.{field}"], str(error)
    assert "zone us-east1-a is not in region us-central1 (the instance is in the cloud's region)" in str(error)


@pytest.mark.parametrize("location", ["us-east1-b", "us-east1", "us-central10-a"])
def test_an_existing_filestore_outside_the_region_fails_with_the_args(location):
    """The register args refuse it; said at args time and naming the field set, not
    ``filestore_location`` of the register args inside an output (us-central10-a merely
    starts like us-central1)."""
    error = args_error(filestore={"existing_instance_id": "corp-nfs", "existing_location": location})
    assert error.fields == ["filestore.existing_location"], str(error)
    assert f"{location} is not in the cloud's region us-central1" in str(error)


def test_an_existing_memorystore_outside_the_region_fails_with_the_args():
    error = args_error(
        enable_memorystore=True,
        memorystore={"existing_instance_name": "projects/acme-ml-prod/locations/us-east1/instances/corp-redis"},
    )
    assert error.fields == ["memorystore.existing_instance_name"], str(error)
    assert "is in us-east1, not in the cloud's region us-central1" in str(error)


@pytest.mark.parametrize("part", ["filestore", "memorystore"])
def test_direct_peering_cannot_reach_a_shared_vpc(part):
    """The host project is known before anything is created: checked with the args (it
    was a ValueError inside the component, a crash, before)."""
    error = args_error(network=SHARED_VPC, enable_memorystore=True, **{part: {"connect_mode": "DIRECT_PEERING"}})
    assert error.fields == [f"{part}.connect_mode"], str(error)
    assert "DIRECT_PEERING cannot reach a Shared VPC network from a service project" in str(error)


def test_a_shared_vpcs_reserved_range_is_an_allocated_range_name():
    error = args_error(network=SHARED_VPC, filestore={"reserved_ip_range": "10.9.0.0/29"})
    assert error.fields == ["filestore.reserved_ip_range"], str(error)
    assert "the name of an allocated range of the private services connection" in str(error)
    # A name passes (the part alone, not knowing the VPC is shared, needs the mode spelled out).
    given = {"connect_mode": "PRIVATE_SERVICE_ACCESS", "reserved_ip_range": "anyscale-psa"}
    assert cloud_args(network=SHARED_VPC, filestore=given).part("filestore").reserved_ip_range == "anyscale-psa"


def test_an_existing_filestore_on_a_shared_vpc_is_not_given_the_host_project(gcp_preview):
    result = build(gcp_preview, network=SHARED_VPC, filestore={"existing_instance_id": "corp-nfs", "existing_location": "us-central1-c"})
    assert result.by_type(FILESTORE) == []
    assert result.outputs["register_args"]["--filestore-instance-id"] == "corp-nfs"


@pytest.mark.parametrize(
    "overrides, warning",
    [
        (dict(memorystore={"existing_instance_name": CORP_REDIS}),
         "memorystore.existing_instance_name ignored: enable_memorystore is off, so nothing is created or registered for it"),
        (dict(enable_filestore=False, filestore={"tier": "ZONAL", "capacity_gb": 1024}),
         "filestore.capacity_gb, filestore.tier ignored: enable_filestore is off, so nothing is created or registered for it"),
    ],
)
def test_settings_of_a_part_that_is_off_are_not_dropped_silently(gcp_preview, overrides, warning):
    result = build(gcp_preview, **overrides)
    assert warning in result.warnings
    assert "--memorystore-instance-name" not in result.outputs["register_args"]

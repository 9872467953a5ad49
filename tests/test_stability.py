"""Nothing holding data is ever replaced by surprise (issue: data safety).

1. Snapshots of every example's URNs, protect flags and replacement-relevant inputs: a
   change that renames a resource — so `pulumi up` would delete and recreate it — fails
   here until it is deliberate (and carries an alias).
2. Transitions: turning an optional part on, adding an AZ, or setting `cloud_id` keeps the
   bucket, file system, MemoryDB and roles: same URN, same inputs that force replacement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anyscale_infra.aws import (
    AnyscaleAwsCloud,
    AnyscaleAwsCloudArgs,
    AnyscaleNetworkArgs,
    AnyscaleSecurityGroupArgs,
)
from anyscale_infra.preview import PreviewResult, run_function, run_program

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ["."] + sorted(f"examples/{p.name}" for p in (ROOT / "examples").iterdir() if (p / "Pulumi.yaml").exists())

# Inputs whose change makes the AWS provider replace the resource (forceNew in its schema),
# for the resources whose replacement loses data or breaks a registered cloud.
REPLACE_ON_CHANGE: dict[str, tuple[str, ...]] = {
    "aws:s3/bucket:Bucket": ("bucket", "bucketPrefix", "objectLockEnabled"),
    "aws:efs/fileSystem:FileSystem": ("creationToken", "encrypted", "kmsKeyId", "performanceMode", "availabilityZoneName"),
    "aws:efs/mountTarget:MountTarget": ("fileSystemId", "subnetId", "ipAddress"),
    "aws:memorydb/cluster:Cluster": ("name", "namePrefix", "subnetGroupName", "tlsEnabled", "kmsKeyArn", "port"),
    "aws:kms/key:Key": ("customerMasterKeySpec", "keyUsage", "multiRegion"),
    "aws:iam/role:Role": ("name", "namePrefix", "path"),
    "aws:iam/instanceProfile:InstanceProfile": ("name", "namePrefix", "path"),
    "aws:ec2/vpc:Vpc": ("cidrBlock", "instanceTenancy"),
    "aws:ec2/subnet:Subnet": ("vpcId", "cidrBlock", "availabilityZone"),
    "aws:ec2/securityGroup:SecurityGroup": ("name", "namePrefix", "vpcId", "description"),
    "random:index/randomPassword:RandomPassword": ("length", "special", "upper", "lower", "numeric"),
    # Google Cloud (the provider's ForceNew arguments).
    "gcp:storage/bucket:Bucket": ("name", "location", "project"),
    "gcp:filestore/instance:Instance": ("name", "location", "tier", "project", "networks"),
    "gcp:redis/instance:Instance": ("name", "region", "tier", "authorizedNetwork", "connectMode", "transitEncryptionMode", "project"),
    "gcp:compute/network:Network": ("name", "autoCreateSubnetworks", "project"),
    "gcp:compute/subnetwork:Subnetwork": ("name", "network", "region", "project"),
    "gcp:serviceaccount/account:Account": ("accountId", "project"),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": ("workloadIdentityPoolId", "project"),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": ("workloadIdentityPoolId", "workloadIdentityPoolProviderId", "project"),
    "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy": ("name", "project"),
    # Kubernetes: a release or object renamed is uninstalled and reinstalled (the operator
    # restarts, the gateway's load balancer and its address are recreated).
    "kubernetes:helm.sh/v3:Release": ("name", "namespace", "chart"),
    "kubernetes:core/v1:Namespace": ("metadata",),
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": ("metadata",),
    # Clusters and node pools: a replaced cluster takes every workload and the operator with it.
    "aws:eks/cluster:Cluster": ("name", "roleArn", "encryptionConfig", "kubernetesNetworkConfig"),
    "aws:eks/nodeGroup:NodeGroup": ("clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "subnetIds",
                                     "amiType", "capacityType", "diskSize", "instanceTypes"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ("url",),
    "gcp:container/cluster:Cluster": ("name", "location", "project", "network", "subnetwork", "ipAllocationPolicy",
                                       "privateClusterConfig"),
    "gcp:container/nodePool:NodePool": ("name", "namePrefix", "cluster", "location", "project", "nodeConfig"),
    # The gateway's reserved address: replaced, it changes the address DNS points at.
    "gcp:compute/address:Address": ("name", "region", "addressType", "subnetwork", "project"),
    # Azure: the data (account, container, group), the cluster, the identity registration names
    # (a new one has a new principal id), and the Anyscale cloud itself (a new one is a new cloud).
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:storage:StorageAccount": ("accountName", "resourceGroupName", "location", "isHnsEnabled", "kind"),
    "azure-native:storage:BlobContainer": ("accountName", "containerName", "resourceGroupName"),
    "azure-native:containerservice:ManagedCluster": ("resourceName", "resourceGroupName", "location", "dnsPrefix"),
    "azure-native:containerservice:AgentPool": ("agentPoolName", "resourceName", "resourceGroupName", "vmSize"),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceName", "resourceGroupName", "location"),
    "azure-native:resources:Resource": ("resourceName", "resourceType", "resourceProviderNamespace", "parentResourcePath",
                                        "resourceGroupName"),
    "azure-native:kubernetesconfiguration:Extension": ("extensionName", "clusterName", "extensionType"),
}
STATEFUL = (
    "aws:s3/bucket:Bucket", "aws:efs/fileSystem:FileSystem", "aws:memorydb/cluster:Cluster", "aws:kms/key:Key",
    "gcp:storage/bucket:Bucket", "gcp:filestore/instance:Instance", "gcp:redis/instance:Instance",
    "azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer",
)


def shape(result: PreviewResult) -> list[dict[str, Any]]:
    """What must not drift: every URN, its protect flag, and its replace-on-change inputs."""
    rows = []
    for r in result.resources:
        row: dict[str, Any] = {"urn": r.urn, "protect": r.protect}
        keys = REPLACE_ON_CHANGE.get(r.type, ())
        row.update({k: r.inputs[k] for k in keys if k in r.inputs and k not in r.secret_inputs})
        rows.append(row)
    return rows


@pytest.mark.parametrize("program", PROGRAMS)
def test_urns_and_replacement_inputs_match_the_snapshot(program, snapshot):
    assert shape(run_program(ROOT / program)) == snapshot


def cloud(**overrides: Any) -> PreviewResult:
    def program() -> None:
        AnyscaleAwsCloud(
            "anyscale",
            AnyscaleAwsCloudArgs(
                cloud_name="prod",
                org_id="org_previewOnly0000000000",
                security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["203.0.113.0/24"]),
                **overrides,
            ),
        )

    return run_function(program, config={"aws:region": "us-west-2"})


def kept(before: PreviewResult, after: PreviewResult) -> list[str]:
    """URNs of `before` that `after` would delete or replace (empty = nothing lost)."""
    after_by_urn = {r.urn: r for r in after.resources}
    lost = []
    for r in before.resources:
        twin = after_by_urn.get(r.urn)
        if twin is None:
            lost.append(f"deleted: {r.urn}")
            continue
        for key in REPLACE_ON_CHANGE.get(r.type, ()):
            if r.inputs.get(key) != twin.inputs.get(key):
                lost.append(f"replaced ({key}): {r.urn}")
    return lost


TWO_AZS = AnyscaleNetworkArgs(availability_zones=["us-west-2a", "us-west-2b"])
THREE_AZS = AnyscaleNetworkArgs(availability_zones=["us-west-2a", "us-west-2b", "us-west-2c"])

TRANSITIONS = {
    "turn MemoryDB on": ({}, {"enable_memorydb": True}),
    "set cloud_id (second phase)": ({}, {"cloud_id": "cld_previewOnly00000000000000"}),
    "add an AZ (and its subnet)": ({"network": TWO_AZS}, {"network": THREE_AZS}),
    "turn the services policy off": ({}, {"iam": {"enable_services_policy": False}}),
    "add tags": ({}, {"tags": {"team": "ml"}}),
}


@pytest.mark.parametrize("change", sorted(TRANSITIONS))
def test_transition_keeps_every_existing_resource(change):
    before_args, after_args = TRANSITIONS[change]
    before, after = cloud(**before_args), cloud(**after_args)
    lost = kept(before, after)
    if change == "turn the services policy off":
        # The one resource this change is about; nothing else goes.
        assert lost == [next(f"deleted: {r.urn}" for r in before.resources if r.name == "anyscale-services-policy")]
    else:
        assert lost == []
    stateful_before = [r.urn for r in before.resources if r.type in STATEFUL]
    assert stateful_before and all(urn in {r.urn for r in after.resources} for urn in stateful_before)


def gcp_cloud(**overrides: Any) -> PreviewResult:
    from anyscale_infra.gcp import AnyscaleGcpCloud, AnyscaleGcpCloudArgs, AnyscaleGcpFirewallArgs

    def program() -> None:
        AnyscaleGcpCloud(
            "anyscale",
            AnyscaleGcpCloudArgs(
                cloud_name="prod",
                project_id="acme-ml-prod",
                region="us-central1",
                org_id="org_previewOnly0000000000",
                **{"firewall": AnyscaleGcpFirewallArgs(ingress_cidr_blocks=["203.0.113.0/24"]), **overrides},
            ),
        )

    return run_function(program, config={"gcp:project": "acme-ml-prod", "gcp:region": "us-central1"})


GCP_TRANSITIONS = {
    "turn Memorystore on": ({}, {"enable_memorystore": True}),
    "set cloud_id (labels)": ({}, {"cloud_id": "cld_previewOnly00000000000000"}),
    "add labels": ({}, {"labels": {"team": "ml"}}),
    "open SSH": ({}, {"firewall": {"ingress_cidr_blocks": ["203.0.113.0/24"], "enable_ssh": True}}),
    "go private (NAT, proxy-only subnet)": ({}, {"network": {"networking": "private"}}),
}


@pytest.mark.parametrize("change", sorted(GCP_TRANSITIONS))
def test_gcp_transition_keeps_every_existing_resource(change):
    before_args, after_args = GCP_TRANSITIONS[change]
    before, after = gcp_cloud(**before_args), gcp_cloud(**after_args)
    assert kept(before, after) == []
    stateful_before = [r.urn for r in before.resources if r.type in STATEFUL]
    assert len(stateful_before) == 2  # the bucket and Filestore
    assert all(urn in {r.urn for r in after.resources} for urn in stateful_before)


def test_gcp_stateful_resources_are_protected_by_default():
    result = gcp_cloud(enable_memorystore=True)
    stateful = [r for r in result.resources if r.type in STATEFUL]
    assert sorted(r.type for r in stateful) == ["gcp:filestore/instance:Instance", "gcp:redis/instance:Instance", "gcp:storage/bucket:Bucket"]
    assert all(r.protect for r in stateful)


def test_the_checker_itself_sees_a_replacement():
    """A guard that cannot fail is no guard: a renamed bucket is reported."""
    before = cloud()
    after = cloud(bucket={"bucket_name": "acme-renamed-bucket"})
    assert any("aws:s3/bucket:Bucket" in line and line.startswith("replaced (bucket)") for line in kept(before, after))

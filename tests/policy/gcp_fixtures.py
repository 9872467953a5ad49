"""A hand-written, compliant Anyscale cloud on Google Cloud as policy records (no
components involved: the rules must judge resources by type and properties only).

Plain pulumi_gcp types with their camelCase wire names, every value written out here —
nothing computed from ``anyscale_infra/gcp/constants.py`` — so a change to our constants
cannot move the fixtures with it. ``props`` are the inputs a program passes (resource
policies see them); ``outputs`` add what Google computes (ids, self links, emails, pool
names), which stack policies see. References use the forms programs use — a VPC by id, by
self link and by name, a firewall policy by name and by id, a service account by ``name``
— so the rules are checked to match all of them.
"""

from __future__ import annotations

import copy
from typing import Any

PROJECT = "acme-anyscale"
PROJECT_NUMBER = "123456789012"
REGION = "us-central1"
COMPUTE = "https://www.googleapis.com/compute/v1"

VPC_ID = f"projects/{PROJECT}/global/networks/anyscale-vpc"
VPC_SELF_LINK = f"{COMPUTE}/{VPC_ID}"
POLICY_ID = f"projects/{PROJECT}/global/firewallPolicies/anyscale-firewall"
ACCESS_EMAIL = f"anyscale-access@{PROJECT}.iam.gserviceaccount.com"
ACCESS_NAME = f"projects/{PROJECT}/serviceAccounts/{ACCESS_EMAIL}"
DATAPLANE_EMAIL = f"anyscale-dataplane@{PROJECT}.iam.gserviceaccount.com"
DATAPLANE_NAME = f"projects/{PROJECT}/serviceAccounts/{DATAPLANE_EMAIL}"
POOL_NAME = f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/anyscale-pool"
POOL_MEMBER = f"principalSet://iam.googleapis.com/{POOL_NAME}/*"
ANYSCALE_ACCOUNT = "525325868955"
#: Google's documented mapping for AWS (the role ARN without the session name).
AWS_ROLE_MAPPING = (
    "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + "
    "'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
)
PINNED_CONDITION = 'google.subject.startsWith("arn:aws:sts::525325868955:assumed-role/gcp_if_org_abc123/")'


def urn(resource_type: str, name: str) -> str:
    return f"urn:pulumi:ci::hand-written-gcp::{resource_type}::{name}"


def record(resource_type: str, name: str, props: dict[str, Any], ident: str | None = None, /, **computed: Any) -> dict[str, Any]:
    return {
        "urn": urn(resource_type, name),
        "type": resource_type,
        "name": name,
        "props": props,
        "outputs": {**props, **computed},
        "id": ident,
    }


def _rule(name: str, priority: int, sources: list[str], layer4: list[dict[str, Any]], policy: str = POLICY_ID) -> dict[str, Any]:
    props = {
        "firewallPolicy": policy,
        "priority": priority,
        "direction": "INGRESS",
        "action": "allow",
        "match": {"srcIpRanges": sources, "layer4Configs": layer4},
    }
    return record("gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule", name, props,
                  f"{POLICY_ID}/rules/{priority}")


def firewall_rule(name: str, priority: int, sources: list[str], layer4: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    made = _rule(name, priority, sources, layer4)
    made["props"].update(extra)
    made["outputs"].update(extra)
    return made


def compliant_cloud() -> list[dict[str, Any]]:
    return [
        # -- network ------------------------------------------------------------------------------
        record("gcp:compute/network:Network", "vpc", {"name": "anyscale-vpc", "autoCreateSubnetworks": False}, VPC_ID,
               selfLink=VPC_SELF_LINK),
        record("gcp:compute/subnetwork:Subnetwork", "subnet", {
            "name": "anyscale-subnet", "network": VPC_ID, "ipCidrRange": "10.0.0.0/20", "region": REGION,
            "privateIpGoogleAccess": True,
        }, f"projects/{PROJECT}/regions/{REGION}/subnetworks/anyscale-subnet"),
        # A /26 proxy-only subnet: fine for Google, and not a subnet clusters run in.
        record("gcp:compute/subnetwork:Subnetwork", "proxy-only", {
            "name": "anyscale-proxy-only", "network": VPC_ID, "ipCidrRange": "10.1.0.0/26", "region": REGION,
            "purpose": "REGIONAL_MANAGED_PROXY", "role": "ACTIVE",
        }, f"projects/{PROJECT}/regions/{REGION}/subnetworks/anyscale-proxy-only"),
        # -- firewall policy ----------------------------------------------------------------------
        record("gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy", "firewall", {"name": "anyscale-firewall"},
               POLICY_ID, selfLink=f"{COMPUTE}/{POLICY_ID}"),
        record("gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation", "firewall-association", {
            "name": "anyscale-vpc-association", "firewallPolicy": "anyscale-firewall", "attachmentTarget": VPC_ID,
        }, f"{POLICY_ID}/associations/anyscale-vpc-association"),
        _rule("internal", 1000, ["10.0.0.0/20"], [{"ipProtocol": "all"}]),
        _rule("https", 1001, ["0.0.0.0/0"], [{"ipProtocol": "tcp", "ports": ["443"]}]),
        _rule("ssh-iap", 1002, ["35.235.240.0/20"], [{"ipProtocol": "tcp", "ports": ["22"]}]),
        _rule("health-checks", 1003, ["35.191.0.0/16", "130.211.0.0/22"], [{"ipProtocol": "tcp", "ports": ["8000"]}]),
        # -- Cloud Storage ------------------------------------------------------------------------
        record("gcp:storage/bucket:Bucket", "bucket", {
            "name": "acme-anyscale-data", "location": "US-CENTRAL1", "uniformBucketLevelAccess": True,
            "publicAccessPrevention": "enforced",
            "cors": [{"origins": ["https://*.anyscale.com"], "methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
                      "responseHeaders": ["*"], "maxAgeSeconds": 3600}],
        }, "acme-anyscale-data", url="gs://acme-anyscale-data",
            selfLink="https://www.googleapis.com/storage/v1/b/acme-anyscale-data"),
        record("gcp:storage/bucketIAMMember:BucketIAMMember", "bucket-access", {
            "bucket": "acme-anyscale-data", "role": "roles/storage.admin", "member": f"serviceAccount:{ACCESS_EMAIL}",
        }, f"b/acme-anyscale-data/roles/storage.admin/serviceAccount:{ACCESS_EMAIL}"),
        record("gcp:storage/bucketIAMBinding:BucketIAMBinding", "bucket-dataplane-objects", {
            "bucket": "b/acme-anyscale-data", "role": "roles/storage.objectAdmin", "members": [f"serviceAccount:{DATAPLANE_EMAIL}"],
        }, "b/acme-anyscale-data/roles/storage.objectAdmin"),
        record("gcp:storage/bucketIAMMember:BucketIAMMember", "bucket-dataplane-reader", {
            "bucket": "acme-anyscale-data", "role": "roles/storage.legacyBucketReader",
            "member": f"serviceAccount:{DATAPLANE_EMAIL}",
        }, f"b/acme-anyscale-data/roles/storage.legacyBucketReader/serviceAccount:{DATAPLANE_EMAIL}"),
        # -- Filestore, Memorystore ---------------------------------------------------------------
        record("gcp:filestore/instance:Instance", "filestore", {
            "name": "anyscale-filestore", "location": "us-central1-a", "tier": "BASIC_SSD",
            "fileShares": {"name": "anyscale", "capacityGb": 2560},
            "networks": [{"network": "anyscale-vpc", "modes": ["MODE_IPV4"]}],
        }, f"projects/{PROJECT}/locations/us-central1-a/instances/anyscale-filestore"),
        record("gcp:redis/instance:Instance", "redis", {
            "name": "anyscale-redis", "region": REGION, "tier": "STANDARD_HA", "memorySizeGb": 5,
            "redisVersion": "REDIS_7_0", "authorizedNetwork": VPC_SELF_LINK, "readReplicasMode": "READ_REPLICAS_ENABLED",
            "replicaCount": 1, "transitEncryptionMode": "DISABLED", "redisConfigs": {"maxmemory-policy": "allkeys-lru"},
        }, f"projects/{PROJECT}/locations/{REGION}/instances/anyscale-redis"),
        # -- identity -----------------------------------------------------------------------------
        record("gcp:serviceaccount/account:Account", "access-sa", {"accountId": "anyscale-access", "project": PROJECT},
               ACCESS_NAME, email=ACCESS_EMAIL, name=ACCESS_NAME, member=f"serviceAccount:{ACCESS_EMAIL}"),
        record("gcp:serviceaccount/account:Account", "dataplane-sa", {"accountId": "anyscale-dataplane", "project": PROJECT},
               DATAPLANE_NAME, email=DATAPLANE_EMAIL, name=DATAPLANE_NAME, member=f"serviceAccount:{DATAPLANE_EMAIL}"),
        record("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "pool", {"workloadIdentityPoolId": "anyscale-pool"},
               f"projects/{PROJECT}/locations/global/workloadIdentityPools/anyscale-pool", name=POOL_NAME),
        record("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "pool-provider", {
            "workloadIdentityPoolId": "anyscale-pool", "workloadIdentityPoolProviderId": "anyscale-aws",
            "aws": {"accountId": ANYSCALE_ACCOUNT},
            "attributeMapping": {"google.subject": "assertion.arn", "attribute.aws_role": AWS_ROLE_MAPPING},
            "attributeCondition": PINNED_CONDITION,
        }, f"projects/{PROJECT}/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws",
            name=f"{POOL_NAME}/providers/anyscale-aws"),
        record("gcp:serviceaccount/iAMMember:IAMMember", "access-wif-user", {
            "serviceAccountId": ACCESS_NAME, "role": "roles/iam.workloadIdentityUser", "member": POOL_MEMBER,
        }, f"{ACCESS_NAME}/roles/iam.workloadIdentityUser/{POOL_MEMBER}"),
        record("gcp:serviceaccount/iAMBinding:IAMBinding", "access-token-creator", {
            "serviceAccountId": ACCESS_NAME, "role": "roles/iam.serviceAccountTokenCreator",
            "members": [f"serviceAccount:{ACCESS_EMAIL}"],
        }, f"{ACCESS_NAME}/roles/iam.serviceAccountTokenCreator"),
        record("gcp:projects/iAMMember:IAMMember", "access-owner", {
            "project": PROJECT, "role": "roles/owner", "member": f"serviceAccount:{ACCESS_EMAIL}",
        }, f"{PROJECT}/roles/owner/serviceAccount:{ACCESS_EMAIL}"),
        record("gcp:projects/iAMMember:IAMMember", "dataplane-artifacts", {
            "project": PROJECT, "role": "roles/artifactregistry.reader", "member": f"serviceAccount:{DATAPLANE_EMAIL}",
        }, f"{PROJECT}/roles/artifactregistry.reader/serviceAccount:{DATAPLANE_EMAIL}"),
    ]


def edit(stack: list[dict[str, Any]], resource_name: str, /, **props: Any) -> list[dict[str, Any]]:
    """A copy of ``stack`` with ``props`` set on the resource ``resource_name`` (``None``
    deletes), in its inputs and its outputs alike."""
    changed = copy.deepcopy(stack)
    found = False
    for r in changed:
        if r["name"] == resource_name:
            found = True
            for key, value in props.items():
                for side in ("props", "outputs"):
                    if value is None:
                        r[side].pop(key, None)
                    else:
                        r[side][key] = value
    assert found, resource_name
    return changed


def without(stack: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    missing = set(names) - {r["name"] for r in stack}
    assert not missing, missing
    return [r for r in copy.deepcopy(stack) if r["name"] not in names]


def plus(stack: list[dict[str, Any]], *records: dict[str, Any]) -> list[dict[str, Any]]:
    return copy.deepcopy(stack) + list(records)

"""Every Google Cloud rule of the pack: silent on a compliant hand-written cloud, reporting
the exact rule id on the exact resource at the rule's level when one requirement is broken,
and a near miss on each side of each rule's boundary (what passes just inside, what fails
just outside), so a rule that moves its boundary fails here."""

from __future__ import annotations

import json

import pytest

from anyscale_infra.policy import ALL_POLICIES
from anyscale_infra.policy import gcp as gcp_rules
from anyscale_infra.policy.gcp._cel import pins_one_role
from anyscale_infra.policy.runner import evaluate
from gcp_fixtures import (
    ACCESS_EMAIL,
    ACCESS_NAME,
    AWS_ROLE_MAPPING,
    DATAPLANE_EMAIL,
    DATAPLANE_NAME,
    PINNED_CONDITION,
    POLICY_ID,
    POOL_MEMBER,
    POOL_NAME,
    PROJECT,
    VPC_ID,
    VPC_SELF_LINK,
    compliant_cloud,
    edit,
    firewall_rule,
    plus,
    record,
    urn,
    without,
)

BASE = compliant_cloud()
GCP_IDS = {p.name for p in gcp_rules.POLICIES}
LEVEL = {p.name: p.enforcement_level.value for p in gcp_rules.POLICIES}

RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
TCP_22 = [{"ipProtocol": "tcp", "ports": ["22"]}]
UNPINNED = 'google.subject.startsWith("arn:aws:sts::525325868955:assumed-role/gcp_if_org_abc123")'


def found(stack, rule_id, config=None):
    return [v for v in evaluate(stack, config) if v.policy_id == rule_id]


def fires(stack, rule_id, culprit, config=None):
    """``rule_id`` reports exactly the resource named ``culprit``, at its level; returns
    the messages."""
    hits = found(stack, rule_id, config)
    resource = next(r for r in stack if r["name"] == culprit)
    assert [v.urn for v in hits] == [resource["urn"]], [(v.urn, v.message) for v in hits]
    assert {v.enforcement_level for v in hits} == {LEVEL[rule_id]}
    return " ".join(v.message for v in hits)


def passes(stack, rule_id, config=None):
    hits = found(stack, rule_id, config)
    assert hits == [], [v.message for v in hits]


def provider(name, pool="anyscale-pool", **props):
    return record(PROVIDER, name, {"workloadIdentityPoolId": pool, "workloadIdentityPoolProviderId": name, **props})


# rule id -> (broken stack, the resource name the violation must name)
BROKEN = {
    "anyscale-gcp-subnet-min-size": (edit(BASE, "subnet", ipCidrRange="10.0.0.0/25"), "subnet"),
    "anyscale-gcp-subnet-recommended-size": (edit(BASE, "subnet", ipCidrRange="10.0.0.0/21"), "subnet"),
    "anyscale-gcp-firewall-policy-associated": (without(BASE, "firewall-association"), "firewall"),
    "anyscale-gcp-firewall-internal": (without(BASE, "internal"), "firewall"),
    "anyscale-gcp-firewall-https-ingress": (without(BASE, "https"), "firewall"),
    "anyscale-gcp-firewall-ssh-ingress": (without(BASE, "ssh-iap"), "firewall"),
    "anyscale-gcp-firewall-ssh-not-world-open": (plus(BASE, firewall_rule("ssh-world", 1010, ["0.0.0.0/0"], TCP_22)), "ssh-world"),
    "anyscale-gcp-bucket-cors": (
        edit(BASE, "bucket", cors=[{"origins": ["https://*.anyscale.com"], "methods": ["GET"], "responseHeaders": ["Content-Type"]}]),
        "bucket",
    ),
    "anyscale-gcp-bucket-public-access-prevention": (edit(BASE, "bucket", publicAccessPrevention="inherited"), "bucket"),
    "anyscale-gcp-bucket-uniform-access": (edit(BASE, "bucket", uniformBucketLevelAccess=False), "bucket"),
    "anyscale-gcp-bucket-not-public": (
        plus(BASE, record(BUCKET_MEMBER, "public-read", {"bucket": "acme-anyscale-data", "role": "roles/storage.objectViewer", "member": "allUsers"})),
        "public-read",
    ),
    "anyscale-gcp-bucket-region": (edit(BASE, "bucket", location="EUROPE-WEST4"), "bucket"),
    "anyscale-gcp-bucket-access-service-account": (without(BASE, "bucket-access"), "bucket"),
    "anyscale-gcp-filestore-network": (edit(BASE, "filestore", networks=[{"network": "default", "modes": ["MODE_IPV4"]}]), "filestore"),
    "anyscale-gcp-filestore-region": (edit(BASE, "filestore", location="us-east1-b"), "filestore"),
    "anyscale-gcp-memorystore-ha": (edit(BASE, "redis", tier="BASIC"), "redis"),
    "anyscale-gcp-memorystore-read-replicas": (edit(BASE, "redis", readReplicasMode=None), "redis"),
    "anyscale-gcp-memorystore-no-tls": (edit(BASE, "redis", transitEncryptionMode="SERVER_AUTHENTICATION"), "redis"),
    "anyscale-gcp-memorystore-allkeys-lru": (edit(BASE, "redis", redisConfigs={"maxmemory-policy": "volatile-lru"}), "redis"),
    "anyscale-gcp-memorystore-network": (edit(BASE, "redis", authorizedNetwork=None), "redis"),
    "anyscale-gcp-wif-aws-condition": (edit(BASE, "pool-provider", attributeCondition=UNPINNED), "pool-provider"),
    "anyscale-gcp-wif-anyscale-account": (
        plus(BASE, provider("stranger", aws={"accountId": "000000000001"},
                            attributeCondition='assertion.arn.startsWith("arn:aws:sts::000000000001:assumed-role/ci/")')),
        "stranger",
    ),
    "anyscale-gcp-access-sa-token-creator": (without(BASE, "access-token-creator"), "access-sa"),
    "anyscale-gcp-access-sa-project-role": (without(BASE, "access-owner"), "access-sa"),
    "anyscale-gcp-wif-no-project-admin": (
        plus(BASE, record(PROJECT_MEMBER, "pool-editor", {"project": PROJECT, "role": "roles/editor", "member": POOL_MEMBER})),
        "pool-editor",
    ),
}


def test_the_compliant_cloud_has_no_violation_at_all():
    assert evaluate(BASE) == []


def test_every_gcp_rule_has_a_violating_fixture():
    assert set(BROKEN) == GCP_IDS
    assert all(name.startswith("anyscale-gcp-") for name in GCP_IDS)
    assert GCP_IDS <= {p.name for p in ALL_POLICIES}


@pytest.mark.parametrize("rule_id", sorted(BROKEN))
def test_rule_reports_the_broken_resource(rule_id):
    stack, name = BROKEN[rule_id]
    fires(stack, rule_id, name)


def test_a_rule_looks_only_at_its_own_providers_types():
    import policy_fixtures

    aws = policy_fixtures.compliant_cloud()
    broken_aws = policy_fixtures.edit(aws, "mdb", tlsEnabled=False)
    assert not [v for v in evaluate(broken_aws) if v.policy_id.startswith("anyscale-gcp-")]
    for stack, _ in BROKEN.values():
        assert not [v for v in evaluate(stack) if v.policy_id.startswith("anyscale-aws-")]
    # Both clouds in one program: each cloud's rules judge their own resources only.
    assert evaluate([*aws, *BASE]) == []


# -- subnets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("cidr", "minimum", "recommended"), [
    ("10.0.0.0/20", True, True), ("10.0.0.0/21", True, False), ("10.0.0.0/24", True, False), ("10.0.0.0/25", False, False),
])
def test_subnet_size_boundaries(cidr, minimum, recommended):
    stack = edit(BASE, "subnet", ipCidrRange=cidr)
    assert (found(stack, "anyscale-gcp-subnet-min-size") == []) is minimum
    assert (found(stack, "anyscale-gcp-subnet-recommended-size") == []) is recommended


def test_a_proxy_only_subnet_is_not_held_to_the_vm_subnet_size():
    passes(BASE, "anyscale-gcp-subnet-min-size")  # its /26 is Google's business
    fires(edit(BASE, "proxy-only", purpose="PRIVATE"), "anyscale-gcp-subnet-min-size", "proxy-only")


def test_subnet_size_limit_is_configurable():
    stack = edit(BASE, "subnet", ipCidrRange="10.0.0.0/22")
    assert found(stack, "anyscale-gcp-subnet-recommended-size")
    passes(stack, "anyscale-gcp-subnet-recommended-size", {"anyscale-gcp-subnet-recommended-size": {"maxPrefixLength": 22}})


# -- firewall policy ------------------------------------------------------------------------------


def test_references_match_by_name_id_or_self_link():
    swapped = edit(edit(BASE, "firewall-association", firewallPolicy=POLICY_ID, attachmentTarget=VPC_SELF_LINK),
                   "internal", firewallPolicy="anyscale-firewall")
    assert evaluate(swapped) == []


def test_an_association_with_another_network_is_reported():
    stack = edit(BASE, "firewall-association", attachmentTarget=f"projects/{PROJECT}/global/networks/default")
    assert "associated with default, none of the program's VPCs (anyscale-vpc)" in fires(
        stack, "anyscale-gcp-firewall-policy-associated", "firewall")


def _internal(**changes):
    stack = without(BASE, "internal")
    rule = firewall_rule("internal", 1000, changes.pop("sources", ["10.0.0.0/20"]), changes.pop("layer4", [{"ipProtocol": "all"}]), **changes)
    return plus(stack, rule)


@pytest.mark.parametrize(("changes", "allowed"), [
    ({"layer4": [{"ipProtocol": "tcp"}]}, True),  # every TCP port: the verifier's check
    ({"layer4": [{"ipProtocol": "6"}]}, True),  # TCP by number
    ({"layer4": [{"ipProtocol": "tcp", "ports": ["1-65535"]}]}, True),
    ({"layer4": [{"ipProtocol": "tcp", "ports": ["1-65534"]}]}, False),  # one port short
    ({"layer4": [{"ipProtocol": "udp"}]}, False),
    ({"sources": ["10.0.0.0/8"]}, True),
    ({"sources": ["10.0.0.0/21"]}, False),  # half of the subnet
    ({"direction": "EGRESS"}, False),
    ({"action": "deny"}, False),
    ({"disabled": True}, False),
    ({"firewallPolicy": "another-policy"}, False),
])
def test_internal_traffic_boundaries(changes, allowed):
    stack = _internal(**changes)
    if allowed:
        passes(stack, "anyscale-gcp-firewall-internal")
    else:
        fires(stack, "anyscale-gcp-firewall-internal", "firewall")


def test_a_rule_without_layer4_configs_matches_every_protocol():
    stack = edit(BASE, "internal", match={"srcIpRanges": ["10.0.0.0/20"]})
    passes(stack, "anyscale-gcp-firewall-internal")


def test_internal_ports_add_up_across_rules():
    stack = plus(
        without(BASE, "internal"),
        firewall_rule("low", 1000, ["10.0.0.0/20"], [{"ipProtocol": "tcp", "ports": ["1-32767"]}]),
        firewall_rule("high", 1004, ["10.0.0.0/16"], [{"ipProtocol": "tcp", "ports": ["32768-65535"]}]),
    )
    passes(stack, "anyscale-gcp-firewall-internal")


def test_only_subnets_that_hold_vms_need_internal_traffic():
    message = fires(edit(BASE, "proxy-only", purpose="PRIVATE"), "anyscale-gcp-firewall-internal", "firewall")
    assert "anyscale-proxy-only (10.1.0.0/26)" in message and "anyscale-subnet" not in message


def test_a_policy_with_inline_rules_is_judged_like_one_with_rule_resources():
    inline = [
        {"priority": 1000, "direction": "INGRESS", "action": "allow",
         "match": {"srcIpRanges": ["10.0.0.0/20"], "layer4Configs": [{"ipProtocol": "all"}]}},
        {"priority": 1001, "direction": "INGRESS", "action": "allow",
         "match": {"srcIpRanges": ["0.0.0.0/0"], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["443"]}]}},
        {"priority": 1002, "direction": "INGRESS", "action": "allow",
         "match": {"srcIpRanges": ["35.235.240.0/20"], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["22"]}]}},
    ]
    policy = record("gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules", "firewall",
                    {"name": "anyscale-firewall", "rules": inline}, POLICY_ID)
    stack = plus(without(BASE, "firewall", "internal", "https", "ssh-iap", "health-checks"), policy)
    assert evaluate(stack) == []
    broken = edit(stack, "firewall", rules=inline[1:])
    fires(broken, "anyscale-gcp-firewall-internal", "firewall")
    opened = edit(stack, "firewall", rules=[*inline, {**inline[2], "priority": 1003, "match": {"srcIpRanges": ["::/0"], "layer4Configs": TCP_22}}])
    assert "firewall priority 1003 from ::/0" in fires(opened, "anyscale-gcp-firewall-ssh-not-world-open", "firewall")


def test_a_regional_association_does_not_associate_a_global_policy_of_the_same_name():
    regional = record("gcp:compute/regionNetworkFirewallPolicyAssociation:RegionNetworkFirewallPolicyAssociation",
                      "regional-association", {"name": "anyscale-vpc-association", "firewallPolicy": "anyscale-firewall",
                                               "attachmentTarget": VPC_ID, "region": "us-central1"})
    fires(plus(without(BASE, "firewall-association"), regional), "anyscale-gcp-firewall-policy-associated", "firewall")


def test_regional_rules_do_not_count_for_a_global_policy_of_the_same_name():
    regional = record("gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule", "regional-internal", {
        "firewallPolicy": "anyscale-firewall", "region": "us-central1", "priority": 1000, "direction": "INGRESS",
        "action": "allow", "match": {"srcIpRanges": ["10.0.0.0/20"], "layer4Configs": [{"ipProtocol": "all"}]}})
    fires(plus(without(BASE, "internal"), regional), "anyscale-gcp-firewall-internal", "firewall")


@pytest.mark.parametrize(("rule", "allowed"), [
    ({"sources": ["203.0.113.0/24"], "layer4": [{"ipProtocol": "tcp", "ports": ["443"]}]}, True),  # any source will do
    ({"sources": ["0.0.0.0/0"], "layer4": [{"ipProtocol": "tcp", "ports": ["400-500"]}]}, True),
    ({"sources": ["0.0.0.0/0"], "layer4": [{"ipProtocol": "tcp", "ports": ["8443"]}]}, False),
    ({"sources": ["0.0.0.0/0"], "layer4": [{"ipProtocol": "udp", "ports": ["443"]}]}, False),
    ({"sources": ["0.0.0.0/0"], "layer4": [{"ipProtocol": "tcp", "ports": ["443"]}], "direction": "EGRESS"}, False),
])
def test_https_ingress_boundaries(rule, allowed):
    stack = plus(without(BASE, "https"), firewall_rule("https", 1001, rule.pop("sources"), rule.pop("layer4"), **rule))
    if allowed:
        passes(stack, "anyscale-gcp-firewall-https-ingress")
    else:
        fires(stack, "anyscale-gcp-firewall-https-ingress", "firewall")


@pytest.mark.parametrize(("sources", "layer4", "extra", "open_"), [
    (["0.0.0.0/0"], TCP_22, {}, True),
    (["::/0"], TCP_22, {}, True),
    (["0.0.0.0/1"], TCP_22, {}, False),  # half the internet, not "the world": the rule's boundary
    (["203.0.113.0/24", "0.0.0.0/0"], [{"ipProtocol": "tcp", "ports": ["20-30"]}], {}, True),
    (["0.0.0.0/0"], [{"ipProtocol": "all"}], {}, True),
    (["0.0.0.0/0"], [{"ipProtocol": "udp", "ports": ["22"]}], {}, False),
    (["0.0.0.0/0"], [{"ipProtocol": "tcp", "ports": ["2222"]}], {}, False),
    (["0.0.0.0/0"], TCP_22, {"disabled": True}, False),
    (["0.0.0.0/0"], TCP_22, {"action": "deny"}, False),
    (["0.0.0.0/0"], TCP_22, {"direction": "EGRESS"}, False),
])
def test_ssh_world_open_boundaries(sources, layer4, extra, open_):
    stack = plus(BASE, firewall_rule("ssh-world", 1010, sources, layer4, **extra))
    if open_:
        fires(stack, "anyscale-gcp-firewall-ssh-not-world-open", "ssh-world")
    else:
        passes(stack, "anyscale-gcp-firewall-ssh-not-world-open")


def test_ssh_world_open_in_vpc_firewall_rules_and_hierarchical_policies():
    legacy = record("gcp:compute/firewall:Firewall", "legacy-ssh", {
        "network": VPC_ID, "sourceRanges": ["0.0.0.0/0"], "allows": [{"protocol": "tcp", "ports": ["22", "80"]}]})
    fires(plus(BASE, legacy), "anyscale-gcp-firewall-ssh-not-world-open", "legacy-ssh")  # INGRESS is the default
    passes(plus(BASE, edit([legacy], "legacy-ssh", sourceRanges=["35.235.240.0/20"])[0]), "anyscale-gcp-firewall-ssh-not-world-open")
    org = record("gcp:compute/firewallPolicyRule:FirewallPolicyRule", "org-ssh", {
        "firewallPolicy": "locations/global/firewallPolicies/1234", "priority": 100, "direction": "INGRESS",
        "action": "allow", "match": {"srcIpRanges": ["::/0"], "layer4Configs": TCP_22}})
    fires(plus(BASE, org), "anyscale-gcp-firewall-ssh-not-world-open", "org-ssh")


# -- Cloud Storage ------------------------------------------------------------------------------

ANYSCALE_CORS = {"origins": ["https://*.anyscale.com"], "methods": ["GET"], "responseHeaders": ["*"]}


@pytest.mark.parametrize(("cors", "allowed"), [
    ([ANYSCALE_CORS], True),  # GET alone is what the verifier asks
    ([{"origins": ["https://example.com"], "methods": ["GET"], "responseHeaders": ["*"]}, ANYSCALE_CORS], True),
    ([{**ANYSCALE_CORS, "responseHeaders": ["Content-Type", "Range"]}], False),
    ([{**ANYSCALE_CORS, "origins": ["https://console.anyscale.com"]}], False),
    ([{**ANYSCALE_CORS, "methods": ["PUT", "POST"]}], False),
    (None, False),
])
def test_cors_boundaries(cors, allowed):
    stack = edit(BASE, "bucket", cors=cors) if cors is not None else edit(BASE, "bucket", cors=None)
    if allowed:
        passes(stack, "anyscale-gcp-bucket-cors")
    else:
        assert "responseHeader '*'" in fires(stack, "anyscale-gcp-bucket-cors", "bucket")


def test_public_access_prevention_must_be_enforced_not_inherited():
    passes(BASE, "anyscale-gcp-bucket-public-access-prevention")
    assert "not set (inherited)" in fires(edit(BASE, "bucket", publicAccessPrevention=None),
                                          "anyscale-gcp-bucket-public-access-prevention", "bucket")
    fires(edit(BASE, "bucket", uniformBucketLevelAccess=None), "anyscale-gcp-bucket-uniform-access", "bucket")


@pytest.mark.parametrize(("resource", "public"), [
    (record("gcp:storage/bucketIAMBinding:BucketIAMBinding", "grant", {"bucket": "acme-anyscale-data", "role": "roles/storage.objectViewer", "members": ["user:alice@acme.com", "allAuthenticatedUsers"]}), True),
    (record("gcp:storage/bucketIAMPolicy:BucketIAMPolicy", "grant", {"bucket": "acme-anyscale-data", "policyData": json.dumps({"bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]})}), True),
    (record("gcp:storage/managedFolderIamMember:ManagedFolderIamMember", "grant", {"bucket": "acme-anyscale-data", "managedFolder": "logs/", "role": "roles/storage.objectViewer", "member": "allUsers"}), True),
    (record("gcp:storage/bucketACL:BucketACL", "grant", {"bucket": "acme-anyscale-data", "roleEntities": ["OWNER:project-owners-123456789012", "READER:allUsers"]}), True),
    (record("gcp:storage/bucketACL:BucketACL", "grant", {"bucket": "acme-anyscale-data", "predefinedAcl": "publicRead"}), True),
    (record("gcp:storage/objectAccessControl:ObjectAccessControl", "grant", {"bucket": "acme-anyscale-data", "object": "a.txt", "entity": "allUsers", "role": "READER"}), True),
    (record("gcp:storage/bucketIAMMember:BucketIAMMember", "grant", {"bucket": "acme-anyscale-data", "role": "roles/storage.objectViewer", "member": "domain:acme.com"}), False),
    (record("gcp:storage/bucketACL:BucketACL", "grant", {"bucket": "acme-anyscale-data", "predefinedAcl": "projectPrivate"}), False),
])
def test_bucket_not_public_boundaries(resource, public):
    stack = plus(BASE, resource)
    if public:
        fires(stack, "anyscale-gcp-bucket-not-public", "grant")
    else:
        passes(stack, "anyscale-gcp-bucket-not-public")


@pytest.mark.parametrize(("location", "placement", "near"), [
    ("US-CENTRAL1", None, True),
    ("US", None, True),
    ("NAM4", None, True),
    ("EU", None, False),
    ("US-EAST1", None, False),
    ("US", {"dataLocations": ["US-CENTRAL1", "US-EAST1"]}, True),
    ("US", {"dataLocations": ["US-EAST1", "US-WEST1"]}, False),
])
def test_bucket_region_boundaries(location, placement, near):
    stack = edit(BASE, "bucket", location=location, customPlacementConfig=placement)
    if near:
        passes(stack, "anyscale-gcp-bucket-region")
    else:
        fires(stack, "anyscale-gcp-bucket-region", "bucket")


@pytest.mark.parametrize(("roles", "enough"), [
    (["roles/storage.objectAdmin", "roles/storage.legacyBucketReader"], True),
    (["roles/storage.legacyBucketWriter", "roles/storage.legacyObjectReader"], True),
    (["roles/storage.objectAdmin"], False),  # no storage.buckets.get
    (["roles/storage.objectViewer", "roles/storage.objectCreator"], False),
])
def test_access_service_account_bucket_roles(roles, enough):
    grants = [record(BUCKET_MEMBER, f"access-{i}", {"bucket": "acme-anyscale-data", "role": role, "member": f"serviceAccount:{ACCESS_EMAIL}"})
              for i, role in enumerate(roles)]
    stack = plus(without(BASE, "bucket-access"), *grants)
    if enough:
        passes(stack, "anyscale-gcp-bucket-access-service-account")
    else:
        fires(stack, "anyscale-gcp-bucket-access-service-account", "bucket")


def test_other_buckets_of_the_program_are_not_judged():
    scratch = record("gcp:storage/bucket:Bucket", "scratch", {"name": "acme-scratch", "location": "EU"}, "acme-scratch")
    assert evaluate(plus(BASE, scratch)) == []


def test_every_bucket_is_judged_when_none_is_the_access_accounts():
    scratch = record("gcp:storage/bucket:Bucket", "scratch", {"name": "acme-scratch", "location": "US-CENTRAL1"}, "acme-scratch")
    stack = plus(without(BASE, "bucket-access"), scratch)
    hits = found(stack, "anyscale-gcp-bucket-public-access-prevention")
    assert [v.urn for v in hits] == [urn("gcp:storage/bucket:Bucket", "scratch")]


# -- Filestore, Memorystore -------------------------------------------------------------------------


@pytest.mark.parametrize(("network", "connected"), [
    ("anyscale-vpc", True),
    (VPC_ID, True),
    ("projects/host-project/global/networks/anyscale-vpc", True),  # the verifier compares the last segment
    ("default", False),
    ("anyscale-vpc-2", False),
])
def test_filestore_network_boundaries(network, connected):
    stack = edit(BASE, "filestore", networks=[{"network": network, "modes": ["MODE_IPV4"]}])
    if connected:
        passes(stack, "anyscale-gcp-filestore-network")
    else:
        fires(stack, "anyscale-gcp-filestore-network", "filestore")


@pytest.mark.parametrize(("location", "near"), [("us-central1", True), ("us-central1-f", True), ("us-east1-b", False), ("us-central2-a", False)])
def test_filestore_region_boundaries(location, near):
    stack = edit(BASE, "filestore", location=location)
    if near:
        passes(stack, "anyscale-gcp-filestore-region")
    else:
        fires(stack, "anyscale-gcp-filestore-region", "filestore")


def test_without_a_vpc_in_the_program_the_network_rules_cannot_know_and_stay_silent():
    stack = without(BASE, "vpc", "subnet", "proxy-only", "firewall", "firewall-association", "internal", "https", "ssh-iap", "health-checks")
    stack = edit(stack, "redis", authorizedNetwork=None)
    assert evaluate(stack) == []


@pytest.mark.parametrize(("mode", "ok"), [(None, True), ("DISABLED", True), ("SERVER_AUTHENTICATION", False)])
def test_memorystore_tls_boundaries(mode, ok):
    stack = edit(BASE, "redis", transitEncryptionMode=mode)
    if ok:
        passes(stack, "anyscale-gcp-memorystore-no-tls")
    else:
        fires(stack, "anyscale-gcp-memorystore-no-tls", "redis")


def test_memorystore_defaults_are_judged_as_google_applies_them():
    assert "tier is BASIC" in fires(edit(BASE, "redis", tier=None), "anyscale-gcp-memorystore-ha", "redis")
    fires(edit(BASE, "redis", readReplicasMode="READ_REPLICAS_DISABLED"), "anyscale-gcp-memorystore-read-replicas", "redis")
    fires(edit(BASE, "redis", redisConfigs=None), "anyscale-gcp-memorystore-allkeys-lru", "redis")
    assert "default (authorizedNetwork not set)" in fires(edit(BASE, "redis", authorizedNetwork=None), "anyscale-gcp-memorystore-network", "redis")


@pytest.mark.parametrize(("network", "connected"), [(VPC_ID, True), ("anyscale-vpc", True), (VPC_SELF_LINK, True),
                                                    (f"projects/{PROJECT}/global/networks/default", False)])
def test_memorystore_network_boundaries(network, connected):
    stack = edit(BASE, "redis", authorizedNetwork=network)
    if connected:
        passes(stack, "anyscale-gcp-memorystore-network")
    else:
        fires(stack, "anyscale-gcp-memorystore-network", "redis")


# -- workload identity federation ---------------------------------------------------------------

ROLE_ARN = "arn:aws:sts::525325868955:assumed-role/gcp_if_org_abc123"


@pytest.mark.parametrize(("condition", "mapping", "pinned"), [
    (PINNED_CONDITION, None, True),
    (f"assertion.arn.startsWith('{ROLE_ARN}/')", None, True),
    (f"attribute.aws_role == '{ROLE_ARN}'", None, True),
    (f"attribute.aws_role in ['{ROLE_ARN}', 'arn:aws:sts::525325868955:assumed-role/gcp_if_org_def456']", None, True),
    (f"assertion.account == '525325868955' && {PINNED_CONDITION}", None, True),
    (f"({PINNED_CONDITION}) || attribute.aws_role == '{ROLE_ARN}'", None, True),
    (UNPINNED, None, False),  # no trailing '/': gcp_if_org_abc1234 gets in too
    (f"attribute.aws_role.startsWith('{ROLE_ARN}')", None, False),
    (f"{PINNED_CONDITION} || assertion.account == '525325868955'", None, False),
    (f"!({PINNED_CONDITION})", None, False),
    ("assertion.arn.contains('gcp_if_org_abc123')", None, False),
    ("assertion.account == '525325868955'", None, False),
    ("attribute.aws_role == 'arn:aws:sts::525325868955:assumed-role/*'", None, False),
    (PINNED_CONDITION, {"google.subject": "assertion.userid"}, False),  # google.subject is not the ARN then
    (f"attribute.arn.startsWith('{ROLE_ARN}/')", {"google.subject": "assertion.arn", "attribute.arn": "assertion.arn"}, True),
    (f"attribute.role == '{ROLE_ARN}'", {"attribute.role": AWS_ROLE_MAPPING}, True),
    ("google.subject.startsWith(", None, False),
    ("", None, False),
    (None, None, False),
])
def test_attribute_condition_pinning(condition, mapping, pinned):
    assert pins_one_role(condition, mapping)[0] is pinned


def test_an_aws_provider_without_condition_is_open_and_other_providers_are_not_judged():
    assert "no attributeCondition" in fires(edit(BASE, "pool-provider", attributeCondition=None), "anyscale-gcp-wif-aws-condition", "pool-provider")
    assert "does not pin one role" in fires(BROKEN["anyscale-gcp-wif-aws-condition"][0], "anyscale-gcp-wif-aws-condition", "pool-provider")
    oidc = provider("github", pool="ci-pool", oidc={"issuerUri": "https://token.actions.githubusercontent.com"})
    passes(plus(BASE, oidc), "anyscale-gcp-wif-aws-condition")


def test_the_anyscale_pool_admits_anyscales_account_only():
    oidc = provider("github", oidc={"issuerUri": "https://token.actions.githubusercontent.com"},
                    attributeCondition="assertion.repository_owner == 'acme'")
    assert "not AWS" in fires(plus(BASE, oidc), "anyscale-gcp-wif-anyscale-account", "github")
    # Another pool, not the cloud's, may federate another account.
    elsewhere = provider("ci", pool="ci-pool", aws={"accountId": "000000000001"},
                         attributeCondition="assertion.arn.startsWith('arn:aws:sts::000000000001:assumed-role/ci/')")
    assert evaluate(plus(BASE, elsewhere)) == []


def test_a_mistyped_account_is_caught_by_the_role_name_or_by_the_pools_use():
    typo = edit(BASE, "pool-provider", aws={"accountId": "525325868956"})
    fires(typo, "anyscale-gcp-wif-anyscale-account", "pool-provider")  # the condition names gcp_if_
    # ...by the role name alone, when the pool is not (yet) used to impersonate anything:
    fires(without(typo, "access-wif-user"), "anyscale-gcp-wif-anyscale-account", "pool-provider")
    anonymous = edit(typo, "pool-provider", attributeCondition="assertion.arn.startsWith('arn:aws:sts::525325868956:assumed-role/x/')")
    fires(anonymous, "anyscale-gcp-wif-anyscale-account", "pool-provider")  # the pool impersonates the access SA


def test_the_anyscale_account_is_configurable():
    config = {"anyscale-gcp-wif-anyscale-account": {"anyscaleAccountId": "000000000001"}}
    assert "admits AWS account 525325868955" in fires(BASE, "anyscale-gcp-wif-anyscale-account", "pool-provider", config)


def test_token_creator_must_be_the_account_on_itself():
    on_other = edit(BASE, "access-token-creator", serviceAccountId=DATAPLANE_NAME)
    fires(on_other, "anyscale-gcp-access-sa-token-creator", "access-sa")
    to_other = edit(BASE, "access-token-creator", members=[f"serviceAccount:{DATAPLANE_EMAIL}"])
    fires(to_other, "anyscale-gcp-access-sa-token-creator", "access-sa")
    by_email = plus(without(BASE, "access-token-creator"), record(SA_MEMBER, "self-token", {
        "serviceAccountId": f"projects/-/serviceAccounts/{ACCESS_EMAIL}", "role": "roles/iam.serviceAccountTokenCreator",
        "member": f"serviceAccount:{ACCESS_EMAIL}"}))
    passes(by_email, "anyscale-gcp-access-sa-token-creator")


def test_an_account_another_pool_impersonates_is_not_the_access_account():
    deployer = "deployer@acme-anyscale.iam.gserviceaccount.com"
    stack = plus(
        BASE,
        provider("ci", pool="ci-pool", aws={"accountId": "000000000001"},
                 attributeCondition="assertion.arn.startsWith('arn:aws:sts::000000000001:assumed-role/ci/')"),
        record("gcp:serviceaccount/account:Account", "deployer", {"accountId": "deployer"}, f"projects/{PROJECT}/serviceAccounts/{deployer}",
               email=deployer),
        record(SA_MEMBER, "ci-wif-user", {"serviceAccountId": f"projects/{PROJECT}/serviceAccounts/{deployer}",
                                          "role": "roles/iam.workloadIdentityUser",
                                          "member": "principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci-pool/*"}),
    )
    assert evaluate(stack) == []


def test_only_an_account_the_pool_impersonates_is_the_access_account():
    # Without the workloadIdentityUser grant, no account is Anyscale's: nothing to judge.
    stack = without(BASE, "access-wif-user", "access-token-creator", "access-owner")
    passes(stack, "anyscale-gcp-access-sa-token-creator")
    passes(stack, "anyscale-gcp-access-sa-project-role")


@pytest.mark.parametrize(("role", "ok"), [("roles/owner", True), ("roles/editor", True), ("roles/viewer", False)])
def test_access_account_project_role_boundaries(role, ok):
    stack = edit(BASE, "access-owner", role=role)
    if ok:
        passes(stack, "anyscale-gcp-access-sa-project-role")
    else:
        fires(stack, "anyscale-gcp-access-sa-project-role", "access-sa")


@pytest.mark.parametrize(("role", "member", "flagged"), [
    ("roles/owner", POOL_MEMBER, True),
    ("roles/editor", f"principal://iam.googleapis.com/{POOL_NAME}/subject/arn:aws:sts::525325868955:assumed-role/gcp_if_org_abc123/s", True),
    ("roles/viewer", POOL_MEMBER, False),
    ("roles/owner", f"serviceAccount:{ACCESS_EMAIL}", False),
])
def test_federated_principals_hold_no_project_admin_role(role, member, flagged):
    stack = plus(BASE, record(PROJECT_MEMBER, "pool-grant", {"project": PROJECT, "role": role, "member": member}))
    if flagged:
        fires(stack, "anyscale-gcp-wif-no-project-admin", "pool-grant")
    else:
        passes(stack, "anyscale-gcp-wif-no-project-admin")


def test_references_to_the_access_account_by_name_or_email_agree():
    assert ACCESS_NAME.endswith(ACCESS_EMAIL)
    by_email = edit(BASE, "access-wif-user", serviceAccountId=f"projects/{PROJECT}/serviceAccounts/{ACCESS_EMAIL}")
    assert evaluate(by_email) == []


# -- a real pulumi_gcp program on the offline engine: the wire names are the SDK's ----------------


def _program(*, insecure: bool):
    """A hand-written pulumi_gcp program (no anyscale_infra component); ``insecure`` breaks
    one requirement per rule family, each in the SDK's own argument types."""

    def program() -> None:
        import pulumi_gcp as gcp

        vpc = gcp.compute.Network("vpc", auto_create_subnetworks=False)
        gcp.compute.Subnetwork("subnet", network=vpc.id, ip_cidr_range="10.0.0.0/20", region="us-central1")
        gcp.compute.Subnetwork("proxy", network=vpc.id, ip_cidr_range="10.1.0.0/26", region="us-central1",
                               purpose="REGIONAL_MANAGED_PROXY", role="ACTIVE")
        policy = gcp.compute.NetworkFirewallPolicy("firewall")
        gcp.compute.NetworkFirewallPolicyAssociation("association", firewall_policy=policy.name, attachment_target=vpc.id)
        L4 = gcp.compute.NetworkFirewallPolicyRuleMatchLayer4ConfigArgs
        for name, priority, sources, layer4 in [
            ("internal", 1000, ["10.0.0.0/20"], [L4(ip_protocol="all")]),
            ("https", 1001, ["0.0.0.0/0"], [L4(ip_protocol="tcp", ports=["443"])]),
            ("ssh", 1002, ["::/0" if insecure else "35.235.240.0/20"], [L4(ip_protocol="tcp", ports=["22"])]),
        ]:
            gcp.compute.NetworkFirewallPolicyRule(
                name, firewall_policy=policy.id, priority=priority, direction="INGRESS", action="allow",
                match=gcp.compute.NetworkFirewallPolicyRuleMatchArgs(src_ip_ranges=sources, layer4_configs=layer4))
        bucket = gcp.storage.Bucket(
            "bucket", location="US-CENTRAL1", uniform_bucket_level_access=True, public_access_prevention="enforced",
            cors=[gcp.storage.BucketCorArgs(origins=["https://*.anyscale.com"], methods=["GET", "PUT"],
                                            response_headers=["Content-Type"] if insecure else ["*"])])
        access = gcp.serviceaccount.Account("access", account_id="anyscale-access")
        pool = gcp.iam.WorkloadIdentityPool("pool", workload_identity_pool_id="anyscale-pool")
        role = "arn:aws:sts::525325868955:assumed-role/gcp_if_org_abc123" + ("" if insecure else "/")
        gcp.iam.WorkloadIdentityPoolProvider(
            "provider", workload_identity_pool_id=pool.workload_identity_pool_id, workload_identity_pool_provider_id="aws",
            aws=gcp.iam.WorkloadIdentityPoolProviderAwsArgs(account_id="525325868955"),
            attribute_condition=f'google.subject.startsWith("{role}")')
        gcp.serviceaccount.IAMMember("wif-user", service_account_id=access.name, role="roles/iam.workloadIdentityUser",
                                     member=pool.name.apply(lambda n: f"principalSet://iam.googleapis.com/{n}/*"))
        gcp.serviceaccount.IAMMember("token-creator", service_account_id=access.name,
                                     role="roles/iam.serviceAccountTokenCreator", member=access.member)
        gcp.projects.IAMMember("owner", project="acme-anyscale", role="roles/owner", member=access.member)
        gcp.storage.BucketIAMMember("bucket-access", bucket=bucket.name, role="roles/storage.admin", member=access.member)
        if insecure:
            gcp.storage.BucketIAMMember("public", bucket=bucket.name, role="roles/storage.objectViewer", member="allUsers")
        gcp.filestore.Instance(
            "filestore", location="us-central1-a", tier="BASIC_SSD",
            file_shares=gcp.filestore.InstanceFileSharesArgs(name="share", capacity_gb=2560),
            networks=[gcp.filestore.InstanceNetworkArgs(network="default" if insecure else vpc.name, modes=["MODE_IPV4"])])
        gcp.redis.Instance(
            "redis", memory_size_gb=5, region="us-central1", authorized_network=vpc.id, tier="STANDARD_HA",
            read_replicas_mode="READ_REPLICAS_ENABLED", redis_configs={"maxmemory-policy": "allkeys-lru"},
            transit_encryption_mode="SERVER_AUTHENTICATION" if insecure else "DISABLED")

    return program


def test_a_hand_written_pulumi_gcp_program_on_the_offline_engine():
    from anyscale_infra.cli import policy_records
    from anyscale_infra.preview.engine import run_function

    config = {"gcp:project": "acme-anyscale", "gcp:region": "us-central1"}
    assert evaluate(policy_records(run_function(_program(insecure=False), config))) == []
    violations = evaluate(policy_records(run_function(_program(insecure=True), config)))
    assert sorted((v.policy_id, v.urn.rsplit("::", 1)[-1]) for v in violations) == [
        ("anyscale-gcp-bucket-cors", "bucket"),
        ("anyscale-gcp-bucket-not-public", "public"),
        ("anyscale-gcp-filestore-network", "filestore"),
        ("anyscale-gcp-firewall-ssh-not-world-open", "ssh"),
        ("anyscale-gcp-memorystore-no-tls", "redis"),
        ("anyscale-gcp-wif-aws-condition", "provider"),
    ]

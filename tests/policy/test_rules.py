"""Every rule of the pack: silent on a compliant hand-written cloud, and reporting the
exact rule id on the exact resource when one requirement is broken."""

from __future__ import annotations

import json

import pytest

from anyscale_infra.policy import ALL_POLICIES, CHECK_ONLY_POLICIES
from anyscale_infra.policy.runner import evaluate
from policy_fixtures import (
    BUCKET_STATEMENTS,
    CLOUD_ID,
    SCOPED_STATEMENTS,
    compliant_cloud,
    doc,
    edit,
    plus,
    record,
    urn,
    without,
)

SCOPED = {"anyscale-aws-scoped-instance-actions": {"cloudId": CLOUD_ID}}
BASE = compliant_cloud()


def test_the_compliant_cloud_has_no_violation_at_all():
    assert evaluate(BASE, SCOPED) == []


def _ingress(name, **props):
    return record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name, {"securityGroupId": "sg-1", **props}, f"sgr-{name}")


KMS_KEY = "arn:aws:kms:us-west-2:000000000001:key/1234"
KMS_SSE = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS_KEY}}]
TERRAFORM_MODULE_START = {  # anyscale/terraform-aws-anyscale-cloudfoundation-modules: the bug
    "Sid": "RestrictedInstanceStart", "Effect": "Allow", "Action": "ec2:StartInstances",
    "Resource": "arn:aws:ec2:*:*:instance/*",
    "Condition": {"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID}},
}

ALLOW_ONLY_BUCKET_POLICY = {"Version": "2012-10-17", "Statement": [s for s in BUCKET_STATEMENTS if s["Effect"] == "Allow"]}
# The first phase (seed 004): start and stop on every instance, nothing scoped yet.
FIRST_PHASE_STATEMENTS = [s for s in SCOPED_STATEMENTS if "anyscale-cloud-id" not in json.dumps(s)] + [
    {"Sid": "InstanceStart", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:RunInstances"], "Resource": "*"},
    {"Sid": "InstanceStop", "Effect": "Allow", "Action": ["ec2:TerminateInstances", "ec2:StopInstances"], "Resource": "*"},
]
WITH_TERRAFORM_START = [s for s in SCOPED_STATEMENTS if s["Sid"] != "RestrictedInstanceStart"] + [TERRAFORM_MODULE_START]

# rule id -> (broken stack, the resource name the violation must name)
BROKEN = {
    "anyscale-aws-vpc-min-size": (edit(BASE, "vpc", cidrBlock="10.0.0.0/25"), "vpc"),
    "anyscale-aws-vpc-recommended-size": (edit(BASE, "vpc", cidrBlock="10.0.0.0/22"), "vpc"),
    "anyscale-aws-subnet-min-size": (edit(BASE, "a", cidrBlock="10.0.0.0/29"), "a"),
    "anyscale-aws-subnet-recommended-size": (edit(BASE, "a", cidrBlock="10.0.0.0/26"), "a"),
    "anyscale-aws-subnets-in-two-azs": (edit(BASE, "b", availabilityZone="us-west-2a", mapPublicIpOnLaunch=False), "a"),
    "anyscale-aws-public-subnets-distinct-azs": (
        plus(BASE, record("aws:ec2/subnet:Subnet", "c", {"vpcId": "vpc-1", "cidrBlock": "10.0.32.0/20", "availabilityZone": "us-west-2a", "mapPublicIpOnLaunch": True}, "subnet-c")),
        "c",
    ),
    "anyscale-aws-s3-gateway-endpoint": (without(BASE, "s3"), "vpc"),
    "anyscale-aws-sg-self-ingress": (without(BASE, "self-in"), "sg"),
    "anyscale-aws-sg-https-ingress": (without(BASE, "https"), "sg"),
    "anyscale-aws-sg-self-egress": (without(BASE, "self-out"), "sg"),
    "anyscale-aws-sg-egress-all": (without(BASE, "all-out"), "sg"),
    "anyscale-aws-sg-ingress-ports": (plus(BASE, _ingress("db", ipProtocol="tcp", fromPort=5432, toPort=5432, cidrIpv4="10.9.0.0/16")), "sg"),
    "anyscale-aws-sg-ssh-not-world-open": (plus(BASE, _ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv4="0.0.0.0/0")), "sg"),
    "anyscale-aws-s3-cors": (edit(BASE, "cors", corsRules=[{"allowedHeaders": ["*"], "allowedMethods": ["GET"], "allowedOrigins": ["https://*.anyscale.com"]}]), "data"),
    "anyscale-aws-s3-cors-expose-headers": (edit(BASE, "cors", corsRules=[{"allowedHeaders": ["*"], "allowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"], "allowedOrigins": ["https://*.anyscale.com"], "exposeHeaders": []}]), "data"),
    "anyscale-aws-s3-public-access-block": (edit(BASE, "pab", restrictPublicBuckets=False), "data"),
    "anyscale-aws-s3-encryption": (without(BASE, "sse"), "data"),
    "anyscale-aws-s3-versioning": (edit(BASE, "versioning", versioningConfiguration={"status": "Suspended"}), "data"),
    "anyscale-aws-s3-tls-only": (edit(BASE, "bucket-policy", policy=json.dumps(ALLOW_ONLY_BUCKET_POLICY)), "data"),
    "anyscale-aws-s3-kms-roles": (edit(BASE, "sse", rules=KMS_SSE), "data"),
    "anyscale-aws-efs-encrypted": (edit(BASE, "efs", encrypted=False), "efs"),
    "anyscale-aws-efs-has-mount-targets": (without(BASE, "mount-a", "mount-b"), "efs"),
    "anyscale-aws-efs-mount-targets": (without(BASE, "mount-b"), "efs"),
    "anyscale-aws-efs-mount-target-security-group": (edit(BASE, "mount-b", securityGroups=["sg-other"]), "mount-b"),
    "anyscale-aws-efs-backup": (edit(BASE, "efs-backup", backupPolicy={"status": "DISABLED"}), "efs"),
    "anyscale-aws-memorydb-tls": (edit(BASE, "mdb", tlsEnabled=False), "mdb"),
    "anyscale-aws-memorydb-replicas": (edit(BASE, "mdb", numReplicasPerShard=0), "mdb"),
    "anyscale-aws-memorydb-allkeys-lru": (edit(BASE, "params", parameters=[{"name": "maxmemory-policy", "value": "volatile-lru"}]), "mdb"),
    "anyscale-aws-memorydb-network": (edit(BASE, "mdb", securityGroupIds=["sg-other", "sg-1"]), "mdb"),
    "anyscale-aws-trust-external-id": (edit(BASE, "anyscale-role", assumeRolePolicy=doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::525325868955:root"}})), "anyscale-role"),
    "anyscale-aws-anyscale-trust-action": (edit(BASE, "anyscale-role", assumeRolePolicy=doc({"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"AWS": "525325868955"}, "Condition": {"StringEquals": {"sts:ExternalId": "org_abc123-x"}}})), "anyscale-role"),
    "anyscale-aws-node-trust-action": (edit(BASE, "nodes", assumeRolePolicy=doc({"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": "ec2.amazonaws.com"}})), "nodes"),
    "anyscale-aws-no-wildcard-principal": (edit(BASE, "bucket-policy", policy=doc({"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-anyscale/*"}, {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})), "bucket-policy"),
    "anyscale-aws-no-wildcard-action": (plus(BASE, record("aws:iam/rolePolicy:RolePolicy", "admin", {"role": "nodes", "policy": doc({"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"})})), "admin"),
    "anyscale-aws-trust-only-anyscale": (edit(BASE, "anyscale-role", assumeRolePolicy=doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ["arn:aws:iam::525325868955:root", "arn:aws:iam::000000000001:root"]}, "Condition": {"StringEquals": {"sts:ExternalId": "org_abc123-x7Y2kq"}}})), "anyscale-role"),
    "anyscale-aws-scoped-instance-actions": (edit(BASE, "steady", policy=doc(*WITH_TERRAFORM_START)), "anyscale-role"),
    "anyscale-aws-anyscale-role-permissions": (edit(BASE, "steady", policy=doc(*[s for s in SCOPED_STATEMENTS if s["Sid"] != "IAM"])), "anyscale-role"),
    "anyscale-aws-role-policies-declared": (plus(BASE, record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", {"role": "anyscale-role", "policyArn": "arn:aws:iam::aws:policy/AmazonEC2FullAccess"})), "anyscale-role"),
    "anyscale-aws-s3-role-access": (edit(BASE, "bucket-policy", policy=doc({**BUCKET_STATEMENTS[0], "Principal": {"AWS": "arn:aws:iam::000000000001:role/anyscale-role"}}, BUCKET_STATEMENTS[1])), "data"),
    "anyscale-aws-s3-no-anonymous-read": (edit(BASE, "bucket-policy", policy=doc(*BUCKET_STATEMENTS, {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-anyscale/*"})), "data"),
    "anyscale-aws-instance-profile-same-name": (edit(BASE, "nodes-profile", name="nodes-profile"), "nodes"),
    "anyscale-aws-instance-role-ecr-read-only": (without(BASE, "ecr"), "nodes"),
}


def test_every_aws_rule_has_a_violating_fixture():
    """(The GCP rules have theirs in test_gcp_rules.py.)"""
    assert set(BROKEN) == {p.name for p in ALL_POLICIES if p.name.startswith("anyscale-aws-")}
    assert all(p.name.startswith(("anyscale-aws-", "anyscale-gcp-", "anyscale-k8s-", "anyscale-azure-")) for p in ALL_POLICIES)


@pytest.mark.parametrize("rule_id", sorted(BROKEN))
def test_rule_reports_the_broken_resource(rule_id):
    stack, name = BROKEN[rule_id]
    found = [v for v in evaluate(stack, SCOPED) if v.policy_id == rule_id]
    assert found, f"{rule_id} did not fire"
    culprit = next(r for r in stack if r["name"] == name)
    assert [v.urn for v in found] == [culprit["urn"]], [v.message for v in found]
    level = next(p.enforcement_level.value for p in ALL_POLICIES if p.name == rule_id)
    assert all(v.enforcement_level == level for v in found)


def test_terraform_module_start_statement_is_explained():
    stack, _ = BROKEN["anyscale-aws-scoped-instance-actions"]
    (violation,) = [v for v in evaluate(stack, SCOPED) if v.policy_id == "anyscale-aws-scoped-instance-actions"]
    assert "cannot ec2:StartInstances an existing instance tagged anyscale-cloud-id=" + CLOUD_ID in violation.message
    assert "requests carry no tags" in violation.message and "aws:ResourceTag" in violation.message


def test_a_role_scoped_in_its_policies_is_judged_without_a_configured_cloud_id():
    """The Terraform module's start statement names the cloud id: the role is in the second
    phase whatever the pack config says, and its start permission can never act."""
    stack, _ = BROKEN["anyscale-aws-scoped-instance-actions"]
    assert [v.policy_id for v in evaluate(stack) if v.enforcement_level == "mandatory"] == [
        "anyscale-aws-scoped-instance-actions"
    ]


def test_a_first_phase_role_is_not_judged_until_a_cloud_id_is_configured():
    stack = edit(BASE, "steady", policy=doc(*FIRST_PHASE_STATEMENTS))
    assert evaluate(stack) == []
    # With the cloud id configured (after `cloud register`), start/stop on `*` defeats scoping.
    (violation,) = evaluate(stack, SCOPED)
    assert violation.policy_id == "anyscale-aws-scoped-instance-actions"
    assert violation.enforcement_level == "mandatory"
    assert "can ec2:StartInstances another cloud's instance (allowed by statement InstanceStart of RolePolicy steady)" in violation.message
    assert "can ec2:TerminateInstances an untagged instance (allowed by statement InstanceStop of RolePolicy steady)" in violation.message


def test_kms_grants_satisfy_the_kms_rule():
    grant = doc({"Sid": "UseBucketKmsKey", "Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": KMS_KEY})
    stack = plus(
        edit(BASE, "sse", rules=KMS_SSE),
        record("aws:iam/rolePolicy:RolePolicy", "grant-a", {"role": "anyscale-role", "policy": grant}),
        record("aws:iam/rolePolicy:RolePolicy", "grant-n", {"role": "nodes", "policy": grant}),
    )
    assert [v for v in evaluate(stack, SCOPED) if v.policy_id == "anyscale-aws-s3-kms-roles"] == []


def test_private_networking_cloud_subnets_exclude_nat_subnets():
    """Customer-defined networking: EFS mounts in the private subnets only is compliant."""
    stack = plus(
        edit(edit(BASE, "a", mapPublicIpOnLaunch=False), "b", mapPublicIpOnLaunch=False),
        record("aws:ec2/subnet:Subnet", "public-a", {"vpcId": "vpc-1", "cidrBlock": "10.0.200.0/24", "availabilityZone": "us-west-2a", "mapPublicIpOnLaunch": True}, "subnet-pa"),
        record("aws:ec2/natGateway:NatGateway", "nat", {"subnetId": "subnet-pa"}, "nat-1"),
        record("aws:ec2/routeTable:RouteTable", "private-rt", {"vpcId": "vpc-1"}, "rtb-p"),
        record("aws:ec2/route:Route", "to-nat", {"routeTableId": "rtb-p", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"}, "r-1"),
        record("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta-a", {"subnetId": "subnet-a", "routeTableId": "rtb-p"}, "rtbassoc-a"),
        record("aws:ec2/routeTableAssociation:RouteTableAssociation", "rta-b", {"subnetId": "subnet-b", "routeTableId": "rtb-p"}, "rtbassoc-b"),
    )
    assert [v for v in evaluate(stack, SCOPED) if v.policy_id == "anyscale-aws-efs-mount-targets"] == []


def test_other_buckets_of_the_program_are_not_judged():
    stack = plus(BASE, record("aws:s3/bucket:Bucket", "scratch", {"bucket": "team-scratch"}, "team-scratch"))
    assert evaluate(stack, SCOPED) == []


def test_config_changes_level_threshold_and_can_disable():
    stack, _ = BROKEN["anyscale-aws-vpc-recommended-size"]
    assert [v.enforcement_level for v in evaluate(stack) if v.policy_id == "anyscale-aws-vpc-recommended-size"] == ["advisory"]
    config = {"anyscale-aws-vpc-recommended-size": {"enforcementLevel": "mandatory", "maxPrefixLength": 22}}
    assert [v for v in evaluate(stack, config) if v.policy_id == "anyscale-aws-vpc-recommended-size"] == []
    config = {"anyscale-aws-vpc-recommended-size": "mandatory"}
    assert [v.enforcement_level for v in evaluate(stack, config) if v.policy_id == "anyscale-aws-vpc-recommended-size"] == ["mandatory"]
    assert [v for v in evaluate(stack, {"anyscale-aws-vpc-recommended-size": "disabled"}) if v.policy_id == "anyscale-aws-vpc-recommended-size"] == []


def test_policies_can_be_driven_directly_with_the_sdk_args():
    from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

    from anyscale_infra.policy.aws.memorydb import memorydb_tls

    messages = []
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    args = ResourceValidationArgs("aws:memorydb/cluster:Cluster", {"tlsEnabled": False}, urn("aws:memorydb/cluster:Cluster", "m"), "m", options, None)
    memorydb_tls.validate(args, lambda message, urn=None: messages.append(message))
    assert messages and "TLS disabled" in messages[0]


def test_the_docs_table_lists_every_rule_with_its_level():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "policy-pack.md").read_text()
    for policy in ALL_POLICIES:
        assert f"| `{policy.name}` | {policy.enforcement_level.value} |" in text, policy.name
    for policy in CHECK_ONLY_POLICIES:
        assert f"| `{policy.name}` | {policy.enforcement_level.value} | outputs (check only) |" in text, policy.name

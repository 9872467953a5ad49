"""Every IAM/bucket policy document the library can produce, linted with parliament.

Zero findings, except those in ALLOWED — each with its reason, mirrored in
docs/parliament-allowlist.md. The list stays honest both ways: a new finding fails, and an
allowed finding that no document produces any more fails too.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from parliament import analyze_policy_string

from anyscale_infra.aws import policies
from anyscale_infra.aws.deployer_policy import deployer_policy

ACCOUNT = "000000000001"
NODE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/anyscale-nodes"
PROFILE = f"arn:aws:iam::{ACCOUNT}:instance-profile/anyscale-nodes"
KMS_KEY = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CLOUD_ID = "cld_abc123def456ghi789jkl012"


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "trust/anyscale", policies.anyscale_trust_policy("org_abc123-x7Y2kq")
    yield "trust/anyscale-custom-account", policies.anyscale_trust_policy("org_abc123-x7Y2kq", "210987654321")
    yield "trust/instance", policies.instance_trust_policy()
    for passable, cloud_id in itertools.product(([NODE_ROLE], [NODE_ROLE, f"arn:aws:iam::{ACCOUNT}:role/extra"]), (None, CLOUD_ID)):
        mode = "scoped" if cloud_id else "first-phase"
        yield f"steady_state/{mode}/{len(passable)}-roles", policies.steady_state_policy(passable, [PROFILE], cloud_id=cloud_id)
    yield "services", policies.services_policy()
    yield "bucket_policy", policies.bucket_policy("acme-anyscale", [NODE_ROLE, f"arn:aws:iam::{ACCOUNT}:role/anyscale-x"])
    yield "bucket_access/sse-s3", policies.bucket_access_policy("acme-anyscale")
    yield "bucket_access/sse-kms", policies.bucket_access_policy("acme-anyscale", KMS_KEY)
    for combo in itertools.product([True, False], repeat=5):
        network, nat, memorydb, kms, bucket = combo
        yield (
            "deployer/" + ",".join(f"{k}={int(v)}" for k, v in zip(("network", "nat", "memorydb", "kms", "bucket"), combo)),
            deployer_policy(account_id=ACCOUNT, create_network=network, nat_gateways=nat, memorydb=memorydb,
                            create_kms_key=kms, create_bucket=bucket),
        )


DOCUMENTS = dict(documents())

# (document family, parliament issue) -> why it stays.
ALLOWED: dict[tuple[str, str], str] = {
    ("trust", "MALFORMED"): (
        "A trust policy is the role's resource policy: it names a Principal and never a Resource; "
        "parliament reads every document as an identity policy."
    ),
    ("steady_state", "RESOURCE_STAR"): (
        "Seed 004's documented statements (RunInstances, spot, volumes, EFS DescribeMountTargets) act on "
        "resources that do not exist before Anyscale launches them; in the scoped mode start/stop/terminate "
        "are limited to instance ARNs tagged with the cloud id."
    ),
    ("steady_state", "RESOURCE_MISMATCH"): (
        "AllowRunInstancesForUntaggedResources (seed 004): RunInstances is authorized on each resource it "
        "touches (image, snapshot, subnet, network interface, security group, key pair, volume), not only "
        "the instance."
    ),
    ("services", "RESOURCE_STAR"): (
        "Seed 004's Anyscale_IAM_Policy_Service_Steady_State: CloudFormation stacks, load balancers and "
        "certificates Anyscale creates for services have no ARN before they exist."
    ),
    ("deployer", "RESOURCE_STAR"): (
        "Create* calls cannot name resources that do not exist yet, and Describe* is read-only; IAM, S3, "
        "MemoryDB and KMS key rights are scoped to the component's names."
    ),
    ("deployer", "RESOURCE_POLICY_PRIVILEGE_ESCALATION"): (
        "Deploying the bucket policy needs s3:PutBucketPolicy on the cloud bucket (scoped to its name "
        "prefix); whoever deploys it necessarily controls who may read it."
    ),
}


def findings(document: dict[str, Any]) -> list[Any]:
    return analyze_policy_string(json.dumps(document), include_community_auditors=False).findings


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_has_only_allowed_findings(name):
    family = name.split("/")[0]
    unexplained = [
        f"{f.issue}: {f.detail}" for f in findings(DOCUMENTS[name]) if (family, f.issue) not in ALLOWED
    ]
    assert unexplained == []


def test_every_allowed_finding_still_occurs():
    seen = {(name.split("/")[0], f.issue) for name, doc in DOCUMENTS.items() for f in findings(doc)}
    assert set(ALLOWED) <= seen, f"no longer found, drop from the allow-list: {set(ALLOWED) - seen}"


def test_the_allow_list_is_documented():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "parliament-allowlist.md").read_text()
    for family, issue in ALLOWED:
        assert f"| {family} | {issue} |" in text


def test_a_sloppy_document_is_caught():
    """The linter is live: a typo'd action is a finding, and no family allows it."""
    sloppy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}
    assert "UNKNOWN_ACTION" in {f.issue for f in findings(sloppy)}
    assert not any(issue == "UNKNOWN_ACTION" for _, issue in ALLOWED)


def test_lint_covers_every_document_kind():
    assert len(DOCUMENTS) == 3 + 4 + 1 + 1 + 2 + 32

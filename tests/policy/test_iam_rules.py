"""The IAM rules ask the evaluator what roles can really do: hand-written stacks whose
scoping, trust or bucket guard is defeated by *another* statement, or almost right (a near
miss on each side), and the exact verdict each gets.

Documents are literal JSON (see policy_fixtures.py); each test names the statement that
decides, so a rule that stops reading a policy, a condition operator or a Deny fails here.
"""

from __future__ import annotations

import pytest

from anyscale_infra.policy.runner import evaluate
from policy_fixtures import (
    ACCOUNT,
    BUCKET_STATEMENTS,
    CLOUD_ID,
    EXTERNAL_ID,
    SCOPED_STATEMENTS,
    TRUST,
    compliant_cloud,
    doc,
    edit,
    plus,
    record,
    without,
)

BASE = compliant_cloud()
SCOPED = {"anyscale-aws-scoped-instance-actions": {"cloudId": CLOUD_ID}}
INSTANCES = "arn:aws:ec2:*:*:instance/*"
TAG = "aws:ResourceTag/anyscale-cloud-id"


def found(stack, rule_id, config=None):
    return [v for v in evaluate(stack, config or SCOPED) if v.policy_id == rule_id]


def only(stack, rule_id, config=None):
    """The one violation of ``rule_id``, and no other mandatory one."""
    violations = evaluate(stack, config or SCOPED)
    mandatory = {v.policy_id for v in violations if v.enforcement_level == "mandatory"}
    hits = [v for v in violations if v.policy_id == rule_id]
    assert len(hits) == 1, [v.message for v in hits]
    assert mandatory <= {rule_id}, mandatory
    return hits[0]


def steady(*statements):
    return edit(BASE, "steady", policy=doc(*statements))


def scoped_without(*sids):
    return [s for s in SCOPED_STATEMENTS if s["Sid"] not in sids]


def role_policy(name, *statements, role="anyscale-role"):
    return record("aws:iam/rolePolicy:RolePolicy", name, {"role": role, "name": name, "policy": doc(*statements)})


BROAD_START = {"Sid": "Broad", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "*"}


# -- scoping: the role can act on its own cloud's instances, and on nothing else ---------------


def test_the_scoped_policy_passes():
    assert found(BASE, "anyscale-aws-scoped-instance-actions") == []


def test_another_inline_policy_defeats_scoping():
    v = only(plus(BASE, role_policy("extra", BROAD_START)), "anyscale-aws-scoped-instance-actions")
    assert v.urn.endswith("aws:iam/role:Role::anyscale-role")
    assert "can ec2:StartInstances another cloud's instance (allowed by statement Broad of RolePolicy extra)" in v.message
    assert "can ec2:StopInstances an untagged instance (allowed by statement Broad of RolePolicy extra)" in v.message
    assert "TerminateInstances another" not in v.message  # Broad does not grant it


def test_a_managed_policy_attached_to_the_role_defeats_scoping():
    policy_arn = f"arn:aws:iam::{ACCOUNT}:policy/ops"
    stack = plus(
        BASE,
        record("aws:iam/policy:Policy", "ops", {"name": "ops", "arn": policy_arn, "policy": doc(
            {"Sid": "Terminate", "Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": INSTANCES})}),
        record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ops-attach", {"role": "anyscale-role", "policyArn": policy_arn}),
    )
    v = only(stack, "anyscale-aws-scoped-instance-actions")
    assert "can ec2:TerminateInstances another cloud's instance (allowed by statement Terminate of Policy ops)" in v.message


def test_a_managed_policy_not_attached_to_the_role_does_not_count():
    stack = plus(BASE, record("aws:iam/policy:Policy", "ops", {"name": "ops", "arn": f"arn:aws:iam::{ACCOUNT}:policy/ops",
                                                                  "policy": doc(BROAD_START)}))
    assert found(stack, "anyscale-aws-scoped-instance-actions") == []


def test_an_inline_policy_of_the_role_resource_defeats_scoping():
    stack = edit(BASE, "anyscale-role", inlinePolicies=[{"name": "legacy", "policy": doc(BROAD_START)}])
    v = only(stack, "anyscale-aws-scoped-instance-actions")
    assert "allowed by statement Broad of inline policy legacy of Role anyscale-role" in v.message


def test_a_policy_on_another_role_does_not_count():
    assert found(plus(BASE, role_policy("extra", BROAD_START, role="nodes")), "anyscale-aws-scoped-instance-actions") == []


def test_not_action_grants_what_it_does_not_list():
    sneaky = {"Sid": "AllButRun", "Effect": "Allow", "NotAction": "ec2:RunInstances", "Resource": INSTANCES}
    v = only(plus(BASE, role_policy("extra", sneaky)), "anyscale-aws-scoped-instance-actions")
    assert "can ec2:StartInstances another cloud's instance (allowed by statement AllButRun of RolePolicy extra)" in v.message


def test_the_deny_keeps_retagging_scoped_even_under_a_broad_tagging_grant():
    tagging = {"Sid": "Tags", "Effect": "Allow", "Action": "ec2:*Tags", "Resource": "*"}
    assert found(plus(BASE, role_policy("extra", tagging)), "anyscale-aws-scoped-instance-actions") == []


def test_without_the_untagging_deny_the_role_can_untag_other_clouds():
    v = only(steady(*scoped_without("DenyUntaggingOnOtherInstances")), "anyscale-aws-scoped-instance-actions")
    assert "can ec2:DeleteTags another cloud's instance (allowed by statement InstanceTagMangement of RolePolicy steady)" in v.message
    assert "can ec2:DeleteTags an untagged instance" in v.message
    assert "can ec2:CreateTags" not in v.message  # DenyTaggingOnOtherInstances still holds


def test_start_conditioned_on_a_request_tag_can_never_start_an_existing_instance():
    terraform_start = {"Sid": "RestrictedInstanceStart", "Effect": "Allow", "Action": "ec2:StartInstances",
                       "Resource": INSTANCES, "Condition": {"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID}}}
    v = only(steady(*scoped_without("RestrictedInstanceStart"), terraform_start), "anyscale-aws-scoped-instance-actions")
    assert f"cannot ec2:StartInstances an existing instance tagged anyscale-cloud-id={CLOUD_ID} (no statement allows it)" in v.message
    assert "StartInstances requests carry no tags" in v.message


def test_a_statement_that_almost_scopes_to_another_cloud_id_locks_the_role_out():
    typo = {**SCOPED_STATEMENTS[7], "Condition": {"StringEquals": {TAG: CLOUD_ID + "x"}}}  # RestrictedInstanceStart
    assert typo["Sid"] == "RestrictedInstanceStart"
    v = only(steady(*scoped_without("RestrictedInstanceStart"), typo), "anyscale-aws-scoped-instance-actions")
    assert "cannot ec2:StartInstances an existing instance" in v.message
    assert "requests carry no tags" not in v.message  # not the request-tag mistake


@pytest.mark.parametrize(
    "condition, defeated",
    [
        ({"StringLike": {TAG: "cld_*"}}, "another cloud's"),                 # a wildcard admits every cloud
        ({"StringEqualsIfExists": {TAG: CLOUD_ID}}, "an untagged"),          # ...IfExists admits untagged ones
        ({"StringNotEquals": {TAG: "cld_other"}}, "an untagged"),            # negated: true when the tag is absent
        ({"ForAllValues:StringEquals": {TAG: [CLOUD_ID]}}, "an untagged"),   # ForAllValues: true when absent
    ],
)
def test_start_conditions_that_look_scoped_but_are_not(condition, defeated):
    loose = {"Sid": "LooseStart", "Effect": "Allow", "Action": "ec2:StartInstances", "Resource": INSTANCES, "Condition": condition}
    v = only(plus(BASE, role_policy("extra", loose)), "anyscale-aws-scoped-instance-actions")
    assert f"can ec2:StartInstances {defeated} instance (allowed by statement LooseStart of RolePolicy extra)" in v.message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {TAG: CLOUD_ID}},
        {"StringEquals": {"aws:resourcetag/anyscale-cloud-id": CLOUD_ID}},  # condition key names are case-insensitive
        {"StringLike": {TAG: CLOUD_ID}},                                     # no wildcard: an exact match
        {"ForAnyValue:StringEquals": {TAG: [CLOUD_ID]}},                     # false when absent
    ],
)
def test_start_conditions_that_are_scoped_in_other_words(condition):
    tight = {"Sid": "TightStart", "Effect": "Allow", "Action": "ec2:StartInstances", "Resource": INSTANCES, "Condition": condition}
    assert found(plus(BASE, role_policy("extra", tight)), "anyscale-aws-scoped-instance-actions") == []


def test_an_explicit_deny_elsewhere_locks_the_role_out_of_its_own_instances():
    deny = {"Sid": "Freeze", "Effect": "Deny", "Action": "ec2:StopInstances", "Resource": "*"}
    v = only(plus(BASE, role_policy("freeze", deny)), "anyscale-aws-scoped-instance-actions")
    assert "cannot ec2:StopInstances an existing instance tagged" in v.message
    assert "denied by statement Freeze of RolePolicy freeze" in v.message


def test_a_permissions_boundary_without_start_locks_the_role_out():
    boundary_arn = f"arn:aws:iam::{ACCOUNT}:policy/boundary"
    stack = plus(
        edit(BASE, "anyscale-role", permissionsBoundary=boundary_arn),
        record("aws:iam/policy:Policy", "boundary", {"name": "boundary", "arn": boundary_arn, "policy": doc(
            {"Sid": "NoStart", "Effect": "Allow", "NotAction": "ec2:StartInstances", "Resource": "*"})}),
    )
    v = only(stack, "anyscale-aws-scoped-instance-actions")
    assert "cannot ec2:StartInstances an existing instance" in v.message
    assert "cannot ec2:StopInstances" not in v.message


def test_launching_an_instance_of_another_cloud_is_caught():
    any_run = {"Sid": "AnyRun", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    v = only(plus(BASE, role_policy("extra", any_run)), "anyscale-aws-scoped-instance-actions")
    assert "can ec2:RunInstances an instance tagged anyscale-cloud-id=cld_anyscaleinfraprobeothercloud (allowed by statement AnyRun" in v.message
    assert "can ec2:RunInstances an instance without the anyscale-cloud-id tag" in v.message


def test_the_run_statement_without_untagged_resources_cannot_launch():
    v = only(steady(*scoped_without("AllowRunInstancesForUntaggedResources")), "anyscale-aws-scoped-instance-actions")
    assert "cannot ec2:RunInstances a new instance tagged" in v.message
    assert "(on its subnet: no statement allows it)" in v.message


def test_the_scoped_rule_uses_the_configured_cloud_id_over_the_policies():
    v = only(BASE, "anyscale-aws-scoped-instance-actions", {"anyscale-aws-scoped-instance-actions": {"cloudId": "cld_another"}})
    assert "scoped to cld_another but cannot ec2:StartInstances an existing instance tagged anyscale-cloud-id=cld_another" in v.message


def test_undeclared_managed_policies_on_the_anyscale_role_are_named():
    stack = plus(BASE, record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ro", {
        "role": "anyscale-role", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}))
    (v,) = found(stack, "anyscale-aws-role-policies-declared")
    assert v.enforcement_level == "advisory"
    assert "arn:aws:iam::aws:policy/ReadOnlyAccess" in v.message
    # The node role's AWS managed policies (ECR read-only) are expected: not reported.
    assert found(BASE, "anyscale-aws-role-policies-declared") == []


def test_permissions_advisory_names_what_clusters_cannot_do():
    (v,) = found(steady(*scoped_without("IAMInstanceProfiles", "EFSManagement")), "anyscale-aws-anyscale-role-permissions")
    assert v.enforcement_level == "advisory"
    assert f"iam:GetInstanceProfile on arn:aws:iam::{ACCOUNT}:instance-profile/nodes" in v.message
    assert "elasticfilesystem:DescribeMountTargets on *" in v.message
    assert "iam:PassRole" not in v.message


def test_pass_role_to_another_service_is_not_pass_role_to_ec2():
    lambda_only = {**SCOPED_STATEMENTS[0], "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    (v,) = found(steady(lambda_only, *scoped_without("IAM")), "anyscale-aws-anyscale-role-permissions")
    assert f"iam:PassRole on arn:aws:iam::{ACCOUNT}:role/nodes" in v.message


# -- trust: Anyscale's account only, with the External ID only --------------------------------


def trust(*statements):
    return edit(BASE, "anyscale-role", assumeRolePolicy=doc(*statements))


ANYSCALE_ROOT = {"AWS": "arn:aws:iam::525325868955:root"}


def test_the_trust_policy_passes():
    assert found(BASE, "anyscale-aws-trust-external-id") == []
    assert found(BASE, "anyscale-aws-trust-only-anyscale") == []


@pytest.mark.parametrize(
    "condition, verdict",
    [
        (None, "without an External ID"),
        ({"StringEquals": {"aws:PrincipalAccount": "525325868955"}}, "without an External ID"),  # not an External ID
        ({"StringEquals": {"sts:SourceIdentity": EXTERNAL_ID}}, None),  # no External ID...
        ({"StringEqualsIfExists": {"sts:ExternalId": EXTERNAL_ID}}, "without an External ID"),
        ({"StringLike": {"sts:ExternalId": "*"}}, "with other External IDs than the one you register"),
        ({"StringLike": {"sts:ExternalId": "org_abc123-*"}}, "with other External IDs than the one you register"),
        ({"Null": {"sts:ExternalId": "false"}}, "with other External IDs than the one you register"),
        ({"StringNotEquals": {"sts:ExternalId": "nothing"}}, "without an External ID"),
    ],
)
def test_conditions_that_are_not_an_external_id(condition, verdict):
    statement = {"Effect": "Allow", "Principal": ANYSCALE_ROOT, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    violations = found(trust(statement), "anyscale-aws-trust-external-id")
    if verdict is None:
        # sts:SourceIdentity is absent from Anyscale's requests: nobody can assume the role at
        # all, so it does not trust Anyscale (registration's own trust check reports it).
        assert violations == []
        return
    (v,) = violations
    assert v.enforcement_level == "mandatory" and v.urn.endswith("::anyscale-role")
    assert verdict in v.message
    assert EXTERNAL_ID not in v.message  # External IDs never appear in a message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
        {"StringEquals": {"STS:EXTERNALID": EXTERNAL_ID}},            # key names are case-insensitive
        {"StringLike": {"sts:ExternalId": EXTERNAL_ID}},              # no wildcard: exact
        {"ForAnyValue:StringEquals": {"sts:ExternalId": [EXTERNAL_ID]}},
        {"StringEquals": {"sts:ExternalId": EXTERNAL_ID, "aws:PrincipalAccount": "525325868955"}},
    ],
)
def test_external_id_conditions_in_other_words(condition):
    statement = {"Effect": "Allow", "Principal": ANYSCALE_ROOT, "Action": "sts:AssumeRole", "Condition": condition}
    assert found(trust(statement), "anyscale-aws-trust-external-id") == []


def test_a_second_statement_without_the_external_id_defeats_the_first():
    loose = {"Sid": "Debug", "Effect": "Allow", "Principal": {"AWS": "525325868955"}, "Action": "sts:AssumeRole"}
    (v,) = found(trust(TRUST, loose), "anyscale-aws-trust-external-id")
    assert "without an External ID (allowed by statement Debug of the trust policy of anyscale-role)" in v.message


@pytest.mark.parametrize(
    "principal, who",
    [
        ({"AWS": ["arn:aws:iam::525325868955:root", "arn:aws:iam::444455556666:root"]}, "principal arn:aws:iam::444455556666:root"),
        ({"AWS": ["525325868955", f"arn:aws:iam::{ACCOUNT}:role/admin"]}, f"principal arn:aws:iam::{ACCOUNT}:role/admin"),
        ({"AWS": "arn:aws:iam::525325868955:root", "Service": "ec2.amazonaws.com"}, "the service ec2.amazonaws.com"),
        ("*", "account 111122223333"),
    ],
)
def test_no_other_principal_may_assume_the_anyscale_role(principal, who):
    statement = {**TRUST, "Principal": principal}
    (v,) = found(trust(statement), "anyscale-aws-trust-only-anyscale")
    assert v.enforcement_level == "mandatory"
    assert f"can also be assumed by {who}" in v.message


def test_a_wildcard_principal_limited_to_anyscales_account_admits_nobody_else():
    statement = {**TRUST, "Principal": "*", "Condition": {"StringEquals": {
        "sts:ExternalId": EXTERNAL_ID, "aws:PrincipalAccount": "525325868955"}}}
    assert found(trust(statement), "anyscale-aws-trust-only-anyscale") == []
    assert found(trust(statement), "anyscale-aws-trust-external-id") == []


def test_a_deny_for_other_accounts_closes_a_wide_trust():
    wide = {**TRUST, "Principal": {"AWS": ["arn:aws:iam::525325868955:root", "arn:aws:iam::444455556666:root"]}}
    deny = {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
    assert found(trust(wide, deny), "anyscale-aws-trust-only-anyscale") == []


def test_a_role_that_does_not_trust_anyscale_is_not_judged_by_the_trust_rules():
    other = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
    stack = plus(BASE, record("aws:iam/role:Role", "ci", {"name": "ci", "assumeRolePolicy": doc(other)}, "ci"))
    assert found(stack, "anyscale-aws-trust-only-anyscale") == [] and found(stack, "anyscale-aws-trust-external-id") == []


def test_a_trust_policy_aws_would_reject_is_reported():
    broken = {"Effect": "Allow", "Principal": ANYSCALE_ROOT, "Action": "sts:AssumeRole",
              "Condition": {"StringEqualsSometimes": {"sts:ExternalId": EXTERNAL_ID}}}
    messages = [v.message for v in found(trust(broken), "anyscale-aws-trust-external-id")]
    assert messages and "cannot be evaluated" in messages[0] and "StringEqualsSometimes" in messages[0]


# -- the bucket: both roles over TLS, nobody without, no anonymous reads -----------------------


def bucket(*statements):
    return edit(BASE, "bucket-policy", policy=doc(*statements))


ALLOW_ROLES, DENY_TLS = BUCKET_STATEMENTS


def test_the_bucket_policy_passes():
    for rule in ("anyscale-aws-s3-tls-only", "anyscale-aws-s3-role-access", "anyscale-aws-s3-no-anonymous-read"):
        assert found(BASE, rule) == [], rule


def test_an_allow_that_looks_like_the_tls_deny_is_not_a_deny():
    lookalike = {**DENY_TLS, "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000001:role/nodes"}}
    (v,) = found(bucket(ALLOW_ROLES, lookalike), "anyscale-aws-s3-tls-only")
    assert v.enforcement_level == "mandatory" and v.urn.endswith("aws:s3/bucket:Bucket::data")
    assert "does not deny requests without TLS" in v.message
    assert "Only a Deny statement guards every principal" in v.message


@pytest.mark.parametrize(
    "deny, left_open",
    [
        ({**DENY_TLS, "Action": "s3:GetObject"}, "role anyscale-role (s3:PutObject, s3:DeleteObject, s3:ListBucket)"),
        ({**DENY_TLS, "Resource": "arn:aws:s3:::acme-anyscale/*"}, "role anyscale-role (s3:ListBucket)"),
        ({**DENY_TLS, "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
         "role anyscale-role (s3:PutObject, s3:DeleteObject, s3:GetObject, s3:ListBucket)"),
        ({**DENY_TLS, "Principal": {"AWS": "arn:aws:iam::000000000001:role/anyscale-role"}},
         "role nodes (s3:PutObject, s3:DeleteObject, s3:GetObject, s3:ListBucket)"),
        ({**DENY_TLS, "Resource": ["arn:aws:s3:::other-bucket", "arn:aws:s3:::other-bucket/*"]},
         "an anonymous caller (s3:PutObject, s3:DeleteObject, s3:GetObject, s3:ListBucket)"),
    ],
)
def test_tls_denies_that_leave_something_open(deny, left_open):
    (v,) = found(bucket(ALLOW_ROLES, deny), "anyscale-aws-s3-tls-only")
    assert left_open in v.message


@pytest.mark.parametrize(
    "deny",
    [
        {**DENY_TLS, "Condition": {"Bool": {"aws:SecureTransport": False}}},       # a JSON boolean
        {**DENY_TLS, "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}},
        {**DENY_TLS, "Principal": {"AWS": "*"}},
        {**DENY_TLS, "Action": ["s3:Get*", "s3:Put*", "s3:Delete*", "s3:List*"]},
    ],
)
def test_tls_denies_in_other_words(deny):
    assert found(bucket(ALLOW_ROLES, deny), "anyscale-aws-s3-tls-only") == []


def test_no_bucket_policy_means_nothing_denies_plain_http():
    (v,) = found(without(BASE, "bucket-policy"), "anyscale-aws-s3-tls-only")
    assert "has no bucket policy" in v.message


def test_a_role_the_bucket_policy_leaves_out_cannot_reach_the_bucket():
    anyscale_only = {**ALLOW_ROLES, "Principal": {"AWS": "arn:aws:iam::000000000001:role/anyscale-role"}}
    (v,) = found(bucket(anyscale_only, DENY_TLS), "anyscale-aws-s3-role-access")
    assert v.enforcement_level == "mandatory"
    assert "role nodes cannot s3:PutObject (no statement allows it)" in v.message
    assert "role anyscale-role cannot" not in v.message


def test_the_roles_own_policies_grant_the_bucket_in_the_same_account():
    anyscale_only = {**ALLOW_ROLES, "Principal": {"AWS": "arn:aws:iam::000000000001:role/anyscale-role"}}
    grant = role_policy("bucket", {"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::acme-anyscale/*"},
                        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-anyscale"}, role="nodes")
    assert found(plus(bucket(anyscale_only, DENY_TLS), grant), "anyscale-aws-s3-role-access") == []


def test_one_missing_action_is_named():
    no_delete = {**ALLOW_ROLES, "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket"]}
    (v,) = found(bucket(no_delete, DENY_TLS), "anyscale-aws-s3-role-access")
    assert "role anyscale-role cannot s3:DeleteObject (no statement allows it)" in v.message
    assert "s3:GetObject (" not in v.message


def test_a_deny_on_the_roles_blocks_their_access():
    deny_delete = {"Sid": "NoDelete", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::acme-anyscale/*"}
    (v,) = found(bucket(ALLOW_ROLES, DENY_TLS, deny_delete), "anyscale-aws-s3-role-access")
    assert "role anyscale-role cannot s3:DeleteObject (denied by statement NoDelete of BucketPolicy bucket-policy)" in v.message


@pytest.mark.parametrize(
    "statement, readable",
    [
        ({"Sid": "Pub", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-anyscale/*"}, True),
        ({"Sid": "Pub", "Effect": "Allow", "Principal": "*", "Action": "s3:List*", "Resource": "arn:aws:s3:::acme-anyscale"}, True),
        ({"Sid": "Pub", "Effect": "Allow", "Principal": "*", "NotAction": "s3:PutObject", "Resource": "*"}, True),
        # Not anonymous: a key anonymous requests never carry (aws:PrincipalOrgID) decides.
        ({"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-anyscale/*",
          "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}, False),
        ({"Sid": "Pub", "Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-anyscale/*"}, False),
    ],
)
def test_anonymous_reads(statement, readable):
    violations = found(bucket(ALLOW_ROLES, DENY_TLS, statement), "anyscale-aws-s3-no-anonymous-read")
    if readable:
        (v,) = violations
        assert v.enforcement_level == "mandatory"
        assert f"(allowed by statement {statement['Sid']} of BucketPolicy bucket-policy)" in v.message
    else:
        assert violations == []


KMS_KEY = "arn:aws:kms:us-west-2:000000000001:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_SSE = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS_KEY}}]


def kms(*actions, resource=KMS_KEY):
    stack = edit(BASE, "sse", rules=KMS_SSE)
    for role in ("anyscale-role", "nodes"):
        stack = plus(stack, role_policy(f"kms-{role}", {"Effect": "Allow", "Action": list(actions), "Resource": resource}, role=role))
    return stack


@pytest.mark.parametrize(
    "actions, missing",
    [
        (("kms:GenerateDataKey",), "kms:Decrypt"),
        (("kms:Decrypt",), "kms:GenerateDataKey"),
    ],
)
def test_kms_needs_both_actions(actions, missing):
    (v,) = found(kms(*actions), "anyscale-aws-s3-kms-roles")
    present = ({"kms:GenerateDataKey", "kms:Decrypt"} - {missing}).pop()
    assert f"anyscale-role cannot {missing}" in v.message and f"nodes cannot {missing}" in v.message
    assert f"cannot {present}" not in v.message


@pytest.mark.parametrize("actions", [("kms:GenerateDataKey", "kms:Decrypt"), ("kms:*",), ("kms:GenerateDataKey*", "kms:Decrypt")])
def test_kms_grants_in_other_words(actions):
    assert found(kms(*actions), "anyscale-aws-s3-kms-roles") == []


def test_kms_grant_on_another_key_does_not_count():
    (v,) = found(kms("kms:GenerateDataKey", "kms:Decrypt", resource=KMS_KEY.replace("1234abcd", "9999abcd")), "anyscale-aws-s3-kms-roles")
    assert "anyscale-role cannot kms:GenerateDataKey" in v.message


# -- security groups: the world, in IPv4 and IPv6 ------------------------------------------


def ingress(name, **props):
    return record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name, {"securityGroupId": "sg-1", **props}, f"sgr-{name}")


@pytest.mark.parametrize(
    "rule, world",
    [
        (ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv4="0.0.0.0/0"), True),
        (ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv6="::/0"), True),
        (ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv6="0:0::/0"), True),
        (ingress("ssh", ipProtocol="tcp", fromPort=20, toPort=30, cidrIpv6="::/0"), True),
        (record("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh", {"type": "ingress", "securityGroupId": "sg-1", "protocol": "tcp",
                                                                        "fromPort": 22, "toPort": 22, "ipv6CidrBlocks": ["::/0"]}), True),
        (ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv6="::/1"), False),
        (ingress("ssh", ipProtocol="tcp", fromPort=22, toPort=22, cidrIpv4="0.0.0.0/1"), False),
        (ingress("ssh", ipProtocol="tcp", fromPort=23, toPort=30, cidrIpv6="::/0"), False),
    ],
)
def test_ssh_open_to_the_world(rule, world):
    violations = found(plus(BASE, rule), "anyscale-aws-sg-ssh-not-world-open")
    assert bool(violations) is world


def test_inline_ipv6_world_ssh_on_the_group():
    stack = edit(BASE, "sg", ingress=[{"protocol": "tcp", "fromPort": 22, "toPort": 22, "ipv6CidrBlocks": ["::/0"]}])
    (v,) = found(stack, "anyscale-aws-sg-ssh-not-world-open")
    assert "(::/0)" in v.message


# -- sizes: each limit, on each side -----------------------------------------------------------


VPC_MIN, VPC_ADVISED = "anyscale-aws-vpc-min-size", "anyscale-aws-vpc-recommended-size"
SUBNET_MIN, SUBNET_ADVISED = "anyscale-aws-subnet-min-size", "anyscale-aws-subnet-recommended-size"


@pytest.mark.parametrize(
    "resource, cidr, expected",
    [
        ("vpc", "10.0.0.0/20", set()),
        ("vpc", "10.0.0.0/21", {VPC_ADVISED}),
        ("vpc", "10.0.0.0/24", {VPC_ADVISED}),
        ("vpc", "10.0.0.0/25", {VPC_ADVISED, VPC_MIN}),
        ("a", "10.0.0.0/24", set()),
        ("a", "10.0.0.0/25", {SUBNET_ADVISED}),
        ("a", "10.0.0.0/28", {SUBNET_ADVISED}),
        ("a", "10.0.0.0/29", {SUBNET_ADVISED, SUBNET_MIN}),
    ],
)
def test_cidr_limits_on_each_side(resource, cidr, expected):
    fired = {v.policy_id for v in evaluate(edit(BASE, resource, cidrBlock=cidr), SCOPED)}
    assert fired & {VPC_MIN, VPC_ADVISED, SUBNET_MIN, SUBNET_ADVISED} == expected


@pytest.mark.parametrize("replicas, fires", [(1, False), (2, False), (0, True), (None, False)])
def test_memorydb_replicas_on_each_side(replicas, fires):
    violations = found(edit(BASE, "mdb", numReplicasPerShard=replicas), "anyscale-aws-memorydb-replicas")
    assert bool(violations) is fires

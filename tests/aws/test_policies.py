"""The policy documents, statement by statement against seed 004 and the CLI's verifier."""

from __future__ import annotations

import json

import pytest
from anyscale.aws_iam_policies import (
    ANYSCALE_IAM_PERMISSIONS_EC2_STEADY_STATE,
    ANYSCALE_IAM_PERMISSIONS_SERVICE_STEADY_STATE,
    get_anyscale_iam_permissions_ec2_restricted,
)
from anyscale.util import (
    contains_control_plane_role,
    filter_actions_from_policy_document,
    verify_data_plane_role_assume_role_policy,
)

from anyscale_infra.aws import policies

INSTANCE_ROLE = "arn:aws:iam::210987654321:role/demo-instance-role"
INSTANCE_PROFILE = "arn:aws:iam::210987654321:instance-profile/demo-instance-role"
CLOUD_ID = "cld_abc123def456"

# seed 004, "Attach the following IAM policy to this role for standard cluster operation",
# transcribed statement by statement (Sid -> actions, resource).
SEED_STEADY_STATE = {
    "RetrieveGenericAWSResources": (
        {"ec2:DescribeAvailabilityZones", "ec2:DescribeInstanceTypes", "ec2:DescribeRegions",
         "ec2:DescribeAccountAttributes"}, "*"),
    "DescribeRunningResources": (
        {"ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeRouteTables",
         "ec2:DescribeSecurityGroups"}, "*"),
    "InstanceTagMangement": ({"ec2:CreateTags", "ec2:DeleteTags"}, "*"),
    "InstanceStart": ({"ec2:StartInstances", "ec2:RunInstances"}, "*"),
    "InstanceStop": ({"ec2:TerminateInstances", "ec2:StopInstances"}, "*"),
    "InstanceManagementSpot": (
        {"ec2:CancelSpotInstanceRequests", "ec2:ModifyImageAttribute", "ec2:ModifyInstanceAttribute",
         "ec2:RequestSpotInstances"}, "*"),
    "ResourceManagementExtended": (
        {"ec2:AttachVolume", "ec2:CreateVolume", "ec2:DescribeVolumes", "ec2:AssociateIamInstanceProfile",
         "ec2:DisassociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation",
         "ec2:CreatePlacementGroup", "ec2:AllocateAddress", "ec2:ReleaseAddress",
         "ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeInstanceStatus",
         "ec2:DescribePlacementGroups", "ec2:DescribePrefixLists", "ec2:DescribeReservedInstancesOfferings",
         "ec2:DescribeSpotInstanceRequests", "ec2:DescribeSpotPriceHistory"}, "*"),
    "EFSManagement": ({"elasticfilesystem:DescribeMountTargets"}, "*"),
    # The seed also lists iam:PutRolePolicy, under a condition PutRolePolicy requests never
    # carry (a grant that never applies): we grant what the statement means.
    "CreateSpotServiceLinkedRole": (
        {"iam:CreateServiceLinkedRole"},
        "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"),
}
# seed 004 "To use Services, attach the following policies".
SEED_SERVICES = {
    "CFN": {"cloudformation:TagResource", "cloudformation:UntagResource", "cloudformation:CreateStack",
            "cloudformation:UpdateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
            "cloudformation:DescribeStackResources", "cloudformation:DescribeStacks",
            "cloudformation:GetTemplate"},
    "ELBDescribe": {"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeListenerCertificates"},
    "EC2Describe": {"ec2:DescribeVpcs", "ec2:DescribeInternetGateways"},
    "ELBCerts": {"elasticloadbalancing:AddListenerCertificates",
                 "elasticloadbalancing:RemoveListenerCertificates"},
    "ACMList": {"acm:ListCertificates"},
    "ACM": {"acm:DeleteCertificate", "acm:RenewCertificate", "acm:RequestCertificate",
            "acm:AddTagsToCertificate", "acm:DescribeCertificate", "acm:GetCertificate",
            "acm:ListTagsForCertificate"},
    "ELBWrite": {"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
                 "elasticloadbalancing:CreateRule", "elasticloadbalancing:ModifyRule",
                 "elasticloadbalancing:DeleteRule", "elasticloadbalancing:SetRulePriorities",
                 "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListener",
                 "elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateLoadBalancer",
                 "elasticloadbalancing:DeleteLoadBalancer",
                 "elasticloadbalancing:ModifyLoadBalancerAttributes",
                 "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
                 "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
                 "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
                 "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetSecurityGroups",
                 "elasticloadbalancing:SetSubnets"},
    "LinkELBService": {"iam:CreateServiceLinkedRole"},
    "IAMPolicies": {"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:UpdateRoleDescription",
                    "iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus"},
}


def _actions(statement: dict) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def _by_sid(doc: dict) -> dict[str, dict]:
    sids = [s["Sid"] for s in doc["Statement"]]
    assert len(sids) == len(set(sids)), f"duplicate Sids: {sids}"
    return {s["Sid"]: s for s in doc["Statement"]}


def _steady(cloud_id=None) -> dict:
    return policies.steady_state_policy([INSTANCE_ROLE], [INSTANCE_PROFILE], cloud_id=cloud_id)


# --- Trust policies -------------------------------------------------------------------------


def test_anyscale_trust_policy_has_root_principal_string_action_and_external_id():
    doc = policies.anyscale_trust_policy("org_abc-xyz")
    (statement,) = doc["Statement"]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::525325868955:root"}
    assert statement["Action"] == "sts:AssumeRole"  # a list fails the verifier
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "org_abc-xyz"}}
    # The CLI's own check accepts it; with another account it does not.
    assert contains_control_plane_role(doc, "525325868955")
    assert not contains_control_plane_role(doc, "111111111111")


def test_anyscale_trust_policy_account_is_configurable():
    doc = policies.anyscale_trust_policy("org_abc-xyz", anyscale_account_id="111111111111")
    assert doc["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert contains_control_plane_role(doc, "111111111111")


def test_every_trust_statement_carries_the_external_id_the_cli_looks_for():
    # cloud register --external-id: every statement's StringEquals.sts:ExternalId must hold it.
    doc = policies.anyscale_trust_policy("org_abc-xyz")
    for statement in doc["Statement"]:
        assert statement["Condition"]["StringEquals"]["sts:ExternalId"] == "org_abc-xyz"


def test_instance_trust_policy_trusts_ec2_with_string_action():
    doc = policies.instance_trust_policy()
    assert doc["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert doc["Statement"][0]["Action"] == "sts:AssumeRole"
    assert verify_data_plane_role_assume_role_policy(doc)


# --- Steady state, first phase (no cloud id) ------------------------------------------------


@pytest.mark.parametrize("sid", sorted(SEED_STEADY_STATE))
def test_steady_state_matches_seed_statement(sid):
    actions, resource = SEED_STEADY_STATE[sid]
    statement = _by_sid(_steady())[sid]
    assert statement["Effect"] == "Allow"
    assert actions <= _actions(statement)
    assert statement["Resource"] == resource


def test_steady_state_extra_actions_are_only_the_verifiers():
    expected = filter_actions_from_policy_document(ANYSCALE_IAM_PERMISSIONS_EC2_STEADY_STATE)
    seed = set().union(*(a for a, _ in SEED_STEADY_STATE.values())) | {"iam:PassRole", "iam:GetInstanceProfile"}
    ours = filter_actions_from_policy_document(_steady())
    assert ours - seed == {"ec2:DescribeCapacityReservations"}
    assert seed - ours == set()
    assert expected <= ours, f"verifier would warn: {expected - ours}"


def test_pass_role_is_restricted_to_the_instance_role_and_ec2():
    statements = _by_sid(_steady())
    assert statements["IAM"]["Action"] == "iam:PassRole"
    assert statements["IAM"]["Resource"] == [INSTANCE_ROLE]
    assert statements["IAM"]["Condition"] == {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    assert statements["IAMInstanceProfiles"]["Action"] == "iam:GetInstanceProfile"
    assert statements["IAMInstanceProfiles"]["Resource"] == [INSTANCE_PROFILE]
    for statement in _steady()["Statement"]:
        if "iam:PassRole" in _actions(statement):
            assert statement["Resource"] != "*"


def test_first_phase_has_no_tag_scoped_statements():
    sids = set(_by_sid(_steady()))
    assert not sids & {"DenyTaggingOnOtherInstances", "RestrictedInstanceStop", "RestrictedInstanceStart",
                       "AllowRunInstancesForUntaggedResources"}


# --- Steady state, second phase (cloud id) ---------------------------------------------------


def test_scoped_mode_replaces_instance_start_and_stop():
    statements = _by_sid(_steady(CLOUD_ID))
    assert "InstanceStart" not in statements and "InstanceStop" not in statements
    for sid in SEED_STEADY_STATE.keys() - {"InstanceStart", "InstanceStop"}:
        assert sid in statements


def test_spot_service_linked_role_statement_grants_only_what_its_condition_can_apply_to():
    statement = _by_sid(_steady())["CreateSpotServiceLinkedRole"]
    assert statement == {
        "Sid": "CreateSpotServiceLinkedRole",
        "Effect": "Allow",
        "Action": "iam:CreateServiceLinkedRole",
        "Resource": "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot",
        "Condition": {"StringEquals": {"iam:AWSServiceName": "spot.amazonaws.com"}},
    }
    assert "iam:PutRolePolicy" not in json.dumps(_steady())


def test_scoped_deny_tagging_is_the_seeds_deny_split_per_action():
    statements = _by_sid(_steady(CLOUD_ID))
    assert statements["DenyTaggingOnOtherInstances"] == {
        "Sid": "DenyTaggingOnOtherInstances",
        "Effect": "Deny",
        "Action": "ec2:CreateTags",
        "Resource": "arn:aws:ec2:*:*:instance/*",
        "Condition": {
            "StringNotEquals": {
                "aws:ResourceTag/anyscale-cloud-id": CLOUD_ID,
                "ec2:CreateAction": ["RunInstances", "StartInstances"],
            }
        },
    }
    # ec2:CreateAction is never on a DeleteTags request (its StringNotEquals was always true).
    assert statements["DenyUntaggingOnOtherInstances"] == {
        "Sid": "DenyUntaggingOnOtherInstances",
        "Effect": "Deny",
        "Action": "ec2:DeleteTags",
        "Resource": "arn:aws:ec2:*:*:instance/*",
        "Condition": {"StringNotEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD_ID}},
    }


def test_scoped_stop_matches_seed():
    statement = _by_sid(_steady(CLOUD_ID))["RestrictedInstanceStop"]
    assert _actions(statement) == {"ec2:TerminateInstances", "ec2:StopInstances"}
    assert statement["Condition"] == {"StringEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD_ID}}


def test_scoped_start_uses_the_instance_tag_not_a_request_tag():
    # StartInstances carries no request tags: the seed's aws:RequestTag condition (copied by
    # Anyscale's Terraform module) would deny starting a stopped cluster forever.
    statements = _by_sid(_steady(CLOUD_ID))
    start = statements["RestrictedInstanceStart"]
    assert _actions(start) == {"ec2:StartInstances"}
    assert start["Condition"] == {"StringEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD_ID}}
    run = statements["RestrictedInstanceRun"]
    assert _actions(run) == {"ec2:RunInstances"}
    assert run["Condition"] == {
        "StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID},
        "ForAnyValue:StringEquals": {"aws:TagKeys": ["anyscale-cloud-id"]},
    }
    for statement in statements.values():
        if "ec2:StartInstances" in _actions(statement) and statement["Effect"] == "Allow":
            assert "aws:RequestTag/anyscale-cloud-id" not in json.dumps(statement.get("Condition", {}))


def test_scoped_untagged_resources_match_seed():
    statement = _by_sid(_steady(CLOUD_ID))["AllowRunInstancesForUntaggedResources"]
    assert statement["Action"] == "ec2:RunInstances"
    assert statement["Resource"] == [
        "arn:aws:ec2:*::image/*", "arn:aws:ec2:*::snapshot/*", "arn:aws:ec2:*:*:subnet/*",
        "arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:security-group/*",
        "arn:aws:ec2:*:*:key-pair/*", "arn:aws:ec2:*:*:volume/*",
    ]


def test_scoped_mode_still_allows_every_action_the_verifier_expects():
    ours = filter_actions_from_policy_document(_steady(CLOUD_ID))
    for expected_doc in (ANYSCALE_IAM_PERMISSIONS_EC2_STEADY_STATE,
                         get_anyscale_iam_permissions_ec2_restricted(CLOUD_ID)):
        assert filter_actions_from_policy_document(expected_doc) <= ours


def test_scoped_mode_can_start_stop_and_terminate_tagged_instances():
    """Every instance lifecycle action has an Allow whose condition a tagged instance meets."""
    statements = _steady(CLOUD_ID)["Statement"]
    for action in ("ec2:StartInstances", "ec2:StopInstances", "ec2:TerminateInstances"):
        allows = [s for s in statements if s["Effect"] == "Allow" and action in _actions(s)]
        assert allows, action
        assert any(
            s.get("Condition") == {"StringEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD_ID}}
            for s in allows
        ), action


# --- Services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sid", sorted(SEED_SERVICES))
def test_services_matches_seed_statement(sid):
    statement = _by_sid(policies.services_policy())[sid]
    assert SEED_SERVICES[sid] <= _actions(statement)
    assert _actions(statement) - SEED_SERVICES[sid] <= {"elasticloadbalancing:DescribeTags"}


def test_services_covers_the_verifiers_list():
    ours = filter_actions_from_policy_document(policies.services_policy())
    assert filter_actions_from_policy_document(ANYSCALE_IAM_PERMISSIONS_SERVICE_STEADY_STATE) <= ours


def test_services_elb_write_only_through_cloudformation():
    statement = _by_sid(policies.services_policy())["ELBWrite"]
    assert statement["Condition"] == {"StringEquals": {"aws:CalledViaFirst": "cloudformation.amazonaws.com"}}


# --- S3 ----------------------------------------------------------------------------------------


def test_bucket_policy_grants_both_roles_the_seed_actions_and_denies_plain_http():
    roles = ["arn:aws:iam::210987654321:role/a", INSTANCE_ROLE]
    doc = policies.bucket_policy("my-anyscale-bucket", roles)
    allow, deny = doc["Statement"]
    assert allow["Principal"] == {"AWS": roles}
    assert set(allow["Action"]) == {"s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"}
    assert set(allow["Resource"]) == {"arn:aws:s3:::my-anyscale-bucket", "arn:aws:s3:::my-anyscale-bucket/*"}
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert set(deny["Resource"]) == set(allow["Resource"])


def test_bucket_access_policy_is_the_seed_node_role_policy():
    doc = policies.bucket_access_policy("b-1")
    assert doc["Statement"] == [
        {"Sid": "ListObjectsInBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b-1"},
        {"Sid": "AllObjectActions", "Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::b-1/*"},
    ]


def test_bucket_access_policy_with_kms_grants_generate_and_decrypt_on_the_key():
    key = "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666"
    statement = policies.bucket_access_policy("b-1", key)["Statement"][-1]
    assert set(statement["Action"]) == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert statement["Resource"] == key

"""The EKS policy documents as plain dicts: exact trust policies, and what they allow and deny
run through the repo's IAM evaluator (the operator gets its bucket and EFS, nothing else; only
its service account's token, for STS, can assume it), then linted with parliament."""

from __future__ import annotations

import json

import pytest
from parliament import analyze_policy_string

from anyscale_infra.aws import policies
from anyscale_infra.aws.iam_evaluator import (
    Decision,
    PolicySource,
    Principal,
    Request,
    evaluate,
)
from anyscale_infra.aws.validation import oidc_provider_path

ACCOUNT = "210987654321"
ISSUER = "https://oidc.eks.us-west-2.amazonaws.com/id/5C4E0F2B9A1D8E7F6A5B4C3D2E1F0A9B"
OIDC_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/5C4E0F2B9A1D8E7F6A5B4C3D2E1F0A9B"
PATH = "oidc.eks.us-west-2.amazonaws.com/id/5C4E0F2B9A1D8E7F6A5B4C3D2E1F0A9B"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/anyscale-operator-role"
SESSION = Principal.aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/anyscale-operator-role/botocore-session-1")
KMS = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
EFS = f"arn:aws:elasticfilesystem:us-west-2:{ACCOUNT}:file-system/fs-0a1b2c3d4e5f67890"


def test_the_oidc_path_is_the_same_from_the_issuer_and_the_provider_arn():
    assert oidc_provider_path(ISSUER) == oidc_provider_path(OIDC_ARN) == PATH
    assert oidc_provider_path(ISSUER + "/") == PATH


# -- trust -----------------------------------------------------------------------------------


def test_irsa_trust_is_exact():
    assert policies.irsa_trust_policy(OIDC_ARN, "anyscale-operator", "anyscale-operator") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowServiceAccountWebIdentity",
                "Effect": "Allow",
                "Principal": {"Federated": OIDC_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{PATH}:sub": "system:serviceaccount:anyscale-operator:anyscale-operator",
                        f"{PATH}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }


def _web_identity(sub: str, aud: str = "sts.amazonaws.com", provider: str = OIDC_ARN) -> Decision:
    trust = PolicySource("trust", policies.irsa_trust_policy(OIDC_ARN, "anyscale-operator", "anyscale-operator"))
    request = Request(
        "sts:AssumeRoleWithWebIdentity", ROLE, Principal.federated(provider), {f"{PATH}:sub": sub, f"{PATH}:aud": aud}
    )
    return evaluate(request, resource_policy=trust).decision


def test_irsa_trust_admits_only_the_operators_service_account_token_for_sts():
    assert _web_identity("system:serviceaccount:anyscale-operator:anyscale-operator") is Decision.ALLOW
    # Another account in the namespace, the same name in another namespace, a pod's default SA.
    for sub in ("system:serviceaccount:anyscale-operator:default", "system:serviceaccount:kube-system:anyscale-operator",
                "system:serviceaccount:anyscale-operator:anyscale-operator-x"):
        assert _web_identity(sub) is Decision.IMPLICIT_DENY, sub
    # A token minted for another audience, another cluster's provider.
    assert _web_identity("system:serviceaccount:anyscale-operator:anyscale-operator", aud="api") is Decision.IMPLICIT_DENY
    other = f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0000000000000000000000000000000A"
    assert _web_identity("system:serviceaccount:anyscale-operator:anyscale-operator", provider=other) is Decision.IMPLICIT_DENY


def test_pod_identity_trust_is_exact_and_scoped_by_session_tags():
    assert policies.pod_identity_trust_policy("anyscale-prod", "anyscale-operator", "anyscale-operator") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowEksPodIdentity",
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": "anyscale-prod",
                        "aws:RequestTag/kubernetes-namespace": "anyscale-operator",
                        "aws:RequestTag/kubernetes-service-account": "anyscale-operator",
                    }
                },
            }
        ],
    }
    # Without a scope: the EKS user guide's base trust.
    assert policies.pod_identity_trust_policy()["Statement"][0].keys() == {"Sid", "Effect", "Principal", "Action"}


@pytest.mark.parametrize("action", ["sts:AssumeRole", "sts:TagSession"])
def test_pod_identity_trust_admits_only_the_tagged_session(action):
    trust = PolicySource("trust", policies.pod_identity_trust_policy("anyscale-prod", "anyscale-operator", "anyscale-operator"))
    tags = {
        "aws:RequestTag/eks-cluster-name": "anyscale-prod",
        "aws:RequestTag/kubernetes-namespace": "anyscale-operator",
        "aws:RequestTag/kubernetes-service-account": "anyscale-operator",
    }
    pods = Principal.service("pods.eks.amazonaws.com")
    assert evaluate(Request(action, ROLE, pods, tags), resource_policy=trust).decision is Decision.ALLOW
    for key, other in (("aws:RequestTag/eks-cluster-name", "dev"), ("aws:RequestTag/kubernetes-namespace", "default"),
                       ("aws:RequestTag/kubernetes-service-account", "default")):
        assert evaluate(Request(action, ROLE, pods, {**tags, key: other}), resource_policy=trust).decision is Decision.IMPLICIT_DENY
    # EC2 (a node) cannot assume it.
    ec2 = Principal.service("ec2.amazonaws.com")
    assert evaluate(Request(action, ROLE, ec2, tags), resource_policy=trust).decision is Decision.IMPLICIT_DENY


def test_the_cluster_role_trusts_eks_only():
    (statement,) = policies.eks_cluster_trust_policy()["Statement"]
    assert statement["Principal"] == {"Service": "eks.amazonaws.com"} and statement["Action"] == "sts:AssumeRole"


# -- the operator's permissions ---------------------------------------------------------------


def _operator(action: str, resource: str, **kwargs) -> Decision:
    document = policies.operator_access_policy("acme-anyscale", **kwargs)
    return evaluate(Request(action, resource, SESSION), identity=[PolicySource("operator", document)]).decision


def test_the_operator_gets_the_clis_bucket_actions_on_its_bucket_only():
    obj = "arn:aws:s3:::acme-anyscale/org_1/cld_1/logs/run.txt"
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert _operator(action, obj) is Decision.ALLOW, action
        assert _operator(action, "arn:aws:s3:::acme-other/logs/run.txt") is Decision.IMPLICIT_DENY, action
        assert _operator(action, "arn:aws:s3:::acme-anyscale") is Decision.IMPLICIT_DENY, action
    assert _operator("s3:ListBucket", "arn:aws:s3:::acme-anyscale") is Decision.ALLOW
    assert _operator("s3:ListBucket", "arn:aws:s3:::acme-anyscale-2") is Decision.IMPLICIT_DENY
    # Nothing beyond: not the bucket's policy, not its ACLs, no KMS or EFS unless given.
    for action, resource in (("s3:PutBucketPolicy", "arn:aws:s3:::acme-anyscale"), ("s3:PutObjectAcl", obj),
                             ("kms:Decrypt", KMS), ("elasticfilesystem:ClientMount", EFS)):
        assert _operator(action, resource) is Decision.IMPLICIT_DENY, action


def test_kms_and_efs_grants_are_on_that_key_and_that_file_system_only():
    kwargs = dict(kms_key_arn=KMS, file_system_arn=EFS)
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert _operator(action, KMS, **kwargs) is Decision.ALLOW
        assert _operator(action, KMS.replace("1234abcd", "9999abcd"), **kwargs) is Decision.IMPLICIT_DENY
    for action in ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"):
        assert _operator(action, EFS, **kwargs) is Decision.ALLOW
        assert _operator(action, EFS.replace("fs-0a1b", "fs-0f0f"), **kwargs) is Decision.IMPLICIT_DENY
    # Root access (squash off) is not granted.
    assert _operator("elasticfilesystem:ClientRootAccess", EFS, **kwargs) is Decision.IMPLICIT_DENY


def test_the_operator_policy_is_exact():
    assert policies.operator_access_policy("acme-anyscale") == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "ListAnyscaleBucket", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "arn:aws:s3:::acme-anyscale"},
            {
                "Sid": "AnyscaleBucketObjects",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                "Resource": "arn:aws:s3:::acme-anyscale/*",
            },
        ],
    }


# -- the cluster autoscaler --------------------------------------------------------------------


def test_the_autoscaler_resizes_only_this_clusters_node_groups():
    document = PolicySource("autoscaler", policies.cluster_autoscaler_policy("anyscale-prod"))
    asg = f"arn:aws:autoscaling:us-west-2:{ACCOUNT}:autoScalingGroup:1:autoScalingGroupName/eks-x"
    principal = Principal.aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/autoscaler/s")

    def decide(action: str, resource: str, tags: dict) -> Decision:
        return evaluate(Request(action, resource, principal, tags), identity=[document]).decision

    ours = {"aws:ResourceTag/k8s.io/cluster-autoscaler/anyscale-prod": "owned"}
    theirs = {"aws:ResourceTag/k8s.io/cluster-autoscaler/other": "owned"}
    for action in ("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"):
        assert decide(action, asg, ours) is Decision.ALLOW
        assert decide(action, asg, theirs) is Decision.IMPLICIT_DENY
        assert decide(action, asg, {}) is Decision.IMPLICIT_DENY
    nodegroup = f"arn:aws:eks:us-west-2:{ACCOUNT}:nodegroup/anyscale-prod/anyscale-spot-cpu-1a2b3c4/5e6f"
    assert decide("eks:DescribeNodegroup", nodegroup, {}) is Decision.ALLOW
    assert decide("eks:DescribeNodegroup", nodegroup.replace("anyscale-prod/", "other/"), {}) is Decision.IMPLICIT_DENY
    assert decide("autoscaling:DescribeAutoScalingGroups", "*", {}) is Decision.ALLOW


# -- lint -----------------------------------------------------------------------------------------

DOCUMENTS = {
    "trust/irsa": policies.irsa_trust_policy(OIDC_ARN, "anyscale-operator", "anyscale-operator"),
    "trust/pod-identity": policies.pod_identity_trust_policy("anyscale-prod", "anyscale-operator", "anyscale-operator"),
    "trust/cluster": policies.eks_cluster_trust_policy(),
    "operator/bucket": policies.operator_access_policy("acme-anyscale"),
    "operator/kms-efs": policies.operator_access_policy("acme-anyscale", KMS, EFS),
    "autoscaler": policies.cluster_autoscaler_policy("anyscale-prod"),
}
#: (family, parliament issue) -> why it stays.
ALLOWED = {
    ("trust", "MALFORMED"): "a trust policy names a Principal and never a Resource (parliament reads identity policies)",
    ("trust", "UNKNOWN_FEDERATION_SOURCE"): "parliament does not know EKS clusters' OIDC providers (oidc.eks.<region>...)",
    ("autoscaler", "RESOURCE_STAR"): (
        "Auto Scaling group ARNs carry a UUID unknown before EKS creates them; the condition on the "
        "k8s.io/cluster-autoscaler/<cluster> tag scopes them to this cluster's node groups"
    ),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_lint_clean_but_for_explained_findings(name):
    findings = analyze_policy_string(json.dumps(DOCUMENTS[name]), include_community_auditors=False).findings
    family = name.split("/")[0]
    assert [f"{f.issue}: {f.detail}" for f in findings if (family, f.issue) not in ALLOWED] == []

"""AnyscaleEksOperatorIdentity: a dedicated role per trust mode (IRSA, EKS Pod Identity), its
trust and inline policy exactly as deployed (and through the IAM evaluator), an existing role,
and bad input named by field."""

from __future__ import annotations

import json

import pulumi
import pytest
from program_errors import deploy_error

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws.iam_evaluator import (
    Decision,
    PolicySource,
    Principal,
    Request,
    evaluate,
)
from anyscale_infra.aws.operator_identity import (
    OPERATOR_POLICY_NAME,
    AnyscaleEksOperatorIdentity,
    AnyscaleEksOperatorIdentityArgs,
    OperatorTrust,
)
from anyscale_infra.preview.engine import run_function

OIDC = "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/5C4E0F2B9A1D8E7F6A5B4C3D2E1F0A9B"
PATH = "oidc.eks.us-west-2.amazonaws.com/id/5C4E0F2B9A1D8E7F6A5B4C3D2E1F0A9B"
EFS = "arn:aws:elasticfilesystem:us-west-2:000000000000:file-system/fs-0a1b2c3d4e5f67890"


def _run(args: AnyscaleEksOperatorIdentityArgs):
    def program():
        identity = AnyscaleEksOperatorIdentity("c", args)
        pulumi.export("role_arn", identity.role_arn)
        pulumi.export("iam_identity", identity.iam_identity)

    return run_function(program, config={"aws:region": "us-west-2"})


@pytest.fixture(scope="module")
def irsa():
    return _run(AnyscaleEksOperatorIdentityArgs(oidc_provider_arn=OIDC, bucket_name="s3://acme-anyscale",
                                                file_system_arn=EFS, namespace="ml-operator", tags={"team": "ml"}))


@pytest.fixture(scope="module")
def pod_identity():
    return _run(AnyscaleEksOperatorIdentityArgs(trust="pod-identity", cluster_name="anyscale-prod", bucket_name="acme-anyscale"))


def test_irsa_role_trusts_only_the_operators_service_account(irsa):
    role = irsa.one("aws:iam/role:Role")
    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowServiceAccountWebIdentity",
                "Effect": "Allow",
                "Principal": {"Federated": OIDC},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{PATH}:sub": "system:serviceaccount:ml-operator:anyscale-operator",
                                               f"{PATH}:aud": "sts.amazonaws.com"}},
            }
        ],
    }
    assert role.inputs["description"] == "Anyscale operator ml-operator/anyscale-operator (irsa)"
    assert role.inputs["tags"] == {"Name": "c-operator-role", "team": "ml"}
    # The chart annotates the service account with it (global.auth.iamIdentity).
    assert irsa.outputs["iam_identity"] == irsa.outputs["role_arn"] == role.outputs["arn"]
    assert irsa.by_type("aws:eks/podIdentityAssociation:PodIdentityAssociation") == []


def test_the_inline_policy_grants_the_bucket_and_efs_only(irsa):
    role = irsa.one("aws:iam/role:Role")
    policy = irsa.one("aws:iam/rolePolicy:RolePolicy")
    assert (policy.inputs["role"], policy.inputs["name"]) == (role.outputs["name"], OPERATOR_POLICY_NAME)
    assert policy.deleted_with == role.urn
    document = PolicySource("operator", json.loads(policy.inputs["policy"]))
    session = Principal.aws(f"arn:aws:sts::000000000000:assumed-role/{role.outputs['name']}/op")

    def decide(action, resource):
        return evaluate(Request(action, resource, session), identity=[document]).decision

    assert decide("s3:GetObject", "arn:aws:s3:::acme-anyscale/a/b") is Decision.ALLOW  # s3:// stripped
    assert decide("s3:GetObject", "arn:aws:s3:::another-bucket/a/b") is Decision.IMPLICIT_DENY
    assert decide("s3:ListBucket", "arn:aws:s3:::acme-anyscale") is Decision.ALLOW
    assert decide("elasticfilesystem:ClientWrite", EFS) is Decision.ALLOW
    assert decide("ec2:RunInstances", "*") is Decision.IMPLICIT_DENY
    assert not irsa.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")  # no managed policy at all


def test_pod_identity_role_and_association(pod_identity):
    role = pod_identity.one("aws:iam/role:Role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert statement["Condition"]["StringEquals"] == {
        "aws:RequestTag/eks-cluster-name": "anyscale-prod",
        "aws:RequestTag/kubernetes-namespace": "anyscale-operator",
        "aws:RequestTag/kubernetes-service-account": "anyscale-operator",
    }
    association = pod_identity.one("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert association.inputs == {"clusterName": "anyscale-prod", "namespace": "anyscale-operator",
                                  "serviceAccount": "anyscale-operator", "roleArn": role.outputs["arn"],
                                  "tags": {"Name": "c-operator-pod-identity"}}
    assert association.outputs["associationId"].startswith("a-") and len(association.outputs["associationId"]) == 19
    assert association.id == f"anyscale-prod,{association.outputs['associationId']}"
    # No service-account annotation: the chart gets no iamIdentity.
    assert pod_identity.outputs["iam_identity"] is None
    assert pod_identity.outputs["role_arn"] == role.outputs["arn"]


def test_an_existing_role_is_used_as_is():
    arn = "arn:aws:iam::210987654321:role/platform/anyscale-operator"
    result = _run(AnyscaleEksOperatorIdentityArgs(existing_role_arn=arn))
    assert [r for r in result.resources if r.custom] == []
    assert result.outputs["role_arn"] == arn == result.outputs["iam_identity"]


def test_an_existing_role_with_pod_identity_still_gets_its_association():
    arn = "arn:aws:iam::210987654321:role/anyscale-operator"
    result = _run(AnyscaleEksOperatorIdentityArgs(existing_role_arn=arn, trust=OperatorTrust.POD_IDENTITY, cluster_name="c1"))
    assert result.one("aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs["roleArn"] == arn
    assert result.by_type("aws:iam/role:Role") == []


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (dict(existing_role_arn="anyscale-operator@acme.iam.gserviceaccount.com"), "existing_role_arn",
         "is an email; on AWS the operator's identity is an IAM role ARN"),
        (dict(namespace="Anyscale_Operator"), "namespace", "is not an RFC 1123 label"),
        (dict(namespace="a" * 64), "namespace", "is not an RFC 1123 label"),
        (dict(service_account="Operator!"), "service_account", "is not an RFC 1123 subdomain"),
        (dict(trust="workload-identity"), "trust", "'irsa' or 'pod-identity'"),
        (dict(trust="pod-identity", oidc_provider_arn=OIDC), "oidc_provider_arn", "applies to trust=irsa only"),
        (dict(oidc_provider_arn="arn:aws:iam::000000000000:role/x"), "oidc_provider_arn", "is not an IAM OIDC provider ARN"),
        (dict(existing_role_arn="arn:aws:iam::210987654321:role/x", bucket_name="b-x1"), "bucket_name",
         "only one of existing_role_arn and bucket_name"),
        (dict(role_path="ops"), "role_path", "is not an IAM path"),
    ],
)
def test_bad_input_names_the_field(args, field, message):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleEksOperatorIdentityArgs(**args)
    assert info.value.fields == [field]
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (dict(bucket_name="b-x1"), ["oidc_provider_arn"]),
        (dict(trust="pod-identity", bucket_name="b-x1"), ["cluster_name"]),
        (dict(oidc_provider_arn=OIDC), ["bucket_name"]),
    ],
)
def test_what_a_new_role_lacks_fails_before_any_resource(preview, args, fields):
    error = deploy_error(preview, lambda: AnyscaleEksOperatorIdentity("c", AnyscaleEksOperatorIdentityArgs(**args)))
    assert error.fields == fields

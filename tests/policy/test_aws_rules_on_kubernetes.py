"""The AWS VM cloud's rules on a Kubernetes (EKS) cloud: the node groups' role is not an
instance role (no instance profile of its name, no ECR check), an EKS cloud registers no
security group, and the bucket is judged for the operator's role: the one its pods use.
Hand-written programs in plain pulumi_aws / pulumi_kubernetes on the offline engine."""

from __future__ import annotations

import functools
import json

from anyscale_infra.policy.runner import evaluate
from k8s_fixtures import run as run_k8s_fixture

BUCKET = "anyscale-eks-data"
DEPLOYMENT = "cldrsrc_abcdefgh12345678ijklmnop12"


def _doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def eks_with_bucket(operator_can_use_bucket: bool):
    def program():
        import pulumi
        import pulumi_aws as aws
        import pulumi_kubernetes as k8s

        node_role = aws.iam.Role("nodes", name="eks-nodes", assume_role_policy=_doc(
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
        aws.eks.NodeGroup("workers", cluster_name="anyscale-eks", node_role_arn=node_role.arn, subnet_ids=["subnet-0a"],
                          scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=2))
        operator = aws.iam.Role("operator", name="anyscale-operator", assume_role_policy=_doc(
            {"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}))
        bucket = aws.s3.Bucket("data", bucket=BUCKET)
        if operator_can_use_bucket:
            aws.iam.RolePolicy("operator-s3", role=operator.name, policy=bucket.arn.apply(lambda arn: _doc(
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
                 "Resource": [arn, f"{arn}/*"]})))
        cluster = k8s.Provider("cluster", kubeconfig="preview")
        k8s.helm.v3.Release("operator", chart="anyscale-operator", namespace="anyscale-operator",
                            values=operator.arn.apply(lambda arn: {"global": {
                                "cloudDeploymentId": DEPLOYMENT, "cloudProvider": "aws", "auth": {"iamIdentity": arn},
                                "aws": {"region": "us-west-2"}}}),
                            opts=pulumi.ResourceOptions(provider=cluster))

    return program


@functools.lru_cache(maxsize=None)
def aws_violations(operator_can_use_bucket: bool):
    from anyscale_infra.cli import policy_records
    from anyscale_infra.preview.engine import run_function

    result = run_function(eks_with_bucket(operator_can_use_bucket), config={"aws:region": "us-west-2"}, project="eks-bucket")
    return [v for v in evaluate(list(policy_records(result)), outputs=dict(result.outputs)) if v.policy_id.startswith("anyscale-aws-")]


def test_an_eks_node_role_is_not_judged_as_an_instance_role():
    records, outputs = run_k8s_fixture("eks")
    hits = [v for v in evaluate(list(records), outputs=outputs) if v.policy_id.startswith("anyscale-aws-")]
    # Without the EKS distinction: instance-profile-same-name (mandatory) and the ECR
    # advisory fire on the node role.
    assert hits == [], [(v.policy_id, v.message) for v in hits]


def test_the_bucket_is_judged_for_the_operators_role():
    hits = [v for v in aws_violations(False) if v.policy_id == "anyscale-aws-s3-role-access"]
    assert len(hits) == 1
    (hit,) = hits
    assert hit.urn.endswith("aws:s3/bucket:Bucket::data")
    assert hit.enforcement_level == "mandatory"
    assert "role anyscale-operator cannot s3:" in hit.message
    # The node role is not one of the bucket's roles on a Kubernetes cloud.
    assert "eks-nodes" not in hit.message


def test_an_operator_role_with_bucket_access_passes():
    assert [v.policy_id for v in aws_violations(True) if v.policy_id == "anyscale-aws-s3-role-access"] == []
    assert [v.policy_id for v in aws_violations(True) if v.policy_id.startswith("anyscale-aws-sg-")] == []

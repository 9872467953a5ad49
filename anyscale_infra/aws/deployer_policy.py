"""The least-privilege IAM policy for whoever runs `pulumi up` with these components and
then `anyscale cloud register` / `anyscale cloud verify` (a CI role, for instance).

Seed 004 "Minimal IAM Permissions for cloud commands" lists what the CLI needs (its
CloudFormation-based `cloud setup` statements are left out: we replace that path); this
extends it to what our components really create, and only for the parts you enable.
A pure function of plain values, like every policy document here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.policies import VERSION

Statement = dict[str, Any]

# What the provider reads on create/refresh. Read-only wildcards (`Describe*`, `GetBucket*`)
# keep the largest variant under IAM's 6,144-character limit for a managed policy.
_EC2_READ = ["ec2:Describe*"]
_VPC_WRITE = [
    "ec2:AssociateRouteTable",
    "ec2:AttachInternetGateway",
    "ec2:CreateInternetGateway",
    "ec2:CreateRoute",
    "ec2:CreateRouteTable",
    "ec2:CreateSubnet",
    "ec2:CreateVpc",
    "ec2:DeleteInternetGateway",
    "ec2:DeleteRoute",
    "ec2:DeleteRouteTable",
    "ec2:DeleteSubnet",
    "ec2:DeleteVpc",
    "ec2:DetachInternetGateway",
    "ec2:DisassociateRouteTable",
    "ec2:ModifySubnetAttribute",
    "ec2:ModifyVpcAttribute",
    "ec2:ReplaceRoute",
]
_NAT_WRITE = [
    "ec2:AllocateAddress",
    "ec2:CreateNatGateway",
    "ec2:DeleteNatGateway",
    "ec2:DisassociateAddress",
    "ec2:ReleaseAddress",
]
_ENDPOINT_WRITE = ["ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint"]
_SG_WRITE = [
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateSecurityGroup",
    "ec2:DeleteSecurityGroup",
    "ec2:ModifySecurityGroupRules",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
]
_S3_BUCKET = [
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucket*",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
    "s3:PutBucketCORS",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
]
_EFS = [
    "elasticfilesystem:CreateFileSystem",
    "elasticfilesystem:CreateMountTarget",
    "elasticfilesystem:DeleteFileSystem",
    "elasticfilesystem:DeleteMountTarget",
    "elasticfilesystem:Describe*",
    "elasticfilesystem:ListTagsForResource",
    "elasticfilesystem:ModifyMountTargetSecurityGroups",
    "elasticfilesystem:PutBackupPolicy",
    "elasticfilesystem:PutLifecycleConfiguration",
    "elasticfilesystem:TagResource",
    "elasticfilesystem:UntagResource",
]
# EFS creates the mount targets' network interfaces in your subnets, as the caller.
_EFS_ENI = ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"]
_MEMORYDB = [
    "memorydb:CreateCluster",
    "memorydb:CreateParameterGroup",
    "memorydb:CreateSubnetGroup",
    "memorydb:DeleteCluster",
    "memorydb:DeleteParameterGroup",
    "memorydb:DeleteSubnetGroup",
    "memorydb:DescribeACLs",
    "memorydb:DescribeClusters",
    "memorydb:DescribeParameterGroups",
    "memorydb:DescribeParameters",
    "memorydb:DescribeSubnetGroups",
    "memorydb:ListTags",
    "memorydb:TagResource",
    "memorydb:UntagResource",
    "memorydb:UpdateCluster",
    "memorydb:UpdateParameterGroup",
    "memorydb:UpdateSubnetGroup",
]
_KMS_KEY = [
    "kms:CreateKey",
    "kms:DescribeKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
]
_IAM_ROLES = [
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:ListRolePolicies",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    # Pulumi rewrites the trust policy when the external ID changes; `cloud register` does
    # not (we always pass --external-id), so it needs no such right.
    "iam:UpdateAssumeRolePolicy",
]
_IAM_PROFILES = [
    "iam:AddRoleToInstanceProfile",
    "iam:CreateInstanceProfile",
    "iam:DeleteInstanceProfile",
    "iam:GetInstanceProfile",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:TagInstanceProfile",
]
# `anyscale cloud register` / `verify` (seed 004, minus CloudFormation and UpdateAssumeRolePolicy).
_VERIFY = [
    "acm:ListCertificates",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "elasticfilesystem:DescribeBackupPolicy",
    "elasticfilesystem:DescribeFileSystemPolicy",
    "elasticfilesystem:DescribeFileSystems",
    "elasticfilesystem:DescribeMountTargets",
    "iam:GetPolicy",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:ListRolePolicies",
    "s3:ListAllMyBuckets",
    "servicequotas:GetServiceQuota",
]
_VERIFY_BUCKET = ["s3:GetBucketCORS", "s3:GetBucketLocation", "s3:GetBucketPolicy", "s3:ListBucket"]
_VERIFY_MEMORYDB = ["memorydb:DescribeClusters", "memorydb:DescribeParameters", "memorydb:DescribeSubnetGroups"]


def deployer_policy(
    *,
    name_prefix: str = "anyscale",
    account_id: str = "*",
    create_network: bool = True,
    nat_gateways: bool = False,
    s3_gateway_endpoint: bool = True,
    create_security_group: bool = True,
    create_bucket: bool = True,
    bucket_name_prefix: str | None = None,
    create_file_system: bool = True,
    memorydb: bool = False,
    create_kms_key: bool = False,
    create_roles: bool = True,
    managed_policy_arns: Sequence[str] = (),
    role_path: str = "/",
) -> dict[str, Any]:
    """The policy document for the deployer of one cloud built with these components.

    ``name_prefix`` is the logical name you gave the component (``AnyscaleAwsCloud("anyscale",
    ...)``): Pulumi names roles, profiles and the bucket ``<prefix>-...``, so IAM and S3 rights
    are scoped to those names. ``account_id`` narrows IAM ARNs to your account.
    """
    statements: list[Statement] = []

    def allow(sid: str, actions: Sequence[str], resource: Any = "*", condition: dict | None = None) -> None:
        statement: Statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)), "Resource": resource}
        if condition:
            statement["Condition"] = condition
        statements.append(statement)

    ec2_write: list[str] = []
    if create_network:
        ec2_write += _VPC_WRITE + (_NAT_WRITE if nat_gateways else []) + (_ENDPOINT_WRITE if s3_gateway_endpoint else [])
    if create_security_group:
        ec2_write += _SG_WRITE
    if create_file_system:
        ec2_write += _EFS_ENI
    # Describe calls and tagging cannot be scoped to resources that do not exist yet.
    allow("NetworkRead", _EC2_READ)
    if ec2_write:
        allow("NetworkWrite", ec2_write)
        allow("NetworkTags", ["ec2:CreateTags", "ec2:DeleteTags"])

    bucket_prefix = bucket_name_prefix or f"{name_prefix}-bucket"
    bucket_arns = [f"arn:aws:s3:::{bucket_prefix}*"]
    if create_bucket:
        allow("Bucket", _S3_BUCKET, bucket_arns)
    if create_file_system:
        allow("FileSystem", _EFS)
    if memorydb:
        # Our cluster, subnet group and parameter group are named "<prefix>-..."; the
        # cluster uses the predefined open-access ACL.
        # These two take no resource ARN (IAM: resource type `*`; found by parliament).
        unscoped = ["memorydb:CreateParameterGroup", "memorydb:CreateSubnetGroup"]
        allow("MemoryDbCreateGroups", unscoped)
        allow(
            "MemoryDb",
            [a for a in _MEMORYDB if a not in unscoped],
            [
                f"arn:aws:memorydb:*:{account_id}:{kind}/{name_prefix}-*"
                for kind in ("cluster", "subnetgroup", "parametergroup")
            ]
            + [f"arn:aws:memorydb:*:{account_id}:acl/open-access"],
        )
        allow(
            "MemoryDbServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            f"arn:aws:iam::{account_id}:role/aws-service-role/memorydb.amazonaws.com/*",
            {"StringEquals": {"iam:AWSServiceName": "memorydb.amazonaws.com"}},
        )
    if create_kms_key:
        allow("KmsCreateKey", ["kms:CreateKey"])  # no key ARN before it exists
        allow("KmsKey", [a for a in _KMS_KEY if a != "kms:CreateKey"], f"arn:aws:kms:*:{account_id}:key/*")

    if create_roles:
        role_arns = f"arn:aws:iam::{account_id}:role{role_path}{name_prefix}-*"
        profile_arns = f"arn:aws:iam::{account_id}:instance-profile{role_path}{name_prefix}-*"
        allow("Roles", _IAM_ROLES, role_arns)
        allow("InstanceProfiles", _IAM_PROFILES, profile_arns)
        # Adding a role to an instance profile passes it: only our node role, only to EC2.
        allow("PassNodeRole", ["iam:PassRole"], role_arns, {"StringEquals": {"iam:PassedToService": c.EC2_SERVICE_PRINCIPAL}})
        policy_arns = [f"arn:aws:iam::aws:policy/{c.ECR_READ_ONLY_POLICY_NAME}", *managed_policy_arns]
        allow(
            "AttachNodePolicies",
            ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            role_arns,
            {"ArnEquals": {"iam:PolicyARN": policy_arns}},
        )

    verify = list(_VERIFY) + (_VERIFY_MEMORYDB if memorydb else [])
    allow("RegisterAndVerify", verify)
    # register/verify read the bucket (yours too: give bucket_name_prefix for an existing one).
    allow("VerifyBucket", _VERIFY_BUCKET, bucket_arns)
    return {"Version": VERSION, "Statement": statements}

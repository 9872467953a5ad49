"""A hand-written, compliant Anyscale cloud as policy records (no components involved:
the rules must judge resources by type and properties only).

Every policy document is literal JSON written out here, not built by
``anyscale_infra/aws/policies.py``: the rules are judged against what AWS would do with
these documents, so a change to our own builders cannot move the fixtures with it."""

from __future__ import annotations

import copy
import json
from typing import Any

ACCOUNT = "000000000001"
CLOUD_ID = "cld_abc123def456ghi789jkl012"
ANYSCALE_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/anyscale-role"
NODE_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/nodes"


def urn(resource_type: str, name: str) -> str:
    return f"urn:pulumi:ci::hand-written::{resource_type}::{name}"


def record(resource_type: str, name: str, props: dict[str, Any], ident: str | None = None) -> dict[str, Any]:
    return {
        "urn": urn(resource_type, name),
        "type": resource_type,
        "name": name,
        "props": props,
        "outputs": props,
        "id": ident,
    }


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


EXTERNAL_ID = "org_abc123-x7Y2kq"
INSTANCE_ARNS = "arn:aws:ec2:*:*:instance/*"
TAG = "aws:ResourceTag/anyscale-cloud-id"

#: seed 004's trust relationship for the cross-account role, with the External ID.
TRUST = {
    "Sid": "AnyscaleControlPlaneAssumeRole",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::525325868955:root"},
    "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
}
NODE_TRUST = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}

#: The tag-scoped steady-state statements (seed 004, second phase), start on aws:ResourceTag.
SCOPED_STATEMENTS = [
    {"Sid": "IAM", "Effect": "Allow", "Action": "iam:PassRole", "Resource": [NODE_ROLE_ARN],
     "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}},
    {"Sid": "IAMInstanceProfiles", "Effect": "Allow", "Action": "iam:GetInstanceProfile",
     "Resource": [f"arn:aws:iam::{ACCOUNT}:instance-profile/nodes"]},
    {"Sid": "DescribeRunningResources", "Effect": "Allow",
     "Action": ["ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups"],
     "Resource": "*"},
    {"Sid": "InstanceTagMangement", "Effect": "Allow", "Action": ["ec2:CreateTags", "ec2:DeleteTags"], "Resource": "*"},
    {"Sid": "DenyTaggingOnOtherInstances", "Effect": "Deny", "Action": "ec2:CreateTags", "Resource": INSTANCE_ARNS,
     "Condition": {"StringNotEquals": {TAG: CLOUD_ID, "ec2:CreateAction": ["RunInstances", "StartInstances"]}}},
    {"Sid": "DenyUntaggingOnOtherInstances", "Effect": "Deny", "Action": "ec2:DeleteTags", "Resource": INSTANCE_ARNS,
     "Condition": {"StringNotEquals": {TAG: CLOUD_ID}}},
    {"Sid": "RestrictedInstanceStop", "Effect": "Allow", "Action": ["ec2:TerminateInstances", "ec2:StopInstances"],
     "Resource": INSTANCE_ARNS, "Condition": {"StringEquals": {TAG: CLOUD_ID}}},
    {"Sid": "RestrictedInstanceStart", "Effect": "Allow", "Action": "ec2:StartInstances", "Resource": INSTANCE_ARNS,
     "Condition": {"StringEquals": {TAG: CLOUD_ID}}},
    {"Sid": "RestrictedInstanceRun", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
     "Condition": {"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID},
                   "ForAnyValue:StringEquals": {"aws:TagKeys": ["anyscale-cloud-id"]}}},
    {"Sid": "AllowRunInstancesForUntaggedResources", "Effect": "Allow", "Action": "ec2:RunInstances",
     "Resource": ["arn:aws:ec2:*::image/*", "arn:aws:ec2:*::snapshot/*", "arn:aws:ec2:*:*:subnet/*",
                  "arn:aws:ec2:*:*:network-interface/*", "arn:aws:ec2:*:*:security-group/*",
                  "arn:aws:ec2:*:*:key-pair/*", "arn:aws:ec2:*:*:volume/*"]},
    {"Sid": "EFSManagement", "Effect": "Allow", "Action": "elasticfilesystem:DescribeMountTargets", "Resource": "*"},
]
#: seed 004 "S3": both roles, and no request without TLS.
BUCKET_STATEMENTS = [
    {"Sid": "AllowRoleAccess", "Effect": "Allow", "Principal": {"AWS": [ANYSCALE_ROLE_ARN, NODE_ROLE_ARN]},
     "Action": ["s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::acme-anyscale/*", "arn:aws:s3:::acme-anyscale"]},
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::acme-anyscale", "arn:aws:s3:::acme-anyscale/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
]


def compliant_cloud() -> list[dict[str, Any]]:
    return [
        record("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}, "vpc-1"),
        record("aws:ec2/subnet:Subnet", "a", {"vpcId": "vpc-1", "cidrBlock": "10.0.0.0/20", "availabilityZone": "us-west-2a", "mapPublicIpOnLaunch": True}, "subnet-a"),
        record("aws:ec2/subnet:Subnet", "b", {"vpcId": "vpc-1", "cidrBlock": "10.0.16.0/20", "availabilityZone": "us-west-2b", "mapPublicIpOnLaunch": True}, "subnet-b"),
        record("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", {"vpcId": "vpc-1", "serviceName": "com.amazonaws.us-west-2.s3", "vpcEndpointType": "Gateway"}, "vpce-1"),
        record("aws:ec2/securityGroup:SecurityGroup", "sg", {"vpcId": "vpc-1", "description": "anyscale"}, "sg-1"),
        record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "203.0.113.0/24"}, "sgr-1"),
        record("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "self-in", {"securityGroupId": "sg-1", "ipProtocol": "-1", "referencedSecurityGroupId": "sg-1"}, "sgr-2"),
        record("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "all-out", {"securityGroupId": "sg-1", "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}, "sgr-3"),
        record("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "self-out", {"securityGroupId": "sg-1", "ipProtocol": "-1", "referencedSecurityGroupId": "sg-1"}, "sgr-4"),
        record("aws:s3/bucket:Bucket", "data", {"bucket": "acme-anyscale"}, "acme-anyscale"),
        record("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "cors", {"bucket": "acme-anyscale", "corsRules": [{
            "allowedHeaders": ["*"], "allowedMethods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
            "allowedOrigins": ["https://*.anyscale.com"], "exposeHeaders": ["Accept-Ranges", "Content-Range", "Content-Length"]}]}, "acme-anyscale"),
        record("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", {"bucket": "acme-anyscale", "blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}, "acme-anyscale"),
        record("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {"bucket": "acme-anyscale", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}, "acme-anyscale"),
        record("aws:s3/bucketVersioning:BucketVersioning", "versioning", {"bucket": "acme-anyscale", "versioningConfiguration": {"status": "Enabled"}}, "acme-anyscale"),
        record("aws:s3/bucketPolicy:BucketPolicy", "bucket-policy", {"bucket": "acme-anyscale", "policy": _doc(*BUCKET_STATEMENTS)}, "acme-anyscale"),
        record("aws:iam/role:Role", "anyscale-role", {"name": "anyscale-role", "arn": ANYSCALE_ROLE_ARN, "assumeRolePolicy": _doc(TRUST)}, "anyscale-role"),
        record("aws:iam/rolePolicy:RolePolicy", "steady", {"role": "anyscale-role", "name": "Anyscale_IAM_Policy_Steady_State", "policy": _doc(*SCOPED_STATEMENTS)}, "anyscale-role:steady"),
        record("aws:iam/role:Role", "nodes", {"name": "nodes", "arn": NODE_ROLE_ARN, "assumeRolePolicy": _doc(NODE_TRUST)}, "nodes"),
        record("aws:iam/instanceProfile:InstanceProfile", "nodes-profile", {"name": "nodes", "role": "nodes"}, "nodes"),
        record("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ecr", {"role": "nodes", "policyArn": "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"}, "nodes-ecr"),
        record("aws:efs/fileSystem:FileSystem", "efs", {"encrypted": True}, "fs-1"),
        record("aws:efs/backupPolicy:BackupPolicy", "efs-backup", {"fileSystemId": "fs-1", "backupPolicy": {"status": "ENABLED"}}, "fs-1"),
        record("aws:efs/mountTarget:MountTarget", "mount-a", {"fileSystemId": "fs-1", "subnetId": "subnet-a", "securityGroups": ["sg-1"]}, "fsmt-a"),
        record("aws:efs/mountTarget:MountTarget", "mount-b", {"fileSystemId": "fs-1", "subnetId": "subnet-b", "securityGroups": ["sg-1"]}, "fsmt-b"),
        record("aws:memorydb/parameterGroup:ParameterGroup", "params", {"name": "anyscale-params", "family": "memorydb_redis7", "parameters": [{"name": "maxmemory-policy", "value": "allkeys-lru"}]}, "anyscale-params"),
        record("aws:memorydb/subnetGroup:SubnetGroup", "mdb-subnets", {"name": "anyscale-subnets", "subnetIds": ["subnet-a", "subnet-b"]}, "anyscale-subnets"),
        record("aws:memorydb/cluster:Cluster", "mdb", {"name": "anyscale", "tlsEnabled": True, "numReplicasPerShard": 1, "parameterGroupName": "anyscale-params", "subnetGroupName": "anyscale-subnets", "securityGroupIds": ["sg-1"], "nodeType": "db.t4g.small"}, "anyscale"),
    ]


def edit(stack: list[dict[str, Any]], resource_name: str, /, **props: Any) -> list[dict[str, Any]]:
    """A copy of ``stack`` with ``props`` set on the resource ``resource_name`` (``None`` deletes)."""
    changed = copy.deepcopy(stack)
    for r in changed:
        if r["name"] == resource_name:
            for key, value in props.items():
                if value is None:
                    r["props"].pop(key, None)
                else:
                    r["props"][key] = value
            r["outputs"] = r["props"]
    return changed


def without(stack: list[dict[str, Any]], *names: str) -> list[dict[str, Any]]:
    return [r for r in copy.deepcopy(stack) if r["name"] not in names]


def plus(stack: list[dict[str, Any]], *records: dict[str, Any]) -> list[dict[str, Any]]:
    return copy.deepcopy(stack) + list(records)


def doc(*statements: dict[str, Any]) -> str:
    return _doc(*statements)

"""IAM, trust and bucket policy documents for an Anyscale cloud on AWS, as plain dicts.

Pure functions on plain strings: no Pulumi in here, so every document can be unit-tested,
linted (parliament) and reused outside our components. Statements follow seed 004
("IAM Role for cross account access", "IAM Role for Ray Cluster Nodes", "S3") and the
CLI's ``aws_iam_policies.py`` (what ``cloud register``'s verifier looks for); every
deviation from the seed is commented with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.validation import oidc_provider_path
from anyscale_infra.kubernetes import constants as kc

Policy = dict[str, Any]
Statement = dict[str, Any]

VERSION = "2012-10-17"


def _doc(statements: list[Statement]) -> Policy:
    return {"Version": VERSION, "Statement": statements}


# --- Trust policies --------------------------------------------------------------------


def anyscale_trust_policy(
    external_id: str, anyscale_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID
) -> Policy:
    """Trust for the cross-account role: Anyscale's account root, with an External ID.

    The verifier wants ``"Action": "sts:AssumeRole"`` as a plain string (a list fails its
    check) and the principal ``arn:aws:iam::<account>:root``. ``cloud register
    --external-id`` checks that *every* statement carries the ID under
    ``StringEquals.sts:ExternalId``, so there is exactly one statement and it does.
    """
    return _doc(
        [
            {
                "Sid": "AnyscaleControlPlaneAssumeRole",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{anyscale_account_id}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
            }
        ]
    )


def instance_trust_policy() -> Policy:
    """Trust for the cluster node role: the EC2 service (seed 004; verifier)."""
    return _doc(
        [
            {
                "Sid": "AllowEc2AssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": c.EC2_SERVICE_PRINCIPAL},
                "Action": "sts:AssumeRole",
            }
        ]
    )


# --- The cross-account role's permissions ------------------------------------------------

#: seed 004 steady-state statements that stay the same in both policy modes.
_RETRIEVE_GENERIC = [
    "ec2:DescribeAvailabilityZones",
    # Not in the seed; the verifier's list has it (capacity reservations).
    "ec2:DescribeCapacityReservations",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeRegions",
    "ec2:DescribeAccountAttributes",
]
_DESCRIBE_RUNNING = [
    "ec2:DescribeInstances",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
]
_INSTANCE_SPOT = [
    "ec2:CancelSpotInstanceRequests",
    "ec2:ModifyImageAttribute",
    "ec2:ModifyInstanceAttribute",
    "ec2:RequestSpotInstances",
]
_RESOURCE_MANAGEMENT_EXTENDED = [
    "ec2:AttachVolume",
    "ec2:CreateVolume",
    "ec2:DescribeVolumes",
    "ec2:AssociateIamInstanceProfile",
    "ec2:DisassociateIamInstanceProfile",
    "ec2:ReplaceIamInstanceProfileAssociation",
    "ec2:CreatePlacementGroup",
    "ec2:AllocateAddress",
    "ec2:ReleaseAddress",
    "ec2:DescribeIamInstanceProfileAssociations",
    "ec2:DescribeInstanceStatus",
    "ec2:DescribePlacementGroups",
    "ec2:DescribePrefixLists",
    "ec2:DescribeReservedInstancesOfferings",
    "ec2:DescribeSpotInstanceRequests",
    "ec2:DescribeSpotPriceHistory",
]
#: Resources RunInstances touches that carry no tag at launch (seed 004, scoped policy).
UNTAGGED_RUN_INSTANCES_RESOURCES = [
    "arn:aws:ec2:*::image/*",
    "arn:aws:ec2:*::snapshot/*",
    "arn:aws:ec2:*:*:subnet/*",
    "arn:aws:ec2:*:*:network-interface/*",
    "arn:aws:ec2:*:*:security-group/*",
    "arn:aws:ec2:*:*:key-pair/*",
    "arn:aws:ec2:*:*:volume/*",
]
SPOT_SERVICE_NAME = "spot.amazonaws.com"
SPOT_SERVICE_LINKED_ROLE_ARN = (
    "arn:aws:iam::*:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"
)


def steady_state_policy(
    passable_role_arns: Sequence[str],
    instance_profile_arns: Sequence[str],
    cloud_id: Optional[str] = None,
) -> Policy:
    """``Anyscale_IAM_Policy_Steady_State``: what Anyscale needs to run clusters.

    ``passable_role_arns``: the roles Anyscale may hand to instances (the seed says
    ``iam:PassRole`` "can be restricted"; we restrict it to the cluster node role and any
    role the caller adds). ``instance_profile_arns``: their instance profiles.

    Without ``cloud_id`` (first phase of seed 004's two-phase flow) instances are started
    and stopped on ``*`` (seed statements ``InstanceStart``/``InstanceStop``). With the
    ``cloud_id`` that ``cloud register`` printed, those two are replaced by the seed's
    tag-scoped statements; see :func:`_scoped_instance_statements`.
    """
    statements: list[Statement] = [
        {
            "Sid": "IAM",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": list(passable_role_arns),
            # Roles are only ever passed to EC2 instances.
            "Condition": {"StringEquals": {"iam:PassedToService": c.EC2_SERVICE_PRINCIPAL}},
        },
        {
            # Split from the seed's "IAM" statement: GetInstanceProfile applies to
            # instance profiles, PassRole to roles; one statement per resource kind.
            "Sid": "IAMInstanceProfiles",
            "Effect": "Allow",
            "Action": "iam:GetInstanceProfile",
            "Resource": list(instance_profile_arns),
        },
        {
            "Sid": "RetrieveGenericAWSResources",
            "Effect": "Allow",
            "Action": list(_RETRIEVE_GENERIC),
            "Resource": "*",
        },
        {
            "Sid": "DescribeRunningResources",
            "Effect": "Allow",
            "Action": list(_DESCRIBE_RUNNING),
            "Resource": "*",
        },
        {
            "Sid": "InstanceTagMangement",  # sic: the seed's Sid, kept for drift-free diffs
            "Effect": "Allow",
            "Action": ["ec2:CreateTags", "ec2:DeleteTags"],
            "Resource": "*",
        },
    ]
    if cloud_id is None:
        statements += [
            {
                "Sid": "InstanceStart",
                "Effect": "Allow",
                "Action": ["ec2:StartInstances", "ec2:RunInstances"],
                "Resource": "*",
            },
            {
                "Sid": "InstanceStop",
                "Effect": "Allow",
                "Action": ["ec2:TerminateInstances", "ec2:StopInstances"],
                "Resource": "*",
            },
        ]
    else:
        statements += _scoped_instance_statements(cloud_id)
    statements += [
        {
            "Sid": "InstanceManagementSpot",
            "Effect": "Allow",
            "Action": list(_INSTANCE_SPOT),
            "Resource": "*",
        },
        {
            "Sid": "ResourceManagementExtended",
            "Effect": "Allow",
            "Action": list(_RESOURCE_MANAGEMENT_EXTENDED),
            "Resource": "*",
        },
        {
            "Sid": "EFSManagement",
            "Effect": "Allow",
            "Action": "elasticfilesystem:DescribeMountTargets",
            "Resource": "*",
        },
        {
            # Only needed the first time Spot is used in the account (seed 004). The seed also
            # lists iam:PutRolePolicy here, under the same iam:AWSServiceName condition: a key
            # PutRolePolicy requests never carry, so that grant never applied (and AWS forbids
            # editing a service-linked role's policies anyway). The CLI's own policy
            # (aws_iam_policies.py, "CreateSpotRole") grants CreateServiceLinkedRole alone.
            "Sid": "CreateSpotServiceLinkedRole",
            "Effect": "Allow",
            "Action": "iam:CreateServiceLinkedRole",
            "Resource": SPOT_SERVICE_LINKED_ROLE_ARN,
            "Condition": {"StringEquals": {"iam:AWSServiceName": SPOT_SERVICE_NAME}},
        },
    ]
    return _doc(statements)


INSTANCE_ARNS = "arn:aws:ec2:*:*:instance/*"


def _scoped_instance_statements(cloud_id: str) -> list[Statement]:
    """seed 004's tag-scoped replacements for ``InstanceStart``/``InstanceStop``.

    One fix on top of the seed (and Anyscale's Terraform module, which has the same bug):
    the seed's ``RestrictedInstanceStart`` allows ``ec2:StartInstances`` only when the
    *request* carries the ``anyscale-cloud-id`` tag, but a StartInstances call carries no
    tags (only RunInstances does), so a stopped cluster could never be started again.
    Here ``RestrictedInstanceStart`` allows StartInstances on instances that already
    *carry* the tag (``aws:ResourceTag``), and launching stays under the seed's request-tag
    condition in ``RestrictedInstanceRun``.
    """
    tag = c.CLOUD_ID_TAG_KEY
    return [
        {
            # The seed's one Deny for CreateTags and DeleteTags, split in two that say what it
            # means: ec2:CreateAction only exists on CreateTags requests (tagging as part of
            # RunInstances), so for DeleteTags that half of the condition was always true.
            "Sid": "DenyTaggingOnOtherInstances",
            "Effect": "Deny",
            "Action": "ec2:CreateTags",
            "Resource": INSTANCE_ARNS,
            "Condition": {
                "StringNotEquals": {
                    f"aws:ResourceTag/{tag}": cloud_id,
                    "ec2:CreateAction": ["RunInstances", "StartInstances"],
                }
            },
        },
        {
            "Sid": "DenyUntaggingOnOtherInstances",
            "Effect": "Deny",
            "Action": "ec2:DeleteTags",
            "Resource": INSTANCE_ARNS,
            "Condition": {"StringNotEquals": {f"aws:ResourceTag/{tag}": cloud_id}},
        },
        {
            "Sid": "RestrictedInstanceStop",
            "Effect": "Allow",
            "Action": ["ec2:TerminateInstances", "ec2:StopInstances"],
            # Instances only (the seed writes `*`; these actions act on nothing else).
            "Resource": INSTANCE_ARNS,
            "Condition": {"StringEquals": {f"aws:ResourceTag/{tag}": cloud_id}},
        },
        {
            "Sid": "RestrictedInstanceStart",
            "Effect": "Allow",
            "Action": "ec2:StartInstances",
            "Resource": INSTANCE_ARNS,
            "Condition": {"StringEquals": {f"aws:ResourceTag/{tag}": cloud_id}},
        },
        {
            "Sid": "RestrictedInstanceRun",
            "Effect": "Allow",
            "Action": "ec2:RunInstances",
            "Resource": "*",
            "Condition": {
                "StringEquals": {f"aws:RequestTag/{tag}": cloud_id},
                "ForAnyValue:StringEquals": {"aws:TagKeys": [tag]},
            },
        },
        {
            "Sid": "AllowRunInstancesForUntaggedResources",
            "Effect": "Allow",
            "Action": "ec2:RunInstances",
            "Resource": list(UNTAGGED_RUN_INSTANCES_RESOURCES),
        },
    ]


def services_policy() -> Policy:
    """``Anyscale_IAM_Policy_Service_Steady_State``: what Anyscale Services need (seed 004).

    ``elasticloadbalancing:DescribeTags`` is not in the seed but is in the verifier's list.
    """
    elb_write = [
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
    ]
    return _doc(
        [
            {
                "Sid": "CFN",
                "Effect": "Allow",
                "Action": [
                    "cloudformation:TagResource",
                    "cloudformation:UntagResource",
                    "cloudformation:CreateStack",
                    "cloudformation:UpdateStack",
                    "cloudformation:DeleteStack",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:DescribeStackResources",
                    "cloudformation:DescribeStacks",
                    "cloudformation:GetTemplate",
                ],
                "Resource": "*",
            },
            {
                "Sid": "ELBDescribe",
                "Effect": "Allow",
                "Action": [
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeListenerCertificates",
                    "elasticloadbalancing:DescribeTags",
                ],
                "Resource": "*",
            },
            {
                "Sid": "EC2Describe",
                "Effect": "Allow",
                "Action": ["ec2:DescribeVpcs", "ec2:DescribeInternetGateways"],
                "Resource": "*",
            },
            {
                "Sid": "ELBCerts",
                "Effect": "Allow",
                "Action": [
                    "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates",
                ],
                "Resource": "*",
            },
            {"Sid": "ACMList", "Effect": "Allow", "Action": "acm:ListCertificates", "Resource": "*"},
            {
                "Sid": "ACM",
                "Effect": "Allow",
                "Action": [
                    "acm:DeleteCertificate",
                    "acm:RenewCertificate",
                    "acm:RequestCertificate",
                    "acm:AddTagsToCertificate",
                    "acm:DescribeCertificate",
                    "acm:GetCertificate",
                    "acm:ListTagsForCertificate",
                ],
                "Resource": "*",
            },
            {
                "Sid": "ELBWrite",
                "Effect": "Allow",
                "Action": elb_write,
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:CalledViaFirst": "cloudformation.amazonaws.com"}
                },
            },
            {
                "Sid": "LinkELBService",
                "Effect": "Allow",
                "Action": "iam:CreateServiceLinkedRole",
                "Resource": "*",
                "Condition": {
                    "StringLike": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
                },
            },
            {
                "Sid": "IAMPolicies",
                "Effect": "Allow",
                "Action": [
                    "iam:AttachRolePolicy",
                    "iam:PutRolePolicy",
                    "iam:UpdateRoleDescription",
                    "iam:DeleteServiceLinkedRole",
                    "iam:GetServiceLinkedRoleDeletionStatus",
                ],
                "Resource": (
                    "arn:aws:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                    "AWSServiceRoleForElasticLoadBalancing"
                ),
            },
        ]
    )


# --- S3 -----------------------------------------------------------------------------------


def bucket_arn(bucket_name: str) -> str:
    return f"arn:aws:s3:::{bucket_name}"


def bucket_policy(bucket_name: str, role_arns: Sequence[str]) -> Policy:
    """Bucket policy: both roles get Put/Get/Delete/List (seed 004 "S3"), and any request
    not made over TLS is denied (AWS Foundational Security Best Practices S3.5).

    The deny statement has the wildcard principal ``*`` on purpose: it must apply to every
    caller. Allow statements never use a wildcard principal.
    """
    arn = bucket_arn(bucket_name)
    return _doc(
        [
            {
                # Letters and digits only: the IAM grammar for Sid (linted by parliament).
                "Sid": "AllowRoleAccess",
                "Effect": "Allow",
                "Principal": {"AWS": list(role_arns)},
                "Action": list(c.BUCKET_ROLE_ACTIONS),
                "Resource": [f"{arn}/*", arn],
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ]
    )


def bucket_access_policy(bucket_name: str, kms_key_arn: Optional[str] = None) -> Policy:
    """Identity policy giving a role the bucket (seed 004 "IAM Role for Ray Cluster Nodes").

    With an SSE-KMS key, the role also gets ``kms:GenerateDataKey`` and ``kms:Decrypt`` on
    that key (seed 004 "S3": "both IAM roles need ... permissions for the key").
    """
    arn = bucket_arn(bucket_name)
    statements: list[Statement] = [
        {"Sid": "ListObjectsInBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn},
        {"Sid": "AllObjectActions", "Effect": "Allow", "Action": "s3:*Object", "Resource": f"{arn}/*"},
    ]
    if kms_key_arn is not None:
        statements.append(kms_statement(kms_key_arn))
    return _doc(statements)


def kms_statement(kms_key_arn: str) -> Statement:
    return {
        "Sid": "UseBucketKmsKey",
        "Effect": "Allow",
        "Action": list(c.KMS_ROLE_ACTIONS),
        "Resource": kms_key_arn,
    }



# --- EKS (Kubernetes compute stack) ----------------------------------------------------------


def eks_cluster_trust_policy() -> Policy:
    """Trust for an EKS cluster's role: the EKS service (EKS user guide, cluster IAM role)."""
    return _doc(
        [
            {
                "Sid": "AllowEksAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": c.EKS_SERVICE_PRINCIPAL},
                "Action": "sts:AssumeRole",
            }
        ]
    )


def irsa_trust_policy(oidc_provider_arn: str, namespace: str, service_account: str) -> Policy:
    """IAM roles for service accounts: the cluster's OIDC provider may exchange the token of
    ``<namespace>/<service_account>`` (and of no other account), issued for STS.

    The CLI's own operator role (setup_k8s) conditions on ``:sub`` only; ``:aud`` =
    ``sts.amazonaws.com`` is what the EKS user guide adds so a token minted for another
    audience cannot be replayed here. The condition keys are the provider's host and path
    (the part of its ARN after ``oidc-provider/``).
    """
    path = oidc_provider_path(oidc_provider_arn)
    return _doc(
        [
            {
                "Sid": "AllowServiceAccountWebIdentity",
                "Effect": "Allow",
                "Principal": {"Federated": oidc_provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{path}:sub": kc.SERVICE_ACCOUNT_SUBJECT.format(namespace=namespace, service_account=service_account),
                        f"{path}:aud": c.STS_AUDIENCE,
                    }
                },
            }
        ]
    )


def pod_identity_trust_policy(
    cluster_name: Optional[str] = None,
    namespace: Optional[str] = None,
    service_account: Optional[str] = None,
) -> Policy:
    """EKS Pod Identity: the Pod Identity service assumes the role and tags the session
    (``sts:AssumeRole`` + ``sts:TagSession``; EKS user guide, pod-id-role).

    Given a cluster, namespace and service account, the session tags Pod Identity sets
    (``eks-cluster-name``, ``kubernetes-namespace``, ``kubernetes-service-account``) must
    match them, so no other association in the account can use the role (the user guide's
    "Setting Conditions"). Keep session tags enabled on the association.
    """
    statement: Statement = {
        "Sid": "AllowEksPodIdentity",
        "Effect": "Allow",
        "Principal": {"Service": c.EKS_POD_IDENTITY_PRINCIPAL},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    tags = {
        "aws:RequestTag/eks-cluster-name": cluster_name,
        "aws:RequestTag/kubernetes-namespace": namespace,
        "aws:RequestTag/kubernetes-service-account": service_account,
    }
    if any(value is not None for value in tags.values()):
        statement["Condition"] = {"StringEquals": {k: v for k, v in tags.items() if v is not None}}
    return _doc([statement])


def efs_file_system_arn(region: str, account_id: str, file_system_id: str) -> str:
    return f"arn:aws:elasticfilesystem:{region}:{account_id}:file-system/{file_system_id}"


def operator_access_policy(
    bucket_name: str, kms_key_arn: Optional[str] = None, file_system_arn: Optional[str] = None
) -> Policy:
    """The Anyscale operator's role on EKS (also what workload pods get: they run as its
    service account): the cloud's bucket and nothing else.

    The CLI's own operator role (setup_k8s: ``AnyscaleS3AccessPolicy``) grants GetObject,
    PutObject, DeleteObject and ListBucket on the bucket and its objects in one statement;
    here ListBucket is on the bucket and the object actions on its objects (each action on
    the resource type it acts on). SSE-KMS adds the key (seed 004 "S3"); EFS adds client
    mount and write on that one file system (the anchor attaches
    AmazonElasticFileSystemClientReadWriteAccess, which covers every file system).
    """
    arn = bucket_arn(bucket_name)
    statements: list[Statement] = [
        {"Sid": "ListAnyscaleBucket", "Effect": "Allow", "Action": list(c.OPERATOR_BUCKET_ACTIONS), "Resource": arn},
        {
            "Sid": "AnyscaleBucketObjects",
            "Effect": "Allow",
            "Action": list(c.OPERATOR_BUCKET_OBJECT_ACTIONS),
            "Resource": f"{arn}/*",
        },
    ]
    if kms_key_arn is not None:
        statements.append(kms_statement(kms_key_arn))
    if file_system_arn is not None:
        statements.append(
            {
                "Sid": "AnyscaleFileSystemClient",
                "Effect": "Allow",
                "Action": list(c.EFS_CLIENT_ACTIONS),
                "Resource": file_system_arn,
            }
        )
    return _doc(statements)


def cluster_autoscaler_policy(cluster_name: str) -> Policy:
    """The cluster autoscaler's role (its AWS README's policy; the anchor's
    ``autoscaler_policy``), with scaling limited to this cluster's node groups: EKS tags a
    managed node group's Auto Scaling group ``k8s.io/cluster-autoscaler/<cluster>=owned``,
    and only those may be resized or have instances terminated (the README's restricted
    variant; the anchor grants it on every group in the account)."""
    return _doc(
        [
            {
                "Sid": "DescribeScalingResources",
                "Effect": "Allow",
                "Action": [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                "Resource": "*",
            },
            {
                "Sid": "DescribeClusterNodegroups",
                "Effect": "Allow",
                "Action": "eks:DescribeNodegroup",
                "Resource": f"arn:aws:eks:*:*:nodegroup/{cluster_name}/*",
            },
            {
                "Sid": "ScaleClusterNodegroups",
                "Effect": "Allow",
                "Action": ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {f"aws:ResourceTag/{c.CLUSTER_AUTOSCALER_TAG_PREFIX}{cluster_name}": "owned"}
                },
            },
        ]
    )

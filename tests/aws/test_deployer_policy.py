"""The deployer's least-privilege policy: only what the enabled parts need, scoped."""

from __future__ import annotations

import itertools
import json

import pytest

from anyscale_infra.aws import AnyscaleAwsCloudArgs, AnyscaleNetworkArgs, AnyscaleSecurityGroupArgs
from anyscale_infra.aws.deployer_policy import deployer_policy

MANAGED_POLICY_LIMIT = 6144  # characters, whitespace excluded


def actions(document, sid=None):
    return {a for s in document["Statement"] if sid in (None, s["Sid"]) for a in s["Action"]}


def statement(document, sid):
    return next(s for s in document["Statement"] if s["Sid"] == sid)


def test_defaults_cover_a_direct_cloud_and_nothing_more():
    doc = deployer_policy(account_id="000000000001")
    granted = actions(doc)
    assert {"ec2:CreateVpc", "ec2:CreateVpcEndpoint", "s3:PutBucketCORS", "elasticfilesystem:CreateMountTarget",
            "iam:CreateRole", "iam:AddRoleToInstanceProfile", "servicequotas:GetServiceQuota"} <= granted
    assert not {a for a in granted if a.startswith(("memorydb:", "kms:", "cloudformation:"))}
    assert "ec2:CreateNatGateway" not in granted
    assert "iam:UpdateAssumeRolePolicy" in actions(doc, "Roles")  # Pulumi's own trust updates only
    assert "iam:UpdateAssumeRolePolicy" not in actions(doc, "RegisterAndVerify")  # we pass --external-id


def test_iam_and_s3_are_scoped_to_the_component_names():
    doc = deployer_policy(name_prefix="ml", account_id="000000000001")
    assert statement(doc, "Roles")["Resource"] == "arn:aws:iam::000000000001:role/ml-*"
    assert statement(doc, "InstanceProfiles")["Resource"] == "arn:aws:iam::000000000001:instance-profile/ml-*"
    assert statement(doc, "Bucket")["Resource"] == ["arn:aws:s3:::ml-bucket*"]
    passrole = statement(doc, "PassNodeRole")
    assert passrole["Action"] == ["iam:PassRole"]
    assert passrole["Condition"] == {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    attach = statement(doc, "AttachNodePolicies")
    assert attach["Condition"] == {
        "ArnEquals": {"iam:PolicyARN": ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]}
    }


def test_optional_parts_add_their_rights():
    doc = deployer_policy(nat_gateways=True, memorydb=True, create_kms_key=True, account_id="000000000001")
    granted = actions(doc)
    assert {"ec2:CreateNatGateway", "ec2:AllocateAddress", "memorydb:CreateCluster", "kms:CreateKey",
            "kms:EnableKeyRotation", "iam:CreateServiceLinkedRole", "memorydb:DescribeParameters"} <= granted
    assert statement(doc, "MemoryDbServiceLinkedRole")["Condition"] == {
        "StringEquals": {"iam:AWSServiceName": "memorydb.amazonaws.com"}
    }
    assert statement(doc, "KmsKey")["Resource"] == "arn:aws:kms:*:000000000001:key/*"


def test_existing_network_needs_no_network_writes():
    doc = deployer_policy(create_network=False, create_security_group=False, create_file_system=False)
    assert not any(s["Sid"] == "NetworkWrite" for s in doc["Statement"])


@pytest.mark.parametrize("combo", list(itertools.product([True, False], repeat=5)))
def test_every_variant_fits_a_managed_policy(combo):
    network, nat, memorydb, kms, roles = combo
    doc = deployer_policy(create_network=network, nat_gateways=nat, memorydb=memorydb, create_kms_key=kms,
                          create_roles=roles, account_id="000000000001", managed_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    assert len(json.dumps(doc, separators=(",", ":"))) < MANAGED_POLICY_LIMIT


def test_cloud_args_pick_the_variant():
    args = AnyscaleAwsCloudArgs(
        cloud_name="prod",
        org_id="org_abc123",
        network=AnyscaleNetworkArgs(networking="private"),
        enable_memorydb=True,
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["10.0.0.0/8"]),
    )
    granted = actions(args.deployer_policy("prod"))
    assert {"ec2:CreateNatGateway", "memorydb:CreateCluster"} <= granted
    assert statement(args.deployer_policy("prod"), "Roles")["Resource"] == "arn:aws:iam::*:role/prod-*"


def test_root_stack_exports_it_on_request():
    from pathlib import Path

    from anyscale_infra.preview import run_program

    root = Path(__file__).resolve().parents[2]
    assert "deployer_policy" not in run_program(root).outputs
    exported = run_program(root, config={"exportDeployerPolicy": "true"}).outputs["deployer_policy"]
    assert statement(exported, "Roles")["Resource"] == "arn:aws:iam::*:role/anyscale-*"

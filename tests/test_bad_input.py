"""Bad input at the command line: `anyscale-infra preview` answers exit code 2 (never 1, never
a traceback) with a message that names what to fix — the stack config key
(``anyscale-cloud:<key>``) or the args field — and the rule it breaks.

Two sources of bad input:

* stack config of the root project (one case per key group of ``CONFIG_KEYS``, plus keys
  that conflict), checked when the program reads its config;
* component arguments only checked at deploy time (the region's AZs, ids that are outputs),
  in small programs written to ``tmp_path``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.aws.config import CONFIG_KEYS
from anyscale_infra.cli import main

ROOT = Path(__file__).resolve().parents[1]
ORG = "org_previewOnly0000000000"  # Pulumi.preview.yaml of the root project
ROLE = "arn:aws:iam::210987654321:role/"
KEY_ARN = "arn:aws:kms:us-west-2:210987654321:key/0b1c2d3e-1111-2222-3333-444455556666"
VPC = "vpc-0a1b2c3d4e5f67890"
SUBNETS = '["subnet-0a1b2c3d4e5f67890","subnet-0a1b2c3d4e5f67891"]'


def preview(directory: Path | str, *config: str):
    args = ["preview", str(directory)]
    for pair in config:
        args += ["--config", pair]
    outcome = CliRunner().invoke(main, args)
    return outcome, " ".join(outcome.output.split())


def assert_bad_input(outcome, message: str, *needles: str) -> None:
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert message.startswith("error: "), message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


# (config pairs, the key the message must name, the rule's phrase)
CONFIG_CASES = [
    # identity
    (["cloudName=has space"], "cloudName", "cloud name 'has space' must be 1 to 128 characters"),
    (["cloudName=" + "a" * 129], "cloudName", "must be 1 to 128 characters"),
    (["orgId=org-1"], "orgId", "'org-1' is not an Anyscale organization id"),
    (["externalId=abc-123"], "externalId", "must start with your Anyscale organization id"),
    (["externalId=a"], "externalId", "must be 2 to 1224 characters"),
    (["externalId=org_other-x"], "externalId", f"must start with the organization id {ORG}"),
    (["cloudId=cloud-1"], "cloudId", "'cloud-1' is not an Anyscale cloud id"),
    # network
    (["networking=public"], "networking", "'direct' or 'private'"),
    (["vpcCidr=10.0.0.0"], "vpcCidr", "'10.0.0.0' is not an IPv4 CIDR block"),
    (["vpcCidr=10.0.0.0/25"], "vpcCidr", "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
    (["vpcCidr=10.0.0.0/15"], "vpcCidr", "10.0.0.0/15 is larger than the /16"),
    (["vpcCidr=10.0.0.1/16"], "vpcCidr", "host bits set; did you mean 10.0.0.0/16"),
    (['availabilityZones=["us-west-2a"]'], "availabilityZones", "at least 2 availability zones"),
    (['availabilityZones=["us-west-2a","us-west-2a"]'], "availabilityZones", "lists us-west-2a more than once"),
    (["availabilityZones=us-west-2a,us-west-2b"], "availabilityZones", "is not a valid object"),
    (["azCount=1"], "azCount", "greater than or equal to 2"),
    (["azCount=17"], "azCount", "less than or equal to 16"),
    (["azCount=two"], "azCount", "is not a valid int"),
    (["nat=single"], "nat", "applies to private networking only"),
    (["networking=private", "nat=two"], "nat", "'one_per_az', 'single' or 'none'"),
    (["enableS3GatewayEndpoint=maybe"], "enableS3GatewayEndpoint", "is not a valid bool"),
    # existing network
    (["existingVpcId=vpc-bad"], "existingVpcId", "'vpc-bad' is not a vpc id"),
    ([f"existingVpcId={VPC}"], "existingSubnetIds", "at least 2 subnets"),
    ([f"existingVpcId={VPC}", 'existingSubnetIds=["subnet-0a1b2c3d4e5f67890","nope"]'], "existingSubnetIds",
     "'nope' is not a subnet id"),
    ([f"existingSubnetIds={SUBNETS}"], "existingSubnetIds", "needs existing_vpc_id"),
    (["existingSubnetIds=subnet-0a1b2c3d4e5f67890"], "existingSubnetIds", "is not a valid object"),
    (["existingVpcCidr=10.0.0.0/16"], "existingVpcCidr", "needs existing_vpc_id"),
    ([f"existingVpcId={VPC}", f"existingSubnetIds={SUBNETS}", "existingVpcCidr=10.0.0.0/25"], "existingVpcCidr",
     "smaller than the /24 Anyscale requires"),
    ([f"existingVpcId={VPC}", f"existingSubnetIds={SUBNETS}", "vpcCidr=10.0.0.0/16"], "vpcCidr",
     "only one of existing_vpc_id and vpc_cidr"),
    ([f"existingVpcId={VPC}", f"existingSubnetIds={SUBNETS}", "azCount=2"], "azCount",
     "only one of existing_vpc_id and az_count"),
    # security group
    (["ingressCidrs=[]"], "ingressCidrs", "is empty, so nobody could reach clusters on port 443"),
    (['ingressCidrs=["10.0.0.1/8"]'], "ingressCidrs", "host bits set"),
    (['ingressCidrs=["10.0.0.0/8","10.0.0.0/8"]'], "ingressCidrs", "lists 10.0.0.0/8 more than once"),
    (["ingressCidrs=10.0.0.0/8"], "ingressCidrs", "is not a valid object"),
    (['ingressCidrs="10.0.0.0/8"'], "ingressCidrs", "valid list"),
    (["enableSsh=maybe"], "enableSsh", "is not a valid bool"),
    (['sshCidrs=["10.0.0.0/8"]'], "sshCidrs", "needs enable_ssh=True"),
    (["enableSsh=true", 'sshCidrs=["10.0.0.0/33"]'], "sshCidrs", "invalid prefix length"),
    (["existingSecurityGroupId=sg-bad"], "existingSecurityGroupId", "'sg-bad' is not a sg id"),
    # the stack file sets ingressCidrs: a conflict between two keys
    (["existingSecurityGroupId=sg-0a1b2c3d4e5f67890"], "ingressCidrs",
     "only one of existing_security_group_id and ingress_cidr_blocks"),
    # bucket
    (["bucketName=my-bucket"], "bucketName", "documentation placeholder"),
    (["bucketName=ab"], "bucketName", "must be 3 to 63 characters"),
    (["existingBucketName=" + "a" * 64], "existingBucketName", "must be 3 to 63 characters"),
    (["existingBucketName=corp-data", "bucketName=other-data"], "bucketName",
     "only one of existing_bucket_name and bucket_name"),
    (["existingBucketName=corp-data", "bucketEncryption=SSE-KMS"], "bucketEncryption",
     "only one of existing_bucket_name and encryption"),
    (["bucketEncryption=AES"], "bucketEncryption", "'SSE-S3' or 'SSE-KMS'"),
    (["kmsKeyArn=alias/x"], "kmsKeyArn", "is not a KMS key ARN"),
    ([f"kmsKeyArn={KEY_ARN}"], "kmsKeyArn", "needs encryption='SSE-KMS'"),
    (["protectBucket=maybe"], "protectBucket", "is not a valid bool"),
    # file system
    (["enableFileSystem=maybe"], "enableFileSystem", "is not a valid bool"),
    (["existingFileSystemId=efs-1"], "existingFileSystemId", "'efs-1' is not a fs id"),
    (["protectFileSystem=maybe"], "protectFileSystem", "is not a valid bool"),
    # MemoryDB
    (["enableMemorydb=maybe"], "enableMemorydb", "is not a valid bool"),
    (["existingMemorydbClusterName=Bad_Name"], "existingMemorydbClusterName", "must be 1 to 40 lowercase letters"),
    (["existingMemorydbClusterName=" + "a" * 41], "existingMemorydbClusterName", "must be 1 to 40 lowercase letters"),
    (["memorydbNodeType=t4g.small"], "memorydbNodeType", "'t4g.small' is not a MemoryDB node type"),
    (["existingMemorydbClusterName=mdb", "memorydbNodeType=db.r7g.large"], "memorydbNodeType",
     "only one of existing_cluster_name and node_type"),
    (["memorydbReplicasPerShard=0"], "memorydbReplicasPerShard", "at least 1 (2 nodes per shard)"),
    (["memorydbReplicasPerShard=6"], "memorydbReplicasPerShard", "less than or equal to 5"),
    (["memorydbReplicasPerShard=one"], "memorydbReplicasPerShard", "is not a valid int"),
    (["protectMemorydb=maybe"], "protectMemorydb", "is not a valid bool"),
    # IAM
    (["existingAnyscaleRoleArn=arn:aws:iam::123456789012:role/x"], "existingAnyscaleRoleArn", "documentation account"),
    (["existingInstanceRoleArn=arn:aws-cn:iam::210987654321:role/x"], "existingInstanceRoleArn", "aws partition"),
    ([f"existingInstanceRoleArn={ROLE}" + "a" * 65], "existingInstanceRoleArn", "is not an IAM role ARN"),
    (["enableServicesPolicy=maybe"], "enableServicesPolicy", "is not a valid bool"),
    ([f"existingAnyscaleRoleArn={ROLE}x", "enableServicesPolicy=false"], "enableServicesPolicy",
     "cannot be combined with existing_anyscale_role_arn"),
    ([f"existingAnyscaleRoleArn={ROLE}x", "anyscaleAccountId=525325868955"], "anyscaleAccountId",
     "cannot be combined with existing_anyscale_role_arn"),
    (["anyscaleAccountId=5253"], "anyscaleAccountId", "'5253' is not a 12-digit AWS account id"),
    (["anyscaleAccountId=5253258689551"], "anyscaleAccountId", "is not a 12-digit AWS account id"),
    # tags
    (['tags={"aws:x":"1"}'], "tags", "must not start with 'aws:' (reserved by AWS)"),
    (['tags={"' + "k" * 129 + '":"1"}'], "tags", "must be 1 to 128 characters"),
    (['tags={"k":"' + "v" * 257 + '"}'], "tags", "at most 256 characters"),
    (['tags=["a"]'], "tags", "valid dictionary"),
    (['tags={"k":1}'], "tags", "valid string"),
    # read by the root program itself, not by CONFIG_KEYS
    (["exportDeployerPolicy=maybe"], "exportDeployerPolicy", "is not a valid 'bool'"),
]


@pytest.mark.parametrize(
    "config, key, phrase", CONFIG_CASES, ids=[" ".join(c)[:60] for c, _, _ in CONFIG_CASES]
)
def test_bad_stack_config_is_exit_2_naming_the_key_and_the_rule(config, key, phrase):
    outcome, message = preview(ROOT, *config)
    assert_bad_input(outcome, message, f"anyscale-cloud:{key}", phrase)


def test_every_config_key_has_a_bad_input_case():
    keyed = {key for _, key, _ in CONFIG_CASES}
    assert set(CONFIG_KEYS) <= keyed, sorted(set(CONFIG_KEYS) - keyed)


def test_every_problem_is_reported_at_once():
    outcome, message = preview(ROOT, "azCount=x", "protectBucket=maybe")
    assert_bad_input(outcome, message, "anyscale-cloud:azCount: is not a valid int",
                     "anyscale-cloud:protectBucket: is not a valid bool")


@pytest.mark.parametrize("value", ["10.0.0.0/24", "10.0.0.0/16"])
def test_vpc_cidr_at_the_limits_previews(value):
    outcome, message = preview(ROOT, f"vpcCidr={value}", "azCount=2")
    assert outcome.exit_code == 0, message


def test_roles_from_two_accounts_fail_in_the_register_args():
    """Checked inside an output (the node role we create is in the deploying account)."""
    outcome, message = preview(ROOT, f"existingAnyscaleRoleArn={ROLE}x")
    assert_bad_input(outcome, message, "invalid AwsRegisterArgs: instance_iam_role_id:",
                     "must be in the same AWS account")


# -- arguments checked at deploy time, in small programs ------------------------------------


def program(tmp_path: Path, body: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: x\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    return tmp_path


DEPLOY_CASES = [
    (
        "security group without a VPC",
        """
        from anyscale_infra.aws.security_group import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs
        AnyscaleSecurityGroup("sg", AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["10.0.0.0/8"]))
        """,
        "invalid AnyscaleSecurityGroupArgs: vpc_id: is required for a new security group",
    ),
    (
        "file system without subnets",
        """
        from anyscale_infra.aws.file_system import AnyscaleFileSystem, AnyscaleFileSystemArgs
        AnyscaleFileSystem("fs", AnyscaleFileSystemArgs(security_group_id="sg-01234567"))
        """,
        "invalid AnyscaleFileSystemArgs: subnet_ids: is required: one mount target per cloud subnet",
    ),
    (
        "file system without a security group",
        """
        from anyscale_infra.aws.file_system import AnyscaleFileSystem, AnyscaleFileSystemArgs
        AnyscaleFileSystem("fs", AnyscaleFileSystemArgs(subnet_ids=["subnet-01234567"]))
        """,
        "invalid AnyscaleFileSystemArgs: security_group_id: is required: mount targets carry the cloud security group",
    ),
    (
        "MemoryDB without subnets",
        """
        from anyscale_infra.aws.memorydb import AnyscaleMemoryDb, AnyscaleMemoryDbArgs
        AnyscaleMemoryDb("m", AnyscaleMemoryDbArgs(security_group_id="sg-01234567"))
        """,
        "invalid AnyscaleMemoryDbArgs: subnet_ids: is required: the cloud's subnets",
    ),
    (
        "MemoryDB without a security group",
        """
        from anyscale_infra.aws.memorydb import AnyscaleMemoryDb, AnyscaleMemoryDbArgs
        AnyscaleMemoryDb("m", AnyscaleMemoryDbArgs(subnet_ids=["subnet-01234567", "subnet-01234568"]))
        """,
        "invalid AnyscaleMemoryDbArgs: security_group_id: is required: the cloud's security group",
    ),
    (
        "IAM roles without an org id",
        """
        from anyscale_infra.aws.iam import AnyscaleIamRoles, AnyscaleIamRolesArgs
        AnyscaleIamRoles("iam", AnyscaleIamRolesArgs())
        """,
        "invalid AnyscaleIamRolesArgs: org_id: is required to generate the external ID",
    ),
    (
        "region AZs that do not fit the VPC",
        """
        from anyscale_infra.aws.network import AnyscaleNetwork, AnyscaleNetworkArgs
        AnyscaleNetwork("n", AnyscaleNetworkArgs(vpc_cidr="10.0.0.0/24", subnet_prefix_length=26,
                                                 networking="private", az_count=3))
        """,
        "invalid AnyscaleNetworkArgs: availability_zones: availability zone us-west-2c needs slot 2",
    ),
    (
        "args built inside the program",
        """
        from anyscale_infra.aws.network import AnyscaleNetworkArgs
        AnyscaleNetworkArgs(vpc_cidr="10.0.0.0/25")
        """,
        "invalid AnyscaleNetworkArgs: vpc_cidr: 10.0.0.0/25 is smaller than the /24 Anyscale requires",
    ),
]


@pytest.mark.parametrize("body, needle", [c[1:] for c in DEPLOY_CASES], ids=[c[0] for c in DEPLOY_CASES])
def test_component_errors_at_deploy_time_are_exit_2(tmp_path, body, needle):
    outcome, message = preview(program(tmp_path, body), "aws:region=us-west-2")
    assert_bad_input(outcome, message, needle)


def test_region_with_one_az_is_exit_2(tmp_path, monkeypatch):
    import pulumi_aws as aws

    class OneZone:
        names = ["us-west-2a"]

    monkeypatch.setattr(aws, "get_availability_zones", lambda **_: OneZone())
    directory = program(tmp_path, """
        from anyscale_infra.aws.network import AnyscaleNetwork, AnyscaleNetworkArgs
        AnyscaleNetwork("n", AnyscaleNetworkArgs())
        """)
    outcome, message = preview(directory, "aws:region=us-west-2")
    assert_bad_input(outcome, message, "invalid AnyscaleNetworkArgs: az_count:",
                     "the region has only 1 available AZ(s); Anyscale needs at least 2")


def test_an_error_inside_an_output_does_not_leak_into_the_next_run(tmp_path):
    """At d30e834 the run after an apply-time failure reported *that* failure again (and a
    later engine draft reported CancelledError): each run must stand alone."""
    outcome, message = preview(ROOT, f"existingAnyscaleRoleArn={ROLE}x")
    assert_bad_input(outcome, message, "must be in the same AWS account")
    directory = program(tmp_path, """
        from anyscale_infra.aws.security_group import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs
        AnyscaleSecurityGroup("sg", AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["10.0.0.0/8"]))
        """)
    outcome, message = preview(directory, "aws:region=us-west-2")
    assert_bad_input(outcome, message, "vpc_id: is required for a new security group")
    assert "same AWS account" not in message
    outcome, message = preview(ROOT, f"existingAnyscaleRoleArn={ROLE}x")
    assert_bad_input(outcome, message, "must be in the same AWS account")
    outcome, message = preview(ROOT)
    assert outcome.exit_code == 0, message


def test_a_real_crash_is_still_exit_1(tmp_path):
    """The contrast: a bug in the program is not bad input."""
    outcome, message = preview(program(tmp_path, "raise KeyError('boom')\n"), "aws:region=us-west-2")
    assert outcome.exit_code == 1, message
    assert "KeyError" in message and "Traceback" not in outcome.output

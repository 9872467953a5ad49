"""An Anyscale cloud written by hand with plain pulumi_aws — no anyscale_infra component —
so `anyscale-infra check` judges resources by what they are. Config `variant` breaks it in
one way each (tests/policy/test_check_hand_written.py)."""

import json

import pulumi
import pulumi_aws as aws

variant = pulumi.Config().get("variant") or "compliant"
CLOUD_ID = "cld_handwritten0000000000001"
EXTERNAL_ID = "org_handwritten-0123456789abcdef"
INSTANCES = "arn:aws:ec2:*:*:instance/*"
TAG = "aws:ResourceTag/anyscale-cloud-id"


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True, enable_dns_support=True)
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
subnets = [
    aws.ec2.Subnet(f"public-{az}", vpc_id=vpc.id, cidr_block=cidr, availability_zone=az, map_public_ip_on_launch=True)
    for az, cidr in (("us-west-2a", "10.0.0.0/20"), ("us-west-2b", "10.0.16.0/20"))
]
aws.ec2.VpcEndpoint("s3", vpc_id=vpc.id, service_name="com.amazonaws.us-west-2.s3", vpc_endpoint_type="Gateway")

sg = aws.ec2.SecurityGroup("sg", vpc_id=vpc.id, description="anyscale")
aws.vpc.SecurityGroupIngressRule("https", security_group_id=sg.id, ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4="203.0.113.0/24")
aws.vpc.SecurityGroupIngressRule("self-in", security_group_id=sg.id, ip_protocol="-1", referenced_security_group_id=sg.id)
aws.vpc.SecurityGroupEgressRule("all-out", security_group_id=sg.id, ip_protocol="-1", cidr_ipv4="0.0.0.0/0")
aws.vpc.SecurityGroupEgressRule("self-out", security_group_id=sg.id, ip_protocol="-1", referenced_security_group_id=sg.id)

node_role = aws.iam.Role("nodes", assume_role_policy=doc(
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
profile = aws.iam.InstanceProfile("nodes-profile", name=node_role.name, role=node_role.name)
aws.iam.RolePolicyAttachment("nodes-ecr", role=node_role.name, policy_arn="arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")

anyscale_role = aws.iam.Role("anyscale", assume_role_policy=doc({
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::525325868955:root"}, "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}}}))
start = (
    # anyscale/terraform-aws-anyscale-cloudfoundation-modules: StartInstances on a request tag.
    {"Sid": "Start", "Effect": "Allow", "Action": "ec2:StartInstances", "Resource": INSTANCES,
     "Condition": {"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID}}}
    if variant == "terraform-start"
    else {"Sid": "Start", "Effect": "Allow", "Action": "ec2:StartInstances", "Resource": INSTANCES,
          "Condition": {"StringEquals": {TAG: CLOUD_ID}}}
)
steady = pulumi.Output.all(node_role.arn, profile.arn).apply(lambda arns: doc(
    {"Sid": "PassNodeRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": arns[0],
     "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}},
    {"Sid": "Profile", "Effect": "Allow", "Action": "iam:GetInstanceProfile", "Resource": arns[1]},
    {"Sid": "Describe", "Effect": "Allow", "Action": ["ec2:Describe*", "elasticfilesystem:DescribeMountTargets"], "Resource": "*"},
    {"Sid": "Tags", "Effect": "Allow", "Action": ["ec2:CreateTags", "ec2:DeleteTags"], "Resource": "*"},
    {"Sid": "NoRetag", "Effect": "Deny", "Action": "ec2:CreateTags", "Resource": INSTANCES,
     "Condition": {"StringNotEquals": {TAG: CLOUD_ID, "ec2:CreateAction": "RunInstances"}}},
    {"Sid": "NoUntag", "Effect": "Deny", "Action": "ec2:DeleteTags", "Resource": INSTANCES,
     "Condition": {"StringNotEquals": {TAG: CLOUD_ID}}},
    {"Sid": "Stop", "Effect": "Allow", "Action": ["ec2:StopInstances", "ec2:TerminateInstances"], "Resource": INSTANCES,
     "Condition": {"StringEquals": {TAG: CLOUD_ID}}},
    start,
    {"Sid": "Run", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": INSTANCES,
     "Condition": {"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD_ID}}},
    {"Sid": "RunOn", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": [
        "arn:aws:ec2:*::image/*", "arn:aws:ec2:*:*:subnet/*", "arn:aws:ec2:*:*:network-interface/*",
        "arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:volume/*"]},
))
aws.iam.RolePolicy("steady", role=anyscale_role.name, policy=steady)
if variant == "broad-start":
    # Looks harmless next to the scoped statements; defeats them.
    aws.iam.RolePolicy("ops", role=anyscale_role.name, policy=doc(
        {"Sid": "OpsStart", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "*"}))

bucket = aws.s3.Bucket("data", bucket="hand-written-anyscale")
aws.s3.BucketCorsConfiguration("cors", bucket=bucket.id, cors_rules=[{
    "allowed_headers": ["*"], "allowed_methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
    "allowed_origins": ["https://*.anyscale.com"], "expose_headers": ["Accept-Ranges", "Content-Range", "Content-Length"]}])
aws.s3.BucketPublicAccessBlock("pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketServerSideEncryptionConfiguration("sse", bucket=bucket.id, rules=[
    {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}])
aws.s3.BucketVersioning("versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketPolicy("bucket-policy", bucket=bucket.id, policy=pulumi.Output.all(anyscale_role.arn, node_role.arn).apply(
    lambda arns: doc(
        {"Sid": "Roles", "Effect": "Allow", "Principal": {"AWS": list(arns)},
         "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::hand-written-anyscale", "arn:aws:s3:::hand-written-anyscale/*"]},
        {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::hand-written-anyscale", "arn:aws:s3:::hand-written-anyscale/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}})))

efs = aws.efs.FileSystem("efs", encrypted=True)
aws.efs.BackupPolicy("efs-backup", file_system_id=efs.id, backup_policy={"status": "ENABLED"})
for index, subnet in enumerate(subnets):
    aws.efs.MountTarget(f"mount-{index}", file_system_id=efs.id, subnet_id=subnet.id, security_groups=[sg.id])

security_groups = ["sg-0deadbeefdeadbeef0"] if variant == "foreign-security-group" else [sg.id]
external_id = "org_handwritten-not-the-one" if variant == "wrong-external-id" else EXTERNAL_ID
pulumi.export("register_command", pulumi.Output.all(
    vpc.id, subnets[0].id, subnets[1].id, pulumi.Output.all(*security_groups), anyscale_role.arn, node_role.arn, efs.id,
).apply(lambda v: " ".join([
    "anyscale cloud register --provider aws --name hand-written --region us-west-2",
    f"--vpc-id {v[0]} --subnet-ids {v[1]},{v[2]} --security-group-ids {','.join(v[3])}",
    "--cloud-storage-bucket-name s3://hand-written-anyscale",
    f"--anyscale-iam-role-id {v[4]} --instance-iam-role-id {v[5]} --file-storage-id {v[6]} --external-id {external_id}",
])))

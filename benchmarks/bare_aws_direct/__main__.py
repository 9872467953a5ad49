"""Benchmark baseline: what examples/aws-direct creates, written by hand with pulumi_aws.

Same resource types and counts (38 custom resources), similar inputs (Name tags included,
as ours carry them), no components, no validation: the floor our components' overhead is
measured against.
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

azs = ["us-west-2a", "us-west-2b", "us-west-2c"]


def tags(name):
    return {"Name": name}


vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_support=True, enable_dns_hostnames=True, tags=tags("vpc"))
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id, tags=tags("igw"))
rt = aws.ec2.RouteTable("public-rt", vpc_id=vpc.id, tags=tags("public-rt"))
aws.ec2.Route("public-default-route", route_table_id=rt.id, destination_cidr_block="0.0.0.0/0", gateway_id=igw.id)
subnets = []
for i, az in enumerate(azs):
    subnet = aws.ec2.Subnet(
        f"public-{az}", vpc_id=vpc.id, cidr_block=f"10.0.{i * 16}.0/20", availability_zone=az,
        map_public_ip_on_launch=True, tags=tags(f"public-{az}"),
    )
    aws.ec2.RouteTableAssociation(f"public-{az}-rta", subnet_id=subnet.id, route_table_id=rt.id)
    subnets.append(subnet)
aws.ec2.VpcEndpoint(
    "s3-endpoint", vpc_id=vpc.id, service_name="com.amazonaws.us-west-2.s3", vpc_endpoint_type="Gateway",
    route_table_ids=[rt.id], tags=tags("s3-endpoint"),
)

sg = aws.ec2.SecurityGroup("sg", vpc_id=vpc.id, description="Anyscale cloud", tags=tags("sg"))
aws.vpc.SecurityGroupIngressRule("ingress-https", security_group_id=sg.id, ip_protocol="tcp", from_port=443,
                                 to_port=443, cidr_ipv4="0.0.0.0/0")
aws.vpc.SecurityGroupIngressRule("ingress-self", security_group_id=sg.id, ip_protocol="-1",
                                 referenced_security_group_id=sg.id)
aws.vpc.SecurityGroupEgressRule("egress-all", security_group_id=sg.id, ip_protocol="-1", cidr_ipv4="0.0.0.0/0")
aws.vpc.SecurityGroupEgressRule("egress-self", security_group_id=sg.id, ip_protocol="-1",
                                referenced_security_group_id=sg.id)

suffix = random.RandomPassword("external-id-suffix", length=32, special=False)
external_id = pulumi.Output.concat("org_previewOnly0000000000-", suffix.result)
trust = external_id.apply(lambda e: json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::525325868955:root"},
    "Condition": {"StringEquals": {"sts:ExternalId": e}}}]}))
anyscale_role = aws.iam.Role("anyscale-role", assume_role_policy=trust, tags=tags("anyscale-role"))
instance_role = aws.iam.Role("instance-role", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}}]}),
    tags=tags("instance-role"))
profile = aws.iam.InstanceProfile("instance-profile", name=instance_role.name, role=instance_role.name)
aws.iam.RolePolicyAttachment("ecr", role=instance_role.name,
                             policy_arn="arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")
allow_all_ec2 = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ec2:Describe*"], "Resource": "*"}]})
aws.iam.RolePolicy("steady-state", role=anyscale_role.id, name="Anyscale_IAM_Policy_Steady_State", policy=allow_all_ec2)
aws.iam.RolePolicy("services", role=anyscale_role.id, name="Anyscale_IAM_Policy_Service_Steady_State",
                   policy=allow_all_ec2)

bucket = aws.s3.Bucket("bucket", tags=tags("bucket"), opts=pulumi.ResourceOptions(protect=True))
aws.s3.BucketCorsConfiguration("cors", bucket=bucket.id, cors_rules=[{
    "allowed_headers": ["*"], "allowed_methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
    "allowed_origins": ["https://*.anyscale.com"], "expose_headers": ["Accept-Ranges", "Content-Range",
                                                                      "Content-Length"]}])
aws.s3.BucketPublicAccessBlock("pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketOwnershipControls("ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"})
aws.s3.BucketServerSideEncryptionConfiguration("sse", bucket=bucket.id, rules=[
    {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}, "bucket_key_enabled": True}])
aws.s3.BucketVersioning("versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketLifecycleConfiguration("lifecycle", bucket=bucket.id, rules=[{
    "id": "expire-noncurrent", "status": "Enabled", "filter": {},
    "noncurrent_version_expiration": {"noncurrent_days": 30}}])
bucket_policy = pulumi.Output.all(bucket.arn, anyscale_role.arn, instance_role.arn).apply(
    lambda v: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": [v[1], v[2]]}, "Action": ["s3:GetObject"], "Resource": f"{v[0]}/*"}]}))
aws.s3.BucketPolicy("policy", bucket=bucket.id, policy=bucket_policy)
for role_name, role in (("anyscale", anyscale_role), ("instance", instance_role)):
    aws.iam.RolePolicy(f"access-{role_name}", role=role.id, name="Anyscale_Bucket_Access",
                       policy=bucket.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [
                           {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"{arn}/*"}]})))

efs = aws.efs.FileSystem("efs", encrypted=True, lifecycle_policies=[{"transition_to_ia": "AFTER_30_DAYS"}], tags=tags("efs"),
                         opts=pulumi.ResourceOptions(protect=True))
aws.efs.BackupPolicy("efs-backup", file_system_id=efs.id, backup_policy={"status": "ENABLED"})
for az, subnet in zip(azs, subnets):
    aws.efs.MountTarget(f"mount-{az}", file_system_id=efs.id, subnet_id=subnet.id, security_groups=[sg.id])

pulumi.export("vpc_id", vpc.id)
pulumi.export("bucket", bucket.bucket)
pulumi.export("file_system_id", efs.id)

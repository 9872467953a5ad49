"""Compose the Anyscale components with your own infrastructure.

This program already owns a VPC (built by your platform code, here with plain pulumi_aws),
an explicit AWS provider with default tags, and a bucket of training data. It:

* builds the Anyscale cloud *into that VPC* (ids passed as outputs: no copy-paste of ids);
* passes its provider through `opts`, so every Anyscale resource lands in the same region
  and account and carries the provider's default tags;
* grants the cluster node role read access to the training-data bucket.
"""

import json

import pulumi
import pulumi_aws as aws

from anyscale_infra.aws import (
    AnyscaleAwsCloud,
    AnyscaleAwsCloudArgs,
    AnyscaleNetworkArgs,
    AnyscaleSecurityGroupArgs,
    ExistingSubnet,
)

config = pulumi.Config()
region = config.get("region") or "us-east-2"
provider = aws.Provider("platform", region=region, default_tags={"tags": {"owner": "ml-platform"}})
in_platform = pulumi.ResourceOptions(provider=provider)

# --- Your own platform resources -------------------------------------------------------
vpc = aws.ec2.Vpc("platform-vpc", cidr_block="10.40.0.0/16", enable_dns_hostnames=True, opts=in_platform)
igw = aws.ec2.InternetGateway("platform-igw", vpc_id=vpc.id, opts=in_platform)
routes = aws.ec2.RouteTable(
    "platform-public", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}], opts=in_platform
)
subnet_layout = {f"{region}a": "10.40.0.0/20", f"{region}b": "10.40.16.0/20"}
subnets = {}
for az, cidr in subnet_layout.items():
    subnets[az] = aws.ec2.Subnet(
        f"platform-{az}", vpc_id=vpc.id, cidr_block=cidr, availability_zone=az,
        map_public_ip_on_launch=True, opts=in_platform,
    )
    aws.ec2.RouteTableAssociation(f"platform-{az}", subnet_id=subnets[az].id, route_table_id=routes.id, opts=in_platform)
training_data = aws.s3.Bucket("training-data", opts=in_platform)

# --- The Anyscale cloud, inside it ---------------------------------------------------------
cloud = AnyscaleAwsCloud(
    "anyscale",
    AnyscaleAwsCloudArgs(
        cloud_name=f"ml-{pulumi.get_stack()}",
        org_id=config.require("orgId"),
        network=AnyscaleNetworkArgs(
            existing_vpc_id=vpc.id,
            existing_vpc_cidr="10.40.0.0/16",
            existing_subnets=[
                ExistingSubnet(subnet_id=subnet.id, availability_zone=az, cidr_block=subnet_layout[az])
                for az, subnet in subnets.items()
            ],
        ),
        # Only the office range may reach clusters on 443.
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["192.0.2.0/24"]),
    ),
    opts=in_platform,
)

# Clusters may read the training data.
aws.iam.RolePolicy(
    "nodes-read-training-data",
    role=cloud.instance_role_name,
    policy=training_data.arn.apply(
        lambda arn: json.dumps({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "ListTrainingData", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn},
                {"Sid": "ReadTrainingData", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/*"},
            ],
        })
    ),
    opts=in_platform,
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("training_data_bucket", training_data.bucket)

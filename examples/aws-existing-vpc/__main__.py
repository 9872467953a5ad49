"""Bring your own VPC, subnets and bucket; we add the security group, EFS and IAM roles.

Nothing is created in or changed on your VPC, subnets or bucket: the bucket's policy and
settings stay yours (check its CORS and policy against the README), and our roles get an
identity policy on it instead. Give the subnets' AZs and CIDRs so the rules (>= /28, inside
the VPC, no overlap, no two public subnets in one AZ) are checked before anything is created.
"""

import pulumi

from anyscale_infra.aws import (
    AnyscaleAwsCloud,
    AnyscaleAwsCloudArgs,
    AnyscaleBucketArgs,
    AnyscaleNetworkArgs,
    AnyscaleSecurityGroupArgs,
    ExistingSubnet,
)

config = pulumi.Config()

cloud = AnyscaleAwsCloud(
    "anyscale",
    AnyscaleAwsCloudArgs(
        cloud_name=pulumi.get_stack(),
        org_id=config.require("orgId"),
        network=AnyscaleNetworkArgs(
            existing_vpc_id=config.require("vpcId"),
            existing_vpc_cidr=config.get("vpcCidr"),
            existing_subnets=[
                ExistingSubnet(subnet_id=s["id"], availability_zone=s.get("az"), cidr_block=s.get("cidr"))
                for s in config.require_object("subnets")
            ],
        ),
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=config.require_object("ingressCidrs")),
        bucket=AnyscaleBucketArgs(existing_bucket_name=config.require("bucketName")),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("security_group_id", cloud.security_group_id)

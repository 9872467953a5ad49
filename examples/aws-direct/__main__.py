"""An Anyscale cloud with direct networking and every default.

New VPC (/16, public subnets in 3 AZs, S3 endpoint), security group (443 from
`ingressCidrs`), encrypted versioned bucket, EFS, and the two IAM roles with a generated
external ID. Prints the `anyscale cloud register` command.
"""

import pulumi

from anyscale_infra.aws import AnyscaleAwsCloud, AnyscaleAwsCloudArgs, AnyscaleSecurityGroupArgs

config = pulumi.Config()

cloud = AnyscaleAwsCloud(
    "anyscale",
    AnyscaleAwsCloudArgs(
        cloud_name=pulumi.get_stack(),
        org_id=config.require("orgId"),
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=config.require_object("ingressCidrs")),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("file_system_id", cloud.file_system_id)

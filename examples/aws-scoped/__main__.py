"""Second phase of seed 004's two-phase flow: scope the Anyscale role to this cloud.

1. `pulumi up` without `cloudId`, then run the printed `anyscale cloud register` command.
2. `pulumi config set cloudId cld_...` (the id it printed) and `pulumi up` again: the
   Anyscale role may then start, stop and terminate only instances tagged
   `anyscale-cloud-id=<cloudId>`, and every resource carries that tag. Nothing is
   replaced: only the inline policy and tags change.
"""

import pulumi

from anyscale_infra.aws import AnyscaleAwsCloud, AnyscaleAwsCloudArgs, AnyscaleSecurityGroupArgs

config = pulumi.Config()

cloud = AnyscaleAwsCloud(
    "anyscale",
    AnyscaleAwsCloudArgs(
        cloud_name=pulumi.get_stack(),
        org_id=config.require("orgId"),
        cloud_id=config.get("cloudId"),
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=config.require_object("ingressCidrs")),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("anyscale_role_arn", cloud.anyscale_role_arn)

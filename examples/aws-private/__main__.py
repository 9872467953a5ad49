"""Customer-defined networking: clusters on private IPs, registered with --private-network.

Private /20 subnets in 3 AZs behind one NAT gateway per AZ (no cross-AZ dependency), 443
only from your corporate ranges, and MemoryDB for head-node fault tolerance in Services.
You route your users to the VPC (VPN, Direct Connect, peering): see seed 004.
"""

import pulumi

from anyscale_infra.aws import (
    AnyscaleAwsCloud,
    AnyscaleAwsCloudArgs,
    AnyscaleNetworkArgs,
    AnyscaleSecurityGroupArgs,
    NatStrategy,
    NetworkingMode,
)

config = pulumi.Config()

cloud = AnyscaleAwsCloud(
    "anyscale",
    AnyscaleAwsCloudArgs(
        cloud_name=pulumi.get_stack(),
        org_id=config.require("orgId"),
        network=AnyscaleNetworkArgs(
            networking=NetworkingMode.PRIVATE,
            vpc_cidr="10.20.0.0/16",
            nat=NatStrategy.ONE_PER_AZ,
        ),
        security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=config.require_object("corporateCidrs")),
        enable_memorydb=True,
        tags={"team": "ml-platform"},
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("vpc_id", cloud.vpc_id)
pulumi.export("memorydb_cluster_name", cloud.memorydb_cluster_name)

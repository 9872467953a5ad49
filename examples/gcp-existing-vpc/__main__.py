"""An Anyscale cloud in an existing **shared VPC**: the network belongs to a host project,
the cloud's resources to this (service) project; registered with --host-project-id.

Nothing of the network is created: the VPC and subnet are looked up in the host project
and checked like `cloud register` does (the subnet is in the VPC, /24 or larger). The
firewall policy is created in the host project (the VPC's), so whoever runs `pulumi up`
needs rights there; Filestore reaches the VPC through private service access, which the
host project must have set up.
"""

import pulumi

from anyscale_infra.gcp import (
    AnyscaleGcpCloud,
    AnyscaleGcpCloudArgs,
    AnyscaleGcpFirewallArgs,
    AnyscaleGcpNetworkArgs,
)

config = pulumi.Config()
google = pulumi.Config("gcp")

cloud = AnyscaleGcpCloud(
    "anyscale",
    AnyscaleGcpCloudArgs(
        cloud_name=pulumi.get_stack(),
        project_id=google.require("project"),
        region=google.require("region"),
        org_id=config.require("orgId"),
        network=AnyscaleGcpNetworkArgs(
            existing_vpc_name=config.require("vpcName"),
            existing_subnet_name=config.require("subnetName"),
            existing_subnet_cidr=config.require("subnetCidr"),
            host_project_id=config.require("hostProjectId"),
        ),
        firewall=AnyscaleGcpFirewallArgs(ingress_cidr_blocks=config.require_object("ingressCidrs")),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("resource_file", cloud.resource_file)

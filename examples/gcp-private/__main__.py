"""Customer-defined networking on Google Cloud: clusters on private IPs, registered with
--private-network.

A /20 subnet behind Cloud Router + Cloud NAT, a proxy-only subnet (private Anyscale
Services need one; `cloud register` warns without it), 443 only from your corporate ranges,
and Memorystore for Redis (STANDARD_HA with a read replica) for head-node fault tolerance.
You route your users to the VPC (VPN, Interconnect).
"""

import pulumi

from anyscale_infra.gcp import (
    AnyscaleGcpCloud,
    AnyscaleGcpCloudArgs,
    AnyscaleGcpFirewallArgs,
    AnyscaleGcpNetworkArgs,
    NetworkingMode,
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
            networking=NetworkingMode.PRIVATE,
            subnet_cidr="10.20.0.0/20",
            proxy_only_subnet_cidr="10.21.0.0/23",
        ),
        firewall=AnyscaleGcpFirewallArgs(ingress_cidr_blocks=config.require_object("corporateCidrs")),
        enable_memorystore=True,
        labels={"team": "ml-platform"},
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("resource_file", cloud.resource_file)
pulumi.export("memorystore_instance_name", cloud.memorystore_instance_name)

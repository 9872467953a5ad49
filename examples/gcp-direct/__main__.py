"""An Anyscale cloud on Google Cloud with direct networking and every default.

The project's APIs; a VPC with one regional /20 subnet (Private Google Access); a network
firewall policy (443 from `ingressCidrs`, all traffic within the subnet, Google's health
checks to Services); a Cloud Storage bucket (uniform access, public access prevention, the
console's CORS rule, versioning); a basic Filestore; workload identity federation for
Anyscale's control plane and the two service accounts. Prints the register command.
"""

import pulumi

from anyscale_infra.gcp import AnyscaleGcpCloud, AnyscaleGcpCloudArgs, AnyscaleGcpFirewallArgs

config = pulumi.Config()
google = pulumi.Config("gcp")

cloud = AnyscaleGcpCloud(
    "anyscale",
    AnyscaleGcpCloudArgs(
        cloud_name=pulumi.get_stack(),
        project_id=google.require("project"),
        region=google.require("region"),
        org_id=config.require("orgId"),
        firewall=AnyscaleGcpFirewallArgs(ingress_cidr_blocks=config.require_object("ingressCidrs")),
    ),
)

pulumi.export("register_command", cloud.register_command)
pulumi.export("register_args", cloud.register_args)
pulumi.export("resource_file", cloud.resource_file)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("filestore_instance_id", cloud.filestore_instance_id)

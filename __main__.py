"""Root stack: one Anyscale cloud on AWS from `pulumi config` (see README, "Configuration").

`pulumi up` creates it; `pulumi stack output register_command --show-secrets` prints the
`anyscale cloud register` command; then set `cloudId` and `pulumi up` again to scope the
Anyscale role to the cloud's instances.
"""

import pulumi

from anyscale_infra.aws import AnyscaleAwsCloud
from anyscale_infra.aws.config import cloud_args_from_config

args = cloud_args_from_config()
# A fixed logical name, not the cloud name: renaming the cloud in config must not change
# URNs (that would replace the bucket and file system).
cloud = AnyscaleAwsCloud("anyscale", args)

pulumi.export("vpc_id", cloud.vpc_id)
pulumi.export("subnet_ids", cloud.subnet_ids)
pulumi.export("security_group_id", cloud.security_group_id)
pulumi.export("bucket_name", cloud.bucket_name)
pulumi.export("file_system_id", cloud.file_system_id)
pulumi.export("memorydb_cluster_name", cloud.memorydb_cluster_name)
pulumi.export("anyscale_role_arn", cloud.anyscale_role_arn)
pulumi.export("instance_role_arn", cloud.instance_role_arn)
pulumi.export("instance_profile_arn", cloud.instance_profile_arn)
pulumi.export("external_id", cloud.external_id)
pulumi.export("register_args", cloud.register_args)
pulumi.export("register_command", cloud.register_command)
pulumi.export("resource_file", cloud.resource_file)
pulumi.export("egress_allowlist", cloud.egress_allowlist)
if pulumi.Config().get_bool("exportDeployerPolicy"):
    pulumi.export("deployer_policy", cloud.deployer_policy)

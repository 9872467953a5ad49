"""Root stack: one Anyscale cloud on AWS (the default) or Google Cloud (``provider: gcp``),
on VMs or on EKS/GKE (``computeStack: k8s``), on AKS registered natively (``provider:
azure``), or the Anyscale operator on a Kubernetes cluster you run (``provider: generic``),
from `pulumi config` (see README, "Root stack configuration").

`pulumi up` creates it; `pulumi stack output register_command --show-secrets` prints the
`anyscale cloud register` command (`resource_file`: the same as a resource file); then set
`cloudId` and `pulumi up` again (AWS: scopes the Anyscale role to the cloud's instances;
both: tags/labels every resource with the cloud id).
"""

import pulumi

PROVIDERS = ("aws", "gcp", "azure", "generic")
COMPUTE_STACKS = ("vm", "k8s")

provider = pulumi.Config().get("provider") or "aws"
# vm: Ray clusters on VMs; k8s: on EKS/GKE through the Anyscale operator (generic and Azure are
# Kubernetes only: seed 003).
compute_stack = pulumi.Config().get("computeStack") or ("k8s" if provider in ("generic", "azure") else "vm")
if provider not in PROVIDERS or compute_stack not in COMPUTE_STACKS or (provider in ("generic", "azure") and compute_stack == "vm"):
    from anyscale_infra.errors import FieldProblem, InvalidArgsError

    if provider not in PROVIDERS:
        problem = FieldProblem(f"{pulumi.get_project()}:provider", f"is {provider!r}; choose one of {', '.join(PROVIDERS)}")
    elif compute_stack not in COMPUTE_STACKS:
        problem = FieldProblem(
            f"{pulumi.get_project()}:computeStack", f"is {compute_stack!r}; choose one of {', '.join(COMPUTE_STACKS)}"
        )
    else:
        problem = FieldProblem(f"{pulumi.get_project()}:computeStack", f"is 'vm', but a {provider} cloud is Kubernetes only (k8s)")
    raise InvalidArgsError("stack config", [problem])

# A fixed logical name, not the cloud name: renaming the cloud in config must not change
# URNs (that would replace the bucket and file system).
if provider == "azure":
    from anyscale_infra.azure import AnyscaleAzureCloud
    from anyscale_infra.azure.config import cloud_args_from_config as azure_args

    azure_cloud = AnyscaleAzureCloud("anyscale", azure_args())
    for key in ("cloud_arm_id", "cloud_resource_id", "cloud_id", "cloud_name", "bucket_name", "bucket_endpoint", "cluster_name",
                "gateway_hostname", "operator_settings", "kubernetes_zones"):
        pulumi.export(key, getattr(azure_cloud, key))
    pulumi.export("operator_principal_id", azure_cloud.principal_id)
    pulumi.export("operator_client_id", azure_cloud.client_id)
    pulumi.export("register_args", azure_cloud.register_args)  # the cli path only (None when native)
    pulumi.export("register_command", azure_cloud.register_command)
    pulumi.export("resource_file", azure_cloud.resource_file)
    cloud = None
elif provider == "generic":
    import pulumi_kubernetes as k8s

    from anyscale_infra.kubernetes import AnyscaleOperator
    from anyscale_infra.kubernetes.config import generic_operator_args_from_config, generic_register_args_from_config

    # Your cluster: the kubeconfig context to use (unset: the current context).
    cluster = k8s.Provider("cluster", context=pulumi.Config().get("kubeContext"))
    operator = AnyscaleOperator("anyscale", generic_operator_args_from_config(), opts=pulumi.ResourceOptions(provider=cluster))
    register = generic_register_args_from_config()
    pulumi.export("register_args", register.flags())
    pulumi.export("register_command", register.command())
    pulumi.export("resource_file", register.resource_file_yaml())
    pulumi.export("operator_namespace", operator.namespace)
    pulumi.export("helm_values", operator.helm_values)
    cloud = None
elif compute_stack == "k8s":
    if provider == "aws":
        from anyscale_infra.aws import AnyscaleEksCloud
        from anyscale_infra.aws.config import eks_cloud_args_from_config

        k8s_cloud = AnyscaleEksCloud("anyscale", eks_cloud_args_from_config())
        pulumi.export("operator_role_arn", k8s_cloud.operator_role_arn)
        pulumi.export("file_system_id", k8s_cloud.file_system_id)
    else:
        from anyscale_infra.gcp import AnyscaleGkeCloud
        from anyscale_infra.gcp.config import gke_cloud_args_from_config

        k8s_cloud = AnyscaleGkeCloud("anyscale", gke_cloud_args_from_config())
        pulumi.export("operator_service_account_email", k8s_cloud.operator_service_account_email)
        pulumi.export("gateway_address", k8s_cloud.gateway_address)
    pulumi.export("cluster_name", k8s_cloud.cluster_name)
    pulumi.export("kubernetes_zones", k8s_cloud.kubernetes_zones)
    pulumi.export("bucket_name", k8s_cloud.bucket_name)
    pulumi.export("helm_values", k8s_cloud.helm_values)
    pulumi.export("register_args", k8s_cloud.register_args)
    pulumi.export("register_command", k8s_cloud.register_command)
    pulumi.export("resource_file", k8s_cloud.resource_file)
    cloud = None
elif provider == "gcp":
    from anyscale_infra.gcp import AnyscaleGcpCloud
    from anyscale_infra.gcp.config import cloud_args_from_config as gcp_args

    gcp_cloud = AnyscaleGcpCloud("anyscale", gcp_args())
    pulumi.export("vpc_name", gcp_cloud.vpc_name)
    pulumi.export("subnet_name", gcp_cloud.subnet_name)
    pulumi.export("firewall_policy_name", gcp_cloud.firewall_policy_name)
    pulumi.export("bucket_name", gcp_cloud.bucket_name)
    pulumi.export("filestore_instance_id", gcp_cloud.filestore_instance_id)
    pulumi.export("memorystore_instance_name", gcp_cloud.memorystore_instance_name)
    pulumi.export("access_service_account_email", gcp_cloud.access_service_account_email)
    pulumi.export("instance_service_account_email", gcp_cloud.instance_service_account_email)
    pulumi.export("provider_name", gcp_cloud.provider_name)
    cloud = gcp_cloud
else:
    from anyscale_infra.aws import AnyscaleAwsCloud
    from anyscale_infra.aws.config import cloud_args_from_config as aws_args

    aws_cloud = AnyscaleAwsCloud("anyscale", aws_args())
    pulumi.export("vpc_id", aws_cloud.vpc_id)
    pulumi.export("subnet_ids", aws_cloud.subnet_ids)
    pulumi.export("security_group_id", aws_cloud.security_group_id)
    pulumi.export("bucket_name", aws_cloud.bucket_name)
    pulumi.export("file_system_id", aws_cloud.file_system_id)
    pulumi.export("memorydb_cluster_name", aws_cloud.memorydb_cluster_name)
    pulumi.export("anyscale_role_arn", aws_cloud.anyscale_role_arn)
    pulumi.export("instance_role_arn", aws_cloud.instance_role_arn)
    pulumi.export("instance_profile_arn", aws_cloud.instance_profile_arn)
    pulumi.export("external_id", aws_cloud.external_id)
    if pulumi.Config().get_bool("exportDeployerPolicy"):
        pulumi.export("deployer_policy", aws_cloud.deployer_policy)
    cloud = aws_cloud

if cloud is not None:
    pulumi.export("register_args", cloud.register_args)
    pulumi.export("register_command", cloud.register_command)
    pulumi.export("resource_file", cloud.resource_file)
    pulumi.export("egress_allowlist", cloud.egress_allowlist)

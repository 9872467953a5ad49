"""Facts about Anyscale on AWS that the components implement, each with its source.

"seed 004" is Anyscale's "Deploy and manage Clouds on AWS" page (shared/seeds/004_*.txt);
"seed 000" is "Detailed network flows" (shared/seeds/000_*.txt); "verifier" is the check
that ``anyscale cloud register`` runs (``anyscale/cloud_resource.py`` in the CLI). The
Anyscale-wide facts (the console's CORS rule, the cloud id tag, the ports users reach) live
in :mod:`anyscale_infra.constants` and are re-exported here for the AWS modules.
"""

from __future__ import annotations

from typing import Final

from anyscale_infra.constants import (  # noqa: F401 - re-exported for the AWS modules
    ANYSCALE_CORS_ALLOWED_HEADERS,
    ANYSCALE_CORS_ALLOWED_METHODS,
    ANYSCALE_CORS_EXPOSE_HEADERS,
    ANYSCALE_CONTROL_PLANE_AWS_ACCOUNT_ID,
    ANYSCALE_CORS_ORIGIN,
    CLOUD_ID_TAG_KEY,
    HTTPS_PORT,
    SSH_PORT,
)

# --- Control plane -------------------------------------------------------------------
#: AWS account of Anyscale's control plane (seed 004: trust relationship principal).
ANYSCALE_AWS_ACCOUNT_ID: Final = ANYSCALE_CONTROL_PLANE_AWS_ACCOUNT_ID
#: AWS partition Anyscale supports (seed 004 FAQ: no China or GovCloud regions).
AWS_PARTITION: Final = "aws"

# --- Network (seed 004 "Detailed Resource Requirements") --------------------------------
#: The VPC CIDR "must be greater than or equal to /24" ...
MIN_VPC_PREFIX_LENGTH: Final = 24
#: ... "but we recommend that it be greater than or equal to /20".
RECOMMENDED_VPC_PREFIX_LENGTH: Final = 20
#: Subnets "must be greater than or equal to /28" ...
MIN_SUBNET_PREFIX_LENGTH: Final = 28
#: ... "but we recommend that it be greater than or equal to /24".
RECOMMENDED_SUBNET_PREFIX_LENGTH: Final = 24
#: "Must provide >= 2 subnet"; the verifier also wants >= 2 availability zones.
MIN_SUBNETS: Final = 2
MIN_AVAILABILITY_ZONES: Final = 2
#: AWS: the largest VPC CIDR block is a /16 (the smallest, /28, is below Anyscale's /24).
AWS_LARGEST_VPC_PREFIX_LENGTH: Final = 16
#: Default VPC CIDR: a /16, far above the recommended /20.
DEFAULT_VPC_CIDR: Final = "10.0.0.0/16"
#: Default number of availability zones for a new VPC (fewer if the region has fewer).
DEFAULT_AZ_COUNT: Final = 3

# --- Security group (seed 004 "Security Group") ---------------------------------------
#: Ports the verifier expects to see open inbound; more triggers its "may not be safe" warning.
VERIFIER_EXPECTED_INGRESS_PORTS: Final = frozenset({HTTPS_PORT, SSH_PORT})

# --- S3 (seed 004 "S3"; verifier check_aws_cors_rules) --------------------------------
#: Actions the seed's bucket policy grants both roles.
BUCKET_ROLE_ACTIONS: Final = ("s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket")
#: Actions both roles need on a customer-managed KMS key (seed 004: SSE-KMS).
KMS_ROLE_ACTIONS: Final = ("kms:GenerateDataKey", "kms:Decrypt")

# --- IAM (seed 004 "IAM Role for cross account access"; CLI aws_iam_policies.py) -------
STEADY_STATE_POLICY_NAME: Final = "Anyscale_IAM_Policy_Steady_State"
SERVICE_STEADY_STATE_POLICY_NAME: Final = "Anyscale_IAM_Policy_Service_Steady_State"
EC2_SERVICE_PRINCIPAL: Final = "ec2.amazonaws.com"
#: The verifier warns when the node role lacks this managed policy.
ECR_READ_ONLY_POLICY_NAME: Final = "AmazonEC2ContainerRegistryReadOnly"

# --- MemoryDB (seed 004 "MemoryDB") ------------------------------------------------------
DEFAULT_MEMORYDB_NODE_TYPE: Final = "db.t4g.small"
#: The parameter-group setting, and the value seed 004 asks for.
MEMORYDB_MAXMEMORY_PARAMETER: Final = "maxmemory-policy"
MEMORYDB_MAXMEMORY_POLICY: Final = "allkeys-lru"
MIN_MEMORYDB_REPLICAS_PER_SHARD: Final = 1

# --- Values `anyscale cloud register` rejects as documentation placeholders -------------
PLACEHOLDER_AWS_ACCOUNT_ID: Final = "123456789012"
PLACEHOLDER_BUCKET_NAMES: Final = frozenset({"s3://my-bucket", "my-bucket"})

# --- EKS (Kubernetes compute stack; issue 12) ------------------------------------------------
# "anchor" is anyscale/terraform-kubernetes-anyscale-foundation-modules (examples/aws/eks-*);
# "CLI" is the anyscale package (commands/setup_k8s.py, commands/cloud_commands.py).
#: Kubernetes version of a new cluster (the anchor pins 1.32; 1.33 is in EKS standard support).
DEFAULT_EKS_VERSION: Final = "1.33"
#: Access entries and the aws-auth ConfigMap both work (anchor: API_AND_CONFIG_MAP).
EKS_AUTHENTICATION_MODE: Final = "API_AND_CONFIG_MAP"
EKS_SERVICE_PRINCIPAL: Final = "eks.amazonaws.com"
#: Who assumes a role for a pod under EKS Pod Identity (EKS user guide, pod-id-role).
EKS_POD_IDENTITY_PRINCIPAL: Final = "pods.eks.amazonaws.com"
#: The audience of the projected service-account token IRSA exchanges (EKS user guide).
STS_AUDIENCE: Final = "sts.amazonaws.com"
#: The cluster role's managed policy, and the node role's (EKS user guide; anchor's module).
EKS_CLUSTER_POLICY: Final = "AmazonEKSClusterPolicy"
EKS_NODE_POLICIES: Final = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly")
#: The EFS CSI driver's managed policy (its add-on's service account gets it by Pod Identity).
EFS_CSI_DRIVER_POLICY: Final = "service-role/AmazonEFSCSIDriverPolicy"
EFS_CSI_CONTROLLER_SERVICE_ACCOUNT: Final = "efs-csi-controller-sa"
#: Managed add-ons of a new cluster; the EFS CSI driver is added when the cloud has EFS.
EKS_CORE_ADDONS: Final = ("vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent")
EKS_EFS_CSI_ADDON: Final = "aws-efs-csi-driver"
#: Node images (anchor: AL2023 standard for CPU, AL2023 NVIDIA for GPU groups).
EKS_CPU_AMI_TYPE: Final = "AL2023_x86_64_STANDARD"
EKS_GPU_AMI_TYPE: Final = "AL2023_x86_64_NVIDIA"
#: The system node group (CoreDNS, the operator, the gateway, the autoscaler; anchor "default").
DEFAULT_SYSTEM_INSTANCE_TYPES: Final = ("t3.medium",)
DEFAULT_SYSTEM_MIN_SIZE: Final = 1
DEFAULT_SYSTEM_DESIRED_SIZE: Final = 2
DEFAULT_SYSTEM_MAX_SIZE: Final = 4
#: The label the system group carries (the operator's nodeSelector); no Anyscale taint.
SYSTEM_NODE_ROLE_LABEL: Final = "node.anyscale.com/role"
SYSTEM_NODE_ROLE: Final = "system"
#: Workload groups start empty and scale with the autoscaler (anchor: min 0, max 10).
DEFAULT_CPU_INSTANCE_TYPES: Final = ("m5.8xlarge", "m5.4xlarge")
DEFAULT_WORKLOAD_MIN_SIZE: Final = 0
DEFAULT_WORKLOAD_MAX_SIZE: Final = 10
#: Root volume of workload nodes, GiB (anchor: node_group_disk_size = 500; Ray images are large).
DEFAULT_WORKLOAD_DISK_SIZE_GB: Final = 500
#: Kubernetes taint effects -> the EKS API's spelling.
EKS_TAINT_EFFECTS: Final = {"NoSchedule": "NO_SCHEDULE", "NoExecute": "NO_EXECUTE", "PreferNoSchedule": "PREFER_NO_SCHEDULE"}
#: Load-balancer subnet discovery (EKS user guide "Subnet tagging"; anchor's VPC tags).
K8S_ELB_ROLE_TAG: Final = "kubernetes.io/role/elb"
K8S_INTERNAL_ELB_ROLE_TAG: Final = "kubernetes.io/role/internal-elb"
K8S_CLUSTER_TAG_PREFIX: Final = "kubernetes.io/cluster/"
K8S_CLUSTER_TAG_SHARED: Final = "shared"
#: Tags EKS puts on a managed node group's Auto Scaling group (what the autoscaler may scale).
CLUSTER_AUTOSCALER_TAG_PREFIX: Final = "k8s.io/cluster-autoscaler/"
#: The cluster autoscaler: chart (anchor README pins 9.46.0), namespace, service account.
CLUSTER_AUTOSCALER_CHART: Final = "cluster-autoscaler"
CLUSTER_AUTOSCALER_CHART_REPOSITORY: Final = "https://kubernetes.github.io/autoscaler"
CLUSTER_AUTOSCALER_CHART_VERSION: Final = "9.46.0"
CLUSTER_AUTOSCALER_NAMESPACE: Final = "kube-system"
CLUSTER_AUTOSCALER_SERVICE_ACCOUNT: Final = "cluster-autoscaler"
#: The NVIDIA device plugin for GPU groups (anchor README pins 0.17.1).
NVIDIA_DEVICE_PLUGIN_CHART: Final = "nvidia-device-plugin"
NVIDIA_DEVICE_PLUGIN_CHART_REPOSITORY: Final = "https://nvidia.github.io/k8s-device-plugin"
NVIDIA_DEVICE_PLUGIN_CHART_VERSION: Final = "0.17.1"
NVIDIA_DEVICE_PLUGIN_NAMESPACE: Final = "nvidia-device-plugin"
#: Actions the operator's role gets on the bucket: the CLI's own operator role
#: (setup_k8s._generate_aws_cloudformation_template, AnyscaleS3AccessPolicy); seed 004's
#: node-role policy lists no multipart actions either (s3:PutObject covers multipart uploads).
OPERATOR_BUCKET_OBJECT_ACTIONS: Final = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
OPERATOR_BUCKET_ACTIONS: Final = ("s3:ListBucket",)
#: EFS client access on the cloud's file system only (AmazonElasticFileSystemClientReadWriteAccess,
#: which the anchor attaches, grants the same on every file system).
EFS_CLIENT_ACTIONS: Final = ("elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite")
#: NFS, what EFS mount targets serve.
NFS_PORT: Final = 2049

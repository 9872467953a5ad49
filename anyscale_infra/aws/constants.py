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

"""Facts about Anyscale on Google Cloud that the components, validators and the policy pack
implement, each with its source.

"seeds 001/002" are Anyscale's architecture pages (shared/seeds/); "verifier" is the check
``anyscale cloud register --provider gcp`` runs (``anyscale/gcp_verification.py`` in the
CLI, and ``CloudController._validate_gcp_config``); "anchor" is Anyscale's Terraform
modules (anyscale/terraform-google-anyscale-cloudfoundation-modules). The Anyscale-wide
facts (CORS, the cloud id label, ports) live in :mod:`anyscale_infra.constants` and are
re-exported here for the GCP modules.
"""

from __future__ import annotations

from typing import Final

from anyscale_infra.constants import (  # noqa: F401 - re-exported for the GCP modules
    ANYSCALE_CONTROL_PLANE_AWS_ACCOUNT_ID,
    ANYSCALE_CORS_ALLOWED_HEADERS,
    ANYSCALE_CORS_ALLOWED_METHODS,
    ANYSCALE_CORS_EXPOSE_HEADERS,
    ANYSCALE_CORS_ORIGIN,
    CLOUD_ID_TAG_KEY,
    HTTPS_PORT,
    SSH_PORT,
)

# --- Control plane and identity -----------------------------------------------------------
#: Anyscale's control plane runs on AWS: workload identity federation admits its account.
ANYSCALE_AWS_ACCOUNT_ID: Final = ANYSCALE_CONTROL_PLANE_AWS_ACCOUNT_ID
#: The AWS role Anyscale's control plane assumes to reach a customer's GCP project is named
#: ``gcp_if_<org id>`` (anchor: ``workload_identity_pool_crossacct_rolename``).
ANYSCALE_WIF_ROLE_PREFIX: Final = "gcp_if_"

# --- Predefined roles (the identity grants them; the verifier and the pack look for them) ---
#: On the access account itself, for itself: ``iam.serviceAccounts.signBlob``, which log
#: download needs (verifier: ``verify_gcp_access_service_account`` looks for this binding).
TOKEN_CREATOR_ROLE: Final = "roles/iam.serviceAccountTokenCreator"
#: On the access account, for the federated Anyscale identity: lets it impersonate the account.
WORKLOAD_IDENTITY_USER_ROLE: Final = "roles/iam.workloadIdentityUser"
#: On the instance account, for the access account: ``iam.serviceAccounts.actAs``, needed to
#: launch VMs that run as the instance account (anchor: ``anyscale_cluster_node_service_acct``).
SERVICE_ACCOUNT_USER_ROLE: Final = "roles/iam.serviceAccountUser"
#: On the project, for the instance account: pull custom images from Artifact Registry
#: (verifier: ``verify_gcp_dataplane_service_account`` warns without it or ``roles/viewer``).
ARTIFACT_REGISTRY_READER_ROLE: Final = "roles/artifactregistry.reader"
#: What the verifier wants the access account to hold on the project (it prompts otherwise).
PROJECT_ADMIN_ROLES: Final = frozenset({"roles/owner", "roles/editor"})
#: On the bucket (verifier ``_verify_service_account_on_bucket``): ``storage.admin``, or one
#: of these role sets ...
BUCKET_ADMIN_ROLE: Final = "roles/storage.admin"
VERIFIER_BUCKET_ROLE_SETS: Final = (
    frozenset({"roles/storage.legacyBucketReader", "roles/storage.objectViewer", "roles/storage.objectCreator"}),
    frozenset({"roles/storage.objectAdmin", "roles/storage.legacyBucketReader"}),
    frozenset({"roles/storage.legacyBucketWriter", "roles/storage.legacyObjectReader"}),
    frozenset({"roles/storage.legacyBucketWriter", "roles/storage.legacyObjectOwner"}),
    frozenset({"roles/storage.legacyBucketOwner", "roles/storage.legacyObjectReader"}),
    frozenset({"roles/storage.legacyBucketOwner", "roles/storage.legacyObjectOwner"}),
)
#: ... of which both accounts get the "most brief", the one its warning suggests (sorted:
#: one BucketIAMMember per account and role, named by meaning).
BUCKET_ROLES: Final = ("roles/storage.legacyBucketReader", "roles/storage.objectAdmin")
#: Members that make a resource public (https://cloud.google.com/iam/docs/principals-overview).
PUBLIC_MEMBERS: Final = frozenset({"allUsers", "allAuthenticatedUsers"})

# --- Project, APIs -------------------------------------------------------------------------
#: Services an Anyscale cloud needs enabled (issue 11; the verifier checks its own list,
#: GCP_REQUIRED_APIS in anyscale/utils/gcp_utils.py, and offers to enable what is missing).
REQUIRED_APIS: Final = (
    "compute.googleapis.com",
    "file.googleapis.com",
    "storage.googleapis.com",
    "storage-component.googleapis.com",
    "certificatemanager.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "serviceusage.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "sts.googleapis.com",
)
#: Memorystore for Redis (only when it is on; the verifier adds it the same way).
MEMORYSTORE_API: Final = "redis.googleapis.com"

# --- Network -------------------------------------------------------------------------------
#: The verifier's GCP subnet capacity (anyscale/utils/network_verification.py,
#: GCP_SUBNET_CAPACITY): an error below a /24, a warning below a /20.
MIN_SUBNET_PREFIX_LENGTH: Final = 24
RECOMMENDED_SUBNET_PREFIX_LENGTH: Final = 20
#: `cloud register` uses one subnet (it warns when given more, and ignores the rest).
SUBNET_PURPOSE_PROXY_ONLY: Final = "REGIONAL_MANAGED_PROXY"
#: Google's load balancer health checks come from these ranges (verifier, shared VPC check;
#: https://cloud.google.com/load-balancing/docs/health-checks#fw-rule).
GOOGLE_HEALTH_CHECK_RANGES: Final = ("35.191.0.0/16", "130.211.0.0/22")
#: Identity-Aware Proxy TCP forwarding (SSH through IAP) comes from this range.
IAP_RANGE: Final = "35.235.240.0/20"
#: Anyscale Services listen on 8000 behind Google's load balancers (verifier).
SERVICES_PORT: Final = 8000

# --- Cloud Storage ------------------------------------------------------------------------
GCS_SCHEME: Final = "gs://"
#: The verifier reads the CORS rule's ``responseHeader``, ``origin`` and ``method``.
CORS_MAX_AGE_SECONDS: Final = 3600
#: Public access prevention values the verifier accepts (it warns on anything else).
PUBLIC_ACCESS_PREVENTION_ENFORCED: Final = "enforced"

# --- Memorystore (verifier verify_memorystore) ----------------------------------------------
MEMORYSTORE_TIER: Final = "STANDARD_HA"
MEMORYSTORE_READ_REPLICAS_MODE: Final = "READ_REPLICAS_ENABLED"
MIN_MEMORYSTORE_REPLICAS: Final = 1
#: The verifier rejects TLS on Memorystore (unlike MemoryDB on AWS, where TLS is required).
MEMORYSTORE_TRANSIT_ENCRYPTION: Final = "DISABLED"
MEMORYSTORE_MAXMEMORY_PARAMETER: Final = "maxmemory-policy"
MEMORYSTORE_MAXMEMORY_POLICY: Final = "allkeys-lru"

# --- Defaults -------------------------------------------------------------------------------
DEFAULT_REGION: Final = "us-central1"

# --- GKE (issue 12: the Kubernetes compute stack) --------------------------------------------
#: Kubernetes Engine: GKE clusters and node pools (only when a GKE cloud is built).
CONTAINER_API: Final = "container.googleapis.com"
#: The workload identity pool every GKE cluster of a project shares: ``<project>.svc.id.goog``
#: (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity).
WORKLOAD_POOL_SUFFIX: Final = ".svc.id.goog"
#: What a pool's metadata server must be for pods to get their Kubernetes service account's
#: Google identity (``GCE_METADATA`` would hand every pod the node's account).
GKE_METADATA_MODE: Final = "GKE_METADATA"
#: The GKE node service account's roles: Google's least-privilege set for nodes
#: (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa),
#: plus Artifact Registry reads (images). NOT the operator's bucket roles: pods get their
#: own identity through Workload Identity, never the node's.
GKE_NODE_ROLES: Final = (
    "roles/artifactregistry.reader",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
)
#: The OAuth scope GKE nodes get: access is then governed by IAM alone (Google's advice).
CLOUD_PLATFORM_SCOPE: Final = "https://www.googleapis.com/auth/cloud-platform"
#: Kubernetes taint effects in the GKE API's spelling.
GKE_TAINT_EFFECTS: Final = {"NoSchedule": "NO_SCHEDULE", "PreferNoSchedule": "PREFER_NO_SCHEDULE", "NoExecute": "NO_EXECUTE"}
#: GKE node pool and cluster names: at most 40 characters (RFC 1035).
GKE_NAME_MAX_LENGTH: Final = 40

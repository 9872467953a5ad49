"""What Anyscale's control plane may do in a Google Cloud project, as plain data: the access
service account's custom role (every permission with its reason), the predefined roles the
identity component grants, and the workload identity federation provider's attribute
mapping and condition.

Pure functions on plain strings (no Pulumi, no cloud SDK), so every value here can be
unit-tested and reused outside :class:`~anyscale_infra.gcp.identity.AnyscaleGcpIdentity`.
Sources: "anchor" is Anyscale's Terraform module (``modules/google-anyscale-iam/roles.tf``
and ``main.tf``), "verifier" is ``anyscale cloud register --provider gcp``
(``anyscale/gcp_verification.py``, ``CloudController._validate_gcp_config``), "Anyscale's
setup" is the CLI's own managed setup (``anyscale-cloud-setup-gcp.yaml``,
``terraform/main.tf`` and ``utils/gcp_managed_setup_utils.py`` in the CLI package).

The validators at the end (pool and provider ids, provider names, role ids and names)
belong with :mod:`anyscale_infra.gcp.validation`; they live here until they move.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from anyscale_infra.gcp import constants as c
from anyscale_infra.validation import check_org_id


class Permission(NamedTuple):
    """One permission of the access role and why Anyscale's control plane needs it."""

    permission: str
    reason: str


# --- Predefined roles the identity component grants ---------------------------------------
# The shared ones live in gcp/constants.py (the pack looks for them too).
TOKEN_CREATOR_ROLE = c.TOKEN_CREATOR_ROLE
WORKLOAD_IDENTITY_USER_ROLE = c.WORKLOAD_IDENTITY_USER_ROLE
SERVICE_ACCOUNT_USER_ROLE = c.SERVICE_ACCOUNT_USER_ROLE
ARTIFACT_REGISTRY_READER_ROLE = c.ARTIFACT_REGISTRY_READER_ROLE
#: On the project, for the instance account, when logging and monitoring are on (anchor:
#: ``enable_anyscale_cluster_logging_monitoring``, off by default).
LOGGING_WRITER_ROLE = "roles/logging.logWriter"
MONITORING_WRITER_ROLE = "roles/monitoring.metricWriter"

# --- The access role's permissions --------------------------------------------------------
# The anchor's role (roles.tf, "Minimal scoped IAM Role" since its 0.10.0), permission for
# permission, grouped by what Anyscale does with each kind of resource. One change: its
# project-wide Cloud Storage reads are optional (STORAGE_READ_PERMISSIONS, below).

_VERBS = {
    "create": "create them",
    "delete": "delete them when they are no longer needed",
    "get": "read one",
    "list": "find the existing ones",
    "update": "change them in place",
    "use": "reference them from the resources that depend on them",
    "useReadOnly": "reference them read-only from the backend services that probe with them",
    "attachNetworkEndpoints": "add cluster nodes as endpoints",
    "detachNetworkEndpoints": "remove nodes as endpoints when they go away",
}


def _family(prefix: str, what: str, verbs: Sequence[str]) -> list[Permission]:
    """``prefix.verb`` for each verb, with the family's purpose and the verb's meaning."""
    return [Permission(f"{prefix}.{verb}", f"{what}: {_VERBS[verb]} (anchor)") for verb in verbs]


_CRUD_USE = ("create", "delete", "get", "list", "update", "use")
_SERVICES = "Anyscale Services load balancing"

#: Cluster nodes: launching, tracking and terminating the VMs of Anyscale clusters.
_NODES = [
    Permission("compute.instances.create", "launch cluster nodes (head and workers) (anchor)"),
    Permission("compute.instances.delete", "terminate nodes when clusters stop or scale down (anchor)"),
    Permission("compute.instances.get", "read a node's state while it starts, runs and stops (anchor)"),
    Permission("compute.instances.list", "find the cloud's nodes (by label) to reconcile clusters (anchor)"),
    Permission("compute.instances.setLabels", "label nodes with the cloud and cluster they belong to (anchor)"),
    Permission("compute.instances.setMetadata", "pass each node its startup configuration as instance metadata (anchor)"),
    Permission(
        "compute.instances.setServiceAccount",
        "run nodes as the instance service account; the matching iam.serviceAccounts.actAs comes from "
        "roles/iam.serviceAccountUser on that one account, never project-wide (anchor)",
    ),
    Permission("compute.instances.update", "change a running node's settings in place (anchor)"),
    Permission("compute.instances.use", "put nodes into instance groups and network endpoint groups for Services (anchor)"),
    Permission("compute.disks.create", "create the nodes' boot and data disks at launch (anchor)"),
    Permission("compute.disks.list", "find the disks of the cloud's nodes (anchor)"),
    Permission("compute.subnetworks.list", "find the subnet the cloud is registered with (anchor)"),
    Permission("compute.subnetworks.use", "place nodes in the registered subnet (anchor)"),
    Permission(
        "compute.subnetworks.useExternalIp",
        "give nodes public IPs in direct networking (seed: clusters reached over public IPs) (anchor)",
    ),
]

#: Choosing where and what to launch.
_DISCOVERY = [
    Permission("compute.acceleratorTypes.list", "offer and validate the GPU types of each zone (anchor)"),
    Permission("compute.machineTypes.list", "offer and validate the machine types of each zone (anchor)"),
    Permission("compute.regions.list", "check the cloud's region and its quotas (anchor)"),
    Permission("compute.zones.list", "spread nodes over the region's zones (anchor)"),
    Permission("compute.reservations.list", "launch nodes into the project's capacity reservations (anchor)"),
]

#: Waiting for the asynchronous operations every compute change returns.
_OPERATIONS = [
    Permission("compute.zoneOperations.get", "wait for zonal operations (node launch and termination) to finish (anchor)"),
    Permission("compute.regionOperations.get", "wait for regional operations (regional load balancer parts) to finish (anchor)"),
    Permission("compute.globalOperations.get", "wait for global operations (global load balancer parts, firewall rules) to finish (anchor)"),
]

#: Anyscale Services: the load balancers in front of a service's replicas.
_LOAD_BALANCING = [
    *_family("compute.backendServices", f"{_SERVICES}, global backend services routing to replicas", _CRUD_USE),
    *_family("compute.regionBackendServices", f"{_SERVICES}, regional backend services routing to replicas", _CRUD_USE),
    *_family("compute.forwardingRules", f"{_SERVICES}, regional forwarding rules (the service's IP and port)", ("create", "delete", "list", "update")),
    *_family("compute.globalForwardingRules", f"{_SERVICES}, global forwarding rules (the service's IP and port)", ("create", "delete", "list", "update")),
    *_family("compute.healthChecks", f"{_SERVICES}, global health checks of replicas", (*_CRUD_USE, "useReadOnly")),
    *_family("compute.regionHealthChecks", f"{_SERVICES}, regional health checks of replicas", (*_CRUD_USE, "useReadOnly")),
    *_family("compute.httpHealthChecks", f"{_SERVICES}, legacy HTTP health checks", _CRUD_USE),
    *_family("compute.httpsHealthChecks", f"{_SERVICES}, legacy HTTPS health checks", _CRUD_USE),
    *_family("compute.instanceGroups", f"{_SERVICES}, unmanaged instance groups of a service's nodes (backends)", _CRUD_USE),
    *_family(
        "compute.networkEndpointGroups",
        f"{_SERVICES}, zonal network endpoint groups of a service's nodes (backends; anchor 0.18.0)",
        ("attachNetworkEndpoints", "create", "delete", "detachNetworkEndpoints", "get", "list", "use"),
    ),
    *_family("compute.regionSslCertificates", f"{_SERVICES}, regional TLS certificates of service endpoints", ("create", "delete", "get", "list")),
    *_family("compute.targetHttpProxies", f"{_SERVICES}, global HTTP proxies", _CRUD_USE),
    *_family("compute.targetHttpsProxies", f"{_SERVICES}, global HTTPS proxies", _CRUD_USE),
    *_family("compute.regionTargetHttpProxies", f"{_SERVICES}, regional HTTP proxies", _CRUD_USE),
    *_family("compute.regionTargetHttpsProxies", f"{_SERVICES}, regional HTTPS proxies", _CRUD_USE),
    *_family("compute.urlMaps", f"{_SERVICES}, global URL maps routing requests to services", _CRUD_USE),
    *_family("compute.regionUrlMaps", f"{_SERVICES}, regional URL maps routing requests to services", _CRUD_USE),
]

#: Anyscale Services: Google-managed TLS certificates (certificatemanager.googleapis.com is
#: one of the verifier's required APIs, "Certificate Manager for Services").
_CERTIFICATES = [
    *_family("certificatemanager.certs", "Services TLS, Certificate Manager certificates", ("create", "delete", "get", "use")),
    *_family("certificatemanager.certmaps", "Services TLS, certificate maps attached to the HTTPS proxies", ("create", "delete", "get", "list", "use")),
    *_family("certificatemanager.certmapentries", "Services TLS, certificate map entries (one per hostname)", ("create", "delete", "get")),
    *_family("certificatemanager.dnsauthorizations", "Services TLS, DNS authorizations proving the service domain", ("create", "delete", "get", "use")),
    Permission("certificatemanager.operations.get", "Services TLS: wait for Certificate Manager operations to finish (anchor)"),
]

#: VPC firewall rules (the anchor's role has them; Anyscale's own network rules live in the
#: firewall policy the firewall component creates).
_FIREWALLS = [
    *_family("compute.firewalls", "VPC firewall rules the control plane manages for clusters and Services", ("create", "delete", "list", "update")),
    Permission(
        "compute.networks.updatePolicy",
        "required with compute.firewalls.create, update and delete: a VPC firewall rule changes its network's policy (anchor)",
    ),
]

#: The anchor's project-wide Cloud Storage reads: every bucket and object of the project.
#: Not in the role by default: the Anyscale bucket's own IAM members grant them on that bucket
#: alone (anchor: the cloudstorage module's ``bucket_iam_member_roles``, objectAdmin,
#: legacyBucketReader and folderAdmin for the access account). The anchor added them for
#: clouds whose bucket it does not manage (``existing_cloudstorage_bucket_name``).
STORAGE_READ_PERMISSIONS: tuple[Permission, ...] = (
    Permission("storage.buckets.get", "read the cloud bucket's settings (anchor, project-wide)"),
    Permission("storage.objects.get", "read logs for log download and the console (anchor 0.12.1: \"new logging\", project-wide)"),
    Permission("storage.objects.list", "list a workspace's files (anchor 0.14.1: \"Workspace dependencies tab\", project-wide)"),
    Permission("storage.folders.get", "read folders of buckets with hierarchical namespace (anchor, project-wide)"),
    Permission("storage.folders.list", "list folders of buckets with hierarchical namespace (anchor, project-wide)"),
)

#: The access role's permissions, each with its reason.
ACCESS_ROLE_PERMISSIONS: tuple[Permission, ...] = (
    *_NODES,
    *_DISCOVERY,
    *_OPERATIONS,
    *_LOAD_BALANCING,
    *_CERTIFICATES,
    *_FIREWALLS,
)


def access_role_permissions(project_wide_storage_read: bool = False) -> list[str]:
    """The custom role's ``permissions``, sorted (a stable diff whatever the grouping above)."""
    permissions = list(ACCESS_ROLE_PERMISSIONS)
    if project_wide_storage_read:
        permissions += STORAGE_READ_PERMISSIONS
    return sorted(p.permission for p in permissions)


# --- Workload identity federation ----------------------------------------------------------
#: AWS role names are at most 64 characters (IAM quotas), so ``gcp_if_<org id>`` bounds the
#: organization id.
AWS_ROLE_NAME_MAX_LENGTH = 64
_AWS_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")

#: Google's default ``attribute.aws_role`` for AWS providers, which Anyscale's own provider
#: and the anchor use too: for ``arn:aws:sts::<account>:assumed-role/<role>/<session>`` it is
#: ``arn:aws:sts::<account>:assumed-role/<role>`` (the session dropped); any other ARN maps
#: to itself.
AWS_ROLE_ATTRIBUTE_MAPPING = (
    "assertion.arn.contains('assumed-role')"
    " ? assertion.arn.extract('{account_arn}assumed-role/')"
    " + 'assumed-role/'"
    " + assertion.arn.extract('assumed-role/{role_name}/')"
    " : assertion.arn"
)


def attribute_mapping() -> dict[str, str]:
    """The provider's attribute mapping: Anyscale's own (``create_anyscale_aws_provider``)
    and the anchor's, key for key. ``google.subject`` is the caller's full STS ARN;
    ``attribute.aws_role`` is what the condition and the ``workloadIdentityUser`` member test."""
    return {
        "google.subject": "assertion.arn",
        "attribute.aws_role": AWS_ROLE_ATTRIBUTE_MAPPING,
        "attribute.arn": "assertion.arn",
    }


def anyscale_role_arn(org_id: str, aws_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID) -> str:
    """``arn:aws:sts::<account>:assumed-role/gcp_if_<org id>``: the ``attribute.aws_role`` of
    Anyscale's control plane acting for this organization (anchor:
    ``workload_identity_pool_crossacct_rolename``; Anyscale's setup: the same ARN in its
    ``workloadIdentityUser`` member).

    Both values end up inside CEL string literals and an IAM principal: the organization id is
    ``org_`` and letters and digits (``check_org_id``), the account twelve digits, so neither
    can carry a quote, a backslash or a ``/``.
    """
    check_org_id(org_id)
    if not isinstance(aws_account_id, str) or not _AWS_ACCOUNT_ID.match(aws_account_id):
        raise ValueError(f"{aws_account_id!r} is not a 12-digit AWS account id")
    role = c.ANYSCALE_WIF_ROLE_PREFIX + org_id
    if len(role) > AWS_ROLE_NAME_MAX_LENGTH:
        raise ValueError(
            f"organization id {org_id!r} is too long: the AWS role {role} would exceed AWS's "
            f"{AWS_ROLE_NAME_MAX_LENGTH}-character limit for role names"
        )
    return f"arn:aws:sts::{aws_account_id}:assumed-role/{role}"


def attribute_condition(org_id: str, aws_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID) -> str:
    """The provider's attribute condition: admit Anyscale's role for this organization, exactly.

    The anchor's (and Anyscale's setup's) ``google.subject.startsWith("...assumed-role/gcp_if_<org>")``
    also admits ``gcp_if_<org>x...``: every role whose name merely *starts* with Anyscale's
    one, e.g. ``gcp_if_org_abc`` would admit ``gcp_if_org_abcd``'s sessions. Here both tests
    pin the exact role, independently:

    * ``attribute.aws_role == "<role ARN>"``: the mapped role, compared whole (Google's own
      example of an AWS condition has this shape);
    * ``google.subject.startsWith("<role ARN>/")``: the raw STS ARN, with the ``/`` that ends the
      role name (AWS role and session names cannot contain ``/``), so it holds even without
      the mapping.
    """
    role = anyscale_role_arn(org_id, aws_account_id)
    return f'attribute.aws_role == "{role}" && google.subject.startsWith("{role}/")'


def workload_identity_principal(pool_name: str, org_id: str, aws_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID) -> str:
    """The ``roles/iam.workloadIdentityUser`` member: the pool's identities whose
    ``attribute.aws_role`` is Anyscale's role for this organization (as Anyscale's own setup
    binds it), not the anchor's ``principalSet://.../<pool>/*`` (every identity of the pool:
    with a shared or existing pool, whatever its other providers admit)."""
    check_pool_name(pool_name)
    return f"principalSet://iam.googleapis.com/{pool_name}/attribute.aws_role/{anyscale_role_arn(org_id, aws_account_id)}"


# --- Validators (to move to anyscale_infra.gcp.validation) ---------------------------------
# Pool and provider ids: 4-32 of [a-z0-9-]; the prefix "gcp-" is Google's
# (https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/create).
# Not starting or ending with '-', as gcp/register.py's PROVIDER_NAME (the two agree).
_WIF_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,30}[a-z0-9]$")
#: The verifier's check of ``--provider-name`` (``CloudController._validate_gcp_config``), verbatim.
CLI_PROVIDER_NAME_PATTERN = r"projects\/[0-9]*\/locations\/global\/workloadIdentityPools\/.+\/providers\/[a-z0-9-]*$"
_PROVIDER_NAME = re.compile(
    r"^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/workloadIdentityPools/(?P<pool>[^/]+)"
    r"/providers/(?P<provider>[^/]+)$"
)
_POOL_NAME = re.compile(r"^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/workloadIdentityPools/(?P<pool>[^/]+)$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
# Custom role ids: 3-64 of letters, digits, '_' and '.' (no '-').
_ROLE_ID = re.compile(r"^[a-zA-Z0-9_.]{3,64}$")
# Roles to grant: predefined (roles/x.y) or custom (projects/<id>/roles/<id>, organizations/<n>/roles/<id>).
_ROLE_NAME = re.compile(
    r"^(roles/[a-zA-Z0-9_.]+|projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/roles/[a-zA-Z0-9_.]{3,64}"
    r"|organizations/[0-9]+/roles/[a-zA-Z0-9_.]{3,64})$"
)


def check_wif_id(value: str, what: str = "pool id") -> str:
    """A workload identity pool or provider id."""
    if not isinstance(value, str) or not _WIF_ID.match(value):
        raise ValueError(
            f"{what} {value!r} must be 4 to 32 lowercase letters, digits and hyphens, not starting or ending "
            "with a hyphen"
        )
    if value.startswith("gcp-"):
        raise ValueError(f"{what} {value!r} must not start with 'gcp-' (reserved by Google)")
    return value


def _check_location_and_number(match: re.Match, value: str, what: str) -> None:
    if match.group("location") != "global":
        raise ValueError(f"{what} {value!r} is not in location 'global' (workload identity pools are global)")
    if not _PROJECT_NUMBER.match(match.group("project")):
        raise ValueError(
            f"{what} {value!r} names project {match.group('project')!r}: it must name the project NUMBER "
            "(gcloud projects describe <project id> --format='value(projectNumber)'), as --provider-name requires"
        )


def check_provider_name(value: str) -> str:
    """A full provider name, as ``cloud register --provider-name`` takes it:
    ``projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<id>``.
    Stricter than the verifier's pattern (:data:`CLI_PROVIDER_NAME_PATTERN`), never looser."""
    match = _PROVIDER_NAME.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(
            f"{value!r} is not a provider name like "
            "projects/123456789012/locations/global/workloadIdentityPools/<pool id>/providers/<provider id>"
        )
    _check_location_and_number(match, value, "provider name")
    check_wif_id(match.group("pool"), "pool id")
    check_wif_id(match.group("provider"), "provider id")
    return value


def check_pool_name(value: str) -> str:
    """A full pool name: ``projects/<project number>/locations/global/workloadIdentityPools/<pool>``."""
    match = _POOL_NAME.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a pool name like projects/123456789012/locations/global/workloadIdentityPools/<pool id>")
    _check_location_and_number(match, value, "pool name")
    check_wif_id(match.group("pool"), "pool id")
    return value


def pool_name_of(provider_name: str) -> str:
    """``projects/<n>/locations/global/workloadIdentityPools/<pool>`` of a provider name (the
    CLI's own split: ``provider_name.rsplit("/providers/", 1)[0]``)."""
    return check_provider_name(provider_name).rsplit("/providers/", 1)[0]


def check_role_id(value: str) -> str:
    if not isinstance(value, str) or not _ROLE_ID.match(value):
        raise ValueError(f"custom role id {value!r} must be 3 to 64 letters, digits, '_' and '.' (no '-')")
    return value


def check_role_name(value: str) -> str:
    """A role to grant: ``roles/...``, ``projects/<id>/roles/<id>`` or ``organizations/<n>/roles/<id>``."""
    if not isinstance(value, str) or not _ROLE_NAME.match(value):
        raise ValueError(
            f"{value!r} is not a role like roles/logging.logWriter, projects/<project id>/roles/<role id> "
            "or organizations/<number>/roles/<role id>"
        )
    return value

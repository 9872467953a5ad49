"""Validators for the operator's inputs: plain functions raising ValueError with a sentence.

Kubernetes names follow the API's own rules (RFC 1123 labels for namespaces, subdomains for
service accounts); each cloud's identity format is its own folder's check (pure modules, no
cloud SDK): an IAM role ARN on AWS, a service account email on GCP, a client id (a GUID) on
Azure.
"""

from __future__ import annotations

import re
from typing import Optional

from anyscale_infra.kubernetes import constants as c

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_CLOUD_DEPLOYMENT_ID = re.compile(c.CLOUD_DEPLOYMENT_ID_PATTERN)
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL_LIKE = re.compile(r"^[^@\s]+@[^@\s]+$")


def check_namespace(value: str) -> str:
    """A namespace name is an RFC 1123 label: at most 63 lowercase letters, digits and '-',
    starting and ending with a letter or digit (the CLI checks the same in setup_k8s)."""
    if not isinstance(value, str) or len(value) > 63 or not _DNS_LABEL.match(value):
        raise ValueError(
            f"{value!r} is not an RFC 1123 label (at most 63 lowercase letters, digits and '-', "
            "starting and ending with a letter or digit)"
        )
    return value


def check_service_account_name(value: str) -> str:
    """A service account name is an RFC 1123 subdomain (at most 253 characters)."""
    if not isinstance(value, str) or len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
        raise ValueError(
            f"{value!r} is not an RFC 1123 subdomain (lowercase letters, digits, '-' and '.', "
            "at most 253 characters, starting and ending with a letter or digit)"
        )
    return value


def check_cloud_deployment_id(value: str) -> str:
    """The id `cloud register` prints (``cldrsrc_`` and 26 lowercase letters or digits)."""
    if not isinstance(value, str) or not _CLOUD_DEPLOYMENT_ID.match(value):
        hint = " (that is a cloud id; the operator needs the cloud resource id)" if str(value).startswith("cld_") else ""
        raise ValueError(f"{value!r} is not a cloud deployment id like cldrsrc_abcdefgh12345678ijklmnop12{hint}")
    return value


def check_control_plane_url(value: str) -> str:
    """An https URL without a trailing slash (the chart fails on one: validateControlPlaneURL)."""
    if not isinstance(value, str) or not re.match(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s]*)?$", value):
        raise ValueError(f"{value!r} is not an https URL like {c.DEFAULT_CONTROL_PLANE_URL}")
    if value.endswith("/"):
        raise ValueError(f"{value!r} ends with '/', which the chart rejects (controlPlaneURL must not end with a trailing slash)")
    return value


def check_redis_endpoint(value: str) -> str:
    """``host:port`` (``--kubernetes-redis-endpoint``: Redis reachable from the pods)."""
    host, sep, port = value.rpartition(":") if isinstance(value, str) else ("", "", "")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{value!r} is not host:port (e.g. redis.ray-system.svc.cluster.local:6379)")
    return value


_CHART_VERSION = re.compile(r"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def check_chart_version(value: str) -> str:
    """A chart version is SemVer 2 (``1.8.0``, ``v1.9.1``): helm pins nothing else exactly."""
    if not isinstance(value, str) or not _CHART_VERSION.match(value):
        raise ValueError(f"{value!r} is not a chart version like 1.8.0 (SemVer)")
    return value


def check_azure_client_id(value: str, what: str = "client id") -> str:
    if not isinstance(value, str) or not _GUID.match(value):
        raise ValueError(f"{value!r} is not an Azure {what} (a GUID like 00000000-0000-0000-0000-000000000000)")
    return value


def check_operator_identity(provider: str, value: str) -> str:
    """``global.auth.iamIdentity`` / ``--anyscale-operator-iam-identity`` of the right kind
    for the provider (chart values.yaml): an IAM role ARN on AWS, a service account email on
    GCP, a managed identity's client id on Azure; none on a generic cluster."""
    if provider == "aws":
        from anyscale_infra.aws.validation import check_role_arn

        if _EMAIL_LIKE.match(value):
            raise ValueError(f"{value!r} is an email; on AWS the operator's identity is an IAM role ARN")
        return check_role_arn(value)
    if provider == "gcp":
        from anyscale_infra.gcp.validation import check_service_account_email

        if value.startswith("arn:"):
            raise ValueError(f"{value!r} is an ARN; on GCP the operator's identity is a service account email")
        return check_service_account_email(value)
    if provider == "azure":
        if value.startswith("arn:") or _EMAIL_LIKE.match(value):
            raise ValueError(f"{value!r} is not an Azure identity; on Azure the operator's identity is a managed identity's client id")
        return check_azure_client_id(value)
    raise ValueError(
        f"a {provider} cluster has no cloud identity for the operator; it authenticates with an Anyscale CLI token"
    )


def check_zones_in_region(zones: list[str], region: Optional[str], region_of: "callable") -> list[str]:
    """Every zone is in ``region`` (``region_of`` is the cloud's zone -> region function)."""
    if region is None:
        return zones
    outside = [z for z in zones if region_of(z) != region]
    if outside:
        raise ValueError(f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in the cluster's region {region}")
    return zones

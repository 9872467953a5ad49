"""Pure validators for an Anyscale cloud on Google Cloud: project ids, regions and zones,
service accounts, bucket and resource names, labels, and subnet ranges.

Same contract as :mod:`anyscale_infra.validation` (whose checks are re-exported here, so a
GCP module needs one ``v``): a plain value in, the value back or a ``ValueError`` whose
sentence states the rule. No Pulumi and no cloud SDK in here.
"""

from __future__ import annotations

import ipaddress
import re

from anyscale_infra.gcp import constants as c
from anyscale_infra.validation import (  # noqa: F401 - re-exported: the GCP modules use one `v`
    check_cidr,
    check_cloud_id,
    check_cloud_name,
    check_ingress_cidr,
    check_org_id,
    cidr_too_small,
    duplicates,
    is_world,
    subnet_problems,
)

# Project ids: 6-30 lowercase letters, digits and hyphens, starting with a letter, not ending
# with a hyphen (https://cloud.google.com/resource-manager/docs/creating-managing-projects).
# The verifier: "project ID should start with a letter" (a project NUMBER is all digits).
_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_PROJECT_NUMBER = re.compile(r"^[1-9][0-9]{5,18}$")
# Regions (us-central1, europe-west4, northamerica-northeast2, me-central2...) and zones.
_REGION = re.compile(r"^[a-z]+(?:-[a-z]+)+[0-9]+$")
_ZONE = re.compile(r"^([a-z]+(?:-[a-z]+)+[0-9]+)-([a-z])$")
# Service account ids (the part before @): 6-30 of [a-z0-9-], starting with a letter.
_SERVICE_ACCOUNT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_SERVICE_ACCOUNT_EMAIL = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.gserviceaccount\.com$")
# Most resource names (networks, subnets, firewall policies, routers, Filestore and
# Memorystore instances): RFC 1035, 1-63 characters.
_RESOURCE_NAME = re.compile(r"^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$")
# Labels: keys start with a lowercase letter; keys and values are at most 63 of [a-z0-9_-].
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
# Bucket names (https://cloud.google.com/storage/docs/buckets#naming): 3-63 characters
# (up to 222 with dots, each dot-separated part at most 63), lowercase letters, digits,
# '-', '_' and '.', starting and ending with a letter or digit; not an IP address; not
# starting with "goog"; not containing "google" or close misspellings.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")
_BUCKET_FORBIDDEN = ("google", "g00gle", "googl3", "goog1e")

#: IPv4 ranges Google Cloud accepts for subnets besides RFC 1918
#: (https://cloud.google.com/vpc/docs/subnets#valid-ranges); privately used public ranges
#: need ``allow_public_ranges``.
VALID_PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(r)
    for r in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",  # RFC 1918
        "100.64.0.0/10",  # shared address space (RFC 6598)
        "192.0.0.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",  # IETF, documentation
        "198.18.0.0/15",  # benchmarking
        "240.0.0.0/4",  # reserved (class E)
    )
)


def check_project_id(value: str, what: str = "project id") -> str:
    if not isinstance(value, str) or not _PROJECT_ID.match(value):
        hint = " (that is a project NUMBER; give the project ID)" if isinstance(value, str) and value.isdigit() else ""
        raise ValueError(
            f"{what} {value!r} must be 6 to 30 lowercase letters, digits and hyphens, starting with a "
            f"letter and not ending with a hyphen{hint}"
        )
    return value


def check_project_number(value: str) -> str:
    if not isinstance(value, str) or not _PROJECT_NUMBER.match(value):
        raise ValueError(f"project number {value!r} must be the project's numeric id, like 123456789012")
    return value


def check_region(value: str) -> str:
    if not isinstance(value, str) or not _REGION.match(value):
        raise ValueError(f"{value!r} is not a Google Cloud region like us-central1")
    return value


def check_zone(value: str, region: str | None = None) -> str:
    match = _ZONE.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a Google Cloud zone like us-central1-a")
    if region is not None and match.group(1) != region:
        raise ValueError(f"zone {value} is not in region {region}")
    return value


def region_of_zone(zone: str) -> str:
    """``us-central1-a`` -> ``us-central1``."""
    return zone.rsplit("-", 1)[0]


def region_of_location(location: str) -> str:
    """The region of a zone or region (a Filestore's location): ``us-central1-a`` and
    ``us-central1`` -> ``us-central1``. Exact, so ``us-central10-a`` is not in ``us-central1``."""
    return region_of_zone(location) if isinstance(location, str) and _ZONE.match(location) else location


def check_service_account_id(value: str) -> str:
    if not isinstance(value, str) or not _SERVICE_ACCOUNT_ID.match(value):
        raise ValueError(
            f"service account id {value!r} must be 6 to 30 lowercase letters, digits and hyphens, "
            "starting with a letter and not ending with a hyphen"
        )
    return value


def check_service_account_email(value: str) -> str:
    if not isinstance(value, str) or not _SERVICE_ACCOUNT_EMAIL.match(value):
        raise ValueError(
            f"{value!r} is not a service account email like anyscale-access@my-project.iam.gserviceaccount.com"
        )
    return value


def check_resource_name(value: str, what: str = "name") -> str:
    if not isinstance(value, str) or not _RESOURCE_NAME.match(value):
        raise ValueError(
            f"{what} {value!r} must be 1 to 63 lowercase letters, digits and hyphens, starting with a "
            "letter and not ending with a hyphen (RFC 1035)"
        )
    return value


def check_labels(labels: dict[str, str]) -> dict[str, str]:
    if len(labels) > 64:
        raise ValueError(f"has {len(labels)} labels; Google Cloud allows at most 64")
    for key, value in labels.items():
        if not isinstance(key, str) or not _LABEL_KEY.match(key):
            raise ValueError(
                f"label key {key!r} must start with a lowercase letter and be at most 63 lowercase "
                "letters, digits, '_' and '-'"
            )
        if not isinstance(value, str) or not _LABEL_VALUE.match(value):
            raise ValueError(f"label {key!r} value {value!r} must be at most 63 lowercase letters, digits, '_' and '-'")
    return labels


def check_bucket_name(value: str) -> str:
    """Cloud Storage bucket naming rules (the ``gs://`` scheme is not part of the name)."""
    problems = []
    parts = value.split(".") if isinstance(value, str) else []
    if not isinstance(value, str) or not _BUCKET.match(value):
        problems.append(
            "must use only lowercase letters, digits, '-', '_' and '.', and begin and end with a letter or digit"
        )
    elif "." in value:
        if len(value) > 222 or any(not 1 <= len(part) <= 63 for part in parts):
            problems.append("must be at most 222 characters with dots, each dot-separated part 1 to 63")
    elif not 3 <= len(value) <= 63:
        problems.append("must be 3 to 63 characters")
    if isinstance(value, str):
        if len(value) < 3:
            problems.append("must be at least 3 characters")
        try:
            ipaddress.IPv4Address(value)
            problems.append("must not be an IP address")
        except ValueError:
            pass
        if value.startswith("goog"):
            problems.append("must not start with 'goog'")
        if any(word in value for word in _BUCKET_FORBIDDEN):
            problems.append("must not contain 'google' or a misspelling of it")
    if problems:
        raise ValueError(f"bucket name {value!r} " + "; ".join(dict.fromkeys(problems)) + " (Cloud Storage naming rules)")
    return value


def check_subnet_cidr(value: str, allow_public_ranges: bool = False) -> str:
    """A subnet range Anyscale can use: a /24 or larger (the verifier's minimum), inside a
    range Google Cloud accepts for subnets (RFC 1918 and the other documented ranges)."""
    network = check_cidr(value)
    if problem := cidr_too_small(network, c.MIN_SUBNET_PREFIX_LENGTH, "subnet"):
        raise ValueError(f"{problem} (the verifier's GCP subnet minimum)")
    if not allow_public_ranges and not any(network.subnet_of(r) for r in VALID_PRIVATE_RANGES):
        raise ValueError(
            f"{value} is not inside RFC 1918 (10/8, 172.16/12, 192.168/16) or another range Google Cloud "
            "documents for subnets (100.64/10, 198.18/15, 240/4...); a privately used public range needs "
            "allow_public_ranges=True"
        )
    return str(network)


def check_proxy_only_cidr(value: str, allow_public_ranges: bool = False) -> str:
    """A proxy-only subnet (REGIONAL_MANAGED_PROXY): Google recommends a /23, requires at
    least a /26 (https://cloud.google.com/load-balancing/docs/proxy-only-subnets)."""
    network = check_cidr(value)
    if network.prefixlen > 26:
        raise ValueError(f"{value} is smaller than the /26 Google Cloud requires for a proxy-only subnet")
    if not allow_public_ranges and not any(network.subnet_of(r) for r in VALID_PRIVATE_RANGES):
        raise ValueError(f"{value} is not inside RFC 1918 or another range Google Cloud documents for subnets")
    return str(network)


def check_zones(zones: list[str], region: str | None = None) -> list[str]:
    """A non-empty list of distinct zones, each in ``region`` when it is given (GKE node
    locations, ``--kubernetes-zones``)."""
    if not zones:
        raise ValueError("needs at least one zone")
    for zone in zones:
        check_zone(zone, region)
    if dups := duplicates(zones):
        raise ValueError(f"lists {', '.join(dups)} more than once")
    return zones


def check_gke_name(value: str, what: str = "GKE name") -> str:
    """A GKE cluster or node pool name: RFC 1035, at most 40 characters."""
    check_resource_name(value, what)
    if len(value) > c.GKE_NAME_MAX_LENGTH:
        raise ValueError(f"{what} {value!r} is {len(value)} characters; GKE allows at most {c.GKE_NAME_MAX_LENGTH}")
    return value

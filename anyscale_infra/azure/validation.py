"""Validators for Azure names and ids: plain functions raising ValueError with a sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyscale_infra.azure import constants as c
from anyscale_infra.validation import check_cloud_name, duplicates  # noqa: F401 - re-exported

_STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
# Blob containers: 3-63 lowercase letters, digits and single hyphens, starting and ending
# with a letter or digit.
_CONTAINER = re.compile(r"^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")
_POOL = re.compile(r"^[a-z][a-z0-9]*$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_RESOURCE_GROUP = re.compile(r"^[-\w._()]{1,90}$")
_REGION = re.compile(r"^[a-z]+[a-z0-9]*$")


def check_storage_account_name(value: str) -> str:
    if not isinstance(value, str) or not _STORAGE_ACCOUNT.match(value):
        raise ValueError(
            f"storage account name {value!r} must be 3 to 24 lowercase letters and digits (no hyphens); "
            "it is global: unique across Azure"
        )
    return value


def check_container_name(value: str) -> str:
    if not isinstance(value, str) or not _CONTAINER.match(value):
        raise ValueError(
            f"container name {value!r} must be 3 to 63 lowercase letters, digits and single hyphens, "
            "starting and ending with a letter or digit"
        )
    return value


def check_pool_name(value: str) -> str:
    if not isinstance(value, str) or not _POOL.match(value) or len(value) > c.MAX_POOL_NAME_LENGTH:
        raise ValueError(
            f"node pool name {value!r} must be 1 to {c.MAX_POOL_NAME_LENGTH} lowercase letters and digits, "
            "starting with a letter (AKS Linux pool names)"
        )
    return value


def check_guid(value: str, what: str) -> str:
    if not isinstance(value, str) or not _GUID.match(value):
        raise ValueError(f"{what} {value!r} is not a GUID like 00000000-0000-0000-0000-000000000000")
    return value


def check_resource_group_name(value: str) -> str:
    if not isinstance(value, str) or not _RESOURCE_GROUP.match(value) or value.endswith("."):
        raise ValueError(
            f"resource group name {value!r} must be 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.'"
        )
    return value


def check_region(value: str, supported: Iterable[str] = c.SUPPORTED_REGIONS) -> str:
    """An Azure region name (``eastus2``, not ``East US 2``) where Anyscale clouds are available."""
    if not isinstance(value, str) or not _REGION.match(value):
        raise ValueError(f"{value!r} is not an Azure region name like eastus2 (lowercase, no spaces)")
    supported = tuple(supported)
    if value not in supported:
        raise ValueError(
            f"Anyscale.Platform/clouds is not available in {value} (seed 003: a limited set of regions during the "
            f"preview: {', '.join(supported)})"
        )
    return value


def check_resource_id(value: str, kind: str) -> str:
    """An ARM id of ``kind`` (e.g. ``Microsoft.ContainerService/managedClusters``)."""
    pattern = rf"^/subscriptions/[0-9a-fA-F-]{{36}}/resourceGroups/[^/]+/providers/{re.escape(kind)}/[^/]+$"
    if not isinstance(value, str) or not re.match(pattern, value, flags=re.IGNORECASE):
        raise ValueError(
            f"{value!r} is not a {kind} resource id like /subscriptions/<id>/resourceGroups/<group>/providers/{kind}/<name>"
        )
    return value

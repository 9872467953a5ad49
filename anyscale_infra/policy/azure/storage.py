"""Blob Storage rules: nothing of a cloud is public, and only TLS 1.2+ over HTTPS reaches it.

The cloud's storage (seed 003: Azure Blob Storage or ADLS for artifacts and datasets) holds
logs, checkpoints and code. Each rule judges every storage account and blob container of the
program (a resource rule: what the program asks Azure for), by Azure's defaults where a
property is not set, as pulumi-azure-native 3 sends it (Storage API 2024-01-01):

- ``allowBlobPublicAccess``: "the default interpretation is false", so unset is private;
  ``true`` lets any container be made anonymous;
- a container's ``publicAccess``: ``None`` (or unset) is private, ``Blob`` and ``Container``
  give anonymous reads;
- ``minimumTlsVersion``: "the default interpretation is TLS 1.0", so unset is a violation;
- ``enableHttpsTrafficOnly``: true by default since API 2019-04-01, so only ``false`` is one.
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from anyscale_infra.azure import constants as c
from anyscale_infra.policy.azure._facts import BLOB_CONTAINER, MISSING, STORAGE_ACCOUNT, UNKNOWN, dig, text

WHY_PUBLIC = "nothing of a cloud is public: its storage holds the cloud's logs, checkpoints and code (seed 003: your data stays in your tenant)"


def _not_public(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type == STORAGE_ACCOUNT:
        if dig(args.props, "allowBlobPublicAccess") is True:
            report(
                f"StorageAccount {args.name} sets allowBlobPublicAccess: true, so any of its containers can be made "
                f"readable anonymously (publicAccess Blob or Container). Set it to false (Azure's default when unset): "
                f"{WHY_PUBLIC}.",
                None,
            )
    elif args.resource_type == BLOB_CONTAINER:
        access = text(dig(args.props, "publicAccess"))
        if isinstance(access, str) and access.lower() != "none":
            report(
                f"BlobContainer {args.name} sets publicAccess {access!r}: anyone on the internet can read its blobs "
                f"{'and list them ' if access.lower() == 'container' else ''}without credentials. Set it to 'None' "
                f"(or leave it unset): {WHY_PUBLIC}.",
                None,
            )


def _tls(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != STORAGE_ACCOUNT:
        return
    problems = []
    version = text(dig(args.props, "minimumTlsVersion"))
    if version is MISSING:
        problems.append(
            f"does not set minimumTlsVersion (Azure's default interpretation is TLS 1.0): set {c.MIN_TLS_VERSION}"
        )
    elif isinstance(version, str) and version.upper() not in c.MIN_TLS_VERSIONS:
        problems.append(f"sets minimumTlsVersion {version!r}, below {c.MIN_TLS_VERSION}")
    https = dig(args.props, "enableHttpsTrafficOnly")
    if https is not UNKNOWN and https is not MISSING and https is not True:
        problems.append("sets enableHttpsTrafficOnly false: requests over plain HTTP are accepted")
    if problems:
        report(
            f"StorageAccount {args.name} {'; '.join(problems)}. The cloud's storage takes TLS 1.2 or newer, over HTTPS "
            "only (Microsoft recommends TLS 1.2 as a storage account's minimum; Azure Storage is retiring TLS 1.0 and 1.1).",
            None,
        )


storage_not_public = ResourceValidationPolicy(
    name="anyscale-azure-storage-not-public",
    description=(
        "No public blob access: a StorageAccount does not set allowBlobPublicAccess true (unset is private: Azure's "
        "default interpretation is false) and no BlobContainer sets publicAccess other than None (Blob, Container): "
        "nothing of a cloud is public (seed 003: Azure Blob Storage / ADLS hold the cloud's data in your tenant)."
    ),
    validate=_not_public,
    enforcement_level=EnforcementLevel.MANDATORY,
)
storage_tls = ResourceValidationPolicy(
    name="anyscale-azure-storage-tls",
    description=(
        "A StorageAccount sets minimumTlsVersion TLS1_2 (or TLS1_3; unset is a violation: Azure's default "
        "interpretation is TLS 1.0) and does not set enableHttpsTrafficOnly false (true by default since API "
        "2019-04-01): the cloud's data travels over TLS 1.2+ only."
    ),
    validate=_tls,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [storage_not_public, storage_tls]

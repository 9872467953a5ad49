"""The cloud's storage on Azure: a storage account (ADLS Gen2) and a private blob container,
new or existing, with the Anyscale CORS rule.

What Anyscale needs (seed 003: "Azure storage, in either Azure Blob Storage or Azure Data
Lake Storage (ADLS), for artifacts and datasets"; the cloud resource's
``cloudStorageBucketName`` / ``object_storage.bucket_name`` and ``object_storage.endpoint``):

* ``bucket_name`` = ``abfss://<container>@<account>.dfs.core.windows.net`` (no trailing slash;
  the CLI parses exactly this form: ``cloud_controller._update_cors_azure``,
  ``runtime_env``), and ``bucket_endpoint`` = the account's blob endpoint
  ``https://<account>.blob.core.windows.net/``.
* The console reads the container from the browser: a CORS rule on the blob service allowing
  ``https://*.anyscale.com`` (Azure Storage accepts a subdomain wildcard in an origin).

A new account is what Anyscale's own setup creates (``setup_k8s._generate_azure_arm_template``)
with three deliberate differences, each a field:

* ``allowSharedKeyAccess`` is **off** by default (setup_k8s: on). The operator and Ray pods
  authenticate with the operator's managed identity (workload identity, Entra ID tokens):
  nothing of ours uses account keys, and keys that exist leak. Consequence: the Azure
  portal's and ``az storage`` data-plane access must use Entra auth (``--auth-mode login``;
  the portal is told to default to it, ``defaultToOAuthAuthentication``), and people need a
  data role (Storage Blob Data Reader/Contributor) on the account to browse it. SAS tokens
  signed with account keys stop working too (user delegation SAS still work).
  ``allow_shared_key_access=True`` restores setup_k8s' setting.
* The CORS rule allows GET, PUT, POST, HEAD and DELETE (setup_k8s: GET, HEAD, PUT), as on
  AWS and GCP, and exposes ``*`` **and** the range headers by name (setup_k8s: ``*``):
  ``*`` is what the CLI's own check looks for (``cors_update_utils.check_azure_cors_rules``:
  ``"*" in rule.exposed_headers``), the named headers are what the console's file viewer
  reads, listed because a browser honours ``*`` only on requests without credentials.
* Blob and container soft delete, 7 days each (setup_k8s: none): a deleted checkpoint or
  log can be restored for a week. Blob versioning is **not** on: Azure does not offer it on
  hierarchical-namespace accounts (and soft delete there protects deletes, not overwrites).

The rest as setup_k8s: ``StorageV2``, ``Standard_LRS`` (a field), the hot tier, HTTPS only
(``enableHttpsTrafficOnly``, ARM's ``supportsHttpsTrafficOnly``), TLS 1.2 at least, no
public blob access, hierarchical namespace on (ADLS Gen2, the ``abfss://`` URL), the
network ACL allowing everything with Azure's trusted services bypassing it (or, with
``allowed_subnet_ids`` / ``allowed_ip_ranges``, denying everything else), and the private
container ``anyscale-data``. The account and the container are protected by default.

Bring-your-own: ``existing_account_name`` (and ``existing_container_name``) in
``resource_group_name``: no resource for what exists (a new container may still be made in
an existing account). The CORS rule of an existing account is then the owner's business:
an advisory says what it must allow. We never declare the blob service of an account we
did not create: its ARM ``PUT`` replaces every CORS rule and retention setting there.

Pure builders (:func:`abfss_url`, :func:`blob_endpoint`, :func:`anyscale_cors_rule`, ...)
import no SDK; the component loads ``pulumi_azure_native.storage`` (and ``pulumi_random``
for a generated name) where it declares resources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra._component import child, emit_advisories, hand_on_depends_on, stateful, type_token
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.tags import merge_tags
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput
from anyscale_infra.validation import check_cloud_id

if TYPE_CHECKING:
    from pulumi_azure_native import storage

# --- Defaults and facts -----------------------------------------------------------------------
#: Methods of the Anyscale CORS rule (the console reads, uploads and deletes objects).
CORS_METHODS = tuple(c.ANYSCALE_CORS_ALLOWED_METHODS)
#: Request headers a preflight may ask for: all.
CORS_ALLOWED_HEADERS = tuple(c.ANYSCALE_CORS_ALLOWED_HEADERS)
#: ``exposedHeaders``: ``*`` (the CLI's check) plus the range headers the file viewer reads.
CORS_EXPOSED_HEADERS = ("*", *c.ANYSCALE_CORS_EXPOSE_HEADERS)


class StorageSku(str, Enum):
    """Redundancy of a new account (general-purpose v2, standard performance: the SKUs that
    support a hierarchical namespace and CORS; premium accounts are a different kind)."""

    STANDARD_LRS = "Standard_LRS"
    """Three copies in one datacenter. The default (setup_k8s)."""
    STANDARD_ZRS = "Standard_ZRS"
    """Three availability zones of the region."""
    STANDARD_GRS = "Standard_GRS"
    """LRS plus an asynchronous copy in the paired region."""
    STANDARD_RAGRS = "Standard_RAGRS"
    """GRS with read access to the paired region's copy."""
    STANDARD_GZRS = "Standard_GZRS"
    """ZRS plus an asynchronous copy in the paired region."""
    STANDARD_RAGZRS = "Standard_RAGZRS"
    """GZRS with read access to the paired region's copy."""


# --- Pure builders ------------------------------------------------------------------------------
def abfss_url(container: str, account: str) -> str:
    """``abfss://<container>@<account>.dfs.core.windows.net``: the cloud's ``bucket_name``
    (no trailing slash: the form setup_k8s outputs and the CLI parses).

    >>> abfss_url("anyscale-data", "anyscaleab12cd34")
    'abfss://anyscale-data@anyscaleab12cd34.dfs.core.windows.net'
    """
    return f"abfss://{container}@{account}.{c.DFS_HOST_SUFFIX}"


def blob_endpoint(account: str) -> str:
    """``https://<account>.blob.core.windows.net/``: the cloud's ``bucket_endpoint``, as
    Azure gives it in ``primaryEndpoints.blob`` (public Azure cloud, standard endpoints).

    >>> blob_endpoint("anyscaleab12cd34")
    'https://anyscaleab12cd34.blob.core.windows.net/'
    """
    return f"https://{account}.{c.BLOB_HOST_SUFFIX}/"


def with_trailing_slash(endpoint: str) -> str:
    """An endpoint URL ending with exactly one ``/`` (the form ``primaryEndpoints`` has)."""
    return endpoint.rstrip("/") + "/"


def storage_account_id(subscription: str, resource_group: str, account: str) -> str:
    """The ARM id of a storage account (what a role assignment on it is scoped to)."""
    return (
        f"/subscriptions/{subscription}/resourceGroups/{resource_group}"
        f"/providers/Microsoft.Storage/storageAccounts/{account}"
    )


def anyscale_cors_rule(
    origins: Sequence[str] = (c.ANYSCALE_CORS_ORIGIN,), max_age_seconds: int = c.CORS_MAX_AGE_SECONDS
) -> dict[str, Any]:
    """The Anyscale CORS rule in the ARM / engine shape (``allowedOrigins``,
    ``allowedMethods``, ``allowedHeaders``, ``exposedHeaders``, ``maxAgeInSeconds``): what the
    blob service's ``cors.corsRules`` holds and what a policy sees."""
    return {
        "allowedOrigins": list(origins),
        "allowedMethods": list(CORS_METHODS),
        "allowedHeaders": list(CORS_ALLOWED_HEADERS),
        "exposedHeaders": list(CORS_EXPOSED_HEADERS),
        "maxAgeInSeconds": max_age_seconds,
    }


def cors_rule_to_args(rule: Mapping[str, Any]) -> dict[str, Any]:
    """An ARM-shaped CORS rule as ``storage.BlobServiceProperties(cors={"cors_rules": [...]})``
    takes it (the Python SDK's snake_case names)."""
    return {
        "allowed_origins": list(rule.get("allowedOrigins") or []),
        "allowed_methods": list(rule.get("allowedMethods") or []),
        "allowed_headers": list(rule.get("allowedHeaders") or []),
        "exposed_headers": list(rule.get("exposedHeaders") or []),
        "max_age_in_seconds": rule.get("maxAgeInSeconds", 0),
    }


def allows_anyscale_console(rule: Mapping[str, Any], origin: str = c.ANYSCALE_CORS_ORIGIN) -> bool:
    """The CLI's own test of an Azure rule (``check_azure_cors_rules``): the console's origin
    is allowed and ``*`` is among the exposed headers. Takes the ARM shape."""
    return origin in (rule.get("allowedOrigins") or []) and "*" in (rule.get("exposedHeaders") or [])


def delete_retention_policy(days: Optional[int]) -> dict[str, Any]:
    """A soft delete setting (``DeleteRetentionPolicy``, SDK names): on for ``days``, or off."""
    return {"enabled": True, "days": days} if days is not None else {"enabled": False}


def network_rule_set(subnet_ids: Sequence[Any] = (), ip_ranges: Sequence[str] = ()) -> dict[str, Any]:
    """The account's network ACL (SDK names): everything allowed, as setup_k8s, unless
    subnets or IP ranges are given; then only they (and Azure's trusted services) get in."""
    restricted = bool(subnet_ids) or bool(ip_ranges)
    rules: dict[str, Any] = {
        "default_action": "Deny" if restricted else "Allow",
        "bypass": c.NETWORK_ACL_BYPASS,
    }
    if subnet_ids:
        rules["virtual_network_rules"] = [
            {"virtual_network_resource_id": subnet, "action": "Allow"} for subnet in subnet_ids
        ]
    if ip_ranges:
        rules["ip_rules"] = [{"i_p_address_or_range": ip, "action": "Allow"} for ip in sorted(ip_ranges)]
    return rules


# --- Args ---------------------------------------------------------------------------------------
#: Fields that configure an account we create (refused with ``existing_account_name``).
_NEW_ACCOUNT_FIELDS = (
    "account_name", "location", "sku", "hierarchical_namespace", "allow_shared_key_access",
    "allowed_subnet_ids", "allowed_ip_ranges", "blob_soft_delete_days", "container_soft_delete_days",
    "versioning", "cors_allowed_origins", "cors_max_age_seconds", "tags", "cloud_id",
)


class AnyscaleAzureStorageArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAzureStorage`."""

    resource_group_name: Optional[StrInput] = None
    """Resource group of the new account, or of the existing one. Required; set for you
    inside the Azure cloud composite (its resource group)."""
    location: Optional[str] = None
    """Region of the new account (``eastus2``): the cluster's, so pods reach it in-region.
    Optional; defaults to azure-native's default location (the provider's
    ``azure-native:location``). Set for you inside the Azure cloud composite."""
    account_name: Optional[str] = None
    """Name of the new account: 3-24 lowercase letters and digits, unique across Azure.
    Optional; defaults to ``anyscale`` + 8 random lowercase letters and digits, generated
    once and kept in the stack's state (setup_k8s' naming)."""
    existing_account_name: Optional[str] = None
    """Use this existing account in ``resource_group_name`` (bring-your-own): no account or
    blob service resource; its CORS rule is yours (an advisory says what it must allow).
    Optional."""
    container_name: str = c.DEFAULT_CONTAINER_NAME
    """Name of the container we create: 3-63 lowercase letters, digits and single hyphens.
    Defaults to ``anyscale-data`` (setup_k8s)."""
    existing_container_name: Optional[str] = None
    """Use this existing container of ``existing_account_name`` (bring-your-own): no
    container resource. Optional; needs ``existing_account_name``."""
    sku: StorageSku = StorageSku.STANDARD_LRS
    """Redundancy of the new account. Defaults to ``Standard_LRS`` (setup_k8s)."""
    hierarchical_namespace: bool = True
    """ADLS Gen2 (directories, atomic renames: what the ``abfss://`` driver is built for).
    Defaults to True (setup_k8s). Fixed at creation: changing it replaces the account."""
    allow_shared_key_access: bool = False
    """Allow requests signed with the account keys (and key-signed SAS). Defaults to False:
    the operator uses its managed identity; people then use Entra auth in the portal and the
    CLI (``az storage ... --auth-mode login``) with a data role on the account."""
    allowed_subnet_ids: list[StrInput] = Field(default_factory=list)
    """Restrict the account's network ACL to these subnets (the AKS node subnet), which need
    the ``Microsoft.Storage`` service endpoint. Optional; defaults to none: the ACL allows
    every network (setup_k8s), with Azure's trusted services bypassing it either way."""
    allowed_ip_ranges: list[str] = Field(default_factory=list)
    """Public IPv4 addresses or ranges (up to /30) let through a restricted ACL: the
    people using the console's file viewer and downloads reach the account from their own
    address. Optional; defaults to none."""
    blob_soft_delete_days: Optional[int] = Field(default=c.DEFAULT_BLOB_SOFT_DELETE_DAYS, ge=1, le=c.MAX_SOFT_DELETE_DAYS)
    """Days a deleted blob can be restored (soft delete); None turns it off. Defaults to 7."""
    container_soft_delete_days: Optional[int] = Field(
        default=c.DEFAULT_CONTAINER_SOFT_DELETE_DAYS, ge=1, le=c.MAX_SOFT_DELETE_DAYS
    )
    """Days a deleted container can be restored; None turns it off. Defaults to 7."""
    versioning: bool = False
    """Blob versioning (a previous version kept on every overwrite). Defaults to False: Azure
    does not offer it on hierarchical-namespace accounts; needs ``hierarchical_namespace=False``."""
    cors_allowed_origins: list[str] = Field(default_factory=lambda: [c.ANYSCALE_CORS_ORIGIN])
    """Origins of the CORS rule. Defaults to the console's ``https://*.anyscale.com``."""
    cors_max_age_seconds: int = Field(default=c.CORS_MAX_AGE_SECONDS, ge=0)
    """How long browsers may cache a preflight answer. Defaults to 3600."""
    protect: bool = True
    """Protect the account and the container we create from deletion and replacement.
    Defaults to True."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the new account (Azure's tag rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: tagged ``anyscale-cloud-id``. Optional."""

    @field_validator("location")
    @classmethod
    def _location(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_location_name(value)

    @field_validator("resource_group_name")
    @classmethod
    def _group(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_resource_group_name(value) if isinstance(value, str) else value

    @field_validator("account_name", "existing_account_name")
    @classmethod
    def _account(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_storage_account_name(value)

    @field_validator("container_name", "existing_container_name")
    @classmethod
    def _container(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_container_name(value)

    @field_validator("allowed_subnet_ids")
    @classmethod
    def _subnets(cls, value: list[StrInput]) -> list[StrInput]:
        for subnet in value:
            if isinstance(subnet, str):
                v.check_subnet_id(subnet)
        if dups := v.duplicates([s for s in value if isinstance(s, str)]):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("allowed_ip_ranges")
    @classmethod
    def _ips(cls, value: list[str]) -> list[str]:
        for ip in value:
            v.check_storage_ip_rule(ip)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(f"needs at least the Anyscale console origin {c.ANYSCALE_CORS_ORIGIN}")
        for origin in value:
            if not origin.startswith("https://") or origin.endswith("/"):
                raise ValueError(f"origin {origin!r} must start with https:// and have no path or trailing slash")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_cloud_id(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleAzureStorageArgs":
        problems: list[FieldProblem] = []
        if self.existing_account_name is not None:
            for field in _NEW_ACCOUNT_FIELDS:
                if field in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            field,
                            f"configures an account we create; only one of existing_account_name and {field} can be specified",
                        )
                    )
            if self.existing_container_name is not None and "protect" in self.model_fields_set:
                problems.append(FieldProblem("protect", "nothing is created with an existing account and container"))
        elif self.existing_container_name is not None:
            problems.append(
                FieldProblem(
                    "existing_container_name",
                    "needs existing_account_name: a new account has no containers yet (leave it out to create one)",
                )
            )
        if self.existing_container_name is not None and "container_name" in self.model_fields_set:
            problems.append(
                FieldProblem("container_name", "only one of existing_container_name and container_name can be specified")
            )
        if self.versioning and self.hierarchical_namespace:
            problems.append(
                FieldProblem(
                    "versioning",
                    "is not available on hierarchical-namespace (ADLS Gen2) accounts; needs hierarchical_namespace=False",
                )
            )
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def wiring_problems(self) -> list[FieldProblem]:
        """What the Azure cloud composite fills in: checked by the component before any resource."""
        if self.resource_group_name is None:
            return [FieldProblem("resource_group_name", "is required: the resource group of the account")]
        return []

    @property
    def creates_account(self) -> bool:
        return self.existing_account_name is None

    @property
    def creates_container(self) -> bool:
        return self.existing_container_name is None

    def advisories(self) -> list[str]:
        notes = []
        if not self.creates_account:
            notes.append(
                f"existing_account_name {self.existing_account_name}: its CORS rule is yours to keep; the console "
                f"needs a blob service rule allowing {c.ANYSCALE_CORS_ORIGIN} with methods "
                f"{', '.join(CORS_METHODS)}, allowed headers *, exposed headers {', '.join(CORS_EXPOSED_HEADERS)} "
                "(`anyscale cloud update-storage-cors` sets a narrower one)"
            )
        elif c.ANYSCALE_CORS_ORIGIN not in self.cors_allowed_origins:
            notes.append(
                f"the CORS rule does not allow {c.ANYSCALE_CORS_ORIGIN}: the console cannot show the container's files"
            )
        if self.creates_account and (self.allowed_subnet_ids or self.allowed_ip_ranges):
            notes.append(
                "the account's network ACL denies what is not listed: the subnets need the Microsoft.Storage service "
                "endpoint, and the console's file viewer and downloads come from people's browsers (their public "
                "addresses belong in allowed_ip_ranges)"
            )
        if self.creates_account and not self.hierarchical_namespace:
            notes.append(
                "hierarchical_namespace is off: the account is plain Blob Storage; the abfss:// driver works on it "
                "without atomic directory renames"
            )
        return notes


# --- Component ----------------------------------------------------------------------------------
class AnyscaleAzureStorage(pulumi.ComponentResource):
    """The storage account and container an Anyscale cloud on Azure keeps its data in."""

    account_id: pulumi.Output[str]
    """The account's ARM id: the scope of the operator identity's role assignment."""
    account_name: pulumi.Output[str]
    """The account's name."""
    container_name: pulumi.Output[str]
    """The container's name."""
    bucket_name: pulumi.Output[str]
    """``abfss://<container>@<account>.dfs.core.windows.net``: the cloud's storage bucket."""
    bucket_endpoint: pulumi.Output[str]
    """``https://<account>.blob.core.windows.net/``: the cloud's storage endpoint."""

    def __init__(self, name: str, args: AnyscaleAzureStorageArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        super().__init__(type_token("AnyscaleAzureStorage"), name, None, opts)
        hand_on_depends_on(self, opts)
        assert args.resource_group_name is not None  # wiring_problems
        account: Optional[storage.StorageAccount] = None
        if args.existing_account_name is None:
            account = self._create_account(name, args)
            self.account_name = account.name
            self.account_id = account.id
            self.bucket_endpoint = account.primary_endpoints.apply(lambda e: with_trailing_slash(e.blob))
        else:
            from pulumi_azure_native import authorization

            existing = args.existing_account_name
            config = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
            self.account_name = pulumi.Output.from_input(existing)
            self.account_id = pulumi.Output.all(config.subscription_id, args.resource_group_name).apply(
                lambda values: storage_account_id(values[0], values[1], existing)
            )
            self.bucket_endpoint = pulumi.Output.from_input(blob_endpoint(existing))
        if args.existing_container_name is None:
            container = self._create_container(name, args, account)
            self.container_name = container.name
        else:
            self.container_name = pulumi.Output.from_input(args.existing_container_name)
        self.bucket_name = pulumi.Output.all(self.container_name, self.account_name).apply(
            lambda values: abfss_url(values[0], values[1])
        )
        emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "account_id": self.account_id,
                "account_name": self.account_name,
                "container_name": self.container_name,
                "bucket_name": self.bucket_name,
                "bucket_endpoint": self.bucket_endpoint,
            }
        )

    def _account_name(self, name: str, args: AnyscaleAzureStorageArgs) -> pulumi.Input[str]:
        if args.account_name is not None:
            return args.account_name
        # Imported here: only a generated name needs pulumi-random.
        import pulumi_random as random

        # Generated once and kept in state: stable across `pulumi up`s (a new name would
        # replace the account). Lowercase letters and digits: always a valid account name.
        suffix = random.RandomString(
            f"{name}-account-suffix",
            length=c.STORAGE_ACCOUNT_NAME_SUFFIX_LENGTH,
            lower=True,
            numeric=True,
            upper=False,
            special=False,
            opts=child(self),
        )
        return pulumi.Output.concat(c.STORAGE_ACCOUNT_NAME_PREFIX, suffix.result)

    def _create_account(self, name: str, args: AnyscaleAzureStorageArgs) -> storage.StorageAccount:
        from pulumi_azure_native import storage


        account = storage.StorageAccount(
            f"{name}-account",
            account_name=self._account_name(name, args),
            resource_group_name=args.resource_group_name,  # type: ignore[arg-type]
            location=args.location,
            kind=c.STORAGE_ACCOUNT_KIND,
            sku={"name": args.sku.value},
            access_tier=c.STORAGE_ACCESS_TIER,
            is_hns_enabled=args.hierarchical_namespace,
            enable_https_traffic_only=True,
            minimum_tls_version=c.MIN_TLS_VERSION,
            allow_blob_public_access=False,
            allow_shared_key_access=args.allow_shared_key_access,
            # Without account keys, the portal must use Entra auth to browse the data.
            default_to_o_auth_authentication=not args.allow_shared_key_access,
            network_rule_set=network_rule_set(args.allowed_subnet_ids, args.allowed_ip_ranges),
            tags=merge_tags(args.tags, args.cloud_id),
            opts=stateful(self, args.protect),
        )
        rule = anyscale_cors_rule(args.cors_allowed_origins, args.cors_max_age_seconds)
        service: dict[str, Any] = {
            "cors": {"cors_rules": [cors_rule_to_args(rule)]},
            "delete_retention_policy": delete_retention_policy(args.blob_soft_delete_days),
            "container_delete_retention_policy": delete_retention_policy(args.container_soft_delete_days),
        }
        if not args.hierarchical_namespace:
            service["is_versioning_enabled"] = args.versioning
        # Settings, not data: not protected; gone with the account.
        storage.BlobServiceProperties(
            f"{name}-blob-service",
            account_name=account.name,
            resource_group_name=args.resource_group_name,  # type: ignore[arg-type]
            blob_services_name=c.BLOB_SERVICES_NAME,
            **service,
            opts=child(self, deleted_with=account),
        )
        return account

    def _create_container(
        self, name: str, args: AnyscaleAzureStorageArgs, account: Optional[storage.StorageAccount]
    ) -> storage.BlobContainer:
        from pulumi_azure_native import storage

        return storage.BlobContainer(
            f"{name}-container",
            account_name=account.name if account is not None else args.existing_account_name,  # type: ignore[arg-type]
            resource_group_name=args.resource_group_name,  # type: ignore[arg-type]
            container_name=args.container_name,
            public_access=storage.PublicAccess.NONE,
            opts=stateful(self, args.protect, deleted_with=account) if account is not None else stateful(self, args.protect),
        )

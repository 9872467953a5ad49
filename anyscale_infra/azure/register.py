"""`anyscale cloud register --provider azure --compute-stack k8s` arguments, as plain values:
the CLI path, for an AKS cloud on the (non-Azure) console. On Azure's own control plane the
cloud is created natively (:mod:`anyscale_infra.azure.registration`): the CLI refuses
``cloud register`` there (``disabled_on_azure``).

Flags and rules are the CLI's (``commands/cloud_commands.py::register_cloud``, the ``azure``
branch): ``--azure-tenant-id``, the operator identity's PRINCIPAL id, the ``abfss://``
bucket and its blob endpoint.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import field_validator

from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.ids import PrincipalId, require
from anyscale_infra.kubernetes.register import KubernetesRegisterArgs
from anyscale_infra.register import FlagValue

_ABFSS = re.compile(rf"^abfss://(?P<container>[a-z0-9-]{{3,63}})@(?P<account>[a-z0-9]{{3,24}})\.{re.escape(c.DFS_HOST_SUFFIX)}$")
_BLOB = re.compile(rf"^https://(?P<account>[a-z0-9]{{3,24}})\.{re.escape(c.BLOB_HOST_SUFFIX)}/?$")


class AzureK8sRegisterArgs(KubernetesRegisterArgs):
    """Everything `cloud register --provider azure --compute-stack k8s` needs, checked first."""

    PROVIDER: ClassVar[str] = "azure"

    region: str
    """The AKS cluster's region (``--region``). Required."""
    azure_tenant_id: str
    """The Entra ID tenant of the operator's identity (``--azure-tenant-id``). Required."""
    cloud_storage_bucket_name: str
    """``abfss://<container>@<account>.dfs.core.windows.net`` (``--cloud-storage-bucket-name``). Required."""
    cloud_storage_bucket_endpoint: str
    """``https://<account>.blob.core.windows.net/`` (``--cloud-storage-bucket-endpoint``). Required."""
    anyscale_operator_iam_identity: Any = None  # type: ignore[assignment]
    """The operator identity's PRINCIPAL id (``PrincipalId``; a ``ClientId`` is refused).
    Required (``--anyscale-operator-iam-identity``)."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region_name(value)

    @field_validator("azure_tenant_id")
    @classmethod
    def _tenant(cls, value: str) -> str:
        return v.check_guid(value, "tenant id")

    @field_validator("anyscale_operator_iam_identity")
    @classmethod
    def _principal(cls, value: Any) -> str:
        if value is None:
            raise ValueError("is required on azure: the operator identity's principal id")
        return str(require(value, PrincipalId, "anyscale_operator_iam_identity"))

    @field_validator("cloud_storage_bucket_name")
    @classmethod
    def _bucket(cls, value: str) -> str:
        if not isinstance(value, str) or not _ABFSS.match(value):
            raise ValueError(f"{value!r} is not abfss://<container>@<account>.{c.DFS_HOST_SUFFIX}")
        return value

    @field_validator("cloud_storage_bucket_endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        if not isinstance(value, str) or not _BLOB.match(value):
            raise ValueError(f"{value!r} is not https://<account>.{c.BLOB_HOST_SUFFIX}/")
        return value

    def advisories(self) -> list[str]:
        bucket = _ABFSS.match(self.cloud_storage_bucket_name)
        endpoint = _BLOB.match(self.cloud_storage_bucket_endpoint)
        if bucket and endpoint and bucket.group("account") != endpoint.group("account"):
            return [
                f"cloud_storage_bucket_endpoint names account {endpoint.group('account')}, the bucket "
                f"{bucket.group('account')}: the operator would read one account and write another"
            ]
        return []

    def flags(self) -> dict[str, FlagValue]:
        flags = self._head_flags()
        flags["--region"] = self.region
        flags["--azure-tenant-id"] = self.azure_tenant_id
        flags["--cloud-storage-bucket-name"] = self.cloud_storage_bucket_name
        flags["--cloud-storage-bucket-endpoint"] = self.cloud_storage_bucket_endpoint
        flags.update(self._k8s_flags())
        return flags

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` the CLI builds from these flags (the azure branch)."""
        return self._k8s_deployment(
            provider="AZURE",
            region=self.region,
            object_storage={
                "bucket_name": self.cloud_storage_bucket_name,
                "region": self.region,
                "endpoint": self.cloud_storage_bucket_endpoint,
            },
            file_storage=self._k8s_file_storage(),
            config_key="azure_config",
            config={"tenant_id": self.azure_tenant_id},
        )

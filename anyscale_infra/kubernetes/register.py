"""`anyscale cloud register --compute-stack k8s` arguments, as plain values.

The fields every Kubernetes cloud shares (``--kubernetes-zones``, the operator's identity,
object storage, the K8s file-storage choices) and how they become flags and the resource
file's ``kubernetes_config``; each provider's model adds its own (AWS: the EFS id; GCP: the
project and Filestore; Azure: the tenant) in its folder. :class:`GenericK8sRegisterArgs` is
the ``--provider generic`` cloud (any cluster). Flags and rules are the CLI's
(``anyscale/commands/cloud_commands.py::register_cloud``).

Registration returns the cloud resource id (``cldrsrc_...``) the operator's helm release
needs (``global.cloudDeploymentId``): that is the second step.
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional

from pydantic import field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.register import FlagValue, RegisterArgs

COMPUTE_STACK_K8S = "K8S"


class KubernetesRegisterArgs(RegisterArgs):
    """What every `cloud register --compute-stack k8s` shares; subclasses set ``PROVIDER``."""

    #: ``--provider`` value (``aws``, ``gcp``, ``azure``, ``generic``).
    PROVIDER: ClassVar[str] = ""

    kubernetes_zones: list[str] = []
    """Zones pods launch in (``--kubernetes-zones``, comma-joined). Required on AWS and GCP."""
    anyscale_operator_iam_identity: Optional[str] = None
    """The cloud identity federated with the operator's service account
    (``--anyscale-operator-iam-identity``): the IAM role ARN (EKS), the service account email
    (GKE), the managed identity's PRINCIPAL id (Azure)."""
    kubernetes_redis_endpoint: Optional[str] = None
    """A Redis endpoint reachable from the pods, ``host:port`` (``--kubernetes-redis-endpoint``):
    Ray GCS fault tolerance. Optional."""
    persistent_volume_claim: Optional[str] = None
    """Shared storage as a PVC mounted into pods (``--persistent-volume-claim``). Optional;
    exclusive with NFS and the CSI driver."""
    csi_ephemeral_volume_driver: Optional[str] = None
    """Shared storage through a CSI ephemeral volume driver (``--csi-ephemeral-volume-driver``)."""
    private_network: bool = False
    """``--private-network``. Defaults to False (public networking)."""

    @field_validator("kubernetes_zones")
    @classmethod
    def _zones(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for zone in value:
            if not zone or "," in zone or zone != zone.strip():
                raise ValueError(f"{zone!r} is not a zone name (no commas or spaces; the flag joins zones with ',')")
            if zone in seen:
                raise ValueError(f"lists {zone} more than once")
            seen.add(zone)
        return value

    @field_validator("kubernetes_redis_endpoint")
    @classmethod
    def _redis(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_redis_endpoint(value)

    @model_validator(mode="after")
    def _storage_choice(self) -> "KubernetesRegisterArgs":
        chosen = [f for f in self._file_storage_choices() if getattr(self, f, None)]
        if len(chosen) > 1:
            raise InvalidArgsError(
                type(self).__name__,
                [FieldProblem(chosen[1], f"is exclusive with {chosen[0]} (the CLI takes one shared storage)")],
            )
        return self

    def _file_storage_choices(self) -> tuple[str, ...]:
        return ("persistent_volume_claim", "csi_ephemeral_volume_driver")

    # -- flags ------------------------------------------------------------------------------
    def _k8s_flags(self) -> dict[str, FlagValue]:
        """The Kubernetes flags, after the provider's own."""
        flags: dict[str, FlagValue] = {}
        if self.kubernetes_zones:
            flags["--kubernetes-zones"] = ",".join(self.kubernetes_zones)
        if self.anyscale_operator_iam_identity:
            flags["--anyscale-operator-iam-identity"] = self.anyscale_operator_iam_identity
        if self.kubernetes_redis_endpoint:
            flags["--kubernetes-redis-endpoint"] = self.kubernetes_redis_endpoint
        if self.persistent_volume_claim:
            flags["--persistent-volume-claim"] = self.persistent_volume_claim
        if self.csi_ephemeral_volume_driver:
            flags["--csi-ephemeral-volume-driver"] = self.csi_ephemeral_volume_driver
        if self.private_network:
            flags["--private-network"] = True
        return flags

    def _head_flags(self) -> dict[str, FlagValue]:
        return {"--provider": self.PROVIDER, "--compute-stack": "k8s", "--name": self.name}

    # -- resource file ----------------------------------------------------------------------
    def _kubernetes_config(self, *, identity: bool = True) -> dict[str, Any]:
        return {
            "anyscale_operator_iam_identity": self.anyscale_operator_iam_identity if identity else None,
            "zones": list(self.kubernetes_zones),
            "redis_endpoint": self.kubernetes_redis_endpoint,
        }

    def _k8s_file_storage(self, **extra: Any) -> Optional[dict[str, Any]]:
        storage = {
            **extra,
            "persistent_volume_claim": self.persistent_volume_claim,
            "csi_ephemeral_volume_driver": self.csi_ephemeral_volume_driver,
        }
        return storage if any(v for v in storage.values()) else None

    def _k8s_deployment(
        self,
        *,
        provider: str,
        region: str,
        object_storage: Optional[dict[str, Any]],
        file_storage: Optional[dict[str, Any]],
        config_key: Optional[str] = None,
        config: Optional[dict[str, Any]] = None,
        identity_in_config: bool = True,
    ) -> dict[str, Any]:
        """The CLI's ``CloudDeployment`` for a K8s cloud, fields in its order."""
        deployment: dict[str, Any] = {
            "name": self.name,
            "provider": provider,
            "compute_stack": COMPUTE_STACK_K8S,
            "region": region,
            "networking_mode": "PRIVATE" if self.private_network else "PUBLIC",
            "object_storage": object_storage,
            "file_storage": file_storage,
        }
        if config_key is not None:
            deployment[config_key] = config
        deployment["kubernetes_config"] = self._kubernetes_config(identity=identity_in_config)
        return deployment


class GenericK8sRegisterArgs(KubernetesRegisterArgs):
    """`anyscale cloud register --provider generic --compute-stack k8s`: any cluster; the
    operator authenticates with a CLI token, so there is no cloud identity (the CLI drops one
    given for generic)."""

    PROVIDER: ClassVar[str] = "generic"

    region: str = "default"
    """``--region``; a generic cloud has none of its own (the CLI stores ``default``)."""
    cloud_storage_bucket_name: Optional[str] = None
    """Object storage (``--cloud-storage-bucket-name``), e.g. ``s3://bucket`` on an
    S3-compatible store. Optional for generic clouds."""
    cloud_storage_bucket_endpoint: Optional[str] = None
    """Endpoint of an S3-compatible store (``--cloud-storage-bucket-endpoint``)."""
    cloud_storage_bucket_region: Optional[str] = None
    """The bucket's region when not the cloud's (``--cloud-storage-bucket-region``)."""
    nfs_mount_targets: list[str] = []
    """NFS servers, ``address`` or ``zone,address`` each (``--nfs-mount-target``, repeated)."""
    nfs_mount_path: Optional[str] = None
    """The NFS export path (``--nfs-mount-path``)."""

    @field_validator("anyscale_operator_iam_identity")
    @classmethod
    def _no_identity(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            raise ValueError("a generic cloud has no cloud identity (the CLI drops it); the operator uses a CLI token")
        return value

    @field_validator("nfs_mount_targets")
    @classmethod
    def _targets(cls, value: list[str]) -> list[str]:
        for target in value:
            parts = [p.strip() for p in target.split(",")]
            if len(parts) > 2 or not all(parts):
                raise ValueError(f"{target!r} is not 'address' or 'zone,address'")
        return value

    def _file_storage_choices(self) -> tuple[str, ...]:
        return ("nfs_mount_targets", "persistent_volume_claim", "csi_ephemeral_volume_driver")

    def flags(self) -> dict[str, FlagValue]:
        flags = self._head_flags()
        flags["--region"] = self.region
        if self.cloud_storage_bucket_name:
            flags["--cloud-storage-bucket-name"] = self.cloud_storage_bucket_name
        if self.cloud_storage_bucket_endpoint:
            flags["--cloud-storage-bucket-endpoint"] = self.cloud_storage_bucket_endpoint
        if self.cloud_storage_bucket_region:
            flags["--cloud-storage-bucket-region"] = self.cloud_storage_bucket_region
        # --nfs-mount-target repeats: the dict keeps one key, so targets are joined by the
        # argv override below.
        flags.update(self._k8s_flags())
        return flags

    def argv(self) -> list[str]:
        args = super().argv()
        for target in self.nfs_mount_targets:
            args += ["--nfs-mount-target", target]
        if self.nfs_mount_path:
            args += ["--nfs-mount-path", self.nfs_mount_path]
        return args

    def resource_file(self) -> dict[str, Any]:
        targets = []
        for target in self.nfs_mount_targets:
            parts = [p.strip() for p in target.split(",")]
            targets.append({"address": parts[-1], "zone": parts[0] if len(parts) == 2 else None})
        object_storage = (
            {
                "bucket_name": self.cloud_storage_bucket_name,
                "region": self.cloud_storage_bucket_region or self.region,
                "endpoint": self.cloud_storage_bucket_endpoint,
            }
            if self.cloud_storage_bucket_name
            else None
        )
        return self._k8s_deployment(
            provider="GENERIC",
            region=self.region,
            object_storage=object_storage,
            file_storage=self._k8s_file_storage(mount_targets=targets or None, mount_path=self.nfs_mount_path),
            identity_in_config=False,
        )

"""`anyscale cloud register --provider gcp` arguments, as plain values: the VM compute stack
(:class:`GcpRegisterArgs`) and the Kubernetes one, GKE (:class:`GcpK8sRegisterArgs`).

No Pulumi in the model: it can be built from any source (stack outputs, a script, a test)
and turned into argv, a shell-safe command, the structured flag dict our components export,
or the resource file (:class:`~anyscale_infra.register.RegisterArgs`). Flags and rules are
the CLI's (``anyscale/commands/cloud_commands.py::register_cloud`` and
``CloudController._validate_gcp_config``).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Optional

from pydantic import field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.kubernetes.register import KubernetesRegisterArgs
from anyscale_infra.kubernetes.validation import check_operator_identity
from anyscale_infra.register import FlagValue, RegisterArgs

#: The CLI's own pattern for --provider-name (_validate_gcp_config): the project NUMBER.
CLI_PROVIDER_NAME = re.compile(r"projects\/[0-9]*\/locations\/global\/workloadIdentityPools\/.+\/providers\/[a-z0-9-]*$")
#: Ours, stricter: a number, a pool id and a provider id as Google allows them.
PROVIDER_NAME = re.compile(
    r"^projects/(?P<number>[1-9][0-9]{5,18})/locations/global/workloadIdentityPools/"
    r"(?P<pool>[a-z0-9][a-z0-9-]{2,30}[a-z0-9])/providers/(?P<provider>[a-z0-9][a-z0-9-]{2,30}[a-z0-9])$"
)
#: The CLI's pattern for --memorystore-instance-name; ours adds the parts' shapes.
CLI_MEMORYSTORE_NAME = re.compile(r"projects/.+/locations/.+/instances/.+")
MEMORYSTORE_NAME = re.compile(
    r"^projects/(?P<project>[a-z][a-z0-9-]{4,28}[a-z0-9]|[1-9][0-9]{5,18})/locations/(?P<region>[a-z]+(?:-[a-z]+)+[0-9]+)"
    r"/instances/(?P<name>[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)$"
)


def regional_storage_problems(args: Any) -> list[FieldProblem]:
    """Filestore and Memorystore as the CLI takes them, on both stacks: the two Filestore
    fields together, and both in the cloud's region (``args`` has ``region``,
    ``filestore_instance_id``, ``filestore_location`` and ``memorystore_instance_name``)."""
    problems: list[FieldProblem] = []
    if (args.filestore_instance_id is None) != (args.filestore_location is None):
        missing = "filestore_location" if args.filestore_location is None else "filestore_instance_id"
        problems.append(FieldProblem(missing, "is required with the other Filestore field (the CLI needs both)"))
    if args.filestore_location is not None and v.region_of_location(args.filestore_location) != args.region:
        problems.append(FieldProblem("filestore_location", f"{args.filestore_location} is not in the cloud's region {args.region}"))
    if args.memorystore_instance_name is not None:
        region = MEMORYSTORE_NAME.match(args.memorystore_instance_name).group("region")  # type: ignore[union-attr]
        if region != args.region:
            problems.append(FieldProblem("memorystore_instance_name", f"is in {region}, not in the cloud's region {args.region}"))
    return problems


class GcpRegisterArgs(RegisterArgs):
    """Everything `anyscale cloud register --provider gcp` needs, checked before you run it."""

    region: str
    """Region of the cloud (``--region``), e.g. ``us-central1``. Required."""
    project_id: str
    """The project the cloud runs in (``--project-id``): its ID, never its number. Required."""
    vpc_name: str
    """The VPC's name (``--vpc-name``). Required."""
    subnet_names: list[str]
    """The cloud subnet's name (``--subnet-names``); the CLI uses the first only. Required."""
    firewall_policy_names: list[str]
    """The network firewall policy associated with the VPC (``--firewall-policy-names``);
    the CLI uses the first only. Required."""
    cloud_storage_bucket_name: str
    """Cloud Storage bucket, with or without ``gs://`` (``--cloud-storage-bucket-name``). Required."""
    anyscale_service_account_email: str
    """The service account Anyscale impersonates (``--anyscale-service-account-email``). Required."""
    instance_service_account_email: str
    """The cluster nodes' service account (``--instance-service-account-email``). Required."""
    provider_name: str
    """The workload identity provider, ``projects/<project NUMBER>/locations/global/
    workloadIdentityPools/<pool>/providers/<id>`` (``--provider-name``). Required."""
    filestore_instance_id: Optional[str] = None
    """Filestore instance id, the short name (``--filestore-instance-id``). Optional;
    workspaces need it. Given with ``filestore_location``."""
    filestore_location: Optional[str] = None
    """Filestore zone or region (``--filestore-location``). Given with the instance id."""
    memorystore_instance_name: Optional[str] = None
    """Memorystore for Redis, ``projects/<p>/locations/<region>/instances/<name>``
    (``--memorystore-instance-name``). Optional: head-node fault tolerance."""
    host_project_id: Optional[str] = None
    """Host project of a shared VPC (``--host-project-id``). Optional."""
    private_network: bool = False
    """Customer-defined (private) networking (``--private-network``). Defaults to False."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region(value)

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: str) -> str:
        return v.check_project_id(value)

    @field_validator("host_project_id")
    @classmethod
    def _host_project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value, "host project id")

    @field_validator("vpc_name")
    @classmethod
    def _vpc(cls, value: str) -> str:
        return v.check_resource_name(value, "VPC name")

    @field_validator("subnet_names", "firewall_policy_names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs one name (the CLI uses the first)")
        for item in value:
            v.check_resource_name(item)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("cloud_storage_bucket_name")
    @classmethod
    def _bucket(cls, value: str) -> str:
        bare = value.removeprefix(c.GCS_SCHEME).rstrip("/")
        v.check_bucket_name(bare)
        return c.GCS_SCHEME + bare

    @field_validator("anyscale_service_account_email", "instance_service_account_email")
    @classmethod
    def _email(cls, value: str) -> str:
        return v.check_service_account_email(value)

    @field_validator("provider_name")
    @classmethod
    def _provider(cls, value: str) -> str:
        if not PROVIDER_NAME.match(value) or not CLI_PROVIDER_NAME.search(value):
            hint = ""
            if re.match(r"^projects/[a-z]", value):
                hint = " (it names the project by its ID; the CLI wants the project NUMBER)"
            raise ValueError(
                f"{value!r} is not a workload identity provider name like projects/<project number>/locations/"
                f"global/workloadIdentityPools/<pool>/providers/<id>{hint}"
            )
        return value

    @field_validator("filestore_instance_id")
    @classmethod
    def _filestore(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value, "Filestore instance id")

    @field_validator("filestore_location")
    @classmethod
    def _filestore_location(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        try:
            return v.check_zone(value)
        except ValueError:
            return v.check_region(value)

    @field_validator("memorystore_instance_name")
    @classmethod
    def _memorystore(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not (MEMORYSTORE_NAME.match(value) and CLI_MEMORYSTORE_NAME.search(value)):
            raise ValueError(
                f"{value!r} is not a Memorystore instance name like projects/<project>/locations/<region>/instances/<name>"
            )
        return value

    @model_validator(mode="after")
    def _together(self) -> "GcpRegisterArgs":
        problems = regional_storage_problems(self)
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def advisories(self) -> list[str]:
        notes = []
        for field in ("subnet_names", "firewall_policy_names"):
            if len(getattr(self, field)) > 1:
                notes.append(f"{field}: `cloud register` uses only the first and ignores the rest (its verifier warns)")
        return notes

    def flags(self) -> dict[str, FlagValue]:
        """The flags in the order the CLI documents them; ``True`` marks a bare flag."""
        flags: dict[str, FlagValue] = {
            "--provider": "gcp",
            "--name": self.name,
            "--project-id": self.project_id,
            "--vpc-name": self.vpc_name,
            "--subnet-names": ",".join(self.subnet_names),
            "--region": self.region,
            "--firewall-policy-names": ",".join(self.firewall_policy_names),
            "--cloud-storage-bucket-name": self.cloud_storage_bucket_name,
        }
        if self.filestore_instance_id and self.filestore_location:
            flags["--filestore-instance-id"] = self.filestore_instance_id
            flags["--filestore-location"] = self.filestore_location
        flags["--anyscale-service-account-email"] = self.anyscale_service_account_email
        flags["--instance-service-account-email"] = self.instance_service_account_email
        flags["--provider-name"] = self.provider_name
        if self.memorystore_instance_name:
            flags["--memorystore-instance-name"] = self.memorystore_instance_name
        if self.host_project_id:
            flags["--host-project-id"] = self.host_project_id
        if self.private_network:
            flags["--private-network"] = True
        return flags

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` the CLI builds from these flags (register_cloud): the
        Filestore id in its full ``projects/<p>/locations/<loc>/instances/<id>`` form."""
        file_storage = (
            {"file_storage_id": f"projects/{self.project_id}/locations/{self.filestore_location}/instances/{self.filestore_instance_id}"}
            if self.filestore_instance_id
            else None
        )
        gcp_config: dict[str, Any] = {
            "project_id": self.project_id,
            "host_project_id": self.host_project_id,
            "provider_name": self.provider_name,
            "vpc_name": self.vpc_name,
            "subnet_names": list(self.subnet_names),
            "firewall_policy_names": list(self.firewall_policy_names),
            "anyscale_service_account_email": self.anyscale_service_account_email,
            "cluster_service_account_email": self.instance_service_account_email,
            "memorystore_instance_name": self.memorystore_instance_name,
        }
        return self._deployment(
            provider="GCP",
            region=self.region,
            private_network=self.private_network,
            bucket_name=self.cloud_storage_bucket_name,
            file_storage=file_storage,
            config_key="gcp_config",
            config=gcp_config,
        )


class GcpK8sRegisterArgs(KubernetesRegisterArgs):
    """`anyscale cloud register --provider gcp --compute-stack k8s`: a GKE cloud.

    What the CLI requires for it (``register_cloud``): the bucket, ``--kubernetes-zones`` and
    ``--anyscale-operator-iam-identity`` (the Google service account the operator's
    Kubernetes service account impersonates). With Filestore, ``register_gcp_cloud`` also
    needs ``--vpc-name`` (it looks the instance's mount IP up in that VPC) and the project.
    """

    PROVIDER: ClassVar[str] = "gcp"

    region: str
    """Region of the cluster (``--region``), e.g. ``us-central1``. Required."""
    project_id: str
    """The project (``--project-id``): its ID, never its number; the Filestore and Memorystore
    names are composed with it. Required."""
    cloud_storage_bucket_name: str
    """Cloud Storage bucket, with or without ``gs://`` (``--cloud-storage-bucket-name``); the
    CLI requires it on Kubernetes. Required."""
    vpc_name: Optional[str] = None
    """The cluster's VPC (``--vpc-name``). Optional; required with Filestore."""
    filestore_instance_id: Optional[str] = None
    """Filestore instance id, the short name (``--filestore-instance-id``, which the CLI takes
    as ``--file-storage-id`` and composes into ``projects/<project>/locations/<location>/
    instances/<id>``). Optional; with ``filestore_location``."""
    filestore_location: Optional[str] = None
    """Filestore zone or region, in the cloud's region (``--filestore-location``)."""
    memorystore_instance_name: Optional[str] = None
    """Memorystore for Redis, ``projects/<p>/locations/<region>/instances/<name>``
    (``--memorystore-instance-name``). Optional: head-node fault tolerance."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        return v.check_region(value)

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: str) -> str:
        return v.check_project_id(value)

    @field_validator("cloud_storage_bucket_name")
    @classmethod
    def _bucket(cls, value: str) -> str:
        return GcpRegisterArgs._bucket(value)

    @field_validator("vpc_name")
    @classmethod
    def _vpc(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value, "VPC name")

    @field_validator("filestore_instance_id")
    @classmethod
    def _filestore(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value, "Filestore instance id")

    @field_validator("filestore_location")
    @classmethod
    def _filestore_location(cls, value: Optional[str]) -> Optional[str]:
        return GcpRegisterArgs._filestore_location(value)

    @field_validator("memorystore_instance_name")
    @classmethod
    def _memorystore(cls, value: Optional[str]) -> Optional[str]:
        return GcpRegisterArgs._memorystore(value)

    @field_validator("anyscale_operator_iam_identity")
    @classmethod
    def _identity(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            raise ValueError("is required on GKE: the Google service account the operator impersonates")
        return check_operator_identity("gcp", value)

    def _file_storage_choices(self) -> tuple[str, ...]:
        # Filestore is NFS: one shared storage, as the base's PVC and CSI driver.
        return ("filestore_instance_id", "persistent_volume_claim", "csi_ephemeral_volume_driver")

    @model_validator(mode="after")
    def _gcp_rules(self) -> "GcpK8sRegisterArgs":
        problems: list[FieldProblem] = []
        if not self.kubernetes_zones:
            problems.append(FieldProblem("kubernetes_zones", "is required on GKE (--kubernetes-zones): the zones pods run in"))
        for zone in self.kubernetes_zones:
            try:
                v.check_zone(zone, self.region)
            except ValueError as exc:
                problems.append(FieldProblem("kubernetes_zones", str(exc)))
        problems += regional_storage_problems(self)
        if self.filestore_instance_id is not None and self.vpc_name is None:
            # register_gcp_cloud: "Please provide the name of the VPC that your Kubernetes
            # cluster is running inside of." (it finds the mount IP in that VPC).
            problems.append(FieldProblem("vpc_name", "is required with Filestore on Kubernetes (the CLI finds its mount IP in the VPC)"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def flags(self) -> dict[str, FlagValue]:
        """Head flags, then GCP's, then the Kubernetes ones (the anchor's order)."""
        flags = self._head_flags()
        flags["--region"] = self.region
        flags["--project-id"] = self.project_id
        if self.vpc_name:
            flags["--vpc-name"] = self.vpc_name
        flags["--cloud-storage-bucket-name"] = self.cloud_storage_bucket_name
        if self.filestore_instance_id and self.filestore_location:
            # The CLI reads --filestore-instance-id as --file-storage-id (the anchor's
            # spelling) for gcp on both stacks; we print the GCP name, as the VM model does.
            flags["--filestore-instance-id"] = self.filestore_instance_id
            flags["--filestore-location"] = self.filestore_location
        if self.memorystore_instance_name:
            flags["--memorystore-instance-name"] = self.memorystore_instance_name
        flags.update(self._k8s_flags())
        return flags

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` the CLI builds from these flags for gcp + K8S
        (``register_cloud``): the Filestore id in its full form, every ``gcp_config`` field
        the CLI sets (the VM-only ones None, the lists empty), and ``kubernetes_config``."""
        file_storage = self._k8s_file_storage(
            file_storage_id=(
                f"projects/{self.project_id}/locations/{self.filestore_location}/instances/{self.filestore_instance_id}"
                if self.filestore_instance_id
                else None
            )
        )
        gcp_config: dict[str, Any] = {
            "project_id": self.project_id,
            "host_project_id": None,
            "provider_name": None,
            "vpc_name": self.vpc_name,
            "subnet_names": [],
            "firewall_policy_names": [],
            "anyscale_service_account_email": None,
            "cluster_service_account_email": None,
            "memorystore_instance_name": self.memorystore_instance_name,
        }
        return self._k8s_deployment(
            provider="GCP",
            region=self.region,
            object_storage={"bucket_name": self.cloud_storage_bucket_name},
            file_storage=file_storage,
            config_key="gcp_config",
            config=gcp_config,
        )

"""``AnyscaleEksCloud``: an Anyscale cloud on EKS (the Kubernetes compute stack), from one
args model, and the exact ``anyscale cloud register --compute-stack k8s`` command.

The parts, each new or yours: the network (:class:`AnyscaleNetwork`, its subnets tagged for
Kubernetes load balancers), the S3 bucket, EFS (optional, on by default; its security group
admits NFS from the cluster's nodes only), the EKS cluster (:class:`AnyscaleEksCluster`: new
with its node groups, or existing), the operator's dedicated IAM role
(:class:`AnyscaleEksOperatorIdentity`: IRSA or EKS Pod Identity, the bucket and EFS only), a
Kubernetes provider for the cluster (``aws eks get-token``; or yours), the cluster
autoscaler and, with GPU groups, the NVIDIA device plugin (new clusters), and the Anyscale
operator (:class:`~anyscale_infra.kubernetes.operator.AnyscaleOperator`: namespace, gateway
behind an internet-facing or internal NLB, the helm release).

MemoryDB is left out: on Kubernetes, Ray's GCS fault tolerance takes any Redis reachable from
the pods (``kubernetes_redis_endpoint``, ``--kubernetes-redis-endpoint``).

Two ``pulumi up``s (issue 12): the first builds everything but the operator's release and
prints the register command; ``anyscale cloud register`` returns the cloud deployment id
(``cldrsrc_...``); set ``cloud_deployment_id`` and run ``pulumi up`` again to install the
operator. Until then the operator plans no release and says so.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import _component as w
from anyscale_infra.aws import constants as c
from anyscale_infra.aws import policies
from anyscale_infra.aws import validation as v
from anyscale_infra.aws.bucket import AnyscaleBucket, AnyscaleBucketArgs
from anyscale_infra.aws.eks import AnyscaleEksCluster, AnyscaleEksClusterArgs
from anyscale_infra.aws.file_system import AnyscaleFileSystem, AnyscaleFileSystemArgs
from anyscale_infra.aws.network import AnyscaleNetwork, AnyscaleNetworkArgs
from anyscale_infra.aws.operator_identity import (
    AnyscaleEksOperatorIdentity,
    AnyscaleEksOperatorIdentityArgs,
    OperatorTrust,
)
from anyscale_infra.aws.register import AwsK8sRegisterArgs
from anyscale_infra.egress import DeploymentKind, egress_allowlist
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.kubernetes.load_balancer import LoadBalancerScheme
from anyscale_infra.kubernetes.operator import AnyscaleOperator, AnyscaleOperatorArgs
from anyscale_infra.kubernetes.values import deep_merge
from anyscale_infra.models import (
    ArgsModel,
    NetworkingMode,
    disabled_part_notes,
    wired_field_problems,
)

#: Fields of the part models AnyscaleEksCloud fills in itself (wiring between parts).
_WIRED: dict[str, tuple[str, ...]] = {
    "network": ("kubernetes_cluster_name",),
    "bucket": ("access_role_arns", "identity_policy_roles"),
    "file_system": ("subnet_ids", "security_group_id"),
    "cluster": ("networking", "subnet_ids", "enable_efs_csi_driver", "enable_irsa"),
    "operator_identity": ("oidc_provider_arn", "cluster_name", "namespace", "bucket_name", "kms_key_arn", "file_system_arn"),
}
#: AnyscaleOperatorArgs fields the cloud sets (from its own fields and parts).
_OPERATOR_WIRED = ("cloud_provider", "cloud_deployment_id", "iam_identity", "aws_region", "load_balancer", "namespace")
#: Only to check ``operator`` before the region is looked up (the real one replaces it).
_PLACEHOLDER_REGION = "us-east-1"


class AnyscaleEksCloudArgs(ArgsModel):
    """Arguments of :class:`AnyscaleEksCloud`. Only ``cloud_name`` is required; every other
    default follows Anyscale's recommendations (direct networking, a new VPC and cluster,
    EFS, IRSA)."""

    cloud_name: str
    """Name of the Anyscale cloud (``--name``); also the new cluster's name, made valid,
    unless ``cluster.cluster_name`` is set. Required."""
    cloud_deployment_id: Optional[str] = None
    """The cloud deployment id ``cloud register`` returns (``cldrsrc_...``): set it for the
    second ``pulumi up`` to install the operator. Optional (first step: None)."""
    cloud_id: Optional[str] = None
    """The cloud id ``cloud register`` prints (``cld_...``): tags every AWS resource with
    ``anyscale-cloud-id`` and makes the egress allow-list exact. Optional."""
    network: AnyscaleNetworkArgs = Field(default_factory=AnyscaleNetworkArgs)
    """The VPC and subnets (new by default). ``network.networking`` picks direct (public
    subnets, public API endpoint, internet-facing NLB) or private (private subnets, private
    API endpoint, internal NLB, ``--private-network``). An existing cluster needs its
    existing VPC here."""
    bucket: AnyscaleBucketArgs = Field(default_factory=AnyscaleBucketArgs)
    """The S3 bucket (new by default); its policy admits the operator's role."""
    enable_file_system: bool = True
    """Create (or register) EFS for shared storage (workspaces), with the EFS CSI driver on a
    new cluster. Defaults to True."""
    file_system: AnyscaleFileSystemArgs = Field(default_factory=AnyscaleFileSystemArgs)
    """The EFS file system (new by default; mount targets in the cluster subnets)."""
    cluster: AnyscaleEksClusterArgs = Field(default_factory=AnyscaleEksClusterArgs)
    """The EKS cluster (new by default; ``existing_cluster_name`` for yours)."""
    operator_identity: AnyscaleEksOperatorIdentityArgs = Field(default_factory=AnyscaleEksOperatorIdentityArgs)
    """The operator's IAM role: ``trust`` (IRSA, the default, or EKS Pod Identity), or
    ``existing_role_arn``."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """The operator's namespace (RFC 1123 label); the role's trust names
    ``system:serviceaccount:<namespace>:anyscale-operator``. Defaults to ``anyscale-operator``."""
    kubernetes_zones: Optional[list[str]] = None
    """Zones pods launch in (``--kubernetes-zones``). Optional; defaults to the network's
    cluster subnet AZs (required with existing subnets whose AZs are not given)."""
    kubernetes_redis_endpoint: Optional[str] = None
    """A Redis reachable from the pods, ``host:port`` (``--kubernetes-redis-endpoint``): head
    node fault tolerance. Optional."""
    operator: dict[str, Any] = Field(default_factory=dict)
    """More :class:`~anyscale_infra.kubernetes.operator.AnyscaleOperatorArgs` fields (``ingress``,
    ``gateway``, ``chart_version``, ``additional_instance_types``, ``extra_values``...). The
    cloud sets ``cloud_provider``, ``cloud_deployment_id``, ``namespace``, ``iam_identity``,
    ``aws_region`` and ``load_balancer`` (by networking mode); ``operator_node_selector``
    defaults to the system node group. Optional."""
    kubernetes_provider: Optional[pulumi.ProviderResource] = None
    """A ``pulumi_kubernetes.Provider`` for the cluster. Optional; defaults to one built from
    the cluster (kubeconfig with ``aws eks get-token``: the deploying identity must be a
    cluster admin, as the creator of a new cluster is)."""
    enable_nvidia_device_plugin: bool = True
    """Install the NVIDIA device plugin (new cluster with GPU groups), so pods can request
    ``nvidia.com/gpu``. Defaults to True."""
    cluster_autoscaler_values: dict[str, Any] = Field(default_factory=dict)
    """Extra values for the cluster-autoscaler chart (merged last). Optional."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for every AWS resource (a part's own ``tags`` win). Optional."""

    @field_validator("cloud_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_cloud_deployment_id(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("kubernetes_zones")
    @classmethod
    def _zones(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        if not value:
            raise ValueError("needs at least one availability zone (leave it out for the network's)")
        for zone in value:
            v.check_availability_zone(zone)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        regions = sorted({z[:-1] for z in value})
        if len(regions) > 1:
            raise ValueError(f"span several regions: {', '.join(regions)}")
        return value

    @field_validator("kubernetes_redis_endpoint")
    @classmethod
    def _redis(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_redis_endpoint(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleEksCloudArgs":
        problems = wired_field_problems(self, _WIRED, lambda part: "AnyscaleEksCloud")
        for key in sorted(set(self.operator) & set(_OPERATOR_WIRED)):
            where = {"cloud_deployment_id": "cloud_deployment_id", "namespace": "namespace"}.get(key)
            hint = f"set {where} at the top level" if where else "leave it out here"
            problems.append(FieldProblem(f"operator.{key}", f"is set by AnyscaleEksCloud; {hint}"))
        if not problems:
            try:
                self.operator_args(_PLACEHOLDER_REGION)
            except InvalidArgsError as exc:
                problems += [FieldProblem(f"operator.{p.field}" if p.field else "operator", p.message) for p in exc.problems]
        existing_cluster = self.cluster.existing_cluster_name is not None
        if existing_cluster and self.network.existing_vpc_id is None:
            problems.append(FieldProblem(
                "network.existing_vpc_id",
                "is required with cluster.existing_cluster_name: give the cluster's VPC and subnets (EFS mount targets, zones)",
            ))
        zones = self.network_zones()
        if self.kubernetes_zones is None:
            if self.network.existing_vpc_id is not None and zones is None:
                problems.append(FieldProblem(
                    "kubernetes_zones",
                    "is required: the existing subnets do not say their availability_zone (give it, or give those)",
                ))
        elif zones is not None and (outside := [z for z in self.kubernetes_zones if z not in zones]):
            problems.append(FieldProblem(
                "kubernetes_zones",
                f"{', '.join(outside)} {'has' if len(outside) == 1 else 'have'} no cluster subnet "
                f"(the network's zones: {', '.join(sorted(zones))})",
            ))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    # -- derived values ----------------------------------------------------------------------
    @property
    def private_network(self) -> bool:
        return self.network.networking is NetworkingMode.PRIVATE

    def network_zones(self) -> Optional[list[str]]:
        """The cluster subnets' AZs when the arguments fix them, else None (a new VPC in the
        region's first AZs, or existing subnets without ``availability_zone``)."""
        if self.network.existing_vpc_id is None:
            return self.network.known_availability_zones()
        zones = [s.availability_zone for s in self.network.existing_subnets]
        return list(dict.fromkeys(zones)) if zones and all(zones) else None  # type: ignore[arg-type]

    def cluster_name(self) -> str:
        """The cluster's name: the existing one, the one given, or the cloud's name made valid."""
        cluster = self.cluster
        return cluster.existing_cluster_name or cluster.cluster_name or v.eks_cluster_name_for(self.cloud_name)

    def load_balancer(self) -> LoadBalancerScheme:
        """Direct networking: an internet-facing NLB; private: an internal one."""
        return LoadBalancerScheme.INTERNAL if self.private_network else LoadBalancerScheme.PUBLIC

    def operator_args(self, region: str, iam_identity: Any = None) -> AnyscaleOperatorArgs:
        """The operator's args: the cloud's wiring over ``operator``'s extra fields."""
        extra = dict(self.operator)
        if self.cluster.existing_cluster_name is None:
            extra.setdefault("operator_node_selector", {c.SYSTEM_NODE_ROLE_LABEL: c.SYSTEM_NODE_ROLE})
        return AnyscaleOperatorArgs(
            **extra,
            cloud_provider="aws",
            cloud_deployment_id=self.cloud_deployment_id,
            namespace=self.namespace,
            iam_identity=iam_identity,
            aws_region=region,
            load_balancer=self.load_balancer(),
        )

    def part_tags(self, own: dict[str, str]) -> dict[str, str]:
        """Cloud tags < the part's own tags < the ``anyscale-cloud-id`` tag (STYLE.md rule 9)."""
        tags = {**self.tags, **own}
        if self.cloud_id is not None:
            tags[c.CLOUD_ID_TAG_KEY] = self.cloud_id
        return tags

    def advisories(self) -> list[str]:
        return disabled_part_notes(self, {"file_system": "enable_file_system"})


def cluster_autoscaler_values(cluster_name: str, region: str, version: str, extra: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """The cluster-autoscaler chart's values: discover this cluster's node groups (EKS tags
    their Auto Scaling groups), run as the service account the autoscaler's Pod Identity
    role is bound to, on the system nodes, with the autoscaler release of the cluster's
    Kubernetes minor version (the autoscaler's compatibility rule)."""
    values = {
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": cluster_name},
        "rbac": {"serviceAccount": {"create": True, "name": c.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT}},
        "image": {"tag": f"v{version}.0"},
        "nodeSelector": {c.SYSTEM_NODE_ROLE_LABEL: c.SYSTEM_NODE_ROLE},
    }
    return deep_merge(values, extra or {})


def nvidia_device_plugin_values() -> dict[str, Any]:
    """The device plugin's values (Anyscale's EKS example README): only on GPU nodes (they
    carry ``nvidia.com/gpu.product``), tolerating the GPU groups' taints."""
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [{"key": kc.GPU_PRODUCT_LABEL, "operator": "Exists"}]}]
                }
            }
        },
        "tolerations": [
            {"key": key, "operator": "Exists", "effect": "NoSchedule"}
            for key in (kc.NVIDIA_GPU, kc.CAPACITY_TYPE_LABEL, kc.ACCELERATOR_TYPE_LABEL)
        ],
    }


class AnyscaleEksCloud(pulumi.ComponentResource):
    """Everything an Anyscale cloud on EKS needs in your AWS account, plus its register command."""

    region: pulumi.Output[str]
    vpc_id: pulumi.Output[str]
    cluster_name: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    """A kubeconfig for the cluster (``aws eks get-token``; no secret in it)."""
    oidc_provider_arn: pulumi.Output[Optional[str]]
    bucket_name: pulumi.Output[str]
    file_system_id: pulumi.Output[Optional[str]]
    operator_role_arn: pulumi.Output[str]
    """The operator's role (``--anyscale-operator-iam-identity``); never the node role."""
    namespace: pulumi.Output[str]
    """The operator's namespace."""
    kubernetes_zones: pulumi.Output[list[str]]
    register: pulumi.Output[AwsK8sRegisterArgs]
    """The register arguments as the model (``.command()``, ``.resource_file()``...)."""
    register_args: pulumi.Output[dict[str, Any]]
    """The ``anyscale cloud register`` flags and values, in order (``True`` = bare flag)."""
    register_command: pulumi.Output[str]
    """The same as one shell-safe command."""
    resource_file: pulumi.Output[str]
    """The same as the YAML of ``anyscale cloud register --name <n> --resource-file <file>``."""
    helm_values: pulumi.Output[Optional[dict]]
    """The operator release's values; None until ``cloud_deployment_id`` is set."""
    egress_allowlist: pulumi.Output[list[dict[str, Any]]]
    """Domains the cluster must/should reach (seed 000, Kubernetes deployments)."""
    release_planned: bool
    """Whether this run installs the operator (``cloud_deployment_id`` set)."""
    kubernetes_provider: pulumi.ProviderResource
    """The provider the operator (and the autoscaler) are installed with."""

    def __init__(self, name: str, args: AnyscaleEksCloudArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleEksCloud"), name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tagged = args.part_tags
        model = type(args).__name__
        # A plain string: the operator's values (global.aws.region) and the zone checks need
        # it before anything is declared. One synchronous lookup per cloud.
        region = aws.get_region(opts=pulumi.InvokeOptions(parent=self)).region
        if args.kubernetes_zones is not None:
            outside = [z for z in args.kubernetes_zones if z[:-1] != region]
            if outside:
                raise w.fail(model, "kubernetes_zones", f"{', '.join(outside)} not in the provider's region {region}")
        operator_args = args.operator_args(region)  # checked again with the real region
        new_cluster = args.cluster.existing_cluster_name is None
        cluster_name = args.cluster_name()
        trust = args.operator_identity.trust
        irsa = trust is OperatorTrust.IRSA

        network = AnyscaleNetwork(
            name,
            args.network.model_copy(update={"kubernetes_cluster_name": cluster_name, "tags": tagged(args.network.tags)}),
            child,
        )
        cluster_update: dict[str, Any] = {"tags": tagged(args.cluster.tags)}
        if new_cluster:
            cluster_update.update(
                cluster_name=cluster_name,
                networking=args.network.networking,
                subnet_ids=[network.cluster_subnets[k] for k in sorted(network.cluster_subnets)],
                enable_efs_csi_driver=args.enable_file_system,
                enable_irsa=irsa,
            )
        cluster = AnyscaleEksCluster(name, args.cluster.model_copy(update=cluster_update), child)

        # The bucket's policy names the operator's role, whose policy names the bucket: the
        # role's ARN is handed to the bucket once the role exists (no cycle between resources).
        role_arn, resolve_role_arn = pulumi.deferred_output()
        bucket = AnyscaleBucket(
            name,
            args.bucket.model_copy(update={"access_role_arns": [role_arn], "tags": tagged(args.bucket.tags)}),
            child,
        )
        try:
            self.file_system_id = pulumi.Output.from_input(None)
            file_system_arn: Optional[pulumi.Output[str]] = None
            if args.enable_file_system:
                self.file_system_id, file_system_arn = self._file_system(name, args, network, cluster, region)
            identity = AnyscaleEksOperatorIdentity(
                name,
                args.operator_identity.model_copy(
                    update={
                        "oidc_provider_arn": cluster.oidc_provider_arn if irsa else None,
                        "cluster_name": cluster.cluster_name,
                        "namespace": args.namespace,
                        "bucket_name": bucket.bucket_name,
                        "kms_key_arn": bucket.kms_key_arn,
                        "file_system_arn": file_system_arn,
                        "tags": tagged(args.operator_identity.tags),
                    }
                ),
                child,
            )
        except BaseException:
            resolve_role_arn(pulumi.Output.from_input(""))  # never leave the bucket policy waiting
            raise
        resolve_role_arn(identity.role_arn)

        provider = args.kubernetes_provider
        if provider is None:
            waits: list[pulumi.Resource] = [*cluster.ready]
            if not irsa:
                # Pod Identity credentials are injected when a pod starts: the association first.
                waits.append(identity)
            provider = k8s.Provider(
                f"{name}-k8s", kubeconfig=cluster.kubeconfig, opts=pulumi.ResourceOptions(parent=self, depends_on=waits)
            )
        on_cluster = pulumi.ResourceOptions(parent=self, provider=provider)
        if new_cluster:
            self._cluster_addons(name, args, cluster_name, region, on_cluster)
        operator = AnyscaleOperator(
            f"{name}-operator",
            operator_args.model_copy(update={"iam_identity": identity.iam_identity if irsa else None}),
            opts=on_cluster,
        )

        self.region = pulumi.Output.from_input(region)
        self.vpc_id = network.vpc_id
        self.cluster_name = cluster.cluster_name
        self.kubeconfig = cluster.kubeconfig
        self.oidc_provider_arn = cluster.oidc_provider_arn
        self.bucket_name = bucket.bucket_name
        self.operator_role_arn = identity.role_arn
        self.namespace = operator.namespace
        self.release_planned = operator.release_planned
        self.kubernetes_provider = provider
        self.helm_values = operator.helm_values
        self.kubernetes_zones = (
            pulumi.Output.from_input(list(args.kubernetes_zones)) if args.kubernetes_zones is not None else network.availability_zones
        )
        self.register = pulumi.Output.all(
            name=args.cloud_name,
            region=self.region,
            cloud_storage_bucket_name=self.bucket_name,
            kubernetes_zones=self.kubernetes_zones,
            anyscale_operator_iam_identity=self.operator_role_arn,
            file_storage_id=self.file_system_id,
            kubernetes_redis_endpoint=args.kubernetes_redis_endpoint,
            private_network=args.private_network,
        ).apply(lambda values: AwsK8sRegisterArgs(**values))
        self.register_args = self.register.apply(lambda r: r.flags())
        self.register_command = self.register.apply(lambda r: r.command())
        self.resource_file = self.register.apply(lambda r: r.resource_file_yaml())
        self.egress_allowlist = pulumi.Output.from_input(egress_allowlist(DeploymentKind.KUBERNETES, cloud_id=args.cloud_id))
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "cluster_name": self.cluster_name,
                "bucket_name": self.bucket_name,
                "file_system_id": self.file_system_id,
                "operator_role_arn": self.operator_role_arn,
                "kubernetes_zones": self.kubernetes_zones,
                "register_args": self.register_args,
                "register_command": self.register_command,
                "resource_file": self.resource_file,
                "helm_values": self.helm_values,
            }
        )

    def _file_system(
        self, name: str, args: AnyscaleEksCloudArgs, network: AnyscaleNetwork, cluster: AnyscaleEksCluster, region: str
    ) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """EFS (new or yours) and, for a new one, a security group admitting NFS from the
        cluster's security group (what EKS managed nodes carry) and nothing else."""
        update: dict[str, Any] = {"tags": args.part_tags(args.file_system.tags)}
        if args.file_system.existing_file_system_id is None:
            group = aws.ec2.SecurityGroup(
                f"{name}-efs-sg",
                vpc_id=network.vpc_id,
                description="Anyscale EFS: NFS from the EKS cluster's nodes",
                revoke_rules_on_delete=True,
                tags=w.merge_tags(f"{name}-efs-sg", args.part_tags({})),
                opts=w.child(self),
            )
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-efs-nfs-from-cluster",
                security_group_id=group.id,
                description="NFS from the EKS cluster security group (managed nodes, pods)",
                ip_protocol="tcp",
                from_port=c.NFS_PORT,
                to_port=c.NFS_PORT,
                referenced_security_group_id=cluster.cluster_security_group_id,
                tags=w.merge_tags(f"{name}-efs-nfs-from-cluster", args.part_tags({})),
                opts=w.child(self, deleted_with=group),
            )
            update.update(subnet_ids=network.cluster_subnets, security_group_id=group.id)
        efs = AnyscaleFileSystem(name, args.file_system.model_copy(update=update), pulumi.ResourceOptions(parent=self))
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        arn = pulumi.Output.all(account, efs.file_system_id).apply(
            lambda values: policies.efs_file_system_arn(region, values[0], values[1])
        )
        return efs.file_system_id, arn

    def _cluster_addons(
        self, name: str, args: AnyscaleEksCloudArgs, cluster_name: str, region: str, opts: pulumi.ResourceOptions
    ) -> None:
        """The cluster autoscaler (its Pod Identity role is the cluster's) and the NVIDIA
        device plugin for GPU groups, on a new cluster."""
        if args.cluster.enable_cluster_autoscaler:
            k8s.helm.v3.Release(
                f"{name}-cluster-autoscaler",
                name=c.CLUSTER_AUTOSCALER_CHART,
                chart=c.CLUSTER_AUTOSCALER_CHART,
                version=c.CLUSTER_AUTOSCALER_CHART_VERSION,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=c.CLUSTER_AUTOSCALER_CHART_REPOSITORY),
                namespace=c.CLUSTER_AUTOSCALER_NAMESPACE,
                values=cluster_autoscaler_values(cluster_name, region, args.cluster.version, args.cluster_autoscaler_values),
                opts=opts,
            )
        if args.enable_nvidia_device_plugin and args.cluster.gpu_node_groups:
            k8s.helm.v3.Release(
                f"{name}-nvidia-device-plugin",
                name="nvdp",
                chart=c.NVIDIA_DEVICE_PLUGIN_CHART,
                version=c.NVIDIA_DEVICE_PLUGIN_CHART_VERSION,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=c.NVIDIA_DEVICE_PLUGIN_CHART_REPOSITORY),
                namespace=c.NVIDIA_DEVICE_PLUGIN_NAMESPACE,
                create_namespace=True,
                values=nvidia_device_plugin_values(),
                opts=opts,
            )


__all__ = ["AnyscaleEksCloud", "AnyscaleEksCloudArgs", "cluster_autoscaler_values", "nvidia_device_plugin_values"]

"""The EKS cluster an Anyscale cloud runs on: new (with its node groups) or yours.

A new cluster (Anyscale's Terraform example, ``examples/aws/eks-public|eks-private/eks.tf``,
is the anchor; deviations are noted):

* the cluster: access entries and the aws-auth ConfigMap (``API_AND_CONFIG_MAP``), the
  deployer as cluster admin, Kubernetes :data:`~anyscale_infra.aws.constants.DEFAULT_EKS_VERSION`,
  its API endpoint public (direct networking) or private only (private networking), in the
  network's cluster subnets; its IAM role;
* an IAM OIDC provider for the cluster's issuer (IAM roles for service accounts, IRSA);
* the managed add-ons vpc-cni, kube-proxy, eks-pod-identity-agent and coredns, plus the EFS
  CSI driver (with its own Pod Identity role) when the cloud has EFS;
* one node role (worker, CNI and ECR read-only policies) and managed node groups: a small
  system group (no Anyscale taint; label ``node.anyscale.com/role=system``) for CoreDNS, the
  operator, the gateway and the autoscaler, and Anyscale workload groups (CPU on-demand and
  spot, and a GPU pair per accelerator) that start at 0 nodes and carry the labels and
  taints of :func:`anyscale_infra.kubernetes.node_pools.node_pool_spec`;
* the cluster autoscaler's identity: a role with a policy scoped to this cluster's node
  groups, bound to ``kube-system/cluster-autoscaler`` by EKS Pod Identity. The anchor puts
  that policy (and the load balancer controller's) on the system group's node role, so every
  pod on those nodes could resize any Auto Scaling group; here only the autoscaler can, and
  only this cluster's. The chart itself is installed by :class:`~anyscale_infra.aws.eks_cloud.AnyscaleEksCloud`.

Bring your own: ``existing_cluster_name`` looks the cluster up (endpoint, CA, OIDC issuer,
cluster security group) and creates nothing; its node pools are yours (check them with
:func:`~anyscale_infra.kubernetes.node_pools.node_pool_problems`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import _component as w
from anyscale_infra.aws import constants as c
from anyscale_infra.aws import policies
from anyscale_infra.aws import validation as v
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes.node_pools import (
    CapacityType,
    NodePoolSpec,
    gpu_product_label,
    node_pool_spec,
)
from anyscale_infra.models import ArgsModel, NetworkingMode, StrInput

_VERSION = re.compile(r"^1\.\d{2}$")
#: Capacity type -> the logical-name word (``{name}-ondemand-cpu``, ``{name}-gpu-t4-spot``).
_CAPACITY_WORD = {CapacityType.ON_DEMAND: "ondemand", CapacityType.SPOT: "spot"}
#: The EKS API's word for each capacity type.
_EKS_CAPACITY = {CapacityType.ON_DEMAND: "ON_DEMAND", CapacityType.SPOT: "SPOT"}
_BOTH_CAPACITIES = (CapacityType.ON_DEMAND, CapacityType.SPOT)


def _check_instance_types(value: list[str]) -> list[str]:
    if not value:
        raise ValueError("needs at least one instance type")
    for instance_type in value:
        v.check_instance_type(instance_type)
    if dups := v.duplicates(value):
        raise ValueError(f"lists {', '.join(dups)} more than once")
    return value


def _check_capacities(value: list[CapacityType]) -> list[CapacityType]:
    if dups := v.duplicates([cap.value for cap in value]):
        raise ValueError(f"lists {', '.join(dups)} more than once")
    return value


class EksSystemNodeGroupArgs(ArgsModel):
    """The system node group: on-demand, no Anyscale taint, labelled
    ``node.anyscale.com/role=system``; it runs CoreDNS, the operator, the gateway, the
    autoscaler (small Anyscale pods that tolerate nothing can land here too)."""

    instance_types: list[str] = Field(default_factory=lambda: list(c.DEFAULT_SYSTEM_INSTANCE_TYPES))
    """Instance types. Defaults to ``["t3.medium"]`` (the anchor's default group)."""
    min_size: int = Field(default=c.DEFAULT_SYSTEM_MIN_SIZE, ge=1)
    """Fewest nodes (at least 1: CoreDNS and the operator live here). Defaults to 1."""
    desired_size: int = Field(default=c.DEFAULT_SYSTEM_DESIRED_SIZE, ge=1)
    """Nodes at creation; the autoscaler owns it afterwards (ignored on update). Defaults to 2."""
    max_size: int = Field(default=c.DEFAULT_SYSTEM_MAX_SIZE, ge=1)
    """Most nodes. Defaults to 4."""
    disk_size_gb: Optional[int] = Field(default=None, ge=1)
    """Root volume size, GiB. Optional; defaults to EKS's (20)."""

    @field_validator("instance_types")
    @classmethod
    def _instance_types(cls, value: list[str]) -> list[str]:
        return _check_instance_types(value)

    @model_validator(mode="after")
    def _sizes(self) -> "EksSystemNodeGroupArgs":
        if not self.min_size <= self.desired_size <= self.max_size:
            raise InvalidArgsError(type(self).__name__, [FieldProblem(
                "desired_size", f"must be between min_size ({self.min_size}) and max_size ({self.max_size}), got {self.desired_size}"
            )])
        return self


class EksWorkloadNodeGroupArgs(ArgsModel):
    """Anyscale workload node groups of one kind (CPU, or one GPU accelerator): one group
    per capacity type, each starting at ``min_size`` and scaled by the autoscaler."""

    instance_types: list[str] = Field(default_factory=lambda: list(c.DEFAULT_CPU_INSTANCE_TYPES))
    """Instance types (a group may mix types of one shape). Defaults to the anchor's CPU
    types ``["m5.8xlarge", "m5.4xlarge"]``; give your GPU types for a GPU group."""
    capacity_types: list[CapacityType] = Field(default_factory=lambda: list(_BOTH_CAPACITIES))
    """One group per capacity type: ``ON_DEMAND``, ``SPOT``. Defaults to both; empty: none."""
    min_size: int = Field(default=c.DEFAULT_WORKLOAD_MIN_SIZE, ge=0)
    """Fewest nodes per group. Defaults to 0 (nothing runs, nothing is billed, until Anyscale asks)."""
    max_size: int = Field(default=c.DEFAULT_WORKLOAD_MAX_SIZE, ge=1)
    """Most nodes per group. Defaults to 10."""
    disk_size_gb: int = Field(default=c.DEFAULT_WORKLOAD_DISK_SIZE_GB, ge=20)
    """Root volume size, GiB (Ray images are large). Defaults to 500 (the anchor's)."""

    @field_validator("instance_types")
    @classmethod
    def _instance_types(cls, value: list[str]) -> list[str]:
        return _check_instance_types(value)

    @field_validator("capacity_types")
    @classmethod
    def _capacities(cls, value: list[CapacityType]) -> list[CapacityType]:
        return _check_capacities(value)

    @model_validator(mode="after")
    def _sizes(self) -> "EksWorkloadNodeGroupArgs":
        if self.min_size > self.max_size:
            raise InvalidArgsError(type(self).__name__, [FieldProblem(
                "min_size", f"must not exceed max_size ({self.max_size}), got {self.min_size}"
            )])
        return self


class EksGpuNodeGroupArgs(EksWorkloadNodeGroupArgs):
    """GPU workload groups of one accelerator (the key they are given under):
    ``instance_types`` is required (e.g. ``["g4dn.xlarge"]`` for T4)."""

    instance_types: list[str]
    """GPU instance types carrying the accelerator, e.g. ``["g5.4xlarge"]`` for A10G. Required."""


#: Fields that only describe a new cluster (an error with ``existing_cluster_name``).
_NEW_CLUSTER_FIELDS = (
    "version",
    "subnet_ids",
    "endpoint_public_access",
    "public_access_cidrs",
    "system_node_group",
    "cpu_node_groups",
    "gpu_node_groups",
    "enable_efs_csi_driver",
    "enable_cluster_autoscaler",
    "enable_irsa",
    "protect",
)


class AnyscaleEksClusterArgs(ArgsModel):
    """Arguments of :class:`AnyscaleEksCluster`: a new cluster (default) or an existing one."""

    cluster_name: Optional[str] = None
    """Name of the new cluster (it must be known up front: subnets are tagged with it).
    Optional; defaults to the component's name made valid (inside
    :class:`~anyscale_infra.aws.eks_cloud.AnyscaleEksCloud`, the cloud's name)."""
    version: str = c.DEFAULT_EKS_VERSION
    """Kubernetes version of the new cluster (``1.xx``). Defaults to 1.33."""
    networking: NetworkingMode = NetworkingMode.DIRECT
    """Direct: the API endpoint is public (and private, for the nodes). Private: private
    only, so ``pulumi up`` must run from inside the VPC (VPN, bastion, CI runner). Defaults
    to direct; set for you inside the cloud."""
    endpoint_public_access: Optional[bool] = None
    """Override the public API endpoint (e.g. True in private networking while you deploy
    from outside). Optional; defaults to the networking mode's."""
    public_access_cidrs: Optional[list[str]] = None
    """Who may reach the public endpoint. Optional; defaults to EKS's (everyone)."""
    subnet_ids: list[StrInput] = Field(default_factory=list)
    """Subnets of the control plane's interfaces and of every node group (at least 2 AZs).
    Required for a new cluster; set for you inside the cloud (its cluster subnets)."""
    system_node_group: EksSystemNodeGroupArgs = Field(default_factory=EksSystemNodeGroupArgs)
    """The system node group."""
    cpu_node_groups: EksWorkloadNodeGroupArgs = Field(default_factory=EksWorkloadNodeGroupArgs)
    """CPU workload groups (``{name}-ondemand-cpu``, ``{name}-spot-cpu``); ``capacity_types=[]`` for none."""
    gpu_node_groups: dict[str, EksGpuNodeGroupArgs] = Field(default_factory=dict)
    """GPU workload groups by the chart's accelerator name (``T4``, ``A10G``, ``L4``, ``L40S``,
    ``A100-40G``, ``A100-80G``, ``H100``, ``V100``): ``{name}-gpu-<accelerator>-<capacity>``.
    Optional; defaults to none. Run the NVIDIA device plugin on them (the cloud does)."""
    enable_efs_csi_driver: bool = False
    """Install the EFS CSI driver add-on (with its Pod Identity role). Defaults to False; the
    cloud turns it on with EFS."""
    enable_cluster_autoscaler: bool = True
    """Create the autoscaler's role and bind it to ``kube-system/cluster-autoscaler`` (the
    cloud installs the chart). Defaults to True: workload groups start at 0 nodes."""
    enable_irsa: bool = True
    """Create the IAM OIDC provider (IRSA). Defaults to True; the cloud turns it off when the
    operator uses EKS Pod Identity."""
    existing_cluster_name: Optional[str] = None
    """Use this existing cluster (in the provider's region); nothing is created. Optional."""
    existing_oidc_provider_arn: Optional[str] = None
    """The existing cluster's IAM OIDC provider (IRSA). Optional; defaults to the ARN its
    issuer has in the deploying account (the provider must exist: ``eksctl utils
    associate-iam-oidc-provider``), or use Pod Identity."""
    protect: bool = True
    """Protect the new cluster from deletion and replacement (its workloads, its OIDC issuer
    the operator's trust names). Defaults to True."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for every resource. Optional."""

    @field_validator("cluster_name", "existing_cluster_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_eks_cluster_name(value)

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not _VERSION.match(value):
            raise ValueError(f"{value!r} is not a Kubernetes minor version like {c.DEFAULT_EKS_VERSION}")
        return value

    @field_validator("public_access_cidrs")
    @classmethod
    def _cidrs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is not None:
            if not value:
                raise ValueError("needs at least one CIDR block (leave it out for EKS's default)")
            for cidr in value:
                v.check_ingress_cidr(cidr)
        return value

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: list[StrInput]) -> list[StrInput]:
        for subnet in value:
            if isinstance(subnet, str):
                v.check_aws_id("subnet", subnet)
        return value

    @field_validator("gpu_node_groups")
    @classmethod
    def _accelerators(cls, value: dict[str, EksGpuNodeGroupArgs]) -> dict[str, EksGpuNodeGroupArgs]:
        for accelerator in value:
            # The chart selects GPU nodes by the product label it maps each accelerator to.
            gpu_product_label("aws", accelerator)
        return value

    @field_validator("existing_oidc_provider_arn")
    @classmethod
    def _oidc(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_oidc_provider_arn(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleEksClusterArgs":
        problems: list[FieldProblem] = []
        if self.existing_cluster_name is not None:
            problems += [
                FieldProblem(field, f"only one of existing_cluster_name and {field} can be specified")
                for field in ("cluster_name", *_NEW_CLUSTER_FIELDS)
                if field in self.model_fields_set
            ]
        elif self.existing_oidc_provider_arn is not None:
            problems.append(FieldProblem("existing_oidc_provider_arn", "needs existing_cluster_name (a new cluster gets its own)"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def endpoint_is_public(self) -> bool:
        if self.endpoint_public_access is not None:
            return self.endpoint_public_access
        return self.networking is NetworkingMode.DIRECT

    def node_groups(self, name: str) -> dict[str, "NodeGroupPlan"]:
        """Every node group of a new cluster by logical name (pure; see :func:`plan_node_groups`)."""
        return plan_node_groups(name, self)

    def advisories(self) -> list[str]:
        notes = []
        if self.existing_cluster_name is None and not self.endpoint_is_public():
            notes.append(
                "the cluster's API endpoint is private: run `pulumi up` from inside the VPC (VPN, bastion, "
                "CI runner), or set cluster.endpoint_public_access=True while you deploy from outside"
            )
        return notes


class NodeGroupPlan(ArgsModel):
    """One managed node group, as plain values (what :class:`AnyscaleEksCluster` declares)."""

    capacity: CapacityType
    instance_types: list[str]
    ami_type: str
    min_size: int
    desired_size: int
    max_size: int
    disk_size_gb: Optional[int]
    labels: dict[str, str]
    taints: list[dict[str, str]]
    """``{"key", "value", "effect"}`` in the EKS API's spelling (``NO_SCHEDULE``)."""


def eks_taints(spec: NodePoolSpec) -> list[dict[str, str]]:
    """The spec's taints in the EKS API's spelling (``NoSchedule`` -> ``NO_SCHEDULE``)."""
    return [{"key": t.key, "value": t.value, "effect": c.EKS_TAINT_EFFECTS[t.effect]} for t in spec.taints]


def plan_node_groups(name: str, args: AnyscaleEksClusterArgs) -> dict[str, NodeGroupPlan]:
    """The node groups of a new cluster, keyed by logical name (by meaning: the kind and the
    capacity, never a list position): ``{name}-system``, ``{name}-<capacity>-cpu``,
    ``{name}-gpu-<accelerator>-<capacity>``."""
    system = args.system_node_group
    plans = {
        f"{name}-system": NodeGroupPlan(
            capacity=CapacityType.ON_DEMAND,
            instance_types=list(system.instance_types),
            ami_type=c.EKS_CPU_AMI_TYPE,
            min_size=system.min_size,
            desired_size=system.desired_size,
            max_size=system.max_size,
            disk_size_gb=system.disk_size_gb,
            labels={c.SYSTEM_NODE_ROLE_LABEL: c.SYSTEM_NODE_ROLE},
            taints=[],
        )
    }
    kinds: list[tuple[Optional[str], EksWorkloadNodeGroupArgs]] = [(None, args.cpu_node_groups)]
    kinds += sorted(args.gpu_node_groups.items())
    for accelerator, group in kinds:
        for capacity in _BOTH_CAPACITIES:  # a fixed order, whatever the list's
            if capacity not in group.capacity_types:
                continue
            spec = node_pool_spec("aws", capacity, accelerator)
            word = _CAPACITY_WORD[capacity]
            key = f"{name}-{word}-cpu" if accelerator is None else f"{name}-gpu-{accelerator.lower()}-{word}"
            plans[key] = NodeGroupPlan(
                capacity=capacity,
                instance_types=list(group.instance_types),
                ami_type=c.EKS_CPU_AMI_TYPE if accelerator is None else c.EKS_GPU_AMI_TYPE,
                min_size=group.min_size,
                desired_size=group.min_size,
                max_size=group.max_size,
                disk_size_gb=group.disk_size_gb,
                labels=dict(spec.labels),
                taints=eks_taints(spec),
            )
    return plans


def kubeconfig(cluster_name: str, endpoint: str, certificate_authority_data: str, region: str) -> str:
    """A kubeconfig (JSON) for the cluster whose user runs ``aws eks get-token``: no token is
    stored, the deploying identity authenticates each time (it is the cluster's creator and
    admin; other identities need an access entry)."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": cluster_name, "cluster": {"server": endpoint, "certificate-authority-data": certificate_authority_data}}
        ],
        "contexts": [{"name": cluster_name, "context": {"cluster": cluster_name, "user": cluster_name}}],
        "current-context": cluster_name,
        "users": [
            {
                "name": cluster_name,
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "aws",
                        "args": ["eks", "get-token", "--cluster-name", cluster_name, "--region", region, "--output", "json"],
                        "interactiveMode": "Never",
                    }
                },
            }
        ],
    }
    return json.dumps(config, sort_keys=False)


def _managed_policy(policy_name: str) -> str:
    return f"arn:aws:iam::aws:policy/{policy_name}"


class AnyscaleEksCluster(pulumi.ComponentResource):
    """An EKS cluster for Anyscale (new, with node groups, add-ons and IRSA; or existing)."""

    cluster_name: pulumi.Output[str]
    cluster_arn: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    certificate_authority_data: pulumi.Output[str]
    oidc_issuer_url: pulumi.Output[str]
    """``https://oidc.eks.<region>.amazonaws.com/id/<id>``."""
    oidc_provider_arn: pulumi.Output[Optional[str]]
    """The IAM OIDC provider (IRSA's principal); None with ``enable_irsa=False``."""
    cluster_security_group_id: pulumi.Output[str]
    """The security group EKS made for the cluster; managed nodes carry it (EFS admits it)."""
    node_role_arn: pulumi.Output[Optional[str]]
    """The node groups' role (None for an existing cluster). Never the operator's identity."""
    node_group_names: dict[str, pulumi.Output[str]]
    """EKS node group name by logical name (empty for an existing cluster)."""
    autoscaler_role_arn: pulumi.Output[Optional[str]]
    region: pulumi.Output[str]
    kubeconfig: pulumi.Output[str]
    """A kubeconfig using ``aws eks get-token`` (no secret in it)."""
    created: bool
    """True for a new cluster, False for an existing one."""
    ready: list[pulumi.Resource]
    """What Kubernetes resources must wait for: the system nodes and the add-ons that run on
    them (a :class:`pulumi_kubernetes.Provider` built from this cluster depends on them)."""

    def __init__(self, name: str, args: AnyscaleEksClusterArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleEksCluster"), name, None, opts)
        self.region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        self.node_group_names = {}
        self.ready = []
        self.created = args.existing_cluster_name is None
        if self.created:
            self._create(name, args)
        else:
            self._use_existing(args)
        self.kubeconfig = pulumi.Output.all(
            self.cluster_name, self.endpoint, self.certificate_authority_data, self.region
        ).apply(lambda values: kubeconfig(*values))
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "cluster_arn": self.cluster_arn,
                "endpoint": self.endpoint,
                "oidc_issuer_url": self.oidc_issuer_url,
                "oidc_provider_arn": self.oidc_provider_arn,
                "cluster_security_group_id": self.cluster_security_group_id,
                "node_role_arn": self.node_role_arn,
                "autoscaler_role_arn": self.autoscaler_role_arn,
            }
        )

    # -- existing ---------------------------------------------------------------------------
    def _use_existing(self, args: AnyscaleEksClusterArgs) -> None:
        found = aws.eks.get_cluster_output(name=args.existing_cluster_name, opts=pulumi.InvokeOutputOptions(parent=self))
        self.cluster_name = found.name
        self.cluster_arn = found.arn
        self.endpoint = found.endpoint
        self.certificate_authority_data = found.certificate_authorities.apply(lambda cas: cas[0].data)
        self.oidc_issuer_url = found.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        self.cluster_security_group_id = found.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id)
        if args.existing_oidc_provider_arn is not None:
            self.oidc_provider_arn = pulumi.Output.from_input(args.existing_oidc_provider_arn)
        else:
            account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
            self.oidc_provider_arn = pulumi.Output.all(account, self.oidc_issuer_url).apply(
                lambda values: f"arn:aws:iam::{values[0]}:oidc-provider/{v.oidc_provider_path(values[1])}"
            )
        self.node_role_arn = pulumi.Output.from_input(None)
        self.autoscaler_role_arn = pulumi.Output.from_input(None)

    # -- new --------------------------------------------------------------------------------
    def _create(self, name: str, args: AnyscaleEksClusterArgs) -> None:
        model = type(args).__name__
        if len(args.subnet_ids) < c.MIN_SUBNETS:
            raise w.fail(model, "subnet_ids", f"needs at least {c.MIN_SUBNETS} subnets in 2 AZs (EKS), got {len(args.subnet_ids)}")
        cluster_name = args.cluster_name or v.eks_cluster_name_for(name)
        tags = args.tags
        cluster_role = aws.iam.Role(
            f"{name}-cluster-role",
            description=f"EKS cluster {cluster_name} (Anyscale)",
            assume_role_policy=w.json_document(policies.eks_cluster_trust_policy),
            # Its policies are deleted_with it: deleting the role detaches them.
            force_detach_policies=True,
            tags=w.merge_tags(f"{name}-cluster-role", tags),
            opts=w.child(self),
        )
        cluster_policy = aws.iam.RolePolicyAttachment(
            f"{name}-cluster-{c.EKS_CLUSTER_POLICY}",
            role=cluster_role.name,
            policy_arn=_managed_policy(c.EKS_CLUSTER_POLICY),
            opts=w.child(self, deleted_with=cluster_role),
        )
        public = args.endpoint_is_public()
        vpc_config: dict[str, Any] = {
            "subnet_ids": list(args.subnet_ids),
            # The nodes reach the API inside the VPC either way.
            "endpoint_private_access": True,
            "endpoint_public_access": public,
        }
        if public and args.public_access_cidrs is not None:
            vpc_config["public_access_cidrs"] = list(args.public_access_cidrs)
        cluster = aws.eks.Cluster(
            f"{name}-cluster",
            name=cluster_name,
            version=args.version,
            role_arn=cluster_role.arn,
            vpc_config=vpc_config,
            access_config={
                "authentication_mode": c.EKS_AUTHENTICATION_MODE,
                "bootstrap_cluster_creator_admin_permissions": True,
            },
            tags=w.merge_tags(f"{name}-cluster", tags),
            opts=w.stateful(self, args.protect, depends_on=[cluster_policy]),
        )
        self.cluster_name = cluster.name
        self.cluster_arn = cluster.arn
        self.endpoint = cluster.endpoint
        self.certificate_authority_data = cluster.certificate_authority.apply(lambda ca: ca.data)
        self.oidc_issuer_url = cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        self.cluster_security_group_id = cluster.vpc_config.apply(lambda vpc: vpc.cluster_security_group_id)
        owned = w.child(self, deleted_with=cluster)

        self.oidc_provider_arn = pulumi.Output.from_input(None)
        if args.enable_irsa:
            oidc = aws.iam.OpenIdConnectProvider(
                f"{name}-oidc-provider",
                url=self.oidc_issuer_url,
                client_id_lists=[c.STS_AUDIENCE],
                # No thumbprint: IAM trusts the EKS issuer's certificate authority itself.
                tags=w.merge_tags(f"{name}-oidc-provider", tags),
                # An IAM resource: it outlives the cluster unless deleted itself.
                opts=w.child(self),
            )
            self.oidc_provider_arn = oidc.arn  # type: ignore[assignment]

        def addon(addon_name: str, **extra: Any) -> aws.eks.Addon:
            depends_on = extra.pop("depends_on", [])
            return aws.eks.Addon(
                f"{name}-addon-{addon_name}",
                cluster_name=cluster.name,
                addon_name=addon_name,
                # Take over what EKS installed itself; keep your changes on update.
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="PRESERVE",
                tags=w.merge_tags(f"{name}-addon-{addon_name}", tags),
                opts=w.child(self, deleted_with=cluster, depends_on=depends_on),
                **extra,
            )

        # DaemonSets: before the nodes, so they join with the managed versions.
        before_nodes = [addon(n) for n in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent")]
        node_role, node_policies = self._node_role(name, tags)
        self.node_role_arn = node_role.arn  # type: ignore[assignment]
        # A node joins only with its role's policies attached and the network add-ons in place.
        groups = self._node_groups(name, args, cluster, node_role, [*before_nodes, *node_policies])
        system = groups[f"{name}-system"]
        # Deployments: after the system nodes they run on (creation waits for them to be ACTIVE).
        self.ready = [system, addon("coredns", depends_on=[system])]
        if args.enable_efs_csi_driver:
            efs_role = self._pod_identity_role(
                name, "efs-csi", cluster_name, "kube-system", c.EFS_CSI_CONTROLLER_SERVICE_ACCOUNT, tags,
                managed_policy=_managed_policy(c.EFS_CSI_DRIVER_POLICY),
            )
            self.ready.append(
                addon(
                    c.EKS_EFS_CSI_ADDON,
                    pod_identity_associations=[{"role_arn": efs_role.arn, "service_account": c.EFS_CSI_CONTROLLER_SERVICE_ACCOUNT}],
                    depends_on=[system, before_nodes[2]],
                )
            )
        self.autoscaler_role_arn = pulumi.Output.from_input(None)
        if args.enable_cluster_autoscaler:
            role = self._pod_identity_role(
                name, "autoscaler", cluster_name, c.CLUSTER_AUTOSCALER_NAMESPACE, c.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, tags,
                inline=("Cluster_Autoscaler", policies.cluster_autoscaler_policy(cluster_name)),
            )
            aws.eks.PodIdentityAssociation(
                f"{name}-autoscaler-pod-identity",
                cluster_name=cluster.name,
                namespace=c.CLUSTER_AUTOSCALER_NAMESPACE,
                service_account=c.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
                role_arn=role.arn,
                tags=w.merge_tags(f"{name}-autoscaler-pod-identity", tags),
                opts=owned,
            )
            self.autoscaler_role_arn = role.arn  # type: ignore[assignment]

    def _node_role(self, name: str, tags: dict[str, str]) -> tuple[aws.iam.Role, list[pulumi.Resource]]:
        role = aws.iam.Role(
            f"{name}-node-role",
            description="EKS managed node groups (Anyscale); not the operator's identity",
            assume_role_policy=w.json_document(policies.instance_trust_policy),
            force_detach_policies=True,
            tags=w.merge_tags(f"{name}-node-role", tags),
            opts=w.child(self),
        )
        attachments: list[pulumi.Resource] = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{policy_name}",
                role=role.name,
                policy_arn=_managed_policy(policy_name),
                opts=w.child(self, deleted_with=role),
            )
            for policy_name in c.EKS_NODE_POLICIES
        ]
        return role, attachments

    def _node_groups(
        self,
        name: str,
        args: AnyscaleEksClusterArgs,
        cluster: aws.eks.Cluster,
        node_role: aws.iam.Role,
        before: list[pulumi.Resource],
    ) -> dict[str, aws.eks.NodeGroup]:
        groups: dict[str, aws.eks.NodeGroup] = {}
        for key, plan in plan_node_groups(name, args).items():
            group = aws.eks.NodeGroup(
                key,
                cluster_name=cluster.name,
                node_role_arn=node_role.arn,
                subnet_ids=list(args.subnet_ids),
                capacity_type=_EKS_CAPACITY[plan.capacity],
                ami_type=plan.ami_type,
                instance_types=plan.instance_types,
                disk_size=plan.disk_size_gb,
                scaling_config={"min_size": plan.min_size, "desired_size": plan.desired_size, "max_size": plan.max_size},
                labels=plan.labels,
                taints=plan.taints or None,
                tags=w.merge_tags(key, args.tags),
                # The autoscaler owns the desired size once the group exists. Not deleted_with the
                # cluster: EKS refuses to delete a cluster that still has node groups.
                opts=w.child(self, depends_on=before, ignore_changes=["scalingConfig.desiredSize"]),
            )
            groups[key] = group
            self.node_group_names[key] = group.node_group_name
        return groups

    def _pod_identity_role(
        self,
        name: str,
        purpose: str,
        cluster_name: str,
        namespace: str,
        service_account: str,
        tags: dict[str, str],
        *,
        managed_policy: Optional[str] = None,
        inline: Optional[tuple[str, dict[str, Any]]] = None,
    ) -> aws.iam.Role:
        role = aws.iam.Role(
            f"{name}-{purpose}-role",
            description=f"{namespace}/{service_account} on EKS cluster {cluster_name} (Pod Identity)",
            assume_role_policy=w.json_document(
                policies.pod_identity_trust_policy,
                cluster_name=cluster_name,
                namespace=namespace,
                service_account=service_account,
            ),
            force_detach_policies=True,
            tags=w.merge_tags(f"{name}-{purpose}-role", tags),
            opts=w.child(self),
        )
        if managed_policy is not None:
            aws.iam.RolePolicyAttachment(
                f"{name}-{purpose}-{managed_policy.rsplit('/', 1)[-1]}",
                role=role.name,
                policy_arn=managed_policy,
                opts=w.child(self, deleted_with=role),
            )
        if inline is not None:
            policy_name, document = inline
            aws.iam.RolePolicy(
                f"{name}-{purpose}-policy",
                role=role.name,
                name=policy_name,
                policy=json.dumps(document),
                opts=w.child(self, deleted_with=role),
            )
        return role


__all__ = [
    "AnyscaleEksCluster",
    "AnyscaleEksClusterArgs",
    "EksGpuNodeGroupArgs",
    "EksSystemNodeGroupArgs",
    "EksWorkloadNodeGroupArgs",
    "NodeGroupPlan",
    "eks_taints",
    "kubeconfig",
    "plan_node_groups",
]

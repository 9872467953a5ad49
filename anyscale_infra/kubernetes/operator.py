"""``AnyscaleOperator``: the Anyscale operator on any Kubernetes cluster.

Give it a ``kubernetes.Provider`` in ``opts`` (EKS, GKE, AKS or any cluster). It creates
the operator's namespace, the ingress (by default :class:`~anyscale_infra.kubernetes.
ingress.AnyscaleGateway`: Gateway API behind an L4 load balancer), and the
``anyscale-operator`` chart as a ``helm.v3.Release`` whose values come from the pure
builder :func:`~anyscale_infra.kubernetes.values.operator_values`.

Two steps, as `cloud register` needs the cluster side first: the first ``pulumi up`` builds
the namespace and the ingress (so its load balancer exists) and plans no release; register
the cloud with the command the cloud component prints, set ``cloud_deployment_id`` to the
``cldrsrc_...`` id it returns, and the next ``pulumi up`` installs the operator. Until then
the component warns (in preview too) instead of failing.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_kubernetes as k8s
from pydantic import field_validator, model_validator

from anyscale_infra._component import child, emit_advisories, hand_on_depends_on, type_token
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as c
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.kubernetes.ingress import AnyscaleGateway, AnyscaleGatewayArgs, gateway_address
from anyscale_infra.kubernetes.load_balancer import NGINX_LEGACY_WARNING, IngressMode, LoadBalancerScheme, load_balancer_annotations
from anyscale_infra.kubernetes.values import (
    BundledNginxRouting,
    CloudProvider,
    GatewayRouting,
    IngressClassRouting,
    OperatorValuesArgs,
    auth_problems,
    operator_values,
)
from anyscale_infra.models import ArgsModel, StrInput

#: The helm release name the CLI's command uses (``helm upgrade anyscale-operator ...``).
RELEASE_NAME = "anyscale-operator"

#: What the first ``pulumi up`` says while ``cloud_deployment_id`` is not set.
NO_DEPLOYMENT_ID_WARNING = (
    "operator: cloud_deployment_id is not set, so the anyscale-operator release is not planned yet; "
    "run the register command this stack prints, then set cloud_deployment_id to the cldrsrc_... id "
    "it returns and run `pulumi up` again"
)


class AnyscaleOperatorArgs(ArgsModel):
    """Arguments of :class:`AnyscaleOperator`. Only ``cloud_provider`` is required (and the
    identity its provider needs); defaults follow the CLI's helm command."""

    cloud_provider: CloudProvider
    """``global.cloudProvider``: aws, gcp, azure or generic. Required."""
    cloud_deployment_id: Optional[str] = None
    """The cloud resource id `cloud register` returns (``cldrsrc_...``). None plans no
    release (first step; a warning says what to do). Optional."""
    install_operator: Optional[bool] = None
    """Whether to plan the operator release: None (the default) installs it once
    ``cloud_deployment_id`` is set; True asks for it now (an error without the id); False
    never installs it (e.g. while you install it by hand or as the AKS extension)."""
    iam_identity: Optional[StrInput] = None
    """The operator's cloud identity (``global.auth.iamIdentity``): IAM role ARN (EKS, IRSA),
    Google service account email (GKE), managed identity CLIENT id (AKS). Required on GCP and
    Azure; on AWS leave it None with EKS Pod Identity."""
    aws_region: Optional[str] = None
    """``global.aws.region``: required on AWS (unless a CLI token is given)."""
    auth_audience: Optional[str] = None
    """``global.auth.audience``: required on Azure (unless a CLI token is given)."""
    anyscale_cli_token: Optional[StrInput] = None
    """``global.auth.anyscaleCliToken``: required on a generic cluster; kept secret."""
    namespace: str = c.DEFAULT_NAMESPACE
    """The operator's namespace (RFC 1123 label). Defaults to ``anyscale-operator``; the
    workload-identity subject of the cloud's operator identity names it."""
    create_namespace: bool = True
    """Create the namespace. Set False when it exists. Defaults to True."""
    ingress: IngressMode = IngressMode.GATEWAY
    """How clients reach head nodes. Defaults to the Gateway API gateway we install."""
    load_balancer: LoadBalancerScheme = LoadBalancerScheme.PUBLIC
    """Public or internal L4 load balancer: follow the cloud's networking mode (direct ->
    public, private -> internal). Defaults to public."""
    gateway_address: Optional[StrInput] = None
    """GATEWAY / EXISTING_GATEWAY: the load balancer's address, an IP or hostname
    (``networking.gateway.ip`` / ``hostname``), e.g. a reserved static IP. Optional."""
    existing_gateway_name: Optional[str] = None
    """EXISTING_GATEWAY: your Gateway's name. Required with that mode."""
    existing_gateway_namespace: Optional[str] = None
    """EXISTING_GATEWAY: your Gateway's namespace (the chart adds ReferenceGrants when it is
    not the operator's). Required with that mode."""
    ingress_class_name: Optional[str] = None
    """INGRESS_CLASS: your ingress class (``networking.ingress.classNameOverride``)."""
    ingress_address: Optional[str] = None
    """INGRESS_CLASS: the address clients use when not the Ingress status's (``networking.ingress.address``)."""
    azure_dns_label: Optional[str] = None
    """Azure: a DNS label for the public load balancer address (``<label>.<region>.cloudapp.azure.com``)."""
    gateway: Optional[AnyscaleGatewayArgs] = None
    """GATEWAY: the gateway's own settings (chart version, names, listeners); the provider,
    namespace, scheme and address are wired from the fields above."""
    chart_version: str = c.OPERATOR_CHART_VERSION
    """The anyscale-operator chart version. Defaults to the pinned one our values are checked against."""
    chart_repository: str = c.OPERATOR_CHART_REPOSITORY
    """The chart repository. Defaults to Anyscale's."""
    control_plane_url: str = c.DEFAULT_CONTROL_PLANE_URL
    """``global.controlPlaneURL``, emitted only when not the default."""
    workloads_service_account: str = c.DEFAULT_WORKLOADS_SERVICE_ACCOUNT
    """``workloads.serviceAccount.name``. Defaults to the operator's account (as the CLI sets it)."""
    operator_node_selector: dict[str, str] = {}
    """``operator.nodeSelector``: e.g. the system pool's label."""
    additional_instance_types: dict[str, dict[str, Any]] = {}
    """``workloads.instanceTypes.additional``: pod shapes beyond the chart's defaults."""
    enable_default_instance_types: bool = True
    """``workloads.instanceTypes.enableDefaults``. Defaults to True."""
    extra_values: dict[str, Any] = {}
    """Other chart values, merged last."""

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_cloud_deployment_id(value)

    @field_validator("control_plane_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return kv.check_control_plane_url(value)

    @field_validator("chart_version")
    @classmethod
    def _chart_version(cls, value: str) -> str:
        return kv.check_chart_version(value)

    @model_validator(mode="after")
    def _whole(self) -> "AnyscaleOperatorArgs":
        provider = self.cloud_provider.value
        problems = auth_problems(
            provider,
            identity=self.iam_identity if isinstance(self.iam_identity, str) else None,
            has_identity=self.iam_identity is not None,
            has_region=self.aws_region is not None,
            has_audience=self.auth_audience is not None,
            has_token=self.anyscale_cli_token is not None,
        )
        if self.install_operator is True and self.cloud_deployment_id is None:
            problems.append(FieldProblem(
                "cloud_deployment_id",
                "is required to install the operator (install_operator=True): register the cloud first and set the "
                "cldrsrc_... id it returns",
            ))
        mode = self.ingress
        if mode is IngressMode.EXISTING_GATEWAY:
            for field in ("existing_gateway_name", "existing_gateway_namespace"):
                if getattr(self, field) is None:
                    problems.append(FieldProblem(field, "is required with ingress existing-gateway"))
        else:
            for field in ("existing_gateway_name", "existing_gateway_namespace"):
                if getattr(self, field) is not None:
                    problems.append(FieldProblem(field, f"applies to ingress existing-gateway only, not {mode.value}"))
        if mode is not IngressMode.INGRESS_CLASS:
            for field in ("ingress_class_name", "ingress_address"):
                if getattr(self, field) is not None:
                    problems.append(FieldProblem(field, f"applies to ingress ingress-class only, not {mode.value}"))
        if mode not in (IngressMode.GATEWAY, IngressMode.EXISTING_GATEWAY) and self.gateway_address is not None:
            problems.append(FieldProblem("gateway_address", f"applies to the gateway modes only, not {mode.value}"))
        if mode is not IngressMode.GATEWAY and self.gateway is not None:
            problems.append(FieldProblem("gateway", f"applies to ingress gateway only, not {mode.value}"))
        if self.ingress_class_name == c.ALB_INGRESS_CLASS:
            problems.append(FieldProblem("ingress_class_name", "alb is an L7 load balancer; Anyscale needs L4 (seed 000): use an NLB-backed controller"))
        if self.azure_dns_label is not None and provider != "azure":
            problems.append(FieldProblem("azure_dns_label", f"applies to azure only, not {provider}"))
        if self.gateway is not None:
            for field in ("cloud_provider", "namespace", "load_balancer", "address", "azure_dns_label", "cloud_deployment_id",
                          "user_data_domain"):
                if field in self.gateway.model_fields_set:
                    problems.append(FieldProblem(f"gateway.{field}", "is set by the operator's own fields; leave it out here"))
        for field, value in (("existing_gateway_name", self.existing_gateway_name), ("existing_gateway_namespace", self.existing_gateway_namespace)):
            if value is not None:
                try:
                    kv.check_namespace(value)
                except ValueError as exc:
                    problems.append(FieldProblem(field, str(exc)))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def advisories(self) -> list[str]:
        notes = []
        if self.ingress is IngressMode.BUNDLED_NGINX:
            notes.append(NGINX_LEGACY_WARNING)
        if self.cloud_deployment_id is None and self.install_operator is None:
            notes.append(NO_DEPLOYMENT_ID_WARNING)
        if self.chart_version != c.OPERATOR_CHART_VERSION:
            notes.append(
                f"operator: chart_version {self.chart_version} is not {c.OPERATOR_CHART_VERSION}, the version these values "
                "are checked against; read the chart's MIGRATION_README for keys it renamed or dropped"
            )
        return notes

    def gateway_args(self) -> AnyscaleGatewayArgs:
        """The gateway's args with the operator's own fields wired in."""
        base = self.gateway.model_dump(exclude_unset=True) if self.gateway is not None else {}
        return AnyscaleGatewayArgs(
            **base,
            cloud_provider=self.cloud_provider.value,
            namespace=self.namespace,
            load_balancer=self.load_balancer,
            address=self.gateway_address,
            azure_dns_label=self.azure_dns_label,
            cloud_deployment_id=self.cloud_deployment_id,
            user_data_domain=c.AZURE_USER_DATA_DOMAIN if self.control_plane_url == c.AZURE_CONTROL_PLANE_URL else c.USER_DATA_DOMAIN,
        )

    def values_args(self, *, iam_identity: Optional[str], anyscale_cli_token: Optional[str],
                    gateway_address: Optional[str], gateway_name: Optional[str] = None) -> OperatorValuesArgs:
        """The values builder's args once every output is known (inside an ``apply``)."""
        if self.ingress is IngressMode.GATEWAY:
            gateway = self.gateway_args()
            routing: Any = GatewayRouting(
                name=gateway_name or gateway.gateway_name, namespace=self.namespace, **_address_fields(gateway_address)
            )
        elif self.ingress is IngressMode.EXISTING_GATEWAY:
            routing = GatewayRouting(
                name=self.existing_gateway_name, namespace=self.existing_gateway_namespace,  # type: ignore[arg-type]
                **_address_fields(gateway_address),
            )
        elif self.ingress is IngressMode.BUNDLED_NGINX:
            routing = BundledNginxRouting(
                annotations=load_balancer_annotations(self.cloud_provider.value, self.load_balancer, dns_label=self.azure_dns_label)
            )
        else:
            routing = IngressClassRouting(class_name=self.ingress_class_name, address=self.ingress_address)
        return OperatorValuesArgs(
            cloud_provider=self.cloud_provider,
            cloud_deployment_id=self.cloud_deployment_id,
            iam_identity=iam_identity,
            aws_region=self.aws_region,
            auth_audience=self.auth_audience,
            anyscale_cli_token=anyscale_cli_token,
            control_plane_url=self.control_plane_url,
            workloads_service_account=self.workloads_service_account,
            routing=routing,
            additional_instance_types=self.additional_instance_types,
            enable_default_instance_types=self.enable_default_instance_types,
            operator_node_selector=self.operator_node_selector,
            extra_values=self.extra_values,
        )


def _address_fields(address: Optional[str]) -> dict[str, str]:
    """``networking.gateway.ip`` or ``hostname``: the same IP-or-name rule as the Gateway's addresses."""
    if not address:
        return {}
    entry = gateway_address(address)
    return {"ip": address} if entry["type"] == "IPAddress" else {"hostname": address}


class AnyscaleOperator(pulumi.ComponentResource):
    """The operator's namespace, ingress and helm release on the cluster of ``opts.provider``."""

    namespace: pulumi.Output[str]
    """The operator's namespace."""
    service_account: pulumi.Output[str]
    """The operator's own service account (the workload-identity subject names it)."""
    helm_values: pulumi.Output[Optional[dict]]
    """The release's values; None until ``cloud_deployment_id`` is set."""
    release_planned: bool
    """Whether this run plans the release (``cloud_deployment_id`` set)."""

    def __init__(self, name: str, args: AnyscaleOperatorArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(type_token("AnyscaleOperator"), name, None, opts)
        # Pulumi hands children the provider, not depends_on (e.g. a new cluster's node pools).
        hand_on_depends_on(self, opts)
        emit_advisories(self, args.advisories())
        depends: list[pulumi.Resource] = []
        if args.create_namespace:
            namespace = k8s.core.v1.Namespace(
                f"{name}-namespace",
                metadata={"name": args.namespace, "labels": {"app.kubernetes.io/part-of": "anyscale"}},
                opts=child(self),
            )
            depends.append(namespace)
        gateway_name: pulumi.Output[Optional[str]] = pulumi.Output.from_input(None)
        address: pulumi.Output[Optional[str]] = pulumi.Output.from_input(args.gateway_address)
        self.gateway: Optional[AnyscaleGateway] = None
        if args.ingress is IngressMode.GATEWAY:
            self.gateway = AnyscaleGateway(f"{name}-ingress", args.gateway_args(), opts=child(self, depends_on=list(depends)))
            depends.append(self.gateway)
            gateway_name = self.gateway.gateway_name

        self.namespace = pulumi.Output.from_input(args.namespace)
        self.service_account = pulumi.Output.from_input(c.OPERATOR_SERVICE_ACCOUNT)
        self.release_planned = args.cloud_deployment_id is not None and args.install_operator is not False
        self.release: Optional[k8s.helm.v3.Release] = None
        if self.release_planned:
            token = pulumi.Output.secret(args.anyscale_cli_token) if args.anyscale_cli_token is not None else pulumi.Output.from_input(None)
            values = pulumi.Output.all(
                identity=pulumi.Output.from_input(args.iam_identity), token=token, address=address, gateway_name=gateway_name
            ).apply(
                lambda v: operator_values(
                    args.values_args(
                        iam_identity=v["identity"], anyscale_cli_token=v["token"],
                        gateway_address=v["address"], gateway_name=v["gateway_name"],
                    )
                )
            )
            self.release = k8s.helm.v3.Release(
                f"{name}-release",
                name=RELEASE_NAME,
                chart=c.OPERATOR_CHART,
                version=args.chart_version,
                repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=args.chart_repository),
                namespace=args.namespace,
                create_namespace=False,
                values=values,
                opts=child(self, depends_on=list(depends)),
            )
            self.helm_values = values
        else:
            self.helm_values = pulumi.Output.from_input(None)
        self.register_outputs(
            {"namespace": self.namespace, "service_account": self.service_account, "helm_values": self.helm_values}
        )

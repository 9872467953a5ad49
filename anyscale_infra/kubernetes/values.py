"""The ``anyscale-operator`` chart's helm values, built by one pure function.

:func:`operator_values` turns :class:`OperatorValuesArgs` into the nested dict the chart
reads; every key it emits is one chart :data:`~anyscale_infra.kubernetes.constants.
OPERATOR_CHART_VERSION` reads, in its ``values.yaml`` or only in its templates (e.g.
``global.controlPlaneURL``), checked by ``tests/kubernetes/test_values.py`` against the
chart's key list. Keys older examples used and the chart no longer has (``global.gcp.region``,
``networking.gateway.className``) are never emitted.

The same inputs give the values the CLI itself tells users to set
(``CloudController._generate_helm_upgrade_command``, ``setup_k8s._generate_helm_values_file``):
``global.cloudDeploymentId``, ``global.cloudProvider``, ``global.aws.region`` on AWS,
``global.auth.iamIdentity`` (GCP service account email, AWS role ARN, Azure client id),
``global.auth.audience`` on Azure, ``workloads.serviceAccount.name``; tests compare them.
No Pulumi here: the AnyscaleOperator component and the AKS extension (Azure) wire it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional, Union

from pydantic import field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.kubernetes import constants as c
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel


class CloudProvider(str, Enum):
    """``global.cloudProvider``: which cloud's identity and patches the operator uses."""

    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"
    GENERIC = "generic"


@dataclass(frozen=True)
class GatewayRouting:
    """The operator routes through a Gateway API gateway it does not own
    (``networking.gateway.*``): its name and namespace, and the address clients reach it at
    (``hostname`` or ``ip``; the chart wants one of them for DNS records)."""

    name: str
    namespace: str
    hostname: Optional[str] = None
    ip: Optional[str] = None


@dataclass(frozen=True)
class BundledNginxRouting:
    """LEGACY: the chart's bundled ingress-nginx (``ingress-nginx.*``), behind a
    LoadBalancer Service with these annotations (the L4 load balancer's)."""

    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IngressClassRouting:
    """Bring your own ingress controller: Ingress resources of ``class_name``
    (``networking.ingress.classNameOverride``); ``address`` overrides the address the
    operator reads from the Ingress status (``networking.ingress.address``)."""

    class_name: Optional[str] = None
    address: Optional[str] = None


Routing = Union[GatewayRouting, BundledNginxRouting, IngressClassRouting]

#: Top-level keys of the chart's values (values.yaml): ``extra_values`` may add below these only.
CHART_TOP_LEVEL_KEYS = frozenset(
    {"global", "networking", "workloads", "patches", "operator", "credentialMount", "ingress-nginx"}
)


class OperatorValuesArgs(ArgsModel):
    """What the operator's helm values say; defaults follow the CLI's helm command."""

    cloud_provider: CloudProvider
    """``global.cloudProvider``: aws, gcp, azure or generic. Required."""
    cloud_deployment_id: str
    """``global.cloudDeploymentId``: the cloud resource id `cloud register` prints
    (``cldrsrc_...``; the chart fails without it). Required."""
    iam_identity: Optional[str] = None
    """``global.auth.iamIdentity``: the operator's cloud identity: the IAM role ARN (AWS,
    IRSA: the chart annotates its service account with it), the Google service account email
    (GCP), the managed identity's CLIENT id (Azure). Required on GCP and Azure; on AWS optional
    (the CLI leaves it out; with EKS Pod Identity leave it out). None on a generic cluster."""
    aws_region: Optional[str] = None
    """``global.aws.region``: required on AWS unless a CLI token is given (the chart's
    deployment fails without it)."""
    auth_audience: Optional[str] = None
    """``global.auth.audience``: the control plane API's audience; required on Azure
    unless a CLI token is given (``api://<app id>/.default``)."""
    anyscale_cli_token: Optional[str] = None
    """``global.auth.anyscaleCliToken``: required on a generic cluster (no cloud identity);
    keep it a secret (the component marks it one)."""
    control_plane_url: str = c.DEFAULT_CONTROL_PLANE_URL
    """``global.controlPlaneURL``: emitted only when not the chart's default; no trailing slash."""
    operator_service_account: str = c.OPERATOR_SERVICE_ACCOUNT
    """``operator.serviceAccount.name``: the operator's own service account, the one its
    workload-identity subject names. Defaults to the chart's ``anyscale-operator``."""
    workloads_service_account: str = c.DEFAULT_WORKLOADS_SERVICE_ACCOUNT
    """``workloads.serviceAccount.name``: what workload pods run as. Defaults to the
    operator's account, as the CLI sets it, so workloads share its bucket access."""
    routing: Optional[Routing] = None
    """How clients reach head nodes (gateway, legacy bundled nginx, or your ingress class).
    None leaves the chart's defaults (Ingress resources of class ``nginx``)."""
    additional_instance_types: dict[str, dict[str, Any]] = {}
    """``workloads.instanceTypes.additional``: pod shapes beyond the chart's defaults."""
    enable_default_instance_types: bool = True
    """``workloads.instanceTypes.enableDefaults``. Defaults to True (the chart's 4 shapes)."""
    operator_node_selector: dict[str, str] = {}
    """``operator.nodeSelector``: e.g. the system pool, so the operator never runs on
    (and never blocks scale-down of) workload nodes."""
    extra_values: dict[str, Any] = {}
    """Any other chart values, merged last (deep). Top-level keys must be the chart's."""

    @field_validator("cloud_deployment_id")
    @classmethod
    def _deployment_id(cls, value: str) -> str:
        return kv.check_cloud_deployment_id(value)

    @field_validator("control_plane_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return kv.check_control_plane_url(value)

    @field_validator("operator_service_account", "workloads_service_account")
    @classmethod
    def _sa(cls, value: str) -> str:
        return kv.check_service_account_name(value)

    @field_validator("extra_values")
    @classmethod
    def _extra(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - CHART_TOP_LEVEL_KEYS)
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not top-level keys of the "
                f"{c.OPERATOR_CHART} chart ({', '.join(sorted(CHART_TOP_LEVEL_KEYS))})"
            )
        return value

    @model_validator(mode="after")
    def _per_provider(self) -> "OperatorValuesArgs":
        problems = auth_problems(
            self.cloud_provider.value,
            identity=self.iam_identity,
            has_identity=self.iam_identity is not None,
            has_region=self.aws_region is not None,
            has_audience=self.auth_audience is not None,
            has_token=self.anyscale_cli_token is not None,
        )
        if isinstance(self.routing, GatewayRouting):
            try:
                kv.check_namespace(self.routing.name)
                kv.check_namespace(self.routing.namespace)
            except ValueError as exc:
                problems.append(FieldProblem("routing", str(exc)))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self


def auth_problems(
    provider: str,
    *,
    identity: Optional[str],
    has_identity: bool,
    has_region: bool,
    has_audience: bool,
    has_token: bool,
) -> list[FieldProblem]:
    """What the chart needs per provider to authenticate the operator (values.yaml
    ``global.auth``/``global.aws``; the deployment template's ``required`` calls). ``identity``
    is checked when it is a plain string (None when it is not known yet)."""
    problems: list[FieldProblem] = []
    if identity is not None:
        try:
            kv.check_operator_identity(provider, identity)
        except ValueError as exc:
            problems.append(FieldProblem("iam_identity", str(exc)))
    elif has_identity and provider == "generic":
        problems.append(FieldProblem("iam_identity", "a generic cluster has no cloud identity; the operator uses a CLI token"))
    elif not has_identity and provider in ("gcp", "azure"):
        problems.append(FieldProblem("iam_identity", f"is required on {provider} (the operator's workload identity)"))
    if provider == "aws" and not has_region and not has_token:
        problems.append(
            FieldProblem("aws_region", "is required on aws unless anyscale_cli_token is given (the chart's STS signer needs it)")
        )
    if provider != "aws" and has_region:
        problems.append(FieldProblem("aws_region", f"applies to aws only, not {provider}"))
    if provider == "azure" and not has_audience and not has_token:
        problems.append(FieldProblem("auth_audience", "is required on azure unless anyscale_cli_token is given"))
    if provider != "azure" and has_audience:
        problems.append(FieldProblem("auth_audience", f"applies to azure only, not {provider}"))
    if provider == "generic" and not has_token:
        problems.append(FieldProblem("anyscale_cli_token", "is required on a generic cluster (it has no cloud identity)"))
    return problems


def operator_values(args: OperatorValuesArgs) -> dict[str, Any]:
    """The chart values for ``args`` (only what differs from the chart's defaults, plus the
    keys the CLI always sets)."""
    provider = args.cloud_provider.value
    global_: dict[str, Any] = {"cloudDeploymentId": args.cloud_deployment_id, "cloudProvider": provider}
    if args.control_plane_url != c.DEFAULT_CONTROL_PLANE_URL:
        global_["controlPlaneURL"] = args.control_plane_url
    auth: dict[str, Any] = {}
    if args.iam_identity is not None:
        auth["iamIdentity"] = args.iam_identity
    if args.auth_audience is not None:
        auth["audience"] = args.auth_audience
    if args.anyscale_cli_token is not None:
        auth["anyscaleCliToken"] = args.anyscale_cli_token
    if auth:
        global_["auth"] = auth
    if args.aws_region is not None:
        global_["aws"] = {"region": args.aws_region}
    values: dict[str, Any] = {"global": global_}

    workloads: dict[str, Any] = {"serviceAccount": {"name": args.workloads_service_account}}
    if args.additional_instance_types or not args.enable_default_instance_types:
        instance_types: dict[str, Any] = {}
        if not args.enable_default_instance_types:
            instance_types["enableDefaults"] = False
        if args.additional_instance_types:
            instance_types["additional"] = copy.deepcopy(args.additional_instance_types)
        workloads["instanceTypes"] = instance_types
    values["workloads"] = workloads

    operator: dict[str, Any] = {}
    if args.operator_service_account != c.OPERATOR_SERVICE_ACCOUNT:
        operator["serviceAccount"] = {"name": args.operator_service_account}
    if args.operator_node_selector:
        operator["nodeSelector"] = dict(args.operator_node_selector)
    if operator:
        values["operator"] = operator

    routing = args.routing
    if isinstance(routing, GatewayRouting):
        gateway: dict[str, Any] = {"enabled": True, "name": routing.name, "namespace": routing.namespace}
        if routing.hostname:
            gateway["hostname"] = routing.hostname
        if routing.ip:
            gateway["ip"] = routing.ip
        values["networking"] = {"gateway": gateway}
    elif isinstance(routing, BundledNginxRouting):
        nginx: dict[str, Any] = {"enabled": True}
        if routing.annotations:
            nginx["controller"] = {"service": {"annotations": dict(routing.annotations)}}
        values["ingress-nginx"] = nginx
    elif isinstance(routing, IngressClassRouting):
        ingress: dict[str, Any] = {}
        if routing.class_name:
            ingress["classNameOverride"] = routing.class_name
        if routing.address:
            ingress["address"] = routing.address
        if ingress:
            values["networking"] = {"ingress": ingress}

    return deep_merge(values, args.extra_values)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` merged into a copy of ``base`` (mappings merged, anything else replaced)."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys -> leaf values (``{"global": {"cloudProvider": "aws"}}`` ->
    ``{"global.cloudProvider": "aws"}``), the shape of helm's ``--set`` flags."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat

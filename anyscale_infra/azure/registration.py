"""Native registration on Azure: the ``Anyscale.Platform/clouds`` resource, its
``cloudResources/default`` child, and the operator as the ``Anyscale.AKS.Operator`` AKS
extension: one ``pulumi up``, no CLI step, no second phase.

On Azure the cloud is created through Azure Resource Manager (seed 003; the control plane is
``console.azure.anyscale.com``, and the CLI refuses ``cloud register`` against Azure console
hosts: ``disabled_on_azure``). The cloud resource's output ``cloudResourceId`` (``cldrsrc_...``)
feeds the extension's ``global.cloudDeploymentId`` directly.

The bodies are plain functions (:func:`cloud_resource_properties`, :func:`extension_settings`);
:class:`AnyscaleAzureRegistration` wires them. The extension's settings come from the same
values builder as the helm release (:func:`anyscale_infra.kubernetes.values.operator_values`),
flattened to the dotted string keys an extension takes.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi

from anyscale_infra._component import child, hand_on_depends_on, type_token
from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.ids import ClientId, PrincipalId, require
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.kubernetes.values import GatewayRouting, OperatorValuesArgs, flatten, operator_values
from anyscale_infra.models import ArgsModel, StrInput
from pydantic import field_validator


def cloud_resource_properties(bucket_name: str, bucket_endpoint: str, principal_id: Any) -> dict[str, Any]:
    """``cloudResources/default``'s properties (provider Azure, compute stack K8S, the
    storage, and the operator identity's PRINCIPAL id)."""
    return {
        "provider": c.CLOUD_RESOURCE_PROVIDER,
        "computeStack": c.CLOUD_RESOURCE_COMPUTE_STACK,
        "cloudStorageBucketName": bucket_name,
        "cloudStorageBucketEndpoint": bucket_endpoint,
        "anyscaleOperatorIamIdentity": str(require(principal_id, PrincipalId, "anyscaleOperatorIamIdentity")),
    }


def gateway_hostname(dns_label: str, location: str) -> str:
    """The public name Azure gives a load balancer with a DNS label: ``<label>.<region>.cloudapp.azure.com``."""
    return f"{dns_label}.{location}.cloudapp.azure.com"


def dns_label_for(cloud_resource_id: str) -> str:
    """A DNS label from the cloud resource id (Microsoft's walkthrough: ``_`` -> ``-``): unique
    per cloud and stable, so the gateway's address is known before its load balancer exists."""
    return cloud_resource_id.replace("_", "-")


def _setting(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        raise ValueError(f"{key}: an extension setting is a string; lists cannot be set as configuration settings")
    return str(value)


def extension_settings(values: dict[str, Any]) -> dict[str, str]:
    """The chart values as the extension's ``configurationSettings``: dotted keys, string values."""
    return {key: _setting(key, value) for key, value in flatten(values).items() if value != {}}


def operator_extension_settings(
    *,
    cloud_deployment_id: str,
    client_id: Any,
    namespace: str,
    gateway_name: str,
    gateway_hostname_value: Optional[str],
    audience: str = c.AZURE_CONTROL_PLANE_AUDIENCE,
    control_plane_url: str = c.AZURE_CONTROL_PLANE_URL,
    extra_values: Optional[dict[str, Any]] = None,
) -> dict[str, str]:
    """The operator's settings on Azure's control plane: the deployment id, the identity's
    CLIENT id, the audience, the control plane URL, the workloads' service account and the
    gateway (the chart's keys only: no ``networking.gateway.className``, which 1.8 dropped)."""
    args = OperatorValuesArgs(
        cloud_provider="azure",
        cloud_deployment_id=cloud_deployment_id,
        iam_identity=str(require(client_id, ClientId, "global.auth.iamIdentity")),
        auth_audience=audience,
        control_plane_url=control_plane_url,
        routing=GatewayRouting(name=gateway_name, namespace=namespace, hostname=gateway_hostname_value),
        extra_values=extra_values or {},
    )
    return extension_settings(operator_values(args))


#: Stand-ins while the settings' shape is built (each is replaced by its output below).
_PLACEHOLDER_DEPLOYMENT = "cldrsrc_" + "0" * 26
_PLACEHOLDER_CLIENT = "00000000-0000-4000-8000-000000000000"
_PLACEHOLDER_HOST = "gateway.placeholder.invalid"


def extension_settings_inputs(
    *, cloud_deployment_id: Any, client_id: Any, hostname: Any, namespace: str, gateway_name: str,
    audience: str = c.AZURE_CONTROL_PLANE_AUDIENCE, extra_values: Optional[dict[str, Any]] = None,
) -> dict[str, Any]:
    """The extension's settings as a map of plain strings and outputs: only the three values
    that come from other resources (the deployment id, the client id, the gateway's name) wait
    for them, so a real ``pulumi preview`` (and the policy pack in it) sees every other key
    and value, instead of one unknown map."""
    settings: dict[str, Any] = dict(
        operator_extension_settings(
            cloud_deployment_id=_PLACEHOLDER_DEPLOYMENT, client_id=ClientId(_PLACEHOLDER_CLIENT), namespace=namespace,
            gateway_name=gateway_name, gateway_hostname_value=None if hostname is None else _PLACEHOLDER_HOST,
            audience=audience, extra_values=extra_values,
        )
    )
    settings["global.cloudDeploymentId"] = pulumi.Output.from_input(cloud_deployment_id).apply(kv.check_cloud_deployment_id)
    settings["global.auth.iamIdentity"] = pulumi.Output.from_input(client_id).apply(
        lambda value: str(require(value, ClientId, "global.auth.iamIdentity"))
    )
    if hostname is not None:
        settings["networking.gateway.hostname"] = pulumi.Output.from_input(hostname)
    return settings


class AnyscaleAzureRegistrationArgs(ArgsModel):
    """Arguments of :class:`AnyscaleAzureRegistration` (the outputs of the other parts)."""

    cloud_name: str
    """The Anyscale cloud's name: the ``Anyscale.Platform/clouds`` resource's name. Required."""
    resource_group_name: StrInput
    """The resource group the cloud resource lives in. Required."""
    location: str
    """The region (one where ``Anyscale.Platform`` is available). Required."""
    bucket_name: StrInput
    """``abfss://<container>@<account>.dfs.core.windows.net``. Required."""
    bucket_endpoint: StrInput
    """``https://<account>.blob.core.windows.net/``. Required."""
    principal_id: Any
    """The operator identity's principal id (``PrincipalId``, or an Output of one). Required."""
    client_id: Any
    """The operator identity's client id (``ClientId``, or an Output of one). Required."""
    cluster_name: StrInput
    """The AKS cluster the extension goes on. Required."""
    cluster_resource_group_name: StrInput
    """The cluster's resource group. Required."""
    namespace: str = c.DEFAULT_NAMESPACE
    """The operator's namespace (the extension's release namespace). Defaults to ``anyscale-operator``."""
    gateway_name: str = "anyscale-gateway"
    """The Gateway the operator routes through. Defaults to ``anyscale-gateway``."""
    gateway_hostname: Optional[StrInput] = None
    """The gateway's public name; None: ``<dns label>.<region>.cloudapp.azure.com`` from the
    cloud resource id (the gateway's load balancer carries that DNS label) unless
    ``gateway_dns_label`` is False."""
    gateway_dns_label: bool = True
    """The gateway's public load balancer carries the DNS label from the cloud resource id.
    False for an internal load balancer (no public name: the operator reads the Gateway's
    address). Defaults to True."""
    container_registry_id: Optional[StrInput] = None
    """An Azure Container Registry for the cloud's images (the cloud's ``acrResourceId``, as
    Microsoft's walkthrough sets it). Optional."""
    api_version: str = c.ANYSCALE_PLATFORM_API_VERSION
    """The ``Anyscale.Platform`` API version. Defaults to the pinned preview version."""
    install_extension: bool = True
    """Install the operator as the AKS extension. Defaults to True."""
    release_train: str = c.OPERATOR_EXTENSION_RELEASE_TRAIN
    """The extension's release train. Defaults to ``stable``."""
    extension_version: Optional[str] = None
    """Pin the extension's version (None: the release train's newest, auto-upgraded)."""
    audience: str = c.AZURE_CONTROL_PLANE_AUDIENCE
    """``global.auth.audience``. Defaults to Azure's control plane's."""
    extra_values: dict[str, Any] = {}
    """Other chart values for the extension's settings."""
    tags: dict[str, str] = {}
    """Tags on the Anyscale resources."""

    @field_validator("cloud_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    @field_validator("location")
    @classmethod
    def _location(cls, value: str) -> str:
        # The supported list is checked by the cloud (it may be overridden there).
        return v.check_region_name(value)

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("container_registry_id")
    @classmethod
    def _registry(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_resource_id(value, "Microsoft.ContainerRegistry/registries") if isinstance(value, str) else value


def cloud_properties(container_registry_id: Optional[str]) -> dict[str, Any]:
    """``Anyscale.Platform/clouds``'s properties: the registry, when the cloud has one."""
    return {"acrResourceId": container_registry_id} if container_registry_id else {}


class AnyscaleAzureRegistration(pulumi.ComponentResource):
    """The Anyscale cloud as ARM resources, and the operator as the AKS extension."""

    cloud_arm_id: pulumi.Output[str]
    """The ``Anyscale.Platform/clouds`` resource's ARM id."""
    cloud_resource_id: pulumi.Output[str]
    """The ``cldrsrc_...`` id (the operator's ``global.cloudDeploymentId``)."""
    cloud_id: pulumi.Output[Optional[str]]
    """The ``cld_...`` id, from the cloud's SSO URL (the console's and CLI's name for it)."""
    extension_settings: pulumi.Output[Optional[dict]]

    def __init__(self, name: str, args: AnyscaleAzureRegistrationArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(type_token("AnyscaleAzureRegistration"), name, None, opts)
        hand_on_depends_on(self, opts)
        from pulumi_azure_native import resources

        tags = {**args.tags, "anyscale-cloud": args.cloud_name}
        cloud = resources.Resource(
            f"{name}-cloud",
            resource_group_name=args.resource_group_name,
            resource_provider_namespace=c.ANYSCALE_RESOURCE_PROVIDER,
            resource_type=c.CLOUD_RESOURCE_TYPE,
            parent_resource_path="",
            resource_name_=args.cloud_name,
            api_version=args.api_version,
            location=args.location,
            properties=pulumi.Output.from_input(args.container_registry_id).apply(cloud_properties),
            tags=tags,
            opts=child(self),
        )
        properties = pulumi.Output.all(args.bucket_name, args.bucket_endpoint, pulumi.Output.from_input(args.principal_id)).apply(
            lambda values: cloud_resource_properties(*values)
        )
        cloud_resource = resources.Resource(
            f"{name}-cloud-resource",
            resource_group_name=args.resource_group_name,
            resource_provider_namespace=c.ANYSCALE_RESOURCE_PROVIDER,
            resource_type=c.CLOUD_RESOURCE_CHILD_TYPE,
            parent_resource_path=f"{c.CLOUD_RESOURCE_TYPE}/{args.cloud_name}",
            resource_name_=c.DEFAULT_CLOUD_RESOURCE_NAME,
            api_version=args.api_version,
            location=args.location,
            properties=properties,
            tags=tags,
            opts=child(self, depends_on=[cloud]),
        )
        self.cloud_arm_id = cloud.id
        self.cloud_resource_id = cloud_resource.properties.apply(lambda p: (p or {}).get("cloudResourceId"))
        self.cloud_id = cloud.properties.apply(lambda p: _cloud_id_of((p or {}).get("ssoUrl")))
        self.extension = None
        self.extension_settings = pulumi.Output.from_input(None)
        if args.install_extension:
            hostname = (
                pulumi.Output.from_input(args.gateway_hostname)
                if args.gateway_hostname is not None or not args.gateway_dns_label
                else self.cloud_resource_id.apply(lambda rid: gateway_hostname(dns_label_for(rid), args.location) if rid else None)
            )
            settings = extension_settings_inputs(
                cloud_deployment_id=self.cloud_resource_id, client_id=args.client_id,
                hostname=None if (args.gateway_hostname is None and not args.gateway_dns_label) else hostname,
                namespace=args.namespace, gateway_name=args.gateway_name, audience=args.audience, extra_values=args.extra_values,
            )
            self.extension = operator_extension(
                f"{name}-operator", settings, cluster_name=args.cluster_name,
                cluster_resource_group_name=args.cluster_resource_group_name, namespace=args.namespace,
                release_train=args.release_train, version=args.extension_version,
                opts=child(self, depends_on=[cloud_resource]),
            )
            self.extension_settings = pulumi.Output.from_input(settings)
        self.register_outputs(
            {"cloud_arm_id": self.cloud_arm_id, "cloud_resource_id": self.cloud_resource_id, "cloud_id": self.cloud_id}
        )


def operator_extension(
    name: str,
    settings: Any,
    *,
    cluster_name: StrInput,
    cluster_resource_group_name: StrInput,
    namespace: str,
    release_train: str = c.OPERATOR_EXTENSION_RELEASE_TRAIN,
    version: Optional[str] = None,
    opts: Optional[pulumi.ResourceOptions] = None,
) -> Any:
    """The ``Anyscale.AKS.Operator`` marketplace extension on the cluster, in ``namespace``
    (the release train's newest, auto-upgraded; or ``version`` pinned)."""
    from pulumi_azure_native import kubernetesconfiguration

    return kubernetesconfiguration.Extension(
        name,
        cluster_name=cluster_name,
        cluster_resource_name="managedClusters",
        cluster_rp="Microsoft.ContainerService",
        resource_group_name=cluster_resource_group_name,
        extension_name=c.OPERATOR_EXTENSION_NAME,
        extension_type=c.OPERATOR_EXTENSION_TYPE,
        release_train=None if version else release_train,
        version=version,
        auto_upgrade_minor_version=version is None,
        plan=kubernetesconfiguration.PlanArgs(
            name=c.OPERATOR_PLAN_NAME, product=c.OPERATOR_PLAN_PRODUCT, publisher=c.OPERATOR_PLAN_PUBLISHER
        ),
        scope=kubernetesconfiguration.ScopeArgs(cluster=kubernetesconfiguration.ScopeClusterArgs(release_namespace=namespace)),
        configuration_settings=settings,
        opts=opts,
    )


def _cloud_id_of(sso_url: Optional[str]) -> Optional[str]:
    """``https://console.azure.anyscale.com/<...>/cld_<id>`` -> ``cld_<id>`` (the walkthrough's
    ``split("/", ssoUrl)[4]``: the last path segment that is a cloud id)."""
    if not sso_url:
        return None
    for part in reversed(str(sso_url).split("/")):
        if part.startswith("cld_"):
            return part
    return None

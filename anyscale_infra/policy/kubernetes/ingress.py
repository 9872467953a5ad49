"""The load balancer in front of Anyscale's ingress is L4 (seed 000).

Clients reach head nodes through the cluster's ingress: the operator creates the routes
(Ingresses or HTTPRoutes) and Anyscale manages the DNS records and certificates, which the
ingress controller uses to terminate TLS. A Layer 7 load balancer in front of it — an AWS
Application Load Balancer, a Google Cloud Application Load Balancer, an Azure Application
Gateway — sits outside what the operator manages, and Anyscale does not support it
("configure Layer 4 load balancers (such as AWS Network Load Balancers) instead of Layer 7
(such as AWS Application Load Balancers)"; on Azure clients reach Ray clusters through the
Azure Load Balancer, seed 003). So every L7 marker a program can set is a violation: an
Ingress of an ALB, GKE L7 or Application Gateway class (AGIC's ``azure-application-gateway``,
Application Gateway for Containers' ``azure-alb-external``), or with ALB / AGIC / AGC
annotations; an IngressClass or GatewayClass of such a controller; a Gateway of a GKE L7 or
AGC class; the operator's ingress class set to one (the release's values, the AKS
extension's configurationSettings); and a LoadBalancer Service — or what makes one: the
bundled ingress-nginx's Service, Envoy Gateway's ``EnvoyProxy``, a Gateway's infrastructure
annotations — whose AWS load-balancer type is not an NLB (an Azure Load Balancer, public or
internal, is L4 whatever its annotations).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from pulumi_policy import EnforcementLevel, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy

from anyscale_infra.azure import constants as azure_c
from anyscale_infra.kubernetes import constants as c
from anyscale_infra.policy._readers import of_type
from anyscale_infra.policy.kubernetes._facts import (
    ENVOY_PROXY,
    GATEWAY,
    GATEWAY_CLASS,
    INGRESS,
    INGRESS_CLASS,
    SERVICE,
    annotations,
    dig,
    metadata_name,
    operator_extensions,
    operator_releases,
)

#: Why, in every message.
WHY = (
    "Anyscale supports only an L4 load balancer in front of its ingress (seed 000: an NLB, never an ALB): "
    "the ingress controller terminates TLS with the certificates Anyscale manages, and L7 routing is outside "
    "what the operator manages"
)


#: IngressClass controllers that make an L7 load balancer -> what they make.
L7_INGRESS_CONTROLLERS = {
    **{controller: "an Application Load Balancer" for controller in c.ALB_INGRESS_CONTROLLERS},
    azure_c.AGIC_INGRESS_CONTROLLER: "an Azure Application Gateway (AGIC)",
    azure_c.AGC_CONTROLLER: "an Application Gateway for Containers",
}
#: GatewayClass controllers that make an L7 load balancer -> what they make.
L7_GATEWAY_CONTROLLERS = {
    c.ALB_GATEWAY_CONTROLLER: "an Application Load Balancer",
    azure_c.AGC_CONTROLLER: "an Application Gateway for Containers",
}
#: Ingress class names of Azure's L7 controllers (their defaults, whether or not the program
#: declares the IngressClass), and the legacy annotation's AGIC value: what each makes.
AZURE_L7_CLASSES = {
    azure_c.AGIC_INGRESS_CLASS: "the Application Gateway Ingress Controller's class: an Azure Application Gateway",
    azure_c.AGIC_INGRESS_CONTROLLER: "the Application Gateway Ingress Controller: an Azure Application Gateway",
    azure_c.AGC_CLASS: "Application Gateway for Containers' class",
}
#: Annotation prefixes of L7 controllers -> whose they are.
L7_ANNOTATION_PREFIXES = {
    c.ALB_ANNOTATION_PREFIX: "AWS Load Balancer Controller ALB",
    azure_c.AGIC_ANNOTATION_PREFIX: "Application Gateway Ingress Controller (AGIC)",
    azure_c.AGC_ANNOTATION_PREFIX: "Application Gateway for Containers",
}


def _class_names(resources: Iterable[PolicyResource], types: tuple[str, ...], field: str, controllers: Iterable[str]) -> dict[str, str]:
    """The program's classes of those controllers: name -> controller."""
    wanted = set(controllers)
    return {
        name: controller
        for resource in of_type(resources, *types)
        if (controller := dig(resource.props, "spec", field)) in wanted and (name := metadata_name(resource))
    }


def aws_lb_type_problem(values: Any, where: str) -> Optional[str]:
    """Why these Service annotations do not make an NLB (None when they do, or do not say)."""
    kind = annotations(values).get(c.AWS_LB_TYPE)
    if not isinstance(kind, str) or kind in c.AWS_NLB_TYPES:
        return None
    return (
        f"{where} sets {c.AWS_LB_TYPE}: {kind!r}, which is not an NLB (its values for one: "
        f"{', '.join(c.AWS_NLB_TYPES)})"
    )


def _ingress_class_problem(value: Any, l7_classes: dict[str, str], gke: bool) -> Optional[str]:
    if not isinstance(value, str):
        return None
    if value == c.ALB_INGRESS_CLASS:
        return f"{value!r} (the AWS Load Balancer Controller's ALB class)"
    if value in l7_classes:
        controller = l7_classes[value]
        if controller in c.ALB_INGRESS_CONTROLLERS:
            return f"{value!r} (an IngressClass of an ALB controller)"
        return f"{value!r} (an IngressClass of {controller}: {L7_INGRESS_CONTROLLERS[controller]})"
    if value in AZURE_L7_CLASSES:
        return f"{value!r} ({AZURE_L7_CLASSES[value]})"
    if gke and value in c.GKE_L7_INGRESS_CLASSES:
        return f"{value!r} (GKE Ingress: an Application Load Balancer)"
    return None


def _ingress(resource: PolicyResource, l7_classes: dict[str, str]) -> list[str]:
    problems = []
    named = _ingress_class_problem(dig(resource.props, "spec", "ingressClassName"), l7_classes, gke=False)
    if named:
        problems.append(f"spec.ingressClassName is {named}")
    notes = annotations(dig(resource.props, "metadata", "annotations"))
    # GKE Ingress reads only the annotation (it ignores spec.ingressClassName); AGIC reads both.
    annotated = _ingress_class_problem(notes.get(c.INGRESS_CLASS_ANNOTATION), l7_classes, gke=True)
    if annotated:
        problems.append(f"annotation {c.INGRESS_CLASS_ANNOTATION} is {annotated}")
    for prefix, whose in L7_ANNOTATION_PREFIXES.items():
        keys = sorted(key for key in notes if key.startswith(prefix))
        if keys:
            problems.append(f"it carries {whose} annotations ({', '.join(keys)})")
    return problems


def _l4_only(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    l7_classes = _class_names(resources, INGRESS_CLASS, "controller", L7_INGRESS_CONTROLLERS)
    l7_gateway_classes = _class_names(resources, GATEWAY_CLASS, "controllerName", L7_GATEWAY_CONTROLLERS)

    for resource in of_type(resources, *INGRESS_CLASS):
        controller = dig(resource.props, "spec", "controller")
        if controller in L7_INGRESS_CONTROLLERS:
            report(f"IngressClass {resource.name}: spec.controller {controller} provisions {L7_INGRESS_CONTROLLERS[controller]} (L7). {WHY}.", resource.urn)
    for resource in of_type(resources, *GATEWAY_CLASS):
        controller = dig(resource.props, "spec", "controllerName")
        if controller in L7_GATEWAY_CONTROLLERS:
            report(f"GatewayClass {resource.name}: spec.controllerName {controller} provisions {L7_GATEWAY_CONTROLLERS[controller]} (L7). {WHY}.", resource.urn)
    for resource in of_type(resources, *INGRESS):
        problems = _ingress(resource, l7_classes)
        if problems:
            report(f"Ingress {resource.name}: {'; '.join(problems)}; that makes an L7 load balancer (an Application Load Balancer or Application Gateway). {WHY}.", resource.urn)
    for resource in of_type(resources, *GATEWAY):
        problems = []
        class_name = dig(resource.props, "spec", "gatewayClassName")
        if isinstance(class_name, str) and class_name.startswith(c.GKE_L7_GATEWAY_CLASS_PREFIX):
            problems.append(f"spec.gatewayClassName {class_name!r} is a GKE Application Load Balancer (L7) class")
        elif class_name in l7_gateway_classes:
            controller = l7_gateway_classes[class_name]
            problems.append(f"spec.gatewayClassName {class_name!r} is a GatewayClass of {controller} ({L7_GATEWAY_CONTROLLERS[controller]}, L7)")
        elif class_name == azure_c.AGC_CLASS:
            problems.append(f"spec.gatewayClassName {class_name!r} is Application Gateway for Containers' class (L7)")
        lb = aws_lb_type_problem(dig(resource.props, "spec", "infrastructure", "annotations"), "spec.infrastructure.annotations")
        if lb:
            problems.append(lb)
        if problems:
            report(f"Gateway {resource.name}: {'; '.join(problems)}. {WHY}.", resource.urn)
    for resource in of_type(resources, SERVICE):
        if dig(resource.props, "spec", "type") != "LoadBalancer":
            continue
        lb = aws_lb_type_problem(dig(resource.props, "metadata", "annotations"), "its metadata.annotations")
        if lb:
            report(f"LoadBalancer Service {resource.name}: {lb}. {WHY}.", resource.urn)
    for resource in of_type(resources, ENVOY_PROXY):
        service = dig(resource.props, "spec", "provider", "kubernetes", "envoyService", "annotations")
        lb = aws_lb_type_problem(service, "spec.provider.kubernetes.envoyService.annotations (the gateway's Service)")
        if lb:
            report(f"EnvoyProxy {resource.name}: {lb}. {WHY}.", resource.urn)
    for release in [*operator_releases(resources), *operator_extensions(resources)]:
        problems = []
        named = _ingress_class_problem(release.value("networking", "ingress", "classNameOverride"), l7_classes, gke=True)
        if named:
            problems.append(f"{release.where('networking', 'ingress', 'classNameOverride')} is {named}: the operator would create its Ingresses for it")
        if release.value("ingress-nginx", "enabled") is True:
            lb = aws_lb_type_problem(
                release.value("ingress-nginx", "controller", "service", "annotations"),
                "values.ingress-nginx.controller.service.annotations (the bundled ingress-nginx's Service)",
            )
            if lb:
                problems.append(lb)
        if problems:
            report(f"{release.label}: {'; '.join(problems)}. {WHY}.", release.resource.urn)


ingress_l4 = StackValidationPolicy(
    name="anyscale-k8s-ingress-l4",
    description=(
        "The load balancer in front of Anyscale's ingress is L4 (seed 000: clients reach head nodes through an "
        "L4 load balancer such as an NLB, never an ALB; seed 003: the Azure Load Balancer on Azure; the operator "
        "manages the routing): no Ingress of class alb (or an ALB IngressClass), with alb.ingress.kubernetes.io/* "
        "annotations or GKE's gce/gce-internal class; on AKS no Ingress of an Application Gateway class "
        "(azure-application-gateway, kubernetes.io/ingress.class azure/application-gateway, azure-alb-external) "
        "or with appgw.ingress.kubernetes.io/* or alb.networking.azure.io/* annotations; no ALB, AGIC or AGC "
        "IngressClass or GatewayClass, no Gateway of a gke-l7-* or azure-alb-external class; no operator "
        "networking.ingress.classNameOverride of those (release values or the AKS extension's "
        "configurationSettings); an aws-load-balancer-type, when set on a LoadBalancer Service, the bundled "
        "ingress-nginx's Service, an EnvoyProxy's envoyService or a Gateway's infrastructure, is nlb or external "
        "(nlb-ip)."
    ),
    validate=_l4_only,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [ingress_l4]

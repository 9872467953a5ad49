"""The load balancer in front of Anyscale's ingress is L4 (seed 000).

Clients reach head nodes through the cluster's ingress: the operator creates the routes
(Ingresses or HTTPRoutes) and Anyscale manages the DNS records and certificates, which the
ingress controller uses to terminate TLS. A Layer 7 load balancer in front of it — an AWS
Application Load Balancer, a Google Cloud Application Load Balancer — sits outside what the
operator manages, and Anyscale does not support it ("configure Layer 4 load balancers (such
as AWS Network Load Balancers) instead of Layer 7 (such as AWS Application Load
Balancers)"). So every L7 marker a program can set is a violation: an Ingress of an ALB or
GKE L7 class (or with ALB annotations), an ALB IngressClass or GatewayClass, a Gateway of a
GKE L7 class, the operator's ingress class set to one, and a LoadBalancer Service — or
what makes one: the bundled ingress-nginx's Service, Envoy Gateway's ``EnvoyProxy``, a
Gateway's infrastructure annotations — whose AWS load-balancer type is not an NLB.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from pulumi_policy import EnforcementLevel, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy

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
    operator_releases,
)

#: Why, in every message.
WHY = (
    "Anyscale supports only an L4 load balancer in front of its ingress (seed 000: an NLB, never an ALB): "
    "the ingress controller terminates TLS with the certificates Anyscale manages, and L7 routing is outside "
    "what the operator manages"
)


def _class_names(resources: Iterable[PolicyResource], types: tuple[str, ...], field: str, controllers: tuple[str, ...]) -> set[str]:
    return {
        name
        for resource in of_type(resources, *types)
        if dig(resource.props, "spec", field) in controllers and (name := metadata_name(resource))
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


def _ingress_class_problem(value: Any, alb_classes: set[str], gke: bool) -> Optional[str]:
    if not isinstance(value, str):
        return None
    if value == c.ALB_INGRESS_CLASS:
        return f"{value!r} (the AWS Load Balancer Controller's ALB class)"
    if value in alb_classes:
        return f"{value!r} (an IngressClass of an ALB controller)"
    if gke and value in c.GKE_L7_INGRESS_CLASSES:
        return f"{value!r} (GKE Ingress: an Application Load Balancer)"
    return None


def _ingress(resource: PolicyResource, alb_classes: set[str]) -> list[str]:
    problems = []
    named = _ingress_class_problem(dig(resource.props, "spec", "ingressClassName"), alb_classes, gke=False)
    if named:
        problems.append(f"spec.ingressClassName is {named}")
    notes = annotations(dig(resource.props, "metadata", "annotations"))
    # GKE Ingress reads only the annotation (it ignores spec.ingressClassName).
    annotated = _ingress_class_problem(notes.get(c.INGRESS_CLASS_ANNOTATION), alb_classes, gke=True)
    if annotated:
        problems.append(f"annotation {c.INGRESS_CLASS_ANNOTATION} is {annotated}")
    alb = sorted(key for key in notes if key.startswith(c.ALB_ANNOTATION_PREFIX))
    if alb:
        problems.append(f"it carries AWS Load Balancer Controller ALB annotations ({', '.join(alb)})")
    return problems


def _l4_only(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    alb_classes = _class_names(resources, INGRESS_CLASS, "controller", c.ALB_INGRESS_CONTROLLERS)
    alb_gateway_classes = _class_names(resources, GATEWAY_CLASS, "controllerName", (c.ALB_GATEWAY_CONTROLLER,))

    for resource in of_type(resources, *INGRESS_CLASS):
        controller = dig(resource.props, "spec", "controller")
        if controller in c.ALB_INGRESS_CONTROLLERS:
            report(f"IngressClass {resource.name}: spec.controller {controller} provisions an Application Load Balancer (L7). {WHY}.", resource.urn)
    for resource in of_type(resources, *GATEWAY_CLASS):
        controller = dig(resource.props, "spec", "controllerName")
        if controller == c.ALB_GATEWAY_CONTROLLER:
            report(f"GatewayClass {resource.name}: spec.controllerName {controller} provisions an Application Load Balancer (L7). {WHY}.", resource.urn)
    for resource in of_type(resources, *INGRESS):
        problems = _ingress(resource, alb_classes)
        if problems:
            report(f"Ingress {resource.name}: {'; '.join(problems)}; that makes an Application Load Balancer (L7). {WHY}.", resource.urn)
    for resource in of_type(resources, *GATEWAY):
        problems = []
        class_name = dig(resource.props, "spec", "gatewayClassName")
        if isinstance(class_name, str) and class_name.startswith(c.GKE_L7_GATEWAY_CLASS_PREFIX):
            problems.append(f"spec.gatewayClassName {class_name!r} is a GKE Application Load Balancer (L7) class")
        elif class_name in alb_gateway_classes:
            problems.append(f"spec.gatewayClassName {class_name!r} is a GatewayClass of {c.ALB_GATEWAY_CONTROLLER} (an Application Load Balancer, L7)")
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
    for release in operator_releases(resources):
        problems = []
        named = _ingress_class_problem(release.value("networking", "ingress", "classNameOverride"), alb_classes, gke=True)
        if named:
            problems.append(f"values.networking.ingress.classNameOverride is {named}: the operator would create its Ingresses for it")
        if release.value("ingress-nginx", "enabled") is True:
            lb = aws_lb_type_problem(
                release.value("ingress-nginx", "controller", "service", "annotations"),
                "values.ingress-nginx.controller.service.annotations (the bundled ingress-nginx's Service)",
            )
            if lb:
                problems.append(lb)
        if problems:
            report(f"the {c.OPERATOR_CHART} release {release.resource.name}: {'; '.join(problems)}. {WHY}.", release.resource.urn)


ingress_l4 = StackValidationPolicy(
    name="anyscale-k8s-ingress-l4",
    description=(
        "The load balancer in front of Anyscale's ingress is L4 (seed 000: clients reach head nodes through an "
        "L4 load balancer such as an NLB, never an ALB; the operator manages the routing): no Ingress of class "
        "alb (or an ALB IngressClass), with alb.ingress.kubernetes.io/* annotations or GKE's gce/gce-internal "
        "class; no ALB IngressClass or GatewayClass, no Gateway of a gke-l7-* class; no operator "
        "networking.ingress.classNameOverride of those; an aws-load-balancer-type, when set on a LoadBalancer "
        "Service, the bundled ingress-nginx's Service, an EnvoyProxy's envoyService or a Gateway's "
        "infrastructure, is nlb or external (nlb-ip)."
    ),
    validate=_l4_only,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [ingress_l4]

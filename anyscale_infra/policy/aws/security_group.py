"""Security-group rules (seed 004, "Security Group"; the checks of
`anyscale cloud register`'s verify_aws_security_groups, at the level it gives them)."""

from __future__ import annotations

from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.validation import is_world
from anyscale_infra.policy.aws._facts import (
    SgRule,
    cloud_security_groups,
    ident,
    of_type,
    security_group_rules,
)

#: The inbound ports the verifier expects (more triggers its "may not be safe" warning).
EXPECTED_PORTS = sorted(c.VERIFIER_EXPECTED_INGRESS_PORTS, reverse=True)  # [443, 22]

GroupCheck = Callable[[PolicyResource, list[SgRule], dict], "str | None"]


def _per_cloud_group(check: GroupCheck, *, every_group: bool = False):
    """Run ``check`` on each cloud security group (or every group) with its rules."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        rules = security_group_rules(args.resources)
        groups = (
            of_type(args.resources, "aws:ec2/securityGroup:SecurityGroup")
            if every_group
            else cloud_security_groups(args.resources)
        )
        for group in groups:
            mine = [r for r in rules if r.group == ident(group) or r.urn == group.urn]
            message = check(group, mine, dict(args.get_config()))
            if message:
                report(message, group.urn)

    return validate


def _self_ingress(group: PolicyResource, rules: list[SgRule], _: dict) -> "str | None":
    if any(r.ingress and r.self_reference and r.all_traffic for r in rules):
        return None
    return (
        f"security group {group.name} has no inbound all-traffic (protocol -1) rule from itself: clusters "
        "cannot talk to each other or to EFS (seed 004; `cloud register` fails with an error)."
    )


def _https(group: PolicyResource, rules: list[SgRule], _: dict) -> "str | None":
    if any(r.ingress and r.from_port == c.HTTPS_PORT for r in rules):  # the verifier looks at FromPort only
        return None
    return (
        f"security group {group.name} has no inbound rule for port {c.HTTPS_PORT}: the Anyscale console, job "
        "submission and dashboards cannot reach clusters (seed 004; `cloud register` warns)."
    )


def _self_egress(group: PolicyResource, rules: list[SgRule], _: dict) -> "str | None":
    # As the verifier: an all-protocol rule naming the group itself (0.0.0.0/0 does not count).
    if any(not r.ingress and r.all_traffic and r.self_reference for r in rules):
        return None
    return (
        f"security group {group.name} has no outbound all-protocol rule to itself (needed by EFA; seed 004; "
        "`cloud register` warns)."
    )


def _egress_all(group: PolicyResource, rules: list[SgRule], _: dict) -> "str | None":
    # IPv4 egress to everywhere (the control plane and users are reached over IPv4).
    if any(not r.ingress and r.all_traffic and any(is_world(x) and ":" not in x for x in r.cidrs) for r in rules):
        return None
    return (
        f"security group {group.name} does not allow all outbound traffic: clusters report to users and "
        "the Anyscale control plane (seed 004: allow all outbound traffic)."
    )


def _ingress_ports(group: PolicyResource, rules: list[SgRule], config: dict) -> "str | None":
    allowed = set(config.get("allowedPorts", EXPECTED_PORTS))
    opened = {p for r in rules if r.ingress and not r.self_reference for p in r.ports}
    extra = sorted(opened - allowed)
    if any(r.ingress and r.all_traffic and not r.self_reference for r in rules):
        return f"security group {group.name} opens all traffic from outside the group; only {sorted(allowed)} are expected"
    if extra:
        shown = ", ".join(map(str, extra[:10])) + (" ..." if len(extra) > 10 else "")
        return (
            f"security group {group.name} opens inbound port(s) {shown}; Anyscale expects only "
            f"{sorted(allowed)} (`cloud register` warns: may not be safe)."
        )
    return None


def _ssh_world(group: PolicyResource, rules: list[SgRule], _: dict) -> "str | None":
    # IPv4 and IPv6 alike: ::/0 is as open as 0.0.0.0/0.
    world = sorted({x for r in rules if r.ingress and r.covers_port(c.SSH_PORT) for x in r.cidrs if is_world(x)})
    if world:
        return (
            f"security group {group.name} opens SSH ({c.SSH_PORT}) to the whole internet ({', '.join(world)}); seed 004: SSH can be "
            "restricted to your CIDR blocks or removed."
        )
    return None


sg_self_ingress = StackValidationPolicy(
    name="anyscale-aws-sg-self-ingress",
    description="The cloud security group allows all inbound traffic from itself (seed 004; a registration error).",
    validate=_per_cloud_group(_self_ingress),
    enforcement_level=EnforcementLevel.MANDATORY,
)
sg_https_ingress = StackValidationPolicy(
    name="anyscale-aws-sg-https-ingress",
    description="The cloud security group allows inbound TCP 443 from some CIDR (seed 004; registration warns).",
    validate=_per_cloud_group(_https),
    enforcement_level=EnforcementLevel.ADVISORY,
)
sg_self_egress = StackValidationPolicy(
    name="anyscale-aws-sg-self-egress",
    description="The cloud security group allows all outbound protocols to itself (seed 004, EFA; registration warns).",
    validate=_per_cloud_group(_self_egress),
    enforcement_level=EnforcementLevel.ADVISORY,
)
sg_egress_all = StackValidationPolicy(
    name="anyscale-aws-sg-egress-all",
    description="The cloud security group allows all outbound traffic (seed 004: outbound rules).",
    validate=_per_cloud_group(_egress_all),
    enforcement_level=EnforcementLevel.MANDATORY,
)
sg_ingress_ports = StackValidationPolicy(
    name="anyscale-aws-sg-ingress-ports",
    description="The cloud security group opens no inbound ports but 443 and 22 from outside itself (registration warns).",
    validate=_per_cloud_group(_ingress_ports),
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(
        properties={"allowedPorts": {"type": "array", "items": {"type": "integer"}, "default": EXPECTED_PORTS}}
    ),
)
sg_ssh_not_world_open = StackValidationPolicy(
    name="anyscale-aws-sg-ssh-not-world-open",
    description="No security group opens SSH (22) to 0.0.0.0/0 or ::/0 (seed 004: restrict or remove 22).",
    validate=_per_cloud_group(_ssh_world, every_group=True),
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [sg_self_ingress, sg_https_ingress, sg_self_egress, sg_egress_all, sg_ingress_ports, sg_ssh_not_world_open]

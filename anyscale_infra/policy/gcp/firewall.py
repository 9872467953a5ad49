"""Firewall policy rules (verify_firewall_policy in `anyscale cloud register --provider gcp`,
at the levels it gives them; SSH never open to the internet, a security rule).

Rules, policies and associations are separate resources (or inline in a
``NetworkFirewallPolicyWithRules``), so the rules that span them are stack policies keyed
by the policy's name or id. The verifier reads one policy (the first registered): a cloud
VPC passes when one of the policies associated with it does. Like the verifier, only
``allow`` ingress rules count, priorities are not weighed, and ports add up across rules;
unlike it, a disabled rule opens nothing, and the 443 and 22 checks ask for a range beyond
the cloud subnets (the verifier counts any rule, so its internal all-ports rule would
always satisfy them).
"""

from __future__ import annotations

from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp.validation import is_world
from anyscale_infra.policy.gcp._facts import (
    ALL_PORTS,
    FIREWALL,
    HIERARCHICAL_POLICY_RULE,
    HIERARCHICAL_POLICY_WITH_RULES,
    POLICY_RULE,
    POLICY_WITH_RULES,
    REGION_POLICY_RULE,
    REGION_POLICY_WITH_RULES,
    FirewallRule,
    associations,
    associations_of,
    covered_ports,
    declared_vpc_names,
    firewall_policies,
    get,
    label,
    network,
    policy_rules,
    rules_of,
    vpc_subnets,
)

INTERNAL_DOCS = "https://cloud.google.com/vpc/docs/using-firewalls#common-use-cases-allow-internal"


def _associated(args: StackValidationArgs, report: ReportViolation) -> None:
    resources = list(args.resources)
    found = associations(resources)
    vpcs = declared_vpc_names(resources)
    for policy in firewall_policies(resources):
        targets = sorted({a.target for a in associations_of(policy, found) if a.target})
        if not targets:
            report(
                f"firewall policy {label(policy)} is associated with no VPC: its rules apply nowhere and "
                "`cloud register` fails (verify_firewall_policy: not associated with the VPC). Add a "
                "NetworkFirewallPolicyAssociation whose attachmentTarget is the cloud VPC.",
                policy.urn,
            )
        elif vpcs and not set(targets) & vpcs:
            report(
                f"firewall policy {label(policy)} is associated with {', '.join(targets)}, none of the program's "
                f"VPCs ({', '.join(sorted(vpcs))}): `cloud register` fails for a cloud in those "
                "(verify_firewall_policy: not associated with the VPC).",
                policy.urn,
            )


Check = Callable[[list[PolicyResource], str, list[PolicyResource], dict[str, list[FirewallRule]]], "str | None"]


def _per_cloud_vpc(check: Check):
    """Run ``check`` on each VPC a policy of the stack is associated with, against the
    policies associated with it; a violation is reported on each of those policies."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        resources = list(args.resources)
        found = associations(resources)
        policies = firewall_policies(resources)
        rules = {p.urn: policy_rules(resources, p) for p in policies}
        for vpc in sorted({a.target for a in found if a.target}):
            mine = [p for p in policies if any(a.target == vpc for a in associations_of(p, found))]
            if not mine:
                continue  # the associated policy is not in the program: not knowable
            message = check(resources, vpc, mine, rules)
            if message:
                for policy in mine:
                    report(message, policy.urn)

    return validate


def _names(policies: list[PolicyResource]) -> str:
    return ", ".join(label(p) for p in policies)


def _internal(resources: list[PolicyResource], vpc: str, policies: list[PolicyResource], rules: dict[str, list[FirewallRule]]) -> "str | None":
    missing = []
    for subnet in vpc_subnets(resources, vpc):
        block = network(get(subnet.props, "ipCidrRange"))
        if block is None:
            continue
        if not any(ALL_PORTS <= covered_ports(rules[p.urn], "tcp", block) for p in policies):
            missing.append(f"{label(subnet)} ({block})")
    if not missing:
        return None
    return (
        f"firewall policy {_names(policies)} of VPC {vpc} does not allow inbound TCP on every port from "
        f"cloud subnet {', '.join(missing)}: cluster nodes cannot talk to each other and `cloud register` "
        f"fails (verify_firewall_policy: internal communication; {INTERNAL_DOCS})."
    )


def _port_check(port: int, consequence: str) -> Check:
    def check(resources: list[PolicyResource], vpc: str, policies: list[PolicyResource], rules: dict[str, list[FirewallRule]]) -> "str | None":
        inside = [network(get(s.props, "ipCidrRange")) for s in vpc_subnets(resources, vpc)]
        inside = [n for n in inside if n is not None]
        if any(port in covered_ports(rules[p.urn], "tcp", outside=inside) for p in policies):
            return None
        return (
            f"firewall policy {_names(policies)} of VPC {vpc} allows no inbound TCP {port} from outside the cloud "
            f"subnets: {consequence} (verify_firewall_policy warns)."
        )

    return check


firewall_policy_associated = StackValidationPolicy(
    name="anyscale-gcp-firewall-policy-associated",
    description=(
        "Each network firewall policy is associated with a VPC, one of the program's when it declares any "
        "(verify_firewall_policy: a registration error)."
    ),
    validate=_associated,
    enforcement_level=EnforcementLevel.MANDATORY,
)
firewall_internal = StackValidationPolicy(
    name="anyscale-gcp-firewall-internal",
    description=(
        "The firewall policy of a cloud VPC allows inbound TCP on every port from each cloud subnet's range "
        "(verify_firewall_policy: internal communication; a registration error)."
    ),
    validate=_per_cloud_vpc(_internal),
    enforcement_level=EnforcementLevel.MANDATORY,
)
firewall_https_ingress = StackValidationPolicy(
    name="anyscale-gcp-firewall-https-ingress",
    description=(
        f"The firewall policy of a cloud VPC allows inbound TCP {c.HTTPS_PORT} from a range beyond the cloud subnets "
        "(verify_firewall_policy warns)."
    ),
    validate=_per_cloud_vpc(
        _port_check(c.HTTPS_PORT, "the console, Jupyter and the Ray dashboard cannot reach clusters")
    ),
    enforcement_level=EnforcementLevel.ADVISORY,
)
firewall_ssh_ingress = StackValidationPolicy(
    name="anyscale-gcp-firewall-ssh-ingress",
    description=(
        f"The firewall policy of a cloud VPC allows inbound TCP {c.SSH_PORT} from a range beyond the cloud subnets, e.g. "
        f"IAP's {c.IAP_RANGE} "
        "(verify_firewall_policy warns: certain features may be unavailable)."
    ),
    validate=_per_cloud_vpc(_port_check(c.SSH_PORT, "SSH-based features (VS Code desktop, `anyscale ssh`) are unavailable")),
    enforcement_level=EnforcementLevel.ADVISORY,
)

RULE_TYPES = (
    POLICY_RULE,
    REGION_POLICY_RULE,
    HIERARCHICAL_POLICY_RULE,
    POLICY_WITH_RULES,
    REGION_POLICY_WITH_RULES,
    HIERARCHICAL_POLICY_WITH_RULES,
    FIREWALL,
)


def _ssh_world(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in RULE_TYPES:
        return
    resource = PolicyResource(args.resource_type, args.props, args.urn, args.name, args.opts, None, None, [], {})
    open_rules = []
    for rule in rules_of(resource):
        world = sorted({s for s in rule.sources if is_world(s)})
        if rule.active_ingress_allow and c.SSH_PORT in rule.ports_for("tcp") and world:
            open_rules.append(f"{rule.name} from {', '.join(world)}")
    if open_rules:
        report(
            f"opens SSH ({c.SSH_PORT}) to the whole internet ({'; '.join(open_rules)}): restrict it to your ranges "
            f"or to IAP ({c.IAP_RANGE}), or remove it.",
            None,
        )


firewall_ssh_not_world_open = ResourceValidationPolicy(
    name="anyscale-gcp-firewall-ssh-not-world-open",
    description=(
        f"No firewall rule (network, regional or hierarchical policy rule, VPC firewall) allows SSH ({c.SSH_PORT}) from "
        "0.0.0.0/0 or ::/0 (issue 11: SSH not open to the world)."
    ),
    validate=_ssh_world,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [
    firewall_policy_associated,
    firewall_internal,
    firewall_https_ingress,
    firewall_ssh_ingress,
    firewall_ssh_not_world_open,
]

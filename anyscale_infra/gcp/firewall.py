"""The cloud's firewall on Google Cloud: a global network firewall policy associated with the
VPC, with one rule per purpose — or your existing policy.

What Anyscale checks (verifier ``verify_firewall_policy``, on the *first* name given to
``--firewall-policy-names``, looked up in the VPC's project — the host project of a shared
VPC): the policy is associated with the VPC; all traffic from the cloud subnet's range is
allowed ("internal communication": an error without it); TCP 443 and 22 are allowed
(warnings); for a shared VPC, TCP 8000 from Google's health-check ranges and, in private
networking, from the proxy-only subnet (warnings: Anyscale cannot add those rules to a
policy in a host project itself). Only ``allow`` rules count; priorities are not read.

Rules (built by the pure :func:`firewall_rules`; the component only wires them):

=============== ========= ====================================== ===========================
rule            priority  from                                   to
=============== ========= ====================================== ===========================
internal        1000      the cloud subnet's range(s)            all protocols and ports
health-checks   1100      35.191.0.0/16, 130.211.0.0/22          TCP 8000
proxy-only      1200      the proxy-only subnet, when there is    TCP 8000
https           1300      ``ingress_cidr_blocks``                TCP 443
ssh             1400      ``ssh_cidr_blocks`` (``enable_ssh``)   TCP 22
iap-ssh         1500      35.235.240.0/20 (``enable_iap_ssh``)   TCP 22
=============== ========= ====================================== ===========================

Priorities are named constants, unique by construction (one rule per purpose, each holding
all its source ranges), 100 apart so related rules can be added between them, and starting
at 1000 so 0-999 stays free for your own rules that must win (a deny list). Every rule is an
``allow``, so their order never changes a verdict: a connection any rule allows is allowed.
The order only decides which rule counts (and logs) a connection several rules match — the
internal rule first, so the user-facing rules record outside traffic only. The anchor
derives priorities from port numbers (443, 22) and list positions, which collide as soon as
two rules share a port, and breaks on a port list ("10,20,30").

Health checks: Google's probes *and* the Google Front End proxies of the external
Application Load Balancer come from 35.191.0.0/16 and 130.211.0.0/22
(https://cloud.google.com/load-balancing/docs/firewall-rules); Anyscale Services listen on
TCP 8000, the port the verifier checks. Opening all TCP to those ranges (as a blanket
"allow load balancers" rule would) would expose every cluster port to any load balancer
path; 8000 is the minimum the Services need. The internal load balancers of private
Services (Envoy-based) send traffic from the proxy-only subnet: that range gets TCP 8000
only (the anchor also opens 443 and 22 to it, and 443 to the IAP range).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Optional

import pulumi
import pulumi_gcp as gcp
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel, StrInput, is_plain

if TYPE_CHECKING:
    from anyscale_infra.gcp.network import AnyscaleGcpNetwork

ANYWHERE: Final = "0.0.0.0/0"

# --- Rule priorities (candidates for gcp/constants.py) ---------------------------------------
PRIORITY_INTERNAL: Final = 1000
PRIORITY_HEALTH_CHECKS: Final = 1100
PRIORITY_PROXY_ONLY: Final = 1200
PRIORITY_HTTPS: Final = 1300
PRIORITY_SSH: Final = 1400
PRIORITY_IAP_SSH: Final = 1500

#: Google Cloud: at most 5000 source ranges in one firewall policy rule.
MAX_SOURCE_RANGES_PER_RULE: Final = 5000
#: ``ipProtocol`` values: every protocol, or TCP.
PROTOCOL_ALL: Final = "all"
PROTOCOL_TCP: Final = "tcp"
DEFAULT_POLICY_DESCRIPTION: Final = "Anyscale cloud: internal traffic, Google load balancers, HTTPS from users"
DEFAULT_ENABLE_SSH: Final = False
DEFAULT_ENABLE_IAP_SSH: Final = False
DEFAULT_ENABLE_HEALTH_CHECKS: Final = True
#: Off by default: logging every intra-cluster connection (object transfers between nodes)
#: is billed by volume; turn it on to audit.
DEFAULT_ENABLE_LOGGING: Final = False


@dataclass(frozen=True)
class FirewallRuleSpec:
    """One ingress ``allow`` rule, as plain values."""

    key: str
    """What the rule is for (``internal``, ``https``...): its logical name and rule name."""
    priority: int
    description: str
    source_ranges: tuple[StrInput, ...]
    """CIDRs (plain strings; a component may pass outputs through unchanged)."""
    protocol: str
    """``all`` or ``tcp``."""
    ports: tuple[str, ...] = ()
    """Destination ports; empty means all."""

    def layer4_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"ip_protocol": self.protocol}
        if self.ports:
            config["ports"] = list(self.ports)
        return config


def firewall_rules(
    *,
    ingress_cidrs: Sequence[str],
    internal_ranges: Sequence[StrInput],
    ssh_cidrs: Sequence[str] = (),
    proxy_only_ranges: Sequence[StrInput] = (),
    health_checks: bool = DEFAULT_ENABLE_HEALTH_CHECKS,
    iap_ssh: bool = DEFAULT_ENABLE_IAP_SSH,
) -> list[FirewallRuleSpec]:
    """The rules of an Anyscale cloud's firewall policy, by priority (pure: no Pulumi).

    A rule with no source range is left out (no SSH rule without ``ssh_cidrs``...).
    """
    services_port = (str(c.SERVICES_PORT),)
    candidates = [
        FirewallRuleSpec(
            "internal",
            PRIORITY_INTERNAL,
            "All traffic within the cloud subnet: Ray, object transfers, Filestore (verifier: internal communication)",
            tuple(internal_ranges),
            PROTOCOL_ALL,
        ),
        FirewallRuleSpec(
            "health-checks",
            PRIORITY_HEALTH_CHECKS,
            "Google load balancer health checks and front ends to Anyscale Services (verifier: shared VPC)",
            c.GOOGLE_HEALTH_CHECK_RANGES if health_checks else (),
            PROTOCOL_TCP,
            services_port,
        ),
        FirewallRuleSpec(
            "proxy-only",
            PRIORITY_PROXY_ONLY,
            "Internal load balancer proxies (proxy-only subnet) to private Anyscale Services",
            tuple(proxy_only_ranges),
            PROTOCOL_TCP,
            services_port,
        ),
        FirewallRuleSpec(
            "https",
            PRIORITY_HTTPS,
            "HTTPS from users: Anyscale web UIs, job submission, Grafana",
            tuple(ingress_cidrs),
            PROTOCOL_TCP,
            (str(c.HTTPS_PORT),),
        ),
        FirewallRuleSpec(
            "ssh",
            PRIORITY_SSH,
            "SSH from users: VS Code desktop in workspaces",
            tuple(ssh_cidrs),
            PROTOCOL_TCP,
            (str(c.SSH_PORT),),
        ),
        FirewallRuleSpec(
            "iap-ssh",
            PRIORITY_IAP_SSH,
            "SSH through Identity-Aware Proxy TCP forwarding",
            (c.IAP_RANGE,) if iap_ssh else (),
            PROTOCOL_TCP,
            (str(c.SSH_PORT),),
        ),
    ]
    return sorted((r for r in candidates if r.source_ranges), key=lambda r: r.priority)


def _check_cidr_list(value: Optional[list[str]]) -> Optional[list[str]]:
    if value is None:
        return None
    for cidr in value:
        v.check_ingress_cidr(cidr)
    if dups := v.duplicates(value):
        raise ValueError(f"lists {', '.join(dups)} more than once")
    if len(value) > MAX_SOURCE_RANGES_PER_RULE:
        raise ValueError(
            f"has {len(value)} ranges; a firewall policy rule takes at most {MAX_SOURCE_RANGES_PER_RULE} "
            "(Google Cloud); summarize them into larger blocks"
        )
    return value


#: Settings of a new policy (an error with ``existing_firewall_policy_name``).
_NEW_POLICY_FIELDS = (
    "ingress_cidr_blocks",
    "enable_ssh",
    "ssh_cidr_blocks",
    "enable_iap_ssh",
    "enable_health_checks",
    "enable_logging",
    "target_service_accounts",
    "firewall_policy_name",
    "description",
)


class AnyscaleGcpFirewallArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcpFirewall`."""

    vpc_id: Optional[StrInput] = None
    """The VPC to associate the new policy with: its id (``projects/<p>/global/networks/<n>``)
    or self link. Required unless ``existing_firewall_policy_name`` is given (set for you
    from :class:`AnyscaleGcpNetwork` by :meth:`for_network`)."""
    project_id: Optional[StrInput] = None
    """Project of the policy: the VPC's project — for a shared VPC the *host* project (a
    policy and its networks share a project; the verifier looks there). Optional; defaults
    to the provider's project."""
    subnet_cidrs: list[StrInput] = Field(default_factory=list)
    """The cloud subnet's range(s): all traffic among them is allowed (verifier: an error
    without internal communication). Required for a new policy."""
    proxy_only_subnet_cidr: Optional[StrInput] = None
    """The proxy-only subnet's range, admitted to TCP 8000 (verifier: shared VPC, private
    networking). Optional; no rule without it."""
    ingress_cidr_blocks: list[str] = Field(default_factory=list)
    """Who may reach clusters on TCP 443 (web UIs, job submission, Grafana). Required for a
    new policy: write ``0.0.0.0/0`` yourself if you mean the whole internet."""
    enable_ssh: bool = DEFAULT_ENABLE_SSH
    """Open TCP 22 for VS Code desktop. Optional; defaults to False."""
    ssh_cidr_blocks: Optional[list[str]] = None
    """Who may reach TCP 22 when ``enable_ssh``. Optional; defaults to ``ingress_cidr_blocks``."""
    enable_iap_ssh: bool = DEFAULT_ENABLE_IAP_SSH
    """Open TCP 22 to Identity-Aware Proxy (35.235.240.0/20), for ``gcloud compute ssh
    --tunnel-through-iap``. Optional; defaults to False."""
    enable_health_checks: bool = DEFAULT_ENABLE_HEALTH_CHECKS
    """Admit Google's load balancer health checks and front ends (35.191.0.0/16,
    130.211.0.0/22) to TCP 8000, for Anyscale Services (verifier: shared VPC). Optional;
    defaults to True."""
    enable_logging: bool = DEFAULT_ENABLE_LOGGING
    """Firewall Rules Logging on every rule. Optional; defaults to False (billed by volume;
    the internal rule sees every intra-cluster connection)."""
    target_service_accounts: list[StrInput] = Field(default_factory=list)
    """Apply the rules only to VMs running as these service accounts (the cluster service
    account). Optional; defaults to every VM in the VPC — narrow it for an existing or shared
    VPC that runs other workloads."""
    firewall_policy_name: Optional[str] = None
    """Name of the new policy (``--firewall-policy-names``). Optional; defaults to a unique
    name from the component name. A set name makes a replacement delete the policy first."""
    description: str = DEFAULT_POLICY_DESCRIPTION
    """Description of the new policy. Optional."""
    existing_firewall_policy_name: Optional[str] = None
    """Use this existing policy instead; nothing is created (it must already be associated
    with the VPC and hold the rules above). Optional. A VPC takes one global network firewall
    policy: a VPC that has one needs this."""

    @field_validator("ingress_cidr_blocks", "ssh_cidr_blocks")
    @classmethod
    def _cidrs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        return _check_cidr_list(value)

    @field_validator("subnet_cidrs")
    @classmethod
    def _subnets(cls, value: list[StrInput]) -> list[StrInput]:
        plain = [cidr for cidr in value if is_plain(cidr)]
        for cidr in plain:
            v.check_cidr(cidr)  # type: ignore[arg-type]
            if v.is_world(cidr):  # type: ignore[arg-type]
                raise ValueError(f"{cidr} admits every address to every port; give the cloud subnet's range")
        if dups := v.duplicates(plain):  # type: ignore[arg-type]
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("proxy_only_subnet_cidr")
    @classmethod
    def _proxy(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        if isinstance(value, str):
            v.check_cidr(value)
            if v.is_world(value):
                raise ValueError(f"{value} admits every address; give the proxy-only subnet's range")
        return value

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_project_id(value) if isinstance(value, str) else value

    @field_validator("firewall_policy_name", "existing_firewall_policy_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_name(value)

    @field_validator("target_service_accounts")
    @classmethod
    def _targets(cls, value: list[StrInput]) -> list[StrInput]:
        for email in value:
            if isinstance(email, str):
                v.check_service_account_email(email)
        if dups := v.duplicates([e for e in value if isinstance(e, str)]):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleGcpFirewallArgs":
        problems: list[FieldProblem] = []
        if self.existing_firewall_policy_name is not None:
            problems += [
                FieldProblem(name, f"only one of existing_firewall_policy_name and {name} can be specified")
                for name in _NEW_POLICY_FIELDS
                if name in self.model_fields_set
            ]
        else:
            if not self.ingress_cidr_blocks:
                problems.append(
                    FieldProblem(
                        "ingress_cidr_blocks",
                        "is empty, so nobody could reach clusters on port 443 (the console's web UIs, job "
                        "submission, Grafana). List your users' CIDR blocks, or write "
                        f"'{ANYWHERE}' to allow the whole internet",
                    )
                )
            if self.ssh_cidr_blocks is not None and not self.enable_ssh:
                problems.append(FieldProblem("ssh_cidr_blocks", "needs enable_ssh=True"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    @classmethod
    def for_network(cls, network: "AnyscaleGcpNetwork", **fields: Any) -> "AnyscaleGcpFirewallArgs":
        """Arguments wired to a network: its VPC, its project (the host project of a shared
        VPC), its subnet range and its proxy-only subnet when known."""
        wired: dict[str, Any] = {
            "vpc_id": network.vpc_id,
            "project_id": network.network_project,
            "subnet_cidrs": [network.subnet_cidr],
        }
        if network.has_proxy_only_subnet:
            wired["proxy_only_subnet_cidr"] = network.proxy_only_subnet_cidr
        return cls(**{**wired, **fields})

    def effective_ssh_cidr_blocks(self) -> list[str]:
        if not self.enable_ssh:
            return []
        return list(self.ssh_cidr_blocks if self.ssh_cidr_blocks is not None else self.ingress_cidr_blocks)

    def rules(self) -> list[FirewallRuleSpec]:
        """The new policy's rules (pure; see :func:`firewall_rules`)."""
        return firewall_rules(
            ingress_cidrs=self.ingress_cidr_blocks,
            internal_ranges=self.subnet_cidrs,
            ssh_cidrs=self.effective_ssh_cidr_blocks(),
            proxy_only_ranges=[self.proxy_only_subnet_cidr] if self.proxy_only_subnet_cidr is not None else [],
            health_checks=self.enable_health_checks,
            iap_ssh=self.enable_iap_ssh,
        )

    def advisories(self) -> list[str]:
        # The same "world" test as the AWS pack's SSH rule.
        if world := [cidr for cidr in self.effective_ssh_cidr_blocks() if v.is_world(cidr)]:
            return [f"ssh is open to {', '.join(world)}; restrict ssh_cidr_blocks to your users' ranges"]
        return []


class AnyscaleGcpFirewall(pulumi.ComponentResource):
    """A global network firewall policy for an Anyscale cloud, associated with its VPC (new
    or existing: with ``existing_firewall_policy_name`` nothing is created)."""

    firewall_policy_name: pulumi.Output[str]
    """The policy's name (``--firewall-policy-names``)."""
    firewall_policy_id: pulumi.Output[Optional[str]]
    """The new policy's id (``projects/<p>/global/firewallPolicies/<name>``); None for an existing one."""
    firewall_policy_self_link: pulumi.Output[Optional[str]]
    """The new policy's self link; None for an existing one."""
    rule_specs: list[FirewallRuleSpec]
    """The rules created, by priority (plain; empty for an existing policy)."""

    def __init__(self, name: str, args: AnyscaleGcpFirewallArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGcpFirewall"), name, None, opts)
        if args.existing_firewall_policy_name is not None:
            self.firewall_policy_name = pulumi.Output.from_input(args.existing_firewall_policy_name)
            self.firewall_policy_id = self.firewall_policy_self_link = pulumi.Output.from_input(None)
            self.rule_specs = []
        else:
            model = type(args).__name__
            # Wired by the composite (outputs of the network), so checked here, before any resource.
            if args.vpc_id is None:
                raise w.fail(model, "vpc_id", "is required for a new firewall policy (the VPC to associate it with)")
            if not args.subnet_cidrs:
                raise w.fail(
                    model,
                    "subnet_cidrs",
                    "is empty: the verifier errors unless the policy allows internal communication within the "
                    "cloud subnet; give its range (AnyscaleGcpNetwork.subnet_cidr)",
                )
            self.rule_specs = args.rules()
            self._create(name, args, opts.depends_on if opts is not None else None)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "firewall_policy_name": self.firewall_policy_name,
                "firewall_policy_id": self.firewall_policy_id,
                "firewall_policy_self_link": self.firewall_policy_self_link,
            }
        )

    def _create(self, name: str, args: AnyscaleGcpFirewallArgs, depends_on: Any) -> None:
        # Children do not inherit the component's depends_on (e.g. the APIs): hand it on.
        policy = gcp.compute.NetworkFirewallPolicy(
            f"{name}-policy",
            name=args.firewall_policy_name,
            project=args.project_id,
            description=args.description,
            opts=w.child(self, depends_on=depends_on),
        )
        # verifier: the policy must be associated with the VPC (by the attachment's last path
        # segment: the VPC name). Not deleted_with the policy: a policy cannot be deleted
        # while associated, so the association goes first.
        gcp.compute.NetworkFirewallPolicyAssociation(
            f"{name}-association",
            firewall_policy=policy.name,
            attachment_target=args.vpc_id,
            project=args.project_id,
            opts=w.child(self, depends_on=depends_on),
        )
        # One resource per rule (not NetworkFirewallPolicyWithRules): rules Anyscale adds to
        # the policy itself (Services, outside a shared VPC) are then left alone.
        for spec in self.rule_specs:
            gcp.compute.NetworkFirewallPolicyRule(
                f"{name}-{spec.key}",
                firewall_policy=policy.name,
                project=args.project_id,
                rule_name=f"anyscale-{spec.key}",
                description=spec.description,
                priority=spec.priority,
                direction="INGRESS",
                action="allow",
                enable_logging=args.enable_logging,
                match={"src_ip_ranges": list(spec.source_ranges), "layer4_configs": [spec.layer4_config()]},
                target_service_accounts=list(args.target_service_accounts) or None,
                # A rule is part of its policy: deleting the policy deletes it.
                opts=w.child(self, deleted_with=policy, depends_on=depends_on),
            )
        self.firewall_policy_name = policy.name
        self.firewall_policy_id = policy.id  # type: ignore[assignment]
        self.firewall_policy_self_link = policy.self_link  # type: ignore[assignment]

"""AnyscaleGcpFirewall: the pure rule list, what each resource gets, and the CLI's own checks."""

from __future__ import annotations

import importlib.util
import ipaddress
from pathlib import Path
from types import SimpleNamespace

import pulumi
import pulumi_gcp as gcp
import pytest
from anyscale.utils.network_verification import (
    FirewallRule,
    Protocol,
    check_inbound_firewall_permissions,
)

from anyscale_infra import InvalidArgsError
from anyscale_infra.gcp import (
    AnyscaleGcpFirewall,
    AnyscaleGcpFirewallArgs,
    AnyscaleGcpNetwork,
    AnyscaleGcpNetworkArgs,
)
from anyscale_infra.gcp.firewall import FirewallRuleSpec, firewall_rules
from anyscale_infra.preview.engine import ProgramError

POLICY = "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy"
ASSOCIATION = "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
RULE = "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule"
VPC_ID = "projects/acme-ml-prod/global/networks/anyscale-vpc"
SUBNET = "10.0.0.0/20"
PROXY = "10.1.0.0/23"
USERS = "203.0.113.0/24"


def _args(**kwargs):
    base = dict(vpc_id=VPC_ID, subnet_cidrs=[SUBNET], ingress_cidr_blocks=[USERS])
    return AnyscaleGcpFirewallArgs(**{**base, **kwargs})


def _rules(result):
    return {r.name: r.inputs for r in result.by_type(RULE)}


# --- the pure builder ---------------------------------------------------------------------------
def test_minimal_rule_list():
    assert firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET]) == [
        FirewallRuleSpec(
            "internal",
            1000,
            "All traffic within the cloud subnet: Ray, object transfers, Filestore (verifier: internal communication)",
            ("10.0.0.0/20",),
            "all",
        ),
        FirewallRuleSpec(
            "health-checks",
            1100,
            "Google load balancer health checks and front ends to Anyscale Services (verifier: shared VPC)",
            ("35.191.0.0/16", "130.211.0.0/22"),
            "tcp",
            ("8000",),
        ),
        FirewallRuleSpec(
            "https", 1300, "HTTPS from users: Anyscale web UIs, job submission, Grafana", ("203.0.113.0/24",), "tcp", ("443",)
        ),
    ]


def test_every_rule_on():
    rules = firewall_rules(
        ingress_cidrs=[USERS, "198.51.100.7/32"],
        internal_ranges=[SUBNET],
        ssh_cidrs=["198.51.100.7/32"],
        proxy_only_ranges=[PROXY],
        health_checks=True,
        iap_ssh=True,
    )
    assert [(r.key, r.priority, r.source_ranges, r.protocol, r.ports) for r in rules] == [
        ("internal", 1000, ("10.0.0.0/20",), "all", ()),
        ("health-checks", 1100, ("35.191.0.0/16", "130.211.0.0/22"), "tcp", ("8000",)),
        ("proxy-only", 1200, ("10.1.0.0/23",), "tcp", ("8000",)),
        ("https", 1300, ("203.0.113.0/24", "198.51.100.7/32"), "tcp", ("443",)),
        ("ssh", 1400, ("198.51.100.7/32",), "tcp", ("22",)),
        ("iap-ssh", 1500, ("35.235.240.0/20",), "tcp", ("22",)),
    ]
    # The IAP range only reaches 22, the proxy-only range only 8000 (the anchor opens 443 to both).
    assert [r.key for r in rules if "35.235.240.0/20" in r.source_ranges] == ["iap-ssh"]
    assert [r.key for r in rules if PROXY in r.source_ranges] == ["proxy-only"]


def test_rules_without_sources_are_left_out():
    rules = firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET], health_checks=False)
    assert [r.key for r in rules] == ["internal", "https"]
    assert [r.key for r in firewall_rules(ingress_cidrs=[], internal_ranges=[])] == ["health-checks"]


def test_layer4_config_omits_ports_for_all_traffic():
    internal, *_ = firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET])
    assert internal.layer4_config() == {"ip_protocol": "all"}
    assert firewall_rules(ingress_cidrs=[USERS], internal_ranges=[])[-1].layer4_config() == {"ip_protocol": "tcp", "ports": ["443"]}


# --- against the CLI's own checker ------------------------------------------------------------
def _cli_rules(specs):
    """As the verifier's _firewall_rules_from_proto_resp: one FirewallRule per source range
    and layer-4 config of every allow rule."""
    return [
        FirewallRule(
            direction="INGRESS",
            protocol=Protocol.from_val(spec.protocol),
            ports=list(spec.ports),
            network=ipaddress.ip_network(source),
        )
        for spec in specs
        for source in spec.source_ranges
    ]


def _allows(specs, port, source, check_source=True):
    ports = None if port is None else {port}
    return check_inbound_firewall_permissions(
        _cli_rules(specs), Protocol.tcp, ports, ipaddress.ip_network(source), check_ingress_source_range=check_source
    )


def test_the_cli_accepts_internal_communication_443_and_22():
    specs = firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET], ssh_cidrs=[USERS], proxy_only_ranges=[PROXY])
    # verifier: error "does not allow for internal communication" unless this holds.
    assert _allows(specs, None, SUBNET)
    # Stricter than the verifier (which ignores the source for 443 and 22): from the users' range.
    assert _allows(specs, 443, USERS) and _allows(specs, 22, USERS)
    assert not _allows(specs, 443, "192.0.2.0/24") and not _allows(specs, 8265, USERS)
    # verifier, shared VPC: 8000 from both health-check ranges and from the proxy-only subnet.
    assert _allows(specs, 8000, "35.191.0.0/16") and _allows(specs, 8000, "130.211.0.0/22")
    assert _allows(specs, 8000, PROXY) and not _allows(specs, 443, PROXY)
    # The verifier's own 443/22 calls (source not checked) pass too.
    assert _allows(specs, 443, "0.0.0.0/0", check_source=False) and _allows(specs, 22, "0.0.0.0/0", check_source=False)


def test_without_the_internal_rule_the_cli_refuses():
    specs = [r for r in firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET]) if r.key != "internal"]
    assert not _allows(specs, None, SUBNET)


def test_ssh_is_closed_when_off():
    specs = firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET])
    assert not _allows(specs, 22, USERS)


def test_the_verifier_still_checks_what_we_mirror():
    """A drift alarm: the verifier's calls our checks copy are still in the pinned CLI."""
    spec = importlib.util.find_spec("anyscale")
    source = (Path(spec.origin).parent / "gcp_verification.py").read_text()
    for needle in (
        'check_inbound_firewall_permissions(rules, Protocol.tcp, None, subnet)',
        'rules, Protocol.tcp, {8000}, ipaddress.ip_network("35.191.0.0/16")',
        'rules, Protocol.tcp, {8000}, ipaddress.ip_network("130.211.0.0/22")',
        'if rule.action == "allow"',
    ):
        assert needle in source, needle


def test_the_verifier_passes_a_shared_private_vpc_policy():
    """The whole of verify_firewall_policy, on the rules we would create, strict."""
    compute_v1 = pytest.importorskip("google.cloud.compute_v1")
    verification = pytest.importorskip("anyscale.gcp_verification")
    specs = firewall_rules(ingress_cidrs=[USERS], internal_ranges=[SUBNET], ssh_cidrs=[USERS], proxy_only_ranges=[PROXY])

    def policy(specs):
        return compute_v1.FirewallPolicy(
            associations=[compute_v1.FirewallPolicyAssociation(attachment_target=f"https://x/{VPC_ID}")],
            rules=[
                compute_v1.FirewallPolicyRule(
                    action="allow",
                    direction="INGRESS",
                    priority=s.priority,
                    match=compute_v1.FirewallPolicyRuleMatcher(
                        src_ip_ranges=list(s.source_ranges),
                        layer4_configs=[compute_v1.FirewallPolicyRuleMatcherLayer4Config(ip_protocol=s.protocol, ports=list(s.ports))],
                    ),
                )
                for s in specs
            ],
        )

    messages = []
    logger = SimpleNamespace(
        internal=SimpleNamespace(
            warning=messages.append, error=messages.append, info=lambda m: None, log_resource_error=lambda *a: None
        ),
        log_resource_not_found_error=lambda *a: messages.append(a),
    )

    def factory(found):
        subnets = [compute_v1.Subnetwork(ip_cidr_range=PROXY, purpose="REGIONAL_MANAGED_PROXY", network=f"x/{VPC_ID}")]
        return SimpleNamespace(
            compute_v1=SimpleNamespace(
                NetworkFirewallPoliciesClient=lambda: SimpleNamespace(get=lambda **kw: found),
                SubnetworksClient=lambda: SimpleNamespace(
                    get=lambda **kw: compute_v1.Subnetwork(ip_cidr_range=SUBNET), list=lambda **kw: subnets
                ),
            )
        )

    def verify(specs):
        messages.clear()
        return verification.verify_firewall_policy(
            factory(policy(specs)),
            ["p"],
            "anyscale-vpc",
            ["s"],
            "acme-net-host",
            "us-central1",
            use_shared_vpc=True,
            is_private_service_cloud=True,
            logger=logger,
            strict=True,
        )

    assert verify(specs) is True, messages
    assert messages == []
    for dropped, said in (
        ("proxy-only", "does not allow inbound access from the proxy-only subnet on port 8000"),
        ("health-checks", "does not allow inbound access on port 8000 from '35.191.0.0/16' and '130.211.0.0/22'"),
        ("internal", "does not allow for internal communication"),
    ):
        assert verify([s for s in specs if s.key != dropped]) is False
        assert any(said in str(m) for m in messages), (dropped, messages)


# --- the component --------------------------------------------------------------------------
def test_new_policy_association_and_rules(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpFirewall("c", _args()))
    policy = result.one(POLICY)
    assert policy.inputs == {"description": "Anyscale cloud: internal traffic, Google load balancers, HTTPS from users"}
    policy_name = policy.outputs["name"]
    association = result.one(ASSOCIATION)
    assert association.inputs == {"firewallPolicy": policy_name, "attachmentTarget": VPC_ID}
    assert association.deleted_with is None
    rules = {r.name: r for r in result.by_type(RULE)}
    assert set(rules) == {"c-internal", "c-health-checks", "c-https"}
    assert rules["c-internal"].inputs == {
        "firewallPolicy": policy_name,
        "ruleName": "anyscale-internal",
        "description": "All traffic within the cloud subnet: Ray, object transfers, Filestore (verifier: internal communication)",
        "priority": 1000,
        "direction": "INGRESS",
        "action": "allow",
        "enableLogging": False,
        "match": {"srcIpRanges": ["10.0.0.0/20"], "layer4Configs": [{"ipProtocol": "all"}]},
    }
    assert rules["c-health-checks"].inputs["match"] == {
        "srcIpRanges": ["35.191.0.0/16", "130.211.0.0/22"],
        "layer4Configs": [{"ipProtocol": "tcp", "ports": ["8000"]}],
    }
    assert rules["c-health-checks"].inputs["priority"] == 1100
    assert rules["c-https"].inputs["match"] == {
        "srcIpRanges": ["203.0.113.0/24"],
        "layer4Configs": [{"ipProtocol": "tcp", "ports": ["443"]}],
    }
    assert rules["c-https"].inputs["priority"] == 1300
    assert all(r.deleted_with == policy.urn for r in rules.values())
    component = result.one("anyscale-infra:index:AnyscaleGcpFirewall")
    assert all(r.parent == component.urn for r in result.resources if r.custom)
    outputs = result.component_outputs[component.urn]
    assert outputs["firewall_policy_name"] == policy_name
    assert outputs["firewall_policy_id"] == f"projects/acme-ml-prod/global/firewallPolicies/{policy_name}"
    assert result.warnings == []


def test_ssh_iap_proxy_only_logging_targets_and_name(gcp_preview):
    args = _args(
        enable_ssh=True,
        ssh_cidr_blocks=["198.51.100.7/32"],
        enable_iap_ssh=True,
        proxy_only_subnet_cidr=PROXY,
        enable_logging=True,
        target_service_accounts=["anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com"],
        firewall_policy_name="anyscale-fw",
        project_id="acme-ml-prod",
    )
    result = gcp_preview(lambda: AnyscaleGcpFirewall("c", args))
    assert result.one(POLICY).inputs["name"] == "anyscale-fw"
    rules = _rules(result)
    assert {name: (r["priority"], r["match"]["srcIpRanges"], r["match"]["layer4Configs"]) for name, r in rules.items()} == {
        "c-internal": (1000, ["10.0.0.0/20"], [{"ipProtocol": "all"}]),
        "c-health-checks": (1100, ["35.191.0.0/16", "130.211.0.0/22"], [{"ipProtocol": "tcp", "ports": ["8000"]}]),
        "c-proxy-only": (1200, ["10.1.0.0/23"], [{"ipProtocol": "tcp", "ports": ["8000"]}]),
        "c-https": (1300, ["203.0.113.0/24"], [{"ipProtocol": "tcp", "ports": ["443"]}]),
        "c-ssh": (1400, ["198.51.100.7/32"], [{"ipProtocol": "tcp", "ports": ["22"]}]),
        "c-iap-ssh": (1500, ["35.235.240.0/20"], [{"ipProtocol": "tcp", "ports": ["22"]}]),
    }
    for r in rules.values():
        assert r["enableLogging"] is True
        assert r["targetServiceAccounts"] == ["anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com"]
        assert r["project"] == "acme-ml-prod" and r["firewallPolicy"] == "anyscale-fw"
    assert result.one(ASSOCIATION).inputs["project"] == "acme-ml-prod"


def test_ssh_defaults_to_the_ingress_blocks(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpFirewall("c", _args(ingress_cidr_blocks=[USERS, "192.0.2.0/24"], enable_ssh=True)))
    assert _rules(result)["c-ssh"]["match"]["srcIpRanges"] == ["203.0.113.0/24", "192.0.2.0/24"]


def test_ssh_open_to_the_world_warns(gcp_preview):
    result = gcp_preview(lambda: AnyscaleGcpFirewall("c", _args(ingress_cidr_blocks=["0.0.0.0/0"], enable_ssh=True)))
    assert any("ssh is open to 0.0.0.0/0" in w for w in result.warnings)


def test_turning_ssh_on_renames_no_rule(gcp_preview):
    off = gcp_preview(lambda: AnyscaleGcpFirewall("c", _args()))
    on = gcp_preview(lambda: AnyscaleGcpFirewall("c", _args(enable_ssh=True, enable_iap_ssh=True)))
    off_rules = {r.urn: r.inputs["priority"] for r in off.by_type(RULE)}
    on_rules = {r.urn: r.inputs["priority"] for r in on.by_type(RULE)}
    assert off_rules.items() <= on_rules.items()


def test_existing_policy_creates_nothing(gcp_preview):
    holder = {}

    def program():
        holder["fw"] = AnyscaleGcpFirewall("c", AnyscaleGcpFirewallArgs(existing_firewall_policy_name="corp-fw"))

    result = gcp_preview(program)
    assert [r for r in result.resources if r.custom] == []
    component = result.one("anyscale-infra:index:AnyscaleGcpFirewall")
    assert result.component_outputs[component.urn]["firewall_policy_name"] == "corp-fw"
    assert holder["fw"].rule_specs == []


def test_wired_to_a_new_network(gcp_preview):
    def program():
        net = AnyscaleGcpNetwork("n", AnyscaleGcpNetworkArgs(networking="private"))
        AnyscaleGcpFirewall("c", AnyscaleGcpFirewallArgs.for_network(net, ingress_cidr_blocks=[USERS]))

    result = gcp_preview(program)
    vpc = result.one("gcp:compute/network:Network")
    association = result.one(ASSOCIATION).inputs
    assert association["attachmentTarget"] == vpc.id
    # verifier: the association's last path segment is the VPC's name.
    assert association["attachmentTarget"].split("/")[-1] == vpc.outputs["name"]
    assert result.one(POLICY).inputs["project"] == "acme-ml-prod"
    rules = _rules(result)
    assert rules["c-internal"]["match"]["srcIpRanges"] == ["10.0.0.0/20"]
    assert rules["c-proxy-only"]["match"]["srcIpRanges"] == ["10.1.0.0/23"]


def test_direct_network_without_proxy_only_subnet_gets_no_proxy_rule(gcp_preview):
    def program():
        net = AnyscaleGcpNetwork("n", AnyscaleGcpNetworkArgs())
        AnyscaleGcpFirewall("c", AnyscaleGcpFirewallArgs.for_network(net, ingress_cidr_blocks=[USERS]))

    assert set(_rules(gcp_preview(program))) == {"c-internal", "c-health-checks", "c-https"}


def test_shared_vpc_policy_lives_in_the_host_project(gcp_preview):
    def program():
        net = AnyscaleGcpNetwork(
            "n",
            AnyscaleGcpNetworkArgs(
                networking="private",
                project_id="acme-ml-prod",
                existing_vpc_name="shared-vpc",
                existing_subnet_name="anyscale",
                existing_subnet_cidr="10.20.0.0/20",
                host_project_id="acme-net-host",
                existing_proxy_only_subnet_cidr="10.30.0.0/23",
            ),
        )
        AnyscaleGcpFirewall("c", AnyscaleGcpFirewallArgs.for_network(net, ingress_cidr_blocks=[USERS]))

    result = gcp_preview(program)
    assert result.one(POLICY).inputs["project"] == "acme-net-host"
    assert result.one(ASSOCIATION).inputs == {
        "firewallPolicy": result.one(POLICY).outputs["name"],
        "attachmentTarget": "projects/acme-net-host/global/networks/shared-vpc",
        "project": "acme-net-host",
    }
    rules = _rules(result)
    assert {r["project"] for r in rules.values()} == {"acme-net-host"}
    assert rules["c-internal"]["match"]["srcIpRanges"] == ["10.20.0.0/20"]
    assert rules["c-proxy-only"]["match"]["srcIpRanges"] == ["10.30.0.0/23"]


def test_depends_on_given_to_the_component_reaches_every_child(gcp_preview):
    def program():
        api = gcp.projects.Service("compute-api", service="compute.googleapis.com")
        AnyscaleGcpFirewall("c", _args(), opts=pulumi.ResourceOptions(depends_on=[api]))

    result = gcp_preview(program)
    api = result.named("compute-api")
    children = [r for r in result.resources if r.custom and r.type.startswith("gcp:compute")]
    assert len(children) == 5 and all(api.urn in r.dependencies for r in children)


def test_explicit_provider_is_used(gcp_preview):
    def program():
        provider = gcp.Provider("other", project="acme-net-host", region="europe-west4")
        AnyscaleGcpFirewall("c", _args(), opts=pulumi.ResourceOptions(providers=[provider]))

    result = gcp_preview(program)
    assert all("::other::" in (r.provider or "") for r in result.resources if r.custom and r.type.startswith("gcp:compute"))
    assert result.one(POLICY).id.startswith("projects/acme-net-host/global/firewallPolicies/")


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(vpc_id=None), "vpc_id", "is required for a new firewall policy"),
        (dict(subnet_cidrs=[]), "subnet_cidrs", "allows internal communication"),
    ],
)
def test_wired_fields_are_required_before_any_resource(gcp_preview, kwargs, field, needle):
    with pytest.raises(ProgramError) as info:
        gcp_preview(lambda: AnyscaleGcpFirewall("c", _args(**kwargs)))
    error = info.value.cause
    assert isinstance(error, InvalidArgsError), repr(error)
    assert error.fields == [field]
    assert needle in str(error)


def test_outputs_are_accepted_where_the_network_wires_them(gcp_preview):
    def program():
        AnyscaleGcpFirewall(
            "c",
            _args(
                vpc_id=pulumi.Output.from_input(VPC_ID),
                subnet_cidrs=[pulumi.Output.from_input(SUBNET)],
                project_id=pulumi.Output.from_input("acme-ml-prod"),
            ),
        )

    result = gcp_preview(program)
    assert _rules(result)["c-internal"]["match"]["srcIpRanges"] == ["10.0.0.0/20"]
    assert result.one(ASSOCIATION).inputs["attachmentTarget"] == VPC_ID


def test_empty_ingress_list_says_why_and_how():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpFirewallArgs(vpc_id=VPC_ID, subnet_cidrs=[SUBNET])
    assert info.value.fields == ["ingress_cidr_blocks"]
    assert "nobody could reach clusters on port 443" in str(info.value)
    assert "'0.0.0.0/0'" in str(info.value)


@pytest.mark.parametrize("field", ["ingress_cidr_blocks", "ssh_cidr_blocks"])
def test_at_most_5000_ranges_per_rule(field):
    ranges = [str(ipaddress.IPv4Address("10.0.0.0") + i) + "/32" for i in range(5001)]
    extra = {"enable_ssh": True} if field == "ssh_cidr_blocks" else {}
    _args(**{field: ranges[:5000]}, **extra)
    with pytest.raises(InvalidArgsError) as info:
        _args(**{field: ranges}, **extra)
    assert info.value.fields == [field]
    assert "has 5001 ranges; a firewall policy rule takes at most 5000" in str(info.value)


NEW_POLICY_ONLY = {
    "ingress_cidr_blocks": [USERS],
    "enable_ssh": False,
    "ssh_cidr_blocks": [USERS],
    "enable_iap_ssh": False,
    "enable_health_checks": True,
    "enable_logging": False,
    "target_service_accounts": ["anyscale-nodes@acme-ml-prod.iam.gserviceaccount.com"],
    "firewall_policy_name": "anyscale-fw",
    "description": "mine",
}


@pytest.mark.parametrize("field", sorted(NEW_POLICY_ONLY))
def test_settings_of_a_new_policy_conflict_with_an_existing_policy(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpFirewallArgs(existing_firewall_policy_name="corp-fw", **{field: NEW_POLICY_ONLY[field]})
    assert info.value.fields == [field]
    assert f"only one of existing_firewall_policy_name and {field} can be specified" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(ssh_cidr_blocks=[USERS]), "ssh_cidr_blocks", "needs enable_ssh=True"),
        (dict(ingress_cidr_blocks=["203.0.113.1/24"]), "ingress_cidr_blocks", "host bits set"),
        (dict(ingress_cidr_blocks=["203.0.113.0/33"]), "ingress_cidr_blocks", "invalid prefix length"),
        (dict(ingress_cidr_blocks=[USERS, USERS]), "ingress_cidr_blocks", "lists 203.0.113.0/24 more than once"),
        (dict(ingress_cidr_blocks=USERS), "ingress_cidr_blocks", "valid list"),
        (dict(enable_ssh=True, ssh_cidr_blocks=["nope"]), "ssh_cidr_blocks", "is not an IPv4 CIDR block"),
        (dict(subnet_cidrs=["0.0.0.0/0"]), "subnet_cidrs", "admits every address to every port"),
        (dict(subnet_cidrs=["10.0.0.1/20"]), "subnet_cidrs", "host bits set"),
        (dict(subnet_cidrs=[SUBNET, SUBNET]), "subnet_cidrs", "more than once"),
        (dict(proxy_only_subnet_cidr="0.0.0.0/0"), "proxy_only_subnet_cidr", "admits every address"),
        (dict(proxy_only_subnet_cidr="10.1.0.0"), "proxy_only_subnet_cidr", "is not an IPv4 CIDR block"),
        (dict(project_id="123456789012"), "project_id", "that is a project NUMBER"),
        (dict(firewall_policy_name="Anyscale FW"), "firewall_policy_name", "RFC 1035"),
        (dict(target_service_accounts=["nodes@example.com"]), "target_service_accounts", "is not a service account email"),
        (dict(priority=5), "priority", "is not a known argument"),
    ],
)
def test_bad_arguments_name_the_field_and_rule(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        _args(**kwargs)
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_bad_existing_policy_name():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpFirewallArgs(existing_firewall_policy_name="projects/p/global/firewallPolicies/x")
    assert info.value.fields == ["existing_firewall_policy_name"]
    assert "RFC 1035" in str(info.value)

"""Fuzzing the command line, GCP: whatever a user puts in the GCP stack config of the root
project, `anyscale-infra preview` answers with a plan (exit 0) or one clear paragraph naming
a config key or an args field (exit 2) — never a traceback, never a crash (exit 1). Valid
configs always preview, and the register flags follow them."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from anyscale_infra.cli import EXIT_BAD_INPUT, main
from anyscale_infra.gcp.config import CONFIG_KEYS

ROOT = Path(__file__).resolve().parents[2]
GCP = {"provider": "gcp", "gcp:project": "acme-ml-prod", "gcp:region": "us-central1"}
#: Keys a message may name besides ours: the Google provider's project and region feed
#: projectId/region, and the root program reads `provider` itself.
OTHER_KEYS = {"gcp:project", "gcp:region", "anyscale-cloud:provider"}


def run(config: dict[str, str], *flags: str):
    args = ["preview", str(ROOT), "--json", *flags]
    for key, value in {**GCP, **config}.items():
        args += ["--config", f"{key}={value}"]
    return CliRunner().invoke(main, args)


cidr = st.builds(
    lambda first, a, b, p: f"{first}.{a}.{b}.0/{p}",
    st.sampled_from(["10", "172", "192", "8"]), st.integers(0, 255), st.integers(0, 255), st.integers(8, 32),
)
scalar = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 3000).map(str),
    st.sampled_from(["true", "false", "direct", "private", "", "1024", "2560", "10240", "5", "300"]),
    cidr,
    st.sampled_from([
        # Google Cloud shapes, right and wrong
        "acme-ml-prod", "acme-net-host", "123456789012", "us-central1", "us-central1-a", "us-east1-b", "us-central10-a",
        "europe-west4", "US", "EU", "NAM4", "BASIC_HDD", "BASIC_SSD", "ZONAL", "REGIONAL", "ENTERPRISE", "STANDARD",
        "anyscale-vpc", "Bad_Name", "gs://corp-data", "goog-data", "org_abc123", "cld_abc123",
        "corp-sa@acme-ml-prod.iam.gserviceaccount.com", "x@gmail.com",
        "projects/123456789012/locations/global/workloadIdentityPools/corp-pool/providers/anyscale-aws",
        "projects/acme-ml-prod/locations/global/workloadIdentityPools/corp-pool/providers/anyscale-aws",
        "projects/acme-ml-prod/locations/us-central1/instances/corp-redis",
        "projects/acme-ml-prod/locations/us-east1/instances/corp-redis",
        "projects/acme-kms/locations/us-central1/keyRings/a/cryptoKeys/b",
    ]),
)
structured = st.one_of(
    st.lists(st.one_of(cidr, st.text(max_size=12)), max_size=4).map(json.dumps),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3).map(json.dumps),
    st.dictionaries(st.sampled_from(["team", "env", "Team"]), st.sampled_from(["ml", "ML", "", "a" * 64]), max_size=2).map(json.dumps),
)
keys = st.sampled_from(sorted(CONFIG_KEYS) + ["gcp:project", "gcp:region"])
overrides = st.dictionaries(keys, st.one_of(scalar, structured), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides)
def test_any_gcp_config_gives_a_plan_or_a_clear_error(config):
    outcome = run(config)
    event(f"exit {outcome.exit_code}")
    assert outcome.exit_code in (0, EXIT_BAD_INPUT), outcome.output
    assert "Traceback" not in outcome.output
    if outcome.exit_code == EXIT_BAD_INPUT:
        message = " ".join(outcome.output.split())
        assert message.startswith("error: "), message
        # One paragraph that points at what to fix: a config key the project reads, or a
        # field of the args model that rejected the value.
        named = re.findall(r"((?:anyscale-cloud|gcp):\w+): ", message)
        fields = re.findall(r"invalid (\w+Args): ([\w.]+): ", message)
        assert named or fields, message
        ours = {f"anyscale-cloud:{key}" for key in CONFIG_KEYS}
        assert set(named) <= ours | OTHER_KEYS, message
    else:
        plan = json.loads(outcome.output)
        assert plan["outputs"]["register_command"].startswith("anyscale cloud register --provider gcp ")


def rfc1918(first: str, second: int, third: int, prefix: int) -> str:
    base = {"10": f"10.{second}", "172": f"172.{16 + second % 16}", "192": "192.168"}[first]
    return str(ipaddress.ip_network(f"{base}.{third}.0/{prefix}", strict=False))


valid_configs = st.fixed_dictionaries(
    {
        "networking": st.sampled_from(["direct", "private"]),
        "enableFilestore": st.booleans().map(lambda b: "true" if b else "false"),
        "enableMemorystore": st.booleans().map(lambda b: "true" if b else "false"),
        "subnetCidr": st.builds(
            rfc1918, st.sampled_from(["10", "172", "192"]), st.integers(0, 255), st.integers(0, 255), st.integers(16, 24)
        ),
        "ingressCidrs": st.lists(
            cidr.map(lambda c: str(ipaddress.ip_network(c, strict=False))), min_size=1, max_size=3, unique=True
        ).map(json.dumps),
    }
)

PROXY_ONLY_DEFAULT = ipaddress.ip_network("10.1.0.0/23")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs)
def test_valid_gcp_config_always_previews_and_the_flags_follow_it(config):
    private = config["networking"] == "private"
    # Private networking adds the default proxy-only subnet, 10.1.0.0/23: a cloud subnet
    # over it is refused (tests/test_bad_input_gcp.py), not a valid config.
    assume(not (private and ipaddress.ip_network(config["subnetCidr"]).overlaps(PROXY_ONLY_DEFAULT)))
    outcome = run(config, "--show-secrets")
    assert outcome.exit_code == 0, outcome.output
    plan = json.loads(outcome.output)
    flags = plan["outputs"]["register_args"]
    assert ("--private-network" in flags) == private
    assert ("--filestore-instance-id" in flags) == (config["enableFilestore"] == "true")
    assert ("--filestore-location" in flags) == (config["enableFilestore"] == "true")
    assert ("--memorystore-instance-name" in flags) == (config["enableMemorystore"] == "true")
    assert "--host-project-id" not in flags
    assert (flags["--project-id"], flags["--region"]) == ("acme-ml-prod", "us-central1")
    resources = plan["resources"]

    def of(typ):
        return [r for r in resources if r["type"] == typ]

    subnets = {r["inputs"].get("purpose", "PRIVATE"): r["inputs"] for r in of("gcp:compute/subnetwork:Subnetwork")}
    assert subnets["PRIVATE"]["ipCidrRange"] == config["subnetCidr"]
    assert re.fullmatch(r"anyscale-subnet-[0-9a-f]{7}", flags["--subnet-names"]), flags  # auto-named, one subnet
    assert ("REGIONAL_MANAGED_PROXY" in subnets) == private
    assert len(of("gcp:compute/routerNat:RouterNat")) == (1 if private else 0)
    rules = {r["inputs"]["ruleName"]: r["inputs"] for r in of("gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule")}
    assert rules["anyscale-https"]["match"]["srcIpRanges"] == json.loads(config["ingressCidrs"])
    assert rules["anyscale-internal"]["match"]["srcIpRanges"] == [config["subnetCidr"]]
    assert ("anyscale-proxy-only" in rules) == private
    assert len(of("gcp:filestore/instance:Instance")) == (1 if config["enableFilestore"] == "true" else 0)
    assert len(of("gcp:redis/instance:Instance")) == (1 if config["enableMemorystore"] == "true" else 0)
    apis = {r["inputs"]["service"] for r in of("gcp:projects/service:Service")}
    assert ("redis.googleapis.com" in apis) == (config["enableMemorystore"] == "true")

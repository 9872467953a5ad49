"""Fuzzing the command line: whatever a user puts in stack config, `anyscale-infra preview`
answers with a plan (exit 0) or one clear paragraph naming the config key (exit 2) —
never a traceback, never a crash (exit 1)."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from anyscale_infra.aws.config import CONFIG_KEYS
from anyscale_infra.cli import EXIT_BAD_INPUT, main

ROOT = Path(__file__).resolve().parents[2]

cidr = st.builds(
    lambda a, b, p: f"10.{a}.{b}.0/{p}", st.integers(0, 255), st.integers(0, 255), st.integers(8, 32)
)
scalar = st.one_of(
    st.text(max_size=30),
    st.integers(-5, 70).map(str),
    st.sampled_from(["true", "false", "direct", "private", "single", "one_per_az", "none", ""]),
    cidr,
    st.sampled_from(["org_abc123", "cld_abc123", "vpc-0a1b2c3d4e5f67890", "arn:aws:iam::000000000001:role/x"]),
)
structured = st.one_of(
    st.lists(st.one_of(cidr, st.text(max_size=12)), max_size=4).map(json.dumps),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3).map(json.dumps),
)
overrides = st.dictionaries(st.sampled_from(sorted(CONFIG_KEYS)), st.one_of(scalar, structured), min_size=1, max_size=3)



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides)
def test_any_config_gives_a_plan_or_a_clear_error(config):
    args = ["preview", str(ROOT), "--json"]
    for key, value in config.items():
        args += ["--config", f"{key}={value}"]
    outcome = CliRunner().invoke(main, args)
    event(f"exit {outcome.exit_code}")
    assert outcome.exit_code in (0, EXIT_BAD_INPUT), outcome.output
    assert "Traceback" not in outcome.output
    if outcome.exit_code == EXIT_BAD_INPUT:
        message = " ".join(outcome.output.split())
        assert message.startswith("error: ")
        # One paragraph that points at what to fix: a config key the project reads, or a
        # field of the args model that rejected the value.
        keys = re.findall(r"anyscale-cloud:(\w+)", message)
        fields = re.findall(r"invalid (\w+Args): ([\w.]+): ", message)
        assert keys or fields, message
        assert set(keys) <= set(CONFIG_KEYS) | {"exportDeployerPolicy"}, message
    else:
        assert json.loads(outcome.output)["outputs"]["register_command"] == "[secret]"


valid_configs = st.fixed_dictionaries(
    {
        "networking": st.sampled_from(["direct", "private"]),
        "azCount": st.integers(2, 4).map(str),
        "vpcCidr": st.builds(lambda a, p: f"10.{a}.0.0/{p}", st.integers(0, 255), st.integers(16, 20)),
        "enableMemorydb": st.booleans().map(lambda b: "true" if b else "false"),
        "enableFileSystem": st.booleans().map(lambda b: "true" if b else "false"),
        "ingressCidrs": st.lists(
            cidr.map(lambda c: str(ipaddress.ip_network(c, strict=False))), min_size=1, max_size=3, unique=True
        ).map(json.dumps),
    }
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs)
def test_valid_config_always_previews_and_the_command_follows_it(config):
    args = ["preview", str(ROOT), "--json", "--show-secrets"]
    for key, value in config.items():
        args += ["--config", f"{key}={value}"]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    plan = json.loads(outcome.output)
    flags = plan["outputs"]["register_args"]
    assert ("--private-network" in flags) == (config["networking"] == "private")
    assert ("--memorydb-cluster-id" in flags) == (config["enableMemorydb"] == "true")
    assert ("--file-storage-id" in flags) == (config["enableFileSystem"] == "true")
    assert len(flags["--subnet-ids"].split(",")) == int(config["azCount"])
    assert len(flags["--security-group-ids"].split(",")) == 1
    resources = plan["resources"]
    (vpc,) = [r for r in resources if r["type"] == "aws:ec2/vpc:Vpc"]
    assert vpc["inputs"]["cidrBlock"] == config["vpcCidr"]
    https = {r["inputs"]["cidrIpv4"] for r in resources
             if r["type"] == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" and r["inputs"].get("fromPort") == 443}
    assert https == set(json.loads(config["ingressCidrs"]))
    cluster = [r for r in resources if r["type"] == "aws:ec2/subnet:Subnet"
               and r["inputs"]["tags"]["anyscale-subnet-role"] == ("private" if config["networking"] == "private" else "public")]
    assert len(cluster) == int(config["azCount"])

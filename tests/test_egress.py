"""The egress allowlist (seed 000) as data and as a stack output."""

from __future__ import annotations

from pathlib import Path

import pytest

from anyscale_infra.egress import CLIENT_DOMAINS, DEPRECATED, egress_allowlist
from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.preview import run_program

CLOUD = "cld_abc123def456ghi789jkl012"


def domains(entries):
    return {e["domain"]: e["need"] for e in entries}


def test_vm_deployment_before_registration_uses_wildcards():
    assert domains(egress_allowlist("vm")) == {
        "*.anyscale-cloud.dev": "required",
        "grafana-*.anyscale-cloud.dev": "required",
        "registry-*.anyscale-cloud.dev": "recommended",
        "console.anyscale.com": "recommended",
        "machine-pool.anyscale-cloud.dev": "recommended",
        "support-access.anyscale-cloud.dev": "recommended",
        "derp*.tailscale.com": "recommended",
    }


def test_kubernetes_needs_registry_and_console():
    needs = domains(egress_allowlist("kubernetes", cloud_id=CLOUD, include_recommended=False))
    assert needs == {
        f"{CLOUD}.anyscale-cloud.dev": "required",
        f"grafana-{CLOUD}.anyscale-cloud.dev": "required",
        f"registry-{CLOUD}.anyscale-cloud.dev": "required",
        "console.anyscale.com": "required",
    }


def test_features_turn_domains_on_and_off():
    assert domains(egress_allowlist(machine_pools=True))["machine-pool.anyscale-cloud.dev"] == "required"
    off = domains(egress_allowlist(support_access=False))
    assert "support-access.anyscale-cloud.dev" not in off and "derp*.tailscale.com" not in off


def test_deprecated_domains_are_never_allowed():
    listed = {e["domain"] for kind in ("vm", "kubernetes") for e in egress_allowlist(kind)}
    assert DEPRECATED == ("*.anyscale-test-production.com", "*.anyscale-production.com")
    assert not listed & set(DEPRECATED)
    assert "*.i.anyscaleuserdata.com" in {d.pattern for d in CLIENT_DOMAINS}


def test_every_entry_is_https_and_order_is_stable():
    entries = egress_allowlist("vm")
    assert entries == egress_allowlist("vm")
    assert {(e["port"], e["protocol"]) for e in entries} == {(443, "tcp")}


@pytest.mark.parametrize("kwargs, field", [({"kind": "ecs"}, "kind"), ({"cloud_id": "cloud-1"}, "cloud_id")])
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(InvalidArgsError) as info:
        egress_allowlist(**kwargs)
    assert info.value.fields == [field]


def test_the_root_stack_exports_it():
    result = run_program(Path(__file__).resolve().parents[1], config={"cloudId": CLOUD})
    assert domains(result.outputs["egress_allowlist"]) == domains(egress_allowlist("vm", cloud_id=CLOUD))

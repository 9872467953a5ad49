"""`anyscale-infra check`: the pack's rules over the offline preview of a program."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.cli import EXIT_FAILED, main, policy_records
from anyscale_infra.policy.runner import evaluate
from anyscale_infra.preview import run_program

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ["."] + sorted(f"examples/{p.name}" for p in (ROOT / "examples").iterdir() if (p / "Pulumi.yaml").exists())


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_example_passes_the_pack(program):
    """...and its register command names exactly what it builds (the check-only rules)."""
    result = run_program(ROOT / program)
    # A register command, or (Azure, native registration) the cloud resource it made instead.
    assert any(key.startswith("register") or key == "cloud_resource_id" for key in result.outputs)
    violations = evaluate(policy_records(result), outputs=result.outputs)
    assert [v for v in violations if v.enforcement_level == "mandatory"] == []
    assert sorted(v.policy_id for v in violations) == EXPECTED_ADVISORIES.get(program, [])


#: Advisories some examples get on purpose: each mirrors what `cloud register` itself says.
EXPECTED_ADVISORIES = {
    # Its own VPC (the program's, not ours) has no S3 endpoint.
    "examples/aws-in-your-program": ["anyscale-aws-s3-gateway-endpoint"],
    # The access account's least-privilege role is neither editor nor owner (the CLI asks to
    # confirm), and SSH stays closed (the CLI warns some features need it).
    "examples/gcp-direct": ["anyscale-gcp-access-sa-project-role", "anyscale-gcp-firewall-ssh-ingress"],
    "examples/gcp-private": ["anyscale-gcp-access-sa-project-role", "anyscale-gcp-firewall-ssh-ingress"],
    # (The shared subnet is the host project's: not in the program, so SSH is not judged.)
    "examples/gcp-existing-vpc": ["anyscale-gcp-access-sa-project-role"],
}


def test_scoped_example_passes_the_scoped_rule_with_its_cloud_id():
    config = {"anyscale-aws-scoped-instance-actions": {"cloudId": "cld_previewOnly00000000000000"}}
    records = policy_records(run_program(ROOT / "examples/aws-scoped"))
    assert evaluate(records, config) == []
    # Scoped in its policies, it is judged without the config too; against another cloud id
    # it fails (it could not act on that cloud's instances).
    assert evaluate(records) == []
    other = {"anyscale-aws-scoped-instance-actions": {"cloudId": "cld_another0000000000000000"}}
    assert {v.policy_id for v in evaluate(records, other)} == {"anyscale-aws-scoped-instance-actions"}
    # ...and the direct example (first phase, `*` start/stop) would not pass once scoped.
    direct = policy_records(run_program(ROOT / "examples/aws-direct"))
    assert {v.policy_id for v in evaluate(direct, config)} == {"anyscale-aws-scoped-instance-actions"}


@pytest.fixture
def insecure_program(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: insecure\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent("""
        import pulumi_aws as aws
        aws.memorydb.Cluster("cache", node_type="db.t4g.small", acl_name="open-access", tls_enabled=False,
                             num_replicas_per_shard=0)
    """))
    return tmp_path


def test_check_exits_1_on_mandatory_violations(insecure_program):
    out = CliRunner().invoke(main, ["check", str(insecure_program)])
    assert out.exit_code == EXIT_FAILED
    text = " ".join(out.output.split())
    assert "mandatory anyscale-aws-memorydb-tls urn:pulumi:dev::insecure::aws:memorydb/cluster:Cluster::cache" in text
    assert "mandatory anyscale-aws-memorydb-replicas" in text


def test_check_json_and_sarif(insecure_program):
    as_json = json.loads(CliRunner().invoke(main, ["check", str(insecure_program), "--json"]).output)
    assert {v["policy_id"] for v in as_json} >= {"anyscale-aws-memorydb-tls", "anyscale-aws-memorydb-replicas"}
    sarif = json.loads(CliRunner().invoke(main, ["check", str(insecure_program), "--sarif"]).output)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    tls = next(r for r in results if r["ruleId"] == "anyscale-aws-memorydb-tls")
    assert tls["level"] == "error"
    assert tls["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("::cache")
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} >= {"anyscale-aws-memorydb-tls"}


def test_check_passes_an_example_with_exit_0():
    out = CliRunner().invoke(main, ["check", str(ROOT / "examples/aws-private")])
    assert out.exit_code == 0, out.output
    assert "0 mandatory and 0 advisory violation(s)" in " ".join(out.output.split())


def test_policy_config_file(insecure_program, tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"anyscale-aws-memorydb-tls": "advisory", "anyscale-aws-memorydb-replicas": "disabled"}))
    out = CliRunner().invoke(main, ["check", str(insecure_program), "--policy-config", str(config)])
    assert out.exit_code == 0, out.output
    assert "advisory anyscale-aws-memorydb-tls" in " ".join(out.output.split())


def test_check_without_the_policy_extra_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "anyscale_infra.policy.runner", None)  # import fails as if absent
    out = CliRunner().invoke(main, ["check", str(ROOT / "examples/aws-direct")])
    assert out.exit_code == 2
    assert "pip install 'anyscale-infra[policy]'" in " ".join(out.output.split())


def test_the_pack_imports_no_cloud_sdk():
    """`policies/requirements.txt` installs only the [policy] extra: the rules (and the IAM
    evaluator they ask) must not need pulumi_aws."""
    import subprocess
    import sys

    code = "import sys, anyscale_infra.policy.runner; print(sorted(m for m in sys.modules if m.split('.')[0] in {'pulumi_aws', 'pulumi_random', 'pulumi_gcp', 'pulumi_azure_native', 'pulumi_kubernetes'}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

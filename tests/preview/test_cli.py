"""The `anyscale-infra preview` command: output, exit codes, no raw tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.cli import EXIT_BAD_INPUT, EXIT_FAILED, main

ROOT = Path(__file__).resolve().parents[2]
DIRECT = str(ROOT / "examples" / "aws-direct")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_human_output_has_tree_outputs_command_and_summary():
    out = invoke("preview", DIRECT)
    assert out.exit_code == 0, out.output
    text = out.output
    assert "aws:s3/bucket:Bucket" in text and "anyscale-bucket" in text and "protected" in text
    assert "anyscale cloud register --provider aws" in text
    assert "--external-id '[secret]'" in text  # masked without --show-secrets
    assert "38 resources in 6 components (2 protected), 0 warning(s)" in text
    flowing = " ".join(text.split())  # rich wraps lines at the terminal width
    assert "(preview)" in text and "marked (preview) are placeholders from the mock engine" in flowing


def test_show_secrets_reveals_the_external_id():
    out = invoke("preview", DIRECT, "--show-secrets")
    assert "--external-id org_previewOnly0000000000-" in out.output


def test_json_plan_is_stable_and_complete():
    first = invoke("preview", DIRECT, "--json")
    second = invoke("preview", DIRECT, "--json")
    assert first.exit_code == 0 and first.output == second.output
    plan = json.loads(first.output)
    assert plan["project"] == "anyscale-aws-direct" and plan["stack"] == "preview"
    bucket = next(r for r in plan["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    assert bucket["protect"] is True
    assert bucket["parent"].endswith("anyscale-infra:index:AnyscaleBucket::anyscale")
    assert plan["outputs"]["register_command"] == "[secret]"
    mount = next(r for r in plan["resources"] if r["type"] == "aws:efs/mountTarget:MountTarget")
    assert any(dep.endswith("aws:efs/fileSystem:FileSystem::anyscale-efs") for dep in mount["dependencies"])


def test_config_override_changes_the_plan():
    out = invoke("preview", DIRECT, "--json", "--config", "aws:region=eu-west-1")
    plan = json.loads(out.output)
    subnets = [r for r in plan["resources"] if r["type"] == "aws:ec2/subnet:Subnet"]
    assert {s["inputs"]["availabilityZone"] for s in subnets} == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}


@pytest.mark.parametrize(
    "args, code, needle",
    [
        (["--config", "ingressCidrs=[]"], EXIT_BAD_INPUT, "ingress_cidr_blocks: is empty"),
        (["--config", "orgId=bad"], EXIT_BAD_INPUT, "org_id: 'bad' is not an Anyscale organization id"),
        (["--stack", "prod"], EXIT_BAD_INPUT, "Missing required configuration variable 'anyscale-aws-direct:orgId'"),
        (["--config", "oops"], EXIT_BAD_INPUT, "expected KEY=VALUE"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_2(args, code, needle):
    out = invoke("preview", DIRECT, *args)
    assert out.exit_code == code
    assert needle in " ".join(out.output.split())
    assert "Traceback" not in out.output


def test_not_a_project_is_exit_2(tmp_path):
    out = invoke("preview", str(tmp_path))
    assert out.exit_code == EXIT_BAD_INPUT
    assert "no Pulumi.yaml here" in out.output


def test_program_crash_is_exit_1_with_debug_traceback(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("raise RuntimeError('boom')\n")
    out = invoke("preview", str(tmp_path))
    assert out.exit_code == EXIT_FAILED
    assert "RuntimeError: boom" in out.output and "Traceback" not in out.output
    debug = invoke("preview", str(tmp_path), "--debug")
    assert "Traceback" in debug.output


def test_module_entry_point_runs(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "anyscale_infra", "preview", DIRECT, "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["project"] == "anyscale-aws-direct"


def test_errors_raised_inside_outputs_are_validation_errors_too():
    """The register args are validated in an apply; the SDK wraps that error — still exit 2."""
    out = invoke("preview", str(ROOT), "--config", "existingAnyscaleRoleArn=arn:aws:iam::210987654321:role/x")
    assert out.exit_code == EXIT_BAD_INPUT
    assert "must be in the same AWS account" in " ".join(out.output.split())

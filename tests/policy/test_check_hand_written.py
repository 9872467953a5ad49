"""Done when: `anyscale-infra check` fails (exit 1, a mandatory violation) on a hand-written
stack — plain pulumi_aws, no anyscale_infra component — whose scoping another statement
defeats, whose start permission can never act on an existing instance, or whose register
command names a resource the program does not build; and passes the same stack intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.cli import EXIT_FAILED, main

PROGRAM = Path(__file__).resolve().parent / "programs" / "hand-written"


def check(variant: str):
    outcome = CliRunner().invoke(main, ["check", str(PROGRAM), "--json", "-c", f"variant={variant}"])
    return outcome.exit_code, json.loads(outcome.output) if outcome.output.strip().startswith("[") else outcome.output


def test_the_intact_stack_passes():
    code, violations = check("compliant")
    assert (code, violations) == (0, [])


@pytest.mark.parametrize(
    "variant, rule, needle",
    [
        ("broad-start", "anyscale-aws-scoped-instance-actions",
         "can ec2:StartInstances another cloud's instance (allowed by statement OpsStart of RolePolicy ops)"),
        ("terraform-start", "anyscale-aws-scoped-instance-actions",
         "cannot ec2:StartInstances an existing instance tagged anyscale-cloud-id=cld_handwritten0000000000001"),
        ("foreign-security-group", "anyscale-aws-register-security-groups",
         "--security-group-ids names security group sg-0deadbeefdeadbeef0, which the program neither builds nor references"),
        ("wrong-external-id", "anyscale-aws-register-external-id", "--external-id is [secret], which the trust policy"),
    ],
)
def test_each_defect_fails_the_check(variant, rule, needle):
    code, violations = check(variant)
    assert code == EXIT_FAILED
    mandatory = [v for v in violations if v["enforcement_level"] == "mandatory"]
    assert [v["policy_id"] for v in mandatory] == [rule]
    assert needle in mandatory[0]["message"]

"""Secretness end to end, as the real engine: secret inputs make same-named outputs secret,
`additional_secret_outputs` are secret, secret config reaches the program as secret; the
plan and the human output mask every secret-derived value unless --show-secrets."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from click.testing import CliRunner

from anyscale_infra.cli import main
from anyscale_infra.preview import run_function, run_program
from anyscale_infra.preview.engine import SECRET_MASK
from anyscale_infra.preview.project import PREVIEW_SECRET

ROOT = Path(__file__).resolve().parents[2]
DIRECT = ROOT / "examples" / "aws-direct"


def test_outputs_of_secret_inputs_and_additional_secret_outputs_stay_secret():
    def program():
        role = aws.iam.Role("r", assume_role_policy=pulumi.Output.secret('{"ext":"S3CRET"}'))
        password = random.RandomPassword("pw", length=8)
        pulumi.export("trust", role.assume_role_policy)  # the output of a secret input
        pulumi.export("pw", password.result)  # RandomPassword: additional_secret_outputs
        pulumi.export("arn", role.arn)  # not derived from the secret

    result = run_function(program)
    assert result.secret_outputs == {"trust", "pw"}
    assert result.outputs["trust"] == '{"ext":"S3CRET"}'  # raw values stay available
    assert result.outputs["pw"] == result.named("pw").outputs["result"]
    assert len(result.outputs["pw"]) == 8
    assert result.to_plan()["outputs"] == {"arn": result.outputs["arn"], "pw": SECRET_MASK, "trust": SECRET_MASK}
    assert result.to_plan(show_secrets=True)["outputs"]["trust"] == '{"ext":"S3CRET"}'

    role, password = result.named("r"), result.named("pw")
    assert role.secret_inputs == ["assumeRolePolicy"]
    assert role.secret_outputs == ["assumeRolePolicy"]
    assert password.additional_secret_outputs == ["bcryptHash", "result"]
    assert password.secret_outputs == ["bcryptHash", "result"]
    assert password.to_plan()["additionalSecretOutputs"] == ["bcryptHash", "result"]


def test_secretness_flows_through_apply_into_other_resources():
    def program():
        password = random.RandomPassword("pw", length=12)
        aws.iam.Role("r", assume_role_policy=password.result.apply(lambda p: json.dumps({"p": p})))

    result = run_function(program)
    role = result.named("r")
    assert role.secret_inputs == ["assumeRolePolicy"]
    assert json.loads(role.inputs["assumeRolePolicy"]) == {"p": result.named("pw").outputs["result"]}
    assert role.to_plan()["inputs"]["assumeRolePolicy"] == SECRET_MASK


def test_a_secret_nested_in_a_dict_input_makes_the_whole_property_secret():
    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16", tags={"Name": "v", "Token": pulumi.Output.secret("t0k3n")})
        pulumi.export("tags", vpc.tags)
        pulumi.export("cidr", vpc.cidr_block)

    result = run_function(program)
    vpc = result.named("v")
    assert vpc.inputs["tags"] == {"Name": "v", "Token": "t0k3n"}  # unwrapped, raw
    assert vpc.secret_inputs == ["tags"] and vpc.secret_outputs == ["tags"]
    assert result.secret_outputs == {"tags"}
    plan = result.to_plan()
    assert plan["resources"][0]["inputs"] == {"cidrBlock": "10.0.0.0/16", "tags": SECRET_MASK}
    assert plan["outputs"] == {"cidr": "10.0.0.0/16", "tags": SECRET_MASK}
    assert "t0k3n" not in json.dumps(plan)


def test_component_outputs_keep_their_secretness():
    class Box(pulumi.ComponentResource):
        def __init__(self, name: str):
            super().__init__("test:index:Box", name)
            self.register_outputs({"token": pulumi.Output.secret("s3cr3t"), "plain": "p"})

    result = run_function(lambda: Box("b"))
    urn = result.named("b").urn
    assert result.component_outputs[urn] == {"token": "s3cr3t", "plain": "p"}
    assert result.component_secret_outputs == {urn: ["token"]}


def test_a_read_resource_with_secret_state_has_secret_outputs():
    def program():
        role = aws.iam.Role.get("existing", "existing-role", assume_role_policy=pulumi.Output.secret("{}"))
        pulumi.export("trust", role.assume_role_policy)
        pulumi.export("id", role.id)

    result = run_function(program)
    existing = result.named("existing")
    assert existing.read and existing.secret_inputs == ["assumeRolePolicy"]
    assert existing.secret_outputs == ["assumeRolePolicy"]
    assert result.secret_outputs == {"trust"}
    assert result.outputs["id"] == "existing-role"


def _project(directory: Path, body: str, project_yaml: str, stack_yaml: str) -> Path:
    (directory / "Pulumi.yaml").write_text(textwrap.dedent(project_yaml))
    (directory / "Pulumi.dev.yaml").write_text(textwrap.dedent(stack_yaml))
    (directory / "__main__.py").write_text(textwrap.dedent(body))
    return directory


SECRET_CONFIG_PROGRAM = """\
    import pulumi, pulumi_aws as aws
    config = pulumi.Config()
    pulumi.export("declared_secret", pulumi.runtime.is_config_secret("demo:apiKey"))
    pulumi.export("encrypted_secret", pulumi.runtime.is_config_secret("demo:password"))
    role = aws.iam.Role("r", assume_role_policy=config.require_secret("password"))
    pulumi.export("trust", role.assume_role_policy)
    pulumi.export("password", config.get_secret("password"))
    pulumi.export("api_key", config.require_secret("apiKey"))
    pulumi.export("plain_get", config.require("password"))  # the SDK: `require` is not secret
"""


def test_secret_config_reaches_the_program_as_secret(tmp_path):
    directory = _project(
        tmp_path,
        SECRET_CONFIG_PROGRAM,
        "name: demo\nruntime: python\nconfig:\n  apiKey: {type: string, secret: true, default: k3y}\n",
        "config:\n  demo:password:\n    secure: AAABAJf0gE1Y\n",
    )
    result = run_program(directory)
    assert result.outputs["declared_secret"] is True and result.outputs["encrypted_secret"] is True
    assert result.outputs["password"] == PREVIEW_SECRET and result.outputs["api_key"] == "k3y"
    assert result.secret_outputs == {"trust", "password", "api_key"}
    role = result.named("r")
    assert role.inputs["assumeRolePolicy"] == PREVIEW_SECRET
    assert role.secret_inputs == ["assumeRolePolicy"] and role.secret_outputs == ["assumeRolePolicy"]
    plan = result.to_plan()
    assert plan["outputs"]["trust"] == plan["outputs"]["password"] == plan["outputs"]["api_key"] == SECRET_MASK
    assert plan["resources"][0]["inputs"]["assumeRolePolicy"] == SECRET_MASK
    assert "k3y" not in json.dumps(plan)


def _external_id() -> str:
    out = CliRunner().invoke(main, ["preview", str(DIRECT), "--json", "--show-secrets"])
    assert out.exit_code == 0, out.output
    command = json.loads(out.output)["outputs"]["register_command"]
    words = command.split()
    external_id = words[words.index("--external-id") + 1]
    assert external_id.startswith("org_previewOnly0000000000-") and len(external_id) > 30
    return external_id


def test_json_plan_of_aws_direct_never_contains_the_external_id_unless_show_secrets():
    external_id = _external_id()
    random_part = external_id.rpartition("-")[2]
    masked = CliRunner().invoke(main, ["preview", str(DIRECT), "--json"])
    assert masked.exit_code == 0
    assert external_id not in masked.output and random_part not in masked.output
    plan = json.loads(masked.output)
    assert plan["outputs"]["register_command"] == plan["outputs"]["register_args"] == SECRET_MASK
    anyscale_role = next(r for r in plan["resources"] if r["name"] == "anyscale-anyscale-role")
    assert anyscale_role["inputs"]["assumeRolePolicy"] == SECRET_MASK  # the trust policy names it

    shown = CliRunner().invoke(main, ["preview", str(DIRECT), "--json", "--show-secrets"])
    assert shown.output.count(external_id) >= 3  # command, args and the role's trust policy


def test_human_output_of_aws_direct_masks_the_external_id():
    external_id = _external_id()
    out = CliRunner().invoke(main, ["preview", str(DIRECT)])
    assert out.exit_code == 0
    assert external_id.rpartition("-")[2] not in out.output
    assert "--external-id '[secret]'" in out.output
    assert f"--external-id {external_id}" in CliRunner().invoke(main, ["preview", str(DIRECT), "--show-secrets"]).output


def test_an_encrypted_value_nested_in_structured_config_makes_the_key_secret(tmp_path):
    body = """\
        import pulumi
        db = pulumi.Config().require_object("db")
        pulumi.export("db_secret", pulumi.runtime.is_config_secret("demo:db"))
        pulumi.export("db", pulumi.Config().require_secret_object("db"))
        pulumi.export("host", db["host"])
    """
    directory = _project(
        tmp_path, body, "name: demo\nruntime: python\n",
        "config:\n  demo:db:\n    host: db.internal\n    password:\n      secure: AAABAJf0gE1Y\n",
    )  # fmt: skip
    result = run_program(directory)
    assert result.outputs["db_secret"] is True
    assert result.outputs["db"] == {"host": "db.internal", "password": PREVIEW_SECRET}
    assert result.secret_outputs == {"db"}
    assert "AAABAJf0gE1Y" not in json.dumps(result.to_plan(show_secrets=True))
    assert any("demo:db is encrypted in Pulumi.dev.yaml" in note for note in result.notes)


def test_the_human_tree_masks_secret_inputs_unless_show_secrets():
    from rich.console import Console

    from anyscale_infra.preview.render import render

    def program():
        aws.iam.Role("r", name=pulumi.Output.secret("hidden-role-name"), assume_role_policy="{}")
        pulumi.export("name", aws.iam.Role("plain", assume_role_policy="{}").name)

    result = run_function(program)

    def shown(show_secrets: bool) -> str:
        console = Console(record=True, width=200)
        render(result, console, show_secrets=show_secrets)
        return console.export_text()

    assert "name=[secret]" in shown(False) and "hidden-role-name" not in shown(False)
    assert "name=hidden-role-name" in shown(True)

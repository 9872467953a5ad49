"""The offline engine records what `pulumi up` would see: real URNs, options, outputs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.preview import PREVIEW_ACCOUNT_ID, ProgramError, ProjectError, run_function, run_program
from anyscale_infra.preview.project import PREVIEW_SECRET, load_project, parse_overrides


class _Box(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__("test:index:Box", name, None, opts)
        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"vpc_id": self.vpc.id})


def test_urns_carry_the_whole_parent_type_chain_like_the_real_engine():
    def program():
        outer = _Box("outer")
        _Box("inner", opts=pulumi.ResourceOptions(parent=outer))

    result = run_function(program)
    urns = {r.name: r.urn for r in result.resources}
    assert urns["outer"] == "urn:pulumi:preview::preview::test:index:Box::outer"
    assert urns["inner-vpc"] == (
        "urn:pulumi:preview::preview::test:index:Box$test:index:Box$aws:ec2/vpc:Vpc::inner-vpc"
    )
    assert result.named("inner").parent == urns["outer"]
    assert result.named("outer").parent is None


def test_ids_are_provider_shaped_and_deterministic():
    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        role = aws.iam.Role("r", assume_role_policy="{}")
        bucket = aws.s3.Bucket("Data")
        pulumi.export("vpc", vpc.id)
        pulumi.export("role_arn", role.arn)
        pulumi.export("bucket", bucket.bucket)

    first, second = run_function(program), run_function(program)
    assert first.outputs == second.outputs
    assert first.outputs["vpc"].startswith("vpc-0") and len(first.outputs["vpc"]) == len("vpc-") + 17
    assert first.outputs["role_arn"].startswith(f"arn:aws:iam::{PREVIEW_ACCOUNT_ID}:role/r-")
    assert first.outputs["bucket"].startswith("data-")  # auto-names are lower-cased for S3
    assert PREVIEW_ACCOUNT_ID != "123456789012"  # the placeholder `cloud register` rejects


def test_data_sources_answer_for_the_configured_region():
    def program():
        zones = aws.get_availability_zones(state="available")
        pulumi.export("zones", zones.names)
        pulumi.export("region", aws.get_region().region)
        pulumi.export("account", aws.get_caller_identity().account_id)

    result = run_function(program, config={"aws:region": "eu-central-1"})
    assert result.outputs == {
        "zones": ["eu-central-1a", "eu-central-1b", "eu-central-1c", "eu-central-1d"],
        "region": "eu-central-1",
        "account": PREVIEW_ACCOUNT_ID,
    }


def test_options_are_recorded():
    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16", opts=pulumi.ResourceOptions(protect=True))
        aws.ec2.Subnet(
            "s",
            vpc_id=vpc.id,
            cidr_block="10.0.0.0/24",
            opts=pulumi.ResourceOptions(deleted_with=vpc, aliases=[pulumi.Alias(name="old-s")]),
        )

    result = run_function(program)
    vpc, subnet = result.named("v"), result.named("s")
    assert vpc.protect and not subnet.protect
    assert subnet.deleted_with == vpc.urn
    assert vpc.urn in subnet.dependencies
    assert subnet.property_dependencies["vpcId"] == [vpc.urn]
    assert subnet.aliases, "the alias reached the engine"
    assert subnet.inputs["cidrBlock"] == "10.0.0.0/24"


def test_secrets_are_recorded_and_masked_in_the_plan():
    def program():
        aws.iam.Role("r", assume_role_policy=pulumi.Output.secret('{"x": 1}'))
        pulumi.export("token", pulumi.Output.secret("s3cr3t"))

    result = run_function(program)
    role = result.named("r")
    assert role.secret_inputs == ["assumeRolePolicy"]
    plan = result.to_plan()
    assert plan["outputs"] == {"token": "[secret]"}
    assert plan["resources"][0]["inputs"]["assumeRolePolicy"] == "[secret]"
    assert result.to_plan(show_secrets=True)["outputs"] == {"token": "s3cr3t"}


def test_numbers_come_back_as_written():
    result = run_function(
        lambda: aws.vpc.SecurityGroupIngressRule(
            "https", security_group_id="sg-1", ip_protocol="tcp", from_port=443, to_port=443, cidr_ipv4="0.0.0.0/0"
        )
    )
    assert result.named("https").inputs["fromPort"] == 443
    assert isinstance(result.named("https").inputs["fromPort"], int)


def test_library_validation_errors_surface_as_validation_program_errors():
    def program():
        raise InvalidArgsError("X", [])

    with pytest.raises(ProgramError) as info:
        run_function(program)
    assert info.value.kind == "validation"
    assert "Traceback" in info.value.details


def test_missing_config_is_a_config_error_naming_the_key():
    with pytest.raises(ProgramError) as info:
        run_function(lambda: pulumi.Config().require("orgId"), project="p")
    assert info.value.kind == "config"
    assert "p:orgId" in str(info.value)


def test_runs_do_not_leak_into_each_other():
    run_function(lambda: aws.ec2.Vpc("first", cidr_block="10.0.0.0/16"))
    second = run_function(lambda: aws.ec2.Vpc("second", cidr_block="10.0.0.0/16"))
    assert [r.name for r in second.resources] == ["second"]


def _project(tmp_path: Path, body: str, project_yaml: str, stacks: dict[str, str] | None = None) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(textwrap.dedent(project_yaml))
    (tmp_path / "__main__.py").write_text(textwrap.dedent(body))
    for stack, text in (stacks or {}).items():
        (tmp_path / f"Pulumi.{stack}.yaml").write_text(textwrap.dedent(text))
    return tmp_path


PROJECT = """\
name: demo
runtime: python
config:
  region: {default: eu-west-1}
  size: 3
  aws:region: us-east-2
  token: {type: string, secret: true}
"""


def test_config_precedence_project_then_stack_then_command_line(tmp_path):
    directory = _project(
        tmp_path,
        "",
        PROJECT,
        {"prod": "config:\n  demo:size: 5\n  demo:tags: {team: ml}\n  demo:password: {secure: AAABAx}\n"},
    )
    project = load_project(directory, overrides={"size": "7"})
    assert project.stack == "prod"  # the only stack file
    assert project.config == {
        "demo:region": "eu-west-1",
        "demo:size": "7",
        "aws:region": "us-east-2",
        "demo:tags": json.dumps({"team": "ml"}),
        "demo:password": PREVIEW_SECRET,
    }
    assert project.secret_keys == {"demo:token", "demo:password"}
    assert any("demo:password is encrypted" in note for note in project.notes)


def test_several_stack_files_need_a_stack_choice(tmp_path):
    directory = _project(tmp_path, "", PROJECT, {"a": "config: {}\n", "b": "config: {}\n"})
    with pytest.raises(ProjectError, match=r"several stacks \(a, b\); choose one with --stack"):
        load_project(directory)
    assert load_project(directory, stack="b").stack == "b"


@pytest.mark.parametrize(
    "project_yaml, message",
    [("runtime: python\n", "needs a `name`"), ("name: x\nruntime: nodejs\n", "only Python programs")],
)
def test_bad_project_files_are_named(tmp_path, project_yaml, message):
    with pytest.raises(ProjectError, match=message):
        load_project(_project(tmp_path, "", project_yaml))


def test_bad_override_is_rejected():
    with pytest.raises(ProjectError, match="expected KEY=VALUE"):
        parse_overrides(["novalue"])
    assert parse_overrides(["a=b=c"]) == {"a": "b=c"}


def test_program_directory_modules_do_not_collide(tmp_path):
    for name, value in (("one", "1"), ("two", "2")):
        directory = tmp_path / name
        directory.mkdir()
        (directory / "helper.py").write_text(f"VALUE = {value}\n")
        _project(directory, "import pulumi, helper\npulumi.export('v', helper.VALUE)\n", "name: d\nruntime: python\n")
    assert run_program(tmp_path / "one").outputs == {"v": 1}
    assert run_program(tmp_path / "two").outputs == {"v": 2}


def test_runs_from_async_code_and_leaves_the_callers_event_loop_alone():
    import asyncio

    async def caller():
        loop = asyncio.get_running_loop()
        result = run_function(lambda: pulumi.export("v", aws.ec2.Vpc("v", cidr_block="10.0.0.0/16").id))
        assert asyncio.get_running_loop() is loop
        return result

    loop = asyncio.new_event_loop()  # not asyncio.run: it unsets the thread's loop for later tests
    try:
        result = loop.run_until_complete(caller())
    finally:
        loop.close()
    assert result.outputs == {"v": result.named("v").id}
    assert result.named("v").id.startswith("vpc-0")


def test_a_program_may_run_a_preview_of_its_own():
    """run_function inside a program (the engine's loop is running): a separate run."""
    inner: list = []

    def program():
        inner.append(run_function(lambda: aws.ec2.Vpc("inner", cidr_block="10.1.0.0/16")))
        aws.ec2.Vpc("outer", cidr_block="10.0.0.0/16")

    outer = run_function(program)
    assert [r.name for r in outer.resources] == ["outer"]
    assert [r.name for r in inner[0].resources] == ["inner"]


def test_a_provider_without_shapes_still_gets_stable_ids_and_its_inputs_back():
    """The engine knows nothing of `acme:`; its resources still preview deterministically."""

    class Thing(pulumi.CustomResource):
        size: pulumi.Output[int]

        def __init__(self, name: str, size: int):
            super().__init__("acme:index/thing:Thing", name, {"size": size})

    def program():
        thing = Thing("t", 3)
        pulumi.export("id", thing.id)
        pulumi.export("size", thing.size)

    first, second = run_function(program), run_function(program)
    assert first.outputs == second.outputs
    assert first.outputs["size"] == 3
    assert first.outputs["id"].startswith("thing-") and len(first.outputs["id"]) == len("thing-") + 12
    assert first.outputs["id"] in first.generated_values
    assert first.notes == []


def test_each_provider_package_has_its_own_shapes():
    from anyscale_infra.preview.mocks import PreviewMocks, package_of

    assert package_of("aws:ec2/vpc:Vpc") == "aws" and package_of("pulumi:providers:gcp") == "gcp"
    assert package_of("random:index/randomId:RandomId") == "random"
    assert set(PreviewMocks({}).shapes) == {"aws", "azure-native", "gcp", "kubernetes", "random"}
    assert package_of("kubernetes:helm.sh/v3:Release") == "kubernetes"

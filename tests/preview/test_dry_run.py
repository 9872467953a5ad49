"""Programs run as a preview, like `pulumi preview`: `is_dry_run()` is True, the mocks'
values stay known, and what the mocks do not give is unknown (and said so)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from anyscale_infra.preview import run_function
from anyscale_infra.preview.engine import UNKNOWN_MASK


def test_the_program_sees_a_dry_run():
    seen: list[bool] = []

    def program():
        seen.append(pulumi.runtime.is_dry_run())
        pulumi.export("dry_run", pulumi.runtime.is_dry_run())
        if pulumi.runtime.is_dry_run():
            aws.ec2.Vpc("only-in-preview", cidr_block="10.0.0.0/16")

    result = run_function(program)
    assert seen == [True]
    assert result.outputs == {"dry_run": True}
    assert [r.name for r in result.resources] == ["only-in-preview"]


def test_mock_values_stay_known_and_apply_callbacks_run():
    calls: list[str] = []

    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        subnet = aws.ec2.Subnet("s", vpc_id=vpc.id, cidr_block="10.0.1.0/24")
        pulumi.export("subnet_arn", subnet.arn.apply(lambda arn: calls.append(arn) or arn))
        pulumi.export("vpc_id", subnet.vpc_id)

    result = run_function(program, config={"aws:region": "us-west-2"})
    assert result.unknown_outputs == set()
    assert calls == [result.outputs["subnet_arn"]]
    assert result.outputs["subnet_arn"] == f"arn:aws:ec2:us-west-2:000000000000:subnet/{result.named('s').id}"
    assert result.outputs["vpc_id"] == result.named("v").id
    assert result.named("s").unknown_inputs == []


def test_an_output_the_mocks_do_not_give_is_unknown_as_in_a_real_preview():
    calls: list[object] = []

    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        pulumi.export("ipv6", vpc.ipv6_cidr_block)  # optional, nobody set it
        pulumi.export("derived", vpc.ipv6_cidr_block.apply(lambda c: calls.append(c) or f"{c}!"))
        aws.ec2.Subnet("s", vpc_id=vpc.id, cidr_block="10.0.1.0/24", ipv6_cidr_block=vpc.ipv6_cidr_block)

    result = run_function(program)
    assert calls == []  # apply callbacks do not run on unknowns in a preview
    assert result.unknown_outputs == {"ipv6", "derived"}
    assert result.outputs["ipv6"] is None
    plan = result.to_plan()
    assert plan["outputs"] == {"derived": UNKNOWN_MASK, "ipv6": UNKNOWN_MASK}
    subnet = result.named("s")
    assert subnet.unknown_inputs == ["ipv6CidrBlock"] and subnet.inputs["ipv6CidrBlock"] is None
    assert subnet.to_plan()["inputs"]["ipv6CidrBlock"] == UNKNOWN_MASK
    assert "output 'derived' is unknown in a preview" in " ".join(result.notes)


def test_a_read_resource_has_a_known_id():
    def program():
        vpc = aws.ec2.Vpc.get("existing", "vpc-0a1b2c3d4e5f60001")
        pulumi.export("id", vpc.id)

    result = run_function(program)
    assert result.outputs == {"id": "vpc-0a1b2c3d4e5f60001"}
    assert result.unknown_outputs == set()
    assert result.named("existing").read and result.named("existing").id == "vpc-0a1b2c3d4e5f60001"

"""AnyscaleIamRoles: trust, inline policies by name and mode, instance profile, external ID."""

from __future__ import annotations

import json

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleIamRoles, AnyscaleIamRolesArgs

ORG = "org_7c1Kalm9WcX2bNIjW53GUT"
ROLE = "aws:iam/role:Role"


def _roles(result):
    return {r.name: r for r in result.by_type(ROLE)}


def _inline(result):
    return {r.inputs["name"]: json.loads(r.inputs["policy"]) for r in result.by_type("aws:iam/rolePolicy:RolePolicy")}


def test_anyscale_role_trust_has_generated_external_id(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG)))
    trust = json.loads(_roles(result)["c-anyscale-role"].inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::525325868955:root"}
    assert statement["Action"] == "sts:AssumeRole"
    external_id = statement["Condition"]["StringEquals"]["sts:ExternalId"]
    assert external_id.startswith(f"{ORG}-") and len(external_id) == len(ORG) + 1 + 32
    (suffix,) = result.by_type("random:index/randomPassword:RandomPassword")
    assert suffix.inputs["special"] is False and suffix.inputs["length"] == 32


def test_caller_external_id_is_used_verbatim(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, external_id=f"{ORG}-mine")))
    trust = json.loads(_roles(result)["c-anyscale-role"].inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"] == f"{ORG}-mine"
    assert result.by_type("random:index/randomPassword:RandomPassword") == []


def test_inline_policy_names_and_first_phase_mode(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG)))
    policies = _inline(result)
    assert set(policies) == {"Anyscale_IAM_Policy_Steady_State", "Anyscale_IAM_Policy_Service_Steady_State"}
    sids = {s["Sid"] for s in policies["Anyscale_IAM_Policy_Steady_State"]["Statement"]}
    assert {"InstanceStart", "InstanceStop"} <= sids
    passrole = next(s for s in policies["Anyscale_IAM_Policy_Steady_State"]["Statement"] if s["Sid"] == "IAM")
    assert passrole["Resource"] == [_roles(result)["c-instance-role"].outputs["arn"]]


def test_cloud_id_switches_to_tag_scoped_statements(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, cloud_id="cld_abc123")))
    statements = {s["Sid"]: s for s in _inline(result)["Anyscale_IAM_Policy_Steady_State"]["Statement"]}
    assert "InstanceStart" not in statements and "InstanceStop" not in statements
    assert statements["RestrictedInstanceStop"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/anyscale-cloud-id": "cld_abc123"}}


def test_services_policy_is_optional(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, enable_services_policy=False)))
    assert set(_inline(result)) == {"Anyscale_IAM_Policy_Steady_State"}


def test_instance_role_profile_same_name_and_ecr(preview):
    extra = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, instance_role_managed_policy_arns=[extra])))
    role = _roles(result)["c-instance-role"]
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"Service": "ec2.amazonaws.com"}
    (profile,) = result.by_type("aws:iam/instanceProfile:InstanceProfile")
    assert profile.inputs["name"] == role.outputs["name"] == profile.inputs["role"]
    attached = {a.inputs["policyArn"] for a in result.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")}
    assert attached == {"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", extra}


def test_existing_roles_create_nothing(preview):
    args = AnyscaleIamRolesArgs(
        existing_anyscale_role_arn="arn:aws:iam::210987654321:role/anyscale",
        existing_instance_role_arn="arn:aws:iam::210987654321:role/path/nodes",
        external_id=f"{ORG}-abc",
    )
    import pulumi

    def program():
        roles = AnyscaleIamRoles("c", args)
        pulumi.export("profile", roles.instance_profile_arn)

    result = preview(program)
    assert [r for r in result.resources if r.custom] == []
    assert result.outputs["profile"] == "arn:aws:iam::210987654321:instance-profile/path/nodes"


def test_missing_org_id_is_explained(preview):
    with pytest.raises(Exception, match="org_id: is required to generate the external ID"):
        preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs()))


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(org_id="org-1"), "org_id", "not an Anyscale organization id"),
        (dict(org_id=ORG, external_id="org_other-1"), "external_id", f"must start with the organization id {ORG}"),
        (dict(external_id="x y"), "external_id", "2 to 1224 characters"),
        (dict(org_id=ORG, cloud_id="cloud-1"), "cloud_id", "not an Anyscale cloud id"),
        (dict(org_id=ORG, existing_instance_role_arn="arn:aws:iam::210987654321:user/x"),
         "existing_instance_role_arn", "not an IAM role ARN"),
        (dict(org_id=ORG, anyscale_account_id="5253"), "anyscale_account_id", "12-digit"),
        (dict(existing_anyscale_role_arn="arn:aws:iam::210987654321:role/a", cloud_id="cld_1"),
         "cloud_id", "cannot be combined with existing_anyscale_role_arn"),
        (dict(org_id=ORG, role_path="path"), "role_path", "must begin and end with '/'"),
    ],
)
def test_bad_iam_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(**kwargs)
    assert field in info.value.fields
    assert needle in str(info.value)

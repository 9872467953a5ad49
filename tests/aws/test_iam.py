"""AnyscaleIamRoles: trust, inline policies by name and mode, instance profile, external ID."""

from __future__ import annotations

import json

import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.aws import AnyscaleIamRoles, AnyscaleIamRolesArgs
from anyscale_infra.preview.engine import ProgramError

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
    with pytest.raises(ProgramError) as info:
        preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs()))
    assert info.value.kind == "validation"
    error = info.value.cause
    assert isinstance(error, InvalidArgsError), repr(error)
    assert error.fields == ["org_id"]
    assert "is required to generate the external ID" in str(error)


@pytest.mark.parametrize(
    "kwargs",
    [dict(external_id=f"{ORG}-mine"), dict(existing_anyscale_role_arn="arn:aws:iam::210987654321:role/a")],
)
def test_org_id_is_not_needed_with_an_external_id_or_an_existing_role(preview, kwargs):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(**kwargs)))
    assert result.by_type(ROLE)


def test_existing_anyscale_role_without_external_id_warns(preview):
    args = AnyscaleIamRolesArgs(existing_anyscale_role_arn="arn:aws:iam::210987654321:role/a")
    assert any("will rewrite that role's trust policy" in w for w in preview(lambda: AnyscaleIamRoles("c", args)).warnings)


def test_passable_roles_and_their_profiles(preview):
    extra = "arn:aws:iam::210987654321:role/team/workload"
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, passable_role_arns=[extra])))
    statements = _inline(result)["Anyscale_IAM_Policy_Steady_State"]["Statement"]
    passrole = next(s for s in statements if s["Sid"] == "IAM")
    assert passrole["Resource"] == [_roles(result)["c-instance-role"].outputs["arn"], extra]


def test_role_path_and_boundary_reach_both_roles(preview):
    boundary = "arn:aws:iam::210987654321:policy/boundary"
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, role_path="/anyscale/",
                                                                         permissions_boundary_arn=boundary)))
    roles = _roles(result)
    assert {(r.inputs["path"], r.inputs["permissionsBoundary"]) for r in roles.values()} == {("/anyscale/", boundary)}


def test_ecr_read_only_can_be_left_off(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, attach_ecr_read_only=False)))
    assert result.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []


# -- limits: account ids of 12 digits, role paths of at most 512 characters ---------------------


@pytest.mark.parametrize("path", ["/", "/a/", "/a/b/", "/" + "a" * 510 + "/"])
def test_role_paths_up_to_512_characters(path):
    assert len(path) <= 512
    assert AnyscaleIamRolesArgs(org_id=ORG, role_path=path).role_path == path


def test_role_path_of_513_characters_is_rejected():
    path = "/" + "a" * 511 + "/"
    assert len(path) == 513
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(org_id=ORG, role_path=path)
    assert info.value.fields == ["role_path"]
    assert "is 513 characters long; IAM paths are at most 512" in str(info.value)


@pytest.mark.parametrize("account", ["525325868955", "000000000001"])
def test_anyscale_account_of_12_digits(account):
    assert AnyscaleIamRolesArgs(org_id=ORG, anyscale_account_id=account).anyscale_account_id == account


@pytest.mark.parametrize("account", ["52532586895", "5253258689551", "52532586895a", ""])
def test_anyscale_account_near_misses(account):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(org_id=ORG, anyscale_account_id=account)
    assert info.value.fields == ["anyscale_account_id"]
    assert "is not a 12-digit AWS account id" in str(info.value)


def test_other_anyscale_account_is_trusted(preview):
    result = preview(lambda: AnyscaleIamRoles("c", AnyscaleIamRolesArgs(org_id=ORG, anyscale_account_id="000000000001")))
    trust = json.loads(_roles(result)["c-anyscale-role"].inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::000000000001:root"}


# -- every rule: the exact field and the rule's phrase -------------------------------------------

EXISTING_ANYSCALE = "arn:aws:iam::210987654321:role/anyscale"
EXISTING_NODES = "arn:aws:iam::210987654321:role/nodes"


@pytest.mark.parametrize(
    "field, value",
    [
        ("enable_services_policy", False),
        ("cloud_id", "cld_1"),
        ("passable_role_arns", ["arn:aws:iam::210987654321:role/w"]),
        ("anyscale_account_id", "525325868955"),
    ],
)
def test_settings_of_a_new_anyscale_role_conflict_with_an_existing_one(field, value):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(existing_anyscale_role_arn=EXISTING_ANYSCALE, **{field: value})
    assert info.value.fields == [field]
    assert "cannot be combined with existing_anyscale_role_arn" in str(info.value)


@pytest.mark.parametrize(
    "field, value",
    [("instance_role_managed_policy_arns", ["arn:aws:iam::aws:policy/x"]), ("attach_ecr_read_only", False)],
)
def test_settings_of_a_new_node_role_conflict_with_an_existing_one(field, value):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(org_id=ORG, existing_instance_role_arn=EXISTING_NODES, **{field: value})
    assert info.value.fields == [field]
    assert "applies to a node role we create; not with existing_instance_role_arn" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(org_id="org-1"), "org_id", "not an Anyscale organization id"),
        (dict(org_id=ORG, external_id="org_other-1"), "external_id", f"must start with the organization id {ORG}"),
        (dict(external_id="x y"), "external_id", "2 to 1224 characters"),
        (dict(external_id="x"), "external_id", "2 to 1224 characters"),
        (dict(external_id="abc-123"), "external_id", "must start with your Anyscale organization id"),
        (dict(external_id="org_abc"), "external_id", "hyphen and a random string"),
        (dict(org_id=ORG, cloud_id="cloud-1"), "cloud_id", "not an Anyscale cloud id"),
        (dict(org_id=ORG, existing_instance_role_arn="arn:aws:iam::210987654321:user/x"),
         "existing_instance_role_arn", "not an IAM role ARN"),
        (dict(existing_anyscale_role_arn="arn:aws:iam::123456789012:role/x"), "existing_anyscale_role_arn",
         "documentation account"),
        (dict(org_id=ORG, passable_role_arns=["arn:aws-cn:iam::210987654321:role/x"]), "passable_role_arns",
         "aws partition"),
        (dict(org_id=ORG, instance_role_managed_policy_arns=["CloudWatchAgentServerPolicy"]),
         "instance_role_managed_policy_arns", "is not an IAM policy ARN"),
        (dict(org_id=ORG, permissions_boundary_arn="arn:aws:iam::210987654321:role/b"), "permissions_boundary_arn",
         "is not an IAM policy ARN"),
        (dict(org_id=ORG, anyscale_account_id="5253"), "anyscale_account_id", "12-digit"),
        (dict(existing_anyscale_role_arn="arn:aws:iam::210987654321:role/a", cloud_id="cld_1"),
         "cloud_id", "cannot be combined with existing_anyscale_role_arn"),
        (dict(org_id=ORG, role_path="path"), "role_path", "must begin and end with '/'"),
        (dict(org_id=ORG, role_path="/path"), "role_path", "must begin and end with '/'"),
        (dict(org_id=ORG, role_path="path/"), "role_path", "must begin and end with '/'"),
        (dict(org_id=ORG, tags={"aws:x": "1"}), "tags", "reserved by AWS"),
        (dict(org_id=ORG, enable_services_policy="sometimes"), "enable_services_policy", "valid boolean"),
    ],
)
def test_bad_iam_input(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleIamRolesArgs(**kwargs)
    assert info.value.fields == [field], str(info.value)
    assert needle in str(info.value)

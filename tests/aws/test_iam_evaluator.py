"""The IAM evaluator against hand-written policy documents.

Every test asserts the exact Decision and which statements applied, and comes with its
near miss: the case just on the other side of the rule it names.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from anyscale_infra.aws import iam_evaluator
from anyscale_infra.aws.iam_evaluator import (
    Decision,
    Evaluation,
    PolicyError,
    PolicySource,
    Principal,
    Request,
    StatementRef,
    evaluate,
    statement_applies,
)

ALLOW, EXPLICIT_DENY, IMPLICIT_DENY = Decision.ALLOW, Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/worker"
SESSION = Principal.aws(f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0abc")
ALICE = Principal.aws(f"arn:aws:iam::{ACCOUNT}:user/alice")
INSTANCE = f"arn:aws:ec2:us-west-2:{ACCOUNT}:instance/i-0abc"
BUCKET = "arn:aws:s3:::b"
OBJECT = "arn:aws:s3:::b/key.txt"


def policy(label: str, *statements: dict[str, Any], version: str | None = "2012-10-17") -> PolicySource:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document["Version"] = version
    return PolicySource(label, document)


def request(
    action: str = "ec2:StartInstances",
    resource: str = INSTANCE,
    principal: Principal = SESSION,
    **context: Any,
) -> Request:
    return Request(action, resource, principal, context)


def ctx(
    action: str, resource: str, principal: Principal = SESSION, context: dict[str, Any] | None = None
) -> Request:
    """A request whose context keys contain characters that cannot be keyword arguments."""
    return Request(action, resource, principal, context or {})


def allow(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "*", "Resource": "*", **extra}


def ref(label: str, index: int = 0, sid: str | None = None) -> StatementRef:
    return StatementRef(label, index, sid)


def only(label: str, *statements: dict[str, Any], req: Request) -> Evaluation:
    """Evaluate ``req`` against one identity-based policy."""
    return evaluate(req, identity=[policy(label, *statements)])


def applies(condition: dict[str, Any], context: dict[str, Any] | None = None) -> bool:
    """Does an Allow-everything statement with this Condition apply to a request carrying ``context``?"""
    ev = only("p", allow(Condition=condition), req=ctx("ec2:StartInstances", INSTANCE, SESSION, context))
    assert ev in (Evaluation(ALLOW, (ref("p"),), ()), Evaluation(IMPLICIT_DENY, (), ()))
    return ev.allowed


# --- The module itself ----------------------------------------------------------------------


def test_the_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(iam_evaluator.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}


# --- The decision -----------------------------------------------------------------------------


def test_no_policy_at_all_is_an_implicit_deny() -> None:
    assert evaluate(request()) == Evaluation(IMPLICIT_DENY, (), ())


def test_an_allow_that_applies_allows_and_names_its_statement() -> None:
    ev = only("id", {"Sid": "Start", **allow(Action="ec2:StartInstances")}, req=request())
    assert ev == Evaluation(ALLOW, (ref("id", 0, "Start"),), ())
    assert ev.allowed


def test_an_allow_for_another_action_is_an_implicit_deny() -> None:
    ev = only("id", allow(Action="ec2:StopInstances"), req=request())
    assert ev == Evaluation(IMPLICIT_DENY, (), ())
    assert not ev.allowed


def test_an_explicit_deny_in_a_second_policy_beats_an_allow_in_the_first() -> None:
    first = policy("first", {"Sid": "Broad", **allow(Action="ec2:*")})
    second = policy("second", {"Effect": "Deny", "Action": "ec2:StartInstances", "Resource": "*"})
    ev = evaluate(request(), identity=[first, second])
    assert ev == Evaluation(EXPLICIT_DENY, (ref("first", 0, "Broad"),), (ref("second"),))
    assert not ev.allowed


def test_a_deny_for_another_action_does_not_deny() -> None:
    first = policy("first", allow(Action="ec2:*"))
    second = policy("second", {"Effect": "Deny", "Action": "ec2:StopInstances", "Resource": "*"})
    assert evaluate(request(), identity=[first, second]) == Evaluation(ALLOW, (ref("first"),), ())


def test_an_allow_in_a_second_policy_grants_when_the_first_covers_other_actions() -> None:
    first = policy("first", allow(Action="s3:GetObject"), allow(Action="ec2:StopInstances"))
    second = policy("second", allow(Action="ec2:StartInstances"))
    assert evaluate(request(), identity=[first, second]) == Evaluation(ALLOW, (ref("second"),), ())
    assert evaluate(request(), identity=[first]) == Evaluation(IMPLICIT_DENY, (), ())


def test_every_applicable_statement_is_listed_in_order() -> None:
    doc = policy(
        "id", {"Sid": "A", **allow()}, allow(Action="s3:*"), {"Sid": "C", **allow(Action="ec2:Start*")}
    )
    assert evaluate(request(), identity=[doc]) == Evaluation(
        ALLOW, (ref("id", 0, "A"), ref("id", 2, "C")), ()
    )


def test_statement_may_be_a_single_object() -> None:
    source = PolicySource("id", {"Version": "2012-10-17", "Statement": allow(Action="ec2:StartInstances")})
    assert evaluate(request(), identity=[source]) == Evaluation(ALLOW, (ref("id"),), ())


def test_statement_ref_names_the_sid_or_else_the_index() -> None:
    assert str(StatementRef("aws:iam/rolePolicy:RolePolicy steady-state", 0, "Broad")) == (
        "statement Broad of aws:iam/rolePolicy:RolePolicy steady-state"
    )
    assert str(StatementRef("label", 2, None)) == "statement #2 of label"


# --- Action and NotAction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "action", "matches"),
    [
        ("ec2:StartInstances", "ec2:StartInstances", True),
        ("EC2:startinstances", "ec2:StartInstances", True),  # case-insensitive
        ("ec2:StartInstance", "ec2:StartInstances", False),
        ("ec2:Start*", "ec2:StartInstances", True),
        ("ec2:Start*", "ec2:StopInstances", False),
        ("ec2:St??Instances", "ec2:StopInstances", True),
        ("ec2:St?Instances", "ec2:StopInstances", False),  # ? is exactly one character
        ("ec2:*", "ec2:StopInstances", True),
        ("ec2:*", "s3:GetObject", False),
        ("*", "s3:GetObject", True),
        ("*:Get*", "s3:GetObject", True),
    ],
)
def test_action_matching(pattern: str, action: str, matches: bool) -> None:
    ev = only("id", allow(Action=pattern), req=request(action))
    assert ev == (Evaluation(ALLOW, (ref("id"),), ()) if matches else Evaluation(IMPLICIT_DENY, (), ()))


def test_action_may_be_a_list() -> None:
    statement = allow(Action=["s3:GetObject", "ec2:StartInstances"])
    assert only("id", statement, req=request()) == Evaluation(ALLOW, (ref("id"),), ())
    assert only("id", statement, req=request("ec2:StopInstances")) == Evaluation(IMPLICIT_DENY, (), ())


def test_not_action_applies_to_every_action_but_the_listed_ones() -> None:
    statement = {"Effect": "Allow", "NotAction": ["iam:*", "s3:Delete*"], "Resource": "*"}
    assert only("id", statement, req=request()) == Evaluation(ALLOW, (ref("id"),), ())
    assert only("id", statement, req=request("iam:CreateUser")) == Evaluation(IMPLICIT_DENY, (), ())
    assert only("id", statement, req=request("s3:DeleteObject")) == Evaluation(IMPLICIT_DENY, (), ())
    assert only("id", statement, req=request("s3:GetObject")) == Evaluation(ALLOW, (ref("id"),), ())


def test_a_not_action_deny_denies_everything_else() -> None:
    id_policy = policy("id", allow(), {"Effect": "Deny", "NotAction": "ec2:Describe*", "Resource": "*"})
    assert evaluate(request(), identity=[id_policy]) == Evaluation(
        EXPLICIT_DENY, (ref("id"),), (ref("id", 1),)
    )
    described = evaluate(request("ec2:DescribeInstances"), identity=[id_policy])
    assert described == Evaluation(ALLOW, (ref("id"),), ())


# --- Resource and NotResource ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "resource", "matches"),
    [
        (INSTANCE, INSTANCE, True),
        (INSTANCE.replace("i-0abc", "i-0ABC"), INSTANCE, False),  # case-sensitive
        ("*", INSTANCE, True),
        ("*", "*", True),
        (f"arn:aws:ec2:*:{ACCOUNT}:instance/*", INSTANCE, True),
        (
            f"arn:aws:ec2:*:{ACCOUNT}:instance/*",
            f"arn:aws:ec2:us-west-2:{OTHER_ACCOUNT}:instance/i-0abc",
            False,
        ),
        ("arn:aws:ec2:*:*:instance/*", INSTANCE, True),
        ("arn:aws:ec2:*:*:volume/*", INSTANCE, False),
        ("arn:aws:ec2:*:*:*", "*", False),  # "*" as a request resource only matches "*"
        (f"arn:aws:ec2:us-west-2:{ACCOUNT}:instance/i-0ab?", INSTANCE, True),
        (f"arn:aws:ec2:us-west-2:{ACCOUNT}:instance/i-0a?", INSTANCE, False),
        (f"arn:aws:ec2:us-*-2:{ACCOUNT}:instance/i-0abc", INSTANCE, True),
        ("arn:aws:s3:::b/*", OBJECT, True),
        ("arn:aws:s3:::b/*", BUCKET, False),
        ("arn:aws:s3:::b*", "arn:aws:s3:::bucket/a/b", True),  # * crosses "/"
        # "IAM JSON policy elements: Resource": a * that ends a segment may cross colons...
        (
            "arn:aws:svc:*:111122223333:finance/*",
            "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/d",
            True,
        ),
        # ... one inside a segment may not, and neither may ?.
        ("arn:aws:svc:us-*-2:1:x", "arn:aws:svc:us-east:a-2:1:x", False),
        ("arn:aws:svc:us-*:1:x", "arn:aws:svc:us-east:a-2:1:x", True),
        ("arn:aws:svc:a?b:1:x", "arn:aws:svc:a:b:1:x", False),
    ],
)
def test_resource_matching(pattern: str, resource: str, matches: bool) -> None:
    ev = only("id", allow(Resource=pattern), req=request(resource=resource))
    assert ev == (Evaluation(ALLOW, (ref("id"),), ()) if matches else Evaluation(IMPLICIT_DENY, (), ()))


def test_resource_may_be_a_list() -> None:
    statement = allow(Resource=[BUCKET, "arn:aws:s3:::b/*"])
    assert only("id", statement, req=request("s3:GetObject", OBJECT)) == Evaluation(ALLOW, (ref("id"),), ())
    assert only("id", statement, req=request("s3:GetObject", "arn:aws:s3:::other/key")) == Evaluation(
        IMPLICIT_DENY, (), ()
    )


def test_not_resource_applies_to_every_resource_but_the_listed_ones() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "s3:*",
        "NotResource": ["arn:aws:s3:::secret", "arn:aws:s3:::secret/*"],
    }
    assert only("id", statement, req=request("s3:GetObject", OBJECT)) == Evaluation(ALLOW, (ref("id"),), ())
    denied = only("id", statement, req=request("s3:GetObject", "arn:aws:s3:::secret/key"))
    assert denied == Evaluation(IMPLICIT_DENY, (), ())


def test_a_resource_policy_statement_without_resource_applies_to_the_requested_resource() -> None:
    trust = policy("trust", {"Effect": "Allow", "Principal": {"AWS": ROLE_ARN}, "Action": "sts:AssumeRole"})
    req = request("sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/target")
    assert evaluate(req, resource_policy=trust) == Evaluation(ALLOW, (ref("trust"),), ())
    assert evaluate(request("sts:TagSession", req.resource), resource_policy=trust) == Evaluation(
        IMPLICIT_DENY, (), ()
    )


def test_an_identity_policy_statement_without_resource_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="statement #0 of id: a statement needs Resource or NotResource"):
        only("id", {"Effect": "Allow", "Action": "*"}, req=request())


# --- Policy variables -----------------------------------------------------------------------


def test_a_variable_in_resource_is_substituted_from_the_context() -> None:
    statement = allow(Action="s3:*", Resource="arn:aws:s3:::b/home/${aws:username}/*")
    own = ctx("s3:GetObject", "arn:aws:s3:::b/home/alice/notes", ALICE, {"aws:username": "alice"})
    assert only("id", statement, req=own) == Evaluation(ALLOW, (ref("id"),), ())
    other = ctx("s3:GetObject", "arn:aws:s3:::b/home/bob/notes", ALICE, {"aws:username": "alice"})
    assert only("id", statement, req=other) == Evaluation(IMPLICIT_DENY, (), ())


def test_variable_names_are_case_insensitive() -> None:
    statement = allow(Resource="arn:aws:s3:::b/${AWS:UserName}")
    req = ctx("s3:GetObject", "arn:aws:s3:::b/alice", ALICE, {"aws:username": "alice"})
    assert only("id", statement, req=req) == Evaluation(ALLOW, (ref("id"),), ())


def test_a_resource_with_a_variable_that_has_no_value_matches_no_resource() -> None:
    # "Policy variables with no value": such a Resource "will not match any resource".
    statement = allow(Resource="arn:aws:s3:::b/${aws:username}*")
    assert only("id", statement, req=ctx("s3:GetObject", "arn:aws:s3:::b/x", SESSION)) == Evaluation(
        IMPLICIT_DENY, (), ()
    )
    with_name = ctx("s3:GetObject", "arn:aws:s3:::b/alice-x", ALICE, {"aws:username": "alice"})
    assert only("id", statement, req=with_name) == Evaluation(ALLOW, (ref("id"),), ())
    # ... so a NotResource holding it excludes nothing.
    not_resource = {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::b/${aws:username}"}
    assert only("id", not_resource, req=ctx("s3:GetObject", "arn:aws:s3:::b/", SESSION)) == Evaluation(
        ALLOW, (ref("id"),), ()
    )


def test_a_variable_falls_back_to_its_default_value() -> None:
    statement = allow(Resource="arn:aws:s3:::bucket-${aws:PrincipalTag/team, 'company-wide'}")
    untagged = ctx("s3:GetObject", "arn:aws:s3:::bucket-company-wide", SESSION)
    assert only("id", statement, req=untagged) == Evaluation(ALLOW, (ref("id"),), ())
    tagged = {"aws:PrincipalTag/team": "yellow"}
    assert (
        only("id", statement, req=ctx("s3:GetObject", "arn:aws:s3:::bucket-yellow", SESSION, tagged)).decision
        is ALLOW
    )
    assert (
        only(
            "id", statement, req=ctx("s3:GetObject", "arn:aws:s3:::bucket-company-wide", SESSION, tagged)
        ).decision
        is IMPLICIT_DENY
    )


@pytest.mark.parametrize(("special", "char"), [("${*}", "*"), ("${?}", "?"), ("${$}", "$")])
def test_special_variables_are_literal_characters(special: str, char: str) -> None:
    statement = allow(Resource=f"arn:aws:s3:::b/a{special}")
    assert only("id", statement, req=request("s3:GetObject", f"arn:aws:s3:::b/a{char}")) == Evaluation(
        ALLOW, (ref("id"),), ()
    )
    assert only("id", statement, req=request("s3:GetObject", "arn:aws:s3:::b/ax")) == Evaluation(
        IMPLICIT_DENY, (), ()
    )


def test_without_version_2012_10_17_variables_are_literal_text() -> None:
    for version in (None, "2008-10-17"):
        source = policy("id", allow(Resource="arn:aws:s3:::b/${aws:username}"), version=version)
        named = ctx("s3:GetObject", "arn:aws:s3:::b/alice", ALICE, {"aws:username": "alice"})
        assert evaluate(named, identity=[source]) == Evaluation(IMPLICIT_DENY, (), ())
        literal = ctx("s3:GetObject", "arn:aws:s3:::b/${aws:username}", ALICE, {"aws:username": "alice"})
        assert evaluate(literal, identity=[source]) == Evaluation(ALLOW, (ref("id"),), ())


def test_a_variable_before_the_resource_part_of_an_arn_is_a_policy_error() -> None:
    statement = allow(Resource="arn:aws:iam::${aws:PrincipalAccount}:role/x")
    with pytest.raises(PolicyError, match="statement #0 of id: policy variable before the resource part"):
        only(
            "id",
            statement,
            req=ctx(
                "iam:GetRole", f"arn:aws:iam::{ACCOUNT}:role/x", SESSION, {"aws:PrincipalAccount": ACCOUNT}
            ),
        )


def test_a_variable_in_a_condition_value_is_substituted() -> None:
    condition = {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}}
    assert applies(condition, {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"})
    assert not applies(condition, {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "blue"})


def test_a_condition_variable_with_no_value_matches_nothing_and_so_negated_operators_match() -> None:
    # The example Deny of "Policy variables with no value": denied when the principal has no Team tag.
    deny = {
        "Effect": "Deny",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringNotEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
    }
    id_policy = policy("id", allow(), deny)
    untagged = ctx("s3:GetObject", OBJECT, SESSION, {"s3:ExistingObjectTag/Team": "red"})
    assert evaluate(untagged, identity=[id_policy]) == Evaluation(
        EXPLICIT_DENY, (ref("id"),), (ref("id", 1),)
    )
    same_team = ctx(
        "s3:GetObject", OBJECT, SESSION, {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"}
    )
    assert evaluate(same_team, identity=[id_policy]) == Evaluation(ALLOW, (ref("id"),), ())
    assert not applies(
        {"StringEquals": {"s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}"}},
        {"s3:ExistingObjectTag/Team": "red"},
    )


def test_a_multivalued_key_is_not_a_policy_variable() -> None:
    condition = {"StringEquals": {"aws:username": "${aws:TagKeys}"}}
    assert not applies(condition, {"aws:username": "a", "aws:TagKeys": ["a", "b"]})
    assert applies(condition, {"aws:username": "a", "aws:TagKeys": ["a"]})


def test_policy_variables_are_refused_where_aws_does_not_substitute_them() -> None:
    with pytest.raises(PolicyError, match="policy variables only work with String and Arn operators"):
        applies({"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/limit}"}}, {"s3:max-keys": 5})


# --- Principal and NotPrincipal -------------------------------------------------------------


def bucket_policy(principal: Any, effect: str = "Allow", key: str = "Principal") -> PolicySource:
    return policy(
        "bucket", {"Effect": effect, key: principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    )


def by(principal: Principal, **context: Any) -> Request:
    return request("s3:GetObject", OBJECT, principal, **context)


SERVICE = Principal.service("cloudtrail.amazonaws.com")
ANONYMOUS = Principal.anonymous()
FEDERATED = Principal.federated("accounts.google.com")
OTHER_SESSION = Principal.aws(f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/worker/i-0abc")


def granted(principal_element: Any, who: Principal) -> bool:
    """Does a bucket policy Allow with this Principal element grant ``who`` (same account, no identity policy)?"""
    ev = evaluate(by(who), resource_policy=bucket_policy(principal_element))
    assert ev in (Evaluation(ALLOW, (ref("bucket"),), ()), Evaluation(IMPLICIT_DENY, (), ()))
    return ev.allowed


def test_principal_star_is_everyone_including_anonymous() -> None:
    for who in (ANONYMOUS, SESSION, ALICE, SERVICE, FEDERATED, OTHER_SESSION):
        ev = evaluate(by(who), resource_policy=bucket_policy("*"), resource_account=ACCOUNT)
        # Another account's principal is named too, but cross-account it also needs its identity policy.
        assert ev == Evaluation(IMPLICIT_DENY if who is OTHER_SESSION else ALLOW, (ref("bucket"),), ())


def test_aws_star_is_every_aws_principal_and_anonymous_but_not_a_service() -> None:
    assert granted({"AWS": "*"}, ANONYMOUS)
    assert granted({"AWS": "*"}, SESSION)
    assert not granted({"AWS": "*"}, SERVICE)
    assert not granted({"AWS": "*"}, FEDERATED)


def test_an_account_principal_names_every_principal_of_that_account() -> None:
    # Same account an account principal only delegates (see the decision tests), so
    # look at whether the statement applies.
    for account in (ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"):
        statement = {"Effect": "Allow", "Principal": {"AWS": account}, "Action": "*", "Resource": "*"}
        assert statement_applies(statement, by(SESSION), resource_policy=True)
        assert statement_applies(statement, by(ALICE), resource_policy=True)
        assert statement_applies(statement, by(Principal.aws(ACCOUNT)), resource_policy=True)
        assert not statement_applies(statement, by(OTHER_SESSION), resource_policy=True)
        assert not statement_applies(statement, by(ANONYMOUS), resource_policy=True)


def test_a_role_principal_names_the_role_and_its_sessions() -> None:
    assert granted({"AWS": ROLE_ARN}, SESSION)
    assert granted({"AWS": ROLE_ARN}, Principal.aws(ROLE_ARN))
    assert granted({"AWS": f"arn:aws:iam::{ACCOUNT}:role/service-role/worker"}, SESSION)  # a path
    assert not granted({"AWS": f"arn:aws:iam::{ACCOUNT}:role/other"}, SESSION)
    assert not granted({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:role/worker"}, SESSION)


def test_a_user_principal_names_that_user_case_sensitively() -> None:
    assert granted({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, ALICE)
    assert not granted({"AWS": f"arn:aws:iam::{ACCOUNT}:user/Alice"}, ALICE)
    assert not granted({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}, ALICE)


def test_a_session_principal_names_only_that_session() -> None:
    assert granted({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0abc"}, SESSION)
    assert not granted({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0def"}, SESSION)
    assert not granted({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0abc"}, Principal.aws(ROLE_ARN))


def test_service_and_federated_principals() -> None:
    assert granted({"Service": "cloudtrail.amazonaws.com"}, SERVICE)
    assert not granted({"Service": "ec2.amazonaws.com"}, SERVICE)
    assert not granted({"Service": "cloudtrail.amazonaws.com"}, SESSION)
    assert granted({"Federated": "accounts.google.com"}, FEDERATED)
    assert not granted({"Federated": "cognito-identity.amazonaws.com"}, FEDERATED)
    assert not granted({"Federated": "accounts.google.com"}, SERVICE)


def test_principal_lists_and_types_are_or_ed() -> None:
    element = {
        "AWS": [f"arn:aws:iam::{ACCOUNT}:user/bob", f"arn:aws:iam::{ACCOUNT}:user/alice"],
        "Service": "cloudtrail.amazonaws.com",
    }
    assert granted(element, ALICE)
    assert granted(element, SERVICE)
    assert not granted(element, SESSION)


def test_a_deleted_principal_shown_as_a_unique_id_names_nobody() -> None:
    assert not granted({"AWS": "AROAEXAMPLEID1234567"}, SESSION)


@pytest.mark.parametrize(
    "value", [f"arn:aws:iam::{ACCOUNT}:role/*", f"arn:aws:iam::{ACCOUNT}:user/al*", "arn:aws:iam::*:root"]
)
def test_a_partial_wildcard_in_a_principal_is_a_policy_error(value: str) -> None:
    with pytest.raises(PolicyError, match="statement #0 of bucket: wildcard in principal"):
        evaluate(by(SESSION), resource_policy=bucket_policy({"AWS": value}))


def test_not_principal_deny_exempts_a_user_listed_with_its_account() -> None:
    deny = bucket_policy(
        {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:root"]},
        "Deny",
        "NotPrincipal",
    )
    assert evaluate(by(ALICE), resource_policy=deny) == Evaluation(IMPLICIT_DENY, (), ())
    bob = Principal.aws(f"arn:aws:iam::{ACCOUNT}:user/bob")
    assert evaluate(by(bob), resource_policy=deny) == Evaluation(EXPLICIT_DENY, (), (ref("bucket"),))
    assert evaluate(by(ANONYMOUS), resource_policy=deny) == Evaluation(EXPLICIT_DENY, (), (ref("bucket"),))


def test_not_principal_deny_listing_the_user_but_not_its_account_denies_the_user() -> None:
    # "AWS JSON policy elements: NotPrincipal": AWS may check the account first.
    deny = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, "Deny", "NotPrincipal")
    assert evaluate(by(ALICE), resource_policy=deny) == Evaluation(EXPLICIT_DENY, (), (ref("bucket"),))


def test_not_principal_deny_exempts_a_session_only_with_its_role_and_account() -> None:
    chain = [f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0abc", ROLE_ARN, f"arn:aws:iam::{ACCOUNT}:root"]
    assert (
        evaluate(by(SESSION), resource_policy=bucket_policy({"AWS": chain}, "Deny", "NotPrincipal")).decision
        is IMPLICIT_DENY
    )
    without_role = bucket_policy({"AWS": [chain[0], chain[2]]}, "Deny", "NotPrincipal")
    assert evaluate(by(SESSION), resource_policy=without_role) == Evaluation(
        EXPLICIT_DENY, (), (ref("bucket"),)
    )


def test_not_principal_deny_always_denies_a_principal_with_a_boundary() -> None:
    # "Permissions boundaries for IAM entities".
    deny = bucket_policy(
        {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:root"]},
        "Deny",
        "NotPrincipal",
    )
    boundary = policy("boundary", allow())
    ev = evaluate(by(ALICE), identity=[policy("id", allow())], resource_policy=deny, boundary=boundary)
    assert ev == Evaluation(EXPLICIT_DENY, (ref("id"), ref("boundary")), (ref("bucket"),))
    assert evaluate(by(ALICE), identity=[policy("id", allow())], resource_policy=deny) == Evaluation(
        ALLOW, (ref("id"),), ()
    )


def test_not_principal_allow_grants_everyone_but_the_listed_principals() -> None:
    grant = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, "Allow", "NotPrincipal")
    assert evaluate(by(ANONYMOUS), resource_policy=grant) == Evaluation(ALLOW, (ref("bucket"),), ())
    assert evaluate(by(ALICE), resource_policy=grant) == Evaluation(IMPLICIT_DENY, (), ())


def test_principal_and_not_principal_rules() -> None:
    both = {"Effect": "Allow", "Principal": "*", "NotPrincipal": {"AWS": ROLE_ARN}, "Action": "*"}
    with pytest.raises(
        PolicyError, match="statement #0 of bucket: a statement cannot have both Principal and NotPrincipal"
    ):
        evaluate(by(SESSION), resource_policy=policy("bucket", both))
    with pytest.raises(
        PolicyError, match="statement #0 of bucket: a resource-based policy statement needs Principal"
    ):
        evaluate(by(SESSION), resource_policy=policy("bucket", {"Effect": "Allow", "Action": "*"}))
    with pytest.raises(
        PolicyError, match="statement #0 of id: Principal and NotPrincipal are not allowed in identity"
    ):
        only("id", allow(Principal="*"), req=by(SESSION))


# --- Where the decision comes from: accounts, boundaries, principal kinds -----------------


def test_same_account_the_identity_policy_alone_or_the_resource_policy_alone_grants() -> None:
    id_policy = policy("id", allow(Action="s3:GetObject"))
    rp = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"})
    assert evaluate(by(ALICE), identity=[id_policy]) == Evaluation(ALLOW, (ref("id"),), ())
    assert evaluate(by(ALICE), resource_policy=rp) == Evaluation(ALLOW, (ref("bucket"),), ())
    assert (
        evaluate(by(ALICE), identity=[id_policy], resource_policy=rp, resource_account=ACCOUNT).decision
        is ALLOW
    )


def test_same_account_an_account_principal_only_delegates_to_identity_policies() -> None:
    rp = bucket_policy({"AWS": ACCOUNT})
    assert evaluate(by(ALICE), resource_policy=rp) == Evaluation(IMPLICIT_DENY, (ref("bucket"),), ())
    ev = evaluate(by(ALICE), identity=[policy("id", allow())], resource_policy=rp)
    assert ev == Evaluation(ALLOW, (ref("id"), ref("bucket")), ())


def test_cross_account_needs_both_the_identity_policy_and_the_resource_policy() -> None:
    id_policy = policy("id", allow(Action="s3:GetObject"))
    rp = bucket_policy({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"})
    assert evaluate(
        by(OTHER_SESSION), identity=[id_policy], resource_policy=rp, resource_account=ACCOUNT
    ) == Evaluation(ALLOW, (ref("id"), ref("bucket")), ())
    assert evaluate(by(OTHER_SESSION), resource_policy=rp, resource_account=ACCOUNT) == Evaluation(
        IMPLICIT_DENY, (ref("bucket"),), ()
    )
    assert evaluate(by(OTHER_SESSION), identity=[id_policy], resource_account=ACCOUNT) == Evaluation(
        IMPLICIT_DENY, (ref("id"),), ()
    )
    # The same two policies, same account: the identity policy alone suffices.
    assert evaluate(by(OTHER_SESSION), identity=[id_policy]) == Evaluation(ALLOW, (ref("id"),), ())


def test_cross_account_a_resource_policy_for_another_account_does_not_grant() -> None:
    id_policy = policy("id", allow())
    rp = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
    assert evaluate(
        by(OTHER_SESSION), identity=[id_policy], resource_policy=rp, resource_account=ACCOUNT
    ) == Evaluation(IMPLICIT_DENY, (ref("id"),), ())


def test_a_boundary_limits_identity_based_grants() -> None:
    id_policy = policy("id", allow(Action="s3:*"))
    assert evaluate(
        by(ALICE), identity=[id_policy], boundary=policy("boundary", allow(Action="s3:GetObject"))
    ) == Evaluation(ALLOW, (ref("id"), ref("boundary")), ())
    assert evaluate(
        by(ALICE), identity=[id_policy], boundary=policy("boundary", allow(Action="ec2:*"))
    ) == Evaluation(IMPLICIT_DENY, (ref("id"),), ())


def test_a_boundary_grants_nothing_by_itself() -> None:
    assert evaluate(by(ALICE), boundary=policy("boundary", allow())) == Evaluation(
        IMPLICIT_DENY, (ref("boundary"),), ()
    )


def test_a_deny_in_a_boundary_is_an_explicit_deny() -> None:
    boundary = policy("boundary", allow(), {"Effect": "Deny", "Action": "s3:*", "Resource": "*"})
    ev = evaluate(by(ALICE), identity=[policy("id", allow())], boundary=boundary)
    assert ev == Evaluation(EXPLICIT_DENY, (ref("id"), ref("boundary")), (ref("boundary", 1),))


@pytest.mark.parametrize(
    ("principal_element", "who", "limited"),
    [
        # "Policy evaluation logic", same-account table: a role ARN grant is limited by the boundary...
        ({"AWS": ROLE_ARN}, SESSION, True),
        # ... a role session ARN, a user ARN, or "*" grant is not.
        ({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/i-0abc"}, SESSION, False),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"}, ALICE, False),
        ("*", SESSION, False),
        ({"AWS": "*"}, ALICE, False),
    ],
)
def test_which_resource_based_grants_a_boundary_limits(
    principal_element: Any, who: Principal, limited: bool
) -> None:
    narrow = policy("boundary", allow(Action="ec2:*"))
    ev = evaluate(by(who), resource_policy=bucket_policy(principal_element), boundary=narrow)
    assert ev == Evaluation(IMPLICIT_DENY if limited else ALLOW, (ref("bucket"),), ())
    wide = policy("boundary", allow(Action="s3:*"))
    assert evaluate(by(who), resource_policy=bucket_policy(principal_element), boundary=wide) == Evaluation(
        ALLOW,
        (
            ref("bucket"),
            ref("boundary"),
        ),
        (),
    )


def test_cross_account_a_boundary_limits_everything() -> None:
    rp = bucket_policy({"AWS": f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/worker/i-0abc"})
    id_policy = policy("id", allow())
    ev = evaluate(
        by(OTHER_SESSION),
        identity=[id_policy],
        resource_policy=rp,
        boundary=policy("boundary", allow(Action="ec2:*")),
        resource_account=ACCOUNT,
    )
    assert ev == Evaluation(IMPLICIT_DENY, (ref("id"), ref("bucket")), ())


def test_anonymous_and_service_principals_only_have_the_resource_policy() -> None:
    id_policy = policy("id", allow(), {"Effect": "Deny", "Action": "*", "Resource": "*"})
    for who in (ANONYMOUS, SERVICE):
        assert evaluate(by(who), identity=[id_policy]) == Evaluation(IMPLICIT_DENY, (), ())
        assert evaluate(by(who), identity=[id_policy], resource_policy=bucket_policy("*")) == Evaluation(
            ALLOW, (ref("bucket"),), ()
        )


def test_the_root_user_has_full_access_in_its_own_account_but_not_past_a_deny() -> None:
    root = Principal.aws(ACCOUNT)
    assert root == Principal.aws(f"arn:aws:iam::{ACCOUNT}:root")
    assert root.account == ACCOUNT
    assert evaluate(by(root)) == Evaluation(ALLOW, (), ())
    deny = bucket_policy("*", "Deny")
    assert evaluate(by(root), resource_policy=deny) == Evaluation(EXPLICIT_DENY, (), (ref("bucket"),))
    # Cross-account the resource policy must still name it.
    assert evaluate(by(root), resource_account=OTHER_ACCOUNT) == Evaluation(IMPLICIT_DENY, (), ())


def test_the_root_user_cannot_assume_a_role() -> None:
    trust = policy("trust", {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"})
    root = Principal.aws(ACCOUNT)
    role = f"arn:aws:iam::{ACCOUNT}:role/target"
    assert evaluate(request("sts:AssumeRole", role, root), resource_policy=trust) == Evaluation(
        IMPLICIT_DENY, (ref("trust"),), ()
    )
    assert (
        evaluate(
            request("sts:AssumeRole", role, ALICE), identity=[policy("id", allow())], resource_policy=trust
        ).decision
        is ALLOW
    )


def test_a_role_trust_policy_must_allow_even_in_the_same_account() -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/target"
    id_policy = policy("id", allow(Action="sts:AssumeRole"))
    assert evaluate(request("sts:AssumeRole", role, ALICE), identity=[id_policy]) == Evaluation(
        IMPLICIT_DENY, (ref("id"),), ()
    )
    trust = policy("trust", {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"})
    assert (
        evaluate(request("sts:AssumeRole", role, ALICE), identity=[id_policy], resource_policy=trust).decision
        is ALLOW
    )
    # Naming the user directly, the trust policy alone suffices.
    direct = policy(
        "trust",
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/alice"},
            "Action": "sts:AssumeRole",
        },
    )
    assert evaluate(request("sts:AssumeRole", role, ALICE), resource_policy=direct) == Evaluation(
        ALLOW, (ref("trust"),), ()
    )


def test_principal_constructors() -> None:
    assert Principal.aws(f"arn:aws:iam::{ACCOUNT}:role/a/b/worker").account == ACCOUNT
    assert SESSION.account == ACCOUNT
    assert Principal.aws(f"arn:aws:sts::{ACCOUNT}:federated-user/bob").account == ACCOUNT
    assert SERVICE.account is None and ANONYMOUS.account is None and FEDERATED.account is None
    for bad in (
        "12345",
        f"arn:aws:iam::{ACCOUNT}:group/admins",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/worker",
        "arn:aws:s3:::b",
    ):
        with pytest.raises(ValueError):
            Principal.aws(bad)


def test_request_and_evaluate_reject_malformed_input() -> None:
    with pytest.raises(ValueError, match="differ only in case"):
        ctx("s3:GetObject", OBJECT, SESSION, {"aws:ResourceTag/Foo": "a", "aws:resourcetag/foo": "b"})
    with pytest.raises(ValueError, match="service:Action"):
        Request("StartInstances", INSTANCE, SESSION)
    with pytest.raises(ValueError, match="12-digit"):
        evaluate(request(), resource_account="1234")


# --- Condition blocks -----------------------------------------------------------------------


def test_operators_are_and_ed() -> None:
    condition = {
        "StringEquals": {"aws:RequestedRegion": "us-west-2"},
        "Bool": {"aws:SecureTransport": "true"},
    }
    assert applies(condition, {"aws:RequestedRegion": "us-west-2", "aws:SecureTransport": True})
    assert not applies(condition, {"aws:RequestedRegion": "us-west-2", "aws:SecureTransport": False})
    assert not applies(condition, {"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": True})


def test_keys_within_an_operator_are_and_ed() -> None:
    condition = {"StringEquals": {"aws:RequestedRegion": "us-west-2", "ec2:InstanceType": "m5.large"}}
    assert applies(condition, {"aws:RequestedRegion": "us-west-2", "ec2:InstanceType": "m5.large"})
    assert not applies(condition, {"aws:RequestedRegion": "us-west-2", "ec2:InstanceType": "m5.xlarge"})


def test_values_of_a_positive_operator_are_or_ed() -> None:
    condition = {"StringEquals": {"ec2:InstanceType": ["m5.large", "m5.xlarge"]}}
    assert applies(condition, {"ec2:InstanceType": "m5.xlarge"})
    assert not applies(condition, {"ec2:InstanceType": "m5.2xlarge"})


def test_values_of_a_negated_operator_are_nor_ed() -> None:
    # StringNotEquals with several values: not equal to any of them.
    condition = {"StringNotEquals": {"ec2:InstanceType": ["m5.large", "m5.xlarge"]}}
    assert applies(condition, {"ec2:InstanceType": "m5.2xlarge"})
    assert not applies(condition, {"ec2:InstanceType": "m5.xlarge"})
    assert not applies(condition, {"ec2:InstanceType": "m5.large"})


def test_condition_key_names_are_case_insensitive_tag_key_included_values_are_not() -> None:
    # "IAM JSON policy elements: Condition": key names, the tag-key part too, are not case-sensitive.
    condition = {"StringEquals": {"aws:ResourceTag/Anyscale-Cloud-Id": "cld_x"}}
    assert applies(condition, {"AWS:resourcetag/anyscale-cloud-id": "cld_x"})
    assert not applies(condition, {"aws:ResourceTag/Anyscale-Cloud-Id": "CLD_X"})


def test_the_same_key_twice_in_different_case_in_one_operator_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="the same condition key twice"):
        applies({"StringEquals": {"aws:ResourceTag/a": "x", "aws:resourcetag/A": "y"}})


# --- Condition operators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "expected", "actual", "result"),
    [
        ("StringEquals", "Prod", "Prod", True),
        ("StringEquals", "Prod", "prod", False),
        ("StringEquals", "Pro*", "Prod", False),  # no wildcards
        ("StringEquals", "Pro*", "Pro*", True),
        ("StringNotEquals", "Prod", "prod", True),
        ("StringNotEquals", "Prod", "Prod", False),
        ("StringEqualsIgnoreCase", "Prod", "pROD", True),
        ("StringEqualsIgnoreCase", "Prod", "pROD2", False),
        ("StringNotEqualsIgnoreCase", "Prod", "pROD", False),
        ("StringNotEqualsIgnoreCase", "Prod", "Dev", True),
        ("StringLike", "home/*/docs", "home/alice/docs", True),
        ("StringLike", "home/*/docs", "home/alice/pics", False),
        ("StringLike", "Pro*", "prod", False),  # case-sensitive
        ("StringLike", "a:*", "a:b:c", True),  # * crosses colons in strings
        ("StringLike", "m5.?large", "m5.2large", True),
        ("StringLike", "m5.?large", "m5.large", False),
        ("StringLike", "", "", True),
        ("StringNotLike", "Pro*", "Prod", False),
        ("StringNotLike", "Pro*", "Dev", True),
    ],
)
def test_string_operators(operator: str, expected: str, actual: str, result: bool) -> None:
    assert applies({operator: {"aws:ResourceTag/env": expected}}, {"aws:ResourceTag/env": actual}) is result


@pytest.mark.parametrize(
    ("operator", "below", "equal", "above"),
    [
        ("NumericEquals", False, True, False),
        ("NumericNotEquals", True, False, True),
        ("NumericLessThan", True, False, False),
        ("NumericLessThanEquals", True, True, False),
        ("NumericGreaterThan", False, False, True),
        ("NumericGreaterThanEquals", False, True, True),
    ],
)
def test_numeric_operators(operator: str, below: bool, equal: bool, above: bool) -> None:
    condition = {operator: {"s3:max-keys": "10"}}
    assert applies(condition, {"s3:max-keys": 9}) is below
    assert applies(condition, {"s3:max-keys": "10"}) is equal
    assert applies(condition, {"s3:max-keys": 10.0}) is equal
    assert applies(condition, {"s3:max-keys": "10.5"}) is above


def test_numeric_values_compare_as_numbers_not_strings() -> None:
    assert applies({"NumericLessThan": {"s3:max-keys": 100}}, {"s3:max-keys": "20"})
    assert not applies({"StringEquals": {"s3:max-keys": "10.0"}}, {"s3:max-keys": 10})


@pytest.mark.parametrize(
    ("operator", "before", "at", "after"),
    [
        ("DateEquals", False, True, False),
        ("DateNotEquals", True, False, True),
        ("DateLessThan", True, False, False),
        ("DateLessThanEquals", True, True, False),
        ("DateGreaterThan", False, False, True),
        ("DateGreaterThanEquals", False, True, True),
    ],
)
def test_date_operators(operator: str, before: bool, at: bool, after: bool) -> None:
    condition = {operator: {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
    assert applies(condition, {"aws:CurrentTime": "2019-12-31T23:59:59Z"}) is before
    assert applies(condition, {"aws:CurrentTime": "2020-01-01T00:00:00Z"}) is at
    assert applies(condition, {"aws:CurrentTime": "2020-01-01T00:00:01Z"}) is after


def test_dates_may_be_iso_8601_in_any_zone_or_epoch_seconds() -> None:
    condition = {"DateEquals": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}
    assert applies(condition, {"aws:CurrentTime": 1577836800})
    assert applies(condition, {"aws:CurrentTime": "1577836800"})
    assert applies(condition, {"aws:CurrentTime": "2020-01-01T01:00:00+01:00"})
    assert applies(condition, {"aws:CurrentTime": "2020-01-01"})
    assert not applies(condition, {"aws:CurrentTime": "2020-01-01T00:00:00+01:00"})
    assert applies({"DateLessThan": {"aws:EpochTime": 1577836801}}, {"aws:EpochTime": "2020-01-01T00:00:00Z"})


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        ("true", True, True),
        ("True", "true", True),
        (True, "TRUE", True),
        ("false", False, True),
        (False, "false", True),
        ("false", True, False),
        ("true", "false", False),
    ],
)
def test_bool(expected: Any, actual: Any, result: bool) -> None:
    assert applies({"Bool": {"aws:SecureTransport": expected}}, {"aws:SecureTransport": actual}) is result


def test_binary_equals_compares_bytes_against_base64() -> None:
    condition = {"BinaryEquals": {"custom:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}
    assert applies(condition, {"custom:blob": b"BinaryValueInBase64"})
    assert applies(condition, {"custom:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="})
    assert not applies(condition, {"custom:blob": b"BinaryValueInBase65"})


@pytest.mark.parametrize(
    ("cidr", "address", "inside"),
    [
        ("10.0.0.0/24", "10.0.0.0", True),
        ("10.0.0.0/24", "10.0.0.255", True),
        ("10.0.0.0/24", "10.0.1.0", False),
        ("10.0.0.0/24", "9.255.255.255", False),
        ("203.0.113.7", "203.0.113.7", True),  # a bare address is a /32
        ("203.0.113.7", "203.0.113.8", False),
        ("::/0", "2001:db8::1", True),
        ("::/0", "10.0.0.1", False),  # IPv4 is not in an IPv6 range
        ("0.0.0.0/0", "2001:db8::1", False),
        ("2001:db8::/32", "2001:db8:ffff::1", True),
        ("2001:DB8::/32", "2001:db9::1", False),
    ],
)
def test_ip_address_operators(cidr: str, address: str, inside: bool) -> None:
    assert applies({"IpAddress": {"aws:SourceIp": cidr}}, {"aws:SourceIp": address}) is inside
    assert applies({"NotIpAddress": {"aws:SourceIp": cidr}}, {"aws:SourceIp": address}) is not inside


def test_ip_address_values_are_or_ed_across_families() -> None:
    condition = {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}
    assert applies(condition, {"aws:SourceIp": "2001:db8:1234:5678::9"})
    assert applies(condition, {"aws:SourceIp": "203.0.113.200"})
    assert not applies(condition, {"aws:SourceIp": "2001:db8:1234:5679::9"})


def test_arn_operators_match_each_of_the_six_components_separately() -> None:
    # The example of "Condition operators" (ARN): StringLike matches, ArnLike does not.
    pattern, value = (
        "arn:aws:someservice:*:111122223333:finance/*",
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
    )
    assert applies({"StringLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    assert not applies({"ArnLike": {"aws:SourceArn": pattern}}, {"aws:SourceArn": value})
    assert applies(
        {"ArnLike": {"aws:SourceArn": pattern}},
        {"aws:SourceArn": "arn:aws:someservice:us-east-2:111122223333:finance/a:b"},
    )


@pytest.mark.parametrize("operator", ["ArnEquals", "ArnLike"])
def test_arn_equals_and_arn_like_behave_identically(operator: str) -> None:
    condition = {operator: {"aws:PrincipalArn": "arn:aws:iam::*:role/anyscale-*"}}
    assert applies(condition, {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/anyscale-cluster"})
    assert not applies(condition, {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/other"})
    assert not applies(condition, {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/Anyscale-cluster"})
    assert not applies(condition, {"aws:PrincipalArn": "not-an-arn"})
    assert applies({operator: {"aws:SourceArn": "*"}}, {"aws:SourceArn": "arn:aws:sns:us-east-1:1:t"})


@pytest.mark.parametrize("operator", ["ArnNotEquals", "ArnNotLike"])
def test_arn_not_operators(operator: str) -> None:
    condition = {operator: {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/alice"}}
    assert applies(condition, {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/bob"})
    assert not applies(condition, {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:user/alice"})


def test_arn_operator_with_a_variable() -> None:
    condition = {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:PrincipalTag/topic}"}}
    assert applies(
        condition, {"aws:SourceArn": "arn:aws:sns:us-east-1:1:alerts", "aws:PrincipalTag/topic": "alerts"}
    )
    assert not applies(
        condition, {"aws:SourceArn": "arn:aws:sns:us-east-1:1:alerts", "aws:PrincipalTag/topic": "other"}
    )


def test_null() -> None:
    assert applies({"Null": {"aws:TokenIssueTime": "true"}}, {})
    assert not applies(
        {"Null": {"aws:TokenIssueTime": "true"}}, {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"}
    )
    assert applies({"Null": {"aws:TokenIssueTime": False}}, {"aws:TokenIssueTime": "2020-01-01T00:00:00Z"})
    assert not applies({"Null": {"aws:TokenIssueTime": "false"}}, {})


def test_if_exists_is_true_without_the_key_and_the_base_operator_with_it() -> None:
    condition = {"StringLikeIfExists": {"ec2:InstanceType": ["t3.*", "m5.*"]}}
    assert applies(condition, {})
    assert applies(condition, {"ec2:InstanceType": "t3.micro"})
    assert not applies(condition, {"ec2:InstanceType": "p4d.24xlarge"})
    negated = {"StringNotEqualsIfExists": {"ec2:InstanceType": "p4d.24xlarge"}}
    assert applies(negated, {})
    assert not applies(negated, {"ec2:InstanceType": "p4d.24xlarge"})


ALL_POSITIVE = {
    "StringEquals": "x", "StringEqualsIgnoreCase": "x", "StringLike": "*",
    "NumericEquals": "1", "NumericLessThan": "1", "NumericLessThanEquals": "1",
    "NumericGreaterThan": "1", "NumericGreaterThanEquals": "1",
    "DateEquals": "2020-01-01T00:00:00Z", "DateLessThan": "2020-01-01T00:00:00Z",
    "DateLessThanEquals": "2020-01-01T00:00:00Z", "DateGreaterThan": "2020-01-01T00:00:00Z",
    "DateGreaterThanEquals": "2020-01-01T00:00:00Z", "Bool": "true", "BinaryEquals": "eA==",
    "IpAddress": "0.0.0.0/0", "ArnEquals": "*", "ArnLike": "*",
}  # fmt: skip
ALL_NEGATED = {
    "StringNotEquals": "x", "StringNotEqualsIgnoreCase": "x", "StringNotLike": "*",
    "NumericNotEquals": "1", "DateNotEquals": "2020-01-01T00:00:00Z", "NotIpAddress": "0.0.0.0/0",
    "ArnNotEquals": f"arn:aws:iam::{ACCOUNT}:root", "ArnNotLike": f"arn:aws:iam::{ACCOUNT}:root",
}  # fmt: skip


@pytest.mark.parametrize(("operator", "value"), ALL_POSITIVE.items())
def test_a_positive_operator_on_a_missing_key_is_false_and_its_if_exists_form_true(
    operator: str, value: str
) -> None:
    assert not applies({operator: {"custom:key": value}}, {"custom:other": "x"})
    assert applies({f"{operator}IfExists": {"custom:key": value}}, {"custom:other": "x"})


@pytest.mark.parametrize(("operator", "value"), ALL_NEGATED.items())
def test_a_negated_operator_on_a_missing_key_is_true(operator: str, value: str) -> None:
    # "Condition operators": "If the policy condition requires that the key is not matched ... the condition is true".
    assert applies({operator: {"custom:key": value}}, {})
    assert applies({f"{operator}IfExists": {"custom:key": value}}, {})


@pytest.mark.parametrize(
    "operator",
    [
        "StringEqual",
        "stringequals",
        "StringEqualsIfExist",
        "NullIfExists",
        "ForEveryValue:StringEquals",
        "ForAnyValue:Null",
        "IpAddressNot",
    ],
)
def test_an_unknown_operator_is_a_policy_error_naming_source_and_statement(operator: str) -> None:
    with pytest.raises(PolicyError, match=r"statement Tagged of id: "):
        only(
            "id", {"Sid": "Tagged", **allow(Condition={operator: {"aws:ResourceTag/x": "y"}})}, req=request()
        )


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"NumericLessThan": {"s3:max-keys": "ten"}}, "not a number"),
        ({"DateLessThan": {"aws:CurrentTime": "yesterday"}}, "not an ISO 8601 date"),
        ({"Bool": {"aws:SecureTransport": "yes"}}, "not a boolean"),
        ({"Null": {"aws:TokenIssueTime": "absent"}}, "not a boolean"),
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}, "not an IP address or CIDR"),
        ({"BinaryEquals": {"custom:blob": "not base64!"}}, "not base-64"),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:sns"}}, "not an ARN"),
    ],
)
def test_a_bad_policy_value_is_a_policy_error_even_when_the_action_does_not_match(
    condition: dict[str, Any], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        only("id", allow(Action="s3:PutObject", Condition=condition), req=request())


# --- Set operators and multivalued keys -----------------------------------------------------


def test_for_any_value_is_true_when_one_request_value_matches() -> None:
    condition = {"ForAnyValue:StringEquals": {"aws:TagKeys": ["anyscale-cloud-id"]}}
    assert applies(condition, {"aws:TagKeys": ["Name", "anyscale-cloud-id"]})
    assert not applies(condition, {"aws:TagKeys": ["Name"]})
    assert not applies(condition, {})
    assert not applies(condition, {"aws:TagKeys": []})


def test_for_all_values_is_true_when_every_request_value_matches_or_there_is_none() -> None:
    condition = {"ForAllValues:StringEquals": {"aws:TagKeys": ["Name", "anyscale-cloud-id"]}}
    assert applies(condition, {})
    assert applies(condition, {"aws:TagKeys": []})
    assert applies(condition, {"aws:TagKeys": ["anyscale-cloud-id"]})
    assert applies(condition, {"aws:TagKeys": ["Name", "anyscale-cloud-id"]})
    assert not applies(condition, {"aws:TagKeys": ["Name", "Owner"]})


def test_set_operators_with_negated_operators() -> None:
    forbidden = {"ForAnyValue:StringNotLike": {"aws:TagKeys": ["anyscale-*"]}}
    assert applies(forbidden, {"aws:TagKeys": ["anyscale-cloud-id", "Name"]})
    assert not applies(forbidden, {"aws:TagKeys": ["anyscale-cloud-id"]})
    none_of = {"ForAllValues:StringNotEquals": {"aws:TagKeys": ["Owner", "CostCenter"]}}
    assert applies(none_of, {"aws:TagKeys": ["Name", "Env"]})
    assert not applies(none_of, {"aws:TagKeys": ["Name", "Owner"]})


def test_set_operators_with_negated_operators_on_a_missing_key() -> None:
    assert not applies({"ForAnyValue:StringNotEquals": {"aws:TagKeys": "Owner"}}, {})
    assert applies({"ForAllValues:StringNotEquals": {"aws:TagKeys": "Owner"}}, {})


def test_a_single_value_is_a_one_element_set_for_set_operators() -> None:
    assert applies({"ForAnyValue:StringEquals": {"aws:TagKeys": "Name"}}, {"aws:TagKeys": "Name"})
    assert not applies({"ForAllValues:StringEquals": {"aws:TagKeys": "Name"}}, {"aws:TagKeys": "Owner"})


def test_a_single_valued_operator_on_several_request_values_is_a_policy_error() -> None:
    # "Single-valued vs. multivalued context keys": multivalued keys require a set operator.
    with pytest.raises(PolicyError, match="needs ForAllValues: or ForAnyValue:"):
        applies({"StringEquals": {"aws:TagKeys": "Name"}}, {"aws:TagKeys": ["Name", "Owner"]})
    assert applies({"StringEquals": {"aws:TagKeys": "Name"}}, {"aws:TagKeys": ["Name"]})
    assert not applies({"StringEquals": {"aws:TagKeys": "Name"}}, {"aws:TagKeys": ["Owner"]})


def test_a_none_context_value_is_an_absent_key() -> None:
    assert applies({"Null": {"aws:TokenIssueTime": "true"}}, {"aws:TokenIssueTime": None})
    assert not applies({"StringEquals": {"aws:username": "alice"}}, {"aws:username": None})


def test_a_variable_in_a_bool_value_is_a_policy_error() -> None:
    # "Variables and tags" says Bool takes no variables ("Condition operators" says it does):
    # we follow the variables page, so such a value cannot be evaluated.
    with pytest.raises(PolicyError, match="policy variables only work with String and Arn"):
        applies({"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls}"}}, {"aws:SecureTransport": True})


# --- Type coercion --------------------------------------------------------------------------


def test_context_values_are_coerced_to_the_operator_type() -> None:
    assert applies({"StringEquals": {"custom:n": "5"}}, {"custom:n": 5})
    assert applies({"StringEquals": {"custom:b": "true"}}, {"custom:b": True})
    assert not applies({"StringEquals": {"custom:b": "True"}}, {"custom:b": True})
    assert applies({"NumericEquals": {"custom:n": 5}}, {"custom:n": "5.0"})
    assert applies({"StringEquals": {"custom:n": 5}}, {"custom:n": "5"})
    with pytest.raises(PolicyError, match="not a number"):
        applies({"NumericEquals": {"custom:n": 5}}, {"custom:n": "five"})


# --- Statement grammar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ({"Action": "*", "Resource": "*"}, 'Effect must be "Allow" or "Deny"'),
        ({"Effect": "allow", "Action": "*", "Resource": "*"}, 'Effect must be "Allow" or "Deny"'),
        ({"Effect": "Allow", "Resource": "*"}, "exactly one of Action and NotAction"),
        (
            {"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"},
            "exactly one of Action and NotAction",
        ),
        (
            {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "arn:aws:s3:::b"},
            "both Resource and NotResource",
        ),
        ({"Effect": "Allow", "Action": "StartInstances", "Resource": "*"}, "not a service:action pattern"),
        (
            {"Effect": "Allow", "Action": {"ec2": "*"}, "Resource": "*"},
            "Action must be a string or a list of strings",
        ),
        ({"Effect": "Allow", "Action": "*", "Resource": "*", "Conditions": {}}, "unknown element"),
        (
            {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": "x"}},
            "must map condition keys",
        ),
    ],
)
def test_a_statement_aws_would_reject_is_a_policy_error(statement: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError, match=f"statement #1 of aws:iam/rolePolicy:steady-state: .*{message}"):
        only("aws:iam/rolePolicy:steady-state", allow(), statement, req=request())


def test_action_and_not_action_together_is_a_policy_error_naming_the_statement() -> None:
    statement = {"Sid": "Both", "Effect": "Allow", "Action": "ec2:*", "NotAction": "iam:*", "Resource": "*"}
    with pytest.raises(PolicyError) as error:
        only("deployer", statement, req=request())
    assert (
        str(error.value)
        == "statement Both of deployer: a statement needs exactly one of Action and NotAction"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"Version": "2012-10-17"}, "Statement must be an object or a list"),
        ({"Version": "2012-10-18", "Statement": []}, "unknown Version"),
        ({"Version": "2012-10-17", "Statement": [], "Extra": 1}, "unknown element"),
        (["not", "a", "document"], "must be an object"),
    ],
)
def test_a_document_aws_would_reject_is_a_policy_error(document: Any, message: str) -> None:
    with pytest.raises(PolicyError, match=f"^doc: .*{message}"):
        evaluate(request(), identity=[PolicySource("doc", document)])


def test_statement_applies_ignores_effect_and_checks_principal_only_for_resource_policies() -> None:
    deny = {"Effect": "Deny", "Action": "ec2:Start*", "Resource": "*"}
    assert statement_applies(deny, request())
    assert not statement_applies(deny, request("ec2:StopInstances"))
    trust = {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
    assert statement_applies(
        trust,
        request("sts:AssumeRole", ROLE_ARN, Principal.service("ec2.amazonaws.com")),
        resource_policy=True,
    )
    assert not statement_applies(trust, request("sts:AssumeRole", ROLE_ARN, SESSION), resource_policy=True)
    with pytest.raises(PolicyError, match="needs Resource or NotResource"):
        statement_applies({"Effect": "Allow", "Action": "*"}, request())


# --- Scenarios: the Anyscale cross-account role, instances, the bucket ---------------------

CLOUD = "cld_x"


def test_start_instances_on_request_tag_is_never_allowed_for_what_a_start_request_carries() -> None:
    on_request_tag = allow(
        Sid="Start",
        Action="ec2:StartInstances",
        Condition={"StringEquals": {"aws:RequestTag/anyscale-cloud-id": CLOUD}},
    )
    real_start = ctx("ec2:StartInstances", INSTANCE, SESSION, {"aws:ResourceTag/anyscale-cloud-id": CLOUD})
    assert only("steady", on_request_tag, req=real_start) == Evaluation(IMPLICIT_DENY, (), ())
    on_resource_tag = allow(
        Sid="Start",
        Action="ec2:StartInstances",
        Condition={"StringEquals": {"aws:ResourceTag/anyscale-cloud-id": CLOUD}},
    )
    assert only("steady", on_resource_tag, req=real_start) == Evaluation(
        ALLOW, (ref("steady", 0, "Start"),), ()
    )
    other_cloud = ctx("ec2:StartInstances", INSTANCE, SESSION, {"aws:ResourceTag/anyscale-cloud-id": "cld_y"})
    assert only("steady", on_resource_tag, req=other_cloud) == Evaluation(IMPLICIT_DENY, (), ())


TAG_GUARD = {
    "Sid": "TagGuard",
    "Effect": "Deny",
    "Action": ["ec2:CreateTags", "ec2:DeleteTags"],
    "Resource": "arn:aws:ec2:*:*:instance/*",
    "Condition": {
        "StringNotEquals": {
            "aws:ResourceTag/anyscale-cloud-id": CLOUD,
            "ec2:CreateAction": ["RunInstances", "StartInstances"],
        }
    },
}


def tagging(action: str, context: dict[str, Any]) -> Evaluation:
    return evaluate(
        ctx(action, INSTANCE, SESSION, context),
        identity=[policy("steady", {"Sid": "Tags", **allow(Action="ec2:*Tags")}, TAG_GUARD)],
    )


def test_the_tag_guard_denies_delete_tags_on_an_untagged_instance() -> None:
    assert tagging("ec2:DeleteTags", {}) == Evaluation(
        EXPLICIT_DENY, (ref("steady", 0, "Tags"),), (ref("steady", 1, "TagGuard"),)
    )


def test_the_tag_guard_denies_delete_tags_on_another_clouds_instance() -> None:
    ev = tagging("ec2:DeleteTags", {"aws:ResourceTag/anyscale-cloud-id": "cld_other"})
    assert ev == Evaluation(EXPLICIT_DENY, (ref("steady", 0, "Tags"),), (ref("steady", 1, "TagGuard"),))


def test_the_tag_guard_allows_delete_tags_on_this_clouds_instance() -> None:
    assert tagging("ec2:DeleteTags", {"aws:ResourceTag/anyscale-cloud-id": CLOUD}) == Evaluation(
        ALLOW, (ref("steady", 0, "Tags"),), ()
    )


def test_the_tag_guard_does_not_deny_create_tags_during_run_instances() -> None:
    assert tagging("ec2:CreateTags", {"ec2:CreateAction": "RunInstances"}) == Evaluation(
        ALLOW, (ref("steady", 0, "Tags"),), ()
    )
    assert tagging("ec2:CreateTags", {"ec2:CreateAction": "CreateTags"}) == Evaluation(
        EXPLICIT_DENY, (ref("steady", 0, "Tags"),), (ref("steady", 1, "TagGuard"),)
    )


ANYSCALE = "525325868955"
CUSTOMER = "000000000001"
CROSS_ROLE = f"arn:aws:iam::{CUSTOMER}:role/anyscale-cross-account"
CONTROL_PLANE = Principal.aws(f"arn:aws:sts::{ANYSCALE}:assumed-role/control-plane/session-1")


def trust(condition: dict[str, Any]) -> PolicySource:
    return policy(
        "trust",
        {
            "Sid": "AnyscaleControlPlaneAssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ANYSCALE}:root"},
            "Action": "sts:AssumeRole",
            "Condition": condition,
        },
    )


CALLER = policy(
    "caller", {"Sid": "Assume", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": CROSS_ROLE}
)
EXTERNAL_ID = {"StringEquals": {"sts:ExternalId": "org_a-1"}}
TRUSTED = ref("trust", 0, "AnyscaleControlPlaneAssumeRole")


def assume(
    principal: Principal = CONTROL_PLANE,
    identity: tuple[PolicySource, ...] = (CALLER,),
    condition: dict[str, Any] = EXTERNAL_ID,
    **context: Any,
) -> Evaluation:
    req = ctx("sts:AssumeRole", CROSS_ROLE, principal, {"sts:" + k: v for k, v in context.items()})
    return evaluate(req, identity=identity, resource_policy=trust(condition), resource_account=CUSTOMER)


def test_the_trust_policy_admits_anyscale_with_the_right_external_id() -> None:
    assert assume(ExternalId="org_a-1") == Evaluation(ALLOW, (ref("caller", 0, "Assume"), TRUSTED), ())


def test_cross_account_the_caller_also_needs_an_identity_policy() -> None:
    assert assume(identity=(), ExternalId="org_a-1") == Evaluation(IMPLICIT_DENY, (TRUSTED,), ())


def test_the_trust_policy_refuses_a_wrong_or_missing_external_id() -> None:
    assert assume(ExternalId="org_b-1") == Evaluation(IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ())
    assert assume(ExternalId="ORG_A-1") == Evaluation(IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ())
    assert assume() == Evaluation(IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ())


def test_string_like_star_admits_any_external_id_but_not_none() -> None:
    any_id = {"StringLike": {"sts:ExternalId": "*"}}
    assert assume(condition=any_id, ExternalId="whatever") == Evaluation(
        ALLOW,
        (
            ref("caller", 0, "Assume"),
            TRUSTED,
        ),
        (),
    )
    assert assume(condition=any_id) == Evaluation(IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ())


def test_string_equals_if_exists_admits_a_request_without_an_external_id() -> None:
    if_exists = {"StringEqualsIfExists": {"sts:ExternalId": "org_a-1"}}
    assert assume(condition=if_exists) == Evaluation(ALLOW, (ref("caller", 0, "Assume"), TRUSTED), ())
    assert assume(condition=if_exists, ExternalId="org_b-1") == Evaluation(
        IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ()
    )


def test_the_trust_policy_refuses_another_account() -> None:
    stranger = Principal.aws("arn:aws:sts::999999999999:assumed-role/control-plane/session-1")
    assert assume(stranger, ExternalId="org_a-1") == Evaluation(
        IMPLICIT_DENY, (ref("caller", 0, "Assume"),), ()
    )


TLS_ONLY = {
    "Sid": "TlsOnly",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def test_the_bucket_tls_deny_denies_plain_http() -> None:
    bucket = policy("bucket", TLS_ONLY)
    id_policy = policy("id", allow(Action="s3:*"))
    plain = evaluate(
        ctx("s3:GetObject", OBJECT, SESSION, {"aws:SecureTransport": False}),
        identity=[id_policy],
        resource_policy=bucket,
    )
    assert plain == Evaluation(EXPLICIT_DENY, (ref("id"),), (ref("bucket", 0, "TlsOnly"),))
    tls = evaluate(
        ctx("s3:GetObject", OBJECT, SESSION, {"aws:SecureTransport": True}),
        identity=[id_policy],
        resource_policy=bucket,
    )
    assert tls == Evaluation(ALLOW, (ref("id"),), ())
    listing = evaluate(
        ctx("s3:ListBucket", BUCKET, SESSION, {"aws:SecureTransport": "false"}),
        identity=[id_policy],
        resource_policy=bucket,
    )
    assert listing == Evaluation(EXPLICIT_DENY, (ref("id"),), (ref("bucket", 0, "TlsOnly"),))


def test_the_same_statement_with_effect_allow_is_not_a_deny() -> None:
    bucket = policy("bucket", {**TLS_ONLY, "Effect": "Allow"})
    ev = evaluate(
        ctx("s3:GetObject", OBJECT, SESSION, {"aws:SecureTransport": False}), resource_policy=bucket
    )
    assert ev == Evaluation(ALLOW, (ref("bucket", 0, "TlsOnly"),), ())


def test_anonymous_get_object_on_a_public_bucket() -> None:
    public = policy(
        "bucket",
        {
            "Sid": "Public",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
        },
    )
    assert evaluate(by(ANONYMOUS), resource_policy=public) == Evaluation(
        ALLOW, (ref("bucket", 0, "Public"),), ()
    )
    assert evaluate(request("s3:PutObject", OBJECT, ANONYMOUS), resource_policy=public) == Evaluation(
        IMPLICIT_DENY, (), ()
    )
    assert (
        evaluate(
            by(ANONYMOUS), resource_policy=policy("bucket", TLS_ONLY, public.document["Statement"][0])
        ).decision
        is ALLOW
    )

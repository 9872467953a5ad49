"""anyscale_infra.gcp.roles: the access role's permissions and reasons, the federation
provider's mapping and condition (evaluated on sample callers), and the id/name validators.

The condition is checked two ways: its exact text, and its meaning, by evaluating it (and
the attribute mapping it relies on) with the small CEL evaluator below. The evaluator covers
the shape ``roles`` emits and the anchor's: string literals, ``assertion``/``google``/
``attribute`` fields, ``.contains``/``.startsWith``/``.extract``, ``+``, ``==``, ``&&``,
``||``, ``!`` and ``? :``. ``extract`` mirrors Google's documented semantics (the text
between the template's first literal part and the next occurrence of its second, ``""``
when either is missing). A failing evaluation (an unknown attribute) denies, as Google does.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anyscale_infra.gcp import roles

ORG = "org_7c1Kalm9WcX2bNIjW53GUT"
ROLE_ARN = "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT"
CONDITION = (
    'attribute.aws_role == "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT" && '
    'google.subject.startsWith("arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT/")'
)
MAPPING = {
    "google.subject": "assertion.arn",
    "attribute.aws_role": (
        "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') "
        "+ 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn"
    ),
    "attribute.arn": "assertion.arn",
}
#: The anchor's condition (modules/google-anyscale-iam/main.tf), for contrast.
ANCHOR_CONDITION = 'google.subject.startsWith("arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT")'
#: `CloudController._validate_gcp_config`'s check of --provider-name, copied from the CLI.
CLI_PROVIDER_NAME_REGEX = r"projects\/[0-9]*\/locations\/global\/workloadIdentityPools\/.+\/providers\/[a-z0-9-]*$"
POOL = "projects/364490735216/locations/global/workloadIdentityPools/anyscale-access-pool"


# --- a small CEL evaluator -------------------------------------------------------------------
class CelError(Exception):
    pass


_TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^'\\]*'|\"[^\"\\]*\")|(?P<op>&&|\|\||==|!=|[()?:.+!])|(?P<ident>[A-Za-z_][A-Za-z0-9_]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match:
            raise CelError(f"cannot read {text[pos:]!r}")
        kind = match.lastgroup
        value = match.group(kind)
        out.append((kind, value[1:-1] if kind == "str" else value))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens, self.pos = _tokens(text), 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) and self.tokens[self.pos][0] == "op" else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.tokens) or (op is not None and self.peek() != op):
            raise CelError(f"expected {op!r} at token {self.pos}")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self) -> Any:
        node = self.expr()
        if self.pos != len(self.tokens):
            raise CelError(f"unexpected {self.tokens[self.pos]}")
        return node

    def expr(self) -> Any:
        cond = self.binary(("||",), self.conj)
        if self.peek() == "?":
            self.take("?")
            then = self.expr()
            self.take(":")
            return ("?", cond, then, self.expr())
        return cond

    def binary(self, ops: tuple[str, ...], operand) -> Any:
        node = operand()
        while self.peek() in ops:
            node = (self.take()[1], node, operand())
        return node

    def conj(self) -> Any:
        return self.binary(("&&",), self.eq)

    def eq(self) -> Any:
        return self.binary(("==", "!="), self.add)

    def add(self) -> Any:
        return self.binary(("+",), self.postfix)

    def postfix(self) -> Any:
        if self.peek() == "!":
            self.take("!")
            return ("!", self.postfix())
        node = self.primary()
        while self.peek() == ".":
            self.take(".")
            kind, name = self.take()
            if kind != "ident":
                raise CelError(f"expected a name after '.', got {name!r}")
            if self.peek() == "(":
                self.take("(")
                arg = self.expr()
                self.take(")")
                node = ("call", name, node, arg)
            else:
                node = ("field", node, name)
        return node

    def primary(self) -> Any:
        if self.peek() == "(":
            self.take("(")
            node = self.expr()
            self.take(")")
            return node
        kind, value = self.take()
        if kind == "str":
            return ("lit", value)
        if kind == "ident":
            return ("var", value)
        raise CelError(f"unexpected {value!r}")


def _extract(value: str, template: str) -> str:
    before, rest = template.split("{", 1)
    after = rest.split("}", 1)[1]
    at = value.find(before) if before else 0
    if at < 0:
        return ""
    start = at + len(before)
    if not after:
        return value[start:]
    end = value.find(after, start)
    return "" if end < 0 else value[start:end]


_METHODS = {
    "contains": lambda s, a: a in s,
    "startsWith": lambda s, a: s.startswith(a),
    "endsWith": lambda s, a: s.endswith(a),
    "extract": _extract,
}


def _eval(node: Any, env: dict[str, Any]) -> Any:
    op = node[0]
    if op == "lit":
        return node[1]
    if op == "var":
        if node[1] not in env:
            raise CelError(f"undeclared {node[1]}")
        return env[node[1]]
    if op == "field":
        obj = _eval(node[1], env)
        if not isinstance(obj, dict) or node[2] not in obj:
            raise CelError(f"no such attribute {node[2]}")
        return obj[node[2]]
    if op == "call":
        target, arg = _eval(node[2], env), _eval(node[3], env)
        if not isinstance(target, str) or not isinstance(arg, str):
            raise CelError("string methods take strings")
        return _METHODS[node[1]](target, arg)
    if op == "?":
        return _eval(node[2], env) if _eval(node[1], env) is True else _eval(node[3], env)
    if op == "!":
        return not _eval(node[1], env)
    left = _eval(node[1], env)
    if op == "&&":
        return left is True and _eval(node[2], env) is True
    if op == "||":
        return left is True or _eval(node[2], env) is True
    right = _eval(node[2], env)
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "+":
        return left + right
    raise CelError(f"unknown operator {op}")


def cel(expression: str, env: dict[str, Any]) -> Any:
    return _eval(_Parser(expression).parse(), env)


def federate(arn: str, mapping: dict[str, str], condition: str) -> tuple[bool, dict[str, Any]]:
    """What Google does with a caller: map the assertion, then evaluate the condition."""
    assertion = {"arn": arn}
    targets: dict[str, dict[str, Any]] = {"google": {}, "attribute": {}}
    for key, expression in mapping.items():
        scope, name = key.split(".", 1)
        targets[scope][name] = cel(expression, {"assertion": assertion})
    try:
        admitted = cel(condition, {"assertion": assertion, **targets}) is True
    except CelError:
        admitted = False
    return admitted, targets


def admitted(arn: str, condition: str = CONDITION) -> bool:
    return federate(arn, MAPPING, condition)[0]


# --- the evaluator on Google's documented examples ---------------------------------------
def test_evaluator_maps_aws_role_as_google_documents():
    _, targets = federate("arn:aws:sts::999999999999:assumed-role/stack-eu-central-1-lambdaRole/aws-lambda-session", MAPPING, "true == true")
    assert targets["attribute"]["aws_role"] == "arn:aws:sts::999999999999:assumed-role/stack-eu-central-1-lambdaRole"
    _, targets = federate("arn:aws:iam::999999999999:user/alice", MAPPING, "true == true")
    assert targets["attribute"]["aws_role"] == "arn:aws:iam::999999999999:user/alice"
    assert _extract("a/b/c", "{x}b/") == "a/" and _extract("a/b/c", "q/{x}/") == "" and _extract("a/b", "a/{x}/") == ""


# --- the condition and mapping ---------------------------------------------------------------
def test_condition_and_mapping_text():
    assert roles.attribute_condition(ORG) == CONDITION
    assert roles.attribute_mapping() == MAPPING
    assert roles.anyscale_role_arn(ORG) == ROLE_ARN


@pytest.mark.parametrize("session", ["anyscale", "i-0abc123", "cld_abc.worker@x", "a" * 64, "gcp_if_x"])
def test_exact_role_is_admitted_whatever_the_session(session):
    assert admitted(f"{ROLE_ARN}/{session}")


NEAR_MISSES = {
    "longer role name (anchor admits it)": f"{ROLE_ARN}x/session",
    "role name with a suffix (anchor admits it)": f"{ROLE_ARN}-admin/session",
    "shorter role name": "arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GU/session",
    "another organization": "arn:aws:sts::525325868955:assumed-role/gcp_if_org_someoneElse123/session",
    "organization id in another case": f"arn:aws:sts::525325868955:assumed-role/gcp_if_{ORG.lower()}/session",
    "another account": "arn:aws:sts::111122223333:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT/session",
    "another partition": "arn:aws-cn:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT/session",
    "IAM user (not an assumed role)": "arn:aws:iam::525325868955:user/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT",
    "IAM role ARN (not a session)": "arn:aws:iam::525325868955:role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT",
    "federated user": "arn:aws:sts::525325868955:federated-user/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT",
    "no session part": ROLE_ARN,
    "role name as the session": "arn:aws:sts::525325868955:assumed-role/other/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT",
    "empty": "",
}


@pytest.mark.parametrize("arn", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_misses_are_rejected(arn):
    assert not admitted(arn)


@pytest.mark.parametrize("arn", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_each_half_of_the_condition_rejects_them_alone(arn):
    for half in CONDITION.split(" && "):
        assert not admitted(arn, half), half
    for half in CONDITION.split(" && "):
        assert admitted(f"{ROLE_ARN}/session", half), half


def test_the_anchors_condition_admitted_a_longer_role_name():
    assert admitted(f"{ROLE_ARN}x/session", ANCHOR_CONDITION)
    assert admitted(f"{ROLE_ARN}-admin/session", ANCHOR_CONDITION)


_AWS_NAME = st.from_regex(r"[A-Za-z0-9_+=,.@-]{2,64}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(session=_AWS_NAME)
def test_any_session_of_the_exact_role_is_admitted(session):
    assert admitted(f"{ROLE_ARN}/{session}")


@settings(max_examples=300, deadline=None)
@given(role=_AWS_NAME, session=_AWS_NAME, account=st.sampled_from(["525325868955", "111122223333"]))
def test_any_other_role_is_rejected(role, session, account):
    arn = f"arn:aws:sts::{account}:assumed-role/{role}/{session}"
    assert admitted(arn) == (arn == f"{ROLE_ARN}/{session}")


@settings(max_examples=300, deadline=None)
@given(arn=st.one_of(st.text(max_size=120), st.text(max_size=40).map(lambda tail: ROLE_ARN + tail)))
def test_whatever_is_admitted_is_a_session_of_the_exact_role(arn):
    # The role name ends at the next "/" (AWS role and session names cannot contain one).
    if admitted(arn):
        assert arn.startswith(ROLE_ARN + "/")


def test_principal_matches_the_mapped_role_of_anyscale_sessions():
    principal = roles.workload_identity_principal(POOL, ORG)
    assert principal == (
        "principalSet://iam.googleapis.com/projects/364490735216/locations/global/workloadIdentityPools/"
        "anyscale-access-pool/attribute.aws_role/arn:aws:sts::525325868955:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT"
    )
    _, targets = federate(f"{ROLE_ARN}/session-1", MAPPING, CONDITION)
    assert principal.endswith("/attribute.aws_role/" + targets["attribute"]["aws_role"])


def test_another_control_plane_account():
    assert roles.anyscale_role_arn(ORG, "111122223333") == "arn:aws:sts::111122223333:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT"
    condition = roles.attribute_condition(ORG, "111122223333")
    assert admitted("arn:aws:sts::111122223333:assumed-role/gcp_if_org_7c1Kalm9WcX2bNIjW53GUT/s", condition)
    assert not admitted(f"{ROLE_ARN}/s", condition)


@pytest.mark.parametrize(
    ("org_id", "account", "phrase"),
    [
        ('org_a" || true || "', "525325868955", "is not an Anyscale organization id"),
        ("org_a/b", "525325868955", "is not an Anyscale organization id"),
        ("cld_abc", "525325868955", "is not an Anyscale organization id"),
        ("org_" + "a" * 54, "525325868955", "64-character limit for role names"),
        (ORG, "52532586895", "is not a 12-digit AWS account id"),
        (ORG, '525325868955" || "', "is not a 12-digit AWS account id"),
    ],
)
def test_values_that_could_break_out_of_the_condition_are_refused(org_id, account, phrase):
    with pytest.raises(ValueError, match=re.escape(phrase)):
        roles.attribute_condition(org_id, account)


def test_longest_organization_id_fits_an_aws_role_name():
    org = "org_" + "a" * 53  # gcp_if_ + 57 characters = 64
    assert roles.anyscale_role_arn(org).endswith("/gcp_if_" + org)


# --- the access role ----------------------------------------------------------------------
#: The default role, permission for permission (the anchor's roles.tf without its
#: project-wide storage reads). Any change to the role must change this list.
EXPECTED_PERMISSIONS = """
certificatemanager.certmapentries: create delete get
certificatemanager.certmaps: create delete get list use
certificatemanager.certs: create delete get use
certificatemanager.dnsauthorizations: create delete get use
certificatemanager.operations: get
compute.acceleratorTypes: list
compute.backendServices: create delete get list update use
compute.disks: create list
compute.firewalls: create delete list update
compute.forwardingRules: create delete list update
compute.globalForwardingRules: create delete list update
compute.globalOperations: get
compute.healthChecks: create delete get list update use useReadOnly
compute.httpHealthChecks: create delete get list update use
compute.httpsHealthChecks: create delete get list update use
compute.instanceGroups: create delete get list update use
compute.instances: create delete get list setLabels setMetadata setServiceAccount update use
compute.machineTypes: list
compute.networkEndpointGroups: attachNetworkEndpoints create delete detachNetworkEndpoints get list use
compute.networks: updatePolicy
compute.regionBackendServices: create delete get list update use
compute.regionHealthChecks: create delete get list update use useReadOnly
compute.regionOperations: get
compute.regionSslCertificates: create delete get list
compute.regionTargetHttpProxies: create delete get list update use
compute.regionTargetHttpsProxies: create delete get list update use
compute.regionUrlMaps: create delete get list update use
compute.regions: list
compute.reservations: list
compute.subnetworks: list use useExternalIp
compute.targetHttpProxies: create delete get list update use
compute.targetHttpsProxies: create delete get list update use
compute.urlMaps: create delete get list update use
compute.zoneOperations: get
compute.zones: list
"""


def _expand(table: str) -> list[str]:
    out = []
    for line in table.strip().splitlines():
        prefix, verbs = line.split(":")
        out += [f"{prefix}.{verb}" for verb in verbs.split()]
    return sorted(out)


def test_default_role_permissions_exactly():
    assert roles.access_role_permissions() == _expand(EXPECTED_PERMISSIONS)
    assert len(roles.access_role_permissions()) == 143


def test_project_wide_storage_read_adds_exactly_the_anchors_storage_permissions():
    added = set(roles.access_role_permissions(project_wide_storage_read=True)) - set(roles.access_role_permissions())
    assert added == {"storage.buckets.get", "storage.objects.get", "storage.objects.list", "storage.folders.get", "storage.folders.list"}
    assert len(roles.access_role_permissions(project_wide_storage_read=True)) == 148


def test_every_permission_has_a_reason_and_appears_once():
    every = [*roles.ACCESS_ROLE_PERMISSIONS, *roles.STORAGE_READ_PERMISSIONS]
    names = [p.permission for p in every]
    assert len(names) == len(set(names))
    for permission, reason in every:
        assert re.fullmatch(r"[a-z]+\.[a-zA-Z]+\.[a-zA-Z]+", permission), permission
        assert isinstance(reason, str) and len(reason) >= 20 and "(anchor" in reason, (permission, reason)
    assert len({p.reason for p in every}) == len(every)  # every reason says something of its own


def test_no_permission_that_would_widen_the_control_planes_reach():
    for permission in roles.access_role_permissions(project_wide_storage_read=True):
        service, _, verb = permission.split(".")
        assert service not in ("iam", "resourcemanager", "serviceusage", "orgpolicy"), permission
        assert verb not in ("setIamPolicy", "getIamPolicy", "actAs", "getAccessToken", "signBlob"), permission
    assert not [p for p in roles.access_role_permissions() if p.startswith("storage.")]


def test_service_account_permission_explains_where_act_as_comes_from():
    reasons = dict(roles.ACCESS_ROLE_PERMISSIONS)
    assert "roles/iam.serviceAccountUser on that one account" in reasons["compute.instances.setServiceAccount"]


def test_predefined_roles():
    assert (roles.TOKEN_CREATOR_ROLE, roles.WORKLOAD_IDENTITY_USER_ROLE, roles.SERVICE_ACCOUNT_USER_ROLE) == (
        "roles/iam.serviceAccountTokenCreator", "roles/iam.workloadIdentityUser", "roles/iam.serviceAccountUser")
    assert (roles.ARTIFACT_REGISTRY_READER_ROLE, roles.LOGGING_WRITER_ROLE, roles.MONITORING_WRITER_ROLE) == (
        "roles/artifactregistry.reader", "roles/logging.logWriter", "roles/monitoring.metricWriter")


# --- validators ---------------------------------------------------------------------------
GOOD_PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/identity-pool/providers/anyscale-access"


def test_cli_regex_is_the_clis():
    assert roles.CLI_PROVIDER_NAME_PATTERN == CLI_PROVIDER_NAME_REGEX
    spec = importlib.util.find_spec("anyscale")
    if spec is None or spec.origin is None:
        pytest.skip("the anyscale CLI is not installed")
    source = Path(spec.origin).parent / "controllers" / "cloud_controller.py"
    strings = {n.value for n in ast.walk(ast.parse(source.read_text())) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert CLI_PROVIDER_NAME_REGEX in strings


@pytest.mark.parametrize(
    "name",
    [GOOD_PROVIDER, "projects/100000000000/locations/global/workloadIdentityPools/abcd/providers/a-b-1"],
)
def test_provider_names_we_accept_pass_the_cli(name):
    assert roles.check_provider_name(name) == name
    assert re.search(CLI_PROVIDER_NAME_REGEX, name)
    assert roles.pool_name_of(name) == name.rsplit("/providers/", 1)[0]


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("projects/acme-ml-prod/locations/global/workloadIdentityPools/p123/providers/anyscale", "must name the project NUMBER"),
        ("projects/123456789012/locations/us-central1/workloadIdentityPools/p123/providers/anyscale", "location 'global'"),
        ("projects/123456789012/locations/global/workloadIdentityPools/p123/providers/Anyscale", "provider id 'Anyscale'"),
        ("projects/123456789012/locations/global/workloadIdentityPools/p123/providers/gcp-anyscale", "reserved by Google"),
        ("projects/123456789012/locations/global/workloadIdentityPools/p1/providers/anyscale", "pool id 'p1'"),
        ("projects/123456789012/locations/global/workloadIdentityPools/p123", "is not a provider name"),
        (GOOD_PROVIDER + "/", "is not a provider name"),
        ("//iam.googleapis.com/" + GOOD_PROVIDER, "is not a provider name"),
    ],
)
def test_bad_provider_names(name, phrase):
    with pytest.raises(ValueError, match=re.escape(phrase)):
        roles.check_provider_name(name)


@pytest.mark.parametrize(("value", "ok"), [("abcd", True), ("a" * 32, True), ("abc", False), ("a" * 33, False),
                                           ("gcp-pool", False), ("pool_1", False), ("Pool", False),
                                           ("-pool", False), ("pool-", False), ("a--b", True)])
def test_pool_and_provider_ids(value, ok):
    if ok:
        assert roles.check_wif_id(value) == value
    else:
        with pytest.raises(ValueError):
            roles.check_wif_id(value)


@pytest.mark.parametrize(("value", "ok"), [("anyscale_access", True), ("a.b_C9", True), ("ab", False),
                                           ("anyscale-access", False), ("a" * 65, False)])
def test_role_ids(value, ok):
    if ok:
        assert roles.check_role_id(value) == value
    else:
        with pytest.raises(ValueError, match="no '-'"):
            roles.check_role_id(value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [("roles/logging.logWriter", True), ("projects/acme-ml-prod/roles/my_role", True), ("organizations/1234/roles/r_1", True),
     ("logging.logWriter", False), ("roles/", False), ("projects/1234/roles/x", False)],
)
def test_role_names(value, ok):
    if ok:
        assert roles.check_role_name(value) == value
    else:
        with pytest.raises(ValueError, match="is not a role like"):
            roles.check_role_name(value)


def test_pool_name_checks():
    assert roles.check_pool_name(POOL) == POOL
    with pytest.raises(ValueError, match="project NUMBER"):
        roles.workload_identity_principal("projects/acme-ml-prod/locations/global/workloadIdentityPools/anyscale-access-pool", ORG)

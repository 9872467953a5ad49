"""`anyscale-infra check` compares the exported `cloud register --provider gcp` command with
the program: each flag names the resource the program builds (the right one), or one it
references — else the rule names the flag. Hand-written records (the compliant cloud of
``gcp_fixtures``) and commands; one program run (``examples/gcp-direct``) at the end."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from anyscale_infra.cli import policy_records
from anyscale_infra.gcp.register import GcpRegisterArgs
from anyscale_infra.policy import gcp as gcp_rules
from anyscale_infra.policy.outputs import register_calls
from anyscale_infra.policy.runner import evaluate
from anyscale_infra.preview import run_program
from gcp_fixtures import (
    ACCESS_EMAIL,
    ACCESS_NAME,
    DATAPLANE_EMAIL,
    POOL_MEMBER,
    PROJECT,
    PROJECT_NUMBER,
    VPC_ID,
    compliant_cloud,
    edit,
    plus,
    record,
    without,
)

ROOT = Path(__file__).resolve().parents[2]
BASE = compliant_cloud()
PROVIDER_NAME = f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws"
REDIS_NAME = f"projects/{PROJECT}/locations/us-central1/instances/anyscale-redis"
FLAGS = {
    "--provider": "gcp",
    "--name": "acme",
    "--project-id": PROJECT,
    "--vpc-name": "anyscale-vpc",
    "--subnet-names": "anyscale-subnet",
    "--region": "us-central1",
    "--firewall-policy-names": "anyscale-firewall",
    "--cloud-storage-bucket-name": "gs://acme-anyscale-data",
    "--filestore-instance-id": "anyscale-filestore",
    "--filestore-location": "us-central1-a",
    "--anyscale-service-account-email": ACCESS_EMAIL,
    "--instance-service-account-email": DATAPLANE_EMAIL,
    "--provider-name": PROVIDER_NAME,
    "--memorystore-instance-name": REDIS_NAME,
}
RULES = {p.name for p in gcp_rules.CHECK_ONLY_POLICIES}
LEVEL = {p.name: p.enforcement_level.value for p in gcp_rules.CHECK_ONLY_POLICIES}

NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
POLICY = "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy"
ASSOCIATION = "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
POOL_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
FILESTORE = "gcp:filestore/instance:Instance"
REDIS = "gcp:redis/instance:Instance"
ROUTER = "gcp:compute/router:Router"
NAT = "gcp:compute/routerNat:RouterNat"


def command(**changes):
    flags = {**FLAGS, **{f"--{k.replace('_', '-')}": v for k, v in changes.items()}}
    words = ["anyscale", "cloud", "register"]
    for flag, value in flags.items():
        if value is None:
            continue
        words += [flag] if value is True else [flag, value]
    return shlex.join(words)


def check(stack=BASE, **changes):
    """Violations of the GCP register rules only, for the command with ``changes``."""
    violations = evaluate(stack, outputs={"register_command": command(**changes)})
    return [v for v in violations if v.policy_id in RULES]


def one(stack=BASE, rule=None, **changes):
    """The one violation of the command with ``changes``, of ``rule``, at the rule's level."""
    (v,) = check(stack, **changes)
    assert v.policy_id == rule, (v.policy_id, v.message)
    assert v.enforcement_level == LEVEL[rule]
    return v


def read(resource_type, logical_name, ident, **props):
    """A resource the program looks up (``.get``): a reference, not one it builds."""
    return {**record(resource_type, logical_name, props, ident), "read": True}


def test_every_gcp_register_rule_is_exercised_here():
    """Each rule id appears in assertions of this module (a rule no test can make fire is
    dead or untested)."""
    text = Path(__file__).read_text()
    assert RULES == {
        "anyscale-gcp-register-network", "anyscale-gcp-register-firewall", "anyscale-gcp-register-storage",
        "anyscale-gcp-register-service-accounts", "anyscale-gcp-register-provider-name",
        "anyscale-gcp-register-project", "anyscale-gcp-register-private-network",
    }
    for rule in RULES:
        assert text.count(f'"{rule}"') >= 2, rule
    assert {r for r, level in LEVEL.items() if level == "advisory"} == {"anyscale-gcp-register-private-network"}


def test_the_command_of_the_compliant_cloud_passes():
    assert check() == []
    assert evaluate(BASE, outputs={"register_command": command()}) == []  # nor any other rule


def test_the_rules_run_only_when_outputs_are_given():
    broken = {"register_command": command(subnet_names="ghost-subnet")}
    assert {v.policy_id for v in evaluate(BASE, outputs=broken)} == {"anyscale-gcp-register-network"}
    assert evaluate(BASE) == []  # CrossGuard's view: no outputs, no register rules


def test_an_aws_command_is_not_judged_by_the_gcp_rules():
    aws = "anyscale cloud register --provider aws --vpc-id vpc-1 --subnet-ids subnet-zzz"
    assert [v for v in evaluate(BASE, outputs={"register_command": aws}) if v.policy_id in RULES] == []


# -- a value the program neither builds nor references, for every flag ----------------------------


@pytest.mark.parametrize(
    "flag, value, rule, message",
    [
        ("vpc_name", "other-vpc", "anyscale-gcp-register-network",
         "--vpc-name names VPC other-vpc, which the program neither builds nor references (it builds anyscale-vpc)."),
        ("subnet_names", "other-subnet", "anyscale-gcp-register-network",
         "--subnet-names names subnet other-subnet, which the program neither builds nor references "
         "(it builds anyscale-proxy-only, anyscale-subnet)."),
        ("firewall_policy_names", "other-policy", "anyscale-gcp-register-firewall",
         "--firewall-policy-names names firewall policy other-policy, which the program neither builds nor references "
         "(it builds anyscale-firewall)."),
        ("cloud_storage_bucket_name", "gs://someone-elses", "anyscale-gcp-register-storage",
         "--cloud-storage-bucket-name names bucket someone-elses, which the program neither builds nor references "
         "(it builds acme-anyscale-data)."),
        ("filestore_instance_id", "other-filestore", "anyscale-gcp-register-storage",
         "--filestore-instance-id names Filestore instance other-filestore, which the program neither builds nor "
         "references (it builds anyscale-filestore)."),
        ("memorystore_instance_name", f"projects/{PROJECT}/locations/us-central1/instances/other-redis",
         "anyscale-gcp-register-storage",
         "--memorystore-instance-name names Memorystore instance other-redis, which the program neither builds nor "
         "references (it builds anyscale-redis)."),
        ("anyscale_service_account_email", f"ghost@{PROJECT}.iam.gserviceaccount.com",
         "anyscale-gcp-register-service-accounts",
         f"--anyscale-service-account-email names service account ghost@{PROJECT}.iam.gserviceaccount.com, which the "
         f"program neither builds nor references (it builds {ACCESS_EMAIL}, {DATAPLANE_EMAIL})."),
        ("instance_service_account_email", f"ghost@{PROJECT}.iam.gserviceaccount.com",
         "anyscale-gcp-register-service-accounts",
         f"--instance-service-account-email names service account ghost@{PROJECT}.iam.gserviceaccount.com, which the "
         f"program neither builds nor references (it builds {ACCESS_EMAIL}, {DATAPLANE_EMAIL})."),
        ("provider_name", PROVIDER_NAME.replace("anyscale-pool", "other-pool"), "anyscale-gcp-register-provider-name",
         "--provider-name names workload identity pool other-pool, which the program neither builds nor references "
         "(it builds anyscale-pool)."),
        ("provider_name", PROVIDER_NAME.replace("anyscale-aws", "other-aws"), "anyscale-gcp-register-provider-name",
         "--provider-name names workload identity provider other-aws, which the program neither builds nor "
         "references (it builds anyscale-aws)."),
        ("project_id", "other-project", "anyscale-gcp-register-project",
         f"--project-id is other-project, but the program builds the cloud's resources in {PROJECT} "
         "(access-owner, access-sa, dataplane-artifacts, ...): `cloud register` looks the cloud's project, service accounts and "
         "Filestore up in --project-id."),
        ("region", "us-east1", "anyscale-gcp-register-network",
         "--subnet-names names subnet anyscale-subnet of region us-central1, not of the --region us-east1: "
         "`cloud register` looks the subnet up in the cloud's region."),
    ],
)
def test_a_value_the_program_neither_builds_nor_references(flag, value, rule, message):
    """One violation, of the flag's rule, naming the flag: a wrong VPC or project is not
    reported again through every resource on it (the root cause only)."""
    v = one(rule=rule, **{flag: value})
    assert v.message == f"register_command: {message}"


def test_a_malformed_provider_or_memorystore_name():
    v = one(rule="anyscale-gcp-register-provider-name", provider_name="anyscale-aws")
    assert v.message.startswith("register_command: --provider-name is anyscale-aws, not a workload identity provider name")
    v = one(rule="anyscale-gcp-register-storage", memorystore_instance_name="anyscale-redis")
    assert v.message.startswith("register_command: --memorystore-instance-name is anyscale-redis, not a full Memorystore")


# -- bring-your-own: referenced or read values are accepted ----------------------------------------


def test_a_looked_up_network_is_bring_your_own():
    """The program builds a VPC, subnets and a policy, but registers ones it looks up (`.get`)."""
    looked_up = [
        read(NETWORK, "existing-vpc", f"projects/{PROJECT}/global/networks/shared", name="shared"),
        read(SUBNETWORK, "existing-subnet", f"projects/{PROJECT}/regions/us-central1/subnetworks/shared-a", name="shared-a"),
        read(POLICY, "existing-policy", f"projects/{PROJECT}/global/firewallPolicies/shared-policy", name="shared-policy"),
    ]
    stack = plus(without(BASE, "filestore", "redis"), *looked_up)
    changes = dict(vpc_name="shared", subnet_names="shared-a", firewall_policy_names="shared-policy",
                   filestore_instance_id=None, filestore_location=None, memorystore_instance_name=None)
    assert check(stack, **changes) == []
    # The same names, not looked up: one mismatch per flag.
    assert sorted(v.message.split(" names ")[0] for v in check(without(BASE, "filestore", "redis"), **changes)) == [
        "register_command: --firewall-policy-names", "register_command: --subnet-names", "register_command: --vpc-name",
    ]


def test_a_network_referenced_by_self_link_is_bring_your_own():
    """A resource passes an existing VPC by self link: its last segment is the name, so
    --vpc-name is accepted; the program's own subnet and policy are then of another VPC."""
    stack = plus(without(BASE, "filestore", "redis"), record("gcp:compute/firewall:Firewall", "legacy", {
        "network": f"https://www.googleapis.com/compute/v1/projects/{PROJECT}/global/networks/existing-vpc",
        "allows": [{"protocol": "icmp"}], "sourceRanges": ["10.0.0.0/8"],
    }, "legacy"))
    changes = dict(filestore_instance_id=None, filestore_location=None, memorystore_instance_name=None)
    assert check(stack, **changes) == []
    violations = check(stack, vpc_name="existing-vpc", **changes)
    assert [(v.policy_id, v.message.split(", ")[0]) for v in violations] == [
        ("anyscale-gcp-register-firewall", "register_command: --firewall-policy-names names firewall policy anyscale-firewall"),
        ("anyscale-gcp-register-network", "register_command: --subnet-names names subnet anyscale-subnet of VPC anyscale-vpc"),
    ]
    assert not any("--vpc-name names" in v.message for v in violations)


@pytest.mark.parametrize(
    "extra, changes",
    [
        (record(BUCKET_MEMBER, "ext-bucket", {"bucket": "existing-data", "role": "roles/storage.objectViewer",
                                              "member": f"serviceAccount:{ACCESS_EMAIL}"}),
         dict(cloud_storage_bucket_name="gs://existing-data")),
        (read(FILESTORE, "existing-fs", f"projects/{PROJECT}/locations/us-central1-a/instances/existing-fs"),
         dict(filestore_instance_id="existing-fs")),
        (read(REDIS, "existing-redis", f"projects/{PROJECT}/locations/us-central1/instances/existing-redis"),
         dict(memorystore_instance_name=f"projects/{PROJECT}/locations/us-central1/instances/existing-redis")),
        (record(BUCKET_MEMBER, "ext-nodes", {"bucket": "acme-anyscale-data", "role": "roles/storage.objectViewer",
                                             "member": "serviceAccount:nodes@other-project.iam.gserviceaccount.com"}),
         dict(instance_service_account_email="nodes@other-project.iam.gserviceaccount.com")),
    ],
    ids=["bucket", "filestore", "memorystore", "instance-account"],
)
def test_referenced_or_read_values_are_bring_your_own(extra, changes):
    assert check(plus(BASE, extra), **changes) == []
    assert len(check(BASE, **changes)) == 1  # the same value, not referenced: a mismatch


def test_a_looked_up_pool_that_may_impersonate_the_access_account_is_bring_your_own():
    existing = "existing-pool"
    pool = read(POOL, existing, f"projects/{PROJECT}/locations/global/workloadIdentityPools/{existing}",
                workloadIdentityPoolId=existing)
    grant = record(SA_MEMBER, "existing-wif-user", {
        "serviceAccountId": ACCESS_NAME, "role": "roles/iam.workloadIdentityUser",
        "member": POOL_MEMBER.replace("anyscale-pool", existing),
    })
    provider_name = PROVIDER_NAME.replace("anyscale-pool", existing)
    assert check(plus(BASE, pool, grant), provider_name=provider_name) == []
    (v,) = check(plus(BASE, pool), provider_name=provider_name)  # looked up, but it may not impersonate it
    assert v.message.startswith(f"register_command: --provider-name names pool {existing}, but {ACCESS_EMAIL}")
    (v,) = check(BASE, provider_name=provider_name)
    assert "names workload identity pool existing-pool, which the program neither builds nor references" in v.message


def test_a_bring_your_own_access_account_the_pool_may_impersonate_is_accepted():
    external = "existing-access@other-project.iam.gserviceaccount.com"
    grant = record(SA_MEMBER, "ext-wif-user", {
        "serviceAccountId": f"projects/other-project/serviceAccounts/{external}",
        "role": "roles/iam.workloadIdentityUser", "member": POOL_MEMBER,
    })
    assert check(plus(BASE, grant), anyscale_service_account_email=external) == []


def test_kinds_the_program_does_not_build_are_bring_your_own():
    network = {"vpc", "subnet", "proxy-only", "firewall", "firewall-association", "internal", "https", "ssh-iap",
               "health-checks", "filestore", "redis"}
    stack = [r for r in BASE if r["name"] not in network]
    assert check(stack, vpc_name="their-vpc", subnet_names="their-subnet", firewall_policy_names="their-policy",
                 filestore_instance_id="their-fs",
                 memorystore_instance_name=f"projects/{PROJECT}/locations/us-central1/instances/their-redis") == []


# -- near misses ----------------------------------------------------------------------------------


def test_a_firewall_policy_the_program_builds_but_not_associated_with_the_vpc():
    other_vpc = f"projects/{PROJECT}/global/networks/other-vpc"
    stack = plus(
        BASE,
        record(NETWORK, "other-vpc", {"name": "other-vpc", "autoCreateSubnetworks": False}, other_vpc),
        record(POLICY, "other-firewall", {"name": "other-firewall"}, f"projects/{PROJECT}/global/firewallPolicies/other-firewall"),
        record(ASSOCIATION, "other-association", {"name": "other", "firewallPolicy": "other-firewall", "attachmentTarget": other_vpc}),
        record(POLICY, "loose-firewall", {"name": "loose-firewall"}, f"projects/{PROJECT}/global/firewallPolicies/loose-firewall"),
    )
    v = one(stack, "anyscale-gcp-register-firewall", firewall_policy_names="other-firewall")
    assert v.message == (
        "register_command: --firewall-policy-names names firewall policy other-firewall, which is associated with "
        "other-vpc, not with the registered --vpc-name anyscale-vpc: its rules do not apply to the cloud's VMs, and "
        "`cloud register` fails (verify_firewall_policy)."
    )
    assert v.urn.endswith("::other-firewall")
    v = one(stack, "anyscale-gcp-register-firewall", firewall_policy_names="loose-firewall")
    assert "names firewall policy loose-firewall, which is associated with no VPC, not with the registered" in v.message
    assert check(stack) == []  # the cloud's policy is still the right one


def test_the_proxy_only_subnet_named_as_the_cloud_subnet():
    v = one(rule="anyscale-gcp-register-network", subnet_names="anyscale-proxy-only")
    assert v.message.startswith(
        "register_command: --subnet-names names subnet anyscale-proxy-only, whose purpose is REGIONAL_MANAGED_PROXY: "
        "no VM runs in it"
    )


def test_a_subnet_of_another_vpc():
    stack = plus(
        BASE,
        record(NETWORK, "other-vpc", {"name": "other-vpc"}, f"projects/{PROJECT}/global/networks/other-vpc"),
        record(SUBNETWORK, "other-subnet", {"name": "other-subnet", "network": "other-vpc", "ipCidrRange": "10.9.0.0/20",
                                            "region": "us-central1"}, f"projects/{PROJECT}/regions/us-central1/subnetworks/other-subnet"),
    )
    v = one(stack, "anyscale-gcp-register-network", subnet_names="other-subnet")
    assert v.message == ("register_command: --subnet-names names subnet other-subnet of VPC other-vpc, "
                         "not of the registered --vpc-name anyscale-vpc.")


def test_a_shared_vpc_is_the_host_projects():
    """With --host-project-id, `cloud register` looks the VPC and the firewall policy up in the
    host project: the program's, in the service project, are the wrong ones."""
    violations = check(host_project_id="acme-host")
    assert sorted((v.policy_id, v.message.split(", which")[0]) for v in violations) == [
        ("anyscale-gcp-register-firewall", "register_command: --firewall-policy-names names firewall policy anyscale-firewall"),
        ("anyscale-gcp-register-network", "register_command: --vpc-name names VPC anyscale-vpc"),
    ]
    assert all("not in the --host-project-id acme-host: with a shared VPC" in v.message for v in violations)
    # The network in the host project: the same command passes.
    stack = edit(edit(BASE, "vpc", project="acme-host"), "firewall", project="acme-host")
    assert check(stack, host_project_id="acme-host") == []
    # ...and without --host-project-id, a VPC (and its policy) of another project asks for one.
    violations = check(stack)
    assert sorted(v.policy_id for v in violations) == ["anyscale-gcp-register-firewall", "anyscale-gcp-register-network"]
    for v in violations:
        assert "which the program builds in project acme-host, not in the --project-id acme-anyscale" in v.message
        assert "pass --host-project-id acme-host" in v.message


def test_the_bucket_must_be_the_one_with_the_anyscale_cors_rule():
    stack = plus(BASE, record("gcp:storage/bucket:Bucket", "scratch", {"name": "team-scratch", "location": "US-CENTRAL1"}, "team-scratch"))
    v = one(stack, "anyscale-gcp-register-storage", cloud_storage_bucket_name="gs://team-scratch")
    assert "names bucket team-scratch, which has no Anyscale CORS rule" in v.message
    assert check(cloud_storage_bucket_name="acme-anyscale-data") == []  # without the scheme: the same bucket


def test_a_filestore_in_another_location_than_the_flag():
    v = one(rule="anyscale-gcp-register-storage", filestore_location="us-central1-b")
    assert v.message == (
        "register_command: --filestore-location is us-central1-b, but the program builds Filestore anyscale-filestore "
        "in us-central1-a: `cloud register` looks up projects/<project>/locations/us-central1-b/instances/anyscale-filestore."
    )


def test_a_filestore_without_its_location():
    v = one(rule="anyscale-gcp-register-storage", filestore_location=None)
    assert "--filestore-instance-id is given without --filestore-location" in v.message


def test_a_filestore_or_memorystore_on_another_vpc():
    stack = edit(edit(BASE, "filestore", networks=[{"network": "default"}]), "redis", authorizedNetwork="projects/p/global/networks/default")
    messages = sorted(v.message for v in check(stack) if v.policy_id == "anyscale-gcp-register-storage")
    assert messages == [
        "register_command: --filestore-instance-id names Filestore anyscale-filestore, which is connected to default, "
        "not to the registered --vpc-name anyscale-vpc: clusters cannot mount it (verify_filestore).",
        "register_command: --memorystore-instance-name names Memorystore anyscale-redis, which is connected to "
        "default, not to the registered --vpc-name anyscale-vpc: clusters cannot reach it (verify_memorystore).",
    ]


def test_a_memorystore_name_of_another_region_or_project():
    v = one(rule="anyscale-gcp-register-storage", memorystore_instance_name=REDIS_NAME.replace("us-central1", "us-east1"))
    assert v.message == (
        f"register_command: --memorystore-instance-name is projects/{PROJECT}/locations/us-east1/instances/anyscale-redis, "
        f"but the program builds Memorystore anyscale-redis as {REDIS_NAME}."
    )
    assert one(rule="anyscale-gcp-register-storage", memorystore_instance_name=REDIS_NAME.replace(PROJECT, "other-project"))
    # The project by its number is the same project (the pool's name shows the number).
    assert check(memorystore_instance_name=REDIS_NAME.replace(PROJECT, PROJECT_NUMBER)) == []


def test_a_filestore_or_memorystore_the_program_builds_is_not_left_out():
    v = one(rule="anyscale-gcp-register-storage", filestore_instance_id=None, filestore_location=None)
    assert v.message == ("register_command: no --filestore-instance-id, but the program builds Filestore "
                         "anyscale-filestore: workspaces need it.")
    v = one(rule="anyscale-gcp-register-storage", memorystore_instance_name=None)
    assert v.message.startswith("register_command: no --memorystore-instance-name, but the program builds Memorystore anyscale-redis")


def test_the_access_and_instance_accounts_swapped():
    violations = check(anyscale_service_account_email=DATAPLANE_EMAIL, instance_service_account_email=ACCESS_EMAIL)
    assert {v.policy_id for v in violations} == {"anyscale-gcp-register-service-accounts"}
    assert sorted(v.message for v in violations) == [
        f"register_command: --anyscale-service-account-email names {DATAPLANE_EMAIL}, which no principal of Anyscale's "
        "workload identity pool may impersonate (roles/iam.workloadIdentityUser on it): the access account is the one "
        "Anyscale's control plane acts as.",
        f"register_command: --instance-service-account-email names {ACCESS_EMAIL}, the account Anyscale's workload "
        "identity pool impersonates: that is the --anyscale-service-account-email; cluster nodes run as another "
        "account, not with the control plane's rights.",
    ]
    assert sorted(v.urn.rsplit("::", 1)[1] for v in violations) == ["access-sa", "dataplane-sa"]


def test_one_account_for_both():
    stack = plus(BASE, record(SA_MEMBER, "ext-wif", {
        "serviceAccountId": "projects/-/serviceAccounts/both@other.iam.gserviceaccount.com",
        "role": "roles/iam.workloadIdentityUser", "member": POOL_MEMBER,
    }))
    both = "both@other.iam.gserviceaccount.com"
    v = one(stack, "anyscale-gcp-register-service-accounts", anyscale_service_account_email=both, instance_service_account_email=both)
    assert f"--instance-service-account-email is {both}, the --anyscale-service-account-email too" in v.message


def test_a_provider_name_with_the_project_id():
    v = one(rule="anyscale-gcp-register-provider-name", provider_name=PROVIDER_NAME.replace(PROJECT_NUMBER, PROJECT))
    assert v.message == (
        f"register_command: --provider-name names the project by its ID {PROJECT}: `cloud register` wants the project "
        f"NUMBER ({PROJECT_NUMBER}, as the pool's name shows), projects/<project number>/locations/global/"
        "workloadIdentityPools/<pool>/providers/<id>."
    )
    assert v.urn.endswith("::pool-provider")


def test_a_provider_name_with_another_project_number():
    v = one(rule="anyscale-gcp-register-provider-name", provider_name=PROVIDER_NAME.replace(PROJECT_NUMBER, "999999999999"))
    assert v.message == (
        f"register_command: --provider-name names project number 999999999999, but the program's pool anyscale-pool "
        f"is in project number {PROJECT_NUMBER}."
    )


def test_the_pool_is_the_one_that_may_impersonate_the_access_account():
    number_name = f"projects/{PROJECT_NUMBER}/locations/global/workloadIdentityPools/other-pool"
    stack = plus(
        BASE,
        record(POOL, "other-pool", {"workloadIdentityPoolId": "other-pool"},
               f"projects/{PROJECT}/locations/global/workloadIdentityPools/other-pool", name=number_name),
        record(POOL_PROVIDER, "other-provider", {
            "workloadIdentityPoolId": "other-pool", "workloadIdentityPoolProviderId": "other-oidc",
            "oidc": {"issuerUri": "https://token.actions.githubusercontent.com"},
        }, f"projects/{PROJECT}/locations/global/workloadIdentityPools/other-pool/providers/other-oidc",
            name=f"{number_name}/providers/other-oidc"),
    )
    v = one(stack, "anyscale-gcp-register-provider-name",
            provider_name=f"{number_name}/providers/other-oidc")
    assert v.message == (
        f"register_command: --provider-name names pool other-pool, but {ACCESS_EMAIL} (the "
        "--anyscale-service-account-email) may be impersonated through anyscale-pool only "
        "(roles/iam.workloadIdentityUser): Anyscale could not act as it."
    )


def test_a_resource_in_another_project_than_the_flag():
    stack = edit(BASE, "filestore", project="other-project")
    v = one(stack, "anyscale-gcp-register-storage")
    assert v.message == (
        "register_command: --filestore-instance-id names Filestore anyscale-filestore, which the program builds in "
        f"project other-project, not in the --project-id {PROJECT} (where `cloud register` looks it up)."
    )


# -- --private-network (advisory) ------------------------------------------------------------------


def _nat(**nat_props):
    return [
        record(ROUTER, "router", {"name": "anyscale-router", "network": VPC_ID, "region": "us-central1"},
               f"projects/{PROJECT}/regions/us-central1/routers/anyscale-router"),
        record(NAT, "nat", {"name": "anyscale-nat", "router": "anyscale-router", "region": "us-central1",
                            "natIpAllocateOption": "AUTO_ONLY", **nat_props}),
    ]


LISTED = {"sourceSubnetworkIpRangesToNat": "LIST_OF_SUBNETWORKS",
          "subnetworks": [{"name": f"projects/{PROJECT}/regions/us-central1/subnetworks/anyscale-subnet",
                           "sourceIpRangesToNats": ["ALL_IP_RANGES"]}]}


def test_private_networking_needs_a_nat_for_the_subnet():
    v = one(rule="anyscale-gcp-register-private-network", private_network=True)
    assert v.message.startswith(
        "register_command: --private-network registers subnet anyscale-subnet for private networking, but no Cloud NAT "
        "of the program serves it"
    )
    assert check(plus(BASE, *_nat(**LISTED)), private_network=True) == []
    assert check(plus(BASE, *_nat(sourceSubnetworkIpRangesToNat="ALL_SUBNETWORKS_ALL_IP_RANGES")), private_network=True) == []
    # A NAT listing another subnet, or of another region, does not serve it.
    other = {**LISTED, "subnetworks": [{"name": "anyscale-proxy-only"}]}
    assert one(plus(BASE, *_nat(**other)), "anyscale-gcp-register-private-network", private_network=True)
    elsewhere = edit(plus(BASE, *_nat(**LISTED)), "nat", region="us-east1")
    assert one(elsewhere, "anyscale-gcp-register-private-network", private_network=True)


def test_a_nat_for_the_subnet_without_private_networking():
    v = one(plus(BASE, *_nat(**LISTED)), "anyscale-gcp-register-private-network")
    assert v.message == (
        "register_command: no --private-network, but the program builds Cloud NAT anyscale-nat for subnet "
        "anyscale-subnet: without the flag clusters get public IPs and the NAT goes unused (register with "
        "--private-network for a private cloud)."
    )


# -- the other forms: flag dict and resource file ---------------------------------------------------


def test_the_flag_dict_form_is_checked_too():
    violations = evaluate(BASE, outputs={"register_args": {**FLAGS, "--filestore-location": "us-central1-b"}})
    assert [(v.policy_id, v.message.split(" is ")[0]) for v in violations] == [
        ("anyscale-gcp-register-storage", "register_args: --filestore-location")
    ]
    assert evaluate(BASE, outputs={"register_args": {**FLAGS, "--private-network": False}}) == []


def _args(**changes):
    fields = dict(
        name="acme", region="us-central1", project_id=PROJECT, vpc_name="anyscale-vpc", subnet_names=["anyscale-subnet"],
        firewall_policy_names=["anyscale-firewall"], cloud_storage_bucket_name="gs://acme-anyscale-data",
        anyscale_service_account_email=ACCESS_EMAIL, instance_service_account_email=DATAPLANE_EMAIL,
        provider_name=PROVIDER_NAME, filestore_instance_id="anyscale-filestore", filestore_location="us-central1-a",
        memorystore_instance_name=REDIS_NAME,
    )
    fields.update(changes)
    return GcpRegisterArgs(**fields)


@pytest.mark.parametrize("changes", [{}, {"host_project_id": "acme-host", "private_network": True,
                                          "filestore_instance_id": None, "filestore_location": None,
                                          "memorystore_instance_name": None}])
def test_a_resource_file_reads_as_the_flags_it_stands_for(changes):
    """The reader is the inverse of the CLI's flags -> file mapping: the full Filestore id is
    the instance id and the location again, `cluster_service_account_email` the instance account."""
    args = _args(**changes)
    (call,) = register_calls({"resource_file": args.resource_file_yaml()})
    assert call.flags == args.flags()


def test_the_resource_file_form_is_checked_too():
    assert evaluate(BASE, outputs={"resource_file": _args().resource_file_yaml()}) == []
    moved = _args(filestore_location="us-central1-b").resource_file_yaml()
    assert "file_storage_id: projects/acme-anyscale/locations/us-central1-b/instances/anyscale-filestore" in moved
    assert [(v.policy_id, v.message.split(" is ")[0]) for v in evaluate(BASE, outputs={"resource_file": moved})] == [
        ("anyscale-gcp-register-storage", "resource_file: --filestore-location")
    ]
    # The instance account is `cluster_service_account_email` in the file: swapped accounts are caught there too.
    swapped = _args(anyscale_service_account_email=DATAPLANE_EMAIL, instance_service_account_email=ACCESS_EMAIL)
    ids = {v.policy_id for v in evaluate(BASE, outputs={"resource_file": swapped.resource_file_yaml()})}
    assert "anyscale-gcp-register-service-accounts" in ids


def test_yaml_of_another_shape_is_not_read_as_gcp():
    text = yaml.safe_dump({"provider": "GCPX", "compute_stack": "VM", "gcp_config": {"vpc_name": "x"}})
    assert register_calls({"notes": text}) == []


# -- a real program ----------------------------------------------------------------------------------


def test_the_direct_example_with_another_subnet_fails_the_check():
    result = run_program(ROOT / "examples/gcp-direct")
    records = policy_records(result)
    outputs = dict(result.outputs)
    subnet = outputs["register_args"]["--subnet-names"]
    assert [v for v in evaluate(records, outputs=outputs) if v.policy_id in RULES] == []
    outputs["register_command"] = outputs["register_command"].replace(f"--subnet-names {subnet}", "--subnet-names ml-subnet")
    mandatory = [v for v in evaluate(records, outputs=outputs) if v.enforcement_level == "mandatory"]
    assert [(v.policy_id, v.message.split(", which")[0]) for v in mandatory] == [
        ("anyscale-gcp-register-network", "register_command: --subnet-names names subnet ml-subnet")
    ]
    assert f"(it builds {subnet})" in mandatory[0].message

"""Bad GCP stack config at the command line: `anyscale-infra preview` of the root project
with ``provider: gcp`` answers exit code 2 (never 1, never a traceback) with one paragraph
that names the config key (``anyscale-cloud:<key>``, or ``gcp:project``/``gcp:region`` when
the value came from there) and the rule it breaks. One case at least per key of
``anyscale_infra/gcp/config.py::CONFIG_KEYS``, plus keys that conflict."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.cli import main
from anyscale_infra.gcp.config import CONFIG_KEYS

ROOT = Path(__file__).resolve().parents[1]
GCP = ("provider=gcp", "gcp:project=acme-ml-prod", "gcp:region=us-central1")
EMAIL = "corp-sa@acme-ml-prod.iam.gserviceaccount.com"
PROVIDER_WITH_PROJECT_ID = "projects/acme-ml-prod/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws"


def preview(*config: str, base: tuple[str, ...] = GCP):
    args = ["preview", str(ROOT)]
    for pair in (*base, *config):
        args += ["--config", pair]
    outcome = CliRunner().invoke(main, args)
    return outcome, " ".join(outcome.output.split())


def assert_bad_input(outcome, message: str, *needles: str) -> None:
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert message.startswith("error: "), message
    assert outcome.output.strip().count("\n\n") == 0, "one paragraph"
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


# (config pairs, the key the message must name, the rule's phrase)
CONFIG_CASES = [
    # the cloud
    (["cloudName=has space"], "cloudName", "cloud name 'has space' must be 1 to 128 characters"),
    (["cloudName=" + "a" * 129], "cloudName", "must be 1 to 128 characters"),
    (["projectId=123456789012"], "projectId", "(that is a project NUMBER; give the project ID)"),
    (["projectId=Acme-ML"], "projectId", "project id 'Acme-ML' must be 6 to 30 lowercase letters"),
    (["region=us-central"], "region", "'us-central' is not a Google Cloud region like us-central1"),
    (["region=us-central1-a"], "region", "is not a Google Cloud region"),
    (["orgId=org-1"], "orgId", "'org-1' is not an Anyscale organization id"),
    (["orgId="], "orgId", "'' is not an Anyscale organization id"),
    (["cloudId=cloud-1"], "cloudId", "'cloud-1' is not an Anyscale cloud id like cld_"),
    (["manageApis=maybe"], "manageApis", "is not a valid bool"),
    # network
    (["networking=public"], "networking", "Input should be 'direct' or 'private' (got 'public')"),
    (["vpcName=Bad_Name"], "vpcName", "name 'Bad_Name' must be 1 to 63 lowercase letters, digits and hyphens"),
    (["subnetCidr=abc"], "subnetCidr", "'abc' is not an IPv4 CIDR block"),
    (["subnetCidr=10.0.0.0/33"], "subnetCidr", "has an invalid prefix length"),
    (["subnetCidr=10.0.0.0/25"], "subnetCidr", "10.0.0.0/25 is smaller than the /24 Anyscale requires for a subnet"),
    (["subnetCidr=8.8.0.0/16"], "subnetCidr", "8.8.0.0/16 is not inside RFC 1918"),
    (["proxyOnlySubnet=maybe"], "proxyOnlySubnet", "is not a valid bool"),
    (["proxyOnlySubnet=true", "proxyOnlySubnetCidr=10.1.0.0/27"], "proxyOnlySubnetCidr",
     "10.1.0.0/27 is smaller than the /26 Google Cloud requires for a proxy-only subnet"),
    (["proxyOnlySubnetCidr=10.1.0.0/23"], "proxyOnlySubnetCidr", "needs proxy_only_subnet=True"),
    (["networking=private", "proxyOnlySubnetCidr=10.0.0.0/23"], "proxyOnlySubnetCidr",
     "subnet_cidr 10.0.0.0/20 overlaps proxy_only_subnet_cidr 10.0.0.0/23"),
    (["existingVpcName=Bad_Name", "existingSubnetName=s"], "existingVpcName", "name 'Bad_Name' must be 1 to 63"),
    (["existingVpcName=corp-vpc", "subnetCidr=10.0.0.0/20", "existingSubnetName=s"], "subnetCidr",
     "only one of existing_vpc_name and subnet_cidr can be specified"),
    (["existingVpcName=corp-vpc", "vpcName=anyscale-vpc", "existingSubnetName=s"], "vpcName",
     "only one of existing_vpc_name and vpc_name can be specified"),
    (["existingVpcName=corp-vpc"], "existingSubnetName", "is required with existing_vpc_name"),
    (["existingSubnetName=corp-subnet"], "existingSubnetName", "needs existing_vpc_name"),
    (["existingVpcName=corp-vpc", "existingSubnetName=s", "existingSubnetCidr=10.0.0.0/25"], "existingSubnetCidr",
     "10.0.0.0/25 is smaller than the /24 Anyscale requires"),
    (["existingSubnetCidr=10.0.0.0/20"], "existingSubnetCidr", "needs existing_vpc_name"),
    (["hostProjectId=acme-net-host"], "hostProjectId", "needs existing_vpc_name"),
    (["existingVpcName=v", "existingSubnetName=s", "hostProjectId=acme-ml-prod"], "hostProjectId",
     "is the cloud's own project acme-ml-prod; leave host_project_id out"),
    (["existingVpcName=v", "existingSubnetName=s", "hostProjectId=123456"], "hostProjectId", "that is a project NUMBER"),
    # firewall
    (["ingressCidrs=[]"], "ingressCidrs", "is empty, so nobody could reach clusters on port 443"),
    (["ingressCidrs=notjson"], "ingressCidrs", "is not a valid object"),
    (['ingressCidrs={"a":1}'], "ingressCidrs", "Input should be a valid list"),
    (['ingressCidrs=["10.0.0.0/33"]'], "ingressCidrs", "'10.0.0.0/33' has an invalid prefix length"),
    (['ingressCidrs=["203.0.113.0/24","203.0.113.0/24"]'], "ingressCidrs", "lists 203.0.113.0/24 more than once"),
    (["enableSsh=maybe"], "enableSsh", "is not a valid bool"),
    (['sshCidrs=["203.0.113.0/24"]'], "sshCidrs", "needs enable_ssh=True"),
    (["enableSsh=true", 'sshCidrs=["nope"]'], "sshCidrs", "'nope' is not an IPv4 CIDR block"),
    (["enableIapSsh=maybe"], "enableIapSsh", "is not a valid bool"),
    (["existingFirewallPolicyName=Bad_Name"], "existingFirewallPolicyName", "name 'Bad_Name' must be 1 to 63"),
    # (Pulumi.preview.yaml sets ingressCidrs: an existing policy cannot take them.)
    (["existingFirewallPolicyName=corp-firewall"], "ingressCidrs",
     "only one of existing_firewall_policy_name and ingress_cidr_blocks can be specified"),
    # bucket
    (["bucketName=Bad_Bucket"], "bucketName", "bucket name 'Bad_Bucket' must use only lowercase letters"),
    (["bucketName=my-google-data"], "bucketName", "must not contain 'google'"),
    (["existingBucketName=goog-data"], "existingBucketName", "must not start with 'goog'"),
    (["existingBucketName=corp-data", "bucketName=other-data"], "bucketName",
     "only one of existing_bucket_name and bucket_name can be specified"),
    (["bucketLocation=EU"], "bucketLocation", "multi-region EU does not contain the cloud's region us-central1"),
    (["bucketLocation=NAM4"], "bucketLocation", "predefined dual-regions like NAM4"),
    (["kmsKeyName=alias/x"], "kmsKeyName", "'alias/x' is not a Cloud KMS key name"),
    (["kmsKeyName=projects/acme-kms/locations/europe-west4/keyRings/a/cryptoKeys/b"], "kmsKeyName",
     "key is in europe-west4 but the bucket is in us-central1"),
    (["protectBucket=maybe"], "protectBucket", "is not a valid bool"),
    # Filestore
    (["enableFilestore=maybe"], "enableFilestore", "is not a valid bool"),
    (["filestoreTier=PREMIUM"], "filestoreTier", "PREMIUM is a legacy Filestore tier; use BASIC_SSD"),
    (["filestoreTier=FAST"], "filestoreTier", "Input should be 'BASIC_HDD', 'BASIC_SSD', 'ZONAL', 'REGIONAL' or 'ENTERPRISE'"),
    (["filestoreCapacityGb=100"], "filestoreCapacityGb", "100 GiB is not a BASIC_HDD capacity: BASIC_HDD takes 1024-65433 GiB"),
    (["filestoreTier=ENTERPRISE", "filestoreCapacityGb=1100"], "filestoreCapacityGb",
     "1100 GiB is not a ENTERPRISE capacity: ENTERPRISE takes 1024-10240 GiB in steps of 256 GiB"),
    (["filestoreTier=BASIC_SSD", "filestoreCapacityGb=1024"], "filestoreCapacityGb", "1024 GiB is not a BASIC_SSD capacity"),
    (["filestoreCapacityGb=x"], "filestoreCapacityGb", "is not a valid int"),
    (["filestoreLocation=us-east1-b"], "filestoreLocation", "zone us-east1-b is not in region us-central1"),
    # The location against the tier: a zonal tier in a region, a regional tier in a zone.
    (["filestoreLocation=us-central1"], "filestoreLocation", "BASIC_HDD is a zonal tier: give a zone"),
    (["filestoreTier=REGIONAL", "filestoreLocation=us-central1-a"], "filestoreLocation",
     "us-central1-a is a zone: REGIONAL is a regional tier and goes in the cloud's region us-central1"),
    (["existingFilestoreInstanceId=projects/x/locations/us-central1-a/instances/z", "existingFilestoreLocation=us-central1-a"],
     "existingFilestoreInstanceId", "is a full name; give the short instance id"),
    (["existingFilestoreLocation=us-central1-b"], "existingFilestoreInstanceId", "is required with existing_location"),
    (["existingFilestoreInstanceId=corp-nfs"], "existingFilestoreLocation", "is required with existing_instance_id"),
    (["existingFilestoreInstanceId=corp-nfs", "existingFilestoreLocation=us-east1-b"], "existingFilestoreLocation",
     "us-east1-b is not in the cloud's region us-central1"),
    (["existingFilestoreInstanceId=corp-nfs", "existingFilestoreLocation=us-central1-b", "filestoreTier=ZONAL"],
     "filestoreTier", "only one of existing_instance_id and tier can be specified"),
    (["protectFilestore=maybe"], "protectFilestore", "is not a valid bool"),
    # Memorystore
    (["enableMemorystore=maybe"], "enableMemorystore", "is not a valid bool"),
    (["enableMemorystore=true", "memorystoreMemorySizeGb=4"], "memorystoreMemorySizeGb", "4 GB is outside 5-300 GB"),
    (["memorystoreMemorySizeGb=lots"], "memorystoreMemorySizeGb", "is not a valid int"),
    (["enableMemorystore=true", "memorystoreReplicaCount=0"], "memorystoreReplicaCount", "0 read replicas"),
    (["enableMemorystore=true", "memorystoreReplicaCount=6"], "memorystoreReplicaCount",
     "6 read replicas; STANDARD_HA with read replicas takes 1 to 5"),
    (["enableMemorystore=true", "existingMemorystoreInstanceName=anyscale-redis"], "existingMemorystoreInstanceName",
     "'anyscale-redis' is not a full Memorystore name"),
    (["enableMemorystore=true", "existingMemorystoreInstanceName=projects/acme-ml-prod/locations/us-east1/instances/r"],
     "existingMemorystoreInstanceName", "is in us-east1, not in the cloud's region us-central1"),
    (["enableMemorystore=true", "existingMemorystoreInstanceName=projects/acme-ml-prod/locations/us-central1/instances/r",
      "memorystoreReplicaCount=2"], "memorystoreReplicaCount", "only one of existing_instance_name and replica_count"),
    (["protectMemorystore=maybe"], "protectMemorystore", "is not a valid bool"),
    # identity
    ([f"existingProviderName={PROVIDER_WITH_PROJECT_ID}"], "existingProviderName",
     "names project 'acme-ml-prod': it must name the project NUMBER"),
    (["existingProviderName=anyscale-access"], "existingProviderName", "is not a provider name like projects/"),
    (["existingAccessServiceAccountEmail=foo@gmail.com"], "existingAccessServiceAccountEmail",
     "'foo@gmail.com' is not a service account email"),
    (["existingInstanceServiceAccountEmail=x@y.com"], "existingInstanceServiceAccountEmail", "is not a service account email"),
    ([f"existingAccessServiceAccountEmail={EMAIL}", f"existingInstanceServiceAccountEmail={EMAIL}"],
     "existingInstanceServiceAccountEmail", "cluster nodes must not run as the control plane's account"),
    # labels
    (['labels={"Team":"ml"}'], "labels", "label key 'Team' must start with a lowercase letter"),
    (['labels={"team":"ML"}'], "labels", "label 'team' value 'ML' must be at most 63 lowercase"),
    (['labels=["a"]'], "labels", "Input should be a valid dictionary"),
    (['labels={"k":1}'], "labels", "Input should be a valid string"),
    (["labels=team"], "labels", "is not a valid object"),
    # read by the root program itself, not by CONFIG_KEYS
    (["provider=openstack"], "provider", "is 'openstack'; choose one of aws, gcp, azure, generic"),
    (["provider=GCP"], "provider", "is 'GCP'; choose one of aws, gcp, azure, generic"),
]


@pytest.mark.parametrize("config, key, phrase", CONFIG_CASES, ids=[" ".join(c)[:60] for c, _, _ in CONFIG_CASES])
def test_bad_gcp_stack_config_is_exit_2_naming_the_key_and_the_rule(config, key, phrase):
    outcome, message = preview(*config)
    assert_bad_input(outcome, message, f"anyscale-cloud:{key}: ", phrase)


def test_every_config_key_has_a_bad_input_case():
    keyed = {key for _, key, _ in CONFIG_CASES}
    assert set(CONFIG_KEYS) <= keyed, sorted(set(CONFIG_KEYS) - keyed)


def test_every_problem_is_reported_at_once():
    outcome, message = preview("filestoreCapacityGb=x", "protectBucket=maybe")
    assert_bad_input(
        outcome, message,
        "anyscale-cloud:filestoreCapacityGb: is not a valid int",
        "anyscale-cloud:protectBucket: is not a valid bool",
    )
    outcome, message = preview("subnetCidr=10.0.0.0/25", "bucketName=Bad_Bucket", "filestoreCapacityGb=100")
    assert_bad_input(
        outcome, message,
        "anyscale-cloud:subnetCidr: ", "anyscale-cloud:bucketName: ", "anyscale-cloud:filestoreCapacityGb: ",
    )


# -- the project and region: from the Google provider's config, or our own keys ------------------
@pytest.mark.parametrize(
    "config, needles",
    [
        (
            ["provider=gcp", "gcp:region=us-central1"],
            ["anyscale-cloud:projectId: is required: set gcp:project or anyscale-cloud:projectId"],
        ),
        (
            ["provider=gcp", "gcp:project=acme-ml-prod"],
            ["anyscale-cloud:region: is required: set gcp:region or anyscale-cloud:region"],
        ),
        (
            ["provider=gcp"],
            ["anyscale-cloud:projectId: is required: set gcp:project or anyscale-cloud:projectId",
             "anyscale-cloud:region: is required: set gcp:region or anyscale-cloud:region"],
        ),
    ],
)
def test_a_missing_project_or_region_names_both_keys_that_can_give_it(config, needles):
    outcome, message = preview(*config, base=())
    assert_bad_input(outcome, message, *needles)


@pytest.mark.parametrize(
    "config, key, phrase",
    [
        (["gcp:project=123456789012", "gcp:region=us-central1"], "gcp:project", "that is a project NUMBER"),
        (["gcp:project=acme-ml-prod", "gcp:region=us-central"], "gcp:region", "'us-central' is not a Google Cloud region"),
    ],
)
def test_a_bad_provider_project_or_region_names_the_providers_key(config, key, phrase):
    """The value came from gcp:project/gcp:region: that is the key to fix, not ours."""
    outcome, message = preview("provider=gcp", *config, base=())
    assert_bad_input(outcome, message, f"{key}: ", phrase)
    assert "anyscale-cloud:projectId" not in message and "anyscale-cloud:region" not in message


@pytest.mark.parametrize(
    "config",
    [
        ["provider=gcp", "projectId=acme-ml-prod", "region=us-central1"],
        # Our keys win over the provider's (a bad provider value is then not read).
        ["provider=gcp", "gcp:project=123456789012", "projectId=acme-ml-prod", "gcp:region=us", "region=us-central1"],
    ],
)
def test_our_project_and_region_keys_stand_in_for_the_providers(config):
    outcome, message = preview(*config, base=())
    assert outcome.exit_code == 0, message


# -- good config previews ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "config",
    [
        [],
        ["networking=private", "enableMemorystore=true"],
        ["subnetCidr=10.0.0.0/24", "proxyOnlySubnet=true", "proxyOnlySubnetCidr=10.1.0.0/26"],
        ["existingVpcName=shared-vpc", "existingSubnetName=shared-subnet", "existingSubnetCidr=10.8.0.0/20",
         "hostProjectId=acme-net-host"],
        ["enableFilestore=false", "bucketLocation=US", 'labels={"team":"ml"}', "cloudId=cld_abc123"],
        ["filestoreTier=ENTERPRISE", "filestoreCapacityGb=1280", "filestoreLocation=us-central1"],
        ["filestoreTier=BASIC_SSD"],
    ],
    ids=["defaults", "private+memorystore", "smallest subnets", "shared VPC", "no filestore", "enterprise filestore",
         "ssd filestore at its smallest"],
)
def test_good_gcp_config_previews(config):
    outcome, message = preview(*config)
    assert outcome.exit_code == 0, message
    assert "anyscale-infra:index:AnyscaleGcpCloud" in message

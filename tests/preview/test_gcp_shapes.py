"""The offline preview answers like the Google provider: ids and self links in the
configured (or the explicit provider's) project and region, service-account emails, pool
and provider names with the project NUMBER, auto-names — all stable across runs."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from anyscale_infra.preview import run_function
from anyscale_infra.preview.mocks.gcp import project_number

CONFIG = {"gcp:project": "acme-ml-prod", "gcp:region": "europe-west4"}


def _program():
    network = gcp.compute.Network("vpc", auto_create_subnetworks=False)
    subnet = gcp.compute.Subnetwork("subnet", network=network.id, ip_cidr_range="10.8.0.0/20")
    account = gcp.serviceaccount.Account("access", account_id="anyscale-access")
    pool = gcp.iam.WorkloadIdentityPool("pool", workload_identity_pool_id="anyscale-pool")
    provider = gcp.iam.WorkloadIdentityPoolProvider(
        "provider", workload_identity_pool_id=pool.workload_identity_pool_id,
        workload_identity_pool_provider_id="anyscale-aws", aws={"account_id": "525325868955"},
    )
    bucket = gcp.storage.Bucket("Data", location="EUROPE-WEST4")
    project = gcp.organizations.get_project()
    pulumi.export("network", network.id)
    pulumi.export("network_link", network.self_link)
    pulumi.export("subnet", subnet.id)
    pulumi.export("gateway", subnet.gateway_address)
    pulumi.export("email", account.email)
    pulumi.export("member", account.member)
    pulumi.export("provider", provider.name)
    pulumi.export("bucket", bucket.name)
    pulumi.export("url", bucket.url)
    pulumi.export("number", project.number)


def test_ids_names_and_links_are_google_shaped_and_stable():
    first, second = run_function(_program, config=CONFIG), run_function(_program, config=CONFIG)
    assert first.outputs == second.outputs
    out = first.outputs
    network_name = out["network"].rsplit("/", 1)[-1]
    assert out["network"] == f"projects/acme-ml-prod/global/networks/{network_name}"
    assert network_name.startswith("vpc-") and len(network_name) == len("vpc-") + 7
    assert out["network_link"] == f"https://www.googleapis.com/compute/v1/projects/acme-ml-prod/global/networks/{network_name}"
    assert out["subnet"].startswith("projects/acme-ml-prod/regions/europe-west4/subnetworks/subnet-")
    assert out["gateway"] == "10.8.0.1"
    assert out["email"] == "anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
    assert out["member"] == "serviceAccount:anyscale-access@acme-ml-prod.iam.gserviceaccount.com"
    number = project_number("acme-ml-prod")
    assert len(number) == 12 and not number.startswith("0") and out["number"] == number
    assert out["provider"] == f"projects/{number}/locations/global/workloadIdentityPools/anyscale-pool/providers/anyscale-aws"
    assert out["bucket"].startswith("data-")  # auto-names are lower-cased
    assert out["url"] == f"gs://{out['bucket']}"
    assert number in first.generated_values  # shown as (preview)


def test_an_explicit_provider_sets_project_and_region():
    def program():
        other = gcp.Provider("host", project="acme-network-host", region="us-east1")
        network = gcp.compute.Network("vpc", opts=pulumi.ResourceOptions(provider=other))
        subnet = gcp.compute.Subnetwork("subnet", network=network.id, ip_cidr_range="10.0.0.0/20",
                                        opts=pulumi.ResourceOptions(provider=other))
        pulumi.export("subnet", subnet.id)
        pulumi.export("number", gcp.organizations.get_project(opts=pulumi.InvokeOptions(provider=other)).number)

    out = run_function(program, config=CONFIG).outputs
    assert out["subnet"].startswith("projects/acme-network-host/regions/us-east1/subnetworks/")
    assert out["number"] == project_number("acme-network-host") != project_number("acme-ml-prod")


def test_without_config_the_preview_project_is_a_placeholder():
    out = run_function(_program).outputs
    assert out["network"].startswith("projects/anyscale-preview/global/networks/")
    assert out["subnet"].startswith("projects/anyscale-preview/regions/us-central1/")


def test_a_looked_up_subnet_has_no_made_up_range_and_the_preview_says_so():
    def program():
        subnet = gcp.compute.get_subnetwork_output(name="ml-us-east1", region="us-east1", project="acme-network-host")
        pulumi.export("link", subnet.self_link)
        pulumi.export("range", subnet.ip_cidr_range)

    result = run_function(program, config=CONFIG)
    assert result.outputs["link"] == (
        "https://www.googleapis.com/compute/v1/projects/acme-network-host/regions/us-east1/subnetworks/ml-us-east1"
    )
    assert result.outputs["range"] is None
    (note,) = [n for n in result.notes if "ml-us-east1" in n]
    assert "its range is not looked up offline" in note and "existingSubnetCidr" in note


def test_no_subnet_lookup_no_note():
    assert not [n for n in run_function(_program, config=CONFIG).notes if "not looked up offline" in n]

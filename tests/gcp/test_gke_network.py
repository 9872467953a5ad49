"""What GKE adds to the shared GCP parts, opt-in only: the subnet's secondary ranges (pods,
services) and Kubernetes Engine among the APIs. Without them every existing input is as before."""

from __future__ import annotations

import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.gcp.apis import AnyscaleGcpApisArgs, required_apis
from anyscale_infra.gcp.network import AnyscaleGcpNetwork, AnyscaleGcpNetworkArgs
from anyscale_infra.preview.engine import run_function

CONFIG = {"gcp:project": "acme-ml-prod", "gcp:region": "us-central1"}
SUBNET = "gcp:compute/subnetwork:Subnetwork"
RANGES = {"services": "10.8.0.0/20", "pods": "10.4.0.0/14"}


def subnet(**args) -> dict:
    result = run_function(lambda: AnyscaleGcpNetwork("n", AnyscaleGcpNetworkArgs(project_id="acme-ml-prod", region="us-central1", **args)), config=CONFIG)
    return next(s for s in result.by_type(SUBNET) if not s.inputs.get("purpose")).inputs


def test_secondary_ranges_are_added_sorted_by_name():
    assert subnet(secondary_ranges=RANGES)["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.4.0.0/14"},
        {"rangeName": "services", "ipCidrRange": "10.8.0.0/20"},
    ]


def test_without_them_the_subnet_is_unchanged():
    plain = subnet()
    assert "secondaryIpRanges" not in plain
    assert subnet(secondary_ranges={}) == plain


@pytest.mark.parametrize(
    "args, field, needle",
    [
        ({"secondary_ranges": {"pods": "10.0.0.0/14"}}, "secondary_ranges", "subnet_cidr 10.0.0.0/20 overlaps secondary range pods"),
        ({"secondary_ranges": {"pods": "10.4.0.0/14", "services": "10.5.0.0/20"}}, "secondary_ranges", "overlaps secondary range services"),
        ({"networking": "private", "secondary_ranges": {"pods": "10.1.0.0/24"}}, "secondary_ranges", "proxy-only subnet 10.1.0.0/23 overlaps"),
        ({"secondary_ranges": {"Pods": "10.4.0.0/14"}}, "secondary_ranges.Pods", "secondary range name"),
        ({"secondary_ranges": {"pods": "8.8.0.0/14"}}, "secondary_ranges.pods", "allow_public_ranges"),
        ({"secondary_ranges": {"pods": "10.4.0.1/14"}}, "secondary_ranges.pods", "did you mean 10.4.0.0/14"),
        ({"existing_vpc_name": "v", "existing_subnet_name": "s", "secondary_ranges": RANGES}, "secondary_ranges", "only one of existing_vpc_name"),
    ],
)
def test_bad_secondary_ranges_name_the_field(args, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**args)
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_kubernetes_engine_is_enabled_only_for_gke():
    assert "container.googleapis.com" not in required_apis()
    assert "container.googleapis.com" in required_apis(gke=True)
    assert "container.googleapis.com" in AnyscaleGcpApisArgs(enable_gke=True).apis()
    assert AnyscaleGcpApisArgs().apis() == required_apis()

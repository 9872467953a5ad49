"""GCP validators: each rule with a value on each side of it, and the sentence users read.
Limits are literals here, never read from the library's constants."""

from __future__ import annotations

import pytest

from anyscale_infra.gcp import validation as v


@pytest.mark.parametrize("value", ["acme-1", "a" * 30, "my-project-abc123", "a1b2c3"])
def test_project_ids_accepted(value):
    assert v.check_project_id(value) == value


@pytest.mark.parametrize(
    "value, needle",
    [
        ("acme", "6 to 30"),  # 4: too short
        ("acme1", "6 to 30"),  # 5
        ("a" * 31, "6 to 30"),
        ("1acme-ml", "starting with a letter"),
        ("123456789012", "that is a project NUMBER"),
        ("acme-ml-", "not ending with a hyphen"),
        ("Acme-ml", "lowercase"),
        ("acme_ml1", "lowercase letters, digits and hyphens"),
    ],
)
def test_project_ids_rejected(value, needle):
    with pytest.raises(ValueError, match=needle):
        v.check_project_id(value)


def test_project_numbers():
    assert v.check_project_number("123456789012") == "123456789012"
    for bad in ("acme-ml", "012345678901", "12345"):
        with pytest.raises(ValueError, match="numeric id"):
            v.check_project_number(bad)


@pytest.mark.parametrize("region", ["us-central1", "europe-west4", "northamerica-northeast2", "me-central2", "us-east5"])
def test_regions(region):
    assert v.check_region(region) == region


@pytest.mark.parametrize("region", ["us-central", "us-central1-a", "US-CENTRAL1", "central1", ""])
def test_not_regions(region):
    with pytest.raises(ValueError, match="is not a Google Cloud region"):
        v.check_region(region)


def test_zones_and_zone_in_region():
    assert v.check_zone("us-central1-a", "us-central1") == "us-central1-a"
    assert v.region_of_zone("europe-west4-b") == "europe-west4"
    with pytest.raises(ValueError, match="zone us-east1-b is not in region us-central1"):
        v.check_zone("us-east1-b", "us-central1")
    for bad in ("us-central1", "us-central1-", "us-central1-ab"):
        with pytest.raises(ValueError, match="is not a Google Cloud zone"):
            v.check_zone(bad)


@pytest.mark.parametrize(
    "location, region",
    [("us-central1-a", "us-central1"), ("us-central1", "us-central1"), ("us-central10-a", "us-central10"),
     ("europe-west4", "europe-west4")],
)
def test_region_of_location_is_exact_for_zones_and_regions(location, region):
    assert v.region_of_location(location) == region


@pytest.mark.parametrize("value, ok", [("abcdef", True), ("a" * 30, True), ("abcde", False), ("a" * 31, False),
                                       ("1abcdef", False), ("abcdef-", False), ("abc_def", False)])
def test_service_account_ids(value, ok):
    if ok:
        assert v.check_service_account_id(value) == value
    else:
        with pytest.raises(ValueError, match="service account id"):
            v.check_service_account_id(value)


def test_service_account_emails():
    assert v.check_service_account_email("anyscale-access@acme-ml.iam.gserviceaccount.com")
    for bad in ("anyscale-access@acme-ml.com", "short@acme-ml.iam.gserviceaccount.com", "anyscale-access"):
        with pytest.raises(ValueError, match="is not a service account email"):
            v.check_service_account_email(bad)


@pytest.mark.parametrize("value, ok", [("a", True), ("a" * 63, True), ("a" * 64, False), ("vpc-1", True),
                                       ("1vpc", False), ("vpc-", False), ("Vpc", False), ("vpc_1", False)])
def test_resource_names(value, ok):
    if ok:
        assert v.check_resource_name(value, "VPC name") == value
    else:
        with pytest.raises(ValueError, match="VPC name .* must be 1 to 63"):
            v.check_resource_name(value, "VPC name")


def test_labels():
    assert v.check_labels({"team": "ml", "cost-center": "", "a" * 63: "b" * 63})
    with pytest.raises(ValueError, match="label key 'Team'"):
        v.check_labels({"Team": "ml"})
    with pytest.raises(ValueError, match="label key"):
        v.check_labels({"a" * 64: "x"})
    with pytest.raises(ValueError, match="label 'team' value 'ML'"):
        v.check_labels({"team": "ML"})
    with pytest.raises(ValueError, match="label 'team' value"):
        v.check_labels({"team": "b" * 64})
    with pytest.raises(ValueError, match="at most 64"):
        v.check_labels({f"k{i}": "v" for i in range(65)})
    assert len(v.check_labels({f"k{i}": "v" for i in range(64)})) == 64


@pytest.mark.parametrize("name", ["abc", "a" * 63, "acme_ml-data.2026", "a.b.c", ("a" * 63 + ".") * 3 + "a" * 30])
def test_bucket_names_accepted(name):
    assert v.check_bucket_name(name) == name


@pytest.mark.parametrize(
    "name, needle",
    [
        ("ab", "at least 3"),
        ("a" * 64, "must be 3 to 63"),
        ("Upper", "lowercase"),
        ("-abc", "begin and end with a letter or digit"),
        ("abc-", "begin and end with a letter or digit"),
        ("192.168.5.4", "must not be an IP address"),
        ("goog-data", "must not start with 'goog'"),
        ("my-google-bucket", "must not contain 'google'"),
        ("my-g00gle-data", "must not contain 'google'"),
        ("a" * 64 + ".b", "each dot-separated part 1 to 63"),
    ],
)
def test_bucket_names_rejected(name, needle):
    with pytest.raises(ValueError, match=needle):
        v.check_bucket_name(name)


@pytest.mark.parametrize("cidr", ["10.0.0.0/24", "10.0.0.0/20", "172.16.0.0/12", "192.168.10.0/24", "100.64.0.0/24", "240.0.0.0/24"])
def test_subnet_ranges_accepted(cidr):
    assert v.check_subnet_cidr(cidr) == cidr


@pytest.mark.parametrize(
    "cidr, needle",
    [
        ("10.0.0.0/25", "smaller than the /24 Anyscale requires for a subnet"),  # the CLI's GCP minimum
        ("10.0.0.0/28", "smaller than the /24"),
        ("8.8.8.0/24", "is not inside RFC 1918"),
        ("172.32.0.0/24", "is not inside RFC 1918"),  # just past 172.16/12
        ("10.0.0.1/24", "host bits set"),
    ],
)
def test_subnet_ranges_rejected(cidr, needle):
    with pytest.raises(ValueError, match=needle):
        v.check_subnet_cidr(cidr)


def test_public_ranges_need_the_opt_in():
    assert v.check_subnet_cidr("8.8.8.0/24", allow_public_ranges=True) == "8.8.8.0/24"


def test_proxy_only_ranges():
    assert v.check_proxy_only_cidr("10.1.0.0/23") == "10.1.0.0/23"
    assert v.check_proxy_only_cidr("10.1.0.0/26") == "10.1.0.0/26"
    with pytest.raises(ValueError, match="smaller than the /26 Google Cloud requires for a proxy-only subnet"):
        v.check_proxy_only_cidr("10.1.0.0/27")

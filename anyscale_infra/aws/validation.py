"""Pure validators for an Anyscale cloud on AWS: ids, ARNs, regions, names and the size and
spread rules of seed 004.

Same contract as :mod:`anyscale_infra.validation` (whose checks are re-exported here, so an
AWS module needs one ``v``): a plain value in, the value back or a ``ValueError`` whose
sentence states the rule. No Pulumi and no cloud SDK in here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from anyscale_infra.aws import constants as c
from anyscale_infra.validation import (  # noqa: F401 - re-exported: the AWS modules use one `v`
    check_cidr,
    check_cloud_id,
    check_cloud_name,
    check_ingress_cidr,
    check_org_id,
    cidr_too_small,
    duplicates,
    is_world,
    subnet_problems,
)
_AWS_ID = {
    "vpc": re.compile(r"^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$"),
    "subnet": re.compile(r"^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$"),
    "sg": re.compile(r"^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$"),
    "fs": re.compile(r"^fs-[0-9a-f]{8}(?:[0-9a-f]{9})?$"),
}

_ROLE_ARN = re.compile(r"^arn:aws:iam::(\d{12}):role/((?:[\x21-\x7e]+/)*)([\w+=,.@-]{1,64})$")
_POLICY_ARN = re.compile(r"^arn:aws:iam::(?:aws|\d{12}):policy/(?:[\x21-\x7e]+/)*[\w+=,.@-]{1,128}$")
_KMS_KEY_ARN = re.compile(
    r"^arn:aws:kms:[a-z]{2}-[a-z]+-\d+:\d{12}:key/"
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$"
)

# Commercial regions only (seed 004 FAQ: the `aws` partition; no China, no GovCloud).
_REGION = re.compile(r"^(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d{1,2}$")
_AZ = re.compile(r"^((?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d{1,2})([a-z])$")

# AWS: sts:ExternalId is 2-1224 characters of [\w+=,.@:/-].
_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
_EXTERNAL_ID_SHAPE = re.compile(r"^(org_[A-Za-z0-9]+)-(.+)$")
_MEMORYDB_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_NODE_TYPE = re.compile(r"^db\.[a-z0-9]+\.[a-z0-9]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_BUCKET_FORBIDDEN_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_FORBIDDEN_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def subnet_spread_problem(subnet_count: int, zones: Iterable[str] | None) -> str | None:
    """seed 004 "must provide >= 2 subnet"; the verifier also wants them in >= 2 AZs.

    ``zones``: the subnets' availability zones, None when they are not known.
    """
    wanted = (
        f"Anyscale needs at least {c.MIN_SUBNETS} subnets in at least {c.MIN_AVAILABILITY_ZONES} "
        "availability zones (seed 004)"
    )
    if subnet_count < c.MIN_SUBNETS:
        return f"{wanted}, got {subnet_count} subnet{'' if subnet_count == 1 else 's'}"
    distinct = sorted(set(zones)) if zones is not None else None
    if distinct is not None and len(distinct) < c.MIN_AVAILABILITY_ZONES:
        return f"{wanted}, got {subnet_count} subnets all in {', '.join(distinct) or 'no known zone'}"
    return None


def public_subnet_zone_problems(public_subnets: Iterable[tuple[str, str | None]]) -> list[tuple[str, list[str], str]]:
    """seed 004 (direct networking): no two public subnets in the same availability zone.

    ``public_subnets``: (label, availability zone) of each public subnet; unknown zones are
    skipped. Returns (zone, labels of its public subnets, sentence) per broken zone.
    """
    by_zone: dict[str, list[str]] = {}
    for label, zone in public_subnets:
        if zone is not None:
            by_zone.setdefault(zone, []).append(label)
    problems = []
    for zone, labels in sorted(by_zone.items()):
        if len(labels) > 1:
            count = "two" if len(labels) == 2 else str(len(labels))
            problems.append(
                (
                    zone,
                    labels,
                    f"{count} public subnets in {zone} ({', '.join(labels)}); seed 004: no two public "
                    "subnets in the same availability zone",
                )
            )
    return problems


def check_vpc_cidr(value: str) -> str:
    """seed 004: "The CIDR range must be greater than or equal to /24"."""
    network = check_cidr(value)
    if problem := cidr_too_small(network, c.MIN_VPC_PREFIX_LENGTH, "VPC"):
        raise ValueError(problem)
    if network.prefixlen < c.AWS_LARGEST_VPC_PREFIX_LENGTH:
        raise ValueError(f"{value} is larger than the /{c.AWS_LARGEST_VPC_PREFIX_LENGTH} AWS allows for a VPC CIDR block")
    return str(network)


def check_subnet_cidr(value: str) -> str:
    """seed 004: subnets "must be greater than or equal to /28"."""
    network = check_cidr(value)
    if problem := cidr_too_small(network, c.MIN_SUBNET_PREFIX_LENGTH, "subnet"):
        raise ValueError(problem)
    return str(network)


def check_aws_id(kind: str, value: str) -> str:
    pattern = _AWS_ID[kind]
    if not pattern.match(value):
        example = {"vpc": "vpc-0a1b2c3d4e5f67890", "subnet": "subnet-0a1b2c3d4e5f67890",
                   "sg": "sg-0a1b2c3d4e5f67890", "fs": "fs-0a1b2c3d4e5f67890"}[kind]
        raise ValueError(f"{value!r} is not a {kind} id like {example}")
    return value


def check_role_arn(value: str) -> str:
    match = _ROLE_ARN.match(value)
    if not match:
        raise ValueError(
            f"{value!r} is not an IAM role ARN in the aws partition like "
            "arn:aws:iam::<12-digit account>:role/<name> (Anyscale supports only the aws partition)"
        )
    if match.group(1) == c.PLACEHOLDER_AWS_ACCOUNT_ID:
        raise ValueError(
            f"{value} uses AWS's documentation account {c.PLACEHOLDER_AWS_ACCOUNT_ID}, "
            "which `anyscale cloud register` rejects"
        )
    return value


def role_name_from_arn(arn: str) -> str:
    """``arn:aws:iam::1:role/path/name`` -> ``name`` (role names are unique without the path)."""
    return arn.rsplit("/", 1)[-1]


def check_policy_arn(value: str) -> str:
    if not _POLICY_ARN.match(value):
        raise ValueError(f"{value!r} is not an IAM policy ARN like arn:aws:iam::aws:policy/<name>")
    return value


def check_kms_key_arn(value: str) -> str:
    if not _KMS_KEY_ARN.match(value):
        raise ValueError(
            f"{value!r} is not a KMS key ARN like arn:aws:kms:<region>:<account>:key/<key id> "
            "(aliases are not accepted: IAM policies need the key ARN)"
        )
    return value


def check_region(value: str) -> str:
    if not _REGION.match(value):
        raise ValueError(
            f"{value!r} is not a commercial AWS region like us-west-2 "
            "(Anyscale supports only the aws partition: no China or GovCloud regions)"
        )
    return value


def check_availability_zone(value: str, region: str | None = None) -> str:
    match = _AZ.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an availability zone name like us-west-2a")
    if region is not None and match.group(1) != region:
        raise ValueError(f"availability zone {value} is not in region {region}")
    return value


def az_letter_index(az: str) -> int:
    """``us-west-2c`` -> 2: the stable slot of an AZ, independent of which AZs exist."""
    return ord(az[-1]) - ord("a")


def check_external_id(value: str, org_id: str | None = None) -> str:
    """AWS character set and length, and the CLI rule: ``<org id>-<random string>``."""
    if not _EXTERNAL_ID.match(value):
        raise ValueError(
            f"external ID {value!r} must be 2 to 1224 characters of letters, digits and "
            "+=,.@:/-_ (AWS sts:ExternalId rule)"
        )
    match = _EXTERNAL_ID_SHAPE.match(value)
    if not value.startswith("org_"):
        raise ValueError(
            f"external ID {value!r} must start with your Anyscale organization id and a hyphen "
            "(org_xxx-<random>); `anyscale cloud register` rejects any other"
        )
    if match is None:
        raise ValueError(
            f"external ID {value!r} must be the organization id, a hyphen and a random string"
        )
    if org_id is not None and match.group(1) != org_id:
        raise ValueError(
            f"external ID {value!r} must start with the organization id {org_id} followed by a hyphen"
        )
    return value


def check_bucket_name(value: str) -> str:
    """S3 general purpose bucket naming rules, and no documentation placeholder."""
    problems = []
    if not 3 <= len(value) <= 63:
        problems.append("must be 3 to 63 characters")
    if not _BUCKET.match(value):
        problems.append(
            "must use only lowercase letters, digits, '.' and '-', and begin and end with a letter or digit"
        )
    if ".." in value:
        problems.append("must not contain two adjacent periods")
    try:
        ipaddress.IPv4Address(value)
        problems.append("must not be formatted as an IP address")
    except ValueError:
        pass
    if value.startswith(_BUCKET_FORBIDDEN_PREFIXES):
        problems.append(f"must not start with any of {', '.join(_BUCKET_FORBIDDEN_PREFIXES)}")
    if value.endswith(_BUCKET_FORBIDDEN_SUFFIXES):
        problems.append(f"must not end with any of {', '.join(_BUCKET_FORBIDDEN_SUFFIXES)}")
    if value in c.PLACEHOLDER_BUCKET_NAMES:
        problems.append("is a documentation placeholder that `anyscale cloud register` rejects")
    if problems:
        raise ValueError(f"bucket name {value!r} " + "; ".join(problems) + " (S3 bucket naming rules)")
    return value


def check_memorydb_name(value: str) -> str:
    if not _MEMORYDB_NAME.match(value) or value.endswith("-") or "--" in value:
        raise ValueError(
            f"MemoryDB cluster name {value!r} must be 1 to 40 lowercase letters, digits and single "
            "hyphens, starting with a letter"
        )
    return value


def check_node_type(value: str) -> str:
    if not _NODE_TYPE.match(value):
        raise ValueError(f"{value!r} is not a MemoryDB node type like db.t4g.small")
    return value


def check_tags(tags: dict[str, str]) -> dict[str, str]:
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128:
            raise ValueError(f"tag key {key!r} must be 1 to 128 characters")
        if key.lower().startswith("aws:"):
            raise ValueError(f"tag key {key!r} must not start with 'aws:' (reserved by AWS)")
        if not isinstance(value, str) or len(value) > 256:
            raise ValueError(f"tag {key!r} value must be a string of at most 256 characters")
    return tags


# --- EKS -----------------------------------------------------------------------------------

# EKS CreateCluster: 1-100 characters, a letter or digit first, then letters, digits, - and _.
_EKS_CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")
_OIDC_PROVIDER_ARN = re.compile(r"^arn:aws:iam::(\d{12}):oidc-provider/([A-Za-z0-9.-]+(?:/[\w.-]+)*)$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")


def check_eks_cluster_name(value: str) -> str:
    if not isinstance(value, str) or not _EKS_CLUSTER_NAME.match(value):
        raise ValueError(
            f"{value!r} is not an EKS cluster name (1 to 100 letters, digits, '-' and '_', "
            "starting with a letter or digit)"
        )
    return value


def eks_cluster_name_for(name: str) -> str:
    """A valid EKS cluster name made from ``name`` (e.g. a cloud name with dots): every
    other character becomes '-', and a leading one is dropped."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", name).lstrip("-_")[:100]
    return check_eks_cluster_name(cleaned or "anyscale")


def check_oidc_provider_arn(value: str) -> str:
    """An IAM OIDC identity provider ARN (``arn:aws:iam::<account>:oidc-provider/<host/path>``),
    the IRSA principal; its ``<host/path>`` prefixes the trust's condition keys."""
    if not isinstance(value, str) or not _OIDC_PROVIDER_ARN.match(value):
        raise ValueError(
            f"{value!r} is not an IAM OIDC provider ARN like "
            "arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>"
        )
    return value


def oidc_provider_path(issuer_or_arn: str) -> str:
    """``https://oidc.eks.r.amazonaws.com/id/X`` or its provider ARN -> ``oidc.eks.r.amazonaws.com/id/X``:
    the prefix of IRSA's ``:sub``/``:aud`` condition keys (the CLI's setup_k8s does the same
    split on the ARN)."""
    if issuer_or_arn.startswith("arn:"):
        return issuer_or_arn.rsplit("oidc-provider/", 1)[-1]
    return issuer_or_arn.removeprefix("https://").rstrip("/")


def check_instance_type(value: str) -> str:
    if not isinstance(value, str) or not _INSTANCE_TYPE.match(value):
        raise ValueError(f"{value!r} is not an EC2 instance type like m5.4xlarge")
    return value


def region_of_zone(zone: str) -> str:
    """``us-west-2a`` -> ``us-west-2`` (the zone is checked first)."""
    check_availability_zone(zone)
    return zone[:-1]

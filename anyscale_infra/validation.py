"""Pure validators for the identifiers, ranges and names an Anyscale cloud is built from.

Each ``check_*`` takes a plain value and returns it (normalised where that is safe) or
raises ``ValueError`` with a sentence that states the rule; the args models call them from
pydantic validators, which prefix the field name. No Pulumi and no cloud SDK in here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence

from anyscale_infra import constants as c

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
_ORG_ID = re.compile(r"^org_[A-Za-z0-9]+$")
_CLOUD_ID = re.compile(r"^cld_[A-Za-z0-9]+$")
# AWS: sts:ExternalId is 2-1224 characters of [\w+=,.@:/-].
_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
_EXTERNAL_ID_SHAPE = re.compile(r"^(org_[A-Za-z0-9]+)-(.+)$")
_MEMORYDB_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_NODE_TYPE = re.compile(r"^db\.[a-z0-9]+\.[a-z0-9]+$")
# Anyscale cloud names: letters, digits, '-', '_' and '.', as the console accepts.
_CLOUD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_BUCKET_FORBIDDEN_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_FORBIDDEN_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def check_cidr(value: str) -> ipaddress.IPv4Network:
    """An IPv4 network in CIDR notation, with no host bits set."""
    if not isinstance(value, str) or "/" not in value:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16")
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except ipaddress.NetmaskValueError:
        raise ValueError(f"{value!r} has an invalid prefix length") from None
    except ValueError as exc:
        if "host bits set" in str(exc):
            network = ipaddress.IPv4Network(value, strict=False)
            raise ValueError(f"{value} has host bits set; did you mean {network}?") from None
        raise ValueError(f"{value!r} is not an IPv4 CIDR block like 10.0.0.0/16") from None


# --- Rules shared by validation, component advisories and the policy pack -------------
# Each returns the broken rule as a sentence (or nothing); callers add the subject (a field,
# a resource) and decide the level. One rule, one place (seed 004 "Detailed Resource
# Requirements").


def cidr_too_small(
    network: ipaddress.IPv4Network | ipaddress.IPv6Network, max_prefix_length: int, kind: str, verb: str = "requires"
) -> str | None:
    """``10.0.0.0/25 is smaller than the /24 Anyscale requires for a VPC``, or None.

    ``max_prefix_length``: the longest prefix still big enough (seed 004: a VPC >= /24,
    recommended >= /20; a subnet >= /28, recommended >= /24); ``verb``: "requires" or
    "recommends".
    """
    if network.prefixlen > max_prefix_length:
        return f"{network} is smaller than the /{max_prefix_length} Anyscale {verb} for a {kind}"
    return None


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


def is_world(cidr: str) -> bool:
    """True for a range that admits every address: ``0.0.0.0/0``, ``::/0`` (any spelling)."""
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


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


def check_ingress_cidr(value: str) -> str:
    check_cidr(value)
    return value


def subnet_problems(vpc_cidr: str | None, subnets: Sequence[tuple[str, str]]) -> list[str]:
    """Rules across subnets: inside the VPC CIDR, and no two overlapping.

    ``subnets`` are (label, cidr) pairs; returns one sentence per broken rule.
    """
    problems: list[str] = []
    networks = [(label, ipaddress.IPv4Network(cidr)) for label, cidr in subnets]
    if vpc_cidr is not None:
        vpc = ipaddress.IPv4Network(vpc_cidr)
        for label, net in networks:
            if not net.subnet_of(vpc):
                problems.append(f"{label} {net} is outside the VPC CIDR {vpc}")
    for i, (label_a, net_a) in enumerate(networks):
        for label_b, net_b in networks[i + 1 :]:
            if net_a.overlaps(net_b):
                problems.append(f"{label_a} {net_a} overlaps {label_b} {net_b}")
    return problems


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


def check_org_id(value: str) -> str:
    if not _ORG_ID.match(value):
        raise ValueError(
            f"{value!r} is not an Anyscale organization id like org_7c1Kalm9WcX2bNIjW53GUT "
            "(console: Organization settings)"
        )
    return value


def check_cloud_id(value: str) -> str:
    if not _CLOUD_ID.match(value):
        raise ValueError(
            f"{value!r} is not an Anyscale cloud id like cld_abcdefghijklmnop1234567890 "
            "(printed by `anyscale cloud register`)"
        )
    return value


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


def check_cloud_name(value: str) -> str:
    if not _CLOUD_NAME.match(value):
        raise ValueError(
            f"cloud name {value!r} must be 1 to 128 characters of letters, digits, '.', '-' and '_', "
            "starting with a letter or digit"
        )
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


def duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups: list[str] = []
    for value in values:
        if value in seen and value not in dups:
            dups.append(value)
        seen.add(value)
    return dups

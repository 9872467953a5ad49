"""AWS-shaped answers for the offline preview (``aws:`` resources and data sources).

The mock engine asks two things: the state of every new resource, and the answer of every
data source. We answer like the AWS provider would (``vpc-0…`` ids, ARNs in a fixed
preview account, bucket names, AZs of the configured region), deterministically — every
value derives from the resource URN — so a plan can be diffed between runs.

Nothing here is real: :data:`PREVIEW_ACCOUNT_ID` is all zeros (not AWS's documentation
placeholder ``123456789012``, which ``anyscale cloud register`` rejects), and every
generated value is recorded in :attr:`PreviewMocks.generated` so the human output can mark
it as a preview value.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Optional

from anyscale_infra.preview.mocks._base import Generated, ProviderShapes, digest as _digest

PREVIEW_ACCOUNT_ID = "000000000000"
PREVIEW_PARTITION = "aws"
DEFAULT_REGION = "us-east-1"

# Pulumi auto-names these resources "<logical name>-<7 hex>" when no name is given.
_AUTONAMED: dict[str, str] = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:iam/role:Role": "name",
    "aws:iam/instanceProfile:InstanceProfile": "name",
    "aws:iam/policy:Policy": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name",
    "aws:memorydb/cluster:Cluster": "name",
    "aws:memorydb/subnetGroup:SubnetGroup": "name",
    "aws:memorydb/parameterGroup:ParameterGroup": "name",
    "aws:eks/cluster:Cluster": "name",
    "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
}

#: What a cluster's CA looks like (base64 of a PEM block); the bytes are made up.
_PREVIEW_CA_PEM = "-----BEGIN CERTIFICATE-----\nTUlJQ3ByZXZpZXctb25seQ==\n-----END CERTIFICATE-----\n"

# Ids AWS gives as "<prefix>-<17 hex>".
_HEX_ID_PREFIX: dict[str, str] = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/instance:Instance": "i",
    "aws:efs/fileSystem:FileSystem": "fs",
    "aws:efs/mountTarget:MountTarget": "fsmt",
    "aws:efs/accessPoint:AccessPoint": "fsap",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
}

# ARN "<service>:<region?>:<account?>:<resource prefix>" per type; "{id}" is the resource id.
_ARN_SHAPES: dict[str, tuple[str, bool, bool, str]] = {
    "aws:ec2/vpc:Vpc": ("ec2", True, True, "vpc/{id}"),
    "aws:ec2/subnet:Subnet": ("ec2", True, True, "subnet/{id}"),
    "aws:ec2/internetGateway:InternetGateway": ("ec2", True, True, "internet-gateway/{id}"),
    "aws:ec2/routeTable:RouteTable": ("ec2", True, True, "route-table/{id}"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("ec2", True, True, "vpc-endpoint/{id}"),
    "aws:ec2/securityGroup:SecurityGroup": ("ec2", True, True, "security-group/{id}"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("ec2", True, True, "security-group-rule/{id}"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("ec2", True, True, "security-group-rule/{id}"),
    "aws:ec2/eip:Eip": ("ec2", True, True, "elastic-ip/{id}"),
    "aws:ec2/natGateway:NatGateway": ("ec2", True, True, "natgateway/{id}"),
    "aws:efs/fileSystem:FileSystem": ("elasticfilesystem", True, True, "file-system/{id}"),
    "aws:efs/accessPoint:AccessPoint": ("elasticfilesystem", True, True, "access-point/{id}"),
    "aws:iam/role:Role": ("iam", False, True, "role{path}{name}"),
    "aws:iam/instanceProfile:InstanceProfile": ("iam", False, True, "instance-profile{path}{name}"),
    "aws:iam/policy:Policy": ("iam", False, True, "policy{path}{name}"),
    "aws:kms/key:Key": ("kms", True, True, "key/{id}"),
    "aws:memorydb/cluster:Cluster": ("memorydb", True, True, "cluster/{name}"),
    "aws:memorydb/subnetGroup:SubnetGroup": ("memorydb", True, True, "subnetgroup/{name}"),
    "aws:memorydb/parameterGroup:ParameterGroup": ("memorydb", True, True, "parametergroup/{name}"),
    "aws:s3/bucket:Bucket": ("s3", False, False, "{bucket}"),
    "aws:s3/bucketV2:BucketV2": ("s3", False, False, "{bucket}"),
}

# Sub-resources of an S3 bucket are identified by the bucket name.
_BUCKET_KEYED = re.compile(r"^aws:s3/bucket[A-Za-z0-9]+:Bucket[A-Za-z0-9]+$")


class AwsShapes(ProviderShapes):
    """Deterministic, AWS-shaped answers."""

    package = "aws"

    def __init__(self, config: Mapping[str, str], made: Generated) -> None:
        super().__init__(config, made)
        self.default_region = config.get("aws:region") or DEFAULT_REGION
        # The account the program deploys to: the provider's `allowedAccountIds` when the
        # program pins one (so ARNs match roles you bring from it), else the preview account.
        self.account_id = pinned_account(config) or made(PREVIEW_ACCOUNT_ID)
        # Explicit `aws.Provider`s by URN: their resources and invokes use their region.
        self.provider_regions: dict[str, str] = {}
        self._invokes: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
            "aws:index/getAvailabilityZones:getAvailabilityZones": self._availability_zones,
            "aws:index/getRegion:getRegion": self._region,
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller_identity,
            "aws:index/getPartition:getPartition": self._partition,
            "aws:eks/getCluster:getCluster": self._eks_cluster,
        }

    # -- values ---------------------------------------------------------------------------
    def _made(self, value: str) -> str:
        return self.made(value)

    def _hex_id(self, prefix: str, urn: str) -> str:
        return self._made(f"{prefix}-0{_digest(urn)[:16]}")

    def region_of(self, provider_ref: Optional[str]) -> str:
        """The region of the provider a resource or invoke uses (``urn::id`` reference)."""
        urn = (provider_ref or "").rpartition("::")[0]
        return self.provider_regions.get(urn, self.default_region)

    def _arn(self, typ: str, ident: str, state: dict[str, Any], region: str) -> Optional[str]:
        shape = _ARN_SHAPES.get(typ)
        if shape is None:
            return None
        service, regional, with_account, resource = shape
        path = state.get("path") or "/"
        resource = resource.format(
            id=ident, name=state.get("name", ident), bucket=state.get("bucket", ident), path=path
        )
        region = region if regional else ""
        account = self.account_id if with_account else ""
        return f"arn:{PREVIEW_PARTITION}:{service}:{region}:{account}:{resource}"

    # -- resources ------------------------------------------------------------------------
    def register_provider(self, urn: str, state: dict[str, Any]) -> None:
        if isinstance(state.get("region"), str):
            self.provider_regions[urn] = state["region"]

    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        region = self.region_of(provider)
        name_key = _AUTONAMED.get(typ)
        if name_key and not state.get(name_key) and not state.get(f"{name_key}Prefix"):
            autoname = f"{name}-{_digest(urn)[:7]}"
            state[name_key] = self._made(autoname.lower() if typ.startswith("aws:s3/") else autoname)

        ident = self._resource_id(typ, urn, state)
        if ident is None:
            return None
        state.update(self._computed(typ, urn, ident, state, region))
        arn = self._arn(typ, ident, state, region)
        if arn and "arn" not in state:
            state["arn"] = self._made(arn)
        return ident, state

    def _resource_id(self, typ: str, urn: str, state: dict[str, Any]) -> Optional[str]:
        if typ in _HEX_ID_PREFIX:
            return self._hex_id(_HEX_ID_PREFIX[typ], urn)
        if typ in ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"):
            return state["bucket"]
        if _BUCKET_KEYED.match(typ) and isinstance(state.get("bucket"), str):
            return state["bucket"]
        if typ == "aws:iam/rolePolicy:RolePolicy":
            return f"{state.get('role')}:{state.get('name')}"
        if typ == "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return self._made(f"{state.get('role')}-{_digest(urn)[:20]}")
        if typ == "aws:efs/backupPolicy:BackupPolicy":
            return str(state.get("fileSystemId"))
        if typ == "aws:kms/key:Key":
            h = _digest(urn)
            return self._made(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}")
        if typ == "aws:eks/cluster:Cluster":
            return str(state.get("name"))
        if typ == "aws:eks/nodeGroup:NodeGroup":
            return f"{state.get('clusterName')}:{state.get('nodeGroupName')}"
        if typ == "aws:eks/addon:Addon":
            return f"{state.get('clusterName')}:{state.get('addonName')}"
        if typ == "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return f"{state.get('clusterName')},{_association_id(urn)}"
        if typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return self._made(self._oidc_provider_arn(str(state.get("url") or "")))
        if isinstance(state.get("name"), str) and typ.startswith(("aws:iam/", "aws:memorydb/")):
            return state["name"]
        return None  # any other AWS type: the fallback's stable id

    def _computed(self, typ: str, urn: str, ident: str, state: dict[str, Any], region: str) -> dict[str, Any]:
        h = _digest(urn, "computed")
        if typ == "aws:ec2/vpc:Vpc":
            return {
                "defaultSecurityGroupId": self._hex_id("sg", urn + "#default-sg"),
                "mainRouteTableId": self._hex_id("rtb", urn + "#main-rtb"),
                "defaultRouteTableId": self._hex_id("rtb", urn + "#main-rtb"),
                "ownerId": self.account_id,
            }
        if typ == "aws:ec2/subnet:Subnet":
            az = str(state.get("availabilityZone") or "")
            return {"availabilityZoneId": _zone_id(region, az[-1:] or "a"), "ownerId": self.account_id}
        if typ == "aws:ec2/eip:Eip":
            # 198.51.100.0/24 is TEST-NET-2: never a real address.
            return {"allocationId": ident, "publicIp": self._made(f"198.51.100.{int(h[:2], 16) % 254 + 1}")}
        if typ == "aws:ec2/vpcEndpoint:VpcEndpoint":
            return {"prefixListId": self._hex_id("pl", urn), "state": "available"}
        if typ == "aws:efs/fileSystem:FileSystem":
            return {
                "dnsName": self._made(f"{ident}.efs.{region}.amazonaws.com"),
                "ownerId": self.account_id,
                "sizeInBytes": [{"value": 6144, "valueInIa": 0, "valueInStandard": 6144}],
            }
        if typ == "aws:efs/mountTarget:MountTarget":
            return {"ipAddress": self._made(f"10.0.{int(h[:2], 16)}.{int(h[2:4], 16) % 254 + 1}")}
        if typ == "aws:iam/role:Role":
            return {"uniqueId": self._made("AROA" + h[:17].upper()), "createDate": "2026-01-01T00:00:00Z"}
        if typ == "aws:kms/key:Key":
            return {"keyId": ident}
        if typ == "aws:memorydb/cluster:Cluster":
            address = self._made(f"clustercfg.{ident}.{h[:6]}.memorydb.{region}.amazonaws.com")
            return {"clusterEndpoints": [{"address": address, "port": state.get("port", 6379)}]}
        if typ.startswith("aws:eks/") or typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return self._eks_computed(typ, urn, ident, state, region)
        if typ in ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"):
            bucket = state["bucket"]
            return {
                "bucketDomainName": f"{bucket}.s3.amazonaws.com",
                "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
                "region": region,
            }
        return {}

    # -- EKS ------------------------------------------------------------------------------
    def _eks_arn(self, region: str, resource: str) -> str:
        return f"arn:{PREVIEW_PARTITION}:eks:{region}:{self.account_id}:{resource}"

    def _oidc_provider_arn(self, url: str) -> str:
        return f"arn:{PREVIEW_PARTITION}:iam::{self.account_id}:oidc-provider/{url.removeprefix('https://')}"

    def _cluster_shape(self, cluster: str, region: str, seed: str, vpc_config: dict[str, Any]) -> dict[str, Any]:
        """What EKS reports for a cluster: endpoint, CA, OIDC issuer, its security group."""
        h = _digest(seed, "eks").upper()
        return {
            "arn": self._made(self._eks_arn(region, f"cluster/{cluster}")),
            "endpoint": self._made(f"https://{h[:32]}.gr7.{region}.eks.amazonaws.com"),
            "certificateAuthority": {"data": base64.b64encode(_PREVIEW_CA_PEM.encode()).decode()},
            "identities": [{"oidcs": [{"issuer": self._made(f"https://oidc.eks.{region}.amazonaws.com/id/{h[32:64]}")}]}],
            "vpcConfig": {
                **vpc_config,
                "clusterSecurityGroupId": self._hex_id("sg", seed + "#eks-cluster-sg"),
                "vpcId": vpc_config.get("vpcId") or self._hex_id("vpc", seed + "#eks-vpc"),
            },
            "status": "ACTIVE",
            "platformVersion": "eks.1",
            "createdAt": "2026-01-01T00:00:00Z",
        }

    def _eks_computed(self, typ: str, urn: str, ident: str, state: dict[str, Any], region: str) -> dict[str, Any]:
        h = _digest(urn, "eks")
        uuid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
        cluster = state.get("clusterName")
        if typ == "aws:eks/cluster:Cluster":
            shape = self._cluster_shape(ident, region, urn, dict(state.get("vpcConfig") or {}))
            shape["version"] = state.get("version") or "1.33"
            return shape
        if typ == "aws:eks/nodeGroup:NodeGroup":
            group = state.get("nodeGroupName")
            return {
                "arn": self._made(self._eks_arn(region, f"nodegroup/{cluster}/{group}/{uuid}")),
                "status": "ACTIVE",
                "resources": [{"autoscalingGroups": [{"name": self._made(f"eks-{group}-{uuid}")}]}],
                "releaseVersion": "1.33.0-20260101",
                "version": state.get("version") or "1.33",
            }
        if typ == "aws:eks/addon:Addon":
            return {
                "arn": self._made(self._eks_arn(region, f"addon/{cluster}/{state.get('addonName')}/{uuid}")),
                "addonVersion": state.get("addonVersion") or "v1.0.0-eksbuild.1",
                "createdAt": "2026-01-01T00:00:00Z",
            }
        if typ == "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            association = _association_id(urn)
            return {
                "associationId": association,
                "associationArn": self._made(self._eks_arn(region, f"podidentityassociation/{cluster}/{association}")),
            }
        if typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return {"arn": ident}
        return {}

    def _eks_cluster(self, args: dict[str, Any], region: str) -> dict[str, Any]:
        """``aws.eks.get_cluster``: an existing cluster, shaped like a new one (in subnets
        the preview cannot know)."""
        name = str(args.get("name") or "cluster")
        shape = self._cluster_shape(name, region, f"existing-cluster::{region}::{name}", {})
        ca = shape.pop("certificateAuthority")
        return {
            **shape,
            "id": name,
            "name": name,
            "certificateAuthorities": [ca],
            "vpcConfig": {
                **shape["vpcConfig"],
                "endpointPrivateAccess": True,
                "endpointPublicAccess": True,
                "publicAccessCidrs": ["0.0.0.0/0"],
                "securityGroupIds": [],
                "subnetIds": [],
            },
            "version": "1.33",
            "roleArn": f"arn:{PREVIEW_PARTITION}:iam::{self.account_id}:role/{name}-cluster-role",
            "tags": {},
        }

    # -- data sources ---------------------------------------------------------------------
    def call(self, token: str, args: dict[str, Any], provider: Optional[str]) -> Optional[dict[str, Any]]:
        answer = self._invokes.get(token)
        return None if answer is None else answer(args, self.region_of(provider))

    def _availability_zones(self, _: dict[str, Any], region: str) -> dict[str, Any]:
        letters = "abcd"
        return {
            "id": region,
            "names": [f"{region}{x}" for x in letters],
            "zoneIds": [_zone_id(region, x) for x in letters],
            "groupNames": [region] * len(letters),
            "state": "available",
        }

    def _region(self, args: dict[str, Any], provider_region: str) -> dict[str, Any]:
        region = args.get("region") or args.get("name") or provider_region
        return {
            "id": region,
            "name": region,
            "region": region,
            "endpoint": f"ec2.{region}.amazonaws.com",
            "description": f"preview region {region}",
        }

    def _caller_identity(self, _: dict[str, Any], __: str) -> dict[str, Any]:
        return {
            "id": self.account_id,
            "accountId": self.account_id,
            "arn": f"arn:aws:iam::{self.account_id}:user/anyscale-infra-preview",
            "userId": "AIDAPREVIEWONLY000000",
        }

    def _partition(self, _: dict[str, Any], __: str) -> dict[str, Any]:
        return {
            "id": PREVIEW_PARTITION,
            "partition": PREVIEW_PARTITION,
            "dnsSuffix": "amazonaws.com",
            "reverseDnsPrefix": "com.amazonaws",
        }


def _association_id(urn: str) -> str:
    """A Pod Identity association id (``a-`` and 17 lowercase letters and digits)."""
    return "a-" + _digest(urn, "pod-identity")[:17]


def _zone_id(region: str, letter: str) -> str:
    parts = region.split("-")
    short = parts[0] + "".join(p[0] for p in parts[1:-1]) + (parts[-1] if len(parts) > 1 else "")
    return f"{short}-az{'abcdef'.find(letter) + 1 if letter in 'abcdef' else 1}"


def pinned_account(config: Mapping[str, str]) -> Optional[str]:
    """The first of the AWS provider's ``allowedAccountIds``, if the program pins one."""
    try:
        allowed = json.loads(config.get("aws:allowedAccountIds", "[]"))
    except ValueError:
        return None
    first = allowed[0] if isinstance(allowed, list) and allowed else None
    return first if isinstance(first, str) and first.isdigit() and len(first) == 12 else None

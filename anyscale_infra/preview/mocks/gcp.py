"""Google-Cloud-shaped answers for the offline preview (``gcp:`` resources and data sources).

Ids and names as the Google provider gives them — ``projects/<project>/global/networks/
<name>``, self links, service-account emails, workload identity pool names with the
project *number* — in the configured project (``gcp:project``, else ``anyscale-preview``)
and region (``gcp:region``, else ``us-central1``), or those of an explicit
``gcp.Provider``. Auto-names (``<logical name>-<7 hex>``) where the provider auto-names.
Every value derives from the resource's URN; made-up values are recorded as generated.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from typing import Any, Optional

from anyscale_infra.preview.mocks._base import Generated, ProviderShapes, digest

PREVIEW_PROJECT = "anyscale-preview"
DEFAULT_REGION = "us-central1"
COMPUTE = "https://www.googleapis.com/compute/v1"

#: Types whose ``name`` Pulumi auto-names when not given (lowercase: GCP names are).
_AUTONAMED = frozenset(
    {
        "gcp:compute/network:Network",
        "gcp:compute/subnetwork:Subnetwork",
        "gcp:compute/router:Router",
        "gcp:compute/routerNat:RouterNat",
        "gcp:compute/networkFirewallPolicy:NetworkFirewallPolicy",
        "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
        "gcp:compute/networkFirewallPolicyAssociation:NetworkFirewallPolicyAssociation",
        "gcp:compute/regionNetworkFirewallPolicy:RegionNetworkFirewallPolicy",
        "gcp:compute/globalAddress:GlobalAddress",
        "gcp:compute/firewall:Firewall",
        "gcp:storage/bucket:Bucket",
        "gcp:filestore/instance:Instance",
        "gcp:redis/instance:Instance",
        "gcp:kms/keyRing:KeyRing",
        "gcp:kms/cryptoKey:CryptoKey",
        "gcp:compute/address:Address",
        "gcp:container/cluster:Cluster",
        "gcp:container/nodePool:NodePool",
    }
)
CONTAINER = "https://container.googleapis.com/v1"
#: The GKE version the preview reports (a REGULAR-channel version; a real cluster reports its own).
PREVIEW_GKE_VERSION = "1.33.5-gke.1308000"


def project_number(project: str) -> str:
    """A stable, 12-digit, never-zero-leading stand-in for the project number."""
    return str(100_000_000_000 + int(digest(project, "number")[:12], 16) % 900_000_000_000)


class GcpShapes(ProviderShapes):
    """Deterministic, Google-Cloud-shaped answers."""

    package = "gcp"

    def __init__(self, config: Mapping[str, str], made: Generated) -> None:
        super().__init__(config, made)
        self.default_project = config.get("gcp:project") or made(PREVIEW_PROJECT)
        self.default_region = config.get("gcp:region") or DEFAULT_REGION
        self.default_zone = config.get("gcp:zone") or f"{self.default_region}-a"
        # Explicit `gcp.Provider`s by URN: their project and region.
        self.provider_settings: dict[str, dict[str, str]] = {}
        # Subnet id / self link -> range, so an INTERNAL address gets an IP inside its subnet.
        self.subnet_ranges: dict[str, str] = {}
        self._invokes: dict[str, Callable[[dict[str, Any], Optional[str]], dict[str, Any]]] = {
            "gcp:organizations/getProject:getProject": self._project,
            "gcp:organizations/getClientConfig:getClientConfig": self._client_config,
            "gcp:compute/getZones:getZones": self._zones,
            "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": self._gcs_service_account,
            "gcp:compute/getNetwork:getNetwork": self._network,
            "gcp:compute/getSubnetwork:getSubnetwork": self._subnetwork,
            "gcp:container/getCluster:getCluster": self._get_cluster,
        }

    # -- settings ---------------------------------------------------------------------------
    def register_provider(self, urn: str, state: dict[str, Any]) -> None:
        self.provider_settings[urn] = {k: v for k, v in state.items() if k in ("project", "region", "zone") and isinstance(v, str)}

    def _setting(self, provider: Optional[str], key: str, default: str) -> str:
        urn = (provider or "").rpartition("::")[0]
        return self.provider_settings.get(urn, {}).get(key, default)

    def project_of(self, state: Mapping[str, Any], provider: Optional[str]) -> str:
        given = state.get("project")
        return given if isinstance(given, str) and given else self._setting(provider, "project", self.default_project)

    def region_of(self, state: Mapping[str, Any], provider: Optional[str]) -> str:
        given = state.get("region")
        return given if isinstance(given, str) and given else self._setting(provider, "region", self.default_region)

    def number_of(self, project: str) -> str:
        return self.made(project_number(project))

    # -- resources ----------------------------------------------------------------------------
    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        if typ in _AUTONAMED and not state.get("name"):
            state["name"] = self.made(f"{name}-{digest(urn)[:7]}".lower())
        shape = getattr(self, "_" + typ.rsplit(":", 1)[-1].lower() + "_" + typ.split("/")[0].split(":")[1], None)
        if shape is None:
            return None
        project = self.project_of(state, provider)
        return shape(urn, state, project, provider)

    def _selflink(self, path: str) -> str:
        return self.made(f"{COMPUTE}/{path}")

    def _network_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        path = f"projects/{project}/global/networks/{state['name']}"
        state.setdefault("project", project)
        state.update(selfLink=self._selflink(path), numericId=str(int(digest(urn)[:15], 16)))
        return self.made(path), state

    def _subnetwork_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        region = self.region_of(state, provider)
        path = f"projects/{project}/regions/{region}/subnetworks/{state['name']}"
        state.setdefault("project", project)
        state.setdefault("region", region)
        gateway = None
        try:
            gateway = str(next(ipaddress.ip_network(state.get("ipCidrRange", "")).hosts()))
        except (ValueError, StopIteration):
            pass
        state.update(selfLink=self._selflink(path), gatewayAddress=gateway, fingerprint=digest(urn)[:12])
        if isinstance(state.get("ipCidrRange"), str):
            self.subnet_ranges[path] = self.subnet_ranges[state["selfLink"]] = state["ipCidrRange"]
        return self.made(path), state

    def _router_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        region = self.region_of(state, provider)
        path = f"projects/{project}/regions/{region}/routers/{state['name']}"
        state.setdefault("project", project)
        state.setdefault("region", region)
        state["selfLink"] = self._selflink(path)
        return self.made(path), state

    def _routernat_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        region = self.region_of(state, provider)
        state.setdefault("project", project)
        state.setdefault("region", region)
        return self.made(f"{project}/{region}/{state.get('router')}/{state['name']}"), state

    def _networkfirewallpolicy_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        path = f"projects/{project}/global/firewallPolicies/{state['name']}"
        state.setdefault("project", project)
        state.update(
            selfLink=self._selflink(path),
            selfLinkWithId=self._selflink(f"projects/{project}/global/firewallPolicies/{int(digest(urn)[:15], 16)}"),
            networkFirewallPolicyId=str(int(digest(urn)[:15], 16)),
            ruleTupleCount=0,
        )
        return self.made(path), state

    _networkfirewallpolicywithrules_compute = _networkfirewallpolicy_compute

    def _networkfirewallpolicyassociation_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        policy = str(state.get("firewallPolicy", "")).rsplit("/", 1)[-1]
        state.setdefault("project", project)
        state["shortName"] = state["name"]
        return self.made(f"projects/{project}/global/firewallPolicies/{policy}/associations/{state['name']}"), state

    def _networkfirewallpolicyrule_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        policy = str(state.get("firewallPolicy", "")).rsplit("/", 1)[-1]
        state.setdefault("project", project)
        state.update(kind="compute#firewallPolicyRule", ruleTupleCount=1)
        return self.made(f"projects/{project}/global/firewallPolicies/{policy}/rules/{state.get('priority')}"), state

    def _globaladdress_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        path = f"projects/{project}/global/addresses/{state['name']}"
        state.setdefault("project", project)
        state["selfLink"] = self._selflink(path)
        state.setdefault("address", "10.250.0.0")
        return self.made(path), state

    def _connection_servicenetworking(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        network = str(state.get("network", "")).rsplit("/", 1)[-1]
        state["peering"] = "servicenetworking-googleapis-com"
        return self.made(f"{network}:{state.get('service', 'servicenetworking.googleapis.com')}"), state

    def _bucket_storage(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        bucket = state["name"]
        state.setdefault("project", project)
        state.update(
            url=f"gs://{bucket}",
            selfLink=f"https://www.googleapis.com/storage/v1/b/{bucket}",
            projectNumber=self.number_of(project),
        )
        return bucket, state

    def _bucketiammember_storage(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        state["etag"] = self.made("BwY" + digest(urn)[:9])
        return f"b/{state.get('bucket')}/{state.get('role')}/{state.get('member')}", state

    def _instance_filestore(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        location = str(state.get("location") or state.get("zone") or self.default_zone)
        state.setdefault("project", project)
        h = digest(urn, "ip")
        networks = []
        for network in state.get("networks") or []:
            if isinstance(network, dict):
                networks.append({**network, "ipAddresses": [self.made(f"10.{int(h[:2], 16)}.{int(h[2:4], 16)}.2")]})
        if networks:
            state["networks"] = networks
        state["createTime"] = "2026-01-01T00:00:00Z"
        return self.made(f"projects/{project}/locations/{location}/instances/{state['name']}"), state

    def _instance_redis(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        region = self.region_of(state, provider)
        h = digest(urn, "ip")
        state.setdefault("project", project)
        state.setdefault("region", region)
        state.update(
            host=self.made(f"10.{int(h[:2], 16)}.{int(h[2:4], 16)}.4"),
            port=6379,
            currentLocationId=state.get("locationId") or f"{region}-a",
        )
        if state.get("readReplicasMode") == "READ_REPLICAS_ENABLED":
            state.update(readEndpoint=self.made(f"10.{int(h[:2], 16)}.{int(h[2:4], 16)}.5"), readEndpointPort=6379)
        return self.made(f"projects/{project}/locations/{region}/instances/{state['name']}"), state

    def _account_serviceaccount(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        email = f"{state.get('accountId')}@{project}.iam.gserviceaccount.com"
        path = f"projects/{project}/serviceAccounts/{email}"
        state.setdefault("project", project)
        state.update(
            email=email,
            name=path,
            member=f"serviceAccount:{email}",
            uniqueId=self.made(str(100_000_000_000_000_000_000 + int(digest(urn)[:16], 16) % 10**20)),
        )
        return path, state

    def _iammember_serviceaccount(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        state["etag"] = self.made("BwY" + digest(urn)[:9])
        return f"{state.get('serviceAccountId')}/{state.get('role')}/{state.get('member')}", state

    def _workloadidentitypool_iam(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        pool = state.get("workloadIdentityPoolId")
        state.setdefault("project", project)
        state.update(name=f"projects/{self.number_of(project)}/locations/global/workloadIdentityPools/{pool}", state="ACTIVE")
        return f"projects/{project}/locations/global/workloadIdentityPools/{pool}", state

    def _workloadidentitypoolprovider_iam(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        pool, provider_id = state.get("workloadIdentityPoolId"), state.get("workloadIdentityPoolProviderId")
        suffix = f"locations/global/workloadIdentityPools/{pool}/providers/{provider_id}"
        state.setdefault("project", project)
        state.update(name=f"projects/{self.number_of(project)}/{suffix}", state="ACTIVE")
        return f"projects/{project}/{suffix}", state

    def _service_projects(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        state.setdefault("project", project)
        return f"{project}/{state.get('service')}", state

    def _iamcustomrole_projects(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        path = f"projects/{project}/roles/{state.get('roleId')}"
        state.setdefault("project", project)
        state.update(name=path, deleted=False)
        return path, state

    def _iammember_projects(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        state.setdefault("project", project)
        state["etag"] = self.made("BwY" + digest(urn)[:9])
        return f"{project}/{state.get('role')}/{state.get('member')}", state

    def _keyring_kms(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        path = f"projects/{project}/locations/{state.get('location', self.default_region)}/keyRings/{state['name']}"
        state.setdefault("project", project)
        return self.made(path), state

    def _cryptokey_kms(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        return self.made(f"{state.get('keyRing')}/cryptoKeys/{state['name']}"), state

    def _cryptokeyiammember_kms(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        state["etag"] = self.made("BwY" + digest(urn)[:9])
        return f"{state.get('cryptoKeyId')}/{state.get('role')}/{state.get('member')}", state

    def _address_compute(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        """A regional static IP: an EXTERNAL one from Google's public pool (the preview makes one
        up), an INTERNAL one inside its subnet."""
        region = self.region_of(state, provider)
        path = f"projects/{project}/regions/{region}/addresses/{state['name']}"
        h = digest(urn, "address")
        state.setdefault("project", project)
        state.setdefault("region", region)
        state.setdefault("addressType", "EXTERNAL")
        if not state.get("address"):
            if state["addressType"] == "INTERNAL":
                state["address"] = self.made(self._internal_ip(str(state.get("subnetwork") or ""), h))
            else:
                state["address"] = self.made(f"34.{int(h[:2], 16)}.{int(h[2:4], 16)}.{1 + int(h[4:6], 16) % 254}")
        if state["addressType"] == "EXTERNAL":
            state.setdefault("networkTier", "PREMIUM")
        state.update(selfLink=self._selflink(path), users=[], labelFingerprint=h[:12], creationTimestamp="2026-01-01T00:00:00.000-08:00")
        return self.made(path), state

    def _internal_ip(self, subnetwork: str, h: str) -> str:
        cidr = self.subnet_ranges.get(subnetwork) or self.subnet_ranges.get(subnetwork.removeprefix(f"{COMPUTE}/"))
        try:
            network = ipaddress.ip_network(cidr or "")
        except ValueError:
            return f"10.{int(h[:2], 16)}.{int(h[2:4], 16)}.{10 + int(h[4:6], 16) % 240}"
        # Past the addresses Google keeps (network, gateway, the two last), as Google assigns.
        return str(network[10 + int(h[:6], 16) % max(1, network.num_addresses - 14)])

    def _cluster_container(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        """A GKE cluster: its endpoint, CA certificate, self link, node locations, version."""
        location = str(state.get("location") or self._setting(provider, "region", self.default_region))
        path = f"projects/{project}/locations/{location}/clusters/{state['name']}"
        h = digest(urn, "endpoint")
        state.setdefault("project", project)
        state["location"] = location
        if not state.get("nodeLocations"):
            state["nodeLocations"] = [location] if _is_zone(location) else [f"{location}-{x}" for x in "abc"]
        state.update(
            endpoint=self.made(f"34.{int(h[:2], 16)}.{int(h[2:4], 16)}.{1 + int(h[4:6], 16) % 254}"),
            masterAuth={
                "clusterCaCertificate": self.made(preview_ca_certificate(urn)),
                "clientCertificate": "",
                "clientKey": "",
                "clientCertificateConfig": {"issueClientCertificate": False},
            },
            selfLink=f"{CONTAINER}/{path}",
            masterVersion=PREVIEW_GKE_VERSION,
            nodeVersion=PREVIEW_GKE_VERSION,
            servicesIpv4Cidr=(state.get("ipAllocationPolicy") or {}).get("servicesIpv4CidrBlock") or "34.118.224.0/20",
            labelFingerprint=h[8:16],
        )
        private = state.get("privateClusterConfig")
        if isinstance(private, dict) and private.get("enablePrivateNodes"):
            state["privateClusterConfig"] = {**private, "privateEndpoint": f"172.16.0.{2 + int(h[6:8], 16) % 12}", "publicEndpoint": state["endpoint"]}
        return self.made(path), state

    def _nodepool_container(self, urn: str, state: dict, project: str, provider: Optional[str]) -> tuple[str, dict]:
        location = str(state.get("location") or self._setting(provider, "region", self.default_region))
        cluster = str(state.get("cluster", "")).rsplit("/", 1)[-1]
        path = f"projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{state['name']}"
        zones = state.get("nodeLocations") or ([location] if _is_zone(location) else [f"{location}-{x}" for x in "abc"])
        groups = [
            f"https://www.googleapis.com/compute/v1/projects/{project}/zones/{zone}/instanceGroupManagers/"
            f"gke-{cluster[:15]}-{state['name'][:15]}-{digest(urn, zone)[:8]}-grp"
            for zone in zones
        ]
        state.setdefault("project", project)
        state["location"] = location
        state.update(version=PREVIEW_GKE_VERSION, instanceGroupUrls=groups, managedInstanceGroupUrls=groups)
        return self.made(path), state

    # -- data sources ----------------------------------------------------------------------------
    def call(self, token: str, args: dict[str, Any], provider: Optional[str]) -> Optional[dict[str, Any]]:
        answer = self._invokes.get(token)
        return None if answer is None else answer(args, provider)

    def _project(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        project = args.get("projectId") or self._setting(provider, "project", self.default_project)
        return {
            "id": f"projects/{project}",
            "projectId": project,
            "number": self.number_of(project),
            "name": project,
            "labels": {},
        }

    def _client_config(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        return {
            "id": "preview",
            "project": self._setting(provider, "project", self.default_project),
            "region": self._setting(provider, "region", self.default_region),
            "zone": self._setting(provider, "zone", self.default_zone),
            "accessToken": "preview-access-token",
        }

    def _zones(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        region = args.get("region") or self._setting(provider, "region", self.default_region)
        return {
            "id": region,
            "region": region,
            "project": args.get("project") or self._setting(provider, "project", self.default_project),
            "names": [f"{region}-{x}" for x in "abc"],
            "status": args.get("status"),
        }

    def _gcs_service_account(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        project = args.get("project") or self._setting(provider, "project", self.default_project)
        email = f"service-{self.number_of(project)}@gs-project-accounts.iam.gserviceaccount.com"
        return {"id": email, "emailAddress": email, "member": f"serviceAccount:{email}", "project": project}

    def _network(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        project = args.get("project") or self._setting(provider, "project", self.default_project)
        path = f"projects/{project}/global/networks/{args.get('name')}"
        return {"id": path, "name": args.get("name"), "project": project, "selfLink": f"{COMPUTE}/{path}"}

    def _subnetwork(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        project = args.get("project") or self._setting(provider, "project", self.default_project)
        region = args.get("region") or self._setting(provider, "region", self.default_region)
        path = f"projects/{project}/regions/{region}/subnetworks/{args.get('name')}"
        # An existing subnet's range is Google's to say: offline there is none to give, and
        # making one up would show (and check) a range that is not the subnet's.
        self.notes.append(
            f"existing subnet {args.get('name')}: its range is not looked up offline, so the preview uses "
            "existingSubnetCidr (existing_subnet_cidr), or shows null without it; `pulumi up` reads it from Google "
            "and checks the two agree"
        )
        return {"id": path, "name": args.get("name"), "project": project, "region": region, "selfLink": f"{COMPUTE}/{path}"}


    def _get_cluster(self, args: dict[str, Any], provider: Optional[str]) -> dict[str, Any]:
        """An existing GKE cluster, as the preview imagines it: Workload Identity on (a real
        lookup says whether it is), nodes in the region's a, b, c zones (or its zone)."""
        project = args.get("project") or self._setting(provider, "project", self.default_project)
        location = args.get("location") or self._setting(provider, "region", self.default_region)
        name = args.get("name")
        path = f"projects/{project}/locations/{location}/clusters/{name}"
        h = digest(path, "endpoint")
        self.notes.append(
            f"existing GKE cluster {name}: offline, its endpoint, zones and Workload Identity pool are the "
            "preview's assumptions (Workload Identity on) and its VPC is not looked up; `pulumi up` reads them "
            "from Google and checks them"
        )
        return {
            "id": path,
            "name": name,
            "location": location,
            "project": project,
            "endpoint": self.made(f"34.{int(h[:2], 16)}.{int(h[2:4], 16)}.{1 + int(h[4:6], 16) % 254}"),
            "masterAuths": [{"clusterCaCertificate": self.made(preview_ca_certificate(path))}],
            "nodeLocations": [location] if _is_zone(str(location)) else [f"{location}-{x}" for x in "abc"],
            "workloadIdentityConfigs": [{"workloadPool": f"{project}.svc.id.goog"}],
            "selfLink": f"{CONTAINER}/{path}",
            # Its network is Google's to say: offline there is none to give (as an existing
            # subnet's range), so the checks that compare it with the program's VPC wait for `pulumi up`.
            "masterVersion": PREVIEW_GKE_VERSION,
        }


def _is_zone(location: str) -> bool:
    """``us-central1-a`` is a zone; ``us-central1`` a region."""
    head, _, tail = location.rpartition("-")
    return bool(head) and len(tail) == 1 and tail.isalpha() and head[-1:].isdigit()


def preview_ca_certificate(seed: str) -> str:
    """A base64 PEM-shaped stand-in for a cluster CA certificate (what ``masterAuth.
    clusterCaCertificate`` holds): stable per cluster, obviously not a real certificate."""
    import base64

    body = base64.b64encode(("anyscale-infra preview CA " + digest(seed, "ca")).encode()).decode()
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem.encode()).decode()

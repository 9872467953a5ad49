"""AnyscaleGcpNetwork: what the VPC, subnets, router and NAT receive, each mode, every rule."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pytest

from anyscale_infra import InvalidArgsError
from anyscale_infra.errors import FieldProblem
from anyscale_infra.gcp import (
    AnyscaleGcpNetwork,
    AnyscaleGcpNetworkArgs,
    NetworkingMode,
)
from anyscale_infra.gcp.network import existing_subnet_findings
from anyscale_infra.models import NetworkingMode as CoreNetworkingMode
from anyscale_infra.preview.engine import ProgramError
from anyscale_infra.preview.mocks.gcp import GcpShapes

NETWORK = "gcp:compute/network:Network"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
ROUTER = "gcp:compute/router:Router"
NAT = "gcp:compute/routerNat:RouterNat"
COMPUTE = "https://www.googleapis.com/compute/v1"


def _outputs(result):
    (component,) = result.by_type("anyscale-infra:index:AnyscaleGcpNetwork")
    return result.component_outputs[component.urn]


def _net(gcp_preview, **kwargs):
    holder = {}

    def program():
        holder["net"] = AnyscaleGcpNetwork("c", AnyscaleGcpNetworkArgs(**kwargs))

    return gcp_preview(program), holder["net"]


# --- new VPC -------------------------------------------------------------------------------
def test_default_is_a_direct_vpc_with_one_private_google_access_subnet(gcp_preview):
    result, net = _net(gcp_preview)
    vpc = result.one(NETWORK)
    assert vpc.inputs == {"autoCreateSubnetworks": False, "description": "Anyscale cloud VPC"}
    (subnet,) = result.by_type(SUBNET)
    assert subnet.name == "c-subnet"
    assert subnet.inputs == {
        "network": vpc.id,
        "ipCidrRange": "10.0.0.0/20",
        "privateIpGoogleAccess": True,
        "description": "Anyscale cloud: cluster subnet",
    }
    assert vpc.id == f"projects/acme-ml-prod/global/networks/{vpc.outputs['name']}"
    assert result.by_type(ROUTER) == [] and result.by_type(NAT) == []
    outputs = _outputs(result)
    assert outputs["vpc_name"] == vpc.outputs["name"]
    assert outputs["vpc_id"] == vpc.id
    assert outputs["vpc_self_link"] == f"{COMPUTE}/projects/acme-ml-prod/global/networks/{vpc.outputs['name']}"
    assert outputs["subnet_name"] == subnet.outputs["name"]
    assert outputs["subnet_self_link"] == f"{COMPUTE}/projects/acme-ml-prod/regions/us-central1/subnetworks/{subnet.outputs['name']}"
    assert outputs["subnet_cidr"] == "10.0.0.0/20"
    assert (outputs["region"], outputs["project"], outputs["network_project"]) == ("us-central1", "acme-ml-prod", "acme-ml-prod")
    assert outputs["private_network"] is False
    assert outputs.get("host_project_id") is None and outputs.get("proxy_only_subnet_name") is None
    assert outputs.get("proxy_only_subnet_cidr") is None and outputs.get("router_name") is None
    assert net.private_network is False and net.has_proxy_only_subnet is False
    assert result.warnings == []
    component = result.one("anyscale-infra:index:AnyscaleGcpNetwork")
    assert all(r.parent == component.urn for r in result.resources if r.custom)


def test_private_networking_adds_router_nat_and_a_proxy_only_subnet(gcp_preview):
    result, net = _net(gcp_preview, networking=NetworkingMode.PRIVATE)
    vpc = result.one(NETWORK)
    subnets = {r.name: r for r in result.by_type(SUBNET)}
    assert set(subnets) == {"c-subnet", "c-proxy-only"}
    assert subnets["c-proxy-only"].inputs == {
        "network": vpc.id,
        "ipCidrRange": "10.1.0.0/23",
        "purpose": "REGIONAL_MANAGED_PROXY",
        "role": "ACTIVE",
        "description": "Anyscale cloud: proxy-only subnet for internal load balancers (Services)",
    }
    router = result.one(ROUTER)
    assert router.inputs == {"network": vpc.id, "region": "us-central1", "description": "Anyscale cloud: Cloud NAT router"}
    nat = result.one(NAT)
    assert nat.inputs == {
        "router": router.outputs["name"],
        "region": "us-central1",
        "natIpAllocateOption": "AUTO_ONLY",
        "sourceSubnetworkIpRangesToNat": "LIST_OF_SUBNETWORKS",
        "subnetworks": [{"name": subnets["c-subnet"].outputs["selfLink"], "sourceIpRangesToNats": ["ALL_IP_RANGES"]}],
        "enableDynamicPortAllocation": True,
        "enableEndpointIndependentMapping": False,
        "minPortsPerVm": 64,
        "maxPortsPerVm": 65536,
        "logConfig": {"enable": True, "filter": "ERRORS_ONLY"},
    }
    assert nat.deleted_with == router.urn
    outputs = _outputs(result)
    assert outputs["private_network"] is True
    assert outputs["proxy_only_subnet_name"] == subnets["c-proxy-only"].outputs["name"]
    assert outputs["proxy_only_subnet_cidr"] == "10.1.0.0/23"
    assert outputs["router_name"] == router.outputs["name"] and outputs["nat_name"] == nat.outputs["name"]
    assert net.private_network is True and net.has_proxy_only_subnet is True
    assert result.warnings == []


def test_private_without_proxy_only_subnet_warns(gcp_preview):
    result, net = _net(gcp_preview, networking="private", proxy_only_subnet=False)
    assert [r.name for r in result.by_type(SUBNET)] == ["c-subnet"]
    assert net.has_proxy_only_subnet is False
    assert any("private Anyscale Services need one" in w for w in result.warnings)


def test_private_without_nat_warns_about_egress(gcp_preview):
    result, _ = _net(gcp_preview, networking="private", enable_cloud_nat=False)
    assert result.by_type(ROUTER) == [] and result.by_type(NAT) == []
    assert any("no route to the internet" in w for w in result.warnings)


def test_direct_networking_may_ask_for_a_proxy_only_subnet(gcp_preview):
    result, net = _net(
        gcp_preview, proxy_only_subnet=True, proxy_only_subnet_cidr="192.168.0.0/23", proxy_only_subnet_name="anyscale-proxy"
    )
    proxy = result.named("c-proxy-only")
    assert (proxy.inputs["ipCidrRange"], proxy.inputs["name"], proxy.inputs["purpose"]) == (
        "192.168.0.0/23",
        "anyscale-proxy",
        "REGIONAL_MANAGED_PROXY",
    )
    assert result.by_type(ROUTER) == []
    assert net.has_proxy_only_subnet is True and _outputs(result)["proxy_only_subnet_name"] == "anyscale-proxy"


def test_names_project_and_region_are_passed_on(gcp_preview):
    result, _ = _net(
        gcp_preview,
        networking="private",
        vpc_name="anyscale-vpc",
        subnet_name="anyscale-subnet",
        project_id="acme-ml-other",
        region="europe-west4",
    )
    vpc, subnet = result.one(NETWORK), result.named("c-subnet")
    assert (vpc.inputs["name"], vpc.inputs["project"]) == ("anyscale-vpc", "acme-ml-other")
    assert (subnet.inputs["name"], subnet.inputs["project"], subnet.inputs["region"]) == (
        "anyscale-subnet",
        "acme-ml-other",
        "europe-west4",
    )
    assert {r.inputs["project"] for r in result.resources if r.custom} == {"acme-ml-other"}
    assert result.one(ROUTER).inputs["region"] == "europe-west4" and result.one(NAT).inputs["region"] == "europe-west4"
    outputs = _outputs(result)
    assert (outputs["vpc_name"], outputs["subnet_name"], outputs["region"], outputs["project"]) == (
        "anyscale-vpc",
        "anyscale-subnet",
        "europe-west4",
        "acme-ml-other",
    )
    assert outputs["vpc_id"] == "projects/acme-ml-other/global/networks/anyscale-vpc"


def test_flow_logs_are_opt_in(gcp_preview):
    off, _ = _net(gcp_preview)
    assert "logConfig" not in off.named("c-subnet").inputs
    on, _ = _net(gcp_preview, enable_flow_logs=True)
    assert on.named("c-subnet").inputs["logConfig"] == {
        "aggregationInterval": "INTERVAL_5_SEC",
        "flowSampling": 0.5,
        "metadata": "INCLUDE_ALL_METADATA",
    }


def test_explicit_provider_is_used(gcp_preview):
    def program():
        provider = gcp.Provider("other", project="acme-ml-other", region="europe-west4")
        AnyscaleGcpNetwork("c", AnyscaleGcpNetworkArgs(networking="private"), opts=pulumi.ResourceOptions(providers=[provider]))

    result = gcp_preview(program)
    assert all("::other::" in (r.provider or "") for r in result.resources if r.custom and r.type.startswith("gcp:compute"))
    outputs = _outputs(result)
    assert (outputs["project"], outputs["region"], outputs["network_project"]) == ("acme-ml-other", "europe-west4", "acme-ml-other")
    assert outputs["vpc_self_link"].startswith(f"{COMPUTE}/projects/acme-ml-other/global/networks/")


def test_depends_on_given_to_the_component_reaches_every_child(gcp_preview):
    def program():
        api = gcp.projects.Service("compute-api", service="compute.googleapis.com")
        AnyscaleGcpNetwork("c", AnyscaleGcpNetworkArgs(networking="private"), opts=pulumi.ResourceOptions(depends_on=[api]))

    result = gcp_preview(program)
    api = result.named("compute-api")
    children = [r for r in result.resources if r.custom and r.type.startswith("gcp:compute")]
    assert len(children) == 5 and all(api.urn in r.dependencies for r in children)


def test_logical_names_do_not_move_between_modes(gcp_preview):
    direct, _ = _net(gcp_preview)
    private, _ = _net(gcp_preview, networking="private")
    assert {r.urn for r in direct.resources} <= {r.urn for r in private.resources}


def test_networking_mode_is_the_core_enum():
    assert NetworkingMode is CoreNetworkingMode


# --- existing and shared VPC -----------------------------------------------------------------
def test_existing_vpc_creates_nothing_and_echoes_the_lookups(gcp_preview):
    result, net = _net(gcp_preview, existing_vpc_name="corp-vpc", existing_subnet_name="ml", existing_subnet_cidr="10.8.0.0/20")
    assert [r for r in result.resources if r.custom] == []
    outputs = _outputs(result)
    assert outputs["vpc_name"] == "corp-vpc"
    assert outputs["vpc_id"] == "projects/acme-ml-prod/global/networks/corp-vpc"
    assert outputs["vpc_self_link"] == f"{COMPUTE}/projects/acme-ml-prod/global/networks/corp-vpc"
    assert outputs["subnet_name"] == "ml"
    assert outputs["subnet_self_link"] == f"{COMPUTE}/projects/acme-ml-prod/regions/us-central1/subnetworks/ml"
    assert outputs["subnet_cidr"] == "10.8.0.0/20"
    assert (outputs["region"], outputs["project"], outputs["network_project"]) == ("us-central1", "acme-ml-prod", "acme-ml-prod")
    assert outputs.get("host_project_id") is None
    assert net.has_proxy_only_subnet is False
    assert result.warnings == []


def test_shared_vpc_is_looked_up_in_the_host_project(gcp_preview):
    result, net = _net(
        gcp_preview,
        networking="private",
        project_id="acme-ml-prod",
        existing_vpc_name="shared-vpc",
        existing_subnet_name="anyscale",
        host_project_id="acme-net-host",
        region="us-east4",
        existing_proxy_only_subnet_cidr="10.200.0.0/23",
    )
    assert [r for r in result.resources if r.custom] == []
    outputs = _outputs(result)
    assert outputs["host_project_id"] == "acme-net-host"
    assert outputs["network_project"] == "acme-net-host"
    assert outputs["project"] == "acme-ml-prod"
    assert outputs["vpc_id"] == "projects/acme-net-host/global/networks/shared-vpc"
    assert outputs["subnet_self_link"] == f"{COMPUTE}/projects/acme-net-host/regions/us-east4/subnetworks/anyscale"
    assert outputs["region"] == "us-east4"
    assert outputs["proxy_only_subnet_cidr"] == "10.200.0.0/23"
    assert net.private_network is True and net.has_proxy_only_subnet is True
    assert result.warnings == []


def test_shared_vpc_proxy_only_subnet_is_created_in_the_host_project(gcp_preview):
    result, _ = _net(
        gcp_preview,
        networking="private",
        existing_vpc_name="shared-vpc",
        existing_subnet_name="anyscale",
        host_project_id="acme-net-host",
        proxy_only_subnet=True,
    )
    (proxy,) = result.by_type(SUBNET)
    assert proxy.inputs == {
        "network": "projects/acme-net-host/global/networks/shared-vpc",
        "ipCidrRange": "10.1.0.0/23",
        "project": "acme-net-host",
        "purpose": "REGIONAL_MANAGED_PROXY",
        "role": "ACTIVE",
        "description": "Anyscale cloud: proxy-only subnet for internal load balancers (Services)",
    }
    assert result.by_type(ROUTER) == []


def test_existing_private_vpc_without_a_known_proxy_only_subnet_warns(gcp_preview):
    result, _ = _net(gcp_preview, networking="private", existing_vpc_name="corp-vpc", existing_subnet_name="ml")
    assert [r for r in result.resources if r.custom] == []
    assert any("give existing_proxy_only_subnet_cidr" in w for w in result.warnings)


@pytest.fixture
def real_subnet(monkeypatch):
    """The subnet lookup answers with a range and network, as Google Cloud does."""
    answer = {}
    original = GcpShapes._subnetwork

    def lookup(self, args, provider):
        found = original(self, args, provider)
        found.update(answer)
        return found

    monkeypatch.setattr(GcpShapes, "_subnetwork", lookup)
    return answer


def test_existing_subnet_range_comes_from_the_lookup(gcp_preview, real_subnet):
    real_subnet.update(ipCidrRange="10.9.0.0/16", network=f"{COMPUTE}/projects/acme-ml-prod/global/networks/corp-vpc")
    result, _ = _net(gcp_preview, existing_vpc_name="corp-vpc", existing_subnet_name="ml")
    assert _outputs(result)["subnet_cidr"] == "10.9.0.0/16"
    assert result.warnings == []


@pytest.mark.parametrize(
    "found,given,field,needle",
    [
        (dict(ipCidrRange="10.9.0.0/25"), None, "existing_subnet_name", "10.9.0.0/25 is smaller than the /24 Anyscale requires"),
        (dict(ipCidrRange="10.9.0.0/20"), "10.9.0.0/21", "existing_subnet_cidr", "is 10.9.0.0/21, but subnet ml has the range 10.9.0.0/20"),
        (
            dict(ipCidrRange="10.9.0.0/20", network=f"{COMPUTE}/projects/acme-ml-prod/global/networks/other-vpc"),
            None,
            "existing_subnet_name",
            "not in the VPC",
        ),
    ],
)
def test_existing_subnet_is_checked_at_deployment(gcp_preview, real_subnet, found, given, field, needle):
    real_subnet.update(found)
    with pytest.raises(ProgramError) as info:
        _net(gcp_preview, existing_vpc_name="corp-vpc", existing_subnet_name="ml", existing_subnet_cidr=given)
    error = info.value.cause
    assert isinstance(error, InvalidArgsError), repr(error)
    assert error.fields == [field]
    assert needle in str(error)


def test_existing_subnet_below_the_recommended_size_warns_at_deployment(gcp_preview, real_subnet):
    real_subnet.update(ipCidrRange="10.9.0.0/21")
    result, _ = _net(gcp_preview, existing_vpc_name="corp-vpc", existing_subnet_name="ml")
    assert any("subnet ml 10.9.0.0/21 is smaller than the /20 Anyscale recommends" in w for w in result.warnings)


def test_existing_subnet_findings_near_misses():
    vpc = f"{COMPUTE}/projects/p/global/networks/v"
    assert existing_subnet_findings("ml", None, "10.0.0.0/24", vpc, vpc)[0] == []
    assert existing_subnet_findings("ml", None, "10.0.0.0/20", vpc, vpc) == ([], [])
    assert existing_subnet_findings("ml", None, "10.0.0.0/21", vpc, vpc)[1] != []
    assert [p.field for p in existing_subnet_findings("ml", None, "10.0.0.0/25", vpc, vpc)[0]] == ["existing_subnet_name"]
    # Unknown values are not judged.
    assert existing_subnet_findings("ml", "10.0.0.0/20", None, None, vpc) == ([], [])
    errors, _ = existing_subnet_findings("ml", None, None, vpc + "x", vpc)
    assert errors == [FieldProblem("existing_subnet_name", f"subnet ml is in {vpc}x, not in the VPC {vpc}")]


# --- limits, each with a near miss on each side ----------------------------------------------
@pytest.mark.parametrize("field,extra", [("subnet_cidr", {}), ("existing_subnet_cidr", {"existing_vpc_name": "v", "existing_subnet_name": "s"})])
def test_subnet_size_limits(field, extra):
    AnyscaleGcpNetworkArgs(**{field: "10.0.0.0/24"}, **extra)
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**{field: "10.0.0.0/25"}, **extra)
    assert info.value.fields == [field]
    assert "10.0.0.0/25 is smaller than the /24 Anyscale requires for a subnet" in str(info.value)
    assert AnyscaleGcpNetworkArgs(**{field: "10.0.0.0/20"}, **extra).advisories() == []
    (note,) = AnyscaleGcpNetworkArgs(**{field: "10.0.0.0/21"}, **extra).advisories()
    assert note.startswith(f"{field} 10.0.0.0/21 is smaller than the /20 Anyscale recommends for a subnet")


def test_small_subnet_advisory_reaches_the_preview(gcp_preview):
    result, _ = _net(gcp_preview, subnet_cidr="10.0.0.0/22")
    assert any("subnet_cidr 10.0.0.0/22 is smaller than the /20" in w for w in result.warnings)


@pytest.mark.parametrize("field", ["proxy_only_subnet_cidr", "existing_proxy_only_subnet_cidr"])
def test_proxy_only_size_limits(field):
    extra = (
        {"proxy_only_subnet": True}
        if field == "proxy_only_subnet_cidr"
        else {"existing_vpc_name": "v", "existing_subnet_name": "s"}
    )
    AnyscaleGcpNetworkArgs(**{field: "10.1.0.0/26"}, **extra)
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**{field: "10.1.0.0/27"}, **extra)
    assert info.value.fields == [field]
    assert "smaller than the /26 Google Cloud requires for a proxy-only subnet" in str(info.value)
    assert AnyscaleGcpNetworkArgs(**{field: "10.1.0.0/23"}, **extra).advisories() == []
    (note,) = AnyscaleGcpNetworkArgs(**{field: "10.1.0.0/24"}, **extra).advisories()
    assert note.startswith(f"{field} 10.1.0.0/24 is smaller than the /23 Google recommends")


def test_public_ranges_need_an_explicit_yes():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(subnet_cidr="8.8.0.0/20")
    assert info.value.fields == ["subnet_cidr"] and "allow_public_ranges=True" in str(info.value)
    assert AnyscaleGcpNetworkArgs(subnet_cidr="8.8.0.0/20", allow_public_ranges=True).subnet_cidr == "8.8.0.0/20"


@pytest.mark.parametrize(
    "kwargs,field",
    [
        (dict(subnet_cidr="10.0.0.0/20", proxy_only_subnet=True, proxy_only_subnet_cidr="10.0.14.0/23"), "proxy_only_subnet_cidr"),
        # The default proxy-only range collides with a subnet moved onto it: the user's field is named.
        (dict(networking="private", subnet_cidr="10.1.0.0/20"), "subnet_cidr"),
        (
            dict(existing_vpc_name="v", existing_subnet_name="s", existing_subnet_cidr="10.2.0.0/16", existing_proxy_only_subnet_cidr="10.2.4.0/23"),
            "existing_proxy_only_subnet_cidr",
        ),
    ],
)
def test_proxy_only_subnet_must_not_overlap_the_cloud_subnet(kwargs, field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**kwargs)
    assert info.value.fields == [field]
    assert "overlaps" in str(info.value)


def test_a_subnet_on_the_default_proxy_only_range_says_how_to_move_it():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(networking="private", subnet_cidr="10.1.0.0/16")
    (problem,) = info.value.problems
    assert problem.field == "subnet_cidr"
    assert "10.1.0.0/16 overlaps the default proxy-only subnet 10.1.0.0/23" in problem.message
    assert "set proxy_only_subnet_cidr to a free /23" in problem.message


def test_an_explicit_proxy_only_range_off_the_subnet_is_accepted():
    args = AnyscaleGcpNetworkArgs(networking="private", subnet_cidr="10.1.0.0/16", proxy_only_subnet_cidr="10.2.0.0/23")
    assert args.effective_proxy_only_subnet_cidr() == "10.2.0.0/23"


def test_adjacent_proxy_only_subnet_is_fine():
    args = AnyscaleGcpNetworkArgs(subnet_cidr="10.0.0.0/20", proxy_only_subnet=True, proxy_only_subnet_cidr="10.0.16.0/23")
    assert args.effective_proxy_only_subnet_cidr() == "10.0.16.0/23"


# --- modes: every conflict names its field ----------------------------------------------------
NEW_VPC_ONLY = {
    "vpc_name": "anyscale-vpc",
    "subnet_name": "anyscale-subnet",
    "subnet_cidr": "10.0.0.0/20",
    "enable_cloud_nat": True,
    "enable_flow_logs": False,
}


@pytest.mark.parametrize("field", sorted(NEW_VPC_ONLY))
def test_new_vpc_settings_conflict_with_an_existing_vpc(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(
            networking="private", existing_vpc_name="v", existing_subnet_name="s", **{field: NEW_VPC_ONLY[field]}
        )
    assert info.value.fields == [field]
    assert f"only one of existing_vpc_name and {field} can be specified" in str(info.value)


EXISTING_ONLY = {
    "existing_subnet_name": "s",
    "existing_subnet_cidr": "10.0.0.0/20",
    "existing_proxy_only_subnet_cidr": "10.9.0.0/23",
    "host_project_id": "acme-net-host",
}


@pytest.mark.parametrize("field", sorted(EXISTING_ONLY))
def test_existing_vpc_settings_need_an_existing_vpc(field):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**{field: EXISTING_ONLY[field]})
    assert info.value.fields == [field]
    assert "needs existing_vpc_name" in str(info.value)


@pytest.mark.parametrize(
    "kwargs,field,needle",
    [
        (dict(existing_vpc_name="v"), "existing_subnet_name", "is required with existing_vpc_name"),
        (
            dict(existing_vpc_name="v", existing_subnet_name="s", project_id="acme-ml-prod", host_project_id="acme-ml-prod"),
            "host_project_id",
            "is the cloud's own project acme-ml-prod",
        ),
        (dict(enable_cloud_nat=False), "enable_cloud_nat", "applies to private networking only"),
        (dict(proxy_only_subnet_cidr="10.1.0.0/23"), "proxy_only_subnet_cidr", "needs proxy_only_subnet=True"),
        (dict(networking="private", proxy_only_subnet=False, proxy_only_subnet_name="p"), "proxy_only_subnet_name", "needs proxy_only_subnet=True"),
        (
            dict(existing_vpc_name="v", existing_subnet_name="s", proxy_only_subnet=True, existing_proxy_only_subnet_cidr="10.9.0.0/23"),
            "existing_proxy_only_subnet_cidr",
            "one active proxy-only subnet per region",
        ),
        (dict(networking="public"), "networking", "'direct' or 'private'"),
        (dict(vpc_name="Anyscale_VPC"), "vpc_name", "RFC 1035"),
        (dict(subnet_name="-x"), "subnet_name", "RFC 1035"),
        (dict(existing_vpc_name="v" * 64, existing_subnet_name="s"), "existing_vpc_name", "RFC 1035"),
        (dict(project_id="123456789012"), "project_id", "that is a project NUMBER"),
        (dict(existing_vpc_name="v", existing_subnet_name="s", host_project_id="Host"), "host_project_id", "lowercase"),
        (dict(region="us-central1-a"), "region", "is not a Google Cloud region"),
        (dict(subnet_cidr="10.0.0.1/20"), "subnet_cidr", "host bits set"),
        (dict(subnet_cidr="10.0.0.0"), "subnet_cidr", "is not an IPv4 CIDR block"),
        (dict(vpc_cidr="10.0.0.0/16"), "vpc_cidr", "is not a known argument"),
    ],
)
def test_bad_arguments_name_the_field_and_rule(kwargs, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleGcpNetworkArgs(**kwargs)
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_defaults_follow_the_mode():
    assert AnyscaleGcpNetworkArgs().creates_proxy_only_subnet() is False
    assert AnyscaleGcpNetworkArgs(networking="private").creates_proxy_only_subnet() is True
    assert AnyscaleGcpNetworkArgs(networking="private", existing_vpc_name="v", existing_subnet_name="s").creates_proxy_only_subnet() is False
    shared = AnyscaleGcpNetworkArgs(existing_vpc_name="v", existing_subnet_name="s", host_project_id="acme-net-host", project_id="acme-ml-prod")
    assert shared.network_project_id() == "acme-net-host"
    assert AnyscaleGcpNetworkArgs(project_id="acme-ml-prod").network_project_id() == "acme-ml-prod"

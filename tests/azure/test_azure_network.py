"""AnyscaleResourceGroup and AnyscaleAzureNetwork: a protected new group in a supported region
or an existing one; a VNet with a separate node subnet carrying the Microsoft.Storage
endpoint, a subnet in your VNet, or your subnet; the pure address planning; and every bad
input naming its field before any resource."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st
from program_errors import deploy_error

from anyscale_infra.azure import constants as c
from anyscale_infra.azure import validation as v
from anyscale_infra.azure.network import (
    AnyscaleAzureNetwork,
    AnyscaleAzureNetworkArgs,
    default_node_subnet_cidr,
    usable_ips,
)
from anyscale_infra.azure.resource_group import (
    AnyscaleResourceGroup,
    AnyscaleResourceGroupArgs,
    existing_location_problem,
    merge_tags,
)
from anyscale_infra.errors import InvalidArgsError

GROUP = "azure-native:resources:ResourceGroup"
VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
SUB = "11111111-2222-3333-4444-555555555555"
VNET_ID = f"/subscriptions/{SUB}/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/hub"
SUBNET_ID = f"{VNET_ID}/subnets/aks"
GET_GROUP = "azure-native:resources:getResourceGroup"


def build_network(run, **args):
    def program():
        import pulumi

        group = AnyscaleResourceGroup("g", AnyscaleResourceGroupArgs(location="eastus2"))
        network = AnyscaleAzureNetwork("n", AnyscaleAzureNetworkArgs(resource_group_name=group.name, **args))
        pulumi.export("vnet_id", network.vnet_id)
        pulumi.export("node_subnet_id", network.node_subnet_id)
        pulumi.export("vnet_name", network.vnet_name)
        pulumi.export("planned", [network.vnet_cidr, network.node_subnet_cidr])

    return run(program)


def build_group(run, **args):
    def program():
        import pulumi

        group = AnyscaleResourceGroup("g", AnyscaleResourceGroupArgs(**args))
        pulumi.export("group", [group.name, group.id, group.location])

    return run(program)


# --- the resource group ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def new_group(azure_preview):
    return build_group(azure_preview, location="westus3", tags={"team": "ml"}, cloud_id="cld_AbC123")


def test_a_new_group_is_protected_in_its_region_and_tagged(new_group):
    group = new_group.one(GROUP)
    assert group.protect is True
    assert group.inputs["location"] == "westus3"
    assert group.inputs["tags"] == {"managed-by": "anyscale-infra", "team": "ml", "anyscale-cloud-id": "cld_AbC123"}
    assert "resourceGroupName" not in group.inputs  # auto-named by azure-native
    component = new_group.one("anyscale-infra:index:AnyscaleResourceGroup")
    assert group.parent == component.urn
    name, ident, location = new_group.outputs["group"]
    assert ident == f"/subscriptions/{group.id.split('/')[2]}/resourceGroups/{name}" and location == "westus3"
    assert new_group.component_outputs[component.urn].keys() == {"name", "id", "location"}
    assert new_group.warnings == []


def test_protect_can_be_turned_off_with_a_warning_and_a_name_given(azure_preview):
    result = build_group(azure_preview, location="eastus2", protect=False, resource_group_name="anyscale-prod-rg")
    group = result.one(GROUP)
    assert group.protect is False and group.inputs["resourceGroupName"] == "anyscale-prod-rg"
    assert result.outputs["group"][0] == "anyscale-prod-rg"
    assert any("deletes the resource group and everything in it" in w for w in result.warnings)


def test_an_existing_group_creates_nothing(azure_preview):
    result = build_group(azure_preview, existing_resource_group_name="prod-rg")
    assert result.by_type(GROUP) == []
    assert result.outputs["group"][0] == "prod-rg"


def test_an_existing_group_is_checked_against_its_lookup(azure_preview, azure_answers):
    answer = {GET_GROUP: lambda a: {"id": f"/subscriptions/{SUB}/resourceGroups/{a['resourceGroupName']}", "name": a["resourceGroupName"], "location": "East US 2"}}
    with azure_answers(answer):
        result = build_group(azure_preview, existing_resource_group_name="prod-rg")
        assert result.outputs["group"] == ["prod-rg", f"/subscriptions/{SUB}/resourceGroups/prod-rg", "eastus2"]
        error = deploy_error(azure_preview, lambda: AnyscaleResourceGroup("g", AnyscaleResourceGroupArgs(existing_resource_group_name="prod-rg", location="westus3")))
        assert error.fields == ["existing_resource_group_name"] and "is in eastus2, not westus3" in str(error)
    unsupported = {GET_GROUP: lambda a: {"id": "x", "location": "brazilsouth"}}
    with azure_answers(unsupported):
        error = deploy_error(azure_preview, lambda: AnyscaleResourceGroup("g", AnyscaleResourceGroupArgs(existing_resource_group_name="prod-rg")))
    assert error.fields == ["existing_resource_group_name"] and "not available in brazilsouth" in str(error)


def test_a_new_group_without_a_location_is_refused_before_any_resource():
    """The cloud composite wires the location: the rule runs when the component is built."""
    args = AnyscaleResourceGroupArgs()  # fine on its own
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleResourceGroup("g", args)
    assert info.value.fields == ["location"] and "is required for a new resource group" in str(info.value)


@pytest.mark.parametrize(
    "args, field, needle",
    [
        ({"location": "brazilsouth"}, "location", "Anyscale.Platform/clouds is not available in brazilsouth"),
        ({"location": "East US 2"}, "location", "is not an Azure region name like eastus2"),
        ({"location": "eastus2", "resource_group_name": "bad/name"}, "resource_group_name", "must be 1 to 90"),
        ({"location": "eastus2", "supported_regions": []}, "supported_regions", "needs at least one region"),
        ({"existing_resource_group_name": "rg", "protect": False}, "protect", "only one of existing_resource_group_name and protect"),
        ({"location": "eastus2", "tags": {"a/b": "x"}}, "tags", "tag name 'a/b'"),
        ({"location": "eastus2", "cloud_id": "abc"}, "cloud_id", "is not an Anyscale cloud id"),
    ],
)
def test_bad_group_input_names_the_field(args, field, needle):
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleResourceGroupArgs(**args)
    assert info.value.fields == [field]
    assert needle in str(info.value)


def test_your_own_supported_regions_are_honoured():
    assert AnyscaleResourceGroupArgs(location="brazilsouth", supported_regions=["brazilsouth"]).location == "brazilsouth"
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleResourceGroupArgs(location="eastus2", supported_regions=["brazilsouth"])
    assert info.value.fields == ["location"]


def test_tag_precedence_and_location_rule_are_plain():
    assert merge_tags({"managed-by": "me", "a": "1"}, "cld_x", a="2") == {"managed-by": "me", "a": "2", "anyscale-cloud-id": "cld_x"}
    assert existing_location_problem("rg", None, "eastus2", list(c.SUPPORTED_REGIONS)) is None
    assert existing_location_problem("rg", "West US 3", None, list(c.SUPPORTED_REGIONS)) is None


# --- a new network --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def network(azure_preview):
    return build_network(azure_preview)


def test_a_vnet_with_no_inline_subnets(network):
    vnet = network.one(VNET)
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": ["10.0.0.0/16"]}
    assert "subnets" not in vnet.inputs
    assert vnet.ignore_changes == ["subnets"]
    group = network.one(GROUP)
    assert vnet.inputs["resourceGroupName"] == group.outputs["name"]
    assert vnet.inputs["tags"] == {"managed-by": "anyscale-infra"}
    assert vnet.parent == network.one("anyscale-infra:index:AnyscaleAzureNetwork").urn


def test_the_node_subnet_is_its_own_resource_with_the_storage_endpoint(network):
    subnet = network.one(SUBNET)
    vnet = network.one(VNET)
    assert subnet.inputs["addressPrefix"] == "10.0.0.0/20"
    assert subnet.inputs["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]
    assert subnet.inputs["subnetName"] == "aks-nodes"
    assert subnet.inputs["virtualNetworkName"] == vnet.outputs["name"]
    assert subnet.deleted_with == vnet.urn and subnet.parent == vnet.parent
    assert network.outputs["node_subnet_id"] == subnet.id and subnet.id.endswith(f"/virtualNetworks/{vnet.outputs['name']}/subnets/aks-nodes")
    assert network.outputs["vnet_id"] == vnet.id
    assert network.outputs["planned"] == ["10.0.0.0/16", "10.0.0.0/20"]
    assert network.warnings == []


def test_custom_ranges_are_used_as_given(azure_preview):
    result = build_network(azure_preview, vnet_cidr="10.50.0.0/16", node_subnet_cidr="10.50.16.0/20", vnet_name="anyscale-vnet", node_subnet_name="nodes")
    assert result.one(VNET).inputs["addressSpace"] == {"addressPrefixes": ["10.50.0.0/16"]}
    assert result.one(VNET).inputs["virtualNetworkName"] == "anyscale-vnet"
    assert (result.one(SUBNET).inputs["addressPrefix"], result.one(SUBNET).inputs["subnetName"]) == ("10.50.16.0/20", "nodes")


def test_a_subnet_in_your_vnet(azure_preview):
    result = azure_preview(lambda: AnyscaleAzureNetwork("n", AnyscaleAzureNetworkArgs(existing_vnet_id=VNET_ID, node_subnet_cidr="10.8.4.0/22")))
    assert result.by_type(VNET) == []
    subnet = result.one(SUBNET)
    assert (subnet.inputs["resourceGroupName"], subnet.inputs["virtualNetworkName"]) == ("net-rg", "hub")
    assert subnet.inputs["addressPrefix"] == "10.8.4.0/22" and subnet.deleted_with is None
    assert subnet.inputs["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]


def test_your_subnet_creates_nothing(azure_preview):
    def program():
        import pulumi

        network = AnyscaleAzureNetwork("n", AnyscaleAzureNetworkArgs(existing_node_subnet_id=SUBNET_ID, node_subnet_cidr="10.8.0.0/20"))
        pulumi.export("ids", [network.vnet_id, network.node_subnet_id, network.vnet_name])

    result = azure_preview(program)
    assert result.by_type(VNET) == [] and result.by_type(SUBNET) == []
    assert result.outputs["ids"] == [VNET_ID, SUBNET_ID, "hub"]
    assert any("Microsoft.Storage service endpoint" in w for w in result.warnings)


def test_a_network_without_its_resource_group_fails_before_any_resource(azure_preview):
    error = deploy_error(azure_preview, lambda: AnyscaleAzureNetwork("n", AnyscaleAzureNetworkArgs()))
    assert error.fields == ["resource_group_name"]


@pytest.mark.parametrize(
    "args, fields, needle",
    [
        ({"node_subnet_cidr": "10.1.0.0/20"}, ["node_subnet_cidr"], "10.1.0.0/20 is outside the VNet 10.0.0.0/16"),
        ({"node_subnet_cidr": "10.0.0.0/25"}, ["node_subnet_cidr"], "smaller than a /24: every node takes a VNet IP"),
        ({"vnet_cidr": "10.0.0.0/25", "node_subnet_cidr": "10.0.0.0/25"}, ["vnet_cidr", "node_subnet_cidr"], "must fit"),
        ({"vnet_cidr": "10.0.0.1/16"}, ["vnet_cidr"], "host bits set; did you mean 10.0.0.0/16"),
        ({"service_cidr": "10.0.128.0/20"}, ["service_cidr"], "service CIDR 10.0.128.0/20 overlaps the VNet 10.0.0.0/16"),
        ({"pod_cidr": "10.0.0.0/14"}, ["pod_cidr"], "pod CIDR 10.0.0.0/14 overlaps the VNet 10.0.0.0/16"),
        ({"service_cidr": "172.30.0.0/16"}, ["service_cidr"], "overlaps 172.30.0.0/16, which AKS reserves"),
        ({"service_cidr": "10.244.0.0/20"}, ["service_cidr"], "overlaps the pod CIDR 10.244.0.0/16"),
        ({"existing_vnet_id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "node_subnet_cidr": "10.0.0.0/24"},
         ["existing_vnet_id"], "is not a Microsoft.Network/virtualNetworks resource id"),
        ({"existing_node_subnet_id": VNET_ID}, ["existing_node_subnet_id"], "is not a subnet resource id"),
        ({"existing_vnet_id": VNET_ID}, ["node_subnet_cidr"], "is required with existing_vnet_id"),
        ({"existing_vnet_id": VNET_ID.replace("hub", "other"), "existing_node_subnet_id": SUBNET_ID}, ["existing_node_subnet_id"], "is not a subnet of"),
        ({"existing_node_subnet_id": SUBNET_ID, "vnet_name": "v"}, ["vnet_name"], "only one of existing_node_subnet_id and vnet_name"),
        ({"location": "brazilsouth"}, ["location"], "not available in brazilsouth"),
        ({"node_subnet_name": "-bad"}, ["node_subnet_name"], "subnet name '-bad' must be 1 to 80"),
    ],
)
def test_bad_network_input_names_the_field(args, fields, needle):
    with pytest.raises(InvalidArgsError) as info:
        existing = "existing_vnet_id" in args or "existing_node_subnet_id" in args
        AnyscaleAzureNetworkArgs(**({} if existing else {"resource_group_name": "rg"}), **args)
    assert info.value.fields == fields
    assert needle in str(info.value)


def test_your_vnet_range_is_checked_when_given():
    with pytest.raises(InvalidArgsError) as info:
        AnyscaleAzureNetworkArgs(existing_vnet_id=VNET_ID, vnet_cidr="10.8.0.0/16", node_subnet_cidr="10.9.0.0/24")
    assert info.value.fields == ["node_subnet_cidr"]
    # Flat Azure CNI: no pod CIDR to check.
    assert AnyscaleAzureNetworkArgs(resource_group_name="rg", vnet_cidr="10.244.0.0/16", pod_cidr=None).pod_cidr is None


def test_a_public_vnet_range_is_advised_against():
    args = AnyscaleAzureNetworkArgs(resource_group_name="rg", vnet_cidr="20.0.0.0/16")
    assert any("not a private range" in note for note in args.advisories())


# --- pure planning --------------------------------------------------------------------------------
def test_the_default_node_subnet_is_the_first_slash_20_or_the_whole_small_vnet():
    assert default_node_subnet_cidr("10.0.0.0/16") == "10.0.0.0/20"
    assert default_node_subnet_cidr("192.168.4.0/22") == "192.168.4.0/22"
    assert usable_ips("10.0.0.0/24") == 251 and usable_ips("10.0.0.0/20") == 4091


@given(st.integers(min_value=8, max_value=24), st.integers(min_value=0, max_value=2**32 - 1))
def test_the_default_node_subnet_always_fits_the_rules(prefix, address):
    vnet = str(ipaddress.IPv4Network((address, prefix), strict=False))
    subnet = default_node_subnet_cidr(vnet)
    assert ipaddress.IPv4Network(subnet).subnet_of(ipaddress.IPv4Network(vnet))
    assert v.address_space_problems(vnet_cidr=vnet, node_subnet_cidr=subnet) == []
    assert ipaddress.IPv4Network(subnet).prefixlen == max(prefix, c.DEFAULT_NODE_SUBNET_PREFIX)


def test_the_address_rules_name_each_role():
    assert v.address_space_problems(
        vnet_cidr=c.DEFAULT_VNET_CIDR, node_subnet_cidr="10.0.0.0/20", service_cidr=c.DEFAULT_SERVICE_CIDR,
        dns_service_ip=c.DEFAULT_DNS_SERVICE_IP, pod_cidr=c.DEFAULT_POD_CIDR,
    ) == []
    roles = [role for role, _ in v.address_space_problems(service_cidr="10.96.0.0/16", dns_service_ip="10.96.0.1")]
    assert roles == ["dns_service_ip"]
    assert [r for r, _ in v.address_space_problems(service_cidr="10.96.0.0/16", dns_service_ip="10.97.0.10")] == ["dns_service_ip"]

"""pulumi-kubernetes-shaped preview answers: a release is deployed under its own name, an
object keeps the name it was given (or gets Pulumi's auto-name), a Gateway gets an address."""

from __future__ import annotations

from anyscale_infra.preview.mocks import PreviewMocks

URN = "urn:pulumi:preview::p::kubernetes:helm.sh/v3:Release::op"


def shapes():
    mocks = PreviewMocks({})
    return mocks, mocks.shapes["kubernetes"]


def test_a_release_is_deployed_in_its_namespace_under_its_name():
    mocks, k8s = shapes()
    ident, state = k8s.new_resource(
        "kubernetes:helm.sh/v3:Release", "op", URN,
        {"name": "anyscale-operator", "namespace": "anyscale-operator", "chart": "anyscale-operator", "version": "1.8.0"}, None,
    )
    assert ident == "anyscale-operator/anyscale-operator"
    assert state["status"] == {
        "name": "anyscale-operator", "namespace": "anyscale-operator", "chart": "anyscale-operator",
        "version": "1.8.0", "status": "deployed", "revision": 1,
    }


def test_an_unnamed_release_gets_an_auto_name_marked_as_made_up():
    mocks, k8s = shapes()
    ident, state = k8s.new_resource("kubernetes:helm.sh/v3:Release", "op", URN, {"chart": "x"}, None)
    assert state["name"].startswith("op-") and len(state["name"]) == len("op-") + 8
    assert ident == f"default/{state['name']}"
    assert state["name"] in mocks.generated


def test_objects_keep_their_names_and_namespaces():
    _, k8s = shapes()
    ident, state = k8s.new_resource(
        "kubernetes:core/v1:Namespace", "ns", "urn:x::ns", {"metadata": {"name": "anyscale-operator"}}, None
    )
    assert ident == "anyscale-operator" and state["metadata"] == {"name": "anyscale-operator"}
    ident, _ = k8s.new_resource(
        "kubernetes:gateway.envoyproxy.io/v1alpha1:EnvoyProxy", "p", "urn:x::p", {"metadata": {"name": "p", "namespace": "eg"}}, None
    )
    assert ident == "eg/p"


def test_a_gateway_reports_its_pinned_address_or_a_made_up_hostname():
    mocks, k8s = shapes()
    gateway = "kubernetes:gateway.networking.k8s.io/v1:Gateway"
    _, pinned = k8s.new_resource(
        gateway, "gw", "urn:x::gw", {"metadata": {"name": "gw"}, "spec": {"addresses": [{"type": "IPAddress", "value": "34.1.2.3"}]}}, None
    )
    assert pinned["status"] == {"addresses": [{"type": "IPAddress", "value": "34.1.2.3"}]}
    _, made = k8s.new_resource(gateway, "gw2", "urn:x::gw2", {"metadata": {"name": "gw2"}, "spec": {}}, None)
    (address,) = made["status"]["addresses"]
    assert address["type"] == "Hostname" and address["value"].endswith(".preview.invalid")
    assert address["value"] in mocks.generated

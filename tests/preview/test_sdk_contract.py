"""The Pulumi SDK internals the preview engine relies on (anyscale_infra/preview/_sdk.py)
still exist and behave as the engine assumes. A failure names the internal: read its entry
in _sdk.py before widening the `pulumi` range in pyproject.toml."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import resource_pb2

from anyscale_infra.preview import _sdk


def _in_a_run(body: Callable[[Any], Any], monitor_factory: Callable[[pulumi.runtime.Mocks], Any], preview: bool = True):
    """``body(monitor)`` inside a fresh mocked run: own context, own event loop."""

    class Plain(pulumi.runtime.Mocks):
        def new_resource(self, args):
            return f"{args.name}-id", dict(args.inputs)

        def call(self, args):
            return {}

    async def run():
        mocks = Plain()
        monitor = monitor_factory(mocks)
        _sdk.track_outputs_per_run()
        pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=preview, monitor=monitor)
        return await body(monitor)

    loop = asyncio.new_event_loop()
    try:
        return contextvars.Context().run(loop.run_until_complete, run())
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()


def _on_a_monitor_thread(call: Callable[[], Any]) -> Any:
    """Call a monitor method as the SDK does: on a pool thread, not the program's."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, call).result()


class _Probe(_sdk.MockMonitor):
    """Records how the base class uses make_urn and the mocks."""

    def __init__(self, mocks):
        super().__init__(mocks)
        self.events: list[tuple[Any, ...]] = []
        self.serving_thread: Any = None

    def make_urn(self, parent, type_, name):
        self.events.append(("make_urn", parent, type_, name))
        return f"urn:pulumi:s::p::{type_}::{name}"

    def RegisterResource(self, request):
        self.serving_thread = threading.get_ident()
        return super().RegisterResource(request)

    def ReadResource(self, request):
        self.serving_thread = threading.get_ident()
        return super().ReadResource(request)


class _SecretStateMocks(pulumi.runtime.Mocks):
    def __init__(self, monitor_thread: list[int]):
        self.calls: list[pulumi.runtime.MockResourceArgs] = []
        self.thread = monitor_thread

    def new_resource(self, args):
        self.calls.append(args)
        self.thread.append(threading.get_ident())
        return "the-id", {"plain": "p", "hidden": _sdk.wrap_secret("s3cr3t")}

    def call(self, args):
        return {}


def test_mock_monitor_register_resource_calls_make_urn_and_the_mocks_once_in_its_thread():
    """_sdk.MockMonitor: RegisterResource -> self.make_urn, self.mocks.new_resource (once,
    same thread), and the returned state serialized so a secret wrapper survives."""
    threads: list[int] = []
    mocks = _SecretStateMocks(threads)
    monitor = _Probe(mocks)
    assert monitor.mocks is mocks, "MockMonitor(mocks).mocks is no longer the mocks"
    request = resource_pb2.RegisterResourceRequest(type="test:index:Thing", name="t", parent="", custom=True)
    response = _on_a_monitor_thread(lambda: monitor.RegisterResource(request))
    assert ("make_urn", "", "test:index:Thing", "t") in monitor.events, "MockMonitor no longer calls self.make_urn"
    assert len(mocks.calls) == 1, "MockMonitor.RegisterResource no longer calls mocks.new_resource exactly once"
    assert threads == [monitor.serving_thread], "mocks.new_resource is no longer called in the monitor's thread"
    assert response.urn == "urn:pulumi:s::p::test:index:Thing::t" and response.id == "the-id"
    state = _sdk.deserialize(response.object)
    assert state["plain"] == "p"
    assert _sdk.is_secret(state["hidden"]), "a wrapped secret in the mocks' state no longer reaches the program as secret"
    assert _sdk.unwrap_secret(state["hidden"]) == "s3cr3t"
    assert isinstance(mocks.calls[0].inputs, dict)
    mocks.calls[0].inputs = {"replaced": True}  # the engine replaces args.inputs (unwrapped)


def test_mock_monitor_read_resource_passes_the_id_and_accepts_a_response_id():
    """_sdk.MockMonitor.ReadResource -> make_urn + mocks.new_resource(resource_id=request.id);
    _sdk.set_read_id sets ReadResourceResponse.id where it exists (tests/preview/test_dry_run.py
    checks that a read's id is known in a preview on every SDK)."""
    threads: list[int] = []
    mocks = _SecretStateMocks(threads)
    monitor = _Probe(mocks)
    request = resource_pb2.ReadResourceRequest(id="vpc-1", type="aws:ec2/vpc:Vpc", name="v", parent="")
    response = _on_a_monitor_thread(lambda: monitor.ReadResource(request))
    assert ("make_urn", "", "aws:ec2/vpc:Vpc", "v") in monitor.events
    assert [c.resource_id for c in mocks.calls] == ["vpc-1"], "ReadResource no longer passes resource_id=request.id"
    assert threads == [monitor.serving_thread]
    _sdk.set_read_id(response, "vpc-1")
    if "id" in resource_pb2.ReadResourceResponse.DESCRIPTOR.fields_by_name:  # pulumi >= 3.271
        assert response.id == "vpc-1", "ReadResourceResponse.id is no longer settable"


@pytest.mark.parametrize(
    "message, fields",
    [
        (resource_pb2.RegisterResourceRequest, _sdk.REGISTER_REQUEST_FIELDS),
        (resource_pb2.ReadResourceRequest, _sdk.READ_REQUEST_FIELDS),
        (resource_pb2.ReadResourceResponse, _sdk.READ_RESPONSE_FIELDS),
        (resource_pb2.RegisterResourceOutputsRequest, _sdk.REGISTER_OUTPUTS_REQUEST_FIELDS),
    ],
    ids=lambda v: getattr(v, "__name__", "fields"),
)
def test_monitor_protocol_fields_exist(message, fields):
    missing = [f for f in fields if f not in message.DESCRIPTOR.fields_by_name]
    assert not missing, f"{message.__name__} lost fields the engine reads or writes: {missing}"


def test_secret_signature_round_trips():
    """_sdk.wrap_secret / is_secret / unwrap_secret (pulumi.runtime.rpc) over serialize ->
    deserialize (_sdk.deserialize), nested too; plain values are not secret."""
    wrapped = _sdk.wrap_secret({"a": [1, "x"]})
    assert _sdk.is_secret(wrapped) and not _sdk.is_secret({"a": 1}) and not _sdk.is_secret("x")
    assert _sdk.wrap_secret(wrapped) == wrapped, "wrap_rpc_secret no longer leaves a secret as it is"

    async def serialize(props):
        return await pulumi.runtime.rpc.serialize_properties(props, {})

    loop = asyncio.new_event_loop()
    try:
        struct = loop.run_until_complete(serialize({"top": wrapped, "nested": {"k": _sdk.wrap_secret("v")}}))
    finally:
        loop.close()
    assert isinstance(struct, struct_pb2.Struct)
    back = _sdk.deserialize(struct)
    assert _sdk.is_secret(back["top"]) and _sdk.unwrap_secret(back["top"]) == {"a": [1.0, "x"]}
    # A secret inside a map makes the whole map secret (the SDK pushes secretness up).
    assert _sdk.is_secret(back["nested"]) and _sdk.unwrap_secret(back["nested"]) == {"k": "v"}
    assert _sdk.unwrap_secret("plain") == "plain"


def test_unknowns_deserialize_as_pulumi_output_unknown_in_a_preview():
    """_sdk.is_unknown: what deserialize_properties gives for an unknown in a preview."""
    from pulumi.runtime.rpc import UNKNOWN as wire_unknown

    async def body(_monitor):
        struct = struct_pb2.Struct()
        struct["u"] = wire_unknown
        return _sdk.deserialize(struct)

    props = _in_a_run(body, _sdk.MockMonitor)
    assert _sdk.is_unknown(props["u"]), f"an unknown now deserializes as {props['u']!r}"
    assert not _sdk.is_unknown(None) and not _sdk.is_unknown("x")


class _Counting(_sdk.MockMonitor):
    def __init__(self, mocks):
        super().__init__(mocks)
        self.registered: list[str] = []

    def RegisterResource(self, request):
        if request.type != "pulumi:pulumi:Stack":
            self.registered.append(request.name)
        return super().RegisterResource(request)


def test_run_pulumi_func_waits_for_registrations_then_reraises_the_programs_error():
    """_sdk.run_pulumi_func: awaits what the program registered, then re-raises its error."""

    class ProgramFailed(Exception):
        pass

    async def body(monitor):
        def program():
            pulumi.CustomResource("test:index:Thing", "t", {"k": "v"})
            raise ProgramFailed()

        with pytest.raises(ProgramFailed):
            await _sdk.run_pulumi_func(program)
        return monitor.registered

    assert _in_a_run(body, _Counting) == ["t"], "run_pulumi_func no longer waits for outstanding registrations"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, SystemExit])
def test_run_pulumi_func_lets_interrupts_through(stop):
    """_sdk.run_pulumi_func: KeyboardInterrupt / SystemExit from the program come out as
    they are (pulumi 3.255+ waits for outstanding work first, 3.250 and older do not)."""

    async def body(_monitor):
        raised = stop()

        def program():
            raise raised

        try:
            await _sdk.run_pulumi_func(program)
        except stop as exc:
            return exc is raised
        return False

    assert _in_a_run(body, _Counting), f"run_pulumi_func no longer lets {stop.__name__} through"


def test_exports_are_on_the_root_stack_outputs():
    """_sdk.stack_exports: pulumi.export stores on get_root_resource().outputs."""

    async def body(_monitor):
        def program():
            pulumi.export("answer", 42)

        await _sdk.run_pulumi_func(program)
        return _sdk.stack_exports(pulumi.runtime.get_root_resource())

    assert _in_a_run(body, _sdk.MockMonitor) == {"answer": 42}


def test_outputs_are_tracked_in_the_per_run_set():
    """_sdk.track_outputs_per_run: SETTINGS.outputs is what Output tasks register in, and
    setting it stays inside the run's context."""
    from pulumi.runtime.settings import SETTINGS

    outside = SETTINGS.outputs

    async def body(_monitor):
        mine = SETTINGS.outputs
        output = pulumi.Output.from_input(asyncio.sleep(0, result=1)).apply(lambda v: v + 1)
        tracked = len(mine) > 0
        await output.future()
        return mine, tracked

    mine, tracked = _in_a_run(body, _sdk.MockMonitor)
    assert type(mine) is type(outside) and mine is not outside, "SETTINGS.outputs is no longer per context"
    assert tracked, "Output tasks are no longer tracked in SETTINGS.outputs"
    assert SETTINGS.outputs is outside

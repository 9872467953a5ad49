"""Every Pulumi SDK internal the preview engine relies on, in one place.

The engine otherwise uses the SDK's public testing API: ``pulumi.runtime.set_mocks``,
``pulumi.runtime.Mocks`` / ``MockResourceArgs`` / ``MockCallArgs``,
``pulumi.runtime.set_all_config``, ``pulumi.runtime.get_root_resource``,
``pulumi.get_project`` / ``get_stack`` and ``Output.future`` / ``is_known`` /
``is_secret``; and ``asyncio`` directly for the event loop. No longer used: ``_sync_await``
and ``_ensure_event_loop`` (the engine runs its own loop), ``resource_pb2``,
``MockMonitor.resources`` / ``ResourceRegistration`` and ``rpc.serialize_properties`` (the
base monitor builds the responses), ``rpc._special_sig_key`` / ``_special_secret_sig``
(the wrapper helpers below), ``settings.set_root_resource`` (each run has a fresh
``contextvars`` context, where there is no root stack yet) and ``settings.get_project`` /
``get_stack``.

What remains, and why (``tests/preview/test_sdk_contract.py`` checks each one and names it
when an SDK release changes it; ``pyproject.toml`` pins the SDK range that was tested):

``pulumi.runtime.mocks.MockMonitor`` (:data:`MockMonitor`)
    The base class of the engine's monitor: ``set_mocks(monitor=...)`` takes an instance.
    Resource options (parent, protect, dependencies, aliases, additionalSecretOutputs...)
    exist only on the RegisterResource request the monitor receives, never on
    ``MockResourceArgs``, so the engine subclasses it. It relies on the base class's
    ``RegisterResource`` / ``ReadResource`` calling ``self.make_urn(parent, type, name)``,
    calling ``self.mocks.new_resource(args)`` once, synchronously, in the calling thread,
    and serializing the returned state with ``rpc.serialize_properties`` (so secret
    wrappers in that state reach the program as secret outputs); on its ``mocks``
    attribute; and on its ``RegisterResourceOutputs`` hook.

``pulumi.runtime.stack.run_pulumi_func`` (:data:`run_pulumi_func`)
    Runs the program body, then waits for every outstanding registration and output, as
    the Python language host does. The public ``run_in_stack`` would create a second root
    stack (``set_mocks`` already made one) and fails.

``Stack.outputs`` (:func:`stack_exports`)
    ``pulumi.export`` stores exports on the root stack resource's ``outputs`` dict; under
    mocks they are never sent to the monitor (``set_mocks`` finishes the stack at once),
    so the engine reads them there.

Resource-monitor request and response fields (:data:`REGISTER_REQUEST_FIELDS`, ...)
    Read off the protobuf messages the SDK sends (``pulumi/runtime/proto/resource.proto``):
    the engine records the options, and sets ``ReadResourceResponse.id`` because in a
    preview the SDK treats an empty id there as unknown (the base mock leaves it empty).
    SDKs before 3.271 have no such field and take a read's id from the request.

``pulumi.runtime.rpc`` helpers (:func:`deserialize`, :func:`is_secret`, :func:`unwrap_secret`, :func:`wrap_secret`)
    ``deserialize_properties`` and the secret-wrapper helpers ``is_rpc_secret`` /
    ``unwrap_rpc_secret`` / ``wrap_rpc_secret``: public names in a module the SDK exports
    as ``pulumi.runtime.rpc``, but not documented API. The wrapper is how secretness
    travels over the monitor protocol (replacing the former use of ``_special_sig_key``
    and ``_special_secret_sig``).

``pulumi.output.Unknown`` (:func:`is_unknown`)
    What ``deserialize_properties`` returns, in a preview, for a value not known yet.

``pulumi.runtime.settings.SETTINGS.outputs`` (:func:`track_outputs_per_run`)
    The set of pending ``Output`` tasks that ``run_pulumi_func`` waits for. ``set_mocks``
    does not reset it, so every run in a process shares one set, and a task that failed
    or was cancelled stays in it "to pick up at program exit": the next run would fail
    with the previous run's error. The engine gives each run its own set (the property is
    a context variable, so this stays inside the run's context).
"""

from __future__ import annotations

from typing import Any

from pulumi import output as _output
from pulumi.runtime import rpc as _rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import SETTINGS as _SETTINGS
from pulumi.runtime.stack import run_pulumi_func

__all__ = [
    "READ_REQUEST_FIELDS",
    "READ_RESPONSE_FIELDS",
    "REGISTER_OUTPUTS_REQUEST_FIELDS",
    "REGISTER_REQUEST_FIELDS",
    "MockMonitor",
    "deserialize",
    "is_secret",
    "is_unknown",
    "run_pulumi_func",
    "set_read_id",
    "stack_exports",
    "track_outputs_per_run",
    "unwrap_secret",
    "wrap_secret",
]

#: RegisterResourceRequest fields the engine reads.
REGISTER_REQUEST_FIELDS = (
    "type", "name", "parent", "custom", "object", "protect", "dependencies", "propertyDependencies",
    "deletedWith", "aliases", "aliasURNs", "importId", "retainOnDelete", "ignoreChanges",
    "additionalSecretOutputs", "provider",
)  # fmt: skip
#: ReadResourceRequest fields the engine reads.
READ_REQUEST_FIELDS = ("id", "type", "name", "parent", "properties", "provider", "additionalSecretOutputs")
#: ReadResourceResponse fields the engine reads (``id`` it also writes, when there is one).
READ_RESPONSE_FIELDS = ("urn", "properties")
#: RegisterResourceOutputsRequest fields the engine reads.
REGISTER_OUTPUTS_REQUEST_FIELDS = ("urn", "outputs")

deserialize = _rpc.deserialize_properties
is_secret = _rpc.is_rpc_secret
unwrap_secret = _rpc.unwrap_rpc_secret
wrap_secret = _rpc.wrap_rpc_secret


def is_unknown(value: Any) -> bool:
    return isinstance(value, _output.Unknown)


def set_read_id(response: Any, resource_id: str) -> None:
    """Give a ReadResourceResponse the resource's id (known, as after a real read), on
    SDKs whose response has one."""
    if "id" in response.DESCRIPTOR.fields_by_name:
        response.id = resource_id


def stack_exports(root: Any) -> dict[str, Any]:
    """What the program exported (``pulumi.export``), by name."""
    return dict(getattr(root, "outputs", None) or {})


def track_outputs_per_run() -> None:
    """A fresh, empty collection of pending outputs for this run (call inside the run's
    context), of the type the SDK uses: a set (a deque in pulumi 3.231)."""
    _SETTINGS.outputs = type(_SETTINGS.outputs)()

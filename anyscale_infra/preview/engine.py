"""Run a Pulumi Python program on the SDK's mock engine and record what it would create.

Used by ``anyscale-infra preview``/``check``, by the test-suite and by the benchmarks:
one engine, so what the tests assert is what users see.

How (shared/MOCK-ENGINE.md): ``set_mocks`` with a recording monitor, then the program body
inside ``run_pulumi_func``, on an event loop the engine owns. Each run happens in its own
``contextvars`` context, so runs in one process do not share the root stack or config.
Resource options (parent, protect, dependencies, aliases, deletedWith, additional secret
outputs) only exist on the RegisterResource request, so the monitor records them there.
Every SDK internal this needs is in :mod:`anyscale_infra.preview._sdk`.

As ``pulumi preview``:

* The program runs as a preview: ``pulumi.runtime.is_dry_run()`` is True. The mocks return
  a full state, so ids, ARNs and names stay known; an output the mocks do not give (an
  optional attribute nobody set) is *unknown*, as in a real preview, and so is anything
  computed from it (its ``apply`` callbacks do not run). Unknown stack outputs are listed
  in :attr:`PreviewResult.unknown_outputs` and shown as ``[unknown]``.
* Secrets: an input given as a secret (``Output.secret``, ``Config.get_secret``, a secret
  config key, or an output that was already secret) makes the output of the same name
  secret, and so do the resource's ``additional_secret_outputs``; secretness then flows
  through ``apply`` into whatever is built from those outputs, stack exports included.
  Secretness is tracked per *top-level* property: a secret anywhere inside a property
  (one tag of ``tags``, one statement of a policy) makes that whole property secret.
  :class:`PreviewResult` keeps the raw values (the policy rules need them) and the names
  of the secret ones; :meth:`PreviewResult.to_plan` and the human output mask them.
* Interrupts: ``KeyboardInterrupt`` and ``SystemExit`` raised by the program are not
  program errors. They propagate unchanged (with the exit code), except that
  ``sys.exit()`` / ``sys.exit(0)`` in the program body ends the program early as a
  success: the result holds what it declared until then, with a note (as ``pulumi up``,
  which deploys what a program registered before it exited 0). A ``SystemExit`` raised
  inside an ``apply`` callback propagates whatever its code.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import gc
import importlib.metadata
import os
import runpy
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TypeVar

import pulumi
from google.protobuf.json_format import MessageToDict

from anyscale_infra.errors import AnyscaleInfraError, AnyscaleInfraWarning, InvalidArgsError
from anyscale_infra.preview import _sdk
from anyscale_infra.preview.mocks import PreviewMocks
from anyscale_infra.preview.project import Project, load_project

_T = TypeVar("_T")

STACK_TYPE = "pulumi:pulumi:Stack"
SECRET_MASK = "[secret]"
#: How the plan shows a value a preview does not know (``output<T>`` in `pulumi preview`).
UNKNOWN_MASK = "[unknown]"


class ProgramError(AnyscaleInfraError):
    """The program failed. ``kind`` is ``"validation"`` (our args rules), ``"config"``
    (missing/invalid stack config) or ``"program"`` (anything else); ``details`` keeps the
    traceback for ``--debug``."""

    def __init__(self, message: str, kind: str, details: str, cause: Optional[BaseException] = None):
        super().__init__(message)
        self.kind = kind
        self.details = details
        self.cause = cause


@dataclass
class RecordedResource:
    """One resource the program declared, with the options the engine would see.

    ``inputs`` and ``outputs`` hold raw values, secrets included; ``secret_inputs`` and
    ``secret_outputs`` name the top-level properties that are secret (a secret anywhere
    inside a property makes the property secret). ``unknown_inputs`` names the inputs a
    preview does not know (they hold None here). For a component, ``outputs`` is empty:
    what it registered is in :attr:`PreviewResult.component_outputs`."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: Optional[str]
    id: Optional[str]
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    secret_inputs: list[str] = field(default_factory=list)
    protect: bool = False
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    deleted_with: Optional[str] = None
    aliases: list[Any] = field(default_factory=list)
    provider: Optional[str] = None
    import_id: Optional[str] = None
    retain_on_delete: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    read: bool = False  # declared with `.get()`: looked up, not created
    secret_outputs: list[str] = field(default_factory=list)
    additional_secret_outputs: list[str] = field(default_factory=list)  # the resource option
    unknown_inputs: list[str] = field(default_factory=list)

    @property
    def is_component(self) -> bool:
        return not self.custom

    def to_plan(self, show_secrets: bool = False) -> dict[str, Any]:
        plan: dict[str, Any] = {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "custom": self.custom,
            "inputs": _masked(self.inputs, self.secret_inputs, self.unknown_inputs, show_secrets),
            "dependencies": self.dependencies,
        }
        optional = {
            "protect": self.protect,
            "deletedWith": self.deleted_with,
            "aliases": self.aliases,
            "importId": self.import_id,
            "retainOnDelete": self.retain_on_delete,
            "ignoreChanges": self.ignore_changes,
            "additionalSecretOutputs": self.additional_secret_outputs,
            "read": self.read,
        }
        plan.update({key: value for key, value in optional.items() if value})
        return plan


def _masked(
    values: dict[str, Any], secret: Any, unknown: Any = (), show_secrets: bool = False
) -> dict[str, Any]:
    """``values`` sorted by key, secret ones as ``[secret]`` (unless ``show_secrets``) and
    unknown ones as ``[unknown]``."""
    shown: dict[str, Any] = {}
    for key, value in sorted(values.items()):
        if key in secret and not show_secrets:
            shown[key] = SECRET_MASK
        elif key in unknown:
            shown[key] = UNKNOWN_MASK
        else:
            shown[key] = value
    return shown


@dataclass
class PreviewResult:
    """Everything one preview run recorded.

    ``outputs`` are the stack outputs, raw; ``secret_outputs`` names the secret ones and
    ``unknown_outputs`` the ones a preview does not know (their value is None).
    ``component_outputs`` maps each component's URN to what it registered
    (``register_outputs``), ``component_secret_outputs`` to the secret keys among them."""

    project: str
    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    warnings: list[str]
    notes: list[str]
    generated_values: set[str]
    component_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    unknown_outputs: set[str] = field(default_factory=set)
    component_secret_outputs: dict[str, list[str]] = field(default_factory=dict)

    def by_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> RecordedResource:
        found = self.by_type(type_token)
        if len(found) != 1:
            raise LookupError(f"expected one {type_token}, found {len(found)}: {[r.name for r in found]}")
        return found[0]

    def named(self, name: str) -> RecordedResource:
        found = [r for r in self.resources if r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one resource named {name!r}, found {len(found)}")
        return found[0]

    def children_of(self, urn: Optional[str]) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == urn]

    def to_plan(self, show_secrets: bool = False) -> dict[str, Any]:
        """The machine-readable plan: stable across runs, so it can be diffed in review.
        Every secret value (resource inputs, stack outputs) is masked unless ``show_secrets``."""
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [r.to_plan(show_secrets) for r in self.resources],
            "outputs": _masked(self.outputs, self.secret_outputs, self.unknown_outputs, show_secrets),
            "warnings": self.warnings,
            "notes": self.notes,
        }


class _RecordingMonitor(_sdk.MockMonitor):
    """The SDK's mock monitor, plus a record of each request, real-engine URNs and the
    engine's secret rules.

    The base class does the protocol work (deserializing the request, calling the mocks,
    serializing their state into the response); this class stands between it and the
    mocks (:class:`_MocksAdapter`) with the request at hand, so it can record the options
    and return secret outputs wrapped as secrets, as the real engine marks them."""

    def __init__(self, mocks: PreviewMocks):
        super().__init__(_MocksAdapter(self, mocks))
        self.preview_mocks = mocks
        self.records: dict[str, RecordedResource] = {}
        self.component_outputs: dict[str, dict[str, Any]] = {}
        self.component_secret_outputs: dict[str, list[str]] = {}
        # The request being served, per thread: the SDK calls the monitor from a pool.
        self._serving = threading.local()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # As the real engine (resource.NewURN): the parent's whole qualified type chain
        # prefixes the type, except for the root stack. The SDK's mock keeps only the last
        # parent type and includes the stack; matching the engine keeps URNs (and so the
        # snapshot tests guarding against replacements) true to `pulumi up`.
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), qualified, name])

    def RegisterResource(self, request: Any) -> Any:
        self._serving.request, self._serving.read = request, False
        try:
            return super().RegisterResource(request)
        finally:
            self._serving.request = None

    def ReadResource(self, request: Any) -> Any:
        self._serving.request, self._serving.read = request, True
        try:
            response = super().ReadResource(request)
        finally:
            self._serving.request = None
        record = self.records.get(response.urn)
        if record is not None and record.id:
            # The base mock leaves the response's id empty, which a preview takes as unknown.
            _sdk.set_read_id(response, record.id)
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        outputs, secret, _ = _unwrap_properties(_sdk.deserialize(request.outputs))
        self.component_outputs[request.urn] = outputs
        if secret:
            self.component_secret_outputs[request.urn] = secret
        return super().RegisterResourceOutputs(request)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[Optional[str], dict[str, Any]]:
        """The mocks' answer for the request being served; records it."""
        request = getattr(self._serving, "request", None)
        if request is None:
            raise RuntimeError(
                "pulumi.runtime.mocks.MockMonitor asked the mocks for a resource outside "
                "RegisterResource/ReadResource: the SDK changed (see anyscale_infra/preview/_sdk.py)"
            )
        read = self._serving.read
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs, secret_inputs, unknown_inputs = _unwrap_properties(args.inputs)
        args.inputs = inputs
        args.urn = urn  # type: ignore[attr-defined]  # lets the mocks derive stable ids
        id_, state = self.preview_mocks.new_resource(args)

        # The engine's rules: an output is secret if the input of the same name was, or if
        # the resource lists it in `additional_secret_outputs`.
        additional = list(request.additionalSecretOutputs)
        secret = set(secret_inputs).union(additional)
        secret_outputs = sorted(key for key in state if key in secret) if secret else []
        if secret_outputs:
            state_on_wire = {key: _sdk.wrap_secret(v) if key in secret else v for key, v in state.items()}
        else:
            state_on_wire = state
        custom = True if read else bool(request.custom)
        record = RecordedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=custom,
            parent=_parent(request.parent),
            id=id_ if custom else None,
            inputs=inputs,
            outputs=state if custom else {},
            secret_inputs=secret_inputs,
            secret_outputs=secret_outputs if custom else [],
            additional_secret_outputs=additional,
            unknown_inputs=unknown_inputs,
            provider=request.provider or None,
            read=read,
        )
        if not read:
            record.protect = bool(request.protect)
            record.dependencies = sorted(set(request.dependencies))
            record.property_dependencies = {
                key: sorted(deps.urns) for key, deps in sorted(request.propertyDependencies.items()) if deps.urns
            }
            record.deleted_with = request.deletedWith or None
            record.aliases = [MessageToDict(a) for a in request.aliases] + list(request.aliasURNs)
            record.import_id = request.importId or None
            record.retain_on_delete = bool(request.retainOnDelete)
            record.ignore_changes = list(request.ignoreChanges)
        self.records[urn] = record
        return id_, state_on_wire


class _MocksAdapter(pulumi.runtime.Mocks):
    """What the base monitor calls: resources go through the recording monitor; invokes
    go to the preview mocks with plain (unwrapped) arguments."""

    def __init__(self, monitor: _RecordingMonitor, mocks: PreviewMocks):
        self._monitor = monitor
        self._mocks = mocks

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[Optional[str], dict]:
        return self._monitor.new_resource(args)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        args.args, _, _ = _unwrap_properties(args.args)
        return self._mocks.call(args)


def _parent(parent_urn: str) -> Optional[str]:
    if not parent_urn or parent_urn.split("::")[2].split("$")[-1] == STACK_TYPE:
        return None
    return parent_urn


def _unwrap_properties(props: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Properties as deserialized from the wire -> (plain values, the secret keys, the
    unknown keys). A secret or unknown value anywhere inside a property marks the property;
    unknown values become None."""
    plain: dict[str, Any] = {}
    secret_keys: list[str] = []
    unknown_keys: list[str] = []
    for key, value in props.items():
        plain[key], secret, unknown = _plain(value)
        if secret:
            secret_keys.append(key)
        if unknown:
            unknown_keys.append(key)
    return plain, sorted(secret_keys), sorted(unknown_keys)


def _plain(value: Any) -> tuple[Any, bool, bool]:
    """(value without secret wrappers, contains a secret, contains an unknown)."""
    if isinstance(value, str):  # most values: first
        return value, False, False
    if isinstance(value, dict):
        if _sdk.is_secret(value):
            inner, _, unknown = _plain(_sdk.unwrap_secret(value))
            return inner, True, unknown
        out: dict[str, Any] = {}
        secret = unknown = False
        for key, item in value.items():
            out[key], item_secret, item_unknown = _plain(item)
            secret, unknown = secret or item_secret, unknown or item_unknown
        return out, secret, unknown
    if isinstance(value, list):
        items = []
        secret = unknown = False
        for item in value:
            plain, item_secret, item_unknown = _plain(item)
            items.append(plain)
            secret, unknown = secret or item_secret, unknown or item_unknown
        return items, secret, unknown
    if isinstance(value, float) and value.is_integer():
        return int(value), False, False  # the wire carries every number as a float: 443, not 443.0
    if _sdk.is_unknown(value):
        return None, False, True
    return value, False, False


class _LogCapture:
    """Stands in for the logger the mock engine writes `pulumi.log.*` messages to."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def debug(self, message: str) -> None: ...

    def info(self, message: str) -> None: ...

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def error(self, message: str) -> None:
        self.errors.append(message)


def run_function(
    program: Callable[[], Any],
    config: Optional[dict[str, str]] = None,
    *,
    project: str = "preview",
    stack: str = "preview",
    secret_keys: Optional[set[str]] = None,
) -> PreviewResult:
    """Run ``program`` (a function declaring resources) as a Pulumi program, offline.

    ``config`` maps fully-qualified keys (``<provider>:<key>``, ``<project>:<key>``) to strings;
    ``secret_keys`` names the secret ones. Raises :class:`ProgramError` if the program
    fails; ``KeyboardInterrupt`` and ``SystemExit`` from the program propagate (see the
    module docstring for ``sys.exit(0)``).
    """
    return contextvars.Context().run(
        _run_isolated, program, dict(config or {}), project, stack, set(secret_keys or ()), []
    )


def run_program(
    directory: str | Path,
    stack: Optional[str] = None,
    config: Optional[dict[str, str]] = None,
) -> PreviewResult:
    """Run the Pulumi Python program in ``directory`` (its ``Pulumi.yaml`` + stack config)."""
    loaded = load_project(directory, stack=stack, overrides=config)
    with _program_environment(loaded):
        return contextvars.Context().run(
            _run_isolated,
            lambda: runpy.run_path(str(loaded.main), run_name="__main__"),
            loaded.config,
            loaded.name,
            loaded.stack,
            loaded.secret_keys,
            loaded.notes,
        )


@contextmanager
def _program_environment(project: Project) -> Iterator[None]:
    """cwd and sys.path as `pulumi up` gives them; forget the program's own modules after,
    so two programs with a same-named helper module do not collide (MOCK-ENGINE.md)."""
    directory = str(project.main.parent)
    previous_cwd = os.getcwd()
    previous_path = list(sys.path)
    previous_modules = set(sys.modules)
    sys.path.insert(0, directory)
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        sys.path[:] = previous_path  # also undoes what the program added
        installed = _installed_top_level_names()
        for module_name in set(sys.modules) - previous_modules:
            module_file = getattr(sys.modules[module_name], "__file__", None) or ""
            # Only the program's own modules: not a package installed in the environment,
            # even when it lives below the program (a venv inside the project, or this
            # library's source tree for the root project).
            if (
                module_file.startswith(directory + os.sep)
                and module_name.partition(".")[0] not in installed
                and "site-packages" not in module_file
            ):
                del sys.modules[module_name]


@functools.lru_cache(maxsize=1)
def _installed_top_level_names() -> frozenset[str]:
    return frozenset(importlib.metadata.packages_distributions())


def _run_isolated(
    program: Callable[[], Any],
    config: dict[str, str],
    project: str,
    stack: str,
    secret_keys: set[str],
    notes: list[str],
) -> PreviewResult:
    mocks = PreviewMocks(config)
    monitor = _RecordingMonitor(mocks)
    log = _LogCapture()
    exited_early: list[str] = []

    def body() -> None:
        try:
            program()
        except SystemExit as exc:
            if exc.code is not None and exc.code != 0:
                raise
            exited_early.append("sys.exit()" if exc.code is None else f"sys.exit({exc.code!r})")

    async def preview() -> tuple[dict[str, Any], set[str], set[str], str, str]:
        _sdk.track_outputs_per_run()
        pulumi.runtime.set_mocks(
            monitor.mocks, project=project, stack=stack, preview=True, logger=log, monitor=monitor  # type: ignore[arg-type]
        )
        pulumi.runtime.set_all_config(config, sorted(secret_keys))
        # Let the root stack's registration (queued by set_mocks) start before the program,
        # as when the language host runs one: run_pulumi_func then waits on that RPC while
        # the program's outputs settle, instead of polling hundreds of pending outputs with
        # asyncio.wait (quadratic: +15% on a 38-resource program).
        await asyncio.sleep(0)
        await _sdk.run_pulumi_func(body)
        outputs, secret, unknown = await _resolve_stack_outputs()
        return outputs, secret, unknown, pulumi.get_project(), pulumi.get_stack()

    with warnings.catch_warnings(record=True) as caught, _fewer_collections():
        warnings.simplefilter("always", AnyscaleInfraWarning)
        try:
            outputs, secret_outputs, unknown_outputs, project, stack = _run_to_completion(preview())
        except (KeyboardInterrupt, SystemExit):
            raise  # not a program failure: Ctrl-C, or the program chose its exit code
        except BaseException as exc:  # noqa: BLE001 - reported as ProgramError
            raise _program_error(exc, log) from exc

    advisories = [str(w.message) for w in caught if issubclass(w.category, AnyscaleInfraWarning)]
    all_warnings = list(dict.fromkeys(advisories + log.warnings))
    all_notes = list(notes)
    all_notes += [
        f"the program called {call} before its end: the preview shows what it declared until then"
        for call in exited_early
    ]
    all_notes += [
        f"output {key!r} is unknown in a preview (it depends on a value the mock engine does not "
        "give); `pulumi up` reports it"
        for key in sorted(unknown_outputs)
    ]
    all_notes += [
        f"no preview answer for data source {token}; it returned nothing" for token in dict.fromkeys(mocks.unanswered_invokes)
    ]
    all_notes += list(dict.fromkeys(note for shapes in mocks.shapes.values() for note in shapes.notes))
    return PreviewResult(
        project=project,
        stack=stack,
        resources=sorted(monitor.records.values(), key=lambda r: r.urn),
        outputs=outputs,
        secret_outputs=secret_outputs,
        warnings=all_warnings,
        notes=all_notes,
        generated_values=set(mocks.generated),
        component_outputs=dict(sorted(monitor.component_outputs.items())),
        unknown_outputs=unknown_outputs,
        component_secret_outputs=dict(sorted(monitor.component_secret_outputs.items())),
    )


# One event loop per thread, owned by the engine and reused by its runs (the SDK's monitor
# threads and their loops are reused with it). It is never installed as the thread's
# current loop, so a caller's asyncio state is untouched.
_LOOPS = threading.local()


def _run_to_completion(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` on the engine's loop for this thread. From async code (a notebook,
    an async test), where a loop already runs in this thread and ours cannot, on a loop of
    its own in a helper thread."""
    if not _loop_running_here():
        loop: Optional[asyncio.AbstractEventLoop] = getattr(_LOOPS, "loop", None)
        if loop is None or loop.is_closed():
            loop = _LOOPS.loop = asyncio.new_event_loop()
        return _run_on(loop, coroutine)

    def in_helper() -> _T:
        loop = asyncio.new_event_loop()
        try:
            return _run_on(loop, coroutine)
        finally:
            loop.close()

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="anyscale-infra-preview") as helper:
        return helper.submit(contextvars.copy_context().run, in_helper).result()


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run_on(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, _T]) -> _T:
    try:
        return loop.run_until_complete(coroutine)
    finally:
        _cancel_leftovers(loop)


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    """After an interrupt (or a task nobody awaited), cancel what is left so nothing of
    this run executes during the next one."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if pending:
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The SDK allocates many short-lived futures and handles per resource; with CPython's
    default gen-0 threshold (700) the collector rescans a growing heap again and again, and
    a 10-cloud preview took 1.7x longer than with a larger threshold (benchmarks/run.py)."""
    previous = gc.get_threshold()
    gc.set_threshold(50_000, previous[1], previous[2])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


async def _resolve_stack_outputs() -> tuple[dict[str, Any], set[str], set[str]]:
    """The stack outputs: values, the secret ones, the unknown ones."""
    exported = _sdk.stack_exports(pulumi.runtime.get_root_resource())
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    unknown: set[str] = set()
    for key, value in sorted(exported.items()):
        output = pulumi.Output.from_input(value)
        values[key] = await output.future()
        if await output.is_secret():
            secrets.add(key)
        if not await output.is_known():
            unknown.add(key)
    return values, secrets, unknown


def _program_error(exc: BaseException, log: _LogCapture) -> ProgramError:
    details = "".join(traceback.format_exception(exc))
    root = _root_cause(exc)
    if isinstance(root, InvalidArgsError):
        return ProgramError(str(root), "validation", details, root)
    if isinstance(root, pulumi.ConfigMissingError):
        return ProgramError(
            f"{' '.join(str(root).split())} (set it in Pulumi.<stack>.yaml or pass --config {root.key}=VALUE)",
            "config",
            details,
            root,
        )
    if isinstance(root, pulumi.ConfigTypeError):
        return ProgramError(str(root), "config", details, root)
    if isinstance(root, AnyscaleInfraError):
        return ProgramError(str(root), "config", details, root)
    engine_errors = f" (engine: {'; '.join(log.errors)})" if log.errors else ""
    return ProgramError(f"{type(root).__name__}: {root}{engine_errors}", "program", details, root)


def _root_cause(exc: BaseException) -> BaseException:
    """The first library/config error anywhere in the chain, else the innermost exception.

    Both links are followed: the SDK re-raises RPC failures ``from`` themselves (a cycle)
    and wraps errors raised inside an ``apply`` in a ValueError naming the input."""
    wanted = (AnyscaleInfraError, pulumi.ConfigMissingError, pulumi.ConfigTypeError)
    seen: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if any(current is s for s in seen):
            continue
        if isinstance(current, wanted):
            return current
        seen.append(current)
        pending += [link for link in (current.__cause__, current.__context__) if link is not None]
    return seen[-1]

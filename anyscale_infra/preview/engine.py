"""Run a Pulumi Python program on the SDK's mock engine and record what it would create.

Used by ``anyscale-infra preview``/``check``, by the test-suite and by the benchmarks:
one engine, so what the tests assert is what users see.

How (shared/MOCK-ENGINE.md): ``set_mocks`` with a recording monitor, then the program body
inside ``run_pulumi_func``, awaited with ``_sync_await``. Each run happens in its own
``contextvars`` context, so runs in one process do not share the root stack or config.
Resource options (parent, protect, dependencies, aliases, deletedWith) only exist on the
RegisterResource request, so the monitor records them there.
"""

from __future__ import annotations

import contextvars
import functools
import gc
import importlib.metadata
import json
import os
import runpy
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pulumi
from google.protobuf.json_format import MessageToDict
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.settings import get_project, get_root_resource, get_stack, set_root_resource
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from anyscale_infra.errors import AnyscaleInfraError, AnyscaleInfraWarning, InvalidArgsError
from anyscale_infra.preview.mocks import PreviewMocks
from anyscale_infra.preview.project import Project, load_project

STACK_TYPE = "pulumi:pulumi:Stack"
_SECRET_SIG = (rpc._special_sig_key, rpc._special_secret_sig)


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
    """One resource the program declared, with the options the engine would see."""

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

    @property
    def is_component(self) -> bool:
        return not self.custom

    def to_plan(self, show_secrets: bool = False) -> dict[str, Any]:
        inputs = {
            key: (value if show_secrets or key not in self.secret_inputs else SECRET_MASK)
            for key, value in sorted(self.inputs.items())
        }
        plan: dict[str, Any] = {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "custom": self.custom,
            "inputs": inputs,
            "dependencies": self.dependencies,
        }
        optional = {
            "protect": self.protect,
            "deletedWith": self.deleted_with,
            "aliases": self.aliases,
            "importId": self.import_id,
            "retainOnDelete": self.retain_on_delete,
            "ignoreChanges": self.ignore_changes,
            "read": self.read,
        }
        plan.update({key: value for key, value in optional.items() if value})
        return plan


SECRET_MASK = "[secret]"


@dataclass
class PreviewResult:
    """Everything one preview run recorded."""

    project: str
    stack: str
    resources: list[RecordedResource]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    warnings: list[str]
    notes: list[str]
    generated_values: set[str]
    component_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

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
        """The machine-readable plan: stable across runs, so it can be diffed in review."""
        outputs = {
            key: (value if show_secrets or key not in self.secret_outputs else SECRET_MASK)
            for key, value in sorted(self.outputs.items())
        }
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [r.to_plan(show_secrets) for r in self.resources],
            "outputs": outputs,
            "warnings": self.warnings,
            "notes": self.notes,
        }


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, plus a record of each request and real-engine URNs."""

    def __init__(self, mocks: PreviewMocks):
        super().__init__(mocks)
        self.records: dict[str, RecordedResource] = {}
        self.component_outputs: dict[str, dict[str, Any]] = {}

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
        return "urn:pulumi:" + "::".join([get_stack(), get_project(), qualified, name])

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            return pulumi_mocks.resource_pb2.RegisterResourceResponse(urn=urn)
        pulumi_mocks._ensure_event_loop()
        raw_inputs = rpc.deserialize_properties(request.object)
        inputs, secret_inputs = _unwrap_secrets(raw_inputs)
        args = pulumi_mocks.MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=inputs,
            provider=request.provider,
            resource_id=request.importId,
            custom=request.custom or False,
        )
        args.urn = urn  # type: ignore[attr-defined]  # lets the mocks derive stable ids
        id_, state = self.mocks.new_resource(args)
        obj_proto = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_, state)
        self.records[urn] = RecordedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=_parent(request.parent),
            id=id_ if request.custom else None,
            inputs=inputs,
            outputs=state if request.custom else {},
            secret_inputs=secret_inputs,
            protect=bool(request.protect),
            dependencies=sorted(set(request.dependencies)),
            property_dependencies={
                key: sorted(deps.urns) for key, deps in sorted(request.propertyDependencies.items()) if deps.urns
            },
            deleted_with=request.deletedWith or None,
            aliases=[MessageToDict(a) for a in request.aliases] + list(request.aliasURNs),
            provider=request.provider or None,
            import_id=request.importId or None,
            retain_on_delete=bool(request.retainOnDelete),
            ignore_changes=list(request.ignoreChanges),
        )
        return pulumi_mocks.resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj_proto)

    def ReadResource(self, request: Any) -> Any:
        response = super().ReadResource(request)
        registration = self.resources[response.urn]
        inputs, secret_inputs = _unwrap_secrets(rpc.deserialize_properties(request.properties))
        self.records[response.urn] = RecordedResource(
            urn=response.urn,
            type=request.type,
            name=request.name,
            custom=True,
            parent=_parent(request.parent),
            id=registration.id,
            inputs=inputs,
            outputs=registration.state,
            secret_inputs=secret_inputs,
            read=True,
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        outputs, _ = _unwrap_secrets(rpc.deserialize_properties(request.outputs))
        self.component_outputs[request.urn] = outputs
        return super().RegisterResourceOutputs(request)


def _parent(parent_urn: str) -> Optional[str]:
    if not parent_urn or parent_urn.split("::")[2].split("$")[-1] == STACK_TYPE:
        return None
    return parent_urn


def _unwrap_secrets(props: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Inputs arrive with secrets wrapped; return plain values and the secret keys."""
    secret_keys: list[str] = []

    def unwrap(value: Any) -> tuple[Any, bool]:
        if isinstance(value, dict):
            if value.get(_SECRET_SIG[0]) == _SECRET_SIG[1]:
                inner, _ = unwrap(value.get("value"))
                return inner, True
            items = {k: unwrap(v) for k, v in value.items() if k != rpc._special_sig_key}
            return {k: v for k, (v, _) in items.items()}, any(s for _, s in items.values())
        if isinstance(value, list):
            items = [unwrap(v) for v in value]
            return [v for v, _ in items], any(s for _, s in items)
        if isinstance(value, float) and value.is_integer():
            return int(value), False  # the wire carries every number as a float: 443, not 443.0
        return value, False

    plain: dict[str, Any] = {}
    for key, value in props.items():
        plain[key], secret = unwrap(value)
        if secret:
            secret_keys.append(key)
    return plain, sorted(secret_keys)


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

    ``config`` maps fully-qualified keys (``aws:region``, ``<project>:<key>``) to strings.
    Raises :class:`ProgramError` if the program fails.
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
    previous_modules = set(sys.modules)
    sys.path.insert(0, directory)
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        if sys.path and sys.path[0] == directory:
            sys.path.pop(0)
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
    mocks = PreviewMocks(region=config.get("aws:region"), account_id=_pinned_account(config))
    monitor = _RecordingMonitor(mocks)
    log = _LogCapture()
    set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, logger=log, monitor=monitor)  # type: ignore[arg-type]
    pulumi.runtime.set_all_config(config, list(secret_keys))

    with warnings.catch_warnings(record=True) as caught, _fewer_collections():
        warnings.simplefilter("always", AnyscaleInfraWarning)
        try:
            _sync_await(run_pulumi_func(program))
        except BaseException as exc:  # noqa: BLE001 - reported as ProgramError
            raise _program_error(exc, log) from exc
        outputs, secret_outputs = _sync_await(_resolve_stack_outputs())

    advisories = [str(w.message) for w in caught if issubclass(w.category, AnyscaleInfraWarning)]
    all_warnings = list(dict.fromkeys(advisories + log.warnings))
    all_notes = list(notes) + [
        f"no preview answer for data source {token}; it returned nothing" for token in dict.fromkeys(mocks.unanswered_invokes)
    ]
    return PreviewResult(
        project=get_project() or project,
        stack=get_stack() or stack,
        resources=sorted(monitor.records.values(), key=lambda r: r.urn),
        outputs=outputs,
        secret_outputs=secret_outputs,
        warnings=all_warnings,
        notes=all_notes,
        generated_values=set(mocks.generated),
        component_outputs=dict(sorted(monitor.component_outputs.items())),
    )


def _pinned_account(config: dict[str, str]) -> Optional[str]:
    """The first of the AWS provider's ``allowedAccountIds``, if the program pins one."""
    try:
        allowed = json.loads(config.get("aws:allowedAccountIds", "[]"))
    except ValueError:
        return None
    first = allowed[0] if isinstance(allowed, list) and allowed else None
    return first if isinstance(first, str) and first.isdigit() and len(first) == 12 else None


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


async def _resolve_stack_outputs() -> tuple[dict[str, Any], set[str]]:
    root = get_root_resource()
    exported: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, value in sorted(exported.items()):
        output = pulumi.Output.from_input(value)
        values[key] = await output.future()
        if await output.is_secret():
            secrets.add(key)
    return values, secrets


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

"""Rules over a stack's *outputs*: what `anyscale-infra check` adds to the pack.

CrossGuard never shows a policy the stack outputs (`pulumi preview --policy-pack` passes
resources only), so a rule that compares the exported ``register_command`` with the
resources the program builds cannot run there. The offline runner has both: rules of this
kind (:class:`OutputsPolicy`) run in ``anyscale-infra check`` only.

Cloud-neutral: finding and parsing the register command (or its flag dict) among the
outputs, and telling a value the program builds from one it only references. Each cloud's
rules say which flag names which kind of resource.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import yaml
from pulumi_policy import EnforcementLevel, PolicyConfigSchema, PolicyResource

from anyscale_infra.policy._readers import ident

#: ``anyscale cloud register`` — the command every cloud's register output starts with.
REGISTER_PREFIX = ("anyscale", "cloud", "register")
#: What masks a secret flag value in a message (the External ID).
SECRET_MASK = "[secret]"

FlagValue = Union[str, bool]
Report = Callable[..., None]


@dataclass(frozen=True)
class RegisterCall:
    """One register command the program exports."""

    output: str
    """The stack output it came from (``register_command``, ``register_args``)."""
    flags: dict[str, FlagValue]
    """``--flag`` -> value; ``True`` for a bare flag."""

    def get(self, flag: str) -> Optional[FlagValue]:
        return self.flags.get(flag)

    def values(self, flag: str) -> list[str]:
        """A comma-separated flag as a list (``--subnet-ids a,b`` -> ``[a, b]``)."""
        value = self.flags.get(flag)
        if not isinstance(value, str):
            return []
        return [item.strip() for item in value.split(",") if item.strip()]


def parse_register_command(text: str) -> Optional[dict[str, FlagValue]]:
    """The flags of ``anyscale cloud register ...`` (shell words), or None if ``text`` is not
    one. ``--flag value``, ``--flag=value`` and bare ``--flag`` are understood."""
    try:
        words = shlex.split(text)
    except ValueError:
        return None
    if tuple(words[:3]) != REGISTER_PREFIX:
        return None
    flags: dict[str, FlagValue] = {}
    index = 3
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-"):
            continue  # a stray positional: `cloud register` takes none
        name, equals, value = word.partition("=")
        if equals:
            flags[name] = value
        elif index < len(words) and not words[index].startswith("-"):
            flags[name] = words[index]
            index += 1
        else:
            flags[name] = True
    return flags


#: provider ("AWS", "GCP"...) -> how its resource file reads as register flags. Each cloud's
#: rules register theirs (:func:`resource_file_reader`): the core knows no cloud.
_RESOURCE_FILE_READERS: dict[str, Callable[[Mapping[str, Any]], dict[str, FlagValue]]] = {}


def resource_file_reader(provider: str):  # type: ignore[no-untyped-def]
    """Register how a cloud's ``CloudDeployment`` resource file reads as its register flags."""

    def register(reader: Callable[[Mapping[str, Any]], dict[str, FlagValue]]):  # type: ignore[no-untyped-def]
        _RESOURCE_FILE_READERS[provider.upper()] = reader
        return reader

    return register


def parse_resource_file(text: str) -> Optional[dict[str, FlagValue]]:
    """The register flags a resource file (``CloudDeployment`` YAML) stands for, or None
    if ``text`` is not one of a provider whose reader is registered."""
    if "provider" not in text or "compute_stack" not in text:
        return None  # cheap: most outputs are not YAML documents
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(spec, Mapping) or "compute_stack" not in spec:
        return None
    reader = _RESOURCE_FILE_READERS.get(str(spec.get("provider", "")).upper())
    return None if reader is None else reader(spec)


def register_calls(outputs: Mapping[str, Any]) -> list[RegisterCall]:
    """Every register command among the stack outputs, whatever their keys: a string that
    is ``anyscale cloud register ...``, a flag dict (``{"--provider": "aws", ...}``), or a
    resource file (``CloudDeployment`` YAML)."""
    found: list[RegisterCall] = []
    for key, value in sorted(outputs.items()):
        if isinstance(value, str):
            flags = parse_register_command(value)
            if flags is None:
                flags = parse_resource_file(value)
            if flags is not None:
                found.append(RegisterCall(key, flags))
        elif isinstance(value, Mapping) and "--provider" in value:
            found.append(
                RegisterCall(key, {str(k): (v if v is True else str(v)) for k, v in value.items() if v not in (None, False)})
            )
    return found


_TOKENS = re.compile(r"[\s\"',\[\]{}()]+")


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)


def referenced_values(resources: Iterable[PolicyResource]) -> set[str]:
    """Every string the program's resources carry, and every word inside them (ids and
    ARNs inside a policy document's JSON count): a bring-your-own id that the program
    passes to any resource is *referenced*."""
    found: set[str] = set()
    for resource in resources:
        for leaf in _leaves(dict(resource.props)):
            found.add(leaf)
            found.update(t for t in _TOKENS.split(leaf) if t)
    return found


@dataclass
class OutputsValidationArgs:
    """What an :class:`OutputsPolicy` sees: the stack's resources (with outputs, as stack
    policies see them), its outputs (unmasked: secrets included), and the rule's config."""

    resources: list[PolicyResource]
    outputs: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)
    read_ids: set[str] = field(default_factory=set)
    """Ids of resources the program looked up (``.get``): references to existing ones."""

    def get_config(self) -> dict[str, Any]:
        return self.config

    def register_calls(self) -> list[RegisterCall]:
        return register_calls(self.outputs)

    def referenced(self) -> set[str]:
        return referenced_values(self.resources) | self.read_ids


@dataclass(frozen=True)
class OutputsPolicy:
    """A rule over the stack outputs and the resources together (`anyscale-infra check`
    only). Same fields as a CrossGuard policy, so the runner, SARIF and docs treat it alike."""

    name: str
    description: str
    validate: Callable[[OutputsValidationArgs, Report], Any]
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY
    config_schema: Optional[PolicyConfigSchema] = None


def calls_for(args: OutputsValidationArgs, provider: str) -> list[RegisterCall]:
    """The register commands for one cloud (``--provider``) among the outputs."""
    return [call for call in args.register_calls() if call.get("--provider") == provider]


def each_call(provider: str, check: Callable[[OutputsValidationArgs, RegisterCall, Report], None]):  # type: ignore[no-untyped-def]
    """An :class:`OutputsPolicy` ``validate`` that runs ``check`` on each of one cloud's calls."""

    def validate(args: OutputsValidationArgs, report: Report) -> None:
        for call in calls_for(args, provider):
            check(args, call, report)

    return validate


def where(call: RegisterCall, flag: str) -> str:
    """Where a flag is, for a message: ``register_command: --vpc-id``."""
    return f"{call.output}: {flag}"


class NameJudge:
    """Judges one flag value against the program's resources of one kind: a value naming a
    resource the program builds is that resource; one it references (or looks up with
    ``.get``) is bring-your-own, accepted; one it neither builds nor references, where it
    builds one of that kind, is a mismatch."""

    def __init__(
        self,
        args: OutputsValidationArgs,
        kind: str,
        declared: Iterable[PolicyResource],
        names: Callable[[PolicyResource], Iterable[Optional[str]]],
        referenced: Optional[set[str]] = None,
        shown: Optional[Callable[[PolicyResource], str]] = None,
    ):
        # A resource the program looks up (`.get`) is not one it builds: it is a reference.
        built = [r for r in declared if ident(r) not in args.read_ids]
        self.built: dict[str, PolicyResource] = {}
        for resource in built:
            for name in names(resource):
                if isinstance(name, str) and name:
                    self.built.setdefault(name, resource)
        # The message lists what the program builds: each resource's label, or every name.
        self.shown = sorted({shown(r) for r in built}) if shown else sorted(self.built)
        self.kind = kind
        self.referenced = args.referenced() if referenced is None else referenced

    def judge(self, value: str) -> tuple[Optional[PolicyResource], Optional[str]]:
        """(the built resource, or None) and a problem sentence, or None when accepted."""
        if value in self.built:
            return self.built[value], None
        if value in self.referenced or not self.built:
            return None, None  # bring-your-own: the program references it, or builds none of its kind
        return None, (
            f"names {self.kind} {value}, which the program neither builds nor references "
            f"(it builds {', '.join(self.shown)})"
        )

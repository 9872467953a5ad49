"""Drive the pack's policy objects over recorded resources, without the Pulumi engine.

``evaluate(resources, config=None, outputs=None)`` takes plain records — dicts with
``urn``, ``type``, ``name``, ``props`` (the inputs, camelCase), and optionally ``outputs``
and ``id`` (what stack policies see, as after a deployment), ``parent`` (URN),
``provider``, ``protect``, ``dependencies``, ``read`` (looked up with ``.get``) — and
returns the violations the same :data:`ALL_POLICIES` report under `pulumi preview
--policy-pack policies`: resource policies see inputs, stack policies see outputs. Given
the stack ``outputs`` (unmasked), the :data:`CHECK_ONLY_POLICIES` run too. ``config`` is the pack config (`--policy-pack-config` JSON): ``{policy id: {key:
value, "enforcementLevel": level}}`` or ``{policy id: level}``; each policy's schema
defaults are applied first (the CLI does that; the SDK does not).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Optional

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from anyscale_infra.policy import ALL_POLICIES, CHECK_ONLY_POLICIES, PACK_NAME
from anyscale_infra.policy.outputs import OutputsPolicy, OutputsValidationArgs


@dataclass(frozen=True)
class Violation:
    policy_id: str
    enforcement_level: str  # "mandatory" | "advisory"
    urn: Optional[str]  # None: the stack as a whole
    message: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _settings(policy: Any, config: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """(enforcement level, config) of one policy: schema defaults < user config."""
    given = config.get(policy.name, {})
    if isinstance(given, str):
        given = {"enforcementLevel": given}
    level = given.get("enforcementLevel") or (policy.enforcement_level or EnforcementLevel.ADVISORY).value
    values = {
        key: spec["default"]
        for key, spec in (policy.config_schema.properties if policy.config_schema else {}).items()
        if "default" in spec
    }
    values.update({k: v for k, v in given.items() if k != "enforcementLevel"})
    return str(level), values


def _options(record: Mapping[str, Any]) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=bool(record.get("protect", False)),
        ignore_changes=[],
        delete_before_replace=None,
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=record.get("parent"),
    )


def _stack_resources(records: list[Mapping[str, Any]]) -> list[PolicyResource]:
    built: dict[str, PolicyResource] = {}
    for record in records:
        props = dict(record.get("outputs") or record.get("props") or {})
        if record.get("id"):
            props.setdefault("id", record["id"])
        built[record["urn"]] = PolicyResource(
            record["type"], props, record["urn"], record["name"], _options(record), None, None, [], {}
        )
    for record in records:  # link parents and dependencies once all exist
        resource = built[record["urn"]]
        resource.parent = built.get(record.get("parent") or "")
        resource.dependencies = [built[d] for d in record.get("dependencies", []) if d in built]
    return list(built.values())


def _run(result: Any) -> None:
    if inspect.isawaitable(result):
        asyncio.new_event_loop().run_until_complete(result)  # type: ignore[arg-type]


def evaluate(
    resources: Iterable[Mapping[str, Any]],
    config: Optional[Mapping[str, Any]] = None,
    outputs: Optional[Mapping[str, Any]] = None,
) -> list[Violation]:
    """Every violation of :data:`ALL_POLICIES` in ``resources`` — and, when the stack
    ``outputs`` are given, of :data:`CHECK_ONLY_POLICIES` — in a stable order."""
    records = [r for r in resources if not str(r.get("type", "")).startswith("pulumi:providers:")]
    config = config or {}
    stack = _stack_resources(records)
    found: list[Violation] = []
    policies: list[Any] = [*ALL_POLICIES, *(CHECK_ONLY_POLICIES if outputs is not None else [])]
    read_ids = {str(r["id"]) for r in records if r.get("read") and r.get("id")}
    for policy in policies:
        level, values = _settings(policy, config)
        if level == EnforcementLevel.DISABLED.value:
            continue
        level = EnforcementLevel.MANDATORY.value if level == EnforcementLevel.REMEDIATE.value else level

        def report(message: str, urn: Optional[str] = None, _policy: Any = policy, _level: str = level) -> None:
            found.append(Violation(_policy.name, _level, urn, message, _policy.description))

        if isinstance(policy, ResourceValidationPolicy):
            for record in records:
                args = ResourceValidationArgs(
                    record["type"], dict(record.get("props") or {}), record["urn"], record["name"],
                    _options(record), None, values,
                )
                _run(policy.validate(args, lambda message, urn=None, r=record: report(message, urn or r["urn"])))
        elif isinstance(policy, StackValidationPolicy):
            _run(policy.validate(StackValidationArgs(stack, values), report))
        elif isinstance(policy, OutputsPolicy):
            _run(policy.validate(OutputsValidationArgs(stack, dict(outputs or {}), values, read_ids), report))
    return sorted(found, key=lambda v: (v.policy_id, v.urn or "", v.message))


SARIF_LEVELS = {"mandatory": "error", "advisory": "warning"}


def to_sarif(violations: list[Violation], artifact_uri: str = "Pulumi.yaml") -> dict[str, Any]:
    """SARIF 2.1.0 for code-scanning UIs; each result points at the program's Pulumi.yaml
    and names the resource URN as its logical location."""
    rules = [
        {
            "id": p.name,
            "shortDescription": {"text": p.description},
            "defaultConfiguration": {
                "level": SARIF_LEVELS.get((p.enforcement_level or EnforcementLevel.ADVISORY).value, "warning")
            },
        }
        for p in [*ALL_POLICIES, *CHECK_ONLY_POLICIES]
    ]
    results = [
        {
            "ruleId": v.policy_id,
            "level": SARIF_LEVELS.get(v.enforcement_level, "warning"),
            "message": {"text": v.message},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": artifact_uri}},
                    "logicalLocations": [{"fullyQualifiedName": v.urn or "stack", "kind": "resource"}],
                }
            ],
        }
        for v in violations
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": f"anyscale-infra ({PACK_NAME})", "rules": rules}}, "results": results}],
    }

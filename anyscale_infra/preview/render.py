"""Human output of a preview (rich): resource tree, warnings, outputs, register command."""

from __future__ import annotations

import json
import re
import shlex
from collections import Counter
from typing import Any, Optional

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from anyscale_infra.preview.engine import SECRET_MASK, UNKNOWN_MASK, PreviewResult, RecordedResource

#: Inputs worth a glance in the tree, per property name (camelCase wire names).
KEY_INPUTS = (
    "cidrBlock",
    "availabilityZone",
    "mapPublicIpOnLaunch",
    "serviceName",
    "vpcEndpointType",
    "ipProtocol",
    "fromPort",
    "toPort",
    "cidrIpv4",
    "referencedSecurityGroupId",
    "bucket",
    "encrypted",
    "throughputMode",
    "nodeType",
    "numShards",
    "numReplicasPerShard",
    "tlsEnabled",
    "family",
    "name",
    "policyArn",
    "enableKeyRotation",
)

REGISTER_OUTPUT = "register_command"


def render(result: PreviewResult, console: Console, show_secrets: bool = False) -> None:
    """Print the preview. Secret values (inputs in the tree, stack outputs, the register
    command's external ID) are masked unless ``show_secrets``."""
    console.print(
        Text.assemble(
            ("Offline preview ", "bold"),
            (f"{result.project}/{result.stack}", "bold cyan"),
            (" — Pulumi mock engine: nothing was created, no cloud account was used.", "dim"),
        )
    )
    console.print(_tree(result, show_secrets))
    for warning in result.warnings:
        console.print(Text.assemble(("warning: ", "bold yellow"), warning))
    for note in result.notes:
        console.print(Text.assemble(("note: ", "bold blue"), note))
    if result.outputs:
        console.print(_outputs_table(result, show_secrets))
    command = register_command_text(result, show_secrets)
    if command is not None:
        # Not in a box: soft-wrapped plain text, so a terminal copy gives one clean line.
        console.rule("anyscale cloud register (preview values)", style="green")
        console.print(command, soft_wrap=True, markup=False, highlight=False)
        console.print(
            Text("after `pulumi up`: pulumi stack output register_command --show-secrets", style="dim")
        )
        console.rule(style="green")
    console.print(_summary(result))
    console.print(
        Text(
            "Ids, ARNs, accounts and generated names marked (preview) are placeholders from the "
            "mock engine; `pulumi up` reports the real ones.",
            style="dim",
        )
    )


def _tree(result: PreviewResult, show_secrets: bool = False) -> Tree:
    root = Tree(Text(f"pulumi:pulumi:Stack {result.project}-{result.stack}", style="bold"))

    def add(branch: Tree, parent: Optional[str]) -> None:
        for resource in result.children_of(parent):
            add(branch.add(_label(resource, result, show_secrets)), resource.urn)

    add(root, None)
    return root


def _label(resource: RecordedResource, result: PreviewResult, show_secrets: bool = False) -> Text:
    label = Text()
    if resource.custom:
        label.append(resource.type, style="cyan")
    else:
        label.append(resource.type, style="bold magenta")
    label.append(f"  {resource.name}", style="bold")
    if resource.read:
        label.append("  (read)", style="blue")
    if resource.protect:
        label.append("  protected", style="green")
    secret = set() if show_secrets else set(resource.secret_inputs)
    details = [
        f"{key}={_short(resource.inputs[key], key in secret, key in resource.unknown_inputs)}"
        # A `name` input is one the program chose (auto-names are made by the mocks, in the
        # outputs): worth showing, whatever the provider.
        for key in KEY_INPUTS
        if key in resource.inputs
    ]
    if details:
        label.append("  " + " ".join(details), style="dim")
    if resource.id and resource.id in result.generated_values:
        label.append(f"  id={resource.id} (preview)", style="dim italic")
    return label


def _short(value: Any, secret: bool, unknown: bool = False) -> str:
    if secret:
        return SECRET_MASK
    if unknown:
        return UNKNOWN_MASK
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 48 else text[:45] + "..."


def _outputs_table(result: PreviewResult, show_secrets: bool) -> Table:
    table = Table(title="Stack outputs", show_lines=False, expand=False)
    table.add_column("output", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in sorted(result.outputs.items()):
        if key == REGISTER_OUTPUT and isinstance(value, str):
            shown = Text("(below)", style="dim")
        elif key in result.secret_outputs and not show_secrets:
            shown = Text(f"{SECRET_MASK} (--show-secrets to reveal)", style="yellow")
        elif key in result.unknown_outputs:
            shown = Text(f"{UNKNOWN_MASK} (known after `pulumi up`)", style="dim italic")
        else:
            text = value if isinstance(value, str) else json.dumps(value, indent=1, sort_keys=False)
            shown = Text(text)
            if _mentions_generated(text, result):
                shown.append("  (preview)", style="dim italic")
        table.add_row(key, shown)
    return table


def _mentions_generated(text: str, result: PreviewResult) -> bool:
    tokens = set(re.split(r"[\s,\"':/=\[\]{}]+", text))
    return bool(tokens & result.generated_values)


def register_command_text(result: PreviewResult, show_secrets: bool = False) -> Optional[str]:
    """The register command to show. A secret one (it carries the external ID) is shown with
    only the secret flag's value masked, so the rest stays readable."""
    command = result.outputs.get(REGISTER_OUTPUT)
    if not isinstance(command, str):
        return None
    if show_secrets or REGISTER_OUTPUT not in result.secret_outputs:
        return command
    words = shlex.split(command)
    for index, word in enumerate(words[:-1]):
        if word == "--external-id":
            words[index + 1] = SECRET_MASK
    return shlex.join(words)


def _summary(result: PreviewResult) -> Text:
    custom = [r for r in result.resources if r.custom and not r.read]
    components = [r for r in result.resources if not r.custom]
    by_type = Counter(r.type.split(":")[-1] for r in custom)
    by_component: Counter[str] = Counter()
    parents = {r.urn: r for r in result.resources}
    for resource in custom:
        owner = parents.get(resource.parent or "")
        by_component[f"{owner.type.split(':')[-1]} {owner.name}" if owner else "(stack)"] += 1
    protected = sum(1 for r in custom if r.protect)
    line = Text()
    line.append(
        f"{len(custom)} resources in {len(components)} components ({protected} protected), "
        f"{len(result.warnings)} warning(s)\n",
        style="bold",
    )
    line.append("by type: " + ", ".join(f"{t} {n}" for t, n in sorted(by_type.items())) + "\n")
    line.append("by component: " + ", ".join(f"{c} {n}" for c, n in sorted(by_component.items())))
    return line


def render_error(console: Console, message: str, hint: str = "") -> None:
    console.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
    if hint:
        console.print(Text(hint, style="dim"), soft_wrap=True)


__all__ = ["render", "render_error", "register_command_text"]

"""``anyscale-infra``: look at a Pulumi program offline (``preview``) and check it against
Anyscale's requirements (``check``), with no Pulumi CLI, no credentials and no network.

Exit codes: 0 success; 1 the program failed or ``check`` found a mandatory violation;
2 bad input (usage, stack config, or arguments the library rejects); 130 interrupted
(Ctrl-C); a program's own ``sys.exit(N)`` exits N (``sys.exit(0)`` ends it early with what
it declared so far).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

import click
from rich.console import Console

from anyscale_infra.preview.engine import PreviewResult, ProgramError, run_program
from anyscale_infra.preview.project import ProjectError, parse_overrides
from anyscale_infra.preview.render import render, render_error

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

_program_dir = click.argument(
    "program_dir", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[PROGRAM_DIR]"
)
_stack = click.option("--stack", "-s", help="Stack whose Pulumi.<stack>.yaml to read (default: the only one, else dev).")
_config = click.option(
    "--config", "-c", "config_pairs", multiple=True, metavar="KEY=VALUE",
    help="Config override, as `pulumi config set` (repeatable); KEY without a namespace is the project's.",
)
_debug = click.option("--debug", is_flag=True, help="Show the full traceback when the program fails.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="anyscale-infra")
def main() -> None:
    """Offline preview and policy check of Pulumi programs that build Anyscale clouds."""


@main.command()
@_program_dir
@_stack
@_config
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (stable, diffable).")
@click.option(
    "--show-secrets", is_flag=True,
    help="Show secret values (resource inputs, stack outputs, the external ID) instead of masking them.",
)
@_debug
def preview(
    program_dir: Path, stack: Optional[str], config_pairs: tuple[str, ...], as_json: bool, show_secrets: bool, debug: bool
) -> None:
    """Run PROGRAM_DIR (a Pulumi Python project) on the mock engine and show what it would
    create, its outputs and the `anyscale cloud register` command."""
    result = _run(program_dir, stack, config_pairs, debug)
    try:
        if as_json:
            click.echo(json.dumps(result.to_plan(show_secrets), indent=2, sort_keys=False, default=str))
        else:
            render(result, Console(), show_secrets=show_secrets)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)


@main.command()
@_program_dir
@_stack
@_config
@click.option(
    "--policy-config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="JSON file of policy config ({policy id: {key: value}}), as for `pulumi preview --policy-pack-config`.",
)
@click.option("--json", "as_json", is_flag=True, help="Print violations as JSON.")
@click.option("--sarif", is_flag=True, help="Print violations as SARIF 2.1.0 (code-scanning UIs).")
@_debug
def check(
    program_dir: Path,
    stack: Optional[str],
    config_pairs: tuple[str, ...],
    policy_config: Optional[Path],
    as_json: bool,
    sarif: bool,
    debug: bool,
) -> None:
    """Run PROGRAM_DIR offline and check every resource against the policy pack in
    `policies/` (the same rules `pulumi preview --policy-pack policies` runs), and the
    exported register command against the resources (which only `check` can do)."""
    try:
        from anyscale_infra.policy.runner import evaluate, to_sarif
    except ImportError as exc:
        _fail(f"`check` needs the policy extra ({exc}): pip install 'anyscale-infra[policy]'", EXIT_BAD_INPUT)
    result = _run(program_dir, stack, config_pairs, debug)
    config: Optional[dict[str, Any]] = None
    if policy_config is not None:
        try:
            config = json.loads(policy_config.read_text())
        except json.JSONDecodeError as exc:
            _fail(f"--policy-config {policy_config}: not valid JSON ({exc})", EXIT_BAD_INPUT)
    # The stack outputs too (unmasked, in memory only): the register command is checked
    # against the resources, which `pulumi preview --policy-pack` cannot do.
    try:
        violations = evaluate(policy_records(result), config, outputs=result.outputs)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    mandatory = [v for v in violations if v.enforcement_level == "mandatory"]
    if sarif:
        click.echo(json.dumps(to_sarif(violations, artifact_uri=str(program_dir / "Pulumi.yaml")), indent=2))
    elif as_json:
        click.echo(json.dumps([v.to_dict() for v in violations], indent=2))
    else:
        console = Console()
        for v in violations:
            style = "bold red" if v.enforcement_level == "mandatory" else "bold yellow"
            console.print(f"[{style}]{v.enforcement_level}[/] [bold]{v.policy_id}[/] {v.urn or '(stack)'}")
            console.print(f"    {v.message}", markup=False, highlight=False)
        console.print(
            f"{len(result.resources)} resources checked: {len(mandatory)} mandatory and "
            f"{len(violations) - len(mandatory)} advisory violation(s)"
        )
    if mandatory:
        sys.exit(EXIT_FAILED)


def policy_records(result: PreviewResult) -> list[dict[str, Any]]:
    """Recorded resources in the shape the policy runner takes."""
    return [
        {
            "urn": r.urn,
            "type": r.type,
            "name": r.name,
            "props": r.inputs,
            "outputs": r.outputs,
            "id": r.id,
            "parent": r.parent,
            "provider": r.provider,
            "protect": r.protect,
            "dependencies": r.dependencies,
            "read": r.read,
        }
        for r in result.resources
    ]


#: Ctrl-C: 128 + SIGINT, the shell's convention.
EXIT_INTERRUPTED = 130


def _run(program_dir: Path, stack: Optional[str], config_pairs: tuple[str, ...], debug: bool) -> PreviewResult:
    """Run the program offline. On failure, one clear message and the exit code: 2 bad
    input, 1 the program failed, 130 interrupted (Ctrl-C), or the program's own code when
    it calls ``sys.exit(N)`` (``sys.exit("message")``: 1, as Python does)."""
    try:
        return run_program(program_dir, stack=stack, config=parse_overrides(list(config_pairs)))
    except ProjectError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    except ProgramError as exc:
        if debug:
            click.echo(exc.details, err=True)
        hint = "" if debug else "Run with --debug for the traceback."
        code = EXIT_BAD_INPUT if exc.kind in ("validation", "config") else EXIT_FAILED
        _fail(f"{program_dir}: {exc}", code, hint)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    except SystemExit as exc:
        # `sys.exit(0)` in the program body is a success the engine already handled; what
        # reaches here exited with a code, or exited inside an output callback.
        code = 0 if exc.code is None else exc.code
        if not isinstance(code, int):
            _fail(f"{program_dir}: the program exited: {code}", EXIT_FAILED)
        if code == 0:
            click.echo(f"note: {program_dir}: the program called sys.exit(0) inside an output callback; no plan", err=True)
            sys.exit(0)
        _fail(f"{program_dir}: the program exited with code {code} (sys.exit)", code)


def _fail(message: str, code: int, hint: str = "") -> NoReturn:
    render_error(Console(stderr=True), message, hint)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()

"""Read a Pulumi project's configuration the way the Pulumi CLI does, without it.

The SDK's mock engine reads no files (shared/MOCK-ENGINE.md): ``Pulumi.yaml`` config
defaults, ``Pulumi.<stack>.yaml`` values and ``--config`` overrides are merged here into
the fully-qualified ``<namespace>:<key>`` string map that ``pulumi.runtime.set_all_config``
takes — the same encoding the engine uses (structured values as JSON).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

#: libyaml's loader when present (a Pulumi.yaml is read on every preview), else PyYAML's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from anyscale_infra.errors import AnyscaleInfraError

#: What a ``secure:`` value becomes offline: the ciphertext needs the stack's secrets
#: provider (a cloud KMS or the Pulumi service), which a preview does not have.
PREVIEW_SECRET = "preview-secret-value"


class ProjectError(AnyscaleInfraError):
    """The program directory, its Pulumi.yaml, a stack file or a --config value is unusable."""


@dataclass
class Project:
    """A Pulumi Python program ready to run: where it is and what config it gets."""

    directory: Path
    name: str
    main: Path
    stack: str
    config: dict[str, str] = field(default_factory=dict)
    secret_keys: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def load_project(directory: str | Path, stack: Optional[str] = None, overrides: Optional[dict[str, str]] = None) -> Project:
    root = Path(directory).resolve()
    if not root.is_dir():
        raise ProjectError(f"{directory}: not a directory")
    project_file = _project_file(root)
    document = _read_yaml(project_file)
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise ProjectError(f"{project_file}: a Pulumi project file needs a `name`")
    name = document["name"]
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProjectError(f"{project_file}: runtime is {runtime_name!r}; only Python programs can be previewed")

    main = _main_file(root, document)
    stack_name = stack or _default_stack(root)
    project = Project(directory=root, name=name, main=main, stack=stack_name)

    # Precedence as in the CLI: project defaults < stack file < command line.
    _apply_project_config(project, document.get("config") or {}, project_file)
    stack_file = root / f"Pulumi.{stack_name}.yaml"
    if stack_file.exists():
        stack_doc = _read_yaml(stack_file) or {}
        if not isinstance(stack_doc, dict):
            raise ProjectError(f"{stack_file}: expected a mapping with a `config:` section")
        _apply_stack_config(project, stack_doc.get("config") or {}, stack_file)
    elif stack:
        project.notes.append(f"no {stack_file.name}: stack {stack_name!r} runs with project defaults only")
    for key, value in (overrides or {}).items():
        project.config[_qualify(key, name)] = value
    return project


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """``["key=value", ...]`` from ``--config``; the value may contain ``=``."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ProjectError(f"--config {pair!r}: expected KEY=VALUE (for example aws:region=us-west-2)")
        parsed[key.strip()] = value
    return parsed


def _project_file(root: Path) -> Path:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        if (root / candidate).exists():
            return root / candidate
    raise ProjectError(f"{root}: no Pulumi.yaml here; pass the directory of a Pulumi project")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path}: not valid YAML ({exc})") from None


def _main_file(root: Path, document: dict[str, Any]) -> Path:
    main = root / str(document.get("main") or ".")
    if main.is_dir():
        main = main / "__main__.py"
    if not main.exists():
        raise ProjectError(f"{root}: no program to run ({main.relative_to(root)} is missing)")
    return main


def _default_stack(root: Path) -> str:
    """The only stack file's stack; ``dev`` when there is none; ask when there are several."""
    stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
    if len(stacks) == 1:
        return stacks[0]
    if not stacks:
        return "dev"
    raise ProjectError(f"{root}: several stacks ({', '.join(stacks)}); choose one with --stack")


def _qualify(key: str, project_name: str) -> str:
    return key if ":" in key else f"{project_name}:{key}"


def _encode(value: Any) -> str:
    """Config values reach programs as strings; structured ones as JSON (as the engine does)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _apply_project_config(project: Project, section: Any, source: Path) -> None:
    if not isinstance(section, dict):
        raise ProjectError(f"{source}: `config` must be a mapping")
    for key, spec in section.items():
        full = _qualify(str(key), project.name)
        if isinstance(spec, dict) and ({"type", "default", "value", "description", "secret", "items"} & spec.keys()):
            if spec.get("secret"):
                project.secret_keys.add(full)
            for slot in ("value", "default"):
                if slot in spec:
                    project.config[full] = _encode(spec[slot])
                    break
        else:
            project.config[full] = _encode(spec)


def _apply_stack_config(project: Project, section: Any, source: Path) -> None:
    if not isinstance(section, dict):
        raise ProjectError(f"{source}: `config` must be a mapping")
    for key, value in section.items():
        full = _qualify(str(key), project.name)
        plain, encrypted = _without_ciphertext(value)
        if encrypted:
            # As the CLI: a key with an encrypted value anywhere inside (`pulumi config set
            # --secret --path a.b`) is a secret key; the program gets it as secret config.
            project.secret_keys.add(full)
            project.notes.append(
                f"{full} is encrypted in {source.name}; the preview uses the placeholder {PREVIEW_SECRET!r}"
            )
        project.config[full] = _encode(plain)


def _without_ciphertext(value: Any) -> tuple[Any, bool]:
    """``value`` with each ``{secure: <ciphertext>}`` replaced by :data:`PREVIEW_SECRET`,
    and whether there was one."""
    if isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str):
        return PREVIEW_SECRET, True
    if isinstance(value, dict):
        items = {k: _without_ciphertext(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(found for _, found in items.values())
    if isinstance(value, list):
        pairs = [_without_ciphertext(v) for v in value]
        return [v for v, _ in pairs], any(found for _, found in pairs)
    return value, False

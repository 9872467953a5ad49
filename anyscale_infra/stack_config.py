"""Build a cloud's args model from ``pulumi config``, for the root and example programs.

Cloud-neutral: each cloud names its keys (``anyscale_infra/aws/config.py``, ...) as
``config key -> (args path, reader)``; errors name the config key the user set
(``anyscale-cloud:ingressCidrs``), not the Python field it feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Optional, TypeVar

import pulumi

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel

#: A key's reader: "str", "secret" (a string kept secret by the component), "bool", "int",
#: "object" (JSON: lists and maps).
Readers = Mapping[str, tuple[str, str]]
M = TypeVar("M", bound=ArgsModel)


def _readers(config: pulumi.Config) -> dict[str, Callable[[str], Any]]:
    return {
        "str": config.get,
        "secret": config.get,
        "bool": config.get_bool,
        "int": config.get_int,
        "object": config.get_object,
    }


def args_from_config(
    model: type[M],
    keys: Readers,
    config: Optional[pulumi.Config] = None,
    *,
    defaults: Optional[Mapping[str, Any]] = None,
    default_keys: Optional[Mapping[str, str]] = None,
    key_for_path: Optional[Mapping[str, str]] = None,
) -> M:
    """Read every key of ``keys`` that is set and build ``model``. ``defaults`` (by args
    path) fill what the config leaves unset; ``default_keys`` (by args path) name the
    qualified config key a default is read from (``gcp:project``): blamed when that value is
    bad, and named next to the path's own key when neither is set; ``key_for_path`` names
    the key to blame for a path no single key feeds (a required part whose required field
    comes from one key)."""
    config = config or pulumi.Config()
    readers = _readers(config)
    values: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for key, (path, kind) in keys.items():
        try:
            value = readers[kind](key)
        except (pulumi.ConfigTypeError, ValueError) as exc:
            problems.append(FieldProblem(_qualified(config, key), f"is not a valid {kind}: {exc}"))
            continue
        if value is not None:
            _put(values, path, value)
    # path -> the qualified key to blame: the path's own key, or where its default came from.
    by_path = {path: _qualified(config, key) for key, (path, _) in keys.items()}
    by_path.update({path: _qualified(config, key) for path, key in (key_for_path or {}).items()})
    unset: dict[str, str] = {}  # path -> the other key that could have given it
    for path, value in (defaults or {}).items():
        if _get(values, path) is not None:
            continue
        source = (default_keys or {}).get(path)
        if value is not None:
            _put(values, path, value)
            if source is not None:
                by_path[path] = source
        elif source is not None:
            unset[path] = source
    if problems:
        raise InvalidArgsError("stack config", problems)
    try:
        return model(**values)
    except InvalidArgsError as exc:
        raise InvalidArgsError("stack config", [_as_config_problem(by_path, unset, p) for p in exc.problems]) from None


def _put(values: dict[str, Any], path: str, value: Any) -> None:
    target = values
    *parents, leaf = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def _get(values: Mapping[str, Any], path: str) -> Any:
    target: Any = values
    for part in path.split("."):
        if not isinstance(target, Mapping) or part not in target:
            return None
        target = target[part]
    return target


def _qualified(config: pulumi.Config, key: str) -> str:
    return f"{config.name}:{key}"


def _as_config_problem(by_path: Mapping[str, str], unset: Mapping[str, str], problem: FieldProblem) -> FieldProblem:
    """Name the config key when one field maps to it (``network.vpc_cidr`` -> ``vpcCidr``);
    for a required value neither of its two keys gives, name both."""
    path = problem.field
    while path:
        if path in by_path:
            message = problem.message
            if path == problem.field and path in unset:
                message = f"{message}: set {unset[path]} or {by_path[path]}"
            return FieldProblem(by_path[path], message)
        path = path.rpartition(".")[0]
    return problem

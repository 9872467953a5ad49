"""The base of every cloud's `anyscale cloud register` arguments, as plain values.

Each cloud's model (``anyscale_infra.aws.register.AwsRegisterArgs``, ...) validates its
fields and says which flags they become (:meth:`RegisterArgs.flags`) and which resource
file they make (:meth:`RegisterArgs.resource_file`); this base turns the flags into argv
and one shell-safe command, and the resource file into YAML. No Pulumi and no cloud here.

The resource file is the CLI's ``CloudDeployment`` (``anyscale cloud register --name <n>
--resource-file <file>``, ``anyscale cloud resource create``; schema:
https://docs.anyscale.com/reference/cloud#cloudresource): provider, compute stack,
region, networking mode, object and file storage, and the cloud's own config section.
"""

from __future__ import annotations

import shlex
from typing import Any, Optional, Union

import yaml
from pydantic import field_validator

from anyscale_infra import validation as v
from anyscale_infra.models import ArgsModel

#: libyaml's dumper when present (faster; same output for plain values), else PyYAML's.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: The register command's prefix.
REGISTER_COMMAND = ("anyscale", "cloud", "register")

#: ``CloudDeployment`` enum values (the CLI's NetworkingMode and ComputeStack).
NETWORKING_PUBLIC = "PUBLIC"
NETWORKING_PRIVATE = "PRIVATE"
COMPUTE_STACK_VM = "VM"


#: A flag's value; ``True`` marks a bare flag (``--private-network``).
FlagValue = Union[str, bool]


class RegisterArgs(ArgsModel):
    """Everything one `anyscale cloud register` needs, checked before you run it."""

    name: str
    """Name of the Anyscale cloud (``--name``). Required."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return v.check_cloud_name(value)

    def flags(self) -> dict[str, FlagValue]:
        """The flags in the stable order we print them; ``True`` marks a bare flag."""
        raise NotImplementedError(f"{type(self).__name__} must say which flags its fields become")

    def argv(self) -> list[str]:
        """``["anyscale", "cloud", "register", "--provider", ..., ...]``."""
        args = list(REGISTER_COMMAND)
        for flag, value in self.flags().items():
            args.append(flag)
            if value is not True:
                args.append(str(value))
        return args

    def command(self) -> str:
        """One shell-safe command line (``shlex`` quoting), flags in stable order."""
        return shlex.join(self.argv())

    def resource_file(self) -> dict[str, Any]:
        """The ``CloudDeployment`` these arguments describe, as plain values."""
        raise NotImplementedError(f"{type(self).__name__} must say which resource file its fields make")

    def resource_file_yaml(self) -> str:
        """The resource file as YAML (fields in the CLI's order, empty ones left out)."""
        return yaml.dump(
            _without_empty(self.resource_file()), Dumper=_SafeDumper, sort_keys=False, default_flow_style=False
        )

    def _deployment(
        self,
        *,
        provider: str,
        region: str,
        private_network: bool,
        bucket_name: str,
        file_storage: Optional[dict[str, Any]],
        config_key: str,
        config: dict[str, Any],
        compute_stack: str = COMPUTE_STACK_VM,
    ) -> dict[str, Any]:
        """The fields every cloud's deployment has, in the order of the CLI's model."""
        return {
            "name": getattr(self, "name", None),
            "provider": provider,
            "compute_stack": compute_stack,
            "region": region,
            "networking_mode": NETWORKING_PRIVATE if private_network else NETWORKING_PUBLIC,
            "object_storage": {"bucket_name": bucket_name},
            "file_storage": file_storage,
            config_key: config,
        }


def _without_empty(value: Any) -> Any:
    """Drop None values (and sections left empty) so the YAML says only what is set."""
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in cleaned.items() if v != {}}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value

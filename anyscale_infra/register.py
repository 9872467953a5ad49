"""The base of every cloud's `anyscale cloud register` arguments, as plain values.

Each cloud's model (``anyscale_infra.aws.register.AwsRegisterArgs``, ...) validates its
fields and says which flags they become (:meth:`RegisterArgs.flags`); this base turns the
flags into argv and one shell-safe command. No Pulumi and no cloud here.
"""

from __future__ import annotations

import shlex
from typing import Union

from anyscale_infra.models import ArgsModel

#: The register command's prefix.
REGISTER_COMMAND = ("anyscale", "cloud", "register")

#: A flag's value; ``True`` marks a bare flag (``--private-network``).
FlagValue = Union[str, bool]


class RegisterArgs(ArgsModel):
    """Everything one `anyscale cloud register` needs, checked before you run it."""

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

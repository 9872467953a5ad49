"""How a test asks for the library's own error from a program run on the offline engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyscale_infra.errors import InvalidArgsError
from anyscale_infra.preview.engine import ProgramError


def deploy_error(run: Callable[..., Any], program: Callable[[], Any]) -> InvalidArgsError:
    """The program fails on the library's own error (exit 2 in the CLI), not a crash.
    ``run`` is the ``preview`` or ``gcp_preview`` fixture."""
    with pytest.raises(ProgramError) as info:
        run(program)
    assert info.value.kind == "validation", info.value
    assert isinstance(info.value.cause, InvalidArgsError), repr(info.value.cause)
    return info.value.cause

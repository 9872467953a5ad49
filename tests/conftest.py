"""Shared fixtures: run a program body on the library's own offline engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyscale_infra.preview.engine import PreviewResult, run_function

REGION = "us-west-2"


@pytest.fixture
def preview() -> Callable[..., PreviewResult]:
    """``preview(fn, config=None)``: run ``fn`` as a Pulumi program on the mock engine."""

    def run(fn: Callable[[], Any], config: dict[str, str] | None = None) -> PreviewResult:
        return run_function(fn, config={"aws:region": REGION, **(config or {})})

    return run

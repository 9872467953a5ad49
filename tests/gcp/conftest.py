"""GCP fixtures: run a program body on the library's offline engine in a fixed project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anyscale_infra.preview.engine import PreviewResult, run_function

PROJECT = "acme-ml-prod"
REGION = "us-central1"


@pytest.fixture
def gcp_preview() -> Callable[..., PreviewResult]:
    """``gcp_preview(fn, config=None)``: run ``fn`` as a Pulumi program on the mock engine,
    with ``gcp:project`` = acme-ml-prod and ``gcp:region`` = us-central1."""

    def run(fn: Callable[[], Any], config: dict[str, str] | None = None) -> PreviewResult:
        return run_function(fn, config={"gcp:project": PROJECT, "gcp:region": REGION, **(config or {})})

    return run

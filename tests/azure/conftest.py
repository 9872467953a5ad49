"""Azure fixtures: run a program body on the library's offline engine in eastus2, and give
data sources answers the preview's Azure shapes do not have yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest

from anyscale_infra.preview.engine import PreviewResult, run_function
from anyscale_infra.preview.mocks.azure import AzureShapes

LOCATION = "eastus2"
CONFIG = {"azure-native:location": LOCATION}


def run_azure(fn: Callable[[], Any], config: dict[str, str] | None = None) -> PreviewResult:
    return run_function(fn, config={**CONFIG, **(config or {})})


@pytest.fixture(scope="session")
def azure_preview() -> Callable[..., PreviewResult]:
    """``azure_preview(fn, config=None)``: run ``fn`` as a Pulumi program on the mock engine,
    with ``azure-native:location`` = eastus2 (session-scoped: module fixtures can use it)."""
    return run_azure


@pytest.fixture(scope="session")
def azure_answers() -> Callable[..., Any]:
    """``with azure_answers({token: args -> result}):`` answers those data sources."""
    return invoke_answers


@contextmanager
def invoke_answers(answers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]) -> Iterator[None]:
    """Answer these data sources (token -> args -> camelCase result) during the block, as a
    real provider would; everything else goes to the preview's own Azure shapes."""
    original = AzureShapes.call

    def call(self: AzureShapes, token: str, args: dict[str, Any], provider: Any) -> Any:
        if token in answers:
            return answers[token](args)
        return original(self, token, args, provider)

    with mock.patch.object(AzureShapes, "call", call):
        yield

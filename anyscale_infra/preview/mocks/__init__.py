"""Provider-shaped answers for the offline preview, one module per provider.

The mock engine asks two things: the state of every new resource, and the answer of every
data source. :class:`PreviewMocks` hands each question to the shapes of the resource's (or
invoke's) package — ``aws`` (:mod:`.aws`), ``azure-native`` (:mod:`.azure`), ``gcp`` (:mod:`.gcp`), ``kubernetes`` (:mod:`.kubernetes`), ``random``
(:mod:`.random`) — and every other provider still gets sane deterministic values: its
inputs echoed back and a stable id derived from the URN (``<type>-<12 hex>``). Every value
is derived from the resource's URN, so a plan can be diffed between runs, and every value
made up is recorded in :attr:`PreviewMocks.generated` so the human output can mark it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

import pulumi

from anyscale_infra.preview.mocks._base import Generated, ProviderShapes, fallback_id
from anyscale_infra.preview.mocks.aws import PREVIEW_ACCOUNT_ID, AwsShapes
from anyscale_infra.preview.mocks.azure import AzureShapes
from anyscale_infra.preview.mocks.gcp import GcpShapes
from anyscale_infra.preview.mocks.kubernetes import KubernetesShapes
from anyscale_infra.preview.mocks.random import RandomShapes

#: Each provider package's shapes (package = the first part of its type tokens).
SHAPES: tuple[type[ProviderShapes], ...] = (AwsShapes, AzureShapes, GcpShapes, KubernetesShapes, RandomShapes)

PROVIDER_TYPE_PREFIX = "pulumi:providers:"


def package_of(token: str) -> str:
    """``aws:ec2/vpc:Vpc`` -> ``aws``; ``pulumi:providers:gcp`` -> ``gcp``."""
    if token.startswith(PROVIDER_TYPE_PREFIX):
        return token[len(PROVIDER_TYPE_PREFIX):]
    return token.split(":", 1)[0]


class PreviewMocks(pulumi.runtime.Mocks):
    """Deterministic, provider-shaped answers; remembers every value it made up."""

    def __init__(self, config: Optional[Mapping[str, str]] = None) -> None:
        self._made = Generated()
        self.shapes = {shapes.package: shapes(config or {}, self._made) for shapes in SHAPES}
        self.unanswered_invokes: list[str] = []

    @property
    def generated(self) -> set[str]:
        return self._made.values

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[Optional[str], dict]:
        urn = getattr(args, "urn", None) or f"{args.typ}::{args.name}"
        state: dict[str, Any] = dict(args.inputs)
        shapes = self.shapes.get(package_of(args.typ))
        if args.typ.startswith(PROVIDER_TYPE_PREFIX) and shapes is not None:
            shapes.register_provider(urn, state)
        if args.resource_id:  # `import` / `get`: keep the caller's id.
            return args.resource_id, state
        answer = shapes.new_resource(args.typ, args.name, urn, state, args.provider) if shapes else None
        if answer is not None:
            return answer
        return fallback_id(args.typ, urn, self._made), state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        shapes = self.shapes.get(package_of(args.token))
        answer = shapes.call(args.token, args.args, args.provider) if shapes else None
        if answer is None:
            self.unanswered_invokes.append(args.token)
            return {}
        return answer


__all__ = ["PREVIEW_ACCOUNT_ID", "SHAPES", "PreviewMocks", "ProviderShapes", "package_of"]

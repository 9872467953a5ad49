"""Wiring helpers of the AWS components: the shared ones (:mod:`anyscale_infra._component`)
and AWS's tag rule."""

from __future__ import annotations

from collections.abc import Mapping

from anyscale_infra._component import (  # noqa: F401 - re-exported for the AWS components
    TYPE_PREFIX,
    child,
    emit_advisories,
    fail,
    json_document,
    optional_output,
    stateful,
    type_token,
)


def merge_tags(name: str, user_tags: Mapping[str, str], **resource_tags: str) -> dict[str, str]:
    """One precedence rule (STYLE.md rule 9): ``Name`` < user tags < resource tags."""
    return {"Name": name, **user_tags, **resource_tags}

"""One tag rule for every Azure resource we create (pure: no SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from anyscale_infra.azure import constants as c


def merge_tags(user_tags: Mapping[str, str], cloud_id: Optional[str] = None, **resource_tags: str) -> dict[str, str]:
    """One precedence rule for every Azure resource we create (STYLE.md rule 9): our
    ``managed-by`` tag < the user's tags < the resource's own < ``anyscale-cloud-id`` once
    the cloud id is known."""
    tags = {**c.MANAGED_BY_TAG, **user_tags, **resource_tags}
    if cloud_id is not None:
        tags[c.CLOUD_ID_TAG_KEY] = cloud_id
    return tags

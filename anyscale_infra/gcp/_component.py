"""Wiring helpers of the GCP components: the shared ones (:mod:`anyscale_infra._component`)
and Google Cloud's label rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from anyscale_infra._component import (  # noqa: F401 - re-exported for the GCP components
    TYPE_PREFIX,
    child,
    emit_advisories,
    fail,
    hand_on_depends_on,
    json_document,
    optional_output,
    stateful,
    type_token,
)
from anyscale_infra.gcp import constants as c

#: Every resource we create carries this label, so it can be found and audited.
MANAGED_BY_LABEL = {"managed-by": "anyscale-infra"}


def merge_labels(user_labels: Mapping[str, str], cloud_id: Optional[str] = None, **resource_labels: str) -> dict[str, str]:
    """One precedence rule (STYLE.md rule 9, as AWS tags): our ``managed-by`` label < the
    user's labels < the resource's own < the ``anyscale-cloud-id`` label once the cloud id
    is known. Label values are lowercase: a cloud id ``cld_AbC`` becomes ``cld_abc``."""
    labels = {**MANAGED_BY_LABEL, **user_labels, **resource_labels}
    if cloud_id is not None:
        labels[c.CLOUD_ID_TAG_KEY] = cloud_id.lower()
    return labels

"""The operator identity a Kubernetes register command names, against the program
(``anyscale-infra check`` only: CrossGuard shows a pack no stack outputs).

`anyscale cloud register --compute-stack k8s` records ``--anyscale-operator-iam-identity``
(the resource file's ``kubernetes_config.anyscale_operator_iam_identity``): the identity the
control plane expects the operator to authenticate as. On AWS and GCP it is the same value
the chart's ``global.auth.iamIdentity`` takes (the CLI's helm command passes it on), or the
role the operator's Pod Identity association gives it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from anyscale_infra.kubernetes.register import COMPUTE_STACK_K8S
from anyscale_infra.policy.kubernetes._facts import (
    REGISTER_IDENTITY_FLAG,
    RESOURCE_FILE_IDENTITY,
    identity_keys,
    node_identities,
    operator_identities,
    operator_releases,
)
from anyscale_infra.policy.outputs import OutputsPolicy, OutputsValidationArgs, Report, register_calls, where

#: The providers whose register identity is the chart's iamIdentity (Azure's is the managed
#: identity's principal id, the chart's its client id: not comparable).
_SAME_IDENTITY = ("aws", "gcp")


def k8s_identities(outputs: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(where, provider, identity) of every K8s register command or resource file among the
    outputs that names an operator identity."""
    found: list[tuple[str, str, str]] = []
    for call in register_calls(outputs):
        identity = call.get(REGISTER_IDENTITY_FLAG)
        if str(call.get("--compute-stack") or "").upper() == COMPUTE_STACK_K8S and isinstance(identity, str) and identity:
            found.append((where(call, REGISTER_IDENTITY_FLAG), str(call.get("--provider") or "").lower(), identity))
    for key, value in sorted(outputs.items()):
        if not isinstance(value, str) or "kubernetes_config" not in value or "compute_stack" not in value:
            continue
        try:
            spec = yaml.safe_load(value)
        except yaml.YAMLError:
            continue
        if not isinstance(spec, Mapping) or str(spec.get("compute_stack", "")).upper() != COMPUTE_STACK_K8S:
            continue
        config = spec.get("kubernetes_config")
        identity = config.get(RESOURCE_FILE_IDENTITY) if isinstance(config, Mapping) else None
        if isinstance(identity, str) and identity:
            found.append((f"{key}: kubernetes_config.{RESOURCE_FILE_IDENTITY}", str(spec.get("provider", "")).lower(), identity))
    return found


def _register_identity(args: OutputsValidationArgs, report: Report) -> None:
    named = k8s_identities(args.outputs)
    if not named:
        return
    resources = list(args.resources)
    nodes = node_identities(resources)
    given = [i for release in operator_releases(resources) for i in operator_identities(resources, release)]
    for place, provider, identity in named:
        keys = identity_keys(identity)
        node = next((n for n in nodes if n.keys & keys), None)
        if node is not None:
            report(
                f"{place} is {identity}, {node.where}: registered as the operator's identity, the node's identity "
                "would be the operator's for every pod on those nodes. Register the operator's own role or service account.",
                node.resource.urn,
            )
            continue
        mine = [i for i in given if i.cloud == provider] if provider in _SAME_IDENTITY else []
        if mine and not any(i.keys & keys for i in mine):
            shown = "; ".join(sorted({f"{i.identity} ({i.source})" for i in mine}))
            report(
                f"{place} is {identity}, but the operator the program installs authenticates as {shown}: the control "
                "plane would not recognize it.",
                None,
            )


register_operator_identity = OutputsPolicy(
    name="anyscale-k8s-register-operator-identity",
    description=(
        "The K8s register command's --anyscale-operator-iam-identity (resource file: "
        "kubernetes_config.anyscale_operator_iam_identity) is not a node identity of the program, and on AWS and "
        "GCP it is the identity the operator the program installs authenticates as (its iamIdentity, Pod Identity "
        "role or impersonated service account)."
    ),
    validate=_register_identity,
)

POLICIES = [register_operator_identity]

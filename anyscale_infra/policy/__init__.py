"""Anyscale's requirements as Pulumi CrossGuard policies (install ``[policy]``).

One pack for every cloud: each cloud's rules live in its own folder (``policy/aws/``,
``policy/gcp/``, ``policy/azure/``) and look only at that cloud's resource types (the
Kubernetes rules, ``policy/kubernetes/``, at ``kubernetes:`` types and the EKS/GKE/AKS
resources around the operator); this module assembles them. The same policy
objects serve `pulumi preview --policy-pack policies` (the pack in ``policies/`` only
assembles :data:`ALL_POLICIES`) and ``anyscale-infra check`` (which feeds them the offline
preview's resources through :func:`anyscale_infra.policy.runner.evaluate`).
``anyscale-infra check`` also runs :data:`CHECK_ONLY_POLICIES`: rules over the stack
outputs (the exported register command against the resources), which CrossGuard cannot
run because it shows a pack no outputs. Each rule's ``name`` is its stable id; its
description cites the requirement.

The core (this module, ``runner``, ``outputs``, ``_readers``) knows no cloud: the rules
import no cloud SDK, so the ``[policy]`` extra alone runs the pack.
"""

from anyscale_infra.policy import aws, gcp, kubernetes
from anyscale_infra.policy import azure  # after kubernetes: its readers build on the operator's

PACK_NAME = "anyscale-infra"

ALL_POLICIES = [*aws.POLICIES, *gcp.POLICIES, *kubernetes.POLICIES, *azure.POLICIES]

CHECK_ONLY_POLICIES = [
    *aws.CHECK_ONLY_POLICIES,
    *gcp.CHECK_ONLY_POLICIES,
    *kubernetes.CHECK_ONLY_POLICIES,
    *azure.CHECK_ONLY_POLICIES,
]

__all__ = ["ALL_POLICIES", "CHECK_ONLY_POLICIES", "PACK_NAME"]

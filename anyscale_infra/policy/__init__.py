"""Anyscale's requirements as Pulumi CrossGuard policies (install ``[policy]``).

The same policy objects serve `pulumi preview --policy-pack policies` (the pack in
``policies/`` only assembles :data:`ALL_POLICIES`) and ``anyscale-infra check`` (which feeds
them the offline preview's resources through :func:`anyscale_infra.policy.runner.evaluate`).
``anyscale-infra check`` also runs :data:`CHECK_ONLY_POLICIES`: rules over the stack
outputs (the exported register command against the resources), which CrossGuard cannot
run because it shows a pack no outputs. Each rule's ``name`` is its stable id; its
description cites the requirement.
"""

from anyscale_infra.policy import iam, memorydb, network, register, security_group, storage

PACK_NAME = "anyscale-aws"

ALL_POLICIES = [
    *network.POLICIES,
    *security_group.POLICIES,
    *storage.POLICIES,
    *memorydb.POLICIES,
    *iam.POLICIES,
]

CHECK_ONLY_POLICIES = [*register.POLICIES]

__all__ = ["ALL_POLICIES", "CHECK_ONLY_POLICIES", "PACK_NAME"]

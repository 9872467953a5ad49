"""Anyscale's requirements on AWS as Pulumi CrossGuard policies (install ``[policy]``).

The same policy objects serve `pulumi preview --policy-pack policies` (the pack in
``policies/`` only assembles :data:`ALL_POLICIES`) and ``anyscale-infra check`` (which feeds
them the offline preview's resources through :func:`anyscale_infra.policy.runner.evaluate`).
Each rule's ``name`` is its stable id; its description cites the requirement.
"""

from anyscale_infra.policy import iam, memorydb, network, security_group, storage

PACK_NAME = "anyscale-aws"

ALL_POLICIES = [
    *network.POLICIES,
    *security_group.POLICIES,
    *storage.POLICIES,
    *memorydb.POLICIES,
    *iam.POLICIES,
]

__all__ = ["ALL_POLICIES", "PACK_NAME"]

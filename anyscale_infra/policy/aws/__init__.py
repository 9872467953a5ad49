"""Anyscale's requirements on AWS as CrossGuard policies: seed 004 and the checks of
`anyscale cloud register --provider aws` (``anyscale/cloud_resource.py``), at the levels
it gives them. Each rule looks only at ``aws:`` resource types.

:data:`POLICIES` go in the pack (CrossGuard runs them); :data:`CHECK_ONLY_POLICIES` need
the stack outputs (the exported register command), so only ``anyscale-infra check`` runs
them.
"""

from anyscale_infra.policy.aws import iam, memorydb, network, register, security_group, storage

POLICIES = [
    *network.POLICIES,
    *security_group.POLICIES,
    *storage.POLICIES,
    *memorydb.POLICIES,
    *iam.POLICIES,
]

CHECK_ONLY_POLICIES = [*register.POLICIES]

"""Anyscale's requirements on Google Cloud as CrossGuard policies: the checks of `anyscale
cloud register --provider gcp` (``anyscale/gcp_verification.py``), at the levels it gives
them (an error is mandatory, a warning or a prompt advisory), and the security rules of
issue 11 (nothing public, SSH not open to the world, workload identity not open), which
are mandatory. Each rule looks only at ``gcp:`` resource types.

:data:`POLICIES` go in the pack; :data:`CHECK_ONLY_POLICIES` (rules over the exported
register command against the resources) run in `anyscale-infra check` only.
"""

from anyscale_infra.policy.gcp import filestore, firewall, identity, memorystore, network, register, storage

POLICIES = [
    *network.POLICIES,
    *firewall.POLICIES,
    *storage.POLICIES,
    *filestore.POLICIES,
    *memorystore.POLICIES,
    *identity.POLICIES,
]

CHECK_ONLY_POLICIES = [*register.POLICIES]

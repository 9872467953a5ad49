"""Anyscale's requirements on Azure as CrossGuard policies: nothing of the cloud's storage is
public and it takes TLS 1.2+ over HTTPS only; the operator's managed identity is federated
with its service account alone (AKS workload identity, on for the cluster) and holds blob data
on the storage account only (seed 003). All mandatory. Each rule looks only at
``azure-native:`` resource types (pulumi-azure-native 3) and the operator around them (the
``Anyscale.AKS.Operator`` extension or the ``anyscale-operator`` release), so a program with
nothing Azure in it is never judged. Azure's L4 ingress requirement (no Application Gateway)
is ``anyscale-k8s-ingress-l4``'s (seed 000, every cloud).

:data:`POLICIES` go in the pack; there is no check-only Azure rule (registration is native,
``Anyscale.Platform`` resources in the program, not a CLI command in the outputs).
"""

from anyscale_infra.policy.azure import aks, identity, storage

POLICIES = [*storage.POLICIES, *identity.POLICIES, *aks.POLICIES]

CHECK_ONLY_POLICIES: list = []

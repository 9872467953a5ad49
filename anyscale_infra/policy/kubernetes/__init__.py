"""Anyscale's requirements on Kubernetes as CrossGuard policies: seed 000 (clients reach head
nodes through an L4 load balancer; the operator manages the routing), the operator chart's
own requirements, and the operator's cloud identity (its own, by workload identity). All
mandatory. The rules look at ``kubernetes:`` resource types and, for the operator's
identity, at the EKS and GKE resources around it (``aws:eks/*``, ``aws:iam/role:Role``,
``gcp:container/*``, service-account IAM); a program with no ``anyscale-operator`` release
and no Kubernetes ingress resources is never judged by them.

:data:`POLICIES` go in the pack; :data:`CHECK_ONLY_POLICIES` (the register command's
operator identity against the program) run in `anyscale-infra check` only.
"""

from anyscale_infra.policy.kubernetes import identity, ingress, operator, register

POLICIES = [*ingress.POLICIES, *operator.POLICIES, *identity.POLICIES]

CHECK_ONLY_POLICIES = [*register.POLICIES]

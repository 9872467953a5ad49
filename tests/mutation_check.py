"""Do the tests notice when behaviour changes? Apply each mutation below to a copy of the
library, run the tests that guard it, and require them to FAIL.

    .venv/bin/python tests/mutation_check.py [--only NAME]

Each mutation is a small, plausible slip (a limit moved by one, a list cut short, a branch
inverted) written as an exact source edit: if an edit no longer applies because the code
changed, the script says so and fails — update the mutation, do not drop it. The copy lives
in a temporary directory (the working tree is never touched) and is imported first through
PYTHONPATH. Exit 0 when every mutation is killed. Not a pytest test (it runs pytest many
times): CI runs it after the suite (.ci/run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("anyscale_infra", "tests", "examples", "docs", "policies", "benchmarks", "Pulumi.yaml", "Pulumi.preview.yaml",
          "__main__.py", "pyproject.toml")


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


M = Mutation
MUTATIONS = [
    # --- register arguments (issue 10: "passing only the first of several security groups")
    M("register: only the first security group", "anyscale_infra/aws/register.py",
      '"--security-group-ids": ",".join(self.security_group_ids)', '"--security-group-ids": ",".join(self.security_group_ids[:1])',
      ("tests/test_register.py",)),
    M("register: security groups reordered", "anyscale_infra/aws/register.py",
      '"--security-group-ids": ",".join(self.security_group_ids)', '"--security-group-ids": ",".join(sorted(self.security_group_ids))',
      ("tests/test_register.py",)),
    M("register: only the first subnet", "anyscale_infra/aws/register.py",
      '"--subnet-ids": ",".join(self.subnet_ids)', '"--subnet-ids": ",".join(self.subnet_ids[:1])',
      ("tests/test_register.py",)),
    M("register: private network flag dropped", "anyscale_infra/aws/register.py",
      'flags["--private-network"] = True', 'pass',
      ("tests/test_register.py",)),
    # --- limits moved by one, in the one place they live
    M("limit: VPC /24 -> /25", "anyscale_infra/aws/constants.py", "MIN_VPC_PREFIX_LENGTH: Final = 24", "MIN_VPC_PREFIX_LENGTH: Final = 25",
      ("tests/test_validation.py", "tests/policy/test_iam_rules.py")),
    M("limit: VPC /24 -> /23", "anyscale_infra/aws/constants.py", "MIN_VPC_PREFIX_LENGTH: Final = 24", "MIN_VPC_PREFIX_LENGTH: Final = 23",
      ("tests/test_validation.py", "tests/policy/test_iam_rules.py")),
    M("limit: subnet /28 -> /29", "anyscale_infra/aws/constants.py", "MIN_SUBNET_PREFIX_LENGTH: Final = 28", "MIN_SUBNET_PREFIX_LENGTH: Final = 29",
      ("tests/test_validation.py", "tests/policy/test_iam_rules.py")),
    M("limit: recommended VPC /20 -> /21", "anyscale_infra/aws/constants.py", "RECOMMENDED_VPC_PREFIX_LENGTH: Final = 20",
      "RECOMMENDED_VPC_PREFIX_LENGTH: Final = 21", ("tests/policy/test_iam_rules.py", "tests/aws/test_network.py")),
    M("limit: recommended subnet /24 -> /23", "anyscale_infra/aws/constants.py", "RECOMMENDED_SUBNET_PREFIX_LENGTH: Final = 24",
      "RECOMMENDED_SUBNET_PREFIX_LENGTH: Final = 23", ("tests/policy/test_iam_rules.py",)),
    M("limit: size check off by one", "anyscale_infra/validation.py", "if network.prefixlen > max_prefix_length:",
      "if network.prefixlen >= max_prefix_length:", ("tests/test_validation.py", "tests/policy/test_iam_rules.py")),
    M("limit: MemoryDB replicas >= 1 -> > 1", "anyscale_infra/policy/aws/memorydb.py", "replicas < c.MIN_MEMORYDB_REPLICAS_PER_SHARD",
      "replicas <= c.MIN_MEMORYDB_REPLICAS_PER_SHARD", ("tests/policy/test_iam_rules.py",)),
    # --- rules that stop reading something
    M("rule: IPv6 rule ranges ignored", "anyscale_infra/policy/aws/_facts.py",
      'cidrs=tuple(c for c in (get(p, "cidrIpv4"), get(p, "cidrIpv6")) if c)', 'cidrs=tuple(c for c in (get(p, "cidrIpv4"),) if c)',
      ("tests/policy/test_iam_rules.py",)),
    M("rule: world means 0.0.0.0/0 only", "anyscale_infra/validation.py",
      "return ipaddress.ip_network(cidr, strict=False).prefixlen == 0", 'return cidr == "0.0.0.0/0"',
      ("tests/policy/test_iam_rules.py",)),
    M("rule: any condition taken for an External ID", "anyscale_infra/policy/aws/iam.py",
      "    if without.allowed:\n", '    if without.allowed and not any(s.get("Condition") for s in trust.document["Statement"]):\n',
      ("tests/policy/test_iam_rules.py",)),
    M("rule: a wrong External ID accepted", "anyscale_infra/policy/aws/iam.py", "    elif wrong is not None:", "    elif False:",
      ("tests/policy/test_iam_rules.py",)),
    M("rule: an Allow counted as the TLS Deny", "anyscale_infra/policy/aws/storage.py",
      "if evaluation.decision is not Decision.EXPLICIT_DENY:", "if evaluation.decision is Decision.IMPLICIT_DENY:",
      ("tests/policy/test_iam_rules.py",)),
    M("rule: one of the two KMS actions", "anyscale_infra/policy/aws/storage.py", "for action in c.KMS_ROLE_ACTIONS:",
      "for action in c.KMS_ROLE_ACTIONS[:1]:", ("tests/policy/test_iam_rules.py",)),
    M("rule: scoping judged on the first policy only", "anyscale_infra/policy/aws/_iam.py",
      "            identity=self.identity,", "            identity=self.identity[:1],", ("tests/policy/test_iam_rules.py",)),
    M("rule: untagged instances not probed", "anyscale_infra/policy/aws/iam.py",
      '(("another cloud\'s", q.OTHER_CLOUD_ID), ("an untagged", None))', '(("another cloud\'s", q.OTHER_CLOUD_ID),)',
      ("tests/policy/test_iam_rules.py",)),
    M("rule: other principals not probed", "anyscale_infra/policy/aws/iam.py", "                    admitted.append(", "                    (",
      ("tests/policy/test_iam_rules.py",)),
    M("rule: register values never judged", "anyscale_infra/policy/outputs.py",
      "        if value in self.built:\n", "        if True:\n            return None, None\n        if value in self.built:\n",
      ("tests/policy/test_register_rules.py",)),
    M("gcp rule: register values never judged", "anyscale_infra/policy/outputs.py",
      "        if value in self.built:\n", "        if True:\n            return None, None\n        if value in self.built:\n",
      ("tests/policy/test_gcp_register_rules.py",)),
    M("gcp: DIRECT_PEERING accepted on a shared VPC", "anyscale_infra/gcp/private_service.py",
      "    if shared_vpc and connect_mode is ConnectMode.DIRECT_PEERING:", "    if False:",
      ("tests/gcp/test_gcp_filestore.py", "tests/gcp/test_gcp_memorystore.py", "tests/gcp/test_gcp_cloud.py")),
    # --- the evaluator
    M("evaluator: explicit Deny does not win", "anyscale_infra/aws/iam_evaluator.py",
      "    if denies:\n        return Evaluation(Decision.EXPLICIT_DENY", "    if False:\n        return Evaluation(Decision.EXPLICIT_DENY",
      ("tests/aws/test_iam_evaluator.py",)),
    # --- Google Cloud
    M("gcp: the WIF condition admits longer role names (the anchor's slip)", "anyscale_infra/gcp/roles.py",
      "return f'attribute.aws_role == \"{role}\" && google.subject.startsWith(\"{role}/\")'",
      "return f'google.subject.startsWith(\"{role}\")'", ("tests/gcp/test_gcp_roles.py",)),
    M("gcp: Memorystore with TLS", "anyscale_infra/gcp/memorystore.py", "transit_encryption_mode=c.MEMORYSTORE_TRANSIT_ENCRYPTION,",
      'transit_encryption_mode="SERVER_AUTHENTICATION",', ("tests/gcp/test_gcp_memorystore.py",)),
    M("gcp: bucket public access prevention inherited", "anyscale_infra/gcp/storage.py",
      "public_access_prevention=c.PUBLIC_ACCESS_PREVENTION_ENFORCED,", 'public_access_prevention="inherited",',
      ("tests/gcp/test_gcp_storage.py",)),
    M("gcp: subnet limit /24 -> /25", "anyscale_infra/gcp/constants.py", "MIN_SUBNET_PREFIX_LENGTH: Final = 24",
      "MIN_SUBNET_PREFIX_LENGTH: Final = 25", ("tests/gcp/test_gcp_validation.py", "tests/policy/test_gcp_rules.py")),
    M("gcp: a provider name with the project id accepted", "anyscale_infra/gcp/register.py",
      "if not PROVIDER_NAME.match(value) or not CLI_PROVIDER_NAME.search(value):", "if False:",
      ("tests/gcp/test_gcp_register.py",)),
    M("gcp rule: Memorystore TLS not judged", "anyscale_infra/policy/gcp/memorystore.py",
      "    if mode != c.MEMORYSTORE_TRANSIT_ENCRYPTION:\n", "    if False:\n", ("tests/policy/test_gcp_rules.py",)),
    # --- errors: bad input is exit 2 with the field, never a crash
    M("errors: a component's validation error becomes RuntimeError", "anyscale_infra/_component.py",
      "    return InvalidArgsError(model, [FieldProblem(field, message)])", "    return RuntimeError(f\"{field}: {message}\")",
      ("tests/test_bad_input.py", "tests/aws")),
    # --- Kubernetes (issue 12): the operator's values, the L4 load balancer, the contract
    M("k8s: workloads run as the namespace's default account", "anyscale_infra/kubernetes/values.py",
      'workloads: dict[str, Any] = {"serviceAccount": {"name": args.workloads_service_account}}', 'workloads: dict[str, Any] = {}',
      ("tests/kubernetes/test_values.py",)),
    M("k8s: the region emitted as the dropped global.gcp.region", "anyscale_infra/kubernetes/values.py",
      'global_["aws"] = {"region": args.aws_region}', 'global_["gcp"] = {"region": args.aws_region}',
      ("tests/kubernetes/test_values.py",)),
    M("k8s: an internal AWS load balancer made internet-facing", "anyscale_infra/kubernetes/load_balancer.py",
      "c.AWS_LB_SCHEME: c.AWS_LB_INTERNET_FACING if public else c.AWS_LB_INTERNAL,", "c.AWS_LB_SCHEME: c.AWS_LB_INTERNET_FACING,",
      ("tests/kubernetes/test_operator.py", "tests/kubernetes/test_values.py")),
    M("k8s: an internal AWS load balancer without the in-tree controller's annotation", "anyscale_infra/kubernetes/load_balancer.py",
      '            annotations[c.AWS_LB_INTERNAL_ANNOTATION] = "true"', "            pass",
      ("tests/kubernetes/test_operator.py", "tests/kubernetes/test_values.py")),
    M("k8s: GPU pools without the accelerator taint", "anyscale_infra/kubernetes/node_pools.py",
      "Taint(c.ACCELERATOR_TYPE_LABEL, c.ACCELERATOR_GPU), *taints]", "*taints]",
      ("tests/kubernetes/test_node_pools.py",)),
    M("k8s: the release planned without a cloud deployment id", "anyscale_infra/kubernetes/operator.py",
      "self.release_planned = args.cloud_deployment_id is not None and args.install_operator is not False",
      "self.release_planned = True",
      ("tests/kubernetes/test_operator.py",)),
    M("eks: the operator's IRSA trust admits the whole namespace", "anyscale_infra/aws/policies.py",
      'f"{path}:sub": kc.SERVICE_ACCOUNT_SUBJECT.format(namespace=namespace, service_account=service_account),',
      'f"{path}:sub": f"system:serviceaccount:{namespace}:*",',
      ("tests/aws/test_eks_policies.py", "tests/aws/test_eks_operator_identity.py")),
    M("gke: the Workload Identity member names the namespace's default account", "anyscale_infra/gcp/operator_identity.py",
      'return f"serviceAccount:{pool}[{namespace}/{kubernetes_service_account}]"', 'return f"serviceAccount:{pool}[{namespace}/default]"',
      ("tests/gcp/test_gke_operator_identity.py",)),
    M("gke: a node pool without GKE_METADATA", "anyscale_infra/gcp/gke.py",
      '"workload_metadata_config": {"mode": c.GKE_METADATA_MODE},', '"workload_metadata_config": {"mode": "GCE_METADATA"},',
      ("tests/gcp/test_gke_cluster.py",)),
    M("k8s rule: a Classic ELB accepted as L4", "anyscale_infra/policy/kubernetes/ingress.py",
      "    if not isinstance(kind, str) or kind in c.AWS_NLB_TYPES:\n", "    if True:\n",
      ("tests/policy/test_k8s_rules.py",)),
    M("k8s: the gateway never listens for HTTPS", "anyscale_infra/kubernetes/ingress.py",
      "    if cloud_deployment_id is None:\n        return DEFAULT_LISTENERS\n", "    if True:\n        return DEFAULT_LISTENERS\n",
      ("tests/kubernetes/test_operator.py",)),
    M("k8s: the certificate secret keeps the id's underscore", "anyscale_infra/kubernetes/ingress.py",
      'deployment=cloud_deployment_id.replace("_", "-")', "deployment=cloud_deployment_id",
      ("tests/kubernetes/test_operator.py",)),
    M("azure: the federated credential's audience is the ARM one", "anyscale_infra/azure/identity.py",
      "            audiences=[c.FEDERATED_CREDENTIAL_AUDIENCE],", '            audiences=["https://management.azure.com/"],',
      ("tests/azure/test_azure_identity.py", "tests/azure/test_azure_cloud.py")),
    M("azure: blob public access allowed", "anyscale_infra/azure/storage.py",
      "            allow_blob_public_access=False,", "            allow_blob_public_access=True,",
      ("tests/azure/test_azure_storage.py",)),
    M("azure: the extension names the identity by its type check removed", "anyscale_infra/azure/registration.py",
      'iam_identity=str(require(client_id, ClientId, "global.auth.iamIdentity")),', "iam_identity=str(client_id),",
      ("tests/azure/test_azure_registration.py",)),
    M("azure rule: a blob role on the resource group passes", "anyscale_infra/azure/constants.py",
      'STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID: Final = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"',
      'STORAGE_BLOB_DATA_CONTRIBUTOR_ROLE_ID: Final = "00000000-2d11-453d-a403-e96b0029c9fe"',
      ("tests/policy/test_azure_rules.py", "tests/azure/test_azure_cloud.py")),
    M("aws rule: an EKS node role judged as a VM instance role", "anyscale_infra/policy/aws/_iam.py",
      "        if view.trust is None or view.eks_node:\n", "        if view.trust is None:\n",
      ("tests/policy/test_aws_rules_on_kubernetes.py",)),
    M("aws rule: the operator's role not judged for bucket access", "anyscale_infra/policy/aws/storage.py",
      "            self._roles = anyscale + nodes + operators\n", "            self._roles = anyscale + nodes\n",
      ("tests/policy/test_aws_rules_on_kubernetes.py",)),
]


def _copy(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".venv", "venv"))
        elif source.exists():
            shutil.copy2(source, target / name)


def run(mutation: Mutation, workdir: Path) -> tuple[str, float]:
    path = workdir / mutation.file
    original = path.read_text()
    if original.count(mutation.old) != 1:
        return f"STALE (the edit matches {original.count(mutation.old)} places in {mutation.file}; update it)", 0.0
    path.write_text(original.replace(mutation.old, mutation.new))
    env = {**os.environ, "PYTHONPATH": str(workdir), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutation.tests],
            cwd=workdir, env=env, capture_output=True, text=True, timeout=900,
        )
    finally:
        path.write_text(original)
    elapsed = time.perf_counter() - start
    if done.returncode == 1:
        return "killed", elapsed
    if done.returncode == 0:
        return "SURVIVED", elapsed
    return f"ERROR (pytest exit {done.returncode}: {done.stdout[-300:]}{done.stderr[-300:]})", elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run the mutations whose name contains this text")
    chosen = [m for m in MUTATIONS if not parser.parse_args().only or parser.parse_args().only in m.name]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="anyscale-infra-mutants-") as tmp:
        workdir = Path(tmp)
        _copy(workdir)
        for mutation in chosen:
            verdict, seconds = run(mutation, workdir)
            failed += verdict != "killed"
            print(f"{verdict:<9} {seconds:5.1f}s  {mutation.name}", flush=True)
    print(f"{len(chosen) - failed}/{len(chosen)} mutations killed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Import isolation: each cloud's components load only their own cloud's SDK, and the core
(the package, the offline preview, the policy runner) loads no provider SDK at all.

Each import runs in a fresh interpreter (``python -c``): in this process other tests have
long since imported every SDK. The timings of these imports are in benchmarks/run.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The Pulumi provider SDKs a cloud's components may not pull in for another cloud.
AWS_SDKS = {"pulumi_aws"}
GCP_SDKS = {"pulumi_gcp"}
K8S_SDKS = {"pulumi_kubernetes"}
AZURE_SDKS = {"pulumi_azure_native"}
OTHER_SDKS = {"pulumi_azure_native", "pulumi_azure", *K8S_SDKS}

PROBE = """
import json, sys
{statement}
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules if m.startswith('pulumi_')}})))
"""


def loaded_sdks(statement: str) -> set[str]:
    """The top-level ``pulumi_*`` packages loaded by ``statement`` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("statement", "own", "foreign"),
    [
        ("from anyscale_infra.aws import AnyscaleAwsCloud", AWS_SDKS, GCP_SDKS | OTHER_SDKS),
        ("from anyscale_infra.gcp import AnyscaleGcpCloud", GCP_SDKS, AWS_SDKS | OTHER_SDKS),
        # The operator is cloud-neutral: any cluster, no cloud SDK (identity checks are pure).
        (
            "from anyscale_infra.kubernetes import AnyscaleOperator, AnyscaleOperatorArgs; "
            "AnyscaleOperatorArgs(cloud_provider='aws', iam_identity='arn:aws:iam::210987654321:role/op', aws_region='us-west-2')",
            K8S_SDKS,
            AWS_SDKS | GCP_SDKS | {"pulumi_azure_native", "pulumi_azure"},
        ),
        # Azure: azure-native (only the modules used) and, for the in-cluster parts, kubernetes.
        ("from anyscale_infra.azure import AnyscaleAzureCloud", AZURE_SDKS, AWS_SDKS | GCP_SDKS | {"pulumi_azure"}),
    ],
    ids=["aws", "gcp", "kubernetes", "azure"],
)
def test_a_clouds_components_load_only_its_own_sdk(statement, own, foreign):
    loaded = loaded_sdks(statement)
    assert own <= loaded, f"{statement!r} did not load {sorted(own)}: the probe would prove nothing"
    assert not loaded & foreign, f"{statement!r} loaded {sorted(loaded & foreign)}"


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        ("import anyscale_infra", set()),
        # The packages themselves: their component classes load on first use (PEP 562).
        ("import anyscale_infra.aws, anyscale_infra.gcp, anyscale_infra.kubernetes, anyscale_infra.azure", set()),
        # The pure Kubernetes modules (values, node pools, register, load balancer) load no SDK.
        (
            "import anyscale_infra.kubernetes.values, anyscale_infra.kubernetes.node_pools, "
            "anyscale_infra.kubernetes.register, anyscale_infra.kubernetes.load_balancer, "
            "anyscale_infra.azure.ids, anyscale_infra.azure.register, anyscale_infra.azure.validation",
            set(),
        ),
        ("import anyscale_infra.preview", set()),
        ("import anyscale_infra.policy.runner", {"pulumi_policy"}),  # the [policy] extra, no provider
    ],
    ids=["package", "cloud-packages", "kubernetes-pure", "preview", "policy-runner"],
)
def test_the_core_loads_no_provider_sdk(statement, allowed):
    assert loaded_sdks(statement) - allowed == set()

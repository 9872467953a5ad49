"""Benchmarks of the offline preview, printed as ratios measured in one run.

    .venv/bin/python benchmarks/run.py [--repeat 5]

1. preview of examples/aws-direct vs benchmarks/bare_aws_direct (the same 38 resources
   written directly with pulumi_aws)                               goal <= 1.2x
2. one program with 10 clouds vs 1 cloud                            goal <= 10.5x (linear)
3. `from anyscale_infra.aws import AnyscaleAwsCloud` vs `import pulumi_aws` (fresh interpreters), and the check
   that importing the AWS part loads no GCP/Azure/Kubernetes SDK   goal ~= 1.0x
4. peak memory of the 10-cloud preview (fresh interpreter)

Times are the fastest of --repeat runs after one warm-up run (in-process previews), or of
--repeat fresh interpreters (imports): as with `timeit`, the minimum is the measurement
least disturbed by the machine's other work (2 cores shared with the SDK's threads). A script, not a test: timing asserts in unit tests
are flaky; the goals are printed next to the figures and the exit code says if one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from anyscale_infra.preview import run_function, run_program  # noqa: E402

FOREIGN_SDKS = ("pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes", "pulumi_azure")
#: What a user's program does: the components load on first use (anyscale_infra/aws/__init__.py).
AWS_COMPONENTS_IMPORT = "from anyscale_infra.aws import AnyscaleAwsCloud"


def best_seconds(action: Callable[[], object], repeat: int) -> float:
    action()  # warm-up: imports and first-call caches are not what we compare
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return min(samples)


def clouds_program(count: int) -> Callable[[], None]:
    def program() -> None:
        import pulumi

        from anyscale_infra.aws import AnyscaleAwsCloud, AnyscaleAwsCloudArgs, AnyscaleSecurityGroupArgs

        for index in range(count):
            cloud = AnyscaleAwsCloud(
                f"cloud{index}",
                AnyscaleAwsCloudArgs(
                    cloud_name=f"bench-{index}",
                    org_id="org_previewOnly0000000000",
                    security_group=AnyscaleSecurityGroupArgs(ingress_cidr_blocks=["203.0.113.0/24"]),
                ),
            )
            pulumi.export(f"register_command_{index}", cloud.register_command)

    return program


def plain_vpcs(count: int) -> Callable[[], None]:
    """As many bare resources as the clouds have: how the mock engine itself scales."""

    def program() -> None:
        import pulumi_aws as aws

        for index in range(count):
            aws.ec2.Vpc(f"vpc{index}", cidr_block="10.0.0.0/16", tags={"Name": f"vpc{index}"})

    return program


def fresh_interpreter(code: str) -> dict:
    # Bytecode caching on, as for an installed package (pip compiles what it installs; an
    # editable install and PYTHONDONTWRITEBYTECODE=1 would make us recompile every time).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


IMPORT_PROBE = """
import json, sys, time
start = time.perf_counter()
{module}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "foreign": sorted(m for m in sys.modules if m.split('.')[0] in {foreign!r})}}))
"""

MEMORY_PROBE = """
import json, resource, sys, tracemalloc
sys.path.insert(0, {root!r})
from benchmarks.run import clouds_program
from anyscale_infra.preview import run_function
tracemalloc.start()
result = run_function(clouds_program(10), config={{"aws:region": "us-west-2"}})
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"tracemalloc_peak_mib": peak / 2**20, "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "resources": len(result.resources)}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    missed: list[str] = []

    def report(label: str, ratio: float, goal: float, detail: str) -> None:
        ok = ratio <= goal
        if not ok:
            missed.append(label)
        print(f"{label:<42} {ratio:6.2f}x  (goal <= {goal}x) {'ok' if ok else 'MISSED'}   {detail}")

    ours = best_seconds(lambda: run_program(ROOT / "examples" / "aws-direct"), repeat)
    bare = best_seconds(lambda: run_program(ROOT / "benchmarks" / "bare_aws_direct"), repeat)
    report("aws-direct preview vs bare pulumi_aws", ours / bare, 1.2, f"{ours * 1000:.0f} ms vs {bare * 1000:.0f} ms")

    config = {"aws:region": "us-west-2"}
    one = best_seconds(lambda: run_function(clouds_program(1), config=config), repeat)
    ten = best_seconds(lambda: run_function(clouds_program(10), config=config), repeat)
    report("10 clouds vs 1 cloud", ten / one, 10.5, f"{ten * 1000:.0f} ms vs {one * 1000:.0f} ms")
    sdk_one = best_seconds(lambda: run_function(plain_vpcs(44), config=config), repeat)
    sdk_ten = best_seconds(lambda: run_function(plain_vpcs(440), config=config), repeat)
    print(
        f"{'  reference: the SDK alone, 440 vs 44 VPCs':<42} {sdk_ten / sdk_one:6.2f}x  "
        f"({sdk_ten * 1000:.0f} ms vs {sdk_one * 1000:.0f} ms)"
    )

    fresh_interpreter(IMPORT_PROBE.format(module=AWS_COMPONENTS_IMPORT, foreign=FOREIGN_SDKS))  # writes .pyc
    ours_import = [fresh_interpreter(IMPORT_PROBE.format(module=AWS_COMPONENTS_IMPORT, foreign=FOREIGN_SDKS)) for _ in range(repeat)]
    aws_import = [fresh_interpreter(IMPORT_PROBE.format(module="import pulumi_aws", foreign=FOREIGN_SDKS)) for _ in range(repeat)]
    ours_s = min(r["seconds"] for r in ours_import)
    aws_s = min(r["seconds"] for r in aws_import)
    foreign = sorted({m for r in ours_import for m in r["foreign"]})
    report("import AWS components vs pulumi_aws", ours_s / aws_s, 1.2, f"{ours_s * 1000:.0f} ms vs {aws_s * 1000:.0f} ms")
    deps = [fresh_interpreter(IMPORT_PROBE.format(module="import pulumi_aws, pydantic.fields", foreign=FOREIGN_SDKS)) for _ in range(repeat)]
    deps_s = min(r["seconds"] for r in deps)
    print(
        f"{'  of which pydantic (a required dependency)':<42} {(deps_s - aws_s) * 1000:.0f} ms; "
        f"anyscale_infra's own modules {(ours_s - deps_s) * 1000:.0f} ms"
    )
    print(f"{'  GCP/Azure/Kubernetes SDKs imported':<42} {foreign or 'none'}")
    if foreign:
        missed.append("foreign SDK imports")

    memory = fresh_interpreter(MEMORY_PROBE.format(root=str(ROOT)))
    print(
        f"{'10-cloud preview peak memory':<42} {memory['tracemalloc_peak_mib']:.1f} MiB Python heap peak, "
        f"{memory['max_rss_mib']:.0f} MiB max RSS ({memory['resources']} resources)"
    )
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

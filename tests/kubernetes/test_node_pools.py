"""The node-pool contract: the exact labels and taints each Anyscale pool carries, and what a
bring-your-own pool is told it lacks."""

from __future__ import annotations

import pytest

from anyscale_infra.kubernetes.node_pools import (
    CapacityType,
    Taint,
    gpu_product_label,
    node_pool_problems,
    node_pool_spec,
)


def test_cpu_on_demand_pool_has_the_capacity_label_and_taint():
    spec = node_pool_spec("aws", CapacityType.ON_DEMAND)
    assert spec.labels == {"node.anyscale.com/capacity-type": "ON_DEMAND"}
    assert spec.taints == (Taint("node.anyscale.com/capacity-type", "ON_DEMAND", "NoSchedule"),)


def test_spot_pool_says_spot():
    spec = node_pool_spec("gcp", CapacityType.SPOT)
    assert spec.labels == {"node.anyscale.com/capacity-type": "SPOT"}
    assert spec.taints == (Taint("node.anyscale.com/capacity-type", "SPOT"),)


def test_aws_gpu_pool_has_both_gpu_taints_and_the_product_label_the_chart_selects():
    spec = node_pool_spec("aws", CapacityType.SPOT, "A10G")
    assert spec.labels == {
        "node.anyscale.com/capacity-type": "SPOT",
        "node.anyscale.com/accelerator-type": "GPU",
        "nvidia.com/gpu.product": "NVIDIA-A10G",
    }
    assert spec.taints == (
        Taint("nvidia.com/gpu", "present"),
        Taint("node.anyscale.com/accelerator-type", "GPU"),
        Taint("node.anyscale.com/capacity-type", "SPOT"),
    )


def test_gke_gpu_pool_leaves_the_accelerator_label_to_gke():
    spec = node_pool_spec("gcp", CapacityType.ON_DEMAND, "L4")
    assert "nvidia.com/gpu.product" not in spec.labels
    assert spec.labels["node.anyscale.com/accelerator-type"] == "GPU"


@pytest.mark.parametrize(
    "provider, accelerator, label",
    [("aws", "T4", "Tesla-T4"), ("gcp", "A100-80G", "nvidia-a100-80gb"), ("azure", "H100", "NVIDIA-H100")],
)
def test_product_labels_are_the_charts(provider, accelerator, label):
    assert gpu_product_label(provider, accelerator) == label


def test_an_unknown_gpu_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"'B200' is not a GPU type the chart maps on aws \(known: A100-40G, A100-80G, A10G, H100, L4, L40S, T4, V100\)"):
        gpu_product_label("aws", "B200")
    with pytest.raises(ValueError, match="generic"):
        gpu_product_label("generic", "T4")


def test_a_compliant_pool_has_no_problems():
    spec = node_pool_spec("aws", CapacityType.ON_DEMAND, "T4")
    assert node_pool_problems("aws", spec.labels, list(spec.taints), gpu=True) == []


def test_a_bring_your_own_pool_is_told_what_it_lacks():
    assert node_pool_problems("aws", {}, []) == ["label node.anyscale.com/capacity-type is missing (ON_DEMAND or SPOT)"]
    assert node_pool_problems("aws", {"node.anyscale.com/capacity-type": "spot"}, []) == [
        "label node.anyscale.com/capacity-type=spot is not ON_DEMAND or SPOT"
    ]
    mismatch = node_pool_problems(
        "aws", {"node.anyscale.com/capacity-type": "SPOT"}, [Taint("node.anyscale.com/capacity-type", "ON_DEMAND")]
    )
    assert mismatch == ["taint node.anyscale.com/capacity-type (ON_DEMAND) disagrees with its label SPOT"]
    gpu = node_pool_problems("azure", {"node.anyscale.com/capacity-type": "ON_DEMAND", "nvidia.com/gpu.product": "Tesla-T4"}, [], gpu=True)
    assert gpu == [
        "taint node.anyscale.com/accelerator-type=GPU:NoSchedule is missing on a GPU pool",
        "label nvidia.com/gpu.product=Tesla-T4 is not a GPU product the chart maps on azure",
    ]

"""The node-pool contract: the labels and taints the operator chart's default patches expect.

The chart patches every Anyscale pod (``values.yaml``: ``workloads.marketType`` and
``workloads.accelerator``): pods tolerate ``node.anyscale.com/capacity-type=<ON_DEMAND|SPOT>``
and GPU pods ``node.anyscale.com/accelerator-type=GPU`` (both ``NoSchedule``), and GPU pods
select the node label the chart maps each accelerator to (``nvidia.com/gpu.product`` on AWS
and Azure, ``cloud.google.com/gke-accelerator`` on GKE). So a pool meant for Anyscale
workloads carries those taints (keeping other pods off it) and labels (the anchor's EKS/GKE
node groups do the same); a pool without them either takes no Anyscale pod or takes any pod.

Plain values, no Pulumi: the EKS/GKE/AKS components, the validators and the docs read the
same :func:`node_pool_spec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Optional

from anyscale_infra.kubernetes import constants as c

Provider = Literal["aws", "gcp", "azure", "generic"]


class CapacityType(str, Enum):
    """How a pool's nodes are bought; the value is the chart's taint value."""

    ON_DEMAND = c.CAPACITY_ON_DEMAND
    SPOT = c.CAPACITY_SPOT


@dataclass(frozen=True)
class Taint:
    """A Kubernetes taint (``effect`` in Kubernetes spelling; each cloud SDK maps it)."""

    key: str
    value: str
    effect: str = "NoSchedule"


@dataclass(frozen=True)
class NodePoolSpec:
    """The labels and taints one Anyscale workload pool must carry."""

    labels: dict[str, str] = field(default_factory=dict)
    taints: tuple[Taint, ...] = ()


def gpu_product_label(provider: Provider, accelerator: str) -> str:
    """The node-label value the chart selects for ``accelerator`` on ``provider``.

    >>> gpu_product_label("aws", "T4")
    'Tesla-T4'

    Raises ValueError naming the accelerators the chart knows for the provider.
    """
    products = c.GPU_PRODUCTS.get(provider)
    if products is None:
        raise ValueError(f"the chart maps no GPU products on provider {provider!r}; pools need a custom selector")
    if accelerator not in products:
        raise ValueError(
            f"{accelerator!r} is not a GPU type the chart maps on {provider} (known: {', '.join(sorted(products))})"
        )
    return products[accelerator]


def node_pool_spec(
    provider: Provider, capacity: CapacityType, accelerator: Optional[str] = None
) -> NodePoolSpec:
    """The labels and taints of an Anyscale workload pool.

    ``accelerator`` is the chart's accelerator name (``T4``, ``A10G``, ``L4``...) for a GPU
    pool, None for CPU. On GKE the accelerator label is set by GKE itself from the pool's
    guest accelerator, so it is not listed here.
    """
    capacity = CapacityType(capacity)
    labels = {c.CAPACITY_TYPE_LABEL: capacity.value}
    taints = [Taint(c.CAPACITY_TYPE_LABEL, capacity.value)]
    if accelerator is not None:
        product = gpu_product_label(provider, accelerator)
        labels[c.ACCELERATOR_TYPE_LABEL] = c.ACCELERATOR_GPU
        if provider != "gcp":
            labels[c.GPU_PRODUCT_LABEL] = product
        # anchor (eks-public/eks.tf gpu_node_taints_base): both GPU taints.
        taints = [Taint(c.NVIDIA_GPU, "present"), Taint(c.ACCELERATOR_TYPE_LABEL, c.ACCELERATOR_GPU), *taints]
    return NodePoolSpec(labels=labels, taints=tuple(taints))


def node_pool_problems(
    provider: Provider, labels: dict[str, str], taints: list[Taint], *, gpu: bool = False
) -> list[str]:
    """What a bring-your-own pool lacks for Anyscale workloads (empty when it is fine).

    Checks the capacity-type label and taint agree and use a known value, and that a GPU
    pool has the accelerator taint and a product label the chart knows.
    """
    problems: list[str] = []
    capacity = labels.get(c.CAPACITY_TYPE_LABEL)
    if capacity is None:
        problems.append(f"label {c.CAPACITY_TYPE_LABEL} is missing (ON_DEMAND or SPOT)")
    elif capacity not in {m.value for m in CapacityType}:
        problems.append(f"label {c.CAPACITY_TYPE_LABEL}={capacity} is not ON_DEMAND or SPOT")
    taint_values = {t.value for t in taints if t.key == c.CAPACITY_TYPE_LABEL and t.effect == "NoSchedule"}
    if capacity is not None and taint_values and taint_values != {capacity}:
        problems.append(f"taint {c.CAPACITY_TYPE_LABEL} ({', '.join(sorted(taint_values))}) disagrees with its label {capacity}")
    if gpu:
        if not any(t.key == c.ACCELERATOR_TYPE_LABEL and t.value == c.ACCELERATOR_GPU for t in taints):
            problems.append(f"taint {c.ACCELERATOR_TYPE_LABEL}=GPU:NoSchedule is missing on a GPU pool")
        selector = c.GPU_SELECTOR_LABEL.get(provider)
        known = set(c.GPU_PRODUCTS.get(provider, {}).values())
        if selector is not None and provider != "gcp":
            product = labels.get(selector)
            if product is None:
                problems.append(f"label {selector} is missing on a GPU pool")
            elif product not in known:
                problems.append(f"label {selector}={product} is not a GPU product the chart maps on {provider}")
    return problems

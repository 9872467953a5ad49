"""The anyscale-operator chart's value keys (tests/kubernetes/chart/operator-1.8.0-keys.txt), for every test of helm values."""

from __future__ import annotations

from pathlib import Path

KEYS_FILE = Path(__file__).parent / "kubernetes" / "chart" / "operator-1.8.0-keys.txt"

#: Keys whose value is a map of the user's own keys (values.yaml declares ``{}`` or names
#: entries the user picks): anything below them is the chart's to read.
OPEN_MAPS = (
    "workloads.instanceTypes.additional",
    "ingress-nginx.controller.service.annotations",
    "operator.nodeSelector",
    "operator.labels",
    "operator.annotations",
)


def chart_keys() -> tuple[set[str], set[str]]:
    """(keys in values.yaml, keys only the templates read)."""
    values, templates = set(), set()
    for line in KEYS_FILE.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        kind, key = line.split(" ", 1)
        (values if kind == "values" else templates).add(key)
    return values, templates - values


def unknown_keys(flat_keys) -> list[str]:
    """The dotted keys the chart does not read."""
    values, templates = chart_keys()
    known = values | templates
    return sorted(
        key for key in flat_keys if key not in known and not any(key.startswith(m + ".") for m in OPEN_MAPS)
    )

"""The domains Anyscale traffic uses, from seed 000 ("Summary of important domains" and
"Ray cluster to control plane"), as data: so a private-network deployment can feed its
proxy or firewall, and a stack can export the list.

No Pulumi here. :func:`egress_allowlist` answers "what must my clusters reach?" for a
deployment kind; :data:`CLIENT_DOMAINS` lists what your users' browsers and CLIs reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional

from anyscale_infra import validation as v
from anyscale_infra.errors import FieldProblem, InvalidArgsError

HTTPS = 443


class DeploymentKind(str, Enum):
    VM = "vm"  # Anyscale on EC2/GCE (this library's AWS components)
    KUBERNETES = "kubernetes"  # the Anyscale operator on EKS/GKE/AKS/...


class Need(str, Enum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"


@dataclass(frozen=True)
class Domain:
    """One destination of cluster egress (seed 000)."""

    pattern: str  # `<cloud-id>` stands for the cloud id
    purpose: str
    vm: Optional[Need]  # None: not used by this kind
    kubernetes: Optional[Need]
    feature: Optional[str] = None  # only with this feature ("machine_pools", "support_access")
    port: int = HTTPS

    def need(self, kind: DeploymentKind) -> Optional[Need]:
        return self.vm if kind is DeploymentKind.VM else self.kubernetes


R, REC = Need.REQUIRED, Need.RECOMMENDED

#: Ray cluster -> control plane (egress-only; all HTTPS). Seed 000, in its order.
CLUSTER_DOMAINS: tuple[Domain, ...] = (
    Domain("<cloud-id>.anyscale-cloud.dev", "health checks and operational reporting to the control plane", R, R),
    Domain("grafana-<cloud-id>.anyscale-cloud.dev", "metrics to the control plane's managed Grafana", R, R),
    Domain("registry-<cloud-id>.anyscale-cloud.dev", "Ray cluster images", REC, R),
    Domain("console.anyscale.com", "operator registration; Anyscale API calls from Ray workloads", REC, R),
    Domain("machine-pool.anyscale-cloud.dev", "nodes managed by the Global Resource Scheduler (machine pools)",
           REC, REC, feature="machine_pools"),
    Domain("support-access.anyscale-cloud.dev", "Support Access: VPN to Anyscale's support network (strongly recommended)",
           REC, REC, feature="support_access"),
    Domain("derp*.tailscale.com", "Support Access: VPN relays (strongly recommended)", REC, REC,
           feature="support_access"),
)

#: Client (browser, CLI, SDK) -> control plane and clusters: for corporate proxies of users.
CLIENT_DOMAINS: tuple[Domain, ...] = (
    Domain("console.anyscale.com", "console, CLI and SDK", R, R),
    Domain("*.i.anyscaleuserdata.com", "head nodes: Ray dashboard, Jupyter, VS Code (vscode-*)", R, R),
    Domain("*.s.anyscaleuserdata.com", "Anyscale services", R, R),
    Domain("grafana-<cloud-id>.anyscale-cloud.dev", "managed Grafana dashboards", R, R),
)

#: Removed from the platform (seed 000): do not allow them any more.
DEPRECATED: tuple[str, ...] = ("*.anyscale-test-production.com", "*.anyscale-production.com")
DEPRECATED_NOTE = (
    "Anyscale deprecated *.anyscale-test-production.com and *.anyscale-production.com (seed 000); "
    "remove them from allowlists. The *.anyscale-cloud.dev domains need Anyscale operator 0.6.2+."
)


def egress_allowlist(
    kind: str | DeploymentKind = DeploymentKind.VM,
    *,
    cloud_id: Optional[str] = None,
    include_recommended: bool = True,
    machine_pools: bool = False,
    support_access: bool = True,
) -> list[dict[str, object]]:
    """Destinations clusters must (and should) reach, as JSON-ready dicts in seed order.

    With ``cloud_id`` the ``<cloud-id>`` patterns become exact names; without it they are
    wildcards (``*.anyscale-cloud.dev``) until the cloud is registered. A feature you use
    turns its domains from recommended into required (machine pools); a feature you turn
    off drops them (support access).
    """
    problems: list[FieldProblem] = []
    try:
        kind = DeploymentKind(kind)
    except ValueError:
        problems.append(FieldProblem("kind", f"{kind!r} is not one of {[k.value for k in DeploymentKind]}"))
    if cloud_id is not None:
        try:
            v.check_cloud_id(cloud_id)
        except ValueError as exc:
            problems.append(FieldProblem("cloud_id", str(exc)))
    if problems:
        raise InvalidArgsError("egress_allowlist", problems)
    assert isinstance(kind, DeploymentKind)

    entries: list[dict[str, object]] = []
    for domain in CLUSTER_DOMAINS:
        need = domain.need(kind)
        if domain.feature == "support_access" and not support_access:
            continue
        if domain.feature == "machine_pools" and machine_pools:
            need = Need.REQUIRED
        if need is None or (need is Need.RECOMMENDED and not include_recommended):
            continue
        entries.append(
            {
                "domain": _concrete(domain.pattern, cloud_id),
                "port": domain.port,
                "protocol": "tcp",
                "need": need.value,
                "purpose": domain.purpose,
                "source": "seed 000: Ray cluster to control plane",
            }
        )
    return entries


def _concrete(pattern: str, cloud_id: Optional[str]) -> str:
    return pattern.replace("<cloud-id>", cloud_id or "*")

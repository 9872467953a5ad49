"""pulumi-kubernetes-shaped answers: objects keep the names they were given (or get the
``<logical name>-<8 hex>`` Pulumi would auto-name them), a helm release reports
``deployed``, and a Gateway gets an address in its status like a real load balancer would."""

from __future__ import annotations

from typing import Any, Optional

from anyscale_infra.preview.mocks._base import ProviderShapes, digest

RELEASE = "kubernetes:helm.sh/v3:Release"
GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway"


class KubernetesShapes(ProviderShapes):
    package = "kubernetes"

    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        h = digest(urn)
        if typ == RELEASE:
            release = state.get("name") or self.made(f"{name}-{h[:8]}")
            namespace = state.get("namespace") or "default"
            state["name"] = release
            state["status"] = {
                "name": release,
                "namespace": namespace,
                "chart": state.get("chart"),
                "version": state.get("version"),
                "status": "deployed",
                "revision": 1,
            }
            return f"{namespace}/{release}", state
        metadata = dict(state.get("metadata") or {})
        if not metadata.get("name"):
            metadata["name"] = self.made(f"{name}-{h[:8]}")
        state["metadata"] = metadata
        if typ == GATEWAY:
            addresses = (state.get("spec") or {}).get("addresses") or [
                {"type": "Hostname", "value": self.made(f"gw-{h[:12]}.preview.invalid")}
            ]
            state["status"] = {"addresses": addresses}
        namespace = metadata.get("namespace")
        return (f"{namespace}/{metadata['name']}" if namespace else metadata["name"]), state

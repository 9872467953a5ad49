"""pulumi-random-shaped answers: results that look random, derived from the URN (so a plan
can be diffed between runs), honoring the resource's length and character-set options."""

from __future__ import annotations

from typing import Any, Optional

from anyscale_infra.preview.mocks._base import ProviderShapes, digest, random_string


class RandomShapes(ProviderShapes):
    package = "random"

    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        h = digest(urn, "computed")
        if typ == "random:index/randomPassword:RandomPassword":
            state.update({"result": self.made(random_string(h, state)), "bcryptHash": "$2a$10$" + h[:53]})
        elif typ == "random:index/randomString:RandomString":
            state["result"] = self.made(random_string(h, state))
        elif typ == "random:index/randomId:RandomId":
            size = int(state.get("byteLength") or 8)
            state.update({"hex": self.made(h[: size * 2]), "dec": str(int(h[: size * 2], 16))})
        else:
            return None
        return self.made(f"{typ.rsplit(':', 1)[-1].lower()}-{digest(urn)[:12]}"), state

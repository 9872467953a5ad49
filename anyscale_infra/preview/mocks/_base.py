"""What every provider's preview shapes share: deterministic values derived from URNs, and
a record of every value made up (so the human output can mark it as a preview value)."""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping
from typing import Any, Optional


def digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


class Generated:
    """The set of values the mocks made up, shared by every provider's shapes of a run."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def __call__(self, value: str) -> str:
        self.values.add(value)
        return value


class ProviderShapes:
    """How one provider (``aws``, ``gcp``, ``random``, ...) answers: the state of a new
    resource (its id and computed outputs), and the answer of a data source.

    ``package`` is the first part of the provider's type tokens; ``config`` is the whole
    stack config (``<namespace>:<key>`` -> string), from which a provider reads its own
    settings (``aws:region``, ``gcp:project``...).
    """

    package = ""

    def __init__(self, config: Mapping[str, str], made: Generated) -> None:
        self.config = dict(config)
        self.made = made
        #: What the offline preview cannot know and says so (a looked-up value it lacks).
        self.notes: list[str] = []

    def new_resource(
        self, typ: str, name: str, urn: str, state: dict[str, Any], provider: Optional[str]
    ) -> Optional[tuple[str, dict[str, Any]]]:
        """(id, the full state) for a new resource, or None to let the fallback answer."""
        return None

    def call(self, token: str, args: dict[str, Any], provider: Optional[str]) -> Optional[dict[str, Any]]:
        """The answer of a data source, or None when this provider has none."""
        return None

    def register_provider(self, urn: str, state: dict[str, Any]) -> None:
        """An explicit provider of this package was declared (``pulumi:providers:<pkg>``)."""


def fallback_id(typ: str, urn: str, made: Generated) -> str:
    """Any resource of a provider without shapes (or a type it does not know): a stable id."""
    return made(f"{typ.rsplit(':', 1)[-1].lower()}-{digest(urn)[:12]}")


def random_string(seed: str, state: Mapping[str, Any]) -> str:
    """A random-looking string honoring length/special/upper/number like pulumi-random."""
    alphabet = string.ascii_lowercase
    if state.get("upper", True):
        alphabet += string.ascii_uppercase
    if state.get("numeric", state.get("number", True)):
        alphabet += string.digits
    length = int(state.get("length") or 16)
    out: list[str] = []
    counter = 0
    while len(out) < length:
        block = digest(seed, str(counter))
        out.extend(alphabet[int(block[i : i + 2], 16) % len(alphabet)] for i in range(0, 64, 2))
        counter += 1
    return "".join(out[:length])

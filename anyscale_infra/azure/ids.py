"""A managed identity's two ids as two distinct types, so they cannot be swapped.

Registration (``anyscaleOperatorIamIdentity``, ``--anyscale-operator-iam-identity``) takes
the identity's PRINCIPAL id (its object id in Entra ID); the operator's helm values
(``global.auth.iamIdentity``, the service account's ``azure.workload.identity/client-id``)
take its CLIENT id (setup_k8s: "Principal ID ... used for Anyscale API", "Client ID ... used
for Helm annotations"). Both are GUIDs, so a plain string cannot say which it is: these
types can, and the models that take one refuse the other.
"""

from __future__ import annotations

from typing import Any

from anyscale_infra.azure.validation import check_guid


class _IdentityId(str):
    """A GUID that knows which of the identity's ids it is."""

    kind = ""

    def __new__(cls, value: str) -> "_IdentityId":
        if isinstance(value, _IdentityId) and type(value) is not cls:
            raise ValueError(f"{value!r} is the identity's {value.kind}, not its {cls.kind}")
        return super().__new__(cls, check_guid(str(value), f"{cls.kind}"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"


class PrincipalId(_IdentityId):
    """The managed identity's principal (object) id: what registration names."""

    kind = "principal id"


class ClientId(_IdentityId):
    """The managed identity's client (application) id: what the operator's values name."""

    kind = "client id"


def require(value: Any, kind: type[_IdentityId], field: str) -> _IdentityId:
    """``value`` as ``kind``; a ValueError naming ``field`` when it is the other id."""
    if isinstance(value, _IdentityId) and not isinstance(value, kind):
        other = "client id" if isinstance(value, ClientId) else "principal id"
        raise ValueError(
            f"{field} takes the managed identity's {kind.kind}, and {str(value)!r} is its {other} "
            "(registration names the principal id; the operator's values the client id)"
        )
    return kind(value)

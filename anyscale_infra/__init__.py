"""anyscale_infra: Pulumi components for everything an Anyscale cloud needs in your own account.

Importing this package is cheap and imports no cloud SDK. Each cloud lives in its own
folder — ``anyscale_infra.aws`` (install the ``[aws]`` extra) — with its components, pure
builders, register arguments and constants; the core here holds what every cloud shares:
the library's errors, the args-model and register-args bases, the offline preview engine
(``anyscale_infra.preview``) and the policy runner (``anyscale_infra.policy``).
"""

from anyscale_infra.errors import AnyscaleInfraError, AnyscaleInfraWarning, InvalidArgsError

__version__ = "0.1.0"

__all__ = [
    "AnyscaleInfraError",
    "AnyscaleInfraWarning",
    "InvalidArgsError",
    "__version__",
]

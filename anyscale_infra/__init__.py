"""anyscale_infra: Pulumi components for everything an Anyscale cloud needs in your own account.

Importing this package is cheap and imports no cloud SDK: the AWS components live in
``anyscale_infra.aws`` (install the ``[aws]`` extra), the plain-value models
(register arguments, errors) live here.
"""

from anyscale_infra.errors import AnyscaleInfraError, AnyscaleInfraWarning, InvalidArgsError
from anyscale_infra.register import AwsRegisterArgs

__version__ = "0.1.0"

__all__ = [
    "AnyscaleInfraError",
    "AnyscaleInfraWarning",
    "AwsRegisterArgs",
    "InvalidArgsError",
    "__version__",
]

"""Pulumi components for an Anyscale cloud on AWS (install ``anyscale-infra[aws]``).

One component per concern, plus :class:`AnyscaleAwsCloud` composing them all (the VM
compute stack). The components import ``pulumi_aws`` (and ``pulumi_random`` for a generated
external ID), never a GCP, Azure or Kubernetes SDK; the exception is the EKS composite
:class:`AnyscaleEksCloud` (``anyscale-infra[aws,kubernetes]``), which installs the Anyscale
operator with ``pulumi_kubernetes``. :class:`AnyscaleEksCluster` and
:class:`AnyscaleEksOperatorIdentity` need ``pulumi_aws`` only.

The pure modules of this package — ``constants``, ``validation``, ``register``
(``AwsRegisterArgs``), ``policies`` (IAM documents), ``iam_evaluator``, ``deployer_policy``,
``planning`` — import no cloud SDK, so the policy pack and other
tools can use them without ``pulumi_aws``: the component classes below are loaded on
first use (PEP 562), not when ``anyscale_infra.aws`` is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> the module that defines it.
_EXPORTS = {
    "AnyscaleAwsCloud": "cloud",
    "AnyscaleAwsCloudArgs": "cloud",
    "AnyscaleBucket": "bucket",
    "AnyscaleBucketArgs": "bucket",
    "BucketEncryption": "bucket",
    "AnyscaleFileSystem": "file_system",
    "AnyscaleFileSystemArgs": "file_system",
    "ThroughputMode": "file_system",
    "AnyscaleIamRoles": "iam",
    "AnyscaleIamRolesArgs": "iam",
    "AnyscaleMemoryDb": "memorydb",
    "AnyscaleMemoryDbArgs": "memorydb",
    "AnyscaleNetwork": "network",
    "AnyscaleNetworkArgs": "network",
    "ExistingSubnet": "network",
    "NatStrategy": "network",
    "NetworkingMode": "network",
    "AnyscaleSecurityGroup": "security_group",
    "AnyscaleSecurityGroupArgs": "security_group",
    "AwsRegisterArgs": "register",
    "AwsK8sRegisterArgs": "register",
    "AnyscaleEksCluster": "eks",
    "AnyscaleEksClusterArgs": "eks",
    "EksGpuNodeGroupArgs": "eks",
    "EksSystemNodeGroupArgs": "eks",
    "EksWorkloadNodeGroupArgs": "eks",
    "AnyscaleEksOperatorIdentity": "operator_identity",
    "AnyscaleEksOperatorIdentityArgs": "operator_identity",
    "OperatorTrust": "operator_identity",
    "AnyscaleEksCloud": "eks_cloud",
    "AnyscaleEksCloudArgs": "eks_cloud",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # static type checkers and IDEs see the real names
    from anyscale_infra.aws.bucket import AnyscaleBucket, AnyscaleBucketArgs, BucketEncryption
    from anyscale_infra.aws.cloud import AnyscaleAwsCloud, AnyscaleAwsCloudArgs
    from anyscale_infra.aws.file_system import AnyscaleFileSystem, AnyscaleFileSystemArgs, ThroughputMode
    from anyscale_infra.aws.iam import AnyscaleIamRoles, AnyscaleIamRolesArgs
    from anyscale_infra.aws.memorydb import AnyscaleMemoryDb, AnyscaleMemoryDbArgs
    from anyscale_infra.aws.network import (
        AnyscaleNetwork,
        AnyscaleNetworkArgs,
        ExistingSubnet,
        NatStrategy,
        NetworkingMode,
    )
    from anyscale_infra.aws.eks import (
        AnyscaleEksCluster,
        AnyscaleEksClusterArgs,
        EksGpuNodeGroupArgs,
        EksSystemNodeGroupArgs,
        EksWorkloadNodeGroupArgs,
    )
    from anyscale_infra.aws.eks_cloud import AnyscaleEksCloud, AnyscaleEksCloudArgs
    from anyscale_infra.aws.operator_identity import (
        AnyscaleEksOperatorIdentity,
        AnyscaleEksOperatorIdentityArgs,
        OperatorTrust,
    )
    from anyscale_infra.aws.register import AwsK8sRegisterArgs, AwsRegisterArgs
    from anyscale_infra.aws.security_group import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs

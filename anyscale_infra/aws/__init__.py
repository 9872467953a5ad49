"""Pulumi components for an Anyscale cloud on AWS (install ``anyscale-infra[aws]``).

One component per concern, plus :class:`AnyscaleAwsCloud` composing them all. Importing
this package imports ``pulumi_aws`` and ``pulumi_random`` only: no GCP, Azure or
Kubernetes SDK.
"""

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
from anyscale_infra.aws.security_group import AnyscaleSecurityGroup, AnyscaleSecurityGroupArgs

__all__ = [
    "AnyscaleAwsCloud",
    "AnyscaleAwsCloudArgs",
    "AnyscaleBucket",
    "AnyscaleBucketArgs",
    "AnyscaleFileSystem",
    "AnyscaleFileSystemArgs",
    "AnyscaleIamRoles",
    "AnyscaleIamRolesArgs",
    "AnyscaleMemoryDb",
    "AnyscaleMemoryDbArgs",
    "AnyscaleNetwork",
    "AnyscaleNetworkArgs",
    "AnyscaleSecurityGroup",
    "AnyscaleSecurityGroupArgs",
    "BucketEncryption",
    "ExistingSubnet",
    "NatStrategy",
    "NetworkingMode",
    "ThroughputMode",
]

"""Bad stack config for the root project with ``provider: generic`` (the operator on a
cluster you run): exit code 2 and one paragraph naming the config key and the rule. One case
at least per key of ``anyscale_infra/kubernetes/config.py`` (operator and register keys)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.cli import main
from anyscale_infra.kubernetes.config import GENERIC_OPERATOR_KEYS, GENERIC_REGISTER_KEYS

ROOT = Path(__file__).resolve().parents[1]
GENERIC = ("provider=generic", "anyscaleCliToken=aph0_preview")


def preview(*config: str, base: tuple[str, ...] = GENERIC):
    args = ["preview", str(ROOT)]
    for pair in (*base, *config):
        args += ["--config", pair]
    outcome = CliRunner().invoke(main, args)
    return outcome, " ".join(outcome.output.split())


CONFIG_CASES = [
    (["cloudDeploymentId=cld_abcdefgh12345678ijklmnop12"], "cloudDeploymentId", "that is a cloud id; the operator needs the cloud resource id"),
    (["operatorNamespace=Anyscale"], "operatorNamespace", "'Anyscale' is not an RFC 1123 label"),
    (["ingress=nginx"], "ingress", "Input should be 'gateway', 'existing-gateway', 'ingress-class' or 'bundled-nginx'"),
    (["loadBalancer=external"], "loadBalancer", "Input should be 'public' or 'internal'"),
    (["ingress=bundled-nginx", "gatewayAddress=1.2.3.4"], "gatewayAddress", "applies to the gateway modes only"),
    (["ingress=existing-gateway"], "existingGatewayName", "is required with ingress existing-gateway"),
    (["ingress=existing-gateway", "existingGatewayName=edge"], "existingGatewayNamespace", "is required with ingress existing-gateway"),
    (["ingressClassName=traefik"], "ingressClassName", "applies to ingress ingress-class only"),
    (["ingress=ingress-class", "ingressClassName=alb"], "ingressClassName", "alb is an L7 load balancer"),
    (["ingressAddress=10.0.0.1"], "ingressAddress", "applies to ingress ingress-class only"),
    (["operatorChartVersion=1"], "operatorChartVersion", "'1' is not a chart version like 1.8.0"),
    (["controlPlaneUrl=https://console.anyscale.com/"], "controlPlaneUrl", "trailing slash"),
    (["additionalInstanceTypes=[1]"], "additionalInstanceTypes", "Input should be a valid dictionary"),
    (["cloudName=has space"], "cloudName", "must be 1 to 128 characters"),
    (['zones=["a","a"]'], "zones", "lists a more than once"),
    (["bucketName=s3://b", "bucketEndpoint=x", "nfsMountTargets=[\"a,b,c\"]"], "nfsMountTargets", "'address' or 'zone,address'"),
    (["nfsMountTargets=[\"10.0.0.1\"]", "persistentVolumeClaim=pvc"], "persistentVolumeClaim", "exclusive with nfs_mount_targets"),
    (["redisEndpoint=redis"], "redisEndpoint", "is not host:port"),
    (["nfsMountPath=/x", "nfsMountTargets=\"a\""], "nfsMountTargets", "Input should be a valid list"),
]


@pytest.mark.parametrize("config, key, phrase", CONFIG_CASES, ids=[" ".join(c)[:60] for c, _, _ in CONFIG_CASES])
def test_bad_generic_stack_config_is_exit_2_naming_the_key_and_the_rule(config, key, phrase):
    outcome, message = preview(*config)
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert f"anyscale-cloud:{key}: " in message, message
    assert phrase in message, message


def test_a_missing_token_names_the_token_key():
    outcome, message = preview(base=("provider=generic",))
    assert outcome.exit_code == 2
    assert "anyscale-cloud:anyscaleCliToken: is required on a generic cluster" in message


def test_every_config_key_has_a_bad_input_case():
    keyed = {key for _, key, _ in CONFIG_CASES} | {"anyscaleCliToken"}
    # Keys that take any string (an S3-compatible store's bucket, endpoint and region, an NFS
    # export path) are checked by the CLI and the store.
    free = {"bucketName", "bucketEndpoint", "bucketRegion", "nfsMountPath"}
    assert set(GENERIC_OPERATOR_KEYS) | set(GENERIC_REGISTER_KEYS) <= keyed | free


def test_good_generic_config_previews_the_operator_and_the_register_command():
    outcome, message = preview("cloudDeploymentId=cldrsrc_abcdefgh12345678ijklmnop12", 'zones=["zone-a"]')
    assert outcome.exit_code == 0, message
    assert "anyscale cloud register --provider generic --compute-stack k8s --name preview --region default --kubernetes-zones zone-a" in message


# -- computeStack k8s: the EKS and GKE clouds -----------------------------------------------------

from anyscale_infra.aws.config import EKS_CONFIG_KEYS  # noqa: E402
from anyscale_infra.gcp.config import GKE_CONFIG_KEYS  # noqa: E402

EKS = ("computeStack=k8s",)
GKE = ("computeStack=k8s", "provider=gcp", "gcp:project=acme-ml-prod", "gcp:region=us-central1")

#: key -> (config pairs, a phrase of the rule); the pairs set the key to a bad value.
OPERATOR_BAD = {
    "ingress": (["ingress=nginx"], "Input should be 'gateway'"),
    "existingGatewayName": (["existingGatewayName=edge"], "applies to ingress existing-gateway only"),
    "existingGatewayNamespace": (["existingGatewayNamespace=edge"], "applies to ingress existing-gateway only"),
    "ingressClassName": (["ingressClassName=traefik"], "applies to ingress ingress-class only"),
    "ingressAddress": (["ingressAddress=10.0.0.1"], "applies to ingress ingress-class only"),
    "operatorChartVersion": (["operatorChartVersion=1"], "is not a chart version"),
    "controlPlaneUrl": (["controlPlaneUrl=https://console.anyscale.com/"], "trailing slash"),
    "additionalInstanceTypes": (["additionalInstanceTypes=[1]"], "valid dictionary"),
    "cloudDeploymentId": (["cloudDeploymentId=cld_abcdefgh12345678ijklmnop12"], "that is a cloud id"),
    "operatorNamespace": (["operatorNamespace=Bad_NS"], "RFC 1123"),
    "cloudName": (["cloudName=has space"], "must be 1 to 128 characters"),
    "cloudId": (["cloudId=cloud-1"], "is not an Anyscale cloud id"),
    "networking": (["networking=public"], "'direct' or 'private'"),
    "protectBucket": (["protectBucket=maybe"], "is not a valid bool"),
}
EKS_BAD = {
    **OPERATOR_BAD,
    "gatewayAddress": (["ingress=bundled-nginx", "gatewayAddress=1.2.3.4"], "applies to the gateway modes only"),
    "kubernetesZones": (['kubernetesZones=["us-west-2a","us-west-2a"]'], "more than once"),
    "vpcCidr": (["vpcCidr=10.0.0.0/25"], "smaller than the /24"),
    "availabilityZones": (['availabilityZones=["west"]'], "west"),
    "azCount": (["azCount=1"], "azCount"),
    "nat": (["nat=sometimes"], "Input should be"),
    "bucketName": (["bucketName=Bad_Bucket"], "Bad_Bucket"),
    "existingBucketName": (["existingBucketName=Bad_Bucket"], "Bad_Bucket"),
    "bucketEncryption": (["bucketEncryption=rot13"], "Input should be"),
    "kmsKeyArn": (["kmsKeyArn=key"], "KMS key ARN"),
    "enableFileSystem": (["enableFileSystem=maybe"], "is not a valid bool"),
    "existingFileSystemId": (["existingFileSystemId=efs-1"], "is not a fs id"),
    "protectFileSystem": (["protectFileSystem=maybe"], "is not a valid bool"),
    "clusterVersion": (["clusterVersion=latest"], "latest"),
    "gpuNodeGroups": (['gpuNodeGroups={"B200": {"instance_types": ["p6-b200.48xlarge"]}}'], "'B200' is not a GPU type the chart maps on aws"),
    "operatorTrust": (["operatorTrust=oidc"], "Input should be 'irsa' or 'pod-identity'"),
    "tags": (['tags=["a"]'], "valid dictionary"),
}
GKE_BAD = {
    **OPERATOR_BAD,
    "projectId": (["projectId=Acme-ML"], "must be 6 to 30 lowercase letters"),
    "region": (["region=us-central"], "is not a Google Cloud region"),
    "kubernetesZones": (['kubernetesZones=["us-east1-b"]'], "us-east1-b"),

    "podsCidr": (["podsCidr=abc"], "abc"),
    "servicesCidr": (["servicesCidr=abc"], "abc"),
    "vpcName": (["vpcName=Bad_Name"], "Bad_Name"),
    "subnetCidr": (["subnetCidr=10.0.0.0/25"], "smaller than the /24"),
    "bucketName": (["bucketName=Bad_Bucket"], "Bad_Bucket"),
    "existingBucketName": (["existingBucketName=Bad_Bucket"], "Bad_Bucket"),
    "bucketLocation": (["bucketLocation=EU"], "EU"),
    "enableFilestore": (["enableFilestore=maybe"], "is not a valid bool"),
    "filestoreTier": (["filestoreTier=GOLD"], "Input should be"),
    "existingFilestoreInstanceId": (["existingFilestoreInstanceId=Bad_Id"], "Bad_Id"),
    "existingFilestoreLocation": (["existingFilestoreInstanceId=fs-1", "existingFilestoreLocation=mars-1a"], "mars-1a"),
    "protectFilestore": (["protectFilestore=maybe"], "is not a valid bool"),
    "enableMemorystore": (["enableMemorystore=maybe"], "is not a valid bool"),
    "deletionProtection": (["deletionProtection=maybe"], "is not a valid bool"),
    "nodePools": (['nodePools=[{"accelerator": "B200"}]'], "'B200' is not a GPU type the chart maps on gcp"),
    "reserveGatewayAddress": (["reserveGatewayAddress=maybe"], "is not a valid bool"),
    "labels": (['labels={"Team":"ml"}'], "label key 'Team'"),
}


@pytest.mark.parametrize("key", sorted(EKS_BAD))
def test_bad_eks_stack_config_names_the_key(key):
    pairs, phrase = EKS_BAD[key]
    outcome, message = preview(*pairs, base=EKS)
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert f"anyscale-cloud:{key}: " in message, message
    assert phrase in message, message


@pytest.mark.parametrize("key", sorted(GKE_BAD))
def test_bad_gke_stack_config_names_the_key(key):
    pairs, phrase = GKE_BAD[key]
    outcome, message = preview(*pairs, base=GKE)
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert f"anyscale-cloud:{key}: " in message, message
    assert phrase in message, message


def test_every_eks_and_gke_key_has_a_bad_input_case():
    assert set(EKS_CONFIG_KEYS) == set(EKS_BAD)
    assert set(GKE_CONFIG_KEYS) == set(GKE_BAD)
    # The load balancer's scheme follows the cloud's networking mode: not a key of its own.
    assert "loadBalancer" not in EKS_CONFIG_KEYS and "loadBalancer" not in GKE_CONFIG_KEYS


def test_a_generic_vm_cloud_and_an_unknown_compute_stack_name_the_key():
    outcome, message = preview("computeStack=vm")
    assert outcome.exit_code == 2 and "anyscale-cloud:computeStack: is 'vm', but a generic cloud is Kubernetes only" in message
    outcome, message = preview("computeStack=kubernetes", base=())
    assert outcome.exit_code == 2 and "anyscale-cloud:computeStack: is 'kubernetes'; choose one of vm, k8s" in message


@pytest.mark.parametrize("base, command", [
    (EKS, "anyscale cloud register --provider aws --compute-stack k8s --name preview --region us-west-2"),
    (GKE, "anyscale cloud register --provider gcp --compute-stack k8s --name preview --region us-central1 --project-id acme-ml-prod"),
])
def test_the_root_program_builds_eks_and_gke_clouds(base, command):
    outcome, message = preview(base=base)
    assert outcome.exit_code == 0, message
    assert command in message
    assert "cloud_deployment_id is not set" in message

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

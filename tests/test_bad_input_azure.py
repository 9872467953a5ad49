"""Bad stack config for the root project with ``provider: azure``: exit code 2 and one
paragraph naming the config key and the rule, before anything is created. One case at least
per key of ``anyscale_infra/azure/config.py::CONFIG_KEYS``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_infra.azure.config import CONFIG_KEYS
from anyscale_infra.cli import main

ROOT = Path(__file__).resolve().parents[1]
AZURE = ("provider=azure", "azure-native:location=eastus2")
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def preview(*config: str, base: tuple[str, ...] = AZURE):
    args = ["preview", str(ROOT)]
    for pair in (*base, *config):
        args += ["--config", pair]
    outcome = CliRunner().invoke(main, args)
    return outcome, " ".join(outcome.output.split())


BAD = {
    "cloudName": (["cloudName=has space"], "must be 1 to 128 characters"),
    "location": (["location=brazilsouth"], "not available in brazilsouth"),
    "cloudId": (["cloudId=cloud-1"], "is not an Anyscale cloud id"),
    "networking": (["networking=public"], "'direct' or 'private'"),
    "registration": (["registration=portal"], "'native' or 'cli'"),
    "operatorNamespace": (["operatorNamespace=Bad_NS"], "RFC 1123"),
    "installOperator": (["installOperator=maybe"], "is not a valid bool"),
    "extensionVersion": (["extensionVersion=1"], "'1' is not a chart version like 1.8.0"),
    "containerRegistryId": (["containerRegistryId=/subscriptions/x/registries/y"], "Microsoft.ContainerRegistry/registries"),
    "azureTenantId": (["azureTenantId=" + TENANT], "applies to registration cli only"),
    "cloudDeploymentId": (["registration=cli", f"azureTenantId={TENANT}", "cloudDeploymentId=cld_x"], "cloud id"),
    "authAudience": (["authAudience=api://x"], "applies to registration cli only"),
    "resourceGroupName": (["resourceGroupName=bad/name"], "must be 1 to 90"),
    "existingResourceGroupName": (["existingResourceGroupName=bad/name"], "bad/name"),
    "protectResourceGroup": (["protectResourceGroup=maybe"], "is not a valid bool"),
    "vnetCidr": (["vnetCidr=abc"], "abc"),
    "nodeSubnetCidr": (["nodeSubnetCidr=10.9.0.0/20"], "10.9.0.0/20"),
    "existingNodeSubnetId": (["existingNodeSubnetId=subnet-1"], "subnet-1"),
    "kubernetesVersion": (["kubernetesVersion=latest"], "latest"),
    "existingClusterId": (["existingClusterId=/subscriptions/x"], "/subscriptions/x"),
    "nodePools": (['nodePools=[{"accelerator": "B200"}]'], "'B200' is not a GPU type the chart maps on azure"),
    "storageAccountName": (["storageAccountName=Anyscale-Data"], "must be 3 to 24 lowercase letters and digits"),
    "existingStorageAccountName": (["existingStorageAccountName=ab"], "must be 3 to 24"),
    "existingContainerName": (["existingContainerName=data"], "needs existing_account_name"),
    "protectStorage": (["protectStorage=maybe"], "is not a valid bool"),
    "tags": (['tags=["a"]'], "valid dictionary"),
}


@pytest.mark.parametrize("key", sorted(BAD))
def test_bad_azure_stack_config_names_the_key(key):
    pairs, phrase = BAD[key]
    outcome, message = preview(*pairs)
    assert outcome.exit_code == 2, message
    assert "Traceback" not in outcome.output
    assert f"anyscale-cloud:{key}: " in message, message
    assert phrase in message, message


def test_every_azure_key_has_a_bad_input_case():
    assert set(CONFIG_KEYS) == set(BAD)


def test_azure_is_kubernetes_only_and_needs_a_region():
    outcome, message = preview("computeStack=vm")
    assert outcome.exit_code == 2 and "anyscale-cloud:computeStack: is 'vm', but a azure cloud is Kubernetes only" in message
    outcome, message = preview(base=("provider=azure",))
    assert outcome.exit_code == 2 and "set azure-native:location or anyscale-cloud:location" in message


def test_good_azure_config_previews_the_native_registration():
    outcome, message = preview()
    assert outcome.exit_code == 0, message
    assert "azure-native:kubernetesconfiguration:Extension" in message and "anyscale cloud register" not in message

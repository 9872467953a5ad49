"""The operator release's own values: the cloud deployment id the chart cannot run without."""

from __future__ import annotations

from pulumi_policy import EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from anyscale_infra.kubernetes import constants as c
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.policy.kubernetes._facts import INSTALLS, MISSING, UNKNOWN, operator_release, resource_of, text


def _deployment_id(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in INSTALLS:
        return
    release = operator_release(resource_of(args))
    if release is None:
        return
    value = text(release.value("global", "cloudDeploymentId"))
    if value is UNKNOWN:
        return  # computed (e.g. from the register step) and not known yet: not judged
    if value is MISSING:
        if release.from_files:
            return  # it may be in one of the valueYamlFiles, which the pack cannot read
        report(
            "values.global.cloudDeploymentId is not set: the chart's deployment template requires it "
            '(`required "global.cloudDeploymentId is required"`), so the release fails to render. Register the '
            "cloud first and set the cldrsrc_... id `anyscale cloud register` prints.",
            None,
        )
        return
    try:
        kv.check_cloud_deployment_id(value)  # type: ignore[arg-type]
    except ValueError as exc:
        report(
            f"values.global.cloudDeploymentId: {exc}. The operator registers with the control plane under this id "
            f"(--cloud-deployment-id); pattern {c.CLOUD_DEPLOYMENT_ID_PATTERN}.",
            None,
        )


operator_deployment_id = ResourceValidationPolicy(
    name="anyscale-k8s-operator-deployment-id",
    description=(
        "The anyscale-operator release sets values.global.cloudDeploymentId to the cloud resource id `anyscale "
        "cloud register` prints (cldrsrc_ and 26 lowercase letters or digits), not a cloud id (cld_...): the "
        "chart fails to render without it. An unknown value (preview) is not judged."
    ),
    validate=_deployment_id,
    enforcement_level=EnforcementLevel.MANDATORY,
)

POLICIES = [operator_deployment_id]

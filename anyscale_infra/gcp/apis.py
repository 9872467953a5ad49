"""The Google Cloud APIs an Anyscale cloud needs, enabled in its project — or left alone
for a project that already has them (``manage_apis=False``).

Which APIs, and why (issue 11; ``REQUIRED_APIS`` in :mod:`anyscale_infra.gcp.constants`):
compute (VMs, the VPC, firewall policies), file (Filestore), storage and storage-component
(the bucket), certificatemanager (Anyscale Services' certificates), cloudresourcemanager
(the project and its IAM policy), serviceusage (the verifier reads API states through it),
iam, iamcredentials and sts (workload identity federation: Anyscale's control plane runs on
AWS and exchanges its AWS credentials for a Google token, then impersonates the access
service account). redis only when Memorystore is on; container (Kubernetes Engine) only for
a GKE cloud (``enable_gke``; GKE's Workload Identity uses sts and iamcredentials too).

The verifier (``verify_gcp_project``) also checks ``deploymentmanager`` and ``config``
(``GCP_REQUIRED_APIS`` in the CLI), which no Anyscale cluster uses — they serve
``anyscale cloud setup`` — but a project without them makes ``cloud register`` stop at a
prompt ("The following APIs are not enabled ... enable these APIs and proceed?") and fail
without ``--yes``. They are on by default (``enable_verifier_apis``) so ``cloud register``
runs unattended; turn them off where an organization policy forbids them.

Every API is a ``gcp.projects.Service`` with ``disable_on_destroy=False`` and
``disable_dependent_services=False``: destroying the stack never turns an API off, because
other workloads in the project may use it (the anchor makes both configurable; we do not).
"""

from __future__ import annotations

import re
from typing import Final, Optional

import pulumi
import pulumi_gcp as gcp
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel

#: APIs the verifier checks that no Anyscale cluster uses: Deployment Manager (legacy) and
#: Infrastructure Manager, which ``anyscale cloud setup`` deploys with (``GCP_REQUIRED_APIS``
#: in ``anyscale/utils/gcp_utils.py``). Candidate for ``gcp/constants.py``.
VERIFIER_ONLY_APIS: Final = ("deploymentmanager.googleapis.com", "config.googleapis.com")
#: The suffix of Google's own APIs; dropped from logical names (``{name}-compute``).
GOOGLE_API_SUFFIX: Final = ".googleapis.com"
#: Defaults of :class:`AnyscaleGcpApisArgs`.
DEFAULT_MANAGE_APIS: Final = True
DEFAULT_ENABLE_MEMORYSTORE: Final = False
DEFAULT_ENABLE_VERIFIER_APIS: Final = True
DEFAULT_ENABLE_GKE: Final = False

# A service name is a DNS name: lowercase labels of letters, digits and hyphens, at least
# two of them (``compute.googleapis.com``, ``my-api.endpoints.my-project.cloud.goog``).
_SERVICE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def check_service_name(value: str) -> str:
    """A Google Cloud service name such as ``compute.googleapis.com`` (no scheme, no path).
    Candidate for ``gcp/validation.py``."""
    if not isinstance(value, str) or not _SERVICE_NAME.match(value):
        raise ValueError(f"{value!r} is not a service name like compute.googleapis.com")
    return value


def required_apis(
    *, memorystore: bool = DEFAULT_ENABLE_MEMORYSTORE, verifier_apis: bool = DEFAULT_ENABLE_VERIFIER_APIS,
    additional: tuple[str, ...] | list[str] = (), gke: bool = DEFAULT_ENABLE_GKE,
) -> list[str]:
    """The APIs a cloud needs, sorted and without duplicates (pure)."""
    apis = set(c.REQUIRED_APIS) | set(additional)
    if gke:
        # GKE clusters and node pools (AnyscaleGkeCloud).
        apis.add(c.CONTAINER_API)
    if verifier_apis:
        apis |= set(VERIFIER_ONLY_APIS)
    if memorystore:
        # verifier: verify_gcp_project adds redis.googleapis.com when Memorystore is given.
        apis.add(c.MEMORYSTORE_API)
    return sorted(apis)


def api_key(service: str) -> str:
    """The logical-name part of a service: ``compute.googleapis.com`` -> ``compute``; keyed
    by the API, never by its position in a list."""
    return service.removesuffix(GOOGLE_API_SUFFIX)


class AnyscaleGcpApisArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcpApis`."""

    project_id: Optional[str] = None
    """Project to enable the APIs in. Optional; defaults to the provider's project. Serves
    issue 11 (a cloud's project needs its APIs on before anything else is created)."""
    manage_apis: bool = DEFAULT_MANAGE_APIS
    """Enable the APIs here. Optional; defaults to True. False for a project whose APIs are
    already on (or managed elsewhere): nothing is created and ``services`` is empty."""
    enable_memorystore: bool = DEFAULT_ENABLE_MEMORYSTORE
    """Also enable Memorystore for Redis (``redis.googleapis.com``), for head-node fault
    tolerance. Optional; defaults to False. The verifier checks it when Memorystore is given."""
    enable_gke: bool = DEFAULT_ENABLE_GKE
    """Also enable Kubernetes Engine (``container.googleapis.com``) for a GKE cluster.
    Optional; defaults to False; :class:`~anyscale_infra.gcp.gke_cloud.AnyscaleGkeCloud`
    sets it (issue 12)."""
    enable_verifier_apis: bool = DEFAULT_ENABLE_VERIFIER_APIS
    """Also enable ``deploymentmanager`` and ``config``, which only the verifier checks (it
    prompts to enable them, and fails without ``--yes``). Optional; defaults to True; set
    False where an organization policy restricts them."""
    additional_apis: list[str] = Field(default_factory=list)
    """More services to enable (``logging.googleapis.com``, ...). Optional; defaults to none.
    Ones already in the required set are enabled once."""

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("additional_apis")
    @classmethod
    def _additional(cls, value: list[str]) -> list[str]:
        for service in value:
            check_service_name(service)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleGcpApisArgs":
        if not self.manage_apis:
            problems = [
                FieldProblem(name, f"has no effect with manage_apis=False (nothing is enabled); leave {name} out")
                for name in ("enable_verifier_apis", "additional_apis")
                if name in self.model_fields_set
            ]
            if problems:
                raise InvalidArgsError(type(self).__name__, problems)
        return self

    def apis(self) -> list[str]:
        """The APIs this cloud needs, sorted (what is enabled when ``manage_apis``)."""
        return required_apis(
            memorystore=self.enable_memorystore,
            verifier_apis=self.enable_verifier_apis,
            additional=self.additional_apis,
            gke=self.enable_gke,
        )


class AnyscaleGcpApis(pulumi.ComponentResource):
    """The project's APIs, enabled and never disabled on destroy.

    Give ``services`` to ``depends_on`` of the components that need the APIs (the network,
    the firewall policy, the bucket...): their first call fails on a project where the API
    is still off.
    """

    services: list[pulumi.Resource]
    """The ``gcp.projects.Service`` resources, sorted by API (empty with ``manage_apis=False``):
    what other components depend on."""
    apis: list[str]
    """The APIs this cloud needs, sorted (plain; also with ``manage_apis=False``)."""
    enabled_apis: pulumi.Output[list[str]]
    """The APIs this component enabled, sorted (empty with ``manage_apis=False``)."""
    project: pulumi.Output[str]
    """The project the APIs are in."""

    def __init__(self, name: str, args: AnyscaleGcpApisArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGcpApis"), name, None, opts)
        self.apis = args.apis()
        self.services = []
        if args.manage_apis:
            # Children do not inherit the component's depends_on (Pulumi passes on only the
            # provider): hand it on, so `depends_on` given to this component holds.
            depends_on = opts.depends_on if opts is not None else None
            for service in self.apis:
                self.services.append(
                    gcp.projects.Service(
                        f"{name}-{api_key(service)}",
                        service=service,
                        project=args.project_id,
                        # Never turn an API off on destroy: other workloads may use it.
                        disable_on_destroy=False,
                        disable_dependent_services=False,
                        opts=w.child(self, depends_on=depends_on),
                    )
                )
        self.enabled_apis = pulumi.Output.all(*[s.service for s in self.services])  # type: ignore[attr-defined]
        if args.project_id is not None:
            self.project = pulumi.Output.from_input(args.project_id)
        else:
            self.project = gcp.organizations.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).project
        self.register_outputs({"enabled_apis": self.enabled_apis, "project": self.project})

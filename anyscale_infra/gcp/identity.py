"""How Anyscale's control plane reaches a Google Cloud project, and what cluster nodes run as.

* **Workload identity federation**: a pool and an AWS provider for Anyscale's AWS account
  (525325868955). Its attribute condition admits Anyscale's role for *your* organization,
  ``gcp_if_<org id>``, and nothing else (the anchor's ``startsWith`` also admitted
  ``gcp_if_<org id>x...``; see :func:`~anyscale_infra.gcp.roles.attribute_condition`).
  Or an existing provider, possibly in another project (``existing_provider_name``).
* **The access service account** (``--anyscale-service-account-email``), which the federated
  identity impersonates: a least-privilege custom role on the project (every permission and
  its reason in :mod:`anyscale_infra.gcp.roles`), ``roles/iam.serviceAccountTokenCreator`` on
  itself (signBlob, for log download; verifier) and ``roles/iam.workloadIdentityUser`` for
  Anyscale's role in the pool, and only that role.
* **The instance service account** (``--instance-service-account-email``) cluster nodes run
  as: ``roles/artifactregistry.reader`` (verifier), logging and monitoring writers as an
  option (off, as in the anchor), and ``roles/iam.serviceAccountUser`` on it for the access
  account (Anyscale launches VMs as it).

Every grant is a non-authoritative member (``gcp.projects.IAMMember``,
``gcp.serviceaccount.IAMMember``): bindings the project or an account already has are never
removed. Cloud Storage access is granted on the bucket by
:class:`~anyscale_infra.gcp.storage.AnyscaleGcsBucket`, which knows the bucket.

The verifier asks for ``roles/editor`` or ``roles/owner`` on the access account ("A more
fine-grained set of permissions may be possible") and waits for a ``y`` without them: with
this least-privilege role, answer ``y`` or run ``cloud register`` with ``--yes``.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_gcp as gcp
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import roles
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel, StrInput

#: Pool and provider ids (the CLI's own provider id is ``anyscale-access``). A deleted pool
#: keeps its id for 30 days: to recreate one sooner, give a new ``pool_id``.
DEFAULT_POOL_ID = "anyscale-access-pool"
DEFAULT_PROVIDER_ID = "anyscale-access"
#: At most 32 characters (Google's limit for both display names).
DEFAULT_POOL_DISPLAY_NAME = "Anyscale control plane"
POOL_DISPLAY_NAME_MAX_LENGTH = 32
POOL_DESCRIPTION = "Anyscale's control plane (AWS account {account}) acting in this project"
PROVIDER_DESCRIPTION = "Anyscale's AWS role gcp_if_<org id> for organization {org_id}, and only that role"
#: Service account ids (6-30 characters).
DEFAULT_ACCESS_SERVICE_ACCOUNT_ID = "anyscale-access"
DEFAULT_INSTANCE_SERVICE_ACCOUNT_ID = "anyscale-cluster"
ACCESS_SERVICE_ACCOUNT_DISPLAY_NAME = "Anyscale access (control plane)"
INSTANCE_SERVICE_ACCOUNT_DISPLAY_NAME = "Anyscale cluster nodes"
ACCESS_SERVICE_ACCOUNT_DESCRIPTION = "Impersonated by Anyscale's control plane through workload identity federation"
INSTANCE_SERVICE_ACCOUNT_DESCRIPTION = "Anyscale cluster nodes run as this account"
#: The custom role (a deleted role id is undeleted, not reused, by the provider within 37 days).
DEFAULT_ACCESS_ROLE_ID = "anyscale_access"
ACCESS_ROLE_TITLE = "Anyscale access (control plane)"
ACCESS_ROLE_DESCRIPTION = "Least-privilege role of Anyscale's control plane (anyscale_infra.gcp.roles)"


class AnyscaleGcpIdentityArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcpIdentity`."""

    project_id: Optional[StrInput] = None
    """Project id (not number) the accounts, role and pool live in and the grants apply to.
    Optional; defaults to the provider's project."""
    org_id: Optional[str] = None
    """Your Anyscale organization id (``org_...``; console: Organization settings). Required
    whenever ``roles/iam.workloadIdentityUser`` is granted (a new provider, a new access
    account, or ``grant_existing_accounts``): the provider's condition and that member admit
    the AWS role ``gcp_if_<org id>`` only."""
    anyscale_aws_account_id: str = c.ANYSCALE_AWS_ACCOUNT_ID
    """AWS account of Anyscale's control plane. Defaults to 525325868955; change it only when
    your CLI is pointed at another control plane."""

    existing_provider_name: Optional[str] = None
    """Use this provider instead of creating a pool and provider: its full name
    ``projects/<project NUMBER>/locations/global/workloadIdentityPools/<pool>/providers/<id>``
    (``--provider-name``; it may be in another project, e.g. a dedicated identity project).
    Optional. The ``workloadIdentityUser`` member matches ``attribute.aws_role``, which every
    AWS provider maps unless its mapping was customised."""
    pool_id: str = DEFAULT_POOL_ID
    """Id of the pool we create. Defaults to ``anyscale-access-pool``; a deleted pool's id is
    reserved for 30 days."""
    provider_id: str = DEFAULT_PROVIDER_ID
    """Id of the provider we create. Defaults to ``anyscale-access`` (the CLI's own)."""
    pool_display_name: str = DEFAULT_POOL_DISPLAY_NAME
    """Display name of the pool and provider (at most 32 characters). Defaults to
    ``Anyscale control plane``."""

    existing_access_service_account_email: Optional[str] = None
    """Use this access account instead of creating one. Optional. It gets no grants unless
    ``grant_existing_accounts``, except ``workloadIdentityUser`` when we create the pool."""
    access_service_account_id: str = DEFAULT_ACCESS_SERVICE_ACCOUNT_ID
    """Id (before the ``@``) of the access account we create. Defaults to ``anyscale-access``."""
    access_role_id: str = DEFAULT_ACCESS_ROLE_ID
    """Id of the custom role we create for the access account. Defaults to ``anyscale_access``."""
    project_wide_storage_read: bool = False
    """Add the anchor's project-wide Cloud Storage reads to the custom role (every bucket and
    object of the project). Defaults to False: the Anyscale bucket grants them on itself; turn
    on for a bucket nothing grants the access account on."""
    additional_access_roles: list[str] = Field(default_factory=list)
    """More project roles for the access account (e.g. ``roles/editor``, which the verifier
    asks for). Optional."""

    existing_instance_service_account_email: Optional[str] = None
    """Use this instance account instead of creating one (in ``project_id``: the verifier warns
    otherwise). Optional. It gets no project roles unless ``grant_existing_accounts``."""
    instance_service_account_id: str = DEFAULT_INSTANCE_SERVICE_ACCOUNT_ID
    """Id (before the ``@``) of the instance account we create. Defaults to ``anyscale-cluster``."""
    grant_artifact_registry_reader: bool = True
    """Grant the instance account ``roles/artifactregistry.reader`` on the project (custom
    images; the verifier warns without it). Defaults to True."""
    grant_logging_monitoring: bool = False
    """Grant the instance account ``roles/logging.logWriter`` and
    ``roles/monitoring.metricWriter`` (Anyscale's log and metric export to Cloud Logging and
    Monitoring, whose APIs must be on). Defaults to False, as in the anchor."""
    additional_instance_roles: list[str] = Field(default_factory=list)
    """More project roles for the instance account (e.g. ``roles/secretmanager.secretAccessor``).
    Optional."""

    grant_existing_accounts: bool = False
    """Give existing accounts the grants a created one gets (custom role, token creator and
    workload identity user; instance roles; service account user between two existing
    accounts). Defaults to False: an existing account is yours to configure. The members are
    non-authoritative, but ``pulumi destroy`` removes them, even one that was there before."""

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_project_id(value) if isinstance(value, str) else value

    @field_validator("org_id")
    @classmethod
    def _org(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_org_id(value)

    @field_validator("anyscale_aws_account_id")
    @classmethod
    def _account(cls, value: str) -> str:
        if not (value.isdigit() and len(value) == 12):
            raise ValueError(f"{value!r} is not a 12-digit AWS account id")
        return value

    @field_validator("existing_provider_name")
    @classmethod
    def _provider_name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else roles.check_provider_name(value)

    @field_validator("pool_id")
    @classmethod
    def _pool_id(cls, value: str) -> str:
        return roles.check_wif_id(value, "pool id")

    @field_validator("provider_id")
    @classmethod
    def _provider_id(cls, value: str) -> str:
        return roles.check_wif_id(value, "provider id")

    @field_validator("pool_display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        if not 1 <= len(value) <= POOL_DISPLAY_NAME_MAX_LENGTH:
            raise ValueError(f"{value!r} must be 1 to {POOL_DISPLAY_NAME_MAX_LENGTH} characters (Google's limit)")
        return value

    @field_validator("existing_access_service_account_email", "existing_instance_service_account_email")
    @classmethod
    def _email(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_service_account_email(value)

    @field_validator("access_service_account_id", "instance_service_account_id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        return v.check_service_account_id(value)

    @field_validator("access_role_id")
    @classmethod
    def _role_id(cls, value: str) -> str:
        return roles.check_role_id(value)

    @field_validator("additional_access_roles", "additional_instance_roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        checked = [roles.check_role_name(role) for role in value]
        if twice := v.duplicates(checked):
            raise ValueError(f"lists {', '.join(sorted(twice))} more than once")
        return checked

    # -- what this component creates (pure; the component follows it) -------------------------
    @property
    def creates_provider(self) -> bool:
        return self.existing_provider_name is None

    @property
    def creates_access_account(self) -> bool:
        return self.existing_access_service_account_email is None

    @property
    def creates_instance_account(self) -> bool:
        return self.existing_instance_service_account_email is None

    @property
    def grants_access_account(self) -> bool:
        """Custom role, token creator and extra roles for the access account."""
        return self.creates_access_account or self.grant_existing_accounts

    @property
    def binds_workload_identity(self) -> bool:
        """``workloadIdentityUser`` ties the pool to the access account: granted when we create
        either side (or asked to for two existing ones)."""
        return self.creates_provider or self.grants_access_account

    @property
    def grants_instance_account(self) -> bool:
        return self.creates_instance_account or self.grant_existing_accounts

    @property
    def binds_service_account_user(self) -> bool:
        return self.creates_instance_account or self.creates_access_account or self.grant_existing_accounts

    def instance_roles(self) -> list[str]:
        """The instance account's project roles, in a stable order, each once."""
        wanted = [roles.ARTIFACT_REGISTRY_READER_ROLE] if self.grant_artifact_registry_reader else []
        if self.grant_logging_monitoring:
            wanted += [roles.LOGGING_WRITER_ROLE, roles.MONITORING_WRITER_ROLE]
        return list(dict.fromkeys(wanted + self.additional_instance_roles))

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleGcpIdentityArgs":
        problems: list[FieldProblem] = []
        set_fields = self.model_fields_set

        def conflict(names: tuple[str, ...], message: str) -> None:
            problems.extend(FieldProblem(n, message) for n in names if n in set_fields)

        if not self.creates_provider:
            conflict(
                ("pool_id", "provider_id", "pool_display_name"),
                "shapes the pool and provider we create, so it cannot be combined with existing_provider_name",
            )
        if not self.creates_access_account:
            conflict(
                ("access_service_account_id",),
                "names the access account we create; not with existing_access_service_account_email",
            )
            if not self.grant_existing_accounts:
                conflict(
                    ("access_role_id", "project_wide_storage_read", "additional_access_roles"),
                    "shapes grants to the access account, which an existing one only gets with "
                    "grant_existing_accounts=True",
                )
        if not self.creates_instance_account:
            conflict(
                ("instance_service_account_id",),
                "names the instance account we create; not with existing_instance_service_account_email",
            )
            if not self.grant_existing_accounts:
                conflict(
                    ("grant_artifact_registry_reader", "grant_logging_monitoring", "additional_instance_roles"),
                    "shapes grants to the instance account, which an existing one only gets with "
                    "grant_existing_accounts=True",
                )
        if self.creates_access_account and self.creates_instance_account:
            if self.access_service_account_id == self.instance_service_account_id:
                problems.append(
                    FieldProblem(
                        "instance_service_account_id",
                        f"{self.instance_service_account_id!r} is also access_service_account_id: cluster nodes "
                        "must not run as the control plane's account",
                    )
                )
        elif (
            self.existing_access_service_account_email is not None
            and self.existing_access_service_account_email == self.existing_instance_service_account_email
        ):
            problems.append(
                FieldProblem(
                    "existing_instance_service_account_email",
                    "is also existing_access_service_account_email: cluster nodes must not run as the "
                    "control plane's account",
                )
            )
        # (No org id yet: AnyscaleGcpCloudArgs sets it; the component checks it is there,
        # see `wiring_problems`.)
        if self.binds_workload_identity and self.org_id is not None:
            try:
                roles.anyscale_role_arn(self.org_id, self.anyscale_aws_account_id)
            except ValueError as exc:
                problems.append(FieldProblem("org_id", str(exc)))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def wiring_problems(self) -> list[FieldProblem]:
        """What the identity still needs that :class:`AnyscaleGcpCloudArgs` fills in (the org
        id): checked by the component before any resource, and by the cloud's args."""
        if self.binds_workload_identity and self.org_id is None:
            return [FieldProblem("org_id", self._org_id_needed())]
        return []

    def _org_id_needed(self) -> str:
        if self.creates_provider:
            return (
                "is required to create the workload identity provider: its attribute condition admits only "
                "Anyscale's AWS role for your organization, gcp_if_<org id> (console: Organization settings)"
            )
        return (
            "is required to grant roles/iam.workloadIdentityUser in the existing pool to Anyscale's AWS role "
            "for your organization, gcp_if_<org id>, and no other identity (console: Organization settings)"
        )

    def advisories(self) -> list[str]:
        messages: list[str] = []
        email = self.existing_instance_service_account_email
        if email is not None and isinstance(self.project_id, str) and _project_of_email(email) not in ("-", self.project_id):
            messages.append(
                f"existing_instance_service_account_email {email} is not in project {self.project_id}: the "
                "verifier warns (fails with --strict), and constraints/iam.disableCrossProjectServiceAccountUsage "
                "must not be enforced"
            )
        if self.grant_existing_accounts and self.creates_access_account and self.creates_instance_account:
            messages.append("grant_existing_accounts has no effect: no existing account was given")
        return messages


class AnyscaleGcpIdentity(pulumi.ComponentResource):
    """Workload identity federation for Anyscale's control plane, the access service account
    it impersonates, and the service account cluster nodes run as."""

    access_service_account_email: pulumi.Output[str]
    """Email of the access account (``--anyscale-service-account-email``)."""
    access_service_account_member: pulumi.Output[str]
    """``serviceAccount:<access account email>``, for grants elsewhere (the bucket)."""
    instance_service_account_email: pulumi.Output[str]
    """Email of the instance account (``--instance-service-account-email``)."""
    instance_service_account_member: pulumi.Output[str]
    """``serviceAccount:<instance account email>``, for grants elsewhere (the bucket)."""
    provider_name: pulumi.Output[str]
    """``projects/<project NUMBER>/locations/global/workloadIdentityPools/<pool>/providers/<id>``
    (``--provider-name``)."""
    pool_name: pulumi.Output[str]
    """``projects/<project NUMBER>/locations/global/workloadIdentityPools/<pool>``."""
    workload_identity_principal: pulumi.Output[Optional[str]]
    """The principal set granted ``workloadIdentityUser`` on the access account, or None when
    that grant is not ours."""
    access_role_id: pulumi.Output[Optional[str]]
    """The custom role, ``projects/<project>/roles/<role id>`` (as bindings name it), or None
    when no role was created."""

    def __init__(
        self, name: str, args: AnyscaleGcpIdentityArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleGcpIdentity"), name, None, opts)
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        w.hand_on_depends_on(self, opts)  # e.g. the APIs the cloud enables first
        project = self._resolve_project(args)
        self._federation(name, args, project)
        self._access_account(name, args, project)
        self._instance_account(name, args, project)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "access_service_account_email": self.access_service_account_email,
                "access_service_account_member": self.access_service_account_member,
                "instance_service_account_email": self.instance_service_account_email,
                "instance_service_account_member": self.instance_service_account_member,
                "provider_name": self.provider_name,
                "pool_name": self.pool_name,
                "workload_identity_principal": self.workload_identity_principal,
                "access_role_id": self.access_role_id,
            }
        )

    def _resolve_project(self, args: AnyscaleGcpIdentityArgs) -> pulumi.Input[str]:
        if args.project_id is not None:
            return args.project_id
        # Project-level members need the project explicitly: the provider's own.
        return gcp.organizations.get_project_output(opts=pulumi.InvokeOutputOptions(parent=self)).project_id

    def _federation(self, name: str, args: AnyscaleGcpIdentityArgs, project: pulumi.Input[str]) -> None:
        if not args.creates_provider:
            assert args.existing_provider_name is not None
            self.provider_name = pulumi.Output.from_input(args.existing_provider_name)
            self.pool_name = pulumi.Output.from_input(roles.pool_name_of(args.existing_provider_name))
            return
        assert args.org_id is not None  # the args rules require it with a new provider
        pool = gcp.iam.WorkloadIdentityPool(
            f"{name}-pool",
            project=project,
            workload_identity_pool_id=args.pool_id,
            display_name=args.pool_display_name,
            description=POOL_DESCRIPTION.format(account=args.anyscale_aws_account_id),
            opts=w.child(self),
        )
        provider = gcp.iam.WorkloadIdentityPoolProvider(
            f"{name}-provider",
            project=project,
            workload_identity_pool_id=pool.workload_identity_pool_id,
            workload_identity_pool_provider_id=args.provider_id,
            display_name=args.pool_display_name,
            description=PROVIDER_DESCRIPTION.format(org_id=args.org_id),
            # Anyscale's control plane signs in as an AWS role of its own account...
            aws=gcp.iam.WorkloadIdentityPoolProviderAwsArgs(account_id=args.anyscale_aws_account_id),
            # ...and only its role for this organization gets through (never an open provider).
            attribute_mapping=roles.attribute_mapping(),
            attribute_condition=roles.attribute_condition(args.org_id, args.anyscale_aws_account_id),
            opts=w.child(self, deleted_with=pool),
        )
        # Both names carry the project NUMBER, as --provider-name requires (verifier).
        self.pool_name = pool.name
        self.provider_name = provider.name

    def _service_account(
        self,
        logical_name: str,
        existing_email: Optional[str],
        project: pulumi.Input[str],
        account_id: str,
        display_name: str,
        description: str,
    ) -> tuple[Optional[gcp.serviceaccount.Account], pulumi.Input[str], pulumi.Output[str], pulumi.Output[str]]:
        """An existing account (by email) or a new one: (the new account or None, the
        resource name its IAM members take, its email, its ``serviceAccount:`` member)."""
        if existing_email is not None:
            return (
                None,
                _account_name(existing_email),
                pulumi.Output.from_input(existing_email),
                pulumi.Output.from_input(f"serviceAccount:{existing_email}"),
            )
        account = gcp.serviceaccount.Account(
            logical_name,
            project=project,
            account_id=account_id,
            display_name=display_name,
            description=description,
            opts=w.child(self),
        )
        return account, account.name, account.email, account.member

    def _access_account(self, name: str, args: AnyscaleGcpIdentityArgs, project: pulumi.Input[str]) -> None:
        account, account_name, self.access_service_account_email, self.access_service_account_member = self._service_account(
            f"{name}-access",
            args.existing_access_service_account_email,
            project,
            args.access_service_account_id,
            ACCESS_SERVICE_ACCOUNT_DISPLAY_NAME,
            ACCESS_SERVICE_ACCOUNT_DESCRIPTION,
        )
        on_account = w.child(self, deleted_with=account) if account is not None else w.child(self)

        self.workload_identity_principal = pulumi.Output.from_input(None)
        if args.binds_workload_identity:
            assert args.org_id is not None
            org_id, aws_account = args.org_id, args.anyscale_aws_account_id
            principal = self.pool_name.apply(lambda pool: roles.workload_identity_principal(pool, org_id, aws_account))
            gcp.serviceaccount.IAMMember(
                f"{name}-access-workload-identity-user",
                service_account_id=account_name,
                role=roles.WORKLOAD_IDENTITY_USER_ROLE,
                member=principal,
                opts=on_account,
            )
            self.workload_identity_principal = principal

        self.access_role_id = pulumi.Output.from_input(None)
        if not args.grants_access_account:
            return
        # verifier: signBlob on itself, for log download.
        gcp.serviceaccount.IAMMember(
            f"{name}-access-token-creator",
            service_account_id=account_name,
            role=roles.TOKEN_CREATOR_ROLE,
            member=self.access_service_account_member,
            opts=on_account,
        )
        role = gcp.projects.IAMCustomRole(
            f"{name}-access-role",
            project=project,
            role_id=args.access_role_id,
            title=ACCESS_ROLE_TITLE,
            description=ACCESS_ROLE_DESCRIPTION,
            permissions=roles.access_role_permissions(args.project_wide_storage_read),
            stage="GA",
            opts=w.child(self),
        )
        self.access_role_id = role.name
        # Project-level members are never `deleted_with` the account or the role: the
        # project's policy outlives both, and a binding left behind would linger there (as
        # "deleted:serviceAccount:...", or to a deleted role that comes back when undeleted).
        gcp.projects.IAMMember(
            f"{name}-access-custom-role",
            project=project,
            role=role.name,
            member=self.access_service_account_member,
            opts=w.child(self),
        )
        for extra in args.additional_access_roles:
            gcp.projects.IAMMember(
                f"{name}-access-{_role_key(extra)}",
                project=project,
                role=extra,
                member=self.access_service_account_member,
                opts=w.child(self),
            )

    def _instance_account(self, name: str, args: AnyscaleGcpIdentityArgs, project: pulumi.Input[str]) -> None:
        account, account_name, self.instance_service_account_email, self.instance_service_account_member = self._service_account(
            f"{name}-instance",
            args.existing_instance_service_account_email,
            project,
            args.instance_service_account_id,
            INSTANCE_SERVICE_ACCOUNT_DISPLAY_NAME,
            INSTANCE_SERVICE_ACCOUNT_DESCRIPTION,
        )

        if args.grants_instance_account:
            for role in args.instance_roles():
                gcp.projects.IAMMember(
                    f"{name}-instance-{_role_key(role)}",
                    project=project,
                    role=role,
                    member=self.instance_service_account_member,
                    opts=w.child(self),
                )
        if args.binds_service_account_user:
            # anchor: Anyscale launches VMs that run as the instance account (actAs on it only).
            gcp.serviceaccount.IAMMember(
                f"{name}-instance-access-user",
                service_account_id=account_name,
                role=roles.SERVICE_ACCOUNT_USER_ROLE,
                member=self.access_service_account_member,
                opts=w.child(self, deleted_with=account) if account is not None else w.child(self),
            )


def _project_of_email(email: str) -> str:
    """``name@<project>.iam.gserviceaccount.com`` -> ``<project>``; ``-`` (any project, as the
    IAM API spells it) for other service account domains."""
    domain = email.split("@", 1)[1]
    suffix = ".iam.gserviceaccount.com"
    return domain[: -len(suffix)] if domain.endswith(suffix) else "-"


def _account_name(email: str) -> str:
    """The resource name IAM members of a service account take."""
    return f"projects/{_project_of_email(email)}/serviceAccounts/{email}"


def _role_key(role: str) -> str:
    """A logical-name part keyed by the role: ``roles/logging.logWriter`` -> ``logging.logWriter``."""
    return role.removeprefix("roles/").replace("/", "-")

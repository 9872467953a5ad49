"""The Anyscale operator's Google identity on GKE: a Google service account (GSA) its
Kubernetes service account impersonates through Workload Identity, and what that GSA may do.

What the operator needs (``anyscale cloud register --compute-stack k8s``,
``--anyscale-operator-iam-identity``; the chart's ``global.auth.iamIdentity``; the CLI's own
``cloud setup --stack k8s``, ``setup_k8s._setup_gcp_infrastructure``):

* **Workload Identity**: ``roles/iam.workloadIdentityUser`` on the GSA for
  ``serviceAccount:<project>.svc.id.goog[<namespace>/anyscale-operator]`` — the operator's
  Kubernetes service account (``operator.serviceAccount.name``) in its namespace, and no
  other. A non-authoritative ``gcp.serviceaccount.IAMMember``: bindings others made on the
  account stay. (The anchor binds the *node* service account, which every pod on the node
  could then use through the metadata server; the operator gets its own account here.)
* **Signed URLs**: ``roles/iam.serviceAccountTokenCreator`` on the GSA for itself
  (``signBlob``: a pod on Workload Identity has no key file, so signing a Cloud Storage URL —
  log download, the console's file viewer — goes through the IAM API). The CLI's setup grants
  the same; the anchor grants it project-wide, on every account of the project.
* **The bucket**: ``roles/storage.objectAdmin`` + ``roles/storage.legacyBucketReader`` on the
  cloud's bucket only (:data:`~anyscale_infra.gcp.constants.BUCKET_ROLES`). The CLI's setup
  grants ``roles/storage.admin`` on the bucket; ours is narrower on purpose: storage.admin
  also lets the operator change the bucket's IAM policy and delete the bucket, which it never
  does. objectAdmin covers every object operation (read, list, write, overwrite, delete,
  multipart uploads) and legacyBucketReader the ``storage.buckets.get`` it reads the bucket
  with — the "most brief" set the VM verifier (``_verify_service_account_on_bucket``)
  accepts (tests check it with the verifier's own function).
* **Filestore: nothing.** Filestore is NFS: a pod's volume is mounted by the kubelet on its
  node, over the VPC (the instance is on the cluster's VPC), and NFS checks no Google IAM.
  ``roles/file.editor`` (the anchor's) manages instances — create, resize, delete — which
  the operator never does.

Pure builders (:func:`workload_pool`, :func:`workload_identity_member`,
:func:`operator_account_roles`) are plain functions; the component imports ``pulumi_gcp``
only where it declares resources.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, Optional

import pulumi
from pydantic import field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.kubernetes import constants as kc
from anyscale_infra.kubernetes import validation as kv
from anyscale_infra.models import ArgsModel, StrInput

if TYPE_CHECKING:
    import pulumi_gcp as gcp

# --- Defaults and facts -------------------------------------------------------------------
#: Id (before the ``@``) of the GSA we create; unique per project (the CLI adds a random
#: suffix; set another id for a second cloud in the same project).
DEFAULT_OPERATOR_SERVICE_ACCOUNT_ID: Final = "anyscale-operator"
OPERATOR_SERVICE_ACCOUNT_DISPLAY_NAME: Final = "Anyscale operator (GKE)"
OPERATOR_SERVICE_ACCOUNT_DESCRIPTION: Final = (
    "The Anyscale operator's identity: impersonated by its Kubernetes service account through Workload Identity"
)
#: The operator's roles on the cloud's bucket (see the module docstring).
OPERATOR_BUCKET_ROLES: Final = c.BUCKET_ROLES
#: Grant the GSA ``serviceAccountTokenCreator`` on itself (signed URLs). Defaults to True.
DEFAULT_GRANT_TOKEN_CREATOR: Final = True

_ROLE_SLUG = re.compile(r"(?<!^)(?=[A-Z])")


# --- Pure builders ------------------------------------------------------------------------
def workload_pool(project_id: str) -> str:
    """The Workload Identity pool of a project's GKE clusters: ``<project>.svc.id.goog``."""
    return f"{project_id}{c.WORKLOAD_POOL_SUFFIX}"


def workload_identity_member(
    project_id: str,
    namespace: str = kc.DEFAULT_NAMESPACE,
    kubernetes_service_account: str = kc.OPERATOR_SERVICE_ACCOUNT,
) -> str:
    """The IAM member a Kubernetes service account is on GKE:
    ``serviceAccount:<project>.svc.id.goog[<namespace>/<service account>]``.

    >>> workload_identity_member("acme-ml-prod")
    'serviceAccount:acme-ml-prod.svc.id.goog[anyscale-operator/anyscale-operator]'
    """
    return pool_member(workload_pool(project_id), namespace, kubernetes_service_account)


def pool_member(pool: str, namespace: str, kubernetes_service_account: str) -> str:
    """:func:`workload_identity_member` from the pool itself (``<project>.svc.id.goog``)."""
    return f"serviceAccount:{pool}[{namespace}/{kubernetes_service_account}]"


def operator_account_roles(token_creator: bool = DEFAULT_GRANT_TOKEN_CREATOR) -> dict[str, str]:
    """The grants on the operator's GSA itself, role -> who (``"kubernetes"``: the operator's
    Kubernetes service account; ``"self"``: the GSA)."""
    roles = {c.WORKLOAD_IDENTITY_USER_ROLE: "kubernetes"}
    if token_creator:
        roles[c.TOKEN_CREATOR_ROLE] = "self"
    return roles


def operator_bucket_roles() -> tuple[str, ...]:
    """The operator GSA's roles on the cloud's bucket, sorted."""
    return tuple(sorted(OPERATOR_BUCKET_ROLES))


def account_resource_name(email: str) -> str:
    """``projects/<project>/serviceAccounts/<email>``, what a service account's IAM members
    take (``-``, any project, for accounts outside ``*.iam.gserviceaccount.com``)."""
    domain = email.split("@", 1)[1]
    suffix = ".iam.gserviceaccount.com"
    project = domain[: -len(suffix)] if domain.endswith(suffix) else "-"
    return f"projects/{project}/serviceAccounts/{email}"


def _role_slug(role: str) -> str:
    """``roles/storage.objectAdmin`` -> ``object-admin`` (stable logical names)."""
    return _ROLE_SLUG.sub("-", role.rsplit(".", 1)[-1]).lower()


# --- Args ---------------------------------------------------------------------------------
class AnyscaleGkeOperatorIdentityArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGkeOperatorIdentity`."""

    project_id: Optional[str] = None
    """Project of the GSA we create. Optional; defaults to the provider's project. Set for you
    inside :class:`~anyscale_infra.gcp.gke_cloud.AnyscaleGkeCloud`."""
    workload_pool: Optional[StrInput] = None
    """The cluster's Workload Identity pool, ``<cluster project>.svc.id.goog``. Give the
    cluster's output (:attr:`~anyscale_infra.gcp.gke.AnyscaleGkeCluster.workload_pool`): the
    member then waits for the cluster, as IAM refuses a member of a pool that does not exist
    yet (the anchor's ``depends_on = [module.gke]``). Optional; defaults to
    ``<project_id>.svc.id.goog``. Set for you inside AnyscaleGkeCloud."""
    namespace: str = kc.DEFAULT_NAMESPACE
    """Namespace of the operator (RFC 1123 label). Defaults to ``anyscale-operator`` (the
    CLI's and the chart's)."""
    kubernetes_service_account: str = kc.OPERATOR_SERVICE_ACCOUNT
    """The operator's Kubernetes service account (``operator.serviceAccount.name``).
    Defaults to the chart's ``anyscale-operator``."""
    service_account_id: str = DEFAULT_OPERATOR_SERVICE_ACCOUNT_ID
    """Id (before the ``@``) of the GSA we create. Defaults to ``anyscale-operator``."""
    existing_service_account_email: Optional[str] = None
    """Use this GSA instead of creating one (bring-your-own). Optional; it still gets the
    Workload Identity member and the bucket roles unless ``grant_existing_account=False``."""
    grant_existing_account: bool = True
    """With ``existing_service_account_email``: grant it Workload Identity, token creator and
    the bucket roles here. Set False when they are managed elsewhere. Defaults to True."""
    grant_token_creator: bool = DEFAULT_GRANT_TOKEN_CREATOR
    """Grant the GSA ``roles/iam.serviceAccountTokenCreator`` on itself (``signBlob`` for
    signed Cloud Storage URLs; the CLI's setup grants it too). Defaults to True."""
    bucket_name: Optional[StrInput] = None
    """The cloud's bucket (without ``gs://``): the GSA gets objectAdmin + legacyBucketReader
    on it. Optional; without it no bucket access is granted (and a warning says so). Set for
    you inside :class:`~anyscale_infra.gcp.gke_cloud.AnyscaleGkeCloud`."""

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("workload_pool")
    @classmethod
    def _pool(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        if isinstance(value, str):
            if not value.endswith(c.WORKLOAD_POOL_SUFFIX):
                raise ValueError(f"{value!r} is not a GKE Workload Identity pool like my-project{c.WORKLOAD_POOL_SUFFIX}")
            v.check_project_id(value.removesuffix(c.WORKLOAD_POOL_SUFFIX), "the pool's project id")
        return value

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return kv.check_namespace(value)

    @field_validator("kubernetes_service_account")
    @classmethod
    def _ksa(cls, value: str) -> str:
        return kv.check_service_account_name(value)

    @field_validator("service_account_id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        return v.check_service_account_id(value)

    @field_validator("existing_service_account_email")
    @classmethod
    def _email(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else kv.check_operator_identity("gcp", value)

    @field_validator("bucket_name")
    @classmethod
    def _bucket(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_bucket_name(value.removeprefix(c.GCS_SCHEME)) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _modes(self) -> "AnyscaleGkeOperatorIdentityArgs":
        problems: list[FieldProblem] = []
        if self.existing_service_account_email is not None and "service_account_id" in self.model_fields_set:
            problems.append(
                FieldProblem("service_account_id", "only one of existing_service_account_email and service_account_id can be specified")
            )
        if self.existing_service_account_email is None and "grant_existing_account" in self.model_fields_set:
            problems.append(FieldProblem("grant_existing_account", "needs existing_service_account_email"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    @property
    def grants(self) -> bool:
        """Whether this component grants anything (always for a new GSA)."""
        return self.existing_service_account_email is None or self.grant_existing_account

    def advisories(self) -> list[str]:
        notes = []
        if self.grants and self.bucket_name is None:
            notes.append(
                "bucket_name is not set: the operator's service account gets no access to the cloud's bucket "
                "here (it needs objectAdmin + legacyBucketReader on it)"
            )
        return notes


# --- Component ----------------------------------------------------------------------------
class AnyscaleGkeOperatorIdentity(pulumi.ComponentResource):
    """The operator's Google service account, its Workload Identity member and bucket roles."""

    service_account_email: pulumi.Output[str]
    """The GSA's email: ``--anyscale-operator-iam-identity`` and ``global.auth.iamIdentity``."""
    service_account_name: pulumi.Output[str]
    """``projects/<project>/serviceAccounts/<email>``."""
    workload_identity_member: pulumi.Output[str]
    """``serviceAccount:<project>.svc.id.goog[<namespace>/<service account>]``."""
    namespace: str
    """The operator's namespace (plain)."""
    kubernetes_service_account: str
    """The operator's Kubernetes service account (plain)."""

    def __init__(
        self, name: str, args: AnyscaleGkeOperatorIdentityArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleGkeOperatorIdentity"), name, None, opts)
        import pulumi_gcp as gcp  # here, not at the top: the builders stay SDK-free

        w.hand_on_depends_on(self, opts)
        self.namespace = args.namespace
        self.kubernetes_service_account = args.kubernetes_service_account
        project: pulumi.Input[str]
        if args.project_id is not None:
            project = args.project_id
        else:
            project = gcp.organizations.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).project
        pool = pulumi.Output.from_input(args.workload_pool or pulumi.Output.from_input(project).apply(workload_pool))
        self.workload_identity_member = pool.apply(lambda p: pool_member(p, args.namespace, args.kubernetes_service_account))

        account: Optional[gcp.serviceaccount.Account] = None
        if args.existing_service_account_email is not None:
            email = args.existing_service_account_email
            self.service_account_email = pulumi.Output.from_input(email)
            self.service_account_name = pulumi.Output.from_input(account_resource_name(email))
        else:
            account = gcp.serviceaccount.Account(
                f"{name}-operator",
                project=project,
                account_id=args.service_account_id,
                display_name=OPERATOR_SERVICE_ACCOUNT_DISPLAY_NAME,
                description=OPERATOR_SERVICE_ACCOUNT_DESCRIPTION,
                opts=w.child(self),
            )
            self.service_account_email = account.email
            self.service_account_name = account.name
        owned = {"deleted_with": account} if account is not None else {}
        if args.grants:
            self._grant(name, args, owned)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {
                "service_account_email": self.service_account_email,
                "service_account_name": self.service_account_name,
                "workload_identity_member": self.workload_identity_member,
            }
        )

    def _grant(self, name: str, args: AnyscaleGkeOperatorIdentityArgs, owned: dict) -> None:
        import pulumi_gcp as gcp

        self_member = self.service_account_email.apply(lambda e: f"serviceAccount:{e}")
        members = {"kubernetes": self.workload_identity_member, "self": self_member}
        keys = {c.WORKLOAD_IDENTITY_USER_ROLE: "workload-identity", c.TOKEN_CREATOR_ROLE: "token-creator"}
        for role, who in operator_account_roles(args.grant_token_creator).items():
            # Non-authoritative: other members of the role on this account stay.
            gcp.serviceaccount.IAMMember(
                f"{name}-operator-{keys[role]}",
                service_account_id=self.service_account_name,
                role=role,
                member=members[who],
                opts=w.child(self, **owned),
            )
        if args.bucket_name is not None:
            bucket = pulumi.Output.from_input(args.bucket_name).apply(lambda b: b.removeprefix(c.GCS_SCHEME))
            for role in operator_bucket_roles():
                gcp.storage.BucketIAMMember(
                    f"{name}-operator-{_role_slug(role)}",
                    bucket=bucket,
                    role=role,
                    member=self_member,
                    opts=w.child(self, **owned),
                )

"""The cloud's Cloud Storage bucket, new or existing, and both service accounts' access to it.

New bucket (what ``anyscale cloud register --provider gcp`` verifies, ``verify_cloud_storage``):
uniform bucket-level access on (the verifier warns without it: it judges access by bucket IAM),
public access prevention ``enforced``, the Anyscale CORS rule (the console's origin, the
methods it uses, ``responseHeader`` ``*`` — the verifier's check — plus the range headers
the file viewer reads), in the cloud's region (the verifier warns about any other; a
multi-region or a configurable dual-region containing the region passes), versioning
with non-current versions deleted after 30 days and unfinished multipart uploads aborted
after 7 (as on AWS), optional CMEK with the Cloud Storage service agent allowed to use
the key, ``force_destroy`` off, and protected by default.

Both modes (new or ``existing_bucket_name``) grant the Anyscale access service account
and the instance service account ``roles/storage.objectAdmin`` +
``roles/storage.legacyBucketReader`` with non-authoritative ``BucketIAMMember``s (never
replacing bindings someone else manages). Why those two: they are the combination the
verifier's own warning recommends ("most brief" in ``_verify_service_account_on_bucket``);
objectAdmin covers what Anyscale does with objects (read, list, create, overwrite and delete
logs, checkpoints and workspace snapshots, multipart uploads) and legacyBucketReader adds
the ``storage.buckets.get`` the verifier asks for. ``roles/storage.admin`` would also pass
but can change the bucket's IAM policy; "best permissions" (objectViewer + objectCreator)
cannot overwrite or delete objects. The anchor's extra ``roles/storage.folderAdmin`` only
matters for hierarchical-namespace buckets, which we do not create.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional

import pulumi
from pydantic import Field, field_validator, model_validator

from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.gcp import _component as w
from anyscale_infra.gcp import constants as c
from anyscale_infra.gcp import validation as v
from anyscale_infra.models import ArgsModel, StrInput

# The rules and builders here import no cloud SDK (the policy pack and its runner use them
# without pulumi-gcp): the components import pulumi_gcp where they declare resources.
if TYPE_CHECKING:
    import pulumi_gcp as gcp

# --- Defaults and facts (candidates for gcp/constants.py) -----------------------------------
#: Days after which a non-current object version is deleted (as on AWS: versioning keeps an
#: overwrite or a delete undoable for a month, without keeping every version forever).
DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30
#: Days after which an unfinished multipart (XML API) upload is aborted (billed until then).
DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7
#: Storage class of a new bucket: data Anyscale reads often (logs, checkpoints, snapshots).
DEFAULT_STORAGE_CLASS = "STANDARD"
#: The roles both service accounts get on the bucket (gcp/constants.py: the verifier's "most
#: brief" combination, the one its warning suggests).
BUCKET_ROLES = c.BUCKET_ROLES
#: What the Cloud Storage service agent needs on a CMEK key to encrypt and decrypt objects.
KMS_ENCRYPTER_DECRYPTER_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
#: Multi-region locations (https://cloud.google.com/storage/docs/locations). The verifier
#: accepts a multi-region whose code starts the cloud's region (``US`` for ``us-central1``).
MULTI_REGIONS = ("ASIA", "EU", "US")
#: Methods of the Anyscale CORS rule (the console reads, uploads and deletes objects).
CORS_METHODS = tuple(c.ANYSCALE_CORS_ALLOWED_METHODS)
#: ``responseHeader`` of the Anyscale CORS rule. In Cloud Storage this one list is both the
#: headers a preflight may ask for and the ``Access-Control-Expose-Headers``: ``*`` is what
#: the verifier checks (``check_gcp_cors_rules``) and Anyscale's own setup sets; the range
#: headers the console's file viewer reads are listed by name too, because a browser honours
#: the ``*`` wildcard only on requests without credentials. (The anchor's ``expose_headers``
#: key is not part of its variable's type, so Terraform drops it: its rule has only ``*``.)
CORS_RESPONSE_HEADERS = ("*", *c.ANYSCALE_CORS_EXPOSE_HEADERS)

_KMS_KEY = re.compile(r"^projects/([^/]+)/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys/([^/]+)$")
_REGION_LIKE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)+[0-9]+$")
_ROLE_SLUG = re.compile(r"(?<!^)(?=[A-Z])")


# --- Pure builders ----------------------------------------------------------------------------
def anyscale_cors_rule(
    origins: Sequence[str] = (c.ANYSCALE_CORS_ORIGIN,), max_age_seconds: int = c.CORS_MAX_AGE_SECONDS
) -> dict[str, Any]:
    """The Anyscale CORS rule in the Cloud Storage JSON API shape (``origin``, ``method``,
    ``responseHeader``, ``maxAgeSeconds``): what ``gcloud storage buckets update
    --cors-file`` takes and what the verifier reads from ``bucket.cors``."""
    return {
        "origin": list(origins),
        "method": list(CORS_METHODS),
        "responseHeader": list(CORS_RESPONSE_HEADERS),
        "maxAgeSeconds": max_age_seconds,
    }


def cors_rule_to_args(rule: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON API CORS rule as ``gcp.storage.Bucket(cors=[...])`` takes it (plural names)."""
    return {
        "origins": list(rule.get("origin", [])),
        "methods": list(rule.get("method", [])),
        "response_headers": list(rule.get("responseHeader", [])),
        "max_age_seconds": rule.get("maxAgeSeconds"),
    }


def cors_rule_from_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A ``cors`` entry as the engine and CrossGuard see it (``origins``, ``methods``,
    ``responseHeaders``, ``maxAgeSeconds``) back in the JSON API shape, so a policy can
    hand a planned bucket's rules to the verifier's own check."""
    rule: dict[str, Any] = {
        "origin": list(inputs.get("origins") or []),
        "method": list(inputs.get("methods") or []),
        "responseHeader": list(inputs.get("responseHeaders") or []),
    }
    if inputs.get("maxAgeSeconds") is not None:
        rule["maxAgeSeconds"] = inputs["maxAgeSeconds"]
    return rule


def lifecycle_rules(
    noncurrent_version_expiration_days: Optional[int], abort_incomplete_multipart_upload_days: int
) -> list[dict[str, Any]]:
    """The bucket's lifecycle rules (``gcp.storage.Bucket(lifecycle_rules=...)`` shape)."""
    rules: list[dict[str, Any]] = [
        {
            "action": {"type": "AbortIncompleteMultipartUpload"},
            "condition": {"age": abort_incomplete_multipart_upload_days},
        }
    ]
    if noncurrent_version_expiration_days is not None:
        rules.append(
            {
                # Only non-current versions have a noncurrent time: live objects never match.
                "action": {"type": "Delete"},
                "condition": {"days_since_noncurrent_time": noncurrent_version_expiration_days},
            }
        )
    return rules


class LocationError(ValueError):
    """A broken location rule, and the argument that breaks it (``location`` or
    ``dual_region_data_locations``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def bucket_location(
    region: str, location: Optional[str] = None, data_locations: Optional[Sequence[str]] = None
) -> tuple[str, Optional[list[str]]]:
    """Where the bucket goes: ``(location, data locations or None)``, upper-case as Cloud
    Storage reports them, or a :class:`LocationError` naming the argument and the rule.

    The verifier (``_check_bucket_region``) warns unless the bucket holds data in the
    cloud's region: the region itself, a multi-region whose code starts the region, or a
    dual-region listing it among its data locations. Only a configurable dual-region (a
    multi-region code plus two data locations) lists them; predefined ones (NAM4, EUR4...)
    are refused with the equivalent spelling.
    """
    cloud = region.upper()
    degraded = "(the verifier warns: degraded cluster launch and logging)"
    if location is None:
        if data_locations is not None:
            raise LocationError("location", "a dual-region needs location set to its multi-region (US, EU or ASIA)")
        return cloud, None
    loc = location.upper()
    if loc in MULTI_REGIONS:
        if data_locations is None:
            if not cloud.startswith(loc):
                raise LocationError("location", f"multi-region {loc} does not contain the cloud's region {region} {degraded}")
            return loc, None
        pair = [d.upper() for d in data_locations]
        if len(pair) != 2 or pair[0] == pair[1]:
            raise LocationError(
                "dual_region_data_locations", f"a dual-region takes exactly two different regions (got {list(data_locations)})"
            )
        if cloud not in pair:
            raise LocationError(
                "dual_region_data_locations",
                f"dual-region {' + '.join(pair)} does not contain the cloud's region {region} {degraded}",
            )
        outside = [d for d in pair if not d.startswith(loc)]
        if outside:
            raise LocationError(
                "dual_region_data_locations", f"regions {', '.join(outside)} are not in multi-region {loc}"
            )
        return loc, pair
    if data_locations is not None:
        raise LocationError(
            "dual_region_data_locations", f"data locations need a multi-region location (US, EU or ASIA), not {location}"
        )
    if _REGION_LIKE.match(location):
        if loc != cloud:
            raise LocationError(
                "location",
                f"{location} is not the cloud's region {region} {degraded}; leave location unset to use the cloud's region",
            )
        return cloud, None
    raise LocationError(
        "location",
        f"{location!r} is not the cloud's region, a multi-region (US, EU, ASIA) containing it, or a "
        "configurable dual-region (location='US' with dual_region_data_locations=['US-CENTRAL1', "
        "'US-EAST1']); predefined dual-regions like NAM4 report no data locations to the verifier",
    )


def check_kms_key_name(value: str) -> str:
    """``projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`` (candidate for gcp/validation.py)."""
    if not isinstance(value, str) or not _KMS_KEY.match(value):
        raise ValueError(
            f"{value!r} is not a Cloud KMS key name like "
            "projects/my-project/locations/us-central1/keyRings/anyscale/cryptoKeys/bucket"
        )
    return value


def _role_slug(role: str) -> str:
    """``roles/storage.objectAdmin`` -> ``object-admin`` (stable logical names)."""
    return _ROLE_SLUG.sub("-", role.rsplit(".", 1)[-1]).lower()


# --- Args ---------------------------------------------------------------------------------
class AnyscaleGcsBucketArgs(ArgsModel):
    """Arguments of :class:`AnyscaleGcsBucket`."""

    region: Optional[str] = None
    """The cloud's region (``--region``), e.g. ``us-central1``. Required for a new bucket
    (where it goes, and what ``location`` and a CMEK key are checked against)."""
    bucket_name: Optional[str] = None
    """Name of the new bucket (without ``gs://``). Optional; defaults to Pulumi's
    auto-name ``<name>-bucket-<7 hex>``, which must then be a valid bucket name."""
    existing_bucket_name: Optional[str] = None
    """Use this existing bucket (``gs://`` optional): nothing on the bucket changes, only
    both service accounts are granted access (bring-your-own). Optional."""
    project_id: Optional[str] = None
    """Project of the new bucket (and of the Cloud Storage service agent granted the CMEK
    key). Optional; defaults to the provider's project."""
    location: Optional[str] = None
    """Bucket location: the cloud's region, a multi-region containing it (``US`` for
    ``us-*``, ``EU``, ``ASIA``), or a multi-region with ``dual_region_data_locations``.
    Optional; defaults to the cloud's region (the verifier warns about any location not
    holding the region; the anchor defaults to ``US`` whatever the region)."""
    dual_region_data_locations: Optional[list[str]] = None
    """The two regions of a configurable dual-region, one of them the cloud's (with
    ``location`` their multi-region). Optional; defaults to none (a single region)."""
    kms_key_name: Optional[StrInput] = None
    """Cloud KMS key for CMEK (``encryption.default_kms_key_name``), in the bucket's
    location. Optional; defaults to Google-managed encryption."""
    grant_kms_key_to_storage_agent: bool = True
    """With ``kms_key_name``: grant the project's Cloud Storage service agent
    ``roles/cloudkms.cryptoKeyEncrypterDecrypter`` on the key (Cloud Storage encrypts with
    it; without the grant, creating the bucket fails). Set False when the key's owners
    grant it. Defaults to True."""
    access_service_account_email: Optional[StrInput] = None
    """The Anyscale access (control plane) service account
    (``--anyscale-service-account-email``), granted objectAdmin + legacyBucketReader.
    Optional, but the verifier asks to confirm missing permissions without it. Set for
    you inside :class:`AnyscaleGcpCloud`."""
    instance_service_account_email: Optional[StrInput] = None
    """The cluster nodes' service account (``--instance-service-account-email``), granted
    objectAdmin + legacyBucketReader. Optional, as ``access_service_account_email``."""
    versioning: bool = True
    """Keep object versions (overwrites and deletes can be undone). Defaults to True."""
    noncurrent_version_expiration_days: Optional[int] = Field(
        default=DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, ge=1
    )
    """Delete non-current versions this many days after they stop being current; None
    keeps them forever. Defaults to 30."""
    abort_incomplete_multipart_upload_days: int = Field(default=DEFAULT_ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS, ge=1)
    """Abort unfinished multipart uploads after this many days. Defaults to 7."""
    cors_allowed_origins: list[str] = Field(default_factory=lambda: [c.ANYSCALE_CORS_ORIGIN])
    """Origins of the CORS rule. Defaults to the console's ``https://*.anyscale.com`` (the
    origin the verifier looks for)."""
    cors_max_age_seconds: int = Field(default=c.CORS_MAX_AGE_SECONDS, ge=0)
    """How long browsers may cache a preflight answer. Defaults to 3600."""
    force_destroy: bool = False
    """Let `pulumi destroy` delete a non-empty bucket. Defaults to False."""
    protect: bool = True
    """Protect the bucket from deletion and replacement. Defaults to True."""
    labels: dict[str, str] = Field(default_factory=dict)
    """Labels of the new bucket (Google Cloud label rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: labelled ``anyscale-cloud-id``. Optional."""

    @field_validator("region")
    @classmethod
    def _region(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_region(value)

    @field_validator("bucket_name", "existing_bucket_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_bucket_name(value.removeprefix(c.GCS_SCHEME))

    @field_validator("project_id")
    @classmethod
    def _project(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_project_id(value)

    @field_validator("kms_key_name")
    @classmethod
    def _kms(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return check_kms_key_name(value) if isinstance(value, str) else value

    @field_validator("access_service_account_email", "instance_service_account_email")
    @classmethod
    def _email(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_service_account_email(value) if isinstance(value, str) else value

    @field_validator("dual_region_data_locations")
    @classmethod
    def _pair(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        for region in value or []:
            v.check_region(region.lower())
        return value

    @field_validator("cors_allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(f"needs at least the Anyscale console origin {c.ANYSCALE_CORS_ORIGIN}")
        for origin in value:
            if not origin.startswith("https://"):
                raise ValueError(f"origin {origin!r} must start with https://")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_labels(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_cloud_id(value)

    def wiring_problems(self) -> list[FieldProblem]:
        """What a new bucket still needs that :class:`AnyscaleGcpCloud` fills in: checked by
        the component before any resource (and by the cloud's args, after wiring)."""
        if self.existing_bucket_name is None and self.region is None:
            return [FieldProblem("region", "is required for a new bucket: the cloud's region (--region)")]
        return []

    @model_validator(mode="after")
    def _modes(self) -> AnyscaleGcsBucketArgs:
        problems: list[FieldProblem] = []
        if self.existing_bucket_name is not None:
            for name in (
                "bucket_name", "location", "dual_region_data_locations", "kms_key_name", "versioning",
                "noncurrent_version_expiration_days", "abort_incomplete_multipart_upload_days",
                "cors_allowed_origins", "cors_max_age_seconds", "force_destroy",
            ):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(
                            name,
                            f"configures a bucket we create; only one of existing_bucket_name and {name} can be specified",
                        )
                    )
        else:
            # (No region yet: AnyscaleGcpCloud sets it; the component checks it is there,
            # see `wiring_problems`.)
            if self.region is not None:
                try:
                    location, _ = bucket_location(self.region, self.location, self.dual_region_data_locations)
                except LocationError as exc:
                    problems.append(FieldProblem(exc.field, str(exc)))
                else:
                    problems += self._key_location(location)
        if not self.versioning and "noncurrent_version_expiration_days" in self.model_fields_set:
            problems.append(FieldProblem("noncurrent_version_expiration_days", "needs versioning=True"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def _key_location(self, location: str) -> list[FieldProblem]:
        """A CMEK key must be where the bucket is (Cloud KMS key location = bucket location).
        Checked for a region or a multi-region; Google checks a dual-region's."""
        if not isinstance(self.kms_key_name, str) or self.dual_region_data_locations is not None:
            return []
        key_location = _KMS_KEY.match(self.kms_key_name).group(2)  # type: ignore[union-attr]
        if key_location.upper() != location:
            return [
                FieldProblem(
                    "kms_key_name",
                    f"key is in {key_location} but the bucket is in {location.lower()}; Cloud Storage needs "
                    "the key in the bucket's location",
                )
            ]
        return []

    def advisories(self) -> list[str]:
        notes = []
        if self.existing_bucket_name is None and not self.versioning:
            notes.append("versioning is off: an overwritten or deleted object cannot be recovered")
        if c.ANYSCALE_CORS_ORIGIN not in self.cors_allowed_origins and self.existing_bucket_name is None:
            notes.append(
                f"the CORS rule does not allow {c.ANYSCALE_CORS_ORIGIN}; `anyscale cloud register` warns and the "
                "console cannot show the bucket's files"
            )
        for field, account in (
            ("access_service_account_email", "Anyscale access"),
            ("instance_service_account_email", "instance"),
        ):
            if getattr(self, field) is None:
                notes.append(
                    f"{field} is not set: the {account} service account gets no access to the bucket here, and "
                    "`anyscale cloud register` asks to confirm the missing permissions"
                )
        return notes


# --- Component ------------------------------------------------------------------------------
class AnyscaleGcsBucket(pulumi.ComponentResource):
    """The Cloud Storage bucket an Anyscale cloud keeps logs, checkpoints and artifacts in."""

    bucket_name: pulumi.Output[str]
    """The bucket's name, without scheme."""
    bucket_url: pulumi.Output[str]
    """``gs://<name>``: the value of ``--cloud-storage-bucket-name``."""
    kms_key_name: pulumi.Output[Optional[str]]
    """The CMEK key, when used."""

    def __init__(self, name: str, args: AnyscaleGcsBucketArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(w.type_token("AnyscaleGcsBucket"), name, None, opts)
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        w.hand_on_depends_on(self, opts)  # e.g. the APIs the cloud enables first
        model = type(args).__name__
        if args.existing_bucket_name is None and args.bucket_name is None:
            # Pulumi auto-names `<logical name>-<7 hex>`: catch a name that cannot be a bucket now.
            try:
                v.check_bucket_name(f"{name}-bucket-0000000")
            except ValueError as exc:
                raise w.fail(
                    model, "bucket_name", f"is needed: the auto-name from component name {name!r} is invalid ({exc})"
                ) from None
        if args.existing_bucket_name is not None:
            self.bucket_name = pulumi.Output.from_input(args.existing_bucket_name.removeprefix(c.GCS_SCHEME))
            deleted_with = None
        else:
            bucket = self._create_bucket(name, args)
            self.bucket_name = bucket.name
            deleted_with = bucket
        self.bucket_url = self.bucket_name.apply(lambda bucket: f"{c.GCS_SCHEME}{bucket}")
        self.kms_key_name = pulumi.Output.from_input(args.kms_key_name)
        self._grant_accounts(name, args, deleted_with)
        w.emit_advisories(self, args.advisories())
        self.register_outputs(
            {"bucket_name": self.bucket_name, "bucket_url": self.bucket_url, "kms_key_name": self.kms_key_name}
        )

    def _create_bucket(self, name: str, args: AnyscaleGcsBucketArgs) -> gcp.storage.Bucket:
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        assert args.region is not None  # the model requires it for a new bucket
        location, data_locations = bucket_location(args.region, args.location, args.dual_region_data_locations)
        depends_on: list[pulumi.Resource] = []
        if args.kms_key_name is not None and args.grant_kms_key_to_storage_agent:
            depends_on.append(self._grant_key(name, args))
        rule = anyscale_cors_rule(args.cors_allowed_origins, args.cors_max_age_seconds)
        return gcp.storage.Bucket(
            f"{name}-bucket",
            name=args.bucket_name,
            project=args.project_id,
            location=location,
            custom_placement_config={"data_locations": data_locations} if data_locations else None,
            storage_class=DEFAULT_STORAGE_CLASS,
            # verifier: warns unless uniform bucket-level access is on (no object ACLs).
            uniform_bucket_level_access=True,
            # verifier: accepts "enforced" or "inherited"; nothing in the bucket is public.
            public_access_prevention=c.PUBLIC_ACCESS_PREVENTION_ENFORCED,
            # verifier: check_gcp_cors_rules (origin, responseHeader "*", GET).
            cors=[cors_rule_to_args(rule)],
            versioning={"enabled": args.versioning},
            lifecycle_rules=lifecycle_rules(
                args.noncurrent_version_expiration_days if args.versioning else None,
                args.abort_incomplete_multipart_upload_days,
            ),
            encryption={"default_kms_key_name": args.kms_key_name} if args.kms_key_name is not None else None,
            force_destroy=args.force_destroy,
            labels=w.merge_labels(args.labels, args.cloud_id),
            # Cloud Storage checks the key grant when the bucket is created.
            opts=w.stateful(self, args.protect, depends_on=depends_on),
        )

    def _grant_key(self, name: str, args: AnyscaleGcsBucketArgs) -> gcp.kms.CryptoKeyIAMMember:
        """CMEK: the project's Cloud Storage service agent (``service-<number>@gs-project-
        accounts``) encrypts and decrypts with the key; our service accounts need nothing on it."""
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        agent = gcp.storage.get_project_service_account_output(
            project=args.project_id, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        return gcp.kms.CryptoKeyIAMMember(
            f"{name}-kms-storage-agent",
            crypto_key_id=args.kms_key_name,  # type: ignore[arg-type]
            role=KMS_ENCRYPTER_DECRYPTER_ROLE,
            member=agent.member,
            opts=w.child(self),
        )

    def _grant_accounts(self, name: str, args: AnyscaleGcsBucketArgs, bucket: Optional[pulumi.Resource]) -> None:
        import pulumi_gcp as gcp  # here, not at the top: the module's pure part stays SDK-free
        accounts = {
            "access": args.access_service_account_email,
            "instance": args.instance_service_account_email,
        }
        for key, email in accounts.items():
            if email is None:
                continue
            member = pulumi.Output.from_input(email).apply(lambda e: f"serviceAccount:{e}")
            for role in BUCKET_ROLES:
                gcp.storage.BucketIAMMember(
                    f"{name}-{key}-{_role_slug(role)}",
                    bucket=self.bucket_name,
                    role=role,
                    member=member,
                    opts=w.child(self, deleted_with=bucket) if bucket is not None else w.child(self),
                )

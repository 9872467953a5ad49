"""The exported `anyscale cloud register --provider gcp` command, checked against the program.

A register command that names a VPC, subnet, firewall policy, bucket, Filestore, Memorystore,
service account or workload identity provider other than the ones the program builds — or
the right ones in the wrong form (a provider name with the project ID for its number, the
access and instance accounts swapped) — registers a broken cloud. These rules read the
command (the flag dict, the resource file) from the stack outputs and check every value
against the resources, as the AWS ones do (:mod:`anyscale_infra.policy.aws.register`):

* a value the program **builds** must be the right one (a subnet of the registered VPC that
  holds VMs, in ``--region``; a firewall policy associated with that VPC, in the network's
  project; the bucket with the Anyscale CORS rule; the Filestore at ``--filestore-location``
  and the Memorystore, both on that VPC; the account the Anyscale pool may impersonate, and
  another one for the nodes; the pool's provider, by the project number);
* a value the program only **references** (passes to one of its resources — by name, id or
  self link: compared by the last path segment — or looks up with ``.get``) is
  bring-your-own: accepted as external;
* a value it neither builds nor references, where it builds one of that kind, is a mismatch;
  a Filestore or Memorystore the program builds and the command leaves out, too.

They see stack outputs, so they run in ``anyscale-infra check`` only (CrossGuard shows a
pack no outputs): see :mod:`anyscale_infra.policy.outputs`. No GCP flag is a secret (no
External ID): the messages print the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Optional

from pulumi_policy import EnforcementLevel, PolicyResource

from anyscale_infra.gcp import constants as c
from anyscale_infra.policy.gcp._facts import (
    ACCOUNT_CONFIG,
    BUCKET,
    FILESTORE,
    NETWORK,
    POOL,
    POOL_PROVIDER,
    PROJECT_IAM,
    REDIS,
    REDIS_DEFAULT_NETWORK,
    SA_IAM,
    SERVICE_ACCOUNT,
    SUBNETWORK,
    WORKLOAD_IDENTITY_USER,
    access_accounts,
    account_of,
    as_list,
    associations,
    associations_of,
    bucket_name,
    firewall_policies,
    get,
    grants,
    holds_vms,
    ident,
    is_regional,
    keys,
    label,
    last_segment,
    of_type,
    pool_of_member,
    subnet_region,
)
from anyscale_infra.policy.outputs import (
    FlagValue,
    OutputsPolicy,
    OutputsValidationArgs,
    NameJudge,
    RegisterCall,
    Report,
    each_call,
    resource_file_reader,
    where,
)

PROVIDER = "gcp"
ROUTER = "gcp:compute/router:Router"
ROUTER_NAT = "gcp:compute/routerNat:RouterNat"
API_SERVICE = "gcp:projects/service:Service"
CUSTOM_ROLE = "gcp:projects/iAMCustomRole:IAMCustomRole"
#: Kinds that live in the cloud's own (service) project, never a shared VPC's host project:
#: the project they state is the one ``--project-id`` names.
CLOUD_PROJECT_TYPES = (SERVICE_ACCOUNT, POOL, POOL_PROVIDER, BUCKET, FILESTORE, REDIS, API_SERVICE, CUSTOM_ROLE, *PROJECT_IAM)
#: A Cloud NAT's ``sourceSubnetworkIpRangesToNat`` values that serve every subnet of the region.
NAT_ALL_SUBNETWORKS = ("ALL_SUBNETWORKS_ALL_IP_RANGES", "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES")
NAT_LIST = "LIST_OF_SUBNETWORKS"

#: ``projects/<p>/locations/<loc>/instances/<id>``: the resource file's Filestore id, and the
#: Memorystore name.
INSTANCE_NAME = re.compile(r"^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/instances/(?P<name>[^/]+)$")
PROVIDER_NAME = re.compile(
    r"^projects/(?P<project>[^/]+)/locations/global/workloadIdentityPools/(?P<pool>[^/]+)/providers/(?P<provider>[^/]+)$"
)
SA_MEMBER_PREFIX = "serviceAccount:"
_PROJECT_IN_PATH = re.compile(r"(?:^|/)projects/([^/]+)/")
_NUMBER = re.compile(r"^[0-9]+$")


@resource_file_reader("GCP")
def flags_of_resource_file(spec: Mapping[str, Any]) -> dict[str, FlagValue]:
    """A GCP ``CloudDeployment`` (the register resource file) as the flags it stands for, so
    the same rules check both forms (``register_cloud`` maps them one to one, but for the
    Filestore: the file's full ``projects/<p>/locations/<loc>/instances/<id>`` is the two
    flags ``--filestore-instance-id`` and ``--filestore-location``)."""
    config = spec.get("gcp_config") or {}
    flags: dict[str, FlagValue] = {"--provider": PROVIDER}
    pairs = {
        "--name": spec.get("name"),
        "--project-id": config.get("project_id"),
        "--vpc-name": config.get("vpc_name"),
        "--subnet-names": ",".join(config.get("subnet_names") or []) or None,
        "--region": spec.get("region"),
        "--firewall-policy-names": ",".join(config.get("firewall_policy_names") or []) or None,
        "--cloud-storage-bucket-name": (spec.get("object_storage") or {}).get("bucket_name"),
        "--anyscale-service-account-email": config.get("anyscale_service_account_email"),
        "--instance-service-account-email": config.get("cluster_service_account_email"),
        "--provider-name": config.get("provider_name"),
        "--memorystore-instance-name": config.get("memorystore_instance_name"),
        "--host-project-id": config.get("host_project_id"),
    }
    file_storage_id = (spec.get("file_storage") or {}).get("file_storage_id")
    if file_storage_id:
        match = INSTANCE_NAME.match(str(file_storage_id))
        pairs["--filestore-instance-id"] = match.group("name") if match else file_storage_id
        pairs["--filestore-location"] = match.group("location") if match else None
    flags.update({flag: str(value) for flag, value in pairs.items() if value})
    if str(spec.get("networking_mode", "")).upper() == "PRIVATE":
        flags["--private-network"] = True
    return flags


def _text(call: RegisterCall, flag: str) -> Optional[str]:
    value = call.get(flag)
    return value if isinstance(value, str) and value else None


def _referenced(args: OutputsValidationArgs) -> set[str]:
    """What the program references, and the last path segment of each: GCP resources name
    one another by name, id (``projects/p/global/networks/n``) or self link, and an IAM
    member (``serviceAccount:<email>``) references the account."""
    found = args.referenced()
    found |= {value.removeprefix(SA_MEMBER_PREFIX) for value in found if value.startswith(SA_MEMBER_PREFIX)}
    return found | {segment for value in found if (segment := last_segment(value))}


def _project_of(resource: PolicyResource) -> Optional[str]:
    """The project a resource says it is in: its ``project``, else the one in its id or self link."""
    project = get(resource.props, "project")
    if isinstance(project, str) and project:
        return last_segment(project)
    for value in (ident(resource), get(resource.props, "selfLink")):
        match = _PROJECT_IN_PATH.search(str(value or ""))
        if match:
            return match.group(1)
    return None


def _number_in(name: Any) -> Optional[str]:
    """The project number of a pool's or provider's ``name`` (``projects/<number>/...``)."""
    match = _PROJECT_IN_PATH.match(str(name or ""))
    return match.group(1) if match and _NUMBER.match(match.group(1)) else None


def _each(check: Callable[[OutputsValidationArgs, RegisterCall, Report], None]):  # type: ignore[no-untyped-def]
    return each_call(PROVIDER, check)


def _stated_projects(args: OutputsValidationArgs) -> dict[str, list[str]]:
    """project id -> the program's resources of the cloud's own kinds that say they are in it."""
    stated: dict[str, list[str]] = {}
    for resource in of_type(args.resources, *CLOUD_PROJECT_TYPES):
        if ident(resource) in args.read_ids:
            continue
        project = _project_of(resource)
        if project and not _NUMBER.match(project):
            stated.setdefault(project, []).append(resource.name)
    return stated


def _registered_project(args: OutputsValidationArgs, call: RegisterCall) -> Optional[str]:
    """``--project-id``, unless it is not the program's (reported by the project rule: the
    other rules do not report it again through each resource)."""
    project = _text(call, "--project-id")
    stated = _stated_projects(args)
    return None if project and stated and project not in stated else project


def _network_project(args: OutputsValidationArgs, call: RegisterCall) -> Optional[str]:
    """The project `cloud register` looks the VPC, subnet and firewall policy up in."""
    return _text(call, "--host-project-id") or _registered_project(args, call)


def _registered_vpc(args: OutputsValidationArgs, call: RegisterCall, refs: set[str]) -> Optional[str]:
    """``--vpc-name``, unless it names a VPC the program neither builds nor references
    (reported by the network rule: the others do not report it again through each resource)."""
    vpc_name = _text(call, "--vpc-name")
    if vpc_name and NameJudge(args, "VPC", of_type(args.resources, NETWORK), keys, refs).judge(vpc_name)[1]:
        return None
    return vpc_name


def _not_in_network_project(call: RegisterCall, what: str, project: str) -> str:
    if _text(call, "--host-project-id"):
        return (
            f"names {what}, which the program builds in project {project}, not in the --host-project-id "
            f"{_text(call, '--host-project-id')}: with a shared VPC, `cloud register` looks the network up in the host project."
        )
    return (
        f"names {what}, which the program builds in project {project}, not in the --project-id "
        f"{_text(call, '--project-id')}: `cloud register` looks it up there (a VPC of another project is a "
        f"shared VPC: pass --host-project-id {project})."
    )


# -- network -----------------------------------------------------------------------------------


def _network(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources, refs = args.resources, _referenced(args)
    vpc_name = _text(call, "--vpc-name")
    vpc_problem = None
    if vpc_name:
        vpc, vpc_problem = NameJudge(args, "VPC", of_type(resources, NETWORK), keys, refs).judge(vpc_name)
        if vpc_problem:
            report(f"{where(call, '--vpc-name')} {vpc_problem}.", None)
        elif vpc is not None:
            project, wanted = _project_of(vpc), _network_project(args, call)
            if project and wanted and project != wanted:
                report(f"{where(call, '--vpc-name')} {_not_in_network_project(call, f'VPC {vpc_name}', project)}", vpc.urn)
    subnets = NameJudge(args, "subnet", of_type(resources, SUBNETWORK), keys, refs)
    region = _text(call, "--region")
    for name in call.values("--subnet-names"):
        subnet, problem = subnets.judge(name)
        if problem:
            report(f"{where(call, '--subnet-names')} {problem}.", None)
            continue
        if subnet is None:
            continue
        in_vpc = last_segment(get(subnet.props, "network"))
        # (A --vpc-name already reported above is not reported again through its subnets.)
        if vpc_name and in_vpc and in_vpc != vpc_name and not vpc_problem:
            report(f"{where(call, '--subnet-names')} names subnet {name} of VPC {in_vpc}, not of the registered --vpc-name {vpc_name}.", subnet.urn)
            continue
        if not holds_vms(subnet):
            report(
                f"{where(call, '--subnet-names')} names subnet {name}, whose purpose is {get(subnet.props, 'purpose')}: "
                "no VM runs in it (a proxy-only subnet serves Google's load balancers); the cloud subnet is the one "
                "clusters run in.",
                subnet.urn,
            )
            continue
        in_region = subnet_region(subnet)
        if region and in_region and in_region != region:
            report(
                f"{where(call, '--subnet-names')} names subnet {name} of region {in_region}, not of the --region {region}: "
                "`cloud register` looks the subnet up in the cloud's region.",
                subnet.urn,
            )


# -- firewall policy -----------------------------------------------------------------------------


def _firewall(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources, refs = args.resources, _referenced(args)
    policies = NameJudge(args, "firewall policy", firewall_policies(resources), keys, refs)
    found = associations(resources)
    vpc_name, region = _registered_vpc(args, call, refs), _text(call, "--region")
    for name in call.values("--firewall-policy-names"):
        policy, problem = policies.judge(name)
        if problem:
            report(f"{where(call, '--firewall-policy-names')} {problem}.", None)
            continue
        if policy is None:
            continue
        targets = sorted({a.target for a in associations_of(policy, found) if a.target})
        if vpc_name and vpc_name not in targets:
            association = f"associated with {', '.join(targets)}" if targets else "associated with no VPC"
            report(
                f"{where(call, '--firewall-policy-names')} names firewall policy {name}, which is {association}, not with the "
                f"registered --vpc-name {vpc_name}: its rules do not apply to the cloud's VMs, and `cloud register` "
                "fails (verify_firewall_policy).",
                policy.urn,
            )
            continue
        project, wanted = _project_of(policy), _network_project(args, call)
        if project and wanted and project != wanted:
            report(f"{where(call, '--firewall-policy-names')} {_not_in_network_project(call, f'firewall policy {name}', project)}", policy.urn)
            continue
        in_region = last_segment(get(policy.props, "region"))
        if is_regional(policy) and region and in_region and in_region != region:
            report(
                f"{where(call, '--firewall-policy-names')} names the regional firewall policy {name} of {in_region}, not "
                f"of the --region {region}: `cloud register` looks a regional policy up in the cloud's region.",
                policy.urn,
            )


# -- storage ----------------------------------------------------------------------------------


def _bucket_names(bucket: PolicyResource) -> set[str]:
    return {k for k in (bucket_name(bucket), last_segment(ident(bucket))) if k}


def _storage(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    from anyscale_infra.policy.gcp.storage import _anyscale_cors

    resources, refs = args.resources, _referenced(args)
    vpc_name = _registered_vpc(args, call, refs)
    value = _text(call, "--cloud-storage-bucket-name")
    if value:
        name = value.removeprefix(c.GCS_SCHEME).rstrip("/")
        buckets = NameJudge(args, "bucket", of_type(resources, BUCKET), _bucket_names, refs, lambda b: str(bucket_name(b)))
        bucket, problem = buckets.judge(name)
        if problem:
            report(f"{where(call, '--cloud-storage-bucket-name')} {problem}.", None)
        elif bucket is not None and not any(_anyscale_cors(rule) for rule in as_list(get(bucket.props, "cors"))):
            report(
                f"{where(call, '--cloud-storage-bucket-name')} names bucket {name}, which has no Anyscale CORS rule "
                f"(origin {c.ANYSCALE_CORS_ORIGIN}): the cloud bucket is the one the console can read "
                "(check_gcp_cors_rules).",
                bucket.urn,
            )
    _filestore(args, call, report, refs, vpc_name)
    _memorystore(args, call, report, refs, vpc_name)


def _filestore(args: OutputsValidationArgs, call: RegisterCall, report: Report, refs: set[str], vpc_name: Optional[str]) -> None:
    instances = NameJudge(args, "Filestore instance", of_type(args.resources, FILESTORE), keys, refs)
    instance_id, location = _text(call, "--filestore-instance-id"), _text(call, "--filestore-location")
    if not instance_id:
        if instances.built:
            report(
                f"{call.output}: no --filestore-instance-id, but the program builds Filestore {', '.join(instances.shown)}: "
                "workspaces need it.",
                None,
            )
        return
    instance, problem = instances.judge(instance_id)
    if problem:
        report(f"{where(call, '--filestore-instance-id')} {problem}.", None)
        return
    if not location:
        report(f"{where(call, '--filestore-instance-id')} is given without --filestore-location: `cloud register` needs both.", None)
        return
    if instance is None:
        return
    built_in = get(instance.props, "location") or get(instance.props, "zone")
    if isinstance(built_in, str) and built_in and built_in != location:
        report(
            f"{where(call, '--filestore-location')} is {location}, but the program builds Filestore {instance_id} in "
            f"{built_in}: `cloud register` looks up projects/<project>/locations/{location}/instances/{instance_id}.",
            instance.urn,
        )
        return
    project, wanted = _project_of(instance), _registered_project(args, call)
    if project and wanted and project != wanted:
        report(
            f"{where(call, '--filestore-instance-id')} names Filestore {instance_id}, which the program builds in project "
            f"{project}, not in the --project-id {wanted} (where `cloud register` looks it up).",
            instance.urn,
        )
        return
    networks = [last_segment(n.get("network")) for n in as_list(get(instance.props, "networks")) if isinstance(n, Mapping)]
    networks = [n for n in networks if n]
    if vpc_name and networks and vpc_name not in networks:
        report(
            f"{where(call, '--filestore-instance-id')} names Filestore {instance_id}, which is connected to "
            f"{', '.join(networks)}, not to the registered --vpc-name {vpc_name}: clusters cannot mount it "
            "(verify_filestore).",
            instance.urn,
        )


def _project_numbers(resources: Iterable[PolicyResource]) -> dict[str, set[str]]:
    """project id -> the project numbers the program's resources show for it (a pool's or
    provider's ``name``, a bucket's ``projectNumber``)."""
    found: dict[str, set[str]] = {}
    for resource in resources:
        project = _project_of(resource)
        number = _number_in(get(resource.props, "name")) if resource.resource_type in (POOL, POOL_PROVIDER) else None
        if resource.resource_type == BUCKET and _NUMBER.match(str(get(resource.props, "projectNumber") or "")):
            number = str(get(resource.props, "projectNumber"))
        if project and number and not _NUMBER.match(project):
            found.setdefault(project, set()).add(number)
    return found


def _memorystore(args: OutputsValidationArgs, call: RegisterCall, report: Report, refs: set[str], vpc_name: Optional[str]) -> None:
    resources = args.resources
    instances = NameJudge(args, "Memorystore instance", of_type(resources, REDIS), keys, refs)
    value = _text(call, "--memorystore-instance-name")
    if not value:
        if instances.built:
            report(
                f"{call.output}: no --memorystore-instance-name, but the program builds Memorystore "
                f"{', '.join(instances.shown)}: without it the head node is not fault tolerant.",
                None,
            )
        return
    match = INSTANCE_NAME.match(value)
    if not match:
        report(
            f"{where(call, '--memorystore-instance-name')} is {value}, not a full Memorystore instance name "
            "projects/<project>/locations/<region>/instances/<name>: `cloud register` rejects it.",
            None,
        )
        return
    instance = next((r for r in instances.built.values() if ident(r) == value), None)
    if instance is None:
        if value in refs:
            return  # the full name of one the program references
        instance, problem = instances.judge(match.group("name"))
        if problem:
            report(f"{where(call, '--memorystore-instance-name')} {problem}.", None)
            return
        if instance is None:
            return
    project = _project_of(instance)
    numbers = _project_numbers(resources).get(project or "", set())
    region = get(instance.props, "region") or _instance_location(instance)
    if (project and match.group("project") not in {project, *numbers}) or (region and match.group("location") != region):
        shown = f"projects/{project or '<project>'}/locations/{region or '<region>'}/instances/{match.group('name')}"
        report(
            f"{where(call, '--memorystore-instance-name')} is {value}, but the program builds Memorystore "
            f"{match.group('name')} as {shown}.",
            instance.urn,
        )
        return
    network = last_segment(get(instance.props, "authorizedNetwork")) or REDIS_DEFAULT_NETWORK
    if vpc_name and network != vpc_name:
        report(
            f"{where(call, '--memorystore-instance-name')} names Memorystore {match.group('name')}, which is connected "
            f"to {network}, not to the registered --vpc-name {vpc_name}: clusters cannot reach it (verify_memorystore).",
            instance.urn,
        )


def _instance_location(instance: PolicyResource) -> Optional[str]:
    match = INSTANCE_NAME.match(str(ident(instance) or ""))
    return match.group("location") if match else None


# -- service accounts ----------------------------------------------------------------------


def _account_names(account: PolicyResource) -> set[str]:
    found = keys(account, "email", "uniqueId")
    email = get(account.props, "email")
    if isinstance(email, str):
        found.add(email)
    return found


def _account_shown(account: PolicyResource) -> str:
    return str(get(account.props, "email") or label(account))


def _service_accounts(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources = args.resources
    accounts = NameJudge(args, "service account", of_type(resources, SERVICE_ACCOUNT), _account_names, _referenced(args), _account_shown)
    access = {a.email for a in access_accounts(list(resources), account_of(args.get_config())) if a.email}
    anyscale, instance = _text(call, "--anyscale-service-account-email"), _text(call, "--instance-service-account-email")
    if anyscale:
        resource, problem = accounts.judge(anyscale)
        if problem:
            report(f"{where(call, '--anyscale-service-account-email')} {problem}.", None)
        elif resource is not None and _account_shown(resource) not in access:
            report(
                f"{where(call, '--anyscale-service-account-email')} names {anyscale}, which no principal of Anyscale's "
                f"workload identity pool may impersonate ({WORKLOAD_IDENTITY_USER} on it): the access account is the "
                "one Anyscale's control plane acts as.",
                resource.urn,
            )
    if instance:
        resource, problem = accounts.judge(instance)
        if problem:
            report(f"{where(call, '--instance-service-account-email')} {problem}.", None)
        elif instance == anyscale:
            report(
                f"{where(call, '--instance-service-account-email')} is {instance}, the --anyscale-service-account-email "
                "too: cluster nodes run as their own account, not with the control plane's rights.",
                resource.urn if resource is not None else None,
            )
        elif resource is not None and _account_shown(resource) in access:
            report(
                f"{where(call, '--instance-service-account-email')} names {instance}, the account Anyscale's workload "
                "identity pool impersonates: that is the --anyscale-service-account-email; cluster nodes run as "
                "another account, not with the control plane's rights.",
                resource.urn,
            )


# -- workload identity provider ----------------------------------------------------------------


def _pool_names(pool: PolicyResource) -> set[str]:
    return {k for k in (get(pool.props, "workloadIdentityPoolId"), last_segment(ident(pool))) if isinstance(k, str) and k}


def _pool_shown(pool: PolicyResource) -> str:
    return str(get(pool.props, "workloadIdentityPoolId") or label(pool))


def _provider_names(provider: PolicyResource) -> set[str]:
    return {k for k in (get(provider.props, "workloadIdentityPoolProviderId"), last_segment(ident(provider))) if isinstance(k, str) and k}


def _provider_shown(provider: PolicyResource) -> str:
    return str(get(provider.props, "workloadIdentityPoolProviderId") or label(provider))


def _provider_name(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources, refs = args.resources, _referenced(args)
    value = _text(call, "--provider-name")
    if not value:
        return
    at = where(call, "--provider-name")
    match = PROVIDER_NAME.match(value)
    if not match:
        report(
            f"{at} is {value}, not a workload identity provider name projects/<project number>/locations/global/"
            "workloadIdentityPools/<pool>/providers/<id>: `cloud register` rejects it.",
            None,
        )
        return
    project, pool_id, provider_id = match.group("project"), match.group("pool"), match.group("provider")
    pool, problem = NameJudge(args, "workload identity pool", of_type(resources, POOL), _pool_names, refs, _pool_shown).judge(pool_id)
    if problem:
        report(f"{at} {problem}.", None)
        return
    # The providers the program builds in that pool (its own, or one it looks up).
    of_pool = [p for p in of_type(resources, POOL_PROVIDER) if last_segment(get(p.props, "workloadIdentityPoolId")) == pool_id]
    providers = NameJudge(args, "workload identity provider", of_pool, _provider_names, refs, _provider_shown)
    provider, problem = providers.judge(provider_id)
    if problem:
        report(f"{at} {problem}.", None)
        return
    known = sorted({n for r in (pool, provider) if r is not None and (n := _number_in(get(r.props, "name")))})
    if not _NUMBER.match(project):
        number = f" ({', '.join(known)}, as the pool's name shows)" if known else ""
        report(
            f"{at} names the project by its ID {project}: `cloud register` wants the project NUMBER{number}, "
            "projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<id>.",
            (provider or pool).urn if (provider or pool) is not None else None,
        )
    elif known and project not in known:
        report(
            f"{at} names project number {project}, but the program's pool {pool_id} is in project number "
            f"{', '.join(known)}.",
            (provider or pool).urn if (provider or pool) is not None else None,
        )
    # The pool is the one whose principals may impersonate the registered access account.
    access = _text(call, "--anyscale-service-account-email")
    trusted = sorted(
        {
            pool
            for g in grants(resources, *SA_IAM)
            if g.role == WORKLOAD_IDENTITY_USER and g.target == access and (pool := pool_of_member(g.member))
        }
    )
    if access and trusted and pool_id not in trusted:
        report(
            f"{at} names pool {pool_id}, but {access} (the --anyscale-service-account-email) may be impersonated "
            f"through {', '.join(trusted)} only ({WORKLOAD_IDENTITY_USER}): Anyscale could not act as it.",
            None,
        )


# -- project ----------------------------------------------------------------------------------


def _project(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    wanted = _text(call, "--project-id")
    stated = _stated_projects(args)
    if wanted and stated and wanted not in stated:
        places = ", ".join(
            f"{project} ({', '.join(sorted(names)[:3])}{', ...' if len(names) > 3 else ''})" for project, names in sorted(stated.items())
        )
        report(
            f"{where(call, '--project-id')} is {wanted}, but the program builds the cloud's resources in {places}: "
            "`cloud register` looks the cloud's project, service accounts and Filestore up in --project-id.",
            None,
        )


# -- networking mode (advisory) -------------------------------------------------------------------


def _nats_for(resources: list[PolicyResource], subnet: PolicyResource) -> tuple[list[PolicyResource], bool]:
    """The Cloud NATs of the program that serve ``subnet``, and whether some NAT's router is
    not the program's (then whom it serves is not knowable here)."""
    vpc, region, names = last_segment(get(subnet.props, "network")), subnet_region(subnet), keys(subnet)
    routers = {name: r for r in of_type(resources, ROUTER) for name in keys(r)}
    serving, unknown = [], False
    for nat in of_type(resources, ROUTER_NAT):
        router = routers.get(last_segment(get(nat.props, "router")) or "")
        if router is None:
            unknown = True
            continue
        nat_region = last_segment(get(nat.props, "region") or get(router.props, "region"))
        if last_segment(get(router.props, "network")) != vpc or (region and nat_region and nat_region != region):
            continue
        mode = str(get(nat.props, "sourceSubnetworkIpRangesToNat") or "").upper()
        listed = {last_segment(s.get("name")) for s in as_list(get(nat.props, "subnetworks")) if isinstance(s, Mapping)}
        if mode in NAT_ALL_SUBNETWORKS or (mode == NAT_LIST and listed & names):
            serving.append(nat)
    return serving, unknown


def _private_network(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources = list(args.resources)
    first = next(iter(call.values("--subnet-names")), None)
    subnet = next(
        (s for s in of_type(resources, SUBNETWORK) if first in keys(s) and ident(s) not in args.read_ids and holds_vms(s)),
        None,
    )
    if subnet is None:
        return  # the subnet is not the program's: its way out is not knowable here
    serving, unknown = _nats_for(resources, subnet)
    private = call.get("--private-network") is True
    if private and not serving and not unknown:
        report(
            f"{where(call, '--private-network')} registers subnet {first} for private networking, but no Cloud NAT of "
            "the program serves it: clusters without public IPs reach Anyscale's control plane and image registries "
            "only through one (or through a route to the internet you provide outside the program).",
            subnet.urn,
        )
    elif not private and serving:
        report(
            f"{call.output}: no --private-network, but the program builds Cloud NAT "
            f"{', '.join(sorted(label(n) for n in serving))} for subnet {first}: without the flag clusters get public "
            "IPs and the NAT goes unused (register with --private-network for a private cloud).",
            subnet.urn,
        )


register_network = OutputsPolicy(
    name="anyscale-gcp-register-network",
    description=(
        "The register command's --vpc-name is the program's VPC (in the --host-project-id with a shared VPC) or one it "
        "references, and --subnet-names a subnet of that VPC that holds VMs (not the proxy-only one), in --region."
    ),
    validate=_each(_network),
)
register_firewall = OutputsPolicy(
    name="anyscale-gcp-register-firewall",
    description=(
        "The register command's --firewall-policy-names name a network firewall policy the program builds or references; "
        "one it builds is associated with the registered VPC, in the network's project."
    ),
    validate=_each(_firewall),
)
register_storage = OutputsPolicy(
    name="anyscale-gcp-register-storage",
    description=(
        "The register command names the program's bucket (with the Anyscale CORS rule), Filestore (at "
        "--filestore-location) and Memorystore (its full name), both on the registered VPC, or ones it references; "
        "one the program builds is not left out."
    ),
    validate=_each(_storage),
)
register_service_accounts = OutputsPolicy(
    name="anyscale-gcp-register-service-accounts",
    description=(
        "The register command's --anyscale-service-account-email is the account the Anyscale pool's principals may "
        "impersonate (roles/iam.workloadIdentityUser) and --instance-service-account-email another one "
        "(program-built or referenced)."
    ),
    validate=_each(_service_accounts),
    config_schema=ACCOUNT_CONFIG,
)
register_provider_name = OutputsPolicy(
    name="anyscale-gcp-register-provider-name",
    description=(
        "The register command's --provider-name is projects/<project NUMBER>/locations/global/workloadIdentityPools/"
        "<pool>/providers/<id> of the program's pool and provider (or ones it references), the pool being the one "
        "that may impersonate the access account."
    ),
    validate=_each(_provider_name),
)
register_project = OutputsPolicy(
    name="anyscale-gcp-register-project",
    description=(
        "The register command's --project-id is the project the program builds the cloud's resources in (when they "
        "say)."
    ),
    validate=_each(_project),
)
register_private_network = OutputsPolicy(
    name="anyscale-gcp-register-private-network",
    description=(
        "The register command's --private-network matches the program's network: a Cloud NAT serves the registered "
        "subnet with it, none without it."
    ),
    validate=_each(_private_network),
    enforcement_level=EnforcementLevel.ADVISORY,
)

POLICIES = [
    register_network,
    register_firewall,
    register_storage,
    register_service_accounts,
    register_provider_name,
    register_project,
    register_private_network,
]

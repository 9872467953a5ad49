"""The exported `anyscale cloud register` command, checked against the program (AWS).

A register command that names a security group, subnet, bucket, role or file system other
than the ones the program builds — or an External ID the role's trust policy does not
accept — registers a broken cloud. These rules read the command (and the flag dict) from
the stack outputs and check every value against the resources:

* a value the program **builds** must be the right one (the security group with the
  Anyscale rules, the VPC's cloud subnets, the bucket with the Anyscale CORS rule, the role
  trusting Anyscale's account, the EC2 role with its instance profile, ...);
* a value the program only **references** (passes to one of its resources, or looks up
  with ``.get``) is bring-your-own: accepted as external;
* a value it neither builds nor references, where it builds one of that kind, is a mismatch.

They see stack outputs, so they run in ``anyscale-infra check`` only (CrossGuard shows a
pack no outputs): see :mod:`anyscale_infra.policy.outputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import PolicyResource

from anyscale_infra.aws import constants as c
from anyscale_infra.aws.iam_evaluator import PolicyError
from anyscale_infra.policy.aws import _iam as q
from anyscale_infra.policy.aws._facts import (
    ACCOUNT_CONFIG,
    as_list,
    cloud_subnets,
    get,
    ident,
    of_type,
    security_group_rules,
    subnets_by_vpc,
)
from anyscale_infra.policy.outputs import (
    SECRET_MASK,
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

PROVIDER = "aws"
S3_SCHEME = "s3://"


@resource_file_reader("AWS")
def flags_of_resource_file(spec: Mapping[str, Any]) -> dict[str, FlagValue]:
    """An AWS ``CloudDeployment`` (the register resource file) as the flags it stands for,
    so the same rules check both forms (``register_cloud`` maps them one to one)."""
    config = spec.get("aws_config") or {}
    flags: dict[str, FlagValue] = {"--provider": PROVIDER}
    pairs = {
        "--name": spec.get("name"),
        "--region": spec.get("region"),
        "--vpc-id": config.get("vpc_id"),
        "--subnet-ids": ",".join(config.get("subnet_ids") or []) or None,
        "--security-group-ids": ",".join(config.get("security_group_ids") or []) or None,
        "--cloud-storage-bucket-name": (spec.get("object_storage") or {}).get("bucket_name"),
        "--anyscale-iam-role-id": config.get("anyscale_iam_role_id"),
        "--instance-iam-role-id": config.get("cluster_iam_role_id"),
        "--file-storage-id": (spec.get("file_storage") or {}).get("file_storage_id"),
        "--memorydb-cluster-id": config.get("memorydb_cluster_name"),
        "--external-id": config.get("external_id"),
    }
    flags.update({flag: str(value) for flag, value in pairs.items() if value})
    if str(spec.get("networking_mode", "")).upper() == "PRIVATE":
        flags["--private-network"] = True
    return flags


def _by(*keys: str) -> Callable[[PolicyResource], list[Any]]:
    """The names a flag may use for a resource: its id and the given properties (name, bucket...)."""
    return lambda resource: [ident(resource), *(get(resource.props, key) for key in keys)]


def _each(check: Callable[[OutputsValidationArgs, RegisterCall, Report], None]):  # type: ignore[no-untyped-def]
    return each_call(PROVIDER, check)


# -- network ---------------------------------------------------------------------------------


def _network(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources = args.resources
    vpcs = NameJudge(args, "VPC", of_type(resources, "aws:ec2/vpc:Vpc"), _by())
    vpc_id = call.get("--vpc-id")
    vpc, vpc_problem = vpcs.judge(vpc_id) if isinstance(vpc_id, str) else (None, None)
    if vpc_problem:
        report(f"{where(call, '--vpc-id')} {vpc_problem}.", None)
    subnets = NameJudge(args, "subnet", of_type(resources, "aws:ec2/subnet:Subnet"), _by())
    by_vpc = subnets_by_vpc(resources)
    private = call.get("--private-network") is True
    for subnet_id in call.values("--subnet-ids"):
        subnet, problem = subnets.judge(subnet_id)
        if problem:
            report(f"{where(call, '--subnet-ids')} {problem}.", None)
            continue
        if subnet is None:
            continue
        in_vpc = get(subnet.props, "vpcId")
        # (A --vpc-id already reported above is not reported again through its subnets.)
        if isinstance(vpc_id, str) and in_vpc != vpc_id and not vpc_problem:
            report(f"{where(call, '--subnet-ids')} names subnet {subnet_id} of VPC {in_vpc}, not of the registered --vpc-id {vpc_id}.", subnet.urn)
            continue
        siblings = by_vpc.get(str(in_vpc), [])
        if private and subnet not in cloud_subnets(list(resources), siblings):
            report(
                f"{where(call, '--subnet-ids')} names subnet {subnet_id}, which is not routed through a NAT gateway: "
                "with --private-network, clusters run in the private subnets (the public ones only hold NAT).",
                subnet.urn,
            )
    # Every cloud subnet the program builds in the registered VPC is registered: a command
    # that passes fewer leaves AZs (and EFS mount targets) unused.
    if isinstance(vpc_id, str) and vpc is not None:
        cloud = cloud_subnets(list(resources), by_vpc.get(vpc_id, [])) if private else [
            s for s in by_vpc.get(vpc_id, []) if get(s.props, "mapPublicIpOnLaunch") is True
        ]
        missing = sorted(str(ident(s)) for s in cloud if ident(s) not in set(call.values("--subnet-ids")))
        if missing:
            report(f"{where(call, '--subnet-ids')} leaves out the cloud subnet(s) {', '.join(missing)} of VPC {vpc_id}.", None)
    region = call.get("--region")
    built_regions = {q.stack_region([r]) for r in of_type(resources, "aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet") if get(r.props, "arn")}
    if isinstance(region, str) and built_regions and region not in built_regions:
        report(f"{where(call, '--region')} is {region}, but the program builds its network in {', '.join(sorted(built_regions))}.", None)


# -- security groups ------------------------------------------------------------------------------


def _security_groups(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources = args.resources
    groups = NameJudge(args, "security group", of_type(resources, "aws:ec2/securityGroup:SecurityGroup"), _by())
    registered = call.values("--security-group-ids")
    judged = [(sg, *groups.judge(sg)) for sg in registered]
    for sg, _, problem in judged:
        if problem:
            report(f"{where(call, '--security-group-ids')} {problem}.", None)
    # The first registered group is the one the verifier checks and the one EFS mount targets
    # and MemoryDB must carry: the program's cloud group, with the Anyscale rules.
    carried_first = [as_list(get(m.props, "securityGroups"))[:1] for m in of_type(resources, "aws:efs/mountTarget:MountTarget")]
    carried_first += [as_list(get(m.props, "securityGroupIds"))[:1] for m in of_type(resources, "aws:memorydb/cluster:Cluster")]
    carried = sorted({str(g) for first in carried_first for g in first if g in groups.built})
    if not judged:
        return
    first, first_group, problem = judged[0]
    if problem:
        return
    if first_group is not None:
        rules = [r for r in security_group_rules(resources) if r.group == ident(first_group) or r.urn == first_group.urn]
        if not any(r.ingress and r.self_reference and r.all_traffic for r in rules):
            report(
                f"{where(call, '--security-group-ids')} names {first} first, which lacks the Anyscale rules "
                "(all traffic from itself; seed 004): the first group is the cloud's.",
                first_group.urn,
            )
            return
    if carried and first not in carried:
        report(
            f"{where(call, '--security-group-ids')} names {first} first, but the file system and MemoryDB carry "
            f"{', '.join(carried)}: `cloud register` checks them against the first group.",
            first_group.urn if first_group is not None else None,
        )
    missing = [g for g in carried if g not in registered]
    if missing:
        report(f"{where(call, '--security-group-ids')} leaves out the cloud security group(s) {', '.join(missing)}.", None)


# -- storage ----------------------------------------------------------------------------------


def _storage(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    from anyscale_infra.policy.aws.storage import _anyscale_cors, _cors_rules

    resources = args.resources
    bucket_value = call.get("--cloud-storage-bucket-name")
    if isinstance(bucket_value, str):
        name = bucket_value.removeprefix(S3_SCHEME).rstrip("/")
        buckets = NameJudge(args, "bucket", of_type(resources, "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"), _by("bucket"))
        bucket, problem = buckets.judge(name)
        if problem:
            report(f"{where(call, '--cloud-storage-bucket-name')} {problem}.", None)
        elif bucket is not None and not any(_anyscale_cors(rule) for rule in _cors_rules(list(resources), bucket)):
            report(
                f"{where(call, '--cloud-storage-bucket-name')} names bucket {name}, which has no Anyscale CORS rule "
                "(seed 004): the cloud bucket is the one the console can read.",
                bucket.urn,
            )
    file_systems = NameJudge(args, "EFS file system", of_type(resources, "aws:efs/fileSystem:FileSystem"), _by())
    efs = call.get("--file-storage-id")
    if isinstance(efs, str):
        _, problem = file_systems.judge(efs)
        if problem:
            report(f"{where(call, '--file-storage-id')} {problem}.", None)
    elif file_systems.built:
        report(
            f"{call.output}: no --file-storage-id, but the program builds EFS {', '.join(sorted(set(str(ident(r)) for r in file_systems.built.values())))}: "
            "workspaces need it (seed 004).",
            None,
        )
    clusters = NameJudge(args, "MemoryDB cluster", of_type(resources, "aws:memorydb/cluster:Cluster"), _by("name"))
    memorydb = call.get("--memorydb-cluster-id")
    if isinstance(memorydb, str):
        _, problem = clusters.judge(memorydb)
        if problem:
            report(f"{where(call, '--memorydb-cluster-id')} {problem}.", None)
    elif clusters.built:
        names = sorted({str(get(r.props, "name") or ident(r)) for r in clusters.built.values()})
        report(f"{call.output}: no --memorydb-cluster-id, but the program builds MemoryDB {', '.join(names)}.", None)


# -- roles and the External ID -------------------------------------------------------------


def _account(args: OutputsValidationArgs) -> str:
    return str(args.get_config().get("anyscaleAccountId", c.ANYSCALE_AWS_ACCOUNT_ID))


def _roles(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    resources = args.resources
    views = q.role_views(resources)
    by_arn = {view.arn: view for view in views if get(view.resource.props, "arn")}
    names = NameJudge(args, "IAM role", [view.resource for view in by_arn.values()], lambda r: [get(r.props, "arn")])
    anyscale = {id(v) for v in q.anyscale_roles(views, _account(args))}
    ec2 = {id(v) for v in q.ec2_roles(views)}
    profiles = of_type(resources, "aws:iam/instanceProfile:InstanceProfile")
    for flag, wanted in (("--anyscale-iam-role-id", "anyscale"), ("--instance-iam-role-id", "instance")):
        value = call.get(flag)
        if not isinstance(value, str):
            continue
        resource, problem = names.judge(value)
        if problem:
            report(f"{where(call, flag)} {problem}.", None)
            continue
        if resource is None:
            continue
        view = by_arn[value]
        if wanted == "anyscale" and id(view) not in anyscale:
            report(
                f"{where(call, flag)} names role {view.name}, whose trust policy does not let Anyscale's account "
                f"{_account(args)} assume it: the cross-account role is the one that trusts Anyscale (seed 004).",
                resource.urn,
            )
        elif wanted == "instance":
            if id(view) not in ec2:
                report(
                    f"{where(call, flag)} names role {view.name}, which EC2 cannot assume: the instance role is the "
                    "one cluster nodes run as (seed 004).",
                    resource.urn,
                )
            elif not any(get(p.props, "role") == view.name and get(p.props, "name") == view.name for p in profiles):
                report(
                    f"{where(call, flag)} names role {view.name}, which has no instance profile of the same name "
                    "(`cloud register` looks it up by the role's name).",
                    resource.urn,
                )


def _external_id(args: OutputsValidationArgs, call: RegisterCall, report: Report) -> None:
    arn = call.get("--anyscale-iam-role-id")
    if not isinstance(arn, str):
        return
    view = next((v for v in q.role_views(args.resources) if v.arn == arn and get(v.resource.props, "arn")), None)
    if view is None or view.trust is None:
        return  # the role is not the program's: its trust policy cannot be read here
    account = _account(args)
    external_id = call.get("--external-id")
    principal = q.anyscale_principal(account)
    try:
        if isinstance(external_id, str):
            evaluation = q.assume(view.trust, arn, principal, external_id)
            if not evaluation.allowed:
                report(
                    f"{where(call, '--external-id')} is {SECRET_MASK}, which the trust policy of role {view.name} does "
                    f"not accept ({q.why(evaluation)}): Anyscale could not assume the role.",
                    view.resource.urn,
                )
        elif not q.assume(view.trust, arn, principal, None).allowed and q.trusts_anyscale(view.trust, arn, account):
            report(
                f"{call.output}: no --external-id, but role {view.name}'s trust policy requires one: without the flag "
                "`cloud register` rewrites the trust policy, and the next `pulumi up` reverts it.",
                view.resource.urn,
            )
    except PolicyError as exc:
        report(f"{call.output}: the trust policy of role {view.name} cannot be evaluated: {exc}", view.resource.urn)


register_network = OutputsPolicy(
    name="anyscale-aws-register-network",
    description=(
        "The register command's --vpc-id, --subnet-ids and --region are the program's VPC, its cloud "
        "subnets (all of them; the private ones with --private-network) and region, or ones it references."
    ),
    validate=_each(_network),
)
register_security_groups = OutputsPolicy(
    name="anyscale-aws-register-security-groups",
    description=(
        "The register command's --security-group-ids name groups the program builds or references, the "
        "first being the cloud group with the Anyscale rules (the one EFS and MemoryDB carry)."
    ),
    validate=_each(_security_groups),
)
register_storage = OutputsPolicy(
    name="anyscale-aws-register-storage",
    description=(
        "The register command names the program's bucket (with the Anyscale CORS rule), EFS file system and "
        "MemoryDB cluster, or ones it references; one the program builds is not left out."
    ),
    validate=_each(_storage),
)
register_roles = OutputsPolicy(
    name="anyscale-aws-register-roles",
    description=(
        "The register command's --anyscale-iam-role-id is a role trusting Anyscale's account and "
        "--instance-iam-role-id an EC2 role with its instance profile (program-built or referenced)."
    ),
    validate=_each(_roles),
    config_schema=ACCOUNT_CONFIG,
)
register_external_id = OutputsPolicy(
    name="anyscale-aws-register-external-id",
    description=(
        "The register command's --external-id is one the Anyscale role's trust policy accepts, and is given "
        "when the trust policy requires one."
    ),
    validate=_each(_external_id),
    config_schema=ACCOUNT_CONFIG,
)

POLICIES = [register_network, register_security_groups, register_storage, register_roles, register_external_id]

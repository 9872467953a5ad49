"""The cloud's security group (seed 004 "Security Group"), new or existing.

Inbound: TCP 443 from your CIDR blocks (jobs, Grafana, web workspaces); TCP 22 only if you
ask (VS Code desktop); all traffic from the group itself (intra-cluster and EFS). Outbound:
everything (control plane, users), plus all protocols to the group itself (EFA). The
verifier errors without the self-referencing all-traffic inbound rule and warns without
443, without self egress, or with inbound ports beyond {443, 22}.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator, model_validator

from anyscale_infra.aws import constants as c
from anyscale_infra.aws import validation as v
from anyscale_infra.aws import _component as w
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel, StrInput

ANYWHERE = "0.0.0.0/0"


class AnyscaleSecurityGroupArgs(ArgsModel):
    """Arguments of :class:`AnyscaleSecurityGroup`."""

    vpc_id: Optional[StrInput] = None
    """VPC of the new group. Required unless ``existing_security_group_id`` is given
    (set for you inside :class:`AnyscaleAwsCloud`)."""
    ingress_cidr_blocks: list[str] = Field(default_factory=list)
    """Who may reach clusters on 443 (the console's web UIs, job submission, Grafana).
    Required for a new group: write ``0.0.0.0/0`` yourself if you mean the whole internet."""
    enable_ssh: bool = False
    """Open TCP 22 for VS Code desktop (seed 004: "can be ... removed"). Defaults to False."""
    ssh_cidr_blocks: Optional[list[str]] = None
    """Who may reach 22 when ``enable_ssh``. Optional; defaults to ``ingress_cidr_blocks``."""
    existing_security_group_id: Optional[StrInput] = None
    """Use this existing group instead; nothing is created. Optional."""
    description: str = "Anyscale cloud: 443 from users, all traffic within the group"
    """Description of the new group (changing it replaces the group). Optional."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags for the group and its rules. Optional."""

    @field_validator("ingress_cidr_blocks", "ssh_cidr_blocks")
    @classmethod
    def _cidrs(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        for cidr in value:
            v.check_ingress_cidr(cidr)
        if dups := v.duplicates(value):
            raise ValueError(f"lists {', '.join(dups)} more than once")
        return value

    @field_validator("vpc_id")
    @classmethod
    def _vpc(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("vpc", value) if isinstance(value, str) else value

    @field_validator("existing_security_group_id")
    @classmethod
    def _sg(cls, value: Optional[StrInput]) -> Optional[StrInput]:
        return v.check_aws_id("sg", value) if isinstance(value, str) else value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleSecurityGroupArgs":
        problems: list[FieldProblem] = []
        if self.existing_security_group_id is not None:
            for name in ("ingress_cidr_blocks", "enable_ssh", "ssh_cidr_blocks", "description"):
                if name in self.model_fields_set:
                    problems.append(
                        FieldProblem(name, "only one of existing_security_group_id and " f"{name} can be specified")
                    )
        else:
            if not self.ingress_cidr_blocks:
                problems.append(
                    FieldProblem(
                        "ingress_cidr_blocks",
                        "is empty, so nobody could reach clusters on port 443 (the console's web UIs, "
                        "job submission, Grafana; seed 004). List your users' CIDR blocks, or write "
                        f"'{ANYWHERE}' to allow the whole internet",
                    )
                )
            if self.ssh_cidr_blocks is not None and not self.enable_ssh:
                problems.append(FieldProblem("ssh_cidr_blocks", "needs enable_ssh=True"))
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def effective_ssh_cidr_blocks(self) -> list[str]:
        if not self.enable_ssh:
            return []
        return list(self.ssh_cidr_blocks if self.ssh_cidr_blocks is not None else self.ingress_cidr_blocks)

    def advisories(self) -> list[str]:
        # The same "world" test as the pack's anyscale-aws-sg-ssh-not-world-open.
        if world := [cidr for cidr in self.effective_ssh_cidr_blocks() if v.is_world(cidr)]:
            return [f"ssh is open to {', '.join(world)}; restrict ssh_cidr_blocks to your users' ranges"]
        return []


def _rule_suffix(cidr: str) -> str:
    """``10.0.0.0/16`` -> ``10.0.0.0-16``: a stable logical-name part keyed by the CIDR."""
    return cidr.replace("/", "-")


class AnyscaleSecurityGroup(pulumi.ComponentResource):
    """The security group Anyscale clusters run in (new or existing)."""

    security_group_id: pulumi.Output[str]
    """The group id; first in ``--security-group-ids``."""

    def __init__(
        self, name: str, args: AnyscaleSecurityGroupArgs, opts: Optional[pulumi.ResourceOptions] = None
    ) -> None:
        super().__init__(w.type_token("AnyscaleSecurityGroup"), name, None, opts)
        if args.existing_security_group_id is not None:
            self.security_group_id = pulumi.Output.from_input(args.existing_security_group_id)  # type: ignore[assignment]
        else:
            if args.vpc_id is None:
                raise w.fail(type(args).__name__, "vpc_id", "is required for a new security group")
            self.security_group_id = self._create(name, args)
        w.emit_advisories(self, args.advisories())
        self.register_outputs({"security_group_id": self.security_group_id})

    def _create(self, name: str, args: AnyscaleSecurityGroupArgs) -> pulumi.Output[str]:
        group = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description=args.description,
            # Rules are separate resources (below); an inline rule list would fight them.
            revoke_rules_on_delete=True,
            tags=w.merge_tags(f"{name}-sg", args.tags),
            opts=w.child(self),
        )
        rule_opts = w.child(self, deleted_with=group)

        def ingress(suffix: str, description: str, **rule: object) -> None:
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-ingress-{suffix}",
                security_group_id=group.id,
                description=description,
                tags=w.merge_tags(f"{name}-ingress-{suffix}", args.tags),
                opts=rule_opts,
                **rule,
            )

        for cidr in args.ingress_cidr_blocks:
            ingress(
                f"https-{_rule_suffix(cidr)}",
                "HTTPS: Anyscale web UIs, job submission, Grafana",
                ip_protocol="tcp",
                from_port=c.HTTPS_PORT,
                to_port=c.HTTPS_PORT,
                cidr_ipv4=cidr,
            )
        for cidr in args.effective_ssh_cidr_blocks():
            ingress(
                f"ssh-{_rule_suffix(cidr)}",
                "SSH: VS Code desktop in workspaces",
                ip_protocol="tcp",
                from_port=c.SSH_PORT,
                to_port=c.SSH_PORT,
                cidr_ipv4=cidr,
            )
        ingress(
            "self-all",
            "All traffic within the group: intra-cluster and EFS",
            ip_protocol="-1",
            referenced_security_group_id=group.id,
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress-all",
            security_group_id=group.id,
            description="All outbound: Anyscale control plane and users",
            ip_protocol="-1",
            cidr_ipv4=ANYWHERE,
            tags=w.merge_tags(f"{name}-egress-all", args.tags),
            opts=rule_opts,
        )
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-egress-self-all",
            security_group_id=group.id,
            description="All protocols within the group (EFA needs it)",
            ip_protocol="-1",
            referenced_security_group_id=group.id,
            tags=w.merge_tags(f"{name}-egress-self-all", args.tags),
            opts=rule_opts,
        )
        return group.id

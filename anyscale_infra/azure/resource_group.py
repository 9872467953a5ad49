"""The resource group an Anyscale cloud on Azure lives in: a new one (protected) or yours.

Everything of the cloud on Azure sits in one resource group (the anchor's
``azurerm_resource_group.rg``; the ``Anyscale.Platform/clouds`` resource, the AKS cluster, the
VNet, the storage account and the operator's identity): its location is the cloud's region
(``--region``), so it must be one where Anyscale clouds are available during the preview
(seed 003: "a limited set of regions"; :data:`~anyscale_infra.azure.constants.SUPPORTED_REGIONS`).

A new group is **protected by default**: deleting a resource group deletes every resource in
it — the cluster and its workloads, the storage account and its data — in one call, whoever
created them. ``pulumi destroy`` (or a replacement, e.g. after renaming it) then stops at the
group until you set ``protect=False`` and run ``pulumi up`` first.

Bring your own: ``existing_resource_group_name`` uses a group you have (nothing is created;
it is looked up for its id and location, and ``pulumi up`` fails if its location is not a
supported region).
"""

from __future__ import annotations

from typing import Any, Final, Optional

import pulumi
from pulumi_azure_native import resources
from pydantic import Field, field_validator, model_validator

from anyscale_infra import _component as w
from anyscale_infra.azure import constants as c
from anyscale_infra.azure.tags import merge_tags
from anyscale_infra.azure import validation as v
from anyscale_infra.errors import FieldProblem, InvalidArgsError
from anyscale_infra.models import ArgsModel
from anyscale_infra.validation import check_cloud_id

#: Protect a new group (and so everything in it) from deletion. Defaults to True.
DEFAULT_PROTECT: Final = True


class AnyscaleResourceGroupArgs(ArgsModel):
    """Arguments of :class:`AnyscaleResourceGroup`: a new group (default) or an existing one."""

    location: Optional[str] = None
    """The group's region (``eastus2``), the cloud's ``--region``: one of ``supported_regions``.
    Required for a new group; optional with ``existing_resource_group_name`` (then checked
    against the group's own)."""
    resource_group_name: Optional[str] = None
    """Name of the new group. Optional; defaults to an auto-name (the component name plus a
    random suffix)."""
    supported_regions: list[str] = Field(default_factory=lambda: list(c.SUPPORTED_REGIONS))
    """Regions where Anyscale clouds are available. Optional; defaults to
    :data:`~anyscale_infra.azure.constants.SUPPORTED_REGIONS` (the preview's list: pass a
    longer one as Anyscale adds regions)."""
    protect: bool = DEFAULT_PROTECT
    """Protect the new group from deletion and replacement: deleting a resource group deletes
    everything in it (cluster, storage account and data). Defaults to True."""
    existing_resource_group_name: Optional[str] = None
    """Use this existing group (bring-your-own): nothing is created. Optional."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags of the new group (Azure tag rules). Optional."""
    cloud_id: Optional[str] = None
    """The Anyscale cloud id, once known: tagged ``anyscale-cloud-id``. Optional."""

    @field_validator("resource_group_name", "existing_resource_group_name")
    @classmethod
    def _name(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else v.check_resource_group_name(value)

    @field_validator("supported_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        return v.check_supported_regions(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        return v.check_tags(value)

    @field_validator("cloud_id")
    @classmethod
    def _cloud_id(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_cloud_id(value)

    @model_validator(mode="after")
    def _rules(self) -> "AnyscaleResourceGroupArgs":
        problems = v.region_problems(self.location, self.supported_regions)
        if self.existing_resource_group_name is not None:
            problems += [
                FieldProblem(field, f"configures a group we create; only one of existing_resource_group_name and {field} can be specified")
                for field in ("resource_group_name", "protect", "tags", "cloud_id")
                if field in self.model_fields_set
            ]
        if problems:
            raise InvalidArgsError(type(self).__name__, problems)
        return self

    def wiring_problems(self) -> list[FieldProblem]:
        """What the Azure cloud composite fills in: checked by the component before any resource."""
        if self.existing_resource_group_name is None and self.location is None:
            return [FieldProblem("location", "is required for a new resource group (the cloud's region)")]
        return []

    @property
    def is_existing(self) -> bool:
        return self.existing_resource_group_name is not None

    def advisories(self) -> list[str]:
        if not self.is_existing and not self.protect:
            return ["protect is off: `pulumi destroy` (or a replacement) deletes the resource group and everything in it"]
        return []


def existing_location_problem(group: str, found: Optional[str], expected: Optional[str], supported: list[str]) -> Optional[str]:
    """What is wrong with an existing group's location (``found``), or None."""
    if found is None:
        return None
    found = found.replace(" ", "").lower()
    if expected is not None and found != expected:
        return f"resource group {group} is in {found}, not {expected}"
    try:
        v.check_region(found, supported)
    except ValueError as exc:
        return f"resource group {group}: {exc}"
    return None


class AnyscaleResourceGroup(pulumi.ComponentResource):
    """The cloud's resource group: new (protected by default) or existing."""

    name: pulumi.Output[str]
    """The group's name."""
    id: pulumi.Output[str]
    """``/subscriptions/<id>/resourceGroups/<name>``."""
    location: pulumi.Output[str]
    """The group's region (the cloud's ``--region``)."""
    resource_group: Optional[resources.ResourceGroup]
    """The group created (None for an existing one)."""

    def __init__(self, name: str, args: AnyscaleResourceGroupArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        if problems := args.wiring_problems():
            raise InvalidArgsError(type(args).__name__, problems)
        super().__init__(w.type_token("AnyscaleResourceGroup"), name, None, opts)
        w.hand_on_depends_on(self, opts)
        if args.is_existing:
            self._use_existing(args)
        else:
            group = resources.ResourceGroup(
                f"{name}-rg",
                resource_group_name=args.resource_group_name,
                location=args.location,
                tags=merge_tags(args.tags, args.cloud_id),
                # Deleting a group deletes everything in it: protected unless opted out.
                opts=w.stateful(self, args.protect),
            )
            self.resource_group = group
            self.name = group.name
            self.id = group.id
            self.location = group.location
        w.emit_advisories(self, args.advisories())
        self.register_outputs({"name": self.name, "id": self.id, "location": self.location})

    def _use_existing(self, args: AnyscaleResourceGroupArgs) -> None:
        group_name = str(args.existing_resource_group_name)
        found = resources.get_resource_group_output(resource_group_name=group_name, opts=pulumi.InvokeOutputOptions(parent=self))
        model = type(args).__name__

        def checked(location: Any) -> Optional[str]:
            problem = existing_location_problem(group_name, location, args.location, args.supported_regions)
            if problem is not None:
                raise InvalidArgsError(model, [FieldProblem("existing_resource_group_name", problem)])
            # An answer without a location only comes from an offline preview without the shape.
            return args.location if location is None else location.replace(" ", "").lower()

        self.resource_group = None
        self.name = pulumi.Output.from_input(group_name)
        self.id = found.id  # type: ignore[assignment]
        self.location = found.location.apply(checked)  # type: ignore[assignment]

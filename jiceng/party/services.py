"""Writes of party organizations."""

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area
from jiceng.core.permissions import can

from .models import PATH_STEP, PartyOrg, PartyOrgKind


def _next_child_path(parent: PartyOrg | None) -> str:
    """Caller holds the parent's row lock (or, for a root, the table's first row)."""
    prefix = parent.path if parent else ""
    siblings = PartyOrg.objects.filter(parent=parent).values_list("path", flat=True)
    last = max((int(p[len(prefix) :]) for p in siblings), default=0)
    if last + 1 >= 10**PATH_STEP:
        raise ValidationFailed("下级党组织数量已达上限。")
    return prefix + str(last + 1).zfill(PATH_STEP)


def party_org_create(
    *,
    by,
    name: str,
    kind: str,
    area: Area,
    parent: PartyOrg | None = None,
    covered_areas: list[Area] = (),
    founded_on=None,
) -> PartyOrg:
    if by is not None and not can(by, "edit_area", area):
        raise PermissionDenied("您无权在该区域设立党组织。")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("党组织名称不能为空。", field="name")
    if kind not in PartyOrgKind.values:
        raise ValidationFailed("党组织类型无效。", field="kind")
    with transaction.atomic():
        if parent is not None:
            parent = PartyOrg.objects.select_for_update().get(pk=parent.pk)
        org = PartyOrg.objects.create(
            name=name,
            kind=kind,
            area=area,
            parent=parent,
            path=_next_child_path(parent),
            founded_on=founded_on,
        )
        if covered_areas:
            org.covered_areas.set(covered_areas)
        audit_record(
            actor=by,
            action="party_org.create",
            obj=org,
            changes=changes_between(
                {},
                {
                    "name": name,
                    "kind": kind,
                    "area": area,
                    "parent": parent,
                    "covered_areas": ",".join(a.code for a in covered_areas) or None,
                },
            ),
        )
    return org

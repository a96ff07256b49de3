"""Writes of party organizations."""

from django.db import transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area
from jiceng.core.permissions import can

from ..models import PATH_STEP, PartyOrg, PartyOrgKind


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


def party_org_update(
    *, by, org: PartyOrg, name: str, kind: str, covered_areas: list[Area]
) -> PartyOrg:
    """Rename, retype and change the covered areas of an organization. Every area added to
    or removed from the coverage must lie where ``by`` may edit; the others stay as they are.
    """
    from ..permissions import can as party_can

    if by is not None and not party_can(by, "edit_org", org):
        raise PermissionDenied("您无权修改该党组织。")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("党组织名称不能为空。", field="name")
    if len(name) > 100:
        raise ValidationFailed("党组织名称不能超过 100 个字。", field="name")
    if kind not in PartyOrgKind.values:
        raise ValidationFailed("党组织类型无效。", field="kind")
    wanted = {a.pk: a for a in covered_areas}
    with transaction.atomic():
        locked = PartyOrg.objects.select_for_update().get(pk=org.pk)
        current = {a.pk: a for a in locked.covered_areas.all()}
        changed = [
            a for pk, a in {**current, **wanted}.items() if (pk in current) != (pk in wanted)
        ]
        refused = [a for a in changed if by is not None and not can(by, "edit_area", a)]
        if refused:
            raise ValidationFailed(
                "以下区域不在您可编辑的范围内，不能增减其覆盖："
                + "、".join(f"{a.name}（{a.code}）" for a in refused),
                field="covered_areas",
            )
        before = {
            "name": locked.name,
            "kind": locked.kind,
            "covered_areas": ",".join(sorted(a.code for a in current.values())) or None,
        }
        locked.name, locked.kind = name, kind
        locked.save(update_fields=["name", "kind", "updated_at"])
        locked.covered_areas.set(list(wanted.values()))
        after = {
            "name": name,
            "kind": kind,
            "covered_areas": ",".join(sorted(a.code for a in wanted.values())) or None,
        }
        audit_record(
            actor=by, action="party_org.update", obj=locked, changes=changes_between(before, after)
        )
    return locked

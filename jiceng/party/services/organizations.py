"""Writes of the organizations register and the demonstration points. Each checks the
permission, validates, locks what it changes and records the change in the audit log."""

from datetime import date

from django.db import transaction
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import Area, AreaKind
from jiceng.core.roles import EDITOR_ROLES
from jiceng.core.scope import scope_of

from ..models import (
    DemoLevel,
    DemonstrationPoint,
    MeasureStatus,
    Organization,
    OrganizationKind,
    PartyOrg,
    PartyOrgKind,
    PlanMeasure,
)
from ..permissions import can
from ..selectors.organizations import organization_sharing_branch

MAX_COUNT = 1_000_000


def clean_credit_code(value: str) -> str:
    """The unified social credit code (GB 32100-2015) in its compact form, or a Chinese
    message saying what is wrong with it."""
    code = uscc.compact(value or "")
    if not code:
        raise ValidationFailed("请填写统一社会信用代码。", field="credit_code")
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise ValidationFailed("统一社会信用代码应为 18 位。", field="credit_code") from None
    except InvalidChecksum:
        raise ValidationFailed(
            "统一社会信用代码校验位不正确，请核对。", field="credit_code"
        ) from None
    except ValidationError:
        raise ValidationFailed(
            "统一社会信用代码格式不正确（应为数字和大写字母，不含 I、O、Z、S、V）。",
            field="credit_code",
        ) from None


def _clean(
    *,
    organization: Organization | None,
    name: str,
    kind: str,
    credit_code: str,
    area: Area,
    address: str,
    employees: int | None,
    full_members: int | None,
    party_org: PartyOrg | None,
    compounds: list[Area],
) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("组织名称不能为空。", field="name")
    if len(name) > 100:
        raise ValidationFailed("组织名称不能超过 100 个字。", field="name")
    if kind not in OrganizationKind.values:
        raise ValidationFailed("组织类型无效。", field="kind")
    code = clean_credit_code(credit_code)
    taken = Organization.objects.filter(credit_code=code)
    if organization is not None:
        taken = taken.exclude(pk=organization.pk)
    if taken.exists():
        raise ValidationFailed("该统一社会信用代码已登记。", field="credit_code")
    employees = employees or 0
    full_members = full_members or 0
    for value, field_name, label in (
        (employees, "employees", "从业人员数"),
        (full_members, "full_members", "正式党员数"),
    ):
        if not 0 <= value < MAX_COUNT:
            raise ValidationFailed(f"{label}应为 0 到 999999 之间的整数。", field=field_name)
    if full_members > employees:
        raise ValidationFailed("正式党员数不能多于从业人员数。", field="full_members")
    if party_org is not None and party_org.kind != PartyOrgKind.JOINT_BRANCH:
        if organization_sharing_branch(
            party_org=party_org, exclude_pk=organization.pk if organization else None
        ):
            raise ValidationFailed(
                f"{party_org.name}已是其他组织单独建立的党组织；多家组织共建请选择联合党支部。",
                field="party_org",
            )
    if kind != OrganizationKind.PROPERTY and compounds:
        raise ValidationFailed("只有物业企业可以登记服务小区。", field="compounds")
    wrong = [a for a in compounds if a.kind != AreaKind.COMPOUND]
    if wrong:
        raise ValidationFailed(
            "服务小区应为小区/楼院：" + "、".join(f"{a.name}（{a.code}）" for a in wrong),
            field="compounds",
        )
    return {
        "name": name,
        "kind": kind,
        "credit_code": code,
        "area": area,
        "address": (address or "").strip()[:200],
        "employees": employees,
        "full_members": full_members,
        "party_org": party_org,
    }


def _lock_branch(party_org: PartyOrg | None) -> None:
    """Lock the chosen branch, so two writes cannot both make it their own."""
    if party_org is not None:
        PartyOrg.objects.select_for_update().filter(pk=party_org.pk).first()


def _facts(org: Organization, compounds) -> dict:
    return {
        "name": org.name,
        "kind": org.kind,
        "credit_code": org.credit_code,
        "area": org.area.code,
        "address": org.address or None,
        "employees": org.employees,
        "full_members": org.full_members,
        "party_org": org.party_org.name if org.party_org_id else None,
        "compounds": ",".join(sorted(a.code for a in compounds)) or None,
    }


def organization_create(
    *,
    by,
    name: str,
    kind: str,
    credit_code: str,
    area: Area,
    address: str = "",
    employees: int | None = 0,
    full_members: int | None = 0,
    party_org: PartyOrg | None = None,
    compounds: list[Area] = (),
) -> Organization:
    if by is not None and not scope_of(by).covers_area(area.code, EDITOR_ROLES):
        raise PermissionDenied("您无权在该区域登记组织。")
    compounds = list(compounds)
    with transaction.atomic():
        _lock_branch(party_org)
        data = _clean(
            organization=None,
            name=name,
            kind=kind,
            credit_code=credit_code,
            area=area,
            address=address,
            employees=employees,
            full_members=full_members,
            party_org=party_org,
            compounds=compounds,
        )
        org = Organization.objects.create(**data)
        org.compounds.set(compounds)
        audit_record(
            actor=by,
            action="party.organization.create",
            obj=org,
            changes=changes_between({}, _facts(org, compounds)),
        )
    return org


def organization_update(
    *,
    by,
    organization: Organization,
    name: str,
    kind: str,
    credit_code: str,
    area: Area,
    address: str = "",
    employees: int | None = 0,
    full_members: int | None = 0,
    party_org: PartyOrg | None = None,
    compounds: list[Area] = (),
) -> Organization:
    if by is not None and not (
        can(by, "edit_organization", organization)
        and scope_of(by).covers_area(area.code, EDITOR_ROLES)
    ):
        raise PermissionDenied("您无权修改该组织。")
    compounds = list(compounds)
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        _lock_branch(party_org)
        data = _clean(
            organization=locked,
            name=name,
            kind=kind,
            credit_code=credit_code,
            area=area,
            address=address,
            employees=employees,
            full_members=full_members,
            party_org=party_org,
            compounds=compounds,
        )
        before = _facts(locked, locked.compounds.all())
        for key, value in data.items():
            setattr(locked, key, value)
        locked.save()
        locked.compounds.set(compounds)
        audit_record(
            actor=by,
            action="party.organization.update",
            obj=locked,
            changes=changes_between(before, _facts(locked, compounds)),
        )
    return locked


# ---- demonstration points ---------------------------------------------------------------


def _clean_point(*, level: str, year: int | None, citation: str, plan_goal: str) -> dict:
    if level not in DemoLevel.values:
        raise ValidationFailed("请选择示范点级别（省级、市级或区级）。", field="level")
    if year is None or not 2000 <= year <= date.today().year:
        raise ValidationFailed(f"命名年度应在 2000 到 {date.today().year} 年之间。", field="year")
    citation = (citation or "").strip()
    if len(citation) > 200:
        raise ValidationFailed("命名文件/表彰不能超过 200 个字。", field="citation")
    return {
        "level": level,
        "year": year,
        "citation": citation,
        "plan_goal": (plan_goal or "").strip(),
    }


def point_designate(
    *,
    by,
    organization: Organization,
    level: str,
    year: int | None,
    citation: str = "",
    plan_goal: str = "",
) -> DemonstrationPoint:
    """Record that ``organization`` was named a demonstration point at ``level``."""
    if by is not None and not can(by, "designate_point"):
        raise PermissionDenied("只有区级管理员可以登记示范点命名。")
    data = _clean_point(level=level, year=year, citation=citation, plan_goal=plan_goal)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if DemonstrationPoint.objects.filter(organization=org, level=level).exists():
            raise ValidationFailed(f"{org.name}已是{DemoLevel(level).label}示范点。", field="level")
        point = DemonstrationPoint.objects.create(organization=org, **data)
        audit_record(
            actor=by,
            action="party.point.designate",
            obj=point,
            changes=changes_between({}, {"organization": org.name, **data}),
        )
    return point


def point_update(
    *, by, point: DemonstrationPoint, year: int | None, citation: str, plan_goal: str
) -> DemonstrationPoint:
    if by is not None and not can(by, "edit_point", point):
        raise PermissionDenied("只有区级管理员可以修改示范点命名。")
    data = _clean_point(level=point.level, year=year, citation=citation, plan_goal=plan_goal)
    del data["level"]
    with transaction.atomic():
        locked = DemonstrationPoint.objects.select_for_update().get(pk=point.pk)
        before = {k: getattr(locked, k) for k in data}
        for key, value in data.items():
            setattr(locked, key, value)
        locked.save()
        audit_record(
            actor=by,
            action="party.point.update",
            obj=locked,
            changes=changes_between(before, data),
        )
    return locked


def status_for_percent(percent: int) -> str:
    """A measure's status follows its progress: 0 not started, 100 done, between in hand."""
    if percent <= 0:
        return MeasureStatus.PLANNED
    if percent >= 100:
        return MeasureStatus.DONE
    return MeasureStatus.IN_PROGRESS


def measure_add(
    *, by, point: DemonstrationPoint, title: str, due_on: date | None = None
) -> PlanMeasure:
    if by is not None and not can(by, "edit_measures", point):
        raise PermissionDenied("您无权编辑该示范点的措施。")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("措施内容不能为空。", field="title")
    if len(title) > 200:
        raise ValidationFailed("措施内容不能超过 200 个字。", field="title")
    with transaction.atomic():
        locked = DemonstrationPoint.objects.select_for_update().get(pk=point.pk)
        measure = PlanMeasure.objects.create(point=locked, title=title, due_on=due_on)
        audit_record(
            actor=by,
            action="party.measure.add",
            obj=measure,
            changes=changes_between({}, {"point": str(locked), "title": title, "due_on": due_on}),
        )
    return measure


def measure_progress(*, by, measure: PlanMeasure, percent: int | None) -> PlanMeasure:
    if by is not None and not can(by, "edit_measures", measure.point):
        raise PermissionDenied("您无权编辑该示范点的措施。")
    if percent is None or not 0 <= percent <= 100:
        raise ValidationFailed("完成进度应为 0 到 100 之间的整数。", field="percent")
    with transaction.atomic():
        locked = PlanMeasure.objects.select_for_update().get(pk=measure.pk)
        before = {"percent": locked.percent, "status": locked.status}
        locked.percent, locked.status = percent, status_for_percent(percent)
        locked.save(update_fields=["percent", "status", "updated_at"])
        audit_record(
            actor=by,
            action="party.measure.progress",
            obj=locked,
            changes=changes_between(before, {"percent": percent, "status": locked.status}),
        )
    return locked

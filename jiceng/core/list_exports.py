"""The core's lists as spreadsheets (see ``jiceng.core.exports``): people, areas, accounts
and the audit log, each through the page's own selector and filters."""

from django.utils import timezone

from . import audit_labels, selectors
from .errors import NotFound, PermissionDenied, ValidationFailed
from .exports import Column, ListExport, register_export
from .forms import AuditFilterForm, PersonFilterForm, SearchForm
from .models import AreaKind
from .permissions import can


def _date(value):
    return value.isoformat() if value else ""


def _birth(person):
    if person.birth_date is None:
        return ""
    if person.pii_revealable:
        return person.birth_date
    return f"{person.birth_date.year}年"


def _people(*, user, params):
    form = PersonFilterForm(params)
    if not form.is_valid():
        raise ValidationFailed("筛选条件无效，请在页面上修正后再导出。")
    area = None
    if code := form.cleaned_data["area"]:
        try:
            area = selectors.area_get_for(user=user, code=code)
        except NotFound as e:
            raise ValidationFailed(e.message, field="area") from None
    try:
        people = selectors.person_list_visible_to(
            user=user, under=area, text=form.cleaned_data["q"], purpose="core.people.export"
        )
    except PermissionDenied as e:
        raise ValidationFailed(e.message, field="q") from None
    return people.order_by("area__code", "name", "id")


register_export(
    ListExport(
        key="core.people",
        title="人员名单",
        columns=(
            Column("姓名", lambda p: p.name),
            Column("性别", lambda p: p.get_sex_display()),
            # The full date only where the numbers may be revealed: beside a masked ID
            # number it narrows the number to a handful of candidates.
            Column("出生日期", _birth),
            # Masked as on the page: the full numbers are revealed one by one, audited.
            Column("手机号", lambda p: p.phone_masked),
            Column("身份证号", lambda p: p.id_number_masked),
            Column("学历", lambda p: p.get_education_display()),
            Column("政治面貌", lambda p: p.get_political_status_display()),
            Column("入党日期", lambda p: p.party_joined_on),
            Column("所属区域", lambda p: p.area.name),
            Column("区域编码", lambda p: p.area.code),
        ),
        rows=_people,
        allowed=lambda user: can(user, "read", "people"),
    )
)


def _areas(*, user, params):
    kind = params.get("kind", "")
    if kind and kind not in AreaKind.values:
        raise ValidationFailed("区域类型无效。", field="kind")
    under = None
    if code := params.get("area", ""):
        try:
            under = selectors.area_get_for(user=user, code=code)
        except NotFound as e:
            raise ValidationFailed(e.message, field="area") from None
    return (
        selectors.area_list_visible_to(user=user, under=under, kind=kind or None)
        .select_related("parent")
        .order_by("code")
    )


register_export(
    ListExport(
        key="core.areas",
        title="区域",
        columns=(
            Column("编码", lambda a: a.code),
            Column("名称", lambda a: a.name),
            Column("类型", lambda a: a.get_kind_display()),
            Column("上级编码", lambda a: a.parent.code if a.parent else ""),
            Column("上级名称", lambda a: a.parent.name if a.parent else ""),
            Column("户数", lambda a: a.households),
            Column("地址", lambda a: a.address),
        ),
        rows=_areas,
        allowed=lambda user: can(user, "read", "areas"),
    )
)


def _scope_text(account) -> str:
    today = timezone.localdate()
    parts = []
    for ra in account.role_assignments.all():
        where = ra.area.name if ra.area else (ra.party_org.name if ra.party_org else "—")
        ended = "（已结束）" if ra.ends_on and ra.ends_on < today else ""
        parts.append(f"{ra.get_role_display()}·{where}{ended}")
    return "；".join(parts)


def _accounts(*, user, params):
    form = SearchForm(params)
    return selectors.account_list_for_admin(user=user, text=form.text())


register_export(
    ListExport(
        key="core.accounts",
        title="账号",
        columns=(
            Column("用户名", lambda a: a.username),
            Column("显示名称", lambda a: a.first_name),
            Column("关联人员", lambda a: a.person.name if a.person else ""),
            Column("状态", lambda a: "启用" if a.is_active else "停用"),
            Column("已锁定", lambda a: "是" if a.locked else ""),
            Column("最近登录", lambda a: a.last_login),
            Column("角色与授权范围", _scope_text),
        ),
        rows=_accounts,
        allowed=lambda user: can(user, "manage_accounts"),
    )
)


class _AuditLines:
    """The filtered log as Chinese lines, sized for the export's count and read in chunks
    (one query per related model per chunk, not per row)."""

    CHUNK = 1000

    def __init__(self, rows, user):
        self.rows, self.user = rows, user

    def __len__(self) -> int:
        return self.rows.count()

    def __iter__(self):
        start = 0
        while chunk := list(self.rows[start : start + self.CHUNK]):
            yield from audit_labels.describe(chunk, user=self.user)
            start += self.CHUNK


def _audit(*, user, params):
    form = AuditFilterForm(params)
    if not form.is_valid():
        raise ValidationFailed("筛选条件无效，请在页面上修正后再导出。")
    return _AuditLines(selectors.audit_list_visible_to(user=user, **form.filters()), user)


register_export(
    ListExport(
        key="core.audit",
        title="审计日志",
        columns=(
            Column("编号", lambda line: line.row.pk),
            Column("时间", lambda line: line.row.at),
            Column("操作人", lambda line: line.row.actor_name),
            Column("IP", lambda line: line.row.ip),
            Column("动作", lambda line: line.action),
            Column("动作代码", lambda line: line.row.action),
            Column("对象类型", lambda line: line.kind),
            Column("对象", lambda line: line.row.object_repr),
            # The log stores PII masked already (audit.PII_MASKERS).
            Column("变更", audit_labels.changes_text),
            Column("哈希", lambda line: line.row.hash),
        ),
        rows=_audit,
        allowed=lambda user: can(user, "view_audit"),
    )
)

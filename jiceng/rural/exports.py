"""The rural lists as spreadsheets (see ``jiceng.core.exports``): villages, first
secretaries and projects, each through the page's selectors with the page's area and
filters. Money is in 万元, as on the pages."""

from django.utils import timezone

from jiceng.core.exports import Column, ListExport, register_export

from . import selectors
from .models import ProjectStatus
from .money import to_wan
from .permissions import can


def _area(user, params):
    """The page's area: ``?area=`` within the rural scope, else the scope's first root (the
    button sends the area the page showed, so the top bar's switcher is followed too)."""
    return selectors.rural_area_for(user=user, code=params.get("area") or None)


def _year(params, years: list[int]) -> int:
    try:
        wanted = int(params.get("year", ""))
    except ValueError:
        wanted = None
    if wanted in years:
        return wanted
    return years[0] if years else timezone.localdate().year


def _villages(*, user, params):
    area = _area(user, params)
    if area is None:
        return []
    year = _year(params, selectors.ledger_years(user=user, under=area))
    villages = list(
        selectors.village_list_visible_to(user=user, under=area).select_related(
            "parent", "village_profile"
        )
    )
    teams = selectors.village_teams(user=user, on=timezone.localdate(), under=area)
    matrix = selectors.village_income_matrix(user=user, under=area, years=[year - 1, year])
    return [
        {
            "area": v,
            "profile": selectors.profile_of(v),
            "team": teams.get(v.pk),
            "income": matrix.get(v.pk, {}).get(year),
            "previous": matrix.get(v.pk, {}).get(year - 1),
            "year": year,
        }
        for v in villages
    ]


def _demonstration(profile) -> str:
    if profile is None or not profile.demonstration_level:
        return ""
    return f"{profile.get_demonstration_level_display()}（{profile.demonstration_year}）"


register_export(
    ListExport(
        key="rural.villages",
        title="村情与集体收入",
        columns=(
            Column("村", lambda r: r["area"].name),
            Column("区划代码", lambda r: r["area"].code),
            Column("街道", lambda r: r["area"].parent.name if r["area"].parent else ""),
            Column("户数", lambda r: r["area"].households),
            Column("人口", lambda r: r["profile"].population if r["profile"] else None),
            Column(
                "党组织书记",
                lambda r: r["team"].secretary.name if r["team"] and r["team"].secretary else "",
            ),
            Column("一肩挑", lambda r: "是" if r["team"] and r["team"].one_shoulder else ""),
            Column("两委平均年龄", lambda r: r["team"].average_age if r["team"] else None),
            Column("示范村", lambda r: _demonstration(r["profile"])),
            Column("上年集体收入（万元）", lambda r: to_wan(r["previous"])),
            Column("本年集体收入（万元）", lambda r: to_wan(r["income"])),
            Column("年度", lambda r: r["year"]),
        ),
        rows=_villages,
        allowed=lambda user: can(user, "view"),
    )
)


def _secretaries(*, user, params):
    area = _area(user, params)
    if area is None:
        return []
    dispatches = list(
        selectors.first_secretary_list_visible_to(user=user, under=area).order_by(
            "-starts_on", "area__code"
        )
    )
    cap = selectors.latest_ledger_year(user=user, under=area)
    results = selectors.secretary_results(dispatches=dispatches, cap_year=cap)
    attendance = selectors.attendance_summary(dispatches=dispatches)
    today = timezone.localdate()
    return [(r, attendance.get(r.dispatch.pk, (0, 0)), today) for r in results]


def _promotions(result) -> str:
    parts = []
    for p in result.promotions:
        where = p.party_org.name if p.party_org else (p.area.name if p.area else "")
        parts.append(f"{p.get_title_display()}（{where}）" if where else p.get_title_display())
    return "；".join(parts)


register_export(
    ListExport(
        key="rural.secretaries",
        title="第一书记",
        columns=(
            Column("姓名", lambda r: r[0].dispatch.person.name),
            Column("派驻村", lambda r: r[0].dispatch.area.name),
            Column(
                "街道",
                lambda r: r[0].dispatch.area.parent.name if r[0].dispatch.area.parent else "",
            ),
            Column("派出单位", lambda r: r[0].dispatch.sending_unit),
            Column("任期开始", lambda r: r[0].dispatch.starts_on),
            Column("任期结束", lambda r: r[0].dispatch.term_end),
            Column("状态", lambda r: r[0].dispatch.status_label(r[2])),
            Column("引进项目", lambda r: r[0].projects),
            Column("派驻前一年（万元）", lambda r: to_wan(r[0].base_income)),
            Column("任期末年（万元）", lambda r: to_wan(r[0].end_income)),
            Column("增收（万元）", lambda r: to_wan(r[0].increase)),
            Column("提拔重用", lambda r: _promotions(r[0])),
            Column("培训出勤", lambda r: f"{r[1][0]}/{r[1][1]}"),
        ),
        rows=_secretaries,
        allowed=lambda user: can(user, "view"),
    )
)


def _projects(*, user, params):
    area = _area(user, params)
    if area is None:
        return []
    status = params.get("status", "")
    status = status if status in ProjectStatus.values else ""
    by_fs = {"fs": True, "other": False}.get(params.get("origin", ""))
    return selectors.projects_with_progress(
        selectors.project_list_visible_to(
            user=user, under=area, status=status, by_first_secretary=by_fs
        ).order_by("-introduced_on", "id")
    )


def _origin(p) -> str:
    if p.first_secretary:
        return f"第一书记 {p.first_secretary.person.name}"
    if p.supporter:
        return p.supporter.name
    return p.partner or ""


register_export(
    ListExport(
        key="rural.projects",
        title="引进项目",
        columns=(
            Column("项目", lambda p: p.name),
            Column("所在村", lambda p: p.area.name),
            Column("街道", lambda p: p.area.parent.name if p.area.parent else ""),
            Column("引进", _origin),
            Column("引进日期", lambda p: p.introduced_on),
            Column("模式", lambda p: p.get_model_display()),
            Column("状态", lambda p: p.get_status_display()),
            Column("投资（万元）", lambda p: to_wan(p.investment)),
            Column("年增收（万元）", lambda p: to_wan(p.income_contribution)),
            Column("进度（%）", lambda p: p.progress),
        ),
        rows=_projects,
        allowed=lambda user: can(user, "view"),
    )
)


register_export(
    ListExport(
        key="rural.training",
        title="第一书记集中培训",
        columns=(
            Column("日期", lambda s: s.held_on),
            Column("主题", lambda s: s.topic),
            Column("组织单位", lambda s: s.area.name),
            Column("地点", lambda s: s.location),
            Column("学时", lambda s: s.hours),
            Column("出席", lambda s: s.present),
            Column("应到", lambda s: s.called),
        ),
        rows=lambda *, user, params: selectors.training_list_visible_to(user=user),
        allowed=lambda user: can(user, "view"),
    )
)


def _supporters(*, user, params):
    supporters = list(selectors.supporter_list_visible_to(user=user))
    totals = selectors.supporter_totals(user=user, supporters=supporters)
    return [(s, totals.get(s.pk, (0, 0))) for s in supporters]


register_export(
    ListExport(
        key="rural.supporters",
        title="帮扶力量",
        columns=(
            Column("名称", lambda r: r[0].name),
            Column("类型", lambda r: r[0].get_kind_display()),
            Column("登记单位", lambda r: r[0].area.name),
            Column("帮扶村数", lambda r: r[1][0]),
            Column("折合金额（万元）", lambda r: to_wan(r[1][1])),
        ),
        rows=_supporters,
        allowed=lambda user: can(user, "view"),
    )
)

"""The cadres' lists as spreadsheets (see ``jiceng.core.exports``): training programmes,
hours per person (or the misses), secondment batches, selection rounds, assessment schemes
and the 头雁 roster — each through the page's selector and filters."""

from django.utils import timezone

from jiceng.core.exports import Column, ListExport, register_export

from . import selectors
from .permissions import can


def _year(params, default):
    value = params.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


def _latest(years):
    return years[0] if years else timezone.localdate().year


def _view(user) -> bool:
    return can(user, "view")


def _personnel(user) -> bool:
    return can(user, "view_personnel")


register_export(
    ListExport(
        key="cadres.programmes",
        title="培训项目",
        columns=(
            Column("培训项目", lambda p: p.name),
            Column("年度", lambda p: p.year),
            Column("主办单位", lambda p: p.organizer),
            Column("主办区域", lambda p: p.area.name),
            Column("培训对象", lambda p: p.get_audience_display()),
            Column("报名截止", lambda p: p.signup_closes_on),
            Column("课程", lambda p: p.session_count),
            Column("总学时", lambda p: p.hours_total),
        ),
        rows=lambda *, user, params: selectors.programme_list_visible_to(
            user=user, year=_year(params, None)
        ),
        allowed=_view,
    )
)


def _hours(*, user, params):
    year = _year(params, _latest(selectors.training_years_for(user=user)))
    return selectors.training_hours_by_person(user=user, year=year)


register_export(
    ListExport(
        key="cadres.training_hours",
        title="培训学时",
        columns=(
            Column("姓名", lambda r: r["enrolment__person__name"]),
            Column("所在区域", lambda r: r["enrolment__area__name"]),
            Column("学时", lambda r: r["hours"]),
            Column("出勤次数", lambda r: r["attended"]),
            Column("缺训次数", lambda r: r["missed"]),
        ),
        rows=_hours,
        allowed=_view,
    )
)


def _missed(*, user, params):
    year = _year(params, _latest(selectors.training_years_for(user=user)))
    return selectors.attendance_missed_for(user=user, year=year)


register_export(
    ListExport(
        key="cadres.training_missed",
        title="缺训名单",
        columns=(
            Column("日期", lambda a: a.session.held_on),
            Column("姓名", lambda a: a.enrolment.person.name),
            Column("所在区域", lambda a: a.enrolment.area.name),
            Column("课程", lambda a: a.session.topic),
            Column("培训项目", lambda a: a.session.programme.name),
            Column("情况", lambda a: a.get_status_display()),
        ),
        rows=_missed,
        allowed=_view,
    )
)

register_export(
    ListExport(
        key="cadres.batches",
        title="挂职批次",
        columns=(
            Column("批次", lambda b: b.name),
            Column("组织区域", lambda b: b.area.name),
            Column("开始日期", lambda b: b.starts_on),
            Column("结束日期", lambda b: b.ends_on),
            Column("工作方案", lambda b: b.plan_document),
            Column("挂职人员", lambda b: b.secondee_count),
        ),
        rows=lambda *, user, params: selectors.batch_list_visible_to(user=user),
        allowed=_view,
    )
)

register_export(
    ListExport(
        key="cadres.rounds",
        title="择优选配",
        columns=(
            Column("选配工作", lambda r: r.name),
            Column("组织区域", lambda r: r.area.name),
            Column("状态", lambda r: r.get_status_display()),
            Column("报名截止", lambda r: r.applications_close_on),
            Column("公示开始", lambda r: r.publicity_starts_on),
            Column("公示结束", lambda r: r.publicity_ends_on),
            Column("岗位", lambda r: r.post_count),
            Column("报名", lambda r: r.application_count),
        ),
        rows=lambda *, user, params: selectors.round_list_visible_to(user=user),
        allowed=_personnel,
    )
)

register_export(
    ListExport(
        key="cadres.schemes",
        title="考评方案",
        columns=(
            Column("考评方案", lambda s: s.name),
            Column("制定区域", lambda s: s.area.name),
            Column("考评对象", lambda s: s.get_audience_display()),
            Column("考评项目", lambda s: s.criterion_count),
            Column("头雁分数线", lambda s: s.leader_threshold),
            Column("考评记录", lambda s: s.assessment_count),
        ),
        rows=lambda *, user, params: selectors.scheme_list_visible_to(user=user),
        allowed=_personnel,
    )
)


def _leaders(*, user, params):
    year = _year(params, _latest(selectors.assessment_years_for(user=user)))
    roster = list(selectors.leader_roster(user=user, year=year))
    mentors = selectors.mentor_person_ids(person_ids=[a.person_id for a in roster])
    return [(i, a, a.person_id in mentors) for i, a in enumerate(roster, start=1)]


register_export(
    ListExport(
        key="cadres.leaders",
        title="头雁名单",
        columns=(
            Column("序号", lambda r: r[0]),
            Column("姓名", lambda r: r[1].person.name),
            Column("社区", lambda r: r[1].area.name),
            Column("街道", lambda r: r[1].area.parent.name if r[1].area.parent else ""),
            Column("考评方案", lambda r: r[1].scheme.name),
            Column("年度", lambda r: r[1].year),
            Column("年度总分", lambda r: r[1].total),
            Column("挂职导师", lambda r: "导师" if r[2] else ""),
        ),
        rows=_leaders,
        allowed=_personnel,
    )
)

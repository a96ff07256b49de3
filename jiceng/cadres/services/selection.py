"""Writes of merit-based selection: the round and its rules, posts, applications,
screening, scores, ranking, the publicity period and the appointment."""

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import ValidationFailed
from jiceng.core.models import Area, AreaKind, Education, Person
from jiceng.core.services import post_create

from .. import screening
from ..models import (
    Application,
    ApplicationStatus,
    RoundStatus,
    SelectionPost,
    SelectionRound,
)
from ..models.selection import SELECTION_TITLES
from ..workdays import working_days
from .common import check_score, check_year, require, today

# Applications that screening looks at again when it runs a second time.
SCREENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.INELIGIBLE)
RANKED = (ApplicationStatus.PROPOSED, ApplicationStatus.NOT_PROPOSED)


def _lock(selection: SelectionRound) -> SelectionRound:
    return SelectionRound.objects.select_for_update().get(pk=selection.pk)


def _transition(selection: SelectionRound, status: str, **changes) -> tuple[dict, dict]:
    before = {"status": selection.status, **{k: getattr(selection, k) for k in changes}}
    selection.status = status
    for field, value in changes.items():
        setattr(selection, field, value)
    selection.save(update_fields=["status", *changes, "updated_at"])
    after = {"status": status, **changes}
    return before, after


def round_create(
    *,
    by,
    name: str,
    year: int,
    area: Area,
    reference_date: date,
    applications_close_on: date,
    max_age: int | None = None,
    min_education: str = "",
    min_party_years: int | None = None,
    min_community_years: int | None = None,
    require_clean_record: bool = True,
    written_weight: Decimal = Decimal("0.4"),
    interview_weight: Decimal = Decimal("0.6"),
    publicity_days: int = 5,
) -> SelectionRound:
    require(by, "organize_in", area, "您无权在该区域组织择优选配。")
    if area.kind not in (AreaKind.DISTRICT, AreaKind.STREET):
        raise ValidationFailed("择优选配由区或街道组织，请选择区或街道。", field="area")
    name = clean_text(name, field="name", label="名称", max_length=100)
    if min_education and min_education not in Education.values:
        raise ValidationFailed("最低学历无效。", field="min_education")
    for field, value in (
        ("max_age", max_age),
        ("min_party_years", min_party_years),
        ("min_community_years", min_community_years),
    ):
        if value is not None and not 0 <= value <= 80:
            raise ValidationFailed("年龄和年限应在 0 到 80 之间。", field=field)
    written_weight = Decimal(written_weight)
    interview_weight = Decimal(interview_weight)
    if min(written_weight, interview_weight) < 0 or written_weight + interview_weight != 1:
        raise ValidationFailed("笔试与面试权重均不能为负，且相加应等于 1。", field="written_weight")
    if not 1 <= publicity_days <= 30:
        raise ValidationFailed("公示期应为 1 到 30 个工作日。", field="publicity_days")
    if SelectionRound.objects.filter(area=area, name=name).exists():
        raise ValidationFailed(f"已有名为“{name}”的选配工作。", field="name")
    values = {
        "name": name,
        "year": check_year(year),
        "area": area,
        "reference_date": reference_date,
        "applications_close_on": applications_close_on,
        "max_age": max_age,
        "min_education": min_education,
        "min_party_years": min_party_years,
        "min_community_years": min_community_years,
        "require_clean_record": require_clean_record,
        "written_weight": written_weight,
        "interview_weight": interview_weight,
        "publicity_days": publicity_days,
    }
    with transaction.atomic():
        selection = SelectionRound.objects.create(**values)
        audit_record(
            actor=by,
            action="cadres.round_create",
            obj=selection,
            changes=changes_between({}, values),
        )
    return selection


def selection_post_add(
    *,
    by,
    selection: SelectionRound,
    area: Area,
    title: str,
    positions: int = 1,
    term_ends_on: date | None = None,
) -> SelectionPost:
    require(by, "manage_round", selection, "您无权调整该选配工作的岗位。")
    if selection.status != RoundStatus.OPEN:
        raise ValidationFailed("资格审查开始后不能再增加岗位。", field="area")
    if title not in SELECTION_TITLES:
        raise ValidationFailed("岗位应为社区党组织书记或副书记。", field="title")
    if area.kind != AreaKind.COMMUNITY or not area.code.startswith(selection.area.code):
        raise ValidationFailed(f"岗位应设在{selection.area.name}的社区。", field="area")
    if positions < 1:
        raise ValidationFailed("职数至少为 1。", field="positions")
    if term_ends_on and term_ends_on <= selection.reference_date:
        raise ValidationFailed("任期届满日期应晚于资格计算基准日。", field="term_ends_on")
    values = {"area": area, "title": title, "positions": positions, "term_ends_on": term_ends_on}
    with transaction.atomic():
        _lock(selection)
        if selection.posts.filter(area=area, title=title).exists():
            raise ValidationFailed("该社区的这一岗位已在本次选配中。", field="area")
        post = SelectionPost.objects.create(round=selection, **values)
        audit_record(
            actor=by,
            action="cadres.selection_post_add",
            obj=post,
            changes=changes_between({}, {"round": selection, **values}),
        )
    return post


def application_submit(
    *,
    by,
    post: SelectionPost,
    person: Person,
    community_work_started_on: date | None,
    has_disciplinary_record: bool = False,
    record_note: str = "",
    submitted_on: date | None = None,
) -> Application:
    selection = post.round
    require(by, "manage_round", selection, "您无权为该选配工作登记报名。")
    submitted_on = submitted_on or today()
    if community_work_started_on and community_work_started_on > submitted_on:
        raise ValidationFailed(
            "参加社区工作时间不能晚于报名日期。", field="community_work_started_on"
        )
    values = {
        "post": post,
        "person": person,
        "submitted_on": submitted_on,
        "community_work_started_on": community_work_started_on,
        "has_disciplinary_record": bool(has_disciplinary_record),
        "record_note": clean_text(
            record_note, field="record_note", label="处分情况", max_length=200, required=False
        ),
    }
    with transaction.atomic():
        if not _lock(selection).accepts_applications(submitted_on):
            raise ValidationFailed("报名已截止。", field="person")
        if selection.applications.filter(person=person).exists():
            raise ValidationFailed(
                f"{person.name}已报名本次选配（每人限报一个岗位）。", field="person"
            )
        application = Application.objects.create(round=selection, **values)
        audit_record(
            actor=by,
            action="cadres.application_submit",
            obj=application,
            changes=changes_between({}, values),
        )
    return application


def rules_of(selection: SelectionRound) -> screening.Rules:
    return screening.Rules(
        reference_date=selection.reference_date,
        max_age=selection.max_age,
        min_education=selection.min_education,
        min_party_years=selection.min_party_years,
        min_community_years=selection.min_community_years,
        require_clean_record=selection.require_clean_record,
    )


def facts_of(application: Application) -> screening.Facts:
    person = application.person
    return screening.Facts(
        birth_date=person.birth_date,
        education=person.education,
        political_status=person.political_status,
        party_joined_on=person.party_joined_on,
        community_work_started_on=application.community_work_started_on,
        has_disciplinary_record=application.has_disciplinary_record,
        record_note=application.record_note,
    )


def round_screen(*, by, selection: SelectionRound) -> dict[str, int]:
    """Check every application against the round's rules and keep every failed rule as a
    reason. Closes the sign-up; may run again (after a correction) until publicity."""
    require(by, "manage_round", selection, "您无权进行资格审查。")
    with transaction.atomic():
        locked = _lock(selection)
        if not locked.can_screen():
            raise ValidationFailed("公示开始后不能再进行资格审查。", field="status")
        rules = rules_of(locked)
        now = timezone.now()
        rows = list(
            locked.applications.filter(status__in=SCREENABLE + RANKED)
            .select_related("person")
            .select_for_update(of=("self",))
        )
        for application in rows:
            reasons = screening.screen(rules, facts_of(application))
            application.screening_reasons = reasons
            application.status = (
                ApplicationStatus.INELIGIBLE if reasons else ApplicationStatus.ELIGIBLE
            )
            application.screened_at = now
            application.rank = None
            application.updated_at = now
        Application.objects.bulk_update(
            rows, ["screening_reasons", "status", "screened_at", "rank", "updated_at"]
        )
        counts = Counter(a.status for a in rows)
        before, after = _transition(locked, RoundStatus.SCREENED)
        summary = {
            "eligible": counts[ApplicationStatus.ELIGIBLE],
            "ineligible": counts[ApplicationStatus.INELIGIBLE],
        }
        audit_record(
            actor=by,
            action="cadres.round_screen",
            obj=locked,
            changes={
                **changes_between(before, after),
                **{k: [None, v] for k, v in summary.items()},
            },
        )
    selection.status = locked.status
    return summary


def application_score(*, by, application: Application, written, interview) -> Application:
    """Enter the written and interview scores of an eligible applicant. A change after the
    ranking sends the round back to be ranked again."""
    selection = application.round
    require(by, "manage_round", selection, "您无权录入成绩。")
    written = check_score(written, field="written_score", label="笔试成绩")
    interview = check_score(interview, field="interview_score", label="面试成绩")
    with transaction.atomic():
        locked_round = _lock(selection)
        if not locked_round.can_score():
            raise ValidationFailed("只能在资格审查后、公示前录入成绩。", field="written_score")
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (ApplicationStatus.ELIGIBLE, *RANKED):
            raise ValidationFailed("只有资格审查通过的人员可以录入成绩。", field="written_score")
        fields = ("written_score", "interview_score", "total_score")
        before = {f: getattr(locked, f) for f in fields}
        locked.written_score, locked.interview_score = written, interview
        locked.total_score = screening.weighted_total(
            written, interview, locked_round.written_weight, locked_round.interview_weight
        )
        locked.save(update_fields=[*fields, "updated_at"])
        if locked_round.status == RoundStatus.RANKED:
            locked_round.applications.filter(status__in=RANKED).update(
                status=ApplicationStatus.ELIGIBLE, rank=None, updated_at=timezone.now()
            )
            _transition(locked_round, RoundStatus.SCREENED)
        audit_record(
            actor=by,
            action="cadres.application_score",
            obj=locked,
            changes=changes_between(before, {f: getattr(locked, f) for f in fields}),
        )
    return locked


def round_rank(*, by, selection: SelectionRound) -> dict[int, int]:
    """Rank the eligible applicants of each post; the first ``positions`` ranks become the
    proposed candidates (拟任人选). Returns application id -> rank."""
    require(by, "manage_round", selection, "您无权排名。")
    with transaction.atomic():
        locked = _lock(selection)
        if not locked.can_rank():
            raise ValidationFailed("只能在资格审查后、公示前排名。", field="status")
        rows = list(
            locked.applications.filter(status__in=(ApplicationStatus.ELIGIBLE, *RANKED))
            .select_related("post")
            .select_for_update(of=("self",))
        )
        missing = [a for a in rows if not a.is_scored]
        if missing:
            raise ValidationFailed(
                f"尚有 {len(missing)} 名资格审查通过的人员未录入成绩，不能排名。", field="status"
            )
        if not rows:
            raise ValidationFailed("没有资格审查通过的人员，无法排名。", field="status")
        ranks: dict[int, int] = {}
        by_post: dict[int, list[Application]] = {}
        for a in rows:
            by_post.setdefault(a.post_id, []).append(a)
        now = timezone.now()
        for applications in by_post.values():
            ranks.update(
                screening.rank(
                    [
                        screening.Entry(a.pk, a.total_score, a.interview_score, a.written_score)
                        for a in applications
                    ]
                )
            )
            for a in applications:
                a.rank = ranks[a.pk]
                a.status = (
                    ApplicationStatus.PROPOSED
                    if a.rank <= a.post.positions
                    else ApplicationStatus.NOT_PROPOSED
                )
                a.updated_at = now
        Application.objects.bulk_update(rows, ["rank", "status", "updated_at"])
        before, after = _transition(locked, RoundStatus.RANKED)
        audit_record(
            actor=by,
            action="cadres.round_rank",
            obj=locked,
            changes={
                **changes_between(before, after),
                "ranks": [None, {str(k): v for k, v in ranks.items()}],
            },
        )
    selection.status = locked.status
    return ranks


def round_publicize(*, by, selection: SelectionRound, starts_on: date) -> SelectionRound:
    """Publish the proposed candidates for ``publicity_days`` Chinese working days from
    ``starts_on`` (holidays skipped, 调休 weekend workdays counted)."""
    require(by, "manage_round", selection, "您无权发布公示。")
    with transaction.atomic():
        locked = _lock(selection)
        if not locked.can_publicize():
            raise ValidationFailed("排名完成后才能公示。", field="publicity_starts_on")
        proposed = Counter(
            locked.applications.filter(status=ApplicationStatus.PROPOSED).values_list(
                "post_id", flat=True
            )
        )
        if not proposed:
            raise ValidationFailed("没有拟任人选，无法公示。", field="publicity_starts_on")
        for post in locked.posts.select_related("area"):
            if proposed[post.pk] > post.positions:
                raise ValidationFailed(
                    f"{post}的拟任人选名次并列，超过职数 {post.positions} 名，"
                    "请组织加试或复核成绩后重新排名。",
                    field="publicity_starts_on",
                )
        if starts_on < locked.reference_date:
            raise ValidationFailed(
                "公示开始日期不能早于资格计算基准日。", field="publicity_starts_on"
            )
        first, last = working_days(starts_on, locked.publicity_days)
        before, after = _transition(
            locked,
            RoundStatus.PUBLICITY,
            publicity_starts_on=first,
            publicity_ends_on=last,
        )
        audit_record(
            actor=by,
            action="cadres.round_publicize",
            obj=locked,
            changes=changes_between(before, after),
        )
    return locked


def round_appoint(*, by, selection: SelectionRound, on: date | None = None) -> list[Application]:
    """After the publicity period, appoint every proposed candidate: each gets their new
    post through the core's ``post_create`` (which leaves its own audit row)."""
    require(by, "manage_round", selection, "您无权任命。")
    on = on or today()
    with transaction.atomic():
        locked = _lock(selection)
        if not locked.can_appoint(on):
            if locked.status == RoundStatus.PUBLICITY:
                raise ValidationFailed(
                    f"公示期至{screening.cn_date(locked.publicity_ends_on)}结束，期满后方可任命。",
                    field="starts_on",
                )
            raise ValidationFailed("公示期满后才能任命。", field="starts_on")
        appointed = list(
            locked.applications.filter(status=ApplicationStatus.PROPOSED)
            .select_related("person", "post__area")
            .select_for_update(of=("self",))
        )
        for application in appointed:
            post = post_create(
                by=by,
                person=application.person,
                title=application.post.title,
                area=application.post.area,
                starts_on=on,
                ends_on=application.post.term_ends_on,
            )
            application.appointed_post = post
            application.status = ApplicationStatus.APPOINTED
            application.save(update_fields=["appointed_post", "status", "updated_at"])
            audit_record(
                actor=by,
                action="cadres.application_appoint",
                obj=application,
                changes=changes_between(
                    {"status": ApplicationStatus.PROPOSED},
                    {"status": application.status, "appointed_post": post, "starts_on": on},
                ),
            )
        before, after = _transition(locked, RoundStatus.APPOINTED)
        audit_record(
            actor=by,
            action="cadres.round_appoint",
            obj=locked,
            changes={**changes_between(before, after), "appointed": [None, len(appointed)]},
        )
    return appointed

"""The contests' services: conflicts, scoring, locking, corrections and their audit."""

from datetime import date
from decimal import Decimal as D

import pytest

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PostFactory

from .. import services
from ..conflicts import judge_streets
from ..models import (
    PresenterKind,
    RoundKind,
    RoundStatus,
    Score,
    ScoreSheet,
    SheetCorrection,
    SheetStatus,
)
from ..selectors import round_ranking
from .factories import (
    AwardBandFactory,
    EntryFactory,
    RoundEntryFactory,
    RoundFactory,
    RoundJudgeFactory,
    ScoreSheetFactory,
    judge_user,
    person_in,
    submitted_sheet,
)


def _values(cw, impact, show):
    return {cw.impact.pk: impact, cw.show.pk: show}


def _scores(sheet):
    return dict(Score.objects.filter(sheet=sheet).values_list("criterion__name", "value"))


def _audit_count(action=""):
    return AuditEvent.objects.filter(action__startswith=action).count()


# ---- the conflict rule ---------------------------------------------------------------------


def test_a_judges_street_comes_from_their_person_and_their_current_posts(cw):
    assert judge_streets(cw.judge_a) == {cw.world.street_a.code}
    PostFactory(person=cw.judge_a.person, title=PostTitle.STREET_STAFF, area=cw.world.street_b)
    assert judge_streets(cw.judge_a) == {cw.world.street_a.code, cw.world.street_b.code}
    assert judge_streets(cw.judge) == set()  # no person: a district-level judge


def test_a_post_that_ended_no_longer_ties_a_judge_to_its_street(cw):
    PostFactory(
        person=cw.judge_a.person,
        title=PostTitle.STREET_STAFF,
        area=cw.world.street_b,
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
    )
    assert judge_streets(cw.judge_a) == {cw.world.street_a.code}


def test_adding_a_judge_to_a_round_assigns_every_entry_but_those_of_their_street(cw):
    _, recused = services.round_judge_add(by=cw.admin, rnd=cw.final, judge=cw.judge_a)
    assert recused == [cw.entry_a]
    assert list(ScoreSheet.objects.filter(judge=cw.judge_a).values_list("round_entry", flat=True))
    assert not ScoreSheet.objects.filter(judge=cw.judge_a, round_entry=cw.re_a).exists()
    assert ScoreSheet.objects.filter(judge=cw.judge_a, round_entry=cw.re_b).exists()
    audit = AuditEvent.objects.filter(action="contests.round_judge_add").get()
    assert audit.changes["recused"] == [None, "1"]


def test_assigning_a_judge_to_an_entry_of_their_street_is_refused_with_the_reason(cw):
    RoundJudgeFactory(round=cw.final, judge=cw.judge_b)
    before = _audit_count()
    with pytest.raises(ValidationFailed) as e:
        services.sheet_assign(by=cw.admin, round_entry=cw.re_b, judge=cw.judge_b)
    assert "回避" in e.value.message and "杆石桥街道" in e.value.message
    assert not ScoreSheet.objects.filter(judge=cw.judge_b).exists()
    assert _audit_count() == before


def test_an_entry_added_later_is_assigned_to_the_panel_except_its_streets_judges(cw):
    services.round_judge_add(by=cw.admin, rnd=cw.final, judge=cw.judge_a)
    services.round_judge_add(by=cw.admin, rnd=cw.final, judge=cw.judge_b)
    late = EntryFactory(contest=cw.contest, number=3, title="新增项目", village=cw.village_a)
    re = services.round_entry_add(by=cw.admin, rnd=cw.final, entry=late)
    assert set(re.sheets.values_list("judge__username", flat=True)) == {"judge_street_b"}


def test_a_judge_who_took_a_post_in_the_entrys_street_cannot_score_it(cw):
    services.round_judge_add(by=cw.admin, rnd=cw.final, judge=cw.judge_a)
    sheet = ScoreSheet.objects.get(judge=cw.judge_a, round_entry=cw.re_b)
    PostFactory(person=cw.judge_a.person, title=PostTitle.STREET_STAFF, area=cw.world.street_b)
    with pytest.raises(PermissionDenied) as e:
        services.sheet_submit(by=cw.judge_a, sheet=sheet, values=_values(cw, 80, 80))
    assert "回避" in e.value.message
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING and not _scores(sheet)


def test_only_accounts_with_the_judge_role_join_a_panel(cw):
    staff = cw.world.users[Role.STREET_STAFF]
    with pytest.raises(ValidationFailed, match="没有评委角色"):
        services.round_judge_add(by=cw.admin, rnd=cw.final, judge=staff)
    assert not cw.final.panel.exists()


# ---- scoring, range validation and locking --------------------------------------------------


@pytest.fixture
def sheet(cw):
    return ScoreSheetFactory(round_entry=cw.re_a, judge=cw.judge)


def test_a_draft_may_leave_scores_blank(cw, sheet):
    services.sheet_save(by=cw.judge, sheet=sheet, values=_values(cw, "85", ""))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert _scores(sheet) == {"项目成效": D("85.0")}
    assert AuditEvent.objects.filter(action="contests.sheet_save").count() == 1


@pytest.mark.parametrize(
    "impact, message",
    [
        ("101", "“项目成效”的分数须在 0–100 分之间，您填写的是 101。"),
        ("-1", "“项目成效”的分数须在 0–100 分之间，您填写的是 -1。"),
        ("八十", "“项目成效”的分数须为数字，您填写的是“八十”。"),
        ("80.25", "“项目成效”的分数最多保留一位小数。"),
    ],
)
def test_out_of_range_or_malformed_scores_are_refused_in_chinese(cw, sheet, impact, message):
    for service in (services.sheet_save, services.sheet_submit):
        with pytest.raises(ValidationFailed) as e:
            service(by=cw.judge, sheet=sheet, values=_values(cw, impact, "80"))
        assert e.value.extra["errors"] == {f"c{cw.impact.pk}": message}
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING and not _scores(sheet)
    assert _audit_count("contests.") == 0


def test_submitting_needs_every_criterion(cw, sheet):
    with pytest.raises(ValidationFailed) as e:
        services.sheet_submit(by=cw.judge, sheet=sheet, values=_values(cw, "80", ""))
    assert e.value.extra["errors"] == {f"c{cw.show.pk}": "“路演表现”尚未打分。"}
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING


def test_a_submitted_sheet_is_locked_against_its_judge(cw, sheet):
    services.sheet_submit(by=cw.judge, sheet=sheet, values=_values(cw, "80", "90.5"))
    audits = _audit_count()
    for service in (services.sheet_save, services.sheet_submit):
        with pytest.raises(PermissionDenied) as e:
            service(by=cw.judge, sheet=sheet, values=_values(cw, "100", "100"))
        assert "已提交并锁定" in e.value.message
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert _scores(sheet) == {"项目成效": D("80.0"), "路演表现": D("90.5")}
    assert _audit_count() == audits


def test_submitting_is_audited_with_the_scores(cw, sheet):
    services.sheet_submit(by=cw.judge, sheet=sheet, values=_values(cw, "80", "90"))
    row = AuditEvent.objects.get(action="contests.sheet_submit")
    assert row.actor_id == cw.judge.pk
    assert row.changes["项目成效"] == [None, "80.0"]
    assert row.changes["status"] == ["pending", "submitted"]


def test_another_judge_cannot_write_a_sheet_that_is_not_theirs(cw, sheet):
    with pytest.raises(PermissionDenied):
        services.sheet_submit(by=cw.judge_a, sheet=sheet, values=_values(cw, "80", "80"))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PENDING and not _scores(sheet)


def test_no_score_is_taken_while_the_round_is_not_open(cw, sheet):
    cw.final.status = RoundStatus.CLOSED
    cw.final.save()
    with pytest.raises(ValidationFailed, match="不能打分"):
        services.sheet_save(by=cw.judge, sheet=sheet, values=_values(cw, "80", "80"))


# ---- the contest admin's corrections ---------------------------------------------------------


@pytest.fixture
def submitted(cw):
    return submitted_sheet(cw.re_a, cw.judge, {cw.impact: 80, cw.show: 70})


@pytest.mark.parametrize("reason", ["", "  ", "改分"])
def test_a_correction_needs_a_reason(cw, submitted, reason):
    with pytest.raises(ValidationFailed) as e:
        services.sheet_correct(
            by=cw.admin, sheet=submitted, values=_values(cw, "85", "70"), reason=reason
        )
    assert e.value.message == "请填写更正原因（至少 4 个字）。"
    assert _scores(submitted)["项目成效"] == D("80")
    assert not SheetCorrection.objects.exists() and _audit_count() == 0


def test_the_contest_admin_corrects_a_submitted_sheet_with_a_reason_audited(cw, submitted):
    reason = "评委现场口头更正，误将85录为80"
    services.sheet_correct(
        by=cw.admin, sheet=submitted, values=_values(cw, "85", "70"), reason=reason
    )
    assert _scores(submitted)["项目成效"] == D("85.0")
    correction = SheetCorrection.objects.get()
    assert correction.reason == reason and correction.by == cw.admin
    assert correction.changes == {"项目成效": ["80.0", "85.0"]}
    row = AuditEvent.objects.get(action="contests.sheet_correct")
    assert row.actor_id == cw.admin.pk and row.changes["reason"] == [None, reason]
    submitted.refresh_from_db()
    assert submitted.status == SheetStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.JUDGE])
def test_only_the_contest_admin_may_correct(cw, submitted, role):
    with pytest.raises(PermissionDenied):
        services.sheet_correct(
            by=cw.world.users[role],
            sheet=submitted,
            values=_values(cw, "85", "70"),
            reason="需要更正一下分数",
        )
    assert _scores(submitted)["项目成效"] == D("80")


def test_a_correction_keeps_the_ranges(cw, submitted):
    with pytest.raises(ValidationFailed):
        services.sheet_correct(
            by=cw.admin, sheet=submitted, values=_values(cw, "120", "70"), reason="录入错误更正"
        )
    assert _scores(submitted)["项目成效"] == D("80")


# ---- set-up rules ---------------------------------------------------------------------------


def test_the_rubric_is_locked_once_scores_exist(cw, submitted):
    with pytest.raises(ValidationFailed, match="评分细则不能再修改"):
        services.criterion_add(by=cw.admin, contest=cw.contest, name="新项", weight=1, max_score=10)
    with pytest.raises(ValidationFailed, match="评分细则不能再修改"):
        services.criterion_delete(by=cw.admin, criterion=cw.show)
    assert cw.contest.criteria.count() == 2


def test_a_criterion_needs_a_valid_range_and_weight(cw):
    with pytest.raises(ValidationFailed, match="分值范围无效"):
        services.criterion_add(
            by=cw.admin, contest=cw.contest, name="新项", weight=1, min_score=10, max_score=5
        )
    with pytest.raises(ValidationFailed, match="权重系数"):
        services.criterion_add(by=cw.admin, contest=cw.contest, name="新项", weight=0, max_score=5)


def test_street_staff_cannot_set_a_contest_up(cw):
    with pytest.raises(PermissionDenied):
        services.criterion_add(
            by=cw.world.users[Role.STREET_STAFF],
            contest=cw.contest,
            name="新项",
            weight=1,
            max_score=10,
        )


def test_an_entry_must_come_from_a_village_of_the_district(cw):
    with pytest.raises(ValidationFailed, match="所在村须为"):
        services.entry_create(
            by=cw.admin,
            contest=cw.contest,
            presenter_kind=PresenterKind.ENTERPRISE,
            presenter_name="某企业",
            title="社区项目",
            village=cw.world.community_a1,
        )


def test_a_first_secretary_entry_needs_a_first_secretary(cw):
    someone = person_in(cw.village_a, "非书记")
    with pytest.raises(ValidationFailed, match="没有第一书记任职记录"):
        services.entry_create(
            by=cw.admin,
            contest=cw.contest,
            presenter_kind=PresenterKind.FIRST_SECRETARY,
            presenter_person=someone,
            title="第一书记项目",
        )
    PostFactory(person=someone, title=PostTitle.FIRST_SECRETARY, area=cw.village_a)
    entry = services.entry_create(
        by=cw.admin,
        contest=cw.contest,
        presenter_kind=PresenterKind.FIRST_SECRETARY,
        presenter_person=someone,
        title="第一书记项目",
    )
    assert entry.village == cw.village_a and entry.number == 3
    assert AuditEvent.objects.filter(action="contests.entry_create").count() == 1


def test_scoring_cannot_open_without_a_rubric(world):
    from .factories import ContestFactory

    contest = ContestFactory(area=world.district)
    rnd = RoundFactory(contest=contest, status=RoundStatus.SETUP)
    with pytest.raises(ValidationFailed, match="评分细则"):
        services.round_status_set(
            by=world.users[Role.DISTRICT_ADMIN], rnd=rnd, status=RoundStatus.SCORING
        )


# ---- ranking through the database -----------------------------------------------------------


def _panel(cw, count):
    return [judge_user(f"panel{i}", area=cw.world.district) for i in range(count)]


def test_ranking_trims_with_five_judges_and_not_with_four(cw):
    judges = _panel(cw, 5)
    totals_a = [(100, 100), (50, 50), (80, 80), (82, 82), (84, 84)]
    for judge, (i, s) in zip(judges, totals_a, strict=True):
        submitted_sheet(cw.re_a, judge, {cw.impact: i, cw.show: s})
    for judge in judges[:4]:
        submitted_sheet(cw.re_b, judge, {cw.impact: 90, cw.show: 60})  # total 78
    ranking = round_ranking(user=cw.admin, rnd=cw.final)
    rows = {r.entry.pk: r for r in ranking.rows}
    assert rows[cw.entry_a.pk].standing.score == D("82.00")  # 100 and 50 dropped
    assert rows[cw.entry_b.pk].standing.score == D("78.00")  # four judges: plain mean
    assert rows[cw.entry_a.pk].standing.rank == 1


def test_equal_scores_are_ordered_by_the_tie_break_criterion(cw):
    judge = _panel(cw, 1)[0]
    submitted_sheet(cw.re_a, judge, {cw.impact: 80, cw.show: 90})  # 48 + 36 = 84
    submitted_sheet(cw.re_b, judge, {cw.impact: 90, cw.show: 75})  # 54 + 30 = 84
    rows = round_ranking(user=cw.admin, rnd=cw.final).rows
    assert [r.entry for r in rows] == [cw.entry_b, cw.entry_a]
    assert [r.standing.rank for r in rows] == [1, 2]
    assert rows[0].standing.split_by_tie_break and not rows[0].standing.tied


def test_equal_scores_and_equal_tie_breaks_are_stated_as_a_tie(cw):
    judge = _panel(cw, 1)[0]
    submitted_sheet(cw.re_a, judge, {cw.impact: 80, cw.show: 90})
    submitted_sheet(cw.re_b, judge, {cw.impact: 80, cw.show: 90})
    AwardBandFactory(contest=cw.contest, name="一等奖", up_to_rank=1)
    AwardBandFactory(contest=cw.contest, name="二等奖", up_to_rank=None)
    rows = round_ranking(user=cw.admin, rnd=cw.final).rows
    assert [r.standing.rank for r in rows] == [1, 1]
    assert all(r.standing.tied for r in rows)
    assert [r.standing.award for r in rows] == ["一等奖", "一等奖"]


def test_awards_wait_until_every_sheet_is_submitted(cw):
    judge = _panel(cw, 1)[0]
    AwardBandFactory(contest=cw.contest, name="一等奖", up_to_rank=1)
    submitted_sheet(cw.re_a, judge, {cw.impact: 80, cw.show: 90})
    ScoreSheetFactory(round_entry=cw.re_b, judge=judge)
    ranking = round_ranking(user=cw.admin, rnd=cw.final)
    assert not ranking.complete
    assert all(r.standing.award == "" for r in ranking.rows)


def test_a_draft_does_not_count(cw):
    judge = _panel(cw, 1)[0]
    sheet = ScoreSheetFactory(round_entry=cw.re_a, judge=judge, status=SheetStatus.DRAFT)
    from .factories import ScoreFactory

    ScoreFactory(sheet=sheet, criterion=cw.impact, value=D(99))
    ScoreFactory(sheet=sheet, criterion=cw.show, value=D(99))
    row = next(r for r in round_ranking(user=cw.admin, rnd=cw.final).rows if r.entry == cw.entry_a)
    assert row.standing.score is None and row.submitted == 0 and row.expected == 1


def test_advancing_takes_the_best_and_everyone_tied_at_the_cut(cw):
    prelim = RoundFactory(contest=cw.contest, kind=RoundKind.PRELIMINARY, sequence=0)
    prelim.advance_count = 1
    prelim.save()
    cw.final.round_entries.all().delete()
    judge = _panel(cw, 1)[0]
    for entry in (cw.entry_a, cw.entry_b):
        re = RoundEntryFactory(round=prelim, entry=entry)
        submitted_sheet(re, judge, {cw.impact: 80, cw.show: 80})
    added = services.round_advance(by=cw.admin, rnd=prelim)
    assert {a.entry for a in added} == {cw.entry_a, cw.entry_b}
    assert cw.final.round_entries.count() == 2

"""Selection through the services: screening keeps every reason, scores are weighted, each
post is ranked, the publicity period counts working days, and the appointment creates the
person's post through the core (with audit rows); refused calls change nothing."""

from datetime import date
from decimal import Decimal

import pytest

from jiceng.cadres import services
from jiceng.cadres.models import Application, ApplicationStatus, RoundStatus, SelectionRound
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent, Education, PoliticalStatus, Post, PostTitle
from jiceng.core.roles import Role

from .factories import ApplicationFactory, SelectionPostFactory, SelectionRoundFactory


@pytest.fixture
def selection(world):
    return SelectionRoundFactory(area=world.district, name="区级选配")


@pytest.fixture
def seat(selection, world):
    return SelectionPostFactory(
        round=selection, area=world.community_a1, title=PostTitle.COMMUNITY_DEPUTY, positions=1
    )


@pytest.fixture
def admin(world):
    return world.users[Role.DISTRICT_ADMIN]


def _fresh(row):
    return type(row).objects.get(pk=row.pk)


def test_screening_marks_each_application_and_keeps_all_reasons(admin, selection, seat):
    good = ApplicationFactory(post=seat)
    bad = ApplicationFactory(
        post=seat,
        person__birth_date=date(1970, 1, 1),
        person__political_status=PoliticalStatus.MASSES,
        person__party_joined_on=None,
        person__education=Education.SENIOR,
    )
    summary = services.round_screen(by=admin, selection=selection)
    assert summary == {"eligible": 1, "ineligible": 1}
    assert _fresh(good).status == ApplicationStatus.ELIGIBLE
    bad = _fresh(bad)
    assert bad.status == ApplicationStatus.INELIGIBLE
    assert len(bad.screening_reasons) == 3
    assert bad.screening_reasons[0].startswith("年龄超过45周岁")
    assert _fresh(selection).status == RoundStatus.SCREENED
    assert AuditEvent.objects.filter(action="cadres.round_screen").count() == 1


def test_applications_close_with_screening(admin, selection, seat, world):
    services.round_screen(by=admin, selection=selection)
    with pytest.raises(ValidationFailed, match="报名已截止"):
        services.application_submit(
            by=admin,
            post=seat,
            person=world.people_a[1],
            community_work_started_on=date(2015, 1, 1),
            submitted_on=date(2024, 5, 1),
        )


def test_one_application_per_person_per_round(admin, seat):
    first = ApplicationFactory(post=seat)
    with pytest.raises(ValidationFailed, match="每人限报一个岗位"):
        services.application_submit(
            by=admin,
            post=seat,
            person=first.person,
            community_work_started_on=date(2015, 1, 1),
            submitted_on=date(2024, 5, 1),
        )


def _screened_with_scores(admin, selection, seat, scores):
    apps = [ApplicationFactory(post=seat) for _ in scores]
    services.round_screen(by=admin, selection=selection)
    for application, (written, interview) in zip(apps, scores, strict=True):
        services.application_score(
            by=admin, application=application, written=written, interview=interview
        )
    return apps


def test_scores_are_weighted_by_the_rounds_weights(admin, selection, seat):
    (application,) = _screened_with_scores(admin, selection, seat, [("80", "90")])
    assert _fresh(application).total_score == Decimal("86.00")  # 0.4 × 80 + 0.6 × 90


def test_ranking_orders_each_post_and_proposes_as_many_as_it_has_positions(
    admin, selection, seat, world
):
    other = SelectionPostFactory(
        round=selection, area=world.community_a1, title="community_secretary", positions=2
    )
    first, second, third = _screened_with_scores(
        admin, selection, seat, [("70", "70"), ("90", "80"), ("60", "95")]
    )
    lone = ApplicationFactory(post=other)
    services.round_screen(by=admin, selection=selection)
    for application, (w, i) in (
        (first, (70, 70)),
        (second, (90, 80)),
        (third, (60, 95)),
        (lone, (50, 50)),
    ):
        services.application_score(by=admin, application=application, written=w, interview=i)
    ranks = services.round_rank(by=admin, selection=selection)
    # totals: 70, 84, 81 → second, third, first
    assert [ranks[a.pk] for a in (second, third, first)] == [1, 2, 3]
    assert ranks[lone.pk] == 1
    statuses = {a.pk: _fresh(a).status for a in (first, second, third, lone)}
    assert statuses[second.pk] == ApplicationStatus.PROPOSED
    assert statuses[third.pk] == statuses[first.pk] == ApplicationStatus.NOT_PROPOSED
    assert statuses[lone.pk] == ApplicationStatus.PROPOSED
    assert _fresh(selection).status == RoundStatus.RANKED


def test_ranking_waits_for_every_score(admin, selection, seat):
    ApplicationFactory(post=seat)
    services.round_screen(by=admin, selection=selection)
    with pytest.raises(ValidationFailed, match="未录入成绩"):
        services.round_rank(by=admin, selection=selection)
    assert _fresh(selection).status == RoundStatus.SCREENED


def test_changing_a_score_after_ranking_sends_the_round_back(admin, selection, seat):
    a, b = _screened_with_scores(admin, selection, seat, [("90", "90"), ("80", "80")])
    services.round_rank(by=admin, selection=selection)
    services.application_score(by=admin, application=b, written="99", interview="99")
    assert _fresh(selection).status == RoundStatus.SCREENED
    assert _fresh(a).rank is None and _fresh(a).status == ApplicationStatus.ELIGIBLE
    services.round_rank(by=admin, selection=selection)
    assert _fresh(b).status == ApplicationStatus.PROPOSED


def test_publicity_counts_working_days_across_the_national_day_holiday(admin, selection, seat):
    _screened_with_scores(admin, selection, seat, [("90", "90")])
    services.round_rank(by=admin, selection=selection)
    services.round_publicize(by=admin, selection=selection, starts_on=date(2024, 9, 30))
    selection = _fresh(selection)
    assert selection.status == RoundStatus.PUBLICITY
    assert (selection.publicity_starts_on, selection.publicity_ends_on) == (
        date(2024, 9, 30),
        date(2024, 10, 11),
    )


def test_publicity_counts_a_make_up_saturday(admin, selection, seat):
    SelectionRound.objects.filter(pk=selection.pk).update(publicity_days=3)
    selection.refresh_from_db()
    _screened_with_scores(admin, selection, seat, [("90", "90")])
    services.round_rank(by=admin, selection=selection)
    services.round_publicize(by=admin, selection=selection, starts_on=date(2024, 10, 10))
    assert _fresh(selection).publicity_ends_on == date(2024, 10, 12)  # a Saturday, worked


def test_a_tie_over_the_positions_blocks_the_publicity(admin, selection, seat):
    _screened_with_scores(admin, selection, seat, [("90", "90"), ("90", "90")])
    services.round_rank(by=admin, selection=selection)
    with pytest.raises(ValidationFailed, match="名次并列"):
        services.round_publicize(by=admin, selection=selection, starts_on=date(2024, 6, 3))
    assert _fresh(selection).status == RoundStatus.RANKED


def _in_publicity(admin, selection, seat):
    best, other = _screened_with_scores(admin, selection, seat, [("95", "95"), ("70", "70")])
    services.round_rank(by=admin, selection=selection)
    services.round_publicize(by=admin, selection=selection, starts_on=date(2024, 6, 5))
    return _fresh(selection), best, other


def test_appointment_waits_for_the_end_of_the_publicity_period(admin, selection, seat):
    selection, best, _ = _in_publicity(admin, selection, seat)
    assert selection.publicity_ends_on == date(2024, 6, 12)  # 端午 skipped
    posts = Post.objects.count()
    with pytest.raises(ValidationFailed, match="公示期至2024年6月12日结束"):
        services.round_appoint(by=admin, selection=selection, on=date(2024, 6, 12))
    assert Post.objects.count() == posts
    assert _fresh(best).status == ApplicationStatus.PROPOSED


def test_appointment_creates_the_post_through_the_core_with_audit_rows(
    admin, selection, seat, world
):
    selection, best, other = _in_publicity(admin, selection, seat)
    appointed = services.round_appoint(by=admin, selection=selection, on=date(2024, 6, 13))
    assert [a.pk for a in appointed] == [best.pk]
    best = _fresh(best)
    post = best.appointed_post
    assert best.status == ApplicationStatus.APPOINTED
    assert (post.person_id, post.title, post.area_id, post.starts_on) == (
        best.person_id,
        PostTitle.COMMUNITY_DEPUTY,
        world.community_a1.pk,
        date(2024, 6, 13),
    )
    assert not Post.objects.filter(person=other.person).exists()
    assert AuditEvent.objects.filter(action="post.create", object_id=str(post.pk)).exists()
    assert AuditEvent.objects.filter(
        action="cadres.application_appoint", object_id=str(best.pk)
    ).exists()
    assert _fresh(selection).status == RoundStatus.APPOINTED


def test_street_staff_cannot_run_a_district_round_and_nothing_changes(selection, seat, world):
    ApplicationFactory(post=seat)
    staff = world.users[Role.STREET_STAFF]
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.round_screen(by=staff, selection=selection)
    assert _fresh(selection).status == RoundStatus.OPEN
    assert not Application.objects.exclude(status=ApplicationStatus.SUBMITTED).exists()
    assert AuditEvent.objects.count() == audits


def test_street_staff_run_a_round_of_their_own_street(world):
    staff = world.users[Role.STREET_STAFF]
    selection = services.round_create(
        by=staff,
        name="大观园街道副书记选配",
        year=2024,
        area=world.street_a,
        reference_date=date(2024, 5, 20),
        applications_close_on=date(2024, 5, 20),
        max_age=40,
    )
    seat = services.selection_post_add(
        by=staff, selection=selection, area=world.community_a1, title=PostTitle.COMMUNITY_DEPUTY
    )
    assert seat.round == selection
    with pytest.raises(ValidationFailed, match="大观园街道的社区"):
        services.selection_post_add(
            by=staff, selection=selection, area=world.community_b1, title=PostTitle.COMMUNITY_DEPUTY
        )


@pytest.mark.parametrize(
    ("written", "interview"), [(Decimal("0.5"), Decimal("0.6")), (Decimal("0.3"), Decimal("0.6"))]
)
def test_weights_must_add_up_to_one(world, written, interview):
    with pytest.raises(ValidationFailed, match="相加应等于 1"):
        services.round_create(
            by=world.users[Role.DISTRICT_ADMIN],
            name="权重不对",
            year=2024,
            area=world.district,
            reference_date=date(2024, 5, 20),
            applications_close_on=date(2024, 5, 20),
            written_weight=written,
            interview_weight=interview,
        )
    assert not SelectionRound.objects.exists()

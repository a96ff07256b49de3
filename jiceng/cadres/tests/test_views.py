"""The cadres pages as each role sees them: scope, 404 out of scope, 403 and nothing changed
on a refused write, the forms' round trips, and pinned query counts of the list pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.cadres import services
from jiceng.cadres.models import (
    Application,
    ApplicationStatus,
    MentorTask,
    RoundStatus,
    SecondmentBatch,
    SelectionRound,
    StudyItem,
    WorkStatus,
)
from jiceng.core.models import AuditEvent, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, PostFactory, UserFactory

from .factories import (
    ApplicationFactory,
    AssessmentCriterionFactory,
    AssessmentFactory,
    AssessmentSchemeFactory,
    AttendanceFactory,
    EnrolmentFactory,
    MentorTaskFactory,
    SecondeeFactory,
    SecondmentBatchFactory,
    SelectionPostFactory,
    SelectionRoundFactory,
    StudyItemFactory,
    TrainingProgrammeFactory,
    TrainingSessionFactory,
    deputy,
)


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def batch(world):
    return SecondmentBatchFactory(area=world.district, name="2024年度第一批区内挂职交流")


@pytest.fixture
def secondee_a(batch, world):
    """From grid A1's steward to community A1, mentored by A1's secretary."""
    return SecondeeFactory(
        batch=batch,
        person=world.people_a[1],
        home_area=world.grid_a1,
        host_area=world.community_a1,
        mentor=world.people_a[0],
    )


@pytest.fixture
def secondee_b(batch, world):
    return SecondeeFactory(
        batch=batch,
        person=world.people_b[1],
        home_area=world.village_b2,
        host_area=world.community_b1,
        mentor=world.people_b[0],
    )


# ---- the module and its sidebar ----------------------------------------------------------


def test_sidebar_shows_cadres_to_business_roles_only(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    assert 'data-nav="cadres"' in html(client.get(reverse("core:home")))
    client.force_login(world.users[Role.AUDITOR])
    assert 'data-nav="cadres"' not in html(client.get(reverse("core:home")))
    assert client.get(reverse("cadres:home")).status_code == 403


def test_home_shows_the_modules(client, world, secondee_a):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = html(client.get(reverse("cadres:home")))
    for title in ("培训", "挂职交流", "择优选配", "考评与头雁"):
        assert title in page
    assert secondee_a.person.name in page


def test_selection_and_assessments_are_for_the_departments_and_communities(client, world):
    client.force_login(world.users[Role.GRID_STEWARD])
    assert client.get(reverse("cadres:round_list")).status_code == 403
    assert client.get(reverse("cadres:scheme_list")).status_code == 403
    assert "择优选配" not in html(client.get(reverse("cadres:home")))


# ---- secondment: scope and the secondee's own page ---------------------------------------


def test_batch_overview_shows_only_the_secondees_in_scope(client, world, secondee_a, secondee_b):
    client.force_login(world.users[Role.COMMUNITY_STAFF])  # 睦和苑
    page = html(client.get(secondee_a.batch.get_absolute_url()))
    assert secondee_a.person.name in page
    assert secondee_b.person.name not in page and "春元里社区" not in page
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = html(client.get(secondee_a.batch.get_absolute_url()))
    assert secondee_a.person.name in page and secondee_b.person.name in page


def test_secondee_page_shows_mentor_list_and_study_plan(client, world, secondee_a):
    MentorTaskFactory(
        secondee=secondee_a, title="跟班总管家", status=WorkStatus.DONE, evidence="跟班记录 12 次"
    )
    StudyItemFactory(secondee=secondee_a, title="梳理物业短板", gap="老旧小区无物业")
    client.force_login(world.users[Role.STREET_STAFF])
    page = html(client.get(secondee_a.get_absolute_url()))
    for text in (
        "导师帮带工作清单",
        "跟班总管家",
        "跟班记录 12 次",
        "挂职学习计划",
        "梳理物业短板",
        "王睦和",
    ):
        assert text in page


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.GRID_STEWARD])
def test_out_of_scope_secondee_is_404(client, world, secondee_b, role):
    client.force_login(world.users[role])
    response = client.get(secondee_b.get_absolute_url())
    assert response.status_code == 404
    assert secondee_b.person.name not in html(response)


def test_the_secondee_sees_their_own_page_without_any_role(client, world, secondee_b):
    own = UserFactory(username="secondee_b", person=secondee_b.person)
    client.force_login(own)
    response = client.get(secondee_b.get_absolute_url())
    assert response.status_code == 200
    assert "这是您本人的挂职页面" in html(response)
    assert client.get(reverse("cadres:batch_list")).status_code == 403  # the module stays closed


def test_the_secondee_adds_to_their_study_plan_from_the_page(client, world, secondee_b):
    client.force_login(UserFactory(username="secondee_b", person=secondee_b.person))
    response = client.post(
        reverse("cadres:study_item_add", args=[secondee_b.pk]),
        {"title": "学习议事协商", "gap": "议事机制不健全", "due_on": "2024-06-28"},
    )
    assert response.status_code == 302
    assert StudyItem.objects.get(secondee=secondee_b).title == "学习议事协商"


def test_the_mentor_finishes_a_task_from_the_page(client, world, secondee_a):
    task = MentorTaskFactory(secondee=secondee_a)
    client.force_login(UserFactory(username="mentor_a", person=secondee_a.mentor))
    url = reverse("cadres:mentor_task_update", args=[task.pk])
    client.post(url, {"status": "done", "evidence": ""})
    assert MentorTask.objects.get(pk=task.pk).status == WorkStatus.PLANNED  # evidence missing
    client.post(url, {"status": "done", "evidence": "走访台账 2 册", "completed_on": "2024-05-30"})
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (WorkStatus.DONE, date(2024, 5, 30))


def test_the_mentor_sees_both_plans_with_their_inline_update_forms(client, world, secondee_a):
    task = MentorTaskFactory(secondee=secondee_a, evidence="旧佐证")
    item = StudyItemFactory(secondee=secondee_a)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    page = client.get(secondee_a.get_absolute_url()).content.decode()
    task_url = reverse("cadres:mentor_task_update", args=[task.pk])
    item_url = reverse("cadres:study_item_update", args=[item.pk])
    task_form = page[page.index(f'action="{task_url}"') :]
    item_form = page[page.index(f'action="{item_url}"') :]
    assert 'name="evidence"' in task_form[: task_form.index("</form>")]
    assert "旧佐证" in task_form[: task_form.index("</form>")]
    assert 'name="reflection"' in item_form[: item_form.index("</form>")]


def test_a_refused_write_is_403_and_changes_nothing(client, world, secondee_a):
    task = MentorTaskFactory(secondee=secondee_a)
    client.force_login(world.users[Role.GRID_STEWARD])  # sees it (home grid) but may not edit
    audits = AuditEvent.objects.count()
    response = client.post(
        reverse("cadres:mentor_task_update", args=[task.pk]),
        {"status": "done", "evidence": "伪造"},
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == WorkStatus.PLANNED and task.evidence == ""
    assert AuditEvent.objects.count() == audits


def test_out_of_scope_write_is_404_and_changes_nothing(client, world, secondee_b):
    client.force_login(world.users[Role.STREET_STAFF])
    response = client.post(
        reverse("cadres:mentor_task_add", args=[secondee_b.pk]),
        {"kind": "task", "title": "越权", "due_on": "2024-05-01"},
    )
    assert response.status_code == 404
    assert not MentorTask.objects.exists()


# ---- selection pages ---------------------------------------------------------------------


@pytest.fixture
def district_round(world):
    selection = SelectionRoundFactory(area=world.district, name="区级选配")
    seat_a = SelectionPostFactory(round=selection, area=world.community_a1)
    seat_b = SelectionPostFactory(round=selection, area=world.community_b1)
    ApplicationFactory(post=seat_a, person__name="报名甲")
    ApplicationFactory(post=seat_a, person__name="超龄乙", person__birth_date=date(1970, 1, 1))
    ApplicationFactory(post=seat_b, person__name="报名丙")
    return selection


def test_screening_from_the_page_lists_every_reason(client, world, district_round):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(reverse("cadres:round_screen", args=[district_round.pk]))
    assert response.status_code == 302
    page = html(client.get(district_round.get_absolute_url()))
    assert "年龄超过45周岁：截至2024年5月20日已满54周岁" in page
    assert "资格审查完成" in page


def test_community_staff_see_only_their_communitys_seat(client, world, district_round):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    page = html(client.get(district_round.get_absolute_url()))
    assert "报名甲" in page and "报名丙" not in page and "春元里社区" not in page
    response = client.post(reverse("cadres:round_screen", args=[district_round.pk]))
    assert response.status_code == 403
    assert not Application.objects.exclude(status=ApplicationStatus.SUBMITTED).exists()


def test_ranking_page_shows_ranks_totals_and_publicity_dates(client, world, district_round):
    admin = world.users[Role.DISTRICT_ADMIN]
    district_round.posts.filter(area=world.community_b1).delete()
    services.round_screen(by=admin, selection=district_round)
    application = district_round.applications.get(person__name="报名甲")
    services.application_score(by=admin, application=application, written=80, interview=90)
    client.force_login(admin)
    client.post(reverse("cadres:round_rank", args=[district_round.pk]))
    client.post(
        reverse("cadres:round_publicize", args=[district_round.pk]), {"starts_on": "2024-09-30"}
    )
    district_round.refresh_from_db()
    assert district_round.status == RoundStatus.PUBLICITY
    page = html(client.get(district_round.get_absolute_url()))
    assert "86.00" in page and "拟任人选" in page
    assert "2024年9月30日 至 2024年10月11日" in page


def test_appointment_from_the_page_creates_the_post(client, world, district_round):
    admin = world.users[Role.DISTRICT_ADMIN]
    district_round.posts.filter(area=world.community_b1).delete()
    services.round_screen(by=admin, selection=district_round)
    application = district_round.applications.get(person__name="报名甲")
    services.application_score(by=admin, application=application, written=80, interview=90)
    services.round_rank(by=admin, selection=district_round)
    services.round_publicize(by=admin, selection=district_round, starts_on=date(2024, 6, 5))
    client.force_login(admin)
    client.post(reverse("cadres:round_appoint", args=[district_round.pk]), {"on": "2024-06-20"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    post = application.appointed_post
    assert (post.person_id, post.area_id, post.starts_on) == (
        application.person_id,
        world.community_a1.pk,
        date(2024, 6, 20),
    )


# ---- training pages ----------------------------------------------------------------------


def test_attendance_from_the_session_page(client, world):
    course = TrainingProgrammeFactory(area=world.street_a, name="大观园培训")
    session = TrainingSessionFactory(programme=course, held_on=date(2024, 3, 15))
    enrolment = EnrolmentFactory(programme=course, person=world.people_a[0])
    client.force_login(world.users[Role.STREET_STAFF])
    client.post(
        reverse("cadres:attendance_record", args=[session.pk]),
        {f"status_{enrolment.pk}": "leave"},
    )
    assert session.attendance.get().status == "leave"
    page = html(client.get(reverse("cadres:training_hours") + "?year=2024&view=missed"))
    assert "缺训名单" in page and world.people_a[0].name in page and "请假" in page


def test_self_sign_up_from_the_programme_page(client, world):
    course = TrainingProgrammeFactory(area=world.district, name="区培训")
    person = world.people_a[0]
    user = world.users[Role.COMMUNITY_STAFF]
    user.person = person
    user.save()
    client.force_login(user)
    assert "本人报名" in html(client.get(course.get_absolute_url()))
    client.post(reverse("cadres:enrol", args=[course.pk]), {"self": "1"})
    assert course.enrolments.get().source == "self"


def test_staff_cannot_sign_up_someone_out_of_scope(client, world):
    course = TrainingProgrammeFactory(area=world.district, name="区培训")
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("cadres:enrol", args=[course.pk]), {"people": [world.people_b[0].pk]}
    )
    assert response.status_code == 404
    assert not course.enrolments.exists()


# ---- creation pages ----------------------------------------------------------------------


def test_street_staff_create_a_programme_in_their_street_only(client, world):
    client.force_login(world.users[Role.STREET_STAFF])
    page = html(client.get(reverse("cadres:programme_create")))
    assert "大观园街道" in page and "杆石桥街道" not in page
    response = client.post(
        reverse("cadres:programme_create"),
        {
            "name": "网格管家培训",
            "year": 2024,
            "area": world.street_a.pk,
            "organizer": "大观园街道党工委",
            "audience": "grid_stewards",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cadres:programme_create"),
        {
            "name": "越权培训",
            "year": 2024,
            "area": world.street_b.pk,
            "organizer": "x",
            "audience": "grid_stewards",
        },
    )
    assert response.status_code == 400  # not a choice offered to this user


def test_community_staff_cannot_open_creation_pages(client, world):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    for name in ("programme_create", "batch_create", "round_create", "scheme_create"):
        assert client.get(reverse(f"cadres:{name}")).status_code == 403


# ---- query counts ------------------------------------------------------------------------


def _many_secondees(batch, world, n):
    for i in range(n):
        person = PersonFactory(name=f"挂职{i}", area=world.community_a1)
        PostFactory(person=person, title=PostTitle.COMMUNITY_DEPUTY, area=world.community_a1)
        s = SecondeeFactory(
            batch=batch,
            person=person,
            home_area=world.community_a1,
            host_area=world.grid_a1,
            mentor=world.people_a[0],
        )
        MentorTaskFactory(secondee=s)
        StudyItemFactory(secondee=s)


def _many_training(world, n):
    course = TrainingProgrammeFactory(area=world.district, name="区培训")
    sessions = [
        TrainingSessionFactory(programme=course, held_on=date(2024, 3, d + 1)) for d in range(3)
    ]
    for i in range(n):
        TrainingProgrammeFactory(area=world.street_a, name=f"街道培训{i}")
        enrolment = EnrolmentFactory(
            programme=course, person=PersonFactory(area=world.community_a1)
        )
        for s in sessions:
            AttendanceFactory(
                session=s, enrolment=enrolment, status="attended" if i % 3 else "absent"
            )
    return course, sessions[0]


def _many_rounds(world, n):
    selection = SelectionRoundFactory(area=world.district, name="区级选配")
    seat = SelectionPostFactory(round=selection, area=world.community_a1)
    for i in range(n):
        SelectionRoundFactory(area=world.district, name=f"选配{i}")
        ApplicationFactory(post=seat, written_score=Decimal(80), interview_score=Decimal(80))
    return selection


def _many_assessments(world, n):
    scheme = AssessmentSchemeFactory(area=world.district)
    AssessmentCriterionFactory(scheme=scheme)
    AssessmentCriterionFactory(scheme=scheme)
    for i in range(n):
        AssessmentSchemeFactory(area=world.district, name=f"方案{i}")
        AssessmentFactory(scheme=scheme, person=PersonFactory(area=world.community_a1), total=91)
    return scheme


@pytest.mark.parametrize("n", [2, 12])
def test_list_pages_query_counts_do_not_grow_with_rows(
    client, world, batch, n, django_assert_max_num_queries
):
    _many_secondees(batch, world, n)
    course, session = _many_training(world, n)
    selection = _many_rounds(world, n)
    scheme = _many_assessments(world, n)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    # Each page's own queries on top of the layout's (session, user, scope, area switcher):
    # the same for 2 rows as for 12.
    pins = {
        reverse("cadres:home"): 15,
        reverse("cadres:programme_list"): 12,
        course.get_absolute_url(): 15,
        session.get_absolute_url(): 12,
        reverse("cadres:training_hours"): 13,
        reverse("cadres:training_hours") + "?view=missed": 13,
        reverse("cadres:batch_list"): 10,
        batch.get_absolute_url(): 16,
        reverse("cadres:round_list"): 10,
        selection.get_absolute_url(): 13,
        reverse("cadres:scheme_list"): 10,
        scheme.get_absolute_url(): 14,
        reverse("cadres:leader_roster"): 12,
    }
    for url, most in pins.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_district_admin_runs_a_batch_from_the_pages(client, world):
    someone = deputy("副书记甲", world.community_b1)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(
        reverse("cadres:batch_create"),
        {
            "year": 2024,
            "number": 1,
            "area": world.district.pk,
            "starts_on": "2024-03-04",
            "ends_on": "2024-08-30",
            "plan_document": "工作方案",
        },
    )
    batch = SecondmentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = html(client.get(batch.get_absolute_url()))
    assert "副书记甲（春元里社区·社区党组织副书记）" in page  # the person picker
    mentor_post = world.people_a[0].posts.get()
    person_post = someone.posts.get()
    client.post(
        reverse("cadres:secondee_add", args=[batch.pk]),
        {"person_post": person_post.pk, "mentor_post": mentor_post.pk, "focus": "学习红色物业"},
    )
    secondee = batch.secondees.get()
    assert (secondee.person, secondee.host_area, secondee.mentor) == (
        someone,
        world.community_a1,
        world.people_a[0],
    )


def test_district_admin_sets_up_a_round_from_the_pages(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(
        reverse("cadres:round_create"),
        {
            "name": "区级选配",
            "year": 2024,
            "area": world.district.pk,
            "reference_date": "2024-05-20",
            "applications_close_on": "2099-05-20",
            "max_age": 45,
            "min_education": "college",
            "min_party_years": 3,
            "min_community_years": 3,
            "require_clean_record": "on",
            "written_weight": "0.4",
            "interview_weight": "0.6",
            "publicity_days": 5,
        },
    )
    selection = SelectionRound.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("cadres:selection_post_add", args=[selection.pk]),
        {"area": world.community_a1.pk, "title": "community_deputy", "positions": 1},
    )
    seat = selection.posts.get()
    client.post(
        reverse("cadres:application_submit", args=[selection.pk]),
        {"post": seat.pk, "person": "李网格", "community_work_started_on": "2015-01-01"},
    )
    assert selection.applications.get().person == world.people_a[1]
    page = html(client.get(selection.get_absolute_url()))
    assert "年龄不超过 45 周岁" in page and "李网格" in page


def test_a_round_with_weights_not_adding_up_is_shown_again_with_the_reason(client, world):
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    response = client.post(
        reverse("cadres:round_create"),
        {
            "name": "区级选配",
            "year": 2024,
            "area": world.district.pk,
            "reference_date": "2024-05-20",
            "applications_close_on": "2024-05-20",
            "written_weight": "0.5",
            "interview_weight": "0.6",
            "publicity_days": 5,
        },
    )
    assert response.status_code == 400
    assert "相加应等于 1" in html(response)


def test_district_admin_scores_a_secretary_from_the_scheme_page(client, world):
    scheme = AssessmentSchemeFactory(area=world.district, name="书记考评", leader_threshold=90)
    client.force_login(world.users[Role.DISTRICT_ADMIN])
    client.post(
        reverse("cadres:criterion_add", args=[scheme.pk]), {"name": "抓党建", "max_score": "100"}
    )
    criterion = scheme.criteria.get()
    post = world.people_a[0].posts.get()
    client.post(
        reverse("cadres:assessment_record", args=[scheme.pk]),
        {"person_post": post.pk, "year": 2023, "term": "annual", f"score_{criterion.pk}": "95"},
    )
    assessment = scheme.assessments.get()
    assert assessment.total == Decimal("95")
    page = html(client.get(reverse("cadres:leader_roster") + "?year=2023"))
    assert world.people_a[0].name in page

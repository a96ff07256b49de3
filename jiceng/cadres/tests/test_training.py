"""Training through the services and selectors: sign-up, attendance, hours per person per
year and who missed what, each within scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.cadres import selectors, services
from jiceng.cadres.models import AttendanceStatus, Enrolment, EnrolmentSource
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import UserFactory

from .factories import (
    AttendanceFactory,
    EnrolmentFactory,
    TrainingProgrammeFactory,
    TrainingSessionFactory,
)


@pytest.fixture
def course(world):
    return TrainingProgrammeFactory(
        name="经纬雁阵培训班", area=world.district, signup_closes_on=date(2024, 3, 8)
    )


def test_community_staff_sign_up_their_own_people_only(course, world):
    staff = world.users[Role.COMMUNITY_STAFF]
    enrolment = services.enrolment_create(
        by=staff, programme=course, person=world.people_a[0], on=date(2024, 3, 1)
    )
    assert enrolment.area == world.community_a1 and enrolment.source == EnrolmentSource.STAFF
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            by=staff, programme=course, person=world.people_b[0], on=date(2024, 3, 1)
        )
    assert list(course.enrolments.values_list("person_id", flat=True)) == [world.people_a[0].pk]


def test_anyone_signs_themselves_up_while_sign_up_is_open(course, world):
    person = world.people_b[1]
    account = UserFactory(username="villager", person=person)
    with pytest.raises(ValidationFailed, match="报名已于2024-03-08截止"):
        services.enrolment_create(by=account, programme=course, person=person, on=date(2024, 3, 9))
    enrolment = services.enrolment_create(
        by=account, programme=course, person=person, on=date(2024, 3, 8)
    )
    assert enrolment.source == EnrolmentSource.SELF
    with pytest.raises(ValidationFailed, match="已报名"):
        services.enrolment_create(by=account, programme=course, person=person, on=date(2024, 3, 8))


def test_the_organizer_adds_people_after_sign_up_closes(course, world):
    services.enrolment_create(
        by=world.users[Role.DISTRICT_ADMIN],
        programme=course,
        person=world.people_b[0],
        on=date(2024, 4, 1),
    )
    assert course.enrolments.count() == 1


def test_attendance_is_recorded_once_held_and_corrected_in_place(course, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    session = TrainingSessionFactory(programme=course, held_on=date(2024, 3, 15))
    e1 = EnrolmentFactory(programme=course, person=world.people_a[0])
    e2 = EnrolmentFactory(programme=course, person=world.people_b[0])
    with pytest.raises(ValidationFailed, match="尚未举行"):
        services.attendance_record(
            by=admin, session=session, statuses={e1.pk: "attended"}, on=date(2024, 3, 14)
        )
    counts = services.attendance_record(
        by=admin,
        session=session,
        statuses={e1.pk: AttendanceStatus.ATTENDED, e2.pk: AttendanceStatus.ABSENT},
        on=date(2024, 3, 15),
    )
    assert counts == {"attended": 1, "leave": 0, "absent": 1}
    counts = services.attendance_record(
        by=admin, session=session, statuses={e2.pk: AttendanceStatus.LEAVE}, on=date(2024, 3, 16)
    )
    assert counts == {"attended": 1, "leave": 1, "absent": 0}
    assert AuditEvent.objects.filter(action="cadres.attendance_record").count() == 2


def test_attendance_of_someone_not_signed_up_is_refused(course, world):
    other = EnrolmentFactory(person=world.people_a[0])  # another programme's sign-up
    session = TrainingSessionFactory(programme=course)
    with pytest.raises(ValidationFailed, match="未报名"):
        services.attendance_record(
            by=world.users[Role.DISTRICT_ADMIN],
            session=session,
            statuses={other.pk: AttendanceStatus.ATTENDED},
            on=date(2024, 12, 31),
        )
    assert not session.attendance.exists()


def test_only_the_organizer_records_attendance(course, world):
    session = TrainingSessionFactory(programme=course)
    enrolment = EnrolmentFactory(programme=course, person=world.people_a[0])
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            by=world.users[Role.COMMUNITY_STAFF],
            session=session,
            statuses={enrolment.pk: AttendanceStatus.ATTENDED},
            on=date(2024, 12, 31),
        )


def test_hours_per_person_per_year_count_attended_sessions_only(course, world):
    a, b = world.people_a[0], world.people_b[0]
    ea = EnrolmentFactory(programme=course, person=a)
    eb = EnrolmentFactory(programme=course, person=b)
    s1 = TrainingSessionFactory(programme=course, held_on=date(2024, 3, 15), hours=Decimal("3"))
    s2 = TrainingSessionFactory(programme=course, held_on=date(2024, 4, 19), hours=Decimal("3.5"))
    last_year = TrainingProgrammeFactory(area=world.district, year=2023)
    s0 = TrainingSessionFactory(programme=last_year, held_on=date(2023, 11, 1), hours=Decimal("8"))
    AttendanceFactory(session=s1, enrolment=ea)
    AttendanceFactory(session=s2, enrolment=ea)
    AttendanceFactory(session=s0, enrolment=EnrolmentFactory(programme=last_year, person=a))
    AttendanceFactory(session=s1, enrolment=eb)
    AttendanceFactory(session=s2, enrolment=eb, status=AttendanceStatus.ABSENT)

    admin = world.users[Role.DISTRICT_ADMIN]
    rows = {
        r["enrolment__person__name"]: r
        for r in selectors.training_hours_by_person(user=admin, year=2024)
    }
    assert rows[a.name]["hours"] == Decimal("6.5") and rows[a.name]["missed"] == 0
    assert rows[b.name]["hours"] == Decimal("3") and rows[b.name]["missed"] == 1
    missed = list(selectors.attendance_missed_for(user=admin, year=2024))
    assert [(m.enrolment.person, m.session) for m in missed] == [(b, s2)]

    staff = world.users[Role.COMMUNITY_STAFF]  # 睦和苑: sees its own people only
    names = [
        r["enrolment__person__name"]
        for r in selectors.training_hours_by_person(user=staff, year=2024)
    ]
    assert names == [a.name]
    assert list(selectors.attendance_missed_for(user=staff, year=2024)) == []


def test_programmes_of_the_district_are_offered_to_every_community(course, world):
    staff_b_course = TrainingProgrammeFactory(name="杆石桥培训", area=world.street_b)
    visible = set(
        selectors.programme_list_visible_to(user=world.users[Role.GRID_STEWARD]).values_list(
            "name", flat=True
        )
    )
    assert course.name in visible and staff_b_course.name not in visible


def test_a_programme_is_run_by_the_district_or_a_street(world):
    with pytest.raises(ValidationFailed, match="区或街道"):
        services.programme_create(
            by=world.users[Role.DISTRICT_ADMIN],
            name="社区自办",
            year=2024,
            area=world.community_a1,
            organizer="睦和苑社区",
            audience="community_workers",
        )
    assert not Enrolment.objects.exists()


def test_the_hours_export_keeps_to_scope_escapes_formulas_and_is_audited(client, world):
    course = TrainingProgrammeFactory(area=world.district)
    session = TrainingSessionFactory(programme=course, held_on=date(2024, 3, 15))
    a = world.people_a[0]
    a.name = "=HYPERLINK(1)"
    a.save()
    AttendanceFactory(session=session, enrolment=EnrolmentFactory(programme=course, person=a))
    AttendanceFactory(
        session=session, enrolment=EnrolmentFactory(programme=course, person=world.people_b[0])
    )
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.get(reverse("cadres:training_hours_export") + "?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "姓名,所在区域,年度,学时,出勤次数,缺训次数"
    assert "'=HYPERLINK(1)" in text and world.people_b[0].name not in text
    row = AuditEvent.objects.get(action="cadres.training_hours_export")
    assert row.changes == {"year": [None, 2024], "rows": [None, 1]}

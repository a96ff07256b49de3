"""First secretaries: dispatch and recall (with their posts), biweekly trainings and
attendance, service alliances, supporters and their contributions."""

from datetime import date

import pytest
from django.urls import reverse

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent, Person, Post, PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory, valid_id_number

from ..models import AllianceMember, Contribution, FirstSecretary, TrainingAttendance
from ..selectors import training_eligible
from ..services import (
    alliance_create,
    alliance_member_add,
    contribution_add,
    first_secretary_dispatch,
    first_secretary_dispatch_by_id_number,
    first_secretary_recall,
    supporter_create,
    training_attendance_record,
    training_sessions_schedule,
)
from .factories import FirstSecretaryFactory, SupporterFactory


def test_a_dispatch_records_the_post_and_an_audit_row(rural):
    person = PersonFactory(name="派驻者", area=rural.world.street_a)
    dispatch = first_secretary_dispatch(
        by=rural.user(Role.STREET_STAFF),
        person=person,
        area=rural.village_a,
        sending_unit="大观园街道办事处",
        starts_on=date(2023, 3, 15),
        ends_on=date(2025, 3, 14),
    )
    post = Post.objects.get(person=person, title=PostTitle.FIRST_SECRETARY)
    assert (post.area, post.starts_on, post.ends_on) == (
        rural.village_a,
        date(2023, 3, 15),
        date(2025, 3, 14),
    )
    assert AuditEvent.objects.filter(
        action="rural.first_secretary_dispatch", object_id=str(dispatch.pk)
    ).exists()


def test_a_person_cannot_hold_two_overlapping_terms(rural):
    dispatch = FirstSecretaryFactory(area=rural.village_a)
    with pytest.raises(ValidationFailed, match="已有第一书记任期"):
        first_secretary_dispatch(
            by=rural.user(Role.STREET_STAFF),
            person=dispatch.person,
            area=rural.village_a2,
            sending_unit="区委组织部",
            starts_on=date(2023, 1, 1),
            ends_on=date(2024, 12, 31),
        )
    assert FirstSecretary.objects.count() == 1


def test_dispatching_into_another_street_is_refused(rural):
    with pytest.raises(PermissionDenied):
        first_secretary_dispatch(
            by=rural.user(Role.STREET_STAFF),
            person=PersonFactory(),
            area=rural.village_b,
            sending_unit="区委组织部",
            starts_on=date(2023, 1, 1),
            ends_on=date(2024, 12, 31),
        )
    assert not FirstSecretary.objects.exists()


def test_dispatch_by_id_number_registers_an_unknown_person_once(rural):
    number = valid_id_number(77, born="19880512")
    kwargs = {
        "by": rural.user(Role.DISTRICT_ADMIN),
        "name": "新书记",
        "id_number": number,
        "area": rural.village_a,
        "sending_unit": "区农业农村局",
        "starts_on": date(2023, 3, 15),
        "ends_on": date(2025, 3, 14),
    }
    first_secretary_dispatch_by_id_number(**kwargs)
    person = Person.objects.get(name="新书记")
    assert person.birth_date == date(1988, 5, 12)
    with pytest.raises(ValidationFailed, match="姓名与填写的不符"):
        first_secretary_dispatch_by_id_number(**{**kwargs, "name": "别人"})
    assert Person.objects.filter(name="新书记").count() == 1


def test_recall_ends_the_term_and_the_post(rural):
    person = PersonFactory(area=rural.world.street_a)
    dispatch = first_secretary_dispatch(
        by=rural.user(Role.STREET_STAFF),
        person=person,
        area=rural.village_a,
        sending_unit="区委组织部",
        starts_on=date(2023, 3, 15),
        ends_on=date(2025, 3, 14),
    )
    first_secretary_recall(
        by=rural.user(Role.STREET_STAFF),
        dispatch=dispatch,
        recalled_on=date(2024, 1, 10),
        reason="工作调整",
    )
    dispatch.refresh_from_db()
    assert dispatch.term_end == date(2024, 1, 10)
    assert Post.objects.get(person=person, title=PostTitle.FIRST_SECRETARY).ends_on == date(
        2024, 1, 10
    )
    with pytest.raises(ValidationFailed, match="已召回"):
        first_secretary_recall(
            by=rural.user(Role.STREET_STAFF),
            dispatch=dispatch,
            recalled_on=date(2024, 2, 1),
            reason="再次",
        )


def test_the_dispatch_page_creates_a_dispatch(client, rural):
    client.force_login(rural.user(Role.STREET_STAFF))
    response = client.post(
        reverse("rural:secretary_create"),
        {
            "name": "页面书记",
            "id_number": valid_id_number(88, born="19900101"),
            "area": rural.village_a.code,
            "sending_unit": "大观园街道办事处",
            "starts_on": "2024-03-01",
            "ends_on": "2026-02-28",
        },
    )
    dispatch = FirstSecretary.objects.get()
    assert response.status_code == 302 and response["Location"] == dispatch.get_absolute_url()
    page = client.get(dispatch.get_absolute_url()).content.decode()
    assert "页面书记" in page and "睦邻村" in page


# ---- trainings ------------------------------------------------------------------------------


def test_sessions_are_scheduled_every_two_weeks(rural):
    sessions = training_sessions_schedule(
        by=rural.user(Role.STREET_STAFF),
        area=rural.world.street_a,
        first_on=date(2024, 3, 7),
        topic="业务技能",
        count=3,
    )
    assert [s.held_on for s in sessions] == [date(2024, 3, 7), date(2024, 3, 21), date(2024, 4, 4)]
    with pytest.raises(ValidationFailed, match="已安排培训"):
        training_sessions_schedule(
            by=rural.user(Role.STREET_STAFF),
            area=rural.world.street_a,
            first_on=date(2024, 3, 21),
            topic="重复",
        )


def test_attendance_is_recorded_for_secretaries_in_office_only(rural):
    user = rural.user(Role.STREET_STAFF)
    (session,) = training_sessions_schedule(
        by=user, area=rural.world.street_a, first_on=date(2023, 6, 1), topic="业务技能"
    )
    serving = FirstSecretaryFactory(area=rural.village_a, starts_on=date(2023, 1, 1))
    later = FirstSecretaryFactory(
        area=rural.village_a2, starts_on=date(2023, 9, 1), ends_on=date(2025, 8, 31)
    )
    elsewhere = FirstSecretaryFactory(area=rural.village_b, starts_on=date(2023, 1, 1))
    eligible = list(training_eligible(user=user, session=session))
    assert eligible == [serving]
    training_attendance_record(
        by=user, session=session, statuses={serving.pk: "present"}, eligible=eligible
    )
    for intruder in (later, elsewhere):
        with pytest.raises(ValidationFailed):
            training_attendance_record(
                by=user, session=session, statuses={intruder.pk: "present"}, eligible=eligible
            )
    assert list(TrainingAttendance.objects.values_list("first_secretary", "status")) == [
        (serving.pk, "present")
    ]


def test_a_first_secretary_sees_the_district_training_they_attended(client, rural):
    district_user = rural.user(Role.DISTRICT_ADMIN)
    (session,) = training_sessions_schedule(
        by=district_user, area=rural.world.district, first_on=date(2023, 6, 1), topic="全区培训"
    )
    mine = FirstSecretaryFactory(area=rural.village_a, starts_on=date(2023, 1, 1))
    other = FirstSecretaryFactory(
        area=rural.village_b, starts_on=date(2023, 1, 1), person=PersonFactory(name="外村书记")
    )
    training_attendance_record(
        by=district_user,
        session=session,
        statuses={mine.pk: "present", other.pk: "leave"},
        eligible=[mine, other],
    )
    client.force_login(rural.user("fs_a"))
    page = client.get(reverse("rural:training_detail", args=[session.pk])).content.decode()
    assert "全区培训" in page and mine.person.name in page and "外村书记" not in page


# ---- alliances and supporters ----------------------------------------------------------------


def test_alliance_members_must_serve_inside_its_area(rural):
    user = rural.user(Role.STREET_STAFF)
    alliance = alliance_create(by=user, area=rural.world.street_a, name="大观园片区联盟")
    inside = FirstSecretaryFactory(area=rural.village_a)
    alliance_member_add(by=user, alliance=alliance, dispatch=inside, is_leader=True)
    outside = FirstSecretaryFactory(area=rural.village_b)
    with pytest.raises(ValidationFailed, match="不在联盟片区内"):
        alliance_member_add(by=user, alliance=alliance, dispatch=outside)
    assert list(AllianceMember.objects.values_list("first_secretary", "is_leader")) == [
        (inside.pk, True)
    ]


def test_supporters_and_contributions(rural):
    user = rural.user(Role.STREET_STAFF)
    supporter = supporter_create(
        by=user, area=rural.world.street_a, name="大观园农业公司", kind="enterprise"
    )
    contribution_add(
        by=rural.user("staff_a"),
        supporter=supporter,
        area=rural.village_a,
        kind="funds",
        description="产业资金",
        given_on=date(2023, 5, 1),
        amount="50000",
    )
    with pytest.raises(PermissionDenied):
        contribution_add(
            by=user,
            supporter=supporter,
            area=rural.village_b,
            kind="funds",
            description="越权",
            given_on=date(2023, 5, 1),
        )
    assert Contribution.objects.count() == 1


def test_a_supporter_of_another_street_shows_only_its_help_here(client, rural):
    supporter = SupporterFactory(area=rural.world.street_b, name="外街道公司")
    Contribution.objects.create(
        supporter=supporter,
        area=rural.village_a,
        kind="goods",
        description="本村物资",
        given_on=date(2023, 1, 1),
    )
    Contribution.objects.create(
        supporter=supporter,
        area=rural.village_b,
        kind="goods",
        description="外村物资",
        given_on=date(2023, 1, 1),
    )
    client.force_login(rural.user("staff_a"))
    page = client.get(reverse("rural:supporter_detail", args=[supporter.pk])).content.decode()
    assert "本村物资" in page and "外村物资" not in page

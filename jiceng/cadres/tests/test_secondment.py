"""Secondment through the services: who may join, who mentors, who keeps which list, the
evidence and reflections a finished item needs, and the reviews."""

from datetime import date

import pytest

from jiceng.cadres import services
from jiceng.cadres.models import (
    MentorTask,
    ReviewStage,
    SecondeeStatus,
    StudyItem,
    WorkStatus,
)
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AreaKind, AuditEvent
from jiceng.core.roles import Role
from jiceng.core.tests.factories import AreaFactory, RoleAssignmentFactory, UserFactory

from .factories import (
    MentorTaskFactory,
    SecondeeFactory,
    SecondmentBatchFactory,
    StudyItemFactory,
    deputy,
)


@pytest.fixture
def admin(world):
    return world.users[Role.DISTRICT_ADMIN]


@pytest.fixture
def batch(world):
    return SecondmentBatchFactory(area=world.district)


@pytest.fixture
def a2(world):
    return AreaFactory(
        code="370103002004", name="舜华测试社区", kind=AreaKind.COMMUNITY, parent=world.street_a
    )


def test_a_deputy_joins_with_the_host_secretary_as_mentor(admin, batch, a2, world):
    person = deputy("挂职人", a2)
    mentor = world.people_a[0]  # 睦和苑's secretary
    secondee = services.secondee_add(
        by=admin, batch=batch, person=person, host_area=world.community_a1, mentor=mentor
    )
    assert (secondee.home_area, secondee.home_title) == (a2, "community_deputy")
    assert (secondee.starts_on, secondee.ends_on) == (batch.starts_on, batch.ends_on)
    assert AuditEvent.objects.filter(action="cadres.secondee_add").count() == 1


def test_the_mentor_must_be_the_host_communitys_secretary(admin, batch, a2, world):
    person = deputy("挂职人", a2)
    not_secretary = world.people_a[1]
    with pytest.raises(ValidationFailed, match="导师应为睦和苑社区的社区党组织书记"):
        services.secondee_add(
            by=admin, batch=batch, person=person, host_area=world.community_a1, mentor=not_secretary
        )


def test_only_community_secretaries_and_deputies_are_seconded(admin, batch, world):
    with pytest.raises(ValidationFailed, match="不是社区党组织书记或专职副书记"):
        services.secondee_add(
            by=admin,
            batch=batch,
            person=world.people_a[1],  # a grid steward
            host_area=world.community_a1,
            mentor=world.people_a[0],
        )


def test_no_one_is_seconded_to_their_own_community(admin, batch, world):
    person = deputy("本社区副书记", world.community_a1)
    with pytest.raises(ValidationFailed, match="不能是本人所在社区"):
        services.secondee_add(
            by=admin,
            batch=batch,
            person=person,
            host_area=world.community_a1,
            mentor=world.people_a[0],
        )


def test_street_staff_cannot_change_a_district_batch(batch, a2, world):
    with pytest.raises(PermissionDenied):
        services.secondee_add(
            by=world.users[Role.STREET_STAFF],
            batch=batch,
            person=deputy("挂职人", a2),
            host_area=world.community_a1,
            mentor=world.people_a[0],
        )
    assert not batch.secondees.exists()


@pytest.fixture
def secondee(batch, a2, world):
    return SecondeeFactory(
        batch=batch,
        person=deputy("挂职人", a2),
        home_area=a2,
        host_area=world.community_a1,
        mentor=world.people_a[0],
    )


def _account_of(person):
    return UserFactory(username=f"u{person.pk}", person=person)


def test_the_mentor_keeps_the_task_list_without_any_role(secondee):
    mentor = _account_of(secondee.mentor)
    task = services.mentor_task_add(
        by=mentor, secondee=secondee, title="跟班总管家", due_on=date(2024, 4, 30)
    )
    services.mentor_task_update(
        by=mentor, task=task, status=WorkStatus.DONE, evidence="跟班记录 12 次"
    )
    task.refresh_from_db()
    assert task.status == WorkStatus.DONE and task.completed_on is not None
    assert AuditEvent.objects.filter(action="cadres.mentor_task_update").count() == 1


def test_a_task_marked_done_needs_its_evidence(secondee, admin):
    task = MentorTaskFactory(secondee=secondee)
    with pytest.raises(ValidationFailed, match="佐证材料"):
        services.mentor_task_update(by=admin, task=task, status=WorkStatus.DONE, evidence=" ")
    task.refresh_from_db()
    assert task.status == WorkStatus.PLANNED


def test_the_secondee_keeps_their_study_plan_but_not_the_mentors_list(secondee):
    own = _account_of(secondee.person)
    item = services.study_item_add(
        by=own,
        secondee=secondee,
        title="梳理物业短板",
        gap="老旧小区无物业",
        due_on=date(2024, 5, 31),
    )
    with pytest.raises(ValidationFailed, match="心得体会"):
        services.study_item_update(by=own, item=item, status=WorkStatus.DONE)
    services.study_item_update(by=own, item=item, status=WorkStatus.DONE, reflection="收获很大")
    assert StudyItem.objects.get(pk=item.pk).status == WorkStatus.DONE
    with pytest.raises(PermissionDenied):
        services.mentor_task_add(
            by=own, secondee=secondee, title="自己加的", due_on=date(2024, 5, 1)
        )
    assert not MentorTask.objects.exists()


def test_due_dates_lie_within_the_secondment(secondee, admin):
    with pytest.raises(ValidationFailed, match="挂职期内"):
        services.mentor_task_add(
            by=admin, secondee=secondee, title="太晚了", due_on=date(2024, 12, 31)
        )


def test_another_communitys_staff_cannot_touch_the_lists(secondee, world):
    other = UserFactory(username="other_staff")
    RoleAssignmentFactory(user=other, role=Role.COMMUNITY_STAFF, area=world.community_b1)
    item = StudyItemFactory(secondee=secondee)
    with pytest.raises(PermissionDenied):
        services.study_item_update(by=other, item=item, status=WorkStatus.IN_PROGRESS)
    item.refresh_from_db()
    assert item.status == WorkStatus.PLANNED


def test_the_final_review_follows_the_midterm_and_closes_the_secondment(secondee, admin):
    with pytest.raises(ValidationFailed, match="请先录入中期考核"):
        services.review_record(
            by=admin,
            secondee=secondee,
            stage=ReviewStage.FINAL,
            reviewed_on=date(2024, 8, 30),
            score=90,
        )
    services.review_record(
        by=admin,
        secondee=secondee,
        stage=ReviewStage.MIDTERM,
        reviewed_on=date(2024, 6, 14),
        score=88,
    )
    with pytest.raises(ValidationFailed, match="已录入中期考核"):
        services.review_record(
            by=admin,
            secondee=secondee,
            stage=ReviewStage.MIDTERM,
            reviewed_on=date(2024, 6, 15),
            score=90,
        )
    review = services.review_record(
        by=admin,
        secondee=secondee,
        stage=ReviewStage.FINAL,
        reviewed_on=date(2024, 8, 30),
        score="92.5",
    )
    assert review.grade == "优秀"
    secondee.refresh_from_db()
    assert secondee.status == SecondeeStatus.COMPLETED


def test_a_secondee_does_not_review_themselves(secondee):
    with pytest.raises(PermissionDenied):
        services.review_record(
            by=_account_of(secondee.person),
            secondee=secondee,
            stage=ReviewStage.MIDTERM,
            reviewed_on=date(2024, 6, 14),
            score=100,
        )
    assert not secondee.reviews.exists()


def test_batch_name_defaults_to_the_official_form(admin, world):
    batch = services.batch_create(
        by=admin,
        year=2024,
        number=1,
        area=world.district,
        starts_on=date(2024, 3, 4),
        ends_on=date(2024, 8, 30),
    )
    assert batch.name == "2024年度第一批区内挂职交流"
    with pytest.raises(ValidationFailed, match="已存在"):
        services.batch_create(
            by=admin,
            year=2024,
            number=1,
            area=world.district,
            starts_on=date(2024, 3, 4),
            ends_on=date(2024, 8, 30),
        )

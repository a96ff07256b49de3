"""The cadres part of the demo: built on the core's demo district (the other apps' parts are
left out to keep this module quick), deterministic and idempotent."""

import io
from datetime import date
from unittest import mock

import pytest
from django.conf import settings

from jiceng.cadres.demo import load_cadres_demo
from jiceng.cadres.models import (
    Application,
    ApplicationStatus,
    Attendance,
    MentorTask,
    RoundStatus,
    SecondmentBatch,
    StudyItem,
    TrainingProgramme,
)
from jiceng.cadres.selectors import leader_person_ids
from jiceng.core import indicator_registry
from jiceng.core.demo import load_demo
from jiceng.core.demo import registry as demo_registry
from jiceng.core.models import Area, Post, PostTitle, User
from jiceng.testing import rolled_back

DIVISIONS = settings.SHARED_DATA_DIR / "divisions"

pytestmark = pytest.mark.skipif(
    not (DIVISIONS / "370103_villages.csv").is_file(),
    reason=f"the shared divisions data ({DIVISIONS}) is not available on this machine",
)


def _cadres_part_only():
    return [p for p in demo_registry.demo_parts() if p.key == "cadres"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        with mock.patch("jiceng.core.demo.load.demo_parts", _cadres_part_only):
            summary = load_demo(stdout=io.StringIO())
        yield summary


@pytest.fixture
def loaded(demo, db):
    return demo


def _figure(key, code, period):
    admin = User.objects.get(username="district_admin")
    return indicator_registry.compute(
        area=Area.objects.get(code=code),
        period=indicator_registry.Period.parse(period),
        user=admin,
        keys=[key],
    )[key]["value"]


def test_the_part_is_registered_and_creates_rows(loaded):
    assert "cadres" in {p.key for p in demo_registry.demo_parts()}
    assert loaded.created["cadres"] > 1000


def test_a_second_run_creates_nothing(loaded):
    counts = (
        MentorTask.objects.count(),
        StudyItem.objects.count(),
        Application.objects.count(),
        Attendance.objects.count(),
    )
    assert load_cadres_demo() == 0
    assert (
        MentorTask.objects.count(),
        StudyItem.objects.count(),
        Application.objects.count(),
        Attendance.objects.count(),
    ) == counts


def test_the_2024_first_batch_has_8_community_secretaries_and_deputies(loaded):
    batch = SecondmentBatch.objects.get(year=2024, number=1)
    assert batch.name == "2024年度第一批区内挂职交流"
    secondees = list(batch.secondees.select_related("host_area", "home_area"))
    assert len(secondees) == 8
    assert {s.home_title for s in secondees} == {
        PostTitle.COMMUNITY_SECRETARY,
        PostTitle.COMMUNITY_DEPUTY,
    }
    assert _figure("secondees", "370103", "2024") == 8
    assert _figure("secondees", "370103", "2023") == 0
    for s in secondees:
        assert s.home_area != s.host_area
        # The mentor is the host community's secretary, and on the 头雁 roster.
        assert Post.objects.filter(
            person=s.mentor, area=s.host_area, title=PostTitle.COMMUNITY_SECRETARY
        ).exists()
        assert s.mentor_tasks.exists() and s.study_items.exists() and s.reviews.count() == 1
    assert leader_person_ids(person_ids=[s.mentor_id for s in secondees], year=2023) == {
        s.mentor_id for s in secondees
    }
    hosts = {s.host_area.name for s in secondees}
    assert {"乐山小区社区", "舜华社区"} <= hosts


def test_task_lists_and_study_plans_are_in_progress(loaded):
    statuses = set(MentorTask.objects.values_list("status", flat=True)) | set(
        StudyItem.objects.values_list("status", flat=True)
    )
    assert statuses == {"done", "in_progress", "planned"}
    assert not MentorTask.objects.filter(status="done", evidence="").exists()
    assert not StudyItem.objects.filter(status="done", reflection="").exists()


def test_the_chief_steward_login_is_a_secondee_and_sees_their_page(loaded, client):
    user = User.objects.get(username="chief_steward")
    secondee = SecondmentBatch.objects.get(year=2024).secondees.get(person=user.person)
    client.force_login(user)
    assert "这是您本人的挂职页面" in client.get(secondee.get_absolute_url()).content.decode()


def test_the_selection_round_screened_some_out_with_reasons_and_is_in_publicity(loaded):
    applications = list(Application.objects.all())
    ineligible = [a for a in applications if a.status == ApplicationStatus.INELIGIBLE]
    assert len(applications) >= 12 and len(ineligible) >= 3
    assert all(a.screening_reasons for a in ineligible)
    assert any(len(a.screening_reasons) > 1 for a in ineligible)
    assert not any(a.screening_reasons for a in applications if a not in ineligible)
    selection = applications[0].round
    assert selection.status == RoundStatus.PUBLICITY
    # 5 working days from 5 June 2024, over the Dragon Boat Festival (10 June).
    assert (selection.publicity_starts_on, selection.publicity_ends_on) == (
        date(2024, 6, 5),
        date(2024, 6, 12),
    )
    proposed = [a for a in applications if a.status == ApplicationStatus.PROPOSED]
    assert len(proposed) == selection.posts.count()


def test_training_has_sessions_attendance_and_hours(loaded):
    assert TrainingProgramme.objects.count() == 3
    statuses = set(Attendance.objects.values_list("status", flat=True))
    assert statuses == {"attended", "leave", "absent"}
    hours = _figure("training_hours", "370103", "2024")
    assert hours > 1000
    assert _figure("training_hours", "370103003", "2024") < hours

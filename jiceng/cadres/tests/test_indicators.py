"""The cadres indicators count rows: they move when a record changes, and keep to scope."""

from datetime import date
from decimal import Decimal

import pytest

from jiceng.cadres.models import AttendanceStatus, SecondeeStatus
from jiceng.core import indicator_registry
from jiceng.core.indicator_registry import Period
from jiceng.core.roles import Role

from .factories import (
    AttendanceFactory,
    EnrolmentFactory,
    SecondeeFactory,
    SecondmentBatchFactory,
    TrainingSessionFactory,
)


def figure(key, *, area, period, user):
    return indicator_registry.compute(
        area=area, period=Period.parse(period), user=user, keys=[key]
    )[key]["value"]


@pytest.fixture
def batch(world):
    return SecondmentBatchFactory(
        area=world.district, starts_on=date(2024, 3, 4), ends_on=date(2024, 8, 30)
    )


def _secondee(batch, world, host, person):
    return SecondeeFactory(
        batch=batch,
        person=person,
        home_area=world.grid_a1,
        host_area=host,
        mentor=world.people_b[0],
    )


def test_secondees_count_those_serving_in_the_period_under_the_area(batch, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    a = _secondee(batch, world, world.community_a1, world.people_a[1])
    _secondee(batch, world, world.community_b1, world.people_b[1])
    assert figure("secondees", area=world.district, period="2024", user=admin) == 2
    assert figure("secondees", area=world.street_a, period="2024", user=admin) == 1
    assert figure("secondees", area=world.district, period="2024-06", user=admin) == 2
    assert figure("secondees", area=world.district, period="2024-09", user=admin) == 0
    assert figure("secondees", area=world.district, period="2023", user=admin) == 0
    assert figure("secondees", area=world.district, period=None, user=admin) == 2

    a.status = SecondeeStatus.WITHDRAWN
    a.save()
    assert figure("secondees", area=world.district, period="2024", user=admin) == 1
    assert figure("secondees", area=world.street_a, period="2024", user=admin) == 0


def test_secondees_count_moves_when_a_record_is_added_or_its_dates_change(batch, world):
    admin = world.users[Role.DISTRICT_ADMIN]
    assert figure("secondees", area=world.district, period="2024", user=admin) == 0
    s = _secondee(batch, world, world.community_a1, world.people_a[1])
    assert figure("secondees", area=world.district, period="2024", user=admin) == 1
    s.starts_on, s.ends_on = date(2025, 3, 3), date(2025, 8, 29)
    s.save()
    assert figure("secondees", area=world.district, period="2024", user=admin) == 0
    assert figure("secondees", area=world.district, period="2025", user=admin) == 1


def test_secondees_count_keeps_to_the_users_scope(batch, world):
    _secondee(batch, world, world.community_b1, world.people_b[1])
    staff = world.users[Role.STREET_STAFF]  # 大观园
    assert figure("secondees", area=world.street_a, period="2024", user=staff) == 0


def test_training_hours_sum_attended_sessions_in_the_period_under_the_area(world):
    admin = world.users[Role.DISTRICT_ADMIN]
    march = TrainingSessionFactory(held_on=date(2024, 3, 15), hours=Decimal("3"))
    april = TrainingSessionFactory(
        programme=march.programme, held_on=date(2024, 4, 19), hours=Decimal("2.5")
    )
    ea = EnrolmentFactory(programme=march.programme, person=world.people_a[0])
    eb = EnrolmentFactory(programme=march.programme, person=world.people_b[0])
    AttendanceFactory(session=march, enrolment=ea)
    AttendanceFactory(session=april, enrolment=ea)
    AttendanceFactory(session=march, enrolment=eb)
    absent = AttendanceFactory(session=april, enrolment=eb, status=AttendanceStatus.ABSENT)

    assert figure("training_hours", area=world.district, period="2024", user=admin) == Decimal(
        "8.5"
    )
    assert figure("training_hours", area=world.street_a, period="2024", user=admin) == Decimal(
        "5.5"
    )
    assert figure("training_hours", area=world.district, period="2024-04", user=admin) == Decimal(
        "2.5"
    )
    assert figure("training_hours", area=world.district, period="2023", user=admin) == Decimal("0")

    absent.status = AttendanceStatus.ATTENDED
    absent.save()
    assert figure("training_hours", area=world.district, period="2024", user=admin) == Decimal("11")
    staff = world.users[Role.STREET_STAFF]
    assert figure("training_hours", area=world.street_a, period="2024", user=staff) == Decimal(
        "5.5"
    )

"""Concurrent sign-ups on PostgreSQL: the activity's row lock keeps its capacity."""

from jiceng.core.errors import ValidationFailed
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory
from jiceng.party.services import centers as services
from jiceng.party.tests.factories import ActivityFactory, CenterFactory
from jiceng.testing import POSTGRES_ONLY, errors_of, race

pytestmark = POSTGRES_ONLY


def test_parallel_signups_never_exceed_the_capacity(world):
    activity = ActivityFactory(center=CenterFactory(area=world.community_a1), capacity=2)
    people = [PersonFactory(area=world.community_a1) for _ in range(5)]
    staff = world.users[Role.COMMUNITY_STAFF]

    def signup(person):
        return lambda: services.participation_signup(by=staff, activity=activity, person=person)

    errors = errors_of(race(*(signup(p) for p in people)))
    assert activity.participations.count() == 2
    assert len(errors) == 3 and all(isinstance(e, ValidationFailed) for e in errors)

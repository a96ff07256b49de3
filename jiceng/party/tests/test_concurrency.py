"""Concurrent sign-ups on PostgreSQL: the activity's row lock keeps its capacity."""

import threading

import pytest
from django.db import connection, connections

from jiceng.core.errors import ValidationFailed
from jiceng.core.roles import Role
from jiceng.core.tests.factories import PersonFactory
from jiceng.party.centers import services
from jiceng.party.tests.factories import ActivityFactory, CenterFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite has one writer)",
    ),
]


def _run(*jobs) -> list[Exception]:
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as e:  # surfaced by the caller
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_parallel_signups_never_exceed_the_capacity(world):
    activity = ActivityFactory(center=CenterFactory(area=world.community_a1), capacity=2)
    people = [PersonFactory(area=world.community_a1) for _ in range(5)]
    staff = world.users[Role.COMMUNITY_STAFF]

    def signup(person):
        return lambda: services.participation_signup(by=staff, activity=activity, person=person)

    errors = _run(*(signup(p) for p in people))
    assert activity.participations.count() == 2
    assert len(errors) == 3 and all(isinstance(e, ValidationFailed) for e in errors)

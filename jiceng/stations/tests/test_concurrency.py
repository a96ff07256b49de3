"""Two confirmations of the same report at once grant its points once (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from jiceng.appeals.models import Appeal
from jiceng.core.roles import Role
from jiceng.stations.models import PointsEntry
from jiceng.stations.services import rider_report_confirm
from jiceng.stations.tests.factories import RiderFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (SQLite has one writer)",
    ),
]


def test_concurrent_confirmations_grant_points_once(world, stewards):
    from jiceng.appeals.services import appeal_submit

    rider_user = world.users[Role.RIDER]
    RiderFactory(area=world.community_a1, user=rider_user)
    appeal = appeal_submit(
        by=rider_user,
        kind="report",
        channel="rider",
        description="井盖破损很危险",
        address="纬二路小区",
        anonymous=True,
    )
    Appeal.objects.filter(pk=appeal.pk).update(status="resolved", result="solved")
    appeal.refresh_from_db()
    PointsEntry.objects.all().delete()
    barrier = threading.Barrier(2)
    errors = []

    def confirm():
        try:
            barrier.wait()
            rider_report_confirm(by=stewards.chief_user, appeal=Appeal.objects.get(pk=appeal.pk))
        except Exception as e:  # surfaced below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert PointsEntry.objects.filter(appeal=appeal).count() == 1

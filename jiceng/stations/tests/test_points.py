"""Acceptance: a rider's report goes through the appeal service to the right grid steward,
and earns points only once it is confirmed (resolved 解决/部分解决), and only once."""

from datetime import date

import pytest
from django.urls import reverse

from jiceng.appeals.models import Appeal, Channel
from jiceng.appeals.selectors import appeal_list_visible_to
from jiceng.appeals.services import (
    appeal_accept,
    appeal_contact,
    appeal_reopen,
    appeal_resolve,
)
from jiceng.core.errors import PermissionDenied
from jiceng.core.roles import Role
from jiceng.stations.models import PointsEntry
from jiceng.stations.services import rider_report_confirm
from jiceng.stations.tests.factories import AppointmentFactory, RiderFactory


@pytest.fixture
def rider(world):
    rider = RiderFactory(name="黄骑士", area=world.community_a1, user=world.users[Role.RIDER])
    AppointmentFactory(rider=rider, grid=world.grid_a1, starts_on=date(2024, 1, 1))
    return rider


def _report(client, world) -> Appeal:
    client.force_login(world.users[Role.RIDER])
    response = client.post(
        reverse("appeals:rider"),
        {"description": "窨井盖破损下陷很危险", "address": "纬二路小区1号楼"},
    )
    assert response.status_code == 302
    return Appeal.objects.get()


def _resolve(appeal, user, result="solved"):
    appeal = appeal_accept(appeal=appeal, by=user)
    appeal = appeal_contact(appeal=appeal, by=user)
    return appeal_resolve(appeal=appeal, by=user, result=result, explanation="已修复井盖")


def test_rider_report_reaches_the_grid_steward_and_earns_points_once(
    client, world, stewards, rider
):
    appeal = _report(client, world)
    assert appeal.channel == Channel.RIDER and appeal.grid == world.grid_a1
    assert appeal.owner == stewards.grid
    assert list(appeal_list_visible_to(user=stewards.grid_user, queue="mine")) == [appeal]
    assert not appeal_list_visible_to(user=stewards.grid_b_user, queue="mine").exists()
    assert not PointsEntry.objects.exists()  # not before it is confirmed

    appeal = appeal_accept(appeal=appeal, by=stewards.grid_user)
    appeal = appeal_contact(appeal=appeal, by=stewards.grid_user)
    assert not PointsEntry.objects.exists()
    appeal = appeal_resolve(
        appeal=appeal, by=stewards.grid_user, result="solved", explanation="已修"
    )
    entry = PointsEntry.objects.get()
    assert (entry.rider, entry.appeal, entry.points) == (rider, appeal, 10)

    # Confirming again, or reopening and resolving again, grants nothing more.
    assert rider_report_confirm(by=stewards.chief_user, appeal=appeal) == entry
    assert PointsEntry.objects.count() == 1

    client.force_login(world.users[Role.RIDER])
    page = client.get(reverse("stations:me")).content.decode()
    assert appeal.code in page and "经核实解决" in page


def test_partly_solved_earns_less_and_unsolved_nothing(client, world, stewards, rider):
    appeal = _report(client, world)
    _resolve(appeal, stewards.grid_user, result="unsolved")
    assert not PointsEntry.objects.exists()


def test_partly_solved_report_earns_five(client, world, stewards, rider):
    appeal = _report(client, world)
    _resolve(appeal, stewards.grid_user, result="partly")
    assert PointsEntry.objects.get().points == 5


def test_a_resident_appeal_earns_no_points(world, stewards, rider):
    from jiceng.appeals.services import appeal_submit

    appeal = appeal_submit(
        by=None,
        kind="help",
        channel=Channel.WECHAT,
        description="楼道灯坏了请修一下",
        address="纬二路小区1号楼",
        phone="13800001111",
    )
    _resolve(appeal, stewards.grid_user)
    assert not PointsEntry.objects.exists()


def test_confirm_out_of_scope_is_refused(client, world, stewards, rider):
    appeal = _report(client, world)
    _resolve(appeal, stewards.grid_user)
    PointsEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        rider_report_confirm(by=stewards.grid_b_user, appeal=appeal)
    assert not PointsEntry.objects.exists()


def test_reopened_and_resolved_again_grants_once(client, world, stewards, rider):
    appeal = _report(client, world)
    appeal = _resolve(appeal, stewards.grid_user)
    appeal = appeal_reopen(appeal=appeal, by=stewards.chief_user, reason="居民反映井盖又松了")
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.owner_id == stewards.grid.pk
    _resolve(appeal, stewards.grid_user)
    assert PointsEntry.objects.count() == 1

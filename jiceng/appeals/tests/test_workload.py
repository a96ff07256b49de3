"""workload_by_owner: open appeals per owner, in the user's scope, for the cockpit."""

from datetime import timedelta

from django.utils import timezone

from jiceng.appeals.models import Status
from jiceng.appeals.selectors import workload_by_owner
from jiceng.appeals.tests.factories import AppealFactory
from jiceng.core.roles import Role


def _appeal(area, owner, status=Status.IN_PROGRESS, **kw):
    return AppealFactory(area=area, grid=area, owner=owner, status=status, **kw)


def test_workload_counts_open_overdue_and_supervised_appeals_per_owner(world, stewards):
    now = timezone.now()
    grid, chief = stewards.grid, stewards.chief
    _appeal(world.grid_a1, grid, resolve_due_at=now - timedelta(hours=1))
    _appeal(world.grid_a1, grid, supervised=True, resolve_due_at=now + timedelta(days=1))
    _appeal(world.grid_a1, grid, status=Status.ACCEPTED)
    _appeal(world.grid_a1, chief, status=Status.DISPATCHED)
    # Done or paused appeals are no one's open work (a paused one is never overdue).
    _appeal(world.grid_a1, grid, status=Status.RESOLVED)
    _appeal(world.grid_a1, chief, status=Status.PAUSED, resolve_due_at=now - timedelta(days=1))

    rows = workload_by_owner(user=world.users[Role.COMMUNITY_STAFF], area=world.community_a1)

    assert [(r.name, r.open, r.overdue, r.supervised) for r in rows] == [
        (grid.name, 3, 1, 1),
        (chief.name, 2, 0, 0),
    ]


def test_workload_leaves_out_appeals_outside_the_scope(world, stewards):
    _appeal(world.grid_a1, stewards.grid)
    _appeal(world.grid_b1, stewards.grid_b)
    _appeal(world.grid_b1, stewards.grid_b)

    street_a = workload_by_owner(user=world.users[Role.STREET_STAFF])
    district = workload_by_owner(user=world.users[Role.DISTRICT_ADMIN])
    only_b = workload_by_owner(user=world.users[Role.DISTRICT_ADMIN], area=world.community_b1)

    assert [r.name for r in street_a] == [stewards.grid.name]
    assert [r.name for r in district] == [stewards.grid_b.name, stewards.grid.name]
    assert [(r.name, r.open) for r in only_b] == [(stewards.grid_b.name, 2)]
    assert workload_by_owner(user=world.users[Role.AUDITOR]) == []

"""Races on PostgreSQL (real row locks): one claimant wins, sweeps escalate once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from jiceng.appeals import services
from jiceng.appeals.errors import AlreadyClaimed
from jiceng.appeals.models import Appeal, AppealEvent, Escalation, Rung, Status
from jiceng.appeals.tests.factories import SlaPolicyFactory
from jiceng.core.models import PostTitle
from jiceng.core.roles import Role
from jiceng.core.tests.factories import (
    PersonFactory,
    PostFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (SQLite has one writer)",
    ),
]


def _run(n: int, work) -> tuple[list, list]:
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(work(i))
        except Exception as e:  # collected and asserted below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_twenty_stewards_claiming_one_appeal_leave_exactly_one_owner(world):
    users = []
    for i in range(20):
        person = PersonFactory(name=f"抢单{i:02d}", area=world.grid_a1)
        PostFactory(person=person, title=PostTitle.GRID_STEWARD, area=world.grid_a1)
        user = UserFactory(username=f"claim{i}", person=person)
        RoleAssignmentFactory(user=user, role=Role.GRID_STEWARD, area=world.grid_a1)
        users.append(user)
    appeal = Appeal.objects.create(
        kind="help", channel="web", description="楼道堆满杂物", area=world.community_a1
    )

    results, errors = _run(
        20, lambda i: services.appeal_claim(appeal=Appeal.objects.get(pk=appeal.pk), by=users[i])
    )

    assert len(results) == 1, errors[:3]
    winner = results[0].owner_id
    assert all(isinstance(e, AlreadyClaimed) for e in errors) and len(errors) == 19
    holder = next(u.person.name for u in users if u.person_id == winner)
    assert {e.holder for e in errors} == {holder}
    appeal.refresh_from_db()
    assert appeal.owner_id == winner and appeal.status == Status.ACCEPTED
    assert AppealEvent.objects.filter(appeal=appeal, action="claim").count() == 1


def test_two_concurrent_sweeps_escalate_each_appeal_and_rung_once(world, stewards):
    SlaPolicyFactory(response_limit=1, resolve_limit=2)  # hours; 督办 at 3 h
    appeals = [
        services.appeal_submit(
            by=None,
            kind="help",
            channel="web",
            description="路灯不亮了好几盏",
            address="纬二路小区1号楼",
            phone="13800001111",
        )
        for _ in range(12)
    ]
    now = max(a.submitted_at for a in appeals) + timedelta(hours=4)

    results, errors = _run(2, lambda i: services.sla_sweep(now=now))

    assert not errors
    assert sum(r.escalated for r in results) == 12
    assert sum(r.supervised for r in results) == 12
    for a in appeals:
        rungs = list(Escalation.objects.filter(appeal=a).values_list("rung", flat=True))
        assert sorted(rungs) == [Rung.CHIEF, Rung.STREET]
        assert AppealEvent.objects.filter(appeal=a, action="escalate").count() == 2


def test_a_sweep_killed_half_way_and_a_concurrent_one_escalate_once(world, stewards, monkeypatch):
    from jiceng.appeals.services import sweep as sweep_module

    SlaPolicyFactory(response_limit=1, resolve_limit=10)
    appeals = [
        services.appeal_submit(
            by=None,
            kind="help",
            channel="web",
            description="电梯又停了",
            address="纬二路小区1号楼",
            phone="13800001111",
        )
        for _ in range(8)
    ]
    now = max(a.submitted_at for a in appeals) + timedelta(hours=2)
    real = sweep_module.notify
    lock = threading.Lock()
    calls = {"n": 0}

    def dying(**kw):
        with lock:
            calls["n"] += 1
            n = calls["n"]
        if n == 3:
            raise RuntimeError("worker killed")
        return real(**kw)

    monkeypatch.setattr(sweep_module, "notify", dying)
    results, errors = _run(2, lambda i: services.sla_sweep(now=now))
    assert len(errors) == 1
    monkeypatch.setattr(sweep_module, "notify", real)
    services.sla_sweep(now=now)
    for a in appeals:
        assert Escalation.objects.filter(appeal=a, rung=Rung.CHIEF).count() == 1
        assert AppealEvent.objects.filter(appeal=a, action="escalate").count() == 1

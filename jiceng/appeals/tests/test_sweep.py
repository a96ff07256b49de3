"""The SLA sweep: warn once, climb each rung once, supervise, close; safe to re-run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiceng.appeals import services
from jiceng.appeals.models import Appeal, AppealEvent, Escalation, Notification, Rung, Status
from jiceng.appeals.services import sweep as sweep_module
from jiceng.appeals.tests.factories import SlaPolicyFactory
from jiceng.core.models import RoleAssignment
from jiceng.core.roles import Role

ADDRESS = "纬二路小区1号楼"


def submit(**kw):
    values = dict(
        by=None,
        kind="help",
        channel="web",
        description="下水道堵了，污水返到院子里",
        address=ADDRESS,
        phone="13800001111",
    )
    values.update(kw)
    return services.appeal_submit(**values)


@pytest.fixture
def policy(db):
    return SlaPolicyFactory(response_limit=2, resolve_limit=10)  # hours; warn 8 h, 督办 15 h


def test_warns_the_owner_once_at_the_configured_share(world, stewards, policy):
    a = submit()
    now = a.submitted_at + timedelta(hours=8, minutes=1)
    assert services.sla_sweep(now=now).warned == 1
    assert services.sla_sweep(now=now).warned == 0
    assert Notification.objects.filter(kind="warning", recipient=stewards.grid_user).count() == 1


def test_missed_response_escalates_to_the_chief_steward_once(world, stewards, policy):
    a = submit()
    now = a.submitted_at + timedelta(hours=3)
    report = services.sla_sweep(now=now)
    assert report.escalated == 1
    esc = Escalation.objects.get(appeal=a)
    assert esc.rung == Rung.CHIEF and esc.to_person == stewards.chief
    assert services.sla_sweep(now=now + timedelta(hours=1)).escalated == 0
    a.refresh_from_db()
    assert a.escalation_level == 1 and a.owner == stewards.grid  # the owner stays
    assert Notification.objects.filter(kind="escalated", recipient=stewards.chief_user).exists()


def test_far_past_the_limit_the_street_supervises(world, stewards, policy):
    a = submit()
    street_user = world.users[Role.STREET_STAFF]
    now = a.submitted_at + timedelta(hours=16)
    report = services.sla_sweep(now=now)
    assert (report.escalated, report.supervised) == (1, 1)
    a.refresh_from_db()
    assert a.supervised and a.escalation_level == 2
    assert list(a.escalations.values_list("rung", flat=True).order_by("rung")) == [1, 2]
    assert Notification.objects.filter(kind="escalated", recipient=street_user).exists()
    assert RoleAssignment.objects.filter(user=street_user, area=world.street_a).exists()


def test_a_paused_appeal_is_not_escalated(world, stewards, policy):
    by = stewards.grid_user
    a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
    services.appeal_pause(appeal=a, by=by, reason="等待燃气公司上门")
    assert services.sla_sweep(now=a.submitted_at + timedelta(hours=30)).escalated == 0


def test_a_sweep_killed_half_way_then_rerun_escalates_each_appeal_once(
    world, stewards, policy, monkeypatch
):
    appeals = [submit() for _ in range(5)]
    now = max(a.submitted_at for a in appeals) + timedelta(hours=3)
    real = sweep_module.notify
    calls = {"n": 0}

    def dying(**kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real(**kw)

    monkeypatch.setattr(sweep_module, "notify", dying)
    with pytest.raises(RuntimeError):
        services.sla_sweep(now=now)
    assert Escalation.objects.count() == 2  # the third rolled back with its transaction
    monkeypatch.setattr(sweep_module, "notify", real)
    assert services.sla_sweep(now=now).escalated == 3
    assert services.sla_sweep(now=now).escalated == 0
    for a in appeals:
        assert Escalation.objects.filter(appeal=a, rung=Rung.CHIEF).count() == 1
        assert AppealEvent.objects.filter(appeal=a, action="escalate").count() == 1


def test_escalating_twice_directly_is_a_no_op(world, stewards, policy):
    a = submit()
    now = a.submitted_at + timedelta(hours=3)
    assert services.appeal_escalate(appeal_id=a.pk, rung=Rung.CHIEF, now=now)
    Appeal.objects.filter(pk=a.pk).update(escalation_level=0)  # as if the flag were lost
    assert not services.appeal_escalate(appeal_id=a.pk, rung=Rung.CHIEF, now=now)
    assert Escalation.objects.filter(appeal=a).count() == 1


def test_resolved_unrated_and_rated_appeals_close_after_their_windows(world, stewards, policy):
    by = stewards.grid_user
    done = []
    for _ in range(2):
        a = services.appeal_contact(appeal=services.appeal_accept(appeal=submit(), by=by), by=by)
        done.append(services.appeal_resolve(appeal=a, by=by, result="solved", explanation="好了"))
    services.appeal_rate(appeal=done[1], rating="satisfied")
    report = services.sla_sweep(now=timezone.now() + timedelta(days=8))
    assert report.closed == 2
    assert set(Appeal.objects.values_list("status", "rating")) == {
        (Status.CLOSED, "unrated"),
        (Status.CLOSED, "satisfied"),
    }


def test_the_command_prints_its_report(world, stewards, policy):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sla_sweep", "--json", stdout=out)
    assert '"escalated": 0' in out.getvalue()

"""The appeals' demo part on the test world: 春元里's solved count, idempotence, history."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.timezone import localtime

from jiceng.appeals.demo import (
    CHUNYUANLI_SOLVED,
    PERIOD_END,
    PERIOD_START,
    _categories,
    load_appeals_demo,
)
from jiceng.appeals.demo_live import plan_live
from jiceng.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Escalation, SlaPolicy, Status
from jiceng.appeals.selectors import appeal_list_visible_to
from jiceng.appeals.services.sweep import sla_sweep
from jiceng.core.demo.people import DEMO_COMMUNITY
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import User
from jiceng.core.roles import Role


@pytest.fixture
def loaded(world, stewards):
    return load_appeals_demo()


def _figures(area, period=None):
    system = User(username="t", is_superuser=True, is_active=True)
    return compute(area=area, period=Period.parse(period), user=system)


# The article's window: from the steward model's start to the demo's reference date.
ARTICLE = f"2022-03-01..{PERIOD_END.isoformat()}"


def test_chunyuanli_resolved_count_is_exactly_the_articles_figure(world, loaded):
    figures = _figures(world.community_b1, ARTICLE)
    assert figures["appeals_resolved"]["value"] == CHUNYUANLI_SOLVED == 1053
    assert figures["appeals_received"]["value"] > CHUNYUANLI_SOLVED
    assert figures["appeals_overdue"]["value"] > 0
    assert figures["appeals_reopened"]["value"] > 0
    # Twelve months, all after the steward model started on 2022-03-01.
    history = Appeal.objects.filter(submitted_at__date__lte=PERIOD_END)
    months = {localtime(a.submitted_at).strftime("%Y-%m") for a in history}
    assert len(months) == 12 and min(months) == PERIOD_START.strftime("%Y-%m")
    last = {}
    for appeal_id, to_status in AppealEvent.objects.order_by("at", "id").values_list(
        "appeal_id", "to_status"
    ):
        last[appeal_id] = to_status
    assert last == dict(Appeal.objects.values_list("pk", "status"))
    assert Appeal.objects.filter(status=Status.CLOSED, resolved_at__isnull=True).count() == 0


def test_a_second_run_creates_nothing(world, loaded):
    counts = (Appeal.objects.count(), AppealEvent.objects.count(), Escalation.objects.count())
    assert load_appeals_demo() == 0
    assert counts == (
        Appeal.objects.count(),
        AppealEvent.objects.count(),
        Escalation.objects.count(),
    )


def _live(now):
    """The fixed set of live appeals (``demo_live``), not this week's ordinary history."""
    _, leaves = _categories()
    policies = {(p.category_id, p.urgency): p for p in SlaPolicy.objects.all()}
    built = plan_live(policies=policies, leaves=leaves, taken=set(), now=now)
    return Appeal.objects.filter(code__in=[b.appeal.code for b in built])


def test_live_appeals_fill_the_queues_whenever_the_demo_is_loaded(world, stewards):
    now = timezone.now().replace(second=0, microsecond=0) + timedelta(days=400)
    load_appeals_demo(now=now)
    live = _live(now)
    assert live.count() >= 10
    assert all(a.area.code.startswith(DEMO_COMMUNITY) for a in live)
    mine = appeal_list_visible_to(user=stewards.grid_b_user, queue="mine", now=now)
    states = {a.status for a in mine}
    assert {
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.PAUSED,
        Status.REOPENED,
    } <= states
    admin = world.users[Role.DISTRICT_ADMIN]
    supervised = appeal_list_visible_to(user=admin, queue="supervised", now=now)
    assert [a.code for a in supervised] == [a.code for a in live.filter(supervised=True)]
    assert (
        appeal_list_visible_to(user=admin, queue="overdue", now=now).filter(pk__in=live).count()
        == 2
    )
    assert live.filter(status=Status.SUBMITTED, owner__isnull=True).count() == 1
    # The late ones carry their escalation rows: the sweep at the load time adds nothing.
    before = Escalation.objects.filter(appeal__in=live).count()
    assert before == 3
    sla_sweep(now=now)
    assert Escalation.objects.filter(appeal__in=live).count() == before
    # A second load on another day finds them and the history by code: it adds only the
    # history of the days in between.
    earlier = Appeal.objects.count()
    load_appeals_demo(now=now + timedelta(days=30))
    assert _live(now).count() == live.count()
    assert Appeal.objects.filter(submitted_at__lte=now).count() == earlier
    assert all(a.submitted_at > now for a in Appeal.objects.order_by("id")[earlier:])
    # Nothing live is resolved: 春元里's count in the article's window stays its figure.
    assert _figures(world.community_b1, ARTICLE)["appeals_resolved"]["value"] == 1053


def test_live_appeals_are_the_same_rows_on_every_machine(world, stewards):
    now = timezone.now().replace(second=0, microsecond=0)
    load_appeals_demo(now=now)
    first = list(
        _live(now).order_by("code").values_list("code", "status", "description", "submitted_at")
    )
    Appeal.objects.filter(pk__in=_live(now)).delete()
    load_appeals_demo(now=now)
    again = list(
        _live(now).order_by("code").values_list("code", "status", "description", "submitted_at")
    )
    assert first == again and len(first) >= 10


def test_history_runs_up_to_the_load_and_the_first_sweep_escalates_nothing_older(world, stewards):
    now = timezone.now().replace(second=0, microsecond=0)
    load_appeals_demo(now=now)
    this_month = timezone.localdate(now).replace(day=1)
    # Every month from the article's year up to this one has appeals.
    months = {
        localtime(at).strftime("%Y-%m")
        for at in Appeal.objects.values_list("submitted_at", flat=True)
    }
    assert this_month.strftime("%Y-%m") in months
    assert "2025-01" in months and PERIOD_START.strftime("%Y-%m") in months
    assert not Appeal.objects.filter(submitted_at__gt=now).exists()
    # History past its limits is closed: what is open was received in the last weeks.
    oldest_open = Appeal.objects.filter(status__in=OPEN_STATUSES).order_by("submitted_at").first()
    assert (now - oldest_open.submitted_at).days < 31
    before = set(Escalation.objects.values_list("pk", flat=True))
    sla_sweep(now=now)
    new = Escalation.objects.exclude(pk__in=before)
    assert not new.filter(appeal__submitted_at__date__lt=this_month).exists()

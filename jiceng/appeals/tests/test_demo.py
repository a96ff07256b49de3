"""The appeals' demo part on the test world: 春元里's solved count, idempotence, history."""

import pytest
from django.utils.timezone import localtime

from jiceng.appeals.demo import CHUNYUANLI_SOLVED, PERIOD_START, load_appeals_demo
from jiceng.appeals.models import Appeal, AppealEvent, Escalation, Status
from jiceng.core.indicator_registry import Period, compute
from jiceng.core.models import User


@pytest.fixture
def loaded(world, stewards):
    return load_appeals_demo()


def _figures(area, period=None):
    system = User(username="t", is_superuser=True, is_active=True)
    return compute(area=area, period=Period.parse(period), user=system)


def test_chunyuanli_resolved_count_is_exactly_the_articles_figure(world, loaded):
    figures = _figures(world.community_b1)
    assert figures["appeals_resolved"]["value"] == CHUNYUANLI_SOLVED == 1053
    assert figures["appeals_received"]["value"] > CHUNYUANLI_SOLVED
    assert figures["appeals_overdue"]["value"] > 0
    assert figures["appeals_reopened"]["value"] > 0
    # Twelve months, all after the steward model started on 2022-03-01.
    months = {localtime(a.submitted_at).strftime("%Y-%m") for a in Appeal.objects.all()}
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

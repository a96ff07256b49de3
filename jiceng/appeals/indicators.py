"""The appeals' indicators, by area and period, computed from the rows."""

from django.db.models import F, Q
from django.utils import timezone

from jiceng.core.indicator_registry import Figure, Period, register
from jiceng.core.scope import scope_of
from jiceng.core.tree import subtree_q

from .models import DONE_STATUSES, OPEN_STATUSES, Appeal, AppealEvent, Result, Status
from .permissions import AREA_ROLES

THEME = "接诉即办"


def _appeals(*, area, user):
    """Every appeal under ``area`` for a user whose area roles cover it whole, else none: a
    figure is the area's, never the part of it one viewer handles (a shared steward's)."""
    if not scope_of(user).covers_area(area.code, AREA_ROLES):
        return Appeal.objects.none()
    return Appeal.objects.filter(subtree_q("area__code", area.code))


def _in(period: Period, field: str) -> Q:
    return period.date_q(f"{field}__date")


@register("appeals_received", "受理诉求", unit="件", theme=THEME, order=400)
def appeals_received(*, area, period, user) -> Figure:
    return Figure(_appeals(area=area, user=user).filter(_in(period, "submitted_at")).count())


@register("appeals_resolved", "解决诉求", unit="件", theme=THEME, order=410)
def appeals_resolved(*, area, period, user) -> Figure:
    """Appeals resolved with the result 解决, by the date they were resolved."""
    return Figure(
        _appeals(area=area, user=user)
        .filter(status__in=DONE_STATUSES, result=Result.SOLVED)
        .filter(_in(period, "resolved_at"))
        .count()
    )


@register("appeals_overdue", "超期诉求", unit="件", theme=THEME, order=420)
def appeals_overdue(*, area, period, user) -> Figure:
    """Appeals received in the period that missed their resolution limit: resolved after
    it, or still open past it (a paused clock is not overdue)."""
    now = timezone.now()
    qs = _appeals(area=area, user=user).filter(_in(period, "submitted_at"))
    late_done = Q(resolved_at__isnull=False, resolved_at__gt=F("resolve_due_at"))
    late_open = Q(status__in=OPEN_STATUSES - {Status.PAUSED}, resolve_due_at__lt=now)
    return Figure(qs.filter(late_done | late_open).count())


@register("appeals_reopened", "重启诉求", unit="件", theme=THEME, order=430)
def appeals_reopened(*, area, period, user) -> Figure:
    """Appeals reopened (resident unsatisfied or callback) during the period."""
    events = AppealEvent.objects.filter(action="reopen").filter(_in(period, "at"))
    return Figure(_appeals(area=area, user=user).filter(pk__in=events.values("appeal_id")).count())


# The three rates (三率) and the composite score: read from the rollups through the same
# selector the rankings and the cockpit use, so every page and the command agree.


def _rates(*, area, period, user):
    from .stats.selectors import rates_for

    return rates_for(user=user, area=area, period=period)


@register("response_rate", "响应率", unit="%", theme=THEME, order=440)
def response_rate(*, area, period, user) -> Figure:
    """Appeals received in the period and contacted within the response limit."""
    r = _rates(area=area, period=period, user=user)
    return Figure(r.response_rate, r.responded_in_time, r.received)


@register("resolution_rate", "解决率", unit="%", theme=THEME, order=441)
def resolution_rate(*, area, period, user) -> Figure:
    """Appeals received in the period and resolved, of those that should be (not rejected)."""
    r = _rates(area=area, period=period, user=user)
    return Figure(r.resolution_rate, r.resolved, r.should_resolve)


@register("satisfaction_rate", "满意率", unit="%", theme=THEME, order=442)
def satisfaction_rate(*, area, period, user) -> Figure:
    """满意 plus the configured share of 基本满意, of the rated appeals received in the
    period (the numerator may be fractional when 基本满意 counts in part)."""
    from .stats.config import rates_config

    r = _rates(area=area, period=period, user=user)
    satisfied = r.satisfied + rates_config().basic_share * r.basic_satisfied
    if satisfied == int(satisfied):
        satisfied = int(satisfied)
    return Figure(r.satisfaction_rate, satisfied, r.rated)


@register("composite_score", "三率综合得分", unit="分", theme=THEME, order=443)
def composite_score(*, area, period, user) -> Figure:
    r = _rates(area=area, period=period, user=user)
    return Figure(r.composite_score)

"""The appeals' indicators, by area and period, computed from the rows."""

from django.db.models import F, Q
from django.utils import timezone

from jiceng.core.indicator_registry import Figure, Period, register
from jiceng.core.tree import subtree_q

from .models import DONE_STATUSES, OPEN_STATUSES, Appeal, AppealEvent, Result, Status
from .permissions import can
from .selectors import _visible_q


def _appeals(*, area, user):
    if not can(user, "view"):
        return Appeal.objects.none()
    return Appeal.objects.filter(_visible_q(user)).filter(subtree_q("area__code", area.code))


def _in(period: Period, field: str) -> Q:
    return period.date_q(f"{field}__date")


@register("appeals_received", "受理诉求", unit="件", order=400)
def appeals_received(*, area, period, user) -> Figure:
    return Figure(_appeals(area=area, user=user).filter(_in(period, "submitted_at")).count())


@register("appeals_resolved", "解决诉求", unit="件", order=410)
def appeals_resolved(*, area, period, user) -> Figure:
    """Appeals resolved with the result 解决, by the date they were resolved."""
    return Figure(
        _appeals(area=area, user=user)
        .filter(status__in=DONE_STATUSES, result=Result.SOLVED)
        .filter(_in(period, "resolved_at"))
        .count()
    )


@register("appeals_overdue", "超期诉求", unit="件", order=420)
def appeals_overdue(*, area, period, user) -> Figure:
    """Appeals received in the period that missed their resolution limit: resolved after
    it, or still open past it (a paused clock is not overdue)."""
    now = timezone.now()
    qs = _appeals(area=area, user=user).filter(_in(period, "submitted_at"))
    late_done = Q(resolved_at__isnull=False, resolved_at__gt=F("resolve_due_at"))
    late_open = Q(status__in=OPEN_STATUSES - {Status.PAUSED}, resolve_due_at__lt=now)
    return Figure(qs.filter(late_done | late_open).count())


@register("appeals_reopened", "重启诉求", unit="件", order=430)
def appeals_reopened(*, area, period, user) -> Figure:
    """Appeals reopened (resident unsatisfied or callback) during the period."""
    events = AppealEvent.objects.filter(action="reopen").filter(_in(period, "at"))
    return Figure(_appeals(area=area, user=user).filter(pk__in=events.values("appeal_id")).count())

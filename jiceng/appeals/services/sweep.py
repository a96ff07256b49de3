"""The SLA sweep: warn, escalate one rung, put under the street's supervision, close.

Run every minute (``manage.py sla_sweep`` or the ``sweep`` task). Each appeal is handled in
its own transaction under its row lock and re-checked there, and each escalation row is
unique per (appeal, rung): sweeps running at once, or one killed half way and run again,
escalate each (appeal, rung) exactly once.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from jiceng.core.models import Area

from .. import conf
from ..errors import IllegalTransition
from ..models import (
    OPEN_STATUSES,
    Appeal,
    Escalation,
    NotificationKind,
    Rating,
    Rung,
    Status,
)
from ..selectors import chief_steward_for
from .common import SYSTEM, record, snapshot
from .handling import appeal_close_rated, appeal_close_unrated
from .notify import notify, street_supervisors, users_of_people, webhook_retry_due

# Appeals whose clocks run: open and not paused.
RUNNING = sorted(OPEN_STATUSES - {Status.PAUSED})
BATCH = 1000


@dataclass
class SweepReport:
    warned: int = 0
    escalated: int = 0
    supervised: int = 0
    closed: int = 0
    webhooks_retried: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _due_for_rung(rung: int, now) -> Q:
    if rung == Rung.CHIEF:
        return Q(resolve_due_at__lte=now) | Q(response_due_at__lte=now, contacted_at__isnull=True)
    return Q(supervise_at__lte=now)


def _warn_one(pk: int, now) -> bool:
    with transaction.atomic():
        row = (
            Appeal.objects.select_for_update()
            .filter(pk=pk, status__in=RUNNING, warned_at__isnull=True, warn_at__lte=now)
            .first()
        )
        if row is None:
            return False
        before, from_status = snapshot(row), row.status
        row.warned_at = now
        row.save(update_fields=["warned_at", "updated_at"])
        record(
            appeal=row,
            by=SYSTEM,
            action="warn",
            before=before,
            from_status=from_status,
            note="办理时限即将到期，已提醒承办人",
            public=False,
            at=now,
        )
        notify(
            appeal=row,
            kind=NotificationKind.WARNING,
            user_ids=users_of_people([row.owner_id]),
            text=f"诉求 {row.code} 即将超时，请尽快办理",
        )
    return True


def appeal_escalate(*, appeal_id: int, rung: int, now=None) -> bool:
    """Climb one rung for one appeal if it is due and not climbed yet. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            Appeal.objects.select_for_update()
            .filter(_due_for_rung(rung, now), pk=appeal_id, status__in=RUNNING)
            .select_related("area")
            .first()
        )
        if row is None or Escalation.objects.filter(appeal_id=row.pk, rung=rung).exists():
            return False
        if rung == Rung.STREET and row.escalation_level < Rung.CHIEF:
            return False  # the chief steward's rung comes first
        before, from_status = snapshot(row), row.status
        if rung == Rung.CHIEF:
            to_person = chief_steward_for(area=row.area)
            to_area = Area.objects.filter(code=row.area.code[:12]).first() or row.area
            reason = (
                "超过响应时限未联系"
                if row.contacted_at is None and (row.response_due_at and row.response_due_at <= now)
                else "超过办结时限"
            )
            recipients = users_of_people([to_person.pk if to_person else None])
        else:
            to_person = None
            to_area = Area.objects.filter(code=row.area.code[:9]).first() or row.area
            reason = "超时未办结，街道督办"
            recipients = street_supervisors(to_area.code)
            row.supervised = True
        try:
            with transaction.atomic():
                Escalation.objects.create(
                    appeal=row,
                    rung=rung,
                    reason=reason,
                    to_person=to_person,
                    to_area=to_area,
                    at=now,
                )
        except IntegrityError:
            return False
        row.escalation_level = max(row.escalation_level, rung)
        row.save(update_fields=["escalation_level", "supervised", "updated_at"])
        record(
            appeal=row,
            by=SYSTEM,
            action="escalate",
            before=before,
            from_status=from_status,
            note=f"升级至{Rung(rung).label}：{reason}",
            data={"rung": rung},
            at=now,
        )
        notify(
            appeal=row,
            kind=NotificationKind.ESCALATED,
            user_ids=recipients,
            text=f"诉求 {row.code} {reason}，已升级至{Rung(rung).label}",
        )
    return True


def _ids(qs) -> list[int]:
    return list(qs.order_by("pk").values_list("pk", flat=True)[:BATCH])


def sla_sweep(*, now=None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    running = Appeal.objects.filter(status__in=RUNNING)
    for pk in _ids(running.filter(warn_at__lte=now, warned_at__isnull=True)):
        report.warned += _warn_one(pk, now)
    for pk in _ids(running.filter(_due_for_rung(Rung.CHIEF, now), escalation_level__lt=1)):
        report.escalated += appeal_escalate(appeal_id=pk, rung=Rung.CHIEF, now=now)
    for pk in _ids(running.filter(_due_for_rung(Rung.STREET, now), escalation_level=1)):
        report.supervised += appeal_escalate(appeal_id=pk, rung=Rung.STREET, now=now)
    close_days = conf.get("CLOSE_UNRATED_AFTER_DAYS")
    window = conf.get("REOPEN_WINDOW_DAYS")
    unrated = Appeal.objects.filter(
        status=Status.RESOLVED, rating="", resolved_at__lte=now - timedelta(days=close_days)
    )
    rated = Appeal.objects.filter(
        status=Status.RATED, resolved_at__lte=now - timedelta(days=window)
    ).exclude(rating=Rating.UNRATED)
    for close, qs in ((appeal_close_unrated, unrated), (appeal_close_rated, rated)):
        for appeal in qs.order_by("pk")[:BATCH]:
            try:
                close(appeal=appeal, now=now)
            except IllegalTransition:
                continue  # changed since it was listed
            report.closed += 1
    report.webhooks_retried = webhook_retry_due(now=now)
    return report

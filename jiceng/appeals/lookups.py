"""Small, rarely changed tables every intake reads, kept per process.

The SLA policy table, today's duty rosters and absences and the active webhook endpoints
are read by every submission; reading them once per process cuts three of the intake's
queries (see ``bench/appeals_intake.py``). A value is kept only when it was read from
committed data (outside any transaction: inside one it may hold rows that roll back, and
then it is used for that call only). It is dropped when a row of its tables is saved or
deleted in this process (the signals below, the one place that sees admin edits as well
as services), and in any case after ``LOOKUP_CACHE_SECONDS``, which bounds how long
another process's change takes to apply here.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from . import conf
from .models import Category, DutyRoster, SlaPolicy, StewardAbsence, WebhookEndpoint

_lock = threading.Lock()
_values: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load: Callable[[], object]):
    """The value under ``key``, loaded by ``load`` when missing, stale or not cacheable."""
    now = time.monotonic()
    hit = _values.get(key)
    if hit is not None and now - hit[0] < conf.get("LOOKUP_CACHE_SECONDS"):
        return hit[1]
    value = load()
    if not connection.in_atomic_block:
        with _lock:
            # Drop the other days' duty snapshots with the stale entry they replace.
            for other in [k for k in _values if k[0] == key[0]]:
                del _values[other]
            _values[key] = (now, value)
    return value


def clear(*names: str) -> None:
    """Forget the named lookups (all when none is named)."""
    with _lock:
        for key in list(_values):
            if not names or key[0] in names:
                del _values[key]


def policy_table() -> dict:
    """(category path or None, urgency) -> SlaPolicy. Shared: do not modify the rows."""

    def load():
        return {
            (p.category.path if p.category_id else None, p.urgency): p
            for p in SlaPolicy.objects.select_related("category")
        }

    return _cached(("policies",), load)


@dataclass(frozen=True)
class Duty:
    rosters: dict  # grid id -> (steward, backup or None), the roster current that day
    away: frozenset  # ids of people away that day


def duty_on(on: date) -> Duty:
    """Who is on duty in each grid with a roster, and who is away, on day ``on``."""

    def load():
        rosters = {}
        for r in (
            DutyRoster.objects.filter(starts_on__lte=on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .select_related("steward", "backup")
            .order_by("grid_id", "-starts_on", "-id")
        ):
            rosters.setdefault(r.grid_id, (r.steward, r.backup))
        away = StewardAbsence.objects.filter(starts_on__lte=on, ends_on__gte=on)
        return Duty(rosters, frozenset(away.values_list("person_id", flat=True)))

    return _cached(("duty", on), load)


def active_endpoints() -> list[int]:
    def load():
        return list(WebhookEndpoint.objects.filter(active=True).values_list("pk", flat=True))

    return _cached(("endpoints",), load)


_TABLES = {
    SlaPolicy: "policies",
    Category: "policies",
    DutyRoster: "duty",
    StewardAbsence: "duty",
    WebhookEndpoint: "endpoints",
}


def _changed(sender, **kwargs) -> None:
    clear(_TABLES[sender])


for _model in _TABLES:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"appeals.lookups.{_model.__name__}")
    post_delete.connect(
        _changed, sender=_model, dispatch_uid=f"appeals.lookups.d.{_model.__name__}"
    )

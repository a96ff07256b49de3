"""Every read of the three rates, volumes and hot spots: from the rollups, in scope.

Each function takes the acting user and counts only rollup rows whose area lies in both the
requested area's subtree and the user's scope (the roles that see a whole area's appeals),
so a community's staff asking for the district get their community's figures. None of them
reads the appeals table.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Substr

from jiceng.core.indicator_registry import Period
from jiceng.core.models import Area, AreaKind
from jiceng.core.scope import scope_of
from jiceng.core.tree import subtree_q

from ..models import Category, Channel
from ..permissions import AREA_ROLES
from .config import RatesConfig, rates_config
from .models import MEASURES, AppealMonthRollup, AppealRollup

RATE = Decimal("0.0001")
SCORE = Decimal("0.01")


@dataclass(frozen=True)
class Rates:
    received: int  # appeals received in the period
    responded_in_time: int  # contacted within the response limit
    should_resolve: int  # denominator of 解决率: received minus rejected (转办/退回)
    resolved: int  # numerator of 解决率 (解决, plus 部分解决 when configured)
    rated: int  # 满意 + 基本满意 + 不满意
    satisfied: int
    basic_satisfied: int
    unsatisfied: int
    reopened: int
    overdue: int
    response_rate: Decimal | None  # None when the denominator is 0 (shown as "—")
    resolution_rate: Decimal | None
    satisfaction_rate: Decimal | None
    composite_score: Decimal | None  # 0–100


def _share(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE, ROUND_HALF_UP)


def rates_from(sums: dict, config: RatesConfig | None = None) -> Rates:
    """The rates of summed rollup counts (``MEASURES`` → int; missing names count 0)."""
    config = config or rates_config()
    n = {name: int(sums.get(name) or 0) for name in MEASURES}
    should_resolve = n["received"] - n["rejected"]
    resolved = n["solved"] + (n["partly"] if config.partly_counts else 0)
    rated = n["satisfied"] + n["basic"] + n["unsatisfied"]
    response = _share(n["responded_in_time"], n["received"])
    resolution = _share(resolved, should_resolve)
    satisfaction = (
        None
        if not rated
        else ((n["satisfied"] + config.basic_share * n["basic"]) / Decimal(rated)).quantize(
            RATE, ROUND_HALF_UP
        )
    )
    # The composite weighs the rates there are: an area nobody rated yet is scored on the
    # other two, with their weights scaled up, rather than given 0 for satisfaction.
    parts = [
        (response, config.response_weight),
        (resolution, config.resolution_weight),
        (satisfaction, config.satisfaction_weight),
    ]
    parts = [(rate, weight) for rate, weight in parts if rate is not None and weight]
    weight = sum((w for _, w in parts), Decimal(0))
    composite = (
        (sum((r * w for r, w in parts), Decimal(0)) / weight * 100).quantize(SCORE, ROUND_HALF_UP)
        if weight
        else None
    )
    return Rates(
        received=n["received"],
        responded_in_time=n["responded_in_time"],
        should_resolve=should_resolve,
        resolved=resolved,
        rated=rated,
        satisfied=n["satisfied"],
        basic_satisfied=n["basic"],
        unsatisfied=n["unsatisfied"],
        reopened=n["reopened"],
        overdue=n["overdue"] if config.exclude_paused else n["overdue_gross"],
        response_rate=response,
        resolution_rate=resolution,
        satisfaction_rate=satisfaction,
        composite_score=composite,
    )


def can_view_stats(user) -> bool:
    return scope_of(user).has_role(*AREA_ROLES)


def _rows(*, user, area: Area, start: date | None = None, end: date | None = None):
    """Rollup rows of ``area``'s subtree within the user's scope and the dates."""
    if not can_view_stats(user):
        return AppealRollup.objects.none()
    q = subtree_q("area_code", area.code) & scope_of(user).areas_q("area_code", roles=AREA_ROLES)
    if start is not None:
        q &= Q(day__gte=start)
    if end is not None:
        q &= Q(day__lte=end)
    return AppealRollup.objects.filter(q)


def _period_rows(*, user, area: Area, period: Period):
    return _rows(user=user, area=area, start=period.start, end=period.end)


def _whole_months(period: Period) -> bool:
    return period.is_all_time or period.start.day == 1 and (period.end + timedelta(days=1)).day == 1


def _rate_rows(*, user, area: Area, period: Period):
    """Rows to sum for the rates: the month rollups when the period is whole months (one
    row per area and month, so a month's rates cost the same at any volume), else the day
    rollups."""
    if not _whole_months(period):
        return _period_rows(user=user, area=area, period=period)
    if not can_view_stats(user):
        return AppealMonthRollup.objects.none()
    q = subtree_q("area_code", area.code) & scope_of(user).areas_q("area_code", roles=AREA_ROLES)
    if not period.is_all_time:
        q &= Q(month__gte=period.start, month__lte=period.end.replace(day=1))
    return AppealMonthRollup.objects.filter(q)


SUMS = {name: Sum(name) for name in MEASURES}


def rates_for(*, user, area: Area, period: Period) -> Rates:
    return rates_from(_rate_rows(user=user, area=area, period=period).aggregate(**SUMS))


def _kinds(kind: str) -> list[str]:
    # Villages rank with communities: both are the level under a street (社区/村).
    return [AreaKind.COMMUNITY, AreaKind.VILLAGE] if kind == AreaKind.COMMUNITY else [kind]


def child_areas(*, user, area: Area, kind: str | None = None) -> list[Area]:
    """Children of ``area`` (or its descendants of ``kind``) that the user's scope covers
    whole, by code."""
    if not can_view_stats(user):
        return []
    if kind:
        # ``area`` itself when it is of ``kind``: a grid steward's ranking is their grid.
        qs = Area.objects.subtree(area.code).filter(kind__in=_kinds(kind))
    else:
        qs = Area.objects.filter(parent=area)
    scope = scope_of(user)
    qs = qs.only("id", "code", "name", "kind", "parent_id").order_by("code")
    return [a for a in qs if scope.covers_area(a.code, roles=AREA_ROLES)]


def _sums_by_prefix(rows, length: int) -> dict[str, dict]:
    grouped = (
        rows.annotate(prefix=Substr("area_code", 1, length))
        .values("prefix")
        .order_by()
        .annotate(**SUMS)
    )
    return {g.pop("prefix"): g for g in grouped}


def rates_by_child(
    *, user, area: Area, period: Period, kind: str | None = None
) -> list[tuple[Area, Rates]]:
    """One row per child area (or descendant of ``kind``) in the user's scope, by code;
    an area with no appeals has zero counts and rates of None."""
    children = child_areas(user=user, area=area, kind=kind)
    if not children:
        return []
    config = rates_config()
    by_length: dict[int, list[Area]] = {}
    for child in children:
        by_length.setdefault(len(child.code), []).append(child)
    sums: dict[str, dict] = {}
    for length in by_length:
        rows = _rate_rows(user=user, area=area, period=period)
        sums.update(_sums_by_prefix(rows, length))
    return [(c, rates_from(sums.get(c.code, {}), config)) for c in children]


def _category_labels(keys) -> dict[int, str]:
    labels = dict(Category.objects.filter(pk__in=set(keys) - {0}).values_list("pk", "name"))
    labels[0] = "未分类"
    return labels


def _channel_label(value: str) -> str:
    return Channel(value).label if value in Channel.values else value


def volume_series(*, user, area: Area, start: date, end: date, by: str = "channel") -> list[dict]:
    """Appeals received per day and channel (or category) between the dates, inclusive:
    ``[{"day", "key", "count"}]`` ordered by day then key; days without appeals omitted."""
    field = {"channel": "channel", "category": "category_key"}.get(by)
    if field is None:
        raise ValueError(f"volume_series: by must be channel or category, not {by!r}")
    grouped = list(
        _rows(user=user, area=area, start=start, end=end)
        .values("day", field)
        .order_by()
        .annotate(count=Sum("received"))
    )
    if by == "category":
        labels = _category_labels(g[field] for g in grouped)
        label = labels.__getitem__
    else:
        label = _channel_label
    out = [{"day": g["day"], "key": label(g[field]), "count": g["count"]} for g in grouped]
    return sorted(out, key=lambda r: (r["day"], r["key"]))


def category_totals(*, user, area: Area, period: Period) -> list[tuple[str, int]]:
    """Appeals received in the period per category, most first."""
    grouped = list(
        _period_rows(user=user, area=area, period=period)
        .values("category_key")
        .order_by()
        .annotate(count=Sum("received"))
    )
    labels = _category_labels(g["category_key"] for g in grouped)
    totals = [(labels[g["category_key"]], g["count"]) for g in grouped if g["count"]]
    return sorted(totals, key=lambda t: (-t[1], t[0]))


def previous_period(period: Period) -> Period | None:
    """The period of the same length just before ``period`` (None for all time)."""
    if period.is_all_time:
        return None
    days = (period.end - period.start).days + 1
    end = period.start - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    return Period(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}", start, end)


def hot_spots(*, user, area: Area, period: Period, limit: int = 10) -> list[dict]:
    """Places and categories whose appeals rose against the previous period of the same
    length, largest rise first. Places are the finest areas appeals are filed under (a
    grid, else the community that took them): an appeal records its grid, not its compound,
    so a place's ``kind`` is its area's kind ("grid", "community", ...), never "compound".
    """
    previous = previous_period(period)
    if previous is None:
        return []
    rows = _rows(user=user, area=area, start=previous.start, end=period.end)
    now_q = Q(day__gte=period.start)
    before_q = Q(day__lt=period.start)
    counts = {
        "count": Sum("received", filter=now_q, default=0),
        "previous": Sum("received", filter=before_q, default=0),
    }
    places = list(rows.values("area_id").order_by().annotate(**counts))
    categories = list(rows.values("category_key").order_by().annotate(**counts))
    places_of = {
        pk: (kind, name)
        for pk, kind, name in Area.objects.filter(
            pk__in=[p["area_id"] for p in places]
        ).values_list("pk", "kind", "name")
    }
    labels = _category_labels(c["category_key"] for c in categories)
    spots = [
        {
            "kind": places_of[p["area_id"]][0],
            "label": places_of[p["area_id"]][1],
            "count": p["count"],
            "previous": p["previous"],
        }
        for p in places
    ] + [
        {
            "kind": "category",
            "label": labels[c["category_key"]],
            "count": c["count"],
            "previous": c["previous"],
        }
        for c in categories
    ]
    for spot in spots:
        spot["rise"] = spot["count"] - spot["previous"]
    spots = [s for s in spots if s["rise"] > 0]
    spots.sort(key=lambda s: (-s["rise"], -s["count"], s["kind"], s["label"]))
    return spots[:limit]


def last_day_with_appeals(*, user, area: Area, before: date) -> date | None:
    """The latest day before ``before`` on which the user's part of ``area`` received an
    appeal (pages default to the last complete month that has figures)."""
    return (
        _rows(user=user, area=area, end=before - timedelta(days=1))
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
